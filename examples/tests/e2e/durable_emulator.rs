//! Durable workflows under `bootstrap serve` alone: the embedded emulator is the durable execution service
//! (no `AWS_ENDPOINT_URL_LAMBDA`). An Invoke of a durable handler starts an execution; the emulator
//! invokes the workflow again after its wait or once its callback is completed with the AWS CLI, and
//! serves the execution's state and history on the Lambda API's routes. The history of `orders.flow` is
//! the one AWS's own local service records for it (`durable.rs`).
#![allow(clippy::expect_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::durable::{CHECKOUT_O5, ORDERS_FLOW_HISTORY, call, exchange, label};
use crate::support::tools::{Killed, aws_cli_available, free_port, wait_for_port};

/// `bootstrap serve` on a free port, the durable execution service of its own handlers.
struct Serve {
    port: u16,
    _process: Killed,
}

impl Serve {
    fn start() -> Serve {
        Serve::start_with(&[])
    }

    /// With more environment variables.
    fn start_with(envs: &[(&str, &str)]) -> Serve {
        let port = free_port();
        let mut bootstrap = Command::new(env!("CARGO_BIN_EXE_bootstrap"));
        bootstrap
            .arg("serve")
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .env_remove("AWS_ENDPOINT_URL_LAMBDA")
            .env_remove("AWS_ENDPOINT_URL")
            .env("LAMBDA_RT_PORT", port.to_string())
            .envs(envs.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut process = Killed(bootstrap.spawn().expect("bootstrap serve starts"));
        wait_for_port(port, &mut process.0, "bootstrap serve");
        Serve {
            port,
            _process: process,
        }
    }

    /// A synchronous Invoke: the status, the head and the body.
    fn invoke(&self, function: &str, headers: &[(&str, &str)], input: &Value) -> (u16, String, String) {
        let path = format!("/2015-03-31/functions/{function}/invocations");
        exchange(self.port, "POST", &path, headers, &input.to_string())
    }

    fn history(&self, arn: &str) -> Vec<Value> {
        let path = format!(
            "/2025-12-01/durable-executions/{}/history?IncludeExecutionData=true",
            label(arn)
        );
        let (status, history) = call(self.port, "GET", &path, None);
        assert_eq!(status, 200, "{history}");
        history["Events"].as_array().cloned().expect("events")
    }

    /// The id of execution `arn`'s callback, once the workflow waits for it (read with the AWS CLI).
    fn callback_id(&self, arn: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let history = self.aws(&["get-durable-execution-history", "--durable-execution-arn", arn]);
            let started = history["Events"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|e| e["EventType"] == "CallbackStarted");
            if let Some(id) = started.and_then(|e| e["CallbackStartedDetails"]["CallbackId"].as_str()) {
                return id.to_owned();
            }
            assert!(Instant::now() < deadline, "no CallbackStarted event: {history}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Starts an `orders.approve` execution named `name` on `input` with the AWS CLI (an Event Invoke), and
    /// waits until it waits for its approver: its ARN and its callback's id.
    fn start_approval(&self, name: &str, input: &str) -> (String, String) {
        let started = self.aws(&[
            "invoke",
            "--function-name",
            "orders.approve",
            "--invocation-type",
            "Event",
            "--durable-execution-name",
            name,
            "--payload",
            input,
            "/dev/null",
        ]);
        assert_eq!(started["StatusCode"], 202, "{started}");
        let arn = started["DurableExecutionArn"].as_str().expect("an ARN").to_owned();
        let callback_id = self.callback_id(&arn);
        let waiting = self.aws(&["get-durable-execution", "--durable-execution-arn", &arn]);
        assert_eq!(waiting["Status"], "RUNNING", "it waits for its approver: {waiting}");
        (arn, callback_id)
    }

    /// Completes the `orders.approve` execution `name` (of `input`), waiting for `callback_id`, with an
    /// approval by `by`, then waits for its end with a synchronous Invoke of the same name and input: its
    /// result.
    fn approve(&self, callback_id: &str, name: &str, input: &str, by: &str) -> String {
        let decision = json!({"approved": true, "by": by}).to_string();
        self.aws(&[
            "send-durable-execution-callback-success",
            "--callback-id",
            callback_id,
            "--result",
            &decision,
        ]);
        let (_, head, body) = self.invoke(
            "orders.approve",
            &[("x-amz-durable-execution-name", name)],
            &serde_json::from_str(input).expect("JSON"),
        );
        assert_eq!(header(&head, "x-amz-function-error"), None, "{body}");
        body
    }

    /// `aws lambda <args>` against this emulator, which succeeds: its JSON output.
    fn aws(&self, args: &[&str]) -> Value {
        aws(self.port, args)
    }

    fn aws_output(&self, args: &[&str]) -> std::process::Output {
        aws_output(self.port, args)
    }
}

/// `aws lambda <args> --endpoint-url <the emulator on port>`, which succeeds: its JSON output.
fn aws(port: u16, args: &[&str]) -> Value {
    let output = aws_output(port, args);
    assert!(
        output.status.success(),
        "aws lambda {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    if text.trim().is_empty() {
        return Value::Null;
    }
    serde_json::from_str(&text).expect("the AWS CLI prints JSON")
}

fn aws_output(port: u16, args: &[&str]) -> std::process::Output {
    Command::new("aws")
        .arg("lambda")
        .args(args)
        .args([
            "--endpoint-url",
            &format!("http://127.0.0.1:{port}"),
            "--output",
            "json",
        ])
        .envs([
            ("AWS_ACCESS_KEY_ID", "local"),
            ("AWS_SECRET_ACCESS_KEY", "local"),
            ("AWS_DEFAULT_REGION", "us-east-1"),
        ])
        .output()
        .expect("aws runs")
}

/// The value of header `name` (lower case) in a response's head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (found, value) = line.split_once(':')?;
        found.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn event_types(history: &[Value]) -> Vec<&str> {
    history.iter().filter_map(|e| e["EventType"].as_str()).collect()
}

#[test]
fn invoking_a_durable_handler_runs_its_execution_to_the_end_and_records_its_history() {
    let serve = Serve::start();
    let (status, head, body) = serve.invoke("orders.flow", &[], &json!({"id": "o-7", "quantity": 4}));
    assert_eq!(status, 200, "{head}\n{body}");
    assert_eq!(header(&head, "x-amz-function-error"), None, "{body}");
    let receipt: Value = serde_json::from_str(&body).expect("the result is JSON");
    assert_eq!(
        receipt,
        json!({"order": "o-7", "reservation": "reservation-of-o-7", "charged_cents": 1000})
    );
    let arn = header(&head, "x-amz-durable-execution-arn").expect("the execution's ARN");
    assert!(
        arn.contains(":function:orders.flow:$LATEST/durable-execution/"),
        "{arn}"
    );
    let (_, listed) = call(
        serve.port,
        "GET",
        "/2025-12-01/functions/orders.flow/durable-executions",
        None,
    );
    assert_eq!(listed["DurableExecutions"][0]["DurableExecutionArn"], arn, "{listed}");
    let history = serve.history(arn);
    assert_eq!(
        event_types(&history),
        ORDERS_FLOW_HISTORY,
        "one invocation up to the wait, a second after it that replays the first step: {history:?}"
    );
    let wait_ended = history[5]["EventTimestamp"].as_f64().expect("a timestamp");
    let scheduled = history[3]["WaitStartedDetails"]["ScheduledEndTimestamp"]
        .as_f64()
        .expect("a scheduled end");
    assert!(
        wait_ended >= scheduled,
        "the wait ended at {wait_ended}, before {scheduled}"
    );
    assert_eq!(history[5]["WaitSucceededDetails"]["Duration"], 2);
    let ids: Vec<_> = history.iter().map(|e| e["EventId"].as_u64()).collect();
    assert_eq!(ids, (1..=10).map(Some).collect::<Vec<_>>());
}

#[test]
fn a_failed_workflow_answers_its_error_and_a_name_is_one_execution() {
    let serve = Serve::start();
    let name = [("x-amz-durable-execution-name", "empty-order")];
    let (status, head, body) = serve.invoke("orders.flow", &name, &json!({"id": "o-0", "quantity": 0}));
    assert_eq!(status, 200);
    assert_eq!(header(&head, "x-amz-function-error"), Some("Unhandled"), "{body}");
    let error: Value = serde_json::from_str(&body).expect("the error is JSON");
    assert_eq!(error["errorType"], "EmptyOrder", "{error}");
    // The same name and input: the same execution, not another.
    let (_, again, _) = serve.invoke("orders.flow", &name, &json!({"id": "o-0", "quantity": 0}));
    assert_eq!(
        header(&again, "x-amz-durable-execution-arn"),
        header(&head, "x-amz-durable-execution-arn")
    );
    // The same name with another input is refused.
    let (status, conflict, body) = serve.invoke("orders.flow", &name, &json!({"id": "o-1", "quantity": 1}));
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        header(&conflict, "x-amzn-errortype"),
        Some("DurableExecutionAlreadyStartedException")
    );
    let (_, listed) = call(
        serve.port,
        "GET",
        "/2025-12-01/functions/orders.flow/durable-executions",
        None,
    );
    assert_eq!(
        listed["DurableExecutions"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    assert_eq!(listed["DurableExecutions"][0]["Status"], "FAILED");
}

#[test]
fn the_aws_cli_starts_a_workflow_completes_its_callback_and_stops_another() {
    if !aws_cli_available() {
        eprintln!("skipped: the AWS CLI is not installed (pip install awscli)");
        return;
    }
    let serve = Serve::start();
    let input = r#"{"id": "o-9", "quantity": 2}"#;
    // The workflow runs up to its callback and suspends; the approver reads the id from the history.
    let (arn, callback_id) = serve.start_approval("approve-o-9", input);
    // A synchronous Invoke of the same name and input waits for that execution's end.
    let body = serve.approve(&callback_id, "approve-o-9", input, "the AWS CLI");
    assert_eq!(
        body,
        r#""reservation-of-o-9: 500 cents charged, approved by the AWS CLI""#
    );
    let done = serve.aws(&["get-durable-execution", "--durable-execution-arn", &arn]);
    assert_eq!(done["Status"], "SUCCEEDED", "{done}");
    // The callback is closed: a second answer is refused.
    let again = serve.aws_output(&[
        "send-durable-execution-callback-success",
        "--callback-id",
        &callback_id,
        "--result",
        "{}",
    ]);
    assert!(!again.status.success());
    let refusal = String::from_utf8_lossy(&again.stderr);
    assert!(refusal.contains("ResourceNotFoundException"), "{refusal}");

    // Another execution waits for its approver, and is stopped instead.
    let other = serve.aws(&[
        "invoke",
        "--function-name",
        "orders.approve",
        "--invocation-type",
        "Event",
        "--payload",
        r#"{"id": "o-10", "quantity": 1}"#,
        "/dev/null",
    ]);
    let other = other["DurableExecutionArn"].as_str().expect("an ARN").to_owned();
    let stopped = serve.aws(&["stop-durable-execution", "--durable-execution-arn", &other]);
    assert!(stopped["StopTimestamp"].is_number(), "{stopped}");
    let listed = serve.aws(&[
        "list-durable-executions-by-function",
        "--function-name",
        "orders.approve",
        "--statuses",
        "STOPPED",
    ]);
    let stopped: Vec<_> = listed["DurableExecutions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["DurableExecutionArn"].as_str())
        .collect();
    assert_eq!(stopped, [other.as_str()], "{listed}");
    let history = serve.history(&other);
    assert_eq!(event_types(&history).last(), Some(&"ExecutionStopped"), "{history:?}");
}

#[test]
fn a_plain_handler_calls_another_through_the_invoke_api_and_gets_its_result_or_its_error() {
    let serve = Serve::start();
    let orders = json!([{"id": "o-1", "quantity": 2}, {"id": "o-2", "quantity": 3}]);
    let (status, head, body) = serve.invoke("orders.total", &[], &orders);
    assert_eq!(status, 200, "{head}\n{body}");
    assert_eq!(header(&head, "x-amz-function-error"), None, "{body}");
    assert_eq!(body, "1250");
    // The called handler's error is the caller's, with its type.
    let orders = json!([{"id": "o-1", "quantity": 2}, {"id": "o-0", "quantity": 0}]);
    let (_, head, body) = serve.invoke("orders.total", &[], &orders);
    assert_eq!(header(&head, "x-amz-function-error"), Some("Unhandled"), "{body}");
    let error: Value = serde_json::from_str(&body).expect("the error is JSON");
    assert_eq!(error["errorType"], "EmptyOrder", "{error}");
    assert_eq!(error["errorMessage"], "order o-0 has no items to price");
}

#[test]
fn a_typed_call_runs_the_other_handlers_of_the_binary_a_durable_one_as_its_own_execution() {
    let serve = Serve::start();
    let (status, head, body) = serve.invoke("orders.checkout", &[], &json!({"id": "o-5", "quantity": 3}));
    assert_eq!(status, 200, "{head}\n{body}");
    assert_eq!(header(&head, "x-amz-function-error"), None, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).expect("JSON"), json!(CHECKOUT_O5));
    let arn = header(&head, "x-amz-durable-execution-arn").expect("the execution's ARN");
    let history = serve.history(arn);
    let started: Vec<&Value> = history
        .iter()
        .filter(|e| e["EventType"] == "ChainedInvokeStarted")
        .map(|e| &e["ChainedInvokeStartedDetails"])
        .collect();
    let called: Vec<_> = started.iter().filter_map(|d| d["FunctionName"].as_str()).collect();
    assert_eq!(called, ["orders.price", "orders.flow"], "{history:?}");
    // `orders.flow` ran as an execution of its own, which the invoke names.
    let child = started[1]["DurableExecutionArn"]
        .as_str()
        .expect("the child execution's ARN");
    let (_, listed) = call(
        serve.port,
        "GET",
        "/2025-12-01/functions/orders.flow/durable-executions",
        None,
    );
    assert_eq!(listed["DurableExecutions"][0]["DurableExecutionArn"], child, "{listed}");
    assert_eq!(listed["DurableExecutions"][0]["Status"], "SUCCEEDED");
    let results: Vec<_> = history
        .iter()
        .filter(|e| e["EventType"] == "ChainedInvokeSucceeded")
        .map(|e| e["ChainedInvokeSucceededDetails"]["Result"]["Payload"].clone())
        .collect();
    assert_eq!(results[0], "750", "{history:?}");

    // The template wires what `calls = [price, flow]` declares: the manifest says it.
    let manifest = Command::new(env!("CARGO_BIN_EXE_bootstrap"))
        .arg("manifest")
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .output()
        .expect("bootstrap manifest runs");
    let manifest: Value = serde_json::from_slice(&manifest.stdout).expect("a JSON manifest");
    let checkout = manifest["handlers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|h| h["name"] == "orders.checkout")
        .expect("orders.checkout is in the manifest");
    assert_eq!(checkout["calls"], json!(["orders.flow", "orders.price"]));
}

/// `bootstrap invoke <handler> <event>`, the event written to a file: the process, started.
fn bootstrap_invoke(handler: &str, event: &Value, port: Option<u16>) -> std::process::Child {
    let file = std::env::temp_dir().join(format!("lambda-rt-durable-{handler}-{}.json", free_port()));
    std::fs::write(&file, event.to_string()).expect("the event is written");
    let mut command = Command::new(env!("CARGO_BIN_EXE_bootstrap"));
    command
        .arg("invoke")
        .arg(handler)
        .arg(&file)
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env_remove("AWS_ENDPOINT_URL_LAMBDA")
        .env_remove("AWS_ENDPOINT_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match port {
        Some(port) => command.env("LAMBDA_RT_PORT", port.to_string()),
        None => command.env_remove("LAMBDA_RT_PORT"),
    };
    command.spawn().expect("bootstrap invoke starts")
}

#[test]
fn bootstrap_invoke_runs_a_durable_execution_to_its_end_and_prints_its_history() {
    let run = bootstrap_invoke("orders.flow", &json!({"id": "o-4", "quantity": 1}), None)
        .wait_with_output()
        .expect("bootstrap invoke ends");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr),
    );
    assert!(run.status.success(), "{stderr}");
    let receipt: Value = serde_json::from_str(stdout.trim()).expect("the result is JSON");
    assert_eq!(receipt["charged_cents"], 250, "{stdout}");
    let history: Vec<&str> = stderr
        .lines()
        .skip_while(|line| !line.starts_with("durable execution arn:"))
        .skip(1)
        .collect();
    let types: Vec<&str> = history
        .iter()
        .filter_map(|line| line.split_whitespace().nth(1))
        .collect();
    assert_eq!(types, ORDERS_FLOW_HISTORY, "{stderr}");
    assert!(history[3].ends_with("`cool-off`, 2 s"), "{}", history[3]);
    assert!(
        history[2].contains("`reserve`, attempt 1, result: \"reservation-of-o-4\""),
        "{}",
        history[2]
    );

    let failed = bootstrap_invoke("orders.flow", &json!({"id": "o-0", "quantity": 0}), None)
        .wait_with_output()
        .expect("bootstrap invoke ends");
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains(r#""errorType":"EmptyOrder""#), "{stderr}");
    assert!(failed.stdout.is_empty());
}

#[test]
fn bootstrap_invoke_starts_the_handlers_a_workflow_calls_on_demand_and_no_other() {
    let run = bootstrap_invoke("orders.checkout", &json!({"id": "o-5", "quantity": 3}), None)
        .wait_with_output()
        .expect("bootstrap invoke ends");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let result: Value = serde_json::from_slice(&run.stdout).expect("the result is JSON");
    assert_eq!(
        result,
        json!(CHECKOUT_O5),
        "orders.price and orders.flow ran when called"
    );
    // `init.fail`'s `#[init]` fails whenever its runtime starts; nothing here invokes it.
    assert!(
        !stderr.contains("database unreachable"),
        "a handler nothing called was started:\n{stderr}"
    );
}

#[test]
fn bootstrap_invoke_waits_for_a_callback_that_the_aws_cli_completes_from_another_shell() {
    use std::io::BufRead as _;
    if !aws_cli_available() {
        eprintln!("skipped: the AWS CLI is not installed (pip install awscli)");
        return;
    }
    let port = free_port();
    let mut child = bootstrap_invoke("orders.approve", &json!({"id": "o-8", "quantity": 4}), Some(port));
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut lines = std::io::BufReader::new(stderr).lines();
    // The log tells how to complete the callback once the workflow waits for it.
    let callback_id = loop {
        let line = lines
            .next()
            .expect("bootstrap invoke logs the callback before it ends")
            .expect("stderr is text");
        if let Some((_, rest)) = line.split_once("--callback-id ") {
            break rest.split_whitespace().next().expect("an id").to_owned();
        }
    };
    let mut child = Killed(child);
    aws(
        port,
        &[
            "send-durable-execution-callback-success",
            "--callback-id",
            &callback_id,
            "--result",
            r#"{"approved": false, "by": "a second shell"}"#,
        ],
    );
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let child = &mut child.0;
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().expect("stdout is piped"), &mut stdout)
        .expect("stdout is read");
    assert!(child.wait().expect("it ends").success(), "{rest:?}");
    assert_eq!(
        stdout.trim(),
        r#""released reservation-of-o-8: refused by a second shell""#
    );
    assert!(
        rest.iter().any(|line| line.contains("CallbackSucceeded")),
        "the history shows the callback: {rest:?}"
    );
}

#[test]
fn an_execution_kept_in_a_file_survives_a_restart_of_bootstrap_serve() {
    if !aws_cli_available() {
        eprintln!("skipped: the AWS CLI is not installed (pip install awscli)");
        return;
    }
    let state = std::env::temp_dir().join(format!("lambda-rt-durable-state-{}.json", free_port()));
    let _ = std::fs::remove_file(&state);
    let kept = [("LAMBDA_RT_DURABLE_STATE", state.to_str().expect("a UTF-8 path"))];
    let input = r#"{"id": "o-11", "quantity": 3}"#;
    let first = Serve::start_with(&kept);
    let (arn, callback_id) = first.start_approval("approve-o-11", input);
    drop(first);

    // Another process, the same file: the execution waits there still, and its callback is the same.
    let second = Serve::start_with(&kept);
    let waiting = second.aws(&["get-durable-execution", "--durable-execution-arn", &arn]);
    assert_eq!(waiting["Status"], "RUNNING", "{waiting}");
    let body = second.approve(&callback_id, "approve-o-11", input, "after a restart");
    assert_eq!(
        body,
        r#""reservation-of-o-11: 750 cents charged, approved by after a restart""#
    );
    // The step before the callback ran in the first process only: the second replayed it.
    let history = second.history(&arn);
    let reserved = history
        .iter()
        .filter(|e| e["EventType"] == "StepSucceeded" && e["Name"] == "reserve")
        .count();
    assert_eq!(reserved, 1, "{history:?}");
    drop(second);

    // A file that is not the emulator's stops it rather than be overwritten.
    std::fs::write(&state, "not JSON").expect("the file is written");
    let refused = Command::new(env!("CARGO_BIN_EXE_bootstrap"))
        .arg("serve")
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env_remove("AWS_ENDPOINT_URL_LAMBDA")
        .env_remove("AWS_ENDPOINT_URL")
        .env("LAMBDA_RT_PORT", "0")
        .envs(kept)
        .output()
        .expect("bootstrap serve runs");
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("does not hold durable executions"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&state).expect("the file is kept"), "not JSON");
    let _ = std::fs::remove_file(&state);
}
