//! Debian tracker parsers: the DSA/DLA lists of the corpus (counts from the corpus README)
//! and the JSON export. No copy of the real export was available, so
//! `fixtures/debian-tracker.json` is hand-written (invented values) in the shape the
//! tracker's export code (`bin/tracker_service.py`, `data/json`) produces.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use brig_advisory::{Advisory, Affected, Event, FeedError, FeedStats, Record, SeverityKind, debian};
use proptest::prelude::*;

fn feeds() -> PathBuf {
    let shared = std::env::var_os("BRIG_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    shared.join("corpus/feeds")
}

fn list(text: &str, prefix: &str) -> (Result<FeedStats, FeedError>, Vec<Advisory>) {
    let mut out = Vec::new();
    let r = debian::parse_dsa_list(text, prefix, "debian", &mut |r| match r {
        Record::Advisory(a) => out.push(a),
        other => panic!("unexpected {other:?}"),
    });
    (r, out)
}

fn corpus_list(name: &str, prefix: &str) -> (FeedStats, Vec<Advisory>) {
    let path = feeds().join("debian").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (r, out) = list(&text, prefix);
    (r.expect("list parses"), out)
}

fn fixed(x: &Affected) -> Option<&str> {
    x.ranges.first()?.events.iter().find_map(|e| match e {
        Event::Fixed(v) => Some(v.as_str()),
        _ => None,
    })
}

#[test]
fn dsa_list_counts_and_records() {
    let (stats, out) = corpus_list("DSA-list", "DSA");
    assert_eq!(stats.counts.get("advisories"), Some(&5406));
    assert_eq!(stats.records, 5406);
    assert_eq!(stats.skipped, 0, "{:?}", stats.skip_reasons);

    let a = &out[0];
    assert_eq!(a.id, "DSA-5380-1");
    assert_eq!(a.upstream, ["CVE-2023-1393"]);
    assert_eq!(a.published.as_deref(), Some("2023-03-29T00:00:00Z"));
    assert_eq!(a.summary.as_deref(), Some("xorg-server - security update"));
    assert_eq!(a.references[0].url, "https://security-tracker.debian.org/tracker/DSA-5380-1");
    assert_eq!(a.affected.len(), 1);
    let x = &a.affected[0];
    assert_eq!((x.ecosystem.as_str(), x.name.as_str()), ("Debian:11", "xorg-server"));
    assert_eq!(x.ranges[0].events, [Event::Introduced("0".into()), Event::Fixed("2:1.20.11-1+deb11u6".into())]);
    assert_eq!(x.status, None);

    let by_id: BTreeMap<&str, &Advisory> = out.iter().map(|a| (a.id.as_str(), a)).collect();
    // Several CVEs, several releases.
    let xen = by_id["DSA-3390-1"];
    assert_eq!(xen.upstream, ["CVE-2015-7835"]);
    let rels: Vec<(&str, Option<&str>)> = xen.affected.iter().map(|x| (x.ecosystem.as_str(), fixed(x))).collect();
    assert_eq!(rels, [("Debian:7", Some("4.1.4-3+deb7u9")), ("Debian:8", Some("4.4.1-9+deb8u2"))]);
    // `<end-of-life>`: affected, no fix, status end_of_life.
    let eol = &by_id["DSA-3699-1"].affected[0];
    assert_eq!((eol.name.as_str(), eol.status.as_deref(), fixed(eol)), ("virtualbox", Some("end_of_life"), None));
    assert_eq!(eol.ranges[0].events, [Event::Introduced("0".into())]);
    // A header without revision, and one with no package line.
    assert!(by_id.contains_key("DSA-1304"));
    assert!(by_id["DSA-4205-1"].affected.is_empty());
    // Old releases have minor versions.
    assert!(out.iter().flat_map(|a| &a.affected).any(|x| x.ecosystem == "Debian:3.0"));
    // `<not-affected>` gives no entry; its note-only lines are ignored.
    let n_entries: usize = out.iter().map(|a| a.affected.len()).sum();
    assert_eq!(n_entries, 6988 - 55);
}

#[test]
fn dla_list_counts() {
    let (stats, out) = corpus_list("DLA-list", "DLA");
    assert_eq!(stats.counts.get("advisories"), Some(&3534));
    assert_eq!(stats.records, 3534);
    assert_eq!(stats.skipped, 0, "{:?}", stats.skip_reasons);
    let a = out.iter().find(|a| a.id == "DLA-3377-1").expect("DLA-3377-1");
    assert_eq!(a.upstream, ["CVE-2023-26604"]);
    assert_eq!(a.published.as_deref(), Some("2023-03-31T00:00:00Z"));
    assert_eq!((a.affected[0].ecosystem.as_str(), fixed(&a.affected[0])), ("Debian:10", Some("241-7~deb10u9")));
}

#[test]
fn dsa_list_pseudo_versions_and_malformed_lines() {
    let text = "\
stray line before any header
[01 Jan 2024] DSA-9999-1 foo - security update
\t{CVE-2024-0001 CVE-2024-0002}
\t[bookworm] - foo 1.2-3+deb12u1
\t[bullseye] - foo <unfixed>
\t[buster] - foo <no-dsa> (Minor issue)
\t[stretch] - foo <ignored>
\t[jessie] - foo <postponed>
\t[wheezy] - foo <not-affected> (Vulnerable code not present)
\t[sid] - foo 1.3-1
\t[bookworm] - foo <weird>
\t[bookworm] - foo
\tNOTE: a note
\tsomething unexpected
[32 Foo 2024] DSA-9998-1 bad date
\t[bookworm] - dropped 1.0
[01 Jan 2024] DLA-1-1 wrong prefix
[02 Feb 2024] DSA-9997-2 bar
";
    let (r, out) = list(text, "DSA");
    let stats = r.expect("readable");
    assert_eq!(stats.counts.get("advisories"), Some(&2));
    assert_eq!(stats.records, 2);
    // stray line, <weird>, short release line, unexpected line, sid, bad date, wrong prefix
    assert_eq!(stats.skipped, 7, "{:?}", stats.skip_reasons);
    let a = &out[0];
    assert_eq!(a.upstream, ["CVE-2024-0001", "CVE-2024-0002"]);
    let got: Vec<(&str, Option<&str>, Option<&str>)> =
        a.affected.iter().map(|x| (x.ecosystem.as_str(), fixed(x), x.status.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("Debian:12", Some("1.2-3+deb12u1"), None),
            ("Debian:11", None, Some("not_fixed")),
            ("Debian:10", None, Some("will_not_fix")),
            ("Debian:9", None, Some("will_not_fix")),
            ("Debian:8", None, Some("will_not_fix")),
        ]
    );
    assert_eq!(a.affected[2].extra.as_ref().expect("note kept")["note"], "Minor issue");
    assert_eq!(out[1].id, "DSA-9997-2");
    assert_eq!(out[1].published.as_deref(), Some("2024-02-02T00:00:00Z"));

    assert!(list("<html>not a list</html>", "DSA").0.is_err());
    assert!(list("", "XSA").0.is_err());
    let (r, out) = list("", "DSA");
    assert_eq!((r.expect("empty list").records, out.len()), (0, 0));
}

fn tracker(bytes: &[u8]) -> (Result<FeedStats, FeedError>, BTreeMap<String, Advisory>) {
    let mut out = BTreeMap::new();
    let r = debian::parse_tracker_json(bytes, "debian", &mut |r| match r {
        Record::Advisory(a) => assert!(out.insert(a.id.clone(), a).is_none(), "one advisory per id"),
        other => panic!("unexpected {other:?}"),
    });
    (r, out)
}

#[test]
fn tracker_json_fixture() {
    let bytes = include_bytes!("fixtures/debian-tracker.json");
    let (r, out) = tracker(bytes);
    let stats = r.expect("fixture parses");
    assert_eq!(stats.counts.get("packages"), Some(&5));
    assert_eq!(stats.counts.get("issues"), Some(&8));
    assert_eq!(stats.counts.get("unstable"), Some(&1));
    assert_eq!(stats.skipped, 7, "{:?}", stats.skip_reasons);
    assert!(stats.skip_reasons.iter().any(|r| r.contains("curl CVE-2023-38545 bullseye: undetermined")));
    assert_eq!(stats.records, 4);
    assert_eq!(
        out.keys().collect::<Vec<_>>(),
        ["CVE-2023-0286", "CVE-2023-38545", "CVE-2024-0727", "TEMP-0000000-1A2B3C"]
    );

    // Merged over two source packages.
    let a = &out["CVE-2023-0286"];
    assert_eq!(a.details.as_deref(), Some("X.400 address type confusion in X.509 GeneralName"));
    let urls: Vec<&str> = a.references.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(urls, ["https://security-tracker.debian.org/tracker/CVE-2023-0286", "https://bugs.debian.org/1031000"]);
    let got: Vec<(&str, &str, Option<&str>, Option<&str>)> =
        a.affected.iter().map(|x| (x.ecosystem.as_str(), x.name.as_str(), fixed(x), x.status.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("Debian:12", "openssl", Some("3.0.8-1"), None),
            ("Debian:11", "openssl", Some("1.1.1n-0+deb11u4"), None),
            ("Debian:10", "openssl1.0", None, Some("not_fixed")),
        ]
    );
    assert!(a.affected[0].severities.is_empty(), "not yet assigned is no rating");
    let high = &a.affected[1].severities[0];
    assert_eq!(
        (high.kind, high.source.as_str(), high.rating.as_deref()),
        (SeverityKind::Vendor, "debian", Some("high"))
    );
    assert_eq!(a.affected[2].severities[0].rating.as_deref(), Some("medium**"));
    let extra = a.affected[1].extra.as_ref().expect("extra");
    assert_eq!(extra["release"], "bullseye");
    assert_eq!(extra["repositories"]["bullseye-security"], "1.1.1w-0+deb11u2");
    assert_eq!(extra["scope"], "remote");

    // open: postponed stays not_fixed, ignored is will_not_fix, end-of-life urgency.
    let b = &out["CVE-2024-0727"];
    let got: Vec<(&str, Option<&str>, Option<&str>)> = b
        .affected
        .iter()
        .map(|x| (x.ecosystem.as_str(), x.status.as_deref(), x.severities.first().and_then(|s| s.rating.as_deref())))
        .collect();
    assert_eq!(
        got,
        [
            ("Debian:12", Some("not_fixed"), Some("low")),
            ("Debian:11", Some("will_not_fix"), Some("unimportant")),
            ("Debian:10", Some("end_of_life"), None),
        ]
    );
    assert_eq!(b.affected[1].extra.as_ref().expect("extra")["nodsa_reason"], "ignored");
    assert!(b.affected.iter().all(|x| x.ranges[0].events == [Event::Introduced("0".into())]));
    let c = &out["CVE-2023-38545"];
    let got: Vec<(&str, Option<&str>)> = c.affected.iter().map(|x| (x.ecosystem.as_str(), fixed(x))).collect();
    assert_eq!(got, [("Debian:12", Some("7.88.1-10+deb12u4")), ("Debian:13", Some("8.4.0-1"))]);
}

#[test]
fn tracker_json_bad_input() {
    assert!(tracker(b"").0.is_err());
    assert!(tracker(b"[1,2,3]").0.is_err());
    assert!(tracker(b"\"just a string\"").0.is_err());
    assert!(tracker(br#"{"openssl": {"CVE-1": {"releases": {}}}"#).0.is_err(), "truncated");
    let (r, out) = tracker(b"{}");
    assert_eq!((r.expect("empty export").records, out.len()), (0, 0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let _ = tracker(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        let _ = list(&text, "DSA");
    }

    #[test]
    fn list_shaped_garbage_never_panics(lines in proptest::collection::vec(
        r"(\[[0-9]{0,2} [A-Za-z]{0,3} [0-9]{0,4}\] DSA-[0-9-]{0,6}[ -a-z]{0,10}|\t\{[A-Z0-9 -]{0,20}\}?|\t\[[a-z]{0,8}\]? ?-? ?[a-z]{0,5} ?[<>a-z0-9.:~+-]{0,12}|[ -~]{0,20})",
        0..20,
    )) {
        let _ = list(&lines.join("\n"), "DSA");
    }

    #[test]
    fn tracker_shaped_garbage_never_panics(
        status in "(resolved|open|undetermined|[a-z]{0,6})",
        fixed in proptest::option::of("[0-9a-z.:~+-]{0,8}"),
        urgency in proptest::option::of("[a-z* ]{0,10}"),
        reason in proptest::option::of("(ignored|postponed|[a-z]{0,5})"),
        release in "(bookworm|sid|[a-z]{0,6})",
    ) {
        let doc = serde_json::json!({"p": {"CVE-1": {"releases": {release: {
            "status": status, "fixed_version": fixed, "urgency": urgency, "nodsa_reason": reason,
        }}}}});
        prop_assert!(tracker(doc.to_string().as_bytes()).0.is_ok());
    }
}
