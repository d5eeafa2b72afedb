//! Default locations, following the XDG base directory specification.

use std::path::PathBuf;

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
}

fn xdg(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_absolute()).or_else(|| home().map(|h| h.join(fallback)))
}

pub fn cache_dir(explicit: Option<&PathBuf>) -> Option<PathBuf> {
    explicit.cloned().or_else(|| xdg("XDG_CACHE_HOME", ".cache").map(|d| d.join("brig")))
}

pub fn db_path(explicit: Option<&PathBuf>) -> Option<PathBuf> {
    explicit.cloned().or_else(|| xdg("XDG_DATA_HOME", ".local/share").map(|d| d.join("brig").join("brig.db")))
}

pub fn config_file() -> Option<PathBuf> {
    xdg("XDG_CONFIG_HOME", ".config").map(|d| d.join("brig").join("config.toml"))
}
