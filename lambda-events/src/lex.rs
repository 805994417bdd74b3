//! Amazon Lex: the V1 code hook event and response ([`LexEvent`], [`LexResponse`]) and the V2 event
//! and response ([`LexV2Event`], [`LexV2Response`]).
//!
//! ```
//! use lambda_fn_events::lex::{LexV2Event, LexV2Response};
//!
//! let event: LexV2Event = serde_json::from_str(r#"{
//!     "messageVersion": "1.0",
//!     "invocationSource": "FulfillmentCodeHook",
//!     "inputMode": "Text",
//!     "responseContentType": "text/plain; charset=utf-8",
//!     "sessionId": "s-1",
//!     "inputTranscript": "book a room in Paris",
//!     "bot": {"id": "B1", "name": "Hotels", "localeId": "en_US", "version": "DRAFT", "aliasId": "TSTALIASID"},
//!     "interpretations": [],
//!     "sessionState": {
//!         "sessionAttributes": {},
//!         "intent": {"name": "BookRoom", "state": "ReadyForFulfillment", "confirmationState": "None",
//!                    "slots": {"City": {"value": {"originalValue": "Paris", "interpretedValue": "Paris",
//!                                                 "resolvedValues": ["Paris"]}},
//!                              "Nights": null}}
//!     }
//! }"#).unwrap();
//! assert_eq!(event.slot_value("City"), Some("Paris"));
//! assert_eq!(event.slot_value("Nights"), None);
//!
//! let intent = event.session_state.intent.clone().unwrap();
//! let response = LexV2Response::close(intent, "Fulfilled").with_plain_text("Booked!");
//! let json = serde_json::to_value(&response).unwrap();
//! assert_eq!(json["sessionState"]["dialogAction"]["type"], "Close");
//! assert_eq!(json["sessionState"]["intent"]["state"], "Fulfilled");
//! assert_eq!(json["messages"][0]["content"], "Booked!");
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::encoding::{OtherFields, PresenceMap};

// =============================================================================================
// Lex V1

/// The event of a Lex V1 code hook (dialog or fulfillment).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexEvent {
    /// Message version (`1.0`).
    #[serde(default)]
    pub message_version: String,
    /// `DialogCodeHook` or `FulfillmentCodeHook`.
    #[serde(default)]
    pub invocation_source: String,
    /// User id of the client.
    #[serde(default)]
    pub user_id: String,
    /// What the user said or typed.
    #[serde(default)]
    pub input_transcript: String,
    /// Session attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub session_attributes: PresenceMap<String, String>,
    /// Request attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub request_attributes: PresenceMap<String, String>,
    /// The bot.
    #[serde(default)]
    pub bot: LexBot,
    /// `Text` or `Voice`.
    #[serde(default)]
    pub output_dialog_mode: String,
    /// The intent being processed.
    #[serde(default)]
    pub current_intent: LexCurrentIntent,
    /// Other intents the NLU considered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative_intents: Option<Vec<LexCurrentIntent>>,
    /// Recent intents of the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_intent_summary_view: Option<Vec<LexIntentSummary>>,
    /// Sentiment analysis, when enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment_response: Option<Value>,
    /// Active contexts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_contexts: Option<Vec<Value>>,
    /// Kendra search response (`AMAZON.KendraSearchIntent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kendra_response: Option<Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A Lex V1 bot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LexBot {
    /// Bot name.
    #[serde(default)]
    pub name: String,
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

