//! `cargo lambda-rt`: new projects, packaging for AWS Lambda, the SAM template of the built binary.
//! Installed with `cargo install --path cargo-lambda-rt`, cargo runs it as `cargo lambda-rt <command>`; in
//! this repository `cargo xtask <command>` (an alias in `.cargo/config.toml`) runs it from source.

use std::process::ExitCode;

use cargo_lambda_rt::new::{NewOptions, new_project};
use cargo_lambda_rt::template::{TemplateOptions, template};
use cargo_lambda_rt::watch::{WatchOptions, watch};
use cargo_lambda_rt::{PackageOptions, Verdict, package};

const HELP: &str = "\
Usage: cargo lambda-rt <command>

Commands:
  new NAME  Create a lambda-rt project: a handler, its unit test, an event, a README
            (`--lambda-rt-path DIR`: depend on a lambda-rt checkout instead of crates.io)
  package   Build `bootstrap` in release mode, check that Lambda can run it, and zip it
            (`cargo lambda-rt package --help` for its options)
  template  Write the SAM template of the built binary (<package>/template.yaml) from `bootstrap manifest`
            and <package>/template.overrides.yaml; `--check`: fail if it would change
            (`-p`, `--bin`, `--overrides FILE`, `--out FILE`, `--code-uri URI`, `--architecture arm64` for a
            zip packaged with `--target aarch64-unknown-linux-gnu`)
  watch     Build, run `bootstrap serve`, and build and restart it when a source changes; a failed build
            keeps the last good one serving (`-p PACKAGE`; arguments after `--` go to `serve`)
";

const PACKAGE_HELP: &str = "\
Build a binary, check it for AWS Lambda's OS-only runtimes, and write target/lambda/<name>/bootstrap.zip
(one entry, `bootstrap`, mode 0755) ready for `aws lambda create-function --zip-file` or SAM's CodeUri.

The check reads the binary's glibc symbol versions: newer than 2.34 (provided.al2023) fails, newer than
2.26 (provided.al2) warns. A static binary (e.g. --target x86_64-unknown-linux-musl) always passes.

Usage: cargo lambda-rt package [OPTIONS] [-- <CARGO BUILD ARGS>...]

Options:
  -p, --package <NAME>   Package with the binary [default: the only one with a `bootstrap` binary]
      --bin <NAME>       Binary to ship as `bootstrap` [default: bootstrap]
      --name <DIR>       Folder under target/lambda/ [default: the package name]
      --target <TRIPLE>  Build for this target, e.g. aarch64-unknown-linux-gnu (Lambda arm64)
                         or x86_64-unknown-linux-musl (static)
      --profile <NAME>   Cargo profile [default: release]
  -q, --quiet            Hide cargo's progress lines
  -h, --help             Print this help

Arguments after `--` go to `cargo build`, e.g. `-- --features x --locked`.
";

enum Parsed {
    Help(&'static str),
    Package(PackageOptions),
    Template(TemplateOptions),
    New(NewOptions),
    Watch(WatchOptions),
}

/// `watch [-p PACKAGE] [-- SERVE ARGS]`.
fn parse_watch(rest: &[String]) -> Result<Parsed, String> {
    let mut options = WatchOptions::default();
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "-p" | "--package" => options.package = rest.next().cloned().ok_or("-p needs a package")?,
            "--" => {
                options.serve_args = rest.cloned().collect();
                break;
            }
            "-h" | "--help" => return Ok(Parsed::Help(HELP)),
            other => {
                return Err(format!(
                    "unknown option `{other}` for `watch` (`serve`'s go after `--`)"
                ));
            }
        }
    }
    Ok(Parsed::Watch(options))
}

