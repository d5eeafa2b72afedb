//! Reads one layer in a single streaming pass: the compressed stream is hashed (blob
//! digest), decompressed by what its first bytes say it is, hashed again (diff_id), and its
//! tar headers are walked. Content is kept only for files the visitor asks for, up to the
//! size it names; everything else is skipped as it streams by.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use brig_image::Digest;
use sha2::{Digest as _, Sha256};

use crate::path::{BadPath, normalize, split_parent};
use crate::tree::{LayerTree, Node};

/// What a visitor wants of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Its content, if it is at most `max` bytes.
    Content { max: u64 },
    /// Only the fact that it exists (and which layer wrote it).
    Presence,
    /// Its content as a stream ([`Visitor::stream`]), for files that may be too large to
    /// hold (archives): the visitor reads what it needs and keeps only its findings.
    Stream,
}

/// Decides which files matter and turns their content into something worth keeping.
pub trait Visitor {
    fn want(&self, path: &str) -> Option<Want>;
    /// Receives a wanted file's content; returns the slot of what it kept, if anything.
    fn file(&mut self, path: &str, content: Vec<u8>) -> Option<u32>;
    /// For a regular file `want` passed over: how many leading bytes to show
    /// [`Visitor::stream`] so that it can tell from the content whether the file matters
    /// (an executable's header). `mode` holds the permission bits. 0: none.
    fn sniff_len(&self, _path: &str, _size: u64, _mode: u32) -> usize {
        0
    }
    /// A streamed file: `head` holds the bytes already read (the sniffed header; empty
    /// for [`Want::Stream`]), `rest` the remainder. Whatever the visitor leaves unread is
    /// skipped. Returns the slot of what it kept; `None` leaves no trace of the file.
    fn stream(&mut self, _path: &str, _size: u64, _head: &[u8], _rest: &mut dyn Read) -> Option<u32> {
        None
    }
}

/// Reads up to `n` bytes (fewer only at the end of the stream).
pub(crate) fn read_head(r: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    r.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Bounds on what one layer may cost, whatever its headers claim.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Uncompressed bytes per layer.
    pub max_uncompressed: u64,
    /// Uncompressed/compressed ratio tolerated once past `ratio_floor` bytes. gzip cannot
    /// exceed ~1032:1, so only crafted zstd (or similar) streams trip it.
    pub max_ratio: u64,
    pub ratio_floor: u64,
    /// Tar members per layer.
    pub max_entries: u64,
    /// Directories, symlinks and wanted files recorded per layer.
    pub max_recorded: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_uncompressed: 64 << 30,
            max_ratio: 4096,
            ratio_floor: 1 << 30,
            max_entries: 10_000_000,
            max_recorded: 2_000_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// Identifies a stream by its magic bytes; media types and file names are not trusted.
    pub fn sniff(head: &[u8]) -> Result<Compression, &'static str> {
        match head {
            [0x1f, 0x8b, ..] => Ok(Compression::Gzip),
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Ok(Compression::Zstd),
            [b'B', b'Z', b'h', ..] => Err("bzip2"),
            [0xfd, b'7', b'z', b'X', ..] => Err("xz"),
            _ => Ok(Compression::None),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("cannot open layer: {0}")]
    Open(io::Error),
    #[error("unsupported layer compression: {0}")]
    Compression(&'static str),
    #[error("corrupt layer: {0}")]
    Corrupt(String),
    #[error(
        "layer digest mismatch: expected {expected}, content is {actual}; the image is corrupt or was tampered with"
    )]
    DigestMismatch { expected: Digest, actual: Digest },
    #[error(
        "layer diff_id mismatch: the config says {expected}, the uncompressed layer is {actual}; the image is corrupt or was tampered with"
    )]
    DiffIdMismatch { expected: Digest, actual: Digest },
    #[error("layer exceeds {0}")]
    TooLarge(String),
}

/// The digests a layer is expected to have.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    pub digest: Option<Digest>,
    pub diff_id: Option<Digest>,
}

#[derive(Debug)]
pub struct LayerRead {
    pub tree: LayerTree,
    pub digest: Digest,
    pub diff_id: Digest,
    pub compression: Compression,
    pub compressed_size: u64,
    pub uncompressed_size: u64,
    pub warnings: Vec<String>,
}

