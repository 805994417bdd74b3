//! A Runtime API on raw sockets, for fault injection: it speaks HTTP/1.1 byte by byte, so a test can
//! make it answer whole, one byte at a time, late, cut anywhere, reset, with hundreds of headers, or
//! before it has read a request's body, which a well-behaved HTTP server library never does.
//!
//! It keeps the books an exactly-once test needs: which request ids it gave the runtime (a `next`
//! answer whose head was written whole), which posts it accepted (202, one per id: a post for an id
//! already answered is answered 403 `InvalidStateTransition`, as Lambda's Runtime API does), and posts
//! for ids it never gave. An event whose `next` answer broke off inside its head was not given and is
//! queued again.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::{TIMEOUT, VERSION, epoch_ms_in};

/// Which Runtime API call a request is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Next,
    Response(String),
    Error(String),
    InitError,
    Other(String),
}

/// A request as the raw API read it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The connection it came on, numbered from 0 in accept order.
    pub conn: usize,
    pub call: Call,
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked); only what was read for a request answered early.
    pub body: Vec<u8>,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the raw API does with one request (chosen by the test's script).
#[derive(Debug, Clone)]
pub enum Plan {
    /// The normal answer: an event for `next`, 202 (or 403 for an id answered already) for a post.
    Answer,
    /// The normal answer written one byte at a time.
    ByteByByte,
    /// The normal answer after a pause.
    Delay(Duration),
    /// The normal answer, then the connection is closed (a keep-alive timeout while the runtime works).
    AnswerThenClose,
    /// Only the first `n` bytes of the normal answer, then a close. A post is accepted first.
    CutAfter(usize),
    /// A close without a byte of answer (a post is not accepted).
    Close,
    /// A reset without a byte of answer (a post is not accepted).
    Reset,
    /// This status with a JSON error body, keeping the connection (a post is not accepted).
    Status(u16),
    /// For a post: read only `after` bytes of its body, answer `status` with `Connection: close` and
    /// close with the rest unread (which resets the connection), as a server refusing a body does.
    EarlyAnswer { status: u16, after: usize },
    /// For `next`: the event with this many extra headers.
    ManyHeaders(usize),
    /// For `next`: the event under two different `Content-Length` headers (a body nobody can frame).
    TwoLengths,
}

type Script = Box<dyn FnMut(&RawRequest) -> Plan + Send>;

#[derive(Default)]
struct Books {
    queue: VecDeque<(String, Vec<u8>)>,
    requests: Vec<RawRequest>,
    given: HashSet<String>,
    /// Accepted posts by request id: the kind (`response` or `error`) and body of each.
    accepted: HashMap<String, Vec<(String, Vec<u8>)>>,
    /// Posts for request ids the API never gave.
    strays: Vec<Call>,
    connections: usize,
}

struct State {
    books: Mutex<Books>,
    script: Mutex<Script>,
    queued: Notify,
    changed: Notify,
}

/// The raw Runtime API on 127.0.0.1 (random port), under `/2018-06-01`.
pub struct RawApi {
    addr: std::net::SocketAddr,
    state: Arc<State>,
    server: JoinHandle<()>,
}

impl Drop for RawApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl RawApi {
    /// Starts the API; `script` decides what happens to each request.
    pub async fn start(script: impl FnMut(&RawRequest) -> Plan + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            books: Mutex::new(Books::default()),
            script: Mutex::new(Box::new(script)),
            queued: Notify::new(),
            changed: Notify::new(),
        });
        let server = tokio::spawn(accept(listener, Arc::clone(&state)));
        RawApi { addr, state, server }
    }

    /// `127.0.0.1:<port>`, the value for `AWS_LAMBDA_RUNTIME_API`.
    pub fn host_port(&self) -> String {
        self.addr.to_string()
    }

    /// Queues an invocation.
    pub fn push(&self, request_id: &str, event: impl Into<Vec<u8>>) {
        self.books().queue.push_back((request_id.to_owned(), event.into()));
        self.state.queued.notify_waiters();
        self.state.queued.notify_one();
    }

    fn books(&self) -> std::sync::MutexGuard<'_, Books> {
        self.state.books.lock().unwrap()
    }

    /// Waits until every id in `ids` has an accepted post; returns the accepted posts by id.
    pub async fn wait_accepted(&self, ids: &[String]) -> HashMap<String, Vec<(String, Vec<u8>)>> {
        let deadline = tokio::time::Instant::now() + TIMEOUT * 3;
        loop {
            let changed = self.state.changed.notified();
            {
                let books = self.books();
                if ids.iter().all(|id| books.accepted.contains_key(id)) {
                    return books.accepted.clone();
                }
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                let books = self.books();
                let missing: Vec<_> = ids.iter().filter(|id| !books.accepted.contains_key(*id)).collect();
                panic!(
                    "{} invocations have no accepted post, e.g. {:?}; last requests: {:?}",
                    missing.len(),
                    &missing[..missing.len().min(5)],
                    books.requests.iter().rev().take(8).map(|r| &r.call).collect::<Vec<_>>()
                );
            }
        }
    }

    /// Every accepted post so far, by request id.
    pub fn accepted(&self) -> HashMap<String, Vec<(String, Vec<u8>)>> {
        self.books().accepted.clone()
    }

    /// Posts for request ids the API never gave.
    pub fn strays(&self) -> Vec<Call> {
        self.books().strays.clone()
    }

    /// The ids given to the runtime.
    pub fn given(&self) -> HashSet<String> {
        self.books().given.clone()
    }

    /// Every request read so far, in order.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.books().requests.clone()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.books().connections
    }
}

