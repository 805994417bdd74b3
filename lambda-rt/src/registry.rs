//! The handlers and `#[init]` functions registered at link time, and choosing among them at start-up.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use crate::error::{Error, kind};
use crate::extract::{Invocation, StateKey, StateMap};

/// The future a registered handler returns: the encoded JSON response, or the error to report.
#[doc(hidden)]
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<crate::encode::Output, Error>>>>;

/// The future an `#[init]` function returns: the state value, type-erased.
#[doc(hidden)]
pub type InitFuture = Pin<Box<dyn Future<Output = Result<Box<dyn Any + Send + Sync>, Error>>>>;

/// One `#[handler("name")]` function, submitted to `inventory` by the macro.
#[doc(hidden)]
pub struct HandlerRegistration {
    /// The name `_HANDLER` selects it by.
    pub name: &'static str,
    /// The event type as written in the source (the record type of a batch handler).
    pub event_type: &'static str,
    /// The return type as written in the source (`()` when there is none).
    pub return_type: &'static str,
    /// The return type names `StreamingResponse`: the function answers in streaming mode.
    pub streaming: bool,
    /// `module_path!()` of the handler.
    pub module: &'static str,
    /// `file!()` of the handler.
    pub file: &'static str,
    /// `line!()` of the handler.
    pub line: u32,
    /// For each extractor parameter, the state it needs built at start-up.
    pub states: &'static [fn() -> Option<StateKey>],
    /// Decodes the event, calls the handler, encodes its result.
    pub call: fn(Invocation) -> HandlerFuture,
    /// A `batch` handler's settings: it answers with `batchItemFailures`, so its event source mapping
    /// needs `FunctionResponseTypes: [ReportBatchItemFailures]`.
    pub batch: Option<BatchSettings>,
    /// The function settings and triggers from the annotation.
    pub deploy: Deploy,
}

/// What a handler's annotation says about its deployment (`memory = 256, timeout = 30, sqs = "Queue"`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deploy {
    /// `memory`: MB.
    pub memory_mb: Option<u32>,
    /// `timeout`: seconds.
    pub timeout_s: Option<u32>,
    /// `reserved_concurrency`: `ReservedConcurrentExecutions`.
    pub reserved_concurrency: Option<u32>,
    /// `env = "NAME=value"`: environment variables.
    pub env: &'static [(&'static str, &'static str)],
    /// `architecture = "arm64"` or `"x86_64"`: what the function must run on (the binary is built for one).
    pub architecture: Option<&'static str>,
    /// `api = "rest"` or `"http"`: the API Gateway that serves a routed function's routes (an HTTP API
    /// when `None`).
    pub api: Option<&'static str>,
    /// The events that invoke it.
    pub triggers: &'static [Trigger],
}

impl Deploy {
    /// No settings, no triggers.
    pub const NONE: Deploy = Deploy {
        memory_mb: None,
        timeout_s: None,
        reserved_concurrency: None,
        env: &[],
        architecture: None,
        api: None,
        triggers: &[],
    };
}

/// One trigger of a handler.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// `sqs = "Queue"` or `sqs(queue = "Queue", batch_size = 100, window = 5)`: a queue the template
    /// creates (a logical id) or an existing one (an ARN).
    Sqs {
        /// The logical id or ARN.
        queue: &'static str,
        /// `BatchSize`: messages per invocation, at most.
        batch_size: Option<u32>,
        /// `MaximumBatchingWindowInSeconds`: how long Lambda gathers messages before invoking.
        window_s: Option<u32>,
    },
    /// `sns = "Topic"`: a topic the template creates (a logical id) or an existing one (an ARN).
    Sns {
        /// The logical id or ARN.
        topic: &'static str,
    },
    /// `kinesis = "Stream"`: a Kinesis stream of the template (defined in its overrides).
    Kinesis {
        /// The stream's logical id.
        stream: &'static str,
    },
    /// `dynamodb = "Table"`: the stream of a DynamoDB table of the template (defined in its overrides).
    DynamoDb {
        /// The table's logical id.
        table: &'static str,
    },
    /// `s3 = "Bucket"`: object-created events of a bucket the template creates.
    S3 {
        /// The bucket's logical id.
        bucket: &'static str,
    },
    /// `schedule = "rate(5 minutes)"`: an EventBridge schedule.
    Schedule {
        /// The schedule expression.
        expression: &'static str,
    },
    /// `eventbridge = "{...}"` or `eventbridge(pattern = "{...}", bus = "Bus")`: an EventBridge rule.
    EventBridge {
        /// The event pattern, JSON (checked when the handler compiled).
        pattern: &'static str,
        /// The event bus's name or ARN; the default bus when `None`.
        bus: Option<&'static str>,
    },
    /// `alb(listener = "Listener", path = "/orders*", priority = 10)`: the target of a load balancer
    /// listener rule.
    Alb {
        /// The listener's logical id (in the overrides) or ARN.
        listener: &'static str,
        /// The rule's path pattern.
        path: &'static str,
        /// The rule's priority, 1 to 50000, one rule per priority on a listener.
        priority: u32,
    },
    /// `url` or `url(streaming)`: a function URL.
    Url {
        /// `InvokeMode: RESPONSE_STREAM`.
        streaming: bool,
    },
}

