mod common;

use brig_match::{ScanReport, Severity};
use brig_report::{DiffFormat, ReportOptions, ScanDiff, ScanFormat, write_diff, write_scan};
use serde_json::Value;

const ALL: [ScanFormat; 5] =
    [ScanFormat::Table, ScanFormat::Json, ScanFormat::Sarif, ScanFormat::CycloneDx, ScanFormat::Markdown];

fn render(r: &ScanReport, format: ScanFormat, opts: ReportOptions) -> String {
    let mut out = Vec::new();
    write_scan(r, format, &opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn json(r: &ScanReport, format: ScanFormat, opts: ReportOptions) -> Value {
    serde_json::from_str(&render(r, format, opts)).unwrap()
}

const PLAIN: ReportOptions = ReportOptions { color: false, show_layer: false, show_suppressed: false };
const EVERYTHING: ReportOptions = ReportOptions { color: true, show_layer: true, show_suppressed: true };

#[test]
fn every_format_writes_something_ending_in_a_newline() {
    for r in [common::sample(), common::empty()] {
        for f in ALL {
            for opts in [PLAIN, EVERYTHING] {
                let s = render(&r, f, opts);
                assert!(s.len() > 20 && s.ends_with('\n'), "{f:?}: {s}");
            }
        }
    }
}

#[test]
fn output_does_not_depend_on_input_order() {
    let a = common::sample();
    let mut b = common::sample();
    b.findings.reverse();
    b.findings.rotate_left(3);
    for f in ALL.into_iter().filter(|f| *f != ScanFormat::Json) {
        for opts in [PLAIN, EVERYTHING] {
            assert_eq!(render(&a, f, opts), render(&b, f, opts), "{f:?}");
        }
    }
    // JSON is the model as given: the reordered findings in their new order, the rest the same.
    let (mut ja, mut jb) = (json(&a, ScanFormat::Json, PLAIN), json(&b, ScanFormat::Json, PLAIN));
    let mut reordered = ja["findings"].as_array().unwrap().clone();
    reordered.reverse();
    reordered.rotate_left(3);
    assert_ne!(ja["findings"], Value::Array(reordered.clone()), "the reordering changes the order");
    assert_eq!(jb["findings"], Value::Array(reordered));
    ja.as_object_mut().unwrap().remove("findings");
    jb.as_object_mut().unwrap().remove("findings");
    assert_eq!(ja, jb);
}

#[test]
fn colour_only_when_asked_and_only_in_the_table() {
    let r = common::sample();
    for f in ALL {
        let opts = ReportOptions { color: f != ScanFormat::Table, show_layer: true, show_suppressed: true };
        let s = render(&r, f, if f == ScanFormat::Table { PLAIN } else { opts });
        assert!(!s.contains('\x1b'), "{f:?} has an escape:\n{s}");
    }
    let s = render(&r, ScanFormat::Table, ReportOptions { color: true, ..PLAIN });
    assert!(s.contains("\x1b[31mhigh"), "{s}");
    assert!(s.contains("\x1b[33mmedium"), "{s}");
    assert!(s.contains("\x1b[2mnegligible"), "{s}");
    // The only escapes are the writer's own: the one in the feed's title is gone.
    assert!(!s.contains("\x1b[31mred"), "{s}");
}

#[test]
fn table_groups_by_package_and_aligns() {
    let s = render(&common::sample(), ScanFormat::Table, PLAIN);
    println!("{s}");
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines[0], "brig scan: brig/app:1.0 (Debian GNU/Linux 11 (bullseye)), 120 packages");
    assert!(lines.contains(&"libc6 2.31-13+deb11u5 (deb, /var/lib/dpkg/status)"));
    assert!(
        lines.contains(
            &"7 vulnerabilities (0 critical, 3 high, 2 medium, 0 low, 1 negligible, 1 unknown) in 5 packages"
        )
    );
    assert!(lines.contains(&"1 notice, 1 unchecked, 1 suppressed"));
    // Packages by name: @scope/pkg, libc6, libssl1.1, openssl, requests.
    let heads: Vec<&str> = lines.iter().filter(|l| l.contains(" (") && !l.starts_with(' ')).copied().collect();
    assert!(heads[1].starts_with("@scope/pkg ") && heads[2].starts_with("libc6 ") && heads[5].starts_with("requests "));
    // Worst first inside a package; every row's severity starts in the same column.
    let rows: Vec<&str> =
        lines.iter().filter(|l| l.starts_with("  CVE-") || l.starts_with("  GHSA-")).copied().collect();
    assert!(rows.iter().position(|l| l.contains("CVE-2023-4911")) < rows.iter().position(|l| l.contains("CVE-2019")));
    let header = lines.iter().find(|l| l.starts_with("  ID ")).unwrap();
    let col = header.find("SEVERITY").unwrap();
    for r in &rows {
        assert!(r[col..].starts_with(['h', 'm', 'n', 'u', 'l', 'c']), "{r}");
        assert!(!r.ends_with(' '));
    }
    let glibc = rows.iter().find(|l| l.contains("CVE-2023-4911")).unwrap();
    assert!(glibc.contains("fixed in 2.31-13+deb11u7") && glibc.contains("KEV"), "{glibc}");
    assert!(glibc.contains("glibc: buffer overflow") && glibc.contains('…') && !glibc.contains('\n'));
    assert!(s.contains("won't fix") && s.contains("not fixed"));
    assert!(s.contains("warning: RUSTSEC-2020-0071 (unmaintained) in time 0.1.45 (cargo, /var/lib/dpkg/status)"));
    assert!(
        s.contains("  weird 1.0~bad|x (deb, /var/lib/dpkg/status): version `1.0~bad|x` does not parse [CVE-2020-0001]")
    );
    assert!(s.contains("warning: ignore entry CVE-2000-0001 expired"));
    assert!(!s.contains("CVE-2022-1234"), "suppressed findings are hidden unless asked");
    assert!(!s.contains("LAYER"));
}

#[test]
fn table_layer_and_suppressed_columns() {
    let s = render(
        &common::sample(),
        ScanFormat::Table,
        ReportOptions { show_layer: true, show_suppressed: true, ..PLAIN },
    );
    println!("{s}");
    assert!(s.contains("LAYER"));
    assert!(s.contains("#1 111111111111 /bin/sh -c apt-get update && apt-get in…  CVE-2023-0286 title"), "{s}");
    assert!(s.contains("#2 RUN pip install -r requirements.txt"));
    assert!(s.contains("Suppressed:\n  CVE-2022-1234 low in libc6 2.31-13+deb11u5 (by vex): not_affected"));
}

#[test]
fn empty_reports() {
    let r = common::empty();
    let t = render(&r, ScanFormat::Table, PLAIN);
    assert_eq!(
        t,
        "brig scan: brig/app:1.0 (Debian GNU/Linux 11 (bullseye)), 120 packages\n\nNo vulnerabilities found\n"
    );
    assert!(render(&r, ScanFormat::Markdown, PLAIN).contains("No vulnerabilities found."));
    let s = json(&r, ScanFormat::Sarif, PLAIN);
    assert_eq!(s["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(s["runs"][0]["tool"]["driver"]["rules"], serde_json::json!([]));
    let c = json(&r, ScanFormat::CycloneDx, EVERYTHING);
    assert_eq!(c["vulnerabilities"], serde_json::json!([]));
    assert_eq!(c["components"], serde_json::json!([]));
    let back: ScanReport = serde_json::from_str(&render(&r, ScanFormat::Json, PLAIN)).unwrap();
    assert_eq!(back, r);
}

#[test]
fn json_is_the_model() {
    let r = common::sample();
    let s = render(&r, ScanFormat::Json, PLAIN);
    let back: ScanReport = serde_json::from_str(&s).unwrap();
    assert_eq!(back, r);
    assert!(s.starts_with("{\n  \"schema\": \"brig.scan/v1\""));
}

#[test]
fn sarif_rules_results_and_locations() {
    let v = json(&common::sample(), ScanFormat::Sarif, PLAIN);
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "brig");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["CVE-2019-1010022", "CVE-2023-0286", "CVE-2023-4911", "CVE-2024-0001", "GHSA-j8r2-6x86-q33q", "MAL-2024-1"]
    );
    let rule = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap();
    // The CVSS score where it agrees with the severity, else a number in the band.
    assert_eq!(rule("CVE-2023-4911")["properties"]["security-severity"], "7.8");
    assert_eq!(rule("CVE-2019-1010022")["properties"]["security-severity"], "1.0");
    assert_eq!(rule("CVE-2023-0286")["properties"]["security-severity"], "8.0");
    assert_eq!(rule("GHSA-j8r2-6x86-q33q")["properties"]["security-severity"], "6.1");
    assert!(rule("MAL-2024-1")["properties"].get("security-severity").is_none());
    assert_eq!(rule("CVE-2023-4911")["properties"]["tags"], serde_json::json!(["security", "vulnerability", "high"]));
    assert_eq!(rule("CVE-2023-4911")["helpUri"], "https://security-tracker.debian.org/tracker/CVE-2023-4911");
    assert_eq!(
        rule("GHSA-j8r2-6x86-q33q")["helpUri"],
        "https://github.com/psf/requests/security/advisories/GHSA-j8r2-6x86-q33q"
    );
    assert!(rule("MAL-2024-1").get("helpUri").is_none());
    let md = rule("CVE-2023-0286")["help"]["markdown"].as_str().unwrap();
    assert!(md.contains("| `libssl1.1` | `1.1.1n-0+deb11u4` |") && md.contains("| `openssl` |"), "{md}");

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 7);
    let levels: Vec<&str> = results.iter().map(|r| r["level"].as_str().unwrap()).collect();
    assert_eq!(levels, ["error", "error", "error", "warning", "warning", "note", "note"]);
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/'));
        assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    }
    let odd = results.iter().find(|r| r["ruleId"] == "MAL-2024-1").unwrap();
    assert_eq!(odd["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "opt/my%20app/pkg%3A1/package.json");
    let glibc = results.iter().find(|r| r["ruleId"] == "CVE-2023-4911").unwrap();
    let msg = glibc["message"]["text"].as_str().unwrap();
    assert!(msg.contains("libc6 2.31-13+deb11u5") && msg.contains("fixed in 2.31-13+deb11u7"), "{msg}");
    let fps: std::collections::BTreeSet<&str> =
        results.iter().map(|r| r["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap()).collect();
    assert_eq!(fps.len(), 7, "one fingerprint per (id, package, version)");

    // Fingerprints stay when the rest of a finding changes, and move with the version.
    let mut r2 = common::sample();
    for f in &mut r2.findings {
        f.title = Some("changed".into());
        f.severity = Severity::Critical;
    }
    let v2 = json(&r2, ScanFormat::Sarif, PLAIN);
    let fps2: std::collections::BTreeSet<&str> = v2["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap())
        .collect();
    assert_eq!(fps, fps2);
}

#[test]
fn cyclonedx_vulnerabilities() {
    let v = json(&common::sample(), ScanFormat::CycloneDx, PLAIN);
    assert_eq!(v["specVersion"], "1.6");
    assert!(v.get("metadata").unwrap().get("timestamp").is_none());
    let comps = v["components"].as_array().unwrap();
    assert_eq!(comps.len(), 5);
    let refs: Vec<&str> = comps.iter().map(|c| c["bom-ref"].as_str().unwrap()).collect();
    let vulns = v["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulns.len(), 7);
    let mut seen = std::collections::BTreeSet::new();
    for x in vulns {
        assert!(seen.insert(x["bom-ref"].as_str().unwrap()));
        assert!(refs.contains(&x["affects"][0]["ref"].as_str().unwrap()));
        assert_eq!(x["affects"][0]["versions"][0]["status"], "affected");
        assert!(x.get("analysis").is_none());
    }
    let glibc = vulns.iter().find(|x| x["id"] == "CVE-2023-4911").unwrap();
    assert_eq!(glibc["source"]["name"], "NVD");
    assert_eq!(glibc["cwes"], serde_json::json!([122, 787]));
    assert_eq!(glibc["references"][0]["id"], "DSA-5514-1");
    assert_eq!(glibc["references"][0]["source"]["name"], "Debian");
    let ratings = glibc["ratings"].as_array().unwrap();
    assert_eq!(ratings.len(), 1, "the severity came from the CVSS: one rating");
    assert_eq!(ratings[0]["method"], "CVSSv31");
    assert_eq!(ratings[0]["score"], 7.8);
    assert_eq!(ratings[0]["severity"], "high");
    assert_eq!(glibc["advisories"][0]["url"], "https://security-tracker.debian.org/tracker/CVE-2023-4911");
    assert_eq!(glibc["recommendation"], "Upgrade libc6 to 2.31-13+deb11u7 or later.");

    let neg = vulns.iter().find(|x| x["id"] == "CVE-2019-1010022").unwrap();
    let ratings = neg["ratings"].as_array().unwrap();
    assert_eq!(ratings[0], serde_json::json!({"severity": "info", "method": "other", "source": {"name": "debian"}}));
    assert_eq!(ratings[1]["method"], "CVSSv3");
    assert_eq!(ratings[1]["severity"], "critical");
    assert!(neg.get("cwes").is_none());

    let req = vulns.iter().find(|x| x["id"] == "GHSA-j8r2-6x86-q33q").unwrap();
    assert_eq!(req["source"]["url"], "https://github.com/advisories/GHSA-j8r2-6x86-q33q");
    assert_eq!(req["advisories"].as_array().unwrap().len(), 1, "prose references are dropped");

    let with = json(&common::sample(), ScanFormat::CycloneDx, EVERYTHING);
    let vulns = with["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulns.len(), 8);
    let sup = vulns.iter().find(|x| x["id"] == "CVE-2022-1234").unwrap();
    assert_eq!(sup["analysis"]["detail"], "Suppressed by vex: not_affected: vulnerable_code_not_present");
}

#[test]
fn markdown_for_pull_requests() {
    let s = render(&common::sample(), ScanFormat::Markdown, ReportOptions { show_suppressed: true, ..PLAIN });
    println!("{s}");
    assert!(s.starts_with("## brig scan: brig/app:1.0 (Debian GNU/Linux 11 (bullseye)), 120 packages\n"));
    assert!(s.contains(
        "**7 vulnerabilities (0 critical, 3 high, 2 medium, 0 low, 1 negligible, 1 unknown) in 5 packages**"
    ));
    let rows: Vec<&str> = s.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| ---")).collect();
    assert_eq!(rows[0], "| Severity | ID | Package | Installed | Fixed |");
    assert_eq!(
        rows[1],
        "| high | [CVE-2023-0286](https://security-tracker.debian.org/tracker/CVE-2023-0286) | `libssl1.1` | `1.1.1n-0+deb11u4` | `1.1.1n-0+deb11u4+x` |"
    );
    assert!(rows[3].contains("[CVE-2023-4911]") && rows[3].contains("(known exploited)"));
    assert!(rows.iter().any(|r| r.starts_with("| unknown | MAL-2024-1 | `@scope/pkg` | `1.0.0` | not fixed |")));
    assert!(s.contains("<details><summary>1 notice (informational advisory)</summary>"));
    assert!(s.contains("time is unmaintained, @&#8203;maintainer"), "mentions are defused");
    assert!(s.contains("| `weird` | `1.0~bad\\|x` | CVE-2020-0001 |"), "pipes are escaped");
    assert!(s.contains("<details><summary>1 finding suppressed</summary>"));
    assert!(s.contains("</details>"));
    let plain = render(&common::sample(), ScanFormat::Markdown, PLAIN);
    assert!(!plain.contains("suppressed</summary>"));
}

#[test]
fn diffs() {
    let old = common::sample();
    let mut new = common::sample();
    // Upgrade libc6 past CVE-2023-4911 but not CVE-2019-1010022; a new finding appears.
    new.findings.retain(|f| f.id != "CVE-2023-4911");
    for f in new.findings.iter_mut().filter(|f| f.package.name == "libc6") {
        f.package.version = "2.31-13+deb11u7".into();
    }
    let mut extra = new.findings[0].clone();
    extra.id = "CVE-2025-0001".into();
    extra.severity = Severity::Critical;
    new.findings.push(extra);

    let d = ScanDiff::between(&old, &new);
    assert_eq!(d.fixed.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["CVE-2023-4911"]);
    assert_eq!(d.introduced.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["CVE-2025-0001"]);
    assert_eq!(d.unchanged.len(), 6);

    let mut out = Vec::new();
    write_diff(&d, DiffFormat::Table, &PLAIN, &mut out).unwrap();
    let t = String::from_utf8(out).unwrap();
    println!("{t}");
    assert!(t.starts_with("Introduced (1):\n  ID "));
    assert!(t.contains("\nFixed (1):\n") && t.contains("\nUnchanged (6):\n"));
    assert!(t.ends_with("1 vulnerability introduced, 1 fixed, 6 unchanged\n"));
    assert!(!t.contains('\x1b'));

    let mut out = Vec::new();
    write_diff(&d, DiffFormat::Json, &PLAIN, &mut out).unwrap();
    let back: ScanDiff = serde_json::from_slice(&out).unwrap();
    assert_eq!(back, d);

    let mut out = Vec::new();
    write_diff(&ScanDiff::default(), DiffFormat::Table, &EVERYTHING, &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "Introduced (0):\n  none\n\nFixed (0):\n  none\n\nUnchanged (0):\n  none\n\n0 vulnerabilities introduced, 0 fixed, 0 unchanged\n"
    );
}

#[test]
fn format_names() {
    assert_eq!(ScanFormat::parse("sarif"), Some(ScanFormat::Sarif));
    assert_eq!(ScanFormat::parse("cdx"), Some(ScanFormat::CycloneDx));
    assert_eq!(ScanFormat::parse("md"), Some(ScanFormat::Markdown));
    assert_eq!(ScanFormat::parse("xml"), None);
    assert_eq!(DiffFormat::parse("json"), Some(DiffFormat::Json));
}
