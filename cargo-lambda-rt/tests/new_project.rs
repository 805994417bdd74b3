//! What a new user outside this repository does: install the subcommand into a temporary root, run
//! `cargo lambda-rt new` in a temporary folder (a project that depends on the runtime by version, as
//! from crates.io; the test points that version at this checkout's crates as `cargo package` makes them,
//! through a `[patch.crates-io]`), then the
//! README's two commands there, `cargo lambda-rt package` (the zip is checked and its `bootstrap` run),
//! and `cargo lambda-rt template` on it (cfn-lint checks the result when it is installed; CI requires it
//! with LAMBDA_RT_REQUIRE_CFN_LINT=1); then `cargo lambda-rt watch` serves it, serves the change when a
//! source changes, and keeps the last good build serving when a change does not compile.

#![allow(clippy::unwrap_used, clippy::expect_used)] // the helpers panic like the tests do

mod support;

use std::io::{BufRead as _, Read as _, Write as _};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Runs `command`, failing the test with its output when it fails.
fn run(command: &mut Command) -> Output {
    let shown = format!("{command:?}");
    let output = command.output().unwrap_or_else(|e| panic!("{shown}: {e}"));
    assert!(
        output.status.success(),
        "{shown} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The library crates of this workspace as `cargo package` makes them (the files a registry would
/// serve), unpacked under `scratch`: each crate's name and folder.
fn packaged_crates(scratch: &Path) -> Vec<(&'static str, PathBuf)> {
    const CRATES: [&str; 4] = [
        "lambda-fn",
        "lambda-fn-macros",
        "lambda-fn-manifest",
        "lambda-fn-events",
    ];
    let target = scratch.join("package-target");
    let mut package = Command::new(env!("CARGO"));
    package
        .current_dir(repo())
        .args(["package", "--quiet", "--no-verify", "--allow-dirty", "--target-dir"])
        .arg(&target);
    for name in CRATES {
        package.args(["-p", name]);
    }
    run(&mut package);
    let unpacked = scratch.join("crates");
    std::fs::create_dir_all(&unpacked).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    CRATES
        .into_iter()
        .map(|name| {
            let file = target.join("package").join(format!("{name}-{version}.crate"));
            run(Command::new("tar").arg("xzf").arg(&file).arg("-C").arg(&unpacked));
            (name, unpacked.join(format!("{name}-{version}")))
        })
        .collect()
}

/// One Invoke API call of `hello` on the emulator at `port`: the answer's body, or `None` when nothing
/// answers.
fn invoke(port: u16) -> Option<String> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    let body = r#"{"name": "Ana"}"#;
    write!(
        stream,
        "POST /2015-03-31/functions/hello/invocations HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.split_once("\r\n\r\n").map(|(_, body)| body.to_owned())
}

/// Waits (at most 3 minutes, a build's time) until `done` holds for what `hello` answers.
fn wait_for(port: u16, what: &str, log: &Mutex<String>, done: impl Fn(&str) -> bool) {
    let until = Instant::now() + Duration::from_secs(180);
    while Instant::now() < until {
        if invoke(port).is_some_and(|body| done(&body)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("timed out waiting for {what}; watch's output:\n{}", log.lock().unwrap());
}

#[test]
fn a_new_project_tests_runs_packages_and_deploys_from_its_binary() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path().join("root");
    // The subcommand, installed as a user installs it (a debug build, and this checkout's lock file).
    run(Command::new(env!("CARGO"))
        .args(["install", "--quiet", "--debug", "--locked", "--path"])
        .arg(repo().join("cargo-lambda-rt"))
        .arg("--root")
        .arg(&root)
        .env("CARGO_TARGET_DIR", repo().join("target/new-project-install")));
    let path = format!(
        "{}:{}",
        root.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let cargo = |dir: &Path| {
        let mut command = Command::new(env!("CARGO"));
        command
            .current_dir(dir)
            .env("PATH", &path)
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .env_remove("CARGO_TARGET_DIR");
        command
    };

    let created = run(cargo(scratch.path()).args(["lambda-rt", "new", "hello-fn"]));
    assert!(String::from_utf8_lossy(&created.stdout).contains("cargo test"));
    let project = scratch.path().join("hello-fn");
    let manifest = std::fs::read_to_string(project.join("Cargo.toml")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        manifest.contains(&format!("lambda-fn = {{ version = \"{version}\"")),
        "depends on the runtime by version:\n{manifest}"
    );
    // That version is this checkout's crates in their packaged form, as a registry would serve them.
    let patches: String = packaged_crates(scratch.path())
        .into_iter()
        .map(|(name, dir)| format!("{name} = {{ path = {:?} }}\n", dir.display().to_string()))
        .collect();
    std::fs::write(
        project.join("Cargo.toml"),
        format!("{manifest}\n[patch.crates-io]\n{patches}"),
    )
    .unwrap();
    let readme = std::fs::read_to_string(project.join("README.md")).unwrap();
    assert!(readme.contains("cargo run -- invoke hello events/hello.json") && readme.contains("cargo test"));

    // The README's two commands.
    let invoked = run(cargo(&project).args(["run", "--quiet", "--", "invoke", "hello", "events/hello.json"]));
    assert_eq!(
        String::from_utf8_lossy(&invoked.stdout).trim(),
        r#"{"message":"hello Ana from local-function"}"#
    );
    let tested = run(cargo(&project).args(["test", "--quiet"]));
    assert!(
        String::from_utf8_lossy(&tested.stdout).contains("2 passed"),
        "{}",
        String::from_utf8_lossy(&tested.stdout)
    );

    // Packaged for Lambda: one executable `bootstrap` in the zip, which answers the same invocation.
    let packaged = run(cargo(&project).args(["lambda-rt", "package", "--quiet"]));
    let report = String::from_utf8_lossy(&packaged.stdout).into_owned();
    assert!(report.contains("runs on provided.al2023"), "{report}");
    let zip_path = project.join("target/lambda/hello-fn/bootstrap.zip");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    assert_eq!(archive.len(), 1);
    let mut entry = archive.by_index(0).unwrap();
    assert_eq!(entry.name().unwrap(), "bootstrap");
    assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o755));
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).unwrap();
    let bootstrap = scratch.path().join("bootstrap");
    std::fs::write(&bootstrap, bytes).unwrap();
    std::fs::set_permissions(&bootstrap, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let answered = run(Command::new(&bootstrap)
        .args(["invoke", "hello"])
        .arg(project.join("events/hello.json"))
        .env_remove("AWS_LAMBDA_RUNTIME_API"));
    assert!(String::from_utf8_lossy(&answered.stdout).contains("hello Ana"));

    // The template of the built binary.
    run(cargo(&project).args(["lambda-rt", "template"]));
    let template = std::fs::read_to_string(project.join("template.yaml")).unwrap();
    for expected in [
        "Handler: \"hello\"",
        "MemorySize: 128",
        "Timeout: 10",
        "Runtime: \"provided.al2023\"",
        "CodeUri: \"target/lambda/hello-fn/bootstrap.zip\"",
    ] {
        assert!(template.contains(expected), "{expected} in\n{template}");
    }
    run(cargo(&project).args(["lambda-rt", "template", "--check"]));
    support::cfn_lint(&project.join("template.yaml"));
    // A template for Graviton, then a build for this machine: refused before building, saying how.
    let host = if cfg!(target_arch = "aarch64") {
        "arm64"
    } else {
        "x86_64"
    };
    let other = if host == "arm64" { "x86_64" } else { "arm64" };
    let generated = template.clone();
    std::fs::write(
        project.join("template.yaml"),
        generated.replace(
            &format!("Architectures: [\"{host}\"]"),
            &format!("Architectures: [\"{other}\"]"),
        ),
    )
    .unwrap();
    let refused = cargo(&project)
        .args(["lambda-rt", "package", "--quiet"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the template deploys on {other}, but this build is for {host}"
        )),
        "{stderr}"
    );
    std::fs::write(project.join("template.yaml"), generated).unwrap();

    // `watch`: serves the build, rebuilds and restarts on a change, keeps the last good build on an error.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut watching = cargo(&project)
        .args(["lambda-rt", "watch"])
        .env("LAMBDA_RT_PORT", port.to_string())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        // Its own process group, so that the test stops the emulator it starts too.
        .process_group(0)
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let reader = {
        let log = Arc::clone(&log);
        let stderr = watching.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                log.lock().unwrap().push_str(&(line + "\n"));
            }
        })
    };
    wait_for(port, "the first build", &log, |body| body.contains("hello Ana"));
    let main_rs = project.join("src/main.rs");
    let source = std::fs::read_to_string(&main_rs).unwrap();
    std::fs::write(
        &main_rs,
        source.replace("format!(\"hello {} from {}\"", "format!(\"hi {} from {}\""),
    )
    .unwrap();
    wait_for(port, "the changed greeting", &log, |body| body.contains("hi Ana"));
    std::fs::write(
        &main_rs,
        source.replace("fn main() {", "fn main() { this does not compile"),
    )
    .unwrap();
    let until = Instant::now() + Duration::from_secs(180);
    while !log.lock().unwrap().contains("the last good build keeps serving") {
        assert!(
            Instant::now() < until,
            "no failed build reported:\n{}",
            log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        invoke(port).is_some_and(|body| body.contains("hi Ana")),
        "the last good build serves on"
    );
    let group = format!("-{}", watching.id());
    let _ = Command::new("kill").args(["-s", "INT", "--", &group]).status();
    let _ = watching.wait();
    let _ = Command::new("kill").args(["-s", "KILL", "--", &group]).status();
    let _ = reader.join();
    assert!(
        log.lock().unwrap().contains("error"),
        "the compiler's errors are shown:\n{}",
        log.lock().unwrap()
    );
}
