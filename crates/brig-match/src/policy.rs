//! Suppression policy for scan findings: which findings people have looked at and decided
//! to keep out of the report, and why. Three inputs:
//!
//! - an ignore file (`.brigignore.yaml`): a YAML list of `{id, package?, reason, expires?}`;
//! - OpenVEX JSON documents (`statements[]`);
//! - CycloneDX VEX documents (`vulnerabilities[]` with an `analysis`).
//!
//! A suppressed finding is never dropped silently: [`Policy::suppression`] says by what and
//! why, and the caller records it in `ScanReport.suppressed`. Policy files are written by
//! people, so parsing is strict (an unknown key or status is an error naming the file and
//! the entry) while matching fails closed: what cannot be compared does not suppress.

use std::collections::BTreeMap;
use std::fmt;

use brig_sbom::Purl;
use serde::Deserialize;
use serde_json::Value;

use crate::model::Finding;

/// A policy file that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub file: String,
    pub reason: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.reason)
    }
}

impl std::error::Error for PolicyError {}

fn err(file: &str, reason: impl Into<String>) -> PolicyError {
    PolicyError { file: file.to_owned(), reason: reason.into() }
}

// ---------------------------------------------------------------------------------------
// Ignore file

/// One entry of an ignore file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// A vulnerability id; matches the finding's id or any of its aliases.
    pub id: String,
    /// A package name, or a purl compared without qualifiers (and without version when
    /// it has none). Absent: every package.
    #[serde(default)]
    pub package: Option<String>,
    /// Why the finding may be ignored; required, because the report repeats it.
    pub reason: String,
    /// `YYYY-MM-DD`: from that day on the entry no longer suppresses, and a warning says
    /// it has expired, so that decisions are revisited rather than forgotten.
    #[serde(default)]
    pub expires: Option<String>,
}

impl IgnoreEntry {
    /// Expired on and after its `expires` day. A `today` that is not a date counts as
    /// expired: an entry that cannot be shown to be in force does not suppress.
    pub fn is_expired(&self, today: &str) -> bool {
        match &self.expires {
            None => false,
            // Both are validated `YYYY-MM-DD`, whose string order is date order.
            Some(e) => !is_date(today) || today >= e.as_str(),
        }
    }
}

/// A parsed `.brigignore.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreFile {
    pub file: String,
    pub entries: Vec<IgnoreEntry>,
    /// The entries' `package` values that are purls, parsed once.
    purls: Vec<Option<Purl>>,
}

impl IgnoreFile {
    /// Parses the YAML list; `file` names it in errors and reasons.
    pub fn parse(file: &str, text: &str) -> Result<IgnoreFile, PolicyError> {
        // An empty file (or one with only comments) is an empty list, not an error.
        let entries: Option<Vec<IgnoreEntry>> = serde_norway::from_str(text).map_err(|e| {
            err(file, format!("not a list of ignore entries ({{id, package?, reason, expires?}}): {e}"))
        })?;
        let entries = entries.unwrap_or_default();
        let mut purls = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let at = |what: String| err(file, format!("entry {} ({}): {what}", i + 1, e.id));
            if e.id.trim().is_empty() {
                return Err(err(file, format!("entry {}: empty id", i + 1)));
            }
            if e.reason.trim().is_empty() {
                return Err(at("empty reason; say why the finding may be ignored".into()));
            }
            if let Some(d) = &e.expires
                && !is_date(d)
            {
                return Err(at(format!("expires '{d}' is not a date (YYYY-MM-DD)")));
            }
            purls.push(match e.package.as_deref().map(str::trim) {
                Some("") => return Err(at("empty package".into())),
                Some(p) if p.starts_with("pkg:") => {
                    Some(Purl::parse(p).map_err(|why| at(format!("package '{p}' is not a valid purl: {why}")))?)
                }
                _ => None,
            });
        }
        Ok(IgnoreFile { file: file.to_owned(), entries, purls })
    }

    fn matching(&self, finding: &Finding, today: &str) -> Option<(String, String)> {
        for (e, purl) in self.entries.iter().zip(&self.purls) {
            if !ids_match(std::slice::from_ref(&e.id), finding) || e.is_expired(today) {
                continue;
            }
            let package_ok = match (purl, e.package.as_deref()) {
                (Some(p), _) => finding_purl(finding).is_some_and(|f| purl_matches(p, &f)),
                (None, Some(name)) => name.trim() == finding.package.name,
                (None, None) => true,
            };
            if package_ok {
                let until = e.expires.as_deref().map(|d| format!(", until {d}")).unwrap_or_default();
                return Some(("ignore-file".into(), format!("{} ({}{until})", e.reason.trim(), self.file)));
            }
        }
        None
    }
}

/// `YYYY-MM-DD` naming a real day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num =
        |r: std::ops::Range<usize>| s.get(r).filter(|x| x.bytes().all(|c| c.is_ascii_digit()))?.parse::<u32>().ok();
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return false };
    let Ok(month) = time::Month::try_from(m as u8) else { return false };
    i32::try_from(y).is_ok_and(|y| time::Date::from_calendar_date(y, month, d as u8).is_ok())
}

// ---------------------------------------------------------------------------------------
// VEX

/// The VEX formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexFormat {
    OpenVex,
    CycloneDx,
}

/// One VEX statement about one vulnerability, in either format.
#[derive(Debug, Clone, PartialEq)]
pub struct VexStatement {
    /// The vulnerability's main id, then other names for it (OpenVEX `aliases` and `@id`,
    /// CycloneDX `references[].id`).
    pub ids: Vec<String>,
    /// The packages the statement is about (OpenVEX products and subcomponents,
    /// CycloneDX `affects`), as purls.
    pub products: Vec<Purl>,
    /// The status as written: OpenVEX `not_affected`/`fixed`/…, CycloneDX `analysis.state`.
    pub status: String,
    /// Whether the status means the finding does not apply.
    pub suppresses: bool,
    pub justification: Option<String>,
    /// OpenVEX `impact_statement`, CycloneDX `analysis.detail`.
    pub detail: Option<String>,
    /// Statement time (its own, else its document's), Unix nanoseconds: a later statement
    /// about the same vulnerability and product overrides an earlier one.
    pub timestamp: Option<i128>,
}

