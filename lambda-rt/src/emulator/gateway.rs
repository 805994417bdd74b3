//! `bootstrap serve --http <handler>`: what API Gateway (or an ALB, a function URL, VPC Lattice) does in
//! front of a function. A plain HTTP request on the emulator's port becomes that source's event, goes
//! through the handler's real Runtime API loop, and its answer goes back as the HTTP response.

use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use serde_json::{Map, Value, json};

use super::reply::{Reply, empty, full, json_reply};
use super::state::{MAX_PAYLOAD, Outcome, Shared};
use crate::http::Source;

/// Serves `request` as an event of `source` for function `index`.
pub(super) async fn serve(shared: &Shared, index: usize, source: Source, request: Request<Incoming>) -> Reply {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_PAYLOAD).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => {
            return json_reply(
                StatusCode::PAYLOAD_TOO_LARGE,
                &json!({"message": format!("Request Too Long: at most {MAX_PAYLOAD} bytes")}),
            );
        }
    };
    let event = event_for(source, &parts, &body, &shared.env.region, &shared.request_id());
    let (_, outcome) = shared.submit(index, Bytes::from(event.to_string()), None, None);
    match Outcome::ended(outcome.await) {
        Outcome::Response(answer) => http_answer(source, &answer),
        // What API Gateway answers when the function fails: the client learns nothing more.
        Outcome::Error { .. } => json_reply(StatusCode::BAD_GATEWAY, &json!({"message": "Internal Server Error"})),
    }
}

/// The request's headers: names lowercase, with every value in order.
fn header_pairs(parts: &http::request::Parts) -> Vec<(String, String)> {
    parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// `{name: value}`, repeated names joined with `joiner` (`None`: the last value wins).
fn single(pairs: &[(String, String)], joiner: Option<&str>) -> Value {
    let mut out = Map::new();
    for (name, value) in pairs {
        match (out.get_mut(name), joiner) {
            (Some(Value::String(existing)), Some(joiner)) => {
                existing.push_str(joiner);
                existing.push_str(value);
            }
            _ => {
                out.insert(name.clone(), json!(value));
            }
        }
    }
    Value::Object(out)
}

/// `{name: [values]}`.
fn lists(pairs: &[(String, String)]) -> Value {
    let mut out = Map::new();
    for (name, value) in pairs {
        if let Value::Array(values) = out.entry(name.clone()).or_insert_with(|| json!([])) {
            values.push(json!(value));
        }
    }
    Value::Object(out)
}

/// `Value::Null` for no pairs (as API Gateway sends), else `value`.
fn or_null(pairs: &[(String, String)], value: Value) -> Value {
    if pairs.is_empty() { Value::Null } else { value }
}

/// The event `source` would send for this request.
fn event_for(source: Source, parts: &http::request::Parts, body: &[u8], region: &str, request_id: &str) -> Value {
    let path = parts.uri.path();
    let raw_query = parts.uri.query().unwrap_or("");
    let decoded: Vec<(String, String)> = form_urlencoded::parse(raw_query.as_bytes()).into_owned().collect();
    // As sent: ALB does not decode the query.
    let as_sent: Vec<(String, String)> = raw_query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (name.to_owned(), value.to_owned()),
            None => (pair.to_owned(), String::new()),
        })
        .collect();
    let headers = header_pairs(parts);
    let (body, base64) = match std::str::from_utf8(body) {
        Ok(text) => (json!(text), false),
        Err(_) => {
            use base64::Engine as _;
            (json!(base64::engine::general_purpose::STANDARD.encode(body)), true)
        }
    };
    let method = parts.method.as_str();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    match source {
        Source::ApiGatewayHttp | Source::FunctionUrl => {
            let domain = if source == Source::FunctionUrl {
                format!("local.lambda-url.{region}.on.aws")
            } else {
                format!("local.execute-api.{region}.amazonaws.com")
            };
            let (cookies, others): (Vec<_>, Vec<_>) = headers.into_iter().partition(|(name, _)| name == "cookie");
            let cookies: Vec<&str> = cookies.iter().flat_map(|(_, v)| v.split("; ")).collect();
            let mut event = json!({
                "version": "2.0",
                "routeKey": "$default",
                "rawPath": path,
                "rawQueryString": raw_query,
                "headers": single(&others, Some(",")),
                "requestContext": {
                    "accountId": if source == Source::FunctionUrl { "anonymous" } else { "123456789012" },
                    "apiId": "local",
                    "domainName": domain,
                    "domainPrefix": "local",
                    "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                             "userAgent": others.iter().find(|(n, _)| n == "user-agent").map_or("", |(_, v)| v.as_str())},
                    "requestId": request_id,
                    "routeKey": "$default",
                    "stage": "$default",
                    "timeEpoch": now_ms,
                },
                "body": body,
                "isBase64Encoded": base64,
            });
            if !cookies.is_empty() {
                event["cookies"] = json!(cookies);
            }
            if !decoded.is_empty() {
                event["queryStringParameters"] = single(&decoded, Some(","));
            }
            event
        }
        Source::ApiGatewayRest => json!({
            "resource": "/{proxy+}",
            "path": path,
            "httpMethod": method,
            "headers": or_null(&headers, single(&headers, None)),
            "multiValueHeaders": or_null(&headers, lists(&headers)),
            "queryStringParameters": or_null(&decoded, single(&decoded, None)),
            "multiValueQueryStringParameters": or_null(&decoded, lists(&decoded)),
            "pathParameters": {"proxy": path.trim_start_matches('/')},
            "stageVariables": null,
            "requestContext": {
                "accountId": "123456789012",
                "apiId": "local",
                "httpMethod": method,
                "path": format!("/local{path}"),
                "protocol": "HTTP/1.1",
                "requestId": request_id,
                "requestTimeEpoch": now_ms,
                "resourcePath": "/{proxy+}",
                "stage": "local",
                "identity": {"sourceIp": "127.0.0.1"},
            },
            "body": if body == json!("") { Value::Null } else { body },
            "isBase64Encoded": base64,
        }),
        Source::Alb => json!({
            "requestContext": {"elb": {"targetGroupArn": format!("arn:aws:elasticloadbalancing:{region}:123456789012:targetgroup/local/0123456789abcdef")}},
            "httpMethod": method,
            "path": path,
            "queryStringParameters": single(&as_sent, None),
            "headers": single(&headers, None),
            "body": body,
            "isBase64Encoded": base64,
        }),
        Source::VpcLatticeV2 => json!({
            "version": "2.0",
            "path": path,
            "method": method,
            "headers": lists(&headers),
            "queryStringParameters": lists(&decoded),
            "body": body,
            "isBase64Encoded": base64,
            "requestContext": {
                "serviceNetworkArn": format!("arn:aws:vpc-lattice:{region}:123456789012:servicenetwork/sn-local"),
                "serviceArn": format!("arn:aws:vpc-lattice:{region}:123456789012:service/svc-local"),
                "targetGroupArn": format!("arn:aws:vpc-lattice:{region}:123456789012:targetgroup/tg-local"),
                "identity": {"sourceVpcArn": format!("arn:aws:ec2:{region}:123456789012:vpc/vpc-local")},
                "region": region,
                "timeEpoch": (now_ms * 1000).to_string(),
            },
        }),
        Source::VpcLatticeV1 => json!({
            "raw_path": if raw_query.is_empty() { path.to_owned() } else { format!("{path}?{raw_query}") },
            "method": method,
            "headers": single(&headers, Some(",")),
            "query_string_parameters": single(&decoded, None),
            "body": body,
            "is_base64_encoded": base64,
        }),
    }
}

