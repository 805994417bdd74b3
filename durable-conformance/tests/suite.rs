//! AWS's durable execution conformance suite, run offline: this crate's `conformance serve` (lambda-rt's
//! embedded emulator, every `conformance.<id>` handler behind its Lambda Invoke API) on 127.0.0.1, with
//! two durable execution services in turn: AWS's local one, `dex-local-runner`, and the emulator itself;
//! and the suite's own validator (`harness/conformance.py check`) over every requirement of the suites
//! below, the same for both. What the functions write (JSON log lines, and the plugins' lines on stdout)
//! goes to a file, where the harness checks the requirements' expected logs.
//!
//! Needs `dex-local-runner` on `PATH` with the suite (`aws-durable-execution-conformance-tests`) installed
//! beside it, as `.ci/run` installs them; skipped with a notice otherwise, unless
//! `LAMBDA_RT_REQUIRE_DEX=1`, which turns their absence into a failure.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../../examples/tests/e2e/support/tools.rs"]
#[allow(dead_code)]
mod tools;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use lambda_fn_manifest::Manifest;
use serde_json::Value;
use tools::{Killed, free_port, wait_for_port};

/// The suites this crate has handlers for: every requirement in them runs, or is listed by the harness
/// as not runnable offline with the reason.
const SUITES: &[&str] = &[
    "step",
    "wait",
    "child",
    "callback",
    "invoke",
    "wait_for_condition",
    "wait_for_callback",
    "parallel",
    "map",
    "plugin",
];

/// The requirements the harness cannot run offline (they crash the function's process, which under the
/// embedded emulator is the emulator's own).
const NOT_RUNNABLE: &[&str] = &["1-17", "1-18", "3-12"];

/// The functions the invoke suite's handlers call: durable handlers of this binary, which the local
/// service must know as durable functions to run each call as an execution of its own.
const INVOKE_TARGETS: &[&str] = &["conformance.echo", "conformance.fail", "conformance.length"];

const HARNESS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/harness/conformance.py");

