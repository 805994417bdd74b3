//! A Lambda Runtime API load server for benchmarking runtimes.
//!
//! ```text
//! loadserver --bootstrap PATH --event FILE -n N [--warmup W] [--handler NAME] [--runtime LABEL]
//!            [--case LABEL] [--check echo|apigw:RESULT|expect:FILE|http:STATUS:BODY] [--callgrind OUT] [--wrap "CMD ARGS"]
//!            [--log FILE] [--timeout SECS] [--env K=V]... [--durable [--https-endpoint]]
//! loadserver gen-event --template FILE --size BYTES --out FILE
//! loadserver gen-durable --steps N --ids blake2b|sha256 --out FILE
//! loadserver table FILE.jsonl
//! loadserver profile ANNOTATE_N1.txt ANNOTATE_N2.txt EXTRA_INVOCATIONS [TOP]
//! ```
//!
//! The first form spawns the bootstrap with the environment Lambda gives a function
//! (`AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>`, `_HANDLER`, name, memory, version, region, log group and
//! stream), answers each `GET /runtime/invocation/next` at once with the event, accepts every response
//! and error post with 202, and after N invocations prints one line of JSON:
//! exec -> first `GET /next` and exec -> first response (µs), invocations per second and CPU time of the
//! child per invocation (user + sys from `/proc/<pid>/stat`) over the invocations after the warm-up, peak
//! RSS (`VmHWM`, read just before the child is stopped), error posts, and with `--callgrind OUT` (the
//! bootstrap then runs under `valgrind --tool=callgrind`) the instructions callgrind counted.
//! `--wrap "CMD ARGS"` runs the bootstrap under any other tool (`valgrind --tool=massif ...`,
//! `strace -f -c`); `--check` verifies the first response; `--env` adds variables to the child's
//! otherwise clean environment.
//!
//! Durable functions: the server also answers the two Lambda API calls of a durable execution on the same
//! port, CheckpointDurableExecution (`POST /2025-12-01/durable-executions/{arn}/checkpoint`, answered
//! at once with a new token) and GetDurableExecutionState (`GET .../state`, an empty page); it counts
//! them and records when the first checkpoint arrived (`exec_to_first_checkpoint_us`). `--durable` points
//! the bootstrap at it: `AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:<port>` and the execution role's
//! credentials (made up: nothing checks the signature), as Lambda sets them. `--check durable:N` wants
//! `{"Status": "SUCCEEDED", "Result": "N"}`; `durable-replay:N` also wants no durable API call in the
//! whole run, which is what replaying a history where every step is done takes. `--https-endpoint` gives
//! the endpoint as `https://` instead, as on Lambda, where it always is: the client a runtime builds for it
//! then holds TLS settings and root certificates; nothing here speaks TLS, so only for runs that must
//! send nothing (a call fails, and so does the check).
//!
//! The server is a small hand-written HTTP/1.1 loop on a current-thread tokio runtime, one task per
//! connection: a few system calls and no framework per request, so that it is not what the benchmark
//! measures. It reports its own CPU time per invocation too (`server_cpu_us_per_inv`, the whole process,
//! so the main thread's polling is in it).
//!
//! `gen-event` writes a copy of an API Gateway event whose `body` is a JSON text grown to make the whole
//! file exactly BYTES long (for the 6 MB case). `gen-durable` writes the envelope of a durable invocation
//! whose history holds N steps `step-1` ... `step-N`, all `SUCCEEDED`, step i with result i, under the
//! operation ids one SDK derives (`blake2b`: lambda-rt's and AWS's Python SDK's; `sha256`: AWS's Rust
//! SDK's); N = 0 is a first invocation, with the execution's operation alone. `table` reads the JSON lines
//! of `run.sh` and prints the medians per runtime and the ratio lambda-rt / official as a Markdown table
//! (the durable rows too, where `official` is AWS's durable execution SDK). `profile` subtracts two
//! `callgrind_annotate` listings of runs at two invocation counts and divides by the difference, which
//! leaves the instructions per invocation of each function, without start-up and shut-down.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::tcp::{ReadHalf, WriteHalf};
use tokio::net::{TcpListener, TcpStream};

const USAGE: &str = "usage:
  loadserver --bootstrap PATH --event FILE -n N [--warmup W] [--handler NAME] [--runtime LABEL]
             [--case LABEL] [--check echo|apigw:RESULT|expect:FILE|http:STATUS:BODY] [--callgrind OUT] [--wrap 'CMD ARGS']
             [--log FILE] [--timeout SECS] [--env K=V]... [--durable [--https-endpoint]]
  loadserver gen-event --template FILE --size BYTES --out FILE
  loadserver gen-durable --steps N --ids blake2b|sha256 --out FILE
  loadserver table FILE.jsonl
  loadserver profile ANNOTATE_N1.txt ANNOTATE_N2.txt EXTRA_INVOCATIONS [TOP]";

