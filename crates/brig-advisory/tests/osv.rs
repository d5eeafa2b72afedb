//! OSV parser against the corpus zips (counts from the corpus README) and bad input.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Write};
use std::path::{Path, PathBuf};

use brig_advisory::{Advisory, Event, FeedStats, RangeKind, Record, SeverityKind, osv};
use proptest::prelude::*;

fn feeds() -> PathBuf {
    let shared = std::env::var_os("BRIG_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    shared.join("corpus/feeds")
}

fn parse_corpus(ecosystem: &str) -> (FeedStats, BTreeMap<String, Advisory>) {
    let path = feeds().join("osv").join(ecosystem).join("all.zip");
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    let stats = osv::parse_zip(BufReader::new(file), &format!("osv:{ecosystem}"), &mut |r| match r {
        Record::Advisory(a) => {
            out.insert(a.id.clone(), a);
        }
        other => panic!("unexpected record {other:?}"),
    })
    .expect("zip parses");
    (stats, out)
}

fn assert_counts(ecosystem: &str, records: u64, affected: &[(&str, u64)]) -> BTreeMap<String, Advisory> {
    let (stats, out) = parse_corpus(ecosystem);
    assert_eq!(stats.skipped, 0, "{ecosystem}: {:?}", stats.skip_reasons);
    assert_eq!(stats.records, records, "{ecosystem} records");
    assert_eq!(out.len() as u64, records, "{ecosystem}: distinct ids");
    let want: BTreeMap<String, u64> = affected.iter().map(|(k, v)| (format!("affected:{k}"), *v)).collect();
    assert_eq!(stats.counts, want, "{ecosystem} affected per ecosystem");
    out
}

#[test]
fn npm_counts_and_ghsa_record() {
    let out = assert_counts("npm", 25, &[("NuGet", 2), ("npm", 58)]);
    let a = &out["GHSA-35jh-r3h4-6jhm"];
    assert_eq!(a.aliases, ["CVE-2021-23337"]);
    assert_eq!(a.summary.as_deref(), Some("Command Injection in lodash"));
    assert_eq!(a.published.as_deref(), Some("2021-05-06T16:05:51Z"));
    assert_eq!(a.modified.as_deref(), Some("2022-02-08T21:35:09Z"));
    assert_eq!(a.cwes, ["CWE-77", "CWE-94"]);
    assert_eq!(a.informational, None);
    assert_eq!(a.withdrawn, None);
    // The CVSS vector, scored, rated by the feed; GitHub's own word beside it.
    assert_eq!(a.severities.len(), 2);
    let cvss = &a.severities[0];
    assert_eq!(cvss.kind, SeverityKind::CvssV3);
    assert_eq!(cvss.source, "osv:npm");
    assert_eq!(cvss.vector.as_deref(), Some("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"));
    assert_eq!(cvss.score, Some(7.2));
    assert_eq!(cvss.rating.as_deref(), Some("HIGH"));
    let ghsa = &a.severities[1];
    assert_eq!((ghsa.kind, ghsa.source.as_str(), ghsa.rating.as_deref()), (SeverityKind::Vendor, "ghsa", Some("HIGH")));
    assert_eq!(ghsa.score, None);
    // Two packages, each `introduced 0, fixed 4.17.21`, with GitHub's affected functions.
    let names: Vec<&str> = a.affected.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["lodash", "lodash-es"]);
    for x in &a.affected {
        assert_eq!(x.ecosystem, "npm");
        assert_eq!(x.ranges.len(), 1);
        assert_eq!(x.ranges[0].kind, RangeKind::Ecosystem);
        assert_eq!(x.ranges[0].events, [Event::Introduced("0".into()), Event::Fixed("4.17.21".into())]);
        let extra = x.extra.as_ref().expect("ecosystem_specific kept");
        assert_eq!(extra["ecosystem_specific"]["affected_functions"][0], "lodash.template");
        assert_eq!(x.status, None);
    }
    assert_eq!(a.references.len(), 17);
    assert_eq!(a.references[0].kind, "ADVISORY");
    assert_eq!(a.references[0].url, "https://nvd.nist.gov/vuln/detail/CVE-2021-23337");
    assert_eq!(a.references[3].kind, "PACKAGE");

    // CVSS 4.0 beside 3.1 (body-parser), and GitHub's MODERATE kept as written.
    let b = &out["GHSA-qwcr-r2fm-qrc7"];
    let scored: Vec<(SeverityKind, Option<f64>, Option<&str>)> =
        b.severities.iter().map(|s| (s.kind, s.score, s.rating.as_deref())).collect();
    assert_eq!(
        scored,
        [
            (SeverityKind::CvssV3, Some(7.5), Some("HIGH")),
            (SeverityKind::CvssV4, Some(8.7), Some("HIGH")),
            (SeverityKind::Vendor, None, Some("HIGH")),
        ]
    );
    let c = &out["GHSA-cm22-4g7w-348p"];
    let ratings: Vec<Option<&str>> = c.severities.iter().map(|s| s.rating.as_deref()).collect();
    assert_eq!(ratings, [Some("MEDIUM"), Some("LOW"), Some("MODERATE")]);
    assert_eq!(c.severities[0].score, Some(5.0));
    assert_eq!(c.severities[1].score, Some(2.3));
    // The moment records carry a NuGet entry too.
    let m = &out["GHSA-wc69-rhjr-hc9g"];
    assert!(m.affected.iter().any(|x| x.ecosystem == "NuGet" && x.name == "Moment.js"));
}

