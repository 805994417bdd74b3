//! CloudWatch alarm events: the payload a metric or composite alarm sends when it invokes a Lambda
//! function directly ([`CloudWatchAlarmEvent`]), and the JSON message an alarm publishes to an SNS topic
//! ([`CloudWatchAlarmSnsPayload`]).
//!
//! ```
//! use lambda_fn_events::cloudwatch_alarms::CloudWatchAlarmEvent;
//!
//! let event: CloudWatchAlarmEvent = serde_json::from_str(r#"{
//!     "source": "aws.cloudwatch",
//!     "alarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high",
//!     "accountId": "123456789012",
//!     "time": "2024-03-01T10:15:00.000+0000",
//!     "region": "us-east-1",
//!     "alarmData": {
//!         "alarmName": "cpu-high",
//!         "state": {"value": "ALARM", "reason": "Threshold crossed", "timestamp": "2024-03-01T10:15:00.000+0000"},
//!         "previousState": {"value": "OK", "reason": "Back to normal", "timestamp": "2024-03-01T09:00:00.000+0000"},
//!         "configuration": {"metrics": [{"id": "m1", "metricStat": {"metric": {"namespace": "AWS/EC2",
//!             "name": "CPUUtilization", "dimensions": {"InstanceId": "i-0123"}}, "period": 60, "stat": "Average"},
//!             "returnData": true}]}
//!     }
//! }"#).unwrap();
//! assert!(event.alarm_data.state.is_alarm());
//! assert!(!event.alarm_data.configuration.is_composite());
//! assert_eq!(event.alarm_data.configuration.metrics[0].id, "m1");
//! assert!(event.time().is_some());
//! ```

use std::time::SystemTime;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::encoding::{OtherFields, PresenceMap, parse_iso8601};

/// The event a CloudWatch metric or composite alarm sends when its action invokes a Lambda function.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchAlarmEvent {
    /// Always `aws.cloudwatch`.
    #[serde(default)]
    pub source: String,
    /// ARN of the alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_arn: Option<String>,
    /// Account that owns the alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// When the state changed, as CloudWatch writes it (`2023-08-04T12:36:15.490+0000`); see [`Self::time`].
    #[serde(default)]
    pub time: String,
    /// Region of the alarm.
    #[serde(default)]
    pub region: String,
    /// The alarm, its new and previous state and its configuration.
    #[serde(default)]
    pub alarm_data: CloudWatchAlarmData,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl CloudWatchAlarmEvent {
    /// [`Self::time`] as a `SystemTime`, or `None` when it is not a valid ISO 8601 timestamp.
    pub fn time(&self) -> Option<SystemTime> {
        parse_iso8601(&self.time)
    }
}

/// The `alarmData` of a [`CloudWatchAlarmEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchAlarmData {
    /// Name of the alarm.
    #[serde(default)]
    pub alarm_name: String,
    /// The state the alarm moved to.
    #[serde(default)]
    pub state: CloudWatchAlarmState,
    /// The state the alarm left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_state: Option<CloudWatchAlarmState>,
    /// How the alarm is configured (metric queries, or the rule of a composite alarm).
    #[serde(default)]
    pub configuration: CloudWatchAlarmConfiguration,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One state of an alarm (`state` / `previousState`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchAlarmState {
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    #[serde(default)]
    pub value: String,
    /// Human-readable reason for the state.
    #[serde(default)]
    pub reason: String,
    /// Machine-readable reason, a JSON document as a string; see [`Self::reason_data`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_data: Option<String>,
    /// When the alarm entered this state (`2022-07-22T15:57:45.394+0000`); see [`Self::timestamp`].
    #[serde(default)]
    pub timestamp: String,
    /// For composite alarms with an actions suppressor: `WaitPeriod`, `ExtensionPeriod` or `Alarm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_suppressed_by: Option<String>,
    /// Why actions were suppressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_suppressed_reason: Option<String>,
    /// Set when the alarm could not be evaluated normally (for example `PARTIAL_DATA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_state: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl CloudWatchAlarmState {
    /// The state is `ALARM`.
    pub fn is_alarm(&self) -> bool {
        self.value == "ALARM"
    }

    /// The state is `OK`.
    pub fn is_ok(&self) -> bool {
        self.value == "OK"
    }

    /// The state is `INSUFFICIENT_DATA`.
    pub fn is_insufficient_data(&self) -> bool {
        self.value == "INSUFFICIENT_DATA"
    }

    /// [`Self::timestamp`] as a `SystemTime`.
    pub fn timestamp(&self) -> Option<SystemTime> {
        parse_iso8601(&self.timestamp)
    }

    /// Parses `reasonData` into `T`, typically [`CloudWatchMetricAlarmReasonData`] or
    /// [`CloudWatchCompositeAlarmReasonData`]. `None` when the state carries no reason data.
    pub fn reason_data<T: DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        self.reason_data.as_deref().map(serde_json::from_str)
    }
}

