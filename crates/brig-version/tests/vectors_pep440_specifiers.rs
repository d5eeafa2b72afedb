//! `pep440-specifiers.tsv`: packaging's `Specifier(spec, prereleases=True).contains(version)` cases.

mod common;

use brig_version::pep440::{Pep440Operator, Pep440Specifier, Pep440SpecifierSet, Pep440Version};
use common::{Report, cases};
use proptest::prelude::*;

const FILE: &str = "pep440-specifiers.tsv";
const CASES: usize = 199;

fn prereleases_option(options: &str) -> Option<bool> {
    match options {
        "prereleases=True" => Some(true),
        "prereleases=False" => Some(false),
        _ => None,
    }
}

#[test]
fn pep440_specifier_vectors() {
    let mut report = Report::new(FILE);
    for case in cases(FILE) {
        let (version, spec, expected, options) = (case.get(0), case.get(1), case.get(2), case.get(3));
        let (Some(prereleases), Some(expected)) = (prereleases_option(options), expected.parse::<bool>().ok()) else {
            report.check(&case, false, || "unreadable expectation or options".to_owned());
            continue;
        };
        let (specifier, set) = match (Pep440Specifier::parse(spec), Pep440SpecifierSet::parse(spec)) {
            (Ok(specifier), Ok(set)) => (specifier, set),
            (a, b) => {
                report.check(&case, false, || format!("specifier did not parse: {a:?} / {b:?}"));
                continue;
            }
        };
        let got = specifier.contains_str(version, prereleases);
        let via_set = set.contains_str(version, prereleases);
        // A parsed version must give the same answer, except for `===` (which compares the
        // normalised form of a parsed version but the raw text of a string).
        let via_version = match Pep440Version::parse(version) {
            Ok(v) if specifier.operator() != Pep440Operator::ArbitraryEqual => {
                Some((specifier.contains(&v, prereleases), set.contains(&v, prereleases)))
            }
            _ => None,
        };
        let ok =
            got == expected && via_set == expected && via_version.is_none_or(|(a, b)| a == expected && b == expected);
        report.check(&case, ok, || format!("contains_str {got}, set {via_set}, parsed {via_version:?}"));
    }
    report.finish(CASES);
}

fn version_strategy() -> impl Strategy<Value = String> {
    (
        prop_oneof![4 => Just(""), 1 => Just("1!")],
        prop::collection::vec("[0-3]", 1..4),
        prop_oneof![2 => Just(""), 1 => Just("a1"), 1 => Just("rc2"), 1 => Just("b0")],
        prop_oneof![2 => Just(""), 1 => Just(".post0"), 1 => Just(".post1")],
        prop_oneof![2 => Just(""), 1 => Just(".dev0"), 1 => Just(".dev1")],
        prop_oneof![3 => Just(""), 1 => Just("+local"), 1 => Just("+1.a")],
    )
        .prop_map(|(epoch, release, pre, post, dev, local)| {
            format!("{epoch}{}{pre}{post}{dev}{local}", release.join("."))
        })
}

fn public_strategy() -> impl Strategy<Value = String> {
    version_strategy().prop_map(|v| v.split('+').next().unwrap_or_default().to_owned())
}

fn parse(s: &str) -> Pep440Version {
    match Pep440Version::parse(s) {
        Ok(v) => v,
        Err(e) => panic!("generated version should parse: {e}"),
    }
}

fn specifier(s: &str) -> Pep440Specifier {
    match Pep440Specifier::parse(s) {
        Ok(spec) => spec,
        Err(e) => panic!("generated specifier should parse: {e}"),
    }
}

proptest! {
    /// `!=` is the negation of `==`, exact or prefix.
    #[test]
    fn not_equal_negates_equal(v in version_strategy(), target in version_strategy(), prefix in any::<bool>()) {
        let v = parse(&v);
        let target = if prefix { format!("{}.*", target.split(['a', 'b', 'r', '.', '+']).next().unwrap_or("0")) } else { target };
        let eq = specifier(&format!("=={target}"));
        let ne = specifier(&format!("!={target}"));
        prop_assert_ne!(eq.contains(&v, true), ne.contains(&v, true));
    }

    /// Ordered comparisons agree with version order, up to the documented exclusions.
    #[test]
    fn ordered_comparisons_agree_with_order(v in version_strategy(), target in public_strategy()) {
        let version = parse(&v);
        let spec_version = parse(&target);
        let public = version.public();
        prop_assert_eq!(specifier(&format!(">={target}")).contains(&version, true), public >= spec_version);
        prop_assert_eq!(specifier(&format!("<={target}")).contains(&version, true), public <= spec_version);
        if specifier(&format!("<{target}")).contains(&version, true) {
            prop_assert!(version < spec_version);
        }
        if specifier(&format!(">{target}")).contains(&version, true) {
            prop_assert!(public > spec_version);
        }
        // `prereleases = false` only ever removes matches.
        for op in ["<", ">", "<=", ">=", "==", "!="] {
            let spec = specifier(&format!("{op}{target}"));
            if spec.contains(&version, false) {
                prop_assert!(spec.contains(&version, true) && !version.is_prerelease());
            }
        }
    }

    #[test]
    fn specifier_parse_never_panics(s in ".*", v in ".*") {
        if let Ok(spec) = Pep440Specifier::parse(&s) {
            let _ = spec.contains_str(&v, true);
            let _ = spec.contains_str(&v, false);
        }
        if let Ok(set) = Pep440SpecifierSet::parse(&s) {
            let _ = set.contains_str(&v, true);
        }
    }

    #[test]
    fn specifier_parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64), op in "(~=|==|!=|<=|>=|<|>|===)") {
        let s = format!("{op}{}", String::from_utf8_lossy(&bytes));
        let _ = Pep440Specifier::parse(&s);
        let _ = Pep440SpecifierSet::parse(&s);
    }
}
