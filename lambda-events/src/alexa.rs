//! Alexa custom skill requests and responses.
//!
//! ```
//! use lambda_fn_events::alexa::{AlexaRequest, AlexaRequestKind, AlexaResponse};
//!
//! let request: AlexaRequest = serde_json::from_str(r#"{
//!     "version": "1.0",
//!     "session": {"new": false, "sessionId": "amzn1.echo-api.session.1",
//!                 "application": {"applicationId": "amzn1.ask.skill.1"}, "user": {"userId": "amzn1.ask.account.1"}},
//!     "context": {"System": {"application": {"applicationId": "amzn1.ask.skill.1"},
//!                 "user": {"userId": "amzn1.ask.account.1"}, "device": {"deviceId": "d1", "supportedInterfaces": {}},
//!                 "apiEndpoint": "https://api.amazonalexa.com", "apiAccessToken": "token"}},
//!     "request": {"type": "IntentRequest", "requestId": "amzn1.echo-api.request.1",
//!                 "timestamp": "2024-05-01T12:00:00Z", "locale": "en-US",
//!                 "intent": {"name": "HelloIntent", "confirmationStatus": "NONE",
//!                            "slots": {"name": {"name": "name", "value": "Ada", "confirmationStatus": "NONE"}}}}
//! }"#).unwrap();
//! assert_eq!(request.request.kind(), AlexaRequestKind::Intent);
//! assert_eq!(request.slot_value("name"), Some("Ada"));
//!
//! let response = AlexaResponse::plain_text("Hello Ada", true);
//! let json = serde_json::to_value(&response).unwrap();
//! assert_eq!(json["response"]["outputSpeech"]["text"], "Hello Ada");
//! assert_eq!(json["response"]["shouldEndSession"], true);
//! ```

use std::fmt;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::encoding::{OtherFields, PresenceMap};

/// A request from Alexa to a custom skill.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlexaRequest {
    /// Protocol version (`1.0`).
    #[serde(default)]
    pub version: String,
    /// The session; absent for out-of-session requests (AudioPlayer, Messaging, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<AlexaSession>,
    /// State of the device and the Alexa service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<AlexaContext>,
    /// What the user asked for.
    #[serde(default)]
    pub request: AlexaRequestBody,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl AlexaRequest {
    /// The value of an intent slot, when the request is an intent with that slot filled.
    pub fn slot_value(&self, slot: &str) -> Option<&str> {
        self.request.intent.as_ref()?.slots.get(slot)?.value.as_deref()
    }

    /// A session attribute, when there is a session and it has that attribute.
    pub fn session_attribute(&self, key: &str) -> Option<&Value> {
        self.session.as_ref()?.attributes.get(key)
    }
}

/// `session` of an Alexa request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaSession {
    /// This request starts the session.
    #[serde(default)]
    pub new: bool,
    /// Session id.
    #[serde(default)]
    pub session_id: String,
    /// The skill.
    #[serde(default)]
    pub application: AlexaApplication,
    /// Attributes the skill stored in the session (from `sessionAttributes` of earlier responses).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub attributes: PresenceMap<String, Value>,
    /// The Amazon account of the user.
    #[serde(default)]
    pub user: AlexaUser,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A skill (`application`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaApplication {
    /// Skill id (`amzn1.ask.skill...`).
    #[serde(default)]
    pub application_id: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A user (`user`). Its `Debug` output hides the access token.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaUser {
    /// User id (`amzn1.ask.account...`), specific to the skill.
    #[serde(default)]
    pub user_id: String,
    /// Account-linking access token, when the user linked an account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Permissions the user granted (deprecated `consentToken`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl fmt::Debug for AlexaUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlexaUser")
            .field("user_id", &self.user_id)
            .field("access_token", &self.access_token.as_ref().map(|_| "<redacted>"))
            .field("permissions", &self.permissions)
            .field("other", &self.other)
            .finish()
    }
}

/// `context` of an Alexa request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlexaContext {
    /// The Alexa service and device.
    #[serde(rename = "System", default)]
    pub system: AlexaSystem,
    /// Fields this crate has no typed field for (`AudioPlayer`, `Viewport`, `Geolocation`, ...).
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `context.System` of an Alexa request. Its `Debug` output hides the API access token.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaSystem {
    /// The skill.
    #[serde(default)]
    pub application: AlexaApplication,
    /// The user.
    #[serde(default)]
    pub user: AlexaUser,
    /// The device.
    #[serde(default)]
    pub device: AlexaDevice,
    /// Base URL of the Alexa APIs for this user's region.
    #[serde(default)]
    pub api_endpoint: String,
    /// Token for the Alexa APIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_access_token: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl fmt::Debug for AlexaSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlexaSystem")
            .field("application", &self.application)
            .field("user", &self.user)
            .field("device", &self.device)
            .field("api_endpoint", &self.api_endpoint)
            .field(
                "api_access_token",
                &self.api_access_token.as_ref().map(|_| "<redacted>"),
            )
            .field("other", &self.other)
            .finish()
    }
}

