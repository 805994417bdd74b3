//! AWS IoT: custom authorizer request and response, IoT 1-Click device events and the (legacy)
//! IoT button event.
//!
//! ```
//! use lambda_fn_events::iot::{IoTCustomAuthorizerRequest, IoTCustomAuthorizerResponse, IoTPolicyDocument};
//!
//! let request: IoTCustomAuthorizerRequest = serde_json::from_str(r#"{
//!     "token": "abc",
//!     "signatureVerified": false,
//!     "protocols": ["mqtt"],
//!     "protocolData": {"mqtt": {"username": "device-1", "password": "c2VjcmV0", "clientId": "device-1"}},
//!     "connectionMetadata": {"id": "0f1e2d3c"}
//! }"#).unwrap();
//! let mqtt = request.protocol_data.unwrap().mqtt.unwrap();
//! assert_eq!(mqtt.password.unwrap().as_ref(), b"secret");
//!
//! let response = IoTCustomAuthorizerResponse::allow(
//!     "device-1",
//!     IoTPolicyDocument::allow(["iot:Connect"], ["arn:aws:iot:eu-west-1:123456789012:client/device-1"]),
//! );
//! let json = serde_json::to_value(&response).unwrap();
//! assert_eq!(json["isAuthenticated"], true);
//! assert_eq!(json["policyDocuments"][0]["Statement"][0]["Effect"], "Allow");
//! ```

use std::fmt;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

pub use crate::encoding::StringOrList;
use crate::encoding::{Base64Data, OtherFields, PresenceMap};

/// The request an AWS IoT custom authorizer receives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTCustomAuthorizerRequest {
    /// The token the device presented (absent when the authorizer does not use one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// AWS IoT verified the token signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_verified: Option<bool>,
    /// Protocols of the connection (`tls`, `http`, `mqtt`).
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub protocols: Vec<String>,
    /// Per-protocol data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_data: Option<IoTProtocolData>,
    /// Connection metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_metadata: Option<IoTConnectionMetadata>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `protocolData` of an [`IoTCustomAuthorizerRequest`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IoTProtocolData {
    /// TLS data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<IoTTlsContext>,
    /// HTTP data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<IoTHttpContext>,
    /// MQTT data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mqtt: Option<IoTMqttContext>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// TLS data of a connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTTlsContext {
    /// SNI server name.
    #[serde(default)]
    pub server_name: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// HTTP data of a connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTHttpContext {
    /// Request headers.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Query string (with its leading `?`).
    #[serde(default)]
    pub query_string: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// MQTT data of a connection. The password is base64 on the wire and decoded here; `Debug` hides it.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTMqttContext {
    /// MQTT user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// MQTT password (decoded bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Base64Data>,
    /// MQTT client id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl fmt::Debug for IoTMqttContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IoTMqttContext")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("client_id", &self.client_id)
            .field("other", &self.other)
            .finish()
    }
}

/// `connectionMetadata` of an [`IoTCustomAuthorizerRequest`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IoTConnectionMetadata {
    /// Connection id.
    #[serde(default)]
    pub id: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The answer of an AWS IoT custom authorizer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTCustomAuthorizerResponse {
    /// Whether the device is authenticated.
    #[serde(default)]
    pub is_authenticated: bool,
    /// Principal the policies apply to.
    #[serde(default)]
    pub principal_id: String,
    /// Seconds after which the connection is closed (300 to 86400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disconnect_after_in_seconds: Option<i64>,
    /// Seconds after which the authorizer is invoked again (300 to 86400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_after_in_seconds: Option<i64>,
    /// IoT policies granted, as documents or as JSON strings.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub policy_documents: Vec<IoTPolicy>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl IoTCustomAuthorizerResponse {
    /// An authenticated answer granting `policy` to `principal_id`.
    pub fn allow(principal_id: impl Into<String>, policy: IoTPolicyDocument) -> Self {
        IoTCustomAuthorizerResponse {
            is_authenticated: true,
            principal_id: principal_id.into(),
            policy_documents: vec![IoTPolicy::Document(policy)],
            ..Default::default()
        }
    }

    /// An unauthenticated answer.
    pub fn deny(principal_id: impl Into<String>) -> Self {
        IoTCustomAuthorizerResponse {
            principal_id: principal_id.into(),
            ..Default::default()
        }
    }
}

