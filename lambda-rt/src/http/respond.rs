//! What a route handler may answer with: [`IntoResponse`] and the types that implement it.

use std::fmt;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, StatusCode};
use serde::Serialize;

use super::{Body, Response};

/// A type a route handler can return: it becomes the HTTP response, which the runtime then encodes in
/// the shape the event source expects.
///
/// Implemented for [`Response`](http::Response), `String` and `&'static str` (`text/plain`), `Vec<u8>`
/// and `Bytes` (`application/octet-stream`), [`Json`], [`StatusCode`] (an empty body), `()` (204 No
/// Content), `(StatusCode, T)`, `(StatusCode, [(name, value); N], T)`, `(StatusCode, HeaderMap, T)`,
/// [`HttpError`], [`Rejection`], [`crate::Error`] (500) and `Result<T, E>` of any two of them.
///
/// ```
/// use lambda_fn::http::{IntoResponse, Response};
/// use http::StatusCode;
///
/// /// A redirect of your own.
/// struct SeeOther(&'static str);
///
/// impl IntoResponse for SeeOther {
///     fn into_response(self) -> Response {
///         (StatusCode::SEE_OTHER, [("location", self.0)], ()).into_response()
///     }
/// }
///
/// let response = SeeOther("/login").into_response();
/// assert_eq!(response.status(), 303);
/// assert_eq!(response.headers()["location"], "/login");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the answer of a route handler",
    label = "not convertible into an HTTP response",
    note = "return an `http::Response`, a `String`, `lambda_fn::http::Json<T>`, a `StatusCode`, `(StatusCode, body)`, \
            or a `Result` of them whose error is `lambda_fn::http::HttpError` or `lambda_fn::Error`; or implement \
            `lambda_fn::http::IntoResponse`"
)]
pub trait IntoResponse {
    /// Turns the value into the HTTP response.
    fn into_response(self) -> Response;
}

impl<B: Into<Body>> IntoResponse for http::Response<B> {
    fn into_response(self) -> Response {
        self.map(Into::into)
    }
}

/// A response with `status`, `body` and the content type `content_type`.
pub(crate) fn with_type(status: StatusCode, content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut response = http::Response::new(body.into());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

const TEXT: &str = "text/plain; charset=utf-8";
const BINARY: &str = "application/octet-stream";
const JSON: &str = "application/json";

impl IntoResponse for String {
    fn into_response(self) -> Response {
        with_type(StatusCode::OK, TEXT, self)
    }
}

impl IntoResponse for &'static str {
    fn into_response(self) -> Response {
        with_type(StatusCode::OK, TEXT, self)
    }
}

impl IntoResponse for Vec<u8> {
    fn into_response(self) -> Response {
        with_type(StatusCode::OK, BINARY, self)
    }
}

impl IntoResponse for Bytes {
    fn into_response(self) -> Response {
        with_type(StatusCode::OK, BINARY, self)
    }
}

impl IntoResponse for Body {
    fn into_response(self) -> Response {
        http::Response::new(self)
    }
}

impl IntoResponse for StatusCode {
    fn into_response(self) -> Response {
        let mut response = http::Response::new(Body::empty());
        *response.status_mut() = self;
        response
    }
}

/// 204 No Content.
impl IntoResponse for () {
    fn into_response(self) -> Response {
        StatusCode::NO_CONTENT.into_response()
    }
}

impl<T: IntoResponse> IntoResponse for (StatusCode, T) {
    fn into_response(self) -> Response {
        let mut response = self.1.into_response();
        // A failure stays the 500 it is (a body that could not be encoded is no 201).
        if response.extensions().get::<Failure>().is_none() {
            *response.status_mut() = self.0;
        }
        response
    }
}

impl<T: IntoResponse> IntoResponse for (StatusCode, HeaderMap, T) {
    fn into_response(self) -> Response {
        let mut response = (self.0, self.2).into_response();
        if response.extensions().get::<Failure>().is_none() {
            response.headers_mut().extend(self.1);
        }
        response
    }
}

