//! Amazon EventBridge (formerly CloudWatch Events): the event envelope with a generic `detail`.
//!
//! Every EventBridge event (scheduled rules, AWS service events such as Auto Scaling, CodeBuild,
//! CodeDeploy, CodePipeline or ECR, and your own `PutEvents`) shares the envelope
//! [`EventBridgeEvent`]; only `detail` differs. Use your own type for `detail`, or keep the default
//! `serde_json::Value`. [`CloudTrailDetail`] types the `detail` of "AWS API Call via CloudTrail" events.
//!
//! ```
//! use lambda_fn_events::eventbridge::EventBridgeEvent;
//!
//! #[derive(serde::Deserialize, serde::Serialize)]
//! struct Order { id: u32 }
//!
//! let event: EventBridgeEvent<Order> = serde_json::from_str(r#"{
//!     "version": "0", "id": "e1", "detail-type": "Order Placed", "source": "shop",
//!     "account": "123456789012", "time": "2024-01-02T03:04:05Z", "region": "us-east-1",
//!     "resources": [], "detail": {"id": 7}
//! }"#).unwrap();
//! assert_eq!(event.detail_type, "Order Placed");
//! assert_eq!(event.detail.id, 7);
//! assert!(event.time().is_some());
//! ```

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::encoding::{OtherFields, null_as_default, parse_iso8601};

/// An EventBridge event whose `detail` decodes into `T`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventBridgeEvent<T = serde_json::Value> {
    /// Envelope version, `0` for all events so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Unique id of the event.
    #[serde(default)]
    pub id: String,
    /// What happened (`detail-type`), e.g. `Scheduled Event`.
    #[serde(rename = "detail-type", default)]
    pub detail_type: String,
    /// Who sent it (`aws.ec2`, or your own source).
    #[serde(default)]
    pub source: String,
    /// Account the event comes from.
    #[serde(default)]
    pub account: String,
    /// When it happened, ISO 8601 (see [`EventBridgeEvent::time()`]).
    #[serde(default)]
    pub time: String,
    /// Region the event comes from.
    #[serde(default)]
    pub region: String,
    /// ARNs of the resources involved.
    #[serde(default, deserialize_with = "null_as_default")]
    pub resources: Vec<String>,
    /// The source-specific payload.
    pub detail: T,
    /// Name of the archive replay, for replayed events (`replay-name`).
    #[serde(rename = "replay-name", default, skip_serializing_if = "Option::is_none")]
    pub replay_name: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The same envelope under its older name.
pub type CloudWatchEvent<T = serde_json::Value> = EventBridgeEvent<T>;

impl<T> EventBridgeEvent<T> {
    /// When the event happened.
    pub fn time(&self) -> Option<SystemTime> {
        parse_iso8601(&self.time)
    }
}

/// The `detail` of an "AWS API Call via CloudTrail" event: one CloudTrail record.
///
/// Use as `EventBridgeEvent<CloudTrailDetail>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudTrailDetail {
    /// Record format version (`1.08`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_version: Option<String>,
    /// Who made the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_identity: Option<CloudTrailUserIdentity>,
    /// When the call was made, ISO 8601 (see [`CloudTrailDetail::event_time()`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<String>,
    /// The service called (`s3.amazonaws.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// The API action (`PutObject`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// Region the call was made to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// Caller IP address, or the calling service's name.
    #[serde(rename = "sourceIPAddress", default, skip_serializing_if = "Option::is_none")]
    pub source_ip_address: Option<String>,
    /// The caller's user agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// Parameters of the request (service-specific).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_parameters: Option<serde_json::Value>,
    /// Response elements (service-specific).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_elements: Option<serde_json::Value>,
    /// Extra data the service adds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_event_data: Option<serde_json::Value>,
    /// Request id assigned by the service (`requestID`).
    #[serde(rename = "requestID", default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Unique id of the record (`eventID`).
    #[serde(rename = "eventID", default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Whether the call only read data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// `AwsApiCall`, `AwsServiceEvent`, `AwsConsoleSignIn`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// Whether this is a management event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_event: Option<bool>,
    /// Account that received the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_account_id: Option<String>,
    /// Details of service events (service-specific).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_event_details: Option<serde_json::Value>,
    /// `Management`, `Data` or `Insight`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_category: Option<String>,
    /// Error code, when the call failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Error message, when the call failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl CloudTrailDetail {
    /// When the call was made.
    pub fn event_time(&self) -> Option<SystemTime> {
        self.event_time.as_deref().and_then(parse_iso8601)
    }
}

/// The identity that made a call recorded by CloudTrail.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudTrailUserIdentity {
    /// `Root`, `IAMUser`, `AssumedRole`, `FederatedUser`, `AWSService`, `Unknown`, ...
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub identity_type: Option<String>,
    /// Unique id of the principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    /// ARN of the principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Account of the principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Access key used for the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    /// User name, for IAM users and some identity types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// Session details, for temporary credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_context: Option<CloudTrailSessionContext>,
    /// The AWS service that made the call on the principal's behalf.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoked_by: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Session details of a CloudTrail identity using temporary credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudTrailSessionContext {
    /// The role or user the session was issued from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_issuer: Option<CloudTrailSessionIssuer>,
    /// Web identity federation data (provider and attributes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_id_federation_data: Option<serde_json::Value>,
    /// Session attributes (`creationDate`, `mfaAuthenticated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<CloudTrailSessionAttributes>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The issuer of a CloudTrail session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudTrailSessionIssuer {
    /// `Root`, `IAMUser` or `Role`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub issuer_type: Option<String>,
    /// Unique id of the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    /// ARN of the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Account of the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Name of the issuing role or user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Attributes of a CloudTrail session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudTrailSessionAttributes {
    /// When the credentials were issued, ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<String>,
    /// `"true"` or `"false"` (a string, as CloudTrail sends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_authenticated: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The event a CodeDeploy lifecycle hook (`BeforeAllowTraffic`, `AfterAllowTraffic`, ...) sends to a
/// Lambda function. Not an EventBridge envelope; it sits here beside the CodeDeploy EventBridge
/// events. The function reports back with CodeDeploy's `PutLifecycleEventHookExecutionStatus`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeployLifecycleEvent {
    /// The deployment (`DeploymentId`).
    #[serde(default)]
    pub deployment_id: String,
    /// The hook execution to report the status of (`LifecycleEventHookExecutionId`).
    #[serde(default)]
    pub lifecycle_event_hook_execution_id: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
