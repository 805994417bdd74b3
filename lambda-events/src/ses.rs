//! Amazon SES email receiving: the event a receipt rule's Lambda action sends, and the disposition a
//! synchronously invoked function returns.
//!
//! The same record shape also arrives when the rule's S3 or SNS action is what triggered your
//! function; [`SimpleEmailReceiptAction`] covers the fields of the Lambda, S3 and SNS actions.
//!
//! ```
//! use lambda_fn_events::ses::{SimpleEmailDisposition, SimpleEmailEvent};
//!
//! let event: SimpleEmailEvent = serde_json::from_str(r#"{"Records": [{
//!     "eventSource": "aws:ses", "eventVersion": "1.0",
//!     "ses": {
//!         "mail": {"timestamp": "2024-01-02T03:04:05.678Z", "source": "a@example.com",
//!                  "messageId": "m1", "destination": ["b@example.com"], "headersTruncated": false,
//!                  "headers": [{"name": "Subject", "value": "Hi"}],
//!                  "commonHeaders": {"from": ["a@example.com"], "to": ["b@example.com"], "subject": "Hi"}},
//!         "receipt": {"timestamp": "2024-01-02T03:04:05.678Z", "processingTimeMillis": 10,
//!                     "recipients": ["b@example.com"], "spamVerdict": {"status": "PASS"},
//!                     "action": {"type": "Lambda", "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:f",
//!                                "invocationType": "RequestResponse"}}
//!     }
//! }]}"#).unwrap();
//! let ses = &event.records[0].ses;
//! assert_eq!(ses.mail.common_headers.subject.as_deref(), Some("Hi"));
//! assert_eq!(ses.mail.header("subject"), Some("Hi"));
//! assert!(ses.receipt.spam_verdict.as_ref().unwrap().is_pass());
//! let reply = serde_json::to_string(&SimpleEmailDisposition::StopRuleSet.response()).unwrap();
//! assert_eq!(reply, r#"{"disposition":"STOP_RULE_SET"}"#);
//! ```

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::encoding::{OtherFields, null_as_default, parse_iso8601};

