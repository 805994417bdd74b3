//! Any HTTP event -> one [`Request`]: the source told apart by the event's shape, in one pass over the
//! JSON that borrows from it.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Body, Request};
use crate::error::{Error, kind};
use crate::extract::RawEvent;

/// The event source an HTTP request came from, told apart by the shape of the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// API Gateway REST API, or an HTTP API with payload format 1.0 (`httpMethod`, `multiValueHeaders`).
    ApiGatewayRest,
    /// API Gateway HTTP API, payload format 2.0 (`rawPath`, `cookies`).
    ApiGatewayHttp,
    /// An Application Load Balancer target group (`requestContext.elb`).
    Alb,
    /// A Lambda function URL (payload 2.0 on a `*.lambda-url.*` domain).
    FunctionUrl,
    /// VPC Lattice, event version 1 (`raw_path`, snake_case keys).
    VpcLatticeV1,
    /// VPC Lattice, event version 2 (`"version": "2.0"`, `method`, header values as lists).
    VpcLatticeV2,
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 6] = [
        Source::ApiGatewayRest,
        Source::ApiGatewayHttp,
        Source::Alb,
        Source::FunctionUrl,
        Source::VpcLatticeV1,
        Source::VpcLatticeV2,
    ];

    /// A short name, as in logs: `apigw-rest`, `apigw-http`, `alb`, `function-url`, `lattice-v1`, `lattice-v2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::ApiGatewayRest => "apigw-rest",
            Source::ApiGatewayHttp => "apigw-http",
            Source::Alb => "alb",
            Source::FunctionUrl => "function-url",
            Source::VpcLatticeV1 => "lattice-v1",
            Source::VpcLatticeV2 => "lattice-v2",
        }
    }
}

/// A name that is not one of [`Source::as_str`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSource(String);

impl fmt::Display for UnknownSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an HTTP source; the sources are {}",
            self.0,
            Source::ALL.map(Source::as_str).join(", ")
        )
    }
}

impl std::error::Error for UnknownSource {}

impl std::str::FromStr for Source {
    type Err = UnknownSource;

    /// The source named as [`Source::as_str`] names it.
    fn from_str(name: &str) -> Result<Self, UnknownSource> {
        Source::ALL
            .into_iter()
            .find(|source| source.as_str() == name)
            .ok_or_else(|| UnknownSource(name.to_owned()))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a [`Request`] came from: the source, its stage, the path as the event gave it, and the raw
/// event, for what the request does not carry (the request context, API Gateway's path parameters,
/// stage variables, the authorizer's claims). In every request's extensions, and an extractor:
///
/// ```
/// use lambda_fn::http::{HttpEvent, Source};
///
/// #[lambda_fn::handler("whoami.api", route = "GET /whoami")]
/// async fn whoami(event: HttpEvent) -> String {
///     let context: serde_json::Value = event.request_context().unwrap_or_default();
///     match event.source() {
///         Source::Alb => "behind a load balancer".to_owned(),
///         source => format!("{source}, account {}", context["accountId"]),
///     }
/// }
/// # fn main() {}
/// ```
#[derive(Clone)]
pub struct HttpEvent {
    source: Source,
    multi_value: bool,
    stage: Option<String>,
    event_path: String,
    raw: RawEvent,
}

impl HttpEvent {
    /// The event source.
    pub fn source(&self) -> Source {
        self.source
    }

    /// The API Gateway stage (`requestContext.stage`), for REST and HTTP APIs and function URLs
    /// (`$default`).
    pub fn stage(&self) -> Option<&str> {
        self.stage.as_deref()
    }

    /// The path as the event gave it, before the stage and the base path were taken off.
    pub fn event_path(&self) -> &str {
        &self.event_path
    }

    /// Whether the request came with `multiValueHeaders` (a REST API, or an ALB target group with
    /// multi-value headers on): the answer then uses them too.
    pub fn multi_value_headers(&self) -> bool {
        self.multi_value
    }

    /// The event exactly as Lambda sent it.
    pub fn raw(&self) -> &RawEvent {
        &self.raw
    }

    /// The whole event decoded as `T`, e.g. a `lambda-fn-events` type or `serde_json::Value`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.raw).map_err(|e| {
            Error::new(
                kind::UNMARSHAL,
                format!(
                    "could not decode the HTTP event as `{}`: {e}",
                    std::any::type_name::<T>()
                ),
            )
        })
    }

    /// The path parameters API Gateway matched (`pathParameters`: `{"proxy": "todos/1"}` under a
    /// `/{proxy+}` resource), empty when the event has none. The route's own parameters are
    /// [`Path`](super::Path)'s.
    pub fn path_parameters(&self) -> std::collections::HashMap<String, String> {
        #[derive(Deserialize)]
        struct Outer {
            #[serde(rename = "pathParameters", default)]
            path_parameters: Option<std::collections::HashMap<String, String>>,
        }
        self.decode::<Outer>()
            .ok()
            .and_then(|outer| outer.path_parameters)
            .unwrap_or_default()
    }

    /// The event's `requestContext` decoded as `T` (`serde_json::Value`, or a type of yours with the
    /// fields you need).
    pub fn request_context<T: DeserializeOwned>(&self) -> Result<T, Error> {
        #[derive(Deserialize)]
        struct Outer<T> {
            #[serde(rename = "requestContext")]
            request_context: T,
        }
        self.decode::<Outer<T>>().map(|outer| outer.request_context)
    }
}

