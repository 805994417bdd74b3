//! The client of the Lambda Runtime API (DESIGN.md section 2): one keep-alive HTTP/1.1 connection to
//! the loopback endpoint, no TLS, no proxy, bounded retries on connection failures.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};
use reqwest::Url;

use crate::context::{Context, FunctionConfig};
use crate::error::Error;

const REQUEST_ID: &str = "lambda-runtime-aws-request-id";
const DEADLINE_MS: &str = "lambda-runtime-deadline-ms";
const FUNCTION_ARN: &str = "lambda-runtime-invoked-function-arn";
const TRACE_ID: &str = "lambda-runtime-trace-id";
const CLIENT_CONTEXT: &str = "lambda-runtime-client-context";
const COGNITO_IDENTITY: &str = "lambda-runtime-cognito-identity";
const TENANT_ID: &str = "lambda-runtime-aws-tenant-id";
const ERROR_TYPE: &str = "lambda-runtime-function-error-type";

/// Attempts per request when the connection itself fails, and the first back-off between them.
const CONNECT_ATTEMPTS: u32 = 6;
const FIRST_BACKOFF: Duration = Duration::from_millis(20);

/// A failure after which the runtime must exit: the Runtime API is gone or told us to stop.
#[derive(Debug)]
pub(crate) struct Fatal(pub(crate) String);

/// The base URL of the Runtime API, e.g. `http://127.0.0.1:9001/2018-06-01`, from the value of
/// `AWS_LAMBDA_RUNTIME_API`: `host:port` (as Lambda sets it), `http://host:port` or
/// `http://host:port/prefix` (as emulators set it).
pub(crate) fn base_url(value: &str) -> Result<String, Error> {
    let invalid = |why: &str| {
        Error::new(
            "Runtime.InvalidEndpoint",
            format!(
                "AWS_LAMBDA_RUNTIME_API={value:?} is not a Runtime API address ({why}); expected `host:port`, \
                 `http://host:port` or `http://host:port/prefix`"
            ),
        )
    };
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(invalid("it is empty"));
    }
    let with_scheme = if trimmed.contains("://") {
        if !trimmed.starts_with("http://") {
            return Err(invalid("only plain http is spoken on the loopback interface"));
        }
        trimmed.to_owned()
    } else if trimmed.contains('/') {
        return Err(invalid("a path prefix needs the `http://` scheme"));
    } else {
        format!("http://{trimmed}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(invalid("it has a query, fragment or user name"));
    }
    let base = url.as_str().trim_end_matches('/');
    Ok(format!("{base}/2018-06-01"))
}

/// The answer to `GET /runtime/invocation/next`: the invocation's context (or what its headers
/// lack), and the event.
pub(crate) struct Next {
    pub(crate) context: Result<Context, String>,
    pub(crate) body: Bytes,
}

/// The Runtime API client.
pub(crate) struct RuntimeApi {
    client: reqwest::Client,
    base: String,
    next_url: Url,
}

impl RuntimeApi {
    /// A client for `base` (see [`base_url`]) that keeps up to `connections` idle connections.
    pub(crate) fn new(base: String, connections: usize) -> Result<Self, Error> {
        let next_url = Url::parse(&format!("{base}/runtime/invocation/next"))
            .map_err(|e| Error::new("Runtime.InvalidEndpoint", format!("{base}: {e}")))?;
        let client = reqwest::Client::builder()
            .no_proxy()
            .http1_only()
            .tcp_nodelay(true)
            .pool_max_idle_per_host(connections)
            .pool_idle_timeout(None)
            .build()
            .map_err(|e| Error::new("Runtime.ClientError", format!("cannot build the HTTP client: {e}")))?;
        Ok(RuntimeApi { client, base, next_url })
    }

