//! `sleep.ms`: waits without blocking its thread, to see timeouts and concurrency at work;
//! `sleep.together`: waits for other invocations, to see them run side by side.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lambda_fn::{Error, State, handler, init};
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

/// How many invocations of `sleep.together` to wait for.
#[derive(Debug, Deserialize)]
pub struct Meet {
    /// Invocations, this one included.
    pub together: usize,
}

/// How many it met.
#[derive(Debug, PartialEq, Serialize)]
pub struct Met {
    /// Invocations that had arrived when it stopped waiting.
    pub met: usize,
}

/// The invocations of `sleep.together` this environment has taken.
#[derive(Debug, Default)]
pub struct Arrivals {
    count: AtomicUsize,
    changed: tokio::sync::Notify,
}

/// Built once per environment.
#[init]
pub fn arrivals() -> Arrivals {
    Arrivals::default()
}

/// How long `sleep.together` waits for the others before it fails.
const WAIT_FOR_OTHERS: Duration = Duration::from_secs(10);

/// Waits until `together` invocations of it have arrived in this environment (this one included), so
/// that they can only all answer if they run side by side; fails with `NotTogether` after 10 s.
#[handler("sleep.together", timeout = 30)]
pub async fn together(meet: Meet, arrivals: State<Arrivals>) -> Result<Met, Error> {
    arrivals.count.fetch_add(1, Ordering::SeqCst);
    arrivals.changed.notify_waiters();
    let deadline = tokio::time::Instant::now() + WAIT_FOR_OTHERS;
    loop {
        // Registered before the count is read, so that an arrival in between still wakes it.
        let changed = arrivals.changed.notified();
        let met = arrivals.count.load(Ordering::SeqCst);
        if met >= meet.together {
            return Ok(Met { met });
        }
        if tokio::time::timeout_at(deadline, changed).await.is_err() {
            return Err(Error::new(
                "NotTogether",
                format!("only {met} of {} invocations arrived together", meet.together),
            ));
        }
    }
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

    #[tokio::test]
    async fn together_answers_once_all_have_arrived() {
        let arrivals = State::for_test(Arrivals::default());
        let (a, b) = tokio::join!(
            together(Meet { together: 2 }, arrivals),
            together(Meet { together: 2 }, arrivals)
        );
        assert_eq!((a.unwrap(), b.unwrap()), (Met { met: 2 }, Met { met: 2 }));
    }
}
