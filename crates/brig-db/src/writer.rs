//! Building a database: bulk load in one transaction with journaling off (the file is a
//! temporary that nobody reads until it is complete), index at the end, then install it.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use brig_advisory::{Advisory, FeedStats, KevEntry, NvdCve, Record, Severity, normalize_package_name};
use rusqlite::{Connection, params};
use serde::Serialize;

use crate::{DbError, schema};

/// What the store records about one feed file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceMeta {
    /// Mirror-relative path (`osv/PyPI/all.zip`): the source's stable name.
    pub name: String,
    pub url: String,
    pub fetched_at: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: Option<String>,
    pub size: Option<u64>,
    pub stats: FeedStats,
}

/// The parts of an NVD record kept as JSON in `nvd.data` (read back as
/// `reader::NvdExtra`, which must keep these field names).
#[derive(Serialize)]
struct NvdExtraRef<'a> {
    references: &'a [brig_advisory::Reference],
    tags: &'a [String],
}

pub struct Builder {
    conn: Connection,
    path: PathBuf,
    /// Affected rows are loaded here in arrival order, then moved into `affected` in key
    /// order at the end: clustering them by package makes lookups read one or two pages,
    /// and a sorted insert is much cheaper than inserting at random positions. The file
    /// sits beside the database so that nothing is written elsewhere.
    staging: PathBuf,
    finished: bool,
    /// Hashes of the ids already stored for the current origin: a feed that repeats an
    /// id keeps the first record (and counts the rest as skipped duplicates).
    seen: HashSet<u64>,
    seen_origin: String,
    /// Reused for the JSON columns, which are serialised for every row.
    scratch: Vec<u8>,
    /// Feed names and their ids in `feeds`.
    feeds: Vec<(String, i64)>,
}

/// The part of an `Affected` stored in `affected_detail` (read back as an `Affected`
/// whose other fields default).
#[derive(Serialize)]
struct DetailRef<'a> {
    ecosystem: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: &'a Option<String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    severities: &'a [Severity],
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: &'a Option<serde_json::Value>,
}

/// What `add` did with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Stored,
    Duplicate,
}

