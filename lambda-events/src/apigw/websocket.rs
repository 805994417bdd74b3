//! API Gateway WebSocket API Lambda integration request.

use std::borrow::Cow;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::rest::{ApiGatewayRequestIdentity, epoch_millis_or_seconds};
use crate::encoding::{BodyDecodeError, OtherFields, PresenceMap, from_epoch_millis};
use crate::http_common::{HttpBody, HttpHeaders, HttpQuery, Values};

/// The request a WebSocket API sends to a Lambda integration: `$connect` (with the handshake's
/// headers and query), `$disconnect`, `$default` and custom routes (with the message in `body`).
///
/// Reply to the client with an [`ApiGatewayProxyResponse`](super::ApiGatewayProxyResponse) (for
/// `$connect`, its status accepts or rejects the connection) or through the `@connections` API.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayWebsocketProxyRequest {
    /// The resource template (when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The path (when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The HTTP method (when sent; `$connect` handshakes are `GET`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    /// Handshake headers (on `$connect` and `$disconnect`).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Handshake headers with every value.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub multi_value_headers: PresenceMap<String, Vec<String>>,
    /// Handshake query parameters.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub query_string_parameters: PresenceMap<String, String>,
    /// Handshake query parameters with every value.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub multi_value_query_string_parameters: PresenceMap<String, Vec<String>>,
    /// Path parameters (when sent).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub path_parameters: PresenceMap<String, String>,
    /// Stage variables.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub stage_variables: PresenceMap<String, String>,
    /// Connection, route and caller details.
    #[serde(default)]
    pub request_context: ApiGatewayWebsocketProxyRequestContext,
    /// The message, as text or base64 (see [`decoded_body`](Self::decoded_body)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Whether `body` is base64 (binary frames).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_base64_encoded: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl HttpBody for ApiGatewayWebsocketProxyRequest {
    fn body_parts(&self) -> (Option<&str>, bool) {
        (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
    }
}

impl HttpHeaders for ApiGatewayWebsocketProxyRequest {
    fn header_map(&self) -> Values<'_> {
        Values::Split(&self.headers, &self.multi_value_headers)
    }
}

impl HttpQuery for ApiGatewayWebsocketProxyRequest {
    fn query_map(&self) -> Values<'_> {
        Values::Split(&self.query_string_parameters, &self.multi_value_query_string_parameters)
    }
}

impl ApiGatewayWebsocketProxyRequest {
    /// The message bytes: base64-decoded when `isBase64Encoded` is true, empty when there is no body.
    ///
    /// # Errors
    /// When the body is marked base64 but is not valid base64.
    pub fn decoded_body(&self) -> Result<Cow<'_, [u8]>, BodyDecodeError> {
        HttpBody::decoded_body(self)
    }

    /// The value of a handshake header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        HttpHeaders::header(self, name)
    }

    /// The value of a handshake query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        HttpQuery::query(self, name)
    }
}

/// `requestContext` of a WebSocket request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayWebsocketProxyRequestContext {
    /// The AWS account that owns the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The resource id (when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// The stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The caller.
    #[serde(default)]
    pub identity: ApiGatewayRequestIdentity,
    /// The resource template (when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_path: Option<String>,
    /// What the `$connect` route's authorizer returned.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub authorizer: PresenceMap<String, serde_json::Value>,
    /// The HTTP method (when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    /// The API id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_id: Option<String>,
    /// When the connection was opened, in milliseconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_at: Option<i64>,
    /// The connection id, to send messages back through the `@connections` API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// The API's domain name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// `CONNECT`, `MESSAGE` or `DISCONNECT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// API Gateway's extended request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_request_id: Option<String>,
    /// `IN` for messages from the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_direction: Option<String>,
    /// The message id (on `MESSAGE` events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The request time in CLF format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_time: Option<String>,
    /// The request time in milliseconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_time_epoch: Option<i64>,
    /// The route that matched: `$connect`, `$disconnect`, `$default` or a custom route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_key: Option<String>,
    /// The close frame's status code (on `$disconnect`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disconnect_status_code: Option<i64>,
    /// Why the connection closed (on `$disconnect`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disconnect_reason: Option<String>,
    /// Fields this crate has no typed field for (`error`, `status`, `integrationLatency`, ...).
    #[serde(flatten)]
    pub other: OtherFields,
}

impl ApiGatewayWebsocketProxyRequestContext {
    /// `connectedAt` as a time.
    pub fn connected_at(&self) -> Option<SystemTime> {
        self.connected_at.map(from_epoch_millis)
    }

    /// `requestTimeEpoch` as a time.
    pub fn request_time(&self) -> Option<SystemTime> {
        self.request_time_epoch.map(epoch_millis_or_seconds)
    }
}
