//! PHP Composer versions and constraints, with the semantics of composer/semver 3.3.
//!
//! A version is first normalised like `VersionParser::normalize` (`v1.0` → `1.0.0.0`,
//! `1.0-b2` → `1.0.0.0-beta2`, `2010-01-02` → `2010.01.02`, `1.x-dev` →
//! `1.9999999.9999999.9999999-dev`, `dev-<branch>` kept as a branch), then compared the way
//! Composer's `Comparator` does, which is PHP's `version_compare` on the normalised strings:
//! the string is cut into parts at `.`, `-`, `_`, `+` and at digit/letter boundaries, numbers
//! compare numerically, words rank `dev < alpha = a < beta = b < RC = rc < number < pl = p`
//! (a word is recognised by its prefix, so `patch` ranks as `p`; an unknown word ranks below
//! `dev`), and when one side runs out, a remaining number makes it larger while a remaining
//! word is compared with a number. Branches (`dev-foo`) are below every numbered version and
//! ordered among themselves by name: Composer holds two different branches incomparable,
//! which a total order cannot say, so it only keeps them distinct.
//!
//! Constraints follow `VersionParser::parseConstraints` and match like `Semver::satisfies`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use crate::VersionError;
use crate::digits::{cmp_decimal, increment_decimal};

const SCHEME: &str = "composer";

// ---------------------------------------------------------------------------------------------
// Small PHP/PCRE helpers (byte-oriented: every split point is an ASCII byte, so slicing a
// `str` there is always on a char boundary; `get` keeps that a non-panicking fact).

/// PHP `trim()` with its default characters.
fn php_trim(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\x0b'))
}

/// PCRE's `\s` (no UTF mode).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// PCRE's `$` without the D modifier: the end, or just before a final newline.
fn at_dollar(s: &str, pos: usize) -> bool {
    pos == s.len() || (pos + 1 == s.len() && s.as_bytes().get(pos) == Some(&b'\n'))
}

fn run(b: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    b.get(from..).map_or(0, |rest| rest.iter().take_while(|&&c| pred(c)).count())
}

fn digits_at(b: &[u8], from: usize) -> usize {
    run(b, from, |c| c.is_ascii_digit())
}

fn byte_is(b: &[u8], at: usize, set: &[u8]) -> bool {
    b.get(at).is_some_and(|c| set.contains(c))
}

fn starts_with_at(s: &str, at: usize, word: &str, case_insensitive: bool) -> bool {
    match s.as_bytes().get(at..at + word.len()) {
        Some(part) if case_insensitive => part.eq_ignore_ascii_case(word.as_bytes()),
        Some(part) => part == word.as_bytes(),
        None => false,
    }
}

fn slice(s: &str, from: usize, to: usize) -> &str {
    s.get(from..to).unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// Arbitrary-length numbers.

fn strip_zeros(digits: &str) -> &str {
    digits.trim_start_matches('0')
}

// ---------------------------------------------------------------------------------------------
// PHP's version_compare.

/// Rank of a non-numeric part: matched by prefix, first entry wins; a number ranks 4.
fn special_rank(part: &[u8]) -> i8 {
    const FORMS: [(&[u8], i8); 10] = [
        (b"dev", 0),
        (b"alpha", 1),
        (b"a", 1),
        (b"beta", 2),
        (b"b", 2),
        (b"RC", 3),
        (b"rc", 3),
        (b"#", 4),
        (b"pl", 5),
        (b"p", 5),
    ];
    FORMS.iter().find(|(form, _)| part.starts_with(form)).map_or(-1, |&(_, rank)| rank)
}

const NUMBER_RANK: i8 = 4;

/// version_compare's canonical form: `-`, `_`, `+` and other non-alphanumerics become one
/// `.`, and a `.` goes between a digit and a non-digit. The first byte is kept as it is.
fn canonicalize(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 2);
    let Some((&first, rest)) = s.split_first() else { return out };
    out.push(first);
    let mut prev = first;
    let non_digit = |c: u8| !c.is_ascii_digit() && c != b'.';
    for &c in rest {
        let last_is_dot = out.last() == Some(&b'.');
        if matches!(c, b'-' | b'_' | b'+') {
            if !last_is_dot {
                out.push(b'.');
            }
        } else if (non_digit(prev) && c.is_ascii_digit()) || (prev.is_ascii_digit() && non_digit(c)) {
            if !last_is_dot {
                out.push(b'.');
            }
            out.push(c);
        } else if !c.is_ascii_alphanumeric() {
            if !last_is_dot {
                out.push(b'.');
            }
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

/// A string starting with `#` is compared as it is (PHP's rule), any other canonicalised.
fn prepare(s: &[u8]) -> Cow<'_, [u8]> {
    if s.first() == Some(&b'#') { Cow::Borrowed(s) } else { Cow::Owned(canonicalize(s)) }
}

fn leading_number(part: &[u8]) -> &str {
    let n = part.iter().take_while(|c| c.is_ascii_digit()).count();
    std::str::from_utf8(&part[..n]).map(strip_zeros).unwrap_or("")
}

fn cmp_parts(a: &[u8], b: &[u8]) -> Ordering {
    let (a_num, b_num) = (a.first().is_some_and(u8::is_ascii_digit), b.first().is_some_and(u8::is_ascii_digit));
    match (a_num, b_num) {
        (true, true) => cmp_decimal(leading_number(a).as_bytes(), leading_number(b).as_bytes()),
        (false, false) => special_rank(a).cmp(&special_rank(b)),
        (true, false) => NUMBER_RANK.cmp(&special_rank(b)),
        (false, true) => special_rank(a).cmp(&NUMBER_RANK),
    }
}

/// The rest of a longer version (from the first part the other side lacks) against a
/// number-ranked nothing: a leading word decides by its rank, a number makes the rest larger.
fn rest_against_number(rest: &[u8]) -> Ordering {
    let mut rest = rest.to_vec();
    // Each round drops at least one part; the bound only guards against surprises.
    for _ in 0..=rest.len() + 1 {
        if rest.is_empty() {
            return Ordering::Less;
        }
        let prepared = prepare(&rest).into_owned();
        let mut parts = prepared.splitn(2, |&c| c == b'.');
        let first = parts.next().unwrap_or_default();
        let ord = if first.first().is_some_and(u8::is_ascii_digit) {
            Ordering::Equal
        } else {
            special_rank(first).cmp(&NUMBER_RANK)
        };
        if ord != Ordering::Equal {
            return ord;
        }
        match parts.next() {
            None => return Ordering::Equal,
            Some(next) if next.first().is_some_and(u8::is_ascii_digit) => return Ordering::Greater,
            Some(next) => rest = next.to_vec(),
        }
    }
    Ordering::Equal
}

/// PHP's `version_compare($a, $b)` (without an operator), on raw strings. Numbers of any
/// length compare exactly (PHP saturates at `PHP_INT_MAX`).
pub fn version_compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.is_empty() || b.is_empty() {
        return (!a.is_empty()).cmp(&!b.is_empty());
    }
    let (a, b) = (prepare(a), prepare(b));
    let pa: Vec<&[u8]> = a.split(|&c| c == b'.').collect();
    let pb: Vec<&[u8]> = b.split(|&c| c == b'.').collect();
    // Whether anything remains from part i on (an empty last part is nothing).
    let remains = |p: &[&[u8]], i: usize| i < p.len() && (i + 1 < p.len() || !p[i].is_empty());
    let (mut more_a, mut more_b) = (true, true);
    let mut i = 0;
    while more_a && more_b && remains(&pa, i) && remains(&pb, i) {
        let ord = cmp_parts(pa[i], pb[i]);
        more_a = i + 1 < pa.len();
        more_b = i + 1 < pb.len();
        if ord != Ordering::Equal {
            return ord;
        }
        i += 1;
    }
    let rest = |p: &[&[u8]]| p.get(i..).unwrap_or_default().join(&b'.');
    if more_a {
        let rest = rest(&pa);
        if rest.first().is_some_and(u8::is_ascii_digit) { Ordering::Greater } else { rest_against_number(&rest) }
    } else if more_b {
        let rest = rest(&pb);
        if rest.first().is_some_and(u8::is_ascii_digit) { Ordering::Less } else { rest_against_number(&rest).reverse() }
    } else {
        Ordering::Equal
    }
}

/// `Comparator::compare` on raw (not normalised) strings: `version_compare`, except that two
/// branches (`dev-…`) are equal when identical and otherwise incomparable (`None`).
pub fn compare_raw(a: &str, b: &str) -> Option<Ordering> {
    if a.starts_with("dev-") && b.starts_with("dev-") {
        return (a == b).then_some(Ordering::Equal);
    }
    match version_compare(a, b) {
        // `Comparator::equalTo($a, $b)` asks `version_compare($b, $a)`, which for a few odd
        // strings (`010#` vs `10_:`) is not the mirror image: then no answer holds.
        Ordering::Equal => (version_compare(b, a) == Ordering::Equal).then_some(Ordering::Equal),
        ord => Some(ord),
    }
}

// ---------------------------------------------------------------------------------------------
// Normalised versions as comparable parts.

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    /// Digits without leading zeros.
    Num(Box<str>),
    /// A word, by its `version_compare` rank (never the number rank).
    Word(i8),
}

