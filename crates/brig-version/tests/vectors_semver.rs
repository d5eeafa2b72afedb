//! Cargo / `semver` crate vectors (`cargo-semver.tsv`) and order properties of `SemVer`.

mod common;

use std::cmp::Ordering;

use brig_version::semver::SemVer;
use common::{Report, cases, ordering};
use proptest::prelude::*;

fn parse(s: &str) -> SemVer {
    SemVer::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn cargo_semver_vectors() {
    let mut report = Report::new("cargo-semver.tsv");
    let mut less_pairs = Vec::new();
    for case in cases("cargo-semver.tsv") {
        let want = ordering(case.get(1));
        match (SemVer::parse(case.get(0)), SemVer::parse(case.get(2))) {
            (Ok(a), Ok(b)) => {
                let got = a.cmp(&b);
                let reverse = b.cmp(&a);
                report.check(&case, got == want && reverse == want.reverse(), || {
                    format!("got {got:?}, reversed {reverse:?}")
                });
                if want == Ordering::Less {
                    less_pairs.push((case.get(0).to_owned(), case.get(2).to_owned()));
                }
            }
            (a, b) => report.check(&case, false, || format!("parse failed: {a:?} / {b:?}")),
        }
    }
    report.finish(22);
    // Ordered lists are given as adjacent pairs: every chained pair must hold too.
    for (a, b) in &less_pairs {
        for (c, d) in &less_pairs {
            if b == c {
                assert!(parse(a) < parse(d), "transitivity: {a} < {b} < {d}");
            }
        }
    }
}

#[test]
fn precedence_ignores_build_metadata() {
    assert_eq!(parse("1.2.3+23").cmp_precedence(&parse("1.2.3+42")), Ordering::Equal);
    assert_eq!(parse("1.2.3+23").cmp(&parse("1.2.3+42")), Ordering::Less);
    assert_eq!(parse("1.2.3-alpha+z").cmp_precedence(&parse("1.2.3-beta+a")), Ordering::Less);
}

fn identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("alpha".to_owned()),
        Just("beta".to_owned()),
        Just("rc".to_owned()),
        Just("x-y".to_owned()),
        Just("0a".to_owned()),
        (0u32..12).prop_map(|n| n.to_string()),
        Just("99999999999999999999".to_owned()),
    ]
}

fn build_identifier() -> impl Strategy<Value = String> {
    prop_oneof![identifier(), Just("00".to_owned()), Just("01".to_owned()), Just("090".to_owned())]
}

/// Realistic SemVer strings: few distinct numbers and identifiers, so many pairs are close.
fn version() -> impl Strategy<Value = String> {
    let number = prop_oneof![Just(0u64), Just(1), Just(2), Just(10), Just(u64::MAX)];
    (
        number.clone(),
        number.clone(),
        number,
        prop::option::of(prop::collection::vec(identifier(), 1..4)),
        prop::option::of(prop::collection::vec(build_identifier(), 1..3)),
    )
        .prop_map(|(major, minor, patch, pre, build)| {
            let mut s = format!("{major}.{minor}.{patch}");
            if let Some(pre) = pre {
                s.push('-');
                s.push_str(&pre.join("."));
            }
            if let Some(build) = build {
                s.push('+');
                s.push_str(&build.join("."));
            }
            s
        })
}

proptest! {
    #[test]
    fn order_is_total(a in version(), b in version(), c in version()) {
        let (a, b, c) = (parse(&a), parse(&b), parse(&c));
        prop_assert_eq!(a.cmp(&a), Ordering::Equal);
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        prop_assert_eq!(a.cmp_precedence(&b), b.cmp_precedence(&a).reverse());
        if a <= b && b <= c {
            prop_assert!(a <= c);
        }
        if a.cmp_precedence(&b) != Ordering::Greater && b.cmp_precedence(&c) != Ordering::Greater {
            prop_assert!(a.cmp_precedence(&c) != Ordering::Greater);
        }
        // The full order refines precedence.
        if a.cmp_precedence(&b) != Ordering::Equal {
            prop_assert_eq!(a.cmp(&b), a.cmp_precedence(&b));
        }
    }

    #[test]
    fn display_is_input(s in version()) {
        prop_assert_eq!(parse(&s).to_string(), s);
    }

    #[test]
    fn parse_never_panics(s in ".*") {
        let _ = SemVer::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..40)) {
        let _ = SemVer::parse(&String::from_utf8_lossy(&bytes));
    }
}
