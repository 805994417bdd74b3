//! Amazon DynamoDB Streams: the event Lambda receives from a table's stream, with typed attribute
//! values, and the partial batch response.
//!
//! Images (`Keys`, `NewImage`, `OldImage`) are [`Item`]s of [`AttributeValue`]s, encoded exactly as
//! DynamoDB does; the stream record holds each in a [`PresenceMap`] (which dereferences to the
//! `Item` and remembers whether the image was sent). [`from_item`] turns an image into your own type
//! (`from_item(&record.dynamodb.new_image)`).
//!
//! ```
//! use lambda_fn_events::dynamodb::{DynamoDbEvent, OperationType};
//!
//! let event: DynamoDbEvent = serde_json::from_str(r#"{"Records": [{
//!     "eventID": "1", "eventName": "MODIFY", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
//!     "awsRegion": "us-east-1",
//!     "dynamodb": {
//!         "ApproximateCreationDateTime": 1700000000,
//!         "Keys": {"id": {"S": "u1"}},
//!         "NewImage": {"id": {"S": "u1"}, "visits": {"N": "2"}},
//!         "OldImage": {"id": {"S": "u1"}, "visits": {"N": "1"}},
//!         "SequenceNumber": "111", "SizeBytes": 26, "StreamViewType": "NEW_AND_OLD_IMAGES"
//!     },
//!     "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2024-01-01T00:00:00.000"
//! }]}"#).unwrap();
//! let record = &event.records[0];
//! assert_eq!(record.operation(), Some(OperationType::Modify));
//! assert_eq!(record.dynamodb.new_image["visits"].as_number::<u32>(), Some(2));
//! assert!(record.dynamodb.approximate_creation_time().is_some());
//! ```

mod attribute_value;

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

pub use attribute_value::{AttributeValue, Item, from_item, to_item};

use crate::encoding::{OtherFields, PresenceMap, from_epoch_seconds, null_as_default};

/// The event a DynamoDB Streams event source mapping sends: a batch of stream records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DynamoDbEvent {
    /// The stream records (`Records`).
    #[serde(rename = "Records", default, deserialize_with = "null_as_default")]
    pub records: Vec<DynamoDbEventRecord>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One change to the table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamoDbEventRecord {
    /// Unique id of the record (`eventID`).
    #[serde(rename = "eventID", default)]
    pub event_id: String,
    /// `INSERT`, `MODIFY` or `REMOVE` (see [`DynamoDbEventRecord::operation`]).
    #[serde(default)]
    pub event_name: String,
    /// Stream record format version (`1.1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_version: Option<String>,
    /// Always `aws:dynamodb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// Region of the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// The change itself: keys, images and metadata.
    #[serde(default)]
    pub dynamodb: StreamRecord,
    /// ARN of the stream (`eventSourceARN`).
    #[serde(rename = "eventSourceARN", default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// Who made the change; present for deletions by Time To Live (`dynamodb.amazonaws.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_identity: Option<DynamoDbUserIdentity>,
    /// Record format, for records delivered through Kinesis Data Streams (`application/json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_format: Option<String>,
    /// Table name, for records delivered through Kinesis Data Streams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The kind of change a stream record describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationType {
    /// `INSERT`: a new item.
    Insert,
    /// `MODIFY`: an existing item changed.
    Modify,
    /// `REMOVE`: an item was deleted.
    Remove,
}

impl DynamoDbEventRecord {
    /// The kind of change, or `None` for an unknown `eventName`.
    pub fn operation(&self) -> Option<OperationType> {
        match self.event_name.as_str() {
            "INSERT" => Some(OperationType::Insert),
            "MODIFY" => Some(OperationType::Modify),
            "REMOVE" => Some(OperationType::Remove),
            _ => None,
        }
    }

    /// Whether Time To Live deleted the item (a `REMOVE` made by the DynamoDB service).
    pub fn is_ttl_delete(&self) -> bool {
        self.user_identity.as_ref().is_some_and(|u| {
            u.identity_type.as_deref() == Some("Service") && u.principal_id.as_deref() == Some("dynamodb.amazonaws.com")
        })
    }
}

/// The identity behind a change (only set for Time To Live deletions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamoDbUserIdentity {
    /// `Service`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub identity_type: Option<String>,
    /// `dynamodb.amazonaws.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The `dynamodb` object of a stream record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamRecord {
    /// When the change was made, epoch seconds (see [`StreamRecord::approximate_creation_time`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::encoding::epoch_seconds::option"
    )]
    pub approximate_creation_date_time: Option<f64>,
    /// The primary key of the item.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub keys: PresenceMap<String, AttributeValue>,
    /// The item after the change (`NEW_IMAGE` and `NEW_AND_OLD_IMAGES` streams).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub new_image: PresenceMap<String, AttributeValue>,
    /// The item before the change (`OLD_IMAGE` and `NEW_AND_OLD_IMAGES` streams).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub old_image: PresenceMap<String, AttributeValue>,
    /// Sequence number of the record in the stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
    /// Size of the record in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<i64>,
    /// `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_view_type: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl StreamRecord {
    /// When the change was made.
    pub fn approximate_creation_time(&self) -> Option<SystemTime> {
        self.approximate_creation_date_time.and_then(from_epoch_seconds)
    }
}

/// The partial batch response for a DynamoDB Streams event source mapping.
///
/// Name the sequence number of the first failed record; Lambda retries from there. An empty list
/// (the [`Default`]) means the whole batch succeeded.
///
/// ```
/// use lambda_fn_events::dynamodb::DynamoDbEventResponse;
/// let response = DynamoDbEventResponse::from_failed_ids(["111"]);
/// assert_eq!(
///     serde_json::to_string(&response).unwrap(),
///     r#"{"batchItemFailures":[{"itemIdentifier":"111"}]}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamoDbEventResponse {
    /// The failed records (`batchItemFailures`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub batch_item_failures: Vec<DynamoDbBatchItemFailure>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One failed record of a partial batch response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamoDbBatchItemFailure {
    /// The sequence number of the failed record.
    pub item_identifier: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl DynamoDbBatchItemFailure {
    /// A failure for the record with this sequence number.
    pub fn new(sequence_number: impl Into<String>) -> Self {
        DynamoDbBatchItemFailure {
            item_identifier: sequence_number.into(),
            other: OtherFields::new(),
        }
    }
}

impl DynamoDbEventResponse {
    /// A response reporting these sequence numbers as failed.
    pub fn from_failed_ids<I, S>(sequence_numbers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        DynamoDbEventResponse {
            batch_item_failures: sequence_numbers
                .into_iter()
                .map(DynamoDbBatchItemFailure::new)
                .collect(),
            other: OtherFields::new(),
        }
    }

    /// Adds one failed sequence number.
    pub fn add_failure(&mut self, sequence_number: impl Into<String>) {
        self.batch_item_failures
            .push(DynamoDbBatchItemFailure::new(sequence_number));
    }
}
