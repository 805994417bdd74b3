//! End to end: `cargo lambda-rt package` (here `cargo xtask package`) builds the examples' `bootstrap` and zips it; the zip's only entry is an
//! executable `bootstrap` that answers `invoke hello.ALB` once extracted; the glibc check passes on it; and
//! every `Handler:` of examples/template.yaml is registered in it.
//!
//! The tests share ONE packaged build (the first test to need it runs it, the others wait), made with the real
//! `release` profile, so they also check what that profile gives (size, strip, panics still reported). Measured
//! from a cold target folder, that build costs about the same CPU as a dev build of the examples (62 s against
//! 52 s): `cargo test --workspace` cannot reuse its own dev artifacts for it anyway, as it resolves features
//! workspace-wide with dev-dependencies (syn, serde, tokio... are built with other features), and zipping the
//! 62 MB dev binary takes longer than the 2.4 MB release one. It also leaves `target/debug/bootstrap`, which other
//! tests run, alone. `XTASK_TEST_PROFILE=dev` packages a dev build instead, for quick local runs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // the fixture helpers panic like the tests do

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use cargo_lambda_rt::{GlibcVersion, Verdict, glibc_verdict, inspect_file, workspace_root};
use yaml_rust2::{Yaml, YamlLoader};

/// The folder under target/lambda/ the tests write to, so they never replace a real `cargo lambda-rt package` zip.
const TEST_NAME: &str = "package-test-examples";

struct Packaged {
    /// The cargo profile it was built with.
    profile: String,
    /// What `cargo lambda-rt package` printed.
    report: String,
    /// The zip it wrote.
    zip: PathBuf,
    /// `bootstrap` extracted from the zip, with the mode the zip gives it.
    bootstrap: PathBuf,
}

fn packaged() -> &'static Packaged {
    static PACKAGED: OnceLock<Packaged> = OnceLock::new();
    PACKAGED.get_or_init(|| {
        let profile = std::env::var("XTASK_TEST_PROFILE").unwrap_or_else(|_| "release".into());
        let started = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-lambda-rt"))
            .args(["package", "--name", TEST_NAME, "--profile", &profile, "--quiet"])
            .output()
            .expect("cargo-lambda-rt runs");
        let report = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "cargo lambda-rt package failed:\n{report}\n{stderr}"
        );
        eprintln!(
            "packaged with profile {profile} in {:.1?}:\n{report}{stderr}",
            started.elapsed()
        );

        let zip = cargo_lambda_rt::target_directory(&workspace_root())
            .unwrap()
            .join("lambda")
            .join(TEST_NAME)
            .join("bootstrap.zip");
        let bootstrap = extract_bootstrap(&zip);
        Packaged {
            profile,
            report,
            zip,
            bootstrap,
        }
    })
}

/// Unzips the `bootstrap` entry like Lambda does: same bytes, and the unix mode stored in the zip.
///
/// Written under a name of this process's own, then renamed: another test run in the same target folder may be
/// running the previous `bootstrap` (the same bytes) at that moment.
fn extract_bootstrap(zip: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cargo-lambda-rt-package-test");
    std::fs::create_dir_all(&dir).unwrap();
    let partial = dir.join(format!("bootstrap.{}.partial", std::process::id()));
    let mut archive = zip::ZipArchive::new(File::open(zip).unwrap()).unwrap();
    let mut entry = archive.by_name("bootstrap").expect("an entry named bootstrap");
    let mode = entry.unix_mode().expect("a unix mode");
    let mut out = File::create(&partial).unwrap();
    std::io::copy(&mut entry, &mut out).unwrap();
    drop(out);
    std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(mode & 0o7777)).unwrap();
    let path = dir.join("bootstrap");
    std::fs::rename(&partial, &path).unwrap();
    path
}

