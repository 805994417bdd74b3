//! The examples' handlers with OpenTelemetry: a `tracing-opentelemetry` layer turns lambda-rt's invocation
//! span into an OpenTelemetry span (its fields already have the FaaS semantic-convention names, and
//! `otel.name`, the handler name, and `otel.kind`, server, set its name and kind). lambda-fn's `otel`
//! feature gives it its parent (Lambda's X-Ray trace header, or an HTTP event's `traceparent`), its
//! `faas.trigger` and `cloud.*` attributes, and runs the flush registered here after each invocation,
//! before the answer is posted.
//!
//! The spans go in batches to an OTLP/HTTP (JSON) collector: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the
//! whole URL) or `OTEL_EXPORTER_OTLP_ENDPOINT` (its base; `/v1/traces` is added), by default
//! `http://localhost:4318`, where a collector extension of the function listens.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, WithExportConfig as _};
use tracing_subscriber::layer::SubscriberExt as _;

use examples as _;

fn main() {
    let exporter = match opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpJson)
        .build()
    {
        Ok(exporter) => exporter,
        Err(e) => {
            eprintln!("cannot build the OTLP exporter: {e}");
            std::process::exit(1);
        }
    };
    // Batched: nothing leaves per span; lambda-rt's flush after each invocation sends the batch.
    let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .build();
    let flushed = provider.clone();
    lambda_fn::otel::flush_with(move || flushed.force_flush());
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("lambda-rt-examples"));
    // Installed before lambda-rt starts: its own subscriber then steps aside.
    let subscriber = tracing_subscriber::registry().with(layer);
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        eprintln!("a tracing subscriber was already installed");
    }
    lambda_fn::run();
    let _ = provider.shutdown();
}
