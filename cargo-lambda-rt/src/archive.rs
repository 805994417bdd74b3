//! The deployment zip: one executable named `bootstrap` at the root, as Lambda's OS-only runtimes expect.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::{Context, Result};

/// The name of the executable Lambda's `provided.*` runtimes start, and of the zip's only entry.
pub const BOOTSTRAP: &str = "bootstrap";

/// The file name of the deployment package.
pub const ZIP_NAME: &str = "bootstrap.zip";

/// Writes `zip_path` with one deflated entry, `bootstrap`, holding the file at `binary` with unix mode 0755.
///
/// The entry's timestamp is fixed (1980-01-01), so the same binary gives a byte-identical zip and deploy tools
/// that skip unchanged uploads can skip it. Parent folders are created; the zip is written next to its final
/// path and renamed into place, so a failed run never leaves half a zip there and concurrent runs do not mix
/// their output. Returns the zip's size in bytes.
pub fn write_bootstrap_zip(binary: &Path, zip_path: &Path) -> Result<u64> {
    let mut input = File::open(binary).with_context(|| format!("cannot open {}", binary.display()))?;
    if let Some(dir) = zip_path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // A name of this process's own: two packaging runs into the same target folder never share a partial file.
    let partial = zip_path.with_extension(format!("zip.{}.partial", std::process::id()));
    let writing = || format!("cannot write {}", partial.display());
    let file = File::create(&partial).with_context(writing)?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o755)
        .last_modified_time(DateTime::default());
    zip.start_file(BOOTSTRAP, options).with_context(writing)?;
    std::io::copy(&mut input, &mut zip).with_context(|| format!("cannot zip {}", binary.display()))?;
    let mut out = zip.finish().with_context(writing)?;
    out.flush().with_context(writing)?;
    let file = out.into_inner().map_err(|e| e.into_error()).with_context(writing)?;
    file.sync_all().with_context(writing)?;
    drop(file);
    std::fs::rename(&partial, zip_path)
        .with_context(|| format!("cannot move {} to {}", partial.display(), zip_path.display()))?;
    let size = std::fs::metadata(zip_path)
        .with_context(|| format!("cannot stat {}", zip_path.display()))?
        .len();
    Ok(size)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn one_executable_entry_at_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("some-binary");
        let content: Vec<u8> = (0..100_000u32).map(|i| (i % 7) as u8).collect();
        std::fs::write(&binary, &content).unwrap();
        let zip_path = dir.path().join("out/lambda/bootstrap.zip");

        let size = write_bootstrap_zip(&binary, &zip_path).unwrap();
        assert_eq!(size, std::fs::metadata(&zip_path).unwrap().len());
        assert!(size < 10_000, "deflated: {size}");
        let left: Vec<_> = std::fs::read_dir(zip_path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["bootstrap.zip"], "no partial file left");

        let mut archive = zip::ZipArchive::new(File::open(&zip_path).unwrap()).unwrap();
        assert_eq!(archive.len(), 1);
        let mut entry = archive.by_index(0).unwrap();
        assert_eq!(entry.name().unwrap(), "bootstrap");
        assert_eq!(entry.compression(), CompressionMethod::Deflated);
        assert_eq!(entry.unix_mode().map(|mode| mode & 0o777), Some(0o755));
        assert!(entry.is_file());
        let mut unpacked = Vec::new();
        entry.read_to_end(&mut unpacked).unwrap();
        assert_eq!(unpacked, content);
    }

    #[test]
    fn same_binary_same_zip() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("bin");
        std::fs::write(&binary, b"\x7fELF not really").unwrap();
        let (a, b) = (dir.path().join("a.zip"), dir.path().join("b.zip"));
        write_bootstrap_zip(&binary, &a).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        write_bootstrap_zip(&binary, &b).unwrap();
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    }

    #[test]
    fn a_missing_binary_says_which() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_bootstrap_zip(&dir.path().join("nope"), &dir.path().join("x.zip")).unwrap_err();
        assert!(err.to_string().starts_with("cannot open "), "{err}");
        assert!(!dir.path().join("x.zip").exists());
    }
}
