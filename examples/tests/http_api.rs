//! HTTP functions end to end: the real `bootstrap` serves `todos.api` against a Runtime API on
//! 127.0.0.1, once per HTTP source, with events built from the repository's fixtures of that source
//! (`lambda-events/tests/fixtures`: AWS's example payloads and ours, written from AWS's documentation).
//! Every answer is a response post (never a Lambda error) in the shape that source expects.

// Panicking is how a helper of a test fails it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use base64::Engine as _;
use serde_json::{Map, Value, json};
use support::{Bootstrap, Event, FakeApi, command, response};

/// The HTTP sources, each with the fixture its events start from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Rest,
    HttpApi,
    AlbSingle,
    AlbMulti,
    FunctionUrl,
    LatticeV1,
    LatticeV2,
}

const ALL: [Source; 7] = [
    Source::Rest,
    Source::HttpApi,
    Source::AlbSingle,
    Source::AlbMulti,
    Source::FunctionUrl,
    Source::LatticeV1,
    Source::LatticeV2,
];

impl Source {
    fn fixture(self) -> &'static str {
        match self {
            Source::Rest => "aws-events/example-apigw-request.json",
            Source::HttpApi => "aws-events/example-apigw-v2-request-no-authorizer.json",
            Source::AlbSingle => "aws-events/example-alb-lambda-target-request-headers-only.json",
            Source::AlbMulti => "aws-events/example-alb-lambda-target-request-multivalue-headers.json",
            Source::FunctionUrl => "function_url/request-iam-auth.json",
            Source::LatticeV1 => "vpc_lattice/request-v1.json",
            Source::LatticeV2 => "vpc_lattice/request-v2-iam.json",
        }
    }
}

fn fixture(path: &str) -> Value {
    let full = format!("{}/../lambda-events/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn map(pairs: &[(&str, &str)]) -> Value {
    Value::Object(pairs.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect())
}

fn lists(pairs: &[(&str, &str)]) -> Value {
    let mut out = Map::new();
    for (k, v) in pairs {
        let entry = out.entry((*k).to_owned()).or_insert_with(|| json!([]));
        entry.as_array_mut().unwrap().push(json!(v));
    }
    Value::Object(out)
}

fn encoded_query(query: &[(&str, &str)]) -> String {
    query
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace(' ', "%20")))
        .collect::<Vec<_>>()
        .join("&")
}

/// `method path?query` with `body` (JSON, so a `content-type: application/json`) as `source` sends it,
/// from that source's fixture: what a real request looks like, with the request line set.
fn event(source: Source, method: &str, path: &str, query: &[(&str, &str)], body: Option<&str>) -> Value {
    let mut e = fixture(source.fixture());
    let mut headers: Vec<(&str, &str)> = vec![("accept", "application/json"), ("user-agent", "e2e")];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    let query_or_null = |v: Value| if query.is_empty() { Value::Null } else { v };
    match source {
        Source::Rest => {
            e["httpMethod"] = json!(method);
            e["path"] = json!(path);
            // The default endpoint: the stage is in the request context's path, not in `path`.
            e["requestContext"]["path"] = json!(format!("/prod{path}"));
            e["requestContext"]["stage"] = json!("prod");
            e["requestContext"]["httpMethod"] = json!(method);
            e["headers"] = map(&headers);
            e["multiValueHeaders"] = lists(&headers);
            e["queryStringParameters"] = query_or_null(map(query));
            e["multiValueQueryStringParameters"] = query_or_null(lists(query));
            e["body"] = json!(body);
            e["isBase64Encoded"] = json!(false);
        }
        Source::HttpApi | Source::FunctionUrl => {
            e["rawPath"] = json!(path);
            e["rawQueryString"] = json!(encoded_query(query));
            e["queryStringParameters"] = query_or_null(map(query));
            e["requestContext"]["http"]["method"] = json!(method);
            e["requestContext"]["http"]["path"] = json!(path);
            e["headers"] = map(&headers);
            e["body"] = json!(body);
            e["isBase64Encoded"] = json!(false);
        }
        Source::AlbSingle => {
            e["httpMethod"] = json!(method);
            e["path"] = json!(path);
            e["queryStringParameters"] = map(query);
            e["headers"] = map(&headers);
            e["body"] = json!(body.unwrap_or(""));
            e["isBase64Encoded"] = json!(false);
        }
        Source::AlbMulti => {
            e["httpMethod"] = json!(method);
            e["path"] = json!(path);
            e["multiValueQueryStringParameters"] = lists(query);
            e["multiValueHeaders"] = lists(&headers);
            e["body"] = json!(body.unwrap_or(""));
            e["isBase64Encoded"] = json!(false);
        }
        Source::LatticeV1 => {
            e["method"] = json!(method);
            e["raw_path"] = json!(if query.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{}", encoded_query(query))
            });
            e.as_object_mut().unwrap().remove("query_string_parameters");
            e["headers"] = map(&headers);
            e["body"] = json!(body.unwrap_or(""));
            e["is_base64_encoded"] = json!(false);
        }
        Source::LatticeV2 => {
            e["method"] = json!(method);
            e["path"] = json!(path);
            e["queryStringParameters"] = lists(query);
            e["headers"] = lists(&headers);
            // Lattice sends bodies base64-encoded: the request must come out decoded.
            e["body"] = json!(base64::engine::general_purpose::STANDARD.encode(body.unwrap_or("")));
            e["isBase64Encoded"] = json!(true);
        }
    }
    e
}

