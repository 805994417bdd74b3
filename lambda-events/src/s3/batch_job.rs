//! S3 Batch Operations "Invoke AWS Lambda function" tasks and results.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::encoding::{OtherFields, PresenceMap, null_as_default};

/// A Batch Operations task: the event of a job's "Invoke AWS Lambda function" operation.
///
/// Schema 1.0 names the bucket by ARN (`s3BucketArn`); schema 2.0 by name (`s3Bucket`) and adds the
/// job's `userArguments`.
///
/// ```
/// use lambda_fn_events::s3::{S3BatchJobEvent, S3BatchJobResponse, S3BatchJobResult};
///
/// let event: S3BatchJobEvent = serde_json::from_str(r#"{
///     "invocationSchemaVersion": "2.0", "invocationId": "inv",
///     "job": {"id": "job-1", "userArguments": {"mode": "resize"}},
///     "tasks": [{"taskId": "t1", "s3Key": "a+b.jpg", "s3VersionId": null, "s3Bucket": "bkt"}]
/// }"#).unwrap();
/// assert_eq!(event.job.user_arguments["mode"], "resize");
/// assert_eq!(event.tasks[0].decoded_key(), "a b.jpg");
///
/// let response = S3BatchJobResponse::for_event(&event, [S3BatchJobResult::succeeded("t1", "done")]);
/// assert_eq!(response.invocation_id, "inv");
/// assert_eq!(serde_json::to_value(&response).unwrap()["results"][0]["resultCode"], "Succeeded");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3BatchJobEvent {
    /// `1.0` or `2.0`.
    #[serde(default)]
    pub invocation_schema_version: String,
    /// Id of this invocation; echo it in the response.
    #[serde(default)]
    pub invocation_id: String,
    /// The job.
    #[serde(default)]
    pub job: S3BatchJob,
    /// The tasks (one object each; a single task in practice).
    #[serde(default, deserialize_with = "null_as_default")]
    pub tasks: Vec<S3BatchJobTask>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The Batch Operations job a task belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3BatchJob {
    /// Job id.
    #[serde(default)]
    pub id: String,
    /// Key-value arguments given to the job (schema 2.0).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub user_arguments: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One object to process.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3BatchJobTask {
    /// Task id; echo it in the result.
    #[serde(default)]
    pub task_id: String,
    /// The object key, URL-encoded (see [`S3BatchJobTask::decoded_key`]).
    #[serde(default)]
    pub s3_key: String,
    /// The object version, for versioned manifests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_version_id: Option<String>,
    /// The bucket ARN (schema 1.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_bucket_arn: Option<String>,
    /// The bucket name (schema 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_bucket: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl S3BatchJobTask {
    /// The key decoded from its URL encoding (`+` is a space, `%XX` a byte).
    pub fn decoded_key(&self) -> String {
        super::url_decode(&self.s3_key)
    }

    /// The bucket name, from `s3Bucket` or else from the end of `s3BucketArn`.
    pub fn bucket_name(&self) -> Option<&str> {
        self.s3_bucket
            .as_deref()
            .or_else(|| self.s3_bucket_arn.as_deref().and_then(|arn| arn.rsplit(':').next()))
    }
}

/// The response to a Batch Operations task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3BatchJobResponse {
    /// The schema version of the event.
    #[serde(default)]
    pub invocation_schema_version: String,
    /// How to treat keys missing from `results` (default `PermanentFailure`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treat_missing_keys_as: Option<S3BatchResultCode>,
    /// The `invocationId` of the event.
    #[serde(default)]
    pub invocation_id: String,
    /// One result per task.
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<S3BatchJobResult>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl S3BatchJobResponse {
    /// A response to `event` (same schema version and invocation id) with these results.
    pub fn for_event(event: &S3BatchJobEvent, results: impl IntoIterator<Item = S3BatchJobResult>) -> Self {
        S3BatchJobResponse {
            invocation_schema_version: event.invocation_schema_version.clone(),
            treat_missing_keys_as: None,
            invocation_id: event.invocation_id.clone(),
            results: results.into_iter().collect(),
            other: OtherFields::new(),
        }
    }
}

/// The result of one task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3BatchJobResult {
    /// The `taskId` of the task.
    #[serde(default)]
    pub task_id: String,
    /// The outcome.
    #[serde(default)]
    pub result_code: S3BatchResultCode,
    /// A message recorded in the job's completion report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_string: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl S3BatchJobResult {
    /// A result with this code and message.
    pub fn new(task_id: impl Into<String>, result_code: S3BatchResultCode, message: impl Into<String>) -> Self {
        S3BatchJobResult {
            task_id: task_id.into(),
            result_code,
            result_string: Some(message.into()),
            other: OtherFields::new(),
        }
    }

    /// The task succeeded.
    pub fn succeeded(task_id: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(task_id, S3BatchResultCode::Succeeded, message)
    }

    /// The task failed but may succeed if retried.
    pub fn temporary_failure(task_id: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(task_id, S3BatchResultCode::TemporaryFailure, message)
    }

    /// The task failed for good.
    pub fn permanent_failure(task_id: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(task_id, S3BatchResultCode::PermanentFailure, message)
    }
}

/// The outcome of a Batch Operations task. Undocumented values are kept as
/// [`S3BatchResultCode::Other`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum S3BatchResultCode {
    /// `Succeeded`.
    #[default]
    Succeeded,
    /// `TemporaryFailure`: S3 retries the task.
    TemporaryFailure,
    /// `PermanentFailure`.
    PermanentFailure,
    /// Any other value, kept as sent.
    Other(String),
}

impl S3BatchResultCode {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            S3BatchResultCode::Succeeded => "Succeeded",
            S3BatchResultCode::TemporaryFailure => "TemporaryFailure",
            S3BatchResultCode::PermanentFailure => "PermanentFailure",
            S3BatchResultCode::Other(other) => other,
        }
    }
}

impl From<&str> for S3BatchResultCode {
    fn from(text: &str) -> Self {
        match text {
            "Succeeded" => S3BatchResultCode::Succeeded,
            "TemporaryFailure" => S3BatchResultCode::TemporaryFailure,
            "PermanentFailure" => S3BatchResultCode::PermanentFailure,
            other => S3BatchResultCode::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for S3BatchResultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for S3BatchResultCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for S3BatchResultCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(S3BatchResultCode::from(String::deserialize(deserializer)?.as_str()))
    }
}
