//! The emulator's durable executions, in memory: each one's operations as its checkpoints left them, its
//! history events, its checkpoint token and its timers. Every change goes through here, synchronously and
//! with the time passed in, so that the rules (what a checkpoint may do, when a wait is over, how an
//! invocation's answer ends an execution) are tested without a server. The HTTP side (`api.rs`) and the
//! drivers (`mod.rs`) call it under one lock.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::history::{self, Event};
use crate::durable::protocol::{
    Action, CallbackDetails, CallbackOptions, ChainedInvokeDetails, ContextDetails, ErrorObject, Operation,
    OperationStatus, OperationType, OperationUpdate, StepDetails,
};

/// How many operations a page of state carries (the envelope's first page, GetDurableExecutionState).
pub(super) const PAGE: usize = 1000;

/// How many failed invocations in a row fail the execution (Lambda retries a failed invocation; the
/// emulator gives up after this many, with the last one's error).
pub(super) const INVOCATION_ATTEMPTS: u32 = 3;

/// Where an execution stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) enum Status {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Stopped,
}

impl Status {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Status::Running => "RUNNING",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Stopped => "STOPPED",
        }
    }
}

/// An error the API answers, shaped like AWS's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ApiError {
    pub(super) status: u16,
    pub(super) code: &'static str,
    pub(super) message: String,
}

impl ApiError {
    fn invalid(message: impl Into<String>) -> ApiError {
        ApiError {
            status: 400,
            code: "InvalidParameterValueException",
            message: message.into(),
        }
    }

    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: 404,
            code: "ResourceNotFoundException",
            message: message.into(),
        }
    }
}

/// An operation as the service keeps it: what the function sees, and the service's own timestamps and
/// timers.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Stored {
    op: Operation,
    started: f64,
    ended: Option<f64>,
    /// When a wait ends, a step's retry delay passes or a callback times out: a timer, cleared when it fires.
    due: Option<f64>,
    /// When a wait was scheduled to end (`WaitDetails`).
    scheduled_end: Option<f64>,
    /// When a callback times out for want of a heartbeat.
    heartbeat_due: Option<f64>,
    callback_options: Option<CallbackOptions>,
    /// A chained invoke's call, kept so that a restart can make it again.
    call: Option<ChainedCall>,
    /// The execution a chained invoke of a durable handler started.
    child: Option<usize>,
}

impl Stored {
    /// `op`, started at `now`, with no timer.
    fn new(op: Operation, now: f64) -> Stored {
        Stored {
            op,
            started: now,
            ended: None,
            due: None,
            scheduled_end: None,
            heartbeat_due: None,
            callback_options: None,
            call: None,
            child: None,
        }
    }

    /// The operation as the API shows it, with its timestamps.
    fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(&self.op).unwrap_or_default();
        value["StartTimestamp"] = json!(self.started);
        if let Some(ended) = self.ended {
            value["EndTimestamp"] = json!(ended);
        }
        if let Some(end) = self.scheduled_end {
            value["WaitDetails"] = json!({ "ScheduledEndTimestamp": end });
        }
        value
    }
}

/// A call of another function that a `CHAINED_INVOKE` started: the driver makes it and reports back with
/// [`Store::complete_invoke`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct ChainedCall {
    pub(super) execution: usize,
    pub(super) operation: String,
    pub(super) function: String,
    pub(super) tenant_id: Option<String>,
    pub(super) payload: String,
}

/// How something that ends an operation from outside (a callback, an invoked function) ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Completion {
    Succeeded(String),
    Failed(ErrorObject),
    TimedOut(ErrorObject),
}

/// How an invocation of the function ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Answer {
    /// What the function answered: `{"Status": "SUCCEEDED" | "FAILED" | "PENDING", ...}`.
    Answered(Value),
    /// The invocation failed (an error post, a timeout): Lambda invokes it again.
    InvocationFailed(ErrorObject),
}

