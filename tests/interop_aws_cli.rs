//! Interoperability: the AWS CLI (`aws lambda invoke --endpoint-url ...`, installed by `.ci/run` from
//! PyPI) against the embedded emulator, as a user would call it.
//!
//! Skipped with a notice when `aws` is not on `PATH`, unless `LAMBDA_RT_REQUIRE_AWS_CLI=1` (as CI sets
//! it), which turns its absence into a failure.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

/// Kills the process when dropped, so a failing assertion leaves nothing running.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn aws_cli_available() -> bool {
    let found = Command::new("aws")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found && std::env::var("LAMBDA_RT_REQUIRE_AWS_CLI").as_deref() == Ok("1") {
        panic!("the AWS CLI is required (LAMBDA_RT_REQUIRE_AWS_CLI=1) but not on PATH: pip install awscli");
    }
    found
}

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

#[test]
fn aws_lambda_invoke_against_the_emulator() {
    if !aws_cli_available() {
        eprintln!("skipped: the AWS CLI is not installed (pip install awscli)");
        return;
    }
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
    let _child = Killed(child);
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
