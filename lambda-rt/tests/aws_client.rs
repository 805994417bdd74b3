//! The AWS client (`src/aws/`, feature `durable`) against a real HTTP server on 127.0.0.1: retries of
//! transient answers, each attempt signed with the session token, permanent errors not retried, and
//! no wait past the deadline.
//!
//! The module is crate-private, so it is compiled here on its own (it names nothing else of the
//! crate); its unit tests run here a second time.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[path = "../src/aws/mod.rs"]
#[allow(dead_code, unused_imports)]
mod aws;

use aws::{AwsClient, AwsError, AwsRequest, encode_label};

/// A request as the server received it.
#[derive(Debug, Clone)]
struct Received {
    /// `POST /path HTTP/1.1`.
    line: String,
    /// Names in lower case.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// One scripted answer: status, extra headers, body.
type Answer = (u16, &'static [(&'static str, &'static str)], &'static str);

/// A minimal HTTP/1.1 server: answers the scripted answers in order (the last one for ever), one per
/// connection (`connection: close`), and records what it received.
async fn serve(script: Vec<Answer>) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    tokio::spawn(async move {
        let mut next = 0;
        while let Ok((stream, _)) = listener.accept().await {
            let answer = script[next.min(script.len() - 1)];
            next += 1;
            if let Some(request) = answer_one(stream, answer).await {
                log.lock().unwrap().push(request);
            }
        }
    });
    (format!("http://{addr}"), received)
}

async fn answer_one(mut stream: TcpStream, (status, headers, body): Answer) -> Option<Received> {
    let mut buffer = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let line = lines.next()?.to_owned();
    let headers_in: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers_in
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut request_body = buffer[head_end + 4..].to_vec();
    while request_body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        request_body.extend_from_slice(&chunk[..n]);
    }
    let mut out = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    stream.write_all(out.as_bytes()).await.ok()?;
    stream.shutdown().await.ok()?;
    Some(Received {
        line,
        headers: headers_in,
        body: request_body,
    })
}

/// A client of `lambda` whose endpoint is `url` (with a path prefix), with a session token.
fn client(url: &str) -> AwsClient {
    let endpoint = format!("{url}/runner");
    let env = move |name: &str| {
        let value = match name {
            "AWS_ACCESS_KEY_ID" => "AKID",
            "AWS_SECRET_ACCESS_KEY" => "SECRET",
            "AWS_SESSION_TOKEN" => "SESSION-TOKEN",
            "AWS_REGION" => "eu-west-1",
            "AWS_ENDPOINT_URL_LAMBDA" => endpoint.as_str(),
            _ => return None,
        };
        Some(value.to_owned())
    };
    AwsClient::from_lookup("lambda", &env).unwrap()
}

const ARN: &str = "arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST/durable-execution/run-1/abc";

fn checkpoint(deadline: Instant) -> AwsRequest {
    let path = format!("/2025-12-01/durable-executions/{}/checkpoint", encode_label(ARN));
    AwsRequest::post_json(path, &br#"{"CheckpointToken":"tok-1","Updates":[]}"#[..], deadline)
}

/// `AWS4-HMAC-SHA256 Credential=AKID/<yyyymmdd>/eu-west-1/lambda/aws4_request, SignedHeaders=..., Signature=<64 hex>`
/// whose date is the one of `x-amz-date`.
fn assert_signed(request: &Received, signed_headers: &str) {
    let authorization = request.header("authorization").expect("an authorization header");
    let date = request.header("x-amz-date").expect("an x-amz-date header");
    assert_eq!(date.len(), 16, "{date}");
    let expected_start = format!(
        "AWS4-HMAC-SHA256 Credential=AKID/{}/eu-west-1/lambda/aws4_request, SignedHeaders={signed_headers}, Signature=",
        &date[..8]
    );
    assert!(
        authorization.starts_with(&expected_start),
        "{authorization}\n does not start with\n{expected_start}"
    );
    let signature = &authorization[expected_start.len()..];
    assert!(
        signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_hexdigit()),
        "{signature}"
    );
    assert_eq!(request.header("x-amz-security-token"), Some("SESSION-TOKEN"));
}