const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:bench";
const TRACE_ID: &str = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0;Lineage=1:1:0";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("gen-event") => gen_event(&args[1..]),
        Some("gen-durable") => gen_durable(&args[1..]),
        Some("table") => table(&args[1..]),
        Some("profile") => profile(&args[1..]),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(_) => run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("loadserver: {e}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// run

enum Check {
    None,
    /// The response must be the event (compared as JSON values).
    Echo,
    /// The response must be an API Gateway response, status 200, body `{"result": RESULT}`.
    Apigw(i64),
    /// The response must be this JSON value (read from the file given as `expect:FILE`).
    Expect(Vec<u8>),
    /// The response must be an HTTP answer (any source's shape) with this status, whose body is this
    /// JSON (`http:STATUS:BODY`).
    Http(u64, Vec<u8>),
    /// The response must be a durable invocation's answer `SUCCEEDED` with this result (JSON);
    /// `replay`: and the bootstrap must not have called the durable execution API in the whole run.
    Durable {
        result: Vec<u8>,
        replay: bool,
    },
}

struct Config {
    bootstrap: String,
    event_path: String,
    n: u64,
    warmup: u64,
    handler: Option<String>,
    runtime: String,
    case: String,
    check: Check,
    callgrind: Option<String>,
    wrap: Vec<String>,
    log: Option<String>,
    timeout: Duration,
    env: Vec<(String, String)>,
    /// Point the bootstrap's Lambda API client at this server, with credentials.
    durable: bool,
    /// ... as an `https://` endpoint.
    https_endpoint: bool,
}

fn parse_run_args(args: &[String]) -> Result<Config, String> {
    let mut config = Config {
        bootstrap: String::new(),
        event_path: String::new(),
        n: 0,
        warmup: 0,
        handler: None,
        runtime: String::new(),
        case: String::new(),
        check: Check::None,
        callgrind: None,
        wrap: Vec::new(),
        log: None,
        timeout: Duration::from_secs(600),
        env: Vec::new(),
        durable: false,
        https_endpoint: false,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        let number = |v: String| v.parse::<u64>().map_err(|e| format!("{flag} {v:?}: {e}"));
        match flag.as_str() {
            "--bootstrap" => config.bootstrap = value()?,
            "--event" => config.event_path = value()?,
            "-n" => config.n = number(value()?)?,
            "--warmup" => config.warmup = number(value()?)?,
            "--handler" => config.handler = Some(value()?),
            "--runtime" => config.runtime = value()?,
            "--case" => config.case = value()?,
            "--callgrind" => config.callgrind = Some(value()?),
            "--wrap" => config.wrap = value()?.split_ascii_whitespace().map(str::to_owned).collect(),
            "--log" => config.log = Some(value()?),
            "--timeout" => config.timeout = Duration::from_secs(number(value()?)?),
            "--durable" => config.durable = true,
            "--https-endpoint" => config.https_endpoint = true,
            "--env" => {
                let kv = value()?;
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| format!("--env {kv:?}: expected K=V"))?;
                config.env.push((k.to_owned(), v.to_owned()));
            }
            "--check" => {
                config.check = match value()?.as_str() {
                    "none" => Check::None,
                    "echo" => Check::Echo,
                    other if other.starts_with("durable:") || other.starts_with("durable-replay:") => {
                        let (kind, result) = other.split_once(':').unwrap_or_default();
                        if serde_json::from_str::<Value>(result).is_err() {
                            return Err(format!("--check {other:?}: the result after `{kind}:` is not JSON"));
                        }
                        Check::Durable {
                            result: result.as_bytes().to_vec(),
                            replay: kind == "durable-replay",
                        }
                    }
                    other => match (
                        other.strip_prefix("apigw:").map(str::parse::<i64>),
                        other.strip_prefix("expect:"),
                    ) {
                        _ if other.starts_with("http:") => {
                            let (status, body) = other["http:".len()..]
                                .split_once(':')
                                .and_then(|(status, body)| Some((status.parse().ok()?, body)))
                                .ok_or_else(|| format!("--check {other:?}: expected http:STATUS:BODY"))?;
                            Check::Http(status, body.as_bytes().to_vec())
                        }
                        (Some(Ok(result)), _) => Check::Apigw(result),
                        (_, Some(file)) => {
                            Check::Expect(std::fs::read(file).map_err(|e| format!("--check expect:{file}: {e}"))?)
                        }
                        _ => {
                            return Err(format!(
                                "--check {other:?}: expected none, echo, apigw:RESULT, expect:FILE, http:STATUS:BODY, \
                                 durable:RESULT or durable-replay:RESULT"
                            ));
                        }
                    },
                }
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if config.bootstrap.is_empty() || config.event_path.is_empty() || config.n == 0 {
        return Err(format!("--bootstrap, --event and -n (> 0) are required\n{USAGE}"));
    }
    if config.https_endpoint && !config.durable {
        return Err("--https-endpoint goes with --durable".into());
    }
    if config.warmup >= config.n {
        return Err(format!(
            "--warmup ({}) must be less than -n ({})",
            config.warmup, config.n
        ));
    }
    Ok(config)
}

/// What the connection threads tell the main thread.
enum Signal {
    /// N invocations were answered; the bootstrap now waits in `GET /next`.
    Done,
    /// The bootstrap posted an init error (body).
    InitError(String),
}

/// A point of the measured part: when, the child's CPU ticks then, the server's own CPU time then.
#[derive(Clone, Copy)]
struct Mark {
    at: Instant,
    child_ticks: u64,
    server_cpu: Duration,
}

#[derive(Default)]
struct State {
    /// `next` answers given.
    served: u64,
    /// Response and error posts received (each ends one invocation).
    completed: u64,
    errors: u64,
    /// Posts for a request id that was not being served (never given, or answered already).
    bad_posts: u64,
    connections: u64,
    /// The request ids given and not answered yet (several with AWS_LAMBDA_MAX_CONCURRENCY).
    outstanding: std::collections::HashSet<String>,
    first_next: Option<Duration>,
    first_response: Option<Duration>,
    warm: Option<Mark>,
    end: Option<Mark>,
    first_body: Option<Vec<u8>>,
    first_error: Option<String>,
    last_response_bytes: usize,
    /// CheckpointDurableExecution calls.
    checkpoints: u64,
    /// GetDurableExecutionState calls.
    state_calls: u64,
    first_checkpoint: Option<Duration>,
    /// The first checkpoint's body (its start, for the JSON line).
    first_checkpoint_body: Option<String>,
}

struct Shared {
    event: Vec<u8>,
    n: u64,
    warmup: u64,
    started: Instant,
    pid: u32,
    state: Mutex<State>,
    signal: Mutex<Sender<Signal>>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn send(&self, signal: Signal) {
        let _ = self.signal.lock().unwrap_or_else(|p| p.into_inner()).send(signal);
    }

    fn mark(&self) -> Mark {
        Mark {
            at: Instant::now(),
            child_ticks: child_cpu_ticks(self.pid).unwrap_or(0),
            server_cpu: self_cpu(),
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let config = parse_run_args(args)?;
    let event = std::fs::read(&config.event_path).map_err(|e| format!("{}: {e}", config.event_path))?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind 127.0.0.1:0: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();

    let mut command = match &config.callgrind {
        Some(out) => {
            let mut c = Command::new("valgrind");
            c.arg("--tool=callgrind")
                .arg(format!("--callgrind-out-file={out}"))
                .arg("--quiet")
                .arg(&config.bootstrap);
            c
        }
        None => match config.wrap.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(&config.bootstrap);
                c
            }
            None => Command::new(&config.bootstrap),
        },
    };
    // A clean environment, as Lambda gives one: nothing from the shell (RUST_LOG, proxies ...) leaks in.
    command.env_clear();
    for key in ["PATH", "HOME", "LANG", "TMPDIR"] {
        if let Ok(value) = std::env::var(key) {
            command.env(key, value);
        }
    }
    let env: [(&str, String); 12] = [
        ("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{port}")),
        ("_HANDLER", config.handler.clone().unwrap_or_default()),
        ("LAMBDA_TASK_ROOT", "/var/task".into()),
        ("AWS_LAMBDA_FUNCTION_NAME", "bench".into()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".into()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench".into()),
        (
            "AWS_LAMBDA_LOG_STREAM_NAME",
            "2024/01/01/[$LATEST]0123456789abcdef".into(),
        ),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_DEFAULT_REGION", "us-east-1".into()),
        ("TZ", ":UTC".into()),
    ];
    for (key, value) in env {
        if key == "_HANDLER" && value.is_empty() {
            continue;
        }
        command.env(key, value);
    }
    if config.durable {
        // What Lambda gives a durable function, with the Lambda API moved here. The credentials are made
        // up: the server does not check signatures. No instance metadata: nothing may look for it.
        for (key, value) in [
            (
                "AWS_ENDPOINT_URL_LAMBDA",
                format!(
                    "{}://127.0.0.1:{port}",
                    if config.https_endpoint { "https" } else { "http" }
                ),
            ),
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE".into()),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            ),
            ("AWS_SESSION_TOKEN", "bench-session-token".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ] {
            command.env(key, value);
        }
    }
    for (key, value) in &config.env {
        command.env(key, value);
    }
    let log = match &config.log {
        Some(path) => Stdio::from(std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?),
        None => Stdio::null(),
    };
    let log_err = match &config.log {
        Some(path) => Stdio::from(
            std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| format!("{path}: {e}"))?,
        ),
        None => Stdio::null(),
    };
    command.stdin(Stdio::null()).stdout(log).stderr(log_err);

    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("spawning {}: {e}", config.bootstrap))?;
    let shared = Arc::new(Shared {
        event,
        n: config.n,
        warmup: config.warmup,
        started,
        pid: child.id(),
        state: Mutex::new(State::default()),
        signal: Mutex::new(tx),
    });
    if config.warmup == 0 {
        shared.state().warm = Some(Mark {
            at: started,
            child_ticks: 0,
            server_cpu: self_cpu(),
        });
    }
    {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || serve_forever(listener, shared));
    }

    // Wait for N invocations, an init error, the child's early exit, or the time-out.
    let mut failure: Option<String> = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(Signal::Done) => break,
            Ok(Signal::InitError(body)) => {
                failure = Some(format!("init error: {body}"));
                break;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                failure = Some("the server threads stopped".into());
                break;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            failure = Some(format!("the bootstrap exited early: {status}"));
            break;
        }
        if started.elapsed() > config.timeout {
            failure = Some(format!("timed out after {:?}", config.timeout));
            break;
        }
    }
    let peak_rss_kib = vm_hwm_kib(shared.pid);
    let exit = stop(&mut child, Duration::from_secs(120));

    let state = shared.state();
    let measured = state.completed.saturating_sub(config.warmup);
    let (inv_per_s, cpu_us_per_inv, server_cpu_us_per_inv) = match (state.warm, state.end) {
        (Some(warm), Some(end)) if measured > 0 => {
            let seconds = end.at.duration_since(warm.at).as_secs_f64();
            let ticks = end.child_ticks.saturating_sub(warm.child_ticks) as f64;
            let tick_us = 1e6 / clock_ticks_per_second();
            let server = end.server_cpu.saturating_sub(warm.server_cpu).as_secs_f64() * 1e6;
            (
                Some(measured as f64 / seconds),
                Some(ticks * tick_us / measured as f64),
                Some(server / measured as f64),
            )
        }
        _ => (None, None, None),
    };
    let check_ok = match (&config.check, &state.first_body) {
        (Check::None, _) => None,
        (_, None) => Some(false),
        (Check::Echo, Some(body)) => Some(same_json(body, &shared.event)),
        (Check::Apigw(expected), Some(body)) => Some(apigw_result(body) == Some(*expected)),
        (Check::Expect(expected), Some(body)) => Some(same_json(body, expected)),
        (Check::Http(status, expected), Some(body)) => Some(http_answer_is(body, *status, expected)),
        (Check::Durable { result, replay }, Some(body)) => {
            Some(durable_succeeded_with(body, result) && (!replay || state.checkpoints + state.state_calls == 0))
        }
    };
    let instructions = config.callgrind.as_deref().and_then(callgrind_total);
    if failure.is_none() && config.callgrind.is_some() && instructions.is_none() {
        failure = Some("no instruction total in the callgrind output".into());
    }
    let ok = failure.is_none() && check_ok != Some(false) && state.bad_posts == 0;
    let line = json!({
        "case": config.case,
        "runtime": config.runtime,
        "handler": config.handler,
        "bootstrap": config.bootstrap,
        "event": config.event_path,
        "event_bytes": shared.event.len(),
        "n": config.n,
        "warmup": config.warmup,
        "completed": state.completed,
        "exec_to_first_next_us": state.first_next.map(|d| d.as_secs_f64() * 1e6),
        "exec_to_first_response_us": state.first_response.map(|d| d.as_secs_f64() * 1e6),
        "exec_to_first_checkpoint_us": state.first_checkpoint.map(|d| d.as_secs_f64() * 1e6),
        "checkpoints": state.checkpoints,
        "state_calls": state.state_calls,
        "first_checkpoint": state.first_checkpoint_body,
        "inv_per_s": inv_per_s,
        "cpu_us_per_inv": cpu_us_per_inv,
        "server_cpu_us_per_inv": server_cpu_us_per_inv,
        "peak_rss_kib": peak_rss_kib,
        "errors": state.errors,
        "first_error": state.first_error,
        "bad_posts": state.bad_posts,
        "connections": state.connections,
        "response_bytes": state.last_response_bytes,
        "check_ok": check_ok,
        "callgrind_out": config.callgrind,
        "instructions": instructions,
        "exit": exit,
        "failure": failure,
        "ok": ok,
    });
    println!("{line}");
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// SIGTERM, then SIGKILL after `grace` (callgrind writes its output on SIGTERM, which takes a moment).
fn stop(child: &mut Child, grace: Duration) -> String {
    if let Ok(Some(status)) = child.try_wait() {
        return status.to_string();
    }
    #[allow(clippy::cast_possible_wrap)]
    let pid = child.id() as libc::pid_t;
    // SAFETY: kill(2) on our own child's pid, which is not reaped yet (try_wait said it runs).
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return status.to_string();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    child.wait().map(|s| s.to_string()).unwrap_or_else(|e| e.to_string())
}