    /// Long-polls for the next invocation. Answers other than 200 are logged and polled again,
    /// except 500, which the API uses to say the runtime must exit.
    pub(crate) async fn next(&self, env: &Arc<FunctionConfig>) -> Result<Next, Fatal> {
        let mut backoff = FIRST_BACKOFF;
        loop {
            let response = self.send(|| self.client.get(self.next_url.clone())).await?;
            let status = response.status();
            if status == StatusCode::OK {
                let context = context_from_headers(response.headers(), env);
                match response.bytes().await {
                    Ok(body) => return Ok(Next { context, body }),
                    // The connection broke mid-event: nothing usable arrived, so ask again.
                    Err(e) => {
                        tracing::error!("reading the next event failed: {e}; polling again");
                        continue;
                    }
                }
            }
            let body = response.text().await.unwrap_or_default();
            if status.is_server_error() {
                return Err(Fatal(format!("the Runtime API answered next with {status}: {body}")));
            }
            tracing::error!("the Runtime API answered next with {status}: {body}; polling again");
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(1));
        }
    }

    /// Posts a handler's JSON result.
    pub(crate) async fn post_response(&self, request_id: &str, body: Vec<u8>) -> Result<(), Fatal> {
        let url = format!("{}/runtime/invocation/{request_id}/response", self.base);
        let body = Bytes::from(body);
        self.post(&url, None, body, request_id).await
    }

    /// Posts an invocation's error.
    pub(crate) async fn post_error(&self, request_id: &str, error: &Error) -> Result<(), Fatal> {
        let url = format!("{}/runtime/invocation/{request_id}/error", self.base);
        self.post(&url, Some(error.error_type()), Bytes::from(error.to_json()), request_id)
            .await
    }

    /// Posts an initialisation error (the caller exits afterwards).
    pub(crate) async fn post_init_error(&self, error: &Error) -> Result<(), Fatal> {
        let url = format!("{}/runtime/init/error", self.base);
        self.post(&url, Some(error.error_type()), Bytes::from(error.to_json()), "init")
            .await
    }

    async fn post(&self, url: &str, error_type: Option<&str>, body: Bytes, what: &str) -> Result<(), Fatal> {
        let error_type =
            error_type.map(|t| HeaderValue::from_str(t).unwrap_or(HeaderValue::from_static("Runtime.Unknown")));
        let response = self
            .send(|| {
                let request = self.client.post(url).body(body.clone());
                match &error_type {
                    Some(value) => request.header(ERROR_TYPE, value.clone()),
                    None => request,
                }
            })
            .await?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let text = response.text().await.unwrap_or_default();
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => {
                tracing::error!("the response for {what} is larger than Lambda accepts (6 MB): {text}");
                Ok(())
            }
            s if s.is_server_error() => Err(Fatal(format!("the Runtime API answered {url} with {s}: {text}"))),
            s => {
                tracing::error!("the Runtime API answered {url} with {s}: {text}");
                Ok(())
            }
        }
    }

    /// Sends a request, retrying with exponential back-off while the connection cannot be made.
    async fn send(&self, build: impl Fn() -> reqwest::RequestBuilder) -> Result<reqwest::Response, Fatal> {
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            match build().send().await {
                Ok(response) => return Ok(response),
                Err(e) if attempt < CONNECT_ATTEMPTS && (e.is_connect() || e.is_request()) => {
                    tracing::warn!("Runtime API request failed ({e}); retrying in {backoff:?}");
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                    attempt += 1;
                }
                Err(e) => {
                    return Err(Fatal(format!(
                        "the Runtime API is unreachable after {attempt} attempts: {e}"
                    )));
                }
            }
        }
    }
}

/// The context of an invocation from the headers of its `next` answer. Fails (with what is wrong)
/// when the request id is missing or the deadline is not a number of milliseconds.
pub(crate) fn context_from_headers(headers: &HeaderMap, env: &Arc<FunctionConfig>) -> Result<Context, String> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
    };
    let request_id = text(REQUEST_ID).ok_or_else(|| "a Lambda-Runtime-Aws-Request-Id header".to_owned())?;
    let deadline_ms = text(DEADLINE_MS)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| format!("a valid Lambda-Runtime-Deadline-Ms header (request {request_id})"))?;
    Ok(Context {
        request_id: request_id.to_owned(),
        deadline_ms,
        invoked_function_arn: text(FUNCTION_ARN).unwrap_or_default().to_owned(),
        xray_trace_id: text(TRACE_ID).map(str::to_owned),
        client_context: json_header(headers, CLIENT_CONTEXT, request_id),
        identity: json_header(headers, COGNITO_IDENTITY, request_id),
        tenant_id: text(TENANT_ID).map(str::to_owned),
        env: Arc::clone(env),
    })
}

