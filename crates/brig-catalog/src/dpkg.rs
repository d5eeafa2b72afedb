//! dpkg: `/var/lib/dpkg/status` (one paragraph per package) and distroless images'
//! `/var/lib/dpkg/status.d/<name>` (one file per package, no `Status:` field); licences
//! from `/usr/share/doc/<package>/copyright`.

use serde::{Deserialize, Serialize};

use crate::control::{field, for_each_paragraph};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DpkgEntry {
    pub package: String,
    pub version: String,
    pub arch: Option<String>,
    /// `Source:` as written: `glibc` or `glibc (2.31-13+deb11u5)`.
    pub source: Option<String>,
    /// `Status:` (`install ok installed`); absent in `status.d` files.
    pub status: Option<String>,
    pub maintainer: Option<String>,
}

impl DpkgEntry {
    /// Whether the package's files are on disk. dpkg's states `not-installed` and
    /// `config-files` (removed, configuration kept: `rc` in `dpkg -l`) are not; the
    /// transitional states (`unpacked`, `half-configured`, `triggers-*`) are, and a
    /// scanner must report what is on disk.
    pub fn is_installed(&self) -> bool {
        let Some(status) = &self.status else {
            return true;
        };
        match status.split_whitespace().nth(2) {
            Some("not-installed" | "config-files") => false,
            Some(_) => true,
            None => false,
        }
    }

    /// The source package name and version, as `dpkg-query`'s `${source:Package}` and
    /// `${source:Version}` give them: the binary's own when `Source:` omits them.
    pub fn source(&self) -> (&str, &str) {
        let Some(src) = self.source.as_deref() else {
            return (&self.package, &self.version);
        };
        match src.split_once('(') {
            Some((name, rest)) => {
                let version = rest.trim_end().trim_end_matches(')').trim();
                let name = name.trim();
                (
                    if name.is_empty() { &self.package } else { name },
                    if version.is_empty() { &self.version } else { version },
                )
            }
            None => (src.trim(), &self.version),
        }
    }
}

/// Parses a status file or a `status.d` file. Paragraphs without `Package:` or
/// `Version:` are skipped (and counted), never guessed at.
pub fn parse_status(text: &str) -> (Vec<DpkgEntry>, usize) {
    let mut out = Vec::new();
    let mut skipped = 0;
    for_each_paragraph(text, |f| {
        let (Some(package), Some(version)) = (field(f, "Package"), field(f, "Version")) else {
            skipped += 1;
            return;
        };
        out.push(DpkgEntry {
            package: package.to_owned(),
            version: version.to_owned(),
            arch: field(f, "Architecture").map(str::to_owned),
            source: field(f, "Source").map(str::to_owned),
            status: field(f, "Status").map(str::to_owned),
            maintainer: field(f, "Maintainer").map(str::to_owned),
        });
    });
    (out, skipped)
}

/// Licence names from a copyright file: the `License:` fields of the machine-readable
/// format (DEP-5), or the `/usr/share/common-licenses/NAME` files an older free-form
/// file points to.
pub fn parse_copyright(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        let s = s.trim().trim_end_matches(['.', ',', ';', '"', '\'']);
        if is_short_name(s) && !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    };
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("License:") {
            push(v);
        }
        let mut rest = line;
        while let Some(at) = rest.find("/usr/share/common-licenses/") {
            rest = &rest[at + "/usr/share/common-licenses/".len()..];
            let name: String =
                rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+' | '_')).collect();
            push(&name);
        }
    }
    out
}

/// A licence short name (`GPL-2+`, `LGPL-2.1 or Artistic`, `GPL-2+ with OpenSSL
/// exception`), not a sentence that happens to follow `License:` in a free-form file.
fn is_short_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.split_whitespace().count() <= 8
        && s.chars().all(|c| c.is_ascii_alphanumeric() || " .+-_(),".contains(c))
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "\
Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Source: glibc (2.31-13+deb11u5)
Version: 2.31-13+deb11u5
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.

Package: libc6
Status: install ok installed
Architecture: i386
Source: glibc (2.31-13+deb11u5)
Version: 2.31-13+deb11u5

Package: coreutils
Status: install ok installed
Architecture: amd64
Source: coreutils (8.32-4)
Version: 8.32-4+b1

Package: diffutils
Status: install ok installed
Architecture: amd64
Version: 1:3.7-5

Package: oldpkg
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: broken
Status: install ok installed

Package: halfway
Status: install ok unpacked
Version: 2.0
";

    #[test]
    fn parses_status_with_sources_and_states() {
        let (entries, skipped) = parse_status(STATUS);
        assert_eq!(skipped, 1, "the paragraph without Version is skipped");
        let names: Vec<(&str, Option<&str>)> =
            entries.iter().map(|e| (e.package.as_str(), e.arch.as_deref())).collect();
        assert_eq!(
            names,
            [
                ("libc6", Some("amd64")),
                ("libc6", Some("i386")),
                ("coreutils", Some("amd64")),
                ("diffutils", Some("amd64")),
                ("oldpkg", Some("amd64")),
                ("halfway", None)
            ]
        );
        assert_eq!(entries[0].source(), ("glibc", "2.31-13+deb11u5"));
        assert_eq!(entries[2].source(), ("coreutils", "8.32-4"));
        assert_eq!(entries[3].source(), ("diffutils", "1:3.7-5"), "no Source: the binary's own name and version");
        assert!(entries[0].is_installed());
        assert!(!entries[4].is_installed(), "rc packages are not installed");
        assert!(entries[5].is_installed(), "unpacked packages have files on disk");
    }

    #[test]
    fn source_without_version_keeps_binary_version() {
        let e = DpkgEntry {
            package: "libx".into(),
            version: "1:2-3".into(),
            arch: None,
            source: Some("x".into()),
            status: None,
            maintainer: None,
        };
        assert_eq!(e.source(), ("x", "1:2-3"));
        assert!(e.is_installed(), "status.d entries have no Status and are installed");
    }

    #[test]
    fn copyright_licences() {
        let dep5 = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: x\nLicense: GPL-2+\n\nFiles: lib/*\nLicense: LGPL-2.1\n This library is free software\n\nLicense: GPL-2+\n";
        assert_eq!(parse_copyright(dep5), ["GPL-2+", "LGPL-2.1"]);
        let old = "On Debian systems, the complete text of the GNU General Public License\ncan be found in `/usr/share/common-licenses/GPL-3'.\n";
        assert_eq!(parse_copyright(old), ["GPL-3"]);
        let prose = "License: * Permission to use this software in any way is granted without\nLicense: GPL-2+ with OpenSSL exception\n";
        assert_eq!(parse_copyright(prose), ["GPL-2+ with OpenSSL exception"]);
    }
}
