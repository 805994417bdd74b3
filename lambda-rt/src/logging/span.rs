//! The invocation span: the fields every line logged during an invocation carries, under the
//! OpenTelemetry FaaS semantic-convention names (`faas.invocation_id`, `faas.coldstart`,
//! `aws.lambda.invoked_arn`; `otel.name` and `otel.kind` for `tracing-opentelemetry`).

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use tracing::field::{Field, Visit};

use crate::context::Context;

/// Set once the process has begun its first invocation.
static WARM: AtomicBool = AtomicBool::new(false);

/// The span of one invocation of `handler` with `event` (which, under the `otel` feature, gives the span
/// its parent and trigger).
pub(crate) fn invocation_span(handler: &'static str, context: &Context, event: &[u8]) -> tracing::Span {
    let cold_start = !WARM.swap(true, Ordering::Relaxed);
    // ERROR level so that the span (and the request id on every line) exists whenever anything logs.
    // `&str` and `Option` values: recorded as they are, an absent one not at all.
    let span = tracing::error_span!(
        "invocation",
        "faas.invocation_id" = context.request_id.as_str(),
        "faas.coldstart" = cold_start,
        "aws.lambda.invoked_arn" = context.invoked_function_arn.as_str(),
        "otel.name" = handler,
        "otel.kind" = "server",
        "aws.xray.trace_id" = context.xray_trace_id.as_deref(),
        "aws.lambda.tenant_id" = context.tenant_id.as_deref(),
    );
    #[cfg(feature = "otel")]
    crate::otel::adopt(&span, context, event);
    #[cfg(not(feature = "otel"))]
    let _ = event;
    span
}

/// The span of an invocation whose event could not be read: only its request id.
pub(crate) fn incomplete_span(request_id: &str) -> tracing::Span {
    tracing::error_span!("invocation", "faas.invocation_id" = request_id)
}

/// What an invocation span says, as the log lines carry it.
#[derive(Debug, Default, Clone)]
pub(crate) struct InvocationFields {
    pub(crate) request_id: Option<String>,
    pub(crate) cold_start: Option<bool>,
    pub(crate) arn: Option<String>,
    pub(crate) trace_id: Option<String>,
    pub(crate) tenant_id: Option<String>,
}

impl InvocationFields {
    /// Whether `name` is one of the span's own fields (the text format shows only the request id).
    pub(crate) fn is_span_field(name: &str) -> bool {
        name.starts_with("faas.") || name.starts_with("aws.") || name.starts_with("otel.")
    }
}

impl Visit for InvocationFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        let slot = match field.name() {
            "faas.invocation_id" => &mut self.request_id,
            "aws.lambda.invoked_arn" => &mut self.arn,
            "aws.xray.trace_id" => &mut self.trace_id,
            "aws.lambda.tenant_id" => &mut self.tenant_id,
            _ => return,
        };
        *slot = Some(value.to_owned());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if field.name() == "faas.coldstart" {
            self.cold_start = Some(value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        // `%value` fields arrive here, as `Display` wrapped in `Debug`.
        self.record_str(field, &format!("{value:?}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_span_uses_the_opentelemetry_faas_names_and_knows_its_cold_start() {
        let subscriber = tracing_subscriber::registry();
        tracing::subscriber::with_default(subscriber, || {
            let mut context = Context::for_test();
            context.xray_trace_id = Some("Root=1-abc".to_owned());
            let first = invocation_span("todos.api", &context, b"{}");
            let fields = first.metadata().expect("an enabled span").fields();
            for name in [
                "faas.invocation_id",
                "faas.coldstart",
                "aws.lambda.invoked_arn",
                "otel.name",
                "otel.kind",
                "aws.xray.trace_id",
                "aws.lambda.tenant_id",
            ] {
                assert!(fields.field(name).is_some(), "{name}");
            }
            // The first span of the process is the cold start; this test binary's, or an earlier test's.
            let _second = invocation_span("todos.api", &context, b"{}");
            assert!(WARM.load(Ordering::Relaxed));
        });
    }
}
