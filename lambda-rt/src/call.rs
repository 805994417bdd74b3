//! Calls between the handlers of one binary, checked by the compiler.
//!
//! `#[handler]` gives a plain handler (an event in, a result out) and a `durable` workflow a type of its
//! own, named as the function is, that implements [`Target`]: the handler's name, the type of its event
//! and the type of its result. A call written against that type names a handler that exists, with the
//! event it takes, and reads the result it gives; a renamed handler or a changed type is a compile error
//! at the call, not a failure in production. From a durable workflow:
//!
//! ```
//! use lambda_fn::durable::DurableContext;
//! use lambda_fn::{Error, handler};
//!
//! #[handler("pricing.quote")]
//! async fn quote(item: String) -> Result<u64, Error> {
//!     Ok(item.len() as u64 * 100)
//! }
//!
//! #[handler("orders.priced", durable)]
//! async fn priced(item: String, ctx: DurableContext) -> Result<u64, Error> {
//!     // `quote` here is the type `#[handler]` made: the call takes a `&String` and gives a `u64`.
//!     ctx.invoke_handler::<quote>("price", &item).await
//! }
//! # fn main() {}
//! ```
//!
//! The struct shares the function's name in the type namespace, so a rustdoc link to the function needs
//! its parentheses, `flow()` between the brackets, as rustdoc suggests when the plain name is ambiguous.
//!
//! Which Lambda function the call reaches is [`Target::function_name`]: the handler's name under the
//! embedded emulator and local durable services, and on AWS the function named by the environment
//! variable `LAMBDA_RT_FUNCTION_<HANDLER>` (the handler's name in upper case, every other character `_`:
//! `orders.flow` is `LAMBDA_RT_FUNCTION_ORDERS_FLOW`). Declare the handlers a handler calls in its
//! annotation, `#[handler("orders.flow", durable, calls = [quote])]` (checked by the compiler too), and
//! `cargo lambda-rt template` gives its function each one's variable and the permission to invoke it.
//! Calls to functions outside the binary keep the string form
//! ([`DurableContext::invoke`](crate::durable::DurableContext::invoke)).

/// Invokes handler `H` of this binary through Lambda's Invoke API (feature `invoke`; `durable` turns it
/// on) and waits for its result: the typed call from any handler. `ctx` is the calling invocation's
/// context: the call's retries end before its deadline, and under the embedded emulator the call goes to
/// the emulator.
///
/// The Invoke is signed with the function's credentials and retried while Lambda throttles it or fails
/// on its side. The called handler's error comes back as that error (its `errorType` and message);
/// a call that could not be made is a `Call.Failed` error, a result that is not `H::Output` a
/// `Runtime.UnmarshalError`.
///
/// ```
/// use lambda_fn::{Context, Error, call, handler};
///
/// #[handler("prices.one")]
/// async fn one(item: String) -> Result<u64, Error> {
///     Ok(item.len() as u64 * 100)
/// }
///
/// #[handler("prices.all", calls = [one])]
/// async fn all(items: Vec<String>, ctx: Context) -> Result<u64, Error> {
///     let mut total = 0;
///     for item in &items {
///         total += call::invoke::<one>(&ctx, item).await?;
///     }
///     Ok(total)
/// }
/// # fn main() {}
/// ```
#[cfg(feature = "invoke")]
pub async fn invoke<H>(ctx: &crate::Context, event: &H::Event) -> Result<H::Output, crate::Error>
where
    H: Target,
    H::Event: serde::Serialize,
    H::Output: serde::de::DeserializeOwned,
{
    use crate::aws::{AwsRequest, encode_label, lambda_client};
    use crate::error::{Error, kind};

    let failed = |message: String| Error::new(kind::CALL_FAILED, message);
    let function = H::function_name();
    let payload = serde_json::to_vec(event)
        .map_err(|e| Error::new(kind::MARSHAL, format!("the event of `{}` is not JSON: {e}", H::NAME)))?;
    let client = lambda_client(ctx.env.invoke_endpoint.as_deref())
        .map_err(|e| failed(format!("cannot call `{}`: {e}", H::NAME)))?;
    // The retries end a little before the invocation's deadline, so that its failure is reported.
    let left = ctx.remaining().map_or(std::time::Duration::from_secs(60), |left| {
        left.saturating_sub(std::time::Duration::from_millis(200))
    });
    let path = format!("/2015-03-31/functions/{}/invocations", encode_label(&function));
    let request = AwsRequest::post_json(path, payload, std::time::Instant::now() + left);
    let answer = client
        .send(request)
        .await
        .map_err(|e| failed(format!("the call of `{}` (function {function}): {e}", H::NAME)))?;
    tracing::debug!(
        handler = H::NAME,
        %function,
        status = answer.status,
        attempts = answer.attempts,
        request_id = answer.request_id.as_deref().unwrap_or("-"),
        "typed call answered"
    );
    if answer.headers.contains_key("x-amz-function-error") {
        return Err(Error::from_posted(&answer.body, kind::UNKNOWN));
    }
    serde_json::from_slice(&answer.body).map_err(|e| {
        Error::new(
            kind::UNMARSHAL,
            format!("`{}` answered what is not its result type: {e}", H::NAME),
        )
    })
}

/// A handler of this binary as the target of a typed call; `#[handler]` implements it.
pub trait Target {
    /// The handler's name, as `#[handler("...")]` gives it.
    const NAME: &'static str;
    /// What it takes: its event, or a durable workflow's input.
    type Event;
    /// What it gives: its result (the `T` of `Result<T, E>`).
    type Output;

    /// The name of the Lambda function that runs this handler: `LAMBDA_RT_FUNCTION_<HANDLER>` when set,
    /// else the handler's name.
    fn function_name() -> String {
        std::env::var(lambda_fn_manifest::function_variable(Self::NAME))
            .ok()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| Self::NAME.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Unset;
    impl Target for Unset {
        const NAME: &'static str = "lambda-rt.test.unset.target";
        type Event = ();
        type Output = ();
    }

    #[test]
    fn without_the_variable_the_function_is_the_handler_name() {
        assert_eq!(Unset::function_name(), "lambda-rt.test.unset.target");
    }
}
