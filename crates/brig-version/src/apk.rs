//! Alpine apk versions, compared as apk-tools v3 compares them.
//!
//! Format (apk-package(5)): `number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}`, where
//! `letter` is one of `a`–`z`, the suffixes sort `_alpha` < `_beta` < `_pre` < `_rc` < (none) <
//! `_cvs` < `_svn` < `_git` < `_hg` < `_p`, `hash` is lower-case hex and `-r#` is the package
//! revision.
//!
//! Both versions are read as token sequences and compared token by token. Where the tokens are of
//! different kinds the version whose token comes earlier in the format is newer (more numeric
//! components beat a letter, a letter beats a suffix, …, a revision beats the end), except that a
//! pre-release suffix is older than anything. apk stops at the first malformed token, so
//! strings it deems invalid still compare up to that point (see [`compare_str`]).

use std::cmp::Ordering;
use std::fmt;

use crate::VersionError;
use crate::digits::cmp_decimal;

const SCHEME: &str = "apk";

/// A valid apk version (one `apk version -c` accepts).
#[derive(Clone, Debug)]
pub struct ApkVersion {
    // Tokenizing is a single allocation-free pass, the same walk a comparison makes, so the
    // validated text is all there is to keep.
    original: String,
}

impl ApkVersion {
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        match first_defect(s) {
            None => Ok(ApkVersion { original: s.to_owned() }),
            Some(reason) => Err(VersionError::new(SCHEME, s, reason)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.original
    }

    /// Whether this version satisfies `op reference` (see [`fuzzy_matches`]).
    pub fn fuzzy_matches(&self, op: FuzzyOp, reference: &ApkVersion) -> bool {
        fuzzy_matches(&self.original, op, &reference.original)
    }
}

/// Whether apk-tools v3 deems `s` a valid version.
pub fn is_valid(s: &str) -> bool {
    first_defect(s).is_none()
}

/// Compares two version strings as apk's library does, valid or not: tokens are compared until
/// the first malformed one, which sorts below every other token except a pre-release suffix;
/// two strings malformed at the same point compare equal there. Agrees with [`ApkVersion`]'s
/// order on valid versions, and is a total preorder on all strings.
pub fn compare_str(a: &str, b: &str) -> Ordering {
    compare_tokens(a, b, false)
}

/// Compares `version` with `reference` where `reference` may be a prefix: once every token of
/// `reference` matched, the versions count as equal (`3.6.9` ~ `3.6`, but not `3.60` ~ `3.6`).
pub fn compare_fuzzy(version: &str, reference: &str) -> Ordering {
    compare_tokens(version, reference, true)
}

/// apk's fuzzy dependency operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FuzzyOp {
    /// `~`: `reference` is a prefix of `version` (token-wise).
    Fuzzy,
    /// `<~`: older than `reference`, or fuzzy-equal to it.
    LessOrFuzzy,
    /// `>~`: newer than `reference`, or fuzzy-equal to it.
    GreaterOrFuzzy,
}

impl FuzzyOp {
    /// `~`, `<~` or `>~`.
    pub fn from_symbol(op: &str) -> Option<Self> {
        match op {
            "~" => Some(FuzzyOp::Fuzzy),
            "<~" => Some(FuzzyOp::LessOrFuzzy),
            ">~" => Some(FuzzyOp::GreaterOrFuzzy),
            _ => None,
        }
    }
}

/// Whether `version op reference` holds, on strings as apk's library matches them (invalid
/// strings included): `3.6.0 ~ 3.6`, `3.5 <~ 3.6`, `3.7 >~ 3.6`.
pub fn fuzzy_matches(version: &str, op: FuzzyOp, reference: &str) -> bool {
    matches!(
        (op, compare_fuzzy(version, reference)),
        (_, Ordering::Equal) | (FuzzyOp::LessOrFuzzy, Ordering::Less) | (FuzzyOp::GreaterOrFuzzy, Ordering::Greater)
    )
}

