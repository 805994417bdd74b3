//! `package`: `cargo build`, then the checks, then the zip.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::{
    AL2_GLIBC, AL2023_GLIBC, BinaryInfo, Context, Error, Result, Verdict, ZIP_NAME, glibc_verdict, inspect_file,
    write_bootstrap_zip,
};

/// What to build and where to put the zip; [`Default`] packages the examples' `bootstrap` in release mode.
#[derive(Debug, Clone)]
pub struct PackageOptions {
    /// The workspace package that has the binary (`cargo build -p`); empty: the only package with a binary
    /// named [`bin`](Self::bin), or the root package.
    pub package: String,
    /// The binary target to ship (`cargo build --bin`); it is renamed `bootstrap` in the zip.
    pub bin: String,
    /// The folder under `target/lambda/` for the zip; `None` uses the package name.
    pub name: Option<String>,
    /// A target triple to build for (`cargo build --target`), e.g. `x86_64-unknown-linux-musl`.
    pub target: Option<String>,
    /// The cargo profile: `release` (what Lambda should get) unless testing the packaging itself.
    pub profile: String,
    /// More arguments for `cargo build`, e.g. `--features`, `--locked`.
    pub cargo_args: Vec<String>,
    /// Passes `--quiet` to cargo: no progress lines, errors still shown.
    pub quiet: bool,
    /// The workspace to build in.
    pub workspace: PathBuf,
}

impl Default for PackageOptions {
    fn default() -> Self {
        PackageOptions {
            package: String::new(),
            bin: "bootstrap".into(),
            name: None,
            target: None,
            profile: "release".into(),
            cargo_args: Vec::new(),
            quiet: false,
            workspace: workspace_root(),
        }
    }
}

impl PackageOptions {
    /// The folder name under `target/lambda/`, checked to be one plain path component.
    pub fn dir_name(&self) -> Result<&str> {
        let name = self.name.as_deref().unwrap_or(&self.package);
        if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
            return Err(Error::new(format!(
                "--name {name:?}: expected a plain folder name, like `examples`"
            )));
        }
        Ok(name)
    }

    /// Where [`package`] writes the zip: `<target dir>/lambda/<name>/bootstrap.zip`.
    pub fn zip_path(&self) -> Result<PathBuf> {
        Ok(target_directory(&self.workspace)?
            .join("lambda")
            .join(self.dir_name()?)
            .join(ZIP_NAME))
    }
}

/// The workspace of the current folder (`cargo locate-project --workspace`), or the folder itself.
pub fn workspace_root() -> PathBuf {
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let located = cargo(&here)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .stderr(Stdio::null())
        .output();
    match located {
        Ok(output) if output.status.success() => {
            let manifest = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
            manifest.parent().map_or(here, Path::to_path_buf)
        }
        _ => here,
    }
}

/// A workspace package that can be deployed: its name and folder.
#[derive(Debug, Clone)]
pub struct Deployable {
    /// The package name.
    pub name: String,
    /// The folder of its Cargo.toml.
    pub dir: PathBuf,
}

