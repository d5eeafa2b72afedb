//! Which files catalogers read, and what each becomes. Parsing happens while a layer
//! streams past, so a layer's analysis (and its cache entry) holds parsed results, never
//! raw file content.

use std::collections::BTreeMap;

use brig_layer::{Visitor, Want};
use serde::{Deserialize, Serialize};

use crate::apk::{self, ApkEntry};
use crate::dpkg::{self, DpkgEntry};
use crate::rpm::{self, RpmPackage};

/// Bump when the rules below or the `Artifact` shape change: cached layer analyses made
/// under another version are then ignored.
pub const ANALYSIS_VERSION: &str = "catalog-v2";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    OsRelease,
    AlpineRelease,
    DebianVersion,
    DpkgStatus,
    DpkgList,
    Copyright,
    ApkDb,
    RpmDb,
}

impl FileKind {
    fn of(path: &str) -> Option<FileKind> {
        match path {
            "etc/os-release" | "usr/lib/os-release" => return Some(FileKind::OsRelease),
            "etc/alpine-release" => return Some(FileKind::AlpineRelease),
            "etc/debian_version" => return Some(FileKind::DebianVersion),
            "var/lib/dpkg/status" => return Some(FileKind::DpkgStatus),
            "lib/apk/db/installed" | "usr/lib/apk/db/installed" => return Some(FileKind::ApkDb),
            _ => {}
        }
        let (dir, name) = brig_layer::path::split_parent(path);
        match dir {
            "var/lib/dpkg/status.d" if !name.ends_with(".md5sums") => Some(FileKind::DpkgStatus),
            "var/lib/dpkg/info" if name.ends_with(".list") => Some(FileKind::DpkgList),
            _ if rpm::DB_DIRS.contains(&dir) && rpm::DB_FILES.contains(&name) => Some(FileKind::RpmDb),
            _ if name == "copyright"
                && dir.starts_with("usr/share/doc/")
                && !dir["usr/share/doc/".len()..].contains('/') =>
            {
                Some(FileKind::Copyright)
            }
            _ => None,
        }
    }

    /// Largest file of each kind worth reading; real ones are far smaller.
    fn max_size(self) -> u64 {
        match self {
            FileKind::OsRelease | FileKind::AlpineRelease | FileKind::DebianVersion => 64 << 10,
            FileKind::Copyright => 1 << 20,
            FileKind::DpkgStatus | FileKind::ApkDb => 256 << 20,
            FileKind::RpmDb => 1 << 30,
            FileKind::DpkgList => 0,
        }
    }
}

/// What a wanted file was found to contain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Artifact {
    OsRelease(BTreeMap<String, String>),
    AlpineRelease(String),
    DebianVersion(String),
    Dpkg {
        entries: Vec<DpkgEntry>,
        skipped: usize,
    },
    Copyright(Vec<String>),
    Apk {
        entries: Vec<ApkEntry>,
        skipped: usize,
    },
    Rpm {
        format: String,
        entries: Vec<RpmPackage>,
        skipped: Vec<String>,
    },
    /// The file could not be parsed; the message becomes a warning if the file survives
    /// into the final image.
    Unreadable(String),
}

/// The visitor handed to the layer reader.
#[derive(Default)]
pub struct Collector {
    pub artifacts: Vec<Artifact>,
}

impl Visitor for Collector {
    fn want(&self, path: &str) -> Option<Want> {
        let kind = FileKind::of(path)?;
        Some(match kind {
            FileKind::DpkgList => Want::Presence,
            k => Want::Content { max: k.max_size() },
        })
    }

    fn file(&mut self, path: &str, content: Vec<u8>) -> Option<u32> {
        let kind = FileKind::of(path)?;
        let text = || String::from_utf8_lossy(&content).into_owned();
        let artifact = match kind {
            FileKind::OsRelease => Artifact::OsRelease(crate::os_release::parse_os_release(&text())),
            FileKind::AlpineRelease => Artifact::AlpineRelease(text()),
            FileKind::DebianVersion => Artifact::DebianVersion(text()),
            FileKind::DpkgStatus => {
                let (entries, skipped) = dpkg::parse_status(&text());
                Artifact::Dpkg { entries, skipped }
            }
            FileKind::Copyright => Artifact::Copyright(dpkg::parse_copyright(&text())),
            FileKind::ApkDb => {
                let (entries, skipped) = apk::parse_installed(&text());
                Artifact::Apk { entries, skipped }
            }
            FileKind::RpmDb => match rpm::parse_db(&content) {
                Ok((format, entries, skipped)) => Artifact::Rpm { format, entries, skipped },
                Err(e) => Artifact::Unreadable(format!("rpm database: {e}")),
            },
            FileKind::DpkgList => return None,
        };
        self.artifacts.push(artifact);
        Some(self.artifacts.len() as u32 - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert_eq!(FileKind::of("etc/os-release"), Some(FileKind::OsRelease));
        assert_eq!(FileKind::of("var/lib/dpkg/status.d/base-files"), Some(FileKind::DpkgStatus));
        assert_eq!(FileKind::of("var/lib/dpkg/status.d/base-files.md5sums"), None);
        assert_eq!(FileKind::of("var/lib/dpkg/info/bash.list"), Some(FileKind::DpkgList));
        assert_eq!(FileKind::of("var/lib/dpkg/info/bash.md5sums"), None);
        assert_eq!(FileKind::of("usr/share/doc/bash/copyright"), Some(FileKind::Copyright));
        assert_eq!(FileKind::of("usr/share/doc/bash/examples/copyright"), None);
        assert_eq!(FileKind::of("usr/lib/sysimage/rpm/Packages.db"), Some(FileKind::RpmDb));
        assert_eq!(FileKind::of("var/lib/rpm/Name"), None);
        assert_eq!(FileKind::of("home/user/etc/os-release"), None);
    }
}
