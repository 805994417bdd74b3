//! What a handler knows about its invocation and its function: [`Context`] and [`FunctionConfig`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The per-invocation context: request id, deadline, ARN, tracing and identity information, and the
/// function's configuration.
///
/// Take it as the second parameter of a handler. In unit tests, build one with [`Context::for_test`]:
///
/// ```
/// use lambda_fn::Context;
///
/// async fn greet(name: String, ctx: Context) -> String {
///     format!("hello {name} from {}", ctx.env.function_name)
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let reply = greet("ana".into(), Context::for_test()).await;
/// assert_eq!(reply, "hello ana from test-function");
/// # });
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Context {
    /// `Lambda-Runtime-Aws-Request-Id`: the id AWS gave this invocation.
    pub request_id: String,
    /// `Lambda-Runtime-Invocation-Id`: the nonce Lambda gives each invocation (since 2026), which the
    /// runtime echoes on the invocation's answer so that Lambda can tell it from the late answer of an
    /// earlier invocation that had the same request id. `None` when the Runtime API sent none (or one
    /// that is not an HTTP token).
    pub invocation_id: Option<String>,
    /// `Lambda-Runtime-Deadline-Ms`: when Lambda stops the invocation, in milliseconds since the epoch.
    /// `None` when the Runtime API sent no usable deadline (missing, negative, not a number): the
    /// invocation still runs, with its deadline unknown.
    pub deadline_ms: Option<u64>,
    /// `Lambda-Runtime-Invoked-Function-Arn`: the ARN used to invoke (may carry a version or alias).
    pub invoked_function_arn: String,
    /// `Lambda-Runtime-Trace-Id`: the X-Ray tracing header, also set as `_X_AMZN_TRACE_ID`.
    pub xray_trace_id: Option<String>,
    /// `Lambda-Runtime-Client-Context`: sent by the AWS Mobile SDK.
    pub client_context: Option<ClientContext>,
    /// `Lambda-Runtime-Cognito-Identity`: the caller's Cognito identity, when invoked through the Mobile SDK.
    pub identity: Option<CognitoIdentity>,
    /// `Lambda-Runtime-Aws-Tenant-Id`: the tenant of a function with tenant isolation.
    pub tenant_id: Option<String>,
    /// The function's configuration from the environment, shared by all invocations.
    pub env: Arc<FunctionConfig>,
}

impl Context {
    /// When Lambda will stop this invocation; `None` when the Runtime API did not say (see
    /// [`deadline_ms`](Self::deadline_ms)).
    pub fn deadline(&self) -> Option<SystemTime> {
        UNIX_EPOCH.checked_add(Duration::from_millis(self.deadline_ms?))
    }

    /// Time left before the deadline (zero once it has passed); `None` when the deadline is unknown.
    ///
    /// ```
    /// # use lambda_fn::Context;
    /// let ctx = Context::for_test();
    /// // Leave a second for the last step, or take 2 s when the deadline is unknown.
    /// let budget = ctx.remaining().map_or(std::time::Duration::from_secs(2), |left| left.saturating_sub(std::time::Duration::from_secs(1)));
    /// assert!(budget <= std::time::Duration::from_secs(3));
    /// ```
    pub fn remaining(&self) -> Option<Duration> {
        let left = self.deadline()?.duration_since(SystemTime::now());
        Some(left.unwrap_or(Duration::ZERO))
    }

    /// A realistic context for unit tests: a fixed request id, a deadline 3 seconds from now (Lambda's
    /// default timeout) and the configuration of a 128 MB function named `test-function` in `us-east-1`.
    pub fn for_test() -> Self {
        Context::local(
            "8476a536-e9f4-11e8-9739-2dfe598c3fcd".to_owned(),
            Arc::new(FunctionConfig::for_test()),
        )
    }

