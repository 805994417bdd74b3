//! Encodings shared by many event sources: base64 payloads, `null`-tolerant maps that remember whether
//! they were sent, timestamps (ISO 8601 text and epoch numbers), JSON carried inside strings, values
//! that are one string or a list, and values that are a string or a number.
//!
//! Event modules use these through `#[serde(with = ...)]` / `deserialize_with`, and expose typed
//! accessors built on them, so users rarely need to touch this module directly.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map;
use std::fmt;
use std::hash::Hash;
use std::ops::{Deref, DerefMut};
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
/// An empty value and an absent one are then the same; for maps, whose `{}` a payload may send
/// where it could leave the key out, [`PresenceMap`] keeps the two apart.
///
/// ```
/// # use std::collections::HashMap;
/// #[derive(serde::Deserialize)]
/// struct E {
///     #[serde(default, deserialize_with = "lambda_fn_events::encoding::null_as_default")]
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

/// A JSON object field that remembers whether the payload had it.
///
/// AWS sends many maps (headers, path parameters, session attributes, ...) as an object, as `{}`,
/// as `null` or not at all. A plain `HashMap` cannot tell `{}` from "absent", so encoding it again
/// either drops a `{}` that was sent or adds one that was not. A `PresenceMap` keeps that bit:
///
/// - decoding an object (even `{}`) gives a *present* map; `null` or a missing key (with
///   `#[serde(default)]`) gives an *absent*, empty one (AWS documents `null` and absent alike);
/// - a map is written when it is present or has entries, so decoding then encoding gives back
///   the same JSON. Pair it with `#[serde(default, skip_serializing_if = "PresenceMap::is_absent")]`;
///   without the `skip_serializing_if`, an absent map is written as `null`.
///
/// It dereferences to the `HashMap`, so lookups, iteration, `insert` and indexing work as on a
/// map. Inserting into an absent map makes it present; [`Default`], [`From<HashMap>`](From) and
/// [`FromIterator`] give a map that is written only when it has entries (as a `HashMap` with
/// `skip_serializing_if = "HashMap::is_empty"` was); [`PresenceMap::present`] and
/// [`PresenceMap::set_present`] make an empty map that is written as `{}`.
///
/// Equality compares the entries only, as for a `HashMap`: `{}` and an absent map hold the same data
/// (they differ in how they are written, which [`is_present`](PresenceMap::is_present) tells).
///
/// ```
/// use lambda_fn_events::encoding::PresenceMap;
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Event {
///     #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
///     headers: PresenceMap<String, String>,
/// }
/// for json in [r#"{"headers":{}}"#, r#"{}"#, r#"{"headers":{"a":"1"}}"#] {
///     let event: Event = serde_json::from_str(json).unwrap();
///     assert_eq!(serde_json::to_string(&event).unwrap(), json);
/// }
/// let event: Event = serde_json::from_str(r#"{"headers": null}"#).unwrap();
/// assert!(event.headers.is_empty() && event.headers.is_absent());
///
/// let mut built = Event { headers: PresenceMap::default() };
/// assert_eq!(serde_json::to_string(&built).unwrap(), "{}");
/// built.headers.insert("a".into(), "1".into());
/// assert_eq!(built.headers["a"], "1");
/// assert_eq!(serde_json::to_string(&built).unwrap(), r#"{"headers":{"a":"1"}}"#);
/// ```
#[derive(Clone)]
pub struct PresenceMap<K, V> {
    map: HashMap<K, V>,
    present: bool,
}

impl<K, V> PresenceMap<K, V> {
    /// An absent, empty map (not written unless entries are added).
    pub fn absent() -> Self {
        PresenceMap {
            map: HashMap::new(),
            present: false,
        }
    }

    /// A present map: written even when it is empty (as `{}`).
    pub fn present(map: HashMap<K, V>) -> Self {
        PresenceMap { map, present: true }
    }

    /// Whether the map is written when encoding: it was sent (even as `{}`), was marked present,
    /// or has entries.
    pub fn is_present(&self) -> bool {
        self.present || !self.map.is_empty()
    }

    /// The opposite of [`is_present`](Self::is_present): empty and neither sent nor marked
    /// present. For `skip_serializing_if`.
    pub fn is_absent(&self) -> bool {
        !self.is_present()
    }

    /// Marks the map present (written even when empty) or not (written only when it has entries).
    pub fn set_present(&mut self, present: bool) {
        self.present = present;
    }

    /// The entries.
    pub fn as_map(&self) -> &HashMap<K, V> {
        &self.map
    }

    /// The entries, mutably.
    pub fn as_map_mut(&mut self) -> &mut HashMap<K, V> {
        &mut self.map
    }

    /// The entries, dropping the presence bit.
    pub fn into_map(self) -> HashMap<K, V> {
        self.map
    }
}

impl<K, V> Default for PresenceMap<K, V> {
    /// An absent, empty map.
    fn default() -> Self {
        PresenceMap::absent()
    }
}

impl<K, V> Deref for PresenceMap<K, V> {
    type Target = HashMap<K, V>;
    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

impl<K, V> DerefMut for PresenceMap<K, V> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.map
    }
}