/// A header holding JSON (client context, Cognito identity); logged and ignored when malformed, since
/// the invocation can go on without it.
fn json_header<T: serde::de::DeserializeOwned>(headers: &HeaderMap, name: &str, request_id: &str) -> Option<T> {
    let value = headers.get(name)?;
    match serde_json::from_slice(value.as_bytes()) {
        Ok(parsed) => Some(parsed),
        Err(e) => {
            tracing::warn!("ignoring the {name} header of request {request_id}: not the expected JSON: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_forms() {
        assert_eq!(base_url("127.0.0.1:9001").unwrap(), "http://127.0.0.1:9001/2018-06-01");
        assert_eq!(
            base_url("http://127.0.0.1:9000").unwrap(),
            "http://127.0.0.1:9000/2018-06-01"
        );
        assert_eq!(
            base_url("http://127.0.0.1:9000/.rt").unwrap(),
            "http://127.0.0.1:9000/.rt/2018-06-01"
        );
        assert_eq!(
            base_url("http://localhost:9000/.rt/").unwrap(),
            "http://localhost:9000/.rt/2018-06-01"
        );
        for bad in [
            "",
            "  ",
            "127.0.0.1:9000/.rt",
            "https://127.0.0.1:9000",
            "ftp://x:1",
            "http://:9000",
            "http://h:1/?q",
        ] {
            let err = base_url(bad).unwrap_err();
            assert_eq!(err.error_type(), "Runtime.InvalidEndpoint");
            assert!(err.message().contains(&format!("{bad:?}")), "{}", err.message());
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (http::HeaderName::from_static(k), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn context_from_all_headers() {
        let env = Arc::new(FunctionConfig::from_lookup(|_| None));
        let ctx = context_from_headers(
            &headers(&[
                (REQUEST_ID, "abc"),
                (DEADLINE_MS, "1700000000000"),
                (FUNCTION_ARN, "arn:aws:lambda:us-east-1:1:function:f"),
                (TRACE_ID, "Root=1-5;Parent=2;Sampled=1"),
                (
                    CLIENT_CONTEXT,
                    r#"{"client":{"app_title":"shop"},"custom":{"k":"v"},"env":null}"#,
                ),
                (
                    COGNITO_IDENTITY,
                    r#"{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}"#,
                ),
                (TENANT_ID, "tenant-7"),
            ]),
            &env,
        )
        .unwrap();
        assert_eq!(ctx.request_id, "abc");
        assert_eq!(ctx.deadline_ms, 1_700_000_000_000);
        assert_eq!(ctx.xray_trace_id.as_deref(), Some("Root=1-5;Parent=2;Sampled=1"));
        let client = ctx.client_context.unwrap();
        assert_eq!(client.client.app_title, "shop");
        assert_eq!(client.custom["k"], "v");
        assert_eq!(ctx.identity.unwrap().identity_pool_id, "pool");
        assert_eq!(ctx.tenant_id.as_deref(), Some("tenant-7"));
    }

    #[test]
    fn context_rejects_missing_id_and_bad_deadline_but_tolerates_bad_json() {
        let env = Arc::new(FunctionConfig::from_lookup(|_| None));
        let err = context_from_headers(&headers(&[(DEADLINE_MS, "1")]), &env).unwrap_err();
        assert!(err.contains("Request-Id"), "{err}");
        let err = context_from_headers(&headers(&[(REQUEST_ID, "a"), (DEADLINE_MS, "soon")]), &env).unwrap_err();
        assert!(err.contains("Deadline-Ms"), "{err}");
        let ctx = context_from_headers(
            &headers(&[(REQUEST_ID, "a"), (DEADLINE_MS, "5"), (CLIENT_CONTEXT, "{")]),
            &env,
        )
        .unwrap();
        assert!(ctx.client_context.is_none());
    }
}