impl VexStatement {
    fn reason(&self, file: &str) -> String {
        let mut r = self.status.clone();
        if let Some(j) = &self.justification {
            r.push_str(&format!(" ({j})"));
        }
        if let Some(d) = &self.detail {
            r.push_str(&format!(": {d}"));
        }
        format!("{r} ({file})")
    }
}

/// A parsed VEX document.
#[derive(Debug, Clone, PartialEq)]
pub struct VexDocument {
    pub file: String,
    pub format: VexFormat,
    pub statements: Vec<VexStatement>,
    /// Statements or products that could not be used, said once at load.
    pub warnings: Vec<String>,
}

impl VexDocument {
    /// Parses OpenVEX or CycloneDX VEX JSON, told apart by their top-level fields.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<VexDocument, PolicyError> {
        let doc: Value = serde_json::from_slice(bytes).map_err(|e| err(file, format!("not JSON: {e}")))?;
        let ctx = doc.get("@context").and_then(Value::as_str).unwrap_or_default();
        if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
            parse_cyclonedx(file, &doc)
        } else if ctx.contains("openvex") || doc.get("statements").is_some() {
            parse_openvex(file, &doc)
        } else {
            Err(err(file, "neither OpenVEX (`@context`, `statements`) nor CycloneDX (`bomFormat`)"))
        }
    }
}

/// RFC 3339, as both formats require, to Unix nanoseconds.
fn instant(s: &str) -> Option<i128> {
    let t = time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()?;
    Some(t.unix_timestamp_nanos())
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// A timestamp field, with a warning (not an error) when it is not RFC 3339: ordering is a
/// refinement, and a statement without one still counts, as the oldest.
fn timestamp_of(v: &Value, keys: &[&str], what: &str, warnings: &mut Vec<String>) -> Option<i128> {
    for k in keys {
        if let Some(s) = text(v, k) {
            match instant(&s) {
                Some(t) => return Some(t),
                None => warnings.push(format!("{what}: {k} '{s}' is not an RFC 3339 time; ignored")),
            }
        }
    }
    None
}

const OPENVEX_STATUSES: [&str; 4] = ["not_affected", "affected", "fixed", "under_investigation"];

fn parse_openvex(file: &str, doc: &Value) -> Result<VexDocument, PolicyError> {
    let statements = doc
        .get("statements")
        .and_then(Value::as_array)
        .ok_or_else(|| err(file, "OpenVEX document without a `statements` list"))?;
    let mut warnings = Vec::new();
    let doc_time = timestamp_of(doc, &["last_updated", "timestamp"], "document", &mut warnings);
    let mut out = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let n = i + 1;
        let at = |what: String| err(file, format!("statement {n}: {what}"));
        if !s.is_object() {
            return Err(at("not an object".into()));
        }
        // v0.0.1 wrote the vulnerability as a string; later versions as an object.
        let ids = match s.get("vulnerability") {
            Some(Value::String(id)) if !id.trim().is_empty() => vec![id.trim().to_owned()],
            Some(v @ Value::Object(_)) => {
                let mut ids: Vec<String> = text(v, "name").into_iter().collect();
                if let Some(iri) = text(v, "@id") {
                    // An IRI such as https://nvd.nist.gov/vuln/detail/CVE-2019-17571 ends
                    // with the id it names.
                    if let Some(last) = iri.rsplit('/').next().filter(|l| !l.is_empty() && *l != iri) {
                        ids.push(last.to_owned());
                    }
                    ids.push(iri);
                }
                ids.extend(list(v, "aliases").iter().filter_map(Value::as_str).map(str::to_owned));
                if ids.is_empty() {
                    return Err(at("vulnerability has neither `name` nor `@id`".into()));
                }
                ids
            }
            _ => return Err(at("no vulnerability".into())),
        };
        let status = text(s, "status").ok_or_else(|| at("no status".into()))?;
        if !OPENVEX_STATUSES.contains(&status.as_str()) {
            return Err(at(format!("unknown status '{status}' (expected one of {})", OPENVEX_STATUSES.join(", "))));
        }
        let what = format!("statement {n} ({})", ids[0]);
        let mut products = Vec::new();
        for p in list(s, "products").iter().chain(list(s, "subcomponents")) {
            openvex_component(p, &mut products, &what, &mut warnings).map_err(at)?;
            for sub in list(p, "subcomponents") {
                openvex_component(sub, &mut products, &what, &mut warnings).map_err(at)?;
            }
        }
        if products.is_empty() {
            warnings.push(format!("{what}: names no product by purl; it cannot be applied"));
            continue;
        }
        let timestamp = timestamp_of(s, &["last_updated", "timestamp"], &what, &mut warnings).or(doc_time);
        out.push(VexStatement {
            ids,
            products,
            suppresses: matches!(status.as_str(), "not_affected" | "fixed"),
            status,
            justification: text(s, "justification"),
            detail: text(s, "impact_statement"),
            timestamp,
        });
    }
    let warnings = warnings.into_iter().map(|w| format!("{file}: {w}")).collect();
    Ok(VexDocument { file: file.to_owned(), format: VexFormat::OpenVex, statements: out, warnings })
}

/// A product or subcomponent: a purl string, or an object whose `@id` is a purl or an
/// IRI, and whose `identifiers.purl` is a purl.
fn openvex_component(v: &Value, out: &mut Vec<Purl>, what: &str, warnings: &mut Vec<String>) -> Result<(), String> {
    let mut found = false;
    let mut candidates: Vec<&str> = Vec::new();
    match v {
        Value::String(s) => candidates.push(s),
        Value::Object(_) => {
            if let Some(id) = v.get("@id").and_then(Value::as_str) {
                candidates.push(id);
            }
            if let Some(p) = v.get("identifiers").and_then(|i| i.get("purl")).and_then(Value::as_str) {
                candidates.push(p);
            }
        }
        _ => return Err("a product is neither a string nor an object".into()),
    }
    for c in candidates {
        let c = c.trim();
        if !c.starts_with("pkg:") {
            continue;
        }
        let p = Purl::parse(c).map_err(|why| format!("'{c}' is not a valid purl: {why}"))?;
        if !out.contains(&p) {
            out.push(p);
        }
        found = true;
    }
    if !found {
        warnings.push(format!("{what}: a product without a purl ({v}) cannot be matched"));
    }
    Ok(())
}