impl fmt::Debug for HttpEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpEvent")
            .field("source", &self.source)
            .field("stage", &self.stage)
            .field("event_path", &self.event_path)
            .field("multi_value_headers", &self.multi_value)
            .finish_non_exhaustive()
    }
}

/// Decodes an HTTP event into a request whose path is relative to the API: the stage of an HTTP API's
/// named stage and `base_path` (a custom domain's API mapping) are taken off.
pub(crate) fn decode(event: Bytes, base_path: Option<&str>) -> Result<Request, Error> {
    let text = std::str::from_utf8(&event)
        .map_err(|e| Error::new(kind::UNMARSHAL, format!("the HTTP event is not UTF-8: {e}")))?;
    let wire: Wire<'_> = serde_json::from_str(text).map_err(|e| {
        Error::new(
            kind::UNMARSHAL,
            format!("could not decode the event as an HTTP request: {e}"),
        )
    })?;
    let source = wire.source().ok_or_else(|| {
        Error::new(
            kind::UNMARSHAL,
            "the event is not an HTTP request from API Gateway, an Application Load Balancer, a function URL or \
             VPC Lattice (it has neither `httpMethod`, `requestContext.http`, `requestContext.elb` nor a VPC \
             Lattice `method`)",
        )
    })?;
    let method = wire
        .http_method
        .as_ref()
        .or(wire.context.as_ref().and_then(|c| c.http.as_ref()).map(|h| &h.method))
        .or(wire.method.as_ref())
        .ok_or_else(|| Error::new(kind::UNMARSHAL, format!("the {source} event has no HTTP method")))?;
    let method = Method::from_bytes(method.0.as_bytes())
        .map_err(|_| Error::new(kind::UNMARSHAL, format!("`{}` is not an HTTP method", method.0)))?;

    let stage = wire
        .context
        .as_ref()
        .and_then(|c| c.stage.as_ref())
        .map(|s| s.0.as_ref());
    let full = match source {
        Source::ApiGatewayHttp | Source::FunctionUrl => wire.raw_path.as_ref(),
        Source::VpcLatticeV1 => wire.lattice_path.as_ref(),
        _ => wire.path.as_ref(),
    }
    .map_or("/", |p| p.0.as_ref());
    // VPC Lattice v1 gives the query inside `raw_path`; other sources' paths hold no query (a `?` in them
    // is the client's, decoded).
    let (event_path, inline_query) = match full.split_once('?') {
        Some((path, query)) if source == Source::VpcLatticeV1 => (path, Some(query)),
        _ => (full, None),
    };
    let mut path = event_path;
    if source == Source::ApiGatewayHttp
        && let Some(stage) = stage.filter(|s| *s != "$default")
    {
        path = strip_prefix_segment(path, stage);
    }
    if let Some(base) = base_path {
        path = strip_prefix_segment(path, base.trim_matches('/'));
    }

    let mut uri = String::with_capacity(path.len() + 16);
    uri.extend(utf8_percent_encode(if path.is_empty() { "/" } else { path }, PATH));
    let query_start = uri.len() + 1;
    uri.push('?');
    if let Some(raw) = wire.raw_query.as_ref().map(|q| q.0.as_ref()).or(inline_query) {
        // As sent, but with what a URI cannot hold (spaces, `<`, non-ASCII) encoded.
        uri.extend(utf8_percent_encode(raw, QUERY));
    } else {
        let (pairs, encoded) = match source {
            Source::VpcLatticeV1 => (wire.lattice_query.as_ref(), false),
            // ALB passes the query as the client sent it; API Gateway and Lattice v2 decode it.
            Source::Alb => (wire.multi_query.as_ref().or(wire.query.as_ref()), true),
            _ => (wire.multi_query.as_ref().or(wire.query.as_ref()), false),
        };
        if let Some(pairs) = pairs {
            append_query(&mut uri, query_start, pairs, encoded);
        }
    }
    if uri.len() == query_start {
        uri.pop();
    }

    let (header_pairs, multi_value) = match (&wire.multi_headers, &wire.headers) {
        (Some(multi), _) => (Some(multi), true),
        (None, headers) => (headers.as_ref(), false),
    };
    let mut headers = HeaderMap::with_capacity(header_pairs.map_or(0, |p| p.0.len()) + 1);
    for (name, value) in header_pairs.into_iter().flat_map(|p| p.0.iter()) {
        // A name or value no HTTP client can send is left out rather than failing the request.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            headers.append(name, value);
        }
    }
    if let Some(cookies) = wire.cookies.as_ref().filter(|c| !c.is_empty()) {
        let joined = cookies.iter().map(|c| c.0.as_ref()).collect::<Vec<_>>().join("; ");
        if let Ok(value) = HeaderValue::from_bytes(joined.as_bytes()) {
            headers.append(http::header::COOKIE, value);
        }
    }

    let body = match &wire.body {
        None => Bytes::new(),
        Some(body) if wire.base64.unwrap_or(false) => {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(body.0.as_bytes())
                .map(Bytes::from)
                .map_err(|e| {
                    Error::new(
                        kind::UNMARSHAL,
                        format!("the {source} event says its body is base64, but it is not: {e}"),
                    )
                })?
        }
        Some(Text(Cow::Borrowed(body))) => event.slice_ref(body.as_bytes()),
        Some(Text(Cow::Owned(body))) => Bytes::from(body.clone()),
    };

    let info = HttpEvent {
        source,
        multi_value,
        stage: stage.map(str::to_owned),
        event_path: event_path.to_owned(),
        raw: RawEvent(Bytes::new()),
    };
    let mut request = http::Request::new(Body(body));
    *request.method_mut() = method;
    *request.uri_mut() = uri.parse().map_err(|e| {
        Error::new(
            kind::UNMARSHAL,
            format!("the request path `{full}` is not a URI path: {e}"),
        )
    })?;
    *request.headers_mut() = headers;
    drop(wire);
    request.extensions_mut().insert(HttpEvent {
        raw: RawEvent(event),
        ..info
    });
    Ok(request)
}

