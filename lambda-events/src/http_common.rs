//! Helpers shared by the HTTP-shaped event modules (ALB, API Gateway, Function URLs, VPC Lattice):
//! header and query lookups behind the request accessors, the response builders, the response type
//! shared by HTTP APIs and function URLs, and the `http` crate conversions.
//!
//! The module is compiled when any of those features is on, and each item only with the features
//! that use it, so that every feature builds alone without warnings.

use std::borrow::Cow;
use std::collections::HashMap;

#[cfg(feature = "vpc_lattice")]
use crate::encoding::StringOrList;
use crate::encoding::{BodyDecodeError, decode_body};

/// Looks `name` up in a map keyed by header or parameter name: an exact match first, then an ASCII
/// case-insensitive one.
pub(crate) fn find<'a, V>(map: &'a HashMap<String, V>, name: &str) -> Option<&'a V> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

/// [`find`] in a single-value map.
pub(crate) fn find_single<'a>(map: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    find(map, name).map(String::as_str)
}

/// [`find`] in a multi-value map.
#[cfg(any(feature = "alb", feature = "apigw"))]
pub(crate) fn find_multi<'a>(map: &'a HashMap<String, Vec<String>>, name: &str) -> Option<&'a [String]> {
    find(map, name).map(Vec::as_slice)
}

/// Where an HTTP-shaped event keeps the values of one kind (its headers, or its query parameters).
#[derive(Clone, Copy)]
pub(crate) enum Values<'a> {
    /// A single-value map and its multi-value twin (ALB, REST and WebSocket APIs, REST authorizers):
    /// the single map may hold a name's last value, the multi map all of them; either may be empty.
    #[cfg(any(feature = "alb", feature = "apigw"))]
    Split(&'a HashMap<String, String>, &'a HashMap<String, Vec<String>>),
    /// One single-value map (HTTP APIs, function URLs, VPC Lattice v1): several values of a name
    /// arrive comma-joined in one.
    #[cfg(any(feature = "apigw", feature = "function_url", feature = "vpc_lattice"))]
    Single(&'a HashMap<String, String>),
    /// One map whose values are a string or a list (VPC Lattice v2).
    #[cfg(feature = "vpc_lattice")]
    Lists(&'a HashMap<String, StringOrList>),
}

impl<'a> Values<'a> {
    /// The value of `name` (exact name first, then case-insensitive): for [`Values::Split`] the
    /// single map's value, else the first of the multi map's; for a list, its first value.
    pub(crate) fn first(self, name: &str) -> Option<&'a str> {
        match self {
            #[cfg(any(feature = "alb", feature = "apigw"))]
            Values::Split(single, multi) => find_single(single, name).or_else(|| {
                find_multi(multi, name)
                    .and_then(|values| values.first())
                    .map(String::as_str)
            }),
            #[cfg(any(feature = "apigw", feature = "function_url", feature = "vpc_lattice"))]
            Values::Single(map) => find_single(map, name),
            #[cfg(feature = "vpc_lattice")]
            Values::Lists(map) => find(map, name).and_then(StringOrList::first),
        }
    }

    /// Every value of `name`: for [`Values::Split`] the multi map's list when it has the name (and
    /// it is not empty), else the single value.
    #[cfg(any(feature = "alb", feature = "apigw", feature = "vpc_lattice"))]
    pub(crate) fn all(self, name: &str) -> Vec<&'a str> {
        match self {
            #[cfg(any(feature = "alb", feature = "apigw"))]
            Values::Split(single, multi) => match find_multi(multi, name) {
                Some(values) if !values.is_empty() => values.iter().map(String::as_str).collect(),
                _ => find_single(single, name).into_iter().collect(),
            },
            #[cfg(any(feature = "apigw", feature = "function_url", feature = "vpc_lattice"))]
            Values::Single(map) => find_single(map, name).into_iter().collect(),
            #[cfg(feature = "vpc_lattice")]
            Values::Lists(map) => find(map, name)
                .map(|values| values.iter().map(String::as_str).collect())
                .unwrap_or_default(),
        }
    }

    /// Every `(name, value)` pair, for building an `http` request: for [`Values::Split`] each value of
    /// the multi map, then the single map's entries whose name the multi map does not have.
    #[cfg(all(feature = "http", any(feature = "alb", feature = "apigw", feature = "function_url")))]
    pub(crate) fn pairs(self) -> Vec<(&'a str, &'a str)> {
        let mut pairs = Vec::new();
        match self {
            #[cfg(any(feature = "alb", feature = "apigw"))]
            Values::Split(single, multi) => {
                for (name, values) in multi {
                    pairs.extend(values.iter().map(|value| (name.as_str(), value.as_str())));
                }
                for (name, value) in single {
                    if find_multi(multi, name).is_none() {
                        pairs.push((name.as_str(), value.as_str()));
                    }
                }
            }
            #[cfg(any(feature = "apigw", feature = "function_url", feature = "vpc_lattice"))]
            Values::Single(map) => pairs.extend(map.iter().map(|(name, value)| (name.as_str(), value.as_str()))),
            #[cfg(feature = "vpc_lattice")]
            Values::Lists(map) => {
                for (name, values) in map {
                    pairs.extend(values.iter().map(|value| (name.as_str(), value.as_str())));
                }
            }
        }
        pairs
    }
}