/// One durable execution.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(super) struct Execution {
    pub(super) arn: String,
    pub(super) name: String,
    /// The emulator's index of the handler that runs it (found again by name when a saved store loads).
    pub(super) function: usize,
    pub(super) function_arn: String,
    pub(super) input: String,
    pub(super) status: Status,
    pub(super) result: Option<String>,
    pub(super) error: Option<ErrorObject>,
    pub(super) started: f64,
    pub(super) ended: Option<f64>,
    timeout_s: u64,
    /// Seconds skipped ahead (time skipping): this execution's clock is the real one plus this.
    offset: f64,
    operations: Vec<Stored>,
    index: HashMap<String, usize>,
    events: Vec<Event>,
    token: Option<String>,
    sequence: u64,
    /// An invocation is in flight.
    pub(super) invoking: bool,
    /// Something the workflow waits on ended since its last invocation began: invoke it again.
    pub(super) wake: bool,
    /// The operations that changed from outside since the last invocation began (the next one's
    /// `UpdatedOperationIds`).
    #[serde(default)]
    updated: Vec<String>,
    failed_invocations: u32,
    calls: Vec<ChainedCall>,
    /// The callbacks created since the driver last looked: (name, id).
    new_callbacks: Vec<(Option<String>, String)>,
}

impl Execution {
    fn now(&self, real: f64) -> f64 {
        real + self.offset
    }

    fn event(&mut self, event: Event) {
        self.events.push(event);
    }

    fn get(&self, id: &str) -> Option<&Stored> {
        self.index.get(id).map(|&i| &self.operations[i])
    }

    /// Ends the execution (a no-op when it is over).
    fn finish(&mut self, status: Status, result: Option<String>, error: Option<ErrorObject>, now: f64) {
        if self.status != Status::Running {
            return;
        }
        self.status = status;
        self.ended = Some(now);
        self.token = None;
        if let Some(op) = self.operations.first_mut() {
            op.ended = Some(now);
            op.op.status = match status {
                Status::Succeeded => OperationStatus::Succeeded,
                Status::Failed => OperationStatus::Failed,
                Status::TimedOut => OperationStatus::TimedOut,
                Status::Stopped | Status::Running => OperationStatus::Stopped,
            };
        }
        let suffix = match status {
            Status::Succeeded => "Succeeded",
            Status::Failed => "Failed",
            Status::TimedOut => "TimedOut",
            Status::Stopped | Status::Running => "Stopped",
        };
        let event = history::execution_ended(suffix, result.as_deref(), error.as_ref(), now);
        self.result = result;
        self.error = error;
        self.event(event);
    }
}

/// Every execution of the emulator.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Store {
    executions: Vec<Execution>,
    by_arn: HashMap<String, usize>,
    /// Callback id → (execution, operation id).
    callbacks: HashMap<String, (usize, String)>,
}

/// What a saved store leaves to do when it is taken up again ([`Store::reattach`]).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Resumed {
    /// The executions still running.
    pub(super) running: Vec<usize>,
    /// The chained invokes in flight, with the execution each started, if it did.
    pub(super) calls: Vec<(ChainedCall, Option<usize>)>,
}

/// What [`Store::start`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Started {
    New(usize),
    /// An execution of that name was started before with the same input: that one.
    Existing(usize),
}

impl Store {
    pub(super) fn execution(&self, index: usize) -> &Execution {
        &self.executions[index]
    }

    /// The execution of `arn`.
    pub(super) fn find(&self, arn: &str) -> Result<usize, ApiError> {
        self.by_arn
            .get(arn)
            .copied()
            .ok_or_else(|| ApiError::not_found(format!("no durable execution {arn}")))
    }

    /// Starts an execution of function `function` (`function_arn`, qualified by its version) on `input`.
    /// A name given twice with the same input is the same execution; with another input, a conflict.
    pub(super) fn start(
        &mut self,
        function: usize,
        function_arn: &str,
        name: Option<&str>,
        input: String,
        timeout_s: u64,
        now: f64,
    ) -> Result<Started, ApiError> {
        let index = self.executions.len();
        let name = match name {
            Some(name) => {
                if let Some(existing) = self
                    .executions
                    .iter()
                    .position(|e| e.function == function && e.name == name)
                {
                    if same_input(&self.executions[existing].input, &input) {
                        return Ok(Started::Existing(existing));
                    }
                    return Err(ApiError {
                        status: 409,
                        code: "DurableExecutionAlreadyStartedException",
                        message: format!(
                            "a durable execution named `{name}` was already started with another input; use another name"
                        ),
                    });
                }
                name.to_owned()
            }
            None => format!("execution-{:08x}{:04x}", now as u64 as u32, index),
        };
        let arn = format!("{function_arn}/durable-execution/{name}/{:016x}", index as u64 + 1);
        let execution_op = Stored::new(Operation::execution(format!("{name}-execution"), input.clone()), now);
        let started = history::execution_started(&execution_op.op, &input, timeout_s, now);
        let mut execution = Execution {
            arn: arn.clone(),
            name,
            function,
            function_arn: function_arn.to_owned(),
            input,
            status: Status::Running,
            result: None,
            error: None,
            started: now,
            ended: None,
            timeout_s,
            offset: 0.0,
            index: HashMap::from([(execution_op.op.id.clone(), 0)]),
            operations: vec![execution_op],
            events: Vec::new(),
            token: None,
            sequence: 0,
            invoking: false,
            wake: true,
            updated: Vec::new(),
            failed_invocations: 0,
            calls: Vec::new(),
            new_callbacks: Vec::new(),
        };
        execution.event(started);
        self.executions.push(execution);
        self.by_arn.insert(arn, index);
        Ok(Started::New(index))
    }

