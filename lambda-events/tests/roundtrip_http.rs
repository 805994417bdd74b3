//! Round trips of the HTTP-shaped events (ALB, API Gateway, Function URLs, VPC Lattice) over the
//! crate's own fixtures and the shared AWS example payloads, plus checks of decoded values and of the
//! helpers (response builders, base64 bodies, header/query lookups).
#![cfg(all(
    feature = "alb",
    feature = "apigw",
    feature = "function_url",
    feature = "vpc_lattice"
))]

mod common;

use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use common::{assert_round_trip, aws_example, own_fixture};
use lambda_fn_events::alb::*;
use lambda_fn_events::apigw::*;
use lambda_fn_events::function_url::*;
use lambda_fn_events::vpc_lattice::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Round-trips the fixture at a path through one type.
type Check = fn(&Path);

fn rt<T: DeserializeOwned + Serialize>(path: &Path) {
    let _: T = assert_round_trip(path);
}

/// Every own fixture of these sources, and the type it decodes into.
const OWN: &[(&str, Check)] = &[
    ("alb/request-post-form.json", rt::<AlbTargetGroupRequest>),
    ("alb/request-multi-value-repeated.json", rt::<AlbTargetGroupRequest>),
    ("alb/request-binary-body.json", rt::<AlbTargetGroupRequest>),
    ("alb/request-null-maps.json", rt::<AlbTargetGroupRequest>),
    ("alb/request-multi-value-empty-query.json", rt::<AlbTargetGroupRequest>),
    ("alb/response-html.json", rt::<AlbTargetGroupResponse>),
    ("alb/response-binary-multi-value.json", rt::<AlbTargetGroupResponse>),
    ("apigw/rest-request-cognito-mtls.json", rt::<ApiGatewayProxyRequest>),
    (
        "apigw/rest-request-binary-multi-query.json",
        rt::<ApiGatewayProxyRequest>,
    ),
    ("apigw/rest-response-multi-value.json", rt::<ApiGatewayProxyResponse>),
    (
        "apigw/v2-request-jwt-cookies-base64.json",
        rt::<ApiGatewayV2HttpRequest>,
    ),
    ("apigw/v2-request-minimal.json", rt::<ApiGatewayV2HttpRequest>),
    ("apigw/v2-response-cookies.json", rt::<ApiGatewayV2HttpResponse>),
    ("apigw/websocket-message.json", rt::<ApiGatewayWebsocketProxyRequest>),
    (
        "apigw/websocket-connect-authorized.json",
        rt::<ApiGatewayWebsocketProxyRequest>,
    ),
    (
        "apigw/authorizer-token-request.json",
        rt::<ApiGatewayCustomAuthorizerRequest>,
    ),
    (
        "apigw/authorizer-request-type-request.json",
        rt::<ApiGatewayCustomAuthorizerRequestTypeRequest>,
    ),
    (
        "apigw/authorizer-request-type-empty-path-parameters.json",
        rt::<ApiGatewayCustomAuthorizerRequestTypeRequest>,
    ),
    (
        "apigw/authorizer-response-sid-not-resource.json",
        rt::<ApiGatewayCustomAuthorizerResponse>,
    ),
    (
        "apigw/v2-authorizer-v1-request.json",
        rt::<ApiGatewayV2CustomAuthorizerV1Request>,
    ),
    (
        "apigw/v2-authorizer-v2-request-no-identity.json",
        rt::<ApiGatewayV2CustomAuthorizerV2Request>,
    ),
    (
        "apigw/v2-authorizer-simple-response.json",
        rt::<ApiGatewayV2CustomAuthorizerSimpleResponse>,
    ),
    (
        "apigw/v2-authorizer-iam-response.json",
        rt::<ApiGatewayV2CustomAuthorizerIamPolicyResponse>,
    ),
    ("function_url/request-iam-auth.json", rt::<LambdaFunctionUrlRequest>),
    (
        "function_url/request-public-base64.json",
        rt::<LambdaFunctionUrlRequest>,
    ),
    ("function_url/response-cookies.json", rt::<LambdaFunctionUrlResponse>),
    ("vpc_lattice/request-v1.json", rt::<VpcLatticeRequestV1>),
    ("vpc_lattice/request-v2-iam.json", rt::<VpcLatticeRequestV2>),
    (
        "vpc_lattice/request-v2-unsigned-string-values.json",
        rt::<VpcLatticeRequestV2>,
    ),
    ("vpc_lattice/response.json", rt::<VpcLatticeResponse>),
];

