//! Interoperability: the `bootstrap` served by an independently written Runtime API emulator,
//! cargo-lambda's `watch --only-lambda-apis` (installed by `.ci/run` from PyPI).
//!
//! Skipped with a notice when `cargo-lambda` is not on `PATH`, unless `LAMBDA_RT_REQUIRE_CARGO_LAMBDA=1`
//! (as CI sets it), which turns its absence into a failure.
#![allow(clippy::expect_used)]

use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::tools::{Killed, free_port, tool_available, wait_for_port};

/// Starts the bootstrap for `handler` against cargo-lambda's Runtime API, invokes it once through
/// cargo-lambda's Invoke API, and returns the response.
fn invoke_through_cargo_lambda(client: &reqwest::blocking::Client, port: u16, handler: &str, event: &Value) -> Value {
    let bootstrap = Command::new(env!("CARGO_BIN_EXE_bootstrap"))
        .env("AWS_LAMBDA_RUNTIME_API", format!("http://127.0.0.1:{port}/.rt"))
        .env("AWS_LAMBDA_FUNCTION_NAME", "_")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "4096")
        .env("_HANDLER", handler)
        .stdin(Stdio::null())
        .spawn()
        .expect("bootstrap starts");
    let _bootstrap = Killed(bootstrap);
    let response = client
        .post(format!("http://127.0.0.1:{port}/2015-03-31/functions/_/invocations"))
        .body(event.to_string())
        .send()
        .expect("cargo-lambda answers the Invoke API");
    assert_eq!(response.status(), 200, "{handler}");
    assert!(
        response.headers().get("x-amz-function-error").is_none(),
        "{handler} failed: {response:?}"
    );
    serde_json::from_slice(&response.bytes().expect("body")).expect("a JSON response")
}

#[test]
fn hello_and_square_under_cargo_lambda() {
    if !tool_available(
        "cargo-lambda",
        "LAMBDA_RT_REQUIRE_CARGO_LAMBDA",
        "pip install cargo-lambda",
    ) {
        eprintln!("skipped: cargo-lambda is not installed (pip install cargo-lambda)");
        return;
    }
    let port = free_port();
    let watch = Command::new("cargo-lambda")
        .args([
            "lambda",
            "watch",
            "--only-lambda-apis",
            "-A",
            "127.0.0.1",
            "-P",
            &port.to_string(),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cargo lambda watch starts");
    let mut watch = Killed(watch);
    wait_for_port(port, &mut watch.0, "cargo lambda watch");
    let client = reqwest::blocking::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");

    let alb: Value = serde_json::from_str(include_str!("../../events/alb.json")).expect("alb.json");
    let hello = invoke_through_cargo_lambda(&client, port, "hello.ALB", &alb);
    assert_eq!(hello["statusCode"], 200);
    assert_eq!(hello["headers"]["Content-Type"], "text/html");
    assert!(
        hello["body"]
            .as_str()
            .is_some_and(|b| b.contains("Success! I created my first Lambda function"))
    );

    let mut apigw: Value = serde_json::from_str(include_str!("../../events/apigw.json")).expect("apigw.json");
    apigw["body"] = json!("{\"number\": 7}");
    let square = invoke_through_cargo_lambda(&client, port, "square.APIGW", &apigw);
    assert_eq!(square["statusCode"], 200);
    let body: Value = serde_json::from_str(square["body"].as_str().expect("a body")).expect("JSON body");
    assert_eq!(body, json!({ "result": 49 }));
}
