//! The parameters of a route handler, named as axum 0.8 names them: [`FromRequestParts`] for what reads the
//! request's head (any parameter), [`FromRequest`] for what takes the body (the last parameter only, since
//! a body is read once), and the extractors that come with them.

use std::borrow::Cow;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::de::DeserializeOwned;

use super::params;
use super::respond::{IntoResponse, Json, Rejection};
use super::{Body, HttpEvent, Request};
use crate::extract::{FromInvocation, Invocation, StateKey};

/// What the extractors of one route call read, in the order of the handler's parameters: the request's
/// head (method, URI, headers, extensions), the route's path parameters and the invocation. The body is not
/// here: it is handed to the last parameter's [`FromRequest`].
pub struct RequestParts {
    head: http::request::Parts,
    params: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    invocation: Invocation,
}

impl RequestParts {
    pub(crate) fn new(
        head: http::request::Parts,
        params: Vec<(Cow<'static, str>, Cow<'static, str>)>,
        invocation: Invocation,
    ) -> Self {
        RequestParts {
            head,
            params,
            invocation,
        }
    }

    /// The request's head: method, URI, version, headers, extensions ([`HttpEvent`] among them).
    pub fn head(&self) -> &http::request::Parts {
        &self.head
    }

    /// The request's head, to change for the parameters after this one.
    pub fn head_mut(&mut self) -> &mut http::request::Parts {
        &mut self.head
    }

    /// The request's method.
    pub fn method(&self) -> &Method {
        &self.head.method
    }

    /// The request's URI: the routed path (relative to the API) and the query string.
    pub fn uri(&self) -> &Uri {
        &self.head.uri
    }

    /// The request's headers (cookies of an HTTP API event are in `cookie`).
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The route's path parameters, by name in the order of the template, percent-decoded.
    pub fn path_params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params.iter().map(|(name, value)| (name.as_ref(), value.as_ref()))
    }

    /// The invocation: its context and the state built at start-up.
    pub fn invocation(&mut self) -> &mut Invocation {
        &mut self.invocation
    }
}

/// A type a route handler can take as any parameter: what it reads from the request's head, the path
/// parameters or the invocation, or a 4xx answer (its [`Rejection`](FromRequestParts::Rejection)) instead
/// of calling the handler.
///
/// Every [`FromInvocation`] extractor ([`Context`](crate::Context), [`State<T>`](crate::State), your own)
/// is one too; its error is a 500. What reads the body implements [`FromRequest`] instead.
///
/// ```
/// use lambda_fn::http::{FromRequestParts, Rejection, RequestParts};
///
/// /// The caller's API key, from the `x-api-key` header; a request without one gets a 401.
/// struct ApiKey(String);
///
/// impl FromRequestParts for ApiKey {
///     type Rejection = Rejection;
///
///     fn from_request_parts(parts: &mut RequestParts) -> Result<Self, Rejection> {
///         let key = parts.headers().get("x-api-key").and_then(|v| v.to_str().ok());
///         match key {
///             Some(key) => Ok(ApiKey(key.to_owned())),
///             None => Err(Rejection::new("x-api-key", "the header is missing")
///                 .with_status(http::StatusCode::UNAUTHORIZED)),
///         }
///     }
/// }
///
/// #[lambda_fn::handler("keys.api", route = "GET /me")]
/// async fn me(ApiKey(key): ApiKey) -> String {
///     format!("key {key}")
/// }
/// # fn main() {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of a route handler here",
    label = "not an extractor of the request's head",
    note = "a route handler's parameters read the request's head: `Path<T>`, `Query<T>`, `Headers`, `HttpEvent`, \
            `Method`, `Uri`, `Context`, `State<T>`, or a type implementing `lambda_fn::http::FromRequestParts`",
    note = "only the last parameter may take the body (`Json<T>`, `String`, `Bytes`, `Body`, `Request`, or a type \
            implementing `lambda_fn::http::FromRequest`): a body is read once, so a handler takes at most one of \
            them, last"
)]
pub trait FromRequestParts: Sized {
    /// The answer when the request does not fit.
    type Rejection: IntoResponse;

