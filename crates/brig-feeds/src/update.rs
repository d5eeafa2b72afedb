//! `brig db update`: fetch every planned feed, then build a complete new database beside
//! the current one and rename it into place. Nothing is rebuilt when every feed answered
//! "not modified". A feed that cannot be fetched or read keeps its rows from the previous
//! database; so do feeds outside a selective update. The previous database stays
//! untouched until the rename, so a failed or killed update leaves it working.

use std::fs::File;
use std::path::{Path, PathBuf};

use brig_advisory::{FeedStats, Record};
use brig_db::{Added, Builder, Db, SourceMeta};
use serde::Serialize;

use crate::config::{DEFAULT_ECOSYSTEMS, FeedConfig, NvdMode};
use crate::fetch::{FetchProgress, Fetched, Fetcher};
use crate::sources::{AlpineSecdb, DebianList, DebianTracker, Feed, Kev, NvdApi, NvdFeedFile, OsvExport};

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("{0}")]
    Setup(String),
    #[error("another update of {0} is running")]
    Locked(PathBuf),
    #[error("building the new database failed (the previous one is untouched)")]
    Build(#[from] brig_db::DbError),
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "state", content = "reason")]
pub enum Outcome {
    Downloaded,
    NotModified,
    /// Could not be fetched or read; the previous data (if any) was kept.
    Failed(String),
    /// Not part of this (selective) update; kept from the previous database.
    Kept,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub name: String,
    pub url: String,
    pub outcome: Outcome,
    pub records: u64,
    pub skipped: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateReport {
    pub db: PathBuf,
    /// False when nothing changed and the database was left as it was.
    pub rebuilt: bool,
    pub sources: Vec<SourceReport>,
}

impl UpdateReport {
    pub fn failures(&self) -> impl Iterator<Item = &SourceReport> {
        self.sources.iter().filter(|s| matches!(s.outcome, Outcome::Failed(_)))
    }
}

pub struct UpdateOptions<'a> {
    pub db: PathBuf,
    pub cache_dir: PathBuf,
    pub config: FeedConfig,
    /// Re-download and rebuild even when nothing changed.
    pub force: bool,
    pub progress: Option<&'a dyn FetchProgress>,
}

/// The feeds an update fetches for `config`: the selected (or default) OSV ecosystems,
/// the distribution feeds they imply, KEV and NVD.
pub fn plan(config: &FeedConfig) -> Vec<Box<dyn Feed>> {
    let mut feeds: Vec<Box<dyn Feed>> = Vec::new();
    let selected: Vec<String> = if config.ecosystems.is_empty() {
        DEFAULT_ECOSYSTEMS.iter().map(|s| (*s).to_owned()).collect()
    } else {
        config.ecosystems.clone()
    };
    let mut bases: Vec<&str> = Vec::new();
    let mut alpine = config.alpine_releases.clone();
    for eco in &selected {
        let (base, release) = match eco.split_once(':') {
            Some((b, r)) => (b.trim(), Some(r.trim())),
            None => (eco.trim(), None),
        };
        if !bases.contains(&base) {
            bases.push(base);
        }
        if base == "Alpine"
            && let Some(r) = release
            && !alpine.iter().any(|a| a == r)
        {
            alpine.push(r.to_owned());
        }
    }
    let osv = config.base("osv");
    for base in &bases {
        feeds.push(Box::new(OsvExport::new(&osv, base)));
    }
    let secdb = config.base("alpine_secdb");
    for release in &alpine {
        for repo in ["main", "community"] {
            feeds.push(Box::new(AlpineSecdb::new(&secdb, release, repo)));
        }
    }
    if bases.contains(&"Debian") {
        feeds.push(Box::new(DebianList::new(&config.base("debian_dsa"), "DSA")));
        feeds.push(Box::new(DebianList::new(&config.base("debian_dla"), "DLA")));
        if config.debian_tracker_json {
            feeds.push(Box::new(DebianTracker::new(&config.base("debian_tracker"))));
        }
    }
    if config.kev {
        feeds.push(Box::new(Kev::new(&config.base("kev"))));
    }
    match config.nvd.mode {
        NvdMode::Off => {}
        NvdMode::Api => feeds.push(Box::new(NvdApi::new(
            &config.base("nvd_api"),
            config.nvd.api_key.clone(),
            config.nvd.api_delay_ms,
            config.nvd.results_per_page,
        ))),
        NvdMode::Feeds if !config.nvd.feeds.is_empty() => {
            for url in &config.nvd.feeds {
                feeds.push(Box::new(NvdFeedFile::url(url)));
            }
        }
        NvdMode::Feeds => {
            let base = config.base("nvd_feeds");
            let this_year = time::OffsetDateTime::now_utc().year().clamp(2002, 9999) as u16;
            let years = config.nvd.years.clone().unwrap_or_else(|| (2002..=this_year).collect());
            for y in years {
                feeds.push(Box::new(NvdFeedFile::year(&base, &y.to_string())));
            }
            feeds.push(Box::new(NvdFeedFile::year(&base, "modified")));
        }
    }
    feeds
}

