//! Where blobs live: inside an image archive (read by offset, never extracted) or in a
//! directory (OCI image layout). Both answer the same questions for the layout parsers.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ImageError;

/// Small metadata files (manifests, configs, indexes) larger than this are refused: no real
/// one comes near it, and it keeps a hostile archive from making us allocate gigabytes.
pub(crate) const MAX_METADATA: u64 = 32 << 20;
/// An archive with more entries than this is not an image archive.
const MAX_ARCHIVE_ENTRIES: usize = 1 << 20;

/// Where one blob's bytes come from: a byte range of a local file, or a remote store
/// (a registry) that streams it on demand.
#[derive(Clone, Debug)]
pub struct BlobLocation {
    origin: Origin,
    len: u64,
}

#[derive(Clone, Debug)]
enum Origin {
    File {
        file: Arc<PathBuf>,
        offset: u64,
        // Keeps a decompressed copy of a compressed archive (or a saved daemon image)
        // alive while layers still point into it.
        _keep: Option<Arc<tempfile::TempPath>>,
    },
    Remote(Arc<dyn RemoteBlob>),
}

/// A blob held elsewhere (a registry), opened as a fresh stream each time it is read.
/// Implementations stream it; the reader verifies it against its digest as it goes.
pub trait RemoteBlob: Send + Sync + std::fmt::Debug {
    fn open(&self) -> io::Result<Box<dyn Read + Send>>;
    /// Where it is, for messages (`registry/repo@sha256:…`).
    fn describe(&self) -> String;
}

impl BlobLocation {
    pub(crate) fn file(file: Arc<PathBuf>, offset: u64, len: u64, keep: Option<Arc<tempfile::TempPath>>) -> Self {
        BlobLocation { origin: Origin::File { file, offset, _keep: keep }, len }
    }

