//! `brig scan`, `explain` and `diff` on the shared corpus, with the database built from the
//! corpus feed mirror served by a real nginx. Findings are compared with independent
//! oracles (tests/oracles/): dpkg itself for Debian, apk-tools' rules for Alpine, the
//! `packaging` library for PyPI, node-semver for npm.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::http::Nginx;
use common::*;
use serde_json::{Value, json};

type Pairs = BTreeSet<(String, String)>;

/// A database built from the corpus mirror, and the nginx serving it.
struct Scanner {
    nginx: Nginx,
    env: Env,
}

impl Scanner {
    fn new() -> Scanner {
        Self::with_config("")
    }

    fn with_config(extra: &str) -> Scanner {
        let nginx = Nginx::serve(&feeds());
        let env = Env::new(&nginx.url, extra);
        let o = env.update(&nginx.url, &[]);
        assert!(o.status.success(), "db update failed: {}", stderr(&o));
        Scanner { nginx, env }
    }

    fn brig(&self, args: &[&str]) -> Output {
        self.env.brig(args)
    }

    fn scan(&self, target: &Path, extra: &[&str]) -> Value {
        let mut args = vec!["scan", target.to_str().unwrap(), "--format", "json"];
        args.extend_from_slice(extra);
        stdout_json(&self.brig(&args))
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.env.sb.path(rel)
    }
}

fn oracle(script: &str, args: &[&Path]) -> Pairs {
    let python = python();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles").join(script);
    let o =
        Command::new(&python).arg(&script).args(args).output().unwrap_or_else(|e| {
            panic!("cannot run {python}: {e}; run scripts/test, which installs the oracles' tools")
        });
    assert!(o.status.success(), "oracle {} failed: {}", script.display(), String::from_utf8_lossy(&o.stderr));
    let list: Vec<(String, String)> = serde_json::from_slice(&o.stdout).expect("oracle prints JSON pairs");
    assert!(!list.is_empty(), "oracle {} found nothing: the comparison would be vacuous", script.display());
    list.into_iter().collect()
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings")
}

/// (advisory id, package name) for every advisory from a feed whose name starts with
/// `source`, over all findings.
fn advisory_pairs(report: &Value, source: &str, name: impl Fn(&str) -> String) -> Pairs {
    findings(report)
        .iter()
        .flat_map(|f| {
            let pkg = name(f["package"]["name"].as_str().unwrap());
            f["advisories"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["source"].as_str().unwrap().starts_with(source))
                .map(move |a| (a["id"].as_str().unwrap().to_owned(), pkg.clone()))
        })
        .collect()
}

/// (finding id, package name, version) of every finding: what two scans of the same
/// packages must agree on.
fn finding_keys(report: &Value) -> BTreeSet<(String, String, String)> {
    findings(report)
        .iter()
        .map(|f| {
            let s = |v: &Value| v.as_str().unwrap().to_owned();
            (s(&f["id"]), s(&f["package"]["name"]), s(&f["package"]["version"]))
        })
        .collect()
}

fn same(name: &str) -> String {
    name.to_owned()
}

fn pep503(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn osv_zip(ecosystem: &str) -> PathBuf {
    feeds().join("osv").join(ecosystem).join("all.zip")
}

#[test]
fn debian_findings_equal_the_dpkg_oracle() {
    let s = Scanner::new();
    let target = image("debian-11-minbase.tar");
    let report = s.scan(&target, &[]);
    let truth_file = target.with_extension("truth.json");
    let want = oracle("debian.py", &[&truth_file, &osv_zip("Debian"), Path::new("11")]);
    assert_eq!(advisory_pairs(&report, "osv/Debian/", same), want);
    for f in findings(&report) {
        assert_eq!(f["ecosystem"], "Debian:11");
        assert_eq!(f["package"]["type"], "deb");
        assert!(f["package"]["source_name"].is_string(), "the source package is reported: {f}");
        assert!(f["id"].as_str().unwrap().starts_with("CVE-"), "{}", f["id"]);
    }
    // The README's figure: 117 findings in 27 packages.
    let packages: BTreeSet<&str> = findings(&report).iter().map(|f| f["package"]["name"].as_str().unwrap()).collect();
    assert_eq!((findings(&report).len(), packages.len()), (117, 27));
}

#[test]
fn alpine_findings_equal_the_secdb_oracle() {
    let s = Scanner::new();
    let vectors = shared().join("corpus/version-vectors");
    for (name, release) in [("alpine-3.9.6.tar", "v3.9"), ("alpine-3.18.9.oci.tar", "v3.18")] {
        let target = image(name);
        let report = s.scan(&target, &[]);
        let truth_file = target.with_extension("truth.json");
        let secdb = feeds().join("alpine-secdb").join(release);
        let want =
            oracle("alpine.py", &[&truth_file, &vectors, &secdb.join("main.json"), &secdb.join("community.json")]);
        assert_eq!(advisory_pairs(&report, "alpine-secdb/", same), want, "{name}");
        // Alpine's OSV feed is generated from the same secdb: it must agree exactly.
        let osv = advisory_pairs(&report, "osv/Alpine/", |n| n.to_owned());
        let osv: Pairs = osv.into_iter().map(|(id, p)| (id.trim_start_matches("ALPINE-").to_owned(), p)).collect();
        assert_eq!(osv, want, "{name}: OSV Alpine");
        // One finding per (CVE, package), each matched in its own release.
        assert_eq!(findings(&report).len(), want.len(), "{name}");
        for f in findings(&report) {
            assert_eq!(f["ecosystem"], format!("Alpine:{release}"));
            assert_eq!(f["state"], "fixed", "{f}");
        }
    }
}

/// Percent-encodes a purl component (everything but unreserved characters and `:`).
fn purl_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' | b':' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A CycloneDX 1.6 document listing every package of a truth file, written here from the
/// truth (not by brig), for scanning packages brig's catalogers do not read yet.
fn truth_cyclonedx(truth: &Value) -> Value {
    let distro = &truth["distro"];
    let (id, version) = (distro["id"].as_str().unwrap(), distro["version_id"].as_str().unwrap());
    let mut components = vec![json!({
        "type": "operating-system", "bom-ref": "os", "name": id, "version": version,
    })];
    let os_type = if id == "alpine" { "apk" } else { "deb" };
    for (i, p) in truth["os_packages"].as_array().unwrap().iter().enumerate() {
        let s = |k: &str| p[k].as_str().unwrap();
        let upstream = if s("version") == s("source_version") {
            s("source_name").to_owned()
        } else {
            format!("{}@{}", s("source_name"), s("source_version"))
        };
        let purl = format!(
            "pkg:{os_type}/{id}/{}@{}?arch={}&distro={id}-{version}&upstream={}",
            purl_escape(s("name")),
            purl_escape(s("version")),
            s("arch"),
            purl_escape(&upstream)
        );
        components.push(json!({"type": "library", "bom-ref": format!("os-{i}"), "name": s("name"), "version": s("version"), "purl": purl}));
    }
    for (i, p) in truth["language_packages"].as_array().unwrap().iter().enumerate() {
        let (eco, name, ver) =
            (p["ecosystem"].as_str().unwrap(), p["name"].as_str().unwrap(), p["version"].as_str().unwrap());
        let purl = match (eco, name.split_once('/')) {
            ("npm", Some((scope, n))) => {
                format!("pkg:npm/{}/{}@{}", purl_escape(scope), purl_escape(n), purl_escape(ver))
            }
            _ => format!("pkg:{eco}/{}@{}", purl_escape(name), purl_escape(ver)),
        };
        components.push(json!({
            "type": "library", "bom-ref": format!("lang-{i}"), "name": name, "version": ver, "purl": purl,
            "evidence": {"occurrences": [{"location": p["path"]}]},
        }));
    }
    json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "metadata": {"component": {"type": "container", "bom-ref": "image", "name": truth["image"]}},
        "components": components,
    })
}

