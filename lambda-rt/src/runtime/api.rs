//! The client of the Lambda Runtime API (docs/design.md, "The Runtime API"): its calls and answers on
//! the wire, the headers that become a [`Context`], and what is sent again when. One keep-alive
//! HTTP/1.1 connection to the loopback endpoint, no TLS, no proxy.
//!
//! What the runtime does about an answer (an error post after a refused response, exiting after a
//! refused error post) is the loop's, in [`super`]; this module says what the answer was
//! ([`Delivery`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http::Uri;

use super::connection::{Connection, HttpError, Request};
use crate::context::{Context, FunctionConfig};
use crate::error::Error;

// Header names as the Runtime API documents them; responses are matched case-insensitively.
const REQUEST_ID: &str = "Lambda-Runtime-Aws-Request-Id";
const DEADLINE_MS: &str = "Lambda-Runtime-Deadline-Ms";
const FUNCTION_ARN: &str = "Lambda-Runtime-Invoked-Function-Arn";
const TRACE_ID: &str = "Lambda-Runtime-Trace-Id";
const CLIENT_CONTEXT: &str = "Lambda-Runtime-Client-Context";
const COGNITO_IDENTITY: &str = "Lambda-Runtime-Cognito-Identity";
const TENANT_ID: &str = "Lambda-Runtime-Aws-Tenant-Id";
/// The per-invocation nonce Lambda sends on `next` (since 2026) and expects back on every post for the
/// invocation, so that it can refuse the late answer of a timed-out invocation whose request id was
/// reused.
const INVOCATION_ID: &str = "Lambda-Runtime-Invocation-Id";
const ERROR_TYPE: &str = "Lambda-Runtime-Function-Error-Type";
const ERROR_BODY: &str = "Lambda-Runtime-Function-Error-Body";
const RESPONSE_MODE: &str = "Lambda-Runtime-Function-Response-Mode";
/// The trailers a streaming response announces, for an error after its body has begun.
const STREAM_TRAILERS: &str = "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body";