    /// A context for an invocation that does not come from the Runtime API (local `invoke`).
    pub(crate) fn local(request_id: String, env: Arc<FunctionConfig>) -> Self {
        let deadline = SystemTime::now() + Duration::from_secs(3);
        let deadline_ms = deadline.duration_since(UNIX_EPOCH).ok().map(|d| d.as_millis() as u64);
        Context {
            request_id,
            invocation_id: None,
            deadline_ms,
            invoked_function_arn: env.function_arn(),
            xray_trace_id: None,
            client_context: None,
            identity: None,
            tenant_id: None,
            env,
        }
    }
}

impl Default for Context {
    /// Same as [`Context::for_test`].
    fn default() -> Self {
        Context::for_test()
    }
}

/// The function's configuration, read once from the environment Lambda defines.
///
/// Credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) are deliberately
/// not part of it: read them with your AWS SDK, which knows how to refresh them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FunctionConfig {
    /// `AWS_LAMBDA_FUNCTION_NAME`.
    pub function_name: String,
    /// `AWS_LAMBDA_FUNCTION_VERSION` (`$LATEST` when unset).
    pub function_version: String,
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` in MB (128 when unset or not a number).
    pub memory_size_mb: u32,
    /// `AWS_LAMBDA_LOG_GROUP_NAME`.
    pub log_group_name: String,
    /// `AWS_LAMBDA_LOG_STREAM_NAME`.
    pub log_stream_name: String,
    /// `AWS_REGION` (falling back to `AWS_DEFAULT_REGION`, then `us-east-1`).
    pub region: String,
    /// `AWS_LAMBDA_INITIALIZATION_TYPE`: `on-demand`, `provisioned-concurrency`, `snap-start` or
    /// `lambda-managed-instances`.
    pub initialization_type: String,
    /// `_HANDLER`: the handler name this process was started for, when set.
    pub handler: Option<String>,
    /// `LAMBDA_RT_BASE_PATH`: the base path of a custom domain's API mapping (`/v1`), taken off the
    /// path before HTTP routes see it (see [`crate::http`]).
    pub http_base_path: Option<String>,
    /// `LAMBDA_RT_METRICS_NAMESPACE`: the EMF namespace of [`crate::metrics`] (`lambda-rt` when unset).
    pub metrics_namespace: Option<String>,
    /// `LAMBDA_RT_METRICS_SERVICE`: the `service` dimension of metrics (the function name when unset).
    pub metrics_service: Option<String>,
    /// `LAMBDA_RT_METRICS_COLD_START` is `1` or `true`: write the `ColdStart` metric once per process.
    pub metrics_cold_start: bool,
    /// The Lambda API a durable handler checkpoints to when the embedded emulator is the durable
    /// execution service (`http://127.0.0.1:PORT`); it takes the place of `AWS_ENDPOINT_URL_LAMBDA`.
    /// `None` outside the emulator.
    pub(crate) lambda_endpoint: Option<String>,
    /// The Lambda Invoke API that typed calls (`call::invoke`) go to under the embedded emulator: the
    /// emulator's own (`http://127.0.0.1:PORT`). `None` outside it.
    pub(crate) invoke_endpoint: Option<String>,
}

