//! S3 Object Lambda: requests routed through an Object Lambda access point.

use serde::{Deserialize, Serialize};

use crate::encoding::{OtherFields, PresenceMap};

/// A request routed through an S3 Object Lambda access point. Exactly one of the four contexts is
/// set, depending on the S3 operation.
///
/// A GetObject function answers through S3's `WriteGetObjectResponse` API using
/// `getObjectContext.outputRoute` and `outputToken`; HeadObject and ListObjects functions return an
/// [`S3ObjectLambdaResponse`].
///
/// ```
/// use lambda_fn_events::s3::S3ObjectLambdaEvent;
///
/// let event: S3ObjectLambdaEvent = serde_json::from_str(r#"{
///     "xAmzRequestId": "req", "protocolVersion": "1.00",
///     "getObjectContext": {"inputS3Url": "https://ap.example/obj?sig", "outputRoute": "io-1", "outputToken": "tok"},
///     "configuration": {"accessPointArn": "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/olap",
///                       "supportingAccessPointArn": "arn:aws:s3:us-east-1:123456789012:accesspoint/ap",
///                       "payload": "{\"mode\":\"upper\"}"},
///     "userRequest": {"url": "https://olap.example/obj", "headers": {"Host": "olap.example"}},
///     "userIdentity": {"type": "IAMUser", "principalId": "P", "arn": "arn:aws:iam::123456789012:user/u",
///                      "accountId": "123456789012", "accessKeyId": "K"}
/// }"#).unwrap();
/// assert_eq!(event.get_object_context.as_ref().unwrap().output_route, "io-1");
/// assert_eq!(event.input_s3_url(), Some("https://ap.example/obj?sig"));
/// let payload: serde_json::Value = event.configuration.payload_json().unwrap().unwrap();
/// assert_eq!(payload["mode"], "upper");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3ObjectLambdaEvent {
    /// Id of the S3 request (`xAmzRequestId`).
    #[serde(default)]
    pub x_amz_request_id: String,
    /// Set for GetObject requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_object_context: Option<S3ObjectLambdaGetObjectContext>,
    /// Set for HeadObject requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_object_context: Option<S3ObjectLambdaInputContext>,
    /// Set for ListObjects requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_objects_context: Option<S3ObjectLambdaInputContext>,
    /// Set for ListObjectsV2 requests.
    #[serde(rename = "listObjectsV2Context", default, skip_serializing_if = "Option::is_none")]
    pub list_objects_v2_context: Option<S3ObjectLambdaInputContext>,
    /// The access point configuration.
    #[serde(default)]
    pub configuration: S3ObjectLambdaConfiguration,
    /// The original request.
    #[serde(default)]
    pub user_request: S3ObjectLambdaUserRequest,
    /// Who made the original request.
    #[serde(default)]
    pub user_identity: S3ObjectLambdaUserIdentity,
    /// Event format version (`1.00`, `1.01`).
    #[serde(default)]
    pub protocol_version: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl S3ObjectLambdaEvent {
    /// The presigned URL of the supporting access point, whichever operation this is.
    pub fn input_s3_url(&self) -> Option<&str> {
        if let Some(ctx) = &self.get_object_context {
            return Some(&ctx.input_s3_url);
        }
        [
            &self.head_object_context,
            &self.list_objects_context,
            &self.list_objects_v2_context,
        ]
        .into_iter()
        .find_map(|ctx| ctx.as_ref().map(|c| c.input_s3_url.as_str()))
    }
}

