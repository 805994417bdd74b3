//! Cognito user pool Lambda triggers, one type per trigger, and the older Cognito Sync event.
//!
//! Every trigger event shares a header (version, trigger source, region, user pool id, user name,
//! caller context) and carries a typed `request` and `response`: they are all
//! [`CognitoUserPoolEvent<Request, Response>`] with trigger-specific type parameters, named by the
//! aliases below ([`PreSignUpEvent`], [`PreTokenGenerationV2Event`], ...). A trigger handler answers by
//! filling in `response` and returning the whole event.
//!
//! ```
//! use lambda_fn_events::cognito::PreSignUpEvent;
//!
//! let mut event: PreSignUpEvent = serde_json::from_str(r#"{
//!     "version": "1",
//!     "triggerSource": "PreSignUp_SignUp",
//!     "region": "eu-west-1",
//!     "userPoolId": "eu-west-1_AbCdEf",
//!     "userName": "jane",
//!     "callerContext": {"awsSdkVersion": "aws-sdk-js-3.0", "clientId": "client123"},
//!     "request": {"userAttributes": {"email": "jane@example.com"}, "validationData": null},
//!     "response": {}
//! }"#).unwrap();
//! assert_eq!(event.request.user_attributes.get_str("email"), Some("jane@example.com"));
//! assert!(event.request.validation_data.is_empty());
//!
//! event.response.auto_confirm_user = Some(true);
//! let answer = serde_json::to_value(&event).unwrap();
//! assert_eq!(answer["response"]["autoConfirmUser"], true);
//! ```

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::encoding::{OtherFields, PresenceMap, StringOrNumber};

