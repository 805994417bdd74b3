//! Round-trip helpers shared by the fixture tests of every event module.
//!
//! Each `tests/roundtrip_*.rs` file includes this with `mod common;` and lists which fixture decodes
//! into which type. A fixture passes when decoding it into the type and encoding it back gives the same
//! JSON value. The comparison is exact except for one rule: a key whose value is `null` counts as
//! absent, because AWS documents the two alike and the types model both as "no value" (`None` or an
//! absent map). An empty object `{}` is a value like any other: a type that drops a `{}` it was sent,
//! or writes one it was not sent, fails.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `lambda-events/tests/fixtures/<rel>`.
pub fn own_fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// `lambda-events/tests/fixtures/aws-events/<name>`: AWS example payloads from the MIT-licensed
/// `aws_lambda_events` crate's test data (their notice is `tests/fixtures/aws-events/LICENSE`).
pub fn aws_example(name: &str) -> PathBuf {
    own_fixture("aws-events").join(name)
}

/// Reads a fixture, panicking with the path when it is missing or not JSON.
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("fixture {} is not JSON: {e}", path.display()))
}

/// Removes, recursively, object keys whose value is `null` (the only difference the round-trip
/// comparison forgives).
pub fn normalize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(normalize);
        }
        Value::Array(items) => items.iter_mut().for_each(normalize),
        _ => {}
    }
}

/// Decodes `path` into `T`, encodes it back, and asserts the two JSON values are equal after
/// [`normalize`]. Returns the decoded value for further assertions.
pub fn assert_round_trip<T: DeserializeOwned + Serialize>(path: &Path) -> T {
    assert_value_round_trip(read_json(path), &path.display().to_string())
}

/// [`assert_round_trip`] of a JSON value; `label` names it in failure messages.
pub fn assert_value_round_trip<T: DeserializeOwned + Serialize>(original: Value, label: &str) -> T {
    let typed: T = serde_json::from_value(original.clone())
        .unwrap_or_else(|e| panic!("{label} does not decode as {}: {e}", std::any::type_name::<T>()));
    let mut encoded = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{label} does not encode: {e}"));
    let mut expected = original;
    normalize(&mut encoded);
    normalize(&mut expected);
    if encoded != expected {
        let diff = first_difference(&expected, &encoded, String::from("$")).unwrap_or_default();
        panic!(
            "{label} lost or changed data on a round trip through {}: {diff}",
            std::any::type_name::<T>()
        );
    }
    typed
}

/// Checks presence through `T` at `pointer` (a JSON pointer to an object member, e.g.
/// `/Details/Parameters`), whose value in the fixture at `path` must be `{}`:
///
/// - the fixture round-trips exactly and the encoded value still has `{}` there;
/// - with the member removed, the round trip is exact and the member stays absent;
/// - with the member set to `null`, the encoded value has no member there.
pub fn assert_empty_object_kept<T: DeserializeOwned + Serialize>(path: &Path, pointer: &str) {
    let label = format!("{} at {pointer}", path.display());
    let original = read_json(path);
    assert_eq!(
        original.pointer(pointer),
        Some(&Value::Object(Default::default())),
        "{label}: the fixture must hold {{}} there"
    );

    let encode = |value: &T| serde_json::to_value(value).unwrap_or_else(|e| panic!("{label}: {e}"));
    let present: T = assert_value_round_trip(original.clone(), &label);
    let encoded = encode(&present);
    assert_eq!(
        encoded.pointer(pointer),
        Some(&Value::Object(Default::default())),
        "{label}: {{}} was not kept"
    );

    let (parent, key) = pointer
        .rsplit_once('/')
        .unwrap_or_else(|| panic!("{pointer} is not a JSON pointer"));
    let mut without = original.clone();
    let removed = without
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .and_then(|object| object.remove(key));
    assert!(removed.is_some(), "{label}: nothing to remove");
    let absent: T = assert_value_round_trip(without, &format!("{label} (removed)"));
    let encoded = encode(&absent);
    assert_eq!(encoded.pointer(pointer), None, "{label}: an absent map came back");

    let mut null = original;
    if let Some(member) = null.pointer_mut(pointer) {
        *member = Value::Null;
    }
    let from_null: T = assert_value_round_trip(null, &format!("{label} (null)"));
    let encoded = encode(&from_null);
    assert_eq!(
        encoded.pointer(pointer),
        None,
        "{label}: a null map came back as a value"
    );
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
