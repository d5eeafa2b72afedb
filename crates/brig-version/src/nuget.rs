//! NuGet versions and version ranges (`NuGet.Versioning`: `NuGetVersion`, `VersionComparer.Default`,
//! `VersionRange`).
//!
//! Versions: `Major[.Minor[.Patch[.Revision]]][-Label(.Label)*][+Metadata(.Metadata)*]`.
//! * Leading and trailing whitespace is ignored, as NuGet does; a leading `v` is not accepted (NuGet
//!   rejects it). Numeric parts are ASCII digits (leading zeros allowed, `1.0.01` = `1.0.1.0`), may
//!   carry spaces or tabs around them like .NET integer parsing allows, and must fit a 32-bit signed
//!   integer. Missing parts are 0.
//! * Labels and metadata identifiers are non-empty and made of `[0-9A-Za-z-]`.
//! * Order: the four numbers, then a version without labels above one with labels, then labels one
//!   by one: numeric labels (anything .NET `int.TryParse` accepts: optional `-`, digits, 32-bit) by
//!   value and below text labels, text labels by ordinal comparison ignoring ASCII case; more labels
//!   win when all shared ones are equal. Build metadata is ignored.
//!
//! Ranges: a bare version `1.0` means `>= 1.0`; `[a,b]`, `(a,b)`, `[a,b)`, `(a,b]` with either bound
//! omitted (but not both); `[a]` is exactly `a`. As in NuGet since 5.10, a lower bound above the upper
//! one and `[a,a)` / `(a,a]` are rejected, while `(a,a)` and the one-version forms `(a)`, `[a)`, `(a]`
//! parse as empty ranges. `satisfies` checks the bounds with the version order above, so pre-release
//! versions take part like any other and metadata is ignored (`VersionRange.Satisfies`). Floating
//! ranges (`1.*`, `1.0.0-beta*`) are not supported: they are parse errors.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::VersionError;

const SCHEME: &str = "nuget";
const RANGE_SCHEME: &str = "nuget-range";

/// A parsed NuGet version. Equality means "compares equal": metadata and label case are ignored.
#[derive(Clone, Debug)]
pub struct NuGetVersion {
    original: String,
    /// Major, minor, patch, revision (each at most `i32::MAX`).
    numbers: [u32; 4],
    /// Empty for a stable version.
    labels: Box<[Label]>,
}

/// A pre-release label in its comparable form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Label {
    Numeric(i32),
    /// ASCII upper-cased, since labels compare ordinally ignoring case.
    Text(Box<str>),
}

