//! The fake Runtime API: queued events, recorded requests, chosen statuses.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::*;

/// One answer to `GET /runtime/invocation/next`: the event body and the headers that go with it.
#[derive(Debug, Clone)]
pub struct Event {
    /// The headers sent, in order (names as written here).
    pub headers: Vec<(String, String)>,
    /// The event body.
    pub body: Bytes,
    /// Instead of answering, close the connection (a transient failure of the API).
    pub hang_up: bool,
}

impl Event {
    /// An invocation `request_id` with a JSON `body` and the headers Lambda always sends: request id,
    /// a deadline one minute away, the function ARN and a trace id derived from the request id.
    pub fn new(request_id: &str, body: impl Into<Bytes>) -> Self {
        Event {
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("Lambda-Runtime-Aws-Request-Id".into(), request_id.into()),
                (
                    "Lambda-Runtime-Deadline-Ms".into(),
                    epoch_ms_in(Duration::from_secs(60)).to_string(),
                ),
                ("Lambda-Runtime-Invoked-Function-Arn".into(), FUNCTION_ARN.into()),
                ("Lambda-Runtime-Trace-Id".into(), trace_id_for(request_id)),
            ],
            body: body.into(),
            hang_up: false,
        }
    }

    /// A `next` poll that is not answered: the API closes the connection instead.
    pub fn hang_up() -> Self {
        Event {
            headers: Vec::new(),
            body: Bytes::new(),
            hang_up: true,
        }
    }

    /// Sets (or replaces) a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self = self.without(name);
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Removes a header, to make a deliberately broken answer.
    pub fn without(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    /// The value of a header this event carries.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The X-Ray trace header the fake API sends for `request_id` by default.
pub fn trace_id_for(request_id: &str) -> String {
    let hex: String = request_id
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
        .chars()
        .chain(std::iter::repeat('0'))
        .take(24)
        .collect();
    format!("Root=1-674f3a2b-{hex};Parent=53995c3f42cd8ad8;Sampled=1")
}

/// One request the runtime made, as the fake API received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Which TCP connection it came on (numbered from 0 in accept order).
    pub conn: usize,
    /// The HTTP method.
    pub method: Method,
    /// The request target as sent (origin form unless the client went through a proxy).
    pub target: String,
    /// The full path, prefix included.
    pub path: String,
    /// The path relative to the API base (`/runtime/...`), or the full path if outside it.
    pub call_path: String,
    /// The request headers.
    pub headers: HeaderMap,
    /// The request body.
    pub body: Bytes,
    /// The trailers after a chunked body, if any.
    pub trailers: Option<HeaderMap>,
    /// Time from the arrival of the request head to the end of its body: long for a body streamed
    /// while it was produced.
    pub body_took: std::time::Duration,
}

