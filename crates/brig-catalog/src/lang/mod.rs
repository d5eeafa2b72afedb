//! Language-ecosystem catalogers: installed package metadata, lock files and binaries
//! that record what they were built from. Each module parses one ecosystem's files from
//! bytes (or a stream, for files too large to hold) and returns [`LangPackage`]s; it never
//! touches the filesystem. The pipeline decides which files reach which parser, and
//! `assemble` turns the results into SBOM packages with purls, locations and layers.
//!
//! Parsers are fed untrusted input: every one returns an error or a warning instead of
//! panicking, bounds what it keeps, and never recurses without a depth limit.

pub mod dotnet;
pub mod elf;
pub mod golang;
pub mod java;
pub mod javascript;
pub mod php;
pub mod python;
pub mod route;
pub mod ruby;
pub mod rust;
pub mod zipstream;

use brig_sbom::PackageKind;
use serde::{Deserialize, Serialize};

/// One package a language file lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LangPackage {
    /// `Pypi`, `Npm`, `Cargo`, `Golang`, `Maven`, `Gem`, `Composer` or `Nuget`.
    pub kind: PackageKind,
    /// The name as the ecosystem writes it, not normalised: a PyPI project name as its
    /// metadata spells it (`PyYAML`), npm `@scope/name`, Maven `group:artifact`, a Go
    /// module path (`stdlib` for the standard library), Composer `vendor/name`.
    pub name: String,
    pub version: String,
    /// Licences as declared (SPDX expressions or free text), in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    /// `Some(true)` for a direct dependency of the project the file describes,
    /// `Some(false)` for a transitive one, `None` when the file does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    /// `Some(true)` when the file marks the package as needed for development only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev: Option<bool>,
    /// Where inside the file the package was found, when that is not the file itself:
    /// a nested archive (`BOOT-INF/lib/spring-core-5.3.1.jar`), a lock-file key
    /// (`node_modules/a/node_modules/b`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_path: Option<String>,
    /// Go: the module that replaced this one (`path version` or a local directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

impl LangPackage {
    pub fn new(kind: PackageKind, name: impl Into<String>, version: impl Into<String>) -> Self {
        LangPackage {
            kind,
            name: name.into(),
            version: version.into(),
            licenses: Vec::new(),
            direct: None,
            dev: None,
            sub_path: None,
            replaced_by: None,
        }
    }
}

/// What one file gave: its packages, and what was wrong with it short of being unusable
/// (a skipped entry, a nested archive past the depth limit). Each warning is a sentence
/// without the file name; the caller prefixes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    pub packages: Vec<LangPackage>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A file that could not be used at all, and why (one sentence, no file name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl ParseError {
    pub fn new(msg: impl Into<String>) -> Self {
        ParseError(msg.into())
    }
}

/// Test helper: a fixture file under `crates/brig-catalog/tests/fixtures/`.
#[cfg(test)]
pub(crate) fn fixture(rel: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
}