/// The package `package` names, or when it is empty the one to deploy: the workspace's only package with
/// a binary named `bin`, else the root package.
pub fn deployable(workspace: &Path, package: &str, bin: &str) -> Result<Deployable> {
    let metadata = metadata(workspace)?;
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    let dir = |p: &Value| {
        PathBuf::from(p["manifest_path"].as_str().unwrap_or_default())
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    let named = |p: &&Value| p["name"] == package;
    let has_bin = |p: &&Value| {
        p["targets"].as_array().is_some_and(|targets| {
            targets
                .iter()
                .any(|t| t["name"] == bin && t["kind"].as_array().is_some_and(|k| k.iter().any(|k| k == "bin")))
        })
    };
    let found = if package.is_empty() {
        let with_bin: Vec<&Value> = packages.iter().filter(has_bin).collect();
        match with_bin.as_slice() {
            [only] => Some(*only),
            _ => packages
                .iter()
                .find(|p| metadata["resolve"]["root"] == p["id"] || dir(p) == workspace),
        }
    } else {
        packages.iter().find(named)
    };
    match found {
        Some(p) => Ok(Deployable {
            name: p["name"].as_str().unwrap_or_default().to_owned(),
            dir: dir(p),
        }),
        None if package.is_empty() => Err(Error::new(format!(
            "which package has the function? No single package has a binary `{bin}`: say it with `-p <package>`"
        ))),
        None => Err(Error::new(format!(
            "no package `{package}` in the workspace at {}",
            workspace.display()
        ))),
    }
}

/// What [`package`] built and wrote.
#[derive(Debug, Clone)]
pub struct Packaged {
    /// The binary cargo built.
    pub binary: PathBuf,
    /// Its size in bytes.
    pub binary_size: u64,
    /// What it needs to run.
    pub info: BinaryInfo,
    /// The glibc check: [`Verdict::Ok`] or [`Verdict::Warn`] (a failing check is an error, and no zip is written).
    pub verdict: Verdict,
    /// The zip written.
    pub zip: PathBuf,
    /// Its size in bytes.
    pub zip_size: u64,
}

/// Builds the binary, checks it runs on `provided.al2023`, and writes the zip (see [`PackageOptions::zip_path`]).
///
/// Fails, without writing the zip, when the build fails or when the binary is not an x86_64/aarch64 Linux ELF or
/// needs a glibc newer than `provided.al2023`'s.
pub fn package(options: &PackageOptions) -> Result<Packaged> {
    let mut options = options.clone();
    let deployable = deployable(&options.workspace, &options.package, &options.bin)?;
    options.package = deployable.name.clone();
    let options = &options;
    if let Some(target) = &options.target {
        check_target_installed(target)?;
    }
    // The template beside the package says where the zip is deployed: a build for the other architecture
    // would fail there with an exec format error, so say it before building.
    let template = deployable.dir.join("template.yaml");
    if let Ok(text) = std::fs::read_to_string(&template) {
        check_template_architecture(&text, options.target.as_deref(), std::env::consts::ARCH)
            .map_err(|why| Error::new(format!("{}: {why}", template.display())))?;
    }
    let zip = options.zip_path()?;
    let binary = cargo_build(options)?;
    let binary_size = std::fs::metadata(&binary)
        .with_context(|| format!("cannot stat {}", binary.display()))?
        .len();
    let info = inspect_file(&binary)?;
    let verdict = glibc_verdict(info.highest_glibc(), info.arch);
    if let Verdict::Fail(why) = verdict {
        return Err(Error::new(why));
    }
    let zip_size = write_bootstrap_zip(&binary, &zip)?;
    Ok(Packaged {
        binary,
        binary_size,
        info,
        verdict,
        zip,
        zip_size,
    })
}

/// Checks that a template's `Globals.Function.Architectures` (as `cargo lambda-rt template` writes it) is
/// the architecture of a build for `target` (`None`: for this machine, `host_arch` in Rust's words).
/// A template without that setting, or not YAML, says nothing.
pub fn check_template_architecture(template: &str, target: Option<&str>, host_arch: &str) -> Result<()> {
    let Ok(docs) = yaml_rust2::YamlLoader::load_from_str(template) else {
        return Ok(());
    };
    let Some(deployed) = docs
        .first()
        .and_then(|doc| doc["Globals"]["Function"]["Architectures"][0].as_str())
    else {
        return Ok(());
    };
    let arch = target.and_then(|t| t.split('-').next()).unwrap_or(host_arch);
    let built = if arch == "aarch64" { "arm64" } else { arch };
    if built == deployed {
        return Ok(());
    }
    let wanted = if deployed == "arm64" {
        "aarch64-unknown-linux-gnu"
    } else {
        "x86_64-unknown-linux-gnu"
    };
    Err(Error::new(format!(
        "the template deploys on {deployed}, but this build is for {built}: package with `--target {wanted}`, or \
         generate the template again for {built} (`cargo lambda-rt template --architecture {built}`)"
    )))
}

/// Fails with how to install `target` when rustup says it is not installed.
fn check_target_installed(target: &str) -> Result<()> {
    let Ok(output) = Command::new("rustup").args(["target", "list", "--installed"]).output() else {
        return Ok(()); // no rustup: let cargo say what is missing
    };
    let installed = String::from_utf8_lossy(&output.stdout);
    if output.status.success() && !installed.lines().any(|line| line.trim() == target) {
        let hint = if target.starts_with("aarch64") {
            " (for Graviton, also a linker: e.g. `apt-get install gcc-aarch64-linux-gnu` and\n\
             CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc, or `cargo install cargo-zigbuild`)"
        } else {
            ""
        };
        return Err(Error::new(format!(
            "the Rust target {target} is not installed: run `rustup target add {target}`{hint}"
        )));
    }
    Ok(())
}

/// `cargo metadata --no-deps` of the workspace.
fn metadata(workspace: &Path) -> Result<Value> {
    let output = cargo(workspace)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        return Err(Error::new(format!("cargo metadata failed ({})", output.status)));
    }
    serde_json::from_slice(&output.stdout).context("cannot read cargo metadata's output")
}

