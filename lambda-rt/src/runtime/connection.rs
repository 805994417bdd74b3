//! One HTTP/1.1 connection to the Runtime API: writes a request, reads the whole response into a
//! buffer the connection keeps from one request to the next.
//!
//! The Runtime API is one server on the loopback interface that the loop asks one thing at a time, so
//! this client needs none of what a general one carries (pool, dispatcher task, channels, body frames,
//! header maps): a request is one `writev` of a head built in a reused buffer and the body, the
//! response head is parsed in place by `httparse` (hyper's parser), headers are looked up where they
//! lie, and the body is handed on as a slice of the read buffer. In the steady state an invocation
//! allocates nothing here: once the event (a `Bytes` view of the buffer) is dropped, the next read
//! reuses the same memory. A body produced over time (a streaming response) is sent with chunked
//! transfer coding and trailers instead: `start_chunked`, `write_chunk`, `finish_chunked`.
//!
//! Bodies framed by `Content-Length`, by chunked transfer coding (decoded in place) and by the end of
//! the connection are read; `1xx` answers are skipped. This module knows HTTP, not Lambda: paths and
//! header names are the caller's.

use std::fmt;
use std::io::{IoSlice, Write as _};
use std::ops::Range;
use std::pin::Pin;
use std::task::Poll;

use bytes::{Buf as _, Bytes, BytesMut};
use tokio::io::{AsyncReadExt as _, AsyncWrite as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// Headers parsed without allocating (the Runtime API sends about ten). An answer with more is parsed
/// again with room for as many as its head can hold: there is no limit on the count, only on the
/// head's size.
const STACK_HEADERS: usize = 64;
/// Largest response head accepted: a server sending more is not the Runtime API.
const MAX_HEAD: usize = 64 * 1024;
/// What a read asks the socket for when the size of what comes is not known.
const READ_SIZE: usize = 8 * 1024;
/// Most memory reserved ahead for a body of announced length; larger bodies grow as they arrive, so a
/// wrong `Content-Length` cannot make the process reserve gigabytes.
const MAX_RESERVE: usize = 16 * 1024 * 1024;
/// Largest read buffer kept for the next response. A body bigger than this (a multi-megabyte event)
/// leaves with its buffer, which is freed as soon as the event is decoded instead of staying around.
const KEEP_BUFFER: usize = 256 * 1024;

/// Why a request got no usable response.
#[derive(Debug)]
pub(crate) enum HttpError {
    /// The request could not be written, or the connection ended before a byte of the answer: the
    /// server may not have seen the request, and sending it again on a new connection is the remedy.
    NotAnswered(String),
    /// The answer broke off or is not HTTP/1.1. The connection is unusable.
    Broken(String),
    /// The answer's head arrived whole (its status and headers are here), then its body broke off.
    /// The connection is unusable.
    BodyBroken {
        /// The answer's status.
        status: u16,
        /// The answer's headers, as they came.
        headers: Vec<(String, String)>,
        /// What went wrong in the body.
        why: String,
    },
    /// The request itself cannot be written (a path or header value HTTP does not allow).
    Invalid(String),
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::NotAnswered(why)
            | HttpError::Broken(why)
            | HttpError::Invalid(why)
            | HttpError::BodyBroken { why, .. } => f.write_str(why),
        }
    }
}

/// A request: `method`, a path given in pieces (written one after the other, so callers need not
/// join them), extra headers and the body. `Host` and, with a body, `Content-Length` are added.
pub(crate) struct Request<'a> {
    pub(crate) method: &'static str,
    pub(crate) path: &'a [&'a str],
    pub(crate) headers: &'a [(&'static str, &'a str)],
    pub(crate) body: Option<&'a [u8]>,
}

/// Where one header of the current response lies in the read buffer.
struct HeaderSpan {
    name: Range<usize>,
    value: Range<usize>,
}

/// How the body of a response is delimited (RFC 9112, section 6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Empty,
    Length(usize),
    Chunked,
    UntilClose,
}

/// An open connection.
pub(crate) struct Connection {
    stream: TcpStream,
    /// Bytes read and not consumed: the current response, then anything the server sent after it.
    buffer: BytesMut,
    /// The current response's headers, as positions in `buffer`.
    headers: Vec<HeaderSpan>,
    /// The request head being written; kept for its capacity.
    head: Vec<u8>,
    /// Bytes at the front of `buffer` that belong to the last response and were not taken.
    consumed: usize,
    /// Where the last response's body lies in `buffer`.
    body: Range<usize>,
    /// False once the server said `Connection: close`, framed a body by closing, or broke off.
    reusable: bool,
}

