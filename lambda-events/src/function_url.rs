//! Lambda Function URL events: the request a function URL sends to its function and the response it
//! expects back.
//!
//! The request has the shape of an API Gateway HTTP API payload 2.0 request: several values of a
//! header are comma-joined, cookies come in `cookies`, and `requestContext.authorizer.iam` describes
//! the caller when the URL uses `AWS_IAM` auth.
//!
//! ```
//! use lambda_fn_events::function_url::{LambdaFunctionUrlRequest, LambdaFunctionUrlResponse};
//!
//! let event: LambdaFunctionUrlRequest = serde_json::from_str(r#"{
//!     "version": "2.0",
//!     "rawPath": "/greet",
//!     "rawQueryString": "name=Ada",
//!     "headers": {"content-type": "text/plain"},
//!     "queryStringParameters": {"name": "Ada"},
//!     "requestContext": {
//!         "domainName": "abc123.lambda-url.us-east-1.on.aws",
//!         "http": {"method": "GET", "path": "/greet", "protocol": "HTTP/1.1", "sourceIp": "198.51.100.1", "userAgent": "curl/8.0"},
//!         "requestId": "r-1",
//!         "timeEpoch": 1700000000000
//!     },
//!     "isBase64Encoded": false
//! }"#).unwrap();
//! assert_eq!(event.method(), "GET");
//! assert_eq!(event.query("name"), Some("Ada"));
//!
//! let response = LambdaFunctionUrlResponse::text(200, "Hello, Ada").with_cookie("seen=1; Secure");
//! assert_eq!(response.cookies, ["seen=1; Secure"]);
//! ```

use std::borrow::Cow;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::encoding::{BodyDecodeError, OtherFields, PresenceMap, from_epoch_millis};
use crate::http_common::{self, ApiGatewayV2HttpResponse, HttpBody, HttpHeaders, HttpQuery, Values};

#[cfg(feature = "http")]
pub use crate::http_common::IntoHttpRequestError;

/// The request a Lambda function URL sends to its function.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionUrlRequest {
    /// The payload format version, `2.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Always `$default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_key: Option<String>,
    /// The request path as the client sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_path: Option<String>,
    /// The query string as the client sent it, without the `?` (may be empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_query_string: Option<String>,
    /// The request's cookies, `name=value` each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies: Option<Vec<String>>,
    /// Request headers (lower-case names; several values comma-joined).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Query parameters, decoded; several values of a name comma-joined.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub query_string_parameters: PresenceMap<String, String>,
    /// Request context: caller, URL, method, time.
    #[serde(default)]
    pub request_context: LambdaFunctionUrlRequestContext,
    /// The request body, as text or base64 (see [`decoded_body`](Self::decoded_body)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Always `null` for function URLs; kept for payload compatibility.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub path_parameters: PresenceMap<String, String>,
    /// Whether `body` is base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_base64_encoded: Option<bool>,
    /// Always `null` for function URLs; kept for payload compatibility.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub stage_variables: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl HttpBody for LambdaFunctionUrlRequest {
    fn body_parts(&self) -> (Option<&str>, bool) {
        (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
    }
}

impl HttpHeaders for LambdaFunctionUrlRequest {
    fn header_map(&self) -> Values<'_> {
        Values::Single(&self.headers)
    }
}

impl HttpQuery for LambdaFunctionUrlRequest {
    fn query_map(&self) -> Values<'_> {
        Values::Single(&self.query_string_parameters)
    }
}

impl LambdaFunctionUrlRequest {
    /// The body's bytes: base64-decoded when `isBase64Encoded` is true, empty when there is no body.
    ///
    /// # Errors
    /// When the body is marked base64 but is not valid base64.
    pub fn decoded_body(&self) -> Result<Cow<'_, [u8]>, BodyDecodeError> {
        HttpBody::decoded_body(self)
    }

    /// The value of a header, by case-insensitive name (several values come comma-joined).
    pub fn header(&self, name: &str) -> Option<&str> {
        HttpHeaders::header(self, name)
    }

    /// The value of a query parameter (several values come comma-joined). An exact name match wins;
    /// otherwise the name is compared case-insensitively.
    pub fn query(&self, name: &str) -> Option<&str> {
        HttpQuery::query(self, name)
    }

    /// The value of a cookie by name, from `cookies`.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        http_common::find_cookie(self.cookies.as_deref().unwrap_or_default(), name)
    }

    /// The HTTP method (`requestContext.http.method`).
    pub fn method(&self) -> &str {
        &self.request_context.http.method
    }
}

