//! CloudWatch metrics end to end: the real `bootstrap` serves `metrics.demo`, which records a counter,
//! a count and a timer with a dimension on every invocation; every line it writes on stdout is checked
//! against the Embedded Metric Format specification's required members and limits.

// Panicking is how a helper of a test fails it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Bootstrap, Event, FakeApi, TIMEOUT, command, response};

const UNITS: &[&str] = &[
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
];

/// Checks one line against the EMF specification: the `_aws` metadata (an integer millisecond
/// `Timestamp`, `CloudWatchMetrics` directives with a `Namespace`, `Dimensions` of at most 30 names
/// each found at the root as strings, at most 100 `Metrics`, each named at the root with a number or
/// at most 100 numbers, with a known `Unit`). Returns the line.
fn valid_emf(line: &str) -> Value {
    let doc: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    let aws = &doc["_aws"];
    let timestamp = aws["Timestamp"]
        .as_u64()
        .unwrap_or_else(|| panic!("no integer Timestamp: {line}"));
    assert!(timestamp > 1_600_000_000_000, "Timestamp is in milliseconds: {line}");
    let directives = aws["CloudWatchMetrics"].as_array().expect("CloudWatchMetrics");
    assert!(!directives.is_empty());
    for directive in directives {
        let namespace = directive["Namespace"].as_str().expect("Namespace");
        assert!((1..=255).contains(&namespace.len()));
        for set in directive["Dimensions"].as_array().expect("Dimensions") {
            let set = set.as_array().expect("a dimension set");
            assert!(set.len() <= 30, "{line}");
            for name in set {
                let name = name.as_str().expect("a dimension name");
                assert!(
                    doc[name].is_string(),
                    "dimension {name} has a string value at the root: {line}"
                );
            }
        }
        let metrics = directive["Metrics"].as_array().expect("Metrics");
        assert!(!metrics.is_empty() && metrics.len() <= 100, "{line}");
        for metric in metrics {
            let name = metric["Name"].as_str().expect("Name");
            assert!((1..=255).contains(&name.chars().count()));
            if let Some(unit) = metric.get("Unit") {
                assert!(UNITS.contains(&unit.as_str().expect("a string Unit")), "{line}");
            }
            match &doc[name] {
                Value::Number(_) => {}
                Value::Array(values) => {
                    assert!(values.len() <= 100 && values.iter().all(Value::is_number), "{line}")
                }
                other => panic!("metric {name} has no number at the root ({other}): {line}"),
            }
        }
    }
    doc
}

/// Waits until the bootstrap has written `count` lines on stdout.
async fn stdout_lines(bootstrap: &Bootstrap, count: usize) -> Vec<String> {
    let until = Instant::now() + TIMEOUT;
    loop {
        let lines: Vec<String> = bootstrap.stdout().lines().map(str::to_owned).collect();
        if lines.len() >= count || Instant::now() > until {
            return lines;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn every_invocation_writes_valid_emf_and_the_cold_start_once() {
    let api = FakeApi::start().await;
    let mut command = command(Some(&api.host_port()), Some("metrics.demo"));
    command
        .env("LAMBDA_RT_METRICS_NAMESPACE", "Demo")
        .env("LAMBDA_RT_METRICS_COLD_START", "1");
    let bootstrap = Bootstrap::spawn(command, Some(&api));
    for (i, event) in [
        json!({"items": 3, "channel": "web"}),
        json!({"items": 1, "channel": "mobile"}),
        json!({}),
    ]
    .iter()
    .enumerate()
    {
        let id = format!("m-{i}");
        api.push(Event::new(&id, event.to_string()));
        assert_eq!(api.answer_for(&id).await.call(), response(&id));
    }
    let lines = stdout_lines(&bootstrap, 4).await;
    assert_eq!(
        lines.len(),
        4,
        "a cold-start line, then one per invocation:\n{lines:#?}"
    );
    let docs: Vec<Value> = lines.iter().map(|l| valid_emf(l)).collect();

    let cold = &docs[0];
    assert_eq!(cold["ColdStart"], json!(1.0));
    assert_eq!(
        cold["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
        json!([["service", "function_name"]])
    );
    assert_eq!(cold["function_name"], support::FUNCTION_NAME);
    assert!(
        docs[1..].iter().all(|d| d.get("ColdStart").is_none()),
        "the cold start is written once"
    );

    for (doc, (id, items, channel)) in
        docs[1..]
            .iter()
            .zip([("m-0", 3.0, "web"), ("m-1", 1.0, "mobile"), ("m-2", 1.0, "web")])
    {
        let directive = &doc["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "Demo");
        assert_eq!(directive["Dimensions"], json!([["service", "channel"]]));
        assert_eq!(
            doc["service"],
            support::FUNCTION_NAME,
            "the service defaults to the function name"
        );
        assert_eq!(
            (doc["channel"].as_str(), doc["requestId"].as_str()),
            (Some(channel), Some(id))
        );
        assert_eq!(
            (doc["Orders"].clone(), doc["Items"].clone()),
            (json!(1.0), json!(items))
        );
        let timer = directive["Metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["Name"] == "PricingTime")
            .cloned();
        assert_eq!(timer, Some(json!({"Name": "PricingTime", "Unit": "Milliseconds"})));
        assert!(doc["PricingTime"].as_f64().unwrap() >= 0.0);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_handler_without_metrics_writes_none() {
    let api = FakeApi::start().await;
    let mut command = command(Some(&api.host_port()), Some("echo.raw"));
    command.env("LAMBDA_RT_METRICS_COLD_START", "1");
    let bootstrap = Bootstrap::spawn(command, Some(&api));
    api.push(Event::new("e-1", "[1]"));
    api.answer_for("e-1").await;
    api.wait_for_polls(2).await;
    assert_eq!(bootstrap.stdout(), "", "no metric recorded, no line");
}