async fn accept(listener: TcpListener, state: Arc<State>) {
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            continue;
        };
        let conn = {
            let mut books = state.books.lock().unwrap();
            books.connections += 1;
            books.connections - 1
        };
        tokio::spawn(serve(socket, conn, Arc::clone(&state)));
    }
}

/// A request's head as read: method, path, headers, and where the body starts in `pending`.
struct Head {
    path: String,
    headers: Vec<(String, String)>,
}

async fn serve(mut socket: TcpStream, conn: usize, state: Arc<State>) {
    let mut pending = Vec::new();
    loop {
        let Some(head) = read_head(&mut socket, &mut pending).await else {
            return;
        };
        let call = call_of(&head.path);
        let mut request = RawRequest {
            conn,
            call,
            headers: head.headers,
            body: Vec::new(),
        };
        // The plan is asked for before the body is read, so that it can refuse a body early.
        let plan = (state.script.lock().unwrap())(&request);
        if let Plan::EarlyAnswer { status, after } = plan {
            request.body = read_some(&mut socket, &mut pending, after).await;
            state.books.lock().unwrap().requests.push(request);
            let body = error_json(status, "RequestEntityTooLarge");
            let answer = answer_bytes(status, &[("Connection", "close".to_owned())], body.as_bytes());
            let _ = socket.write_all(&answer).await;
            // Closing with the rest of the body unread resets the connection.
            return;
        }
        let Some(body) = read_body(&mut socket, &mut pending, &request.headers).await else {
            return;
        };
        request.body = body;
        state.books.lock().unwrap().requests.push(request.clone());
        if !answer(&mut socket, &state, &request, plan).await {
            return;
        }
    }
}

