//! Alpine's security database (`secdb.alpinelinux.org/<release>/<repo>.json`): per source
//! package, `secfixes` maps the first fixed version to the ids it fixes.
//!
//! The data is hand-written and keeps its irregularities (see the corpus README): ids
//! followed by free text, malformed ids, versions apk rejects, one id under several fixed
//! versions, and the fixed version `"0"` meaning "never affected".

use std::collections::BTreeMap;

use serde_json::Value;

use crate::json_stream::get;
use crate::json_stream::{self, ObjectWalker, Want};
use crate::{Advisory, Affected, Event, FeedError, FeedStats, Range, RangeKind, Record};

/// Parses one secdb file: one `Advisory` per distinct id (e.g. `CVE-2020-1234`,
/// `XSA-123`) with one `Affected` per (package, fixed version), ecosystem
/// `Alpine:<distroversion>`. `stats.counts`: `packages` (entries of `packages`),
/// `secfixes` ((package, fixed version) keys) and `ids` (entries of all secfixes lists).
pub fn parse_secdb(json: &[u8], source: &str, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
    let mut w = Walker::default();
    json_stream::walk_object(serde_json::de::SliceRead::new(json), &mut w)
        .map_err(|e| FeedError::malformed(source, e))?;
    if !w.seen_packages {
        return Err(FeedError::malformed(source, "no `packages` array"));
    }
    let Some(release) = w.distroversion.filter(|d| !d.trim().is_empty()) else {
        return Err(FeedError::malformed(source, "no `distroversion`"));
    };
    let ecosystem = format!("Alpine:{}", release.trim());
    let mut stats = w.stats;
    for (id, fix) in w.ids {
        if fix.affected.is_empty() {
            // Only ever listed under "0": Alpine says it was never affected.
            continue;
        }
        let affected = fix
            .affected
            .into_iter()
            .map(|(name, fixed)| Affected {
                ecosystem: ecosystem.clone(),
                name,
                ranges: vec![Range {
                    kind: RangeKind::Ecosystem,
                    events: vec![Event::Introduced("0".to_owned()), Event::Fixed(fixed)],
                }],
                ..Affected::default()
            })
            .collect();
        stats.records += 1;
        sink(Record::Advisory(Advisory { id, aliases: fix.aliases, affected, ..Advisory::default() }));
    }
    Ok(stats)
}

#[derive(Default)]
struct Fix {
    aliases: Vec<String>,
    /// (package, fixed version)
    affected: Vec<(String, String)>,
}

#[derive(Default)]
struct Walker {
    distroversion: Option<String>,
    seen_packages: bool,
    stats: FeedStats,
    /// Collected over the whole file (an id appears under many packages), emitted at the end.
    ids: BTreeMap<String, Fix>,
}

impl ObjectWalker for Walker {
    fn want(&mut self, key: &str) -> Want {
        match key {
            "packages" => {
                self.seen_packages = true;
                Want::Stream
            }
            "distroversion" => Want::Value,
            _ => Want::Ignore,
        }
    }

    fn field(&mut self, key: &str, value: Value) {
        if key == "distroversion"
            && let Value::String(s) = value
        {
            self.distroversion = Some(s);
        }
    }

    fn element(&mut self, _key: &str, index: usize, value: Value) {
        self.stats.count("packages", 1);
        if let Err(reason) = self.package(&value) {
            self.stats.skip(format!("packages[{index}]: {reason}"));
        }
    }
}

