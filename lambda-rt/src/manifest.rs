//! `bootstrap manifest`: what the built binary says about itself, as JSON: every handler (name, event
//! and return types, streaming, batch settings, HTTP routes, memory, timeout and triggers, the state it needs,
//! where it is defined) and every
//! `#[init]` function. The binary is the source of truth for what is generated from it (a deploy
//! template, a check that a hand-written one is in step).

use serde_json::{Value, json};

use crate::catalog;
use crate::registry::{HandlerRegistration, InitRegistration};

/// The manifest of this binary's registrations, handlers sorted by name; an error names what cannot be
/// written (an event pattern that is not JSON).
pub(crate) fn manifest() -> Result<Value, String> {
    let mut handlers: Vec<&HandlerRegistration> = catalog::all_handlers().collect();
    handlers.sort_by_key(|h| (h.name, h.file, h.line));
    let mut inits: Vec<&InitRegistration> = inventory::iter::<InitRegistration>().collect();
    inits.sort_by_key(|i| (i.state_type, i.file, i.line));
    let handlers = handlers.iter().map(|h| handler(h)).collect::<Result<Vec<_>, _>>()?;
    Ok(json!({
        "manifestVersion": 1,
        "lambdaRt": env!("CARGO_PKG_VERSION"),
        // Lambda's names for the architecture the binary was built for.
        "architecture": match std::env::consts::ARCH {
            "aarch64" => "arm64",
            other => other,
        },
        "handlers": handlers,
        "inits": inits.iter().map(|i| json!({
            "stateType": i.state_type,
            "source": {"file": i.file, "line": i.line, "module": i.module},
        })).collect::<Vec<_>>(),
    }))
}

fn handler(h: &'static HandlerRegistration) -> Result<Value, String> {
    let mut state: Vec<&str> = catalog::state_needs(h).map(|key| key.type_name).collect();
    state.sort_unstable();
    state.dedup();
    Ok(json!({
        "name": h.name,
        "eventType": h.event_type,
        "returnType": h.return_type,
        "streaming": h.streaming,
        "batch": h.batch.map(|b| json!({
            "reportBatchItemFailures": true,
            "concurrency": b.concurrency,
            "marginMs": b.margin_ms,
        })),
        "routes": crate::http::routes_for_manifest(h.name)
            .into_iter()
            .map(|(method, path)| json!({"method": method, "path": path}))
            .collect::<Vec<_>>(),
        "memorySize": h.deploy.memory_mb,
        "timeout": h.deploy.timeout_s,
        "reservedConcurrency": h.deploy.reserved_concurrency,
        "architecture": h.deploy.architecture,
        // The API Gateway that serves the routes: `http` (an HTTP API) unless the annotation says `rest`.
        "api": h.deploy.api.unwrap_or("http"),
        "environment": h.deploy.env.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "triggers": h
            .deploy
            .triggers
            .iter()
            .map(|t| trigger(h, t))
            .collect::<Result<Vec<_>, _>>()?,
        "state": state,
        "source": {"file": h.file, "line": h.line, "module": h.module},
    }))
}

fn trigger(h: &HandlerRegistration, trigger: &crate::registry::Trigger) -> Result<Value, String> {
    use crate::registry::Trigger;
    Ok(match *trigger {
        Trigger::Sqs {
            queue,
            batch_size,
            window_s,
        } => json!({"type": "sqs", "queue": queue, "batchSize": batch_size, "windowSeconds": window_s}),
        Trigger::Sns { topic } => json!({"type": "sns", "topic": topic}),
        Trigger::Kinesis { stream } => json!({"type": "kinesis", "stream": stream}),
        Trigger::DynamoDb { table } => json!({"type": "dynamodb", "table": table}),
        Trigger::S3 { bucket } => json!({"type": "s3", "bucket": bucket}),
        Trigger::Schedule { expression } => json!({"type": "schedule", "expression": expression}),
        Trigger::EventBridge { pattern, bus } => json!({
            "type": "eventbridge",
            // Checked when the handler compiled, by the macro's own parser: serde_json has the last word.
            "pattern": serde_json::from_str::<Value>(pattern).map_err(|error| {
                format!("the event pattern of `{}` ({}:{}) is not JSON: {error}", h.name, h.file, h.line)
            })?,
            "bus": bus,
        }),
        Trigger::Alb {
            listener,
            path,
            priority,
        } => json!({"type": "alb", "listener": listener, "path": path, "priority": priority}),
        Trigger::Url { streaming } => json!({
            "type": "url",
            "invokeMode": if streaming { "RESPONSE_STREAM" } else { "BUFFERED" },
        }),
    })
}
