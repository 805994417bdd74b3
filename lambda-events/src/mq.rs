//! Amazon MQ: the events Lambda receives from ActiveMQ and RabbitMQ brokers.
//!
//! Message bodies arrive base64-encoded and are decoded into [`Base64Data`].
//!
//! ```
//! use lambda_fn_events::mq::RabbitMqEvent;
//!
//! let event: RabbitMqEvent = serde_json::from_str(r#"{
//!     "eventSource": "aws:rmq", "eventSourceArn": "arn:aws:mq:us-east-1:123456789012:broker:b:b-1",
//!     "rmqMessagesByQueue": {"orders::/": [{
//!         "basicProperties": {"contentType": "text/plain", "headers": {"h": {"bytes": [104, 105]}},
//!                             "deliveryMode": 1, "bodySize": 5},
//!         "redelivered": false, "data": "aGVsbG8="
//!     }]}
//! }"#).unwrap();
//! let (queue, vhost, message) = event.messages().next().unwrap();
//! assert_eq!((queue, vhost), ("orders", "/"));
//! assert_eq!(message.data.as_ref(), b"hello");
//! assert_eq!(message.basic_properties.header_bytes("h").as_deref(), Some(&b"hi"[..]));
//! ```

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::encoding::{Base64Data, OtherFields, PresenceMap, from_epoch_millis, null_as_default};

/// The event an Amazon MQ for ActiveMQ event source mapping sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveMqEvent {
    /// Always `aws:mq`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// ARN of the broker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// The messages.
    #[serde(default, deserialize_with = "null_as_default")]
    pub messages: Vec<ActiveMqMessage>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One ActiveMQ (JMS) message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveMqMessage {
    /// JMS message id (`messageID`).
    #[serde(rename = "messageID", default)]
    pub message_id: String,
    /// `jms/text-message` or `jms/bytes-message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<String>,
    /// When the message was sent, epoch milliseconds (see [`ActiveMqMessage::time`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// JMS delivery mode (1 non-persistent, 2 persistent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_mode: Option<i64>,
    /// JMS correlation id (`correlationID`).
    #[serde(rename = "correlationID", default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// JMS reply-to destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// The destination the message was sent to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<ActiveMqDestination>,
    /// Whether the message is being redelivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redelivered: Option<bool>,
    /// JMS message type set by the sender.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub jms_type: Option<String>,
    /// Expiration, epoch milliseconds (0: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<i64>,
    /// JMS priority (0-9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// The body (base64 on the wire, decoded here).
    #[serde(default)]
    pub data: Base64Data,
    /// When the broker received the message, epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_in_time: Option<i64>,
    /// When the broker dispatched the message, epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_out_time: Option<i64>,
    /// Application properties.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub properties: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl ActiveMqMessage {
    /// When the message was sent.
    pub fn time(&self) -> Option<SystemTime> {
        self.timestamp.map(from_epoch_millis)
    }

    /// The body as UTF-8 text, when it is (text messages).
    pub fn data_str(&self) -> Option<&str> {
        std::str::from_utf8(self.data.as_ref()).ok()
    }
}

/// An ActiveMQ destination.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveMqDestination {
    /// Queue or topic name.
    #[serde(default)]
    pub physical_name: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The event an Amazon MQ for RabbitMQ event source mapping sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RabbitMqEvent {
    /// Always `aws:rmq`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// ARN of the broker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// Messages grouped by `queue::virtual-host` (see [`RabbitMqEvent::messages`]).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub rmq_messages_by_queue: PresenceMap<String, Vec<RabbitMqMessage>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl RabbitMqEvent {
    /// Every message with its queue name and virtual host (split from the `queue::vhost` key).
    pub fn messages(&self) -> impl Iterator<Item = (&str, &str, &RabbitMqMessage)> {
        self.rmq_messages_by_queue.iter().flat_map(|(key, messages)| {
            let (queue, vhost) = key.rsplit_once("::").unwrap_or((key.as_str(), ""));
            messages.iter().map(move |m| (queue, vhost, m))
        })
    }
}

/// One RabbitMQ message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RabbitMqMessage {
    /// AMQP basic properties.
    #[serde(default)]
    pub basic_properties: RabbitMqBasicProperties,
    /// Whether the message is being redelivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redelivered: Option<bool>,
    /// The body (base64 on the wire, decoded here).
    #[serde(default)]
    pub data: Base64Data,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl RabbitMqMessage {
    /// The body as UTF-8 text, when it is.
    pub fn data_str(&self) -> Option<&str> {
        std::str::from_utf8(self.data.as_ref()).ok()
    }
}

/// AMQP basic properties of a RabbitMQ message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RabbitMqBasicProperties {
    /// MIME content type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Content encoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
    /// Headers; string values arrive as `{"bytes": [...]}` (see
    /// [`RabbitMqBasicProperties::header_bytes`]), numbers and booleans as themselves.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, serde_json::Value>,
    /// 1 non-persistent, 2 persistent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_mode: Option<i64>,
    /// Priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// Correlation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Reply-to queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Expiration (milliseconds, as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<String>,
    /// Message id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Timestamp, as the broker formats it (`Jan 1, 1970, 12:33:41 AM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Message type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<String>,
    /// Id of the user that published the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Id of the publishing application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Cluster id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    /// Size of the body in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_size: Option<i64>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl RabbitMqBasicProperties {
    /// The bytes of a header sent as `{"bytes": [...]}` (or as a plain string).
    pub fn header_bytes(&self, name: &str) -> Option<Vec<u8>> {
        match self.headers.get(name)? {
            serde_json::Value::String(s) => Some(s.as_bytes().to_vec()),
            serde_json::Value::Object(o) => o
                .get("bytes")?
                .as_array()?
                .iter()
                .map(|n| {
                    n.as_i64()
                        .and_then(|n| u8::try_from(if n < 0 { n + 256 } else { n }).ok())
                })
                .collect(),
            _ => None,
        }
    }

    /// A header as UTF-8 text (decoding the `{"bytes": [...]}` form).
    pub fn header_str(&self, name: &str) -> Option<String> {
        String::from_utf8(self.header_bytes(name)?).ok()
    }
}