/// An answer decoded after checking it has `source`'s shape: status, headers (lowercase), body.
struct Answer {
    status: u64,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
}

fn decode(source: Source, answer: &Value) -> Answer {
    let object = answer.as_object().unwrap_or_else(|| panic!("not an object: {answer}"));
    let status = answer["statusCode"]
        .as_u64()
        .unwrap_or_else(|| panic!("no statusCode: {answer}"));
    let described = matches!(
        source,
        Source::AlbSingle | Source::AlbMulti | Source::LatticeV1 | Source::LatticeV2
    );
    assert_eq!(
        object.contains_key("statusDescription"),
        described,
        "{source:?}: {answer}"
    );
    if described {
        let description = answer["statusDescription"].as_str().unwrap();
        assert!(description.starts_with(&format!("{status} ")), "{description}");
    }
    let mut headers = Vec::new();
    match source {
        Source::AlbMulti => {
            assert!(
                !object.contains_key("headers"),
                "multi-value ALB answers use multiValueHeaders only: {answer}"
            );
            for (name, values) in answer["multiValueHeaders"].as_object().unwrap() {
                for value in values.as_array().unwrap() {
                    headers.push((name.clone(), value.as_str().unwrap().to_owned()));
                }
            }
        }
        _ => {
            if source != Source::Rest {
                assert!(!object.contains_key("multiValueHeaders"), "{source:?}: {answer}");
            }
            for (name, value) in answer["headers"].as_object().unwrap() {
                headers.push((name.clone(), value.as_str().unwrap().to_owned()));
            }
        }
    }
    let body = answer["body"].as_str().unwrap_or_default().to_owned();
    let body = if answer["isBase64Encoded"] == json!(true) {
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(body).unwrap()).unwrap()
    } else {
        assert_eq!(answer["isBase64Encoded"], json!(false), "{answer}");
        body
    };
    Answer { status, headers, body }
}

/// Sends one request through the bootstrap; checks it was answered with a response post.
async fn call(api: &FakeApi, source: Source, id: &str, request: Value) -> Answer {
    api.push(Event::new(id, request.to_string()));
    let posted = api.answer_for(id).await;
    assert_eq!(
        posted.call(),
        response(id),
        "{source:?}: an HTTP answer, never a Lambda error: {}",
        posted.text()
    );
    decode(source, &posted.json())
}

