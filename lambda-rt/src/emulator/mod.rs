//! The embedded emulator: the Lambda Invoke API and the Runtime API on one
//! port of 127.0.0.1, with the normal Runtime API loop of every handler polling it, so a local request
//! takes exactly the production path (next, decode, call, response or error).
//!
//! `bootstrap` without `AWS_LAMBDA_RUNTIME_API` and without arguments (or `bootstrap serve`) runs it
//! in the foreground; tests start it in-process with [`Emulator::builder`] and [`EmulatorBuilder::start`]:
//!
//! ```no_run
//! # fn main() -> std::io::Result<()> {
//! let emulator = lambda_rt::emulator::Emulator::builder().start()?;
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

mod gateway;
mod http;
mod invoke_api;
pub(crate) mod logs;
mod reply;
mod stream;

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use tokio::sync::{Notify, mpsc, oneshot};

use crate::context::FunctionConfig;
use crate::http::Source;
use crate::registry;
use crate::runtime;
use logs::LogStore;

/// The default port of `bootstrap serve` (`LAMBDA_RT_PORT` overrides it).
pub const DEFAULT_PORT: u16 = 9000;
/// The default invocation timeout (`LAMBDA_RT_TIMEOUT`, in seconds, overrides it), Lambda's default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);
/// The largest request or response payload Lambda accepts for a synchronous invocation.
pub const MAX_PAYLOAD: usize = 6 * 1024 * 1024;

/// The largest streamed response Lambda accepts, in bytes (200 MB since July 2025).
pub const MAX_STREAMED: usize = 200 * 1024 * 1024;

/// How many timed-out request ids a function remembers, to answer their late posts with 410.
const TIMED_OUT_KEPT: usize = 256;

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
                                () = serve(listener, self, logs) => {}
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
    let handlers = registry::registered_handlers();
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
    if let futures_util::future::Either::Right((name, _)) = futures_util::future::select(serving, signalled).await {
        tracing::info!("{name}: stopping the emulator (the #[shutdown] hooks run first)");
        runtime::shutdown::run_emulated_hooks().await;
    }
    0
}

/// What the Runtime API side hands the loop, and what the caller of the Invoke API waits for.
struct Pending {
    request_id: String,
    /// `X-Amz-Tenant-Id` of the Invoke call, passed on as `Lambda-Runtime-Aws-Tenant-Id`.
    tenant_id: Option<String>,
    body: Bytes,
    reply: oneshot::Sender<Outcome>,
    /// For a caller of InvokeWithResponseStream: where a streamed response's pieces go as they arrive.
    chunks: Option<mpsc::Sender<Bytes>>,
}

/// How an invocation ended.
#[derive(Debug, Clone)]
enum Outcome {
    Response(Bytes),
    Error { error_type: String, body: Bytes },
}

impl Outcome {
    /// How an invocation whose answer is awaited ended: its outcome, or an exit error when the
    /// runtime went away without one.
    fn ended(answer: Result<Outcome, oneshot::error::RecvError>) -> Outcome {
        answer.unwrap_or_else(|_| {
            Outcome::error(
                crate::error::kind::EXIT_ERROR,
                "the runtime stopped before answering this invocation",
            )
        })
    }

    /// An error the emulator itself reports, in the body shape the runtime posts.
    fn error(error_type: &str, message: &str) -> Outcome {
        let error = crate::Error::new(error_type.to_owned(), message);
        Outcome::Error {
            error_type: error_type.to_owned(),
            body: Bytes::from(error.to_json()),
        }
    }
}

struct InFlight {
    reply: oneshot::Sender<Outcome>,
    chunks: Option<mpsc::Sender<Bytes>>,
    started: Instant,
    /// The invocation's timeout timer, stopped when it ends in time.
    timer: tokio::task::AbortHandle,
}

/// One handler, as the emulator serves it.
struct Function {
    name: &'static str,
    queue: mpsc::UnboundedSender<Pending>,
    next: tokio::sync::Mutex<mpsc::UnboundedReceiver<Pending>>,
    in_flight: Mutex<HashMap<String, InFlight>>,
    /// Set when the function's runtime failed to initialise or exited: every invocation gets it.
    failed: Mutex<Option<Outcome>>,
    restart: Notify,
    /// The request ids of the last invocations that timed out (at most [`TIMED_OUT_KEPT`]).
    timed_out: Mutex<std::collections::VecDeque<String>>,
}

