//! Python package versions (PEP 440) and version specifiers, with the behaviour of
//! `pypa/packaging` 26.x (`packaging.version.Version`, `packaging.specifiers.Specifier`/`SpecifierSet`).
//!
//! Parsing accepts every spelling `packaging` accepts (leading `v`, surrounding whitespace, any case,
//! `alpha`/`beta`/`c`/`pre`/`preview`/`rev`/`r` spellings, `.`/`-`/`_` separators, implicit numbers,
//! the `1.0-1` post-release form) and nothing else. Numbers may be arbitrarily long.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::VersionError;
use crate::digits::cmp_decimal;

const SCHEME: &str = "pep440";

/// Whitespace as Python's `str.isspace()` / regex `\s` see it: Unicode White_Space plus the
/// four ASCII information separators U+001C..U+001F, which `packaging` strips too.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn trim_py_space(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/// A non-negative integer of any length (release segments, epoch, pre/post/dev numbers).
///
/// Values that fit in a `u64` are stored as such; larger ones keep their decimal digits
/// (without leading zeros), so comparing never overflows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pep440Number(NumRepr);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum NumRepr {
    Small(u64),
    /// Decimal digits without leading zeros, always greater than `u64::MAX`.
    Big(Box<str>),
}

const ZERO: Pep440Number = Pep440Number(NumRepr::Small(0));

impl Pep440Number {
    /// Builds a number from ASCII digits (the caller guarantees `digits` is non-empty and all
    /// ASCII digits; anything else yields zero rather than a panic).
    fn from_ascii_digits(digits: &[u8]) -> Self {
        let start = digits.iter().position(|&b| b != b'0').unwrap_or(digits.len());
        let significant = digits.get(start..).unwrap_or(&[]);
        let mut value: u64 = 0;
        for &b in significant {
            let digit = u64::from(b.wrapping_sub(b'0'));
            match value.checked_mul(10).and_then(|v| v.checked_add(digit)) {
                Some(v) => value = v,
                None => {
                    let text: String = significant.iter().map(|&b| char::from(b)).collect();
                    return Pep440Number(NumRepr::Big(text.into_boxed_str()));
                }
            }
        }
        Pep440Number(NumRepr::Small(value))
    }

    /// The value, when it fits in a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.0 {
            NumRepr::Small(v) => Some(*v),
            NumRepr::Big(_) => None,
        }
    }

    pub fn is_zero(&self) -> bool {
        matches!(self.0, NumRepr::Small(0))
    }
}

impl Ord for Pep440Number {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (NumRepr::Small(a), NumRepr::Small(b)) => a.cmp(b),
            (NumRepr::Small(_), NumRepr::Big(_)) => Ordering::Less,
            (NumRepr::Big(_), NumRepr::Small(_)) => Ordering::Greater,
            (NumRepr::Big(a), NumRepr::Big(b)) => cmp_decimal(a.as_bytes(), b.as_bytes()),
        }
    }
}

impl PartialOrd for Pep440Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Pep440Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            NumRepr::Small(v) => write!(f, "{v}"),
            NumRepr::Big(digits) => f.write_str(digits),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Version
// ---------------------------------------------------------------------------------------------

/// Pre-release phase, in PEP 440 order (`c`/`pre`/`preview` are spellings of `rc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PreReleaseKind {
    Alpha,
    Beta,
    Rc,
}

impl PreReleaseKind {
    fn as_str(self) -> &'static str {
        match self {
            PreReleaseKind::Alpha => "a",
            PreReleaseKind::Beta => "b",
            PreReleaseKind::Rc => "rc",
        }
    }
}

/// One segment of a local version label (`+ubuntu.1`): lowercased text, or a number.
/// PEP 440: alphanumeric segments sort before numeric ones; numbers compare numerically.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LocalSegment {
    Text(Box<str>),
    Number(Pep440Number),
}

impl Ord for LocalSegment {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (LocalSegment::Text(a), LocalSegment::Text(b)) => a.cmp(b),
            (LocalSegment::Text(_), LocalSegment::Number(_)) => Ordering::Less,
            (LocalSegment::Number(_), LocalSegment::Text(_)) => Ordering::Greater,
            (LocalSegment::Number(a), LocalSegment::Number(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for LocalSegment {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for LocalSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocalSegment::Text(t) => f.write_str(t),
            LocalSegment::Number(n) => write!(f, "{n}"),
        }
    }
}

/// A PEP 440 version. Equality means "compares equal" (`1.0 == 1.0.0`, `1.0rc1 == 1.0c1`);
/// `Display` prints the original input, [`Pep440Version::normalized`] the canonical form.
#[derive(Clone, Debug)]
pub struct Pep440Version {
    input: Box<str>,
    parts: Parts,
}

#[derive(Clone, Debug)]
struct Parts {
    epoch: Pep440Number,
    /// As written (trailing zeros kept, numbers normalised).
    release: Vec<Pep440Number>,
    /// Length of `release` without trailing zeros: the part that takes part in comparisons.
    significant: usize,
    pre: Option<(PreReleaseKind, Pep440Number)>,
    post: Option<Pep440Number>,
    dev: Option<Pep440Number>,
    local: Option<Vec<LocalSegment>>,
}

impl Parts {
    fn key(&self) -> Key<'_> {
        Key {
            epoch: &self.epoch,
            release: self.release.get(..self.significant).unwrap_or(&self.release),
            pre: self.pre.as_ref().map(|(kind, n)| (*kind, n)),
            post: self.post.as_ref(),
            dev: self.dev.as_ref(),
            local: self.local.as_deref(),
        }
    }

