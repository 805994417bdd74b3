//! [`DurableContext`]: the workflow's handle on its execution, and what every operation shares: its id,
//! the determinism check against the history, checkpoints that return only once accepted, and
//! suspension. The operations themselves live beside it (`step.rs`, `wait.rs`, `child.rs`, ...).

use std::cell::Cell;
use std::rc::Rc;

use super::execution::Execution;
use super::ids::operation_id;
use super::plugin::{AttemptOutcome, Described};
use super::protocol::{Action, ErrorObject, Operation, OperationType, OperationUpdate};
use super::serdes::Serdes;
use crate::error::Error;

/// The workflow's handle on its durable execution, the second parameter of a
/// `#[handler("name", durable)]` function.
///
/// Each [`step`](Self::step) runs its closure once and checkpoints the result; when the function is
/// invoked again (after a [`wait`](Self::wait), a retry delay or a failure) the workflow runs from the top
/// and every step already done returns its recorded result without running. The workflow must reach its
/// operations in the same order on every run: code between them should be deterministic (no clock, no
/// randomness, no I/O outside steps). A run that reaches a different operation than the history recorded
/// fails the execution with `Durable.NonDeterministic`, naming the operation.
///
/// ```
/// use lambda_fn::durable::DurableContext;
/// use std::time::Duration;
///
/// #[lambda_fn::handler("checkout.flow", durable)]
/// async fn flow(order_id: String, ctx: DurableContext) -> Result<String, lambda_fn::Error> {
///     let reserved: u32 = ctx.step("reserve", || async { Ok::<_, lambda_fn::Error>(3) }).await?;
///     ctx.wait("cool-off", Duration::from_secs(60)).await?;
///     let receipt = ctx
///         .step("charge", || async move { Ok::<_, lambda_fn::Error>(format!("{order_id}: {reserved}")) })
///         .await?;
///     Ok(receipt)
/// }
/// # fn main() {}
/// ```
pub struct DurableContext {
    pub(super) execution: Rc<Execution>,
    /// The id of the child context this is, `None` for the workflow's own: its operations' ids derive
    /// from it.
    pub(super) parent: Option<Rc<str>>,
    /// The parent its operations report, the same but in a flat batch branch (see `batch.rs`), whose
    /// operations report the batch.
    reported_parent: Option<Rc<str>>,
    /// Operations created so far: the next one is number `counter + 1`.
    counter: Cell<u64>,
    /// The batch branch this context runs in, if any: suspending stops only that branch, and the batch
    /// decides when the whole invocation suspends.
    pub(super) branch: Option<Rc<Branch>>,
}

/// One running branch of a map or parallel, as its contexts see it.
#[derive(Debug, Default)]
pub(super) struct Branch {
    /// Set when the branch waits on the service (a wait, a retry delay, a callback): it does not go on
    /// in this invocation.
    pub(super) suspended: Cell<bool>,
}

impl DurableContext {
    pub(crate) fn new(execution: Rc<Execution>) -> DurableContext {
        DurableContext {
            execution,
            parent: None,
            reported_parent: None,
            counter: Cell::new(0),
            branch: None,
        }
    }

    /// The context of the child operation `id`: its operations are numbered from 1 under that id.
    pub(super) fn nested(&self, id: &str) -> DurableContext {
        let id: Rc<str> = Rc::from(id);
        DurableContext {
            execution: Rc::clone(&self.execution),
            parent: Some(Rc::clone(&id)),
            reported_parent: Some(id),
            counter: Cell::new(0),
            branch: self.branch.clone(),
        }
    }

    /// The context of a batch branch with id `id` (reporting `reported_parent` as its operations'
    /// parent), which suspends on its own.
    pub(super) fn branch(&self, id: &str, reported_parent: &str, branch: Rc<Branch>) -> DurableContext {
        DurableContext {
            execution: Rc::clone(&self.execution),
            parent: Some(Rc::from(id)),
            reported_parent: Some(Rc::from(reported_parent)),
            counter: Cell::new(0),
            branch: Some(branch),
        }
    }

    /// The id of this context's next operation, which the workflow has now reached.
    pub(super) fn next_id(&self) -> String {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        let id = operation_id(self.parent.as_deref(), n);
        self.execution.reach(&id);
        id
    }