/// `new NAME [--lambda-rt-path DIR]`.
fn parse_new(rest: &[String]) -> Result<Parsed, String> {
    let mut name = None;
    let mut path = None;
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--lambda-rt-path" => path = Some(rest.next().cloned().ok_or("--lambda-rt-path needs a folder")?.into()),
            "-h" | "--help" => return Ok(Parsed::Help(HELP)),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}` for `new`")),
            value if name.is_none() => name = Some(value.to_owned()),
            extra => return Err(format!("`new` takes one name, and `{extra}` is a second")),
        }
    }
    let name = name.ok_or("`new` needs the project's name: cargo lambda-rt new my-function")?;
    Ok(Parsed::New(NewOptions {
        name,
        lambda_rt_path: path,
    }))
}

/// `template [--check] [-p PACKAGE] [--bin BIN] [--overrides FILE] [--out FILE] [--code-uri URI]`.
fn parse_template(rest: &[String]) -> Result<Parsed, String> {
    let mut options = TemplateOptions::default();
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--check" => options.check = true,
            "-p" | "--package" => options.package = value()?,
            "--bin" => options.bin = value()?,
            "--overrides" => options.overrides = value()?.into(),
            "--out" => options.out = value()?.into(),
            "--code-uri" => options.code_uri = value()?,
            "--architecture" => options.architecture = Some(value()?),
            "-h" | "--help" => return Ok(Parsed::Help(HELP)),
            other => return Err(format!("unknown option `{other}` for `template`")),
        }
    }
    Ok(Parsed::Template(options))
}

fn parse(args: &[String]) -> Result<Parsed, String> {
    // `cargo lambda-rt x` runs `cargo-lambda-rt lambda-rt x`.
    let args = match args.first() {
        Some(first) if first == "lambda-rt" => &args[1..],
        _ => args,
    };
    let Some((command, rest)) = args.split_first() else {
        return Ok(Parsed::Help(HELP));
    };
    match command.as_str() {
        "-h" | "--help" | "help" => return Ok(Parsed::Help(HELP)),
        "package" => {}
        "template" => return parse_template(rest),
        "new" => return parse_new(rest),
        "watch" => return parse_watch(rest),
        other => return Err(format!("unknown command `{other}`")),
    }
    let mut options = PackageOptions::default();
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| rest.next().cloned())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag {
            "-h" | "--help" => return Ok(Parsed::Help(PACKAGE_HELP)),
            "-q" | "--quiet" => options.quiet = true,
            "-p" | "--package" => options.package = value()?,
            "--bin" => options.bin = value()?,
            "--name" => options.name = Some(value()?),
            "--target" => options.target = Some(value()?),
            "--profile" => options.profile = value()?,
            "--" => {
                options.cargo_args = rest.cloned().collect();
                break;
            }
            other => return Err(format!("unknown option `{other}` for `package`")),
        }
    }
    Ok(Parsed::Package(options))
}

/// Prints what a command did, or its error; the exit code.
fn reported(result: cargo_lambda_rt::Result<String>) -> ExitCode {
    match result {
        Ok(done) => {
            print!("{done}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(Parsed::Help(text)) => {
            print!("{text}");
            return ExitCode::SUCCESS;
        }
        Ok(Parsed::Package(options)) => options,
        Ok(Parsed::Watch(options)) => return reported(watch(&options).map(|()| String::new())),
        Ok(Parsed::New(options)) => {
            return reported(new_project(&options, &std::env::current_dir().unwrap_or_default()));
        }
        Ok(Parsed::Template(options)) => return reported(template(&options)),
        Err(why) => {
            eprintln!("error: {why}\n(see `cargo lambda-rt --help` and `cargo lambda-rt package --help`)");
            return ExitCode::from(2);
        }
    };
    match package(&options) {
        Ok(packaged) => {
            print!("{}", packaged.report());
            if let Verdict::Warn(why) = &packaged.verdict {
                eprintln!("warning: {why}");
            }
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("error: {why}");
            eprintln!("no zip was written");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn options(line: &str) -> PackageOptions {
        match parse(&args(line)) {
            Ok(Parsed::Package(options)) => options,
            _ => panic!("`{line}` should parse as package options"),
        }
    }

    #[test]
    fn defaults_package_the_examples_bootstrap() {
        let o = options("package");
        assert_eq!(
            (o.package.as_str(), o.bin.as_str(), o.profile.as_str()),
            ("", "bootstrap", "release")
        );
        assert_eq!((o.name, o.target, o.quiet), (None, None, false));
    }

    #[test]
    fn reads_every_option_in_both_spellings() {
        let o = options("package -p app --bin main --name=fn1 --target aarch64-unknown-linux-gnu --profile=dev -q");
        assert_eq!(
            (o.package.as_str(), o.bin.as_str(), o.name.as_deref()),
            ("app", "main", Some("fn1"))
        );
        assert_eq!(
            (o.target.as_deref(), o.profile.as_str(), o.quiet),
            (Some("aarch64-unknown-linux-gnu"), "dev", true)
        );
        let o = options("package --package=app -- --features x --locked");
        assert_eq!(o.package, "app");
        assert_eq!(o.cargo_args, ["--features", "x", "--locked"]);
    }

    #[test]
    fn help_and_mistakes() {
        assert!(matches!(parse(&[]), Ok(Parsed::Help(HELP))));
        assert!(matches!(parse(&args("--help")), Ok(Parsed::Help(HELP))));
        assert!(matches!(parse(&args("package -h")), Ok(Parsed::Help(PACKAGE_HELP))));
        assert_eq!(parse(&args("deploy")).err().unwrap(), "unknown command `deploy`");
        assert_eq!(parse(&args("package --bin")).err().unwrap(), "--bin needs a value");
        assert_eq!(
            parse(&args("package --fast")).err().unwrap(),
            "unknown option `--fast` for `package`"
        );
    }
}
