//! The durable-function benchmark's lambda-rt `bootstrap`: the workflows of `bench/durable-peer` as
//! `#[handler(.., durable)]` functions.
//!
//! `_HANDLER` picks the workflow, the same on both runtimes:
//! - `one`: one step, `step-1`, returning 1; the workflow answers 1. Its first invocation runs the step and
//!   checkpoints it (the exec -> first checkpoint figure);
//! - `replay10`, `replay100`, `replay1000`: N steps `step-1` ... `step-N` in sequence, step i returning i;
//!   the workflow answers N. Invoked with a history where all N are done, each step returns its recorded
//!   result without running (the per-invocation replay figures).

use lambda_fn::durable::DurableContext;
use lambda_fn::{Error, handler};
use serde_json::Value;

/// Runs `n` sequential steps, step i returning i, and answers how many ran or were replayed.
async fn steps(n: u64, ctx: &DurableContext) -> Result<u64, Error> {
    let mut done = 0;
    for i in 1..=n {
        let value: u64 = ctx
            .step(&format!("step-{i}"), || async move { Ok::<_, Error>(i) })
            .await?;
        // A history that does not hold step i's own result would give a wrong count: the loadserver's
        // check of the answer catches it.
        done += u64::from(value == i);
    }
    Ok(done)
}

#[handler("one", durable)]
async fn one(_input: Value, ctx: DurableContext) -> Result<u64, Error> {
    steps(1, &ctx).await
}

#[handler("replay10", durable)]
async fn replay10(_input: Value, ctx: DurableContext) -> Result<u64, Error> {
    steps(10, &ctx).await
}

#[handler("replay100", durable)]
async fn replay100(_input: Value, ctx: DurableContext) -> Result<u64, Error> {
    steps(100, &ctx).await
}

#[handler("replay1000", durable)]
async fn replay1000(_input: Value, ctx: DurableContext) -> Result<u64, Error> {
    steps(1000, &ctx).await
}

fn main() {
    lambda_fn::run()
}
