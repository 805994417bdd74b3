//! End-to-end init errors of the `bootstrap`: an unknown or missing `_HANDLER` and a failing `#[init]`
//! function are posted to `/runtime/init/error` with the right errorType, the process exits non-zero,
//! and it never polls `next`.

use crate::support;

use support::{Bootstrap, FakeApi, HANDLERS, Recorded, assert_error_body, command, init_error};

/// Runs the bootstrap with `_HANDLER=handler` (or unset); expects exactly one init error post and a
/// non-zero exit; returns the post.
async fn init_fails(handler: Option<&str>, error_type: &str) -> Recorded {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::spawn(command(Some(&api.host_port()), handler), Some(&api));
    let status = bootstrap.exit_status().await;
    assert!(
        !status.success(),
        "_HANDLER={handler:?}: exit status {status}\n{}",
        api.diagnostics()
    );
    assert_eq!(
        api.calls(),
        [init_error()],
        "_HANDLER={handler:?}: one init error post and never a next\n{}",
        api.diagnostics()
    );
    let post = api.requests().remove(0);
    assert_error_body(&post, error_type);
    post
}

fn assert_lists_every_handler(message: &str) {
    for name in HANDLERS {
        assert!(message.contains(name), "the message lists `{name}`: {message}");
    }
}

#[tokio::test]
async fn an_unknown_handler_is_handler_not_found_listing_names_and_suggesting_the_closest() {
    let post = init_fails(Some("helo.ALB"), "Runtime.HandlerNotFound").await;
    let message = post.json()["errorMessage"].as_str().expect("a message").to_owned();
    assert!(message.contains("helo.ALB"), "names what was asked for: {message}");
    assert_lists_every_handler(&message);
    let lower = message.to_lowercase();
    let suggestion = lower.find("did you mean").map(|at| &message[at..]);
    assert!(
        suggestion.is_some_and(|s| s.contains("hello.ALB")),
        "suggests hello.ALB: {message}"
    );
}

#[tokio::test]
async fn a_name_far_from_every_handler_gets_no_suggestion() {
    let post = init_fails(Some("billing.refund"), "Runtime.HandlerNotFound").await;
    let message = post.json()["errorMessage"].as_str().expect("a message").to_owned();
    assert_lists_every_handler(&message);
    assert!(
        !message.to_lowercase().contains("did you mean"),
        "no far-fetched suggestion: {message}"
    );
}

#[tokio::test]
async fn a_failing_init_function_is_runtime_init_error() {
    let post = init_fails(Some("init.fail"), "Runtime.InitError").await;
    let message = post.json()["errorMessage"].as_str().expect("a message").to_owned();
    assert!(
        message.contains("database unreachable at 10.0.0.1:5432"),
        "carries the init function's message: {message}"
    );
}

#[tokio::test]
async fn a_missing_handler_with_several_registered_is_handler_not_found() {
    let post = init_fails(None, "Runtime.HandlerNotFound").await;
    let message = post.json()["errorMessage"].as_str().expect("a message").to_owned();
    assert!(message.contains("_HANDLER"), "says _HANDLER is missing: {message}");
    assert_lists_every_handler(&message);
}

#[tokio::test]
async fn an_empty_handler_is_treated_as_missing() {
    let post = init_fails(Some(""), "Runtime.HandlerNotFound").await;
    let message = post.json()["errorMessage"].as_str().expect("a message").to_owned();
    assert_lists_every_handler(&message);
}

#[tokio::test]
async fn an_init_error_the_api_rejects_still_exits_non_zero() {
    let api = FakeApi::start().await;
    api.answer_with("/runtime/init/error", 500);
    let mut bootstrap = Bootstrap::start(&api, "helo.ALB");
    let status = bootstrap.exit_status().await;
    assert!(!status.success(), "exit status {status}");
    assert_eq!(api.calls(), [init_error()]);
}
