//! The invocation loop (docs/design.md, "The Runtime API" and "Errors"): init, then next -> decode ->
//! call -> encode -> post, forever. Nothing a handler or an event does ends it; only the Runtime
//! API's fatal answers and init errors do.
//!
//! The rule it keeps: once the runtime holds a request id, that invocation ends in exactly one post
//! the API accepted (a response or an error), or the process exits non-zero so that Lambda reports
//! it. A response the API refuses becomes an error post; an error post the API refuses ends the
//! process.

pub(crate) mod api;
pub(crate) mod connection;
mod cutoff;
mod extension;
pub(crate) mod panic;
pub(crate) mod shutdown;
pub(crate) mod streaming;

use std::future::Future as _;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::task::Poll;

use futures_util::FutureExt as _;
use tracing::Instrument as _;

use crate::catalog;
use crate::context::FunctionConfig;
use crate::encode::Output;
use crate::error::{Error, kind};
use crate::extract::{Invocation, StateMap};
use crate::registry::HandlerRegistration;
use api::{Delivery, Fatal, Next, RuntimeApi, Ticket};
use shutdown::Stop;
use streaming::Streamed;
pub(crate) use streaming::next_piece;

/// Runs the handler `_HANDLER` names against the Runtime API at `endpoint` until a fatal error;
/// returns the process exit code. `AWS_LAMBDA_MAX_CONCURRENCY` loops poll at once, spread over as many
/// threads as the process may use cores (at most one per loop).
pub(crate) async fn start(endpoint: &str, env: FunctionConfig) -> i32 {
    let concurrency = env_concurrency();
    start_on(
        endpoint.to_owned(),
        env,
        concurrency,
        threads_for(concurrency),
        Signals::Watch,
    )
    .await
}

/// Whether the process's SIGTERM and SIGINT are the loops' to act on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Signals {
    /// Lambda's process: a shutdown (or Ctrl-C) stops the loops and runs the `#[shutdown]` hooks.
    Watch,
    /// The emulator's runtimes, inside a process whose signals are its own.
    #[cfg(feature = "local")]
    Ignore,
}

/// [`start`] with `concurrency` loops polling at once, all on the current thread (the emulator's
/// runtimes, which it stops and starts again as one task).
#[cfg(feature = "local")]
pub(crate) async fn start_with(endpoint: String, env: FunctionConfig, concurrency: usize) -> i32 {
    start_on(endpoint, env, concurrency, 1, Signals::Ignore).await
}

/// Threads for `concurrency` loops: one per core the process may use, at most one per loop.
fn threads_for(concurrency: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    cores.min(concurrency).max(1)
}

/// How many of `concurrency` loops thread number `thread` of `threads` runs: as even as can be.
fn share(concurrency: usize, threads: usize, thread: usize) -> usize {
    concurrency / threads + usize::from(thread < concurrency % threads)
}

/// Init, then `concurrency` loops on `threads` threads: this one and `threads - 1` more, each with a
/// current-thread runtime of its own. An invocation stays on the thread whose loop took it, so a
/// handler's future need not be `Send`, and CPU-bound handlers use every core. The first fatal error
/// of any loop ends the process.
///
/// The phases, in order: init; spawn the loops; wait for the first end (a fatal error, or a signal);
/// drain the invocations in flight; run the `#[shutdown]` hooks; the exit code.
async fn start_on(endpoint: String, env: FunctionConfig, concurrency: usize, threads: usize, signals: Signals) -> i32 {
    let endpoint = match api::Endpoint::parse(&endpoint) {
        Ok(endpoint) => endpoint,
        Err(e) => {
            // Without a usable endpoint there is nowhere to post the init error: say it on stderr.
            tracing::error!(errorType = e.error_type(), "{e}");
            return 1;
        }
    };
    panic::install_hook();
    let Some((loops, stop_all)) = ready(endpoint, env, concurrency, signals).await else {
        return 1;
    };
    let states = loops.states;
    let mut running = match Running::spawn(loops, concurrency, threads) {
        Ok(running) => running,
        Err(why) => {
            tracing::error!("stopping: {why}");
            return 1;
        }
    };
    if let Some(Fatal(why)) = running.first_end(watch_signals(signals)).await {
        tracing::error!("stopping: {why}");
        return 1;
    }
    let started = std::time::Instant::now();
    let ended = running.drain(&stop_all).await;
    shutdown::run_hooks(states, shutdown::BUDGET.saturating_sub(started.elapsed())).await;
    exit_code(ended)
}

