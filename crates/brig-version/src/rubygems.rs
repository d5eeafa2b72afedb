//! RubyGems versions (`Gem::Version`) and requirements (`Gem::Requirement`), with the
//! semantics of RubyGems 3.3.
//!
//! A version is digits and ASCII letters separated by `.`; after the first `-` the rest may
//! also contain `-`, each of which RubyGems rewrites to `.pre.`. Surrounding whitespace is
//! ignored and a blank string means `0`. The string splits into segments at every
//! digit/letter boundary; a version with any letter is a prerelease. Versions compare by
//! their canonical segments: the numeric segments before the first letter segment lose their
//! trailing zeros, and so does the part from the first letter segment on (`1.0.a.0` → `1.a`).
//! The shorter list is padded with `0`, numbers compare numerically, letters bytewise, and a
//! letter segment is below any number (`1.a < 1 = 1.0`).

use std::cmp::Ordering;
use std::fmt;

use crate::VersionError;
use crate::digits::{cmp_decimal, increment_decimal};

const SCHEME: &str = "rubygems";

/// One segment: a number (digits without leading zeros, zero being empty) or a run of letters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Segment {
    Num(Box<str>),
    Str(Box<str>),
}

impl Segment {
    fn number(digits: &str) -> Segment {
        Segment::Num(digits.trim_start_matches('0').into())
    }

    fn is_zero(&self) -> bool {
        matches!(self, Segment::Num(d) if d.is_empty())
    }

    fn is_str(&self) -> bool {
        matches!(self, Segment::Str(_))
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Num(d) if d.is_empty() => f.write_str("0"),
            Segment::Num(d) | Segment::Str(d) => f.write_str(d),
        }
    }
}

/// Segment order; `None` is the padding `0`.
fn cmp_segment(a: Option<&Segment>, b: Option<&Segment>) -> Ordering {
    let (a, b) = (a.map_or(SegRef::Num(""), SegRef::from), b.map_or(SegRef::Num(""), SegRef::from));
    match (a, b) {
        (SegRef::Num(x), SegRef::Num(y)) => cmp_decimal(x.as_bytes(), y.as_bytes()),
        (SegRef::Str(x), SegRef::Str(y)) => x.cmp(y),
        (SegRef::Str(_), SegRef::Num(_)) => Ordering::Less,
        (SegRef::Num(_), SegRef::Str(_)) => Ordering::Greater,
    }
}

#[derive(Clone, Copy)]
enum SegRef<'a> {
    Num(&'a str),
    Str(&'a str),
}

impl<'a> From<&'a Segment> for SegRef<'a> {
    fn from(s: &'a Segment) -> Self {
        match s {
            Segment::Num(d) => SegRef::Num(d),
            Segment::Str(d) => SegRef::Str(d),
        }
    }
}

