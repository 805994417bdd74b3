//! API Gateway REST API (v1) Lambda proxy integration: request and response.

use std::borrow::Cow;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::encoding::{BodyDecodeError, OtherFields, PresenceMap, from_epoch_millis};
use crate::http_common::{self, HttpBody, HttpHeaders, HttpQuery, Values};

/// The request API Gateway sends to a Lambda proxy integration of a REST API (payload format 1.0).
///
/// HTTP APIs configured with payload format 1.0 send this shape too.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayProxyRequest {
    /// The resource template that matched, e.g. `/{proxy+}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The request path, e.g. `/hello/world`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The HTTP method.
    #[serde(default)]
    pub http_method: String,
    /// Request headers, the last value of each.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Request headers with every value.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub multi_value_headers: PresenceMap<String, Vec<String>>,
    /// Query parameters (percent-decoded), the last value of each.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub query_string_parameters: PresenceMap<String, String>,
    /// Query parameters with every value.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub multi_value_query_string_parameters: PresenceMap<String, Vec<String>>,
    /// Path parameters of the matched resource, e.g. `proxy` for `/{proxy+}`.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub path_parameters: PresenceMap<String, String>,
    /// Stage variables of the stage that was called.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub stage_variables: PresenceMap<String, String>,
    /// Who called, through which API and stage, and what the authorizer said.
    #[serde(default)]
    pub request_context: ApiGatewayProxyRequestContext,
    /// The request body, as text or base64 (see [`decoded_body`](Self::decoded_body)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Whether `body` is base64 (binary media types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_base64_encoded: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl HttpBody for ApiGatewayProxyRequest {
    fn body_parts(&self) -> (Option<&str>, bool) {
        (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
    }
}

impl HttpHeaders for ApiGatewayProxyRequest {
    fn header_map(&self) -> Values<'_> {
        Values::Split(&self.headers, &self.multi_value_headers)
    }
}

impl HttpQuery for ApiGatewayProxyRequest {
    fn query_map(&self) -> Values<'_> {
        Values::Split(&self.query_string_parameters, &self.multi_value_query_string_parameters)
    }
}

impl ApiGatewayProxyRequest {
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

    /// Every value of a header, by case-insensitive name.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        HttpHeaders::header_values(self, name)
    }

    /// The value of a query parameter from `queryStringParameters` or else the first value in
    /// `multiValueQueryStringParameters`. An exact name match wins; otherwise the name is compared
    /// case-insensitively.
    pub fn query(&self, name: &str) -> Option<&str> {
        HttpQuery::query(self, name)
    }

    /// Every value of a query parameter.
    pub fn query_values(&self, name: &str) -> Vec<&str> {
        HttpQuery::query_values(self, name)
    }

    /// A path parameter of the matched resource.
    pub fn path_parameter(&self, name: &str) -> Option<&str> {
        self.path_parameters.get(name).map(String::as_str)
    }
}

/// `requestContext` of a REST API proxy request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayProxyRequestContext {
    /// The AWS account that owns the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The id of the API resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// The OpenAPI `operationId` of the method, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_name: Option<String>,
    /// The deployment stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The full domain name used to invoke the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// The first label of `domainName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_prefix: Option<String>,
    /// The request id (also the `x-amzn-RequestId` response header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// API Gateway's extended request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_request_id: Option<String>,
    /// The request protocol, e.g. `HTTP/1.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// The caller.
    #[serde(default)]
    pub identity: ApiGatewayRequestIdentity,
    /// The resource template, e.g. `/{proxy+}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_path: Option<String>,
    /// The request path including the stage, e.g. `/prod/hello`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What the Lambda or Cognito authorizer returned: `principalId`, `claims`, context values,
    /// `integrationLatency`, ... Values may be strings, numbers, booleans or objects.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub authorizer: PresenceMap<String, serde_json::Value>,
    /// The HTTP method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    /// The request time in CLF format, e.g. `15/May/2020:06:01:09 +0000`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_time: Option<String>,
    /// The request time in milliseconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_time_epoch: Option<i64>,
    /// The API id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_id: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl ApiGatewayProxyRequestContext {
    /// `requestTimeEpoch` as a time. A value too small to be milliseconds of this era (local
    /// emulators send seconds) is read as seconds.
    pub fn request_time(&self) -> Option<SystemTime> {
        self.request_time_epoch.map(epoch_millis_or_seconds)
    }

    /// The authorizer's `principalId`, when it is a string.
    pub fn principal_id(&self) -> Option<&str> {
        self.authorizer.get("principalId").and_then(serde_json::Value::as_str)
    }

    /// The Cognito user pool authorizer's `claims`, when present.
    pub fn claims(&self) -> Option<&serde_json::Map<String, serde_json::Value>> {
        self.authorizer.get("claims").and_then(serde_json::Value::as_object)
    }
}

/// Epoch milliseconds, or seconds when the value is below 10^11 (before 1973 as milliseconds).
pub(crate) fn epoch_millis_or_seconds(value: i64) -> SystemTime {
    if value.unsigned_abs() < 100_000_000_000 {
        from_epoch_millis(value.saturating_mul(1000))
    } else {
        from_epoch_millis(value)
    }
}