#[tokio::test(flavor = "current_thread")]
async fn todos_api_answers_every_source_in_its_shape() {
    for source in ALL {
        let api = FakeApi::start().await;
        let bootstrap = Bootstrap::start(&api, "todos.api");
        let id = |n: u32| format!("{source:?}-{n}").to_lowercase();
        let send = |n: u32, method: &str, path: &str, query: &[(&str, &str)], body: Option<&str>| {
            let request = event(source, method, path, query, body);
            let api = &api;
            let id = id(n);
            async move { call(api, source, &id, request).await }
        };

        let created = send(1, "POST", "/todos", &[], Some(r#"{"title": "milk"}"#)).await;
        assert_eq!(created.status, 201, "{source:?}: {}", created.body);
        assert_eq!(created.header("location"), Some("/todos/1"));
        assert_eq!(created.header("content-type"), Some("application/json"));
        assert_eq!(created.json(), json!({"id": 1, "title": "milk", "done": false}));

        let listed = send(2, "GET", "/todos", &[("limit", "5")], None).await;
        assert_eq!(
            (listed.status, listed.json()),
            (200, json!([{"id": 1, "title": "milk", "done": false}]))
        );
        let got = send(3, "GET", "/todos/1", &[], None).await;
        assert_eq!((got.status, got.json()["title"].clone()), (200, json!("milk")));

        let bad_id = send(4, "GET", "/todos/abc", &[], None).await;
        assert_eq!(bad_id.status, 400, "{source:?}");
        assert_eq!(bad_id.json()["parameter"], "id");
        assert!(
            bad_id.json()["message"].as_str().unwrap().contains("`abc`"),
            "{}",
            bad_id.body
        );
        let bad_body = send(5, "POST", "/todos", &[], Some(r#"{"title": 5}"#)).await;
        assert_eq!(
            (bad_body.status, bad_body.json()["parameter"].clone()),
            (400, json!("body.title"))
        );
        let blank = send(6, "POST", "/todos", &[], Some(r#"{"title": " "}"#)).await;
        assert_eq!(blank.status, 400);

        let put = send(7, "PUT", "/todos", &[], None).await;
        assert_eq!(put.status, 405, "{source:?}");
        assert_eq!(put.header("allow"), Some("GET, HEAD, POST"));
        let nowhere = send(8, "GET", "/nothing/here", &[], None).await;
        assert_eq!(
            (nowhere.status, nowhere.json()["error"].clone()),
            (404, json!("Not Found"))
        );

        let failed = send(9, "GET", "/todos/1/fail", &[], None).await;
        assert_eq!(failed.status, 500);
        assert_eq!(failed.json()["requestId"], id(9));
        assert!(
            !failed.body.contains("StorageDown"),
            "the details stay in the log: {}",
            failed.body
        );
        let panicked = send(10, "GET", "/todos/1/panic", &[], None).await;
        assert_eq!(
            (panicked.status, panicked.json()["requestId"].clone()),
            (500, json!(id(10)))
        );

        let deleted = send(11, "DELETE", "/todos/1", &[], None).await;
        assert_eq!((deleted.status, deleted.body.as_str()), (204, ""));
        let gone = send(12, "GET", "/todos/1", &[], None).await;
        assert_eq!(
            (gone.status, gone.json()["message"].clone()),
            (404, json!("there is no todo 1"))
        );
        let head = send(13, "HEAD", "/todos", &[], None).await;
        assert_eq!(
            (head.status, head.body.as_str()),
            (200, ""),
            "HEAD is GET without the body"
        );

        let log = bootstrap.stderr();
        assert!(
            log.lines()
                .any(|l| l.contains(&id(9)) && l.contains("StorageDown: could not read todo 1")),
            "the failure is logged with its request id:\n{log}"
        );
        assert!(
            log.lines()
                .any(|l| l.contains(&id(10)) && l.contains("todo 1 exploded")),
            "{log}"
        );
        drop(bootstrap);
    }
}

/// One request for `path` through a bootstrap started with `env`.
async fn routed(source: Source, request: Value, env: &[(&str, &str)]) -> Answer {
    let api = FakeApi::start().await;
    let mut command = command(Some(&api.host_port()), Some("todos.api"));
    command.envs(env.iter().copied());
    let _bootstrap = Bootstrap::spawn(command, Some(&api));
    call(&api, source, "stage-1", request).await
}

#[tokio::test(flavor = "current_thread")]
async fn the_router_sees_the_path_relative_to_the_api() {
    // An HTTP API's named stage is in rawPath; it is taken off.
    let mut named = event(Source::HttpApi, "GET", "/prod/todos", &[], None);
    named["requestContext"]["stage"] = json!("prod");
    assert_eq!(routed(Source::HttpApi, named, &[]).await.status, 200);
    // ... only as a whole leading segment.
    let mut lookalike = event(Source::HttpApi, "GET", "/production/todos", &[], None);
    lookalike["requestContext"]["stage"] = json!("prod");
    assert_eq!(routed(Source::HttpApi, lookalike, &[]).await.status, 404);

    // A REST API behind a custom domain with base path mapping `v1`: `path` has the base path, which
    // LAMBDA_RT_BASE_PATH names.
    let mut custom = event(Source::Rest, "GET", "/v1/todos", &[], None);
    custom["requestContext"]["path"] = json!("/v1/todos");
    custom["requestContext"]["domainName"] = json!("api.example.com");
    assert_eq!(routed(Source::Rest, custom.clone(), &[]).await.status, 404);
    assert_eq!(
        routed(Source::Rest, custom, &[("LAMBDA_RT_BASE_PATH", "/v1")])
            .await
            .status,
        200
    );

    // The same setting works for an HTTP API's custom domain, after the stage.
    let mut both = event(Source::HttpApi, "GET", "/dev/api/todos", &[], None);
    both["requestContext"]["stage"] = json!("dev");
    assert_eq!(
        routed(Source::HttpApi, both, &[("LAMBDA_RT_BASE_PATH", "api")])
            .await
            .status,
        200
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_event_that_is_not_http_is_an_unmarshal_error() {
    let api = FakeApi::start().await;
    let _bootstrap = Bootstrap::start(&api, "todos.api");
    api.push(Event::new("sqs-1", r#"{"Records": []}"#));
    let posted = api.answer_for("sqs-1").await;
    assert_eq!(posted.call(), support::error("sqs-1"));
    assert_eq!(posted.json()["errorType"], "Runtime.UnmarshalError");
    assert!(posted.text().contains("not an HTTP request"), "{}", posted.text());
    // And the function goes on.
    let list = call(
        &api,
        Source::HttpApi,
        "after-1",
        event(Source::HttpApi, "GET", "/todos", &[], None),
    )
    .await;
    assert_eq!(list.status, 200);
}
