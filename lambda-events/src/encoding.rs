//! Encodings shared by many event sources: base64 payloads, `null`-tolerant maps, timestamps.
//!
//! Event modules use these through `#[serde(with = ...)]` / `deserialize_with`, and expose typed
//! accessors built on them, so users rarely need to touch this module directly.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Fields of an event that this crate has no typed field for.
///
/// Every struct flattens one of these, so a decode followed by an encode gives back every field AWS
/// sent, including ones added after this crate was written.
pub type OtherFields = serde_json::Map<String, serde_json::Value>;

/// Decodes `null` as `T::default()`, for maps and lists that AWS sometimes sends as `null`.
///
/// ```
/// # use std::collections::HashMap;
/// #[derive(serde::Deserialize)]
/// struct E {
///     #[serde(default, deserialize_with = "lambda_events::encoding::null_as_default")]
///     headers: HashMap<String, String>,
/// }
/// let e: E = serde_json::from_str(r#"{"headers": null}"#).unwrap();
/// assert!(e.headers.is_empty());
/// ```
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Binary data carried as a standard base64 string (Kinesis records, DynamoDB `B`, Firehose data).
///
/// ```
/// use lambda_events::encoding::Base64Data;
/// let data: Base64Data = serde_json::from_str(r#""aGVsbG8=""#).unwrap();
/// assert_eq!(data.as_ref(), b"hello");
/// assert_eq!(serde_json::to_string(&data).unwrap(), r#""aGVsbG8=""#);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64Data(pub Vec<u8>);

impl fmt::Debug for Base64Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Data({} bytes)", self.0.len())
    }
}

impl AsRef<[u8]> for Base64Data {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64Data {
    fn from(bytes: Vec<u8>) -> Self {
        Base64Data(bytes)
    }
}

impl Serialize for Base64Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Data {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        STANDARD
            .decode(text.as_bytes())
            .map(Base64Data)
            .map_err(|e| serde::de::Error::custom(format_args!("invalid base64 data: {e}")))
    }
}

/// A body that could not be decoded from base64.
#[derive(Debug)]
pub struct BodyDecodeError(base64::DecodeError);

impl fmt::Display for BodyDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "body is marked isBase64Encoded but is not valid base64: {}", self.0)
    }
}

impl std::error::Error for BodyDecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// The bytes of an HTTP-style body, decoding base64 when `is_base64_encoded` says so.
///
/// A missing body is empty. Text bodies are borrowed, not copied.
///
/// ```
/// use lambda_events::encoding::decode_body;
/// assert_eq!(decode_body(Some("aGk="), true).unwrap().as_ref(), b"hi");
/// assert_eq!(decode_body(Some("hi"), false).unwrap().as_ref(), b"hi");
/// assert!(decode_body(None, false).unwrap().is_empty());
/// ```
pub fn decode_body(body: Option<&str>, is_base64_encoded: bool) -> Result<Cow<'_, [u8]>, BodyDecodeError> {
    match body {
        None => Ok(Cow::Borrowed(&[])),
        Some(text) if is_base64_encoded => STANDARD.decode(text).map(Cow::Owned).map_err(BodyDecodeError),
        Some(text) => Ok(Cow::Borrowed(text.as_bytes())),
    }
}

/// Encodes bytes as standard base64, as AWS expects for binary response bodies.
pub fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Parses an ISO 8601 / RFC 3339 timestamp as AWS writes them (`2019-03-18T20:05:27.123Z`).
///
/// Returns `None` when the text is not such a timestamp.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// let t = lambda_events::encoding::parse_rfc3339("1970-01-01T00:00:01.5Z").unwrap();
/// assert_eq!(t, UNIX_EPOCH + Duration::from_millis(1500));
/// ```
pub fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(text).ok()
}

/// Converts milliseconds since the Unix epoch, as many AWS events carry them, to a `SystemTime`.
///
/// Negative values (before 1970) are supported.
pub fn from_epoch_millis(millis: i64) -> SystemTime {
    let magnitude = Duration::from_millis(millis.unsigned_abs());
    if millis >= 0 { UNIX_EPOCH + magnitude } else { UNIX_EPOCH - magnitude }
}

/// Converts seconds since the Unix epoch (possibly fractional, as DynamoDB and Kinesis send them).
///
/// Returns `None` for values that are not finite or out of range.
pub fn from_epoch_seconds(seconds: f64) -> Option<SystemTime> {
    let magnitude = Duration::try_from_secs_f64(seconds.abs()).ok()?;
    if seconds >= 0.0 { UNIX_EPOCH.checked_add(magnitude) } else { UNIX_EPOCH.checked_sub(magnitude) }
}
