//! NVD: the yearly JSON 2.0 feed files, or the CVE API 2.0 (paged by `startIndex` /
//! `resultsPerPage`, incremental by `lastModStartDate`, rate-limited as NVD publishes:
//! 5 requests per 30 s without an API key, 50 with one).

use std::path::PathBuf;
use std::time::Duration;

use brig_advisory::{FeedError, FeedStats, Record};
use serde::{Deserialize, Serialize};

use super::{Feed, read};
use crate::fetch::{CachedMeta, FetchError, FetchProgress, Fetched, Fetcher};

pub struct NvdFeedFile {
    name: String,
    url: String,
}

impl NvdFeedFile {
    /// A yearly (or `modified`) feed under `base`.
    pub fn year(base: &str, year: &str) -> Self {
        let file = format!("nvdcve-2.0-{year}.json.gz");
        NvdFeedFile { name: format!("nvd/feeds/json/cve/2.0/{file}"), url: format!("{base}/{file}") }
    }

    /// A feed file at an explicit URL; named by its file name.
    pub fn url(url: &str) -> Self {
        let file = url.rsplit('/').next().filter(|f| !f.is_empty()).unwrap_or("feed.json");
        NvdFeedFile { name: format!("nvd/{file}"), url: url.to_owned() }
    }
}

impl Feed for NvdFeedFile {
    fn name(&self) -> &str {
        &self.name
    }
    fn url(&self) -> &str {
        &self.url
    }
    fn ingest(&self, fetched: &Fetched, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
        brig_advisory::nvd::parse_feed(&read(fetched)?, &self.name, sink)
    }
}

/// NVD allows a `lastModStartDate`..`lastModEndDate` window of at most 120 days.
const MAX_WINDOW_DAYS: i64 = 120;
const NAME: &str = "nvd/api";

pub struct NvdApi {
    url: String,
    api_key: Option<String>,
    delay: Duration,
    per_page: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SyncState {
    /// When the last complete sync started, as NVD's API wants it.
    last_sync: String,
}

fn api_time(t: time::OffsetDateTime) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].000Z");
    t.to_offset(time::UtcOffset::UTC).format(&fmt).unwrap_or_default()
}

fn parse_api_time(s: &str) -> Option<time::OffsetDateTime> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].000Z");
    time::PrimitiveDateTime::parse(s, &fmt).ok().map(|p| p.assume_utc())
}

impl NvdApi {
    pub fn new(url: &str, api_key: Option<String>, delay_ms: Option<u64>, per_page: Option<u32>) -> Self {
        let delay = Duration::from_millis(delay_ms.unwrap_or(if api_key.is_some() { 600 } else { 6000 }));
        NvdApi { url: url.to_owned(), api_key, delay, per_page: per_page.unwrap_or(2000).clamp(1, 2000) }
    }

    fn dir(fetcher: &Fetcher) -> PathBuf {
        fetcher.cache_path(NAME)
    }
}

impl Feed for NvdApi {
    fn name(&self) -> &str {
        NAME
    }
    fn url(&self) -> &str {
        &self.url
    }

    fn fetch(
        &self,
        fetcher: &Fetcher,
        force: bool,
        progress: Option<&dyn FetchProgress>,
    ) -> Result<Fetched, FetchError> {
        let dir = Self::dir(fetcher);
        let io = |e: std::io::Error| FetchError::Io { path: dir.clone(), error: e };
        let pages = dir.join("pages");
        let _ = std::fs::remove_dir_all(&pages);
        std::fs::create_dir_all(&pages).map_err(io)?;
        let started = time::OffsetDateTime::now_utc();
        let previous: Option<SyncState> = if force {
            None
        } else {
            std::fs::read(dir.join("state.json")).ok().and_then(|b| serde_json::from_slice(&b).ok())
        };
        // Incremental only within NVD's window; otherwise fetch everything again.
        let since = previous
            .as_ref()
            .and_then(|s| parse_api_time(&s.last_sync))
            .filter(|t| (started - *t).whole_days() < MAX_WINDOW_DAYS);
        let mut start = 0u64;
        let mut total_bytes = 0u64;
        let mut pages_written = 0u32;
        let headers: Vec<(&str, &str)> = self.api_key.as_deref().map(|k| vec![("apiKey", k)]).unwrap_or_default();
        if let Some(p) = progress {
            p.started(NAME, None);
        }
        loop {
            let mut url = format!("{}?resultsPerPage={}&startIndex={start}", self.url, self.per_page);
            if let Some(t) = since {
                url.push_str(&format!("&lastModStartDate={}&lastModEndDate={}", api_time(t), api_time(started)));
            }
            let body = fetcher.get_bytes(&url, &headers)?;
            let page = brig_advisory::nvd::parse_page(&body, NAME, &mut |_| {})
                .map_err(|e| FetchError::Network { url: url.clone(), reason: format!("unreadable API page: {e}") })?
                .0;
            std::fs::write(pages.join(format!("page-{pages_written:06}.json")), &body).map_err(io)?;
            pages_written += 1;
            total_bytes += body.len() as u64;
            if let Some(p) = progress {
                p.bytes(body.len() as u64);
            }
            start = page.start_index + page.results_per_page;
            if page.results_per_page == 0 || start >= page.total_results {
                break;
            }
            std::thread::sleep(self.delay);
        }
        let state = SyncState { last_sync: api_time(started) };
        std::fs::write(dir.join("state.pending.json"), serde_json::to_vec(&state).unwrap_or_default()).map_err(io)?;
        if let Some(p) = progress {
            p.finished(NAME);
        }
        Ok(Fetched {
            path: pages,
            changed: true,
            incremental: since.is_some(),
            meta: CachedMeta {
                url: self.url.clone(),
                etag: None,
                last_modified: Some(state.last_sync),
                sha256: String::new(),
                size: total_bytes,
                fetched_at: api_time(started),
            },
        })
    }

    fn is_incremental(&self) -> bool {
        true
    }

    fn ingest(&self, fetched: &Fetched, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&fetched.path)
            .map_err(|e| FeedError::malformed(NAME, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        let mut stats = FeedStats::default();
        for f in files {
            let bytes = std::fs::read(&f).map_err(|e| FeedError::malformed(f.display().to_string(), e))?;
            let s = brig_advisory::nvd::parse_feed(&bytes, NAME, sink)?;
            stats.records += s.records;
            stats.skipped += s.skipped;
            stats.skip_reasons.extend(s.skip_reasons);
            for (k, v) in s.counts {
                stats.count(&k, v);
            }
        }
        stats.skip_reasons.truncate(brig_advisory::MAX_SKIP_REASONS);
        Ok(stats)
    }
}

/// Marks the API sync whose pages were just installed as the base of the next one.
pub(crate) fn commit_nvd_api(fetcher: &Fetcher) {
    let dir = NvdApi::dir(fetcher);
    let _ = std::fs::rename(dir.join("state.pending.json"), dir.join("state.json"));
}