/// An event or response with a body that may be base64 (`isBase64Encoded`). The types' public
/// `decoded_body` methods call [`HttpBody::decoded_body`].
pub(crate) trait HttpBody {
    /// The body as sent, and whether it is marked base64.
    fn body_parts(&self) -> (Option<&str>, bool);

    /// The body's bytes: base64-decoded when marked so, empty when there is no body.
    fn decoded_body(&self) -> Result<Cow<'_, [u8]>, BodyDecodeError> {
        let (body, is_base64_encoded) = self.body_parts();
        decode_body(body, is_base64_encoded)
    }
}

/// An event or response with headers. The types' public `header` and `header_values` methods call
/// these.
pub(crate) trait HttpHeaders {
    /// Where the headers are.
    fn header_map(&self) -> Values<'_>;

    /// The value of a header, by case-insensitive name ([`Values::first`]).
    fn header(&self, name: &str) -> Option<&str> {
        self.header_map().first(name)
    }

    /// Every value of a header, by case-insensitive name ([`Values::all`]).
    #[cfg(any(feature = "alb", feature = "apigw", feature = "vpc_lattice"))]
    fn header_values(&self, name: &str) -> Vec<&str> {
        self.header_map().all(name)
    }
}

/// A request with query parameters. The types' public `query` and `query_values` methods call these.
pub(crate) trait HttpQuery {
    /// Where the query parameters are.
    fn query_map(&self) -> Values<'_>;

    /// The value of a query parameter: exact name first, then case-insensitive ([`Values::first`]).
    fn query(&self, name: &str) -> Option<&str> {
        self.query_map().first(name)
    }

    /// Every value of a query parameter ([`Values::all`]).
    #[cfg(any(feature = "alb", feature = "apigw", feature = "vpc_lattice"))]
    fn query_values(&self, name: &str) -> Vec<&str> {
        self.query_map().all(name)
    }
}

/// `"200 OK"`, `"404 Not Found"`, ...: the status line text ALB and VPC Lattice expect in
/// `statusDescription`.
#[cfg(any(feature = "alb", feature = "vpc_lattice"))]
pub(crate) fn status_description(status: u16) -> String {
    let reason = match status {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        511 => "Network Authentication Required",
        _ => "",
    };
    if reason.is_empty() {
        status.to_string()
    } else {
        format!("{status} {reason}")
    }
}

