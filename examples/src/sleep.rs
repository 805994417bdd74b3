//! `sleep.ms`: waits without blocking its thread, to see timeouts and concurrency at work.

use std::time::Duration;

use lambda_rt::handler;
use serde::{Deserialize, Serialize};

/// How long to wait.
#[derive(Debug, Deserialize)]
pub struct Nap {
    /// Milliseconds.
    pub ms: u64,
}

/// What was done.
#[derive(Debug, PartialEq, Serialize)]
pub struct Slept {
    /// Milliseconds.
    pub slept: u64,
}

/// Sleeps `ms` milliseconds (an `await`, so the runtime can stop it on a timeout).
#[handler("sleep.ms", timeout = 30)]
pub async fn sleep(nap: Nap) -> Slept {
    tokio::time::sleep(Duration::from_millis(nap.ms)).await;
    Slept { slept: nap.ms }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sleeps_as_long_as_asked() {
        let before = std::time::Instant::now();
        assert_eq!(sleep(Nap { ms: 30 }).await, Slept { slept: 30 });
        assert!(before.elapsed() >= Duration::from_millis(30));
    }
}
