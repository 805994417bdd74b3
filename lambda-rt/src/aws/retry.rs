//! When to try again: exponential backoff with jitter, `Retry-After`, and the deadline no wait may
//! cross.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, Instant};

use http::HeaderMap;

/// The wait before the first retry; it doubles after each one.
const BASE: Duration = Duration::from_millis(50);
/// The longest wait between two attempts (backoff or `Retry-After`).
const CAP: Duration = Duration::from_secs(5);
/// Attempts per call at most, however far the deadline (the first one included).
pub(crate) const MAX_ATTEMPTS: u32 = 8;
/// The least time an attempt is worth starting with: closer to the deadline, the call stops.
const MIN_ATTEMPT: Duration = Duration::from_millis(10);

/// The wait before the retry that follows attempt number `attempt` (1 for the first): what
/// `Retry-After` asked for (at most [`CAP`]), else `BASE * 2^(attempt-1)` (at most [`CAP`]) of which a
/// random half is taken off ("equal jitter"), so that clients throttled together do not retry together.
pub(crate) fn delay(attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(wait) = retry_after {
        return wait.min(CAP);
    }
    let exponent = attempt.saturating_sub(1).min(16);
    let backoff = BASE.saturating_mul(1 << exponent).min(CAP);
    let half = backoff / 2;
    half + half.mul_f64(unit_random())
}

/// Whether a retry after `wait` would still start before `deadline` with time for an attempt.
pub(crate) fn fits(now: Instant, wait: Duration, deadline: Instant) -> bool {
    now.checked_add(wait + MIN_ATTEMPT)
        .is_some_and(|start| start < deadline)
}

/// The `Retry-After` of an answer in seconds (`0` included). The HTTP-date form, which AWS APIs do
/// not send, is ignored (the backoff applies).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    let seconds: f64 = value.parse().ok()?;
    if seconds.is_finite() && seconds >= 0.0 {
        Some(Duration::from_secs_f64(seconds.min(3600.0)))
    } else {
        None
    }
}

/// A number in `[0, 1)` from the standard library's per-process random keys (no `rand` needed: the
/// jitter only has to differ between processes and calls, not be unpredictable).
fn unit_random() -> f64 {
    let bits = RandomState::new().hash_one(Instant::now());
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_with_jitter_and_is_capped() {
        for attempt in 1..=10 {
            let full = (BASE * (1 << (attempt - 1))).min(CAP);
            for _ in 0..20 {
                let wait = delay(attempt, None);
                assert!(
                    wait >= full / 2 && wait <= full,
                    "attempt {attempt}: {wait:?} not in [{:?}, {full:?}]",
                    full / 2
                );
            }
        }
        assert!(delay(u32::MAX, None) <= CAP);
        let waits: std::collections::HashSet<Duration> = (0..20).map(|_| delay(5, None)).collect();
        assert!(waits.len() > 1, "no jitter: {waits:?}");
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        assert_eq!(delay(1, Some(Duration::ZERO)), Duration::ZERO);
        assert_eq!(delay(1, Some(Duration::from_secs(2))), Duration::from_secs(2));
        assert_eq!(delay(1, Some(Duration::from_secs(600))), CAP);
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let read = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static(value));
            retry_after(&headers)
        };
        assert_eq!(read("0"), Some(Duration::ZERO));
        assert_eq!(read("3"), Some(Duration::from_secs(3)));
        assert_eq!(read("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(read("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(read("-1"), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn no_wait_crosses_the_deadline() {
        let now = Instant::now();
        let deadline = now + Duration::from_millis(100);
        assert!(fits(now, Duration::from_millis(50), deadline));
        assert!(!fits(now, Duration::from_millis(95), deadline));
        assert!(!fits(now, Duration::ZERO, now));
    }
}
