//! OSV affected-range evaluation (the `affected[].ranges` and `affected[].versions` of an
//! OSV record), per the OSV schema: events of a range are sorted by version; walking them,
//! `introduced` (with `"0"` meaning "from the beginning") makes a version affected if it
//! is at or above it, `fixed` clears that at or above the fix, `last_affected` clears it
//! above the last affected version; `limit` bounds the whole range (`"*"` = no bound).
//!
//! The core is generic over the version type so that every scheme shares one walk.

use std::cmp::Ordering;

use crate::{Scheme, Version, VersionError};

/// The kind of an OSV range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "UPPERCASE"))]
pub enum RangeKind {
    /// Versions in the ecosystem's own scheme.
    Ecosystem,
    /// SemVer 2.0.0 precedence, whatever the ecosystem.
    Semver,
    /// Commit hashes: cannot be evaluated against a version; such ranges never match here
    /// (OSV records enumerate the affected versions in `versions` for them).
    Git,
}

impl RangeKind {
    pub fn parse(s: &str) -> Option<RangeKind> {
        match s {
            "ECOSYSTEM" => Some(RangeKind::Ecosystem),
            "SEMVER" => Some(RangeKind::Semver),
            "GIT" => Some(RangeKind::Git),
            _ => None,
        }
    }
}

/// One OSV event; serialised as OSV writes it (`{"introduced": "1.0"}`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Range {
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

/// The answer for one version against one `affected` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evaluation {
    pub affected: bool,
    /// The lowest `fixed` version above the evaluated version in a range that affects it:
    /// the version to upgrade to. `None` when affected with no fix, or not affected.
    pub fixed: Option<String>,
}

/// One event with its version parsed; `None` is the `"0"` introduced / `"*"` limit.
enum Bound<V> {
    Introduced(Option<V>),
    Fixed(V, String),
    LastAffected(V),
    Limit(Option<V>),
}

/// Sort key of a bound: its version (`None` sorts first) and, at equal versions, the
/// order in which events apply.
fn sort_key<V>(b: &Bound<V>) -> (Option<&V>, u8) {
    match b {
        Bound::Introduced(x) => (x.as_ref(), 0),
        Bound::LastAffected(x) => (Some(x), 1),
        Bound::Fixed(x, _) => (Some(x), 2),
        Bound::Limit(x) => (x.as_ref(), 3),
    }
}

/// Walks one range's events for `v` with `parse` and `cmp` of some scheme.
fn walk<V>(
    v: &V,
    events: &[Event],
    parse: &impl Fn(&str) -> Result<V, VersionError>,
    cmp: &impl Fn(&V, &V) -> Ordering,
) -> Result<Evaluation, VersionError> {
    let mut bounds: Vec<Bound<V>> = Vec::with_capacity(events.len());
    for e in events {
        bounds.push(match e {
            Event::Introduced(s) if s == "0" => Bound::Introduced(None),
            Event::Introduced(s) => Bound::Introduced(Some(parse(s)?)),
            Event::Fixed(s) => Bound::Fixed(parse(s)?, s.clone()),
            Event::LastAffected(s) => Bound::LastAffected(parse(s)?),
            Event::Limit(s) if s == "*" => Bound::Limit(None),
            Event::Limit(s) => Bound::Limit(Some(parse(s)?)),
        });
    }
    let limits: Vec<&Option<V>> =
        bounds.iter().filter_map(|b| if let Bound::Limit(l) = b { Some(l) } else { None }).collect();
    if !limits.is_empty() && !limits.iter().any(|l| l.as_ref().is_none_or(|l| cmp(v, l) == Ordering::Less)) {
        return Ok(Evaluation::default());
    }
    // Sort by version; at equal versions an introduction comes first so that a version
    // equal to both an introduction and a fix counts as fixed.
    bounds.sort_by(|a, b| {
        let ((va, ra), (vb, rb)) = (sort_key(a), sort_key(b));
        let by_version = match (va, vb) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => cmp(x, y),
        };
        by_version.then(ra.cmp(&rb))
    });
    let mut affected = false;
    for b in &bounds {
        match b {
            Bound::Introduced(None) => affected = true,
            Bound::Introduced(Some(i)) if cmp(v, i) != Ordering::Less => affected = true,
            Bound::Fixed(f, _) if cmp(v, f) != Ordering::Less => affected = false,
            Bound::LastAffected(l) if cmp(v, l) == Ordering::Greater => affected = false,
            _ => {}
        }
    }
    let fixed = if affected {
        bounds
            .iter()
            .filter_map(|b| match b {
                Bound::Fixed(f, raw) if cmp(f, v) == Ordering::Greater => Some((f, raw)),
                _ => None,
            })
            .min_by(|a, b| cmp(a.0, b.0))
            .map(|(_, raw)| raw.clone())
    } else {
        None
    };
    Ok(Evaluation { affected, fixed })
}

