//! The wait suite (`2-*`): waits checkpointed with their duration in seconds, and resumed.

use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::DurableContext;
use serde_json::{Value, json};

/// 2-1: one wait of 2 s.
#[lambda_fn::handler("conformance.2-1", durable)]
pub async fn wait_basic(_: Value, ctx: DurableContext) -> Result<(), Error> {
    ctx.wait("", Duration::from_secs(2)).await
}

/// 2-2: a named wait of 2 s.
#[lambda_fn::handler("conformance.2-2", durable)]
pub async fn wait_named(_: Value, ctx: DurableContext) -> Result<(), Error> {
    ctx.wait("custom_wait_name", Duration::from_secs(2)).await
}

/// 2-3: two waits one after the other, each suspending the execution.
#[lambda_fn::handler("conformance.2-3", durable)]
pub async fn sequential_waits(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait("wait-1", Duration::from_secs(2)).await?;
    ctx.wait("wait-2", Duration::from_secs(2)).await?;
    Ok(json!({"completedWaits": 2}))
}

/// 2-4: a wait of a minute, checkpointed as 60 s.
#[lambda_fn::handler("conformance.2-4", durable)]
pub async fn wait_minutes(_: Value, ctx: DurableContext) -> Result<(), Error> {
    ctx.wait("", Duration::from_secs(60)).await
}

/// 2-5: a wait of an hour, checkpointed as 3600 s.
#[lambda_fn::handler("conformance.2-5", durable)]
pub async fn wait_hours(_: Value, ctx: DurableContext) -> Result<(), Error> {
    ctx.wait("", Duration::from_secs(3600)).await
}
