//! [`Retry`]: how a failed step is tried again, and when not.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;

/// How much of a computed retry delay is left to chance, so that many executions failing together do
/// not all come back at the same second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Jitter {
    /// The delay as computed.
    None,
    /// Anywhere from nothing to the whole delay (AWS's SDKs' default).
    #[default]
    Full,
    /// At least half the delay, at most all of it.
    Half,
}

/// How a failed step is tried again: by default up to 6 attempts, about 5 s after the first failure and
/// twice as long after each (at most a minute), with [`Jitter::Full`], as AWS's SDKs do. Between attempts
/// the function is not running: it answers `PENDING` and Lambda invokes it again when the delay is over.
///
/// The delay is decided when an attempt fails and recorded in the history, so jitter does not make the
/// workflow nondeterministic.
///
/// ```
/// use lambda_fn::durable::{Jitter, Retry};
/// use std::time::Duration;
///
/// let patient = Retry::attempts(10).delay(Duration::from_secs(2)).backoff(3.0).jitter(Jitter::None);
/// let transient_only = Retry::default().retry_if(|e| e.error_type() == "TransientError");
/// let once = Retry::none();
/// # let _ = (patient, transient_only, once);
/// ```
#[derive(Clone)]
pub struct Retry {
    max_attempts: u32,
    delays: Backoff,
    retryable: Option<Retryable>,
}

/// Delays that grow by a rate after each attempt, up to a cap, with jitter: a step's retries, a
/// condition's polls.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    pub(crate) delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) rate: f64,
    pub(crate) jitter: Jitter,
}

impl Backoff {
    /// A rate as given: below 1 (or not a number) counts as 1.
    pub(crate) fn rate(rate: f64) -> f64 {
        if rate.is_finite() { rate.max(1.0) } else { 1.0 }
    }

    /// The delay after attempt `attempt` (from 1), in the API's whole seconds: rounded up, at least 1.
    pub(crate) fn after(&self, attempt: u32) -> u64 {
        let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let grown = self.delay.as_secs_f64() * self.rate.powi(exponent);
        let capped = grown.min(self.max_delay.as_secs_f64().max(self.delay.as_secs_f64()));
        let chance = || (RandomState::new().hash_one(attempt) >> 11) as f64 / (1u64 << 53) as f64;
        let delay = match self.jitter {
            Jitter::None => capped,
            Jitter::Full => capped * chance(),
            Jitter::Half => capped / 2.0 + capped / 2.0 * chance(),
        };
        (delay.ceil() as u64).max(1)
    }
}

/// Which errors a [`Retry`] tries again.
type Retryable = Arc<dyn Fn(&Error) -> bool + Send + Sync>;

impl fmt::Debug for Retry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Retry")
            .field("max_attempts", &self.max_attempts)
            .field("delays", &self.delays)
            .field("retry_if", &self.retryable.is_some())
            .finish()
    }
}

impl Default for Retry {
    fn default() -> Retry {
        Retry {
            max_attempts: 6,
            delays: Backoff {
                delay: Duration::from_secs(5),
                max_delay: Duration::from_secs(60),
                rate: 2.0,
                jitter: Jitter::Full,
            },
            retryable: None,
        }
    }
}

impl Retry {
    /// One attempt: a failure fails the step.
    pub fn none() -> Retry {
        Retry::attempts(1)
    }

    /// At most `max_attempts` attempts in all (at least 1), with the default delays.
    pub fn attempts(max_attempts: u32) -> Retry {
        Retry {
            max_attempts: max_attempts.max(1),
            ..Retry::default()
        }
    }

    /// The delay after the first failure (the API counts whole seconds: rounded up, at least 1).
    pub fn delay(mut self, delay: Duration) -> Retry {
        self.delays.delay = delay;
        self
    }

    /// The longest delay between two attempts.
    pub fn max_delay(mut self, max_delay: Duration) -> Retry {
        self.delays.max_delay = max_delay;
        self
    }

    /// What each delay is multiplied by after a failure (2 by default; below 1 counts as 1).
    pub fn backoff(mut self, rate: f64) -> Retry {
        self.delays.rate = Backoff::rate(rate);
        self
    }

    /// How much of each delay is left to chance.
    pub fn jitter(mut self, jitter: Jitter) -> Retry {
        self.delays.jitter = jitter;
        self
    }

    /// Retries only the errors `retryable` accepts; any other fails the step at once.
    pub fn retry_if(self, retryable: impl Fn(&Error) -> bool + Send + Sync + 'static) -> Retry {
        Retry {
            retryable: Some(Arc::new(retryable)),
            ..self
        }
    }

    /// After attempt `attempt` (from 1) failed with `error`: the delay before the next, in whole
    /// seconds, or `None` for no more.
    pub(crate) fn after(&self, attempt: u32, error: &Error) -> Option<u64> {
        if attempt >= self.max_attempts {
            return None;
        }
        if let Some(retryable) = &self.retryable
            && !retryable(error)
        {
            return None;
        }
        Some(self.delays.after(attempt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure() -> Error {
        Error::new("Boom", "it failed")
    }

    #[test]
    fn delays_grow_by_the_backoff_rate_up_to_the_cap() {
        let retry = Retry::attempts(6)
            .delay(Duration::from_secs(2))
            .backoff(3.0)
            .max_delay(Duration::from_secs(30))
            .jitter(Jitter::None);
        let delays: Vec<_> = (1..=6).map(|attempt| retry.after(attempt, &failure())).collect();
        assert_eq!(delays, [Some(2), Some(6), Some(18), Some(30), Some(30), None]);
    }

    #[test]
    fn jitter_stays_within_the_delay() {
        let full = Retry::default();
        let half = Retry::default().jitter(Jitter::Half);
        for _ in 0..200 {
            let first = full.after(1, &failure()).unwrap_or(0);
            assert!((1..=5).contains(&first), "full jitter of 5 s gave {first}");
            let second = half.after(2, &failure()).unwrap_or(0);
            assert!((5..=10).contains(&second), "half jitter of 10 s gave {second}");
        }
    }

    #[test]
    fn a_filter_decides_which_errors_are_retried() {
        let retry = Retry::default().retry_if(|e| e.error_type() == "TransientError");
        assert!(retry.after(1, &Error::new("TransientError", "again")).is_some());
        assert_eq!(retry.after(1, &failure()), None);
        assert_eq!(Retry::none().after(1, &Error::new("TransientError", "again")), None);
    }
}
