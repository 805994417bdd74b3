use lambda_fn_events::alb::AlbTargetGroupRequest;
use lambda_fn_events::s3::S3Event;
use lambda_fn::batch::SqsRecord;
use lambda_fn::handler;

/// A user's own event type.
#[derive(serde::Deserialize)]
struct Order {
    _id: String,
}

#[handler("alb.s3", s3 = "Uploads")]
fn s3_on_alb_requests(_event: AlbTargetGroupRequest) {}

#[handler("s3.url", url)]
fn url_on_s3_events(_event: S3Event) {}

#[handler("order.schedule", schedule = "rate(1 hour)")]
fn schedule_on_orders(_event: Order) {}

#[handler("records.kinesis", batch, kinesis = "Stream")]
async fn sqs_records_from_kinesis(_order: SqsRecord<u32>) {}

fn main() {}
