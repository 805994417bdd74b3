//! Operation ids: deterministic, so that the same code reaches the same ids on every replay. Each
//! context counts the operations it creates from 1; an id is the first 64 hex digits of the BLAKE2b-512
//! hash of the count (`"3"`), prefixed by the parent context's id inside a child context
//! (`"<parent>-3"`), as AWS's Python SDK derives them (the service treats ids as opaque keys).

use blake2::{Blake2b512, Digest};

/// The id of a context's `n`th operation.
pub(crate) fn operation_id(parent: Option<&str>, n: u64) -> String {
    let raw = match parent {
        Some(parent) => format!("{parent}-{n}"),
        None => n.to_string(),
    };
    let digest = Blake2b512::digest(raw.as_bytes());
    // By hand rather than `format!` per byte: a replay computes an id per operation, and formatting was
    // half of what a replayed step cost (bench/README.md, "Durable functions").
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(64);
    for byte in &digest[..32] {
        id.push(char::from(HEX[usize::from(byte >> 4)]));
        id.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_those_of_the_python_sdk() {
        // As AWS's Python SDK computes them (and dex-local-runner recorded them).
        assert_eq!(
            operation_id(None, 1),
            "1ced8f5be2db23a6513eba4d819c73806424748a7bc6fa0d792cc1c7d1775a97"
        );
        assert_eq!(
            operation_id(None, 2),
            "c5faca15ac2f93578b39ef4b6bbb871bdedce4ddd584fd31f0bb66fade3947e6"
        );
        assert_eq!(
            operation_id(Some(&operation_id(None, 1)), 1),
            "974bfc6321e227b0ff101342eaf19b336f002dc6cc99c18f0941a7755cc20fc4"
        );
    }
}
