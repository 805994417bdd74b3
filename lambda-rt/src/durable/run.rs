//! The adapter a `durable` handler's registration calls: read the envelope, page in the history, run the
//! workflow until it returns or halts, and answer as the durable execution service expects
//! (`SUCCEEDED` with the result, `FAILED` with the error, or `PENDING`).
//!
//! A checkpoint that failed in a way a new invocation may not (throttling, a server error, a lost
//! connection, a stale token) fails the invocation itself, so that Lambda invokes the function again; one
//! the service refused for good, or a history the code does not match, answers `FAILED`.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::pin;
use std::rc::Rc;
use std::time::{Duration, Instant};

use futures_util::FutureExt as _;
use futures_util::future::{Either, select};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::context::{DurableContext, error_object};
use super::execution::{Checkpointer, Execution, Halt};
use super::plugin::{Described, InvocationStatus, OperationEnd, Plugin, Plugins};
use super::protocol::{Action, Envelope, ErrorObject, OperationType, OperationUpdate};
use super::service::LambdaService;
use crate::encode::{Output, Respond};
use crate::error::{Error, kind};
use crate::extract::Invocation;
use crate::registry::HandlerFuture;

/// The largest answer Lambda takes, less the envelope's margin: a longer result is checkpointed on the
/// execution, and the answer carries none.
const MAX_ANSWER: usize = 6 * 1024 * 1024 - 50;

/// The registered call of a `durable` handler: one invocation of the workflow, checkpointed through the
/// Lambda API of the function's environment, watched by the plugins `plugins` makes. They are made in
/// the invocation's future, so that a panic making them is the invocation's (`Runtime.Panic`).
pub fn run<E, R, P, F, Fut>(mut invocation: Invocation, plugins: P, workflow: F) -> HandlerFuture
where
    E: DeserializeOwned + 'static,
    R: Serialize + 'static,
    P: FnOnce() -> Vec<Box<dyn Plugin>> + 'static,
    F: FnOnce(E, DurableContext) -> Fut + 'static,
    Fut: Future<Output = Result<R, Error>> + 'static,
{
    Box::pin(async move {
        let plugins = plugins();
        let envelope: Envelope = invocation.event()?;
        // Retries of a checkpoint end a little before the invocation's, so that its failure is reported.
        let deadline = invocation
            .context()
            .remaining()
            .map_or(Duration::from_secs(60), |left| {
                left.saturating_sub(Duration::from_millis(500))
            });
        let local = invocation.context().env.lambda_endpoint.as_deref();
        let service = LambdaService::from_env(&envelope.durable_execution_arn, Instant::now() + deadline, local)
            .map_err(|e| Error::new(kind::DURABLE_CHECKPOINT, format!("the durable execution service: {e}")))?;
        run_with(envelope, Box::new(service), plugins, workflow).await
    })
}

/// Runs one invocation of a durable workflow with the checkpoints going through `checkpointer`.
pub(crate) async fn run_with<E, R, F, Fut>(
    envelope: Envelope,
    checkpointer: Box<dyn Checkpointer>,
    plugins: Vec<Box<dyn Plugin>>,
    workflow: F,
) -> Result<Output, Error>
where
    E: DeserializeOwned,
    R: Serialize,
    F: FnOnce(E, DurableContext) -> Fut,
    Fut: Future<Output = Result<R, Error>>,
{
    let Envelope {
        durable_execution_arn,
        checkpoint_token,
        initial_execution_state: mut state,
        updated_operation_ids,
    } = envelope;
    let mut operations = std::mem::take(&mut state.operations);
    while let Some(marker) = state.next_marker.take().filter(|m| !m.is_empty()) {
        state = checkpointer.state(&checkpoint_token, &marker).await.map_err(|e| {
            Error::new(
                kind::DURABLE_CHECKPOINT,
                format!("the execution's history: {}", e.message),
            )
        })?;
        operations.append(&mut state.operations);
    }
    let execution = Execution::new(durable_execution_arn, checkpointer, operations, checkpoint_token);
    if plugins.is_empty() {
        return invoke(Rc::new(execution), workflow).await.1;
    }
    let plugins = Plugins::new(plugins, execution.arn());
    let execution = Rc::new(execution.with_plugins(plugins));
    let first = execution.first_invocation();
    let watching = execution.plugins();
    watching.invocation_start(first);
    for id in &updated_operation_ids {
        let ended = execution
            .recorded(id)
            .filter(|op| op.kind != OperationType::Execution)
            .and_then(|op| Some((Described::of_operation(&op), OperationEnd::from_status(op.status)?)));
        if let Some((operation, end)) = ended {
            watching.operation_end(&operation, end);
        }
    }
    let (status, answer) = match AssertUnwindSafe(invoke(Rc::clone(&execution), workflow))
        .catch_unwind()
        .await
    {
        Ok(ended) => ended,
        Err(panic) => {
            // The workflow panicked: the invocation fails (`Runtime.Panic`, reported by the loop as it
            // would be without plugins), and the plugins hear that it ends.
            execution.plugins().invocation_end(first, InvocationStatus::Retry);
            std::panic::resume_unwind(panic)
        }
    };
    execution.plugins().invocation_end(first, status);
    answer
}