fn cmp_part(a: Option<&Part>, b: Option<&Part>) -> Ordering {
    match (a, b) {
        (Some(Part::Num(x)), Some(Part::Num(y))) => cmp_decimal(x.as_bytes(), y.as_bytes()),
        (Some(Part::Word(x)), Some(Part::Word(y))) => x.cmp(y),
        (Some(Part::Num(_)), Some(Part::Word(r))) => NUMBER_RANK.cmp(r),
        (Some(Part::Word(r)), Some(Part::Num(_))) => r.cmp(&NUMBER_RANK),
        // A missing part is below any number and ranks as a number against a word.
        (Some(Part::Num(_)), None) => Ordering::Greater,
        (None, Some(Part::Num(_))) => Ordering::Less,
        (Some(Part::Word(r)), None) => r.cmp(&NUMBER_RANK),
        (None, Some(Part::Word(r))) => NUMBER_RANK.cmp(r),
        (None, None) => Ordering::Equal,
    }
}

/// A normalised version or constraint operand. Structural equality is the order's equality:
/// a missing part never compares equal to a present one.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Norm {
    /// `dev-<name>` (the whole normalised string).
    Branch(Box<str>),
    Numbered(Box<[Part]>),
}

impl Norm {
    /// Normalised strings other than branches hold only digits, ASCII letters, `.` and `-`
    /// and start with a digit, so their canonical form has no empty part and no `#` word:
    /// padding with "missing" parts then makes `version_compare` a total order.
    fn new(normalized: &str) -> Norm {
        if normalized.starts_with("dev-") {
            return Norm::Branch(normalized.into());
        }
        let canonical = canonicalize(normalized.as_bytes());
        let parts = canonical
            .split(|&c| c == b'.')
            .filter(|p| !p.is_empty())
            .map(|p| {
                if p.first().is_some_and(u8::is_ascii_digit) {
                    Part::Num(leading_number(p).into())
                } else {
                    // Rank 4 (`#…`) cannot occur here; keep the order total regardless.
                    let rank = special_rank(p);
                    Part::Word(if rank == NUMBER_RANK { -1 } else { rank })
                }
            })
            .collect();
        Norm::Numbered(parts)
    }

    fn is_branch(&self) -> bool {
        matches!(self, Norm::Branch(_))
    }
}

impl Ord for Norm {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Norm::Branch(a), Norm::Branch(b)) => a.cmp(b),
            (Norm::Branch(_), Norm::Numbered(_)) => Ordering::Less,
            (Norm::Numbered(_), Norm::Branch(_)) => Ordering::Greater,
            (Norm::Numbered(a), Norm::Numbered(b)) => {
                for i in 0..a.len().max(b.len()) {
                    let ord = cmp_part(a.get(i), b.get(i));
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                Ordering::Equal
            }
        }
    }
}

impl PartialOrd for Norm {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

// ---------------------------------------------------------------------------------------------
// The modifier regex `[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?`.

#[derive(Clone, Copy, Debug, Default)]
struct Modifier<'a> {
    /// The stability word as written.
    stability: Option<&'a str>,
    /// Its number part (`.2.1` in `beta.2.1`), possibly empty.
    number: &'a str,
    /// The `dev` suffix.
    dev: bool,
}

const STABILITY_WORDS: [&str; 9] = ["stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p"];

/// End of the `((?:[.-]?\d+)*+)` run from `at` (possessive, so simply maximal).
fn number_run_end(b: &[u8], mut at: usize) -> usize {
    loop {
        let sep = usize::from(byte_is(b, at, b".-") && digits_at(b, at + 1) > 0);
        let d = digits_at(b, at + sep);
        if d == 0 {
            return at;
        }
        at += sep + d;
    }
}

/// `([.-]?dev)?` at `at`: the ends it can reach, preferred first.
fn dev_options(s: &str, at: usize, ci: bool) -> Vec<(bool, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(2);
    if byte_is(b, at, b".-") && starts_with_at(s, at + 1, "dev", ci) {
        out.push((true, at + 4));
    } else if starts_with_at(s, at, "dev", ci) {
        out.push((true, at + 3));
    }
    out.push((false, at));
    out
}