/// Carries out `plan` for `request`; false when the connection is closed.
async fn answer(socket: &mut TcpStream, state: &State, request: &RawRequest, plan: Plan) -> bool {
    let accepts = !matches!(plan, Plan::Close | Plan::Reset | Plan::Status(_));
    let (bytes, given) = match (&request.call, &plan) {
        (_, Plan::Close) => return false,
        (_, Plan::Reset) => {
            let _ = socket.set_zero_linger();
            return false;
        }
        (_, Plan::Status(status)) => {
            let body = error_json(*status, &format!("Status{status}"));
            (answer_bytes(*status, &[], body.as_bytes()), None)
        }
        (Call::Next, _) => {
            let Some((id, event)) = next_event(state).await else {
                return false;
            };
            let mut headers = vec![
                ("Lambda-Runtime-Aws-Request-Id", id.clone()),
                (
                    "Lambda-Runtime-Deadline-Ms",
                    epoch_ms_in(Duration::from_secs(30)).to_string(),
                ),
                ("Lambda-Runtime-Invoked-Function-Arn", super::FUNCTION_ARN.to_owned()),
                ("Lambda-Runtime-Trace-Id", super::trace_id_for(&id)),
                // As Lambda does since 2026: a nonce per invocation, to be echoed on its posts.
                ("Lambda-Runtime-Invocation-Id", invocation_id_for(&id)),
            ];
            let extra = match plan {
                Plan::ManyHeaders(n) => n,
                _ => 0,
            };
            let names: Vec<String> = (0..extra).map(|i| format!("X-Extra-{i}")).collect();
            for (i, name) in names.iter().enumerate() {
                headers.push((name.as_str(), i.to_string()));
            }
            if let Plan::TwoLengths = plan {
                headers.push(("Content-Length", (event.len() + 1).to_string()));
            }
            let bytes = answer_bytes(200, &headers, &event);
            (bytes, Some((id, event)))
        }
        (Call::Response(id) | Call::Error(id), _) => {
            let kind = if matches!(request.call, Call::Response(_)) {
                "response"
            } else {
                "error"
            };
            let mut books = state.books.lock().unwrap();
            let status = if !books.given.contains(id) {
                books.strays.push(request.call.clone());
                400
            } else if books.accepted.contains_key(id) {
                403
            } else {
                if accepts {
                    books
                        .accepted
                        .insert(id.clone(), vec![(kind.to_owned(), request.body.clone())]);
                }
                202
            };
            drop(books);
            state.changed.notify_waiters();
            let body = match status {
                202 => r#"{"status":"OK"}"#.to_owned(),
                403 => error_json(403, "InvalidStateTransition"),
                _ => error_json(400, "InvalidRequestID"),
            };
            (answer_bytes(status, &[], body.as_bytes()), None)
        }
        (Call::InitError, _) => (answer_bytes(202, &[], b"{}"), None),
        (Call::Other(_), _) => (answer_bytes(404, &[], b"{}"), None),
    };
    let head_len = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(bytes.len(), |p| p + 4);
    let sent = match plan {
        Plan::CutAfter(n) => {
            let n = n.min(bytes.len());
            let _ = socket.write_all(&bytes[..n]).await;
            n
        }
        Plan::ByteByByte => {
            for byte in &bytes {
                if socket.write_all(std::slice::from_ref(byte)).await.is_err() {
                    break;
                }
                tokio::task::yield_now().await;
            }
            bytes.len()
        }
        Plan::Delay(pause) => {
            tokio::time::sleep(pause).await;
            let _ = socket.write_all(&bytes).await;
            bytes.len()
        }
        _ => {
            let _ = socket.write_all(&bytes).await;
            bytes.len()
        }
    };
    if let Some((id, event)) = given {
        let mut books = state.books.lock().unwrap();
        if sent >= head_len {
            books.given.insert(id);
        } else {
            // The runtime never saw this id: it is the API's to give again.
            books.queue.push_front((id, event));
        }
    }
    !matches!(plan, Plan::CutAfter(_) | Plan::AnswerThenClose)
}

/// The next queued event, waiting (a long poll) until there is one.
async fn next_event(state: &State) -> Option<(String, Vec<u8>)> {
    loop {
        let queued = state.queued.notified();
        if let Some(event) = state.books.lock().unwrap().queue.pop_front() {
            return Some(event);
        }
        queued.await;
    }
}

fn error_json(status: u16, error_type: &str) -> String {
    serde_json::json!({ "errorMessage": format!("answered {status} by the test"), "errorType": error_type }).to_string()
}