/// SEMVER ranges hold SemVer 2.0 versions without a `v`; installed Go module versions
/// carry one (`v1.2.3`), npm's may carry `=`.
fn semver_lenient(s: &str) -> Result<crate::semver::SemVer, VersionError> {
    let t = s.trim();
    let t = t.strip_prefix('v').or_else(|| t.strip_prefix('=')).unwrap_or(t);
    crate::semver::SemVer::parse(t)
}

/// Evaluates `version` against an OSV `affected` entry (`ranges` and `versions`) whose
/// ecosystem uses `scheme`. An unparseable installed version, or an unparseable version
/// in an ECOSYSTEM/SEMVER range, is an error: the caller reports "unknown", never
/// "not affected".
pub fn evaluate(
    scheme: Scheme,
    version: &str,
    ranges: &[Range],
    versions: &[String],
) -> Result<Evaluation, VersionError> {
    let installed = scheme.parse(version)?;
    evaluate_parsed(scheme, &installed, version, ranges, versions)
}

/// A range bound as the scheme parses it, except that an npm or SemVer bound written as a
/// partial version (`1.0`: a few GitHub advisories write them so) reads the way node-semver
/// reads a partial version in a range, with the missing parts zero.
fn parse_bound(scheme: Scheme, s: &str) -> Result<Version, VersionError> {
    match scheme.parse(s) {
        Err(e) if matches!(scheme, Scheme::Npm | Scheme::SemVer) => {
            let parts: Vec<&str> = s.split('.').collect();
            let numeric = parts.iter().all(|p| !p.is_empty() && p.len() <= 16 && p.bytes().all(|b| b.is_ascii_digit()));
            if numeric && parts.len() < 3 {
                let padded = format!("{s}{}", ".0".repeat(3 - parts.len()));
                scheme.parse(&padded).map_err(|_| e)
            } else {
                Err(e)
            }
        }
        other => other,
    }
}

