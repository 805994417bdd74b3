//! CodeCommit repository triggers.
//!
//! ```
//! use lambda_fn_events::codecommit::CodeCommitEvent;
//!
//! let event: CodeCommitEvent = serde_json::from_str(r#"{"Records": [{
//!     "awsRegion": "eu-west-1",
//!     "codecommit": {"references": [{"commit": "0123abcd", "ref": "refs/heads/main"}]},
//!     "customData": "deploy",
//!     "eventId": "e1", "eventName": "ReferenceChanges", "eventPartNumber": 1,
//!     "eventSource": "aws:codecommit", "eventSourceARN": "arn:aws:codecommit:eu-west-1:123456789012:repo",
//!     "eventTime": "2024-02-01T10:00:00.000+0000", "eventTotalParts": 1,
//!     "eventTriggerConfigId": "c1", "eventTriggerName": "on-push", "eventVersion": "1.0",
//!     "userIdentityARN": "arn:aws:iam::123456789012:user/dev"
//! }]}"#).unwrap();
//! let record = &event.records[0];
//! assert_eq!(record.codecommit.references[0].reference, "refs/heads/main");
//! assert_eq!(record.custom_data.as_deref(), Some("deploy"));
//! assert!(record.event_time().is_some());
//! ```

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::encoding::{OtherFields, parse_iso8601};

/// The event of a CodeCommit trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeCommitEvent {
    /// The records (usually one).
    #[serde(rename = "Records", default, deserialize_with = "crate::encoding::null_as_default")]
    pub records: Vec<CodeCommitRecord>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One record of a [`CodeCommitEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeCommitRecord {
    /// Event id.
    #[serde(default)]
    pub event_id: String,
    /// Event version (`1.0`).
    #[serde(default)]
    pub event_version: String,
    /// When the event happened (`2018-01-26T15:58:33.475+0000`); see [`Self::event_time`].
    #[serde(default)]
    pub event_time: String,
    /// Name of the trigger.
    #[serde(default)]
    pub event_trigger_name: String,
    /// Part number, when the event is split.
    #[serde(default)]
    pub event_part_number: u64,
    /// The references (branches, tags) that changed.
    #[serde(default)]
    pub codecommit: CodeCommitCodeCommit,
    /// `ReferenceChanges` or `TriggerEventTest`.
    #[serde(default)]
    pub event_name: String,
    /// Id of the trigger configuration.
    #[serde(default)]
    pub event_trigger_config_id: String,
    /// ARN of the repository.
    #[serde(default, rename = "eventSourceARN")]
    pub event_source_arn: String,
    /// ARN of the user who pushed.
    #[serde(default, rename = "userIdentityARN")]
    pub user_identity_arn: String,
    /// `aws:codecommit`.
    #[serde(default)]
    pub event_source: String,
    /// Region.
    #[serde(default)]
    pub aws_region: String,
    /// Number of parts.
    #[serde(default)]
    pub event_total_parts: u64,
    /// Custom data configured on the trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl CodeCommitRecord {
    /// [`Self::event_time`] as a `SystemTime`.
    pub fn event_time(&self) -> Option<SystemTime> {
        parse_iso8601(&self.event_time)
    }
}

/// `codecommit` of a [`CodeCommitRecord`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeCommitCodeCommit {
    /// Changed references.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub references: Vec<CodeCommitReference>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A changed reference.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeCommitReference {
    /// Commit the reference now points to.
    #[serde(default)]
    pub commit: String,
    /// Reference name (`refs/heads/main`).
    #[serde(default, rename = "ref")]
    pub reference: String,
    /// The reference was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<bool>,
    /// The reference was deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