    fn write_normalized(&self, out: &mut String, with_local: bool) {
        use std::fmt::Write;
        if !self.epoch.is_zero() {
            let _ = write!(out, "{}!", self.epoch);
        }
        for (i, n) in self.release.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            let _ = write!(out, "{n}");
        }
        if let Some((kind, n)) = &self.pre {
            let _ = write!(out, "{}{n}", kind.as_str());
        }
        if let Some(n) = &self.post {
            let _ = write!(out, ".post{n}");
        }
        if let Some(n) = &self.dev {
            let _ = write!(out, ".dev{n}");
        }
        if with_local && let Some(local) = &self.local {
            for (i, segment) in local.iter().enumerate() {
                out.push(if i == 0 { '+' } else { '.' });
                let _ = write!(out, "{segment}");
            }
        }
    }
}

/// What comparisons look at, borrowed so specifiers can compare variants (public part,
/// "with `.dev0`") without allocating.
#[derive(Clone, Copy)]
struct Key<'a> {
    epoch: &'a Pep440Number,
    release: &'a [Pep440Number],
    pre: Option<(PreReleaseKind, &'a Pep440Number)>,
    post: Option<&'a Pep440Number>,
    dev: Option<&'a Pep440Number>,
    local: Option<&'a [LocalSegment]>,
}

/// The pre-release slot of the sort key: a dev release of the final version (`1.0.dev0`) sorts
/// before every pre-release of it, a version without pre-release after all of them.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum PreSlot<'a> {
    BeforeAll,
    Pre(PreReleaseKind, &'a Pep440Number),
    AfterAll,
}

