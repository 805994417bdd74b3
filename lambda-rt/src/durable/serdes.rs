//! [`Serdes`]: how an operation's result is written into the history and read back on replay.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, kind};

/// How an operation's result is written into the execution's history and read back on replay. [`JsonSerdes`]
/// (serde_json) unless an operation is configured with another: a compact or encrypted form, or one
/// that must match what another SDK wrote.
///
/// The value a step returns on its first run is the one read back from what was written, so that the
/// first run and every replay see the same value.
///
/// ```
/// use lambda_fn::durable::Serdes;
/// use lambda_fn::Error;
///
/// /// Strings kept in capitals.
/// struct Shouting;
///
/// impl Serdes<String> for Shouting {
///     fn serialize(&self, value: &String) -> Result<String, Error> {
///         Ok(serde_json::to_string(&value.to_uppercase())?)
///     }
///     fn deserialize(&self, data: &str) -> Result<String, Error> {
///         Ok(serde_json::from_str(data)?)
///     }
/// }
///
/// assert_eq!(Shouting.serialize(&"hi".to_owned()).unwrap(), "\"HI\"");
/// ```
pub trait Serdes<T> {
    /// `value` as the history stores it.
    fn serialize(&self, value: &T) -> Result<String, Error>;

    /// A stored value, read back.
    fn deserialize(&self, data: &str) -> Result<T, Error>;
}

/// JSON through serde, the default [`Serdes`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JsonSerdes;

impl<T: Serialize + DeserializeOwned> Serdes<T> for JsonSerdes {
    fn serialize(&self, value: &T) -> Result<String, Error> {
        serde_json::to_string(value).map_err(|e| Error::new(kind::DURABLE_SERIALIZATION, e.to_string()))
    }

    fn deserialize(&self, data: &str) -> Result<T, Error> {
        serde_json::from_str(data).map_err(|e| Error::new(kind::DURABLE_SERIALIZATION, e.to_string()))
    }
}
