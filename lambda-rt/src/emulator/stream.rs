//! InvokeWithResponseStream (`POST /2021-11-15/functions/{name}/response-streaming-invocations`): the
//! caller gets the function's response as it is produced, in AWS's event-stream framing
//! (`application/vnd.amazon.eventstream`): a `PayloadChunk` event per piece the runtime posts, then an
//! `InvokeComplete` event with the error, if any, and the log tail.
//!
//! The pieces travel from the Runtime API side (the runtime's chunked response post) to the caller's
//! answer through the invocation's `chunks` channel as each arrives; nothing waits for the whole body.

use std::convert::Infallible;
use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use http::HeaderMap;
use http_body_util::{BodyExt as _, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use tokio::sync::{mpsc, oneshot};

use super::invoke_api::{Accepted, accept_invocation};
use super::logs::tail;
use super::reply::{Reply, empty};
use super::state::{Outcome, Shared};

/// Pieces (and event-stream messages) queued between the two sides before the sender waits.
const QUEUE: usize = 16;
/// The largest payload of one `PayloadChunk` message; bigger pieces are split.
const MAX_CHUNK: usize = 64 * 1024;

/// Serves one InvokeWithResponseStream call.
pub(super) async fn invoke(shared: &Arc<Shared>, name: &str, request: Request<Incoming>) -> Reply {
    // Streaming invocations are synchronous: no `Event` type.
    let accepted = match accept_invocation(shared, name, request, &["RequestResponse", "DryRun"]).await {
        Ok(accepted) => accepted,
        Err(reply) => return reply,
    };
    let Accepted {
        index,
        tail_log,
        tenant_id,
        body,
        ..
    } = accepted;
    let (chunks, pieces) = mpsc::channel(QUEUE);
    let (request_id, outcome) = shared.submit(index, body, tenant_id, Some(chunks));
    let (messages, mut answer) = mpsc::channel::<Bytes>(QUEUE);
    let logs = shared.logs.clone();
    let id = request_id.clone();
    tokio::task::spawn_local(async move {
        let outcome = relay(pieces, outcome, &messages).await;
        let log = logs.take(&id);
        let mut complete = serde_json::Map::new();
        match outcome {
            // A function that answered without streaming: its whole response is one piece.
            Outcome::Response(body) => send_payload(&messages, &body).await,
            Outcome::Error { error_type, body } => {
                complete.insert("ErrorCode".into(), error_type.into());
                complete.insert("ErrorDetails".into(), String::from_utf8_lossy(&body).into());
            }
        }
        if tail_log {
            let encoded = base64::engine::general_purpose::STANDARD.encode(tail(&log));
            complete.insert("LogResult".into(), encoded.into());
        }
        let complete = serde_json::Value::Object(complete).to_string();
        let _ = messages
            .send(message("InvokeComplete", "application/json", complete.as_bytes()))
            .await;
    });
    let body = StreamBody::new(futures_util::stream::poll_fn(move |cx| {
        answer
            .poll_recv(cx)
            .map(|message| message.map(|m| Ok::<_, Infallible>(Frame::data(m))))
    }));
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/vnd.amazon.eventstream")
        .header("x-amzn-requestid", &request_id)
        .header("x-amz-executed-version", &shared.env.function_version)
        .body(body.boxed_unsync())
        .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR))
}

/// Passes each streamed piece on as a `PayloadChunk` message until the invocation ends; returns how
/// it ended. Pieces always come before the end: the Runtime API side sends them before it finishes.
async fn relay(
    mut pieces: mpsc::Receiver<Bytes>,
    mut outcome: oneshot::Receiver<Outcome>,
    messages: &mpsc::Sender<Bytes>,
) -> Outcome {
    let outcome = loop {
        tokio::select! {
            biased;
            Some(piece) = pieces.recv() => send_payload(messages, &piece).await,
            outcome = &mut outcome => break outcome,
        }
    };
    while let Ok(piece) = pieces.try_recv() {
        send_payload(messages, &piece).await;
    }
    Outcome::ended(outcome)
}

