//! The wait_for_condition suite (`6-*`): a check run again and again, its state checkpointed between
//! runs, until the condition is met.

use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::{DurableContext, Jitter, Serdes, WaitForConditionConfig};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Checks `until` a threshold, one second apart (the suite does not check these delays but 6-5's).
fn until_at_least(threshold: u64) -> WaitForConditionConfig<u64> {
    WaitForConditionConfig::until(move |state: &u64| *state >= threshold)
        .delay(Duration::from_secs(1))
        .backoff(1.0)
        .jitter(Jitter::None)
}

/// A check that adds one to the state.
async fn increment(state: u64, _attempt: u32) -> Result<u64, Error> {
    Ok(state + 1)
}

/// 6-1: a counter from 0, incremented by each check, until it reaches the input.
#[lambda_fn::handler("conformance.6-1", durable)]
pub async fn condition_basic(threshold: u64, ctx: DurableContext) -> Result<u64, Error> {
    ctx.wait_for_condition("", 0, until_at_least(threshold), increment)
        .await
}

/// 6-2: a condition met by the first check: no suspension.
#[lambda_fn::handler("conformance.6-2", durable)]
pub async fn condition_met_at_once(threshold: u64, ctx: DurableContext) -> Result<u64, Error> {
    ctx.wait_for_condition("", 5, until_at_least(threshold), |state, _| async move {
        Ok::<_, Error>(state)
    })
    .await
}

/// 6-3: a named condition.
#[lambda_fn::handler("conformance.6-3", durable)]
pub async fn condition_named(threshold: u64, ctx: DurableContext) -> Result<u64, Error> {
    ctx.wait_for_condition("poll-status", 0, until_at_least(threshold), increment)
        .await
}

/// 6-4: a condition from an initial state of 5.
#[lambda_fn::handler("conformance.6-4", durable)]
pub async fn condition_initial_state(threshold: u64, ctx: DurableContext) -> Result<u64, Error> {
    ctx.wait_for_condition("", 5, until_at_least(threshold), increment)
        .await
}

/// 6-5: a fixed delay of 2 s between checks.
#[lambda_fn::handler("conformance.6-5", durable)]
pub async fn condition_fixed_delay(threshold: u64, ctx: DurableContext) -> Result<u64, Error> {
    let config = until_at_least(threshold).delay(Duration::from_secs(2));
    ctx.wait_for_condition("", 0, config, increment).await
}

/// 6-6: a condition never met, at most 3 checks: the execution fails.
#[lambda_fn::handler("conformance.6-6", durable)]
pub async fn condition_exhausted(_: Value, ctx: DurableContext) -> Result<u64, Error> {
    let config = WaitForConditionConfig::until(|_: &u64| false)
        .delay(Duration::from_secs(1))
        .backoff(1.0)
        .jitter(Jitter::None)
        .max_attempts(3);
    ctx.wait_for_condition("", 0, config, increment).await
}

/// A check that fails on its first run.
async fn failing_check(_: u64, _: u32) -> Result<u64, Error> {
    Err(Error::new("CheckError", "the check fails"))
}

/// 6-7: a check that fails: the operation and the execution fail.
#[lambda_fn::handler("conformance.6-7", durable)]
pub async fn condition_check_fails(_: Value, ctx: DurableContext) -> Result<u64, Error> {
    ctx.wait_for_condition("", 0, until_at_least(1), failing_check).await
}

/// 6-8: a check that fails, caught: the workflow returns `recovered`.
#[lambda_fn::handler("conformance.6-8", durable)]
pub async fn condition_check_failure_caught(_: Value, ctx: DurableContext) -> Result<String, Error> {
    match ctx.wait_for_condition("", 0, until_at_least(1), failing_check).await {
        Ok(state) => Ok(format!("unexpectedly met at {state}")),
        Err(_) => Ok("recovered".to_owned()),
    }
}

/// 6-9's state: an object.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    status: String,
    attempts: u32,
}

/// 6-9: a structured state, DONE after two checks.
#[lambda_fn::handler("conformance.6-9", durable)]
pub async fn condition_object_state(_: Value, ctx: DurableContext) -> Result<Job, Error> {
    let config = WaitForConditionConfig::until(|job: &Job| job.status != "PENDING")
        .delay(Duration::from_secs(1))
        .jitter(Jitter::None);
    let initial = Job {
        status: "PENDING".to_owned(),
        attempts: 0,
    };
    ctx.wait_for_condition("", initial, config, |job, _| async move {
        let attempts = job.attempts + 1;
        let status = if attempts >= 2 { "DONE" } else { "PENDING" };
        Ok::<_, Error>(Job {
            status: status.to_owned(),
            attempts,
        })
    })
    .await
}

/// 6-10: a check that returns `null`, which meets the condition.
#[lambda_fn::handler("conformance.6-10", durable)]
pub async fn condition_null_state(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let config = WaitForConditionConfig::until(|_: &Value| true);
    ctx.wait_for_condition("", Value::Null, config, |_, _| async { Ok::<_, Error>(Value::Null) })
        .await
}

/// 6-11's serialization of the state: `enc:` before the text.
pub struct Prefixed;

impl Serdes<String> for Prefixed {
    fn serialize(&self, value: &String) -> Result<String, Error> {
        Ok(format!("enc:{value}"))
    }

    fn deserialize(&self, data: &str) -> Result<String, Error> {
        data.strip_prefix("enc:")
            .map(str::to_owned)
            .ok_or_else(|| Error::new("Decode", format!("not written by this serdes: {data}")))
    }
}

/// 6-11: a string state written by its own serialization, one character more per check.
#[lambda_fn::handler("conformance.6-11", durable)]
pub async fn condition_custom_serdes(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let config = WaitForConditionConfig::until(|state: &String| state.len() >= 2)
        .delay(Duration::from_secs(1))
        .jitter(Jitter::None)
        .serdes(Prefixed);
    ctx.wait_for_condition("", String::new(), config, |state, _| async move {
        Ok::<_, Error>(state + "x")
    })
    .await
}

/// 6-12: a condition's final state fed into a step.
#[lambda_fn::handler("conformance.6-12", durable)]
pub async fn condition_then_step(threshold: u64, ctx: DurableContext) -> Result<u64, Error> {
    let reached = ctx
        .wait_for_condition("", 0, until_at_least(threshold), increment)
        .await?;
    ctx.step("times ten", || async move { Ok::<_, Error>(reached * 10) })
        .await
}

/// 6-13: two conditions, the first's result seeding the second.
#[lambda_fn::handler("conformance.6-13", durable)]
pub async fn conditions_in_sequence(_: Value, ctx: DurableContext) -> Result<u64, Error> {
    let first = ctx.wait_for_condition("", 0, until_at_least(2), increment).await?;
    ctx.wait_for_condition("", first, until_at_least(4), increment).await
}
