//! HTTP functions: one request type from every HTTP event source, routes in the annotation, typed
//! extractors, and answers encoded back in the shape the source expects.
//!
//! ```
//! use lambda_fn::handler;
//! use lambda_fn::http::{HttpError, Json, Path};
//! use serde::Serialize;
//!
//! #[derive(Serialize)]
//! struct Todo {
//!     id: u64,
//!     title: String,
//! }
//!
//! #[handler("todos.api", route = "GET /todos/{id}")]
//! async fn get_todo(Path(id): Path<u64>) -> Result<Json<Todo>, HttpError> {
//!     if id == 0 {
//!         return Err(HttpError::not_found(format!("no todo {id}")));
//!     }
//!     Ok(Json(Todo { id, title: "write docs".into() }))
//! }
//!
//! // The function is unchanged; a unit test calls it directly.
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let Json(todo) = get_todo(Path(7)).await.unwrap();
//! assert_eq!(todo.id, 7);
//! # });
//! ```
//!
//! - **Sources.** API Gateway REST APIs (payload 1.0, multi-value headers and query), HTTP APIs
//!   (payload 2.0, cookies), Application Load Balancers (single- and multi-value mode), Function URLs
//!   and VPC Lattice (v1 and v2) are told apart by the shape of the event ([`Source`]); the handler
//!   sees one [`Request`], and [`HttpEvent`] keeps the source, its stage and the raw event.
//! - **Routes.** Every `#[handler("name", route = "METHOD /path/{param}")]` with the same name is one
//!   Lambda function serving an API. `{name}` matches one path segment, `{name+}` (last only) the rest
//!   of the path. Where several routes match, the one whose first differing segment is a literal wins,
//!   then a `{param}` over a `{greedy+}`.
//! - **The routed path** is the path the client called, relative to the API: the stage of an HTTP API's
//!   named stage (`/prod/todos` under stage `prod`) is taken off, a REST API's `path` never has it, and
//!   the base path of a custom domain's API mapping is taken off when the function's environment says
//!   what it is: `LAMBDA_RT_BASE_PATH=/v1`. The request's URI is that path; [`HttpEvent::event_path`]
//!   is the path as the event gave it.
//! - **Answers.** Anything that is [`IntoResponse`]: [`http::Response`], `String`, `&'static str`,
//!   [`Json`], a [`StatusCode`], `(StatusCode, body)`, `(StatusCode, headers, body)`,
//!   `()` (204), and `Result`s of them. An error that is not an [`HttpError`] (any error `?` turns into
//!   [`crate::Error`]) is a 500 with a JSON body carrying the request id, and a log line with the error.
//!   No route is 404, another method of a known path 405 with `Allow`, an extractor's [`Rejection`] 400
//!   with a JSON body naming the parameter and the reason, a panic 500: never a Lambda error, which API
//!   Gateway would turn into a bare 502.
//! - **axum and tower** (feature `tower`): `#[handler("app.api", service)] fn app() -> axum::Router`
//!   builds the router once per cold start and hands it every request, decoded and encoded the same
//!   way; `service(streaming)` streams its bodies (a function URL in `RESPONSE_STREAM` mode). A service
//!   error or panic is a 500 like a route's.
//! - **Encoding.** ALB answers carry `statusDescription` and use `multiValueHeaders` exactly when the
//!   request did; HTTP APIs and Function URLs get `Set-Cookie` as `cookies`; binary bodies (a content
//!   type that is not text, JSON, XML or a form, a `Content-Encoding`, or bytes that are not UTF-8) are
//!   base64 with `isBase64Encoded: true`.

mod encode;
mod event;
mod extract;
mod params;
mod respond;
mod routed;
mod router;
mod serve;
#[cfg(feature = "tower")]
mod service;

/// The `http` crate's types a route handler names most (its requests and responses are `http`'s).
pub use ::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
pub use event::{HttpEvent, Source, UnknownSource};
pub use extract::{FromRequest, FromRequestParts, Headers, Path, Query, RequestParts, via};
pub use respond::{HttpError, IntoResponse, Json, Rejection};

#[doc(hidden)]
pub use router::{RouteFuture, RouteRegistration, Segment};
#[doc(hidden)]
pub use serve::{respond as __respond, serve_routes};
#[cfg(feature = "tower")]
#[doc(hidden)]
pub use service::serve_service;

pub(crate) use routed::ROUTED;
pub(crate) use router::routes_for_manifest;

use bytes::Bytes;

/// An HTTP request as a route handler sees it, whatever source it came from: the method, the URI
/// (the routed path and the query string), the headers (cookies of an HTTP API event included) and the
/// body, decoded from base64 when the source sent it so. [`HttpEvent`] is in its extensions.
pub type Request = http::Request<Body>;

/// An HTTP response of a route handler. See [`IntoResponse`] for what converts into one.
pub type Response = http::Response<Body>;

/// The body of a [`Request`] or a [`Response`]: bytes held in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body(Bytes);

impl Body {
    /// An empty body.
    pub fn empty() -> Self {
        Body(Bytes::new())
    }

    /// The bytes of the body.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body's bytes, taken out.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body(bytes)
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body(Bytes::from(bytes))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body(Bytes::from(text))
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Body(Bytes::from_static(text.as_bytes()))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Body(Bytes::from_static(bytes))
    }
}

impl From<()> for Body {
    fn from((): ()) -> Self {
        Body::empty()
    }
}