/// Runs the workflow on `execution` and answers: the status the answer carries, for the plugins, and
/// the answer.
async fn invoke<E, R, F, Fut>(execution: Rc<Execution>, workflow: F) -> (InvocationStatus, Result<Output, Error>)
where
    E: DeserializeOwned,
    R: Serialize,
    F: FnOnce(E, DurableContext) -> Fut,
    Fut: Future<Output = Result<R, Error>>,
{
    let input = execution
        .execution_operation()
        .and_then(|op| op.execution_details)
        .and_then(|details| details.input_payload)
        .filter(|payload| !payload.trim().is_empty())
        .unwrap_or_else(|| "null".to_owned());
    let input: E = match serde_json::from_str(&input) {
        Ok(input) => input,
        Err(e) => {
            let error = ErrorObject::new(kind::UNMARSHAL, format!("the execution's input does not decode: {e}"));
            return (InvocationStatus::Failed, answer_failed(&error));
        }
    };
    let context = DurableContext::new(Rc::clone(&execution));
    let outcome = {
        let workflow = pin!(workflow(input, context));
        let halted = pin!(execution.halted());
        match select(workflow, halted).await {
            Either::Left((outcome, _)) => match execution.halt_state() {
                // The workflow returned while a sibling future had halted (a join): the halt decides.
                Some(halt) => Err(halt),
                None => Ok(outcome),
            },
            Either::Right((halt, _)) => Err(halt),
        }
    };
    let answered = |status, answer: Result<Output, Error>| match answer {
        Ok(answer) => (status, Ok(answer)),
        Err(error) => (InvocationStatus::Retry, Err(error)),
    };
    match outcome {
        Ok(Ok(result)) => {
            let result = match serde_json::to_string(&result) {
                Ok(result) => result,
                Err(e) => {
                    let error = Error::new(
                        kind::DURABLE_SERIALIZATION,
                        format!("the workflow's result is not JSON: {e}"),
                    );
                    return (InvocationStatus::Retry, Err(error));
                }
            };
            if result.len() <= MAX_ANSWER {
                return answered(
                    InvocationStatus::Succeeded,
                    json!({"Status": "SUCCEEDED", "Result": result}).respond(),
                );
            }
            let answer = match finish_large(&execution, Action::Succeed, Some(result), None).await {
                Ok(()) => json!({"Status": "SUCCEEDED", "Result": ""}).respond(),
                Err(error) => Err(error),
            };
            answered(InvocationStatus::Succeeded, answer)
        }
        Ok(Err(error)) => {
            let object = error_object(&error);
            let answer = serde_json::to_string(&object).map_or(0, |s| s.len());
            if answer <= MAX_ANSWER {
                return answered(InvocationStatus::Failed, answer_failed(&object));
            }
            let answer = match finish_large(&execution, Action::Fail, None, Some(object)).await {
                Ok(()) => json!({"Status": "FAILED"}).respond(),
                Err(error) => Err(error),
            };
            answered(InvocationStatus::Failed, answer)
        }
        Err(Halt::Suspended) => answered(InvocationStatus::Pending, json!({"Status": "PENDING"}).respond()),
        Err(Halt::Failed(object)) => answered(InvocationStatus::Failed, answer_failed(&object)),
        Err(Halt::Retry(message)) => (
            InvocationStatus::Retry,
            Err(Error::new(kind::DURABLE_CHECKPOINT, message)),
        ),
    }
}

fn answer_failed(error: &ErrorObject) -> Result<Output, Error> {
    json!({"Status": "FAILED", "Error": error}).respond()
}

/// Records an outcome too large for the answer on the execution itself, as the last checkpoint.
async fn finish_large(
    execution: &Execution,
    action: Action,
    payload: Option<String>,
    error: Option<ErrorObject>,
) -> Result<(), Error> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let update = OperationUpdate {
        id: format!("execution-result-{now}"),
        parent_id: None,
        name: None,
        kind: OperationType::Execution,
        sub_type: None,
        action,
        payload,
        error,
        ..OperationUpdate::default()
    };
    if execution.checkpoint_final(vec![update]).await {
        return Ok(());
    }
    Err(Error::new(
        kind::DURABLE_CHECKPOINT,
        "the workflow's outcome, too large for the answer, could not be checkpointed",
    ))
}
