//! Callbacks: [`DurableContext::create_callback`] and [`Callback`], an id another system completes
//! through Lambda's API while the workflow waits without running; [`DurableContext::wait_for_callback`]
//! creates one, hands its id to a submitter step and waits for it.

use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::context::{Branch, DurableContext, recorded_error, suspend};
use super::execution::Execution;
use super::protocol::{Action, CallbackOptions, OperationStatus, OperationType, OperationUpdate, sub_type};
use super::retry::Retry;
use super::serdes::{JsonSerdes, Serdes};
use super::step::StepConfig;
use crate::error::Error;

/// How long a callback may take: in all ([`timeout`](Self::timeout)), and between two heartbeats of the
/// system completing it ([`heartbeat_timeout`](Self::heartbeat_timeout)); neither by default (then only
/// the execution's own timeout ends it). A callback that runs out of time fails with `Callback.Timeout`
/// or `Callback.Heartbeat`.
///
/// ```
/// use lambda_fn::durable::CallbackConfig;
/// use std::time::Duration;
///
/// let approval = CallbackConfig::new()
///     .timeout(Duration::from_secs(7 * 24 * 3600))
///     .heartbeat_timeout(Duration::from_secs(3600));
/// # let _ = approval;
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallbackConfig {
    timeout: Option<Duration>,
    heartbeat_timeout: Option<Duration>,
    submitter_retry: Option<Retry>,
}

impl CallbackConfig {
    /// No timeout, no heartbeat.
    pub fn new() -> CallbackConfig {
        CallbackConfig::default()
    }

    /// The longest the callback may take (whole seconds, rounded up).
    pub fn timeout(self, timeout: Duration) -> CallbackConfig {
        CallbackConfig {
            timeout: Some(timeout),
            ..self
        }
    }

    /// The longest between two heartbeats (`SendDurableExecutionCallbackHeartbeat`) of the system that
    /// completes it.
    pub fn heartbeat_timeout(self, heartbeat_timeout: Duration) -> CallbackConfig {
        CallbackConfig {
            heartbeat_timeout: Some(heartbeat_timeout),
            ..self
        }
    }

    /// How [`wait_for_callback`](DurableContext::wait_for_callback)'s submitter step is retried
    /// ([`Retry::default`] otherwise).
    pub fn submitter_retry(self, retry: Retry) -> CallbackConfig {
        CallbackConfig {
            submitter_retry: Some(retry),
            ..self
        }
    }

    fn options(&self) -> CallbackOptions {
        let seconds = |d: Option<Duration>| d.map_or(0, |d| d.as_secs() + u64::from(d.subsec_nanos() > 0));
        CallbackOptions {
            timeout_seconds: seconds(self.timeout),
            heartbeat_timeout_seconds: seconds(self.heartbeat_timeout),
        }
    }
}

/// A callback the workflow created: give [`id`](Self::id) to the system that completes it
/// (`SendDurableExecutionCallbackSuccess` with a JSON result, `...Failure` with an error, `...Heartbeat`),
/// then await [`result`](Self::result).
pub struct Callback<T> {
    execution: Rc<Execution>,
    branch: Option<Rc<Branch>>,
    operation: String,
    name: String,
    callback_id: String,
    result: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Callback<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Callback")
            .field("name", &self.name)
            .field("id", &self.callback_id)
            .finish_non_exhaustive()
    }
}

impl<T> Callback<T> {
    /// The id the completing system sends back with the result.
    pub fn id(&self) -> &str {
        &self.callback_id
    }

    /// The result the callback was completed with (JSON, read as `T`; one that does not read is a
    /// `Durable.SerializationError`), or its failure: the error the completing system sent, or
    /// `Callback.Timeout` / `Callback.Heartbeat`. Until it is completed the function answers `PENDING`,
    /// and Lambda invokes it again when it is.
    pub async fn result(self) -> Result<T, Error>
    where
        T: DeserializeOwned,
    {
        let raw = self.raw_result().await?;
        serde_json::from_str(raw.as_deref().unwrap_or("null")).map_err(|e| {
            Error::new(
                crate::error::kind::DURABLE_SERIALIZATION,
                format!(
                    "the result callback `{}` was completed with is not the JSON expected: {e}",
                    self.name
                ),
            )
        })
    }

    /// [`result`](Self::result), read with `serdes` rather than as JSON: for a completing system that
    /// sends another format, or a value to convert on the way in. A callback completed with no result
    /// reads as the empty string.
    pub async fn result_with<S: Serdes<T>>(self, serdes: &S) -> Result<T, Error> {
        let raw = self.raw_result().await?;
        serdes.deserialize(raw.as_deref().unwrap_or(""))
    }