/// The init phase of a process: the overrun grace, the handler and its state, the shutdown extension;
/// what every loop shares, and the sender that stops them. An init error is posted (or, for the emulator,
/// recorded by its Runtime API) and gives `None`: the process exits.
async fn ready(
    endpoint: api::Endpoint,
    env: FunctionConfig,
    concurrency: usize,
    signals: Signals,
) -> Option<(Loops, shutdown::StopSender)> {
    let env = Arc::new(env);
    let ready = match cutoff::grace(std::env::var(cutoff::GRACE_VAR).ok().as_deref(), concurrency) {
        Ok(grace) => init(&env).await.map(|(handler, states)| (handler, states, grace)),
        Err(e) => Err(e),
    };
    let (handler, states, grace) = match ready {
        Ok(ready) => ready,
        Err(e) => {
            tracing::error!(errorType = e.error_type(), "init failed: {e}");
            if let Err(Fatal(why)) = RuntimeApi::new(endpoint).post_init_error(&e).await {
                tracing::error!("could not report the init error: {why}");
            }
            return None;
        }
    };
    // The emulator runs the hooks of every runtime it started when it is stopped itself.
    #[cfg(feature = "local")]
    if signals == Signals::Ignore {
        shutdown::keep_for_emulator(states);
    }
    // Lambda sends SIGTERM before a shutdown only to a runtime with an extension registered.
    if signals == Signals::Watch
        && shutdown::hooks_for(states)
        && let Err(why) = extension::register(&endpoint).await
    {
        tracing::warn!("cannot register the shutdown extension, so the #[shutdown] hooks will not run: {why}");
    }
    let (stop_all, stop) = shutdown::stop_channel();
    let loops = Loops {
        endpoint,
        handler,
        states,
        env,
        // `_X_AMZN_TRACE_ID` names one invocation; with several in flight it would be wrong for all but one.
        set_trace_env: concurrency == 1,
        grace,
        stop,
    };
    Some((loops, stop_all))
}

/// The signal that starts a shutdown, awaited by a task of its own so that it is polled only when it
/// comes (the wait for the first end wakes once per invocation). `None` when the signals are not the
/// loops' (the emulator's runtimes).
fn watch_signals(signals: Signals) -> Option<tokio::sync::oneshot::Receiver<&'static str>> {
    if signals != Signals::Watch {
        return None;
    }
    let (signalled, signal) = tokio::sync::oneshot::channel::<&'static str>();
    tokio::spawn(async move {
        let _ = signalled.send(shutdown::terminated().await);
    });
    Some(signal)
}

/// The exit code once the loops ended: 0 when each stopped having answered what it held; 1 after a fatal
/// error, or when an invocation could be neither finished nor cancelled (`None`: Lambda reports it when
/// the process exits non-zero).
fn exit_code(ended: Option<Vec<Ended>>) -> i32 {
    let Some(ended) = ended else {
        // A handler that blocks its thread cannot be cancelled, and its invocation cannot be answered.
        tracing::error!(
            "stopped with an invocation neither finished nor cancelled {} ms after the signal (a handler \
             blocking its thread?); exiting non-zero",
            (shutdown::DRAIN + shutdown::ABANDON).as_millis()
        );
        return 1;
    };
    match ended.into_iter().find_map(|e| match e {
        Ended::Fatal(fatal) => Some(fatal),
        Ended::Stopped => None,
    }) {
        Some(Fatal(why)) => {
            tracing::error!("stopped: {why}");
            1
        }
        None => 0,
    }
}

/// The loops of the process once spawned: this thread's, and how the other threads report their end.
struct Running {
    /// This thread's loops.
    here: std::pin::Pin<Box<dyn std::future::Future<Output = Ended>>>,
    /// Set when this thread's loops ended (after a stop), so that they are not awaited again.
    here_stopped: bool,
    /// Each other thread sends how its loops ended, however they end.
    elsewhere: tokio::sync::mpsc::UnboundedReceiver<Ended>,
    /// How many other threads have not reported yet.
    others: usize,
}

