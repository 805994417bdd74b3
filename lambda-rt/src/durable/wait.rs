//! [`DurableContext::wait`]: time passing with no compute.

use std::time::Duration;

use super::context::{DurableContext, whole_seconds};
use super::protocol::{Action, OperationStatus, OperationType, OperationUpdate, WaitOptions, sub_type};
use crate::error::Error;

impl DurableContext {
    /// Waits `duration` (whole seconds, at least 1; at most a year) without running: the function answers
    /// `PENDING` and Lambda invokes it again when the time is up, and the workflow goes on from here.
    pub async fn wait(&self, name: &str, duration: Duration) -> Result<(), Error> {
        let id = self.next_id();
        if let Some(op) = self.execution.recorded(&id) {
            self.check(&op, OperationType::Wait, sub_type::WAIT, name).await;
            return match op.status {
                OperationStatus::Succeeded => Ok(()),
                OperationStatus::Started | OperationStatus::Pending | OperationStatus::Ready => self.suspend().await,
                OperationStatus::Failed
                | OperationStatus::Cancelled
                | OperationStatus::TimedOut
                | OperationStatus::Stopped => Err(Error::new(
                    "Durable.WaitCancelled",
                    format!("the wait `{name}` ended without completing"),
                )),
            };
        }
        self.send(vec![OperationUpdate {
            wait_options: Some(WaitOptions {
                wait_seconds: whole_seconds(duration),
            }),
            ..self.update(&id, OperationType::Wait, sub_type::WAIT, name, Action::Start)
        }])
        .await;
        // The service may have completed a wait that fell due meanwhile.
        match self.execution.recorded(&id).map(|op| op.status) {
            Some(OperationStatus::Succeeded) => Ok(()),
            _ => self.suspend().await,
        }
    }
}
