//! Conversions between the HTTP-shaped events and the `http` crate (feature `http`).
#![cfg(all(
    feature = "http",
    feature = "alb",
    feature = "apigw",
    feature = "function_url",
    feature = "vpc_lattice"
))]

mod common;

use common::{aws_example, own_fixture, read_json};
use lambda_fn_events::alb::{AlbTargetGroupRequest, AlbTargetGroupRequestContext, AlbTargetGroupResponse};
use lambda_fn_events::apigw::{
    ApiGatewayProxyRequest, ApiGatewayProxyRequestContext, ApiGatewayProxyResponse, ApiGatewayV2HttpRequest,
    ApiGatewayV2HttpRequestContext, ApiGatewayV2HttpResponse, IntoHttpRequestError,
};
use lambda_fn_events::function_url::{
    LambdaFunctionUrlRequest, LambdaFunctionUrlRequestContext, LambdaFunctionUrlResponse,
};
use lambda_fn_events::vpc_lattice::VpcLatticeResponse;

fn load<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> T {
    serde_json::from_value(read_json(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn values<'a>(req: &'a http::Request<Vec<u8>>, name: &str) -> Vec<&'a str> {
    req.headers()
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}

#[test]
fn alb_request_to_http() {
    let event: AlbTargetGroupRequest = load(&own_fixture("alb/request-post-form.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    assert_eq!(req.method(), http::Method::POST);
    // ALB passes the query undecoded; it is used as is (sorted by name).
    assert_eq!(
        req.uri().to_string(),
        "https://orders-alb-1234567890.eu-west-1.elb.amazonaws.com/orders/new?draft=true&source=web%20shop"
    );
    assert_eq!(req.uri().path(), "/orders/new");
    assert_eq!(values(&req, "content-type"), ["application/x-www-form-urlencoded"]);
    assert_eq!(req.body(), b"item=book&quantity=2&gift=no");
    let ctx = req.extensions().get::<AlbTargetGroupRequestContext>().unwrap();
    assert!(ctx.elb.target_group_arn.as_deref().unwrap().contains("orders-fn"));

    let event: AlbTargetGroupRequest = load(&own_fixture("alb/request-multi-value-repeated.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    assert_eq!(req.uri().scheme_str(), Some("http"));
    assert_eq!(req.uri().query(), Some("page=2&tag=red&tag=blue&tag=green"));
    assert_eq!(values(&req, "accept"), ["text/html", "application/xhtml+xml"]);
    assert_eq!(values(&req, "cookie"), ["theme=dark", "session=abc123"]);
    assert!(req.body().is_empty());

    let event: AlbTargetGroupRequest = load(&own_fixture("alb/request-binary-body.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    assert_eq!(req.method(), http::Method::PUT);
    assert_eq!(&req.body()[..4], b"\x89PNG");

    // No host header: the URI is relative.
    let event: AlbTargetGroupRequest = load(&own_fixture("alb/request-null-maps.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    assert_eq!(req.uri().to_string(), "/health");
    assert_eq!(req.method(), http::Method::HEAD);
}

#[test]
fn apigw_rest_request_to_http() {
    let event: ApiGatewayProxyRequest = load(&own_fixture("apigw/rest-request-binary-multi-query.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    // Decoded parameters are re-encoded.
    assert_eq!(req.uri().query(), Some("name=report%20q1.bin&tag=a&tag=b"));
    assert_eq!(req.uri().host(), Some("files.execute-api.us-east-1.amazonaws.com"));
    assert_eq!(values(&req, "x-custom"), ["first", "second"]);
    assert_eq!(req.body(), &[0, 1, 2, 3, 255, 254, 253]);
    let ctx = req.extensions().get::<ApiGatewayProxyRequestContext>().unwrap();
    assert_eq!(ctx.stage.as_deref(), Some("prod"));

    let event: ApiGatewayProxyRequest = load(&aws_example("example-apigw-request.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    assert_eq!(
        req.uri().to_string(),
        "https://gy415nuibc.execute-api.us-east-1.amazonaws.com/hello/world?name=me"
    );
    assert_eq!(values(&req, "x-forwarded-for"), ["54.240.196.186, 54.182.214.83"]);

    let event: ApiGatewayProxyRequest = load(&aws_example("example-apigw-console-test-request.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    assert_eq!(req.uri().to_string(), "/myPath");
    assert!(req.headers().is_empty());
}

#[test]
fn apigw_v2_request_to_http() {
    let event: ApiGatewayV2HttpRequest = load(&own_fixture("apigw/v2-request-jwt-cookies-base64.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(req.uri().path(), "/images/cat%20photo.jpg");
    assert_eq!(req.uri().query(), Some("size=large&size=small&q=a%26b"));
    assert_eq!(values(&req, "cookie"), ["session=s3cr3t; theme=light"]);
    assert_eq!(values(&req, "accept-language"), ["en-GB,en;q=0.9,fr"]);
    assert_eq!(&req.body()[..3], [0xff, 0xd8, 0xff]);
    let ctx = req.extensions().get::<ApiGatewayV2HttpRequestContext>().unwrap();
    assert_eq!(ctx.route_key.as_deref(), Some("POST /images/{name}"));

    let event: ApiGatewayV2HttpRequest = load(&own_fixture("apigw/v2-request-minimal.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    assert_eq!(
        req.uri().to_string(),
        "https://abc.execute-api.us-east-1.amazonaws.com/ping"
    );
    assert!(req.headers().get("cookie").is_none());
}

#[test]
fn function_url_request_to_http() {
    let event: LambdaFunctionUrlRequest = load(&own_fixture("function_url/request-iam-auth.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(req.uri().path(), "/reports/2024");
    assert_eq!(req.uri().query(), Some("format=csv&format=json&year=2024"));
    assert_eq!(values(&req, "cookie"), ["pref=compact"]);
    assert_eq!(req.body(), br#"{"columns":["a","b"]}"#);
    let ctx = req.extensions().get::<LambdaFunctionUrlRequestContext>().unwrap();
    assert_eq!(ctx.http.source_ip.as_deref(), Some("198.51.100.200"));

    let event: LambdaFunctionUrlRequest = load(&own_fixture("function_url/request-public-base64.json"));
    let req = http::Request::<Vec<u8>>::try_from(event).unwrap();
    assert_eq!(req.body(), b"%PDF-1.4\n");
    assert_eq!(req.uri().query(), None);
}

#[test]
fn conversion_errors() {
    let bad_body = ApiGatewayProxyRequest {
        http_method: "GET".into(),
        body: Some("%%%".into()),
        is_base64_encoded: Some(true),
        ..Default::default()
    };
    let err = http::Request::<Vec<u8>>::try_from(bad_body).unwrap_err();
    assert!(matches!(err, IntoHttpRequestError::Body(_)), "{err}");

    let bad_method = ApiGatewayProxyRequest {
        http_method: "GE T".into(),
        ..Default::default()
    };
    let err = http::Request::<Vec<u8>>::try_from(bad_method).unwrap_err();
    assert!(matches!(err, IntoHttpRequestError::Http(_)), "{err}");
    assert!(std::error::Error::source(&err).is_some());

    let bad_header = AlbTargetGroupRequest {
        http_method: "GET".into(),
        path: "/".into(),
        headers: [("bad header".to_string(), "x".to_string())].into_iter().collect(),
        ..Default::default()
    };
    assert!(http::Request::<Vec<u8>>::try_from(bad_header).is_err());
}

fn response(content_type: Option<&str>, body: &[u8]) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder()
        .status(201)
        .header("set-cookie", "a=1; Path=/")
        .header("set-cookie", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT")
        .header("x-trace", "t1");
    if let Some(ct) = content_type {
        builder = builder.header("content-type", ct);
    }
    builder.body(body.to_vec()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn responses_from_http_text() {
    let alb = AlbTargetGroupResponse::from(response(Some("application/json"), br#"{"ok":true}"#));
    assert_eq!(alb.status_code, 201);
    assert_eq!(alb.status_description.as_deref(), Some("201 Created"));
    assert_eq!(alb.is_base64_encoded, Some(false));
    assert_eq!(alb.body.as_deref(), Some(r#"{"ok":true}"#));
    assert_eq!(alb.multi_value_headers["set-cookie"].len(), 2);
    assert_eq!(alb.headers["set-cookie"], "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT");
    assert_eq!(alb.headers["content-type"], "application/json");

    let v1 = ApiGatewayProxyResponse::from(response(Some("text/html; charset=utf-8"), b"<p>hi</p>"));
    assert_eq!(v1.body.as_deref(), Some("<p>hi</p>"));
    assert_eq!(
        v1.multi_value_headers["set-cookie"],
        ["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"]
    );
    assert_eq!(v1.multi_value_headers["x-trace"], ["t1"]);

    let v2 = ApiGatewayV2HttpResponse::from(response(Some("text/plain"), b"plain"));
    assert_eq!(
        v2.cookies,
        ["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"]
    );
    assert!(!v2.headers.contains_key("set-cookie"));
    assert_eq!(v2.headers["x-trace"], "t1");
    assert_eq!(v2.body.as_deref(), Some("plain"));

    let url = LambdaFunctionUrlResponse::from(response(None, b"no content type but utf-8"));
    assert_eq!(url.is_base64_encoded, Some(false));
    assert_eq!(url.cookies.len(), 2);

    let lattice = VpcLatticeResponse::from(response(Some("application/xml"), b"<a/>"));
    assert_eq!(lattice.body.as_deref(), Some("<a/>"));
    assert_eq!(lattice.status_description.as_deref(), Some("201 Created"));

    // Several values of a header are comma-joined in the v2 shape.
    let multi = http::Response::builder()
        .header("vary", "accept")
        .header("vary", "origin")
        .body("")
        .unwrap();
    let v2 = ApiGatewayV2HttpResponse::from(multi);
    assert_eq!(v2.headers["vary"], "accept, origin");
    assert_eq!(v2.body, None);
    assert_eq!(v2.status_code, 200);
}

#[test]
fn responses_from_http_binary() {
    let png = b"\x89PNG\r\n\x1a\n";
    let alb = AlbTargetGroupResponse::from(response(Some("image/png"), png));
    assert_eq!(alb.is_base64_encoded, Some(true));
    assert_eq!(alb.body.as_deref(), Some("iVBORw0KGgo="));
    assert_eq!(alb.decoded_body().unwrap().as_ref(), png);

    // Valid UTF-8 but a binary content type is still base64.
    let v1 = ApiGatewayProxyResponse::from(response(Some("application/octet-stream"), b"abc"));
    assert_eq!(v1.is_base64_encoded, Some(true));
    assert_eq!(v1.decoded_body().unwrap().as_ref(), b"abc");

    // No content type and not UTF-8: base64.
    let v2 = ApiGatewayV2HttpResponse::from(response(None, &[0xff, 0xfe]));
    assert_eq!(v2.is_base64_encoded, Some(true));
    assert_eq!(v2.decoded_body().unwrap().as_ref(), [0xff, 0xfe]);

    // A compressed text body is binary.
    let gz = http::Response::builder()
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(b"{}".as_slice())
        .unwrap();
    let url = LambdaFunctionUrlResponse::from(gz);
    assert_eq!(url.is_base64_encoded, Some(true));
    assert_eq!(url.decoded_body().unwrap().as_ref(), b"{}");
}