    /// Produces the parameter.
    fn from_request_parts(parts: &mut RequestParts) -> Result<Self, Self::Rejection>;

    /// The state it reads, built at start-up (see [`FromInvocation::state_key`]).
    fn state_key() -> Option<StateKey> {
        None
    }
}

/// What the type parameter of [`FromRequest`] tells apart, as in axum: a body extractor
/// ([`ViaBody`](via::ViaBody), the default) or a head extractor in the last place
/// ([`ViaParts`](via::ViaParts)).
pub mod via {
    /// [`FromRequest`](super::FromRequest) implemented by a type that takes the body.
    #[derive(Debug)]
    pub enum ViaBody {}

    /// [`FromRequest`](super::FromRequest) of every [`FromRequestParts`](super::FromRequestParts) type.
    #[derive(Debug)]
    pub enum ViaParts {}
}

/// A type a route handler can take as its last parameter: what it makes of the request's body (and
/// head), or a 4xx answer. Every [`FromRequestParts`] type is one too, so the last parameter may be either.
///
/// ```
/// use lambda_fn::http::{Body, FromRequest, Rejection, RequestParts};
///
/// /// The body's lines.
/// struct Lines(Vec<String>);
///
/// impl FromRequest for Lines {
///     type Rejection = Rejection;
///
///     fn from_request(_parts: &mut RequestParts, body: Body) -> Result<Self, Rejection> {
///         let text = std::str::from_utf8(body.as_bytes())
///             .map_err(|e| Rejection::new("body", format!("not UTF-8: {e}")))?;
///         Ok(Lines(text.lines().map(str::to_owned).collect()))
///     }
/// }
///
/// #[lambda_fn::handler("lines.api", route = "POST /lines")]
/// async fn count(Lines(lines): Lines) -> String {
///     format!("{} lines", lines.len())
/// }
/// # fn main() {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the last parameter of a route handler",
    label = "not an HTTP extractor",
    note = "a route handler takes `Path<T>`, `Query<T>`, `Headers`, `HttpEvent`, `Method`, `Uri`, `Context`, \
            `State<T>` (or a type implementing `lambda_fn::http::FromRequestParts`), and last, at most one of \
            `Json<T>`, `String`, `Bytes`, `Body`, `Request` (or a type implementing `lambda_fn::http::FromRequest`)"
)]
pub trait FromRequest<M = via::ViaBody>: Sized {
    /// The answer when the request does not fit.
    type Rejection: IntoResponse;

    /// Produces the parameter from the head and the body.
    fn from_request(parts: &mut RequestParts, body: Body) -> Result<Self, Self::Rejection>;

    /// The state it reads, built at start-up (see [`FromInvocation::state_key`]).
    fn state_key() -> Option<StateKey> {
        None
    }
}

impl<T: FromRequestParts> FromRequest<via::ViaParts> for T {
    type Rejection = T::Rejection;

    fn from_request(parts: &mut RequestParts, _body: Body) -> Result<Self, Self::Rejection> {
        T::from_request_parts(parts)
    }

    fn state_key() -> Option<StateKey> {
        <T as FromRequestParts>::state_key()
    }
}

impl<T: FromInvocation> FromRequestParts for T {
    type Rejection = crate::Error;

    fn from_request_parts(parts: &mut RequestParts) -> Result<Self, crate::Error> {
        T::from_invocation(&mut parts.invocation)
    }

    fn state_key() -> Option<StateKey> {
        T::state_key()
    }
}

/// The route's path parameters, decoded as `T`: one value (`Path<u64>` for `/todos/{id}`), a tuple in
/// the template's order (`Path<(String, u32)>`), or a struct by name. A value that does not decode is a
/// 400 naming the parameter.
///
/// ```
/// use lambda_fn::http::Path;
///
/// #[derive(serde::Deserialize)]
/// struct Item { user: String, n: u32 }
///
/// #[lambda_fn::handler("items.api", route = "GET /users/{user}/items/{n}")]
/// async fn item(Path(Item { user, n }): Path<Item>) -> String {
///     format!("{user}'s item {n}")
/// }
/// # fn main() {}
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts for Path<T> {
    type Rejection = Rejection;

    fn from_request_parts(parts: &mut RequestParts) -> Result<Self, Rejection> {
        params::decode(&parts.params).map(Path).map_err(|e| {
            let parameter = e.parameter.unwrap_or_else(|| "path".to_owned());
            Rejection::new(parameter, e.message)
        })
    }
}

