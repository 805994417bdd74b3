//! End-to-end robustness of the `bootstrap`'s Runtime API loop: broken `next` answers are skipped,
//! the statuses the API answers posts with are handled as docs/design.md says, the forms of
//! `AWS_LAMBDA_RUNTIME_API` are accepted or rejected, and 1,000 invocations in a row through one process
//! are each answered exactly once, in order, over one keep-alive connection.

use crate::support;

use support::{Bootstrap, Event, FakeApi, command, next, response};

#[tokio::test]
async fn a_next_answer_without_request_id_is_skipped_and_polled_again() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "echo.raw");
    api.push(Event::new("ignored", r#"{"no":"id"}"#).without("Lambda-Runtime-Aws-Request-Id"));
    api.push(Event::new("", r#"{"empty":"id"}"#));
    api.push(Event::new("after-missing-id", r#"{"served":true}"#));
    let answer = api.answer_for("after-missing-id").await;
    assert_eq!(answer.text(), r#"{"served":true}"#);
    let log = api.wait_for_polls(4).await;
    assert_eq!(
        support::calls(&log),
        [next(), next(), next(), response("after-missing-id"), next()],
        "no post for the answers without a request id"
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn a_request_id_that_cannot_be_a_url_path_segment_is_skipped_and_polled_again() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "echo.raw");
    api.push(Event::new("../../runtime/init/error", r#"{"escapes":"the path"}"#));
    api.push(Event::new("after-bad-id", r#"{"served":true}"#));
    let answer = api.answer_for("after-bad-id").await;
    assert_eq!(answer.text(), r#"{"served":true}"#);
    let log = api.wait_for_polls(3).await;
    assert_eq!(
        support::calls(&log),
        [next(), next(), response("after-bad-id"), next()],
        "nothing is posted for a request id that would change the URL"
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn an_invocation_without_a_usable_deadline_runs_with_the_deadline_unknown() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "context.info");
    let bad = [
        ("not-a-number", Some("soon")),
        ("negative", Some("-1700000000000")),
        ("beyond-u64", Some("18446744073709551616")),
        ("missing", None),
    ];
    for (id, deadline) in bad {
        let event = Event::new(id, "{}");
        api.push(match deadline {
            Some(value) => event.header("Lambda-Runtime-Deadline-Ms", value),
            None => event.without("Lambda-Runtime-Deadline-Ms"),
        });
    }
    for (id, _) in bad {
        let answer = api.answer_for(id).await;
        assert_eq!(answer.call(), response(id), "{}", api.diagnostics());
        let info = answer.json();
        assert_eq!(info["requestId"], id);
        assert_eq!(info["deadlineMs"], serde_json::Value::Null, "{info}");
    }
    api.wait_for_polls(5).await;
    let stderr = bootstrap.stderr();
    assert_eq!(
        stderr.matches("without a usable Lambda-Runtime-Deadline-Ms").count(),
        1,
        "the oddity is logged once: {stderr}"
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn malformed_json_headers_do_not_fail_the_invocation() {
    let api = FakeApi::start().await;
    let _bootstrap = Bootstrap::start(&api, "context.info");
    api.push(
        Event::new("bad-json-headers", "{}")
            .header("Lambda-Runtime-Client-Context", "{not json")
            .header("Lambda-Runtime-Cognito-Identity", r#"{"cognitoIdentityId": 5}"#),
    );
    let answer = api.answer_for("bad-json-headers").await;
    assert_eq!(answer.call(), response("bad-json-headers"));
    let info = answer.json();
    assert_eq!(info["requestId"], "bad-json-headers");
    assert_eq!(info["clientContext"], serde_json::Value::Null, "{info}");
    assert_eq!(info["identity"], serde_json::Value::Null, "{info}");
}

#[tokio::test]
async fn max_concurrency_polls_that_many_at_once_and_answers_each_invocation_once() {
    let api = FakeApi::start().await;
    let mut cmd = command(Some(&api.host_port()), Some("echo.raw"));
    cmd.env("AWS_LAMBDA_MAX_CONCURRENCY", "3");
    let mut bootstrap = Bootstrap::spawn(cmd, Some(&api));
    let log = api.wait_for_polls(3).await;
    assert_eq!(
        support::calls(&log),
        [next(), next(), next()],
        "three long polls at once"
    );
    for i in 0..30 {
        api.push(Event::new(&format!("conc-{i}"), format!("[{i}]")));
    }
    let log = api.wait_for_polls(33).await;
    for i in 0..30 {
        let id = format!("conc-{i}");
        let answers: Vec<_> = log.iter().filter(|r| r.answers(&id)).collect();
        assert_eq!(answers.len(), 1, "{id} answered exactly once\n{}", api.diagnostics());
        assert_eq!(answers[0].call(), response(&id));
        assert_eq!(answers[0].text(), format!("[{i}]"));
    }
    assert_eq!(log.len(), 63, "{}", api.diagnostics());
    assert!(
        api.connections() <= 3,
        "at most one connection per loop: {}",
        api.connections()
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn max_concurrency_spreads_the_loops_over_a_thread_per_core() {
    let api = FakeApi::start().await;
    let mut cmd = command(Some(&api.host_port()), Some("work.cpu"));
    cmd.env("AWS_LAMBDA_MAX_CONCURRENCY", "4");
    let mut bootstrap = Bootstrap::spawn(cmd, Some(&api));
    api.wait_for_polls(4).await;
    // Four CPU-bound invocations at once: each loop takes one, and a loop's thread is busy with it.
    for i in 0..4 {
        api.push(Event::new(&format!("cpu-{i}"), r#"{"ms": 200}"#));
    }
    let mut threads = std::collections::BTreeSet::new();
    for i in 0..4 {
        let answer = api.answer_for(&format!("cpu-{i}")).await;
        let done = answer.json();
        assert!(done["rounds"].as_u64().is_some_and(|r| r > 0), "{done}");
        threads.insert(done["thread"].as_str().unwrap_or_default().to_owned());
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    assert_eq!(
        threads.len(),
        cores.min(4),
        "one thread per core the process may use, at most one per loop: {threads:?}"
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

/// A response post refused with `status` (the invocation still open) is followed by an error post of
/// `error_type` for the same invocation, and the loop goes on.
async fn refused_response_becomes_an_error_post(status: u16, error_type: &str) {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "echo.raw");
    let rejected = format!("rejected-{status}");
    api.answer_with(&format!("/runtime/invocation/{rejected}/response"), status);
    api.push(Event::new(&rejected, "1"));
    api.push(Event::new("accepted", "2"));
    let answer = api.answer_for("accepted").await;
    assert_eq!(answer.text(), "2");
    let log = api.wait_for_polls(3).await;
    assert_eq!(
        support::calls(&log),
        [
            next(),
            response(&rejected),
            support::error(&rejected),
            next(),
            response("accepted"),
            next()
        ],
        "a {status} answer is not sent again; the invocation gets an error post"
    );
    let message = support::assert_error_body(&log[2], error_type);
    assert!(message.contains(&status.to_string()), "{message}");
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn a_400_answer_to_a_response_post_becomes_an_error_post() {
    refused_response_becomes_an_error_post(400, "Runtime.ResponseRejected").await;
}

#[tokio::test]
async fn a_413_answer_to_a_response_post_becomes_an_error_post() {
    refused_response_becomes_an_error_post(413, "Function.ResponseSizeTooLarge").await;
}

#[tokio::test]
async fn a_403_answer_to_a_response_post_means_it_was_answered_and_the_loop_goes_on() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "echo.raw");
    api.answer_with_type("/runtime/invocation/done/response", 403, "InvalidStateTransition");
    api.push(Event::new("done", "1"));
    api.push(Event::new("accepted", "2"));
    api.answer_for("accepted").await;
    let log = api.wait_for_polls(3).await;
    assert_eq!(
        support::calls(&log),
        [next(), response("done"), next(), response("accepted"), next()],
        "nothing more is posted for an invocation the API says is answered"
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn an_invalid_request_id_answer_to_an_error_post_ends_that_invocation_and_the_loop_goes_on() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "custom.Event");
    api.answer_with_type("/runtime/invocation/bad-1/error", 400, "InvalidRequestID");
    api.push(Event::new("bad-1", "{}"));
    api.push(Event::new("good-1", r#"{"name":"n","count":0}"#));
    api.answer_for("good-1").await;
    let log = api.wait_for_polls(3).await;
    assert_eq!(
        support::calls(&log),
        [next(), support::error("bad-1"), next(), response("good-1"), next()]
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn an_error_post_the_api_refuses_makes_the_process_exit_non_zero() {
    // The API keeps the invocation open and takes no answer for it: only an exit makes Lambda report it.
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "custom.Event");
    api.answer_with("/runtime/invocation/bad-1/error", 400);
    api.push(Event::new("bad-1", "{}"));
    api.push(Event::new("never-served", "{}"));
    let status = bootstrap.exit_status().await;
    assert!(!status.success(), "exit status {status}\n{}", api.diagnostics());
    // The error, then once more the plainest error there is, then the exit.
    assert_eq!(api.calls(), [next(), support::error("bad-1"), support::error("bad-1")]);
    let requests = api.requests();
    support::assert_error_body(&requests[2], "Runtime.Unknown");
    assert!(
        bootstrap.stderr().contains("exiting so that Lambda reports it"),
        "{}",
        bootstrap.stderr()
    );
}

#[tokio::test]
async fn a_500_answer_to_a_response_post_makes_the_process_exit_non_zero() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "echo.raw");
    api.answer_with("/runtime/invocation/fatal/response", 500);
    api.push(Event::new("fatal", "{}"));
    api.push(Event::new("never-served", "{}"));
    let status = bootstrap.exit_status().await;
    assert!(!status.success(), "exit status {status}\n{}", api.diagnostics());
    assert_eq!(
        api.calls(),
        [next(), response("fatal")],
        "after a 500 the runtime stops: no retry, no further next"
    );
}

#[tokio::test]
async fn a_500_answer_to_an_error_post_makes_the_process_exit_non_zero() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "fail.always");
    api.answer_with("/runtime/invocation/fatal/error", 500);
    api.push(Event::new("fatal", "{}"));
    let status = bootstrap.exit_status().await;
    assert!(!status.success(), "exit status {status}\n{}", api.diagnostics());
    assert_eq!(api.calls(), [next(), support::error("fatal")]);
}

#[tokio::test]
async fn a_500_answer_to_next_makes_the_process_exit_non_zero() {
    let api = FakeApi::start().await;
    api.answer_with("/runtime/invocation/next", 500);
    let mut bootstrap = Bootstrap::start(&api, "echo.raw");
    let status = bootstrap.exit_status().await;
    assert!(!status.success(), "exit status {status}\n{}", api.diagnostics());
    assert_eq!(api.calls(), [next()]);
}

/// One echo invocation through a bootstrap given `AWS_LAMBDA_RUNTIME_API=value`.
async fn echo_through(api: &FakeApi, value: &str) {
    let mut bootstrap = Bootstrap::spawn(command(Some(value), Some("echo.raw")), Some(api));
    api.push(Event::new("via-endpoint", r#"{"endpoint":"form"}"#));
    let answer = api.answer_for("via-endpoint").await;
    assert_eq!(answer.text(), r#"{"endpoint":"form"}"#);
    let log = api.wait_for_polls(2).await;
    assert_eq!(support::calls(&log), [next(), response("via-endpoint"), next()]);
    let base = format!("{}/2018-06-01", api.prefix());
    for request in &log {
        assert!(
            request.path.starts_with(&base),
            "{value}: {} is under {base}",
            request.path
        );
        assert!(
            request.target.starts_with('/'),
            "{value}: origin-form request target (no proxy): {}",
            request.target
        );
    }
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn runtime_api_with_http_scheme_works() {
    let api = FakeApi::start().await;
    echo_through(&api, &format!("http://127.0.0.1:{}", api.port())).await;
}

#[tokio::test]
async fn runtime_api_with_scheme_and_path_prefix_works() {
    let api = FakeApi::with_prefix("/prefix").await;
    echo_through(&api, &format!("http://127.0.0.1:{}/prefix", api.port())).await;
    assert_eq!(api.requests()[0].path, "/prefix/2018-06-01/runtime/invocation/next");
}

#[tokio::test]
async fn runtime_api_like_cargo_lambda_with_trailing_slash_works() {
    let api = FakeApi::with_prefix("/.rt").await;
    echo_through(&api, &format!("http://127.0.0.1:{}/.rt/", api.port())).await;
    assert_eq!(api.requests()[0].path, "/.rt/2018-06-01/runtime/invocation/next");
}

#[tokio::test]
async fn runtime_api_path_without_scheme_fails_fast_quoting_the_value() {
    let api = FakeApi::with_prefix("/.rt").await;
    let value = format!("127.0.0.1:{}/.rt", api.port());
    let mut bootstrap = Bootstrap::spawn(command(Some(&value), Some("echo.raw")), Some(&api));
    let status = bootstrap.exit_status().await;
    let stderr = bootstrap.stderr();
    assert!(!status.success(), "exit status {status}; stderr:\n{stderr}");
    assert_eq!(
        api.connections(),
        0,
        "fails fast: refused before any attempt to connect"
    );
    assert!(
        [format!("\"{value}\""), format!("`{value}`"), format!("'{value}'")]
            .iter()
            .any(|quoted| stderr.contains(quoted.as_str())),
        "stderr quotes the value {value}:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "an error, not a panic:\n{stderr}");
    assert_eq!(api.calls(), Vec::<String>::new(), "nothing was sent anywhere");
}

#[tokio::test]
async fn runtime_api_with_https_scheme_is_rejected() {
    let api = FakeApi::start().await;
    let value = format!("https://127.0.0.1:{}", api.port());
    let mut bootstrap = Bootstrap::spawn(command(Some(&value), Some("echo.raw")), Some(&api));
    let status = bootstrap.exit_status().await;
    let stderr = bootstrap.stderr();
    assert!(!status.success(), "exit status {status}; stderr:\n{stderr}");
    assert!(stderr.contains(&value), "stderr names the value {value}:\n{stderr}");
    assert_eq!(api.calls(), Vec::<String>::new());
}

#[tokio::test]
async fn a_thousand_invocations_in_a_row_are_each_answered_once_in_order() {
    const COUNT: usize = 1000;
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "echo.raw");
    let body = |i: usize| {
        format!(
            r#"{{"i": {i}, "id": "vol-{i:04}", "pad": "{}", "list": [{i}, {}, "{}"]}}"#,
            "x".repeat(i % 97),
            i * 7,
            "é".repeat(i % 5)
        )
    };
    for i in 0..COUNT {
        api.push(Event::new(&format!("vol-{i:04}"), body(i)));
    }
    let log = api.wait_for_polls(COUNT + 1).await;
    assert_eq!(log.len(), 2 * COUNT + 1, "{}", api.diagnostics());
    let mut expected = vec![next()];
    for i in 0..COUNT {
        expected.extend([response(&format!("vol-{i:04}")), next()]);
    }
    let calls = support::calls(&log);
    if calls != expected {
        let first = calls.iter().zip(&expected).position(|(a, b)| a != b);
        panic!(
            "the request sequence differs at index {first:?}: {:?} vs expected {:?}",
            first.map(|i| &calls[i]),
            first.map(|i| &expected[i])
        );
    }
    for i in 0..COUNT {
        let post = &log[2 * i + 1];
        assert_eq!(post.text(), body(i), "vol-{i:04} answered with its own body");
        assert_eq!(post.header("lambda-runtime-function-error-type"), None);
    }
    assert_eq!(
        api.connections(),
        1,
        "one keep-alive connection for all {COUNT} invocations"
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn a_connection_the_api_closes_is_retried_and_the_loop_goes_on() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "echo.raw");
    api.push(Event::hang_up());
    api.push(Event::new("after-hang-up", r#"{"retried":true}"#));
    let answer = api.answer_for("after-hang-up").await;
    assert_eq!(answer.text(), r#"{"retried":true}"#);
    let log = api.wait_for_polls(3).await;
    assert_eq!(
        support::calls(&log),
        [next(), next(), response("after-hang-up"), next()]
    );
    assert!(api.connections() >= 2, "the retry needed a new connection");
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn an_api_that_starts_listening_a_little_late_is_reached_by_retrying() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        probe.local_addr().expect("address").port()
    };
    let mut bootstrap = Bootstrap::spawn(command(Some(&format!("127.0.0.1:{port}")), Some("echo.raw")), None);
    // Not listening yet when the runtime first tries: it says it will try again.
    bootstrap
        .wait_stderr("a first connection refused", |s| s.contains("sending it again"))
        .await;
    let api = FakeApi::bind(&format!("127.0.0.1:{port}"), "").await;
    api.push(Event::new("late", "[]"));
    let answer = api.answer_for("late").await;
    assert_eq!(answer.text(), "[]");
    assert!(bootstrap.is_running(), "{}\n{}", api.diagnostics(), bootstrap.stderr());
}

#[tokio::test]
async fn an_api_that_never_listens_makes_the_process_exit_non_zero_after_bounded_retries() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        probe.local_addr().expect("address").port()
    };
    let mut bootstrap = Bootstrap::spawn(command(Some(&format!("127.0.0.1:{port}")), Some("echo.raw")), None);
    let status = bootstrap.exit_status().await;
    assert!(!status.success(), "exit status {status}\n{}", bootstrap.stderr());
    assert!(
        bootstrap.stderr().contains("did not answer after 6 attempts"),
        "the retries are bounded: {}",
        bootstrap.stderr()
    );
    assert!(!bootstrap.stderr().contains("panicked"), "{}", bootstrap.stderr());
}

#[tokio::test]
async fn a_five_megabyte_event_is_echoed_whole() {
    let api = FakeApi::start().await;
    let _bootstrap = Bootstrap::start(&api, "echo.raw");
    let big = format!(r#"{{"blob":"{}","end":true}}"#, "ab".repeat(5 * 512 * 1024));
    api.push(Event::new("big", big.clone()));
    let answer = api.answer_for("big").await;
    assert_eq!(answer.call(), response("big"));
    assert_eq!(answer.body.len(), big.len());
    assert!(answer.body == big.as_bytes(), "the big event came back unchanged");
}