/// Every AWS example payload of these sources, and the type it decodes into.
const SHARED: &[(&str, Check)] = &[
    (
        "example-alb-lambda-target-request-headers-only.json",
        rt::<AlbTargetGroupRequest>,
    ),
    (
        "example-alb-lambda-target-request-multivalue-headers.json",
        rt::<AlbTargetGroupRequest>,
    ),
    ("example-alb-lambda-target-response.json", rt::<AlbTargetGroupResponse>),
    ("example-apigw-console-request.json", rt::<ApiGatewayProxyRequest>),
    ("example-apigw-console-test-request.json", rt::<ApiGatewayProxyRequest>),
    ("example-apigw-request-catch-all.json", rt::<ApiGatewayProxyRequest>),
    (
        "example-apigw-request-multi-value-parameters.json",
        rt::<ApiGatewayProxyRequest>,
    ),
    ("example-apigw-request.json", rt::<ApiGatewayProxyRequest>),
    (
        "example-apigw-restapi-openapi-request.json",
        rt::<ApiGatewayProxyRequest>,
    ),
    ("example-apigw-sam-rest-request.json", rt::<ApiGatewayProxyRequest>),
    ("example-apigw-response.json", rt::<ApiGatewayProxyResponse>),
    ("example-apigw-v2-request-iam.json", rt::<ApiGatewayV2HttpRequest>),
    (
        "example-apigw-v2-request-jwt-authorizer.json",
        rt::<ApiGatewayV2HttpRequest>,
    ),
    (
        "example-apigw-v2-request-lambda-authorizer.json",
        rt::<ApiGatewayV2HttpRequest>,
    ),
    (
        "example-apigw-v2-request-multi-value-parameters.json",
        rt::<ApiGatewayV2HttpRequest>,
    ),
    (
        "example-apigw-v2-request-no-authorizer.json",
        rt::<ApiGatewayV2HttpRequest>,
    ),
    ("example-apigw-sam-http-request.json", rt::<ApiGatewayV2HttpRequest>),
    (
        "example-apigw-websocket-request.json",
        rt::<ApiGatewayWebsocketProxyRequest>,
    ),
    (
        "example-apigw-websocket-request-disconnect-route.json",
        rt::<ApiGatewayWebsocketProxyRequest>,
    ),
    (
        "example-apigw-websocket-request-without-method.json",
        rt::<ApiGatewayWebsocketProxyRequest>,
    ),
    (
        "example-apigw-custom-auth-request.json",
        rt::<ApiGatewayCustomAuthorizerRequest>,
    ),
    (
        "example-apigw-custom-auth-request-type-request.json",
        rt::<ApiGatewayCustomAuthorizerRequestTypeRequest>,
    ),
    (
        "example-apigw-v2-custom-authorizer-websocket-request.json",
        rt::<ApiGatewayCustomAuthorizerRequestTypeRequest>,
    ),
    (
        "example-apigw-custom-auth-response.json",
        rt::<ApiGatewayCustomAuthorizerResponse>,
    ),
    (
        "example-apigw-custom-auth-response-with-condition.json",
        rt::<ApiGatewayCustomAuthorizerResponse>,
    ),
    (
        "example-apigw-custom-auth-response-with-single-value-action.json",
        rt::<ApiGatewayCustomAuthorizerResponse>,
    ),
    (
        "example-apigw-custom-auth-response-with-single-value-resource.json",
        rt::<ApiGatewayCustomAuthorizerResponse>,
    ),
    (
        "example-apigw-v2-custom-authorizer-v1-request.json",
        rt::<ApiGatewayV2CustomAuthorizerV1Request>,
    ),
    (
        "example-apigw-v2-custom-authorizer-v2-request.json",
        rt::<ApiGatewayV2CustomAuthorizerV2Request>,
    ),
    (
        "example-apigw-v2-custom-authorizer-v2-request-without-cookies.json",
        rt::<ApiGatewayV2CustomAuthorizerV2Request>,
    ),
    (
        "example-apigw-v2-custom-authorizer-v2-request-without-identity-source.json",
        rt::<ApiGatewayV2CustomAuthorizerV2Request>,
    ),
];

#[test]
fn own_fixtures_round_trip() {
    for (rel, check) in OWN {
        check(&own_fixture(rel));
    }
}

#[test]
fn every_own_fixture_is_listed() {
    for dir in ["alb", "apigw", "function_url", "vpc_lattice"] {
        for entry in std::fs::read_dir(own_fixture(dir)).unwrap() {
            let name = format!("{dir}/{}", entry.unwrap().file_name().to_string_lossy());
            assert!(
                OWN.iter().any(|(rel, _)| *rel == name),
                "fixture {name} is not listed in OWN"
            );
        }
    }
}

#[test]
fn aws_examples_round_trip() {
    for (name, check) in SHARED {
        check(&aws_example(name));
    }
}

#[test]
fn every_aws_example_of_these_sources_is_listed() {
    for entry in std::fs::read_dir(aws_example("")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with("example-alb-") || name.starts_with("example-apigw-") {
            assert!(
                SHARED.iter().any(|(n, _)| *n == name),
                "shared fixture {name} is not mapped"
            );
        }
    }
}

// ---------------------------------------------------------------- present-and-empty maps

/// ALB with multi-value headers on sends `"multiValueQueryStringParameters": {}` for a request
/// without a query string.
#[test]
fn alb_empty_multi_value_query_is_kept() {
    let path = own_fixture("alb/request-multi-value-empty-query.json");
    common::assert_empty_object_kept::<AlbTargetGroupRequest>(&path, "/multiValueQueryStringParameters");
    let r: AlbTargetGroupRequest = assert_round_trip(&path);
    assert!(r.multi_value_query_string_parameters.is_present());
    assert!(r.multi_value_query_string_parameters.is_empty());
    assert!(r.query_string_parameters.is_absent());
    assert_eq!(r.query("anything"), None);
    assert!(r.query_values("anything").is_empty());
    assert_eq!(r.header("accept"), Some("application/json"));
}

