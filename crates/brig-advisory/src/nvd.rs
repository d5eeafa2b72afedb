//! NVD CVE JSON 2.0: the yearly/modified feeds (`nvdcve-2.0-*.json.gz`) and CVE API 2.0
//! responses, which share one shape: `{resultsPerPage, startIndex, totalResults, …,
//! vulnerabilities: [{cve: {…}}]}`.
//!
//! The records are walked one by one (a yearly feed inflates to hundreds of MiB); a
//! gzip file is inflated on the fly.

use std::io::BufReader;

use flate2::read::MultiGzDecoder;
use serde_json::Value;

use crate::json_stream::get::{self, Obj};
use crate::json_stream::{self, ObjectWalker, Want};
use crate::{FeedError, FeedStats, NvdCve, Record, Reference, Severity, SeverityKind, severity};

/// The paging fields of an API response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NvdPage {
    pub start_index: u64,
    pub results_per_page: u64,
    pub total_results: u64,
}

/// Parses a feed (gzip-compressed or plain JSON): one `Record::Nvd` per
/// `vulnerabilities[].cve`. `stats.counts["vulnerabilities"]` is the array's length.
pub fn parse_feed(bytes: &[u8], source: &str, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
    walk(bytes, source, sink).map(|(_, stats)| stats)
}

/// Parses an API response like [`parse_feed`] and also returns its paging fields, which
/// an API response must have.
pub fn parse_page(bytes: &[u8], source: &str, sink: &mut dyn FnMut(Record)) -> Result<(NvdPage, FeedStats), FeedError> {
    let (page, stats) = walk(bytes, source, sink)?;
    let field = |v: Option<u64>, name: &str| {
        v.ok_or_else(|| FeedError::malformed(source, format!("no `{name}` (a non-negative integer)")))
    };
    let page = NvdPage {
        start_index: field(page.start_index, "startIndex")?,
        results_per_page: field(page.results_per_page, "resultsPerPage")?,
        total_results: field(page.total_results, "totalResults")?,
    };
    Ok((page, stats))
}

#[derive(Default)]
struct PageFields {
    start_index: Option<u64>,
    results_per_page: Option<u64>,
    total_results: Option<u64>,
}

fn walk(bytes: &[u8], source: &str, sink: &mut dyn FnMut(Record)) -> Result<(PageFields, FeedStats), FeedError> {
    let malformed = |e: serde_json::Error| FeedError::malformed(source, e);
    let mut walker = Walker { source, sink, stats: FeedStats::default(), page: PageFields::default(), seen: false };
    // Records are emitted while walking, so the syntax is checked over the whole file
    // first: a broken or truncated file then emits nothing.
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let inflate = || serde_json::de::IoRead::new(BufReader::new(MultiGzDecoder::new(bytes)));
        json_stream::check_syntax(inflate()).map_err(malformed)?;
        json_stream::walk_object(inflate(), &mut walker).map_err(malformed)?;
    } else {
        json_stream::check_syntax(serde_json::de::SliceRead::new(bytes)).map_err(malformed)?;
        json_stream::walk_object(serde_json::de::SliceRead::new(bytes), &mut walker).map_err(malformed)?;
    }
    if !walker.seen {
        return Err(FeedError::malformed(source, "no `vulnerabilities` array"));
    }
    Ok((walker.page, walker.stats))
}

struct Walker<'a> {
    source: &'a str,
    sink: &'a mut dyn FnMut(Record),
    stats: FeedStats,
    page: PageFields,
    seen: bool,
}

impl ObjectWalker for Walker<'_> {
    fn want(&mut self, key: &str) -> Want {
        match key {
            "vulnerabilities" => {
                self.seen = true;
                Want::Stream
            }
            "startIndex" | "resultsPerPage" | "totalResults" => Want::Value,
            _ => Want::Ignore,
        }
    }

    fn element(&mut self, _key: &str, index: usize, value: Value) {
        self.stats.count("vulnerabilities", 1);
        let cve = match &value {
            Value::Object(o) => o.get("cve"),
            _ => None,
        };
        let result = match cve {
            Some(Value::Object(cve)) => parse_cve(cve, self.source),
            _ => Err("no `cve` object".to_owned()),
        };
        match result {
            Ok(rec) => {
                self.stats.records += 1;
                (self.sink)(Record::Nvd(rec));
            }
            Err(reason) => {
                let id = cve.and_then(|c| c.get("id")).and_then(Value::as_str).unwrap_or("?");
                self.stats.skip(format!("vulnerabilities[{index}] ({id}): {reason}"));
            }
        }
    }

    fn field(&mut self, key: &str, value: Value) {
        let n = value.as_u64();
        match key {
            "startIndex" => self.page.start_index = n,
            "resultsPerPage" => self.page.results_per_page = n,
            "totalResults" => self.page.total_results = n,
            _ => {}
        }
    }
}

