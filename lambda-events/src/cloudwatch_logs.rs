//! Amazon CloudWatch Logs subscription filters: the event, and its gzip + base64 payload.
//!
//! A subscription delivers `{"awslogs": {"data": "<base64 of gzipped JSON>"}}`.
//! [`LogsEvent::decode`] undoes both layers into a typed [`LogData`]; [`LogData::encode`] does the
//! reverse, to build test events. `decode` also reads payloads compressed with zlib instead of gzip
//! (as some forwarders write them), telling the two apart by their first bytes.
//!
//! ```
//! use lambda_fn_events::cloudwatch_logs::{LogData, LogEntry, LogsEvent};
//!
//! let data = LogData {
//!     owner: "123456789012".into(),
//!     log_group: "/aws/lambda/f".into(),
//!     log_stream: "2024/01/02/[$LATEST]abc".into(),
//!     subscription_filters: vec!["all".into()],
//!     message_type: "DATA_MESSAGE".into(),
//!     log_events: vec![LogEntry::new("1", 1_700_000_000_000, "hello")],
//!     ..Default::default()
//! };
//! let event: LogsEvent = data.encode().unwrap();
//! let decoded = event.decode().unwrap();
//! assert_eq!(decoded, data);
//! assert_eq!(decoded.log_events[0].message, "hello");
//! ```

use std::fmt;
use std::io::{Read, Write};
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::read::{GzDecoder, ZlibDecoder};
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

use crate::encoding::{OtherFields, from_epoch_millis, null_as_default};

/// The event a CloudWatch Logs subscription filter sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogsEvent {
    /// The compressed payload.
    #[serde(default)]
    pub awslogs: AwsLogs,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The `awslogs` object: the payload as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AwsLogs {
    /// Base64 of the gzipped JSON [`LogData`].
    #[serde(default)]
    pub data: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LogsEvent {
    /// Base64-decodes, decompresses and parses the payload.
    ///
    /// The payload is gzip as CloudWatch Logs sends it, or zlib: data starting with a zlib header
    /// is inflated as zlib, anything else as gzip.
    pub fn decode(&self) -> Result<LogData, LogsError> {
        let compressed = STANDARD.decode(self.awslogs.data.trim()).map_err(LogsError::Base64)?;
        let mut json = Vec::new();
        if is_zlib(&compressed) {
            ZlibDecoder::new(compressed.as_slice()).read_to_end(&mut json)
        } else {
            GzDecoder::new(compressed.as_slice()).read_to_end(&mut json)
        }
        .map_err(LogsError::Gzip)?;
        serde_json::from_slice(&json).map_err(LogsError::Json)
    }

    /// The event carrying `data` (the same as [`LogData::encode`]).
    pub fn from_data(data: &LogData) -> Result<LogsEvent, LogsError> {
        data.encode()
    }
}

/// Whether `bytes` start with a zlib header (RFC 1950): deflate with a window of at most 32 KiB,
/// and the two header bytes, read as a big-endian number, a multiple of 31. A gzip stream starts
/// with `1f 8b`, which is never such a header.
fn is_zlib(bytes: &[u8]) -> bool {
    match bytes {
        [cmf, flg, ..] => cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

/// The decoded payload of a [`LogsEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogData {
    /// Account that owns the log group.
    #[serde(default)]
    pub owner: String,
    /// Log group name.
    #[serde(default)]
    pub log_group: String,
    /// Log stream name.
    #[serde(default)]
    pub log_stream: String,
    /// Names of the subscription filters that matched.
    #[serde(default, deserialize_with = "null_as_default")]
    pub subscription_filters: Vec<String>,
    /// `DATA_MESSAGE`, or `CONTROL_MESSAGE` for the reachability checks CloudWatch sends (see
    /// [`LogData::is_control_message`]).
    #[serde(default)]
    pub message_type: String,
    /// The log events.
    #[serde(default, deserialize_with = "null_as_default")]
    pub log_events: Vec<LogEntry>,
    /// `ACCOUNT_LEVEL_POLICY` for account-level subscriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_level: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LogData {
    /// Whether this is a control message (sent to check the destination; carries no real logs).
    pub fn is_control_message(&self) -> bool {
        self.message_type == "CONTROL_MESSAGE"
    }

    /// Serializes, gzips and base64-encodes this payload into an event, as CloudWatch Logs does.
    pub fn encode(&self) -> Result<LogsEvent, LogsError> {
        let json = serde_json::to_vec(self).map_err(LogsError::Json)?;
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(&json).map_err(LogsError::Gzip)?;
        let compressed = encoder.finish().map_err(LogsError::Gzip)?;
        Ok(LogsEvent {
            awslogs: AwsLogs {
                data: STANDARD.encode(compressed),
                other: OtherFields::new(),
            },
            other: OtherFields::new(),
        })
    }
}

/// One log event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// Unique id of the log event.
    #[serde(default)]
    pub id: String,
    /// When it was logged, epoch milliseconds (see [`LogEntry::time`]).
    #[serde(default)]
    pub timestamp: i64,
    /// The log line.
    #[serde(default)]
    pub message: String,
    /// Fields extracted by the filter pattern, when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extracted_fields: Option<serde_json::Map<String, serde_json::Value>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LogEntry {
    /// A log event with this id, epoch-milliseconds timestamp and message.
    pub fn new(id: impl Into<String>, timestamp: i64, message: impl Into<String>) -> Self {
        LogEntry {
            id: id.into(),
            timestamp,
            message: message.into(),
            ..Default::default()
        }
    }

    /// When it was logged.
    pub fn time(&self) -> SystemTime {
        from_epoch_millis(self.timestamp)
    }
}

/// Why a [`LogsEvent`] payload could not be decoded (or encoded).
#[derive(Debug)]
pub enum LogsError {
    /// `awslogs.data` is not base64.
    Base64(base64::DecodeError),
    /// The data is not valid gzip, or starts like zlib but is not valid zlib (or compressing
    /// failed).
    Gzip(std::io::Error),
    /// The decompressed data is not the expected JSON (or could not be serialized).
    Json(serde_json::Error),
}

impl fmt::Display for LogsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogsError::Base64(e) => write!(f, "CloudWatch Logs data is not valid base64: {e}"),
            LogsError::Gzip(e) => write!(f, "CloudWatch Logs data is not valid gzip (or zlib): {e}"),
            LogsError::Json(e) => write!(f, "CloudWatch Logs data is not the expected JSON: {e}"),
        }
    }
}

impl std::error::Error for LogsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LogsError::Base64(e) => Some(e),
            LogsError::Gzip(e) => Some(e),
            LogsError::Json(e) => Some(e),
        }
    }
}
