//! The client of the Lambda Runtime API (DESIGN.md section 2): one keep-alive HTTP/1.1 connection to
//! the loopback endpoint, no TLS, no proxy, bounded retries on connection failures.

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode, Uri, header};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::context::{Context, FunctionConfig};
use crate::error::Error;

const REQUEST_ID: HeaderName = HeaderName::from_static("lambda-runtime-aws-request-id");
const DEADLINE_MS: HeaderName = HeaderName::from_static("lambda-runtime-deadline-ms");
const FUNCTION_ARN: HeaderName = HeaderName::from_static("lambda-runtime-invoked-function-arn");
const TRACE_ID: HeaderName = HeaderName::from_static("lambda-runtime-trace-id");
const CLIENT_CONTEXT: HeaderName = HeaderName::from_static("lambda-runtime-client-context");
const COGNITO_IDENTITY: HeaderName = HeaderName::from_static("lambda-runtime-cognito-identity");
const TENANT_ID: HeaderName = HeaderName::from_static("lambda-runtime-aws-tenant-id");
const ERROR_TYPE: HeaderName = HeaderName::from_static("lambda-runtime-function-error-type");

/// Attempts per request when the connection itself fails, and the first back-off between them.
const CONNECT_ATTEMPTS: u32 = 6;
const FIRST_BACKOFF: Duration = Duration::from_millis(20);

/// A failure after which the runtime must exit: the Runtime API is gone or told us to stop.
#[derive(Debug)]
pub(crate) struct Fatal(pub(crate) String);

/// Where the Runtime API is, from the value of `AWS_LAMBDA_RUNTIME_API`: `host:port` (as Lambda sets
/// it), `http://host:port` or `http://host:port/prefix` (as emulators set it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `host:port`, to connect to and to send as `Host`.
    authority: String,
    /// The path every call goes under: `[/prefix]/2018-06-01`.
    base_path: String,
}

impl Endpoint {
    pub(crate) fn parse(value: &str) -> Result<Endpoint, Error> {
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
        let uri: Uri = with_scheme
            .parse()
            .map_err(|e: http::uri::InvalidUri| invalid(&e.to_string()))?;
        let authority = uri.authority().ok_or_else(|| invalid("it has no host"))?;
        if authority.host().is_empty() {
            return Err(invalid("it has no host"));
        }
        if authority.as_str().contains('@') || uri.query().is_some() {
            return Err(invalid("it has a query or user name"));
        }
        let authority = format!("{}:{}", authority.host(), authority.port_u16().unwrap_or(80));
        let prefix = uri.path().trim_end_matches('/');
        Ok(Endpoint {
            authority,
            base_path: format!("{prefix}/2018-06-01"),
        })
    }
}

/// The answer to `GET /runtime/invocation/next`: the invocation's context (or what its headers
/// lack), and the event.
pub(crate) struct Next {
    pub(crate) context: Result<Context, String>,
    pub(crate) body: Bytes,
}

/// The Runtime API client: one kept-alive HTTP/1.1 connection (reopened when it breaks), hyper's
/// connection-level client with nothing layered on top: no pool, no proxy, no TLS, no redirects.
///
/// Each invocation loop owns one, so `AWS_LAMBDA_MAX_CONCURRENCY` loops use as many connections.
pub(crate) struct RuntimeApi {
    endpoint: Endpoint,
    host: HeaderValue,
    next_uri: Uri,
    connection: Option<SendRequest<Full<Bytes>>>,
}

impl RuntimeApi {
    pub(crate) fn new(endpoint: Endpoint) -> Result<Self, Error> {
        let invalid = |e: &dyn std::fmt::Display| Error::new("Runtime.InvalidEndpoint", format!("{endpoint:?}: {e}"));
        let host = HeaderValue::from_str(&endpoint.authority).map_err(|e| invalid(&e))?;
        let next_uri = format!("{}/runtime/invocation/next", endpoint.base_path)
            .parse()
            .map_err(|e| invalid(&e))?;
        Ok(RuntimeApi {
            endpoint,
            host,
            next_uri,
            connection: None,
        })
    }

