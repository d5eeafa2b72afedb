mod common;

use std::cmp::Ordering;

use brig_version::rpm::{RpmVersion, rpmvercmp};
use common::{Report, cases, check_total_order, ordering};
use proptest::prelude::*;

#[test]
fn rpm_vectors() {
    let mut report = Report::new("rpm.tsv");
    for case in cases("rpm.tsv") {
        let (left, right) = (case.get(0), case.get(2));
        let want = ordering(case.get(1));
        let (forward, backward) = (rpmvercmp(left, right), rpmvercmp(right, left));
        report.check(&case, forward == want && backward == want.reverse(), || {
            format!("got {forward:?}, reversed {backward:?}")
        });
    }
    report.finish(91);
}

/// Segments and separators drawn from small sets, so that generated strings often tie or
/// differ in one segment: leading zeros, `~` and `^`, alphabetic and numeric segments.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "0", "1", "2", "10", "01", "001", ".", "_", "+", "~", "^", "a", "b", "rc", "git", "fc", "el", "α",
    ])
}

fn segment_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..6).prop_map(|pieces| pieces.concat())
}

fn evr_text() -> impl Strategy<Value = String> {
    let epoch = prop::sample::select(vec!["", "", "0:", "1:", "2:", "01:", ":"]);
    let version = (prop::sample::select(vec!["0", "1", "2", "1.0", "a"]), segment_text());
    let release = prop::option::of(prop::collection::vec(piece(), 1..4));
    (epoch, version, release).prop_map(|(epoch, (first, rest), release)| {
        let mut s = format!("{epoch}{first}{rest}");
        if let Some(release) = release {
            s.push('-');
            s.push_str(&release.concat());
        }
        s
    })
}

fn evr() -> impl Strategy<Value = RpmVersion> {
    evr_text().prop_filter_map("not an EVR", |s| RpmVersion::parse(&s).ok())
}

proptest! {
    #[test]
    fn rpmvercmp_is_a_total_preorder(a in segment_text(), b in segment_text(), c in segment_text()) {
        check_total_order([&a, &b, &c], |x, y| rpmvercmp(x, y))?;
    }

    #[test]
    fn separators_do_not_matter(a in segment_text()) {
        // Any run of separators is one boundary: swapping `.` for `_` or `+` changes nothing.
        prop_assert_eq!(rpmvercmp(&a, &a.replace('.', "_")), Ordering::Equal);
        prop_assert_eq!(rpmvercmp(&a, &a.replace('.', "+.")), Ordering::Equal);
    }

    #[test]
    fn evr_order_is_total(a in evr(), b in evr(), c in evr()) {
        check_total_order([&a, &b, &c], Ord::cmp)?;
    }

    #[test]
    fn equality_agrees_with_cmp(a in evr(), b in evr()) {
        prop_assert_eq!(a == b, a.cmp(&b) == Ordering::Equal);
        prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
    }

    #[test]
    fn display_is_the_input(s in evr_text()) {
        if let Ok(v) = RpmVersion::parse(&s) {
            prop_assert_eq!(v.to_string(), s);
        }
    }

    #[test]
    fn parse_never_panics(s in ".*") {
        if let Ok(v) = RpmVersion::parse(&s) {
            prop_assert_eq!(v.cmp(&v), Ordering::Equal);
            prop_assert_eq!(v.to_string(), s.clone());
        }
        prop_assert_eq!(rpmvercmp(&s, &s), Ordering::Equal);
        let _ = rpmvercmp(&s, "1.0~rc1^git2");
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let s = String::from_utf8_lossy(&bytes);
        if let Ok(v) = RpmVersion::parse(&s) {
            prop_assert_eq!(v.cmp(&v), Ordering::Equal);
        }
        prop_assert_eq!(rpmvercmp(&s, "1").reverse(), rpmvercmp("1", &s));
    }
}
