//! The wait_for_callback suite (`7-*`): a callback created, its id handed to a submitter step, and its
//! result awaited, as one child context.

use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::{CallbackConfig, DurableContext, Jitter, Retry};
use serde_json::Value;

/// A submitter that does nothing durable with the id (the suite's validator completes the callback).
async fn hand_over(_callback_id: String) -> Result<(), Error> {
    Ok(())
}

/// 7-1: an operation named by the input.
#[lambda_fn::handler("conformance.7-1", durable)]
pub async fn wait_for_callback_basic(name: String, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait_for_callback(&name, CallbackConfig::new(), hand_over).await
}

/// 7-2: an operation named `approval`.
#[lambda_fn::handler("conformance.7-2", durable)]
pub async fn wait_for_callback_named(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait_for_callback("approval", CallbackConfig::new(), hand_over)
        .await
}

/// 7-3: an operation with no name, only a submitter.
#[lambda_fn::handler("conformance.7-3", durable)]
pub async fn wait_for_callback_unnamed(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait_for_callback("", CallbackConfig::new(), |_id| async { Ok::<_, Error>(()) })
        .await
}

/// 7-4: the other system fails the callback: the execution fails.
#[lambda_fn::handler("conformance.7-4", durable)]
pub async fn wait_for_callback_fails(name: String, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait_for_callback(&name, CallbackConfig::new(), hand_over).await
}

/// 7-5: nobody completes the callback within its 3 s: the execution fails.
#[lambda_fn::handler("conformance.7-5", durable)]
pub async fn wait_for_callback_times_out(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let config = CallbackConfig::new().timeout(Duration::from_secs(3));
    ctx.wait_for_callback(&name, config, hand_over).await
}

/// 7-6: the callback's failure caught: the workflow returns `recovered`.
#[lambda_fn::handler("conformance.7-6", durable)]
pub async fn wait_for_callback_failure_caught(name: String, ctx: DurableContext) -> Result<String, Error> {
    match ctx
        .wait_for_callback::<Value, _, _, _>(&name, CallbackConfig::new(), hand_over)
        .await
    {
        Ok(value) => Ok(format!("unexpectedly completed with {value}")),
        Err(_) => Ok("recovered".to_owned()),
    }
}

/// 7-7: a submitter that always fails, 2 attempts 1 s apart: the execution fails.
#[lambda_fn::handler("conformance.7-7", durable)]
pub async fn wait_for_callback_submitter_fails(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let retry = Retry::attempts(2).delay(Duration::from_secs(1)).jitter(Jitter::None);
    ctx.wait_for_callback(&name, CallbackConfig::new().submitter_retry(retry), |_id| async {
        Err::<(), _>(Error::new("SubmitError", "the submitter cannot reach the other system"))
    })
    .await
}

/// 7-8: the operation inside a child context named `wrapper`.
#[lambda_fn::handler("conformance.7-8", durable)]
pub async fn wait_for_callback_in_child(name: String, ctx: DurableContext) -> Result<Value, Error> {
    ctx.child_context("wrapper", |child| async move {
        child
            .wait_for_callback::<Value, _, _, _>(&name, CallbackConfig::new(), hand_over)
            .await
    })
    .await
}

/// 7-9: two operations one after the other.
#[lambda_fn::handler("conformance.7-9", durable)]
pub async fn wait_for_callbacks_in_sequence(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait_for_callback::<Value, _, _, _>("first", CallbackConfig::new(), hand_over)
        .await?;
    ctx.wait_for_callback("second", CallbackConfig::new(), hand_over).await
}

/// 7-10: a 1 s wait, a step, then the operation.
#[lambda_fn::handler("conformance.7-10", durable)]
pub async fn wait_step_then_wait_for_callback(name: String, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait("first", Duration::from_secs(1)).await?;
    ctx.step("fixed data", || async { Ok::<_, Error>("fixed".to_owned()) })
        .await?;
    ctx.wait_for_callback(&name, CallbackConfig::new(), hand_over).await
}

/// 7-11: the callback's JSON object read, and its `status` returned.
#[lambda_fn::handler("conformance.7-11", durable)]
pub async fn wait_for_callback_object(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let object: Value = ctx.wait_for_callback(&name, CallbackConfig::new(), hand_over).await?;
    Ok(object["status"].clone())
}

/// 7-12: a 5 s heartbeat timeout and no heartbeat: the execution fails.
#[lambda_fn::handler("conformance.7-12", durable)]
pub async fn wait_for_callback_heartbeat_times_out(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let config = CallbackConfig::new().heartbeat_timeout(Duration::from_secs(5));
    ctx.wait_for_callback(&name, config, hand_over).await
}

/// 7-13: a 10 s heartbeat timeout, a heartbeat, then the callback completed.
#[lambda_fn::handler("conformance.7-13", durable)]
pub async fn wait_for_callback_heartbeat_kept(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let config = CallbackConfig::new().heartbeat_timeout(Duration::from_secs(10));
    ctx.wait_for_callback(&name, config, hand_over).await
}

/// 7-14: the callback's 3 s timeout caught: the workflow returns `timed-out-handled`.
#[lambda_fn::handler("conformance.7-14", durable)]
pub async fn wait_for_callback_timeout_caught(name: String, ctx: DurableContext) -> Result<String, Error> {
    let config = CallbackConfig::new().timeout(Duration::from_secs(3));
    match ctx.wait_for_callback::<Value, _, _, _>(&name, config, hand_over).await {
        Ok(value) => Ok(format!("unexpectedly completed with {value}")),
        Err(_) => Ok("timed-out-handled".to_owned()),
    }
}

/// 7-15: the callback completed with no result: `null`.
#[lambda_fn::handler("conformance.7-15", durable)]
pub async fn wait_for_callback_no_result(name: String, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait_for_callback(&name, CallbackConfig::new(), hand_over).await
}
