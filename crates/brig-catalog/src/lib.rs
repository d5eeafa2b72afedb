//! Catalogers: what is installed in an image. One module per format; `pipeline` reads
//! the layers, `assemble` turns what they held into attributed packages.

pub mod apk;
mod assemble;
mod control;
mod document;
pub mod dpkg;
mod files;
pub mod lang;
pub mod os_release;
mod pipeline;
pub mod rpm;

pub use assemble::{LayerAnalysis, LayerMeta};
pub use document::{sbom, source_info};
pub use files::{ANALYSIS_VERSION, Artifact, Collector};
pub use pipeline::{Catalog, CatalogError, Options, Progress, Stats, catalog_image, catalog_rootfs};
