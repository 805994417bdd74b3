//! AWS Lambda functions as plain annotated async functions.
//!
//! ```ignore
//! use lambda_fn::{handler, Context, Error};
//! use lambda_fn_events::alb::{AlbTargetGroupRequest, AlbTargetGroupResponse};
//!
//! #[handler("hello.ALB")]
//! async fn hello(event: AlbTargetGroupRequest, ctx: Context) -> Result<AlbTargetGroupResponse, Error> {
//!     Ok(AlbTargetGroupResponse::html(200, format!("hi from {}", ctx.request_id)))
//! }
//!
//! fn main() {
//!     lambda_fn::run()
//! }
//! ```
//!
//! - [`#[handler("name")]`](handler) leaves the function as written, so a unit test calls it directly
//!   with [`Context::for_test`], and registers it at link time under `name`. One binary may hold many
//!   handlers; Lambda's `_HANDLER` setting picks one.
//! - The first parameter is the event: any `serde::Deserialize` type, `serde_json::Value`, or
//!   [`RawEvent`]. Further parameters are [`Context`] and [`State<T>`], state built once per cold start
//!   by an [`#[init]`](init) function.
//! - The return type is `Result<T, E>` with `T: Serialize` and `E` convertible into [`Error`] (or into
//!   `Box<dyn std::error::Error + Send + Sync>`, as `anyhow::Error` and `eyre::Report` are: errorType
//!   `Error`, the message the whole cause chain), or a plain `T: Serialize`; or a [`StreamingResponse`] (in a `Result` or not), whose body is sent while
//!   it is produced (Lambda response streaming). Functions may be `async` or not.
//! - [`#[shutdown]`](shutdown) functions run when Lambda shuts the environment down (the runtime then
//!   registers an extension so that Lambda sends SIGTERM); [`http`] has HTTP routes and extractors.
//! - [`run`] reads the environment, picks the handler and serves the Runtime API until Lambda stops the
//!   process. Without `AWS_LAMBDA_RUNTIME_API` the same binary runs locally:
//!   `bootstrap invoke hello.ALB event.json`.
//!
//! Handlers defined in a library crate are registered when the binary links that crate: if `main.rs`
//! names nothing from it, add `use that_crate as _;`.
//!
//! The errors the runtime reports (their `errorType`): `Runtime.HandlerNotFound`, `Runtime.DuplicateHandler`
//! and `Runtime.InitError` at start-up; `Runtime.UnmarshalError` (with the JSON path of the bad field),
//! the handler's own error type, `Runtime.Panic` and `Runtime.MarshalError` per invocation, after which
//! the loop goes on.
//!
//! A complete example, with its unit test (serde and serde_json are the only other dependencies):
//!
//! ```
//! use lambda_fn::{Context, Error, handler};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Deserialize)]
//! struct Order {
//!     id: u32,
//!     quantity: u32,
//! }
//!
//! #[derive(Serialize, Debug, PartialEq)]
//! struct Receipt {
//!     id: u32,
//!     total_cents: u64,
//! }
//!
//! #[handler("orders.price")]
//! async fn price(order: Order, ctx: Context) -> Result<Receipt, Error> {
//!     if order.quantity == 0 {
//!         return Err(Error::new("EmptyOrder", format!("order {} has no items ({})", order.id, ctx.request_id)));
//!     }
//!     Ok(Receipt { id: order.id, total_cents: u64::from(order.quantity) * 250 })
//! }
//!
//! // `fn main() { lambda_fn::run() }` serves it; a test calls it directly:
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let receipt = price(Order { id: 7, quantity: 4 }, Context::for_test()).await.unwrap();
//! assert_eq!(receipt, Receipt { id: 7, total_cents: 1000 });
//! let empty = price(Order { id: 8, quantity: 0 }, Context::for_test()).await.unwrap_err();
//! assert_eq!(empty.error_type(), "EmptyOrder");
//! # });
//! assert!(lambda_fn::registered_handlers().contains(&"orders.price"));
//! ```

#[cfg(feature = "invoke")]
pub(crate) mod aws;
#[cfg(feature = "batch")]
pub mod batch;
pub mod call;
mod catalog;
mod context;
#[cfg(feature = "durable")]
pub mod durable;
#[cfg(feature = "local")]
pub mod emulator;
mod encode;
mod error;
mod extract;
pub mod http;
mod local;
mod logging;
mod manifest;
pub mod metrics;
#[cfg(feature = "otel")]
pub mod otel;
mod registry;
mod runtime;
mod stream;
pub mod trigger;

pub use catalog::{check_registrations, registered_handlers};
pub use context::{ClientApplication, ClientContext, CognitoIdentity, Context, FunctionConfig};
pub use error::{Error, Result};
pub use extract::{FromEvent, FromInvocation, Invocation, RawEvent, State, StateKey};
pub use lambda_fn_macros::{handler, init, shutdown};
pub use stream::{BodyClosed, BodySender, HttpPrelude, StreamingResponse};

