//! Go module versions, as `golang.org/x/mod/semver` defines them.
//!
//! A version is `vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]`: the `v` is required, the short
//! forms `v1` and `v1.2` stand for `v1.0.0` and `v1.2.0` (and take no pre-release or build),
//! numbers have no leading zeros and no length limit, identifiers are non-empty `[0-9A-Za-z-]`
//! and numeric pre-release identifiers have no leading zeros. Build metadata (including Go's
//! `+incompatible`) plays no part in comparison, so versions that differ only in it are equal.
//!
//! [`compare_str`] follows `semver.Compare` on raw strings: every invalid string compares equal
//! to every other invalid string and below every valid version.

use std::cmp::Ordering;
use std::fmt;

use crate::VersionError;
use crate::digits::cmp_decimal;
use crate::semver::{cmp_prerelease, parse_pre_build};

const SCHEME: &str = "go";

/// Where the parts of a valid version lie in its text.
#[derive(Clone, Copy, Debug)]
struct Parts {
    major: (usize, usize),
    /// `None` for the short forms `vX` (minor and patch) and `vX.Y` (patch): they read as `0`.
    minor: Option<(usize, usize)>,
    patch: Option<(usize, usize)>,
    /// Pre-release without its `-`; empty range when absent.
    pre: (usize, usize),
    /// Build metadata without its `+`; empty range when absent.
    build: (usize, usize),
}

#[derive(Clone, Debug)]
pub struct GoVersion {
    /// The text that was parsed (always starts with `v`).
    text: Box<str>,
    /// `parse_lenient` added the `v`: `Display` leaves it out again.
    added_v: bool,
    parts: Parts,
}

impl GoVersion {
    /// Parses a Go module version; the `v` prefix is required.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        match parse_parts(s) {
            Some(parts) => Ok(GoVersion { text: s.into(), added_v: false, parts }),
            None => Err(VersionError::new(SCHEME, s, "not a valid Go module version (vMAJOR.MINOR.PATCH…)")),
        }
    }

    /// Like [`GoVersion::parse`], but adds the `v` when it is missing: OSV's Go ranges write
    /// versions as `1.2.3`. `Display` still prints the input as given.
    pub fn parse_lenient(s: &str) -> Result<Self, VersionError> {
        if s.starts_with('v') {
            return Self::parse(s);
        }
        let text = format!("v{s}");
        match parse_parts(&text) {
            Some(parts) => Ok(GoVersion { text: text.into(), added_v: true, parts }),
            None => Err(VersionError::new(SCHEME, s, "not a valid Go module version (MAJOR.MINOR.PATCH…)")),
        }
    }

    fn part(&self, range: (usize, usize)) -> &str {
        self.text.get(range.0..range.1).unwrap_or("")
    }

    pub fn major(&self) -> &str {
        self.part(self.parts.major)
    }

    pub fn minor(&self) -> &str {
        self.parts.minor.map_or("0", |r| self.part(r))
    }

    pub fn patch(&self) -> &str {
        self.parts.patch.map_or("0", |r| self.part(r))
    }

    /// The pre-release without its `-` (empty when there is none).
    pub fn pre(&self) -> &str {
        self.part(self.parts.pre)
    }

    /// The build metadata without its `+` (empty when there is none), e.g. `incompatible`.
    pub fn build(&self) -> &str {
        self.part(self.parts.build)
    }

    /// `vMAJOR.MINOR.PATCH[-PRERELEASE]`, as `semver.Canonical` writes it.
    pub fn canonical(&self) -> String {
        let mut out = format!("v{}.{}.{}", self.major(), self.minor(), self.patch());
        if !self.pre().is_empty() {
            out.push('-');
            out.push_str(self.pre());
        }
        out
    }
}

/// Reports whether `v` is a valid Go module version (`semver.IsValid`).
pub fn is_valid(v: &str) -> bool {
    parse_parts(v).is_some()
}

/// `semver.Canonical`: the version without build metadata and with short forms completed
/// (`v1.2` → `v1.2.0`, `v1.2.3+meta` → `v1.2.3`); `None` when `v` is invalid.
pub fn canonical(v: &str) -> Option<String> {
    GoVersion::parse(v).ok().map(|g| g.canonical())
}

/// `semver.Compare`: invalid strings are equal to each other and below every valid version.
pub fn compare_str(a: &str, b: &str) -> Ordering {
    match (GoVersion::parse(a), GoVersion::parse(b)) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Greater,
        (Err(_), Ok(_)) => Ordering::Less,
        (Err(_), Err(_)) => Ordering::Equal,
    }
}

