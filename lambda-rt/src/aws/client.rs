//! [`AwsClient`]: one service's signed JSON API over HTTP(S), each call retried until its deadline.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, header};
use rustls_platform_verifier::BuilderVerifierExt;

use super::Env;
use super::credentials::Credentials;
use super::endpoint::{self, Endpoint};
use super::error::{AwsError, service_error};
use super::retry;
use super::sign::Signer;

/// How long connecting (TCP and TLS) may take before the attempt counts as failed and is retried.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// One call: method, path and query (percent-encoded by the caller, see
/// [`encode_label`](super::encode_label)), an optional JSON body, and the deadline before which every
/// attempt and retry must be over.
#[derive(Debug, Clone)]
pub(crate) struct AwsRequest {
    /// The HTTP method.
    pub(crate) method: Method,
    /// The path (from `/`) and query, percent-encoded, appended to the endpoint's URL (and its prefix).
    pub(crate) path_and_query: String,
    /// The JSON body, sent with `content-type: application/json`.
    pub(crate) body: Option<Bytes>,
    /// No attempt starts, and no attempt goes on, past this instant.
    pub(crate) deadline: Instant,
}

impl AwsRequest {
    /// A `GET` of `path_and_query` (encoded) without a body.
    #[cfg_attr(not(feature = "durable"), allow(dead_code))]
    pub(crate) fn get(path_and_query: impl Into<String>, deadline: Instant) -> Self {
        AwsRequest {
            method: Method::GET,
            path_and_query: path_and_query.into(),
            body: None,
            deadline,
        }
    }

    /// A `POST` of the JSON `body` to `path_and_query` (encoded).
    pub(crate) fn post_json(path_and_query: impl Into<String>, body: impl Into<Bytes>, deadline: Instant) -> Self {
        AwsRequest {
            method: Method::POST,
            path_and_query: path_and_query.into(),
            body: Some(body.into()),
            deadline,
        }
    }
}

/// A successful (2xx) answer.
#[derive(Debug, Clone)]
pub(crate) struct AwsResponse {
    /// The HTTP status.
    pub(crate) status: u16,
    /// The body as received (JSON for the Lambda APIs).
    pub(crate) body: Bytes,
    /// The `x-amzn-requestid` of the answer, for AWS support.
    pub(crate) request_id: Option<String>,
    /// How many attempts the call took (1 without retries).
    pub(crate) attempts: u32,
    /// The answer's headers (Invoke's `X-Amz-Function-Error`).
    pub(crate) headers: HeaderMap,
}

/// A client of one AWS service's API: the endpoint, the signer, and an HTTP/1.1 connection pool.
///
/// It holds no per-call state; each attempt of a call is signed anew. Build one per tokio runtime and
/// keep it (building reads the environment and, for `https`, loads the system's CA bundle; the pool's
/// connections are tasks of the runtime that opened them, so a client, or a clone of it, is not shared
/// between the runtimes of `AWS_LAMBDA_MAX_CONCURRENCY`'s loops).
#[derive(Debug, Clone)]
pub(crate) struct AwsClient {
    /// The pool; rustls with the `ring` provider for `https`.
    http: reqwest::Client,
    /// Where requests go.
    endpoint: Endpoint,
    /// The `host` header (signed).
    host: HeaderValue,
    /// Signs each attempt.
    signer: Signer,
}

/// What one attempt ended in, before the retry decision.
enum Attempt {
    /// An answer (any status).
    Answer {
        status: u16,
        headers: HeaderMap,
        body: Bytes,
    },
    /// No answer: connecting, sending or reading failed (`bool`: timed out).
    Failed(String, bool),
}