impl Running {
    /// Starts `threads - 1` threads of loops (their share of `concurrency` each); this thread's share is
    /// run by awaiting [`Running::first_end`] and [`Running::drain`].
    fn spawn(loops: Loops, concurrency: usize, threads: usize) -> Result<Running, String> {
        let (stopped, elsewhere) = tokio::sync::mpsc::unbounded_channel::<Ended>();
        for thread in 1..threads {
            let count = share(concurrency, threads, thread);
            let loops = loops.clone();
            let stopped = stopped.clone();
            let mut builder = std::thread::Builder::new().name(format!("lambda-rt-{thread}"));
            // The main thread's stack, so that an invocation does not depend on which thread's loop took
            // it (spawned threads get 2 MiB unless RUST_MIN_STACK says otherwise).
            if std::env::var_os("RUST_MIN_STACK").is_none() {
                builder = builder.stack_size(THREAD_STACK);
            }
            let spawned = builder.spawn(move || {
                // Reports the thread's end however it ends, a panic while unwinding included.
                let mut report = Report(
                    stopped,
                    Some(Ended::Fatal(Fatal(format!(
                        "the loops of thread lambda-rt-{thread} stopped"
                    )))),
                );
                let serve = || runtime_for(thread).map(|runtime| runtime.block_on(loops.serve(count)));
                report.1 = Some(match std::panic::catch_unwind(AssertUnwindSafe(serve)) {
                    Ok(Ok(ended)) => ended,
                    Ok(Err(fatal)) => Ended::Fatal(fatal),
                    Err(_) => Ended::Fatal(Fatal(format!("the loops of thread lambda-rt-{thread} panicked"))),
                });
            });
            if let Err(e) = spawned {
                return Err(format!("cannot start a thread for {count} invocation loops: {e}"));
            }
        }
        // Only the threads hold senders now, and each sends when it ends (`Report`), however it ends.
        drop(stopped);
        Ok(Running {
            here: Box::pin(loops.serve(share(concurrency, threads, 0))),
            here_stopped: false,
            elsewhere,
            others: threads - 1,
        })
    }

    /// Runs this thread's loops until the first fatal error of any loop (`Some`), or the signal (`None`).
    async fn first_end(&mut self, mut signal: Option<tokio::sync::oneshot::Receiver<&'static str>>) -> Option<Fatal> {
        std::future::poll_fn(|cx| {
            if !self.here_stopped
                && let Poll::Ready(ended) = self.here.as_mut().poll(cx)
            {
                match ended {
                    Ended::Fatal(fatal) => return Poll::Ready(Some(fatal)),
                    // (Only after a stop, which only a signal gives: kept, so that it is not awaited again.)
                    Ended::Stopped => self.here_stopped = true,
                }
            }
            // Until Pending, so that the receiver is registered to wake this task for the next report.
            while self.others > 0 {
                match self.elsewhere.poll_recv(cx) {
                    Poll::Ready(Some(Ended::Fatal(fatal))) => return Poll::Ready(Some(fatal)),
                    Poll::Ready(Some(Ended::Stopped)) => self.others -= 1,
                    // Every thread has reported: only this thread's loops are left.
                    Poll::Ready(None) => self.others = 0,
                    Poll::Pending => break,
                }
            }
            let Some(watched) = signal.as_mut() else {
                return Poll::Pending;
            };
            match std::pin::Pin::new(watched).poll(cx) {
                Poll::Ready(Ok(name)) => {
                    tracing::info!(
                        "{name}: stopping (invocations in flight end first, then the #[shutdown] hooks run)"
                    );
                    Poll::Ready(None)
                }
                // The signal's task is gone: nothing will come (and a finished receiver is not polled again).
                Poll::Ready(Err(_)) => {
                    signal = None;
                    Poll::Pending
                }
                Poll::Pending => Poll::Pending,
            }
        })
        .await
    }

    /// Told to stop: no loop polls again, those in flight post their answer first. Those that cannot
    /// within [`shutdown::DRAIN`] are cancelled and answered with an error naming the shutdown. How each
    /// thread's loops ended, or `None` when some did not end even then.
    async fn drain(mut self, stop_all: &shutdown::StopSender) -> Option<Vec<Ended>> {
        stop_all.stop();
        let all_ended = async {
            let mut ended = Vec::with_capacity(self.others + 1);
            if !self.here_stopped {
                ended.push(self.here.as_mut().await);
            }
            for _ in 0..self.others {
                ended.extend(self.elsewhere.recv().await);
            }
            ended
        };
        let mut all_ended = std::pin::pin!(all_ended);
        match tokio::time::timeout(shutdown::DRAIN, &mut all_ended).await {
            Ok(ended) => Some(ended),
            Err(_) => {
                tracing::warn!(
                    "invocations still running {} ms after the signal: cancelling them, each answered with a {} \
                     error",
                    shutdown::DRAIN.as_millis(),
                    kind::SHUTDOWN
                );
                stop_all.abandon();
                tokio::time::timeout(shutdown::ABANDON, &mut all_ended).await.ok()
            }
        }
    }
}

