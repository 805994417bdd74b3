//! The durable execution API on the wire, as Lambda and `dex-local-runner` speak it: the envelope an
//! invocation brings, the operations of an execution's history, the updates a checkpoint sends, and the
//! answer the function gives. Names are the API's (PascalCase JSON); payloads are JSON *strings*.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// What a durable invocation's event is.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Envelope {
    /// The execution; goes, percent-encoded, in the path of the checkpoint and state calls.
    pub(crate) durable_execution_arn: String,
    /// The token of this invocation's first checkpoint.
    pub(crate) checkpoint_token: String,
    /// The first page of the execution's operations.
    #[serde(default)]
    pub(crate) initial_execution_state: ExecutionState,
    /// The operations that changed since the last invocation saw the state (a wait that elapsed, a
    /// callback completed): the first invocation to learn they are over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) updated_operation_ids: Vec<String>,
}

/// A page of an execution's operations.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ExecutionState {
    /// In start order.
    #[serde(default)]
    pub(crate) operations: Vec<Operation>,
    /// More to read with GetDurableExecutionState when present and not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) next_marker: Option<String>,
}

/// The kinds of operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum OperationType {
    Execution,
    Context,
    #[default]
    Step,
    Wait,
    Callback,
    ChainedInvoke,
}

/// Where an operation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

impl OperationStatus {
    /// Whether the operation is over: nothing about it changes any more.
    pub(crate) fn is_terminal(self) -> bool {
        matches!(
            self,
            OperationStatus::Succeeded
                | OperationStatus::Failed
                | OperationStatus::Cancelled
                | OperationStatus::TimedOut
                | OperationStatus::Stopped
        )
    }
}

/// One recorded operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Operation {
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) parent_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    #[serde(rename = "Type")]
    pub(crate) kind: OperationType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) sub_type: Option<String>,
    pub(crate) status: OperationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) execution_details: Option<ExecutionDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) step_details: Option<StepDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) context_details: Option<ContextDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) callback_details: Option<CallbackDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) chained_invoke_details: Option<ChainedInvokeDetails>,
}

impl Operation {
    /// An execution's `EXECUTION` operation, `id`, started on `input` (JSON).
    pub(crate) fn execution(id: String, input: String) -> Operation {
        Operation {
            id,
            parent_id: None,
            name: None,
            kind: OperationType::Execution,
            sub_type: None,
            status: OperationStatus::Started,
            execution_details: Some(ExecutionDetails {
                input_payload: Some(input),
            }),
            step_details: None,
            context_details: None,
            callback_details: None,
            chained_invoke_details: None,
        }
    }

    /// The operation `update` starts, as a service records it: its identity from the update, `STARTED`, no
    /// details yet.
    pub(crate) fn started_by(update: &OperationUpdate) -> Operation {
        Operation {
            id: update.id.clone(),
            parent_id: update.parent_id.clone(),
            name: update.name.clone(),
            kind: update.kind,
            sub_type: update.sub_type.as_deref().map(str::to_owned),
            status: OperationStatus::Started,
            execution_details: None,
            step_details: None,
            context_details: None,
            callback_details: None,
            chained_invoke_details: None,
        }
    }
}

/// The `EXECUTION` operation's details.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ExecutionDetails {
    /// The execution's input, JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) input_payload: Option<String>,
}

/// A `STEP` operation's details.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct StepDetails {
    /// Attempts made so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attempt: Option<u32>,
    /// The result, JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) result: Option<String>,
    /// Why the last attempt failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<ErrorObject>,
}

/// A `CONTEXT` operation's details.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ContextDetails {
    /// The result, JSON; absent when it was too large to record and the children are replayed instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) result: Option<String>,
    /// Whether a replay runs the context's work again to rebuild its result from its children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) replay_children: Option<bool>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<ErrorObject>,
}

/// A `CALLBACK` operation's details.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CallbackDetails {
    /// The id the completing system sends back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) callback_id: Option<String>,
    /// What it was completed with, as it was sent (JSON by convention).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) result: Option<String>,
    /// Why it failed or timed out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<ErrorObject>,
}

/// A `CHAINED_INVOKE` operation's details.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ChainedInvokeDetails {
    /// The invoked function's result, as it answered it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) result: Option<String>,
    /// Why the invocation failed, timed out or was stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

impl ErrorObject {
    /// An error of type `error_type` saying `message`.
    pub(crate) fn new(error_type: &str, message: impl Into<String>) -> ErrorObject {
        ErrorObject {
            error_type: Some(error_type.to_owned()),
            error_message: Some(message.into()),
        }
    }
}

/// What a checkpoint does to an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum Action {
    #[default]
    Start,
    Succeed,
    Fail,
    Retry,
    /// Ends a wait, a callback or an invoke early (the SDKs send it; lambda-rt's does not).
    Cancel,
}

/// One change a checkpoint records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
    pub(crate) sub_type: Option<Cow<'static, str>>,
    pub(crate) action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) payload: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<ErrorObject>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) step_options: Option<StepOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) wait_options: Option<WaitOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) context_options: Option<ContextOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) callback_options: Option<CallbackOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) chained_invoke_options: Option<ChainedInvokeOptions>,
}

/// A step's retry delay.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct StepOptions {
    #[serde(default)]
    pub(crate) next_attempt_delay_seconds: u64,
}

/// How long a wait lasts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct WaitOptions {
    #[serde(default)]
    pub(crate) wait_seconds: u64,
}

/// How a child context's result is recorded.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ContextOptions {
    /// The result is not recorded (too large): a replay runs the context again.
    #[serde(default)]
    pub(crate) replay_children: bool,
}

/// How long a callback may take; 0 is no limit.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CallbackOptions {
    #[serde(default)]
    pub(crate) timeout_seconds: u64,
    #[serde(default)]
    pub(crate) heartbeat_timeout_seconds: u64,
}

/// Which function a chained invoke calls.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ChainedInvokeOptions {
    pub(crate) function_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tenant_id: Option<String>,
}

/// The body of CheckpointDurableExecution.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CheckpointRequest<'a> {
    pub(crate) checkpoint_token: &'a str,
    pub(crate) updates: &'a [OperationUpdate],
}

/// The answer of CheckpointDurableExecution.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CheckpointResponse {
    /// The token of the next checkpoint; absent when the execution is over or the token was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) checkpoint_token: Option<String>,
    /// The operations that changed, with a marker when there are more.
    #[serde(default)]
    pub(crate) new_execution_state: ExecutionState,
}

/// The subtypes the SDKs write, checked on replay.
pub(crate) mod sub_type {
    pub(crate) const STEP: &str = "Step";
    pub(crate) const WAIT: &str = "Wait";
    pub(crate) const CHILD_CONTEXT: &str = "RunInChildContext";
    pub(crate) const CALLBACK: &str = "Callback";
    pub(crate) const WAIT_FOR_CALLBACK: &str = "WaitForCallback";
    pub(crate) const WAIT_FOR_CONDITION: &str = "WaitForCondition";
    pub(crate) const CHAINED_INVOKE: &str = "ChainedInvoke";
    pub(crate) const MAP: &str = "Map";
    pub(crate) const MAP_ITERATION: &str = "MapIteration";
    pub(crate) const PARALLEL: &str = "Parallel";
    pub(crate) const PARALLEL_BRANCH: &str = "ParallelBranch";
}