/// `currentIntent` of a Lex V1 event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexCurrentIntent {
    /// Intent name.
    #[serde(default)]
    pub name: String,
    /// Slot values (`null` for unfilled slots).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub slots: PresenceMap<String, Option<String>>,
    /// Resolution details of the slots.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub slot_details: PresenceMap<String, LexSlotDetail>,
    /// `None`, `Confirmed` or `Denied`.
    #[serde(default)]
    pub confirmation_status: String,
    /// NLU confidence score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nlu_intent_confidence_score: Option<f64>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Resolution details of a slot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexSlotDetail {
    /// Resolved values.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub resolutions: Vec<HashMap<String, String>>,
    /// What the user said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_value: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An entry of `recentIntentSummaryView`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexIntentSummary {
    /// Intent name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent_name: Option<String>,
    /// Checkpoint label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_label: Option<String>,
    /// Slot values.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub slots: PresenceMap<String, Option<String>>,
    /// Confirmation status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_status: Option<String>,
    /// Dialog action type.
    #[serde(default)]
    pub dialog_action_type: String,
    /// Fulfillment state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfillment_state: Option<String>,
    /// Slot to elicit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_to_elicit: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The answer of a Lex V1 code hook.
///
/// ```
/// use lambda_fn_events::lex::LexResponse;
/// let response = LexResponse::close("Fulfilled", "Your room is booked.");
/// let json = serde_json::to_value(&response).unwrap();
/// assert_eq!(json["dialogAction"]["type"], "Close");
/// assert_eq!(json["dialogAction"]["message"]["content"], "Your room is booked.");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexResponse {
    /// Session attributes to keep.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub session_attributes: PresenceMap<String, String>,
    /// Recent intents to set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_intent_summary_view: Option<Vec<LexIntentSummary>>,
    /// Active contexts to set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_contexts: Option<Vec<Value>>,
    /// What Lex does next.
    #[serde(default)]
    pub dialog_action: LexDialogAction,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LexResponse {
    /// `Close`: the intent is done (`Fulfilled` or `Failed`), with a plain-text message.
    pub fn close(fulfillment_state: impl Into<String>, message: impl Into<String>) -> Self {
        Self::with_action(LexDialogAction {
            action_type: String::from("Close"),
            fulfillment_state: Some(fulfillment_state.into()),
            message: Some(LexMessage::plain_text(message)),
            ..Default::default()
        })
    }

    /// `Delegate`: let Lex choose the next step, with the given slot values.
    pub fn delegate(slots: HashMap<String, Option<String>>) -> Self {
        Self::with_action(LexDialogAction {
            action_type: String::from("Delegate"),
            slots: Some(slots),
            ..Default::default()
        })
    }

    /// `ElicitSlot`: ask the user for `slot_to_elicit` of `intent_name`.
    pub fn elicit_slot(
        intent_name: impl Into<String>,
        slots: HashMap<String, Option<String>>,
        slot_to_elicit: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::with_action(LexDialogAction {
            action_type: String::from("ElicitSlot"),
            intent_name: Some(intent_name.into()),
            slots: Some(slots),
            slot_to_elicit: Some(slot_to_elicit.into()),
            message: Some(LexMessage::plain_text(message)),
            ..Default::default()
        })
    }

    /// `ConfirmIntent`: ask the user to confirm `intent_name`.
    pub fn confirm_intent(
        intent_name: impl Into<String>,
        slots: HashMap<String, Option<String>>,
        message: impl Into<String>,
    ) -> Self {
        Self::with_action(LexDialogAction {
            action_type: String::from("ConfirmIntent"),
            intent_name: Some(intent_name.into()),
            slots: Some(slots),
            message: Some(LexMessage::plain_text(message)),
            ..Default::default()
        })
    }

    /// `ElicitIntent`: ask the user what they want.
    pub fn elicit_intent(message: impl Into<String>) -> Self {
        Self::with_action(LexDialogAction {
            action_type: String::from("ElicitIntent"),
            message: Some(LexMessage::plain_text(message)),
            ..Default::default()
        })
    }

    fn with_action(dialog_action: LexDialogAction) -> Self {
        LexResponse {
            dialog_action,
            ..Default::default()
        }
    }

    /// Sets the session attributes.
    pub fn with_session_attributes(mut self, attributes: impl Into<PresenceMap<String, String>>) -> Self {
        self.session_attributes = attributes.into();
        self
    }
}

