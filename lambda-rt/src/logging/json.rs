//! `AWS_LAMBDA_LOG_FORMAT=JSON`: one JSON object per line, with Lambda's keys (`timestamp`, `level`,
//! `message`, `requestId`), the event's own fields, and what a log search needs to place a line:
//! `coldStart`, `functionName`, `functionVersion`, `functionMemorySize`, `functionArn`, `xrayTraceId`
//! and `tenantId` (when set).

use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use super::span::InvocationFields;
use crate::context::FunctionConfig;

/// The layer that writes JSON lines on stderr.
pub(crate) struct JsonLines {
    /// The keys of the process, the same on every line.
    process: Map<String, Value>,
}

impl JsonLines {
    pub(crate) fn new(env: &FunctionConfig) -> Self {
        let mut process = Map::new();
        process.insert("functionName".into(), json!(env.function_name));
        process.insert("functionVersion".into(), json!(env.function_version));
        process.insert("functionMemorySize".into(), json!(env.memory_size_mb));
        JsonLines { process }
    }

    /// The line of `event` inside the invocation described by `invocation`.
    fn line(&self, event: &Event<'_>, invocation: Option<&InvocationFields>) -> String {
        let mut line = Map::new();
        line.insert("timestamp".into(), json!(rfc3339_now()));
        line.insert("level".into(), json!(event.metadata().level().as_str()));
        let mut fields = EventFields(Map::new());
        event.record(&mut fields);
        line.insert("message".into(), fields.0.remove("message").unwrap_or(json!("")));
        line.insert("target".into(), json!(event.metadata().target()));
        for (key, value) in fields.0 {
            line.entry(key).or_insert(value);
        }
        if let Some(invocation) = invocation {
            let mut put = |key: &str, value: Option<Value>| {
                if let Some(value) = value {
                    line.insert(key.to_owned(), value);
                }
            };
            put("requestId", invocation.request_id.clone().map(Value::from));
            put("coldStart", invocation.cold_start.map(Value::from));
            put("functionArn", invocation.arn.clone().map(Value::from));
            put("xrayTraceId", invocation.trace_id.clone().map(Value::from));
            put("tenantId", invocation.tenant_id.clone().map(Value::from));
        }
        for (key, value) in &self.process {
            line.entry(key.clone()).or_insert_with(|| value.clone());
        }
        let mut text = Value::Object(line).to_string();
        text.push('\n');
        text
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for JsonLines {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "invocation" {
            return;
        }
        let mut fields = InvocationFields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<InvocationFields>()
        {
            values.record(fields);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let invocation = ctx.event_scope(event).and_then(|scope| {
            scope
                .from_root()
                .find_map(|span| span.extensions().get::<InvocationFields>().cloned())
        });
        let line = self.line(event, invocation.as_ref());
        // One write per line; a closed stderr drops the line (reporting it would log again).
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

/// An event's fields as JSON values.
struct EventFields(Map<String, Value>);

impl Visit for EventFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), json!(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), json!(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), json!(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), json!(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_owned(), json!(value));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), json!(format!("{value:?}")));
    }
}

/// Now as RFC 3339 in UTC with milliseconds (`2026-12-02T00:14:00.123Z`).
fn rfc3339_now() -> String {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    rfc3339(since.as_millis() as u64)
}

/// `ms` since the epoch as RFC 3339 in UTC (days to a civil date: Howard Hinnant's algorithm).
fn rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(rfc3339(1_796_170_399_739), "2026-12-02T00:13:19.739Z");
    }
}
