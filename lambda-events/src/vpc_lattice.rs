//! Amazon VPC Lattice events: the request a VPC Lattice service sends to a Lambda target group (event
//! structure version 1 or 2, chosen on the target group) and the response it expects back.
//!
//! Version 1 uses snake_case field names; version 2 uses camelCase, adds `requestContext` (service
//! network, service, target group, caller identity) and may carry several values per header or query
//! parameter.
//!
//! ```
//! use lambda_fn_events::vpc_lattice::{VpcLatticeRequestV2, VpcLatticeResponse};
//!
//! let event: VpcLatticeRequestV2 = serde_json::from_str(r#"{
//!     "version": "2.0",
//!     "path": "/orders",
//!     "method": "GET",
//!     "headers": {"accept": ["application/json"], "x-tenant": ["a", "b"]},
//!     "queryStringParameters": {"limit": ["10"]},
//!     "body": "",
//!     "isBase64Encoded": false,
//!     "requestContext": {
//!         "serviceArn": "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0",
//!         "identity": {"type": "AWS_IAM", "principal": "arn:aws:iam::123456789012:role/caller"},
//!         "region": "us-east-1",
//!         "timeEpoch": "1700000000123456"
//!     }
//! }"#).unwrap();
//! assert_eq!(event.header("Accept"), Some("application/json"));
//! assert_eq!(event.header_values("x-tenant"), ["a", "b"]);
//! assert_eq!(event.query("limit"), Some("10"));
//! assert!(event.request_context.time().is_some());
//!
//! let response = VpcLatticeResponse::json(200, &serde_json::json!({"orders": []})).unwrap();
//! assert_eq!(response.status_description.as_deref(), Some("200 OK"));
//! ```

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

pub use crate::encoding::StringOrList;
use crate::encoding::{BodyDecodeError, OtherFields, PresenceMap};
use crate::http_common::{self, HttpBody, HttpHeaders, HttpQuery, Values};

/// The version 1 request a VPC Lattice service sends to a Lambda target (snake_case fields).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VpcLatticeRequestV1 {
    /// The request path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_path: Option<String>,
    /// The HTTP method.
    #[serde(default)]
    pub method: String,
    /// Request headers.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Query parameters.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub query_string_parameters: PresenceMap<String, String>,
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

impl HttpBody for VpcLatticeRequestV1 {
    fn body_parts(&self) -> (Option<&str>, bool) {
        (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
    }
}

impl HttpHeaders for VpcLatticeRequestV1 {
    fn header_map(&self) -> Values<'_> {
        Values::Single(&self.headers)
    }
}

impl HttpQuery for VpcLatticeRequestV1 {
    fn query_map(&self) -> Values<'_> {
        Values::Single(&self.query_string_parameters)
    }
}

impl VpcLatticeRequestV1 {
    /// The body's bytes: base64-decoded when `is_base64_encoded` is true, empty when there is no body.
    ///
    /// # Errors
    /// When the body is marked base64 but is not valid base64.
    pub fn decoded_body(&self) -> Result<Cow<'_, [u8]>, BodyDecodeError> {
        HttpBody::decoded_body(self)
    }

    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        HttpHeaders::header(self, name)
    }

    /// The value of a query parameter (exact name first, then case-insensitive).
    pub fn query(&self, name: &str) -> Option<&str> {
        HttpQuery::query(self, name)
    }
}

/// The version 2 request a VPC Lattice service sends to a Lambda target.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VpcLatticeRequestV2 {
    /// The event structure version, `2.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The request path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The HTTP method.
    #[serde(default)]
    pub method: String,
    /// Request headers; each value is a list, or a string.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, StringOrList>,
    /// Query parameters; each value is a list, or a string.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub query_string_parameters: PresenceMap<String, StringOrList>,
    /// The request body, as text or base64 (see [`decoded_body`](Self::decoded_body)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Whether `body` is base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_base64_encoded: Option<bool>,
    /// Service network, service, target group and caller.
    #[serde(default)]
    pub request_context: VpcLatticeRequestContext,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl HttpBody for VpcLatticeRequestV2 {
    fn body_parts(&self) -> (Option<&str>, bool) {
        (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
    }
}

impl HttpHeaders for VpcLatticeRequestV2 {
    fn header_map(&self) -> Values<'_> {
        Values::Lists(&self.headers)
    }
}

impl HttpQuery for VpcLatticeRequestV2 {
    fn query_map(&self) -> Values<'_> {
        Values::Lists(&self.query_string_parameters)
    }
}

