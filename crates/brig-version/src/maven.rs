//! Maven version ordering (`org.apache.maven.artifact.versioning.ComparableVersion`).
//!
//! Follows Maven's "Version Order Specification" and the behaviour of recent `apache/maven` master:
//!
//! * The lower-cased version is split into items at `.`, at `-` and at every transition between ASCII
//!   digits and anything else. Only `0`–`9` are digits (MNG-8241): other Unicode digits are letters.
//! * A `-` and a digit/letter transition open a nested list; so does a `.`-separated qualifier that is
//!   followed by a digit or ends the version (MNG-7644: `1.0.RC1` < `1.0-RC2`, `2.0.x` = `2-x`).
//!   Empty items (`1..2`, `-1`) are the number 0.
//! * Numbers have any size and compare numerically. Qualifiers order
//!   `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < unknown`, unknown
//!   ones case-insensitively by text (UTF-16 order, as Java compares strings). `a`, `b` and `m` mean
//!   alpha, beta and milestone only when a digit follows directly (`1a1` = `1-alpha-1`, `1a` = `1-a`).
//! * Trailing zeros are trimmed in every list (skipping a trailing nested list), so `1.0.0` = `1` and
//!   `1.0-alpha` = `1-alpha`. `ga`, `final` and `release` are kept but compare like a missing item
//!   (MNG-7714: `1.0.final-redhat` < `1.0-sp1-redhat`, while `1final` and `1` still compare equal).
//! * Lists compare item by item, a missing item being "null": a number is above a list, which is above
//!   a qualifier; against null, 0 is equal, larger numbers above, qualifiers by their rank relative to
//!   the release rank, and a list by its own items.
//!
//! Maven's comparison is not transitive in a few corners: it treats null as equal to 0 and to a release
//! qualifier at once, although those two compare unequal with each other (Maven 3.9 itself gives
//! `1.0.alpha.1` < `1` < `1.ga.1` but `1.0.alpha.1` > `1.ga.1`). This module keeps a total order by
//! ranking, at every position, first by where the rest of the version falls relative to "nothing
//! more" (above, below) and only then by Maven's item-type order. Results equal Maven's wherever Maven
//! is consistent; in its cyclic corners (a 0 or release qualifier followed by a `.`-separated
//! qualifier) one of Maven's contradictory answers is replaced.
//!
//! Every non-empty string is a version, as in Maven. The empty string is rejected: Maven would order
//! it like `0`, but for a scanner an empty version means "unknown", not "0".

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::VersionError;
use crate::digits::cmp_decimal;

const SCHEME: &str = "maven";

/// Rank of the release qualifiers (`ga`, `final`, `release`), which order like a missing item.
const RELEASE_RANK: u8 = 5;

/// A parsed Maven version. Equality means "compares equal" (`1.0` == `1`, `1-RC1` == `1.0-cr-1`).
#[derive(Clone, Debug)]
pub struct MavenVersion {
    original: String,
    /// The normalised items, flattened and annotated (see `Key`), without the tail that compares
    /// equal to "nothing more".
    keys: Box<[Key]>,
}

impl MavenVersion {
    /// Parses any non-empty string (Maven accepts every string as a version).
    ///
    /// # Errors
    /// Only for the empty string.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        if s.is_empty() {
            return Err(VersionError::new(SCHEME, s, "empty version"));
        }
        let mut levels = split_items(s);
        normalize(&mut levels);
        Ok(MavenVersion { original: s.to_owned(), keys: annotate(levels) })
    }

    /// The input exactly as given to `parse`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.original
    }
}

impl fmt::Display for MavenVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.keys.iter().zip(other.keys.iter()) {
            let ord = a.cmp(b);
            if ord != Ordering::Equal {
                return ord;
            }
        }
        // The longer version decides by whether its remaining items lie above or below "nothing more".
        match self.keys.len().cmp(&other.keys.len()) {
            Ordering::Equal => Ordering::Equal,
            Ordering::Greater => self.keys.get(other.keys.len()).map_or(Ordering::Equal, |k| k.side.cmp(&0)),
            Ordering::Less => other.keys.get(self.keys.len()).map_or(Ordering::Equal, |k| 0.cmp(&k.side)),
        }
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

impl Hash for MavenVersion {
    // Keys are canonical (numbers without leading zeros, qualifiers resolved), so equal versions
    // have equal keys.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.keys.hash(state);
    }
}