#[test]
fn pypi_counts_git_ranges_and_withdrawn() {
    let out = assert_counts("PyPI", 2661, &[("PyPI", 2661)]);
    let a = &out["PYSEC-2023-236"];
    assert_eq!(a.aliases, ["CVE-2023-47163"]);
    assert_eq!(a.summary, None);
    assert!(a.details.as_deref().is_some_and(|d| d.starts_with("Remarshal prior to v0.17.1")));
    assert_eq!(a.severities.len(), 1);
    assert_eq!(a.severities[0].score, Some(7.5));
    assert_eq!(a.severities[0].source, "osv:PyPI");
    let x = &a.affected[0];
    assert_eq!((x.ecosystem.as_str(), x.name.as_str()), ("PyPI", "remarshal"));
    assert_eq!(x.purl.as_deref(), Some("pkg:pypi/remarshal"));
    assert_eq!(x.ranges.len(), 2);
    assert_eq!(x.ranges[0].kind, RangeKind::Git);
    assert_eq!(
        x.ranges[0].events,
        [Event::Introduced("0".into()), Event::Fixed("fd6ac799a02f533c3fc243b49cdd6d21aa7ee494".into())]
    );
    assert_eq!(x.ranges[1].kind, RangeKind::Ecosystem);
    assert_eq!(x.ranges[1].events, [Event::Introduced("0".into()), Event::Fixed("0.17.1".into())]);
    // The model's Range has no repo; it is kept in `extra`.
    assert_eq!(x.extra.as_ref().expect("repo kept")["repos"][0], "https://github.com/remarshal-project/remarshal");
    assert_eq!(x.versions.len(), 15);
    assert_eq!(x.versions[0], "0.10.0");
    assert_eq!(a.references.len(), 3);
    assert_eq!(a.references[1].kind, "FIX");

    let withdrawn = out.values().filter(|a| a.withdrawn.is_some()).count();
    assert_eq!(withdrawn, 10);
    assert!(out.values().all(|a| a.informational.is_none()));
}

