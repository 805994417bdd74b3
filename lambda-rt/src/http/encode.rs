//! An HTTP response -> the JSON answer the event source expects, written straight into the response
//! buffer.

use std::borrow::Cow;

use http::header::{CONTENT_ENCODING, CONTENT_TYPE, SET_COOKIE};
use http::{HeaderMap, HeaderValue};

use super::{Response, Source};

/// How the answer to a source carries headers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HeaderShape {
    /// `headers`, one value per name; several values joined with `, ` (`Set-Cookie`: the last).
    Single,
    /// `multiValueHeaders` only (ALB in multi-value mode).
    Multi,
    /// `headers` for names with one value, `multiValueHeaders` for the rest (REST APIs merge both).
    Both,
    /// `headers` joined, `Set-Cookie` as `cookies` (payload 2.0).
    Cookies,
}

/// Writes `response` as the answer `source` expects into `out`; `multi_value` is whether the request
/// used `multiValueHeaders`, and `head` whether it was a `HEAD` request (no body).
pub(crate) fn encode(response: &Response, source: Source, multi_value: bool, head: bool, out: &mut Vec<u8>) {
    let shape = match source {
        Source::ApiGatewayRest => HeaderShape::Both,
        Source::Alb if multi_value => HeaderShape::Multi,
        Source::ApiGatewayHttp | Source::FunctionUrl => HeaderShape::Cookies,
        Source::Alb | Source::VpcLatticeV1 | Source::VpcLatticeV2 => HeaderShape::Single,
    };
    let status = response.status();
    out.extend_from_slice(b"{\"statusCode\":");
    out.extend_from_slice(itoa::Buffer::new().format(status.as_u16()).as_bytes());
    if matches!(source, Source::Alb | Source::VpcLatticeV1 | Source::VpcLatticeV2) {
        let description = format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or(""));
        out.extend_from_slice(b",\"statusDescription\":");
        string(out, description.trim_end());
    }
    let headers = response.headers();
    match shape {
        HeaderShape::Single | HeaderShape::Cookies => {
            out.extend_from_slice(b",\"headers\":");
            joined(out, headers, shape == HeaderShape::Cookies);
        }
        HeaderShape::Multi => {
            out.extend_from_slice(b",\"multiValueHeaders\":");
            lists(out, headers, |_| true);
        }
        HeaderShape::Both => {
            out.extend_from_slice(b",\"headers\":");
            write_map(out, headers, |count| count == 1, |out, values| string(out, &values[0]));
            out.extend_from_slice(b",\"multiValueHeaders\":");
            lists(out, headers, |count| count > 1);
        }
    }
    if shape == HeaderShape::Cookies {
        let cookies: Vec<Cow<'_, str>> = headers.get_all(SET_COOKIE).iter().map(text).collect();
        if !cookies.is_empty() {
            out.extend_from_slice(b",\"cookies\":[");
            for (index, cookie) in cookies.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                string(out, cookie);
            }
            out.push(b']');
        }
    }
    let body = if head { &[][..] } else { response.body().as_bytes() };
    out.extend_from_slice(b",\"body\":");
    match std::str::from_utf8(body) {
        Ok(text) if is_text(headers) => {
            string(out, text);
            out.extend_from_slice(b",\"isBase64Encoded\":false}");
        }
        _ => {
            use base64::Engine as _;
            out.push(b'"');
            let start = out.len();
            out.resize(start + base64::encoded_len(body.len(), true).unwrap_or(0), 0);
            let written = base64::engine::general_purpose::STANDARD
                .encode_slice(body, &mut out[start..])
                .unwrap_or(0);
            out.truncate(start + written);
            out.extend_from_slice(b"\",\"isBase64Encoded\":true}");
        }
    }
}

/// Whether a body with these headers can go as text: no `Content-Encoding`, and no `Content-Type` or a
/// textual one (`text/*`, JSON, XML, JavaScript, forms, YAML, GraphQL and their `+json`/`+xml` kin).
fn is_text(headers: &HeaderMap) -> bool {
    if headers.contains_key(CONTENT_ENCODING) {
        return false;
    }
    let Some(content_type) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence.starts_with("text/")
        || ["json", "xml", "javascript", "x-www-form-urlencoded", "yaml", "graphql"]
            .iter()
            .any(|kind| essence.contains(kind))
}

/// A header value as text: UTF-8 as it is (what a client meant by non-ASCII bytes), anything else replaced.
fn text(value: &HeaderValue) -> Cow<'_, str> {
    String::from_utf8_lossy(value.as_bytes())
}

/// A JSON string.
fn string(out: &mut Vec<u8>, text: &str) {
    // Writing to a Vec cannot fail, and a &str always serializes.
    let _ = serde_json::to_writer(&mut *out, text);
}

