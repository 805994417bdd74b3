//! The client of the Lambda Runtime API (DESIGN.md section 2): one keep-alive HTTP/1.1 connection to
//! the loopback endpoint, no TLS, no proxy, bounded retries on connection failures.

use std::sync::Arc;
use std::time::Duration;

use std::panic::AssertUnwindSafe;

use base64::Engine as _;
use bytes::Bytes;
use futures_util::{FutureExt as _, StreamExt as _};
use http::Uri;

use super::connection::{Connection, HttpError, Request};
use crate::context::{Context, FunctionConfig};
use crate::error::Error;
use crate::stream::{Body, StreamingResponse};

// Header names as the Runtime API documents them; responses are matched case-insensitively.
const REQUEST_ID: &str = "Lambda-Runtime-Aws-Request-Id";
const DEADLINE_MS: &str = "Lambda-Runtime-Deadline-Ms";
const FUNCTION_ARN: &str = "Lambda-Runtime-Invoked-Function-Arn";
const TRACE_ID: &str = "Lambda-Runtime-Trace-Id";
const CLIENT_CONTEXT: &str = "Lambda-Runtime-Client-Context";
const COGNITO_IDENTITY: &str = "Lambda-Runtime-Cognito-Identity";
const TENANT_ID: &str = "Lambda-Runtime-Aws-Tenant-Id";
const ERROR_TYPE: &str = "Lambda-Runtime-Function-Error-Type";
const ERROR_BODY: &str = "Lambda-Runtime-Function-Error-Body";
const RESPONSE_MODE: &str = "Lambda-Runtime-Function-Response-Mode";
/// The trailers a streaming response announces, for an error after its body has begun.
const STREAM_TRAILERS: &str = "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body";

/// Attempts per request when the connection itself fails, and the first back-off between them.
const CONNECT_ATTEMPTS: u32 = 6;
const FIRST_BACKOFF: Duration = Duration::from_millis(20);
/// The longest pause between polls after answers the runtime cannot use.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

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

/// Why a request to the Runtime API got no answer to act on.
enum Failure {
    /// The process must exit.
    Fatal(Fatal),
    /// The answer broke off (or the request could not be written); the connection was dropped.
    Lost(String),
}

/// The Runtime API client: one kept-alive HTTP/1.1 connection (reopened when it breaks), see
/// [`connection`](super::connection).
///
/// Each invocation loop owns one, so `AWS_LAMBDA_MAX_CONCURRENCY` loops use as many connections.
pub(crate) struct RuntimeApi {
    endpoint: Endpoint,
    connection: Option<Connection>,
}

impl RuntimeApi {
    pub(crate) fn new(endpoint: Endpoint) -> Self {
        RuntimeApi {
            endpoint,
            connection: None,
        }
    }