/// Attempts per request when the connection fails or a post's answer is lost, and the first pause
/// between them.
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
    /// `host:port`.
    pub(crate) fn authority(&self) -> &str {
        &self.authority
    }

    /// The path prefix of an emulator's endpoint form (empty on Lambda); the Extensions API is under it too.
    pub(crate) fn prefix(&self) -> &str {
        self.base_path.strip_suffix("/2018-06-01").unwrap_or("")
    }

    pub(crate) fn parse(value: &str) -> Result<Endpoint, Error> {
        let invalid = |why: &str| {
            Error::new(
                crate::error::kind::INVALID_ENDPOINT,
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

/// What a `GET /runtime/invocation/next` gave the loop.
// The big variant is the one nearly every answer is; boxing it would allocate once per invocation.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Next {
    /// An invocation to run: its context and its event.
    Invocation { context: Context, body: Bytes },
    /// An answer without a request id the runtime may post for: nothing can be answered, so it is
    /// logged and the loop polls again.
    Unusable(String),
    /// The request id came (the answer's head was whole) but the event broke off: the invocation
    /// cannot run and gets an error post.
    Incomplete { ticket: Ticket, why: String },
}

/// What a post for an invocation carries so that the API takes it for that invocation: the request id
/// (in the URL) and the invocation id `next` gave (echoed in a header, when it gave one), with the
/// deadline, to say how late an answer the API refused as late was.
#[derive(Debug, Clone)]
pub(crate) struct Ticket {
    pub(crate) request_id: String,
    pub(crate) invocation_id: Option<String>,
    pub(crate) deadline_ms: Option<u64>,
}

impl Ticket {
    /// The ticket of the invocation `context` describes.
    pub(crate) fn of(context: &Context) -> Ticket {
        Ticket {
            request_id: context.request_id.clone(),
            invocation_id: context.invocation_id.clone(),
            deadline_ms: context.deadline_ms,
        }
    }

    /// How far past its deadline the invocation is now, as a phrase for a log line.
    pub(crate) fn lateness(&self) -> String {
        let Some(deadline) = self.deadline_ms else {
            return "with its deadline unknown".to_owned();
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        match now.checked_sub(deadline) {
            Some(late) => format!("{late} ms after its deadline"),
            None => format!("{} ms before its deadline", deadline - now),
        }
    }

    /// The headers every post for this invocation carries, then `more`.
    fn headers<'a>(&'a self, more: &[(&'static str, &'a str)]) -> ([(&'static str, &'a str); 4], usize) {
        let mut headers = [("", ""); 4];
        let mut count = 0;
        if let Some(id) = self.invocation_id.as_deref() {
            headers[0] = (INVOCATION_ID, id);
            count = 1;
        }
        for header in more.iter().take(headers.len() - count) {
            headers[count] = *header;
            count += 1;
        }
        (headers, count)
    }
}

/// What the Runtime API made of a post for an invocation.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// 2xx: the API took it.
    Accepted,
    /// 403: the API has this invocation's answer already (what a post sent again after its first
    /// answer was lost meets).
    Closed(String),
    /// The invocation is over for the API without this answer: 410 (it timed out, `InvokeTimeout`) or
    /// 400 `InvalidRequestID` (the API no longer knows the id). Nothing more is sent for it.
    Late(String),
    /// 413: the response is larger than the API takes; the invocation is still open.
    TooLarge(String),
    /// Another 4xx: the API refused this post; the invocation is still open.
    Refused(String),
    /// A streamed response broke off after part of its body was sent, which cannot be sent again.
    Broken(String),
}

/// Why a request to the Runtime API got no answer to act on.
enum Failure {
    /// The process must exit.
    Fatal(Fatal),
    /// The answer broke off before its head was whole (or the request could not be sent); the
    /// connection was dropped.
    Lost(String),
    /// The answer's head (status and headers) came whole, then its body broke off.
    BodyBroken {
        status: u16,
        headers: Vec<(String, String)>,
        why: String,
    },
}

/// Whether an exchange that broke off after the request was written whole may be sent again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Resend {
    /// A post: sending it again is how its answer is recovered (the API says 403 if it had it).
    WhenLost,
    /// A poll: the caller polls again itself, after its own pause.
    Never,
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

    /// Long-polls for the next invocation. 500 (and 5xx other than a proxy's 502, 503 and 504) is
    /// the API saying the runtime must exit; 502, 503, 504, 429, other answers and broken answers are
    /// logged and polled again after a pause that doubles up to [`MAX_BACKOFF`].
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
            let retry = match send(&self.endpoint, &mut self.connection, &request, Resend::Never).await {
                Ok(200) => match &mut self.connection {
                    Some(connection) => {
                        return Ok(match context_from_headers(|name| connection.header(name), env) {
                            Ok(context) => Next::Invocation {
                                context,
                                body: connection.take_body(),
                            },
                            Err(unusable) => Next::Unusable(unusable),
                        });
                    }
                    None => "the connection closed".to_owned(),
                },
                Ok(status) => {
                    let text = self
                        .connection
                        .as_ref()
                        .map_or("".into(), |c| String::from_utf8_lossy(c.body()));
                    let answer = format!("the Runtime API answered next with {status}: {text}");
                    if (500..600).contains(&status) && !matches!(status, 502..=504) {
                        return Err(Fatal(answer));
                    }
                    answer
                }
                Err(Failure::Fatal(fatal)) => return Err(fatal),
                Err(Failure::Lost(why)) => format!("reading the next event failed: {why}"),
                Err(Failure::BodyBroken { status, headers, why }) => {
                    let header = |name: &str| {
                        headers
                            .iter()
                            .find(|(n, _)| n.eq_ignore_ascii_case(name))
                            .map(|(_, v)| v.as_str())
                    };
                    match (status, header(REQUEST_ID).filter(|id| usable_request_id(id))) {
                        (200, Some(id)) => {
                            return Ok(Next::Incomplete {
                                ticket: Ticket {
                                    request_id: id.to_owned(),
                                    invocation_id: invocation_id(header(INVOCATION_ID), id),
                                    deadline_ms: deadline_ms(header(DEADLINE_MS)),
                                },
                                why: format!("the event of invocation {id} could not be read whole: {why}"),
                            });
                        }
                        _ => format!("reading the next event failed: {why}"),
                    }
                }
            };
            tracing::warn!("{retry}; polling again in {backoff:?}");
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Posts a handler's JSON result.
    pub(crate) async fn post_response(&mut self, ticket: &Ticket, body: &[u8]) -> Result<Delivery, Fatal> {
        let path = invocation_path(&self.endpoint, &ticket.request_id, "/response");
        let (headers, count) = ticket.headers(&[]);
        post(&self.endpoint, &mut self.connection, &path, &headers[..count], body).await
    }

    /// Posts an invocation's error.
    pub(crate) async fn post_error(&mut self, ticket: &Ticket, error: &Error) -> Result<Delivery, Fatal> {
        let path = invocation_path(&self.endpoint, &ticket.request_id, "/error");
        let (headers, count) = ticket.headers(&[(ERROR_TYPE, error_type_header(error.error_type()))]);
        post(
            &self.endpoint,
            &mut self.connection,
            &path,
            &headers[..count],
            &error.to_json(),
        )
        .await
    }

    /// Drops the connection: a post cut off half-written leaves it unusable.
    pub(crate) fn reset(&mut self) {
        self.connection = None;
    }

    /// Posts an initialisation error (the caller exits afterwards, whatever the answer).
    pub(crate) async fn post_init_error(&mut self, error: &Error) -> Result<(), Fatal> {
        let path = [self.endpoint.base_path.as_str(), "/runtime/init/error"];
        let headers = [(ERROR_TYPE, error_type_header(error.error_type()))];
        let delivery = post(&self.endpoint, &mut self.connection, &path, &headers, &error.to_json()).await?;
        if delivery != Delivery::Accepted {
            tracing::error!("the Runtime API did not take the init error: {delivery:?}");
        }
        Ok(())
    }

    /// Starts a streaming response post: writes its head and `first` pieces of its body (already
    /// produced, so held here until they are written). A kept-alive connection the API closed while the
    /// handler ran is noticed before or while these are written, and the post starts again on a new
    /// connection, since nothing more of the handler's stream has been taken yet.
    pub(crate) async fn start_stream<'a>(
        &'a mut self,
        ticket: &'a Ticket,
        content_type: &'a str,
        first: [&[u8]; 2],
    ) -> Result<StreamPost<'a>, Fatal> {
        let request_id = ticket.request_id.as_str();
        let path = invocation_path(&self.endpoint, request_id, "/response");
        let (headers, count) = ticket.headers(&[
            (RESPONSE_MODE, "streaming"),
            ("Content-Type", content_type),
            ("Trailer", STREAM_TRAILERS),
        ]);
        let request = Request {
            method: "POST",
            path: &path,
            headers: &headers[..count],
            body: None,
        };
        let mut attempt = 1;
        loop {
            if self.connection.as_mut().is_some_and(Connection::closed_by_peer) {
                self.connection = None;
            }
            let connection = start_chunked(&self.endpoint, &mut self.connection, &request).await?;
            let mut written = Ok(());
            for piece in first {
                written = connection.write_chunk(piece).await;
                if written.is_err() {
                    break;
                }
            }
            match written {
                Ok(()) => break,
                Err(e) if attempt < CONNECT_ATTEMPTS => {
                    tracing::warn!("starting the streaming response of {request_id} failed ({e}); starting it again");
                    self.connection = None;
                    attempt += 1;
                }
                Err(e) => {
                    return Err(Fatal(format!(
                        "the streaming response of {request_id} could not be started after {attempt} attempts: {e}"
                    )));
                }
            }
        }
        Ok(StreamPost {
            endpoint: &self.endpoint,
            connection: &mut self.connection,
            request_id,
        })
    }
}

