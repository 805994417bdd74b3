//! `context.info` and `init.fail`: the invocation context and state built once per cold start.

use std::sync::atomic::{AtomicU64, Ordering};

use lambda_fn::{Context, Error, State, handler, init};
use serde_json::{Value, json};

/// Counts the invocations this execution environment served: built once, shared by all of them.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

/// Builds the counter at cold start.
#[init]
pub fn counter() -> Counter {
    Counter::default()
}

/// Returns what the handler knows about its invocation, and how many this process has served.
#[handler("context.info")]
pub async fn info(_event: Value, ctx: Context, counter: State<Counter>) -> Value {
    let served = counter.0.fetch_add(1, Ordering::Relaxed) + 1;
    json!({
        "requestId": ctx.request_id,
        "invocationId": ctx.invocation_id,
        "deadlineMs": ctx.deadline_ms,
        "invokedFunctionArn": ctx.invoked_function_arn,
        "traceId": ctx.xray_trace_id,
        "traceIdEnv": std::env::var("_X_AMZN_TRACE_ID").ok(),
        "tenantId": ctx.tenant_id,
        "clientContext": ctx.client_context,
        "identity": ctx.identity,
        "functionName": ctx.env.function_name,
        "memoryMb": ctx.env.memory_size_mb,
        "served": served,
    })
}

/// A connection that cannot be made: its `#[init]` function fails.
#[derive(Debug)]
pub struct Unreachable;

/// Fails, as an `#[init]` function does when, say, a database is unreachable.
#[init]
pub async fn unreachable() -> Result<Unreachable, Error> {
    Err(Error::new("ConnectionRefused", "database unreachable at 10.0.0.1:5432"))
}

/// Never runs: selecting it makes the init phase fail with `Runtime.InitError`.
#[handler("init.fail")]
pub async fn init_fail(_event: Value, _db: State<Unreachable>) -> Value {
    Value::Null
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn info_reports_context_and_counts() {
        let counter = State::for_test(Counter::default());
        let first = info(Value::Null, Context::for_test(), counter).await;
        let second = info(Value::Null, Context::for_test(), counter).await;
        assert_eq!(first["functionName"], "test-function");
        assert_eq!(first["served"], 1);
        assert_eq!(second["served"], 2);
    }

    #[tokio::test]
    async fn unreachable_fails() {
        let err = unreachable().await.expect_err("always fails");
        assert_eq!(err.error_type(), "ConnectionRefused");
    }
}