/// The server: a current-thread tokio runtime on its own thread, one task per connection (the official
/// runtime opens a new connection for most requests, so per-connection threads would cost more than the
/// runtime being measured).
fn serve_forever(listener: std::net::TcpListener, shared: Arc<Shared>) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_io().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("loadserver: cannot start tokio: {e}");
            return;
        }
    };
    runtime.block_on(async move {
        let Ok(listener) = listener
            .set_nonblocking(true)
            .and_then(|()| TcpListener::from_std(listener))
        else {
            return;
        };
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            shared.state().connections += 1;
            let shared = Arc::clone(&shared);
            tokio::spawn(serve_connection(stream, shared));
        }
    });
}

/// One parsed request: method, path, body.
struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
    close: bool,
}

async fn serve_connection(mut stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (reader, mut writer) = stream.split();
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let mut out = Vec::with_capacity(shared.event.len() + 1024);
    let mut line = String::new();
    loop {
        let Some(request) = read_request(&mut reader, &mut writer, &mut line).await? else {
            return Ok(());
        };
        out.clear();
        if let Some(call) = request.path.strip_prefix("/2025-12-01/durable-executions/") {
            durable_call(&shared, &request.method, call, &request.body, &mut out)?;
            writer.write_all(&out).await?;
            if request.close {
                return Ok(());
            }
            continue;
        }
        let path = request.path.split_once("/runtime/").map_or("", |(_, rest)| rest);
        match (request.method.as_str(), path) {
            ("GET", "invocation/next") => {
                let Some(id) = next_id(&shared) else {
                    // The run is over: hold the long poll until the main thread stops the bootstrap.
                    std::future::pending::<()>().await;
                    return Ok(());
                };
                let deadline_ms = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis() as u64 + 900_000);
                write!(
                    out,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                     Lambda-Runtime-Aws-Request-Id: {id}\r\nLambda-Runtime-Deadline-Ms: {deadline_ms}\r\n\
                     Lambda-Runtime-Invoked-Function-Arn: {FUNCTION_ARN}\r\nLambda-Runtime-Trace-Id: {TRACE_ID}\r\n\
                     Content-Length: {}\r\n\r\n",
                    shared.event.len()
                )?;
                out.extend_from_slice(&shared.event);
            }
            ("POST", p) if p.starts_with("invocation/") => {
                let rest = &p["invocation/".len()..];
                let (id, kind) = rest.rsplit_once('/').unwrap_or((rest, ""));
                if kind != "response" && kind != "error" {
                    not_found(&mut out)?;
                } else {
                    invocation_done(&shared, id, kind == "error", request.body);
                    accepted(&mut out);
                }
            }
            ("POST", "init/error") => {
                accepted(&mut out);
                writer.write_all(&out).await?;
                shared.send(Signal::InitError(String::from_utf8_lossy(&request.body).into_owned()));
                continue;
            }
            _ => not_found(&mut out)?,
        }
        writer.write_all(&out).await?;
        if request.close {
            return Ok(());
        }
    }
}

