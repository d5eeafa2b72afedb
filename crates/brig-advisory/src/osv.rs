//! OSV (schema 1.x) records, one at a time or as the `<ecosystem>/all.zip` that osv.dev
//! serves (one JSON record per zip member).
//!
//! Unknown fields are ignored (the schema grows); fields of the wrong type make the record
//! unreadable, and the zip parser then skips it and counts it.

use std::io::{Read, Seek};

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::severity;
use crate::{
    Advisory, Affected, Event, FeedError, FeedStats, Range, RangeKind, Record, Reference, Severity, SeverityKind,
};

/// Zip members larger than this are skipped: no OSV record comes near it, and reading one
/// would let a zip bomb exhaust memory.
pub const MAX_MEMBER_BYTES: u64 = 16 * 1024 * 1024;

/// The parts of an OSV record brig keeps, deserialised directly from the bytes: strings
/// borrow from the input where they have no escapes, and no intermediate JSON tree is
/// built (an ingest of a million records spends most of its time here).
#[derive(Deserialize)]
struct RawRecord<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    aliases: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    upstream: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    related: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    summary: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    details: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    published: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    modified: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    withdrawn: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    severity: Option<Vec<RawSeverity<'a>>>,
    #[serde(borrow, default)]
    affected: Option<Vec<RawAffected<'a>>>,
    #[serde(borrow, default)]
    references: Option<Vec<RawReference<'a>>>,
    #[serde(borrow, default)]
    database_specific: Option<RawDatabaseSpecific<'a>>,
}

#[derive(Deserialize)]
struct RawSeverity<'a> {
    #[serde(borrow, rename = "type", default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    score: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct RawReference<'a> {
    #[serde(borrow, rename = "type", default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    url: Option<Cow<'a, str>>,
}

/// Top-level `database_specific`: only these keys are read; others are ignored.
#[derive(Deserialize)]
struct RawDatabaseSpecific<'a> {
    #[serde(borrow, default)]
    severity: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    cwe_ids: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    informational: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct RawPackage<'a> {
    #[serde(borrow, default)]
    ecosystem: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    purl: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct RawAffected<'a> {
    #[serde(borrow, default)]
    package: Option<RawPackage<'a>>,
    #[serde(borrow, default)]
    ranges: Option<Vec<RawRange<'a>>>,
    #[serde(borrow, default)]
    versions: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    severity: Option<Vec<RawSeverity<'a>>>,
    /// Kept whole for `explain` (Go's affected symbols, Debian's urgency, …).
    #[serde(default)]
    ecosystem_specific: Option<Value>,
    #[serde(default)]
    database_specific: Option<Value>,
}

#[derive(Deserialize)]
struct RawRange<'a> {
    #[serde(borrow, rename = "type", default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    repo: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    events: Option<Vec<RawEvent<'a>>>,
}

/// One event: exactly one of these keys (checked after parsing); others are errors.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent<'a> {
    #[serde(borrow, default)]
    introduced: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    fixed: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    last_affected: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    limit: Option<Cow<'a, str>>,
}

fn owned(s: Option<Cow<'_, str>>) -> Option<String> {
    s.map(Cow::into_owned)
}

fn non_empty(s: Option<Cow<'_, str>>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(Cow::into_owned)
}

fn list(v: Option<Vec<Cow<'_, str>>>) -> Vec<String> {
    v.unwrap_or_default().into_iter().map(Cow::into_owned).collect()
}

/// Parses one OSV record. `source` names the feed (`osv:PyPI`, …) and becomes the source
/// of the record's CVSS severities. The error says what is wrong with the record.
pub fn parse_record(json: &[u8], source: &str) -> Result<Advisory, String> {
    let raw: RawRecord<'_> = serde_json::from_slice(json).map_err(|e| {
        if e.is_syntax() || e.is_eof() { format!("not JSON: {e}") } else { format!("not an OSV record: {e}") }
    })?;
    let id = non_empty(raw.id).filter(|id| !id.trim().is_empty()).ok_or("no `id`")?;
    let mut adv = Advisory {
        aliases: list(raw.aliases),
        upstream: list(raw.upstream),
        related: list(raw.related),
        summary: non_empty(raw.summary),
        details: non_empty(raw.details),
        published: owned(raw.published),
        modified: owned(raw.modified),
        withdrawn: owned(raw.withdrawn),
        severities: severities(raw.severity, source),
        id,
        ..Advisory::default()
    };
    for (i, a) in raw.affected.unwrap_or_default().into_iter().enumerate() {
        // RustSec marks unmaintained/unsound/notice advisories per affected package.
        if adv.informational.is_none() {
            adv.informational =
                a.database_specific.as_ref().and_then(|db| db.get("informational")).and_then(informational);
        }
        adv.affected.push(parse_affected(a, source).map_err(|e| format!("affected[{i}]: {e}"))?);
    }
    for r in raw.references.unwrap_or_default() {
        // A reference without a URL says nothing; the type defaults to a plain web page.
        if let Some(url) = non_empty(r.url) {
            adv.references.push(Reference { kind: owned(r.kind).unwrap_or_else(|| "WEB".to_owned()), url });
        }
    }
    if let Some(db) = raw.database_specific {
        apply_database_specific(&mut adv, db, source);
    }
    Ok(adv)
}

