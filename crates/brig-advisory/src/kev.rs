//! CISA's Known Exploited Vulnerabilities catalog (`known_exploited_vulnerabilities.json`).

use serde_json::Value;

use crate::json_stream::get::{self, Obj};
use crate::json_stream::{self, ObjectWalker, Want};
use crate::{FeedError, FeedStats, KevEntry, Record};

/// Parses the catalog: one `Record::Kev` per entry of `vulnerabilities`.
/// `stats.counts["vulnerabilities"]` is the number of entries (the catalog's own `count`).
pub fn parse(json: &[u8], source: &str, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
    // Entries are emitted while walking; check the whole file first so that a broken one
    // emits nothing.
    json_stream::check_syntax(serde_json::de::SliceRead::new(json))
        .map_err(|e| FeedError::malformed(source, format!("not JSON: {e}")))?;
    let mut walker = Walker { sink, stats: FeedStats::default(), seen_array: false };
    json_stream::walk_object(serde_json::de::SliceRead::new(json), &mut walker)
        .map_err(|e| FeedError::malformed(source, e))?;
    if !walker.seen_array {
        return Err(FeedError::malformed(source, "no `vulnerabilities` array"));
    }
    Ok(walker.stats)
}

struct Walker<'s> {
    sink: &'s mut dyn FnMut(Record),
    stats: FeedStats,
    seen_array: bool,
}

impl ObjectWalker for Walker<'_> {
    fn want(&mut self, key: &str) -> Want {
        if key == "vulnerabilities" {
            self.seen_array = true;
            Want::Stream
        } else {
            Want::Ignore
        }
    }

    fn element(&mut self, _key: &str, index: usize, value: Value) {
        self.stats.count("vulnerabilities", 1);
        match entry(&value) {
            Ok(e) => {
                self.stats.records += 1;
                (self.sink)(Record::Kev(e));
            }
            Err(reason) => {
                let id = value.get("cveID").and_then(Value::as_str).unwrap_or("?");
                self.stats.skip(format!("vulnerabilities[{index}] ({id}): {reason}"));
            }
        }
    }

    fn field(&mut self, _key: &str, _value: Value) {}
}

fn entry(value: &Value) -> Result<KevEntry, String> {
    let Value::Object(v) = value else {
        return Err(format!("entry is {}, not an object", get::kind(value)));
    };
    let cve = required(v, "cveID")?;
    Ok(KevEntry {
        cve,
        vendor: get::opt_str(v, "vendorProject")?.unwrap_or_default(),
        product: get::opt_str(v, "product")?.unwrap_or_default(),
        name: get::opt_str(v, "vulnerabilityName")?.unwrap_or_default(),
        date_added: required(v, "dateAdded")?,
        description: non_empty(v, "shortDescription")?,
        due_date: non_empty(v, "dueDate")?,
        required_action: non_empty(v, "requiredAction")?,
        ransomware: non_empty(v, "knownRansomwareCampaignUse")?,
        notes: non_empty(v, "notes")?,
        cwes: get::str_list(v, "cwes")?,
    })
}

fn required(v: &Obj, key: &str) -> Result<String, String> {
    non_empty(v, key)?.ok_or_else(|| format!("no `{key}`"))
}

fn non_empty(v: &Obj, key: &str) -> Result<Option<String>, String> {
    Ok(get::opt_str(v, key)?.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()))
}
