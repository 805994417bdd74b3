//! `bootstrap manifest`: what the built binary says about itself, in the types of `lambda-fn-manifest`
//! (which `cargo lambda-rt template` reads back): every handler (name, event and return types, streaming,
//! batch settings, HTTP routes, memory, timeout and triggers, the state it needs, where it is defined) and
//! every `#[init]` function. The binary is the source of truth for what is generated from it (a deploy
//! template, a check that a hand-written one is in step).

use lambda_fn_manifest as schema;

use crate::catalog;
use crate::registry::{HandlerRegistration, InitRegistration, Trigger};

/// The manifest of this binary's registrations, handlers sorted by name; an error names what cannot be
/// written (an event pattern that is not JSON).
pub(crate) fn manifest() -> Result<schema::Manifest, String> {
    let mut handlers: Vec<&'static HandlerRegistration> = catalog::all_handlers().collect();
    handlers.sort_by_key(|h| (h.name, h.file, h.line));
    let mut inits: Vec<&InitRegistration> = inventory::iter::<InitRegistration>().collect();
    inits.sort_by_key(|i| (i.state_type, i.file, i.line));
    let handlers = handlers.into_iter().map(handler).collect::<Result<Vec<_>, _>>()?;
    let inits = inits
        .iter()
        .map(|i| schema::Init {
            state_type: i.state_type.to_owned(),
            source: source(i.file, i.line, i.module),
        })
        .collect();
    // Lambda's names for the architecture the binary was built for.
    let architecture = match std::env::consts::ARCH {
        "aarch64" => "arm64",
        other => other,
    };
    Ok(schema::Manifest::new(
        env!("CARGO_PKG_VERSION"),
        architecture,
        handlers,
        inits,
    ))
}

fn handler(h: &'static HandlerRegistration) -> Result<schema::Handler, String> {
    let mut state: Vec<String> = catalog::state_needs(h).map(|key| key.type_name.to_owned()).collect();
    state.sort_unstable();
    state.dedup();
    let mut handler = schema::Handler::new(h.name, h.event_type, h.return_type);
    handler.streaming = h.streaming;
    handler.batch = h.batch.map(|b| schema::Batch {
        report_batch_item_failures: true,
        concurrency: b.concurrency,
        margin_ms: b.margin_ms,
    });
    handler.routes = crate::http::routes_for_manifest(h.name)
        .into_iter()
        .map(|(method, path)| schema::Route {
            method: method.to_owned(),
            path: path.to_owned(),
        })
        .collect();
    // The API Gateway that serves the routes: an HTTP API unless the annotation says `rest`.
    handler.api = match h.deploy.api {
        Some("rest") => schema::Api::Rest,
        _ => schema::Api::Http,
    };
    handler.memory_size = h.deploy.memory_mb;
    handler.timeout = h.deploy.timeout_s;
    handler.reserved_concurrency = h.deploy.reserved_concurrency;
    handler.architecture = h.deploy.architecture.map(str::to_owned);
    handler.environment = h
        .deploy
        .env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    handler.triggers = h
        .deploy
        .triggers
        .iter()
        .map(|t| trigger(h, t))
        .collect::<Result<Vec<_>, _>>()?;
    handler.durable = h.deploy.durable.map(|d| schema::Durable {
        execution_timeout: d.timeout_s,
        retention_period_in_days: d.retention_days,
    });
    let mut calls: Vec<String> = h.deploy.calls.iter().map(|&name| name.to_owned()).collect();
    calls.sort_unstable();
    calls.dedup();
    handler.calls = calls;
    handler.state = state;
    handler.source = source(h.file, h.line, h.module);
    Ok(handler)
}

fn source(file: &str, line: u32, module: &str) -> schema::Source {
    schema::Source {
        file: file.to_owned(),
        line,
        module: module.to_owned(),
    }
}

fn trigger(h: &HandlerRegistration, trigger: &Trigger) -> Result<schema::Trigger, String> {
    let owned = |s: &str| s.to_owned();
    Ok(match *trigger {
        Trigger::Sqs {
            queue,
            batch_size,
            window_s,
        } => schema::Trigger::Sqs {
            queue: owned(queue),
            batch_size,
            window_seconds: window_s,
        },
        Trigger::Sns { topic } => schema::Trigger::Sns { topic: owned(topic) },
        Trigger::Kinesis { stream } => schema::Trigger::Kinesis { stream: owned(stream) },
        Trigger::DynamoDb { table } => schema::Trigger::DynamoDb { table: owned(table) },
        Trigger::S3 { bucket } => schema::Trigger::S3 { bucket: owned(bucket) },
        Trigger::Schedule { expression } => schema::Trigger::Schedule {
            expression: owned(expression),
        },
        Trigger::EventBridge { pattern, bus } => schema::Trigger::EventBridge {
            // Checked when the handler compiled, by the macro's own parser: serde_json has the last word.
            pattern: serde_json::from_str(pattern).map_err(|error| {
                format!(
                    "the event pattern of `{}` ({}:{}) is not JSON: {error}",
                    h.name, h.file, h.line
                )
            })?,
            bus: bus.map(owned),
        },
        Trigger::Alb {
            listener,
            path,
            priority,
        } => schema::Trigger::Alb {
            listener: owned(listener),
            path: owned(path),
            priority,
        },
        Trigger::Url { streaming } => schema::Trigger::Url {
            invoke_mode: if streaming {
                schema::InvokeMode::ResponseStream
            } else {
                schema::InvokeMode::Buffered
            },
        },
    })
}
