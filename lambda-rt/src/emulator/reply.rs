//! The emulator's answers: the reply type and the shapes of AWS's errors (the Invoke API's and the
//! Runtime API's).

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt as _, Full};
use hyper::{Response, StatusCode};

/// An answer of the emulator: a whole body, or (InvokeWithResponseStream) one sent as it is produced.
pub(super) type Reply = Response<UnsyncBoxBody<Bytes, Infallible>>;

/// A whole reply body.
pub(super) fn full(body: Bytes) -> UnsyncBoxBody<Bytes, Infallible> {
    Full::new(body).boxed_unsync()
}

pub(super) fn json_reply(status: StatusCode, body: &serde_json::Value) -> Reply {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(full(Bytes::from(body.to_string())))
        .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR))
}

/// An Invoke API error, shaped like AWS's (`x-amzn-ErrorType` header, `{"Type","message"}` body).
pub(super) fn aws_error(status: StatusCode, error_type: &str, message: &str) -> Reply {
    let mut reply = json_reply(status, &serde_json::json!({ "Type": "User", "message": message }));
    if let Ok(value) = error_type.parse() {
        reply.headers_mut().insert("x-amzn-errortype", value);
    }
    reply
}

/// A Runtime API error, shaped like Lambda's (`{"errorMessage","errorType"}`).
pub(super) fn runtime_error(status: StatusCode, error_type: &str, message: &str) -> Reply {
    json_reply(
        status,
        &serde_json::json!({ "errorMessage": message, "errorType": error_type }),
    )
}

pub(super) fn not_found(path: &str) -> Reply {
    aws_error(
        StatusCode::NOT_FOUND,
        "UnknownOperationException",
        &format!("no such operation: {path}"),
    )
}

pub(super) fn empty(status: StatusCode) -> Reply {
    let mut reply = Response::new(full(Bytes::new()));
    *reply.status_mut() = status;
    reply
}
