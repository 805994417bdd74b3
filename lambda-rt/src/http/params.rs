//! A serde deserializer over named string parameters (a route's path parameters, a query string), so
//! that `Path<u64>`, `Path<(String, u32)>`, `Path<Params>` and `Query<Filter>` decode with the types
//! the user wrote. Errors name the parameter.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

/// Why parameters did not decode: the parameter (when known) and serde's reason.
#[derive(Debug)]
pub(crate) struct ParamError {
    pub(crate) parameter: Option<String>,
    pub(crate) message: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParamError {}

impl de::Error for ParamError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ParamError {
            parameter: None,
            message: message.to_string(),
        }
    }

    fn missing_field(field: &'static str) -> Self {
        ParamError {
            parameter: Some(field.to_owned()),
            message: "missing".to_owned(),
        }
    }
}

impl ParamError {
    fn at(mut self, parameter: &str) -> Self {
        self.parameter.get_or_insert_with(|| parameter.to_owned());
        self
    }
}

/// Decodes `T` from `pairs` (names and decoded values, in order; a name may repeat).
pub(crate) fn decode<T: de::DeserializeOwned>(pairs: &[(Cow<'_, str>, Cow<'_, str>)]) -> Result<T, ParamError> {
    T::deserialize(Params { pairs })
}

/// All the parameters: a map (a struct by name), a sequence (a tuple, in order), or, when there is one,
/// that one value.
struct Params<'p, 'a> {
    pairs: &'p [(Cow<'a, str>, Cow<'a, str>)],
}

impl Params<'_, '_> {
    fn only(&self) -> Result<Value<'_>, ParamError> {
        match self.pairs {
            [(name, value)] => Ok(Value {
                name,
                values: vec![value],
            }),
            [] => Err(de::Error::custom("expected one parameter, there is none")),
            more => Err(de::Error::custom(format!(
                "expected one parameter, there are {}: take a tuple or a struct",
                more.len()
            ))),
        }
    }
}

macro_rules! forward_to_only {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
            let only = self.only()?;
            let name = only.name.to_owned();
            only.$method(visitor).map_err(|e| e.at(&name))
        })*
    };
}