/// Every way the modifier regex matches at `at`, in PCRE's order of preference, each with
/// where it ends.
fn modifier_candidates(s: &str, at: usize, ci: bool) -> Vec<(Modifier<'_>, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let seps: &[usize] = if byte_is(b, at, b"._-") { &[1, 0] } else { &[0] };
    for &sep in seps {
        let start = at + sep;
        for word in STABILITY_WORDS {
            if starts_with_at(s, start, word, ci) {
                let word_end = start + word.len();
                let number_end = number_run_end(b, word_end);
                for (dev, end) in dev_options(s, number_end, ci) {
                    let stability = Some(slice(s, start, word_end));
                    out.push((Modifier { stability, number: slice(s, word_end, number_end), dev }, end));
                }
            }
        }
        for (dev, end) in dev_options(s, start, ci) {
            out.push((Modifier { stability: None, number: "", dev }, end));
        }
    }
    out
}

/// The modifier regex from `at` to `$`.
fn modifier_to_end(s: &str, at: usize, ci: bool) -> Option<Modifier<'_>> {
    modifier_candidates(s, at, ci).into_iter().find(|&(_, end)| at_dollar(s, end)).map(|(m, _)| m)
}

// ---------------------------------------------------------------------------------------------
// VersionParser::normalize

fn expand_stability(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    match lower.as_str() {
        "a" => "alpha".to_owned(),
        "b" => "beta".to_owned(),
        "p" | "pl" => "patch".to_owned(),
        "rc" => "RC".to_owned(),
        _ => lower,
    }
}

/// `^v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)?MOD$` (case-insensitive): `1.2` → `1.2.0.0`.
fn classical(v: &str) -> Option<(String, Modifier<'_>)> {
    let b = v.as_bytes();
    let mut i = usize::from(byte_is(b, 0, b"vV"));
    let d = digits_at(b, i);
    if d == 0 || d > 5 {
        return None;
    }
    let mut out = slice(v, i, i + d).to_owned();
    i += d;
    let mut parts = 0;
    while parts < 3 && byte_is(b, i, b".") && digits_at(b, i + 1) > 0 {
        let d = digits_at(b, i + 1);
        out.push_str(slice(v, i, i + 1 + d));
        i += 1 + d;
        parts += 1;
    }
    let modifier = modifier_to_end(v, i, true)?;
    for _ in parts..3 {
        out.push_str(".0");
    }
    Some((out, modifier))
}

/// `^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?)MOD$` (case-insensitive): date versions.
fn date_version(v: &str) -> Option<(String, Modifier<'_>)> {
    let b = v.as_bytes();
    let start = usize::from(byte_is(b, 0, b"vV"));
    if digits_at(b, start) < 4 {
        return None;
    }
    let (end, modifier) = date_rest(v, start + 4, 0)?;
    let date: String = slice(v, start, end).chars().map(|c| if c.is_ascii_digit() { c } else { '.' }).collect();
    Some((date, modifier))
}

/// Backtracking over the date's `{1,6}` pairs and optional tail, PCRE's order (greedy).
/// Recursion depth is at most 7.
fn date_rest(v: &str, at: usize, pairs: usize) -> Option<(usize, Modifier<'_>)> {
    let b = v.as_bytes();
    if pairs < 6 {
        let with_separator = byte_is(b, at, b".:-") && digits_at(b, at + 1) >= 2;
        let found = with_separator.then(|| date_rest(v, at + 3, pairs + 1)).flatten();
        let found = found.or_else(|| (digits_at(b, at) >= 2).then(|| date_rest(v, at + 2, pairs + 1)).flatten());
        if found.is_some() {
            return found;
        }
    }
    if pairs == 0 {
        return None;
    }
    let seps: &[usize] = if byte_is(b, at, b".:-") { &[1, 0] } else { &[0] };
    for &sep in seps {
        let available = digits_at(b, at + sep).min(3);
        for n in (1..=available).rev() {
            if let Some(m) = modifier_to_end(v, at + sep + n, true) {
                return Some((at + sep + n, m));
            }
        }
    }
    modifier_to_end(v, at, true).map(|m| (at, m))
}

/// `^([^,\s]++) ++as ++([^,\s]++)$`: the aliased version of `1.0 as 2.0`.
fn alias_source(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let token = |from| run(b, from, |c| c != b',' && !is_space(c));
    let first = token(0);
    let spaces = run(b, first, |c| c == b' ');
    if first == 0 || spaces == 0 || !starts_with_at(s, first + spaces, "as", false) {
        return None;
    }
    let after_as = first + spaces + 2;
    let spaces = run(b, after_as, |c| c == b' ');
    let second = token(after_as + spaces);
    (spaces > 0 && second > 0 && at_dollar(s, after_as + spaces + second)).then(|| slice(s, 0, first))
}

/// Stability flags written after `@` (`1.0@dev`).
const FLAG_WORDS: [&str; 5] = ["stable", "RC", "beta", "alpha", "dev"];

/// A wildcard number: `x`, `X` or `*`.
fn is_wild(b: &[u8], at: usize) -> bool {
    byte_is(b, at, b"xX*")
}

/// `normalizeBranch`: `1.x` → `1.9999999.9999999.9999999-dev`, anything else `dev-<name>`.
fn normalize_branch(name: &str) -> String {
    let name = php_trim(name);
    let b = name.as_bytes();
    let mut i = usize::from(byte_is(b, 0, b"vV"));
    let d = digits_at(b, i);
    if d > 0 {
        let mut out = slice(name, i, i + d).to_owned();
        i += d;
        let mut parts = 0;
        while parts < 3 && byte_is(b, i, b".") {
            let d = digits_at(b, i + 1);
            let len = if d > 0 {
                d
            } else if is_wild(b, i + 1) {
                1
            } else {
                break;
            };
            out.push_str(slice(name, i, i + 1 + len));
            i += 1 + len;
            parts += 1;
        }
        if at_dollar(name, i) {
            for _ in parts..3 {
                out.push_str(".x");
            }
            return out.replace(['*', 'X'], "x").replace('x', "9999999") + "-dev";
        }
    }
    format!("dev-{name}")
}

/// `VersionParser::normalize`: the normalised form Composer compares, or an error for a
/// string Composer rejects.
pub fn normalize(version: &str) -> Result<String, VersionError> {
    normalize_inner(version).ok_or_else(|| VersionError::new(SCHEME, version, "invalid version string"))
}

