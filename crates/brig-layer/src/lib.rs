//! Layers: read each one once, keep only what catalogers asked for, cache the result per
//! diff_id, and squash the layers into the image's final filesystem view.

pub mod cache;
pub mod path;
pub mod read;
pub mod rootfs;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod tree;

pub use cache::LayerCache;
pub use read::{Compression, Expected, LayerError, LayerRead, Limits, Progress, Visitor, Want, read_layer};
pub use rootfs::{RootfsError, read_rootfs};
pub use tree::{FileRef, FsIndex, LayerTree, Node, ResolveError};
