//! The end-to-end tests of the example `bootstrap`, one module per subject, linked as one test binary (one
//! link instead of one per subject; `cargo test -p examples --test e2e <module>::` runs one subject).
//!
//! Every test runs the real, built `bootstrap` (or `otel-bootstrap`) as a child process against servers on
//! 127.0.0.1: the fake Runtime API of `support`, the embedded emulator, or an independently written tool
//! (cargo-lambda, the AWS CLI). Nothing of the runtime is mocked.

mod support;

mod axum_app;
mod batch;
// Needs the `orders.flow` example, built with the `durable` feature, and `dex-local-runner`.
#[cfg(feature = "durable")]
mod durable;
#[cfg(feature = "durable")]
mod durable_emulator;
#[cfg(feature = "durable")]
mod durable_service;
mod emulator;
mod faults;
mod http_api;
mod init_errors;
mod interop_aws_cli;
mod interop_cargo_lambda;
mod invocation_end;
mod local_mode;
mod metrics;
// Needs the `otel-bootstrap` binary, built with the `otel` feature (`cargo test --all-features`).
#[cfg(feature = "otel")]
mod otel;
mod robustness;
mod runtime_api;
mod shutdown;
mod streaming;
