//! [`DurableContext`]: what a durable workflow calls to checkpoint its steps and wait.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::execution::{Execution, Halt};
use super::ids::operation_id;
use super::protocol::{
    Action, ErrorObject, Operation, OperationStatus, OperationType, OperationUpdate, StepOptions, WaitOptions, sub_type,
};
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
    execution: Rc<Execution>,
    /// Operations created so far: the next one is number `counter + 1`.
    counter: Cell<u64>,
}

/// How a failed step is tried again: by default up to 6 attempts, 5 s after the first failure, then
/// twice as long after each (at most a minute), as AWS's SDKs do (without their jitter, so the delays
/// are the same on every run). Between attempts the function is not running: it answers `PENDING` and
/// Lambda invokes it again when the delay is over.
///
/// ```
/// use lambda_fn::durable::Retry;
/// use std::time::Duration;
///
/// let patient = Retry::attempts(10).delay(Duration::from_secs(2)).max_delay(Duration::from_secs(30));
/// let once = Retry::none();
/// # let _ = (patient, once);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    max_attempts: u32,
    delay: Duration,
    max_delay: Duration,
}

impl Default for Retry {
    fn default() -> Retry {
        Retry {
            max_attempts: 6,
            delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl Retry {
    /// One attempt: a failure fails the step.
    pub fn none() -> Retry {
        Retry::attempts(1)
    }

    /// At most `max_attempts` attempts in all (at least 1), with the default delays.
    pub fn attempts(max_attempts: u32) -> Retry {
        Retry {
            max_attempts: max_attempts.max(1),
            ..Retry::default()
        }
    }

    /// The delay after the first failure (whole seconds, at least 1); it doubles after each.
    pub fn delay(self, delay: Duration) -> Retry {
        Retry { delay, ..self }
    }

    /// The longest delay between two attempts.
    pub fn max_delay(self, max_delay: Duration) -> Retry {
        Retry { max_delay, ..self }
    }

    /// After attempt `attempt` (from 1) failed: the delay before the next, or `None` for no more.
    fn after(&self, attempt: u32) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let doubled = self.delay.saturating_mul(1u32 << (attempt - 1).min(20));
        Some(doubled.min(self.max_delay.max(self.delay)))
    }
}

impl DurableContext {
    pub(crate) fn new(execution: Rc<Execution>) -> DurableContext {
        DurableContext {
            execution,
            counter: Cell::new(0),
        }
    }

    /// Runs `work` once and checkpoints what it returns, retried by [`Retry::default`] when it fails: the
    /// result once the checkpoint was accepted, or on a later run the recorded result without running
    /// `work`; `Err` when every attempt failed (on every later run too).
    ///
    /// `work` may run more than once if the function stops after it ran and before its checkpoint was
    /// accepted (at least once per attempt): make it idempotent. The result is JSON in the history.
    pub async fn step<T, F, Fut, E>(&self, name: &str, work: F) -> Result<T, Error>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        self.step_with(name, Retry::default(), work).await
    }

    /// [`step`](Self::step) with its own [`Retry`].
    pub async fn step_with<T, F, Fut, E>(&self, name: &str, retry: Retry, work: F) -> Result<T, Error>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        let id = self.next_id();
        let recorded = self.execution.recorded(&id);
        let mut start = true;
        let mut attempt = 1;
        if let Some(op) = &recorded {
            self.check(op, OperationType::Step, sub_type::STEP, name).await;
            let details = op.step_details.as_ref();
            match op.status {
                OperationStatus::Succeeded => {
                    let result = details.and_then(|d| d.result.as_deref()).unwrap_or("null");
                    return self.decode(name, result).await;
                }
                OperationStatus::Failed
                | OperationStatus::Cancelled
                | OperationStatus::TimedOut
                | OperationStatus::Stopped => {
                    return Err(recorded_error(name, details.and_then(|d| d.error.as_ref())));
                }
                OperationStatus::Pending => return self.suspend().await,
                // The last attempt stopped before its checkpoint: it runs again, already started.
                OperationStatus::Started => start = false,
                OperationStatus::Ready => {}
            }
            attempt = details.and_then(|d| d.attempt).unwrap_or(0) + 1;
        }
        let update = |action: Action| OperationUpdate {
            id: id.clone(),
            parent_id: None,
            name: Some(name.to_owned()),
            kind: OperationType::Step,
            sub_type: Some(sub_type::STEP),
            action,
            payload: None,
            error: None,
            step_options: None,
            wait_options: None,
        };
        let mut updates = Vec::with_capacity(2);
        if start {
            updates.push(update(Action::Start));
        }
        let outcome = work().await.map_err(Into::into);
        let encoded = outcome.and_then(|value| {
            serde_json::to_string(&value).map_err(|e| {
                Error::new(
                    crate::error::kind::DURABLE_SERIALIZATION,
                    format!("the result of step `{name}` cannot be written as JSON: {e}"),
                )
            })
        });
        match encoded {
            Ok(payload) => {
                updates.push(OperationUpdate {
                    payload: Some(payload.clone()),
                    ..update(Action::Succeed)
                });
                self.send(updates).await;
                // Read back as a later run will, so that this run and a replay see the same value.
                self.decode(name, &payload).await
            }
            Err(error) => {
                let object = error_object(&error);
                match retry.after(attempt) {
                    Some(delay) => {
                        updates.push(OperationUpdate {
                            error: Some(object),
                            step_options: Some(StepOptions {
                                next_attempt_delay_seconds: whole_seconds(delay),
                            }),
                            ..update(Action::Retry)
                        });
                        self.send(updates).await;
                        self.suspend().await
                    }
                    None => {
                        updates.push(OperationUpdate {
                            error: Some(object),
                            ..update(Action::Fail)
                        });
                        self.send(updates).await;
                        Err(error)
                    }
                }
            }
        }
    }