    /// Long-polls for the next invocation. Answers other than 200 are logged and polled again,
    /// except 5xx, which the API uses to say the runtime must exit.
    pub(crate) async fn next(&mut self, env: &Arc<FunctionConfig>) -> Result<Next, Fatal> {
        let mut backoff = FIRST_BACKOFF;
        loop {
            let path = [self.endpoint.base_path.as_str(), "/runtime/invocation/next"];
            let request = Request {
                method: "GET",
                path: &path,
                headers: &[],
                body: None,
            };
            let status = match send(&self.endpoint, &mut self.connection, &request).await {
                Ok(status) => status,
                Err(Failure::Fatal(fatal)) => return Err(fatal),
                // The connection broke mid-event: nothing usable arrived, so ask again.
                Err(Failure::Lost(why)) => {
                    tracing::error!("reading the next event failed: {why}; polling again");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    continue;
                }
            };
            let Some(connection) = &mut self.connection else {
                continue;
            };
            if status == 200 {
                let context = context_from_headers(|name| connection.header(name), env);
                return Ok(Next {
                    context,
                    body: connection.take_body(),
                });
            }
            let text = String::from_utf8_lossy(connection.body());
            if (500..600).contains(&status) {
                return Err(Fatal(format!("the Runtime API answered next with {status}: {text}")));
            }
            tracing::error!("the Runtime API answered next with {status}: {text}; polling again");
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Posts a handler's JSON result.
    pub(crate) async fn post_response(&mut self, request_id: &str, body: &[u8]) -> Result<(), Fatal> {
        let path = invocation_path(&self.endpoint, request_id, "/response");
        post(&self.endpoint, &mut self.connection, &path, None, body, request_id).await
    }

    /// Posts an invocation's error.
    pub(crate) async fn post_error(&mut self, request_id: &str, error: &Error) -> Result<(), Fatal> {
        let path = invocation_path(&self.endpoint, request_id, "/error");
        let error_type = Some(error.error_type());
        post(
            &self.endpoint,
            &mut self.connection,
            &path,
            error_type,
            &error.to_json(),
            request_id,
        )
        .await
    }

    /// Posts an initialisation error (the caller exits afterwards).
    pub(crate) async fn post_init_error(&mut self, error: &Error) -> Result<(), Fatal> {
        let path = [self.endpoint.base_path.as_str(), "/runtime/init/error"];
        let error_type = Some(error.error_type());
        post(
            &self.endpoint,
            &mut self.connection,
            &path,
            error_type,
            &error.to_json(),
            "init",
        )
        .await
    }

    /// Posts a streaming response: its body is sent in chunks as the handler produces it. An error
    /// before the first piece is posted as an ordinary error; one after it goes in the trailers,
    /// since the response has begun.
    pub(crate) async fn post_stream(&mut self, request_id: &str, response: StreamingResponse) -> Result<(), Fatal> {
        let prelude = match response.prelude_bytes() {
            Ok(prelude) => prelude,
            Err(error) => return self.post_error(request_id, &error).await,
        };
        let StreamingResponse {
            content_type,
            body: mut pieces,
            ..
        } = response;
        // Checked before anything is sent, so that the invocation still gets its one (error) post.
        if content_type.bytes().any(|b| b.is_ascii_control()) || content_type.trim().is_empty() {
            let error = Error::new(
                crate::error::kind::MARSHAL,
                format!("the streaming response's content type {content_type:?} cannot be sent as an HTTP header"),
            );
            tracing::error!(errorType = error.error_type(), "{}", error.message());
            return self.post_error(request_id, &error).await;
        }
        let first = match next_piece(&mut pieces).await {
            Some(Err(error)) => {
                tracing::error!(errorType = error.error_type(), "{}", error.message());
                return self.post_error(request_id, &error).await;
            }
            Some(Ok(first)) => first,
            None => Bytes::new(),
        };
        let path = invocation_path(&self.endpoint, request_id, "/response");
        let headers = [
            (RESPONSE_MODE, "streaming"),
            ("Content-Type", content_type.as_str()),
            ("Trailer", STREAM_TRAILERS),
        ];
        let request = Request {
            method: "POST",
            path: &path,
            headers: &headers,
            body: None,
        };
        let lost = |why: &dyn std::fmt::Display| {
            tracing::error!("streaming the response of {request_id} failed: {why}; going on with the next invocation");
            Ok(())
        };
        let connection = match start_chunked(&self.endpoint, &mut self.connection, &request).await {
            Ok(connection) => connection,
            Err(Failure::Fatal(fatal)) => return Err(fatal),
            Err(Failure::Lost(why)) => return lost(&why),
        };
        let mut failure = None;
        for piece in [prelude.as_slice(), &first] {
            if let Err(e) = connection.write_chunk(piece).await {
                return lost(&e);
            }
        }
        drop(first);
        while let Some(piece) = next_piece(&mut pieces).await {
            match piece {
                Ok(piece) => {
                    if let Err(e) = connection.write_chunk(&piece).await {
                        return lost(&e);
                    }
                }
                Err(error) => {
                    tracing::error!(
                        errorType = error.error_type(),
                        "{} (after the response began)",
                        error.message()
                    );
                    failure = Some(error);
                    break;
                }
            }
        }
        drop(pieces);
        let error_body;
        let trailers = match &failure {
            Some(error) => {
                error_body = base64::engine::general_purpose::STANDARD.encode(error.to_json());
                vec![
                    (ERROR_TYPE, error_type_header(error.error_type())),
                    (ERROR_BODY, error_body.as_str()),
                ]
            }
            None => Vec::new(),
        };
        let status = match connection.finish_chunked(&trailers).await {
            Ok(status) => status,
            Err(e) => {
                self.connection = None;
                return lost(&e);
            }
        };
        answered(self.connection.as_ref(), status, &path, request_id)
    }
}

/// `[/prefix]/2018-06-01/runtime/invocation/{request_id}{suffix}`, in pieces a request writes one after
/// the other (nothing is joined on the hot path).
fn invocation_path<'a>(endpoint: &'a Endpoint, request_id: &'a str, suffix: &'static str) -> [&'a str; 4] {
    [endpoint.base_path.as_str(), "/runtime/invocation/", request_id, suffix]
}

/// Posts `body` to `path`, with the error type header when there is one, and acts on the answer.
async fn post(
    endpoint: &Endpoint,
    connection: &mut Option<Connection>,
    path: &[&str],
    error_type: Option<&str>,
    body: &[u8],
    what: &str,
) -> Result<(), Fatal> {
    let header;
    let request = Request {
        method: "POST",
        path,
        headers: match error_type.map(error_type_header) {
            Some(value) => {
                header = [(ERROR_TYPE, value)];
                &header
            }
            None => &[],
        },
        body: Some(body),
    };
    let status = match send(endpoint, connection, &request).await {
        Ok(status) => status,
        Err(Failure::Fatal(fatal)) => return Err(fatal),
        Err(Failure::Lost(why)) => {
            tracing::error!("posting the result of {what} failed: {why}; going on with the next invocation");
            return Ok(());
        }
    };
    answered(connection.as_ref(), status, path, what)
}

/// Acts on the status of a response or error post (DESIGN.md section 2): 2xx is done, 413 and other
/// 4xx are logged and the loop goes on, 5xx means the runtime must exit. The answer's body (on
/// `connection`) and the URL are only put together for the message of an answer that is not 2xx.
fn answered(connection: Option<&Connection>, status: u16, path: &[&str], what: &str) -> Result<(), Fatal> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = connection.map_or("".into(), |c| String::from_utf8_lossy(c.body()));
    let url = path.concat();
    match status {
        413 => {
            tracing::error!("the response for {what} is larger than Lambda accepts: {text}");
            Ok(())
        }
        500..600 => Err(Fatal(format!("the Runtime API answered {url} with {status}: {text}"))),
        _ => {
            tracing::error!("the Runtime API answered {url} with {status}: {text}");
            Ok(())
        }
    }
}