/// The query string, decoded as `T` (usually a struct; `Option` fields may be absent, `Vec` fields
/// take a repeated name, with `#[serde(default)]` when it may be absent). A missing or malformed field is
/// a 400 naming it.
///
/// ```
/// use lambda_fn::http::Query;
///
/// #[derive(serde::Deserialize)]
/// struct Page { limit: Option<u32>, #[serde(default)] tag: Vec<String> }
///
/// #[lambda_fn::handler("page.api", route = "GET /todos")]
/// async fn list(Query(page): Query<Page>) -> String {
///     format!("{} tags, limit {:?}", page.tag.len(), page.limit)
/// }
/// # fn main() {}
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts for Query<T> {
    type Rejection = Rejection;

    fn from_request_parts(parts: &mut RequestParts) -> Result<Self, Rejection> {
        let query = parts.head.uri.query().unwrap_or("");
        let pairs: Vec<_> = form_urlencoded::parse(query.as_bytes()).collect();
        params::decode(&pairs).map(Query).map_err(|e| {
            let parameter = e.parameter.unwrap_or_else(|| "query".to_owned());
            Rejection::new(parameter, e.message)
        })
    }
}

/// The body, decoded from JSON as `T`. A body that is not the JSON expected is a 400 naming where it
/// does not fit (`body.title`); a `Content-Type` that is not JSON is a 415.
impl<T: DeserializeOwned> FromRequest for Json<T> {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts, body: Body) -> Result<Self, Rejection> {
        if let Some(content_type) = parts.head.headers.get(http::header::CONTENT_TYPE)
            && !is_json(content_type.as_bytes())
        {
            return Err(Rejection::new(
                "content-type",
                format!(
                    "expected a JSON body (`application/json`), got `{}`",
                    String::from_utf8_lossy(content_type.as_bytes())
                ),
            )
            .with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        if let Ok(value) = serde_json::from_slice(body.as_bytes()) {
            return Ok(Json(value));
        }
        Err(match crate::extract::misfit::<T>(body.as_bytes()) {
            Some((Some(path), why)) => Rejection::new(format!("body.{path}"), why),
            Some((None, why)) => Rejection::new("body", why),
            None => Rejection::new("body", "the body is not the JSON expected"),
        })
    }
}

/// `application/json`, or any `+json` type, with or without parameters.
fn is_json(content_type: &[u8]) -> bool {
    let essence = content_type.split(|b| *b == b';').next().unwrap_or_default();
    let essence = String::from_utf8_lossy(essence).trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The request's headers (cookies of an HTTP API event are in `cookie`).
#[derive(Debug, Clone, Default)]
pub struct Headers(pub HeaderMap);

impl FromRequestParts for Headers {
    type Rejection = Rejection;

    fn from_request_parts(parts: &mut RequestParts) -> Result<Self, Rejection> {
        Ok(Headers(parts.head.headers.clone()))
    }
}

impl FromRequestParts for HeaderMap {
    type Rejection = Rejection;

    fn from_request_parts(parts: &mut RequestParts) -> Result<Self, Rejection> {
        Ok(parts.head.headers.clone())
    }
}

impl FromRequestParts for Method {
    type Rejection = Rejection;

    fn from_request_parts(parts: &mut RequestParts) -> Result<Self, Rejection> {
        Ok(parts.head.method.clone())
    }
}

/// The URI: the routed path (relative to the API) and the query string.
impl FromRequestParts for Uri {
    type Rejection = Rejection;

    fn from_request_parts(parts: &mut RequestParts) -> Result<Self, Rejection> {
        Ok(parts.head.uri.clone())
    }
}

impl FromRequestParts for HttpEvent {
    type Rejection = Rejection;

    fn from_request_parts(parts: &mut RequestParts) -> Result<Self, Rejection> {
        parts
            .head
            .extensions
            .get::<HttpEvent>()
            .cloned()
            .ok_or_else(|| Rejection::new("event", "the request did not come from a Lambda HTTP event"))
    }
}

/// The whole request: its head as the earlier parameters left it, and the body.
impl FromRequest for Request {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts, body: Body) -> Result<Self, Rejection> {
        Ok(Request::from_parts(parts.head.clone(), body))
    }
}

/// The body's bytes.
impl FromRequest for Bytes {
    type Rejection = Rejection;

