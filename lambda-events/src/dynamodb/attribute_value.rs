//! DynamoDB's typed attribute values, in DynamoDB's own JSON encoding.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::de::{DeserializeOwned, Error as _, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::encoding::{Base64Data, encode_base64};

/// An item or image: attribute name to value.
pub type Item = HashMap<String, AttributeValue>;

/// One DynamoDB attribute value, encoded exactly as DynamoDB does: an object with a single key
/// naming the type (`{"S": "text"}`, `{"N": "1.5"}`, `{"B": "<base64>"}`, `{"NULL": true}`, ...).
///
/// Numbers stay text (`N`, `NS`) so no precision is lost; [`AttributeValue::as_number`] parses them.
///
/// ```
/// use lambda_fn_events::dynamodb::AttributeValue;
/// let v: AttributeValue = serde_json::from_str(r#"{"L": [{"S": "a"}, {"N": "2"}, {"NULL": true}]}"#).unwrap();
/// let list = v.as_l().unwrap();
/// assert_eq!(list[0].as_s(), Some("a"));
/// assert_eq!(list[1].as_number::<i32>(), Some(2));
/// assert!(list[2].is_null());
/// assert_eq!(serde_json::to_string(&AttributeValue::Null).unwrap(), r#"{"NULL":true}"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeValue {
    /// `S`: a string.
    S(String),
    /// `N`: a number, as DynamoDB's decimal text.
    N(String),
    /// `B`: binary data (base64 on the wire).
    B(Vec<u8>),
    /// `SS`: a string set.
    Ss(Vec<String>),
    /// `NS`: a number set, as decimal texts.
    Ns(Vec<String>),
    /// `BS`: a binary set (base64 on the wire).
    Bs(Vec<Vec<u8>>),
    /// `M`: a map of attribute values.
    M(HashMap<String, AttributeValue>),
    /// `L`: a list of attribute values.
    L(Vec<AttributeValue>),
    /// `NULL`: the null value (`{"NULL": true}`).
    Null,
    /// `BOOL`: a boolean.
    Bool(bool),
}