/// CycloneDX `analysis.state` values; the first four mean the finding does not apply.
const CDX_SUPPRESSING: [&str; 4] = ["not_affected", "resolved", "false_positive", "resolved_with_pedigree"];
const CDX_OTHER: [&str; 2] = ["exploitable", "in_triage"];

fn parse_cyclonedx(file: &str, doc: &Value) -> Result<VexDocument, PolicyError> {
    let mut warnings = Vec::new();
    let vulns = match doc.get("vulnerabilities") {
        Some(Value::Array(a)) => a.as_slice(),
        None => &[],
        Some(_) => return Err(err(file, "`vulnerabilities` is not a list")),
    };
    if vulns.is_empty() {
        warnings.push("CycloneDX document without vulnerabilities; nothing to apply".to_owned());
    }
    // bom-ref -> purl, over metadata.component and all (nested) components.
    let mut refs: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    let mut stack: Vec<&Value> = list(doc, "components").iter().collect();
    if let Some(c) = doc.get("metadata").and_then(|m| m.get("component")) {
        stack.push(c);
    }
    while let Some(c) = stack.pop() {
        stack.extend(list(c, "components"));
        if let Some(r) = c.get("bom-ref").and_then(Value::as_str) {
            refs.insert(r, c.get("purl").and_then(Value::as_str));
        }
    }
    let doc_time = doc.get("metadata").and_then(|m| timestamp_of(m, &["timestamp"], "metadata", &mut warnings));
    let mut out = Vec::new();
    for (i, v) in vulns.iter().enumerate() {
        let n = i + 1;
        let at = |what: String| err(file, format!("vulnerability {n}: {what}"));
        let id = text(v, "id").ok_or_else(|| at("no id".into()))?;
        let what = format!("vulnerability {n} ({id})");
        let Some(analysis) = v.get("analysis").filter(|a| a.is_object()) else {
            // A vulnerability without analysis reports, it does not exempt.
            warnings.push(format!("{what}: no analysis; not a VEX statement"));
            continue;
        };
        let Some(state) = text(analysis, "state") else {
            warnings.push(format!("{what}: analysis without a state; not applied"));
            continue;
        };
        let suppresses = CDX_SUPPRESSING.contains(&state.as_str());
        if !suppresses && !CDX_OTHER.contains(&state.as_str()) {
            return Err(at(format!(
                "unknown analysis.state '{state}' (expected one of {}, {})",
                CDX_SUPPRESSING.join(", "),
                CDX_OTHER.join(", ")
            )));
        }
        let mut ids = vec![id.clone()];
        ids.extend(list(v, "references").iter().filter_map(|r| text(r, "id")));
        let mut products = Vec::new();
        for a in list(v, "affects") {
            let Some(r) = a.get("ref").and_then(Value::as_str).map(str::trim) else {
                return Err(at("an `affects` entry without `ref`".into()));
            };
            let Some(purl_text) = resolve_ref(r, &refs) else {
                warnings.push(format!("{what}: affects '{r}', which names no component with a purl; not applied"));
                continue;
            };
            let base = Purl::parse(purl_text).map_err(|why| at(format!("'{purl_text}' is not a valid purl: {why}")))?;
            // Versions listed for an unversioned ref narrow it; ranges are not evaluated,
            // so an entry with only ranges is not applied rather than applied too widely.
            let versions: Vec<&Value> = list(a, "versions").iter().collect();
            if base.version.is_some() || versions.is_empty() {
                products.push(base);
                continue;
            }
            for ver in versions {
                match text(ver, "version") {
                    Some(x) => products.push(Purl { version: Some(x), ..base.clone() }),
                    None => warnings.push(format!("{what}: version ranges for '{r}' are not evaluated; not applied")),
                }
            }
        }
        if products.is_empty() {
            if list(v, "affects").is_empty() {
                warnings.push(format!("{what}: affects nothing; not applied"));
            }
            continue;
        }
        let mut justification = text(analysis, "justification");
        // `response` is a list since 1.4; early documents wrote a string.
        let responses: Vec<String> = match analysis.get("response") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => vec![],
        };
        if !responses.is_empty() {
            let r = format!("response: {}", responses.join(", "));
            justification = Some(match justification {
                Some(j) => format!("{j}; {r}"),
                None => r,
            });
        }
        let timestamp = timestamp_of(analysis, &["lastUpdated", "firstIssued"], &what, &mut warnings)
            .or_else(|| timestamp_of(v, &["updated", "published"], &what, &mut warnings))
            .or(doc_time);
        out.push(VexStatement {
            ids,
            products,
            status: state,
            suppresses,
            justification,
            detail: text(analysis, "detail"),
            timestamp,
        });
    }
    let warnings = warnings.into_iter().map(|w| format!("{file}: {w}")).collect();
    Ok(VexDocument { file: file.to_owned(), format: VexFormat::CycloneDx, statements: out, warnings })
}

/// An `affects` ref: a purl; a bom-ref of a component in this document; or a BOM-Link
/// (`urn:cdx:serial/version#ref`) into another document, usable when that ref is a purl,
/// as tools that use purls as bom-refs write them.
fn resolve_ref<'a>(r: &'a str, refs: &BTreeMap<&str, Option<&'a str>>) -> Option<&'a str> {
    if r.starts_with("pkg:") {
        return Some(r);
    }
    if let Some(found) = refs.get(r) {
        return *found;
    }
    let (_, fragment) = r.strip_prefix("urn:cdx:")?.split_once('#')?;
    fragment.starts_with("pkg:").then_some(fragment)
}

// ---------------------------------------------------------------------------------------
// Matching

