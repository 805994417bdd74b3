//! The durable execution service as a function reaches it: CheckpointDurableExecution and
//! GetDurableExecutionState on the Lambda API, through the signed client of `crate::aws`.

use std::time::Instant;

use super::execution::{CheckpointError, Checkpointer, LocalFuture};
use super::protocol::{CheckpointRequest, CheckpointResponse, ExecutionState, OperationUpdate};
use crate::aws::{AwsClient, AwsError, AwsRequest, encode_label, lambda_client};

/// The Lambda API's durable execution calls for one execution, within one invocation's deadline.
pub(crate) struct LambdaService {
    client: AwsClient,
    /// `/2025-12-01/durable-executions/{arn}`, the ARN percent-encoded whole.
    execution_path: String,
    /// Retries end before the invocation's deadline.
    deadline: Instant,
}

impl LambdaService {
    /// The service of the execution `arn`, from the function's environment (credentials, region,
    /// `AWS_ENDPOINT_URL_LAMBDA`), or at `local`, the embedded emulator's Lambda API, when it is the
    /// durable execution service.
    pub(crate) fn from_env(arn: &str, deadline: Instant, local: Option<&str>) -> Result<LambdaService, AwsError> {
        Ok(LambdaService {
            client: lambda_client(local)?,
            execution_path: format!("/2025-12-01/durable-executions/{}", encode_label(arn)),
            deadline,
        })
    }
}

/// What the client's error means for the execution: besides what the client retries, a stale token
/// (the service's `InvalidParameterValueException` "Invalid checkpoint token") is one another invocation,
/// with a fresh token, gets past.
fn checkpoint_error(call: &str, error: AwsError) -> CheckpointError {
    let stale_token = matches!(
        &error,
        AwsError::Service { code, message, .. }
            if code == "InvalidParameterValueException" && message.starts_with("Invalid checkpoint token")
    );
    CheckpointError {
        retryable: stale_token || error.is_retryable(),
        message: format!("{call}: {error}"),
    }
}

impl Checkpointer for LambdaService {
    fn checkpoint<'a>(
        &'a self,
        token: &'a str,
        updates: &'a [OperationUpdate],
    ) -> LocalFuture<'a, Result<CheckpointResponse, CheckpointError>> {
        Box::pin(async move {
            let body = serde_json::to_vec(&CheckpointRequest {
                checkpoint_token: token,
                updates,
            })
            .map_err(|e| CheckpointError {
                retryable: false,
                message: format!("the checkpoint does not serialize: {e}"),
            })?;
            let request = AwsRequest::post_json(format!("{}/checkpoint", self.execution_path), body, self.deadline);
            let answer = self
                .client
                .send(request)
                .await
                .map_err(|e| checkpoint_error("CheckpointDurableExecution", e))?;
            tracing::debug!(
                status = answer.status,
                attempts = answer.attempts,
                request_id = answer.request_id.as_deref().unwrap_or("-"),
                updates = updates.len(),
                "checkpoint accepted"
            );
            serde_json::from_slice(&answer.body).map_err(|e| CheckpointError {
                retryable: true,
                message: format!("CheckpointDurableExecution answered what is not its JSON: {e}"),
            })
        })
    }

    fn state<'a>(
        &'a self,
        token: &'a str,
        marker: &'a str,
    ) -> LocalFuture<'a, Result<ExecutionState, CheckpointError>> {
        Box::pin(async move {
            let query = format!(
                "{}/state?CheckpointToken={}&Marker={}&MaxItems=1000",
                self.execution_path,
                encode_label(token),
                encode_label(marker)
            );
            let answer = self
                .client
                .send(AwsRequest::get(query, self.deadline))
                .await
                .map_err(|e| checkpoint_error("GetDurableExecutionState", e))?;
            serde_json::from_slice(&answer.body).map_err(|e| CheckpointError {
                retryable: true,
                message: format!("GetDurableExecutionState answered what is not its JSON: {e}"),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str, message: &str, retryable: bool) -> AwsError {
        AwsError::Service {
            status: 400,
            code: code.to_owned(),
            message: message.to_owned(),
            retryable,
            request_id: None,
            attempts: 1,
        }
    }

    #[test]
    fn a_stale_token_fails_the_invocation_and_another_refusal_the_execution() {
        let stale = service(
            "InvalidParameterValueException",
            "Invalid checkpoint token: seq 3",
            false,
        );
        assert!(checkpoint_error("CheckpointDurableExecution", stale).retryable);
        let refused = service("InvalidParameterValueException", "Inconsistent operation type", false);
        let refused = checkpoint_error("CheckpointDurableExecution", refused);
        assert!(!refused.retryable);
        assert!(
            refused.message.starts_with("CheckpointDurableExecution: "),
            "{}",
            refused.message
        );
        let throttled = service("TooManyRequestsException", "slow down", true);
        assert!(checkpoint_error("GetDurableExecutionState", throttled).retryable);
    }
}
