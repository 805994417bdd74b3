//! Durable functions end to end against AWS's own local durable execution service, `dex-local-runner`
//! (PyPI `aws-durable-execution-sdk-python-testing`, installed by `.ci/run`): the runner starts an
//! execution of `orders.flow` and invokes it through the Lambda Invoke API of the `bootstrap`'s embedded
//! emulator; the workflow checkpoints its steps and its wait to the runner (`AWS_ENDPOINT_URL_LAMBDA`),
//! answers PENDING, is invoked again when the wait is over, replays, and succeeds with its receipt.
//!
//! Skipped with a notice when `dex-local-runner` is not on `PATH`, unless `LAMBDA_RT_REQUIRE_DEX=1` (as
//! CI sets it), which turns its absence into a failure.
#![allow(clippy::expect_used)]

use std::net::{Ipv4Addr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::tools::{Killed, free_port, tool_available, wait_for_port};

/// The ARN as a path label: percent-encoded whole (the runner's ARNs hold a `/`).
fn label(arn: &str) -> String {
    arn.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One HTTP/1.0 exchange with a server on 127.0.0.1 (the runner's API): the status and the JSON body. A
/// plain socket rather than reqwest: with lambda-fn's `durable` feature in the build, reqwest's TLS has no
/// default crypto provider, which reqwest's own client would need.
fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    use std::io::{Read as _, Write as _};
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("the runner accepts");
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("the request is sent");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("the answer is read");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    let json =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{method} {path}: {status}, not JSON ({e}): {body}"));
    (status, json)
}

#[test]
fn a_workflow_checkpoints_waits_and_resumes_under_aws_local_durable_execution_service() {
    if !tool_available(
        "dex-local-runner",
        "LAMBDA_RT_REQUIRE_DEX",
        "pip install aws-durable-execution-sdk-python-testing",
    ) {
        eprintln!("skipped: dex-local-runner is not installed (pip install aws-durable-execution-sdk-python-testing)");
        return;
    }
    let (lambda_port, runner_port) = (free_port(), free_port());
    let runner_url = format!("http://127.0.0.1:{runner_port}");
    let credentials = [
        ("AWS_ACCESS_KEY_ID", "AKIDLOCAL"),
        ("AWS_SECRET_ACCESS_KEY", "local-secret"),
        ("AWS_REGION", "us-west-2"),
        ("AWS_DEFAULT_REGION", "us-west-2"),
    ];
    let mut bootstrap = Command::new(env!("CARGO_BIN_EXE_bootstrap"));
    bootstrap
        .arg("serve")
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env("LAMBDA_RT_PORT", lambda_port.to_string())
        .env("AWS_ENDPOINT_URL_LAMBDA", &runner_url)
        .envs(credentials)
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
        .envs(credentials)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut runner = Killed(runner.spawn().expect("dex-local-runner starts"));
    wait_for_port(runner_port, &mut runner.0, "dex-local-runner");

    let input = json!({"id": "o-7", "quantity": 4}).to_string();
    let start = json!({
        "AccountId": "123456789012",
        "FunctionName": "orders.flow",
        "FunctionQualifier": "$LATEST",
        "ExecutionName": "order-o-7",
        "ExecutionTimeoutSeconds": 120,
        "ExecutionRetentionPeriodDays": 1,
        "Input": input,
    });
    let (status, started) = call(runner_port, "POST", "/start-durable-execution", Some(&start));
    assert_eq!(status, 201, "{started}");
    let arn = started["ExecutionArn"].as_str().expect("an execution ARN").to_owned();

    // The wait is 2 s: the execution ends once the runner invoked the workflow again after it.
    let execution_path = format!("/2025-12-01/durable-executions/{}", label(&arn));
    let deadline = Instant::now() + Duration::from_secs(90);
    let execution = loop {
        let (_, execution) = call(runner_port, "GET", &execution_path, None);
        if execution["Status"] != "RUNNING" {
            break execution;
        }
        assert!(Instant::now() < deadline, "still running after 90 s: {execution}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(execution["Status"], "SUCCEEDED", "{execution}");
    let result: Value = serde_json::from_str(execution["Result"].as_str().expect("a result")).expect("JSON result");
    assert_eq!(
        result,
        json!({"order": "o-7", "reservation": "reservation-of-o-7", "charged_cents": 1000})
    );

    let (_, history) = call(runner_port, "GET", &format!("{execution_path}/history"), None);
    let events: Vec<&str> = history["Events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["EventType"].as_str())
        .collect();
    assert_eq!(
        events,
        [
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
        ],
        "one invocation up to the wait, a second after it that replays the first step: {history}"
    );
}
