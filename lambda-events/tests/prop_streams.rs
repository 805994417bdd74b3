//! Property tests for the tricky encodings of the stream events: DynamoDB attribute values, base64
//! data (Kinesis, Firehose), and S3 key decoding.

#![cfg(all(feature = "dynamodb", feature = "kinesis", feature = "firehose", feature = "s3"))]
// Helpers outside `#[test]` functions unwrap too: a panic is a test failure here.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::{Duration, UNIX_EPOCH};

use proptest::prelude::*;
use serde_json::Value;

use lambda_fn_events::dynamodb::{AttributeValue, StreamRecord};
use lambda_fn_events::encoding::{Base64Data, encode_base64};
use lambda_fn_events::firehose::{KinesisFirehoseEventRecord, KinesisFirehoseResponseRecord};
use lambda_fn_events::kinesis::KinesisRecord;
use lambda_fn_events::s3::S3Object;

const TYPE_NAMES: [&str; 10] = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (any::<i32>(), 0u32..1_000_000).prop_map(|(i, f)| format!("{i}.{f}")),
        (-99i32..99, -130i32..126).prop_map(|(m, e)| format!("{m}E{e}")),
    ]
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..40)
}

fn attribute_value() -> impl Strategy<Value = AttributeValue> {
    let leaf = prop_oneof![
        any::<String>().prop_map(AttributeValue::S),
        number_text().prop_map(AttributeValue::N),
        bytes().prop_map(AttributeValue::B),
        prop::collection::vec(any::<String>(), 0..5).prop_map(AttributeValue::Ss),
        prop::collection::vec(number_text(), 0..5).prop_map(AttributeValue::Ns),
        prop::collection::vec(bytes(), 0..5).prop_map(AttributeValue::Bs),
        Just(AttributeValue::Null),
        any::<bool>().prop_map(AttributeValue::Bool),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::hash_map(any::<String>(), inner.clone(), 0..6).prop_map(AttributeValue::M),
            prop::collection::vec(inner, 0..6).prop_map(AttributeValue::L),
        ]
    })
}

/// Checks that `json` is DynamoDB's encoding of `value`, recursively: one key, named as DynamoDB
/// names the type, holding the value in DynamoDB's form.
fn check_dynamodb_json(value: &AttributeValue, json: &Value) -> Result<(), TestCaseError> {
    let object = json
        .as_object()
        .ok_or_else(|| TestCaseError::fail(format!("not an object: {json}")))?;
    prop_assert_eq!(object.len(), 1, "exactly one key in {}", json);
    let (key, inner) = object.iter().next().unwrap();
    prop_assert!(TYPE_NAMES.contains(&key.as_str()), "unknown type key {}", key);
    prop_assert_eq!(key.as_str(), value.type_name());
    match value {
        AttributeValue::S(s) | AttributeValue::N(s) => prop_assert_eq!(inner.as_str(), Some(s.as_str())),
        AttributeValue::B(b) => prop_assert_eq!(inner, &Value::String(encode_base64(b))),
        AttributeValue::Ss(v) | AttributeValue::Ns(v) => {
            let texts: Vec<&str> = inner.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
            prop_assert_eq!(texts, v.iter().map(String::as_str).collect::<Vec<_>>());
        }
        AttributeValue::Bs(v) => {
            let texts: Vec<String> = inner
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_owned())
                .collect();
            prop_assert_eq!(texts, v.iter().map(|b| encode_base64(b)).collect::<Vec<_>>());
        }
        AttributeValue::M(m) => {
            let entries = inner.as_object().unwrap();
            prop_assert_eq!(entries.len(), m.len());
            for (k, v) in m {
                check_dynamodb_json(v, &entries[k])?;
            }
        }
        AttributeValue::L(l) => {
            let items = inner.as_array().unwrap();
            prop_assert_eq!(items.len(), l.len());
            for (v, j) in l.iter().zip(items) {
                check_dynamodb_json(v, j)?;
            }
        }
        AttributeValue::Null => prop_assert_eq!(inner, &Value::Bool(true)),
        AttributeValue::Bool(b) => prop_assert_eq!(inner, &Value::Bool(*b)),
    }
    Ok(())
}