/// Serves the handler `_HANDLER` names until Lambda stops the process, on a current-thread tokio
/// runtime of its own. Without `AWS_LAMBDA_RUNTIME_API`, runs the local command line instead
/// (`bootstrap invoke <handler> <event.json|->`).
///
/// Exits the process with status 1 after an init error or a fatal Runtime API error.
///
/// # Panics
///
/// When called from inside a tokio runtime (e.g. in `#[tokio::main]`), where a second runtime cannot
/// start: use [`run_async`] there. The panic message says so.
pub fn run() {
    if tokio::runtime::Handle::try_current().is_ok() {
        panic!("lambda_fn::run() was called inside a tokio runtime; use `lambda_fn::run_async().await` there");
    }
    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(run_async()),
        Err(e) => {
            eprintln!("lambda-rt: cannot start the tokio runtime: {e}");
            std::process::exit(1);
        }
    }
}

/// [`run`] for a program that has its own tokio runtime:
///
/// ```no_run
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() {
///     // ... set up what the handlers share ...
///     lambda_fn::run_async().await
/// }
/// ```
///
/// Returns only when a local command succeeded; exits the process with a non-zero status on errors.
/// The future is not `Send`: await it in `main`, do not spawn it.
pub async fn run_async() {
    let code = match std::env::var("AWS_LAMBDA_RUNTIME_API") {
        Ok(endpoint) => {
            logging::init();
            runtime::start(&endpoint, FunctionConfig::from_env()).await
        }
        Err(_) => local::main(std::env::args_os().skip(1).collect()).await,
    };
    if code != 0 {
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        std::process::exit(code);
    }
}

/// What the `#[handler]` and `#[init]` macros expand to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::call::Target as CallTarget;
    pub use inventory;
    pub use std::boxed::Box;
    pub use std::vec::Vec;

    #[cfg(feature = "batch")]
    pub use crate::batch::{BatchRecord, RecordResult, run as run_batch};
    #[cfg(feature = "durable")]
    pub use crate::durable::{plugin::boxed as durable_plugin, run as durable_run};
    pub use crate::encode::{Output, Respond};
    pub use crate::extract::StateMap;
    pub use crate::extract::{FromInvocation, Invocation, StateKey};
    #[cfg(feature = "tower")]
    pub use crate::http::serve_service;
    pub use crate::http::{
        __respond as respond, Body, FromRequest, FromRequestParts, IntoResponse, RequestParts, RouteFuture,
        RouteRegistration, Segment,
    };
    pub use crate::registry::{
        BatchSettings, Deploy, DurableConfig, HandlerFuture, HandlerRegistration, InitFuture, InitRegistration,
        ShutdownFuture, ShutdownRegistration, Trigger,
    };
    pub use crate::trigger::{
        takes_alb, takes_dynamodb, takes_eventbridge, takes_kinesis, takes_s3, takes_sns, takes_sqs, takes_url,
    };

    use std::any::{Any, TypeId};

    use crate::error::Error;

    /// Encodes a handler's plain return value.
    pub fn encode<T: Respond>(value: T) -> Result<Output, Error> {
        value.respond()
    }

    /// Encodes a handler's `Result` return value.
    pub fn encode_result<T: Respond, E: Into<Error>>(result: Result<T, E>) -> Result<Output, Error> {
        match result {
            Ok(value) => value.respond(),
            Err(e) => Err(e.into()),
        }
    }

    pub use crate::error::failure::{Failure, FailureElse, FailureViaBox, FailureViaInto, HandlerError};

    /// Type-erases an `#[init]` function's plain return value.
    pub fn init_value<T: Send + Sync + 'static>(value: T) -> Result<Box<dyn Any + Send + Sync>, Error> {
        Ok(Box::new(value))
    }

    /// Type-erases an `#[init]` function's `Result` return value.
    pub fn init_result<T: Send + Sync + 'static, E: Into<Error>>(
        result: Result<T, E>,
    ) -> Result<Box<dyn Any + Send + Sync>, Error> {
        result
            .map(|value| Box::new(value) as Box<dyn Any + Send + Sync>)
            .map_err(Into::into)
    }

    /// The state of type `T` a `#[shutdown]` function takes, if it was built.
    pub fn state_in<T: Send + Sync + 'static>(states: &'static StateMap) -> Option<crate::State<T>> {
        crate::State::in_map(states)
    }

    /// A `#[shutdown]` function's `Result`.
    pub fn shutdown_result<E: Into<Error>>(result: Result<(), E>) -> Result<(), Error> {
        result.map_err(Into::into)
    }

    /// `TypeId::of::<T>`, as a function pointer the registration can hold in a static.
    pub fn type_id<T: 'static>() -> TypeId {
        TypeId::of::<T>()
    }
}