/// `evaluate` with the installed version already parsed (a package is checked against
/// many advisories; parse it once). `version` is its text, for SEMVER ranges and for
/// `versions` entries the scheme cannot parse.
pub fn evaluate_parsed(
    scheme: Scheme,
    installed: &Version,
    version: &str,
    ranges: &[Range],
    versions: &[String],
) -> Result<Evaluation, VersionError> {
    let mut result = Evaluation::default();
    let merge = |e: Evaluation, result: &mut Evaluation| {
        if e.affected {
            result.affected = true;
            // Keep the lowest fix among the ranges that affect the version.
            result.fixed = match (result.fixed.take(), e.fixed) {
                (Some(a), Some(b)) => Some(match scheme.compare(&a, &b) {
                    Ok(Ordering::Greater) => b,
                    _ => a,
                }),
                (a, b) => a.or(b),
            };
        }
    };
    // The installed version as SemVer, parsed at the first SEMVER range (if any).
    let mut installed_semver = None;
    for r in ranges {
        let e = match r.kind {
            RangeKind::Git => continue,
            RangeKind::Ecosystem => walk(installed, &r.events, &|s| parse_bound(scheme, s), &Version::cmp)?,
            RangeKind::Semver => {
                let v = match &mut installed_semver {
                    Some(v) => v,
                    slot @ None => slot.insert(semver_lenient(version)?),
                };
                walk(v, &r.events, &semver_lenient, &|a, b| a.cmp_precedence(b))?
            }
        };
        merge(e, &mut result);
    }
    if !result.affected {
        // The explicit list: equal under the scheme (PyPI `1.0` lists `1.0.0`), else by text.
        // Exact text first: enumerations are long and usually spell the version as the
        // package does.
        let listed = versions.iter().any(|l| l == version)
            || versions.iter().any(|listed| match scheme.parse(listed) {
                Ok(l) => installed.cmp(&l) == Ordering::Equal,
                Err(_) => false,
            });
        if listed {
            result.affected = true;
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Result<u64, VersionError> {
        s.parse().map_err(|_| VersionError::new("test", s, "not a number"))
    }

    fn eval(v: u64, events: &[Event]) -> Evaluation {
        walk(&v, events, &num, &|a: &u64, b: &u64| a.cmp(b)).unwrap()
    }

    fn i(s: &str) -> Event {
        Event::Introduced(s.into())
    }
    fn f(s: &str) -> Event {
        Event::Fixed(s.into())
    }
    fn la(s: &str) -> Event {
        Event::LastAffected(s.into())
    }
    fn lim(s: &str) -> Event {
        Event::Limit(s.into())
    }

    #[test]
    fn partial_npm_bounds_read_as_node_semver_ranges_do() {
        // GHSA-r683-j2x4-v87g (node-fetch) writes `introduced: 1.0`.
        let ranges = [Range {
            kind: RangeKind::Ecosystem,
            events: vec![Event::Introduced("1.0".into()), Event::Fixed("2.6.7".into())],
        }];
        let e = evaluate(Scheme::Npm, "2.6.0", &ranges, &[]).unwrap();
        assert_eq!((e.affected, e.fixed.as_deref()), (true, Some("2.6.7")));
        assert!(!evaluate(Scheme::Npm, "0.9.9", &ranges, &[]).unwrap().affected);
        assert!(evaluate(Scheme::Npm, "1.0.0", &ranges, &[]).unwrap().affected);
        // Only plain numbers are padded; anything else stays an error.
        assert!(parse_bound(Scheme::Npm, "1.x").is_err());
        assert!(parse_bound(Scheme::Npm, "1.").is_err());
        assert!(parse_bound(Scheme::Pep440, "1").is_ok(), "other schemes parse as before");
    }

    #[test]
    fn introduced_fixed() {
        let ev = [i("0"), f("5")];
        assert!(eval(1, &ev).affected);
        assert_eq!(eval(4, &ev).fixed.as_deref(), Some("5"));
        assert!(!eval(5, &ev).affected);
        assert!(!eval(9, &ev).affected);
        let ev = [i("3"), f("5")];
        assert!(!eval(2, &ev).affected);
        assert!(eval(3, &ev).affected);
    }

    #[test]
    fn several_intervals_in_any_order() {
        let ev = [f("8"), i("6"), f("3"), i("1")];
        let affected: Vec<u64> = (0..10).filter(|v| eval(*v, &ev).affected).collect();
        assert_eq!(affected, [1, 2, 6, 7]);
        assert_eq!(eval(6, &ev).fixed.as_deref(), Some("8"));
        assert_eq!(eval(1, &ev).fixed.as_deref(), Some("3"));
    }

    #[test]
    fn last_affected_is_inclusive_and_has_no_fix() {
        let ev = [i("2"), la("4")];
        let affected: Vec<u64> = (0..7).filter(|v| eval(*v, &ev).affected).collect();
        assert_eq!(affected, [2, 3, 4]);
        assert_eq!(eval(3, &ev).fixed, None);
    }

    #[test]
    fn open_ended_and_limits() {
        assert!(eval(1000, &[i("2")]).affected, "no fix: affected from 2 on");
        let ev = [i("0"), lim("5")];
        assert!(eval(4, &ev).affected);
        assert!(!eval(5, &ev).affected, "limit bounds the range");
        assert!(eval(50, &[i("0"), lim("*")]).affected);
    }

    #[test]
    fn equal_introduced_and_fixed_is_not_affected() {
        assert!(!eval(3, &[i("3"), f("3")]).affected);
    }

    #[test]
    fn unparseable_event_is_an_error() {
        assert!(walk(&1u64, &[i("0"), f("x")], &num, &|a: &u64, b: &u64| a.cmp(b)).is_err());
    }
}