impl AttributeValue {
    /// The DynamoDB type descriptor: `S`, `N`, `B`, `SS`, `NS`, `BS`, `M`, `L`, `NULL` or `BOOL`.
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::Null => "NULL",
            AttributeValue::Bool(_) => "BOOL",
        }
    }

    /// A number attribute from anything that prints as a decimal number.
    pub fn number(value: impl fmt::Display) -> Self {
        AttributeValue::N(value.to_string())
    }

    /// The string of an `S` value.
    pub fn as_s(&self) -> Option<&str> {
        match self {
            AttributeValue::S(s) => Some(s),
            _ => None,
        }
    }

    /// The decimal text of an `N` value.
    pub fn as_n(&self) -> Option<&str> {
        match self {
            AttributeValue::N(n) => Some(n),
            _ => None,
        }
    }

    /// An `N` value parsed as `T` (`i64`, `f64`, `u32`, ...); `None` if not a number or not
    /// representable as `T`.
    pub fn as_number<T: FromStr>(&self) -> Option<T> {
        self.as_n()?.parse().ok()
    }

    /// The bytes of a `B` value.
    pub fn as_b(&self) -> Option<&[u8]> {
        match self {
            AttributeValue::B(b) => Some(b),
            _ => None,
        }
    }

    /// The members of an `SS` value.
    pub fn as_ss(&self) -> Option<&[String]> {
        match self {
            AttributeValue::Ss(v) => Some(v),
            _ => None,
        }
    }

    /// The members of an `NS` value, as decimal texts.
    pub fn as_ns(&self) -> Option<&[String]> {
        match self {
            AttributeValue::Ns(v) => Some(v),
            _ => None,
        }
    }

    /// The members of a `BS` value.
    pub fn as_bs(&self) -> Option<&[Vec<u8>]> {
        match self {
            AttributeValue::Bs(v) => Some(v),
            _ => None,
        }
    }

    /// The entries of an `M` value.
    pub fn as_m(&self) -> Option<&HashMap<String, AttributeValue>> {
        match self {
            AttributeValue::M(m) => Some(m),
            _ => None,
        }
    }

    /// The elements of an `L` value.
    pub fn as_l(&self) -> Option<&[AttributeValue]> {
        match self {
            AttributeValue::L(l) => Some(l),
            _ => None,
        }
    }

    /// The boolean of a `BOOL` value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            AttributeValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Whether this is the `NULL` value.
    pub fn is_null(&self) -> bool {
        matches!(self, AttributeValue::Null)
    }

    /// This value as plain JSON, without type descriptors: `S` becomes a string, `N` a number (a
    /// string if it does not fit JSON's numbers), `B` a base64 string, sets and `L` arrays, `M` an
    /// object, `NULL` null and `BOOL` a boolean.
    ///
    /// ```
    /// use lambda_fn_events::dynamodb::AttributeValue;
    /// let v: AttributeValue = serde_json::from_str(r#"{"M": {"n": {"N": "1"}, "tags": {"SS": ["a"]}}}"#).unwrap();
    /// assert_eq!(v.to_json(), serde_json::json!({"n": 1, "tags": ["a"]}));
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        fn number(text: &str) -> Value {
            serde_json::from_str::<serde_json::Number>(text)
                .map(Value::Number)
                .unwrap_or_else(|_| Value::String(text.to_owned()))
        }
        match self {
            AttributeValue::S(s) => Value::String(s.clone()),
            AttributeValue::N(n) => number(n),
            AttributeValue::B(b) => Value::String(encode_base64(b)),
            AttributeValue::Ss(v) => Value::Array(v.iter().cloned().map(Value::String).collect()),
            AttributeValue::Ns(v) => Value::Array(v.iter().map(|n| number(n)).collect()),
            AttributeValue::Bs(v) => Value::Array(v.iter().map(|b| Value::String(encode_base64(b))).collect()),
            AttributeValue::M(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            AttributeValue::L(l) => Value::Array(l.iter().map(AttributeValue::to_json).collect()),
            AttributeValue::Null => Value::Null,
            AttributeValue::Bool(b) => Value::Bool(*b),
        }
    }

    /// The attribute value for a plain JSON value: strings become `S`, numbers `N`, booleans `BOOL`,
    /// null `NULL`, arrays `L` and objects `M` (sets and binary are never produced).
    pub fn from_json(value: &serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => AttributeValue::Null,
            Value::Bool(b) => AttributeValue::Bool(*b),
            Value::Number(n) => AttributeValue::N(n.to_string()),
            Value::String(s) => AttributeValue::S(s.clone()),
            Value::Array(items) => AttributeValue::L(items.iter().map(AttributeValue::from_json).collect()),
            Value::Object(map) => AttributeValue::M(
                map.iter()
                    .map(|(k, v)| (k.clone(), AttributeValue::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Decodes an item (a `NewImage`, `OldImage` or `Keys`) into your own type, through
/// [`AttributeValue::to_json`].
///
/// ```
/// use lambda_fn_events::dynamodb::{from_item, Item};
/// #[derive(serde::Deserialize)]
/// struct User { id: String, age: u32 }
/// let item: Item = serde_json::from_str(r#"{"id": {"S": "u1"}, "age": {"N": "42"}}"#).unwrap();
/// let user: User = from_item(&item).unwrap();
/// assert_eq!((user.id.as_str(), user.age), ("u1", 42));
/// ```
pub fn from_item<T: DeserializeOwned>(item: &Item) -> Result<T, serde_json::Error> {
    let object: serde_json::Map<String, serde_json::Value> =
        item.iter().map(|(k, v)| (k.clone(), v.to_json())).collect();
    serde_json::from_value(serde_json::Value::Object(object))
}

/// Encodes your own type as an item, through [`AttributeValue::from_json`] (handy to build test
/// events). Fails unless `value` serializes to a JSON object.
pub fn to_item<T: Serialize>(value: &T) -> Result<Item, serde_json::Error> {
    match serde_json::to_value(value)? {
        serde_json::Value::Object(map) => Ok(map
            .iter()
            .map(|(k, v)| (k.clone(), AttributeValue::from_json(v)))
            .collect()),
        other => Err(serde_json::Error::custom(format_args!(
            "an item must be a JSON object, not {other}"
        ))),
    }
}

impl From<String> for AttributeValue {
    fn from(s: String) -> Self {
        AttributeValue::S(s)
    }
}

impl From<&str> for AttributeValue {
    fn from(s: &str) -> Self {
        AttributeValue::S(s.to_owned())
    }
}

impl From<bool> for AttributeValue {
    fn from(b: bool) -> Self {
        AttributeValue::Bool(b)
    }
}

impl From<Vec<u8>> for AttributeValue {
    fn from(bytes: Vec<u8>) -> Self {
        AttributeValue::B(bytes)
    }
}

impl From<Vec<AttributeValue>> for AttributeValue {
    fn from(list: Vec<AttributeValue>) -> Self {
        AttributeValue::L(list)
    }
}

impl From<HashMap<String, AttributeValue>> for AttributeValue {
    fn from(map: HashMap<String, AttributeValue>) -> Self {
        AttributeValue::M(map)
    }
}

macro_rules! number_from {
    ($($t:ty),*) => {$(
        impl From<$t> for AttributeValue {
            fn from(n: $t) -> Self {
                AttributeValue::N(n.to_string())
            }
        }
    )*};
}
number_from!(i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, f32, f64);

/// Base64 text for each member of a binary set.
struct Base64List<'a>(&'a [Vec<u8>]);

impl Serialize for Base64List<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|b| encode_base64(b)))
    }
}

