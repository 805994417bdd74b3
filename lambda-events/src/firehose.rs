//! Amazon Data Firehose (Kinesis Firehose) data transformation: the event and the response.
//!
//! Firehose hands a batch of records to the function and expects every `recordId` back with a
//! result: [`FirehoseRecordResult::Ok`] with the transformed data, `Dropped`, or `ProcessingFailed`.
//! Data is base64 on the wire; [`Base64Data`] holds the bytes.
//!
//! ```
//! use lambda_fn_events::firehose::{KinesisFirehoseEvent, KinesisFirehoseResponse, KinesisFirehoseResponseRecord};
//!
//! let event: KinesisFirehoseEvent = serde_json::from_str(r#"{
//!     "invocationId": "inv", "deliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/d",
//!     "region": "us-east-1",
//!     "records": [{"recordId": "r1", "approximateArrivalTimestamp": 1700000000000, "data": "aGk="}]
//! }"#).unwrap();
//! let response: KinesisFirehoseResponse = event
//!     .records
//!     .iter()
//!     .map(|r| KinesisFirehoseResponseRecord::ok(&r.record_id, r.data.as_ref().to_ascii_uppercase()))
//!     .collect();
//! assert_eq!(
//!     serde_json::to_string(&response).unwrap(),
//!     r#"{"records":[{"recordId":"r1","result":"Ok","data":"SEk="}]}"#
//! );
//! ```

use std::fmt;
use std::time::SystemTime;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::encoding::{Base64Data, OtherFields, PresenceMap, from_epoch_millis, null_as_default};

/// The event of a Firehose data-transformation Lambda.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseEvent {
    /// Id of this invocation.
    #[serde(default)]
    pub invocation_id: String,
    /// ARN of the delivery stream.
    #[serde(default)]
    pub delivery_stream_arn: String,
    /// ARN of the source Kinesis stream, when the delivery stream reads from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_kinesis_stream_arn: Option<String>,
    /// Region of the delivery stream.
    #[serde(default)]
    pub region: String,
    /// The records to transform.
    #[serde(default, deserialize_with = "null_as_default")]
    pub records: Vec<KinesisFirehoseEventRecord>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One record to transform.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseEventRecord {
    /// Id to return in the response record.
    #[serde(default)]
    pub record_id: String,
    /// When Firehose received the record, epoch milliseconds (see
    /// [`KinesisFirehoseEventRecord::approximate_arrival_time`]).
    #[serde(default)]
    pub approximate_arrival_timestamp: i64,
    /// The payload (base64 on the wire, decoded here).
    #[serde(default)]
    pub data: Base64Data,
    /// Kinesis metadata, when the source is a Kinesis stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinesis_record_metadata: Option<KinesisFirehoseRecordMetadata>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl KinesisFirehoseEventRecord {
    /// When Firehose received the record.
    pub fn approximate_arrival_time(&self) -> SystemTime {
        from_epoch_millis(self.approximate_arrival_timestamp)
    }
}

/// Metadata of a record read from a Kinesis stream.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseRecordMetadata {
    /// The shard the record came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_id: Option<String>,
    /// The record's partition key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// When the record reached the Kinesis stream, epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approximate_arrival_timestamp: Option<i64>,
    /// The record's sequence number in the shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
    /// Sub-sequence number, for aggregated records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsequence_number: Option<i64>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The response of a Firehose transformation: one record per input record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KinesisFirehoseResponse {
    /// The transformed records.
    #[serde(default, deserialize_with = "null_as_default")]
    pub records: Vec<KinesisFirehoseResponseRecord>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl KinesisFirehoseResponse {
    /// A response with these records.
    pub fn new(records: impl IntoIterator<Item = KinesisFirehoseResponseRecord>) -> Self {
        KinesisFirehoseResponse {
            records: records.into_iter().collect(),
            other: OtherFields::new(),
        }
    }
}

impl FromIterator<KinesisFirehoseResponseRecord> for KinesisFirehoseResponse {
    fn from_iter<I: IntoIterator<Item = KinesisFirehoseResponseRecord>>(records: I) -> Self {
        KinesisFirehoseResponse::new(records)
    }
}

/// One transformed record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseResponseRecord {
    /// The `recordId` of the input record.
    #[serde(default)]
    pub record_id: String,
    /// What happened to the record.
    #[serde(default)]
    pub result: FirehoseRecordResult,
    /// The transformed payload (base64 on the wire); may be omitted for dropped records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Base64Data>,
    /// Dynamic partitioning keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<KinesisFirehoseResponseRecordMetadata>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl KinesisFirehoseResponseRecord {
    /// A record transformed successfully into `data`.
    pub fn ok(record_id: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        Self::with_result(record_id, FirehoseRecordResult::Ok, Some(data.into()))
    }

    /// A record deliberately dropped.
    pub fn dropped(record_id: impl Into<String>) -> Self {
        Self::with_result(record_id, FirehoseRecordResult::Dropped, None)
    }

    /// A record that could not be transformed; Firehose sends `data` (usually the original) to the
    /// error output.
    pub fn processing_failed(record_id: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        Self::with_result(record_id, FirehoseRecordResult::ProcessingFailed, Some(data.into()))
    }

    fn with_result(record_id: impl Into<String>, result: FirehoseRecordResult, data: Option<Vec<u8>>) -> Self {
        KinesisFirehoseResponseRecord {
            record_id: record_id.into(),
            result,
            data: data.map(Base64Data),
            metadata: None,
            other: OtherFields::new(),
        }
    }

    /// Adds a dynamic partitioning key.
    pub fn with_partition_key(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata
            .get_or_insert_with(Default::default)
            .partition_keys
            .insert(key.into(), value.into());
        self
    }
}

/// Dynamic partitioning metadata of a transformed record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisFirehoseResponseRecordMetadata {
    /// Partition key name to value.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub partition_keys: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The result of transforming one record. Values Firehose does not document are kept as
/// [`FirehoseRecordResult::Other`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum FirehoseRecordResult {
    /// `Ok`: transformed successfully.
    #[default]
    Ok,
    /// `Dropped`: intentionally discarded.
    Dropped,
    /// `ProcessingFailed`: could not be transformed.
    ProcessingFailed,
    /// Any other value, kept as sent.
    Other(String),
}

impl FirehoseRecordResult {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            FirehoseRecordResult::Ok => "Ok",
            FirehoseRecordResult::Dropped => "Dropped",
            FirehoseRecordResult::ProcessingFailed => "ProcessingFailed",
            FirehoseRecordResult::Other(other) => other,
        }
    }
}

impl From<&str> for FirehoseRecordResult {
    fn from(text: &str) -> Self {
        match text {
            "Ok" => FirehoseRecordResult::Ok,
            "Dropped" => FirehoseRecordResult::Dropped,
            "ProcessingFailed" => FirehoseRecordResult::ProcessingFailed,
            other => FirehoseRecordResult::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for FirehoseRecordResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FirehoseRecordResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FirehoseRecordResult {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(FirehoseRecordResult::from(String::deserialize(deserializer)?.as_str()))
    }
}
