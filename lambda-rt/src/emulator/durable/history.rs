//! An execution's history as GetDurableExecutionHistory gives it: one event per checkpointed update
//! (`StepStarted`, `StepSucceeded`, a retry as `StepFailed` with its `RetryDetails`, ...), one per thing
//! that ended outside the function (a wait's timer, a callback, an invoked function), one per invocation
//! (`InvocationCompleted`), and the execution's start and end, in the order they happened.
//!
//! The shapes are the Lambda API's (`Event` and its `*Details`, the botocore service model); a payload
//! is left out, `Truncated`, unless the caller asks for the execution's data.

use serde_json::{Map, Value, json};

use crate::durable::protocol::{Action, ErrorObject, Operation, OperationStatus, OperationType, OperationUpdate};

/// One event, numbered when it is read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Event {
    event_type: String,
    timestamp: f64,
    id: Option<String>,
    name: Option<String>,
    parent_id: Option<String>,
    sub_type: Option<String>,
    /// The `<EventType>Details` object.
    details: Value,
}

impl Event {
    fn new(event_type: String, op: Option<&Operation>, details: Value, timestamp: f64) -> Event {
        Event {
            event_type,
            timestamp,
            id: op.map(|op| op.id.clone()),
            name: op.and_then(|op| op.name.clone()),
            parent_id: op.and_then(|op| op.parent_id.clone()),
            sub_type: op.and_then(|op| op.sub_type.clone()),
            details,
        }
    }

    /// Whether this is the `event_type` event of operation `id`.
    pub(super) fn is(&self, event_type: &str, id: &str) -> bool {
        self.event_type == event_type && self.id.as_deref() == Some(id)
    }

    /// Sets `key` of the event's details.
    pub(super) fn set_detail(&mut self, key: &str, value: Value) {
        if let Some(details) = self.details.as_object_mut() {
            details.insert(key.to_owned(), value);
        }
    }

    /// The event as the API gives it, numbered `event_id`; without payloads unless `include_data`.
    pub(super) fn render(&self, event_id: usize, include_data: bool) -> Value {
        let mut event = Map::new();
        event.insert("EventType".into(), json!(self.event_type));
        if let Some(sub_type) = &self.sub_type {
            event.insert("SubType".into(), json!(sub_type));
        }
        event.insert("EventId".into(), json!(event_id));
        if let Some(id) = &self.id {
            event.insert("Id".into(), json!(id));
        }
        if let Some(name) = &self.name {
            event.insert("Name".into(), json!(name));
        }
        event.insert("EventTimestamp".into(), json!(self.timestamp));
        if let Some(parent_id) = &self.parent_id {
            event.insert("ParentId".into(), json!(parent_id));
        }
        let mut details = self.details.clone();
        if !include_data && let Some(details) = details.as_object_mut() {
            for key in ["Input", "Result", "Error"] {
                if let Some(Value::Object(carried)) = details.get_mut(key) {
                    carried.remove("Payload");
                    carried.insert("Truncated".into(), json!(true));
                }
            }
        }
        event.insert(format!("{}Details", self.event_type), details);
        Value::Object(event)
    }
}

/// `{Payload, Truncated: false}`, the carrier of an input, a result or an error.
fn carried(payload: impl serde::Serialize) -> Value {
    json!({ "Payload": payload, "Truncated": false })
}

/// The event kind's prefix: `Step`, `Wait`, `Context`, `Callback`, `ChainedInvoke`.
fn kind(op: &Operation) -> &'static str {
    match op.kind {
        OperationType::Execution => "Execution",
        OperationType::Context => "Context",
        OperationType::Step => "Step",
        OperationType::Wait => "Wait",
        OperationType::Callback => "Callback",
        OperationType::ChainedInvoke => "ChainedInvoke",
    }
}

pub(super) fn execution_started(op: &Operation, input: &str, timeout_s: u64, now: f64) -> Event {
    let details = json!({ "Input": carried(input), "ExecutionTimeout": timeout_s });
    Event::new("ExecutionStarted".into(), Some(op), details, now)
}

/// The execution's end: `ExecutionSucceeded` with its result, or `Execution{suffix}` (`Failed`, `TimedOut`,
/// `Stopped`) with its error.
pub(super) fn execution_ended(suffix: &str, result: Option<&str>, error: Option<&ErrorObject>, now: f64) -> Event {
    let details = match suffix {
        "Succeeded" => json!({ "Result": carried(result) }),
        _ => json!({ "Error": carried(error) }),
    };
    Event::new(format!("Execution{suffix}"), None, details, now)
}

