//! The feeds, one module each, behind one trait. A feed knows where its file is, how to
//! fetch it (one conditional download unless it says otherwise) and how to turn it into
//! records; the update does the rest.

mod alpine;
mod debian;
mod kev;
mod nvd;
mod osv;

pub(crate) use nvd::commit_nvd_api;

use brig_advisory::{FeedError, FeedStats, Record};

pub use alpine::AlpineSecdb;
pub use debian::{DebianList, DebianTracker};
pub use kev::Kev;
pub use nvd::{NvdApi, NvdFeedFile};
pub use osv::OsvExport;

use crate::fetch::{FetchError, FetchProgress, Fetched, Fetcher};

pub trait Feed: Send + Sync {
    /// Stable name: the file's path under a mirror root (`osv/PyPI/all.zip`).
    fn name(&self) -> &str;
    fn url(&self) -> &str;

    /// Fetches the feed into the cache.
    fn fetch(
        &self,
        fetcher: &Fetcher,
        force: bool,
        progress: Option<&dyn FetchProgress>,
    ) -> Result<Fetched, FetchError> {
        fetcher.fetch(self.name(), self.url(), force, progress)
    }

    /// Whether a fetch brings only what changed since the last one (the NVD API), so the
    /// previous database's rows must be kept and updated rather than replaced.
    fn is_incremental(&self) -> bool {
        false
    }

    /// Parses the fetched file, handing each record to `sink`.
    fn ingest(&self, fetched: &Fetched, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError>;
}

/// Reads a fetched file whole (feeds that are parsed from memory).
pub(crate) fn read(fetched: &Fetched) -> Result<Vec<u8>, FeedError> {
    std::fs::read(&fetched.path).map_err(|e| FeedError::malformed(fetched.path.display().to_string(), e))
}