    /// A blob of `len` bytes that `blob` streams.
    pub fn remote(blob: Arc<dyn RemoteBlob>, len: u64) -> Self {
        BlobLocation { origin: Origin::Remote(blob), len }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Opens the blob as a stream of exactly `len` bytes (fewer if the file was truncated,
    /// which the reader detects as a short layer).
    pub fn open(&self) -> io::Result<Box<dyn Read + Send>> {
        match &self.origin {
            Origin::File { file, offset, .. } => {
                let mut f = File::open(&**file)?;
                f.seek(SeekFrom::Start(*offset))?;
                Ok(Box::new(f.take(self.len)))
            }
            Origin::Remote(blob) => Ok(Box::new(blob.open()?.take(self.len))),
        }
    }

    pub fn describe(&self) -> String {
        match &self.origin {
            Origin::File { file, offset, .. } => format!("{} @{}+{}", file.display(), offset, self.len),
            Origin::Remote(blob) => blob.describe(),
        }
    }
}

pub(crate) trait BlobStore {
    fn describe(&self) -> &Path;
    fn exists(&self, name: &str) -> bool;
    fn location(&self, name: &str) -> Result<BlobLocation, ImageError>;

    /// Reads a small file whole, refusing anything over `MAX_METADATA`.
    fn read_small(&self, name: &str) -> Result<Vec<u8>, ImageError> {
        let loc = self.location(name)?;
        if loc.len() > MAX_METADATA {
            return Err(ImageError::Invalid(format!(
                "{}: {name} is {} bytes, more than any image metadata file should be",
                self.describe().display(),
                loc.len()
            )));
        }
        let mut buf = Vec::with_capacity(loc.len() as usize);
        loc.open().and_then(|mut r| r.read_to_end(&mut buf)).map_err(|e| ImageError::io(self.describe(), e))?;
        if buf.len() as u64 != loc.len() {
            return Err(ImageError::Invalid(format!("{}: {name} is truncated", self.describe().display())));
        }
        Ok(buf)
    }
}

#[derive(Debug, Clone)]
enum EntryKind {
    File { offset: u64, size: u64 },
    Link(String),
    Other,
}

/// The headers of an image archive, indexed by normalised path. Building it seeks past
/// every member's data, so indexing a 1 GiB archive reads only its headers.
pub(crate) struct ArchiveIndex {
    path: PathBuf,
    file: Arc<PathBuf>,
    entries: HashMap<String, EntryKind>,
    keep: Option<Arc<tempfile::TempPath>>,
}

/// Compression of a whole archive (`docker save | gzip`), which `docker load` accepts.
fn outer_compression(path: &Path) -> Result<Option<&'static str>, ImageError> {
    let mut magic = [0u8; 4];
    let mut f = File::open(path).map_err(|e| ImageError::io(path, e))?;
    let n = f.read(&mut magic).map_err(|e| ImageError::io(path, e))?;
    Ok(match &magic[..n] {
        [0x1f, 0x8b, ..] => Some("gzip"),
        [0x28, 0xb5, 0x2f, 0xfd] => Some("zstd"),
        [b'B', b'Z', b'h', ..] => Some("bzip2"),
        [0xfd, b'7', b'z', b'X'] => Some("xz"),
        _ => None,
    })
}

impl ArchiveIndex {
    /// Indexes `path`. A gzip- or zstd-compressed archive is first decompressed into
    /// `scratch` (the cache directory): random access needs a seekable file.
    pub(crate) fn open(path: &Path, scratch: Option<&Path>) -> Result<Self, ImageError> {
        let (file, keep) = match outer_compression(path)? {
            None => (path.to_path_buf(), None),
            Some(kind @ ("gzip" | "zstd")) => {
                let dir = scratch.ok_or_else(|| {
                    ImageError::Unsupported(format!(
                        "{}: {kind}-compressed archive needs a cache directory to unpack into",
                        path.display()
                    ))
                })?;
                std::fs::create_dir_all(dir).map_err(|e| ImageError::io(dir, e))?;
                let tmp =
                    tempfile::Builder::new().prefix("archive-").tempfile_in(dir).map_err(|e| ImageError::io(dir, e))?;
                let src = File::open(path).map_err(|e| ImageError::io(path, e))?;
                let mut reader: Box<dyn Read> = if kind == "gzip" {
                    Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(src)))
                } else {
                    Box::new(zstd::stream::read::Decoder::new(src).map_err(|e| ImageError::io(path, e))?)
                };
                let (mut out, tmp_path) = tmp.into_parts();
                io::copy(&mut reader, &mut out).map_err(|e| {
                    ImageError::Invalid(format!("{}: cannot decompress {kind} archive: {e}", path.display()))
                })?;
                let p = tmp_path.to_path_buf();
                (p, Some(Arc::new(tmp_path)))
            }
            Some(kind) => {
                return Err(ImageError::Unsupported(format!(
                    "{}: {kind}-compressed archives are not supported; decompress it first",
                    path.display()
                )));
            }
        };
        let mut idx = Self::index(&file, path)?;
        idx.keep = keep;
        Ok(idx)
    }

    /// Indexes an uncompressed archive that lives only as long as the image read from it
    /// (a daemon's `docker save` stream written to the cache directory); `shown` names it.
    pub(crate) fn open_owned(temp: tempfile::TempPath, shown: &Path) -> Result<Self, ImageError> {
        let mut idx = Self::index(&temp, shown)?;
        idx.keep = Some(Arc::new(temp));
        Ok(idx)
    }

    fn index(file: &Path, shown: &Path) -> Result<Self, ImageError> {
        let f = File::open(file).map_err(|e| ImageError::io(shown, e))?;
        let file_len = f.metadata().map_err(|e| ImageError::io(shown, e))?.len();
        let mut archive = tar::Archive::new(BufReader::new(f));
        let not_tar = |e: io::Error| ImageError::NotAnImage {
            path: shown.to_path_buf(),
            reason: format!("not a readable tar archive: {e}"),
        };
        let mut entries = HashMap::new();
        for entry in archive.entries_with_seek().map_err(not_tar)? {
            let entry = entry.map_err(not_tar)?;
            if entries.len() >= MAX_ARCHIVE_ENTRIES {
                return Err(ImageError::NotAnImage {
                    path: shown.to_path_buf(),
                    reason: "more than a million archive members".into(),
                });
            }
            let Some(name) = normalize(&entry.path_bytes()) else {
                continue;
            };
            let kind = match entry.header().entry_type() {
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    let (offset, size) = (entry.raw_file_position(), entry.size());
                    if offset.checked_add(size).is_none_or(|end| end > file_len) {
                        return Err(ImageError::Invalid(format!(
                            "{}: archive is truncated ({name} ends past the end of the file)",
                            shown.display()
                        )));
                    }
                    EntryKind::File { offset, size }
                }
                tar::EntryType::Symlink | tar::EntryType::Link => {
                    let target =
                        entry.link_name_bytes().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
                    let target = if entry.header().entry_type() == tar::EntryType::Symlink {
                        join_relative(&name, &target)
                    } else {
                        normalize(target.as_bytes())
                    };
                    match target {
                        Some(t) => EntryKind::Link(t),
                        None => EntryKind::Other,
                    }
                }
                _ => EntryKind::Other,
            };
            entries.insert(name, kind);
        }
        if entries.is_empty() {
            return Err(ImageError::NotAnImage {
                path: shown.to_path_buf(),
                reason: "empty or not a tar archive".into(),
            });
        }
        Ok(ArchiveIndex { path: shown.to_path_buf(), file: Arc::new(file.to_path_buf()), entries, keep: None })
    }
}

