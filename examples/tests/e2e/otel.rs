//! OpenTelemetry end to end (lambda-fn's `otel` feature): the real `otel-bootstrap` (the examples'
//! handlers with a `tracing-opentelemetry` layer and the OTLP/HTTP exporter in batches) against a Runtime
//! API on 127.0.0.1 that is also its collector. Each invocation's span reaches the collector before the
//! invocation's answer is posted, with its parent from the event's `traceparent` or Lambda's X-Ray header,
//! its `faas.trigger` and its `cloud.*` attributes.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::support;

use serde_json::{Value, json};
use support::{Bootstrap, Event, FakeApi, Recorded, sample_event, trace_id_for};

/// Where the collector takes spans (the OTLP/HTTP path), on the fake API's own port.
const TRACES: &str = "/v1/traces";

/// Starts `otel-bootstrap` serving `handler`, exporting to the fake API, with `env`.
async fn traced(handler: &str, env: &[(&str, &str)]) -> (FakeApi, Bootstrap) {
    let api = FakeApi::start().await;
    api.answer_with(TRACES, 200);
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_otel-bootstrap"));
    command
        .env_clear()
        .envs(support::lambda_env())
        .env("AWS_LAMBDA_RUNTIME_API", api.host_port())
        .env("_HANDLER", handler)
        .env(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            format!("http://{}{TRACES}", api.host_port()),
        )
        // The collector is local: the exporter's HTTP client must not take the dead proxy of the test env.
        .env("NO_PROXY", "127.0.0.1")
        .envs(env.iter().copied());
    let bootstrap = Bootstrap::spawn(command, Some(&api));
    (api, bootstrap)
}

/// Every span of the OTLP/JSON exports in `log`, in order.
fn exported_spans(log: &[Recorded]) -> Vec<Value> {
    log.iter()
        .filter(|r| r.path == TRACES)
        .flat_map(|r| {
            let body = r.json();
            let mut spans = Vec::new();
            for resource in body["resourceSpans"].as_array().into_iter().flatten() {
                for scope in resource["scopeSpans"].as_array().into_iter().flatten() {
                    spans.extend(scope["spans"].as_array().into_iter().flatten().cloned());
                }
            }
            spans
        })
        .collect()
}

/// A span attribute's string (or integer, as text) value.
fn attribute(span: &Value, key: &str) -> Option<String> {
    let value = &span["attributes"].as_array()?.iter().find(|a| a["key"] == key)?["value"];
    value["stringValue"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| value["intValue"].as_str().map(str::to_owned))
        .or_else(|| value["intValue"].as_i64().map(|n| n.to_string()))
}

/// The span of invocation `request_id` among the exported ones.
fn invocation_span<'a>(spans: &'a [Value], request_id: &str) -> &'a Value {
    spans
        .iter()
        .find(|s| attribute(s, "faas.invocation_id").as_deref() == Some(request_id))
        .unwrap_or_else(|| panic!("no span of {request_id} in {spans:#?}"))
}

/// Index in `log` of the first export holding the span of `request_id`, and of its answer.
fn export_and_answer(log: &[Recorded], request_id: &str) -> (usize, usize) {
    let export = log
        .iter()
        .position(|r| {
            exported_spans(std::slice::from_ref(r))
                .iter()
                .any(|s| attribute(s, "faas.invocation_id").as_deref() == Some(request_id))
        })
        .unwrap_or_else(|| panic!("the span of {request_id} was not exported"));
    let answer = log.iter().position(|r| r.answers(request_id)).expect("answered");
    (export, answer)
}

/// The API Gateway sample event with a W3C `traceparent` header.
fn apigw_with_traceparent(traceparent: &str) -> String {
    let mut event: Value = serde_json::from_str(&sample_event("apigw.json")).unwrap();
    event["headers"]["traceparent"] = json!(traceparent);
    event.to_string()
}

#[tokio::test]
async fn each_invocation_span_reaches_the_collector_before_its_answer_with_its_parent() {
    let (api, mut bootstrap) = traced("square.APIGW", &[]).await;
    let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    api.push(Event::new("w3c-1", apigw_with_traceparent(traceparent)));
    api.push(Event::new("xray-2", sample_event("apigw.json")));
    api.answer_for("w3c-1").await;
    api.answer_for("xray-2").await;
    let log = api.requests();
    let spans = exported_spans(&log);

    // Exported before the answer: the flush ran after the handler returned, before the post.
    for id in ["w3c-1", "xray-2"] {
        let (export, answer) = export_and_answer(&log, id);
        assert!(
            export < answer,
            "{id}: exported at request #{export}, answered at #{answer}"
        );
    }

    // The caller's W3C trace wins over Lambda's.
    let w3c = invocation_span(&spans, "w3c-1");
    assert_eq!(w3c["name"], "square.APIGW", "{w3c}");
    assert_eq!(w3c["kind"], 2, "kind server: {w3c}");
    assert_eq!(w3c["traceId"], "0af7651916cd43dd8448eb211c80319c", "{w3c}");
    assert_eq!(w3c["parentSpanId"], "b7ad6b7169203331", "{w3c}");
    assert_eq!(attribute(w3c, "faas.trigger").as_deref(), Some("http"));

    // Without one, the X-Ray header the Runtime API sent: Root=1-<time>-<24 hex>;Parent=<16 hex>.
    let xray = invocation_span(&spans, "xray-2");
    let header = trace_id_for("xray-2");
    let root = header
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("Root=1-")
        .replace('-', "");
    let parent = header.split("Parent=").nth(1).unwrap().split(';').next().unwrap();
    assert_eq!(xray["traceId"], root, "{xray}");
    assert_eq!(xray["parentSpanId"], parent, "{xray}");
    for (key, value) in [
        ("faas.trigger", "http"),
        ("cloud.provider", "aws"),
        ("cloud.platform", "aws_lambda"),
        ("cloud.region", "eu-west-3"),
        ("cloud.account.id", "123456789012"),
        ("faas.name", support::FUNCTION_NAME),
        ("faas.max_memory", "268435456"),
    ] {
        assert_eq!(attribute(xray, key).as_deref(), Some(value), "{key}: {xray}");
    }
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn batch_handlers_under_concurrency_flush_each_invocation_before_its_answer() {
    let (api, mut bootstrap) = traced("orders.sqs", &[("AWS_LAMBDA_MAX_CONCURRENCY", "2")]).await;
    for id in ["sqs-1", "sqs-2", "sqs-3"] {
        api.push(Event::new(id, sample_event("orders-sqs.json")));
    }
    for id in ["sqs-1", "sqs-2", "sqs-3"] {
        api.answer_for(id).await;
    }
    let log = api.requests();
    let spans = exported_spans(&log);
    for id in ["sqs-1", "sqs-2", "sqs-3"] {
        let (export, answer) = export_and_answer(&log, id);
        assert!(
            export < answer,
            "{id}: exported at request #{export}, answered at #{answer}"
        );
        let span = invocation_span(&spans, id);
        assert_eq!(attribute(span, "faas.trigger").as_deref(), Some("pubsub"), "{span}");
        assert_eq!(span["parentSpanId"], "53995c3f42cd8ad8", "{span}");
    }
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}
