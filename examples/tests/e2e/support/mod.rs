//! Shared helpers of the end-to-end tests, one room each: the fake Lambda Runtime API on 127.0.0.1
//! (`fake_api`), a raw-socket one for fault injection (`raw_api`), the `bootstrap` process under test
//! (`bootstrap`), and the paths and constants they share (here).
//!
//! - [`FakeApi`] serves the Runtime API contract of docs/design.md ("The Runtime API") under `/2018-06-01` (optionally
//!   below a path prefix, as emulators do). `next` is a long poll answered with the events a test queues
//!   ([`Event`]); the posts answer 202 unless the test chose another status for a path. Every request is
//!   recorded in arrival order (connection, method, path, headers, body) so tests assert the exact
//!   sequence the runtime made.
//! - `http_events` builds the HTTP events of every source from the repository's fixtures and checks
//!   that an answer has that source's shape.
//! - [`Bootstrap`] runs the built `bootstrap` with a cleared environment plus the Lambda variables, a dead
//!   HTTP proxy (the runtime must ignore proxies), and kills it on drop.
//!
//! Every wait is bounded by [`TIMEOUT`]: a broken runtime fails the test with the requests seen so far
//! and the process's stderr instead of hanging.

// Some helpers serve only the `otel` module, built with the `otel` feature; and panicking is how a helper
// fails its test.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

mod bootstrap;
mod fake_api;
pub mod http_events;
pub mod raw_api;
pub mod tools;

pub use bootstrap::*;
pub use fake_api::*;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The bound on every wait of a test.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The API version every Runtime API path starts with.
pub const VERSION: &str = "/2018-06-01";

/// `AWS_LAMBDA_FUNCTION_NAME` given to the bootstrap.
pub const FUNCTION_NAME: &str = "e2e-function";
/// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` given to the bootstrap.
pub const MEMORY_MB: u64 = 256;
/// The invoked function ARN the fake API sends by default.
pub const FUNCTION_ARN: &str = "arn:aws:lambda:eu-west-3:123456789012:function:e2e-function";
/// A proxy nobody listens on: a runtime that honoured `HTTP_PROXY` could not reach the API.
pub const DEAD_PROXY: &str = "http://127.0.0.1:9";

/// Every handler the examples' `bootstrap` registers.
pub const HANDLERS: [&str; 8] = [
    "context.info",
    "custom.Event",
    "echo.raw",
    "fail.always",
    "hello.ALB",
    "init.fail",
    "panic.always",
    "square.APIGW",
];

/// The built binary under test; `LAMBDA_RT_TEST_BOOTSTRAP` names another one (for instance an older
/// build, to see which tests it fails).
pub fn bootstrap_path() -> String {
    std::env::var("LAMBDA_RT_TEST_BOOTSTRAP").unwrap_or_else(|_| env!("CARGO_BIN_EXE_bootstrap").to_owned())
}

/// The examples crate's folder (`examples/`).
pub fn examples_dir() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// The repository root, the folder above `examples/`.
pub fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(examples_dir())
        .parent()
        .expect("examples/ has a parent")
        .to_path_buf()
}

/// The text of a sample event in `examples/events/`.
pub fn sample_event(name: &str) -> String {
    let path = format!("{}/events/{name}", examples_dir());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Milliseconds since the epoch, `ahead` from now.
pub fn epoch_ms_in(ahead: Duration) -> u64 {
    (SystemTime::now() + ahead)
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as u64
}