/// The suffixes in sort order; those before `Cvs` are pre-releases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Suffix {
    Alpha,
    Beta,
    Pre,
    Rc,
    Cvs,
    Svn,
    Git,
    Hg,
    P,
}

impl Suffix {
    fn from_name(name: &[u8]) -> Option<Self> {
        Some(match name {
            b"alpha" => Suffix::Alpha,
            b"beta" => Suffix::Beta,
            b"pre" => Suffix::Pre,
            b"rc" => Suffix::Rc,
            b"cvs" => Suffix::Cvs,
            b"svn" => Suffix::Svn,
            b"git" => Suffix::Git,
            b"hg" => Suffix::Hg,
            b"p" => Suffix::P,
            _ => return None,
        })
    }

    fn is_pre_release(self) -> bool {
        self < Suffix::Cvs
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
    /// A numeric component: the first one, or one after a `.`.
    Number(&'a [u8]),
    Letter(u8),
    Suffix(Suffix),
    SuffixNumber(&'a [u8]),
    Hash(&'a [u8]),
    Revision(&'a [u8]),
    End,
    /// Something the format does not allow here; nothing after it is read.
    Invalid(&'static str),
}

impl Token<'_> {
    /// Where tokens of different kinds meet, the higher rank is the newer version.
    fn rank(self) -> u8 {
        match self {
            Token::Suffix(s) if s.is_pre_release() => 0,
            Token::Invalid(_) => 1,
            Token::End => 2,
            Token::Revision(_) => 3,
            Token::Hash(_) => 4,
            Token::SuffixNumber(_) => 5,
            Token::Suffix(_) => 6,
            Token::Letter(_) => 7,
            Token::Number(_) => 8,
        }
    }

    fn is_terminal(self) -> bool {
        matches!(self, Token::End | Token::Invalid(_))
    }
}

/// What may come next, i.e. what the previous token was.
#[derive(Clone, Copy, Debug)]
enum State {
    Start,
    AfterNumber,
    AfterLetter,
    AfterSuffix,
    AfterSuffixNumber,
    AfterHash,
    AfterRevision,
    Finished,
}

/// Splits a version string into tokens, following the format's grammar.
struct Tokenizer<'a> {
    rest: &'a [u8],
    state: State,
}

impl<'a> Tokenizer<'a> {
    fn new(s: &'a str) -> Self {
        Tokenizer { rest: s.as_bytes(), state: State::Start }
    }

    fn next_token(&mut self) -> Token<'a> {
        let token = match self.state {
            State::Start => match self.take_run(|c| c.is_ascii_digit()) {
                [] => Token::Invalid("does not start with a digit"),
                digits => self.emit(Token::Number(digits), State::AfterNumber),
            },
            State::AfterNumber => match self.rest.first().copied() {
                Some(b'.') => {
                    self.advance();
                    match self.take_run(|c| c.is_ascii_digit()) {
                        [] => Token::Invalid("no digits after '.'"),
                        digits => self.emit(Token::Number(digits), State::AfterNumber),
                    }
                }
                Some(letter @ b'a'..=b'z') => {
                    self.advance();
                    self.emit(Token::Letter(letter), State::AfterLetter)
                }
                _ => self.after_component(),
            },
            State::AfterLetter | State::AfterSuffixNumber => self.after_component(),
            State::AfterSuffix => match self.take_run(|c| c.is_ascii_digit()) {
                [] => self.after_component(),
                digits => self.emit(Token::SuffixNumber(digits), State::AfterSuffixNumber),
            },
            State::AfterHash => match self.rest.first() {
                None => Token::End,
                Some(b'-') => self.revision(),
                Some(_) => Token::Invalid("only a revision may follow the commit hash"),
            },
            State::AfterRevision => match self.rest.first() {
                None => Token::End,
                Some(_) => Token::Invalid("nothing may follow the revision"),
            },
            State::Finished => Token::End,
        };
        if token.is_terminal() {
            self.state = State::Finished;
        }
        token
    }

    /// A suffix, a commit hash, a revision or the end.
    fn after_component(&mut self) -> Token<'a> {
        match self.rest.first() {
            None => Token::End,
            Some(b'_') => {
                self.advance();
                let name = self.take_run(|c| c.is_ascii_lowercase());
                match Suffix::from_name(name) {
                    Some(suffix) => self.emit(Token::Suffix(suffix), State::AfterSuffix),
                    None => Token::Invalid("unknown suffix"),
                }
            }
            Some(b'~') => {
                self.advance();
                match self.take_run(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)) {
                    [] => Token::Invalid("commit hash is empty"),
                    hash => self.emit(Token::Hash(hash), State::AfterHash),
                }
            }
            Some(b'-') => self.revision(),
            Some(_) => Token::Invalid("unexpected character"),
        }
    }

    /// `-r` followed by digits.
    fn revision(&mut self) -> Token<'a> {
        if self.rest.get(..2) != Some(b"-r".as_slice()) {
            return Token::Invalid("'-' must start a revision '-rN'");
        }
        self.rest = self.rest.get(2..).unwrap_or_default();
        match self.take_run(|c| c.is_ascii_digit()) {
            [] => Token::Invalid("revision has no number"),
            digits => self.emit(Token::Revision(digits), State::AfterRevision),
        }
    }

