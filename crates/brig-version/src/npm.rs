//! npm versions and ranges, as node-semver (npm's `semver` package, 7.x) reads them.
//!
//! Versions: strict `v?MAJOR.MINOR.PATCH[-PRE][+BUILD]` after trimming whitespace; loose mode also
//! takes any run of `v`, `=` and whitespace in front, leading zeros, a pre-release without its `-`
//! (`1.2.3beta`) and numeric pre-release identifiers with leading zeros. MAJOR, MINOR and PATCH
//! must not exceed 2^53 - 1 and the input must not exceed 256 UTF-16 units, as in node-semver.
//! Comparison ignores build metadata; numeric pre-release identifiers rank below alphanumeric
//! ones and are compared by value (exactly, at any length: node-semver converts them to doubles,
//! which only matters past 2^53).
//!
//! Ranges: `||`, hyphen ranges, x-ranges, `~`, `~>`, `^`, primitive comparators and the empty
//! range, desugared to comparator sets the way node-semver desugars them (so that its
//! pre-release rule, which looks at the comparators' own pre-releases, gives the same answers).
//! node-semver rewrites the range text step by step with regular expressions; this module
//! follows the same steps with hand-written matchers, so that odd inputs (operators separated
//! from versions by spaces, build metadata, stray `*`, garbage that loose mode drops) are read
//! the same way.

use std::cmp::Ordering;
use std::fmt;

use crate::VersionError;
use crate::digits::cmp_decimal;

const SCHEME: &str = "npm";
/// node-semver's `MAX_LENGTH`: longer version strings are rejected.
const MAX_LENGTH: usize = 256;
/// `Number.MAX_SAFE_INTEGER`: larger MAJOR/MINOR/PATCH are rejected.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// node-semver's options. node-semver reads any non-object truthy options argument (e.g. `true`)
/// as `{ loose: true }`, and any object by the truthiness of its `loose` and `includePrerelease`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NpmOptions {
    pub loose: bool,
    pub include_prerelease: bool,
}

impl NpmOptions {
    pub const LOOSE: NpmOptions = NpmOptions { loose: true, include_prerelease: false };
}

/// One pre-release identifier: its byte range in the version text.
#[derive(Clone, Copy, Debug)]
struct Ident {
    start: usize,
    end: usize,
    numeric: bool,
}

#[derive(Clone, Debug)]
pub struct NpmVersion {
    raw: Box<str>,
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<Ident>,
    /// Build metadata (without `+`) as a byte range; empty when absent.
    build: (usize, usize),
}

impl NpmVersion {
    /// Strict parse (node-semver without options).
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        Self::parse_with(s, NpmOptions::default())
    }

    /// Loose parse (node-semver with `{ loose: true }`).
    pub fn parse_loose(s: &str) -> Result<Self, VersionError> {
        Self::parse_with(s, NpmOptions::LOOSE)
    }

    /// Parses with node-semver's options (only `loose` matters for a version).
    pub fn parse_with(s: &str, opts: NpmOptions) -> Result<Self, VersionError> {
        let err = |reason: &str| VersionError::new(SCHEME, s, reason);
        if s.encode_utf16().count() > MAX_LENGTH {
            return Err(err("longer than 256 characters"));
        }
        let trimmed = js_trim(s);
        let offset = s.len() - js_trim_start(s).len();
        let plain = match_plain(trimmed, opts.loose, false).ok_or_else(|| err("not a valid semver version"))?;
        let number = |range: Option<(usize, usize)>| -> Result<u64, VersionError> {
            let digits = range.and_then(|(a, b)| trimmed.get(a..b)).unwrap_or("");
            safe_integer(digits).ok_or_else(|| err("version number above 2^53 - 1"))
        };
        let major = number(Some(plain.major))?;
        let minor = number(plain.minor)?;
        let patch = number(plain.patch)?;
        let mut pre = Vec::new();
        if let Some((start, end)) = plain.pre {
            let mut pos = start;
            for id in trimmed.get(start..end).unwrap_or("").split('.') {
                let numeric = id.bytes().all(|b| b.is_ascii_digit());
                pre.push(Ident { start: offset + pos, end: offset + pos + id.len(), numeric });
                pos += id.len() + 1;
            }
        }
        let build = plain.build.map_or((s.len(), s.len()), |(a, b)| (offset + a, offset + b));
        Ok(NpmVersion { raw: s.into(), major, minor, patch, pre, build })
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

    /// The pre-release identifiers as written (empty when there is none).
    pub fn prerelease(&self) -> Vec<&str> {
        self.pre.iter().map(|id| self.ident(id)).collect()
    }

    /// The build metadata without its `+` (empty when there is none).
    pub fn build(&self) -> &str {
        self.raw.get(self.build.0..self.build.1).unwrap_or("")
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    fn ident(&self, id: &Ident) -> &str {
        self.raw.get(id.start..id.end).unwrap_or("")
    }

    /// node-semver's `version` property: `M.m.p[-pre]`, numeric identifiers below 2^53 - 1
    /// written as numbers (leading zeros dropped), build metadata left out.
    pub fn normalized(&self) -> String {
        let mut out = format!("{}.{}.{}", self.major, self.minor, self.patch);
        for (i, id) in self.pre.iter().enumerate() {
            out.push(if i == 0 { '-' } else { '.' });
            let text = self.ident(id);
            match safe_integer(text) {
                Some(n) if id.numeric && n < MAX_SAFE_INTEGER => out.push_str(&n.to_string()),
                _ => out.push_str(text),
            }
        }
        out
    }

    fn same_tuple(&self, other: &Self) -> bool {
        (self.major, self.minor, self.patch) == (other.major, other.minor, other.patch)
    }
}

/// Parses a digit string as node-semver's `+digits`, accepting only values up to 2^53 - 1.
fn safe_integer(digits: &str) -> Option<u64> {
    let significant = digits.trim_start_matches('0');
    if digits.is_empty() || significant.len() > 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = if significant.is_empty() { 0 } else { significant.parse::<u64>().ok()? };
    (value <= MAX_SAFE_INTEGER).then_some(value)
}

impl Ord for NpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let main = (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch));
        if main != Ordering::Equal {
            return main;
        }
        match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            (false, false) => {}
        }
        let mut left = self.pre.iter();
        let mut right = other.pre.iter();
        loop {
            let ord = match (left.next(), right.next()) {
                (None, None) => return Ordering::Equal,
                (None, Some(_)) => return Ordering::Less,
                (Some(_), None) => return Ordering::Greater,
                (Some(a), Some(b)) => match (a.numeric, b.numeric) {
                    (true, true) => cmp_decimal(self.ident(a).as_bytes(), other.ident(b).as_bytes()),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => self.ident(a).cmp(other.ident(b)),
                },
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
    }
}

