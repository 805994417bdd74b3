//! How a handler's parameters are produced from an invocation: the event ([`FromEvent`]) and the
//! extractors after it ([`FromInvocation`]: [`Context`], [`State`], and the user's own).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::context::Context;
use crate::error::{Error, kind};

/// Values built once per cold start by `#[init]` functions, by type.
#[doc(hidden)]
pub type StateMap = HashMap<TypeId, &'static (dyn Any + Send + Sync)>;

/// One invocation as the runtime hands it to a registered handler: its context, the state built at
/// start-up, and extensions that adapters and extractors share. A [`FromInvocation`] implementation
/// reads what it needs from it.
///
/// The `#[handler]` macro's generated code decodes the event first, then runs the extractors in the
/// order of the handler's parameters; each sees the same `Invocation`.
pub struct Invocation {
    body: Bytes,
    context: Context,
    states: &'static StateMap,
    extensions: http::Extensions,
}

impl Invocation {
    pub(crate) fn new(body: Bytes, context: Context, states: &'static StateMap) -> Self {
        Invocation {
            body,
            context,
            states,
            extensions: http::Extensions::new(),
        }
    }

    /// The invocation's context (request id, deadline, ARN, trace id, the function's configuration).
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The value of type `T` an `#[init]` function built at start-up, if there is one. An extractor
    /// that reads state should also name it in [`FromInvocation::state_key`], so that a missing
    /// `#[init]` function fails the init phase instead of every invocation.
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<&'static T> {
        let value: &'static (dyn Any + Send + Sync) = *self.states.get(&TypeId::of::<T>())?;
        value.downcast_ref::<T>()
    }

    /// Values attached to this invocation by type, for adapters and extractors to share what they
    /// worked out once (a decoded HTTP request, say). Empty unless something put a value there.
    pub fn extensions(&self) -> &http::Extensions {
        &self.extensions
    }

    /// The extensions, to attach a value.
    pub fn extensions_mut(&mut self) -> &mut http::Extensions {
        &mut self.extensions
    }

    /// Decodes the event as the handler's first parameter type (the event is taken: call it once).
    #[doc(hidden)]
    pub fn event<E: FromEvent>(&mut self) -> Result<E, Error> {
        E::from_event(std::mem::take(&mut self.body))
    }

    /// Produces one of the handler's further parameters.
    pub fn extract<T: FromInvocation>(&mut self) -> Result<T, Error> {
        T::from_invocation(self)
    }
}

impl fmt::Debug for Invocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invocation")
            .field("request_id", &self.context.request_id)
            .field("event_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// A type a handler can take as its event (first parameter).
///
/// Implemented for every `serde::de::DeserializeOwned` type (your own structs, the `lambda-fn-events`
/// types, `serde_json::Value`) and for [`RawEvent`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a Lambda event",
    label = "the event parameter must be decodable from JSON",
    note = "derive `serde::Deserialize` for it, or take `serde_json::Value` or `lambda_fn::RawEvent`"
)]
pub trait FromEvent: Sized {
    /// Decodes the event from the body of the `next` answer.
    fn from_event(body: Bytes) -> Result<Self, Error>;
}

impl<T: DeserializeOwned> FromEvent for T {
    fn from_event(body: Bytes) -> Result<Self, Error> {
        // Fast path without path tracking; only a failure pays for a second pass that finds where.
        // Checking UTF-8 once for the whole body lets serde_json skip its check of every string.
        let decoded = match std::str::from_utf8(&body) {
            Ok(text) => serde_json::from_str(text),
            Err(_) => serde_json::from_slice(&body),
        };
        decoded.map_err(|_| unmarshal_error::<T>(&body))
    }
}

/// The `Runtime.UnmarshalError` for a body that does not decode as `T`, naming the JSON path.
fn unmarshal_error<T: DeserializeOwned>(body: &[u8]) -> Error {
    let type_name = std::any::type_name::<T>();
    let message = match misfit::<T>(body) {
        Some((Some(path), why)) => format!("could not decode the event as `{type_name}`: at `{path}`: {why}"),
        Some((None, why)) => format!("could not decode the event as `{type_name}`: {why}"),
        // The fast path failed, so this cannot succeed; report that plainly if it ever does.
        None => format!("could not decode the event as `{type_name}`"),
    };
    Error::new(kind::UNMARSHAL, message)
}

