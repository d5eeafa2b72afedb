//! Cargo / `semver` crate vectors (`cargo-semver.tsv`) and order properties of `SemVer`.

mod common;

use std::cmp::Ordering;

use brig_version::semver::SemVer;
use common::{check_chains, check_comparisons, check_total_order};
use proptest::prelude::*;

/// Ordered pairs implied by `cargo-semver.tsv`'s chains of adjacent pairs (see `check_chains`).
const CHAIN_PAIRS: usize = 52;

fn parse(s: &str) -> SemVer {
    SemVer::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn cargo_semver_vectors() {
    check_comparisons("cargo-semver.tsv", 22, |s, _| SemVer::parse(s), Ord::cmp);
}

/// `test_spec_order` is given as adjacent pairs: every pair of the list must hold too.
#[test]
fn cargo_semver_chains() {
    let pairs = check_chains("cargo-semver.tsv", |s, _| SemVer::parse(s), Ord::cmp);
    assert_eq!(pairs, CHAIN_PAIRS);
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
        check_total_order([&a, &b, &c], Ord::cmp)?;
        check_total_order([&a, &b, &c], SemVer::cmp_precedence)?;
        prop_assert_eq!(a == b, a.cmp(&b) == Ordering::Equal);
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
