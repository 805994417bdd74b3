//! [`DurableContext::step`]: work that runs once and whose result is checkpointed, with its
//! [`StepConfig`] (retries, semantics, serialization).

use std::future::Future;

use super::context::{DurableContext, error_object, recorded_error};
use super::protocol::{Action, OperationStatus, OperationType, OperationUpdate, StepOptions, sub_type};
use super::retry::Retry;
use super::serdes::{JsonSerdes, Serdes};
use crate::error::Error;

/// When a step's work may run again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Semantics {
    /// The work runs at least once per attempt: if the function stops after the work ran and before its
    /// result was checkpointed, the next invocation runs it again. The start and the result go in one
    /// checkpoint. For idempotent work.
    #[default]
    AtLeastOncePerRetry,
    /// The work runs at most once per attempt: the attempt's start is checkpointed before the work runs,
    /// and an attempt found started but not finished counts as failed (`Durable.StepInterrupted`),
    /// retried or not by the step's [`Retry`]. For work that must not be repeated, such as a payment.
    AtMostOncePerRetry,
}

/// How a step runs: its [`Retry`], its [`Semantics`] and its [`Serdes`].
///
/// ```
/// use lambda_fn::durable::{Retry, Semantics, StepConfig};
///
/// let charge = StepConfig::new().retry(Retry::none()).semantics(Semantics::AtMostOncePerRetry);
/// # let _ = charge;
/// ```
#[derive(Debug, Clone, Default)]
pub struct StepConfig<S = JsonSerdes> {
    retry: Retry,
    semantics: Semantics,
    serdes: S,
}

impl StepConfig {
    /// The defaults: [`Retry::default`], at least once per retry, JSON.
    pub fn new() -> StepConfig {
        StepConfig::default()
    }
}

impl<S> StepConfig<S> {
    /// How failed attempts are tried again.
    pub fn retry(self, retry: Retry) -> StepConfig<S> {
        StepConfig { retry, ..self }
    }

    /// When the work may run again.
    pub fn semantics(self, semantics: Semantics) -> StepConfig<S> {
        StepConfig { semantics, ..self }
    }

    /// How the result is written into the history and read back.
    pub fn serdes<S2>(self, serdes: S2) -> StepConfig<S2> {
        StepConfig {
            retry: self.retry,
            semantics: self.semantics,
            serdes,
        }
    }
}

impl From<Retry> for StepConfig {
    fn from(retry: Retry) -> StepConfig {
        StepConfig::new().retry(retry)
    }
}

impl DurableContext {
    /// Runs `work` once and checkpoints what it returns, retried by [`Retry::default`] when it fails: the
    /// result once the checkpoint was accepted, or on a later run the recorded result without running
    /// `work`; `Err` when every attempt failed (on every later run too).
    ///
    /// `work` may run more than once if the function stops after it ran and before its checkpoint was
    /// accepted (at least once per attempt): make it idempotent, or see [`Semantics`]. The result is JSON
    /// in the history.
    pub async fn step<T, F, Fut, E>(&self, name: &str, work: F) -> Result<T, Error>
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        self.step_with(name, StepConfig::new(), work).await
    }

    /// [`step`](Self::step) with its own [`StepConfig`], or just its own [`Retry`].
    ///
    /// ```
    /// use lambda_fn::durable::{DurableContext, Retry};
    ///
    /// async fn flow(ctx: DurableContext) -> Result<u32, lambda_fn::Error> {
    ///     ctx.step_with("flaky", Retry::attempts(3), || async { Ok::<_, lambda_fn::Error>(7) }).await
    /// }
    /// ```
    pub async fn step_with<T, S, F, Fut, E>(
        &self,
        name: &str,
        config: impl Into<StepConfig<S>>,
        work: F,
    ) -> Result<T, Error>
    where
        S: Serdes<T>,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        let StepConfig {
            retry,
            semantics,
            serdes,
        } = config.into();
        let id = self.next_id();
        let what = format!("step `{name}`");
        let update = |action| self.update(&id, OperationType::Step, sub_type::STEP, name, action);
        let mut start = true;
        let mut attempt = 1;
        if let Some(op) = self.execution.recorded(&id) {
            self.check(&op, OperationType::Step, sub_type::STEP, name).await;
            let details = op.step_details.as_ref();
            attempt = details.and_then(|d| d.attempt).unwrap_or(0) + 1;
            match op.status {
                OperationStatus::Succeeded => {
                    let result = details.and_then(|d| d.result.as_deref()).unwrap_or("null");
                    return Ok(self.decode(&serdes, &what, result).await);
                }
                OperationStatus::Failed
                | OperationStatus::Cancelled
                | OperationStatus::TimedOut
                | OperationStatus::Stopped => {
                    return Err(recorded_error(&what, details.and_then(|d| d.error.as_ref())));
                }
                OperationStatus::Pending => return self.suspend().await,
                OperationStatus::Started if semantics == Semantics::AtMostOncePerRetry => {
                    // This attempt began and never finished: it may have done its work, so it is not run
                    // again; it failed, and the retry strategy decides what comes next.
                    let error = Error::new(
                        "Durable.StepInterrupted",
                        format!("attempt {attempt} of {what} was interrupted before its result was checkpointed"),
                    );
                    return self.failed(&update, Vec::new(), &retry, attempt, error).await;
                }
                // The last attempt stopped before its checkpoint: it runs again, already started.
                OperationStatus::Started => start = false,
                OperationStatus::Ready => {}
            }
        }
        let mut updates = Vec::with_capacity(2);
        if start {
            updates.push(update(Action::Start));
        }
        if semantics == Semantics::AtMostOncePerRetry {
            self.send(std::mem::take(&mut updates)).await;
        }
        let outcome = self.attempt(&update, attempt, work).await.map_err(Into::into);
        match outcome.and_then(|value| serdes.serialize(&value)) {
            Ok(payload) => {
                // Read back as a later run will, so that this run and a replay see the same value.
                let value = match serdes.deserialize(&payload) {
                    Ok(value) => value,
                    Err(e) => return Err(e),
                };
                updates.push(OperationUpdate {
                    payload: Some(payload),
                    ..update(Action::Succeed)
                });
                self.send(updates).await;
                Ok(value)
            }
            Err(error) => self.failed(&update, updates, &retry, attempt, error).await,
        }
    }

    /// Attempt `attempt` failed with `error`: checkpoints a retry after the strategy's delay and
    /// suspends, or checkpoints the failure and returns it.
    async fn failed<T>(
        &self,
        update: &dyn Fn(Action) -> OperationUpdate,
        mut updates: Vec<OperationUpdate>,
        retry: &Retry,
        attempt: u32,
        error: Error,
    ) -> Result<T, Error> {
        let object = error_object(&error);
        match retry.after(attempt, &error) {
            Some(delay) => {
                updates.push(OperationUpdate {
                    error: Some(object),
                    step_options: Some(StepOptions {
                        next_attempt_delay_seconds: delay,
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
