//! The embedded emulator: the Lambda Invoke API and the Runtime API on one
//! port of 127.0.0.1, with the normal Runtime API loop of every handler polling it, so a local request
//! takes exactly the production path (next, decode, call, response or error).
//!
//! `bootstrap` without `AWS_LAMBDA_RUNTIME_API` and without arguments (or `bootstrap serve`) runs it
//! in the foreground; tests start it in-process with [`Emulator::builder`] and [`EmulatorBuilder::start`]:
//!
//! ```no_run
//! # fn main() -> std::io::Result<()> {
//! let emulator = lambda_fn::emulator::Emulator::builder().start()?;
//! // POST events to emulator.invoke_url("my.handler") with any HTTP client.
//! println!("listening on {}", emulator.addr());
//! # Ok(()) }
//! ```
//!
//! What it does, like Lambda:
//! - `POST /2015-03-31/functions/{name}/invocations`, where `name` is a handler name, `function`
//!   (the `_HANDLER` handler, or the only one), the function name or its ARN: 200 with the result; for a
//!   function error 200 with `X-Amz-Function-Error: Unhandled` and the error JSON; 404 for an unknown
//!   function; 413 for a payload over 6 MB; `X-Amz-Log-Type: Tail` returns the last 4 KB of the
//!   invocation's log base64 in `X-Amz-Log-Result`; `X-Amz-Invocation-Type: Event` queues and answers
//!   202, `DryRun` answers 204.
//! - Each invocation has a timeout (default 3 s, Lambda's default): past it the caller gets
//!   `Sandbox.Timedout`, and the function's runtime is restarted (its `#[init]` functions run again), as
//!   Lambda replaces a timed-out execution environment. A handler that blocks its thread instead of
//!   awaiting cannot be interrupted. With more than one invocation at a time it is not restarted, as on
//!   Managed Instances: the handler runs on until the runtime cancels it (`LAMBDA_RT_OVERRUN_GRACE`).
//!   Either way, a post for a timed-out invocation is answered 410 `InvokeTimeout`.
//! - Each invocation gets a `Lambda-Runtime-Invocation-Id`, and the `X-Amz-Tenant-Id` of its Invoke
//!   call as `Lambda-Runtime-Aws-Tenant-Id`.
//! - Invocations queue and are served one at a time per handler, or N at a time with
//!   `AWS_LAMBDA_MAX_CONCURRENCY=N` (or [`EmulatorBuilder::concurrency`]).
//! - The Runtime API of each handler is served under `/fn/{index}/2018-06-01`; the one of the default
//!   handler also under `/2018-06-01`, so an external bootstrap can be pointed at the emulator too.

#[cfg(feature = "durable")]
mod durable;
mod gateway;
mod http;
mod invoke_api;
pub(crate) mod logs;
mod reply;
mod state;
mod stream;

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, mpsc, oneshot};

use crate::catalog;
use crate::context::FunctionConfig;
use crate::http::Source;
use crate::runtime;
use logs::LogStore;
use state::{Function, InFlight, Outcome, Shared};
pub use state::{MAX_PAYLOAD, MAX_STREAMED};

/// The default port of `bootstrap serve` (`LAMBDA_RT_PORT` overrides it).
pub const DEFAULT_PORT: u16 = 9000;
/// The default invocation timeout (`LAMBDA_RT_TIMEOUT`, in seconds, overrides it), Lambda's default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);
/// An emulator running on a thread of its own; stopped when dropped.
pub struct Emulator {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Emulator {
    /// A builder with the defaults: a random port of 127.0.0.1, a 3 s timeout, one invocation at a
    /// time per handler, every registered handler served.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            port: 0,
            timeout: DEFAULT_TIMEOUT,
            concurrency: 1,
            default_handler: None,
            http: None,
            skip_time: false,
            durable_state: None,
        }
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The Invoke API URL of `function` (a handler name, or `function` for the default handler).
    pub fn invoke_url(&self, function: &str) -> String {
        format!("http://{}/2015-03-31/functions/{function}/invocations", self.addr)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Settings of an [`Emulator`].
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    port: u16,
    timeout: Duration,
    concurrency: usize,
    default_handler: Option<String>,
    http: Option<(String, Source)>,
    skip_time: bool,
    durable_state: Option<std::path::PathBuf>,
}

impl EmulatorBuilder {
    /// Serves `handler` as a plain HTTP server too: a request on any path outside the Invoke API and
    /// the Runtime API becomes an event of `source` (an HTTP API's, for `bootstrap serve --http`), goes
    /// through the handler's loop, and its answer is the HTTP response.
    pub fn http(mut self, handler: impl Into<String>, source: Source) -> Self {
        self.http = Some((handler.into(), source));
        self
    }

    /// The port to listen on (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The invocation timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many invocations of one handler run at once.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Time skipping for durable executions (feature `durable`): a suspended execution's waits and retry
    /// delays end at once (`LAMBDA_RT_SKIP_TIME=1` for `bootstrap serve`). For tests of long workflows.
    pub fn skip_time(mut self, skip: bool) -> Self {
        self.skip_time = skip;
        self
    }

