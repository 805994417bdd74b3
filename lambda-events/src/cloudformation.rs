//! CloudFormation custom resources: the request CloudFormation sends (Create/Update/Delete), the
//! response a handler uploads to `ResponseURL`, and the CDK "provider framework" shapes.
//!
//! ```
//! use lambda_fn_events::cloudformation::{CloudFormationCustomResourceRequest, CloudFormationCustomResourceResponse};
//!
//! #[derive(serde::Deserialize, serde::Serialize)]
//! #[serde(rename_all = "PascalCase")]
//! struct Props { bucket_name: String }
//!
//! let request: CloudFormationCustomResourceRequest<Props> = serde_json::from_str(r#"{
//!     "RequestType": "Create",
//!     "ServiceToken": "arn:aws:lambda:eu-west-1:123456789012:function:cr",
//!     "ResponseURL": "https://cloudformation-custom-resource-response.s3.amazonaws.com/signed",
//!     "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/1",
//!     "RequestId": "req-1",
//!     "ResourceType": "Custom::Bucket",
//!     "LogicalResourceId": "MyBucket",
//!     "ResourceProperties": {"ServiceToken": "arn:...", "BucketName": "demo-bucket"}
//! }"#).unwrap();
//! assert_eq!(request.resource_properties().bucket_name, "demo-bucket");
//!
//! let response: CloudFormationCustomResourceResponse =
//!     CloudFormationCustomResourceResponse::success(&request, "demo-bucket")
//!         .with_data(serde_json::json!({"Arn": "arn:aws:s3:::demo-bucket"}));
//! let json = serde_json::to_value(&response).unwrap();
//! assert_eq!(json["Status"], "SUCCESS");
//! assert_eq!(json["RequestId"], "req-1");
//! assert_eq!(json["LogicalResourceId"], "MyBucket");
//! ```

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::encoding::OtherFields;

/// A custom resource request, tagged on `RequestType`, with `ResourceProperties` as `P` and
/// `OldResourceProperties` (updates) as `O`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "RequestType")]
pub enum CloudFormationCustomResourceRequest<P = Value, O = P> {
    /// The resource is being created.
    Create(CloudFormationCreateRequest<P>),
    /// The resource is being updated.
    Update(CloudFormationUpdateRequest<P, O>),
    /// The resource is being deleted.
    Delete(CloudFormationDeleteRequest<P>),
}

/// The request the CDK provider framework passes to an `onEvent` handler: a custom resource
/// request without `ServiceToken`/`ResponseURL` (the framework answers CloudFormation itself).
pub type CloudFormationProviderRequest<P = Value, O = P> = CloudFormationCustomResourceRequest<P, O>;

/// A `Create` custom resource request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudFormationCreateRequest<P = Value> {
    /// ARN of the function (or topic) serving the resource; absent in provider-framework requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<String>,
    /// Pre-signed S3 URL to upload the response to; absent in provider-framework requests.
    #[serde(default, rename = "ResponseURL", skip_serializing_if = "Option::is_none")]
    pub response_url: Option<String>,
    /// Stack ARN.
    #[serde(default)]
    pub stack_id: String,
    /// Request id, echoed in the response.
    #[serde(default)]
    pub request_id: String,
    /// Resource type (`Custom::Name` or `AWS::CloudFormation::CustomResource`).
    #[serde(default)]
    pub resource_type: String,
    /// Logical id of the resource in the template.
    #[serde(default)]
    pub logical_resource_id: String,
    /// Properties of the resource in the template.
    pub resource_properties: P,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// An `Update` custom resource request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudFormationUpdateRequest<P = Value, O = P> {
    /// ARN of the function (or topic) serving the resource; absent in provider-framework requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<String>,
    /// Pre-signed S3 URL to upload the response to; absent in provider-framework requests.
    #[serde(default, rename = "ResponseURL", skip_serializing_if = "Option::is_none")]
    pub response_url: Option<String>,
    /// Stack ARN.
    #[serde(default)]
    pub stack_id: String,
    /// Request id, echoed in the response.
    #[serde(default)]
    pub request_id: String,
    /// Resource type.
    #[serde(default)]
    pub resource_type: String,
    /// Logical id of the resource in the template.
    #[serde(default)]
    pub logical_resource_id: String,
    /// Physical id returned when the resource was created.
    #[serde(default)]
    pub physical_resource_id: String,
    /// New properties.
    pub resource_properties: P,
    /// Properties before the update.
    pub old_resource_properties: O,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A `Delete` custom resource request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudFormationDeleteRequest<P = Value> {
    /// ARN of the function (or topic) serving the resource; absent in provider-framework requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<String>,
    /// Pre-signed S3 URL to upload the response to; absent in provider-framework requests.
    #[serde(default, rename = "ResponseURL", skip_serializing_if = "Option::is_none")]
    pub response_url: Option<String>,
    /// Stack ARN.
    #[serde(default)]
    pub stack_id: String,
    /// Request id, echoed in the response.
    #[serde(default)]
    pub request_id: String,
    /// Resource type.
    #[serde(default)]
    pub resource_type: String,
    /// Logical id of the resource in the template.
    #[serde(default)]
    pub logical_resource_id: String,
    /// Physical id of the resource being deleted.
    #[serde(default)]
    pub physical_resource_id: String,
    /// Properties of the resource.
    pub resource_properties: P,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

macro_rules! common_field {
    ($self:ident, $field:ident) => {
        match $self {
            CloudFormationCustomResourceRequest::Create(r) => &r.$field,
            CloudFormationCustomResourceRequest::Update(r) => &r.$field,
            CloudFormationCustomResourceRequest::Delete(r) => &r.$field,
        }
    };
}

impl<P, O> CloudFormationCustomResourceRequest<P, O> {
    /// `Create`, `Update` or `Delete`.
    pub fn request_type(&self) -> &'static str {
        match self {
            CloudFormationCustomResourceRequest::Create(_) => "Create",
            CloudFormationCustomResourceRequest::Update(_) => "Update",
            CloudFormationCustomResourceRequest::Delete(_) => "Delete",
        }
    }

    /// The request id.
    pub fn request_id(&self) -> &str {
        common_field!(self, request_id)
    }

    /// The stack ARN.
    pub fn stack_id(&self) -> &str {
        common_field!(self, stack_id)
    }

    /// The logical id of the resource.
    pub fn logical_resource_id(&self) -> &str {
        common_field!(self, logical_resource_id)
    }

    /// The resource type.
    pub fn resource_type(&self) -> &str {
        common_field!(self, resource_type)
    }

    /// The pre-signed URL to upload the response to (absent in provider-framework requests).
    pub fn response_url(&self) -> Option<&str> {
        common_field!(self, response_url).as_deref()
    }

    /// The physical id of the resource (`None` for `Create`).
    pub fn physical_resource_id(&self) -> Option<&str> {
        match self {
            CloudFormationCustomResourceRequest::Create(_) => None,
            CloudFormationCustomResourceRequest::Update(r) => Some(&r.physical_resource_id),
            CloudFormationCustomResourceRequest::Delete(r) => Some(&r.physical_resource_id),
        }
    }

    /// The (new) resource properties.
    pub fn resource_properties(&self) -> &P {
        common_field!(self, resource_properties)
    }
}