impl Ord for Label {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Label::Numeric(a), Label::Numeric(b)) => a.cmp(b),
            (Label::Numeric(_), Label::Text(_)) => Ordering::Less,
            (Label::Text(_), Label::Numeric(_)) => Ordering::Greater,
            (Label::Text(a), Label::Text(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Label {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl NuGetVersion {
    /// Parses a version the way `NuGetVersion.Parse` does.
    ///
    /// # Errors
    /// When the string is not a NuGet version (see the module docs).
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let err = |reason: &str| VersionError::new(SCHEME, s, reason);
        let text = s.trim();
        if text.is_empty() {
            return Err(err("empty version"));
        }
        let (rest, metadata) = match text.split_once('+') {
            Some((rest, metadata)) => (rest, Some(metadata)),
            None => (text, None),
        };
        if let Some(metadata) = metadata
            && !valid_identifiers(metadata)
        {
            return Err(err("build metadata must be dot-separated non-empty [0-9A-Za-z-] identifiers"));
        }
        let (numeric, release) = match rest.split_once('-') {
            Some((numeric, release)) => (numeric, Some(release)),
            None => (rest, None),
        };

        let mut numbers = [0u32; 4];
        for (index, part) in numeric.split('.').enumerate() {
            let Some(slot) = numbers.get_mut(index) else {
                return Err(err("more than four version numbers"));
            };
            *slot = parse_version_number(part)
                .ok_or_else(|| err("version numbers must be 32-bit non-negative integers"))?;
        }

        let labels = match release {
            None => Box::default(),
            Some(release) => {
                if !valid_identifiers(release) {
                    return Err(err("pre-release labels must be dot-separated non-empty [0-9A-Za-z-] identifiers"));
                }
                release.split('.').map(Label::new).collect()
            }
        };
        Ok(NuGetVersion { original: s.to_owned(), numbers, labels })
    }

    /// The input exactly as given to `parse`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.original
    }

    /// True when the version has pre-release labels.
    #[must_use]
    pub fn is_prerelease(&self) -> bool {
        !self.labels.is_empty()
    }
}

impl Label {
    fn new(text: &str) -> Label {
        match parse_int32(text) {
            Some(n) => Label::Numeric(n),
            None => Label::Text(text.to_ascii_uppercase().into()),
        }
    }
}

/// Dot-separated identifiers, each non-empty and made of ASCII alphanumerics and hyphens.
fn valid_identifiers(s: &str) -> bool {
    s.split('.').all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// A version number: ASCII digits, optionally surrounded by the white space .NET integer parsing skips.
fn parse_version_number(part: &str) -> Option<u32> {
    let digits = part.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r'));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = parse_int32(digits)?;
    u32::try_from(n).ok()
}

/// What `int.TryParse` accepts in a label: an optional minus sign and ASCII digits within `i32`.
fn parse_int32(s: &str) -> Option<i32> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > 10 {
        return None;
    }
    // At most 10 digits: fits in i64 without overflow.
    let magnitude = significant.bytes().fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'));
    i32::try_from(if negative { -magnitude } else { magnitude }).ok()
}

impl fmt::Display for NuGetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| match (self.labels.is_empty(), other.labels.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            // Slice order: label by label, then the longer list wins.
            (false, false) => self.labels.cmp(&other.labels),
        })
    }
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for NuGetVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for NuGetVersion {}

impl Hash for NuGetVersion {
    // Numbers and labels are stored in comparable form, so equal versions hash alike.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.numbers.hash(state);
        self.labels.hash(state);
    }
}

/// One end of a range.
#[derive(Clone, Debug)]
struct Bound {
    version: NuGetVersion,
    inclusive: bool,
}

/// A NuGet version range in interval notation.
#[derive(Clone, Debug)]
pub struct NuGetRange {
    original: String,
    min: Option<Bound>,
    max: Option<Bound>,
}

impl NuGetRange {
    /// Parses NuGet's interval notation (or a bare minimum version).
    ///
    /// # Errors
    /// When the string is not a range, is a floating range, or its bounds contradict each other.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let err = |reason: &str| VersionError::new(RANGE_SCHEME, s, reason);
        let text = s.trim();
        if text.is_empty() {
            return Err(err("empty range"));
        }
        if text.contains('*') {
            return Err(err("floating ranges are not supported"));
        }
        let version = |part: &str| NuGetVersion::parse(part).map_err(|e| err(&e.reason));

        let Some(min_inclusive) = bracket_inclusive(text, '[', '(') else {
            // A bare version is a minimum, inclusive.
            let min = Bound { version: version(text)?, inclusive: true };
            return Ok(NuGetRange { original: s.to_owned(), min: Some(min), max: None });
        };
        let Some(max_inclusive) = text.chars().next_back().and_then(|c| bracket_inclusive_char(c, ']', ')')) else {
            return Err(err("range must end with ']' or ')'"));
        };
        // Both brackets are one byte long, so these are char boundaries.
        let inner = text.get(1..text.len() - 1).ok_or_else(|| err("range has no content"))?;