/// One entry of `policyDocuments`: AWS accepts a policy object or the policy as a JSON string, and
/// either round-trips unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IoTPolicy {
    /// A policy object.
    Document(IoTPolicyDocument),
    /// A policy serialized as a JSON string.
    Json(String),
}

/// An IoT policy document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IoTPolicyDocument {
    /// Policy language version (`2012-10-17`).
    #[serde(default)]
    pub version: String,
    /// Statements.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub statement: Vec<IoTPolicyStatement>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl IoTPolicyDocument {
    /// A `2012-10-17` policy with one `Allow` statement.
    pub fn allow<A, R>(actions: A, resources: R) -> Self
    where
        A: IntoIterator,
        A::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        IoTPolicyDocument {
            version: String::from("2012-10-17"),
            statement: vec![IoTPolicyStatement {
                action: StringOrList::Many(actions.into_iter().map(Into::into).collect()),
                effect: String::from("Allow"),
                resource: StringOrList::Many(resources.into_iter().map(Into::into).collect()),
                ..Default::default()
            }],
            other: OtherFields::new(),
        }
    }
}

/// A statement of an [`IoTPolicyDocument`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IoTPolicyStatement {
    /// Actions (`iot:Connect`, `iot:Publish`, ...).
    #[serde(default)]
    pub action: StringOrList,
    /// `Allow` or `Deny`.
    #[serde(default)]
    pub effect: String,
    /// Resource ARNs.
    #[serde(default)]
    pub resource: StringOrList,
    /// Conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<serde_json::Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An AWS IoT 1-Click device event (a button press).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTOneClickEvent {
    /// What the device reported.
    #[serde(default)]
    pub device_event: IoTOneClickDeviceEvent,
    /// The device.
    #[serde(default)]
    pub device_info: IoTOneClickDeviceInfo,
    /// The placement the device belongs to.
    #[serde(default)]
    pub placement_info: IoTOneClickPlacementInfo,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `deviceEvent` of an [`IoTOneClickEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTOneClickDeviceEvent {
    /// The button click.
    #[serde(default)]
    pub button_clicked: IoTOneClickButtonClicked,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `buttonClicked` of an IoT 1-Click device event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTOneClickButtonClicked {
    /// `SINGLE`, `DOUBLE` or `LONG`.
    #[serde(default)]
    pub click_type: String,
    /// When the device reported the click (ISO 8601); see [`Self::reported_time`].
    #[serde(default)]
    pub reported_time: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl IoTOneClickButtonClicked {
    /// [`Self::reported_time`] as a `SystemTime`.
    pub fn reported_time(&self) -> Option<SystemTime> {
        crate::encoding::parse_iso8601(&self.reported_time)
    }
}

/// `deviceInfo` of an [`IoTOneClickEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTOneClickDeviceInfo {
    /// Device attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub attributes: PresenceMap<String, String>,
    /// Device type (`button`).
    #[serde(rename = "type", default)]
    pub device_type: String,
    /// Device id.
    #[serde(default)]
    pub device_id: String,
    /// Remaining battery life, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_life: Option<f64>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `placementInfo` of an [`IoTOneClickEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTOneClickPlacementInfo {
    /// Project name.
    #[serde(default)]
    pub project_name: String,
    /// Placement name.
    #[serde(default)]
    pub placement_name: String,
    /// Placement attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub attributes: PresenceMap<String, String>,
    /// Device template name to device id.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub devices: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The event of an AWS IoT button (the original Dash-style button).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IoTButtonEvent {
    /// Serial number of the button.
    #[serde(default)]
    pub serial_number: String,
    /// `SINGLE`, `DOUBLE` or `LONG`.
    #[serde(default)]
    pub click_type: String,
    /// Battery voltage (`2000 mV`).
    #[serde(default)]
    pub battery_voltage: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