/// Whether a body of this content type is text (sent as is) rather than binary (sent as base64).
#[cfg(feature = "http")]
pub(crate) fn is_text_content_type(content_type: &str) -> bool {
    let lower = content_type.to_ascii_lowercase();
    let essence = lower.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
        || matches!(
            essence,
            "application/json"
                | "application/xml"
                | "application/javascript"
                | "application/ecmascript"
                | "application/x-www-form-urlencoded"
                | "application/graphql"
                | "application/x-ndjson"
                | "application/yaml"
                | "application/x-yaml"
        )
        || lower.contains("charset=")
}

/// Content types the response builders set.
pub(crate) const HTML: &str = "text/html";
/// Plain text, UTF-8.
pub(crate) const TEXT: &str = "text/plain; charset=utf-8";
/// JSON.
pub(crate) const JSON: &str = "application/json";

/// Generates `html`, `text`, `json`, `binary` and `with_header` on a response type that has a private
/// `fn from_parts(status: u16, content_type: &str, body: String, is_base64_encoded: bool) -> Self`
/// and a `headers: PresenceMap<String, String>` field.
macro_rules! response_builders {
    ($ty:ident) => {
        impl $ty {
            /// A response with an HTML body and `Content-Type: text/html`.
            pub fn html(status: u16, body: impl Into<String>) -> Self {
                Self::from_parts(status, $crate::http_common::HTML, body.into(), false)
            }

            /// A response with a plain text body and `Content-Type: text/plain; charset=utf-8`.
            pub fn text(status: u16, body: impl Into<String>) -> Self {
                Self::from_parts(status, $crate::http_common::TEXT, body.into(), false)
            }

            /// A response whose body is `value` serialized as JSON, with `Content-Type: application/json`.
            ///
            /// # Errors
            /// When `value` cannot be serialized (a map with non-string keys, a failing `Serialize` impl).
            pub fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Result<Self, serde_json::Error> {
                Ok(Self::from_parts(
                    status,
                    $crate::http_common::JSON,
                    serde_json::to_string(value)?,
                    false,
                ))
            }

            /// A response with a binary body: `bytes` are base64-encoded and `isBase64Encoded` is set.
            pub fn binary(status: u16, content_type: impl AsRef<str>, bytes: impl AsRef<[u8]>) -> Self {
                Self::from_parts(
                    status,
                    content_type.as_ref(),
                    $crate::encoding::encode_base64(bytes.as_ref()),
                    true,
                )
            }

            /// Adds (or replaces) a header in the single-value `headers` map.
            #[must_use]
            pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.headers.insert(name.into(), value.into());
                self
            }
        }
    };
}
pub(crate) use response_builders;

/// The value of cookie `name` in a list of `name=value` cookies (each entry may hold several, `;`-separated).
#[cfg(any(feature = "apigw", feature = "function_url"))]
pub(crate) fn find_cookie<'a>(cookies: &'a [String], name: &str) -> Option<&'a str> {
    cookies
        .iter()
        .flat_map(|c| c.split(';'))
        .map(str::trim)
        .find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then_some(value.trim())
        })
}

#[cfg(any(feature = "apigw", feature = "function_url"))]
pub use self::payload_v2::ApiGatewayV2HttpResponse;

/// The response shape of HTTP APIs (payload format 2.0) and function URLs, shared by the `apigw` and
/// `function_url` modules.
#[cfg(any(feature = "apigw", feature = "function_url"))]
mod payload_v2 {
    use std::borrow::Cow;
    use std::collections::HashMap;

    use serde::{Deserialize, Serialize};

    use super::{HttpBody, HttpHeaders, Values};
    use crate::encoding::{BodyDecodeError, OtherFields, PresenceMap};

