//! What ends a handler before it returns (docs/design.md, "Overrunning handlers"): its deadline plus a
//! grace period, where Lambda lets an overrunning handler run on (Managed Instances), and a shutdown
//! that cannot wait for it. Either way the handler's future is dropped, so it stops at the `.await` it
//! was at, and the loop answers the invocation with an error saying why and goes on.

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::api::Ticket;
use super::shutdown::Stop;
use crate::error::{Error, kind};

/// The variable that sets the grace: seconds (`2`, `0.5`) or `off`.
pub(crate) const GRACE_VAR: &str = "LAMBDA_RT_OVERRUN_GRACE";

/// The grace an overrunning handler gets when the variable is unset and Lambda does not stop it.
pub(crate) const DEFAULT_GRACE: Duration = Duration::from_secs(2);

/// The longest grace the variable may set: longer is not a grace any more (Lambda's own timeout is at
/// most 15 minutes).
const MAX_GRACE: Duration = Duration::from_secs(900);

/// How long past its deadline a handler may run before it is cancelled, from the value of
/// [`GRACE_VAR`]: `None` (never cancelled) for `off`; unset, [`DEFAULT_GRACE`] where `concurrency` is
/// above 1 (Managed Instances, where Lambda lets the handler run and it would hold one of the loops for
/// ever) and `None` otherwise (Lambda stops the environment of a timed-out invocation).
pub(crate) fn grace(value: Option<&str>, concurrency: usize) -> Result<Option<Duration>, Error> {
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    let Some(value) = value else {
        return Ok((concurrency > 1).then_some(DEFAULT_GRACE));
    };
    if value.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    value
        .parse::<f64>()
        .ok()
        .filter(|secs| secs.is_finite() && *secs >= 0.0 && *secs <= MAX_GRACE.as_secs_f64())
        .map(|secs| Some(Duration::from_secs_f64(secs)))
        .ok_or_else(|| {
            Error::new(
                kind::INIT_ERROR,
                format!(
                    "{GRACE_VAR}={value:?} is not a grace period: expected seconds from 0 to {} (`2`, `0.5`) or \
                     `off`",
                    MAX_GRACE.as_secs()
                ),
            )
        })
}

/// Runs `work` (a handler's call, or the sending of its streamed body) unless the invocation of
/// `ticket` overruns its deadline by `grace` or the loops are told to abandon what is in flight first;
/// then `work` is dropped and the error is the invocation's answer.
pub(crate) async fn bounded<F: Future>(
    work: F,
    ticket: &Ticket,
    grace: Option<Duration>,
    stop: &mut Stop,
) -> Result<F::Output, Error> {
    let limit = grace.and_then(|grace| Some(instant_of(ticket.deadline_ms?) + grace));
    let timed = async {
        match limit {
            Some(at) => tokio::time::timeout_at(at, work).await.ok(),
            None => Some(work.await),
        }
    };
    match stop.unless_abandoning(timed).await {
        Some(Some(output)) => Ok(output),
        Some(None) => Err(Error::new(
            kind::OVERRUN,
            format!(
                "invocation {} was still running {} ms after its deadline and was cancelled at the .await it was at \
                 ({GRACE_VAR}); its loop takes the next invocation",
                ticket.request_id,
                grace.unwrap_or_default().as_millis()
            ),
        )),
        None => Err(Error::new(
            kind::SHUTDOWN,
            format!(
                "invocation {} was cancelled: the execution environment is shutting down and the handler did not \
                 finish within {} ms",
                ticket.request_id,
                super::shutdown::DRAIN.as_millis()
            ),
        )),
    }
}

/// The monotonic instant of a deadline in milliseconds since the epoch (in the past when it has passed).
fn instant_of(deadline_ms: u64) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    let Some(deadline) = UNIX_EPOCH.checked_add(Duration::from_millis(deadline_ms)) else {
        return now;
    };
    match deadline.duration_since(SystemTime::now()) {
        Ok(left) => now + left,
        Err(past) => now.checked_sub(past.duration()).unwrap_or(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grace_is_on_by_default_only_where_lambda_lets_a_handler_run() {
        assert_eq!(grace(None, 1).unwrap(), None);
        assert_eq!(grace(Some(""), 1).unwrap(), None);
        assert_eq!(grace(None, 4).unwrap(), Some(DEFAULT_GRACE));
        assert_eq!(grace(Some("off"), 4).unwrap(), None);
        assert_eq!(grace(Some(" OFF "), 4).unwrap(), None);
        assert_eq!(grace(Some("0.5"), 1).unwrap(), Some(Duration::from_millis(500)));
        assert_eq!(grace(Some("3"), 8).unwrap(), Some(Duration::from_secs(3)));
        assert_eq!(grace(Some("0"), 8).unwrap(), Some(Duration::ZERO));
        for bad in ["soon", "-1", "NaN", "inf", "901", "2s"] {
            let err = grace(Some(bad), 4).unwrap_err();
            assert!(
                err.message().contains(GRACE_VAR) && err.message().contains(bad),
                "{}",
                err.message()
            );
        }
    }
}
