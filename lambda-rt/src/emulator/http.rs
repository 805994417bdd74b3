//! The emulator's HTTP side: the Lambda Invoke API and the Runtime API, routed on one port.

use std::convert::Infallible;
use std::io::Write as _;
use std::sync::Arc;
use std::time::Instant;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};

use super::invoke_api::{Accepted, accept_invocation};
use super::logs::tail;
use super::reply::{Reply, empty, full, json_reply, not_found, runtime_error};
use super::state::{Function, InFlight, MAX_PAYLOAD, MAX_STREAMED, Outcome, Pending, Shared};

/// Accepts connections forever, serving each on a local task.
pub(super) async fn accept(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!("emulator: accept failed: {e}");
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        tokio::task::spawn_local(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, Infallible>(route(&shared, request).await) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            // A client that goes away mid-request is not an error worth reporting.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await;
        });
    }
}

async fn route(shared: &Arc<Shared>, request: Request<Incoming>) -> Reply {
    let path = request.uri().path().to_owned();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (request.method(), segments.as_slice()) {
        (&Method::POST, ["2015-03-31", "functions", name, "invocations"]) => {
            let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
            invoke(shared, &name, request).await
        }
        (&Method::POST, ["2021-11-15", "functions", name, "response-streaming-invocations"]) => {
            let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
            super::stream::invoke(shared, &name, request).await
        }
        (_, ["fn", index, "2018-06-01", rest @ ..]) => {
            match index.parse::<usize>().ok().filter(|i| *i < shared.functions.len()) {
                Some(index) => runtime_api(shared, index, rest, request).await,
                None => not_found(&path),
            }
        }
        #[cfg(feature = "durable")]
        (_, ["2025-12-01", rest @ ..]) => super::durable::api::route(shared, rest, request).await,
        (_, ["2018-06-01", rest @ ..]) => match shared.default {
            Some(index) => runtime_api(shared, index, rest, request).await,
            None => json_reply(
                StatusCode::NOT_FOUND,
                &serde_json::json!({"errorType": "NoDefaultHandler", "errorMessage": "set _HANDLER to choose which handler /2018-06-01 serves"}),
            ),
        },
        _ => match shared.http {
            Some((index, source)) => super::gateway::serve(shared, index, source, request).await,
            None => not_found(&path),
        },
    }
}

// ---- Invoke API -------------------------------------------------------------------------------

async fn invoke(shared: &Arc<Shared>, name: &str, request: Request<Incoming>) -> Reply {
    let accepted = match accept_invocation(shared, name, request, &["RequestResponse", "Event", "DryRun"]).await {
        Ok(accepted) => accepted,
        Err(reply) => return reply,
    };
    #[cfg(feature = "durable")]
    if shared.durable.as_ref().is_some_and(|d| d.is_durable(accepted.index)) {
        return super::durable::api::invoke(shared, accepted).await;
    }
    let Accepted {
        index,
        invocation_type,
        tail_log,
        tenant_id,
        body,
        ..
    } = accepted;
    let (request_id, outcome) = shared.submit(index, body, tenant_id, None);
    if invocation_type == "Event" {
        // Run it, log its outcome, answer the caller now.
        let id = request_id.clone();
        let logs = shared.logs.clone();
        tokio::task::spawn_local(async move {
            if let Outcome::Error { error_type, .. } = Outcome::ended(outcome.await) {
                tracing::warn!("asynchronous invocation {id} failed: {error_type}");
            }
            logs.take(&id);
        });
        return empty(StatusCode::ACCEPTED);
    }
    let outcome = Outcome::ended(outcome.await);
    let log = shared.logs.take(&request_id);
    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/json")
        .header("x-amzn-requestid", &request_id)
        .header("x-amz-executed-version", &shared.env.function_version);
    if tail_log {
        response = response.header(
            "x-amz-log-result",
            base64::engine::general_purpose::STANDARD.encode(tail(&log)),
        );
    }
    let body = match outcome {
        Outcome::Response(body) => body,
        Outcome::Error { body, .. } => {
            response = response.header("x-amz-function-error", "Unhandled");
            body
        }
    };
    response
        .body(full(body))
        .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR))
}