impl Walker {
    fn package(&mut self, value: &Value) -> Result<(), String> {
        let pkg = match value {
            Value::Object(o) => get::opt_obj(o, "pkg")?.ok_or("no `pkg` object")?,
            other => return Err(format!("entry is {}, not an object", get::kind(other))),
        };
        let name = get::opt_str(pkg, "name")?.filter(|n| !n.trim().is_empty()).ok_or("no package `name`")?;
        let Some(secfixes) = get::opt_obj(pkg, "secfixes")? else { return Ok(()) };
        for (version, list) in secfixes {
            self.stats.count("secfixes", 1);
            let entries = match list {
                Value::Null => continue,
                Value::Array(items) => items,
                other => {
                    self.stats.skip(format!("{name} {version}: list is {}", get::kind(other)));
                    continue;
                }
            };
            self.stats.count("ids", entries.len() as u64);
            for entry in entries {
                let Value::String(entry) = entry else {
                    self.stats.skip(format!("{name} {version}: entry is {}", get::kind(entry)));
                    continue;
                };
                self.secfix(&name, version, entry);
            }
        }
        Ok(())
    }

    fn secfix(&mut self, name: &str, version: &str, entry: &str) {
        let mut tokens = entry.split_whitespace();
        let Some(id) = tokens.next().and_then(normalize_id) else {
            self.stats.skip(format!("{name} {version}: malformed id `{entry}`"));
            return;
        };
        let version = version.trim();
        if version.is_empty() {
            self.stats.skip(format!("{name}: empty fixed version for {id}"));
            return;
        }
        let fix = self.ids.entry(id.clone()).or_default();
        // Free text after the id often names the same issue elsewhere
        // (`CVE-2020-13777 GNUTLS-SA-2020-06-03`): keep such names as aliases.
        for alias in tokens.filter_map(normalize_id) {
            if alias != id && !fix.aliases.contains(&alias) {
                fix.aliases.push(alias);
            }
        }
        // "0": the package was never affected; the id is counted but gives no entry.
        if version == "0" {
            return;
        }
        // Versions apk rejects (`4.8.0.-r1`) are kept as published: the matcher reports them.
        let pair = (name.to_owned(), version.to_owned());
        if !fix.affected.contains(&pair) {
            fix.affected.push(pair);
        }
    }
}

/// The id a secfixes token names, or `None` when it is not an id. CVE ids must be
/// well-formed (`CVE-2019-2426`, not `CVE_2019-2426`); a part suffix
/// (`CVE-2017-17434-1`, a fix split in parts) is dropped. Other ids are an upper-case
/// prefix and dash-separated parts (`XSA-207`, `ZDI-CAN-23896`, `GHSA-fhpf-pp6p-55qc`).
fn normalize_id(token: &str) -> Option<String> {
    let token = token.trim_matches(|c: char| c == ',' || c == ';');
    let parts: Vec<&str> = token.split('-').collect();
    let alnum = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric());
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        ["CVE", year, num, rest @ ..]
            if year.len() == 4 && digits(year) && num.len() >= 4 && digits(num) && rest.len() <= 1 =>
        {
            if rest.iter().all(|p| digits(p)) { Some(format!("CVE-{year}-{num}")) } else { None }
        }
        ["CVE", ..] => None,
        [prefix, rest @ ..]
            if !rest.is_empty()
                && prefix.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
                && prefix.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                && rest.iter().all(|p| alnum(p)) =>
        {
            Some(token.to_owned())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_id;

    #[test]
    fn ids() {
        assert_eq!(normalize_id("CVE-2020-1234").as_deref(), Some("CVE-2020-1234"));
        assert_eq!(normalize_id("CVE-2017-17434-1").as_deref(), Some("CVE-2017-17434"));
        assert_eq!(normalize_id("XSA-207").as_deref(), Some("XSA-207"));
        assert_eq!(normalize_id("ZDI-CAN-23896").as_deref(), Some("ZDI-CAN-23896"));
        assert_eq!(normalize_id("GHSA-fhpf-pp6p-55qc").as_deref(), Some("GHSA-fhpf-pp6p-55qc"));
        assert_eq!(normalize_id("GNUTLS-SA-2020-06-03").as_deref(), Some("GNUTLS-SA-2020-06-03"));
        for bad in
            ["CVE_2019-2426", "CVE", "N/A", "CVE-19-1", "CVE-2019-12a4", "cve-2019-1234", "-", "XSA-", "VSV00010"]
        {
            assert_eq!(normalize_id(bad), None, "{bad}");
        }
    }
}
