//! What runs an execution: starting one, invoking its workflow through the handler's loop until the
//! execution is over, and making the calls its chained invokes start.

use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::service::{DurableService, Resumed, now};
use super::store::{self, Answer, ChainedCall, Completion, Status, Store};
use crate::durable::protocol::ErrorObject;
use crate::emulator::state::{Outcome, Shared};

/// Starts an execution of handler `index` and its driver; the execution's index in the store.
pub(super) fn start(
    shared: &Arc<Shared>,
    service: &DurableService,
    index: usize,
    name: Option<&str>,
    input: String,
) -> Result<usize, store::ApiError> {
    start_in(shared, service, &mut service.store(), index, name, input)
}

/// [`start`] with the store already locked.
fn start_in(
    shared: &Arc<Shared>,
    service: &DurableService,
    store: &mut Store,
    index: usize,
    name: Option<&str>,
    input: String,
) -> Result<usize, store::ApiError> {
    let timeout = service.durable.get(index).copied().flatten().unwrap_or(86_400);
    let function_arn = format!(
        "arn:aws:lambda:{}:123456789012:function:{}:$LATEST",
        shared.env.region, shared.functions[index].name
    );
    match store.start(index, &function_arn, name, input, timeout, now())? {
        store::Started::New(execution) => {
            tokio::task::spawn_local(drive(Arc::clone(shared), execution));
            Ok(execution)
        }
        store::Started::Existing(execution) => Ok(execution),
    }
}

/// Takes up what a store an earlier process saved left to do: drives its running executions, awaits the
/// executions its chained invokes started, and makes again the calls that had not started one.
pub(crate) fn resume(shared: &Arc<Shared>, resumed: Resumed) {
    let Resumed { running, calls } = resumed;
    for execution in running {
        tokio::task::spawn_local(drive(Arc::clone(shared), execution));
    }
    let Some(service) = shared.durable.as_ref() else { return };
    let mut again = Vec::new();
    for (call, child) in calls {
        match child {
            Some(child) => {
                tokio::task::spawn_local(await_child(Arc::clone(shared), call, child));
            }
            None => again.push(call),
        }
    }
    begin_calls(shared, service, &mut service.store(), again);
    service.changed();
}

/// Waits for execution `execution` to end; its status.
pub(super) async fn ended(service: &DurableService, execution: usize) -> Status {
    loop {
        let mut changed = pin!(service.signal.notified());
        changed.as_mut().enable();
        let status = service.store().execution(execution).status;
        if status != Status::Running {
            return status;
        }
        changed.await;
    }
}

/// Invokes the workflow of `execution` until the execution is over.
async fn drive(shared: Arc<Shared>, execution: usize) {
    let Some(service) = shared.durable.as_ref() else { return };
    loop {
        // Until there is something to invoke it for.
        loop {
            let mut changed = pin!(service.signal.notified());
            changed.as_mut().enable();
            let (status, wake, due) = {
                let store = service.store();
                let e = store.execution(execution);
                (e.status, e.wake, store.next_due(execution))
            };
            if status != Status::Running {
                service.changed();
                return;
            }
            if wake {
                break;
            }
            let Some((due, skippable)) = due else {
                changed.await;
                continue;
            };
            let real_now = now();
            if service.skip_time && skippable {
                service.store().skip_to(execution, due, real_now);
            } else if due > real_now {
                let sleep = tokio::time::sleep(Duration::from_secs_f64(due - real_now));
                if let futures_util::future::Either::Right(_) = futures_util::future::select(pin!(sleep), changed).await
                {
                    continue;
                }
            }
            service.store().fire_timers(execution, now());
            service.changed();
        }
        let (function, envelope) = {
            let mut store = service.store();
            let function = store.execution(execution).function;
            (function, store.begin_invocation(execution))
        };
        let invoked = now();
        let (request_id, outcome) = shared.submit(function, Bytes::from(envelope.to_string()), None, None);
        let answer = match Outcome::ended(outcome.await) {
            Outcome::Response(body) => match serde_json::from_slice(&body) {
                Ok(answer) => Answer::Answered(answer),
                Err(e) => Answer::InvocationFailed(ErrorObject::new(
                    "Runtime.InvalidResponse",
                    format!("the durable invocation's answer is not JSON: {e}"),
                )),
            },
            Outcome::Error { error_type, body } => Answer::InvocationFailed(function_error(&error_type, &body)),
        };
        shared.logs.take(&request_id);
        let callbacks = {
            let mut store = service.store();
            store.end_invocation(execution, &request_id, invoked, answer, now());
            store.take_new_callbacks(execution)
        };
        service.changed();
        for (name, id) in callbacks {
            tracing::info!(
                "the callback `{}` waits; complete it with: aws lambda send-durable-execution-callback-success \
                 --endpoint-url {} --callback-id {id} --result '<JSON>'",
                name.as_deref().unwrap_or("(unnamed)"),
                service.endpoint
            );
        }
    }
}

