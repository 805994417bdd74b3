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

use std::time::{Duration, UNIX_EPOCH};

use common::{assert_round_trip, own_fixture, shared_fixture};
use lambda_events::alb::*;
use lambda_events::apigw::*;
use lambda_events::function_url::*;
use lambda_events::vpc_lattice::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Which type each of this group's fixtures decodes into.
enum Kind {
    AlbRequest,
    AlbResponse,
    ProxyRequest,
    ProxyResponse,
    V2Request,
    V2Response,
    WebsocketRequest,
    TokenAuthorizerRequest,
    RequestAuthorizerRequest,
    AuthorizerResponse,
    V2AuthorizerV1Request,
    V2AuthorizerV2Request,
    V2AuthorizerSimpleResponse,
    V2AuthorizerIamResponse,
    UrlRequest,
    UrlResponse,
    LatticeV1,
    LatticeV2,
    LatticeResponse,
}

fn check(path: &std::path::Path, kind: &Kind) {
    fn rt<T: DeserializeOwned + Serialize>(path: &std::path::Path) {
        let _: T = assert_round_trip(path);
    }
    match kind {
        Kind::AlbRequest => rt::<AlbTargetGroupRequest>(path),
        Kind::AlbResponse => rt::<AlbTargetGroupResponse>(path),
        Kind::ProxyRequest => rt::<ApiGatewayProxyRequest>(path),
        Kind::ProxyResponse => rt::<ApiGatewayProxyResponse>(path),
        Kind::V2Request => rt::<ApiGatewayV2HttpRequest>(path),
        Kind::V2Response => rt::<ApiGatewayV2HttpResponse>(path),
        Kind::WebsocketRequest => rt::<ApiGatewayWebsocketProxyRequest>(path),
        Kind::TokenAuthorizerRequest => rt::<ApiGatewayCustomAuthorizerRequest>(path),
        Kind::RequestAuthorizerRequest => rt::<ApiGatewayCustomAuthorizerRequestTypeRequest>(path),
        Kind::AuthorizerResponse => rt::<ApiGatewayCustomAuthorizerResponse>(path),
        Kind::V2AuthorizerV1Request => rt::<ApiGatewayV2CustomAuthorizerV1Request>(path),
        Kind::V2AuthorizerV2Request => rt::<ApiGatewayV2CustomAuthorizerV2Request>(path),
        Kind::V2AuthorizerSimpleResponse => rt::<ApiGatewayV2CustomAuthorizerSimpleResponse>(path),
        Kind::V2AuthorizerIamResponse => rt::<ApiGatewayV2CustomAuthorizerIamPolicyResponse>(path),
        Kind::UrlRequest => rt::<LambdaFunctionUrlRequest>(path),
        Kind::UrlResponse => rt::<LambdaFunctionUrlResponse>(path),
        Kind::LatticeV1 => rt::<VpcLatticeRequestV1>(path),
        Kind::LatticeV2 => rt::<VpcLatticeRequestV2>(path),
        Kind::LatticeResponse => rt::<VpcLatticeResponse>(path),
    }
}

const OWN: &[(&str, Kind)] = &[
    ("alb/request-post-form.json", Kind::AlbRequest),
    ("alb/request-multi-value-repeated.json", Kind::AlbRequest),
    ("alb/request-binary-body.json", Kind::AlbRequest),
    ("alb/request-null-maps.json", Kind::AlbRequest),
    ("alb/response-html.json", Kind::AlbResponse),
    ("alb/response-binary-multi-value.json", Kind::AlbResponse),
    ("apigw/rest-request-cognito-mtls.json", Kind::ProxyRequest),
    ("apigw/rest-request-binary-multi-query.json", Kind::ProxyRequest),
    ("apigw/rest-response-multi-value.json", Kind::ProxyResponse),
    ("apigw/v2-request-jwt-cookies-base64.json", Kind::V2Request),
    ("apigw/v2-request-minimal.json", Kind::V2Request),
    ("apigw/v2-response-cookies.json", Kind::V2Response),
    ("apigw/websocket-message.json", Kind::WebsocketRequest),
    ("apigw/websocket-connect-authorized.json", Kind::WebsocketRequest),
    ("apigw/authorizer-token-request.json", Kind::TokenAuthorizerRequest),
    (
        "apigw/authorizer-request-type-request.json",
        Kind::RequestAuthorizerRequest,
    ),
    (
        "apigw/authorizer-response-sid-not-resource.json",
        Kind::AuthorizerResponse,
    ),
    ("apigw/v2-authorizer-v1-request.json", Kind::V2AuthorizerV1Request),
    (
        "apigw/v2-authorizer-v2-request-no-identity.json",
        Kind::V2AuthorizerV2Request,
    ),
    (
        "apigw/v2-authorizer-simple-response.json",
        Kind::V2AuthorizerSimpleResponse,
    ),
    ("apigw/v2-authorizer-iam-response.json", Kind::V2AuthorizerIamResponse),
    ("function_url/request-iam-auth.json", Kind::UrlRequest),
    ("function_url/request-public-base64.json", Kind::UrlRequest),
    ("function_url/response-cookies.json", Kind::UrlResponse),
    ("vpc_lattice/request-v1.json", Kind::LatticeV1),
    ("vpc_lattice/request-v2-iam.json", Kind::LatticeV2),
    ("vpc_lattice/request-v2-unsigned-string-values.json", Kind::LatticeV2),
    ("vpc_lattice/response.json", Kind::LatticeResponse),
];