/// `context.System.device`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaDevice {
    /// Device id.
    #[serde(default)]
    pub device_id: String,
    /// Interfaces the device supports (`AudioPlayer`, `Display`, ...), each with its settings.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub supported_interfaces: PresenceMap<String, Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The kind of an Alexa request, from its `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlexaRequestKind {
    /// `LaunchRequest`: the user opened the skill without asking for anything.
    Launch,
    /// `IntentRequest`: the user asked for an intent of the skill.
    Intent,
    /// `SessionEndedRequest`: the session ended (the response is ignored).
    SessionEnded,
    /// `CanFulfillIntentRequest`: Alexa asks whether the skill could fulfil an intent.
    CanFulfillIntent,
    /// Any other type (`AudioPlayer.*`, `Display.*`, `Connections.Response`, ...).
    Other,
}

/// `request` of an Alexa request. One struct covers every type; [`Self::kind`] tells them apart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaRequestBody {
    /// `LaunchRequest`, `IntentRequest`, `SessionEndedRequest`, ...
    #[serde(rename = "type", default)]
    pub request_type: String,
    /// Request id.
    #[serde(default)]
    pub request_id: String,
    /// When Alexa sent the request (ISO 8601); see [`Self::timestamp`].
    #[serde(default)]
    pub timestamp: String,
    /// The user's locale (`en-US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The intent, for `IntentRequest` and `CanFulfillIntentRequest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<AlexaIntent>,
    /// Dialog state for multi-turn dialogs (`STARTED`, `IN_PROGRESS`, `COMPLETED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialog_state: Option<String>,
    /// Why the session ended (`USER_INITIATED`, `ERROR`, `EXCEEDED_MAX_REPROMPTS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Error that ended the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<AlexaError>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl AlexaRequestBody {
    /// The kind of request.
    pub fn kind(&self) -> AlexaRequestKind {
        match self.request_type.as_str() {
            "LaunchRequest" => AlexaRequestKind::Launch,
            "IntentRequest" => AlexaRequestKind::Intent,
            "SessionEndedRequest" => AlexaRequestKind::SessionEnded,
            "CanFulfillIntentRequest" => AlexaRequestKind::CanFulfillIntent,
            _ => AlexaRequestKind::Other,
        }
    }

    /// [`Self::timestamp`] as a `SystemTime`.
    pub fn timestamp(&self) -> Option<SystemTime> {
        crate::encoding::parse_iso8601(&self.timestamp)
    }
}

/// `request.error` of a `SessionEndedRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlexaError {
    /// Error type (`INVALID_RESPONSE`, `DEVICE_COMMUNICATION_ERROR`, `INTERNAL_SERVICE_ERROR`, ...).
    #[serde(rename = "type", default)]
    pub error_type: String,
    /// Description.
    #[serde(default)]
    pub message: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An intent of the skill's interaction model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaIntent {
    /// Intent name.
    #[serde(default)]
    pub name: String,
    /// `NONE`, `CONFIRMED` or `DENIED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_status: Option<String>,
    /// Slots by name.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub slots: PresenceMap<String, AlexaSlot>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A slot of an intent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaSlot {
    /// Slot name.
    #[serde(default)]
    pub name: String,
    /// What the user said, when the slot is filled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `NONE`, `CONFIRMED` or `DENIED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_status: Option<String>,
    /// Entity resolution results (`resolutionsPerAuthority`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolutions: Option<Value>,
    /// Structured slot value (simple or list values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_value: Option<Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The answer of a custom skill.
///
/// ```
/// use lambda_fn_events::alexa::AlexaResponse;
/// let response = AlexaResponse::ssml("<speak>What is your name?</speak>", false)
///     .with_reprompt_text("Please tell me your name.")
///     .with_simple_card("Greeter", "Asked for a name")
///     .with_session_attribute("step", "ask-name");
/// let json = serde_json::to_value(&response).unwrap();
/// assert_eq!(json["response"]["outputSpeech"]["type"], "SSML");
/// assert_eq!(json["response"]["reprompt"]["outputSpeech"]["text"], "Please tell me your name.");
/// assert_eq!(json["response"]["card"]["type"], "Simple");
/// assert_eq!(json["sessionAttributes"]["step"], "ask-name");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaResponse {
    /// Protocol version (`1.0`).
    #[serde(default)]
    pub version: String,
    /// Attributes to keep in the session (sent back in `session.attributes`).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub session_attributes: PresenceMap<String, Value>,
    /// What Alexa says and shows.
    #[serde(default)]
    pub response: AlexaResponseBody,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl Default for AlexaResponse {
    fn default() -> Self {
        AlexaResponse {
            version: String::from("1.0"),
            session_attributes: PresenceMap::absent(),
            response: AlexaResponseBody::default(),
            other: OtherFields::new(),
        }
    }
}

