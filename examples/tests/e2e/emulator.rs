//! End-to-end tests of the embedded emulator: the `bootstrap` in local mode serves the Lambda Invoke API
//! on 127.0.0.1 and drives the real Runtime API loop of every handler. Every answer is checked.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::process::Stdio;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};

/// A `bootstrap serve` child process and the address it printed.
struct Served {
    _child: Child,
    base: String,
    client: reqwest::Client,
}

/// What an Invoke API call answered.
#[derive(Debug)]
struct Answer {
    status: u16,
    function_error: Option<String>,
    log_result: Option<String>,
    request_id: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
}

impl Served {
    /// Starts `bootstrap` with no arguments and no Runtime API (emulator mode) on a random port.
    async fn start(envs: &[(&str, &str)]) -> Served {
        Self::start_with_stderr(&[], envs, true).await
    }

    /// [`Served::start`]; with `keep_stderr` false the test closes its end of the child's stderr
    /// once the emulator is up, as a terminal that went away would.
    async fn start_with_stderr(args: &[&str], envs: &[(&str, &str)], keep_stderr: bool) -> Served {
        let mut command = Command::new(env!("CARGO_BIN_EXE_bootstrap"));
        command
            .args(args)
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .env_remove("_HANDLER")
            .env("LAMBDA_RT_PORT", "0")
            .env("HTTP_PROXY", "http://127.0.0.1:9")
            .envs(envs.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("bootstrap starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let mut lines = BufReader::new(stderr).lines();
        let base = tokio::time::timeout(Duration::from_secs(20), async {
            while let Some(line) = lines.next_line().await.expect("stderr readable") {
                if let Some(rest) = line.split("listening on ").nth(1) {
                    return rest.split_whitespace().next().expect("an address").to_owned();
                }
            }
            panic!("bootstrap exited without printing where it listens");
        })
        .await
        .expect("the emulator starts within 20 s");
        if keep_stderr {
            // Keep draining stderr so the child never blocks on a full pipe.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        } else {
            drop(lines);
        }
        Served {
            _child: child,
            base,
            client: reqwest::Client::builder().no_proxy().build().expect("client"),
        }
    }

    async fn invoke_with(&self, function: &str, body: impl Into<reqwest::Body>, headers: &[(&str, &str)]) -> Answer {
        let mut request = self
            .client
            .post(format!("{}/2015-03-31/functions/{function}/invocations", self.base))
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = tokio::time::timeout(Duration::from_secs(20), request.send())
            .await
            .expect("answered within 20 s")
            .expect("request sent");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().expect("ascii").to_owned())
        };
        Answer {
            status: response.status().as_u16(),
            function_error: header("x-amz-function-error"),
            log_result: header("x-amz-log-result"),
            request_id: header("x-amzn-requestid"),
            body: response.bytes().await.expect("body").to_vec(),
        }
    }

    async fn invoke(&self, function: &str, event: &Value) -> Answer {
        self.invoke_with(function, event.to_string(), &[]).await
    }
}

fn alb_event() -> Value {
    serde_json::from_str(include_str!("../../events/alb.json")).expect("alb.json")
}

fn apigw_event(body: &str) -> Value {
    let mut event: Value = serde_json::from_str(include_str!("../../events/apigw.json")).expect("apigw.json");
    event["body"] = json!(body);
    event
}

