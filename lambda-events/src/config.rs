//! AWS Config custom rules: the event Config sends to evaluate resources, whose `invokingEvent` and
//! `ruleParameters` are JSON documents carried as strings.
//!
//! ```
//! use lambda_fn_events::config::{ConfigEvent, ConfigInvokingEvent};
//!
//! let event: ConfigEvent = serde_json::from_str(r#"{
//!     "version": "1.0",
//!     "invokingEvent": "{\"messageType\":\"ScheduledNotification\",\"awsAccountId\":\"123456789012\",\"notificationCreationTime\":\"2024-01-01T00:00:00.000Z\",\"recordVersion\":\"1.0\"}",
//!     "ruleParameters": "{\"maxAgeDays\":\"90\"}",
//!     "resultToken": "token",
//!     "eventLeftScope": false,
//!     "executionRoleArn": "arn:aws:iam::123456789012:role/config-role",
//!     "configRuleArn": "arn:aws:config:eu-west-1:123456789012:config-rule/config-rule-abc",
//!     "configRuleName": "key-age",
//!     "configRuleId": "config-rule-abc",
//!     "accountId": "123456789012"
//! }"#).unwrap();
//! let invoking: ConfigInvokingEvent = event.invoking_event().unwrap();
//! assert_eq!(invoking.message_type, "ScheduledNotification");
//! let params: std::collections::HashMap<String, String> = event.rule_parameters().unwrap().unwrap();
//! assert_eq!(params["maxAgeDays"], "90");
//! ```

use std::time::SystemTime;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::encoding::{OtherFields, PresenceMap};

/// The event of an AWS Config custom rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigEvent {
    /// Event version (`1.0`).
    #[serde(default)]
    pub version: String,
    /// What triggered the evaluation, as a JSON string; see [`Self::invoking_event`].
    #[serde(default)]
    pub invoking_event: String,
    /// Rule parameters as a JSON string; see [`Self::rule_parameters`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_parameters: Option<String>,
    /// Token to pass to `PutEvaluations`.
    #[serde(default)]
    pub result_token: String,
    /// The resource left the rule's scope (evaluate it as `NOT_APPLICABLE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_left_scope: Option<bool>,
    /// Role Config uses for the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    /// ARN of the rule.
    #[serde(default)]
    pub config_rule_arn: String,
    /// Name of the rule.
    #[serde(default)]
    pub config_rule_name: String,
    /// Id of the rule.
    #[serde(default)]
    pub config_rule_id: String,
    /// Account of the rule.
    #[serde(default)]
    pub account_id: String,
    /// `DETECTIVE` or `PROACTIVE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_mode: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl ConfigEvent {
    /// Parses `invokingEvent`, typically into [`ConfigInvokingEvent`].
    pub fn invoking_event<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.invoking_event)
    }

    /// Parses `ruleParameters` (`None` when the rule has none).
    pub fn rule_parameters<T: DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        self.rule_parameters.as_deref().map(serde_json::from_str)
    }
}

/// The parsed `invokingEvent` of a [`ConfigEvent`], for every message type
/// (`ConfigurationItemChangeNotification`, `OversizedConfigurationItemChangeNotification`,
/// `ScheduledNotification`, `ConfigurationSnapshotDeliveryCompleted`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigInvokingEvent {
    /// Message type.
    #[serde(default)]
    pub message_type: String,
    /// When Config created the notification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_creation_time: Option<String>,
    /// Record version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_version: Option<String>,
    /// The changed resource (change notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_item: Option<ConfigurationItem>,
    /// What changed (change notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_item_diff: Option<Value>,
    /// Summary of an item too large to send (oversized notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_item_summary: Option<Value>,
    /// Account (scheduled notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    /// Fields this crate has no typed field for (`s3Bucket`, `s3ObjectKey`, `configSnapshotId`, ...).
    #[serde(flatten)]
    pub other: OtherFields,
}

impl ConfigInvokingEvent {
    /// `notificationCreationTime` as a `SystemTime`.
    pub fn notification_creation_time(&self) -> Option<SystemTime> {
        crate::encoding::parse_iso8601(self.notification_creation_time.as_deref()?)
    }
}

/// A configuration item: the recorded state of one resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationItem {
    /// When the item was captured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_item_capture_time: Option<String>,
    /// `OK`, `ResourceDiscovered`, `ResourceDeleted`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_item_status: Option<String>,
    /// Configuration state id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_state_id: Option<Value>,
    /// Account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    /// Resource ARN.
    #[serde(default, rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Resource type (`AWS::EC2::Instance`).
    #[serde(default)]
    pub resource_type: String,
    /// Resource id.
    #[serde(default)]
    pub resource_id: String,
    /// Resource name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// Availability zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// Tags of the resource.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub tags: PresenceMap<String, String>,
    /// The resource's configuration, as the service describes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
