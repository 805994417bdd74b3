//! `fail.always` and `panic.always`: what Lambda sees when a handler fails.

use std::fmt;

use lambda_rt::handler;
use serde_json::Value;

/// A custom error type. Its type name becomes the `errorType` Lambda reports: `CustomFailure`.
#[derive(Debug)]
pub struct CustomFailure {
    /// Why it failed.
    pub reason: String,
}

impl fmt::Display for CustomFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "this function always fails: {}", self.reason)
    }
}

impl std::error::Error for CustomFailure {}

/// Always returns `Err(CustomFailure)`.
#[handler("fail.always")]
pub async fn fail(_event: Value) -> Result<Value, CustomFailure> {
    Err(CustomFailure {
        reason: "as designed".into(),
    })
}

/// Always panics with `boom`; the runtime reports `Runtime.Panic` and serves the next invocation.
#[handler("panic.always")]
pub async fn panic(_event: Value) -> Value {
    panic!("boom")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn fail_returns_custom_failure() {
        let err = fail(Value::Null).await.expect_err("always fails");
        assert_eq!(err.to_string(), "this function always fails: as designed");
        let reported: lambda_rt::Error = err.into();
        assert_eq!(reported.error_type(), "CustomFailure");
    }

    #[tokio::test]
    #[should_panic(expected = "boom")]
    async fn panic_panics() {
        panic(Value::Null).await;
    }
}