/// The Python that runs `dex-local-runner` (its script's folder holds it), if it has the suite too.
fn suite_python() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let folder = std::env::split_paths(&path).find(|dir| dir.join("dex-local-runner").is_file())?;
    let python = folder.join("python3");
    let has_suite = Command::new(&python)
        .args(["-c", "import aws_durable_execution_conformance_tests"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    has_suite.then_some(python)
}

/// The requirements of `SUITES`, as the harness lists them from the installed suite.
fn suite_requirements(python: &PathBuf) -> Vec<String> {
    let listed = Command::new(python)
        .arg(HARNESS)
        .arg("list")
        .args(SUITES)
        .output()
        .expect("the harness lists the suites");
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    String::from_utf8(listed.stdout)
        .expect("UTF-8")
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// The runner's `--function-configs`: each invoke target as a durable function.
fn function_configs() -> String {
    let durable = serde_json::json!({"DurableConfig": {"ExecutionTimeout": 120, "RetentionPeriodInDays": 1}});
    let configs: serde_json::Map<String, Value> = INVOKE_TARGETS
        .iter()
        .map(|name| ((*name).to_owned(), durable.clone()))
        .collect();
    Value::Object(configs).to_string()
}

/// Which durable execution service the suite runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    /// AWS's `dex-local-runner`, the functions checkpointing to it (`AWS_ENDPOINT_URL_LAMBDA`).
    DexLocalRunner,
    /// The embedded emulator itself: `conformance serve` alone.
    Emulator,
}

#[test]
fn every_requirement_of_the_suites_passes_or_is_listed_as_not_runnable_offline_under_dex_local_runner() {
    run_suite(Service::DexLocalRunner);
}

#[test]
fn every_requirement_of_the_suites_passes_or_is_listed_as_not_runnable_offline_under_the_emulator() {
    run_suite(Service::Emulator);
}

/// Runs every requirement of `SUITES` against `service` and requires each to pass or to be listed as not
/// runnable offline.
fn run_suite(service: Service) {
    let Some(python) = suite_python() else {
        if std::env::var("LAMBDA_RT_REQUIRE_DEX").as_deref() == Ok("1") {
            panic!(
                "LAMBDA_RT_REQUIRE_DEX=1, but no dex-local-runner with the conformance suite beside it is on PATH: \
                 pip install aws-durable-execution-sdk-python-testing && pip install --ignore-requires-python \
                 aws-durable-execution-conformance-tests"
            );
        }
        eprintln!("skipped: dex-local-runner and aws-durable-execution-conformance-tests are not installed");
        return;
    };
    let binary = env!("CARGO_BIN_EXE_conformance");
    let manifest = Command::new(binary)
        .arg("manifest")
        .output()
        .expect("conformance manifest runs");
    let manifest = Manifest::from_json(&manifest.stdout).expect("a manifest");
    let handlers: Vec<&str> = manifest
        .handlers
        .iter()
        .filter_map(|h| h.name.strip_prefix("conformance."))
        .collect();
    let requirements = suite_requirements(&python);
    assert!(
        requirements.len() >= 155,
        "the ten suites hold 155 requirements: {requirements:?}"
    );

    let (lambda_port, runner_port) = (free_port(), free_port());
    let lambda_url = format!("http://127.0.0.1:{lambda_port}");
    let runner_url = format!("http://127.0.0.1:{runner_port}");
    let credentials = [
        ("AWS_ACCESS_KEY_ID", "AKIDLOCAL"),
        ("AWS_SECRET_ACCESS_KEY", "local-secret"),
        ("AWS_REGION", "us-west-2"),
        ("AWS_DEFAULT_REGION", "us-west-2"),
    ];
    // The functions' log: their JSON lines (stderr) and the plugins' (stdout), in the order written.
    let logs = std::env::temp_dir().join(format!("lambda-rt-conformance-{lambda_port}.log"));
    let log_file = std::fs::File::create(&logs).expect("the log file");
    let mut functions = Command::new(binary);
    functions
        .arg("serve")
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_LAMBDA_LOG_LEVEL")
        .env_remove("RUST_LOG")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("LAMBDA_RT_PORT", lambda_port.to_string())
        .envs(credentials)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("the log file, again"))
        .stderr(log_file);
    match service {
        Service::DexLocalRunner => functions.env("AWS_ENDPOINT_URL_LAMBDA", &runner_url),
        Service::Emulator => functions.env_remove("AWS_ENDPOINT_URL_LAMBDA"),
    };
    let mut functions = Killed(functions.spawn().expect("conformance serve starts"));
    wait_for_port(lambda_port, &mut functions.0, "conformance serve");
    let _runner = match service {
        Service::Emulator => None,
        Service::DexLocalRunner => {
            let mut runner = Command::new(&python);
            runner
                .args([
                    HARNESS,
                    "runner",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    &runner_port.to_string(),
                ])
                .args(["--lambda-endpoint", &lambda_url])
                .args(["--function-configs", &function_configs()])
                .envs(credentials)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let mut runner = Killed(runner.spawn().expect("dex-local-runner starts"));
            wait_for_port(runner_port, &mut runner.0, "dex-local-runner");
            Some(runner)
        }
    };
    let (service_url, service_name) = match service {
        Service::DexLocalRunner => (&runner_url, "dex"),
        Service::Emulator => (&lambda_url, "emulator"),
    };

    let report = std::env::temp_dir().join(format!("lambda-rt-conformance-{service_name}-{lambda_port}.json"));
    let checked = Command::new(&python)
        .args([
            HARNESS,
            "check",
            "--service",
            service_name,
            "--runner",
            service_url,
            "--report",
        ])
        .arg(&report)
        .arg("--id")
        .args(&requirements)
        .args(["--handlers", &handlers.join(",")])
        .arg("--logs")
        .arg(&logs)
        .envs(credentials)
        .stdout(Stdio::piped())
        .output()
        .expect("the harness runs");
    let printed = String::from_utf8_lossy(&checked.stdout);
    eprintln!("{printed}");
    assert!(
        checked.status.success(),
        "the harness failed: {}",
        String::from_utf8_lossy(&checked.stderr)
    );

    let report: BTreeMap<String, Value> =
        serde_json::from_slice(&std::fs::read(&report).expect("the report")).expect("a JSON report");
    let mut failed = Vec::new();
    let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
    for requirement in &requirements {
        let status = report[requirement]["status"].as_str().unwrap_or("missing");
        *tally.entry(status).or_default() += 1;
        let expected = match NOT_RUNNABLE.contains(&requirement.as_str()) {
            true => "not runnable",
            false => "passed",
        };
        if status != expected {
            failed.push(format!("{requirement}: {status} {}", report[requirement]["errors"]));
        }
    }
    eprintln!("suites {SUITES:?} under {service:?}: {tally:?}");
    assert!(
        failed.is_empty(),
        "requirements that did not pass under {service:?}:\n{}",
        failed.join("\n")
    );
    assert_eq!(
        tally.get("passed").copied().unwrap_or(0),
        requirements.len() - NOT_RUNNABLE.len(),
        "{tally:?}"
    );
}
