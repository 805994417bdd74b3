//! (feature `invoke`, which `durable` turns on) A client of AWS's signed JSON APIs, for the calls the
//! runtime itself makes during an invocation (the durable execution APIs of Lambda, a typed call's
//! Invoke): credentials, region and endpoint from the environment (`credentials.rs`, `endpoint.rs`),
//! SigV4 with AWS's `aws-sigv4` (`sign.rs`), HTTP with `reqwest` on the runtime's tokio and rustls with
//! `ring` (`client.rs`), retries until the call's deadline (`retry.rs`), errors a user can act on
//! (`error.rs`), and the Lambda API client each loop thread keeps (`lambda.rs`).
//!
//! A leaf: it names no other module of the crate (its end-to-end test compiles it on its own).

mod client;
mod credentials;
mod endpoint;
mod error;
mod lambda;
mod retry;
mod sign;

// The `invoke` build alone calls Invoke only: what only the durable calls name is unused there.
#[cfg_attr(not(feature = "durable"), allow(unused_imports))]
pub(crate) use client::{AwsClient, AwsRequest};
pub(crate) use endpoint::encode_label;
#[cfg_attr(not(feature = "durable"), allow(unused_imports))]
pub(crate) use error::AwsError;
pub(crate) use lambda::lambda_client;

/// Where the configuration is read from: the process environment (`std::env::var`), or a table in
/// tests (which must not change the process' environment).
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;
