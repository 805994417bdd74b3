//! Procedural macros of lambda-rt: `#[handler("name")]` and `#[init]`.
//!
//! Use them through the runtime crate, as `lambda_fn::handler` and `lambda_fn::init`: the code they generate
//! refers to `::lambda_fn`, so a function crate depends on `lambda-rt` only, never on this crate.
//!
//! Each attribute leaves the function exactly as written (a unit test calls it as a plain function) and adds,
//! inside an anonymous `const _`, the glue the runtime calls and a registration collected at start-up. Misuse is
//! a compile error at the offending token that says how to fix it; the function is still emitted, so the rest
//! of the crate and the IDE keep working while the error is fixed.

mod args;
mod batch;
mod common;
mod deploy;
mod durable;
mod handler;
mod init;
mod options;
mod pattern;
mod registration;
mod route;
mod service;
mod shutdown;
mod trigger;

use proc_macro::TokenStream;

/// Registers a function as the Lambda handler named `name`, the value of the function's handler setting
/// (`_HANDLER`).
///
/// ```ignore
/// use lambda_fn::{handler, Context, Error};
///
/// #[derive(serde::Deserialize)]
/// struct Order { id: String, quantity: u32 }
///
/// #[derive(serde::Serialize)]
/// struct Receipt { id: String, total_cents: u64 }
///
/// #[handler("orders.Create")]
/// async fn create(order: Order, ctx: Context) -> Result<Receipt, Error> {
///     tracing::info!(request_id = %ctx.request_id, "creating {}", order.id);
///     Ok(Receipt { id: order.id, total_cents: u64::from(order.quantity) * 250 })
/// }
/// ```
///
/// # The function
///
/// - **Parameters**: the first is the event, any type that implements `serde::de::DeserializeOwned` (take
///   `_event: serde_json::Value` to accept and ignore any JSON), or `lambda_fn::RawEvent` for the bytes as sent. Any further parameters are extractors resolved
///   for each invocation: `Context`, and `State<T>` for shared state built once per cold start by an
///   [`macro@init`] function. Parameter patterns may be anything (`_`, `mut x`, tuples).
/// - **Return type**: `Result<T, E>` where `T: Serialize` and `E` converts into `lambda_fn::Error` (any
///   `std::error::Error + Send + Sync + 'static`; a `Box<dyn Error + Send + Sync>` does not, map it with
///   `lambda_fn::Error::from_boxed`). A `Result` is recognised by the last segment of its path, so
///   `lambda_fn::Result<T>` and `std::result::Result<T, E>` work too, but not a type alias with another name.
///   Or a plain `T: Serialize`; or nothing, which answers `null`.
/// - **`async` or not**: an `async fn` is awaited; a plain `fn` is called directly on the runtime's thread, so
///   keep it short and non-blocking.
/// - Any visibility and any other attributes. A `#[cfg(...)]` on the function also applies to its registration.
/// - A free function, in a module or in a block; not an associated function inside an `impl` block (the
///   registration is an item placed next to the function, which an `impl` block cannot hold).
///
/// # Options after the name
///
/// - `batch`, `batch(concurrency = N, margin_ms = M)`: a per-record batch handler (`lambda_fn::batch`).
/// - `route = "METHOD /path/{param}"`, once per route: an HTTP route (`lambda_fn::http`). Every function with
///   routes under one name is one Lambda function serving an API; its parameters are all extractors
///   (`Path<T>`, `Query<T>`, `Json<T>`, `Context`, `State<T>`, ...) and it returns anything
///   `lambda_fn::http::IntoResponse`. The template, the arity of `Path<(A, B)>` tuples and routes given twice
///   are checked here.
/// - `service`, `service(streaming)` (feature `tower`): the function takes no parameters and returns a tower
///   `Service` of `http::Request` (an `axum::Router`), built once per cold start; it answers every HTTP request
///   of the function, streamed behind an HTTP prelude with `streaming`.
/// - Deployment settings and triggers, reported by `bootstrap manifest` for the generated template:
///   `memory = 256`, `timeout = 30`, `reserved_concurrency = 5`, `env = "NAME=value"`,
///   `architecture = "arm64"`, `api = "rest"` (routes); `sqs = "Queue"`,
///   `sqs(queue = "Queue", batch_size = 100, window = 5)`, `sns = "Topic"`, `s3 = "Bucket"`,
///   `kinesis = "Stream"`, `dynamodb = "Table"`, `schedule = "rate(5 minutes)"`,
///   `eventbridge = r#"{"source": ["aws.s3"]}"#`, `eventbridge(pattern = "...", bus = "name")`,
///   `alb(listener = "Listener", path = "/x*", priority = 10)`, `url`, `url(streaming)`. Each value is
///   checked here; that the event type can take a trigger's events is checked by the compiler through the
///   `lambda_fn::trigger` traits.
///
/// # Compile errors
///
/// At the offending token, each telling how to fix it: `#[handler]` on anything but a function; a missing,
/// empty or blank name, a name with whitespace or longer than 128 characters (AWS's limits for a handler
/// setting), a name that is not a string literal, any argument after the name; a function without parameters,
/// with a `self` receiver, with generic, lifetime or const parameters, with `impl Trait` parameters, `unsafe`,
/// `extern` or variadic. An event type that is not `Deserialize`, a parameter type that is not an extractor, a
/// success type that is not `Serialize` or an error type that does not convert is reported by the compiler at
/// that type.
///
/// Two handlers with the same name are found when the binary starts (an init error naming both source
/// locations), since they may live in different crates.
#[proc_macro_attribute]
pub fn handler(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    match handler::parse(args.into(), item.clone()) {
        Ok(parsed) => handler::expand(&parsed).into(),
        Err(error) => with_error(item, error),
    }
}