/// Opens a fresh stream of the layer blob; called again only for a second pass.
pub type Opener<'a> = &'a (dyn Fn() -> io::Result<Box<dyn Read + Send>> + Sync);

/// Hashes and counts everything read through it.
struct Hashing<'p, R> {
    inner: R,
    hash: Sha256,
    count: Arc<AtomicU64>,
    progress: Option<Progress<'p>>,
}

/// Called with the number of (compressed) bytes read, for progress bars.
pub type Progress<'p> = &'p (dyn Fn(u64) + Sync);

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        if let Some(p) = self.progress {
            p(n as u64);
        }
        Ok(n)
    }
}

/// Counts uncompressed bytes and stops a decompression bomb before it costs real time.
struct Bounded<R> {
    inner: R,
    hash: Sha256,
    count: u64,
    compressed: Arc<AtomicU64>,
    limits: Limits,
    tripped: Option<String>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.count += n as u64;
        if self.count > self.limits.max_uncompressed {
            self.tripped = Some(format!("{} bytes uncompressed", self.limits.max_uncompressed));
        } else if self.count > self.limits.ratio_floor {
            let packed = self.compressed.load(Ordering::Relaxed).max(1);
            if self.count / packed > self.limits.max_ratio {
                self.tripped = Some(format!("a {}:1 compression ratio (decompression bomb?)", self.limits.max_ratio));
            }
        }
        if let Some(t) = &self.tripped {
            return Err(io::Error::other(format!("layer exceeds {t}")));
        }
        Ok(n)
    }
}

const READ_BUFFER: usize = 256 << 10;

/// Reads a layer once, recording its tree and handing wanted files to `visitor`.
pub fn read_layer(
    open: Opener<'_>,
    expected: &Expected,
    limits: Limits,
    visitor: &mut dyn Visitor,
    progress: Option<Progress<'_>>,
) -> Result<LayerRead, LayerError> {
    let compressed_count = Arc::new(AtomicU64::new(0));
    let raw = Hashing {
        inner: open().map_err(LayerError::Open)?,
        hash: Sha256::new(),
        count: compressed_count.clone(),
        progress,
    };
    let mut raw = BufReader::with_capacity(READ_BUFFER, raw);
    let head = raw.fill_buf().map_err(LayerError::Open)?;
    let compression = Compression::sniff(head).map_err(LayerError::Compression)?;

    let mut warnings = Vec::new();
    let walked: Result<_, LayerError> = (|| {
        let decoder = decoder(&mut raw, compression)?;
        let mut plain = Bounded {
            inner: decoder,
            hash: Sha256::new(),
            count: 0,
            compressed: compressed_count.clone(),
            limits,
            tripped: None,
        };
        let walked = match walk(&mut plain, limits, visitor, &mut warnings) {
            Ok(w) => w,
            Err(e) => return Err(plain.tripped.take().map(LayerError::TooLarge).unwrap_or(e)),
        };
        // The diff_id covers the whole stream, including padding after the tar's end.
        if let Err(e) = io::copy(&mut plain, &mut io::sink()) {
            return Err(plain.tripped.take().map(LayerError::TooLarge).unwrap_or(LayerError::Corrupt(e.to_string())));
        }
        let diff_id = Digest::from_bytes(plain.hash.finalize().into());
        Ok((walked.0, diff_id, plain.count, walked.1))
    })();
    // A blob that does not parse may be one that was altered: when its digest is known,
    // it is read to the end so that the mismatch, the cause worth reporting, is found.
    let walked = match walked {
        Err(e) if !matches!(e, LayerError::Corrupt(_)) || expected.digest.is_none() => return Err(e),
        w => w,
    };
    let drained = io::copy(&mut raw, &mut io::sink());
    let digest = Digest::from_bytes(raw.into_inner().hash.finalize().into());
    if drained.is_ok()
        && let Some(want) = &expected.digest
        && *want != digest
    {
        return Err(LayerError::DigestMismatch { expected: want.clone(), actual: digest });
    }
    let (tree, diff_id, uncompressed_size, hardlinks) = walked?;
    drained.map_err(|e| LayerError::Corrupt(e.to_string()))?;
    let compressed_size = compressed_count.load(Ordering::Relaxed);
    if let Some(want) = &expected.diff_id
        && *want != diff_id
    {
        return Err(LayerError::DiffIdMismatch { expected: want.clone(), actual: diff_id });
    }

    let mut tree = tree;
    if !hardlinks.is_empty() {
        second_pass(open, &digest, limits, visitor, &hardlinks, &mut tree, &mut warnings)?;
    }
    Ok(LayerRead { tree, digest, diff_id, compression, compressed_size, uncompressed_size, warnings })
}