/// Characters a URI path cannot hold as they are (percent-encoded in the routed path). `%` is kept: a
/// path from the event is already encoded where it needed to be.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Characters a query string as the client sent it may hold that a URI cannot: encoded (`%`, `&`, `=`, `+`
/// are kept, they are the query's own).
const QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// `path` without a leading `/{segment}` (the whole segment, or segments of a multi-segment base path).
fn strip_prefix_segment<'a>(path: &'a str, segment: &str) -> &'a str {
    if segment.is_empty() {
        return path;
    }
    match path.strip_prefix('/').and_then(|rest| rest.strip_prefix(segment)) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

/// Appends query pairs to `uri` (whose query starts at `start`), form-encoding them unless the source
/// gave them encoded.
fn append_query(uri: &mut String, start: usize, pairs: &Pairs<'_>, encoded: bool) {
    for (name, value) in &pairs.0 {
        if uri.len() > start {
            uri.push('&');
        }
        if encoded {
            uri.extend(utf8_percent_encode(name, QUERY));
            uri.push('=');
            uri.extend(utf8_percent_encode(value, QUERY));
        } else {
            uri.extend(form_urlencoded::byte_serialize(name.as_bytes()));
            uri.push('=');
            uri.extend(form_urlencoded::byte_serialize(value.as_bytes()));
        }
    }
}

