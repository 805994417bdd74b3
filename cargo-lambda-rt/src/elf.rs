//! What an executable needs from the system it runs on, read from its ELF headers.

use std::path::Path;

use object::elf::{self, FileHeader64};
use object::read::elf::{FileHeader, SectionTable};
use object::{Endianness, FileKind};

use crate::{Arch, Context, Error, GlibcVersion, Result};

/// What [`inspect_elf`] found in an executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryInfo {
    /// The CPU architecture.
    pub arch: Arch,
    /// The shared libraries it loads (`DT_NEEDED`), in file order; empty for a static binary.
    pub needed_libraries: Vec<String>,
    /// Every `GLIBC_x.y` version its dynamic symbols require, sorted, without duplicates.
    pub glibc_versions: Vec<GlibcVersion>,
    /// The other version needs (`GCC_3.0` of libgcc_s, `GLIBC_PRIVATE`, ...), as `library: version`.
    pub other_versions: Vec<String>,
}

impl BinaryInfo {
    /// The newest glibc it needs; `None` for a binary that needs no glibc symbol version (static, or musl).
    pub fn highest_glibc(&self) -> Option<GlibcVersion> {
        self.glibc_versions.last().copied()
    }

    /// Whether it loads no shared library at all.
    pub fn is_static(&self) -> bool {
        self.needed_libraries.is_empty()
    }
}

/// Reads the executable at `path` (see [`inspect_elf`]).
pub fn inspect_file(path: &Path) -> Result<BinaryInfo> {
    let data = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    inspect_elf(&data).with_context(|| path.display())
}

/// The architecture of a Lambda executable, from its ELF header alone (the first 64 bytes suffice);
/// an error for anything Lambda cannot run (not ELF, 32-bit, big-endian, another machine).
pub fn machine(data: &[u8]) -> Result<Arch> {
    match FileKind::parse(data) {
        Ok(FileKind::Elf64) => {}
        Ok(FileKind::Elf32) => {
            return Err(Error::new(
                "a 32-bit ELF: Lambda runs 64-bit x86_64 or arm64 (aarch64) executables",
            ));
        }
        Ok(other) => {
            return Err(Error::new(format!(
                "not an ELF executable but {other:?}: Lambda runs Linux ELF"
            )));
        }
        Err(_) => {
            return Err(Error::new(
                "not an ELF executable (no ELF header): Lambda runs Linux ELF",
            ));
        }
    }
    let header = FileHeader64::<Endianness>::parse(data).context("invalid ELF header")?;
    let endian = header.endian().context("invalid ELF header")?;
    if endian != Endianness::Little {
        return Err(Error::new(
            "a big-endian ELF: Lambda runs little-endian x86_64 or arm64 executables",
        ));
    }
    match header.e_machine(endian) {
        elf::EM_X86_64 => Ok(Arch::X86_64),
        elf::EM_AARCH64 => Ok(Arch::Aarch64),
        other => Err(Error::new(format!(
            "an ELF for machine {} ({other:?}): Lambda runs x86_64 or arm64 (aarch64)",
            other.0
        ))),
    }
}

/// Reads an executable's architecture, needed libraries and symbol version needs.
///
/// Fails for anything Lambda cannot run: not an ELF file, a 32-bit or big-endian ELF, or a CPU other than
/// x86-64 and aarch64.
pub fn inspect_elf(data: &[u8]) -> Result<BinaryInfo> {
    let arch = machine(data)?;
    let header = FileHeader64::<Endianness>::parse(data).context("invalid ELF header")?;
    let endian = header.endian().context("invalid ELF header")?;
    let sections = header.sections(endian, data).context("invalid ELF section headers")?;
    let needed_libraries = needed_libraries(&sections, endian, data)?;
    let (glibc_versions, other_versions) = version_needs(&sections, endian, data)?;
    Ok(BinaryInfo {
        arch,
        needed_libraries,
        glibc_versions,
        other_versions,
    })
}

type Sections<'data> = SectionTable<'data, FileHeader64<Endianness>, &'data [u8]>;

/// The `DT_NEEDED` entries of the dynamic section.
fn needed_libraries(sections: &Sections<'_>, endian: Endianness, data: &[u8]) -> Result<Vec<String>> {
    let table = sections
        .dynamic_table(endian, data)
        .context("invalid ELF dynamic section")?;
    table
        .iter()
        .filter(|entry| entry.tag == elf::DT_NEEDED)
        .map(|entry| {
            let name = table.string(entry).context("invalid DT_NEEDED entry")?;
            Ok(String::from_utf8_lossy(name).into_owned())
        })
        .collect()
}