impl<'a> Key<'a> {
    fn pre_slot(&self) -> PreSlot<'a> {
        match (self.pre, self.post, self.dev) {
            (Some((kind, n)), _, _) => PreSlot::Pre(kind, n),
            (None, None, Some(_)) => PreSlot::BeforeAll,
            (None, _, _) => PreSlot::AfterAll,
        }
    }

    fn without_local(self) -> Self {
        Key { local: None, ..self }
    }

    fn cmp(&self, other: &Key<'_>) -> Ordering {
        // `release` has no trailing zeros, so plain lexicographic order equals zero-padded order:
        // when one is a prefix of the other, the longer one ends in a non-zero segment.
        self.epoch
            .cmp(other.epoch)
            .then_with(|| self.release.cmp(other.release))
            .then_with(|| self.pre_slot().cmp(&other.pre_slot()))
            // No post-release sorts before any post-release.
            .then_with(|| self.post.cmp(&other.post))
            // No dev release sorts after any dev release.
            .then_with(|| match (self.dev, other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
            // No local label sorts first; labels compare segment-wise, a prefix sorting first.
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl Pep440Version {
    /// Parses a version the way `packaging.version.Version` does.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let text = trim_py_space(s);
        if text.is_empty() {
            return Err(VersionError::new(SCHEME, s, "empty version"));
        }
        if !text.is_ascii() {
            return Err(VersionError::new(SCHEME, s, "non-ASCII character"));
        }
        let parsed = parse_parts(text.as_bytes(), false).map_err(|reason| VersionError::new(SCHEME, s, reason))?;
        match parsed {
            Parsed::Version(parts) => Ok(Pep440Version { input: s.into(), parts }),
            Parsed::Prefix(_) => Err(VersionError::new(SCHEME, s, "wildcard in a version")),
        }
    }

    fn from_parts(parts: Parts) -> Self {
        let mut text = String::new();
        parts.write_normalized(&mut text, true);
        Pep440Version { input: text.into_boxed_str(), parts }
    }

    /// The input this version was parsed from, unchanged.
    pub fn as_str(&self) -> &str {
        &self.input
    }

    /// The canonical form (`str(Version(...))` in `packaging`): `v1.0-ALPHA` → `1.0a0`.
    pub fn normalized(&self) -> String {
        let mut out = String::with_capacity(self.input.len() + 4);
        self.parts.write_normalized(&mut out, true);
        out
    }

    pub fn epoch(&self) -> &Pep440Number {
        &self.parts.epoch
    }

    /// Release segments as written (`1.0.0` has three, even though it equals `1`).
    pub fn release(&self) -> &[Pep440Number] {
        &self.parts.release
    }

    pub fn pre(&self) -> Option<(PreReleaseKind, &Pep440Number)> {
        self.parts.pre.as_ref().map(|(kind, n)| (*kind, n))
    }

    pub fn post(&self) -> Option<&Pep440Number> {
        self.parts.post.as_ref()
    }

    pub fn dev(&self) -> Option<&Pep440Number> {
        self.parts.dev.as_ref()
    }

    /// The normalised local label without `+` (`1.0+Ubuntu-1` → `ubuntu.1`).
    pub fn local(&self) -> Option<String> {
        self.parts.local.as_ref().map(|segments| segments.iter().map(ToString::to_string).collect::<Vec<_>>().join("."))
    }

    pub fn local_segments(&self) -> Option<&[LocalSegment]> {
        self.parts.local.as_deref()
    }

    /// Pre-release or development release (PEP 440 treats both as pre-releases).
    pub fn is_prerelease(&self) -> bool {
        self.parts.pre.is_some() || self.parts.dev.is_some()
    }

    pub fn is_devrelease(&self) -> bool {
        self.parts.dev.is_some()
    }

    pub fn is_postrelease(&self) -> bool {
        self.parts.post.is_some()
    }

    /// This version without its local label (`1.0+abc` → `1.0`).
    pub fn public(&self) -> Pep440Version {
        Pep440Version::from_parts(Parts { local: None, ..self.parts.clone() })
    }

    /// Epoch and release only (`1!2.0rc1.post3+x` → `1!2.0`).
    pub fn base(&self) -> Pep440Version {
        Pep440Version::from_parts(Parts {
            epoch: self.parts.epoch.clone(),
            release: self.parts.release.clone(),
            significant: self.parts.significant,
            pre: None,
            post: None,
            dev: None,
            local: None,
        })
    }

    fn key(&self) -> Key<'_> {
        self.parts.key()
    }
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for Pep440Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Pep440Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pep440Version {}

impl Hash for Pep440Version {
    /// Hashes exactly what comparison looks at, so equal versions (`1.0`, `1.0.0`) hash alike.
    fn hash<H: Hasher>(&self, state: &mut H) {
        let key = self.key();
        key.epoch.hash(state);
        key.release.hash(state);
        key.pre.hash(state);
        key.post.hash(state);
        key.dev.hash(state);
        key.local.hash(state);
    }
}

impl fmt::Display for Pep440Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.input)
    }
}

impl std::str::FromStr for Pep440Version {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pep440Version::parse(s)
    }
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

/// Result of parsing a version body: a full version, or a `1.2.*` prefix (specifiers only).
enum Parsed {
    Version(Parts),
    Prefix(Parts),
}

/// A cursor over an ASCII, whitespace-trimmed version body.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or(&[])
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// One optional `.`, `-` or `_`.
    fn eat_separator(&mut self) {
        if matches!(self.peek(), Some(b'.' | b'-' | b'_')) {
            self.pos += 1;
        }
    }

    fn digits(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest();
        let len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        self.pos += len;
        rest.get(..len)
    }

    fn number(&mut self) -> Option<Pep440Number> {
        self.digits().map(Pep440Number::from_ascii_digits)
    }

    /// The first of `words` (ASCII, lowercase) found here, case-insensitively; `words` lists a
    /// longer spelling before its prefixes (`alpha` before `a`). Taking the longest spelling is
    /// safe: what follows a shorter one (`lpha`, `eta`, `view`, `ev`) can never continue a version.
    fn keyword<T: Copy>(&mut self, words: &[(&str, T)]) -> Option<T> {
        let rest = self.rest();
        for &(word, value) in words {
            if let Some(head) = rest.get(..word.len())
                && head.eq_ignore_ascii_case(word.as_bytes())
            {
                self.pos += word.len();
                return Some(value);
            }
        }
        None
    }
}

const PRE_WORDS: &[(&str, PreReleaseKind)] = &[
    ("alpha", PreReleaseKind::Alpha),
    ("a", PreReleaseKind::Alpha),
    ("beta", PreReleaseKind::Beta),
    ("b", PreReleaseKind::Beta),
    ("preview", PreReleaseKind::Rc),
    ("pre", PreReleaseKind::Rc),
    ("c", PreReleaseKind::Rc),
    ("rc", PreReleaseKind::Rc),
];
const POST_WORDS: &[(&str, ())] = &[("post", ()), ("rev", ()), ("r", ())];
const DEV_WORDS: &[(&str, ())] = &[("dev", ())];