/// The stack of each thread the loops run on: Linux's default for the main thread.
const THREAD_STACK: usize = 8 * 1024 * 1024;

/// A current-thread runtime for loop thread number `thread`.
fn runtime_for(thread: usize) -> Result<tokio::runtime::Runtime, Fatal> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Fatal(format!(
                "cannot start the tokio runtime of thread lambda-rt-{thread}: {e}"
            ))
        })
}

/// Sends how a thread's loops ended when dropped, so that the process learns of the thread's end however
/// it ends.
struct Report(tokio::sync::mpsc::UnboundedSender<Ended>, Option<Ended>);

impl Drop for Report {
    fn drop(&mut self) {
        if let Some(why) = self.1.take() {
            let _ = self.0.send(why);
        }
    }
}

/// How invocation loops ended.
enum Ended {
    /// The Runtime API failed fatally.
    Fatal(Fatal),
    /// Told to stop (a shutdown), with no invocation left in flight.
    Stopped,
}

/// What every invocation loop of the process shares.
#[derive(Clone)]
struct Loops {
    endpoint: api::Endpoint,
    handler: &'static HandlerRegistration,
    states: &'static StateMap,
    env: Arc<FunctionConfig>,
    set_trace_env: bool,
    /// How long past its deadline a handler may run before it is cancelled (`None`: never).
    grace: Option<std::time::Duration>,
    stop: Stop,
}

impl Loops {
    /// `count` loops on the current thread, each with its own connection: the first fatal error, or
    /// `Stopped` once every loop stopped.
    async fn serve(self, count: usize) -> Ended {
        if count <= 1 {
            let api = RuntimeApi::new(self.endpoint.clone());
            return serve(
                api,
                self.handler,
                self.states,
                &self.env,
                self.set_trace_env,
                self.grace,
                self.stop.clone(),
            )
            .await;
        }
        let mut loops: futures_util::stream::FuturesUnordered<_> = (0..count.max(1))
            .map(|_| {
                Box::pin(serve(
                    RuntimeApi::new(self.endpoint.clone()),
                    self.handler,
                    self.states,
                    &self.env,
                    self.set_trace_env,
                    self.grace,
                    self.stop.clone(),
                ))
            })
            .collect();
        while let Some(ended) = futures_util::StreamExt::next(&mut loops).await {
            if let Ended::Fatal(fatal) = ended {
                return Ended::Fatal(fatal);
            }
        }
        Ended::Stopped
    }
}

/// The init phase: check the registrations, pick the handler, build the state it needs.
pub(crate) async fn init(env: &FunctionConfig) -> Result<(&'static HandlerRegistration, &'static StateMap), Error> {
    catalog::check_registrations()?;
    let handler = catalog::select(env.handler.as_deref())?;
    let states = catalog::build_states(handler).await?;
    Ok((handler, states))
}

/// `AWS_LAMBDA_MAX_CONCURRENCY`: how many invocations this process serves at once (default 1).
pub(crate) fn env_concurrency() -> usize {
    std::env::var("AWS_LAMBDA_MAX_CONCURRENCY")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1)
}

