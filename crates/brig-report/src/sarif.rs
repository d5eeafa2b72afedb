//! SARIF 2.1.0 for GitHub code scanning: one run, one rule per vulnerability id, one
//! result per finding, located at the file the package was read from.

use std::collections::BTreeMap;

use brig_match::{Finding, FixState, ScanReport, Severity};
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::markdown::{cell, code};
use crate::text::{cvss_severity, fix_text, one_line, relative_uri, sorted, target, web_url};

/// The OASIS standard's schema (2.1.0 with Errata 01), the one the validator checks.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub fn to_value(report: &ScanReport) -> Value {
    let findings = sorted(&report.findings);
    // BTreeMap: rules ordered by id. Each group keeps the findings' order, worst first.
    let mut by_id: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &findings {
        by_id.entry(f.id.as_str()).or_default().push(f);
    }
    let index: BTreeMap<&str, usize> = by_id.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<Value> = by_id.iter().map(|(id, fs)| rule(id, fs)).collect();
    let results: Vec<Value> =
        findings.iter().map(|f| result(f, index.get(f.id.as_str()).copied().unwrap_or(0), report)).collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": report.tool.name, "version": report.tool.version, "rules": rules}},
            "results": results,
        }],
    })
}

/// GitHub's alert levels: errors for what must be fixed, warnings to look at, notes.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Negligible | Severity::Unknown => "note",
    }
}

/// The number GitHub maps to its critical/high/medium/low (>= 9.0, 7.0-8.9, 4.0-6.9,
/// 0.1-3.9). The CVSS score when its band agrees with the finding's severity; otherwise
/// (a distribution rated it differently, or there is no CVSS) a number inside the band of
/// the severity, so that GitHub shows the severity brig reports. None for unknown: GitHub
/// then falls back to the level rather than inventing a severity.
fn security_severity(f: &Finding) -> Option<f64> {
    if let Some(c) = &f.cvss
        && cvss_severity(c) == Some(f.severity)
    {
        return Some(c.score);
    }
    match f.severity {
        Severity::Critical => Some(9.5),
        Severity::High => Some(8.0),
        Severity::Medium => Some(5.5),
        Severity::Low => Some(2.0),
        Severity::Negligible => Some(1.0),
        Severity::Unknown => None,
    }
}

fn rule(id: &str, fs: &[&Finding]) -> Value {
    let worst = fs.first().map_or(Severity::Unknown, |f| f.severity);
    // One line: GitHub shows the short description as the alert's heading.
    let title = fs.iter().map(|f| one_line(f.title.as_deref().unwrap_or(""))).find(|t| !t.is_empty());
    let title = title.as_deref();
    let mut aliases: Vec<&str> = fs.iter().flat_map(|f| f.aliases.iter().map(String::as_str)).collect();
    aliases.sort_unstable();
    aliases.dedup();
    let mut refs: Vec<&str> = Vec::new();
    for r in fs.iter().flat_map(|f| f.references.iter()).filter_map(|r| web_url(r)) {
        if !refs.contains(&r) {
            refs.push(r);
        }
    }

    let mut full = match title {
        Some(t) => format!("{id}: {t}"),
        None => format!("{id} ({} severity)", worst.as_str()),
    };
    if !aliases.is_empty() {
        full.push_str(&format!(" Also known as {}.", aliases.join(", ")));
    }

    let mut props = json!({"tags": ["security", "vulnerability", worst.as_str()]});
    // The rule's number is its worst finding's: GitHub rates the alert by the rule.
    if let Some(s) = fs.iter().filter(|f| f.severity == worst).filter_map(|f| security_severity(f)).reduce(f64::max) {
        props["security-severity"] = json!(format!("{s:.1}"));
    }
    let mut r = json!({
        "id": id,
        "shortDescription": {"text": title.unwrap_or(id)},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": level(worst)},
    });
    if let Some(u) = refs.first() {
        r["helpUri"] = json!(u);
    }
    r["help"] = help(id, title, worst, &aliases, &refs, fs);
    r["properties"] = props;
    r
}

