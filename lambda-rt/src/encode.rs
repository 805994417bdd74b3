//! Encoding a handler's result as JSON into a buffer sized for it.
//!
//! `serde_json::to_vec` starts at 128 bytes and doubles, copying the response several times on its
//! way to a few kilobytes. Invocations of one function tend to return responses of similar size, so
//! the buffer starts at the size of the previous response (plus an eighth), which usually makes the
//! encoding a single allocation with no copy.

use std::cell::Cell;

use serde::Serialize;

thread_local! {
    /// The length of the last response encoded on this thread.
    static LAST_LEN: Cell<usize> = const { Cell::new(0) };
}

/// Smallest and largest starting capacities: no less than serde_json's own start, no more than the
/// 6 MB Lambda accepts.
const MIN_CAPACITY: usize = 128;
const MAX_CAPACITY: usize = 6 * 1024 * 1024;

/// Encodes `value` as JSON.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let last = LAST_LEN.with(Cell::get);
    let mut out = Vec::with_capacity((last + last / 8).clamp(MIN_CAPACITY, MAX_CAPACITY));
    serde_json::to_writer(&mut out, value)?;
    LAST_LEN.with(|len| len.set(out.len()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_serde_json_and_sizes_from_the_last_response() {
        let big = serde_json::json!({ "items": vec!["0123456789"; 300] });
        let first = to_json(&big).unwrap();
        assert_eq!(first, serde_json::to_vec(&big).unwrap());
        let second = to_json(&big).unwrap();
        assert_eq!(second, first);
        assert!(second.capacity() >= second.len() && second.capacity() <= second.len() + second.len() / 8 + 1);
        let small = to_json(&1).unwrap();
        assert_eq!(small, b"1");
    }
}