impl Recorded {
    /// `"GET /runtime/invocation/next"`: method and path relative to the API base.
    pub fn call(&self) -> String {
        format!("{} {}", self.method, self.call_path)
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON (panics with the text when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{} sent a body that is not JSON ({e}): {:?}", self.call(), self.text()))
    }

    /// A trailer's value as text.
    pub fn trailer(&self, name: &str) -> Option<&str> {
        self.trailers.as_ref()?.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Whether this is the response or error post of `request_id`.
    pub fn answers(&self, request_id: &str) -> bool {
        self.method == Method::POST
            && (self.call_path == format!("/runtime/invocation/{request_id}/response")
                || self.call_path == format!("/runtime/invocation/{request_id}/error"))
    }

    /// Whether this is a `GET /runtime/invocation/next`.
    pub fn is_next(&self) -> bool {
        self.method == Method::GET && self.call_path == "/runtime/invocation/next"
    }
}

/// `"GET next"`-style lines of a log, for assertions on the whole sequence.
pub fn calls(log: &[Recorded]) -> Vec<String> {
    log.iter().map(Recorded::call).collect()
}

/// `GET /runtime/invocation/next`.
pub fn next() -> String {
    "GET /runtime/invocation/next".to_owned()
}

/// `POST /runtime/invocation/{id}/response`.
pub fn response(request_id: &str) -> String {
    format!("POST /runtime/invocation/{request_id}/response")
}

/// `POST /runtime/invocation/{id}/error`.
pub fn error(request_id: &str) -> String {
    format!("POST /runtime/invocation/{request_id}/error")
}

/// `POST /runtime/init/error`.
pub fn init_error() -> String {
    "POST /runtime/init/error".to_owned()
}

pub(super) struct Shared {
    /// `prefix + /2018-06-01`.
    pub(super) base: String,
    pub(super) events: tokio::sync::Mutex<mpsc::UnboundedReceiver<Event>>,
    pub(super) log: watch::Sender<Vec<Recorded>>,
    /// Status to answer instead of 202, by path relative to the base.
    pub(super) statuses: Mutex<HashMap<String, (u16, String)>>,
    /// The stderr of the processes started against this API, for failure messages.
    pub(super) stderrs: Mutex<Vec<Arc<Mutex<Vec<u8>>>>>,
    pub(super) connections: AtomicUsize,
}

/// A fake Lambda Runtime API listening on 127.0.0.1 (random port).
pub struct FakeApi {
    addr: std::net::SocketAddr,
    prefix: String,
    pub(super) shared: Arc<Shared>,
    queue: mpsc::UnboundedSender<Event>,
    server: JoinHandle<()>,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeApi {
    /// Serves the API under `/2018-06-01`.
    pub async fn start() -> Self {
        Self::with_prefix("").await
    }

    /// Serves the API under `{prefix}/2018-06-01` (`prefix` empty or starting with `/`).
    pub async fn with_prefix(prefix: &str) -> Self {
        Self::bind("127.0.0.1:0", prefix).await
    }

    /// Serves the API at `addr` under `{prefix}/2018-06-01`.
    pub async fn bind(addr: &str, prefix: &str) -> Self {
        let listener = TcpListener::bind(addr)
            .await
            .unwrap_or_else(|e| panic!("bind {addr}: {e}"));
        let addr = listener.local_addr().expect("local address");
        let (queue, events) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            base: format!("{prefix}{VERSION}"),
            events: tokio::sync::Mutex::new(events),
            log: watch::Sender::new(Vec::new()),
            statuses: Mutex::new(HashMap::new()),
            stderrs: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
        });
        let server = tokio::spawn(serve(listener, Arc::clone(&shared)));
        FakeApi {
            addr,
            prefix: prefix.to_owned(),
            shared,
            queue,
            server,
        }
    }

    /// `127.0.0.1:<port>`, the form Lambda gives in `AWS_LAMBDA_RUNTIME_API`.
    pub fn host_port(&self) -> String {
        self.addr.to_string()
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The path prefix it serves the API under (may be empty).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Queues the answer to a future `next` poll (answered in queue order).
    pub fn push(&self, event: Event) {
        self.queue.send(event).expect("the server is running");
    }

    /// Answers requests to `call_path` (relative to the base, e.g. `/runtime/invocation/a/response`)
    /// with `status` instead of 202.
    pub fn answer_with(&self, call_path: &str, status: u16) {
        self.answer_with_type(call_path, status, &format!("Status{status}"));
    }

    /// Answers requests to `call_path` with `status` and an error body of `error_type`, as the
    /// Runtime API does (`InvalidRequestID`, `InvalidStateTransition`, ...).
    pub fn answer_with_type(&self, call_path: &str, status: u16, error_type: &str) {
        self.shared
            .statuses
            .lock()
            .expect("statuses lock")
            .insert(call_path.to_owned(), (status, error_type.to_owned()));
    }

    /// Every request recorded so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.log.borrow().clone()
    }

    /// The calls recorded so far (see [`calls`]).
    pub fn calls(&self) -> Vec<String> {
        calls(&self.requests())
    }

    /// How many TCP connections the runtime opened.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Waits until `done` holds for the log; returns the log then. Panics after [`TIMEOUT`] with `what`,
    /// the calls seen and the stderr of the processes started against this API.
    pub async fn wait_until(&self, what: &str, done: impl FnMut(&Vec<Recorded>) -> bool) -> Vec<Recorded> {
        let mut rx = self.shared.log.subscribe();
        match tokio::time::timeout(TIMEOUT, rx.wait_for(done)).await {
            Ok(Ok(log)) => log.clone(),
            Ok(Err(_)) => unreachable!("the sender lives as long as self"),
            Err(_) => panic!("timed out after {TIMEOUT:?} waiting for {what}\n{}", self.diagnostics()),
        }
    }

    /// Waits until `count` requests have been recorded.
    pub async fn wait_for_requests(&self, count: usize) -> Vec<Recorded> {
        self.wait_until(&format!("{count} requests"), |log| log.len() >= count)
            .await
    }

    /// Waits for the response or error post of `request_id`.
    pub async fn answer_for(&self, request_id: &str) -> Recorded {
        let log = self
            .wait_until(&format!("the answer for request {request_id}"), |log| {
                log.iter().any(|r| r.answers(request_id))
            })
            .await;
        log.into_iter()
            .find(|r| r.answers(request_id))
            .expect("found by wait_until")
    }

    /// Waits until the runtime polls `next` for the `count`th time (it is then idle, waiting).
    pub async fn wait_for_polls(&self, count: usize) -> Vec<Recorded> {
        self.wait_until(&format!("next poll #{count}"), |log| {
            log.iter().filter(|r| r.is_next()).count() >= count
        })
        .await
    }

    /// What a failing test prints: the calls seen and the stderr of the processes.
    pub fn diagnostics(&self) -> String {
        diagnostics(&self.shared)
    }
}

pub(super) fn diagnostics(shared: &Shared) -> String {
    let mut text = format!("requests seen by the fake Runtime API ({}):\n", shared.base);
    for r in shared.log.borrow().iter() {
        let error_type = r
            .header("lambda-runtime-function-error-type")
            .map(|t| format!(" [{t}]"))
            .unwrap_or_default();
        let body: String = r.text().chars().take(300).collect();
        text.push_str(&format!("  {}{error_type} {body}\n", r.call()));
    }
    for (i, stderr) in shared.stderrs.lock().expect("stderrs lock").iter().enumerate() {
        let stderr = String::from_utf8_lossy(&stderr.lock().expect("stderr lock")).into_owned();
        text.push_str(&format!("stderr of bootstrap #{i}:\n{stderr}\n"));
    }
    text
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let conn = shared.connections.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(Arc::clone(&shared), conn, request));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    conn: usize,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let (parts, body) = request.into_parts();
    let head_arrived = std::time::Instant::now();
    let (body, trailers) = match body.collect().await {
        Ok(collected) => {
            let trailers = collected.trailers().cloned();
            (collected.to_bytes(), trailers)
        }
        Err(e) => (Bytes::from(format!("<body could not be read: {e}>")), None),
    };
    let body_took = head_arrived.elapsed();
    let path = parts.uri.path().to_owned();
    let call_path = path
        .strip_prefix(&shared.base)
        .filter(|rest| rest.starts_with('/'))
        .unwrap_or(&path)
        .to_owned();
    let recorded = Recorded {
        conn,
        method: parts.method.clone(),
        target: parts.uri.to_string(),
        path: path.clone(),
        call_path: call_path.clone(),
        headers: parts.headers,
        body,
        trailers,
        body_took,
    };
    shared.log.send_modify(|log| log.push(recorded));

