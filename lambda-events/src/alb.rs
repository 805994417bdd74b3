//! Application Load Balancer (ALB) target group events: the request ALB sends to a Lambda target and
//! the response it expects back.
//!
//! A target group sends either single-value `headers`/`queryStringParameters` or, when multi-value
//! headers are enabled on it, only `multiValueHeaders`/`multiValueQueryStringParameters`.
//! [`AlbTargetGroupRequest::header`] and [`AlbTargetGroupRequest::query`] look in both, so handlers
//! work either way. ALB passes query parameters as the client sent them: percent-encoded values are
//! not decoded.
//!
//! ```
//! use lambda_fn_events::alb::{AlbTargetGroupRequest, AlbTargetGroupResponse};
//!
//! let event: AlbTargetGroupRequest = serde_json::from_str(r#"{
//!     "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1"}},
//!     "httpMethod": "GET",
//!     "path": "/hello",
//!     "queryStringParameters": {"name": "world"},
//!     "headers": {"accept": "text/html", "host": "example.com"},
//!     "isBase64Encoded": false,
//!     "body": ""
//! }"#).unwrap();
//! assert_eq!(event.http_method, "GET");
//! assert_eq!(event.header("Accept"), Some("text/html"));
//! let name = event.query("name").unwrap_or("nobody");
//!
//! let response = AlbTargetGroupResponse::html(200, format!("<h1>Hello, {name}!</h1>"));
//! assert_eq!(response.status_description.as_deref(), Some("200 OK"));
//! assert_eq!(response.headers["Content-Type"], "text/html");
//! ```

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::encoding::{BodyDecodeError, OtherFields, PresenceMap};
use crate::http_common::{self, HttpBody, HttpHeaders, HttpQuery, Values};

#[cfg(feature = "http")]
pub use crate::http_common::IntoHttpRequestError;

/// The request an ALB sends to a Lambda function registered as a target.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlbTargetGroupRequest {
    /// The HTTP method (`GET`, `POST`, ...).
    #[serde(default)]
    pub http_method: String,
    /// The request path, e.g. `/hello`.
    #[serde(default)]
    pub path: String,
    /// Query parameters as the client sent them (not percent-decoded), when multi-value headers are off.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub query_string_parameters: PresenceMap<String, String>,
    /// All values of each query parameter, when multi-value headers are on for the target group.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub multi_value_query_string_parameters: PresenceMap<String, Vec<String>>,
    /// Request headers (lower-case names), when multi-value headers are off.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// All values of each request header, when multi-value headers are on.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub multi_value_headers: PresenceMap<String, Vec<String>>,
    /// Which target group sent the request.
    #[serde(default)]
    pub request_context: AlbTargetGroupRequestContext,
    /// Whether `body` is base64 (ALB encodes bodies it does not consider text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_base64_encoded: Option<bool>,
    /// The request body, as text or base64 (see [`decoded_body`](Self::decoded_body)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `requestContext` of an ALB request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AlbTargetGroupRequestContext {
    /// The load balancer side of the context.
    #[serde(default)]
    pub elb: ElbContext,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `requestContext.elb` of an ALB request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElbContext {
    /// ARN of the target group that invoked the function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl HttpBody for AlbTargetGroupRequest {
    fn body_parts(&self) -> (Option<&str>, bool) {
        (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
    }
}

impl HttpHeaders for AlbTargetGroupRequest {
    fn header_map(&self) -> Values<'_> {
        Values::Split(&self.headers, &self.multi_value_headers)
    }
}

impl HttpQuery for AlbTargetGroupRequest {
    fn query_map(&self) -> Values<'_> {
        Values::Split(&self.query_string_parameters, &self.multi_value_query_string_parameters)
    }
}

impl AlbTargetGroupRequest {
    /// The body's bytes: base64-decoded when `isBase64Encoded` is true, empty when there is no body.
    ///
    /// # Errors
    /// When the body is marked base64 but is not valid base64.
    pub fn decoded_body(&self) -> Result<Cow<'_, [u8]>, BodyDecodeError> {
        HttpBody::decoded_body(self)
    }

    /// The value of a header, by case-insensitive name, from `headers` or else the first value in
    /// `multiValueHeaders`.
    pub fn header(&self, name: &str) -> Option<&str> {
        HttpHeaders::header(self, name)
    }

    /// Every value of a header, by case-insensitive name, from whichever map has it.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        HttpHeaders::header_values(self, name)
    }

    /// The value of a query parameter from `queryStringParameters` or else the first value in
    /// `multiValueQueryStringParameters`. An exact name match wins; otherwise the name is compared
    /// case-insensitively. The value is as the client sent it (ALB does not percent-decode it).
    pub fn query(&self, name: &str) -> Option<&str> {
        HttpQuery::query(self, name)
    }

    /// Every value of a query parameter, from whichever map has it.
    pub fn query_values(&self, name: &str) -> Vec<&str> {
        HttpQuery::query_values(self, name)
    }
}

