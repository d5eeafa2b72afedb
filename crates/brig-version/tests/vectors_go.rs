//! Go module version vectors (`go.tsv`, `go-canonical.tsv`) and order properties.

mod common;

use std::cmp::Ordering;

use brig_version::go::{self, GoVersion};
use common::{Report, cases, check_total_order, ordering};
use proptest::prelude::*;

#[test]
fn go_compare_vectors() {
    // Every pair of golang/mod's `tests` list; invalid strings compare equal to each other and
    // below every valid version, which `compare_str` implements (not `GoVersion`, which only
    // holds valid versions).
    let mut report = Report::new("go.tsv");
    for case in cases("go.tsv") {
        let (a, b) = (case.get(0), case.get(2));
        let want = ordering(case.get(1));
        let got = go::compare_str(a, b);
        let reverse = go::compare_str(b, a);
        report.check(&case, got == want && reverse == want.reverse(), || format!("got {got:?}, reversed {reverse:?}"));
    }
    report.finish(496);
}

#[test]
fn go_canonical_vectors() {
    let mut report = Report::new("go-canonical.tsv");
    for case in cases("go-canonical.tsv") {
        let v = case.get(0);
        let valid = case.bool(1);
        let want = valid.then(|| case.get(2).to_owned());
        let got = go::canonical(v);
        let parsed = GoVersion::parse(v);
        let ok = go::is_valid(v) == valid && got == want && parsed.is_ok() == valid;
        report.check(&case, ok, || format!("is_valid {}, canonical {got:?}", go::is_valid(v)));
    }
    report.finish(32);
}

#[test]
fn lenient_adds_the_v() {
    let v = GoVersion::parse_lenient("1.2.3-0.20191109021931-daa7c04131f5").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.to_string(), "1.2.3-0.20191109021931-daa7c04131f5");
    assert_eq!(v.canonical(), "v1.2.3-0.20191109021931-daa7c04131f5");
    let strict = GoVersion::parse("v1.2.3-0.20191109021931-daa7c04131f5").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.cmp(&strict), Ordering::Equal);
    assert!(GoVersion::parse_lenient("1.2.3").is_ok());
    assert!(GoVersion::parse_lenient("01.2.3").is_err());
}

#[test]
fn pseudo_versions() {
    // Forms from the Go modules reference.
    assert!(go::is_pseudo_version("v0.0.0-20191109021931-daa7c04131f5"));
    assert_eq!(go::pseudo_base("v0.0.0-20191109021931-daa7c04131f5"), None);
    assert_eq!(go::pseudo_base("v1.2.3-pre.0.20191109021931-daa7c04131f5").as_deref(), Some("v1.2.3-pre"));
    assert_eq!(go::pseudo_base("v1.2.4-0.20191109021931-daa7c04131f5").as_deref(), Some("v1.2.3"));
    assert_eq!(
        go::pseudo_base("v2.0.1-0.20191109021931-daa7c04131f5+incompatible").as_deref(),
        Some("v2.0.0+incompatible")
    );
    assert!(!go::is_pseudo_version("v1.2.3"));
    assert!(!go::is_pseudo_version("v1.2.3-20191109021931-daa7c04131f5"));
    // A pseudo-version sorts after its base and before the next release.
    assert_eq!(go::compare_str("v1.2.3", "v1.2.4-0.20191109021931-daa7c04131f5"), Ordering::Less);
    assert_eq!(go::compare_str("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"), Ordering::Less);
}

fn identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("alpha".to_owned()),
        Just("beta".to_owned()),
        Just("pre".to_owned()),
        Just("0".to_owned()),
        Just("20191109021931-daa7c04131f5".to_owned()),
        (0u32..12).prop_map(|n| n.to_string()),
        Just("99999999999999999999".to_owned()),
    ]
}

/// Realistic Go versions, short forms, pseudo-versions and `+incompatible` included.
fn version() -> impl Strategy<Value = String> {
    let number = prop_oneof![Just("0"), Just("1"), Just("2"), Just("10"), Just("123456789012345678901234567890")];
    (
        prop::collection::vec(number, 1..4),
        prop::option::of(prop::collection::vec(identifier(), 1..4)),
        prop::option::of(prop_oneof![Just("incompatible"), Just("meta.01")]),
    )
        .prop_map(|(numbers, pre, build)| {
            let mut s = format!("v{}", numbers.join("."));
            if numbers.len() == 3 {
                if let Some(pre) = pre {
                    s.push('-');
                    s.push_str(&pre.join("."));
                }
                if let Some(build) = build {
                    s.push('+');
                    s.push_str(build);
                }
            }
            s
        })
}

/// Valid versions mixed with invalid strings, for `compare_str`.
fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![4 => version(), 1 => "[v0-9.+a-]{0,8}"]
}

proptest! {
    #[test]
    fn order_is_total(a in version(), b in version(), c in version()) {
        let parse = |s: &str| GoVersion::parse(s).unwrap_or_else(|e| panic!("{e}"));
        let (a, b, c) = (parse(&a), parse(&b), parse(&c));
        check_total_order([&a, &b, &c], Ord::cmp)?;
        prop_assert_eq!(a == b, a.canonical() == b.canonical());
    }

    #[test]
    fn compare_str_is_total(a in any_string(), b in any_string(), c in any_string()) {
        check_total_order([&a, &b, &c], |x, y| go::compare_str(x, y))?;
    }

    #[test]
    fn display_is_input(s in version()) {
        let v = GoVersion::parse(&s).unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(v.to_string(), s);
    }

    #[test]
    fn never_panics(s in ".*") {
        let _ = GoVersion::parse(&s);
        let _ = GoVersion::parse_lenient(&s);
        let _ = go::canonical(&s);
        let _ = go::is_pseudo_version(&s);
        let _ = go::pseudo_base(&s);
    }

    #[test]
    fn never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..48)) {
        let s = String::from_utf8_lossy(&bytes);
        let _ = GoVersion::parse(&s);
        let _ = GoVersion::parse_lenient(&s);
        let _ = go::pseudo_base(&s);
    }

    #[test]
    fn pseudo_helpers_never_panic_on_near_pseudo(
        numbers in "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
        pre in "(|pre\\.|0\\.|pre\\.0\\.)",
        ts in "[0-9]{13,15}",
        rev in "[a-z0-9.-]{0,13}",
        build in "(|\\+incompatible)",
    ) {
        let v = format!("v{numbers}-{pre}{ts}-{rev}{build}");
        if go::is_pseudo_version(&v) {
            prop_assert!(go::is_valid(&v));
        }
        let _ = go::pseudo_base(&v);
    }
}
