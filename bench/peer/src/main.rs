//! The benchmark's peer `bootstrap`: the handlers of `bench/ours` written for the official Rust runtime,
//! `lambda_runtime` (crates.io), the way its README and `cargo lambda new` write a function.
//!
//! `_HANDLER` picks the handler:
//! - `echo`: `serde_json::Value` in, the same value out;
//! - `apigw`: a typed `ApiGatewayProxyRequest` whose body is `{"number": n}`, answered with a 200
//!   `ApiGatewayProxyResponse` whose body is `{"result": n*n}`;
//! - `work.cpu` / `sleep.ms`: `{"ms": n}`, n ms of CPU without awaiting / n ms of waiting, served with
//!   `run_concurrent` (its mode for `AWS_LAMBDA_MAX_CONCURRENCY`);
//! - `orders`: an SQS batch of `{"id", "quantity"}` bodies, the loop written by hand as the official
//!   stack has it (typed `SqsEvent`, each body decoded, failures logged with their reason and collected
//!   in an `SqsBatchResponse`);
//! - `routes` and `axum`: `GET /todos/{id}` in an axum `Router` on `lambda_http`, the official way to
//!   serve an HTTP API (the peer of both lambda-rt's routes and axum on lambda-rt).

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::http::{HeaderMap, HeaderValue, header::CONTENT_TYPE};
use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use lambda_runtime::{Error, LambdaEvent, service_fn, tracing};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Deserialize)]
struct Square {
    number: i64,
}

#[derive(Serialize)]
struct Squared {
    result: i64,
}

async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}

async fn apigw(event: LambdaEvent<ApiGatewayProxyRequest>) -> Result<ApiGatewayProxyResponse, Error> {
    let request: Square = serde_json::from_str(event.payload.body.as_deref().unwrap_or_default())?;
    let body = serde_json::to_string(&Squared {
        result: request.number.wrapping_mul(request.number),
    })?;
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = 200;
    response.headers = headers;
    response.body = Some(Body::Text(body));
    Ok(response)
}

#[derive(Deserialize)]
struct Order {
    #[allow(dead_code)]
    id: String,
    quantity: i64,
}

async fn orders(event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let mut response = SqsBatchResponse::default();
    for message in event.payload.records {
        let id = message.message_id.unwrap_or_default();
        // The same logic as lambda-rt's batch form: each failed record is logged with its reason.
        let failed = match serde_json::from_str::<Order>(message.body.as_deref().unwrap_or_default()) {
            Ok(order) if order.quantity > 0 => None,
            Ok(_) => Some("InvalidQuantity: quantity must be at least 1".to_owned()),
            Err(e) => Some(format!("the body is not an order: {e}")),
        };
        if let Some(reason) = failed {
            tracing::error!(itemIdentifier = id.as_str(), "record failed: {reason}");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    Ok(response)
}

#[derive(Deserialize)]
struct Ms {
    ms: u64,
}

#[derive(Serialize)]
struct Worked {
    checksum: u64,
}

async fn work(event: LambdaEvent<Ms>) -> Result<Worked, Error> {
    Ok(Worked {
        checksum: burn(event.payload.ms),
    })
}

async fn sleep(event: LambdaEvent<Ms>) -> Result<Worked, Error> {
    tokio::time::sleep(std::time::Duration::from_millis(event.payload.ms)).await;
    Ok(Worked {
        checksum: event.payload.ms,
    })
}

fn burn(ms: u64) -> u64 {
    let until = std::time::Instant::now() + std::time::Duration::from_millis(ms);
    let mut checksum: u64 = 0xcbf2_9ce4_8422_2325;
    let mut round: u64 = 0;
    while std::time::Instant::now() < until {
        checksum = (checksum ^ round).wrapping_mul(0x0100_0000_01b3);
        round += 1;
    }
    checksum
}

#[derive(Serialize)]
struct Todo {
    id: u64,
    title: String,
}

/// `GET /todos/{id}` in an axum Router (bench/ours serves the same router, and the same route as a
/// lambda-rt route).
fn router() -> axum::Router {
    async fn get_todo(axum::extract::Path(id): axum::extract::Path<u64>) -> axum::Json<Todo> {
        axum::Json(Todo {
            id,
            title: format!("todo {id}"),
        })
    }
    axum::Router::new().route("/todos/{id}", axum::routing::get(get_todo))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    // `BENCH_NO_SUBSCRIBER=1` leaves it out, to see what the subscriber costs (not used by run.sh).
    if std::env::var_os("BENCH_NO_SUBSCRIBER").is_none() {
        tracing::init_default_subscriber();
    }
    match std::env::var("_HANDLER").as_deref() {
        Ok("apigw") => lambda_runtime::run(service_fn(apigw)).await,
        Ok("orders") => lambda_runtime::run(service_fn(orders)).await,
        // The peer of both lambda-rt's routes and its axum handler: axum on lambda_http.
        Ok("routes" | "axum") => lambda_http::run(router()).await,
        // Its concurrent mode, as its docs advise for AWS_LAMBDA_MAX_CONCURRENCY (sequential without it).
        Ok("work.cpu") => lambda_runtime::run_concurrent(service_fn(work)).await,
        Ok("sleep.ms") => lambda_runtime::run_concurrent(service_fn(sleep)).await,
        _ => lambda_runtime::run(service_fn(echo)).await,
    }
}
