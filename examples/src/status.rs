//! `status.rest`: a health check served by an API Gateway REST API (`api = "rest"`) instead of the
//! default HTTP API, with its function's settings on the route.

use lambda_fn::http::Json;
use lambda_fn::{Context, handler};
use serde::Serialize;

/// What `GET /status` answers.
#[derive(Debug, Serialize)]
pub struct Status {
    /// Always `ok` when the function answers.
    pub status: &'static str,
    /// The function's version (`$LATEST` locally).
    pub version: String,
}

/// `GET /status`: the function is up, and which version answered.
#[handler("status.rest", route = "GET /status", api = "rest", memory = 128, timeout = 3)]
pub fn status(ctx: Context) -> Json<Status> {
    Json(Status {
        status: "ok",
        version: ctx.env.function_version.clone(),
    })
}
