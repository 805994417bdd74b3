//! Local mode (docs/design.md, "Local mode"): what `bootstrap` does when `AWS_LAMBDA_RUNTIME_API` is unset.
//!
//! - `bootstrap invoke <handler> <event.json|->` runs one invocation through the same init, decode,
//!   call and encode code as the Runtime API loop and prints the JSON response to stdout; an error is
//!   printed to stderr as the JSON Lambda would report, with exit status 1. For a durable handler
//!   (features `local` and `durable`) it runs one execution to its end with the embedded emulator as the
//!   durable execution service, and prints its history to stderr too.
//! - `bootstrap handlers` prints the registered handler names, one per line.
//! - `bootstrap manifest` prints every registration as JSON ([`crate::manifest`]).
//! - `bootstrap` alone or `bootstrap serve` starts the embedded emulator (feature `local`, see
//!   [`crate::emulator`]); without that feature, and with `bootstrap help`, it prints a short usage that
//!   lists the handlers.

use std::ffi::OsString;
use std::io::Read as _;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;

use crate::catalog;
use crate::context::{Context, FunctionConfig};
use crate::encode::Output;
use crate::extract::Invocation;
use crate::runtime;
use crate::stream::StreamingResponse;

/// Runs the command in `args` (without the program name); returns the exit code.
pub(crate) async fn main(args: Vec<OsString>) -> i32 {
    let args: Vec<String> = args.into_iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        #[cfg(feature = "local")]
        [] | ["serve", ..] => {
            let settings =
                match emulator_settings().and_then(|settings| serve_options(settings, &args[1.min(args.len())..])) {
                    Ok(settings) => settings,
                    Err(message) => {
                        eprintln!("{message}");
                        return 2;
                    }
                };
            let logs = crate::emulator::logs::LogStore::default();
            crate::logging::init_with(crate::emulator::logs::CaptureLayer(logs.clone()));
            return crate::emulator::serve_foreground(settings, logs).await;
        }
        _ => crate::logging::init(),
    }
    match args.as_slice() {
        [] | ["help" | "-h" | "--help"] => {
            print!("{}", usage());
            0
        }
        ["handlers"] => {
            for name in catalog::registered_handlers() {
                println!("{name}");
            }
            0
        }
        ["manifest"] => {
            // What would fail the binary's init (two handlers of one name, routes that disagree on their
            // function's settings) must not reach a template.
            if let Err(error) = catalog::check_registrations() {
                eprintln!("the registrations of this binary are not valid: {}", error.message());
                return 1;
            }
            let manifest = match crate::manifest::manifest() {
                Ok(manifest) => manifest,
                Err(error) => {
                    eprintln!("{error}");
                    return 1;
                }
            };
            // Pretty, since people read it too; one write whose failure (a closed pipe) is ignored.
            let text = manifest.to_json();
            let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), format!("{text}\n").as_bytes());
            0
        }
        ["invoke", handler, event] => invoke(handler, event).await,
        _ => {
            eprint!("unrecognised arguments: {}\n\n{}", args.join(" "), usage());
            2
        }
    }
}

/// The emulator's settings from the command line's environment: `LAMBDA_RT_PORT` (default 9000),
/// `LAMBDA_RT_TIMEOUT` in seconds (default 3), `AWS_LAMBDA_MAX_CONCURRENCY`, `_HANDLER`,
/// `LAMBDA_RT_SKIP_TIME` (`1` or `true`: durable waits end at once), `LAMBDA_RT_DURABLE_STATE` (the file
/// durable executions are kept in).
#[cfg(feature = "local")]
fn emulator_settings() -> Result<crate::emulator::EmulatorBuilder, String> {
    emulator_settings_from(|name| std::env::var(name).ok())
}

/// The options after `serve`: `--http <handler>` and `--source <source>` (default `apigw-http`).
#[cfg(feature = "local")]
fn serve_options(
    settings: crate::emulator::EmulatorBuilder,
    options: &[&str],
) -> Result<crate::emulator::EmulatorBuilder, String> {
    let usage = "usage: bootstrap serve [--http <handler> [--source apigw-http|apigw-rest|alb|function-url|lattice-v1|lattice-v2]]";
    let mut http = None;
    let mut source = crate::http::Source::ApiGatewayHttp;
    let mut rest = options.iter();
    while let Some(option) = rest.next() {
        match (*option, rest.next()) {
            ("--http", Some(handler)) => http = Some(*handler),
            ("--source", Some(name)) => source = name.parse().map_err(|e| format!("--source: {e}"))?,
            (other, _) => {
                return Err(format!(
                    "unrecognised option `{other}` (or its value is missing); {usage}"
                ));
            }
        }
    }
    match http {
        Some(handler) => Ok(settings.http(handler, source)),
        None if options.is_empty() => Ok(settings),
        None => Err(format!("--source needs --http <handler>; {usage}")),
    }
}

