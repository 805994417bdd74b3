use lambda_fn::handler;
use serde_json::Value;

#[handler("rule.flat", eventbridge = r#"{"source": "aws.s3"}"#)]
fn flat(_event: Value) {}

#[handler("rule.compare", eventbridge = r#"{"detail": {"key": [{"starts-with": "a/"}]}}"#)]
fn compare(_event: Value) {}

#[handler("rule.json", eventbridge = "{source: [aws.s3]}")]
fn not_json(_event: Value) {}

#[handler("rule.bus", eventbridge(pattern = r#"{"source": ["a"]}"#, bus = "no spaces allowed"))]
fn bus(_event: Value) {}

#[handler("alb.path", alb(listener = "Listener"))]
fn alb_without_path(_event: Value) {}

#[handler("alb.bare", alb)]
fn alb_bare(_event: Value) {}

#[handler("alb.priority", alb(listener = "Listener", path = "/x", priority = 0))]
fn alb_priority(_event: Value) {}

#[handler("alb.listener", alb(listener = "my-listener", path = "x y", priority = 1))]
fn alb_listener(_event: Value) {}

#[handler("sqs.big", sqs(queue = "Orders", batch_size = 100))]
fn big_batch(_event: Value) {}

#[handler("sqs.window", sqs(queue = "Orders", window = 301, size = 3))]
fn window(_event: Value) {}

#[handler("arch", architecture = "aarch64")]
fn arch(_event: Value) {}

#[handler("api.plain", api = "rest")]
fn api_on_a_plain_handler(_event: Value) {}

#[handler("api.soap", route = "GET /x", api = "soap")]
fn api_soap() -> &'static str {
    "x"
}

#[handler("routes.sqs", route = "GET /orders", sqs = "Orders", schedule = "rate(1 day)", url)]
fn routes_with_a_queue() -> &'static str {
    "[]"
}


#[handler("routes.stream", route = "GET /s", url(streaming))]
fn a_streamed_url_on_routes() -> &'static str {
    "s"
}

#[handler("alb.relative", alb(listener = "Listener", path = "orders", priority = 2))]
fn alb_relative(_event: Value) {}

fn main() {}
