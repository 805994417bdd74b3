//! `cargo lambda-rt`: `package` builds `bootstrap`, checks that AWS Lambda can run it, and zips it;
//! `template` writes the SAM template of the built binary ([`template`]); `new` starts a project ([`new`]).
//!
//! The pieces are plain functions so that they can be tested one by one:
//! - [`inspect_elf`] / [`inspect_file`] read an executable's architecture, the shared libraries it needs and the
//!   `GLIBC_x.y` symbol versions it requires (from the ELF's `SHT_GNU_VERNEED` section, read with the `object`
//!   crate);
//! - [`glibc_verdict`] decides whether those versions fit Lambda's OS-only runtimes: `provided.al2023` ships glibc
//!   2.34 (more is an error), `provided.al2` ships 2.26 (more is a warning);
//! - [`write_bootstrap_zip`] writes the deployment package: one deflated entry `bootstrap`, mode 0755;
//! - [`package`] runs `cargo build` and ties the three together.

use std::fmt;

mod arch;
mod archive;
mod build;
mod elf;
mod glibc;
pub mod new;
pub mod template;
pub mod watch;

pub use arch::Arch;
pub use archive::{BOOTSTRAP, ZIP_NAME, write_bootstrap_zip};
pub use build::{
    Deployable, PackageOptions, Packaged, deployable, human_size, package, target_directory, workspace_root,
};
pub use elf::{BinaryInfo, inspect_elf, inspect_file};
pub use glibc::{AL2_GLIBC, AL2023_GLIBC, GlibcVersion, Verdict, glibc_verdict};

/// An error of a packaging step, with what was being done when it happened.
#[derive(Debug)]
pub struct Error {
    message: String,
}

impl Error {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds what was being done to an error from a lower layer (I/O, ELF parsing, zip, JSON).
pub trait Context<T> {
    /// Wraps the error as `"{what}: {error}"`.
    fn context(self, what: impl fmt::Display) -> Result<T>;

    /// Like [`context`](Context::context), building the description only on error.
    fn with_context<D: fmt::Display>(self, what: impl FnOnce() -> D) -> Result<T>;
}

impl<T, E: fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl fmt::Display) -> Result<T> {
        self.map_err(|e| Error::new(format!("{what}: {e}")))
    }

    fn with_context<D: fmt::Display>(self, what: impl FnOnce() -> D) -> Result<T> {
        self.map_err(|e| Error::new(format!("{}: {e}", what())))
    }
}