/// Reads a streamed response post, handing each piece to `chunks` as it arrives; returns the
/// trailers, or `Err` when the body breaks off or passes `limit` bytes.
pub(super) async fn forward_body(
    mut body: Incoming,
    chunks: &mpsc::Sender<Bytes>,
    limit: usize,
) -> Result<Option<HeaderMap>, ()> {
    let mut received = 0;
    let mut trailers = None;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(drop)?;
        match frame.into_data() {
            Ok(data) => {
                received += data.len();
                if received > limit {
                    return Err(());
                }
                // The caller may have gone; the body is still read to its end.
                let _ = chunks.send(data).await;
            }
            Err(frame) => {
                if let Ok(map) = frame.into_trailers() {
                    trailers = Some(map);
                }
            }
        }
    }
    Ok(trailers)
}

/// Sends `payload` to the caller as `PayloadChunk` messages of at most [`MAX_CHUNK`] bytes. A caller
/// that hung up is not an error: the invocation still runs to its end.
async fn send_payload(messages: &mpsc::Sender<Bytes>, payload: &[u8]) {
    for part in payload.chunks(MAX_CHUNK) {
        let _ = messages
            .send(message("PayloadChunk", "application/octet-stream", part))
            .await;
    }
}

/// One event-stream message: total and header lengths and the CRC-32 of those, the headers (here
/// three strings: event type, content type, `:message-type` = `event`), the payload, and the CRC-32
/// of all that precedes it. All integers big-endian.
fn message(event_type: &str, content_type: &str, payload: &[u8]) -> Bytes {
    const STRING: u8 = 7;
    let mut headers = Vec::with_capacity(64);
    for (name, value) in [
        (":event-type", event_type),
        (":content-type", content_type),
        (":message-type", "event"),
    ] {
        // Names and values here are short constants: their lengths fit the u8 and u16 fields.
        headers.push(name.len() as u8);
        headers.extend_from_slice(name.as_bytes());
        headers.push(STRING);
        headers.extend_from_slice(&(value.len() as u16).to_be_bytes());
        headers.extend_from_slice(value.as_bytes());
    }
    let total = 12 + headers.len() + payload.len() + 4;
    let mut message = Vec::with_capacity(total);
    // A payload is at most MAX_CHUNK bytes, so the total fits in 32 bits.
    message.extend_from_slice(&(total as u32).to_be_bytes());
    message.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    let prelude_crc = crc32fast::hash(&message);
    message.extend_from_slice(&prelude_crc.to_be_bytes());
    message.extend_from_slice(&headers);
    message.extend_from_slice(payload);
    let crc = crc32fast::hash(&message);
    message.extend_from_slice(&crc.to_be_bytes());
    Bytes::from(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_has_its_lengths_headers_payload_and_both_checksums() {
        let m = message("PayloadChunk", "application/octet-stream", b"hello");
        let u32_at = |i: usize| u32::from_be_bytes([m[i], m[i + 1], m[i + 2], m[i + 3]]);
        assert_eq!(u32_at(0) as usize, m.len());
        let headers_len = u32_at(4) as usize;
        assert_eq!(u32_at(8), crc32fast::hash(&m[..8]));
        assert_eq!(u32_at(m.len() - 4), crc32fast::hash(&m[..m.len() - 4]));
        assert_eq!(&m[12 + headers_len..m.len() - 4], b"hello");
        let headers = &m[12..12 + headers_len];
        assert_eq!(headers[0] as usize, ":event-type".len());
        assert_eq!(&headers[1..12], b":event-type");
        assert_eq!(headers[12], 7, "a string value");
        assert_eq!(&headers[13..15], &12u16.to_be_bytes());
        assert_eq!(&headers[15..27], b"PayloadChunk");
    }
}
