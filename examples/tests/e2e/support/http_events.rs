//! HTTP events of every source, built from the repository's fixtures of that source
//! (`lambda-events/tests/fixtures`: AWS's example payloads and ours, written from AWS's documentation),
//! and the answers decoded after checking they have that source's shape.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::fake_api::Event;
use super::{FakeApi, response};

/// The HTTP sources, each with the fixture its events start from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Rest,
    HttpApi,
    AlbSingle,
    AlbMulti,
    FunctionUrl,
    LatticeV1,
    LatticeV2,
}

pub const ALL: [Source; 7] = [
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
pub fn event(source: Source, method: &str, path: &str, query: &[(&str, &str)], body: Option<&str>) -> Value {
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
pub struct Answer {
    pub status: u64,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
}

pub fn decode(source: Source, answer: &Value) -> Answer {
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
    let lists_of = |headers: &mut Vec<(String, String)>, field: &str| {
        for (name, values) in answer[field].as_object().into_iter().flatten() {
            for value in values.as_array().unwrap() {
                headers.push((name.clone(), value.as_str().unwrap().to_owned()));
            }
        }
    };
    match source {
        Source::AlbMulti => {
            assert!(
                !object.contains_key("headers"),
                "multi-value ALB answers use multiValueHeaders only: {answer}"
            );
            lists_of(&mut headers, "multiValueHeaders");
        }
        _ => {
            if source == Source::Rest {
                // API Gateway merges the two: a name in `multiValueHeaders` keeps those values only.
                lists_of(&mut headers, "multiValueHeaders");
            } else {
                assert!(!object.contains_key("multiValueHeaders"), "{source:?}: {answer}");
            }
            for (name, value) in answer["headers"].as_object().unwrap() {
                if !headers.iter().any(|(n, _)| n == name) {
                    headers.push((name.clone(), value.as_str().unwrap().to_owned()));
                }
            }
        }
    }
    let body = answer["body"].as_str().unwrap_or_default().to_owned();
    let body = if answer["isBase64Encoded"] == json!(true) {
        // Binary bodies are compared as their lossy text; the tests that care check the base64 itself.
        String::from_utf8_lossy(&base64::engine::general_purpose::STANDARD.decode(body).unwrap()).into_owned()
    } else {
        assert_eq!(answer["isBase64Encoded"], json!(false), "{answer}");
        body
    };
    Answer { status, headers, body }
}

/// Sends one request through the bootstrap; checks it was answered with a response post.
pub async fn call(api: &FakeApi, source: Source, id: &str, request: Value) -> Answer {
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