impl<K, V> AsRef<HashMap<K, V>> for PresenceMap<K, V> {
    fn as_ref(&self) -> &HashMap<K, V> {
        &self.map
    }
}

impl<K, V> From<HashMap<K, V>> for PresenceMap<K, V> {
    /// A map that is written when it has entries (an empty one counts as absent).
    fn from(map: HashMap<K, V>) -> Self {
        PresenceMap { map, present: false }
    }
}

impl<K: Eq + Hash, V, const N: usize> From<[(K, V); N]> for PresenceMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        PresenceMap::from(HashMap::from(entries))
    }
}

impl<K, V> From<PresenceMap<K, V>> for HashMap<K, V> {
    fn from(map: PresenceMap<K, V>) -> Self {
        map.map
    }
}

impl<K: Eq + Hash, V> FromIterator<(K, V)> for PresenceMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        PresenceMap::from(iter.into_iter().collect::<HashMap<K, V>>())
    }
}

impl<K: Eq + Hash, V> Extend<(K, V)> for PresenceMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        self.map.extend(iter);
    }
}

impl<K, V> IntoIterator for PresenceMap<K, V> {
    type Item = (K, V);
    type IntoIter = hash_map::IntoIter<K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a PresenceMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = hash_map::Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut PresenceMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = hash_map::IterMut<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.iter_mut()
    }
}

impl<K: Eq + Hash, V: PartialEq> PartialEq for PresenceMap<K, V> {
    /// Compares the entries only (not whether the maps were sent).
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl<K: Eq + Hash, V: Eq> Eq for PresenceMap<K, V> {}

impl<K: Eq + Hash, V: PartialEq> PartialEq<HashMap<K, V>> for PresenceMap<K, V> {
    /// Compares the entries only.
    fn eq(&self, other: &HashMap<K, V>) -> bool {
        self.map == *other
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for PresenceMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_present() {
            self.map.fmt(f)
        } else {
            f.write_str("absent")
        }
    }
}

impl<K: Serialize, V: Serialize> Serialize for PresenceMap<K, V> {
    /// The map when it is present, else `null`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_present() {
            self.map.serialize(serializer)
        } else {
            serializer.serialize_none()
        }
    }
}

impl<'de, K: Deserialize<'de> + Eq + Hash, V: Deserialize<'de>> Deserialize<'de> for PresenceMap<K, V> {
    /// An object gives a present map (even `{}`), `null` an absent one.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<HashMap<K, V>>::deserialize(deserializer)? {
            Some(map) => PresenceMap::present(map),
            None => PresenceMap::absent(),
        })
    }
}

/// Binary data carried as a standard base64 string (Kinesis records, DynamoDB `B`, Firehose data).
///
/// ```
/// use lambda_fn_events::encoding::Base64Data;
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
/// use lambda_fn_events::encoding::decode_body;
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