    /// Long-polls for the next invocation. Answers other than 200 are logged and polled again,
    /// except 5xx, which the API uses to say the runtime must exit.
    pub(crate) async fn next(&mut self, env: &Arc<FunctionConfig>) -> Result<Next, Fatal> {
        let mut backoff = FIRST_BACKOFF;
        loop {
            let response = self
                .send(Method::GET, &self.next_uri.clone(), None, Bytes::new())
                .await?;
            let (parts, body) = response.into_parts();
            let body = match read_body(body, &parts.headers).await {
                Ok(body) => body,
                // The connection broke mid-event: nothing usable arrived, so ask again.
                Err(e) => {
                    self.connection = None;
                    tracing::error!("reading the next event failed: {e}; polling again");
                    continue;
                }
            };
            if parts.status == StatusCode::OK {
                return Ok(Next {
                    context: context_from_headers(&parts.headers, env),
                    body,
                });
            }
            let text = String::from_utf8_lossy(&body);
            if parts.status.is_server_error() {
                return Err(Fatal(format!(
                    "the Runtime API answered next with {}: {text}",
                    parts.status
                )));
            }
            tracing::error!(
                "the Runtime API answered next with {}: {text}; polling again",
                parts.status
            );
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(1));
        }
    }

    /// Posts a handler's JSON result.
    pub(crate) async fn post_response(&mut self, request_id: &str, body: Vec<u8>) -> Result<(), Fatal> {
        let path = self.invocation_path(request_id, "/response");
        self.post(path, None, Bytes::from(body), request_id).await
    }

    /// Posts an invocation's error.
    pub(crate) async fn post_error(&mut self, request_id: &str, error: &Error) -> Result<(), Fatal> {
        let path = self.invocation_path(request_id, "/error");
        self.post(path, Some(error.error_type()), Bytes::from(error.to_json()), request_id)
            .await
    }

    /// `[/prefix]/2018-06-01/runtime/invocation/{request_id}{suffix}`, built without `format!` (this is
    /// on the hot path).
    fn invocation_path(&self, request_id: &str, suffix: &str) -> String {
        const MIDDLE: &str = "/runtime/invocation/";
        let base = &self.endpoint.base_path;
        let mut path = String::with_capacity(base.len() + MIDDLE.len() + request_id.len() + suffix.len());
        path.push_str(base);
        path.push_str(MIDDLE);
        path.push_str(request_id);
        path.push_str(suffix);
        path
    }

    /// Posts an initialisation error (the caller exits afterwards).
    pub(crate) async fn post_init_error(&mut self, error: &Error) -> Result<(), Fatal> {
        let path = format!("{}/runtime/init/error", self.endpoint.base_path);
        self.post(path, Some(error.error_type()), Bytes::from(error.to_json()), "init")
            .await
    }

    async fn post(&mut self, path: String, error_type: Option<&str>, body: Bytes, what: &str) -> Result<(), Fatal> {
        // The path becomes the URI's buffer without a copy.
        let uri = Uri::from_maybe_shared(Bytes::from(path))
            .map_err(|e| Fatal(format!("cannot build a Runtime API URL for request id {what:?}: {e}")))?;
        let error_type =
            error_type.map(|t| HeaderValue::from_str(t).unwrap_or(HeaderValue::from_static("Runtime.Unknown")));
        let response = self.send(Method::POST, &uri, error_type, body).await?;
        let status = response.status();
        // Read the (small) answer to the end so the connection can carry the next request.
        let answer = match response.into_body().collect().await {
            Ok(body) => body.to_bytes(),
            Err(_) => {
                self.connection = None;
                Bytes::new()
            }
        };
        if status.is_success() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&answer);
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => {
                tracing::error!("the response for {what} is larger than Lambda accepts (6 MB): {text}");
                Ok(())
            }
            s if s.is_server_error() => Err(Fatal(format!("the Runtime API answered {uri} with {s}: {text}"))),
            s => {
                tracing::error!("the Runtime API answered {uri} with {s}: {text}");
                Ok(())
            }
        }
    }

    /// Sends a request on the kept-alive connection, opening a new one when there is none or it broke,
    /// with exponential back-off while connections fail.
    async fn send(
        &mut self,
        method: Method,
        uri: &Uri,
        error_type: Option<HeaderValue>,
        body: Bytes,
    ) -> Result<Response<Incoming>, Fatal> {
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            let mut request = Request::new(Full::new(body.clone()));
            *request.method_mut() = method.clone();
            *request.uri_mut() = uri.clone();
            request.headers_mut().insert(header::HOST, self.host.clone());
            if let Some(value) = &error_type {
                request.headers_mut().insert(ERROR_TYPE, value.clone());
            }
            let failure = match self.ready_connection().await {
                Ok(sender) => match sender.send_request(request).await {
                    Ok(response) => return Ok(response),
                    Err(e) => e.to_string(),
                },
                Err(e) => e,
            };
            self.connection = None;
            if attempt >= CONNECT_ATTEMPTS {
                return Err(Fatal(format!(
                    "the Runtime API at {} is unreachable after {attempt} attempts: {failure}",
                    self.endpoint.authority
                )));
            }
            tracing::warn!("Runtime API request failed ({failure}); retrying in {backoff:?}");
            tokio::time::sleep(backoff).await;
            backoff *= 2;
            attempt += 1;
        }
    }

    /// The kept-alive connection, ready for a request; a new one if it was closed.
    async fn ready_connection(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, String> {
        if let Some(sender) = &mut self.connection {
            if sender.ready().await.is_ok() {
                // Re-borrow: the borrow checker cannot see that `ready` left it in place.
                return self.connection.as_mut().ok_or_else(|| "connection vanished".to_owned());
            }
            self.connection = None;
        }
        let stream = TcpStream::connect(&self.endpoint.authority)
            .await
            .map_err(|e| e.to_string())?;
        let _ = stream.set_nodelay(true);
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        // Drives the connection; ends when it closes, which `ready` then reports.
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("Runtime API connection closed: {e}");
            }
        });
        Ok(self.connection.insert(sender))
    }
}

