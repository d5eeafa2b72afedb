//! Debian package versions, `[epoch:]upstream[-revision]`, ordered as dpkg orders them
//! (Debian Policy §5.6.12).
//!
//! Parsing is as lenient as `dpkg --compare-versions`: what dpkg only warns about (an upstream
//! part not starting with a digit, characters outside the policy's set) is accepted; what dpkg
//! refuses (empty version, embedded blanks, bad epoch, empty upstream or revision) is an error.

use std::cmp::Ordering;
use std::fmt;

use crate::VersionError;
use crate::digits::cmp_decimal;

const SCHEME: &str = "dpkg";

/// dpkg parses epochs with `strtol` and refuses anything above `INT_MAX`.
const MAX_EPOCH: u32 = i32::MAX as u32;

/// A parsed Debian version. Equality means "compares equal" (`1.0` == `0:1.0-0`).
#[derive(Clone, Debug)]
pub struct DpkgVersion {
    original: String,
    epoch: u32,
    upstream: String,
    /// `None` when the version has no `-`; it compares like an empty revision (and like `0`).
    revision: Option<String>,
}

impl DpkgVersion {
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let error = |reason: &str| VersionError::new(SCHEME, s, reason);
        // dpkg strips blanks (space and tab only) around the version; other control characters
        // are ordinary, if warned-about, characters.
        let trimmed = s.trim_matches(is_blank);
        if trimmed.is_empty() {
            return Err(error("version string is empty"));
        }
        if trimmed.contains(is_blank) {
            return Err(error("version string has embedded spaces"));
        }
        // A C string cannot carry NUL, so dpkg could never have compared such a version.
        if trimmed.contains('\0') {
            return Err(error("version string contains a NUL character"));
        }

        let (epoch, rest) = match trimmed.split_once(':') {
            Some((epoch_text, rest)) => {
                let epoch = parse_epoch(epoch_text).map_err(error)?;
                if rest.is_empty() {
                    return Err(error("nothing after colon in version number"));
                }
                (epoch, rest)
            }
            None => (0, trimmed),
        };

        // The revision starts after the last hyphen; earlier hyphens belong to upstream.
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((upstream, revision)) => {
                if revision.is_empty() {
                    return Err(error("revision number is empty"));
                }
                (upstream, Some(revision))
            }
            None => (rest, None),
        };
        if upstream.is_empty() {
            return Err(error("version number is empty"));
        }

        Ok(DpkgVersion {
            original: s.to_owned(),
            epoch,
            upstream: upstream.to_owned(),
            revision: revision.map(str::to_owned),
        })
    }

    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    pub fn upstream(&self) -> &str {
        &self.upstream
    }

    pub fn revision(&self) -> Option<&str> {
        self.revision.as_deref()
    }
}

/// Parses and compares two version strings.
pub fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(DpkgVersion::parse(a)?.cmp(&DpkgVersion::parse(b)?))
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Mirrors what dpkg accepts through `strtol`: an optional sign, then at least one ASCII digit.
fn parse_epoch(text: &str) -> Result<u32, &'static str> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..).unwrap_or("")),
        Some(b'+') => (false, text.get(1..).unwrap_or("")),
        _ => (false, text),
    };
    let digit_count = digits.bytes().take_while(u8::is_ascii_digit).count();
    if digit_count == 0 {
        return Err("epoch in version is empty");
    }
    if digit_count != digits.len() {
        return Err("epoch in version is not number");
    }
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return Ok(0); // "-0" is zero, not negative
    }
    if negative {
        return Err("epoch in version is negative");
    }
    match significant.parse::<u32>() {
        Ok(epoch) if epoch <= MAX_EPOCH => Ok(epoch),
        _ => Err("epoch in version is too big"),
    }
}