/// The response a Lambda target returns to an ALB.
///
/// Build one with [`html`](Self::html), [`text`](Self::text), [`json`](Self::json) or
/// [`binary`](Self::binary), then add headers with [`with_header`](Self::with_header). When the target
/// group has multi-value headers enabled, ALB reads `multiValueHeaders` instead of `headers`; use
/// [`with_multi_value_header`](Self::with_multi_value_header) (or fill both) in that case.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlbTargetGroupResponse {
    /// The HTTP status code.
    #[serde(default)]
    pub status_code: u16,
    /// The status line text, e.g. `200 OK`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_description: Option<String>,
    /// Response headers (used when multi-value headers are off).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Response headers with every value (used when multi-value headers are on).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub multi_value_headers: PresenceMap<String, Vec<String>>,
    /// Whether `body` is base64 that ALB must decode before sending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_base64_encoded: Option<bool>,
    /// The response body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl AlbTargetGroupResponse {
    fn from_parts(status: u16, content_type: &str, body: String, is_base64_encoded: bool) -> Self {
        AlbTargetGroupResponse {
            status_code: status,
            status_description: Some(http_common::status_description(status)),
            headers: [(String::from("Content-Type"), content_type.to_owned())].into(),
            is_base64_encoded: Some(is_base64_encoded),
            body: Some(body),
            ..Default::default()
        }
    }

    /// A response with a status and no body (e.g. `204`, or a redirect with a `Location` header).
    pub fn empty(status: u16) -> Self {
        AlbTargetGroupResponse {
            status_code: status,
            status_description: Some(http_common::status_description(status)),
            is_base64_encoded: Some(false),
            ..Default::default()
        }
    }

    /// Appends a value to a header in `multiValueHeaders` (for target groups with multi-value headers).
    #[must_use]
    pub fn with_multi_value_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.multi_value_headers
            .entry(name.into())
            .or_default()
            .push(value.into());
        self
    }

    /// The body's bytes: base64-decoded when `isBase64Encoded` is true, empty when there is no body.
    ///
    /// # Errors
    /// When the body is marked base64 but is not valid base64.
    pub fn decoded_body(&self) -> Result<Cow<'_, [u8]>, BodyDecodeError> {
        HttpBody::decoded_body(self)
    }

    /// The value of a header, by case-insensitive name, from `headers` or else `multiValueHeaders`.
    pub fn header(&self, name: &str) -> Option<&str> {
        HttpHeaders::header(self, name)
    }
}

impl HttpBody for AlbTargetGroupResponse {
    fn body_parts(&self) -> (Option<&str>, bool) {
        (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
    }
}

impl HttpHeaders for AlbTargetGroupResponse {
    fn header_map(&self) -> Values<'_> {
        Values::Split(&self.headers, &self.multi_value_headers)
    }
}

http_common::response_builders!(AlbTargetGroupResponse);

#[cfg(feature = "http")]
impl TryFrom<AlbTargetGroupRequest> for http::Request<Vec<u8>> {
    type Error = IntoHttpRequestError;

    /// Builds an `http::Request` from the event: method, path and query (as ALB passed them), headers
    /// from both maps, the decoded body, and the [`AlbTargetGroupRequestContext`] as an extension.
    fn try_from(event: AlbTargetGroupRequest) -> Result<Self, Self::Error> {
        let body = event.decoded_body()?.into_owned();
        let query = http_common::build_query(
            &event.query_string_parameters,
            &event.multi_value_query_string_parameters,
            false,
        );
        http_common::build_request(
            &event.http_method,
            &event.path,
            &query,
            Values::Split(&event.headers, &event.multi_value_headers),
            &[],
            body,
            Some(event.request_context),
        )
    }
}

#[cfg(feature = "http")]
impl<B: AsRef<[u8]>> From<http::Response<B>> for AlbTargetGroupResponse {
    /// Converts a response: status and status description, every header in `multiValueHeaders` and its
    /// last value in `headers` (so it works whether or not the target group has multi-value headers
    /// on), and the body as text for textual content types, else base64.
    fn from(response: http::Response<B>) -> Self {
        let parts = http_common::response_parts(response);
        AlbTargetGroupResponse {
            status_code: parts.status,
            status_description: Some(http_common::status_description(parts.status)),
            headers: parts.headers.into(),
            multi_value_headers: parts.multi_value_headers.into(),
            is_base64_encoded: Some(parts.is_base64_encoded),
            body: parts.body,
            other: OtherFields::new(),
        }
    }
}