/// A streaming response post under way (see [`RuntimeApi::start_stream`]).
pub(crate) struct StreamPost<'a> {
    endpoint: &'a Endpoint,
    connection: &'a mut Option<Connection>,
    request_id: &'a str,
}

impl StreamPost<'_> {
    /// Sends one more piece of the body; an error means the post broke off.
    pub(crate) async fn write(&mut self, piece: &[u8]) -> Result<(), String> {
        let Some(connection) = self.connection.as_mut() else {
            return Err("the connection closed".to_owned());
        };
        connection.write_chunk(piece).await.map_err(|e| {
            *self.connection = None;
            e.to_string()
        })
    }

    /// Ends the body, with `failure` in the trailers when the handler's stream ended in an error,
    /// and reads the API's answer.
    pub(crate) async fn finish(self, failure: Option<&Error>) -> Result<Delivery, Fatal> {
        let error_body;
        let trailers = match failure {
            Some(error) => {
                error_body = base64::engine::general_purpose::STANDARD.encode(error.to_json());
                vec![
                    (ERROR_TYPE, error_type_header(error.error_type())),
                    (ERROR_BODY, error_body.as_str()),
                ]
            }
            None => Vec::new(),
        };
        let Some(connection) = self.connection.as_mut() else {
            return Ok(Delivery::Broken("the connection closed".to_owned()));
        };
        let path = invocation_path(self.endpoint, self.request_id, "/response");
        let status = match connection.finish_chunked(&trailers).await {
            Ok(status) => status,
            Err(HttpError::BodyBroken { status, .. }) => {
                *self.connection = None;
                status
            }
            Err(e) => {
                *self.connection = None;
                // The body is gone; the answer cannot be had by sending it again.
                return Ok(Delivery::Broken(format!(
                    "the answer to the streamed response was lost: {e}"
                )));
            }
        };
        delivery(self.connection.as_ref(), status, &path)
    }
}