fn normalize_inner(version: &str) -> Option<String> {
    let mut v = php_trim(version);
    if let Some(source) = alias_source(v) {
        v = source;
    }
    // A trailing stability flag (`@dev`) does not belong to the version.
    for word in FLAG_WORDS {
        let len = word.len() + 1;
        if v.len() >= len && v.as_bytes()[v.len() - len] == b'@' && starts_with_at(v, v.len() - word.len(), word, true)
        {
            v = slice(v, 0, v.len() - len);
            break;
        }
    }
    if matches!(v, "master" | "trunk" | "default") {
        return Some(format!("dev-{v}"));
    }
    if starts_with_at(v, 0, "dev-", true) {
        return Some(format!("dev-{}", v.get(4..).unwrap_or("")));
    }
    // Build metadata: `^([^,\s+]++)\+[^\s]++$`.
    let b = v.as_bytes();
    let head = run(b, 0, |c| c != b',' && c != b'+' && !is_space(c));
    let tail = run(b, head + 1, |c| !is_space(c));
    if head > 0 && byte_is(b, head, b"+") && tail > 0 && at_dollar(v, head + 1 + tail) {
        v = slice(v, 0, head);
    }
    if let Some((mut out, m)) = classical(v).or_else(|| date_version(v)) {
        if let Some(word) = m.stability {
            if word == "stable" {
                return Some(out);
            }
            out.push('-');
            out.push_str(&expand_stability(word));
            out.push_str(m.number.trim_start_matches(['.', '-']));
        }
        if m.dev {
            out.push_str("-dev");
        }
        return Some(out);
    }
    // `(.*?)[.-]?dev$`: a numbered branch such as `1.x-dev` or `2.1.*-dev`.
    let len = v.len();
    if len >= 3 && starts_with_at(v, len - 3, "dev", true) {
        let end = len - 3;
        // `.` does not cross a newline: the match starts after the last one.
        let start = v.get(..end).and_then(|h| h.rfind('\n')).map_or(0, |p| p + 1);
        let name_end = if end > start && byte_is(v.as_bytes(), end - 1, b".-") { end - 1 } else { end };
        let branch = normalize_branch(slice(v, start, name_end));
        if !branch.contains("dev-") {
            return Some(branch);
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// ComposerVersion

/// A Composer version, normalised like `VersionParser::normalize`.
#[derive(Clone, Debug)]
pub struct ComposerVersion {
    input: Box<str>,
    normalized: Box<str>,
    norm: Norm,
}

impl ComposerVersion {
    /// Parses and normalises like `VersionParser::normalize`; `dev-master` stays a branch
    /// (what `Semver::satisfies` compares).
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let normalized = normalize(s)?;
        Ok(Self::from_normalized(s, normalized))
    }

    /// Like `parse`, then treats `dev-master`, `dev-default` and `dev-trunk` as the default
    /// branch `9999999-dev`, above every release (`normalizeDefaultBranch`, as `Semver::sort` does).
    pub fn parse_default_branch(s: &str) -> Result<Self, VersionError> {
        let mut normalized = normalize(s)?;
        if matches!(normalized.as_str(), "dev-master" | "dev-default" | "dev-trunk") {
            normalized = "9999999-dev".to_owned();
        }
        Ok(Self::from_normalized(s, normalized))
    }

    fn from_normalized(input: &str, normalized: String) -> Self {
        let norm = Norm::new(&normalized);
        ComposerVersion { input: input.into(), normalized: normalized.into(), norm }
    }

    /// The normalised form (`1.0.0.0-beta2`, `dev-main`).
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// True for a branch (`dev-…`, other than a default branch read by `parse_default_branch`).
    pub fn is_branch(&self) -> bool {
        self.norm.is_branch()
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.norm.cmp(&other.norm)
    }
}

impl PartialOrd for ComposerVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ComposerVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ComposerVersion {}

impl fmt::Display for ComposerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.input)
    }
}

// ---------------------------------------------------------------------------------------------
// Constraints

/// A comparison operator of a constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum ComposerOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl ComposerOp {
    fn from_text(op: &str) -> ComposerOp {
        match op {
            "<>" | "!=" => ComposerOp::Ne,
            "<" => ComposerOp::Lt,
            "<=" => ComposerOp::Le,
            ">" => ComposerOp::Gt,
            ">=" => ComposerOp::Ge,
            _ => ComposerOp::Eq,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ComposerOp::Eq => "==",
            ComposerOp::Ne => "!=",
            ComposerOp::Lt => "<",
            ComposerOp::Le => "<=",
            ComposerOp::Gt => ">",
            ComposerOp::Ge => ">=",
        }
    }
}

#[derive(Clone, Debug)]
enum Atom {
    Any,
    Cmp { op: ComposerOp, normalized: Box<str>, norm: Norm },
}

impl Atom {
    fn cmp(op: ComposerOp, normalized: String) -> Atom {
        let norm = Norm::new(&normalized);
        Atom::Cmp { op, normalized: normalized.into(), norm }
    }

    /// `Constraint::matchSpecific` against `== version`, branches not comparable.
    fn matches(&self, v: &Norm) -> bool {
        let Atom::Cmp { op, norm, .. } = self else { return true };
        match (op, v, norm) {
            (ComposerOp::Eq, Norm::Branch(a), Norm::Branch(b)) => a == b,
            (ComposerOp::Ne, Norm::Branch(a), Norm::Branch(b)) => a != b,
            (ComposerOp::Ne, Norm::Branch(_), _) | (ComposerOp::Ne, _, Norm::Branch(_)) => true,
            (_, Norm::Branch(_), _) | (_, _, Norm::Branch(_)) => false,
            _ => {
                let ord = v.cmp(norm);
                match op {
                    ComposerOp::Eq => ord == Ordering::Equal,
                    ComposerOp::Ne => ord != Ordering::Equal,
                    ComposerOp::Lt => ord == Ordering::Less,
                    ComposerOp::Le => ord != Ordering::Greater,
                    ComposerOp::Gt => ord == Ordering::Greater,
                    ComposerOp::Ge => ord != Ordering::Less,
                }
            }
        }
    }
}

/// A Composer constraint (`^1.2 || ~2.0, !=2.0.3`): alternatives of conjunctions.
#[derive(Clone, Debug)]
pub struct ComposerConstraint {
    input: Box<str>,
    any_of: Vec<Vec<Atom>>,
}

impl ComposerConstraint {
    /// Parses like `VersionParser::parseConstraints`.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let mut any_of = Vec::new();
        for alternative in split_or(php_trim(s)) {
            let mut all_of = Vec::new();
            for part in split_and(alternative) {
                all_of.extend(parse_constraint(part).map_err(|reason| VersionError::new(SCHEME, s, reason))?);
            }
            any_of.push(all_of);
        }
        Ok(ComposerConstraint { input: s.into(), any_of: merge_adjacent_ranges(any_of) })
    }

    /// Whether the version satisfies the constraint, like `Semver::satisfies`. A branch
    /// satisfies only `*`, `==`/`!=` with a branch, and `!=` with a release.
    pub fn matches(&self, version: &ComposerVersion) -> bool {
        self.any_of.iter().any(|all| all.iter().all(|atom| atom.matches(&version.norm)))
    }

    /// The normalised form, e.g. `[>= 1.2.0.0-dev < 2.0.0.0-dev] || [== 3.0.0.0]`.
    pub fn normalized(&self) -> String {
        let group = |all: &Vec<Atom>| {
            let atoms: Vec<String> = all
                .iter()
                .map(|a| match a {
                    Atom::Any => "*".to_owned(),
                    Atom::Cmp { op, normalized, .. } => format!("{} {normalized}", op.as_str()),
                })
                .collect();
            format!("[{}]", atoms.join(" "))
        };
        self.any_of.iter().map(group).collect::<Vec<_>>().join(" || ")
    }
}