/// The longest local timeout: a day (Lambda's own limit is 15 minutes).
#[cfg(feature = "local")]
const MAX_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

#[cfg(feature = "local")]
fn emulator_settings_from(var: impl Fn(&str) -> Option<String>) -> Result<crate::emulator::EmulatorBuilder, String> {
    let mut settings = crate::emulator::Emulator::builder().port(crate::emulator::DEFAULT_PORT);
    if let Some(value) = var("AWS_LAMBDA_MAX_CONCURRENCY") {
        let concurrency = value
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("AWS_LAMBDA_MAX_CONCURRENCY={value:?} is not a positive whole number"))?;
        settings = settings.concurrency(concurrency);
    }
    if let Some(value) = var("LAMBDA_RT_PORT") {
        let port = value
            .trim()
            .parse::<u16>()
            .map_err(|_| format!("LAMBDA_RT_PORT={value:?} is not a port number"))?;
        settings = settings.port(port);
    }
    if let Some(value) = var("LAMBDA_RT_TIMEOUT") {
        let timeout = value
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
            .filter(|t| !t.is_zero() && *t <= MAX_TIMEOUT)
            .ok_or_else(|| {
                format!("LAMBDA_RT_TIMEOUT={value:?} is not a positive number of seconds (at most {MAX_TIMEOUT:?})")
            })?;
        settings = settings.timeout(timeout);
    }
    if let Some(handler) = var("_HANDLER").filter(|h| !h.is_empty()) {
        settings = settings.default_handler(handler);
    }
    if let Some(path) = var("LAMBDA_RT_DURABLE_STATE").filter(|p| !p.trim().is_empty()) {
        settings = settings.durable_state(path);
    }
    if let Some(value) = var("LAMBDA_RT_SKIP_TIME") {
        let skip = match value.trim() {
            "1" | "true" => true,
            "0" | "false" | "" => false,
            _ => return Err(format!("LAMBDA_RT_SKIP_TIME={value:?} is not 1, true, 0 or false")),
        };
        settings = settings.skip_time(skip);
    }
    Ok(settings)
}

fn usage() -> String {
    let handlers = catalog::registered_handlers();
    let listed = if handlers.is_empty() {
        "  (none)\n".to_owned()
    } else {
        handlers.iter().map(|h| format!("  {h}\n")).collect()
    };
    format!(
        "This is an AWS Lambda bootstrap built with lambda-rt. On Lambda (AWS_LAMBDA_RUNTIME_API set) it serves\n\
         the handler named by _HANDLER. Locally:\n\n  \
         bootstrap serve                             run the emulator on 127.0.0.1:$LAMBDA_RT_PORT (9000)\n  \
         bootstrap serve --http <handler> [--source <source>]\n                                              \
         ... and serve that handler's routes as plain HTTP\n  \
         bootstrap invoke <handler> <event.json|->   run one invocation, print the response (a durable\n                                              \
         handler: its execution to the end, and its history)\n  \
         bootstrap handlers                          list the handlers\n  \
         bootstrap manifest                          describe every handler as JSON (for deploy tooling)\n\n\
         Handlers:\n{listed}"
    )
}

async fn invoke(handler_name: &str, event_path: &str) -> i32 {
    let event = match read_event(event_path) {
        Ok(event) => event,
        Err(message) => {
            eprintln!("{message}");
            return 1;
        }
    };
    #[cfg(all(feature = "local", feature = "durable"))]
    if catalog::all_handlers().any(|h| h.name == handler_name && h.deploy.durable.is_some()) {
        return invoke_durable(handler_name, &event).await;
    }
    let mut env = FunctionConfig::from_env();
    env.handler = Some(handler_name.to_owned());
    let result = match runtime::init(&env).await {
        Ok((handler, states)) => {
            let context = Context::local(local_request_id(), Arc::new(env));
            runtime::invoke(handler, Invocation::new(event, context, states)).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(Output::Buffered(body)) => print_line(&mut std::io::stdout().lock(), &body),
        Ok(Output::Streaming(response)) => print_stream(response).await,
        Err(error) => {
            print_line(&mut std::io::stderr().lock(), &error.to_json());
            1
        }
    }
}

/// `bootstrap invoke` of a durable handler: one execution, run to its end with the embedded emulator as
/// the durable execution service (on `LAMBDA_RT_PORT`, else a free port: a callback's id and the command
/// that completes it are logged when it starts). The result goes to stdout, the error to stderr (exit
/// status 1), and the execution's history to stderr, a line per event.
#[cfg(all(feature = "local", feature = "durable"))]
async fn invoke_durable(handler: &str, event: &[u8]) -> i32 {
    let input = String::from_utf8_lossy(event).into_owned();
    let settings = match emulator_settings() {
        Ok(settings) if std::env::var_os("LAMBDA_RT_PORT").is_none() => settings.port(0),
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("{message}");
            return 2;
        }
    };
    let local = tokio::task::LocalSet::new();
    let ended = match local
        .run_until(crate::emulator::run_execution(settings, handler, input))
        .await
    {
        Ok(ended) => ended,
        Err(message) => {
            eprintln!("{message}");
            return 1;
        }
    };
    let events = ended.history["Events"].as_array().map_or(&[][..], Vec::as_slice);
    let history = crate::emulator::durable_history(events);
    let _ = std::io::Write::write_all(
        &mut std::io::stderr().lock(),
        format!("durable execution {}\n{history}", ended.arn).as_bytes(),
    );
    if ended.succeeded {
        let result = ended.result.unwrap_or_else(|| "null".to_owned());
        return print_line(&mut std::io::stdout().lock(), result.as_bytes());
    }
    let error = ended.error.unwrap_or_default();
    let error = serde_json::json!({
        "errorType": error.error_type.unwrap_or_else(|| "Execution.Failed".to_owned()),
        "errorMessage": error.error_message.unwrap_or_default(),
    });
    print_line(&mut std::io::stderr().lock(), error.to_string().as_bytes()).max(1)
}

