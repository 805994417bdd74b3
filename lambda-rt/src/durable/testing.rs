//! Runs a durable workflow in the test process, without AWS and without a server: an in-memory durable
//! execution service that records checkpoints as Lambda's does, completes waits and retry delays at once
//! (time is skipped), and invokes the workflow again until the execution ends.
//!
//! ```
//! use lambda_fn::durable::{DurableContext, testing::{Outcome, TestRunner}};
//! use std::time::Duration;
//!
//! async fn flow(n: u32, ctx: DurableContext) -> Result<u32, lambda_fn::Error> {
//!     let doubled = ctx.step("double", || async move { Ok::<_, lambda_fn::Error>(n * 2) }).await?;
//!     ctx.wait("pause", Duration::from_secs(3600)).await?;
//!     ctx.step("add one", || async move { Ok::<_, lambda_fn::Error>(doubled + 1) }).await
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let run = TestRunner::new().run(21, flow).await;
//! assert_eq!(run.outcome, Outcome::Succeeded(serde_json::json!(43)));
//! assert_eq!(run.invocations, 2, "the wait suspended the first invocation");
//! # });
//! ```

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::context::DurableContext;
use super::execution::{CheckpointError, Checkpointer, LocalFuture};
use super::plugin::Plugin;
use super::protocol::{
    Action, CallbackDetails, ChainedInvokeDetails, CheckpointResponse, ContextDetails, Envelope, ErrorObject,
    ExecutionState, Operation, OperationStatus, OperationType, OperationUpdate, StepDetails,
};
use super::run::run_with;
use crate::Error;

/// How a test execution ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The workflow returned this result.
    Succeeded(Value),
    /// The execution failed: the error's type and message.
    Failed {
        /// `errorType`.
        error_type: String,
        /// The message.
        message: String,
    },
    /// An invocation failed (a checkpoint the service could not take): Lambda would invoke it again.
    InvocationFailed(String),
    /// Still pending after the runner's invocation limit.
    Pending,
}

/// One update of a checkpoint, as a test sees it: the operation's type (`Step`, `Wait`), the action
/// (`Start`, `Succeed`, `Fail`, `Retry`) and the operation's name.
pub type RecordedUpdate = (String, String, Option<String>);

/// What a test execution did.
#[derive(Debug, Clone, PartialEq)]
pub struct TestRun {
    /// How it ended.
    pub outcome: Outcome,
    /// How many times the workflow was invoked.
    pub invocations: u32,
    /// Every checkpoint's updates, as `(type, action, name)`, in order.
    pub checkpoints: Vec<Vec<RecordedUpdate>>,
}

/// How a callback (see [`TestRunner::callback`]) or an invoked function (see [`TestRunner::function`])
/// ends in a test.
#[derive(Debug, Clone, PartialEq)]
pub enum Completion {
    /// With this result (`SendDurableExecutionCallbackSuccess`; the function's answer).
    Succeeds(Value),
    /// With this error (`SendDurableExecutionCallbackFailure`; the function's error).
    Fails {
        /// `ErrorType`.
        error_type: String,
        /// `ErrorMessage`.
        message: String,
    },
    /// Its timeout passes (`Callback.Timeout`; `ChainedInvoke.Timeout`).
    TimesOut,
}

/// An in-memory durable execution service for unit tests of a workflow.
#[derive(Debug, Clone)]
pub struct TestRunner {
    max_invocations: u32,
    crash_after: Option<usize>,
    callbacks: Vec<(String, Completion)>,
    functions: Vec<(String, Completion)>,
    plugins: Vec<PluginFactory>,
}

/// Makes a plugin for each invocation, as `durable(plugins = [...])` does.
#[derive(Clone)]
struct PluginFactory(Rc<dyn Fn() -> Box<dyn Plugin>>);

impl std::fmt::Debug for PluginFactory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PluginFactory")
    }
}