    /// What the callback was completed with, as it was sent (`None`: nothing), or its failure.
    async fn raw_result(&self) -> Result<Option<String>, Error> {
        let what = format!("callback `{}`", self.name);
        let Some(op) = self.execution.recorded(&self.operation) else {
            return suspend(&self.execution, self.branch.as_deref()).await;
        };
        let details = op.callback_details.unwrap_or_default();
        match op.status {
            OperationStatus::Succeeded => Ok(details.result.filter(|r| !r.is_empty())),
            OperationStatus::Failed
            | OperationStatus::Cancelled
            | OperationStatus::TimedOut
            | OperationStatus::Stopped => Err(recorded_error(&what, details.error.as_ref())),
            OperationStatus::Started | OperationStatus::Pending | OperationStatus::Ready => {
                suspend(&self.execution, self.branch.as_deref()).await
            }
        }
    }
}

impl DurableContext {
    /// Creates a callback (checkpointed: a replay gets the same id back) whose result the workflow can
    /// await later, after other operations.
    ///
    /// ```
    /// use lambda_fn::durable::{CallbackConfig, DurableContext};
    ///
    /// async fn approve(order: String, ctx: DurableContext) -> Result<bool, lambda_fn::Error> {
    ///     let approval = ctx.create_callback::<bool>("approval", CallbackConfig::new()).await;
    ///     let id = approval.id().to_owned();
    ///     ctx.step("ask", || async move {
    ///         // e.g. e-mail a link that ends in SendDurableExecutionCallbackSuccess(id, "true")
    ///         Ok::<_, lambda_fn::Error>(format!("asked about {order} with {id}"))
    ///     })
    ///     .await?;
    ///     approval.result().await
    /// }
    /// ```
    pub async fn create_callback<T>(&self, name: &str, config: CallbackConfig) -> Callback<T> {
        let id = self.next_id();
        let op = match self.execution.recorded(&id) {
            Some(op) => {
                self.check(&op, OperationType::Callback, sub_type::CALLBACK, name).await;
                Some(op)
            }
            None => {
                self.send(vec![OperationUpdate {
                    callback_options: Some(config.options()),
                    ..self.update(&id, OperationType::Callback, sub_type::CALLBACK, name, Action::Start)
                }])
                .await;
                self.execution.recorded(&id)
            }
        };
        let callback_id = op.and_then(|op| op.callback_details).and_then(|d| d.callback_id);
        let Some(callback_id) = callback_id else {
            return self
                .fail(
                    "Durable.CallbackIdMissing",
                    format!("the durable execution service gave callback `{name}` no callback id"),
                )
                .await;
        };
        Callback {
            execution: Rc::clone(&self.execution),
            branch: self.branch.clone(),
            operation: id,
            name: name.to_owned(),
            callback_id,
            result: PhantomData,
        }
    }

    /// Creates a callback, runs `submitter` with its id as a step (to hand the id to the system that
    /// completes it), and waits for its result; all three as one child context (subtype
    /// `WaitForCallback`), whose result is checkpointed.
    ///
    /// ```
    /// use lambda_fn::durable::{CallbackConfig, DurableContext};
    /// use std::time::Duration;
    ///
    /// async fn flow(ticket: String, ctx: DurableContext) -> Result<String, lambda_fn::Error> {
    ///     let config = CallbackConfig::new().timeout(Duration::from_secs(24 * 3600));
    ///     ctx.wait_for_callback("review", config, |callback_id| async move {
    ///         // e.g. put `callback_id` on a queue the reviewers' tool reads
    ///         let _ = (ticket, callback_id);
    ///         Ok::<_, lambda_fn::Error>(())
    ///     })
    ///     .await
    /// }
    /// ```
    pub async fn wait_for_callback<T, F, Fut, E>(
        &self,
        name: &str,
        config: CallbackConfig,
        submitter: F,
    ) -> Result<T, Error>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce(String) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: Into<Error>,
    {
        let (callback_name, submitter_name) = if name.is_empty() {
            ("callback".to_owned(), "submitter".to_owned())
        } else {
            (format!("{name} callback"), format!("{name} submitter"))
        };
        let retry = config.submitter_retry.clone().unwrap_or_default();
        self.run_child(name, sub_type::WAIT_FOR_CALLBACK, &JsonSerdes, |child| async move {
            let callback = child.create_callback::<T>(&callback_name, config).await;
            let callback_id = callback.id().to_owned();
            child
                .step_with(&submitter_name, StepConfig::new().retry(retry), || {
                    submitter(callback_id)
                })
                .await?;
            callback.result().await
        })
        .await
    }
}
