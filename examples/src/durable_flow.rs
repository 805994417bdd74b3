//! Durable workflows (feature `durable`).
//!
//! - `orders.flow` reserves the stock of an order in one step, waits two seconds without running, then
//!   charges it in another step; its result is the receipt. When Lambda invokes it again after the wait,
//!   the reservation is read from the history, not done again.
//! - `orders.approve` asks for a person's approval of a large order: a callback whose id goes to the
//!   approvers (here, the log), then nothing runs until one of them answers through Lambda's
//!   `SendDurableExecutionCallbackSuccess` (`aws lambda send-durable-execution-callback-success`), or a
//!   day passes.
//! - `orders.checkout` calls two other handlers of this binary with typed calls: `orders.price`, a plain
//!   handler, then `orders.flow`, which runs as an execution of its own. A renamed handler or a changed
//!   `Order` or `Receipt` is a compile error here; `calls = [price, flow]` makes the template give its
//!   function their names and the permission to invoke them.
//! - `orders.ship` prices an order with a typed call, gives the warehouse a second to pack it (a wait), then
//!   waits for the courier to report the pickup (a callback): the local workflow `bench/durable-local.py`
//!   times from start to result.

use std::time::Duration;

use lambda_fn::durable::{CallbackConfig, DurableContext};
use lambda_fn::{Context, Error, call, handler};
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

/// What an approver answers.
#[derive(Debug, Serialize, Deserialize)]
pub struct Decision {
    /// Whether the order may go ahead.
    pub approved: bool,
    /// Who decided.
    pub by: String,
}

/// Reserves, waits for an approver's decision (a day at most), then charges or releases.
#[handler("orders.approve", durable(timeout = 172_800))]
pub async fn approve(order: Order, ctx: DurableContext) -> Result<String, Error> {
    let id = order.id.clone();
    let reservation: String = ctx
        .step(
            "reserve",
            || async move { Ok::<_, Error>(format!("reservation-of-{id}")) },
        )
        .await?;
    let config = CallbackConfig::new().timeout(Duration::from_secs(24 * 3600));
    let order_id = order.id.clone();
    let decision: Decision = ctx
        .wait_for_callback("approval", config, |callback_id| async move {
            // A real workflow would e-mail the approvers a link, or put the id on their queue.
            tracing::info!(order = %order_id, %callback_id, "waiting for an approver");
            Ok::<_, Error>(())
        })
        .await?;
    if !decision.approved {
        let released: String = ctx
            .step("release", || async move {
                Ok::<_, Error>(format!("released {reservation}"))
            })
            .await?;
        return Ok(format!("{released}: refused by {}", decision.by));
    }
    let quantity = u64::from(order.quantity);
    let charged = ctx
        .step("charge", || async move { Ok::<_, Error>(quantity * 250) })
        .await?;
    Ok(format!(
        "{reservation}: {charged} cents charged, approved by {}",
        decision.by
    ))
}

/// The price of an order, in cents: a plain handler, which a workflow calls like any function.
#[handler("orders.price")]
pub async fn price(order: Order) -> Result<u64, Error> {
    if order.quantity == 0 {
        return Err(Error::new(
            "EmptyOrder",
            format!("order {} has no items to price", order.id),
        ));
    }
    Ok(u64::from(order.quantity) * 250)
}

/// The price of several orders: a plain handler that calls `orders.price` for each, through Lambda's
/// Invoke API (`call::invoke`), the types checked by the compiler.
#[handler("orders.total", calls = [price])]
pub async fn total(orders: Vec<Order>, ctx: Context) -> Result<u64, Error> {
    let mut cents = 0;
    for order in &orders {
        cents += call::invoke::<price>(&ctx, order).await?;
    }
    Ok(cents)
}

