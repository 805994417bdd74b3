//! One invocation's view of a durable execution: the operations recorded so far (replayed from), the
//! checkpoint token, and the one way out when the workflow cannot go on in this invocation (a [`Halt`]).
//!
//! Checkpoints go one at a time (each answer rotates the token). An operation whose checkpoint is not
//! accepted never reports done: the execution halts, and every operation future of the workflow stays
//! pending from then on, so user code cannot observe or swallow the halt; the adapter (`run.rs`) answers
//! for it.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;

use tokio::sync::{Mutex, Notify};

use super::plugin::{Described, OperationEnd, Plugins};
use super::protocol::{
    Action, CheckpointResponse, ErrorObject, ExecutionState, Operation, OperationType, OperationUpdate,
};
use super::serdes::Serdes;

/// A future of the checkpoint transport, polled on the invocation's thread.
pub(crate) type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// How checkpoints and state pages reach the durable execution service: the signed Lambda client in a
/// function, memory in tests.
pub(crate) trait Checkpointer {
    /// CheckpointDurableExecution with `token` and `updates`.
    fn checkpoint<'a>(
        &'a self,
        token: &'a str,
        updates: &'a [OperationUpdate],
    ) -> LocalFuture<'a, Result<CheckpointResponse, CheckpointError>>;

    /// GetDurableExecutionState from `marker`, with the invocation's current `token`.
    fn state<'a>(&'a self, token: &'a str, marker: &'a str)
    -> LocalFuture<'a, Result<ExecutionState, CheckpointError>>;
}

/// A checkpoint or state call that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckpointError {
    /// Whether invoking the function again may succeed (throttling, a server error, a lost connection,
    /// a stale token); otherwise the execution cannot go on.
    pub(crate) retryable: bool,
    /// What happened, for the log and the error.
    pub(crate) message: String,
}

/// Why the workflow stops in this invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Halt {
    /// It waits on the service (a wait, a step's retry delay): the answer is `PENDING`.
    Suspended,
    /// It cannot go on, ever (a history the code does not match, a checkpoint refused for good): the
    /// answer is `FAILED` with this error.
    Failed(ErrorObject),
    /// A checkpoint failed in a way another invocation may not: the invocation fails, so that Lambda
    /// invokes the function again.
    Retry(String),
}

/// The state of one invocation of a durable execution.
pub(crate) struct Execution {
    /// The durable execution's ARN.
    arn: String,
    checkpointer: Box<dyn Checkpointer>,
    operations: RefCell<HashMap<String, Operation>>,
    /// The next checkpoint's token; `None` once the service revoked it. Held across a call, which
    /// makes the calls go one at a time.
    token: Mutex<Option<String>>,
    halt: RefCell<Option<Halt>>,
    halted: Notify,
    /// Updates that need no answer of their own (a child context's start): they go first in the next
    /// checkpoint, which saves a call per context.
    deferred: RefCell<Vec<OperationUpdate>>,
    /// The operations that were over when the invocation began: until the workflow has reached them all
    /// again, it is replaying what an earlier invocation did.
    over_at_start: HashSet<String>,
    reached: RefCell<HashSet<String>>,
    /// Whether a checkpoint call is under way (one a batch should not drop half-way, see `batch.rs`).
    checkpointing: Cell<bool>,
    /// The workflow's instrumentation plugins, told of the operations the checkpoints start and end.
    plugins: Plugins,
}

impl Execution {
    /// An execution with its first operations (already paged in) and first token.
    pub(crate) fn new(
        arn: String,
        checkpointer: Box<dyn Checkpointer>,
        operations: Vec<Operation>,
        token: String,
    ) -> Execution {
        let over_at_start = operations
            .iter()
            .filter(|op| op.kind != OperationType::Execution && op.status.is_terminal())
            .map(|op| op.id.clone())
            .collect();
        Execution {
            arn,
            checkpointer,
            operations: RefCell::new(operations.into_iter().map(|op| (op.id.clone(), op)).collect()),
            token: Mutex::new(Some(token)),
            halt: RefCell::new(None),
            halted: Notify::new(),
            deferred: RefCell::new(Vec::new()),
            over_at_start,
            reached: RefCell::new(HashSet::new()),
            checkpointing: Cell::new(false),
            plugins: Plugins::default(),
        }
    }

    /// The same execution, with `plugins` watching it.
    pub(crate) fn with_plugins(self, plugins: Plugins) -> Execution {
        Execution { plugins, ..self }
    }

    /// The durable execution's ARN.
    pub(crate) fn arn(&self) -> &str {
        &self.arn
    }

    /// The workflow's instrumentation plugins.
    pub(crate) fn plugins(&self) -> &Plugins {
        &self.plugins
    }

