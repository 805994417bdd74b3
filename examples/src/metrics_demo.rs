//! `metrics.demo`: records a counter and a timer, with a dimension, on every invocation; the runtime
//! writes them as CloudWatch EMF lines on stdout when the handler returns. Event: `{"items": n,
//! "channel": "web"}` (both optional).

use lambda_fn::handler;
use lambda_fn::metrics::{Metrics, Unit};
use serde::Deserialize;
use serde_json::{Value, json};

/// The event.
#[derive(Debug, Deserialize)]
pub struct Order {
    /// How many items the order has (default 1).
    #[serde(default = "one")]
    pub items: u32,
    /// Where it came from: the `channel` dimension (default `web`).
    #[serde(default = "web")]
    pub channel: String,
}

fn one() -> u32 {
    1
}

fn web() -> String {
    "web".to_owned()
}

/// Counts the order and its items, and times the (pretend) pricing.
#[handler(
    "metrics.demo",
    env = "LAMBDA_RT_METRICS_NAMESPACE=Examples",
    env = "LAMBDA_RT_METRICS_COLD_START=1",
    reserved_concurrency = 2
)]
pub async fn record(order: Order, metrics: Metrics) -> Value {
    metrics.dimension("channel", &order.channel);
    let pricing = metrics.timer("PricingTime");
    let total = u64::from(order.items) * 250;
    pricing.stop();
    metrics.count("Orders", 1.0);
    metrics.record("Items", f64::from(order.items), Unit::Count);
    json!({ "total_cents": total })
}
