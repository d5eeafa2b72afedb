//! The matcher against a real SQLite database built from feed records: Alpine secdb
//! entries as published (v3.18 `main.json`), and OSV records in their published shapes.

use brig_advisory::Record;
use brig_db::{Builder, Db, SourceMeta, install};
use brig_match::{FixState, Matcher, Matches, Severity};
use serde_json::{Value, json};

/// Two packages of Alpine v3.18's secdb, verbatim.
const SECDB_V318: &str = r#"{"apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
 "archs": ["x86_64"], "reponame": "main", "urlprefix": "https://dl-cdn.alpinelinux.org/alpine", "distroversion": "v3.18",
 "packages": [
  {"pkg": {"name": "busybox", "secfixes": {"0": ["CVE-2021-42373", "CVE-2021-42376", "CVE-2021-42377"], "1.27.2-r4": ["CVE-2017-16544", "CVE-2017-15873", "CVE-2017-15874"], "1.28.3-r2": ["CVE-2018-1000500"], "1.29.3-r10": ["CVE-2018-20679"], "1.30.1-r2": ["CVE-2019-5747"], "1.33.0-r5": ["CVE-2021-28831"], "1.34.0-r0": ["CVE-2021-42374", "CVE-2021-42375", "CVE-2021-42378", "CVE-2021-42379", "CVE-2021-42380", "CVE-2021-42381", "CVE-2021-42382", "CVE-2021-42383", "CVE-2021-42384", "CVE-2021-42385", "CVE-2021-42386"], "1.35.0-r17": ["CVE-2022-30065"], "1.35.0-r7": ["ALPINE-13661", "CVE-2022-28391"], "1.36.1-r1": ["CVE-2022-48174"], "1.36.1-r6": ["CVE-2023-42366"], "1.36.1-r7": ["CVE-2023-42363", "CVE-2023-42364", "CVE-2023-42365"]}}},
  {"pkg": {"name": "musl", "secfixes": {"1.1.15-r4": ["CVE-2016-8859"], "1.1.23-r2": ["CVE-2019-14697"], "1.2.2_pre2-r0": ["CVE-2020-28928"]}}}
 ]}"#;

fn osv(v: Value) -> Record {
    Record::Advisory(brig_advisory::osv::parse_record(v.to_string().as_bytes(), "test").expect("valid OSV"))
}

fn range(introduced: &str, fixed: Option<&str>) -> Value {
    let mut events = vec![json!({"introduced": introduced})];
    if let Some(f) = fixed {
        events.push(json!({"fixed": f}));
    }
    json!([{"type": "ECOSYSTEM", "events": events}])
}

fn pypi(id: &str, aliases: &[&str], name: &str, introduced: &str, fixed: &str) -> Value {
    json!({"id": id, "modified": "2024-01-01T00:00:00Z", "aliases": aliases,
           "affected": [{"package": {"ecosystem": "PyPI", "name": name}, "ranges": range(introduced, Some(fixed))}]})
}

/// A database holding `feeds` (origin, records), in a temporary directory.
fn database(feeds: Vec<(&str, Vec<Record>)>) -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Builder::create(&dir.path().join("building")).unwrap();
    for (origin, records) in &feeds {
        for r in records {
            b.add(origin, r).unwrap();
        }
        b.set_source(&SourceMeta {
            name: origin.to_string(),
            url: format!("http://mirror/{origin}"),
            ..SourceMeta::default()
        })
        .unwrap();
    }
    let built = b.finish().unwrap();
    install(&built, &dir.path().join("brig.db")).unwrap();
    let db = Db::open(&dir.path().join("brig.db")).unwrap();
    (dir, db)
}

fn secdb_records() -> Vec<Record> {
    let mut out = Vec::new();
    brig_advisory::alpine::parse_secdb(SECDB_V318.as_bytes(), "alpine-secdb/v3.18/main.json", &mut |r| out.push(r))
        .unwrap();
    out
}

