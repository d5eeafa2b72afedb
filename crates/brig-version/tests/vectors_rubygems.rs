//! `rubygems.tsv`: `Gem::Version#<=>` vectors, plus order properties of `GemVersion`.

mod common;

use brig_version::rubygems::GemVersion;
use common::{Report, cases, ordering};
use proptest::prelude::*;

#[test]
fn rubygems_vectors() {
    let mut report = Report::new("rubygems.tsv");
    for case in cases("rubygems.tsv") {
        // The right side is a String, a Gem::Version or (once) the Integer 1; RubyGems turns
        // each into a version the same way, so all are parsed as strings here.
        let (left, right) = (GemVersion::parse(case.get(0)), GemVersion::parse(case.get(2)));
        let expected = ordering(case.get(1));
        let got = match (&left, &right) {
            (Ok(l), Ok(r)) => Some(l.cmp(r)),
            _ => None,
        };
        report.check(&case, got == Some(expected), || format!("got {got:?} ({left:?} vs {right:?})"));
    }
    report.finish(33);
}

/// Realistic RubyGems versions: numeric segments, prerelease words, `-` suffixes, zeros.
fn gem_version() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        4 => prop::sample::select(vec!["0", "1", "2", "00", "01", "10", "99999999999999999999"]).prop_map(str::to_owned),
        2 => prop::sample::select(vec!["a", "b", "pre", "rc", "beta", "alpha", "x", "A"]).prop_map(str::to_owned),
        1 => prop::sample::select(vec!["a1", "rc2", "1b", "0a"]).prop_map(str::to_owned),
    ];
    let head = prop::sample::select(vec!["0", "1", "2", "10"]);
    let tail = prop::option::of(prop::sample::select(vec!["-1", "-pre", "-rc.1", "-a-b", "-0"]));
    (head, prop::collection::vec(segment, 0..5), tail).prop_map(|(h, segs, t)| {
        let mut s = h.to_owned();
        for seg in segs {
            s.push('.');
            s.push_str(&seg);
        }
        s.push_str(t.unwrap_or(""));
        s
    })
}

proptest! {
    #[test]
    fn order_is_reflexive_and_antisymmetric(a in gem_version(), b in gem_version()) {
        let (a, b) = (GemVersion::parse(&a).unwrap(), GemVersion::parse(&b).unwrap());
        prop_assert_eq!(a.cmp(&a), std::cmp::Ordering::Equal);
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        prop_assert_eq!(a == b, a.cmp(&b) == std::cmp::Ordering::Equal);
    }

    #[test]
    fn order_is_transitive(a in gem_version(), b in gem_version(), c in gem_version()) {
        let v = [GemVersion::parse(&a).unwrap(), GemVersion::parse(&b).unwrap(), GemVersion::parse(&c).unwrap()];
        for (x, y, z) in [(0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)] {
            let (x, y, z) = (&v[x], &v[y], &v[z]);
            if x <= y && y <= z {
                prop_assert!(x <= z, "{x} <= {y} <= {z} but not {x} <= {z}");
            }
            if x == y && y == z {
                prop_assert!(x == z);
            }
        }
    }

    #[test]
    fn parse_never_panics(s in ".*") {
        let _ = GemVersion::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_bytes(b in prop::collection::vec(any::<u8>(), 0..40)) {
        let s = String::from_utf8_lossy(&b);
        if let Ok(v) = GemVersion::parse(&s) {
            let _ = (v.bump(), v.release(), v.approximate_recommendation());
        }
    }
}