/// The rule's help: what the vulnerability is, the packages it was found in, and where to
/// read more; as plain text and as Markdown (GitHub shows the latter).
fn help(id: &str, title: Option<&str>, worst: Severity, aliases: &[&str], refs: &[&str], fs: &[&Finding]) -> Value {
    let cvss = fs.iter().find_map(|f| f.cvss.as_ref());
    let rating = match cvss {
        Some(c) => format!("{}, CVSS {} {:.1} from {}", worst.as_str(), c.version, c.score, c.source),
        None => worst.as_str().to_owned(),
    };
    let kev = fs.iter().any(|f| f.known_exploited);

    let mut text = format!("{id} ({rating})");
    let mut md = format!("**{}** ({})", cell(id), cell(&rating));
    if kev {
        text.push_str(", known to be exploited");
        md.push_str(", **known to be exploited**");
    }
    text.push('\n');
    md.push_str("\n\n");
    if let Some(t) = title {
        text.push_str(&format!("{t}\n"));
        md.push_str(&format!("{}\n\n", cell(t)));
    }
    text.push_str("\nAffected packages:\n");
    md.push_str("| Package | Installed | Fixed | Found in |\n| --- | --- | --- | --- |\n");
    for f in fs {
        let p = &f.package;
        text.push_str(&format!("- {} {} ({}): {}, in {}\n", p.name, p.version, p.kind, fix_text(f), p.found_in));
        let fixed = match (f.state, &f.fixed_version) {
            (FixState::Fixed, Some(v)) => code(v),
            _ => cell(&fix_text(f)),
        };
        md.push_str(&format!("| {} | {} | {fixed} | {} |\n", code(&p.name), code(&p.version), code(&p.found_in)));
    }
    if !aliases.is_empty() {
        text.push_str(&format!("\nAliases: {}\n", aliases.join(", ")));
        md.push_str(&format!("\nAliases: {}\n", aliases.iter().map(|a| cell(a)).collect::<Vec<_>>().join(", ")));
    }
    if !refs.is_empty() {
        text.push_str("\nReferences:\n");
        md.push_str("\nReferences:\n\n");
        for r in refs {
            text.push_str(&format!("- {r}\n"));
            md.push_str(&format!("- <{r}>\n"));
        }
    }
    json!({"text": text, "markdown": md})
}

fn result(f: &Finding, rule_index: usize, report: &ScanReport) -> Value {
    let p = &f.package;
    let mut msg = format!("{} {} ({}) is affected by {} ({}): ", p.name, p.version, p.kind, f.id, f.severity.as_str());
    msg.push_str(&match (f.state, &f.fixed_version) {
        (FixState::Fixed, Some(v)) => format!("fixed in {v}."),
        (FixState::Fixed, None) => "a fixed version exists.".to_owned(),
        (FixState::NotFixed, _) => "no fixed version yet.".to_owned(),
        (FixState::WontFix, _) => "the distribution will not fix it.".to_owned(),
    });
    if f.known_exploited {
        msg.push_str(" Known to be exploited.");
    }
    if let Some(l) = &p.layer {
        msg.push_str(&format!(" Introduced in layer {}", l.index));
        if let Some(d) = &l.diff_id {
            msg.push_str(&format!(" ({d})"));
        }
        msg.push('.');
    }
    // A location is required by GitHub; a package with no recorded file (a bare directory
    // scan) is placed at the scan target instead.
    let path = if p.found_in.trim_matches('/').is_empty() { target(report) } else { p.found_in.as_str() };
    let uri = match relative_uri(path) {
        u if u.is_empty() => ".".to_owned(),
        u => u,
    };

    let mut props = json!({
        "package": p.name,
        "installedVersion": p.version,
        "packageType": p.kind,
        "purl": p.purl,
        "fixState": f.state,
        "knownExploited": f.known_exploited,
    });
    if let Some(v) = &f.fixed_version {
        props["fixedVersion"] = json!(v);
    }
    json!({
        "ruleId": f.id,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": msg},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": 1}},
        }],
        // GitHub combines this with the rule and the path into the alert's identity, and
        // only computes it from the file's lines when it is missing, which it cannot do
        // for a file inside an image. Hashing (id, package, version) keeps an alert open
        // across scans until the package changes version.
        "partialFingerprints": {"primaryLocationLineHash": fingerprint(f)},
        "properties": props,
    })
}

fn fingerprint(f: &Finding) -> String {
    let mut h = sha2::Sha256::new();
    for part in [f.id.as_str(), &f.package.kind, &f.package.name, &f.package.version] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    format!("{}:1", hex::encode(&h.finalize()[..16]))
}