/// A statement's ids against the finding's id and aliases, ignoring case (GHSA ids are
/// written in both cases).
fn ids_match(ids: &[String], finding: &Finding) -> bool {
    ids.iter().any(|s| {
        let s = s.trim();
        finding.id.eq_ignore_ascii_case(s) || finding.aliases.iter().any(|a| a.eq_ignore_ascii_case(s))
    })
}

fn finding_purl(finding: &Finding) -> Option<Purl> {
    Purl::parse(&finding.package.purl).ok()
}

/// Type, namespace, name and version, qualifiers ignored; no version in the policy's purl
/// means every version. OS vendor namespaces are case-insensitive (purl spec).
fn purl_matches(policy: &Purl, package: &Purl) -> bool {
    let ns_eq = match (&policy.namespace, &package.namespace) {
        (None, None) => true,
        (Some(a), Some(b)) if matches!(package.kind.as_str(), "deb" | "apk" | "rpm" | "alpm") => {
            a.eq_ignore_ascii_case(b)
        }
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    policy.kind == package.kind
        && ns_eq
        && policy.name == package.name
        && policy.version.as_ref().is_none_or(|v| Some(v) == package.version.as_ref())
}

/// Everything that may keep findings out of a report.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    ignores: Vec<IgnoreFile>,
    vex: Vec<VexDocument>,
}

impl Policy {
    pub fn new() -> Self {
        Policy::default()
    }

    pub fn add_ignore_file(&mut self, f: IgnoreFile) {
        self.ignores.push(f);
    }

    pub fn add_vex(&mut self, d: VexDocument) {
        self.vex.push(d);
    }

    /// Adds a policy file by its content: a JSON object is a VEX document, anything else
    /// an ignore file (YAML, of which a JSON list is also a form).
    pub fn load(&mut self, file: &str, bytes: &[u8]) -> Result<(), PolicyError> {
        let text = std::str::from_utf8(bytes).map_err(|_| err(file, "not UTF-8 text"))?;
        if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
            self.add_vex(VexDocument::parse(file, bytes)?);
        } else {
            self.add_ignore_file(IgnoreFile::parse(file, text)?);
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.ignores.is_empty() && self.vex.is_empty()
    }

    /// Whether `finding` is suppressed on `today` (`YYYY-MM-DD`), and by what (`ignore-file`
    /// or `vex`) with the reason. Ignore entries are the user's own decision and are
    /// checked first; among VEX statements about the finding, the latest decides, so a
    /// later `affected` withdraws an earlier `not_affected`.
    pub fn suppression(&self, finding: &Finding, today: &str) -> Option<(String, String)> {
        if let Some(s) = self.ignores.iter().find_map(|f| f.matching(finding, today)) {
            return Some(s);
        }
        let package = finding_purl(finding)?;
        let mut latest: Option<(Option<i128>, usize, &VexStatement, &str)> = None;
        let mut order = 0usize;
        for doc in &self.vex {
            for st in &doc.statements {
                order += 1;
                if !ids_match(&st.ids, finding) || !st.products.iter().any(|p| purl_matches(p, &package)) {
                    continue;
                }
                // Untimed statements sort as the oldest; equal times go by load order.
                if latest.as_ref().is_none_or(|(t, o, _, _)| (st.timestamp, order) >= (*t, *o)) {
                    latest = Some((st.timestamp, order, st, &doc.file));
                }
            }
        }
        let (_, _, st, file) = latest?;
        st.suppresses.then(|| ("vex".to_owned(), st.reason(file)))
    }

