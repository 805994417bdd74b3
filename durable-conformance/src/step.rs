//! The step suite (`1-*`): a step's result checkpointed and replayed, its failures, its retries.

use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::{DurableContext, Jitter, Retry, Serdes, StepConfig};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::attempts;

/// 1-1: a single step that takes the input and returns a greeting.
#[lambda_fn::handler("conformance.1-1", durable)]
pub async fn step_basic(name: String, ctx: DurableContext) -> Result<String, Error> {
    ctx.step("greet", || async move { Ok::<_, Error>(format!("Hello, {name}!")) })
        .await
}

/// 1-2: a step with an explicit name.
#[lambda_fn::handler("conformance.1-2", durable)]
pub async fn step_named(name: String, ctx: DurableContext) -> Result<String, Error> {
    ctx.step("custom_step_name", || async move {
        Ok::<_, Error>(format!("Hello, {name}!"))
    })
    .await
}

/// 1-3: two steps, the second using the first's result.
#[lambda_fn::handler("conformance.1-3", durable)]
pub async fn sequential_steps(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let first: String = ctx
        .step("step_one", || async { Ok::<_, Error>("first".to_owned()) })
        .await?;
    ctx.step("step_two", || async move { Ok::<_, Error>(format!("{first}_second")) })
        .await
}

/// The input of 1-4.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    name: String,
    tags: Vec<String>,
}

/// The result of 1-4: a nested object with an array and a number.
#[derive(Debug, Serialize, Deserialize)]
pub struct UserResponse {
    user: User,
    count: usize,
}

/// 1-4: a step that returns a nested object.
#[lambda_fn::handler("conformance.1-4", durable)]
pub async fn complex_result(user: User, ctx: DurableContext) -> Result<UserResponse, Error> {
    ctx.step("build_response", || async move {
        let count = user.tags.len();
        Ok::<_, Error>(UserResponse { user, count })
    })
    .await
}

/// 1-5: a step that returns nothing (`null`).
#[lambda_fn::handler("conformance.1-5", durable)]
pub async fn null_result(_: Value, ctx: DurableContext) -> Result<(), Error> {
    ctx.step("do_nothing", || async { Ok::<_, Error>(()) }).await
}

/// 1-6's serialization: every string in capitals.
pub struct Uppercase;

impl Serdes<String> for Uppercase {
    fn serialize(&self, value: &String) -> Result<String, Error> {
        Ok(serde_json::to_string(&value.to_uppercase())?)
    }

    fn deserialize(&self, data: &str) -> Result<String, Error> {
        Ok(serde_json::from_str(data)?)
    }
}

/// 1-6: a step whose own serialization turns strings into capitals.
#[lambda_fn::handler("conformance.1-6", durable)]
pub async fn custom_serdes(text: String, ctx: DurableContext) -> Result<String, Error> {
    ctx.step_with("return_input", StepConfig::new().serdes(Uppercase), || async move {
        Ok::<_, Error>(text)
    })
    .await
}

/// 1-7: a step that logs through the durable logger (the suite checks the lines in the function's log).
#[lambda_fn::handler("conformance.1-7", durable)]
pub async fn step_logger(name: String, ctx: DurableContext) -> Result<String, Error> {
    let logger = ctx.logger();
    ctx.step("greet", || async move {
        logger.info(format_args!("Greeting step started for: {name}"));
        let greeting = format!("Hello, {name}!");
        logger.info(format_args!("Greeting step completed with: {greeting}"));
        Ok::<_, Error>(greeting)
    })
    .await
}

/// 1-8: a step, then a wait of 2 s; the second invocation replays the step.
#[lambda_fn::handler("conformance.1-8", durable)]
pub async fn step_then_wait(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let value: String = ctx
        .step("compute", || async { Ok::<_, Error>("computed".to_owned()) })
        .await?;
    ctx.wait("pause", Duration::from_secs(2)).await?;
    Ok(value)
}

/// 1-9: a step whose recorded result is returned on replay, its work not run again.
#[lambda_fn::handler("conformance.1-9", durable)]
pub async fn replay_skips_succeeded_step(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let value: String = ctx
        .step("cache", || async {
            if attempts::count("1-9") > 1 {
                return Err(Error::new("ReplayError", "the step ran again on replay"));
            }
            Ok("cached_value".to_owned())
        })
        .await?;
    ctx.wait("pause", Duration::from_secs(1)).await?;
    Ok(value)
}

