//! (feature `durable`) A client of AWS's signed JSON APIs, for the calls the runtime itself makes
//! during an invocation (the durable execution APIs of Lambda): credentials, region and endpoint from
//! the environment (`credentials.rs`, `endpoint.rs`), SigV4 with AWS's `aws-sigv4` (`sign.rs`), HTTP
//! with `reqwest` on the runtime's tokio and rustls with `ring` (`client.rs`), retries until the
//! call's deadline (`retry.rs`), and errors a user can act on (`error.rs`).
//!
//! A leaf: it names no other module of the crate (its end-to-end test compiles it on its own).

mod client;
mod credentials;
mod endpoint;
mod error;
mod retry;
mod sign;

pub(crate) use client::{AwsClient, AwsRequest};
pub(crate) use endpoint::encode_label;
pub(crate) use error::AwsError;

/// Where the configuration is read from: the process environment (`std::env::var`), or a table in
/// tests (which must not change the process' environment).
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;
