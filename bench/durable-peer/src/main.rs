//! The durable-function benchmark's peer `bootstrap`: the workflows of `bench/durable-ours` on AWS's
//! durable execution SDK for Rust (`aws-durable-execution-sdk` on crates.io, on `lambda_runtime`), written
//! as its README writes a durable function.
//!
//! `_HANDLER` picks the workflow: `one` (one step) or `replay<N>` (N sequential steps), as in
//! bench/durable-ours; step i is named `step-<i>` and returns i, and the workflow answers the count.

use aws_durable_execution_sdk as durable;
use serde_json::Value;

/// Runs `n` sequential steps, step i returning i, and answers how many ran or were replayed.
async fn steps(n: u64, ctx: durable::DurableContext) -> Result<u64, durable::BoxError> {
    let mut done = 0;
    for i in 1..=n {
        let value = ctx
            .step(move |_| async move { Ok(i) })
            .name(format!("step-{i}"))
            .await?;
        done += u64::from(value == i);
    }
    Ok(done)
}

/// The number of steps `_HANDLER` asks for: 1 for `one`, N for `replayN`.
fn steps_of(handler: &str) -> Option<u64> {
    match handler {
        "one" => Some(1),
        _ => handler.strip_prefix("replay")?.parse().ok(),
    }
}

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let handler = std::env::var("_HANDLER").unwrap_or_default();
    let n = steps_of(&handler)
        .ok_or_else(|| format!("_HANDLER {handler:?}: expected `one` or `replay<N>` (e.g. replay100)"))?;
    lambda_runtime::tracing::init_default_subscriber();
    durable::run(move |_input: Value, ctx: durable::DurableContext| steps(n, ctx)).await
}