/// Parses an ISO 8601 timestamp as AWS services write them, in UTC (`2019-03-18T20:05:27.123Z`) or with a
/// numeric offset, with or without a colon (`+01:00`; CloudWatch alarms and CodeCommit write `+0000`).
///
/// Fractional seconds are optional; text without any offset is read as UTC. Surrounding whitespace is
/// ignored. Returns `None` when the text is not such a timestamp.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use lambda_fn_events::encoding::parse_iso8601;
///
/// let t = parse_iso8601("2024-03-01T10:15:00.5Z").unwrap();
/// assert_eq!(t, UNIX_EPOCH + Duration::from_millis(1_709_288_100_500));
/// // The same instant written at other offsets, as CloudWatch and CodeCommit do.
/// assert_eq!(parse_iso8601("2024-03-01T11:15:00.500+01:00"), Some(t));
/// assert_eq!(parse_iso8601("2024-03-01T09:45:00.500-0030"), Some(t));
/// assert_eq!(parse_iso8601("2024-03-01T10:15:00.500+0000"), Some(t));
/// assert_eq!(parse_iso8601("2024-03-01T10:15:00+1"), None);
/// ```
pub fn parse_iso8601(text: &str) -> Option<SystemTime> {
    let (local, offset_seconds) = split_utc_offset(text.trim())?;
    let local = humantime::parse_rfc3339_weak(local).ok()?;
    let magnitude = Duration::from_secs(offset_seconds.unsigned_abs());
    // A local time at +hh:mm is hh:mm *ahead* of UTC.
    if offset_seconds >= 0 {
        local.checked_sub(magnitude)
    } else {
        local.checked_add(magnitude)
    }
}