    /// The response a Lambda integration returns to an HTTP API (payload format 2.0), and the
    /// response a function returns to its function URL (`function_url::LambdaFunctionUrlResponse`
    /// is this type): both use the same shape.
    ///
    /// Several values of a header are comma-joined in `headers`; `Set-Cookie` values go in `cookies`
    /// (see [`with_cookie`](Self::with_cookie)).
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ApiGatewayV2HttpResponse {
        /// The HTTP status code.
        #[serde(default)]
        pub status_code: u16,
        /// Response headers.
        #[serde(default, skip_serializing_if = "PresenceMap::is_absent")]
        pub headers: PresenceMap<String, String>,
        /// `Set-Cookie` values, one cookie each.
        #[serde(
            default,
            deserialize_with = "crate::encoding::null_as_default",
            skip_serializing_if = "Vec::is_empty"
        )]
        pub cookies: Vec<String>,
        /// The response body.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub body: Option<String>,
        /// Whether `body` is base64 that API Gateway (or Lambda, for a function URL) must decode.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub is_base64_encoded: Option<bool>,
        /// Fields this crate has no typed field for.
        #[serde(flatten)]
        pub other: OtherFields,
    }

    impl HttpBody for ApiGatewayV2HttpResponse {
        fn body_parts(&self) -> (Option<&str>, bool) {
            (self.body.as_deref(), self.is_base64_encoded.unwrap_or(false))
        }
    }

    impl HttpHeaders for ApiGatewayV2HttpResponse {
        fn header_map(&self) -> Values<'_> {
            Values::Single(&self.headers)
        }
    }

    impl ApiGatewayV2HttpResponse {
        fn from_parts(status: u16, content_type: &str, body: String, is_base64_encoded: bool) -> Self {
            ApiGatewayV2HttpResponse {
                status_code: status,
                headers: HashMap::from([(String::from("Content-Type"), content_type.to_owned())]).into(),
                is_base64_encoded: Some(is_base64_encoded),
                body: Some(body),
                ..Default::default()
            }
        }

        /// A response with a status and no body.
        pub fn empty(status: u16) -> Self {
            ApiGatewayV2HttpResponse {
                status_code: status,
                is_base64_encoded: Some(false),
                ..Default::default()
            }
        }

        /// Adds a `Set-Cookie` value, e.g. `session=abc; Secure; HttpOnly`.
        #[must_use]
        pub fn with_cookie(mut self, cookie: impl Into<String>) -> Self {
            self.cookies.push(cookie.into());
            self
        }

        /// The body's bytes: base64-decoded when `isBase64Encoded` is true, empty when there is no body.
        ///
        /// # Errors
        /// When the body is marked base64 but is not valid base64.
        pub fn decoded_body(&self) -> Result<Cow<'_, [u8]>, BodyDecodeError> {
            HttpBody::decoded_body(self)
        }

        /// The value of a header, by case-insensitive name.
        pub fn header(&self, name: &str) -> Option<&str> {
            HttpHeaders::header(self, name)
        }
    }

    super::response_builders!(ApiGatewayV2HttpResponse);

    #[cfg(feature = "http")]
    impl<B: AsRef<[u8]>> From<http::Response<B>> for ApiGatewayV2HttpResponse {
        /// Converts a response: headers with several values comma-joined, `Set-Cookie` values in
        /// `cookies`, and the body as text for textual content types, else base64.
        fn from(response: http::Response<B>) -> Self {
            let parts = super::response_parts(response);
            ApiGatewayV2HttpResponse {
                status_code: parts.status,
                headers: parts.joined_headers.into(),
                cookies: parts.cookies,
                body: parts.body,
                is_base64_encoded: Some(parts.is_base64_encoded),
                other: OtherFields::new(),
            }
        }
    }
}

#[cfg(all(feature = "http", any(feature = "alb", feature = "apigw", feature = "function_url")))]
pub use self::http_request::IntoHttpRequestError;
#[cfg(all(feature = "http", any(feature = "apigw", feature = "function_url")))]
pub(crate) use self::http_request::build_v2_request;
#[cfg(all(feature = "http", any(feature = "alb", feature = "apigw")))]
pub(crate) use self::http_request::{build_query, build_request};