impl PartialOrd for NpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for NpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for NpmVersion {}

impl fmt::Display for NpmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

// ---------------------------------------------------------------------------------------------
// Ranges

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

#[derive(Clone, Debug)]
struct Comparator {
    op: Op,
    /// `None` is node-semver's ANY comparator (the empty comparator, `*`).
    version: Option<NpmVersion>,
    /// node-semver's `value`, used to drop duplicates and to spot the null set.
    value: String,
}

impl Comparator {
    fn test(&self, v: &NpmVersion) -> bool {
        let Some(bound) = &self.version else { return true };
        let ord = v.cmp(bound);
        match self.op {
            Op::Eq => ord == Ordering::Equal,
            Op::Lt => ord == Ordering::Less,
            Op::Le => ord != Ordering::Greater,
            Op::Gt => ord == Ordering::Greater,
            Op::Ge => ord != Ordering::Less,
        }
    }

    fn is_any(&self) -> bool {
        self.version.is_none()
    }
}

/// A node-semver range: a union (`||`) of comparator sets (intersections).
#[derive(Clone, Debug)]
pub struct NpmRange {
    raw: Box<str>,
    opts: NpmOptions,
    sets: Vec<Vec<Comparator>>,
}

/// node-semver's null set `<0.0.0-0`, which matches nothing.
const NULL_SET: &str = "<0.0.0-0";

impl NpmRange {
    pub fn parse(s: &str, opts: NpmOptions) -> Result<Self, VersionError> {
        let collapsed = collapse_whitespace(js_trim(s));
        let mut sets = Vec::new();
        for part in collapsed.split("||") {
            let set = parse_set(part.trim_matches(' '), opts).map_err(|reason| VersionError::new(SCHEME, s, reason))?;
            // Loose mode can leave a set empty (every comparator dropped): it is ignored.
            if !set.is_empty() {
                sets.push(set);
            }
        }
        if sets.is_empty() {
            return Err(VersionError::new(SCHEME, s, "invalid range"));
        }
        if sets.len() > 1 {
            let is_null = |set: &Vec<Comparator>| set.first().is_some_and(|c| c.value == NULL_SET);
            let first = sets.first().cloned().unwrap_or_default();
            sets.retain(|set| !is_null(set));
            if sets.is_empty() {
                sets.push(first);
            } else if let Some(any) = sets.iter().find(|set| set.len() == 1 && set.iter().all(Comparator::is_any)) {
                // node-semver reduces a union containing `*` to `*` alone, which matters for
                // pre-releases: `* || 1.2.3-pre` does not match `1.2.3-pre`.
                sets = vec![any.clone()];
            }
        }
        Ok(NpmRange { raw: s.into(), opts, sets })
    }

    pub fn options(&self) -> NpmOptions {
        self.opts
    }

    /// node-semver's `Range#test`: some comparator set matches `v`, and a pre-release `v` only
    /// matches a set that names a pre-release of the same `[major, minor, patch]` (unless
    /// `include_prerelease`).
    pub fn satisfies(&self, v: &NpmVersion) -> bool {
        self.sets.iter().any(|set| self.test_set(set, v))
    }

    fn test_set(&self, set: &[Comparator], v: &NpmVersion) -> bool {
        if !set.iter().all(|c| c.test(v)) {
            return false;
        }
        if v.is_prerelease() && !self.opts.include_prerelease {
            return set
                .iter()
                .filter_map(|c| c.version.as_ref())
                .any(|bound| bound.is_prerelease() && bound.same_tuple(v));
        }
        true
    }