impl fmt::Display for ComposerConstraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.input)
    }
}

/// `MultiConstraint::create`'s only optimisation of alternatives: `[>= a < b] || [>= b < c]`
/// becomes `[>= a < c]`. Composer applies it whatever the bounds, so it also changes what an
/// odd constraint such as `^1.0 || >=2.0 <=1.5` matches (`1.9` no longer does); done here too.
fn merge_adjacent_ranges(groups: Vec<Vec<Atom>>) -> Vec<Vec<Atom>> {
    let text = |atom: &Atom| match atom {
        Atom::Any => "*".to_owned(),
        Atom::Cmp { op, normalized, .. } => format!("{} {normalized}", op.as_str()),
    };
    let range = |group: &[Atom]| match group {
        [low, high] => Some((text(low), text(high))),
        _ => None,
    };
    let mut out: Vec<Vec<Atom>> = Vec::with_capacity(groups.len());
    for group in groups {
        // Composer compares the constraints' string forms: `< b` against `>= b`.
        let merge = match (out.last().and_then(|left| range(left)), range(&group)) {
            (Some((left_low, left_high)), Some((right_low, right_high))) => {
                left_low.starts_with(">=")
                    && left_high.starts_with('<')
                    && right_low.starts_with(">=")
                    && right_high.starts_with('<')
                    && left_high.get(2..) == right_low.get(3..)
            }
            _ => false,
        };
        if let (true, Some(left), [_, high]) = (merge, out.last_mut(), group.as_slice()) {
            if let Some(left_high) = left.get_mut(1) {
                *left_high = high.clone();
            }
            continue;
        }
        out.push(group);
    }
    out
}

/// `Semver::satisfies($version, $constraints)`.
pub fn satisfies(version: &str, constraint: &str) -> Result<bool, VersionError> {
    Ok(ComposerConstraint::parse(constraint)?.matches(&ComposerVersion::parse(version)?))
}

/// `preg_split('{\s*\|\|?\s*}', …)`.
fn split_or(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut piece_start, mut i) = (0, 0);
    while i < b.len() {
        let spaces = run(b, i, is_space);
        if byte_is(b, i + spaces, b"|") {
            let mut end = i + spaces + 1;
            if byte_is(b, end, b"|") {
                end += 1;
            }
            end += run(b, end, is_space);
            out.push(slice(s, piece_start, i));
            piece_start = end;
            i = end;
        } else {
            i += spaces.max(1);
        }
    }
    out.push(slice(s, piece_start, s.len()));
    out
}

/// `preg_split('{(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$)}', …)`: AND parts are
/// separated by a comma or spaces, but not after an operator, around a hyphen range's `-`, or
/// around `as`.
fn split_and(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut piece_start, mut i) = (0, 1);
    while i < b.len() {
        if let Some(end) = and_separator_at(s, i) {
            out.push(slice(s, piece_start, i));
            piece_start = end;
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out.push(slice(s, piece_start, s.len()));
    out
}

/// Where an AND separator starting at `i` (> 0) ends, if one does.
fn and_separator_at(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    if byte_is(b, i - 1, b"=>< ,") || (i >= 2 && starts_with_at(s, i - 2, "as", false)) {
        return None;
    }
    let lead = run(b, i, |c| c == b' ');
    for k in (0..=lead).rev() {
        let j = i + k;
        if byte_is(b, j - 1, b"-") || !byte_is(b, j, b", ") || byte_is(b, j + 1, b"-") {
            continue;
        }
        let trail = run(b, j + 1, |c| c == b' ');
        for m in (0..=trail).rev() {
            let e = j + 1 + m;
            if !byte_is(b, e, b",") && !starts_with_at(s, e, "as", false) && !at_dollar(s, e) {
                return Some(e);
            }
        }
    }
    None
}

/// Captures of the version part of tilde, caret and hyphen constraints:
/// `v?(\d++)(?:\.(\d++))?(?:\.(\d++))?(?:\.(\d++))?(?:MOD|\.([xX*][.-]?dev))(?:\+[^\s]+)?`.
#[derive(Clone, Copy, Debug)]
struct VersionMatch<'a> {
    text: &'a str,
    numbers: [Option<&'a str>; 4],
    modifier: Modifier<'a>,
    x_dev: bool,
    end: usize,
}

impl VersionMatch<'_> {
    /// No stability, no `dev`: the lower bound then admits the version's own dev releases.
    fn is_plain(&self) -> bool {
        self.modifier.stability.is_none() && !self.modifier.dev && !self.x_dev
    }

    /// 1-based index of the last number given.
    fn last_number(&self) -> usize {
        self.numbers.iter().rposition(Option::is_some).map_or(1, |i| i + 1)
    }
}

fn version_candidates(s: &str, start: usize) -> Vec<VersionMatch<'_>> {
    let b = s.as_bytes();
    let mut i = start + usize::from(byte_is(b, start, b"vV"));
    let d = digits_at(b, i);
    if d == 0 {
        return Vec::new();
    }
    let mut numbers = [Some(slice(s, i, i + d)), None, None, None];
    i += d;
    for n in numbers.iter_mut().skip(1) {
        let d = digits_at(b, i + 1);
        if !byte_is(b, i, b".") || d == 0 {
            break;
        }
        *n = Some(slice(s, i + 1, i + 1 + d));
        i += 1 + d;
    }
    let mut tails: Vec<(Modifier<'_>, bool, usize)> =
        modifier_candidates(s, i, true).into_iter().map(|(m, end)| (m, false, end)).collect();
    if byte_is(b, i, b".")
        && is_wild(b, i + 1)
        && let Some(&(true, end)) = dev_options(s, i + 2, true).first()
    {
        tails.push((Modifier::default(), true, end));
    }
    let mut out = Vec::with_capacity(tails.len() * 2);
    for (modifier, x_dev, end) in tails {
        let build = run(b, end + 1, |c| !is_space(c));
        let ends: &[usize] = if byte_is(b, end, b"+") && build > 0 { &[end + 1 + build, end] } else { &[end] };
        for &end in ends {
            out.push(VersionMatch { text: slice(s, start, end), numbers, modifier, x_dev, end });
        }
    }
    out
}