/// Registers a function that builds shared state once per cold start, before the first invocation; handlers
/// receive the value as a `State<T>` parameter.
///
/// ```ignore
/// use lambda_fn::{handler, init, Error, State};
///
/// struct Db { url: String }
///
/// #[init]
/// async fn connect() -> Result<Db, Error> {
///     Ok(Db { url: std::env::var("DATABASE_URL")? })
/// }
///
/// #[handler("users.Get")]
/// async fn get(id: u64, db: State<Db>) -> Result<String, Error> {
///     Ok(format!("user {id} from {}", db.url))
/// }
/// ```
///
/// The function takes no parameters and no generics, may be `async` or not, and returns either
/// `Result<T, E>` (an `Err` is reported to Lambda as an init error, `Runtime.InitError`) or a plain `T`. The
/// state type `T` is the first type argument of the `Result`, or the return type itself. A `#[cfg(...)]` on the
/// function also applies to its registration.
///
/// # Compile errors
///
/// At the offending token, each telling how to fix it: `#[init]` with arguments or on anything but a function;
/// a function with parameters, without a return type (or returning `()`), returning a `Result` without type
/// arguments or an `impl Trait` state, or generic, `unsafe`, `extern` or variadic. A state type that is not
/// `Send + Sync + 'static` is reported by the compiler at that type.
#[proc_macro_attribute]
pub fn init(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    match init::parse(args.into(), item.clone()) {
        Ok(parsed) => init::expand(&parsed).into(),
        Err(error) => with_error(item, error),
    }
}

/// The item exactly as the user wrote it, followed by the errors: the function stays usable (and visible to
/// the IDE) while the attribute is being fixed.
fn with_error(item: proc_macro2::TokenStream, error: syn::Error) -> TokenStream {
    let mut tokens = item;
    tokens.extend(error.to_compile_error());
    tokens.into()
}

/// Registers a function that runs when Lambda shuts the execution environment down: close a pool,
/// flush a buffered exporter.
///
/// ```ignore
/// use lambda_fn::{init, shutdown, State};
///
/// #[init]
/// fn exporter() -> Exporter { Exporter::new() }
///
/// #[shutdown]
/// async fn flush(exporter: State<Exporter>) {
///     exporter.flush().await;
/// }
/// ```
///
/// Its parameters are `State<T>`, state built by `#[init]` functions; a hook whose state was not built
/// (the selected handler did not need it) does not run. It returns nothing or `Result<(), E>` (an `Err` is
/// logged). With a hook registered the runtime registers an internal extension, so that Lambda sends
/// SIGTERM before the shutdown; the hooks then run within the shutdown budget, and an `async` hook that
/// overruns is cut off at an `.await` and logged. A hook that blocks the thread (a plain `fn` doing slow
/// work, or blocking calls in an `async fn`) cannot be cut off: Lambda ends the process at its deadline.
///
/// # Compile errors
///
/// At the offending token: arguments, anything but a function, a parameter that is not `State<T>`, a return
/// type other than nothing or `Result<(), E>`, generic, `unsafe`, `extern` or variadic functions.
#[proc_macro_attribute]
pub fn shutdown(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    match shutdown::parse(args.into(), item.clone()) {
        Ok(parsed) => shutdown::expand(&parsed).into(),
        Err(error) => with_error(item, error),
    }
}