/// Prints a streaming response's body to stdout piece by piece, as it is produced; an HTTP
/// response's prelude (status, headers, cookies) goes to stderr, and so does an error that ends the
/// body (exit status 1).
async fn print_stream(response: StreamingResponse) -> i32 {
    use std::io::Write as _;
    match response.prelude_bytes() {
        Ok(prelude) if !prelude.is_empty() => {
            let json = String::from_utf8_lossy(prelude.strip_suffix(&[0; 8]).unwrap_or(&prelude)).into_owned();
            eprintln!("HTTP prelude: {json}");
        }
        Ok(_) => {}
        Err(error) => return print_line(&mut std::io::stderr().lock(), &error.to_json()).max(1),
    }
    let mut body = response.body;
    while let Some(piece) = runtime::next_piece(&mut body).await {
        let written = match piece {
            Ok(piece) => {
                let mut out = std::io::stdout().lock();
                out.write_all(&piece).and_then(|()| out.flush())
            }
            Err(error) => return print_line(&mut std::io::stderr().lock(), &error.to_json()).max(1),
        };
        if let Err(e) = written {
            eprintln!("cannot write the response: {e}");
            return 1;
        }
    }
    0
}

fn read_event(path: &str) -> Result<Bytes, String> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes).map(drop)
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    read.map_err(|e| format!("cannot read the event from {path}: {e}"))?;
    Ok(Bytes::from(bytes))
}

/// Writes `body` and a newline; returns the exit status (1 when stdout or stderr is closed).
fn print_line(out: &mut dyn std::io::Write, body: &[u8]) -> i32 {
    match out
        .write_all(body)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
    {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("cannot write the response: {e}");
            1
        }
    }
}

/// A request id for a local invocation, distinct per run.
fn local_request_id() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("local-{:x}-{:x}", std::process::id(), nanos)
}

#[cfg(all(test, feature = "local"))]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<crate::emulator::EmulatorBuilder, String> {
        emulator_settings_from(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn the_emulator_settings_come_from_the_command_lines_environment() {
        let defaults = format!(
            "{:?}",
            crate::emulator::Emulator::builder().port(crate::emulator::DEFAULT_PORT)
        );
        assert_eq!(format!("{:?}", settings(&[]).unwrap()), defaults);
        let chosen = format!(
            "{:?}",
            settings(&[
                ("LAMBDA_RT_PORT", " 9123 "),
                ("LAMBDA_RT_TIMEOUT", "0.5"),
                ("_HANDLER", "a.b")
            ])
            .unwrap()
        );
        for part in ["9123", "500ms", "a.b"] {
            assert!(chosen.contains(part), "{chosen}");
        }
        for (name, bad, says) in [
            ("LAMBDA_RT_PORT", "99999", "is not a port number"),
            ("LAMBDA_RT_TIMEOUT", "0", "is not a positive number of seconds"),
            ("LAMBDA_RT_TIMEOUT", "-1", "is not a positive number of seconds"),
            ("LAMBDA_RT_TIMEOUT", "soon", "is not a positive number of seconds"),
            ("LAMBDA_RT_TIMEOUT", "1e19", "at most"),
            ("AWS_LAMBDA_MAX_CONCURRENCY", "0", "not a positive whole number"),
            ("AWS_LAMBDA_MAX_CONCURRENCY", "eight", "not a positive whole number"),
        ] {
            let message = settings(&[(name, bad)]).unwrap_err();
            assert!(message.contains(says) && message.contains(bad), "{message}");
        }
    }
}
