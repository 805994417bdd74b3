//! API Gateway HTTP API (v2) Lambda proxy integration, payload format 2.0: request and response.

use std::borrow::Cow;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::rest::{ApiGatewayClientCert, epoch_millis_or_seconds};
use crate::encoding::{BodyDecodeError, OtherFields, PresenceMap};
pub use crate::http_common::ApiGatewayV2HttpResponse;
use crate::http_common::{self, HttpBody, HttpHeaders, HttpQuery, Values};

/// The request an HTTP API sends to a Lambda integration with payload format 2.0.
///
/// Headers with several values arrive comma-joined in `headers`; query parameters likewise in
/// `queryStringParameters` (the undecoded original is `rawQueryString`); cookies arrive in `cookies`
/// rather than in a `cookie` header.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2HttpRequest {
    /// The payload format version, `2.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The route that matched, e.g. `GET /pets/{id}` or `$default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_key: Option<String>,
    /// The request path as the client sent it, e.g. `/pets/42`.
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
    /// Path parameters of the matched route.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub path_parameters: PresenceMap<String, String>,
    /// Stage variables.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub stage_variables: PresenceMap<String, String>,
    /// API, stage, caller and authorizer details.
    #[serde(default)]
    pub request_context: ApiGatewayV2HttpRequestContext,
    /// The request body, as text or base64 (see [`decoded_body`](Self::decoded_body)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Whether `body` is base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_base64_encoded: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl HttpBody for ApiGatewayV2HttpRequest {
    fn body_parts(&self) -> (Option<&str>, bool) {
        (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
    }
}

impl HttpHeaders for ApiGatewayV2HttpRequest {
    fn header_map(&self) -> Values<'_> {
        Values::Single(&self.headers)
    }
}

impl HttpQuery for ApiGatewayV2HttpRequest {
    fn query_map(&self) -> Values<'_> {
        Values::Single(&self.query_string_parameters)
    }
}

impl ApiGatewayV2HttpRequest {
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

    /// A path parameter of the matched route.
    pub fn path_parameter(&self, name: &str) -> Option<&str> {
        self.path_parameters.get(name).map(String::as_str)
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

/// `requestContext` of an HTTP API request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2HttpRequestContext {
    /// The route that matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_key: Option<String>,
    /// The AWS account that owns the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The stage, e.g. `$default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// What the JWT, Lambda or IAM authorizer established, when the route has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorizer: Option<ApiGatewayV2HttpRequestContextAuthorizer>,
    /// The API id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_id: Option<String>,
    /// Mutual TLS details, when the custom domain requires client certificates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<ApiGatewayV2Authentication>,
    /// The full domain name used to invoke the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// The first label of `domainName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_prefix: Option<String>,
    /// The request time in CLF format, e.g. `12/Mar/2020:19:03:58 +0000`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The request time in milliseconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_epoch: Option<i64>,
    /// Method, path, protocol, source IP and user agent.
    #[serde(default)]
    pub http: ApiGatewayV2HttpRequestContextHttp,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl ApiGatewayV2HttpRequestContext {
    /// `timeEpoch` as a time (seconds are accepted too, as local emulators send them).
    pub fn time(&self) -> Option<SystemTime> {
        self.time_epoch.map(epoch_millis_or_seconds)
    }
}

/// `requestContext.http` of an HTTP API (or Function URL) request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2HttpRequestContextHttp {
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

/// `requestContext.authentication` (mutual TLS) of an HTTP API request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2Authentication {
    /// The client certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert: Option<ApiGatewayClientCert>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `requestContext.authorizer` of an HTTP API request: one of `jwt`, `lambda` or `iam`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2HttpRequestContextAuthorizer {
    /// The JWT authorizer's verified claims and scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<ApiGatewayV2JwtAuthorizer>,
    /// The `context` a Lambda authorizer returned.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub lambda: PresenceMap<String, serde_json::Value>,
    /// The IAM caller, for routes with IAM authorization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<ApiGatewayV2IamAuthorizer>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `authorizer.jwt` of an HTTP API request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ApiGatewayV2JwtAuthorizer {
    /// The token's claims (API Gateway sends them as strings; arrays arrive as `[a b]` text).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub claims: PresenceMap<String, serde_json::Value>,
    /// The token's scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl ApiGatewayV2JwtAuthorizer {
    /// A claim's value when it is a string.
    pub fn claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(serde_json::Value::as_str)
    }
}

/// `authorizer.iam` of an HTTP API (or Function URL) request: the IAM caller.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2IamAuthorizer {
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
    pub cognito_identity: Option<ApiGatewayV2CognitoIdentity>,
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

/// `authorizer.iam.cognitoIdentity`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2CognitoIdentity {
    /// Authentication methods references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amr: Option<Vec<String>>,
    /// The Cognito identity id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_id: Option<String>,
    /// The Cognito identity pool id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_pool_id: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

#[cfg(feature = "http")]
impl TryFrom<ApiGatewayV2HttpRequest> for http::Request<Vec<u8>> {
    type Error = super::IntoHttpRequestError;

    /// Builds an `http::Request` from the event: method, `rawPath` and `rawQueryString`, headers,
    /// a `cookie` header rebuilt from `cookies`, the decoded body, and the
    /// [`ApiGatewayV2HttpRequestContext`] as an extension.
    fn try_from(event: ApiGatewayV2HttpRequest) -> Result<Self, Self::Error> {
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
