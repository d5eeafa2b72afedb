//! SemVer 2.0.0 as Cargo (the `semver` crate) reads it.
//!
//! Parsing is strict: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`, no whitespace, no `v` prefix,
//! no leading zeros in the three numbers or in numeric pre-release identifiers (build metadata
//! may have them), identifiers non-empty and made of `[0-9A-Za-z-]`.
//!
//! MAJOR, MINOR and PATCH must fit in a `u64`: larger numbers are an error, as in Cargo.
//! Numeric pre-release and build identifiers have no length limit (compared as digit strings).
//!
//! `Ord` is SemVer precedence followed by build metadata as a final tie-breaker, the order of
//! the `semver` crate (so that `Eq` agrees with `Ord`); [`SemVer::cmp_precedence`] is pure
//! SemVer 2.0 precedence, which ignores build metadata (what OSV `SEMVER` ranges use).

use std::cmp::Ordering;
use std::fmt;

use crate::VersionError;
use crate::digits::cmp_decimal;

const SCHEME: &str = "semver";

#[derive(Clone, Debug)]
pub struct SemVer {
    raw: Box<str>,
    major: u64,
    minor: u64,
    patch: u64,
    /// Byte range of the pre-release (without `-`) in `raw`; empty when absent.
    pre: (usize, usize),
    /// Byte range of the build metadata (without `+`) in `raw`; empty when absent.
    build: (usize, usize),
}

impl SemVer {
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let err = |reason: &str| VersionError::new(SCHEME, s, reason);
        let bytes = s.as_bytes();
        let mut pos = 0;
        let mut numbers = [0u64; 3];
        for (i, slot) in numbers.iter_mut().enumerate() {
            let start = pos;
            while pos < bytes.len() && bytes[pos].is_ascii_digit() {
                pos += 1;
            }
            let digits = &s[start..pos];
            if digits.is_empty() {
                return Err(err("expected a number"));
            }
            if digits.len() > 1 && digits.starts_with('0') {
                return Err(err("leading zero in a version number"));
            }
            *slot = digits.parse::<u64>().map_err(|_| err("version number does not fit in 64 bits"))?;
            if i < 2 {
                if bytes.get(pos) != Some(&b'.') {
                    return Err(err("expected MAJOR.MINOR.PATCH"));
                }
                pos += 1;
            }
        }
        let (pre, build) = parse_pre_build(s, pos).map_err(err)?;
        Ok(SemVer { raw: s.into(), major: numbers[0], minor: numbers[1], patch: numbers[2], pre, build })
    }

    pub fn major(&self) -> u64 {
        self.major
    }

    pub fn minor(&self) -> u64 {
        self.minor
    }

    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The pre-release without its `-` (empty when there is none).
    pub fn pre(&self) -> &str {
        self.raw.get(self.pre.0..self.pre.1).unwrap_or("")
    }

    /// The build metadata without its `+` (empty when there is none).
    pub fn build(&self) -> &str {
        self.raw.get(self.build.0..self.build.1).unwrap_or("")
    }

    /// SemVer 2.0 precedence: build metadata ignored.
    pub fn cmp_precedence(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| cmp_prerelease(self.pre(), other.pre()))
    }
}

/// A byte range `(start, end)` in a version's text.
pub(crate) type Span = (usize, usize);

/// Parses the rest of `s` from `pos` (just after PATCH) as `[-PRERELEASE][+BUILD]` and nothing
/// more: the byte ranges of the pre-release and of the build metadata without their `-`/`+`
/// (empty ranges when absent), or why the rest is not that. Go module versions share it.
pub(crate) fn parse_pre_build(s: &str, mut pos: usize) -> Result<(Span, Span), &'static str> {
    let bytes = s.as_bytes();
    let mut pre = (pos, pos);
    if bytes.get(pos) == Some(&b'-') {
        let start = pos + 1;
        let end = s.get(start..).and_then(|rest| rest.find('+')).map_or(s.len(), |i| start + i);
        if !s.get(start..end).is_some_and(|p| valid_identifiers(p, true)) {
            return Err("invalid pre-release");
        }
        pre = (start, end);
        pos = end;
    }
    let mut build = (pos, pos);
    if bytes.get(pos) == Some(&b'+') {
        let start = pos + 1;
        if !s.get(start..).is_some_and(|b| valid_identifiers(b, false)) {
            return Err("invalid build metadata");
        }
        build = (start, s.len());
        pos = s.len();
    }
    if pos != s.len() {
        return Err("unexpected character after the version");
    }
    Ok((pre, build))
}

