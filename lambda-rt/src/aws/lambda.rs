//! The Lambda API client of a loop thread, built on its first use and kept: by the durable execution
//! calls and by typed calls' Invoke.

use std::cell::RefCell;

use super::client::AwsClient;
use super::error::AwsError;

thread_local! {
    /// The Lambda API client of this thread's invocation loop, built on its first use and kept: building one reads the environment and, for an `https` endpoint (always, on Lambda), loads
    /// the system's CA bundle, which cost more than a replay of 10 steps did in all (bench/README.md).
    /// One per thread, since each loop thread has a runtime of its own, and a client's pooled
    /// connections belong to the runtime that opened them. Kept with the emulator endpoint it was built
    /// for, if any.
    static LAMBDA_CLIENT: RefCell<Option<(Option<String>, AwsClient)>> = const { RefCell::new(None) };
}

/// This thread's Lambda API client (see `LAMBDA_CLIENT`); one that cannot be built is tried again on the
/// next invocation.
pub(crate) fn lambda_client(local: Option<&str>) -> Result<AwsClient, AwsError> {
    LAMBDA_CLIENT.with(|cached| {
        if let Some((endpoint, client)) = cached.borrow().as_ref()
            && endpoint.as_deref() == local
        {
            return Ok(client.clone());
        }
        let client = match local {
            None => AwsClient::from_env("lambda")?,
            Some(url) => AwsClient::from_lookup("lambda", &|name| emulator_variable(url, name))?,
        };
        *cached.borrow_mut() = Some((local.map(str::to_owned), client.clone()));
        Ok(client)
    })
}

/// The environment as a client of the emulator's Lambda API sees it: its endpoint, and credentials and a
/// region even where none are set (the emulator checks no signature).
fn emulator_variable(url: &str, name: &str) -> Option<String> {
    let set = std::env::var(name).ok().filter(|value| !value.is_empty());
    match name {
        "AWS_ENDPOINT_URL_LAMBDA" => Some(url.to_owned()),
        "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" => set.or_else(|| Some("local".to_owned())),
        "AWS_REGION" => set.or_else(|| Some("us-east-1".to_owned())),
        _ => set,
    }
}