/// The answer expected for invocation `i` of the mixed workload, checked against what came back.
async fn run_one(served: &Served, i: u64) {
    if i % 100 == 50 {
        // Two of the 200 outlive the 1 s timeout of this emulator.
        let answer = served.invoke("sleep.ms", &json!({ "ms": 1500 })).await;
        assert_eq!(
            (answer.status, answer.function_error.as_deref()),
            (200, Some("Unhandled")),
            "{answer:?}"
        );
        assert_eq!(answer.json()["errorType"], "Sandbox.Timedout");
        return;
    }
    match i % 7 {
        0 => {
            let answer = served.invoke("hello.ALB", &alb_event()).await;
            assert_eq!(
                (answer.status, answer.function_error.as_deref()),
                (200, None),
                "{answer:?}"
            );
            let response = answer.json();
            assert_eq!(response["statusCode"], 200);
            assert_eq!(response["headers"]["Content-Type"], "text/html");
            assert!(
                response["body"]
                    .as_str()
                    .is_some_and(|b| b.contains("Success! I created my first Lambda function"))
            );
        }
        1 => {
            let answer = served
                .invoke("square.APIGW", &apigw_event(&format!("{{\"number\": {i}}}")))
                .await;
            assert_eq!(
                (answer.status, answer.function_error.as_deref()),
                (200, None),
                "{answer:?}"
            );
            let response = answer.json();
            assert_eq!(response["statusCode"], 200);
            let body: Value = serde_json::from_str(response["body"].as_str().expect("body")).expect("JSON body");
            assert_eq!(body, json!({ "result": i * i }));
        }
        2 => {
            let answer = served
                .invoke("custom.Event", &json!({ "name": format!("n{i}"), "count": i }))
                .await;
            assert_eq!(
                answer.json(),
                json!({ "greeting": format!("hello n{i}"), "count": i + 1 })
            );
        }
        3 => {
            let text = format!("{{\"i\": {i}, \"nested\": [1.50, \"x\"]}}");
            let answer = served.invoke_with("echo.raw", text.clone(), &[]).await;
            assert_eq!(String::from_utf8(answer.body).expect("utf-8"), text);
        }
        4 => {
            let answer = served.invoke("fail.always", &json!({})).await;
            assert_eq!(
                (answer.status, answer.function_error.as_deref()),
                (200, Some("Unhandled"))
            );
            assert_eq!(answer.json()["errorType"], "CustomFailure");
        }
        5 => {
            let answer = served.invoke("panic.always", &json!({})).await;
            assert_eq!(
                (answer.status, answer.function_error.as_deref()),
                (200, Some("Unhandled"))
            );
            assert_eq!(answer.json()["errorType"], "Runtime.Panic");
            assert_eq!(answer.json()["errorMessage"], "boom");
        }
        _ => {
            let answer = served.invoke("no.such.handler", &json!({})).await;
            assert_eq!(answer.status, 404, "{answer:?}");
            assert!(
                answer.json()["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("hello.ALB"))
            );
        }
    }
}

#[tokio::test]
async fn two_hundred_invocations_through_the_invoke_api() {
    let served = Served::start(&[("LAMBDA_RT_TIMEOUT", "1")]).await;
    // Eight callers at a time; each handler serves its queue one invocation at a time.
    let served = std::sync::Arc::new(served);
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..8u64 {
        let served = std::sync::Arc::clone(&served);
        tasks.spawn(async move {
            for i in (worker..200).step_by(8) {
                run_one(&served, i).await;
            }
        });
    }
    let mut finished = 0;
    while let Some(result) = tasks.join_next().await {
        result.expect("every answer is as expected");
        finished += 1;
    }
    assert_eq!(finished, 8);
    // State built once per cold start survives all of that: the counter counts this process's calls.
    let first = served.invoke("context.info", &json!({})).await.json();
    let second = served.invoke("context.info", &json!({})).await.json();
    assert_eq!(second["served"].as_u64(), first["served"].as_u64().map(|n| n + 1));
    assert!(
        first["traceIdEnv"].as_str().is_some_and(|t| t.starts_with("Root=1-")),
        "{first}"
    );
}

#[tokio::test]
async fn a_timeout_is_answered_like_lambda_and_the_function_recovers() {
    let served = Served::start(&[("LAMBDA_RT_TIMEOUT", "0.5")]).await;
    let before = served.invoke("context.info", &json!({})).await.json();
    assert_eq!(before["served"], 1);

    // Cut short by the timeout (the answer says after how long), not after the handler's 5 s.
    let answer = served.invoke("sleep.ms", &json!({ "ms": 5000 })).await;
    assert_eq!(
        (answer.status, answer.function_error.as_deref()),
        (200, Some("Unhandled")),
        "{answer:?}"
    );
    assert_eq!(answer.json()["errorType"], "Sandbox.Timedout");
    assert_eq!(answer.json()["errorMessage"], "Task timed out after 0.50 seconds");

    // The timed-out function's runtime was replaced; it serves again.
    let answer = served.invoke("sleep.ms", &json!({ "ms": 10 })).await;
    assert_eq!(answer.json(), json!({ "slept": 10 }));
    // Other functions were not restarted: their state lives on.
    assert_eq!(served.invoke("context.info", &json!({})).await.json()["served"], 2);
}

#[tokio::test]
async fn each_invocation_gets_an_invocation_id_and_the_tenant_of_its_invoke_call() {
    let served = Served::start(&[]).await;
    let first = served
        .invoke_with("context.info", "{}", &[("X-Amz-Tenant-Id", "tenant-9")])
        .await
        .json();
    assert_eq!(first["tenantId"], "tenant-9", "{first}");
    let second = served.invoke("context.info", &json!({})).await.json();
    assert_eq!(
        second["tenantId"],
        Value::Null,
        "no tenant given, none passed: {second}"
    );
    let (a, b) = (first["invocationId"].as_str(), second["invocationId"].as_str());
    assert!(
        a.is_some() && b.is_some() && a != b,
        "one id per invocation: {first} {second}"
    );
}

#[tokio::test]
async fn a_late_post_is_answered_410_and_under_managed_instances_a_timeout_keeps_the_environment() {
    let served = Served::start(&[
        ("_HANDLER", "shutdown.demo"),
        ("AWS_LAMBDA_MAX_CONCURRENCY", "2"),
        ("LAMBDA_RT_TIMEOUT", "0.5"),
        ("LAMBDA_RT_OVERRUN_GRACE", "0.2"),
    ])
    .await;
    assert_eq!(served.invoke("function", &json!({"ms": 0})).await.json()["served"], 1);
    // Both loops take an invocation that never ends in time.
    let never = json!({"ms": 600_000});
    let (one, two) = tokio::join!(served.invoke("function", &never), served.invoke("function", &never));
    for answer in [&one, &two] {
        assert_eq!(answer.json()["errorType"], "Sandbox.Timedout", "{answer:?}");
    }
    // The runtime cancels both after their grace, their late posts are refused, and the loops serve
    // again in the same environment: the state built at init counts on (a restart would start at 1).
    assert_eq!(served.invoke("function", &json!({"ms": 0})).await.json()["served"], 2);

    // A post for a timed-out invocation is answered as Lambda does.
    let late = served
        .client
        .post(format!(
            "{}/2018-06-01/runtime/invocation/{}/response",
            served.base,
            one.request_id.as_deref().expect("x-amzn-requestid")
        ))
        .body("{}")
        .send()
        .await
        .expect("answered");
    assert_eq!(late.status().as_u16(), 410);
    let body: Value = serde_json::from_slice(&late.bytes().await.expect("a body")).expect("a JSON body");
    assert_eq!(body["errorType"], "InvokeTimeout", "{body}");
}

#[tokio::test]
async fn invoke_api_options_and_limits() {
    let served = Served::start(&[("_HANDLER", "hello.ALB")]).await;

    // `function` means _HANDLER's handler; an ARN names it too.
    assert_eq!(served.invoke("function", &alb_event()).await.json()["statusCode"], 200);
    let arn = "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Ahello.ALB%3A%24LATEST";
    assert_eq!(served.invoke(arn, &alb_event()).await.json()["statusCode"], 200);

    // Tail: the invocation's own log, base64.
    let answer = served
        .invoke_with("fail.always", "{}", &[("X-Amz-Log-Type", "Tail")])
        .await;
    let log = base64::engine::general_purpose::STANDARD
        .decode(answer.log_result.expect("a log"))
        .expect("base64");
    let log = String::from_utf8(log).expect("utf-8");
    assert!(log.starts_with("START RequestId: "), "{log}");
    assert!(log.contains("ERROR this function always fails: as designed"), "{log}");
    assert!(log.contains("REPORT RequestId: "), "{log}");

    // Bad input: 413 above 6 MB, the event's own decode error otherwise.
    let big = format!("\"{}\"", "x".repeat(6 * 1024 * 1024));
    let answer = served.invoke_with("echo.raw", big, &[]).await;
    assert_eq!(answer.status, 413, "{answer:?}");
    let answer = served.invoke("custom.Event", &json!({ "name": "x" })).await;
    assert_eq!(answer.json()["errorType"], "Runtime.UnmarshalError");
    assert!(
        answer.json()["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("count"))
    );

    // Asynchronous and dry-run invocation types.
    assert_eq!(
        served
            .invoke_with(
                "hello.ALB",
                alb_event().to_string(),
                &[("X-Amz-Invocation-Type", "Event")]
            )
            .await
            .status,
        202
    );
    assert_eq!(
        served
            .invoke_with("hello.ALB", "{}", &[("X-Amz-Invocation-Type", "DryRun")])
            .await
            .status,
        204
    );

    // A handler whose init fails answers every invocation with the init error.
    for _ in 0..2 {
        let answer = served.invoke("init.fail", &json!({})).await;
        assert_eq!(
            (answer.status, answer.function_error.as_deref()),
            (200, Some("Unhandled"))
        );
        assert_eq!(answer.json()["errorType"], "Runtime.InitError");
        assert!(
            answer.json()["errorMessage"]
                .as_str()
                .is_some_and(|m| m.contains("database unreachable"))
        );
    }
}

#[tokio::test]
async fn streaming_responses_are_answered_whole_and_mid_stream_errors_as_function_errors() {
    let served = Served::start(&[]).await;
    let lines = served
        .invoke("stream.lines", &json!({"count": 3, "delay_ms": 20}))
        .await;
    assert_eq!((lines.status, lines.function_error.as_deref()), (200, None));
    assert_eq!(lines.body, b"line 1\nline 2\nline 3\n");

    let broken = served.invoke("stream.lines", &json!({"count": 3, "fail_at": 2})).await;
    assert_eq!(
        (broken.status, broken.function_error.as_deref()),
        (200, Some("Unhandled"))
    );
    assert_eq!(
        broken.json()["errorType"],
        "StreamBroke",
        "the error from the trailers, not the partial body"
    );

    let http = served.invoke("stream.http", &json!({"rawPath": "/x"})).await;
    let nuls = http
        .body
        .windows(8)
        .position(|w| w == [0; 8])
        .expect("prelude delimiter");
    let prelude: Value = serde_json::from_slice(&http.body[..nuls]).expect("JSON prelude");
    assert_eq!(prelude["statusCode"], 200);
    assert!(http.body[nuls + 8..].starts_with(b"data: "));
}

#[tokio::test]
async fn invoke_with_response_stream_checks_its_invocation_type_and_function() {
    let served = Served::start(&[]).await;
    let call = |function: &str, invocation_type: &str| {
        let request = served
            .client
            .post(format!(
                "{}/2021-11-15/functions/{function}/response-streaming-invocations",
                served.base
            ))
            .header("x-amz-invocation-type", invocation_type)
            .body(r#"{"count": 1}"#);
        async move { request.send().await.expect("answered") }
    };
    let event = call("stream.lines", "Event").await;
    assert_eq!(event.status(), 400, "streaming invocations are synchronous");
    let text = event.text().await.unwrap();
    assert!(text.contains("expected RequestResponse, DryRun"), "{text}");
    assert_eq!(call("stream.lines", "DryRun").await.status(), 204);
    assert_eq!(call("no.such", "RequestResponse").await.status(), 404);
    let streamed = call("stream.lines", "RequestResponse").await;
    assert_eq!(streamed.status(), 200);
    assert_eq!(streamed.headers()["content-type"], "application/vnd.amazon.eventstream");
    let frames = streamed.bytes().await.unwrap();
    let has = |what: &[u8]| frames.windows(what.len()).any(|w| w == what);
    assert!(
        has(b"PayloadChunk") && has(b"line 1\n") && has(b"InvokeComplete"),
        "{frames:?}"
    );
}

#[tokio::test]
async fn max_concurrency_runs_invocations_side_by_side() {
    let served = std::sync::Arc::new(Served::start(&[("AWS_LAMBDA_MAX_CONCURRENCY", "4")]).await);
    // Each waits until all four are in: served one at a time, none of them would get there.
    let calls = (0..4).map(|_| {
        let served = std::sync::Arc::clone(&served);
        tokio::spawn(async move { served.invoke("sleep.together", &json!({ "together": 4 })).await })
    });
    for call in calls.collect::<Vec<_>>() {
        let answer = call.await.expect("joined");
        assert_eq!(answer.json()["met"], 4, "{answer:?}");
    }
}

#[tokio::test]
async fn a_closed_stderr_does_not_stop_the_emulator() {
    let served = Served::start_with_stderr(&[], &[], false).await;
    for i in 0..3 {
        let answer = served
            .invoke("custom.Event", &json!({ "name": "quiet", "count": i }))
            .await;
        assert_eq!(answer.json(), json!({ "greeting": "hello quiet", "count": i + 1 }));
    }
    let answer = served.invoke("fail.always", &json!({})).await;
    assert_eq!(answer.json()["errorType"], "CustomFailure");
}

#[test]
fn the_library_emulator_starts_in_process() {
    use examples as _;
    let emulator = lambda_fn::emulator::Emulator::builder()
        .timeout(Duration::from_secs(2))
        .start()
        .expect("starts");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let response = runtime.block_on(async {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client")
            .post(emulator.invoke_url("custom.Event"))
            .body(r#"{"name": "in-process", "count": 1}"#)
            .send()
            .await
            .expect("sent")
            .bytes()
            .await
            .expect("body")
    });
    let response: Value = serde_json::from_slice(&response).expect("JSON");
    assert_eq!(response, json!({ "greeting": "hello in-process", "count": 2 }));
}

/// `bootstrap serve --http todos.api`: curl-style requests on the emulator's port go through the real
/// loop as events of the chosen source and come back as HTTP answers; the Invoke API keeps working on the
/// same port.
#[tokio::test(flavor = "current_thread")]
async fn serve_http_answers_plain_http_requests_from_the_routes() {
    for source in [
        None,
        Some("apigw-rest"),
        Some("alb"),
        Some("function-url"),
        Some("lattice-v2"),
        Some("lattice-v1"),
    ] {
        let mut args = vec!["serve", "--http", "todos.api"];
        args.extend(source.iter().flat_map(|s| ["--source", *s]));
        let served = Served::start_with_stderr(&args, &[], true).await;
        let url = |path: &str| format!("{}{path}", served.base);
        let client = &served.client;
        let created = client
            .post(url("/todos"))
            .header("content-type", "application/json")
            .body(r#"{"title": "milk"}"#)
            .send()
            .await
            .expect("POST /todos");
        assert_eq!(created.status(), 201, "{source:?}");
        assert_eq!(created.headers()["location"], "/todos/1");
        let todo: Value = serde_json::from_slice(&created.bytes().await.unwrap()).unwrap();
        assert_eq!(todo, json!({"id": 1, "title": "milk", "done": false}));

        let got = client.get(url("/todos/1?verbose=1")).send().await.unwrap();
        assert_eq!(got.status(), 200);
        assert_eq!(got.headers()["content-type"], "application/json");
        let bad = client.get(url("/todos/abc")).send().await.unwrap();
        assert_eq!(bad.status(), 400);
        let bad: Value = serde_json::from_slice(&bad.bytes().await.unwrap()).unwrap();
        assert_eq!(bad["parameter"], "id");
        let put = client.put(url("/todos")).send().await.unwrap();
        assert_eq!(
            (put.status().as_u16(), put.headers()["allow"].to_str().unwrap()),
            (405, "GET, HEAD, POST")
        );
        let deleted = client.delete(url("/todos/1")).send().await.unwrap();
        assert_eq!(deleted.status(), 204);
        assert_eq!(client.get(url("/todos/1")).send().await.unwrap().status(), 404);

        // The Invoke API on the same port, with an event written by hand.
        let event = json!({"version": "2.0", "rawPath": "/todos", "rawQueryString": "",
                           "requestContext": {"stage": "$default", "http": {"method": "GET"}}});
        let invoked = served.invoke("todos.api", &event).await;
        assert_eq!(
            (invoked.status, invoked.json()["statusCode"].clone()),
            (200, json!(200))
        );
        assert_eq!(invoked.json()["body"], "[]");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn serve_http_refuses_what_it_cannot_serve() {
    for (args, says) in [
        (&["serve", "--http", "todo.api"][..], "no handler named `todo.api`"),
        (
            &["serve", "--http", "todos.api", "--source", "sqs"][..],
            "`sqs` is not an HTTP source",
        ),
        (&["serve", "--source", "alb"][..], "--source needs --http"),
        (&["serve", "--port", "1"][..], "unrecognised option `--port`"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_bootstrap"))
            .args(args)
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .env("LAMBDA_RT_PORT", "0")
            .output()
            .await
            .expect("bootstrap runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}