/// `manipulateVersionString` with a non-negative increment: numbers after `position` become
/// `0`, the one at `position` is incremented when asked.
fn manipulate(numbers: &[Option<&str>; 4], position: usize, increment_it: bool) -> String {
    let parts: Vec<String> = (1..=4)
        .map(|i| {
            let given = numbers[i - 1].unwrap_or("");
            if i > position {
                "0".to_owned()
            } else if i == position && increment_it {
                // PHP's `$part + 1`, without its integer overflow.
                increment_decimal(given)
            } else {
                given.to_owned()
            }
        })
        .collect();
    parts.join(".")
}

fn normalized_or_reason(s: &str) -> Result<String, String> {
    normalize_inner(s).ok_or_else(|| format!("invalid version string {s:?}"))
}

/// `VersionParser::parseConstraint`: one AND part.
fn parse_constraint(part: &str) -> Result<Vec<Atom>, String> {
    let mut c = part;
    if let Some(source) = alias_source(c) {
        c = source;
    }
    let mut stability_flag = None;
    if let Some((before, word)) = constraint_flag(c) {
        c = if before.is_empty() { "*" } else { before };
        if word != "stable" {
            stability_flag = Some(word);
        }
    }
    if let Some(without_ref) = strip_reference(c) {
        c = without_ref;
    }
    if let Some(atoms) = wildcard_all(c) {
        return Ok(atoms);
    }
    if let Some(atoms) = tilde(c) {
        return atoms;
    }
    if let Some(atoms) = caret(c) {
        return atoms;
    }
    if let Some(atoms) = x_range(c) {
        return Ok(atoms);
    }
    if let Some(atoms) = hyphen_range(c) {
        return atoms;
    }
    basic(c, stability_flag)
}

/// `^([^,\s]*?)@(stable|RC|beta|alpha|dev)$` (case-insensitive).
fn constraint_flag(c: &str) -> Option<(&str, &str)> {
    let at = c.rfind('@')?;
    let before = slice(c, 0, at);
    if before.bytes().any(|b| b == b',' || is_space(b)) {
        return None;
    }
    let word_len = FLAG_WORDS
        .iter()
        .find(|w| starts_with_at(c, at + 1, w, true) && at_dollar(c, at + 1 + w.len()))
        .map(|w| w.len())?;
    Some((before, slice(c, at + 1, at + 1 + word_len)))
}

/// `^(dev-[^,\s@]+?|[^,\s@]+?\.x-dev)#.+$` (case-insensitive): drops a `#ref`.
fn strip_reference(c: &str) -> Option<&str> {
    let b = c.as_bytes();
    let name_byte = |x: u8| x != b',' && x != b'@' && !is_space(x);
    let rest_ok = |hash: usize| {
        let n = run(b, hash + 1, |x| x != b'\n');
        n > 0 && at_dollar(c, hash + 1 + n)
    };
    if starts_with_at(c, 0, "dev-", true) {
        for h in 5..b.len() {
            if !name_byte(b[h - 1]) {
                break;
            }
            if b[h] == b'#' && rest_ok(h) {
                return Some(slice(c, 0, h));
            }
        }
    }
    for p in 1..b.len() {
        if !name_byte(b[p - 1]) {
            break;
        }
        if starts_with_at(c, p, ".x-dev#", true) && rest_ok(p + 6) {
            return Some(slice(c, 0, p + 6));
        }
    }
    None
}

/// `^(v)?[xX*](\.[xX*])*$` (case-insensitive): `*` matches everything, `v*` / `*.*` every
/// version from `0.0.0.0-dev`.
fn wildcard_all(c: &str) -> Option<Vec<Atom>> {
    let b = c.as_bytes();
    let v = byte_is(b, 0, b"vV");
    let mut i = usize::from(v);
    if !is_wild(b, i) {
        return None;
    }
    i += 1;
    let mut more = false;
    while byte_is(b, i, b".") && is_wild(b, i + 1) {
        i += 2;
        more = true;
    }
    if !at_dollar(c, i) {
        return None;
    }
    Some(if v || more { vec![Atom::cmp(ComposerOp::Ge, "0.0.0.0-dev".to_owned())] } else { vec![Atom::Any] })
}

/// `~1.2` → `>= 1.2.0.0-dev < 2.0.0.0-dev`; `~1.2.3` → `< 1.3.0.0-dev`.
fn tilde(c: &str) -> Option<Result<Vec<Atom>, String>> {
    if !c.starts_with('~') {
        return None;
    }
    let starts: &[usize] = if c.as_bytes().get(1) == Some(&b'>') { &[2, 1] } else { &[1] };
    let m = starts.iter().flat_map(|&st| version_candidates(c, st)).find(|m| at_dollar(c, m.end))?;
    if c.starts_with("~>") {
        return Some(Err(format!("invalid operator \"~>\" in {c:?}, Composer's is \"~\"")));
    }
    let mut position = m.last_number();
    if m.x_dev {
        position += 1;
    }
    let suffix = if m.is_plain() { "-dev" } else { "" };
    let low = match normalized_or_reason(&format!("{}{suffix}", c.get(1..).unwrap_or(""))) {
        Ok(low) => low,
        Err(e) => return Some(Err(e)),
    };
    let high = manipulate(&m.numbers, position.saturating_sub(1).max(1), true) + "-dev";
    Some(Ok(vec![Atom::cmp(ComposerOp::Ge, low), Atom::cmp(ComposerOp::Lt, high)]))
}

/// `^1.2.3` → `>= 1.2.3.0-dev < 2.0.0.0-dev`; `^0.2` → `< 0.3.0.0-dev`.
fn caret(c: &str) -> Option<Result<Vec<Atom>, String>> {
    if !c.starts_with('^') {
        return None;
    }
    let m = version_candidates(c, 1).into_iter().find(|m| at_dollar(c, m.end))?;
    let [major, minor, patch, _] = m.numbers;
    let position = if major != Some("0") || minor.is_none() {
        1
    } else if minor != Some("0") || patch.is_none() {
        2
    } else {
        3
    };
    let suffix = if m.is_plain() { "-dev" } else { "" };
    let low = match normalized_or_reason(&format!("{}{suffix}", c.get(1..).unwrap_or(""))) {
        Ok(low) => low,
        Err(e) => return Some(Err(e)),
    };
    let high = manipulate(&m.numbers, position, true) + "-dev";
    Some(Ok(vec![Atom::cmp(ComposerOp::Ge, low), Atom::cmp(ComposerOp::Lt, high)]))
}

