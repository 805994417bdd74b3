//! Amazon Connect: the event a contact flow's "Invoke AWS Lambda function" block sends, and the
//! flat string map the function returns.
//!
//! ```
//! use lambda_fn_events::connect::{ConnectEvent, ConnectResponse};
//!
//! let event: ConnectEvent = serde_json::from_str(r#"{
//!     "Name": "ContactFlowEvent",
//!     "Details": {
//!         "ContactData": {
//!             "Attributes": {"tier": "gold"},
//!             "Channel": "VOICE",
//!             "ContactId": "c-1",
//!             "CustomerEndpoint": {"Address": "+15550100", "Type": "TELEPHONE_NUMBER"},
//!             "InitialContactId": "c-1",
//!             "InitiationMethod": "INBOUND",
//!             "InstanceARN": "arn:aws:connect:us-east-1:123456789012:instance/i-1",
//!             "PreviousContactId": "c-1",
//!             "Queue": null,
//!             "SystemEndpoint": {"Address": "+15550199", "Type": "TELEPHONE_NUMBER"}
//!         },
//!         "Parameters": {"lookup": "balance"}
//!     }
//! }"#).unwrap();
//! assert_eq!(event.details.parameters["lookup"], "balance");
//! assert_eq!(event.details.contact_data.customer_endpoint.as_ref().unwrap().address, "+15550100");
//!
//! let mut response = ConnectResponse::new();
//! response.insert("balance".into(), "42.00".into());
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::encoding::{OtherFields, PresenceMap};

/// What a Lambda function invoked by a contact flow returns: a flat map of strings, available in
/// the flow as `$.External.<key>`.
pub type ConnectResponse = HashMap<String, String>;

/// The event of a Lambda function invoked from an Amazon Connect contact flow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectEvent {
    /// The contact and the parameters configured on the block.
    #[serde(default)]
    pub details: ConnectDetails,
    /// `ContactFlowEvent`.
    #[serde(default)]
    pub name: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `Details` of a [`ConnectEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectDetails {
    /// The contact.
    #[serde(default)]
    pub contact_data: ConnectContactData,
    /// Parameters configured on the "Invoke AWS Lambda function" block.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub parameters: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `ContactData` of a [`ConnectEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectContactData {
    /// User-defined contact attributes.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub attributes: PresenceMap<String, String>,
    /// `VOICE`, `CHAT`, `TASK`, `EMAIL`.
    #[serde(default)]
    pub channel: String,
    /// Contact id.
    #[serde(default)]
    pub contact_id: String,
    /// The customer's endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_endpoint: Option<ConnectEndpoint>,
    /// Id of the first contact of the chain.
    #[serde(default)]
    pub initial_contact_id: String,
    /// `INBOUND`, `OUTBOUND`, `TRANSFER`, `CALLBACK`, `API`, ...
    #[serde(default)]
    pub initiation_method: String,
    /// ARN of the Connect instance.
    #[serde(default, rename = "InstanceARN")]
    pub instance_arn: String,
    /// Id of the previous contact.
    #[serde(default)]
    pub previous_contact_id: String,
    /// The queue (absent or null before the contact is queued).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<ConnectQueue>,
    /// The endpoint the customer reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_endpoint: Option<ConnectEndpoint>,
    /// Kinesis Video streams of the contact's audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_streams: Option<Value>,
    /// Language code of the contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    /// Region of the instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// Customer profile id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// Contact name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Contact description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Contact tags.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub tags: PresenceMap<String, String>,
    /// Segment attributes (`connect:Subtype`, ...).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub segment_attributes: PresenceMap<String, Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A contact endpoint (phone number, email address, ...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectEndpoint {
    /// The address (`+15550100`).
    #[serde(default)]
    pub address: String,
    /// `TELEPHONE_NUMBER`, `EMAIL_ADDRESS`, ...
    #[serde(rename = "Type", default)]
    pub endpoint_type: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A Connect queue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectQueue {
    /// Queue name.
    #[serde(default)]
    pub name: String,
    /// Queue ARN.
    #[serde(default, rename = "ARN")]
    pub arn: String,
    /// Outbound caller id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_caller_id: Option<Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