    /// Takes up a store saved by an earlier process: each execution's handler is found again by name in
    /// `names` (the emulator's order), an invocation that was in flight died with that process and is made
    /// again, and an execution whose handler this binary no longer has fails. The running executions, and
    /// the chained invokes in flight, each with the execution it started, if it did: the calls died with
    /// that process, and are made (or awaited) again.
    pub(super) fn reattach(&mut self, names: &[&str], real_now: f64) -> Resumed {
        let mut resumed = Resumed::default();
        for (index, execution) in self.executions.iter_mut().enumerate() {
            if execution.status != Status::Running {
                continue;
            }
            let handler = execution
                .function_arn
                .split(":function:")
                .nth(1)
                .and_then(|rest| rest.split(':').next())
                .unwrap_or_default()
                .to_owned();
            let Some(function) = names.iter().position(|name| *name == handler) else {
                let error = ErrorObject::new(
                    "ResourceNotFoundException",
                    format!("this binary has no handler `{handler}` any more"),
                );
                let now = execution.now(real_now);
                execution.finish(Status::Failed, None, Some(error), now);
                // No handler of this binary runs it any more.
                execution.function = usize::MAX;
                continue;
            };
            execution.function = function;
            execution.token = None;
            if execution.invoking {
                execution.invoking = false;
                execution.wake = true;
            }
            execution.calls.clear();
            for stored in &execution.operations {
                if let (OperationType::ChainedInvoke, OperationStatus::Started, Some(call)) =
                    (stored.op.kind, stored.op.status, &stored.call)
                {
                    resumed.calls.push((call.clone(), stored.child));
                }
            }
            resumed.running.push(index);
        }
        resumed
    }

    /// Begins an invocation: the envelope the function gets, with a fresh checkpoint token.
    pub(super) fn begin_invocation(&mut self, index: usize) -> Value {
        let execution = &mut self.executions[index];
        execution.sequence += 1;
        let token = format!("{}:{}", index, execution.sequence);
        execution.token = Some(token.clone());
        execution.invoking = true;
        execution.wake = false;
        let (operations, next_marker) = page(execution, 0, PAGE);
        let updated = std::mem::take(&mut execution.updated);
        json!({
            "DurableExecutionArn": execution.arn,
            "CheckpointToken": token,
            "InitialExecutionState": { "Operations": operations, "NextMarker": next_marker },
            "UpdatedOperationIds": updated,
        })
    }

    /// GetDurableExecutionState: a page of the operations, from `marker`.
    pub(super) fn state(&self, arn: &str, token: &str, marker: Option<&str>, max: usize) -> Result<Value, ApiError> {
        let execution = &self.executions[self.find(arn)?];
        check_token(execution, token)?;
        let from = match marker.filter(|m| !m.is_empty()) {
            Some(marker) => marker
                .parse()
                .map_err(|_| ApiError::invalid(format!("Marker {marker:?} is not one this service gave")))?,
            None => 0,
        };
        let (operations, next_marker) = page(execution, from, max.clamp(1, PAGE));
        Ok(json!({ "Operations": operations, "NextMarker": next_marker }))
    }

