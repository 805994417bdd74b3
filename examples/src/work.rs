//! `work.cpu`: burns CPU for as long as asked (without awaiting), to see invocations use every core
//! when `AWS_LAMBDA_MAX_CONCURRENCY` runs several at once.

use std::time::{Duration, Instant};

use lambda_fn::handler;
use serde::{Deserialize, Serialize};

/// How long to work.
#[derive(Debug, Deserialize)]
pub struct Work {
    /// Milliseconds of CPU time, roughly (wall time measured on the handler's thread).
    pub ms: u64,
}

/// What was done.
#[derive(Debug, Serialize)]
pub struct Done {
    /// A checksum of the work, so that it cannot be optimised away.
    pub checksum: u64,
    /// Rounds of the checksum loop.
    pub rounds: u64,
    /// The thread that ran it (each thread serves its own invocation loops).
    pub thread: String,
}

/// Computes a checksum for `ms` milliseconds, blocking its thread all that time.
#[handler("work.cpu", memory = 1769, timeout = 30)]
pub fn work(work: Work) -> Done {
    let until = Instant::now() + Duration::from_millis(work.ms);
    let mut checksum: u64 = 0xcbf2_9ce4_8422_2325;
    let mut rounds: u64 = 0;
    while Instant::now() < until {
        for byte in rounds.to_le_bytes() {
            checksum = (checksum ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        rounds += 1;
    }
    Done {
        checksum,
        rounds,
        thread: std::thread::current().name().unwrap_or("unnamed").to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn works_for_as_long_as_asked() {
        let before = Instant::now();
        let done = work(Work { ms: 20 });
        assert!(before.elapsed() >= Duration::from_millis(20));
        assert!(done.rounds > 0);
    }
}