impl<'de> de::Deserializer<'de> for Params<'_, '_> {
    type Error = ParamError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        // Values of a repeated name are grouped, in order of first appearance.
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for (name, value) in self.pairs {
            match groups.iter_mut().find(|(n, _)| n == name) {
                Some((_, values)) => values.push(value),
                None => groups.push((name, vec![value])),
            }
        }
        visitor.visit_map(Map {
            groups: groups.into_iter(),
            current: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_seq(Seq {
            pairs: self.pairs.iter(),
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, ParamError> {
        if len != self.pairs.len() {
            return Err(de::Error::custom(format!(
                "expected a tuple of {} parameter(s), the route has {}",
                len,
                self.pairs.len()
            )));
        }
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        if self.pairs.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        let only = self.only()?;
        let parameter = only.name.to_owned();
        only.deserialize_enum(name, variants, visitor)
            .map_err(|e| e.at(&parameter))
    }

    forward_to_only! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_identifier
    }
}

struct Map<'a, I> {
    groups: I,
    current: Option<(&'a str, Vec<&'a str>)>,
}

impl<'de, 'a, I: Iterator<Item = (&'a str, Vec<&'a str>)>> de::MapAccess<'de> for Map<'a, I> {
    type Error = ParamError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ParamError> {
        let Some((name, values)) = self.groups.next() else {
            return Ok(None);
        };
        self.current = Some((name, values));
        seed.deserialize(name.into_deserializer()).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, ParamError> {
        let Some((name, values)) = self.current.take() else {
            return Err(de::Error::custom("a value without a name"));
        };
        seed.deserialize(Value { name, values }).map_err(|e| e.at(name))
    }
}

struct Seq<I> {
    pairs: I,
}

impl<'de, 'p, 'a: 'p, I: Iterator<Item = &'p (Cow<'a, str>, Cow<'a, str>)>> de::SeqAccess<'de> for Seq<I> {
    type Error = ParamError;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, ParamError> {
        let Some((name, value)) = self.pairs.next() else {
            return Ok(None);
        };
        seed.deserialize(Value {
            name,
            values: vec![value],
        })
        .map(Some)
        .map_err(|e| e.at(name))
    }
}

/// The values of one name: one for a scalar (the last, when the query repeats it), all for a sequence.
struct Value<'a> {
    name: &'a str,
    values: Vec<&'a str>,
}

impl Value<'_> {
    fn text(&self) -> Result<&str, ParamError> {
        self.values.last().copied().ok_or_else(|| de::Error::custom("missing"))
    }

    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, ParamError>
    where
        T::Err: fmt::Display,
    {
        let text = self.text()?;
        text.parse()
            .map_err(|e| de::Error::custom(format!("`{text}` is not {what}: {e}")))
    }
}

macro_rules! parse_as {
    ($($method:ident $visit:ident $ty:ty, $what:literal;)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
            visitor.$visit(self.parse::<$ty>($what)?)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Value<'_> {
    type Error = ParamError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_str(self.text()?)
    }

    parse_as! {
        deserialize_bool visit_bool bool, "`true` or `false`";
        deserialize_i8 visit_i8 i8, "a whole number from -128 to 127";
        deserialize_i16 visit_i16 i16, "a whole number from -32768 to 32767";
        deserialize_i32 visit_i32 i32, "a 32-bit whole number";
        deserialize_i64 visit_i64 i64, "a 64-bit whole number";
        deserialize_i128 visit_i128 i128, "a whole number";
        deserialize_u8 visit_u8 u8, "a whole number from 0 to 255";
        deserialize_u16 visit_u16 u16, "a whole number from 0 to 65535";
        deserialize_u32 visit_u32 u32, "a whole number from 0 to 4294967295";
        deserialize_u64 visit_u64 u64, "a non-negative whole number";
        deserialize_u128 visit_u128 u128, "a non-negative whole number";
        deserialize_f32 visit_f32 f32, "a number";
        deserialize_f64 visit_f64 f64, "a number";
        deserialize_char visit_char char, "one character";
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_str(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_string(self.text()?.to_owned())
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_bytes(self.text()?.as_bytes())
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_byte_buf(self.text()?.as_bytes().to_vec())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        if self.values.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        let name = self.name;
        let values = self.values.into_iter().map(|value| Value {
            name,
            values: vec![value],
        });
        visitor.visit_seq(de::value::SeqDeserializer::new(values))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, ParamError> {
        Err(de::Error::custom("a parameter is one value, not a map"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        let text: de::value::StrDeserializer<'_, ParamError> = self.text()?.into_deserializer();
        visitor.visit_enum(text)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }
}

impl<'de> IntoDeserializer<'de, ParamError> for Value<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn pairs(list: &[(&'static str, &'static str)]) -> Vec<(Cow<'static, str>, Cow<'static, str>)> {
        list.iter()
            .map(|(n, v)| (Cow::Borrowed(*n), Cow::Borrowed(*v)))
            .collect()
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Filter {
        limit: u32,
        tag: Vec<String>,
        done: Option<bool>,
        #[serde(default)]
        order: Order,
    }

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(rename_all = "lowercase")]
    enum Order {
        #[default]
        Asc,
        Desc,
    }

    #[test]
    fn scalars_tuples_and_structs() {
        assert_eq!(decode::<u64>(&pairs(&[("id", "7")])).unwrap(), 7);
        assert_eq!(
            decode::<(String, u8)>(&pairs(&[("user", "ana"), ("n", "3")])).unwrap(),
            ("ana".to_owned(), 3)
        );
        let filter: Filter = decode(&pairs(&[("tag", "a"), ("limit", "5"), ("tag", "b"), ("order", "desc")])).unwrap();
        assert_eq!(
            filter,
            Filter {
                limit: 5,
                tag: vec!["a".into(), "b".into()],
                done: None,
                order: Order::Desc
            }
        );
    }

    #[test]
    fn errors_name_the_parameter() {
        let e = decode::<u64>(&pairs(&[("id", "abc")])).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("id"));
        assert!(
            e.message.contains("`abc` is not a non-negative whole number"),
            "{}",
            e.message
        );
        let e = decode::<Filter>(&pairs(&[("tag", "a")])).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("limit"));
        assert_eq!(e.message, "missing");
        let e = decode::<(u8, u8)>(&pairs(&[("a", "1"), ("b", "300")])).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("b"));
        let e = decode::<(u8, u8, u8)>(&pairs(&[("a", "1"), ("b", "3")])).unwrap_err();
        assert!(e.message.contains("tuple of 3"), "{}", e.message);
        let e = decode::<Filter>(&pairs(&[("limit", "1"), ("order", "sideways")])).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("order"));
    }
}