    /// The desugared range as node-semver's `Range#range` prints it, e.g. `^1.2.3` →
    /// `>=1.2.3 <2.0.0-0`, `*` → `` (the empty string), sets joined with `||`.
    pub fn desugared(&self) -> String {
        self.sets
            .iter()
            .map(|set| set.iter().map(|c| c.value.as_str()).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("||")
    }
}

impl fmt::Display for NpmRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// node-semver's `satisfies(version, range, options)`: false when either does not parse.
pub fn satisfies(version: &str, range: &str, opts: NpmOptions) -> bool {
    match (NpmVersion::parse_with(version, opts), NpmRange::parse(range, opts)) {
        (Ok(v), Ok(r)) => r.satisfies(&v),
        _ => false,
    }
}

/// One `||` part (trimmed, whitespace already collapsed to single spaces) → its comparators.
fn parse_set(part: &str, opts: NpmOptions) -> Result<Vec<Comparator>, String> {
    let mut text = strip_build_metadata(part);
    if let Some(desugared) = desugar_hyphen(&text, opts) {
        text = desugared;
    }
    let text = caret_trim(&tilde_trim(&comparator_trim(&text)));
    let desugared: Vec<String> = text.split(' ').map(|token| desugar_token(token, opts)).collect();
    let joined = desugared.join(" ");
    let mut comparators = Vec::new();
    for piece in split_on_spaces(&joined) {
        let piece = drop_match_all(piece, opts);
        if opts.loose && !piece.is_empty() && match_comparator(piece, true).is_none() {
            // Loose mode silently drops what is not a comparator.
            continue;
        }
        comparators.push(build_comparator(piece, opts)?);
    }
    // Null set → only it; duplicates dropped; `*` dropped when there is anything else.
    if let Some(null) = comparators.iter().find(|c| c.value == NULL_SET) {
        return Ok(vec![null.clone()]);
    }
    let mut set: Vec<Comparator> = Vec::with_capacity(comparators.len());
    for c in comparators {
        if !set.iter().any(|seen| seen.value == c.value) {
            set.push(c);
        }
    }
    if set.len() > 1 {
        set.retain(|c| !c.is_any());
    }
    Ok(set)
}

/// `>=0.0.0` (or `>=0.0.0-0` with include_prerelease) means "anything": node-semver turns it
/// into the empty comparator.
fn drop_match_all(piece: &str, opts: NpmOptions) -> &str {
    let all = if opts.include_prerelease { ">=0.0.0-0" } else { ">=0.0.0" };
    if piece == all { "" } else { piece }
}

fn build_comparator(piece: &str, opts: NpmOptions) -> Result<Comparator, String> {
    if piece.is_empty() {
        return Ok(Comparator { op: Op::Eq, version: None, value: String::new() });
    }
    let (op, plain) = match_comparator(piece, opts.loose).ok_or_else(|| format!("invalid comparator {piece:?}"))?;
    let version =
        NpmVersion::parse_with(plain, opts).map_err(|e| format!("invalid comparator {piece:?}: {}", e.reason))?;
    let value = format!("{}{}", op.as_str(), version.normalized());
    Ok(Comparator { op, version: Some(version), value })
}

/// `^(<|>)?=?\s*PLAIN$`: the operator and the version text of a primitive comparator.
fn match_comparator(piece: &str, loose: bool) -> Option<(Op, &str)> {
    let (gtlt, rest) = split_gtlt(piece);
    let rest = rest.trim_start_matches(' ');
    match_plain(rest, loose, false)?;
    let op = match gtlt {
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        _ => Op::Eq,
    };
    Some((op, rest))
}

/// Splits off a leading `<`, `>`, `<=`, `>=` or `=` (greedy, as the regex does).
fn split_gtlt(s: &str) -> (&str, &str) {
    let b = s.as_bytes();
    let mut n = 0;
    if matches!(b.first(), Some(b'<' | b'>')) {
        n = 1;
    }
    if b.get(n) == Some(&b'=') {
        n += 1;
    }
    (s.get(..n).unwrap_or(""), s.get(n..).unwrap_or(""))
}

// --- desugaring --------------------------------------------------------------------------------

/// x-range identifiers: missing, `x`, `X` or `*`.
fn is_x(id: Option<&str>) -> bool {
    matches!(id, None | Some("x" | "X" | "*"))
}

/// JavaScript's `String(+digits + 1)`: exact up to 2^53; past that the result is rejected later
/// anyway (above 2^53 - 1), except that from 1e21 on JavaScript writes exponent notation, which
/// is no version at all (loose mode then drops the comparator instead of failing).
fn js_plus_one(digits: &str) -> String {
    let value = digits.parse::<f64>().unwrap_or(f64::INFINITY) + 1.0;
    if value.is_infinite() {
        "Infinity".to_owned()
    } else if value >= 1e21 {
        // Both print the shortest round-trip digits; JavaScript writes the exponent's sign.
        format!("{value:e}").replacen('e', "e+", 1)
    } else {
        // Integral and below 1e21 < u128::MAX: the cast is exact.
        format!("{}", value as u128)
    }
}

fn plus_one(id: Option<&str>) -> String {
    js_plus_one(id.unwrap_or("0"))
}

/// The three x-range parts of a matched partial version, as text.
struct Partial<'a> {
    major: &'a str,
    minor: Option<&'a str>,
    patch: Option<&'a str>,
    pre: Option<&'a str>,
}