/// A REST `REQUEST` authorizer on a resource without path parameters receives `"pathParameters": {}`
/// (and `"stageVariables": {}` on a stage without variables).
#[test]
fn authorizer_empty_path_parameters_are_kept() {
    let path = own_fixture("apigw/authorizer-request-type-empty-path-parameters.json");
    common::assert_empty_object_kept::<ApiGatewayCustomAuthorizerRequestTypeRequest>(&path, "/pathParameters");
    common::assert_empty_object_kept::<ApiGatewayCustomAuthorizerRequestTypeRequest>(&path, "/stageVariables");
    let r: ApiGatewayCustomAuthorizerRequestTypeRequest = assert_round_trip(&path);
    assert!(r.path_parameters.is_present() && r.path_parameters.is_empty());
    assert_eq!(r.query("lang"), Some("en"));
    assert_eq!(r.header("authorization"), Some("Bearer opaque-7f3a"));

    // The AWS example has the same `{}`.
    common::assert_empty_object_kept::<ApiGatewayCustomAuthorizerRequestTypeRequest>(
        &aws_example("example-apigw-custom-auth-request-type-request.json"),
        "/pathParameters",
    );
}

/// Built values write a map only when it has entries (or is marked present), as before.
#[test]
fn built_values_write_maps_with_entries_only() {
    let empty = AlbTargetGroupResponse::empty(204);
    assert_eq!(
        serde_json::to_value(&empty).unwrap(),
        serde_json::json!({"statusCode": 204, "statusDescription": "204 No Content", "isBase64Encoded": false})
    );
    let mut marked = AlbTargetGroupResponse::empty(204);
    marked.multi_value_headers.set_present(true);
    assert_eq!(
        serde_json::to_value(&marked).unwrap()["multiValueHeaders"],
        serde_json::json!({})
    );
    // Equality compares entries, as for a `HashMap`.
    assert_eq!(marked, empty);
}

// ---------------------------------------------------------------- ALB