/// Reports whether `v` is a pseudo-version as the go command recognises one:
/// `vX.0.0-yyyymmddhhmmss-rev`, `vX.Y.Z-pre.0.yyyymmddhhmmss-rev` or
/// `vX.Y.(Z+1)-0.yyyymmddhhmmss-rev`, optionally followed by build metadata (`+incompatible`).
/// Like the go command, it takes any non-empty alphanumeric revision (normally 12 hex digits).
pub fn is_pseudo_version(v: &str) -> bool {
    pseudo_shape(v).is_some()
}

/// The version a pseudo-version was derived from: `vX.Y.Z-pre` for `vX.Y.Z-pre.0.…`,
/// `vX.Y.Z` for `vX.Y.(Z+1)-0.…`, with its build metadata kept (`+incompatible`), as
/// `module.PseudoVersionBase` computes it. `None` when `v` is not a pseudo-version, when it has
/// no base (`vX.0.0-yyyymmddhhmmss-rev`), or when the go command rejects it (a `vX.Y.0-0.…`
/// form, whose patch cannot be decremented, or a base-less form with build metadata).
pub fn pseudo_base(v: &str) -> Option<String> {
    let shape = pseudo_shape(v)?;
    let build = shape.version.build();
    let build_suffix = if build.is_empty() { String::new() } else { format!("+{build}") };
    match shape.base_pre {
        None => None,
        Some("0") => {
            let patch = decrement_decimal(shape.version.patch())?;
            Some(format!("v{}.{}.{}{}", shape.version.major(), shape.version.minor(), patch, build_suffix))
        }
        Some(pre) => {
            let pre = pre.strip_suffix(".0")?;
            Some(format!(
                "v{}.{}.{}-{}{}",
                shape.version.major(),
                shape.version.minor(),
                shape.version.patch(),
                pre,
                build_suffix
            ))
        }
    }
}

struct PseudoShape<'a> {
    version: GoVersion,
    /// The pre-release before the timestamp: `None` for the `vX.0.0-timestamp-rev` form,
    /// `Some("0")` for `vX.Y.(Z+1)-0.…`, `Some("pre.0")` for `vX.Y.Z-pre.0.…`.
    base_pre: Option<&'a str>,
}

fn pseudo_shape(v: &str) -> Option<PseudoShape<'_>> {
    if v.bytes().filter(|&b| b == b'-').count() < 2 {
        return None;
    }
    let version = GoVersion::parse(v).ok()?;
    // Only the full form can carry a pre-release; take the pre-release from `v` itself so the
    // borrowed base pre-release outlives `version`.
    let pre = v.get(version.parts.pre.0..version.parts.pre.1)?;
    let (head, rev) = pre.rsplit_once('-')?;
    if rev.is_empty() || !rev.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let is_timestamp = |s: &str| s.len() == 14 && s.bytes().all(|b| b.is_ascii_digit());
    if is_timestamp(head) {
        // `vX.0.0-yyyymmddhhmmss-rev`: no base version.
        if version.minor() == "0" && version.patch() == "0" {
            return Some(PseudoShape { version, base_pre: None });
        }
        return None;
    }
    let (before_timestamp, timestamp) = head.rsplit_once('.')?;
    if !is_timestamp(timestamp) {
        return None;
    }
    // The component before the timestamp must be exactly `0`: `-0.` or `-pre.0.`.
    if before_timestamp != "0" && !before_timestamp.ends_with(".0") {
        return None;
    }
    Some(PseudoShape { version, base_pre: Some(before_timestamp) })
}

/// Subtracts one from a decimal digit string; `None` for zero (Go's `decDecimal` error).
fn decrement_decimal(digits: &str) -> Option<String> {
    let mut bytes = digits.as_bytes().to_vec();
    let mut i = bytes.len();
    loop {
        i = i.checked_sub(1)?;
        let b = bytes.get_mut(i)?;
        if *b == b'0' {
            *b = b'9';
        } else {
            *b -= 1;
            break;
        }
    }
    // `10` → `9`: drop the zero the borrow left in front, but keep a lone `0`.
    if bytes.len() > 1 && bytes.first() == Some(&b'0') {
        bytes.remove(0);
    }
    String::from_utf8(bytes).ok()
}