/// Building an `http::Request` from an event.
#[cfg(all(feature = "http", any(feature = "alb", feature = "apigw", feature = "function_url")))]
mod http_request {
    use std::collections::HashMap;
    use std::fmt;

    use super::Values;
    use crate::encoding::BodyDecodeError;

    /// Why an event could not be turned into an `http::Request`.
    #[derive(Debug)]
    #[non_exhaustive]
    pub enum IntoHttpRequestError {
        /// The body is marked base64 but is not valid base64.
        Body(BodyDecodeError),
        /// The method, URI or a header is not valid HTTP.
        Http(http::Error),
    }

    impl fmt::Display for IntoHttpRequestError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                IntoHttpRequestError::Body(e) => write!(f, "cannot decode the request body: {e}"),
                IntoHttpRequestError::Http(e) => write!(f, "the event is not a valid HTTP request: {e}"),
            }
        }
    }

    impl std::error::Error for IntoHttpRequestError {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            match self {
                IntoHttpRequestError::Body(e) => Some(e),
                IntoHttpRequestError::Http(e) => Some(e),
            }
        }
    }

    impl From<BodyDecodeError> for IntoHttpRequestError {
        fn from(e: BodyDecodeError) -> Self {
            IntoHttpRequestError::Body(e)
        }
    }

    impl From<http::Error> for IntoHttpRequestError {
        fn from(e: http::Error) -> Self {
            IntoHttpRequestError::Http(e)
        }
    }

    /// Characters left as they are when building a query string (RFC 3986 unreserved).
    fn is_unreserved(byte: u8) -> bool {
        byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
    }

    /// Percent-encodes a query string key or value.
    pub(crate) fn percent_encode(text: &str, out: &mut String) {
        escape_into(text, out, is_unreserved);
    }

    /// Appends `text` to `out`, writing each byte that `keep` rejects as a `%XX` escape.
    fn escape_into(text: &str, out: &mut String, keep: impl Fn(u8) -> bool) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for &byte in text.as_bytes() {
            if keep(byte) {
                out.push(char::from(byte));
            } else {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0x0f)]));
            }
        }
    }

    /// Builds a query string from decoded parameters (multi-value map preferred, sorted by key for a
    /// stable result). With `encode` false the keys and values are taken as already encoded (ALB passes them raw)
    /// and only bytes a URI cannot hold are escaped.
    pub(crate) fn build_query(
        single: &HashMap<String, String>,
        multi: &HashMap<String, Vec<String>>,
        encode: bool,
    ) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if multi.is_empty() {
            pairs.extend(single.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        } else {
            for (key, values) in multi {
                pairs.extend(values.iter().map(|v| (key.as_str(), v.as_str())));
            }
            for (key, value) in single {
                if !multi.contains_key(key) {
                    pairs.push((key.as_str(), value.as_str()));
                }
            }
        }
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::new();
        for (i, (key, value)) in pairs.into_iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            if encode {
                percent_encode(key, &mut out);
                out.push('=');
                percent_encode(value, &mut out);
            } else {
                encode_lenient(key, &mut out);
                out.push('=');
                encode_lenient(value, &mut out);
            }
        }
        out
    }

    /// Percent-encodes only the bytes a URI query may not contain, keeping existing `%` escapes (for raw
    /// query strings, which are already encoded).
    pub(crate) fn encode_lenient(text: &str, out: &mut String) {
        escape_into(text, out, |byte| is_path_byte(byte) || byte == b'?');
    }

    /// Percent-encodes the characters a URI path may not contain, keeping `/`, `%` and the other
    /// characters RFC 3986 allows in a path as they are.
    pub(crate) fn encode_path(path: &str) -> String {
        let mut out = String::with_capacity(path.len());
        escape_into(path, &mut out, is_path_byte);
        if out.is_empty() {
            out.push('/');
        }
        out
    }

    /// Bytes a URI path may hold as they are: unreserved, sub-delimiters, `:`, `@`, `/`, and `%` (kept so that
    /// existing escapes survive).
    fn is_path_byte(byte: u8) -> bool {
        is_unreserved(byte)
            || matches!(
                byte,
                b'/' | b'%' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b':' | b'@'
            )
    }

    /// Builds a request from an event's parts: the method (`GET` when empty), the path and query,
    /// every header of `headers` ([`Values::pairs`]) and then the `extra` ones (e.g. a `cookie`
    /// header rebuilt from a cookies list), the body, and `extension`. When a `host` header is
    /// present the URI is absolute (scheme from `x-forwarded-proto`, else https).
    pub(crate) fn build_request<E: Clone + Send + Sync + 'static>(
        method: &str,
        path: &str,
        query: &str,
        headers: Values<'_>,
        extra: &[(&str, String)],
        body: Vec<u8>,
        extension: Option<E>,
    ) -> Result<http::Request<Vec<u8>>, IntoHttpRequestError> {
        let mut path_and_query = encode_path(path);
        if !query.is_empty() {
            path_and_query.push('?');
            path_and_query.push_str(query);
        }
        let uri = match headers.first("host") {
            Some(host) if !host.is_empty() => {
                let scheme = headers
                    .first("x-forwarded-proto")
                    .and_then(|p| p.split(',').next())
                    .map(str::trim)
                    .filter(|p| *p == "http" || *p == "https")
                    .unwrap_or("https");
                let absolute = format!("{scheme}://{host}{path_and_query}");
                if absolute.parse::<http::Uri>().is_ok() {
                    absolute
                } else {
                    path_and_query
                }
            }
            _ => path_and_query,
        };
        let method = if method.is_empty() { "GET" } else { method };
        let mut builder = http::Request::builder().method(method).uri(uri);
        for (name, value) in headers.pairs() {
            builder = builder.header(name, value);
        }
        for (name, value) in extra {
            builder = builder.header(*name, value.as_str());
        }
        if let Some(extension) = extension {
            builder = builder.extension(extension);
        }
        Ok(builder.body(body)?)
    }

    /// The parts of a payload format 2.0 request (HTTP API or function URL) that
    /// [`build_v2_request`] reads.
    #[cfg(any(feature = "apigw", feature = "function_url"))]
    pub(crate) struct V2Request<'a> {
        /// `requestContext.http.method`.
        pub method: &'a str,
        /// `rawPath`.
        pub raw_path: Option<&'a str>,
        /// `requestContext.http.path`, used when there is no `rawPath`.
        pub context_path: Option<&'a str>,
        /// `rawQueryString`.
        pub raw_query_string: Option<&'a str>,
        /// `queryStringParameters`, used when there is no `rawQueryString`.
        pub query_string_parameters: &'a HashMap<String, String>,
        /// `cookies`.
        pub cookies: &'a [String],
        /// `headers`.
        pub headers: &'a HashMap<String, String>,
    }

    /// Builds an `http::Request` from a payload format 2.0 request: `rawPath` (else the context's
    /// path, else `/`), `rawQueryString` (else the query re-encoded from the decoded parameters), the
    /// headers, a `cookie` header rebuilt from `cookies`, the body and `extension`.
    #[cfg(any(feature = "apigw", feature = "function_url"))]
    pub(crate) fn build_v2_request<E: Clone + Send + Sync + 'static>(
        request: V2Request<'_>,
        body: Vec<u8>,
        extension: E,
    ) -> Result<http::Request<Vec<u8>>, IntoHttpRequestError> {
        let path = request.raw_path.or(request.context_path).unwrap_or("/");
        let query = match request.raw_query_string {
            Some(raw) => {
                let mut out = String::new();
                encode_lenient(raw, &mut out);
                out
            }
            None => build_query(request.query_string_parameters, &HashMap::new(), true),
        };
        let extra: Vec<(&str, String)> = if request.cookies.is_empty() {
            Vec::new()
        } else {
            vec![("cookie", request.cookies.join("; "))]
        };
        build_request(
            request.method,
            path,
            &query,
            Values::Single(request.headers),
            &extra,
            body,
            Some(extension),
        )
    }
}

