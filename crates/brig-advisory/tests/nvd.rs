//! NVD JSON 2.0 parser against the corpus subset (plain and gzip) and bad input.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use brig_advisory::nvd::{self, NvdPage};
use brig_advisory::{FeedError, FeedStats, NvdCve, Record, SeverityKind, severity};
use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;

fn feeds() -> PathBuf {
    let shared = std::env::var_os("BRIG_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    shared.join("corpus/feeds")
}

fn read(name: &str) -> Vec<u8> {
    let path = feeds().join("nvd").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn page(bytes: &[u8]) -> (Result<(NvdPage, FeedStats), FeedError>, BTreeMap<String, NvdCve>) {
    let mut out = BTreeMap::new();
    let r = nvd::parse_page(bytes, "nvd", &mut |r| match r {
        Record::Nvd(c) => {
            out.insert(c.id.clone(), c);
        }
        other => panic!("unexpected {other:?}"),
    });
    (r, out)
}

fn feed(bytes: &[u8]) -> (Result<FeedStats, FeedError>, usize) {
    let mut n = 0;
    let r = nvd::parse_feed(bytes, "nvd", &mut |_| n += 1);
    (r, n)
}

#[test]
fn subset_counts_plain_and_gzip() {
    let plain = read("nvdcve-2.0-subset.json");
    let gz = read("nvdcve-2.0-subset.json.gz");
    let (r, out) = page(&plain);
    let (pg, stats) = r.expect("plain parses");
    assert_eq!(pg, NvdPage { start_index: 0, results_per_page: 40, total_results: 40 });
    assert_eq!(stats.records, 40);
    assert_eq!(stats.counts.get("vulnerabilities"), Some(&40));
    assert_eq!(stats.skipped, 0, "{:?}", stats.skip_reasons);
    assert_eq!(out.len(), 40);
    let (r, out_gz) = page(&gz);
    assert_eq!(r.expect("gzip parses").0, pg);
    assert_eq!(out_gz, out, "gzip and plain give the same records");
    let (r, n) = feed(&gz);
    assert_eq!((r.expect("feed").records, n), (40, 40));
    // Every CVSS metric entry of the subset is kept (68 of them).
    assert_eq!(out.values().map(|c| c.severities.len()).sum::<usize>(), 68);
}

#[test]
fn v31_and_v2_record() {
    let (_, out) = page(&read("nvdcve-2.0-subset.json"));
    let c = &out["CVE-2022-29361"];
    assert_eq!(c.published.as_deref(), Some("2022-05-25T01:15:07.277"));
    assert_eq!(c.last_modified.as_deref(), Some("2024-03-21T02:42:42.477"));
    assert_eq!(c.status.as_deref(), Some("Modified"));
    assert!(
        c.description
            .as_deref()
            .is_some_and(|d| d.starts_with("Improper parsing of HTTP requests in Pallets Werkzeug"))
    );
    assert_eq!(c.cwes, ["CWE-444"]);
    assert_eq!(c.tags, ["disputed"], "the README's cveTags edge case");
    assert_eq!(c.severities.len(), 2);
    let v31 = &c.severities[1];
    assert_eq!(v31.kind, SeverityKind::CvssV3);
    assert_eq!(v31.source, "nvd@nist.gov");
    assert_eq!(v31.role.as_deref(), Some("Primary"));
    assert_eq!(v31.vector.as_deref(), Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    assert_eq!((v31.score, v31.rating.as_deref()), (Some(9.8), Some("CRITICAL")));
    let v2 = &c.severities[0];
    assert_eq!(v2.kind, SeverityKind::CvssV2);
    assert_eq!(v2.vector.as_deref(), Some("AV:N/AC:L/Au:N/C:P/I:P/A:P"));
    // v2's rating sits beside cvssData, not in it.
    assert_eq!((v2.score, v2.rating.as_deref()), (Some(7.5), Some("HIGH")));
    assert_eq!(c.references.len(), 2);
    assert_eq!(
        c.references[0].url,
        "https://github.com/pallets/werkzeug/commit/9a3a981d70d2e9ec3344b5192f86fcaf3210cd85"
    );
    assert_eq!(c.references[0].kind, "FIX");
    assert_eq!(c.references[1].kind, "ADVISORY");
}

#[test]
fn readme_edge_cases() {
    let (_, out) = page(&read("nvdcve-2.0-subset.json"));
    // Empty metrics, no weaknesses.
    for id in ["CVE-2023-31047", "CVE-2023-41164", "CVE-2023-46695"] {
        assert!(out[id].severities.is_empty() && out[id].cwes.is_empty(), "{id}");
    }
    assert_eq!(out["CVE-2023-46695"].status.as_deref(), Some("Received"));
    // Only a v3.0 metric, from a CNA, Secondary.
    let s = &out["CVE-2024-3651"].severities;
    assert_eq!(s.len(), 1);
    assert_eq!((s[0].source.as_str(), s[0].role.as_deref()), ("security@huntr.dev", Some("Secondary")));
    assert_eq!(s[0].vector.as_deref(), Some("CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"));
    assert_eq!((s[0].score, s[0].rating.as_deref()), (Some(6.2), Some("MEDIUM")));
    assert_eq!(out["CVE-2024-3651"].cwes, ["CWE-400"]);
    // SSVC is not CVSS; both CVSS entries kept; one CWE named by two sources kept once.
    let c = &out["CVE-2023-23969"];
    let roles: Vec<Option<&str>> = c.severities.iter().map(|s| s.role.as_deref()).collect();
    assert_eq!(roles, [Some("Primary"), Some("Secondary")]);
    assert_eq!(c.cwes, ["CWE-770"]);
    // Only a Secondary (CISA-ADP) score.
    let s = &out["CVE-2024-27351"].severities;
    assert_eq!(s.len(), 1);
    assert_eq!(
        (s[0].source.as_str(), s[0].role.as_deref(), s[0].score),
        ("134c704f-9b21-4f2e-91b3-4a467353bcc0", Some("Secondary"), Some(5.3))
    );
    // Disputed tag: parsed like any other.
    assert!(out.contains_key("CVE-2022-29361"));
    assert!(out.values().all(|c| c.severities.iter().all(|s| s.kind != SeverityKind::CvssV4)));
}

#[test]
fn computed_scores_agree_with_nvd() {
    // The vector scored by severity.rs matches NVD's own score and rating, every entry.
    let (_, out) = page(&read("nvdcve-2.0-subset.json"));
    for c in out.values() {
        for s in &c.severities {
            let vector = s.vector.as_deref().expect("vector");
            let ours = severity::from_cvss_vector("x", vector).expect("scores");
            assert_eq!(
                (ours.kind, ours.score, ours.rating.as_deref()),
                (s.kind, s.score, s.rating.as_deref()),
                "{} {vector}",
                c.id
            );
        }
    }
}

#[test]
fn bad_input() {
    let plain = read("nvdcve-2.0-subset.json");
    // Truncated plain and gzip files: an error, and nothing emitted.
    for cut in [1, plain.len() / 2, plain.len() - 2] {
        let (r, n) = feed(&plain[..cut]);
        assert!(r.is_err() && n == 0, "plain cut at {cut}");
    }
    let gz = read("nvdcve-2.0-subset.json.gz");
    for cut in [2, 10, gz.len() / 2, gz.len() - 4] {
        let (r, n) = feed(&gz[..cut]);
        assert!(r.is_err() && n == 0, "gzip cut at {cut}");
    }
    assert!(feed(b"not json").0.is_err());
    assert!(feed(b"[]").0.is_err());
    assert!(feed(br#"{"totalResults": 0}"#).0.is_err(), "no vulnerabilities");
    assert!(feed(br#"{"vulnerabilities": {}}"#).0.is_err());
    // parse_page needs the paging fields; parse_feed does not.
    assert!(page(br#"{"vulnerabilities": []}"#).0.is_err());
    assert_eq!(feed(br#"{"vulnerabilities": []}"#).0.expect("empty feed").records, 0);
    // Bad records are skipped and counted.
    let doc = br#"{"startIndex": 0, "resultsPerPage": 5, "totalResults": 5, "vulnerabilities": [
        1, {"x": 1}, {"cve": {"descriptions": []}}, {"cve": {"id": "CVE-1", "metrics": {"cvssMetricV31": "x"}}},
        {"cve": {"id": "CVE-2", "metrics": {"cvssMetricV31": [{"cvssData": {"vectorString": "junk", "baseScore": 4.0}}]}}}
    ]}"#;
    let (r, out) = page(doc);
    let (_, stats) = r.expect("readable");
    assert_eq!((stats.records, stats.skipped), (1, 4), "{:?}", stats.skip_reasons);
    let s = &out["CVE-2"].severities[0];
    assert_eq!((s.score, s.rating.as_deref(), s.source.as_str()), (Some(4.0), None, "nvd"));
    // Gzip of a small document works too.
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(doc).expect("gzip");
    let (r, _) = page(&enc.finish().expect("gzip"));
    assert_eq!(r.expect("gzip doc").1.records, 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let _ = page(&bytes);
        let mut gz = vec![0x1f, 0x8b];
        gz.extend_from_slice(&bytes);
        let _ = feed(&gz);
    }

    #[test]
    fn metric_garbage_never_panics(
        vector in "(CVSS:3\\.1/|CVSS:4\\.0/|CVSS:2\\.0/)?([A-Za-z]{1,3}:[A-Za-z]{0,2}/?){0,12}",
        score in proptest::option::of(-20.0f64..20.0),
    ) {
        let doc = serde_json::json!({"vulnerabilities": [{"cve": {"id": "CVE-1", "metrics": {
            "cvssMetricV31": [{"cvssData": {"vectorString": vector, "baseScore": score}}],
            "cvssMetricV40": [{"cvssData": {"vectorString": vector}}],
        }}}]});
        let mut scores = Vec::new();
        let r = nvd::parse_feed(doc.to_string().as_bytes(), "nvd", &mut |r| {
            if let Record::Nvd(c) = r {
                scores.extend(c.severities.iter().filter_map(|s| s.score));
            }
        });
        prop_assert!(r.is_ok());
        for s in scores {
            prop_assert!((0.0..=10.0).contains(&s), "stored score {s}");
        }
        if let Some(given) = score.filter(|s| (0.0..=10.0).contains(s)) {
            // An in-range score from the feed is kept as given.
            let mut kept = false;
            let _ = nvd::parse_feed(doc.to_string().as_bytes(), "nvd", &mut |r| {
                if let Record::Nvd(c) = r {
                    kept |= c.severities.iter().any(|s| s.score.is_some_and(|s| (s - given).abs() < 1e-9));
                }
            });
            prop_assert!(kept, "score {given} dropped");
        }
    }
}
