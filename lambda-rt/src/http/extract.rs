//! The parameters of a route handler: [`FromRequest`] and the extractors that come with it.

use std::borrow::Cow;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::de::DeserializeOwned;

use super::params;
use super::respond::{IntoResponse, Json, Rejection};
use super::{Body, HttpEvent, Request};
use crate::extract::{FromInvocation, Invocation, StateKey};

/// The request, the route's path parameters and the invocation, as the extractors of one route call
/// see them, in the order of the handler's parameters.
pub struct RequestParts {
    request: Request,
    params: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    invocation: Invocation,
}

impl RequestParts {
    pub(crate) fn new(
        request: Request,
        params: Vec<(Cow<'static, str>, Cow<'static, str>)>,
        invocation: Invocation,
    ) -> Self {
        RequestParts {
            request,
            params,
            invocation,
        }
    }

    /// The request (its body is empty once a body extractor took it).
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The request, to change.
    pub fn request_mut(&mut self) -> &mut Request {
        &mut self.request
    }

    /// Takes the body out of the request: the first body extractor gets it, later ones an empty body.
    pub fn take_body(&mut self) -> Body {
        std::mem::take(self.request.body_mut())
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

/// A type a route handler can take as a parameter: what it reads from the request, or a 4xx answer
/// (its [`Rejection`](FromRequest::Rejection)) instead of calling the handler.
///
/// Every [`FromInvocation`] extractor ([`Context`](crate::Context), [`State<T>`](crate::State), your own)
/// is one too; its error is a 500.
///
/// ```
/// use lambda_fn::http::{FromRequest, Rejection, RequestParts};
///
/// /// The caller's API key, from the `x-api-key` header; a request without one gets a 401.
/// struct ApiKey(String);
///
/// impl FromRequest for ApiKey {
///     type Rejection = Rejection;
///
///     fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
///         let key = parts.request().headers().get("x-api-key").and_then(|v| v.to_str().ok());
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
    message = "`{Self}` cannot be a parameter of a route handler",
    label = "not an HTTP extractor",
    note = "a route handler takes `Path<T>`, `Query<T>`, `Json<T>`, `Headers`, `HttpEvent`, `Request`, `Method`, \
            `Uri`, `String`/`Bytes` (the body), `Context`, `State<T>`, or a type implementing \
            `lambda_fn::http::FromRequest`"
)]
pub trait FromRequest: Sized {
    /// The answer when the request does not fit.
    type Rejection: IntoResponse;

    /// Produces the parameter.
    fn from_request(parts: &mut RequestParts) -> Result<Self, Self::Rejection>;

    /// The state it reads, built at start-up (see [`FromInvocation::state_key`]).
    fn state_key() -> Option<StateKey> {
        None
    }
}

impl<T: FromInvocation> FromRequest for T {
    type Rejection = crate::Error;

    fn from_request(parts: &mut RequestParts) -> Result<Self, crate::Error> {
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

impl<T: DeserializeOwned> FromRequest for Path<T> {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
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

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        let query = parts.request.uri().query().unwrap_or("");
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

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        if let Some(content_type) = parts.request.headers().get(http::header::CONTENT_TYPE)
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
        let body = parts.take_body();
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

impl FromRequest for Headers {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        Ok(Headers(parts.request.headers().clone()))
    }
}

impl FromRequest for HeaderMap {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        Ok(parts.request.headers().clone())
    }
}

impl FromRequest for Method {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        Ok(parts.request.method().clone())
    }
}

/// The URI: the routed path (relative to the API) and the query string.
impl FromRequest for Uri {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        Ok(parts.request.uri().clone())
    }
}

impl FromRequest for HttpEvent {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        parts
            .request
            .extensions()
            .get::<HttpEvent>()
            .cloned()
            .ok_or_else(|| Rejection::new("event", "the request did not come from a Lambda HTTP event"))
    }
}

/// The whole request, its body taken (so: the last parameter, after any other body extractor).
impl FromRequest for Request {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        let body = parts.take_body();
        let mut request = http::Request::new(body);
        *request.method_mut() = parts.request.method().clone();
        *request.uri_mut() = parts.request.uri().clone();
        *request.version_mut() = parts.request.version();
        *request.headers_mut() = parts.request.headers().clone();
        *request.extensions_mut() = parts.request.extensions().clone();
        Ok(request)
    }
}

/// The body's bytes.
impl FromRequest for Bytes {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        Ok(parts.take_body().into_bytes())
    }
}

impl FromRequest for Body {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        Ok(parts.take_body())
    }
}

/// The body as text; a body that is not UTF-8 is a 400.
impl FromRequest for String {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts) -> Result<Self, Rejection> {
        String::from_utf8(parts.take_body().into_bytes().to_vec())
            .map_err(|e| Rejection::new("body", format!("the body is not UTF-8 text: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::extract::StateMap;

    fn parts(uri: &str, content_type: Option<&str>, body: &'static str) -> RequestParts {
        static EMPTY: std::sync::LazyLock<StateMap> = std::sync::LazyLock::new(StateMap::new);
        let mut request = http::Request::new(Body::from(body));
        *request.uri_mut() = uri.parse().unwrap();
        if let Some(content_type) = content_type {
            request
                .headers_mut()
                .insert(http::header::CONTENT_TYPE, content_type.parse().unwrap());
        }
        let params = vec![(Cow::Borrowed("id"), Cow::Borrowed("abc"))];
        RequestParts::new(
            request,
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
        let mut p = parts("/x?limit=ten", None, "");
        let e = Path::<u64>::from_request(&mut p).unwrap_err();
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
        let e = Query::<Page>::from_request(&mut p).unwrap_err();
        assert_eq!(e.parameter(), "limit");

        let mut p = parts("/", Some("application/json"), r#"{"title": 5}"#);
        let e = Json::<New>::from_request(&mut p).unwrap_err();
        assert_eq!(e.parameter(), "body.title");
        let mut p = parts("/", None, r#"{}"#);
        let e = Json::<New>::from_request(&mut p).unwrap_err();
        assert_eq!(e.parameter(), "body");
        assert!(e.reason().starts_with("missing field `title`"), "{}", e.reason());
        let mut p = parts("/", Some("text/plain"), r#"{"title":"x"}"#);
        let e = Json::<New>::from_request(&mut p).unwrap_err();
        assert_eq!(e.into_response().status(), 415);
        let mut p = parts("/", Some("application/vnd.api+json; charset=utf-8"), r#"{"title":"x"}"#);
        assert_eq!(Json::<New>::from_request(&mut p).unwrap().0.title, "x");
        assert!(p.request().body().is_empty(), "the body was taken");
    }
}