    /// Whether this run is still going over what an earlier invocation of the execution did (it has not
    /// yet reached again every operation that was over when this invocation began). Code with side
    /// effects outside steps, such as logging, can skip them while replaying, since they happened when
    /// that code first ran; [`logger`](Self::logger) does so.
    pub fn is_replaying(&self) -> bool {
        self.execution.replaying()
    }

    /// A logger whose lines are written once per execution, not again on each replay.
    ///
    /// ```
    /// use lambda_fn::durable::DurableContext;
    /// use std::time::Duration;
    ///
    /// async fn flow(ctx: DurableContext) -> Result<(), lambda_fn::Error> {
    ///     ctx.logger().info("starting");                   // written in the first invocation only
    ///     ctx.wait("pause", Duration::from_secs(60)).await?;
    ///     ctx.logger().info("the pause is over");          // written in the second
    ///     Ok(())
    /// }
    /// ```
    pub fn logger(&self) -> DurableLogger<'_> {
        DurableLogger {
            context: self,
            every_run: false,
        }
    }

    /// An update of operation `id` in this context.
    pub(super) fn update(
        &self,
        id: &str,
        kind: OperationType,
        sub_type: &'static str,
        name: &str,
        action: Action,
    ) -> OperationUpdate {
        OperationUpdate {
            id: id.to_owned(),
            parent_id: self.reported_parent.as_deref().map(str::to_owned),
            name: (!name.is_empty()).then(|| name.to_owned()),
            kind,
            sub_type: Some(std::borrow::Cow::Borrowed(sub_type)),
            action,
            ..OperationUpdate::default()
        }
    }

    /// Runs `code`, attempt `attempt` of the operation `update` describes, with the plugins told when it
    /// begins and ends.
    pub(super) async fn attempt<T, E, Fut>(
        &self,
        update: &dyn Fn(Action) -> OperationUpdate,
        attempt: u32,
        code: impl FnOnce() -> Fut,
    ) -> Result<T, E>
    where
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        let plugins = self.execution.plugins();
        if plugins.is_empty() {
            return code().await;
        }
        let operation = Described::of_update(&update(Action::Start));
        plugins.attempt_start(&operation, attempt);
        // Told `Incomplete` if the attempt's future is dropped before it returns (its batch completed
        // without it, or the invocation ended).
        let mut running = Attempt {
            plugins,
            operation,
            attempt,
            ended: false,
        };
        let outcome = code().await;
        let how = match outcome {
            Ok(_) => AttemptOutcome::Succeeded,
            Err(_) => AttemptOutcome::Failed,
        };
        running.ended = true;
        plugins.attempt_end(&running.operation, attempt, how);
        outcome
    }

    /// Sends a checkpoint; returns only once it was accepted.
    pub(super) async fn send(&self, updates: Vec<OperationUpdate>) {
        if self.execution.checkpoint(updates).await.is_err() {
            self.execution.stop::<()>().await;
        }
    }

    /// Ends this invocation with `PENDING` (see [`Execution::suspend`]); in a batch branch, stops the
    /// branch, and the batch suspends the invocation when none of its branches can go on.
    pub(super) async fn suspend<T>(&self) -> T {
        suspend(&self.execution, self.branch.as_deref()).await
    }

    /// Ends the execution with `error`, which no replay can mend.
    pub(super) async fn fail<T>(&self, error_type: &str, message: String) -> T {
        self.execution.fail(error_type, message).await
    }

    /// The determinism check: the recorded operation must be the one this run reached.
    pub(super) async fn check(&self, op: &Operation, kind: OperationType, sub_type: &str, name: &str) {
        let recorded_name = op.name.as_deref().unwrap_or("");
        let recorded_sub_type = op.sub_type.as_deref().unwrap_or("");
        if op.kind == kind
            && recorded_sub_type == sub_type
            && recorded_name == name
            && op.parent_id.as_deref() == self.reported_parent.as_deref()
        {
            return;
        }
        let place = match &self.parent {
            Some(parent) => format!("operation {} of child context {parent}", self.counter.get()),
            None => format!("operation {}", self.counter.get()),
        };
        self.fail(
            "Durable.NonDeterministic",
            format!(
                "{place} (id {}) was recorded as {:?} `{recorded_name}` ({recorded_sub_type}), but this run reached \
                 {kind:?} `{name}` ({sub_type}) there: the workflow must reach its operations in the same order on \
                 every run",
                op.id, op.kind,
            ),
        )
        .await
    }

    /// A recorded result read with `serdes`; one it cannot read fails the execution.
    pub(super) async fn decode<T, S: Serdes<T>>(&self, serdes: &S, what: &str, data: &str) -> T {
        self.execution.decode(serdes, what, data).await
    }
}