#[cfg(all(feature = "http", any(feature = "apigw", feature = "function_url")))]
pub(crate) use self::http_request::V2Request;

#[cfg(feature = "http")]
pub(crate) use self::http_response::response_parts;

/// Taking an `http::Response` apart into the fields of a Lambda response.
#[cfg(feature = "http")]
mod http_response {
    use std::collections::HashMap;

    use crate::encoding::encode_base64;

    /// An `http::Response` taken apart the way Lambda responses carry it. Each response type reads the
    /// header shapes it has: ALB and REST responses `headers` and `multi_value_headers`, the others
    /// `joined_headers` and `cookies`.
    pub(crate) struct ResponseParts {
        /// The status code.
        pub status: u16,
        /// Each header with its last value.
        #[cfg(any(feature = "alb", feature = "apigw"))]
        pub headers: HashMap<String, String>,
        /// Each header with every value.
        #[cfg(any(feature = "alb", feature = "apigw"))]
        pub multi_value_headers: HashMap<String, Vec<String>>,
        /// Each header with its values joined by `, ` (`set-cookie` excluded).
        #[cfg(any(feature = "apigw", feature = "function_url", feature = "vpc_lattice"))]
        pub joined_headers: HashMap<String, String>,
        /// The `set-cookie` values.
        #[cfg(any(feature = "apigw", feature = "function_url", feature = "vpc_lattice"))]
        pub cookies: Vec<String>,
        /// The body as text or base64.
        pub body: Option<String>,
        /// Whether `body` is base64.
        pub is_base64_encoded: bool,
    }

