//! `fail.always` and `panic.always`: what Lambda sees when a handler fails; `fail.anyhow`, `fail.eyre` and
//! `fail.boxed`: handlers returning `anyhow::Error`, `eyre::Report` and `Box<dyn Error + Send + Sync>` as
//! they are (errorType `Error`, the message the whole cause chain).

use std::fmt;

use lambda_fn::handler;
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

/// An order whose `quantity` is text: `{"quantity": "12"}`.
#[derive(Debug, serde::Deserialize)]
pub struct Quantity {
    /// Should hold a number.
    pub quantity: String,
}

/// Parses the quantity; on failure an `anyhow::Error` with context over the parse error.
#[handler("fail.anyhow")]
pub async fn fail_anyhow(order: Quantity) -> anyhow::Result<u32> {
    use anyhow::Context as _;
    let quantity = &order.quantity;
    quantity.parse().with_context(|| format!("order quantity {quantity:?}"))
}

/// The same with `eyre`.
#[handler("fail.eyre")]
pub async fn fail_eyre(order: Quantity) -> Result<u32, eyre::Report> {
    use eyre::WrapErr as _;
    let quantity = &order.quantity;
    quantity
        .parse()
        .wrap_err_with(|| format!("order quantity {quantity:?}"))
}

/// The same with a boxed error, as many libraries return.
#[handler("fail.boxed")]
pub async fn fail_boxed(order: Quantity) -> Result<u32, Box<dyn std::error::Error + Send + Sync>> {
    Ok(order.quantity.parse()?)
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
    async fn the_error_types_of_the_wild_keep_their_chain() {
        let order = || Quantity { quantity: "ten".into() };
        let error = fail_anyhow(order()).await.expect_err("not a number");
        assert_eq!(
            format!("{error:#}"),
            "order quantity \"ten\": invalid digit found in string"
        );
        let error = fail_eyre(order()).await.expect_err("not a number");
        assert_eq!(error.to_string(), "order quantity \"ten\"");
        assert!(fail_boxed(order()).await.is_err());
        assert_eq!(fail_anyhow(Quantity { quantity: "12".into() }).await.ok(), Some(12));
    }

    #[tokio::test]
    async fn fail_returns_custom_failure() {
        let err = fail(Value::Null).await.expect_err("always fails");
        assert_eq!(err.to_string(), "this function always fails: as designed");
        let reported: lambda_fn::Error = err.into();
        assert_eq!(reported.error_type(), "CustomFailure");
    }

    #[tokio::test]
    #[should_panic(expected = "boom")]
    async fn panic_panics() {
        panic(Value::Null).await;
    }
}