// ---- Runtime API ------------------------------------------------------------------------------

async fn runtime_api(shared: &Arc<Shared>, index: usize, rest: &[&str], request: Request<Incoming>) -> Reply {
    let function = &shared.functions[index];
    match (request.method(), rest) {
        (&Method::GET, ["runtime", "invocation", "next"]) => next(shared, index).await,
        (&Method::POST, ["runtime", "invocation", request_id, kind @ ("response" | "error")]) => {
            // As Lambda answers the late post of an invocation that timed out.
            if function.did_time_out(request_id) {
                return runtime_error(
                    StatusCode::GONE,
                    "InvokeTimeout",
                    &format!("invocation {request_id} timed out; its answer is not taken"),
                );
            }
            let error_type = error_type_header(&request, "Unhandled");
            let is_error = *kind == "error";
            // A streamed response may be larger than a buffered one (docs/design.md, "Response streaming").
            let streaming = request
                .headers()
                .get("lambda-runtime-function-response-mode")
                .is_some_and(|mode| mode.as_bytes().eq_ignore_ascii_case(b"streaming"));
            let limit = if streaming && !is_error {
                MAX_STREAMED
            } else {
                MAX_PAYLOAD
            };
            let request_id = (*request_id).to_owned();
            // A caller of InvokeWithResponseStream gets the pieces as they arrive; others the whole body.
            let forward_to = match streaming && !is_error {
                true => function.in_flight().get(&request_id).and_then(|f| f.chunks.clone()),
                false => None,
            };
            let received = match forward_to {
                Some(chunks) => super::stream::forward_body(request.into_body(), &chunks, limit)
                    .await
                    .map(|trailers| (Bytes::new(), trailers)),
                None => Limited::new(request.into_body(), limit)
                    .collect()
                    .await
                    .map(|collected| {
                        let trailers = collected.trailers().cloned();
                        (collected.to_bytes(), trailers)
                    })
                    .map_err(drop),
            };
            let Ok((body, trailers)) = received else {
                finish(
                    shared,
                    function,
                    &request_id,
                    Outcome::error(
                        "Function.ResponseSizeTooLarge",
                        &format!("Response payload size exceeded maximum allowed payload size ({limit} bytes)."),
                    ),
                );
                return runtime_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "RequestEntityTooLarge",
                    "response too large",
                );
            };
            // An error after a streamed body began arrives in the trailers, its JSON in base64.
            let trailer_error = trailers.as_ref().and_then(|trailers| {
                let error_type = trailers.get("lambda-runtime-function-error-type")?.to_str().ok()?;
                let body = trailers
                    .get("lambda-runtime-function-error-body")
                    .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.as_bytes()).ok())
                    .unwrap_or_default();
                Some(Outcome::Error {
                    error_type: error_type.to_owned(),
                    body: Bytes::from(body),
                })
            });
            let outcome = match trailer_error {
                Some(error) => error,
                None if is_error => Outcome::Error { error_type, body },
                None => Outcome::Response(body),
            };
            if finish(shared, function, &request_id, outcome) {
                json_reply(StatusCode::ACCEPTED, &serde_json::json!({"status": "OK"}))
            } else {
                runtime_error(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequestID",
                    &format!("no invocation {request_id} is in flight"),
                )
            }
        }
        (&Method::POST, ["runtime", "init", "error"]) => {
            let error_type = error_type_header(&request, crate::error::kind::UNKNOWN);
            let body = Limited::new(request.into_body(), MAX_PAYLOAD)
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            function.set_failed(Outcome::Error { error_type, body });
            json_reply(StatusCode::ACCEPTED, &serde_json::json!({"status": "OK"}))
        }
        _ => not_found(&format!("/2018-06-01/{}", rest.join("/"))),
    }
}