impl Connection {
    /// Connects to `authority` (`host:port`).
    pub(crate) async fn open(authority: &str) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(authority).await?;
        // Requests are written whole; waiting to coalesce them only adds latency.
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream,
            buffer: BytesMut::with_capacity(READ_SIZE),
            headers: Vec::with_capacity(16),
            head: Vec::with_capacity(256),
            consumed: 0,
            body: 0..0,
            reusable: true,
        })
    }

    /// Whether another request may be sent on this connection.
    pub(crate) fn is_reusable(&self) -> bool {
        self.reusable
    }

    /// Sends `request` as `Host: host` and reads the whole response; returns its status. Its headers
    /// and body stay readable ([`header`](Self::header), [`body`](Self::body),
    /// [`take_body`](Self::take_body)) until the next request.
    ///
    /// While the request is written the connection is watched for an early answer (RFC 9112, section
    /// 9.5: a server may answer, say 413, before it has read the whole body, and close): the rest of
    /// the body is then not sent and that answer is the one returned. A request whose writing fails
    /// gets the answer the server managed to send before it closed, if any.
    pub(crate) async fn send(&mut self, host: &str, request: &Request<'_>) -> Result<u16, HttpError> {
        self.forget_answer();
        self.write_head(host, request)?;
        let body = request.body.unwrap_or_default();
        let slices = &mut [IoSlice::new(&self.head), IoSlice::new(body)];
        match write_watching_for_an_answer(&mut self.stream, slices, &mut self.buffer).await {
            Ok(Written::All) => {}
            Ok(Written::AnsweredEarly) => {
                // The server did not take the whole request; the framing of this connection is lost.
                self.reusable = false;
            }
            Err(e) => {
                self.reusable = false;
                // A server that answered early and closed leaves its answer readable after the error;
                // only then is there something to read without waiting (the peer has closed).
                let closed = matches!(
                    e.kind(),
                    std::io::ErrorKind::BrokenPipe
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                );
                if closed || !self.buffer.is_empty() {
                    match self.read_answer().await {
                        Ok(status) => return Ok(status),
                        // The status came whole: it is the answer, whatever happened to its body.
                        Err(broken @ HttpError::BodyBroken { .. }) => return Err(broken),
                        Err(_) => {}
                    }
                }
                return Err(HttpError::NotAnswered(format!("sending the request failed: {e}")));
            }
        }
        self.read_answer().await
    }

    /// Whether the server has closed this idle connection (or sent something unasked), as far as the
    /// socket already knows, without waiting. Checked before a request that cannot be sent twice.
    pub(crate) fn closed_by_peer(&mut self) -> bool {
        let mut probe = [0u8; 1];
        match self.stream.try_read(&mut probe) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => false,
            // End of stream, an error, or bytes nobody asked for: not a connection to send on.
            _ => {
                self.reusable = false;
                true
            }
        }
    }

    /// The value of the last response's first header named `name` (ASCII case-insensitive), trimmed;
    /// `None` when it is missing or not UTF-8.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let buffer = &self.buffer;
        self.headers
            .iter()
            .find(|h| buffer[h.name.clone()].eq_ignore_ascii_case(name.as_bytes()))
            .and_then(|h| std::str::from_utf8(buffer[h.value.clone()].trim_ascii()).ok())
    }

    /// The last response's body.
    pub(crate) fn body(&self) -> &[u8] {
        &self.buffer[self.body.clone()]
    }

    /// Takes the last response's body out of the buffer without copying it (its headers go with it).
    pub(crate) fn take_body(&mut self) -> Bytes {
        let big = self.buffer.capacity() > KEEP_BUFFER;
        let mut response = self.buffer.split_to(self.consumed);
        self.consumed = 0;
        self.headers.clear();
        if big {
            // Let the body own its big buffer alone, so that it is freed with the body.
            self.buffer = BytesMut::from(&self.buffer[..]);
        }
        let body = std::mem::replace(&mut self.body, 0..0);
        response.advance(body.start);
        response.truncate(body.len());
        response.freeze()
    }

    /// Starts a request whose body is sent in chunks (`Transfer-Encoding: chunked`) as it is produced:
    /// writes the head; [`write_chunk`](Self::write_chunk) sends each piece and
    /// [`finish_chunked`](Self::finish_chunked) ends the body, with trailers, and reads the answer.
    /// `request.body` is ignored.
    pub(crate) async fn start_chunked(&mut self, host: &str, request: &Request<'_>) -> Result<(), HttpError> {
        self.forget_answer();
        self.write_head(host, &Request { body: None, ..*request })?;
        // Turn the head's final blank line into the Transfer-Encoding header and a blank line.
        self.head.truncate(self.head.len() - 2);
        self.head.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
        if let Err(e) = self.write_all(&[]).await {
            self.reusable = false;
            return Err(HttpError::NotAnswered(format!("sending the request failed: {e}")));
        }
        Ok(())
    }

    /// Sends one chunk of a chunked body (nothing for an empty one, which would end the body).
    pub(crate) async fn write_chunk(&mut self, data: &[u8]) -> Result<(), HttpError> {
        if data.is_empty() {
            return Ok(());
        }
        self.head.clear();
        // Writing into a Vec cannot fail.
        let _ = write!(self.head, "{:x}\r\n", data.len());
        let mut slices = [IoSlice::new(&self.head), IoSlice::new(data), IoSlice::new(b"\r\n")];
        if let Err(e) = write_vectored_all(&mut self.stream, &mut slices).await {
            self.reusable = false;
            return Err(HttpError::Broken(format!("sending a chunk of the body failed: {e}")));
        }
        Ok(())
    }

    /// Ends a chunked body with `trailers` (which the head should have announced in `Trailer`) and
    /// reads the answer; returns its status, like [`send`](Self::send).
    pub(crate) async fn finish_chunked(&mut self, trailers: &[(&'static str, &str)]) -> Result<u16, HttpError> {
        self.head.clear();
        self.head.extend_from_slice(b"0\r\n");
        for (name, value) in trailers {
            if let Err(e) = check_field_value(name, value, "trailer") {
                self.reusable = false;
                return Err(e);
            }
            self.head.extend_from_slice(name.as_bytes());
            self.head.extend_from_slice(b": ");
            self.head.extend_from_slice(value.as_bytes());
            self.head.extend_from_slice(b"\r\n");
        }
        self.head.extend_from_slice(b"\r\n");
        if let Err(e) = self.write_all(&[]).await {
            self.reusable = false;
            return Err(HttpError::Broken(format!("ending the body failed: {e}")));
        }
        self.read_answer().await
    }

    /// Drops what is left of the previous answer before a new request.
    fn forget_answer(&mut self) {
        self.buffer.advance(self.consumed);
        self.consumed = 0;
        self.body = 0..0;
        self.headers.clear();
    }

    /// Reads the answer to the request just sent; a connection whose answer failed is not reused.
    async fn read_answer(&mut self) -> Result<u16, HttpError> {
        let read = self.read_response().await;
        if read.is_err() {
            self.reusable = false;
            self.headers.clear();
        }
        read
    }

    /// The headers of the answer being read, copied out (for an error that outlives the buffer).
    fn copy_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|h| {
                let text = |range: &Range<usize>| {
                    String::from_utf8_lossy(self.buffer[range.clone()].trim_ascii()).into_owned()
                };
                (text(&h.name), text(&h.value))
            })
            .collect()
    }

    /// Builds the request head in `self.head`, refusing what would corrupt it.
    fn write_head(&mut self, host: &str, request: &Request<'_>) -> Result<(), HttpError> {
        let head = &mut self.head;
        head.clear();
        head.extend_from_slice(request.method.as_bytes());
        head.push(b' ');
        for piece in request.path {
            if !piece.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(HttpError::Invalid(format!(
                    "{piece:?} cannot be part of a URL path (spaces or control characters)"
                )));
            }
            head.extend_from_slice(piece.as_bytes());
        }
        head.extend_from_slice(b" HTTP/1.1\r\nHost: ");
        head.extend_from_slice(host.as_bytes());
        for (name, value) in request.headers {
            check_field_value(name, value, "header")?;
            head.extend_from_slice(b"\r\n");
            head.extend_from_slice(name.as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(value.as_bytes());
        }
        if let Some(body) = request.body {
            head.extend_from_slice(b"\r\nContent-Length: ");
            head.extend_from_slice(itoa::Buffer::new().format(body.len()).as_bytes());
        }
        head.extend_from_slice(b"\r\n\r\n");
        Ok(())
    }

    /// Writes the head and `body` with as few system calls as the socket allows (one, usually).
    async fn write_all(&mut self, body: &[u8]) -> std::io::Result<()> {
        write_vectored_all(&mut self.stream, &mut [IoSlice::new(&self.head), IoSlice::new(body)]).await
    }

    /// Reads one response: the head (skipping `1xx` ones), then the whole body. Returns the status and
    /// where the body lies in the buffer.
    async fn read_response(&mut self) -> Result<u16, HttpError> {
        let mut interim = false;
        let (status, head_len, framing) = loop {
            match self.parse_head()? {
                Some((status, head_len, _)) if (100..200).contains(&status) => {
                    self.buffer.advance(head_len);
                    interim = true;
                }
                Some(head) => break head,
                None if self.buffer.len() > MAX_HEAD => {
                    return Err(HttpError::Broken(format!(
                        "the answer's head is longer than {MAX_HEAD} bytes"
                    )));
                }
                None => {
                    let answered = interim || !self.buffer.is_empty();
                    let closed = |why: String| match answered {
                        true => HttpError::Broken(format!("the connection broke off in the answer's head: {why}")),
                        false => HttpError::NotAnswered(format!("the connection closed without an answer: {why}")),
                    };
                    match self.fill(READ_SIZE).await {
                        Ok(0) => return Err(closed("end of stream".to_owned())),
                        Ok(_) => {}
                        Err(e) => return Err(closed(e.to_string())),
                    }
                }
            }
        };
        let body = self.read_body(head_len, framing).await;
        let (body_end, consumed) = body.map_err(|e| match e {
            HttpError::Broken(why) => HttpError::BodyBroken {
                status,
                headers: self.copy_headers(),
                why,
            },
            other => other,
        })?;
        self.consumed = consumed;
        self.body = head_len..body_end;
        Ok(status)
    }

    /// Reads the body of an answer whose head is `head_len` bytes, framed as `framing`; returns where
    /// the body ends in the buffer and where the answer ends.
    async fn read_body(&mut self, head_len: usize, framing: Framing) -> Result<(usize, usize), HttpError> {
        Ok(match framing {
            Framing::Empty => (head_len, head_len),
            Framing::Length(length) => {
                let end = head_len
                    .checked_add(length)
                    .ok_or_else(|| HttpError::Broken(format!("Content-Length {length} is not a size")))?;
                self.fill_to(end).await?;
                (end, end)
            }
            Framing::Chunked => self.read_chunked(head_len).await?,
            Framing::UntilClose => {
                self.reusable = false;
                loop {
                    match self.fill(READ_SIZE).await {
                        Ok(0) => break,
                        Ok(_) => {}
                        Err(e) => return Err(HttpError::Broken(format!("reading the answer's body failed: {e}"))),
                    }
                }
                (self.buffer.len(), self.buffer.len())
            }
        })
    }

    /// Parses the response head at the front of the buffer, recording its headers; `None` when it is
    /// not all there yet.
    fn parse_head(&mut self) -> Result<Option<(u16, usize, Framing)>, HttpError> {
        let mut on_stack = [httparse::EMPTY_HEADER; STACK_HEADERS];
        match self.parse_head_with(&mut on_stack) {
            Err(httparse::Error::TooManyHeaders) => {
                // Every header line takes at least three bytes (`a:` and a line end), so this is room
                // for all the headers the buffer can hold.
                let mut on_heap = vec![httparse::EMPTY_HEADER; self.buffer.len() / 3 + 1];
                self.parse_head_with(&mut on_heap)
            }
            other => other,
        }
        .map_err(|e| HttpError::Broken(format!("the answer is not HTTP/1.1: {e}")))?
    }

    /// [`parse_head`](Self::parse_head) with room for `headers.len()` headers; the outer error is
    /// httparse's, the inner one a head that parses but cannot be used.
    #[allow(clippy::type_complexity)]
    fn parse_head_with<'b>(
        &'b mut self,
        headers: &mut [httparse::Header<'b>],
    ) -> Result<Result<Option<(u16, usize, Framing)>, HttpError>, httparse::Error> {
        let mut response = httparse::Response::new(headers);
        let head_len = match response.parse(&self.buffer)? {
            httparse::Status::Complete(len) => len,
            httparse::Status::Partial => return Ok(Ok(None)),
        };
        // Records the headers of the parsed head and works out how its body is framed.
        let mut read_head = || -> Result<Option<(u16, usize, Framing)>, HttpError> {
            let status = response.code.unwrap_or_default();
            let base = self.buffer.as_ptr() as usize;
            let span = |part: &[u8]| {
                let start = part.as_ptr() as usize - base;
                start..start + part.len()
            };
            let mut length: Option<usize> = None;
            let mut chunked = false;
            let mut transfer_encoded = false;
            // HTTP/1.0 closes after each answer unless it says otherwise; HTTP/1.1 keeps the connection.
            let mut keep_alive = response.version == Some(1);
            // The head is whole: an answer whose body cannot be framed still says its status and headers
            // (a request id, say), so that the caller can act on them.
            let unframed = |why: String| HttpError::BodyBroken {
                status,
                headers: response
                    .headers
                    .iter()
                    .map(|h| (h.name.to_owned(), String::from_utf8_lossy(h.value).trim().to_owned()))
                    .collect(),
                why,
            };
            self.headers.clear();
            for header in response.headers.iter() {
                self.headers.push(HeaderSpan {
                    name: span(header.name.as_bytes()),
                    value: span(header.value),
                });
                let value = header.value;
                if header.name.eq_ignore_ascii_case("content-length") {
                    let parsed = std::str::from_utf8(value)
                        .ok()
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .ok_or_else(|| unframed(format!("bad Content-Length {:?}", String::from_utf8_lossy(value))))?;
                    if length.is_some_and(|other| other != parsed) {
                        return Err(unframed(
                            "the answer has two different Content-Length headers".to_owned(),
                        ));
                    }
                    length = Some(parsed);
                } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
                    transfer_encoded = true;
                    // Chunked must be the last coding applied.
                    chunked = tokens(value).last().is_some_and(|t| t.eq_ignore_ascii_case(b"chunked"));
                } else if header.name.eq_ignore_ascii_case("connection") {
                    for token in tokens(value) {
                        if token.eq_ignore_ascii_case(b"close") {
                            keep_alive = false;
                        } else if token.eq_ignore_ascii_case(b"keep-alive") {
                            keep_alive = true;
                        }
                    }
                }
            }
            let framing = match (status, transfer_encoded, chunked, length) {
                (100..=199 | 204 | 304, ..) => Framing::Empty,
                (_, true, true, _) => Framing::Chunked,
                (_, true, false, _) => Framing::UntilClose,
                (_, false, _, Some(0)) => Framing::Empty,
                (_, false, _, Some(length)) => Framing::Length(length),
                (_, false, _, None) => Framing::UntilClose,
            };
            if !keep_alive {
                self.reusable = false;
            }
            Ok(Some((status, head_len, framing)))
        };
        Ok(read_head())
    }

    /// Decodes a chunked body that starts at `start` in place: each chunk's data is moved down over
    /// the chunk-size lines before it. Returns where the decoded body ends and where the response ends.
    async fn read_chunked(&mut self, start: usize) -> Result<(usize, usize), HttpError> {
        let mut decoded_end = start;
        let mut next = start;
        loop {
            let (size_len, size) = match httparse::parse_chunk_size(&self.buffer[next..]) {
                Ok(httparse::Status::Complete(found)) => found,
                Ok(httparse::Status::Partial) => {
                    self.fill_more("a chunk size").await?;
                    continue;
                }
                Err(_) => return Err(HttpError::Broken("the answer has a malformed chunk size".to_owned())),
            };
            let data = next + size_len;
            if size == 0 {
                next = data;
                return loop {
                    let mut trailers = [httparse::EMPTY_HEADER; 16];
                    match httparse::parse_headers(&self.buffer[next..], &mut trailers) {
                        Ok(httparse::Status::Complete((len, _))) => break Ok((decoded_end, next + len)),
                        Ok(httparse::Status::Partial) => self.fill_more("the trailers").await?,
                        Err(e) => return Err(HttpError::Broken(format!("the answer's trailers are malformed: {e}"))),
                    }
                };
            }
            let end = usize::try_from(size)
                .ok()
                .and_then(|size| data.checked_add(size)?.checked_add(2))
                .ok_or_else(|| HttpError::Broken(format!("chunk size {size} is not a size")))?;
            self.fill_to(end).await?;
            if &self.buffer[end - 2..end] != b"\r\n" {
                return Err(HttpError::Broken(
                    "a chunk of the answer does not end with CRLF".to_owned(),
                ));
            }
            self.buffer.copy_within(data..end - 2, decoded_end);
            decoded_end += end - 2 - data;
            next = end;
        }
    }

    /// Reads until the buffer holds `end` bytes.
    async fn fill_to(&mut self, end: usize) -> Result<(), HttpError> {
        while self.buffer.len() < end {
            let missing = end - self.buffer.len();
            match self.fill(missing.min(MAX_RESERVE)).await {
                Ok(0) => {
                    return Err(HttpError::Broken(format!(
                        "the connection closed {missing} bytes before the end of the answer"
                    )));
                }
                Ok(_) => {}
                Err(e) => return Err(HttpError::Broken(format!("reading the answer failed: {e}"))),
            }
        }
        Ok(())
    }

    /// Reads at least one more byte of `what`.
    async fn fill_more(&mut self, what: &str) -> Result<(), HttpError> {
        match self.fill(READ_SIZE).await {
            Ok(0) => Err(HttpError::Broken(format!("the connection closed before {what}"))),
            Ok(_) => Ok(()),
            Err(e) => Err(HttpError::Broken(format!("reading {what} failed: {e}"))),
        }
    }

    /// One read of up to (about) `size` more bytes into the buffer; 0 at the end of the stream.
    async fn fill(&mut self, size: usize) -> std::io::Result<usize> {
        self.buffer.reserve(size);
        self.stream.read_buf(&mut self.buffer).await
    }
}