/// Parses `vMAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]` as `golang.org/x/mod/semver` does.
fn parse_parts(v: &str) -> Option<Parts> {
    let bytes = v.as_bytes();
    if bytes.first() != Some(&b'v') {
        return None;
    }
    let major = number(bytes, 1)?;
    let empty = (v.len(), v.len());
    if major.1 == v.len() {
        return Some(Parts { major, minor: None, patch: None, pre: empty, build: empty });
    }
    if bytes.get(major.1) != Some(&b'.') {
        return None;
    }
    let minor = number(bytes, major.1 + 1)?;
    if minor.1 == v.len() {
        return Some(Parts { major, minor: Some(minor), patch: None, pre: empty, build: empty });
    }
    if bytes.get(minor.1) != Some(&b'.') {
        return None;
    }
    let patch = number(bytes, minor.1 + 1)?;
    let (pre, build) = parse_pre_build(v, patch.1).ok()?;
    Some(Parts { major, minor: Some(minor), patch: Some(patch), pre, build })
}

/// A number without leading zeros starting at `start`: its byte range.
fn number(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    let mut end = start;
    while bytes.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    let len = end - start;
    if len == 0 || (len > 1 && bytes.get(start) == Some(&b'0')) {
        return None;
    }
    Some((start, end))
}

impl Ord for GoVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let number = |a: &str, b: &str| cmp_decimal(a.as_bytes(), b.as_bytes());
        number(self.major(), other.major())
            .then_with(|| number(self.minor(), other.minor()))
            .then_with(|| number(self.patch(), other.patch()))
            .then_with(|| cmp_prerelease(self.pre(), other.pre()))
    }
}

impl PartialOrd for GoVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GoVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GoVersion {}

impl fmt::Display for GoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = if self.added_v { self.text.get(1..).unwrap_or("") } else { &self.text };
        f.write_str(shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_and_build() {
        assert_eq!(canonical("v1").as_deref(), Some("v1.0.0"));
        assert_eq!(canonical("v1.2").as_deref(), Some("v1.2.0"));
        assert_eq!(canonical("v2.0.0+incompatible").as_deref(), Some("v2.0.0"));
        assert_eq!(canonical("v1-pre"), None);
        assert_eq!(compare_str("v1", "v1.0.0"), Ordering::Equal);
        assert_eq!(compare_str("v1.0.0+a", "v1.0.0+b"), Ordering::Equal);
        assert_eq!(compare_str("bad", "also bad"), Ordering::Equal);
        assert_eq!(compare_str("bad", "v0.0.0-0"), Ordering::Less);
    }

    #[test]
    fn huge_numbers() {
        assert_eq!(compare_str("v99999999999999999999999.0.0", "v9999999999999999999999.0.0"), Ordering::Greater);
        assert!(!is_valid("v01.0.0"));
        assert!(!is_valid("v1.0.0-01"));
        assert!(is_valid("v1.0.0+01"));
    }

    #[test]
    fn lenient() {
        let g = match GoVersion::parse_lenient("1.2.3") {
            Ok(g) => g,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(g.to_string(), "1.2.3");
        assert_eq!(g.canonical(), "v1.2.3");
        assert!(GoVersion::parse("1.2.3").is_err());
        assert!(GoVersion::parse_lenient("é").is_err());
    }

    #[test]
    fn pseudo_versions() {
        let cases = [
            ("v0.0.0-20191109021931-daa7c04131f5", true, None),
            ("v1.2.4-0.20191109021931-daa7c04131f5", true, Some("v1.2.3")),
            ("v1.2.4-0.20191109021931-daa7c04131f5+incompatible", true, Some("v1.2.3+incompatible")),
            ("v1.2.3-pre.0.20191109021931-daa7c04131f5", true, Some("v1.2.3-pre")),
            ("v1.2.10-0.20191109021931-daa7c04131f5", true, Some("v1.2.9")),
            ("v1.2.0-0.20191109021931-daa7c04131f5", true, None),
            ("v1.2.3-20191109021931-daa7c04131f5", false, None),
            ("v1.2.3-pre.1.20191109021931-daa7c04131f5", false, None),
            ("v1.2.4-0.0.20191109021931-daa7c04131f5", true, Some("v1.2.4-0")),
            ("v1.2.3", false, None),
            ("v1.2.4-0.2019110902193-daa7c04131f5", false, None),
        ];
        for (v, pseudo, base) in cases {
            assert_eq!(is_pseudo_version(v), pseudo, "{v}");
            assert_eq!(pseudo_base(v).as_deref(), base, "{v}");
        }
    }

    #[test]
    fn decrement() {
        assert_eq!(decrement_decimal("10").as_deref(), Some("9"));
        assert_eq!(decrement_decimal("100").as_deref(), Some("99"));
        assert_eq!(decrement_decimal("1").as_deref(), Some("0"));
        assert_eq!(decrement_decimal("0"), None);
    }
}
