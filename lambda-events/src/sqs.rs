//! Amazon SQS: the event Lambda receives from an SQS queue, and the partial batch response.
//!
//! [`SqsEvent`] is what an SQS event source mapping delivers; [`SqsBatchResponse`] tells Lambda which
//! messages failed (with `ReportBatchItemFailures` enabled) so only those return to the queue.
//! [`SqsEventObj`] decodes each body as JSON into your own type, and [`SqsApiEvent`] is the
//! PascalCase shape of the SQS `ReceiveMessage` API (what you get when polling a queue yourself).
//!
//! ```
//! use lambda_fn_events::sqs::{SqsBatchResponse, SqsEvent};
//!
//! let event: SqsEvent = serde_json::from_str(r#"{"Records": [{
//!     "messageId": "m1", "receiptHandle": "rh", "body": "{\"n\": 3}",
//!     "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1520621625029"},
//!     "messageAttributes": {}, "md5OfBody": "x", "eventSource": "aws:sqs",
//!     "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q", "awsRegion": "us-east-1"
//! }]}"#).unwrap();
//! let message = &event.records[0];
//! assert_eq!(message.approximate_receive_count(), Some(1));
//! let body: serde_json::Value = message.body_json().unwrap();
//! assert_eq!(body["n"], 3);
//!
//! let response = SqsBatchResponse::from_failed_ids(["m1"]);
//! assert_eq!(
//!     serde_json::to_string(&response).unwrap(),
//!     r#"{"batchItemFailures":[{"itemIdentifier":"m1"}]}"#
//! );
//! ```

use std::time::SystemTime;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::encoding::{Base64Data, OtherFields, PresenceMap, from_epoch_millis, null_as_default};

/// The event an SQS event source mapping sends: a batch of messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SqsEvent {
    /// The messages of this batch (`Records`).
    #[serde(rename = "Records", default, deserialize_with = "null_as_default")]
    pub records: Vec<SqsMessage>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One SQS message as Lambda delivers it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SqsMessage {
    /// The message id (`messageId`); this is what [`SqsBatchResponse`] reports as failed.
    #[serde(default)]
    pub message_id: String,
    /// The receipt handle used to delete or change the visibility of the message.
    #[serde(default)]
    pub receipt_handle: String,
    /// The message body, as sent (often JSON text; see [`SqsMessage::body_json`]).
    #[serde(default)]
    pub body: String,
    /// MD5 digest of the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5_of_body: Option<String>,
    /// MD5 digest of the message attributes, when there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5_of_message_attributes: Option<String>,
    /// System attributes (`ApproximateReceiveCount`, `SentTimestamp`, `SenderId`, `MessageGroupId`, ...),
    /// all as strings. See the typed accessors on [`SqsMessage`].
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub attributes: PresenceMap<String, String>,
    /// User-defined message attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub message_attributes: PresenceMap<String, SqsMessageAttribute>,
    /// Always `aws:sqs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// ARN of the queue (`eventSourceARN`).
    #[serde(rename = "eventSourceARN", default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// Region of the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A user-defined SQS message attribute (camelCase, as Lambda sends it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SqsMessageAttribute {
    /// The value of a `String` or `Number` attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_value: Option<String>,
    /// The value of a `Binary` attribute (base64 on the wire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binary_value: Option<Base64Data>,
    /// Reserved by SQS; Lambda sends an empty list.
    #[serde(default, deserialize_with = "null_as_default")]
    pub string_list_values: Vec<String>,
    /// Reserved by SQS; Lambda sends an empty list.
    #[serde(default, deserialize_with = "null_as_default")]
    pub binary_list_values: Vec<Base64Data>,
    /// `String`, `Number` or `Binary`, optionally with a custom suffix (`Number.float`).
    #[serde(default)]
    pub data_type: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl SqsMessage {
    /// Decodes the body as JSON into `T`.
    pub fn body_json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.body)
    }

    /// A system attribute by name (`ApproximateReceiveCount`, `MessageGroupId`, ...).
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// How many times the message has been received (`ApproximateReceiveCount`), 1 on first delivery.
    pub fn approximate_receive_count(&self) -> Option<u32> {
        self.attribute("ApproximateReceiveCount")?.parse().ok()
    }

    /// When the message was sent (`SentTimestamp`, epoch milliseconds).
    pub fn sent_timestamp(&self) -> Option<SystemTime> {
        self.attribute("SentTimestamp")?.parse().ok().map(from_epoch_millis)
    }

    /// When the message was first received (`ApproximateFirstReceiveTimestamp`, epoch milliseconds).
    pub fn approximate_first_receive_timestamp(&self) -> Option<SystemTime> {
        self.attribute("ApproximateFirstReceiveTimestamp")?
            .parse()
            .ok()
            .map(from_epoch_millis)
    }

    /// The message group of a FIFO queue message (`MessageGroupId`).
    pub fn message_group_id(&self) -> Option<&str> {
        self.attribute("MessageGroupId")
    }

    /// The deduplication id of a FIFO queue message (`MessageDeduplicationId`).
    pub fn message_deduplication_id(&self) -> Option<&str> {
        self.attribute("MessageDeduplicationId")
    }

    /// Decodes the body as an SNS notification, for a queue subscribed to an SNS topic without raw
    /// message delivery.
    #[cfg(feature = "sns")]
    pub fn sns_notification(&self) -> Result<crate::sns::SnsMessage, serde_json::Error> {
        crate::sns::SnsMessage::from_sqs_body(&self.body)
    }
}

