//! Shared helpers of the end-to-end tests: a fake Lambda Runtime API on 127.0.0.1 and the `bootstrap`
//! process under test.
//!
//! - [`FakeApi`] serves the Runtime API contract of DESIGN.md section 2 under `/2018-06-01` (optionally
//!   below a path prefix, as emulators do). `next` is a long poll answered with the events a test queues
//!   ([`Event`]); the posts answer 202 unless the test chose another status for a path. Every request is
//!   recorded in arrival order (connection, method, path, headers, body) so tests assert the exact
//!   sequence the runtime made.
//! - [`Bootstrap`] runs the built `bootstrap` with a cleared environment plus the Lambda variables, a dead
//!   HTTP proxy (the runtime must ignore proxies), and kills it on drop.
//!
//! Every wait is bounded by [`TIMEOUT`]: a broken runtime fails the test with the requests seen so far
//! and the process's stderr instead of hanging.

// Each test crate uses some of these helpers; and panicking is how a helper fails its test.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::io::AsyncReadExt as _;
use tokio::net::TcpListener;
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// The bound on every wait of a test.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The API version every Runtime API path starts with.
pub const VERSION: &str = "/2018-06-01";

/// `AWS_LAMBDA_FUNCTION_NAME` given to the bootstrap.
pub const FUNCTION_NAME: &str = "e2e-function";
/// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` given to the bootstrap.
pub const MEMORY_MB: u64 = 256;
/// The invoked function ARN the fake API sends by default.
pub const FUNCTION_ARN: &str = "arn:aws:lambda:eu-west-3:123456789012:function:e2e-function";
/// A proxy nobody listens on: a runtime that honoured `HTTP_PROXY` could not reach the API.
pub const DEAD_PROXY: &str = "http://127.0.0.1:9";

/// Every handler the examples' `bootstrap` registers.
pub const HANDLERS: [&str; 8] = [
    "context.info",
    "custom.Event",
    "echo.raw",
    "fail.always",
    "hello.ALB",
    "init.fail",
    "panic.always",
    "square.APIGW",
];

/// The built binary under test.
pub fn bootstrap_path() -> &'static str {
    env!("CARGO_BIN_EXE_bootstrap")
}

/// The examples crate's folder (`examples/`).
pub fn examples_dir() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// The repository root, the folder above `examples/`.
pub fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(examples_dir())
        .parent()
        .expect("examples/ has a parent")
        .to_path_buf()
}