impl Default for TestRunner {
    fn default() -> TestRunner {
        TestRunner {
            max_invocations: 100,
            crash_after: None,
            callbacks: Vec::new(),
            functions: Vec::new(),
            plugins: Vec::new(),
        }
    }
}

impl TestRunner {
    /// A runner that invokes a workflow at most 100 times.
    pub fn new() -> TestRunner {
        TestRunner::default()
    }

    /// The function's process dies right after the service accepted checkpoint number `checkpoint`
    /// (counted from 1 over the whole run), before the workflow saw the answer; Lambda invokes it again.
    /// For testing what an interrupted operation does on replay.
    ///
    /// ```
    /// use lambda_fn::durable::{DurableContext, Retry, Semantics, StepConfig};
    /// use lambda_fn::durable::testing::{Outcome, TestRunner};
    ///
    /// async fn pay(_: (), ctx: DurableContext) -> Result<String, lambda_fn::Error> {
    ///     let once = StepConfig::new().retry(Retry::none()).semantics(Semantics::AtMostOncePerRetry);
    ///     ctx.step_with("charge", once, || async { Ok::<_, lambda_fn::Error>("paid".to_owned()) }).await
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// // The charge's start was checkpointed, then the process died: it is not charged again.
    /// let run = TestRunner::new().crash_after(1).run((), pay).await;
    /// assert!(matches!(run.outcome, Outcome::Failed { error_type, .. } if error_type == "Durable.StepInterrupted"));
    /// # });
    /// ```
    pub fn crash_after(self, checkpoint: usize) -> TestRunner {
        TestRunner {
            crash_after: Some(checkpoint),
            ..self
        }
    }

    /// Between two invocations, the callback named `name` (once created) is completed with `outcome`.
    /// A callback nobody completes leaves the execution [`Outcome::Pending`].
    ///
    /// ```
    /// use lambda_fn::durable::{CallbackConfig, DurableContext};
    /// use lambda_fn::durable::testing::{Completion, Outcome, TestRunner};
    /// use serde_json::json;
    ///
    /// async fn approve(_: (), ctx: DurableContext) -> Result<bool, lambda_fn::Error> {
    ///     ctx.wait_for_callback("approval", CallbackConfig::new(), |_id| async { Ok::<_, lambda_fn::Error>(()) })
    ///         .await
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let run = TestRunner::new()
    ///     .callback("approval callback", Completion::Succeeds(json!(true)))
    ///     .run((), approve)
    ///     .await;
    /// assert_eq!(run.outcome, Outcome::Succeeded(json!(true)));
    /// # });
    /// ```
    pub fn callback(mut self, name: &str, outcome: Completion) -> TestRunner {
        self.callbacks.push((name.to_owned(), outcome));
        self
    }

    /// Between two invocations, a call of the function `name` ([`DurableContext::invoke`]) ends with
    /// `outcome`. A call of a function the runner was not told about stays pending.
    ///
    /// ```
    /// use lambda_fn::durable::DurableContext;
    /// use lambda_fn::durable::testing::{Completion, Outcome, TestRunner};
    /// use serde_json::json;
    ///
    /// async fn quote(item: String, ctx: DurableContext) -> Result<u64, lambda_fn::Error> {
    ///     ctx.invoke("price", "pricing", &item).await
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let run = TestRunner::new().function("pricing", Completion::Succeeds(json!(42))).run("book".to_owned(), quote).await;
    /// assert_eq!(run.outcome, Outcome::Succeeded(json!(42)));
    /// # });
    /// ```
    pub fn function(mut self, name: &str, outcome: Completion) -> TestRunner {
        self.functions.push((name.to_owned(), outcome));
        self
    }