/// Parses `[v][N!]N(.N)*[{a|b|rc}[N]][.postN][.devN][+local]` with every separator and spelling
/// `packaging` accepts, or `[v][N!]N(.N)*.*` when `allow_prefix` is set.
///
/// `packaging` matches a regular expression; this follows it greedily. Greedy is exact here: a
/// separator or number taken by one part is never needed by a later part to succeed (a later
/// part may always start without a separator, and the implicit `-N` post form only follows a
/// release or a pre-release number, where a greedy match would have left the `-` in place).
fn parse_parts(bytes: &[u8], allow_prefix: bool) -> Result<Parsed, &'static str> {
    let mut cur = Cursor { bytes, pos: 0 };
    if matches!(cur.peek(), Some(b'v' | b'V')) {
        cur.pos += 1;
    }

    let start = cur.pos;
    let first = cur.digits().ok_or("expected a release number")?;
    let epoch = if cur.eat(b'!') {
        Pep440Number::from_ascii_digits(first)
    } else {
        cur.pos = start;
        ZERO
    };

    let mut release = vec![cur.number().ok_or("expected a release number")?];
    loop {
        let save = cur.pos;
        if !cur.eat(b'.') {
            break;
        }
        match cur.number() {
            Some(n) => release.push(n),
            None => {
                // The dot belongs to what follows (`.post1`, `.*`, …).
                cur.pos = save;
                break;
            }
        }
    }
    let significant = release.iter().rposition(|n| !n.is_zero()).map_or(0, |i| i + 1);

    let mut parts = Parts { epoch, release, significant, pre: None, post: None, dev: None, local: None };

    if allow_prefix && cur.rest() == b".*" {
        return Ok(Parsed::Prefix(parts));
    }

    // Pre-release: [sep] word [sep] [N]
    let save = cur.pos;
    cur.eat_separator();
    match cur.keyword(PRE_WORDS) {
        Some(kind) => {
            cur.eat_separator();
            parts.pre = Some((kind, cur.number().unwrap_or(ZERO)));
        }
        None => cur.pos = save,
    }

    // Post-release: -N, or [sep] word [sep] [N]
    let save = cur.pos;
    if cur.eat(b'-')
        && let Some(n) = cur.number()
    {
        parts.post = Some(n);
    } else {
        cur.pos = save;
        cur.eat_separator();
        match cur.keyword(POST_WORDS) {
            Some(()) => {
                cur.eat_separator();
                parts.post = Some(cur.number().unwrap_or(ZERO));
            }
            None => cur.pos = save,
        }
    }

    // Development release: [sep] dev [sep] [N]
    let save = cur.pos;
    cur.eat_separator();
    match cur.keyword(DEV_WORDS) {
        Some(()) => {
            cur.eat_separator();
            parts.dev = Some(cur.number().unwrap_or(ZERO));
        }
        None => cur.pos = save,
    }

    // Local label: + alnum+ ([sep] alnum+)*
    if cur.eat(b'+') {
        let mut segments = Vec::new();
        loop {
            let rest = cur.rest();
            let len = rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            let segment = rest.get(..len).filter(|s| !s.is_empty()).ok_or("empty local version segment")?;
            cur.pos += len;
            segments.push(if segment.iter().all(u8::is_ascii_digit) {
                LocalSegment::Number(Pep440Number::from_ascii_digits(segment))
            } else {
                let text: String = segment.iter().map(|b| char::from(b.to_ascii_lowercase())).collect();
                LocalSegment::Text(text.into_boxed_str())
            });
            if cur.at_end() {
                break;
            }
            if !matches!(cur.peek(), Some(b'.' | b'-' | b'_')) {
                return Err("invalid character in local version");
            }
            cur.pos += 1;
        }
        parts.local = Some(segments);
    }

    if !cur.at_end() {
        return Err("unexpected characters");
    }
    Ok(Parsed::Version(parts))
}

// ---------------------------------------------------------------------------------------------
// Specifiers
// ---------------------------------------------------------------------------------------------

/// A specifier's comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pep440Operator {
    /// `~=`
    Compatible,
    /// `==` (exact, or prefix match with `.*`)
    Equal,
    /// `!=` (exact, or prefix exclusion with `.*`)
    NotEqual,
    /// `<=`
    LessEqual,
    /// `>=`
    GreaterEqual,
    /// `<`
    Less,
    /// `>`
    Greater,
    /// `===` (case-insensitive string equality)
    ArbitraryEqual,
}

impl Pep440Operator {
    pub fn as_str(self) -> &'static str {
        match self {
            Pep440Operator::Compatible => "~=",
            Pep440Operator::Equal => "==",
            Pep440Operator::NotEqual => "!=",
            Pep440Operator::LessEqual => "<=",
            Pep440Operator::GreaterEqual => ">=",
            Pep440Operator::Less => "<",
            Pep440Operator::Greater => ">",
            Pep440Operator::ArbitraryEqual => "===",
        }
    }
}