impl Function {
    fn in_flight(&self) -> std::sync::MutexGuard<'_, HashMap<String, InFlight>> {
        self.in_flight.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn failed(&self) -> Option<Outcome> {
        self.failed.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set_failed(&self, outcome: Outcome) {
        self.failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(outcome);
    }

    /// Remembers that `request_id` timed out.
    fn timed_out(&self, request_id: &str) {
        let mut ids = self.timed_out.lock().unwrap_or_else(PoisonError::into_inner);
        if ids.len() == TIMED_OUT_KEPT {
            ids.pop_front();
        }
        ids.push_back(request_id.to_owned());
    }

    /// Whether `request_id` is one of the invocations that timed out.
    fn did_time_out(&self, request_id: &str) -> bool {
        let ids = self.timed_out.lock().unwrap_or_else(PoisonError::into_inner);
        ids.iter().any(|id| id == request_id)
    }
}

/// State shared by the HTTP side and the supervisors.
struct Shared {
    functions: Vec<Function>,
    default: Option<usize>,
    /// The function `serve --http` serves as plain HTTP, and the source whose events it sends.
    http: Option<(usize, Source)>,
    timeout: Duration,
    /// Invocations each function serves at once; above 1 a timeout does not restart the runtime.
    concurrency: usize,
    env: FunctionConfig,
    logs: LogStore,
    ids: AtomicU64,
}

impl Shared {
    /// A function by the name an Invoke API caller used.
    /// Accepts what `aws lambda invoke --function-name` accepts: a name, `name:qualifier`, or a full
    /// or partial ARN (`arn:aws:lambda:region:account:function:name[:qualifier]`,
    /// `account:function:name`).
    fn resolve(&self, name: &str) -> Option<usize> {
        let parts: Vec<&str> = name.split(':').collect();
        let name = match parts.iter().position(|p| *p == "function") {
            Some(i) => parts.get(i + 1).copied().unwrap_or(name),
            None => parts.first().copied().unwrap_or(name),
        };
        if name == "function" || name == self.env.function_name {
            return self.default;
        }
        self.functions.iter().position(|f| f.name == name)
    }

    /// Queues an invocation of function `index` (answered at once with the function's failure when its
    /// runtime failed); returns its request id and where its outcome will arrive. `chunks` receives a
    /// streamed response's pieces as they come (InvokeWithResponseStream).
    fn submit(
        &self,
        index: usize,
        body: Bytes,
        tenant_id: Option<String>,
        chunks: Option<mpsc::Sender<Bytes>>,
    ) -> (String, oneshot::Receiver<Outcome>) {
        let function = &self.functions[index];
        let request_id = self.request_id();
        let (reply, outcome) = oneshot::channel();
        match function.failed() {
            Some(failure) => {
                let _ = reply.send(failure);
            }
            None => {
                let _ = function.queue.send(Pending {
                    request_id: request_id.clone(),
                    tenant_id,
                    body,
                    reply,
                    chunks,
                });
            }
        }
        (request_id, outcome)
    }

    /// A UUID-shaped request id, unique within the process.
    fn request_id(&self) -> String {
        let n = self.ids.fetch_add(1, Ordering::Relaxed);
        let t = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            t as u32,
            (t >> 32) as u16,
            n >> 12 & 0xfff,
            n & 0xfff,
            n
        )
    }
}

/// Serves the emulator on `listener` until the future is dropped. Must run inside a `LocalSet`;
/// `logs` is the store the installed subscriber's capture layer writes to.
async fn serve(listener: tokio::net::TcpListener, settings: EmulatorBuilder, logs: LogStore) {
    let names = registry::registered_handlers();
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
                timed_out: Mutex::new(std::collections::VecDeque::new()),
            }
        })
        .collect();
    let http = settings
        .http
        .as_ref()
        .and_then(|(name, source)| Some((names.iter().position(|n| n == name)?, *source)));
    let shared = Arc::new(Shared {
        functions,
        default,
        http,
        timeout: settings.timeout,
        concurrency: settings.concurrency,
        env,
        logs,
        ids: AtomicU64::new(1),
    });
    let Ok(addr) = listener.local_addr() else { return };
    for index in 0..shared.functions.len() {
        tokio::task::spawn_local(supervise(Arc::clone(&shared), index, addr, settings.concurrency));
    }
    http::accept(listener, shared).await;
}

/// Runs the production runtime of one handler against the emulator, restarting it after a timeout.
async fn supervise(shared: Arc<Shared>, index: usize, addr: SocketAddr, concurrency: usize) {
    let function = &shared.functions[index];
    let mut env = shared.env.clone();
    env.handler = Some(function.name.to_owned());
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
