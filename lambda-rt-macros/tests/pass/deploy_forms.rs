//! Settings and triggers that compile, and what the manifest's registration holds.

use lambda_rt::batch::SqsRecord;
use lambda_rt::handler;

#[handler("orders.sqs", batch, sqs = "OrdersQueue", memory = 256, timeout = 30)]
async fn orders(_order: SqsRecord<u32>) {}

#[handler("raw.sqs", sqs = "arn:aws:sqs:eu-west-3:123456789012:existing")]
async fn raw(_event: lambda_rt::RawEvent) {}

#[handler("files", s3 = "Uploads", sns = "Events", env = "TABLE=files", env = "MODE=a=b", reserved_concurrency = 0)]
async fn files(_event: serde_json::Value) {}

#[handler("tick", schedule = "cron(0/15 * ? * MON-FRI *)", url)]
async fn tick(_event: serde_json::Value) {}

fn main() {
    lambda_rt::check_registrations().unwrap();
}
