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
//! Which Lambda function the call reaches is [`Target::function_name`]: the handler's name under the
//! embedded emulator and local durable services, and on AWS the function named by the environment
//! variable `LAMBDA_RT_FUNCTION_<HANDLER>` (the handler's name in upper case, every other character `_`:
//! `orders.flow` is `LAMBDA_RT_FUNCTION_ORDERS_FLOW`). Declare the handlers a handler calls in its
//! annotation, `#[handler("orders.flow", durable, calls = [quote])]` (checked by the compiler too), and
//! `cargo lambda-rt template` gives its function each one's variable and the permission to invoke it.
//! Calls to functions outside the binary keep the string form
//! ([`DurableContext::invoke`](crate::durable::DurableContext::invoke)).

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
        let variable = variable(Self::NAME);
        std::env::var(&variable)
            .ok()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| Self::NAME.to_owned())
    }
}

/// The environment variable that names the function of handler `name` (shared with the template).
pub(crate) fn variable(name: &str) -> String {
    lambda_fn_manifest::function_variable(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_is_the_name_upper_cased_with_underscores() {
        assert_eq!(variable("orders.flow"), "LAMBDA_RT_FUNCTION_ORDERS_FLOW");
        assert_eq!(variable("api-v2/Users"), "LAMBDA_RT_FUNCTION_API_V2_USERS");
    }

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
