//! The `bootstrap` process under test: a cleared environment plus Lambda's variables, output collected,
//! killed on drop.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncReadExt as _;
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

use super::*;

/// The `bootstrap` under test: a child process, killed on drop, whose output is collected.
pub struct Bootstrap {
    child: Child,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    readers: Vec<JoinHandle<()>>,
    status: Option<ExitStatus>,
    api: Option<Arc<Shared>>,
}

/// The environment Lambda gives a function, minus `AWS_LAMBDA_RUNTIME_API` and `_HANDLER`.
pub fn lambda_env() -> Vec<(&'static str, String)> {
    vec![
        ("AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME.into()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", MEMORY_MB.to_string()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
        ("AWS_REGION", "eu-west-3".into()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{FUNCTION_NAME}")),
        (
            "AWS_LAMBDA_LOG_STREAM_NAME",
            "2026/11/25/[$LATEST]0123456789abcdef".into(),
        ),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".into()),
        ("HTTP_PROXY", DEAD_PROXY.into()),
        ("http_proxy", DEAD_PROXY.into()),
        ("ALL_PROXY", DEAD_PROXY.into()),
    ]
}

/// A command for the bootstrap with a cleared environment plus [`lambda_env`], `_HANDLER` (unless
/// `None`) and `AWS_LAMBDA_RUNTIME_API` (unless `None`).
pub fn command(runtime_api: Option<&str>, handler: Option<&str>) -> Command {
    let mut command = Command::new(bootstrap_path());
    command.env_clear().envs(lambda_env());
    if let Some(api) = runtime_api {
        command.env("AWS_LAMBDA_RUNTIME_API", api);
    }
    if let Some(handler) = handler {
        command.env("_HANDLER", handler);
    }
    command
}

impl Bootstrap {
    /// Starts the bootstrap serving `handler` against `api` (`AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>`).
    pub fn start(api: &FakeApi, handler: &str) -> Self {
        Self::spawn(command(Some(&api.host_port()), Some(handler)), Some(api))
    }

    /// Starts `command`; its stderr shows in `api`'s failure messages.
    pub fn spawn(mut command: Command, api: Option<&FakeApi>) -> Self {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("the bootstrap starts");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let readers = vec![
            tokio::spawn(drain(child.stdout.take().expect("piped stdout"), Arc::clone(&stdout))),
            tokio::spawn(drain(child.stderr.take().expect("piped stderr"), Arc::clone(&stderr))),
        ];
        if let Some(api) = api {
            api.shared
                .stderrs
                .lock()
                .expect("stderrs lock")
                .push(Arc::clone(&stderr));
        }
        Bootstrap {
            child,
            stdout,
            stderr,
            readers,
            status: None,
            api: api.map(|api| Arc::clone(&api.shared)),
        }
    }

    /// Waits for the process to exit (panics after [`TIMEOUT`] with the API's requests and the stderr);
    /// returns its status, with its output fully read.
    pub async fn exit_status(&mut self) -> ExitStatus {
        if let Some(status) = self.status {
            return status;
        }
        let status = match tokio::time::timeout(TIMEOUT, self.child.wait()).await {
            Ok(status) => status.expect("wait for the bootstrap"),
            Err(_) => panic!(
                "the bootstrap did not exit within {TIMEOUT:?}\n{}stderr:\n{}",
                self.api.as_deref().map(diagnostics).unwrap_or_default(),
                self.stderr()
            ),
        };
        for reader in self.readers.drain(..) {
            let _ = tokio::time::timeout(TIMEOUT, reader).await;
        }
        self.status = Some(status);
        status
    }

    /// Waits until the stderr satisfies `done` (panics after [`TIMEOUT`] naming `what`); returns it.
    pub async fn wait_stderr(&self, what: &str, mut done: impl FnMut(&str) -> bool) -> String {
        let started = std::time::Instant::now();
        loop {
            let stderr = self.stderr();
            if done(&stderr) {
                return stderr;
            }
            if started.elapsed() > TIMEOUT {
                panic!("timed out after {TIMEOUT:?} waiting for {what} on stderr:\n{stderr}");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Sends the process `signal` (`TERM`, `INT`) with `kill`.
    pub fn signal(&self, signal: &str) {
        let pid = self.child.id().expect("the bootstrap is running");
        let status = std::process::Command::new("kill")
            .args(["-s", signal, &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -s {signal} {pid}");
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.status.is_none() && matches!(self.child.try_wait(), Ok(None))
    }

    /// What it printed on stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().expect("stderr lock")).into_owned()
    }

    /// What it printed on stdout so far.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout.lock().expect("stdout lock")).into_owned()
    }
}

async fn drain(mut from: impl tokio::io::AsyncRead + Unpin, into: Arc<Mutex<Vec<u8>>>) {
    let mut buf = [0u8; 8192];
    loop {
        match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => into.lock().expect("output lock").extend_from_slice(&buf[..n]),
        }
    }
}
