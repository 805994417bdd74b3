//! Instrumentation plugins: code that watches a workflow's invocations, operations and step attempts
//! (for traces, metrics or audit lines) without being part of it.
//!
//! A plugin is given in the handler's annotation, `durable(plugins = [...])`; each expression there is
//! evaluated once per invocation, so a plugin's fields hold what it learns during one invocation (the
//! execution's ARN from [`Plugin::on_invocation_start`], say) and start fresh in the next.
//!
//! ```
//! use lambda_fn::durable::DurableContext;
//! use lambda_fn::durable::plugin::{InvocationInfo, InvocationStatus, OperationInfo, Plugin};
//!
//! /// Counts the operations each invocation starts, and says so at its end.
//! #[derive(Default)]
//! struct Counter {
//!     started: usize,
//! }
//!
//! impl Plugin for Counter {
//!     fn on_operation_start(&mut self, _operation: &OperationInfo<'_>) {
//!         self.started += 1;
//!     }
//!
//!     fn on_invocation_end(&mut self, invocation: &InvocationInfo<'_>, status: InvocationStatus) {
//!         println!("{}: {} operations started, {}", invocation.execution_arn, self.started, status.as_str());
//!     }
//! }
//!
//! #[lambda_fn::handler("plugin.counted", durable(plugins = [Counter::default()]))]
//! async fn counted(order: u64, ctx: DurableContext) -> Result<u64, lambda_fn::Error> {
//!     ctx.step("double", || async move { Ok::<_, lambda_fn::Error>(order * 2) }).await
//! }
//! # fn main() {}
//! ```
//!
//! **When each hook runs.** All on the invocation's thread, one at a time (a plugin needs no lock):
//! - [`on_invocation_start`](Plugin::on_invocation_start) before the workflow's code, and
//!   [`on_invocation_end`](Plugin::on_invocation_end) after its last checkpoint, with the answer's status.
//! - [`on_operation_start`](Plugin::on_operation_start) once the checkpoint that starts an operation was
//!   accepted (once per operation, not again when a retry starts it again or a replay reaches it). A
//!   step's start is checkpointed with its result, after its code ran (unless it runs at most once per
//!   retry), and a child context's with its first operation: their attempts are told before their start.
//! - [`on_operation_end`](Plugin::on_operation_end) when an invocation learns that an operation is over:
//!   the checkpoint that ended it was accepted, or a checkpoint's answer brings its end (a callback
//!   completed meanwhile), or the invocation begins with it among the operations the service says changed
//!   since the last one saw the state (a wait that elapsed, an invoked function that answered). An
//!   invocation tells it once; an end that a checkpoint's answer brought may be told again by the next
//!   invocation if the service lists it as changed, and one listed for an invocation that failed before
//!   its workflow ran is not told again.
//! - [`on_attempt_start`](Plugin::on_attempt_start) and [`on_attempt_end`](Plugin::on_attempt_end) around
//!   each run of a step's closure and of a `wait_for_condition` check, with the attempt's number; an
//!   attempt stopped before it returned (its map or parallel completed without it) ends `Incomplete`.
//!
//! **A hook cannot fail the workflow.** A hook that panics is logged (WARN, naming the hook) and the
//! invocation goes on as if the plugin were not there; the other plugins still get the hook. A panic
//! while the plugins are made (the annotation's expressions) fails the invocation, as the handler's own
//! would.

use std::cell::RefCell;

use super::protocol::{OperationStatus, OperationType, OperationUpdate};
use crate::runtime::panic::isolated;

/// Hooks into a durable workflow's invocations. Every method has an empty default: implement the ones
/// you need. See [the module](self) for when each runs.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a durable plugin",
    label = "each of `durable(plugins = [...])` is a value whose type implements `lambda_fn::durable::plugin::Plugin`"
)]
pub trait Plugin {
    /// An invocation of the execution begins; the workflow's code has not run yet.
    fn on_invocation_start(&mut self, invocation: &InvocationInfo<'_>) {
        let _ = invocation;
    }

    /// The invocation ends with `status`, what the function answers the service.
    fn on_invocation_end(&mut self, invocation: &InvocationInfo<'_>, status: InvocationStatus) {
        let _ = (invocation, status);
    }

