//! The durable execution API on the wire, as Lambda and `dex-local-runner` speak it: the envelope an
//! invocation brings, the operations of an execution's history, the updates a checkpoint sends, and the
//! answer the function gives. Names are the API's (PascalCase JSON); payloads are JSON *strings*.

use serde::{Deserialize, Serialize};

/// What a durable invocation's event is.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Envelope {
    /// The execution; goes, percent-encoded, in the path of the checkpoint and state calls.
    pub(crate) durable_execution_arn: String,
    /// The token of this invocation's first checkpoint.
    pub(crate) checkpoint_token: String,
    /// The first page of the execution's operations.
    #[serde(default)]
    pub(crate) initial_execution_state: ExecutionState,
}

/// A page of an execution's operations.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ExecutionState {
    /// In start order.
    #[serde(default)]
    pub(crate) operations: Vec<Operation>,
    /// More to read with GetDurableExecutionState when present and not empty.
    #[serde(default)]
    pub(crate) next_marker: Option<String>,
}

/// The kinds of operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum OperationType {
    Execution,
    Context,
    Step,
    Wait,
    Callback,
    ChainedInvoke,
}

/// Where an operation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum OperationStatus {
    Started,
    /// A step's retry waits for its timer.
    Pending,
    /// A step's retry timer fired: it may run again.
    Ready,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,
    Stopped,
}

/// One recorded operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Operation {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) parent_id: Option<String>,
    #[serde(default)]
    pub(crate) name: Option<String>,
    #[serde(rename = "Type")]
    pub(crate) kind: OperationType,
    #[serde(default)]
    pub(crate) sub_type: Option<String>,
    pub(crate) status: OperationStatus,
    #[serde(default)]
    pub(crate) execution_details: Option<ExecutionDetails>,
    #[serde(default)]
    pub(crate) step_details: Option<StepDetails>,
}

/// The `EXECUTION` operation's details.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ExecutionDetails {
    /// The execution's input, JSON.
    #[serde(default)]
    pub(crate) input_payload: Option<String>,
}

/// A `STEP` operation's details.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct StepDetails {
    /// Attempts made so far.
    #[serde(default)]
    pub(crate) attempt: Option<u32>,
    /// The result, JSON.
    #[serde(default)]
    pub(crate) result: Option<String>,
    /// Why the last attempt failed.
    #[serde(default)]
    pub(crate) error: Option<ErrorObject>,
}

/// An error as the API carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ErrorObject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) error_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) error_message: Option<String>,
}

/// What a checkpoint does to an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum Action {
    Start,
    Succeed,
    Fail,
    Retry,
}

/// One change a checkpoint records.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct OperationUpdate {
    pub(crate) id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) parent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    #[serde(rename = "Type")]
    pub(crate) kind: OperationType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sub_type: Option<&'static str>,
    pub(crate) action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) payload: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<ErrorObject>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) step_options: Option<StepOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) wait_options: Option<WaitOptions>,
}

/// A step's retry delay.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct StepOptions {
    pub(crate) next_attempt_delay_seconds: u64,
}

/// How long a wait lasts.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct WaitOptions {
    pub(crate) wait_seconds: u64,
}

/// The body of CheckpointDurableExecution.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CheckpointRequest<'a> {
    pub(crate) checkpoint_token: &'a str,
    pub(crate) updates: &'a [OperationUpdate],
}

/// The answer of CheckpointDurableExecution.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CheckpointResponse {
    /// The token of the next checkpoint; absent when the execution is over or the token was revoked.
    #[serde(default)]
    pub(crate) checkpoint_token: Option<String>,
    /// The operations that changed, with a marker when there are more.
    #[serde(default)]
    pub(crate) new_execution_state: ExecutionState,
}

/// The subtypes the SDKs write, checked on replay.
pub(crate) mod sub_type {
    pub(crate) const STEP: &str = "Step";
    pub(crate) const WAIT: &str = "Wait";
}
