//! The accepted forms of a batch handler compile and register as reporting batch item failures.
use lambda_fn::batch::{DynamoDbRecord, KinesisRecord, SqsRecord};
use lambda_fn::{Context, Error, State, handler};

struct Db;

#[lambda_fn::init]
fn db() -> Db {
    Db
}

#[handler("pass.sqs", batch)]
async fn sqs(order: SqsRecord<serde_json::Value>, _ctx: Context, _db: State<Db>) -> Result<(), Error> {
    let _ = (&order.message_id, order.message()?.receipt_handle);
    Ok(())
}

#[handler("pass.kinesis", batch(concurrency = 4, margin_ms = 1000))]
async fn kinesis(_record: KinesisRecord<serde_json::Value>) {}

#[handler("pass.ddb", batch)]
fn ddb(_change: DynamoDbRecord<serde_json::Value>) -> Result<(), std::io::Error> {
    Ok(())
}

fn main() {
    for name in ["pass.sqs", "pass.kinesis", "pass.ddb"] {
        assert!(lambda_fn::registered_handlers().contains(&name), "{name}");
    }
    lambda_fn::check_registrations().expect("valid registrations");
}
