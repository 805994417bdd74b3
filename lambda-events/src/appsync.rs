//! AppSync: direct Lambda resolver events (single and batch), the older `Invoke`/`BatchInvoke`
//! operation shape, caller identities, and the Lambda authorizer request and response.
//!
//! ```
//! use lambda_fn_events::appsync::{AppSyncIdentity, AppSyncResolverEvent};
//!
//! #[derive(serde::Deserialize, serde::Serialize)]
//! struct GetPost { id: String }
//!
//! let event: AppSyncResolverEvent<GetPost> = serde_json::from_str(r#"{
//!     "arguments": {"id": "p1"},
//!     "identity": {"sub": "u-1", "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x",
//!                  "username": "jane", "claims": {}, "sourceIp": ["203.0.113.7"], "defaultAuthStrategy": "ALLOW"},
//!     "source": null,
//!     "request": {"headers": {"host": "example.appsync-api.eu-west-1.amazonaws.com"}, "domainName": null},
//!     "prev": null,
//!     "info": {"fieldName": "getPost", "parentTypeName": "Query", "selectionSetList": ["id", "title"],
//!              "selectionSetGraphQL": "{ id title }", "variables": {}},
//!     "stash": {}
//! }"#).unwrap();
//! assert_eq!(event.arguments.id, "p1");
//! assert_eq!(event.info.field_name, "getPost");
//! assert!(matches!(event.identity, Some(AppSyncIdentity::Cognito(ref c)) if c.username == "jane"));
//! ```

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::encoding::{OtherFields, PresenceMap};

/// The event of an AppSync direct Lambda resolver, with the field's `arguments` as `T`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncResolverEvent<T = Value> {
    /// The GraphQL field's arguments.
    pub arguments: T,
    /// Who called (absent for API-key authorization).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<AppSyncIdentity>,
    /// The parent object, for fields of non-root types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Value>,
    /// The HTTP request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<AppSyncRequest>,
    /// Result of the previous function in a pipeline resolver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<Value>,
    /// The GraphQL field being resolved.
    #[serde(default)]
    pub info: AppSyncInfo,
    /// Pipeline stash.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub stash: PresenceMap<String, Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// A batch of direct resolver events (a resolver with batching enabled receives a JSON array).
pub type AppSyncBatchResolverEvent<T = Value> = Vec<AppSyncResolverEvent<T>>;

/// `request` of a resolver event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncRequest {
    /// Request headers (lower-case names).
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub headers: PresenceMap<String, String>,
    /// Custom domain name, when one is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `info` of a resolver event: which field of which type is resolved, and the selection set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncInfo {
    /// Fields selected, as paths (`id`, `author/name`).
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub selection_set_list: Vec<String>,
    /// The selection set in GraphQL syntax.
    #[serde(default, rename = "selectionSetGraphQL")]
    pub selection_set_graphql: String,
    /// Parent type (`Query`, `Mutation`, `Post`, ...).
    #[serde(default)]
    pub parent_type_name: String,
    /// Field name.
    #[serde(default)]
    pub field_name: String,
    /// Variables of the operation.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub variables: PresenceMap<String, Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The caller of an AppSync operation, by authorization mode.
///
/// Decoding picks the variant from the fields present: `resolverContext` means Lambda
/// authorization; `userArn`, `accountId` or `cognitoIdentityPoolId` mean IAM; `issuer`/`claims`
/// with `username`, `defaultAuthStrategy` or `groups` mean a Cognito user pool; `issuer`/`claims`
/// alone mean OIDC. Anything else is kept as [`AppSyncIdentity::Other`]. Encoding writes the
/// variant's fields only (no tag).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AppSyncIdentity {
    /// AWS IAM (SigV4) authorization.
    Iam(AppSyncIamIdentity),
    /// Cognito user pool authorization.
    Cognito(AppSyncCognitoIdentity),
    /// OpenID Connect authorization.
    Oidc(AppSyncOidcIdentity),
    /// Lambda authorization.
    Lambda(AppSyncLambdaIdentity),
    /// An identity of an unknown shape.
    Other(Value),
}

impl<'de> Deserialize<'de> for AppSyncIdentity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let Some(map) = value.as_object() else {
            return Ok(AppSyncIdentity::Other(value));
        };
        let has = |k: &str| map.contains_key(k);
        let typed = if has("resolverContext") {
            serde_json::from_value(value).map(AppSyncIdentity::Lambda)
        } else if has("userArn") || has("accountId") || has("cognitoIdentityPoolId") || has("cognitoIdentityId") {
            serde_json::from_value(value).map(AppSyncIdentity::Iam)
        } else if has("issuer") || has("claims") {
            if has("username") || has("defaultAuthStrategy") || has("groups") {
                serde_json::from_value(value).map(AppSyncIdentity::Cognito)
            } else {
                serde_json::from_value(value).map(AppSyncIdentity::Oidc)
            }
        } else {
            Ok(AppSyncIdentity::Other(value))
        };
        typed.map_err(serde::de::Error::custom)
    }
}

impl AppSyncIdentity {
    /// The caller's source IP addresses, for the modes that report them.
    pub fn source_ip(&self) -> &[String] {
        match self {
            AppSyncIdentity::Iam(i) => &i.source_ip,
            AppSyncIdentity::Cognito(c) => &c.source_ip,
            _ => &[],
        }
    }
}