/// Matches the packages named by `purls` (on `os`, e.g. `alpine 3.18.4`) in `db`.
fn scan(db: &Db, os: Option<(&str, &str)>, purls: &[&str]) -> Matches {
    let mut components: Vec<Value> = purls
        .iter()
        .enumerate()
        .map(|(i, p)| json!({"type": "library", "bom-ref": i.to_string(), "name": p, "purl": p}))
        .collect();
    if let Some((id, version)) = os {
        components.push(json!({"type": "operating-system", "bom-ref": "os", "name": id, "version": version}));
    }
    let doc = json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components});
    let sbom = brig_sbom::import::read_sbom(doc.to_string().as_bytes()).unwrap();
    Matcher::new(db).run(&sbom).unwrap()
}

/// (id, package name, fixed version) of every finding.
fn found(m: &Matches) -> Vec<(String, String, Option<String>)> {
    let mut v: Vec<_> =
        m.findings.iter().map(|f| (f.id.clone(), f.package.name.clone(), f.fixed_version.clone())).collect();
    v.sort();
    v
}

fn triple(id: &str, pkg: &str, fixed: &str) -> (String, String, Option<String>) {
    (id.into(), pkg.into(), Some(fixed.into()))
}

#[test]
fn alpine_secdb_positives_and_point_release_negatives() {
    let (_dir, db) = database(vec![("alpine-secdb/v3.18/main.json", secdb_records())]);
    // busybox 1.36.1-r5 misses the r6 and r7 fixes; its subpackage ssl_client is matched
    // through its origin; r7 is clean; musl before 1.2.2_pre2 is affected (a pre-release
    // suffix sorts before the release), 1.2.4 is not.
    let m = scan(
        &db,
        Some(("alpine", "3.18.4")),
        &[
            "pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64",
            "pkg:apk/alpine/ssl_client@1.36.1-r5?arch=x86_64&upstream=busybox",
            "pkg:apk/alpine/busybox-binsh@1.36.1-r7?arch=x86_64&upstream=busybox",
            "pkg:apk/alpine/musl@1.2.2_pre1-r0?arch=x86_64",
            "pkg:apk/alpine/musl-utils@1.2.4-r2?arch=x86_64&upstream=musl",
        ],
    );
    let mut want = Vec::new();
    for pkg in ["busybox", "ssl_client"] {
        want.push(triple("CVE-2023-42363", pkg, "1.36.1-r7"));
        want.push(triple("CVE-2023-42364", pkg, "1.36.1-r7"));
        want.push(triple("CVE-2023-42365", pkg, "1.36.1-r7"));
        want.push(triple("CVE-2023-42366", pkg, "1.36.1-r6"));
    }
    want.push(triple("CVE-2020-28928", "musl", "1.2.2_pre2-r0"));
    want.sort();
    assert_eq!(found(&m), want);
    let ssl = m.findings.iter().find(|f| f.package.name == "ssl_client").unwrap();
    assert_eq!(ssl.package.source_name.as_deref(), Some("busybox"), "reported as the binary, with its source");
    assert_eq!(ssl.ecosystem, "Alpine:v3.18");
    assert!(m.findings.iter().all(|f| f.state == FixState::Fixed));

    // Exactly at a fixed version, and the `0` entries (never affected): nothing.
    let m = scan(&db, Some(("alpine", "3.18.0")), &["pkg:apk/alpine/busybox@1.36.1-r7"]);
    assert!(m.findings.is_empty(), "{:?}", found(&m));
    let m = scan(&db, Some(("alpine", "3.18.0")), &["pkg:apk/alpine/busybox@1.33.0-r4"]);
    assert!(found(&m).contains(&triple("CVE-2021-28831", "busybox", "1.33.0-r5")));
    assert!(!found(&m).iter().any(|(id, _, _)| id == "CVE-2021-42373"), "secfixes `0` never affects");
    // The ALPINE-13661 entry is its own finding.
    assert!(found(&m).iter().any(|(id, _, _)| id == "ALPINE-13661"));
}