const SHARED: &[(&str, Kind)] = &[
    ("example-alb-lambda-target-request-headers-only.json", Kind::AlbRequest),
    (
        "example-alb-lambda-target-request-multivalue-headers.json",
        Kind::AlbRequest,
    ),
    ("example-alb-lambda-target-response.json", Kind::AlbResponse),
    ("example-apigw-console-request.json", Kind::ProxyRequest),
    ("example-apigw-console-test-request.json", Kind::ProxyRequest),
    ("example-apigw-request-catch-all.json", Kind::ProxyRequest),
    ("example-apigw-request-multi-value-parameters.json", Kind::ProxyRequest),
    ("example-apigw-request.json", Kind::ProxyRequest),
    ("example-apigw-restapi-openapi-request.json", Kind::ProxyRequest),
    ("example-apigw-sam-rest-request.json", Kind::ProxyRequest),
    ("example-apigw-response.json", Kind::ProxyResponse),
    ("example-apigw-v2-request-iam.json", Kind::V2Request),
    ("example-apigw-v2-request-jwt-authorizer.json", Kind::V2Request),
    ("example-apigw-v2-request-lambda-authorizer.json", Kind::V2Request),
    ("example-apigw-v2-request-multi-value-parameters.json", Kind::V2Request),
    ("example-apigw-v2-request-no-authorizer.json", Kind::V2Request),
    ("example-apigw-sam-http-request.json", Kind::V2Request),
    ("example-apigw-websocket-request.json", Kind::WebsocketRequest),
    (
        "example-apigw-websocket-request-disconnect-route.json",
        Kind::WebsocketRequest,
    ),
    (
        "example-apigw-websocket-request-without-method.json",
        Kind::WebsocketRequest,
    ),
    ("example-apigw-custom-auth-request.json", Kind::TokenAuthorizerRequest),
    (
        "example-apigw-custom-auth-request-type-request.json",
        Kind::RequestAuthorizerRequest,
    ),
    (
        "example-apigw-v2-custom-authorizer-websocket-request.json",
        Kind::RequestAuthorizerRequest,
    ),
    ("example-apigw-custom-auth-response.json", Kind::AuthorizerResponse),
    (
        "example-apigw-custom-auth-response-with-condition.json",
        Kind::AuthorizerResponse,
    ),
    (
        "example-apigw-custom-auth-response-with-single-value-action.json",
        Kind::AuthorizerResponse,
    ),
    (
        "example-apigw-custom-auth-response-with-single-value-resource.json",
        Kind::AuthorizerResponse,
    ),
    (
        "example-apigw-v2-custom-authorizer-v1-request.json",
        Kind::V2AuthorizerV1Request,
    ),
    (
        "example-apigw-v2-custom-authorizer-v2-request.json",
        Kind::V2AuthorizerV2Request,
    ),
    (
        "example-apigw-v2-custom-authorizer-v2-request-without-cookies.json",
        Kind::V2AuthorizerV2Request,
    ),
    (
        "example-apigw-v2-custom-authorizer-v2-request-without-identity-source.json",
        Kind::V2AuthorizerV2Request,
    ),
];

