//! Amazon Bedrock agents: the event an action group's Lambda function receives (API-schema and
//! function-details action groups) and its response.
//!
//! ```
//! use lambda_fn_events::bedrock_agent::{AgentActionGroupEvent, AgentActionGroupResponse};
//!
//! let event: AgentActionGroupEvent = serde_json::from_str(r#"{
//!     "messageVersion": "1.0",
//!     "agent": {"name": "travel", "id": "A1", "alias": "TSTALIASID", "version": "DRAFT"},
//!     "inputText": "weather in Lyon?",
//!     "sessionId": "s-1",
//!     "actionGroup": "weather",
//!     "apiPath": "/weather",
//!     "httpMethod": "GET",
//!     "parameters": [{"name": "city", "type": "string", "value": "Lyon"}],
//!     "sessionAttributes": {},
//!     "promptSessionAttributes": {}
//! }"#).unwrap();
//! assert_eq!(event.parameter("city"), Some("Lyon"));
//!
//! let response = AgentActionGroupResponse::json_body(&event, 200, &serde_json::json!({"tempC": 21})).unwrap();
//! let json = serde_json::to_value(&response).unwrap();
//! assert_eq!(json["response"]["apiPath"], "/weather");
//! assert_eq!(json["response"]["httpStatusCode"], 200);
//! assert_eq!(json["response"]["responseBody"]["application/json"]["body"], r#"{"tempC":21}"#);
//! ```

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::encoding::{OtherFields, PresenceMap};

/// The event of a Bedrock agent action group function.
///
/// API-schema action groups set `apiPath`, `httpMethod` and possibly `requestBody`;
/// function-details action groups set `function`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentActionGroupEvent {
    /// Message version (`1.0`).
    #[serde(default)]
    pub message_version: String,
    /// The agent.
    #[serde(default)]
    pub agent: AgentInfo,
    /// The user's input.
    #[serde(default)]
    pub input_text: String,
    /// Session id.
    #[serde(default)]
    pub session_id: String,
    /// Action group name.
    #[serde(default)]
    pub action_group: String,
    /// API path (API-schema action groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_path: Option<String>,
    /// HTTP method (API-schema action groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    /// Function name (function-details action groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// Path, query and header parameters, or function parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<AgentParameter>>,
    /// Request body, by media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<AgentRequestBody>,
    /// Session attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub session_attributes: PresenceMap<String, String>,
    /// Prompt session attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub prompt_session_attributes: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl AgentActionGroupEvent {
    /// The value of the parameter named `name`.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .as_ref()?
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.as_str())
    }

    /// The value of the request body property named `name` for `media_type` (e.g. `application/json`).
    pub fn body_property(&self, media_type: &str, name: &str) -> Option<&str> {
        let content = self.request_body.as_ref()?.content.get(media_type)?;
        content
            .properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.as_str())
    }
}

/// The agent of an action group event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentInfo {
    /// Agent name.
    #[serde(default)]
    pub name: String,
    /// Agent id.
    #[serde(default)]
    pub id: String,
    /// Alias.
    #[serde(default)]
    pub alias: String,
    /// Version.
    #[serde(default)]
    pub version: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A parameter or body property: a name, a type and the value as a string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentParameter {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Type from the schema (`string`, `integer`, `number`, `boolean`, `array`).
    #[serde(rename = "type", default)]
    pub parameter_type: String,
    /// Value, as a string.
    #[serde(default)]
    pub value: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `requestBody` of an action group event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentRequestBody {
    /// Properties by media type.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub content: PresenceMap<String, AgentRequestBodyContent>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The properties of one media type of a request body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentRequestBodyContent {
    /// Properties.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub properties: Vec<AgentParameter>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The answer of an action group function.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentActionGroupResponse {
    /// Message version (`1.0`).
    #[serde(default)]
    pub message_version: String,
    /// The result.
    #[serde(default)]
    pub response: AgentActionResponse,
    /// Session attributes to keep.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub session_attributes: PresenceMap<String, String>,
    /// Prompt session attributes to keep.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub prompt_session_attributes: PresenceMap<String, String>,
    /// Knowledge base configurations for the next turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowledge_bases_configuration: Option<Vec<Value>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl AgentActionGroupResponse {
    /// An API-schema response to `event` with `status` and `body` under `media_type`.
    /// The event's session attributes are carried over (written only when there are any).
    pub fn api(event: &AgentActionGroupEvent, status: u16, media_type: &str, body: impl Into<String>) -> Self {
        let mut response_body = PresenceMap::absent();
        response_body.insert(
            media_type.to_owned(),
            AgentResponseBody {
                body: body.into(),
                other: OtherFields::new(),
            },
        );
        AgentActionGroupResponse {
            message_version: String::from("1.0"),
            response: AgentActionResponse {
                action_group: event.action_group.clone(),
                api_path: event.api_path.clone(),
                http_method: event.http_method.clone(),
                http_status_code: Some(status),
                response_body,
                ..Default::default()
            },
            session_attributes: event.session_attributes.as_map().clone().into(),
            prompt_session_attributes: event.prompt_session_attributes.as_map().clone().into(),
            ..Default::default()
        }
    }

    /// An API-schema response with `value` serialized as an `application/json` body.
    pub fn json_body<T: Serialize>(
        event: &AgentActionGroupEvent,
        status: u16,
        value: &T,
    ) -> Result<Self, serde_json::Error> {
        Ok(Self::api(
            event,
            status,
            "application/json",
            serde_json::to_string(value)?,
        ))
    }

    /// A function-details response to `event` with a `TEXT` body.
    pub fn function_text(event: &AgentActionGroupEvent, body: impl Into<String>) -> Self {
        let mut response_body = PresenceMap::absent();
        response_body.insert(
            String::from("TEXT"),
            AgentResponseBody {
                body: body.into(),
                other: OtherFields::new(),
            },
        );
        AgentActionGroupResponse {
            message_version: String::from("1.0"),
            response: AgentActionResponse {
                action_group: event.action_group.clone(),
                function: event.function.clone(),
                function_response: Some(AgentFunctionResponse {
                    response_body,
                    ..Default::default()
                }),
                ..Default::default()
            },
            session_attributes: event.session_attributes.as_map().clone().into(),
            prompt_session_attributes: event.prompt_session_attributes.as_map().clone().into(),
            ..Default::default()
        }
    }
}

/// `response` of an [`AgentActionGroupResponse`], for both kinds of action groups.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentActionResponse {
    /// Action group, copied from the event.
    #[serde(default)]
    pub action_group: String,
    /// API path, copied from the event (API-schema action groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_path: Option<String>,
    /// HTTP method, copied from the event (API-schema action groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    /// HTTP status (API-schema action groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status_code: Option<u16>,
    /// Body by media type (API-schema action groups).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub response_body: PresenceMap<String, AgentResponseBody>,
    /// `FAILURE` or `REPROMPT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_state: Option<String>,
    /// Function name, copied from the event (function-details action groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// Function result (function-details action groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_response: Option<AgentFunctionResponse>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `functionResponse` of a function-details action group response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentFunctionResponse {
    /// `FAILURE` or `REPROMPT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_state: Option<String>,
    /// Body by content type (`TEXT`).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub response_body: PresenceMap<String, AgentResponseBody>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A response body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentResponseBody {
    /// The body, as a string.
    #[serde(default)]
    pub body: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