/// Parses every `*.json` member of an OSV zip. `stats.records` counts the members parsed;
/// `stats.counts["affected:<ecosystem>"]` the affected entries per ecosystem. A zip that
/// cannot be opened is an error; a member that cannot be read or parsed is skipped.
pub fn parse_zip<R: Read + Seek>(zip: R, source: &str, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
    let mut archive = zip::ZipArchive::new(zip).map_err(|e| FeedError::malformed(source, format!("not a zip: {e}")))?;
    let mut stats = FeedStats::default();
    let mut member = MemberReader::default();
    for index in 0..archive.len() {
        let name = match member.read(&mut archive, index) {
            Ok(Some(name)) => name,
            Ok(None) => continue,
            Err(reason) => {
                stats.skip(reason);
                continue;
            }
        };
        match parse_record(&member.data, source) {
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

/// Reads zip members one after another into one reused buffer. The zip directory gives
/// each member's exact size, and members are small (~1.5 KiB), so each is inflated in one
/// call with libdeflate (whole-buffer, about twice zlib's speed) instead of through a
/// streaming inflater set up per member: decompression was a fifth of an ingest.
struct MemberReader {
    inflater: libdeflater::Decompressor,
    compressed: Vec<u8>,
    data: Vec<u8>,
}

impl Default for MemberReader {
    fn default() -> Self {
        MemberReader { inflater: libdeflater::Decompressor::new(), compressed: Vec::new(), data: Vec::new() }
    }
}

impl MemberReader {
    /// Reads member `index` into `self.data`: `Ok(Some(name))` for a JSON member,
    /// `Ok(None)` for a member to ignore, `Err(reason)` for one to skip and count.
    fn read<R: Read + Seek>(
        &mut self,
        archive: &mut zip::ZipArchive<R>,
        index: usize,
    ) -> Result<Option<String>, String> {
        let mut raw = archive.by_index_raw(index).map_err(|e| format!("member #{index}: unreadable: {e}"))?;
        let name = raw.name().map_err(|e| format!("member #{index}: bad name: {e}"))?.into_owned();
        if raw.is_dir() || !name.ends_with(".json") {
            return Ok(None);
        }
        // The declared size bounds the output buffer, so it must be sane before use.
        let declared = raw.size();
        if declared > MAX_MEMBER_BYTES {
            return Err(format!("{name}: {declared} bytes, over the {MAX_MEMBER_BYTES}-byte limit"));
        }
        let (method, crc) = (raw.compression(), raw.crc32());
        self.compressed.clear();
        (&mut raw)
            .take(MAX_MEMBER_BYTES + 1)
            .read_to_end(&mut self.compressed)
            .map_err(|e| format!("{name}: cannot read: {e}"))?;
        self.data.clear();
        match method {
            zip::CompressionMethod::Stored => self.data.extend_from_slice(&self.compressed),
            zip::CompressionMethod::Deflated => {
                self.data.resize(declared as usize, 0);
                // libdeflate fails if the stream does not inflate to exactly fit: a member
                // whose declared size lies is refused here (never over-allocated).
                let n = self
                    .inflater
                    .deflate_decompress(&self.compressed, &mut self.data)
                    .map_err(|e| format!("{name}: cannot inflate: {e:?}"))?;
                self.data.truncate(n);
            }
            other => return Err(format!("{name}: unsupported compression {other}")),
        }
        if self.data.len() as u64 != declared || crc32fast::hash(&self.data) != crc {
            return Err(format!("{name}: corrupt (size or CRC-32 differs from the zip directory)"));
        }
        Ok(Some(name))
    }
}

fn parse_affected(a: RawAffected<'_>, source: &str) -> Result<Affected, String> {
    // The schema lets a package be omitted (GIT-only entries); such an entry then names
    // no ecosystem and never matches an installed package.
    let (ecosystem, name, purl) = match a.package {
        Some(p) => (owned(p.ecosystem).unwrap_or_default(), owned(p.name).unwrap_or_default(), non_empty(p.purl)),
        None => Default::default(),
    };
    let mut ranges = Vec::new();
    let mut repos: Vec<Value> = Vec::new();
    for (i, r) in a.ranges.unwrap_or_default().into_iter().enumerate() {
        let (range, repo) = parse_range(r).map_err(|e| format!("ranges[{i}]: {e}"))?;
        if let Some(repo) = repo
            && !repos.iter().any(|r| r.as_str() == Some(repo.as_str()))
        {
            repos.push(Value::String(repo));
        }
        ranges.push(range);
    }
    let mut extra = Map::new();
    for (key, v) in [("ecosystem_specific", a.ecosystem_specific), ("database_specific", a.database_specific)] {
        if let Some(v) = v.filter(|v| !v.is_null()) {
            extra.insert(key.to_owned(), v);
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
        versions: list(a.versions),
        severities: severities(a.severity, source),
        status: None,
        extra: (!extra.is_empty()).then_some(Value::Object(extra)),
    })
}

fn parse_range(r: RawRange<'_>) -> Result<(Range, Option<String>), String> {
    let kind_name = r.kind.ok_or("no `type`")?;
    let kind = RangeKind::parse(&kind_name).ok_or_else(|| format!("unknown range type `{kind_name}`"))?;
    let mut events = Vec::new();
    for (i, e) in r.events.unwrap_or_default().into_iter().enumerate() {
        let set = [&e.introduced, &e.fixed, &e.last_affected, &e.limit].iter().filter(|x| x.is_some()).count();
        if set != 1 {
            return Err(format!("events[{i}] is not one `kind: version` pair"));
        }
        events.push(match (e.introduced, e.fixed, e.last_affected, e.limit) {
            (Some(v), ..) => Event::Introduced(v.into_owned()),
            (_, Some(v), ..) => Event::Fixed(v.into_owned()),
            (_, _, Some(v), _) => Event::LastAffected(v.into_owned()),
            (.., Some(v)) => Event::Limit(v.into_owned()),
            _ => unreachable!("exactly one event kind is set"),
        });
    }
    Ok((Range { kind, events }, non_empty(r.repo)))
}

/// The `severity` array of a record or of an affected entry.
fn severities(items: Option<Vec<RawSeverity<'_>>>, source: &str) -> Vec<Severity> {
    let mut out = Vec::new();
    for s in items.unwrap_or_default() {
        let Some(score) = s.score else { continue };
        let sev = match s.kind.as_deref().unwrap_or_default() {
            "CVSS_V2" => Some(severity::cvss_or_unscored(source, SeverityKind::CvssV2, &score)),
            "CVSS_V3" => Some(severity::cvss_or_unscored(source, SeverityKind::CvssV3, &score)),
            "CVSS_V4" => Some(severity::cvss_or_unscored(source, SeverityKind::CvssV4, &score)),
            "Ubuntu" => severity::vendor("ubuntu", &score),
            // Types added to the schema later are not understood; ignore rather than guess.
            _ => None,
        };
        out.extend(sev);
    }
    out
}

fn informational(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// Top-level `database_specific`: GitHub's `severity` and `cwe_ids`, and an
/// `informational` marker.
fn apply_database_specific(adv: &mut Advisory, db: RawDatabaseSpecific<'_>, source: &str) {
    if let Some(rating) = db.severity {
        // GitHub rates its own advisories; elsewhere the rating is the feed's.
        let rater = if adv.id.starts_with("GHSA-") { "ghsa" } else { source };
        adv.severities.extend(severity::vendor(rater, &rating));
    }
    for cwe in list(db.cwe_ids) {
        if !adv.cwes.contains(&cwe) {
            adv.cwes.push(cwe);
        }
    }
    if let Some(info) = db.informational.filter(|s| !s.trim().is_empty()) {
        adv.informational = Some(info.trim().to_owned());
    }
}
