//! CodePipeline: the job event a Lambda invoke action receives.
//!
//! The artifact credentials are temporary AWS credentials; their `Debug` output is redacted so
//! logging the event does not leak them.
//!
//! ```
//! use lambda_fn_events::codepipeline::CodePipelineJobEvent;
//!
//! let event: CodePipelineJobEvent = serde_json::from_str(r#"{"CodePipeline.job": {
//!     "id": "job-1",
//!     "accountId": "123456789012",
//!     "data": {
//!         "actionConfiguration": {"configuration": {"FunctionName": "deploy", "UserParameters": "prod"}},
//!         "inputArtifacts": [{"name": "Build", "revision": null,
//!             "location": {"type": "S3", "s3Location": {"bucketName": "artifacts", "objectKey": "build.zip"}}}],
//!         "outputArtifacts": [],
//!         "artifactCredentials": {"accessKeyId": "AKIDEXAMPLE", "secretAccessKey": "very-secret",
//!                                 "sessionToken": "token"}
//!     }
//! }}"#).unwrap();
//! let job = &event.job;
//! assert_eq!(job.data.action_configuration.configuration.user_parameters.as_deref(), Some("prod"));
//! assert_eq!(job.data.input_artifacts[0].location.s3_location.as_ref().unwrap().object_key, "build.zip");
//! let debug = format!("{event:?}");
//! assert!(!debug.contains("very-secret"));
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::encoding::OtherFields;

/// The event of a CodePipeline Lambda invoke action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodePipelineJobEvent {
    /// The job (`CodePipeline.job`).
    #[serde(rename = "CodePipeline.job")]
    pub job: CodePipelineJob,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A CodePipeline job: report its result with `PutJobSuccessResult` / `PutJobFailureResult`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineJob {
    /// Job id.
    #[serde(default)]
    pub id: String,
    /// Account of the pipeline.
    #[serde(default)]
    pub account_id: String,
    /// What the job works on.
    #[serde(default)]
    pub data: CodePipelineJobData,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `data` of a [`CodePipelineJob`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineJobData {
    /// The action's configuration.
    #[serde(default)]
    pub action_configuration: CodePipelineActionConfiguration,
    /// Artifacts the action reads.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub input_artifacts: Vec<CodePipelineArtifact>,
    /// Artifacts the action writes.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub output_artifacts: Vec<CodePipelineArtifact>,
    /// Temporary credentials for the artifact bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_credentials: Option<CodePipelineArtifactCredentials>,
    /// Set when the job continues an earlier one that returned a continuation token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
    /// KMS key of the artifact store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_key: Option<CodePipelineEncryptionKey>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `actionConfiguration` of a job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodePipelineActionConfiguration {
    /// The action's configuration properties.
    #[serde(default)]
    pub configuration: CodePipelineConfiguration,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Configuration properties of a Lambda invoke action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodePipelineConfiguration {
    /// The function invoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_name: Option<String>,
    /// The `UserParameters` string configured on the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_parameters: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An input or output artifact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineArtifact {
    /// Artifact name.
    #[serde(default)]
    pub name: String,
    /// Revision of the source (commit id, S3 version), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Where it is stored.
    #[serde(default)]
    pub location: CodePipelineArtifactLocation,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `location` of an artifact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineArtifactLocation {
    /// `S3`.
    #[serde(rename = "type", default)]
    pub location_type: String,
    /// S3 bucket and key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_location: Option<CodePipelineS3Location>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// S3 location of an artifact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineS3Location {
    /// Bucket.
    #[serde(default)]
    pub bucket_name: String,
    /// Key.
    #[serde(default)]
    pub object_key: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Temporary credentials to read and write the artifacts. `Debug` shows only the access key id.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodePipelineArtifactCredentials {
    /// Access key id.
    #[serde(default)]
    pub access_key_id: String,
    /// Secret access key.
    #[serde(default)]
    pub secret_access_key: String,
    /// Session token.
    #[serde(default)]
    pub session_token: String,
    /// Expiry (epoch milliseconds), when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<i64>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl fmt::Debug for CodePipelineArtifactCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodePipelineArtifactCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &"<redacted>")
            .field("expiration_time", &self.expiration_time)
            .field("other", &self.other)
            .finish()
    }
}

impl CodePipelineArtifactCredentials {
    /// [`Self::expiration_time`] as a `SystemTime`.
    pub fn expiration_time(&self) -> Option<std::time::SystemTime> {
        self.expiration_time.map(crate::encoding::from_epoch_millis)
    }
}

/// KMS key of the artifact store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodePipelineEncryptionKey {
    /// Key id or ARN.
    #[serde(default)]
    pub id: String,
    /// `KMS`.
    #[serde(rename = "type", default)]
    pub key_type: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