/// Refuses a header or trailer value with control characters (tab aside), which would end the field
/// early and let the rest pass for fields or a body of its own.
fn check_field_value(name: &str, value: &str, kind: &str) -> Result<(), HttpError> {
    if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
        return Err(HttpError::Invalid(format!(
            "{value:?} cannot be the value of the {name} {kind} (control characters)"
        )));
    }
    Ok(())
}

/// How [`write_watching_for_an_answer`] ended.
enum Written {
    /// Everything was written.
    All,
    /// The server began to answer before it had the whole request; the rest was not sent.
    AnsweredEarly,
}

/// Writes all of `slices` (one `writev` when the socket takes it all, as it does for any request
/// smaller than the socket's buffer), reading into `buffer` whatever the server sends meanwhile: when
/// the socket is full and an answer begins, writing stops.
async fn write_watching_for_an_answer(
    stream: &mut TcpStream,
    slices: &mut [IoSlice<'_>],
    buffer: &mut BytesMut,
) -> std::io::Result<Written> {
    enum Step {
        Wrote(std::io::Result<usize>),
        Readable(std::io::Result<()>),
    }
    let mut rest = slices;
    while !rest.is_empty() {
        let step = std::future::poll_fn(|cx| {
            if let Poll::Ready(written) = Pin::new(&mut *stream).poll_write_vectored(cx, rest) {
                return Poll::Ready(Step::Wrote(written));
            }
            stream.poll_read_ready(cx).map(Step::Readable)
        })
        .await;
        match step {
            Step::Wrote(Ok(0)) => return Err(std::io::ErrorKind::WriteZero.into()),
            Step::Wrote(Ok(written)) => IoSlice::advance_slices(&mut rest, written),
            Step::Wrote(Err(e)) | Step::Readable(Err(e)) => return Err(e),
            Step::Readable(Ok(())) => match stream.try_read_buf(buffer) {
                Ok(0) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the server closed the connection while the request was being sent",
                    ));
                }
                // Only a final answer stops the body: a `100 Continue` or a stray line end does not.
                Ok(_) if final_answer_began(buffer) => return Ok(Written::AnsweredEarly),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            },
        }
    }
    Ok(Written::All)
}