    /// Where the durable executions are kept (feature `durable`): saved to this file after every change,
    /// and taken up again from it when the emulator starts, so that an execution survives a restart
    /// (`LAMBDA_RT_DURABLE_STATE=path` for `bootstrap serve`). In memory only by default.
    pub fn durable_state(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.durable_state = Some(path.into());
        self
    }

    /// The handler that the function name `function` means (default: `_HANDLER`, or the only one).
    pub fn default_handler(mut self, name: impl Into<String>) -> Self {
        self.default_handler = Some(name.into());
        self
    }

    /// Binds the port and starts serving on a thread of its own.
    pub fn start(self) -> io::Result<Emulator> {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, self.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (shutdown, stop) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("lambda-rt-emulator".into())
            .spawn(move || {
                let logs = LogStore::default();
                let _logging =
                    tracing::subscriber::set_default(crate::logging::subscriber(logs::CaptureLayer(logs.clone())));
                let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    Ok(runtime) => runtime,
                    Err(e) => return eprintln!("lambda-rt emulator: cannot start a tokio runtime: {e}"),
                };
                let local = tokio::task::LocalSet::new();
                local.block_on(&runtime, async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => {
                            tokio::select! {
                                served = serve(listener, self, logs) => {
                                    if let Err(e) = served {
                                        eprintln!("lambda-rt emulator: {e}");
                                    }
                                }
                                _ = stop => {}
                            }
                        }
                        Err(e) => eprintln!("lambda-rt emulator: {e}"),
                    }
                });
            })?;
        Ok(Emulator {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

/// `bootstrap serve`: the emulator in the foreground with `settings` (the command line reads them
/// from its environment). Returns the exit code.
pub(crate) async fn serve_foreground(settings: EmulatorBuilder, logs: LogStore) -> i32 {
    let started = Instant::now();
    let port = settings.port;
    let listener = match tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{port}: {e}; set LAMBDA_RT_PORT to a free port");
            return 1;
        }
    };
    let addr = listener
        .local_addr()
        .map_or_else(|_| format!("127.0.0.1:{port}"), |a| a.to_string());
    let handlers = catalog::registered_handlers();
    if let Some((name, _)) = &settings.http
        && !handlers.contains(&name.as_str())
    {
        eprintln!(
            "serve --http {name}: no handler named `{name}`; registered: {}",
            handlers.join(", ")
        );
        return 2;
    }
    let example = settings
        .default_handler
        .as_deref()
        .or(handlers.first().copied())
        .unwrap_or("function");
    // One write of the whole text, whose failure is ignored: `eprintln!` writes piecewise and panics
    // when stderr is gone (a reader that took the first line and left, `bootstrap | head -1`).
    let banner = format!(
        "lambda-rt emulator listening on http://{addr} (ready in {:.1} ms; timeout {:?}; handlers: {})\n  \
         try: curl -s -X POST http://{addr}/2015-03-31/functions/{example}/invocations -d @event.json\n",
        started.elapsed().as_secs_f64() * 1000.0,
        settings.timeout,
        handlers.join(", ")
    );
    let mut banner = banner;
    if let Some((name, source)) = &settings.http {
        banner.push_str(&format!(
            "  serving `{name}` as plain HTTP on every other path, as {source} events: curl -s http://{addr}/\n"
        ));
    }
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), banner.as_bytes());
    // Ctrl-C or SIGTERM stops it as Lambda stops a function: the #[shutdown] hooks run, then exit 0.
    let local = tokio::task::LocalSet::new();
    let serving = Box::pin(local.run_until(serve(listener, settings, logs)));
    let signalled = Box::pin(runtime::shutdown::terminated());
    match futures_util::future::select(serving, signalled).await {
        futures_util::future::Either::Left((Err(e), _)) => {
            eprintln!("{e}");
            1
        }
        futures_util::future::Either::Left((Ok(()), _)) => 0,
        futures_util::future::Either::Right((name, _)) => {
            tracing::info!("{name}: stopping the emulator (the #[shutdown] hooks run first)");
            runtime::shutdown::run_emulated_hooks().await;
            0
        }
    }
}

/// Serves the emulator on `listener` until the future is dropped. Must run inside a `LocalSet`;
/// `logs` is the store the installed subscriber's capture layer writes to.
async fn serve(listener: tokio::net::TcpListener, settings: EmulatorBuilder, logs: LogStore) -> Result<(), String> {
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let shared = start_functions(&settings, logs, addr, None)?;
    http::accept(listener, shared).await;
    Ok(())
}

