//! Graceful shutdown end to end: the real `bootstrap` serving `shutdown.demo` (whose state has a
//! `#[shutdown]` hook) against a Runtime API and Extensions API on 127.0.0.1. The runtime registers
//! an extension so that Lambda sends SIGTERM; on SIGTERM it stops polling, lets the invocation in
//! flight post its answer, runs the hook within the budget, and exits 0.

// Panicking is how a helper of a test fails it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::support;

use std::time::Duration;

use support::{Bootstrap, Event, FakeApi, command, response};

const HOOK_LINE: &str = "shutdown: closing connections after";

/// Starts `shutdown.demo` with `env` and waits until it registered its extension and polls `next`.
async fn started(env: &[(&str, &str)]) -> (FakeApi, Bootstrap) {
    let api = FakeApi::start().await;
    let mut command = command(Some(&api.host_port()), Some("shutdown.demo"));
    command.envs(env.iter().copied());
    let bootstrap = Bootstrap::spawn(command, Some(&api));
    let log = api.wait_for_polls(1).await;
    let register = log
        .iter()
        .find(|r| r.call_path.ends_with("/2020-01-01/extension/register"))
        .expect("the extension registered before the first poll");
    assert_eq!(register.header("lambda-extension-name"), Some("lambda-rt-shutdown"));
    assert_eq!(register.json(), serde_json::json!({"events": []}));
    api.wait_until("the extension's event poll", |log| {
        log.iter().any(|r| {
            r.call_path.ends_with("/2020-01-01/extension/event/next")
                && r.header("lambda-extension-identifier") == Some("ext-0001")
        })
    })
    .await;
    (api, bootstrap)
}

#[tokio::test(flavor = "current_thread")]
async fn sigterm_while_idle_runs_the_hook_and_exits_0() {
    let (api, mut bootstrap) = started(&[]).await;
    api.push(Event::new("before-1", r#"{"ms": 0}"#));
    assert_eq!(api.answer_for("before-1").await.call(), response("before-1"));
    api.wait_for_polls(2).await;
    bootstrap.signal("TERM");
    let status = bootstrap.exit_status().await;
    assert_eq!(status.code(), Some(0), "{}", bootstrap.stderr());
    let stderr = bootstrap.stderr();
    assert!(stderr.contains(&format!("{HOOK_LINE} 1 invocations")), "{stderr}");
}

#[tokio::test(flavor = "current_thread")]
async fn sigterm_during_an_invocation_posts_its_answer_first() {
    let (api, mut bootstrap) = started(&[]).await;
    api.push(Event::new("inflight-1", r#"{"ms": 150}"#));
    bootstrap
        .wait_stderr("the handler running", |s| s.contains("waiting 150 ms"))
        .await;
    bootstrap.signal("TERM");
    let status = bootstrap.exit_status().await;
    assert_eq!(status.code(), Some(0), "{}", bootstrap.stderr());
    let posted = api.answer_for("inflight-1").await;
    assert_eq!(posted.call(), response("inflight-1"));
    assert_eq!(posted.json(), serde_json::json!({"served": 1}));
    let stderr = bootstrap.stderr();
    assert!(
        stderr.contains(&format!("{HOOK_LINE} 1 invocations")),
        "the hook ran:\n{stderr}"
    );
    assert_eq!(
        api.requests().iter().filter(|r| r.is_next()).count(),
        1,
        "no poll after SIGTERM"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn sigterm_during_an_invocation_that_cannot_finish_answers_it_with_a_shutdown_error_and_exits_0() {
    let (api, mut bootstrap) = started(&[]).await;
    api.push(Event::new("stuck-1", r#"{"ms": 3600000}"#).header("Lambda-Runtime-Invocation-Id", "inv-stuck-1"));
    bootstrap
        .wait_stderr("the handler running", |s| s.contains("waiting 3600000 ms"))
        .await;
    bootstrap.signal("TERM");
    let status = bootstrap.exit_status().await;
    assert_eq!(status.code(), Some(0), "one post was made: {}", api.diagnostics());
    let posted = api.answer_for("stuck-1").await;
    assert_eq!(posted.call(), support::error("stuck-1"), "its caller learns at once");
    assert_eq!(posted.header("lambda-runtime-invocation-id"), Some("inv-stuck-1"));
    let message = support::assert_error_body(&posted, "Runtime.Shutdown");
    assert!(
        message.contains("stuck-1") && message.contains("shutting down"),
        "{message}"
    );
    let stderr = bootstrap.stderr();
    assert!(
        stderr.contains(&format!("{HOOK_LINE} 0 invocations")),
        "the hook ran after the cancelled invocation was answered:\n{stderr}"
    );
    assert_eq!(
        api.requests().iter().filter(|r| r.answers("stuck-1")).count(),
        1,
        "exactly one post"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_hook_that_overruns_is_cut_off_within_the_budget() {
    let (_api, mut bootstrap) = started(&[("SHUTDOWN_DEMO_HOOK_MS", "5000")]).await;
    bootstrap.signal("TERM");
    let status = bootstrap.exit_status().await;
    assert_eq!(status.code(), Some(0), "{}", bootstrap.stderr());
    let stderr = bootstrap.stderr();
    assert!(
        stderr.contains("shutdown hook `close`") && stderr.contains("was cut off"),
        "{stderr}"
    );
    // Cut off at what was left of the 450 ms budget, not after its own 5 s.
    let within: u64 = stderr
        .split("did not finish within ")
        .nth(1)
        .and_then(|rest| rest.split(" ms").next())
        .and_then(|ms| ms.parse().ok())
        .unwrap_or_else(|| panic!("says its budget: {stderr}"));
    assert!(within <= 450, "{stderr}");
    assert!(!stderr.contains(HOOK_LINE), "{stderr}");
}

#[tokio::test(flavor = "current_thread")]
async fn without_a_hook_no_extension_is_registered() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "echo.raw");
    api.push(Event::new("echo-1", "[1]"));
    api.answer_for("echo-1").await;
    let log = api.wait_for_polls(2).await;
    assert!(
        !log.iter().any(|r| r.call_path.contains("/extension/")),
        "{:?}",
        support::calls(&log)
    );
    // Ctrl-C locally stops it the same way.
    bootstrap.signal("INT");
    assert_eq!(bootstrap.exit_status().await.code(), Some(0), "{}", bootstrap.stderr());
}

#[tokio::test(flavor = "current_thread")]
async fn bootstrap_serve_runs_the_hooks_when_stopped() {
    use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, BufReader};
    let mut child = tokio::process::Command::new(support::bootstrap_path())
        .arg("serve")
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env_remove("_HANDLER")
        .env("LAMBDA_RT_PORT", "0")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("bootstrap serve starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("piped stderr"));
    let mut banner = String::new();
    let base = loop {
        banner.clear();
        assert!(
            stderr.read_line(&mut banner).await.expect("stderr") > 0,
            "exited before listening"
        );
        if let Some(rest) = banner.split("listening on ").nth(1) {
            break rest.split_whitespace().next().expect("an address").to_owned();
        }
    };
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let answer = client
        .post(format!("{base}/2015-03-31/functions/shutdown.demo/invocations"))
        .body(r#"{"ms": 0}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.text().await.unwrap(), r#"{"served":1}"#);
    let pid = child.id().expect("running").to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-s", "INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::time::timeout(Duration::from_secs(5), child.wait())
        .await
        .expect("it stops")
        .unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).await.unwrap();
    assert_eq!(status.code(), Some(0), "{rest}");
    assert!(rest.contains(&format!("{HOOK_LINE} 1 invocations")), "{rest}");
}