    /// Waits `duration` (whole seconds, at least 1; at most a year) without running: the function answers
    /// `PENDING` and Lambda invokes it again when the time is up, and the workflow goes on from here.
    pub async fn wait(&self, name: &str, duration: Duration) -> Result<(), Error> {
        let id = self.next_id();
        match self.execution.recorded(&id) {
            Some(op) => {
                self.check(&op, OperationType::Wait, sub_type::WAIT, name).await;
                match op.status {
                    OperationStatus::Succeeded => Ok(()),
                    OperationStatus::Started | OperationStatus::Pending | OperationStatus::Ready => {
                        self.suspend().await
                    }
                    OperationStatus::Failed
                    | OperationStatus::Cancelled
                    | OperationStatus::TimedOut
                    | OperationStatus::Stopped => Err(Error::new(
                        "Durable.WaitCancelled",
                        format!("the wait `{name}` ended without completing"),
                    )),
                }
            }
            None => {
                self.send(vec![OperationUpdate {
                    id: id.clone(),
                    parent_id: None,
                    name: Some(name.to_owned()),
                    kind: OperationType::Wait,
                    sub_type: Some(sub_type::WAIT),
                    action: Action::Start,
                    payload: None,
                    error: None,
                    step_options: None,
                    wait_options: Some(WaitOptions {
                        wait_seconds: whole_seconds(duration),
                    }),
                }])
                .await;
                // The service may have completed a wait that fell due meanwhile.
                match self.execution.recorded(&id).map(|op| op.status) {
                    Some(OperationStatus::Succeeded) => Ok(()),
                    _ => self.suspend().await,
                }
            }
        }
    }

    fn next_id(&self) -> String {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        operation_id(None, n)
    }

    /// Sends a checkpoint; returns only once it was accepted.
    async fn send(&self, updates: Vec<OperationUpdate>) {
        if self.execution.checkpoint(updates).await.is_err() {
            self.execution.stop::<()>().await;
        }
    }

    async fn suspend<T>(&self) -> T {
        self.execution.halt(Halt::Suspended);
        self.execution.stop().await
    }

    /// The determinism check: the recorded operation must be the one this run reached.
    async fn check(&self, op: &Operation, kind: OperationType, sub_type: &str, name: &str) {
        let recorded_name = op.name.as_deref().unwrap_or("");
        let recorded_sub_type = op.sub_type.as_deref().unwrap_or("");
        if op.kind == kind && recorded_sub_type == sub_type && recorded_name == name && op.parent_id.is_none() {
            return;
        }
        self.execution.halt(Halt::Failed(ErrorObject {
            error_type: Some("Durable.NonDeterministic".to_owned()),
            error_message: Some(format!(
                "operation {} (id {}) was recorded as {:?} `{}` ({}), but this run reached {:?} `{}` ({}) there: the \
                 workflow must reach its operations in the same order on every run",
                self.counter.get(),
                op.id,
                op.kind,
                recorded_name,
                recorded_sub_type,
                kind,
                name,
                sub_type
            )),
        }));
        self.execution.stop::<()>().await;
    }

    /// A step's recorded JSON as `T`; a result the type cannot read fails the execution.
    async fn decode<T: DeserializeOwned>(&self, name: &str, json: &str) -> Result<T, Error> {
        match serde_json::from_str(json) {
            Ok(value) => Ok(value),
            Err(e) => {
                self.execution.halt(Halt::Failed(ErrorObject {
                    error_type: Some(crate::error::kind::DURABLE_SERIALIZATION.to_owned()),
                    error_message: Some(format!("the recorded result of step `{name}` does not decode: {e}")),
                }));
                self.execution.stop().await
            }
        }
    }
}

/// The error of a step that failed, as recorded.
fn recorded_error(name: &str, error: Option<&ErrorObject>) -> Error {
    let error_type = error.and_then(|e| e.error_type.clone());
    let message = error.and_then(|e| e.error_message.clone());
    Error::new(
        error_type.unwrap_or_else(|| "Durable.StepFailed".to_owned()),
        message.unwrap_or_else(|| format!("step `{name}` failed")),
    )
}

/// An error as the history records it.
pub(crate) fn error_object(error: &Error) -> ErrorObject {
    ErrorObject {
        error_type: Some(error.error_type().to_owned()),
        error_message: Some(error.message().to_owned()),
    }
}

/// A duration in the API's whole seconds: rounded up, at least 1.
fn whole_seconds(duration: Duration) -> u64 {
    let seconds = duration.as_secs() + u64::from(duration.subsec_nanos() > 0);
    seconds.max(1)
}