/// 1-10: a step that fails for good, caught, then a wait; on replay the recorded error comes back
/// without the work running again.
#[lambda_fn::handler("conformance.1-10", durable)]
pub async fn replay_rethrows_failed_step(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let failed = ctx
        .step_with("fail", Retry::none(), || async {
            if attempts::count("1-10") > 1 {
                return Ok("the step ran again on replay".to_owned());
            }
            Err(Error::new("PermanentError", "this step always fails"))
        })
        .await;
    let caught = match failed {
        Ok(ran_again) => return Err(Error::new("ReplayError", ran_again)),
        Err(error) => error.error_type().to_owned(),
    };
    ctx.wait("pause", Duration::from_secs(1)).await?;
    Ok(caught)
}

/// 1-11: a step that fails once and succeeds on its second attempt, retried after 1 s.
#[lambda_fn::handler("conformance.1-11", durable)]
pub async fn retry_then_succeed(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let retry = Retry::attempts(3).delay(Duration::from_secs(1)).jitter(Jitter::None);
    ctx.step_with("unreliable", retry, || async {
        match attempts::count("1-11") {
            1 => Err(Error::new("TransientError", "the first attempt fails")),
            _ => Ok("Operation succeeded".to_owned()),
        }
    })
    .await
}

/// 1-12: a step that always fails, 4 attempts in all, 1 s apart.
#[lambda_fn::handler("conformance.1-12", durable)]
pub async fn retries_exhausted(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let retry = Retry::attempts(4)
        .delay(Duration::from_secs(1))
        .backoff(1.0)
        .jitter(Jitter::None);
    ctx.step_with("always_fail", retry, || async {
        Err::<String, _>(Error::new("AlwaysFails", "every attempt fails"))
    })
    .await
}

/// 1-13: a step that fails twice and succeeds on its third attempt, with the default retry strategy.
#[lambda_fn::handler("conformance.1-13", durable)]
pub async fn default_retry(_: Value, ctx: DurableContext) -> Result<String, Error> {
    ctx.step("unreliable", || async {
        match attempts::count("1-13") {
            n @ (1 | 2) => Err(Error::new("TransientError", format!("attempt {n} fails"))),
            _ => Ok("succeeded on the third attempt".to_owned()),
        }
    })
    .await
}

/// 1-14: fails twice, then succeeds; retried 2 s, then 6 s later (backoff 3, no jitter).
#[lambda_fn::handler("conformance.1-14", durable)]
pub async fn retry_with_backoff(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let retry = Retry::attempts(5)
        .delay(Duration::from_secs(2))
        .backoff(3.0)
        .jitter(Jitter::None);
    ctx.step_with("unreliable", retry, || async {
        match attempts::count("1-14") {
            n @ (1 | 2) => Err(Error::new("TransientError", format!("attempt {n} fails"))),
            _ => Ok("succeeded on the third attempt".to_owned()),
        }
    })
    .await
}

/// 1-15: a `TransientError` on the first attempt, retried because the strategy retries that error only.
#[lambda_fn::handler("conformance.1-15", durable)]
pub async fn retry_transient_only(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let retry = Retry::attempts(3)
        .delay(Duration::from_secs(1))
        .jitter(Jitter::None)
        .retry_if(|e| e.error_type() == "TransientError");
    ctx.step_with("flaky", retry, || async {
        match attempts::count("1-15") {
            1 => Err(Error::new("TransientError", "the first attempt fails")),
            _ => Ok("recovered".to_owned()),
        }
    })
    .await
}

/// 1-16: a `TransientError` the strategy does not retry: the step, and the execution, fail.
#[lambda_fn::handler("conformance.1-16", durable)]
pub async fn transient_not_retried(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let retry = Retry::attempts(3)
        .delay(Duration::from_secs(1))
        .retry_if(|e| e.error_type() != "TransientError");
    ctx.step_with("flaky", retry, || async {
        Err::<String, _>(Error::new("TransientError", "not retried by this strategy"))
    })
    .await
}

/// 1-19: a step that always fails, with no retries: the execution fails.
#[lambda_fn::handler("conformance.1-19", durable)]
pub async fn fails_permanently(_: Value, ctx: DurableContext) -> Result<String, Error> {
    ctx.step_with("failing", Retry::none(), || async {
        Err::<String, _>(Error::new("PermanentError", "this step always fails"))
    })
    .await
}

/// 1-20: a step's failure caught by the workflow, which goes on with a second step.
#[lambda_fn::handler("conformance.1-20", durable)]
pub async fn error_caught(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let first = ctx
        .step_with("failing", Retry::none(), || async {
            Err::<String, _>(Error::new("PermanentError", "this step always fails"))
        })
        .await;
    let fallback = first.unwrap_or_else(|_| "fallback".to_owned());
    ctx.step(
        "recover",
        || async move { Ok::<_, Error>(format!("{fallback}_result")) },
    )
    .await
}
