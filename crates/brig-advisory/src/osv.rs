//! OSV (schema 1.x) records, one at a time or as the `<ecosystem>/all.zip` that osv.dev
//! serves (one JSON record per zip member).
//!
//! Unknown fields are ignored (the schema grows); fields of the wrong type make the record
//! unreadable, and the zip parser then skips it and counts it.

use std::io::{Read, Seek};

use serde_json::{Map, Value};

use crate::json_stream::get::{self, Obj};
use crate::severity;
use crate::{
    Advisory, Affected, Event, FeedError, FeedStats, Range, RangeKind, Record, Reference, Severity, SeverityKind,
};

/// Zip members larger than this are skipped: no OSV record comes near it, and reading one
/// would let a zip bomb exhaust memory.
pub const MAX_MEMBER_BYTES: u64 = 16 * 1024 * 1024;

/// Parses one OSV record. `source` names the feed (`osv:PyPI`, …) and becomes the source
/// of the record's CVSS severities. The error says what is wrong with the record.
pub fn parse_record(json: &[u8], source: &str) -> Result<Advisory, String> {
    let value: Value = serde_json::from_slice(json).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(rec) = value else {
        return Err(format!("record is {}, not an object", get::kind(&value)));
    };
    let id = get::opt_str(&rec, "id")?.filter(|id| !id.trim().is_empty()).ok_or("no `id`")?;
    let mut adv = Advisory {
        aliases: get::str_list(&rec, "aliases")?,
        upstream: get::str_list(&rec, "upstream")?,
        related: get::str_list(&rec, "related")?,
        summary: get::opt_str(&rec, "summary")?.filter(|s| !s.is_empty()),
        details: get::opt_str(&rec, "details")?.filter(|s| !s.is_empty()),
        published: get::opt_str(&rec, "published")?,
        modified: get::opt_str(&rec, "modified")?,
        withdrawn: get::opt_str(&rec, "withdrawn")?,
        severities: severities(&rec, source)?,
        id,
        ..Advisory::default()
    };
    for (i, item) in get::array(&rec, "affected")?.iter().enumerate() {
        let Value::Object(a) = item else {
            return Err(format!("affected[{i}] is {}, not an object", get::kind(item)));
        };
        let affected = parse_affected(a, source).map_err(|e| format!("affected[{i}]: {e}"))?;
        // RustSec marks unmaintained/unsound/notice advisories per affected package.
        if adv.informational.is_none()
            && let Some(db) = get::opt_obj(a, "database_specific")?
        {
            adv.informational = informational(db);
        }
        adv.affected.push(affected);
    }
    for (i, item) in get::array(&rec, "references")?.iter().enumerate() {
        let Value::Object(r) = item else {
            return Err(format!("references[{i}] is {}, not an object", get::kind(item)));
        };
        // A reference without a URL says nothing; the type defaults to a plain web page.
        if let Some(url) = get::opt_str(r, "url")?.filter(|u| !u.is_empty()) {
            let kind = get::opt_str(r, "type")?.unwrap_or_else(|| "WEB".to_owned());
            adv.references.push(Reference { kind, url });
        }
    }
    if let Some(db) = get::opt_obj(&rec, "database_specific")? {
        apply_database_specific(&mut adv, db, source)?;
    }
    Ok(adv)
}

/// Parses every `*.json` member of an OSV zip. `stats.records` counts the members parsed;
/// `stats.counts["affected:<ecosystem>"]` the affected entries per ecosystem. A zip that
/// cannot be opened is an error; a member that cannot be read or parsed is skipped.
pub fn parse_zip<R: Read + Seek>(zip: R, source: &str, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
    let mut archive = zip::ZipArchive::new(zip).map_err(|e| FeedError::malformed(source, format!("not a zip: {e}")))?;
    let mut stats = FeedStats::default();
    for index in 0..archive.len() {
        let mut member = match archive.by_index(index) {
            Ok(m) => m,
            Err(e) => {
                stats.skip(format!("member #{index}: unreadable: {e}"));
                continue;
            }
        };
        let name = match member.name() {
            Ok(n) => n.into_owned(),
            Err(e) => {
                stats.skip(format!("member #{index}: bad name: {e}"));
                continue;
            }
        };
        if member.is_dir() || !name.ends_with(".json") {
            continue;
        }
        if member.size() > MAX_MEMBER_BYTES {
            stats.skip(format!("{name}: {} bytes, over the {MAX_MEMBER_BYTES}-byte limit", member.size()));
            continue;
        }
        // The declared size may lie: read at most one byte over the limit to notice.
        let mut buf = Vec::with_capacity(usize::try_from(member.size()).unwrap_or(0));
        if let Err(e) = (&mut member).take(MAX_MEMBER_BYTES + 1).read_to_end(&mut buf) {
            stats.skip(format!("{name}: cannot inflate: {e}"));
            continue;
        }
        if buf.len() as u64 > MAX_MEMBER_BYTES {
            stats.skip(format!("{name}: inflates past the {MAX_MEMBER_BYTES}-byte limit"));
            continue;
        }
        match parse_record(&buf, source) {
            Ok(adv) => {
                stats.records += 1;
                for a in &adv.affected {
                    stats.count(&format!("affected:{}", a.ecosystem), 1);
                }
                sink(Record::Advisory(adv));
            }
            Err(reason) => stats.skip(format!("{name}: {reason}")),
        }
    }
    Ok(stats)
}