    /// CheckpointDurableExecution: applies `updates` in order, all or none, and rotates the token.
    pub(super) fn checkpoint(
        &mut self,
        arn: &str,
        token: &str,
        updates: &[OperationUpdate],
        real_now: f64,
    ) -> Result<Value, ApiError> {
        let index = self.find(arn)?;
        let execution = &mut self.executions[index];
        check_token(execution, token)?;
        // Each update is checked against the operation as the updates before it in the batch leave it.
        let mut shadow: HashMap<&str, (OperationType, OperationStatus)> = HashMap::new();
        for update in updates {
            let current = shadow.get(update.id.as_str()).copied().or_else(|| {
                execution
                    .get(&update.id)
                    .map(|stored| (stored.op.kind, stored.op.status))
            });
            validate(current, update)?;
            shadow.insert(&update.id, (update.kind, status_after(update.action)));
        }
        let now = execution.now(real_now);
        let mut changed = Vec::new();
        for update in updates {
            if let Some(callback_id) = apply(execution, index, update, now) {
                execution.new_callbacks.push((update.name.clone(), callback_id.clone()));
                self.callbacks.insert(callback_id, (index, update.id.clone()));
            }
            if !changed.contains(&update.id) {
                changed.push(update.id.clone());
            }
        }
        execution.sequence += 1;
        let token = format!("{}:{}", index, execution.sequence);
        execution.token = Some(token.clone());
        let operations: Vec<Value> = changed
            .iter()
            .filter_map(|id| execution.get(id))
            .map(Stored::to_json)
            .collect();
        Ok(json!({ "CheckpointToken": token, "NewExecutionState": { "Operations": operations } }))
    }

    /// The callbacks created since the last call, `(name, id)`, for the driver to tell of.
    pub(super) fn take_new_callbacks(&mut self, index: usize) -> Vec<(Option<String>, String)> {
        std::mem::take(&mut self.executions[index].new_callbacks)
    }

    /// The chained invokes started since the last call, for the driver to make.
    pub(super) fn take_calls(&mut self, index: usize) -> Vec<ChainedCall> {
        std::mem::take(&mut self.executions[index].calls)
    }

    /// Ends the invocation in flight with `answer` (`request_id` from `invoked` to now).
    pub(super) fn end_invocation(
        &mut self,
        index: usize,
        request_id: &str,
        invoked: f64,
        answer: Answer,
        real_now: f64,
    ) {
        let execution = &mut self.executions[index];
        let now = execution.now(real_now);
        execution.invoking = false;
        execution.token = None;
        if execution.status != Status::Running {
            return;
        }
        let error = match &answer {
            Answer::InvocationFailed(error) => Some(error.clone()),
            Answer::Answered(_) => None,
        };
        let event = history::invocation_completed(request_id, execution.now(invoked), now, error.as_ref());
        execution.event(event);
        match answer {
            Answer::Answered(answer) => {
                execution.failed_invocations = 0;
                match answer["Status"].as_str() {
                    Some("SUCCEEDED") => {
                        let result = answer["Result"]
                            .as_str()
                            .filter(|r| !r.is_empty())
                            .map(str::to_owned)
                            .or_else(|| execution.result.clone());
                        execution.finish(Status::Succeeded, result, None, now);
                    }
                    Some("FAILED") => {
                        let error = match &answer["Error"] {
                            Value::Null => execution.error.clone().unwrap_or_default(),
                            posted => serde_json::from_value(posted.clone()).unwrap_or_else(|_| {
                                ErrorObject::new(
                                    "Runtime.InvalidResponse",
                                    format!("the workflow failed with an error that is not the API's: {posted}"),
                                )
                            }),
                        };
                        execution.finish(Status::Failed, None, Some(error), now);
                    }
                    Some("PENDING") => {}
                    _ => {
                        let error = ErrorObject::new(
                            "Runtime.InvalidResponse",
                            format!(
                                "a durable invocation answers {{\"Status\": \"SUCCEEDED\" | \"FAILED\" | \"PENDING\"}}, not {answer}"
                            ),
                        );
                        execution.finish(Status::Failed, None, Some(error), now);
                    }
                }
            }
            Answer::InvocationFailed(error) => {
                execution.failed_invocations += 1;
                if execution.failed_invocations >= INVOCATION_ATTEMPTS {
                    execution.finish(Status::Failed, None, Some(error), now);
                } else {
                    execution.wake = true;
                }
            }
        }
    }

    /// When this execution's next timer is due, and whether time skipping may jump to it (waits and
    /// retry delays; not callback timeouts, nor the execution's own, which something else may beat).
    pub(super) fn next_due(&self, index: usize) -> Option<(f64, bool)> {
        let execution = &self.executions[index];
        if execution.status != Status::Running {
            return None;
        }
        let mut next = (execution.started + execution.timeout_s as f64 - execution.offset, false);
        for stored in &execution.operations {
            let skippable = matches!(stored.op.kind, OperationType::Wait | OperationType::Step);
            for due in [stored.due, stored.heartbeat_due].into_iter().flatten() {
                let due = due - execution.offset;
                if due < next.0 || (due == next.0 && skippable) {
                    next = (due, skippable);
                }
            }
        }
        Some(next)
    }