    fn emit(&mut self, token: Token<'a>, next: State) -> Token<'a> {
        self.state = next;
        token
    }

    fn advance(&mut self) {
        self.rest = self.rest.get(1..).unwrap_or_default();
    }

    fn take_run(&mut self, class: impl Fn(u8) -> bool) -> &'a [u8] {
        let n = self.rest.iter().take_while(|&&c| class(c)).count();
        let (run, rest) = self.rest.split_at(n);
        self.rest = rest;
        run
    }
}

/// Why `s` is not a valid version, if it is not.
fn first_defect(s: &str) -> Option<&'static str> {
    let mut tokens = Tokenizer::new(s);
    loop {
        match tokens.next_token() {
            Token::End => return None,
            Token::Invalid(reason) => return Some(reason),
            _ => {}
        }
    }
}

fn compare_tokens(a: &str, b: &str, fuzzy: bool) -> Ordering {
    let (mut tokens_a, mut tokens_b) = (Tokenizer::new(a), Tokenizer::new(b));
    let mut first = true;
    loop {
        let (x, y) = (tokens_a.next_token(), tokens_b.next_token());
        if std::mem::discriminant(&x) == std::mem::discriminant(&y) {
            let order = compare_same_kind(x, y, first);
            if order != Ordering::Equal || x.is_terminal() {
                return order;
            }
        } else if fuzzy && y == Token::End {
            // Every token of the reference matched: `version` starts with it.
            return Ordering::Equal;
        } else {
            return x.rank().cmp(&y.rank());
        }
        first = false;
    }
}

fn compare_same_kind(x: Token<'_>, y: Token<'_>, first: bool) -> Ordering {
    match (x, y) {
        (Token::Number(a), Token::Number(b)) if first => cmp_decimal(a, b),
        (Token::Number(a), Token::Number(b)) => compare_components(a, b),
        (Token::Letter(a), Token::Letter(b)) => a.cmp(&b),
        (Token::Suffix(a), Token::Suffix(b)) => a.cmp(&b),
        (Token::SuffixNumber(a), Token::SuffixNumber(b)) | (Token::Revision(a), Token::Revision(b)) => {
            cmp_decimal(a, b)
        }
        // Commit hashes carry no order of their own; bytewise keeps the order total.
        (Token::Hash(a), Token::Hash(b)) => a.cmp(b),
        _ => Ordering::Equal,
    }
}