#[test]
fn alb_request_values_and_helpers() {
    let r: AlbTargetGroupRequest = assert_round_trip(&own_fixture("alb/request-post-form.json"));
    assert_eq!(r.http_method, "POST");
    assert_eq!(r.path, "/orders/new");
    assert_eq!(
        r.request_context.elb.target_group_arn.as_deref(),
        Some("arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/orders-fn/6d0ecf831eec9f09")
    );
    assert_eq!(r.header("Content-Type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(r.header("X-FORWARDED-PROTO"), Some("https"));
    assert_eq!(r.header("missing"), None);
    // ALB leaves query values percent-encoded.
    assert_eq!(r.query("source"), Some("web%20shop"));
    assert_eq!(r.decoded_body().unwrap().as_ref(), b"item=book&quantity=2&gift=no");

    let r: AlbTargetGroupRequest = assert_round_trip(&own_fixture("alb/request-multi-value-repeated.json"));
    assert!(r.headers.is_empty());
    assert_eq!(r.header("Accept"), Some("text/html"));
    assert_eq!(r.header_values("accept"), ["text/html", "application/xhtml+xml"]);
    assert_eq!(r.query("tag"), Some("red"));
    assert_eq!(r.query_values("tag"), ["red", "blue", "green"]);
    assert_eq!(r.query("page"), Some("2"));
    assert!(r.decoded_body().unwrap().is_empty());

    let r: AlbTargetGroupRequest = assert_round_trip(&own_fixture("alb/request-binary-body.json"));
    assert_eq!(r.is_base64_encoded, Some(true));
    let body = r.decoded_body().unwrap();
    assert_eq!(&body[..8], b"\x89PNG\r\n\x1a\n");

    let r: AlbTargetGroupRequest = assert_round_trip(&own_fixture("alb/request-null-maps.json"));
    assert!(r.headers.is_empty() && r.query_string_parameters.is_empty());
    assert_eq!(r.body, None);
    assert!(r.decoded_body().unwrap().is_empty());
}

#[test]
fn alb_shared_values() {
    let r: AlbTargetGroupRequest =
        assert_round_trip(&aws_example("example-alb-lambda-target-request-headers-only.json"));
    assert_eq!(r.header("X-MyHeader"), Some("123"));
    assert_eq!(r.query("key"), Some("hello"));
    let r: AlbTargetGroupRequest = assert_round_trip(&aws_example(
        "example-alb-lambda-target-request-multivalue-headers.json",
    ));
    assert_eq!(r.query("key"), Some("hello"));
    assert_eq!(r.header("user-agent"), Some("curl/7.54.0"));
    assert_eq!(r.body.as_deref(), Some("Some text"));
    let r: AlbTargetGroupResponse = assert_round_trip(&aws_example("example-alb-lambda-target-response.json"));
    assert_eq!(r.status_code, 200);
    assert_eq!(r.status_description.as_deref(), Some("200 OK"));
    assert_eq!(r.multi_value_headers["Set-cookie"].len(), 2);
    assert_eq!(r.header("content-type"), Some("application/json"));
}

#[test]
fn alb_response_builders() {
    let html = AlbTargetGroupResponse::html(200, "<p>hi</p>");
    assert_eq!(html.status_code, 200);
    assert_eq!(html.status_description.as_deref(), Some("200 OK"));
    assert_eq!(html.headers["Content-Type"], "text/html");
    assert_eq!(html.body.as_deref(), Some("<p>hi</p>"));
    assert_eq!(html.is_base64_encoded, Some(false));
    let json = serde_json::to_value(&html).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "statusCode": 200, "statusDescription": "200 OK", "headers": {"Content-Type": "text/html"},
            "isBase64Encoded": false, "body": "<p>hi</p>"
        })
    );

    let text = AlbTargetGroupResponse::text(404, "nope").with_header("X-Reason", "gone");
    assert_eq!(text.status_description.as_deref(), Some("404 Not Found"));
    assert_eq!(text.headers["Content-Type"], "text/plain; charset=utf-8");
    assert_eq!(text.header("x-reason"), Some("gone"));

    let json = AlbTargetGroupResponse::json(201, &serde_json::json!({"id": 7})).unwrap();
    assert_eq!(json.status_description.as_deref(), Some("201 Created"));
    assert_eq!(json.headers["Content-Type"], "application/json");
    assert_eq!(json.body.as_deref(), Some(r#"{"id":7}"#));

    let bytes = [0u8, 159, 146, 150, 255];
    let bin = AlbTargetGroupResponse::binary(200, "application/octet-stream", bytes);
    assert_eq!(bin.is_base64_encoded, Some(true));
    assert_eq!(bin.body.as_deref(), Some("AJ+Slv8="));
    assert_eq!(bin.decoded_body().unwrap().as_ref(), bytes);

    let odd = AlbTargetGroupResponse::empty(599)
        .with_multi_value_header("Set-Cookie", "a=1")
        .with_multi_value_header("Set-Cookie", "b=2");
    assert_eq!(odd.status_description.as_deref(), Some("599"));
    assert_eq!(odd.multi_value_headers["Set-Cookie"], ["a=1", "b=2"]);
    assert_eq!(odd.body, None);

    // A map with non-string keys cannot be JSON.
    let bad: std::collections::HashMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
    assert!(AlbTargetGroupResponse::json(200, &bad).is_err());
}

#[test]
fn alb_invalid_base64_body_is_an_error() {
    let r = AlbTargetGroupRequest {
        body: Some("not base64!".into()),
        is_base64_encoded: Some(true),
        ..Default::default()
    };
    let err = r.decoded_body().unwrap_err();
    assert!(err.to_string().contains("base64"));
}

// ---------------------------------------------------------------- API Gateway REST

#[test]
fn apigw_rest_values_and_helpers() {
    let r: ApiGatewayProxyRequest = assert_round_trip(&aws_example("example-apigw-request.json"));
    assert_eq!(r.http_method, "POST");
    assert_eq!(r.resource.as_deref(), Some("/{proxy+}"));
    assert_eq!(r.path_parameter("proxy"), Some("hello/world"));
    assert_eq!(r.query("name"), Some("me"));
    assert_eq!(r.header("accept-encoding"), Some("gzip, deflate"));
    assert_eq!(r.stage_variables["stageVariableName"], "stageVariableValue");
    let ctx = &r.request_context;
    assert_eq!(ctx.account_id.as_deref(), Some("12345678912"));
    assert_eq!(ctx.stage.as_deref(), Some("testStage"));
    assert_eq!(ctx.identity.source_ip.as_deref(), Some("192.168.196.186"));
    assert_eq!(
        ctx.identity.cognito_identity_pool_id.as_deref(),
        Some("theCognitoIdentityPoolId")
    );
    assert_eq!(ctx.principal_id(), Some("admin"));
    assert_eq!(ctx.authorizer["clientId"], 1);
    assert_eq!(
        ctx.request_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1589522469693))
    );

    let r: ApiGatewayProxyRequest = assert_round_trip(&aws_example("example-apigw-request-catch-all.json"));
    assert_eq!(r.other["otherField"], "foobar");
    assert_eq!(r.request_context.identity.other["otherField"], 2345);

    let r: ApiGatewayProxyRequest = assert_round_trip(&aws_example("example-apigw-console-test-request.json"));
    assert!(r.headers.is_empty() && r.path_parameters.is_empty() && r.stage_variables.is_empty());
    assert_eq!(r.request_context.identity.cognito_identity_id, None);

    // Seconds from a local emulator are read as seconds.
    let r: ApiGatewayProxyRequest = assert_round_trip(&aws_example("example-apigw-sam-rest-request.json"));
    assert_eq!(
        r.request_context.request_time(),
        Some(UNIX_EPOCH + Duration::from_secs(1706439946))
    );

    let r: ApiGatewayProxyRequest = assert_round_trip(&own_fixture("apigw/rest-request-cognito-mtls.json"));
    let claims = r.request_context.claims().unwrap();
    assert_eq!(claims["email"], "ana@example.com");
    assert_eq!(r.request_context.principal_id(), Some(""));
    let cert = r.request_context.identity.client_cert.as_ref().unwrap();
    assert_eq!(cert.subject_dn.as_deref(), Some("CN=mobile-client,O=Example"));
    assert_eq!(
        cert.validity.as_ref().unwrap().not_after.as_deref(),
        Some("Jan  1 00:00:00 2026 GMT")
    );
    assert!(r.query_string_parameters.is_empty());
    assert!(r.decoded_body().unwrap().is_empty());

    let r: ApiGatewayProxyRequest = assert_round_trip(&own_fixture("apigw/rest-request-binary-multi-query.json"));
    assert_eq!(r.decoded_body().unwrap().as_ref(), [0, 1, 2, 3, 255, 254, 253]);
    // The single map has the last value, the multi map all of them; header() prefers the single map.
    assert_eq!(r.header("x-custom"), Some("second"));
    assert_eq!(r.header_values("X-Custom"), ["first", "second"]);
    assert_eq!(r.query("tag"), Some("b"));
    assert_eq!(r.query_values("tag"), ["a", "b"]);
    assert_eq!(r.request_context.identity.api_key_id.as_deref(), Some("kid-1"));
}