    /// The checkpoint that starts `operation` was accepted.
    fn on_operation_start(&mut self, operation: &OperationInfo<'_>) {
        let _ = operation;
    }

    /// `operation` is over, with `status`.
    fn on_operation_end(&mut self, operation: &OperationInfo<'_>, status: OperationEnd) {
        let _ = (operation, status);
    }

    /// Attempt `attempt` (from 1) of `operation`'s code begins: a step's closure, a condition's check.
    fn on_attempt_start(&mut self, operation: &OperationInfo<'_>, attempt: u32) {
        let _ = (operation, attempt);
    }

    /// Attempt `attempt` of `operation`'s code returned with `outcome`; its checkpoint comes next.
    fn on_attempt_end(&mut self, operation: &OperationInfo<'_>, attempt: u32, outcome: AttemptOutcome) {
        let _ = (operation, attempt, outcome);
    }
}

/// A plugin of `durable(plugins = [...])`, boxed; what the macro's expansion calls.
#[doc(hidden)]
pub fn boxed<P: Plugin + 'static>(plugin: P) -> Box<dyn Plugin> {
    Box::new(plugin)
}

/// The invocation a hook is about.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct InvocationInfo<'a> {
    /// The durable execution's ARN.
    pub execution_arn: &'a str,
    /// Whether this is the execution's first invocation: nothing but the execution itself is recorded
    /// yet. An invocation Lambda makes again after one that failed before any checkpoint is first too.
    pub first: bool,
}

/// How an invocation ends: what it answers the durable execution service, or that it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvocationStatus {
    /// The workflow returned its result: the execution succeeded.
    Succeeded,
    /// The workflow returned an error, or cannot go on: the execution failed.
    Failed,
    /// The workflow waits (a wait, a callback, an invoke, a retry delay): another invocation follows.
    Pending,
    /// The invocation itself fails, with no answer for the service (a checkpoint that failed in a way
    /// another invocation may not, a result that is not JSON, a panic), and Lambda invokes the function
    /// again.
    Retry,
}

impl InvocationStatus {
    /// `SUCCEEDED`, `FAILED` and `PENDING` as the answer's `Status` spells them, and `RETRY` (no answer:
    /// the invocation fails), as AWS's SDKs name it to their plugins.
    pub fn as_str(self) -> &'static str {
        match self {
            InvocationStatus::Succeeded => "SUCCEEDED",
            InvocationStatus::Failed => "FAILED",
            InvocationStatus::Pending => "PENDING",
            InvocationStatus::Retry => "RETRY",
        }
    }
}

impl<'a> InvocationInfo<'a> {
    /// An invocation of execution `execution_arn`, its first or not: to call a plugin's hooks in a test
    /// of the plugin itself.
    pub fn new(execution_arn: &'a str, first: bool) -> Self {
        InvocationInfo { execution_arn, first }
    }
}

/// The operation a hook is about, as the history records it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct OperationInfo<'a> {
    /// The operation's id, the one the history shows.
    pub id: &'a str,
    /// What kind of operation it is.
    pub kind: OperationKind,
    /// Its subtype, as the history shows it: `Step`, `Wait`, `Callback`, `RunInChildContext`, `Map`,
    /// `MapIteration`, `Parallel`, `ParallelBranch`, `WaitForCallback`, `WaitForCondition`,
    /// `ChainedInvoke`.
    pub sub_type: Option<&'a str>,
    /// The name the workflow gave it, if any.
    pub name: Option<&'a str>,
    /// The id of the child context (or map, parallel) it belongs to, `None` at the top.
    pub parent_id: Option<&'a str>,
}

impl<'a> OperationInfo<'a> {
    /// Operation `id` of kind `kind`, with no subtype, name or parent: to call a plugin's hooks in a test
    /// of the plugin itself.
    ///
    /// ```
    /// use lambda_fn::durable::plugin::{OperationInfo, OperationKind};
    ///
    /// let step = OperationInfo::new("1", OperationKind::Step).with_name("charge").with_sub_type("Step");
    /// assert_eq!((step.name, step.sub_type, step.parent_id), (Some("charge"), Some("Step"), None));
    /// ```
    pub fn new(id: &'a str, kind: OperationKind) -> Self {
        OperationInfo {
            id,
            kind,
            sub_type: None,
            name: None,
            parent_id: None,
        }
    }

