//! An axum `Router` as the whole HTTP function, end to end: the real `bootstrap` serves `axum.app` (and
//! `axum.stream`, streamed) against a Runtime API on 127.0.0.1, with events of every HTTP source built
//! from the repository's fixtures; axum's answers come back in each source's shape.

// Panicking is how a helper of a test fails it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::support;

use serde_json::json;
use support::http_events::{ALL, Source, call, event};
use support::{Bootstrap, Event, FakeApi};

#[tokio::test(flavor = "current_thread")]
async fn an_axum_router_answers_every_source_in_its_shape() {
    for source in ALL {
        let api = FakeApi::start().await;
        let _bootstrap = Bootstrap::start(&api, "axum.app");
        let id = |n: u32| format!("axum-{source:?}-{n}");

        let hello = call(&api, source, &id(1), event(source, "GET", "/hello/ana", &[], None)).await;
        assert_eq!((hello.status, hello.body.as_str()), (200, "hello ana"), "{source:?}");
        assert_eq!(hello.header("content-type"), Some("text/plain; charset=utf-8"));

        let echo = call(
            &api,
            source,
            &id(2),
            event(source, "POST", "/echo", &[], Some(r#"{"n": [1, 2]}"#)),
        )
        .await;
        assert_eq!(
            (echo.status, echo.json()),
            (200, json!({"echo": {"n": [1, 2]}})),
            "{source:?}"
        );

        // The router sees the source through the request's extensions.
        let seen = call(&api, source, &id(3), event(source, "GET", "/source", &[], None)).await;
        let expected = match source {
            Source::Rest => "apigw-rest",
            Source::HttpApi => "apigw-http",
            Source::AlbSingle | Source::AlbMulti => "alb",
            Source::FunctionUrl => "function-url",
            Source::LatticeV1 => "lattice-v1",
            Source::LatticeV2 => "lattice-v2",
        };
        assert_eq!(seen.body, expected);

        let cookies = call(&api, source, &id(4), event(source, "GET", "/cookies", &[], None)).await;
        let set: Vec<&str> = cookies
            .headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .map(|(_, v)| v.as_str())
            .collect();
        match source {
            // Payload 2.0 sends cookies apart from the headers.
            Source::HttpApi | Source::FunctionUrl => {
                assert!(set.is_empty(), "{source:?}: {set:?}");
                let posted = api.answer_for(&id(4)).await.json();
                assert_eq!(posted["cookies"], json!(["a=1", "b=2; Secure"]));
            }
            Source::Rest | Source::AlbMulti => assert_eq!(set, ["a=1", "b=2; Secure"], "{source:?}"),
            // One value per header name: the last cookie.
            Source::AlbSingle | Source::LatticeV1 | Source::LatticeV2 => assert_eq!(set, ["b=2; Secure"], "{source:?}"),
        }

        let image = call(&api, source, &id(5), event(source, "GET", "/image", &[], None)).await;
        assert_eq!(image.status, 200);
        let posted = api.answer_for(&id(5)).await.json();
        assert_eq!(
            (posted["isBase64Encoded"].clone(), posted["body"].clone()),
            (json!(true), json!("iVBORw=="))
        );

        let missing = call(&api, source, &id(6), event(source, "GET", "/nowhere", &[], None)).await;
        assert_eq!(missing.status, 404, "axum's own answer for a path it has no route for");
    }
}

/// A streamed HTTP answer taken apart: its JSON prelude, and the body after the eight NUL bytes.
fn http_stream(post: &support::Recorded) -> (serde_json::Value, &[u8]) {
    assert_eq!(
        post.header("content-type"),
        Some("application/vnd.awslambda.http-integration-response")
    );
    let nuls = post
        .body
        .windows(8)
        .position(|w| w == [0; 8])
        .expect("eight NUL bytes after the prelude");
    (
        serde_json::from_slice(&post.body[..nuls]).unwrap(),
        &post.body[nuls + 8..],
    )
}

#[tokio::test(flavor = "current_thread")]
async fn a_streaming_router_streams_behind_the_http_prelude() {
    let api = FakeApi::start().await;
    let bootstrap = Bootstrap::start(&api, "axum.stream");
    let request = event(Source::FunctionUrl, "GET", "/events", &[], None);
    api.push(Event::new("sse-1", request.to_string()));
    let post = api.answer_for("sse-1").await;
    assert_eq!(post.header("lambda-runtime-function-response-mode"), Some("streaming"));
    let (prelude, body) = http_stream(&post);
    assert_eq!(prelude["statusCode"], 200);
    assert_eq!(prelude["headers"]["content-type"], "text/event-stream");
    assert_eq!(prelude["cookies"], json!(["seen=1"]));
    let events = String::from_utf8(body.to_vec()).unwrap();
    assert_eq!(events, "data: 1\n\ndata: 2\n\ndata: 3\n\n");
    // Sent while produced: the pieces came 20 ms apart.
    assert!(
        post.body_took >= std::time::Duration::from_millis(30),
        "{:?}",
        post.body_took
    );
    drop(bootstrap);
}

#[tokio::test(flavor = "current_thread")]
async fn a_streaming_router_that_panics_answers_a_streamed_500() {
    let api = FakeApi::start().await;
    let _bootstrap = Bootstrap::start(&api, "axum.stream");
    api.push(Event::new(
        "sse-panic",
        event(Source::FunctionUrl, "GET", "/panic", &[], None).to_string(),
    ));
    let post = api.answer_for("sse-panic").await;
    assert_eq!(
        post.call(),
        support::response("sse-panic"),
        "an HTTP answer, not a Lambda error"
    );
    let (prelude, body) = http_stream(&post);
    assert_eq!(prelude["statusCode"], 500);
    let body: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(body["requestId"], "sse-panic");
}