#[test]
fn apigw_rest_response_builders() {
    let r: ApiGatewayProxyResponse = assert_round_trip(&aws_example("example-apigw-response.json"));
    assert_eq!(r.status_code, 200);
    assert_eq!(r.body.as_deref(), Some("Hello World"));
    assert_eq!(r.is_base64_encoded, None);

    let r: ApiGatewayProxyResponse = assert_round_trip(&own_fixture("apigw/rest-response-multi-value.json"));
    assert_eq!(r.header("location"), Some("https://example.com/login"));
    assert_eq!(r.multi_value_headers["Set-Cookie"].len(), 2);

    let json = ApiGatewayProxyResponse::json(200, &serde_json::json!({"result": 49})).unwrap();
    assert_eq!(
        serde_json::to_value(&json).unwrap(),
        serde_json::json!({
            "statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": "{\"result\":49}", "isBase64Encoded": false
        })
    );
    let html = ApiGatewayProxyResponse::html(500, "<b>oops</b>").with_header("Retry-After", "3");
    assert_eq!(html.headers.len(), 2);
    assert_eq!(html.headers["Content-Type"], "text/html");
    let text = ApiGatewayProxyResponse::text(200, "plain");
    assert_eq!(text.header("content-type"), Some("text/plain; charset=utf-8"));
    let bin = ApiGatewayProxyResponse::binary(200, "image/png", b"\x89PNG").with_multi_value_header("Vary", "Accept");
    assert_eq!(bin.body.as_deref(), Some("iVBORw=="));
    assert_eq!(bin.decoded_body().unwrap().as_ref(), b"\x89PNG");
    assert_eq!(bin.multi_value_headers["Vary"], ["Accept"]);
    let empty = ApiGatewayProxyResponse::empty(204);
    assert_eq!(
        serde_json::to_value(&empty).unwrap(),
        serde_json::json!({"statusCode": 204, "isBase64Encoded": false})
    );
}

// ---------------------------------------------------------------- API Gateway HTTP API, WebSocket

#[test]
fn apigw_v2_values_and_helpers() {
    let r: ApiGatewayV2HttpRequest = assert_round_trip(&aws_example("example-apigw-v2-request-iam.json"));
    assert_eq!(r.method(), "GET");
    assert_eq!(
        r.raw_query_string.as_deref(),
        Some("parameter1=value1&parameter1=value2&parameter2=value")
    );
    assert_eq!(r.query("parameter1"), Some("value1,value2"));
    assert_eq!(
        r.cookies.as_deref(),
        Some(&["cookie1".to_string(), "cookie2".to_string()][..])
    );
    let iam = r.request_context.authorizer.as_ref().unwrap().iam.as_ref().unwrap();
    assert_eq!(iam.user_arn.as_deref(), Some("arn:aws:iam::1234567890:user/Admin"));
    assert_eq!(
        iam.cognito_identity.as_ref().unwrap().amr.as_deref(),
        Some(&["foo".to_string()][..])
    );
    let cert = r
        .request_context
        .authentication
        .as_ref()
        .unwrap()
        .client_cert
        .as_ref()
        .unwrap();
    assert_eq!(cert.serial_number.as_deref(), Some("1"));
    assert_eq!(
        r.request_context.time(),
        Some(UNIX_EPOCH + Duration::from_millis(1583348638390))
    );

    let r: ApiGatewayV2HttpRequest = assert_round_trip(&aws_example("example-apigw-v2-request-jwt-authorizer.json"));
    let jwt = r.request_context.authorizer.as_ref().unwrap().jwt.as_ref().unwrap();
    assert_eq!(jwt.claim("claim1"), Some("value1"));
    assert_eq!(jwt.scopes.as_ref().unwrap().len(), 2);

    let r: ApiGatewayV2HttpRequest = assert_round_trip(&aws_example("example-apigw-v2-request-lambda-authorizer.json"));
    assert_eq!(r.request_context.authorizer.as_ref().unwrap().lambda["key"], "value");

    let r: ApiGatewayV2HttpRequest = assert_round_trip(&aws_example("example-apigw-sam-http-request.json"));
    assert_eq!(r.cookies.as_deref().map(<[String]>::len), Some(0));
    assert_eq!(r.body.as_deref(), Some(""));
    assert_eq!(r.header("host"), Some("127.0.0.1:3000"));

    let r: ApiGatewayV2HttpRequest = assert_round_trip(&own_fixture("apigw/v2-request-jwt-cookies-base64.json"));
    assert_eq!(r.cookie("theme"), Some("light"));
    assert_eq!(r.cookie("session"), Some("s3cr3t"));
    assert_eq!(r.cookie("nope"), None);
    assert_eq!(r.path_parameter("name"), Some("cat photo.jpg"));
    assert_eq!(r.query("q"), Some("a&b"));
    assert_eq!(&r.decoded_body().unwrap()[..3], [0xff, 0xd8, 0xff]);
    let jwt = r.request_context.authorizer.as_ref().unwrap().jwt.as_ref().unwrap();
    assert_eq!(jwt.claim("cognito:groups"), Some("[editors viewers]"));

    let r: ApiGatewayV2HttpRequest = assert_round_trip(&own_fixture("apigw/v2-request-minimal.json"));
    assert_eq!(r.cookies, None);
    assert_eq!(r.body, None);
    assert!(r.query_string_parameters.is_empty());
    assert!(r.request_context.authorizer.is_none());
    assert_eq!(r.cookie("x"), None);
}