/// The build's target folder, from `cargo metadata` (honours `CARGO_TARGET_DIR` and `build.target-dir`).
pub fn target_directory(workspace: &Path) -> Result<PathBuf> {
    let metadata = metadata(workspace)?;
    metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| Error::new("cargo metadata reported no target_directory"))
}

fn cargo(workspace: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(workspace);
    command
}

/// The `cargo build` arguments for these options.
fn build_args(options: &PackageOptions) -> Vec<String> {
    let mut args: Vec<String> = vec!["build".into(), "-p".into(), options.package.clone()];
    args.extend(["--bin".into(), options.bin.clone()]);
    if options.profile == "release" {
        args.push("--release".into());
    } else {
        args.extend(["--profile".into(), options.profile.clone()]);
    }
    if let Some(target) = &options.target {
        args.extend(["--target".into(), target.clone()]);
    }
    if options.quiet {
        args.push("--quiet".into());
    }
    args.push("--message-format=json-render-diagnostics".into());
    args.extend(options.cargo_args.iter().cloned());
    args
}

/// Runs `cargo build` (its progress and errors go to stderr) and returns the path of the binary it reports.
pub(crate) fn cargo_build(options: &PackageOptions) -> Result<PathBuf> {
    let args = build_args(options);
    let shown = format!("cargo {}", args.join(" "));
    let mut child = cargo(&options.workspace)
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot run {shown}"))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Error::new(format!("no output from {shown}")))?;
    let mut executable = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.with_context(|| format!("cannot read the output of {shown}"))?;
        if let Some(path) = executable_in(&line, &options.bin) {
            executable = Some(path);
        }
    }
    let status = child.wait().with_context(|| format!("cannot wait for {shown}"))?;
    if !status.success() {
        return Err(Error::new(format!("{shown} failed ({status}); its errors are above")));
    }
    executable.ok_or_else(|| Error::new(format!("{shown} reported no executable for binary `{}`", options.bin)))
}

/// The executable path of a `compiler-artifact` message for binary `bin`, if `line` is one.
fn executable_in(line: &str, bin: &str) -> Option<PathBuf> {
    let message: Value = serde_json::from_str(line).ok()?;
    let target = &message["target"];
    let is_bin = target["kind"]
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"));
    if message["reason"] != "compiler-artifact" || target["name"] != bin || !is_bin {
        return None;
    }
    message["executable"].as_str().map(PathBuf::from)
}

/// `12345678` -> `11.77 MiB (12345678 bytes)`.
pub fn human_size(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // sizes of files, far below 2^52
    let mib = bytes as f64 / (1024.0 * 1024.0);
    if mib >= 1.0 {
        format!("{mib:.2} MiB ({bytes} bytes)")
    } else {
        format!("{:.1} KiB ({bytes} bytes)", mib * 1024.0)
    }
}