/// Longest operators first so `===` is not read as `==` and `<=` not as `<`.
const OPERATORS: &[(&str, Pep440Operator)] = &[
    ("===", Pep440Operator::ArbitraryEqual),
    ("~=", Pep440Operator::Compatible),
    ("==", Pep440Operator::Equal),
    ("!=", Pep440Operator::NotEqual),
    ("<=", Pep440Operator::LessEqual),
    (">=", Pep440Operator::GreaterEqual),
    ("<", Pep440Operator::Less),
    (">", Pep440Operator::Greater),
];

#[derive(Clone, Debug)]
enum Target {
    /// `op V`; for `==`/`!=` with `prefix`, `V.*`.
    Version { version: Pep440Version, prefix: bool },
    /// `===` text, as written.
    Arbitrary(Box<str>),
}

/// One clause such as `>=1.0`, `==2.*`, `~=1.4.2` or `===foobar`.
#[derive(Clone, Debug)]
pub struct Pep440Specifier {
    input: Box<str>,
    operator: Pep440Operator,
    target: Target,
}

impl Pep440Specifier {
    /// Parses one clause the way `packaging.specifiers.Specifier` does: whitespace is allowed
    /// around it and after the operator; `.*` only with `==`/`!=` and a plain release; local
    /// labels only with `==`/`!=`; `~=` needs at least two release segments.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let err = |reason: &str| VersionError::new(SCHEME, s, format!("invalid specifier: {reason}"));
        let text = trim_py_space(s);
        let (operator, body) = OPERATORS
            .iter()
            .find_map(|&(symbol, op)| text.strip_prefix(symbol).map(|rest| (op, rest)))
            .ok_or_else(|| err("missing or unknown operator"))?;
        let body = body.trim_start_matches(is_py_space);
        if body.is_empty() {
            return Err(err("missing version"));
        }

        if operator == Pep440Operator::ArbitraryEqual {
            // Anything but whitespace, `;` (markers) and `)` (parenthesised requirements).
            if body.chars().any(|c| is_py_space(c) || c == ';' || c == ')') {
                return Err(err("whitespace, ';' or ')' in an arbitrary version"));
            }
            return Ok(Pep440Specifier { input: s.into(), operator, target: Target::Arbitrary(body.into()) });
        }