/// Identity of an IAM-authorized caller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncIamIdentity {
    /// Account of the caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Cognito identity pool id (when the credentials came from Cognito Identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_identity_pool_id: Option<String>,
    /// Cognito identity id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_identity_id: Option<String>,
    /// `authenticated` or `unauthenticated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_identity_auth_type: Option<String>,
    /// Identity providers of the Cognito identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_identity_auth_provider: Option<String>,
    /// Source IP addresses.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub source_ip: Vec<String>,
    /// User name of the IAM user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// ARN of the IAM user or role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_arn: Option<String>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Identity of a Cognito-user-pool-authorized caller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncCognitoIdentity {
    /// The user's `sub`.
    #[serde(default)]
    pub sub: String,
    /// Token issuer.
    #[serde(default)]
    pub issuer: String,
    /// User name.
    #[serde(default)]
    pub username: String,
    /// Claims of the token.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub claims: PresenceMap<String, Value>,
    /// Source IP addresses.
    #[serde(default, deserialize_with = "crate::encoding::null_as_default")]
    pub source_ip: Vec<String>,
    /// `ALLOW` or `DENY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_auth_strategy: Option<String>,
    /// The user's groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Identity of an OIDC-authorized caller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncOidcIdentity {
    /// Claims of the token.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub claims: PresenceMap<String, Value>,
    /// Token issuer.
    #[serde(default)]
    pub issuer: String,
    /// Subject.
    #[serde(default)]
    pub sub: String,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// Identity of a caller authorized by a Lambda authorizer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncLambdaIdentity {
    /// The `resolverContext` the authorizer returned.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub resolver_context: PresenceMap<String, Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The older `Invoke` / `BatchInvoke` operation shape: a resolver mapping template that sends
/// `{"version", "operation", "payload"}`. The payload is whatever the template builds, `P`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AppSyncInvokeEvent<P = Value> {
    /// Mapping template version (`2017-02-28`, `2018-05-29`).
    #[serde(default)]
    pub version: String,
    /// `Invoke` or `BatchInvoke`.
    #[serde(default)]
    pub operation: String,
    /// The payload built by the template; for `BatchInvoke` a list.
    pub payload: P,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl<P> AppSyncInvokeEvent<P> {
    /// The operation is `BatchInvoke`.
    pub fn is_batch(&self) -> bool {
        self.operation == "BatchInvoke"
    }
}

/// A common payload for [`AppSyncInvokeEvent`]: the field name, its arguments, the parent and the
/// caller, as templates conventionally send them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncInvokePayload {
    /// Field being resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Arguments of the field.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub arguments: Value,
    /// Parent object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Value>,
    /// Caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<AppSyncIdentity>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The request an AppSync Lambda authorizer receives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncLambdaAuthorizerRequest {
    /// The `Authorization` header the client sent.
    #[serde(default)]
    pub authorization_token: String,
    /// Request headers.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub request_headers: PresenceMap<String, String>,
    /// The API and operation being authorized.
    #[serde(default)]
    pub request_context: AppSyncLambdaAuthorizerRequestContext,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// `requestContext` of an [`AppSyncLambdaAuthorizerRequest`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncLambdaAuthorizerRequestContext {
    /// API id.
    #[serde(default)]
    pub api_id: String,
    /// Account of the API.
    #[serde(default)]
    pub account_id: String,
    /// Request id.
    #[serde(default)]
    pub request_id: String,
    /// The GraphQL document.
    #[serde(default)]
    pub query_string: String,
    /// Operation name, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_name: Option<String>,
    /// Variables.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub variables: PresenceMap<String, Value>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

/// The answer of an AppSync Lambda authorizer.
///
/// ```
/// use lambda_fn_events::appsync::AppSyncLambdaAuthorizerResponse;
/// let answer = AppSyncLambdaAuthorizerResponse::allow()
///     .with_context("userId", "u-1")
///     .with_ttl(300);
/// let json = serde_json::to_value(&answer).unwrap();
/// assert_eq!(json["isAuthorized"], true);
/// assert_eq!(json["resolverContext"]["userId"], "u-1");
/// assert_eq!(json["ttlOverride"], 300);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSyncLambdaAuthorizerResponse {
    /// Whether the request is allowed.
    #[serde(default)]
    pub is_authorized: bool,
    /// Values made available to resolvers as `$ctx.identity.resolverContext`.
    #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
    pub resolver_context: PresenceMap<String, Value>,
    /// Fields the caller may not read (nulled in the result).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denied_fields: Option<Vec<String>>,
    /// Seconds to cache this answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_override: Option<i64>,
    /// Fields this crate has no typed field for.
    #[serde(flatten)]
    pub other: OtherFields,
}

impl AppSyncLambdaAuthorizerResponse {
    /// An answer that allows the request.
    pub fn allow() -> Self {
        AppSyncLambdaAuthorizerResponse {
            is_authorized: true,
            ..Default::default()
        }
    }

    /// An answer that denies the request.
    pub fn deny() -> Self {
        AppSyncLambdaAuthorizerResponse::default()
    }

    /// Adds a `resolverContext` entry.
    pub fn with_context(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.resolver_context.insert(key.into(), value.into());
        self
    }

    /// Sets how long AppSync may cache the answer.
    pub fn with_ttl(mut self, seconds: i64) -> Self {
        self.ttl_override = Some(seconds);
        self
    }
}
