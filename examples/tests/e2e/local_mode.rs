//! End-to-end local mode of the `bootstrap` (no `AWS_LAMBDA_RUNTIME_API`): `invoke <handler> <file|->`
//! prints the response on stdout or the error JSON on stderr with exit status 1; `bootstrap help` prints
//! a usage that lists the handlers (`bootstrap` alone starts the embedded emulator: tests/emulator.rs).

// The helpers below fail their test by panicking, like the test functions themselves.
#![allow(clippy::expect_used)]

use crate::support;

use std::process::{Output, Stdio};

use serde_json::{Value, json};
use support::{HANDLERS, TIMEOUT, command, repo_root};
use tokio::io::AsyncWriteExt as _;

/// Runs the bootstrap without `AWS_LAMBDA_RUNTIME_API` from the repo root with `args`, feeding `stdin`.
async fn local(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = command(None, None);
    cmd.args(args)
        .current_dir(repo_root())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().expect("the bootstrap starts");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("piped stdin");
        pipe.write_all(text.as_bytes()).await.expect("write stdin");
        drop(pipe);
    }
    match tokio::time::timeout(TIMEOUT, child.wait_with_output()).await {
        Ok(output) => output.expect("the bootstrap runs"),
        Err(_) => panic!("`bootstrap {}` did not exit within {TIMEOUT:?}", args.join(" ")),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The last non-empty line of `output`'s stderr, parsed as JSON.
fn error_json(output: &Output) -> Value {
    let stderr = text(&output.stderr);
    let line = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("the last stderr line is not JSON ({e}):\n{stderr}"))
}

/// stdout as one JSON document.
fn response_json(output: &Output) -> Value {
    let stdout = text(&output.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{stdout}\nstderr:\n{}",
            text(&output.stderr)
        )
    })
}

#[tokio::test]
async fn invoke_hello_alb_prints_the_response() {
    let output = local(&["invoke", "hello.ALB", "examples/events/alb.json"], None).await;
    assert_eq!(output.status.code(), Some(0), "stderr:\n{}", text(&output.stderr));
    let response = response_json(&output);
    assert_eq!(response["statusCode"], 200, "{response}");
    let page = response["body"].as_str().expect("a body");
    assert!(page.contains("Success! I created my first Lambda function"), "{page}");
}

#[tokio::test]
async fn invoke_custom_event_and_square() {
    let custom = local(&["invoke", "custom.Event", "examples/events/custom.json"], None).await;
    assert_eq!(custom.status.code(), Some(0), "stderr:\n{}", text(&custom.stderr));
    assert_eq!(
        response_json(&custom),
        json!({"greeting": "hello lambda-rt", "count": 42})
    );
    let square = local(&["invoke", "square.APIGW", "examples/events/apigw.json"], None).await;
    assert_eq!(square.status.code(), Some(0), "stderr:\n{}", text(&square.stderr));
    let response = response_json(&square);
    assert_eq!(response["statusCode"], 200, "{response}");
    let body: Value = serde_json::from_str(response["body"].as_str().expect("a body")).expect("a JSON body");
    assert_eq!(body, json!({"result": 144}));
}

#[tokio::test]
async fn invoke_the_notification_handlers_on_real_payloads() {
    let s3 = local(
        &["invoke", "uploads.s3", "lambda-events/tests/fixtures/s3/event-put.json"],
        None,
    )
    .await;
    assert_eq!(s3.status.code(), Some(0), "stderr:\n{}", text(&s3.stderr));
    let keys = response_json(&s3);
    assert!(
        keys.as_array()
            .is_some_and(|k| !k.is_empty() && k.iter().all(|k| k.as_str().is_some_and(|k| k.contains('/')))),
        "bucket/key of each record: {keys}"
    );
    let sns = local(
        &["invoke", "alerts.sns", "lambda-events/tests/fixtures/sns/event.json"],
        None,
    )
    .await;
    assert_eq!(sns.status.code(), Some(0), "stderr:\n{}", text(&sns.stderr));
    assert!(
        response_json(&sns).as_array().is_some_and(|m| m.len() == 1),
        "one message"
    );
    let rule = local(
        &[
            "invoke",
            "uploads.events",
            "lambda-events/tests/fixtures/eventbridge/s3-object-created.json",
        ],
        None,
    )
    .await;
    assert_eq!(rule.status.code(), Some(0), "stderr:\n{}", text(&rule.stderr));
    assert_eq!(
        response_json(&rule),
        "uploads-bucket/reports/2024-05-10.csv (5242880 bytes)"
    );
    let daily = local(
        &[
            "invoke",
            "reports.daily",
            "lambda-events/tests/fixtures/eventbridge/scheduled-event.json",
        ],
        None,
    )
    .await;
    assert_eq!(daily.status.code(), Some(0), "stderr:\n{}", text(&daily.stderr));
    assert!(
        response_json(&daily)
            .as_str()
            .is_some_and(|r| r.starts_with("report for 20")),
        "a date"
    );
    // An event of another kind does not decode: the error names the type, the loop is not involved.
    let wrong = local(&["invoke", "uploads.events", "examples/events/alb.json"], None).await;
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(error_json(&wrong)["errorType"], "Runtime.UnmarshalError");
}