/// A non-negative integer of any size.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Number {
    /// At most 19 digits, so always below any `Big`.
    Small(u64),
    /// 20 digits or more, without leading zeros.
    Big(Box<str>),
}

impl Number {
    fn from_digits(digits: &str) -> Number {
        let significant = digits.trim_start_matches('0');
        if significant.len() <= 19 {
            // 19 decimal digits stay below u64::MAX, so this cannot overflow.
            Number::Small(significant.bytes().fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0')))
        } else {
            Number::Big(significant.into())
        }
    }

    fn is_zero(&self) -> bool {
        matches!(self, Number::Small(0))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Number::Small(a), Number::Small(b)) => a.cmp(b),
            (Number::Small(_), Number::Big(_)) => Ordering::Less,
            (Number::Big(_), Number::Small(_)) => Ordering::Greater,
            (Number::Big(a), Number::Big(b)) => cmp_decimal(a.as_bytes(), b.as_bytes()),
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A non-numeric item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Qualifier {
    /// alpha 0, beta 1, milestone 2, rc 3, snapshot 4, ga/final/release 5, sp 6.
    Known(u8),
    /// Anything else (lower-cased), ordered after every known qualifier.
    Unknown(Box<str>),
}

impl Qualifier {
    fn new(text: &str, followed_by_digit: bool) -> Qualifier {
        let text = match text {
            "a" if followed_by_digit => "alpha",
            "b" if followed_by_digit => "beta",
            "m" if followed_by_digit => "milestone",
            other => other,
        };
        match text {
            "alpha" => Qualifier::Known(0),
            "beta" => Qualifier::Known(1),
            "milestone" => Qualifier::Known(2),
            "rc" | "cr" => Qualifier::Known(3),
            "snapshot" => Qualifier::Known(4),
            "ga" | "final" | "release" => Qualifier::Known(RELEASE_RANK),
            "sp" => Qualifier::Known(6),
            other => Qualifier::Unknown(other.into()),
        }
    }

    fn is_release(&self) -> bool {
        matches!(self, Qualifier::Known(RELEASE_RANK))
    }

    /// Where this qualifier lies relative to a missing item.
    fn side(&self) -> i8 {
        match self {
            Qualifier::Known(rank) => ordering_sign(rank.cmp(&RELEASE_RANK)),
            Qualifier::Unknown(_) => 1,
        }
    }
}

impl Ord for Qualifier {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Qualifier::Known(a), Qualifier::Known(b)) => a.cmp(b),
            (Qualifier::Known(_), Qualifier::Unknown(_)) => Ordering::Less,
            (Qualifier::Unknown(_), Qualifier::Known(_)) => Ordering::Greater,
            // Java compares strings by UTF-16 code units, which differs from code point order above U+FFFF.
            (Qualifier::Unknown(a), Qualifier::Unknown(b)) => a.encode_utf16().cmp(b.encode_utf16()),
        }
    }
}

impl PartialOrd for Qualifier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// One item of a list: nested lists are kept apart (see `split_items`).
#[derive(Clone, Debug)]
enum Scalar {
    Number(Number),
    Qualifier(Qualifier),
}

/// Splits the lower-cased input into lists. Maven only ever nests a new list as the last item of the
/// current one, so the tree is a chain: `levels[i + 1]` is the list ending `levels[i]`.
fn split_items(input: &str) -> Vec<Vec<Scalar>> {
    let lower = input.to_lowercase();
    let mut levels: Vec<Vec<Scalar>> = vec![Vec::new()];
    let mut token = String::new();
    let mut in_digits = false;

    for c in lower.chars() {
        match c {
            '.' | '-' => {
                let item = if token.is_empty() { Scalar::Number(Number::Small(0)) } else { scalar(&token, in_digits) };
                push(&mut levels, item);
                token.clear();
                if c == '-' {
                    levels.push(Vec::new());
                }
            }
            '0'..='9' => {
                if !in_digits && !token.is_empty() {
                    // A qualifier directly followed by a number: "rc1" is [rc, [1]]. After other items it
                    // starts its own list, so that ".rc1" orders like "-rc1" (MNG-7644).
                    if levels.last().is_some_and(|level| !level.is_empty()) {
                        levels.push(Vec::new());
                    }
                    push(&mut levels, Scalar::Qualifier(Qualifier::new(&token, true)));
                    token.clear();
                    levels.push(Vec::new());
                }
                in_digits = true;
                token.push(c);
            }
            _ => {
                if in_digits && !token.is_empty() {
                    push(&mut levels, Scalar::Number(Number::from_digits(&token)));
                    token.clear();
                    levels.push(Vec::new());
                }
                in_digits = false;
                token.push(c);
            }
        }
    }

    if !token.is_empty() {
        if !in_digits && levels.last().is_some_and(|level| !level.is_empty()) {
            // A trailing ".x" orders like "-x" (MNG-7644).
            levels.push(Vec::new());
        }
        let item = scalar(&token, in_digits);
        push(&mut levels, item);
    }
    levels
}