/// Why JSON that failed to decode as `T` does not fit, found by decoding it again with path tracking
/// (off the fast path): the path of the first value that does not fit (`None` at the root) and serde's
/// reason; `None` if it decodes this time.
pub(crate) fn misfit<T: DeserializeOwned>(json: &[u8]) -> Option<(Option<String>, String)> {
    let mut de = serde_json::Deserializer::from_slice(json);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) if e.path().iter().next().is_some() => Some((Some(e.path().to_string()), e.inner().to_string())),
        Err(e) => Some((None, e.inner().to_string())),
        Ok(_) => None,
    }
}

/// The event exactly as Lambda sent it, undecoded: for handlers that parse it themselves or pass it on.
///
/// ```
/// use lambda_fn::RawEvent;
///
/// async fn size(event: RawEvent) -> usize {
///     event.len()
/// }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct RawEvent(pub Bytes);

impl Deref for RawEvent {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for RawEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawEvent({} bytes)", self.0.len())
    }
}

impl FromEvent for RawEvent {
    fn from_event(body: Bytes) -> Result<Self, Error> {
        Ok(RawEvent(body))
    }
}

/// A state type an extractor needs built at start-up, so that the runtime runs the `#[init]` function
/// for it before the first invocation (and fails the init phase when there is none).
#[derive(Debug, Clone, Copy)]
pub struct StateKey {
    pub(crate) type_id: TypeId,
    pub(crate) type_name: &'static str,
}

impl StateKey {
    /// The key of state of type `T`.
    pub fn of<T: Send + Sync + 'static>() -> StateKey {
        StateKey {
            type_id: TypeId::of::<T>(),
            type_name: std::any::type_name::<T>(),
        }
    }
}

/// A type a handler can take after its event: [`Context`], [`State<T>`], or an extractor of your own.
///
/// An extractor reads what it needs from the [`Invocation`]. An error it returns is the invocation's
/// answer (an error post with its errorType: [`Error::extraction`]'s `Runtime.ExtractError`, or your
/// own); the handler is not called.
///
/// ```
/// use lambda_fn::{Error, FromInvocation, Invocation, StateKey};
///
/// /// The tenant of a function with tenant isolation; an invocation without one is refused.
/// struct Tenant(String);
///
/// impl FromInvocation for Tenant {
///     fn from_invocation(invocation: &mut Invocation) -> Result<Self, Error> {
///         match &invocation.context().tenant_id {
///             Some(id) => Ok(Tenant(id.clone())),
///             None => Err(Error::new("MissingTenant", "this function serves tenants only")),
///         }
///     }
/// }
///
/// /// Settings built once by an `#[init]` function, with a per-invocation view of them.
/// struct Settings { greeting: String }
/// struct Greeting(&'static str);
///
/// impl FromInvocation for Greeting {
///     fn from_invocation(invocation: &mut Invocation) -> Result<Self, Error> {
///         let settings = invocation
///             .state::<Settings>()
///             .ok_or_else(|| Error::extraction("no Settings"))?;
///         Ok(Greeting(&settings.greeting))
///     }
///
///     // Names the state, so that a missing `#[init]` fails the init phase, not each invocation.
///     fn state_key() -> Option<StateKey> {
///         Some(StateKey::of::<Settings>())
///     }
/// }
///
/// #[lambda_fn::handler("tenant.greet")]
/// async fn greet(_event: serde_json::Value, tenant: Tenant, greeting: Greeting) -> String {
///     format!("{} {}", greeting.0, tenant.0)
/// }
/// # fn main() {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a handler parameter after the event",
    label = "not an extractor",
    note = "after the event, a handler takes `lambda_fn::Context`, `lambda_fn::State<T>` (state built by an `#[init]` function), `lambda_fn::metrics::Metrics`, or a type implementing `lambda_fn::FromInvocation`; a route handler also takes the extractors of `lambda_fn::http` (`Path<T>`, `Query<T>`, ..., types implementing `lambda_fn::http::FromRequestParts`) and, last only, one that takes the body (`Json<T>`, `String`, `Bytes`, a type implementing `lambda_fn::http::FromRequest`)"
)]
pub trait FromInvocation: Sized {
    /// Produces the parameter for one invocation.
    fn from_invocation(invocation: &mut Invocation) -> Result<Self, Error>;

    /// The state this extractor reads ([`Invocation::state`]), if any: checked at start-up.
    fn state_key() -> Option<StateKey> {
        None
    }
}

impl FromInvocation for Context {
    fn from_invocation(invocation: &mut Invocation) -> Result<Self, Error> {
        // A clone, so that extractors after this parameter still see the context.
        Ok(invocation.context.clone())
    }
}