#[tokio::test]
async fn invoke_the_rest_api_status_route() {
    let event = json!({
        "resource": "/status", "path": "/status", "httpMethod": "GET",
        "headers": {"Host": "abc.execute-api.eu-west-3.amazonaws.com"},
        "multiValueHeaders": {"Host": ["abc.execute-api.eu-west-3.amazonaws.com"]},
        "queryStringParameters": null, "multiValueQueryStringParameters": null, "pathParameters": null,
        "stageVariables": null, "body": null, "isBase64Encoded": false,
        "requestContext": {"resourcePath": "/status", "httpMethod": "GET", "stage": "Prod", "path": "/Prod/status",
                           "requestId": "r-1", "accountId": "123456789012", "apiId": "abc"},
    });
    let output = local(&["invoke", "status.rest", "-"], Some(&event.to_string())).await;
    assert_eq!(output.status.code(), Some(0), "stderr:\n{}", text(&output.stderr));
    let response = response_json(&output);
    assert_eq!(response["statusCode"], 200, "{response}");
    assert!(
        response.get("multiValueHeaders").is_some(),
        "a REST API answer: {response}"
    );
    let body: Value = serde_json::from_str(response["body"].as_str().expect("a body")).expect("JSON");
    assert_eq!(body, json!({"status": "ok", "version": "$LATEST"}));
}

#[tokio::test]
async fn invoke_fail_always_prints_the_error_json_on_stderr_and_exits_1() {
    let output = local(&["invoke", "fail.always", "examples/events/custom.json"], None).await;
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "", "nothing on stdout");
    let error = error_json(&output);
    assert_eq!(error["errorType"], "CustomFailure", "{error}");
    assert_eq!(
        error["errorMessage"], "this function always fails: as designed",
        "{error}"
    );
    assert!(error["stackTrace"].is_array(), "{error}");
}

#[tokio::test]
async fn invoke_panic_and_bad_event_report_their_error_types() {
    let panic = local(&["invoke", "panic.always", "examples/events/custom.json"], None).await;
    assert_eq!(panic.status.code(), Some(1));
    let error = error_json(&panic);
    assert_eq!(error["errorType"], "Runtime.Panic", "{error}");
    assert_eq!(error["errorMessage"], "boom", "{error}");

    let bad = local(
        &["invoke", "custom.Event", "examples/events/custom-missing-field.json"],
        None,
    )
    .await;
    assert_eq!(bad.status.code(), Some(1));
    let error = error_json(&bad);
    assert_eq!(error["errorType"], "Runtime.UnmarshalError", "{error}");
    assert!(
        error["errorMessage"].as_str().is_some_and(|m| m.contains("count")),
        "{error}"
    );
}

