//! The invoke suite (`5-*`): other functions called by the service on the workflow's behalf, their
//! results checkpointed. The functions they call are durable handlers of this binary too (the local
//! service runs each call as an execution of its own): [`echo()`], [`fail()`] and [`length()`], named by
//! `CONFORMANCE_<ECHO|FAIL|LENGTH>_FUNCTION` where they are deployed under other names.
//!
//! Each target first waits a second, as a real function's work takes time: the suite expects the caller's
//! invocation to end (`PENDING`) before the call's outcome is recorded, and the local service orders its
//! history by time, so a target that answered at once could race the caller's own answer.

use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::{DurableContext, InvokeConfig, Serdes};
use serde::Deserialize;
use serde_json::{Value, json};

/// The name of the target function `kind` (`echo`, `fail`, `length`).
fn target(kind: &str) -> String {
    std::env::var(format!("CONFORMANCE_{}_FUNCTION", kind.to_uppercase()))
        .unwrap_or_else(|_| format!("conformance.{kind}"))
}

/// The target that returns its input.
#[lambda_fn::handler("conformance.echo", durable)]
pub async fn echo(input: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait("working", Duration::from_secs(1)).await?;
    Ok(input)
}

/// The target that fails.
#[lambda_fn::handler("conformance.fail", durable)]
pub async fn fail(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait("working", Duration::from_secs(1)).await?;
    Err(Error::new("TargetError", "target failed"))
}

/// The target that says how long its input (a string) is.
#[lambda_fn::handler("conformance.length", durable)]
pub async fn length(input: String, ctx: DurableContext) -> Result<Value, Error> {
    ctx.wait("working", Duration::from_secs(1)).await?;
    Ok(json!({ "received": input.len() }))
}

/// 5-1: the input echoed by another function.
#[lambda_fn::handler("conformance.5-1", durable)]
pub async fn invoke_basic(input: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.invoke("", &target("echo"), &input).await
}

/// The input of 5-2.
#[derive(Debug, Deserialize)]
pub struct Named {
    name: String,
    payload: Value,
}

/// 5-2: a named invoke.
#[lambda_fn::handler("conformance.5-2", durable)]
pub async fn invoke_named(input: Named, ctx: DurableContext) -> Result<Value, Error> {
    ctx.invoke(&input.name, &target("echo"), &input.payload).await
}

/// 5-3: a nested object echoed.
#[lambda_fn::handler("conformance.5-3", durable)]
pub async fn invoke_object(input: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.invoke("object", &target("echo"), &input).await
}

/// 5-4: `null` echoed.
#[lambda_fn::handler("conformance.5-4", durable)]
pub async fn invoke_null(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.invoke("nothing", &target("echo"), &Value::Null).await
}

/// 5-5: the invoked function fails, and with it the execution.
#[lambda_fn::handler("conformance.5-5", durable)]
pub async fn invoke_fails(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.invoke("failing", &target("fail"), &Value::Null).await
}

/// 5-6: the invoked function's failure caught.
#[lambda_fn::handler("conformance.5-6", durable)]
pub async fn invoke_failure_caught(_: Value, ctx: DurableContext) -> Result<String, Error> {
    match ctx.invoke::<_, Value>("failing", &target("fail"), &Value::Null).await {
        Ok(value) => Ok(format!("unexpectedly succeeded with {value}")),
        Err(error) => Ok(format!("fallback after: {}", error.message())),
    }
}

/// 5-7: an input of 900,000 characters, near the 1 MiB limit of an invoke's payload.
#[lambda_fn::handler("conformance.5-7", durable)]
pub async fn invoke_large(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.invoke("large", &target("length"), &"x".repeat(900_000)).await
}

/// The input of 5-8.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForTenant {
    tenant_id: String,
    payload: Value,
}

