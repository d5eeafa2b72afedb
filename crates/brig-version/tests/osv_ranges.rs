//! OSV range evaluation through the real schemes, with the shapes real records have.

use brig_version::osv::{Evaluation, Event, Range, RangeKind, evaluate};
use brig_version::{Ecosystem, Scheme};

fn eco(events: &[Event]) -> Vec<Range> {
    vec![Range { kind: RangeKind::Ecosystem, events: events.to_vec() }]
}
fn semver(events: &[Event]) -> Vec<Range> {
    vec![Range { kind: RangeKind::Semver, events: events.to_vec() }]
}
fn i(s: &str) -> Event {
    Event::Introduced(s.into())
}
fn f(s: &str) -> Event {
    Event::Fixed(s.into())
}
fn la(s: &str) -> Event {
    Event::LastAffected(s.into())
}
fn affected(scheme: Scheme, v: &str, ranges: &[Range]) -> bool {
    evaluate(scheme, v, ranges, &[]).unwrap().affected
}

#[test]
fn debian_epochs_tildes_and_binnmus() {
    // A Debian record: fixed in 2.31-13+deb11u4.
    let r = eco(&[i("0"), f("2.31-13+deb11u4")]);
    assert!(affected(Scheme::Dpkg, "2.31-13+deb11u3", &r));
    assert!(!affected(Scheme::Dpkg, "2.31-13+deb11u4", &r));
    assert!(!affected(Scheme::Dpkg, "2.31-13+deb11u11", &r), "u11 > u4 numerically, not as text");
    assert!(affected(Scheme::Dpkg, "2.31-13+deb11u4~pre1", &r), "~ sorts before the release");
    let epoch = eco(&[i("0"), f("1:3.7-5")]);
    assert!(!affected(Scheme::Dpkg, "1:3.7-5+b1", &epoch));
    assert!(affected(Scheme::Dpkg, "9.9-1", &epoch), "no epoch is epoch 0");
}

#[test]
fn alpine_revisions_and_suffixes() {
    let r = eco(&[i("0"), f("1.36.1-r15")]);
    assert!(affected(Scheme::Apk, "1.36.1-r7", &r), "r7 < r15 numerically");
    assert!(!affected(Scheme::Apk, "1.36.1-r15", &r));
    assert!(affected(Scheme::Apk, "1.36.1_rc2-r0", &eco(&[i("0"), f("1.36.1-r0")])));
}

#[test]
fn rpm_release_and_epoch() {
    let r = eco(&[i("0"), f("1:3.0.7-27.el9")]);
    assert!(affected(Scheme::Rpm, "1:3.0.7-25.el9_3", &r));
    assert!(!affected(Scheme::Rpm, "1:3.0.7-27.el9", &r));
    assert!(affected(Scheme::Rpm, "3.0.8-1.el9", &r), "epoch 0 < epoch 1");
}

#[test]
fn pypi_pre_post_and_the_versions_list() {
    let r = eco(&[i("2.0"), f("2.31.0")]);
    assert!(affected(Scheme::Pep440, "2.25.0", &r));
    assert!(affected(Scheme::Pep440, "2.31.0rc1", &r), "a pre-release of the fix is still vulnerable");
    assert!(!affected(Scheme::Pep440, "2.31.0.post1", &r));
    assert!(!affected(Scheme::Pep440, "1.9", &r));
    // `versions` matches under the scheme's equality: 1.0 == 1.0.0.
    let e = evaluate(Scheme::Pep440, "1.0.0", &[], &["1.0".into()]).unwrap();
    assert_eq!(e, Evaluation { affected: true, fixed: None });
}

#[test]
fn go_semver_ranges_written_without_v() {
    // OSV's Go records: SEMVER ranges, versions without the `v` module versions carry.
    let r = semver(&[i("0"), f("0.17.0")]);
    assert!(affected(Scheme::Go, "v0.0.0-20210921155107-089bfa567519", &r), "pseudo-version below the fix");
    assert!(!affected(Scheme::Go, "v0.17.0", &r));
    assert!(!affected(Scheme::Go, "v2.0.0+incompatible", &semver(&[i("0"), f("2.0.0")])), "build metadata ignored");
}