#[tokio::test]
async fn invoke_prints_a_streamed_body_and_reports_a_mid_stream_error() {
    let whole = local(&["invoke", "stream.lines", "-"], Some(r#"{"count": 2}"#)).await;
    assert_eq!(whole.status.code(), Some(0), "stderr:\n{}", text(&whole.stderr));
    assert_eq!(text(&whole.stdout), "line 1\nline 2\n");

    let broken = local(&["invoke", "stream.lines", "-"], Some(r#"{"count": 3, "fail_at": 2}"#)).await;
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(
        text(&broken.stdout),
        "line 1\n",
        "what was streamed before the error is printed"
    );
    assert_eq!(error_json(&broken)["errorType"], "StreamBroke");

    let http = local(&["invoke", "stream.http", "-"], Some(r#"{"rawPath": "/p"}"#)).await;
    assert_eq!(http.status.code(), Some(0));
    assert!(
        text(&http.stdout).starts_with("data: {\"n\":1,\"path\":\"/p\"}"),
        "{}",
        text(&http.stdout)
    );
    assert!(
        text(&http.stderr).contains(r#"HTTP prelude: {"statusCode":200"#),
        "{}",
        text(&http.stderr)
    );
}

#[tokio::test]
async fn invoke_with_dash_reads_the_event_from_stdin() {
    let output = local(
        &["invoke", "echo.raw", "-"],
        Some(r#"{"from": "stdin",  "n": [1, 2.50]}"#),
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "stderr:\n{}", text(&output.stderr));
    assert_eq!(text(&output.stdout).trim_end(), r#"{"from": "stdin",  "n": [1, 2.50]}"#);

    let output = local(
        &["invoke", "custom.Event", "-"],
        Some(r#"{"name": "pipe", "count": 1}"#),
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "stderr:\n{}", text(&output.stderr));
    assert_eq!(response_json(&output), json!({"greeting": "hello pipe", "count": 2}));
}

// `bootstrap` alone starts the embedded emulator (docs/design.md, "Local mode"); `help` prints
// the usage that issue 2 asked of `bootstrap` alone.
#[tokio::test]
async fn bootstrap_help_prints_usage_listing_the_handlers() {
    for flag in ["help", "--help"] {
        let output = local(&[flag], None).await;
        assert_eq!(
            output.status.code(),
            Some(0),
            "{flag}: stderr:\n{}",
            text(&output.stderr)
        );
        let usage = text(&output.stdout);
        assert!(usage.contains("invoke"), "{flag}: shows the invoke command:\n{usage}");
        for name in HANDLERS {
            assert!(usage.contains(name), "{flag}: lists `{name}`:\n{usage}");
        }
    }
}

#[tokio::test]
async fn bootstrap_handlers_lists_every_handler() {
    let output = local(&["handlers"], None).await;
    assert_eq!(output.status.code(), Some(0), "stderr:\n{}", text(&output.stderr));
    let listed = text(&output.stdout);
    let listed: Vec<&str> = listed.lines().collect();
    for name in HANDLERS {
        assert!(listed.contains(&name), "lists `{name}`: {listed:?}");
    }
}

#[tokio::test]
async fn unrecognised_arguments_exit_non_zero_with_the_usage() {
    let output = local(&["invok", "hello.ALB"], None).await;
    assert_ne!(output.status.code(), Some(0));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("invok"), "names what it did not understand:\n{stderr}");
    assert!(
        stderr.contains("hello.ALB"),
        "shows the usage with the handlers:\n{stderr}"
    );
}

#[tokio::test]
async fn invoke_an_unknown_handler_exits_1_with_handler_not_found() {
    let output = local(&["invoke", "helo.ALB", "examples/events/alb.json"], None).await;
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    let error = error_json(&output);
    assert_eq!(error["errorType"], "Runtime.HandlerNotFound", "{error}");
    let message = error["errorMessage"].as_str().expect("a message");
    assert!(message.contains("hello.ALB"), "{message}");
}

#[tokio::test]
async fn invoke_a_missing_event_file_exits_non_zero_naming_it() {
    let output = local(&["invoke", "echo.raw", "examples/events/no-such-file.json"], None).await;
    assert_ne!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "");
    assert!(
        text(&output.stderr).contains("no-such-file.json"),
        "stderr names the file:\n{}",
        text(&output.stderr)
    );
}

/// The line of `needle` in a file of the repository (1-based).
fn line_of(file: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(repo_root().join(file)).expect("the source file");
    let index = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is not in {file}"));
    index as u64 + 1
}

#[tokio::test]
async fn manifest_describes_every_handler_from_the_binary() {
    let output = local(&["manifest"], None).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let manifest = response_json(&output);
    assert_eq!(manifest["manifestVersion"], 1);
    assert_eq!(manifest["architecture"], "x86_64");
    let handlers = manifest["handlers"].as_array().expect("handlers");
    let names: Vec<&str> = handlers.iter().filter_map(|h| h["name"].as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "sorted by name");
    for name in HANDLERS {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let handler = |name: &str| {
        handlers
            .iter()
            .find(|h| h["name"] == name)
            .unwrap_or_else(|| panic!("{name} in the manifest"))
    };

    let hello = handler("hello.ALB");
    assert_eq!(hello["eventType"], "AlbTargetGroupRequest");
    assert_eq!(hello["returnType"], "Result<AlbTargetGroupResponse, Error>");
    assert_eq!((&hello["streaming"], &hello["batch"]), (&json!(false), &Value::Null));
    assert_eq!(hello["source"]["file"], "examples/src/hello.rs");
    assert_eq!(
        hello["source"]["line"],
        line_of("examples/src/hello.rs", "async fn hello(")
    );
    assert_eq!(hello["source"]["module"], "examples::hello");

    assert_eq!(handler("stream.http")["streaming"], true);
    assert_eq!(handler("stream.lines")["streaming"], true);
    assert_eq!(
        handler("context.info")["state"],
        json!(["examples::context_info::Counter"]),
        "the #[init] state it needs"
    );
    for batch in ["orders.sqs", "orders.kinesis", "orders.ddb"] {
        assert_eq!(
            handler(batch)["batch"],
            json!({"reportBatchItemFailures": true, "concurrency": 1, "marginMs": 500}),
            "{batch}"
        );
    }
    assert_eq!(handler("orders.sqs")["eventType"], "SqsRecord<Order>");
    // A routed name is one handler whose routes the manifest lists; a service handler streams or not.
    let todos = handler("todos.api");
    assert_eq!(todos["eventType"], "lambda_fn::http::Request");
    assert_eq!(
        todos["routes"],
        json!([
            {"method": "DELETE", "path": "/todos/{id}"},
            {"method": "GET", "path": "/todos"},
            {"method": "GET", "path": "/todos/{id}"},
            {"method": "GET", "path": "/todos/{id}/fail"},
            {"method": "GET", "path": "/todos/{id}/panic"},
            {"method": "POST", "path": "/todos"},
        ])
    );
    assert_eq!(todos["state"], json!(["examples::todos::Todos"]));
    assert_eq!(handler("hello.ALB")["routes"], json!([]));
    // Settings and triggers from the annotations.
    let orders = handler("orders.sqs");
    assert_eq!((&orders["memorySize"], &orders["timeout"]), (&Value::Null, &json!(10)));
    assert_eq!(
        orders["triggers"],
        json!([{"type": "sqs", "queue": "BatchOrdersQueue", "batchSize": null, "windowSeconds": null}])
    );
    assert_eq!(
        (&handler("work.cpu")["memorySize"], &handler("work.cpu")["timeout"]),
        (&json!(1769), &json!(30))
    );
    assert_eq!(
        handler("reports.daily")["triggers"],
        json!([{"type": "schedule", "expression": "cron(0 6 * * ? *)"}])
    );
    assert_eq!(
        handler("uploads.events")["triggers"],
        json!([{
            "type": "eventbridge",
            "pattern": {
                "source": ["aws.s3"],
                "detail-type": ["Object Created"],
                "detail": {"object": {"key": [{"prefix": "reports/"}]}},
            },
            "bus": null,
        }]),
        "the pattern is JSON in the manifest"
    );
    assert_eq!(
        handler("stream.http")["triggers"],
        json!([{"type": "url", "invokeMode": "RESPONSE_STREAM"}])
    );
    assert_eq!(
        handler("hello.ALB")["triggers"],
        json!([{"type": "alb", "listener": "HelloListener", "path": "/hello*", "priority": 10}])
    );
    assert_eq!(
        handler("uploads.s3")["triggers"],
        json!([{"type": "s3", "bucket": "UploadsBucket"}])
    );
    assert_eq!(
        handler("alerts.sns")["triggers"],
        json!([{"type": "sns", "topic": "AlertsTopic"}])
    );
    // A routed function's settings, written on one of its routes, are the function's.
    assert_eq!(
        (&todos["memorySize"], &todos["timeout"], &todos["api"]),
        (&json!(256), &json!(10), &json!("http"))
    );
    let status = handler("status.rest");
    assert_eq!((&status["api"], &status["timeout"]), (&json!("rest"), &json!(3)));
    assert_eq!(handler("echo.raw")["architecture"], Value::Null);
    let metrics = handler("metrics.demo");
    assert_eq!(metrics["reservedConcurrency"], 2);
    assert_eq!(
        metrics["environment"],
        json!({"LAMBDA_RT_METRICS_NAMESPACE": "Examples", "LAMBDA_RT_METRICS_COLD_START": "1"})
    );
    assert_eq!(
        (&handler("axum.app")["streaming"], &handler("axum.stream")["streaming"]),
        (&json!(false), &json!(true))
    );
    // The hand-written loop returns its own response: not a batch handler to the runtime.
    assert_eq!(handler("sqs.batch")["batch"], Value::Null);

    let inits = manifest["inits"].as_array().expect("inits");
    assert!(
        inits
            .iter()
            .any(|i| i["stateType"] == "Counter" && i["source"]["file"] == "examples/src/context_info.rs"),
        "{inits:?}"
    );

    // The durable workflow's settings (with the `durable` feature, which builds it).
    #[cfg(feature = "durable")]
    assert_eq!(
        handler("orders.flow")["durable"],
        json!({"executionTimeout": 3600, "retentionPeriodInDays": 7})
    );
    assert!(
        hello.get("durable").is_none(),
        "only a durable workflow has durable settings"
    );

    // What `cargo lambda-rt template` reads: the same document through the manifest's types.
    let typed = lambda_fn_manifest::Manifest::from_json(&output.stdout).expect("the manifest's types read it");
    assert_eq!(typed.manifest_version, lambda_fn_manifest::MANIFEST_VERSION);
    assert_eq!(
        typed.handlers.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
        names
    );
    let typed_todos = typed
        .handlers
        .iter()
        .find(|h| h.name == "todos.api")
        .expect("todos.api");
    assert_eq!(
        (typed_todos.api, typed_todos.routes.len(), typed_todos.memory_size),
        (lambda_fn_manifest::Api::Http, 6, Some(256))
    );
}