/// 5-8: an invoke for a tenant.
#[lambda_fn::handler("conformance.5-8", durable)]
pub async fn invoke_for_tenant(input: ForTenant, ctx: DurableContext) -> Result<Value, Error> {
    let config = InvokeConfig::new().tenant_id(input.tenant_id);
    ctx.invoke_with("tenant", &target("echo"), &input.payload, config).await
}

/// 5-9: an invoke, then a wait; the replay reads the recorded result.
#[lambda_fn::handler("conformance.5-9", durable)]
pub async fn invoke_then_wait(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let result: Value = ctx.invoke("echo", &target("echo"), &json!("cached")).await?;
    ctx.wait("pause", Duration::from_secs(1)).await?;
    Ok(result)
}

/// 5-10: a failed invoke caught, then a wait; the replay returns the recorded error again.
#[lambda_fn::handler("conformance.5-10", durable)]
pub async fn invoke_failure_then_wait(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let caught = match ctx.invoke::<_, Value>("failing", &target("fail"), &Value::Null).await {
        Ok(value) => format!("unexpectedly succeeded with {value}"),
        Err(error) => error.message().to_owned(),
    };
    ctx.wait("pause", Duration::from_secs(1)).await?;
    Ok(caught)
}

/// 5-11: a step, then an invoke of its result.
#[lambda_fn::handler("conformance.5-11", durable)]
pub async fn step_then_invoke(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let computed: String = ctx
        .step("compute", || async { Ok::<_, Error>("from the step".to_owned()) })
        .await?;
    ctx.invoke("echo", &target("echo"), &computed).await
}

/// 5-12: an invoke, then a step with its result.
#[lambda_fn::handler("conformance.5-12", durable)]
pub async fn invoke_then_step(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let result: Value = ctx.invoke("echo", &target("echo"), &json!("for the step")).await?;
    ctx.step("use", || async move { Ok::<_, Error>(result) }).await
}

/// 5-13: an invoke inside a child context.
#[lambda_fn::handler("conformance.5-13", durable)]
pub async fn invoke_in_child(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.child_context("calling", |child| async move {
        child
            .invoke::<_, Value>("echo", &target("echo"), &json!("from the child"))
            .await
    })
    .await
}

/// 5-14: two invokes one after the other.
#[lambda_fn::handler("conformance.5-14", durable)]
pub async fn invokes_in_sequence(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let first: Value = ctx.invoke("first", &target("echo"), &json!("one")).await?;
    let second: Value = ctx.invoke("second", &target("echo"), &json!("two")).await?;
    Ok(json!([first, second]))
}

/// 5-15's writing of the input: JSON in capitals.
pub struct ShoutedJson;

impl Serdes<Value> for ShoutedJson {
    fn serialize(&self, value: &Value) -> Result<String, Error> {
        Ok(value.to_string().to_uppercase())
    }

    fn deserialize(&self, data: &str) -> Result<Value, Error> {
        Ok(serde_json::from_str(data)?)
    }
}

/// 5-15: the input written by its own serialization.
#[lambda_fn::handler("conformance.5-15", durable)]
pub async fn invoke_payload_serdes(input: Value, ctx: DurableContext) -> Result<Value, Error> {
    let config = InvokeConfig::new().payload_serdes(ShoutedJson);
    ctx.invoke_with("shouted", &target("echo"), &input, config).await
}

/// 5-16's reading of the result: the text as it came, in capitals (quotes and all).
pub struct ShoutedText;

impl Serdes<String> for ShoutedText {
    fn serialize(&self, value: &String) -> Result<String, Error> {
        Ok(value.clone())
    }

    fn deserialize(&self, data: &str) -> Result<String, Error> {
        Ok(data.to_uppercase())
    }
}

/// 5-16: the result read by its own serialization.
#[lambda_fn::handler("conformance.5-16", durable)]
pub async fn invoke_result_serdes(input: String, ctx: DurableContext) -> Result<String, Error> {
    let config = InvokeConfig::new().result_serdes(ShoutedText);
    ctx.invoke_with::<String, String, _, _>("shouted", &target("echo"), &input, config)
        .await
}