/// The next piece of a streaming body; a panic while producing it is the error that ends it.
pub(crate) async fn next_piece(pieces: &mut Body) -> Option<Result<Bytes, Error>> {
    match AssertUnwindSafe(pieces.next()).catch_unwind().await {
        Ok(piece) => piece,
        Err(payload) => Some(Err(super::panic::to_error(payload.as_ref()))),
    }
}

/// The `Lambda-Runtime-Function-Error-Type` value for an error type. The type is the user's (any
/// string); one that cannot be a header value (control characters, non-ASCII) is sent as
/// `Runtime.Unknown`, while the error's JSON body keeps it as it is.
fn error_type_header(error_type: &str) -> &str {
    let printable = error_type.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    match printable && !error_type.trim().is_empty() {
        true => error_type,
        false => "Runtime.Unknown",
    }
}

/// Sends a request on the kept-alive `connection`; the answer stays in the connection.
async fn send(endpoint: &Endpoint, connection: &mut Option<Connection>, request: &Request<'_>) -> Result<u16, Failure> {
    let host = endpoint.authority.as_str();
    with_retries(endpoint, connection, async |open: &mut Connection| {
        open.send(host, request).await
    })
    .await
}

/// Writes the head of a chunked request on the kept-alive `connection`, which it returns for the
/// body; nothing of the body is consumed before this succeeds.
async fn start_chunked<'c>(
    endpoint: &Endpoint,
    connection: &'c mut Option<Connection>,
    request: &Request<'_>,
) -> Result<&'c mut Connection, Failure> {
    let host = endpoint.authority.as_str();
    with_retries(endpoint, connection, async |open: &mut Connection| {
        open.start_chunked(host, request).await
    })
    .await?;
    connection
        .as_mut()
        .ok_or_else(|| Failure::Lost("the connection closed".to_owned()))
}

/// Runs `exchange` on the kept-alive `connection`, opening a new one when there is none or it
/// closed. A kept-alive connection the server closed while idle is replaced at once; failing
/// connections are retried with exponential back-off, and after [`CONNECT_ATTEMPTS`] the runtime must
/// exit. An exchange that broke off after the server began answering is not repeated.
async fn with_retries<T>(
    endpoint: &Endpoint,
    connection: &mut Option<Connection>,
    mut exchange: impl AsyncFnMut(&mut Connection) -> Result<T, HttpError>,
) -> Result<T, Failure> {
    let mut backoff = FIRST_BACKOFF;
    let mut attempt = 1;
    loop {
        if connection.as_ref().is_some_and(|c| !c.is_reusable()) {
            *connection = None;
        }
        let reused = connection.is_some();
        let result = match connection {
            Some(open) => exchange(open).await,
            None => match Connection::open(&endpoint.authority).await {
                Ok(opened) => exchange(connection.insert(opened)).await,
                Err(e) => Err(HttpError::NotAnswered(format!("cannot connect: {e}"))),
            },
        };
        let failure = match result {
            Ok(answer) => return Ok(answer),
            Err(HttpError::NotAnswered(_)) if reused => {
                *connection = None;
                continue;
            }
            Err(HttpError::NotAnswered(why)) => why,
            Err(HttpError::Broken(why) | HttpError::Invalid(why)) => {
                *connection = None;
                return Err(Failure::Lost(why));
            }
        };
        *connection = None;
        if attempt >= CONNECT_ATTEMPTS {
            return Err(Failure::Fatal(Fatal(format!(
                "the Runtime API at {} is unreachable after {attempt} attempts: {failure}",
                endpoint.authority
            ))));
        }
        tracing::warn!("Runtime API request failed ({failure}); retrying in {backoff:?}");
        tokio::time::sleep(backoff).await;
        backoff *= 2;
        attempt += 1;
    }
}

