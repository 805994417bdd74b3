//! The durable execution API on the emulator's port, as the Lambda API serves it (rest-json: the ARN a
//! percent-encoded path label, options in the query, bodies JSON), and the Invoke API of a durable
//! handler.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use super::driver::{begin_calls, ended, start};
use super::service::{DurableService, now};
use super::store::{ApiError, Completion, Status};
use crate::durable::protocol::{ErrorObject, OperationUpdate};
use crate::emulator::invoke_api::Accepted;
use crate::emulator::reply::{Reply, aws_error, empty, full, json_reply, not_found};
use crate::emulator::state::{MAX_PAYLOAD, Shared};

/// The largest request body the API takes (a checkpoint's updates, a callback's result).
const MAX_BODY: usize = MAX_PAYLOAD;

fn api_error(error: &ApiError) -> Reply {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
    aws_error(status, error.code, &error.message)
}

fn answer(result: Result<Value, ApiError>) -> Reply {
    match result {
        Ok(value) => json_reply(StatusCode::OK, &value),
        Err(error) => api_error(&error),
    }
}

/// The query's `name` values, decoded.
fn query_values(request: &Request<Incoming>, name: &str) -> Vec<String> {
    request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(key, _)| *key == name)
        .map(|(_, value)| {
            percent_encoding::percent_decode_str(&value.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

fn query(request: &Request<Incoming>, name: &str) -> Option<String> {
    query_values(request, name).into_iter().next()
}

fn flag(request: &Request<Incoming>, name: &str) -> bool {
    query(request, name).is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

async fn body(request: Request<Incoming>) -> Result<Bytes, Reply> {
    Limited::new(request.into_body(), MAX_BODY)
        .collect()
        .await
        .map(|b| b.to_bytes())
        .map_err(|e| {
            aws_error(
                StatusCode::BAD_REQUEST,
                "InvalidRequestContentException",
                &e.to_string(),
            )
        })
}

fn invalid_json(what: &str, e: &serde_json::Error) -> Reply {
    aws_error(
        StatusCode::BAD_REQUEST,
        "InvalidRequestContentException",
        &format!("{what} is not the API's JSON: {e}"),
    )
}

/// Routes `/2025-12-01/{rest}`.
pub(crate) async fn route(shared: &Arc<Shared>, rest: &[&str], request: Request<Incoming>) -> Reply {
    let Some(service) = shared.durable.as_ref() else {
        return aws_error(
            StatusCode::NOT_FOUND,
            "UnknownOperationException",
            "the emulator is not the durable execution service: AWS_ENDPOINT_URL_LAMBDA names another one",
        );
    };
    let decode = |segment: &str| {
        percent_encoding::percent_decode_str(segment)
            .decode_utf8_lossy()
            .into_owned()
    };
    match (request.method().clone(), rest) {
        (Method::POST, ["durable-executions", arn, "checkpoint"]) => {
            let arn = decode(arn);
            checkpoint(shared, service, &arn, request).await
        }
        (Method::GET, ["durable-executions", arn, "state"]) => {
            let arn = decode(arn);
            let token = query(&request, "CheckpointToken").unwrap_or_default();
            let max = query(&request, "MaxItems")
                .and_then(|m| m.parse().ok())
                .unwrap_or(super::store::PAGE);
            answer(
                service
                    .store()
                    .state(&arn, &token, query(&request, "Marker").as_deref(), max),
            )
        }
        (Method::GET, ["durable-executions", arn]) => {
            let include = query(&request, "IncludeExecutionData").is_none_or(|v| v.eq_ignore_ascii_case("true"));
            answer(service.store().describe(&decode(arn), include))
        }
        (Method::GET, ["durable-executions", arn, "history"]) => {
            let include = flag(&request, "IncludeExecutionData");
            let max = query(&request, "MaxItems").and_then(|m| m.parse().ok()).unwrap_or(1000);
            let marker = query(&request, "Marker");
            let reverse = flag(&request, "ReverseOrder");
            answer(
                service
                    .store()
                    .history(&decode(arn), include, marker.as_deref(), max, reverse),
            )
        }
        (Method::POST, ["durable-executions", arn, "stop"]) => {
            let arn = decode(arn);
            let bytes = match body(request).await {
                Ok(bytes) => bytes,
                Err(reply) => return reply,
            };
            let error = match bytes.is_empty() {
                true => None,
                false => match serde_json::from_slice::<Value>(&bytes) {
                    Ok(value) if value["Error"].is_null() => None,
                    Ok(value) => match serde_json::from_value::<ErrorObject>(value["Error"].clone()) {
                        Ok(error) => Some(error),
                        Err(e) => return invalid_json("StopDurableExecution's `Error`", &e),
                    },
                    Err(e) => return invalid_json("StopDurableExecution's body", &e),
                },
            };
            let stopped = service.store().stop(&arn, error, now());
            service.changed();
            answer(stopped.map(|at| json!({ "StopTimestamp": at })))
        }
        (Method::GET, ["functions", name, "durable-executions"]) => {
            let name = decode(name);
            let Some(index) = shared.resolve(&name) else {
                return aws_error(
                    StatusCode::NOT_FOUND,
                    "ResourceNotFoundException",
                    &format!("Function not found: {name}"),
                );
            };
            let statuses = query_values(&request, "Statuses");
            let named = query(&request, "DurableExecutionName");
            let listed = service
                .store()
                .list(index, named.as_deref(), &statuses, flag(&request, "ReverseOrder"));
            json_reply(StatusCode::OK, &listed)
        }
        (
            Method::POST,
            [
                "durable-execution-callbacks",
                id,
                action @ ("succeed" | "fail" | "heartbeat"),
            ],
        ) => {
            let id = decode(id);
            let action = *action;
            let bytes = match body(request).await {
                Ok(bytes) => bytes,
                Err(reply) => return reply,
            };
            let done = match action {
                "heartbeat" => service.store().heartbeat(&id, now()),
                "succeed" => {
                    let result = String::from_utf8_lossy(&bytes).into_owned();
                    service
                        .store()
                        .complete_callback(&id, &Completion::Succeeded(result), now())
                }
                _ => {
                    let error = match bytes.is_empty() {
                        true => ErrorObject::default(),
                        false => match serde_json::from_slice(&bytes) {
                            Ok(error) => error,
                            Err(e) => return invalid_json("the callback's error", &e),
                        },
                    };
                    service
                        .store()
                        .complete_callback(&id, &Completion::Failed(error), now())
                }
            };
            service.changed();
            answer(done.map(|_| json!({})))
        }
        _ => not_found(&format!("/2025-12-01/{}", rest.join("/"))),
    }
}

async fn checkpoint(shared: &Arc<Shared>, service: &DurableService, arn: &str, request: Request<Incoming>) -> Reply {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Checkpoint {
        checkpoint_token: String,
        #[serde(default)]
        updates: Vec<OperationUpdate>,
    }
    let bytes = match body(request).await {
        Ok(bytes) => bytes,
        Err(reply) => return reply,
    };
    let checkpoint: Checkpoint = match serde_json::from_slice(&bytes) {
        Ok(checkpoint) => checkpoint,
        Err(e) => return invalid_json("the checkpoint", &e),
    };
    let result = {
        let mut store = service.store();
        let result = store.checkpoint(arn, &checkpoint.checkpoint_token, &checkpoint.updates, now());
        if let Ok(index) = store.find(arn) {
            let calls = store.take_calls(index);
            begin_calls(shared, service, &mut store, calls);
        }
        result
    };
    service.changed();
    answer(result)
}

/// An Invoke of durable handler `accepted.index`: starts (or finds, by name) an execution and answers
/// when it is over (`RequestResponse`) or at once (`Event`).
pub(crate) async fn invoke(shared: &Arc<Shared>, accepted: Accepted) -> Reply {
    let Some(service) = shared.durable.as_ref() else {
        return empty(StatusCode::INTERNAL_SERVER_ERROR);
    };
    let input = String::from_utf8_lossy(&accepted.body).into_owned();
    let input = if input.trim().is_empty() {
        "{}".to_owned()
    } else {
        input
    };
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&input) {
        return aws_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequestContentException",
            &format!("Could not parse request body into json: {e}"),
        );
    }
    let execution = match start(
        shared,
        service,
        accepted.index,
        accepted.durable_execution_name.as_deref(),
        input,
    ) {
        Ok(execution) => execution,
        Err(error) => return api_error(&error),
    };
    // Saved before the ARN is answered: a restart right after keeps the execution.
    service.changed();
    let arn = service.store().execution(execution).arn.clone();
    let response = Response::builder()
        .header("x-amz-durable-execution-arn", &arn)
        .header("x-amz-executed-version", "$LATEST");
    if accepted.invocation_type == "Event" {
        return response
            .status(StatusCode::ACCEPTED)
            .body(full(Bytes::new()))
            .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR));
    }
    let status = ended(service, execution).await;
    let (body, failed) = {
        let store = service.store();
        let execution = store.execution(execution);
        match status {
            Status::Succeeded => (execution.result.clone().unwrap_or_else(|| "null".to_owned()), false),
            _ => {
                let error = execution.error.clone().unwrap_or_default();
                let body = json!({
                    "errorType": error.error_type.unwrap_or_else(|| format!("Execution{}", status.as_str())),
                    "errorMessage": error.error_message.unwrap_or_default(),
                });
                (body.to_string(), true)
            }
        }
    };
    let mut response = response
        .status(StatusCode::OK)
        .header("content-type", "application/json");
    if failed {
        response = response.header("x-amz-function-error", "Unhandled");
    }
    response
        .body(full(Bytes::from(body)))
        .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR))
}