    /// Each invocation is watched by a plugin `make` returns, as a handler's `durable(plugins = [...])`
    /// makes one per invocation; plugins added one after another get each hook in that order.
    ///
    /// ```
    /// use std::cell::RefCell;
    /// use std::rc::Rc;
    /// use lambda_fn::durable::DurableContext;
    /// use lambda_fn::durable::plugin::{InvocationInfo, Plugin};
    /// use lambda_fn::durable::testing::TestRunner;
    /// use std::time::Duration;
    ///
    /// struct Firsts(Rc<RefCell<Vec<bool>>>);
    ///
    /// impl Plugin for Firsts {
    ///     fn on_invocation_start(&mut self, invocation: &InvocationInfo<'_>) {
    ///         self.0.borrow_mut().push(invocation.first);
    ///     }
    /// }
    ///
    /// async fn pause(_: (), ctx: DurableContext) -> Result<(), lambda_fn::Error> {
    ///     ctx.wait("pause", Duration::from_secs(2)).await
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let seen = Rc::new(RefCell::new(Vec::new()));
    /// let shared = Rc::clone(&seen);
    /// TestRunner::new().plugin(move || Firsts(Rc::clone(&shared))).run((), pause).await;
    /// assert_eq!(*seen.borrow(), [true, false]);
    /// # });
    /// ```
    pub fn plugin<P: Plugin + 'static>(mut self, make: impl Fn() -> P + 'static) -> TestRunner {
        self.plugins
            .push(PluginFactory(Rc::new(move || Box::new(make()) as Box<dyn Plugin>)));
        self
    }

    /// Runs `workflow` on `input` to its end: each invocation replays the history recorded so far; waits
    /// and retry delays are over by the next invocation.
    pub async fn run<E, R, F, Fut>(&self, input: E, workflow: F) -> TestRun
    where
        E: Serialize + DeserializeOwned,
        R: Serialize,
        F: Fn(E, DurableContext) -> Fut,
        Fut: Future<Output = Result<R, Error>>,
    {
        let service = Rc::new(Service {
            crash_after: self.crash_after,
            callbacks: self.callbacks.clone(),
            functions: self.functions.clone(),
            ..Service::default()
        });
        let input = serde_json::to_string(&input).unwrap_or_else(|_| "null".to_owned());
        service
            .operations
            .borrow_mut()
            .push(Operation::execution("execution".to_owned(), input));
        let mut invocations = 0;
        while invocations < self.max_invocations {
            invocations += 1;
            let envelope = Envelope {
                durable_execution_arn: "test-execution".to_owned(),
                checkpoint_token: service.token(),
                initial_execution_state: ExecutionState {
                    operations: service.operations.borrow().clone(),
                    next_marker: None,
                },
                updated_operation_ids: std::mem::take(&mut *service.updated.borrow_mut()),
            };
            let plugins = self.plugins.iter().map(|make| (make.0)()).collect();
            let answer = {
                let invocation = std::pin::pin!(run_with(envelope, Box::new(Rc::clone(&service)), plugins, &workflow));
                let crash = std::pin::pin!(service.crashed.notified());
                match futures_util::future::select(invocation, crash).await {
                    futures_util::future::Either::Left((answer, _)) => answer,
                    // The process died: Lambda invokes the function again.
                    futures_util::future::Either::Right(_) => continue,
                }
            };
            let answer = match answer {
                Ok(crate::encode::Output::Buffered(bytes)) => {
                    serde_json::from_slice::<Value>(&bytes).unwrap_or_default()
                }
                Ok(crate::encode::Output::Streaming(_)) => Value::Null,
                Err(error) => {
                    return service.finish(Outcome::InvocationFailed(error.message().to_owned()), invocations);
                }
            };
            let outcome = match answer["Status"].as_str() {
                Some("SUCCEEDED") => {
                    let result = answer["Result"].as_str().unwrap_or("null");
                    Outcome::Succeeded(serde_json::from_str(result).unwrap_or(Value::Null))
                }
                Some("FAILED") => Outcome::Failed {
                    error_type: answer["Error"]["ErrorType"].as_str().unwrap_or_default().to_owned(),
                    message: answer["Error"]["ErrorMessage"].as_str().unwrap_or_default().to_owned(),
                },
                // Pending: time passes; if nothing the workflow waits on can end, it stays pending.
                _ if service.time_passes() => continue,
                _ => Outcome::Pending,
            };
            return service.finish(outcome, invocations);
        }
        service.finish(Outcome::Pending, invocations)
    }
}

