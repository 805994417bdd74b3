//! Lambda authorizers: REST API `TOKEN` and `REQUEST` authorizers, HTTP API authorizers (payload
//! formats 1.0 and 2.0), and their responses (IAM policy or, for HTTP APIs, a simple yes/no).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::http_api::ApiGatewayV2HttpRequestContext;
use super::rest::ApiGatewayProxyRequestContext;
pub use crate::encoding::StringOrList;
use crate::encoding::{OtherFields, PresenceMap, null_as_default};
use crate::http_common::{HttpHeaders, HttpQuery, Values};

/// The input of a REST API `TOKEN` authorizer: the caller's token and the method being called.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayCustomAuthorizerRequest {
    /// `TOKEN`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// The token from the configured identity source header (e.g. `Authorization`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_token: Option<String>,
    /// The ARN of the method being called (`arn:aws:execute-api:region:account:api/stage/VERB/path`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method_arn: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The input of a REST API (or WebSocket `$connect`) `REQUEST` authorizer: the whole request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayCustomAuthorizerRequestTypeRequest {
    /// `REQUEST`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// The ARN of the method being called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method_arn: Option<String>,
    /// The resource template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The request path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The HTTP method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    /// Request headers.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Request headers with every value.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub multi_value_headers: PresenceMap<String, Vec<String>>,
    /// Query parameters.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub query_string_parameters: PresenceMap<String, String>,
    /// Query parameters with every value.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub multi_value_query_string_parameters: PresenceMap<String, Vec<String>>,
    /// Path parameters.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub path_parameters: PresenceMap<String, String>,
    /// Stage variables.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub stage_variables: PresenceMap<String, String>,
    /// The request context, as for a proxy request (WebSocket fields such as `connectionId` are kept
    /// in its `other`).
    #[serde(default)]
    pub request_context: ApiGatewayProxyRequestContext,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl HttpHeaders for ApiGatewayCustomAuthorizerRequestTypeRequest {
    fn header_map(&self) -> Values<'_> {
        Values::Split(&self.headers, &self.multi_value_headers)
    }
}

impl HttpQuery for ApiGatewayCustomAuthorizerRequestTypeRequest {
    fn query_map(&self) -> Values<'_> {
        Values::Split(&self.query_string_parameters, &self.multi_value_query_string_parameters)
    }
}

impl ApiGatewayCustomAuthorizerRequestTypeRequest {
    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        HttpHeaders::header(self, name)
    }

    /// The value of a query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        HttpQuery::query(self, name)
    }
}

