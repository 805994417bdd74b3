//! Logging set-up: `tracing` with the request id on every line of an invocation, plain text or
//! JSON lines (`AWS_LAMBDA_LOG_FORMAT=JSON`, [`json`]), level from `AWS_LAMBDA_LOG_LEVEL` then
//! `RUST_LOG`; the invocation span ([`span`]).

mod json;
mod span;

pub(crate) use span::{incomplete_span, invocation_span};

use tracing::Subscriber;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt;
use tracing_subscriber::layer::{Identity, Layer, SubscriberExt as _};
use tracing_subscriber::registry::Registry;

/// Installs the global subscriber, unless the program already installed its own (the user's choice
/// wins).
pub(crate) fn init() {
    init_with(Identity::new());
}

/// [`init`] with one more layer under the runtime's own (the emulator's log capture for `Tail`).
pub(crate) fn init_with<L>(extra: L)
where
    L: Layer<Registry> + Send + Sync + 'static,
{
    let _ = tracing::subscriber::set_global_default(subscriber(extra));
}

/// The subscriber: `extra`, then the level filter and JSON lines or plain text on stderr.
pub(crate) fn subscriber<L>(extra: L) -> impl Subscriber + Send + Sync
where
    L: Layer<Registry> + Send + Sync + 'static,
{
    let json = std::env::var("AWS_LAMBDA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let filter = filter_from(
        std::env::var("AWS_LAMBDA_LOG_LEVEL").ok(),
        std::env::var("RUST_LOG").ok(),
    );
    let json_layer = json.then(|| json::JsonLines::new(&crate::context::FunctionConfig::from_env()));
    // CloudWatch stamps every line with its time; text lines stay short.
    let text_layer = (!json).then(|| {
        fmt::layer()
            .without_time()
            .with_ansi(false)
            .fmt_fields(TextFields)
            .with_writer(std::io::stderr)
            // When stderr is gone, a failed write is dropped: reporting it would `eprintln!`, which
            // panics, and inside the panic hook (which logs) that aborts the process.
            .log_internal_errors(false)
    });
    // The filter is global (it decides for every layer), wherever it sits in the stack.
    tracing_subscriber::registry()
        .with(extra)
        .with(filter)
        .with(json_layer)
        .with(text_layer)
}

/// The text format's fields: as `tracing_subscriber`'s defaults, except that of the invocation span's
/// fields only the request id shows (`invocation{requestId=...}`), so that text lines stay short.
struct TextFields;

impl<'writer> fmt::FormatFields<'writer> for TextFields {
    fn format_fields<R: tracing_subscriber::field::RecordFields>(
        &self,
        mut writer: fmt::format::Writer<'writer>,
        fields: R,
    ) -> std::fmt::Result {
        let mut visitor = TextVisitor {
            writer: &mut writer,
            first: true,
            result: Ok(()),
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

struct TextVisitor<'a, 'writer> {
    writer: &'a mut fmt::format::Writer<'writer>,
    first: bool,
    result: std::fmt::Result,
}

impl tracing::field::Visit for TextVisitor<'_, '_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        // The request id as it is (`requestId=abc`); other strings quoted, as tracing's default format has them.
        match field.name() {
            "faas.invocation_id" => self.record_debug(field, &format_args!("{value}")),
            _ => self.record_debug(field, &value),
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let name = field.name();
        if self.result.is_err() || (span::InvocationFields::is_span_field(name) && name != "faas.invocation_id") {
            return;
        }
        let separator = if self.first { "" } else { " " };
        self.first = false;
        self.result = match name {
            "message" => write!(self.writer, "{separator}{value:?}"),
            "faas.invocation_id" => write!(self.writer, "{separator}requestId={value:?}"),
            name => write!(self.writer, "{separator}{name}={value:?}"),
        };
    }
}

/// AWS's level names (`TRACE` .. `FATAL`) first, then `RUST_LOG` (`level` or `target=level,...`
/// directives), else `info`.
///
/// The runtime's own target `lambda_fn` stays enabled at least for errors, unless the directives name
/// it: its invocation span is what puts the request id on every line, including the lines of a
/// `RUST_LOG=my_crate=debug` that would otherwise turn everything else off.
fn filter_from(aws_level: Option<String>, rust_log: Option<String>) -> Targets {
    let aws = aws_level.and_then(|level| match level.trim().to_ascii_uppercase().as_str() {
        "TRACE" => Some(LevelFilter::TRACE),
        "DEBUG" => Some(LevelFilter::DEBUG),
        "INFO" => Some(LevelFilter::INFO),
        "WARN" => Some(LevelFilter::WARN),
        "ERROR" | "FATAL" => Some(LevelFilter::ERROR),
        _ => None,
    });
    if let Some(level) = aws {
        return Targets::new().with_default(level);
    }
    let Some((directives, targets)) =
        rust_log.and_then(|directives| directives.parse::<Targets>().ok().map(|targets| (directives, targets)))
    else {
        return Targets::new().with_default(LevelFilter::INFO);
    };
    if directives.contains("lambda_fn") {
        return targets;
    }
    let runtime_level = targets
        .default_level()
        .unwrap_or(LevelFilter::OFF)
        .max(LevelFilter::ERROR);
    targets.with_target("lambda_fn", runtime_level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    #[test]
    fn aws_level_wins_over_rust_log() {
        let filter = filter_from(Some("fatal".into()), Some("debug".into()));
        assert!(filter.would_enable("my_crate", &Level::ERROR));
        assert!(!filter.would_enable("my_crate", &Level::WARN));
        let filter = filter_from(Some("debug".into()), None);
        assert!(filter.would_enable("my_crate", &Level::DEBUG));
        assert!(!filter.would_enable("my_crate", &Level::TRACE));
    }

    #[test]
    fn rust_log_directives_keep_the_runtime_span_enabled() {
        let filter = filter_from(Some("nonsense".into()), Some("my_crate=debug".into()));
        assert!(filter.would_enable("my_crate::db", &Level::DEBUG));
        assert!(!filter.would_enable("hyper", &Level::ERROR));
        assert!(filter.would_enable("lambda_fn::runtime", &Level::ERROR));
        assert!(!filter.would_enable("lambda_fn::runtime", &Level::WARN));
        // Named explicitly, the user's level for the runtime wins.
        let filter = filter_from(None, Some("warn,lambda_fn=off".into()));
        assert!(!filter.would_enable("lambda_fn::runtime", &Level::ERROR));
        assert!(filter.would_enable("my_crate", &Level::WARN));
    }

    #[test]
    fn default_and_malformed_mean_info() {
        for rust_log in [None, Some("my_crate=loud".to_owned()), Some("=info".to_owned())] {
            let filter = filter_from(None, rust_log.clone());
            assert!(filter.would_enable("my_crate", &Level::INFO), "{rust_log:?}");
            assert!(!filter.would_enable("my_crate", &Level::DEBUG), "{rust_log:?}");
        }
    }
}