/// Holds the update lock for the database's directory entry.
struct Lock(File);

impl Lock {
    fn take(db: &Path) -> Result<Lock, UpdateError> {
        let path = lock_path(db);
        let f = File::create(&path).map_err(|e| UpdateError::Setup(format!("{}: {e}", path.display())))?;
        match f.try_lock() {
            Ok(()) => Ok(Lock(f)),
            Err(std::fs::TryLockError::WouldBlock) => Err(UpdateError::Locked(db.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => Err(UpdateError::Setup(format!("{}: {e}", path.display()))),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

fn lock_path(db: &Path) -> PathBuf {
    db.with_file_name(format!(".{}.lock", db.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()))
}

fn building_path(db: &Path) -> PathBuf {
    db.with_file_name(format!(".{}.building", db.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()))
}

fn meta_for(feed: &dyn Feed, fetched: &Fetched, stats: FeedStats) -> SourceMeta {
    SourceMeta {
        name: feed.name().to_owned(),
        url: fetched.meta.url.clone(),
        fetched_at: Some(fetched.meta.fetched_at.clone()),
        etag: fetched.meta.etag.clone(),
        last_modified: fetched.meta.last_modified.clone(),
        sha256: Some(fetched.meta.sha256.clone()).filter(|s| !s.is_empty()),
        size: Some(fetched.meta.size),
        stats,
    }
}

/// Parses a fetched feed into the builder, counting duplicate ids as skipped.
fn ingest(builder: &mut Builder, feed: &dyn Feed, fetched: &Fetched) -> Result<FeedStats, String> {
    let mut err: Option<brig_db::DbError> = None;
    let mut duplicates = 0u64;
    let name = feed.name().to_owned();
    let mut sink = |r: Record| {
        if err.is_some() {
            return;
        }
        match builder.add(&name, &r) {
            Ok(Added::Stored) => {}
            Ok(Added::Duplicate) => duplicates += 1,
            Err(e) => err = Some(e),
        }
    };
    let mut stats = feed.ingest(fetched, &mut sink).map_err(|e| e.to_string())?;
    if let Some(e) = err {
        return Err(format!("storing records: {e}"));
    }
    if duplicates > 0 {
        stats.records = stats.records.saturating_sub(duplicates);
        for _ in 0..duplicates {
            stats.skip("duplicate id (the first record with the id was kept)");
        }
    }
    Ok(stats)
}

pub fn update(opts: &UpdateOptions<'_>) -> Result<UpdateReport, UpdateError> {
    let db = &opts.db;
    let dir = db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| UpdateError::Setup(format!("{}: {e}", dir.display())))?;
    let _lock = Lock::take(db)?;
    let building = building_path(db);
    let _ = std::fs::remove_file(&building); // left by an update that was killed
    let feeds = plan(&opts.config);
    let fetcher = Fetcher::new(&opts.cache_dir.join("feeds"), opts.config.fetch_options())
        .map_err(|e| UpdateError::Setup(e.to_string()))?;
    let previous = Db::open(db).ok();
    let previous_info = previous.as_ref().and_then(|d| d.sources().ok()).unwrap_or_default();
    let previous_sources: Vec<String> = previous_info.iter().map(|s| s.name.clone()).collect();
    drop(previous);

    let mut fetched: Vec<Result<Fetched, String>> = Vec::with_capacity(feeds.len());
    for feed in &feeds {
        tracing::info!("fetching {}", feed.url());
        let r = feed.fetch(&fetcher, opts.force, opts.progress).map_err(|e| e.to_string());
        if let Err(e) = &r {
            tracing::error!("feed {} cannot be fetched: {e}", feed.name());
        }
        fetched.push(r);
    }
    // Unchanged means: the content is what the database was built from. A 304 alone is
    // not enough (an update killed after downloading leaves the cache ahead of the
    // database), so compare digests with those the database recorded.
    let in_db = |feed: &dyn Feed, f: &Fetched| {
        !f.meta.sha256.is_empty()
            && previous_info
                .iter()
                .any(|p| p.name == feed.name() && p.sha256.as_deref() == Some(f.meta.sha256.as_str()))
    };
    let all_unchanged = feeds.iter().zip(&fetched).all(|(feed, f)| matches!(f, Ok(f) if in_db(feed.as_ref(), f)));
    if !opts.force && all_unchanged {
        tracing::info!("every feed is unchanged; {} is up to date", db.display());
        let sources = feeds
            .iter()
            .map(|f| SourceReport {
                name: f.name().into(),
                url: f.url().into(),
                outcome: Outcome::NotModified,
                records: 0,
                skipped: 0,
            })
            .collect();
        return Ok(UpdateReport { db: db.clone(), rebuilt: false, sources });
    }

    if previous_sources.is_empty() && fetched.iter().all(Result::is_err) {
        // An empty database would read as "no vulnerabilities anywhere".
        let sources = feeds
            .iter()
            .zip(&fetched)
            .map(|(f, r)| SourceReport {
                name: f.name().into(),
                url: f.url().into(),
                outcome: Outcome::Failed(r.as_ref().err().cloned().unwrap_or_default()),
                records: 0,
                skipped: 0,
            })
            .collect();
        return Ok(UpdateReport { db: db.clone(), rebuilt: false, sources });
    }
    let result = build(db, &building, &feeds, fetched, &previous_sources);
    if result.is_err() {
        let _ = std::fs::remove_file(&building);
    }
    let mut sources = result?;
    if let Some(nvd) = feeds.iter().find(|f| f.name() == "nvd/api")
        && sources.iter().any(|s| s.name == nvd.name() && s.outcome == Outcome::Downloaded)
    {
        crate::sources::commit_nvd_api(&fetcher);
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(UpdateReport { db: db.clone(), rebuilt: true, sources })
}

fn build(
    db: &Path,
    building: &Path,
    feeds: &[Box<dyn Feed>],
    fetched: Vec<Result<Fetched, String>>,
    previous_sources: &[String],
) -> Result<Vec<SourceReport>, UpdateError> {
    let mut builder = Builder::create(building)?;
    let mut reports = Vec::new();
    let has_previous = !previous_sources.is_empty();
    for (feed, f) in feeds.iter().zip(fetched) {
        let name = feed.name();
        let mut outcome = match &f {
            Ok(f) if f.changed => Outcome::Downloaded,
            Ok(_) => Outcome::NotModified,
            Err(e) => Outcome::Failed(e.clone()),
        };
        let mut stats = FeedStats::default();
        if let Ok(f) = &f {
            if f.incremental && has_previous && previous_sources.iter().any(|p| p == name) {
                builder.copy_source_from(db, name)?;
            }
            tracing::info!("importing {name}");
            match ingest(&mut builder, feed.as_ref(), f) {
                Ok(s) => {
                    builder.set_source(&meta_for(feed.as_ref(), f, s.clone()))?;
                    stats = s;
                }
                Err(e) => {
                    tracing::error!("feed {name} cannot be read: {e}");
                    outcome = Outcome::Failed(format!("unreadable: {e}"));
                }
            }
        }
        if let Outcome::Failed(_) = outcome
            && previous_sources.iter().any(|p| p == name)
        {
            let kept = builder.copy_source_from(db, name)?;
            tracing::warn!("keeping the previous data of {name} ({kept} records)");
        }
        reports.push(SourceReport {
            name: name.into(),
            url: feed.url().into(),
            outcome,
            records: stats.records,
            skipped: stats.skipped,
        });
    }
    for name in previous_sources.iter().filter(|p| !feeds.iter().any(|f| f.name() == p.as_str())) {
        let kept = builder.copy_source_from(db, name)?;
        reports.push(SourceReport {
            name: name.clone(),
            url: String::new(),
            outcome: Outcome::Kept,
            records: kept,
            skipped: 0,
        });
    }
    let built = builder.finish()?;
    brig_db::install(&built, db)?;
    Ok(reports)
}