/// Reads a whole body into one buffer, without a copy when it arrives in one piece (small events),
/// and with one copy into a buffer of the announced length otherwise, so a 6 MB event never exists
/// twice in memory (chunks are released as they are copied).
async fn read_body(mut body: Incoming, headers: &HeaderMap) -> Result<Bytes, hyper::Error> {
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let mut buffer: Option<BytesMut> = None;
    let mut first: Option<Bytes> = None;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else { continue };
        match (&mut buffer, first.take()) {
            (Some(buffer), _) => buffer.extend_from_slice(&data),
            (None, None) => first = Some(data),
            (None, Some(previous)) => {
                let capacity = announced.unwrap_or(0).max(previous.len() + data.len());
                let mut joined = BytesMut::with_capacity(capacity);
                joined.extend_from_slice(&previous);
                joined.extend_from_slice(&data);
                buffer = Some(joined);
            }
        }
    }
    Ok(match (buffer, first) {
        (Some(buffer), _) => buffer.freeze(),
        (None, first) => first.unwrap_or_default(),
    })
}

/// The context of an invocation from the headers of its `next` answer. Fails (with what is wrong)
/// when the request id is missing or the deadline is not a number of milliseconds.
pub(crate) fn context_from_headers(headers: &HeaderMap, env: &Arc<FunctionConfig>) -> Result<Context, String> {
    // `HeaderName` constants: a lookup hashes them without parsing a string first.
    let text = |name: &HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
    };
    let request_id = text(&REQUEST_ID).ok_or_else(|| "a Lambda-Runtime-Aws-Request-Id header".to_owned())?;
    let deadline_ms = text(&DEADLINE_MS)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| format!("a valid Lambda-Runtime-Deadline-Ms header (request {request_id})"))?;
    Ok(Context {
        request_id: request_id.to_owned(),
        deadline_ms,
        invoked_function_arn: text(&FUNCTION_ARN).unwrap_or_default().to_owned(),
        xray_trace_id: text(&TRACE_ID).map(str::to_owned),
        client_context: json_header(headers, &CLIENT_CONTEXT, request_id),
        identity: json_header(headers, &COGNITO_IDENTITY, request_id),
        tenant_id: text(&TENANT_ID).map(str::to_owned),
        env: Arc::clone(env),
    })
}

/// A header holding JSON (client context, Cognito identity); logged and ignored when malformed, since
/// the invocation can go on without it.
/// Both are JSON objects; serde would also accept an array for a struct, so that is ruled out first.
fn json_header<T: serde::de::DeserializeOwned>(headers: &HeaderMap, name: &HeaderName, request_id: &str) -> Option<T> {
    let value = headers.get(name)?;
    let parsed = serde_json::from_slice::<serde_json::Value>(value.as_bytes())
        .map_err(|e| e.to_string())
        .and_then(|json| match json {
            serde_json::Value::Object(_) => serde_json::from_value(json).map_err(|e| e.to_string()),
            _ => Err("not a JSON object".to_owned()),
        });
    match parsed {
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
        let parsed = |v: &str| Endpoint::parse(v).map(|e| (e.authority, e.base_path));
        let ok = |a: &str, p: &str| Ok((a.to_owned(), p.to_owned()));
        assert_eq!(
            parsed("127.0.0.1:9001").map_err(drop),
            ok("127.0.0.1:9001", "/2018-06-01")
        );
        assert_eq!(
            parsed("http://127.0.0.1:9000").map_err(drop),
            ok("127.0.0.1:9000", "/2018-06-01")
        );
        assert_eq!(
            parsed("http://127.0.0.1:9000/.rt").map_err(drop),
            ok("127.0.0.1:9000", "/.rt/2018-06-01")
        );
        assert_eq!(
            parsed("http://localhost:9000/.rt/").map_err(drop),
            ok("localhost:9000", "/.rt/2018-06-01")
        );
        assert_eq!(
            parsed("http://localhost").map_err(drop),
            ok("localhost:80", "/2018-06-01")
        );
        for bad in [
            "",
            "  ",
            "127.0.0.1:9000/.rt",
            "https://127.0.0.1:9000",
            "ftp://x:1",
            "http://:9000",
            "http://h:1/?q",
            "http://u@h:1",
        ] {
            let err = Endpoint::parse(bad).unwrap_err();
            assert_eq!(err.error_type(), "Runtime.InvalidEndpoint");
            assert!(err.message().contains(&format!("{bad:?}")), "{}", err.message());
        }
    }

    fn headers(pairs: &[(HeaderName, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.clone(), HeaderValue::from_static(v)))
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
        for not_an_object in ["[]", "[\"id\", \"pool\"]", "5"] {
            let mut headers = headers(&[(REQUEST_ID, "a"), (DEADLINE_MS, "5")]);
            headers.insert(COGNITO_IDENTITY, HeaderValue::from_static(not_an_object));
            assert!(
                context_from_headers(&headers, &env).unwrap().identity.is_none(),
                "{not_an_object}"
            );
        }
    }
}