#[test]
fn the_zip_holds_one_executable_bootstrap_that_answers_hello_alb() {
    let packaged = packaged();
    assert!(
        packaged.report.contains(&format!("wrote {}", packaged.zip.display())),
        "{}",
        packaged.report
    );
    assert_eq!(
        cargo_lambda_rt::template::zip_architecture(&packaged.zip).unwrap(),
        if cfg!(target_arch = "aarch64") {
            "arm64"
        } else {
            "x86_64"
        },
        "the template reads the architecture of the zip's bootstrap"
    );
    let zip_size = std::fs::metadata(&packaged.zip).unwrap().len();
    assert!(
        packaged.report.contains(&format!("({zip_size} bytes)")),
        "the report gives the zip size"
    );
    if packaged.profile == "release" {
        // About 1.1 MiB today; far more would mean the profile lost LTO or stripping.
        assert!(zip_size < 4 * 1024 * 1024, "release zip of {zip_size} bytes");
    }

    let mut archive = zip::ZipArchive::new(File::open(&packaged.zip).unwrap()).unwrap();
    assert_eq!(archive.len(), 1, "exactly one entry");
    let entry = archive.by_index(0).unwrap();
    assert_eq!(entry.name().unwrap(), "bootstrap", "at the zip root");
    assert!(entry.is_file());
    assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
    let mode = entry.unix_mode().expect("a unix mode");
    assert_eq!(mode & 0o777, 0o755, "mode {mode:o}");

    let output = Command::new(&packaged.bootstrap)
        .args(["invoke", "hello.ALB", "examples/events/alb.json"])
        .current_dir(workspace_root())
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .output()
        .expect("the extracted bootstrap runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let response: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON response");
    assert_eq!(response["statusCode"], 200, "{response}");
    assert_eq!(
        response["body"],
        "<html><body><h1>Success! I created my first Lambda function with lambda-rt.</h1></body></html>"
    );

    // A handler panic is still caught and reported (the release profile keeps `panic = "unwind"`).
    let mut child = Command::new(&packaged.bootstrap)
        .args(["invoke", "panic.always", "-"])
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"{}").unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(r#""errorType":"Runtime.Panic""#), "{stderr}");
}

#[test]
fn the_built_bootstrap_passes_the_glibc_check() {
    let packaged = packaged();
    let info = inspect_file(&packaged.bootstrap).unwrap();
    let verdict = glibc_verdict(info.highest_glibc(), info.arch);
    assert!(!matches!(verdict, Verdict::Fail(_)), "{verdict:?}");
    assert_eq!(info.arch.to_string(), std::env::consts::ARCH);
    match info.highest_glibc() {
        Some(highest) => {
            assert!(highest <= GlibcVersion::new(2, 34));
            assert!(
                packaged.report.contains(&format!("needs GLIBC_{highest} at most")),
                "{}",
                packaged.report
            );
            eprintln!(
                "bootstrap needs GLIBC_{highest} at most; all: {:?}",
                info.glibc_versions
            );
        }
        None => assert!(
            packaged.report.contains("needs no glibc version"),
            "{}",
            packaged.report
        ),
    }
    let lambda_arch = info.arch.lambda_name();
    assert!(
        packaged.report.contains(&format!("Architectures: [{lambda_arch}]")),
        "{}",
        packaged.report
    );
}

/// A C program that calls `_dl_find_object`, new in glibc 2.35: a real binary that provided.al2023 cannot run.
/// Skipped (with a note) where there is no C compiler or the system glibc is older than 2.35.
#[test]
fn a_binary_needing_glibc_2_35_fails_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("new_glibc.c");
    std::fs::write(
        &source,
        "#define _GNU_SOURCE\n#include <dlfcn.h>\nint main(void) { struct dl_find_object r; \
         return _dl_find_object((void *)&main, &r); }\n",
    )
    .unwrap();
    let binary = dir.path().join("new_glibc");
    let compiled = Command::new("cc").arg(&source).arg("-o").arg(&binary).output();
    if !compiled.as_ref().is_ok_and(|out| out.status.success()) {
        eprintln!("skipped: no C compiler, or a glibc older than 2.35 ({compiled:?})");
        return;
    }
    let info = inspect_file(&binary).unwrap();
    assert!(info.glibc_versions.contains(&GlibcVersion::new(2, 35)), "{info:?}");
    let Verdict::Fail(message) = glibc_verdict(info.highest_glibc(), info.arch) else {
        panic!("must fail: {info:?}")
    };
    let highest = info.highest_glibc().unwrap();
    assert_eq!(
        message,
        format!(
            "bootstrap needs GLIBC_{highest} but provided.al2023 has 2.34: build on an older distro or for {}",
            info.arch.musl_target()
        )
    );
}

/// A statically linked C program: a real binary that needs no glibc version at all (what a musl build gives).
/// Skipped (with a note) where there is no C compiler or no static libc.
#[test]
fn a_static_binary_passes_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("static.c");
    std::fs::write(&source, "int main(void) { return 0; }\n").unwrap();
    let binary = dir.path().join("static");
    let compiled = Command::new("cc")
        .arg("-static")
        .arg(&source)
        .arg("-o")
        .arg(&binary)
        .output();
    if !compiled.as_ref().is_ok_and(|out| out.status.success()) {
        eprintln!("skipped: no C compiler or no static libc ({compiled:?})");
        return;
    }
    let info = inspect_file(&binary).unwrap();
    assert!(info.is_static(), "{info:?}");
    assert_eq!(info.highest_glibc(), None, "{info:?}");
    assert_eq!(glibc_verdict(info.highest_glibc(), info.arch), Verdict::Ok);
}

/// The value at `key` of a YAML mapping (a bad value when missing).
fn get<'a>(node: &'a Yaml, key: &str) -> &'a Yaml {
    &node[key]
}