/// Compares two segment lists, padding the shorter with zeros.
fn cmp_segments(a: &[Segment], b: &[Segment]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let ord = cmp_segment(a.get(i), b.get(i));
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Ruby's `\s` (and what `String#strip` removes from a string that passed the pattern).
fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Length of the run at the start of `b` whose bytes satisfy `pred`.
fn run(b: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    b.iter().take_while(|&&c| pred(c)).count()
}

/// Whole-string match of `Gem::Version::VERSION_PATTERN`:
/// `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`.
fn matches_version_pattern(s: &str) -> bool {
    let b = s.as_bytes();
    let tail_char = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    let mut i = run(b, |c| c.is_ascii_digit());
    if i == 0 {
        return false;
    }
    while b.get(i) == Some(&b'.') {
        let n = run(&b[i + 1..], |c| c.is_ascii_alphanumeric());
        if n == 0 {
            return false;
        }
        i += 1 + n;
    }
    if i == b.len() {
        return true;
    }
    if b[i] != b'-' {
        return false;
    }
    let n = run(&b[i + 1..], tail_char);
    if n == 0 {
        return false;
    }
    i += 1 + n;
    while b.get(i) == Some(&b'.') {
        let n = run(&b[i + 1..], tail_char);
        if n == 0 {
            return false;
        }
        i += 1 + n;
    }
    i == b.len()
}

/// A RubyGems version (`Gem::Version`).
#[derive(Clone, Debug)]
pub struct GemVersion {
    input: Box<str>,
    /// Canonical segments, what `<=>` compares.
    canonical: Box<[Segment]>,
    /// How many leading numeric segments the version had before its first letter segment,
    /// zeros included (`bump` works on them; canonical drops their trailing zeros).
    release_len: usize,
    prerelease: bool,
}

impl GemVersion {
    /// Parses like `Gem::Version.new`.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let stripped = s.trim_matches(is_ruby_space);
        if !stripped.is_empty() && !matches_version_pattern(stripped) {
            return Err(VersionError::new(SCHEME, s, "malformed version number string"));
        }
        // RubyGems reads every `-` as `.pre.`, which both adds the letter segment `pre` and
        // makes the version a prerelease.
        let text = if stripped.is_empty() { "0".to_owned() } else { stripped.replace('-', ".pre.") };
        let mut segments = Vec::new();
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let digits = run(&b[i..], |c| c.is_ascii_digit());
            let letters = run(&b[i..], |c| c.is_ascii_alphabetic());
            // Every byte of `text` is ASCII (the pattern allows nothing else), so these
            // slices are on char boundaries; `get` keeps that a non-panicking fact.
            if digits > 0 {
                segments.push(Segment::number(text.get(i..i + digits).unwrap_or("")));
                i += digits;
            } else if letters > 0 {
                segments.push(Segment::Str(text.get(i..i + letters).unwrap_or("").into()));
                i += letters;
            } else {
                i += 1;
            }
        }
        let prerelease = segments.iter().any(Segment::is_str);
        Ok(Self::from_segments(s, segments, prerelease))
    }

    fn from_segments(input: &str, segments: Vec<Segment>, prerelease: bool) -> Self {
        let release_len = segments.iter().position(Segment::is_str).unwrap_or(segments.len());
        let (numeric, letters) = segments.split_at(release_len);
        let mut canonical: Vec<Segment> = Vec::with_capacity(segments.len());
        for part in [numeric, letters] {
            let kept = part.len() - part.iter().rev().take_while(|s| s.is_zero()).count();
            canonical.extend_from_slice(&part[..kept]);
        }
        GemVersion { input: input.into(), canonical: canonical.into(), release_len, prerelease }
    }

    /// True when the version contains a letter (`Gem::Version#prerelease?`).
    pub fn is_prerelease(&self) -> bool {
        self.prerelease
    }

    /// Canonical numeric prefix: the canonical segments before the first letter segment.
    fn canonical_release(&self) -> &[Segment] {
        let end = self.canonical.iter().position(Segment::is_str).unwrap_or(self.canonical.len());
        &self.canonical[..end]
    }

    /// The numeric segments before the first letter segment, zeros included.
    fn release_segments(&self) -> Vec<Segment> {
        let mut out = self.canonical_release().to_vec();
        while out.len() < self.release_len {
            out.push(Segment::Num("".into()));
        }
        out
    }

    fn joined(segments: &[Segment]) -> String {
        segments.iter().map(Segment::to_string).collect::<Vec<_>>().join(".")
    }

    /// The version without its prerelease part (`1.2.0.a` → `1.2.0`), like `Gem::Version#release`.
    pub fn release(&self) -> GemVersion {
        if !self.prerelease {
            return self.clone();
        }
        let segments = self.release_segments();
        GemVersion::from_segments(&Self::joined(&segments), segments, false)
    }

    /// The next version for `~>`: drop the prerelease part and the last segment, then
    /// increment the new last one (`5.3.1` → `5.4`, `5` → `6`), like `Gem::Version#bump`.
    pub fn bump(&self) -> GemVersion {
        let mut segments = self.release_segments();
        if segments.len() > 1 {
            segments.pop();
        }
        match segments.last_mut() {
            Some(Segment::Num(d)) => *d = increment_decimal(d).into(),
            // A parsed version always starts with a number; keep the type total anyway.
            _ => segments.push(Segment::number("1")),
        }
        GemVersion::from_segments(&Self::joined(&segments), segments, false)
    }

    /// The `~>` requirement RubyGems recommends for this version
    /// (`Gem::Version#approximate_recommendation`): `1.2.3` → `~> 1.2`, `1.9.0.dev` → `~> 1.9.a`.
    pub fn approximate_recommendation(&self) -> String {
        let mut segments = self.release_segments();
        segments.truncate(2);
        while segments.len() < 2 {
            segments.push(Segment::Num("".into()));
        }
        let mut out = format!("~> {}", Self::joined(&segments));
        if self.prerelease {
            out.push_str(".a");
        }
        out
    }
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_segments(&self.canonical, &other.canonical)
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GemVersion {}

