//! Amazon SNS: the event Lambda receives from a topic subscription, and SNS notifications delivered
//! through SQS.
//!
//! [`SnsEvent`] is what a Lambda subscription delivers (PascalCase fields under `Records[].Sns`).
//! A queue subscribed to a topic without raw message delivery receives the same notification as JSON
//! text in each SQS body: decode it with [`SnsMessage::from_sqs_body`] (or
//! `SqsMessage::sns_notification()` when the `sqs` feature is on). [`SnsEventObj`] decodes each
//! `Message` as JSON into your own type.
//!
//! SNS spells two keys differently depending on the delivery (`SigningCertUrl` / `SigningCertURL`,
//! `UnsubscribeUrl` / `UnsubscribeURL`); both decode into [`SnsUrls`], and encoding writes back the
//! spelling that was read.
//!
//! ```
//! use lambda_fn_events::sns::SnsEvent;
//!
//! let event: SnsEvent = serde_json::from_str(r#"{"Records": [{
//!     "EventSource": "aws:sns", "EventVersion": "1.0",
//!     "EventSubscriptionArn": "arn:aws:sns:us-east-1:123456789012:topic:1234",
//!     "Sns": {
//!         "Type": "Notification", "MessageId": "id-1",
//!         "TopicArn": "arn:aws:sns:us-east-1:123456789012:topic",
//!         "Subject": null, "Message": "hello", "Timestamp": "2024-01-02T03:04:05.678Z",
//!         "SignatureVersion": "1", "Signature": "sig",
//!         "SigningCertUrl": "https://example.com/cert.pem",
//!         "UnsubscribeUrl": "https://example.com/unsubscribe",
//!         "MessageAttributes": {"color": {"Type": "String", "Value": "blue"}}
//!     }
//! }]}"#).unwrap();
//! let sns = &event.records[0].sns;
//! assert_eq!(sns.message, "hello");
//! assert_eq!(sns.message_attributes["color"].value, "blue");
//! assert_eq!(sns.signing_cert_url(), Some("https://example.com/cert.pem"));
//! assert!(sns.timestamp().is_some());
//! ```

use std::fmt;
use std::time::SystemTime;

use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::encoding::{OtherFields, PresenceMap, null_as_default, parse_iso8601};

/// The event an SNS subscription sends to Lambda.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SnsEvent {
    /// The notifications (`Records`), one per invocation in practice.
    #[serde(rename = "Records", default, deserialize_with = "null_as_default")]
    pub records: Vec<SnsRecord>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One record of an [`SnsEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SnsRecord {
    /// Always `aws:sns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// Event schema version (`1.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_version: Option<String>,
    /// ARN of the subscription that delivered this notification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_subscription_arn: Option<String>,
    /// The notification itself.
    pub sns: SnsMessage,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An SNS notification: the `Sns` object of a Lambda record, or the JSON body SNS puts in an SQS
/// message (and posts to HTTP endpoints).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SnsMessage {
    /// `Notification` (or `SubscriptionConfirmation` / `UnsubscribeConfirmation` for HTTP endpoints).
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<String>,
    /// Unique id of the published message.
    #[serde(default)]
    pub message_id: String,
    /// ARN of the topic.
    #[serde(default)]
    pub topic_arn: String,
    /// The subject, when the publisher set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The message text (see [`SnsMessage::message_json`]).
    #[serde(default)]
    pub message: String,
    /// When the message was published, ISO 8601 (see [`SnsMessage::timestamp()`]).
    #[serde(default)]
    pub timestamp: String,
    /// Version of the signature scheme (`1` or `2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_version: Option<String>,
    /// Base64 signature of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Sequence number, for FIFO topics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
    /// Message attributes set by the publisher.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub message_attributes: PresenceMap<String, SnsMessageAttribute>,
    /// The signing certificate and unsubscribe URLs, whatever their spelling.
    #[serde(flatten)]
    pub urls: SnsUrls,
    /// Fields this crate has no typed field for (`Token`, `SubscribeURL`, ...).
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A message attribute of an SNS notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SnsMessageAttribute {
    /// `String`, `String.Array`, `Number` or `Binary`.
    #[serde(rename = "Type", default)]
    pub data_type: String,
    /// The value as text (binary values are base64).
    #[serde(default)]
    pub value: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// How a notification spells its URL keys; encoding writes back the spelling that was decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SnsUrlKeyStyle {
    /// `SigningCertUrl` / `UnsubscribeUrl`, as in Lambda's SNS event.
    #[default]
    CamelUrl,
    /// `SigningCertURL` / `UnsubscribeURL`, as in notifications delivered to SQS and HTTP.
    UpperUrl,
}

/// The two URLs of an SNS notification, whichever way they were spelled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnsUrls {
    /// URL of the certificate that signed the message.
    pub signing_cert_url: Option<String>,
    /// URL that unsubscribes the endpoint from the topic.
    pub unsubscribe_url: Option<String>,
    /// Which spelling was read (and is written).
    pub key_style: SnsUrlKeyStyle,
}

const URL_KEYS: &[&str] = &["SigningCertUrl", "SigningCertURL", "UnsubscribeUrl", "UnsubscribeURL"];

