//! Amazon S3: event notifications, Batch Operations jobs, and S3 Object Lambda.
//!
//! - [`S3Event`]: the notification a bucket sends when objects are created, removed, restored, ...
//!   Object keys arrive URL-encoded (`+` for a space); [`S3Object::decoded_key`] decodes them.
//! - [`S3BatchJobEvent`] / [`S3BatchJobResponse`]: a Batch Operations "Invoke Lambda" task and its
//!   result (schema 1.0 and 2.0).
//! - [`S3ObjectLambdaEvent`]: a GetObject, HeadObject, ListObjects or ListObjectsV2 request routed
//!   through an Object Lambda access point, and [`S3ObjectLambdaResponse`] for the JSON answers.
//!
//! ```
//! use lambda_fn_events::s3::S3Event;
//!
//! let event: S3Event = serde_json::from_str(r#"{"Records": [{
//!     "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
//!     "eventTime": "2024-01-02T03:04:05.678Z", "eventName": "ObjectCreated:Put",
//!     "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
//!     "requestParameters": {"sourceIPAddress": "203.0.113.1"},
//!     "responseElements": {"x-amz-request-id": "R", "x-amz-id-2": "I"},
//!     "s3": {"s3SchemaVersion": "1.0", "configurationId": "c",
//!            "bucket": {"name": "b", "ownerIdentity": {"principalId": "O"}, "arn": "arn:aws:s3:::b"},
//!            "object": {"key": "my+photos/caf%C3%A9.jpg", "size": 1024, "eTag": "e", "sequencer": "01"}}
//! }]}"#).unwrap();
//! let record = &event.records[0];
//! assert_eq!(record.s3.object.decoded_key(), "my photos/café.jpg");
//! assert!(record.event_time().is_some());
//! ```

mod batch_job;
mod object_lambda;

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

pub use batch_job::{
    S3BatchJob, S3BatchJobEvent, S3BatchJobResponse, S3BatchJobResult, S3BatchJobTask, S3BatchResultCode,
};
pub use object_lambda::{
    S3ObjectLambdaConfiguration, S3ObjectLambdaEvent, S3ObjectLambdaGetObjectContext, S3ObjectLambdaInputContext,
    S3ObjectLambdaResponse, S3ObjectLambdaSessionContext, S3ObjectLambdaSessionIssuer, S3ObjectLambdaUserIdentity,
    S3ObjectLambdaUserRequest,
};

use crate::encoding::{OtherFields, PresenceMap, null_as_default, parse_iso8601};

/// The notification an S3 bucket sends to Lambda.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct S3Event {
    /// The notifications (`Records`).
    #[serde(rename = "Records", default, deserialize_with = "null_as_default")]
    pub records: Vec<S3EventRecord>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One S3 notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3EventRecord {
    /// Notification schema version (`2.1`, `2.2`, `2.3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_version: Option<String>,
    /// Always `aws:s3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// Region of the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// When the request finished, ISO 8601 (see [`S3EventRecord::event_time()`]).
    #[serde(default)]
    pub event_time: String,
    /// The event type without the `s3:` prefix (`ObjectCreated:Put`, `ObjectRemoved:Delete`, ...).
    #[serde(default)]
    pub event_name: String,
    /// Who made the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_identity: Option<S3UserIdentity>,
    /// Where the request came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_parameters: Option<S3RequestParameters>,
    /// `x-amz-request-id` and `x-amz-id-2` of the request, for AWS support.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub response_elements: PresenceMap<String, String>,
    /// The bucket and object.
    #[serde(default)]
    pub s3: S3Entity,
    /// Restore details, for `ObjectRestore:Completed` events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glacier_event_data: Option<S3GlacierEventData>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl S3EventRecord {
    /// When the request finished.
    pub fn event_time(&self) -> Option<SystemTime> {
        parse_iso8601(&self.event_time)
    }
}

/// An identity in an S3 notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3UserIdentity {
    /// Amazon customer id of the principal.
    #[serde(default)]
    pub principal_id: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Request details of an S3 notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct S3RequestParameters {
    /// IP address the request came from (`sourceIPAddress`).
    #[serde(rename = "sourceIPAddress", default)]
    pub source_ip_address: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The `s3` object of a notification: bucket and object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Entity {
    /// Schema version of this object (`1.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_schema_version: Option<String>,
    /// Id of the notification configuration that matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_id: Option<String>,
    /// The bucket.
    #[serde(default)]
    pub bucket: S3Bucket,
    /// The object.
    #[serde(default)]
    pub object: S3Object,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The bucket of a notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Bucket {
    /// Bucket name.
    #[serde(default)]
    pub name: String,
    /// Owner of the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_identity: Option<S3UserIdentity>,
    /// Bucket ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The object of a notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Object {
    /// The key, URL-encoded as S3 sends it (see [`S3Object::decoded_key`]).
    #[serde(default)]
    pub key: String,
    /// Size in bytes (absent for deletions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// A decoded key, when whoever built the event supplied one (S3 itself does not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_decoded_key: Option<String>,
    /// Version id, for versioned buckets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// ETag of the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e_tag: Option<String>,
    /// Orders events on the same key (compare as hex strings of equal length).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequencer: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl S3Object {
    /// The key decoded from S3's URL encoding: `+` becomes a space and `%XX` the byte XX (invalid
    /// UTF-8 is replaced with U+FFFD, malformed escapes are kept as they are).
    pub fn decoded_key(&self) -> String {
        url_decode(&self.key)
    }
}

/// Restore details of an `ObjectRestore:Completed` notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3GlacierEventData {
    /// The restored copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore_event_data: Option<S3RestoreEventData>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The restored copy of an archived object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3RestoreEventData {
    /// When the restored copy expires, ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_restoration_expiry_time: Option<String>,
    /// Storage class of the archived object (`GLACIER`, `DEEP_ARCHIVE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_restore_storage_class: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl S3RestoreEventData {
    /// When the restored copy expires.
    pub fn lifecycle_restoration_expiry_time(&self) -> Option<SystemTime> {
        self.lifecycle_restoration_expiry_time
            .as_deref()
            .and_then(parse_iso8601)
    }
}

/// Decodes S3's form-style URL encoding: `+` is a space, `%XX` a byte.
pub(crate) fn url_decode(text: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let escaped = bytes
                    .get(i + 1)
                    .copied()
                    .and_then(hex)
                    .zip(bytes.get(i + 2).copied().and_then(hex));
                if let Some((hi, lo)) = escaped {
                    out.push((hi << 4) | lo);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