/// `[/prefix]/2018-06-01/runtime/invocation/{request_id}{suffix}`, in pieces a request writes one after
/// the other (nothing is joined on the hot path).
fn invocation_path<'a>(endpoint: &'a Endpoint, request_id: &'a str, suffix: &'static str) -> [&'a str; 4] {
    [endpoint.base_path.as_str(), "/runtime/invocation/", request_id, suffix]
}

/// Posts `body` to `path` with `headers`, and says what the API made of it. A post whose answer is
/// lost is sent again on a new connection (bounded, then fatal), with the same headers.
async fn post(
    endpoint: &Endpoint,
    connection: &mut Option<Connection>,
    path: &[&str],
    headers: &[(&'static str, &str)],
    body: &[u8],
) -> Result<Delivery, Fatal> {
    let request = Request {
        method: "POST",
        path,
        headers,
        body: Some(body),
    };
    match send(endpoint, connection, &request, Resend::WhenLost).await {
        Ok(status) => delivery(connection.as_ref(), status, path),
        // The status came whole; what broke off is only the body that explains it.
        Err(Failure::BodyBroken { status, .. }) => delivery(None, status, path),
        Err(Failure::Fatal(fatal)) => Err(fatal),
        Err(Failure::Lost(why)) => Err(Fatal(format!(
            "the answer to {} was lost and cannot be had again: {why}",
            path.concat()
        ))),
    }
}

/// What the status of a post's answer means (the body of the answer, on `connection`, and the URL
/// are only put together for an answer that is not 2xx): 2xx accepted, 403 closed, 410 and 400
/// `InvalidRequestID` late, 413 too large, other 4xx refused, anything else (5xx) fatal.
fn delivery(connection: Option<&Connection>, status: u16, path: &[&str]) -> Result<Delivery, Fatal> {
    if (200..300).contains(&status) {
        return Ok(Delivery::Accepted);
    }
    let text = connection.map_or("".into(), |c| String::from_utf8_lossy(c.body()));
    let answer = format!("the Runtime API answered {} with {status}: {text}", path.concat());
    Ok(match status {
        403 => Delivery::Closed(answer),
        410 => Delivery::Late(answer),
        400 if api_error_type(&text) == Some("InvalidRequestID") => Delivery::Late(answer),
        413 => Delivery::TooLarge(answer),
        400..500 => Delivery::Refused(answer),
        _ => return Err(Fatal(answer)),
    })
}

/// The `errorType` of an error answer of the Runtime API (`{"errorMessage": ..., "errorType": ...}`).
fn api_error_type(body: &str) -> Option<&str> {
    #[derive(serde::Deserialize)]
    struct ApiError<'a> {
        #[serde(rename = "errorType", borrow)]
        error_type: Option<&'a str>,
    }
    serde_json::from_str::<ApiError<'_>>(body).ok()?.error_type
}

/// The `Lambda-Runtime-Function-Error-Type` value for an error type. The type is the user's (any
/// string); one that cannot be a header value (control characters, non-ASCII) is sent as
/// `Runtime.Unknown`, while the error's JSON body keeps it as it is.
fn error_type_header(error_type: &str) -> &str {
    let printable = error_type.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    match printable && !error_type.trim().is_empty() {
        true => error_type,
        false => crate::error::kind::UNKNOWN,
    }
}

/// Sends a request on the kept-alive `connection`; the answer stays in the connection.
async fn send(
    endpoint: &Endpoint,
    connection: &mut Option<Connection>,
    request: &Request<'_>,
    resend: Resend,
) -> Result<u16, Failure> {
    let host = endpoint.authority.as_str();
    with_retries(endpoint, connection, resend, async |open: &mut Connection| {
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
) -> Result<&'c mut Connection, Fatal> {
    let host = endpoint.authority.as_str();
    let started = with_retries(endpoint, connection, Resend::WhenLost, async |open: &mut Connection| {
        open.start_chunked(host, request).await
    })
    .await;
    match started {
        Ok(()) => connection
            .as_mut()
            .ok_or_else(|| Fatal("the connection closed as the streaming response began".to_owned())),
        Err(Failure::Fatal(fatal)) => Err(fatal),
        // Writing a head reads no answer, so nothing can have broken off in one.
        Err(Failure::Lost(why) | Failure::BodyBroken { why, .. }) => Err(Fatal(why)),
    }
}

/// Runs `exchange` on the kept-alive `connection`, opening a new one when there is none or it
/// closed. A kept-alive connection the server closed while idle is replaced at once; failing
/// connections are retried with exponential back-off, and after [`CONNECT_ATTEMPTS`] the runtime must
/// exit. An answer that broke off is sent again too when `resend` says so (a post), else it is the
/// caller's to handle; a request that cannot be written at all is fatal.
async fn with_retries<T>(
    endpoint: &Endpoint,
    connection: &mut Option<Connection>,
    resend: Resend,
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
            Err(HttpError::Broken(why)) if resend == Resend::WhenLost => format!("the answer broke off: {why}"),
            Err(HttpError::Broken(why)) => {
                *connection = None;
                return Err(Failure::Lost(why));
            }
            Err(HttpError::BodyBroken { status, headers, why }) => {
                *connection = None;
                return Err(Failure::BodyBroken { status, headers, why });
            }
            Err(HttpError::Invalid(why)) => {
                *connection = None;
                return Err(Failure::Fatal(Fatal(format!(
                    "a request to the Runtime API cannot be written: {why}"
                ))));
            }
        };
        *connection = None;
        if attempt >= CONNECT_ATTEMPTS {
            return Err(Failure::Fatal(Fatal(format!(
                "the Runtime API at {} did not answer after {attempt} attempts: {failure}",
                endpoint.authority
            ))));
        }
        tracing::warn!("Runtime API request failed ({failure}); sending it again in {backoff:?}");
        tokio::time::sleep(backoff).await;
        backoff *= 2;
        attempt += 1;
    }
}