    /// Jumps this execution's clock forward to `real_due` (time skipping).
    pub(super) fn skip_to(&mut self, index: usize, real_due: f64, real_now: f64) {
        let execution = &mut self.executions[index];
        if real_due > real_now {
            execution.offset += real_due - real_now;
        }
    }

    /// Ends what is due by now: waits, retry delays, callback timeouts, the execution's timeout.
    pub(super) fn fire_timers(&mut self, index: usize, real_now: f64) {
        let execution = &mut self.executions[index];
        if execution.status != Status::Running {
            return;
        }
        let now = execution.now(real_now);
        if now >= execution.started + execution.timeout_s as f64 {
            let error = ErrorObject::new(
                "Execution.TimedOut",
                format!("the execution ran past its timeout of {} s", execution.timeout_s),
            );
            execution.finish(Status::TimedOut, None, Some(error), now);
            return;
        }
        let mut events = Vec::new();
        for stored in &mut execution.operations {
            let timed_out = stored.due.is_some_and(|due| due <= now);
            let heartbeat_missed = stored.heartbeat_due.is_some_and(|due| due <= now);
            if !timed_out && !heartbeat_missed {
                continue;
            }
            stored.due = None;
            stored.heartbeat_due = None;
            match (stored.op.kind, stored.op.status) {
                (OperationType::Wait, OperationStatus::Started) => {
                    stored.op.status = OperationStatus::Succeeded;
                    stored.ended = Some(now);
                    events.push(history::wait_succeeded(
                        &stored.op,
                        stored.started,
                        stored.scheduled_end,
                        now,
                    ));
                }
                (OperationType::Step, OperationStatus::Pending) => stored.op.status = OperationStatus::Ready,
                (OperationType::Callback, OperationStatus::Started) => {
                    let error = match timed_out {
                        true => ErrorObject::new("Callback.Timeout", "the callback timed out"),
                        false => ErrorObject::new(
                            "Callback.Heartbeat",
                            "no heartbeat came within the callback's heartbeat timeout",
                        ),
                    };
                    end_from_outside(stored, &Completion::TimedOut(error), now, &mut events);
                }
                _ => continue,
            }
            execution.updated.push(stored.op.id.clone());
            execution.wake = true;
        }
        for event in events {
            execution.event(event);
        }
    }

    /// SendDurableExecutionCallbackSuccess / Failure: ends the callback `id`; its execution's index.
    pub(super) fn complete_callback(
        &mut self,
        id: &str,
        completion: &Completion,
        real_now: f64,
    ) -> Result<usize, ApiError> {
        let stored = self.callback(id)?;
        let (index, operation) = stored;
        let execution = &mut self.executions[index];
        let now = execution.now(real_now);
        let mut events = Vec::new();
        if let Some(&i) = execution.index.get(&operation) {
            end_from_outside(&mut execution.operations[i], completion, now, &mut events);
            execution.updated.push(operation);
        }
        for event in events {
            execution.event(event);
        }
        execution.wake = true;
        self.callbacks.remove(id);
        Ok(index)
    }

    /// SendDurableExecutionCallbackHeartbeat: the callback's heartbeat timeout starts again.
    pub(super) fn heartbeat(&mut self, id: &str, real_now: f64) -> Result<usize, ApiError> {
        let (index, operation) = self.callback(id)?;
        let execution = &mut self.executions[index];
        let now = execution.now(real_now);
        if let Some(&i) = execution.index.get(&operation) {
            let stored = &mut execution.operations[i];
            if let Some(heartbeat) = stored
                .callback_options
                .map(|o| o.heartbeat_timeout_seconds)
                .filter(|s| *s > 0)
            {
                stored.heartbeat_due = Some(now + heartbeat as f64);
            }
        }
        Ok(index)
    }

    /// The open callback `id`: its execution and operation.
    fn callback(&self, id: &str) -> Result<(usize, String), ApiError> {
        let Some((index, operation)) = self.callbacks.get(id) else {
            return Err(ApiError::not_found(format!("no callback {id}")));
        };
        let execution = &self.executions[*index];
        let open = execution.status == Status::Running
            && execution
                .get(operation)
                .is_some_and(|stored| stored.op.status == OperationStatus::Started);
        if !open {
            return Err(ApiError {
                status: 400,
                code: "CallbackTimeoutException",
                message: format!("callback {id} is closed: it timed out, or its execution ended"),
            });
        }
        Ok((*index, operation.clone()))
    }

