//! `rubygems.tsv`: `Gem::Version#<=>` vectors, plus order properties of `GemVersion`.

mod common;

use brig_version::rubygems::GemVersion;
use common::{check_comparisons, check_total_order};
use proptest::prelude::*;

#[test]
fn rubygems_vectors() {
    // The right side is a String, a Gem::Version or (once) the Integer 1; RubyGems turns each
    // into a version the same way, so all are parsed as strings here.
    check_comparisons("rubygems.tsv", 33, |s, _| GemVersion::parse(s), Ord::cmp);
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
    fn order_is_total(a in gem_version(), b in gem_version(), c in gem_version()) {
        let parse = |s: &str| GemVersion::parse(s).unwrap_or_else(|e| panic!("{e}"));
        let (a, b, c) = (parse(&a), parse(&b), parse(&c));
        check_total_order([&a, &b, &c], Ord::cmp)?;
        prop_assert_eq!(a == b, a.cmp(&b) == std::cmp::Ordering::Equal);
        prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
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
