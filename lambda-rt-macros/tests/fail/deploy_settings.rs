use lambda_fn::handler;

#[handler("a", memory = 64)]
async fn too_little(_event: serde_json::Value) {}

#[handler("b", timeout = 3600)]
async fn too_long(_event: serde_json::Value) {}

#[handler("c", schedule = "rate(5 minute)")]
async fn bad_rate(_event: serde_json::Value) {}

#[handler("d", schedule = "cron(0 12 * * MON *)")]
async fn bad_cron(_event: serde_json::Value) {}

#[handler("e", sqs = "orders-queue")]
async fn bad_queue(_event: serde_json::Value) {}

#[handler("f", url = true)]
async fn url_value(_event: serde_json::Value) {}

#[handler("h", env = "AWS_REGION=x", env = "no value", reserved_concurrency = -1)]
async fn bad_env(_event: serde_json::Value) {}

#[handler("i", s3 = "uploads-bucket", sns = "arn:aws:sqs:x:1:q")]
async fn bad_sources(_event: serde_json::Value) {}

#[handler("j", kinesis = "orders-stream")]
async fn bad_stream(_event: serde_json::Value) {}

fn main() {}