/// The `Lambda-Runtime-Function-Error-Type` of an error post, or `default` when it has none.
fn error_type_header(request: &Request<Incoming>, default: &str) -> String {
    request
        .headers()
        .get("lambda-runtime-function-error-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or(default)
        .to_owned()
}

/// Long-polls the function's queue and hands the next invocation to its runtime.
async fn next(shared: &Arc<Shared>, index: usize) -> Reply {
    let function = &shared.functions[index];
    let pending = {
        let mut queue = function.next.lock().await;
        loop {
            match queue.recv().await {
                // A caller that gave up while its invocation was queued is not served.
                Some(pending) if pending.reply.is_closed() => continue,
                Some(pending) => break pending,
                None => return runtime_error(StatusCode::INTERNAL_SERVER_ERROR, "EmulatorStopped", "stopping"),
            }
        }
    };
    let Pending {
        request_id,
        tenant_id,
        body,
        reply,
        chunks,
    } = pending;
    let started = Instant::now();
    shared.logs.append(
        &request_id,
        &format!("START RequestId: {request_id} Version: {}", shared.env.function_version),
    );
    let deadline = std::time::SystemTime::now() + shared.timeout;
    let deadline_ms = deadline
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let timer_shared = Arc::clone(shared);
    let timer_id = request_id.clone();
    let timer = tokio::task::spawn_local(async move {
        tokio::time::sleep(timer_shared.timeout).await;
        let function = &timer_shared.functions[index];
        let message = format!("Task timed out after {:.2} seconds", timer_shared.timeout.as_secs_f64());
        if finish(
            &timer_shared,
            function,
            &timer_id,
            Outcome::error(crate::error::kind::TIMED_OUT, &message),
        ) {
            function.timed_out(&timer_id);
            // Lambda replaces the environment of a timed-out invocation; Managed Instances (more than one
            // at a time) let the handler run on, and the runtime cancels it after its grace.
            if timer_shared.concurrency <= 1 {
                function.restart.notify_one();
            }
        }
    });
    function.in_flight().insert(
        request_id.clone(),
        InFlight {
            reply,
            chunks,
            started,
            timer: timer.abort_handle(),
        },
    );
    let trace_id = format!(
        "Root=1-{:08x}-{:0>24};Sampled=0",
        deadline_ms / 1000,
        request_id.replace('-', "").get(..24).unwrap_or("0")
    );
    let mut response = Response::builder();
    if let Some(tenant_id) = tenant_id {
        response = response.header("lambda-runtime-aws-tenant-id", tenant_id);
    }
    response
        .status(StatusCode::OK)
        .header("content-type", "application/json")
        .header("lambda-runtime-aws-request-id", &request_id)
        .header("lambda-runtime-invocation-id", shared.request_id())
        .header("lambda-runtime-deadline-ms", deadline_ms.to_string())
        .header("lambda-runtime-invoked-function-arn", shared.env.function_arn())
        .header("lambda-runtime-trace-id", trace_id)
        .body(full(body))
        .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR))
}

/// Completes an in-flight invocation; false when it was not in flight (already answered or unknown).
fn finish(shared: &Shared, function: &Function, request_id: &str, outcome: Outcome) -> bool {
    let Some(in_flight) = function.in_flight().remove(request_id) else {
        return false;
    };
    // Stops the timer (a no-op when the timer itself is finishing the invocation).
    in_flight.timer.abort();
    let millis = in_flight.started.elapsed().as_secs_f64() * 1000.0;
    let status = match &outcome {
        Outcome::Response(_) => String::new(),
        Outcome::Error { error_type, .. } => format!("\tStatus: {error_type}"),
    };
    shared.logs.append(request_id, &format!("END RequestId: {request_id}"));
    let report = format!(
        "REPORT RequestId: {request_id}\tDuration: {millis:.2} ms\tHandler: {}{status}",
        function.name
    );
    shared.logs.append(request_id, &report);
    // Like Lambda's REPORT line in the function's log. A closed stderr must not stop the emulator.
    let _ = writeln!(std::io::stderr().lock(), "{report}");
    let _ = in_flight.reply.send(outcome);
    true
}
