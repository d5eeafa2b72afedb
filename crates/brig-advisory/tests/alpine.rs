//! Alpine secdb parser against the four corpus files (counts from the corpus README).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use brig_advisory::{Advisory, Event, FeedStats, RangeKind, Record, alpine};
use proptest::prelude::*;

fn feeds() -> PathBuf {
    let shared = std::env::var_os("BRIG_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    shared.join("corpus/feeds")
}

fn parse(bytes: &[u8]) -> (Result<FeedStats, brig_advisory::FeedError>, BTreeMap<String, Advisory>) {
    let mut out = BTreeMap::new();
    let r = alpine::parse_secdb(bytes, "alpine", &mut |r| match r {
        Record::Advisory(a) => assert!(out.insert(a.id.clone(), a).is_none(), "one advisory per id"),
        other => panic!("unexpected {other:?}"),
    });
    (r, out)
}

fn corpus(file: &str) -> (FeedStats, BTreeMap<String, Advisory>) {
    let path = feeds().join("alpine-secdb").join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (r, out) = parse(&bytes);
    (r.expect("secdb parses"), out)
}

fn counts(stats: &FeedStats) -> (u64, u64, u64) {
    let c = |k: &str| stats.counts.get(k).copied().unwrap_or(0);
    (c("packages"), c("secfixes"), c("ids"))
}

#[test]
fn readme_counts() {
    // (file, packages, secfixes, ids) from the README; advisories and skips are ours:
    // distinct ids with an entry other than "0", malformed ids.
    for (file, packages, secfixes, ids, advisories, skipped) in [
        ("v3.18/community.json", 355, 1496, 5042, 3915, 0),
        ("v3.18/main.json", 246, 1143, 2561, 2402, 0),
        ("v3.9/community.json", 61, 186, 733, 678, 2),
        ("v3.9/main.json", 187, 576, 1390, 1340, 0),
    ] {
        let (stats, out) = corpus(file);
        assert_eq!(counts(&stats), (packages, secfixes, ids), "{file}");
        assert_eq!(stats.records, advisories, "{file}");
        assert_eq!(out.len() as u64, advisories, "{file}");
        assert_eq!(stats.skipped, skipped, "{file}: {:?}", stats.skip_reasons);
        let release = file.split('/').next().unwrap_or_default();
        assert!(out.values().flat_map(|a| &a.affected).all(|x| x.ecosystem == format!("Alpine:{release}")));
    }
}

#[test]
fn v3_9_community_malformed_ids_are_counted() {
    let (stats, out) = corpus("v3.9/community.json");
    assert!(stats.skip_reasons.iter().any(|r| r.contains("`CVE_2019-2426`")), "{:?}", stats.skip_reasons);
    assert!(stats.skip_reasons.iter().any(|r| r.contains("`CVE N/A ZBX-11023`")), "{:?}", stats.skip_reasons);
    assert!(!out.contains_key("CVE_2019-2426"));
    // Versions apk rejects are kept as published.
    let a = &out["CVE-2018-10188"];
    assert_eq!(a.affected[0].name, "phpmyadmin");
    assert_eq!(a.affected[0].ranges[0].events[1], Event::Fixed("4.8.0.-r1".into()));
}

#[test]
fn v3_18_main_records() {
    let (_, out) = corpus("v3.18/main.json");
    // An id followed by free text: the first token is the id, the rest an alias.
    let a = &out["CVE-2020-13777"];
    assert_eq!(a.aliases, ["GNUTLS-SA-2020-06-03"]);
    assert_eq!(a.affected.len(), 1);
    let x = &a.affected[0];
    assert_eq!((x.ecosystem.as_str(), x.name.as_str()), ("Alpine:v3.18", "gnutls"));
    assert_eq!(x.ranges.len(), 1);
    assert_eq!(x.ranges[0].kind, RangeKind::Ecosystem);
    assert_eq!(x.ranges[0].events, [Event::Introduced("0".into()), Event::Fixed("3.6.14-r0".into())]);
    // One id under several fixed versions of one package (intel-ucode) and under xen.
    let b = &out["CVE-2018-12126"];
    let pairs: Vec<(&str, String)> = b
        .affected
        .iter()
        .map(|x| {
            let fixed = x.ranges[0].events.iter().find_map(|e| match e {
                Event::Fixed(v) => Some(v.clone()),
                _ => None,
            });
            (x.name.as_str(), fixed.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("intel-ucode", "20190514a-r0".to_owned()),
            ("intel-ucode", "20190618-r0".to_owned()),
            ("intel-ucode", "20191112-r0".to_owned()),
            ("xen", "4.12.0-r2".to_owned()),
        ]
    );
    assert_eq!(b.aliases, ["XSA-297"]);
    // Non-CVE ids are advisories of their own.
    assert_eq!(out["XSA-207"].affected[0].name, "xen");
    assert_eq!(out["ZDI-CAN-23896"].affected.len(), 1);
}

#[test]
fn fixed_version_zero_gives_no_entry() {
    let (_, out) = corpus("v3.18/community.json");
    // flatbuffers lists CVE-2020-35864 only under "0": never affected, no advisory.
    assert!(!out.contains_key("CVE-2020-35864"));
    // git-lfs: CVE-2020-27955 under "0" for git-lfs and git-lfs2 only.
    assert!(!out.contains_key("CVE-2020-27955"));
    assert!(out.contains_key("CVE-2021-38561"));
}

#[test]
fn bad_input() {
    assert!(parse(b"not json").0.is_err());
    assert!(parse(b"[]").0.is_err());
    assert!(parse(br#"{"distroversion": "v3.1"}"#).0.is_err(), "no packages");
    assert!(parse(br#"{"packages": []}"#).0.is_err(), "no distroversion");
    assert!(parse(br#"{"distroversion": "v3.1", "packages": {}}"#).0.is_err());
    assert!(parse(br#"{"distroversion": "v3.1", "packages": [{"pkg": {"name": "a", "secfixes": {"1-r0": ["CVE-2020-1111"]}}}"#).0.is_err(), "truncated");
    // Bad entries are skipped, the rest kept.
    let (r, out) = parse(
        br#"{"distroversion": "v3.1", "packages": [
            1, {"pkg": {}}, {"pkg": {"name": "a", "secfixes": "x"}},
            {"pkg": {"name": "b", "secfixes": {"1-r0": ["CVE-2020-1111", 5, "bogus"], "2-r0": "x", "3-r0": null, "": ["CVE-2020-2222"]}}},
            {"pkg": {"name": "c"}}
        ]}"#,
    );
    let stats = r.expect("file is readable");
    assert_eq!(counts(&stats), (5, 4, 4));
    assert_eq!(stats.skipped, 7, "{:?}", stats.skip_reasons);
    assert_eq!(out.keys().collect::<Vec<_>>(), ["CVE-2020-1111"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn random_secfixes_never_panic(
        ids in proptest::collection::vec("[A-Za-z0-9_ /-]{0,24}", 0..8),
        version in "[0-9a-z.-]{0,10}",
    ) {
        let doc = serde_json::json!({
            "distroversion": "v3.0",
            "packages": [{"pkg": {"name": "p", "secfixes": {version: ids}}}],
        });
        let (r, _) = parse(doc.to_string().as_bytes());
        prop_assert!(r.is_ok());
    }
}