/// The text of a sample event in `examples/events/`.
pub fn sample_event(name: &str) -> String {
    let path = format!("{}/events/{name}", examples_dir());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Milliseconds since the epoch, `ahead` from now.
pub fn epoch_ms_in(ahead: Duration) -> u64 {
    (SystemTime::now() + ahead)
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as u64
}

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

struct Shared {
    /// `prefix + /2018-06-01`.
    base: String,
    events: tokio::sync::Mutex<mpsc::UnboundedReceiver<Event>>,
    log: watch::Sender<Vec<Recorded>>,
    /// Status to answer instead of 202, by path relative to the base.
    statuses: Mutex<HashMap<String, u16>>,
    /// The stderr of the processes started against this API, for failure messages.
    stderrs: Mutex<Vec<Arc<Mutex<Vec<u8>>>>>,
    connections: AtomicUsize,
}

/// A fake Lambda Runtime API listening on 127.0.0.1 (random port).
pub struct FakeApi {
    addr: std::net::SocketAddr,
    prefix: String,
    shared: Arc<Shared>,
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
        self.shared
            .statuses
            .lock()
            .expect("statuses lock")
            .insert(call_path.to_owned(), status);
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

fn diagnostics(shared: &Shared) -> String {
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

    let chosen = shared.statuses.lock().expect("statuses lock").get(&call_path).copied();
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
    if let Some(status) = chosen {
        return Ok(status_response(status, "chosen by the test"));
    }
    if in_api && is_post_route {
        return Ok(status_response(202, "OK"));
    }
    Ok(status_response(404, "no such Runtime API route"))
}

fn status_response(status: u16, message: &str) -> Response<Full<Bytes>> {
    let body = serde_json::json!({ "errorMessage": message, "errorType": format!("Status{status}") });
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = StatusCode::from_u16(status).expect("valid status");
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The `bootstrap` under test: a child process, killed on drop, whose output is collected.
pub struct Bootstrap {
    child: Child,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    readers: Vec<JoinHandle<()>>,
    status: Option<ExitStatus>,
    api: Option<Arc<Shared>>,
}

/// The environment Lambda gives a function, minus `AWS_LAMBDA_RUNTIME_API` and `_HANDLER`.
pub fn lambda_env() -> Vec<(&'static str, String)> {
    vec![
        ("AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME.into()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", MEMORY_MB.to_string()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
        ("AWS_REGION", "eu-west-3".into()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{FUNCTION_NAME}")),
        (
            "AWS_LAMBDA_LOG_STREAM_NAME",
            "2026/11/25/[$LATEST]0123456789abcdef".into(),
        ),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".into()),
        ("HTTP_PROXY", DEAD_PROXY.into()),
        ("http_proxy", DEAD_PROXY.into()),
        ("ALL_PROXY", DEAD_PROXY.into()),
    ]
}

/// A command for the bootstrap with a cleared environment plus [`lambda_env`], `_HANDLER` (unless
/// `None`) and `AWS_LAMBDA_RUNTIME_API` (unless `None`).
pub fn command(runtime_api: Option<&str>, handler: Option<&str>) -> Command {
    let mut command = Command::new(bootstrap_path());
    command.env_clear().envs(lambda_env());
    if let Some(api) = runtime_api {
        command.env("AWS_LAMBDA_RUNTIME_API", api);
    }
    if let Some(handler) = handler {
        command.env("_HANDLER", handler);
    }
    command
}

impl Bootstrap {
    /// Starts the bootstrap serving `handler` against `api` (`AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>`).
    pub fn start(api: &FakeApi, handler: &str) -> Self {
        Self::spawn(command(Some(&api.host_port()), Some(handler)), Some(api))
    }

    /// Starts `command`; its stderr shows in `api`'s failure messages.
    pub fn spawn(mut command: Command, api: Option<&FakeApi>) -> Self {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("the bootstrap starts");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let readers = vec![
            tokio::spawn(drain(child.stdout.take().expect("piped stdout"), Arc::clone(&stdout))),
            tokio::spawn(drain(child.stderr.take().expect("piped stderr"), Arc::clone(&stderr))),
        ];
        if let Some(api) = api {
            api.shared
                .stderrs
                .lock()
                .expect("stderrs lock")
                .push(Arc::clone(&stderr));
        }
        Bootstrap {
            child,
            stdout,
            stderr,
            readers,
            status: None,
            api: api.map(|api| Arc::clone(&api.shared)),
        }
    }

    /// Waits for the process to exit (panics after [`TIMEOUT`] with the API's requests and the stderr);
    /// returns its status, with its output fully read.
    pub async fn exit_status(&mut self) -> ExitStatus {
        if let Some(status) = self.status {
            return status;
        }
        let status = match tokio::time::timeout(TIMEOUT, self.child.wait()).await {
            Ok(status) => status.expect("wait for the bootstrap"),
            Err(_) => panic!(
                "the bootstrap did not exit within {TIMEOUT:?}\n{}stderr:\n{}",
                self.api.as_deref().map(diagnostics).unwrap_or_default(),
                self.stderr()
            ),
        };
        for reader in self.readers.drain(..) {
            let _ = tokio::time::timeout(TIMEOUT, reader).await;
        }
        self.status = Some(status);
        status
    }

    /// Waits until the stderr satisfies `done` (panics after [`TIMEOUT`] naming `what`); returns it.
    pub async fn wait_stderr(&self, what: &str, mut done: impl FnMut(&str) -> bool) -> String {
        let started = std::time::Instant::now();
        loop {
            let stderr = self.stderr();
            if done(&stderr) {
                return stderr;
            }
            if started.elapsed() > TIMEOUT {
                panic!("timed out after {TIMEOUT:?} waiting for {what} on stderr:\n{stderr}");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.status.is_none() && matches!(self.child.try_wait(), Ok(None))
    }

    /// What it printed on stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().expect("stderr lock")).into_owned()
    }

    /// What it printed on stdout so far.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout.lock().expect("stdout lock")).into_owned()
    }
}

async fn drain(mut from: impl tokio::io::AsyncRead + Unpin, into: Arc<Mutex<Vec<u8>>>) {
    let mut buf = [0u8; 8192];
    loop {
        match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => into.lock().expect("output lock").extend_from_slice(&buf[..n]),
        }
    }
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
