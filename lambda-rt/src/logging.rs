//! Logging set-up: `tracing` with the request id on every line of an invocation, plain text or
//! JSON lines (`AWS_LAMBDA_LOG_FORMAT=JSON`), level from `AWS_LAMBDA_LOG_LEVEL` then `RUST_LOG`.

use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt;
use tracing_subscriber::layer::SubscriberExt as _;

#[cfg(feature = "local")]
type Capture = crate::emulator::logs::LogStore;
#[cfg(not(feature = "local"))]
type Capture = std::convert::Infallible;

/// Installs the global subscriber, unless the program already installed its own (the user's choice
/// wins). `capture` also files each invocation's log lines for the emulator's `Tail` option.
pub(crate) fn init(capture: Option<Capture>) {
    let _ = tracing::subscriber::set_global_default(subscriber(capture));
}

/// The subscriber: JSON lines or plain text on stderr, filtered by level.
pub(crate) fn subscriber(capture: Option<Capture>) -> impl Subscriber + Send + Sync {
    let json = std::env::var("AWS_LAMBDA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let filter = filter_from(
        std::env::var("AWS_LAMBDA_LOG_LEVEL").ok(),
        std::env::var("RUST_LOG").ok(),
    );
    let json_layer = json.then(|| {
        fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(std::io::stderr)
            .log_internal_errors(false)
    });
    // CloudWatch stamps every line with its time; text lines stay short.
    let text_layer = (!json).then(|| {
        fmt::layer()
            .without_time()
            .with_ansi(false)
            .with_writer(std::io::stderr)
            // When stderr is gone, a failed write is dropped: reporting it would `eprintln!`, which
            // panics, and inside the panic hook (which logs) that aborts the process.
            .log_internal_errors(false)
    });
    #[cfg(feature = "local")]
    let capture_layer = capture.map(crate::emulator::logs::CaptureLayer);
    #[cfg(not(feature = "local"))]
    let capture_layer: Option<tracing_subscriber::layer::Identity> = capture.map(|never| match never {});
    tracing_subscriber::registry()
        .with(filter)
        .with(json_layer)
        .with(text_layer)
        .with(capture_layer)
}

/// AWS's level names (`TRACE` .. `FATAL`) first, then a `RUST_LOG` filter, else `info`.
fn filter_from(aws_level: Option<String>, rust_log: Option<String>) -> EnvFilter {
    let aws = aws_level.and_then(|level| match level.trim().to_ascii_uppercase().as_str() {
        "TRACE" => Some("trace"),
        "DEBUG" => Some("debug"),
        "INFO" => Some("info"),
        "WARN" => Some("warn"),
        "ERROR" | "FATAL" => Some("error"),
        _ => None,
    });
    if let Some(level) = aws {
        return EnvFilter::new(level);
    }
    rust_log
        .and_then(|directives| EnvFilter::try_new(directives).ok())
        .unwrap_or_else(|| EnvFilter::new("info"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_level_wins_over_rust_log() {
        assert_eq!(
            filter_from(Some("fatal".into()), Some("debug".into())).to_string(),
            "error"
        );
        assert_eq!(
            filter_from(Some("nonsense".into()), Some("my_crate=debug".into())).to_string(),
            "my_crate=debug"
        );
        assert_eq!(filter_from(None, None).to_string(), "info");
        assert_eq!(filter_from(None, Some("[[[".into())).to_string(), "info");
    }
}
