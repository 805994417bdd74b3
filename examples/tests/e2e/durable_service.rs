//! A durable workflow (`orders.flow`, served by `bootstrap serve`) against a durable execution service on
//! 127.0.0.1 that this test scripts, answer by answer, to do what Lambda's may: page the history over
//! several GetDurableExecutionState calls, throttle a checkpoint, fail it, drop the connection, or refuse
//! it for good. The invocation is a real Invoke call to the emulator with the envelope Lambda would send.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use crate::support::tools::{Killed, free_port, wait_for_port};

/// The operation ids of a workflow's first three operations (BLAKE2b of "1", "2", "3").
const FIRST: &str = "1ced8f5be2db23a6513eba4d819c73806424748a7bc6fa0d792cc1c7d1775a97";
const SECOND: &str = "c5faca15ac2f93578b39ef4b6bbb871bdedce4ddd584fd31f0bb66fade3947e6";

/// A request the service received.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    target: String,
    body: Value,
}

/// What the service does with a request.
enum Reply {
    Json(u16, Value),
    /// Closes the connection without an answer.
    Drop,
}

/// The scripted service: each request gets the next reply of the script (the last one again when it
/// runs out); every request is kept.
struct Service {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Service {
    fn start(script: Vec<Reply>) -> Service {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        std::thread::spawn(move || {
            let mut script = script.into_iter().peekable();
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let Some(request) = read_request(&stream) else { continue };
                log.lock().unwrap().push(request);
                let reply = match script.next() {
                    Some(reply) if script.peek().is_some() => reply,
                    Some(last) => {
                        let again = match &last {
                            Reply::Json(status, body) => Reply::Json(*status, body.clone()),
                            Reply::Drop => Reply::Drop,
                        };
                        script = vec![again].into_iter().peekable();
                        last
                    }
                    None => Reply::Json(500, json!({"message": "the script ran out"})),
                };
                answer(stream, reply);
            }
        });
        Service { port, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<Received> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Some(Received { method, target, body })
}

fn answer(mut stream: TcpStream, reply: Reply) {
    let Reply::Json(status, body) = reply else {
        return; // dropped: the connection closes unanswered
    };
    let body = body.to_string();
    let _ = write!(
        stream,
        "HTTP/1.1 {status} Scripted\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// `bootstrap serve` checkpointing to `service`, and an Invoke of `orders.flow` with `envelope`: the
/// answer's function error header (if any) and body.
fn invoke(service: &Service, envelope: &Value) -> (Option<String>, Value) {
    let port = free_port();
    let mut bootstrap = Command::new(env!("CARGO_BIN_EXE_bootstrap"));
    bootstrap
        .arg("serve")
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env("LAMBDA_RT_PORT", port.to_string())
        .env("AWS_ENDPOINT_URL_LAMBDA", format!("http://127.0.0.1:{}", service.port))
        .envs([
            ("AWS_ACCESS_KEY_ID", "AKIDLOCAL"),
            ("AWS_SECRET_ACCESS_KEY", "local-secret"),
            ("AWS_REGION", "us-west-2"),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut bootstrap = Killed(bootstrap.spawn().expect("bootstrap serve starts"));
    wait_for_port(port, &mut bootstrap.0, "bootstrap serve");
    let body = envelope.to_string();
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    write!(
        stream,
        "POST /2015-03-31/functions/orders.flow/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let function_error = head.lines().find_map(|l| {
        l.to_ascii_lowercase()
            .strip_prefix("x-amz-function-error:")
            .map(|v| v.trim().to_owned())
    });
    (function_error, serde_json::from_str(body).expect("a JSON answer"))
}

fn envelope(next_marker: Option<&str>) -> Value {
    json!({
        "DurableExecutionArn": "arn:aws:lambda:us-west-2:123456789012:function:orders:$LATEST/durable-execution/e-1/r-1",
        "CheckpointToken": "token-0",
        "InitialExecutionState": {
            "Operations": [{
                "Id": "execution", "Type": "EXECUTION", "Status": "STARTED",
                "ExecutionDetails": {"InputPayload": "{\"id\": \"o-5\", \"quantity\": 2}"}
            }],
            "NextMarker": next_marker,
        }
    })
}

fn accepted(token: &str, operations: Value) -> Reply {
    Reply::Json(
        200,
        json!({"CheckpointToken": token, "NewExecutionState": {"Operations": operations}}),
    )
}

fn names(request: &Received) -> Vec<(String, String)> {
    request.body["Updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["Name"].as_str().unwrap_or("").to_owned(),
                u["Action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_history_paged_over_two_state_calls_is_replayed_before_anything_new_runs() {
    let service = Service::start(vec![
        Reply::Json(
            200,
            json!({
                "Operations": [{"Id": FIRST, "Type": "STEP", "SubType": "Step", "Name": "reserve", "Status": "SUCCEEDED",
                                "StepDetails": {"Attempt": 1, "Result": "\"reservation-of-o-5\""}}],
                "NextMarker": "page-3"
            }),
        ),
        Reply::Json(
            200,
            json!({
                "Operations": [{"Id": SECOND, "Type": "WAIT", "SubType": "Wait", "Name": "cool-off", "Status": "SUCCEEDED"}],
                "NextMarker": ""
            }),
        ),
        accepted("token-1", json!([])),
    ]);
    let (error, answer) = invoke(&service, &envelope(Some("page-2")));
    assert_eq!(error, None, "{answer}");
    assert_eq!(answer["Status"], "SUCCEEDED", "{answer}");
    let result: Value = serde_json::from_str(answer["Result"].as_str().unwrap()).unwrap();
    assert_eq!(
        result,
        json!({"order": "o-5", "reservation": "reservation-of-o-5", "charged_cents": 500})
    );

    let received = service.received();
    let targets: Vec<(&str, &str)> = received
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(targets.len(), 3, "{targets:?}");
    assert!(
        targets[0].0 == "GET" && targets[0].1.contains("/state?CheckpointToken=token-0&Marker=page-2"),
        "{targets:?}"
    );
    assert!(
        targets[1].0 == "GET" && targets[1].1.contains("Marker=page-3"),
        "{targets:?}"
    );
    assert!(
        targets[2].0 == "POST" && targets[2].1.ends_with("/checkpoint"),
        "{targets:?}"
    );
    assert_eq!(
        names(&received[2]),
        [
            ("charge".to_owned(), "START".to_owned()),
            ("charge".to_owned(), "SUCCEED".to_owned())
        ],
        "only the step after the paged history ran"
    );
}

#[test]
fn a_checkpoint_throttled_failed_and_dropped_is_sent_again_until_accepted() {
    let reserve = json!([{"Id": FIRST, "Type": "STEP", "SubType": "Step", "Name": "reserve", "Status": "SUCCEEDED",
                          "StepDetails": {"Attempt": 1, "Result": "\"reservation-of-o-5\""}}]);
    let wait = json!([{"Id": SECOND, "Type": "WAIT", "SubType": "Wait", "Name": "cool-off", "Status": "STARTED"}]);
    let service = Service::start(vec![
        Reply::Json(
            429,
            json!({"__type": "TooManyRequestsException", "message": "Rate exceeded"}),
        ),
        Reply::Json(500, json!({"__type": "ServiceException", "message": "internal error"})),
        Reply::Drop,
        accepted("token-1", reserve),
        accepted("token-2", wait),
    ]);
    let (error, answer) = invoke(&service, &envelope(None));
    assert_eq!(error, None, "{answer}");
    assert_eq!(answer, json!({"Status": "PENDING"}), "the workflow went on to its wait");
    let received = service.received();
    assert_eq!(received.len(), 5);
    for attempt in &received[..4] {
        assert_eq!(attempt.body, received[0].body, "the same checkpoint each time");
        assert_eq!(attempt.body["CheckpointToken"], "token-0");
    }
    assert_eq!(names(&received[0])[1], ("reserve".to_owned(), "SUCCEED".to_owned()));
    assert_eq!(
        received[4].body["CheckpointToken"], "token-1",
        "the next checkpoint has the rotated token"
    );
    assert_eq!(names(&received[4]), [("cool-off".to_owned(), "START".to_owned())]);
}

#[test]
fn a_checkpoint_that_keeps_failing_fails_the_invocation_and_one_refused_fails_the_execution() {
    let unavailable = Service::start(vec![Reply::Json(
        503,
        json!({"__type": "ServiceException", "message": "down"}),
    )]);
    let (error, answer) = invoke(&unavailable, &envelope(None));
    assert_eq!(error.as_deref(), Some("unhandled"), "{answer}");
    assert_eq!(answer["errorType"], "Durable.CheckpointUnavailable", "{answer}");
    assert!(unavailable.received().len() > 1, "it was retried within the deadline");

    let refused = Service::start(vec![Reply::Json(
        400,
        json!({"__type": "InvalidParameterValueException", "message": "Operation name does not match"}),
    )]);
    let (error, answer) = invoke(&refused, &envelope(None));
    assert_eq!(error, None, "{answer}");
    assert_eq!(answer["Status"], "FAILED", "{answer}");
    assert_eq!(answer["Error"]["ErrorType"], "Durable.CheckpointFailed", "{answer}");
    assert_eq!(refused.received().len(), 1, "a refusal is not retried");
}

#[test]
fn a_history_the_code_no_longer_matches_fails_the_execution_naming_both_operations() {
    let service = Service::start(vec![accepted("token-1", json!([]))]);
    let mut changed = envelope(None);
    changed["InitialExecutionState"]["Operations"]
        .as_array_mut()
        .unwrap()
        .push(
            json!({"Id": FIRST, "Type": "STEP", "SubType": "Step", "Name": "reserve-v1", "Status": "SUCCEEDED",
                     "StepDetails": {"Attempt": 1, "Result": "\"reservation-of-o-5\""}}),
        );
    let (error, answer) = invoke(&service, &changed);
    assert_eq!(error, None, "{answer}");
    assert_eq!(answer["Status"], "FAILED", "{answer}");
    assert_eq!(answer["Error"]["ErrorType"], "Durable.NonDeterministic", "{answer}");
    let message = answer["Error"]["ErrorMessage"].as_str().unwrap();
    assert!(
        message.contains("`reserve-v1`") && message.contains("reached Step `reserve`"),
        "{message}"
    );
    assert!(
        service.received().is_empty(),
        "nothing was checkpointed: {:?}",
        service.received()
    );
}