impl fmt::Display for GemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.input)
    }
}

/// A requirement operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum GemOp {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    /// `~>`: at least the version, and below its `bump`.
    Pessimistic,
}

impl GemOp {
    fn as_str(self) -> &'static str {
        match self {
            GemOp::Eq => "=",
            GemOp::Ne => "!=",
            GemOp::Gt => ">",
            GemOp::Lt => "<",
            GemOp::Ge => ">=",
            GemOp::Le => "<=",
            GemOp::Pessimistic => "~>",
        }
    }
}

#[derive(Clone, Debug)]
struct Clause {
    op: GemOp,
    version: GemVersion,
    /// Canonical segments of `version.bump()`, for `~>`.
    bump: Box<[Segment]>,
}

impl Clause {
    fn satisfied_by(&self, v: &GemVersion) -> bool {
        let ord = v.cmp(&self.version);
        match self.op {
            GemOp::Eq => ord == Ordering::Equal,
            GemOp::Ne => ord != Ordering::Equal,
            GemOp::Gt => ord == Ordering::Greater,
            GemOp::Lt => ord == Ordering::Less,
            GemOp::Ge => ord != Ordering::Less,
            GemOp::Le => ord != Ordering::Greater,
            GemOp::Pessimistic => {
                ord != Ordering::Less && cmp_segments(v.canonical_release(), &self.bump) == Ordering::Less
            }
        }
    }
}

/// A RubyGems requirement (`Gem::Requirement`): every clause must hold.
#[derive(Clone, Debug)]
pub struct GemRequirement {
    clauses: Vec<Clause>,
}

impl GemRequirement {
    /// Like `Gem::Requirement.new(*requirements)`: each string is one clause
    /// (`[op] version`, op one of `= != > < >= <= ~>`, bare version meaning `=`, spaces
    /// anywhere around the parts); no strings at all means `>= 0`. A blank string is an error,
    /// as in RubyGems.
    pub fn new<S: AsRef<str>>(requirements: &[S]) -> Result<Self, VersionError> {
        if requirements.is_empty() {
            return Self::new(&[">= 0"]);
        }
        let clauses = requirements.iter().map(|r| parse_clause(r.as_ref())).collect::<Result<_, _>>()?;
        Ok(GemRequirement { clauses })
    }

    /// A requirement list written as one string, clauses separated by commas
    /// (`"~> 5.2.4, >= 5.2.4.3"`, as Gemfile.lock and advisory databases write them).
    /// A blank string is the empty list, `>= 0`.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        if s.trim_matches(is_ruby_space).is_empty() {
            return Self::new::<&str>(&[]);
        }
        let parts: Vec<&str> = s.split(',').collect();
        Self::new(&parts).map_err(|e| VersionError::new(SCHEME, s, e.reason))
    }

    /// `Gem::Requirement#satisfied_by?`.
    pub fn satisfied_by(&self, version: &GemVersion) -> bool {
        self.clauses.iter().all(|c| c.satisfied_by(version))
    }
}

impl fmt::Display for GemRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.clauses.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} {}", c.op.as_str(), c.version)?;
        }
        Ok(())
    }
}

