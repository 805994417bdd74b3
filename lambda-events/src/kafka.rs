//! Apache Kafka: the event Lambda receives from Amazon MSK or a self-managed Kafka cluster.
//!
//! Records are grouped by `topic-partition`. Keys and values arrive base64-encoded and are decoded
//! into [`Base64Data`]; header values arrive as arrays of byte values.
//!
//! ```
//! use lambda_fn_events::kafka::KafkaEvent;
//!
//! let event: KafkaEvent = serde_json::from_str(r#"{
//!     "eventSource": "SelfManagedKafka", "bootstrapServers": "b-1:9092",
//!     "records": {"orders-0": [{
//!         "topic": "orders", "partition": 0, "offset": 15, "timestamp": 1700000000000,
//!         "timestampType": "CREATE_TIME", "key": "azE=", "value": "aGVsbG8=",
//!         "headers": [{"trace": [97, 98]}]
//!     }]}
//! }"#).unwrap();
//! let record = event.all_records().next().unwrap();
//! assert_eq!(record.value.as_ref().unwrap().as_ref(), b"hello");
//! assert_eq!(record.header("trace"), Some(&b"ab"[..]));
//! ```

use std::collections::HashMap;
use std::fmt;
use std::time::SystemTime;

use serde::de::{Error as _, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::encoding::{Base64Data, OtherFields, PresenceMap, from_epoch_millis, null_as_default};

/// The event a Kafka event source mapping (MSK or self-managed) sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KafkaEvent {
    /// `aws:kafka` for MSK, `SelfManagedKafka` for a self-managed cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// ARN of the MSK cluster (absent for self-managed clusters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// Comma-separated bootstrap brokers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap_servers: Option<String>,
    /// Records grouped by `topic-partition` (e.g. `orders-0`).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub records: PresenceMap<String, Vec<KafkaRecord>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl KafkaEvent {
    /// Every record of the batch, whatever its partition (partitions in no particular order; records
    /// of one partition in offset order).
    pub fn all_records(&self) -> impl Iterator<Item = &KafkaRecord> {
        self.records.values().flatten()
    }
}

/// One Kafka record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KafkaRecord {
    /// The topic.
    #[serde(default)]
    pub topic: String,
    /// The partition.
    #[serde(default)]
    pub partition: i64,
    /// The offset within the partition.
    #[serde(default)]
    pub offset: i64,
    /// Record timestamp, epoch milliseconds (see [`KafkaRecord::time`]).
    #[serde(default)]
    pub timestamp: i64,
    /// `CREATE_TIME` or `LOG_APPEND_TIME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_type: Option<String>,
    /// The key (base64 on the wire), when the record has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Base64Data>,
    /// The value (base64 on the wire); absent or null for tombstones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Base64Data>,
    /// Headers: a list of single-entry maps from name to the value's bytes.
    #[serde(default, deserialize_with = "null_as_default")]
    pub headers: Vec<HashMap<String, KafkaHeaderValue>>,
    /// Fields this crate has no typed field for (schema registry metadata, ...).
    #[serde(flatten)]
    pub other: OtherFields,
}

impl KafkaRecord {
    /// The record timestamp.
    pub fn time(&self) -> SystemTime {
        from_epoch_millis(self.timestamp)
    }

    /// The first header with this name, as bytes.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers.iter().find_map(|h| h.get(name)).map(|v| v.0.as_slice())
    }

    /// The first header with this name, as UTF-8 text.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// The value as UTF-8 text, when there is one and it is.
    pub fn value_str(&self) -> Option<&str> {
        self.value.as_ref().and_then(|v| std::str::from_utf8(v.as_ref()).ok())
    }

    /// The key as UTF-8 text, when there is one and it is.
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_ref().and_then(|v| std::str::from_utf8(v.as_ref()).ok())
    }
}

/// The bytes of a Kafka header value, sent as a JSON array of numbers (`[104, 105]`).
///
/// Decoding also accepts Java's signed bytes (-128..=-1) as their unsigned equivalents; encoding
/// always writes unsigned values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct KafkaHeaderValue(pub Vec<u8>);

impl AsRef<[u8]> for KafkaHeaderValue {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for KafkaHeaderValue {
    fn from(bytes: Vec<u8>) -> Self {
        KafkaHeaderValue(bytes)
    }
}

impl From<&str> for KafkaHeaderValue {
    fn from(text: &str) -> Self {
        KafkaHeaderValue(text.as_bytes().to_vec())
    }
}

impl Serialize for KafkaHeaderValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(&self.0)
    }
}

impl<'de> Deserialize<'de> for KafkaHeaderValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;
        impl<'de> Visitor<'de> for BytesVisitor {
            type Value = KafkaHeaderValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of byte values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KafkaHeaderValue, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(n) = seq.next_element::<i64>()? {
                    let byte = match n {
                        0..=255 => n as u8,
                        -128..=-1 => (n + 256) as u8,
                        _ => return Err(A::Error::custom(format_args!("{n} is not a byte value"))),
                    };
                    bytes.push(byte);
                }
                Ok(KafkaHeaderValue(bytes))
            }
        }
        deserializer.deserialize_seq(BytesVisitor)
    }
}