impl VpcLatticeRequestV2 {
    /// The body's bytes: base64-decoded when `isBase64Encoded` is true, empty when there is no body.
    ///
    /// # Errors
    /// When the body is marked base64 but is not valid base64.
    pub fn decoded_body(&self) -> Result<Cow<'_, [u8]>, BodyDecodeError> {
        HttpBody::decoded_body(self)
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        HttpHeaders::header(self, name)
    }

    /// Every value of a header, by case-insensitive name.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        HttpHeaders::header_values(self, name)
    }

    /// The first value of a query parameter (exact name first, then case-insensitive).
    pub fn query(&self, name: &str) -> Option<&str> {
        HttpQuery::query(self, name)
    }

    /// Every value of a query parameter.
    pub fn query_values(&self, name: &str) -> Vec<&str> {
        HttpQuery::query_values(self, name)
    }
}

/// `requestContext` of a version 2 request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VpcLatticeRequestContext {
    /// The service network that delivered the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_network_arn: Option<String>,
    /// The service that received the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    /// The target group that invoked the function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    /// The caller.
    #[serde(default)]
    pub identity: VpcLatticeIdentity,
    /// The AWS Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The request time in microseconds since the Unix epoch, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_epoch: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl VpcLatticeRequestContext {
    /// `timeEpoch` (microseconds) as a time.
    pub fn time(&self) -> Option<SystemTime> {
        let micros: u64 = self.time_epoch.as_deref()?.trim().parse().ok()?;
        UNIX_EPOCH.checked_add(Duration::from_micros(micros))
    }
}

/// `requestContext.identity` of a version 2 request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VpcLatticeIdentity {
    /// The VPC the request came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_vpc_arn: Option<String>,
    /// `AWS_IAM` when the request was signed, else absent.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// The authenticated principal (IAM auth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// The principal's AWS Organizations id.
    #[serde(default, rename = "principalOrgID", skip_serializing_if = "Option::is_none")]
    pub principal_org_id: Option<String>,
    /// The role session name, for assumed roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_name: Option<String>,
    /// Client certificate issuer OU (Roles Anywhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x509_issuer_ou: Option<String>,
    /// Client certificate SAN DNS name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x509_san_dns: Option<String>,
    /// Client certificate SAN name CN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x509_san_name_cn: Option<String>,
    /// Client certificate SAN URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x509_san_uri: Option<String>,
    /// Client certificate subject CN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x509_subject_cn: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The response a Lambda target returns to VPC Lattice (either event version).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VpcLatticeResponse {
    /// Whether `body` is base64 that VPC Lattice must decode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_base64_encoded: Option<bool>,
    /// The HTTP status code.
    #[serde(default)]
    pub status_code: u16,
    /// The status line text, e.g. `200 OK`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_description: Option<String>,
    /// Response headers.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// The response body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl VpcLatticeResponse {
    fn from_parts(status: u16, content_type: &str, body: String, is_base64_encoded: bool) -> Self {
        VpcLatticeResponse {
            status_code: status,
            status_description: Some(http_common::status_description(status)),
            headers: [(String::from("Content-Type"), content_type.to_owned())].into(),
            is_base64_encoded: Some(is_base64_encoded),
            body: Some(body),
            ..Default::default()
        }
    }

    /// A response with a status and no body.
    pub fn empty(status: u16) -> Self {
        VpcLatticeResponse {
            status_code: status,
            status_description: Some(http_common::status_description(status)),
            is_base64_encoded: Some(false),
            ..Default::default()
        }
    }

    /// The body's bytes: base64-decoded when `isBase64Encoded` is true, empty when there is no body.
    ///
    /// # Errors
    /// When the body is marked base64 but is not valid base64.
    pub fn decoded_body(&self) -> Result<Cow<'_, [u8]>, BodyDecodeError> {
        HttpBody::decoded_body(self)
    }
}

impl HttpBody for VpcLatticeResponse {
    fn body_parts(&self) -> (Option<&str>, bool) {
        (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
    }
}

http_common::response_builders!(VpcLatticeResponse);

#[cfg(feature = "http")]
impl<B: AsRef<[u8]>> From<http::Response<B>> for VpcLatticeResponse {
    /// Converts a response: status and status description, headers with several values comma-joined
    /// (`Set-Cookie` values too, as VPC Lattice responses have no multi-value headers), and the body as
    /// text for textual content types, else base64.
    fn from(response: http::Response<B>) -> Self {
        let parts = http_common::response_parts(response);
        let mut headers = parts.joined_headers;
        if !parts.cookies.is_empty() {
            headers.insert(String::from("set-cookie"), parts.cookies.join(", "));
        }
        VpcLatticeResponse {
            status_code: parts.status,
            status_description: Some(http_common::status_description(parts.status)),
            headers: headers.into(),
            body: parts.body,
            is_base64_encoded: Some(parts.is_base64_encoded),
            other: OtherFields::new(),
        }
    }
}
