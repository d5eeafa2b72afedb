//! brig's vulnerability database: one SQLite file (rusqlite, bundled SQLite) that a user
//! can copy to an air-gapped site.
//!
//! A database is never modified in place. `Builder` writes a complete new file beside the
//! current one and `install` renames it over the old, so a reader always sees a whole
//! database and an update that fails or is killed leaves the previous one working.

mod bundle;
mod ranges;
mod reader;
mod schema;
mod writer;

pub use bundle::{BundleManifest, export_bundle, import_bundle};
pub use reader::{AdvisoryMeta, AffectedHit, Db, SourceInfo, Status};
pub use schema::SCHEMA_VERSION;
pub use writer::{Added, Builder, SourceMeta, install};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database query failed")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{path}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("no vulnerability database at {0} (run `brig db update`)")]
    Missing(PathBuf),
    #[error("the database has schema version {found}; this brig reads up to {supported} (upgrade brig)")]
    TooNew { found: i64, supported: i64 },
    #[error("corrupt data in the database: {0}")]
    Corrupt(String),
    #[error("bundle {path}: {reason}")]
    Bundle { path: PathBuf, reason: String },
}

impl DbError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DbError::Io { path: path.into(), source }
    }
}

/// The current time as RFC 3339 UTC, second precision.
pub(crate) fn now() -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc().format(&fmt).unwrap_or_default()
}