    let chosen = shared.statuses.lock().expect("statuses lock").get(&call_path).cloned();
    let in_api = path.len() > call_path.len();
    let is_post_route = parts.method == Method::POST
        && (call_path == "/runtime/init/error"
            || (call_path.starts_with("/runtime/invocation/")
                && (call_path.ends_with("/response") || call_path.ends_with("/error"))));
    if in_api && parts.method == Method::GET && call_path == "/runtime/invocation/next" && chosen.is_none() {
        // Long poll: answer when the test queues an event. If the runtime hangs up first, this future
        // is dropped and the event stays queued (`recv` is cancel safe).
        let mut events = shared.events.lock().await;
        let Some(event) = events.recv().await else {
            return Ok(status_response(500, "the test ended"));
        };
        if event.hang_up {
            // An error from the service makes hyper close the connection without an answer.
            return Err(std::io::Error::other("hanging up as the test asked"));
        }
        let mut response = Response::new(Full::new(event.body));
        for (name, value) in event.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).expect("valid header name");
            let value = HeaderValue::from_str(&value).expect("valid header value");
            response.headers_mut().append(name, value);
        }
        return Ok(response);
    }
    if let Some((status, error_type)) = chosen {
        return Ok(typed_status_response(status, &error_type, "chosen by the test"));
    }
    // The Extensions API, as far as an internal extension registered for no events meets it: the
    // registration is answered with an identifier, the event poll never (no event comes).
    let extensions = format!("{}/2020-01-01/extension", shared.base.trim_end_matches(VERSION));
    if parts.method == Method::POST && path == format!("{extensions}/register") {
        let mut response = Response::new(Full::new(Bytes::from(
            serde_json::json!({"functionName": FUNCTION_NAME, "functionVersion": "$LATEST", "handler": ""}).to_string(),
        )));
        response
            .headers_mut()
            .insert("lambda-extension-identifier", HeaderValue::from_static("ext-0001"));
        return Ok(response);
    }
    if parts.method == Method::GET && path == format!("{extensions}/event/next") {
        std::future::pending::<()>().await;
    }
    if in_api && is_post_route {
        return Ok(status_response(202, "OK"));
    }
    Ok(status_response(404, "no such Runtime API route"))
}

fn status_response(status: u16, message: &str) -> Response<Full<Bytes>> {
    typed_status_response(status, &format!("Status{status}"), message)
}

fn typed_status_response(status: u16, error_type: &str, message: &str) -> Response<Full<Bytes>> {
    let body = serde_json::json!({ "errorMessage": message, "errorType": error_type });
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = StatusCode::from_u16(status).expect("valid status");
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Checks an error body has exactly Lambda's shape `{"errorMessage", "errorType", "stackTrace"}` with
/// `error_type`; returns the message.
pub fn assert_error_body(request: &Recorded, error_type: &str) -> String {
    assert_eq!(
        request.header("lambda-runtime-function-error-type"),
        Some(error_type),
        "error-type header of {}",
        request.call()
    );
    let body = request.json();
    let object = body
        .as_object()
        .unwrap_or_else(|| panic!("error body is not an object: {body}"));
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["errorMessage", "errorType", "stackTrace"], "error body {body}");
    assert_eq!(body["errorType"], error_type, "error body {body}");
    assert!(body["stackTrace"].is_array(), "stackTrace is a list: {body}");
    body["errorMessage"]
        .as_str()
        .unwrap_or_else(|| panic!("errorMessage is a string: {body}"))
        .to_owned()
}