/// The `configuration` of an alarm: metric queries for a metric alarm, a rule for a composite alarm.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchAlarmConfiguration {
    /// Alarm description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Metric queries of a metric alarm (absent, so empty, for composite alarms).
    #[serde(
        default,
        deserialize_with = "crate::encoding::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub metrics: Vec<CloudWatchMetricDataQuery>,
    /// Rule of a composite alarm, such as `ALARM(a) OR ALARM(b)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_rule: Option<String>,
    /// Alarm whose state suppresses the actions of this composite alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_suppressor: Option<String>,
    /// Seconds to wait for the suppressor to go into `ALARM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_suppressor_wait_period: Option<i64>,
    /// Seconds actions stay suppressed after the suppressor leaves `ALARM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_suppressor_extension_period: Option<i64>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl CloudWatchAlarmConfiguration {
    /// The configuration is that of a composite alarm (it has an `alarmRule`).
    pub fn is_composite(&self) -> bool {
        self.alarm_rule.is_some()
    }
}

/// One metric query of a metric alarm: a metric statistic, or a math expression.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchMetricDataQuery {
    /// Query id (`m1`, `e1`, ...).
    #[serde(default)]
    pub id: String,
    /// The metric and statistic, for metric queries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_stat: Option<CloudWatchMetricStat>,
    /// Metric math expression, for expression queries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// Label of the query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whether this query's result is what the alarm evaluates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_data: Option<bool>,
    /// Period in seconds, for expression queries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A metric and the statistic computed over it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchMetricStat {
    /// The metric.
    #[serde(default)]
    pub metric: CloudWatchMetric,
    /// Period in seconds.
    #[serde(default)]
    pub period: i64,
    /// Statistic (`Average`, `Sum`, `p99`, ...).
    #[serde(default)]
    pub stat: String,
    /// Unit, when the alarm filters on one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A CloudWatch metric: namespace, name and dimensions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchMetric {
    /// Namespace, such as `AWS/EC2`.
    #[serde(default)]
    pub namespace: String,
    /// Metric name.
    #[serde(default)]
    pub name: String,
    /// Dimension name to value.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub dimensions: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The `reasonData` of a metric alarm state, parsed with [`CloudWatchAlarmState::reason_data`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchMetricAlarmReasonData {
    /// Format version (`1.0`).
    #[serde(default)]
    pub version: String,
    /// When the alarm was evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_date: Option<String>,
    /// Start of the evaluated range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Statistic evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    /// Period in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    /// The most recent datapoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_datapoints: Option<Vec<f64>>,
    /// The threshold compared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The datapoints evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluated_datapoints: Option<Vec<CloudWatchEvaluatedDatapoint>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One datapoint a metric alarm evaluated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchEvaluatedDatapoint {
    /// Time of the datapoint.
    #[serde(default)]
    pub timestamp: String,
    /// Number of samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_count: Option<f64>,
    /// Value of the datapoint (absent when the datapoint was missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The `reasonData` of a composite alarm state, parsed with [`CloudWatchAlarmState::reason_data`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchCompositeAlarmReasonData {
    /// The child alarms whose state triggered the change.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub triggering_alarms: Vec<CloudWatchTriggeringAlarm>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A child alarm that triggered a composite alarm.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudWatchTriggeringAlarm {
    /// ARN of the child alarm.
    #[serde(default)]
    pub arn: String,
    /// Its state (`value`, `timestamp`).
    #[serde(default)]
    pub state: CloudWatchAlarmState,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The JSON message a CloudWatch alarm publishes to an SNS topic (the `Message` of the SNS record).