impl Packaged {
    /// What `cargo xtask package` prints: the zip and its size, then what the binary needs.
    pub fn report(&self) -> String {
        let info = &self.info;
        let mut out = String::new();
        let _ = writeln!(out, "wrote {}: {}", self.zip.display(), human_size(self.zip_size));
        let _ = writeln!(
            out,
            "  bootstrap: {}, {}, ELF {}: deploy with Architectures: [{}]",
            self.binary.display(),
            human_size(self.binary_size),
            info.arch,
            info.arch.lambda_name()
        );
        if info.is_static() {
            let _ = writeln!(out, "  statically linked: loads no shared library");
        } else {
            let _ = writeln!(out, "  loads: {}", info.needed_libraries.join(", "));
        }
        match info.highest_glibc() {
            None => {
                let _ = writeln!(
                    out,
                    "  needs no glibc version: runs on provided.al2023 and provided.al2"
                );
            }
            Some(highest) => {
                let runs_on = match self.verdict {
                    Verdict::Ok => "provided.al2023 and provided.al2",
                    _ => "provided.al2023 only",
                };
                let _ = writeln!(
                    out,
                    "  needs GLIBC_{highest} at most (provided.al2023 has {AL2023_GLIBC}, provided.al2 has {AL2_GLIBC}): \
                     runs on {runs_on}"
                );
                let all: Vec<String> = info.glibc_versions.iter().map(ToString::to_string).collect();
                let _ = writeln!(out, "  glibc versions: {}", all.join(", "));
            }
        }
        if !info.other_versions.is_empty() {
            let _ = writeln!(out, "  other version needs: {}", info.other_versions.join(", "));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_build_for_the_other_architecture_than_the_templates_is_refused() {
        let arm = "Globals:\n  Function:\n    Architectures: [\"arm64\"]\n";
        let x86 = "Globals:\n  Function:\n    Architectures: [\"x86_64\"]\n";
        assert!(super::check_template_architecture(x86, None, "x86_64").is_ok());
        assert!(super::check_template_architecture(arm, Some("aarch64-unknown-linux-gnu"), "x86_64").is_ok());
        assert!(super::check_template_architecture(arm, None, "aarch64").is_ok());
        let error = super::check_template_architecture(arm, None, "x86_64")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(
                "deploys on arm64, but this build is for x86_64: package with `--target aarch64-unknown-linux-gnu`"
            ),
            "{error}"
        );
        let error = super::check_template_architecture(x86, Some("aarch64-unknown-linux-musl"), "x86_64")
            .unwrap_err()
            .to_string();
        assert!(error.contains("`--target x86_64-unknown-linux-gnu`"), "{error}");
        assert!(
            super::check_template_architecture("Resources: {}\n", None, "x86_64").is_ok(),
            "nothing said"
        );
        assert!(super::check_template_architecture(": not yaml: [", None, "x86_64").is_ok());
    }

    use super::*;

    #[test]
    fn builds_the_release_binary_by_default() {
        let options = PackageOptions {
            package: "examples".into(),
            ..PackageOptions::default()
        };
        assert_eq!(
            build_args(&options).join(" "),
            "build -p examples --bin bootstrap --release --message-format=json-render-diagnostics"
        );
        let options = PackageOptions {
            package: "app".into(),
            bin: "main".into(),
            target: Some("aarch64-unknown-linux-musl".into()),
            profile: "dev".into(),
            cargo_args: vec!["--locked".into()],
            quiet: true,
            ..PackageOptions::default()
        };
        assert_eq!(
            build_args(&options).join(" "),
            "build -p app --bin main --profile dev --target aarch64-unknown-linux-musl --quiet \
             --message-format=json-render-diagnostics --locked"
        );
    }

    #[test]
    fn finds_the_binary_in_cargo_messages() {
        let bin = r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"bootstrap"},"executable":"/t/release/bootstrap","fresh":true}"#;
        assert_eq!(
            executable_in(bin, "bootstrap"),
            Some(PathBuf::from("/t/release/bootstrap"))
        );
        assert_eq!(executable_in(bin, "other"), None);
        let lib = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"bootstrap"},"executable":null}"#;
        assert_eq!(executable_in(lib, "bootstrap"), None);
        assert_eq!(
            executable_in(r#"{"reason":"build-finished","success":true}"#, "bootstrap"),
            None
        );
        assert_eq!(executable_in("not json", "bootstrap"), None);
    }

    #[test]
    fn the_zip_folder_is_one_plain_name() {
        let named = |name: &str| PackageOptions {
            name: Some(name.into()),
            ..PackageOptions::default()
        };
        let examples = PackageOptions {
            package: "examples".into(),
            ..PackageOptions::default()
        };
        assert_eq!(examples.dir_name().unwrap(), "examples");
        assert_eq!(named("my-fn").dir_name().unwrap(), "my-fn");
        for bad in ["", ".", "..", "a/b", "../x", "a\\b"] {
            assert!(named(bad).dir_name().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_package_to_deploy_is_the_one_with_a_bootstrap_binary() {
        let workspace = workspace_root();
        let found = deployable(&workspace, "", "bootstrap").unwrap();
        assert_eq!(found.name, "examples");
        assert_eq!(found.dir, workspace.join("examples"));
        assert_eq!(
            deployable(&workspace, "lambda-fn", "bootstrap").unwrap().name,
            "lambda-fn"
        );
        let missing = deployable(&workspace, "nope", "bootstrap").unwrap_err();
        assert!(missing.to_string().contains("no package `nope`"), "{missing}");
    }

    #[test]
    fn sizes_read_like_sizes() {
        assert_eq!(human_size(1536), "1.5 KiB (1536 bytes)");
        assert_eq!(human_size(3 * 1024 * 1024 + 512 * 1024), "3.50 MiB (3670016 bytes)");
    }
}
