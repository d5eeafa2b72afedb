//! The per-layer analysis cache: what a layer read produced, stored under the layer's
//! diff_id so that an image sharing a base layer with one seen before skips reading it.
//!
//! Entries are written only after the layer's content was verified against its diff_id,
//! so a config that lies about a diff_id can never plant an entry for another layer.
//! `schema` names the shape of the cached value: bump it whenever catalogers change what
//! they keep, and old entries are simply not found.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use brig_image::Digest;
use serde::{Serialize, de::DeserializeOwned};

#[derive(Debug, Clone)]
pub struct LayerCache {
    dir: PathBuf,
}

/// Cached entries are small (a layer's links plus parsed package lists); this refuses a
/// corrupt or planted file before decompressing it without bound.
const MAX_ENTRY: u64 = 512 << 20;

impl LayerCache {
    pub fn new(cache_root: &Path, schema: &str) -> Self {
        LayerCache { dir: cache_root.join("layers").join(schema) }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn entry(&self, diff_id: &Digest) -> PathBuf {
        self.dir.join(format!("{}.json.zst", diff_id.hex()))
    }

    /// The cached value, or `None` when absent or unreadable (an unreadable entry is
    /// removed so that the next run rewrites it).
    pub fn get<T: DeserializeOwned>(&self, diff_id: &Digest) -> Option<T> {
        let path = self.entry(diff_id);
        let file = std::fs::File::open(&path).ok()?;
        let decoded = zstd::stream::read::Decoder::new(file).and_then(|d| {
            let mut buf = Vec::new();
            d.take(MAX_ENTRY).read_to_end(&mut buf)?;
            Ok(buf)
        });
        match decoded.ok().and_then(|b| serde_json::from_slice(&b).ok()) {
            Some(v) => Some(v),
            None => {
                tracing::warn!("ignoring unreadable layer cache entry {}", path.display());
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores a value atomically (temporary file in the same directory, then rename).
    pub fn put<T: Serialize>(&self, diff_id: &Digest, value: &T) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let json = serde_json::to_vec(value).map_err(std::io::Error::other)?;
        let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(&self.dir)?;
        {
            let mut enc = zstd::stream::write::Encoder::new(tmp.as_file_mut(), 3)?;
            enc.write_all(&json)?;
            enc.finish()?;
        }
        tmp.persist(self.entry(diff_id)).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_drops_corrupt_entries() {
        let dir = tempfile::tempdir().unwrap();
        let cache = LayerCache::new(dir.path(), "t1");
        let id = Digest::of(b"layer");
        assert_eq!(cache.get::<Vec<String>>(&id), None);
        cache.put(&id, &vec!["a".to_string()]).unwrap();
        assert_eq!(cache.get::<Vec<String>>(&id), Some(vec!["a".to_string()]));
        std::fs::write(cache.entry(&id), b"garbage").unwrap();
        assert_eq!(cache.get::<Vec<String>>(&id), None);
        assert!(!cache.entry(&id).exists(), "corrupt entry removed");
        let other = LayerCache::new(dir.path(), "t2");
        cache.put(&id, &vec!["a".to_string()]).unwrap();
        assert_eq!(other.get::<Vec<String>>(&id), None, "schemas are separate");
    }
}