/// The keys of every HTTP event shape, borrowed from the event where serde_json can.
#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(default, borrow)]
    version: Option<Text<'a>>,
    #[serde(rename = "httpMethod", default, borrow)]
    http_method: Option<Text<'a>>,
    #[serde(default, borrow)]
    method: Option<Text<'a>>,
    #[serde(default, borrow)]
    path: Option<Text<'a>>,
    #[serde(rename = "rawPath", default, borrow)]
    raw_path: Option<Text<'a>>,
    #[serde(rename = "raw_path", default, borrow)]
    lattice_path: Option<Text<'a>>,
    #[serde(rename = "rawQueryString", default, borrow)]
    raw_query: Option<Text<'a>>,
    #[serde(default, borrow)]
    headers: Option<Pairs<'a>>,
    #[serde(rename = "multiValueHeaders", default, borrow)]
    multi_headers: Option<Pairs<'a>>,
    #[serde(rename = "queryStringParameters", default, borrow)]
    query: Option<Pairs<'a>>,
    #[serde(rename = "multiValueQueryStringParameters", default, borrow)]
    multi_query: Option<Pairs<'a>>,
    #[serde(rename = "query_string_parameters", default, borrow)]
    lattice_query: Option<Pairs<'a>>,
    #[serde(default, borrow)]
    cookies: Option<Vec<Text<'a>>>,
    #[serde(default, borrow)]
    body: Option<Text<'a>>,
    #[serde(rename = "isBase64Encoded", alias = "is_base64_encoded", default)]
    base64: Option<bool>,
    #[serde(rename = "requestContext", default, borrow)]
    context: Option<WireContext<'a>>,
}

impl Wire<'_> {
    fn source(&self) -> Option<Source> {
        let context = self.context.as_ref();
        if context.is_some_and(|c| c.elb.is_some()) {
            return Some(Source::Alb);
        }
        if let Some(context) = context
            && context.http.is_some()
        {
            let url = context
                .domain_name
                .as_ref()
                .is_some_and(|d| d.0.contains(".lambda-url."));
            return Some(if url {
                Source::FunctionUrl
            } else {
                Source::ApiGatewayHttp
            });
        }
        if self.http_method.is_some() {
            return Some(Source::ApiGatewayRest);
        }
        if self.method.is_some() {
            if self.version.as_ref().is_some_and(|v| v.0.starts_with('2')) {
                return Some(Source::VpcLatticeV2);
            }
            if self.lattice_path.is_some() {
                return Some(Source::VpcLatticeV1);
            }
        }
        None
    }
}

