//! RPM versions: `rpmvercmp` as RPM 4.18 implements it, and `[epoch:]version[-release]` values
//! ordered by epoch, version and release.

use std::cmp::Ordering;
use std::fmt;

use crate::VersionError;
use crate::digits::cmp_decimal;

const SCHEME: &str = "rpm";

/// Compares two version (or release) strings exactly as RPM 4.18's `rpmvercmp`.
///
/// Both strings are read as a sequence of segments: maximal runs of ASCII digits (compared as
/// numbers of any length) or ASCII letters (compared bytewise); every other character only
/// separates segments, so `1.0` == `1_0` and non-ASCII characters are ignored. `~` sorts before
/// everything, the end of the string included; `^` sorts after the end but before any segment;
/// a numeric segment beats an alphabetic one; when one string runs out, the other is newer.
/// This is a total preorder on all strings.
pub fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        a = skip_separators(a);
        b = skip_separators(b);
        match (a.first(), b.first()) {
            (Some(b'~'), Some(b'~')) | (Some(b'^'), Some(b'^')) => {
                a = a.get(1..).unwrap_or_default();
                b = b.get(1..).unwrap_or_default();
            }
            (Some(b'~'), _) => return Ordering::Less,
            (_, Some(b'~')) => return Ordering::Greater,
            (Some(b'^'), None) => return Ordering::Greater,
            (None, Some(b'^')) => return Ordering::Less,
            (Some(b'^'), Some(_)) => return Ordering::Less,
            (Some(_), Some(b'^')) => return Ordering::Greater,
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(first), Some(_)) => {
                // `a`'s segment decides the kind; `b`'s segment is the run of the same kind.
                let numeric = first.is_ascii_digit();
                let class: fn(&u8) -> bool = if numeric { u8::is_ascii_digit } else { u8::is_ascii_alphabetic };
                let (segment_a, rest_a) = split_run(a, class);
                let (segment_b, rest_b) = split_run(b, class);
                if segment_b.is_empty() {
                    // Different kinds: numeric is newer than alphabetic.
                    return if numeric { Ordering::Greater } else { Ordering::Less };
                }
                let order = if numeric { cmp_decimal(segment_a, segment_b) } else { segment_a.cmp(segment_b) };
                if order != Ordering::Equal {
                    return order;
                }
                a = rest_a;
                b = rest_b;
            }
        }
    }
}

fn skip_separators(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^').count();
    s.get(n..).unwrap_or_default()
}

fn split_run(s: &[u8], class: fn(&u8) -> bool) -> (&[u8], &[u8]) {
    let n = s.iter().take_while(|c| class(c)).count();
    s.split_at(n)
}

/// An RPM `[epoch:]version[-release]` (EVR). Ordered by epoch (absent = 0), then version with
/// [`rpmvercmp`], then release with [`rpmvercmp`], a missing release sorting below any release
/// (RPM itself skips the release when one side lacks it, which is not a total order).
#[derive(Clone, Debug)]
pub struct RpmVersion {
    original: String,
    epoch: Option<u64>,
    version: String,
    release: Option<String>,
}

impl RpmVersion {
    /// Splits like RPM's EVR parser: leading digits followed by `:` are the epoch (an empty
    /// epoch, `:1.0`, means 0); the release follows the last `-`. Rejects empty input, an empty
    /// version or release, an epoch beyond `u64`, and whitespace or control characters (which
    /// can never appear in a real EVR and would silently hide an epoch).
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let error = |reason: &str| VersionError::new(SCHEME, s, reason);
        if s.is_empty() {
            return Err(error("version string is empty"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(error("version string contains whitespace or control characters"));
        }

        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        let (epoch, rest) = match s.get(digits..).and_then(|after| after.strip_prefix(':')) {
            Some(rest) => {
                let epoch_text = s.get(..digits).unwrap_or("");
                let significant = epoch_text.trim_start_matches('0');
                let epoch = if significant.is_empty() {
                    0
                } else {
                    significant.parse::<u64>().map_err(|_| error("epoch is too big"))?
                };
                (Some(epoch), rest)
            }
            None => (None, s),
        };

        let (version, release) = match rest.rsplit_once('-') {
            Some((version, release)) => {
                if release.is_empty() {
                    return Err(error("release is empty"));
                }
                (version, Some(release))
            }
            None => (rest, None),
        };
        if version.is_empty() {
            return Err(error("version is empty"));
        }

        Ok(RpmVersion {
            original: s.to_owned(),
            epoch,
            version: version.to_owned(),
            release: release.map(str::to_owned),
        })
    }

    /// The explicit epoch, if any (comparison treats a missing epoch as 0).
    pub fn epoch(&self) -> Option<u64> {
        self.epoch
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn release(&self) -> Option<&str> {
        self.release.as_deref()
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .unwrap_or(0)
            .cmp(&other.epoch.unwrap_or(0))
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (Some(mine), Some(theirs)) => rpmvercmp(mine, theirs),
                (mine, theirs) => mine.is_some().cmp(&theirs.is_some()),
            })
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RpmVersion {}

impl fmt::Display for RpmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> RpmVersion {
        match RpmVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn splits_evr() {
        let evr = v("2:1.0-rc1-3.el9");
        assert_eq!((evr.epoch(), evr.version(), evr.release()), (Some(2), "1.0-rc1", Some("3.el9")));
        let evr = v("1.0");
        assert_eq!((evr.epoch(), evr.version(), evr.release()), (None, "1.0", None));
        // An empty epoch means 0; a non-numeric prefix is not an epoch.
        assert_eq!(v(":1.0").epoch(), Some(0));
        let evr = v("a:1.0");
        assert_eq!((evr.epoch(), evr.version()), (None, "a:1.0"));
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["", "1.0-", "-1", "1:", "1:-2", " 1:1.0", "1.0 ", "1\n", "99999999999999999999:1"] {
            assert!(RpmVersion::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn orders_by_epoch_version_release() {
        assert!(v("1:1.0") > v("2.0"));
        assert_eq!(v("0:1.0"), v("1.0"));
        assert!(v("1.0") < v("1.0-1"));
        assert!(v("1.0-1") < v("1.0-2"));
        assert!(v("1.0-9") < v("1.0.1-1"));
        assert_eq!(v("1.0-1.el9"), v("1.0-1_el9"));
    }

    #[test]
    fn vercmp_edges() {
        assert_eq!(rpmvercmp("", ""), Ordering::Equal);
        assert_eq!(rpmvercmp("", "~"), Ordering::Greater);
        assert_eq!(rpmvercmp("", "^"), Ordering::Less);
        assert_eq!(rpmvercmp("1.0~", "1.0^"), Ordering::Less);
        assert_eq!(rpmvercmp("1.0.", "1.0"), Ordering::Equal);
        assert_eq!(rpmvercmp("1.α", "1.β"), Ordering::Equal);
        assert_eq!(rpmvercmp("1.99999999999999999999999", "1.99999999999999999999998"), Ordering::Greater);
        assert_eq!(rpmvercmp("a", "1"), Ordering::Less);
        assert_eq!(rpmvercmp("1b.fc17", "1.fc17"), Ordering::Less);
    }
}