/// One invocation loop. Returns when the Runtime API fails fatally, or when told to stop between
/// invocations.
async fn serve(
    mut api: RuntimeApi,
    handler: &'static HandlerRegistration,
    states: &'static StateMap,
    env: &Arc<FunctionConfig>,
    set_trace_env: bool,
    grace: Option<std::time::Duration>,
    mut stop: Stop,
) -> Ended {
    loop {
        // The poll is the one place a loop stops: it holds no invocation there.
        let Some(next) = stop.unless_stopping(api.next(env)).await else {
            return Ended::Stopped;
        };
        let (context, event) = match next {
            Ok(Next::Invocation { context, body }) => (context, body),
            Ok(Next::Unusable(why)) => {
                tracing::error!("{why}; polling again");
                continue;
            }
            Ok(Next::Incomplete { ticket, why }) => {
                let span = crate::logging::incomplete_span(&ticket.request_id);
                let error = Error::new(kind::INCOMPLETE_EVENT, why);
                span.in_scope(|| log_error(&error));
                match answer_with_error(&mut api, &ticket, error).instrument(span).await {
                    Ok(()) => continue,
                    Err(fatal) => return Ended::Fatal(fatal),
                }
            }
            Err(fatal) => return Ended::Fatal(fatal),
        };
        if set_trace_env {
            set_trace_id(context.xray_trace_id.as_deref());
        }
        let ticket = Ticket::of(&context);
        let span = crate::logging::invocation_span(handler.name, &context, &event);
        let invocation = Invocation::new(event, context, states);
        // The call, then the answer, both under the invocation span...
        #[cfg(not(feature = "otel"))]
        let ended = async {
            let output = call(handler, invocation, &ticket, grace, &mut stop).await;
            answer(&mut api, &ticket, output, grace, &mut stop).await
        }
        .instrument(span)
        .await;
        // ...or, with OpenTelemetry, the span ends with the call and the spans are flushed before the
        // answer (Lambda may freeze the environment once it has the answer); the answer's log lines name
        // the request id themselves.
        #[cfg(feature = "otel")]
        let ended = {
            let output = call(handler, invocation, &ticket, grace, &mut stop)
                .instrument(span)
                .await;
            crate::otel::flush().await;
            answer(&mut api, &ticket, output, grace, &mut stop).await
        };
        if let Err(fatal) = ended {
            return Ended::Fatal(fatal);
        }
    }
}

/// Calls the handler: it runs until it returns, overruns its deadline by the grace, or a shutdown cannot
/// wait for it any more (then it is dropped, and its error is the answer).
async fn call(
    handler: &'static HandlerRegistration,
    invocation: Invocation,
    ticket: &Ticket,
    grace: Option<std::time::Duration>,
    stop: &mut Stop,
) -> Result<Output, Error> {
    // (Pinned where it is built, so that the wrappers move a pointer, not the handler's future.)
    let called = std::pin::pin!(invoke(handler, invocation));
    let output = cutoff::bounded(called, ticket, grace, stop).await.and_then(|r| r);
    if let Err(error) = &output {
        log_error(error);
    }
    output
}

/// Posts an invocation's answer (its response, buffered or streamed, or its error) and acts on what the
/// API made of it. A streamed body is bounded like the call that returned it.
async fn answer(
    api: &mut RuntimeApi,
    ticket: &Ticket,
    output: Result<Output, Error>,
    grace: Option<std::time::Duration>,
    stop: &mut Stop,
) -> Result<(), Fatal> {
    let delivery = match output {
        Ok(Output::Buffered(body)) => {
            let delivery = api.post_response(ticket, &body).await;
            crate::encode::recycle(body);
            delivery?
        }
        Ok(Output::Streaming(response)) => {
            let sent = cutoff::bounded(streaming::send(api, ticket, response), ticket, grace, stop).await;
            match sent {
                Ok(sent) => match sent? {
                    Streamed::Posted(delivery) => delivery,
                    Streamed::NotBegun(error) => {
                        log_error(&error);
                        return answer_with_error(api, ticket, error).await;
                    }
                },
                Err(error) => {
                    // Cut off mid-post, perhaps: that connection cannot carry another request.
                    api.reset();
                    log_error(&error);
                    return answer_with_error(api, ticket, error).await;
                }
            }
        }
        // (Logged where it was made, under the invocation's span.)
        Err(error) => return answer_with_error(api, ticket, error).await,
    };
    settle_response(api, ticket, delivery).await
}

/// The log line of an error that becomes an invocation's answer.
fn log_error(error: &Error) {
    tracing::error!(errorType = error.error_type(), "{}", error.message());
}