impl AlexaResponse {
    /// A response that says `text`, and ends the session when `end_session` is true.
    pub fn plain_text(text: impl Into<String>, end_session: bool) -> Self {
        Self::speaking(AlexaOutputSpeech::plain_text(text), end_session)
    }

    /// A response that says the SSML document `ssml` (`<speak>...</speak>`).
    pub fn ssml(ssml: impl Into<String>, end_session: bool) -> Self {
        Self::speaking(AlexaOutputSpeech::ssml(ssml), end_session)
    }

    fn speaking(speech: AlexaOutputSpeech, end_session: bool) -> Self {
        let mut response = AlexaResponse::default();
        response.response.output_speech = Some(speech);
        response.response.should_end_session = Some(end_session);
        response
    }

    /// Adds a plain-text reprompt, said when the user does not answer.
    pub fn with_reprompt_text(mut self, text: impl Into<String>) -> Self {
        self.response.reprompt = Some(AlexaReprompt {
            output_speech: AlexaOutputSpeech::plain_text(text),
            ..Default::default()
        });
        self
    }

    /// Adds a `Simple` card shown in the Alexa app.
    pub fn with_simple_card(mut self, title: impl Into<String>, content: impl Into<String>) -> Self {
        self.response.card = Some(AlexaCard::simple(title, content));
        self
    }

    /// Sets a session attribute.
    pub fn with_session_attribute(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.session_attributes.insert(key.into(), value.into());
        self
    }
}

/// `response` of an [`AlexaResponse`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaResponseBody {
    /// What Alexa says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_speech: Option<AlexaOutputSpeech>,
    /// Card shown in the Alexa app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<AlexaCard>,
    /// What Alexa says if the user does not answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reprompt: Option<AlexaReprompt>,
    /// End the session after this response (`None` leaves it to the device).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub should_end_session: Option<bool>,
    /// Directives (`Dialog.Delegate`, `AudioPlayer.Play`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directives: Option<Vec<Value>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Speech: `{"type": "PlainText", "text": ...}` or `{"type": "SSML", "ssml": ...}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaOutputSpeech {
    /// `PlainText` or `SSML`.
    #[serde(rename = "type", default)]
    pub speech_type: String,
    /// The text, for `PlainText`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The SSML document, for `SSML`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssml: Option<String>,
    /// `ENQUEUE`, `REPLACE_ALL` or `REPLACE_ENQUEUED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub play_behavior: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl AlexaOutputSpeech {
    /// Plain-text speech.
    pub fn plain_text(text: impl Into<String>) -> Self {
        AlexaOutputSpeech {
            speech_type: String::from("PlainText"),
            text: Some(text.into()),
            ..Default::default()
        }
    }

    /// SSML speech.
    pub fn ssml(ssml: impl Into<String>) -> Self {
        AlexaOutputSpeech {
            speech_type: String::from("SSML"),
            ssml: Some(ssml.into()),
            ..Default::default()
        }
    }
}

/// `reprompt` of a response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaReprompt {
    /// What Alexa says.
    #[serde(default)]
    pub output_speech: AlexaOutputSpeech,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A card shown in the Alexa app (`Simple`, `Standard`, `LinkAccount`, `AskForPermissionsConsent`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaCard {
    /// Card type.
    #[serde(rename = "type", default)]
    pub card_type: String,
    /// Title (`Simple`, `Standard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Content (`Simple`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Text (`Standard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Image (`Standard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<AlexaCardImage>,
    /// Permissions asked for (`AskForPermissionsConsent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl AlexaCard {
    /// A `Simple` card.
    pub fn simple(title: impl Into<String>, content: impl Into<String>) -> Self {
        AlexaCard {
            card_type: String::from("Simple"),
            title: Some(title.into()),
            content: Some(content.into()),
            ..Default::default()
        }
    }

    /// A `LinkAccount` card, asking the user to link an account.
    pub fn link_account() -> Self {
        AlexaCard {
            card_type: String::from("LinkAccount"),
            ..Default::default()
        }
    }
}

/// Image of a `Standard` card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlexaCardImage {
    /// Small image URL (720x480).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_image_url: Option<String>,
    /// Large image URL (1200x800).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub large_image_url: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