/// Prices an order, then fulfils it with `orders.flow`, each through a typed call.
#[handler("orders.checkout", durable(timeout = 3600), calls = [price, flow])]
pub async fn checkout(order: Order, ctx: DurableContext) -> Result<String, Error> {
    let quoted = ctx.invoke_handler::<price>("price", &order).await?;
    let receipt = ctx.invoke_handler::<flow>("fulfil", &order).await?;
    if receipt.charged_cents != quoted {
        return Err(Error::new(
            "PriceChanged",
            format!("quoted {quoted} cents, charged {}", receipt.charged_cents),
        ));
    }
    Ok(format!(
        "order {} checked out: {} ({quoted} cents)",
        receipt.order, receipt.reservation
    ))
}

/// Prices an order, waits a second for it to be packed, then for the courier's pickup.
#[handler("orders.ship", durable(timeout = 3600), calls = [price])]
pub async fn ship(order: Order, ctx: DurableContext) -> Result<String, Error> {
    let cents = ctx.invoke_handler::<price>("price", &order).await?;
    ctx.wait("pack", Duration::from_secs(1)).await?;
    let order_id = order.id.clone();
    let config = CallbackConfig::new().timeout(Duration::from_secs(3600));
    let pickup: String = ctx
        .wait_for_callback("courier", config, |callback_id| async move {
            tracing::info!(order = %order_id, %callback_id, "waiting for the courier");
            Ok::<_, Error>(())
        })
        .await?;
    Ok(format!("order {} ({cents} cents) {pickup}", order.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_fn::durable::testing::{Completion, Outcome, TestRunner};

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

    #[tokio::test(flavor = "current_thread")]
    async fn checkout_compares_the_quote_with_what_was_charged() {
        let order = || Order {
            id: "o-3".to_owned(),
            quantity: 2,
        };
        let receipt = serde_json::json!({"order": "o-3", "reservation": "r-3", "charged_cents": 500});
        let run = TestRunner::new()
            .function("orders.price", Completion::Succeeds(serde_json::json!(500)))
            .function("orders.flow", Completion::Succeeds(receipt))
            .run(order(), checkout)
            .await;
        assert_eq!(
            run.outcome,
            Outcome::Succeeded(serde_json::json!("order o-3 checked out: r-3 (500 cents)"))
        );
        let overcharged = serde_json::json!({"order": "o-3", "reservation": "r-3", "charged_cents": 900});
        let run = TestRunner::new()
            .function("orders.price", Completion::Succeeds(serde_json::json!(500)))
            .function("orders.flow", Completion::Succeeds(overcharged))
            .run(order(), checkout)
            .await;
        assert!(
            matches!(&run.outcome, Outcome::Failed { error_type, .. } if error_type == "PriceChanged"),
            "{:?}",
            run.outcome
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn shipping_waits_for_the_packing_then_for_the_courier() {
        let order = Order {
            id: "o-6".to_owned(),
            quantity: 1,
        };
        let run = TestRunner::new()
            .function("orders.price", Completion::Succeeds(serde_json::json!(250)))
            .callback(
                "courier callback",
                Completion::Succeeds(serde_json::json!("picked up at 9:00")),
            )
            .run(order, ship)
            .await;
        assert_eq!(
            run.outcome,
            Outcome::Succeeded(serde_json::json!("order o-6 (250 cents) picked up at 9:00"))
        );
        assert!(
            run.invocations >= 3,
            "the price, the wait and the callback each suspend it"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_refused_order_is_released_and_an_approved_one_charged() {
        let order = || Order {
            id: "o-2".to_owned(),
            quantity: 4,
        };
        let answer = |approved| Completion::Succeeds(serde_json::json!({"approved": approved, "by": "kim"}));
        let refused = TestRunner::new()
            .callback("approval callback", answer(false))
            .run(order(), approve)
            .await;
        assert_eq!(
            refused.outcome,
            Outcome::Succeeded(serde_json::json!("released reservation-of-o-2: refused by kim"))
        );
        let approved = TestRunner::new()
            .callback("approval callback", answer(true))
            .run(order(), approve)
            .await;
        assert_eq!(
            approved.outcome,
            Outcome::Succeeded(serde_json::json!(
                "reservation-of-o-2: 1000 cents charged, approved by kim"
            ))
        );
    }
}