fn id_hash(id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

impl Builder {
    /// Starts a new database at `path`, replacing any leftover file there.
    pub fn create(path: &Path) -> Result<Builder, DbError> {
        let staging = staging_path(path);
        for leftover in [path.to_path_buf(), path.with_extension("db-journal"), staging.clone()] {
            match std::fs::remove_file(&leftover) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(DbError::io(leftover, e)),
            }
        }
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA page_size = 32768;
             PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -131072;",
        )?;
        schema::migrate(&conn)?;
        conn.execute("ATTACH DATABASE ?1 AS staging", [staging.to_string_lossy()])?;
        conn.execute_batch(
            "PRAGMA staging.journal_mode = OFF;
             PRAGMA staging.synchronous = OFF;
             CREATE TABLE staging.affected_load (
                 ecosystem TEXT, name TEXT, advisory INTEGER, seq INTEGER, advisory_id TEXT, feed INTEGER,
                 ranges TEXT, has_versions INTEGER, status TEXT);
             BEGIN",
        )?;
        Ok(Builder {
            conn,
            path: path.to_path_buf(),
            staging,
            finished: false,
            seen: HashSet::new(),
            seen_origin: String::new(),
            scratch: Vec::new(),
            feeds: Vec::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stores one parsed record from feed `origin`.
    pub fn add(&mut self, origin: &str, record: &Record) -> Result<Added, DbError> {
        match record {
            Record::Advisory(a) => self.add_advisory(origin, a),
            Record::Kev(k) => self.add_kev(origin, k).map(|_| Added::Stored),
            Record::Nvd(n) => self.add_nvd(origin, n).map(|_| Added::Stored),
        }
    }

    fn add_advisory(&mut self, origin: &str, a: &Advisory) -> Result<Added, DbError> {
        if self.seen_origin != origin {
            self.seen.clear();
            self.seen_origin = origin.to_owned();
        }
        if !self.seen.insert(id_hash(&a.id)) {
            return Ok(Added::Duplicate);
        }
        let feed = self.feed_id(origin)?;
        #[derive(Serialize)]
        struct Extra<'a> {
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            upstream: &'a [String],
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            related: &'a [String],
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            references: &'a [brig_advisory::Reference],
        }
        // CWEs live in the `cwes` table, where the readers look for them.
        let extra = Extra { upstream: &a.upstream, related: &a.related, references: &a.references };
        self.conn
            .prepare_cached(
                "INSERT INTO advisories (source, advisory_id, summary, details, published, modified, withdrawn, informational, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                origin,
                a.id,
                a.summary,
                a.details,
                a.published,
                a.modified,
                a.withdrawn,
                a.informational,
                json(&extra)
            ])?;
        let rowid = self.conn.last_insert_rowid();
        {
            // A feed may list an alias twice; once is enough.
            let mut alias = self
                .conn
                .prepare_cached("INSERT OR IGNORE INTO aliases (advisory, alias, kind) VALUES (?1, ?2, ?3)")?;
            for x in &a.aliases {
                alias.execute(params![rowid, x, "alias"])?;
            }
            for x in &a.upstream {
                alias.execute(params![rowid, x, "upstream"])?;
            }
        }
        {
            let mut load = self.conn.prepare_cached(
                "INSERT INTO staging.affected_load (ecosystem, name, advisory, seq, advisory_id, feed, ranges, has_versions, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            let mut detail = self.conn.prepare_cached(
                "INSERT INTO affected_detail (advisory, seq, versions, data) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (seq, x) in a.affected.iter().enumerate() {
                let versions = (!x.versions.is_empty()).then(|| json(&x.versions));
                load.execute(params![
                    x.ecosystem,
                    normalize_package_name(&x.ecosystem, &x.name),
                    rowid,
                    seq as i64,
                    a.id,
                    feed,
                    crate::ranges::encode(&x.ranges),
                    versions.is_some(),
                    x.status
                ])?;
                self.scratch.clear();
                // Ranges, versions and status live in the lookup row; the rest here.
                let rest = DetailRef {
                    ecosystem: &x.ecosystem,
                    name: &x.name,
                    purl: &x.purl,
                    severities: &x.severities,
                    extra: &x.extra,
                };
                serde_json::to_writer(&mut self.scratch, &rest).map_err(|e| DbError::Corrupt(e.to_string()))?;
                // serde_json writes UTF-8; store it as TEXT.
                let data = std::str::from_utf8(&self.scratch).map_err(|e| DbError::Corrupt(e.to_string()))?;
                detail.execute(params![rowid, seq as i64, versions, data])?;
            }
        }
        self.add_severities(&a.id, origin, &a.severities)?;
        self.add_cwes(&a.id, origin, &a.cwes)?;
        Ok(Added::Stored)
    }

    /// The small id standing for feed `name` in the package table.
    fn feed_id(&mut self, name: &str) -> Result<i64, DbError> {
        if let Some((_, id)) = self.feeds.iter().find(|(n, _)| n == name) {
            return Ok(*id);
        }
        self.conn.prepare_cached("INSERT OR IGNORE INTO feeds (name) VALUES (?1)")?.execute([name])?;
        let id: i64 =
            self.conn.prepare_cached("SELECT id FROM feeds WHERE name = ?1")?.query_row([name], |r| r.get(0))?;
        self.feeds.push((name.to_owned(), id));
        Ok(id)
    }

    fn add_severities(&mut self, subject: &str, origin: &str, sev: &[Severity]) -> Result<(), DbError> {
        let mut st = self.conn.prepare_cached(
            "INSERT INTO severities (subject, origin, source, kind, vector, score, rating, role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for s in sev {
            st.execute(params![subject, origin, s.source, s.kind.as_str(), s.vector, s.score, s.rating, s.role])?;
        }
        Ok(())
    }

    fn add_cwes(&mut self, subject: &str, origin: &str, cwes: &[String]) -> Result<(), DbError> {
        let mut st = self.conn.prepare_cached("INSERT INTO cwes (subject, origin, cwe) VALUES (?1, ?2, ?3)")?;
        for c in cwes {
            st.execute(params![subject, origin, c])?;
        }
        Ok(())
    }

    fn add_kev(&mut self, origin: &str, k: &KevEntry) -> Result<(), DbError> {
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO kev (cve, origin, data) VALUES (?1, ?2, ?3)")?
            .execute(params![k.cve, origin, json(k)])?;
        Ok(())
    }

    fn add_nvd(&mut self, origin: &str, n: &NvdCve) -> Result<(), DbError> {
        // NVD feeds overlap (yearly + modified): the newest record of a CVE wins.
        let newer: bool = self
            .conn
            .prepare_cached("SELECT COALESCE(last_modified, '') < ?2 FROM nvd WHERE cve = ?1")?
            .query_row(params![n.id, n.last_modified.as_deref().unwrap_or("")], |r| r.get(0))
            .or_else(|e| if matches!(e, rusqlite::Error::QueryReturnedNoRows) { Ok(true) } else { Err(e) })?;
        if !newer {
            return Ok(());
        }
        self.conn
            .prepare_cached("DELETE FROM severities WHERE subject = ?1 AND origin LIKE 'nvd%'")?
            .execute([&n.id])?;
        self.conn.prepare_cached("DELETE FROM cwes WHERE subject = ?1 AND origin LIKE 'nvd%'")?.execute([&n.id])?;
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO nvd (cve, origin, published, last_modified, status, description, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                n.id,
                origin,
                n.published,
                n.last_modified,
                n.status,
                n.description,
                json(&NvdExtraRef { references: &n.references, tags: &n.tags })
            ])?;
        self.add_severities(&n.id, origin, &n.severities)?;
        self.add_cwes(&n.id, origin, &n.cwes)?;
        Ok(())
    }

    /// Records a feed file's metadata and counts.
    pub fn set_source(&mut self, m: &SourceMeta) -> Result<(), DbError> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO sources (name, url, fetched_at, etag, last_modified, sha256, size, records, skipped, stats)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                m.name,
                m.url,
                m.fetched_at,
                m.etag,
                m.last_modified,
                m.sha256,
                m.size.map(|s| s as i64),
                m.stats.records as i64,
                m.stats.skipped as i64,
                json(&m.stats)
            ])?;
        Ok(())
    }

    /// Copies everything feed `origin` contributed to the database at `old`, so that a
    /// feed that could not be fetched keeps its previous data. Returns the number of
    /// advisories, KEV and NVD entries copied.
    pub fn copy_source_from(&mut self, old: &Path, origin: &str) -> Result<u64, DbError> {
        self.conn.execute("ATTACH DATABASE ?1 AS prev", [old.to_string_lossy()])?;
        let result = (|| -> Result<u64, DbError> {
            let c = &self.conn;
            // Advisories get new row ids; map them through a temporary table.
            c.execute_batch("CREATE TEMP TABLE idmap (old INTEGER PRIMARY KEY, new INTEGER)")?;
            c.execute("INSERT OR IGNORE INTO feeds (name) VALUES (?1)", [origin])?;
            c.execute("CREATE TEMP TABLE copy_feed AS SELECT id FROM feeds WHERE name = ?1", [origin])?;
            let mut copied = 0u64;
            {
                let mut sel = c.prepare(
                    "SELECT id, advisory_id, summary, details, published, modified, withdrawn, informational, data
                     FROM prev.advisories WHERE source = ?1",
                )?;
                let mut ins = c.prepare(
                    "INSERT INTO advisories (source, advisory_id, summary, details, published, modified, withdrawn, informational, data)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?;
                let mut map = c.prepare("INSERT INTO idmap (old, new) VALUES (?1, ?2)")?;
                let mut rows = sel.query([origin])?;
                while let Some(r) = rows.next()? {
                    let old_id: i64 = r.get(0)?;
                    ins.execute(params![
                        origin,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, String>(8)?
                    ])?;
                    map.execute(params![old_id, c.last_insert_rowid()])?;
                    copied += 1;
                }
            }
            c.execute_batch(
                "INSERT OR IGNORE INTO aliases (advisory, alias, kind)
                   SELECT m.new, a.alias, a.kind FROM prev.aliases a JOIN idmap m ON m.old = a.advisory;
                 INSERT INTO staging.affected_load (ecosystem, name, advisory, seq, advisory_id, feed, ranges, has_versions, status)
                   SELECT a.ecosystem, a.name, m.new, a.seq, a.advisory_id, temp.copy_feed.id, a.ranges, a.has_versions, a.status
                   FROM prev.affected a JOIN idmap m ON m.old = a.advisory, temp.copy_feed;
                 INSERT INTO affected_detail (advisory, seq, versions, data)
                   SELECT m.new, d.seq, d.versions, d.data FROM prev.affected_detail d JOIN idmap m ON m.old = d.advisory;
                 DROP TABLE idmap;
                 DROP TABLE temp.copy_feed;",
            )?;
            c.execute("INSERT INTO severities SELECT * FROM prev.severities WHERE origin = ?1", [origin])?;
            c.execute("INSERT INTO cwes SELECT * FROM prev.cwes WHERE origin = ?1", [origin])?;
            copied +=
                c.execute("INSERT OR REPLACE INTO kev SELECT * FROM prev.kev WHERE origin = ?1", [origin])? as u64;
            copied +=
                c.execute("INSERT OR REPLACE INTO nvd SELECT * FROM prev.nvd WHERE origin = ?1", [origin])? as u64;
            c.execute("INSERT OR REPLACE INTO sources SELECT * FROM prev.sources WHERE name = ?1", [origin])?;
            Ok(copied)
        })();
        // DETACH is not allowed inside a transaction; commit what we have and reopen one.
        self.conn.execute_batch("COMMIT; DETACH DATABASE prev; BEGIN")?;
        result
    }

    /// Indexes, records build metadata and closes the file; the database is complete
    /// but not installed.
    pub fn finish(mut self) -> Result<PathBuf, DbError> {
        let (path, staging) = (self.path.clone(), self.staging.clone());
        let conn = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        let t = std::time::Instant::now();
        conn.execute_batch(
            "COMMIT;
             BEGIN;
             INSERT INTO affected (ecosystem, name, advisory, seq, advisory_id, feed, ranges, has_versions, status)
               SELECT ecosystem, name, advisory, seq, advisory_id, feed, ranges, has_versions, status
               FROM staging.affected_load ORDER BY ecosystem, name, advisory, seq;
             COMMIT;
             DETACH DATABASE staging;",
        )?;
        let _ = std::fs::remove_file(&staging);
        self.finished = true;
        tracing::debug!("packages clustered in {:.2}s", t.elapsed().as_secs_f64());
        let t = std::time::Instant::now();
        conn.execute_batch(schema::INDEXES)?;
        tracing::debug!("indexes built in {:.2}s", t.elapsed().as_secs_f64());
        let mut meta = conn.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?;
        meta.execute(params!["built_at", crate::now()])?;
        meta.execute(params!["built_by", format!("brig {}", env!("CARGO_PKG_VERSION"))])?;
        drop(meta);
        conn.execute_batch("PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA optimize;")?;
        conn.close().map_err(|(_, e)| e)?;
        let t = std::time::Instant::now();
        let f = std::fs::File::open(&path).map_err(|e| DbError::io(&path, e))?;
        f.sync_all().map_err(|e| DbError::io(&path, e))?;
        tracing::debug!("synced in {:.2}s", t.elapsed().as_secs_f64());
        Ok(path)
    }
}

impl Drop for Builder {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.staging);
        }
    }
}

fn staging_path(db: &Path) -> PathBuf {
    db.with_file_name(format!("{}.staging", db.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()))
}

/// Moves a finished database over `target` atomically (same directory, `rename`), then
/// syncs the directory so the swap survives a crash.
pub fn install(built: &Path, target: &Path) -> Result<(), DbError> {
    std::fs::rename(built, target).map_err(|e| DbError::io(target, e))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}