/// `{name: value, ...}` for the names `keep` takes by their number of values, each written by `value`.
fn write_map(
    out: &mut Vec<u8>,
    headers: &HeaderMap,
    keep: impl Fn(usize) -> bool,
    value: impl Fn(&mut Vec<u8>, &[Cow<'_, str>]),
) {
    out.push(b'{');
    let mut first = true;
    for name in headers.keys() {
        let values: Vec<Cow<'_, str>> = headers.get_all(name).iter().map(text).collect();
        if values.is_empty() || !keep(values.len()) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        string(out, name.as_str());
        out.push(b':');
        value(out, &values);
    }
    out.push(b'}');
}

/// `headers`, one string per name: several values joined with `, `; `Set-Cookie` left out when
/// `cookies_apart`, its last value otherwise (it cannot be joined).
fn joined(out: &mut Vec<u8>, headers: &HeaderMap, cookies_apart: bool) {
    out.push(b'{');
    let mut first = true;
    for name in headers.keys() {
        if cookies_apart && name == SET_COOKIE {
            continue;
        }
        let values: Vec<Cow<'_, str>> = headers.get_all(name).iter().map(text).collect();
        let Some(last) = values.last() else { continue };
        if !first {
            out.push(b',');
        }
        first = false;
        string(out, name.as_str());
        out.push(b':');
        if name == SET_COOKIE {
            string(out, last);
        } else {
            string(out, &values.join(", "));
        }
    }
    out.push(b'}');
}

/// `{name: [values], ...}` for the names `keep` takes by their number of values.
fn lists(out: &mut Vec<u8>, headers: &HeaderMap, keep: impl Fn(usize) -> bool) {
    write_map(out, headers, keep, |out, values| {
        out.push(b'[');
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            string(out, value);
        }
        out.push(b']');
    });
}

/// An encoded answer, parsed back.
#[cfg(test)]
fn encoded(response: &Response, source: Source, multi_value: bool) -> serde_json::Value {
    let mut out = Vec::new();
    encode(response, source, multi_value, false, &mut out);
    serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Body, IntoResponse};
    use http::StatusCode;
    use serde_json::json;

    fn response() -> Response {
        let mut response = (StatusCode::CREATED, [("location", "/todos/1")], "made").into_response();
        response.headers_mut().append(SET_COOKIE, "a=1".parse().unwrap());
        response.headers_mut().append(SET_COOKIE, "b=2".parse().unwrap());
        response
    }

    #[test]
    fn each_source_gets_its_shape() {
        let ct = "text/plain; charset=utf-8";
        assert_eq!(
            encoded(&response(), Source::ApiGatewayHttp, false),
            json!({"statusCode": 201, "headers": {"content-type": ct, "location": "/todos/1"},
                   "cookies": ["a=1", "b=2"], "body": "made", "isBase64Encoded": false})
        );
        assert_eq!(
            encoded(&response(), Source::ApiGatewayRest, true),
            json!({"statusCode": 201, "headers": {"content-type": ct, "location": "/todos/1"},
                   "multiValueHeaders": {"set-cookie": ["a=1", "b=2"]}, "body": "made", "isBase64Encoded": false})
        );
        assert_eq!(
            encoded(&response(), Source::Alb, true),
            json!({"statusCode": 201, "statusDescription": "201 Created",
                   "multiValueHeaders": {"content-type": [ct], "location": ["/todos/1"], "set-cookie": ["a=1", "b=2"]},
                   "body": "made", "isBase64Encoded": false})
        );
        assert_eq!(
            encoded(&response(), Source::Alb, false),
            json!({"statusCode": 201, "statusDescription": "201 Created",
                   "headers": {"content-type": ct, "location": "/todos/1", "set-cookie": "b=2"},
                   "body": "made", "isBase64Encoded": false})
        );
        assert_eq!(
            encoded(&response(), Source::VpcLatticeV2, false)["statusDescription"],
            "201 Created"
        );
    }

    #[test]
    fn binary_bodies_are_base64() {
        let png = http::Response::builder()
            .header(CONTENT_TYPE, "image/png")
            .body(Body::from(vec![0x89, b'P', b'N', b'G']))
            .unwrap();
        let out = encoded(&png, Source::FunctionUrl, false);
        assert_eq!(out["body"], "iVBORw==");
        assert_eq!(out["isBase64Encoded"], true);
        let gzipped = http::Response::builder()
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "gzip")
            .body(Body::from("{}"))
            .unwrap();
        assert_eq!(
            encoded(&gzipped, Source::ApiGatewayRest, false)["isBase64Encoded"],
            true
        );
        let not_utf8 = http::Response::new(Body::from(vec![0xff]));
        assert_eq!(encoded(&not_utf8, Source::Alb, false)["body"], "/w==");
        let json = http::Response::builder()
            .header(CONTENT_TYPE, "application/problem+json")
            .body(Body::from("{\"a\":\"\u{e9}\"}"))
            .unwrap();
        assert_eq!(encoded(&json, Source::Alb, false)["body"], "{\"a\":\"\u{e9}\"}");
    }
}