        if !body.is_ascii() {
            return Err(err("non-ASCII character in version"));
        }
        let allow_prefix = matches!(operator, Pep440Operator::Equal | Pep440Operator::NotEqual);
        let (parts, prefix) = match parse_parts(body.as_bytes(), allow_prefix).map_err(err)? {
            Parsed::Version(parts) => (parts, false),
            Parsed::Prefix(parts) => (parts, true),
        };
        if parts.local.is_some() && !allow_prefix {
            return Err(err("local version label with an ordered or compatible comparison"));
        }
        if operator == Pep440Operator::Compatible && parts.release.len() < 2 {
            return Err(err("~= needs at least two release segments"));
        }
        let version = Pep440Version { input: body.into(), parts };
        Ok(Pep440Specifier { input: s.into(), operator, target: Target::Version { version, prefix } })
    }

    pub fn operator(&self) -> Pep440Operator {
        self.operator
    }

    /// The version operand (for `==X.*`/`!=X.*`, `X`); `None` for `===`.
    pub fn version(&self) -> Option<&Pep440Version> {
        match &self.target {
            Target::Version { version, .. } => Some(version),
            Target::Arbitrary(_) => None,
        }
    }

    /// Whether this is a `==X.*` / `!=X.*` prefix match.
    pub fn is_prefix_match(&self) -> bool {
        matches!(self.target, Target::Version { prefix: true, .. })
    }

    /// The operand of `===`, as written.
    pub fn arbitrary(&self) -> Option<&str> {
        match &self.target {
            Target::Arbitrary(text) => Some(text),
            Target::Version { .. } => None,
        }
    }

    /// Whether `version` satisfies this clause. With `prereleases == false` every pre-release or
    /// development release is rejected first; `true` is `packaging`'s default for `contains`.
    /// `===` compares against the normalised form, as `packaging` does for `Version` objects.
    pub fn contains(&self, version: &Pep440Version, prereleases: bool) -> bool {
        if !prereleases && version.is_prerelease() {
            return false;
        }
        match &self.target {
            Target::Arbitrary(text) => arbitrary_eq(&version.normalized(), text),
            Target::Version { version: spec, prefix } => self.matches(version, spec, *prefix),
        }
    }

    /// Like [`contains`](Self::contains) for a version string: `===` compares the string as given
    /// (so `1.01` does not match `===1.1`), an unparseable string matches only `===`.
    pub fn contains_str(&self, version: &str, prereleases: bool) -> bool {
        self.contains_text(version, Pep440Version::parse(version).ok().as_ref(), prereleases)
    }

    /// [`contains_str`](Self::contains_str) with `version` already parsed (`None` when it is
    /// not a valid version), so that a specifier set parses it once for all its clauses.
    fn contains_text(&self, version: &str, parsed: Option<&Pep440Version>, prereleases: bool) -> bool {
        if parsed.is_some_and(|p| !prereleases && p.is_prerelease()) {
            return false;
        }
        match (&self.target, parsed) {
            (Target::Arbitrary(text), _) => arbitrary_eq(version, text),
            (Target::Version { version: spec, prefix }, Some(parsed)) => self.matches(parsed, spec, *prefix),
            (Target::Version { .. }, None) => false,
        }
    }

    fn matches(&self, candidate: &Pep440Version, spec: &Pep440Version, prefix: bool) -> bool {
        let cand = candidate.key();
        let spec_key = spec.key();
        match self.operator {
            Pep440Operator::Equal => equal(candidate, spec, prefix),
            Pep440Operator::NotEqual => !equal(candidate, spec, prefix),
            Pep440Operator::LessEqual => cand.without_local().cmp(&spec_key).is_le(),
            Pep440Operator::GreaterEqual => cand.without_local().cmp(&spec_key).is_ge(),
            Pep440Operator::Compatible => {
                // `~=1.4.2` is `>=1.4.2, ==1.4.*`.
                let len = spec.parts.release.len().saturating_sub(1);
                let head = spec.parts.release.get(..len).unwrap_or(&[]);
                cand.without_local().cmp(&spec_key).is_ge() && release_has_prefix(candidate, &spec.parts.epoch, head)
            }
            Pep440Operator::Less => {
                if !cand.cmp(&spec_key).is_lt() {
                    return false;
                }
                // `<V` must not admit pre-releases of V itself unless V is one: those are the
                // pre-releases at or above `V.dev0` (packaging ≥ 26.2; `<1.0.post1` admits `1.0a1`).
                if !spec.is_prerelease() && candidate.is_prerelease() {
                    let earliest = Key { dev: Some(&ZERO), ..spec_key };
                    return cand.cmp(&earliest).is_lt();
                }
                true
            }
            Pep440Operator::Greater => {
                // `>V` must not admit local versions of V (hence the public part) …
                if !cand.without_local().cmp(&spec_key).is_gt() {
                    return false;
                }
                // … nor post-releases of V itself unless V is one (packaging ≥ 26.2: `>1.0a1`
                // rejects `1.0a1.post0` but admits `1.0.post0`).
                if !spec.is_postrelease() && candidate.is_postrelease() {
                    let post_base = Key { post: None, dev: None, local: None, ..cand };
                    return !post_base.cmp(&spec_key).is_eq();
                }
                true
            }
            // Handled by the callers.
            Pep440Operator::ArbitraryEqual => false,
        }
    }
}

/// `==` semantics: a prefix match on the release, or equality ignoring the candidate's local
/// label unless the specifier has one.
fn equal(candidate: &Pep440Version, spec: &Pep440Version, prefix: bool) -> bool {
    if prefix {
        return release_has_prefix(candidate, &spec.parts.epoch, &spec.parts.release);
    }
    let cand = candidate.key();
    if spec.parts.local.is_some() {
        cand.cmp(&spec.key()).is_eq()
    } else {
        cand.without_local().cmp(&spec.key()).is_eq()
    }
}

/// Same epoch, and the release (zero-padded) starts with `prefix`; pre/post/dev/local are ignored.
fn release_has_prefix(candidate: &Pep440Version, epoch: &Pep440Number, prefix: &[Pep440Number]) -> bool {
    candidate.parts.epoch == *epoch
        && prefix.iter().enumerate().all(|(i, want)| candidate.parts.release.get(i).unwrap_or(&ZERO) == want)
}

/// `===`: string equality ignoring case (ASCII per the spec; `packaging` lowercases Unicode too).
fn arbitrary_eq(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() { a.eq_ignore_ascii_case(b) } else { a.to_lowercase() == b.to_lowercase() }
}

impl fmt::Display for Pep440Specifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.input)
    }
}

impl std::str::FromStr for Pep440Specifier {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pep440Specifier::parse(s)
    }
}

/// Comma-separated clauses that must all hold (`>=1.0, !=1.3.*, <2`). Empty clauses are
/// skipped, so `""` is the empty set, which every version satisfies.
#[derive(Clone, Debug)]
pub struct Pep440SpecifierSet {
    input: Box<str>,
    specifiers: Vec<Pep440Specifier>,
}