fn scalar(token: &str, digits: bool) -> Scalar {
    if digits { Scalar::Number(Number::from_digits(token)) } else { Scalar::Qualifier(Qualifier::new(token, false)) }
}

fn push(levels: &mut [Vec<Scalar>], item: Scalar) {
    if let Some(level) = levels.last_mut() {
        level.push(item);
    }
}

/// Trims each list, innermost first: trailing zeros go, a non-empty nested list at the end is skipped
/// over, release qualifiers are kept but looked through, and an empty nested list disappears.
fn normalize(levels: &mut Vec<Vec<Scalar>>) {
    for depth in (0..levels.len()).rev() {
        let has_nested = depth + 1 < levels.len();
        let Some(level) = levels.get_mut(depth) else { continue };
        let keep_from = level
            .iter()
            .rposition(|item| match item {
                Scalar::Number(n) => !n.is_zero(),
                Scalar::Qualifier(q) => !q.is_release(),
            })
            .map_or(0, |i| i + 1);
        let mut index = 0;
        level.retain(|item| {
            let trimmed = index >= keep_from && matches!(item, Scalar::Number(n) if n.is_zero());
            index += 1;
            !trimmed
        });
        if level.is_empty() && !has_nested && depth > 0 {
            levels.truncate(depth);
        }
    }
}

/// A flattened item: a nested list becomes an `Open` marker followed by its items.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Token {
    Qualifier(Qualifier),
    Open,
    Number(Number),
}

impl Token {
    /// Maven's order between item types: qualifier < list < number.
    fn type_rank(&self) -> u8 {
        match self {
            Token::Qualifier(_) => 0,
            Token::Open => 1,
            Token::Number(_) => 2,
        }
    }

    /// Where this item alone lies relative to a missing item; 0 when it is equivalent to one.
    fn own_side(&self) -> i8 {
        match self {
            Token::Number(n) => i8::from(!n.is_zero()),
            Token::Qualifier(q) => q.side(),
            Token::Open => 0,
        }
    }
}

/// A flattened item with `side`: +1 or -1 as the version from this item on lies above or below the
/// same version cut here. Comparing `side` first keeps the order total (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    side: i8,
    token: Token,
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.side.cmp(&other.side).then_with(|| match (&self.token, &other.token) {
            (Token::Number(a), Token::Number(b)) => a.cmp(b),
            (Token::Qualifier(a), Token::Qualifier(b)) => a.cmp(b),
            (a, b) => a.type_rank().cmp(&b.type_rank()),
        })
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn annotate(levels: Vec<Vec<Scalar>>) -> Box<[Key]> {
    let mut tokens = Vec::new();
    for (depth, level) in levels.into_iter().enumerate() {
        if depth > 0 {
            tokens.push(Token::Open);
        }
        tokens.extend(level.into_iter().map(|item| match item {
            Scalar::Number(n) => Token::Number(n),
            Scalar::Qualifier(q) => Token::Qualifier(q),
        }));
    }
    // Items after the last one that differs from "missing" cannot change any comparison.
    let meaningful = tokens.iter().rposition(|t| t.own_side() != 0).map_or(0, |i| i + 1);
    tokens.truncate(meaningful);

    let mut keys = Vec::with_capacity(tokens.len());
    let mut side = 0;
    for token in tokens.into_iter().rev() {
        let own = token.own_side();
        if own != 0 {
            side = own;
        }
        keys.push(Key { side, token });
    }
    keys.reverse();
    keys.into_boxed_slice()
}