/// A Cognito user pool trigger event: the common header plus a trigger-specific request and response.
///
/// With the default type parameters it decodes any trigger, including ones this crate has no
/// aliases for (custom SMS/email senders, inbound federation, ...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CognitoUserPoolEvent<Req = Value, Resp = Value> {
    /// Trigger event version (`"1"`; some triggers such as pre token generation use `"2"`/`"3"`).
    /// AWS documents a string, but some senders write a number (`1`): either is accepted and
    /// written back in the form it came in; `event.version == "1"` holds for both.
    #[serde(default)]
    pub version: StringOrNumber,
    /// What caused the invocation, e.g. `PreSignUp_SignUp`, `TokenGeneration_HostedAuth`.
    #[serde(default)]
    pub trigger_source: String,
    /// Region of the user pool.
    #[serde(default)]
    pub region: String,
    /// Id of the user pool.
    #[serde(default)]
    pub user_pool_id: String,
    /// The user's name (may be absent for some triggers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// The SDK version and app client that called Cognito.
    #[serde(default)]
    pub caller_context: CognitoCallerContext,
    /// Trigger-specific input.
    pub request: Req,
    /// Trigger-specific output: fill it in and return the event (defaulted when absent).
    #[serde(default)]
    pub response: Resp,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `callerContext` of a user pool trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CognitoCallerContext {
    /// SDK that made the call.
    #[serde(default)]
    pub aws_sdk_version: String,
    /// App client id.
    #[serde(default)]
    pub client_id: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A response that carries no fields (post confirmation, pre/post authentication).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CognitoEmptyResponse {
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `null`-tolerant maps of string to string, as Cognito sends `clientMetadata` and `validationData`
/// (a [`PresenceMap`], so that `{}` and an absent map each come back as they were sent).
pub type CognitoStringMap = PresenceMap<String, String>;

/// The user's attributes, as Cognito sends them (`email`, `phone_number_verified`, `custom:...`).
///
/// Cognito sends attribute values as strings, though some triggers have been seen to send booleans;
/// values are kept as JSON so either round-trips unchanged. Use [`Self::get_str`] / [`Self::get_bool`]
/// to read and [`Self::set`] to write. Derefs to the underlying map, a [`PresenceMap`] that
/// remembers whether the attributes were sent (`"userAttributes": {}` comes back as `{}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserAttributes(pub PresenceMap<String, Value>);

impl UserAttributes {
    /// No attributes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Neither sent nor holding attributes (see [`PresenceMap::is_absent`]); for
    /// `skip_serializing_if`.
    pub fn is_absent(&self) -> bool {
        self.0.is_absent()
    }

    /// The attribute as a string, when it is one.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// The attribute as a boolean: JSON `true`/`false` or the strings `"true"`/`"false"`.
    pub fn get_bool(&self, name: &str) -> Option<bool> {
        match self.0.get(name)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// Sets an attribute to a string value.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.0.insert(name.into(), Value::String(value.into()));
        self
    }
}

impl Deref for UserAttributes {
    type Target = PresenceMap<String, Value>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for UserAttributes {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for UserAttributes {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        UserAttributes(
            iter.into_iter()
                .map(|(k, v)| (k.into(), Value::String(v.into())))
                .collect(),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Pre sign-up

/// Pre sign-up trigger (`PreSignUp_SignUp`, `PreSignUp_AdminCreateUser`, `PreSignUp_ExternalProvider`).
pub type PreSignUpEvent = CognitoUserPoolEvent<PreSignUpRequest, PreSignUpResponse>;

/// Request of the pre sign-up trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreSignUpRequest {
    /// Attributes the user signs up with.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// Validation data passed to `SignUp`.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub validation_data: CognitoStringMap,
    /// Client metadata passed to `SignUp`.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub client_metadata: CognitoStringMap,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Response of the pre sign-up trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreSignUpResponse {
    /// Confirm the user without a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_confirm_user: Option<bool>,
    /// Mark the email as verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_verify_email: Option<bool>,
    /// Mark the phone number as verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_verify_phone: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

// ---------------------------------------------------------------------------------------------
// Post confirmation

/// Post confirmation trigger (`PostConfirmation_ConfirmSignUp`, `PostConfirmation_ConfirmForgotPassword`).
pub type PostConfirmationEvent = CognitoUserPoolEvent<PostConfirmationRequest, CognitoEmptyResponse>;

/// Request of the post confirmation trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostConfirmationRequest {
    /// The confirmed user's attributes.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// Client metadata.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub client_metadata: CognitoStringMap,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

// ---------------------------------------------------------------------------------------------
// Pre / post authentication

/// Pre authentication trigger (`PreAuthentication_Authentication`).
pub type PreAuthenticationEvent = CognitoUserPoolEvent<PreAuthenticationRequest, CognitoEmptyResponse>;

/// Request of the pre authentication trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreAuthenticationRequest {
    /// The user's attributes.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// Validation data passed to `InitiateAuth`.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub validation_data: CognitoStringMap,
    /// Set when the user pool hides whether the user exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_not_found: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Post authentication trigger (`PostAuthentication_Authentication`).
pub type PostAuthenticationEvent = CognitoUserPoolEvent<PostAuthenticationRequest, CognitoEmptyResponse>;

/// Request of the post authentication trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostAuthenticationRequest {
    /// The user signed in from a new device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_device_used: Option<bool>,
    /// The user's attributes.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// Client metadata.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub client_metadata: CognitoStringMap,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

// ---------------------------------------------------------------------------------------------
// Pre token generation

/// Groups and IAM roles of the user (`groupConfiguration`, and `groupOverrideDetails` in responses).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupConfiguration {
    /// Group names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups_to_override: Option<Vec<String>>,
    /// IAM role ARNs of the groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam_roles_to_override: Option<Vec<String>>,
    /// Preferred IAM role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_role: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Pre token generation trigger, version 1 (`TokenGeneration_*`, ID token only).
pub type PreTokenGenerationEvent = CognitoUserPoolEvent<PreTokenGenerationRequest, PreTokenGenerationResponse>;

/// Request of the pre token generation trigger, version 1.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationRequest {
    /// The user's attributes.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// The user's groups and roles.
    #[serde(default)]
    pub group_configuration: GroupConfiguration,
    /// Client metadata.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub client_metadata: CognitoStringMap,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Response of the pre token generation trigger, version 1.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationResponse {
    /// Claims to add, override or suppress in the ID token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_override_details: Option<ClaimsOverrideDetails>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `claimsOverrideDetails` of a version 1 pre token generation response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimsOverrideDetails {
    /// Claims to add or override.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub claims_to_add_or_override: PresenceMap<String, String>,
    /// Claims to remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_to_suppress: Option<Vec<String>>,
    /// Groups and roles to put in the token instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_override_details: Option<GroupConfiguration>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Pre token generation trigger, versions 2 and 3 (ID and access token customisation).
pub type PreTokenGenerationV2Event = CognitoUserPoolEvent<PreTokenGenerationV2Request, PreTokenGenerationV2Response>;

/// Request of the pre token generation trigger, versions 2 and 3.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationV2Request {
    /// The user's attributes.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// OAuth scopes of the access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// The user's groups and roles.
    #[serde(default)]
    pub group_configuration: GroupConfiguration,
    /// Client metadata.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub client_metadata: CognitoStringMap,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Response of the pre token generation trigger, versions 2 and 3.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationV2Response {
    /// Claims and scopes to change in the ID and access tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_and_scope_override_details: Option<ClaimsAndScopeOverrideDetails>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `claimsAndScopeOverrideDetails` of a version 2/3 pre token generation response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimsAndScopeOverrideDetails {
    /// Changes to the ID token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token_generation: Option<IdTokenGeneration>,
    /// Changes to the access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_generation: Option<AccessTokenGeneration>,
    /// Groups and roles to put in the tokens instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_override_details: Option<GroupConfiguration>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `idTokenGeneration` of a version 2/3 pre token generation response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdTokenGeneration {
    /// Claims to add or override; values may be strings, numbers, booleans, arrays or objects.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub claims_to_add_or_override: PresenceMap<String, Value>,
    /// Claims to remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_to_suppress: Option<Vec<String>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `accessTokenGeneration` of a version 2/3 pre token generation response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenGeneration {
    /// Claims to add or override; values may be strings, numbers, booleans, arrays or objects.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub claims_to_add_or_override: PresenceMap<String, Value>,
    /// Claims to remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_to_suppress: Option<Vec<String>>,
    /// OAuth scopes to add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes_to_add: Option<Vec<String>>,
    /// OAuth scopes to remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes_to_suppress: Option<Vec<String>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

// ---------------------------------------------------------------------------------------------
// Custom message

/// Custom message trigger (`CustomMessage_SignUp`, `CustomMessage_ForgotPassword`, ...).
pub type CustomMessageEvent = CognitoUserPoolEvent<CustomMessageRequest, CustomMessageResponse>;

/// Request of the custom message trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomMessageRequest {
    /// The user's attributes.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// Placeholder to put in the message where the code goes (`{####}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_parameter: Option<String>,
    /// Placeholder for the verification link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_parameter: Option<String>,
    /// Placeholder for the user name (admin-created users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_parameter: Option<String>,
    /// Client metadata.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub client_metadata: CognitoStringMap,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Response of the custom message trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomMessageResponse {
    /// SMS text; must contain the code parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    /// Email body; must contain the code parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    /// Email subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

// ---------------------------------------------------------------------------------------------
// Custom authentication challenges

/// One step of a custom authentication flow so far (`request.session[]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeResult {
    /// `CUSTOM_CHALLENGE`, `PASSWORD_VERIFIER`, `SMS_MFA`, `SRP_A`, ...
    #[serde(default)]
    pub challenge_name: String,
    /// Whether the user answered it correctly.
    #[serde(default)]
    pub challenge_result: bool,
    /// Metadata set by the create auth challenge trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_metadata: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Define auth challenge trigger (`DefineAuthChallenge_Authentication`).
pub type DefineAuthChallengeEvent = CognitoUserPoolEvent<DefineAuthChallengeRequest, DefineAuthChallengeResponse>;

/// Request of the define auth challenge trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DefineAuthChallengeRequest {
    /// The user's attributes.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// Challenges presented so far and their results.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub session: Vec<ChallengeResult>,
    /// Client metadata.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub client_metadata: CognitoStringMap,
    /// Set when the user does not exist and the pool hides that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_not_found: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Response of the define auth challenge trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DefineAuthChallengeResponse {
    /// Next challenge to present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<String>,
    /// Authentication is complete: issue tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_tokens: Option<bool>,
    /// Fail the authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_authentication: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Create auth challenge trigger (`CreateAuthChallenge_Authentication`).
pub type CreateAuthChallengeEvent = CognitoUserPoolEvent<CreateAuthChallengeRequest, CreateAuthChallengeResponse>;

/// Request of the create auth challenge trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAuthChallengeRequest {
    /// The user's attributes.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// Challenge to create (`CUSTOM_CHALLENGE`).
    #[serde(default)]
    pub challenge_name: String,
    /// Challenges presented so far and their results.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub session: Vec<ChallengeResult>,
    /// Client metadata.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub client_metadata: CognitoStringMap,
    /// Set when the user does not exist and the pool hides that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_not_found: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Response of the create auth challenge trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAuthChallengeResponse {
    /// Parameters the client app sees (e.g. the question).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub public_challenge_parameters: PresenceMap<String, String>,
    /// Parameters only the verify trigger sees (e.g. the expected answer).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub private_challenge_parameters: PresenceMap<String, String>,
    /// Name for this challenge, visible in later `session` entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_metadata: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Verify auth challenge response trigger (`VerifyAuthChallengeResponse_Authentication`).
pub type VerifyAuthChallengeEvent = CognitoUserPoolEvent<VerifyAuthChallengeRequest, VerifyAuthChallengeResponse>;

/// Request of the verify auth challenge response trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyAuthChallengeRequest {
    /// The user's attributes.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// Private parameters set by the create auth challenge trigger.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub private_challenge_parameters: PresenceMap<String, String>,
    /// The user's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_answer: Option<String>,
    /// Client metadata.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub client_metadata: CognitoStringMap,
    /// Set when the user does not exist and the pool hides that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_not_found: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Response of the verify auth challenge response trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyAuthChallengeResponse {
    /// Whether the answer is correct.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_correct: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

// ---------------------------------------------------------------------------------------------
// Migrate user

/// Migrate user trigger (`UserMigration_Authentication`, `UserMigration_ForgotPassword`).
pub type MigrateUserEvent = CognitoUserPoolEvent<MigrateUserRequest, MigrateUserResponse>;

/// Request of the migrate user trigger. Its `Debug` output hides the password.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrateUserRequest {
    /// The password the user entered (sign-in migration only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Validation data.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub validation_data: CognitoStringMap,
    /// Client metadata.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub client_metadata: CognitoStringMap,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl fmt::Debug for MigrateUserRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MigrateUserRequest")
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("validation_data", &self.validation_data)
            .field("client_metadata", &self.client_metadata)
            .field("other", &self.other)
            .finish()
    }
}

/// Response of the migrate user trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrateUserResponse {
    /// Attributes of the migrated user.
    #[serde(default, skip_serializing_if = "UserAttributes::is_absent")]
    pub user_attributes: UserAttributes,
    /// `CONFIRMED` or `RESET_REQUIRED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_user_status: Option<String>,
    /// `SUPPRESS` to skip the welcome message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_action: Option<String>,
    /// `EMAIL` and/or `SMS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_delivery_mediums: Option<Vec<String>>,
    /// Move an alias (email/phone) from another user to this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_alias_creation: Option<bool>,
    /// Enable SMS MFA for the user.
    #[serde(default, rename = "enableSMSMFA", skip_serializing_if = "Option::is_none")]
    pub enable_sms_mfa: Option<bool>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

// ---------------------------------------------------------------------------------------------
// Cognito Sync

/// The Cognito Sync trigger event (legacy Cognito Sync datasets).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CognitoEvent {
    /// Dataset name.
    #[serde(default)]
    pub dataset_name: String,
    /// Records of the dataset, by key.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub dataset_records: PresenceMap<String, CognitoDatasetRecord>,
    /// `SyncTrigger`.
    #[serde(default)]
    pub event_type: String,
    /// Identity id.
    #[serde(default)]
    pub identity_id: String,
    /// Identity pool id.
    #[serde(default)]
    pub identity_pool_id: String,
    /// Region.
    #[serde(default)]
    pub region: String,
    /// Event version (`2`).
    #[serde(default)]
    pub version: i64,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One record of a Cognito Sync dataset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CognitoDatasetRecord {
    /// New value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_value: Option<String>,
    /// Previous value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_value: Option<String>,
    /// `replace` or `remove`.
    #[serde(default)]
    pub op: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