/// An [`SqsEvent`] whose message bodies are JSON documents decoded into `T`.
///
/// Encoding writes each body back as compact JSON text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: DeserializeOwned"))]
pub struct SqsEventObj<T> {
    /// The messages of this batch (`Records`).
    #[serde(rename = "Records", default, deserialize_with = "null_as_default")]
    pub records: Vec<SqsMessageObj<T>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An [`SqsMessage`] whose body is a JSON document decoded into `T`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: DeserializeOwned"))]
pub struct SqsMessageObj<T> {
    /// The message id.
    #[serde(default)]
    pub message_id: String,
    /// The receipt handle.
    #[serde(default)]
    pub receipt_handle: String,
    /// The body, decoded from its JSON text.
    #[serde(with = "crate::encoding::json_string")]
    pub body: T,
    /// MD5 digest of the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5_of_body: Option<String>,
    /// MD5 digest of the message attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5_of_message_attributes: Option<String>,
    /// System attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub attributes: PresenceMap<String, String>,
    /// User-defined message attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub message_attributes: PresenceMap<String, SqsMessageAttribute>,
    /// Always `aws:sqs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// ARN of the queue.
    #[serde(rename = "eventSourceARN", default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// Region of the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The partial batch response: the messages that failed and should be retried.
///
/// An empty list (the [`Default`]) means the whole batch succeeded.
///
/// ```
/// use lambda_fn_events::sqs::SqsBatchResponse;
/// let mut response = SqsBatchResponse::default();
/// assert!(response.batch_item_failures.is_empty());
/// response.add_failure("id2");
/// assert_eq!(response.batch_item_failures[0].item_identifier, "id2");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SqsBatchResponse {
    /// The failed messages (`batchItemFailures`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub batch_item_failures: Vec<BatchItemFailure>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One failed message of a partial batch response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchItemFailure {
    /// The `messageId` of the failed message.
    pub item_identifier: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl BatchItemFailure {
    /// A failure for the message with this id.
    pub fn new(item_identifier: impl Into<String>) -> Self {
        BatchItemFailure {
            item_identifier: item_identifier.into(),
            other: OtherFields::new(),
        }
    }
}

impl SqsBatchResponse {
    /// A response reporting these message ids as failed.
    pub fn from_failed_ids<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        SqsBatchResponse {
            batch_item_failures: ids.into_iter().map(BatchItemFailure::new).collect(),
            other: OtherFields::new(),
        }
    }

    /// Adds one failed message id.
    pub fn add_failure(&mut self, message_id: impl Into<String>) {
        self.batch_item_failures.push(BatchItemFailure::new(message_id));
    }

    /// Whether no message failed.
    pub fn is_success(&self) -> bool {
        self.batch_item_failures.is_empty()
    }
}

impl<S: Into<String>> FromIterator<S> for SqsBatchResponse {
    fn from_iter<I: IntoIterator<Item = S>>(ids: I) -> Self {
        SqsBatchResponse::from_failed_ids(ids)
    }
}

/// The response of the SQS `ReceiveMessage` API (PascalCase), for code that polls a queue itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SqsApiEvent {
    /// The received messages (`Messages`).
    #[serde(rename = "Messages", default, deserialize_with = "null_as_default")]
    pub messages: Vec<SqsApiMessage>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One message of the SQS `ReceiveMessage` API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SqsApiMessage {
    /// The message id.
    #[serde(default)]
    pub message_id: String,
    /// The receipt handle.
    #[serde(default)]
    pub receipt_handle: String,
    /// The body text.
    #[serde(default)]
    pub body: String,
    /// MD5 digest of the body (`MD5OfBody`, as the API spells it; see [`SqsApiMessage::body_md5`]).
    #[serde(rename = "MD5OfBody", default, skip_serializing_if = "Option::is_none")]
    pub md5_of_body: Option<String>,
    /// MD5 digest of the message attributes (`MD5OfMessageAttributes`).
    #[serde(rename = "MD5OfMessageAttributes", default, skip_serializing_if = "Option::is_none")]
    pub md5_of_message_attributes: Option<String>,
    /// System attributes, when requested.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub attributes: PresenceMap<String, String>,
    /// User-defined message attributes, when requested.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub message_attributes: PresenceMap<String, SqsApiMessageAttribute>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl SqsApiMessage {
    /// Decodes the body as JSON into `T`.
    pub fn body_json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.body)
    }

    /// MD5 digest of the body, from `MD5OfBody` or the `Md5OfBody` spelling some SDKs write (which
    /// is kept in [`SqsApiMessage::other`]).
    pub fn body_md5(&self) -> Option<&str> {
        self.md5_of_body
            .as_deref()
            .or_else(|| self.other.get("Md5OfBody").and_then(|v| v.as_str()))
    }
}

/// A message attribute in the SQS API's PascalCase shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SqsApiMessageAttribute {
    /// The value of a `String` or `Number` attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_value: Option<String>,
    /// The value of a `Binary` attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binary_value: Option<Base64Data>,
    /// Reserved by SQS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_list_values: Option<Vec<String>>,
    /// Reserved by SQS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binary_list_values: Option<Vec<Base64Data>>,
    /// `String`, `Number` or `Binary`, optionally with a custom suffix.
    #[serde(default)]
    pub data_type: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
