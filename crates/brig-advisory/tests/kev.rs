//! CISA KEV parser against the corpus catalog (count from the corpus README).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use brig_advisory::{FeedError, FeedStats, KevEntry, Record, kev};
use proptest::prelude::*;

fn feeds() -> PathBuf {
    let shared = std::env::var_os("BRIG_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    shared.join("corpus/feeds")
}

fn parse(bytes: &[u8]) -> (Result<FeedStats, FeedError>, Vec<KevEntry>) {
    let mut out = Vec::new();
    let r = kev::parse(bytes, "kev", &mut |r| match r {
        Record::Kev(e) => out.push(e),
        other => panic!("unexpected {other:?}"),
    });
    (r, out)
}

#[test]
fn catalog_count_and_entries() {
    let path = feeds().join("kev/known_exploited_vulnerabilities.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (r, out) = parse(&bytes);
    let stats = r.expect("catalog parses");
    assert_eq!(stats.records, 1404);
    assert_eq!(stats.counts.get("vulnerabilities"), Some(&1404));
    assert_eq!(stats.skipped, 0, "{:?}", stats.skip_reasons);
    assert_eq!(out.len(), 1404);

    let first = &out[0];
    assert_eq!(first.cve, "CVE-2025-48384");
    assert_eq!((first.vendor.as_str(), first.product.as_str()), ("Git", "Git"));
    assert_eq!(first.name, "Git Link Following Vulnerability");
    assert_eq!(first.date_added, "2025-08-25");
    assert_eq!(first.due_date.as_deref(), Some("2025-09-15"));
    assert_eq!(first.ransomware.as_deref(), Some("Unknown"));
    assert_eq!(first.cwes, ["CWE-59", "CWE-436"]);
    assert!(
        first.required_action.as_deref().is_some_and(|a| a.starts_with("Apply mitigations per vendor instructions"))
    );
    assert!(first.notes.as_deref().is_some_and(|n| n.ends_with("https://nvd.nist.gov/vuln/detail/CVE-2025-48384")));

    let log4j = out.iter().find(|e| e.cve == "CVE-2021-44228").expect("log4shell");
    assert_eq!((log4j.vendor.as_str(), log4j.product.as_str()), ("Apache", "Log4j2"));
    assert_eq!(log4j.ransomware.as_deref(), Some("Known"));
    assert_eq!(log4j.date_added, "2021-12-10");
    assert_eq!(log4j.cwes, ["CWE-20", "CWE-400", "CWE-502"]);
    assert!(log4j.description.as_deref().is_some_and(|d| d.contains("Log4j2")), "{:?}", log4j.description);

    let mut ransomware = BTreeMap::new();
    for e in &out {
        *ransomware.entry(e.ransomware.clone().unwrap_or_default()).or_insert(0) += 1;
    }
    assert_eq!(ransomware, BTreeMap::from([("Known".to_owned(), 293), ("Unknown".to_owned(), 1111)]));
}

#[test]
fn bad_input() {
    assert!(parse(b"").0.is_err());
    assert!(parse(b"<html>").0.is_err());
    assert!(parse(b"[]").0.is_err());
    assert!(parse(br#"{"count": 0}"#).0.is_err(), "no vulnerabilities");
    assert!(parse(br#"{"vulnerabilities": "x"}"#).0.is_err());
    // Truncated after a good entry: nothing is emitted.
    let (r, out) = parse(br#"{"vulnerabilities": [{"cveID": "CVE-1", "dateAdded": "2024-01-01"}, {"cveID""#);
    assert!(r.is_err());
    assert!(out.is_empty());
    let (r, out) = parse(
        br#"{"vulnerabilities": [{"cveID": "CVE-1", "dateAdded": "2024-01-01", "notes": "", "cwes": []},
            {"dateAdded": "2024-01-01"}, {"cveID": "CVE-2"}, {"cveID": 5, "dateAdded": "x"}, "x",
            {"cveID": "CVE-3", "dateAdded": "2024-01-02", "cwes": "CWE-79"}]}"#,
    );
    let stats = r.expect("readable");
    assert_eq!((stats.records, stats.skipped), (1, 5), "{:?}", stats.skip_reasons);
    assert_eq!(stats.counts.get("vulnerabilities"), Some(&6));
    assert_eq!(out[0].notes, None, "empty notes read as none");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn entry_garbage_never_panics(fields in proptest::collection::btree_map(
        "(cveID|dateAdded|cwes|notes|dueDate|[a-z]{1,4})",
        prop_oneof![Just(serde_json::Value::Null), any::<i64>().prop_map(Into::into), "[ -~]{0,8}".prop_map(Into::into)],
        0..6,
    )) {
        let entry: serde_json::Map<String, serde_json::Value> = fields.into_iter().collect();
        let doc = serde_json::json!({"vulnerabilities": [entry]});
        prop_assert!(parse(doc.to_string().as_bytes()).0.is_ok());
    }
}