/// Log lines written through `tracing` (target `lambda_fn::durable`) unless the workflow is replaying,
/// from [`DurableContext::logger`]. Each line carries the execution's ARN as `durableExecutionArn`
/// (a key of its own in JSON logs), which is how a log search finds one execution's lines.
#[derive(Clone, Copy)]
pub struct DurableLogger<'a> {
    context: &'a DurableContext,
    every_run: bool,
}

impl std::fmt::Debug for DurableLogger<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DurableLogger")
            .field("replaying", &self.context.is_replaying())
            .field("every_run", &self.every_run)
            .finish()
    }
}

impl DurableLogger<'_> {
    /// The same logger, writing while the workflow replays too: a line comes again on each run of the
    /// code that writes it (to see every run of a child context's body, say).
    ///
    /// ```
    /// use lambda_fn::durable::DurableContext;
    ///
    /// async fn flow(ctx: DurableContext) -> Result<(), lambda_fn::Error> {
    ///     ctx.logger().every_run().debug("the workflow runs from the top");
    ///     Ok(())
    /// }
    /// ```
    pub fn every_run(self) -> Self {
        DurableLogger {
            every_run: true,
            ..self
        }
    }

    fn writes(&self) -> Option<&str> {
        (self.every_run || !self.context.is_replaying()).then(|| self.context.execution.arn())
    }

    /// A line at level DEBUG.
    pub fn debug(&self, message: impl std::fmt::Display) {
        if let Some(arn) = self.writes() {
            tracing::debug!(target: "lambda_fn::durable", durableExecutionArn = arn, "{message}");
        }
    }

    /// A line at level INFO.
    pub fn info(&self, message: impl std::fmt::Display) {
        if let Some(arn) = self.writes() {
            tracing::info!(target: "lambda_fn::durable", durableExecutionArn = arn, "{message}");
        }
    }

    /// A line at level WARN.
    pub fn warn(&self, message: impl std::fmt::Display) {
        if let Some(arn) = self.writes() {
            tracing::warn!(target: "lambda_fn::durable", durableExecutionArn = arn, "{message}");
        }
    }

    /// A line at level ERROR.
    pub fn error(&self, message: impl std::fmt::Display) {
        if let Some(arn) = self.writes() {
            tracing::error!(target: "lambda_fn::durable", durableExecutionArn = arn, "{message}");
        }
    }
}

/// An attempt under way, for the plugins: dropped before it ended, it is told `Incomplete`.
struct Attempt<'a> {
    plugins: &'a super::plugin::Plugins,
    operation: Described,
    attempt: u32,
    ended: bool,
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        // Not while a panic unwinds: a hook that panicked then would abort the process.
        if !self.ended && !std::thread::panicking() {
            self.plugins
                .attempt_end(&self.operation, self.attempt, AttemptOutcome::Incomplete);
        }
    }
}

/// Stops the work of `branch`, or the invocation (`PENDING`) outside a batch.
pub(super) async fn suspend<T>(execution: &Execution, branch: Option<&Branch>) -> T {
    match branch {
        Some(branch) => {
            branch.suspended.set(true);
            execution.stop().await
        }
        None => execution.suspend().await,
    }
}

/// The error of an operation that failed, as recorded.
pub(super) fn recorded_error(what: &str, error: Option<&ErrorObject>) -> Error {
    let error_type = error.and_then(|e| e.error_type.clone());
    let message = error.and_then(|e| e.error_message.clone());
    Error::new(
        error_type.unwrap_or_else(|| "Durable.OperationFailed".to_owned()),
        message.unwrap_or_else(|| format!("{what} failed")),
    )
}

/// An error as the history records it.
pub(crate) fn error_object(error: &Error) -> ErrorObject {
    ErrorObject::new(error.error_type(), error.message())
}

/// A duration in the API's whole seconds: rounded up, at least 1.
pub(super) fn whole_seconds(duration: std::time::Duration) -> u64 {
    let seconds = duration.as_secs() + u64::from(duration.subsec_nanos() > 0);
    seconds.max(1)
}