/// `^v?(\d++)(?:\.(\d++))?(?:\.(\d++))?(?:\.[xX*])++$`: `1.2.x` → `>= 1.2.0.0-dev < 1.3.0.0-dev`.
fn x_range(c: &str) -> Option<Vec<Atom>> {
    let b = c.as_bytes();
    let mut i = usize::from(byte_is(b, 0, b"v"));
    let d = digits_at(b, i);
    if d == 0 {
        return None;
    }
    let mut numbers = [Some(slice(c, i, i + d)), None, None, None];
    i += d;
    for n in numbers.iter_mut().skip(1).take(2) {
        let d = digits_at(b, i + 1);
        if !byte_is(b, i, b".") || d == 0 {
            break;
        }
        *n = Some(slice(c, i + 1, i + 1 + d));
        i += 1 + d;
    }
    let mut wild = 0;
    while byte_is(b, i, b".") && is_wild(b, i + 1) {
        i += 2;
        wild += 1;
    }
    if wild == 0 || !at_dollar(c, i) {
        return None;
    }
    let position = numbers.iter().rposition(Option::is_some).map_or(1, |p| p + 1);
    let low = manipulate(&numbers, position, false) + "-dev";
    let high = Atom::cmp(ComposerOp::Lt, manipulate(&numbers, position, true) + "-dev");
    Some(if low == "0.0.0.0-dev" { vec![high] } else { vec![Atom::cmp(ComposerOp::Ge, low), high] })
}

/// `1.0 - 2.0` → `>= 1.0.0.0-dev < 2.1.0.0-dev`; a full `to` version is included (`<=`).
fn hyphen_range(c: &str) -> Option<Result<Vec<Atom>, String>> {
    let b = c.as_bytes();
    let (from, to) = version_candidates(c, 0).into_iter().find_map(|from| {
        let mut p = from.end;
        let spaces = run(b, p, |x| x == b' ');
        p += spaces;
        if spaces == 0 || !byte_is(b, p, b"-") {
            return None;
        }
        p += 1;
        let spaces = run(b, p, |x| x == b' ');
        if spaces == 0 {
            return None;
        }
        version_candidates(c, p + spaces).into_iter().find(|to| at_dollar(c, to.end)).map(|to| (from, to))
    })?;
    Some((|| {
        let low = normalized_or_reason(from.text)? + if from.is_plain() { "-dev" } else { "" };
        let given = |n: Option<&str>| n.is_some_and(|n| !n.is_empty());
        let [_, minor, patch, _] = to.numbers;
        let upper = if (given(minor) && given(patch)) || !to.is_plain() {
            Atom::cmp(ComposerOp::Le, normalized_or_reason(to.text)?)
        } else {
            normalized_or_reason(to.text)?;
            let position = if given(minor) { 2 } else { 1 };
            Atom::cmp(ComposerOp::Lt, manipulate(&to.numbers, position, true) + "-dev")
        };
        Ok(vec![Atom::cmp(ComposerOp::Ge, low), upper])
    })())
}

/// `^(<>|!=|>=?|<=?|==?)?\s*(.*)`: an operator and a version.
fn basic(c: &str, stability_flag: Option<&str>) -> Result<Vec<Atom>, String> {
    let op_text = ["<>", "!=", ">=", ">", "<=", "<", "==", "="].into_iter().find(|op| c.starts_with(op)).unwrap_or("");
    let b = c.as_bytes();
    let start = op_text.len() + run(b, op_text.len(), is_space);
    let end = start + run(b, start, |x| x != b'\n');
    let text = slice(c, start, end);
    let mut version = match normalize_inner(text) {
        Some(v) => v,
        // `foobar-dev` was once the way to write the branch `dev-foobar`.
        None if text.ends_with("-dev")
            && text.bytes().all(|x| x.is_ascii_alphanumeric() || matches!(x, b'-' | b'.' | b'/')) =>
        {
            format!("dev-{}", slice(text, 0, text.len() - 4))
        }
        None => return Err(format!("could not parse version constraint {c:?}")),
    };
    let op = if op_text.is_empty() { "=" } else { op_text };
    let flag = stability_flag.filter(|f| !f.is_empty());
    let flag_applies = flag.is_some() && op != "==" && op != "=" && parse_stability(&version) == Stability::Stable;
    if let (true, Some(flag)) = (flag_applies, flag) {
        version.push('-');
        version.push_str(flag);
    } else if (op == "<" || op == ">=")
        && !ends_with_dash_modifier(&text.to_ascii_lowercase())
        && !text.starts_with("dev-")
    {
        // `< 1.0` must exclude `1.0`'s own dev releases, `>= 1.0` include them.
        version.push_str("-dev");
    }
    Ok(vec![Atom::cmp(ComposerOp::from_text(op), version)])
}