#[test]
fn apigw_v2_response_builders() {
    let r: ApiGatewayV2HttpResponse = assert_round_trip(&own_fixture("apigw/v2-response-cookies.json"));
    assert_eq!(r.status_code, 201);
    assert_eq!(r.cookies.len(), 2);
    assert_eq!(r.header("X-Request-Id"), Some("abc, def"));

    let r = ApiGatewayV2HttpResponse::json(200, &[1, 2, 3])
        .unwrap()
        .with_cookie("a=b; Secure");
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        serde_json::json!({
            "statusCode": 200, "headers": {"Content-Type": "application/json"}, "cookies": ["a=b; Secure"],
            "body": "[1,2,3]", "isBase64Encoded": false
        })
    );
    let bin = ApiGatewayV2HttpResponse::binary(200, "application/pdf", b"%PDF-1.4\n");
    assert_eq!(bin.body.as_deref(), Some("JVBERi0xLjQK"));
    assert_eq!(bin.decoded_body().unwrap().as_ref(), b"%PDF-1.4\n");
    assert_eq!(
        ApiGatewayV2HttpResponse::text(200, "x").headers["Content-Type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(
        ApiGatewayV2HttpResponse::html(200, "x")
            .with_header("a", "b")
            .headers
            .len(),
        2
    );
    assert!(ApiGatewayV2HttpResponse::empty(204).body.is_none());
}

#[test]
fn apigw_websocket_values() {
    let r: ApiGatewayWebsocketProxyRequest = assert_round_trip(&own_fixture("apigw/websocket-message.json"));
    let ctx = &r.request_context;
    assert_eq!(ctx.event_type.as_deref(), Some("MESSAGE"));
    assert_eq!(ctx.route_key.as_deref(), Some("sendmessage"));
    assert_eq!(ctx.connection_id.as_deref(), Some("ZfG8qcB7IAMCF-g="));
    assert_eq!(ctx.message_id.as_deref(), Some("ZfG9kd2oAMCFhKA="));
    assert_eq!(
        ctx.connected_at(),
        Some(UNIX_EPOCH + Duration::from_millis(1715333400000))
    );
    let msg: serde_json::Value = serde_json::from_slice(&r.decoded_body().unwrap()).unwrap();
    assert_eq!(msg["text"], "hi all");

    let r: ApiGatewayWebsocketProxyRequest = assert_round_trip(&own_fixture("apigw/websocket-connect-authorized.json"));
    assert_eq!(r.query("room"), Some("lobby"));
    assert_eq!(r.header("sec-websocket-version"), Some("13"));
    assert_eq!(r.request_context.authorizer["plan"], "pro");

    let r: ApiGatewayWebsocketProxyRequest =
        assert_round_trip(&aws_example("example-apigw-websocket-request-disconnect-route.json"));
    assert_eq!(r.request_context.disconnect_status_code, Some(1005));
    assert_eq!(
        r.request_context.disconnect_reason.as_deref(),
        Some("Client-side close frame status not set")
    );
    assert_eq!(r.request_context.identity.source_ip.as_deref(), Some("192.0.2.1"));
}

// ---------------------------------------------------------------- authorizers