    /// Splits a response into status, headers and a text or base64 body. The body is text when the
    /// content type is textual (or absent) and the bytes are UTF-8, and there is no `content-encoding`.
    pub(crate) fn response_parts<B: AsRef<[u8]>>(response: http::Response<B>) -> ResponseParts {
        let (parts, body) = response.into_parts();
        let mut multi_value_headers: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in &parts.headers {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            multi_value_headers
                .entry(name.as_str().to_owned())
                .or_default()
                .push(value);
        }
        let bytes = body.as_ref();
        let content_type = parts
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let encoded = parts.headers.contains_key(http::header::CONTENT_ENCODING);
        let textual = !encoded && content_type.is_none_or(super::is_text_content_type);
        let (body, is_base64_encoded) = if bytes.is_empty() {
            (None, false)
        } else {
            match std::str::from_utf8(bytes) {
                Ok(text) if textual => (Some(text.to_owned()), false),
                _ => (Some(encode_base64(bytes)), true),
            }
        };
        ResponseParts {
            status: parts.status.as_u16(),
            #[cfg(any(feature = "alb", feature = "apigw"))]
            headers: multi_value_headers
                .iter()
                .filter_map(|(k, v)| v.last().map(|last| (k.clone(), last.clone())))
                .collect(),
            #[cfg(any(feature = "apigw", feature = "function_url", feature = "vpc_lattice"))]
            joined_headers: multi_value_headers
                .iter()
                .filter(|(k, _)| k.as_str() != "set-cookie")
                .map(|(k, v)| (k.clone(), v.join(", ")))
                .collect(),
            #[cfg(any(feature = "apigw", feature = "function_url", feature = "vpc_lattice"))]
            cookies: multi_value_headers.get("set-cookie").cloned().unwrap_or_default(),
            #[cfg(any(feature = "alb", feature = "apigw"))]
            multi_value_headers,
            body,
            is_base64_encoded,
        }
    }
}