/// The durable execution API's two calls (`call` is the path after `/2025-12-01/durable-executions/`:
/// `{arn}/checkpoint` or `{arn}/state?...`), answered at once, as the service does when all is well:
/// a checkpoint with a new token and no changed operation, a state page with nothing more.
fn durable_call(shared: &Shared, method: &str, call: &str, body: &[u8], out: &mut Vec<u8>) -> std::io::Result<()> {
    let call = call.split_once('?').map_or(call, |(path, _)| path);
    let answer = match (method, call.rsplit_once('/').map_or("", |(_, what)| what)) {
        ("POST", "checkpoint") => {
            let mut state = shared.state();
            state.checkpoints += 1;
            if state.first_checkpoint.is_none() {
                state.first_checkpoint = Some(shared.started.elapsed());
                state.first_checkpoint_body = Some(String::from_utf8_lossy(body).chars().take(500).collect());
            }
            format!(
                r#"{{"CheckpointToken":"bench-token-{}","NewExecutionState":{{"Operations":[]}}}}"#,
                state.checkpoints
            )
        }
        ("GET", "state") => {
            shared.state().state_calls += 1;
            r#"{"Operations":[],"NextMarker":""}"#.to_owned()
        }
        _ => return not_found(out),
    };
    write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-amzn-RequestId: 0b7c2f4e-1d2a-4c55-9a5e-bench\r\n\
         Content-Length: {}\r\n\r\n{answer}",
        answer.len()
    )
}

/// The request id of the next invocation to serve, or `None` when all N were served.
fn next_id(shared: &Shared) -> Option<String> {
    let mut state = shared.state();
    if state.served >= shared.n {
        return None;
    }
    state.served += 1;
    if state.first_next.is_none() {
        state.first_next = Some(shared.started.elapsed());
    }
    let id = request_id(state.served);
    state.outstanding.insert(id.clone());
    Some(id)
}

fn invocation_done(shared: &Shared, id: &str, is_error: bool, body: Vec<u8>) {
    let mut state = shared.state();
    if !state.outstanding.remove(id) {
        state.bad_posts += 1;
        return;
    }
    state.completed += 1;
    if state.first_response.is_none() {
        state.first_response = Some(shared.started.elapsed());
    }
    state.last_response_bytes = body.len();
    if is_error {
        state.errors += 1;
        if state.first_error.is_none() {
            state.first_error = Some(String::from_utf8_lossy(&body).chars().take(500).collect());
        }
    } else if state.first_body.is_none() {
        state.first_body = Some(body);
    }
    if state.completed == shared.warmup {
        state.warm = Some(shared.mark());
    }
    if state.completed == shared.n {
        state.end = Some(shared.mark());
        drop(state);
        shared.send(Signal::Done);
    }
}

/// The Runtime API's answer to a response or error post (as AWS's emulator renders it).
fn accepted(out: &mut Vec<u8>) {
    out.extend_from_slice(
        b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n",
    );
}

fn not_found(out: &mut Vec<u8>) -> std::io::Result<()> {
    let body = br#"{"errorMessage":"not found","errorType":"InvalidRequest"}"#;
    write!(
        out,
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )?;
    out.extend_from_slice(body);
    Ok(())
}

/// A request id shaped like Lambda's (a UUID), unique per invocation.
fn request_id(n: u64) -> String {
    format!("8476a536-e9f4-11e8-9739-{n:012x}")
}