/// Whether a request id can be put in a post's URL as it is: visible ASCII, nothing that would
/// change the path (`/`, `?`, `#`, `%`).
fn usable_request_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'/' | b'?' | b'#' | b'%'))
}

/// The context of an invocation from the headers of its `next` answer (`header` looks one up by
/// name). Fails (with what is wrong) when the request id is missing or cannot be part of a URL path:
/// then there is nothing the runtime may post for. A missing or unusable deadline does not fail it:
/// the invocation runs with its deadline unknown ([`Context::deadline`] is `None`), and the first such
/// answer is logged.
pub(crate) fn context_from_headers<'h>(
    header: impl Fn(&str) -> Option<&'h str>,
    env: &Arc<FunctionConfig>,
) -> Result<Context, String> {
    let text = |name: &str| header(name).filter(|v| !v.is_empty());
    let request_id = text(REQUEST_ID)
        .filter(|id| usable_request_id(id))
        .ok_or_else(|| match header(REQUEST_ID) {
            Some(id) => format!(
                "the Runtime API sent an invocation whose Lambda-Runtime-Aws-Request-Id cannot be part of a URL \
                 path (got {id:?}); nothing can be posted for it"
            ),
            None => "the Runtime API sent an invocation without a Lambda-Runtime-Aws-Request-Id header".to_owned(),
        })?;
    let deadline_ms = deadline_ms(header(DEADLINE_MS));
    if deadline_ms.is_none() && !DEADLINE_WARNED.swap(true, Ordering::Relaxed) {
        tracing::warn!(
            "the Runtime API sent invocation {request_id} without a usable Lambda-Runtime-Deadline-Ms \
             (got {:?}); running it with the deadline unknown (logged once)",
            header(DEADLINE_MS)
        );
    }
    Ok(Context {
        request_id: request_id.to_owned(),
        invocation_id: invocation_id(text(INVOCATION_ID), request_id),
        deadline_ms,
        invoked_function_arn: text(FUNCTION_ARN).unwrap_or_default().to_owned(),
        xray_trace_id: text(TRACE_ID).map(str::to_owned),
        // Empty means absent: Managed Instances send these empty when the invoke had none.
        client_context: json_header(text(CLIENT_CONTEXT), CLIENT_CONTEXT, request_id),
        identity: json_header(text(COGNITO_IDENTITY), COGNITO_IDENTITY, request_id),
        tenant_id: text(TENANT_ID).map(str::to_owned),
        env: Arc::clone(env),
    })
}