fn partial<'a>(text: &'a str, plain: &Plain) -> Partial<'a> {
    let get = |r: Option<(usize, usize)>| r.and_then(|(a, b)| text.get(a..b));
    Partial {
        major: get(Some(plain.major)).unwrap_or(""),
        minor: get(plain.minor),
        patch: get(plain.patch),
        pre: get(plain.pre),
    }
}

fn desugar_token(token: &str, opts: NpmOptions) -> String {
    let carets = map_pieces(token, |p| desugar_caret(p, opts));
    let tildes = map_pieces(&carets, |p| desugar_tilde(p, opts));
    let xranges = map_pieces(&tildes, |p| desugar_xrange(p, opts));
    remove_first_star(xranges.trim_matches(' '))
}

/// Applies `f` to each space-separated piece and joins the results with spaces.
fn map_pieces(s: &str, f: impl Fn(&str) -> String) -> String {
    let trimmed = s.trim_matches(' ');
    split_on_spaces(trimmed).into_iter().map(f).collect::<Vec<_>>().join(" ")
}

/// JavaScript's `s.split(/\s+/)` for text whose only whitespace is the space.
fn split_on_spaces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(' ') {
        out.push(&rest[..i]);
        rest = rest[i..].trim_start_matches(' ');
    }
    out.push(rest);
    out
}

/// `^1.2.3` := `>=1.2.3 <2.0.0-0`, `^0.2.3` := `>=0.2.3 <0.3.0-0`, `^0.0.3` := `>=0.0.3 <0.0.4-0`,
/// partial versions widened; include_prerelease starts partial ranges at `-0`.
fn desugar_caret(piece: &str, opts: NpmOptions) -> String {
    let Some(rest) = piece.strip_prefix('^') else { return piece.to_owned() };
    let Some(plain) = match_plain(rest, opts.loose, true) else { return piece.to_owned() };
    let Partial { major: mj, minor: mn, patch: pt, pre } = partial(rest, &plain);
    let z = if opts.include_prerelease { "-0" } else { "" };
    let (m, p) = (mn.unwrap_or(""), pt.unwrap_or(""));
    if is_x(Some(mj)) {
        String::new()
    } else if is_x(mn) {
        format!(">={mj}.0.0{z} <{}.0.0-0", js_plus_one(mj))
    } else if is_x(pt) {
        if mj == "0" {
            format!(">={mj}.{m}.0{z} <{mj}.{}.0-0", plus_one(mn))
        } else {
            format!(">={mj}.{m}.0{z} <{}.0.0-0", js_plus_one(mj))
        }
    } else {
        let lower = match pre {
            Some(pre) => format!(">={mj}.{m}.{p}-{pre}"),
            None => format!(">={mj}.{m}.{p}"),
        };
        if mj == "0" {
            if m == "0" {
                format!("{lower} <{mj}.{m}.{}-0", plus_one(pt))
            } else {
                format!("{lower} <{mj}.{}.0-0", plus_one(mn))
            }
        } else {
            format!("{lower} <{}.0.0-0", js_plus_one(mj))
        }
    }
}

/// `~1.2.3` := `>=1.2.3 <1.3.0-0`, `~1.2` := `>=1.2.0 <1.3.0-0`, `~1` := `>=1.0.0 <2.0.0-0`;
/// `~>` is the same operator.
fn desugar_tilde(piece: &str, opts: NpmOptions) -> String {
    let Some(rest) = piece.strip_prefix('~') else { return piece.to_owned() };
    let rest = rest.strip_prefix('>').unwrap_or(rest);
    let Some(plain) = match_plain(rest, opts.loose, true) else { return piece.to_owned() };
    let Partial { major: mj, minor: mn, patch: pt, pre } = partial(rest, &plain);
    let z = if opts.include_prerelease { "-0" } else { "" };
    let (m, p) = (mn.unwrap_or(""), pt.unwrap_or(""));
    if is_x(Some(mj)) {
        String::new()
    } else if is_x(mn) {
        format!(">={mj}.0.0{z} <{}.0.0-0", js_plus_one(mj))
    } else if is_x(pt) {
        format!(">={mj}.{m}.0{z} <{mj}.{}.0-0", plus_one(mn))
    } else {
        match pre {
            Some(pre) => format!(">={mj}.{m}.{p}-{pre} <{mj}.{}.0-0", plus_one(mn)),
            None => format!(">={mj}.{m}.{p} <{mj}.{}.0-0", plus_one(mn)),
        }
    }
}

