//! What one layer changes (`LayerTree`) and the image filesystem after all layers are
//! applied in order (`FsIndex`).
//!
//! Only the entries that can matter are kept: directories and symlinks (they steer path
//! resolution), whiteouts, and the files a cataloger asked for. Regular files nobody asked
//! for are not recorded at all, which is what keeps memory independent of image size.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::{Deserialize, Serialize};

use crate::path::{join, split_parent};

/// Most symlinks followed while resolving one path, as Linux's `MAXSYMLINKS`.
pub const MAX_SYMLINK_HOPS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Node {
    Dir,
    /// Target exactly as stored in the archive (relative or absolute).
    Symlink(String),
    /// A file a cataloger asked for; `slot` points at what it made of the content, `None`
    /// when only the file's presence was wanted or its content was skipped.
    File {
        slot: Option<u32>,
    },
}

/// One layer's changes, in archive order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LayerTree {
    /// `.wh.NAME`: NAME (and everything below it) is deleted from lower layers.
    pub whiteouts: Vec<String>,
    /// `.wh..wh..opq`: the directory's lower-layer contents are hidden.
    pub opaque_dirs: Vec<String>,
    pub nodes: Vec<(String, Node)>,
}

impl LayerTree {
    pub fn len(&self) -> usize {
        self.whiteouts.len() + self.opaque_dirs.len() + self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Symlink(String),
    File { slot: Option<u32> },
}

/// A file found in the squashed filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRef<'a> {
    /// Its real path after symlinks were followed.
    pub path: &'a str,
    /// The layer that last wrote it.
    pub layer: usize,
    pub slot: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("{0}: too many levels of symbolic links")]
    Loop(String),
}

/// The image's filesystem as the last layer leaves it, restricted to recorded entries.
#[derive(Debug, Default)]
pub struct FsIndex {
    entries: BTreeMap<String, (usize, Entry)>,
}