/// Whether `buffer` holds the whole head of a final answer (status 200 or more), after any `1xx` ones;
/// an answer that is not HTTP counts too, so that reading it reports the error.
fn final_answer_began(buffer: &[u8]) -> bool {
    let mut rest = buffer;
    loop {
        let mut headers = [httparse::EMPTY_HEADER; STACK_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(rest) {
            Ok(httparse::Status::Complete(len)) if response.code.is_some_and(|c| c < 200) => rest = &rest[len..],
            Ok(httparse::Status::Complete(_)) => return true,
            Ok(httparse::Status::Partial) => return false,
            Err(_) => return true,
        }
    }
}

/// Writes all of `slices`, with one `writev` when the socket takes it all.
async fn write_vectored_all(stream: &mut TcpStream, slices: &mut [IoSlice<'_>]) -> std::io::Result<()> {
    let mut rest = slices;
    while !rest.is_empty() {
        let written = stream.write_vectored(rest).await?;
        if written == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        IoSlice::advance_slices(&mut rest, written);
    }
    Ok(())
}

/// The comma-separated tokens of a header value, trimmed.
fn tokens(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|b| *b == b',').map(<[u8]>::trim_ascii)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    /// A server on 127.0.0.1 that, for each scripted answer, reads one request head (and a body of its
    /// Content-Length), records it, and writes the answer in pieces of `piece` bytes.
    async fn server(answers: Vec<&'static [u8]>, piece: usize) -> (String, tokio::task::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut seen = Vec::new();
            let mut pending = Vec::new();
            for answer in answers {
                let request = loop {
                    if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8(pending[..end + 4].to_vec()).unwrap();
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("Content-Length: "))
                            .map_or(0, |v| v.parse().unwrap());
                        if pending.len() >= end + 4 + length {
                            let all: Vec<u8> = pending.drain(..end + 4 + length).collect();
                            break String::from_utf8(all).unwrap();
                        }
                    }
                    let mut chunk = [0; 4096];
                    let n = tokio::io::AsyncReadExt::read(&mut socket, &mut chunk).await.unwrap();
                    if n == 0 {
                        return seen;
                    }
                    pending.extend_from_slice(&chunk[..n]);
                };
                seen.push(request);
                for part in answer.chunks(piece) {
                    socket.write_all(part).await.unwrap();
                    socket.flush().await.unwrap();
                    if piece < answer.len() {
                        tokio::task::yield_now().await;
                    }
                }
            }
            seen
        });
        (addr, task)
    }

    const GET: Request<'static> = Request {
        method: "GET",
        path: &["/a", "/b"],
        headers: &[],
        body: None,
    };

    async fn roundtrip(
        answers: Vec<&'static [u8]>,
        piece: usize,
    ) -> (Vec<(u16, Option<String>, Vec<u8>)>, Vec<String>) {
        let count = answers.len();
        let (addr, server) = server(answers, piece).await;
        let mut connection = Connection::open(&addr).await.unwrap();
        let mut got = Vec::new();
        for _ in 0..count {
            let status = connection.send("h:1", &GET).await.unwrap();
            let header = connection.header("x-id").map(str::to_owned);
            got.push((status, header, connection.take_body().to_vec()));
        }
        drop(connection);
        (got, server.await.unwrap())
    }

    #[tokio::test]
    async fn reads_length_chunked_and_interim_answers_on_one_connection_however_they_are_split() {
        let answers: Vec<&'static [u8]> = vec![
            b"HTTP/1.1 200 OK\r\nX-Id: one\r\nContent-Length: 5\r\n\r\nhello",
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\ncontent-length: 0\r\nx-id:  two \r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-ID: three\r\n\r\n3;ext=1\r\nabc\r\n0a\r\n0123456789\r\n0\r\nTrailer: t\r\n\r\n",
            b"HTTP/1.1 204 No Content\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
        ];
        let expected = vec![
            (200, Some("one".to_owned()), b"hello".to_vec()),
            (202, Some("two".to_owned()), Vec::new()),
            (200, Some("three".to_owned()), b"abc0123456789".to_vec()),
            (204, None, Vec::new()),
            (200, None, b"{}".to_vec()),
        ];
        for piece in [usize::MAX, 1, 7] {
            let (got, requests) = roundtrip(answers.clone(), piece).await;
            assert_eq!(got, expected, "answers written {piece} bytes at a time");
            assert_eq!(requests.len(), 5);
            assert_eq!(requests[0], "GET /a/b HTTP/1.1\r\nHost: h:1\r\n\r\n");
        }
    }

    #[tokio::test]
    async fn writes_headers_and_a_body_with_its_length() {
        let (addr, server) = server(
            vec![b"HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok"],
            usize::MAX,
        )
        .await;
        let mut connection = Connection::open(&addr).await.unwrap();
        let request = Request {
            method: "POST",
            path: &["/x/", "id-1", "/response"],
            headers: &[("Lambda-Runtime-Function-Error-Type", "Runtime.Test")],
            body: Some(b"{\"a\":1}"),
        };
        let status = connection.send("127.0.0.1:9", &request).await.unwrap();
        assert_eq!((status, connection.body()), (202, &b"ok"[..]));
        drop(connection);
        assert_eq!(
            server.await.unwrap(),
            [
                "POST /x/id-1/response HTTP/1.1\r\nHost: 127.0.0.1:9\r\nLambda-Runtime-Function-Error-Type: \
              Runtime.Test\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
            ]
        );
    }

    #[tokio::test]
    async fn writes_a_chunked_body_with_trailers_then_reads_the_answer() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut received = Vec::new();
            // The body ends with the last chunk, the trailers and a blank line.
            while !received.ends_with(b"0\r\nX-Error: e1\r\n\r\n") {
                let mut chunk = [0; 1024];
                let n = tokio::io::AsyncReadExt::read(&mut socket, &mut chunk).await.unwrap();
                assert!(n > 0, "closed early: {:?}", String::from_utf8_lossy(&received));
                received.extend_from_slice(&chunk[..n]);
            }
            socket
                .write_all(b"HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok")
                .await
                .unwrap();
            String::from_utf8(received).unwrap()
        });
        let mut connection = Connection::open(&addr).await.unwrap();
        let request = Request {
            method: "POST",
            path: &["/r"],
            headers: &[("Trailer", "X-Error")],
            body: None,
        };
        connection.start_chunked("h", &request).await.unwrap();
        connection.write_chunk(b"hello ").await.unwrap();
        connection.write_chunk(b"").await.unwrap();
        connection.write_chunk(&[b'x'; 300]).await.unwrap();
        let status = connection.finish_chunked(&[("X-Error", "e1")]).await.unwrap();
        assert_eq!((status, connection.body()), (202, &b"ok"[..]));
        assert_eq!(
            server.await.unwrap(),
            format!(
                "POST /r HTTP/1.1\r\nHost: h\r\nTrailer: X-Error\r\nTransfer-Encoding: chunked\r\n\r\n\
                 6\r\nhello \r\n12c\r\n{}\r\n0\r\nX-Error: e1\r\n\r\n",
                "x".repeat(300)
            )
        );
        assert!(connection.is_reusable());
    }

    #[tokio::test]
    async fn refuses_to_write_what_would_corrupt_the_request() {
        let (addr, _server) = server(vec![], 1).await;
        let mut connection = Connection::open(&addr).await.unwrap();
        for request in [
            Request { path: &["/a b"], ..GET },
            Request {
                path: &["/a\r\nX: y"],
                ..GET
            },
            Request {
                headers: &[("X", "a\r\nInjected: 1")],
                ..GET
            },
        ] {
            assert!(matches!(
                connection.send("h", &request).await,
                Err(HttpError::Invalid(_))
            ));
        }
    }

    #[tokio::test]
    async fn a_body_until_close_is_read_whole_and_the_connection_is_not_reused() {
        let (got, _) = roundtrip(vec![b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it"], 3).await;
        assert_eq!(got, [(200, None, b"all of it".to_vec())]);
        let (addr, _server) = server(
            vec![b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx"],
            1,
        )
        .await;
        let mut connection = Connection::open(&addr).await.unwrap();
        connection.send("h", &GET).await.unwrap();
        assert_eq!(connection.body(), b"x");
        assert!(!connection.is_reusable());
    }

    #[tokio::test]
    async fn failures_say_whether_the_request_may_be_sent_again() {
        let cases: [(&'static [u8], bool); 6] = [
            (b"", true),
            (b"HTTP/1.1 200 OK\r\nContent-", false),
            (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", false),
            (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc", false),
            (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false),
            (b"SMTP ready\r\n\r\n", false),
        ];
        for (answer, may_resend) in cases {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(async move {
                let (mut socket, _) = listener.accept().await.unwrap();
                let mut request = [0; 1024];
                let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut request).await;
                socket.write_all(answer).await.unwrap();
            });
            let mut connection = Connection::open(&addr.to_string()).await.unwrap();
            let error = connection.send("h", &GET).await.err().unwrap();
            let text = String::from_utf8_lossy(answer);
            assert_eq!(
                matches!(error, HttpError::NotAnswered(_)),
                may_resend,
                "{text:?}: {error}"
            );
            assert!(!connection.is_reusable(), "{text:?}");
        }
    }

    #[tokio::test]
    async fn a_small_body_leaves_its_memory_to_the_next_read_and_a_big_one_takes_it_along() {
        let big: &'static [u8] = {
            let mut answer = b"HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n".to_vec();
            answer.resize(answer.len() + 300_000, b'x');
            answer.leak()
        };
        let small: &'static [u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
        let (addr, _server) = server(vec![small, small, big, small], usize::MAX).await;
        let mut connection = Connection::open(&addr).await.unwrap();
        connection.send("h", &GET).await.unwrap();
        let first = connection.take_body();
        let first_at = first.as_ptr();
        drop(first);
        connection.send("h", &GET).await.unwrap();
        let second = connection.take_body();
        assert_eq!(
            second.as_ptr(),
            first_at,
            "the second body reuses the first one's memory"
        );
        drop(second);
        connection.send("h", &GET).await.unwrap();
        let big = connection.take_body();
        assert_eq!(big.len(), 300_000);
        assert!(
            connection.buffer.capacity() <= KEEP_BUFFER,
            "{}",
            connection.buffer.capacity()
        );
        assert!(big.is_unique(), "the big body is the only owner of its buffer");
        connection.send("h", &GET).await.unwrap();
        assert_eq!(&connection.take_body()[..], b"abc");
    }

    /// A server that accepts one connection, reads what comes, writes `interim` once it has read more
    /// than `interim_after` bytes (when given), and writes `answer` once it has read `after` bytes of
    /// the request, then closes (with unread bytes left, which makes the close a reset, as a server
    /// refusing a body does). Its task returns how many bytes it read.
    async fn body_server(
        interim: Option<(&'static [u8], usize)>,
        answer: &'static [u8],
        after: usize,
    ) -> (String, tokio::task::JoinHandle<usize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut seen = 0;
            let mut interim = interim;
            let mut chunk = vec![0; 64 * 1024];
            while seen < after {
                let n = tokio::io::AsyncReadExt::read(&mut socket, &mut chunk).await.unwrap();
                assert!(n > 0, "the client stopped sending after {seen} bytes");
                seen += n;
                if let Some((bytes, _)) = interim.take_if(|(_, when)| seen > *when) {
                    socket.write_all(bytes).await.unwrap();
                }
            }
            socket.write_all(answer).await.unwrap();
            seen
        });
        (addr, task)
    }

    /// Posts `body` to `addr` on a new connection; the connection and its status, within 10 s.
    async fn post_body(addr: &str, body: &[u8]) -> (Connection, Result<u16, HttpError>) {
        let request = Request {
            method: "POST",
            path: &["/r"],
            headers: &[],
            body: Some(body),
        };
        let mut connection = Connection::open(addr).await.unwrap();
        let status = tokio::time::timeout(std::time::Duration::from_secs(10), connection.send("h", &request))
            .await
            .expect("the request ends");
        (connection, status)
    }

    #[tokio::test]
    async fn an_answer_sent_before_the_body_is_read_stops_the_body_and_is_returned() {
        let (addr, server) = body_server(
            None,
            b"HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\nContent-Length: 9\r\n\r\ntoo large",
            64 * 1024,
        )
        .await;
        let body = vec![b'x'; 8 * 1024 * 1024];
        let (connection, status) = post_body(&addr, &body).await;
        assert_eq!((status.unwrap(), connection.body()), (413, &b"too large"[..]));
        assert!(!connection.is_reusable());
        let read = server.await.unwrap();
        assert!(read < body.len(), "the server read {read} bytes, not the whole body");
    }

    #[tokio::test]
    async fn an_interim_answer_while_the_body_is_written_does_not_stop_it() {
        let body = vec![b'x'; 4 * 1024 * 1024];
        // The head and the whole body, with a `100 Continue` sent early on.
        let (addr, server) = body_server(
            Some((b"HTTP/1.1 100 Continue\r\n\r\n", 128 * 1024)),
            b"HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok",
            body.len(),
        )
        .await;
        let (connection, status) = post_body(&addr, &body).await;
        assert_eq!((status.unwrap(), connection.body()), (202, &b"ok"[..]));
        assert!(server.await.unwrap() >= body.len());
    }

    #[tokio::test]
    async fn an_answer_with_many_more_headers_than_fit_on_the_stack_is_read() {
        let mut answer = b"HTTP/1.1 200 OK\r\n".to_vec();
        for i in 0..300 {
            answer.extend_from_slice(format!("X-H{i}: {i}\r\n").as_bytes());
        }
        answer.extend_from_slice(b"X-Id: last\r\nContent-Length: 2\r\n\r\nok");
        let (got, _) = roundtrip(vec![answer.leak()], 5).await;
        assert_eq!(got, [(200, Some("last".to_owned()), b"ok".to_vec())]);
    }

    #[tokio::test]
    async fn a_body_that_breaks_off_after_a_whole_head_keeps_the_status_and_headers() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0; 1024];
            let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut request).await;
            socket
                .write_all(b"HTTP/1.1 200 OK\r\nX-Id: abc\r\nContent-Length: 10\r\n\r\nshort")
                .await
                .unwrap();
        });
        let mut connection = Connection::open(&addr).await.unwrap();
        match connection.send("h", &GET).await {
            Err(HttpError::BodyBroken { status, headers, why }) => {
                assert_eq!(status, 200);
                assert!(headers.contains(&("X-Id".to_owned(), "abc".to_owned())), "{headers:?}");
                assert!(why.contains("5 bytes before the end"), "{why}");
            }
            other => panic!("expected BodyBroken, got {:?}", other.map_err(|e| e.to_string())),
        }
    }

    #[tokio::test]
    async fn an_idle_connection_the_server_closed_is_noticed_before_sending() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let (close, closed) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0; 1024];
            let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut request).await;
            socket
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                .await
                .unwrap();
            let _ = closed.await;
        });
        let mut connection = Connection::open(&addr).await.unwrap();
        connection.send("h", &GET).await.unwrap();
        assert!(!connection.closed_by_peer(), "open and idle");
        assert!(connection.is_reusable());
        close.send(()).unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(connection.closed_by_peer());
        assert!(!connection.is_reusable());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Serves `answer` in pieces of the given sizes (cycled), then closes; returns what `send` did.
        fn answer_split(answer: Vec<u8>, pieces: Vec<usize>) -> Result<u16, String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap().to_string();
                tokio::spawn(async move {
                    let (mut socket, _) = listener.accept().await.unwrap();
                    let mut request = [0; 1024];
                    let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut request).await;
                    let mut rest = &answer[..];
                    for size in pieces.iter().cycle() {
                        if rest.is_empty() {
                            break;
                        }
                        let (now, later) = rest.split_at((*size).clamp(1, rest.len()));
                        if socket.write_all(now).await.is_err() {
                            return;
                        }
                        rest = later;
                        tokio::task::yield_now().await;
                    }
                });
                let mut connection = Connection::open(&addr).await.unwrap();
                let sent = tokio::time::timeout(std::time::Duration::from_secs(5), connection.send("h", &GET));
                let result = sent.await.expect("the parser never hangs on an answer that ends");
                result.map_err(|e| e.to_string())
            })
        }

        /// A prefix that gets the parser past the status line, so that the bytes after it exercise the
        /// headers, framing and bodies.
        fn answers() -> impl Strategy<Value = Vec<u8>> {
            let heads = prop_oneof![
                Just(&b""[..]),
                Just(&b"HTTP/1.1 200 OK\r\n"[..]),
                Just(&b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"[..]),
                Just(&b"HTTP/1.1 202 Accepted\r\nContent-Length: 4\r\n"[..]),
                Just(&b"HTTP/1.1 100 Continue\r\n\r\n"[..]),
            ];
            let tails = prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..300),
                proptest::collection::vec(
                    prop_oneof![
                        Just(b'\r'),
                        Just(b'\n'),
                        Just(b':'),
                        Just(b' '),
                        Just(b'0'),
                        Just(b'a'),
                        Just(b';')
                    ],
                    0..300
                ),
            ];
            (heads, tails).prop_map(|(head, tail)| [head, &tail[..]].concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

            #[test]
            fn any_answer_however_split_ends_in_a_status_or_an_error(
                answer in answers(),
                pieces in proptest::collection::vec(1usize..64, 1..8),
            ) {
                // Never a panic, never a hang; a status only for what parses as HTTP/1.x.
                if let Ok(status) = answer_split(answer.clone(), pieces) {
                    prop_assert!(answer.starts_with(b"HTTP/1."), "status {status} from {answer:?}");
                }
            }
        }
    }
}