/// `Lambda-Runtime-Deadline-Ms` as milliseconds since the epoch; `None` when missing or not a number.
fn deadline_ms(value: Option<&str>) -> Option<u64> {
    value?.trim().parse().ok()
}

/// Whether a missing deadline was logged already: an API that sends none sends none every time.
static DEADLINE_WARNED: AtomicBool = AtomicBool::new(false);

/// The invocation id to echo: the header's value when it is an HTTP token (RFC 9110: what can be sent
/// back as a header value as it is, without quoting), else nothing, and the first such value is
/// logged. Empty or missing is absent, and nothing is echoed.
fn invocation_id(value: Option<&str>, request_id: &str) -> Option<String> {
    let value = value.filter(|v| !v.is_empty())?;
    let token = value.len() <= 256
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if token {
        return Some(value.to_owned());
    }
    if !INVOCATION_ID_WARNED.swap(true, Ordering::Relaxed) {
        tracing::warn!(
            "the Runtime API sent invocation {request_id} a Lambda-Runtime-Invocation-Id that is not an HTTP token \
             ({value:?}); it is not echoed on the invocation's posts (logged once)"
        );
    }
    None
}

/// Whether a malformed invocation id was logged already.
static INVOCATION_ID_WARNED: AtomicBool = AtomicBool::new(false);

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
    fn what_a_post_answer_means() {
        let path = ["/2018-06-01", "/runtime/invocation/", "id", "/response"];
        let of = |status| delivery(None, status, &path);
        assert_eq!(of(202).unwrap(), Delivery::Accepted);
        assert_eq!(of(200).unwrap(), Delivery::Accepted);
        assert!(matches!(of(403).unwrap(), Delivery::Closed(why) if why.contains("/runtime/invocation/id/response")));
        assert!(matches!(of(413).unwrap(), Delivery::TooLarge(_)));
        assert!(matches!(of(410).unwrap(), Delivery::Late(_)));
        assert!(matches!(of(400).unwrap(), Delivery::Refused(_)));
        assert!(matches!(of(404).unwrap(), Delivery::Refused(_)));
        for fatal in [500, 502, 503, 301] {
            assert!(of(fatal).is_err(), "{fatal}");
        }
        assert_eq!(
            api_error_type(r#"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#),
            Some("InvalidRequestID")
        );
        for not_one in ["", "[]", "{}", "{\"errorType\":5}", "not json"] {
            assert_eq!(api_error_type(not_one), None, "{not_one}");
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
        assert_eq!(ctx.deadline_ms, Some(1_700_000_000_000));
        assert_eq!(ctx.xray_trace_id.as_deref(), Some("Root=1-5;Parent=2;Sampled=1"));
        let client = ctx.client_context.unwrap();
        assert_eq!(client.client.app_title, "shop");
        assert_eq!(client.custom["k"], "v");
        assert_eq!(ctx.identity.unwrap().identity_pool_id, "pool");
        assert_eq!(ctx.tenant_id.as_deref(), Some("tenant-7"));
    }

    #[test]
    fn the_invocation_id_is_kept_when_it_is_a_token_and_empty_headers_are_absent() {
        let env = Arc::new(FunctionConfig::from_lookup(|_| None));
        let with = |id: &'static str| context(&[(REQUEST_ID, "a"), (INVOCATION_ID, id)], &env).unwrap();
        for kept in ["4f1c2a9e-0b7d-4c55-9a3e-7d2f1e0c9b11", "inv_7.A~|"] {
            assert_eq!(with(kept).invocation_id.as_deref(), Some(kept));
        }
        for dropped in ["", "two words", "quo\"te", "semi;colon", "tab\there", "ünï"] {
            assert_eq!(with(dropped).invocation_id, None, "{dropped:?}");
        }
        let empty = [
            (REQUEST_ID, "a"),
            (CLIENT_CONTEXT, ""),
            (COGNITO_IDENTITY, ""),
            (TRACE_ID, ""),
            (TENANT_ID, ""),
        ];
        let ctx = context(&empty, &env).unwrap();
        assert!(ctx.client_context.is_none() && ctx.identity.is_none());
        assert!(ctx.xray_trace_id.is_none() && ctx.tenant_id.is_none());
    }

    #[test]
    fn posts_carry_the_invocation_id_first_when_there_is_one() {
        let mut ticket = Ticket {
            request_id: "a".into(),
            invocation_id: Some("inv".into()),
            deadline_ms: None,
        };
        let (headers, count) = ticket.headers(&[(ERROR_TYPE, "E")]);
        assert_eq!(&headers[..count], [(INVOCATION_ID, "inv"), (ERROR_TYPE, "E")]);
        ticket.invocation_id = None;
        let (headers, count) = ticket.headers(&[(ERROR_TYPE, "E")]);
        assert_eq!(&headers[..count], [(ERROR_TYPE, "E")]);
        assert_eq!(ticket.lateness(), "with its deadline unknown");
        ticket.deadline_ms = Some(1_000);
        assert!(
            ticket.lateness().ends_with(" ms after its deadline"),
            "{}",
            ticket.lateness()
        );
    }

    #[test]
    fn context_rejects_a_missing_or_unusable_id_and_runs_with_an_unknown_deadline() {
        let env = Arc::new(FunctionConfig::from_lookup(|_| None));
        let err = context(&[(DEADLINE_MS, "1")], &env).unwrap_err();
        assert!(err.contains("Request-Id"), "{err}");
        for unusable in ["a/../b", "a b", "a?b", "a%2F"] {
            let err = context(&[(REQUEST_ID, unusable), (DEADLINE_MS, "1")], &env).unwrap_err();
            assert!(err.contains("URL path") && err.contains(unusable), "{err}");
        }
        for bad in ["soon", "-5", "", "18446744073709551616", "1.5"] {
            let ctx = context(&[(REQUEST_ID, "a"), (DEADLINE_MS, bad)], &env).unwrap();
            assert_eq!((ctx.request_id.as_str(), ctx.deadline_ms), ("a", None), "{bad:?}");
        }
        assert_eq!(context(&[(REQUEST_ID, "a")], &env).unwrap().deadline_ms, None);
        let ctx = context(&[(REQUEST_ID, "a"), (DEADLINE_MS, "5"), (CLIENT_CONTEXT, "{")], &env).unwrap();
        assert!(ctx.client_context.is_none());
        for not_an_object in ["[]", "[\"id\", \"pool\"]", "5"] {
            let headers = [(REQUEST_ID, "a"), (DEADLINE_MS, "5"), (COGNITO_IDENTITY, not_an_object)];
            assert!(context(&headers, &env).unwrap().identity.is_none(), "{not_an_object}");
        }
    }
}
