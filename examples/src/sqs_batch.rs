//! `sqs.batch`: an SQS-triggered function that reports partial batch failures, so only the messages
//! that failed return to the queue (the event source mapping needs `ReportBatchItemFailures`).

use lambda_fn::{Context, handler};
use lambda_fn_events::sqs::{SqsBatchResponse, SqsEvent};
use serde::Deserialize;

/// The message body this function expects.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The order.
    pub order_id: String,
    /// Its amount in cents; must be positive.
    pub amount_cents: i64,
}

/// Processes every message; reports the ids of those that are not valid orders.
#[handler("sqs.batch", sqs = "OrdersQueue", timeout = 10)]
pub async fn process(event: SqsEvent, _ctx: Context) -> SqsBatchResponse {
    let failed = event.records.iter().filter(|message| {
        !matches!(message.body_json::<Order>(), Ok(order) if order.amount_cents > 0 && !order.order_id.is_empty())
    });
    SqsBatchResponse::from_failed_ids(failed.map(|message| message.message_id.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reports_only_the_bad_messages() {
        let event: SqsEvent =
            serde_json::from_str(include_str!("../events/sqs.json")).expect("the example event decodes");
        let response = process(event, Context::for_test()).await;
        let failed: Vec<_> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(
            failed,
            [
                "7a1c2d3e-0002-4b5c-9d8e-000000000002",
                "7a1c2d3e-0003-4b5c-9d8e-000000000003"
            ]
        );
    }
}
