//! `orders.sqs`, `orders.kinesis`, `orders.ddb`: one function per order, whatever brings the orders
//! (an SQS queue, standard or FIFO; a Kinesis stream; the DynamoDB stream of an orders table). The
//! runtime runs the batch loop and reports the records that failed (`lambda_fn::batch`).
//!
//! An order whose quantity is 0 or less fails with `InvalidQuantity`; a body that is not an order fails
//! with `Runtime.UnmarshalError`. An order whose id is `panic` panics, to show that a panic fails its
//! record only.

use lambda_fn::batch::{DynamoDbRecord, KinesisRecord, SqsRecord};
use lambda_fn::{Context, Error, handler};
use serde::Deserialize;

/// One order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Order {
    /// The order's id.
    pub id: String,
    /// How many items; must be positive.
    pub quantity: i64,
}

/// The rules every source applies to an order.
pub fn check(order: &Order) -> Result<(), Error> {
    if order.id == "panic" {
        panic!("asked to panic by order `panic`");
    }
    if order.quantity <= 0 {
        return Err(Error::new(
            "InvalidQuantity",
            format!(
                "order {} has quantity {}; it must be at least 1",
                order.id, order.quantity
            ),
        ));
    }
    Ok(())
}

/// An order from SQS.
#[handler("orders.sqs", batch, sqs = "BatchOrdersQueue", timeout = 10)]
pub async fn from_sqs(order: SqsRecord<Order>, ctx: Context) -> Result<(), Error> {
    tracing::info!(
        message_id = %order.message_id,
        group = order.message_group_id.as_deref().unwrap_or("-"),
        request = %ctx.request_id,
        "order {}",
        order.id
    );
    check(&order)
}

/// An order from a Kinesis stream (JSON in the record's data).
#[handler("orders.kinesis", batch, kinesis = "OrdersStream")]
pub async fn from_kinesis(order: KinesisRecord<Order>) -> Result<(), Error> {
    check(&order)
}

/// An order written to the orders table: its new image (nothing to check for a removed order).
#[handler("orders.ddb", batch, dynamodb = "OrdersTable")]
pub async fn from_dynamodb(change: DynamoDbRecord<Order>) -> Result<(), Error> {
    match &change.new_image {
        Some(order) => check(order),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules() {
        let order = |quantity| Order {
            id: "o-1".to_owned(),
            quantity,
        };
        assert!(check(&order(1)).is_ok());
        let error = check(&order(0)).unwrap_err();
        assert_eq!(error.error_type(), "InvalidQuantity");
        assert!(error.message().contains("o-1"), "{}", error.message());
    }

    #[tokio::test]
    async fn a_handler_is_a_plain_function_of_one_record() {
        let order = Order {
            id: "o-2".to_owned(),
            quantity: -1,
        };
        let record = SqsRecord::for_test(order, &Default::default());
        let error = from_sqs(record, Context::for_test()).await.unwrap_err();
        assert_eq!(error.error_type(), "InvalidQuantity");
    }
}
