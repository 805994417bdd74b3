//! Decoding the largest common Lambda events: `lambda-fn-events` (this repository) against
//! `aws_lambda_events` (the official crate), `serde_json::from_slice` of the same bytes into each crate's
//! type.
//!
//! | case | input (generated here, deterministic) |
//! |---|---|
//! | `apigw_v1` | REST API proxy request: 24 headers (both maps), 6 query parameters, Cognito claims, 4 KB JSON body |
//! | `apigw_v2` | HTTP API request: 24 headers, 6 cookies, 6 query parameters, JWT claims, 4 KB JSON body |
//! | `sqs_10` | SQS batch of 10 messages, 1 KB JSON body and 3 message attributes each |
//! | `dynamodb_100` | DynamoDB Streams batch of 100 `MODIFY` records, new and old images of 12 attributes of every type |
//! | `cloudwatch_logs_1mb` | CloudWatch Logs subscription event carrying 1 MiB of log messages (gzip + base64); decoded *and* unpacked: `from_slice` + `LogsEvent::decode()` for lambda-fn-events, `from_slice` alone for `aws_lambda_events`, which unpacks while deserializing |
//!
//! Both crates are used as users get them: `lambda-fn-events` keeps unknown fields (it always does),
//! `aws_lambda_events` without its optional `catch-all-fields` feature drops them.

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use serde_json::{Value, json};

/// A deterministic stream of numbers (xorshift), so that the inputs vary but are the same every run.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(len);
        s
    }

    fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
    }
}

/// A JSON body of about `size` bytes: an order with line items.
fn json_body(numbers: &mut Numbers, size: usize) -> String {
    let mut items = Vec::new();
    let mut body = String::new();
    while body.len() < size {
        let n = numbers.next();
        items.push(json!({
            "sku": format!("SKU-{:08}", n % 100_000_000),
            "name": format!("Item {} in colour {}", n % 997, ["red", "green", "blue"][(n % 3) as usize]),
            "quantity": n % 9 + 1,
            "unitPrice": (n % 10_000) as f64 / 100.0,
            "giftWrap": n.is_multiple_of(4),
        }));
        body = json!({"orderId": "ord-1234567890", "customer": {"id": 42, "tier": "gold"}, "items": items}).to_string();
    }
    body
}