/// A component after a `.`: with a leading zero on either side it is read as a decimal fraction
/// (`8.2.0015` < `8.2.002`, `8.2.0` < `8.2.001`, `1.0` == `1.00`), otherwise as an integer.
/// Zero-led components therefore all sort below the others, which keeps the order total.
fn compare_components(a: &[u8], b: &[u8]) -> Ordering {
    if a.first() == Some(&b'0') || b.first() == Some(&b'0') {
        strip_trailing_zeros(a).cmp(strip_trailing_zeros(b))
    } else {
        cmp_decimal(a, b)
    }
}

fn strip_trailing_zeros(s: &[u8]) -> &[u8] {
    let n = s.iter().rev().take_while(|&&c| c == b'0').count();
    s.get(..s.len() - n).unwrap_or_default()
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_tokens(&self.original, &other.original, false)
    }
}

impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ApkVersion {}

impl fmt::Display for ApkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> ApkVersion {
        match ApkVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn kinds_meet_in_format_order() {
        // More components beat a letter, a letter beats a suffix, a post-release suffix beats
        // the end, a pre-release suffix loses to everything.
        assert!(v("1.0.1") > v("1.0a"));
        assert!(v("1.0a") > v("1.0_p1"));
        assert!(v("1.0_p1") > v("1.0"));
        assert!(v("1.0_rc1") < v("1.0"));
        assert!(v("1.0_rc1") < v("1.0-r0"));
        assert!(v("1.0") < v("1.0-r0"));
        assert!(v("1.0~abc") > v("1.0-r5"));
        assert!(v("1.0_alpha") < v("1.0_alpha0"));
        assert!(v("1.0_alpha_beta") < v("1.0_alpha"));
    }

    #[test]
    fn zero_led_components_compare_as_fractions() {
        assert!(v("8.2.0") < v("8.2.001"));
        assert!(v("8.2.0015") < v("8.2.002"));
        assert!(v("1.05") < v("1.5"));
        assert_eq!(v("1.0"), v("1.00"));
        assert!(v("1.09") < v("1.1"));
        // The first component is always an integer.
        assert!(v("006") > v("1.0.0"));
    }

    #[test]
    fn long_numbers() {
        assert!(v("1.99999999999999999999999") > v("1.99999999999999999999998"));
        assert!(v("1_p99999999999999999999999") > v("1_p9999999999999999999999"));
        assert!(v("1-r100000000000000000000") > v("1-r99999999999999999999"));
    }

    #[test]
    fn invalid_strings_compare_up_to_the_defect() {
        assert_eq!(compare_str("23_foo", "4_beta"), Ordering::Greater);
        assert_eq!(compare_str("1.0", "1.0bc"), Ordering::Less);
        assert_eq!(compare_str("1_foo", "1_bar"), Ordering::Equal);
        assert_eq!(compare_str("", "0"), Ordering::Less);
        assert_eq!(compare_str("1_foo", "1_rc1"), Ordering::Greater);
        assert!(ApkVersion::parse("1.0bc").is_err());
        assert!(ApkVersion::parse("1.0 ").is_err());
    }

    #[test]
    fn fuzzy_operators() {
        assert_eq!(FuzzyOp::from_symbol("~"), Some(FuzzyOp::Fuzzy));
        assert_eq!(FuzzyOp::from_symbol("<~"), Some(FuzzyOp::LessOrFuzzy));
        assert_eq!(FuzzyOp::from_symbol(">~"), Some(FuzzyOp::GreaterOrFuzzy));
        assert_eq!(FuzzyOp::from_symbol("<"), None);
        assert_eq!(FuzzyOp::from_symbol("~~"), None);
        assert!(fuzzy_matches("3.6.9", FuzzyOp::Fuzzy, "3.6"));
        assert!(!fuzzy_matches("3.60", FuzzyOp::Fuzzy, "3.6"));
        assert!(!fuzzy_matches("3.6", FuzzyOp::Fuzzy, "3.6.0"));
        assert!(v("3.5").fuzzy_matches(FuzzyOp::LessOrFuzzy, &v("3.6")));
        assert!(!v("3.7").fuzzy_matches(FuzzyOp::LessOrFuzzy, &v("3.6")));
    }
}