#[test]
fn crates_io_counts_and_informational() {
    let out = assert_counts("crates.io", 1206, &[("crates.io", 1206)]);
    let a = &out["RUSTSEC-2016-0004"];
    assert_eq!(a.informational.as_deref(), Some("unmaintained"));
    assert_eq!(a.summary.as_deref(), Some("libusb is unmaintained; use rusb instead"));
    assert!(a.aliases.is_empty() && a.severities.is_empty());
    let x = &a.affected[0];
    assert_eq!(
        (x.ecosystem.as_str(), x.name.as_str(), x.purl.as_deref()),
        ("crates.io", "libusb", Some("pkg:cargo/libusb"))
    );
    assert_eq!(x.ranges[0].kind, RangeKind::Semver);
    assert_eq!(x.ranges[0].events, [Event::Introduced("0.0.0-0".into()), Event::Fixed("0.3.1-0".into())]);
    let extra = x.extra.as_ref().expect("database_specific kept");
    assert_eq!(extra["database_specific"]["informational"], "unmaintained");
    assert!(extra["database_specific"]["categories"].as_array().is_some_and(|c| c.is_empty()));

    let mut kinds = BTreeMap::new();
    for a in out.values() {
        *kinds.entry(a.informational.clone().unwrap_or_default()).or_insert(0) += 1;
    }
    assert_eq!(kinds[""], 730);
    assert_eq!(kinds["unmaintained"], 267);
    assert_eq!(kinds["unsound"], 203);
    assert_eq!(kinds["notice"], 6);
    // Every CVSS vector RustSec publishes scores.
    assert!(out.values().flat_map(|a| &a.severities).all(|s| s.score.is_some()));
}

#[test]
fn go_debian_alpine_counts() {
    let go = assert_counts("Go", 4291, &[("Go", 6125)]);
    assert!(go.values().flat_map(|a| &a.affected).all(|x| x.ranges.iter().all(|r| r.kind == RangeKind::Semver)));
    let debian = assert_counts("Debian", 1295, &[("Debian:10", 945), ("Debian:11", 488)]);
    let dsa = &debian["DSA-5380-1"];
    assert_eq!(dsa.upstream, ["CVE-2023-1393"]);
    assert_eq!(dsa.affected[0].ecosystem, "Debian:11");
    assert_eq!(dsa.affected[0].ranges[0].events[1], Event::Fixed("2:1.20.11-1+deb11u6".into()));
    assert_eq!(dsa.details, None, "an empty details string reads as none");
    assert_counts("Alpine", 6329, &[("Alpine:v3.18", 7522), ("Alpine:v3.9", 2107)]);
}

/// A zip of the given members, stored uncompressed.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in members {
        w.start_file(*name, opts).expect("start member");
        w.write_all(data).expect("write member");
    }
    w.finish().expect("finish zip").into_inner()
}

fn parse_bytes(bytes: Vec<u8>) -> (Result<FeedStats, brig_advisory::FeedError>, Vec<Advisory>) {
    let mut out = Vec::new();
    let r = osv::parse_zip(Cursor::new(bytes), "test", &mut |r| {
        if let Record::Advisory(a) = r {
            out.push(a);
        }
    });
    (r, out)
}

const GOOD: &[u8] = br#"{"id": "OSV-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "x"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}]}"#;