/// `dialogAction` of a [`LexResponse`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexDialogAction {
    /// `ElicitIntent`, `ElicitSlot`, `ConfirmIntent`, `Delegate` or `Close`.
    #[serde(rename = "type", default)]
    pub action_type: String,
    /// `Fulfilled` or `Failed` (`Close`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfillment_state: Option<String>,
    /// Message to the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<LexMessage>,
    /// Intent (`ElicitSlot`, `ConfirmIntent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent_name: Option<String>,
    /// Slot values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slots: Option<HashMap<String, Option<String>>>,
    /// Slot to ask for (`ElicitSlot`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_to_elicit: Option<String>,
    /// Response card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_card: Option<LexResponseCard>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A Lex V1 message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexMessage {
    /// `PlainText`, `SSML` or `CustomPayload`.
    #[serde(default)]
    pub content_type: String,
    /// The message.
    #[serde(default)]
    pub content: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LexMessage {
    /// A `PlainText` message.
    pub fn plain_text(content: impl Into<String>) -> Self {
        LexMessage {
            content_type: String::from("PlainText"),
            content: content.into(),
            other: OtherFields::new(),
        }
    }
}

/// A Lex V1 response card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexResponseCard {
    /// Card format version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// `application/vnd.amazonaws.card.generic`.
    #[serde(default)]
    pub content_type: String,
    /// Attachments.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub generic_attachments: Vec<LexGenericAttachment>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An attachment of a [`LexResponseCard`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexGenericAttachment {
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Subtitle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_title: Option<String>,
    /// Image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Link URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_link_url: Option<String>,
    /// Buttons.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub buttons: Vec<LexButton>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A button of a Lex response card (V1 and V2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LexButton {
    /// Button text.
    #[serde(default)]
    pub text: String,
    /// Value sent when the button is chosen.
    #[serde(default)]
    pub value: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

// =============================================================================================
// Lex V2

/// The event of a Lex V2 code hook.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2Event {
    /// Message version (`1.0`).
    #[serde(default)]
    pub message_version: String,
    /// `DialogCodeHook` or `FulfillmentCodeHook`.
    #[serde(default)]
    pub invocation_source: String,
    /// `DTMF`, `Speech` or `Text`.
    #[serde(default)]
    pub input_mode: String,
    /// Content type expected for the response.
    #[serde(default)]
    pub response_content_type: String,
    /// Session id.
    #[serde(default)]
    pub session_id: String,
    /// What the user said or typed.
    #[serde(default)]
    pub input_transcript: String,
    /// Label of the code hook invocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_label: Option<String>,
    /// The bot.
    #[serde(default)]
    pub bot: LexV2Bot,
    /// Intents the NLU matched, best first.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub interpretations: Vec<LexV2Interpretation>,
    /// What Lex proposes to do next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_next_state: Option<LexV2ProposedNextState>,
    /// Request attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub request_attributes: PresenceMap<String, String>,
    /// The session state.
    #[serde(default)]
    pub session_state: LexV2SessionState,
    /// Speech transcriptions (speech input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcriptions: Option<Vec<LexV2Transcription>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LexV2Event {
    /// The interpreted value of a slot of the current intent, when filled.
    pub fn slot_value(&self, slot: &str) -> Option<&str> {
        let slot = self.session_state.intent.as_ref()?.slots.get(slot)?.as_ref()?;
        slot.value.as_ref()?.interpreted_value.as_deref()
    }
}

