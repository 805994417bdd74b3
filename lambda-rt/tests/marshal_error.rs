//! A result that cannot be encoded as JSON is reported as `Runtime.MarshalError`, and the function goes
//! on serving: driven through the in-process emulator, i.e. the production Runtime API loop.
#![allow(clippy::expect_used)]

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;

use serde_json::Value;

/// JSON object keys must be strings: a map keyed by tuples does not encode.
#[lambda_rt::handler("marshal.fail")]
async fn unencodable(event: Value) -> HashMap<(u8, u8), u8> {
    let mut map = HashMap::new();
    if event["fail"] == true {
        map.insert((1, 2), 3);
    }
    map
}

/// One HTTP/1.1 POST with `Connection: close`; returns the status line's code, the headers and the body.
fn post(addr: std::net::SocketAddr, path: &str, body: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    (status, head.to_ascii_lowercase(), body.to_owned())
}

#[test]
fn marshal_errors_are_reported_and_the_loop_goes_on() {
    let emulator = lambda_rt::emulator::Emulator::builder()
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
