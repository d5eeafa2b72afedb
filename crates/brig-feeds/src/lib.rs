//! Vulnerability feeds: where they are, fetching them politely (conditional requests,
//! retries, timeouts), and building brig's database from them atomically.

pub mod config;
mod fetch;
mod sources;
mod update;

pub use config::{FeedConfig, NvdConfig, NvdMode};
pub use fetch::{CachedMeta, FetchError, FetchOptions, FetchProgress, Fetched, Fetcher};
pub use sources::Feed;
pub use update::{Outcome, SourceReport, UpdateError, UpdateOptions, UpdateReport, plan, update};