/// `requestContext` of a function URL request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionUrlRequestContext {
    /// The AWS account that owns the function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The URL id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_id: Option<String>,
    /// Mutual TLS details (always `null` for function URLs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<serde_json::Value>,
    /// The IAM caller, for URLs with `AWS_IAM` auth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorizer: Option<LambdaFunctionUrlRequestContextAuthorizer>,
    /// The URL's domain name, e.g. `abc123.lambda-url.us-east-1.on.aws`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// The URL id (first label of `domainName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_prefix: Option<String>,
    /// Method, path, protocol, source IP and user agent.
    #[serde(default)]
    pub http: LambdaFunctionUrlRequestContextHttp,
    /// The request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Always `$default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_key: Option<String>,
    /// Always `$default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The request time in CLF format, e.g. `12/Mar/2020:19:03:58 +0000`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The request time in milliseconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_epoch: Option<i64>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LambdaFunctionUrlRequestContext {
    /// `timeEpoch` as a time.
    pub fn time(&self) -> Option<SystemTime> {
        self.time_epoch.map(from_epoch_millis)
    }
}

/// `requestContext.http` of a function URL request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionUrlRequestContextHttp {
    /// The HTTP method.
    #[serde(default)]
    pub method: String,
    /// The request path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The protocol, e.g. `HTTP/1.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// The source IP address of the TCP connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// The `User-Agent` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `requestContext.authorizer` of a function URL request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LambdaFunctionUrlRequestContextAuthorizer {
    /// The IAM caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<LambdaFunctionUrlIamAuthorizer>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `requestContext.authorizer.iam` of a function URL request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionUrlIamAuthorizer {
    /// The caller's access key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key: Option<String>,
    /// The caller's AWS account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The caller's principal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_id: Option<String>,
    /// The Cognito identity, for Cognito identity pool credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_identity: Option<serde_json::Value>,
    /// The caller's AWS Organizations id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_org_id: Option<String>,
    /// The caller's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_arn: Option<String>,
    /// The caller's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The response a function returns to its function URL: the same shape as an HTTP API's payload
/// format 2.0 response, so the same type (`apigw::ApiGatewayV2HttpResponse` when the `apigw`
/// feature is on).
///
/// Several values of a header are comma-joined in `headers`; `Set-Cookie` values go in `cookies`
/// (`with_cookie`). Build one with `html`, `text`, `json`, `binary` or `empty`, then add headers with
/// `with_header`; read it back with `header` and `decoded_body`.
pub type LambdaFunctionUrlResponse = ApiGatewayV2HttpResponse;

#[cfg(feature = "http")]
impl TryFrom<LambdaFunctionUrlRequest> for http::Request<Vec<u8>> {
    type Error = IntoHttpRequestError;

    /// Builds an `http::Request` from the event: method, `rawPath` and `rawQueryString`, headers,
    /// a `cookie` header rebuilt from `cookies`, the decoded body, and the
    /// [`LambdaFunctionUrlRequestContext`] as an extension.
    fn try_from(event: LambdaFunctionUrlRequest) -> Result<Self, Self::Error> {
        let body = event.decoded_body()?.into_owned();
        let request = http_common::V2Request {
            method: &event.request_context.http.method,
            raw_path: event.raw_path.as_deref(),
            context_path: event.request_context.http.path.as_deref(),
            raw_query_string: event.raw_query_string.as_deref(),
            query_string_parameters: &event.query_string_parameters,
            cookies: event.cookies.as_deref().unwrap_or_default(),
            headers: &event.headers,
        };
        http_common::build_v2_request(request, body, event.request_context.clone())
    }
}
