//! `cargo lambda-rt new NAME`: a project that builds, tests and runs locally as it is: one handler with
//! its unit test, an event to try it with, a README with the two commands, and the release profile Lambda
//! wants.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// What `new` makes.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// The project (and folder, and package) name.
    pub name: String,
    /// A lambda-rt checkout to depend on by path instead of the crates.io version.
    pub lambda_rt_path: Option<PathBuf>,
}

/// Writes the project into `parent/<name>`; returns what to do next.
pub fn new_project(options: &NewOptions, parent: &Path) -> Result<String> {
    let name = &options.name;
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(Error::new(format!(
            "`{name}` cannot be a package name: letters, digits, `-` and `_`, starting with a letter"
        )));
    }
    let dir = parent.join(name);
    if dir.exists() {
        return Err(Error::new(format!(
            "{} already exists: choose another name",
            dir.display()
        )));
    }
    let lambda_fn = match &options.lambda_rt_path {
        Some(path) => {
            let path = std::fs::canonicalize(path)
                .map_err(|e| Error::new(format!("--lambda-rt-path {}: {e}", path.display())))?;
            if !path.join("lambda-rt/Cargo.toml").exists() {
                return Err(Error::new(format!(
                    "--lambda-rt-path {}: not a lambda-rt checkout (no lambda-rt/Cargo.toml in it)",
                    path.display()
                )));
            }
            format!(
                "lambda-fn = {{ path = {:?}, features = [\"local\"] }}",
                path.join("lambda-rt").display().to_string()
            )
        }
        None => format!(
            "lambda-fn = {{ version = \"{}\", features = [\"local\"] }}",
            env!("CARGO_PKG_VERSION")
        ),
    };
    let files: [(&str, String); 5] = [
        ("Cargo.toml", cargo_toml(name, &lambda_fn)),
        ("src/main.rs", MAIN_RS.to_owned()),
        ("events/hello.json", "{\"name\": \"Ana\"}\n".to_owned()),
        ("README.md", readme(name)),
        (".gitignore", "/target\n".to_owned()),
    ];
    for (file, text) in files {
        let path = dir.join(file);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| Error::new(format!("{}: {e}", folder.display())))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::new(format!("{}: {e}", path.display())))?;
    }
    Ok(format!(
        "created {dir}\n  cd {name}\n  cargo run -- invoke hello events/hello.json   # run the handler locally\n  \
         cargo test                                   # its unit test\n",
        dir = dir.display()
    ))
}

fn cargo_toml(name: &str, lambda_fn: &str) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

# Lambda runs a file named `bootstrap` on its OS-only runtimes (provided.al2023).
[[bin]]
name = "bootstrap"
path = "src/main.rs"

[dependencies]
# `local`: `bootstrap serve`, the embedded emulator, for running the function on this machine.
{lambda_fn}
serde = {{ version = "1", features = ["derive"] }}

[dev-dependencies]
tokio = {{ version = "1", features = ["rt", "macros"] }}

# What Lambda should get: small (less to download at a cold start) and fast; panics still unwind, so the
# runtime reports them as Runtime.Panic and goes on.
[profile.release]
lto = true
codegen-units = 1
strip = true
opt-level = "s"
panic = "unwind"

# A project of its own, not a member of an enclosing workspace.
[workspace]
"#
    )
}

const MAIN_RS: &str = r#"//! A Lambda function: `hello` greets the `name` of its event.

use lambda_fn::{Context, Error, handler};
use serde::{Deserialize, Serialize};

/// The event.
#[derive(Debug, Deserialize)]
pub struct Greet {
    /// Who to greet.
    pub name: String,
}

/// The answer.
#[derive(Debug, PartialEq, Serialize)]
pub struct Greeting {
    /// The greeting.
    pub message: String,
}

#[handler("hello", memory = 128, timeout = 10)]
async fn hello(event: Greet, ctx: Context) -> Result<Greeting, Error> {
    if event.name.trim().is_empty() {
        return Err(Error::new("EmptyName", "say who to greet"));
    }
    Ok(Greeting {
        message: format!("hello {} from {}", event.name, ctx.env.function_name),
    })
}

fn main() {
    lambda_fn::run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn greets_by_name_and_refuses_no_name() {
        let greeting = hello(Greet { name: "Ana".into() }, Context::for_test()).await.unwrap();
        assert_eq!(greeting.message, "hello Ana from test-function");
        let empty = hello(Greet { name: " ".into() }, Context::for_test()).await.unwrap_err();
        assert_eq!(empty.error_type(), "EmptyName");
    }

    #[test]
    fn the_registrations_are_sound() {
        lambda_fn::check_registrations().unwrap();
    }
}
"#;

fn readme(name: &str) -> String {
    format!(
        r#"# {name}

An AWS Lambda function in Rust on [lambda-rt](https://example.invalid/lambda-rt).

```sh
cargo run -- invoke hello events/hello.json   # run the handler locally: no AWS account, no Docker
cargo test                                    # its unit test
```

`cargo run -- serve` starts the local emulator (the Lambda Invoke API on 127.0.0.1:9000).

Deploy: `cargo lambda-rt package` builds `target/lambda/{name}/bootstrap.zip` for `provided.al2023`,
`cargo lambda-rt template` writes `template.yaml` (AWS SAM) from the built binary's handlers, then
`sam deploy --guided`.
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_project_and_refuses_bad_names_and_existing_folders() {
        let parent = tempfile::tempdir().unwrap();
        let options = NewOptions {
            name: "my-fn".into(),
            lambda_rt_path: None,
        };
        let done = new_project(&options, parent.path()).unwrap();
        assert!(done.contains("cargo run -- invoke hello events/hello.json"), "{done}");
        let toml = std::fs::read_to_string(parent.path().join("my-fn/Cargo.toml")).unwrap();
        assert!(
            toml.contains("name = \"my-fn\"") && toml.contains("lambda-fn = { version ="),
            "{toml}"
        );
        assert!(parent.path().join("my-fn/src/main.rs").exists());
        let again = new_project(&options, parent.path()).unwrap_err();
        assert!(again.to_string().contains("already exists"), "{again}");
        for bad in ["1fn", "my fn", ""] {
            let options = NewOptions {
                name: bad.into(),
                lambda_rt_path: None,
            };
            assert!(new_project(&options, parent.path()).is_err(), "{bad:?}");
        }
        let not_a_checkout = NewOptions {
            name: "other".into(),
            lambda_rt_path: Some(parent.path().to_path_buf()),
        };
        assert!(
            new_project(&not_a_checkout, parent.path())
                .unwrap_err()
                .to_string()
                .contains("not a lambda-rt checkout")
        );
    }
}