/// The context of a GetObject request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3ObjectLambdaGetObjectContext {
    /// Presigned URL that fetches the original object from the supporting access point.
    #[serde(rename = "inputS3Url", default)]
    pub input_s3_url: String,
    /// Routing token for `WriteGetObjectResponse` (`RequestRoute`).
    #[serde(default)]
    pub output_route: String,
    /// Token for `WriteGetObjectResponse` (`RequestToken`).
    #[serde(default)]
    pub output_token: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The context of a HeadObject, ListObjects or ListObjectsV2 request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct S3ObjectLambdaInputContext {
    /// Presigned URL that performs the original request against the supporting access point.
    #[serde(rename = "inputS3Url", default)]
    pub input_s3_url: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The Object Lambda access point configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3ObjectLambdaConfiguration {
    /// ARN of the Object Lambda access point.
    #[serde(default)]
    pub access_point_arn: String,
    /// ARN of the supporting access point.
    #[serde(default)]
    pub supporting_access_point_arn: String,
    /// The function payload configured on the access point (free text, often JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl S3ObjectLambdaConfiguration {
    /// Decodes the payload as JSON into `T`; `Ok(None)` when there is no payload.
    pub fn payload_json<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, serde_json::Error> {
        self.payload.as_deref().map(serde_json::from_str).transpose()
    }
}

/// The original request made to the Object Lambda access point.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct S3ObjectLambdaUserRequest {
    /// The decoded URL of the request.
    #[serde(default)]
    pub url: String,
    /// The request's headers (except authorization headers).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The identity that made the original request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3ObjectLambdaUserIdentity {
    /// `IAMUser`, `AssumedRole`, `Root`, ...
    #[serde(rename = "type", default)]
    pub identity_type: String,
    /// Unique id of the principal.
    #[serde(default)]
    pub principal_id: String,
    /// ARN of the principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Account of the principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Access key used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    /// Session details, for temporary credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_context: Option<S3ObjectLambdaSessionContext>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Session details of a temporary-credentials identity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3ObjectLambdaSessionContext {
    /// Session attributes (`creationDate`, `mfaAuthenticated`).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub attributes: PresenceMap<String, String>,
    /// The role or user that issued the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_issuer: Option<S3ObjectLambdaSessionIssuer>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The issuer of a session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3ObjectLambdaSessionIssuer {
    /// `Role`, `IAMUser` or `Root`.
    #[serde(rename = "type", default)]
    pub issuer_type: String,
    /// Unique id of the issuer.
    #[serde(default)]
    pub principal_id: String,
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

/// What a HeadObject, ListObjects or ListObjectsV2 Object Lambda function returns.
///
/// ```
/// use lambda_fn_events::s3::S3ObjectLambdaResponse;
/// let ok = S3ObjectLambdaResponse::ok().with_header("Content-Length", "42");
/// assert_eq!(serde_json::to_string(&ok).unwrap(), r#"{"statusCode":200,"headers":{"Content-Length":"42"}}"#);
/// let denied = S3ObjectLambdaResponse::error(403, "AccessDenied", "no");
/// assert_eq!(denied.error_code.as_deref(), Some("AccessDenied"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3ObjectLambdaResponse {
    /// HTTP status code for the caller.
    #[serde(default)]
    pub status_code: u16,
    /// S3 error code, for error responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Error message, for error responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// HeadObject: response headers.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// ListObjects / ListObjectsV2: the listing as S3's XML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_result_xml: Option<String>,
    /// ListObjects / ListObjectsV2: the listing as JSON, instead of XML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_bucket_result: Option<serde_json::Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl S3ObjectLambdaResponse {
    /// A `200` response with nothing else.
    pub fn ok() -> Self {
        S3ObjectLambdaResponse {
            status_code: 200,
            ..Default::default()
        }
    }

    /// An error response.
    pub fn error(status_code: u16, error_code: impl Into<String>, message: impl Into<String>) -> Self {
        S3ObjectLambdaResponse {
            status_code,
            error_code: Some(error_code.into()),
            error_message: Some(message.into()),
            ..Default::default()
        }
    }

    /// Adds a HeadObject response header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Sets the ListObjects result XML.
    pub fn with_list_result_xml(mut self, xml: impl Into<String>) -> Self {
        self.list_result_xml = Some(xml.into());
        self
    }
}
