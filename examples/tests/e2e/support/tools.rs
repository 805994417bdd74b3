//! Other programs the interoperability tests run beside the `bootstrap` (cargo-lambda, the AWS CLI,
//! dex-local-runner): whether one is installed, free ports, waiting for one to listen, and stopping it.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the process when dropped, so a failing assertion leaves nothing running.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether `program --help` runs. Its absence fails the test when the environment variable `required` is
/// `1` (as CI sets it), with `install` in the message; otherwise the test skips itself.
pub fn tool_available(program: &str, required: &str, install: &str) -> bool {
    probe(program, "--help", required, install)
}

/// Whether the AWS CLI runs (its `--help` wants a subcommand: `--version` is the probe), as
/// [`tool_available`] says it, with `LAMBDA_RT_REQUIRE_AWS_CLI`.
pub fn aws_cli_available() -> bool {
    probe("aws", "--version", "LAMBDA_RT_REQUIRE_AWS_CLI", "pip install awscli")
}

fn probe(program: &str, argument: &str, required: &str, install: &str) -> bool {
    let found = Command::new(program)
        .arg(argument)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found && std::env::var(required).as_deref() == Ok("1") {
        panic!("{program} is required ({required}=1) but not on PATH: {install}");
    }
    found
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Waits until `child` (`what`) listens on `port`; fails if it exits first or takes over a minute.
pub fn wait_for_port(port: u16, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early with {status}");
        }
        assert!(Instant::now() < deadline, "{what} did not listen on {port} within 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}
