//! How an invocation ends against the Runtime API as Lambda speaks it in 2026 (docs/design.md, "What
//! each answer means"): the invocation id `next` gives is echoed on every post for the invocation; an
//! answer the API refuses as late (410 `InvokeTimeout`, 400 `InvalidRequestID`) ends the invocation
//! with nothing more sent; empty `Lambda-Runtime-*` headers are absent, not malformed.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::support;

use std::time::Duration;

use serde_json::Value;
use support::{
    Bootstrap, Event, FakeApi, assert_error_body, calls, command, epoch_ms_in, error, init_error, next, response,
};

const INVOCATION_ID: &str = "Lambda-Runtime-Invocation-Id";

/// An event whose deadline passed `ago`.
fn overdue(request_id: &str, body: &str, ago: Duration) -> Event {
    let deadline = epoch_ms_in(Duration::ZERO) - ago.as_millis() as u64;
    Event::new(request_id, body.to_owned()).header("Lambda-Runtime-Deadline-Ms", &deadline.to_string())
}

#[tokio::test]
async fn the_invocation_id_is_echoed_on_responses_and_exposed_in_the_context() {
    let api = FakeApi::start().await;
    let _bootstrap = Bootstrap::start(&api, "context.info");
    api.push(Event::new("id-1", "{}").header(INVOCATION_ID, "4f1c2a9e-0b7d-4c55-9a3e-7d2f1e0c9b11"));
    api.push(Event::new("id-2", "{}"));
    api.push(Event::new("id-3", "{}").header(INVOCATION_ID, "inv-3"));

    let first = api.answer_for("id-1").await;
    assert_eq!(
        first.header("lambda-runtime-invocation-id"),
        Some("4f1c2a9e-0b7d-4c55-9a3e-7d2f1e0c9b11")
    );
    assert_eq!(first.json()["invocationId"], "4f1c2a9e-0b7d-4c55-9a3e-7d2f1e0c9b11");
    let second = api.answer_for("id-2").await;
    assert_eq!(
        second.header("lambda-runtime-invocation-id"),
        None,
        "nothing given, nothing echoed"
    );
    assert_eq!(second.json()["invocationId"], Value::Null);
    let third = api.answer_for("id-3").await;
    assert_eq!(
        third.header("lambda-runtime-invocation-id"),
        Some("inv-3"),
        "each its own, none left over"
    );
}

