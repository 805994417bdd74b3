//! Response streaming: a handler returns a [`StreamingResponse`] and the runtime sends its body to
//! Lambda while it is produced, instead of encoding one JSON value.
//!
//! On the wire (the Runtime API's streaming mode) the response post carries
//! `Lambda-Runtime-Function-Response-Mode: streaming` and a chunked body. An error before the first
//! piece of the body is an ordinary error post; an error after it is sent in the trailers
//! `Lambda-Runtime-Function-Error-Type` and `Lambda-Runtime-Function-Error-Body` (the error's JSON,
//! base64), since the response has already begun. For a Function URL (or API Gateway) in
//! `RESPONSE_STREAM` mode, [`StreamingResponse::http`] puts the status, headers and cookies first, as a
//! JSON prelude followed by eight NUL bytes.

use std::collections::BTreeMap;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;

use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use serde::Serialize;
use tokio::sync::mpsc;

use crate::error::Error;

/// The body of a streaming response: pieces of bytes, or the error that ends it.
pub(crate) type Body = Pin<Box<dyn Stream<Item = Result<Bytes, Error>>>>;

/// What a streaming response's body is sent as when nobody says otherwise.
const OCTET_STREAM: &str = "application/octet-stream";
/// The content type that tells Lambda the body starts with an [`HttpPrelude`].
const HTTP_INTEGRATION: &str = "application/vnd.awslambda.http-integration-response";

/// A response whose body is sent to the caller while the handler produces it (Lambda response
/// streaming: up to 200 MB, first bytes out before the last are ready).
///
/// Return it from a handler, directly or in a `Result`. The function must be invoked in a streaming
/// mode (a Function URL with `InvokeMode: RESPONSE_STREAM`, or `InvokeWithResponseStream`); a buffered
/// invoke receives the whole body at the end.
///
/// ```
/// use futures_util::stream;
/// use lambda_fn::{handler, Context, Error, StreamingResponse};
///
/// #[handler("count.stream")]
/// async fn count(event: serde_json::Value, _ctx: Context) -> Result<StreamingResponse, Error> {
///     let upto = event["upto"].as_u64().ok_or_else(|| Error::new("BadRequest", "`upto` must be a number"))?;
///     let lines = (1..=upto).map(|i| Ok::<_, Error>(format!("{i}\n")));
///     Ok(StreamingResponse::new(stream::iter(lines)).content_type("text/plain"))
/// }
/// # fn main() {}
/// ```
///
/// A handler that writes as it goes takes a [`BodySender`] from [`StreamingResponse::channel`] into a
/// task of its own and returns the response at once.
pub struct StreamingResponse {
    pub(crate) content_type: String,
    pub(crate) prelude: Option<HttpPrelude>,
    pub(crate) body: Body,
}

impl StreamingResponse {
    /// A response whose body is the pieces `body` yields, in order (`application/octet-stream`). An
    /// `Err` ends the body and is reported to Lambda as the invocation's error: as an ordinary error
    /// when it comes first, in the response's trailers after that.
    pub fn new<S, B, E>(body: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + 'static,
        B: Into<Bytes>,
        E: Into<Error>,
    {
        StreamingResponse {
            content_type: OCTET_STREAM.to_owned(),
            prelude: None,
            body: Box::pin(body.map(|piece| piece.map(Into::into).map_err(Into::into))),
        }
    }

    /// An HTTP response for a Function URL or API Gateway in streaming mode: `prelude` (status,
    /// headers, cookies) first, then `body`.
    ///
    /// ```
    /// use futures_util::stream;
    /// use lambda_fn::{HttpPrelude, StreamingResponse};
    ///
    /// let events = ["data: one\n\n", "data: two\n\n"].map(Ok::<_, lambda_fn::Error>);
    /// let response = StreamingResponse::http(
    ///     HttpPrelude::new(200).header("content-type", "text/event-stream").cookie("seen=1"),
    ///     stream::iter(events),
    /// );
    /// # drop(response);
    /// ```
    pub fn http<S, B, E>(prelude: HttpPrelude, body: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + 'static,
        B: Into<Bytes>,
        E: Into<Error>,
    {
        StreamingResponse {
            content_type: HTTP_INTEGRATION.to_owned(),
            prelude: Some(prelude),
            ..StreamingResponse::new(body)
        }
    }

    /// A response fed through the returned [`BodySender`], which holds up to `buffer` pieces that
    /// were written and not yet sent. The body ends when the sender is dropped (or with
    /// [`BodySender::fail`]).
    ///
    /// ```
    /// use lambda_fn::{handler, Context, StreamingResponse};
    ///
    /// #[handler("ticks.stream")]
    /// async fn ticks(_event: serde_json::Value, _ctx: Context) -> StreamingResponse {
    ///     let (response, mut body) = StreamingResponse::channel(8);
    ///     tokio::spawn(async move {
    ///         for tick in 0..3 {
    ///             if body.send(format!("tick {tick}\n")).await.is_err() {
    ///                 return; // the runtime stopped sending (the connection broke)
    ///             }
    ///         }
    ///     });
    ///     response.content_type("text/plain")
    /// }
    /// # fn main() {}
    /// ```
    pub fn channel(buffer: usize) -> (Self, BodySender) {
        let (sender, mut receiver) = mpsc::channel(buffer.max(1));
        let panicked = Arc::new(AtomicBool::new(false));
        let writer_panicked = Arc::clone(&panicked);
        let body = futures_util::stream::poll_fn(move |cx| match receiver.poll_recv(cx) {
            // The sender is gone: the body is complete, unless it went down with a panic.
            Poll::Ready(None) if panicked.swap(false, Ordering::SeqCst) => Poll::Ready(Some(Err(Error::new(
                crate::error::kind::PANIC,
                "the task writing the streaming response panicked before it finished",
            )))),
            other => other,
        });
        let sender = BodySender {
            sender,
            panicked: writer_panicked,
        };
        (StreamingResponse::new(body), sender)
    }

    /// Sets the body's content type (for a response made by [`new`](Self::new) or
    /// [`channel`](Self::channel); an HTTP response's content type is a header of its prelude).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        if self.prelude.is_none() {
            self.content_type = content_type.into();
        }
        self
    }

