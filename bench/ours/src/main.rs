//! The benchmark's lambda-rt `bootstrap`: the handlers of `bench/peer` on lambda-rt.
//!
//! `_HANDLER` picks the handler:
//! - `echo`: `serde_json::Value` in, the same value out;
//! - `apigw`: a typed `ApiGatewayProxyRequest` whose body is `{"number": n}`, answered with a 200
//!   `ApiGatewayProxyResponse` whose body is `{"result": n*n}`;
//! - `work.cpu` / `sleep.ms`: `{"ms": n}`, n ms of CPU without awaiting / n ms of waiting, for the
//!   rows with `AWS_LAMBDA_MAX_CONCURRENCY`;
//! - `orders`: an SQS batch of `{"id", "quantity"}` bodies through the per-record batch form; a
//!   quantity of 0 or less fails its record;
//! - `routes`: `GET /todos/{id}` on any HTTP event, as a lambda-rt route, answered with
//!   `{"id": id, "title": "todo <id>"}`;
//! - `axum`: the same route in an axum `Router` (bench/peer's), served by lambda-rt.
//!
//! Built with `--features otel`, the spans go through OpenTelemetry to an exporter that drops them (the
//! `echo-otel` callgrind case).

use lambda_fn::batch::SqsRecord;
use lambda_fn::http::{Json, Path};
use lambda_fn::{Error, handler};
use lambda_fn_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
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

#[handler("echo")]
async fn echo(event: Value) -> Value {
    event
}

#[handler("apigw")]
async fn apigw(event: ApiGatewayProxyRequest) -> Result<ApiGatewayProxyResponse, Error> {
    let request: Square = serde_json::from_slice(&event.decoded_body()?)?;
    let squared = Squared {
        result: request.number.wrapping_mul(request.number),
    };
    Ok(ApiGatewayProxyResponse::json(200, &squared)?)
}

#[derive(Deserialize)]
struct Order {
    #[allow(dead_code)]
    id: String,
    quantity: i64,
}

#[handler("orders", batch)]
async fn orders(order: SqsRecord<Order>) -> Result<(), Error> {
    match order.quantity > 0 {
        true => Ok(()),
        false => Err(Error::new("InvalidQuantity", "quantity must be at least 1")),
    }
}

#[derive(Deserialize)]
struct Ms {
    ms: u64,
}

#[derive(Serialize)]
struct Worked {
    checksum: u64,
}

/// Burns `ms` milliseconds of CPU without awaiting (examples' `work.cpu`).
#[handler("work.cpu")]
fn work(event: Ms) -> Worked {
    Worked {
        checksum: burn(event.ms),
    }
}

/// Waits `ms` milliseconds without blocking (examples' `sleep.ms`).
#[handler("sleep.ms")]
async fn sleep(event: Ms) -> Worked {
    tokio::time::sleep(std::time::Duration::from_millis(event.ms)).await;
    Worked { checksum: event.ms }
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

#[handler("routes", route = "GET /todos/{id}")]
async fn get_todo(Path(id): Path<u64>) -> Json<Todo> {
    Json(Todo {
        id,
        title: format!("todo {id}"),
    })
}

/// bench/peer's router, the same code.
#[handler("axum", service)]
fn router() -> axum::Router {
    async fn get_todo(axum::extract::Path(id): axum::extract::Path<u64>) -> axum::Json<Todo> {
        axum::Json(Todo {
            id,
            title: format!("todo {id}"),
        })
    }
    axum::Router::new().route("/todos/{id}", axum::routing::get(get_todo))
}

fn main() {
    #[cfg(feature = "otel")]
    let provider = otel::install();
    lambda_fn::run();
    #[cfg(feature = "otel")]
    let _ = provider.shutdown();
}

/// Built with `--features otel` (the `echo-otel` case): spans through tracing-opentelemetry into the SDK's
/// batch processor, flushed after every invocation into an exporter that drops them.
#[cfg(feature = "otel")]
mod otel {
    use opentelemetry::trace::TracerProvider as _;
    use opentelemetry_sdk::error::OTelSdkResult;
    use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
    use tracing_subscriber::layer::SubscriberExt as _;

    /// Takes every batch and does nothing with it.
    #[derive(Debug)]
    struct Drop;

    impl SpanExporter for Drop {
        async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
            std::hint::black_box(batch);
            Ok(())
        }
    }

    pub(crate) fn install() -> SdkTracerProvider {
        let provider = SdkTracerProvider::builder().with_batch_exporter(Drop).build();
        let flushed = provider.clone();
        lambda_fn::otel::flush_with(move || flushed.force_flush());
        let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("bench"));
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
        provider
    }
}