/// A Lex V2 bot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2Bot {
    /// Bot id.
    #[serde(default)]
    pub id: String,
    /// Bot name.
    #[serde(default)]
    pub name: String,
    /// Locale (`en_US`).
    #[serde(default)]
    pub locale_id: String,
    /// Bot version.
    #[serde(default)]
    pub version: String,
    /// Alias id.
    #[serde(default)]
    pub alias_id: String,
    /// Alias name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_name: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An intent the NLU matched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2Interpretation {
    /// `Lex` or `Bedrock`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpretation_source: Option<String>,
    /// The intent.
    #[serde(default)]
    pub intent: LexV2Intent,
    /// Confidence (0 to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nlu_confidence: Option<f64>,
    /// Sentiment analysis, when enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment_response: Option<LexV2SentimentResponse>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Sentiment analysis of the user's input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2SentimentResponse {
    /// `MIXED`, `NEGATIVE`, `NEUTRAL` or `POSITIVE`.
    #[serde(default)]
    pub sentiment: String,
    /// Scores per sentiment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment_score: Option<LexV2SentimentScore>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Scores of a [`LexV2SentimentResponse`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LexV2SentimentScore {
    /// Mixed.
    #[serde(default)]
    pub mixed: f64,
    /// Negative.
    #[serde(default)]
    pub negative: f64,
    /// Neutral.
    #[serde(default)]
    pub neutral: f64,
    /// Positive.
    #[serde(default)]
    pub positive: f64,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `proposedNextState` of a Lex V2 event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2ProposedNextState {
    /// Proposed dialog action.
    #[serde(default)]
    pub dialog_action: LexV2DialogAction,
    /// Proposed intent.
    #[serde(default)]
    pub intent: LexV2Intent,
    /// Prompt attempt (`Initial`, `Retry1`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The Lex V2 session state, in events and responses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2SessionState {
    /// Active contexts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_contexts: Option<Vec<LexV2ActiveContext>>,
    /// Session attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub session_attributes: PresenceMap<String, String>,
    /// Slot value hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_hints: Option<Value>,
    /// The next step (required in responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialog_action: Option<LexV2DialogAction>,
    /// The active intent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<LexV2Intent>,
    /// Id of the request that started the session state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub originating_request_id: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An active context.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2ActiveContext {
    /// Context name.
    #[serde(default)]
    pub name: String,
    /// Context attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub context_attributes: PresenceMap<String, String>,
    /// Lifetime (`timeToLiveInSeconds`, `turnsToLive`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_to_live: Option<Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A Lex V2 dialog action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2DialogAction {
    /// `Close`, `ConfirmIntent`, `Delegate`, `ElicitIntent` or `ElicitSlot`.
    #[serde(rename = "type", default)]
    pub action_type: String,
    /// Slot to ask for (`ElicitSlot`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_to_elicit: Option<String>,
    /// `Default`, `SpellByLetter` or `SpellByWord`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_elicitation_style: Option<String>,
    /// Sub-slot to ask for (composite slots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_slot_to_elicit: Option<Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LexV2DialogAction {
    fn of_type(action_type: &str) -> Self {
        LexV2DialogAction {
            action_type: action_type.to_owned(),
            ..Default::default()
        }
    }
}

/// A Lex V2 intent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2Intent {
    /// Intent name.
    #[serde(default)]
    pub name: String,
    /// Slots by name (`null` for unfilled slots).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub slots: PresenceMap<String, Option<LexV2Slot>>,
    /// `Failed`, `Fulfilled`, `FulfillmentInProgress`, `InProgress`, `ReadyForFulfillment`, `Waiting`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `Confirmed`, `Denied` or `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_state: Option<String>,
    /// Kendra search response (`KendraSearchIntent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kendra_response: Option<Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A Lex V2 slot: a scalar value, or a list of values, or composite sub-slots.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2Slot {
    /// `Scalar`, `List` or `Composite`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<String>,
    /// The value (scalar slots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<LexV2SlotValue>,
    /// The values (list slots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<LexV2Slot>>,
    /// Sub-slots (composite slots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_slots: Option<HashMap<String, Option<LexV2Slot>>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LexV2Slot {
    /// A scalar slot whose interpreted value is `value`.
    pub fn scalar(value: impl Into<String>) -> Self {
        let value = value.into();
        LexV2Slot {
            shape: Some(String::from("Scalar")),
            value: Some(LexV2SlotValue {
                original_value: Some(value.clone()),
                interpreted_value: Some(value.clone()),
                resolved_values: Some(vec![value]),
                other: OtherFields::new(),
            }),
            ..Default::default()
        }
    }
}

