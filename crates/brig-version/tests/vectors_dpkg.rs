mod common;

use std::cmp::Ordering;

use brig_version::dpkg::{self, DpkgVersion};
use common::{Report, cases, check_chains, check_total_order, ordering};
use proptest::prelude::*;

/// Ordered pairs implied by `dpkg.tsv`'s chains of adjacent pairs (see `check_chains`).
const DPKG_CHAIN_PAIRS: usize = 119;

/// Checks one `left op right` case both ways round (the order must be antisymmetric), through
/// `dpkg::compare` on the strings.
fn check_comparison_file(file: &'static str, expected: usize) {
    let mut report = Report::new(file);
    for case in cases(file) {
        let (left, right) = (case.get(0), case.get(2));
        let want = ordering(case.get(1));
        let forward = dpkg::compare(left, right);
        let backward = dpkg::compare(right, left);
        let ok = forward == Ok(want) && backward == Ok(want.reverse());
        report.check(&case, ok, || format!("got {forward:?}, reversed {backward:?}"));
    }
    report.finish(expected);
}

#[test]
fn dpkg_vectors() {
    check_comparison_file("dpkg.tsv", 79);
}

#[test]
fn apt_vectors() {
    check_comparison_file("dpkg-apt.tsv", 64);
}

/// `Dpkg_Version.t`'s two expected sort orders are given as adjacent pairs: every pair of each
/// must hold too.
#[test]
fn dpkg_chains() {
    assert_eq!(check_chains("dpkg.tsv", |s, _| DpkgVersion::parse(s), Ord::cmp), DPKG_CHAIN_PAIRS);
}

/// Pieces close to each other in dpkg's order, so that generated versions often tie or differ
/// by a single character: digit runs with leading zeros, `~` pre-releases, `+` suffixes, letters.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "0", "1", "2", "10", "01", "00", ".", "+", "~", "-", ":", "a", "b", "Z", "rc", "dfsg", "~rc", "+git", "+b",
        "ubuntu", "é",
    ])
}

fn version_text() -> impl Strategy<Value = String> {
    let epoch = prop::sample::select(vec!["", "", "0:", "1:", "2:", "01:"]);
    let first = prop::sample::select(vec!["0", "1", "2", "10", "1.0", "a"]);
    let upstream = prop::collection::vec(piece(), 0..5);
    let revision = prop::option::of(prop::collection::vec(piece(), 1..4));
    (epoch, first, upstream, revision).prop_map(|(epoch, first, upstream, revision)| {
        let mut s = format!("{epoch}{first}{}", upstream.concat());
        if let Some(revision) = revision {
            s.push('-');
            s.push_str(&revision.concat());
        }
        s
    })
}

fn version() -> impl Strategy<Value = DpkgVersion> {
    version_text().prop_filter_map("dpkg rejects it", |s| DpkgVersion::parse(&s).ok())
}

proptest! {
    #[test]
    fn order_is_total(a in version(), b in version(), c in version()) {
        check_total_order([&a, &b, &c], |a, b| a.cmp(b))?;
    }

    #[test]
    fn equality_agrees_with_cmp(a in version(), b in version()) {
        prop_assert_eq!(a == b, a.cmp(&b) == Ordering::Equal);
        prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
    }

    #[test]
    fn display_is_the_input(s in version_text()) {
        if let Ok(v) = DpkgVersion::parse(&s) {
            prop_assert_eq!(v.to_string(), s);
        }
    }

    #[test]
    fn parse_never_panics(s in ".*") {
        if let Ok(v) = DpkgVersion::parse(&s) {
            prop_assert_eq!(v.cmp(&v), Ordering::Equal);
            prop_assert_eq!(v.to_string(), s);
        }
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let s = String::from_utf8_lossy(&bytes);
        if let Ok(v) = DpkgVersion::parse(&s) {
            prop_assert_eq!(v.cmp(&v), Ordering::Equal);
        }
    }
}
