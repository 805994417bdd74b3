//! Durable functions end to end against AWS's own local durable execution service, `dex-local-runner`
//! (PyPI `aws-durable-execution-sdk-python-testing`, installed by `.ci/run`): the runner starts an
//! execution and invokes the workflow through the Lambda Invoke API of the `bootstrap`'s embedded
//! emulator; the workflow checkpoints to the runner (`AWS_ENDPOINT_URL_LAMBDA`), answers PENDING, is
//! invoked again when what it waits on is over, replays, and succeeds. `orders.flow` waits 2 s;
//! `orders.approve` waits for a callback, which the test completes with the AWS CLI
//! (`aws lambda send-durable-execution-callback-success`) against the runner.
//!
//! Skipped with a notice when `dex-local-runner` is not on `PATH`, unless `LAMBDA_RT_REQUIRE_DEX=1` (as
//! CI sets it), which turns its absence into a failure.
#![allow(clippy::expect_used)]

use std::net::{Ipv4Addr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::tools::{Killed, aws_cli_available, free_port, tool_available, wait_for_port};

/// The ARN as a path label: percent-encoded whole (the runner's ARNs hold a `/`).
pub(super) fn label(arn: &str) -> String {
    arn.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One HTTP/1.0 exchange with a server on 127.0.0.1: the status, the head and the body. A
/// plain socket rather than reqwest: with lambda-fn's `durable` feature in the build, reqwest's TLS has no
/// default crypto provider, which reqwest's own client would need.
pub(super) fn exchange(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    use std::io::{Read as _, Write as _};
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("the server accepts");
    let headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n{headers}\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("the request is sent");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("the answer is read");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    (status, head.to_owned(), body.to_owned())
}

/// [`exchange`] of JSON: the status and the JSON body.
pub(super) fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let body = body.map(Value::to_string).unwrap_or_default();
    let (status, _, answer) = exchange(port, method, path, &[], &body);
    let json =
        serde_json::from_str(&answer).unwrap_or_else(|e| panic!("{method} {path}: {status}, not JSON ({e}): {answer}"));
    (status, json)
}

/// `bootstrap serve` and `dex-local-runner` on 127.0.0.1, the runner invoking the workflows through the
/// emulator's Invoke API and the workflows checkpointing to the runner; both stopped when dropped.
struct LocalDurable {
    runner_port: u16,
    _processes: (Killed, Killed),
}

/// Dummy credentials: the runner signs its Invoke calls, and checks no signature.
const CREDENTIALS: [(&str, &str); 4] = [
    ("AWS_ACCESS_KEY_ID", "AKIDLOCAL"),
    ("AWS_SECRET_ACCESS_KEY", "local-secret"),
    ("AWS_REGION", "us-west-2"),
    ("AWS_DEFAULT_REGION", "us-west-2"),
];

impl LocalDurable {
    /// Both servers, or `None` (the test skips itself) when dex-local-runner is not installed.
    fn start() -> Option<LocalDurable> {
        if !tool_available(
            "dex-local-runner",
            "LAMBDA_RT_REQUIRE_DEX",
            "pip install aws-durable-execution-sdk-python-testing",
        ) {
            eprintln!(
                "skipped: dex-local-runner is not installed (pip install aws-durable-execution-sdk-python-testing)"
            );
            return None;
        }
        let (lambda_port, runner_port) = (free_port(), free_port());
        let mut bootstrap = Command::new(env!("CARGO_BIN_EXE_bootstrap"));
        bootstrap
            .arg("serve")
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .env("LAMBDA_RT_PORT", lambda_port.to_string())
            .env("AWS_ENDPOINT_URL_LAMBDA", format!("http://127.0.0.1:{runner_port}"))
            .envs(CREDENTIALS)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        let mut bootstrap = Killed(bootstrap.spawn().expect("bootstrap serve starts"));
        wait_for_port(lambda_port, &mut bootstrap.0, "bootstrap serve");
        let mut runner = Command::new("dex-local-runner");
        runner
            .args([
                "start-server",
                "--host",
                "127.0.0.1",
                "--port",
                &runner_port.to_string(),
            ])
            .args(["--lambda-endpoint", &format!("http://127.0.0.1:{lambda_port}")])
            // `orders.checkout` calls `orders.price` and `orders.flow`: the runner invokes only the functions it
            // is told of, and runs a call of a durable one as an execution of its own.
            .args([
                "--function-configs",
                r#"{"orders.price": {},
                    "orders.flow": {"DurableConfig": {"ExecutionTimeout": 120, "RetentionPeriodInDays": 1}}}"#,
            ])
            .envs(CREDENTIALS)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut runner = Killed(runner.spawn().expect("dex-local-runner starts"));
        wait_for_port(runner_port, &mut runner.0, "dex-local-runner");
        Some(LocalDurable {
            runner_port,
            _processes: (bootstrap, runner),
        })
    }

    /// Starts an execution of `function` on `input`: its ARN.
    fn start_execution(&self, function: &str, name: &str, input: &Value) -> String {
        let start = json!({
            "AccountId": "123456789012",
            "FunctionName": function,
            "FunctionQualifier": "$LATEST",
            "ExecutionName": name,
            "ExecutionTimeoutSeconds": 120,
            "ExecutionRetentionPeriodDays": 1,
            "Input": input.to_string(),
        });
        let (status, started) = call(self.runner_port, "POST", "/start-durable-execution", Some(&start));
        assert_eq!(status, 201, "{started}");
        started["ExecutionArn"].as_str().expect("an execution ARN").to_owned()
    }

    fn execution_path(arn: &str) -> String {
        format!("/2025-12-01/durable-executions/{}", label(arn))
    }

    /// The execution's history events.
    fn history(&self, arn: &str) -> Vec<Value> {
        let path = format!("{}/history", Self::execution_path(arn));
        let (_, history) = call(self.runner_port, "GET", &path, None);
        history["Events"].as_array().cloned().unwrap_or_default()
    }

    /// Polls until `ready` finds what it looks for in the history, at most 90 s.
    fn wait_for<T>(&self, arn: &str, what: &str, ready: impl Fn(&[Value]) -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let events = self.history(arn);
            if let Some(found) = ready(&events) {
                return found;
            }
            assert!(Instant::now() < deadline, "no {what} after 90 s: {events:?}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The execution once it is no longer running.
    fn finished(&self, arn: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let (_, execution) = call(self.runner_port, "GET", &Self::execution_path(arn), None);
            if execution["Status"] != "RUNNING" {
                return execution;
            }
            assert!(Instant::now() < deadline, "still running after 90 s: {execution}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// The history of an `orders.flow` execution, under either durable execution service: one invocation up
/// to the wait, a second after it that replays the first step.
pub(super) const ORDERS_FLOW_HISTORY: [&str; 10] = [
    "ExecutionStarted",
    "StepStarted",
    "StepSucceeded",
    "WaitStarted",
    "InvocationCompleted",
    "WaitSucceeded",
    "StepStarted",
    "StepSucceeded",
    "InvocationCompleted",
    "ExecutionSucceeded",
];

/// What `orders.checkout` of order `o-5` (3 items) gives, under either durable execution service.
pub(super) const CHECKOUT_O5: &str = "order o-5 checked out: reservation-of-o-5 (750 cents)";

/// An execution's result, read as JSON.
fn result_of(execution: &Value) -> Value {
    assert_eq!(execution["Status"], "SUCCEEDED", "{execution}");
    serde_json::from_str(execution["Result"].as_str().expect("a result")).expect("JSON result")
}

#[test]
fn a_workflow_checkpoints_waits_and_resumes_under_aws_local_durable_execution_service() {
    let Some(local) = LocalDurable::start() else {
        return;
    };
    let arn = local.start_execution("orders.flow", "order-o-7", &json!({"id": "o-7", "quantity": 4}));
    // The wait is 2 s: the execution ends once the runner invoked the workflow again after it.
    let execution = local.finished(&arn);
    assert_eq!(
        result_of(&execution),
        json!({"order": "o-7", "reservation": "reservation-of-o-7", "charged_cents": 1000})
    );
    let history = local.history(&arn);
    let events: Vec<&str> = history.iter().filter_map(|e| e["EventType"].as_str()).collect();
    assert_eq!(
        events, ORDERS_FLOW_HISTORY,
        "one invocation up to the wait, a second after it that replays the first step: {history:?}"
    );
}

#[test]
fn a_callback_completed_with_the_aws_cli_resumes_the_workflow_with_its_result() {
    if !aws_cli_available() {
        eprintln!("skipped: the AWS CLI is not installed (pip install awscli)");
        return;
    }
    let Some(local) = LocalDurable::start() else {
        return;
    };
    let arn = local.start_execution("orders.approve", "approve-o-9", &json!({"id": "o-9", "quantity": 2}));
    let callback_id = local.wait_for(&arn, "CallbackStarted event", |events| {
        events
            .iter()
            .find(|e| e["EventType"] == "CallbackStarted")
            .and_then(|e| e["CallbackStartedDetails"]["CallbackId"].as_str())
            .map(str::to_owned)
    });
    let (_, waiting) = call(local.runner_port, "GET", &LocalDurable::execution_path(&arn), None);
    assert_eq!(waiting["Status"], "RUNNING", "it waits for the approver: {waiting}");

    let sent = Command::new("aws")
        .args([
            "lambda",
            "send-durable-execution-callback-success",
            "--callback-id",
            &callback_id,
        ])
        .args(["--result", r#"{"approved": true, "by": "the AWS CLI"}"#])
        .args(["--endpoint-url", &format!("http://127.0.0.1:{}", local.runner_port)])
        .envs(CREDENTIALS)
        .output()
        .expect("aws runs");
    assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));

    let execution = local.finished(&arn);
    assert_eq!(
        result_of(&execution),
        json!("reservation-of-o-9: 500 cents charged, approved by the AWS CLI")
    );
    let history = local.history(&arn);
    let steps: Vec<&str> = history
        .iter()
        .filter(|e| e["EventType"] == "StepSucceeded")
        .filter_map(|e| e["Name"].as_str())
        .collect();
    assert_eq!(
        steps,
        ["reserve", "approval submitter", "charge"],
        "each step ran once, the replay after the callback read the first two: {history:?}"
    );
}

#[test]
fn a_typed_call_of_other_handlers_runs_them_under_aws_local_durable_execution_service() {
    let Some(local) = LocalDurable::start() else {
        return;
    };
    let arn = local.start_execution("orders.checkout", "checkout-o-5", &json!({"id": "o-5", "quantity": 3}));
    let execution = local.finished(&arn);
    assert_eq!(result_of(&execution), json!(CHECKOUT_O5));
    let history = local.history(&arn);
    let called: Vec<&str> = history
        .iter()
        .filter(|e| e["EventType"] == "ChainedInvokeStarted")
        .filter_map(|e| e["ChainedInvokeStartedDetails"]["FunctionName"].as_str())
        .collect();
    assert_eq!(called, ["orders.price", "orders.flow"], "{history:?}");
}
