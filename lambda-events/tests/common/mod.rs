//! Round-trip helpers shared by the fixture tests of every event module.
//!
//! Each `tests/roundtrip_*.rs` file includes this with `mod common;` and lists which fixture decodes
//! into which type. A fixture passes when decoding it into the type and encoding it back gives the same
//! JSON value, where a key whose value is `null` or `{}` counts as absent (AWS sends either for "no
//! values": `"headers": null`, `"headers": {}` and no key at all mean the same thing to it).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `lambda-events/tests/fixtures/<rel>`.
pub fn own_fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// `shared/fixtures/aws-events/<name>` beside the repository root (read-only data shared with CI).
pub fn shared_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/aws-events")
        .join(name)
}

/// Reads a fixture, panicking with the path when it is missing or not JSON.
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("fixture {} is not JSON: {e}", path.display()))
}

/// Removes, recursively, object keys whose value is `null` or an empty object.
pub fn normalize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                normalize(v);
            }
            map.retain(|_, v| !(v.is_null() || v.as_object().is_some_and(|o| o.is_empty())));
        }
        Value::Array(items) => items.iter_mut().for_each(normalize),
        _ => {}
    }
}

/// Decodes `path` into `T`, encodes it back, and asserts the two JSON values are equal after
/// [`normalize`]. Returns the decoded value for further assertions.
pub fn assert_round_trip<T: DeserializeOwned + Serialize>(path: &Path) -> T {
    let original = read_json(path);
    let typed: T = serde_json::from_value(original.clone()).unwrap_or_else(|e| {
        panic!(
            "{} does not decode as {}: {e}",
            path.display(),
            std::any::type_name::<T>()
        )
    });
    let mut encoded =
        serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{} does not encode: {e}", path.display()));
    let mut expected = original;
    normalize(&mut encoded);
    normalize(&mut expected);
    if encoded != expected {
        let diff = first_difference(&expected, &encoded, String::from("$")).unwrap_or_default();
        panic!(
            "{} lost or changed data on a round trip through {}: {diff}",
            path.display(),
            std::any::type_name::<T>()
        );
    }
    typed
}

/// The first place where two JSON values differ, as `path: expected X, got Y`.
pub fn first_difference(expected: &Value, got: &Value, path: String) -> Option<String> {
    match (expected, got) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                match b.get(k) {
                    None => return Some(format!("{path}.{k}: missing after round trip (was {va})")),
                    Some(vb) => {
                        if let Some(d) = first_difference(va, vb, format!("{path}.{k}")) {
                            return Some(d);
                        }
                    }
                }
            }
            b.keys()
                .find(|k| !a.contains_key(*k))
                .map(|k| format!("{path}.{k}: added by round trip ({})", b[k]))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (va, vb))| first_difference(va, vb, format!("{path}[{i}]"))),
        _ if expected == got => None,
        _ => Some(format!("{path}: expected {expected}, got {got}")),
    }
}
