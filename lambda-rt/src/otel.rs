//! OpenTelemetry traces that reach a collector (feature `otel`).
//!
//! The invocation span (named after the handler, kind server, with the FaaS semantic-convention fields)
//! becomes an OpenTelemetry span through the user's `tracing-opentelemetry` layer. With this feature the
//! runtime also:
//!
//! - gives it its parent: the event's W3C `traceparent` header when it is an HTTP event that carries one
//!   (the caller's trace), else Lambda's X-Ray trace header (`Lambda-Runtime-Trace-Id`, with its
//!   `Sampled` flag);
//! - sets `faas.trigger` from the event's shape (`http`, `pubsub` for SQS, SNS and Kafka, `datasource` for
//!   S3, DynamoDB and Kinesis, `timer` for a scheduled EventBridge event, else `other`) and the `cloud.*`
//!   and `faas.*` attributes of the function;
//! - ends the span when the handler returns and calls the flush registered with [`flush_with`] before the
//!   answer is posted, waiting at most [`FLUSH_TIMEOUT`]: Lambda may freeze the environment as soon as
//!   the answer is in, and spans batched in an exporter would then arrive minutes later, or never.
//!
//! ```no_run
//! # #[derive(Clone)] struct Provider;
//! # impl Provider { fn force_flush(&self) -> Result<(), String> { Ok(()) } }
//! # let provider = Provider;
//! // `provider` is the OpenTelemetry SDK's `SdkTracerProvider` the tracing layer exports through.
//! let flushed = provider.clone();
//! lambda_fn::otel::flush_with(move || flushed.force_flush());
//! lambda_fn::run();
//! ```
//!
//! A streamed response's body is produced after the handler returned: spans it opens are flushed with the
//! next invocation's.

use std::borrow::Cow;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use opentelemetry::trace::{SpanContext, SpanId, TraceContextExt as _, TraceFlags, TraceId, TraceState};
use serde::Deserialize;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

use crate::context::Context;

/// The longest the runtime waits for the flush after an invocation before it posts the answer anyway.
pub const FLUSH_TIMEOUT: Duration = Duration::from_secs(1);

type Flush = Arc<dyn Fn() -> Result<(), String> + Send + Sync>;

/// The flush [`flush_with`] registered.
static FLUSH: RwLock<Option<Flush>> = RwLock::new(None);

/// Registers what flushes the spans after each invocation, before its answer is posted: usually the
/// tracer provider's `force_flush`. It runs on a blocking thread (an SDK's flush blocks), at most
/// [`FLUSH_TIMEOUT`]; an error or a timeout is logged and the answer posted all the same. A second call
/// replaces the first.
pub fn flush_with<F, E>(flush: F)
where
    F: Fn() -> Result<(), E> + Send + Sync + 'static,
    E: std::fmt::Display,
{
    let flush: Flush = Arc::new(move || flush().map_err(|e| e.to_string()));
    *FLUSH.write().unwrap_or_else(PoisonError::into_inner) = Some(flush);
}

/// Runs the registered flush, if any, bounded by [`FLUSH_TIMEOUT`].
pub(crate) async fn flush() {
    let Some(flush) = FLUSH.read().unwrap_or_else(PoisonError::into_inner).clone() else {
        return;
    };
    match tokio::time::timeout(FLUSH_TIMEOUT, tokio::task::spawn_blocking(move || flush())).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => tracing::warn!("the OpenTelemetry flush failed: {e}"),
        Ok(Err(e)) => tracing::warn!("the OpenTelemetry flush panicked: {e}"),
        Err(_) => tracing::warn!(
            "the OpenTelemetry flush did not finish within {} ms; answering the invocation without it",
            FLUSH_TIMEOUT.as_millis()
        ),
    }
}

/// Gives the invocation span its parent and attributes (see the module's documentation). Without a
/// `tracing-opentelemetry` layer in the subscriber this does nothing.
pub(crate) fn adopt(span: &tracing::Span, context: &Context, event: &[u8]) {
    let sniffed = serde_json::from_slice::<Sniffed<'_>>(event).unwrap_or_default();
    let parent = sniffed
        .traceparent()
        .and_then(from_traceparent)
        .or_else(|| context.xray_trace_id.as_deref().and_then(from_xray));
    if let Some(parent) = parent {
        // Fails only without the layer, or once the span started (it has not: it was just made).
        let _ = span.set_parent(opentelemetry::Context::new().with_remote_span_context(parent));
    }
    let env = &context.env;
    span.set_attribute("faas.trigger", sniffed.trigger());
    span.set_attribute("faas.name", env.function_name.clone());
    span.set_attribute("faas.version", env.function_version.clone());
    span.set_attribute("faas.instance", env.log_stream_name.clone());
    span.set_attribute("faas.max_memory", i64::from(env.memory_size_mb) * 1024 * 1024);
    span.set_attribute("cloud.provider", "aws");
    span.set_attribute("cloud.platform", "aws_lambda");
    span.set_attribute("cloud.region", env.region.clone());
    span.set_attribute("cloud.resource_id", context.invoked_function_arn.clone());
    if let Some(account) = context.invoked_function_arn.split(':').nth(4).filter(|a| !a.is_empty()) {
        span.set_attribute("cloud.account.id", account.to_owned());
    }
}