    fn from_request(_parts: &mut RequestParts, body: Body) -> Result<Self, Rejection> {
        Ok(body.into_bytes())
    }
}

impl FromRequest for Body {
    type Rejection = Rejection;

    fn from_request(_parts: &mut RequestParts, body: Body) -> Result<Self, Rejection> {
        Ok(body)
    }
}

/// The body as text; a body that is not UTF-8 is a 400.
impl FromRequest for String {
    type Rejection = Rejection;

    fn from_request(_parts: &mut RequestParts, body: Body) -> Result<Self, Rejection> {
        String::from_utf8(body.into_bytes().to_vec())
            .map_err(|e| Rejection::new("body", format!("the body is not UTF-8 text: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::extract::StateMap;

    fn parts(uri: &str, content_type: Option<&str>) -> RequestParts {
        static EMPTY: std::sync::LazyLock<StateMap> = std::sync::LazyLock::new(StateMap::new);
        let mut request = http::Request::new(());
        *request.uri_mut() = uri.parse().unwrap();
        if let Some(content_type) = content_type {
            request
                .headers_mut()
                .insert(http::header::CONTENT_TYPE, content_type.parse().unwrap());
        }
        let params = vec![(Cow::Borrowed("id"), Cow::Borrowed("abc"))];
        RequestParts::new(
            request.into_parts().0,
            params,
            Invocation::new(Bytes::new(), Context::for_test(), &EMPTY),
        )
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct New {
        title: String,
    }

    #[test]
    fn rejections_name_the_parameter() {
        let mut p = parts("/x?limit=ten", None);
        let e = Path::<u64>::from_request_parts(&mut p).unwrap_err();
        assert_eq!(
            (e.parameter(), e.reason()),
            (
                "id",
                "`abc` is not a non-negative whole number: invalid digit found in string"
            )
        );

        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            limit: u32,
        }
        let e = Query::<Page>::from_request_parts(&mut p).unwrap_err();
        assert_eq!(e.parameter(), "limit");

        let json = |p: &mut RequestParts, body: &'static str| Json::<New>::from_request(p, Body::from(body));
        let e = json(&mut parts("/", Some("application/json")), r#"{"title": 5}"#).unwrap_err();
        assert_eq!(e.parameter(), "body.title");
        let e = json(&mut parts("/", None), r#"{}"#).unwrap_err();
        assert_eq!(e.parameter(), "body");
        assert!(e.reason().starts_with("missing field `title`"), "{}", e.reason());
        let e = json(&mut parts("/", Some("text/plain")), r#"{"title":"x"}"#).unwrap_err();
        assert_eq!(e.into_response().status(), 415);
        let mut p = parts("/", Some("application/vnd.api+json; charset=utf-8"));
        assert_eq!(json(&mut p, r#"{"title":"x"}"#).unwrap().0.title, "x");
    }

    #[test]
    fn the_last_parameter_may_be_a_head_extractor_or_a_body_extractor() {
        let mut p = parts("/x?limit=ten", Some("text/plain"));
        // A head extractor in the last place ignores the body.
        let method = <Method as FromRequest<via::ViaParts>>::from_request(&mut p, Body::from("ignored")).unwrap();
        assert_eq!(method, Method::GET);
        let request = <Request as FromRequest>::from_request(&mut p, Body::from("all of it")).unwrap();
        assert_eq!(
            (request.uri().query(), request.body().as_bytes()),
            (Some("limit=ten"), &b"all of it"[..])
        );
        let text = <String as FromRequest>::from_request(&mut p, Body::from(vec![0xff, 0xfe])).unwrap_err();
        assert_eq!(text.parameter(), "body");
        assert_eq!(text.into_response().status(), StatusCode::BAD_REQUEST);
    }
}
