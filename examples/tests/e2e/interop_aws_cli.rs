//! Interoperability: the AWS CLI (`aws lambda invoke --endpoint-url ...`, installed by `.ci/run` from
//! PyPI) against the embedded emulator, as a user would call it; and botocore, the AWS SDK for Python
//! that comes with it, for InvokeWithResponseStream (which CLI v1 has no command for): it parses and
//! checksums the emulator's event-stream frames.
//!
//! Skipped with a notice when `aws` is not on `PATH`, unless `LAMBDA_RT_REQUIRE_AWS_CLI=1` (as CI sets
//! it), which turns its absence into a failure.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::support::tools::{Killed, aws_cli_available};

/// `aws lambda invoke` of `function` with `payload`; returns the CLI's JSON summary and the payload.
fn invoke(endpoint: &str, function: &str, payload: &str, out: &std::path::Path) -> (Value, Value) {
    let output = Command::new("aws")
        .args([
            "lambda",
            "invoke",
            "--endpoint-url",
            endpoint,
            "--function-name",
            function,
            "--payload",
            payload,
        ])
        .args(["--log-type", "Tail"])
        .arg(out)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "not-a-secret")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_PAGER", "")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("aws runs");
    assert!(
        output.status.success(),
        "aws lambda invoke failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = serde_json::from_slice(&output.stdout).expect("the CLI prints JSON");
    let payload = serde_json::from_slice(&std::fs::read(out).expect("the CLI wrote the payload")).expect("JSON");
    (summary, payload)
}

/// Starts `bootstrap` in emulator mode on a free port; returns it (killed when dropped) and its URL.
fn start_emulator() -> (Killed, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bootstrap"))
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env_remove("_HANDLER")
        .env("LAMBDA_RT_PORT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bootstrap starts");
    let stderr = child.stderr.take().expect("piped");
    let child = Killed(child);
    let mut lines = BufReader::new(stderr).lines().map_while(Result::ok);
    let line = lines
        .find(|l| l.contains("listening on "))
        .expect("the emulator says where it listens");
    // Keep reading its log so the pipe never fills.
    std::thread::spawn(move || lines.for_each(drop));
    let endpoint = line
        .split("listening on ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("an address");
    (child, endpoint.to_owned())
}

#[test]
fn aws_lambda_invoke_against_the_emulator() {
    if !aws_cli_available() {
        eprintln!("skipped: the AWS CLI is not installed (pip install awscli)");
        return;
    }
    let (_child, endpoint) = start_emulator();
    let endpoint = endpoint.as_str();
    let dir = std::env::temp_dir().join(format!("lambda-rt-aws-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");

    let (summary, payload) = invoke(
        endpoint,
        "custom.Event",
        r#"{"name": "cli", "count": 1}"#,
        &dir.join("ok.json"),
    );
    assert_eq!(summary["StatusCode"], 200);
    assert!(summary.get("FunctionError").is_none(), "{summary}");
    assert_eq!(payload, json!({ "greeting": "hello cli", "count": 2 }));
    let log = summary["LogResult"].as_str().expect("a log tail");
    assert!(!log.is_empty());

    // A full ARN, and a function error as the CLI reports it.
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:fail.always";
    let (summary, payload) = invoke(endpoint, arn, "{}", &dir.join("err.json"));
    assert_eq!(summary["StatusCode"], 200);
    assert_eq!(summary["FunctionError"], "Unhandled");
    assert_eq!(payload["errorType"], "CustomFailure");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Calls InvokeWithResponseStream through botocore and prints, as JSON, each event of the answer with
/// the milliseconds since the call when it arrived.
const INVOKE_WITH_RESPONSE_STREAM: &str = r#"
import json, sys, time
import botocore.session
client = botocore.session.get_session().create_client(
    "lambda", region_name="us-east-1", endpoint_url=sys.argv[1],
    aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="not-a-secret")
start = time.monotonic()
answer = client.invoke_with_response_stream(FunctionName=sys.argv[2], Payload=sys.argv[3].encode(), LogType="Tail")
events = []
for event in answer["EventStream"]:
    at = round((time.monotonic() - start) * 1000)
    if "PayloadChunk" in event:
        events.append({"chunk": event["PayloadChunk"]["Payload"].decode(), "at_ms": at})
    else:
        events.append(event)
print(json.dumps({"status": answer["StatusCode"], "events": events}))
"#;

fn botocore_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import botocore"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found && std::env::var("LAMBDA_RT_REQUIRE_AWS_CLI").as_deref() == Ok("1") {
        panic!(
            "botocore is required (LAMBDA_RT_REQUIRE_AWS_CLI=1) but `python3 -c 'import botocore'` fails: pip install awscli"
        );
    }
    found
}

fn invoke_with_response_stream(endpoint: &str, function: &str, payload: &str) -> Value {
    let output = Command::new("python3")
        .args(["-c", INVOKE_WITH_RESPONSE_STREAM, endpoint, function, payload])
        .env_remove("AWS_PROFILE")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "invoke_with_response_stream failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the script prints JSON")
}

#[test]
fn botocore_invoke_with_response_stream_gets_the_pieces_as_they_are_written() {
    if !botocore_available() {
        eprintln!("skipped: botocore is not installed (pip install awscli)");
        return;
    }
    let (_child, endpoint) = start_emulator();

    let answer = invoke_with_response_stream(&endpoint, "stream.lines", r#"{"count": 3, "delay_ms": 300}"#);
    assert_eq!(answer["status"], 200, "{answer}");
    let events = answer["events"].as_array().expect("events");
    let chunks: Vec<&str> = events.iter().filter_map(|e| e["chunk"].as_str()).collect();
    assert_eq!(chunks, ["line 1\n", "line 2\n", "line 3\n"], "{answer}");
    let at = |i: usize| events[i]["at_ms"].as_u64().expect("a time");
    // Written 300 ms apart and received so: the first line did not wait for the last.
    assert!(at(2) >= at(0) + 400, "pieces arrived at {} and {} ms", at(0), at(2));
    let complete = &events[3]["InvokeComplete"];
    assert!(complete.get("ErrorCode").is_none(), "{answer}");
    assert!(!complete["LogResult"].as_str().expect("a log tail").is_empty());

    // An error after the first piece: the piece, then the error in InvokeComplete.
    let answer = invoke_with_response_stream(&endpoint, "stream.lines", r#"{"count": 3, "fail_at": 2}"#);
    let events = answer["events"].as_array().expect("events");
    assert_eq!(events[0]["chunk"], "line 1\n", "{answer}");
    assert_eq!(events[1]["InvokeComplete"]["ErrorCode"], "StreamBroke", "{answer}");
    let details: Value =
        serde_json::from_str(events[1]["InvokeComplete"]["ErrorDetails"].as_str().expect("details")).expect("JSON");
    assert_eq!(details["errorMessage"], "stopped before line 2");

    // A function that does not stream answers in one piece.
    let answer = invoke_with_response_stream(&endpoint, "custom.Event", r#"{"name": "sdk", "count": 4}"#);
    let events = answer["events"].as_array().expect("events");
    let body: Value = serde_json::from_str(events[0]["chunk"].as_str().expect("a piece")).expect("JSON");
    assert_eq!(body, json!({ "greeting": "hello sdk", "count": 5 }));
    assert!(events[1]["InvokeComplete"].get("ErrorCode").is_none(), "{answer}");
}