/// The function's answer as an HTTP response: `statusCode`, `headers`, `multiValueHeaders`, `cookies`,
/// `body` (base64-decoded when `isBase64Encoded`). A payload 2.0 answer that is not in that shape is a
/// 200 with the JSON as its body, as HTTP APIs take it; for the other sources it is a 502.
fn http_answer(source: Source, answer: &[u8]) -> Reply {
    let value: Value = serde_json::from_slice(answer).unwrap_or(Value::Null);
    let shaped = value.get("statusCode").and_then(Value::as_u64);
    let Some(status) = shaped
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
    else {
        if matches!(source, Source::ApiGatewayHttp | Source::FunctionUrl) && !answer.is_empty() {
            let mut reply = Response::new(full(Bytes::copy_from_slice(answer)));
            reply.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            return reply;
        }
        tracing::warn!("the function's answer is not an HTTP response (no statusCode): answering 502");
        return json_reply(StatusCode::BAD_GATEWAY, &json!({"message": "Internal Server Error"}));
    };
    let mut reply = empty(status);
    let headers = reply.headers_mut();
    let mut add = |name: &str, value: &Value| {
        if let (Ok(name), Some(Ok(value))) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            value.as_str().map(http::HeaderValue::from_str),
        ) {
            headers.append(name, value);
        }
    };
    let multi = value.get("multiValueHeaders").and_then(Value::as_object);
    for (name, values) in multi.into_iter().flatten() {
        for value in values.as_array().into_iter().flatten() {
            add(name, value);
        }
    }
    // As API Gateway merges them: a name in `multiValueHeaders` keeps only those values.
    let in_multi = |name: &str| multi.is_some_and(|m| m.keys().any(|k| k.eq_ignore_ascii_case(name)));
    for (name, value) in value.get("headers").and_then(Value::as_object).into_iter().flatten() {
        if !in_multi(name) {
            add(name, value);
        }
    }
    for cookie in value.get("cookies").and_then(Value::as_array).into_iter().flatten() {
        add("set-cookie", cookie);
    }
    let body = value.get("body").and_then(Value::as_str).unwrap_or("");
    let body = if value.get("isBase64Encoded") == Some(&Value::Bool(true)) {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap_or_default()
    } else {
        body.as_bytes().to_vec()
    };
    *reply.body_mut() = full(Bytes::from(body));
    reply
}