/// Headers as `(name, value)` pairs; a name or value that cannot be a header makes the answer a 500
/// (logged), not a response without it.
impl<K, V, T, const N: usize> IntoResponse for (StatusCode, [(K, V); N], T)
where
    K: TryInto<HeaderName>,
    K::Error: fmt::Display,
    V: TryInto<HeaderValue>,
    V::Error: fmt::Display,
    T: IntoResponse,
{
    fn into_response(self) -> Response {
        let mut response = (self.0, self.2).into_response();
        if response.extensions().get::<Failure>().is_some() {
            return response;
        }
        for (name, value) in self.1 {
            match (name.try_into(), value.try_into()) {
                (Ok(name), Ok(value)) => {
                    response.headers_mut().append(name, value);
                }
                (Err(e), _) => return failure(format!("the handler answered with a header name that is not one: {e}")),
                (_, Err(e)) => {
                    return failure(format!("the handler answered with a header value that is not one: {e}"));
                }
            }
        }
        response
    }
}

impl<T: IntoResponse, E: IntoResponse> IntoResponse for Result<T, E> {
    fn into_response(self) -> Response {
        match self {
            Ok(value) => value.into_response(),
            Err(error) => error.into_response(),
        }
    }
}

/// JSON: a request body to decode (as an extractor), or an answer to encode (`application/json`).
///
/// ```
/// use lambda_fn::http::{IntoResponse, Json};
///
/// let response = Json(serde_json::json!({ "id": 1 })).into_response();
/// assert_eq!(response.headers()["content-type"], "application/json");
/// assert_eq!(response.body().as_bytes(), br#"{"id":1}"#);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => with_type(StatusCode::OK, JSON, body),
            Err(e) => failure(format!(
                "could not encode the answer of type `{}` as JSON: {e}",
                std::any::type_name::<T>()
            )),
        }
    }
}

/// The mark on a 500 answer that stands for a failure: the runtime logs `.0` with the request id and
/// answers with a JSON body naming the request id, so that the client can quote it.
#[derive(Debug, Clone)]
pub(crate) struct Failure(pub(crate) String);

/// A 500 answer for a failure the client is not told the details of.
pub(crate) fn failure(why: String) -> Response {
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(Failure(why));
    response
}

/// An HTTP error answer: a status and a message, sent as
/// `{"status": 404, "error": "Not Found", "message": "..."}`.
///
/// Any error converts into it with `?` as a 500 whose details are logged (with the request id) and not
/// sent; choose the status yourself with [`HttpError::new`] or the shorthands.
///
/// ```
/// use lambda_fn::http::{HttpError, IntoResponse};
///
/// let missing = HttpError::not_found("no todo 7");
/// assert_eq!(missing.into_response().status(), 404);
///
/// fn parse(text: &str) -> Result<u32, HttpError> {
///     Ok(text.parse::<u32>()?) // a ParseIntError: 500, logged
/// }
/// assert_eq!(parse("x").unwrap_err().into_response().status(), 500);
/// ```
pub struct HttpError {
    status: StatusCode,
    message: String,
    /// The details of a failure (logged, not sent).
    failure: Option<String>,
}

impl HttpError {
    /// An error with `status` and `message`, both sent to the client.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        HttpError {
            status,
            message: message.into(),
            failure: None,
        }
    }

    /// 400 Bad Request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404 Not Found.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 409 Conflict.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// 500 Internal Server Error whose `details` are logged with the request id, not sent.
    pub fn internal(details: impl Into<String>) -> Self {
        HttpError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: String::new(),
            failure: Some(details.into()),
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message sent to the client.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Debug for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpError")
            .field("status", &self.status)
            .field("message", &self.message)
            .field("failure", &self.failure)
            .finish()
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.failure {
            Some(failure) => write!(f, "{}: {failure}", self.status),
            None => write!(f, "{}: {}", self.status, self.message),
        }
    }
}

/// Any error, as a 500 whose details are logged, not sent.
impl<E: std::error::Error + Send + Sync + 'static> From<E> for HttpError {
    fn from(error: E) -> Self {
        HttpError::internal(crate::error::chain_message(&error))
    }
}

impl From<crate::Error> for HttpError {
    fn from(error: crate::Error) -> Self {
        HttpError::internal(format!("{}: {}", error.error_type(), error.message()))
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        if let Some(failure) = self.failure {
            return self::failure(failure);
        }
        error_body(self.status, None, &self.message)
    }
}