/// Plain JSON without floats (whose text form need not survive), for the `to_json` round trip.
fn plain_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Encodes a key the way S3 does in notifications: form-style, `+` for a space.
fn s3_encode(key: &str) -> String {
    let mut out = String::new();
    for &b in key.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' | b'/' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn attribute_value_json_round_trip(value in attribute_value()) {
        let text = serde_json::to_string(&value).unwrap();
        let back: AttributeValue = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &value);
        // Also through serde_json::Value (the path flattened event structs take).
        let json = serde_json::to_value(&value).unwrap();
        let back: AttributeValue = serde_json::from_value(json).unwrap();
        prop_assert_eq!(back, value);
    }

    #[test]
    fn attribute_value_json_has_one_dynamodb_key(value in attribute_value()) {
        let json = serde_json::to_value(&value).unwrap();
        check_dynamodb_json(&value, &json)?;
    }

    #[test]
    fn items_round_trip(item in prop::collection::hash_map(any::<String>(), attribute_value(), 0..6)) {
        let text = serde_json::to_string(&item).unwrap();
        let back: HashMap<String, AttributeValue> = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, item);
    }

    #[test]
    fn plain_json_converts_both_ways(json in plain_json()) {
        prop_assert_eq!(AttributeValue::from_json(&json).to_json(), json);
    }

    #[test]
    fn base64_data_round_trip(data in prop::collection::vec(any::<u8>(), 0..300)) {
        let json = serde_json::to_string(&Base64Data(data.clone())).unwrap();
        prop_assert_eq!(&json, &format!("\"{}\"", encode_base64(&data)));
        let back: Base64Data = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back.0, data);
    }

    #[test]
    fn kinesis_record_round_trip(
        data in prop::collection::vec(any::<u8>(), 0..300),
        partition_key in "[a-zA-Z0-9_-]{1,32}",
        millis in 0i64..4_102_444_800_000,
    ) {
        let record = KinesisRecord {
            kinesis_schema_version: Some("1.0".into()),
            partition_key,
            sequence_number: "4959".into(),
            data: Base64Data(data.clone()),
            approximate_arrival_timestamp: millis as f64 / 1000.0,
            ..Default::default()
        };
        let json = serde_json::to_value(&record).unwrap();
        prop_assert_eq!(&json["data"], &Value::String(encode_base64(&data)));
        let back: KinesisRecord = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(&back, &record);
        prop_assert_eq!(serde_json::to_value(&back).unwrap(), json);
        prop_assert_eq!(back.approximate_arrival_time(), Some(UNIX_EPOCH + Duration::from_millis(millis as u64)));
    }

    #[test]
    fn dynamodb_creation_time_round_trip(millis in 0i64..4_102_444_800_000, whole: bool) {
        // DynamoDB sends whole seconds; fractional ones must survive too, and land on the exact millisecond.
        let millis = if whole { millis / 1000 * 1000 } else { millis };
        let record = StreamRecord { approximate_creation_date_time: Some(millis as f64 / 1000.0), ..Default::default() };
        let json = serde_json::to_value(&record).unwrap();
        prop_assert_eq!(json["ApproximateCreationDateTime"].is_i64(), whole || millis % 1000 == 0);
        let back: StreamRecord = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(&back, &record);
        prop_assert_eq!(serde_json::to_value(&back).unwrap(), json);
        prop_assert_eq!(back.approximate_creation_time(), Some(UNIX_EPOCH + Duration::from_millis(millis as u64)));
    }

    #[test]
    fn firehose_record_round_trip(data in prop::collection::vec(any::<u8>(), 0..300), millis in 0i64..4_102_444_800_000) {
        let record = KinesisFirehoseEventRecord {
            record_id: "r".into(),
            approximate_arrival_timestamp: millis,
            data: Base64Data(data.clone()),
            ..Default::default()
        };
        let back: KinesisFirehoseEventRecord = serde_json::from_str(&serde_json::to_string(&record).unwrap()).unwrap();
        prop_assert_eq!(back, record);
        let out = KinesisFirehoseResponseRecord::ok("r", data.clone());
        let back: KinesisFirehoseResponseRecord = serde_json::from_str(&serde_json::to_string(&out).unwrap()).unwrap();
        prop_assert_eq!(back.data.unwrap().0, data);
    }

    #[test]
    fn s3_keys_decode_to_the_original(key in any::<String>()) {
        let object = S3Object { key: s3_encode(&key), ..Default::default() };
        prop_assert_eq!(object.decoded_key(), key);
    }
}