    /// Records that the chained invoke `operation` of execution `index` runs as execution `child`: its
    /// `ChainedInvokeStarted` event names the child's ARN.
    pub(super) fn link_child(&mut self, index: usize, operation: &str, child: usize) {
        let arn = self.executions[child].arn.clone();
        let execution = &mut self.executions[index];
        if let Some(&i) = execution.index.get(operation) {
            execution.operations[i].child = Some(child);
        }
        if let Some(event) = execution
            .events
            .iter_mut()
            .rev()
            .find(|event| event.is("ChainedInvokeStarted", operation))
        {
            event.set_detail("DurableExecutionArn", Value::String(arn));
        }
    }

    /// Ends the chained invoke `operation` of execution `index` with how the called function ended.
    pub(super) fn complete_invoke(&mut self, index: usize, operation: &str, completion: &Completion, real_now: f64) {
        let execution = &mut self.executions[index];
        let now = execution.now(real_now);
        let Some(&i) = execution.index.get(operation) else {
            return;
        };
        if execution.status != Status::Running || execution.operations[i].op.status != OperationStatus::Started {
            return;
        }
        let mut events = Vec::new();
        end_from_outside(&mut execution.operations[i], completion, now, &mut events);
        execution.updated.push(operation.to_owned());
        for event in events {
            execution.event(event);
        }
        execution.wake = true;
    }

    /// StopDurableExecution.
    pub(super) fn stop(&mut self, arn: &str, error: Option<ErrorObject>, real_now: f64) -> Result<f64, ApiError> {
        let index = self.find(arn)?;
        let execution = &mut self.executions[index];
        if execution.status != Status::Running {
            return Err(ApiError::invalid(format!(
                "execution {arn} is already over ({})",
                execution.status.as_str()
            )));
        }
        let now = execution.now(real_now);
        let error = error.unwrap_or_else(|| ErrorObject::new("Execution.Stopped", "stopped by StopDurableExecution"));
        execution.finish(Status::Stopped, None, Some(error), now);
        Ok(now)
    }

    /// GetDurableExecution.
    pub(super) fn describe(&self, arn: &str, include_data: bool) -> Result<Value, ApiError> {
        let execution = &self.executions[self.find(arn)?];
        let mut value = summary(execution);
        value["Version"] = json!("$LATEST");
        if include_data {
            value["InputPayload"] = json!(execution.input);
            if let Some(result) = &execution.result {
                value["Result"] = json!(result);
            }
        }
        if let Some(error) = &execution.error {
            value["Error"] = json!(error);
        }
        Ok(value)
    }

    /// GetDurableExecutionHistory: events from `marker` (an event id), at most `max`.
    pub(super) fn history(
        &self,
        arn: &str,
        include_data: bool,
        marker: Option<&str>,
        max: usize,
        reverse: bool,
    ) -> Result<Value, ApiError> {
        let execution = &self.executions[self.find(arn)?];
        let mut events: Vec<Value> = execution
            .events
            .iter()
            .enumerate()
            .map(|(i, event)| event.render(i + 1, include_data))
            .collect();
        if reverse {
            events.reverse();
        }
        let from = match marker.filter(|m| !m.is_empty()) {
            Some(marker) => marker
                .parse()
                .map_err(|_| ApiError::invalid(format!("Marker {marker:?} is not one this service gave")))?,
            None => 0,
        };
        let max = max.max(1);
        let page: Vec<Value> = events.iter().skip(from).take(max).cloned().collect();
        let next = (from.saturating_add(max) < events.len()).then(|| (from + max).to_string());
        Ok(json!({ "Events": page, "NextMarker": next }))
    }

    /// ListDurableExecutionsByFunction: the executions of `function`, oldest first, filtered.
    pub(super) fn list(&self, function: usize, name: Option<&str>, statuses: &[String], reverse: bool) -> Value {
        let mut found: Vec<Value> = self
            .executions
            .iter()
            .filter(|e| e.function == function)
            .filter(|e| name.is_none_or(|name| e.name == name))
            .filter(|e| statuses.is_empty() || statuses.iter().any(|s| s == e.status.as_str()))
            .map(summary)
            .collect();
        if reverse {
            found.reverse();
        }
        json!({ "DurableExecutions": found })
    }
}

