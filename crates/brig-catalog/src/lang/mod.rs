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
mod json;
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

/// Most warnings one file gives; past this they are only counted.
pub(crate) const MAX_WARNINGS: usize = 50;

/// The warnings of one file: the first [`MAX_WARNINGS`] of them, then one sentence
/// counting the rest, so that a hostile file cannot grow them without bound.
#[derive(Debug, Default)]
pub(crate) struct Warnings {
    kept: Vec<String>,
    left_out: usize,
}

impl Warnings {
    pub(crate) fn push(&mut self, warning: String) {
        if self.kept.len() < MAX_WARNINGS {
            self.kept.push(warning);
        } else {
            self.left_out += 1;
        }
    }

    pub(crate) fn finish(mut self) -> Vec<String> {
        if self.left_out > 0 {
            self.kept.push(format!("{} more warnings like these were left out.", self.left_out));
        }
        self.kept
    }
}

/// `content` without a UTF-8 byte-order mark.
pub(crate) fn strip_bom(content: &[u8]) -> &[u8] {
    content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content)
}

/// How a JSON document must open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonOpening {
    Object,
    ObjectOrArray,
}

/// The JSON text without a byte-order mark or leading whitespace, after checking that
/// it opens the way the format requires. Checked up front because serde would otherwise
/// read a struct positionally out of an array. Errors name `file`.
pub(crate) fn json_text<'a>(content: &'a [u8], opening: JsonOpening, file: &str) -> Result<&'a [u8], ParseError> {
    let json = strip_bom(content).trim_ascii_start();
    match (json.first(), opening) {
        (None, _) => Err(ParseError::new(format!("{file} is empty"))),
        (Some(b'{'), _) | (Some(b'['), JsonOpening::ObjectOrArray) => Ok(json),
        (Some(_), JsonOpening::Object) => Err(ParseError::new(format!("{file} is not a JSON object"))),
        (Some(_), JsonOpening::ObjectOrArray) => Err(ParseError::new(format!("{file} is not a JSON array or object"))),
    }
}

/// A TOML document as a table. The `toml` parser bounds nesting itself (arrays, inline
/// tables and dotted keys alike, unless its `unbounded` feature is on), so hostile input
/// is an error rather than a stack overflow.
pub(crate) fn parse_toml(content: &[u8]) -> Result<toml::Table, ParseError> {
    let text = std::str::from_utf8(strip_bom(content)).map_err(|_| ParseError::new("The file is not UTF-8 text."))?;
    toml::from_str::<toml::Table>(text)
        .map_err(|error| ParseError::new(format!("The file is not valid TOML: {}.", bounded(error.message().trim()))))
}

/// Text from a file, shortened for a message and with control characters blanked.
pub(crate) fn bounded(text: &str) -> String {
    const LIMIT: usize = 80;
    let mut short: String = text.chars().take(LIMIT).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().nth(LIMIT).is_some() {
        short.push('…');
    }
    short
}

/// Test helper: a fixture file under `crates/brig-catalog/tests/fixtures/`.
#[cfg(test)]
pub(crate) fn fixture(rel: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_capped_and_counted() {
        let mut warnings = Warnings::default();
        for i in 0..MAX_WARNINGS + 7 {
            warnings.push(format!("w{i}"));
        }
        let kept = warnings.finish();
        assert_eq!(kept.len(), MAX_WARNINGS + 1);
        assert_eq!(kept[MAX_WARNINGS - 1], format!("w{}", MAX_WARNINGS - 1));
        assert_eq!(kept[MAX_WARNINGS], "7 more warnings like these were left out.");
        assert_eq!(Warnings::default().finish(), Vec::<String>::new());
    }

    #[test]
    fn json_text_checks_the_opening() {
        assert_eq!(json_text(b"\xEF\xBB\xBF \n{\"a\":1}", JsonOpening::Object, "x.json").unwrap(), b"{\"a\":1}");
        assert_eq!(json_text(b" [1]", JsonOpening::ObjectOrArray, "x.json").unwrap(), b"[1]");
        assert_eq!(json_text(b"\xEF\xBB\xBF  ", JsonOpening::Object, "x.json").unwrap_err().0, "x.json is empty");
        assert_eq!(json_text(b"[1]", JsonOpening::Object, "x.json").unwrap_err().0, "x.json is not a JSON object");
        assert_eq!(
            json_text(b"null", JsonOpening::ObjectOrArray, "x.json").unwrap_err().0,
            "x.json is not a JSON array or object"
        );
        assert_eq!(strip_bom(b"\xEF\xBB\xBFx"), b"x");
        assert_eq!(strip_bom(b"\xEF\xBBx"), b"\xEF\xBBx");
    }

    /// The `toml` parser's own depth limit is what keeps these from overflowing the stack:
    /// nothing scans for nesting before it.
    #[test]
    fn deeply_nested_toml_is_an_error_not_a_stack_overflow() {
        const DEEP: usize = 100_000;
        let cases = [
            format!("x = {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP)),
            format!("x = {}\n", "[".repeat(DEEP)),
            format!("x = {}1{}\n", "{a=".repeat(DEEP), "}".repeat(DEEP)),
            format!("x = {}\n", "{a = ".repeat(DEEP)),
            format!("x = {}{}\n", "[{a=".repeat(DEEP / 2), "}]".repeat(DEEP / 2)),
            format!("[{}]\n", vec!["a"; DEEP].join(".")),
            format!("[[{}]]\n", vec!["a"; DEEP].join(".")),
            format!("{} = 1\n", vec!["a"; DEEP].join(".")),
            format!("x = {{{} = 1}}\n", vec!["a"; DEEP].join(".")),
        ];
        for case in &cases {
            let error = parse_toml(case.as_bytes()).expect_err(&case[..40]);
            assert!(error.0.contains("recursion"), "{:?}…: {error}", &case[..40]);
        }
        // Real documents nest a few levels and are read.
        let table = parse_toml(b"\xEF\xBB\xBF[a.b.c]\nd = [[1, {e = [2]}]]\n").unwrap();
        assert!(table["a"]["b"]["c"]["d"].is_array());
    }
}
