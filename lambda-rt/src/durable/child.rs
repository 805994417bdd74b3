//! [`DurableContext::child_context`]: a group of operations under one operation of its own, with its
//! result checkpointed as one.

use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::context::{DurableContext, error_object, recorded_error};
use super::protocol::{Action, ContextOptions, OperationStatus, OperationType, OperationUpdate, sub_type};
use super::serdes::{JsonSerdes, Serdes};
use crate::error::Error;

/// The largest result a child context records; a larger one is rebuilt by replaying its children.
const MAX_RECORDED_RESULT: usize = 256 * 1024;

impl DurableContext {
    /// Runs `work` with a context of its own, whose operations are numbered apart from this one's (so
    /// that work which branches, or runs concurrently with other work, replays deterministically), and
    /// checkpoints its result as one operation: on a later run the recorded result comes back without
    /// running `work`. A result over 256 KiB is not recorded: a later run runs `work` again, whose
    /// operations replay from their own records.
    ///
    /// ```
    /// use lambda_fn::durable::DurableContext;
    ///
    /// async fn flow(ctx: DurableContext) -> Result<u32, lambda_fn::Error> {
    ///     ctx.child_context("price", |child| async move {
    ///         let base: u32 = child.step("base", || async { Ok::<_, lambda_fn::Error>(40) }).await?;
    ///         child.step("tax", || async move { Ok::<_, lambda_fn::Error>(base + 2) }).await
    ///     })
    ///     .await
    /// }
    /// ```
    pub async fn child_context<T, F, Fut, E>(&self, name: &str, work: F) -> Result<T, Error>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce(DurableContext) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        self.child_context_with(name, &JsonSerdes, work).await
    }

    /// [`child_context`](Self::child_context) with its result written and read by `serdes`.
    pub async fn child_context_with<T, S, F, Fut, E>(&self, name: &str, serdes: &S, work: F) -> Result<T, Error>
    where
        S: Serdes<T>,
        F: FnOnce(DurableContext) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        self.run_child(name, sub_type::CHILD_CONTEXT, serdes, work).await
    }

    /// A child context of subtype `sub_type`: the building block of child contexts, and of the
    /// operations made of several (map, parallel, wait for callback).
    pub(super) async fn run_child<T, S, F, Fut, E>(
        &self,
        name: &str,
        sub_type: &'static str,
        serdes: &S,
        work: F,
    ) -> Result<T, Error>
    where
        S: Serdes<T>,
        F: FnOnce(DurableContext) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        let id = self.next_id();
        let what = format!("child context `{name}`");
        if let Some(op) = self.execution.recorded(&id) {
            self.check(&op, OperationType::Context, sub_type, name).await;
            let details = op.context_details.unwrap_or_default();
            match op.status {
                OperationStatus::Succeeded if details.replay_children != Some(true) => {
                    self.execution.reach_inside(&id);
                    let result = details.result.as_deref().unwrap_or("null");
                    return Ok(self.decode(serdes, &what, result).await);
                }
                OperationStatus::Failed
                | OperationStatus::Cancelled
                | OperationStatus::TimedOut
                | OperationStatus::Stopped => {
                    self.execution.reach_inside(&id);
                    return Err(recorded_error(&what, details.error.as_ref()));
                }
                // Started, or succeeded with a result too large to record: the work runs again, its
                // operations replaying.
                _ => {}
            }
            return self.finish_child(&id, name, sub_type, serdes, work, false).await;
        }
        self.execution
            .defer(self.update(&id, OperationType::Context, sub_type, name, Action::Start));
        self.finish_child(&id, name, sub_type, serdes, work, true).await
    }

    /// Runs the child's work and checkpoints its outcome (unless it was already recorded).
    async fn finish_child<T, S, F, Fut, E>(
        &self,
        id: &str,
        name: &str,
        sub_type: &'static str,
        serdes: &S,
        work: F,
        first_run: bool,
    ) -> Result<T, Error>
    where
        S: Serdes<T>,
        F: FnOnce(DurableContext) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        let recorded_done = !first_run
            && self
                .execution
                .recorded(id)
                .is_some_and(|op| op.status == OperationStatus::Succeeded);
        let update = |action| self.update(id, OperationType::Context, sub_type, name, action);
        let outcome = work(self.nested(id)).await.map_err(Into::into);
        let value = outcome.and_then(|value| serdes.serialize(&value).map(|payload| (value, payload)));
        match value {
            Ok((value, payload)) => {
                if recorded_done {
                    return Ok(value);
                }
                if payload.len() > MAX_RECORDED_RESULT {
                    self.send(vec![OperationUpdate {
                        context_options: Some(ContextOptions { replay_children: true }),
                        ..update(Action::Succeed)
                    }])
                    .await;
                    return Ok(value);
                }
                // Read back as a later run will, so that this run and a replay see the same value.
                let value = serdes.deserialize(&payload)?;
                self.send(vec![OperationUpdate {
                    payload: Some(payload),
                    ..update(Action::Succeed)
                }])
                .await;
                Ok(value)
            }
            Err(error) => {
                self.send(vec![OperationUpdate {
                    error: Some(error_object(&error)),
                    ..update(Action::Fail)
                }])
                .await;
                Err(error)
            }
        }
    }
}
