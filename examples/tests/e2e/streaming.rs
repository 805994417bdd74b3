//! End-to-end response streaming (docs/design.md, "Response streaming"): the `bootstrap` posts a streaming handler's
//! body in chunks while the handler produces it, with `Lambda-Runtime-Function-Response-Mode:
//! streaming`; an error before the first piece is an ordinary error post, one after it goes in the
//! trailers, and the loop goes on either way.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::support;

use std::time::Duration;

use base64::Engine as _;
use support::{Bootstrap, Event, FakeApi, Recorded, calls, error, next, response};

const TRAILERS: &str = "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body";

fn assert_streaming_post(post: &Recorded, content_type: &str) {
    assert_eq!(post.header("lambda-runtime-function-response-mode"), Some("streaming"));
    assert_eq!(post.header("transfer-encoding"), Some("chunked"));
    assert_eq!(post.header("content-length"), None);
    assert_eq!(post.header("content-type"), Some(content_type));
    assert_eq!(post.header("trailer"), Some(TRAILERS));
}

/// The error a streaming post reported in its trailers: (type, decoded JSON body).
fn trailer_error(post: &Recorded) -> (String, serde_json::Value) {
    let error_type = post
        .trailer("lambda-runtime-function-error-type")
        .expect("an error type trailer");
    let body = post
        .trailer("lambda-runtime-function-error-body")
        .expect("an error body trailer");
    let json = base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("a base64 error body");
    (
        error_type.to_owned(),
        serde_json::from_slice(&json).expect("a JSON error body"),
    )
}

#[tokio::test]
async fn a_streaming_body_is_sent_in_chunks_while_the_handler_writes_it() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "stream.lines");
    api.push(Event::new("slow", r#"{"count": 3, "delay_ms": 200}"#));
    let post = api.answer_for("slow").await;
    assert_eq!(post.call(), response("slow"));
    assert_streaming_post(&post, "text/plain");
    assert_eq!(post.text(), "line 1\nline 2\nline 3\n");
    assert_eq!(
        post.trailer("lambda-runtime-function-error-type"),
        None,
        "a complete body has no error"
    );
    // The head arrived before the first line was written: the body kept coming for about 3 x 200 ms.
    assert!(
        post.body_took >= Duration::from_millis(350),
        "body took {:?}",
        post.body_took
    );

    api.push(Event::new("after", r#"{"count": 1}"#));
    assert_eq!(api.answer_for("after").await.text(), "line 1\n");
    assert_eq!(
        calls(&api.wait_for_polls(3).await),
        [next(), response("slow"), next(), response("after"), next()]
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn an_error_after_the_body_began_goes_in_the_trailers_and_the_loop_goes_on() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "stream.lines");
    api.push(Event::new("broken", r#"{"count": 3, "fail_at": 3}"#));
    let post = api.answer_for("broken").await;
    assert_eq!(post.call(), response("broken"), "the response had begun: no error post");
    assert_streaming_post(&post, "text/plain");
    assert_eq!(
        post.text(),
        "line 1\nline 2\n",
        "what was written before the error is kept"
    );
    let (error_type, body) = trailer_error(&post);
    assert_eq!(error_type, "StreamBroke");
    assert_eq!(body["errorType"], "StreamBroke");
    assert_eq!(body["errorMessage"], "stopped before line 3");

    api.push(Event::new("panics", r#"{"count": 3, "panic_at": 2}"#));
    let post = api.answer_for("panics").await;
    assert_eq!(post.text(), "line 1\n");
    let (error_type, body) = trailer_error(&post);
    assert_eq!(
        error_type, "Runtime.Panic",
        "a panicking writer does not pass for a complete body"
    );
    assert!(body["errorMessage"].as_str().unwrap().contains("panicked"), "{body}");

    api.push(Event::new("fine", r#"{"count": 2}"#));
    assert_eq!(api.answer_for("fine").await.text(), "line 1\nline 2\n");
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn an_error_before_the_first_piece_is_an_ordinary_error_post() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "stream.lines");
    api.push(Event::new("refused", r#"{"count": 0}"#));
    api.push(Event::new("failed-first", r#"{"count": 2, "fail_at": 1}"#));
    let refused = api.answer_for("refused").await;
    assert_eq!(refused.call(), error("refused"));
    assert_eq!(
        refused.header("lambda-runtime-function-error-type"),
        Some("NothingToStream")
    );
    assert_eq!(refused.header("lambda-runtime-function-response-mode"), None);
    assert_eq!(refused.json()["errorMessage"], "`count` must be at least 1");
    let failed = api.answer_for("failed-first").await;
    assert_eq!(
        failed.call(),
        error("failed-first"),
        "nothing was sent yet, so the error is posted whole"
    );
    assert_eq!(failed.json()["errorType"], "StreamBroke");

    // A content type that cannot be a header is found before anything is sent.
    api.push(Event::new(
        "bad-type",
        r#"{"count": 1, "content_type": "text/plain\r\nX-Injected: 1"}"#,
    ));
    let bad_type = api.answer_for("bad-type").await;
    assert_eq!(bad_type.call(), error("bad-type"));
    assert_eq!(bad_type.json()["errorType"], "Runtime.MarshalError");
    assert!(
        bad_type.json()["errorMessage"]
            .as_str()
            .unwrap()
            .contains("content type")
    );
    assert!(bad_type.header("x-injected").is_none());
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn an_http_stream_starts_with_its_prelude_and_eight_nul_bytes() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "stream.http");
    api.push(Event::new(
        "sse",
        r#"{"rawPath": "/feed", "requestContext": {"http": {"method": "GET"}}}"#,
    ));
    let post = api.answer_for("sse").await;
    assert_streaming_post(&post, "application/vnd.awslambda.http-integration-response");
    let nuls = post
        .body
        .windows(8)
        .position(|w| w == [0; 8])
        .expect("eight NUL bytes after the prelude");
    let prelude: serde_json::Value = serde_json::from_slice(&post.body[..nuls]).expect("a JSON prelude");
    assert_eq!(
        prelude,
        serde_json::json!({
            "statusCode": 200,
            "headers": {"content-type": "text/event-stream", "cache-control": "no-cache"},
            "cookies": ["visited=1; Path=/"],
        })
    );
    let events = String::from_utf8(post.body[nuls + 8..].to_vec()).unwrap();
    assert_eq!(events.matches("data: ").count(), 3, "{events}");
    assert!(events.starts_with("data: {\"n\":1,\"path\":\"/feed\"}\n\n"), "{events}");
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}