/// The settings of a batch handler, from its annotation (`batch(concurrency = 8, margin_ms = 500)`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchSettings {
    /// Standard SQS records run at once, at most.
    pub concurrency: usize,
    /// Records are not started with less than this many milliseconds left before the deadline.
    pub margin_ms: u64,
}

impl Default for BatchSettings {
    fn default() -> Self {
        BatchSettings {
            concurrency: 1,
            margin_ms: 500,
        }
    }
}

impl std::fmt::Debug for HandlerRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "handler `{}` ({}) at {}",
            self.name,
            self.event_type,
            self.location()
        )
    }
}

impl HandlerRegistration {
    fn location(&self) -> String {
        format!("{}:{} ({})", self.file, self.line, self.module)
    }
}

/// One `#[init]` function, submitted to `inventory` by the macro.
#[doc(hidden)]
pub struct InitRegistration {
    /// The type of the state it builds, as written in the source.
    pub state_type: &'static str,
    /// `TypeId` of the state it builds.
    pub type_id: fn() -> TypeId,
    /// `module_path!()` of the function.
    pub module: &'static str,
    /// `file!()` of the function.
    pub file: &'static str,
    /// `line!()` of the function.
    pub line: u32,
    /// Runs the function.
    pub run: fn() -> InitFuture,
}

/// The future a `#[shutdown]` function returns.
#[doc(hidden)]
pub type ShutdownFuture = Pin<Box<dyn Future<Output = Result<(), Error>>>>;

/// One `#[shutdown]` function, submitted to `inventory` by the macro.
#[doc(hidden)]
pub struct ShutdownRegistration {
    /// The function's name.
    pub function: &'static str,
    /// `module_path!()` of the function.
    pub module: &'static str,
    /// `file!()` of the function.
    pub file: &'static str,
    /// `line!()` of the function.
    pub line: u32,
    /// The hook, when every state it takes is in the map (built at init); `None` otherwise.
    pub run: fn(&'static StateMap) -> Option<ShutdownFuture>,
}

inventory::collect!(HandlerRegistration);
inventory::collect!(InitRegistration);
inventory::collect!(ShutdownRegistration);

/// The names of all handlers registered in this binary, sorted.
///
/// ```
/// for name in lambda_rt::registered_handlers() {
///     println!("{name}");
/// }
/// ```
pub fn registered_handlers() -> Vec<&'static str> {
    let mut names: Vec<_> = inventory::iter::<HandlerRegistration>().map(|h| h.name).collect();
    names.extend(crate::http::route_names());
    names.sort_unstable();
    names
}

/// Every handler: the plain ones, then one per handler name with routes (served by the router).
pub(crate) fn all_handlers() -> impl Iterator<Item = &'static HandlerRegistration> {
    inventory::iter::<HandlerRegistration>().chain(
        crate::http::route_names()
            .into_iter()
            .filter_map(crate::http::routed_handler),
    )
}

/// Whether `handler` is the router of a handler name with routes.
fn is_routed(handler: &HandlerRegistration) -> bool {
    crate::http::routed_handler(handler.name).is_some_and(|routed| std::ptr::eq(routed, handler))
}

/// Checks the registrations of this binary: no two handlers share a name, no two routes of a handler
/// name match the same requests, no name is both a handler and the name of routes, and no two `#[init]`
/// functions build the same type. The runtime runs this at start-up; call it from a unit test to
/// find the mistake before deploying.
///
/// ```
/// // In a unit test of the crate that holds your handlers:
/// lambda_rt::check_registrations().expect("handler names are unique");
/// ```
pub fn check_registrations() -> Result<(), Error> {
    let mut by_name: HashMap<&str, &HandlerRegistration> = HashMap::new();
    for handler in inventory::iter::<HandlerRegistration>() {
        if let Some(first) = by_name.insert(handler.name, handler) {
            return Err(Error::new(
                kind::DUPLICATE_HANDLER,
                format!(
                    "two handlers are named `{}`: one at {}, the other at {}; rename one of them",
                    handler.name,
                    first.location(),
                    handler.location()
                ),
            ));
        }
    }
    let plain: Vec<_> = by_name.into_values().collect();
    crate::http::check_routes(&plain)?;
    let mut by_type: HashMap<TypeId, &InitRegistration> = HashMap::new();
    for init in inventory::iter::<InitRegistration>() {
        if let Some(first) = by_type.insert((init.type_id)(), init) {
            return Err(Error::new(
                kind::INIT_ERROR,
                format!(
                    "two #[init] functions build `{}`: one at {}:{}, the other at {}:{}; keep one",
                    init.state_type, first.file, first.line, init.file, init.line
                ),
            ));
        }
    }
    Ok(())
}

