//! The child context suite (`3-*`): operations grouped under a context of their own, its result
//! checkpointed as one, replayed without running again.

use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::{DurableContext, Jitter, Retry, Serdes};
use serde::Deserialize;
use serde_json::Value;

use crate::attempts;

/// 3-1: a child context with one step returning the input.
#[lambda_fn::handler("conformance.3-1", durable)]
pub async fn child_basic(input: String, ctx: DurableContext) -> Result<String, Error> {
    ctx.child_context("", |child| async move {
        child.step("echo", || async move { Ok::<_, Error>(input) }).await
    })
    .await
}

/// The input of 3-2: the child context's name, and the value its step returns.
#[derive(Debug, Deserialize)]
pub struct NamedInput {
    name: String,
    value: String,
}

/// 3-2: a child context named by the input.
#[lambda_fn::handler("conformance.3-2", durable)]
pub async fn child_named(input: NamedInput, ctx: DurableContext) -> Result<String, Error> {
    let NamedInput { name, value } = input;
    ctx.child_context(&name, |child| async move {
        child.step("value", || async move { Ok::<_, Error>(value) }).await
    })
    .await
}

/// 3-3: two steps in a child context, the second taking the first's result.
#[lambda_fn::handler("conformance.3-3", durable)]
pub async fn child_sequential_steps(input: String, ctx: DurableContext) -> Result<String, Error> {
    ctx.child_context("sequence", |child| async move {
        let first: String = child.step("first", || async move { Ok::<_, Error>(input) }).await?;
        child.step("second", || async move { Ok::<_, Error>(first) }).await
    })
    .await
}

/// 3-4: a step failing with no retry inside a child context: the context, and the execution, fail.
#[lambda_fn::handler("conformance.3-4", durable)]
pub async fn child_fails(_: Value, ctx: DurableContext) -> Result<String, Error> {
    ctx.child_context("failing", |child| async move {
        child
            .step_with("fail", Retry::none(), || async {
                Err::<String, _>(Error::new("StepError", "the step inside the child fails"))
            })
            .await
    })
    .await
}

/// 3-5: a child context's failure caught by the workflow, which recovers with a step.
#[lambda_fn::handler("conformance.3-5", durable)]
pub async fn child_failure_caught(input: String, ctx: DurableContext) -> Result<String, Error> {
    let failed = ctx
        .child_context("", |child| async move {
            child
                .step_with("fail", Retry::none(), || async {
                    Err::<String, _>(Error::new("StepError", "the step inside the child fails"))
                })
                .await
        })
        .await;
    if failed.is_ok() {
        return Err(Error::new("UnexpectedSuccess", "the failing child context succeeded"));
    }
    ctx.step("recover", || async move { Ok::<_, Error>(input) }).await
}

/// 3-6: a child context inside a child context, each with a step.
#[lambda_fn::handler("conformance.3-6", durable)]
pub async fn nested_children(input: String, ctx: DurableContext) -> Result<String, Error> {
    ctx.child_context("outer", |outer| async move {
        let value: String = outer
            .step("outer-step", || async move { Ok::<_, Error>(input) })
            .await?;
        outer
            .child_context("inner", |inner| async move {
                inner.step("inner-step", || async move { Ok::<_, Error>(value) }).await
            })
            .await
    })
    .await
}

/// 3-7: a step inside a child context that fails once and succeeds on its retry.
#[lambda_fn::handler("conformance.3-7", durable)]
pub async fn child_step_retried(input: String, ctx: DurableContext) -> Result<String, Error> {
    ctx.child_context("retrying", |child| async move {
        let retry = Retry::attempts(3).delay(Duration::from_secs(1)).jitter(Jitter::None);
        child
            .step_with("flaky", retry, || async move {
                match attempts::count("3-7") {
                    1 => Err(Error::new("TransientError", "the first attempt fails")),
                    _ => Ok(input),
                }
            })
            .await
    })
    .await
}

/// 3-8: a step inside a child context that fails both its attempts: the context fails.
#[lambda_fn::handler("conformance.3-8", durable)]
pub async fn child_step_exhausted(_: Value, ctx: DurableContext) -> Result<String, Error> {
    ctx.child_context("exhausting", |child| async move {
        let retry = Retry::attempts(2).delay(Duration::from_secs(1)).jitter(Jitter::None);
        child
            .step_with("always-fails", retry, || async {
                Err::<String, _>(Error::new("StepError", "every attempt fails"))
            })
            .await
    })
    .await
}

/// 3-9: a child context, then a wait; on replay the context's recorded result comes back.
#[lambda_fn::handler("conformance.3-9", durable)]
pub async fn child_replayed(input: String, ctx: DurableContext) -> Result<String, Error> {
    let value: String = ctx
        .child_context("", |child| async move {
            if attempts::count("3-9") > 1 {
                return Err(Error::new("ReplayError", "the child context ran again on replay"));
            }
            child.step("echo", || async move { Ok::<_, Error>(input) }).await
        })
        .await?;
    ctx.wait("pause", Duration::from_secs(1)).await?;
    Ok(value)
}