#[tokio::test(flavor = "current_thread")]
async fn transient_answers_are_retried_signed_until_the_success() {
    let (url, received) = serve(vec![
        (
            429,
            &[("retry-after", "0")],
            r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#,
        ),
        (500, &[], r#"{"message":"Internal error"}"#),
        (200, &[("x-amzn-requestid", "req-3")], r#"{"CheckpointToken":"tok-2"}"#),
    ])
    .await;
    let client = client(&url);

    let response = client
        .send(checkpoint(Instant::now() + Duration::from_secs(10)))
        .await
        .unwrap();

    assert_eq!(response.status, 200);
    assert_eq!(&response.body[..], br#"{"CheckpointToken":"tok-2"}"#);
    assert_eq!(response.attempts, 3);
    assert_eq!(response.request_id.as_deref(), Some("req-3"));
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 3, "{received:#?}");
    let host = url.trim_start_matches("http://");
    for request in &received {
        assert_eq!(
            request.line,
            "POST /runner/2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction\
             %3Aorders%3A%24LATEST%2Fdurable-execution%2Frun-1%2Fabc/checkpoint HTTP/1.1"
        );
        assert_signed(request, "content-type;host;x-amz-date;x-amz-security-token");
        assert_eq!(request.header("host"), Some(host));
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.body, br#"{"CheckpointToken":"tok-1","Updates":[]}"#);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_client_error_is_not_retried_and_carries_code_and_message() {
    let (url, received) = serve(vec![(
        400,
        &[("x-amzn-requestid", "req-1")],
        r#"{"Type":"InvalidParameterValueException","message":"Invalid checkpoint token"}"#,
    )])
    .await;
    let client = client(&url);

    let error = client
        .send(checkpoint(Instant::now() + Duration::from_secs(10)))
        .await
        .unwrap_err();

    match &error {
        AwsError::Service {
            status,
            code,
            message,
            retryable,
            request_id,
            attempts,
        } => {
            assert_eq!(*status, 400);
            assert_eq!(code, "InvalidParameterValueException");
            assert_eq!(message, "Invalid checkpoint token");
            assert!(!retryable);
            assert_eq!(request_id.as_deref(), Some("req-1"));
            assert_eq!(*attempts, 1);
        }
        other => panic!("not a service error: {other:?}"),
    }
    assert!(!error.is_retryable());
    assert_eq!(received.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn a_get_with_a_query_is_signed_without_a_content_type() {
    let (url, received) = serve(vec![(200, &[], r#"{"Operations":[]}"#)]).await;
    let client = client(&url);
    let path = format!(
        "/2025-12-01/durable-executions/{}/state?CheckpointToken={}&MaxItems=100",
        encode_label(ARN),
        encode_label("tok/1=")
    );

    let response = client
        .send(AwsRequest::get(path, Instant::now() + Duration::from_secs(10)))
        .await
        .unwrap();

    assert_eq!(&response.body[..], br#"{"Operations":[]}"#);
    let received = received.lock().unwrap().clone();
    assert!(
        received[0]
            .line
            .starts_with("GET /runner/2025-12-01/durable-executions/arn%3A"),
        "{}",
        received[0].line
    );
    assert!(
        received[0]
            .line
            .ends_with("/state?CheckpointToken=tok%2F1%3D&MaxItems=100 HTTP/1.1"),
        "{}",
        received[0].line
    );
    assert_signed(&received[0], "host;x-amz-date;x-amz-security-token");
    assert_eq!(received[0].header("content-type"), None);
}

#[tokio::test(flavor = "current_thread")]
async fn retries_stop_at_the_deadline_with_a_retryable_error() {
    let (url, received) = serve(vec![(503, &[], r#"{"message":"Slow down"}"#)]).await;
    let client = client(&url);
    let start = Instant::now();

    let error = client
        .send(checkpoint(start + Duration::from_millis(400)))
        .await
        .unwrap_err();

    assert!(error.is_retryable(), "{error:?}");
    let AwsError::Service {
        status: 503,
        attempts: reported,
        ..
    } = error
    else {
        panic!("not the endpoint's 503: {error:?}");
    };
    let attempts = received.lock().unwrap().len();
    assert!(attempts >= 3, "only {attempts} attempts in 400 ms with a 50 ms backoff");
    // The deadline ended the retries, not the attempt cap (8 attempts wait well over a second).
    assert_eq!(reported as usize, attempts);
    assert!(
        attempts < 8,
        "{attempts} attempts: the cap, not the deadline, stopped them"
    );

    // A call whose deadline has passed sends nothing.
    let late = client.send(checkpoint(Instant::now())).await.unwrap_err();
    assert!(late.is_retryable(), "{late:?}");
    assert!(late.to_string().contains("deadline passed"), "{late}");
    assert_eq!(
        received.lock().unwrap().len(),
        attempts,
        "nothing sent past the deadline"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_unreachable_endpoint_is_a_retryable_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = client(&url);
    let start = Instant::now();

    let error = client
        .send(checkpoint(start + Duration::from_millis(300)))
        .await
        .unwrap_err();

    match &error {
        // At least one retry, and the deadline, not the attempt cap (8), ended them.
        AwsError::Transport { attempts, .. } => assert!((2..8).contains(attempts), "{error:?}"),
        other => panic!("not a transport error: {other:?}"),
    }
    assert!(error.is_retryable());
    assert!(error.to_string().contains("after"), "{error}");
}