#[test]
fn bad_members_are_skipped_and_counted() {
    let zip = zip_of(&[
        ("good.json", GOOD),
        ("not-json.json", b"this is not json"),
        ("array.json", b"[1, 2]"),
        ("no-id.json", br#"{"summary": "x"}"#),
        ("bad-aliases.json", br#"{"id": "X-1", "aliases": "CVE-1"}"#),
        ("bad-range.json", br#"{"id": "X-2", "affected": [{"ranges": [{"type": "WEIRD", "events": []}]}]}"#),
        ("bad-event.json", br#"{"id": "X-3", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"x": "1"}]}]}]}"#),
        ("README.md", b"ignored: not a record"),
    ]);
    let (r, out) = parse_bytes(zip);
    let stats = r.expect("the zip itself is fine");
    assert_eq!(stats.records, 1);
    assert_eq!(stats.skipped, 6, "{:?}", stats.skip_reasons);
    assert_eq!(stats.counts.get("affected:PyPI"), Some(&1));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].id, "OSV-1");
    assert!(stats.skip_reasons.iter().any(|r| r.starts_with("not-json.json: not JSON")));
    assert!(stats.skip_reasons.iter().any(|r| r.contains("unknown range type `WEIRD`")));
}

#[test]
fn truncated_or_non_zip_is_an_error() {
    let zip = zip_of(&[("good.json", GOOD), ("also.json", GOOD)]);
    for cut in [0, 10, zip.len() / 2, zip.len() - 1] {
        let (r, out) = parse_bytes(zip[..cut].to_vec());
        assert!(r.is_err(), "cut at {cut}");
        assert!(out.is_empty());
    }
    let (r, _) = parse_bytes(b"{\"id\": \"not a zip\"}".to_vec());
    assert!(r.is_err());
}

#[test]
fn corrupt_member_data_is_skipped() {
    // Flip bytes inside the first member's data: its CRC no longer matches.
    let mut zip = zip_of(&[("a.json", GOOD), ("b.json", GOOD)]);
    let at = zip.windows(5).position(|w| w == b"OSV-1").expect("data present");
    zip[at + 2] = b'X';
    let (r, out) = parse_bytes(zip);
    let stats = r.expect("zip opens");
    assert_eq!(stats.records, 1);
    assert_eq!(stats.skipped, 1, "{:?}", stats.skip_reasons);
    assert_eq!(out.len(), 1);
}

#[test]
fn oversized_member_is_skipped() {
    // Deflate makes a 17 MiB member tiny; the parser must not inflate it all.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("big.json", opts).expect("start");
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..17 {
        w.write_all(&chunk).expect("write");
    }
    w.start_file("good.json", opts).expect("start");
    w.write_all(GOOD).expect("write");
    let zip = w.finish().expect("finish").into_inner();
    let (r, out) = parse_bytes(zip);
    let stats = r.expect("zip opens");
    assert_eq!((stats.records, stats.skipped), (1, 1), "{:?}", stats.skip_reasons);
    assert_eq!(out.len(), 1);
}

#[test]
fn record_fields_of_less_common_shapes() {
    let rec = br#"{
        "id": "TEST-1", "aliases": null, "withdrawn": "2024-01-01T00:00:00Z",
        "severity": [{"type": "CVSS_V3", "score": "not a vector"}, {"type": "Ubuntu", "score": "medium"},
                     {"type": "FUTURE", "score": "x"}],
        "affected": [{"ranges": [{"type": "GIT", "repo": "https://g/r", "events": [{"introduced": "0"}, {"limit": "abc"}]}],
                      "severity": [{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"}]}],
        "database_specific": {"informational": "notice", "severity": "LOW"}
    }"#;
    let a = osv::parse_record(rec, "src").expect("parses");
    assert_eq!(a.withdrawn.as_deref(), Some("2024-01-01T00:00:00Z"));
    assert_eq!(a.informational.as_deref(), Some("notice"));
    assert_eq!(a.severities.len(), 3);
    // An unparseable vector is kept unscored.
    assert_eq!((a.severities[0].score, a.severities[0].vector.as_deref()), (None, Some("not a vector")));
    assert_eq!((a.severities[1].source.as_str(), a.severities[1].rating.as_deref()), ("ubuntu", Some("medium")));
    assert_eq!((a.severities[2].source.as_str(), a.severities[2].rating.as_deref()), ("src", Some("LOW")));
    let x = &a.affected[0];
    assert_eq!((x.ecosystem.as_str(), x.name.as_str()), ("", ""));
    assert_eq!(x.ranges[0].events[1], Event::Limit("abc".into()));
    assert_eq!(x.severities[0].kind, SeverityKind::CvssV2);
    assert_eq!(x.severities[0].score, Some(7.5));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = osv::parse_record(&bytes, "fuzz");
        let _ = parse_bytes(bytes.clone());
        // Random bytes as a zip member, and a real zip with random bytes spliced in.
        let (r, _) = parse_bytes(zip_of(&[("m.json", &bytes)]));
        prop_assert!(r.is_ok());
        let mut zip = zip_of(&[("a.json", GOOD)]);
        for (i, b) in bytes.iter().take(16).enumerate() {
            let at = (usize::from(*b) * 7 + i * 13) % zip.len();
            zip[at] ^= b.wrapping_add(1);
        }
        let _ = parse_bytes(zip);
    }

    #[test]
    fn json_shaped_garbage_never_panics(s in r#"\{("(id|aliases|affected|severity|ranges|events|package|database_specific)": ?(\[|\{|"[a-z0-9:./]*"|null|1|true|\]|\}|,)*)*\}"#) {
        let _ = osv::parse_record(s.as_bytes(), "fuzz");
    }
}
