//! `axum.app` and `axum.stream`: an axum `Router`, built once per cold start, is the whole HTTP function;
//! lambda-rt turns each event of any HTTP source into the request and the router's answer into the
//! source's shape.
//!
//! | `axum.app` route | answer |
//! |---|---|
//! | `GET /hello/{name}` | `hello {name}` |
//! | `POST /echo` (JSON) | `{"echo": <the body>}` |
//! | `GET /source` | the event source (`apigw-http`, `alb`, ...), read from the request's `HttpEvent` |
//! | `GET /cookies` | two `Set-Cookie` headers |
//! | `GET /image` | four bytes of PNG (sent base64) |
//!
//! `axum.stream` (a function URL in `RESPONSE_STREAM` mode): `GET /events` streams three server-sent
//! events, 20 ms apart; `GET /panic` panics (its answer is a streamed 500).

use std::time::Duration;

use axum::extract::{Extension, Path};
use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::StreamExt as _;
use lambda_fn::handler;
use lambda_fn::http::HttpEvent;
use serde_json::{Value, json};

/// The router of `axum.app`.
#[handler("axum.app", service, url)]
pub fn app() -> Router {
    Router::new()
        .route("/hello/{name}", get(hello))
        .route("/echo", post(echo))
        .route("/source", get(source))
        .route("/cookies", get(cookies))
        .route("/image", get(image))
}

async fn hello(Path(name): Path<String>) -> String {
    format!("hello {name}")
}

async fn echo(Json(body): Json<Value>) -> Json<Value> {
    Json(json!({ "echo": body }))
}

async fn source(Extension(event): Extension<HttpEvent>) -> String {
    event.source().to_string()
}

async fn cookies() -> impl IntoResponse {
    // `AppendHeaders`: axum's plain header arrays replace a repeated name.
    (
        AppendHeaders([(SET_COOKIE, "a=1"), (SET_COOKIE, "b=2; Secure")]),
        "two cookies",
    )
}

async fn image() -> impl IntoResponse {
    ([(CONTENT_TYPE, "image/png")], vec![0x89, b'P', b'N', b'G'])
}

/// The router of `axum.stream`, whose answers are streamed.
#[handler("axum.stream", service(streaming), url(streaming))]
pub fn streaming_app() -> Router {
    Router::new()
        .route("/events", get(events))
        .route("/panic", get(explode))
}

/// A handler that panics: the answer is a streamed 500.
async fn explode() -> &'static str {
    panic!("the stream exploded")
}

async fn events() -> impl IntoResponse {
    let pieces = futures_util::stream::iter(1..=3).then(|i| async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Ok::<_, std::convert::Infallible>(format!("data: {i}\n\n"))
    });
    (
        [(CONTENT_TYPE, "text/event-stream"), (SET_COOKIE, "seen=1")],
        axum::body::Body::from_stream(pieces),
    )
}