/// x-ranges with or without an operator: `1.2.x` := `>=1.2.0 <1.3.0-0`, `>1.x` := `>=2.0.0`,
/// `<=1.2` := `<1.3.0-0`, `*` := anything, `>*` := nothing. Full versions are left alone.
fn desugar_xrange(piece: &str, opts: NpmOptions) -> String {
    let (gtlt, rest) = split_gtlt(piece);
    let Some(plain) = match_plain(rest, opts.loose, true) else { return piece.to_owned() };
    let Partial { major: mj, minor: mn, patch: pt, .. } = partial(rest, &plain);
    let x_major = is_x(Some(mj));
    let x_minor = x_major || is_x(mn);
    let any_x = x_minor || is_x(pt);
    // A wildcard must not be followed by a number (`x.1`, `1.x.2`): node-semver leaves such a
    // token alone, so it then fails as a comparator (or is dropped in loose mode).
    let number_after_x =
        (x_major && mn.is_some_and(|m| !is_x(Some(m)))) || (x_minor && pt.is_some_and(|p| !is_x(Some(p))));
    if number_after_x {
        return piece.to_owned();
    }
    let gtlt = if gtlt == "=" && any_x { "" } else { gtlt };
    let z = if opts.include_prerelease { "-0" } else { "" };
    let m = mn.unwrap_or("");
    if x_major {
        if gtlt == ">" || gtlt == "<" { NULL_SET.to_owned() } else { "*".to_owned() }
    } else if !gtlt.is_empty() && any_x {
        let (mut major, mut minor) = (mj.to_owned(), if x_minor { "0".to_owned() } else { m.to_owned() });
        let mut op = gtlt;
        if gtlt == ">" {
            // >1 := >=2.0.0, >1.2 := >=1.3.0
            op = ">=";
            if x_minor {
                major = js_plus_one(mj);
                minor = "0".to_owned();
            } else {
                minor = js_plus_one(m);
            }
        } else if gtlt == "<=" {
            // <=1 := <2.0.0-0, <=1.2 := <1.3.0-0
            op = "<";
            if x_minor {
                major = js_plus_one(mj);
            } else {
                minor = js_plus_one(m);
            }
        }
        let suffix = if op == "<" { "-0" } else { z };
        format!("{op}{major}.{minor}.0{suffix}")
    } else if x_minor {
        format!(">={mj}.0.0{z} <{}.0.0-0", js_plus_one(mj))
    } else if any_x {
        format!(">={mj}.{m}.0{z} <{mj}.{}.0-0", js_plus_one(m))
    } else {
        piece.to_owned()
    }
}

/// node-semver's last rewrite removes the first `(<|>)?=?\s?\*` left in a token.
fn remove_first_star(s: &str) -> String {
    let b = s.as_bytes();
    for start in 0..b.len() {
        let mut i = start;
        if matches!(b.get(i), Some(b'<' | b'>')) {
            i += 1;
        }
        if b.get(i) == Some(&b'=') {
            i += 1;
        }
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
        if b.get(i) == Some(&b'*') {
            // `start` and `i + 1` sit on ASCII bytes, so both are char boundaries.
            return format!("{}{}", s.get(..start).unwrap_or(""), s.get(i + 1..).unwrap_or(""));
        }
    }
    s.to_owned()
}

/// `A - B` := `>=A <=B`, partial ends widened (`1.2 - 2` := `>=1.2.0 <3.0.0-0`); with
/// include_prerelease the lower end starts at `-0` and a full upper end becomes `<B+1-0`.
fn desugar_hyphen(part: &str, opts: NpmOptions) -> Option<String> {
    // `^\s?FROM\s-\sTO\s?$`: a space more at either end is taken by the versions' own
    // `[v=\s]*` prefix at the front, and is fatal at the back.
    let part = part.strip_prefix(' ').unwrap_or(part);
    let part = part.strip_suffix(' ').unwrap_or(part);
    let sep = part.find(" - ")?;
    let (from_text, to_text) = (part.get(..sep)?, part.get(sep + 3..)?);
    let from_plain = match_plain(from_text, opts.loose, true)?;
    let to_plain = match_plain(to_text, opts.loose, true)?;
    let f = partial(from_text, &from_plain);
    let t = partial(to_text, &to_plain);
    let z = if opts.include_prerelease { "-0" } else { "" };
    let from = if is_x(Some(f.major)) {
        String::new()
    } else if is_x(f.minor) {
        format!(">={}.0.0{z}", f.major)
    } else if is_x(f.patch) {
        format!(">={}.{}.0{z}", f.major, f.minor.unwrap_or(""))
    } else if f.pre.is_some() {
        format!(">={from_text}")
    } else {
        format!(">={from_text}{z}")
    };
    let (tm, tp) = (t.minor.unwrap_or(""), t.patch.unwrap_or(""));
    let to = if is_x(Some(t.major)) {
        String::new()
    } else if is_x(t.minor) {
        format!("<{}.0.0-0", js_plus_one(t.major))
    } else if is_x(t.patch) {
        format!("<{}.{}.0-0", t.major, js_plus_one(tm))
    } else if let Some(pre) = t.pre {
        format!("<={}.{tm}.{tp}-{pre}", t.major)
    } else if opts.include_prerelease {
        format!("<{}.{tm}.{}-0", t.major, js_plus_one(tp))
    } else {
        format!("<={to_text}")
    };
    Some(format!("{from} {to}").trim_matches(' ').to_owned())
}

// --- text rewrites before splitting into comparators ---------------------------------------------

/// Removes every `+build.metadata` (node-semver ignores build metadata in ranges).
fn strip_build_metadata(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'+' && id_end(b, i + 1) > i + 1 {
            // Unlike the grammar's other regexes, this one has no length caps.
            let mut end = id_end(b, i + 1);
            while b.get(end) == Some(&b'.') && id_end(b, end + 1) > end + 1 {
                end = id_end(b, end + 1);
            }
            out.push_str(s.get(copied..i).unwrap_or(""));
            copied = end;
            i = end;
        } else {
            i += 1;
        }
    }
    out.push_str(s.get(copied..).unwrap_or(""));
    out
}