    /// What the user should know about the policy itself: expired ignore entries (which no
    /// longer suppress) and VEX statements that could not be applied.
    pub fn warnings(&self, today: &str) -> Vec<String> {
        let mut out = Vec::new();
        if !is_date(today) && self.ignores.iter().any(|f| f.entries.iter().any(|e| e.expires.is_some())) {
            out.push(format!("today's date '{today}' is not YYYY-MM-DD; ignore entries with an expiry do not apply"));
        }
        for f in &self.ignores {
            for e in f.entries.iter().filter(|e| e.is_expired(today) && is_date(today)) {
                let pkg = e.package.as_deref().map(|p| format!(" in {p}")).unwrap_or_default();
                let date = e.expires.as_deref().unwrap_or_default();
                out.push(format!(
                    "{}: the ignore entry for {}{pkg} expired on {date}; it no longer suppresses",
                    f.file, e.id
                ));
            }
        }
        for d in &self.vex {
            out.extend(d.warnings.iter().cloned());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FixState, PackageRef, Severity};

    const TODAY: &str = "2025-03-01";

    fn finding(id: &str, aliases: &[&str], name: &str, purl: &str) -> Finding {
        let version = Purl::parse(purl).ok().and_then(|p| p.version).unwrap_or_default();
        Finding {
            id: id.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            package: PackageRef {
                id: "0123456789abcdef".into(),
                kind: purl.split([':', '/']).nth(1).unwrap_or_default().into(),
                name: name.into(),
                version,
                source_name: None,
                source_version: None,
                purl: purl.into(),
                found_in: "/var/lib/dpkg/status".into(),
                layer: None,
            },
            ecosystem: "Debian:11".into(),
            state: FixState::Fixed,
            fixed_version: None,
            severity: Severity::High,
            severity_source: None,
            cvss: None,
            known_exploited: false,
            title: None,
            cwes: vec![],
            advisories: vec![],
            references: vec![],
        }
    }

    const LIBC: &str = "pkg:deb/debian/libc6@2.31-13%2Bdeb11u5?arch=amd64&distro=debian-11&upstream=glibc";

    fn libc(id: &str) -> Finding {
        finding(id, &[], "libc6", LIBC)
    }

    fn policy(files: &[(&str, &str)]) -> Policy {
        let mut p = Policy::new();
        for (name, body) in files {
            p.load(name, body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        }
        p
    }

    fn by(p: &Policy, f: &Finding) -> Option<String> {
        p.suppression(f, TODAY).map(|(by, _)| by)
    }

    // -- ignore file ---------------------------------------------------------------------

    const IGNORE: &str = r#"
# Reviewed 2025-01-10.
- id: CVE-2022-0001
  reason: not reachable from our entrypoint
- id: DLA-3152-1            # an alias of the finding
  package: libc6
  reason: only the dynamic loader is used
  expires: 2025-06-30
- id: CVE-2022-0003
  package: pkg:deb/debian/libc6
  reason: any libc6 version
- id: CVE-2022-0004
  package: pkg:deb/debian/libc6@2.31-13+deb11u4
  reason: an older version only
- id: CVE-2022-0005
  reason: expired
  expires: "2025-03-01"
"#;

    #[test]
    fn ignore_entries_match_id_alias_name_and_purl() {
        let p = policy(&[(".brigignore.yaml", IGNORE)]);
        let (who, why) = p.suppression(&libc("CVE-2022-0001"), TODAY).unwrap_or_default();
        assert_eq!(
            (who.as_str(), why.as_str()),
            ("ignore-file", "not reachable from our entrypoint (.brigignore.yaml)")
        );
        // By alias and package name, with the expiry in the reason.
        let aliased = finding("CVE-2022-9999", &["DLA-3152-1"], "libc6", LIBC);
        let (_, why) = p.suppression(&aliased, TODAY).unwrap_or_default();
        assert_eq!(why, "only the dynamic loader is used (.brigignore.yaml, until 2025-06-30)");
        assert_eq!(by(&p, &finding("CVE-2022-9999", &["DLA-3152-1"], "libc-bin", LIBC)), None, "other package name");
        // A purl without version matches every version; qualifiers are ignored.
        assert_eq!(by(&p, &libc("CVE-2022-0003")).as_deref(), Some("ignore-file"));
        assert_eq!(by(&p, &libc("CVE-2022-0004")), None, "the version differs");
        let old = finding("CVE-2022-0004", &[], "libc6", "pkg:deb/debian/libc6@2.31-13%2Bdeb11u4?arch=arm64");
        assert_eq!(by(&p, &old).as_deref(), Some("ignore-file"));
        assert_eq!(by(&p, &libc("CVE-2022-1234")), None);
        // Ids compare without regard to case.
        assert_eq!(by(&p, &libc("cve-2022-0001")).as_deref(), Some("ignore-file"));
    }

    #[test]
    fn expired_entries_stop_suppressing_and_warn() {
        let p = policy(&[(".brigignore.yaml", IGNORE)]);
        assert_eq!(by(&p, &libc("CVE-2022-0005")), None, "expires today: no longer in force");
        assert_eq!(p.suppression(&libc("CVE-2022-0005"), "2025-02-28").map(|s| s.0).as_deref(), Some("ignore-file"));
        assert_eq!(
            p.warnings(TODAY),
            [".brigignore.yaml: the ignore entry for CVE-2022-0005 expired on 2025-03-01; it no longer suppresses"]
        );
        assert!(p.warnings("2025-02-28").is_empty());
        let later = p.warnings("2025-07-01");
        assert_eq!(later.len(), 2);
        assert!(later[0].contains("DLA-3152-1 in libc6 expired on 2025-06-30"), "{later:?}");
        assert_eq!(by(&p, &libc("CVE-2022-0001")).as_deref(), Some("ignore-file"), "no expiry: always");
        // A malformed `today` cannot show an entry to be in force.
        assert_eq!(p.suppression(&finding("CVE-2022-9999", &["DLA-3152-1"], "libc6", LIBC), "01/03/2025"), None);
        assert!(p.warnings("01/03/2025")[0].contains("not YYYY-MM-DD"));
    }

    #[test]
    fn ignore_file_errors_name_the_file_and_entry() {
        let e = |text: &str| IgnoreFile::parse("ci/.brigignore.yaml", text).err().unwrap_or_else(|| panic!("{text}"));
        let unknown = e("- id: CVE-1\n  reason: x\n  pakage: libc6\n");
        assert_eq!(unknown.file, "ci/.brigignore.yaml");
        assert!(unknown.reason.contains("unknown field `pakage`"), "{unknown}");
        assert!(e("- id: CVE-1\n").reason.contains("missing field `reason`"));
        assert_eq!(
            e("- id: CVE-1\n  reason: ' '\n").reason,
            "entry 1 (CVE-1): empty reason; say why the finding may be ignored"
        );
        assert_eq!(
            e("- id: CVE-1\n  reason: r\n- id: CVE-2\n  reason: r\n  expires: 2025-02-30\n").reason,
            "entry 2 (CVE-2): expires '2025-02-30' is not a date (YYYY-MM-DD)"
        );
        assert!(e("- id: CVE-1\n  reason: r\n  expires: 2025-1-5\n").reason.contains("not a date"));
        assert!(e("- id: CVE-1\n  reason: r\n  package: 'pkg:deb/x%zz'\n").reason.contains("not a valid purl"));
        assert!(e("- id: ''\n  reason: r\n").reason.contains("empty id"));
        assert!(e("ignore:\n  - id: CVE-1\n").reason.contains("not a list"));
        assert!(e("- [1, 2]\n").to_string().starts_with("ci/.brigignore.yaml: "));
        // Empty and comment-only files are empty lists.
        for empty in ["", "\n", "# nothing ignored yet\n"] {
            assert_eq!(IgnoreFile::parse("f", empty).map(|f| f.entries.len()), Ok(0));
        }
    }

    #[test]
    fn dates() {
        for good in ["2024-02-29", "2025-12-31", "0001-01-01"] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-01-32",
            "25-01-01",
            "2025/01/01",
            "2025-01-1x",
            "２０２５-01-01",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    // -- OpenVEX -------------------------------------------------------------------------

    /// The OpenVEX specification's own example (Spring Boot and log4shell), including its
    /// vulnerability `@id` IRI, aliases, `identifiers.purl` and hashes.
    const OPENVEX_SPRING: &str = r#"{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://openvex.dev/docs/public/vex-2e67563e128250cbcb3e98930df948dd053e43271d70dc50cfa22d57e03fe96f",
  "author": "Spring Builds <spring-builds@users.noreply.github.com>",
  "role": "Project Release Bot",
  "timestamp": "2023-01-16T19:07:16.853479631-06:00",
  "version": 1,
  "statements": [
    {
      "vulnerability": {
        "@id": "https://nvd.nist.gov/vuln/detail/CVE-2021-44228",
        "name": "CVE-2021-44228",
        "description": "Remote code injection in Log4j",
        "aliases": ["GHSA-jfh8-c2jp-5v3q"]
      },
      "products": [
        {
          "@id": "pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3",
          "identifiers": {"purl": "pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3"},
          "hashes": {"sha-256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}
        }
      ],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "Spring Boot users are only affected by this vulnerability if they have switched the default logging system to Log4J2."
    }
  ]
}"#;

    fn spring(id: &str, aliases: &[&str], version: &str) -> Finding {
        let purl = format!("pkg:maven/org.springframework.boot/spring-boot@{version}?type=jar");
        finding(id, aliases, "org.springframework.boot:spring-boot", &purl)
    }

    #[test]
    fn openvex_specification_example() {
        let p = policy(&[("spring.openvex.json", OPENVEX_SPRING)]);
        let (who, why) = p.suppression(&spring("CVE-2021-44228", &[], "2.6.0-M3"), TODAY).unwrap_or_default();
        assert_eq!(who, "vex");
        assert_eq!(
            why,
            "not_affected (vulnerable_code_not_in_execute_path): Spring Boot users are only affected by this \
             vulnerability if they have switched the default logging system to Log4J2. (spring.openvex.json)"
        );
        // Through an alias on either side.
        assert!(p.suppression(&spring("GHSA-JFH8-C2JP-5V3Q", &[], "2.6.0-M3"), TODAY).is_some());
        assert!(p.suppression(&spring("GHSA-xxxx", &["CVE-2021-44228"], "2.6.0-M3"), TODAY).is_some());
        assert!(p.suppression(&spring("CVE-2021-44228", &[], "2.6.0"), TODAY).is_none(), "another version");
        assert!(p.warnings(TODAY).is_empty());
    }

    /// The specification's minimal document (wolfi git, `fixed`), a v0.0.1-style statement
    /// (vulnerability and products as strings), and an image product with subcomponents.
    const OPENVEX_SHAPES: &str = r#"{
  "@context": "https://openvex.dev/ns",
  "@id": "https://openvex.dev/docs/example/vex-9fb3463de1b57",
  "author": "Wolfi J Inkinson",
  "role": "Document Creator",
  "timestamp": "2023-01-08T18:02:03.647787998-06:00",
  "version": 1,
  "statements": [
    {
      "vulnerability": {"name": "CVE-2023-12345"},
      "products": [
        {"@id": "pkg:apk/wolfi/git@2.39.0-r1?arch=armv7"},
        {"@id": "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"}
      ],
      "status": "fixed"
    },
    {
      "vulnerability": "CVE-2023-0002",
      "products": ["pkg:deb/debian/libc6"],
      "status": "not_affected",
      "justification": "vulnerable_code_not_present"
    },
    {
      "vulnerability": {"name": "CVE-2023-0003"},
      "products": [
        {
          "@id": "pkg:oci/app@sha256%3Aabc?repository_url=registry.example.com/app",
          "subcomponents": [{"@id": "pkg:deb/debian/libc6@2.31-13+deb11u5"}]
        }
      ],
      "status": "not_affected",
      "justification": "inline_mitigations_already_exist"
    },
    {
      "vulnerability": {"name": "CVE-2023-0004"},
      "products": [{"@id": "pkg:deb/debian/libc6"}],
      "status": "affected",
      "action_statement": "upgrade"
    },
    {
      "vulnerability": {"name": "CVE-2023-0005"},
      "products": [{"@id": "pkg:deb/debian/libc6"}],
      "status": "under_investigation"
    },
    {
      "vulnerability": {"name": "CVE-2023-0006"},
      "products": [{"@id": "https://example.com/products/widget", "identifiers": {"cpe23": "cpe:2.3:a:x:y:1"}}],
      "status": "not_affected",
      "justification": "component_not_present"
    }
  ]
}"#;

    #[test]
    fn openvex_shapes_and_statuses() {
        let p = policy(&[("shapes.json", OPENVEX_SHAPES)]);
        let git = finding("CVE-2023-12345", &[], "git", "pkg:apk/wolfi/git@2.39.0-r1?arch=aarch64&distro=wolfi");
        assert_eq!(p.suppression(&git, TODAY).map(|s| s.1).as_deref(), Some("fixed (shapes.json)"));
        let newer = finding("CVE-2023-12345", &[], "git", "pkg:apk/wolfi/git@2.40.0-r0");
        assert_eq!(by(&p, &newer), None);
        assert_eq!(by(&p, &libc("CVE-2023-0002")).as_deref(), Some("vex"), "string forms");
        assert_eq!(by(&p, &libc("CVE-2023-0003")).as_deref(), Some("vex"), "a subcomponent of an image");
        assert_eq!(by(&p, &libc("CVE-2023-0004")), None, "affected does not suppress");
        assert_eq!(by(&p, &libc("CVE-2023-0005")), None, "under_investigation does not suppress");
        assert_eq!(by(&p, &libc("CVE-2023-0006")), None, "no purl: nothing to match");
        assert_eq!(
            p.warnings(TODAY),
            [
                "shapes.json: statement 6 (CVE-2023-0006): a product without a purl \
                 ({\"@id\":\"https://example.com/products/widget\",\"identifiers\":{\"cpe23\":\"cpe:2.3:a:x:y:1\"}}) \
                 cannot be matched",
                "shapes.json: statement 6 (CVE-2023-0006): names no product by purl; it cannot be applied",
            ]
        );
    }

    #[test]
    fn the_latest_openvex_statement_decides() {
        // The specification's update example: under_investigation, then fixed.
        let doc = |first: &str, second: &str, t2: &str| {
            format!(
                r#"{{"@context": "https://openvex.dev/ns", "timestamp": "2023-01-09T09:08:42-06:00", "statements": [
                {{"timestamp": "2023-01-08T18:02:03-06:00", "vulnerability": {{"name": "CVE-2023-12345"}},
                  "products": [{{"@id": "pkg:deb/debian/libc6"}}], "status": "{first}", "justification": "component_not_present"}},
                {{"timestamp": "{t2}", "vulnerability": {{"name": "CVE-2023-12345"}},
                  "products": [{{"@id": "pkg:deb/debian/libc6@2.31-13+deb11u5"}}], "status": "{second}"}}
            ]}}"#
            )
        };
        let f = libc("CVE-2023-12345");
        // The first statement is at 2023-01-09T00:02:03Z.
        let later = "2023-01-09T01:00:00Z";
        let earlier = "2023-01-08T17:00:00-06:00";
        assert_eq!(by(&policy(&[("v.json", &doc("under_investigation", "fixed", later))]), &f).as_deref(), Some("vex"));
        assert_eq!(by(&policy(&[("v.json", &doc("not_affected", "affected", later))]), &f), None, "withdrawn");
        assert_eq!(
            by(&policy(&[("v.json", &doc("not_affected", "affected", earlier))]), &f).as_deref(),
            Some("vex"),
            "timestamps, not positions, order statements (offsets included)"
        );
        // Across documents: a later document's statement without its own time inherits
        // the document's.
        let withdraw = r#"{"@context": "https://openvex.dev/ns", "timestamp": "2024-05-01T00:00:00Z", "statements": [
            {"vulnerability": {"name": "CVE-2023-12345"}, "products": ["pkg:deb/debian/libc6"], "status": "affected"}]}"#;
        let p = policy(&[("a.json", &doc("not_affected", "fixed", later)), ("b.json", withdraw)]);
        assert_eq!(by(&p, &f), None);
    }

    #[test]
    fn openvex_errors() {
        let e = |body: &str| VexDocument::parse("vex.json", body.as_bytes()).err().unwrap_or_else(|| panic!("{body}"));
        let bad_status = e(r#"{"@context":"https://openvex.dev/ns","statements":[
            {"vulnerability":{"name":"CVE-1"},"products":["pkg:npm/x"],"status":"not-affected"}]}"#);
        assert_eq!(bad_status.file, "vex.json");
        assert!(bad_status.reason.starts_with("statement 1: unknown status 'not-affected'"), "{bad_status}");
        assert!(e(r#"{"@context":"https://openvex.dev/ns"}"#).reason.contains("without a `statements` list"));
        assert!(
            e(r#"{"statements":[{"products":["pkg:npm/x"],"status":"fixed"}]}"#).reason.contains("no vulnerability")
        );
        assert!(
            e(r#"{"statements":[{"vulnerability":{"description":"x"},"status":"fixed"}]}"#).reason.contains("neither")
        );
        assert!(e(r#"{"statements":[{"vulnerability":"CVE-1"}]}"#).reason.contains("no status"));
        assert!(
            e(r#"{"statements":[{"vulnerability":"CVE-1","status":"fixed","products":["pkg:%zz/x"]}]}"#)
                .reason
                .contains("not a valid purl")
        );
        assert!(e(r#"{"statements":[1]}"#).reason.contains("not an object"));
        assert!(e("not json").reason.starts_with("not JSON"));
        assert!(e(r#"{"foo": 1}"#).reason.contains("neither OpenVEX"));
        // A bad timestamp is a warning, not an error.
        let d = VexDocument::parse(
            "v.json",
            br#"{"timestamp":"yesterday","statements":[{"vulnerability":"CVE-1","status":"fixed","products":["pkg:npm/x"]}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.warnings, ["v.json: document: timestamp 'yesterday' is not an RFC 3339 time; ignored"]);
        assert_eq!(d.statements.len(), 1);
    }

    // -- CycloneDX VEX -------------------------------------------------------------------

    /// The shapes of CycloneDX's VEX examples: an `affects` ref that is a bom-ref (here of a
    /// component with a purl, and of metadata.component without one), a BOM-Link into
    /// another BOM whose ref is a purl, `references` naming the same vulnerability
    /// elsewhere, `response` as a list and (in early examples) as a string.
    const CDX_VEX: &str = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "version": 1,
  "metadata": {
    "timestamp": "2022-03-03T00:00:00Z",
    "component": {"name": "ABC", "version": "4.2", "type": "application", "bom-ref": "product-ABC"}
  },
  "components": [
    {"type": "library", "bom-ref": "libc", "name": "libc6", "version": "2.31-13+deb11u5",
     "purl": "pkg:deb/debian/libc6@2.31-13%2Bdeb11u5?arch=amd64"}
  ],
  "vulnerabilities": [
    {
      "id": "CVE-2020-25649",
      "source": {"name": "NVD", "url": "https://nvd.nist.gov/vuln/detail/CVE-2020-25649"},
      "references": [{"id": "SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302", "source": {"name": "SNYK"}}],
      "analysis": {
        "state": "not_affected",
        "justification": "code_not_reachable",
        "response": "will_not_fix",
        "detail": "Automated dataflow analysis and manual code review indicates that the vulnerable code is not reachable."
      },
      "affects": [{"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"}]
    },
    {
      "id": "CVE-2021-44228",
      "analysis": {"state": "not_affected", "justification": "code_not_present", "response": ["will_not_fix"],
                   "detail": "Class with vulnerable code was removed before shipping."},
      "affects": [{"ref": "product-ABC"}]
    },
    {"id": "CVE-2022-0001", "analysis": {"state": "resolved"}, "affects": [{"ref": "libc"}]},
    {"id": "CVE-2022-0002", "analysis": {"state": "false_positive"}, "affects": [{"ref": "libc"}]},
    {"id": "CVE-2022-0003", "analysis": {"state": "resolved_with_pedigree"}, "affects": [{"ref": "libc"}]},
    {"id": "CVE-2022-0004", "analysis": {"state": "exploitable", "response": ["update"]}, "affects": [{"ref": "libc"}]},
    {"id": "CVE-2022-0005", "analysis": {"state": "in_triage"}, "affects": [{"ref": "libc"}]},
    {"id": "CVE-2022-0006", "ratings": [{"severity": "high"}], "affects": [{"ref": "libc"}]},
    {
      "id": "CVE-2022-0007",
      "analysis": {"state": "not_affected", "justification": "requires_configuration"},
      "affects": [{"ref": "pkg:deb/debian/libc6", "versions": [{"version": "2.31-13+deb11u5", "status": "unaffected"}]},
                  {"ref": "pkg:deb/debian/libc-bin", "versions": [{"range": "vers:deb/<2.31-13+deb11u6", "status": "unaffected"}]}]
    }
  ]
}"#;

    #[test]
    fn cyclonedx_vex_shapes_and_states() {
        let p = policy(&[("vex.cdx.json", CDX_VEX)]);
        let jackson = finding(
            "CVE-2020-25649",
            &[],
            "com.fasterxml.jackson.core:jackson-databind",
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0",
        );
        let (who, why) = p.suppression(&jackson, TODAY).unwrap_or_default();
        assert_eq!(who, "vex");
        assert_eq!(
            why,
            "not_affected (code_not_reachable; response: will_not_fix): Automated dataflow analysis and manual code \
             review indicates that the vulnerable code is not reachable. (vex.cdx.json)"
        );
        let snyk = finding("SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302", &[], "x", &jackson.package.purl);
        assert_eq!(by(&p, &snyk).as_deref(), Some("vex"), "references are other names of the vulnerability");
        for (id, suppressed) in [
            ("CVE-2022-0001", true),
            ("CVE-2022-0002", true),
            ("CVE-2022-0003", true),
            ("CVE-2022-0004", false),
            ("CVE-2022-0005", false),
            ("CVE-2022-0006", false),
            ("CVE-2022-0007", true),
        ] {
            assert_eq!(by(&p, &libc(id)).is_some(), suppressed, "{id}");
        }
        let other = finding("CVE-2022-0007", &[], "libc6", "pkg:deb/debian/libc6@2.31-13%2Bdeb11u6");
        assert_eq!(by(&p, &other), None, "the listed version only");
        let bin = finding("CVE-2022-0007", &[], "libc-bin", "pkg:deb/debian/libc-bin@2.31-13%2Bdeb11u5");
        assert_eq!(by(&p, &bin), None, "ranges are not evaluated");
        assert_eq!(
            p.warnings(TODAY),
            [
                "vex.cdx.json: vulnerability 2 (CVE-2021-44228): affects 'product-ABC', which names no component \
                 with a purl; not applied",
                "vex.cdx.json: vulnerability 8 (CVE-2022-0006): no analysis; not a VEX statement",
                "vex.cdx.json: vulnerability 9 (CVE-2022-0007): version ranges for 'pkg:deb/debian/libc-bin' are \
                 not evaluated; not applied",
            ]
        );
    }

    #[test]
    fn cyclonedx_vex_errors() {
        let e =
            |body: &str| VexDocument::parse("v.cdx.json", body.as_bytes()).err().unwrap_or_else(|| panic!("{body}"));
        let bad = e(r#"{"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[
            {"id":"CVE-1","analysis":{"state":"not-affected"},"affects":[{"ref":"pkg:npm/x"}]}]}"#);
        assert_eq!(bad.file, "v.cdx.json");
        assert!(bad.reason.starts_with("vulnerability 1: unknown analysis.state 'not-affected'"), "{bad}");
        assert!(e(r#"{"bomFormat":"CycloneDX","vulnerabilities":[{"analysis":{}}]}"#).reason.contains("no id"));
        assert!(e(r#"{"bomFormat":"CycloneDX","vulnerabilities":{}}"#).reason.contains("not a list"));
        assert!(e(r#"{"bomFormat":"CycloneDX","vulnerabilities":[{"id":"X","analysis":{"state":"resolved"},"affects":[{}]}]}"#)
            .reason
            .contains("without `ref`"));
    }

    #[test]
    fn ignore_entries_come_before_vex() {
        let p = policy(&[
            (
                "vex.json",
                r#"{"statements":[{"vulnerability":"CVE-1","products":["pkg:deb/debian/libc6"],"status":"affected"}]}"#,
            ),
            (".brigignore.yaml", "- id: CVE-1\n  reason: accepted risk\n"),
        ]);
        assert_eq!(
            p.suppression(&libc("CVE-1"), TODAY),
            Some(("ignore-file".into(), "accepted risk (.brigignore.yaml)".into()))
        );
        assert!(!p.is_empty() && Policy::new().is_empty());
        assert_eq!(Policy::new().suppression(&libc("CVE-1"), TODAY), None);
    }

    #[test]
    fn purl_comparison() {
        let m = |a: &str, b: &str| {
            purl_matches(
                &Purl::parse(a).unwrap_or_else(|e| panic!("{e}")),
                &Purl::parse(b).unwrap_or_else(|e| panic!("{e}")),
            )
        };
        assert!(m("pkg:deb/debian/libc6@1?arch=amd64", "pkg:deb/debian/libc6@1?arch=arm64&distro=debian-11"));
        assert!(m("pkg:deb/Debian/libc6", "pkg:deb/debian/libc6@1"));
        assert!(!m("pkg:deb/ubuntu/libc6", "pkg:deb/debian/libc6@1"));
        assert!(!m("pkg:deb/libc6", "pkg:deb/debian/libc6@1"), "namespace is compared");
        assert!(!m("pkg:npm/Foo", "pkg:npm/foo@1"));
        assert!(m("pkg:pypi/PyYAML@5.3.1", "pkg:pypi/pyyaml@5.3.1"), "pypi names are normalised");
        assert!(!m("pkg:rpm/fedora/curl@1-1", "pkg:deb/fedora/curl@1-1"));
        // A finding whose purl cannot be parsed matches no VEX statement.
        let p = policy(&[(
            "v.json",
            r#"{"statements":[{"vulnerability":"CVE-1","products":["pkg:npm/x"],"status":"fixed"}]}"#,
        )]);
        assert_eq!(by(&p, &finding("CVE-1", &[], "x", "not a purl")), None);
    }

    #[test]
    fn load_rejects_binary_and_reports_the_file() {
        let e = Policy::new().load("x.bin", &[0xff, 0xfe, 0x00]).err();
        assert_eq!(e, Some(PolicyError { file: "x.bin".into(), reason: "not UTF-8 text".into() }));
    }
}
