//! The SBOM document for an image: source description plus the catalog.

use brig_image::{Image, Source};
use brig_sbom::{LayerInfo, SCHEMA, Sbom, SourceInfo, Tool};

use crate::Catalog;

pub fn source_info(target: &str, source: &Source) -> SourceInfo {
    match source {
        Source::Rootfs(_) => SourceInfo { kind: "dir".into(), target: target.to_owned(), ..SourceInfo::default() },
        Source::Image(img) => image_info(target, img),
    }
}

fn image_info(target: &str, img: &Image) -> SourceInfo {
    SourceInfo {
        kind: img.kind.as_str().into(),
        target: target.to_owned(),
        name: img.name.clone(),
        repo_tags: img.repo_tags.clone(),
        image_id: Some(img.config_digest.to_string()),
        manifest_digest: img.manifest_digest.as_ref().map(|d| d.to_string()),
        platform: img.platform().map(|p| p.to_string()),
        layers: img
            .layers
            .iter()
            .map(|l| LayerInfo {
                index: l.index,
                digest: l.digest.as_ref().map(|d| d.to_string()),
                diff_id: l.diff_id.as_ref().map(|d| d.to_string()),
                media_type: l.media_type.clone(),
                size: l.blob.len(),
                created_by: l.created_by.clone(),
            })
            .collect(),
    }
}

/// Builds the document; packages are put in canonical order.
pub fn sbom(target: &str, source: &Source, catalog: Catalog) -> Sbom {
    let mut doc = Sbom {
        schema: SCHEMA.into(),
        tool: Tool { name: "brig".into(), version: env!("CARGO_PKG_VERSION").into() },
        source: source_info(target, source),
        distro: catalog.distro,
        packages: catalog.packages,
        warnings: catalog.warnings,
    };
    doc.sort();
    doc
}