    /// Whether nothing but the execution itself is recorded: the execution's first invocation.
    pub(crate) fn first_invocation(&self) -> bool {
        self.operations
            .borrow()
            .values()
            .all(|op| op.kind == OperationType::Execution)
    }

    /// The workflow reached operation `id`.
    pub(crate) fn reach(&self, id: &str) {
        if self.over_at_start.contains(id) {
            self.reached.borrow_mut().insert(id.to_owned());
        }
    }

    /// The workflow went past child context `id` without running it (its result was recorded): the
    /// operations inside it count as reached.
    pub(crate) fn reach_inside(&self, id: &str) {
        let operations = self.operations.borrow();
        let inside = |op: &Operation| {
            let mut parent = op.parent_id.as_deref();
            while let Some(up) = parent {
                if up == id {
                    return true;
                }
                parent = operations.get(up).and_then(|op| op.parent_id.as_deref());
            }
            false
        };
        let mut reached = self.reached.borrow_mut();
        for op in operations
            .values()
            .filter(|op| self.over_at_start.contains(&op.id) && inside(op))
        {
            reached.insert(op.id.clone());
        }
    }

    /// Whether the workflow is still going over what an earlier invocation did: some operation that was
    /// over when this invocation began has not been reached again yet.
    pub(crate) fn replaying(&self) -> bool {
        self.reached.borrow().len() < self.over_at_start.len()
    }

    /// The recorded operation with `id`.
    pub(crate) fn recorded(&self, id: &str) -> Option<Operation> {
        self.operations.borrow().get(id).cloned()
    }

    /// The recorded `EXECUTION` operation.
    pub(crate) fn execution_operation(&self) -> Option<Operation> {
        let operations = self.operations.borrow();
        operations
            .values()
            .find(|op| op.kind == OperationType::Execution)
            .cloned()
    }

    /// Queues `update` for the next checkpoint: nothing the workflow does waits on its answer, and an
    /// update about an operation inside it comes after it in that checkpoint.
    pub(crate) fn defer(&self, update: OperationUpdate) {
        self.deferred.borrow_mut().push(update);
    }

    /// Sends `updates` (after the deferred ones) in one checkpoint and merges the operations the answer
    /// brings. `Err` when the execution halted instead (the caller then waits on [`Execution::stop`]).
    pub(crate) async fn checkpoint(&self, updates: Vec<OperationUpdate>) -> Result<(), ()> {
        let mut token = self.token.lock().await;
        self.checkpointing.set(true);
        let _done = Unset(&self.checkpointing);
        let updates = {
            let mut all = std::mem::take(&mut *self.deferred.borrow_mut());
            all.extend(updates);
            all
        };
        if self.halt.borrow().is_some() {
            return Err(());
        }
        let Some(current) = token.clone() else {
            self.halt(Halt::Suspended);
            return Err(());
        };
        let answer = match self.checkpointer.checkpoint(&current, &updates).await {
            Ok(answer) => answer,
            Err(error) => {
                self.halt_on(error);
                return Err(());
            }
        };
        *token = answer.checkpoint_token.clone();
        // The checkpoint is accepted: what it started and ended is told now, whatever the paging does.
        let mut watch = (!self.plugins.is_empty()).then(|| self.watch(&updates));
        if let Some(watch) = &mut watch {
            watch.tell_own(&self.plugins);
        }
        let mut state = answer.new_execution_state;
        loop {
            if let Some(watch) = &mut watch {
                watch.ended_elsewhere(&self.operations.borrow(), &state.operations);
            }
            self.merge(std::mem::take(&mut state.operations));
            let (Some(marker), Some(current)) = (state.next_marker.filter(|m| !m.is_empty()), token.as_deref()) else {
                break;
            };
            state = match self.checkpointer.state(current, &marker).await {
                Ok(page) => page,
                Err(error) => {
                    self.halt_on(error);
                    return Err(());
                }
            };
        }
        if let Some(watch) = watch {
            watch.tell_elsewhere(&self.plugins);
        }
        if token.is_none() {
            // The service revoked the token (the execution was stopped or paused): nothing more can be
            // recorded in this invocation.
            self.halt(Halt::Suspended);
            return Err(());
        }
        Ok(())
    }

    /// What the accepted checkpoint of `updates` starts and ends, for the plugins.
    fn watch(&self, updates: &[OperationUpdate]) -> Watch {
        let recorded = self.operations.borrow();
        let mut watch = Watch::default();
        for update in updates.iter().filter(|u| u.kind != OperationType::Execution) {
            let end = match update.action {
                Action::Start => {
                    let new = !recorded.contains_key(&update.id) && !watch.started.iter().any(|d| d.id == update.id);
                    if new {
                        watch.started.push(Described::of_update(update));
                    }
                    continue;
                }
                Action::Succeed => OperationEnd::Succeeded,
                Action::Fail => OperationEnd::Failed,
                Action::Cancel => OperationEnd::Cancelled,
                Action::Retry => continue,
            };
            watch.ended.push((Described::of_update(update), end));
        }
        watch
    }

