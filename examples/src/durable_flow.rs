//! `orders.flow`: a durable workflow (feature `durable`). It reserves the stock of an order in one step,
//! waits two seconds without running, then charges it in another step; its result is the receipt. When
//! Lambda invokes it again after the wait, the reservation is read from the history, not done again.

use std::time::Duration;

use lambda_fn::durable::DurableContext;
use lambda_fn::{Error, handler};
use serde::{Deserialize, Serialize};

/// The execution's input.
#[derive(Debug, Serialize, Deserialize)]
pub struct Order {
    /// The order's id.
    pub id: String,
    /// How many items.
    pub quantity: u32,
}

/// The execution's result.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Receipt {
    /// The order's id.
    pub order: String,
    /// The reservation the first step made.
    pub reservation: String,
    /// What was charged, in cents.
    pub charged_cents: u64,
}

/// Reserves, waits, charges.
#[handler("orders.flow", durable(timeout = 3600, retention_days = 7))]
pub async fn flow(order: Order, ctx: DurableContext) -> Result<Receipt, Error> {
    if order.quantity == 0 {
        return Err(Error::new("EmptyOrder", format!("order {} has no items", order.id)));
    }
    let id = order.id.clone();
    let reservation = ctx
        .step(
            "reserve",
            || async move { Ok::<_, Error>(format!("reservation-of-{id}")) },
        )
        .await?;
    ctx.wait("cool-off", Duration::from_secs(2)).await?;
    let quantity = u64::from(order.quantity);
    let charged_cents = ctx
        .step("charge", || async move { Ok::<_, Error>(quantity * 250) })
        .await?;
    Ok(Receipt {
        order: order.id,
        reservation,
        charged_cents,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_fn::durable::testing::{Outcome, TestRunner};

    #[tokio::test(flavor = "current_thread")]
    async fn the_workflow_reserves_waits_and_charges() {
        let order = Order {
            id: "o-1".to_owned(),
            quantity: 3,
        };
        let run = TestRunner::new().run(order, flow).await;
        assert_eq!(
            run.outcome,
            Outcome::Succeeded(serde_json::json!({
                "order": "o-1", "reservation": "reservation-of-o-1", "charged_cents": 750
            }))
        );
        assert_eq!(run.invocations, 2, "the wait suspends the first invocation");
    }
}
