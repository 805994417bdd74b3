//! CloudWatch metrics in the Embedded Metric Format (EMF): a handler takes [`Metrics`], records
//! counters, gauges and timings with units and dimensions, and when the handler returns (before its
//! result is posted) the runtime writes them as EMF JSON lines on stdout, which CloudWatch Logs turns
//! into metrics. Nothing is written when nothing was recorded.
//!
//! ```
//! use lambda_fn::metrics::{Metrics, Unit};
//!
//! #[lambda_fn::handler("orders.create")]
//! async fn create(order: serde_json::Value, metrics: Metrics) -> serde_json::Value {
//!     metrics.dimension("channel", "web");
//!     metrics.count("OrdersCreated", 1.0);
//!     let _timer = metrics.timer("Pricing"); // milliseconds, recorded when dropped
//!     metrics.record("Basket", 3.0, Unit::Count);
//!     order
//! }
//! # fn main() {}
//! ```
//!
//! - **Namespace**: `LAMBDA_RT_METRICS_NAMESPACE` (default `lambda-rt`); every line has the dimension
//!   `service` (`LAMBDA_RT_METRICS_SERVICE`, default the function name) plus those the handler added.
//! - **Cold start**: with `LAMBDA_RT_METRICS_COLD_START=1`, the first invocation of a process that records
//!   metrics also writes a `ColdStart` count (dimensions `service` and `function_name`) on a line of its
//!   own.
//! - **Limits** of the EMF specification are kept: at most 100 metrics per line (more are split over
//!   several lines), 100 values per metric per line, 30 dimensions (more are dropped, logged once per
//!   invocation), names of 1 to 255 characters (others are dropped and logged).
//! - The request id and the X-Ray trace id are written as properties (searchable in Logs Insights, not
//!   dimensions).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::extract::{FromInvocation, Invocation};

/// The most metrics one EMF line may declare.
pub const MAX_METRICS_PER_LINE: usize = 100;
/// The most values one metric may have on one line.
pub const MAX_VALUES_PER_METRIC: usize = 100;
/// The most dimensions of a dimension set.
pub const MAX_DIMENSIONS: usize = 30;
/// The longest metric, dimension or namespace name.
pub const MAX_NAME_LEN: usize = 255;
/// The longest dimension value CloudWatch keeps.
pub const MAX_DIMENSION_VALUE_LEN: usize = 1024;
/// The namespace of metrics whose own is not one CloudWatch takes.
const DEFAULT_NAMESPACE: &str = "lambda-rt";

/// A namespace CloudWatch takes: 1 to 255 of letters, digits, spaces and `.-_/#:`, not only spaces, not
/// starting with `:`, and not `AWS/...` (AWS's own).
fn valid_namespace(namespace: &str) -> bool {
    namespace.len() <= MAX_NAME_LEN
        && namespace.chars().any(|c| c != ' ')
        && !namespace.starts_with(':')
        && !namespace.starts_with("AWS/")
        && namespace
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " .-_/#:".contains(c))
}
/// Keys every line has at its root: no metric or dimension may take them.
const RESERVED: [&str; 3] = ["_aws", "requestId", "traceId"];

/// The units CloudWatch takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum Unit {
    Seconds,
    Microseconds,
    Milliseconds,
    Bytes,
    Kilobytes,
    Megabytes,
    Gigabytes,
    Terabytes,
    Bits,
    Kilobits,
    Megabits,
    Gigabits,
    Terabits,
    Percent,
    Count,
    BytesPerSecond,
    KilobytesPerSecond,
    MegabytesPerSecond,
    GigabytesPerSecond,
    TerabytesPerSecond,
    BitsPerSecond,
    KilobitsPerSecond,
    MegabitsPerSecond,
    GigabitsPerSecond,
    TerabitsPerSecond,
    CountPerSecond,
    None,
}