/// A function's property, or the one in `Globals: Function:` when the function has none.
fn property<'a>(globals: &'a Yaml, function: &'a Yaml, name: &str) -> &'a Yaml {
    let own = get(get(function, "Properties"), name);
    if own.is_badvalue() { get(globals, name) } else { own }
}

#[test]
fn template_handlers_are_registered_and_run_on_provided_al2023() {
    let text = std::fs::read_to_string(workspace_root().join("examples/template.yaml")).unwrap();
    // yaml-rust2 keeps `!GetAtt X.Arn`, `!Ref X` and `!Sub "..."` as their plain values.
    let docs = YamlLoader::load_from_str(&text).expect("examples/template.yaml is valid YAML");
    let template = &docs[0];
    assert_eq!(get(template, "Transform").as_str(), Some("AWS::Serverless-2016-10-31"));
    let globals = get(get(template, "Globals"), "Function");
    let resources = get(template, "Resources").as_hash().expect("Resources");
    let functions: Vec<(&str, &Yaml)> = resources
        .iter()
        .filter(|(_, r)| get(r, "Type").as_str() == Some("AWS::Serverless::Function"))
        .map(|(id, r)| (id.as_str().unwrap(), r))
        .collect();
    assert!(functions.len() >= 3, "hello.ALB, square.APIGW and sqs.batch at least");

    let registered = Command::new(&packaged().bootstrap)
        .arg("handlers")
        .output()
        .expect("bootstrap handlers runs");
    assert!(registered.status.success());
    let registered = String::from_utf8_lossy(&registered.stdout);
    let registered: Vec<&str> = registered.lines().collect();

    // What the binary says of each handler decides what its function needs in the template.
    let manifest = Command::new(&packaged().bootstrap)
        .arg("manifest")
        .output()
        .expect("bootstrap manifest runs");
    assert!(manifest.status.success());
    let manifest: serde_json::Value = serde_json::from_slice(&manifest.stdout).expect("the manifest is JSON");
    let described = |handler: &str| {
        manifest["handlers"]
            .as_array()
            .and_then(|all| all.iter().find(|h| h["name"] == handler))
            .cloned()
            .unwrap_or_else(|| panic!("{handler} is in the manifest"))
    };

    let mut handlers = Vec::new();
    for &(id, function) in &functions {
        let handler = property(globals, function, "Handler").as_str();
        let handler = handler.unwrap_or_else(|| panic!("{id} has no Handler"));
        assert!(
            registered.contains(&handler),
            "{id}: Handler {handler} is not registered; bootstrap has {registered:?}"
        );
        assert_eq!(
            property(globals, function, "Runtime").as_str(),
            Some("provided.al2023"),
            "{id}"
        );
        let code = property(globals, function, "CodeUri").as_str();
        assert_eq!(code, Some("../target/lambda/examples/bootstrap.zip"), "{id}");
        let architectures = property(globals, function, "Architectures")
            .as_vec()
            .expect("Architectures");
        assert_eq!(architectures, &[Yaml::String("x86_64".into())], "{id}");
        let description = described(handler);
        let properties = get(function, "Properties");
        // A batch handler answers with batchItemFailures, which Lambda reads only when its event
        // source mapping says ReportBatchItemFailures: without it, one failure retries the whole batch.
        if description["batch"]["reportBatchItemFailures"] == true {
            let events = get(properties, "Events").as_hash().expect("a batch handler has events");
            assert!(!events.is_empty(), "{id}");
            for event in events.values() {
                let types = get(get(event, "Properties"), "FunctionResponseTypes").as_vec();
                assert_eq!(
                    types.map(Vec::as_slice),
                    Some(&[Yaml::String("ReportBatchItemFailures".into())][..]),
                    "{id}: the batch handler {handler}'s events report batch item failures"
                );
            }
        }
        if description["streaming"] == true && !get(properties, "FunctionUrlConfig").is_badvalue() {
            assert_eq!(
                get(get(properties, "FunctionUrlConfig"), "InvokeMode").as_str(),
                Some("RESPONSE_STREAM"),
                "{id}: the streaming handler {handler}'s URL streams"
            );
        }
        handlers.push((handler, function));
    }
    assert!(
        handlers
            .iter()
            .any(|(handler, _)| described(handler)["batch"].is_object()),
        "the template deploys a batch handler"
    );

    // The examples the template exists for, with the event sources and settings they need.
    let deployed = |name: &str| {
        let found = handlers.iter().find(|(handler, _)| *handler == name);
        get(found.unwrap_or_else(|| panic!("{name} is deployed")).1, "Properties")
    };
    let events = |name: &str| {
        get(deployed(name), "Events")
            .as_hash()
            .unwrap_or_else(|| panic!("{name} events"))
    };
    // hello.ALB is the target of a listener rule: its target group holds the function, and the rule
    // forwards the annotation's path to that group, on the listener the overrides define.
    let (_, hello) = handlers
        .iter()
        .find(|(handler, _)| *handler == "hello.ALB")
        .expect("hello.ALB is deployed");
    let hello_id = resources
        .iter()
        .find(|(_, resource)| std::ptr::eq(*resource, *hello))
        .and_then(|(id, _)| id.as_str())
        .expect("hello.ALB's logical id");
    let of_type = |kind: &'static str| {
        resources
            .iter()
            .filter(move |(_, r)| get(r, "Type").as_str() == Some(kind))
            .map(|(id, r)| (id.as_str().unwrap_or_default(), r))
    };
    let (group_id, group) = of_type("AWS::ElasticLoadBalancingV2::TargetGroup")
        .find(|(_, g)| get(&get(get(g, "Properties"), "Targets")[0], "Id")["Fn::GetAtt"][0].as_str() == Some(hello_id))
        .expect("a target group of hello.ALB");
    assert_eq!(get(get(group, "Properties"), "TargetType").as_str(), Some("lambda"));
    let permission = get(group, "DependsOn")
        .as_str()
        .expect("the group waits for its permission");
    assert_eq!(
        get(
            get(&resources[&Yaml::String(permission.into())], "Properties"),
            "Principal"
        )
        .as_str(),
        Some("elasticloadbalancing.amazonaws.com")
    );
    let (_, rule) = of_type("AWS::ElasticLoadBalancingV2::ListenerRule")
        .find(|(_, r)| {
            get(&get(get(r, "Properties"), "Actions")[0], "TargetGroupArn")["Ref"].as_str() == Some(group_id)
        })
        .expect("a listener rule forwarding to hello.ALB");
    let rule = get(rule, "Properties");
    assert_eq!(
        get(&get(rule, "Conditions")[0], "PathPatternConfig")["Values"][0].as_str(),
        Some("/hello*")
    );
    let listener = get(rule, "ListenerArn")["Ref"]
        .as_str()
        .expect("the listener of the overrides");
    assert_eq!(
        get(&resources[&Yaml::String(listener.into())], "Type").as_str(),
        Some("AWS::ElasticLoadBalancingV2::Listener")
    );
    // A streaming handler needs its URL in streaming mode, or Lambda buffers the body.
    let stream_url = get(deployed("stream.http"), "FunctionUrlConfig");
    assert_eq!(get(stream_url, "InvokeMode").as_str(), Some("RESPONSE_STREAM"));
    assert!(
        events("square.APIGW").values().any(|e| {
            let p = get(e, "Properties");
            get(e, "Type").as_str() == Some("Api")
                && get(p, "Path").as_str() == Some("/square")
                && get(p, "Method")
                    .as_str()
                    .is_some_and(|m| m.eq_ignore_ascii_case("post"))
        }),
        "square.APIGW has an Api event for POST /square"
    );
    let sqs = events("sqs.batch")
        .values()
        .find(|e| get(e, "Type").as_str() == Some("SQS"))
        .expect("an SQS event");
    let sqs = get(sqs, "Properties");
    let response_types = get(sqs, "FunctionResponseTypes").as_vec().map(Vec::as_slice);
    assert_eq!(
        response_types,
        Some(&[Yaml::String("ReportBatchItemFailures".into())][..])
    );
    // `{"Fn::GetAtt": [<queue>, Arn]}`, as the generated template writes it.
    let queue = get(get(sqs, "Queue"), "Fn::GetAtt")
        .as_vec()
        .expect("Queue: Fn::GetAtt [<queue>, Arn]");
    assert_eq!(queue[1].as_str(), Some("Arn"));
    let queue = queue[0].as_str().expect("the queue's logical id");
    assert_eq!(
        get(&resources[&Yaml::String(queue.into())], "Type").as_str(),
        Some("AWS::SQS::Queue")
    );
}

#[test]
fn the_release_profile_is_tuned_and_keeps_unwinding() {
    let text = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    let manifest: toml::Table = text.parse().unwrap();
    let release = &manifest["profile"]["release"];
    // `panic = "abort"` would kill the process on a handler panic instead of reporting `Runtime.Panic`.
    assert!(
        release.get("panic").is_none_or(|p| p.as_str() == Some("unwind")),
        "{release:?}"
    );
    let lto = release.get("lto");
    assert!(
        lto.is_some_and(|lto| lto.as_bool() == Some(true) || lto.as_str() == Some("fat")),
        "{release:?}"
    );
    assert_eq!(release.get("codegen-units").and_then(toml::Value::as_integer), Some(1));
    assert_eq!(release.get("strip").and_then(toml::Value::as_bool), Some(true));
}
