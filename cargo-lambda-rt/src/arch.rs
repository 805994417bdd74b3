//! The CPU architectures Lambda runs, by the names Lambda, Rust and humans give them.

use std::fmt;

/// The two CPU architectures Lambda runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    /// x86-64; Lambda's `x86_64`.
    X86_64,
    /// 64-bit ARM; Lambda's `arm64` (Graviton).
    Aarch64,
}

impl Arch {
    /// The name Lambda uses in `Architectures:` and `--architectures`.
    pub fn lambda_name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Aarch64 => "arm64",
        }
    }

    /// The Rust target that links statically with musl for this architecture (needs no glibc at all).
    pub fn musl_target(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64-unknown-linux-musl",
            Arch::Aarch64 => "aarch64-unknown-linux-musl",
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Arch::X86_64 => "x86_64",
            Arch::Aarch64 => "aarch64",
        })
    }
}