#[test]
fn own_fixtures_round_trip() {
    for (rel, kind) in OWN {
        check(&own_fixture(rel), kind);
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
fn shared_fixtures_round_trip() {
    for (name, kind) in SHARED {
        check(&shared_fixture(name), kind);
    }
}

#[test]
fn every_shared_fixture_of_these_sources_is_listed() {
    for entry in std::fs::read_dir(shared_fixture("")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with("example-alb-") || name.starts_with("example-apigw-") {
            assert!(
                SHARED.iter().any(|(n, _)| *n == name),
                "shared fixture {name} is not mapped"
            );
        }
    }
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
        assert_round_trip(&shared_fixture("example-alb-lambda-target-request-headers-only.json"));
    assert_eq!(r.header("X-MyHeader"), Some("123"));
    assert_eq!(r.query("key"), Some("hello"));
    let r: AlbTargetGroupRequest = assert_round_trip(&shared_fixture(
        "example-alb-lambda-target-request-multivalue-headers.json",
    ));
    assert_eq!(r.query("key"), Some("hello"));
    assert_eq!(r.header("user-agent"), Some("curl/7.54.0"));
    assert_eq!(r.body.as_deref(), Some("Some text"));
    let r: AlbTargetGroupResponse = assert_round_trip(&shared_fixture("example-alb-lambda-target-response.json"));
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
    let r: ApiGatewayProxyRequest = assert_round_trip(&shared_fixture("example-apigw-request.json"));
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

    let r: ApiGatewayProxyRequest = assert_round_trip(&shared_fixture("example-apigw-request-catch-all.json"));
    assert_eq!(r.other["otherField"], "foobar");
    assert_eq!(r.request_context.identity.other["otherField"], 2345);

    let r: ApiGatewayProxyRequest = assert_round_trip(&shared_fixture("example-apigw-console-test-request.json"));
    assert!(r.headers.is_empty() && r.path_parameters.is_empty() && r.stage_variables.is_empty());
    assert_eq!(r.request_context.identity.cognito_identity_id, None);

    // Seconds from a local emulator are read as seconds.
    let r: ApiGatewayProxyRequest = assert_round_trip(&shared_fixture("example-apigw-sam-rest-request.json"));
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
    let r: ApiGatewayProxyResponse = assert_round_trip(&shared_fixture("example-apigw-response.json"));
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
    let r: ApiGatewayV2HttpRequest = assert_round_trip(&shared_fixture("example-apigw-v2-request-iam.json"));
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

    let r: ApiGatewayV2HttpRequest = assert_round_trip(&shared_fixture("example-apigw-v2-request-jwt-authorizer.json"));
    let jwt = r.request_context.authorizer.as_ref().unwrap().jwt.as_ref().unwrap();
    assert_eq!(jwt.claim("claim1"), Some("value1"));
    assert_eq!(jwt.scopes.as_ref().unwrap().len(), 2);

    let r: ApiGatewayV2HttpRequest =
        assert_round_trip(&shared_fixture("example-apigw-v2-request-lambda-authorizer.json"));
    assert_eq!(r.request_context.authorizer.as_ref().unwrap().lambda["key"], "value");

    let r: ApiGatewayV2HttpRequest = assert_round_trip(&shared_fixture("example-apigw-sam-http-request.json"));
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
        assert_round_trip(&shared_fixture("example-apigw-websocket-request-disconnect-route.json"));
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
        assert_round_trip(&shared_fixture("example-apigw-custom-auth-request-type-request.json"));
    assert_eq!(r.query("QueryString1"), Some("queryValue1"));
    assert!(r.request_context.identity.client_cert.is_some());

    let r: ApiGatewayV2CustomAuthorizerV1Request =
        assert_round_trip(&shared_fixture("example-apigw-v2-custom-authorizer-v1-request.json"));
    assert_eq!(r.identity_source.as_deref(), Some("user1,123"));
    assert_eq!(r.version.as_deref(), Some("1.0"));

    let r: ApiGatewayV2CustomAuthorizerV2Request =
        assert_round_trip(&shared_fixture("example-apigw-v2-custom-authorizer-v2-request.json"));
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
    let r: ApiGatewayCustomAuthorizerResponse = assert_round_trip(&shared_fixture(
        "example-apigw-custom-auth-response-with-single-value-action.json",
    ));
    let st = &r.policy_document.statement[0];
    assert_eq!(st.effect, IamPolicyEffect::Allow);
    assert_eq!(st.action, Some(StringOrList::One("execute-api:Invoke".into())));
    assert!(matches!(st.resource, Some(StringOrList::Many(ref v)) if v.len() == 1));
    assert_eq!(r.usage_identifier_key.as_deref(), Some("{api-key}"));
    assert_eq!(r.context["numberKey"], "1");

    let r: ApiGatewayCustomAuthorizerResponse = assert_round_trip(&shared_fixture(
        "example-apigw-custom-auth-response-with-condition.json",
    ));
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