impl Unit {
    /// The unit's name in EMF (`"Milliseconds"`, `"Bytes/Second"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Seconds => "Seconds",
            Unit::Microseconds => "Microseconds",
            Unit::Milliseconds => "Milliseconds",
            Unit::Bytes => "Bytes",
            Unit::Kilobytes => "Kilobytes",
            Unit::Megabytes => "Megabytes",
            Unit::Gigabytes => "Gigabytes",
            Unit::Terabytes => "Terabytes",
            Unit::Bits => "Bits",
            Unit::Kilobits => "Kilobits",
            Unit::Megabits => "Megabits",
            Unit::Gigabits => "Gigabits",
            Unit::Terabits => "Terabits",
            Unit::Percent => "Percent",
            Unit::Count => "Count",
            Unit::BytesPerSecond => "Bytes/Second",
            Unit::KilobytesPerSecond => "Kilobytes/Second",
            Unit::MegabytesPerSecond => "Megabytes/Second",
            Unit::GigabytesPerSecond => "Gigabytes/Second",
            Unit::TerabytesPerSecond => "Terabytes/Second",
            Unit::BitsPerSecond => "Bits/Second",
            Unit::KilobitsPerSecond => "Kilobits/Second",
            Unit::MegabitsPerSecond => "Megabits/Second",
            Unit::GigabitsPerSecond => "Gigabits/Second",
            Unit::TerabitsPerSecond => "Terabits/Second",
            Unit::CountPerSecond => "Count/Second",
            Unit::None => "None",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one invocation recorded.
#[derive(Debug, Default)]
struct Recorded {
    namespace: String,
    /// The dimension set, in the order added (`service` first).
    dimensions: Vec<(String, String)>,
    /// Metric name -> unit and values, in name order.
    metrics: BTreeMap<String, (Unit, Vec<f64>)>,
    /// Written as properties, not dimensions.
    properties: Vec<(&'static str, String)>,
    cold_start: Option<(String, String)>,
    problems: Vec<String>,
}

/// The metrics of one invocation: a handler parameter. Clones share the recording; the EMF lines are
/// written when the last clone is dropped, which for the parameter itself is when the handler returns.
#[derive(Clone)]
pub struct Metrics(Arc<Mutex<Recorded>>);

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Metrics").field(&*self.lock()).finish()
    }
}

/// Whether this process has written its cold-start metric.
static COLD_START_WRITTEN: AtomicBool = AtomicBool::new(false);