fn answer_bytes(status: u16, headers: &[(&str, String)], body: &[u8]) -> Vec<u8> {
    let mut bytes = format!("HTTP/1.1 {status} Status\r\n").into_bytes();
    for (name, value) in headers {
        bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    bytes.extend_from_slice(
        format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    bytes.extend_from_slice(body);
    bytes
}

fn call_of(path: &str) -> Call {
    let Some(rest) = path.strip_prefix(VERSION) else {
        return Call::Other(path.to_owned());
    };
    if rest == "/runtime/invocation/next" {
        return Call::Next;
    }
    if rest == "/runtime/init/error" {
        return Call::InitError;
    }
    if let Some(tail) = rest.strip_prefix("/runtime/invocation/") {
        if let Some(id) = tail.strip_suffix("/response") {
            return Call::Response(id.to_owned());
        }
        if let Some(id) = tail.strip_suffix("/error") {
            return Call::Error(id.to_owned());
        }
    }
    Call::Other(path.to_owned())
}

/// Reads one more piece into `pending`; false at the end of the stream or on an error.
async fn fill(socket: &mut TcpStream, pending: &mut Vec<u8>) -> bool {
    let mut chunk = [0; 16 * 1024];
    match socket.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            pending.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

async fn read_head(socket: &mut TcpStream, pending: &mut Vec<u8>) -> Option<Head> {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(pending) {
            Ok(httparse::Status::Complete(len)) => {
                let head = Head {
                    path: request.path.unwrap_or_default().to_owned(),
                    headers: request
                        .headers
                        .iter()
                        .map(|h| (h.name.to_owned(), String::from_utf8_lossy(h.value).into_owned()))
                        .collect(),
                };
                pending.drain(..len);
                return Some(head);
            }
            Ok(httparse::Status::Partial) => {
                if !fill(socket, pending).await {
                    return None;
                }
            }
            Err(e) => panic!("the runtime sent a request that is not HTTP: {e}"),
        }
    }
}

/// Up to `limit` bytes of the body (what a server refusing it early reads).
async fn read_some(socket: &mut TcpStream, pending: &mut Vec<u8>, limit: usize) -> Vec<u8> {
    while pending.len() < limit {
        if !fill(socket, pending).await {
            break;
        }
    }
    pending.drain(..limit.min(pending.len())).collect()
}

/// The whole body, by `Content-Length` or chunked (trailers skipped); `None` if the connection ends.
async fn read_body(socket: &mut TcpStream, pending: &mut Vec<u8>, headers: &[(String, String)]) -> Option<Vec<u8>> {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let mut body = Vec::new();
        loop {
            let (size_len, size) = loop {
                match httparse::parse_chunk_size(pending) {
                    Ok(httparse::Status::Complete(found)) => break found,
                    Ok(httparse::Status::Partial) => {
                        if !fill(socket, pending).await {
                            return None;
                        }
                    }
                    Err(_) => panic!("the runtime sent a malformed chunk size"),
                }
            };
            let size = usize::try_from(size).unwrap();
            if size == 0 {
                pending.drain(..size_len);
                // Trailers, then a blank line.
                loop {
                    if let Some(end) = find_blank_line(pending) {
                        pending.drain(..end);
                        return Some(body);
                    }
                    if !fill(socket, pending).await {
                        return None;
                    }
                }
            }
            while pending.len() < size_len + size + 2 {
                if !fill(socket, pending).await {
                    return None;
                }
            }
            body.extend_from_slice(&pending[size_len..size_len + size]);
            pending.drain(..size_len + size + 2);
        }
    }
    let length: usize = header("content-length").map_or(0, |v| v.trim().parse().unwrap());
    while pending.len() < length {
        if !fill(socket, pending).await {
            return None;
        }
    }
    Some(pending.drain(..length).collect())
}

/// The end of a trailer section (`\r\n` alone, or trailers then `\r\n\r\n`).
fn find_blank_line(pending: &[u8]) -> Option<usize> {
    if pending.starts_with(b"\r\n") {
        return Some(2);
    }
    pending.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

/// The `Lambda-Runtime-Invocation-Id` the raw API sends with invocation `request_id`.
pub fn invocation_id_for(request_id: &str) -> String {
    format!("inv-{request_id}")
}