#[test]
fn authorizer_requests() {
    let r: ApiGatewayCustomAuthorizerRequest = assert_round_trip(&own_fixture("apigw/authorizer-token-request.json"));
    assert_eq!(r.type_.as_deref(), Some("TOKEN"));
    assert_eq!(r.authorization_token.as_deref(), Some("Bearer abc.def.ghi"));

    let r: ApiGatewayCustomAuthorizerRequestTypeRequest =
        assert_round_trip(&own_fixture("apigw/authorizer-request-type-request.json"));
    assert_eq!(r.header("x-api-token"), Some("tok-1"));
    assert_eq!(r.http_method.as_deref(), Some("DELETE"));
    assert_eq!(r.request_context.identity.source_ip.as_deref(), Some("198.51.100.3"));

    let r: ApiGatewayCustomAuthorizerRequestTypeRequest =
        assert_round_trip(&aws_example("example-apigw-custom-auth-request-type-request.json"));
    assert_eq!(r.query("QueryString1"), Some("queryValue1"));
    assert!(r.request_context.identity.client_cert.is_some());

    let r: ApiGatewayV2CustomAuthorizerV1Request =
        assert_round_trip(&aws_example("example-apigw-v2-custom-authorizer-v1-request.json"));
    assert_eq!(r.identity_source.as_deref(), Some("user1,123"));
    assert_eq!(r.version.as_deref(), Some("1.0"));

    let r: ApiGatewayV2CustomAuthorizerV2Request =
        assert_round_trip(&aws_example("example-apigw-v2-custom-authorizer-v2-request.json"));
    assert_eq!(
        r.identity_source.as_deref(),
        Some(&["user1".to_string(), "123".to_string()][..])
    );
    assert_eq!(r.cookie("cookie1"), None);
    assert_eq!(r.header("header1"), Some("value1"));
    assert_eq!(r.request_context.http.method, "POST");
    let r: ApiGatewayV2CustomAuthorizerV2Request =
        assert_round_trip(&own_fixture("apigw/v2-authorizer-v2-request-no-identity.json"));
    assert_eq!(r.identity_source, None);
    assert_eq!(r.cookies, None);
}

#[test]
fn authorizer_responses() {
    let r: ApiGatewayCustomAuthorizerResponse = assert_round_trip(&aws_example(
        "example-apigw-custom-auth-response-with-single-value-action.json",
    ));
    let st = &r.policy_document.statement[0];
    assert_eq!(st.effect, IamPolicyEffect::Allow);
    assert_eq!(st.action, Some(StringOrList::One("execute-api:Invoke".into())));
    assert!(matches!(st.resource, Some(StringOrList::Many(ref v)) if v.len() == 1));
    assert_eq!(r.usage_identifier_key.as_deref(), Some("{api-key}"));
    assert_eq!(r.context["numberKey"], "1");

    let r: ApiGatewayCustomAuthorizerResponse =
        assert_round_trip(&aws_example("example-apigw-custom-auth-response-with-condition.json"));
    assert_eq!(
        r.policy_document.statement[0].condition["StringEquals"]["aws:SourceIp"],
        serde_json::json!(["xxx"])
    );

    let r: ApiGatewayCustomAuthorizerResponse =
        assert_round_trip(&own_fixture("apigw/authorizer-response-sid-not-resource.json"));
    let [allow, deny] = &r.policy_document.statement[..] else {
        panic!("two statements expected")
    };
    assert_eq!(allow.sid.as_deref(), Some("AllowReads"));
    assert_eq!(allow.resource.as_ref().unwrap().as_slice().len(), 2);
    assert_eq!(deny.effect, IamPolicyEffect::Deny);
    assert_eq!(deny.resource, None);
    assert_eq!(deny.not_resource.as_ref().unwrap().iter().count(), 1);
    assert_eq!(r.context["quota"], 1000);
    assert_eq!(r.context["beta"], true);

    let built = ApiGatewayCustomAuthorizerResponse::deny("anon", "arn:aws:execute-api:us-east-1:1:a/*")
        .with_context("reason", "expired");
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        serde_json::json!({
            "principalId": "anon",
            "policyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:1:a/*"
            }]},
            "context": {"reason": "expired"}
        })
    );
    let st = IamPolicyStatement::invoke(IamPolicyEffect::Allow, "arn:x").with_condition(
        "IpAddress",
        "aws:SourceIp",
        serde_json::json!(["203.0.113.0/24"]),
    );
    assert_eq!(
        serde_json::to_value(&st).unwrap()["Condition"]["IpAddress"]["aws:SourceIp"][0],
        "203.0.113.0/24"
    );

    let r: ApiGatewayV2CustomAuthorizerSimpleResponse =
        assert_round_trip(&own_fixture("apigw/v2-authorizer-simple-response.json"));
    assert!(r.is_authorized);
    assert_eq!(r.context["roles"][1], "writer");
    assert_eq!(
        serde_json::to_value(ApiGatewayV2CustomAuthorizerSimpleResponse::unauthorized()).unwrap(),
        serde_json::json!({"isAuthorized": false})
    );
    let r: ApiGatewayV2CustomAuthorizerIamPolicyResponse =
        assert_round_trip(&own_fixture("apigw/v2-authorizer-iam-response.json"));
    assert_eq!(r.principal_id.as_deref(), Some("svc-reporting"));
}

// ---------------------------------------------------------------- Function URLs