impl BlobStore for ArchiveIndex {
    fn describe(&self) -> &Path {
        &self.path
    }

    fn exists(&self, name: &str) -> bool {
        normalize(name.as_bytes()).is_some_and(|n| self.entries.contains_key(&n))
    }

    fn location(&self, name: &str) -> Result<BlobLocation, ImageError> {
        let mut current = normalize(name.as_bytes()).unwrap_or_default();
        // Classic `docker save` links shared layers (`b/layer.tar -> ../a/layer.tar`).
        for _ in 0..16 {
            match self.entries.get(&current) {
                Some(EntryKind::File { offset, size }) => {
                    return Ok(BlobLocation::file(self.file.clone(), *offset, *size, self.keep.clone()));
                }
                Some(EntryKind::Link(target)) => current = target.clone(),
                Some(EntryKind::Other) => {
                    return Err(ImageError::Invalid(format!("{}: {name} is not a regular file", self.path.display())));
                }
                None => {
                    return Err(ImageError::Missing(format!(
                        "{}: {name} is missing from the archive",
                        self.path.display()
                    )));
                }
            }
        }
        Err(ImageError::Invalid(format!("{}: {name}: too many levels of links", self.path.display())))
    }
}

/// An OCI image layout directory.
pub(crate) struct DirStore {
    root: PathBuf,
}

impl DirStore {
    pub(crate) fn new(root: &Path) -> Self {
        DirStore { root: root.to_path_buf() }
    }

    fn path(&self, name: &str) -> Option<PathBuf> {
        normalize(name.as_bytes()).map(|n| self.root.join(n))
    }
}

impl BlobStore for DirStore {
    fn describe(&self) -> &Path {
        &self.root
    }

    fn exists(&self, name: &str) -> bool {
        self.path(name).is_some_and(|p| p.is_file())
    }

    fn location(&self, name: &str) -> Result<BlobLocation, ImageError> {
        let path = self.path(name).ok_or_else(|| ImageError::Invalid(format!("bad blob path {name:?}")))?;
        let meta = std::fs::metadata(&path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                ImageError::Missing(format!("{}: {name} is missing from the layout", self.root.display()))
            } else {
                ImageError::io(&path, e)
            }
        })?;
        Ok(BlobLocation::file(Arc::new(path), 0, meta.len(), None))
    }
}

/// Normalises an archive member name: strips `./` and leading `/`, drops `.` components,
/// and refuses names that climb out of the archive with `..`.
pub(crate) fn normalize(raw: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(raw);
    let mut parts: Vec<&str> = Vec::new();
    for c in s.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() { None } else { Some(parts.join("/")) }
}

/// Resolves a symlink target found at `name` relative to `name`'s directory.
fn join_relative(name: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return normalize(target.as_bytes());
    }
    let dir = name.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    normalize(format!("{dir}/{target}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_member_names() {
        assert_eq!(normalize(b"./manifest.json").as_deref(), Some("manifest.json"));
        assert_eq!(normalize(b"/blobs//sha256/ab").as_deref(), Some("blobs/sha256/ab"));
        assert_eq!(normalize(b"a/../b").as_deref(), Some("b"));
        assert_eq!(normalize(b"../etc/passwd"), None);
        assert_eq!(normalize(b"./"), None);
        assert_eq!(join_relative("b/layer.tar", "../a/layer.tar").as_deref(), Some("a/layer.tar"));
    }
}
