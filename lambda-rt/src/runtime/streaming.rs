//! Sending a handler's [`StreamingResponse`]: what is checked before anything goes out, when an error
//! is an ordinary error post and when it goes in the trailers, and pulling the body's pieces with
//! panics caught. The wire (chunks, trailers, restarts on a dead connection) is [`api`](super::api)'s.

use std::panic::AssertUnwindSafe;

use bytes::Bytes;
use futures_util::{FutureExt as _, StreamExt as _};

use super::api::{Delivery, Fatal, RuntimeApi, Ticket};
use crate::error::{Error, kind};
use crate::stream::{Body, StreamingResponse};

/// What became of a streaming response: the API's [`Delivery`] of its post, or an error that kept it
/// from beginning (to be posted as the invocation's error).
pub(crate) enum Streamed {
    /// The response post was sent; the API answered this.
    Posted(Delivery),
    /// Nothing was sent: the invocation's answer is this error.
    NotBegun(Error),
}

/// Posts `response` for the invocation of `ticket`. Everything that can fail before the first byte is checked first
/// (the prelude encodes, the content type can be a header, the first piece is not an error), so that
/// such a failure is still an ordinary error post; an error after the response began goes in the
/// trailers.
pub(crate) async fn send(
    api: &mut RuntimeApi,
    ticket: &Ticket,
    response: StreamingResponse,
) -> Result<Streamed, Fatal> {
    let prelude = match response.prelude_bytes() {
        Ok(prelude) => prelude,
        Err(error) => return Ok(Streamed::NotBegun(error)),
    };
    let StreamingResponse {
        content_type,
        body: mut pieces,
        ..
    } = response;
    if content_type.bytes().any(|b| b.is_ascii_control()) || content_type.trim().is_empty() {
        return Ok(Streamed::NotBegun(Error::new(
            kind::MARSHAL,
            format!("the streaming response's content type {content_type:?} cannot be sent as an HTTP header"),
        )));
    }
    let first = match next_piece(&mut pieces).await {
        Some(Err(error)) => return Ok(Streamed::NotBegun(error)),
        Some(Ok(first)) => first,
        None => Bytes::new(),
    };
    let mut post = api.start_stream(ticket, &content_type, [&prelude, &first]).await?;
    drop(first);
    let mut failure = None;
    while let Some(piece) = next_piece(&mut pieces).await {
        match piece {
            Ok(piece) => {
                if let Err(why) = post.write(&piece).await {
                    return Ok(Streamed::Posted(Delivery::Broken(why)));
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
    // Dropping the body now closes a `channel()` sender's side: the handler's task sees it at once.
    drop(pieces);
    Ok(Streamed::Posted(post.finish(failure.as_ref()).await?))
}

/// The next piece of a streaming body; a panic while producing it is the error that ends it.
pub(crate) async fn next_piece(pieces: &mut Body) -> Option<Result<Bytes, Error>> {
    match AssertUnwindSafe(pieces.next()).catch_unwind().await {
        Ok(piece) => piece,
        Err(payload) => Some(Err(super::panic::to_error(payload.as_ref()))),
    }
}