// node-semver collapses whitespace to single spaces before parsing and then matches with
// "safe" regexes in which `\s*` and `\s+` stand for at most / exactly one whitespace character.
// Stripping build metadata can leave two spaces side by side, so these rewrites remove exactly
// the spaces those regexes remove.

/// Removes the space between an operator and its version: `>= 1.2.3` → `>=1.2.3` (regex
/// `(\s?)(<|>)?=?\s?PLAIN`, replaced by the text without its second `\s?`).
fn comparator_trim(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let mut j = if b[i] == b' ' { i + 1 } else { i };
        if matches!(b.get(j), Some(b'<' | b'>')) {
            j += 1;
        }
        if b.get(j) == Some(&b'=') {
            j += 1;
        }
        let operator_end = j;
        let version_start = if b.get(j) == Some(&b' ') { j + 1 } else { j };
        let end = loose_plain_prefix(s, version_start).or_else(|| xrange_plain_prefix(s, version_start));
        if let Some(end) = end {
            out.push_str(s.get(i..operator_end).unwrap_or(""));
            out.push_str(s.get(version_start..end).unwrap_or(""));
            i = end;
        } else {
            let step = s.get(i..).and_then(|r| r.chars().next()).map_or(1, char::len_utf8);
            out.push_str(s.get(i..i + step).unwrap_or(""));
            i += step;
        }
    }
    out
}

/// `~ 1.2` → `~1.2` and `~> 1.2` → `~1.2` (one space removed).
fn tilde_trim(s: &str) -> String {
    rewrite_operator_space(s, b'~', true)
}

/// `^ 1.2` → `^1.2` (one space removed).
fn caret_trim(s: &str) -> String {
    rewrite_operator_space(s, b'^', false)
}

