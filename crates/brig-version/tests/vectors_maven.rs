//! Maven `ComparableVersion` vectors (`maven.tsv`) and order properties of `MavenVersion`.

mod common;

use std::cmp::Ordering;

use brig_version::maven::MavenVersion;
use common::{check_chains, check_comparisons, check_total_order};
use proptest::prelude::*;

/// Case count of `maven.tsv` in the corpus README.
const MAVEN_CASES: usize = 208;
/// Ordered pairs implied by `maven.tsv`'s chains of adjacent pairs (see `check_chains`).
const MAVEN_CHAIN_PAIRS: usize = 3673;

#[test]
fn maven_vectors() {
    check_comparisons("maven.tsv", MAVEN_CASES, |s, _| MavenVersion::parse(s), Ord::cmp);
}

/// `checkVersionsOrder` and `checkVersionsArrayEqual` check every pair of their lists, given
/// here as adjacent pairs.
#[test]
fn maven_chains() {
    let pairs = check_chains("maven.tsv", |s, _| MavenVersion::parse(s), Ord::cmp);
    assert_eq!(pairs, MAVEN_CHAIN_PAIRS);
}

/// Realistic Maven versions from a small vocabulary, so that generated versions often share prefixes
/// and exercise qualifiers, zeros, release qualifiers and nesting.
fn maven_version() -> impl Strategy<Value = String> {
    let atom = prop::sample::select(vec![
        "0",
        "1",
        "2",
        "10",
        "007",
        "99999999999999999999",
        "a",
        "b",
        "m",
        "alpha",
        "Beta",
        "milestone",
        "rc",
        "CR",
        "SNAPSHOT",
        "ga",
        "Final",
        "release",
        "sp",
        "SP",
        "redhat",
        "x",
        "abc",
        "é",
        "",
    ]);
    let separator = prop::sample::select(vec![".", "-", ""]);
    (atom.clone(), prop::collection::vec((separator, atom), 0..6)).prop_map(|(first, rest)| {
        let mut s = String::from(first);
        for (sep, atom) in rest {
            s.push_str(sep);
            s.push_str(atom);
        }
        if s.is_empty() { "0".to_owned() } else { s }
    })
}

fn parsed(s: &str) -> MavenVersion {
    match MavenVersion::parse(s) {
        Ok(v) => v,
        Err(e) => panic!("generated version rejected: {e}"),
    }
}

proptest! {
    #[test]
    fn order_is_total(a in maven_version(), b in maven_version(), c in maven_version()) {
        let (x, y, z) = (parsed(&a), parsed(&b), parsed(&c));
        check_total_order([&x, &y, &z], Ord::cmp)?;
        prop_assert_eq!(x.cmp(&parsed(&a)), Ordering::Equal);
        prop_assert_eq!(x == y, x.cmp(&y) == Ordering::Equal);
    }

    #[test]
    fn parse_never_panics(s in ".*") {
        let _ = MavenVersion::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let s = String::from_utf8_lossy(&bytes);
        if let Ok(v) = MavenVersion::parse(&s) {
            prop_assert_eq!(v.cmp(&v), Ordering::Equal);
        }
    }
}
