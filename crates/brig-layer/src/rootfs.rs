//! A root filesystem on disk (`dir:ROOTFS`) read as if it were a single layer: the same
//! tree, the same visitor. Symlinks are recorded, never followed, so nothing outside the
//! given root is read.

use std::io::Read;
use std::path::Path;

use crate::read::{Limits, Visitor, Want};
use crate::tree::{LayerTree, Node};

#[derive(Debug, thiserror::Error)]
pub enum RootfsError {
    #[error("{0} has more than {1} directories, links and wanted files")]
    TooLarge(String, usize),
}

/// Host pseudo-filesystems skipped when the root is `/`, as other scanners do.
const HOST_PSEUDO: [&str; 3] = ["proc", "sys", "dev"];

pub fn read_rootfs(
    root: &Path,
    limits: Limits,
    visitor: &mut dyn Visitor,
) -> Result<(LayerTree, Vec<String>), RootfsError> {
    let mut tree = LayerTree::default();
    let mut warnings = Vec::new();
    let is_host_root = root.canonicalize().map(|p| p == Path::new("/")).unwrap_or(false);
    let mut stack: Vec<String> = vec![String::new()];
    while let Some(rel) = stack.pop() {
        let dir = if rel.is_empty() { root.to_path_buf() } else { root.join(&rel) };
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                warnings.push(format!("skipped {}: {e}", dir.display()));
                continue;
            }
        };
        let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
        names.sort_by_key(|e| e.file_name());
        for e in names {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = crate::path::join(&rel, &name);
            if rel.is_empty() && is_host_root && HOST_PSEUDO.contains(&name.as_str()) {
                continue;
            }
            if tree.len() >= limits.max_recorded {
                return Err(RootfsError::TooLarge(root.display().to_string(), limits.max_recorded));
            }
            let Ok(meta) = e.path().symlink_metadata() else {
                continue;
            };
            let ft = meta.file_type();
            if ft.is_symlink() {
                if let Ok(t) = std::fs::read_link(e.path()) {
                    tree.nodes.push((path, Node::Symlink(t.to_string_lossy().into_owned())));
                }
            } else if ft.is_dir() {
                tree.nodes.push((path.clone(), Node::Dir));
                stack.push(path);
            } else if ft.is_file() {
                match visitor.want(&path) {
                    None => {
                        let n = visitor.sniff_len(
                            &path,
                            meta.len(),
                            std::os::unix::fs::PermissionsExt::mode(&meta.permissions()),
                        );
                        if n > 0 {
                            let streamed = std::fs::File::open(e.path()).and_then(|mut f| {
                                let head = crate::read::read_head(&mut f, n)?;
                                Ok(visitor.stream(&path, meta.len(), &head, &mut f))
                            });
                            match streamed {
                                Ok(Some(slot)) => tree.nodes.push((path, Node::File { slot: Some(slot) })),
                                Ok(None) => {}
                                Err(err) => warnings.push(format!("skipped {path}: {err}")),
                            }
                        }
                    }
                    Some(Want::Stream) => {
                        let slot = match std::fs::File::open(e.path()) {
                            Ok(mut f) => visitor.stream(&path, meta.len(), &[], &mut f),
                            Err(err) => {
                                warnings.push(format!("skipped {path}: {err}"));
                                None
                            }
                        };
                        tree.nodes.push((path, Node::File { slot }));
                    }
                    Some(Want::Presence) => tree.nodes.push((path, Node::File { slot: None })),
                    Some(Want::Content { max }) => {
                        let slot = if meta.len() > max {
                            warnings.push(format!(
                                "skipped {path}: {} bytes is more than the {max}-byte limit for it",
                                meta.len()
                            ));
                            None
                        } else {
                            let mut content = Vec::with_capacity(meta.len() as usize);
                            match std::fs::File::open(e.path()).and_then(|f| f.take(max + 1).read_to_end(&mut content))
                            {
                                Ok(_) => visitor.file(&path, content),
                                Err(err) => {
                                    warnings.push(format!("skipped {path}: {err}"));
                                    None
                                }
                            }
                        };
                        tree.nodes.push((path, Node::File { slot }));
                    }
                }
            }
        }
    }
    Ok((tree, warnings))
}
