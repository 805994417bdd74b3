//! Amazon Kinesis Data Streams: the event Lambda receives from a stream, and the partial batch
//! response.
//!
//! Record data arrives base64-encoded; [`KinesisRecord::data`] holds the decoded bytes. With
//! `ReportBatchItemFailures` enabled, return a [`KinesisEventResponse`] naming the sequence number of
//! the first failed record. Tumbling-window aggregation uses [`KinesisTimeWindowEvent`] and
//! [`KinesisTimeWindowEventResponse`].
//!
//! ```
//! use lambda_fn_events::kinesis::{KinesisEvent, KinesisEventResponse};
//!
//! let event: KinesisEvent = serde_json::from_str(r#"{"Records": [{
//!     "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "p", "sequenceNumber": "49",
//!                 "data": "aGVsbG8=", "approximateArrivalTimestamp": 1700000000.5},
//!     "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventID": "shardId-000000000000:49",
//!     "eventName": "aws:kinesis:record", "awsRegion": "us-east-1",
//!     "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s"
//! }]}"#).unwrap();
//! let record = &event.records[0].kinesis;
//! assert_eq!(record.data.as_ref(), b"hello");
//! assert!(record.approximate_arrival_time().is_some());
//!
//! let response = KinesisEventResponse::from_failed_ids([record.sequence_number.as_str()]);
//! assert_eq!(response.batch_item_failures[0].item_identifier, "49");
//! ```

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::encoding::{Base64Data, OtherFields, PresenceMap, from_epoch_seconds, null_as_default, parse_iso8601};

/// The event a Kinesis event source mapping sends: a batch of records from one shard.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KinesisEvent {
    /// The records (`Records`).
    #[serde(rename = "Records", default, deserialize_with = "null_as_default")]
    pub records: Vec<KinesisEventRecord>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One record of a [`KinesisEvent`], with its delivery metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisEventRecord {
    /// The Kinesis record itself.
    pub kinesis: KinesisRecord,
    /// Always `aws:kinesis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// Event schema version (`1.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_version: Option<String>,
    /// `shardId:sequenceNumber` (`eventID`).
    #[serde(rename = "eventID", default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Always `aws:kinesis:record`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// ARN of the role Lambda used to read the stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoke_identity_arn: Option<String>,
    /// Region of the stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// ARN of the stream (`eventSourceARN`).
    #[serde(rename = "eventSourceARN", default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A Kinesis data record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisRecord {
    /// Record schema version (`1.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinesis_schema_version: Option<String>,
    /// The partition key the producer chose.
    #[serde(default)]
    pub partition_key: String,
    /// Sequence number within the shard; what [`KinesisEventResponse`] reports as failed.
    #[serde(default)]
    pub sequence_number: String,
    /// The payload (base64 on the wire, decoded here).
    #[serde(default)]
    pub data: Base64Data,
    /// When the record reached the stream, epoch seconds with millisecond fraction (see
    /// [`KinesisRecord::approximate_arrival_time`]).
    #[serde(default, with = "crate::encoding::epoch_seconds")]
    pub approximate_arrival_timestamp: f64,
    /// `KMS` when the record was encrypted at rest; absent (or `NONE`) otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_type: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl KinesisRecord {
    /// When the record reached the stream.
    pub fn approximate_arrival_time(&self) -> Option<SystemTime> {
        from_epoch_seconds(self.approximate_arrival_timestamp)
    }

    /// The payload as UTF-8 text, when it is.
    pub fn data_str(&self) -> Option<&str> {
        std::str::from_utf8(self.data.as_ref()).ok()
    }

    /// Whether the record was encrypted at rest with KMS.
    pub fn is_encrypted(&self) -> bool {
        self.encryption_type.as_deref() == Some("KMS")
    }
}

/// The partial batch response for a Kinesis (or DynamoDB Streams) event source mapping.
///
/// Name the sequence number of the first failed record; Lambda retries from there. An empty list
/// (the [`Default`]) means the whole batch succeeded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisEventResponse {
    /// The failed records (`batchItemFailures`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub batch_item_failures: Vec<KinesisBatchItemFailure>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One failed record of a partial batch response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisBatchItemFailure {
    /// The sequence number of the failed record.
    pub item_identifier: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl KinesisBatchItemFailure {
    /// A failure for the record with this sequence number.
    pub fn new(sequence_number: impl Into<String>) -> Self {
        KinesisBatchItemFailure {
            item_identifier: sequence_number.into(),
            other: OtherFields::new(),
        }
    }
}

impl KinesisEventResponse {
    /// A response reporting these sequence numbers as failed.
    pub fn from_failed_ids<I, S>(sequence_numbers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        KinesisEventResponse {
            batch_item_failures: sequence_numbers.into_iter().map(KinesisBatchItemFailure::new).collect(),
            other: OtherFields::new(),
        }
    }

    /// Adds one failed sequence number.
    pub fn add_failure(&mut self, sequence_number: impl Into<String>) {
        self.batch_item_failures
            .push(KinesisBatchItemFailure::new(sequence_number));
    }
}

/// The event of a Kinesis event source mapping with a tumbling window: the records plus the state
/// carried from the previous invocation of the same window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisTimeWindowEvent {
    /// The records of this invocation (`Records`).
    #[serde(rename = "Records", default, deserialize_with = "null_as_default")]
    pub records: Vec<KinesisEventRecord>,
    /// The window this invocation belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<TimeWindow>,
    /// State returned by the previous invocation of this window.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub state: PresenceMap<String, String>,
    /// The shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_id: Option<String>,
    /// ARN of the stream (`eventSourceARN`).
    #[serde(rename = "eventSourceARN", default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// Whether this is the last invocation of the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_final_invoke_for_window: Option<bool>,
    /// Whether the window ended early (a reshard or the 6 MB limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_window_terminated_early: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A tumbling window's bounds, ISO 8601.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeWindow {
    /// Start of the window (see [`TimeWindow::start()`]).
    #[serde(default)]
    pub start: String,
    /// End of the window (see [`TimeWindow::end()`]).
    #[serde(default)]
    pub end: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl TimeWindow {
    /// Start of the window.
    pub fn start(&self) -> Option<SystemTime> {
        parse_iso8601(&self.start)
    }

    /// End of the window.
    pub fn end(&self) -> Option<SystemTime> {
        parse_iso8601(&self.end)
    }
}

/// The response to a [`KinesisTimeWindowEvent`]: the state to carry forward, and failures.
///
/// [`Default`] gives an empty `state` that is written as `{}` (a decoded response keeps `state`
/// as it came: `{}`, or absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisTimeWindowEventResponse {
    /// State passed to the next invocation of the window.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub state: PresenceMap<String, String>,
    /// The failed records.
    #[serde(default, deserialize_with = "null_as_default")]
    pub batch_item_failures: Vec<KinesisBatchItemFailure>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl Default for KinesisTimeWindowEventResponse {
    fn default() -> Self {
        KinesisTimeWindowEventResponse {
            state: PresenceMap::present(Default::default()),
            batch_item_failures: Vec::new(),
            other: OtherFields::new(),
        }
    }
}
