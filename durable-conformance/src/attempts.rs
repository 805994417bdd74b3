//! Attempt counters for the requirements whose work fails a set number of times and then succeeds.
//!
//! The suite's own handlers keep such a count outside the function (in DynamoDB, for requirement 1-14),
//! since Lambda may run each attempt in another process. Under the local durable execution service every
//! invocation runs in the one `conformance serve` process, so a counter in memory stands in for that store;
//! each run of the suite starts a new process, and with it every count at 0.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

static ATTEMPTS: Mutex<Option<HashMap<String, u32>>> = Mutex::new(None);

/// Counts one more attempt of `key`'s work and returns how many there have been, this one included.
pub fn count(key: &str) -> u32 {
    let mut attempts = ATTEMPTS.lock().unwrap_or_else(PoisonError::into_inner);
    let counter = attempts
        .get_or_insert_with(HashMap::new)
        .entry(key.to_owned())
        .or_insert(0);
    *counter += 1;
    *counter
}
