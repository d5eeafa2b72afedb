//! brig's config file (TOML). Each command reads its own table; `[db]` configures feeds.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    pub db: brig_feeds::FeedConfig,
    pub registry: RegistryConfig,
}

/// `[registry]`: how images are read from registries.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegistryConfig {
    /// Pull-through mirrors per registry: `mirrors = { "docker.io" = ["mirror.corp:5000"] }`.
    pub mirrors: std::collections::BTreeMap<String, Vec<String>>,
    /// Hosts that may be reached over plain HTTP or unverified TLS.
    pub insecure: Vec<String>,
    /// Extra CA certificates (PEM) to trust.
    pub ca_file: Option<PathBuf>,
    /// Longest wait for a connection, a response or the next bytes of one [default: 30].
    pub timeout_secs: Option<u64>,
    /// Further attempts after a 429, a 5xx or a network failure [default: 3].
    pub retries: Option<u32>,
}

/// Loads `--config` / `BRIG_CONFIG`, else the XDG default when it exists, else defaults.
pub fn load(explicit: Option<&PathBuf>) -> Result<Config> {
    let path = match explicit {
        Some(p) => p.clone(),
        None => match crate::dirs::config_file().filter(|p| p.is_file()) {
            Some(p) => p,
            None => return Ok(Config::default()),
        },
    };
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read config {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("config {}", path.display()))
}