        let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
        let (min, max) = match parts.as_slice() {
            [single] => {
                if single.is_empty() {
                    return Err(err("range has no version"));
                }
                let v = version(single)?;
                let min = Bound { version: v.clone(), inclusive: min_inclusive };
                (Some(min), Some(Bound { version: v, inclusive: max_inclusive }))
            }
            [low, high] => {
                if low.is_empty() && high.is_empty() {
                    return Err(err("range has neither a minimum nor a maximum"));
                }
                let min = if low.is_empty() {
                    None
                } else {
                    Some(Bound { version: version(low)?, inclusive: min_inclusive })
                };
                let max = if high.is_empty() {
                    None
                } else {
                    Some(Bound { version: version(high)?, inclusive: max_inclusive })
                };
                if let (Some(min), Some(max)) = (&min, &max) {
                    match min.version.cmp(&max.version) {
                        Ordering::Greater => return Err(err("minimum is above maximum")),
                        Ordering::Equal if min.inclusive != max.inclusive => {
                            return Err(err("equal bounds with only one of them inclusive"));
                        }
                        _ => {}
                    }
                }
                (min, max)
            }
            _ => return Err(err("range has more than two versions")),
        };
        Ok(NuGetRange { original: s.to_owned(), min, max })
    }

    /// True when `version` lies within the bounds (pre-release versions included, metadata ignored).
    #[must_use]
    pub fn satisfies(&self, version: &NuGetVersion) -> bool {
        let above_min = self.min.as_ref().is_none_or(|b| match version.cmp(&b.version) {
            Ordering::Greater => true,
            Ordering::Equal => b.inclusive,
            Ordering::Less => false,
        });
        let below_max = self.max.as_ref().is_none_or(|b| match version.cmp(&b.version) {
            Ordering::Less => true,
            Ordering::Equal => b.inclusive,
            Ordering::Greater => false,
        });
        above_min && below_max
    }

    /// The lower bound and whether it is inclusive, if any.
    #[must_use]
    pub fn min(&self) -> Option<(&NuGetVersion, bool)> {
        self.min.as_ref().map(|b| (&b.version, b.inclusive))
    }

    /// The upper bound and whether it is inclusive, if any.
    #[must_use]
    pub fn max(&self) -> Option<(&NuGetVersion, bool)> {
        self.max.as_ref().map(|b| (&b.version, b.inclusive))
    }

    /// The input exactly as given to `parse`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.original
    }
}

impl fmt::Display for NuGetRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

/// Whether `text` opens with the inclusive or the exclusive bracket; `None` for neither.
fn bracket_inclusive(text: &str, inclusive: char, exclusive: char) -> Option<bool> {
    text.chars().next().and_then(|c| bracket_inclusive_char(c, inclusive, exclusive))
}