/// Dot-separated, non-empty identifiers of `[0-9A-Za-z-]`; pre-release numeric identifiers
/// may not have leading zeros.
fn valid_identifiers(s: &str, no_leading_zero: bool) -> bool {
    s.split('.').all(|id| {
        !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !(no_leading_zero && id.len() > 1 && id.starts_with('0') && is_numeric(id))
    })
}

fn is_numeric(id: &str) -> bool {
    id.bytes().all(|b| b.is_ascii_digit())
}

/// Precedence of pre-releases: none ranks above any; identifiers left to right, numeric below
/// alphanumeric, numeric by value, alphanumeric in ASCII order, a prefix below the longer list.
/// Go module versions share it.
pub(crate) fn cmp_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    cmp_identifier_lists(a, b, false)
}

/// The `semver` crate's build metadata order: like pre-release identifiers, except that equal
/// numbers with more leading zeros rank higher (`90 < 090`), and no metadata ranks lowest.
fn cmp_build(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => cmp_identifier_lists(a, b, true),
    }
}

fn cmp_identifier_lists(a: &str, b: &str, zeros_break_ties: bool) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        let ord = match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match (is_numeric(x), is_numeric(y)) {
                (true, true) => {
                    let by_value = cmp_decimal(x.as_bytes(), y.as_bytes());
                    if zeros_break_ties { by_value.then_with(|| x.len().cmp(&y.len())) } else { by_value }
                }
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => x.cmp(y),
            },
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_precedence(other).then_with(|| cmp_build(self.build(), other.build()))
    }
}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for SemVer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SemVer {}

impl fmt::Display for SemVer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> SemVer {
        match SemVer::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.02.3",
            "1.2.03",
            "v1.2.3",
            " 1.2.3",
            "1.2.3 ",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-01",
            "1.2.3-a..b",
            "1.2.3-a.",
            "1.2.3+a+b",
            "1.2.3-a_b",
            "1.2.3-é",
            "18446744073709551616.0.0",
            "1.2.3-+b",
        ] {
            assert!(SemVer::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn accepts_edge_forms() {
        let x = v("18446744073709551615.0.0-0a.99999999999999999999999+001.-");
        assert_eq!(x.major(), u64::MAX);
        assert_eq!(x.pre(), "0a.99999999999999999999999");
        assert_eq!(x.build(), "001.-");
        assert_eq!(x.to_string(), "18446744073709551615.0.0-0a.99999999999999999999999+001.-");
        assert_eq!(v("1.2.3").pre(), "");
        assert_eq!(v("1.2.3").build(), "");
    }

    #[test]
    fn build_metadata_order() {
        // The semver crate's documented example order.
        let order = ["1.0.0", "1.0.0+demo", "1.0.0+demo.85", "1.0.0+demo.90", "1.0.0+demo.090", "1.0.0+demo.200"];
        for pair in order.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        let order = ["1.0.0+demo.200", "1.0.0+demo.1a0", "1.0.0+demo.a", "1.0.0+memo"];
        for pair in order.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("1.0.0+a").cmp_precedence(&v("1.0.0+b")), Ordering::Equal);
        assert_ne!(v("1.0.0+a"), v("1.0.0+b"));
    }

    #[test]
    fn long_numeric_prerelease() {
        assert!(v("1.0.0-99999999999999999999999") > v("1.0.0-9999999999999999999999"));
        assert!(v("1.0.0-99999999999999999999999") < v("1.0.0-a"));
    }
}
