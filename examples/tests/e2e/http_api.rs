//! HTTP functions end to end: the real `bootstrap` serves `todos.api` against a Runtime API on
//! 127.0.0.1, once per HTTP source, with events built from the repository's fixtures of that source
//! (`lambda-events/tests/fixtures`: AWS's example payloads and ours, written from AWS's documentation).
//! Every answer is a response post (never a Lambda error) in the shape that source expects.

// Panicking is how a helper of a test fails it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::support;

use serde_json::{Value, json};
use support::http_events::{ALL, Answer, Source, call, event};
use support::{Bootstrap, Event, FakeApi, command};

#[tokio::test(flavor = "current_thread")]
async fn todos_api_answers_every_source_in_its_shape() {
    for source in ALL {
        let api = FakeApi::start().await;
        let bootstrap = Bootstrap::start(&api, "todos.api");
        let id = |n: u32| format!("{source:?}-{n}").to_lowercase();
        let send = |n: u32, method: &str, path: &str, query: &[(&str, &str)], body: Option<&str>| {
            let request = event(source, method, path, query, body);
            let api = &api;
            let id = id(n);
            async move { call(api, source, &id, request).await }
        };

        let created = send(1, "POST", "/todos", &[], Some(r#"{"title": "milk"}"#)).await;
        assert_eq!(created.status, 201, "{source:?}: {}", created.body);
        assert_eq!(created.header("location"), Some("/todos/1"));
        assert_eq!(created.header("content-type"), Some("application/json"));
        assert_eq!(created.json(), json!({"id": 1, "title": "milk", "done": false}));

        let listed = send(2, "GET", "/todos", &[("limit", "5")], None).await;
        assert_eq!(
            (listed.status, listed.json()),
            (200, json!([{"id": 1, "title": "milk", "done": false}]))
        );
        let got = send(3, "GET", "/todos/1", &[], None).await;
        assert_eq!((got.status, got.json()["title"].clone()), (200, json!("milk")));

        let bad_id = send(4, "GET", "/todos/abc", &[], None).await;
        assert_eq!(bad_id.status, 400, "{source:?}");
        assert_eq!(bad_id.json()["parameter"], "id");
        assert!(
            bad_id.json()["message"].as_str().unwrap().contains("`abc`"),
            "{}",
            bad_id.body
        );
        let bad_body = send(5, "POST", "/todos", &[], Some(r#"{"title": 5}"#)).await;
        assert_eq!(
            (bad_body.status, bad_body.json()["parameter"].clone()),
            (400, json!("body.title"))
        );
        let blank = send(6, "POST", "/todos", &[], Some(r#"{"title": " "}"#)).await;
        assert_eq!(blank.status, 400);

        let put = send(7, "PUT", "/todos", &[], None).await;
        assert_eq!(put.status, 405, "{source:?}");
        assert_eq!(put.header("allow"), Some("GET, HEAD, POST"));
        let nowhere = send(8, "GET", "/nothing/here", &[], None).await;
        assert_eq!(
            (nowhere.status, nowhere.json()["error"].clone()),
            (404, json!("Not Found"))
        );

        let failed = send(9, "GET", "/todos/1/fail", &[], None).await;
        assert_eq!(failed.status, 500);
        assert_eq!(failed.json()["requestId"], id(9));
        assert!(
            !failed.body.contains("StorageDown"),
            "the details stay in the log: {}",
            failed.body
        );
        let panicked = send(10, "GET", "/todos/1/panic", &[], None).await;
        assert_eq!(
            (panicked.status, panicked.json()["requestId"].clone()),
            (500, json!(id(10)))
        );

        let deleted = send(11, "DELETE", "/todos/1", &[], None).await;
        assert_eq!((deleted.status, deleted.body.as_str()), (204, ""));
        let gone = send(12, "GET", "/todos/1", &[], None).await;
        assert_eq!(
            (gone.status, gone.json()["message"].clone()),
            (404, json!("there is no todo 1"))
        );
        let head = send(13, "HEAD", "/todos", &[], None).await;
        assert_eq!(
            (head.status, head.body.as_str()),
            (200, ""),
            "HEAD is GET without the body"
        );

        let log = bootstrap.stderr();
        assert!(
            log.lines()
                .any(|l| l.contains(&id(9)) && l.contains("StorageDown: could not read todo 1")),
            "the failure is logged with its request id:\n{log}"
        );
        assert!(
            log.lines()
                .any(|l| l.contains(&id(10)) && l.contains("todo 1 exploded")),
            "{log}"
        );
        drop(bootstrap);
    }
}

/// One request for `path` through a bootstrap started with `env`.
async fn routed(source: Source, request: Value, env: &[(&str, &str)]) -> Answer {
    let api = FakeApi::start().await;
    let mut command = command(Some(&api.host_port()), Some("todos.api"));
    command.envs(env.iter().copied());
    let _bootstrap = Bootstrap::spawn(command, Some(&api));
    call(&api, source, "stage-1", request).await
}

#[tokio::test(flavor = "current_thread")]
async fn the_router_sees_the_path_relative_to_the_api() {
    // An HTTP API's named stage is in rawPath; it is taken off.
    let mut named = event(Source::HttpApi, "GET", "/prod/todos", &[], None);
    named["requestContext"]["stage"] = json!("prod");
    assert_eq!(routed(Source::HttpApi, named, &[]).await.status, 200);
    // ... only as a whole leading segment.
    let mut lookalike = event(Source::HttpApi, "GET", "/production/todos", &[], None);
    lookalike["requestContext"]["stage"] = json!("prod");
    assert_eq!(routed(Source::HttpApi, lookalike, &[]).await.status, 404);

    // A REST API behind a custom domain with base path mapping `v1`: `path` has the base path, which
    // LAMBDA_RT_BASE_PATH names.
    let mut custom = event(Source::Rest, "GET", "/v1/todos", &[], None);
    custom["requestContext"]["path"] = json!("/v1/todos");
    custom["requestContext"]["domainName"] = json!("api.example.com");
    assert_eq!(routed(Source::Rest, custom.clone(), &[]).await.status, 404);
    assert_eq!(
        routed(Source::Rest, custom, &[("LAMBDA_RT_BASE_PATH", "/v1")])
            .await
            .status,
        200
    );

    // The same setting works for an HTTP API's custom domain, after the stage.
    let mut both = event(Source::HttpApi, "GET", "/dev/api/todos", &[], None);
    both["requestContext"]["stage"] = json!("dev");
    assert_eq!(
        routed(Source::HttpApi, both, &[("LAMBDA_RT_BASE_PATH", "api")])
            .await
            .status,
        200
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_event_that_is_not_http_is_an_unmarshal_error() {
    let api = FakeApi::start().await;
    let _bootstrap = Bootstrap::start(&api, "todos.api");
    api.push(Event::new("sqs-1", r#"{"Records": []}"#));
    let posted = api.answer_for("sqs-1").await;
    assert_eq!(posted.call(), support::error("sqs-1"));
    assert_eq!(posted.json()["errorType"], "Runtime.UnmarshalError");
    assert!(posted.text().contains("not an HTTP request"), "{}", posted.text());
    // And the function goes on.
    let list = call(
        &api,
        Source::HttpApi,
        "after-1",
        event(Source::HttpApi, "GET", "/todos", &[], None),
    )
    .await;
    assert_eq!(list.status, 200);
}
