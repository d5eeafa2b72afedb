//! Which feeds to fetch and from where. Every base URL can be set in the config file
//! (`[db.urls]`), by environment (`BRIG_FEED_URL_<NAME>`), or on the command line; a
//! mirror (`--mirror`, `BRIG_MIRROR`, `db.mirror`) serves every feed under one root in
//! the layout `osv/<ECOSYSTEM>/all.zip`, `alpine-secdb/v3.NN/main.json`,
//! `debian/DSA-list`, `kev/known_exploited_vulnerabilities.json`, `nvd/…`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

/// OSV ecosystems fetched when none are selected.
pub const DEFAULT_ECOSYSTEMS: &[&str] = &[
    "Debian",
    "Ubuntu",
    "Alpine",
    "Rocky Linux",
    "AlmaLinux",
    "PyPI",
    "npm",
    "crates.io",
    "Go",
    "Maven",
    "RubyGems",
    "Packagist",
    "NuGet",
];

/// Upstream locations, by the key used to override them.
pub const UPSTREAM: &[(&str, &str)] = &[
    ("osv", "https://osv-vulnerabilities.storage.googleapis.com"),
    ("alpine_secdb", "https://secdb.alpinelinux.org"),
    ("debian_dsa", "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DSA/list"),
    ("debian_dla", "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DLA/list"),
    ("debian_tracker", "https://security-tracker.debian.org/tracker/data/json"),
    ("kev", "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"),
    ("nvd_feeds", "https://nvd.nist.gov/feeds/json/cve/2.0"),
    ("nvd_api", "https://services.nvd.nist.gov/rest/json/cves/2.0"),
];

/// Where each feed sits under a mirror root.
pub const MIRROR_PATHS: &[(&str, &str)] = &[
    ("osv", "osv"),
    ("alpine_secdb", "alpine-secdb"),
    ("debian_dsa", "debian/DSA-list"),
    ("debian_dla", "debian/DLA-list"),
    ("debian_tracker", "debian/tracker.json"),
    ("kev", "kev/known_exploited_vulnerabilities.json"),
    ("nvd_feeds", "nvd/feeds/json/cve/2.0"),
    ("nvd_api", "nvd/rest/json/cves/2.0"),
];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NvdMode {
    /// The yearly JSON 2.0 feeds (default).
    #[default]
    Feeds,
    /// The CVE API 2.0, paged, incremental by `lastModStartDate`.
    Api,
    Off,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NvdConfig {
    pub mode: NvdMode,
    /// Years of yearly feeds to fetch; default 2002 to this year, plus `modified`.
    pub years: Option<Vec<u16>>,
    /// Explicit feed file URLs, replacing the yearly list.
    pub feeds: Vec<String>,
    /// NVD API key (also `NVD_API_KEY`); raises the rate limit.
    pub api_key: Option<String>,
    /// Pause between API requests; default follows NVD's published limits (6 s without
    /// a key, 0.6 s with one).
    pub api_delay_ms: Option<u64>,
    pub results_per_page: Option<u32>,
}

/// The `[db]` table of brig's config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    pub mirror: Option<String>,
    /// OSV ecosystems (with or without release) to update; empty means the default set.
    pub ecosystems: Vec<String>,
    /// Alpine secdb releases (`v3.18`) to fetch besides those named in `ecosystems`.
    pub alpine_releases: Vec<String>,
    /// Also fetch the Debian security tracker's JSON export (large).
    pub debian_tracker_json: bool,
    pub kev: bool,
    pub urls: BTreeMap<String, String>,
    pub nvd: NvdConfig,
    pub timeout_secs: u64,
    pub retries: u32,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            mirror: None,
            ecosystems: Vec::new(),
            alpine_releases: Vec::new(),
            debian_tracker_json: false,
            kev: true,
            urls: BTreeMap::new(),
            nvd: NvdConfig::default(),
            timeout_secs: 600,
            retries: 3,
        }
    }
}

impl FeedConfig {
    /// Applies `BRIG_MIRROR`, `BRIG_FEED_URL_<KEY>` and `NVD_API_KEY`.
    pub fn apply_env(&mut self) {
        if let Ok(m) = std::env::var("BRIG_MIRROR")
            && !m.is_empty()
        {
            self.mirror = Some(m);
        }
        for (key, _) in UPSTREAM {
            if let Ok(v) = std::env::var(format!("BRIG_FEED_URL_{}", key.to_ascii_uppercase()))
                && !v.is_empty()
            {
                self.urls.insert((*key).to_owned(), v);
            }
        }
        if self.nvd.api_key.is_none()
            && let Ok(k) = std::env::var("NVD_API_KEY")
            && !k.is_empty()
        {
            self.nvd.api_key = Some(k);
        }
    }

    /// The base URL of feed `key`: an explicit override, else under the mirror, else
    /// upstream.
    pub fn base(&self, key: &str) -> String {
        if let Some(u) = self.urls.get(key) {
            return u.trim_end_matches('/').to_owned();
        }
        if let Some(m) = &self.mirror {
            let rel = MIRROR_PATHS.iter().find(|(k, _)| *k == key).map(|(_, p)| *p).unwrap_or(key);
            return format!("{}/{rel}", m.trim_end_matches('/'));
        }
        UPSTREAM.iter().find(|(k, _)| *k == key).map(|(_, u)| (*u).to_owned()).unwrap_or_default()
    }

    pub fn fetch_options(&self) -> crate::FetchOptions {
        crate::FetchOptions {
            timeout: Duration::from_secs(self.timeout_secs.max(1)),
            retry: brig_http::RetryPolicy { retries: self.retries, ..brig_http::RetryPolicy::default() },
            ..crate::FetchOptions::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_resolve_override_then_mirror_then_upstream() {
        let mut c = FeedConfig::default();
        assert_eq!(c.base("osv"), "https://osv-vulnerabilities.storage.googleapis.com");
        c.mirror = Some("http://127.0.0.1:8080/".into());
        assert_eq!(c.base("osv"), "http://127.0.0.1:8080/osv");
        assert_eq!(c.base("debian_dsa"), "http://127.0.0.1:8080/debian/DSA-list");
        c.urls.insert("osv".into(), "https://mirror.corp/osv/".into());
        assert_eq!(c.base("osv"), "https://mirror.corp/osv");
        assert_eq!(brig_http::percent_encode("Rocky Linux"), "Rocky%20Linux");
    }

    #[test]
    fn config_file_shape() {
        let c: FeedConfig = toml::from_str(
            "mirror = \"http://m\"\necosystems = [\"Debian:12\", \"PyPI\"]\n[nvd]\nmode = \"api\"\napi_delay_ms = 0\n[urls]\nkev = \"http://k\"\n",
        )
        .unwrap();
        assert_eq!(c.nvd.mode, NvdMode::Api);
        assert_eq!(c.base("kev"), "http://k");
        assert!(toml::from_str::<FeedConfig>("bogus = 1").is_err(), "unknown keys are errors, not silently ignored");
    }
}