impl Pep440SpecifierSet {
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let mut specifiers = Vec::new();
        for clause in s.split(',') {
            if trim_py_space(clause).is_empty() {
                continue;
            }
            let spec = Pep440Specifier::parse(clause).map_err(|e| {
                VersionError::new(SCHEME, s, format!("clause {:?}: {}", trim_py_space(clause), e.reason))
            })?;
            specifiers.push(spec);
        }
        Ok(Pep440SpecifierSet { input: s.into(), specifiers })
    }

    pub fn specifiers(&self) -> &[Pep440Specifier] {
        &self.specifiers
    }

    pub fn is_empty(&self) -> bool {
        self.specifiers.is_empty()
    }

    /// Every clause holds (see [`Pep440Specifier::contains`]); `prereleases == false` rejects all
    /// pre-releases, even for the empty set.
    pub fn contains(&self, version: &Pep440Version, prereleases: bool) -> bool {
        if !prereleases && version.is_prerelease() {
            return false;
        }
        self.specifiers.iter().all(|spec| spec.contains(version, prereleases))
    }

    /// Every clause holds for the string (see [`Pep440Specifier::contains_str`]); the empty set
    /// accepts any string, even one that is not a valid version.
    pub fn contains_str(&self, version: &str, prereleases: bool) -> bool {
        let parsed = Pep440Version::parse(version).ok();
        if parsed.as_ref().is_some_and(|p| !prereleases && p.is_prerelease()) {
            return false;
        }
        self.specifiers.iter().all(|spec| spec.contains_text(version, parsed.as_ref(), prereleases))
    }
}

impl fmt::Display for Pep440SpecifierSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.input)
    }
}

impl std::str::FromStr for Pep440SpecifierSet {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pep440SpecifierSet::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Pep440Version {
        match Pep440Version::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    fn norm(s: &str) -> Option<String> {
        Pep440Version::parse(s).ok().map(|v| v.normalized())
    }