/// The context of an invocation from the headers of its `next` answer (`header` looks one up by
/// name). Fails (with what is wrong) when the request id is missing or cannot be part of a URL path,
/// or the deadline is not a number of milliseconds.
pub(crate) fn context_from_headers<'h>(
    header: impl Fn(&str) -> Option<&'h str>,
    env: &Arc<FunctionConfig>,
) -> Result<Context, String> {
    let text = |name: &str| header(name).filter(|v| !v.is_empty());
    let request_id = text(REQUEST_ID)
        .filter(|id| {
            id.bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'/' | b'?' | b'#' | b'%'))
        })
        .ok_or_else(|| match header(REQUEST_ID) {
            Some(id) => format!("a Lambda-Runtime-Aws-Request-Id header that can be part of a URL path (got {id:?})"),
            None => "a Lambda-Runtime-Aws-Request-Id header".to_owned(),
        })?;
    let deadline_ms = text(DEADLINE_MS)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| format!("a valid Lambda-Runtime-Deadline-Ms header (request {request_id})"))?;
    Ok(Context {
        request_id: request_id.to_owned(),
        deadline_ms,
        invoked_function_arn: text(FUNCTION_ARN).unwrap_or_default().to_owned(),
        xray_trace_id: text(TRACE_ID).map(str::to_owned),
        client_context: json_header(header(CLIENT_CONTEXT), CLIENT_CONTEXT, request_id),
        identity: json_header(header(COGNITO_IDENTITY), COGNITO_IDENTITY, request_id),
        tenant_id: text(TENANT_ID).map(str::to_owned),
        env: Arc::clone(env),
    })
}

/// A header holding JSON (client context, Cognito identity); logged and ignored when malformed, since
/// the invocation can go on without it.
/// Both are JSON objects; serde would also accept an array for a struct, so that is ruled out first.
fn json_header<T: serde::de::DeserializeOwned>(value: Option<&str>, name: &str, request_id: &str) -> Option<T> {
    let value = value?;
    let parsed = serde_json::from_str::<serde_json::Value>(value)
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
    fn error_types_that_cannot_be_header_values_are_sent_as_unknown() {
        for kept in ["OrderRejected", "Runtime.Panic", "My Error"] {
            assert_eq!(error_type_header(kept), kept);
        }
        for replaced in ["", " ", "Bad\r\nX-Injected: 1", "Tab\there", "Ünïcode"] {
            assert_eq!(error_type_header(replaced), "Runtime.Unknown", "{replaced:?}");
        }
    }

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

    /// `context_from_headers` over a list of headers, looked up case-insensitively as on the wire.
    fn context(pairs: &[(&str, &'static str)], env: &Arc<FunctionConfig>) -> Result<Context, String> {
        let lookup = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        };
        context_from_headers(lookup, env)
    }

    #[test]
    fn context_from_all_headers() {
        let env = Arc::new(FunctionConfig::from_lookup(|_| None));
        let ctx = context(
            &[
                ("lambda-runtime-aws-request-id", "abc"),
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
            ],
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
    fn context_rejects_missing_or_unusable_id_and_bad_deadline_but_tolerates_bad_json() {
        let env = Arc::new(FunctionConfig::from_lookup(|_| None));
        let err = context(&[(DEADLINE_MS, "1")], &env).unwrap_err();
        assert!(err.contains("Request-Id"), "{err}");
        for unusable in ["a/../b", "a b", "a?b", "a%2F"] {
            let err = context(&[(REQUEST_ID, unusable), (DEADLINE_MS, "1")], &env).unwrap_err();
            assert!(err.contains("URL path") && err.contains(unusable), "{err}");
        }
        let err = context(&[(REQUEST_ID, "a"), (DEADLINE_MS, "soon")], &env).unwrap_err();
        assert!(err.contains("Deadline-Ms"), "{err}");
        let ctx = context(&[(REQUEST_ID, "a"), (DEADLINE_MS, "5"), (CLIENT_CONTEXT, "{")], &env).unwrap();
        assert!(ctx.client_context.is_none());
        for not_an_object in ["[]", "[\"id\", \"pool\"]", "5"] {
            let headers = [(REQUEST_ID, "a"), (DEADLINE_MS, "5"), (COGNITO_IDENTITY, not_an_object)];
            assert!(context(&headers, &env).unwrap().identity.is_none(), "{not_an_object}");
        }
    }
}