fn write_json(path: &Path, v: &Value) {
    std::fs::write(path, serde_json::to_vec_pretty(v).unwrap()).unwrap();
}

/// The NVD subset's CVSS data per CVE: (base score, vector, severity) of the primary metric.
fn nvd_metrics() -> std::collections::BTreeMap<String, (f64, String, String)> {
    let gz = std::fs::read(feeds().join("nvd/nvdcve-2.0-subset.json.gz")).unwrap();
    let mut text = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut text).unwrap();
    let doc: Value = serde_json::from_slice(&text).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for v in doc["vulnerabilities"].as_array().unwrap() {
        let cve = &v["cve"];
        // NVD's own ("Primary") metric of the newest CVSS version present.
        for key in ["cvssMetricV40", "cvssMetricV31", "cvssMetricV30", "cvssMetricV2"] {
            let Some(ms) = cve["metrics"][key].as_array() else { continue };
            let Some(m) = ms.iter().find(|m| m["type"] == "Primary") else { continue };
            let d = &m["cvssData"];
            let severity = d["baseSeverity"].as_str().or(m["baseSeverity"].as_str()).unwrap().to_lowercase();
            out.insert(
                cve["id"].as_str().unwrap().to_owned(),
                (d["baseScore"].as_f64().unwrap(), d["vectorString"].as_str().unwrap().to_owned(), severity),
            );
            break;
        }
    }
    out
}

#[test]
fn python_packages_equal_the_packaging_oracle_and_take_nvd_severity() {
    let s = Scanner::new();
    let truth_file = image("python-app.tar").with_extension("truth.json");
    let sbom = s.path("work/python-app.cdx.json");
    write_json(&sbom, &truth_cyclonedx(&truth("python-app.tar")));
    let report = s.scan(&sbom, &[]);

    let want_pypi = oracle("pypi.py", &[&truth_file, &osv_zip("PyPI")]);
    assert_eq!(advisory_pairs(&report, "osv/PyPI/", pep503), want_pypi);
    // The Debian packages of the same document, against dpkg.
    let want_debian = oracle("debian.py", &[&truth_file, &osv_zip("Debian"), Path::new("11")]);
    assert_eq!(advisory_pairs(&report, "osv/Debian/", same), want_debian);
    // The image itself, cataloged by brig, gives the same findings.
    let from_image = s.scan(&image("python-app.tar"), &[]);
    assert_eq!(advisory_pairs(&from_image, "osv/PyPI/", pep503), want_pypi);
    assert_eq!(advisory_pairs(&from_image, "osv/Debian/", same), want_debian);
    // PyYAML is installed twice (pip, and Debian's egg-info): both copies are findings.
    let pyyaml: Vec<&Value> = findings(&report).iter().filter(|f| f["package"]["name"] == "pyyaml").collect();
    assert!(pyyaml.len() >= 2, "{pyyaml:?}");

    // Findings whose advisories carry no severity get NVD's CVSS data exactly.
    let nvd = nvd_metrics();
    let mut checked = 0;
    for f in findings(&report) {
        let ids: Vec<&str> = std::iter::once(&f["id"])
            .chain(f["aliases"].as_array().into_iter().flatten())
            .filter_map(Value::as_str)
            .collect();
        let Some((score, vector, severity)) = ids.iter().find_map(|i| nvd.get(*i)) else { continue };
        if f["severity_source"].as_str().is_some_and(|s| !s.starts_with("nvd")) {
            continue; // the advisory rated it itself
        }
        assert_eq!(f["severity"].as_str(), Some(severity.as_str()), "{f}");
        assert_eq!(f["cvss"]["score"].as_f64(), Some(*score), "{f}");
        assert_eq!(f["cvss"]["vector"].as_str(), Some(vector.as_str()), "{f}");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} findings had NVD data to check");
}

