//! The examples' handlers with OpenTelemetry: a `tracing-opentelemetry` layer turns lambda-rt's
//! invocation span into an OpenTelemetry span. Its fields already have the FaaS semantic-convention names
//! (`faas.invocation_id`, `faas.coldstart`, `aws.lambda.invoked_arn`), and `otel.name` (the handler
//! name) and `otel.kind` (`server`) set the span's name and kind. This exporter prints the spans on
//! stdout; a deployed function would use an OTLP exporter to a collector instead.

use opentelemetry::trace::TracerProvider as _;
use tracing_subscriber::layer::SubscriberExt as _;

use examples as _;

fn main() {
    let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
        .with_simple_exporter(opentelemetry_stdout::SpanExporter::default())
        .build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("lambda-rt-examples"));
    // Installed before lambda-rt starts: its own subscriber then steps aside.
    let subscriber = tracing_subscriber::registry().with(layer);
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        eprintln!("a tracing subscriber was already installed");
    }
    lambda_rt::run();
    let _ = provider.shutdown();
}
