//! Graceful shutdown (docs/design.md, "Shutdown"): on SIGTERM (Lambda's, sent when an extension is
//! registered) or SIGINT (Ctrl-C), the loops stop polling, invocations in flight end with their post,
//! then the `#[shutdown]` hooks run, all within the budget Lambda gives.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures_util::FutureExt as _;
use tokio::sync::watch;

use crate::extract::StateMap;
use crate::registry::ShutdownRegistration;

/// From the signal to the exit: Lambda allows 500 ms to a runtime with an internal extension, then
/// kills it; this leaves a margin for the process to exit.
pub(crate) const BUDGET: Duration = Duration::from_millis(450);

/// How long invocations in flight may take to end after the signal; then those still running are
/// cancelled and answered with a `Runtime.Shutdown` error ([`ABANDON`]), and the hooks have the rest of
/// [`BUDGET`].
pub(crate) const DRAIN: Duration = Duration::from_millis(250);

/// How long the loops may take to post the error of the invocations cancelled after [`DRAIN`].
pub(crate) const ABANDON: Duration = Duration::from_millis(100);

/// Where a shutdown is, as the loops see it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Running,
    /// Poll no more; invocations in flight end as usual.
    Stopping,
    /// Cancel the invocations still in flight and answer them with an error.
    Abandoning,
}

/// The sending side: tells every loop to stop, then to abandon what is still in flight.
pub(crate) struct StopSender(watch::Sender<Phase>);

impl StopSender {
    pub(crate) fn stop(&self) {
        let _ = self.0.send(Phase::Stopping);
    }

    pub(crate) fn abandon(&self) {
        let _ = self.0.send(Phase::Abandoning);
    }
}

/// A loop's side: whether to stop polling, and whether to abandon the invocation it runs.
#[derive(Clone)]
pub(crate) struct Stop(watch::Receiver<Phase>);

/// A stop signal for the loops, and its sender.
pub(crate) fn stop_channel() -> (StopSender, Stop) {
    let (sender, receiver) = watch::channel(Phase::Running);
    (StopSender(sender), Stop(receiver))
}

impl Stop {
    /// `work`'s output, or `None` when the loops are told to stop first (`work` is dropped then: only
    /// use it for what holds no invocation, the `next` poll).
    pub(crate) async fn unless_stopping<F: Future>(&mut self, work: F) -> Option<F::Output> {
        self.unless(Phase::Stopping, work).await
    }

    /// `work`'s output, or `None` when the invocations in flight are to be abandoned first (`work` is
    /// dropped then, and the caller answers the invocation).
    pub(crate) async fn unless_abandoning<F: Future>(&mut self, work: F) -> Option<F::Output> {
        self.unless(Phase::Abandoning, work).await
    }

    async fn unless<F: Future>(&mut self, phase: Phase, work: F) -> Option<F::Output> {
        if *self.0.borrow() >= phase {
            return None;
        }
        let receiver = &mut self.0;
        let reached = async move {
            if receiver.wait_for(|now| *now >= phase).await.is_err() {
                // No sender: nobody will ever stop the loops.
                std::future::pending::<()>().await;
            }
        };
        match futures_util::future::select(std::pin::pin!(work), std::pin::pin!(reached)).await {
            futures_util::future::Either::Left((output, _)) => Some(output),
            futures_util::future::Either::Right(_) => None,
        }
    }
}

/// Resolves with the signal's name on SIGTERM or SIGINT; never when neither can be watched.
pub(crate) async fn terminated() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut term), Ok(mut int)) => {
            let term = std::pin::pin!(term.recv());
            let int = std::pin::pin!(int.recv());
            match futures_util::future::select(term, int).await {
                futures_util::future::Either::Left(_) => "SIGTERM",
                futures_util::future::Either::Right(_) => "SIGINT",
            }
        }
        (Ok(mut term), Err(_)) => {
            term.recv().await;
            "SIGTERM"
        }
        (Err(e), _) => {
            tracing::warn!("cannot watch for SIGTERM ({e}): a shutdown will not run the #[shutdown] hooks");
            std::future::pending().await
        }
    }
}

/// Whether a `#[shutdown]` hook would run with these states (then the runtime registers an extension,
/// so that Lambda sends SIGTERM).
pub(crate) fn hooks_for(states: &'static StateMap) -> bool {
    inventory::iter::<ShutdownRegistration>().any(|hook| (hook.run)(states).is_some())
}

/// Runs every hook whose state was built, all at once; each is cut off (and logged) when `within` has
/// passed, and its error or panic is logged.
pub(crate) async fn run_hooks(states: &'static StateMap, within: Duration) {
    let hooks = inventory::iter::<ShutdownRegistration>().filter_map(|hook| match (hook.run)(states) {
        Some(future) => Some((hook, future)),
        None => {
            tracing::debug!(
                "shutdown hook `{}` ({}:{}) does not run: the state it takes was not built",
                hook.function,
                hook.file,
                hook.line
            );
            None
        }
    });
    let runs = hooks.map(|(hook, future)| async move {
        let at = format!("`{}` ({}:{})", hook.function, hook.file, hook.line);
        match tokio::time::timeout(within, AssertUnwindSafe(future).catch_unwind()).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(error))) => tracing::error!("shutdown hook {at} failed: {error}"),
            Ok(Err(_)) => tracing::error!("shutdown hook {at} panicked"),
            Err(_) => tracing::error!(
                "shutdown hook {at} did not finish within {} ms and was cut off",
                within.as_millis()
            ),
        }
    });
    futures_util::future::join_all(runs).await;
}

/// The state of every runtime the emulator started in this process (a runtime restarted after a timeout
/// builds its state again; the last one counts for its handler).
#[cfg(feature = "local")]
static EMULATED: std::sync::Mutex<Vec<&'static StateMap>> = std::sync::Mutex::new(Vec::new());

/// Keeps `states` for [`run_emulated_hooks`].
#[cfg(feature = "local")]
pub(crate) fn keep_for_emulator(states: &'static StateMap) {
    EMULATED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(states);
}

/// `bootstrap serve` stopped: the hooks of every runtime it started, within [`BUDGET`].
#[cfg(feature = "local")]
pub(crate) async fn run_emulated_hooks() {
    let all: Vec<&'static StateMap> =
        std::mem::take(&mut *EMULATED.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    let runs = all.into_iter().map(|states| run_hooks(states, BUDGET));
    futures_util::future::join_all(runs).await;
}