#[tokio::test]
async fn the_invocation_id_is_echoed_on_error_posts_and_streaming_responses() {
    let api = FakeApi::start().await;
    let _failing = Bootstrap::start(&api, "fail.always");
    api.push(Event::new("err-1", r#"{"reason": "no stock"}"#).header(INVOCATION_ID, "inv-err-1"));
    let post = api.answer_for("err-1").await;
    assert_eq!(post.call(), error("err-1"));
    assert_eq!(post.header("lambda-runtime-invocation-id"), Some("inv-err-1"));

    let api = FakeApi::start().await;
    let _streaming = Bootstrap::start(&api, "stream.lines");
    api.push(Event::new("str-1", r#"{"count": 2, "delay_ms": 0}"#).header(INVOCATION_ID, "inv-str-1"));
    let post = api.answer_for("str-1").await;
    assert_eq!(post.call(), response("str-1"));
    assert_eq!(post.header("lambda-runtime-function-response-mode"), Some("streaming"));
    assert_eq!(post.header("lambda-runtime-invocation-id"), Some("inv-str-1"));
    assert_eq!(post.text(), "line 1\nline 2\n");
}

#[tokio::test]
async fn a_malformed_invocation_id_is_logged_once_and_not_echoed_and_empty_headers_are_absent() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "context.info");
    // As Managed Instances send them when the invoke had none: present and empty.
    let empty = |id: &str| {
        Event::new(id, "{}")
            .header("Lambda-Runtime-Client-Context", "")
            .header("Lambda-Runtime-Cognito-Identity", "")
            .header("Lambda-Runtime-Trace-Id", "")
            .header("Lambda-Runtime-Aws-Tenant-Id", "")
            .header(INVOCATION_ID, "")
    };
    api.push(empty("empty-1"));
    api.push(empty("empty-2"));
    api.push(Event::new("bad-1", "{}").header(INVOCATION_ID, "two words"));
    api.push(Event::new("bad-2", "{}").header(INVOCATION_ID, "a\"quoted\""));

    for id in ["empty-1", "empty-2"] {
        let post = api.answer_for(id).await;
        assert_eq!(post.header("lambda-runtime-invocation-id"), None, "{id}");
        let info = post.json();
        for absent in [
            "clientContext",
            "identity",
            "traceId",
            "traceIdEnv",
            "tenantId",
            "invocationId",
        ] {
            assert_eq!(info[absent], Value::Null, "{absent}: {info}");
        }
    }
    for id in ["bad-1", "bad-2"] {
        let post = api.answer_for(id).await;
        assert_eq!(post.header("lambda-runtime-invocation-id"), None, "{id}: not echoed");
        assert_eq!(post.json()["invocationId"], Value::Null, "{id}");
    }
    // Everything it logged, to the end: the process is stopped and its output read whole.
    api.wait_for_polls(5).await;
    bootstrap.signal("TERM");
    assert!(bootstrap.exit_status().await.success(), "{}", api.diagnostics());
    let stderr = bootstrap.stderr();
    assert_eq!(stderr.matches("not an HTTP token").count(), 1, "logged once: {stderr}");
    assert!(stderr.contains("bad-1") && stderr.contains("two words"), "{stderr}");
    assert!(
        !stderr.contains("ignoring the"),
        "empty is absent, not malformed: {stderr}"
    );
}

#[tokio::test]
async fn a_response_refused_as_late_ends_the_invocation_and_the_loop_goes_on() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "echo.raw");
    api.answer_with_type("/runtime/invocation/late-1/response", 410, "InvokeTimeout");
    api.answer_with_type("/runtime/invocation/gone-2/response", 400, "InvalidRequestID");
    api.push(overdue("late-1", "{}", Duration::from_millis(1500)).header(INVOCATION_ID, "inv-late-1"));
    api.push(Event::new("gone-2", "{}"));
    api.push(Event::new("ok-3", r#"{"after": "late"}"#));

    let ok = api.answer_for("ok-3").await;
    assert_eq!(ok.text(), r#"{"after": "late"}"#);
    let log = api.wait_for_polls(4).await;
    assert_eq!(
        calls(&log),
        [
            next(),
            response("late-1"),
            next(),
            response("gone-2"),
            next(),
            response("ok-3"),
            next()
        ],
        "no error post follows an answer the API refused as late"
    );
    let late = log.iter().find(|r| r.answers("late-1")).unwrap();
    assert_eq!(late.header("lambda-runtime-invocation-id"), Some("inv-late-1"));
    let stderr = bootstrap
        .wait_stderr("both late answers logged", |s| {
            s.contains("late-1") && s.contains("gone-2")
        })
        .await;
    let line = stderr.lines().find(|l| l.contains("late-1")).unwrap();
    assert!(
        line.contains("WARN") && line.contains("too late") && line.contains("InvokeTimeout"),
        "{line}"
    );
    let late_by: u64 = line
        .split(" ms after its deadline")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("says how late: {line}"));
    assert!(late_by >= 1500, "{line}");
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn an_error_post_refused_as_late_is_not_sent_again() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "fail.always");
    api.answer_with_type("/runtime/invocation/late-err/error", 410, "InvokeTimeout");
    api.push(overdue("late-err", r#"{"reason": "slow"}"#, Duration::from_secs(2)));
    api.push(Event::new("err-after", r#"{"reason": "next"}"#));

    api.answer_for("err-after").await;
    let log = api.wait_for_polls(3).await;
    assert_eq!(
        calls(&log),
        [next(), error("late-err"), next(), error("err-after"), next()],
        "one error post each: the late one is not followed by the plain error"
    );
    bootstrap
        .wait_stderr("the late answer logged", |s| s.contains("too late"))
        .await;
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

/// `sleep.ms` with `AWS_LAMBDA_MAX_CONCURRENCY=loops` (and `env`), once every loop polls.
async fn sleepers(loops: usize, env: &[(&str, &str)]) -> (FakeApi, Bootstrap) {
    let api = FakeApi::start().await;
    let mut command = command(Some(&api.host_port()), Some("sleep.ms"));
    command.env("AWS_LAMBDA_MAX_CONCURRENCY", loops.to_string());
    command.envs(env.iter().copied());
    let bootstrap = Bootstrap::spawn(command, Some(&api));
    api.wait_for_polls(loops).await;
    (api, bootstrap)
}

#[tokio::test]
async fn under_managed_instances_a_handler_that_never_returns_is_cancelled_and_its_loop_serves_again() {
    // Two loops and the default grace (2 s, on because there is more than one loop).
    let (api, mut bootstrap) = sleepers(2, &[]).await;
    // Lambda answers the late error with 410, as it does after a timeout.
    api.answer_with_type("/runtime/invocation/hung-1/error", 410, "InvokeTimeout");
    // Its deadline passed 1.9 s ago: the grace ends in about 100 ms.
    api.push(overdue("hung-1", r#"{"ms": 86400000}"#, Duration::from_millis(1900)).header(INVOCATION_ID, "inv-hung-1"));
    let cancelled = api.answer_for("hung-1").await;
    assert_eq!(cancelled.call(), error("hung-1"));
    assert_eq!(cancelled.header("lambda-runtime-invocation-id"), Some("inv-hung-1"));
    let message = assert_error_body(&cancelled, "Runtime.HandlerOverrun");
    assert!(
        message.contains("hung-1") && message.contains("2000 ms after its deadline"),
        "{message}"
    );
    // The loop it held polls again...
    api.wait_for_polls(3).await;
    // ...so with one loop busy for a minute (events are taken in order: busy-2 first), the other still
    // serves quick-3: the environment is not down to N-1.
    api.push(Event::new("busy-2", r#"{"ms": 60000}"#));
    api.push(Event::new("quick-3", r#"{"ms": 0}"#));
    assert_eq!(api.answer_for("quick-3").await.json(), serde_json::json!({"slept": 0}));
    assert!(!api.requests().iter().any(|r| r.answers("busy-2")), "busy-2 still runs");
    let stderr = bootstrap
        .wait_stderr("the cancellation and the late answer logged", |s| {
            s.contains("too late")
        })
        .await;
    let line = stderr
        .lines()
        .find(|l| l.contains("Runtime.HandlerOverrun"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("hung-1"), "{line}");
    assert_eq!(
        api.requests().iter().filter(|r| r.answers("hung-1")).count(),
        1,
        "one post, refused as late"
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn the_grace_is_set_by_the_environment_and_a_bad_value_is_an_init_error() {
    // One loop, where the grace is off by default: the variable turns it on.
    let (api, _bootstrap) = sleepers(1, &[("LAMBDA_RT_OVERRUN_GRACE", "0.05")]).await;
    api.push(overdue("hung-single", r#"{"ms": 86400000}"#, Duration::ZERO));
    let cancelled = api.answer_for("hung-single").await;
    let message = assert_error_body(&cancelled, "Runtime.HandlerOverrun");
    assert!(message.contains("50 ms after its deadline"), "{message}");
    api.wait_for_polls(2).await;

    let (api, mut bootstrap) = {
        let api = FakeApi::start().await;
        let mut command = command(Some(&api.host_port()), Some("sleep.ms"));
        command.env("LAMBDA_RT_OVERRUN_GRACE", "soon");
        let bootstrap = Bootstrap::spawn(command, Some(&api));
        (api, bootstrap)
    };
    let log = api
        .wait_until("the init error", |log| log.iter().any(|r| r.call() == init_error()))
        .await;
    let post = log.iter().find(|r| r.call() == init_error()).unwrap();
    let message = assert_error_body(post, "Runtime.InitError");
    assert!(
        message.contains("LAMBDA_RT_OVERRUN_GRACE=\"soon\"") && message.contains("`off`"),
        "{message}"
    );
    assert_eq!(bootstrap.exit_status().await.code(), Some(1));
}

#[tokio::test]
async fn a_streamed_body_that_never_comes_is_cut_off_like_a_handler() {
    let api = FakeApi::start().await;
    let mut command = command(Some(&api.host_port()), Some("stream.lines"));
    command.env("LAMBDA_RT_OVERRUN_GRACE", "0.05");
    let mut bootstrap = Bootstrap::spawn(command, Some(&api));
    // The handler returns its streaming response at once; the body's first line would take ten minutes.
    api.push(overdue(
        "slow-body",
        r#"{"count": 2, "delay_ms": 600000}"#,
        Duration::ZERO,
    ));
    api.push(Event::new("after-slow", r#"{"count": 1}"#));
    let cancelled = api.answer_for("slow-body").await;
    assert_eq!(
        cancelled.call(),
        error("slow-body"),
        "no byte of the body was sent: an error post"
    );
    let message = assert_error_body(&cancelled, "Runtime.HandlerOverrun");
    assert!(message.contains("slow-body"), "{message}");
    assert_eq!(
        api.answer_for("after-slow").await.text(),
        "line 1\n",
        "the loop goes on"
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}