#[test]
fn releases_are_kept_apart() {
    let (_dir, db) = database(vec![("alpine-secdb/v3.18/main.json", secdb_records())]);
    let m = scan(&db, Some(("alpine", "3.9.6")), &["pkg:apk/alpine/busybox@1.29.3-r10"]);
    assert!(m.findings.is_empty(), "v3.18 data does not apply to v3.9: {:?}", found(&m));
    let debian = osv(json!({"id": "DSA-0001-1", "modified": "2024-01-01T00:00:00Z", "upstream": ["CVE-2024-0001"],
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"}, "ranges": range("0", Some("3.0.11-1~deb12u2"))}]}));
    let (_dir, db) = database(vec![("osv/Debian/all.zip", vec![debian])]);
    let purl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&upstream=openssl";
    assert_eq!(
        found(&scan(&db, Some(("debian", "12")), &[purl])),
        [triple("CVE-2024-0001", "libssl3", "3.0.11-1~deb12u2")]
    );
    assert!(scan(&db, Some(("debian", "11")), &[purl]).findings.is_empty(), "Debian:11 is not Debian:12");
}

#[test]
fn aliases_merge_and_multi_cve_advisories_split() {
    let dsa = osv(json!({"id": "DSA-5000-1", "modified": "2024-01-01T00:00:00Z",
        "upstream": ["CVE-2024-1111", "CVE-2024-2222"],
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "curl"}, "ranges": range("0", Some("7.88.1-10+deb12u5"))}]}));
    let tracker = osv(json!({"id": "CVE-2024-1111", "modified": "2024-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "curl"}, "ranges": range("0", Some("7.88.1-10+deb12u6"))}]}));
    let pysec = osv(pypi("PYSEC-2024-1", &["CVE-2024-3333"], "Django", "3.2", "3.2.25"));
    let ghsa = osv(pypi("GHSA-aaaa-bbbb-cccc", &["CVE-2024-3333"], "django", "3.2", "3.2.25"));
    let other = osv(pypi("PYSEC-2024-2", &[], "django", "0", "3.2.20"));
    let (_dir, db) =
        database(vec![("osv/Debian/all.zip", vec![dsa, tracker]), ("osv/PyPI/all.zip", vec![pysec, ghsa, other])]);
    let m = scan(
        &db,
        Some(("debian", "12")),
        &["pkg:deb/debian/curl@7.88.1-10+deb12u4?upstream=curl", "pkg:pypi/django@3.2.4"],
    );
    let by_id = |id: &str| m.findings.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("no {id}: {:?}", found(&m)));
    // The DSA covers two CVEs: one finding each, both naming the DSA; the tracker's later
    // fix for one of them is the version that clears it.
    assert_eq!(by_id("CVE-2024-1111").aliases, ["DSA-5000-1"]);
    assert_eq!(by_id("CVE-2024-1111").fixed_version.as_deref(), Some("7.88.1-10+deb12u6"));
    assert_eq!(by_id("CVE-2024-2222").aliases, ["DSA-5000-1"]);
    assert_eq!(by_id("CVE-2024-2222").fixed_version.as_deref(), Some("7.88.1-10+deb12u5"));
    // PYSEC and GHSA share a CVE: one finding listing all three ids (the name is PEP 503
    // normalised on both sides).
    assert_eq!(by_id("CVE-2024-3333").aliases, ["GHSA-aaaa-bbbb-cccc", "PYSEC-2024-1"]);
    assert_eq!(by_id("CVE-2024-3333").advisories.len(), 2);
    assert_eq!(by_id("PYSEC-2024-2").aliases, Vec::<String>::new());
    assert_eq!(m.findings.len(), 4);
}

#[test]
fn withdrawn_informational_and_unparseable() {
    let withdrawn = osv(
        json!({"id": "GHSA-wwww-wwww-wwww", "modified": "2024-01-01T00:00:00Z", "withdrawn": "2024-02-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "crates.io", "name": "smallvec"}, "ranges": range("0", Some("1.6.1"))}]}),
    );
    let unmaintained = osv(
        json!({"id": "RUSTSEC-2016-0005", "modified": "2024-01-01T00:00:00Z", "summary": "rust-crypto is unmaintained",
        "affected": [{"package": {"ecosystem": "crates.io", "name": "rust-crypto"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}]}],
                      "database_specific": {"informational": "unmaintained"}}]}),
    );
    let vuln = osv(
        json!({"id": "RUSTSEC-2022-0011", "modified": "2024-01-01T00:00:00Z", "aliases": ["GHSA-r3fc-9v7g-7r8c"],
        "affected": [{"package": {"ecosystem": "crates.io", "name": "rust-crypto"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}]}]}]}),
    );
    let bad_range = osv(pypi("PYSEC-2024-9", &[], "flask", "0", "not a version!"));
    let (_dir, db) = database(vec![
        ("osv/crates.io/all.zip", vec![withdrawn, unmaintained, vuln]),
        ("osv/PyPI/all.zip", vec![bad_range]),
    ]);
    let m = scan(
        &db,
        None,
        &["pkg:cargo/smallvec@1.6.0", "pkg:cargo/rust-crypto@0.2.36", "pkg:pypi/flask@1.1.2", "pkg:pypi/django@3.2.x!"],
    );
    assert_eq!(found(&m), [("GHSA-r3fc-9v7g-7r8c".into(), "rust-crypto".into(), None)]);
    assert_eq!(m.findings[0].state, FixState::NotFixed);
    assert_eq!(m.notices.len(), 1);
    assert_eq!((m.notices[0].id.as_str(), m.notices[0].kind.as_str()), ("RUSTSEC-2016-0005", "unmaintained"));
    // The advisory's bad version is named; the installed version that cannot be parsed is
    // reported only when an advisory concerns the package (django has none here).
    assert_eq!(m.unchecked.len(), 1, "{:?}", m.unchecked);
    assert_eq!(m.unchecked[0].package.name, "flask");
    assert_eq!(m.unchecked[0].advisory.as_deref(), Some("PYSEC-2024-9"));
    assert!(m.unchecked[0].reason.contains("not a version!"), "{}", m.unchecked[0].reason);
}