impl Serialize for AttributeValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        let key = self.type_name();
        match self {
            AttributeValue::S(s) | AttributeValue::N(s) => map.serialize_entry(key, s)?,
            AttributeValue::B(b) => map.serialize_entry(key, &encode_base64(b))?,
            AttributeValue::Ss(v) | AttributeValue::Ns(v) => map.serialize_entry(key, v)?,
            AttributeValue::Bs(v) => map.serialize_entry(key, &Base64List(v))?,
            AttributeValue::M(m) => map.serialize_entry(key, m)?,
            AttributeValue::L(l) => map.serialize_entry(key, l)?,
            AttributeValue::Null => map.serialize_entry(key, &true)?,
            AttributeValue::Bool(b) => map.serialize_entry(key, b)?,
        }
        map.end()
    }
}

const TYPE_NAMES: &[&str] = &["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];

impl<'de> Deserialize<'de> for AttributeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = AttributeValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a DynamoDB attribute value: an object with one key among S, N, B, SS, NS, BS, M, L, NULL, BOOL",
                )
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeValue, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(A::Error::custom("empty object is not a DynamoDB attribute value"));
                };
                let value = match key.as_str() {
                    "S" => AttributeValue::S(map.next_value()?),
                    "N" => AttributeValue::N(map.next_value()?),
                    "B" => AttributeValue::B(map.next_value::<Base64Data>()?.0),
                    "SS" => AttributeValue::Ss(map.next_value()?),
                    "NS" => AttributeValue::Ns(map.next_value()?),
                    "BS" => AttributeValue::Bs(map.next_value::<Vec<Base64Data>>()?.into_iter().map(|b| b.0).collect()),
                    "M" => AttributeValue::M(map.next_value()?),
                    "L" => AttributeValue::L(map.next_value()?),
                    "NULL" => {
                        map.next_value::<bool>()?;
                        AttributeValue::Null
                    }
                    "BOOL" => AttributeValue::Bool(map.next_value()?),
                    other => return Err(A::Error::unknown_variant(other, TYPE_NAMES)),
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(A::Error::custom(format_args!(
                        "a DynamoDB attribute value has exactly one type key, found {key} and {extra}"
                    )));
                }
                Ok(value)
            }
        }
        deserializer.deserialize_map(ValueVisitor)
    }
}