/// The version needs (`SHT_GNU_VERNEED`): glibc versions parsed and sorted, the rest as `library: version`.
fn version_needs(sections: &Sections<'_>, endian: Endianness, data: &[u8]) -> Result<(Vec<GlibcVersion>, Vec<String>)> {
    let mut glibc = Vec::new();
    let mut other = Vec::new();
    let Some((mut needs, link)) = sections
        .gnu_verneed(endian, data)
        .context("invalid ELF version needs")?
    else {
        return Ok((glibc, other));
    };
    let strings = sections
        .strings(endian, data, link)
        .context("invalid ELF version needs strings")?;
    while let Some((need, mut versions)) = needs.next().context("invalid ELF version need")? {
        let file = need.file(endian, strings).context("invalid ELF version need")?;
        let file = String::from_utf8_lossy(file);
        while let Some(version) = versions.next().context("invalid ELF version need")? {
            let name = version.name(endian, strings).context("invalid ELF version need")?;
            let name = String::from_utf8_lossy(name);
            match GlibcVersion::from_symbol_version(&name) {
                Some(v) => glibc.push(v),
                None => other.push(format!("{file}: {name}")),
            }
        }
    }
    glibc.sort();
    glibc.dedup();
    other.sort();
    other.dedup();
    Ok((glibc, other))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_a_64_bit_elf() {
        let not_elf = inspect_elf(b"#!/bin/sh\necho hello\n").unwrap_err().to_string();
        assert!(not_elf.contains("not an ELF executable"), "{not_elf}");

        let mut elf32 = vec![0x7f, b'E', b'L', b'F', 1, 1, 1];
        elf32.resize(64, 0);
        let elf32 = inspect_elf(&elf32).unwrap_err().to_string();
        assert!(elf32.contains("32-bit"), "{elf32}");
    }

    /// A bare 64-bit ELF header (no sections) for `machine`, little- or big-endian.
    fn header(machine: u16, little: bool) -> Vec<u8> {
        let mut h = vec![0u8; 64];
        h[..7].copy_from_slice(&[0x7f, b'E', b'L', b'F', 2, if little { 1 } else { 2 }, 1]);
        let put16 = |h: &mut Vec<u8>, at: usize, v: u16| {
            let bytes = if little { v.to_le_bytes() } else { v.to_be_bytes() };
            h[at..at + 2].copy_from_slice(&bytes);
        };
        put16(&mut h, 16, 2); // e_type: ET_EXEC
        put16(&mut h, 18, machine);
        h[20] = if little { 1 } else { 0 }; // e_version
        h[23] = if little { 0 } else { 1 };
        put16(&mut h, 52, 64); // e_ehsize
        h
    }

    #[test]
    fn names_lambdas_two_architectures() {
        let x86 = inspect_elf(&header(62, true)).unwrap();
        assert_eq!(
            (x86.arch, x86.arch.lambda_name(), x86.arch.to_string().as_str()),
            (Arch::X86_64, "x86_64", "x86_64")
        );
        let arm = inspect_elf(&header(183, true)).unwrap();
        assert_eq!(
            (arm.arch, arm.arch.lambda_name(), arm.arch.to_string().as_str()),
            (Arch::Aarch64, "arm64", "aarch64")
        );
        assert!(arm.is_static() && arm.highest_glibc().is_none(), "{arm:?}");

        let i386 = inspect_elf(&header(3, true)).unwrap_err().to_string();
        assert!(
            i386.contains("an ELF for machine 3") && i386.contains("Lambda runs x86_64 or arm64"),
            "{i386}"
        );
        let big = inspect_elf(&header(62, false)).unwrap_err().to_string();
        assert!(big.contains("big-endian"), "{big}");
    }

    #[test]
    fn reads_a_real_executable() {
        // This test binary was linked on this machine like `bootstrap`: same libc, same linker.
        let me = std::env::current_exe().unwrap();
        let info = inspect_file(&me).unwrap();
        assert_eq!(info.arch.to_string(), std::env::consts::ARCH);
        if cfg!(target_env = "gnu") {
            assert!(
                info.needed_libraries.iter().any(|lib| lib.starts_with("libc.so")),
                "{info:?}"
            );
            let highest = info.highest_glibc().unwrap();
            assert!(highest >= GlibcVersion::new(2, 2), "{info:?}");
            assert!(
                info.glibc_versions.windows(2).all(|w| w[0] < w[1]),
                "sorted, unique: {info:?}"
            );
        }
    }

    #[test]
    fn a_file_that_does_not_exist_says_which() {
        let err = inspect_file(Path::new("/nonexistent/bootstrap"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("cannot read /nonexistent/bootstrap: "), "{err}");
    }
}
