//! CVSS scoring through `severity.rs`.

use brig_advisory::{SeverityKind, severity};
use proptest::prelude::*;

#[test]
fn known_scores() {
    for (vector, kind, score, rating) in [
        ("AV:N/AC:L/Au:N/C:C/I:C/A:C", SeverityKind::CvssV2, 10.0, "HIGH"),
        ("AV:L/AC:H/Au:M/C:N/I:P/A:N", SeverityKind::CvssV2, 0.8, "LOW"),
        ("AV:N/AC:M/Au:N/C:P/I:N/A:N", SeverityKind::CvssV2, 4.3, "MEDIUM"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", SeverityKind::CvssV3, 10.0, "CRITICAL"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", SeverityKind::CvssV3, 6.1, "MEDIUM"),
        ("CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", SeverityKind::CvssV3, 6.2, "MEDIUM"),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", SeverityKind::CvssV3, 1.6, "LOW"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", SeverityKind::CvssV4, 8.7, "HIGH"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", SeverityKind::CvssV4, 0.0, "NONE"),
    ] {
        let s = severity::from_cvss_vector("src", vector).unwrap_or_else(|| panic!("{vector}"));
        assert_eq!((s.kind, s.score, s.rating.as_deref()), (kind, Some(score), Some(rating)), "{vector}");
        assert_eq!((s.source.as_str(), s.vector.as_deref(), s.role.as_deref()), ("src", Some(vector), None));
    }
    // Surrounding whitespace is not part of the vector.
    let s = severity::from_cvss_vector("src", " CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n").expect("scores");
    assert_eq!(s.vector.as_deref(), Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
}

#[test]
fn helpers() {
    let v = severity::vendor("debian", " low ").expect("rating");
    assert_eq!((v.kind, v.rating.as_deref(), v.score), (SeverityKind::Vendor, Some("low"), None));
    assert!(severity::vendor("debian", "  ").is_none());
    let u = severity::cvss_or_unscored("x", SeverityKind::CvssV3, "CVSS:3.1/broken");
    assert_eq!(
        (u.kind, u.vector.as_deref(), u.score, u.rating),
        (SeverityKind::CvssV3, Some("CVSS:3.1/broken"), None, None)
    );
    // A v4 vector filed as CVSS_V3 is scored as what it is.
    let k = severity::cvss_or_unscored(
        "x",
        SeverityKind::CvssV3,
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    );
    assert_eq!(k.kind, SeverityKind::CvssV4);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn random_strings_never_panic(s in "[ -~]{0,120}") {
        let _ = severity::from_cvss_vector("x", &s);
    }

    #[test]
    fn vector_shaped_strings_never_panic(
        prefix in "(CVSS:3\\.0/|CVSS:3\\.1/|CVSS:4\\.0/|CVSS:2\\.0/|CVSS:5\\.0/|\\(|)",
        metrics in proptest::collection::vec(
            ("(AV|AC|AT|PR|UI|VC|VI|VA|SC|SI|SA|S|C|I|A|Au|E|RL|RC|CR|IR|AR|MAV|MAC|MPR|MUI|MS|MC|MI|MA|MVC|MSI|U|R|V|RE|CDP|TD|X)",
             "(N|L|H|P|A|R|U|C|M|S|X|D|F|O|T|Y|Clear|Red|Amber|Green|ND|POC|)"),
            0..26,
        ),
    ) {
        let body: Vec<String> = metrics.iter().map(|(k, v)| format!("{k}:{v}")).collect();
        let v = format!("{prefix}{}", body.join("/"));
        if let Some(s) = severity::from_cvss_vector("x", &v) {
            let score = s.score.unwrap_or(-1.0);
            prop_assert!((0.0..=10.0).contains(&score), "{} scored {}", v, score);
        }
    }
}