    fn spec(s: &str) -> Pep440Specifier {
        match Pep440Specifier::parse(s) {
            Ok(spec) => spec,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn separators_and_spellings_follow_packaging() {
        assert_eq!(norm("1.0a-").as_deref(), Some("1.0a0"));
        assert_eq!(norm("1.0a..post1").as_deref(), Some("1.0a0.post1"));
        assert_eq!(norm("1.0a-1").as_deref(), Some("1.0a1"));
        assert_eq!(norm("1.0-r-1").as_deref(), Some("1.0.post1"));
        assert_eq!(norm("1.0rc1-2.dev").as_deref(), Some("1.0rc1.post2.dev0"));
        assert_eq!(norm("1.0-dev-1").as_deref(), Some("1.0.dev1"));
        assert_eq!(norm("1.0.post.").as_deref(), Some("1.0.post0"));
        assert_eq!(norm("1.0PreView2").as_deref(), Some("1.0rc2"));
        assert_eq!(norm("1.0+ab-CD_ef.007").as_deref(), Some("1.0+ab.cd.ef.7"));
        for bad in ["1.0-", "1.0.", "1.0-1-2", "v 1.0", "1!", "!1.0", "1.0+", "1.0+a..b", "1.0.poſt1", "١.0", "", "1.*"]
        {
            assert!(Pep440Version::parse(bad).is_err(), "{bad:?} should be invalid");
        }
    }

    #[test]
    fn python_whitespace_is_trimmed() {
        assert_eq!(norm("\u{1c}1.0\u{1f}").as_deref(), Some("1.0"));
        assert_eq!(norm("\u{202f}1.0\t\u{2029}\n ").as_deref(), Some("1.0"));
        assert!(Pep440Version::parse("1.0\u{200b}").is_err()); // zero-width space is not whitespace
    }

    #[test]
    fn huge_numbers_compare_numerically() {
        let big = v("1.99999999999999999999999");
        let bigger = v("1.100000000000000000000000");
        assert!(big < bigger);
        assert!(v("1.18446744073709551615") < v("1.18446744073709551616")); // u64::MAX and beyond
        assert_eq!(v("1.000000000000000000000000000018446744073709551616"), v("1.18446744073709551616"));
        assert_eq!(v("99999999999999999999999!1").epoch().as_u64(), None);
        assert_eq!(v("1.0+00000000000000000000000000001").normalized(), "1.0+1");
    }

    #[test]
    fn ordering_of_suffixes() {
        let ordered = [
            "1.0.dev0",
            "1.0a0.dev0",
            "1.0a0",
            "1.0a0.post0.dev0",
            "1.0a0.post0",
            "1.0b0",
            "1.0rc0",
            "1.0",
            "1.0+a",
            "1.0+a.0",
            "1.0+0",
            "1.0.post0.dev0",
            "1.0.post0",
            "1.0.1.dev0",
        ];
        for pair in ordered.windows(2) {
            if let [a, b] = pair {
                assert!(v(a) < v(b), "{a} < {b}");
            }
        }
        assert_eq!(v("1.0"), v("1.0.0.0"));
        assert_eq!(v("1.0+abc.01"), v("1.0+ABC-1"));
    }

    #[test]
    fn accessors() {
        let x = v(" V2!1.0.0RC3.post4.DEV5+Ubuntu-1 ");
        assert_eq!(x.epoch().as_u64(), Some(2));
        assert_eq!(x.release().iter().filter_map(Pep440Number::as_u64).collect::<Vec<_>>(), [1, 0, 0]);
        assert_eq!(x.pre().map(|(k, n)| (k, n.as_u64())), Some((PreReleaseKind::Rc, Some(3))));
        assert!(x.is_prerelease() && x.is_devrelease() && x.is_postrelease());
        assert_eq!(x.local().as_deref(), Some("ubuntu.1"));
        assert_eq!(x.normalized(), "2!1.0.0rc3.post4.dev5+ubuntu.1");
        assert_eq!(x.public().normalized(), "2!1.0.0rc3.post4.dev5");
        assert_eq!(x.base().normalized(), "2!1.0.0");
        assert_eq!(x.to_string(), " V2!1.0.0RC3.post4.DEV5+Ubuntu-1 ");
    }

    #[test]
    fn specifier_syntax() {
        for ok in ["=== foo", " == 1.0 ", "==\u{202f}1.0", "== v1.0", "!=1.0a1", "==1.0+AB", "~=1.0", "==1.0.*"] {
            assert!(Pep440Specifier::parse(ok).is_ok(), "{ok:?} should be valid");
        }
        for bad in [
            "===",
            "===foo bar",
            "===foo;",
            "===foo)",
            "== 1.0 .*",
            "==1.0. *",
            "~=1",
            "~=1.0+a",
            "<1.0+a",
            "==1.*.*",
            "==1.0-1.*",
            "==1.0a1.*",
            "=>2.0",
            "2.0",
            "==",
            ">=1.0.*",
            "==1.0.*+5",
            "==1.2+\u{130}",
        ] {
            assert!(Pep440Specifier::parse(bad).is_err(), "{bad:?} should be invalid");
        }
    }

    #[test]
    fn exclusive_comparisons_follow_packaging_26() {
        let cases = [
            ("<2.0", "2.0a1+local", false),
            ("<2.0", "1.9+local", true),
            ("<1.0.post1", "1.0a1", true),
            ("<1.0.post1", "1.0.post1.dev0", false),
            ("<1.0.post1", "1.0.post0.dev0", true),
            ("<1.0a1", "1.0.dev1", true),
            ("<1.0.dev5", "1.0.dev3", true),
            (">1.0", "1.0.post1.dev1", false),
            (">1.0.0", "1.0.post1", false),
            (">1.0a1", "1.0a1.post1.dev1", false),
            (">1.0a1", "1.0.post0", true),
            (">1.0.dev1", "1.0.post1.dev1", true),
            (">1.0.post1", "1.0.post1+l", false),
            (">1.0.post1", "1.0.post2+l", true),
            (">=1.0", "1.0+l", true),
            ("<=1.0", "1.0+l", true),
            ("~=1.0.0", "1.0.5+l", true),
            ("~=1.0.post1", "1.0.post1.dev1", false),
            ("==1.0+L", "1.0+l", true),
            ("==1.0+l", "1.0+l.0", false),
        ];
        for (s, version, expected) in cases {
            assert_eq!(spec(s).contains(&v(version), true), expected, "{version} in {s}");
        }
    }

    #[test]
    fn arbitrary_equality() {
        assert!(spec("===1.01").contains_str("1.01", true));
        assert!(!spec("===1.01").contains(&v("1.01"), true)); // a parsed version is compared normalised
        assert!(spec("===1.1").contains(&v("1.01"), true));
        assert!(spec("===LoLWaT").contains_str("lolwat", false));
        assert!(!spec("===1.0a1").contains_str("1.0a1", false));
        assert!(!spec(">=1.0").contains_str("lolwat", true));
    }

    #[test]
    fn specifier_sets() {
        let set = match Pep440SpecifierSet::parse(" >=1.0, ,!=1.3.*,<2 ,") {
            Ok(set) => set,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(set.specifiers().len(), 3);
        assert!(set.contains(&v("1.2"), true));
        assert!(!set.contains(&v("1.3.1"), true));
        assert!(!set.contains(&v("1.5a1"), false));
        assert!(set.contains(&v("1.5a1"), true));
        let empty = match Pep440SpecifierSet::parse("") {
            Ok(set) => set,
            Err(e) => panic!("{e}"),
        };
        assert!(empty.contains_str("not a version", false));
        assert!(!empty.contains_str("1.0a1", false));
        assert!(Pep440SpecifierSet::parse(">=1;<2").is_err());
        assert!(Pep440SpecifierSet::parse(">=1 <2").is_err());
    }
}