impl FunctionConfig {
    /// Reads the configuration from the process environment, with defaults for what is missing.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` (a test can pass a map instead of the environment).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let function_name = get("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_else(|| "local-function".to_owned());
        FunctionConfig {
            function_version: get("AWS_LAMBDA_FUNCTION_VERSION").unwrap_or_else(|| "$LATEST".to_owned()),
            memory_size_mb: get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(128),
            log_group_name: get("AWS_LAMBDA_LOG_GROUP_NAME").unwrap_or_else(|| format!("/aws/lambda/{function_name}")),
            log_stream_name: get("AWS_LAMBDA_LOG_STREAM_NAME").unwrap_or_default(),
            region: get("AWS_REGION")
                .or_else(|| get("AWS_DEFAULT_REGION"))
                .unwrap_or_else(|| "us-east-1".to_owned()),
            initialization_type: get("AWS_LAMBDA_INITIALIZATION_TYPE").unwrap_or_else(|| "on-demand".to_owned()),
            handler: get("_HANDLER"),
            http_base_path: get("LAMBDA_RT_BASE_PATH"),
            metrics_namespace: get("LAMBDA_RT_METRICS_NAMESPACE"),
            metrics_service: get("LAMBDA_RT_METRICS_SERVICE"),
            metrics_cold_start: get("LAMBDA_RT_METRICS_COLD_START").is_some_and(|v| v == "1" || v == "true"),
            lambda_endpoint: None,
            invoke_endpoint: None,
            function_name,
        }
    }

    fn for_test() -> Self {
        FunctionConfig {
            function_name: "test-function".to_owned(),
            function_version: "$LATEST".to_owned(),
            memory_size_mb: 128,
            log_group_name: "/aws/lambda/test-function".to_owned(),
            log_stream_name: "2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef".to_owned(),
            region: "us-east-1".to_owned(),
            initialization_type: "on-demand".to_owned(),
            handler: None,
            http_base_path: None,
            metrics_namespace: None,
            metrics_service: None,
            metrics_cold_start: false,
            lambda_endpoint: None,
            invoke_endpoint: None,
        }
    }

    /// The unqualified ARN this configuration describes, with a placeholder account id.
    pub(crate) fn function_arn(&self) -> String {
        format!(
            "arn:aws:lambda:{}:123456789012:function:{}",
            self.region, self.function_name
        )
    }
}

/// The client context the AWS Mobile SDK sends (`Lambda-Runtime-Client-Context`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClientContext {
    /// The calling application.
    #[serde(default)]
    pub client: ClientApplication,
    /// Values set by the calling application.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom: HashMap<String, String>,
    /// Environment information from the calling SDK.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub env: HashMap<String, String>,
}

/// The application in a [`ClientContext`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClientApplication {
    /// `installation_id`.
    #[serde(default)]
    pub installation_id: String,
    /// `app_title`.
    #[serde(default)]
    pub app_title: String,
    /// `app_version_name`.
    #[serde(default)]
    pub app_version_name: String,
    /// `app_version_code`.
    #[serde(default)]
    pub app_version_code: String,
    /// `app_package_name`.
    #[serde(default)]
    pub app_package_name: String,
}

/// The Cognito identity of the caller (`Lambda-Runtime-Cognito-Identity`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CognitoIdentity {
    /// `cognitoIdentityId`.
    #[serde(rename = "cognitoIdentityId", default)]
    pub identity_id: String,
    /// `cognitoIdentityPoolId`.
    #[serde(rename = "cognitoIdentityPoolId", default)]
    pub identity_pool_id: String,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<HashMap<String, String>, D::Error> {
    Ok(Option::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_defaults_and_overrides() {
        let vars: HashMap<&str, &str> = [
            ("AWS_LAMBDA_FUNCTION_NAME", "orders"),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "not-a-number"),
            ("AWS_REGION", ""),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
        ]
        .into();
        let config = FunctionConfig::from_lookup(|k| vars.get(k).map(|v| v.to_string()));
        assert_eq!(config.function_name, "orders");
        assert_eq!(config.memory_size_mb, 128);
        assert_eq!(config.region, "eu-west-1");
        assert_eq!(config.log_group_name, "/aws/lambda/orders");
        assert_eq!(config.function_version, "$LATEST");
        assert_eq!(config.handler, None);
    }

    #[test]
    fn remaining_is_positive_for_test_context_zero_when_past_and_none_when_unknown() {
        let mut ctx = Context::for_test();
        let left = ctx.remaining().unwrap();
        assert!(
            left > Duration::from_secs(2) && left <= Duration::from_secs(3),
            "{left:?}"
        );
        ctx.deadline_ms = Some(1_000);
        assert_eq!(ctx.remaining(), Some(Duration::ZERO));
        assert_eq!(ctx.deadline(), Some(UNIX_EPOCH + Duration::from_secs(1)));
        ctx.deadline_ms = None;
        assert_eq!((ctx.deadline(), ctx.remaining()), (None, None));
        // Beyond what a SystemTime holds is unknown too, not a panic.
        ctx.deadline_ms = Some(u64::MAX);
        let _ = ctx.remaining();
    }
}