/// How an execution that `bootstrap invoke` ran ended.
#[derive(Debug)]
pub(crate) struct Ended {
    pub(crate) arn: String,
    pub(crate) succeeded: bool,
    /// The result, JSON, when it succeeded.
    pub(crate) result: Option<String>,
    /// The error, when it did not.
    pub(crate) error: Option<ErrorObject>,
    /// GetDurableExecutionHistory's answer, with the execution's data.
    pub(crate) history: serde_json::Value,
}

/// Runs one execution of durable handler `handler` on `input` to its end.
pub(crate) async fn run_to_end(shared: &Arc<Shared>, handler: &str, input: String) -> Result<Ended, String> {
    let Some(service) = shared.durable.as_ref() else {
        return Err(format!(
            "`{handler}` is a durable workflow, and AWS_ENDPOINT_URL_LAMBDA names another durable execution \
             service: start the execution there, or unset it to run it here"
        ));
    };
    let index = shared
        .resolve(handler)
        .filter(|&index| service.is_durable(index))
        .ok_or_else(|| format!("no durable handler named `{handler}`"))?;
    let execution = start(shared, service, index, None, input).map_err(|e| e.message)?;
    service.changed();
    let status = ended(service, execution).await;
    let store = service.store();
    let done = store.execution(execution);
    let history = store
        .history(&done.arn, true, None, usize::MAX, false)
        .map_err(|e| e.message)?;
    Ok(Ended {
        arn: done.arn.clone(),
        succeeded: status == Status::Succeeded,
        result: done.result.clone(),
        error: done.error.clone(),
        history,
    })
}

/// Starts the calls that a checkpoint's chained invokes asked for, `store` being the store the checkpoint
/// was applied to, still locked: a durable handler as an execution of its own, started at once so that
/// the invoke's `ChainedInvokeStarted` event names it; another handler of this binary as one invocation.
pub(super) fn begin_calls(shared: &Arc<Shared>, service: &DurableService, store: &mut Store, calls: Vec<ChainedCall>) {
    for call in calls {
        let target = shared.resolve(&call.function);
        match target {
            None => {
                let message = format!(
                    "Function not found: {} (the emulator runs the handlers of this binary only)",
                    call.function
                );
                let failed = Completion::Failed(ErrorObject::new("ResourceNotFoundException", &message));
                store.complete_invoke(call.execution, &call.operation, &failed, now());
            }
            Some(target) if service.is_durable(target) => {
                match start_in(shared, service, store, target, None, call.payload.clone()) {
                    Ok(child) => {
                        store.link_child(call.execution, &call.operation, child);
                        tokio::task::spawn_local(await_child(Arc::clone(shared), call, child));
                    }
                    Err(e) => {
                        let failed = Completion::Failed(ErrorObject::new(e.code, &e.message));
                        store.complete_invoke(call.execution, &call.operation, &failed, now());
                    }
                }
            }
            Some(target) => {
                tokio::task::spawn_local(invoke_once(Arc::clone(shared), call, target));
            }
        }
    }
}

/// Ends a chained invoke when the execution it started ends.
async fn await_child(shared: Arc<Shared>, call: ChainedCall, child: usize) {
    let Some(service) = shared.durable.as_ref() else { return };
    let status = ended(service, child).await;
    let mut store = service.store();
    let done = store.execution(child);
    let completion = match status {
        Status::Succeeded => Completion::Succeeded(done.result.clone().unwrap_or_default()),
        Status::TimedOut => Completion::TimedOut(done.error.clone().unwrap_or_default()),
        _ => Completion::Failed(done.error.clone().unwrap_or_default()),
    };
    store.complete_invoke(call.execution, &call.operation, &completion, now());
    drop(store);
    service.changed();
}

/// Makes a chained invoke of a handler that is not durable: one invocation.
async fn invoke_once(shared: Arc<Shared>, call: ChainedCall, target: usize) {
    let Some(service) = shared.durable.as_ref() else { return };
    let (request_id, outcome) = shared.submit(target, Bytes::from(call.payload), call.tenant_id, None);
    let outcome = Outcome::ended(outcome.await);
    shared.logs.take(&request_id);
    let completion = match outcome {
        Outcome::Response(body) => Completion::Succeeded(String::from_utf8_lossy(&body).into_owned()),
        Outcome::Error { error_type, body } => Completion::Failed(function_error(&error_type, &body)),
    };
    service
        .store()
        .complete_invoke(call.execution, &call.operation, &completion, now());
    service.changed();
}

/// A function's error post (`{"errorType", "errorMessage"}`) as the API's error object.
fn function_error(error_type: &str, body: &[u8]) -> ErrorObject {
    let error = crate::Error::from_posted(body, error_type);
    ErrorObject::new(error.error_type(), error.message())
}