#[test]
fn severity_prefers_own_cvss_then_nvd() {
    let own =
        osv(json!({"id": "GHSA-1111-2222-3333", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2024-5000"],
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N"}],
        "affected": [{"package": {"ecosystem": "npm", "name": "lodash"}, "ranges": range("0", Some("4.17.21"))}]}));
    let bare =
        osv(json!({"id": "GHSA-4444-5555-6666", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2024-6000"],
        "affected": [{"package": {"ecosystem": "npm", "name": "lodash"}, "ranges": range("0", Some("4.17.21"))}]}));
    let nvd = |id: &str, v31: &str, score: f64, v2: &str| {
        let mut out = Vec::new();
        let doc = json!({"vulnerabilities": [{"cve": {"id": id, "published": "2024-01-01T00:00:00.000", "lastModified": "2024-01-02T00:00:00.000",
        "descriptions": [{"lang": "en", "value": "A flaw. More text."}],
        "metrics": {
            "cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "3.1", "vectorString": v31, "baseScore": score, "baseSeverity": "CRITICAL"}}],
            "cvssMetricV2": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "2.0", "vectorString": v2, "baseScore": 5.0}, "baseSeverity": "MEDIUM"}]
        }}}]});
        brig_advisory::nvd::parse_feed(doc.to_string().as_bytes(), "nvd", &mut |r| out.push(r)).unwrap();
        out
    };
    let mut nvd_records =
        nvd("CVE-2024-5000", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "AV:N/AC:L/Au:N/C:P/I:P/A:P");
    nvd_records.extend(nvd(
        "CVE-2024-6000",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        9.8,
        "AV:N/AC:L/Au:N/C:P/I:P/A:P",
    ));
    let (_dir, db) = database(vec![("osv/npm/all.zip", vec![own, bare]), ("nvd/feed", nvd_records)]);
    let m = scan(&db, None, &["pkg:npm/lodash@4.17.15"]);
    let get = |id: &str| m.findings.iter().find(|f| f.id == id).unwrap();
    // The advisory's own vector wins over NVD's, even though NVD's is worse.
    let f = get("CVE-2024-5000");
    assert_eq!((f.severity, f.severity_source.as_deref()), (Severity::Low, Some("test")), "{f:?}");
    assert_eq!(f.cvss.as_ref().map(|c| c.score), Some(3.7));
    // No rating of its own: NVD's v3.1 (not its v2) decides.
    let f = get("CVE-2024-6000");
    assert_eq!((f.severity, f.severity_source.as_deref()), (Severity::Critical, Some("nvd@nist.gov")));
    let c = f.cvss.as_ref().unwrap();
    assert_eq!((c.version.as_str(), c.score), ("3.1", 9.8));
    assert_eq!(f.title.as_deref(), Some("A flaw."));
}