#[test]
fn npm_packages_equal_the_node_semver_oracle() {
    let node_modules = peer("BRIG_TEST_NODE_MODULES", "target/oracle-node/node_modules");
    let s = Scanner::new();
    let truth_file = image("node-app.tar").with_extension("truth.json");
    let sbom = s.path("work/node-app.cdx.json");
    write_json(&sbom, &truth_cyclonedx(&truth("node-app.tar")));
    let report = s.scan(&sbom, &[]);
    let want = oracle("npm.py", &[&truth_file, &osv_zip("npm"), &node_modules]);
    assert_eq!(advisory_pairs(&report, "osv/npm/", same), want);
    // The image itself (the first of the archive's two images), cataloged by brig.
    let from_image = s.scan(&image("node-app.tar"), &[]);
    assert_eq!(advisory_pairs(&from_image, "osv/npm/", same), want);
    // GitHub advisories rate themselves: the severity says so.
    for f in findings(&report).iter().filter(|f| f["package"]["type"] == "npm") {
        assert_ne!(f["severity"], "unknown", "{f}");
        assert!(f["id"].as_str().unwrap().starts_with("CVE-") || f["id"].as_str().unwrap().starts_with("GHSA-"));
    }
}

#[test]
fn brig_sboms_scan_like_the_image() {
    let s = Scanner::new();
    let target = image("alpine-3.9.6.tar");
    let direct = finding_keys(&s.scan(&target, &[]));
    assert_eq!(direct.len(), 14);
    for format in ["json", "cyclonedx", "spdx-json"] {
        let file = s.path(&format!("work/sbom.{format}"));
        let o = s.brig(&["sbom", target.to_str().unwrap(), "-f", format, "-o", file.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let report = s.scan(&file, &[]);
        assert_eq!(finding_keys(&report), direct, "scan of the {format} SBOM");
        assert_eq!(report["packages"], 14);
    }
}

#[test]
fn fail_on_sets_the_exit_status() {
    let s = Scanner::new();
    let sbom = s.path("work/python.cdx.json");
    write_json(&sbom, &truth_cyclonedx(&truth("python-app.tar")));
    let sbom = sbom.to_str().unwrap();
    let report = s.scan(Path::new(sbom), &[]);
    let worst = findings(&report).iter().map(|f| f["severity"].as_str().unwrap()).collect::<BTreeSet<_>>();
    assert!(worst.contains("critical"), "python-app has critical findings: {worst:?}");

    let o = s.brig(&["scan", sbom, "--fail-on", "critical", "-q"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!o.stdout.is_empty(), "the report is still written");
    // Nothing critical left after filtering: the policy passes.
    let o = s.brig(&["scan", sbom, "--fail-on", "critical", "--severity", "low,medium"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A clean image passes any threshold.
    let alpine = image("alpine-3.18.9.oci.tar");
    let o = s.brig(&["scan", alpine.to_str().unwrap(), "--fail-on", "critical"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = s.brig(&["scan", sbom, "--fail-on", "severe"]);
    assert_error(&o, &["--fail-on", "severe"]);
}

#[test]
fn filters_narrow_the_findings() {
    let s = Scanner::new();
    let sbom = s.path("work/python.cdx.json");
    write_json(&sbom, &truth_cyclonedx(&truth("python-app.tar")));
    let all = s.scan(&sbom, &[]);
    let n = findings(&all).len();
    let count = |pred: &dyn Fn(&Value) -> bool| findings(&all).iter().filter(|f| pred(f)).count();

    let high = s.scan(&sbom, &["--severity", "critical,high"]);
    assert_eq!(findings(&high).len(), count(&|f| matches!(f["severity"].as_str(), Some("critical" | "high"))));
    assert!(findings(&high).len() < n && !findings(&high).is_empty());

    let fixed = s.scan(&sbom, &["--ignore-unfixed"]);
    assert_eq!(findings(&fixed).len(), count(&|f| f["state"] == "fixed"));

    let os = s.scan(&sbom, &["--pkg-types", "os"]);
    let lib = s.scan(&sbom, &["--pkg-types", "library"]);
    assert_eq!(findings(&os).len(), count(&|f| f["package"]["type"] == "deb"));
    assert_eq!(findings(&lib).len(), count(&|f| f["package"]["type"] == "pypi"));
    assert_eq!(findings(&os).len() + findings(&lib).len(), n);
    assert!(!findings(&os).is_empty() && !findings(&lib).is_empty());

    for (flag, value) in [("--severity", "severe"), ("--pkg-types", "binary")] {
        assert_error(&s.brig(&["scan", sbom.to_str().unwrap(), flag, value]), &[flag, value]);
    }
}

#[test]
fn ignore_file_and_vex_suppress_with_reasons() {
    let s = Scanner::new();
    let target = image("alpine-3.9.6.tar");
    let t = target.to_str().unwrap();
    let full = s.scan(&target, &[]);
    let key = |f: &Value| (f["id"].as_str().unwrap().to_owned(), f["package"]["name"].as_str().unwrap().to_owned());
    let all: BTreeSet<_> = findings(&full).iter().map(key).collect();
    assert_eq!(all.len(), 14);
    let ignore = s.path("work/.brigignore.yaml");
    std::fs::write(
        &ignore,
        "- id: CVE-2020-1971\n  package: libssl1.1\n  reason: not reachable\n\
         - id: ALPINE-CVE-2021-23840\n  reason: by alias, every package\n  expires: \"2999-01-01\"\n\
         - id: CVE-2021-3449\n  reason: an old decision\n  expires: \"2021-06-01\"\n",
    )
    .unwrap();
    let openvex = s.path("work/vex.openvex.json");
    write_json(
        &openvex,
        &json!({
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.com/vex/1", "author": "security team",
            "timestamp": "2026-01-01T00:00:00Z", "version": 1,
            "statements": [{
                "vulnerability": {"name": "CVE-2021-3450"},
                "products": [{"@id": "pkg:apk/alpine/libcrypto1.1"}],
                "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
            }],
        }),
    );
    let cdx_vex = s.path("work/vex.cdx.json");
    write_json(
        &cdx_vex,
        &json!({
            "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "vulnerabilities": [{
                "id": "CVE-2021-23841", "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
                "affects": [{"ref": "pkg:apk/alpine/libssl1.1@1.1.1g-r0"}],
            }],
        }),
    );

    // The ignore file is found in the working directory by its default name.
    let o = s.brig(&["scan", t, "-f", "json", "--vex", openvex.to_str().unwrap(), "--vex", cdx_vex.to_str().unwrap()]);
    let r = stdout_json(&o);
    let kept: BTreeSet<_> = findings(&r).iter().map(key).collect();
    let suppressed: Vec<(String, String, String)> = r["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let (id, pkg) = key(&s["finding"]);
            (id, pkg, s["by"].as_str().unwrap().to_owned())
        })
        .collect();
    let expect = |id: &str, pkg: &str, by: &str| (id.to_owned(), pkg.to_owned(), by.to_owned());
    let want: BTreeSet<_> = [
        expect("CVE-2020-1971", "libssl1.1", "ignore-file"),
        expect("CVE-2021-23840", "libcrypto1.1", "ignore-file"),
        expect("CVE-2021-23840", "libssl1.1", "ignore-file"),
        expect("CVE-2021-3450", "libcrypto1.1", "vex"),
        expect("CVE-2021-23841", "libssl1.1", "vex"),
    ]
    .into();
    assert_eq!(suppressed.iter().cloned().collect::<BTreeSet<_>>(), want);
    assert_eq!(kept.len() + suppressed.len(), all.len());
    assert!(kept.contains(&("CVE-2021-3449".into(), "libssl1.1".into())), "the expired entry no longer suppresses");
    let warnings = r["warnings"].to_string();
    assert!(warnings.contains("CVE-2021-3449") && warnings.contains("expired"), "{warnings}");
    assert!(r["suppressed"][0]["reason"].as_str().is_some_and(|r| !r.is_empty()));

    // The table names what was suppressed and why only when asked.
    let quiet = String::from_utf8(s.brig(&["scan", t, "--vex", openvex.to_str().unwrap()]).stdout).unwrap();
    assert!(!quiet.contains("not reachable"), "{quiet}");
    let shown = s.brig(&["scan", t, "--show-suppressed", "--vex", openvex.to_str().unwrap()]);
    let table = String::from_utf8(shown.stdout).unwrap();
    assert!(table.contains("not reachable") && table.contains("vulnerable_code_not_in_execute_path"), "{table}");

    // An explicit ignore file replaces the default one; bad policy files are errors.
    let other = s.path("work/other.yaml");
    std::fs::write(&other, "- id: CVE-2020-1971\n  reason: all of them\n").unwrap();
    let r = s.scan(&target, &["--ignore-file", other.to_str().unwrap()]);
    assert_eq!(r["suppressed"].as_array().unwrap().len(), 2);
    std::fs::write(&other, "- id: CVE-2020-1971\n").unwrap();
    assert_error(&s.brig(&["scan", t, "--ignore-file", other.to_str().unwrap()]), &["other.yaml", "reason"]);
    std::fs::write(&other, "{not json").unwrap();
    assert_error(&s.brig(&["scan", t, "--vex", other.to_str().unwrap()]), &["other.yaml"]);
    assert_error(&s.brig(&["scan", t, "--vex", "missing.json"]), &["missing.json"]);
}

#[test]
fn sarif_cyclonedx_markdown_and_table_outputs() {
    let s = Scanner::new();
    let sbom = s.path("work/python.cdx.json");
    write_json(&sbom, &truth_cyclonedx(&truth("python-app.tar")));
    let t = sbom.to_str().unwrap();
    let report = s.scan(&sbom, &[]);
    let n = findings(&report).len();

    let sarif = s.path("work/scan.sarif");
    let o = s.brig(&["scan", t, "-f", "sarif", "-o", sarif.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    validate("sarif", &sarif);
    let doc: Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), n);

    let cdx = s.path("work/scan.cdx.json");
    let o = s.brig(&["scan", t, "-f", "cyclonedx", "-o", cdx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    validate("cyclonedx", &cdx);
    let doc: Value = serde_json::from_slice(&std::fs::read(&cdx).unwrap()).unwrap();
    let refs: BTreeSet<&str> =
        doc["components"].as_array().unwrap().iter().filter_map(|c| c["bom-ref"].as_str()).collect();
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    let affects: usize = vulns.iter().map(|v| v["affects"].as_array().unwrap().len()).sum();
    assert_eq!(affects, n, "one affects entry per finding");
    for v in vulns {
        for a in v["affects"].as_array().unwrap() {
            assert!(refs.contains(a["ref"].as_str().unwrap()), "affects.ref points at a component: {a}");
        }
    }
    // Aliases are listed as references of the vulnerability.
    let with_alias = findings(&report).iter().find(|f| f["aliases"].as_array().is_some_and(|a| !a.is_empty())).unwrap();
    let v = vulns.iter().find(|v| v["id"] == with_alias["id"]).unwrap();
    let listed: Vec<&str> = v["references"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    for a in with_alias["aliases"].as_array().unwrap() {
        assert!(listed.contains(&a.as_str().unwrap()), "{a} in {listed:?}");
    }

    let md = String::from_utf8(s.brig(&["scan", t, "-f", "markdown"]).stdout).unwrap();
    assert!(md.contains("| ") && md.contains(with_alias["id"].as_str().unwrap()), "{md}");

    let o = s.brig(&["scan", t]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(!table.contains('\u{1b}'), "no colour when not on a terminal");
    let summary = table.lines().last().unwrap();
    assert!(summary.starts_with(&format!("{n} vulnerabilities (")) && summary.contains("critical"), "{table}");
    assert!(
        table.contains("\ndjango 3.2.4 (pypi, /usr/local/lib/python3.9/dist-packages/Django-3.2.4.dist-info)\n"),
        "{table}"
    );
}

#[test]
fn explain_says_why_or_why_not() {
    let s = Scanner::new();
    let old = image("alpine-3.9.6.tar");
    let new = image("alpine-3.18.9.oci.tar");
    let o = s.brig(&["explain", "CVE-2020-1971", old.to_str().unwrap()]);
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for want in
        ["libssl1.1", "1.1.1g-r0", "/lib/apk/db/installed", "layer 0", "Alpine:v3.9", "fixed 1.1.1i-r0", "REPORTED"]
    {
        assert!(text.contains(want), "explain lacks {want:?}:\n{text}");
    }
    let o = s.brig(&["explain", "CVE-2020-1971", new.to_str().unwrap()]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("not affected") && text.contains("3.1.7-r0 > 1.1.1i-r0") && !text.contains("REPORTED"),
        "{text}"
    );
    // An alias finds the same vulnerability.
    let o = s.brig(&["explain", "ALPINE-CVE-2020-1971", old.to_str().unwrap()]);
    assert!(String::from_utf8(o.stdout).unwrap().contains("REPORTED"));
    // Suppressions are part of the explanation.
    let ignore = s.path("work/ignore.yaml");
    std::fs::write(&ignore, "- id: CVE-2020-1971\n  reason: accepted risk\n").unwrap();
    let o = s.brig(&["explain", "CVE-2020-1971", old.to_str().unwrap(), "--ignore-file", ignore.to_str().unwrap()]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("accepted risk"), "{text}");
    // An id no feed knows.
    let o = s.brig(&["explain", "CVE-1999-99999", old.to_str().unwrap()]);
    assert!(String::from_utf8(o.stdout).unwrap().contains("not in the vulnerability database"));
}

#[test]
fn diff_reports_fixed_introduced_and_unchanged() {
    let s = Scanner::new();
    let dir = s.path("work");
    // Before: the python-app packages; after: a rebuild that upgraded Django and urllib3.
    let before = truth("python-app.tar");
    let mut after = before.clone();
    for p in after["language_packages"].as_array_mut().unwrap() {
        match p["name"].as_str().unwrap() {
            "Django" | "django" => p["version"] = json!("4.2.16"),
            "urllib3" => p["version"] = json!("1.26.4.post1"),
            _ => {}
        }
    }
    let (b, a) = (dir.join("before.cdx.json"), dir.join("after.cdx.json"));
    write_json(&b, &truth_cyclonedx(&before));
    write_json(&a, &truth_cyclonedx(&after));
    let key = |f: &Value| (f["id"].as_str().unwrap().to_owned(), f["package"]["name"].as_str().unwrap().to_lowercase());
    let old: BTreeSet<_> = findings(&s.scan(&b, &[])).iter().map(key).collect();
    let new: BTreeSet<_> = findings(&s.scan(&a, &[])).iter().map(key).collect();
    let o = s.brig(&["diff", b.to_str().unwrap(), a.to_str().unwrap(), "--format", "json"]);
    let d = stdout_json(&o);
    let set = |k: &str| -> BTreeSet<_> { d[k].as_array().unwrap().iter().map(key).collect() };
    assert_eq!(set("fixed"), old.difference(&new).cloned().collect());
    assert_eq!(set("introduced"), new.difference(&old).cloned().collect());
    assert_eq!(set("unchanged"), old.intersection(&new).cloned().collect());
    assert!(!set("fixed").is_empty(), "upgrading Django fixes something");
    assert!(set("fixed").iter().any(|(_, p)| p == "django"));

    let o = s.brig(&["diff", b.to_str().unwrap(), a.to_str().unwrap()]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(o.status.success() && table.to_lowercase().contains("fixed"), "{table}");
}

#[test]
fn without_a_database_scan_fetches_only_what_the_image_needs() {
    let nginx = Nginx::serve(&feeds());
    let env = Env::new(&nginx.url, "");
    let target = image("alpine-3.9.6.tar");
    let o = env
        .sb
        .command(&[
            "--db",
            env.db.to_str().unwrap(),
            "--config",
            env.config.to_str().unwrap(),
            "scan",
            target.to_str().unwrap(),
            "-f",
            "json",
        ])
        .env("BRIG_MIRROR", &nginx.url)
        .output()
        .unwrap();
    let report = stdout_json(&o);
    let err = stderr(&o);
    assert!(err.contains("fetching the feeds this target needs") && err.contains("Alpine:v3.9"), "{err}");
    assert_eq!(findings(&report).len(), 14);
    let fetched: BTreeSet<String> = nginx.requests().into_iter().map(|(p, _)| p).collect();
    assert!(fetched.contains("/osv/Alpine/all.zip") && fetched.contains("/alpine-secdb/v3.9/main.json"), "{fetched:?}");
    for other in ["Debian", "PyPI", "npm", "Go", "crates.io"] {
        assert!(!fetched.contains(&format!("/osv/{other}/all.zip")), "fetched {other}: {fetched:?}");
    }
    assert!(!fetched.iter().any(|p| p.contains("v3.18")), "{fetched:?}");
}

#[test]
fn offline_without_a_database_is_an_error() {
    let sb = Sandbox::new();
    let db = sb.path("home/none.db");
    let target = image("alpine-3.9.6.tar");
    let o = sb.run(&["--offline", "--db", db.to_str().unwrap(), "scan", target.to_str().unwrap()]);
    assert_error(&o, &["no vulnerability database", "none.db", "brig db update"]);
    assert!(!db.exists());
}

#[test]
fn bad_inputs_are_clear_errors() {
    let s = Scanner::new();
    let work = s.path("work");
    let cases: Vec<(&str, &[u8], &[&str])> = vec![
        ("garbage.json", b"\x00\x01 not an sbom", &["garbage.json"]),
        ("unknown.json", b"{\"hello\": \"world\"}", &["unrecognised SBOM"]),
        ("bom.xml", b"<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>", &["XML"]),
        ("spdx.spdx", b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n", &["tag-value"]),
        (
            "cdx-bad.json",
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": 7}",
            &["components"],
        ),
        ("empty.json", b"", &["empty.json"]),
    ];
    for (name, bytes, words) in cases {
        let p = work.join(name);
        std::fs::write(&p, bytes).unwrap();
        assert_error(&s.brig(&["scan", p.to_str().unwrap()]), words);
    }
    assert_error(&s.brig(&["scan", "no-such-image.tar"]), &["no-such-image.tar"]);
    // An older CycloneDX is read with a warning rather than refused.
    let old = work.join("cdx-old.json");
    std::fs::write(&old, br#"{"bomFormat": "CycloneDX", "specVersion": "1.1", "components": []}"#).unwrap();
    let o = s.brig(&["scan", old.to_str().unwrap(), "-f", "json"]);
    assert!(stdout_json(&o)["warnings"].to_string().contains("1.1"), "{}", stderr(&o));

    // A database file that is not one.
    let bad_db = work.join("bad.db");
    std::fs::write(&bad_db, vec![0x5a; 70_000]).unwrap();
    let o = s.env.sb.run(&["--db", bad_db.to_str().unwrap(), "scan", image("alpine-3.9.6.tar").to_str().unwrap()]);
    assert_error(&o, &["bad.db"]);

    // Packages that cannot be matched are warned about and skipped; the rest is scanned.
    let sbom = work.join("mixed.cdx.json");
    write_json(
        &sbom,
        &json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
            {"type": "library", "name": "no-purl", "version": "1"},
            {"type": "library", "name": "x", "version": "1", "purl": "pkg:unknowntype/x@1"},
            {"type": "library", "name": "django", "version": "3.2.4", "purl": "pkg:pypi/django@3.2.4"},
            {"type": "library", "name": "flask", "version": "not a version!", "purl": "pkg:pypi/flask@not%20a%20version%21"},
        ]}),
    );
    let r = s.scan(&sbom, &[]);
    assert!(findings(&r).iter().any(|f| f["package"]["name"] == "django"));
    let warnings = r["warnings"].to_string();
    assert!(warnings.contains("no-purl") && warnings.contains("unknowntype"), "{warnings}");
    // The unparseable version is reported, not dropped.
    let unchecked = r["unchecked"].as_array().expect("unchecked packages listed");
    assert!(
        unchecked
            .iter()
            .any(|u| u["package"]["name"] == "flask" && u["reason"].as_str().unwrap().contains("not a version!")),
        "{unchecked:?}"
    );
    let table = String::from_utf8(s.brig(&["scan", sbom.to_str().unwrap()]).stdout).unwrap();
    assert!(table.contains("flask"), "the table names the unchecked package: {table}");
    assert!(
        s.env
            .sb
            .stray_files()
            .iter()
            .all(|p| p.starts_with(s.env.sb.path("home")) || p.starts_with(&work) || p.starts_with(s.env.sb.cache()))
    );
}

#[test]
fn informational_advisories_are_notices_not_findings() {
    let s = Scanner::new();
    let sbom = s.path("work/cargo.cdx.json");
    write_json(
        &sbom,
        &json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
            {"type": "library", "name": "rust-crypto", "version": "0.2.36", "purl": "pkg:cargo/rust-crypto@0.2.36"},
        ]}),
    );
    let r = s.scan(&sbom, &[]);
    let notices: Vec<&str> = r["notices"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert!(notices.contains(&"RUSTSEC-2016-0005"), "{notices:?}");
    assert_eq!(r["notices"][0]["kind"], "unmaintained");
    let ids: Vec<String> = findings(&r).iter().map(|f| f["id"].to_string()).collect();
    assert!(!ids.iter().any(|i| i.contains("RUSTSEC-2016-0005")), "{ids:?}");
    let o = s.brig(&["scan", sbom.to_str().unwrap(), "--fail-on", "low"]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(table.contains("RUSTSEC-2016-0005") && table.contains("unmaintained"), "{table}");
}

#[test]
fn debian_tracker_states_and_urgency() {
    // The tracker's JSON export, in its published shape, for two packages of the image.
    let tracker_dir = tempfile::tempdir().unwrap();
    let tracker = json!({
        "util-linux": {
            "CVE-2099-1001": {"description": "ignored by the security team", "scope": "local", "releases": {
                "bullseye": {"status": "open", "repositories": {"bullseye": "2.36.1-8+deb11u2"}, "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": "ignored"}}},
            "CVE-2099-1002": {"description": "no fix yet", "scope": "local", "releases": {
                "bullseye": {"status": "open", "repositories": {"bullseye": "2.36.1-8+deb11u2"}, "urgency": "medium"}}},
        },
        "tar": {
            "CVE-2099-1003": {"description": "fixed in a point release", "releases": {
                "bullseye": {"status": "resolved", "repositories": {"bullseye": "1.34+dfsg-1+deb11u1"}, "fixed_version": "1.34+dfsg-1+deb11u9", "urgency": "high"},
                "bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "high"}}},
        },
    });
    write_json(&tracker_dir.path().join("tracker.json"), &tracker);
    let tracker_server = Nginx::serve(tracker_dir.path());
    let s = Scanner::with_config(&format!(
        "debian_tracker_json = true\n[db.urls]\ndebian_tracker = \"{}/tracker.json\"",
        tracker_server.url
    ));
    let r = s.scan(&image("debian-11-minbase.tar"), &[]);
    let get = |id: &str| -> Vec<&Value> { findings(&r).iter().filter(|f| f["id"] == id).collect() };
    let ignored = get("CVE-2099-1001");
    assert!(!ignored.is_empty());
    for f in &ignored {
        assert_eq!(
            (f["state"].as_str(), f["severity"].as_str(), f["severity_source"].as_str()),
            (Some("wont_fix"), Some("low"), Some("debian"))
        );
    }
    let no_fix = get("CVE-2099-1002");
    assert!(!no_fix.is_empty(), "the tracker's open CVE-2099-1002 is a finding");
    assert!(no_fix.iter().all(|f| f["state"] == "not_fixed" && f["severity"] == "medium"), "{no_fix:?}");
    let tar = get("CVE-2099-1003");
    assert_eq!(tar.len(), 1);
    assert_eq!(
        (tar[0]["state"].as_str(), tar[0]["fixed_version"].as_str()),
        (Some("fixed"), Some("1.34+dfsg-1+deb11u9"))
    );
    let unfixed = s.scan(&image("debian-11-minbase.tar"), &["--ignore-unfixed"]);
    let kept = findings(&unfixed);
    assert!(!kept.is_empty(), "fixed findings remain");
    assert!(kept.len() < findings(&r).len(), "--ignore-unfixed drops the unfixed findings");
    assert!(kept.iter().all(|f| f["state"] == "fixed"), "{kept:?}");
    drop(s.nginx);
}

/// A tool the tests compare brig with, from the environment or where scripts/test puts it.
fn peer(var: &str, default_rel: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(default_rel))
}

/// (advisory id, package, version) of every advisory from feeds starting with `source`.
fn advisory_triples(report: &Value, source: &str) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for f in findings(report) {
        for a in f["advisories"].as_array().unwrap() {
            if a["source"].as_str().unwrap().starts_with(source) {
                let s = |v: &Value| v.as_str().unwrap().to_owned();
                out.insert((s(&a["id"]), s(&f["package"]["name"]), s(&f["package"]["version"])));
            }
        }
    }
    out
}

#[test]
fn cargo_lock_findings_equal_cargo_audit() {
    let s = Scanner::new();
    let work = s.path("work/rust");
    std::fs::create_dir_all(work.join("app")).unwrap();
    // cargo audit reads RustSec's own repository (the native form of the crates.io OSV
    // export brig reads), and insists that it is a git repository.
    let native = shared().join("corpus/feeds-native/rustsec-advisory-db.tar.gz");
    run_ok(Command::new("tar").arg("xzf").arg(&native).arg("-C").arg(&work));
    let db = work.join("advisory-db");
    let git = |args: &[&str]| run_ok(Command::new("git").arg("-C").arg(&db).args(args));
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["-c", "user.email=test@brig", "-c", "user.name=test", "commit", "-qm", "snapshot"]);

    // A lock file pinning every crate an advisory names at its ranges' boundaries; the
    // registry source is the one cargo wrote into this repository's own lock file.
    let own_lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock")).unwrap();
    let source = own_lock
        .lines()
        .find_map(|l| {
            l.strip_prefix("source = \"").filter(|v| v.starts_with("registry+")).and_then(|v| v.strip_suffix('"'))
        })
        .expect("a registry source in Cargo.lock");
    let lock = work.join("app/Cargo.lock");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/cargo_lock.py");
    run_ok(Command::new(python()).arg(&script).arg(osv_zip("crates.io")).arg(source).arg(&lock));

    let cargo_audit = peer("BRIG_TEST_CARGO_AUDIT", "target/peers-venv/bin/cargo-audit");
    let o = Command::new(&cargo_audit)
        .args(["audit", "--db"])
        .arg(&db)
        .args(["--no-fetch", "--no-yanked", "--stale", "--json", "-f"])
        .arg(&lock)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; run scripts/test, which installs it", cargo_audit.display()));
    // Exit status 1 means "vulnerabilities found"; the JSON says which.
    let audit: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("cargo audit gave no JSON ({e}): {}", String::from_utf8_lossy(&o.stderr)));
    let triple = |v: &Value| {
        let s = |x: &Value| x.as_str().unwrap().to_owned();
        (s(&v["advisory"]["id"]), s(&v["package"]["name"]), s(&v["package"]["version"]))
    };
    let want: BTreeSet<_> = audit["vulnerabilities"]["list"].as_array().unwrap().iter().map(triple).collect();
    assert!(want.len() > 1000, "cargo audit found only {}: the probe lock file is wrong", want.len());

    let report = s.scan(Path::new(&format!("dir:{}", work.join("app").display())), &[]);
    let got = advisory_triples(&report, "osv/crates.io/");
    let missed: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "brig missed {} {missed:?}\nbrig reported {} more {extra:?}",
        missed.len(),
        extra.len()
    );

    // Informational advisories (unmaintained, unsound, notices) are warnings in both.
    let mut want_notices = BTreeSet::new();
    for (kind, list) in audit["warnings"].as_object().unwrap() {
        if kind != "yanked" {
            want_notices.extend(list.as_array().unwrap().iter().filter(|w| w["advisory"].is_object()).map(triple));
        }
    }
    let got_notices: BTreeSet<_> = report["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let s = |x: &Value| x.as_str().unwrap_or_default().to_owned();
            (s(&n["id"]), s(&n["package"]["name"]), s(&n["package"]["version"]))
        })
        .collect();
    assert!(!want_notices.is_empty(), "cargo audit warned of nothing: the notice comparison would be vacuous");
    assert_eq!(got_notices, want_notices);
}

#[test]
fn go_binary_findings_cover_govulncheck() {
    let s = Scanner::new();
    let work = s.path("work/go");
    // A program using the standard library's HTTP and template code, and golang.org/x/text
    // v0.3.6 (vulnerable to GO-2021-0113 and GO-2022-1059) vendored as a stand-in with the
    // real package's exported names: vendoring records the module and version in the
    // binary's build information exactly as a download would, with no network.
    let files = [
        ("src/go.mod", "module example.com/probe\n\ngo 1.19\n\nrequire golang.org/x/text v0.3.6\n"),
        ("src/vendor/modules.txt", "# golang.org/x/text v0.3.6\n## explicit; go 1.17\ngolang.org/x/text/language\n"),
        (
            "src/vendor/golang.org/x/text/language/language.go",
            "package language\n\nimport \"strings\"\n\ntype Tag struct{ s string }\n\n\
             func Parse(s string) (Tag, error) { return Tag{strings.ToLower(s)}, nil }\n\n\
             func ParseAcceptLanguage(s string) ([]Tag, []float32, error) {\n\
             \tvar tags []Tag\n\tfor _, p := range strings.Split(s, \",\") {\n\t\ttags = append(tags, Tag{strings.TrimSpace(p)})\n\t}\n\
             \treturn tags, nil, nil\n}\n",
        ),
        (
            "src/main.go",
            "package main\n\nimport (\n\t\"html/template\"\n\t\"net/http\"\n\t\"os\"\n\n\t\"golang.org/x/text/language\"\n)\n\n\
             func main() {\n\ttags, _, _ := language.ParseAcceptLanguage(os.Getenv(\"LANG\"))\n\
             \tt := template.Must(template.New(\"x\").Parse(\"<p>{{.}}</p>\"))\n\t_ = t.Execute(os.Stdout, tags)\n\
             \tif len(os.Args) > 1 {\n\t\t_ = http.ListenAndServe(os.Args[1], nil)\n\t}\n}\n",
        ),
    ];
    for (rel, text) in files {
        let path = work.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let bin = work.join("image/usr/local/bin/probe");
    run_ok(
        Command::new("go")
            .args(["build", "-mod=vendor", "-buildvcs=false", "-o"])
            .arg(&bin)
            .arg(".")
            .current_dir(work.join("src"))
            .env("GOPROXY", "off")
            .env("GOFLAGS", "")
            .env("CGO_ENABLED", "0")
            .env("GOPATH", work.join("gopath"))
            .env("GOCACHE", std::env::temp_dir().join("brig-test-go-build-cache"))
            .env("GOTOOLCHAIN", "local")
            .env("GOWORK", "off")
            .env("GOENV", "off"),
    );

    // govulncheck's offline database, built from the same OSV export brig reads.
    let osv = work.join("osv");
    let python = python();
    run_ok(
        Command::new(&python)
            .args(["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])"])
            .arg(osv_zip("Go"))
            .arg(&osv),
    );
    let vulndb = work.join("govulndb");
    run_ok(Command::new("sh").arg(shared().join("tools/make-govulndb.sh")).arg(&osv).arg(&vulndb));
    let o = run_ok(
        Command::new("govulncheck")
            .arg("-json")
            .arg(&bin)
            .env("GOVULNDB", format!("file://{}", vulndb.display()))
            .env("GOPATH", work.join("gopath"))
            .env("GOCACHE", std::env::temp_dir().join("brig-test-go-build-cache")),
    );
    let report: Value = serde_json::from_slice(&o.stdout).expect("govulncheck -json");
    let want: BTreeSet<String> =
        report["Vulns"].as_array().unwrap().iter().map(|v| v["OSV"]["id"].as_str().unwrap().to_owned()).collect();
    assert!(want.contains("GO-2022-1059") && want.contains("GO-2021-0113"), "the module's advisories: {want:?}");
    assert!(want.len() > 20, "govulncheck found only {want:?}");

    let scan = s.scan(Path::new(&format!("dir:{}", work.join("image").display())), &[]);
    let triples = advisory_triples(&scan, "osv/Go/");
    let got: BTreeSet<String> = triples.iter().map(|(id, _, _)| id.clone()).collect();
    let missed: Vec<&String> = want.difference(&got).collect();
    assert!(missed.is_empty(), "govulncheck reported what brig did not: {missed:?}");
    // brig matches at module level, so it reports more than the call graph reaches; each
    // extra must be a range hit of a module in the binary, checked independently.
    let extras: Vec<_> = triples.iter().filter(|(id, _, _)| !want.contains(id)).collect();
    for (_, module, version) in &extras {
        assert!(
            (module == "stdlib" && version.trim_start_matches("go") == "1.19.8")
                || (module == "golang.org/x/text" && version == "v0.3.6"),
            "a finding for a module the binary does not hold: {module} {version}"
        );
    }
    let input = serde_json::to_vec(&extras).unwrap();
    let mut child = Command::new(&python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/go_ranges.py"))
        .arg(&osv)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let uncovered: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(uncovered.is_empty(), "brig reported findings the records' ranges do not cover: {uncovered:?}");
    eprintln!(
        "govulncheck: {} ids; brig: {} ids ({} more, all range hits)",
        want.len(),
        got.len(),
        got.len() - want.len()
    );
}

#[test]
fn scan_reads_images_from_a_registry() {
    let s = Scanner::new();
    let reg = common::registry::Registry::start(&s.path("registry"), common::registry::Auth::Anonymous, None, None);
    let archive = image("alpine-3.9.6.tar");
    reg.push(&format!("docker-archive:{}", archive.display()), "brig/alpine:3.9.6", false);
    let from_archive = finding_keys(&s.scan(&archive, &[]));
    assert_eq!(from_archive.len(), 14);
    let reference = format!("registry:{}/brig/alpine:3.9.6", reg.host);
    assert_eq!(finding_keys(&s.scan(Path::new(&reference), &[])), from_archive);
    // Compared across a rebuild, as a registry user would: nothing changed.
    let o = s.brig(&["diff", archive.to_str().unwrap(), &reference, "--format", "json"]);
    let diff = stdout_json(&o);
    assert_eq!(diff["fixed"].as_array().map(Vec::len), Some(0), "{diff}");
    assert_eq!(diff["introduced"].as_array().map(Vec::len), Some(0), "{diff}");
    assert_eq!(diff["unchanged"].as_array().map(Vec::len), Some(14), "{diff}");
}