fn ordering_sign(ord: Ordering) -> i8 {
    match ord {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> MavenVersion {
        match MavenVersion::parse(s) {
            Ok(version) => version,
            Err(e) => panic!("{e}"),
        }
    }

    fn assert_order(a: &str, ord: Ordering, b: &str) {
        assert_eq!(v(a).cmp(&v(b)), ord, "{a} vs {b}");
        assert_eq!(v(b).cmp(&v(a)), ord.reverse(), "{b} vs {a}");
    }

    #[test]
    fn empty_is_an_error_and_display_keeps_input() {
        assert!(MavenVersion::parse("").is_err());
        assert_eq!(v(" 1.0-RC1 ").to_string(), " 1.0-RC1 ");
        assert_eq!(v("1.0-RC1").as_str(), "1.0-RC1");
    }

    #[test]
    fn specification_examples() {
        use Ordering::*;
        assert_order("1", Less, "1.1");
        assert_order("1-snapshot", Less, "1");
        assert_order("1", Less, "1-sp");
        assert_order("1-foo2", Less, "1-foo10");
        assert_order("1.foo", Equal, "1-foo");
        assert_order("1-foo", Less, "1-1");
        assert_order("1-1", Less, "1.1");
        assert_order("1.ga", Equal, "1-ga");
        assert_order("1-ga", Equal, "1-0");
        assert_order("1-0", Equal, "1.0");
        assert_order("1.0", Equal, "1");
        assert_order("1-sp", Greater, "1-ga");
        assert_order("1-sp.1", Greater, "1-ga.1");
        assert_order("1-a1", Equal, "1-alpha-1");
        assert_order("1.0.0-foo.0.0", Equal, "1-foo");
        assert_order("1.0.0-0.0.0", Equal, "1");
    }

    #[test]
    fn single_letter_aliases_need_a_digit() {
        use Ordering::*;
        assert_order("1a1", Equal, "1-alpha-1");
        assert_order("1-a-1", Greater, "1-alpha-1");
        assert_order("1-b", Greater, "1-sp");
        assert_order("1-m", Greater, "1-a");
    }

    #[test]
    fn huge_and_zero_padded_numbers() {
        use Ordering::*;
        assert_order("1.99999999999999999999999", Greater, "1.9999999999999999999999");
        assert_order("1.00000000000000000000000000042", Equal, "1.42");
        assert_order("18446744073709551616", Greater, "18446744073709551615");
        assert_order("9999999999999999999", Less, "10000000000000000000");
    }

    #[test]
    fn non_ascii_input() {
        use Ordering::*;
        // Non-ASCII digits are letters (MNG-8241); letters compare case-insensitively.
        assert_order("1", Greater, "\u{0668}");
        assert_order("1.\u{c9}", Equal, "1.\u{e9}");
        // UTF-16 order: U+FF21 (fullwidth A) sorts after a surrogate pair such as U+1D7E4.
        assert_order("1-\u{ff21}", Greater, "1-\u{1d7e4}");
        assert_order("1-\u{1d7e4}", Greater, "1-z");
    }

    #[test]
    fn release_qualifiers_stay_but_order_as_missing() {
        use Ordering::*;
        assert_order("1final", Equal, "1");
        assert_order("1.0.final-redhat", Less, "1.0-sp1-redhat");
        assert_order("1.0.final-redhat", Greater, "1.0-alpha");
        assert_order("4.1.108.Final-redhat-00001", Greater, "4.1.108.Final");
        assert_order("2.13.5.Final-redhat-00002", Less, "2.13.5.SP1-redhat-00002");
    }

    #[test]
    fn maven_cycle_is_resolved_transitively() {
        // Maven 3.9 gives 1.0.alpha.1 < 1 < 1.ga.1 and 1.0.alpha.1 > 1.ga.1.
        let (a, b, c) = (v("1.0.alpha.1"), v("1"), v("1.ga.1"));
        assert!(a < b && b < c);
        assert!(a < c);
    }

    #[test]
    fn odd_separators() {
        use Ordering::*;
        assert_order("1..2", Equal, "1.0.2");
        assert_order("-1", Equal, "0-1");
        assert_order("1-", Equal, "1");
        assert_order(".", Equal, "0");
        assert_order("1-0.1", Greater, "1");
        assert_order("1-0.alpha", Less, "1");
    }
}
