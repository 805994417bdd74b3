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

/// A child context about to run: its parent and its id, for making the context its work runs with.
pub(super) struct ChildOf<'a> {
    pub(super) parent: &'a DurableContext,
    pub(super) id: &'a str,
}

impl ChildOf<'_> {
    /// The plain child context: its operations numbered under its id, reporting it as their parent.
    fn nested_here(self) -> DurableContext {
        self.parent.nested(self.id)
    }
}

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
        self.run_child_at(id, name, sub_type, serdes, |child| child.nested_here(), work)
            .await
    }

    /// A child context with the id `id`, whose work gets the context `inside` makes of it.
    pub(super) async fn run_child_at<T, S, F, Fut, E>(
        &self,
        id: String,
        name: &str,
        sub_type: &'static str,
        serdes: &S,
        inside: impl FnOnce(ChildOf<'_>) -> DurableContext,
        work: F,
    ) -> Result<T, Error>
    where
        S: Serdes<T>,
        F: FnOnce(DurableContext) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        let what = format!("child context `{name}`");
        let update = |action| self.update(&id, OperationType::Context, sub_type, name, action);
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
            let recorded_done = op.status == OperationStatus::Succeeded;
            let context = inside(ChildOf { parent: self, id: &id });
            return self.finish_child(&update, serdes, context, work, recorded_done).await;
        }
        self.execution.defer(update(Action::Start));
        let context = inside(ChildOf { parent: self, id: &id });
        self.finish_child(&update, serdes, context, work, false).await
    }

    /// Runs the child's work with `context` and checkpoints its outcome, unless its success was already
    /// recorded (with a result too large to record, which this run rebuilds).
    async fn finish_child<T, S, F, Fut, E>(
        &self,
        update: &dyn Fn(Action) -> OperationUpdate,
        serdes: &S,
        context: DurableContext,
        work: F,
        recorded_done: bool,
    ) -> Result<T, Error>
    where
        S: Serdes<T>,
        F: FnOnce(DurableContext) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        let outcome = work(context).await.map_err(Into::into);
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