/// Acts on what the API made of an invocation's response post: accepted, already answered or over
/// (late), the invocation is over; too large, refused or broken off, it gets an error post saying so.
async fn settle_response(api: &mut RuntimeApi, ticket: &Ticket, delivery: Delivery) -> Result<(), Fatal> {
    let error = match delivery {
        Delivery::Accepted => return Ok(()),
        Delivery::Closed(why) => {
            tracing::warn!("{why}; the invocation was answered already");
            return Ok(());
        }
        Delivery::Late(why) => {
            too_late(ticket, &why);
            return Ok(());
        }
        Delivery::TooLarge(why) => Error::new(
            kind::RESPONSE_TOO_LARGE,
            format!("the response is larger than Lambda accepts ({why})"),
        ),
        Delivery::Refused(why) => Error::new(kind::RESPONSE_REJECTED, format!("the response was refused ({why})")),
        Delivery::Broken(why) => Error::new(kind::STREAM_BROKEN, format!("the streaming response broke off ({why})")),
    };
    log_error(&error);
    answer_with_error(api, ticket, error).await
}

/// The API ended the invocation without its answer (it timed out, or the API no longer knows it): the
/// loop goes on, and says so.
fn too_late(ticket: &Ticket, why: &str) {
    tracing::warn!(
        "the answer of invocation {} came too late, {}: {why}; nothing more is sent for it",
        ticket.request_id,
        ticket.lateness()
    );
}

/// Posts `error` (logged by the caller) as the invocation's answer. If the API takes no answer for the
/// invocation at all, the runtime must exit, so that Lambda reports the invocation instead of waiting for it.
async fn answer_with_error(api: &mut RuntimeApi, ticket: &Ticket, error: Error) -> Result<(), Fatal> {
    let refused = match api.post_error(ticket, &error).await? {
        Delivery::Accepted => return Ok(()),
        Delivery::Closed(why) => {
            tracing::warn!("{why}; the invocation was answered already");
            return Ok(());
        }
        Delivery::Late(why) => {
            too_late(ticket, &why);
            return Ok(());
        }
        Delivery::TooLarge(why) | Delivery::Refused(why) | Delivery::Broken(why) => why,
    };
    // Once more with the plainest error there is, in case something of this one was what it refused.
    let plain = Error::new(
        kind::UNKNOWN,
        "the invocation failed; its error was refused by the Runtime API",
    );
    match api.post_error(ticket, &plain).await? {
        Delivery::Accepted | Delivery::Closed(_) => Ok(()),
        Delivery::Late(why) => {
            too_late(ticket, &why);
            Ok(())
        }
        Delivery::TooLarge(_) | Delivery::Refused(_) | Delivery::Broken(_) => Err(Fatal(format!(
            "the Runtime API took neither the result nor the error of invocation {} ({refused}); exiting so that \
             Lambda reports it",
            ticket.request_id
        ))),
    }
}

/// Calls the handler on one invocation: decode, call, encode, with panics caught and reported as
/// `Runtime.Panic`. Shared by the loop and the local `invoke` command.
pub(crate) async fn invoke(handler: &HandlerRegistration, invocation: Invocation) -> Result<Output, Error> {
    match AssertUnwindSafe((handler.call)(invocation)).catch_unwind().await {
        Ok(result) => result,
        Err(payload) => Err(panic::to_error(payload.as_ref())),
    }
}

/// Sets `_X_AMZN_TRACE_ID` for the invocation about to run, as AWS's runtimes do for the X-Ray SDKs.
#[allow(unsafe_code)]
fn set_trace_id(trace_id: Option<&str>) {
    // SAFETY: `set_var`/`remove_var` race with other threads reading the environment. The runtime runs
    // its loop on one thread and is called only when it runs one loop; the only other thread it uses is
    // tokio's blocking pool, for a host-name lookup while (re)connecting, which this same task awaits
    // before it gets here (and Lambda's address is an IP, needing none). That leaves threads the
    // handler itself starts; AWS's own runtimes set this variable the same way.
    unsafe {
        match trace_id {
            Some(id) => std::env::set_var("_X_AMZN_TRACE_ID", id),
            None => std::env::remove_var("_X_AMZN_TRACE_ID"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_are_shared_evenly_and_no_thread_is_idle() {
        for concurrency in 1..=20 {
            let threads = threads_for(concurrency);
            assert!((1..=concurrency).contains(&threads));
            for threads in 1..=concurrency {
                let shares: Vec<usize> = (0..threads).map(|t| share(concurrency, threads, t)).collect();
                assert_eq!(
                    shares.iter().sum::<usize>(),
                    concurrency,
                    "{concurrency} over {threads}"
                );
                let (min, max) = (shares.iter().min().copied(), shares.iter().max().copied());
                assert!(min >= Some(1) && max <= min.map(|m| m + 1), "{shares:?}");
            }
        }
    }
}
