//! brig's config file (TOML). Each command reads its own table; `[db]` configures feeds.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    pub db: brig_feeds::FeedConfig,
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