    /// The same, with subtype `sub_type`.
    pub fn with_sub_type(self, sub_type: &'a str) -> Self {
        OperationInfo {
            sub_type: Some(sub_type),
            ..self
        }
    }

    /// The same, named `name`.
    pub fn with_name(self, name: &'a str) -> Self {
        OperationInfo {
            name: Some(name),
            ..self
        }
    }

    /// The same, inside the child context (or map, parallel) `parent_id`.
    pub fn with_parent_id(self, parent_id: &'a str) -> Self {
        OperationInfo {
            parent_id: Some(parent_id),
            ..self
        }
    }
}

/// The kinds of operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationKind {
    /// A step, or a `wait_for_condition`.
    Step,
    /// A wait.
    Wait,
    /// A callback.
    Callback,
    /// An invoke of another function.
    ChainedInvoke,
    /// A child context, a map or parallel, or one of their branches.
    Context,
}

impl OperationKind {
    /// The kind as the API spells it: `STEP`, `WAIT`, `CALLBACK`, `CHAINED_INVOKE` or `CONTEXT`.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationKind::Step => "STEP",
            OperationKind::Wait => "WAIT",
            OperationKind::Callback => "CALLBACK",
            OperationKind::ChainedInvoke => "CHAINED_INVOKE",
            OperationKind::Context => "CONTEXT",
        }
    }

    fn from_type(kind: OperationType) -> Option<OperationKind> {
        match kind {
            OperationType::Execution => None,
            OperationType::Context => Some(OperationKind::Context),
            OperationType::Step => Some(OperationKind::Step),
            OperationType::Wait => Some(OperationKind::Wait),
            OperationType::Callback => Some(OperationKind::Callback),
            OperationType::ChainedInvoke => Some(OperationKind::ChainedInvoke),
        }
    }
}

/// How an operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationEnd {
    /// It succeeded: a step returned, a wait elapsed, a callback or invoke returned a result.
    Succeeded,
    /// It failed: a step's last attempt, a callback's or invoked function's error.
    Failed,
    /// It was cancelled.
    Cancelled,
    /// Its timeout passed (a callback, an invoke).
    TimedOut,
    /// The execution was stopped while it ran.
    Stopped,
}

impl OperationEnd {
    /// The status as the API spells it: `SUCCEEDED`, `FAILED`, `CANCELLED`, `TIMED_OUT` or `STOPPED`.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationEnd::Succeeded => "SUCCEEDED",
            OperationEnd::Failed => "FAILED",
            OperationEnd::Cancelled => "CANCELLED",
            OperationEnd::TimedOut => "TIMED_OUT",
            OperationEnd::Stopped => "STOPPED",
        }
    }

    pub(crate) fn from_status(status: OperationStatus) -> Option<OperationEnd> {
        match status {
            OperationStatus::Succeeded => Some(OperationEnd::Succeeded),
            OperationStatus::Failed => Some(OperationEnd::Failed),
            OperationStatus::Cancelled => Some(OperationEnd::Cancelled),
            OperationStatus::TimedOut => Some(OperationEnd::TimedOut),
            OperationStatus::Stopped => Some(OperationEnd::Stopped),
            OperationStatus::Started | OperationStatus::Pending | OperationStatus::Ready => None,
        }
    }
}

/// How one attempt of an operation's code went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// It returned a value (for a condition's check: the new state).
    Succeeded,
    /// It returned an error.
    Failed,
    /// It was stopped before it returned: its map or parallel completed without it, or the invocation
    /// ended.
    Incomplete,
}

impl AttemptOutcome {
    /// `SUCCEEDED`, `FAILED` or `INCOMPLETE`.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptOutcome::Succeeded => "SUCCEEDED",
            AttemptOutcome::Failed => "FAILED",
            AttemptOutcome::Incomplete => "INCOMPLETE",
        }
    }
}

