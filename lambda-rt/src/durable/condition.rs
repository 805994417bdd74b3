//! [`DurableContext::wait_for_condition`]: a check run again and again, with no compute between two
//! runs, until its state says the condition is met.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use super::context::{DurableContext, error_object, recorded_error};
use super::protocol::{Action, OperationStatus, OperationType, OperationUpdate, StepOptions, sub_type};
use super::retry::{Backoff, Jitter};
use super::serdes::{JsonSerdes, Serdes};
use crate::error::Error;

/// When [`wait_for_condition`](DurableContext::wait_for_condition) stops, and how long it waits between
/// two checks: [`until`](Self::until) the state says so, at most 60 checks, 5 s after the first and 1.5
/// times longer after each (at most 5 minutes), with [`Jitter::Full`], as AWS's SDKs do. The state is
/// written with a [`Serdes`] (JSON by default).
///
/// ```
/// use lambda_fn::durable::{Jitter, WaitForConditionConfig};
/// use std::time::Duration;
///
/// let every_ten_seconds = WaitForConditionConfig::until(|job: &String| job == "DONE")
///     .delay(Duration::from_secs(10))
///     .backoff(1.0)
///     .jitter(Jitter::None)
///     .max_attempts(100);
/// # let _ = every_ten_seconds;
/// ```
pub struct WaitForConditionConfig<T, S = JsonSerdes> {
    done: Box<dyn Fn(&T) -> bool>,
    max_attempts: u32,
    delays: Backoff,
    serdes: S,
}

impl<T, S> fmt::Debug for WaitForConditionConfig<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitForConditionConfig")
            .field("max_attempts", &self.max_attempts)
            .field("delays", &self.delays)
            .finish_non_exhaustive()
    }
}

impl<T> WaitForConditionConfig<T> {
    /// Checks until `done` says the state meets the condition.
    pub fn until(done: impl Fn(&T) -> bool + 'static) -> WaitForConditionConfig<T> {
        WaitForConditionConfig {
            done: Box::new(done),
            max_attempts: 60,
            delays: Backoff {
                delay: Duration::from_secs(5),
                max_delay: Duration::from_secs(300),
                rate: 1.5,
                jitter: Jitter::Full,
            },
            serdes: JsonSerdes,
        }
    }
}

impl<T, S> WaitForConditionConfig<T, S> {
    /// At most this many checks (at least 1); the last one's state not meeting the condition fails the
    /// operation with `Durable.WaitForConditionExhausted`.
    pub fn max_attempts(self, max_attempts: u32) -> Self {
        WaitForConditionConfig {
            max_attempts: max_attempts.max(1),
            ..self
        }
    }

    /// The wait after the first check (whole seconds, rounded up, at least 1).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delays.delay = delay;
        self
    }

    /// The longest wait between two checks.
    pub fn max_delay(mut self, max_delay: Duration) -> Self {
        self.delays.max_delay = max_delay;
        self
    }

    /// What each wait is multiplied by after a check (1.5 by default; 1 for a fixed delay).
    pub fn backoff(mut self, rate: f64) -> Self {
        self.delays.rate = Backoff::rate(rate);
        self
    }

    /// How much of each wait is left to chance.
    pub fn jitter(mut self, jitter: Jitter) -> Self {
        self.delays.jitter = jitter;
        self
    }

    /// How the state is written into the history between checks, and read back.
    pub fn serdes<S2>(self, serdes: S2) -> WaitForConditionConfig<T, S2> {
        WaitForConditionConfig {
            done: self.done,
            max_attempts: self.max_attempts,
            delays: self.delays,
            serdes,
        }
    }
}