/// The output of a REST API authorizer (and of an HTTP API authorizer that returns an IAM policy).
///
/// ```
/// use lambda_fn_events::apigw::ApiGatewayCustomAuthorizerResponse;
/// let response = ApiGatewayCustomAuthorizerResponse::allow("user-1", "arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/pets")
///     .with_context("tier", "gold");
/// let json = serde_json::to_value(&response).unwrap();
/// assert_eq!(json["policyDocument"]["Statement"][0]["Effect"], "Allow");
/// assert_eq!(json["policyDocument"]["Statement"][0]["Action"], "execute-api:Invoke");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayCustomAuthorizerResponse {
    /// The caller's principal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    /// The policy that allows or denies the call.
    #[serde(default)]
    pub policy_document: IamPolicyDocument,
    /// Values passed on to the integration in `requestContext.authorizer` (REST APIs accept string,
    /// number and boolean values).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub context: PresenceMap<String, serde_json::Value>,
    /// The API key to use for usage plans, when the API key source is `AUTHORIZER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_identifier_key: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl ApiGatewayCustomAuthorizerResponse {
    /// A response whose policy allows `execute-api:Invoke` on `resource` (a method ARN, may contain `*`).
    pub fn allow(principal_id: impl Into<String>, resource: impl Into<String>) -> Self {
        Self::with_statement(
            principal_id,
            IamPolicyStatement::invoke(IamPolicyEffect::Allow, resource),
        )
    }

    /// A response whose policy denies `execute-api:Invoke` on `resource`.
    pub fn deny(principal_id: impl Into<String>, resource: impl Into<String>) -> Self {
        Self::with_statement(
            principal_id,
            IamPolicyStatement::invoke(IamPolicyEffect::Deny, resource),
        )
    }

    fn with_statement(principal_id: impl Into<String>, statement: IamPolicyStatement) -> Self {
        ApiGatewayCustomAuthorizerResponse {
            principal_id: Some(principal_id.into()),
            policy_document: IamPolicyDocument {
                statement: vec![statement],
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// Adds a value to `context`.
    #[must_use]
    pub fn with_context(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.context.insert(key.into(), value.into());
        self
    }
}

/// An IAM policy document as authorizers return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamPolicyDocument {
    /// The policy language version, `2012-10-17`.
    #[serde(rename = "Version", default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The statements.
    #[serde(rename = "Statement", default, deserialize_with = "null_as_default")]
    pub statement: Vec<IamPolicyStatement>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl Default for IamPolicyDocument {
    fn default() -> Self {
        IamPolicyDocument {
            version: Some(String::from("2012-10-17")),
            statement: Vec::new(),
            other: OtherFields::new(),
        }
    }
}

/// One statement of an [`IamPolicyDocument`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct IamPolicyStatement {
    /// An optional statement id.
    #[serde(rename = "Sid", default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    #[serde(rename = "Effect")]
    pub effect: IamPolicyEffect,
    /// The action(s), e.g. `execute-api:Invoke`; a single string or a list.
    #[serde(rename = "Action", default, skip_serializing_if = "Option::is_none")]
    pub action: Option<StringOrList>,
    /// The action(s) the statement does not apply to.
    #[serde(rename = "NotAction", default, skip_serializing_if = "Option::is_none")]
    pub not_action: Option<StringOrList>,
    /// The resource(s), e.g. method ARNs; a single string or a list.
    #[serde(rename = "Resource", default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<StringOrList>,
    /// The resource(s) the statement does not apply to.
    #[serde(rename = "NotResource", default, skip_serializing_if = "Option::is_none")]
    pub not_resource: Option<StringOrList>,
    /// Conditions: operator (e.g. `StringEquals`) to condition key to value(s).
    #[serde(rename = "Condition", default, skip_serializing_if = "PresenceMap::is_absent")]
    pub condition: PresenceMap<String, HashMap<String, serde_json::Value>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl IamPolicyStatement {
    /// A statement with `effect` for `execute-api:Invoke` on `resource`.
    pub fn invoke(effect: IamPolicyEffect, resource: impl Into<String>) -> Self {
        IamPolicyStatement {
            effect,
            action: Some(StringOrList::One(String::from("execute-api:Invoke"))),
            resource: Some(StringOrList::One(resource.into())),
            ..Default::default()
        }
    }

    /// Adds a condition, e.g. `("IpAddress", "aws:SourceIp", json!(["203.0.113.0/24"]))`.
    #[must_use]
    pub fn with_condition(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.condition
            .entry(operator.into())
            .or_default()
            .insert(key.into(), value.into());
        self
    }
}

/// The effect of an [`IamPolicyStatement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum IamPolicyEffect {
    /// Allow the call.
    Allow,
    /// Deny the call (the default: deny unless allowed).
    #[default]
    Deny,
}

/// The input of an HTTP API Lambda authorizer with payload format 1.0 (shaped like a REST API
/// `REQUEST` authorizer input).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2CustomAuthorizerV1Request {
    /// `1.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `REQUEST`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// The ARN of the route being called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method_arn: Option<String>,
    /// The identity sources' values, comma-joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_source: Option<String>,
    /// Same as `identitySource`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_token: Option<String>,
    /// The resource (route path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The request path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The HTTP method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    /// Request headers.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Query parameters.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub query_string_parameters: PresenceMap<String, String>,
    /// Path parameters.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub path_parameters: PresenceMap<String, String>,
    /// Stage variables.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub stage_variables: PresenceMap<String, String>,
    /// The request context (HTTP API fields such as `http`, `routeKey` and `timeEpoch` are kept in its
    /// `other`).
    #[serde(default)]
    pub request_context: ApiGatewayProxyRequestContext,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The input of an HTTP API Lambda authorizer with payload format 2.0.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2CustomAuthorizerV2Request {
    /// `2.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `REQUEST`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// The ARN of the route being called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_arn: Option<String>,
    /// The values of the configured identity sources (absent when caching is off and none is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_source: Option<Vec<String>>,
    /// The route that matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_key: Option<String>,
    /// The request path as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_path: Option<String>,
    /// The query string as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_query_string: Option<String>,
    /// The request's cookies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies: Option<Vec<String>>,
    /// Request headers (several values comma-joined).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Query parameters (several values comma-joined).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub query_string_parameters: PresenceMap<String, String>,
    /// The request context, as for an HTTP API request.
    #[serde(default)]
    pub request_context: ApiGatewayV2HttpRequestContext,
    /// Path parameters.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub path_parameters: PresenceMap<String, String>,
    /// Stage variables.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub stage_variables: PresenceMap<String, String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl HttpHeaders for ApiGatewayV2CustomAuthorizerV2Request {
    fn header_map(&self) -> Values<'_> {
        Values::Single(&self.headers)
    }
}

impl ApiGatewayV2CustomAuthorizerV2Request {
    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        HttpHeaders::header(self, name)
    }

    /// The value of a cookie by name.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        crate::http_common::find_cookie(self.cookies.as_deref().unwrap_or_default(), name)
    }
}

/// The "simple" response of an HTTP API Lambda authorizer (payload format 2.0 with simple responses
/// enabled): allowed or not, plus context for the integration.
///
/// ```
/// use lambda_fn_events::apigw::ApiGatewayV2CustomAuthorizerSimpleResponse;
/// let yes = ApiGatewayV2CustomAuthorizerSimpleResponse::authorized().with_context("user", "alice");
/// assert_eq!(serde_json::to_value(&yes).unwrap(), serde_json::json!({"isAuthorized": true, "context": {"user": "alice"}}));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayV2CustomAuthorizerSimpleResponse {
    /// Whether the request is allowed.
    #[serde(default)]
    pub is_authorized: bool,
    /// Values passed on to the integration in `requestContext.authorizer.lambda`.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub context: PresenceMap<String, serde_json::Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl ApiGatewayV2CustomAuthorizerSimpleResponse {
    /// An allowing response.
    pub fn authorized() -> Self {
        ApiGatewayV2CustomAuthorizerSimpleResponse {
            is_authorized: true,
            ..Default::default()
        }
    }

    /// A denying response.
    pub fn unauthorized() -> Self {
        ApiGatewayV2CustomAuthorizerSimpleResponse::default()
    }

    /// Adds a value to `context`.
    #[must_use]
    pub fn with_context(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.context.insert(key.into(), value.into());
        self
    }
}

/// The IAM policy response of an HTTP API Lambda authorizer: the same shape as a REST API
/// authorizer's (`usageIdentifierKey` is ignored by HTTP APIs; `context` values may be any JSON).
pub type ApiGatewayV2CustomAuthorizerIamPolicyResponse = ApiGatewayCustomAuthorizerResponse;
