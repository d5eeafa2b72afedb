//! node-semver vectors (`semver-npm.tsv`, `semver-npm-ranges.tsv`) and properties.

mod common;

use std::cmp::Ordering;

use brig_version::npm::{self, NpmOptions, NpmRange, NpmVersion};
use common::{Report, cases, check_comparisons, check_total_order};
use proptest::prelude::*;

/// The options column, mapped the way node-semver's `parseOptions` reads the fixture's third
/// element: nothing → no options; a non-object truthy value (`true`) → `{ loose: true }`; any
/// object — a JSON object, or a RegExp such as `/asdf/` (an object without `loose` or
/// `includePrerelease` properties) — → its `loose` and `includePrerelease` by JavaScript
/// truthiness (`123`, `420` truthy; `0`, `null`, `false`, a missing key falsy).
fn options(field: &str) -> NpmOptions {
    match field {
        "" => NpmOptions::default(),
        "true" => NpmOptions::LOOSE,
        regex if regex.starts_with('/') && regex.ends_with('/') && regex.len() > 1 => NpmOptions::default(),
        object if object.starts_with('{') && object.ends_with('}') => {
            let body = &object[1..object.len() - 1];
            let mut opts = NpmOptions::default();
            for pair in body.split(',').filter(|p| !p.trim().is_empty()) {
                let (key, value) = pair.split_once(':').unwrap_or_else(|| panic!("bad options {field:?}"));
                let truthy = js_truthy(value.trim());
                match key.trim().trim_matches('"') {
                    "loose" => opts.loose = truthy,
                    "includePrerelease" => opts.include_prerelease = truthy,
                    other => panic!("unknown option {other:?} in {field:?}"),
                }
            }
            opts
        }
        other => panic!("unexpected options column {other:?}"),
    }
}

/// JavaScript truthiness of a JSON scalar.
fn js_truthy(json: &str) -> bool {
    match json {
        "true" => true,
        "false" | "null" | "\"\"" => false,
        number if number.parse::<f64>().is_ok() => number.parse::<f64>().is_ok_and(|n| n != 0.0 && !n.is_nan()),
        string if string.starts_with('"') => true,
        other => panic!("unexpected option value {other:?}"),
    }
}

#[test]
fn options_mapping() {
    assert_eq!(options("{\"loose\":123}"), NpmOptions::LOOSE);
    assert_eq!(options("{\"loose\":0}"), NpmOptions::default());
    assert_eq!(options("{\"loose\":null}"), NpmOptions::default());
    assert_eq!(options("/asdf/"), NpmOptions::default());
    assert_eq!(options("{}"), NpmOptions::default());
    assert_eq!(options("{\"includePrerelease\":true}"), NpmOptions { loose: false, include_prerelease: true });
}

#[test]
fn npm_comparison_vectors() {
    check_comparisons("semver-npm.tsv", 68, |s, o| NpmVersion::parse_with(s, options(o)), Ord::cmp);
}

#[test]
fn npm_range_vectors() {
    // `semver.satisfies(version, range, options)`: range-include rows expect true, range-exclude
    // rows false; an unparseable version or range does not satisfy (several exclude rows rely
    // on that: `not a version`, `glorp`).
    let mut report = Report::new("semver-npm-ranges.tsv");
    for case in cases("semver-npm-ranges.tsv") {
        let (version, range) = (case.get(0), case.get(1));
        let opts = options(case.get(3));
        let want = case.bool(2);
        let got = npm::satisfies(version, range, opts);
        report.check(&case, got == want, || {
            let desugared = NpmRange::parse(range, opts).map(|r| r.desugared());
            format!("got {got}, range {desugared:?}, version {:?}", NpmVersion::parse_with(version, opts).ok())
        });
        if want {
            // An included version implies both sides parse.
            assert!(NpmRange::parse(range, opts).is_ok(), "{range:?} should parse");
        }
    }
    report.finish(223);
}

#[test]
fn invalid_ranges_are_errors() {
    for bad in ["blerg", "git+https://user:password0123@github.com/foo", ">=1.2.3 <", "1.2.3 - ", "^^1", "~>>1"] {
        assert!(NpmRange::parse(bad, NpmOptions::default()).is_err(), "{bad:?}");
    }
    assert_eq!(NpmRange::parse("", NpmOptions::default()).map(|r| r.desugared()).ok().as_deref(), Some(""));
}

fn identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("alpha".to_owned()),
        Just("beta".to_owned()),
        Just("rc".to_owned()),
        Just("0".to_owned()),
        Just("r2".to_owned()),
        Just("R2".to_owned()),
        (0u32..12).prop_map(|n| n.to_string()),
    ]
}

