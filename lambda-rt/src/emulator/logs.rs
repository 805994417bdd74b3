//! Per-invocation log capture, for the Invoke API's `X-Amz-Log-Type: Tail` (the last 4 KB of an
//! invocation's log, base64, in `X-Amz-Log-Result`).
//!
//! A `tracing` layer files every event logged inside an invocation span under that span's
//! `requestId`. Output a handler writes with `println!` goes straight to the process's stdout and is
//! not captured.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

/// How much of an invocation's log `Tail` returns, as Lambda does.
pub(crate) const TAIL_BYTES: usize = 4 * 1024;

/// The logs of invocations in flight, by request id.
#[derive(Clone, Default)]
pub(crate) struct LogStore(Arc<Mutex<HashMap<String, String>>>);

impl LogStore {
    pub(crate) fn append(&self, request_id: &str, line: &str) {
        let mut logs = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let log = logs.entry(request_id.to_owned()).or_default();
        log.push_str(line);
        log.push('\n');
    }

    /// Removes and returns the log of `request_id`.
    pub(crate) fn take(&self, request_id: &str) -> String {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(request_id)
            .unwrap_or_default()
    }
}

/// The last [`TAIL_BYTES`] of `log`, cut at a character boundary.
pub(crate) fn tail(log: &str) -> &str {
    let mut start = log.len().saturating_sub(TAIL_BYTES);
    while !log.is_char_boundary(start) {
        start += 1;
    }
    &log[start..]
}

/// The layer that files events under their invocation's request id.
pub(crate) struct CaptureLayer(pub(crate) LogStore);

/// The request id recorded on an invocation span.
struct RequestId(String);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for CaptureLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut visitor = FieldText::default();
        attrs.record(&mut visitor);
        if let (Some(request_id), Some(span)) = (visitor.request_id, ctx.span(id)) {
            span.extensions_mut().insert(RequestId(request_id));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let Some(scope) = ctx.event_scope(event) else { return };
        let Some(request_id) = scope
            .from_root()
            .find_map(|span| span.extensions().get::<RequestId>().map(|r| r.0.clone()))
        else {
            return;
        };
        let mut visitor = FieldText::default();
        event.record(&mut visitor);
        let line = format!("{} {}{}", event.metadata().level(), visitor.message, visitor.fields);
        self.0.append(&request_id, &line);
    }
}

/// Collects an event's message, its other fields as ` key=value`, and the span's `faas.invocation_id`.
#[derive(Default)]
struct FieldText {
    message: String,
    fields: String,
    request_id: Option<String>,
}

impl Visit for FieldText {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "message" => self.message.push_str(value),
            "faas.invocation_id" => self.request_id = Some(value.to_owned()),
            name => {
                let _ = write!(self.fields, " {name}={value}");
            }
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match field.name() {
            "message" => {
                let _ = write!(self.message, "{value:?}");
            }
            "faas.invocation_id" => self.request_id = Some(format!("{value:?}")),
            name => {
                let _ = write!(self.fields, " {name}={value:?}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::layer::SubscriberExt as _;

    #[test]
    fn events_are_filed_under_their_request_id() {
        let store = LogStore::default();
        let subscriber = tracing_subscriber::registry().with(CaptureLayer(store.clone()));
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("outside any invocation");
            let request_id = "r-1";
            tracing::error_span!("invocation", "faas.invocation_id" = %request_id).in_scope(|| {
                tracing::warn!(attempt = 2, "slow down");
            });
        });
        assert_eq!(store.take("r-1"), "WARN slow down attempt=2\n");
        assert_eq!(store.take("r-1"), "");
    }

    #[test]
    fn tail_keeps_the_last_4_kb_on_a_char_boundary() {
        let log = format!("{}{}", "é".repeat(3000), "x".repeat(10));
        let t = tail(&log);
        assert!(t.len() <= TAIL_BYTES && t.len() >= TAIL_BYTES - 1);
        assert!(t.ends_with("xxxxxxxxxx"));
        assert_eq!(tail("short"), "short");
    }
}