impl FsIndex {
    /// Applies layers lowest first with OCI semantics: a layer's whiteouts and opaque
    /// markers hide lower content only, then its own entries are added. Parent
    /// directories are resolved through symlinks already present, as containerd and
    /// dockerd do when they apply a layer.
    pub fn squash<'a>(layers: impl IntoIterator<Item = &'a LayerTree>) -> (FsIndex, Vec<String>) {
        let mut fs = FsIndex::default();
        let mut warnings = Vec::new();
        for (layer, tree) in layers.into_iter().enumerate() {
            for dir in &tree.opaque_dirs {
                match fs.canonical(dir) {
                    Ok(real) => fs.remove_below(&real),
                    Err(e) => warnings.push(format!("layer {layer}: opaque marker: {e}")),
                }
            }
            for path in &tree.whiteouts {
                match fs.canonical(path) {
                    Ok(real) => {
                        fs.entries.remove(&real);
                        fs.remove_below(&real);
                    }
                    Err(e) => warnings.push(format!("layer {layer}: whiteout: {e}")),
                }
            }
            for (path, node) in &tree.nodes {
                let real = match fs.canonical(path) {
                    Ok(r) => r,
                    Err(e) => {
                        warnings.push(format!("layer {layer}: {e}"));
                        continue;
                    }
                };
                match node {
                    // A directory replaces a file or symlink of the same name but keeps
                    // whatever lower layers put below it.
                    Node::Dir => {
                        fs.entries.remove(&real);
                    }
                    Node::Symlink(target) => {
                        fs.remove_below(&real);
                        fs.entries.insert(real, (layer, Entry::Symlink(target.clone())));
                    }
                    Node::File { slot } => {
                        fs.remove_below(&real);
                        fs.entries.insert(real, (layer, Entry::File { slot: *slot }));
                    }
                }
            }
        }
        (fs, warnings)
    }

    fn remove_below(&mut self, dir: &str) {
        let prefix = format!("{dir}/");
        let doomed: Vec<String> = self
            .entries
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            self.entries.remove(&k);
        }
    }

    /// The real location of `path`'s last component: its parent resolved through
    /// symlinks, the last component kept as is (an entry replaces a symlink, it does not
    /// write through it).
    fn canonical(&self, path: &str) -> Result<String, ResolveError> {
        let (dir, base) = split_parent(path);
        let real_dir = if dir.is_empty() { String::new() } else { self.resolve(dir)? };
        Ok(join(&real_dir, base))
    }

    /// Follows symlinks in every component of `path`, confined to the image root: an
    /// absolute target restarts at the image root and `..` never climbs above it.
    pub fn resolve(&self, path: &str) -> Result<String, ResolveError> {
        let mut pending: Vec<String> = path.split('/').rev().map(str::to_owned).collect();
        let mut real: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(c) = pending.pop() {
            match c.as_str() {
                "" | "." => continue,
                ".." => {
                    real.pop();
                    continue;
                }
                _ => {}
            }
            real.push(c);
            let here = real.join("/");
            if let Some((_, Entry::Symlink(target))) = self.entries.get(&here) {
                hops += 1;
                if hops > MAX_SYMLINK_HOPS {
                    return Err(ResolveError::Loop(path.to_owned()));
                }
                real.pop();
                if target.starts_with('/') {
                    real.clear();
                }
                pending.extend(target.split('/').rev().map(str::to_owned));
            }
        }
        Ok(real.join("/"))
    }

    /// The file at `path` (following symlinks), if a cataloger recorded one there.
    pub fn file(&self, path: &str) -> Result<Option<FileRef<'_>>, ResolveError> {
        let real = self.resolve(path)?;
        Ok(self.entries.get_key_value(&real).and_then(|(k, (layer, e))| match e {
            Entry::File { slot } => Some(FileRef { path: k, layer: *layer, slot: *slot }),
            Entry::Symlink(_) => None,
        }))
    }

    /// Recorded files directly inside directory `dir` (following symlinks to it).
    pub fn files_in(&self, dir: &str) -> Result<Vec<FileRef<'_>>, ResolveError> {
        let real = self.resolve(dir)?;
        let prefix = if real.is_empty() { String::new() } else { format!("{real}/") };
        Ok(self
            .entries
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| !k[prefix.len()..].contains('/'))
            .filter_map(|(k, (layer, e))| match e {
                Entry::File { slot } => Some(FileRef { path: k, layer: *layer, slot: *slot }),
                Entry::Symlink(_) => None,
            })
            .collect())
    }

    /// Every recorded file, in path order.
    pub fn files(&self) -> impl Iterator<Item = FileRef<'_>> {
        self.entries.iter().filter_map(|(k, (layer, e))| match e {
            Entry::File { slot } => Some(FileRef { path: k, layer: *layer, slot: *slot }),
            Entry::Symlink(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(p: &str, slot: u32) -> (String, Node) {
        (p.into(), Node::File { slot: Some(slot) })
    }
    fn link(p: &str, t: &str) -> (String, Node) {
        (p.into(), Node::Symlink(t.into()))
    }

    #[test]
    fn later_layers_override_and_whiteouts_delete() {
        let l0 = LayerTree {
            nodes: vec![file("etc/os-release", 0), file("var/lib/dpkg/status", 1), file("a/b/c", 2)],
            ..Default::default()
        };
        let l1 = LayerTree {
            whiteouts: vec!["a".into()],
            nodes: vec![file("var/lib/dpkg/status", 0)],
            ..Default::default()
        };
        let (fs, w) = FsIndex::squash([&l0, &l1]);
        assert!(w.is_empty());
        assert_eq!(fs.file("var/lib/dpkg/status").unwrap().unwrap().layer, 1);
        assert_eq!(fs.file("etc/os-release").unwrap().unwrap().layer, 0);
        assert!(fs.file("a/b/c").unwrap().is_none(), "whiteout of a directory deletes its subtree");
    }

    #[test]
    fn opaque_dirs_hide_lower_content_but_not_their_own_layer() {
        let l0 = LayerTree { nodes: vec![file("d/old", 0), file("e/keep", 1)], ..Default::default() };
        let l1 = LayerTree { opaque_dirs: vec!["d".into()], nodes: vec![file("d/new", 0)], ..Default::default() };
        let (fs, _) = FsIndex::squash([&l0, &l1]);
        assert!(fs.file("d/old").unwrap().is_none());
        assert!(fs.file("d/new").unwrap().is_some());
        assert!(fs.file("e/keep").unwrap().is_some());
    }

    #[test]
    fn whiteout_in_same_layer_does_not_delete_that_layers_file() {
        let l0 = LayerTree { nodes: vec![file("x", 0)], ..Default::default() };
        let l1 = LayerTree { whiteouts: vec!["x".into()], nodes: vec![file("x", 5)], ..Default::default() };
        let (fs, _) = FsIndex::squash([&l0, &l1]);
        assert_eq!(fs.file("x").unwrap().unwrap().slot, Some(5));
    }

    #[test]
    fn symlinks_resolve_inside_the_root_only() {
        let l0 = LayerTree {
            nodes: vec![
                file("usr/lib/os-release", 0),
                link("etc/os-release", "../usr/lib/os-release"),
                link("escape", "../../../../usr/lib/os-release"),
                link("abs", "/usr/lib/os-release"),
                link("lib", "usr/lib"),
                link("loop1", "loop2"),
                link("loop2", "loop1"),
                link("self", "self"),
            ],
            ..Default::default()
        };
        let (fs, _) = FsIndex::squash([&l0]);
        for p in ["etc/os-release", "escape", "abs", "lib/os-release", "usr/lib/os-release"] {
            assert_eq!(fs.file(p).unwrap().unwrap().path, "usr/lib/os-release", "{p}");
        }
        assert!(matches!(fs.file("loop1"), Err(ResolveError::Loop(_))));
        assert!(matches!(fs.file("self/x"), Err(ResolveError::Loop(_))));
    }

    #[test]
    fn entries_under_a_symlinked_parent_land_at_the_real_path() {
        // Merged-/usr: layer 0 makes lib -> usr/lib; layer 1's tar says lib/apk/x.
        let l0 = LayerTree { nodes: vec![link("lib", "usr/lib")], ..Default::default() };
        let l1 = LayerTree { nodes: vec![file("lib/apk/x", 3)], ..Default::default() };
        let (fs, _) = FsIndex::squash([&l0, &l1]);
        assert_eq!(fs.file("usr/lib/apk/x").unwrap().unwrap().slot, Some(3));
        assert_eq!(fs.file("lib/apk/x").unwrap().unwrap().path, "usr/lib/apk/x");
    }

    #[test]
    fn a_directory_replaces_a_lower_symlink() {
        let l0 = LayerTree {
            nodes: vec![
                link("var/lib/rpm", "../../usr/lib/sysimage/rpm"),
                file("usr/lib/sysimage/rpm/rpmdb.sqlite", 0),
            ],
            ..Default::default()
        };
        let l1 = LayerTree { nodes: vec![("var/lib/rpm".into(), Node::Dir)], ..Default::default() };
        let (fs, _) = FsIndex::squash([&l0]);
        assert!(fs.file("var/lib/rpm/rpmdb.sqlite").unwrap().is_some());
        let (fs, _) = FsIndex::squash([&l0, &l1]);
        assert!(fs.file("var/lib/rpm/rpmdb.sqlite").unwrap().is_none());
    }

    #[test]
    fn lists_files_in_a_directory() {
        let l0 = LayerTree {
            nodes: vec![
                file("s.d/a", 0),
                file("s.d/b", 1),
                file("s.d/sub/c", 2),
                file("s.dx", 3),
                link("alias", "s.d"),
            ],
            ..Default::default()
        };
        let (fs, _) = FsIndex::squash([&l0]);
        let names: Vec<&str> = fs.files_in("alias").unwrap().iter().map(|f| f.path).collect();
        assert_eq!(names, ["s.d/a", "s.d/b"]);
    }
}
