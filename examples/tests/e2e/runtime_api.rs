//! End-to-end tests of the example handlers served by the real `bootstrap` against a fake Runtime API
//! on 127.0.0.1: response paths and bodies, error posts (handler errors, panics, undecodable events),
//! the loop going on after each error, and what `context.info` sees of the invocation context.

use crate::support;

use serde_json::{Value, json};
use support::{
    Bootstrap, Event, FUNCTION_ARN, FUNCTION_NAME, FakeApi, MEMORY_MB, assert_error_body, error, next, response,
    sample_event,
};

/// Starts an API and a bootstrap serving `handler` against it.
async fn lambda(handler: &str) -> (FakeApi, Bootstrap) {
    let api = FakeApi::start().await;
    let bootstrap = Bootstrap::start(&api, handler);
    (api, bootstrap)
}

/// The JSON of a string field holding JSON (an HTTP response's `body`).
fn json_in(value: &Value) -> Value {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("expected a string, got {value}"));
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A header of an HTTP integration response, by case-insensitive name.
fn response_header<'a>(response: &'a Value, name: &str) -> Option<&'a str> {
    response["headers"]
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

#[tokio::test]
async fn hello_alb_answers_with_the_html_page() {
    let (api, mut bootstrap) = lambda("hello.ALB").await;
    api.push(Event::new("hello-1", sample_event("alb.json")));
    let answer = api.answer_for("hello-1").await;
    let log = api.wait_for_polls(2).await;
    assert_eq!(support::calls(&log), [next(), response("hello-1"), next()]);
    assert_eq!(answer.header("lambda-runtime-function-error-type"), None);

    let body = answer.json();
    assert_eq!(body["statusCode"], 200, "{body}");
    assert_eq!(response_header(&body, "content-type"), Some("text/html"), "{body}");
    let page = body["body"].as_str().expect("a text body");
    assert!(page.contains("Success! I created my first Lambda function"), "{page}");
    assert!(page.starts_with("<html>") && page.ends_with("</html>"), "{page}");
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn square_apigw_squares_and_rejects_bad_bodies_with_400() {
    let (api, mut bootstrap) = lambda("square.APIGW").await;
    let event = |body: Value| {
        let mut event: Value = serde_json::from_str(&sample_event("apigw.json")).expect("apigw.json is JSON");
        event["body"] = body;
        event.to_string()
    };
    api.push(Event::new("sq-12", sample_event("apigw.json")));
    api.push(Event::new("sq-float", event(json!(r#"{"number": 1.5}"#))));
    api.push(Event::new("sq-bad", event(json!("not json"))));
    api.push(Event::new("sq-none", event(Value::Null)));
    api.push(Event::new("sq-7", event(json!(r#"{"number": -7}"#))));

    for (id, status, body) in [
        ("sq-12", 200, Some(json!({"result": 144}))),
        ("sq-float", 200, Some(json!({"result": 2.25}))),
        ("sq-bad", 400, None),
        ("sq-none", 400, None),
        ("sq-7", 200, Some(json!({"result": 49}))),
    ] {
        let answer = api.answer_for(id).await;
        assert_eq!(answer.call(), response(id), "a 400 is a response, not a Lambda error");
        let reply = answer.json();
        assert_eq!(reply["statusCode"], status, "{id}: {reply}");
        let reply_body = json_in(&reply["body"]);
        match body {
            Some(expected) => assert_eq!(reply_body, expected, "{id}"),
            None => assert!(
                reply_body["error"].as_str().is_some_and(|e| e.contains("number")),
                "{id}: a JSON error body naming the expected field: {reply_body}"
            ),
        }
        assert!(
            response_header(&reply, "content-type").is_some_and(|t| t.starts_with("application/json")),
            "{id}: {reply}"
        );
    }
    let log = api.wait_for_polls(6).await;
    let mut expected = vec![next()];
    for id in ["sq-12", "sq-float", "sq-bad", "sq-none", "sq-7"] {
        expected.extend([response(id), next()]);
    }
    assert_eq!(support::calls(&log), expected);
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn echo_raw_returns_each_event_byte_for_byte() {
    let (api, _bootstrap) = lambda("echo.raw").await;
    let events = [
        r#"{"b": 1,   "a": [true, null, 1.50, -0, 1e3], "z": {"nested": "\u00e9 é \" \\ /"}}"#,
        "[1,2,3]",
        r#""just a string""#,
        "null",
        "12345678901234567890123",
        "{\n  \"pretty\": \"printed\",\n  \"keys\": [\"kept\", \"in\", \"order\"]\n}",
    ];
    for (i, body) in events.iter().enumerate() {
        api.push(Event::new(&format!("echo-{i}"), body.to_string()));
    }
    for (i, body) in events.iter().enumerate() {
        let answer = api.answer_for(&format!("echo-{i}")).await;
        assert_eq!(answer.call(), response(&format!("echo-{i}")));
        assert_eq!(answer.text(), *body, "echo-{i} must come back unchanged");
    }
    api.wait_for_polls(events.len() + 1).await;
}

#[tokio::test]
async fn custom_event_greets_and_counts() {
    let (api, _bootstrap) = lambda("custom.Event").await;
    api.push(Event::new("custom-1", sample_event("custom.json")));
    api.push(Event::new("custom-2", r#"{"name": "ana", "count": -1, "extra": [1]}"#));
    let first = api.answer_for("custom-1").await;
    assert_eq!(first.call(), response("custom-1"));
    assert_eq!(first.json(), json!({"greeting": "hello lambda-rt", "count": 42}));
    let second = api.answer_for("custom-2").await;
    assert_eq!(second.json(), json!({"greeting": "hello ana", "count": 0}));
    let log = api.wait_for_polls(3).await;
    assert_eq!(
        support::calls(&log),
        [next(), response("custom-1"), next(), response("custom-2"), next()]
    );
}

#[tokio::test]
async fn fail_always_posts_custom_failure_and_the_loop_goes_on() {
    let (api, mut bootstrap) = lambda("fail.always").await;
    api.push(Event::new("fail-1", r#"{"any": "thing"}"#));
    api.push(Event::new("fail-2", "[]"));
    for id in ["fail-1", "fail-2"] {
        let answer = api.answer_for(id).await;
        assert_eq!(answer.call(), error(id));
        let message = assert_error_body(&answer, "CustomFailure");
        assert_eq!(message, "this function always fails: as designed");
    }
    let log = api.wait_for_polls(3).await;
    assert_eq!(
        support::calls(&log),
        [next(), error("fail-1"), next(), error("fail-2"), next()]
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn panic_always_posts_runtime_panic_and_the_same_process_goes_on() {
    let (api, mut bootstrap) = lambda("panic.always").await;
    for i in 1..=3 {
        api.push(Event::new(&format!("panic-{i}"), "{}"));
    }
    for i in 1..=3 {
        let id = format!("panic-{i}");
        let answer = api.answer_for(&id).await;
        assert_eq!(answer.call(), error(&id));
        assert_eq!(assert_error_body(&answer, "Runtime.Panic"), "boom");
    }
    let log = api.wait_for_polls(4).await;
    assert_eq!(log.len(), 7, "{}", api.diagnostics());
    // One process, one connection: the panics did not restart anything.
    assert_eq!(api.connections(), 1, "{}", api.diagnostics());
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn undecodable_events_are_unmarshal_errors_naming_the_field_and_the_loop_goes_on() {
    let (api, mut bootstrap) = lambda("custom.Event").await;
    api.push(Event::new("missing-count", sample_event("custom-missing-field.json")));
    api.push(Event::new("count-is-text", r#"{"name": "x", "count": "many"}"#));
    api.push(Event::new("name-is-number", r#"{"name": 7, "count": 1}"#));
    api.push(Event::new("not-json", "this is not JSON"));
    api.push(Event::new("good", r#"{"name": "after", "count": 1}"#));

    let message = assert_error_body(&api.answer_for("missing-count").await, "Runtime.UnmarshalError");
    assert!(message.contains("count"), "names the missing field: {message}");
    let message = assert_error_body(&api.answer_for("count-is-text").await, "Runtime.UnmarshalError");
    assert!(
        message.contains("`count`"),
        "names the mistyped field's path: {message}"
    );
    let message = assert_error_body(&api.answer_for("name-is-number").await, "Runtime.UnmarshalError");
    assert!(message.contains("`name`"), "names the mistyped field's path: {message}");
    assert_error_body(&api.answer_for("not-json").await, "Runtime.UnmarshalError");

    let good = api.answer_for("good").await;
    assert_eq!(good.call(), response("good"));
    assert_eq!(good.json(), json!({"greeting": "hello after", "count": 2}));
    let log = api.wait_for_polls(6).await;
    assert_eq!(
        support::calls(&log),
        [
            next(),
            error("missing-count"),
            next(),
            error("count-is-text"),
            next(),
            error("name-is-number"),
            next(),
            error("not-json"),
            next(),
            response("good"),
            next(),
        ]
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn a_nested_mistyped_field_is_reported_with_its_json_path() {
    let (api, _bootstrap) = lambda("hello.ALB").await;
    let mut event: Value = serde_json::from_str(&sample_event("alb.json")).expect("alb.json is JSON");
    event["requestContext"]["elb"]["targetGroupArn"] = json!(42);
    api.push(Event::new("nested-bad", event.to_string()));
    let mut event: Value = serde_json::from_str(&sample_event("alb.json")).expect("alb.json is JSON");
    event["headers"]["accept"] = json!(["text/html"]);
    api.push(Event::new("header-bad", event.to_string()));
    api.push(Event::new("nested-good", sample_event("alb.json")));

    let message = assert_error_body(&api.answer_for("nested-bad").await, "Runtime.UnmarshalError");
    assert!(
        message.contains("requestContext.elb.targetGroupArn"),
        "the message carries the JSON path: {message}"
    );
    let message = assert_error_body(&api.answer_for("header-bad").await, "Runtime.UnmarshalError");
    assert!(
        message.contains("headers.accept"),
        "the message carries the JSON path: {message}"
    );
    let good = api.answer_for("nested-good").await;
    assert_eq!(good.call(), response("nested-good"));
    assert_eq!(good.json()["statusCode"], 200);
}

#[tokio::test]
async fn context_info_sees_every_invocation_header_and_the_function_env() {
    let (api, _bootstrap) = lambda("context.info").await;
    let client_context = json!({
        "client": {
            "installation_id": "inst-1",
            "app_title": "shop",
            "app_version_name": "1.2.0",
            "app_version_code": "120",
            "app_package_name": "com.example.shop"
        },
        "custom": {"cart": "42"},
        "env": {"platform": "Android"}
    });
    let identity = json!({"cognitoIdentityId": "eu-west-3:id-1", "cognitoIdentityPoolId": "eu-west-3:pool-1"});
    let event = Event::new("ctx-1", "{}")
        .header("Lambda-Runtime-Deadline-Ms", "1795736472000")
        .header("Lambda-Runtime-Invoked-Function-Arn", &format!("{FUNCTION_ARN}:prod"))
        .header("Lambda-Runtime-Client-Context", &client_context.to_string())
        .header("Lambda-Runtime-Cognito-Identity", &identity.to_string())
        .header("Lambda-Runtime-Aws-Tenant-Id", "tenant-42");
    let trace = event.get("Lambda-Runtime-Trace-Id").expect("a trace id").to_owned();
    api.push(event);

    let answer = api.answer_for("ctx-1").await;
    assert_eq!(answer.call(), response("ctx-1"));
    let info = answer.json();
    assert_eq!(info["requestId"], "ctx-1", "{info}");
    assert_eq!(info["deadlineMs"], 1_795_736_472_000_u64, "{info}");
    assert_eq!(info["invokedFunctionArn"], format!("{FUNCTION_ARN}:prod"), "{info}");
    assert_eq!(info["traceId"], trace, "{info}");
    assert_eq!(info["traceIdEnv"], trace, "{info}");
    assert_eq!(info["tenantId"], "tenant-42", "{info}");
    let client = &info["clientContext"];
    for field in [
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    ] {
        assert_eq!(
            client["client"][field], client_context["client"][field],
            "{field}: {info}"
        );
    }
    assert_eq!(client["custom"], json!({"cart": "42"}), "{info}");
    assert_eq!(client["env"], json!({"platform": "Android"}), "{info}");
    assert_eq!(info["identity"]["cognitoIdentityId"], "eu-west-3:id-1", "{info}");
    assert_eq!(info["identity"]["cognitoIdentityPoolId"], "eu-west-3:pool-1", "{info}");
    assert_eq!(info["functionName"], FUNCTION_NAME, "{info}");
    assert_eq!(info["memoryMb"], MEMORY_MB, "{info}");
    assert_eq!(info["served"], 1, "{info}");
}

#[tokio::test]
async fn state_is_built_once_and_the_trace_id_env_follows_each_invocation() {
    let (api, mut bootstrap) = lambda("context.info").await;
    api.push(Event::new("count-1", "{}"));
    api.push(Event::new("count-2", "{}").header("Lambda-Runtime-Aws-Tenant-Id", "tenant-b"));
    api.push(Event::new("count-3", "{}").without("Lambda-Runtime-Trace-Id"));

    let mut traces = Vec::new();
    for (served, id) in [(1, "count-1"), (2, "count-2"), (3, "count-3")] {
        let info = api.answer_for(id).await.json();
        assert_eq!(info["requestId"], id, "{info}");
        assert_eq!(info["served"], served, "state built once, counting: {info}");
        assert_eq!(
            info["traceIdEnv"], info["traceId"],
            "_X_AMZN_TRACE_ID is the invocation's: {info}"
        );
        traces.push(info["traceIdEnv"].clone());
    }
    assert_eq!(traces[0], support::trace_id_for("count-1"));
    assert_eq!(traces[1], support::trace_id_for("count-2"));
    assert_ne!(traces[0], traces[1], "each invocation has its own trace id");
    assert_eq!(
        traces[2],
        Value::Null,
        "without a trace header, no _X_AMZN_TRACE_ID is left over from the previous invocation"
    );
    let log = api.wait_for_polls(4).await;
    assert_eq!(
        support::calls(&log),
        [
            next(),
            response("count-1"),
            next(),
            response("count-2"),
            next(),
            response("count-3"),
            next()
        ]
    );
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn context_info_without_optional_headers_reports_them_absent() {
    let (api, _bootstrap) = lambda("context.info").await;
    api.push(
        Event::new("bare", "{}")
            .without("Lambda-Runtime-Trace-Id")
            .without("Lambda-Runtime-Invoked-Function-Arn"),
    );
    let info = api.answer_for("bare").await.json();
    assert_eq!(info["requestId"], "bare", "{info}");
    for absent in ["traceId", "traceIdEnv", "tenantId", "clientContext", "identity"] {
        assert_eq!(info[absent], Value::Null, "{absent}: {info}");
    }
}

#[tokio::test]
async fn the_runtime_is_quiet_on_success() {
    let (api, mut bootstrap) = lambda("echo.raw").await;
    for i in 0..3 {
        api.push(Event::new(&format!("quiet-{i}"), "{}"));
    }
    api.wait_for_polls(4).await;
    // Everything it wrote, to the end: stopped, and its output read whole.
    bootstrap.signal("TERM");
    assert_eq!(bootstrap.exit_status().await.code(), Some(0));
    let stderr = bootstrap.stderr();
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.contains("SIGTERM: stopping")).collect();
    assert!(
        lines.is_empty(),
        "no per-invocation log lines at the default level: {stderr}"
    );
}

#[tokio::test]
async fn error_log_lines_carry_the_request_id() {
    let (api, bootstrap) = lambda("fail.always").await;
    api.push(Event::new("log-text-1", "{}"));
    api.answer_for("log-text-1").await;
    let stderr = bootstrap
        .wait_stderr("the error line", |s| s.contains("as designed"))
        .await;
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            line.contains("log-text-1"),
            "every line of the invocation has its request id: {line}"
        );
    }
}

#[tokio::test]
async fn json_log_format_writes_json_lines_with_the_request_id() {
    let api = FakeApi::start().await;
    let mut command = support::command(Some(&api.host_port()), Some("fail.always"));
    command.env("AWS_LAMBDA_LOG_FORMAT", "JSON");
    let bootstrap = Bootstrap::spawn(command, Some(&api));
    api.push(Event::new("log-json-1", "{}"));
    api.answer_for("log-json-1").await;
    let stderr = bootstrap
        .wait_stderr("the error line", |s| s.contains("as designed"))
        .await;
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        let parsed: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("a log line is not JSON ({e}): {line}"));
        assert!(parsed.is_object(), "{line}");
        assert!(
            line.contains("log-json-1"),
            "every line of the invocation has its request id: {line}"
        );
    }
}

#[tokio::test]
async fn a_panic_is_logged_as_json_lines_with_the_request_id() {
    let api = FakeApi::start().await;
    let mut command = support::command(Some(&api.host_port()), Some("panic.always"));
    command.env("AWS_LAMBDA_LOG_FORMAT", "JSON");
    let bootstrap = Bootstrap::spawn(command, Some(&api));
    api.push(Event::new("log-panic-1", "{}"));
    api.answer_for("log-panic-1").await;
    api.wait_for_polls(2).await;
    let stderr = bootstrap.wait_stderr("the panic", |s| s.contains("boom")).await;
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            serde_json::from_str::<Value>(line).is_ok_and(|v| v.is_object()),
            "with AWS_LAMBDA_LOG_FORMAT=JSON every stderr line is a JSON object, the panic's too: {line:?}\nstderr:\n{stderr}"
        );
        assert!(
            line.contains("log-panic-1"),
            "every line of the invocation has its request id: {line:?}"
        );
    }
}

#[tokio::test]
async fn json_log_lines_carry_the_invocation_and_the_function() {
    let api = FakeApi::start().await;
    let mut command = support::command(Some(&api.host_port()), Some("fail.always"));
    command.env("AWS_LAMBDA_LOG_FORMAT", "JSON");
    let bootstrap = Bootstrap::spawn(command, Some(&api));
    api.push(Event::new("keys-1", "{}"));
    api.answer_for("keys-1").await;
    api.push(Event::new("keys-2", "{}").header("Lambda-Runtime-Aws-Tenant-Id", "tenant-7"));
    api.answer_for("keys-2").await;
    let stderr = bootstrap
        .wait_stderr("both error lines", |s| s.matches("as designed").count() >= 2)
        .await;
    let lines: Vec<Value> = stderr
        .lines()
        .filter(|l| l.contains("as designed"))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    for (line, (id, cold)) in lines.iter().zip([("keys-1", true), ("keys-2", false)]) {
        assert_eq!(line["requestId"], id, "{line}");
        assert_eq!(line["coldStart"], cold, "{line}");
        assert_eq!(line["level"], "ERROR");
        assert!(
            line["message"].as_str().is_some_and(|m| m.contains("as designed")),
            "{line}"
        );
        assert_eq!(line["functionName"], support::FUNCTION_NAME);
        assert_eq!(line["functionMemorySize"], support::MEMORY_MB);
        assert_eq!(line["functionVersion"], "$LATEST");
        assert_eq!(line["functionArn"], support::FUNCTION_ARN);
        assert_eq!(line["xrayTraceId"], support::trace_id_for(id));
        let timestamp = line["timestamp"].as_str().unwrap();
        assert!(
            timestamp.len() == 24 && timestamp.ends_with('Z') && timestamp.contains('T'),
            "{timestamp}"
        );
    }
    assert_eq!(lines[0].get("tenantId"), None, "no tenant, no key");
    assert_eq!(lines[1]["tenantId"], "tenant-7");
}

#[tokio::test]
async fn anyhow_eyre_and_boxed_errors_are_reported_with_their_whole_chain() {
    for handler in ["fail.anyhow", "fail.eyre", "fail.boxed"] {
        let (api, mut bootstrap) = lambda(handler).await;
        api.push(Event::new("bad-qty", r#"{"quantity": "ten"}"#));
        api.push(Event::new("good-qty", r#"{"quantity": "12"}"#));
        let failed = api.answer_for("bad-qty").await;
        assert_eq!(failed.call(), error("bad-qty"), "{handler}");
        let message = assert_error_body(&failed, "Error");
        let body = failed.json();
        let trace: Vec<&str> = body["stackTrace"]
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if handler == "fail.boxed" {
            // A bare parse error, boxed: one link.
            assert_eq!(message, "invalid digit found in string", "{handler}");
        } else {
            // The context, then its cause: in the message and in the trace.
            assert_eq!(
                message, "order quantity \"ten\": invalid digit found in string",
                "{handler}"
            );
            assert_eq!(trace, ["caused by: invalid digit found in string"], "{handler}: {body}");
        }
        let answer = api.answer_for("good-qty").await;
        assert_eq!(answer.json(), json!(12), "{handler}: the loop goes on");
        assert!(bootstrap.is_running(), "{}", api.diagnostics());
    }
}
