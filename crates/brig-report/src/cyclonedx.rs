//! CycloneDX 1.6 JSON with a `vulnerabilities` section: the affected packages as
//! components (with the bom-refs `brig sbom --format cyclonedx` gives them, so the two
//! documents can be joined) and one vulnerability per finding.
//!
//! No timestamp: the scan model has none, and the document must be a pure function of it.

use std::collections::{BTreeMap, BTreeSet};

use brig_match::{Finding, FixState, PackageRef, ScanReport, Severity, Suppressed};
use brig_sbom::name_based_uuid;
use serde_json::{Value, json};

use crate::ReportOptions;
use crate::text::{cvss_severity, finding_cmp, package_cmp, sorted, target, web_url};

pub fn to_value(report: &ScanReport, opts: &ReportOptions) -> Value {
    let findings = sorted(&report.findings);
    let mut suppressed: Vec<&Suppressed> =
        if opts.show_suppressed { report.suppressed.iter().collect() } else { vec![] };
    suppressed.sort_by(|a, b| finding_cmp(&a.finding, &b.finding));

    let mut packages: BTreeMap<&str, &PackageRef> = BTreeMap::new();
    for f in findings.iter().copied().chain(suppressed.iter().map(|s| &s.finding)) {
        packages.entry(f.package.id.as_str()).or_insert(&f.package);
    }
    let mut packages: Vec<&PackageRef> = packages.into_values().collect();
    packages.sort_by(|a, b| package_cmp(a, b));

    // bom-refs must be unique in the document; a repeated (id, package) pair, which
    // matching should never produce, gets a counter rather than an invalid document.
    let mut used = BTreeSet::new();
    let mut vulns = Vec::new();
    for f in findings {
        vulns.push(vulnerability(f, None, &mut used));
    }
    for s in &suppressed {
        vulns.push(vulnerability(&s.finding, Some(s), &mut used));
    }

    let refs: Vec<&str> = vulns.iter().filter_map(|v| v["bom-ref"].as_str()).collect();
    let seed = report.source.image_id.as_deref().unwrap_or(&report.source.target);
    let serial = name_based_uuid(&["brig-scan-cyclonedx", seed, &refs.join(",")]);

    let mut subject = json!({"type": "container", "bom-ref": "image", "name": target(report)});
    if let Some(id) = &report.source.image_id {
        subject["version"] = json!(id);
    }
    subject["properties"] =
        json!([prop("brig:source:kind", &report.source.kind), prop("brig:source:target", &report.source.target)]);

    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{serial}"),
        "version": 1,
        "metadata": {
            "tools": {"components": [{"type": "application", "name": report.tool.name, "version": report.tool.version}]},
            "component": subject,
        },
        "components": packages.iter().map(|p| component(p)).collect::<Vec<_>>(),
        "vulnerabilities": vulns,
    })
}

fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

fn component_ref(p: &PackageRef) -> String {
    format!("pkg:{}", p.id)
}

fn component(p: &PackageRef) -> Value {
    let mut props = vec![prop("brig:package:type", &p.kind), prop("brig:location", &p.found_in)];
    if let Some(l) = &p.layer {
        if let Some(d) = &l.diff_id {
            props.push(prop("brig:layer", d));
        }
        props.push(prop("brig:layer:index", &l.index.to_string()));
    }
    if let Some(s) = &p.source_name {
        props.push(prop("brig:source:name", s));
    }
    if let Some(s) = &p.source_version {
        props.push(prop("brig:source:version", s));
    }
    let mut c = json!({"type": "library", "bom-ref": component_ref(p), "name": p.name, "version": p.version});
    if !p.purl.is_empty() {
        c["purl"] = json!(p.purl);
    }
    c["properties"] = json!(props);
    c
}

/// The publisher of an id, and the page it keeps for it, from the id's well-known prefix.
fn source(id: &str) -> Option<Value> {
    let (name, url) = match id.split('-').next().unwrap_or("") {
        "CVE" => ("NVD", format!("https://nvd.nist.gov/vuln/detail/{id}")),
        "GHSA" => ("GitHub Advisories", format!("https://github.com/advisories/{id}")),
        "RUSTSEC" => ("RustSec", format!("https://rustsec.org/advisories/{id}.html")),
        "GO" => ("Go Vulnerability Database", format!("https://pkg.go.dev/vuln/{id}")),
        "PYSEC" | "OSV" | "MAL" => ("OSV", format!("https://osv.dev/vulnerability/{id}")),
        "DSA" | "DLA" | "TEMP" => ("Debian", format!("https://security-tracker.debian.org/tracker/{id}")),
        "RHSA" | "RHBA" | "RHEA" => ("Red Hat", format!("https://access.redhat.com/errata/{id}")),
        "USN" => ("Ubuntu", format!("https://ubuntu.com/security/notices/{id}")),
        _ => return None,
    };
    // The source url is free text in the schema, but a malformed id must not make a
    // malformed URL.
    Some(match web_url(&url) {
        Some(u) => json!({"name": name, "url": u}),
        None => json!({"name": name}),
    })
}