    /// Whether a checkpoint call is under way.
    pub(crate) fn checkpointing(&self) -> bool {
        self.checkpointing.get()
    }

    /// Sends the last checkpoint of the execution (its outcome): accepted when the answer says so, with
    /// no further token since the execution is over.
    pub(crate) async fn checkpoint_final(&self, updates: Vec<OperationUpdate>) -> bool {
        let mut token = self.token.lock().await;
        let Some(current) = token.take() else {
            return false;
        };
        self.checkpointer.checkpoint(&current, &updates).await.is_ok()
    }

    fn merge(&self, operations: Vec<Operation>) {
        let mut recorded = self.operations.borrow_mut();
        for op in operations {
            recorded.insert(op.id.clone(), op);
        }
    }

    fn halt_on(&self, error: CheckpointError) {
        if error.retryable {
            self.halt(Halt::Retry(error.message));
        } else {
            self.halt(Halt::Failed(ErrorObject::new(
                "Durable.CheckpointFailed",
                error.message,
            )));
        }
    }

    /// Stops the workflow for this invocation (the first halt wins).
    pub(crate) fn halt(&self, halt: Halt) {
        let mut current = self.halt.borrow_mut();
        if current.is_none() {
            *current = Some(halt);
            self.halted.notify_one();
        }
    }

    /// Never completes: what an operation awaits once the execution halted.
    pub(crate) async fn stop<T>(&self) -> T {
        std::future::pending().await
    }

    /// Ends this invocation with `PENDING`: the service invokes the function again when what the
    /// workflow waits on is done.
    pub(crate) async fn suspend<T>(&self) -> T {
        self.halt(Halt::Suspended);
        self.stop().await
    }

    /// Ends the execution with an error no replay can mend.
    pub(crate) async fn fail<T>(&self, error_type: &str, message: String) -> T {
        self.halt(Halt::Failed(ErrorObject::new(error_type, message)));
        self.stop().await
    }

    /// A recorded result (of `what`) read with `serdes`; one it cannot read fails the execution.
    pub(crate) async fn decode<T, S: Serdes<T>>(&self, serdes: &S, what: &str, data: &str) -> T {
        match serdes.deserialize(data) {
            Ok(value) => value,
            Err(e) => {
                self.fail(
                    crate::error::kind::DURABLE_SERIALIZATION,
                    format!("the recorded result of {what} does not decode: {}", e.message()),
                )
                .await
            }
        }
    }

    /// Completes with the halt, once there is one.
    pub(crate) async fn halted(&self) -> Halt {
        loop {
            if let Some(halt) = self.halt.borrow().clone() {
                return halt;
            }
            self.halted.notified().await;
        }
    }

    /// The halt, if the execution halted.
    pub(crate) fn halt_state(&self) -> Option<Halt> {
        self.halt.borrow().clone()
    }
}

/// Clears its flag when dropped: when the call returns, and when its future is dropped half-way.
struct Unset<'a>(&'a Cell<bool>);

impl Drop for Unset<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

/// The operations one checkpoint started and ended, told to the plugins once it was accepted, and those
/// its answer brings over as ended elsewhere, told once every page of it was read.
#[derive(Default)]
struct Watch {
    started: Vec<Described>,
    ended: Vec<(Described, OperationEnd)>,
    elsewhere: Vec<(Described, OperationEnd)>,
}

impl Watch {
    /// Adds the operations the answer's `incoming` page brings over that were not over in `recorded`
    /// and that the checkpoint itself did not end (a callback completed meanwhile, say).
    fn ended_elsewhere(&mut self, recorded: &HashMap<String, Operation>, incoming: &[Operation]) {
        for op in incoming.iter().filter(|op| op.kind != OperationType::Execution) {
            let Some(end) = OperationEnd::from_status(op.status) else {
                continue;
            };
            let was_over = recorded.get(&op.id).is_some_and(|known| known.status.is_terminal());
            let told = |told: &[(Described, OperationEnd)]| told.iter().any(|(d, _)| d.id == op.id);
            if !was_over && !told(&self.ended) && !told(&self.elsewhere) {
                self.elsewhere.push((Described::of_operation(op), end));
            }
        }
    }

    fn tell_own(&self, plugins: &Plugins) {
        for operation in &self.started {
            plugins.operation_start(operation);
        }
        for (operation, end) in &self.ended {
            plugins.operation_end(operation, *end);
        }
    }

    fn tell_elsewhere(self, plugins: &Plugins) {
        for (operation, end) in &self.elsewhere {
            plugins.operation_end(operation, *end);
        }
    }
}