fn parse_affected(a: &Obj, source: &str) -> Result<Affected, String> {
    // The schema lets a package be omitted (GIT-only entries); such an entry then names
    // no ecosystem and never matches an installed package.
    let (ecosystem, name, purl) = match get::opt_obj(a, "package")? {
        Some(p) => (
            get::opt_str(p, "ecosystem")?.unwrap_or_default(),
            get::opt_str(p, "name")?.unwrap_or_default(),
            get::opt_str(p, "purl")?.filter(|s| !s.is_empty()),
        ),
        None => Default::default(),
    };
    let mut ranges = Vec::new();
    let mut repos: Vec<Value> = Vec::new();
    for (i, item) in get::array(a, "ranges")?.iter().enumerate() {
        let Value::Object(r) = item else {
            return Err(format!("ranges[{i}] is {}, not an object", get::kind(item)));
        };
        let (range, repo) = parse_range(r).map_err(|e| format!("ranges[{i}]: {e}"))?;
        if let Some(repo) = repo
            && !repos.iter().any(|r| r.as_str() == Some(repo.as_str()))
        {
            repos.push(Value::String(repo));
        }
        ranges.push(range);
    }
    let mut extra = Map::new();
    for key in ["ecosystem_specific", "database_specific"] {
        if let Some(v) = a.get(key).filter(|v| !v.is_null()) {
            extra.insert(key.to_owned(), v.clone());
        }
    }
    // The model's `Range` has no `repo`; GIT ranges keep their repository here.
    if !repos.is_empty() {
        extra.insert("repos".to_owned(), Value::Array(repos));
    }
    Ok(Affected {
        ecosystem,
        name,
        purl,
        ranges,
        versions: get::str_list(a, "versions")?,
        severities: severities(a, source)?,
        status: None,
        extra: (!extra.is_empty()).then_some(Value::Object(extra)),
    })
}

fn parse_range(r: &Obj) -> Result<(Range, Option<String>), String> {
    let kind_name = get::opt_str(r, "type")?.ok_or("no `type`")?;
    let kind = RangeKind::parse(&kind_name).ok_or_else(|| format!("unknown range type `{kind_name}`"))?;
    let mut events = Vec::new();
    for (i, item) in get::array(r, "events")?.iter().enumerate() {
        let Value::Object(e) = item else {
            return Err(format!("events[{i}] is {}, not an object", get::kind(item)));
        };
        let mut fields = e.iter();
        let (Some((key, Value::String(v))), None) = (fields.next(), fields.next()) else {
            return Err(format!("events[{i}] is not one `kind: version` pair"));
        };
        let v = v.clone();
        events.push(match key.as_str() {
            "introduced" => Event::Introduced(v),
            "fixed" => Event::Fixed(v),
            "last_affected" => Event::LastAffected(v),
            "limit" => Event::Limit(v),
            other => return Err(format!("events[{i}]: unknown event `{other}`")),
        });
    }
    Ok((Range { kind, events }, get::opt_str(r, "repo")?.filter(|s| !s.is_empty())))
}

/// The `severity` array of a record or of an affected entry.
fn severities(obj: &Obj, source: &str) -> Result<Vec<Severity>, String> {
    let mut out = Vec::new();
    for (i, item) in get::array(obj, "severity")?.iter().enumerate() {
        let Value::Object(s) = item else {
            return Err(format!("severity[{i}] is {}, not an object", get::kind(item)));
        };
        let kind = get::opt_str(s, "type")?.unwrap_or_default();
        let Some(score) = get::opt_str(s, "score")? else { continue };
        let sev = match kind.as_str() {
            "CVSS_V2" => Some(severity::cvss_or_unscored(source, SeverityKind::CvssV2, &score)),
            "CVSS_V3" => Some(severity::cvss_or_unscored(source, SeverityKind::CvssV3, &score)),
            "CVSS_V4" => Some(severity::cvss_or_unscored(source, SeverityKind::CvssV4, &score)),
            "Ubuntu" => severity::vendor("ubuntu", &score),
            // Types added to the schema later are not understood; ignore rather than guess.
            _ => None,
        };
        out.extend(sev);
    }
    Ok(out)
}

fn informational(db: &Obj) -> Option<String> {
    match db.get("informational") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// Top-level `database_specific`: GitHub's `severity` and `cwe_ids`, and an
/// `informational` marker.
fn apply_database_specific(adv: &mut Advisory, db: &Obj, source: &str) -> Result<(), String> {
    if let Some(rating) = get::opt_str(db, "severity")? {
        // GitHub rates its own advisories; elsewhere the rating is the feed's.
        let rater = if adv.id.starts_with("GHSA-") { "ghsa" } else { source };
        adv.severities.extend(severity::vendor(rater, &rating));
    }
    for cwe in get::str_list(db, "cwe_ids")? {
        if !adv.cwes.contains(&cwe) {
            adv.cwes.push(cwe);
        }
    }
    if let Some(info) = informational(db) {
        adv.informational = Some(info);
    }
    Ok(())
}
