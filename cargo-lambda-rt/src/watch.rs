//! `cargo lambda-rt watch [-p PACKAGE] [-- SERVE ARGS]`: builds the function, runs `bootstrap serve` (the
//! local emulator, with `SERVE ARGS` such as `--http todos.api`), and when a source of the workspace
//! changes builds again and restarts it. A build that fails shows its errors and keeps the last good
//! build serving.

use std::path::{Component, Path};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher as _};

use crate::{Error, PackageOptions, Result};

/// What `watch` builds and serves.
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    /// The package (empty: the one with a `bootstrap` binary).
    pub package: String,
    /// Arguments after `bootstrap serve`.
    pub serve_args: Vec<String>,
}

/// Changes under `target/` or hidden folders (`.git`) are the build's own or not sources.
fn is_source(path: &Path, workspace: &Path) -> bool {
    let relative = path.strip_prefix(workspace).unwrap_or(path);
    !relative.components().any(|c| match c {
        Component::Normal(name) => name == "target" || name.to_string_lossy().starts_with('.'),
        _ => false,
    })
}

/// Serves until the process is stopped (Ctrl-C stops the emulator too).
pub fn watch(options: &WatchOptions) -> Result<()> {
    let workspace = crate::workspace_root();
    let package = crate::deployable(&workspace, &options.package, "bootstrap")?.name;
    let build = PackageOptions {
        package,
        profile: "dev".into(),
        quiet: true,
        workspace: workspace.clone(),
        ..PackageOptions::default()
    };
    let (changed, changes) = mpsc::channel();
    let root = workspace.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !event.kind.is_access()
            && event.paths.iter().any(|p| is_source(p, &root))
        {
            let _ = changed.send(());
        }
    })
    .map_err(|e| Error::new(format!("cannot watch {}: {e}", workspace.display())))?;
    watcher
        .watch(&workspace, RecursiveMode::Recursive)
        .map_err(|e| Error::new(format!("cannot watch {}: {e}", workspace.display())))?;
    let mut serving: Option<Child> = None;
    loop {
        eprintln!("[watch] building {}", build.package);
        match crate::build::cargo_build(&build) {
            Ok(binary) => {
                if let Some(mut old) = serving.take() {
                    let _ = old.kill();
                    let _ = old.wait();
                }
                let child = Command::new(&binary)
                    .arg("serve")
                    .args(&options.serve_args)
                    .env_remove("AWS_LAMBDA_RUNTIME_API")
                    .spawn()
                    .map_err(|e| Error::new(format!("cannot start {}: {e}", binary.display())))?;
                eprintln!("[watch] serving the new build (pid {})", child.id());
                serving = Some(child);
            }
            Err(why) => eprintln!(
                "[watch] the build failed ({why}); {}",
                if serving.is_some() {
                    "the last good build keeps serving"
                } else {
                    "nothing to serve yet"
                }
            ),
        }
        // The next change, then a pause so that an editor's burst of writes makes one build.
        if changes.recv().is_err() {
            return Ok(());
        }
        while changes.recv_timeout(Duration::from_millis(300)).is_ok() {}
    }
}

#[cfg(test)]
mod tests {
    use super::is_source;
    use std::path::Path;

    #[test]
    fn the_build_output_and_hidden_folders_are_not_sources() {
        let root = Path::new("/p");
        assert!(is_source(Path::new("/p/src/main.rs"), root));
        assert!(is_source(Path::new("/p/Cargo.toml"), root));
        assert!(!is_source(Path::new("/p/target/debug/bootstrap"), root));
        assert!(!is_source(Path::new("/p/.git/index"), root));
    }
}