#[test]
fn npm_prereleases_and_last_affected() {
    let r = semver(&[i("4.0.0"), la("4.17.20")]);
    assert!(affected(Scheme::Npm, "4.17.20", &r));
    assert!(!affected(Scheme::Npm, "4.17.21", &r));
    assert!(!affected(Scheme::Npm, "4.0.0-beta.1", &r), "pre-release precedes 4.0.0");
    assert_eq!(evaluate(Scheme::Npm, "4.1.0", &r, &[]).unwrap().fixed, None, "last_affected gives no fix");
}

#[test]
fn maven_and_nuget_and_gems_and_composer() {
    assert!(affected(Scheme::Maven, "2.14.0-rc1", &eco(&[i("2.0.0"), f("2.14.0")])));
    assert!(!affected(Scheme::Maven, "2.14.0.Final", &eco(&[i("2.0.0"), f("2.14.0")])), "final == release");
    assert!(affected(Scheme::NuGet, "13.0.1", &eco(&[i("0"), f("13.0.3")])));
    assert!(affected(Scheme::RubyGems, "1.14.0.rc1", &eco(&[i("0"), f("1.14.0")])));
    assert!(!affected(Scheme::Composer, "v5.4.22", &eco(&[i("5.0.0"), f("5.4.22")])));
}

#[test]
fn lowest_applicable_fix_across_ranges() {
    let ranges = vec![
        Range { kind: RangeKind::Ecosystem, events: vec![i("1.0"), f("1.5")] },
        Range { kind: RangeKind::Ecosystem, events: vec![i("1.2"), f("1.4")] },
        Range { kind: RangeKind::Git, events: vec![i("0"), f("deadbeef")] },
    ];
    let e = evaluate(Scheme::Pep440, "1.3", &ranges, &[]).unwrap();
    assert_eq!(e, Evaluation { affected: true, fixed: Some("1.4".into()) });
    assert!(!evaluate(Scheme::Pep440, "1.6", &ranges, &[]).unwrap().affected, "git ranges never match a version");
}

#[test]
fn unparseable_versions_are_errors_never_verdicts() {
    let r = eco(&[i("0"), f("1.0")]);
    let err = evaluate(Scheme::Pep440, "not a version", &r, &[]).unwrap_err();
    assert_eq!(err.scheme, "pep440");
    assert!(evaluate(Scheme::Pep440, "1.0", &eco(&[i("0"), f("garbage!")]), &[]).is_err());
    assert!(evaluate(Scheme::Dpkg, "", &r, &[]).is_err());
}

#[test]
fn ecosystem_names_select_schemes() {
    for (eco, scheme) in [
        ("Debian:11", Scheme::Dpkg),
        ("Ubuntu:22.04:LTS", Scheme::Dpkg),
        ("Alpine:v3.18", Scheme::Apk),
        ("Rocky Linux:9", Scheme::Rpm),
        ("PyPI", Scheme::Pep440),
        ("crates.io", Scheme::SemVer),
    ] {
        assert_eq!(Ecosystem::parse(eco).scheme(), Some(scheme), "{eco}");
    }
}

#[test]
fn facade_orders_every_scheme_and_refuses_nothing_silently() {
    for scheme in Scheme::ALL {
        let v = match scheme {
            Scheme::Go => "v1.2.3",
            _ => "1.2.3",
        };
        let a = scheme.parse(v).unwrap_or_else(|e| panic!("{}: {e}", scheme.name()));
        assert_eq!(a, a.clone(), "{}", scheme.name());
        assert_eq!(a.scheme(), scheme);
        assert_eq!(a.to_string(), v);
        assert!(scheme.parse("").is_err() || scheme == Scheme::RubyGems, "{}: empty accepted", scheme.name());
    }
}
