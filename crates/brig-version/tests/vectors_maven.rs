//! Maven `ComparableVersion` vectors (`maven.tsv`) and order properties of `MavenVersion`.

mod common;

use std::cmp::Ordering;

use brig_version::maven::MavenVersion;
use common::{Report, cases, ordering};
use proptest::prelude::*;

/// Case count of `maven.tsv` in the corpus README.
const MAVEN_CASES: usize = 208;

#[test]
fn maven_vectors() {
    let mut report = Report::new("maven.tsv");
    for case in cases("maven.tsv") {
        let expected = ordering(case.get(1));
        let parsed = (MavenVersion::parse(case.get(0)), MavenVersion::parse(case.get(2)));
        let (ok, detail) = match &parsed {
            (Ok(a), Ok(b)) => {
                let (forward, backward) = (a.cmp(b), b.cmp(a));
                (
                    forward == expected && backward == expected.reverse(),
                    format!("got {forward:?} / reversed {backward:?}"),
                )
            }
            (a, b) => (false, format!("parse failed: {:?} / {:?}", a.as_ref().err(), b.as_ref().err())),
        };
        report.check(&case, ok, || detail);
    }
    report.finish(MAVEN_CASES);
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
    fn reflexive(a in maven_version()) {
        let v = parsed(&a);
        prop_assert_eq!(v.cmp(&v), Ordering::Equal);
        prop_assert_eq!(v.cmp(&parsed(&a)), Ordering::Equal);
    }

    #[test]
    fn antisymmetric(a in maven_version(), b in maven_version()) {
        let (x, y) = (parsed(&a), parsed(&b));
        prop_assert_eq!(x.cmp(&y), y.cmp(&x).reverse());
        prop_assert_eq!(x == y, x.cmp(&y) == Ordering::Equal);
    }

    #[test]
    fn transitive(a in maven_version(), b in maven_version(), c in maven_version()) {
        let mut v = [parsed(&a), parsed(&b), parsed(&c)];
        v.sort();
        prop_assert!(v[0] <= v[1] && v[1] <= v[2] && v[0] <= v[2], "{} {} {}", v[0], v[1], v[2]);
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
