//! What the macros register at link time: handlers, `#[init]` and `#[shutdown]` functions, with their
//! settings and triggers; and [`Contributed`], the seam through which another room of the runtime adds
//! handlers that are not functions of their own (the router adds one per handler name with routes).
//! A leaf: it names no room that uses it. Listing, checking and choosing among them is `catalog`'s.

use std::any::{Any, TypeId};
use std::future::Future;
use std::pin::Pin;

use crate::error::Error;
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
    /// `durable`: a durable workflow, with its `DurableConfig`.
    pub durable: Option<DurableConfig>,
    /// `calls = [f, g]`: the names of the handlers of this binary it calls (`lambda_fn::call`), which the
    /// template wires to it.
    pub calls: &'static [&'static str],
}

/// A durable function's settings, from `durable(timeout = 86400, retention_days = 14)`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurableConfig {
    /// `ExecutionTimeout`: seconds an execution may last, waits included.
    pub timeout_s: u32,
    /// `RetentionPeriodInDays`: Lambda's default when `None`.
    pub retention_days: Option<u32>,
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
        durable: None,
        calls: &[],
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
    /// Where it is defined: `file:line (module)`.
    pub(crate) fn location(&self) -> String {
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

/// Handlers that another room of the runtime contributes, beside the `#[handler]` functions: the
/// router contributes one per handler name with routes. The catalog lists, checks and prepares them
/// through these functions without naming the room they come from.
pub(crate) struct Contributed {
    /// The contributed handlers.
    pub(crate) handlers: fn() -> &'static [HandlerRegistration],
    /// Checks the contribution against the plain handlers (a name both plain and contributed, two
    /// contributions that clash).
    pub(crate) check: fn(plain: &[&'static HandlerRegistration]) -> Result<(), Error>,
    /// The state the extractors of a contributed handler need built at start-up.
    pub(crate) state_needs: fn(handler: &'static HandlerRegistration) -> Vec<StateKey>,
    /// Puts what a contributed handler needs to run into its state (the router's route table).
    pub(crate) prepare: fn(handler: &'static HandlerRegistration, states: &mut StateMap),
}

impl Contributed {
    /// Whether `handler` is one of this contribution's (the same registration, not only the same name).
    pub(crate) fn owns(&self, handler: &HandlerRegistration) -> bool {
        (self.handlers)().iter().any(|own| std::ptr::eq(own, handler))
    }
}