    /// The first bytes on the wire: an HTTP response's prelude and its eight NUL bytes, or nothing.
    pub(crate) fn prelude_bytes(&self) -> Result<Vec<u8>, Error> {
        let Some(prelude) = &self.prelude else {
            return Ok(Vec::new());
        };
        let mut bytes = serde_json::to_vec(prelude)
            .map_err(|e| Error::new(crate::error::kind::MARSHAL, format!("the HTTP prelude: {e}")))?;
        bytes.extend_from_slice(&[0; 8]);
        Ok(bytes)
    }
}

impl fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingResponse")
            .field("content_type", &self.content_type)
            .field("prelude", &self.prelude)
            .finish_non_exhaustive()
    }
}

/// The status, headers and cookies of a streamed HTTP response ([`StreamingResponse::http`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpPrelude {
    status_code: u16,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cookies: Vec<String>,
}

impl HttpPrelude {
    /// A prelude with `status_code` and no headers.
    pub fn new(status_code: u16) -> Self {
        HttpPrelude {
            status_code,
            headers: BTreeMap::new(),
            cookies: Vec::new(),
        }
    }

    /// Adds (or replaces) a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Adds a `Set-Cookie` value (Function URLs send cookies apart from the headers).
    pub fn cookie(mut self, cookie: impl Into<String>) -> Self {
        self.cookies.push(cookie.into());
        self
    }
}

/// The writing end of a [`StreamingResponse::channel`].
///
/// If the task holding it panics, the body ends with a `Runtime.Panic` error rather than looking
/// complete.
#[derive(Debug)]
pub struct BodySender {
    sender: mpsc::Sender<Result<Bytes, Error>>,
    panicked: Arc<AtomicBool>,
}

impl Drop for BodySender {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.panicked.store(true, Ordering::SeqCst);
        }
    }
}

/// The error of a [`BodySender`] whose response is no longer being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyClosed;

impl fmt::Display for BodyClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the streaming response is no longer being sent")
    }
}

impl std::error::Error for BodyClosed {}

impl BodySender {
    /// Sends the next piece of the body; waits while `buffer` pieces are queued. Fails when the
    /// runtime stopped sending the response (its connection broke, or a previous piece failed).
    pub async fn send(&mut self, piece: impl Into<Bytes>) -> Result<(), BodyClosed> {
        self.sender.send(Ok(piece.into())).await.map_err(|_| BodyClosed)
    }

    /// Ends the body with an error, reported to Lambda as the invocation's error.
    pub async fn fail(self, error: impl Into<Error>) {
        let _ = self.sender.send(Err(error.into())).await;
    }

    /// Whether the runtime stopped sending the response (a [`send`](Self::send) would fail).
    pub fn is_closed(&self) -> bool {
        self.sender.is_closed()
    }
}