#[derive(Deserialize)]
struct WireContext<'a> {
    #[serde(default, borrow)]
    stage: Option<Text<'a>>,
    #[serde(rename = "domainName", default, borrow)]
    domain_name: Option<Text<'a>>,
    #[serde(default, borrow)]
    http: Option<WireHttp<'a>>,
    #[serde(default)]
    elb: Option<de::IgnoredAny>,
}

#[derive(Deserialize)]
struct WireHttp<'a> {
    #[serde(borrow)]
    method: Text<'a>,
}

/// A string, borrowed from the event unless it had escapes.
pub(crate) struct Text<'a>(pub(crate) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v)))
    }
}

/// A map of names to a string or a list of strings (`headers`, `multiValueHeaders`, the query
/// parameters of every source), flattened to pairs in order; `null` values are left out.
pub(crate) struct Pairs<'a>(pub(crate) Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'de: 'a, 'a> Deserialize<'de> for Pairs<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PairsVisitor)
    }
}

struct PairsVisitor;

impl<'de> Visitor<'de> for PairsVisitor {
    type Value = Pairs<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of names to strings or lists of strings")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(Text(name)) = map.next_key::<Text<'de>>()? {
            map.next_value_seed(Values { name, out: &mut pairs })?;
        }
        Ok(Pairs(pairs))
    }
}

/// One map value: a string, a list of strings, or `null`, pushed as pairs under `name`.
struct Values<'a, 'de> {
    name: Cow<'de, str>,
    out: &'a mut Vec<(Cow<'de, str>, Cow<'de, str>)>,
}