/// Shared state built once per cold start by an `#[init]` function, e.g. an SDK client or a pool.
///
/// `State<T>` derefs to `&'static T`: the value lives as long as the process, like the execution
/// environment that holds it.
///
/// ```ignore
/// #[lambda_fn::init]
/// async fn table() -> Result<Table, lambda_fn::Error> {
///     Table::connect(std::env::var("TABLE")?).await
/// }
///
/// #[lambda_fn::handler("orders.get")]
/// async fn get(id: String, table: State<Table>) -> Result<Order, lambda_fn::Error> {
///     table.get(&id).await
/// }
/// ```
pub struct State<T: 'static>(&'static T);

impl<T: 'static> State<T> {
    /// The state of type `T` in `states`, if it was built.
    pub(crate) fn in_map(states: &'static StateMap) -> Option<Self>
    where
        T: Send + Sync,
    {
        let value: &'static (dyn Any + Send + Sync) = *states.get(&TypeId::of::<T>())?;
        value.downcast_ref::<T>().map(State)
    }

    /// Wraps a value for a unit test that calls a handler directly.
    ///
    /// The value is leaked, as state in a Lambda execution environment lives until the process ends.
    pub fn for_test(value: T) -> Self {
        State(Box::leak(Box::new(value)))
    }

    /// The `'static` reference to the state.
    pub fn get(&self) -> &'static T {
        self.0
    }
}

impl<T: 'static> Clone for State<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for State<T> {}

impl<T: 'static> Deref for State<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0
    }
}

impl<T: fmt::Debug + 'static> fmt::Debug for State<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("State").field(self.0).finish()
    }
}

impl<T: Send + Sync + 'static> FromInvocation for State<T> {
    fn from_invocation(invocation: &mut Invocation) -> Result<Self, Error> {
        invocation.state::<T>().map(State).ok_or_else(|| {
            Error::new(
                kind::INIT_ERROR,
                format!(
                    "no state of type `{}`: add an `#[init]` function returning it",
                    std::any::type_name::<T>()
                ),
            )
        })
    }

    fn state_key() -> Option<StateKey> {
        Some(StateKey::of::<T>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct S3Like {
        #[serde(rename = "Records")]
        records: Vec<Record>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Record {
        size: u64,
        name: String,
    }

    #[test]
    fn unmarshal_error_names_the_json_path() {
        let body = Bytes::from_static(br#"{"Records":[{"size":1,"name":"a"},{"size":"big","name":"b"}]}"#);
        let err = S3Like::from_event(body).unwrap_err();
        assert_eq!(err.error_type(), "Runtime.UnmarshalError");
        assert!(err.message().contains("at `Records[1].size`"), "{}", err.message());
        assert!(
            err.message().contains("invalid type: string \"big\""),
            "{}",
            err.message()
        );
    }

    #[test]
    fn unmarshal_error_names_a_missing_field() {
        let err = Record::from_event(Bytes::from_static(br#"{"size":3}"#)).unwrap_err();
        assert!(err.message().contains("missing field `name`"), "{}", err.message());
    }

    #[test]
    fn invalid_utf8_is_an_unmarshal_error_not_a_panic() {
        let err = serde_json::Value::from_event(Bytes::from_static(b"{\"a\": \"\xff\"}")).unwrap_err();
        assert_eq!(err.error_type(), "Runtime.UnmarshalError");
        assert!(err.message().contains("invalid unicode"), "{}", err.message());
    }

    #[test]
    fn raw_event_keeps_bytes() {
        let raw = RawEvent::from_event(Bytes::from_static(b"not json")).unwrap();
        assert_eq!(&*raw, b"not json");
    }

    #[test]
    fn every_extractor_sees_the_context_and_missing_state_is_named() {
        static EMPTY: std::sync::LazyLock<StateMap> = std::sync::LazyLock::new(StateMap::new);
        let mut inv = Invocation::new(Bytes::new(), Context::for_test(), &EMPTY);
        let first = inv.extract::<Context>().unwrap();
        let second = inv.extract::<Context>().unwrap();
        assert_eq!(first.request_id, second.request_id);
        assert_eq!(inv.context().request_id, first.request_id);
        let missing = inv.extract::<State<u8>>().unwrap_err();
        assert!(missing.message().contains("`#[init]`"), "{}", missing.message());
        assert_eq!(inv.state::<u8>(), None);
        inv.extensions_mut().insert(7u32);
        assert_eq!(inv.extensions().get::<u32>(), Some(&7));
    }
}