#[test]
fn function_url_values_and_builders() {
    let r: LambdaFunctionUrlRequest = assert_round_trip(&own_fixture("function_url/request-iam-auth.json"));
    assert_eq!(r.method(), "POST");
    assert_eq!(r.query("format"), Some("csv,json"));
    assert_eq!(r.header("X-Amz-Date"), Some("20240409T120000Z"));
    assert_eq!(r.cookie("pref"), Some("compact"));
    let iam = r.request_context.authorizer.as_ref().unwrap().iam.as_ref().unwrap();
    assert_eq!(iam.account_id.as_deref(), Some("444455556666"));
    assert_eq!(iam.cognito_identity, None);
    assert_eq!(
        r.request_context.time(),
        Some(UNIX_EPOCH + Duration::from_millis(1712664000000))
    );
    assert!(r.path_parameters.is_empty());

    let r: LambdaFunctionUrlRequest = assert_round_trip(&own_fixture("function_url/request-public-base64.json"));
    assert_eq!(r.decoded_body().unwrap().as_ref(), b"%PDF-1.4\n");
    assert!(r.request_context.authorizer.is_none());
    assert_eq!(r.cookies, None);

    let r: LambdaFunctionUrlResponse = assert_round_trip(&own_fixture("function_url/response-cookies.json"));
    assert_eq!(r.cookies, ["last_report=2024; Max-Age=3600; Secure"]);
    assert_eq!(r.header("Content-Type"), Some("text/csv"));

    let built = LambdaFunctionUrlResponse::html(200, "<i>x</i>")
        .with_cookie("a=1")
        .with_header("X-A", "1");
    assert_eq!(built.headers["Content-Type"], "text/html");
    assert_eq!(built.cookies, ["a=1"]);
    let bin = LambdaFunctionUrlResponse::binary(200, "image/gif", [71, 73, 70]);
    assert_eq!(bin.body.as_deref(), Some("R0lG"));
    assert_eq!(bin.is_base64_encoded, Some(true));
    assert_eq!(
        LambdaFunctionUrlResponse::json(200, "s").unwrap().body.as_deref(),
        Some("\"s\"")
    );
    assert_eq!(LambdaFunctionUrlResponse::text(200, "t").body.as_deref(), Some("t"));
    assert_eq!(LambdaFunctionUrlResponse::empty(304).status_code, 304);
}

// ---------------------------------------------------------------- VPC Lattice

#[test]
fn vpc_lattice_values_and_builders() {
    let r: VpcLatticeRequestV1 = assert_round_trip(&own_fixture("vpc_lattice/request-v1.json"));
    assert_eq!(r.method, "GET");
    assert_eq!(r.raw_path.as_deref(), Some("/inventory/items"));
    assert_eq!(r.query("sku"), Some("ab-1"));
    assert_eq!(r.header("User-Agent"), Some("curl/8.4.0"));
    assert!(r.decoded_body().unwrap().is_empty());

    let r: VpcLatticeRequestV2 = assert_round_trip(&own_fixture("vpc_lattice/request-v2-iam.json"));
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    assert_eq!(r.header_values("x-tag"), ["blue", "green"]);
    assert_eq!(r.query("dryRun"), Some("true"));
    assert_eq!(r.query_values("dryrun"), ["true"]);
    assert_eq!(r.decoded_body().unwrap().as_ref(), br#"{"sku":"ab-1","qty":3}"#);
    let ctx = &r.request_context;
    assert_eq!(ctx.identity.type_.as_deref(), Some("AWS_IAM"));
    assert_eq!(ctx.identity.principal_org_id.as_deref(), Some("o-50dc6c495c"));
    assert_eq!(ctx.time(), Some(UNIX_EPOCH + Duration::from_micros(1712664000123456)));

    let r: VpcLatticeRequestV2 = assert_round_trip(&own_fixture("vpc_lattice/request-v2-unsigned-string-values.json"));
    assert_eq!(r.header("user-agent"), Some("ELB-HealthChecker/2.0"));
    assert_eq!(r.header_values("host").len(), 1);
    assert!(r.query_string_parameters.is_empty());
    assert_eq!(r.request_context.identity.type_, None);

    let r: VpcLatticeResponse = assert_round_trip(&own_fixture("vpc_lattice/response.json"));
    assert_eq!(r.status_description.as_deref(), Some("202 Accepted"));
    let built = VpcLatticeResponse::text(503, "busy").with_header("Retry-After", "1");
    assert_eq!(built.status_description.as_deref(), Some("503 Service Unavailable"));
    assert_eq!(built.headers["Retry-After"], "1");
    let bin = VpcLatticeResponse::binary(200, "application/octet-stream", [1, 2, 3]);
    assert_eq!(bin.decoded_body().unwrap().as_ref(), [1, 2, 3]);
    assert!(VpcLatticeResponse::html(200, "").body.is_some());
    assert_eq!(
        VpcLatticeResponse::json(200, &true).unwrap().body.as_deref(),
        Some("true")
    );
    assert_eq!(
        VpcLatticeResponse::empty(204).status_description.as_deref(),
        Some("204 No Content")
    );
}