///
/// ```
/// use lambda_fn_events::cloudwatch_alarms::CloudWatchAlarmSnsPayload;
/// let message = r#"{"AlarmName":"cpu","NewStateValue":"ALARM","OldStateValue":"OK",
///     "StateChangeTime":"2024-03-01T10:15:00.000+0000","Trigger":{"MetricName":"CPUUtilization",
///     "Namespace":"AWS/EC2","Threshold":80.0,"Dimensions":[{"name":"InstanceId","value":"i-0123"}]}}"#;
/// let payload = CloudWatchAlarmSnsPayload::from_sns_message(message).unwrap();
/// assert_eq!(payload.new_state_value, "ALARM");
/// assert_eq!(payload.trigger.unwrap().dimensions[0].value, "i-0123");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudWatchAlarmSnsPayload {
    /// Name of the alarm.
    #[serde(default)]
    pub alarm_name: String,
    /// Alarm description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_description: Option<String>,
    /// Account that owns the alarm.
    #[serde(default, rename = "AWSAccountId", skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    /// When the alarm configuration last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_configuration_updated_timestamp: Option<String>,
    /// The new state: `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    #[serde(default)]
    pub new_state_value: String,
    /// Why the state changed.
    #[serde(default)]
    pub new_state_reason: String,
    /// When the state changed (`2015-06-03T17:43:27.123+0000`); see [`Self::state_change_time`].
    #[serde(default)]
    pub state_change_time: String,
    /// Region name (`US East (N. Virginia)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// ARN of the alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_arn: Option<String>,
    /// The previous state.
    #[serde(default)]
    pub old_state_value: String,
    /// Actions on transition to `OK`.
    #[serde(default, rename = "OKActions", skip_serializing_if = "Option::is_none")]
    pub ok_actions: Option<Vec<String>>,
    /// Actions on transition to `ALARM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_actions: Option<Vec<String>>,
    /// Actions on transition to `INSUFFICIENT_DATA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insufficient_data_actions: Option<Vec<String>>,
    /// The metric (or metric queries) and threshold that triggered the alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<CloudWatchAlarmTrigger>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An SNS event whose messages are CloudWatch alarm payloads (needs the `sns` feature).
#[cfg(feature = "sns")]
pub type CloudWatchAlarmSnsEvent = crate::sns::SnsEventObj<CloudWatchAlarmSnsPayload>;

impl CloudWatchAlarmSnsPayload {
    /// Parses the `Message` of an SNS record into the alarm payload.
    pub fn from_sns_message(message: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(message)
    }

    /// [`Self::state_change_time`] as a `SystemTime`.
    pub fn state_change_time(&self) -> Option<SystemTime> {
        parse_iso8601(&self.state_change_time)
    }
}

/// The `Trigger` of a [`CloudWatchAlarmSnsPayload`]: a single metric, or a list of metric queries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudWatchAlarmTrigger {
    /// Metric name (single-metric alarms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    /// Namespace (single-metric alarms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `Statistic` or `ExtendedStatistic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic_type: Option<String>,
    /// Statistic (`AVERAGE`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    /// Unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Dimensions of the metric.
    #[serde(
        default,
        deserialize_with = "crate::encoding::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub dimensions: Vec<CloudWatchDimension>,
    /// Period in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    /// Number of periods evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_periods: Option<i64>,
    /// Number of breaching datapoints needed to alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datapoints_to_alarm: Option<i64>,
    /// Comparison (`GreaterThanThreshold`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison_operator: Option<String>,
    /// Threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// How missing data is treated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treat_missing_data: Option<String>,
    /// Percentile low-sample-count behaviour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluate_low_sample_count_percentile: Option<String>,
    /// Metric queries (alarms on several metrics or on an expression).
    #[serde(
        default,
        deserialize_with = "crate::encoding::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub metrics: Vec<CloudWatchAlarmTriggerMetric>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A `{"name": ..., "value": ...}` dimension.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudWatchDimension {
    /// Dimension name.
    #[serde(default)]
    pub name: String,
    /// Dimension value.
    #[serde(default)]
    pub value: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One metric query in an SNS alarm payload's `Trigger.Metrics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudWatchAlarmTriggerMetric {
    /// Query id.
    #[serde(default)]
    pub id: String,
    /// Metric math expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whether the alarm evaluates this query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_data: Option<bool>,
    /// Metric and statistic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_stat: Option<CloudWatchAlarmTriggerMetricStat>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `MetricStat` of a [`CloudWatchAlarmTriggerMetric`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudWatchAlarmTriggerMetricStat {
    /// The metric.
    #[serde(default)]
    pub metric: CloudWatchAlarmTriggerMetricId,
    /// Period in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    /// Statistic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stat: Option<String>,
    /// Unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `Metric` of a [`CloudWatchAlarmTriggerMetricStat`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudWatchAlarmTriggerMetricId {
    /// Dimensions.
    #[serde(
        default,
        deserialize_with = "crate::encoding::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub dimensions: Vec<CloudWatchDimension>,
    /// Metric name.
    #[serde(default)]
    pub metric_name: String,
    /// Namespace.
    #[serde(default)]
    pub namespace: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