/// `/-MOD$/` (case-sensitive, on a lowercased string).
fn ends_with_dash_modifier(s: &str) -> bool {
    s.bytes().enumerate().any(|(i, x)| x == b'-' && modifier_to_end(s, i + 1, false).is_some())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stability {
    Stable,
    Rc,
    Beta,
    Alpha,
    Dev,
}

/// `VersionParser::parseStability` of a normalised version.
fn parse_stability(version: &str) -> Stability {
    let version = strip_hash_suffix(version);
    if version.starts_with("dev-") || version.ends_with("-dev") {
        return Stability::Dev;
    }
    let lower = version.to_ascii_lowercase();
    let b = lower.as_bytes();
    // `MOD(?:\+.*)?$`, leftmost match.
    for start in 0..=lower.len() {
        // The modifier never starts with a digit: skip them (keeps this linear on long numbers).
        if b.get(start).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        for (m, end) in modifier_candidates(&lower, start, true) {
            let build = run(b, end + 1, |x| x != b'\n');
            let matched = (byte_is(b, end, b"+") && at_dollar(&lower, end + 1 + build)) || at_dollar(&lower, end);
            if !matched {
                continue;
            }
            if m.dev {
                return Stability::Dev;
            }
            return match m.stability {
                Some("beta" | "b") => Stability::Beta,
                Some("alpha" | "a") => Stability::Alpha,
                Some("rc") => Stability::Rc,
                _ => Stability::Stable,
            };
        }
    }
    Stability::Stable
}

/// `preg_replace('{#.+$}', '', …)`.
fn strip_hash_suffix(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    for (h, _) in b.iter().enumerate().filter(|&(_, &x)| x == b'#') {
        let n = run(b, h + 1, |x| x != b'\n');
        if n > 0 && at_dollar(s, h + 1 + n) {
            return Cow::Owned(format!("{}{}", slice(s, 0, h), slice(s, h + 1 + n, s.len())));
        }
    }
    Cow::Borrowed(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn normalizes_like_version_parser() {
        for (input, expected) in [
            ("1.0", "1.0.0.0"),
            ("v1.2.3", "1.2.3.0"),
            ("1.0.0-beta2.1", "1.0.0.0-beta2.1"),
            ("1.0-b.2", "1.0.0.0-beta2"),
            ("1.0RC1", "1.0.0.0-RC1"),
            ("1.0-pl3", "1.0.0.0-patch3"),
            ("1.0.0-stable", "1.0.0.0"),
            ("1.0-dev", "1.0.0.0-dev"),
            ("1.0.x-dev", "1.0.9999999.9999999-dev"),
            ("2.*-dev", "2.9999999.9999999.9999999-dev"),
            ("dev-master", "dev-master"),
            ("master", "dev-master"),
            ("DEV-Foo", "dev-Foo"),
            ("2010-01-02", "2010.01.02"),
            ("20100102203040", "20100102203040"),
            ("123456", "123456"),
            ("1.0.0+build.1", "1.0.0.0"),
            ("1.0@beta", "1.0.0.0"),
            ("1.0 as 2.0", "1.0.0.0"),
            (" 1.0\n", "1.0.0.0"),
        ] {
            assert_eq!(norm(input), expected, "{input:?}");
        }
        for bad in ["", "foo", "1.0.0.0.0", "1.0-foo", "foo-dev", "1.0 2.0", "١.0"] {
            assert!(normalize(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn version_compare_special_forms() {
        use Ordering::*;
        for (a, b, expected) in [
            ("1.0", "1", Greater),
            ("1.0.0-dev", "1.0.0", Less),
            ("1.0.0-pl1", "1.0.0", Greater),
            ("1.0.0-patch1", "1.0.0-RC1", Greater),
            ("1.0alpha", "1.0a", Equal),
            ("1.0-foo", "1.0-dev", Less),
            ("1.0-foo", "1.0", Less),
            ("dev-foo", "1.0", Less),
            ("1.0.", "1.0", Less),
            ("", "", Equal),
            ("", "0", Less),
            // A leading `#` keeps the string raw; `#1` then ranks as a number.
            ("#1", "1", Equal),
            ("99999999999999999999", "99999999999999999998", Greater),
        ] {
            assert_eq!(version_compare(a, b), expected, "{a:?} vs {b:?}");
            assert_eq!(version_compare(b, a), expected.reverse(), "{b:?} vs {a:?}");
        }
    }

    #[test]
    fn branches_are_below_releases_and_distinct() {
        let v = |s| ComposerVersion::parse(s).unwrap();
        assert!(v("dev-foo") < v("0.0.1-dev"));
        assert!(v("dev-bar") < v("dev-foo"));
        assert_ne!(v("dev-foo"), v("dev-Foo"));
        assert_eq!(v("1.0"), v("1.0.0.0"));
        let d = |s| ComposerVersion::parse_default_branch(s).unwrap();
        assert!(d("dev-master") > d("99999.0"));
        assert_eq!(compare_raw("dev-foo", "dev-bar"), None);
        assert_eq!(compare_raw("dev-foo", "dev-foo"), Some(Ordering::Equal));
    }

    #[test]
    fn constraint_forms() {
        let c = |s: &str| ComposerConstraint::parse(s).unwrap_or_else(|e| panic!("{e}")).normalized();
        assert_eq!(c("~1.2"), "[>= 1.2.0.0-dev < 2.0.0.0-dev]");
        assert_eq!(c("~1.2.3"), "[>= 1.2.3.0-dev < 1.3.0.0-dev]");
        assert_eq!(c("^0.2.3"), "[>= 0.2.3.0-dev < 0.3.0.0-dev]");
        assert_eq!(c("^0.0.3"), "[>= 0.0.3.0-dev < 0.0.4.0-dev]");
        assert_eq!(c("1.2.*"), "[>= 1.2.0.0-dev < 1.3.0.0-dev]");
        assert_eq!(c("0.*"), "[< 1.0.0.0-dev]");
        assert_eq!(c("1.0 - 2.0"), "[>= 1.0.0.0-dev < 2.1.0.0-dev]");
        assert_eq!(c("1.0.0 - 2.0.0"), "[>= 1.0.0.0-dev <= 2.0.0.0]");
        assert_eq!(c(">=1.0,<2.0 || 3.0"), "[>= 1.0.0.0-dev < 2.0.0.0-dev] || [== 3.0.0.0]");
        assert_eq!(c(">=1.0@beta"), "[>= 1.0.0.0-beta]");
        assert_eq!(c("<1.0-RC1"), "[< 1.0.0.0-RC1-dev]");
        assert_eq!(c("@dev"), "[*]");
        assert_eq!(c("v*"), "[>= 0.0.0.0-dev]");
        assert_eq!(c("foobar-dev"), "[== dev-foobar]");
        assert_eq!(c("dev-master#abc123"), "[== dev-master]");
        assert_eq!(c("1.0.x-dev#abc"), "[== 1.0.9999999.9999999-dev]");
        assert_eq!(c("~2.x-dev"), "[>= 2.9999999.9999999.9999999-dev < 3.0.0.0-dev]");
        // A major of more than five digits is no classical version, so the lower bound becomes a
        // numbered branch, as in Composer; the bound above is exact where PHP writes `1.0E+20`.
        assert_eq!(
            c("^99999999999999999999.0"),
            "[>= 99999999999999999999.0.9999999.9999999-dev < 100000000000000000000.0.0.0-dev]"
        );
        for bad in ["", "~>1.0", "foo", "1.0 ||", ">= 1.0 , , < 2"] {
            assert!(ComposerConstraint::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn adjacent_ranges_merge_as_in_composer() {
        let c = |s: &str| ComposerConstraint::parse(s).unwrap();
        assert_eq!(c(">=1.0 <1.5 || >=1.5 <2.0").normalized(), "[>= 1.0.0.0-dev < 2.0.0.0-dev]");
        // Composer merges without looking at the bounds, so 1.9 falls out of this one.
        let odd = c("^1.0 || >=2.0 <=1.5");
        assert_eq!(odd.normalized(), "[>= 1.0.0.0-dev <= 1.5.0.0]");
        assert!(!odd.matches(&ComposerVersion::parse("1.9").unwrap()));
    }

    #[test]
    fn comparator_on_asymmetric_strings() {
        // version_compare("010#", "10_:") is 0 but the reverse is -1: Comparator says nothing.
        assert_eq!(version_compare("010#", "10_:"), Ordering::Equal);
        assert_eq!(version_compare("10_:", "010#"), Ordering::Less);
        assert_eq!(compare_raw("010#", "10_:"), None);
    }

    #[test]
    fn branches_only_match_identity_and_anything() {
        let m = |v: &str, c: &str| satisfies(v, c).unwrap();
        assert!(m("dev-master", "dev-master"));
        assert!(m("dev-master", "*"));
        assert!(!m("dev-master", ">=1.0"));
        assert!(m("dev-master", "!=1.0"));
        assert!(!m("dev-master", "!=dev-master"));
        assert!(!m("dev-master", "v*"));
    }
}