/// What the event's shape says of its trigger and trace: only the fields that tell, borrowed.
#[derive(Deserialize, Default)]
struct Sniffed<'a> {
    #[serde(borrow, default)]
    headers: Option<Headers<'a>>,
    #[serde(rename = "requestContext", default)]
    request_context: Option<serde::de::IgnoredAny>,
    #[serde(rename = "Records", borrow, default)]
    records: Option<Vec<Record<'a>>>,
    #[serde(borrow, default)]
    source: Option<Cow<'a, str>>,
    #[serde(rename = "detail-type", borrow, default)]
    detail_type: Option<Cow<'a, str>>,
}

/// An HTTP event's headers, as far as they matter here: the `traceparent` (its name in any case, its value
/// text; a list or `null` says nothing). Read in one pass without building a map.
#[derive(Default)]
struct Headers<'a> {
    traceparent: Option<Cow<'a, str>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Headers<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Headers<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of headers")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Headers<'a>, M::Error> {
                let mut headers = Headers::default();
                while let Some(name) = map.next_key::<Cow<'de, str>>()? {
                    if headers.traceparent.is_none() && name.eq_ignore_ascii_case("traceparent") {
                        headers.traceparent = match map.next_value::<Header<'de>>()? {
                            Header::Text(text) => Some(text),
                            Header::Other(_) => None,
                        };
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(headers)
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// A header's value: text, or whatever else a source sends there (a list, `null`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Header<'a> {
    Text(#[serde(borrow)] Cow<'a, str>),
    Other(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
struct Record<'a> {
    #[serde(rename = "eventSource", alias = "EventSource", borrow, default)]
    event_source: Option<Cow<'a, str>>,
}

impl Sniffed<'_> {
    /// The OpenTelemetry `faas.trigger` of the event.
    fn trigger(&self) -> &'static str {
        if self.request_context.is_some() || self.headers.is_some() {
            return "http";
        }
        let source = self
            .records
            .as_ref()
            .and_then(|r| r.first())
            .and_then(|r| r.event_source.as_deref());
        match source {
            Some("aws:sqs" | "aws:sns" | "aws:kafka" | "SelfManagedKafka" | "aws:mq" | "aws:rmq") => return "pubsub",
            Some("aws:s3" | "aws:dynamodb" | "aws:kinesis") => return "datasource",
            _ => {}
        }
        match (self.source.as_deref(), self.detail_type.as_deref()) {
            (Some("aws.events" | "aws.scheduler"), Some("Scheduled Event")) => "timer",
            _ => "other",
        }
    }

    /// The `traceparent` header of an HTTP event (header names in any case).
    fn traceparent(&self) -> Option<&str> {
        self.headers.as_ref()?.traceparent.as_deref()
    }
}