/// `SUCCESS` or `FAILED`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CloudFormationCustomResourceResponseStatus {
    /// The operation succeeded.
    #[default]
    Success,
    /// The operation failed; `Reason` says why.
    Failed,
}

/// The response uploaded (HTTP PUT) to the request's `ResponseURL`, with `Data` as `D`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudFormationCustomResourceResponse<D = Value> {
    /// `SUCCESS` or `FAILED`.
    pub status: CloudFormationCustomResourceResponseStatus,
    /// Why it failed (shown in the stack events); required for `FAILED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Physical id of the resource. Changing it on update makes CloudFormation delete the old one.
    #[serde(default)]
    pub physical_resource_id: String,
    /// Stack ARN, copied from the request.
    #[serde(default)]
    pub stack_id: String,
    /// Request id, copied from the request.
    #[serde(default)]
    pub request_id: String,
    /// Logical id, copied from the request.
    #[serde(default)]
    pub logical_resource_id: String,
    /// Mask `Data` in `Fn::GetAtt` outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_echo: Option<bool>,
    /// Values available through `Fn::GetAtt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<D>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl<D> CloudFormationCustomResourceResponse<D> {
    fn for_request<P, O>(
        request: &CloudFormationCustomResourceRequest<P, O>,
        status: CloudFormationCustomResourceResponseStatus,
        physical_resource_id: String,
    ) -> Self {
        CloudFormationCustomResourceResponse {
            status,
            reason: None,
            physical_resource_id,
            stack_id: request.stack_id().to_owned(),
            request_id: request.request_id().to_owned(),
            logical_resource_id: request.logical_resource_id().to_owned(),
            no_echo: None,
            data: None,
            other: OtherFields::new(),
        }
    }

    /// A `SUCCESS` response to `request` for the resource `physical_resource_id`.
    pub fn success<P, O>(
        request: &CloudFormationCustomResourceRequest<P, O>,
        physical_resource_id: impl Into<String>,
    ) -> Self {
        Self::for_request(
            request,
            CloudFormationCustomResourceResponseStatus::Success,
            physical_resource_id.into(),
        )
    }

    /// A `FAILED` response to `request`. The physical id is the request's one, or for a failed
    /// `Create` the logical id (CloudFormation requires a value).
    pub fn failed<P, O>(request: &CloudFormationCustomResourceRequest<P, O>, reason: impl Into<String>) -> Self {
        let id = request
            .physical_resource_id()
            .unwrap_or(request.logical_resource_id())
            .to_owned();
        let mut response = Self::for_request(request, CloudFormationCustomResourceResponseStatus::Failed, id);
        response.reason = Some(reason.into());
        response
    }

    /// Sets `Data`.
    pub fn with_data(mut self, data: D) -> Self {
        self.data = Some(data);
        self
    }

    /// Sets `NoEcho`.
    pub fn with_no_echo(mut self, no_echo: bool) -> Self {
        self.no_echo = Some(no_echo);
        self
    }
}

/// What a CDK provider framework `onEvent` handler returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudFormationProviderResponse<D = Value> {
    /// Physical id of the resource (defaults to the request's, or the request id on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_resource_id: Option<String>,
    /// Mask `Data` in outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_echo: Option<bool>,
    /// Values available through `Fn::GetAtt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<D>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// What a CDK provider framework `isComplete` handler returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudFormationProviderIsCompleteResponse<D = Value> {
    /// The operation has finished.
    pub is_complete: bool,
    /// Values merged into the `onEvent` data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<D>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}