/// Metric arrays read, with the CVSS version each holds.
const METRICS: [(&str, SeverityKind); 4] = [
    ("cvssMetricV2", SeverityKind::CvssV2),
    ("cvssMetricV30", SeverityKind::CvssV3),
    ("cvssMetricV31", SeverityKind::CvssV3),
    ("cvssMetricV40", SeverityKind::CvssV4),
];

fn parse_cve(cve: &Obj, source: &str) -> Result<NvdCve, String> {
    let id = get::opt_str(cve, "id")?.filter(|s| !s.trim().is_empty()).ok_or("no `id`")?;
    let mut rec = NvdCve {
        id,
        published: get::opt_str(cve, "published")?,
        last_modified: get::opt_str(cve, "lastModified")?,
        status: get::opt_str(cve, "vulnStatus")?,
        ..NvdCve::default()
    };
    for d in get::array(cve, "descriptions")? {
        if let Value::Object(d) = d
            && get::opt_str(d, "lang")?.as_deref() == Some("en")
        {
            rec.description = get::opt_str(d, "value")?;
            break;
        }
    }
    // `cveTags: [{sourceIdentifier, tags: ["disputed", …]}]`.
    for t in get::array(cve, "cveTags")? {
        let Value::Object(t) = t else { continue };
        for tag in get::str_list(t, "tags")? {
            if !rec.tags.contains(&tag) {
                rec.tags.push(tag);
            }
        }
    }
    // Other metric kinds (`ssvcV203`, …) are not CVSS and are left out.
    if let Some(metrics) = get::opt_obj(cve, "metrics")? {
        for (key, kind) in METRICS {
            for (i, m) in get::array(metrics, key)?.iter().enumerate() {
                let Value::Object(m) = m else {
                    return Err(format!("{key}[{i}] is {}, not an object", get::kind(m)));
                };
                rec.severities.extend(metric(m, kind, source).map_err(|e| format!("{key}[{i}]: {e}"))?);
            }
        }
    }
    for w in get::array(cve, "weaknesses")? {
        let Value::Object(w) = w else { continue };
        for d in get::array(w, "description")? {
            let Value::Object(d) = d else { continue };
            // NVD's placeholders for "some other CWE" and "not enough information".
            if let Some(cwe) = get::opt_str(d, "value")?
                && cwe != "NVD-CWE-Other"
                && cwe != "NVD-CWE-noinfo"
                && !rec.cwes.contains(&cwe)
            {
                rec.cwes.push(cwe);
            }
        }
    }
    for r in get::array(cve, "references")? {
        let Value::Object(r) = r else { continue };
        if let Some(url) = get::opt_str(r, "url")?.filter(|u| !u.is_empty()) {
            let tags = get::str_list(r, "tags")?;
            rec.references.push(Reference { kind: reference_kind(&tags).to_owned(), url });
        }
    }
    Ok(rec)
}

/// One `cvssMetricV*` entry. The feed's score and rating win; the vector fills in what
/// the feed leaves out. `None` when the entry has neither a vector nor a score.
fn metric(m: &Obj, kind: SeverityKind, source: &str) -> Result<Option<Severity>, String> {
    let data = get::opt_obj(m, "cvssData")?;
    let vector = match data {
        Some(d) => get::opt_str(d, "vectorString")?.filter(|v| !v.trim().is_empty()),
        None => None,
    };
    // CVSS scores lie in 0–10; anything else is the feed's mistake and is dropped (the
    // vector's own score, if it has one, stands instead).
    let score = data.and_then(|d| d.get("baseScore")).and_then(Value::as_f64).filter(|s| (0.0..=10.0).contains(s));
    // v2 keeps `baseSeverity` beside `cvssData`, v3/v4 inside it.
    let rating = match data {
        Some(d) => get::opt_str(d, "baseSeverity")?,
        None => None,
    }
    .or(get::opt_str(m, "baseSeverity")?);
    if vector.is_none() && score.is_none() {
        return Ok(None);
    }
    let rater = get::opt_str(m, "source")?.filter(|s| !s.is_empty()).unwrap_or_else(|| source.to_owned());
    let mut sev = match &vector {
        Some(v) => severity::cvss_or_unscored(&rater, kind, v),
        None => Severity { source: rater, kind, vector: None, score: None, rating: None, role: None },
    };
    if score.is_some() {
        sev.score = score;
    }
    if let Some(r) = rating.filter(|r| !r.is_empty()) {
        sev.rating = Some(r.to_ascii_uppercase());
    }
    sev.role = get::opt_str(m, "type")?;
    Ok(Some(sev))
}

/// NVD tags references; OSV types them. The closest OSV type for the tags given.
fn reference_kind(tags: &[String]) -> &'static str {
    let has = |t: &str| tags.iter().any(|x| x == t);
    if has("Patch") {
        "FIX"
    } else if has("Vendor Advisory") || has("Third Party Advisory") || has("US Government Resource") {
        "ADVISORY"
    } else if has("Exploit") {
        "EVIDENCE"
    } else if has("Issue Tracking") {
        "REPORT"
    } else {
        "WEB"
    }
}
