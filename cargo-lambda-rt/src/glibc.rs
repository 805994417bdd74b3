//! glibc symbol versions and the decision whether a binary fits Lambda's OS-only runtimes.

use std::fmt;

use crate::Arch;

/// A glibc symbol version such as `GLIBC_2.34` or `GLIBC_2.2.5` (missing parts are 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GlibcVersion {
    /// The major version, 2 for every glibc since 1997.
    pub major: u16,
    /// The minor version: glibc 2.34 has 34.
    pub minor: u16,
    /// The third part of the few versions that have one (`GLIBC_2.2.5`, the oldest x86_64 symbols).
    pub patch: u16,
}

/// The glibc of `provided.al2023` (Amazon Linux 2023).
pub const AL2023_GLIBC: GlibcVersion = GlibcVersion::new(2, 34);

/// The glibc of `provided.al2` (Amazon Linux 2).
pub const AL2_GLIBC: GlibcVersion = GlibcVersion::new(2, 26);

impl GlibcVersion {
    /// `major.minor`.
    pub const fn new(major: u16, minor: u16) -> Self {
        GlibcVersion { major, minor, patch: 0 }
    }

    /// Parses a version-need name: `GLIBC_2.34` gives 2.34; `GLIBC_PRIVATE`, `GCC_3.0` and the like give `None`.
    pub fn from_symbol_version(name: &str) -> Option<Self> {
        let mut parts = name.strip_prefix("GLIBC_")?.split('.');
        let mut next = |required: bool| match parts.next() {
            Some(part) => part.parse::<u16>().ok(),
            None if required => None,
            None => Some(0),
        };
        let version = GlibcVersion {
            major: next(true)?,
            minor: next(true)?,
            patch: next(false)?,
        };
        parts.next().is_none().then_some(version)
    }
}

impl fmt::Display for GlibcVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.patch != 0 {
            write!(f, ".{}", self.patch)?;
        }
        Ok(())
    }
}

/// Whether a binary's glibc needs fit Lambda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Runs on `provided.al2023` and `provided.al2`.
    Ok,
    /// Runs on `provided.al2023` but not on `provided.al2`; the message says so.
    Warn(String),
    /// Does not run on `provided.al2023`; the message says why and what to do.
    Fail(String),
}

/// Decides from the highest `GLIBC_x.y` a binary needs (`None`: static, or no glibc) whether it runs on
/// `provided.al2023` (glibc [`AL2023_GLIBC`]) and `provided.al2` (glibc [`AL2_GLIBC`]).
pub fn glibc_verdict(highest: Option<GlibcVersion>, arch: Arch) -> Verdict {
    let Some(needed) = highest else { return Verdict::Ok };
    let musl = arch.musl_target();
    if needed > AL2023_GLIBC {
        Verdict::Fail(format!(
            "bootstrap needs GLIBC_{needed} but provided.al2023 has {AL2023_GLIBC}: build on an older distro or for {musl}"
        ))
    } else if needed > AL2_GLIBC {
        Verdict::Warn(format!(
            "bootstrap needs GLIBC_{needed} but provided.al2 has {AL2_GLIBC}: it runs on provided.al2023 only \
             (for provided.al2, build on an older distro or for {musl})"
        ))
    } else {
        Verdict::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(name: &str) -> Option<GlibcVersion> {
        GlibcVersion::from_symbol_version(name)
    }

    #[test]
    fn parses_glibc_version_names() {
        assert_eq!(v("GLIBC_2.34"), Some(GlibcVersion::new(2, 34)));
        assert_eq!(
            v("GLIBC_2.2.5"),
            Some(GlibcVersion {
                major: 2,
                minor: 2,
                patch: 5
            })
        );
        for other in [
            "GLIBC_PRIVATE",
            "GCC_3.0",
            "GLIBC_2",
            "GLIBC_2.x",
            "GLIBC_2.3.4.5",
            "glibc_2.34",
            "",
        ] {
            assert_eq!(v(other), None, "{other}");
        }
    }

    #[test]
    fn orders_versions_numerically() {
        let mut versions: Vec<_> = ["GLIBC_2.34", "GLIBC_2.2.5", "GLIBC_2.3", "GLIBC_2.17", "GLIBC_2.3.4"]
            .into_iter()
            .filter_map(v)
            .collect();
        versions.sort();
        let shown: Vec<_> = versions.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["2.2.5", "2.3", "2.3.4", "2.17", "2.34"]);
    }

    #[test]
    fn static_binaries_and_old_glibc_pass() {
        assert_eq!(glibc_verdict(None, Arch::X86_64), Verdict::Ok);
        assert_eq!(glibc_verdict(v("GLIBC_2.2.5"), Arch::X86_64), Verdict::Ok);
        assert_eq!(glibc_verdict(v("GLIBC_2.26"), Arch::Aarch64), Verdict::Ok);
    }

    #[test]
    fn glibc_2_34_is_the_al2023_limit() {
        let Verdict::Warn(message) = glibc_verdict(v("GLIBC_2.34"), Arch::X86_64) else {
            panic!("2.34 must pass")
        };
        assert!(message.contains("provided.al2 has 2.26"), "{message}");
    }

    #[test]
    fn glibc_above_2_26_warns_for_al2() {
        assert_eq!(
            glibc_verdict(v("GLIBC_2.28"), Arch::X86_64),
            Verdict::Warn(
                "bootstrap needs GLIBC_2.28 but provided.al2 has 2.26: it runs on provided.al2023 only \
                 (for provided.al2, build on an older distro or for x86_64-unknown-linux-musl)"
                    .into()
            )
        );
        assert!(matches!(
            glibc_verdict(v("GLIBC_2.27"), Arch::Aarch64),
            Verdict::Warn(_)
        ));
    }

    #[test]
    fn glibc_above_2_34_fails_with_the_fix() {
        assert_eq!(
            glibc_verdict(v("GLIBC_2.35"), Arch::X86_64),
            Verdict::Fail(
                "bootstrap needs GLIBC_2.35 but provided.al2023 has 2.34: build on an older distro or for \
                 x86_64-unknown-linux-musl"
                    .into()
            )
        );
        assert_eq!(
            glibc_verdict(v("GLIBC_2.39"), Arch::Aarch64),
            Verdict::Fail(
                "bootstrap needs GLIBC_2.39 but provided.al2023 has 2.34: build on an older distro or for \
                 aarch64-unknown-linux-musl"
                    .into()
            )
        );
    }
}
