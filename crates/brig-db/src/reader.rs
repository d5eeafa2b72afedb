//! Reading a database: status, and the lookups the matcher makes.

use std::path::{Path, PathBuf};

use brig_advisory::{
    Advisory, Affected, FeedStats, KevEntry, NvdCve, Range, Reference, Severity, SeverityKind, normalize_package_name,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::Serialize;

use crate::{DbError, schema};

pub struct Db {
    conn: Connection,
    path: PathBuf,
    /// `feeds` (id → name), read once.
    feeds: Vec<(i64, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    pub name: String,
    pub url: String,
    pub fetched_at: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: Option<String>,
    pub size: Option<u64>,
    pub records: u64,
    pub skipped: u64,
    pub stats: FeedStats,
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub path: PathBuf,
    pub schema_version: i64,
    pub built_at: Option<String>,
    pub built_by: Option<String>,
    pub size_bytes: u64,
    pub advisories: u64,
    pub affected_packages: u64,
    pub known_exploited: u64,
    pub nvd_cves: u64,
    pub sources: Vec<SourceInfo>,
}

/// An advisory without its affected entries: what a finding needs.
#[derive(Debug, Clone)]
pub struct AdvisoryMeta {
    pub id: String,
    pub source: String,
    pub summary: Option<String>,
    pub withdrawn: Option<String>,
    pub informational: Option<String>,
    pub aliases: Vec<String>,
    pub upstream: Vec<String>,
    pub references: Vec<Reference>,
}

/// One affected-package entry matching a lookup: what matching needs. The whole entry
/// (purl, severities, ecosystem specifics) is `Db::affected_entry`.
#[derive(Debug, Clone)]
pub struct AffectedHit {
    /// Row id of the advisory (for `Db::advisory`).
    pub advisory: i64,
    /// Position of the entry among the advisory's affected entries.
    pub seq: i64,
    pub advisory_id: String,
    /// The feed the advisory came from.
    pub source: String,
    pub ranges: Vec<Range>,
    pub versions: Vec<String>,
    pub status: Option<String>,
}

fn parse_kind(s: &str) -> SeverityKind {
    match s {
        "CVSS_V2" => SeverityKind::CvssV2,
        "CVSS_V3" => SeverityKind::CvssV3,
        "CVSS_V4" => SeverityKind::CvssV4,
        _ => SeverityKind::Vendor,
    }
}

impl Db {
    /// Opens the database for reading, migrating an older schema first.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        if !path.is_file() {
            return Err(DbError::Missing(path.to_path_buf()));
        }
        {
            let rw = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            let version: i64 = rw.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version != schema::SCHEMA_VERSION {
                schema::migrate(&rw)?;
            }
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        // Map the file (reads without syscalls) and keep a page cache large enough for
        // the hot part of the package table.
        conn.execute_batch("PRAGMA mmap_size = 2147418112; PRAGMA cache_size = -65536; PRAGMA query_only = ON;")?;
        let feeds = {
            let mut st = conn.prepare("SELECT id, name FROM feeds")?;
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<Vec<_>, _>>()?
        };
        Ok(Db { conn, path: path.to_path_buf(), feeds })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn count(&self, table: &str) -> Result<u64, DbError> {
        Ok(self.conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get::<_, i64>(0))? as u64)
    }

    fn meta(&self, key: &str) -> Result<Option<String>, DbError> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// When the database was built (RFC 3339 UTC): one row of `meta`, unlike `status`,
    /// which counts whole tables.
    pub fn built_at(&self) -> Result<Option<String>, DbError> {
        self.meta("built_at")
    }

    pub fn sources(&self) -> Result<Vec<SourceInfo>, DbError> {
        let mut st = self.conn.prepare(
            "SELECT name, url, fetched_at, etag, last_modified, sha256, size, records, skipped, stats FROM sources ORDER BY name",
        )?;
        let rows = st.query_map([], |r| {
            Ok(SourceInfo {
                name: r.get(0)?,
                url: r.get(1)?,
                fetched_at: r.get(2)?,
                etag: r.get(3)?,
                last_modified: r.get(4)?,
                sha256: r.get(5)?,
                size: r.get::<_, Option<i64>>(6)?.map(|s| s as u64),
                records: r.get::<_, i64>(7)? as u64,
                skipped: r.get::<_, i64>(8)? as u64,
                stats: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn status(&self) -> Result<Status, DbError> {
        Ok(Status {
            path: self.path.clone(),
            schema_version: self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
            built_at: self.meta("built_at")?,
            built_by: self.meta("built_by")?,
            size_bytes: std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0),
            advisories: self.count("advisories")?,
            affected_packages: self.count("affected")?,
            known_exploited: self.count("kev")?,
            nvd_cves: self.count("nvd")?,
            sources: self.sources()?,
        })
    }

    /// Every affected-package entry for `name` in `ecosystem` (the exact OSV ecosystem,
    /// with release: `Debian:11`). The name is normalised the ecosystem's way.
    pub fn affected(&self, ecosystem: &str, name: &str) -> Result<Vec<AffectedHit>, DbError> {
        let key = normalize_package_name(ecosystem, name);
        let mut st = self.conn.prepare_cached(
            "SELECT advisory, seq, advisory_id, feed, ranges, has_versions, status
             FROM affected WHERE ecosystem = ?1 AND name = ?2",
        )?;
        let mut rows = st.query(params![ecosystem, key.as_ref()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let text = |e: rusqlite::types::FromSqlError| DbError::Corrupt(format!("affected row: {e}"));
            let ranges = crate::ranges::decode(r.get_ref(4)?.as_str().map_err(text)?)
                .map_err(|e| DbError::Corrupt(format!("ranges: {e}")))?;
            let feed: i64 = r.get(3)?;
            let source = self.feeds.iter().find(|(id, _)| *id == feed).map(|(_, n)| n.clone()).unwrap_or_default();
            let advisory: i64 = r.get(0)?;
            let seq: i64 = r.get(1)?;
            let versions = if r.get::<_, bool>(5)? { self.versions(advisory, seq)? } else { Vec::new() };
            out.push(AffectedHit {
                advisory,
                seq,
                advisory_id: r.get(2)?,
                source,
                ranges,
                versions,
                status: r.get(6)?,
            });
        }
        Ok(out)
    }

    fn versions(&self, advisory: i64, seq: i64) -> Result<Vec<String>, DbError> {
        let text: Option<String> = self
            .conn
            .prepare_cached("SELECT versions FROM affected_detail WHERE advisory = ?1 AND seq = ?2")?
            .query_row(params![advisory, seq], |r| r.get(0))
            .optional()?
            .flatten();
        decode_versions(text)
    }

    /// The whole affected entry `seq` of advisory `advisory`.
    pub fn affected_entry(&self, advisory: i64, seq: i64) -> Result<Option<Affected>, DbError> {
        let row: Option<(String, Option<String>)> = self
            .conn
            .prepare_cached("SELECT data, versions FROM affected_detail WHERE advisory = ?1 AND seq = ?2")?
            .query_row(params![advisory, seq], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((data, versions)) = row else { return Ok(None) };
        let mut entry: Affected =
            serde_json::from_str(&data).map_err(|e| DbError::Corrupt(format!("affected entry: {e}")))?;
        let key = normalize_package_name(&entry.ecosystem, &entry.name).into_owned();
        let row: Option<(String, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT ranges, status FROM affected WHERE ecosystem = ?1 AND name = ?2 AND advisory = ?3 AND seq = ?4",
            )?
            .query_row(params![entry.ecosystem, key, advisory, seq], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((ranges, status)) = row {
            entry.ranges = crate::ranges::decode(&ranges).map_err(|e| DbError::Corrupt(format!("ranges: {e}")))?;
            entry.status = status;
        }
        entry.versions = decode_versions(versions)?;
        Ok(Some(entry))
    }

    /// The severities of affected entry `seq` of advisory `advisory` alone (the Debian
    /// tracker's urgency, Ubuntu's priority): what a finding needs of the entry.
    pub fn affected_severities(&self, advisory: i64, seq: i64) -> Result<Vec<Severity>, DbError> {
        #[derive(serde::Deserialize)]
        struct Severities {
            #[serde(default)]
            severities: Vec<Severity>,
        }
        let data: Option<String> = self
            .conn
            .prepare_cached("SELECT data FROM affected_detail WHERE advisory = ?1 AND seq = ?2")?
            .query_row(params![advisory, seq], |r| r.get(0))
            .optional()?;
        let Some(data) = data else { return Ok(Vec::new()) };
        let s: Severities =
            serde_json::from_str(&data).map_err(|e| DbError::Corrupt(format!("affected entry: {e}")))?;
        Ok(s.severities)
    }

    /// The ecosystems present, with their number of affected entries.
    pub fn ecosystems(&self) -> Result<Vec<(String, u64)>, DbError> {
        let mut st =
            self.conn.prepare("SELECT ecosystem, COUNT(*) FROM affected GROUP BY ecosystem ORDER BY ecosystem")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Severities recorded for `subject` (an advisory id or a CVE id), with the feed each
    /// came from.
    pub fn severities(&self, subject: &str) -> Result<Vec<(String, Severity)>, DbError> {
        let mut st = self.conn.prepare_cached(
            "SELECT origin, source, kind, vector, score, rating, role FROM severities WHERE subject = ?1 ORDER BY rowid",
        )?;
        let rows = st.query_map([subject], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Severity {
                    source: r.get(1)?,
                    kind: parse_kind(&r.get::<_, String>(2)?),
                    vector: r.get(3)?,
                    score: r.get(4)?,
                    rating: r.get(5)?,
                    role: r.get(6)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// CWE ids recorded for `subject` (an advisory id or a CVE id).
    pub fn cwes_of(&self, subject: &str) -> Result<Vec<String>, DbError> {
        let mut st = self.conn.prepare_cached("SELECT DISTINCT cwe FROM cwes WHERE subject = ?1 ORDER BY cwe")?;
        let rows = st.query_map([subject], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The advisory stored under row id `rowid`, without its affected entries.
    pub fn advisory_meta(&self, rowid: i64) -> Result<Option<AdvisoryMeta>, DbError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT source, advisory_id, summary, withdrawn, informational, data FROM advisories WHERE id = ?1",
            )?
            .query_row([rowid], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .optional()?;
        let Some((source, id, summary, withdrawn, informational, data)) = row else { return Ok(None) };
        #[derive(serde::Deserialize, Default)]
        #[serde(default)]
        struct Extra {
            upstream: Vec<String>,
            references: Vec<Reference>,
        }
        let extra: Extra = serde_json::from_str(&data).map_err(|e| DbError::Corrupt(format!("advisory data: {e}")))?;
        let mut st = self.conn.prepare_cached("SELECT alias FROM aliases WHERE advisory = ?1 AND kind = 'alias'")?;
        let aliases = st.query_map([rowid], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(Some(AdvisoryMeta {
            id,
            source,
            summary,
            withdrawn,
            informational,
            aliases,
            upstream: extra.upstream,
            references: extra.references,
        }))
    }

    /// The full advisory stored under row id `rowid`.
    pub fn advisory(&self, rowid: i64) -> Result<Option<(String, Advisory)>, DbError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT source, advisory_id, summary, details, published, modified, withdrawn, informational, data
                 FROM advisories WHERE id = ?1",
            )?
            .query_row([rowid], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Advisory {
                        id: r.get(1)?,
                        summary: r.get(2)?,
                        details: r.get(3)?,
                        published: r.get(4)?,
                        modified: r.get(5)?,
                        withdrawn: r.get(6)?,
                        informational: r.get(7)?,
                        ..Advisory::default()
                    },
                    r.get::<_, String>(8)?,
                ))
            })
            .optional()?;
        let Some((source, mut adv, data)) = row else { return Ok(None) };
        #[derive(serde::Deserialize, Default)]
        #[serde(default)]
        struct Extra {
            upstream: Vec<String>,
            related: Vec<String>,
            references: Vec<Reference>,
        }
        let extra: Extra = serde_json::from_str(&data).map_err(|e| DbError::Corrupt(format!("advisory data: {e}")))?;
        adv.upstream = extra.upstream;
        adv.related = extra.related;
        adv.references = extra.references;
        let mut st = self.conn.prepare_cached("SELECT alias FROM aliases WHERE advisory = ?1 AND kind = 'alias'")?;
        adv.aliases = st.query_map([rowid], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut st = self.conn.prepare_cached("SELECT seq FROM affected_detail WHERE advisory = ?1 ORDER BY seq")?;
        let seqs: Vec<i64> = st.query_map([rowid], |r| r.get(0))?.collect::<Result<_, _>>()?;
        adv.affected = Vec::with_capacity(seqs.len());
        for seq in seqs {
            adv.affected.extend(self.affected_entry(rowid, seq)?);
        }
        adv.severities = self.severities(&adv.id)?.into_iter().filter(|(o, _)| *o == source).map(|(_, s)| s).collect();
        adv.cwes = self.cwes_of(&adv.id)?;
        Ok(Some((source, adv)))
    }

    /// Row ids and sources of every advisory with this id.
    pub fn advisories_by_id(&self, id: &str) -> Result<Vec<(i64, String)>, DbError> {
        let mut st =
            self.conn.prepare_cached("SELECT id, source FROM advisories WHERE advisory_id = ?1 ORDER BY id")?;
        let rows = st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Row ids of advisories that list `alias` as an alias or upstream id.
    pub fn advisories_with_alias(&self, alias: &str) -> Result<Vec<i64>, DbError> {
        let mut st =
            self.conn.prepare_cached("SELECT DISTINCT advisory FROM aliases WHERE alias = ?1 ORDER BY advisory")?;
        let rows = st.query_map([alias], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Ids related to advisory `rowid` through aliases and upstream ids.
    pub fn aliases(&self, rowid: i64) -> Result<Vec<String>, DbError> {
        let mut st = self.conn.prepare_cached("SELECT alias FROM aliases WHERE advisory = ?1 ORDER BY kind, alias")?;
        let rows = st.query_map([rowid], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn kev(&self, cve: &str) -> Result<Option<KevEntry>, DbError> {
        let data: Option<String> = self
            .conn
            .prepare_cached("SELECT data FROM kev WHERE cve = ?1")?
            .query_row([cve], |r| r.get(0))
            .optional()?;
        data.map(|d| serde_json::from_str(&d).map_err(|e| DbError::Corrupt(format!("kev row: {e}")))).transpose()
    }

    pub fn nvd(&self, cve: &str) -> Result<Option<NvdCve>, DbError> {
        let row = self
            .conn
            .prepare_cached("SELECT published, last_modified, status, description, data FROM nvd WHERE cve = ?1")?
            .query_row([cve], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?)))
            .optional()?;
        let Some((published, last_modified, status, description, data)) = row else { return Ok(None) };
        let extra: NvdExtra = serde_json::from_str(&data).map_err(|e| DbError::Corrupt(format!("nvd data: {e}")))?;
        Ok(Some(NvdCve {
            id: cve.to_owned(),
            published,
            last_modified,
            status,
            description,
            severities: self
                .severities(cve)?
                .into_iter()
                .filter(|(o, _)| o.starts_with("nvd"))
                .map(|(_, s)| s)
                .collect(),
            cwes: self.cwes_of(cve)?,
            tags: extra.tags,
            references: extra.references,
        }))
    }

    /// NVD's description of `cve`, without the rest of its record.
    pub fn nvd_description(&self, cve: &str) -> Result<Option<String>, DbError> {
        Ok(self
            .conn
            .prepare_cached("SELECT description FROM nvd WHERE cve = ?1")?
            .query_row([cve], |r| r.get(0))
            .optional()?
            .flatten())
    }
}

/// `nvd.data`: what of an NVD record has no column of its own (written by
/// `writer::NvdExtraRef`).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NvdExtra {
    references: Vec<Reference>,
    tags: Vec<String>,
}

/// `affected_detail.versions`: a JSON array, or NULL for none.
fn decode_versions(text: Option<String>) -> Result<Vec<String>, DbError> {
    match text {
        Some(t) => serde_json::from_str(&t).map_err(|e| DbError::Corrupt(format!("versions: {e}"))),
        None => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use brig_advisory::{Affected, NvdCve, Record, Reference, Severity, SeverityKind};

    use crate::{Builder, Db, SourceMeta, install};

    fn nvd_cve() -> NvdCve {
        NvdCve {
            id: "CVE-2024-0001".into(),
            last_modified: Some("2024-02-01T00:00:00".into()),
            status: Some("Analyzed".into()),
            description: Some("A flaw. More words.".into()),
            tags: vec!["disputed".into()],
            references: vec![Reference { kind: "FIX".into(), url: "https://example.org/fix".into() }],
            cwes: vec!["CWE-79".into()],
            ..NvdCve::default()
        }
    }

    fn build(dir: &std::path::Path, records: &[Record]) -> std::path::PathBuf {
        let mut b = Builder::create(&dir.join("x.building")).unwrap();
        for r in records {
            b.add("nvd/x.json", r).unwrap();
        }
        b.set_source(&SourceMeta { name: "nvd/x.json".into(), sha256: Some("ab".into()), ..SourceMeta::default() })
            .unwrap();
        let target = dir.join("x.db");
        install(&b.finish().unwrap(), &target).unwrap();
        target
    }

    #[test]
    fn nvd_tags_and_references_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&build(dir.path(), &[Record::Nvd(nvd_cve())])).unwrap();
        let n = db.nvd("CVE-2024-0001").unwrap().unwrap();
        assert_eq!(n.tags, ["disputed"]);
        assert_eq!(n.references, [Reference { kind: "FIX".into(), url: "https://example.org/fix".into() }]);
        assert_eq!(n.cwes, ["CWE-79"]);
        assert_eq!(db.nvd_description("CVE-2024-0001").unwrap().as_deref(), Some("A flaw. More words."));
        assert_eq!(db.nvd_description("CVE-2024-0002").unwrap(), None);
        assert!(db.built_at().unwrap().is_some());
    }

    #[test]
    fn a_version_1_nvd_row_keeps_its_references_and_its_feed_is_imported_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = build(dir.path(), &[Record::Nvd(nvd_cve())]);
        {
            // What version 1 wrote: the references array alone.
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute_batch(
                r#"UPDATE nvd SET data = '[{"kind":"FIX","url":"https://example.org/fix"}]';
                   PRAGMA user_version = 1;"#,
            )
            .unwrap();
        }
        let db = Db::open(&path).unwrap();
        assert_eq!(db.status().unwrap().schema_version, crate::SCHEMA_VERSION);
        let n = db.nvd("CVE-2024-0001").unwrap().unwrap();
        assert_eq!(n.references, [Reference { kind: "FIX".into(), url: "https://example.org/fix".into() }]);
        assert!(n.tags.is_empty(), "version 1 did not keep them");
        // The feed no longer counts as what the database was built from.
        assert_eq!(db.sources().unwrap()[0].sha256, None);
    }

    #[test]
    fn affected_severities_and_entry() {
        let dir = tempfile::tempdir().unwrap();
        let urgency = Severity {
            source: "debian".into(),
            kind: SeverityKind::Vendor,
            vector: None,
            score: None,
            rating: Some("low".into()),
            role: None,
        };
        let adv = brig_advisory::Advisory {
            id: "DSA-1".into(),
            affected: vec![
                Affected { ecosystem: "Debian:11".into(), name: "a".into(), ..Affected::default() },
                Affected {
                    ecosystem: "Debian:11".into(),
                    name: "b".into(),
                    versions: vec!["1.0".into()],
                    severities: vec![urgency.clone()],
                    ..Affected::default()
                },
            ],
            ..Default::default()
        };
        let db = Db::open(&build(dir.path(), &[Record::Advisory(adv)])).unwrap();
        let hit = &db.affected("Debian:11", "b").unwrap()[0];
        assert_eq!(db.affected_severities(hit.advisory, hit.seq).unwrap(), std::slice::from_ref(&urgency));
        assert_eq!(db.affected_severities(hit.advisory, 0).unwrap(), []);
        assert_eq!(db.affected_severities(hit.advisory, 9).unwrap(), []);
        let entry = db.affected_entry(hit.advisory, hit.seq).unwrap().unwrap();
        assert_eq!(
            (entry.name.as_str(), entry.versions.as_slice(), entry.severities.as_slice()),
            ("b", &["1.0".to_owned()][..], &[urgency][..])
        );
    }
}
