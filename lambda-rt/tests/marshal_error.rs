//! A result that cannot be encoded as JSON is reported as `Runtime.MarshalError`, and the function goes
//! on serving: driven through the in-process emulator, i.e. the production Runtime API loop.
#![allow(clippy::expect_used)]

use std::collections::HashMap;

use serde_json::Value;
use support::post;

mod support;

/// JSON object keys must be strings: a map keyed by tuples does not encode.
#[lambda_fn::handler("marshal.fail")]
async fn unencodable(event: Value) -> HashMap<(u8, u8), u8> {
    let mut map = HashMap::new();
    if event["fail"] == true {
        map.insert((1, 2), 3);
    }
    map
}

#[test]
fn marshal_errors_are_reported_and_the_loop_goes_on() {
    let emulator = lambda_fn::emulator::Emulator::builder()
        .start()
        .expect("the emulator starts");
    let path = "/2015-03-31/functions/marshal.fail/invocations";

    let (status, head, body) = post(emulator.addr(), path, r#"{"fail": true}"#);
    assert_eq!(status, 200);
    assert!(head.contains("x-amz-function-error: unhandled"), "{head}");
    let error: Value = serde_json::from_str(&body).expect("an error body");
    assert_eq!(error["errorType"], "Runtime.MarshalError");
    assert!(
        error["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("key must be a string")),
        "{error}"
    );

    let (status, head, body) = post(emulator.addr(), path, r#"{"fail": false}"#);
    assert_eq!(status, 200);
    assert!(!head.contains("x-amz-function-error"), "{head}");
    assert_eq!(body, "{}");
}