/// Splits `...Z` / `...+hh:mm` / `...+hhmm` into the part before the offset and the offset in seconds
/// east of UTC; text without an offset is UTC. `None` for a malformed offset.
fn split_utc_offset(text: &str) -> Option<(&str, i64)> {
    if let Some(local) = text.strip_suffix('Z') {
        return Some((local, 0));
    }
    // The offset sign comes after the seconds (index 19 or later); earlier `-` belong to the date.
    let Some(sign_at) = text.rfind(['+', '-']).filter(|&i| i >= 19) else {
        return Some((text, 0));
    };
    let (local, offset) = text.split_at(sign_at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = digits[2..].parse().ok()?;
    Some((local, sign * (hours * 3600 + minutes * 60)))
}

/// Converts milliseconds since the Unix epoch, as many AWS events carry them, to a `SystemTime`.
///
/// Negative values (before 1970) are supported.
pub fn from_epoch_millis(millis: i64) -> SystemTime {
    let magnitude = Duration::from_millis(millis.unsigned_abs());
    if millis >= 0 {
        UNIX_EPOCH + magnitude
    } else {
        UNIX_EPOCH - magnitude
    }
}

/// Converts seconds since the Unix epoch (possibly fractional, as DynamoDB and Kinesis send them),
/// rounded to the microsecond so that `1710000000.123` is exactly 123 ms past the second.
///
/// Returns `None` for values that are not finite or out of range.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// let t = lambda_fn_events::encoding::from_epoch_seconds(1710000000.123).unwrap();
/// assert_eq!(t, UNIX_EPOCH + Duration::from_millis(1_710_000_000_123));
/// ```
pub fn from_epoch_seconds(seconds: f64) -> Option<SystemTime> {
    let micros = (seconds.abs() * 1e6).round();
    if !micros.is_finite() || micros > u64::MAX as f64 {
        return None;
    }
    let magnitude = Duration::from_micros(micros as u64);
    if seconds >= 0.0 {
        UNIX_EPOCH.checked_add(magnitude)
    } else {
        UNIX_EPOCH.checked_sub(magnitude)
    }
}

/// `#[serde(with = "lambda_fn_events::encoding::epoch_seconds")]` for epoch seconds held as an `f64`
/// (Kinesis `approximateArrivalTimestamp`, DynamoDB `ApproximateCreationDateTime`).
///
/// Decoding accepts integers and floats. Encoding writes whole values as integers and fractional ones as
/// floats, as AWS does, so `1700000000` does not come back as `1700000000.0`. Read the value as a
/// `SystemTime` with [`from_epoch_seconds`]; use [`epoch_seconds::option`] for an
/// `Option<f64>`.
///
/// ```
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Record {
///     #[serde(with = "lambda_fn_events::encoding::epoch_seconds")]
///     at: f64,
/// }
/// let whole: Record = serde_json::from_str(r#"{"at": 1700000000}"#).unwrap();
/// assert_eq!(serde_json::to_string(&whole).unwrap(), r#"{"at":1700000000}"#);
/// let fractional: Record = serde_json::from_str(r#"{"at": 1700000000.25}"#).unwrap();
/// assert_eq!(serde_json::to_string(&fractional).unwrap(), r#"{"at":1700000000.25}"#);
/// ```
pub mod epoch_seconds {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Integers up to 2^53 are exact in an `f64`, so they can be written as `i64` without loss.
    const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

    /// Writes `seconds` as an integer when it is whole, else as a float.
    pub fn serialize<S: Serializer>(seconds: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        if seconds.fract() == 0.0 && seconds.abs() < MAX_EXACT_INTEGER {
            serializer.serialize_i64(*seconds as i64)
        } else {
            serializer.serialize_f64(*seconds)
        }
    }

    /// Reads an integer or a float.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        f64::deserialize(deserializer)
    }

    /// The same for an `Option<f64>` (`null` or absent is `None`; pair it with `#[serde(default)]`).
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes `Some` seconds as [`super::serialize`] does, `None` as `null`.
        pub fn serialize<S: Serializer>(seconds: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
            match seconds {
                Some(seconds) => super::serialize(seconds, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads an integer, a float or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
            Option::<f64>::deserialize(deserializer)
        }
    }
}

/// `#[serde(with = "lambda_fn_events::encoding::json_string")]` for a JSON document carried as text inside a
/// string field (an SQS body, an SNS `Message`), decoded into any `T`.
///
/// Encoding writes the value back as compact JSON text.
///
/// ```
/// #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Order {
///     id: u32,
/// }
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Message {
///     #[serde(with = "lambda_fn_events::encoding::json_string")]
///     body: Order,
/// }
/// let message: Message = serde_json::from_str(r#"{"body": "{\"id\": 7}"}"#).unwrap();
/// assert_eq!(message.body, Order { id: 7 });
/// assert_eq!(serde_json::to_string(&message).unwrap(), r#"{"body":"{\"id\":7}"}"#);
/// ```
pub mod json_string {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `value` as a string holding its compact JSON text.
    pub fn serialize<T: Serialize, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(value).map_err(S::Error::custom)?;
        serializer.serialize_str(&text)
    }

    /// Reads a string and decodes its text as JSON into `T`.
    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        let text = String::deserialize(deserializer)?;
        serde_json::from_str(&text).map_err(D::Error::custom)
    }
}

/// A value AWS sends either as one string or as a list of strings (IAM policy `Action` and `Resource`,
/// VPC Lattice header values). Kept in the form it came in, so that a decode followed by an encode
/// gives back the same JSON; [`as_slice`](Self::as_slice) reads either form.
///
/// ```
/// use lambda_fn_events::encoding::StringOrList;
///
/// let one: StringOrList = serde_json::from_str(r#""s3:GetObject""#).unwrap();
/// let many: StringOrList = serde_json::from_str(r#"["a", "b"]"#).unwrap();
/// assert_eq!(one.as_slice(), ["s3:GetObject"]);
/// assert_eq!(many.first(), Some("a"));
/// assert_eq!(serde_json::to_string(&one).unwrap(), r#""s3:GetObject""#);
/// assert_eq!(serde_json::to_string(&many).unwrap(), r#"["a","b"]"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StringOrList {
    /// A single string.
    One(String),
    /// A list of strings.
    Many(Vec<String>),
}

