//! `composer.tsv` (Comparator / Semver::sort) and `composer-constraints.tsv` (Semver::satisfies).

mod common;

use std::cmp::Ordering;

use brig_version::composer::{ComposerConstraint, ComposerVersion, compare_raw, version_compare};
use common::{Report, cases, check_total_order, ordering};
use proptest::prelude::*;

#[test]
fn composer_vectors() {
    let mut report = Report::new("composer.tsv");
    for case in cases("composer.tsv") {
        let (left, right, api) = (case.get(0), case.get(2), case.get(3));
        let expected = ordering(case.get(1));
        let got = match api {
            // `Comparator` compares the strings as given (no normalisation): `compare_raw`.
            "Comparator" => compare_raw(left, right),
            // `Semver::sort` normalises first and takes `dev-master` as the default branch:
            // `ComposerVersion::parse_default_branch` and its `Ord`.
            "Semver::sort" => {
                match (ComposerVersion::parse_default_branch(left), ComposerVersion::parse_default_branch(right)) {
                    (Ok(l), Ok(r)) => Some(l.cmp(&r)),
                    _ => None,
                }
            }
            other => panic!("unknown API {other:?} in composer.tsv"),
        };
        report.check(&case, got == Some(expected), || format!("got {got:?}"));
    }
    report.finish(19);
}

#[test]
fn composer_constraint_vectors() {
    let mut report = Report::new("composer-constraints.tsv");
    for case in cases("composer-constraints.tsv") {
        let expected = case.bool(2);
        let version = ComposerVersion::parse(case.get(0));
        let constraint = ComposerConstraint::parse(case.get(1));
        let got = match (&version, &constraint) {
            (Ok(v), Ok(c)) => Some(c.matches(v)),
            _ => None,
        };
        report.check(&case, got == Some(expected), || {
            let normalized = constraint.as_ref().map(ComposerConstraint::normalized);
            format!("got {got:?} ({version:?}, {normalized:?})")
        });
    }
    report.finish(137);
}

/// Realistic Composer versions: releases with stability suffixes, dev versions, numbered and
/// named branches, dates, and spellings that normalise alike.
fn composer_version() -> impl Strategy<Value = String> {
    // A major of more than five digits is no classical version; later numbers may be huge.
    let major = prop::sample::select(vec!["0", "1", "2", "01", "10", "12345"]);
    let number = prop::sample::select(vec!["0", "1", "2", "01", "10", "99999999999999999999"]);
    let release = (prop::option::of("[vV]"), major, prop::collection::vec(number, 0..=3)).prop_map(|(v, major, n)| {
        let rest: String = n.iter().map(|n| format!(".{n}")).collect();
        format!("{}{major}{rest}", v.unwrap_or_default())
    });
    let sep = prop::sample::select(vec!["", "-", ".", "_"]);
    let stability =
        prop::sample::select(vec!["alpha", "a", "beta", "b", "RC", "rc", "patch", "pl", "p", "stable", "Stable"]);
    let suffix =
        prop::option::of((sep, stability, prop::option::of(prop::sample::select(vec!["1", "2", ".1", "-2", "10"]))));
    let dev = prop::sample::select(vec!["", "", "-dev", ".dev"]);
    let tagged = (release, suffix, dev).prop_map(|(r, s, d)| {
        let s = s.map(|(sep, word, n)| format!("{sep}{word}{}", n.unwrap_or_default())).unwrap_or_default();
        format!("{r}{s}{d}")
    });
    let other = prop::sample::select(vec![
        "dev-master",
        "dev-main",
        "dev-foo",
        "master",
        "1.x-dev",
        "1.0.x-dev",
        "2.*-dev",
        "2010-01-02",
        "20100102",
        "2010.01.02.5-beta",
    ])
    .prop_map(str::to_owned);
    prop_oneof![6 => tagged, 1 => other]
}

fn parse_any(s: &str, default_branch: bool) -> ComposerVersion {
    let parsed = if default_branch { ComposerVersion::parse_default_branch(s) } else { ComposerVersion::parse(s) };
    parsed.unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #[test]
    fn order_is_total(a in composer_version(), b in composer_version(), c in composer_version(), d in any::<bool>()) {
        let (a, b, c) = (parse_any(&a, d), parse_any(&b, d), parse_any(&c, d));
        check_total_order([&a, &b, &c], Ord::cmp)?;
        prop_assert_eq!(a == b, a.cmp(&b) == Ordering::Equal);
        prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
    }

    #[test]
    fn order_agrees_with_version_compare_on_releases(a in composer_version(), b in composer_version()) {
        let (a, b) = (parse_any(&a, false), parse_any(&b, false));
        if !a.is_branch() && !b.is_branch() {
            prop_assert_eq!(a.cmp(&b), version_compare(a.normalized(), b.normalized()));
        }
    }

    #[test]
    fn parse_never_panics(s in ".*") {
        let _ = ComposerVersion::parse(&s);
        let _ = ComposerVersion::parse_default_branch(&s);
        let _ = version_compare(&s, "1.0");
        if let Ok(c) = ComposerConstraint::parse(&s) {
            let _ = c.matches(&parse_any("1.0", false));
        }
    }

    #[test]
    fn parse_never_panics_on_bytes(b in prop::collection::vec(any::<u8>(), 0..40), c in prop::collection::vec(any::<u8>(), 0..40)) {
        let (s, t) = (String::from_utf8_lossy(&b), String::from_utf8_lossy(&c));
        let _ = ComposerVersion::parse(&s);
        let _ = (version_compare(&s, &t), compare_raw(&s, &t));
        if let (Ok(c), Ok(v)) = (ComposerConstraint::parse(&s), ComposerVersion::parse(&t)) {
            let _ = c.matches(&v);
        }
    }

    #[test]
    fn constraint_parse_never_panics_on_realistic_input(
        parts in prop::collection::vec((
            prop::sample::select(vec!["", "^", "~", ">=", "<", "!=", "<>", "==", "=", "> ", "<= "]),
            composer_version(),
            prop::sample::select(vec!["", "@dev", "@beta", "#abc", ".*", ".x"]),
        ), 1..4),
        joins in prop::collection::vec(prop::sample::select(vec![" ", ",", ", ", " || ", "|", " - "]), 3),
        v in composer_version(),
    ) {
        let mut text = String::new();
        for (i, (op, ver, tail)) in parts.iter().enumerate() {
            if i > 0 {
                text.push_str(joins[i - 1]);
            }
            text.push_str(&format!("{op}{ver}{tail}"));
        }
        if let Ok(c) = ComposerConstraint::parse(&text) {
            let _ = c.matches(&parse_any(&v, false));
        }
    }
}