/// One clause, like `Gem::Requirement.parse`: `\A\s*(op)?\s*(version)\s*\z`.
fn parse_clause(s: &str) -> Result<Clause, VersionError> {
    let body = s.trim_matches(is_ruby_space);
    // Longest operator first: `>` followed by `=` can only be `>=` (no version starts with `=`).
    let ops = [
        (">=", GemOp::Ge),
        ("<=", GemOp::Le),
        ("!=", GemOp::Ne),
        ("~>", GemOp::Pessimistic),
        ("=", GemOp::Eq),
        (">", GemOp::Gt),
        ("<", GemOp::Lt),
    ];
    let (op, rest) =
        ops.iter().find_map(|(text, op)| body.strip_prefix(text).map(|rest| (*op, rest))).unwrap_or((GemOp::Eq, body));
    let version_text = rest.trim_start_matches(is_ruby_space);
    if !matches_version_pattern(version_text) {
        return Err(VersionError::new(SCHEME, s, "illformed requirement"));
    }
    let version = GemVersion::parse(version_text)?;
    let bump = version.bump().canonical;
    Ok(Clause { op, version, bump })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> GemVersion {
        GemVersion::parse(s).unwrap()
    }

    fn canon(s: &str) -> String {
        GemVersion::joined(&v(s).canonical)
    }

    #[test]
    fn canonical_segments_drop_zeros_before_letters_and_at_the_end() {
        assert_eq!(canon("1.0.0"), "1");
        assert_eq!(canon("1.0.a.0"), "1.a");
        assert_eq!(canon("0.0.beta.1"), "beta.1");
        assert_eq!(canon("1.0.0-1"), "1.pre.1");
        assert_eq!(canon(""), "");
        assert_eq!(canon("1.a.0.b.0"), "1.a.0.b");
    }

    #[test]
    fn syntax() {
        for ok in ["1", "1.0a", "1.0--", "1.2.b1", " 1.0\n", "\x0b1\x0c", "", "  ", "1.0-a-b.c"] {
            assert!(GemVersion::parse(ok).is_ok(), "{ok:?}");
        }
        for bad in ["1a", "a", "1..2", "1.0-", "1.-1", ".1", "1.0\n2.0", "1 .0", "1.0\0", "١", "1.ä"] {
            assert!(GemVersion::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn huge_numbers_compare_numerically() {
        assert!(v("1.99999999999999999999999") > v("1.99999999999999999999998"));
        assert!(v("1.100000000000000000000000") > v("1.99999999999999999999999"));
        assert_eq!(v("1.000000000000000000000000000001"), v("1.1"));
    }

    #[test]
    fn bump_release_recommendation() {
        assert_eq!(v("5.3.1").bump().to_string(), "5.4");
        assert_eq!(v("5.3.1.b.2").bump().to_string(), "5.4");
        assert_eq!(v("5").bump().to_string(), "6");
        assert_eq!(v("1.0.0").bump().to_string(), "1.1");
        assert_eq!(v("9.99999999999999999999").bump().to_string(), "10");
        assert_eq!(v("1.2.0.a").release().to_string(), "1.2.0");
        assert_eq!(v("1.9.0.dev").approximate_recommendation(), "~> 1.9.a");
        assert_eq!(v("1").approximate_recommendation(), "~> 1.0");
    }

    #[test]
    fn requirement_lists_and_blanks() {
        let r = GemRequirement::parse("~> 5.2.4, >= 5.2.4.3").unwrap();
        assert!(r.satisfied_by(&v("5.2.4.3")));
        assert!(!r.satisfied_by(&v("5.2.4.2")));
        assert!(!r.satisfied_by(&v("5.3")));
        assert!(GemRequirement::parse(" ").unwrap().satisfied_by(&v("0")));
        assert!(!GemRequirement::parse(" ").unwrap().satisfied_by(&v("0.a")));
        assert!(GemRequirement::new(&[""]).is_err());
        assert!(GemRequirement::new(&["> =1"]).is_err());
        assert!(GemRequirement::new(&["=="]).is_err());
        assert!(GemRequirement::new(&["~>1.2.a"]).unwrap().satisfied_by(&v("1.9")));
    }
}