/// Realistic npm versions, with the prefixes and spacing node-semver tolerates.
fn version() -> impl Strategy<Value = String> {
    let number = prop_oneof![Just(0u64), Just(1), Just(2), Just(10), Just(9007199254740991)];
    (
        prop_oneof![Just(""), Just(""), Just("v"), Just(" ")],
        (number.clone(), number.clone(), number),
        prop::option::of(prop::collection::vec(identifier(), 1..4)),
        prop::option::of(prop_oneof![Just("build"), Just("001.sha")]),
    )
        .prop_map(|(prefix, (major, minor, patch), pre, build)| {
            let mut s = format!("{prefix}{major}.{minor}.{patch}");
            if let Some(pre) = pre {
                s.push('-');
                s.push_str(&pre.join("."));
            }
            if let Some(build) = build {
                s.push('+');
                s.push_str(build);
            }
            s
        })
}

/// Ranges assembled from node-semver's forms.
fn range() -> impl Strategy<Value = String> {
    let partial = prop_oneof![
        Just("1"),
        Just("1.2"),
        Just("1.2.3"),
        Just("0.0.1"),
        Just("1.x"),
        Just("*"),
        Just("2.0.0-rc.1"),
        Just("0.2.3-beta")
    ];
    let op = prop_oneof![Just(""), Just("^"), Just("~"), Just(">="), Just("<"), Just("> "), Just("<="), Just("=")];
    let comparator = (op, partial.clone()).prop_map(|(o, p)| format!("{o}{p}"));
    let set = prop_oneof![
        prop::collection::vec(comparator, 1..3).prop_map(|c| c.join(" ")),
        (partial.clone(), partial).prop_map(|(a, b)| format!("{a} - {b}")),
    ];
    prop::collection::vec(set, 1..3).prop_map(|sets| sets.join(" || "))
}

fn opts() -> impl Strategy<Value = NpmOptions> {
    (any::<bool>(), any::<bool>()).prop_map(|(loose, include_prerelease)| NpmOptions { loose, include_prerelease })
}

proptest! {
    #[test]
    fn order_is_total(a in version(), b in version(), c in version()) {
        let parse = |s: &str| NpmVersion::parse(s).unwrap_or_else(|e| panic!("{e}"));
        let (a, b, c) = (parse(&a), parse(&b), parse(&c));
        check_total_order([&a, &b, &c], Ord::cmp)?;
        prop_assert_eq!(a == b, a.normalized() == b.normalized());
    }

    #[test]
    fn loose_agrees_with_strict(s in version()) {
        let strict = NpmVersion::parse(&s).unwrap_or_else(|e| panic!("{e}"));
        let loose = NpmVersion::parse_loose(&format!("= v{}", s.trim_start_matches(['v', ' '])))
            .unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(strict.cmp(&loose), Ordering::Equal);
        prop_assert_eq!(strict.to_string(), s);
    }

    #[test]
    fn exact_and_caret_ranges_contain_their_version(s in version()) {
        let v = NpmVersion::parse(&s).unwrap_or_else(|e| panic!("{e}"));
        let normalized = v.normalized();
        for form in [normalized.clone(), format!("^{normalized}"), format!("~{normalized}"), format!(">={normalized}")] {
            // `^9007199254740991.x` needs 2^53 as its upper bound, which node-semver rejects.
            if let Ok(r) = NpmRange::parse(&form, NpmOptions::default()) {
                prop_assert!(r.satisfies(&v), "{} should satisfy {}", s, form);
            } else {
                prop_assert!(s.contains("9007199254740991"), "{} should parse", form);
            }
        }
    }

    #[test]
    fn include_prerelease_only_widens(v in version(), r in range(), loose in any::<bool>()) {
        let plain = NpmOptions { loose, include_prerelease: false };
        let wide = NpmOptions { loose, include_prerelease: true };
        // A release version matches the same way with or without include_prerelease.
        let version = NpmVersion::parse_with(&v, plain).unwrap_or_else(|e| panic!("{e}"));
        if !version.is_prerelease() {
            prop_assert_eq!(npm::satisfies(&v, &r, plain), npm::satisfies(&v, &r, wide), "{} in {}", v, r);
        }
    }

    #[test]
    fn range_parse_never_panics(s in ".*", o in opts()) {
        if let Ok(r) = NpmRange::parse(&s, o) {
            let _ = r.desugared();
        }
        let _ = npm::satisfies("1.2.3-pre", &s, o);
    }

    #[test]
    fn range_parse_never_panics_on_grammar_soup(s in "[0-9xX*.<>=~^|+ -]{0,24}", o in opts()) {
        let _ = npm::satisfies("1.2.3", &s, o);
        let _ = npm::satisfies("1.2.3-0", &s, o);
    }

    #[test]
    fn version_parse_never_panics(s in ".*", o in opts()) {
        let _ = NpmVersion::parse_with(&s, o);
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..48), o in opts()) {
        let s = String::from_utf8_lossy(&bytes);
        let _ = NpmVersion::parse_with(&s, o);
        let _ = NpmRange::parse(&s, o);
    }
}