fn header_pairs(numbers: &mut Numbers) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Accept".to_owned(), "application/json, text/plain, */*".to_owned()),
        ("Accept-Encoding".into(), "gzip, deflate, br".into()),
        ("Accept-Language".into(), "en-GB,en;q=0.9,fr;q=0.8".into()),
        ("Authorization".into(), format!("Bearer eyJ{}", numbers.hex(300))),
        ("CloudFront-Forwarded-Proto".into(), "https".into()),
        ("CloudFront-Is-Desktop-Viewer".into(), "true".into()),
        ("CloudFront-Is-Mobile-Viewer".into(), "false".into()),
        ("CloudFront-Viewer-Country".into(), "GB".into()),
        ("Content-Type".into(), "application/json".into()),
        ("Host".into(), "abcdef1234.execute-api.eu-west-1.amazonaws.com".into()),
        ("Origin".into(), "https://shop.example.com".into()),
        ("Referer".into(), "https://shop.example.com/checkout".into()),
        (
            "User-Agent".into(),
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36".into(),
        ),
        (
            "Via".into(),
            format!("2.0 {}.cloudfront.net (CloudFront)", numbers.hex(32)),
        ),
        ("X-Amz-Cf-Id".into(), numbers.hex(56)),
        ("X-Amzn-Trace-Id".into(), format!("Root=1-65a1b2c3-{}", numbers.hex(24))),
        ("X-Forwarded-For".into(), "203.0.113.7, 198.51.100.20".into()),
        ("X-Forwarded-Port".into(), "443".into()),
        ("X-Forwarded-Proto".into(), "https".into()),
    ];
    for i in 0..5 {
        headers.push((format!("X-Custom-Header-{i}"), numbers.hex(40)));
    }
    headers
}

fn query_pairs(numbers: &mut Numbers) -> Vec<(String, String)> {
    (0..6).map(|i| (format!("param{i}"), numbers.hex(12))).collect()
}

/// 12 custom claims and a `sub`.
fn claims(numbers: &mut Numbers) -> serde_json::Map<String, Value> {
    let mut claims: serde_json::Map<String, Value> = (0..12)
        .map(|i| (format!("custom:claim{i}"), json!(numbers.hex(24))))
        .collect();
    claims.insert("sub".into(), json!(numbers.uuid()));
    claims
}

/// API Gateway REST API (payload 1.0) proxy request.
pub fn apigw_v1() -> Vec<u8> {
    let mut numbers = Numbers(0x5eed_0001);
    let headers = header_pairs(&mut numbers);
    let query = query_pairs(&mut numbers);
    let single = |pairs: &[(String, String)]| Value::Object(pairs.iter().map(|(k, v)| (k.clone(), json!(v))).collect());
    let multi =
        |pairs: &[(String, String)]| Value::Object(pairs.iter().map(|(k, v)| (k.clone(), json!([v]))).collect());
    let mut claims = claims(&mut numbers);
    claims.insert("email".into(), json!("jane.doe@example.com"));
    claims.insert("cognito:username".into(), json!("jane"));
    let body = json_body(&mut numbers, 4096);
    let event = json!({
        "resource": "/orders/{id}",
        "path": "/orders/1234567890",
        "httpMethod": "POST",
        "headers": single(&headers),
        "multiValueHeaders": multi(&headers),
        "queryStringParameters": single(&query),
        "multiValueQueryStringParameters": multi(&query),
        "pathParameters": {"id": "1234567890"},
        "stageVariables": {"backend": "orders-v2", "logLevel": "info"},
        "requestContext": {
            "resourceId": "a1b2c3",
            "resourcePath": "/orders/{id}",
            "httpMethod": "POST",
            "extendedRequestId": "R2D2C3POAMEFXyQ=",
            "requestTime": "12/Jan/2024:10:20:30 +0000",
            "path": "/prod/orders/1234567890",
            "accountId": "123456789012",
            "protocol": "HTTP/1.1",
            "stage": "prod",
            "domainPrefix": "abcdef1234",
            "requestTimeEpoch": 1_705_054_830_000_i64,
            "requestId": numbers.uuid(),
            "identity": {
                "cognitoIdentityPoolId": null,
                "accountId": null,
                "cognitoIdentityId": null,
                "caller": null,
                "sourceIp": "203.0.113.7",
                "principalOrgId": null,
                "accessKey": null,
                "cognitoAuthenticationType": null,
                "cognitoAuthenticationProvider": null,
                "userArn": null,
                "userAgent": "Mozilla/5.0 (X11; Linux x86_64)",
                "user": null
            },
            "authorizer": {"claims": claims},
            "domainName": "abcdef1234.execute-api.eu-west-1.amazonaws.com",
            "apiId": "abcdef1234"
        },
        "body": body,
        "isBase64Encoded": false
    });
    serde_json::to_vec(&event).unwrap_or_default()
}

/// API Gateway HTTP API (payload 2.0) request.
pub fn apigw_v2() -> Vec<u8> {
    let mut numbers = Numbers(0x5eed_0002);
    let headers: serde_json::Map<String, Value> = header_pairs(&mut numbers)
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), json!(v)))
        .collect();
    let query = query_pairs(&mut numbers);
    let raw_query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let cookies: Vec<String> = (0..6).map(|i| format!("cookie{i}={}", numbers.hex(32))).collect();
    let mut claims = claims(&mut numbers);
    claims.insert(
        "iss".into(),
        json!("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"),
    );
    let body = json_body(&mut numbers, 4096);
    let event = json!({
        "version": "2.0",
        "routeKey": "POST /orders/{id}",
        "rawPath": "/orders/1234567890",
        "rawQueryString": raw_query,
        "cookies": cookies,
        "headers": headers,
        "queryStringParameters": Value::Object(query.iter().map(|(k, v)| (k.clone(), json!(v))).collect()),
        "pathParameters": {"id": "1234567890"},
        "stageVariables": {"backend": "orders-v2"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "authorizer": {"jwt": {"claims": claims, "scopes": ["orders.write", "orders.read"]}},
            "domainName": "abcdef1234.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abcdef1234",
            "http": {
                "method": "POST",
                "path": "/orders/1234567890",
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "Mozilla/5.0 (X11; Linux x86_64)"
            },
            "requestId": numbers.uuid(),
            "routeKey": "POST /orders/{id}",
            "stage": "$default",
            "time": "12/Jan/2024:10:20:30 +0000",
            "timeEpoch": 1_705_054_830_000_i64
        },
        "body": body,
        "isBase64Encoded": false
    });
    serde_json::to_vec(&event).unwrap_or_default()
}

/// An SQS batch of 10 messages.
pub fn sqs_10() -> Vec<u8> {
    let mut numbers = Numbers(0x5eed_0003);
    let records: Vec<Value> = (0..10)
        .map(|_| {
            json!({
                "messageId": numbers.uuid(),
                "receiptHandle": format!("AQEB{}", numbers.hex(300)),
                "body": json_body(&mut numbers, 1024),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1705054830000",
                    "SenderId": "AROAIWPX5BD2BHG722MW4:sender",
                    "ApproximateFirstReceiveTimestamp": "1705054830010"
                },
                "messageAttributes": {
                    "tenant": {"stringValue": "acme", "stringListValues": [], "binaryListValues": [], "dataType": "String"},
                    "priority": {"stringValue": "5", "stringListValues": [], "binaryListValues": [], "dataType": "Number"},
                    "signature": {"binaryValue": "c2lnbmF0dXJlLWJ5dGVz", "stringListValues": [], "binaryListValues": [], "dataType": "Binary"}
                },
                "md5OfBody": numbers.hex(32),
                "md5OfMessageAttributes": numbers.hex(32),
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:orders",
                "awsRegion": "eu-west-1"
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "Records": records })).unwrap_or_default()
}

fn dynamo_item(numbers: &mut Numbers, id: u64) -> Value {
    let status = ["NEW", "PAID", "SHIPPED"][(numbers.next() % 3) as usize];
    json!({
        "pk": {"S": format!("ORDER#{id:010}")},
        "sk": {"S": "METADATA"},
        "status": {"S": status},
        "total": {"N": format!("{}.{:02}", numbers.next() % 10_000, numbers.next() % 100)},
        "itemCount": {"N": format!("{}", numbers.next() % 20)},
        "gift": {"BOOL": numbers.next().is_multiple_of(2)},
        "coupon": {"NULL": true},
        "tags": {"SS": ["web", "eu", "promo-2024"]},
        "scores": {"NS": ["1", "2.5", "42"]},
        "thumbnail": {"B": "aGVsbG8gd29ybGQgdGh1bWJuYWls"},
        "address": {"M": {
            "street": {"S": "1 Main Street"},
            "city": {"S": "Dublin"},
            "zip": {"S": format!("D{:02}", numbers.next() % 24)}
        }},
        "lines": {"L": [
            {"M": {"sku": {"S": format!("SKU-{:08}", numbers.next() % 100_000_000)}, "qty": {"N": "2"}}},
            {"M": {"sku": {"S": format!("SKU-{:08}", numbers.next() % 100_000_000)}, "qty": {"N": "1"}}}
        ]}
    })
}

/// A DynamoDB Streams batch of 100 records.
pub fn dynamodb_100() -> Vec<u8> {
    let mut numbers = Numbers(0x5eed_0004);
    let records: Vec<Value> = (0..100_u64)
        .map(|i| {
            json!({
                "eventID": numbers.hex(32),
                "eventName": "MODIFY",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": "eu-west-1",
                "dynamodb": {
                    "ApproximateCreationDateTime": 1_705_054_830_i64 + i as i64,
                    "Keys": {"pk": {"S": format!("ORDER#{i:010}")}, "sk": {"S": "METADATA"}},
                    "NewImage": dynamo_item(&mut numbers, i),
                    "OldImage": dynamo_item(&mut numbers, i),
                    "SequenceNumber": format!("{}", 111_000_000_000_000_000_u64 + i),
                    "SizeBytes": 812,
                    "StreamViewType": "NEW_AND_OLD_IMAGES"
                },
                "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "Records": records })).unwrap_or_default()
}

/// A CloudWatch Logs subscription event carrying `bytes` bytes of log messages.
pub fn cloudwatch_logs(bytes: usize) -> Vec<u8> {
    use lambda_fn_events::cloudwatch_logs::{LogData, LogEntry};
    let mut numbers = Numbers(0x5eed_0005);
    let mut log_events = Vec::new();
    let mut total = 0;
    let mut timestamp = 1_705_054_830_000_i64;
    while total < bytes {
        let n = numbers.next();
        let message = format!(
            "2024-01-12T10:20:{:02}.{:03}Z\t{}\tINFO\tprocessed order {} for customer {} in {} ms {{\"items\":{},\"total\":{}.{:02},\"region\":\"eu-west-1\"}}\n",
            n % 60,
            n % 1000,
            numbers.uuid(),
            n % 10_000_000,
            n % 100_000,
            n % 500,
            n % 20,
            n % 1000,
            n % 100
        );
        total += message.len();
        timestamp += (n % 50) as i64;
        log_events.push(LogEntry::new(
            format!("{}", 37_000_000_000_000_000_u64 + log_events.len() as u64),
            timestamp,
            message,
        ));
    }
    let data = LogData {
        owner: "123456789012".into(),
        log_group: "/aws/lambda/orders".into(),
        log_stream: "2024/01/12/[$LATEST]0123456789abcdef0123456789abcdef".into(),
        subscription_filters: vec!["all".into()],
        message_type: "DATA_MESSAGE".into(),
        log_events,
        ..Default::default()
    };
    let event = data.encode().unwrap_or_default();
    serde_json::to_vec(&event).unwrap_or_default()
}

/// Every case: name, input.
pub fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("apigw_v1", apigw_v1()),
        ("apigw_v2", apigw_v2()),
        ("sqs_10", sqs_10()),
        ("dynamodb_100", dynamodb_100()),
        ("cloudwatch_logs_1mb", cloudwatch_logs(1 << 20)),
    ]
}

type Decode = fn(&[u8]) -> Result<usize, String>;

fn ours<T: serde::de::DeserializeOwned>(input: &[u8]) -> Result<usize, String> {
    let value: T = serde_json::from_slice(input).map_err(|e| e.to_string())?;
    Ok(std::mem::size_of_val(black_box(&value)))
}

fn theirs<T: serde::de::DeserializeOwned>(input: &[u8]) -> Result<usize, String> {
    ours::<T>(input)
}

fn ours_logs(input: &[u8]) -> Result<usize, String> {
    let event: lambda_fn_events::cloudwatch_logs::LogsEvent =
        serde_json::from_slice(input).map_err(|e| e.to_string())?;
    let data = event.decode().map_err(|e| e.to_string())?;
    Ok(black_box(data).log_events.len())
}

fn theirs_logs(input: &[u8]) -> Result<usize, String> {
    let event: aws_lambda_events::cloudwatch_logs::LogsEvent =
        serde_json::from_slice(input).map_err(|e| e.to_string())?;
    Ok(black_box(event).aws_logs.data.log_events.len())
}

/// The two decoders of a case: (lambda-fn-events, aws_lambda_events).
pub fn decoders(case: &str) -> (Decode, Decode) {
    match case {
        "apigw_v1" => (
            ours::<lambda_fn_events::apigw::ApiGatewayProxyRequest>,
            theirs::<aws_lambda_events::apigw::ApiGatewayProxyRequest>,
        ),
        "apigw_v2" => (
            ours::<lambda_fn_events::apigw::ApiGatewayV2HttpRequest>,
            theirs::<aws_lambda_events::apigw::ApiGatewayV2httpRequest>,
        ),
        "sqs_10" => (
            ours::<lambda_fn_events::sqs::SqsEvent>,
            theirs::<aws_lambda_events::sqs::SqsEvent>,
        ),
        "dynamodb_100" => (
            ours::<lambda_fn_events::dynamodb::DynamoDbEvent>,
            theirs::<aws_lambda_events::dynamodb::Event>,
        ),
        _ => (ours_logs, theirs_logs),
    }
}

/// The criterion benchmarks: one group per case, `lambda-fn-events` and `aws_lambda_events` in each.
pub fn benches(c: &mut Criterion) {
    for (case, input) in inputs() {
        let (ours, theirs) = decoders(case);
        // A decoder that fails would be measuring an error path: refuse to report it.
        if let Err(e) = ours(&input).and_then(|_| theirs(&input)) {
            panic!("{case}: the generated input does not decode: {e}");
        }
        let mut group = c.benchmark_group(case);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function("lambda-fn-events", |b| b.iter(|| ours(black_box(&input))));
        group.bench_function("aws_lambda_events", |b| b.iter(|| theirs(black_box(&input))));
        group.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_decodes_with_both_crates() {
        for (case, input) in inputs() {
            let (ours, theirs) = decoders(case);
            ours(&input).unwrap_or_else(|e| panic!("{case}, lambda-fn-events: {e}"));
            theirs(&input).unwrap_or_else(|e| panic!("{case}, aws_lambda_events: {e}"));
        }
    }

    /// `cargo test -p decode -- --nocapture input_sizes` prints the size of every input.
    #[test]
    fn input_sizes() {
        for (case, input) in inputs() {
            println!("{case}: {} bytes", input.len());
            assert!(input.len() > 4096, "{case}");
        }
    }

    #[test]
    fn inputs_have_the_documented_shape() {
        let logs: lambda_fn_events::cloudwatch_logs::LogsEvent =
            serde_json::from_slice(&cloudwatch_logs(1 << 20)).unwrap();
        let data = logs.decode().unwrap();
        let bytes: usize = data.log_events.iter().map(|e| e.message.len()).sum();
        assert!((1 << 20..(1 << 20) + 1024).contains(&bytes), "{bytes}");
        let sqs: lambda_fn_events::sqs::SqsEvent = serde_json::from_slice(&sqs_10()).unwrap();
        assert_eq!(sqs.records.len(), 10);
        let ddb: lambda_fn_events::dynamodb::DynamoDbEvent = serde_json::from_slice(&dynamodb_100()).unwrap();
        assert_eq!(ddb.records.len(), 100);
        assert_eq!(apigw_v1(), apigw_v1(), "deterministic");
    }
}