fn bracket_inclusive_char(c: char, inclusive: char, exclusive: char) -> Option<bool> {
    if c == inclusive {
        Some(true)
    } else if c == exclusive {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> NuGetVersion {
        match NuGetVersion::parse(s) {
            Ok(version) => version,
            Err(e) => panic!("{e}"),
        }
    }

    fn r(s: &str) -> NuGetRange {
        match NuGetRange::parse(s) {
            Ok(range) => range,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(v("2"), v("2.0.0.0"));
        assert_eq!(v("  1.022-Beta"), v("1.22-beta"));
        assert_eq!(v("22.3.07     "), v("22.3.7"));
        assert_eq!(v("1 . 2"), v("1.2"));
        assert_eq!(v("1.0.0--"), v("1.0.0--"));
        assert_eq!(v("0.1.2----+----"), v("0.1.2----"));
        assert_eq!(v("1.4.7-AA.01"), v("1.4.7-aa.1"));
        assert_eq!(v("2147483647.0").to_string(), "2147483647.0");
        assert!(v("1.0-a").is_prerelease() && !v("1.0+a").is_prerelease());
    }

    #[test]
    fn rejected_forms() {
        for bad in [
            "",
            "   ",
            "v1.0.0",
            "1beta",
            "$version$",
            "1.2Av^c",
            "1.2..",
            "1.2.3.4.5",
            "1.2.3.Beta",
            "So.is.this",
            "1.34.2Alpha",
            "1.4.7-",
            "1.4.7-*",
            "1.4.7+*",
            "1.4.7-AA.01^",
            "1.4.7-A^A",
            "1.4.7+AA.01^",
            "0.1.2-Alpha..2",
            "0.1.2-.AA",
            "0.1.2+",
            "0.1.2+2+A",
            "0.1.2+ÄÄ",
            "-1.2.3",
            ".2.3",
            "1.2.",
            "2147483648.0",
            "1.-2",
            "1.0.0-be ta",
            "1.0\u{668}",
        ] {
            assert!(NuGetVersion::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn label_order() {
        let ordered = [
            "1.0.1-aaa",
            "1.0.1-alpha10",
            "1.0.1-alpha2",
            "1.0.1-beta",
            "1.0.1-open",
            "1.0.1-rc.2",
            "1.0.1-rc.10",
            "1.0.1-zzz",
            "1.0.1",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert!(v("1.2.3-999999") < v("1.2.3-Z"));
        assert!(v("1.2.3-A.999999") < v("1.2.3-A.56-2"));
        assert!(v("1.2.3-a") < v("1.2.3-a.2"));
        // Not an int32: compared as text, so after every numeric label.
        assert!(v("1.0.0-99999999999") > v("1.0.0-5"));
        assert!(v("1.0.0-99999999999") < v("1.0.0-A"));
        // int.TryParse accepts a sign: "-1" is the number -1.
        assert!(v("1.0.0--1") < v("1.0.0-0"));
    }

    #[test]
    fn range_forms() {
        let cases = [
            ("1.0", "0.9", false),
            ("1.0", "1.0", true),
            ("1.0", "99.0", true),
            ("[1.0,)", "1.0", true),
            ("(1.0,)", "1.0", false),
            ("[1.0]", "1.0.0.0", true),
            ("[1.0]", "1.0.1", false),
            ("(,1.0]", "1.0", true),
            ("(,1.0)", "1.0", false),
            ("(,1.0)", "1.0-rc", true),
            ("[1.0,2.0)", "2.0", false),
            ("[1.0,2.0)", "1.9", true),
            ("[1.0, ]", "5.0", true),
            ("[, 2.0.0)", "1.0", true),
            ("   [  1 .2   , 2  .3   ]  ", "2.3", true),
            ("  1  .   2  ", "1.2", true),
            ("(1.6)", "1.6", false),
            ("[1.2.0)", "1.2.0", false),
            ("(1.0,1.0)", "1.0", false),
            ("[1,3)", "2.99", true),
        ];
        for (range, version, expected) in cases {
            assert_eq!(r(range).satisfies(&v(version)), expected, "{version} in {range}");
        }
        assert_eq!(r(" [1.0] ").to_string(), " [1.0] ");
        assert_eq!(r("(1.0,2.0]").min().map(|(v, inc)| (v.to_string(), inc)), Some(("1.0".to_owned(), false)));
        assert_eq!(r("(1.0,2.0]").max().map(|(v, inc)| (v.to_string(), inc)), Some(("2.0".to_owned(), true)));
    }

    #[test]
    fn rejected_ranges() {
        for bad in [
            "",
            "(,)",
            "[,]",
            "[,)",
            "(,]",
            "(,1.3..2]",
            "(1.2.3.4.5,1.2]",
            "   [-1, 2]  ",
            "[1.0",
            "1.0)",
            "[]",
            "[",
            "[1.0,2.0,3.0]",
            "[2.0,1.0]",
            "[1.0,1.0)",
            "(1.0,1.0]",
            "1.*",
            "*",
            "1.0.0-beta*",
            "[1.0.*, 2.0)",
            "{1.0}",
        ] {
            assert!(NuGetRange::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