impl<'de> Deserialize<'de> for SnsUrls {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UrlsVisitor;
        impl<'de> Visitor<'de> for UrlsVisitor {
            type Value = SnsUrls;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("SNS URL fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SnsUrls, A::Error> {
                let mut urls = SnsUrls::default();
                let mut style = None;
                while let Some(key) = map.next_key::<String>()? {
                    let (slot, key_style) = match key.as_str() {
                        "SigningCertUrl" => (&mut urls.signing_cert_url, SnsUrlKeyStyle::CamelUrl),
                        "SigningCertURL" => (&mut urls.signing_cert_url, SnsUrlKeyStyle::UpperUrl),
                        "UnsubscribeUrl" => (&mut urls.unsubscribe_url, SnsUrlKeyStyle::CamelUrl),
                        "UnsubscribeURL" => (&mut urls.unsubscribe_url, SnsUrlKeyStyle::UpperUrl),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    *slot = map.next_value::<Option<String>>()?;
                    style.get_or_insert(key_style);
                }
                urls.key_style = style.unwrap_or_default();
                Ok(urls)
            }
        }
        deserializer.deserialize_struct("SnsUrls", URL_KEYS, UrlsVisitor)
    }
}

impl Serialize for SnsUrls {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (cert_key, unsubscribe_key) = match self.key_style {
            SnsUrlKeyStyle::CamelUrl => ("SigningCertUrl", "UnsubscribeUrl"),
            SnsUrlKeyStyle::UpperUrl => ("SigningCertURL", "UnsubscribeURL"),
        };
        let len = usize::from(self.signing_cert_url.is_some()) + usize::from(self.unsubscribe_url.is_some());
        let mut map = serializer.serialize_map(Some(len))?;
        if let Some(url) = &self.signing_cert_url {
            map.serialize_entry(cert_key, url)?;
        }
        if let Some(url) = &self.unsubscribe_url {
            map.serialize_entry(unsubscribe_key, url)?;
        }
        map.end()
    }
}

impl SnsMessage {
    /// Decodes an SNS notification from the body of an SQS message (a queue subscribed to a topic
    /// without raw message delivery).
    ///
    /// ```
    /// use lambda_fn_events::sns::SnsMessage;
    /// let body = r#"{"Type":"Notification","MessageId":"m","TopicArn":"arn:aws:sns:us-east-1:1:t",
    ///   "Message":"{\"n\":1}","Timestamp":"2024-01-02T03:04:05Z","SignatureVersion":"1",
    ///   "Signature":"s","SigningCertURL":"https://c","UnsubscribeURL":"https://u"}"#;
    /// let sns = SnsMessage::from_sqs_body(body).unwrap();
    /// assert_eq!(sns.unsubscribe_url(), Some("https://u"));
    /// let inner: serde_json::Value = sns.message_json().unwrap();
    /// assert_eq!(inner["n"], 1);
    /// ```
    pub fn from_sqs_body(body: &str) -> Result<SnsMessage, serde_json::Error> {
        serde_json::from_str(body)
    }

    /// Decodes the message text as JSON into `T`.
    pub fn message_json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.message)
    }

    /// When the message was published.
    pub fn timestamp(&self) -> Option<SystemTime> {
        parse_iso8601(&self.timestamp)
    }

    /// URL of the signing certificate (`SigningCertUrl` or `SigningCertURL`).
    pub fn signing_cert_url(&self) -> Option<&str> {
        self.urls.signing_cert_url.as_deref()
    }

    /// URL that unsubscribes the endpoint (`UnsubscribeUrl` or `UnsubscribeURL`).
    pub fn unsubscribe_url(&self) -> Option<&str> {
        self.urls.unsubscribe_url.as_deref()
    }
}

/// An [`SnsEvent`] whose messages are JSON documents decoded into `T`.
///
/// Encoding writes each message back as compact JSON text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: DeserializeOwned"))]
pub struct SnsEventObj<T> {
    /// The notifications (`Records`).
    #[serde(rename = "Records", default, deserialize_with = "null_as_default")]
    pub records: Vec<SnsRecordObj<T>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One record of an [`SnsEventObj`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: DeserializeOwned"))]
pub struct SnsRecordObj<T> {
    /// Always `aws:sns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// Event schema version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_version: Option<String>,
    /// ARN of the subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_subscription_arn: Option<String>,
    /// The notification, with its message decoded.
    pub sns: SnsMessageObj<T>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An [`SnsMessage`] whose `Message` is a JSON document decoded into `T`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: DeserializeOwned"))]
pub struct SnsMessageObj<T> {
    /// `Notification`.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<String>,
    /// Unique id of the published message.
    #[serde(default)]
    pub message_id: String,
    /// ARN of the topic.
    #[serde(default)]
    pub topic_arn: String,
    /// The subject, when the publisher set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The message, decoded from its JSON text.
    #[serde(with = "crate::encoding::json_string")]
    pub message: T,
    /// When the message was published, ISO 8601.
    #[serde(default)]
    pub timestamp: String,
    /// Version of the signature scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_version: Option<String>,
    /// Base64 signature of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Sequence number, for FIFO topics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
    /// Message attributes set by the publisher.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub message_attributes: PresenceMap<String, SnsMessageAttribute>,
    /// The signing certificate and unsubscribe URLs.
    #[serde(flatten)]
    pub urls: SnsUrls,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl<T> SnsMessageObj<T> {
    /// When the message was published.
    pub fn timestamp(&self) -> Option<SystemTime> {
        parse_iso8601(&self.timestamp)
    }
}