/// Replaces `op[>] ` with `op` (the `>` of `~>` goes too, as node-semver does).
fn rewrite_operator_space(s: &str, op: u8, allow_gt: bool) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == op {
            let mut space = i + 1;
            if allow_gt && b.get(space) == Some(&b'>') && b.get(space + 1) == Some(&b' ') {
                space += 1;
            }
            if b.get(space) == Some(&b' ') {
                out.push_str(s.get(copied..=i).unwrap_or(""));
                copied = space + 1;
                i = space + 1;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(s.get(copied..).unwrap_or(""));
    out
}

// --- matchers for node-semver's grammar ----------------------------------------------------------

/// Byte ranges of a matched version or partial version.
#[derive(Clone, Copy, Debug)]
struct Plain {
    major: (usize, usize),
    minor: Option<(usize, usize)>,
    patch: Option<(usize, usize)>,
    pre: Option<(usize, usize)>,
    build: Option<(usize, usize)>,
}

/// node-semver's "safe" regexes cap `\d*`/`\d+` at 256 digits and `[a-zA-Z0-9-]*`/`+` at 250
/// characters. Versions are at most 256 characters, so the caps only bind inside ranges.
const MAX_DIGIT_RUN: usize = 256;
const MAX_ID_RUN: usize = 250;

fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// End of the (uncapped) run of `[0-9A-Za-z-]` starting at `i`.
fn id_end(b: &[u8], mut i: usize) -> usize {
    while b.get(i).copied().is_some_and(is_id_byte) {
        i += 1;
    }
    i
}

fn digits_end(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// Greedy `[a-zA-Z0-9-]{0,250}` at `i`.
fn capped_id_end(b: &[u8], i: usize) -> usize {
    i + (id_end(b, i) - i).min(MAX_ID_RUN)
}

/// Greedy number at `i`: loose `\d{1,256}`, strict `0|[1-9]\d{0,256}`.
fn number_end(b: &[u8], i: usize, loose: bool) -> Option<usize> {
    let run = digits_end(b, i) - i;
    if run == 0 {
        return None;
    }
    let cap = if loose {
        MAX_DIGIT_RUN
    } else if b.get(i) == Some(&b'0') {
        1
    } else {
        MAX_DIGIT_RUN + 1
    };
    Some(i + run.min(cap))
}

/// Greedy pre-release identifier at `i`: `\d{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250}`, else a number.
fn pre_id_end(b: &[u8], i: usize, loose: bool) -> Option<usize> {
    let digits = digits_end(b, i);
    if digits - i <= MAX_DIGIT_RUN && b.get(digits).is_some_and(|&c| c.is_ascii_alphabetic() || c == b'-') {
        return Some(capped_id_end(b, digits + 1));
    }
    number_end(b, i, loose)
}

/// Dot-separated pre-release identifiers, each matched whole.
fn valid_prerelease(s: &str, loose: bool) -> bool {
    s.split('.').all(|id| !id.is_empty() && pre_id_end(id.as_bytes(), 0, loose) == Some(id.len()))
}

/// Dot-separated build identifiers of 1 to 250 characters.
fn valid_build(s: &str) -> bool {
    s.split('.').all(|id| (1..=MAX_ID_RUN).contains(&id.len()) && id.bytes().all(is_id_byte))
}

/// Greedy `[id]{1,250}(\.[id]{1,250})*` at `i`, where a non-empty run starts.
fn build_ids_end(b: &[u8], i: usize) -> usize {
    let mut end = capped_id_end(b, i);
    while b.get(end) == Some(&b'.') && id_end(b, end + 1) > end + 1 {
        end = capped_id_end(b, end + 1);
    }
    end
}

/// The `[v=\s]*` prefix (JavaScript whitespace).
fn prefix_end(s: &str, i: usize) -> usize {
    let rest = s.get(i..).unwrap_or("");
    i + (rest.len() - rest.trim_start_matches(|c: char| c == 'v' || c == '=' || is_js_space(c)).len())
}

/// Full match of what follows PATCH: `(-PRE)?(+BUILD)?` strict, `(-?PRE)?(+BUILD)?` loose.
type Tail = (Option<(usize, usize)>, Option<(usize, usize)>);

fn match_tail(s: &str, start: usize, loose: bool) -> Option<Tail> {
    let rest = s.get(start..)?;
    let (pre_text, build) = match rest.find('+') {
        Some(plus) => {
            let build_text = rest.get(plus + 1..)?;
            if !valid_build(build_text) {
                return None;
            }
            (rest.get(..plus)?, Some((start + plus + 1, s.len())))
        }
        None => (rest, None),
    };
    let pre_end = start + pre_text.len();
    if pre_text.is_empty() {
        return Some((None, build));
    }
    if let Some(after_dash) = pre_text.strip_prefix('-')
        && valid_prerelease(after_dash, loose)
    {
        return Some((Some((start + 1, pre_end)), build));
    }
    // Loose: the `-` is optional, and a lone `-` can itself be an identifier.
    if loose && valid_prerelease(pre_text, true) {
        return Some((Some((start, pre_end)), build));
    }
    None
}

/// An x-range identifier or number at `i`.
fn number_or_x(b: &[u8], i: usize, loose: bool, allow_x: bool) -> Option<usize> {
    if allow_x && matches!(b.get(i), Some(b'x' | b'X' | b'*')) {
        return Some(i + 1);
    }
    number_end(b, i, loose)
}

/// Full match of a version (`xrange == false`: strict `v?M.m.p…`, loose `[v=\s]*M.m.p…`) or of
/// a partial version (`xrange == true`: `[v=\s]*X(.X(.X PRE? BUILD?)?)?`, X = number, x, X, *).
fn match_plain(s: &str, loose: bool, xrange: bool) -> Option<Plain> {
    let b = s.as_bytes();
    let start = if loose || xrange { prefix_end(s, 0) } else { usize::from(b.first() == Some(&b'v')) };
    let major_end = number_or_x(b, start, loose, xrange)?;
    let major = (start, major_end);
    let partial_only = |minor| Plain { major, minor, patch: None, pre: None, build: None };
    if xrange && major_end == b.len() {
        return Some(partial_only(None));
    }
    if b.get(major_end) != Some(&b'.') {
        return None;
    }
    let minor_end = number_or_x(b, major_end + 1, loose, xrange)?;
    let minor = (major_end + 1, minor_end);
    if xrange && minor_end == b.len() {
        return Some(partial_only(Some(minor)));
    }
    if b.get(minor_end) != Some(&b'.') {
        return None;
    }
    let patch_start = minor_end + 1;
    let patch_end = number_or_x(b, patch_start, loose, xrange)?;
    let (patch_end, (pre, build)) = match match_tail(s, patch_end, loose) {
        Some(tail) => (patch_end, tail),
        // Loose regexes backtrack: `1.2.34.5` reads as patch 3, pre-release `4.5`.
        None if loose && patch_end - patch_start >= 2 && b.get(patch_start).is_some_and(u8::is_ascii_digit) => {
            (patch_end - 1, match_tail(s, patch_end - 1, loose)?)
        }
        None => return None,
    };
    Some(Plain { major, minor: Some(minor), patch: Some((patch_start, patch_end)), pre, build })
}

/// Greedy unanchored match of `PRE` (strict: `-ID(.ID)*`, loose: `-?ID(.ID)*`) at `i`.
fn pre_prefix_end(b: &[u8], i: usize, loose: bool) -> usize {
    let after_dash = if b.get(i) == Some(&b'-') { pre_id_end(b, i + 1, loose) } else { None };
    let Some(mut end) = after_dash.or_else(|| if loose { pre_id_end(b, i, loose) } else { None }) else {
        return i;
    };
    while b.get(end) == Some(&b'.') {
        match pre_id_end(b, end + 1, loose) {
            Some(next) => end = next,
            None => break,
        }
    }
    end
}

fn build_prefix_end(b: &[u8], i: usize) -> usize {
    if b.get(i) == Some(&b'+') && id_end(b, i + 1) > i + 1 { build_ids_end(b, i + 1) } else { i }
}

/// Greedy unanchored `[v=\s]*M.m.p PRE? BUILD?` with loose numbers at `i`: its end.
fn loose_plain_prefix(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut end = prefix_end(s, i);
    for part in 0..3 {
        end = number_end(b, end, true)?;
        if part < 2 {
            if b.get(end) != Some(&b'.') {
                return None;
            }
            end += 1;
        }
    }
    Some(build_prefix_end(b, pre_prefix_end(b, end, true)))
}

/// Greedy unanchored strict `[v=\s]*X(.X(.X PRE? BUILD?)?)?` at `i`: its end.
fn xrange_plain_prefix(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let x_id = |at: usize| number_or_x(b, at, false, true);
    let mut end = x_id(prefix_end(s, i))?;
    if b.get(end) == Some(&b'.')
        && let Some(minor_end) = x_id(end + 1)
    {
        end = minor_end;
        if b.get(end) == Some(&b'.')
            && let Some(patch_end) = x_id(end + 1)
        {
            end = build_prefix_end(b, pre_prefix_end(b, patch_end, false));
        }
    }
    Some(end)
}

// --- JavaScript whitespace -----------------------------------------------------------------------

/// JavaScript's `\s` (and what `String.prototype.trim` removes).
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{FEFF}'
    )
}

fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

fn js_trim_start(s: &str) -> &str {
    s.trim_start_matches(is_js_space)
}

/// Every run of whitespace becomes one space, as node-semver does before parsing a range.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if is_js_space(c) {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(s: &str, opts: NpmOptions) -> NpmRange {
        match NpmRange::parse(s, opts) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    const STRICT: NpmOptions = NpmOptions { loose: false, include_prerelease: false };
    const PRE: NpmOptions = NpmOptions { loose: false, include_prerelease: true };

    #[test]
    fn desugaring_matches_node_semver() {
        // Expected strings are what node-semver 7.8.6 prints as `new Range(r, opts).range`.
        let cases = [
            ("^1.2.3", STRICT, ">=1.2.3 <2.0.0-0"),
            ("^0.0", STRICT, "<0.1.0-0"),
            ("^0.1.2-pre", STRICT, ">=0.1.2-pre <0.2.0-0"),
            ("~1.1", PRE, ">=1.1.0-0 <1.2.0-0"),
            ("~> 1", STRICT, ">=1.0.0 <2.0.0-0"),
            (">1.x", PRE, ">=2.0.0-0"),
            ("<=1.2", STRICT, "<1.3.0-0"),
            (">*", STRICT, "<0.0.0-0"),
            ("1.2.3 - 2.3.4", PRE, ">=1.2.3-0 <2.3.5-0"),
            ("x - 1.0.0", PRE, "<1.0.1-0"),
            ("1.2+build - 2", STRICT, ">=1.2.0 <3.0.0-0"),
            ("1.2.3*", STRICT, "1.2.3"),
            ("==1", STRICT, ">=1.0.0 <2.0.0-0"),
            (">=0.0.0", STRICT, ""),
            ("1.2.3-+b", NpmOptions::LOOSE, "1.2.3--"),
            ("== 1.0.0 || foo", NpmOptions::LOOSE, "1.0.0"),
            ("1.2.3 >= 1.2.3", STRICT, "1.2.3 >=1.2.3"),
            ("~ +b 1", STRICT, ">=1.0.0 <2.0.0-0"),
            ("+a +b 1 - 2", STRICT, ">=1.0.0 <3.0.0-0"),
        ];
        for (input, opts, want) in cases {
            assert_eq!(range(input, opts).desugared(), want, "{input:?} {opts:?}");
        }
    }

    #[test]
    fn invalid_ranges() {
        for bad in
            ["==1.2.3", "1+", "1.2+a.+b", "foo", ">= +b 1", "1 - 2 +b +c", "1 - 2 - 3", "^9007199254740991", "01.2.3"]
        {
            assert!(NpmRange::parse(bad, STRICT).is_err(), "{bad:?}");
        }
        assert!(NpmRange::parse("foo", NpmOptions::LOOSE).is_err());
    }

    #[test]
    fn any_absorbs_union() {
        let v = match NpmVersion::parse("1.2.3-pre") {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        assert!(!range("* || 1.2.3-pre", STRICT).satisfies(&v));
        assert!(range("1.2.3-pre || *", PRE).satisfies(&v));
        assert!(range("1.2.3-pre || 2", STRICT).satisfies(&v));
    }

    #[test]
    fn loose_backtracking() {
        let v = match NpmVersion::parse_loose("1.2.34.5") {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(v.patch(), 3);
        assert_eq!(v.prerelease(), ["4", "5"]);
        let dash = match NpmVersion::parse_loose("1.2.3-") {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(dash.prerelease(), ["-"]);
        assert!(NpmVersion::parse("1.2.3-").is_err());
    }

    #[test]
    fn limits() {
        assert!(NpmVersion::parse("9007199254740991.0.0").is_ok());
        assert!(NpmVersion::parse("9007199254740992.0.0").is_err());
        assert!(NpmVersion::parse_loose("00000000000000000000001.0.0").is_ok());
        let long = format!("1.0.0-{}", "a".repeat(251));
        assert!(NpmVersion::parse(&long).is_err());
        assert!(NpmVersion::parse(&long[..256]).is_ok());
        assert_eq!(js_plus_one("9007199254740991"), "9007199254740992");
        assert_eq!(js_plus_one("999999999999999999999"), "1e+21");
        assert_eq!(js_plus_one("12345000000000000000000000"), "1.2345e+25");
        assert_eq!(js_plus_one(&"9".repeat(400)), "Infinity");
    }

    #[test]
    fn whitespace_is_javascript_whitespace() {
        assert!(NpmVersion::parse("\u{FEFF}1.2.3\u{A0}").is_ok());
        assert!(NpmVersion::parse("\u{85}1.2.3").is_err());
        assert!(NpmVersion::parse_loose("v\u{3000}1.2.3").is_ok());
    }
}