/// An operation's status, result and error once `outcome` ended it (`timeout` is the service's error then).
fn ended(
    outcome: &Completion,
    timeout: &str,
    timed_out: &str,
) -> (OperationStatus, Option<String>, Option<ErrorObject>) {
    match outcome {
        Completion::Succeeds(value) => (OperationStatus::Succeeded, Some(value.to_string()), None),
        Completion::Fails { error_type, message } => (
            OperationStatus::Failed,
            None,
            Some(ErrorObject::new(error_type, message.as_str())),
        ),
        Completion::TimesOut => (
            OperationStatus::TimedOut,
            None,
            Some(ErrorObject::new(timeout, timed_out)),
        ),
    }
}

/// The in-memory service: the history, the token, the checkpoints seen.
#[derive(Debug, Default)]
struct Service {
    operations: RefCell<Vec<Operation>>,
    sequence: RefCell<u64>,
    checkpoints: RefCell<Vec<Vec<RecordedUpdate>>>,
    /// The checkpoint after which the function's process dies.
    crash_after: Option<usize>,
    /// How callbacks are completed, by name.
    callbacks: Vec<(String, Completion)>,
    /// How invoked functions answer, by function name.
    functions: Vec<(String, Completion)>,
    /// The function each chained invoke calls, by operation id.
    invoked: RefCell<HashMap<String, String>>,
    /// The operations time changed since the last invocation began.
    updated: RefCell<Vec<String>>,
    crashed: tokio::sync::Notify,
}

impl Service {
    fn token(&self) -> String {
        format!("token-{}", self.sequence.borrow())
    }

    /// Between invocations: waits are over, retry delays have passed, callbacks are completed. Whether
    /// anything changed.
    fn time_passes(&self) -> bool {
        let mut changed = false;
        for op in self.operations.borrow_mut().iter_mut() {
            match (op.kind, op.status) {
                (OperationType::Wait, OperationStatus::Started) => op.status = OperationStatus::Succeeded,
                (OperationType::Step, OperationStatus::Pending) => op.status = OperationStatus::Ready,
                (OperationType::Callback, OperationStatus::Started) => {
                    let name = op.name.as_deref().unwrap_or("");
                    let Some((_, outcome)) = self.callbacks.iter().find(|(n, _)| n == name) else {
                        continue;
                    };
                    let details = op.callback_details.get_or_insert_with(CallbackDetails::default);
                    (op.status, details.result, details.error) =
                        ended(outcome, "Callback.Timeout", "Callback timed out");
                }
                (OperationType::ChainedInvoke, OperationStatus::Started) => {
                    let invoked = self.invoked.borrow();
                    let function = invoked.get(&op.id).map_or("", String::as_str);
                    let Some((_, outcome)) = self.functions.iter().find(|(n, _)| n == function) else {
                        continue;
                    };
                    let details = op
                        .chained_invoke_details
                        .get_or_insert_with(ChainedInvokeDetails::default);
                    (op.status, details.result, details.error) =
                        ended(outcome, "ChainedInvoke.Timeout", "the invoked function timed out");
                }
                _ => continue,
            }
            self.updated.borrow_mut().push(op.id.clone());
            changed = true;
        }
        changed
    }