/// Reads one HTTP/1.1 request (content-length or chunked body). `None` at a clean end of the connection.
async fn read_request(
    reader: &mut BufReader<ReadHalf<'_>>,
    writer: &mut WriteHalf<'_>,
    line: &mut String,
) -> std::io::Result<Option<Request>> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    line.clear();
    if reader.read_line(line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_ascii_whitespace();
    let method = parts.next().ok_or_else(|| bad("empty request line"))?.to_owned();
    let path = parts.next().ok_or_else(|| bad("no path"))?.to_owned();
    let mut length = 0usize;
    let mut chunked = false;
    let mut close = false;
    let mut expect_continue = false;
    loop {
        line.clear();
        if reader.read_line(line).await? == 0 {
            return Err(bad("connection closed in the request head"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().map_err(|_| bad("bad content-length"))?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case("connection") {
            close = value.eq_ignore_ascii_case("close");
        } else if name.eq_ignore_ascii_case("expect") {
            expect_continue = value.eq_ignore_ascii_case("100-continue");
        }
    }
    if expect_continue {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(line).await?;
            let size_text = line.trim().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size_text, 16).map_err(|_| bad("bad chunk size"))?;
            if size == 0 {
                // Trailers, then the empty line.
                loop {
                    line.clear();
                    if reader.read_line(line).await? == 0 || line.trim().is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..]).await?;
            line.clear();
            reader.read_line(line).await?;
        }
    } else if length > 0 {
        body.resize(length, 0);
        reader.read_exact(&mut body).await?;
    }
    Ok(Some(Request {
        method,
        path,
        body,
        close,
    }))
}

// ---------------------------------------------------------------------------------------------------------
// /proc and callgrind

/// utime + stime of the whole process (all threads), in clock ticks.
fn child_cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_ascii_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn clock_ticks_per_second() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
}

/// This process's own user + system CPU time.
fn self_cpu() -> Duration {
    // SAFETY: getrusage writes into the struct we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Peak resident set size, KiB.
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_ascii_whitespace().nth(1)?.parse().ok()
}

/// The total of the first event (instructions, `Ir`) in a callgrind output file.
fn callgrind_total(path: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text
        .lines()
        .find(|l| l.starts_with("summary:"))
        .or_else(|| text.lines().find(|l| l.starts_with("totals:")))?;
    line.split_ascii_whitespace().nth(1)?.parse().ok()
}