/// CVSS's own scoring method name.
fn method(version: &str) -> &'static str {
    match version.trim() {
        "2" | "2.0" => "CVSSv2",
        "3" | "3.0" => "CVSSv3",
        "3.1" => "CVSSv31",
        "4" | "4.0" => "CVSSv4",
        _ => "other",
    }
}

/// CycloneDX's severity words. Negligible (Debian's "unimportant") is `info`: reported,
/// not a risk.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Negligible => "info",
        Severity::Unknown => "unknown",
    }
}

/// brig's rating (from whoever `severity_source` names) and the CVSS rating, as one
/// entry when they are the same statement and as two when a distribution rated the
/// vulnerability differently from its CVSS score.
fn ratings(f: &Finding) -> Vec<Value> {
    let mut out = Vec::new();
    let cvss = f.cvss.as_ref().filter(|c| c.score.is_finite() && (0.0..=10.0).contains(&c.score));
    let same = cvss.is_some_and(|c| {
        cvss_severity(c) == Some(f.severity) && f.severity_source.as_deref().is_none_or(|s| s == c.source)
    });
    if !same {
        let mut r = json!({"severity": severity(f.severity), "method": "other"});
        if let Some(s) = &f.severity_source {
            r["source"] = json!({"name": s});
        }
        out.push(r);
    }
    if let Some(c) = cvss {
        let band = cvss_severity(c).map_or("none", severity);
        let mut r = json!({
            "source": {"name": c.source},
            "score": c.score,
            "severity": band,
            "method": method(&c.version),
        });
        if !c.vector.is_empty() {
            r["vector"] = json!(c.vector);
        }
        out.push(r);
    }
    out
}

/// `CWE-79` → 79; anything else (`NVD-CWE-noinfo`, `NVD-CWE-Other`) has no number.
fn cwes(f: &Finding) -> Vec<u64> {
    let set: BTreeSet<u64> = f
        .cwes
        .iter()
        .filter_map(|c| c.trim().strip_prefix("CWE-").and_then(|n| n.parse::<u64>().ok()))
        .filter(|n| *n >= 1)
        .collect();
    set.into_iter().collect()
}

fn vulnerability(f: &Finding, suppressed: Option<&Suppressed>, used: &mut BTreeSet<String>) -> Value {
    let base = format!("vuln:{}:{}", f.id, f.package.id);
    let mut bom_ref = base.clone();
    let mut n = 1;
    while !used.insert(bom_ref.clone()) {
        n += 1;
        bom_ref = format!("{base}:{n}");
    }

    let mut v = json!({"bom-ref": bom_ref, "id": f.id});
    if let Some(s) = source(&f.id) {
        v["source"] = s;
    }
    let mut aliases: Vec<&String> = f.aliases.iter().filter(|a| **a != f.id).collect();
    aliases.sort();
    aliases.dedup();
    if !aliases.is_empty() {
        // `source` is required in a reference; an id with no known publisher gets an
        // empty one, which the schema allows, rather than a guessed name.
        let refs: Vec<Value> =
            aliases.iter().map(|a| json!({"id": a, "source": source(a).unwrap_or_else(|| json!({}))})).collect();
        v["references"] = json!(refs);
    }
    let ratings = ratings(f);
    if !ratings.is_empty() {
        v["ratings"] = json!(ratings);
    }
    let cwes = cwes(f);
    if !cwes.is_empty() {
        v["cwes"] = json!(cwes);
    }
    if let Some(t) = f.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        v["description"] = json!(t);
    }
    if let (FixState::Fixed, Some(fixed)) = (f.state, &f.fixed_version) {
        v["recommendation"] = json!(format!("Upgrade {} to {fixed} or later.", f.package.name));
    }
    let mut urls: Vec<&str> = Vec::new();
    for u in f.references.iter().filter_map(|r| web_url(r)) {
        if !urls.contains(&u) {
            urls.push(u);
        }
    }
    if !urls.is_empty() {
        v["advisories"] = json!(urls.iter().map(|u| json!({"url": u})).collect::<Vec<_>>());
    }
    if let Some(s) = suppressed {
        // Only the reason is known: an ignore entry is a decision, not an analysis, and a
        // VEX statement's status is not kept in the model, so no state is claimed.
        v["analysis"] = json!({"detail": format!("Suppressed by {}: {}", s.by, s.reason)});
    }
    v["affects"] = json!([{
        "ref": component_ref(&f.package),
        "versions": [{"version": f.package.version, "status": "affected"}],
    }]);

    let mut props = vec![
        prop("brig:ecosystem", &f.ecosystem),
        prop("brig:fix_state", fix_state(f.state)),
        prop("brig:known_exploited", if f.known_exploited { "true" } else { "false" }),
    ];
    if let Some(fixed) = &f.fixed_version {
        props.push(prop("brig:fixed_version", fixed));
    }
    for a in &f.advisories {
        props.push(prop("brig:advisory", &format!("{} ({})", a.id, a.source)));
    }
    if let Some(s) = suppressed {
        props.push(prop("brig:suppressed_by", &s.by));
    }
    v["properties"] = json!(props);
    v
}

fn fix_state(s: FixState) -> &'static str {
    match s {
        FixState::Fixed => "fixed",
        FixState::NotFixed => "not_fixed",
        FixState::WontFix => "wont_fix",
    }
}