pub(super) fn invocation_completed(request_id: &str, started: f64, ended: f64, error: Option<&ErrorObject>) -> Event {
    let mut details = json!({ "StartTimestamp": started, "EndTimestamp": ended, "RequestId": request_id });
    if let Some(error) = error {
        details["Error"] = carried(error);
    }
    Event::new("InvocationCompleted".into(), None, details, ended)
}

/// The event of one checkpointed update, `stored` being the operation after it.
pub(super) fn for_update(
    op: &Operation,
    started: f64,
    scheduled_end: Option<f64>,
    update: &OperationUpdate,
    now: f64,
) -> Event {
    let prefix = kind(op);
    let step = op.step_details.as_ref();
    let attempt = step.and_then(|s| s.attempt).unwrap_or(1);
    let (suffix, details) = match (op.kind, update.action) {
        (OperationType::Wait, Action::Start) => {
            let end = scheduled_end.unwrap_or(now);
            (
                "Started",
                json!({ "Duration": (end - started).round() as u64, "ScheduledEndTimestamp": end }),
            )
        }
        (OperationType::Callback, Action::Start) => {
            let mut details = json!({
                "CallbackId": op.callback_details.as_ref().and_then(|c| c.callback_id.clone()),
            });
            if let Some(options) = update.callback_options {
                if options.timeout_seconds > 0 {
                    details["Timeout"] = json!(options.timeout_seconds);
                }
                if options.heartbeat_timeout_seconds > 0 {
                    details["HeartbeatTimeout"] = json!(options.heartbeat_timeout_seconds);
                }
            }
            ("Started", details)
        }
        (OperationType::ChainedInvoke, Action::Start) => {
            let options = update.chained_invoke_options.as_ref();
            let mut details = json!({
                "FunctionName": options.map(|o| o.function_name.clone()),
                "ExecutedVersion": "$LATEST",
            });
            if let Some(payload) = &update.payload {
                details["Input"] = carried(payload);
            }
            if let Some(tenant_id) = options.and_then(|o| o.tenant_id.clone()) {
                details["TenantId"] = json!(tenant_id);
            }
            ("Started", details)
        }
        (_, Action::Start) => ("Started", json!({})),
        (OperationType::Step, Action::Succeed) => (
            "Succeeded",
            json!({ "Result": carried(&update.payload), "RetryDetails": { "CurrentAttempt": attempt } }),
        ),
        (OperationType::Step, Action::Retry) => {
            let delay = update.step_options.map_or(0, |o| o.next_attempt_delay_seconds);
            let retry = json!({ "CurrentAttempt": attempt, "NextAttemptDelaySeconds": delay });
            match &update.error {
                // A failed attempt that is retried.
                Some(error) => ("Failed", json!({ "Error": carried(error), "RetryDetails": retry })),
                // A wait_for_condition check that goes on, with its new state.
                None => (
                    "Succeeded",
                    json!({ "Result": carried(&update.payload), "RetryDetails": retry }),
                ),
            }
        }
        (OperationType::Step, _) => (
            "Failed",
            json!({
                "Error": carried(&update.error),
                "RetryDetails": { "CurrentAttempt": attempt, "NextAttemptDelaySeconds": 0 },
            }),
        ),
        (OperationType::Context, Action::Succeed) => ("Succeeded", json!({ "Result": carried(&update.payload) })),
        (OperationType::Context, _) => ("Failed", json!({ "Error": carried(&update.error) })),
        (OperationType::Wait, _) => ("Cancelled", json!({ "Error": carried(&update.error) })),
        (_, _) => ("Stopped", json!({ "Error": carried(&update.error) })),
    };
    Event::new(format!("{prefix}{suffix}"), Some(op), details, now)
}

/// A wait whose timer fired.
pub(super) fn wait_succeeded(op: &Operation, started: f64, scheduled_end: Option<f64>, now: f64) -> Event {
    let duration = scheduled_end.map_or(0.0, |end| end - started).round() as u64;
    Event::new("WaitSucceeded".into(), Some(op), json!({ "Duration": duration }), now)
}

