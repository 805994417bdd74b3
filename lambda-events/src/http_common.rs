//! Helpers shared by the HTTP-shaped event modules (ALB, API Gateway, Function URLs, VPC Lattice).
//!
//! Compiled when any of their features is on; not every item is used by every feature, hence the
//! `allow`s for builds with a single feature.
#![allow(dead_code, unused_macros, unused_imports)]

use std::collections::HashMap;

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
pub(crate) fn find_multi<'a>(map: &'a HashMap<String, Vec<String>>, name: &str) -> Option<&'a [String]> {
    find(map, name).map(Vec::as_slice)
}

/// The value of `name` from the single-value map, else the first value from the multi-value map.
pub(crate) fn lookup<'a>(
    single: &'a HashMap<String, String>,
    multi: &'a HashMap<String, Vec<String>>,
    name: &str,
) -> Option<&'a str> {
    find_single(single, name).or_else(|| {
        find_multi(multi, name)
            .and_then(|values| values.first())
            .map(String::as_str)
    })
}

/// Every value of `name`: the multi-value map's list when it has the name, else the single value.
pub(crate) fn lookup_all<'a>(
    single: &'a HashMap<String, String>,
    multi: &'a HashMap<String, Vec<String>>,
    name: &str,
) -> Vec<&'a str> {
    match find_multi(multi, name) {
        Some(values) if !values.is_empty() => values.iter().map(String::as_str).collect(),
        _ => find_single(single, name).into_iter().collect(),
    }
}

/// `"200 OK"`, `"404 Not Found"`, ...: the status line text ALB expects in `statusDescription`.
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
/// and a `headers: HashMap<String, String>` field.
macro_rules! response_builders {
    ($ty:ident) => {
        impl $ty {
            /// A response with an HTML body and `Content-Type: text/html`.
            pub fn html(status: u16, body: impl Into<String>) -> Self {
                Self::from_parts(status, http_common::HTML, body.into(), false)
            }

            /// A response with a plain text body and `Content-Type: text/plain; charset=utf-8`.
            pub fn text(status: u16, body: impl Into<String>) -> Self {
                Self::from_parts(status, http_common::TEXT, body.into(), false)
            }

            /// A response whose body is `value` serialized as JSON, with `Content-Type: application/json`.
            ///
            /// # Errors
            /// When `value` cannot be serialized (a map with non-string keys, a failing `Serialize` impl).
            pub fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Result<Self, serde_json::Error> {
                Ok(Self::from_parts(
                    status,
                    http_common::JSON,
                    serde_json::to_string(value)?,
                    false,
                ))
            }

            /// A response with a binary body: `bytes` are base64-encoded and `isBase64Encoded` is set.
            pub fn binary(status: u16, content_type: impl AsRef<str>, bytes: impl AsRef<[u8]>) -> Self {
                Self::from_parts(
                    status,
                    content_type.as_ref(),
                    crate::encoding::encode_base64(bytes.as_ref()),
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

#[cfg(feature = "http")]
pub use self::http_support::IntoHttpRequestError;
#[cfg(feature = "http")]
pub(crate) use self::http_support::{ResponseParts, build_request, response_parts};

#[cfg(feature = "http")]
mod http_support {
    use std::collections::HashMap;
    use std::fmt;

    use crate::encoding::{BodyDecodeError, encode_base64};

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

    /// Builds a request from an event's parts. Headers from `multi` win over `single` for the same
    /// name; `extra` headers (e.g. a `cookie` header rebuilt from a cookies list) are appended. When a
    /// `host` header is present the URI is absolute (scheme from `x-forwarded-proto`, else https).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn build_request<E: Clone + Send + Sync + 'static>(
        method: &str,
        path: &str,
        query: &str,
        single: &HashMap<String, String>,
        multi: &HashMap<String, Vec<String>>,
        extra: &[(&str, String)],
        body: Vec<u8>,
        extension: Option<E>,
    ) -> Result<http::Request<Vec<u8>>, IntoHttpRequestError> {
        let mut path_and_query = super::encode_path(path);
        if !query.is_empty() {
            path_and_query.push('?');
            path_and_query.push_str(query);
        }
        let host = super::lookup(single, multi, "host");
        let uri = match host {
            Some(host) if !host.is_empty() => {
                let scheme = super::lookup(single, multi, "x-forwarded-proto")
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
        for (name, values) in multi {
            for value in values {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        for (name, value) in single {
            if super::find_multi(multi, name).is_none() {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        for (name, value) in extra {
            builder = builder.header(*name, value.as_str());
        }
        if let Some(extension) = extension {
            builder = builder.extension(extension);
        }
        Ok(builder.body(body)?)
    }

    /// An `http::Response` taken apart the way Lambda responses carry it.
    pub(crate) struct ResponseParts {
        /// The status code.
        pub status: u16,
        /// Each header with its last value.
        pub headers: HashMap<String, String>,
        /// Each header with every value.
        pub multi_value_headers: HashMap<String, Vec<String>>,
        /// Each header with its values joined by `, ` (`set-cookie` excluded).
        pub joined_headers: HashMap<String, String>,
        /// The `set-cookie` values.
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
        let headers = multi_value_headers
            .iter()
            .filter_map(|(k, v)| v.last().map(|last| (k.clone(), last.clone())))
            .collect();
        let joined_headers = multi_value_headers
            .iter()
            .filter(|(k, _)| k.as_str() != "set-cookie")
            .map(|(k, v)| (k.clone(), v.join(", ")))
            .collect();
        let cookies = multi_value_headers.get("set-cookie").cloned().unwrap_or_default();
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
            headers,
            multi_value_headers,
            joined_headers,
            cookies,
            body,
            is_base64_encoded,
        }
    }
}

/// The value of cookie `name` in a list of `name=value` cookies (each entry may hold several, `;`-separated).
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