/// The emulator's state for `settings` at `addr`, with the runtime of every handler started against it
/// (on the current `LocalSet`); what serves `addr` is the caller's.
/// The emulator's shared state, with a supervisor per handler. With `first`, only that handler's runtime
/// starts at once, the others on their first invocation (`bootstrap invoke` of a durable handler: its
/// calls may reach other handlers, and the rest should not start, log their init or fail it for nothing).
fn start_functions(
    settings: &EmulatorBuilder,
    logs: LogStore,
    addr: SocketAddr,
    first: Option<&str>,
) -> Result<Arc<Shared>, String> {
    let names = catalog::registered_handlers();
    let default = match settings.default_handler.as_deref() {
        Some(name) => names.iter().position(|n| *n == name),
        None if names.len() == 1 => Some(0),
        None => None,
    };
    let mut env = FunctionConfig::from_env();
    if std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_none() {
        env.function_name = "function".to_owned();
    }
    let functions = names
        .iter()
        .map(|name| {
            let (queue, next) = mpsc::unbounded_channel();
            Function {
                name,
                queue,
                next: tokio::sync::Mutex::new(next),
                in_flight: Mutex::new(HashMap::new()),
                failed: Mutex::new(None),
                restart: Notify::new(),
                wanted: Notify::new(),
                timed_out: Mutex::new(std::collections::VecDeque::new()),
            }
        })
        .collect();
    let http = settings
        .http
        .as_ref()
        .and_then(|(name, source)| Some((names.iter().position(|n| n == name)?, *source)));
    #[cfg(feature = "durable")]
    let (durable, running) = match durable::service::external_service() {
        true => (None, durable::service::Resumed::default()),
        false => {
            let endpoint = format!("http://{addr}");
            let state = settings.durable_state.clone();
            let (service, running) =
                durable::service::DurableService::new(&names, settings.skip_time, endpoint, state)?;
            (Some(service), running)
        }
    };
    let shared = Arc::new(Shared {
        functions,
        default,
        http,
        timeout: settings.timeout,
        concurrency: settings.concurrency,
        env,
        logs,
        ids: AtomicU64::new(1),
        #[cfg(feature = "durable")]
        durable,
    });
    for (index, function) in shared.functions.iter().enumerate() {
        let on_demand = first.is_some_and(|first| first != function.name);
        let supervisor = supervise(Arc::clone(&shared), index, addr, settings.concurrency, on_demand);
        tokio::task::spawn_local(supervisor);
    }
    #[cfg(feature = "durable")]
    durable::driver::resume(&shared, running);
    Ok(shared)
}

/// An execution's history events as a person reads them, a line each.
#[cfg(feature = "durable")]
pub(crate) fn durable_history(events: &[serde_json::Value]) -> String {
    durable::history::readable(events)
}

/// `bootstrap invoke` of a durable handler: runs one execution of `handler` on `input` to its end with
/// the emulator as its durable execution service (listening on `settings`' port, so that a callback can
/// be completed from another shell), and returns how it ended. Must run inside a `LocalSet`.
#[cfg(feature = "durable")]
pub(crate) async fn run_execution(
    settings: EmulatorBuilder,
    handler: &str,
    input: String,
) -> Result<durable::driver::Ended, String> {
    // One execution of its own: a file another emulator may be using is not taken up, nor written.
    let settings = EmulatorBuilder {
        durable_state: None,
        ..settings
    };
    let port = settings.port;
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}; set LAMBDA_RT_PORT to a free port"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let shared = start_functions(&settings, LogStore::default(), addr, Some(handler))?;
    tokio::task::spawn_local(http::accept(listener, Arc::clone(&shared)));
    durable::driver::run_to_end(&shared, handler, input).await
}

/// Runs the production runtime of one handler against the emulator, restarting it after a timeout;
/// `on_demand`, from its first invocation on.
async fn supervise(shared: Arc<Shared>, index: usize, addr: SocketAddr, concurrency: usize, on_demand: bool) {
    let function = &shared.functions[index];
    if on_demand {
        function.wanted.notified().await;
    }
    let mut env = shared.env.clone();
    env.handler = Some(function.name.to_owned());
    // Durable handlers checkpoint to this emulator when it is their durable execution service, and typed
    // calls invoke its handlers through its Invoke API.
    #[cfg(feature = "durable")]
    if shared.durable.is_some() {
        env.lambda_endpoint = Some(format!("http://{addr}"));
    }
    #[cfg(feature = "invoke")]
    {
        env.invoke_endpoint = Some(format!("http://{addr}"));
    }
    let endpoint = format!("http://{addr}/fn/{index}");
    loop {
        let mut task = tokio::task::spawn_local(runtime::start_with(endpoint.clone(), env.clone(), concurrency));
        tokio::select! {
            _ = &mut task => {
                // The runtime ended: an init error (already recorded by /init/error) or a fatal one.
                function.set_failed(Outcome::error(crate::error::kind::EXIT_ERROR, "the runtime exited; see the emulator's log"));
                drain(function).await;
                return;
            }
            () = function.restart.notified() => {
                task.abort();
                let abandoned: Vec<InFlight> = function.in_flight().drain().map(|(_, f)| f).collect();
                for in_flight in abandoned {
                    let _ = in_flight.reply.send(Outcome::error(crate::error::kind::EXIT_ERROR, "the runtime was restarted after another invocation timed out"));
                }
            }
        }
    }
}

/// Answers every queued invocation of a failed function with its failure.
async fn drain(function: &Function) {
    let Some(outcome) = function.failed() else { return };
    let mut queue = function.next.lock().await;
    while let Ok(pending) = queue.try_recv() {
        let _ = pending.reply.send(outcome.clone());
    }
}