impl Metrics {
    /// Metrics in `namespace` with the dimension `service = service`, as the runtime builds them for a
    /// handler (and a unit test for a direct call).
    ///
    /// A namespace CloudWatch would refuse (empty, longer than 255, other characters than letters, digits
    /// and `.-_/#:`, or `AWS/...`) is replaced by `lambda-rt`, and the replacement logged when the
    /// metrics are written: the values are kept, not lost with the whole line.
    pub fn new(namespace: impl Into<String>, service: impl Into<String>) -> Self {
        let mut namespace = namespace.into();
        let mut problems = Vec::new();
        if !valid_namespace(&namespace) {
            problems.push(format!(
                "namespace {namespace:?} is not 1 to {MAX_NAME_LEN} of letters, digits, spaces and `.-_/#:` (nor \
                 `AWS/...`): written to `{DEFAULT_NAMESPACE}` instead"
            ));
            namespace = DEFAULT_NAMESPACE.to_owned();
        }
        let mut service = service.into();
        if service.is_empty() || service.chars().count() > MAX_DIMENSION_VALUE_LEN {
            problems.push(format!(
                "the `service` dimension is not 1 to {MAX_DIMENSION_VALUE_LEN} characters: `{DEFAULT_NAMESPACE}` instead"
            ));
            service = DEFAULT_NAMESPACE.to_owned();
        }
        let recorded = Recorded {
            namespace,
            dimensions: vec![("service".to_owned(), service)],
            problems,
            ..Recorded::default()
        };
        Metrics(Arc::new(Mutex::new(recorded)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recorded> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records `value` of metric `name` in `unit`. A name that is empty or longer than 255 characters
    /// is dropped (and logged); a metric keeps the unit it was first recorded with.
    pub fn record(&self, name: impl Into<String>, value: f64, unit: Unit) {
        let name = name.into();
        let mut recorded = self.lock();
        if name.is_empty() || name.chars().count() > MAX_NAME_LEN {
            recorded.problems.push(format!(
                "metric name {name:?} is not 1 to {MAX_NAME_LEN} characters: dropped"
            ));
            return;
        }
        if RESERVED.contains(&name.as_str()) || recorded.dimensions.iter().any(|(d, _)| *d == name) {
            recorded.problems.push(format!(
                "metric `{name}` has the name of a dimension or of a key EMF lines carry: dropped"
            ));
            return;
        }
        if !value.is_finite() {
            recorded
                .problems
                .push(format!("metric `{name}`: {value} is not a finite number: dropped"));
            return;
        }
        recorded.metrics.entry(name).or_insert((unit, Vec::new())).1.push(value);
    }

    /// Adds `n` to the counter `name` (a `Count` value).
    pub fn count(&self, name: impl Into<String>, n: f64) {
        self.record(name, n, Unit::Count);
    }

    /// Records a gauge: the value as it is now, in `unit`.
    pub fn gauge(&self, name: impl Into<String>, value: f64, unit: Unit) {
        self.record(name, value, unit);
    }

    /// Starts a timer that records the milliseconds until it is dropped (or [`Timer::stop`]ped).
    pub fn timer(&self, name: impl Into<String>) -> Timer {
        Timer {
            metrics: self.clone(),
            name: Some(name.into()),
            started: Instant::now(),
        }
    }

    /// Adds a dimension to every metric of this invocation (at most 30 with `service`).
    pub fn dimension(&self, name: impl Into<String>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        let mut recorded = self.lock();
        if name.is_empty()
            || name.chars().count() > MAX_NAME_LEN
            || value.is_empty()
            || value.chars().count() > MAX_DIMENSION_VALUE_LEN
        {
            recorded.problems.push(format!(
                "dimension {name:?} is not a name of 1 to {MAX_NAME_LEN} characters with a value of 1 to \
                 {MAX_DIMENSION_VALUE_LEN}: dropped"
            ));
        } else if RESERVED.contains(&name.as_str()) || recorded.metrics.contains_key(&name) {
            recorded.problems.push(format!(
                "dimension `{name}` has the name of a metric or of a key EMF lines carry: dropped"
            ));
        } else if recorded.dimensions.iter().any(|(n, _)| *n == name) {
            if let Some(existing) = recorded.dimensions.iter_mut().find(|(n, _)| *n == name) {
                existing.1 = value;
            }
        } else if recorded.dimensions.len() >= MAX_DIMENSIONS {
            recorded.problems.push(format!(
                "dimension `{name}` is one more than the {MAX_DIMENSIONS} EMF allows: dropped"
            ));
        } else {
            recorded.dimensions.push((name, value));
        }
    }

    /// The EMF lines of what was recorded, stamped `timestamp_ms` (none when nothing was).
    pub fn lines(&self, timestamp_ms: u64) -> Vec<String> {
        let recorded = self.lock();
        let mut lines = Vec::new();
        if let Some((service, function)) = &recorded.cold_start {
            let dims = [
                ("service".to_owned(), service.clone()),
                ("function_name".to_owned(), function.clone()),
            ];
            let metrics = [("ColdStart".to_owned(), Unit::Count, vec![1.0])];
            lines.push(line(
                &recorded.namespace,
                &dims,
                &metrics,
                &recorded.properties,
                timestamp_ms,
            ));
        }
        // One line per at most 100 metrics and 100 values of each.
        let mut pending: Vec<(String, Unit, Vec<f64>)> = Vec::new();
        let mut rest: Vec<(&String, Unit, &[f64])> = recorded
            .metrics
            .iter()
            .map(|(name, (unit, values))| (name, *unit, &values[..]))
            .collect();
        let flush = |pending: &mut Vec<(String, Unit, Vec<f64>)>, lines: &mut Vec<String>| {
            if !pending.is_empty() {
                let dims = &recorded.dimensions;
                lines.push(line(
                    &recorded.namespace,
                    dims,
                    pending,
                    &recorded.properties,
                    timestamp_ms,
                ));
                pending.clear();
            }
        };
        while !rest.is_empty() {
            for (name, unit, values) in rest.iter_mut() {
                let take = values.len().min(MAX_VALUES_PER_METRIC);
                pending.push(((*name).clone(), *unit, values[..take].to_vec()));
                *values = &values[take..];
                if pending.len() == MAX_METRICS_PER_LINE {
                    flush(&mut pending, &mut lines);
                }
            }
            // A line holds each metric once: what is left of a metric with more values goes on later lines.
            flush(&mut pending, &mut lines);
            rest.retain(|(_, _, values)| !values.is_empty());
        }
        lines
    }

    /// Writes the lines on stdout, one write each, and logs what was dropped.
    fn flush(&self) {
        for problem in std::mem::take(&mut self.lock().problems) {
            tracing::warn!("metrics: {problem}");
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        for mut line in self.lines(now) {
            line.push('\n');
            use std::io::Write as _;
            let _ = std::io::stdout().lock().write_all(line.as_bytes());
        }
    }
}

/// One EMF document.
fn line(
    namespace: &str,
    dimensions: &[(String, String)],
    metrics: &[(String, Unit, Vec<f64>)],
    properties: &[(&'static str, String)],
    timestamp_ms: u64,
) -> String {
    let mut root = Map::new();
    for (name, value) in properties {
        root.insert((*name).to_owned(), json!(value));
    }
    for (name, value) in dimensions {
        root.insert(name.clone(), json!(value));
    }
    let mut declared = Vec::with_capacity(metrics.len());
    for (name, unit, values) in metrics {
        declared.push(json!({"Name": name, "Unit": unit.as_str()}));
        let value = match values.as_slice() {
            [one] => json!(one),
            many => json!(many),
        };
        root.insert(name.clone(), value);
    }
    root.insert(
        "_aws".to_owned(),
        json!({
            "Timestamp": timestamp_ms,
            "CloudWatchMetrics": [{
                "Namespace": namespace,
                "Dimensions": [dimensions.iter().map(|(name, _)| name).collect::<Vec<_>>()],
                "Metrics": declared,
            }],
        }),
    );
    Value::Object(root).to_string()
}

impl Drop for Metrics {
    fn drop(&mut self) {
        // The last clone writes.
        if Arc::strong_count(&self.0) == 1 {
            self.flush();
        }
    }
}

/// Records the milliseconds from its start to its drop (or [`Timer::stop`]).
#[derive(Debug)]
pub struct Timer {
    metrics: Metrics,
    name: Option<String>,
    started: Instant,
}

impl Timer {
    /// Records now instead of when dropped.
    pub fn stop(mut self) {
        self.record();
    }

    fn record(&mut self) {
        if let Some(name) = self.name.take() {
            let ms = self.started.elapsed().as_secs_f64() * 1000.0;
            self.metrics.record(name, ms, Unit::Milliseconds);
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.record();
    }
}

impl FromInvocation for Metrics {
    fn from_invocation(invocation: &mut Invocation) -> Result<Self, Error> {
        let context = invocation.context();
        let env = &context.env;
        // Read from the environment once per process, with the function's configuration.
        // A setting CloudWatch would refuse is said once per process, not on every invocation.
        static REFUSED: AtomicBool = AtomicBool::new(false);
        let namespace = match &env.metrics_namespace {
            Some(namespace) if !valid_namespace(namespace) => {
                if !REFUSED.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        "metrics: LAMBDA_RT_METRICS_NAMESPACE={namespace:?} is not a namespace CloudWatch takes (1 to \
                         {MAX_NAME_LEN} of letters, digits, spaces and `.-_/#:`, not `AWS/...`): writing to \
                         `{DEFAULT_NAMESPACE}`"
                    );
                }
                DEFAULT_NAMESPACE.to_owned()
            }
            Some(namespace) => namespace.clone(),
            None => DEFAULT_NAMESPACE.to_owned(),
        };
        let service = env.metrics_service.clone().unwrap_or_else(|| env.function_name.clone());
        let metrics = Metrics::new(namespace, service.clone());
        {
            let mut recorded = metrics.lock();
            recorded.properties.push(("requestId", context.request_id.clone()));
            if let Some(trace) = &context.xray_trace_id {
                recorded.properties.push(("traceId", trace.clone()));
            }
            if env.metrics_cold_start && !COLD_START_WRITTEN.swap(true, Ordering::SeqCst) {
                recorded.cold_start = Some((service, env.function_name.clone()));
            }
        }
        Ok(metrics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(metrics: &Metrics) -> Vec<Value> {
        metrics
            .lines(1_700_000_000_000)
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn nothing_recorded_writes_nothing() {
        assert!(Metrics::new("ns", "svc").lines(1).is_empty());
    }

    #[test]
    fn one_line_declares_what_it_holds() {
        let m = Metrics::new("Shop", "checkout");
        m.dimension("channel", "web");
        m.count("Orders", 1.0);
        m.count("Orders", 2.0);
        m.record("Latency", 12.5, Unit::Milliseconds);
        let lines = parsed(&m);
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_eq!(line["_aws"]["Timestamp"], 1_700_000_000_000u64);
        let directive = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "Shop");
        assert_eq!(directive["Dimensions"], json!([["service", "channel"]]));
        assert_eq!(
            directive["Metrics"],
            json!([{"Name": "Latency", "Unit": "Milliseconds"}, {"Name": "Orders", "Unit": "Count"}])
        );
        assert_eq!(
            (line["service"].clone(), line["channel"].clone()),
            (json!("checkout"), json!("web"))
        );
        assert_eq!(line["Orders"], json!([1.0, 2.0]));
        assert_eq!(line["Latency"], json!(12.5));
    }

    #[test]
    fn limits_split_lines_and_drop_what_cannot_be_sent() {
        let m = Metrics::new("ns", "svc");
        for i in 0..250 {
            m.count(format!("m{i:03}"), 1.0);
        }
        for _ in 0..150 {
            m.count("m000", 1.0);
        }
        let lines = parsed(&m);
        assert_eq!(
            lines.len(),
            4,
            "250 metrics: 100 + 100 + 50, then the 51 more values of m000"
        );
        for line in &lines {
            let declared = line["_aws"]["CloudWatchMetrics"][0]["Metrics"].as_array().unwrap();
            assert!(declared.len() <= MAX_METRICS_PER_LINE);
            let mut names: Vec<&str> = declared.iter().map(|m| m["Name"].as_str().unwrap()).collect();
            names.dedup();
            assert_eq!(names.len(), declared.len(), "each metric once per line");
            for metric in declared {
                let values = &line[metric["Name"].as_str().unwrap()];
                assert!(values.as_array().map_or(1, Vec::len) <= MAX_VALUES_PER_METRIC);
            }
        }
        let m000: usize = lines
            .iter()
            .map(|l| l["m000"].as_array().map_or(usize::from(!l["m000"].is_null()), Vec::len))
            .sum();
        assert_eq!(m000, 151, "every value is written once");
        for i in 0..40 {
            m.dimension(format!("d{i}"), "v");
        }
        m.record("", 1.0, Unit::Count);
        m.record("nan", f64::NAN, Unit::Count);
        m.record("service", 1.0, Unit::Count);
        m.dimension("m001", "clash");
        let dims = parsed(&m)[0]["_aws"]["CloudWatchMetrics"][0]["Dimensions"][0]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(dims, MAX_DIMENSIONS);
        assert_eq!(m.lock().problems.len(), 40 + 4 - (MAX_DIMENSIONS - 1));
    }

    #[test]
    fn a_namespace_cloudwatch_refuses_is_replaced_and_a_too_long_value_dropped() {
        for bad in ["", "   ", ":x", "AWS/Lambda", "semi;colon", &"n".repeat(256)] {
            let m = Metrics::new(bad, "svc");
            m.count("Orders", 1.0);
            assert_eq!(
                parsed(&m)[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"],
                "lambda-rt",
                "{bad:?}"
            );
            assert!(
                m.lock().problems[0].contains("written to `lambda-rt` instead"),
                "{bad:?}"
            );
        }
        let m = Metrics::new("My Shop/orders-v2#eu:1", "svc");
        m.dimension("long", "v".repeat(MAX_DIMENSION_VALUE_LEN + 1));
        m.dimension("fits", "v".repeat(MAX_DIMENSION_VALUE_LEN));
        m.count("Orders", 1.0);
        let line = &parsed(&m)[0];
        assert_eq!(
            line["_aws"]["CloudWatchMetrics"][0]["Namespace"],
            "My Shop/orders-v2#eu:1"
        );
        assert!(line.get("long").is_none() && line["fits"].as_str().is_some_and(|v| v.len() == 1024));
        let problems = &m.lock().problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("dimension \"long\""), "{problems:?}");
    }
}
