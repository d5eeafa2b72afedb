//! Downloading one feed file: streamed to the cache (hashed on the way), conditional on
//! the validators of the copy already there (`If-None-Match` / `If-Modified-Since`),
//! retried on transient failures with backoff that honours `Retry-After`, bounded by a
//! timeout. A partial download never replaces a complete one.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use brig_http::{describe, retry_after};
use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Reports download progress; called from the downloading thread.
pub trait FetchProgress: Sync {
    fn started(&self, _name: &str, _total: Option<u64>) {}
    fn bytes(&self, _n: u64) {}
    fn finished(&self, _name: &str) {}
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: {reason}")]
    Network { url: String, reason: String },
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
}

/// The validators and digest of a cached feed file, stored beside it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CachedMeta {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: String,
    pub size: u64,
    pub fetched_at: String,
}

/// A feed file ready to ingest.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub path: PathBuf,
    /// False when the server answered 304 and the cached copy was kept.
    pub changed: bool,
    /// True when this fetch brought only changes since the previous one, to be applied
    /// on top of the previous database's rows.
    pub incremental: bool,
    pub meta: CachedMeta,
}

#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Per request, including the body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Attempts after the first on transient failures, and the waits between them.
    pub retry: brig_http::RetryPolicy,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(600),
            connect_timeout: Duration::from_secs(30),
            retry: brig_http::RetryPolicy::default(),
        }
    }
}

pub struct Fetcher {
    client: reqwest::blocking::Client,
    cache: PathBuf,
    opts: FetchOptions,
}

fn now() -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc().format(&fmt).unwrap_or_default()
}

impl Fetcher {
    pub fn new(cache: &Path, opts: FetchOptions) -> Result<Fetcher, FetchError> {
        let client = reqwest::blocking::Client::builder()
            .user_agent(concat!("brig/", env!("CARGO_PKG_VERSION")))
            .timeout(opts.timeout)
            .connect_timeout(opts.connect_timeout)
            .build()
            .map_err(|e| FetchError::Network { url: String::new(), reason: e.to_string() })?;
        Ok(Fetcher { client, cache: cache.to_path_buf(), opts })
    }

    pub fn client(&self) -> &reqwest::blocking::Client {
        &self.client
    }

    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    /// Where feed `name` (a relative path of our own, never from the network) is cached.
    pub fn cache_path(&self, name: &str) -> PathBuf {
        self.cache.join(name)
    }

    fn meta_path(&self, name: &str) -> PathBuf {
        self.cache.join(format!("{name}.meta.json"))
    }

    pub fn cached(&self, name: &str) -> Option<Fetched> {
        let path = self.cache_path(name);
        let meta: CachedMeta = serde_json::from_slice(&std::fs::read(self.meta_path(name)).ok()?).ok()?;
        let len = std::fs::metadata(&path).ok()?.len();
        (len == meta.size).then_some(Fetched { path, changed: false, incremental: false, meta })
    }

    /// Fetches `url` into the cache as `name`; with `force`, ignores the cached validators.
    pub fn fetch(
        &self,
        name: &str,
        url: &str,
        force: bool,
        progress: Option<&dyn FetchProgress>,
    ) -> Result<Fetched, FetchError> {
        let cached = if force { None } else { self.cached(name).filter(|c| c.meta.url == url) };
        self.with_retries(|| self.try_fetch(name, url, cached.as_ref(), progress))
    }

    /// A small GET (an API page) into memory, with the same retries.
    pub fn get_bytes(&self, url: &str, headers: &[(&str, &str)]) -> Result<Vec<u8>, FetchError> {
        self.with_retries(|| {
            let net = |e: reqwest::Error| (FetchError::Network { url: url.to_owned(), reason: describe(&e) }, None);
            let mut req = self.client.get(url);
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            let resp = req.send().map_err(net)?;
            let status = resp.status();
            if !status.is_success() {
                let retry_after = retry_after(resp.headers());
                return Err((FetchError::Status { url: url.to_owned(), status: status.as_u16() }, retry_after));
            }
            resp.bytes().map(|b| b.to_vec()).map_err(net)
        })
    }

    fn with_retries<T>(
        &self,
        mut attempt_once: impl FnMut() -> Result<T, (FetchError, Option<Duration>)>,
    ) -> Result<T, FetchError> {
        brig_http::with_retries(&self.opts.retry, || {
            attempt_once().map_err(|(error, retry_after)| {
                let transient = match &error {
                    FetchError::Status { status, .. } => brig_http::is_transient_status(*status),
                    FetchError::Network { .. } => true,
                    FetchError::Io { .. } => false,
                };
                brig_http::Failure { error, transient, retry_after }
            })
        })
    }

    fn try_fetch(
        &self,
        name: &str,
        url: &str,
        cached: Option<&Fetched>,
        progress: Option<&dyn FetchProgress>,
    ) -> Result<Fetched, (FetchError, Option<Duration>)> {
        let net = |e: reqwest::Error| (FetchError::Network { url: url.to_owned(), reason: describe(&e) }, None);
        let mut req = self.client.get(url);
        if let Some(c) = cached {
            if let Some(etag) = &c.meta.etag {
                req = req.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &c.meta.last_modified {
                req = req.header(IF_MODIFIED_SINCE, lm);
            }
        }
        let mut resp = req.send().map_err(net)?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED
            && let Some(c) = cached
        {
            tracing::debug!("{url}: not modified");
            return Ok(c.clone());
        }
        if !status.is_success() {
            let retry_after = retry_after(resp.headers());
            return Err((FetchError::Status { url: url.to_owned(), status: status.as_u16() }, retry_after));
        }
        // Read before the body: reqwest's content_length() shrinks as the body is consumed.
        let expected_len = resp.content_length();
        let header =
            |h| resp.headers().get(h).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok()).map(str::to_owned);
        let (etag, last_modified) = (header(ETAG), header(LAST_MODIFIED));
        let path = self.cache_path(name);
        let io = |e: std::io::Error| (FetchError::Io { path: path.clone(), error: e }, None);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let part = path.with_file_name(format!(
            "{}.part",
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        if let Some(p) = progress {
            p.started(name, expected_len);
        }
        let mut out = std::io::BufWriter::new(std::fs::File::create(&part).map_err(io)?);
        let mut hash = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 256 << 10];
        loop {
            let n = match resp.read(&mut buf) {
                Ok(n) => n,
                Err(e) => {
                    let _ = std::fs::remove_file(&part);
                    return Err((
                        FetchError::Network { url: url.to_owned(), reason: format!("download interrupted: {e}") },
                        None,
                    ));
                }
            };
            if n == 0 {
                break;
            }
            hash.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(io)?;
            size += n as u64;
            if let Some(p) = progress {
                p.bytes(n as u64);
            }
        }
        if let Some(expected) = expected_len
            && expected != size
        {
            let _ = std::fs::remove_file(&part);
            return Err((
                FetchError::Network { url: url.to_owned(), reason: format!("got {size} of {expected} bytes") },
                None,
            ));
        }
        let file = out.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&part, &path).map_err(io)?;
        let meta = CachedMeta {
            url: url.to_owned(),
            etag,
            last_modified,
            sha256: hex::encode(hash.finalize()),
            size,
            fetched_at: now(),
        };
        let meta_bytes = serde_json::to_vec_pretty(&meta).unwrap_or_default();
        std::fs::write(self.meta_path(name), meta_bytes).map_err(io)?;
        if let Some(p) = progress {
            p.finished(name);
        }
        Ok(Fetched { path, changed: true, incremental: false, meta })
    }
}