    fn apply(&self, update: &OperationUpdate) {
        let mut operations = self.operations.borrow_mut();
        let index = match operations.iter().position(|op| op.id == update.id) {
            Some(index) => index,
            None => {
                operations.push(Operation::started_by(update));
                operations.len() - 1
            }
        };
        let op = &mut operations[index];
        if op.kind == OperationType::ChainedInvoke {
            op.status = OperationStatus::Started;
            if let Some(options) = &update.chained_invoke_options {
                self.invoked
                    .borrow_mut()
                    .insert(op.id.clone(), options.function_name.clone());
            }
            return;
        }
        if op.kind == OperationType::Callback {
            op.status = OperationStatus::Started;
            op.callback_details = Some(CallbackDetails {
                callback_id: Some(format!("callback-{}", op.id)),
                ..CallbackDetails::default()
            });
            return;
        }
        if op.kind == OperationType::Context {
            let details = op.context_details.get_or_insert_with(ContextDetails::default);
            match update.action {
                Action::Start => op.status = OperationStatus::Started,
                Action::Succeed => {
                    op.status = OperationStatus::Succeeded;
                    details.result = update.payload.clone();
                    details.replay_children = update.context_options.map(|o| o.replay_children);
                }
                Action::Fail | Action::Retry | Action::Cancel => {
                    op.status = OperationStatus::Failed;
                    details.error = update.error.clone();
                }
            }
            return;
        }
        let details = op.step_details.get_or_insert(StepDetails {
            attempt: Some(0),
            result: None,
            error: None,
        });
        match update.action {
            Action::Start => op.status = OperationStatus::Started,
            Action::Succeed => {
                op.status = OperationStatus::Succeeded;
                details.attempt = Some(details.attempt.unwrap_or(0) + 1);
                details.result = update.payload.clone();
            }
            Action::Fail => {
                op.status = OperationStatus::Failed;
                details.attempt = Some(details.attempt.unwrap_or(0) + 1);
                details.error = update.error.clone();
            }
            Action::Cancel => op.status = OperationStatus::Cancelled,
            Action::Retry => {
                op.status = OperationStatus::Pending;
                details.attempt = Some(details.attempt.unwrap_or(0) + 1);
                details.error = update.error.clone();
                details.result = update.payload.clone();
            }
        }
    }

    fn finish(&self, outcome: Outcome, invocations: u32) -> TestRun {
        TestRun {
            outcome,
            invocations,
            checkpoints: self.checkpoints.borrow().clone(),
        }
    }
}

impl Checkpointer for Rc<Service> {
    fn checkpoint<'a>(
        &'a self,
        token: &'a str,
        updates: &'a [OperationUpdate],
    ) -> LocalFuture<'a, Result<CheckpointResponse, CheckpointError>> {
        Box::pin(async move {
            if token != self.token() {
                return Err(CheckpointError {
                    retryable: true,
                    message: format!("Invalid checkpoint token `{token}`"),
                });
            }
            *self.sequence.borrow_mut() += 1;
            self.checkpoints.borrow_mut().push(
                updates
                    .iter()
                    .map(|u| (format!("{:?}", u.kind), format!("{:?}", u.action), u.name.clone()))
                    .collect(),
            );
            for update in updates {
                self.apply(update);
            }
            let changed: Vec<Operation> = {
                let operations = self.operations.borrow();
                operations
                    .iter()
                    .filter(|op| updates.iter().any(|u| u.id == op.id))
                    .cloned()
                    .collect()
            };
            if self.crash_after == Some(self.checkpoints.borrow().len()) {
                self.crashed.notify_one();
                std::future::pending::<()>().await;
            }
            let finished = updates.iter().any(|u| u.kind == OperationType::Execution);
            Ok(CheckpointResponse {
                checkpoint_token: (!finished).then(|| self.token()),
                new_execution_state: ExecutionState {
                    operations: changed,
                    next_marker: None,
                },
            })
        })
    }

    fn state<'a>(
        &'a self,
        _token: &'a str,
        _marker: &'a str,
    ) -> LocalFuture<'a, Result<ExecutionState, CheckpointError>> {
        Box::pin(async { Ok(ExecutionState::default()) })
    }
}