/// 3-10: a step and a wait inside a child context.
#[lambda_fn::handler("conformance.3-10", durable)]
pub async fn child_step_and_wait(input: String, ctx: DurableContext) -> Result<String, Error> {
    ctx.child_context("step-and-wait", |child| async move {
        let value: String = child.step("echo", || async move { Ok::<_, Error>(input) }).await?;
        child.wait("pause", Duration::from_secs(1)).await?;
        Ok::<_, Error>(value)
    })
    .await
}

/// 3-11: a child context whose result (over 256 KiB) is not recorded but rebuilt on replay; it logs the
/// input each time its body runs (the suite counts the lines in the function's log).
#[lambda_fn::handler("conformance.3-11", durable)]
pub async fn child_large_result(input: String, ctx: DurableContext) -> Result<usize, Error> {
    let large: String = ctx
        .child_context("large", |child| async move {
            // Written on every run of the body, replays included: the suite expects two lines.
            child.logger().every_run().info(&input);
            let unit: String = child.step("unit", || async { Ok::<_, Error>("x".to_owned()) }).await?;
            Ok::<_, Error>(unit.repeat(300 * 1024))
        })
        .await?;
    ctx.wait("pause", Duration::from_secs(1)).await?;
    Ok(large.len())
}

/// 3-13: a child context holding only a wait, then a step outside it.
#[lambda_fn::handler("conformance.3-13", durable)]
pub async fn child_wait_then_step(input: String, ctx: DurableContext) -> Result<String, Error> {
    let inner = input.clone();
    let value: String = ctx
        .child_context("waiting", |child| async move {
            child.wait("pause", Duration::from_secs(1)).await?;
            Ok::<_, Error>(inner)
        })
        .await?;
    ctx.step("after", || async move { Ok::<_, Error>(value) }).await
}

/// 3-14's serialization of the child context's result: the text in capitals, as it is (not JSON).
pub struct UppercaseText;

impl Serdes<String> for UppercaseText {
    fn serialize(&self, value: &String) -> Result<String, Error> {
        Ok(value.to_uppercase())
    }

    fn deserialize(&self, data: &str) -> Result<String, Error> {
        Ok(data.to_owned())
    }
}

/// 3-14: a child context whose result is written by its own serialization.
#[lambda_fn::handler("conformance.3-14", durable)]
pub async fn child_custom_serdes(input: String, ctx: DurableContext) -> Result<String, Error> {
    ctx.child_context_with("shouting", &UppercaseText, |child| async move {
        child.step("echo", || async move { Ok::<_, Error>(input) }).await
    })
    .await
}

/// 3-15: a child context whose body fails before any operation.
#[lambda_fn::handler("conformance.3-15", durable)]
pub async fn child_body_fails(_: Value, ctx: DurableContext) -> Result<String, Error> {
    ctx.child_context("failing-body", |_child| async {
        Err::<String, _>(Error::new("ChildError", "the child's body fails"))
    })
    .await
}

/// 3-16: a child context that returns `null` without any operation.
#[lambda_fn::handler("conformance.3-16", durable)]
pub async fn child_returns_null(_: Value, ctx: DurableContext) -> Result<(), Error> {
    ctx.child_context("nothing", |_child| async { Ok::<_, Error>(()) })
        .await
}

/// 3-17: a child context that only logs, with replay logging on (so that a run of its body on replay
/// would show), then a wait: its result is recorded and its body not run again, one line in all.
#[lambda_fn::handler("conformance.3-17", durable)]
pub async fn child_logger_only(input: String, ctx: DurableContext) -> Result<String, Error> {
    let value: String = ctx
        .child_context("logging", |child| async move {
            child.logger().every_run().info(&input);
            Ok::<_, Error>(input)
        })
        .await?;
    ctx.wait("pause", Duration::from_secs(1)).await?;
    Ok(value)
}

/// 3-18: a step and a wait inside a child context, then a step and a wait after it.
#[lambda_fn::handler("conformance.3-18", durable)]
pub async fn child_then_more(input: String, ctx: DurableContext) -> Result<String, Error> {
    let value: String = ctx
        .child_context("inside", |child| async move {
            let value: String = child.step("echo", || async move { Ok::<_, Error>(input) }).await?;
            child.wait("inner-pause", Duration::from_secs(1)).await?;
            Ok::<_, Error>(value)
        })
        .await?;
    let value: String = ctx.step("after", || async move { Ok::<_, Error>(value) }).await?;
    ctx.wait("outer-pause", Duration::from_secs(1)).await?;
    Ok(value)
}