/// An error that is not an [`HttpError`]: 500, logged with the request id.
impl IntoResponse for crate::Error {
    fn into_response(self) -> Response {
        HttpError::from(self).into_response()
    }
}

/// `{"status": ..., "error": <reason>, ("parameter": ...,) "message": ...}` with `status`.
fn error_body(status: StatusCode, parameter: Option<&str>, message: &str) -> Response {
    #[derive(Serialize)]
    struct ErrorBody<'a> {
        status: u16,
        error: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        parameter: Option<&'a str>,
        message: &'a str,
    }
    let body = ErrorBody {
        status: status.as_u16(),
        error: status.canonical_reason().unwrap_or("Error"),
        parameter,
        message,
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    with_type(status, JSON, json)
}

/// The JSON body of a failure's 500: the request id, for the client to quote.
pub(crate) fn failure_body(request_id: &str) -> Body {
    // (also the body of a streamed failure: see `service.rs`)
    let body = serde_json::json!({
        "status": 500,
        "error": "Internal Server Error",
        "message": "the function failed; its log has the details under this request id",
        "requestId": request_id,
    });
    Body::from(body.to_string())
}

/// Why an extractor did not accept the request: 400 with a JSON body that names the parameter and the
/// reason, `{"status": 400, "error": "Bad Request", "parameter": "id", "message": "..."}`.
///
/// ```
/// use lambda_fn::http::{IntoResponse, Rejection};
///
/// let rejection = Rejection::new("x-api-key", "the header is missing");
/// let response = rejection.into_response();
/// assert_eq!(response.status(), 400);
/// assert!(std::str::from_utf8(response.body().as_bytes()).unwrap().contains(r#""parameter":"x-api-key""#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    status: StatusCode,
    parameter: String,
    reason: String,
}

impl Rejection {
    /// A 400 naming `parameter` (a path parameter, a query field, a header, `body`) and `reason`.
    pub fn new(parameter: impl Into<String>, reason: impl Into<String>) -> Self {
        Rejection {
            status: StatusCode::BAD_REQUEST,
            parameter: parameter.into(),
            reason: reason.into(),
        }
    }

    /// The same rejection with another status (415 for a body that is not JSON, 401 for missing
    /// credentials...).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The parameter it names.
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// Why the parameter was not accepted.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.parameter, self.reason)
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        error_body(self.status, Some(&self.parameter), &self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(response: &Response) -> &str {
        std::str::from_utf8(response.body().as_bytes()).unwrap()
    }

    #[test]
    fn answers_and_their_statuses() {
        assert_eq!("hi".into_response().headers()[CONTENT_TYPE], TEXT);
        assert_eq!(().into_response().status(), 204);
        let created = (StatusCode::CREATED, [("location", "/todos/1")], Json(1)).into_response();
        assert_eq!(created.status(), 201);
        assert_eq!(created.headers()["location"], "/todos/1");
        assert_eq!(text(&created), "1");
        struct Unencodable;
        impl Serialize for Unencodable {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        let failed = (StatusCode::CREATED, [("location", "/x")], Json(Unencodable)).into_response();
        assert_eq!(failed.status(), 500, "a failure is not turned into a 201");
        assert!(failed.headers().get("location").is_none());
        let bad = (StatusCode::OK, [("bad name", "x")], ()).into_response();
        assert_eq!(bad.status(), 500);
        assert!(bad.extensions().get::<Failure>().is_some());
        let err: Result<String, HttpError> = Err(HttpError::not_found("no todo 3"));
        let response = err.into_response();
        assert_eq!(response.status(), 404);
        assert_eq!(
            text(&response),
            r#"{"status":404,"error":"Not Found","message":"no todo 3"}"#
        );
    }

    #[test]
    fn other_errors_are_500s_whose_details_are_kept_for_the_log() {
        let parse = "x".parse::<u8>().unwrap_err();
        let response = HttpError::from(parse).into_response();
        assert_eq!(response.status(), 500);
        let Failure(why) = response.extensions().get::<Failure>().unwrap();
        assert!(why.contains("invalid digit"), "{why}");
        assert!(text(&response).is_empty(), "the details are not sent");
        let response = crate::Error::new("Boom", "it broke").into_response();
        assert_eq!(response.extensions().get::<Failure>().unwrap().0, "Boom: it broke");
    }
}
