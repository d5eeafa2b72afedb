//! NuGet vectors (`nuget.tsv`, `nuget-ranges.tsv`) and order properties of `NuGetVersion` / `NuGetRange`.

mod common;

use std::cmp::Ordering;

use brig_version::nuget::{NuGetRange, NuGetVersion};
use common::{Report, cases, check_comparisons, check_total_order};
use proptest::prelude::*;

/// Case counts of the two files in the corpus README.
const NUGET_CASES: usize = 18;
const NUGET_RANGE_CASES: usize = 37;

#[test]
fn nuget_vectors() {
    check_comparisons("nuget.tsv", NUGET_CASES, |s, _| NuGetVersion::parse(s), Ord::cmp);
}

#[test]
fn nuget_range_vectors() {
    let mut report = Report::new("nuget-ranges.tsv");
    for case in cases("nuget-ranges.tsv") {
        let expected = case.bool(2);
        let (ok, detail) = match (NuGetVersion::parse(case.get(0)), NuGetRange::parse(case.get(1))) {
            (Ok(version), Ok(range)) => {
                let got = range.satisfies(&version);
                (got == expected, format!("satisfies returned {got}"))
            }
            (version, range) => (false, format!("parse failed: {:?} / {:?}", version.err(), range.err())),
        };
        report.check(&case, ok, || detail);
    }
    report.finish(NUGET_RANGE_CASES);
}

/// Realistic NuGet versions from a small vocabulary, so that generated versions often tie on a prefix.
fn nuget_version() -> impl Strategy<Value = String> {
    let number = prop::sample::select(vec!["0", "1", "2", "10", "01"]);
    let label = prop::sample::select(vec![
        "alpha",
        "Alpha",
        "beta",
        "rc",
        "RC",
        "1",
        "2",
        "10",
        "01",
        "-",
        "a-b",
        "99999999999",
        "-1",
        "preview",
    ]);
    let metadata = prop::sample::select(vec!["", "+build", "+A.1", "+sha-123"]);
    (prop::collection::vec(number, 1..=4), prop::collection::vec(label, 0..4), metadata).prop_map(
        |(numbers, labels, metadata)| {
            let mut s = numbers.join(".");
            if !labels.is_empty() {
                s.push('-');
                s.push_str(&labels.join("."));
            }
            s.push_str(metadata);
            s
        },
    )
}

fn parsed(s: &str) -> NuGetVersion {
    match NuGetVersion::parse(s) {
        Ok(v) => v,
        Err(e) => panic!("generated version rejected: {e}"),
    }
}

proptest! {
    #[test]
    fn order_is_total(a in nuget_version(), b in nuget_version(), c in nuget_version()) {
        let (x, y, z) = (parsed(&a), parsed(&b), parsed(&c));
        check_total_order([&x, &y, &z], Ord::cmp)?;
        prop_assert_eq!(x.cmp(&parsed(&a)), Ordering::Equal);
        prop_assert_eq!(x == y, x.cmp(&y) == Ordering::Equal);
    }

    #[test]
    fn range_agrees_with_order(
        low in nuget_version(),
        high in nuget_version(),
        candidate in nuget_version(),
        low_inclusive in any::<bool>(),
        high_inclusive in any::<bool>(),
    ) {
        let (l, h, c) = (parsed(&low), parsed(&high), parsed(&candidate));
        let text = format!("{}{low},{high}{}", if low_inclusive { '[' } else { '(' }, if high_inclusive { ']' } else { ')' });
        match NuGetRange::parse(&text) {
            Ok(range) => {
                let above = if low_inclusive { c >= l } else { c > l };
                let below = if high_inclusive { c <= h } else { c < h };
                prop_assert_eq!(range.satisfies(&c), above && below, "{} in {}", candidate, text);
            }
            Err(_) => prop_assert!(l > h || (l == h && low_inclusive != high_inclusive), "{} rejected", text),
        }
    }

    #[test]
    fn parse_never_panics(s in ".*") {
        let _ = NuGetVersion::parse(&s);
        let _ = NuGetRange::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let s = String::from_utf8_lossy(&bytes);
        if let Ok(v) = NuGetVersion::parse(&s) {
            prop_assert_eq!(v.cmp(&v), Ordering::Equal);
        }
        if let Ok(r) = NuGetRange::parse(&s) {
            let _ = r.satisfies(&parsed("1.0.0"));
        }
    }

    #[test]
    fn bracketed_noise_never_panics(s in "[\\[\\(]?[0-9 .,\\-+a-z*]{0,12}[\\]\\)]?") {
        if let Ok(r) = NuGetRange::parse(&s) {
            let _ = r.satisfies(&parsed("1.0.0"));
        }
    }
}