fn same_json(a: &[u8], b: &[u8]) -> bool {
    match (serde_json::from_slice::<Value>(a), serde_json::from_slice::<Value>(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `result` of the JSON body of an API Gateway response with status 200.
/// Whether `response` is an HTTP answer with `status` whose body is the JSON `expected`.
fn http_answer_is(response: &[u8], status: u64, expected: &[u8]) -> bool {
    let Ok(response) = serde_json::from_slice::<Value>(response) else {
        return false;
    };
    let body = response.get("body").and_then(Value::as_str).unwrap_or_default();
    response.get("statusCode").and_then(Value::as_u64) == Some(status) && same_json(body.as_bytes(), expected)
}

/// Whether `response` is a durable invocation's answer `SUCCEEDED` whose `Result` (a JSON text) is the
/// JSON `expected`.
fn durable_succeeded_with(response: &[u8], expected: &[u8]) -> bool {
    let Ok(response) = serde_json::from_slice::<Value>(response) else {
        return false;
    };
    let result = response.get("Result").and_then(Value::as_str).unwrap_or_default();
    response.get("Status").and_then(Value::as_str) == Some("SUCCEEDED") && same_json(result.as_bytes(), expected)
}

fn apigw_result(response: &[u8]) -> Option<i64> {
    let response: Value = serde_json::from_slice(response).ok()?;
    if response.get("statusCode")?.as_i64()? != 200 {
        return None;
    }
    let body: Value = serde_json::from_str(response.get("body")?.as_str()?).ok()?;
    body.get("result")?.as_i64()
}

// ---------------------------------------------------------------------------------------------------------
// gen-event

fn gen_event(args: &[String]) -> Result<ExitCode, String> {
    let (mut template, mut size, mut out) = (None, None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--template" => template = Some(value.clone()),
            "--size" => size = Some(value.parse::<usize>().map_err(|e| format!("--size {value:?}: {e}"))?),
            "--out" => out = Some(value.clone()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let (Some(template), Some(size), Some(out)) = (template, size, out) else {
        return Err(format!("gen-event needs --template, --size and --out\n{USAGE}"));
    };
    let text = std::fs::read(&template).map_err(|e| format!("{template}: {e}"))?;
    let mut event: Value = serde_json::from_slice(&text).map_err(|e| format!("{template}: {e}"))?;
    let document = big_event(&mut event, size)?;
    std::fs::write(&out, &document).map_err(|e| format!("{out}: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------------------
// gen-durable

fn gen_durable(args: &[String]) -> Result<ExitCode, String> {
    let (mut steps, mut ids, mut out) = (None, None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--steps" => steps = Some(value.parse::<u64>().map_err(|e| format!("--steps {value:?}: {e}"))?),
            "--ids" => ids = Some(value.clone()),
            "--out" => out = Some(value.clone()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let (Some(steps), Some(ids), Some(out)) = (steps, ids, out) else {
        return Err(format!("gen-durable needs --steps, --ids and --out\n{USAGE}"));
    };
    let id: fn(u64) -> String = match ids.as_str() {
        "blake2b" => blake2b_id,
        "sha256" => sha256_id,
        other => return Err(format!("--ids {other:?}: expected blake2b or sha256")),
    };
    std::fs::write(&out, durable_envelope(steps, id)).map_err(|e| format!("{out}: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The id of the root context's `n`th operation as lambda-rt and AWS's Python SDK derive it: the first 64
/// hex digits of the BLAKE2b-512 hash of the count.
fn blake2b_id(n: u64) -> String {
    use blake2::Digest as _;
    hex(&blake2::Blake2b512::digest(n.to_string().as_bytes())[..32])
}

/// The same as AWS's Rust SDK (`aws-durable-execution-sdk`) derives it: the SHA-256 hash of the count, in hex.
fn sha256_id(n: u64) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha256::digest(n.to_string().as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A durable invocation's envelope, shaped as Lambda sends it: the execution's ARN and first checkpoint
/// token, and its history in start order (the `EXECUTION` operation with the input, then `steps` steps,
/// all done), in one page (`NextMarker` empty). Written by hand rather than through `Value` so that the
/// members come in the API's order.
fn durable_envelope(steps: u64, id: fn(u64) -> String) -> String {
    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:bench:$LATEST/durable-execution/\
                       bench-execution/5f1c2a3e-8b4d-4e6f-9a0b-1c2d3e4f5a6b";
    // Tokens are opaque to the function; this one is about as long as the service's.
    let token = "AYADeBench".repeat(12);
    let input = serde_json::to_string(r#"{"order":"A-1042","quantity":3}"#).unwrap_or_default();
    let started = 1_767_225_600.0_f64;
    let mut operations = vec![format!(
        r#"{{"Id":"5f1c2a3e-8b4d-4e6f-9a0b-1c2d3e4f5a6b","Name":"bench-execution","Type":"EXECUTION","StartTimestamp":{started:.3},"Status":"STARTED","ExecutionDetails":{{"InputPayload":{input}}}}}"#
    )];
    for i in 1..=steps {
        let (start, end) = (started + i as f64 * 0.010, started + i as f64 * 0.010 + 0.004);
        operations.push(format!(
            r#"{{"Id":"{}","Name":"step-{i}","Type":"STEP","SubType":"Step","StartTimestamp":{start:.3},"EndTimestamp":{end:.3},"Status":"SUCCEEDED","StepDetails":{{"Attempt":1,"Result":"{i}"}}}}"#,
            id(i)
        ));
    }
    format!(
        r#"{{"DurableExecutionArn":"{ARN}","CheckpointToken":"{token}","InitialExecutionState":{{"Operations":[{}],"NextMarker":""}}}}"#,
        operations.join(",")
    )
}

/// Sets `event.body` to a JSON array of records (as a string, so its quotes are escaped in the event,
/// as in a real API Gateway request) so that the serialized event is exactly `size` bytes.
fn big_event(event: &mut Value, size: usize) -> Result<Vec<u8>, String> {
    let object = event.as_object_mut().ok_or("the template is not a JSON object")?;
    object.insert("body".into(), Value::String(String::new()));
    let base = serde_json::to_vec(&*object).map_err(|e| e.to_string())?.len();
    let target = size.checked_sub(base).ok_or("--size is smaller than the template")?;
    // `escaped` counts the bytes the body takes inside the event: each `"` becomes `\"`.
    let escaped = |s: &str| s.len() + s.bytes().filter(|&b| b == b'"').count();
    let mut body = String::with_capacity(target);
    body.push('[');
    let mut used = 1;
    let mut i: u64 = 0;
    loop {
        let record = format!(
            "{{\"id\":{i},\"sku\":\"SKU-{:08}\",\"name\":\"item number {i}\",\"price\":{}.{:02},\
             \"tags\":[\"red\",\"blue\",\"size-{}\"],\"inStock\":{}}}",
            i * 7919 % 100_000_000,
            i % 1000,
            i % 100,
            i % 5,
            i.is_multiple_of(3)
        );
        let separator = usize::from(i > 0);
        if used + separator + escaped(&record) + 1 > target {
            break;
        }
        if i > 0 {
            body.push(',');
        }
        used += separator + escaped(&record);
        body.push_str(&record);
        i += 1;
    }
    // Pad with whitespace (still valid JSON) to the exact size, then close the array.
    body.extend(std::iter::repeat_n(' ', target - used - 1));
    body.push(']');
    object.insert("body".into(), Value::String(body));
    let document = serde_json::to_vec(&*object).map_err(|e| e.to_string())?;
    if document.len() != size {
        return Err(format!("generated {} bytes instead of {size}", document.len()));
    }
    Ok(document)
}

// ---------------------------------------------------------------------------------------------------------
// table

const OURS: &str = "lambda-rt";
const THEIRS: &str = "official";

fn table(args: &[String]) -> Result<ExitCode, String> {
    let [path] = args else {
        return Err(format!("table needs one FILE.jsonl\n{USAGE}"));
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let lines: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| format!("{path}: {e}: {l}")))
        .collect::<Result<_, _>>()?;
    // (case, runtime, field) -> values of all runs
    let mut values: BTreeMap<(String, String, String), Vec<f64>> = BTreeMap::new();
    let mut failures: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut runs: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut callgrind: BTreeMap<(String, String), Vec<(f64, f64)>> = BTreeMap::new();
    for line in &lines {
        let case = line["case"].as_str().unwrap_or("").to_owned();
        let runtime = line["runtime"].as_str().unwrap_or("").to_owned();
        *runs.entry((case.clone(), runtime.clone())).or_default() += 1;
        if line["ok"] == Value::Bool(false) {
            *failures.entry((case.clone(), runtime.clone())).or_default() += 1;
        }
        if let (Some(n), Some(instructions)) = (line["n"].as_f64(), line["instructions"].as_f64()) {
            callgrind
                .entry((case.clone(), runtime.clone()))
                .or_default()
                .push((n, instructions));
        }
        if let Some(object) = line.as_object() {
            for (field, value) in object {
                if let Some(v) = value.as_f64() {
                    values
                        .entry((case.clone(), runtime.clone(), field.clone()))
                        .or_default()
                        .push(v);
                }
            }
        }
    }
    let median = |case: &str, runtime: &str, field: &str| -> Option<f64> {
        let mut v = values.get(&(case.into(), runtime.into(), field.into()))?.clone();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let mid = v.len() / 2;
        Some(if v.len() % 2 == 1 {
            v[mid]
        } else {
            (v[mid - 1] + v[mid]) / 2.0
        })
    };
    let count = |case: &str, runtime: &str| runs.get(&(case.into(), runtime.into())).copied().unwrap_or(0);

    let mut rows: Vec<[String; 5]> = Vec::new();
    let mut row = |name: String, ours: Option<f64>, theirs: Option<f64>, digits: usize, target: &str| {
        let cell = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"));
        let ratio = match (ours, theirs) {
            (Some(a), Some(b)) if b != 0.0 => format!("{:.2}", a / b),
            _ => "-".to_owned(),
        };
        rows.push([name, cell(ours), cell(theirs), ratio, target.to_owned()]);
    };

    let starts = count("start", OURS).max(count("start", THEIRS));
    if starts > 0 {
        for (field, what, target) in [
            ("exec_to_first_next_us", "exec -> first GET /next (µs)", "<= 1.0"),
            ("exec_to_first_response_us", "exec -> first response (µs)", ""),
        ] {
            row(
                format!("{what}, median of {starts} starts"),
                median("start", OURS, field),
                median("start", THEIRS, field),
                0,
                target,
            );
        }
    }
    let durable_starts = count("durable-start", OURS).max(count("durable-start", THEIRS));
    if durable_starts > 0 {
        for (field, what) in [
            ("exec_to_first_checkpoint_us", "exec -> first checkpoint (µs)"),
            ("exec_to_first_response_us", "exec -> first response (µs)"),
        ] {
            row(
                format!("durable one-step: {what}, median of {durable_starts} starts"),
                median("durable-start", OURS, field),
                median("durable-start", THEIRS, field),
                0,
                "",
            );
        }
    }
    for case in ["echo", "apigw"] {
        let n = count(case, OURS).max(count(case, THEIRS));
        if n == 0 {
            continue;
        }
        let invocations = median(case, OURS, "n").or(median(case, THEIRS, "n")).unwrap_or(0.0);
        let kib = |v: Option<f64>| v.map(|v| v / 1024.0);
        let rss_target = if case == "echo" { "<= 1.0" } else { "" };
        row(
            format!("{case}: invocations/s (higher is better)"),
            median(case, OURS, "inv_per_s"),
            median(case, THEIRS, "inv_per_s"),
            0,
            "",
        );
        row(
            format!("{case}: CPU µs/invocation (user+sys)"),
            median(case, OURS, "cpu_us_per_inv"),
            median(case, THEIRS, "cpu_us_per_inv"),
            1,
            "",
        );
        row(
            format!("{case}: peak RSS after {invocations:.0} invocations (MiB)"),
            kib(median(case, OURS, "peak_rss_kib")),
            kib(median(case, THEIRS, "peak_rss_kib")),
            2,
            rss_target,
        );
        row(
            format!("{case}: load server CPU µs/invocation"),
            median(case, OURS, "server_cpu_us_per_inv"),
            median(case, THEIRS, "server_cpu_us_per_inv"),
            1,
            "",
        );
    }
    for handler in ["work.cpu", "sleep.ms"] {
        for c in [1, 8] {
            let case = format!("conc-{handler}-{c}");
            if count(&case, OURS) + count(&case, THEIRS) == 0 {
                continue;
            }
            let target = match (handler, c) {
                ("work.cpu", 8) => ">= 1.0 (and 1.8x at 1)",
                _ => "",
            };
            row(
                format!("{handler} at concurrency {c}: invocations/s (higher is better)"),
                median(&case, OURS, "inv_per_s"),
                median(&case, THEIRS, "inv_per_s"),
                1,
                target,
            );
        }
        let scale = |rt: &str| {
            Some(
                median(&format!("conc-{handler}-8"), rt, "inv_per_s")?
                    / median(&format!("conc-{handler}-1"), rt, "inv_per_s")?,
            )
        };
        if scale(OURS).or(scale(THEIRS)).is_some() {
            row(
                format!("  {handler}: throughput at 8 / at 1 (x)"),
                scale(OURS),
                scale(THEIRS),
                2,
                if handler == "work.cpu" { "lambda-rt >= 1.8x" } else { "" },
            );
        }
    }
    if count("size", OURS) + count("size", THEIRS) > 0 {
        let kib = |v: Option<f64>| v.map(|v| v / 1024.0);
        row(
            "stripped bootstrap size (KiB)".into(),
            kib(median("size", OURS, "bytes")),
            kib(median("size", THEIRS, "bytes")),
            0,
            "<= 1.0",
        );
    }
    if count("durable-size", OURS) + count("durable-size", THEIRS) > 0 {
        let kib = |v: Option<f64>| v.map(|v| v / 1024.0);
        row(
            "durable: stripped bootstrap size (KiB)".into(),
            kib(median("durable-size", OURS, "bytes")),
            kib(median("durable-size", THEIRS, "bytes")),
            0,
            "",
        );
    }
    let builds = count("durable-build", OURS).max(count("durable-build", THEIRS));
    if builds > 0 {
        row(
            format!("durable one-step: clean release build (s), median of {builds}"),
            median("durable-build", OURS, "seconds"),
            median("durable-build", THEIRS, "seconds"),
            1,
            "<= 0.5",
        );
    }
    if count("big", OURS) + count("big", THEIRS) > 0 {
        let payload = median("big", OURS, "event_bytes").or(median("big", THEIRS, "event_bytes"));
        let bytes = payload.unwrap_or(0.0);
        let rss = |rt: &str| median("big", rt, "peak_rss_kib").map(|v| v / 1024.0);
        row(
            format!("{:.1} MB event ({bytes:.0} bytes) echoed: peak RSS (MiB)", bytes / 1e6),
            rss(OURS),
            rss(THEIRS),
            2,
            "",
        );
        let times = |rt: &str| Some(median("big", rt, "peak_rss_kib")? * 1024.0 / payload?);
        row(
            "  peak RSS / payload size (x)".into(),
            times(OURS),
            times(THEIRS),
            2,
            "lambda-rt < 4x",
        );
        let works = |rt: &str| {
            let n = count("big", rt);
            (n > 0).then(|| (n - failures.get(&("big".into(), rt.into())).copied().unwrap_or(0)) as f64)
        };
        row(
            format!(
                "  runs that echoed it correctly (of {})",
                count("big", OURS).max(count("big", THEIRS))
            ),
            works(OURS),
            works(THEIRS),
            0,
            "all",
        );
    }
    for case in [
        "callgrind-echo",
        "callgrind-apigw",
        "callgrind-orders",
        "callgrind-routes",
        "callgrind-axum",
        "callgrind-echo-otel",
    ] {
        let per_invocation = |rt: &str| -> Option<f64> {
            let mut points = callgrind.get(&(case.into(), rt.into()))?.clone();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (n1, i1) = *points.first()?;
            let (n2, i2) = *points.last()?;
            (n2 > n1).then(|| (i2 - i1) / (n2 - n1))
        };
        let (ours, theirs) = (per_invocation(OURS), per_invocation(THEIRS));
        if ours.is_none() && theirs.is_none() {
            continue;
        }
        let handler = case.trim_start_matches("callgrind-");
        let target = match handler {
            "apigw" => "<= 0.6",
            "axum" => "<= 0.8",
            "echo-otel" => "-",
            _ => "<= 0.5",
        };
        let label = match handler {
            "routes" => "GET route, HTTP API event: lambda-rt routes vs axum on lambda_http".to_owned(),
            "axum" => "GET route, HTTP API event: axum on lambda-rt vs axum on lambda_http".to_owned(),
            "echo-otel" => "echo, lambda-rt with otel and a no-op exporter vs plain official".to_owned(),
            other => other.to_owned(),
        };
        row(
            format!("{label}: instructions/invocation (callgrind)"),
            ours,
            theirs,
            0,
            target,
        );
    }

    // Durable replays: instructions per invocation for each history length, then per replayed step between
    // two lengths (the same figure twice if the cost is linear in the history).
    let per_invocation = |case: &str, rt: &str| -> Option<f64> {
        let mut points = callgrind.get(&(case.into(), rt.into()))?.clone();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (n1, i1) = *points.first()?;
        let (n2, i2) = *points.last()?;
        (n2 > n1).then(|| (i2 - i1) / (n2 - n1))
    };
    let lengths = [10, 100, 1000];
    for steps in lengths {
        let case = format!("callgrind-replay{steps}");
        let (ours, theirs) = (per_invocation(&case, OURS), per_invocation(&case, THEIRS));
        if ours.is_some() || theirs.is_some() {
            row(
                format!("durable replay of {steps} done steps: instructions/invocation (callgrind)"),
                ours,
                theirs,
                0,
                "<= 0.5",
            );
        }
    }
    for steps in lengths {
        let case = format!("callgrind-replay{steps}-https");
        let (ours, theirs) = (per_invocation(&case, OURS), per_invocation(&case, THEIRS));
        if ours.is_some() || theirs.is_some() {
            row(
                format!(
                    "durable replay of {steps} done steps, https endpoint (as on Lambda; nothing sent): \
                     instructions/invocation (callgrind)"
                ),
                ours,
                theirs,
                0,
                "",
            );
        }
    }
    for pair in lengths.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let per_step = |rt: &str| {
            let low = per_invocation(&format!("callgrind-replay{a}"), rt)?;
            let high = per_invocation(&format!("callgrind-replay{b}"), rt)?;
            Some((high - low) / (b - a) as f64)
        };
        if per_step(OURS).or(per_step(THEIRS)).is_some() {
            row(
                format!("  per replayed step, from {a} to {b} steps (instructions)"),
                per_step(OURS),
                per_step(THEIRS),
                0,
                "",
            );
        }
    }
    if runs.keys().any(|(case, _)| case.starts_with("callgrind-replay")) {
        let calls = |rt: &str| -> f64 {
            values
                .iter()
                .filter(|((case, r, f), _)| {
                    r == rt && case.starts_with("callgrind-replay") && (f == "checkpoints" || f == "state_calls")
                })
                .flat_map(|(_, v)| v.iter())
                .fold(0.0, |sum, v| sum + v)
        };
        row(
            "durable API calls while replaying, all runs".into(),
            Some(calls(OURS)),
            Some(calls(THEIRS)),
            0,
            "0",
        );
    }

    let mut failed_runs = 0;
    for ((case, runtime), n) in &failures {
        failed_runs += n;
        eprintln!("warning: {n} failed run(s) of {case} on {runtime} (see the JSON lines)");
    }
    let errors = |rt: &str| -> f64 {
        values
            .iter()
            .filter(|((_, r, f), _)| r == rt && f == "errors")
            .flat_map(|(_, v)| v.iter())
            .sum()
    };
    row(
        "error posts, all runs".into(),
        Some(errors(OURS)),
        Some(errors(THEIRS)),
        0,
        "0",
    );

    let header = ["figure", OURS, THEIRS, "ratio lambda-rt/official", "target (ratio)"];
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let print_row = |cells: [&str; 5]| {
        let mut line = String::from("|");
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            if i == 0 {
                line.push_str(&format!(" {cell}{} |", " ".repeat(pad)));
            } else {
                line.push_str(&format!(" {}{cell} |", " ".repeat(pad)));
            }
        }
        println!("{line}");
    };
    print_row(header);
    let rule: Vec<String> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == 0 {
                "-".repeat(*w)
            } else {
                format!("{}:", "-".repeat(w - 1))
            }
        })
        .collect();
    println!(
        "|{}|",
        rule.iter().map(|r| format!(" {r} ")).collect::<Vec<_>>().join("|")
    );
    for r in &rows {
        print_row([&r[0], &r[1], &r[2], &r[3], &r[4]]);
    }
    Ok(if failed_runs > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

// ---------------------------------------------------------------------------------------------------------
// profile

/// Per-function instructions of a `callgrind_annotate` listing (`  12,345 (1.2%)  file:function [object]`).
fn annotate_counts(path: &str) -> Result<BTreeMap<String, f64>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut counts = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim_start();
        let Some((count, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(count) = count.replace(',', "").parse::<f64>() else {
            continue;
        };
        let Some(name) = rest
            .trim_start()
            .strip_prefix('(')
            .and_then(|r| r.split_once(')'))
            .map(|(_, n)| n.trim())
        else {
            continue;
        };
        if name.is_empty() {
            continue;
        }
        let name = name.rsplit_once(" [").map_or(name, |(n, _)| n);
        // Drop the source file (`./malloc/./malloc/malloc.c:`, `???:`), keep the function.
        let name = match name
            .find(".rs:")
            .or_else(|| name.find(".c:"))
            .or_else(|| name.find(".S:"))
        {
            Some(i) => &name[name[i..].find(':').map_or(0, |j| i + j + 1)..],
            None => name.strip_prefix("???:").unwrap_or(name),
        };
        *counts.entry(name.to_owned()).or_insert(0.0) += count;
    }
    Ok(counts)
}

fn profile(args: &[String]) -> Result<ExitCode, String> {
    let (first, second, extra, top) = match args {
        [a, b, n] => (a, b, n, 40),
        [a, b, n, top] => (a, b, n, top.parse().map_err(|e| format!("TOP {top:?}: {e}"))?),
        _ => {
            return Err(format!(
                "profile needs two callgrind_annotate listings and a count\n{USAGE}"
            ));
        }
    };
    let extra: f64 = extra.parse().map_err(|e| format!("EXTRA_INVOCATIONS {extra:?}: {e}"))?;
    let (a, b) = (annotate_counts(first)?, annotate_counts(second)?);
    let mut rows: Vec<(f64, &str)> = b
        .iter()
        .map(|(name, count)| ((count - a.get(name).copied().unwrap_or(0.0)) / extra, name.as_str()))
        .collect();
    rows.sort_by(|x, y| y.0.total_cmp(&x.0));
    // `PROGRAM TOTALS` comes first; with `callgrind_annotate --inclusive=yes` each function's figure includes
    // its callees, with the default `--inclusive=no` it does not.
    for (per_invocation, name) in rows.into_iter().take(top + 1) {
        println!("{per_invocation:>10.0}  {name}");
    }
    Ok(ExitCode::SUCCESS)
}
