//! Which files catalogers read, and what each becomes. Parsing happens while a layer
//! streams past, so a layer's analysis (and its cache entry) holds parsed results, never
//! raw file content.

use std::collections::BTreeMap;

use brig_layer::{Visitor, Want};
use serde::{Deserialize, Serialize};

use crate::apk::{self, ApkEntry};
use crate::dpkg::{self, DpkgEntry};
use crate::lang::route::LangFile;
use crate::lang::{self, Parsed};
use crate::rpm::{self, RpmPackage};

/// Bump when the rules below, a parser or the `Artifact` shape change: cached layer
/// analyses made under another version are then ignored. The crate version is part of it,
/// so that no release reads another release's analyses, whatever was forgotten here.
pub const ANALYSIS_VERSION: &str = concat!("catalog-v4-", env!("CARGO_PKG_VERSION"));

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
    Lang(LangFile),
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
            _ if rpm::is_db_path(path) => Some(FileKind::RpmDb),
            _ if name == "copyright"
                && dir.starts_with("usr/share/doc/")
                && !dir["usr/share/doc/".len()..].contains('/') =>
            {
                Some(FileKind::Copyright)
            }
            _ => LangFile::of(path).map(FileKind::Lang),
        }
    }

    /// Largest file of each kind worth reading; real ones are far smaller.
    fn max_size(self) -> u64 {
        match self {
            FileKind::OsRelease | FileKind::AlpineRelease | FileKind::DebianVersion => 64 << 10,
            FileKind::Copyright => 1 << 20,
            FileKind::DpkgStatus | FileKind::ApkDb => 256 << 20,
            FileKind::RpmDb => 1 << 30,
            FileKind::DpkgList => 64 << 20,
            FileKind::Lang(f) => f.max_size(),
        }
    }
}

/// Whether a path an OS package lists may matter for ownership: a file a language
/// cataloger reads, an installed-metadata directory, or a possible executable (no
/// extension, or a shared object). Keeping only these keeps the per-layer analysis small
/// (a package list names every file of every package).
pub(crate) fn ownership_relevant(path: &str) -> bool {
    let name = brig_layer::path::split_parent(path).1;
    !name.contains('.')
        || name.ends_with(".so")
        || name.contains(".so.")
        || name.ends_with(".dist-info")
        || name.ends_with(".egg-info")
        || name.ends_with(".egg")
        || LangFile::of(path).is_some()
}

/// `/usr/bin/x` as a package database lists it → `usr/bin/x`, as the index names it.
pub(crate) fn listed_path(line: &str) -> Option<String> {
    let p = brig_layer::path::normalize(line.trim_end_matches('\r')).ok()?;
    (!p.is_empty()).then_some(p)
}

/// A language parser must never take the scan down: a panic in one becomes a warning
/// about the file (and a bug to fix).
fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T, lang::ParseError>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("the {what} parser failed on this file (a bug in brig; please report it)")),
    }
}

