mod common;

use std::cmp::Ordering;

use brig_version::apk::{self, ApkVersion, FuzzyOp};
use common::{Report, cases, check_total_order, ordering};
use proptest::prelude::*;

#[test]
fn apk_comparison_vectors() {
    let mut report = Report::new("apk.tsv");
    let mut through_strings = 0;
    for case in cases("apk.tsv") {
        let (left, right) = (case.get(0), case.get(2));
        let want = ordering(case.get(1));
        let (forward, backward) = match (ApkVersion::parse(left), ApkVersion::parse(right)) {
            (Ok(a), Ok(b)) => (a.cmp(&b), b.cmp(&a)),
            // apk v3 refuses these as versions; its library compare still orders the strings.
            _ => {
                through_strings += 1;
                (apk::compare_str(left, right), apk::compare_str(right, left))
            }
        };
        let ok = forward == want && backward == want.reverse();
        report.check(&case, ok, || format!("got {forward:?}, reversed {backward:?}"));
    }
    report.finish(738);
    // The corpus README: 2 comparisons involve versions apk v3 deems invalid.
    assert_eq!(through_strings, 2, "comparisons that needed compare_str");
}

#[test]
fn apk_fuzzy_vectors() {
    let mut report = Report::new("apk-fuzzy.tsv");
    for case in cases("apk-fuzzy.tsv") {
        let (version, op, reference) = (case.get(0), case.get(1), case.get(2));
        let want = case.bool(3);
        let got = FuzzyOp::from_symbol(op).map(|op| apk::fuzzy_matches(version, op, reference));
        report.check(&case, got == Some(want), || format!("got {got:?}"));
    }
    report.finish(16);
}

#[test]
fn apk_validity_vectors() {
    let mut report = Report::new("apk-validity.tsv");
    for case in cases("apk-validity.tsv") {
        let version = case.get(0);
        let want = case.bool(1);
        let valid = apk::is_valid(version);
        let parsed = ApkVersion::parse(version).is_ok();
        report.check(&case, valid == want && parsed == want, || format!("is_valid {valid}, parse ok {parsed}"));
    }
    report.finish(31);
}

/// Valid versions built from the format's parts, drawn from small sets so that generated
/// versions often share prefixes and differ in a single token.
fn version_text() -> impl Strategy<Value = String> {
    let number = || prop::sample::select(vec!["0", "1", "2", "10", "01", "001", "00", "99999999999999999999"]);
    let numbers = prop::collection::vec(number(), 1..4);
    let letter = prop::sample::select(vec!["", "", "a", "b", "z"]);
    let suffix_name = prop::sample::select(vec!["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"]);
    let suffix_number = prop::sample::select(vec!["", "0", "1", "2", "10", "01"]);
    let suffixes = prop::collection::vec((suffix_name, suffix_number), 0..3);
    let hash = prop::sample::select(vec!["", "", "~12", "~1234", "~abcd", "~0"]);
    let revision = prop::sample::select(vec!["", "", "-r0", "-r1", "-r10", "-r01"]);
    (numbers, letter, suffixes, hash, revision).prop_map(|(numbers, letter, suffixes, hash, revision)| {
        let mut s = numbers.join(".");
        s.push_str(letter);
        for (name, number) in suffixes {
            s.push('_');
            s.push_str(name);
            s.push_str(number);
        }
        s.push_str(hash);
        s.push_str(revision);
        s
    })
}

/// Strings near the format, valid or not, for the string comparison.
fn near_version_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "0", "1", "10", "01", ".", "a", "b", "_", "rc", "p", "foo", "~", "ab", "-", "r", "-r1", "_pre", "_p1", "x",
    ]);
    prop::collection::vec(piece, 0..7).prop_map(|pieces| pieces.concat())
}

fn version() -> impl Strategy<Value = ApkVersion> {
    version_text().prop_filter_map("invalid apk version", |s| ApkVersion::parse(&s).ok())
}

proptest! {
    #[test]
    fn generated_versions_are_valid(s in version_text()) {
        prop_assert!(apk::is_valid(&s), "{:?}", s);
        prop_assert_eq!(ApkVersion::parse(&s).map(|v| v.to_string()), Ok(s));
    }

    #[test]
    fn order_is_total(a in version(), b in version(), c in version()) {
        check_total_order([&a, &b, &c], Ord::cmp)?;
    }

    #[test]
    fn equality_agrees_with_cmp(a in version(), b in version()) {
        prop_assert_eq!(a == b, a.cmp(&b) == Ordering::Equal);
        prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
    }

    #[test]
    fn string_order_is_total(a in near_version_text(), b in near_version_text(), c in near_version_text()) {
        check_total_order([&a, &b, &c], |x, y| apk::compare_str(x, y))?;
    }

    #[test]
    fn fuzzy_match_is_a_prefix_match(a in version(), b in version()) {
        // Every version fuzzy-matches itself and each of its token prefixes ending at a number.
        prop_assert!(a.fuzzy_matches(FuzzyOp::Fuzzy, &a));
        let numeric_prefix: String = a.as_str().chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let numeric_prefix = numeric_prefix.trim_end_matches('.');
        prop_assert!(apk::fuzzy_matches(a.as_str(), FuzzyOp::Fuzzy, numeric_prefix));
        // `<~` and `>~` are `<` / `>` widened by `~`.
        let fuzzy = a.fuzzy_matches(FuzzyOp::Fuzzy, &b);
        prop_assert_eq!(a.fuzzy_matches(FuzzyOp::LessOrFuzzy, &b), fuzzy || a < b);
        prop_assert_eq!(a.fuzzy_matches(FuzzyOp::GreaterOrFuzzy, &b), fuzzy || a > b);
    }

    #[test]
    fn parse_never_panics(s in ".*") {
        if let Ok(v) = ApkVersion::parse(&s) {
            prop_assert_eq!(v.cmp(&v), Ordering::Equal);
            prop_assert_eq!(v.to_string(), s.clone());
        }
        let _ = apk::compare_str(&s, "1.0");
        let _ = apk::compare_fuzzy(&s, &s);
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let s = String::from_utf8_lossy(&bytes);
        if let Ok(v) = ApkVersion::parse(&s) {
            prop_assert_eq!(v.to_string(), s.clone());
        }
        prop_assert_eq!(apk::compare_str(&s, &s), Ordering::Equal);
    }
}