/// The value of a Lex V2 slot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2SlotValue {
    /// What the user said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_value: Option<String>,
    /// The value Lex settled on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreted_value: Option<String>,
    /// Values the input resolved to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_values: Option<Vec<String>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A transcription of speech input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2Transcription {
    /// The transcription.
    #[serde(default)]
    pub transcription: String,
    /// Confidence (0 to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcription_confidence: Option<f64>,
    /// Intent the transcription resolved to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_context: Option<Value>,
    /// Slots the transcription resolved.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub resolved_slots: PresenceMap<String, Option<LexV2Slot>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The answer of a Lex V2 code hook.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2Response {
    /// The session state to continue with (dialog action required).
    #[serde(default)]
    pub session_state: LexV2SessionState,
    /// Messages to the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<LexV2Message>>,
    /// Request attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub request_attributes: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LexV2Response {
    fn with_state(dialog_action: LexV2DialogAction, intent: Option<LexV2Intent>) -> Self {
        LexV2Response {
            session_state: LexV2SessionState {
                dialog_action: Some(dialog_action),
                intent,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// `Close`: the intent ends in `state` (`Fulfilled`, `Failed`).
    pub fn close(mut intent: LexV2Intent, state: impl Into<String>) -> Self {
        intent.state = Some(state.into());
        Self::with_state(LexV2DialogAction::of_type("Close"), Some(intent))
    }

    /// `Delegate`: let Lex choose the next step for `intent`.
    pub fn delegate(intent: LexV2Intent) -> Self {
        Self::with_state(LexV2DialogAction::of_type("Delegate"), Some(intent))
    }

    /// `ElicitSlot`: ask the user for `slot` of `intent`.
    pub fn elicit_slot(intent: LexV2Intent, slot: impl Into<String>) -> Self {
        let mut action = LexV2DialogAction::of_type("ElicitSlot");
        action.slot_to_elicit = Some(slot.into());
        Self::with_state(action, Some(intent))
    }

    /// `ConfirmIntent`: ask the user to confirm `intent`.
    pub fn confirm_intent(intent: LexV2Intent) -> Self {
        Self::with_state(LexV2DialogAction::of_type("ConfirmIntent"), Some(intent))
    }

    /// `ElicitIntent`: ask the user what they want.
    pub fn elicit_intent() -> Self {
        Self::with_state(LexV2DialogAction::of_type("ElicitIntent"), None)
    }

    /// Adds a plain-text message.
    pub fn with_plain_text(mut self, content: impl Into<String>) -> Self {
        self.messages
            .get_or_insert_with(Vec::new)
            .push(LexV2Message::plain_text(content));
        self
    }

    /// Sets the session attributes.
    pub fn with_session_attributes(mut self, attributes: impl Into<PresenceMap<String, String>>) -> Self {
        self.session_state.session_attributes = attributes.into();
        self
    }
}

/// A Lex V2 message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2Message {
    /// `CustomPayload`, `ImageResponseCard`, `PlainText` or `SSML`.
    #[serde(default)]
    pub content_type: String,
    /// The text (not for `ImageResponseCard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The card (`ImageResponseCard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_response_card: Option<LexV2ImageResponseCard>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl LexV2Message {
    /// A `PlainText` message.
    pub fn plain_text(content: impl Into<String>) -> Self {
        LexV2Message {
            content_type: String::from("PlainText"),
            content: Some(content.into()),
            ..Default::default()
        }
    }
}

/// An image response card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexV2ImageResponseCard {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Subtitle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Buttons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buttons: Option<Vec<LexButton>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
