//! What a new user outside this repository does: install the subcommand into a temporary root, run
//! `cargo lambda-rt new` in a temporary folder (with `--lambda-rt-path` to this checkout), then the
//! README's two commands there, `cargo lambda-rt package` (the zip is checked and its `bootstrap` run),
//! and `cargo lambda-rt template` on it (cfn-lint checks the result when it is installed; CI requires it
//! with LAMBDA_RT_REQUIRE_CFN_LINT=1).

#![allow(clippy::unwrap_used, clippy::expect_used)] // the helpers panic like the tests do

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

    let created = run(cargo(scratch.path())
        .args(["lambda-rt", "new", "hello-fn", "--lambda-rt-path"])
        .arg(repo()));
    assert!(String::from_utf8_lossy(&created.stdout).contains("cargo test"));
    let project = scratch.path().join("hello-fn");
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
    match Command::new("cfn-lint").arg(project.join("template.yaml")).output() {
        Ok(output) => assert!(
            output.status.success(),
            "cfn-lint:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(_) if std::env::var_os("LAMBDA_RT_REQUIRE_CFN_LINT").is_none() => {
            eprintln!("cfn-lint is not installed: the template was not linted");
        }
        Err(e) => panic!("cfn-lint is required (LAMBDA_RT_REQUIRE_CFN_LINT) but cannot run: {e}"),
    }
}