/// A callback or a chained invoke that ended outside the function.
pub(super) fn ended_from_outside(op: &Operation, now: f64) -> Event {
    let (result, error) = match op.kind {
        OperationType::Callback => op
            .callback_details
            .as_ref()
            .map(|d| (d.result.clone(), d.error.clone()))
            .unwrap_or_default(),
        _ => op
            .chained_invoke_details
            .as_ref()
            .map(|d| (d.result.clone(), d.error.clone()))
            .unwrap_or_default(),
    };
    let (suffix, details) = match op.status {
        OperationStatus::Succeeded => ("Succeeded", json!({ "Result": carried(result) })),
        OperationStatus::TimedOut => ("TimedOut", json!({ "Error": carried(error) })),
        OperationStatus::Stopped => ("Stopped", json!({ "Error": carried(error) })),
        _ => ("Failed", json!({ "Error": carried(error) })),
    };
    Event::new(format!("{}{suffix}", kind(op)), Some(op), details, now)
}

/// The history as a person reads it (`bootstrap invoke` of a durable handler): one line per event, its
/// number, its type, the operation's name, and what it carried (an input, a result, an error, a
/// duration, a callback's id, the function an invoke called, an attempt).
pub(crate) fn readable(events: &[Value]) -> String {
    let mut lines = String::new();
    for event in events {
        let event_type = event["EventType"].as_str().unwrap_or("?");
        let details = &event[format!("{event_type}Details")];
        let mut said: Vec<String> = Vec::new();
        if let Some(name) = event["Name"].as_str() {
            said.push(format!("`{name}`"));
        }
        if let Some(function) = details["FunctionName"].as_str() {
            said.push(format!("calls {function}"));
        }
        if let Some(id) = details["CallbackId"].as_str() {
            said.push(format!("callback id {id}"));
        }
        if let Some(seconds) = details["Duration"].as_u64() {
            said.push(format!("{seconds} s"));
        }
        if let Some(attempt) = details["RetryDetails"]["CurrentAttempt"].as_u64() {
            said.push(format!("attempt {attempt}"));
        }
        if let Some(delay) = details["RetryDetails"]["NextAttemptDelaySeconds"]
            .as_u64()
            .filter(|d| *d > 0)
        {
            said.push(format!("again in {delay} s"));
        }
        if let (Some(start), Some(end)) = (details["StartTimestamp"].as_f64(), details["EndTimestamp"].as_f64()) {
            said.push(format!("{:.1} ms", (end - start) * 1000.0));
        }
        for key in ["Input", "Result"] {
            if let Some(payload) = details[key]["Payload"].as_str() {
                said.push(format!("{}: {}", key.to_lowercase(), shortened(payload)));
            }
        }
        let error = &details["Error"]["Payload"];
        if let Some(error_type) = error["ErrorType"].as_str() {
            let message = error["ErrorMessage"].as_str().unwrap_or_default();
            said.push(format!("error: {error_type}: {}", shortened(message)));
        }
        let id = event["EventId"].as_u64().unwrap_or_default();
        lines.push_str(&format!("{id:>4}  {event_type:<24} {}\n", said.join(", ")));
    }
    lines
}

/// `text` on one line, cut to 100 characters.
fn shortened(text: &str) -> String {
    let text = text.trim().replace(['\n', '\r'], " ");
    match text.char_indices().nth(100) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_is_a_line_with_what_it_carried() {
        let events = vec![
            json!({"EventId": 1, "EventType": "ExecutionStarted",
                   "ExecutionStartedDetails": {"Input": {"Payload": "{\"n\":1}"}, "ExecutionTimeout": 60}}),
            json!({"EventId": 2, "EventType": "StepFailed", "Name": "charge",
                   "StepFailedDetails": {"Error": {"Payload": {"ErrorType": "Boom", "ErrorMessage": "no"}},
                                         "RetryDetails": {"CurrentAttempt": 1, "NextAttemptDelaySeconds": 5}}}),
            json!({"EventId": 3, "EventType": "WaitStarted", "Name": "cool-off",
                   "WaitStartedDetails": {"Duration": 2, "ScheduledEndTimestamp": 10.0}}),
            json!({"EventId": 4, "EventType": "InvocationCompleted",
                   "InvocationCompletedDetails": {"StartTimestamp": 1.0, "EndTimestamp": 1.0025, "RequestId": "r"}}),
        ];
        let text = readable(&events);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "   1  ExecutionStarted         input: {\"n\":1}");
        assert_eq!(
            lines[1],
            "   2  StepFailed               `charge`, attempt 1, again in 5 s, error: Boom: no"
        );
        assert_eq!(lines[2], "   3  WaitStarted              `cool-off`, 2 s");
        assert_eq!(lines[3], "   4  InvocationCompleted      2.5 ms");
        assert_eq!(shortened(&"x".repeat(150)).len(), 103);
        assert_eq!(shortened("{\"a\":\n1}\n"), "{\"a\": 1}");
    }
}