impl Default for StringOrList {
    /// An empty list.
    fn default() -> Self {
        StringOrList::Many(Vec::new())
    }
}

impl StringOrList {
    /// The values as a slice (one element for [`StringOrList::One`]).
    pub fn as_slice(&self) -> &[String] {
        match self {
            StringOrList::One(value) => std::slice::from_ref(value),
            StringOrList::Many(values) => values,
        }
    }

    /// The first value.
    pub fn first(&self) -> Option<&str> {
        self.as_slice().first().map(String::as_str)
    }

    /// Iterates over the values.
    pub fn iter(&self) -> std::slice::Iter<'_, String> {
        self.as_slice().iter()
    }
}

impl From<&str> for StringOrList {
    fn from(value: &str) -> Self {
        StringOrList::One(value.to_owned())
    }
}

impl From<String> for StringOrList {
    fn from(value: String) -> Self {
        StringOrList::One(value)
    }
}

impl From<Vec<String>> for StringOrList {
    fn from(values: Vec<String>) -> Self {
        StringOrList::Many(values)
    }
}

impl<'a> IntoIterator for &'a StringOrList {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A value AWS documents as a string but that some senders write as a JSON number (the Cognito
/// user pool trigger `version` arrives as `"1"` or as `1`). Kept in the form it came in, so a
/// number is written back as a number and a string as a string; compare it with text either way.
///
/// ```
/// use lambda_fn_events::encoding::StringOrNumber;
///
/// let text: StringOrNumber = serde_json::from_str(r#""1""#).unwrap();
/// let number: StringOrNumber = serde_json::from_str("1").unwrap();
/// assert_eq!(text, "1");
/// assert_eq!(number, "1");
/// assert_eq!(number.as_str(), None);
/// assert_eq!(number.to_text(), "1");
/// assert_eq!(serde_json::to_string(&text).unwrap(), r#""1""#);
/// assert_eq!(serde_json::to_string(&number).unwrap(), "1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StringOrNumber {
    /// Sent as a JSON string.
    String(String),
    /// Sent as a JSON number.
    Number(serde_json::Number),
}

impl Default for StringOrNumber {
    /// An empty string.
    fn default() -> Self {
        StringOrNumber::String(String::new())
    }
}

impl StringOrNumber {
    /// The text when the value was sent as a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            StringOrNumber::String(text) => Some(text),
            StringOrNumber::Number(_) => None,
        }
    }

    /// The value as text: the string, or the number as JSON writes it (`1`, `2.5`).
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            StringOrNumber::String(text) => Cow::Borrowed(text),
            StringOrNumber::Number(number) => Cow::Owned(number.to_string()),
        }
    }

    /// Whether the value was sent as a number.
    pub fn is_number(&self) -> bool {
        matches!(self, StringOrNumber::Number(_))
    }
}

impl fmt::Display for StringOrNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StringOrNumber::String(text) => f.write_str(text),
            StringOrNumber::Number(number) => fmt::Display::fmt(number, f),
        }
    }
}

impl PartialEq<str> for StringOrNumber {
    /// Compares the text ([`to_text`](Self::to_text)), so `1` and `"1"` both equal `"1"`.
    fn eq(&self, other: &str) -> bool {
        self.to_text() == other
    }
}

impl PartialEq<&str> for StringOrNumber {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for StringOrNumber {
    fn eq(&self, other: &String) -> bool {
        *self == *other.as_str()
    }
}

impl From<&str> for StringOrNumber {
    fn from(text: &str) -> Self {
        StringOrNumber::String(text.to_owned())
    }
}

impl From<String> for StringOrNumber {
    fn from(text: String) -> Self {
        StringOrNumber::String(text)
    }
}

impl From<u64> for StringOrNumber {
    fn from(number: u64) -> Self {
        StringOrNumber::Number(number.into())
    }
}

impl From<i64> for StringOrNumber {
    fn from(number: i64) -> Self {
        StringOrNumber::Number(number.into())
    }
}