/// Whether two inputs are the same JSON (however spaced), or the same text when they are not JSON.
fn same_input(a: &str, b: &str) -> bool {
    match (serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// An execution as ListDurableExecutionsByFunction and GetDurableExecution show it.
fn summary(execution: &Execution) -> Value {
    let mut value = json!({
        "DurableExecutionArn": execution.arn,
        "DurableExecutionName": execution.name,
        "FunctionArn": execution.function_arn,
        "Status": execution.status.as_str(),
        "StartTimestamp": execution.started,
    });
    if let Some(ended) = execution.ended {
        value["EndTimestamp"] = json!(ended);
    }
    value
}

/// The operations from `from`, at most `max`, and the marker of the next page.
fn page(execution: &Execution, from: usize, max: usize) -> (Vec<Value>, Option<String>) {
    let operations = execution
        .operations
        .iter()
        .skip(from)
        .take(max)
        .map(Stored::to_json)
        .collect();
    let next = (from.saturating_add(max) < execution.operations.len()).then(|| (from + max).to_string());
    (operations, next)
}

fn check_token(execution: &Execution, token: &str) -> Result<(), ApiError> {
    if execution.status != Status::Running {
        return Err(ApiError::invalid(format!(
            "Invalid checkpoint token: execution {} is over ({})",
            execution.arn,
            execution.status.as_str()
        )));
    }
    if execution.token.as_deref() != Some(token) {
        return Err(ApiError::invalid(format!(
            "Invalid checkpoint token: {token:?} is not the execution's current one"
        )));
    }
    Ok(())
}

/// Refuses an update the service would: one that changes a recorded operation's type, or an action the
/// operation's type does not have, or one on an operation that is over.
fn validate(current: Option<(OperationType, OperationStatus)>, update: &OperationUpdate) -> Result<(), ApiError> {
    let id = &update.id;
    let allowed = match update.kind {
        OperationType::Execution => matches!(update.action, Action::Succeed | Action::Fail),
        OperationType::Step => !matches!(update.action, Action::Cancel),
        OperationType::Wait | OperationType::Callback | OperationType::ChainedInvoke => {
            matches!(update.action, Action::Start | Action::Cancel)
        }
        OperationType::Context => matches!(update.action, Action::Start | Action::Succeed | Action::Fail),
    };
    if !allowed {
        return Err(ApiError::invalid(format!(
            "operation {id}: {:?} has no {:?} action",
            update.kind, update.action
        )));
    }
    if update.kind == OperationType::Execution {
        return Ok(());
    }
    let Some((kind, status)) = current else {
        return Ok(());
    };
    if kind != update.kind {
        return Err(ApiError::invalid(format!(
            "Inconsistent operation type: operation {id} is a {kind:?}, not a {:?}",
            update.kind
        )));
    }
    if status.is_terminal() {
        return Err(ApiError::invalid(format!(
            "operation {id} is already over ({status:?}); it takes no {:?}",
            update.action
        )));
    }
    Ok(())
}

/// The status an update's action leaves an operation in (a step's `RETRY`: waiting for its delay).
fn status_after(action: Action) -> OperationStatus {
    match action {
        Action::Start => OperationStatus::Started,
        Action::Succeed => OperationStatus::Succeeded,
        Action::Fail => OperationStatus::Failed,
        Action::Retry => OperationStatus::Pending,
        Action::Cancel => OperationStatus::Cancelled,
    }
}

/// Applies one (validated) update at `now`; the callback id when it created a callback.
fn apply(execution: &mut Execution, index: usize, update: &OperationUpdate, now: f64) -> Option<String> {
    if update.kind == OperationType::Execution {
        // The outcome of a workflow whose result was too large for its answer; the answer ends it.
        match update.action {
            Action::Succeed => execution.result = update.payload.clone(),
            _ => execution.error = update.error.clone(),
        }
        return None;
    }
    let position = match execution.index.get(&update.id) {
        Some(&i) => i,
        None => {
            execution
                .operations
                .push(Stored::new(Operation::started_by(update), now));
            execution
                .index
                .insert(update.id.clone(), execution.operations.len() - 1);
            execution.operations.len() - 1
        }
    };
    let stored = &mut execution.operations[position];
    let mut callback_id = None;
    let end = |stored: &mut Stored, status| {
        stored.op.status = status;
        stored.ended = Some(now);
        stored.due = None;
        stored.heartbeat_due = None;
    };
    match (stored.op.kind, update.action) {
        (OperationType::Step, action) => {
            let details = stored.op.step_details.get_or_insert_with(StepDetails::default);
            let attempt = details.attempt.unwrap_or(0);
            match action {
                Action::Start => {
                    stored.op.status = OperationStatus::Started;
                    stored.due = None;
                }
                Action::Succeed => {
                    details.attempt = Some(attempt + 1);
                    details.result = update.payload.clone();
                    end(stored, OperationStatus::Succeeded);
                }
                Action::Fail | Action::Cancel => {
                    details.attempt = Some(attempt + 1);
                    details.error = update.error.clone();
                    end(stored, OperationStatus::Failed);
                }
                Action::Retry => {
                    details.attempt = Some(attempt + 1);
                    details.error = update.error.clone();
                    details.result = update.payload.clone();
                    stored.op.status = OperationStatus::Pending;
                    let delay = update.step_options.map_or(0, |o| o.next_attempt_delay_seconds);
                    stored.due = Some(now + delay as f64);
                }
            }
        }
        (OperationType::Wait, Action::Start) => {
            let seconds = update.wait_options.map_or(0, |o| o.wait_seconds);
            stored.due = Some(now + seconds as f64);
            stored.scheduled_end = stored.due;
        }
        (OperationType::Wait, _) => end(stored, OperationStatus::Cancelled),
        (OperationType::Callback, Action::Start) if stored.op.callback_details.is_some() => {
            // Started again (a retried checkpoint): the callback keeps the id it was given.
        }
        (OperationType::Callback, Action::Start) => {
            // The execution and the operation's place make it unique; a few characters of the operation's
            // id (any characters: an SDK chooses them) make it readable.
            let hint: String = update.id.chars().filter(char::is_ascii_alphanumeric).take(16).collect();
            let id = format!("{index:x}.{position:x}.{hint}");
            stored.op.callback_details = Some(CallbackDetails {
                callback_id: Some(id.clone()),
                ..CallbackDetails::default()
            });
            stored.callback_options = update.callback_options;
            if let Some(options) = update.callback_options {
                stored.due = (options.timeout_seconds > 0).then_some(now + options.timeout_seconds as f64);
                stored.heartbeat_due =
                    (options.heartbeat_timeout_seconds > 0).then_some(now + options.heartbeat_timeout_seconds as f64);
            }
            callback_id = Some(id);
        }
        (OperationType::ChainedInvoke, Action::Start) => {
            let options = update.chained_invoke_options.as_ref();
            let call = ChainedCall {
                execution: index,
                operation: update.id.clone(),
                function: options.map(|o| o.function_name.clone()).unwrap_or_default(),
                tenant_id: options.and_then(|o| o.tenant_id.clone()),
                payload: update.payload.clone().unwrap_or_default(),
            };
            stored.call = Some(call.clone());
            execution.calls.push(call);
        }
        (OperationType::Callback | OperationType::ChainedInvoke, _) => end(stored, OperationStatus::Cancelled),
        (OperationType::Context, action) => {
            let details = stored.op.context_details.get_or_insert_with(ContextDetails::default);
            match action {
                Action::Succeed => {
                    details.result = update.payload.clone();
                    details.replay_children = update.context_options.map(|o| o.replay_children);
                    end(stored, OperationStatus::Succeeded);
                }
                Action::Fail => {
                    details.error = update.error.clone();
                    end(stored, OperationStatus::Failed);
                }
                _ => stored.op.status = OperationStatus::Started,
            }
        }
        (OperationType::Execution, _) => {}
    }
    let stored = &execution.operations[position];
    let event = history::for_update(&stored.op, stored.started, stored.scheduled_end, update, now);
    execution.event(event);
    callback_id
}

/// Ends a callback or a chained invoke with what happened outside the function.
fn end_from_outside(stored: &mut Stored, completion: &Completion, now: f64, events: &mut Vec<Event>) {
    let (status, result, error) = match completion {
        Completion::Succeeded(result) => (OperationStatus::Succeeded, Some(result.clone()), None),
        Completion::Failed(error) => (OperationStatus::Failed, None, Some(error.clone())),
        Completion::TimedOut(error) => (OperationStatus::TimedOut, None, Some(error.clone())),
    };
    stored.op.status = status;
    stored.ended = Some(now);
    stored.due = None;
    stored.heartbeat_due = None;
    match stored.op.kind {
        OperationType::Callback => {
            let details = stored.op.callback_details.get_or_insert_with(CallbackDetails::default);
            details.result = result;
            details.error = error;
        }
        _ => {
            stored.op.chained_invoke_details = Some(ChainedInvokeDetails { result, error });
        }
    }
    events.push(history::ended_from_outside(&stored.op, now));
}

#[cfg(test)]
mod tests;