/// The event an SES receipt rule sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimpleEmailEvent {
    /// The received emails (`Records`), one per invocation in practice.
    #[serde(rename = "Records", default, deserialize_with = "null_as_default")]
    pub records: Vec<SimpleEmailRecord>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// One record of a [`SimpleEmailEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimpleEmailRecord {
    /// Event schema version (`1.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_version: Option<String>,
    /// Always `aws:ses`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// The email and how it was received.
    #[serde(default)]
    pub ses: SimpleEmailService,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The `ses` object of a record: the email and the receipt.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimpleEmailService {
    /// The email's envelope and headers (the body is not included; use the S3 action for it).
    #[serde(default)]
    pub mail: SimpleEmailMessage,
    /// The receipt: verdicts and the action that ran.
    #[serde(default)]
    pub receipt: SimpleEmailReceipt,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An email's envelope and headers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimpleEmailMessage {
    /// When the email was received, ISO 8601 (see [`SimpleEmailMessage::timestamp()`]).
    #[serde(default)]
    pub timestamp: String,
    /// Envelope sender (`MAIL FROM`).
    #[serde(default)]
    pub source: String,
    /// SES's id for the email (also the S3 object key of the S3 action).
    #[serde(default)]
    pub message_id: String,
    /// Envelope recipients (`RCPT TO`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub destination: Vec<String>,
    /// Whether [`SimpleEmailMessage::headers`] was cut short.
    #[serde(default)]
    pub headers_truncated: bool,
    /// All headers, in order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub headers: Vec<SimpleEmailHeader>,
    /// The most common headers, parsed.
    #[serde(default)]
    pub common_headers: SimpleEmailCommonHeaders,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl SimpleEmailMessage {
    /// When the email was received.
    pub fn timestamp(&self) -> Option<SystemTime> {
        parse_iso8601(&self.timestamp)
    }

    /// The value of the first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }
}

/// One email header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimpleEmailHeader {
    /// Header name.
    #[serde(default)]
    pub name: String,
    /// Header value.
    #[serde(default)]
    pub value: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The common headers of an email, parsed by SES. Lists are omitted when the header is absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimpleEmailCommonHeaders {
    /// `Return-Path`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_path: Option<String>,
    /// `From` addresses.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<String>,
    /// `Sender`.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub sender: Vec<String>,
    /// `Reply-To` addresses.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub reply_to: Vec<String>,
    /// `To` addresses.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    /// `Cc` addresses.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    /// `Bcc` addresses.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub bcc: Vec<String>,
    /// `Date`, as written in the email (RFC 2822).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `Message-ID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// `Subject`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// How SES received the email: recipients, verdicts and the action that ran.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimpleEmailReceipt {
    /// When the action ran, ISO 8601 (see [`SimpleEmailReceipt::timestamp()`]).
    #[serde(default)]
    pub timestamp: String,
    /// Processing time in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_time_millis: Option<i64>,
    /// The recipients this rule matched.
    #[serde(default, deserialize_with = "null_as_default")]
    pub recipients: Vec<String>,
    /// Spam scan result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spam_verdict: Option<SimpleEmailVerdict>,
    /// Virus scan result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virus_verdict: Option<SimpleEmailVerdict>,
    /// SPF check result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spf_verdict: Option<SimpleEmailVerdict>,
    /// DKIM check result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dkim_verdict: Option<SimpleEmailVerdict>,
    /// DMARC check result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dmarc_verdict: Option<SimpleEmailVerdict>,
    /// The sender domain's DMARC policy (`none`, `quarantine`, `reject`), when DMARC failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dmarc_policy: Option<String>,
    /// The action that ran.
    #[serde(default)]
    pub action: SimpleEmailReceiptAction,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl SimpleEmailReceipt {
    /// When the action ran.
    pub fn timestamp(&self) -> Option<SystemTime> {
        parse_iso8601(&self.timestamp)
    }
}

/// A verdict of one of SES's checks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimpleEmailVerdict {
    /// `PASS`, `FAIL`, `GRAY` or `PROCESSING_FAILED`.
    #[serde(default)]
    pub status: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl SimpleEmailVerdict {
    /// Whether the check passed.
    pub fn is_pass(&self) -> bool {
        self.status == "PASS"
    }
}

/// The receipt rule action that produced the event. Which fields are set depends on `type`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimpleEmailReceiptAction {
    /// `Lambda`, `S3` or `SNS`.
    #[serde(rename = "type", default)]
    pub action_type: String,
    /// Lambda action: `Event` or `RequestResponse`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_type: Option<String>,
    /// Lambda action: the function invoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_arn: Option<String>,
    /// S3 and SNS actions: the topic notified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_arn: Option<String>,
    /// S3 action: the bucket the email was stored in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_name: Option<String>,
    /// S3 action: the key of the stored email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_key: Option<String>,
    /// S3 action: the key prefix configured on the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_key_prefix: Option<String>,
    /// SNS action: `UTF-8` or `Base64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// What SES does next, returned by a function invoked with `RequestResponse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SimpleEmailDisposition {
    /// Go on with the rule's next action.
    Continue,
    /// Stop this rule's actions.
    StopRule,
    /// Stop this rule and the rest of the rule set.
    StopRuleSet,
}

impl SimpleEmailDisposition {
    /// The response carrying this disposition.
    pub fn response(self) -> SimpleEmailDispositionResponse {
        SimpleEmailDispositionResponse {
            disposition: self,
            other: OtherFields::new(),
        }
    }
}

/// The response of a function invoked with `RequestResponse`: `{"disposition": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimpleEmailDispositionResponse {
    /// What SES does next.
    pub disposition: SimpleEmailDisposition,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