impl<'de> DeserializeSeed<'de> for Values<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Values<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a list of strings, or null")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.out.push((self.name, Cow::Borrowed(v)));
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.out.push((self.name, Cow::Owned(v.to_owned())));
        Ok(())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.out.push((self.name, Cow::Owned(v)));
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Option<Text<'de>>>()? {
            if let Some(Text(value)) = value {
                self.out.push((self.name.clone(), value));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(event: &str) -> Request {
        decode(Bytes::from(event.to_owned()), None).unwrap_or_else(|e| panic!("{e}"))
    }

    fn info(request: &Request) -> &HttpEvent {
        request.extensions().get::<HttpEvent>().unwrap()
    }

    #[test]
    fn strips_whole_segments_only() {
        assert_eq!(strip_prefix_segment("/prod/todos", "prod"), "/todos");
        assert_eq!(strip_prefix_segment("/prod", "prod"), "/");
        assert_eq!(strip_prefix_segment("/production/todos", "prod"), "/production/todos");
        assert_eq!(strip_prefix_segment("/v1/api/x", "v1/api"), "/x");
        assert_eq!(strip_prefix_segment("/todos", ""), "/todos");
    }

    #[test]
    fn http_api_named_stage_is_taken_off_and_cookies_become_a_header() {
        let req = request(
            r#"{"version":"2.0","rawPath":"/prod/todos/1","rawQueryString":"a=1&b=x%20y","cookies":["s=1","t=2"],
                "headers":{"accept":"application/json"},"requestContext":{"stage":"prod","domainName":"id.execute-api.us-east-1.amazonaws.com",
                "http":{"method":"GET","path":"/prod/todos/1"}},"isBase64Encoded":false}"#,
        );
        assert_eq!(req.uri(), "/todos/1?a=1&b=x%20y");
        assert_eq!(req.headers()["cookie"], "s=1; t=2");
        assert_eq!(info(&req).source(), Source::ApiGatewayHttp);
        assert_eq!(info(&req).event_path(), "/prod/todos/1");
        assert_eq!(info(&req).stage(), Some("prod"));
    }

    #[test]
    fn rest_queries_are_encoded_again_and_alb_queries_kept_as_sent() {
        let rest = request(
            r#"{"httpMethod":"POST","path":"/a b","multiValueQueryStringParameters":{"q":["x y","&"]},
                "queryStringParameters":{"q":"&"},"multiValueHeaders":{"X-A":["1","2"]},"headers":{"X-A":"2"},
                "body":"aGk=","isBase64Encoded":true,"requestContext":{"stage":"prod"}}"#,
        );
        assert_eq!(rest.method(), Method::POST);
        assert_eq!(rest.uri(), "/a%20b?q=x+y&q=%26");
        assert_eq!(rest.headers().get_all("x-a").iter().collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(rest.body().as_bytes(), b"hi");
        let alb = request(
            r#"{"httpMethod":"GET","path":"/x","queryStringParameters":{"q":"x%20y"},"headers":{"h":"v"},
                "requestContext":{"elb":{"targetGroupArn":"arn"}},"body":"","isBase64Encoded":false}"#,
        );
        assert_eq!(alb.uri(), "/x?q=x%20y");
        assert_eq!(info(&alb).source(), Source::Alb);
        assert!(!info(&alb).multi_value_headers());
    }

    #[test]
    fn lattice_shapes_are_recognised() {
        let v1 = request(
            r#"{"raw_path":"/health?deep=1","method":"GET","headers":{"a":"b"},"body":"","is_base64_encoded":false}"#,
        );
        assert_eq!(info(&v1).source(), Source::VpcLatticeV1);
        assert_eq!(v1.uri(), "/health?deep=1");
        let v2 = request(
            r#"{"version":"2.0","path":"/h","method":"PUT","headers":{"a":["b","c"]},"queryStringParameters":{"k":["1","2"]},
                "body":"e30=","isBase64Encoded":true,"requestContext":{"serviceNetworkArn":"arn"}}"#,
        );
        assert_eq!(info(&v2).source(), Source::VpcLatticeV2);
        assert_eq!(v2.uri(), "/h?k=1&k=2");
        assert_eq!(v2.headers().get_all("a").iter().count(), 2);
        assert_eq!(v2.body().as_bytes(), b"{}");
    }

    #[test]
    fn what_is_not_an_http_event_says_so() {
        let err = decode(Bytes::from_static(br#"{"Records":[]}"#), None).unwrap_err();
        assert_eq!(err.error_type(), "Runtime.UnmarshalError");
        assert!(err.message().contains("not an HTTP request"), "{}", err.message());
        let err = decode(
            Bytes::from_static(br#"{"httpMethod":"GET","body":"!","isBase64Encoded":true}"#),
            None,
        )
        .unwrap_err();
        assert!(err.message().contains("base64"), "{}", err.message());
    }

    #[test]
    fn odd_paths_queries_and_header_values_survive() {
        // A REST path is decoded: its `?` is the client's, and the query still comes from the parameters.
        let rest = request(
            r#"{"httpMethod":"GET","path":"/files/what?","multiValueQueryStringParameters":{"q":["1"]},
                "multiValueHeaders":{"x-name":["Jos\u00e9"]},"requestContext":{}}"#,
        );
        assert_eq!(rest.uri(), "/files/what%3F?q=1");
        assert_eq!(rest.headers()["x-name"].as_bytes(), "José".as_bytes());
        // A raw query with what a URI cannot hold is encoded, not refused.
        let v2 = request(
            r#"{"version":"2.0","rawPath":"/s","rawQueryString":"q=<a b>&r=%41","requestContext":{"http":{"method":"GET"}}}"#,
        );
        assert_eq!(v2.uri(), "/s?q=%3Ca%20b%3E&r=%41");
    }

    #[test]
    fn base_path_is_taken_off_after_the_stage() {
        let event = r#"{"version":"2.0","rawPath":"/v1/todos","rawQueryString":"","requestContext":{"stage":"$default","http":{"method":"GET"}}}"#;
        let req = decode(Bytes::from(event), Some("/v1/")).unwrap();
        assert_eq!(req.uri(), "/todos");
        let req = decode(Bytes::from(event), Some("/v2")).unwrap();
        assert_eq!(req.uri(), "/v1/todos");
    }
}
