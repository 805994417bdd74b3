//! Encoding a handler's result as JSON into a buffer that is reused from one invocation to the next.
//!
//! `serde_json::to_vec` starts at 128 bytes and doubles, allocating and copying the response several
//! times on its way to a few kilobytes, every invocation. Instead the loop gives each posted response's
//! buffer back ([`recycle`]) and the next result is encoded into it: after the first few invocations
//! encoding allocates nothing. Buffers grown by a large response are freed rather than kept.

use std::cell::Cell;

use serde::Serialize;

use crate::error::{Error, kind};
use crate::stream::StreamingResponse;

/// What a handler produced: one encoded JSON value, or a body to stream.
#[doc(hidden)]
pub enum Output {
    /// The JSON of the handler's value.
    Buffered(Vec<u8>),
    /// A streaming response.
    Streaming(StreamingResponse),
}

/// A type a handler can return (itself, or as the `Ok` of a `Result`): any `serde::Serialize` type,
/// encoded as JSON, or a [`StreamingResponse`].
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the result of a Lambda handler",
    label = "a handler's result must be encodable as JSON",
    note = "derive `serde::Serialize` for it, or return `serde_json::Value` or `lambda_fn::StreamingResponse`"
)]
pub trait Respond {
    /// Turns the result into what the runtime sends.
    fn respond(self) -> Result<Output, Error>;
}

impl<T: Serialize> Respond for T {
    fn respond(self) -> Result<Output, Error> {
        to_json(&self).map(Output::Buffered).map_err(|e| {
            Error::new(
                kind::MARSHAL,
                format!(
                    "could not encode the result of type `{}` as JSON: {e}",
                    std::any::type_name::<T>()
                ),
            )
        })
    }
}

impl Respond for StreamingResponse {
    fn respond(self) -> Result<Output, Error> {
        Ok(Output::Streaming(self))
    }
}

thread_local! {
    /// The buffer of the last posted response on this thread, empty, waiting for the next one.
    static SPARE: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Smallest starting capacity: serde_json's own.
const MIN_CAPACITY: usize = 128;
/// Largest buffer kept for the next response; a bigger one (a multi-megabyte response) is freed.
const KEEP_CAPACITY: usize = 256 * 1024;

/// The spare buffer (empty), or a new one: where the next response is encoded.
pub(crate) fn spare_buffer() -> Vec<u8> {
    let mut out = SPARE.take();
    out.reserve(MIN_CAPACITY);
    out
}

/// Encodes `value` as JSON, into the spare buffer when there is one.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = spare_buffer();
    match serde_json::to_writer(&mut out, value) {
        Ok(()) => Ok(out),
        Err(e) => {
            recycle(out);
            Err(e)
        }
    }
}

/// Gives a response's buffer back once it has been sent, for the next [`to_json`] on this thread.
pub(crate) fn recycle(mut buffer: Vec<u8>) {
    if buffer.capacity() <= KEEP_CAPACITY {
        buffer.clear();
        SPARE.set(buffer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_serde_json_into_the_recycled_buffer_and_frees_big_ones() {
        let value = serde_json::json!({ "items": vec!["0123456789"; 300] });
        let first = to_json(&value).unwrap();
        assert_eq!(first, serde_json::to_vec(&value).unwrap());
        let first_at = first.as_ptr();
        recycle(first);
        let small = to_json(&1).unwrap();
        assert_eq!(small, b"1");
        assert_eq!(small.as_ptr(), first_at, "encoded into the recycled buffer");
        recycle(small);

        let big = serde_json::json!({ "items": vec!["0123456789"; 30_000] });
        let encoded = to_json(&big).unwrap();
        assert!(encoded.capacity() > KEEP_CAPACITY);
        recycle(encoded);
        assert_eq!(SPARE.take().capacity(), 0, "a big buffer is not kept");
    }

    #[test]
    fn a_failed_encoding_keeps_the_buffer_for_the_next() {
        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1);
        let buffer = to_json(&"warm").unwrap();
        let at = buffer.as_ptr();
        recycle(buffer);
        assert!(to_json(&map).is_err(), "a map with non-string keys is not JSON");
        let next = to_json(&2).unwrap();
        assert_eq!(next.as_ptr(), at);
    }
}
