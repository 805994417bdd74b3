//! The benchmark's peer `bootstrap`: the handlers of `bench/ours` written for the official Rust runtime,
//! `lambda_runtime` (crates.io), the way its README and `cargo lambda new` write a function.
//!
//! `_HANDLER` picks the handler:
//! - `echo`: `serde_json::Value` in, the same value out;
//! - `apigw`: a typed `ApiGatewayProxyRequest` whose body is `{"number": n}`, answered with a 200
//!   `ApiGatewayProxyResponse` whose body is `{"result": n*n}`.

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::http::{HeaderMap, HeaderValue, header::CONTENT_TYPE};
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

#[tokio::main]
async fn main() -> Result<(), Error> {
    // `BENCH_NO_SUBSCRIBER=1` leaves it out, to see what the subscriber costs (not used by run.sh).
    if std::env::var_os("BENCH_NO_SUBSCRIBER").is_none() {
        tracing::init_default_subscriber();
    }
    match std::env::var("_HANDLER").as_deref() {
        Ok("apigw") => lambda_runtime::run(service_fn(apigw)).await,
        _ => lambda_runtime::run(service_fn(echo)).await,
    }
}