/// The decompressed view of a layer stream.
fn decoder<'a, R: BufRead + 'a>(raw: R, compression: Compression) -> Result<Box<dyn Read + 'a>, LayerError> {
    Ok(match compression {
        Compression::None => Box::new(raw),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(raw)),
        Compression::Zstd => Box::new(
            zstd::stream::read::Decoder::with_buffer(raw).map_err(|e| LayerError::Corrupt(format!("zstd: {e}")))?,
        ),
    })
}

/// A wanted path that is a hard link: its content is the target's, read in a second pass.
struct PendingLink {
    path: String,
    target: String,
    max: u64,
}

fn tar_error(e: io::Error) -> LayerError {
    // The tar crate reports a short stream as a custom error ("unexpected EOF during skip").
    let msg = e.to_string();
    LayerError::Corrupt(if e.kind() == io::ErrorKind::UnexpectedEof || msg.contains("unexpected EOF") {
        "truncated (unexpected end of data)".to_owned()
    } else {
        msg
    })
}

fn entry_path(raw: &[u8], warnings: &mut Vec<String>) -> Option<String> {
    let name = String::from_utf8_lossy(raw);
    match normalize(&name) {
        Ok(p) => Some(p),
        Err(BadPath::Root) => None,
        Err(BadPath::Escapes) => {
            warnings.push(format!("skipped archive entry {name:?}: it climbs out of the image root"));
            None
        }
    }
}

fn walk(
    stream: &mut dyn Read,
    limits: Limits,
    visitor: &mut dyn Visitor,
    warnings: &mut Vec<String>,
) -> Result<(LayerTree, Vec<PendingLink>), LayerError> {
    let mut archive = tar::Archive::new(stream);
    let mut tree = LayerTree::default();
    let mut hardlinks: HashMap<String, String> = HashMap::new();
    let mut pending = Vec::new();
    let mut seen: u64 = 0;
    for entry in archive.entries().map_err(tar_error)? {
        let mut entry = entry.map_err(tar_error)?;
        seen += 1;
        if seen > limits.max_entries {
            return Err(LayerError::TooLarge(format!("{} archive entries", limits.max_entries)));
        }
        if tree.len() >= limits.max_recorded {
            return Err(LayerError::TooLarge(format!("{} directories, links and wanted files", limits.max_recorded)));
        }
        let Some(path) = entry_path(&entry.path_bytes(), warnings) else {
            continue;
        };
        let (dir, base) = split_parent(&path);
        if let Some(hidden) = base.strip_prefix(".wh.") {
            if hidden == ".wh..opq" {
                tree.opaque_dirs.push(dir.to_owned());
            } else if !hidden.starts_with(".wh.") && !hidden.is_empty() {
                // `.wh..wh.*` other than the opaque marker is aufs bookkeeping: ignored.
                tree.whiteouts.push(crate::path::join(dir, hidden));
            }
            continue;
        }
        let kind = entry.header().entry_type();
        match kind {
            tar::EntryType::Directory => tree.nodes.push((path, Node::Dir)),
            tar::EntryType::Symlink => {
                let target =
                    entry.link_name_bytes().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
                if target.is_empty() {
                    warnings.push(format!("skipped symlink {path} with an empty target"));
                } else {
                    tree.nodes.push((path, Node::Symlink(target)));
                }
            }
            tar::EntryType::Link => {
                let raw = entry.link_name_bytes().map(|b| b.into_owned()).unwrap_or_default();
                let Some(mut target) = entry_path(&raw, warnings) else {
                    continue;
                };
                // Chains (a -> b -> c) collapse onto the first regular file.
                while let Some(next) = hardlinks.get(&target) {
                    if *next == target {
                        break;
                    }
                    target = next.clone();
                }
                hardlinks.insert(path.clone(), target.clone());
                match visitor.want(&path) {
                    Some(Want::Content { max }) => pending.push(PendingLink { path: path.clone(), target, max }),
                    // A second name for an archive: its content was streamed under the first
                    // name (or is not in this layer); recording its presence is enough.
                    Some(Want::Presence | Want::Stream) => tree.nodes.push((path, Node::File { slot: None })),
                    None => {}
                }
            }
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                match visitor.want(&path) {
                    None => {
                        let size = entry.size();
                        let mode = entry.header().mode().unwrap_or(0);
                        let n = visitor.sniff_len(&path, size, mode);
                        if n > 0 {
                            let head = read_head(&mut entry, n).map_err(tar_error)?;
                            if let Some(slot) = visitor.stream(&path, size, &head, &mut entry) {
                                tree.nodes.push((path, Node::File { slot: Some(slot) }));
                            }
                        }
                    }
                    Some(Want::Stream) => {
                        let size = entry.size();
                        let slot = visitor.stream(&path, size, &[], &mut entry);
                        tree.nodes.push((path, Node::File { slot }));
                    }
                    Some(Want::Presence) => tree.nodes.push((path, Node::File { slot: None })),
                    Some(Want::Content { max }) => {
                        let size = entry.size();
                        let slot = if size > max {
                            warnings
                                .push(format!("skipped {path}: {size} bytes is more than the {max}-byte limit for it"));
                            None
                        } else {
                            let mut content = Vec::with_capacity(size as usize);
                            (&mut entry).take(max + 1).read_to_end(&mut content).map_err(tar_error)?;
                            visitor.file(&path, content)
                        };
                        tree.nodes.push((path, Node::File { slot }));
                    }
                }
            }
            _ => {} // devices, fifos: nothing a cataloger reads
        }
    }
    Ok((tree, pending))
}