fn parse_lang(file: LangFile, content: &[u8]) -> Result<Parsed, String> {
    use lang::*;
    let one = |p: Option<LangPackage>| Parsed { packages: p.into_iter().collect(), warnings: vec![] };
    match file {
        LangFile::PythonMetadata => {
            guarded("Python metadata", || python::parse_metadata(content).map(|p| one(Some(p))))
        }
        LangFile::PythonRequirements => guarded("requirements", || Ok(python::parse_requirements(content))),
        LangFile::PoetryLock => guarded("poetry.lock", || python::parse_poetry_lock(content)),
        LangFile::PipfileLock => guarded("Pipfile.lock", || python::parse_pipfile_lock(content)),
        LangFile::UvLock => guarded("uv.lock", || python::parse_uv_lock(content)),
        LangFile::NpmPackageJson => guarded("package.json", || javascript::parse_package_json(content).map(one)),
        LangFile::NpmLock => guarded("package-lock", || javascript::parse_package_lock(content)),
        LangFile::YarnLock => guarded("yarn.lock", || javascript::parse_yarn_lock(content)),
        LangFile::PnpmLock => guarded("pnpm-lock", || javascript::parse_pnpm_lock(content)),
        LangFile::CargoLock => guarded("Cargo.lock", || rust::parse_cargo_lock(content)),
        LangFile::GoMod => guarded("go.mod", || golang::parse_go_mod(content)),
        LangFile::GoSum => guarded("go.sum", || Ok(golang::parse_go_sum(content))),
        LangFile::Gemspec => guarded("gemspec", || ruby::parse_gemspec(content).map(one)),
        LangFile::GemfileLock => guarded("Gemfile.lock", || ruby::parse_gemfile_lock(content)),
        LangFile::ComposerLock => guarded("composer.lock", || php::parse_composer_lock(content)),
        LangFile::ComposerInstalled => guarded("installed.json", || php::parse_installed_json(content)),
        LangFile::DotnetDeps => guarded("deps.json", || dotnet::parse_deps_json(content)),
        LangFile::JavaArchive | LangFile::PythonEgg => Err("an archive is read as a stream".into()),
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
    /// The paths of a dpkg `info/<pkg>.list` that matter for ownership.
    DpkgFiles(Vec<String>),
    /// What a language file lists.
    Lang {
        file: LangFile,
        parsed: Parsed,
    },
    /// What an executable records about how it was built (Go build info, cargo-auditable).
    Binary(Parsed),
    /// The file could not be parsed; the message becomes a warning if the file survives
    /// into the final image.
    Unreadable(String),
}

/// The visitor handed to the layer reader.
#[derive(Default)]
pub struct Collector {
    pub artifacts: Vec<Artifact>,
}

impl Collector {
    fn push(&mut self, a: Artifact) -> Option<u32> {
        self.artifacts.push(a);
        Some(self.artifacts.len() as u32 - 1)
    }
}

/// The smallest executable worth sniffing: anything shorter is a script stub.
const MIN_BINARY: u64 = 1024;

impl Visitor for Collector {
    fn want(&self, path: &str) -> Option<Want> {
        let kind = FileKind::of(path)?;
        Some(match kind {
            FileKind::Lang(LangFile::JavaArchive | LangFile::PythonEgg) => Want::Stream,
            k => Want::Content { max: k.max_size() },
        })
    }

    fn sniff_len(&self, _path: &str, size: u64, mode: u32) -> usize {
        // Executables (any execute bit) and shared objects may carry build information.
        if size >= MIN_BINARY && mode & 0o111 != 0 { lang::elf::SNIFF_LEN } else { 0 }
    }

    fn stream(&mut self, path: &str, size: u64, head: &[u8], rest: &mut dyn std::io::Read) -> Option<u32> {
        if let Some(FileKind::Lang(file @ (LangFile::JavaArchive | LangFile::PythonEgg))) = FileKind::of(path) {
            let mut all = std::io::Read::chain(head, rest);
            let parsed = match file {
                LangFile::JavaArchive => {
                    let name = brig_layer::path::split_parent(path).1;
                    guarded("Java archive", || lang::java::parse_archive(name, &mut all))
                }
                _ => guarded("Python egg", || lang::python::parse_egg(&mut all)),
            };
            return self.push(match parsed {
                Ok(parsed) => Artifact::Lang { file, parsed },
                Err(e) => Artifact::Unreadable(e),
            });
        }
        if !lang::elf::is_candidate(head) {
            return None;
        }
        match guarded("executable", || lang::elf::scan_binary(head, rest, size)) {
            Ok(p) if p.packages.is_empty() && p.warnings.is_empty() => None,
            Ok(p) => self.push(Artifact::Binary(p)),
            Err(e) => self.push(Artifact::Unreadable(e)),
        }
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
            FileKind::DpkgList => Artifact::DpkgFiles(
                String::from_utf8_lossy(&content)
                    .lines()
                    .filter_map(listed_path)
                    .filter(|p| ownership_relevant(p))
                    .collect(),
            ),
            FileKind::Lang(file) => match parse_lang(file, &content) {
                Ok(parsed) => Artifact::Lang { file, parsed },
                Err(e) => Artifact::Unreadable(e),
            },
        };
        self.push(artifact)
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
        assert_eq!(FileKind::of("app/node_modules/x/package.json"), Some(FileKind::Lang(LangFile::NpmPackageJson)));
    }
}