/// An operation's identity, owned, for the hooks that fire after its update was sent.
#[derive(Debug, Clone)]
pub(crate) struct Described {
    pub(crate) id: String,
    pub(crate) kind: OperationType,
    pub(crate) sub_type: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) parent_id: Option<String>,
}

impl Described {
    pub(crate) fn of_update(update: &OperationUpdate) -> Described {
        Described {
            id: update.id.clone(),
            kind: update.kind,
            sub_type: update.sub_type.as_deref().map(str::to_owned),
            name: update.name.clone(),
            parent_id: update.parent_id.clone(),
        }
    }

    pub(crate) fn of_operation(op: &super::protocol::Operation) -> Described {
        Described {
            id: op.id.clone(),
            kind: op.kind,
            sub_type: op.sub_type.clone(),
            name: op.name.clone(),
            parent_id: op.parent_id.clone(),
        }
    }

    fn info(&self) -> Option<OperationInfo<'_>> {
        Some(OperationInfo {
            id: &self.id,
            kind: OperationKind::from_type(self.kind)?,
            sub_type: self.sub_type.as_deref(),
            name: self.name.as_deref(),
            parent_id: self.parent_id.as_deref(),
        })
    }
}

/// The plugins of one invocation, each hook called on every one of them, a panic caught and logged.
#[derive(Default)]
pub(crate) struct Plugins {
    plugins: RefCell<Vec<Box<dyn Plugin>>>,
    execution_arn: String,
}

impl Plugins {
    pub(crate) fn new(plugins: Vec<Box<dyn Plugin>>, execution_arn: &str) -> Plugins {
        Plugins {
            plugins: RefCell::new(plugins),
            execution_arn: execution_arn.to_owned(),
        }
    }

    /// Whether there is no plugin: the callers skip building what the hooks would be given.
    pub(crate) fn is_empty(&self) -> bool {
        self.plugins.borrow().is_empty()
    }

    pub(crate) fn invocation_start(&self, first: bool) {
        let info = InvocationInfo {
            execution_arn: &self.execution_arn,
            first,
        };
        self.each("a durable plugin's `on_invocation_start`", |plugin| {
            plugin.on_invocation_start(&info)
        });
    }

    pub(crate) fn invocation_end(&self, first: bool, status: InvocationStatus) {
        let info = InvocationInfo {
            execution_arn: &self.execution_arn,
            first,
        };
        self.each("a durable plugin's `on_invocation_end`", |plugin| {
            plugin.on_invocation_end(&info, status)
        });
    }

    pub(crate) fn operation_start(&self, operation: &Described) {
        if let Some(info) = operation.info() {
            self.each("a durable plugin's `on_operation_start`", |plugin| {
                plugin.on_operation_start(&info)
            });
        }
    }

    pub(crate) fn operation_end(&self, operation: &Described, status: OperationEnd) {
        if let Some(info) = operation.info() {
            self.each("a durable plugin's `on_operation_end`", |plugin| {
                plugin.on_operation_end(&info, status)
            });
        }
    }

    pub(crate) fn attempt_start(&self, operation: &Described, attempt: u32) {
        if let Some(info) = operation.info() {
            self.each("a durable plugin's `on_attempt_start`", |plugin| {
                plugin.on_attempt_start(&info, attempt)
            });
        }
    }

    pub(crate) fn attempt_end(&self, operation: &Described, attempt: u32, outcome: AttemptOutcome) {
        if let Some(info) = operation.info() {
            self.each("a durable plugin's `on_attempt_end`", |plugin| {
                plugin.on_attempt_end(&info, attempt, outcome)
            });
        }
    }

    /// Calls `hook` (named `whose` in the log line of its panic) on each plugin in order. A hook runs
    /// with the plugins borrowed; no hook can reach the workflow's context, so none can call back in.
    fn each(&self, whose: &'static str, mut hook: impl FnMut(&mut dyn Plugin)) {
        let Ok(mut plugins) = self.plugins.try_borrow_mut() else {
            tracing::warn!(target: "lambda_fn::durable", "{whose} was called from inside a hook; not called");
            return;
        };
        for plugin in plugins.iter_mut() {
            // A panic is logged by the panic hook, as this plugin's and at WARN; the next plugin goes on.
            let _ = isolated(whose, || hook(plugin.as_mut()));
        }
    }
}