/// Reads the targets of wanted hard links. Rare (a hard link whose name a cataloger wants
/// but whose first name it did not), so a second pass over the layer is cheaper than
/// keeping every file's content on the chance that a later link names it.
fn second_pass(
    open: Opener<'_>,
    digest: &Digest,
    limits: Limits,
    visitor: &mut dyn Visitor,
    links: &[PendingLink],
    tree: &mut LayerTree,
    warnings: &mut Vec<String>,
) -> Result<(), LayerError> {
    let mut by_target: HashMap<&str, Vec<&PendingLink>> = HashMap::new();
    for l in links {
        by_target.entry(l.target.as_str()).or_default().push(l);
    }
    // The blob is opened again (for a registry, downloaded again): what this pass reads
    // is handed on only once it is known to be the same blob, by its digest.
    let hashing = Hashing {
        inner: open().map_err(LayerError::Open)?,
        hash: Sha256::new(),
        count: Arc::default(),
        progress: None,
    };
    let mut raw = BufReader::with_capacity(READ_BUFFER, hashing);
    let compression = Compression::sniff(raw.fill_buf().map_err(LayerError::Open)?).map_err(LayerError::Compression)?;
    let mut read: Vec<(&PendingLink, Option<Vec<u8>>, u64)> = Vec::new();
    {
        let mut bounded = decoder(&mut raw, compression)?.take(limits.max_uncompressed);
        let mut archive = tar::Archive::new(&mut bounded);
        for entry in archive.entries().map_err(tar_error)? {
            let mut entry = entry.map_err(tar_error)?;
            let Some(path) = entry_path(&entry.path_bytes(), &mut Vec::new()) else {
                continue;
            };
            let Some(wanting) = by_target.get(path.as_str()) else {
                continue;
            };
            let size = entry.size();
            let max = wanting.iter().map(|l| l.max).max().unwrap_or(0);
            let content = if size <= max {
                let mut c = Vec::with_capacity(size as usize);
                (&mut entry).take(max + 1).read_to_end(&mut c).map_err(tar_error)?;
                Some(c)
            } else {
                None
            };
            for l in wanting {
                read.push((l, content.clone(), size));
            }
            if read.len() == links.len() {
                break;
            }
        }
    }
    io::copy(&mut raw, &mut io::sink()).map_err(|e| LayerError::Corrupt(e.to_string()))?;
    let actual = Digest::from_bytes(raw.into_inner().hash.finalize().into());
    if actual != *digest {
        return Err(LayerError::DigestMismatch { expected: digest.clone(), actual });
    }
    for (l, content, size) in read {
        let slot = match content {
            Some(c) if c.len() as u64 <= l.max => visitor.file(&l.path, c),
            _ => {
                warnings.push(format!("skipped {}: {size} bytes is more than the {}-byte limit for it", l.path, l.max));
                None
            }
        };
        tree.nodes.push((l.path.clone(), Node::File { slot }));
    }
    for l in links {
        if !tree.nodes.iter().any(|(p, _)| *p == l.path) {
            warnings.push(format!("hard link {} points at {}, which is not in the layer", l.path, l.target));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TarBuilder, gzip};

    /// Keeps files under `etc/` and `var/lib/dpkg/status`, and notes `*.list` presence.
    #[derive(Default)]
    struct Keep(Vec<(String, Vec<u8>)>);
    impl Visitor for Keep {
        fn want(&self, path: &str) -> Option<Want> {
            if path.starts_with("etc/") || path == "var/lib/dpkg/status" {
                Some(Want::Content { max: 1 << 20 })
            } else if path.ends_with(".list") {
                Some(Want::Presence)
            } else {
                None
            }
        }
        fn file(&mut self, path: &str, content: Vec<u8>) -> Option<u32> {
            self.0.push((path.to_owned(), content));
            Some(self.0.len() as u32 - 1)
        }
    }

    /// Streams `*.zip` files; sniffs executables and keeps those starting with `MAGIC`,
    /// recording how many bytes it was shown.
    #[derive(Default)]
    struct Sniffer(Vec<(String, usize, u64)>);
    impl Visitor for Sniffer {
        fn want(&self, path: &str) -> Option<Want> {
            path.ends_with(".zip").then_some(Want::Stream)
        }
        fn file(&mut self, _: &str, _: Vec<u8>) -> Option<u32> {
            None
        }
        fn sniff_len(&self, _path: &str, _size: u64, mode: u32) -> usize {
            if mode & 0o111 != 0 { 5 } else { 0 }
        }
        fn stream(&mut self, path: &str, size: u64, head: &[u8], rest: &mut dyn Read) -> Option<u32> {
            if !path.ends_with(".zip") && head != b"MAGIC" {
                return None;
            }
            // Read only part of the rest: the reader must skip what is left.
            let mut some = [0u8; 3];
            let n = rest.read(&mut some).unwrap_or(0);
            self.0.push((path.to_owned(), head.len() + n, size));
            Some(self.0.len() as u32 - 1)
        }
    }

    #[test]
    fn sniffed_and_streamed_files() {
        let tar = TarBuilder::new()
            .executable("usr/bin/tool", b"MAGIC and the rest of a binary")
            .executable("usr/bin/script", b"#!/bin/sh\necho hi\n")
            .file("usr/bin/not-exec", b"MAGIC but not executable")
            .executable("usr/bin/tiny", b"MAG")
            .file("srv/app.zip", b"PK archive bytes")
            .file("etc/os-release", b"ID=debian\n")
            .finish();
        let mut v = Sniffer::default();
        let open = move || -> io::Result<Box<dyn Read + Send>> { Ok(Box::new(io::Cursor::new(tar.clone()))) };
        let r = read_layer(&open, &Expected::default(), Limits::default(), &mut v, None).unwrap();
        assert_eq!(
            v.0,
            [("usr/bin/tool".into(), 8, 30), ("srv/app.zip".into(), 3, 16)],
            "only the executable whose head matched, and the streamed archive"
        );
        let files: Vec<&str> = r.tree.nodes.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(files, ["usr/bin/tool", "srv/app.zip"], "files the visitor declined leave no trace");
    }

    fn read(bytes: Vec<u8>, expected: Expected, limits: Limits) -> (Result<LayerRead, LayerError>, Keep) {
        let mut keep = Keep::default();
        let open = move || -> io::Result<Box<dyn Read + Send>> { Ok(Box::new(io::Cursor::new(bytes.clone()))) };
        let r = read_layer(&open, &expected, limits, &mut keep, None);
        (r, keep)
    }

    fn sample() -> Vec<u8> {
        TarBuilder::new()
            .dir("./etc/")
            .file("./etc/os-release", b"ID=debian\n")
            .file("usr/bin/big", &[7u8; 5000])
            .file("var/lib/dpkg/info/bash.list", b"/bin/bash\n")
            .symlink("lib", "usr/lib")
            .file("etc/.wh.gone", b"")
            .file("usr/.wh..wh..opq", b"")
            .finish()
    }

    #[test]
    fn plain_gzip_and_zstd_layers_give_the_same_tree_and_diff_id() {
        let tar = sample();
        let diff_id = Digest::of(&tar);
        let gz = gzip(&tar);
        let zst = zstd::encode_all(&tar[..], 3).unwrap();
        for (bytes, kind) in
            [(tar.clone(), Compression::None), (gz.clone(), Compression::Gzip), (zst.clone(), Compression::Zstd)]
        {
            let digest = Digest::of(&bytes);
            let (r, keep) =
                read(bytes, Expected { digest: Some(digest), diff_id: Some(diff_id.clone()) }, Limits::default());
            let r = r.unwrap();
            assert_eq!(r.compression, kind);
            assert_eq!(r.diff_id, diff_id);
            assert_eq!(keep.0, vec![("etc/os-release".to_string(), b"ID=debian\n".to_vec())]);
            assert_eq!(r.tree.whiteouts, ["etc/gone"]);
            assert_eq!(r.tree.opaque_dirs, ["usr"]);
            assert!(r.tree.nodes.contains(&("var/lib/dpkg/info/bash.list".into(), Node::File { slot: None })));
            assert!(r.tree.nodes.contains(&("lib".into(), Node::Symlink("usr/lib".into()))));
            assert!(!r.tree.nodes.iter().any(|(p, _)| p == "usr/bin/big"), "unwanted files are not recorded");
        }
    }

    #[test]
    fn digest_and_diff_id_mismatches_are_errors() {
        let tar = sample();
        let gz = gzip(&tar);
        let (r, _) =
            read(gz.clone(), Expected { digest: Some(Digest::of(b"other")), diff_id: None }, Limits::default());
        assert!(matches!(r, Err(LayerError::DigestMismatch { .. })));
        let (r, _) = read(gz, Expected { digest: None, diff_id: Some(Digest::of(b"other")) }, Limits::default());
        assert!(matches!(r, Err(LayerError::DiffIdMismatch { .. })));
    }

    #[test]
    fn entries_that_climb_out_of_the_root_are_skipped_with_a_warning() {
        let tar = TarBuilder::new()
            .file("../../etc/os-release", b"ID=evil\n")
            .file("/etc/os-release", b"ID=abs\n")
            .file("etc/../../etc/x", b"evil")
            .finish();
        let (r, keep) = read(tar, Expected::default(), Limits::default());
        let r = r.unwrap();
        // The absolute name is simply rooted at the image root.
        assert_eq!(keep.0, vec![("etc/os-release".to_string(), b"ID=abs\n".to_vec())]);
        assert_eq!(r.warnings.iter().filter(|w| w.contains("climbs out")).count(), 2, "{:?}", r.warnings);
    }

    #[test]
    fn truncated_tar_is_an_error() {
        let tar = sample();
        for cut in [100, 700, tar.len() / 2] {
            let (r, _) = read(tar[..cut].to_vec(), Expected::default(), Limits::default());
            assert!(matches!(r, Err(LayerError::Corrupt(_))), "cut at {cut}: {r:?}");
        }
    }

    #[test]
    fn corrupt_gzip_and_zstd_are_errors() {
        let tar = sample();
        let mut gz = gzip(&tar);
        let mid = gz.len() / 2;
        gz[mid] ^= 0xff;
        gz[mid + 1] ^= 0xff;
        let (r, _) = read(gz, Expected::default(), Limits::default());
        assert!(r.is_err(), "corrupt gzip accepted");
        let mut zst = zstd::encode_all(&tar[..], 3).unwrap();
        let n = zst.len();
        zst.truncate(n - 10);
        let (r, _) = read(zst, Expected::default(), Limits::default());
        assert!(r.is_err(), "truncated zstd accepted");
        let (r, _) = read(vec![0x1f, 0x8b, 8, 0, 0, 0], Expected::default(), Limits::default());
        assert!(r.is_err(), "gzip header alone accepted");
    }

    #[test]
    fn absurd_declared_size_is_skipped_or_reported_never_allocated() {
        // A wanted file claiming 1 TiB: skipped with a warning, then the stream is short.
        let tar = TarBuilder::new().file("etc/a", b"x").lying("etc/huge", 1 << 40).finish();
        let (r, keep) = read(tar, Expected::default(), Limits::default());
        assert!(matches!(r, Err(LayerError::Corrupt(_))), "{r:?}");
        assert_eq!(keep.0.len(), 1);
    }

    #[test]
    fn decompression_bomb_is_stopped() {
        // 64 MiB of zeros in one file compresses to a few KiB with zstd.
        let zeros = vec![0u8; 64 << 20];
        let tar = TarBuilder::new().file("usr/zeros", &zeros).finish();
        let bomb = zstd::encode_all(&tar[..], 19).unwrap();
        assert!(bomb.len() < 64 << 10);
        let limits = Limits { max_ratio: 100, ratio_floor: 1 << 20, ..Limits::default() };
        let (r, _) = read(bomb.clone(), Expected::default(), limits);
        assert!(matches!(&r, Err(LayerError::TooLarge(m)) if m.contains("ratio")), "{r:?}");
        let limits = Limits { max_uncompressed: 8 << 20, ..Limits::default() };
        let (r, _) = read(bomb, Expected::default(), limits);
        assert!(matches!(&r, Err(LayerError::TooLarge(m)) if m.contains("uncompressed")), "{r:?}");
    }

    #[test]
    fn hard_links_to_unwanted_files_are_read_in_a_second_pass() {
        let tar = TarBuilder::new()
            .file("tmp/status.new", b"Package: bash\n")
            .hardlink("var/lib/dpkg/status", "tmp/status.new")
            .hardlink("etc/missing", "tmp/nowhere")
            .finish();
        let (r, keep) = read(tar, Expected::default(), Limits::default());
        let r = r.unwrap();
        assert_eq!(keep.0, vec![("var/lib/dpkg/status".to_string(), b"Package: bash\n".to_vec())]);
        assert!(r.tree.nodes.contains(&("var/lib/dpkg/status".into(), Node::File { slot: Some(0) })));
        assert!(r.warnings.iter().any(|w| w.contains("etc/missing")), "{:?}", r.warnings);
    }

    #[test]
    fn a_blob_that_changes_between_passes_is_refused() {
        // A remote blob is fetched again for the hard-link pass; a server that sends other
        // bytes the second time must not have them cataloged.
        let tar = |body: &[u8]| {
            TarBuilder::new().file("tmp/status.new", body).hardlink("var/lib/dpkg/status", "tmp/status.new").finish()
        };
        let (first, second) = (tar(b"Package: bash\n"), tar(b"Package: evil\n"));
        let opened = std::sync::atomic::AtomicUsize::new(0);
        let open = || -> io::Result<Box<dyn Read + Send>> {
            let n = opened.fetch_add(1, Ordering::Relaxed);
            Ok(Box::new(io::Cursor::new(if n == 0 { first.clone() } else { second.clone() })))
        };
        let mut keep = Keep::default();
        let r = read_layer(&open, &Expected::default(), Limits::default(), &mut keep, None);
        assert!(matches!(r, Err(LayerError::DigestMismatch { .. })), "{r:?}");
        assert!(keep.0.is_empty(), "nothing from the second pass was handed on: {:?}", keep.0);
        assert_eq!(opened.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn bzip2_and_xz_layers_are_named_in_the_error() {
        let (r, _) = read(b"BZh91AY&SY".to_vec(), Expected::default(), Limits::default());
        assert!(matches!(r, Err(LayerError::Compression("bzip2"))));
    }
}