/// `requestContext.identity`: who made a REST API (or WebSocket) request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayRequestIdentity {
    /// The Cognito identity pool id, for Cognito-authenticated callers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_identity_pool_id: Option<String>,
    /// The caller's AWS account, for IAM-authorized requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The Cognito identity id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_identity_id: Option<String>,
    /// The principal identifier of the IAM caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    /// The API key used, for methods that require one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// The id of the API key used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_id: Option<String>,
    /// The access key of the IAM caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key: Option<String>,
    /// The source IP address of the TCP connection to API Gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// `authenticated` or `unauthenticated`, for Cognito identities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_authentication_type: Option<String>,
    /// The Cognito authentication provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_authentication_provider: Option<String>,
    /// The ARN of the IAM caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_arn: Option<String>,
    /// The caller's `User-Agent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The principal identifier of the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The AWS Organizations id of the IAM caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_org_id: Option<String>,
    /// The client certificate, for mutual TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert: Option<ApiGatewayClientCert>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The client certificate presented over mutual TLS (`identity.clientCert`, `authentication.clientCert`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayClientCert {
    /// The certificate in PEM form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert_pem: Option<String>,
    /// The subject distinguished name.
    #[serde(default, rename = "subjectDN", skip_serializing_if = "Option::is_none")]
    pub subject_dn: Option<String>,
    /// The issuer distinguished name.
    #[serde(default, rename = "issuerDN", skip_serializing_if = "Option::is_none")]
    pub issuer_dn: Option<String>,
    /// The certificate serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// The validity period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<ApiGatewayClientCertValidity>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Validity period of a client certificate, dates as API Gateway writes them
/// (e.g. `May 28 12:30:02 2019 GMT`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayClientCertValidity {
    /// Start of validity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// End of validity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The response a Lambda proxy integration returns to a REST API (payload format 1.0).
///
/// API Gateway merges `headers` and `multiValueHeaders`; for a name in both, the multi-value list wins.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayProxyResponse {
    /// The HTTP status code.
    #[serde(default)]
    pub status_code: u16,
    /// Response headers.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Response headers with several values (e.g. `Set-Cookie`).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub multi_value_headers: PresenceMap<String, Vec<String>>,
    /// The response body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Whether `body` is base64 that API Gateway must decode (binary media types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_base64_encoded: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl ApiGatewayProxyResponse {
    fn from_parts(status: u16, content_type: &str, body: String, is_base64_encoded: bool) -> Self {
        ApiGatewayProxyResponse {
            status_code: status,
            headers: [(String::from("Content-Type"), content_type.to_owned())].into(),
            is_base64_encoded: Some(is_base64_encoded),
            body: Some(body),
            ..Default::default()
        }
    }

    /// A response with a status and no body.
    pub fn empty(status: u16) -> Self {
        ApiGatewayProxyResponse {
            status_code: status,
            is_base64_encoded: Some(false),
            ..Default::default()
        }
    }

    /// Appends a value to a header in `multiValueHeaders` (e.g. several `Set-Cookie`).
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

impl HttpBody for ApiGatewayProxyResponse {
    fn body_parts(&self) -> (Option<&str>, bool) {
        (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
    }
}

impl HttpHeaders for ApiGatewayProxyResponse {
    fn header_map(&self) -> Values<'_> {
        Values::Split(&self.headers, &self.multi_value_headers)
    }
}

http_common::response_builders!(ApiGatewayProxyResponse);

#[cfg(feature = "http")]
impl TryFrom<ApiGatewayProxyRequest> for http::Request<Vec<u8>> {
    type Error = super::IntoHttpRequestError;

    /// Builds an `http::Request` from the event: method, path, query (re-encoded from the decoded
    /// parameters), headers from both maps, the decoded body, and the
    /// [`ApiGatewayProxyRequestContext`] as an extension.
    fn try_from(event: ApiGatewayProxyRequest) -> Result<Self, Self::Error> {
        let body = event.decoded_body()?.into_owned();
        let query = http_common::build_query(
            &event.query_string_parameters,
            &event.multi_value_query_string_parameters,
            true,
        );
        http_common::build_request(
            &event.http_method,
            event.path.as_deref().unwrap_or("/"),
            &query,
            Values::Split(&event.headers, &event.multi_value_headers),
            &[],
            body,
            Some(event.request_context),
        )
    }
}

#[cfg(feature = "http")]
impl<B: AsRef<[u8]>> From<http::Response<B>> for ApiGatewayProxyResponse {
    /// Converts a response: every header in `multiValueHeaders` (its last value also in `headers`),
    /// and the body as text for textual content types, else base64.
    fn from(response: http::Response<B>) -> Self {
        let parts = http_common::response_parts(response);
        ApiGatewayProxyResponse {
            status_code: parts.status,
            headers: parts.headers.into(),
            multi_value_headers: parts.multi_value_headers.into(),
            body: parts.body,
            is_base64_encoded: Some(parts.is_base64_encoded),
            other: OtherFields::new(),
        }
    }
}
