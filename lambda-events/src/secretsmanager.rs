//! Secrets Manager rotation: the event a rotation function receives, once per rotation step.
//!
//! ```
//! use lambda_fn_events::secretsmanager::{RotationStep, SecretsManagerSecretRotationEvent};
//!
//! let event: SecretsManagerSecretRotationEvent = serde_json::from_str(r#"{
//!     "Step": "createSecret",
//!     "SecretId": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
//!     "ClientRequestToken": "5c0d1d0e-1c2b-4a5e-9f00-0123456789ab"
//! }"#).unwrap();
//! assert_eq!(event.step(), RotationStep::CreateSecret);
//! assert!(event.rotation_token.is_none());
//! ```

use serde::{Deserialize, Serialize};

use crate::encoding::OtherFields;

/// The event of a Secrets Manager rotation function.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecretsManagerSecretRotationEvent {
    /// `createSecret`, `setSecret`, `testSecret` or `finishSecret`; see [`Self::step`].
    #[serde(default)]
    pub step: String,
    /// ARN of the secret.
    #[serde(default)]
    pub secret_id: String,
    /// Version id of the new secret version (idempotency token of the rotation).
    #[serde(default)]
    pub client_request_token: String,
    /// Token identifying the rotation, sent for rotations of secrets in other accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_token: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl SecretsManagerSecretRotationEvent {
    /// The rotation step as an enum.
    pub fn step(&self) -> RotationStep {
        match self.step.as_str() {
            "createSecret" => RotationStep::CreateSecret,
            "setSecret" => RotationStep::SetSecret,
            "testSecret" => RotationStep::TestSecret,
            "finishSecret" => RotationStep::FinishSecret,
            _ => RotationStep::Other,
        }
    }
}

/// The four steps of a Secrets Manager rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotationStep {
    /// Create the new version of the secret (`AWSPENDING`).
    CreateSecret,
    /// Set the new credentials in the database or service.
    SetSecret,
    /// Test the new version.
    TestSecret,
    /// Move `AWSCURRENT` to the new version.
    FinishSecret,
    /// A step this crate does not know.
    Other,
}