/// `n` hexadecimal digits.
fn is_hex(text: &str, n: usize) -> bool {
    text.len() == n && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A remote parent from its ids and sampled flag; `None` for the all-zero ids W3C calls invalid.
fn remote(trace_id: &str, span_id: &str, sampled: bool) -> Option<SpanContext> {
    let trace_id = TraceId::from_hex(trace_id).ok().filter(|id| *id != TraceId::INVALID)?;
    let span_id = SpanId::from_hex(span_id).ok().filter(|id| *id != SpanId::INVALID)?;
    let flags = if sampled {
        TraceFlags::SAMPLED
    } else {
        TraceFlags::default()
    };
    Some(SpanContext::new(trace_id, span_id, flags, true, TraceState::default()))
}

/// A W3C `traceparent`: `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`.
fn from_traceparent(value: &str) -> Option<SpanContext> {
    let mut parts = value.trim().split('-');
    let (version, trace_id, span_id, flags) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let known = version == "00" && parts.next().is_none();
    let future = is_hex(version, 2) && version != "ff" && version != "00";
    if !(known || future) || !is_hex(trace_id, 32) || !is_hex(span_id, 16) || !is_hex(flags, 2) {
        return None;
    }
    let sampled = u8::from_str_radix(flags, 16).ok()? & 1 == 1;
    remote(trace_id, span_id, sampled)
}

/// Lambda's X-Ray trace header: `Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>` (in any
/// order, other keys ignored). Without a `Parent` there is no span to be the child of.
fn from_xray(value: &str) -> Option<SpanContext> {
    let (mut root, mut parent, mut sampled) = (None, None, false);
    for part in value.split(';') {
        match part.trim().split_once('=') {
            Some(("Root", v)) => root = Some(v),
            Some(("Parent", v)) => parent = Some(v),
            Some(("Sampled", v)) => sampled = v == "1",
            _ => {}
        }
    }
    let mut root_parts = root?.split('-');
    let (version, time, unique) = (root_parts.next()?, root_parts.next()?, root_parts.next()?);
    if version != "1" || root_parts.next().is_some() || !is_hex(time, 8) || !is_hex(unique, 24) {
        return None;
    }
    let parent = parent.filter(|p| is_hex(p, 16))?;
    remote(&format!("{time}{unique}"), parent, sampled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_xray_header_gives_the_trace_parent_and_sampled_flag() {
        let parent = from_xray("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1").unwrap();
        assert_eq!(parent.trace_id().to_string(), "5759e988bd862e3fe1be46a994272793");
        assert_eq!(parent.span_id().to_string(), "53995c3f42cd8ad8");
        assert!(parent.is_sampled() && parent.is_remote());
        let unsampled =
            from_xray("Sampled=0;Lineage=a:1;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793");
        assert!(!unsampled.unwrap().is_sampled());
        for bad in [
            "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
            "Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
            "Root=1-5759e98-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
            "Root=1-5759e988-bd862e3fe1be46a99427279z;Parent=53995c3f42cd8ad8",
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000",
            "Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8",
            "",
        ] {
            assert!(from_xray(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_w3c_traceparent_gives_the_parent() {
        let parent = from_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").unwrap();
        assert_eq!(parent.trace_id().to_string(), "0af7651916cd43dd8448eb211c80319c");
        assert_eq!(parent.span_id().to_string(), "b7ad6b7169203331");
        assert!(parent.is_sampled());
        assert!(
            !from_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")
                .unwrap()
                .is_sampled()
        );
        // A later version may add fields after these four.
        assert!(from_traceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra").is_some());
        for bad in [
            "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
            "00-00000000000000000000000000000000-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
            "00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
            "not a header",
        ] {
            assert!(from_traceparent(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_trigger_and_traceparent_come_from_the_event_shape() {
        fn of(event: &str) -> Sniffed<'_> {
            serde_json::from_str(event).unwrap_or_default()
        }
        let http = of(r#"{"requestContext": {"http": {}}, "headers": {"TraceParent": "00-a-b-01", "x": null}}"#);
        assert_eq!((http.trigger(), http.traceparent()), ("http", Some("00-a-b-01")));
        assert_eq!(of(r#"{"headers": null, "requestContext": {}}"#).traceparent(), None);
        // VPC Lattice v2 sends lists: still an HTTP event, its traceparent is not read from a list.
        let lattice = of(r#"{"headers": {"traceparent": ["00-a-b-01"], "host": ["x"]}, "requestContext": {}}"#);
        assert_eq!((lattice.trigger(), lattice.traceparent()), ("http", None));
        for (event, trigger) in [
            (r#"{"Records": [{"eventSource": "aws:sqs", "body": "x"}]}"#, "pubsub"),
            (r#"{"Records": [{"EventSource": "aws:sns", "Sns": {}}]}"#, "pubsub"),
            (r#"{"Records": [{"eventSource": "aws:s3"}]}"#, "datasource"),
            (r#"{"Records": [{"eventSource": "aws:dynamodb"}]}"#, "datasource"),
            (r#"{"Records": [{"eventSource": "aws:kinesis"}]}"#, "datasource"),
            (
                r#"{"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}"#,
                "timer",
            ),
            (r#"{"source": "aws.s3", "detail-type": "Object Created"}"#, "other"),
            (r#"{"Records": []}"#, "other"),
            (r#"{"number": 12}"#, "other"),
            ("[1, 2]", "other"),
            ("not json", "other"),
        ] {
            assert_eq!(of(event).trigger(), trigger, "{event}");
        }
    }
}