impl DurableContext {
    /// Runs `check` on the state (`initial` at first), checkpoints the state it returns, and, until
    /// `config`'s condition is met, waits without running and checks again in a later invocation, with
    /// the state and the attempt number (from 1). Returns the state that met the condition. A `check`
    /// that fails fails the operation at once (it is not retried), with its error.
    ///
    /// ```
    /// use lambda_fn::durable::{DurableContext, WaitForConditionConfig};
    ///
    /// async fn flow(job: String, ctx: DurableContext) -> Result<String, lambda_fn::Error> {
    ///     let config = WaitForConditionConfig::until(|status: &String| status != "RUNNING");
    ///     ctx.wait_for_condition("job done", "RUNNING".to_owned(), config, |_status, attempt| {
    ///         let job = job.clone();
    ///         async move {
    ///             // e.g. ask the batch service how the job is doing
    ///             Ok::<_, lambda_fn::Error>(if attempt < 3 { "RUNNING" } else { "DONE" }.to_owned())
    ///         }
    ///     })
    ///     .await
    /// }
    /// ```
    pub async fn wait_for_condition<T, S, F, Fut, E>(
        &self,
        name: &str,
        initial: T,
        config: WaitForConditionConfig<T, S>,
        check: F,
    ) -> Result<T, Error>
    where
        S: Serdes<T>,
        F: FnOnce(T, u32) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        let id = self.next_id();
        let what = format!("condition `{name}`");
        let update = |action| self.update(&id, OperationType::Step, sub_type::WAIT_FOR_CONDITION, name, action);
        let mut updates = Vec::with_capacity(2);
        let mut state = initial;
        let mut attempt = 1;
        match self.execution.recorded(&id) {
            None => updates.push(update(Action::Start)),
            Some(op) => {
                self.check(&op, OperationType::Step, sub_type::WAIT_FOR_CONDITION, name)
                    .await;
                let details = op.step_details.unwrap_or_default();
                match op.status {
                    OperationStatus::Succeeded => {
                        let result = details.result.as_deref().unwrap_or("null");
                        return Ok(self.decode(&config.serdes, &what, result).await);
                    }
                    OperationStatus::Failed
                    | OperationStatus::Cancelled
                    | OperationStatus::TimedOut
                    | OperationStatus::Stopped => return Err(recorded_error(&what, details.error.as_ref())),
                    OperationStatus::Pending => return self.suspend().await,
                    OperationStatus::Ready => updates.push(update(Action::Start)),
                    // The last check stopped before its checkpoint: it runs again, already started.
                    OperationStatus::Started => {}
                }
                attempt = details.attempt.unwrap_or(0) + 1;
                if let Some(recorded) = details.result.as_deref().filter(|r| !r.is_empty()) {
                    state = self.decode(&config.serdes, &what, recorded).await;
                }
            }
        }
        let checked = self
            .attempt(&update, attempt, || check(state, attempt))
            .await
            .map_err(Into::into);
        // Read back as a later run will, so that the condition is decided on what the history holds.
        let written = checked.and_then(|state| {
            let payload = config.serdes.serialize(&state)?;
            Ok((config.serdes.deserialize(&payload)?, payload))
        });
        let (state, payload) = match written {
            Ok(written) => written,
            Err(error) => {
                updates.push(OperationUpdate {
                    error: Some(error_object(&error)),
                    ..update(Action::Fail)
                });
                self.send(updates).await;
                return Err(error);
            }
        };
        if (config.done)(&state) {
            updates.push(OperationUpdate {
                payload: Some(payload),
                ..update(Action::Succeed)
            });
            self.send(updates).await;
            return Ok(state);
        }
        if attempt >= config.max_attempts {
            let error = Error::new(
                "Durable.WaitForConditionExhausted",
                format!("{what} was not met after {attempt} checks"),
            );
            updates.push(OperationUpdate {
                error: Some(error_object(&error)),
                ..update(Action::Fail)
            });
            self.send(updates).await;
            return Err(error);
        }
        updates.push(OperationUpdate {
            payload: Some(payload),
            step_options: Some(StepOptions {
                next_attempt_delay_seconds: config.delays.after(attempt),
            }),
            ..update(Action::Retry)
        });
        self.send(updates).await;
        self.suspend().await
    }
}