/// The handler `_HANDLER` names, or the only one registered when it is unset.
pub(crate) fn select(name: Option<&str>) -> Result<&'static HandlerRegistration, Error> {
    let mut handlers = all_handlers();
    let Some(name) = name else {
        return match (handlers.next(), handlers.next()) {
            (Some(only), None) => Ok(only),
            (None, _) => Err(Error::new(
                kind::HANDLER_NOT_FOUND,
                "no handler is registered in this binary: annotate a function with #[lambda_rt::handler(\"name\")] \
                 (a handler defined in a library crate needs `use that_crate as _;` in main.rs)",
            )),
            (Some(_), Some(_)) => Err(Error::new(
                kind::HANDLER_NOT_FOUND,
                format!(
                    "_HANDLER is not set and this binary has several handlers; set it to one of: {}",
                    registered_handlers().join(", ")
                ),
            )),
        };
    };
    if let Some(found) = handlers.find(|h| h.name == name) {
        return Ok(found);
    }
    let registered = registered_handlers();
    let mut message = format!("no handler named `{name}`; registered: {}", registered.join(", "));
    if registered.is_empty() {
        message = format!("no handler named `{name}`: this binary registers none");
    }
    if let Some(suggestion) = closest(name, &registered) {
        message.push_str(&format!(". Did you mean `{suggestion}`?"));
    }
    Err(Error::new(kind::HANDLER_NOT_FOUND, message))
}

/// The registered name closest to a mistyped one, if any is close enough to be a likely typo.
fn closest<'a>(name: &str, registered: &[&'a str]) -> Option<&'a str> {
    let lowercase = name.to_lowercase();
    registered
        .iter()
        .map(|candidate| (strsim::levenshtein(&lowercase, &candidate.to_lowercase()), *candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min()
        .map(|(_, candidate)| candidate)
}

/// The state types a handler's extractors (all its routes' extractors) need built at start-up.
pub(crate) fn state_needs(handler: &HandlerRegistration) -> impl Iterator<Item = StateKey> + '_ {
    let routes = is_routed(handler).then(|| crate::http::route_state_needs(handler.name));
    handler
        .states
        .iter()
        .filter_map(|state_key| state_key())
        .chain(routes.into_iter().flatten())
}

/// Runs the `#[init]` functions the handler's `State<T>` parameters need, once, and keeps their
/// values for the life of the process (with the route table, for a handler name with routes).
pub(crate) async fn build_states(handler: &HandlerRegistration) -> Result<&'static StateMap, Error> {
    let mut states = StateMap::new();
    if is_routed(handler) {
        let router = crate::http::Router::for_handler(handler.name);
        states.insert(TypeId::of::<crate::http::Router>(), Box::leak(Box::new(router)));
    }
    for key in state_needs(handler) {
        if states.contains_key(&key.type_id) {
            continue;
        }
        let init = inventory::iter::<InitRegistration>()
            .find(|init| (init.type_id)() == key.type_id)
            .ok_or_else(|| {
                Error::new(
                    kind::INIT_ERROR,
                    format!(
                        "handler `{}` takes `State<{}>` but no #[init] function returns `{}`; add one",
                        handler.name, key.type_name, key.type_name
                    ),
                )
            })?;
        let value = (init.run)().await.map_err(|e| {
            Error::new(
                kind::INIT_ERROR,
                format!(
                    "#[init] function for `{}` at {}:{} failed: {e}",
                    init.state_type, init.file, init.line
                ),
            )
        })?;
        states.insert(key.type_id, Box::leak(value));
    }
    Ok(Box::leak(Box::new(states)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_only() {
        let names = ["echo.raw", "hello.ALB", "square.APIGW"];
        assert_eq!(closest("helo.ALB", &names), Some("hello.ALB"));
        assert_eq!(closest("hello.alb", &names), Some("hello.ALB"));
        assert_eq!(closest("square.apigw2", &names), Some("square.APIGW"));
        assert_eq!(closest("orders.create", &names), None);
    }

    #[test]
    fn unknown_name_lists_what_exists() {
        // This test binary registers no handler.
        let err = select(Some("hello.ALB")).unwrap_err();
        assert_eq!(err.error_type(), "Runtime.HandlerNotFound");
        assert!(
            err.message().contains("no handler named `hello.ALB`"),
            "{}",
            err.message()
        );
        let err = select(None).unwrap_err();
        assert!(err.message().contains("no handler is registered"), "{}", err.message());
    }
}
