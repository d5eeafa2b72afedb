//! The database schema and its migrations. `PRAGMA user_version` holds the schema
//! version; opening an older database migrates it forward, a newer one is refused.
//!
//! Indexes are not part of a migration: a build loads rows first and indexes them at the
//! end (`INDEXES`), which is several times faster than maintaining them while inserting.

/// The schema this build writes and reads.
pub const SCHEMA_VERSION: i64 = 2;

/// `MIGRATIONS[n]` takes a database from version `n` to `n + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the initial schema.
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

    -- One row per feed file: where it came from, its validators, what it held.
    CREATE TABLE sources (
        name TEXT PRIMARY KEY,          -- mirror-relative path, e.g. osv/PyPI/all.zip
        url TEXT NOT NULL,
        fetched_at TEXT,
        etag TEXT,
        last_modified TEXT,
        sha256 TEXT,
        size INTEGER,
        records INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        stats TEXT NOT NULL DEFAULT '{}' -- FeedStats as JSON: counts, skip reasons
    ) WITHOUT ROWID;

    -- Small ids for feed names, which would otherwise repeat on every package row.
    CREATE TABLE feeds (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

    CREATE TABLE advisories (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        advisory_id TEXT NOT NULL,
        summary TEXT,
        details TEXT,
        published TEXT,
        modified TEXT,
        withdrawn TEXT,
        informational TEXT,
        data TEXT NOT NULL               -- upstream, related, references as JSON (CWEs: `cwes`)
    );

    -- aliases and upstream ids, for merging advisories of one vulnerability. Rows arrive
    -- in advisory order, so clustering by advisory costs nothing and serves as that index.
    CREATE TABLE aliases (
        advisory INTEGER NOT NULL,
        kind TEXT NOT NULL,
        alias TEXT NOT NULL,
        PRIMARY KEY (advisory, kind, alias)
    ) WITHOUT ROWID;

    -- What matching needs of each affected package, clustered by package so that a
    -- lookup reads one or two pages; `name` is the ecosystem's lookup key.
    CREATE TABLE affected (
        ecosystem TEXT NOT NULL,
        name TEXT NOT NULL,
        advisory INTEGER NOT NULL,
        seq INTEGER NOT NULL,            -- position among the advisory's affected entries
        advisory_id TEXT NOT NULL,
        feed INTEGER NOT NULL,           -- feeds.id of the advisory's source
        ranges TEXT NOT NULL,            -- compact JSON (see ranges.rs)
        has_versions INTEGER NOT NULL,   -- the entry lists versions (in affected_detail)
        status TEXT,
        PRIMARY KEY (ecosystem, name, advisory, seq)
    ) WITHOUT ROWID;

    -- The rest of each affected entry. Rows arrive in advisory order, so this table is
    -- appended to, never sorted; `versions` (long enumerations in PyPI and GitHub
    -- records) lives here for that reason, before the wide `data` column.
    CREATE TABLE affected_detail (
        advisory INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        versions TEXT,                   -- JSON array; NULL when none
        data TEXT NOT NULL,              -- name, purl, severities, specifics as JSON
        PRIMARY KEY (advisory, seq)
    ) WITHOUT ROWID;

    -- Severities of advisories (subject = advisory id) and of CVEs from NVD (subject =
    -- CVE id); `origin` is the feed, `source` who rated.
    CREATE TABLE severities (
        subject TEXT NOT NULL,
        origin TEXT NOT NULL,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        vector TEXT,
        score REAL,
        rating TEXT,
        role TEXT
    );

    CREATE TABLE cwes (subject TEXT NOT NULL, origin TEXT NOT NULL, cwe TEXT NOT NULL);

    CREATE TABLE kev (cve TEXT PRIMARY KEY, origin TEXT NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;

    CREATE TABLE nvd (
        cve TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        published TEXT,
        last_modified TEXT,
        status TEXT,
        description TEXT,
        data TEXT NOT NULL               -- {"references": [...], "tags": [...]} (since version 2)
    ) WITHOUT ROWID;
    "#,
    // 1 -> 2: `nvd.data` holds an object with the references and the CVE's tags; version 1
    // wrote the references array alone and dropped the tags. The references carry over;
    // the tags can only come from the feed, so the NVD sources forget their digests, and
    // the next `brig db update` re-imports them rather than calling them unchanged.
    r#"
    UPDATE nvd SET data = json_object('references', json(data), 'tags', json('[]'))
     WHERE CASE WHEN json_valid(data) THEN json_type(data) = 'array' ELSE 0 END;
    UPDATE sources SET sha256 = NULL WHERE name LIKE 'nvd/%';
    "#,
];

/// Lookup indexes, created once the rows are in.
pub const INDEXES: &str = r#"
    CREATE UNIQUE INDEX IF NOT EXISTS advisories_id ON advisories(advisory_id, source);
    CREATE INDEX IF NOT EXISTS aliases_alias ON aliases(alias);
    CREATE INDEX IF NOT EXISTS severities_subject ON severities(subject);
    CREATE INDEX IF NOT EXISTS cwes_subject ON cwes(subject);
"#;

/// Brings `conn` to `SCHEMA_VERSION`, or refuses a database from a newer brig.
pub fn migrate(conn: &rusqlite::Connection) -> Result<(), crate::DbError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(crate::DbError::TooNew { found: current, supported: SCHEMA_VERSION });
    }
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", from + 1))?;
        tx.commit()?;
    }
    Ok(())
}