impl AwsClient {
    /// A client of `service` (its endpoint prefix and signing name, e.g. `lambda`) configured from the
    /// process environment: credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`), region (`AWS_REGION`, `AWS_DEFAULT_REGION`) and endpoint
    /// (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, else AWS's own).
    pub(crate) fn from_env(service: &str) -> Result<Self, AwsError> {
        Self::from_lookup(service, &|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with the variables read from `env` (tests).
    pub(crate) fn from_lookup(service: &str, env: Env<'_>) -> Result<Self, AwsError> {
        let credentials = Credentials::from_lookup(env)?;
        let region = endpoint::region(env)?;
        let endpoint = Endpoint::resolve(service, &region, env)?;
        let (http, host) = http_client(&endpoint)?;
        let signer = Signer::new(credentials, region, service.to_owned());
        Ok(AwsClient {
            http,
            endpoint,
            host,
            signer,
        })
    }

    /// Sends `request`, signed, and returns the 2xx answer's body.
    ///
    /// Transport failures (connecting, timeouts, a broken connection) and transient answers (429,
    /// 500, 502, 503, 504, throttling codes) are retried, re-signed, after an exponential backoff with
    /// jitter (50 ms doubling, at most 5 s) or what `Retry-After` asks for, up to 8 attempts and never
    /// past the deadline. The error is the last attempt's; [`AwsError::is_retryable`] tells whether
    /// the call may succeed later.
    pub(crate) async fn send(&self, request: AwsRequest) -> Result<AwsResponse, AwsError> {
        let url = self.url(&request.path_and_query)?;
        let mut attempts = 0;
        let mut last: Option<AwsError> = None;
        loop {
            let Some(remaining) = request
                .deadline
                .checked_duration_since(Instant::now())
                .filter(|d| !d.is_zero())
            else {
                return Err(last.unwrap_or(AwsError::Transport {
                    message: format!("the deadline passed before {} {} was sent", request.method, url),
                    timed_out: true,
                    attempts,
                }));
            };
            attempts += 1;
            let (error, retry_after) = match self.attempt(&request, &url, remaining).await? {
                Attempt::Answer { status, headers, body } if (200..300).contains(&status) => {
                    let request_id = request_id(&headers);
                    return Ok(AwsResponse {
                        status,
                        body,
                        request_id,
                        attempts,
                        headers,
                    });
                }
                Attempt::Answer { status, headers, body } => {
                    let error = service_error(status, &headers, &body, attempts);
                    (error, retry::retry_after(&headers))
                }
                Attempt::Failed(message, timed_out) => (
                    AwsError::Transport {
                        message,
                        timed_out,
                        attempts,
                    },
                    None,
                ),
            };
            if !error.is_retryable() || attempts >= retry::MAX_ATTEMPTS {
                return Err(error);
            }
            let wait = retry::delay(attempts, retry_after);
            if !retry::fits(Instant::now(), wait, request.deadline) {
                return Err(error);
            }
            tracing::debug!(%error, attempt = attempts, wait_ms = wait.as_millis() as u64, "retrying an AWS call");
            last = Some(error);
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt, signed now, bounded by `remaining`. `Err` only when the request cannot be signed.
    async fn attempt(
        &self,
        request: &AwsRequest,
        url: &reqwest::Url,
        remaining: Duration,
    ) -> Result<Attempt, AwsError> {
        let body = request.body.clone().unwrap_or_default();
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, self.host.clone());
        if request.body.is_some() {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        self.signer.sign(
            request.method.as_str(),
            url.as_str(),
            &mut headers,
            &body,
            SystemTime::now(),
        )?;
        let mut builder = self
            .http
            .request(request.method.clone(), url.clone())
            .headers(headers)
            .timeout(remaining);
        if request.body.is_some() {
            builder = builder.body(body);
        }
        let response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return Ok(Attempt::Failed(describe(&e), e.is_timeout())),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        match response.bytes().await {
            Ok(body) => Ok(Attempt::Answer { status, headers, body }),
            Err(e) => Ok(Attempt::Failed(describe(&e), e.is_timeout())),
        }
    }

    /// The endpoint's URL (with its prefix) followed by `path_and_query`, which must start with `/`.
    fn url(&self, path_and_query: &str) -> Result<reqwest::Url, AwsError> {
        if !path_and_query.starts_with('/') {
            return Err(AwsError::Request {
                problem: format!("the path {path_and_query:?} does not start with /"),
            });
        }
        let full = format!("{}{path_and_query}", self.endpoint.base);
        reqwest::Url::parse(&full).map_err(|e| AwsError::Request {
            problem: format!("{full:?} is not a URL: {e}"),
        })
    }
}

/// The HTTP client for `endpoint` and its `host` header. TLS is rustls with the `ring` provider, given
/// to this client only (no process-wide default is installed), verifying with the system's root
/// certificates (on Lambda, the image's CA bundle), which are loaded only for an `https` endpoint. No
/// redirects (they would not carry the signature) and no proxy from the environment.
fn http_client(endpoint: &Endpoint) -> Result<(reqwest::Client, HeaderValue), AwsError> {
    let failed = |problem: String| AwsError::Endpoint {
        source: "TLS setup".to_owned(),
        url: endpoint.base.clone(),
        problem,
    };
    let url = reqwest::Url::parse(&endpoint.base).map_err(|e| failed(e.to_string()))?;
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => return Err(failed("no host".to_owned())),
    };
    let host = HeaderValue::from_str(&host).map_err(|e| failed(e.to_string()))?;

    let provider = Arc::new(ring_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| failed(e.to_string()))?;
    let mut tls = if endpoint.https {
        tls.with_platform_verifier()
            .map_err(|e| failed(format!("cannot load the system's root certificates: {e}")))?
            .with_no_client_auth()
    } else {
        tls.with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth()
    };
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];

    let http = reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("lambda-fn/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| failed(describe(&e)))?;
    Ok((http, host))
}

/// rustls' `ring` provider. rustls 0.23.48 deprecates it for lacking post-quantum key exchange; the
/// provider that has it, aws-lc-rs, compiles AWS-LC's C code (aws-lc-sys) into every build.
#[allow(deprecated)]
fn ring_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// A reqwest error with its causes (reqwest's own message alone says "error sending request").
fn describe(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// The `x-amzn-requestid` header.
fn request_id(headers: &HeaderMap) -> Option<String> {
    headers.get("x-amzn-requestid")?.to_str().ok().map(str::to_owned)
}