/// dpkg's comparison of an upstream version or a revision: alternating non-digit and digit
/// runs; non-digit runs character by character with [`weight`], digit runs numerically.
fn compare_part(a: &[u8], b: &[u8]) -> Ordering {
    let (mut a, mut b) = (a, b);
    while !a.is_empty() || !b.is_empty() {
        // Non-digit run. A digit or the end of the string weighs 0: it ends the run.
        loop {
            let ca = a.first().copied().filter(|c| !c.is_ascii_digit());
            let cb = b.first().copied().filter(|c| !c.is_ascii_digit());
            if ca.is_none() && cb.is_none() {
                break;
            }
            let order = weight(ca).cmp(&weight(cb));
            if order != Ordering::Equal {
                return order;
            }
            if ca.is_some() {
                a = a.get(1..).unwrap_or_default();
            }
            if cb.is_some() {
                b = b.get(1..).unwrap_or_default();
            }
        }
        // Digit run, compared as a number of any length.
        let (digits_a, rest_a) = split_digits(a);
        let (digits_b, rest_b) = split_digits(b);
        let order = cmp_decimal(digits_a, digits_b);
        if order != Ordering::Equal {
            return order;
        }
        a = rest_a;
        b = rest_b;
    }
    Ordering::Equal
}

/// Sort weight of one character of a non-digit run (`None` = end of run):
/// `~` before everything including the end, then letters, then every other character.
fn weight(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        // dpkg reads bytes as a signed `char` on the common platforms, which puts bytes of
        // non-ASCII characters between the letters and the ASCII punctuation.
        Some(c) if c >= 0x80 => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    s.split_at(n)
}

impl Ord for DpkgVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| compare_part(self.upstream.as_bytes(), other.upstream.as_bytes()))
            .then_with(|| {
                let mine = self.revision.as_deref().unwrap_or("");
                let theirs = other.revision.as_deref().unwrap_or("");
                compare_part(mine.as_bytes(), theirs.as_bytes())
            })
    }
}

impl PartialOrd for DpkgVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for DpkgVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for DpkgVersion {}

impl fmt::Display for DpkgVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> DpkgVersion {
        match DpkgVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn splits_epoch_upstream_and_revision() {
        let version = v("2:1.0-rc1-3ubuntu1");
        assert_eq!(version.epoch(), 2);
        assert_eq!(version.upstream(), "1.0-rc1");
        assert_eq!(version.revision(), Some("3ubuntu1"));
        // Only the first colon delimits the epoch; later ones belong to upstream.
        let version = v("1:2:3");
        assert_eq!((version.epoch(), version.upstream(), version.revision()), (1, "2:3", None));
    }

    #[test]
    fn rejects_what_dpkg_rejects() {
        for bad in
            ["", " ", "\t", "1 2", "1: 0", ":1", "a:1", "0x1:0", "-1:0", "2147483648:0", "1:", "1-", "-1", "1:-1"]
        {
            assert!(DpkgVersion::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn accepts_what_dpkg_only_warns_about() {
        for ok in ["a", "~", ".", "1:+1", "III-alpha9.8", "2.2.4-47978_Debian_lenny", "1\n", "1é", "+1:0", "-0:1"] {
            assert!(DpkgVersion::parse(ok).is_ok(), "{ok:?} should be accepted");
        }
        assert_eq!(v("2147483647:0").epoch(), 2147483647);
        assert_eq!(v("+1:0"), v("1:0"));
        assert_eq!(v("-0:1"), v("1"));
    }

    #[test]
    fn trims_only_blanks() {
        assert_eq!(v(" \t1.0\t "), v("1.0"));
        assert_eq!(v(" 1.0").to_string(), " 1.0");
        // A newline is an ordinary (warned-about) character to dpkg.
        assert_ne!(v("1\n"), v("1"));
    }

    #[test]
    fn orders_characters_like_dpkg() {
        assert!(v("1~") < v("1"));
        assert!(v("1~~") < v("1~"));
        assert!(v("1a") < v("1+"));
        assert!(v("1Z") < v("1a"));
        assert!(v("1z") < v("1é"));
        assert!(v("1é") < v("1+"));
        assert!(v("1.99999999999999999999999") > v("1.99999999999999999999998"));
        assert_eq!(v("1.000000000000000000000000009"), v("1.9"));
    }
}
