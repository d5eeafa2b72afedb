use anyhow::{Context, Result};
use brig_image::{OpenOptions, Platform, Source, Target};

use brig_layer::LayerCache;

use crate::cli::{Global, ImageArgs, SbomArgs, SbomFormat};

/// Catalogs an image target (or, with `sbom_files`, reads an SBOM document) into an SBOM.
pub fn load(g: &Global, target_arg: &str, image_args: &ImageArgs, sbom_files: bool) -> Result<brig_sbom::Sbom> {
    if sbom_files && let Some(doc) = crate::sbom_input::read_if_sbom(target_arg)? {
        return Ok(doc);
    }
    let no_cache = image_args.no_cache;
    let cache_dir = crate::dirs::cache_dir(g.cache_dir.as_ref());
    let platform = image_args.platform.as_deref().map(Platform::parse).transpose().map_err(anyhow::Error::msg)?;
    let target = Target::parse(target_arg)?;
    let scratch_dir = cache_dir.as_ref().map(|d| d.join("tmp"));
    let source = match &target {
        Target::Registry { .. } | Target::Daemon { .. } => {
            let opts = crate::image_source::registry_options(g, image_args, cache_dir.as_deref(), &target)?;
            let image = brig_registry::open(&target, target_arg, platform.as_ref(), &opts);
            // A bare name may have been meant as a file: say how it was taken.
            let image = if target.is_bare_reference(target_arg) {
                image.with_context(|| {
                    format!("{target_arg}: no such file or directory, so it was read as an image reference")
                })?
            } else {
                image?
            };
            Source::Image(Box::new(image))
        }
        _ => brig_image::open(&target, &OpenOptions { platform, scratch_dir })?,
    };

    let progress = crate::progress::LayerProgress::new(g.quiet);
    let opts = brig_catalog::Options {
        cache: cache_dir.as_ref().filter(|_| !no_cache).map(|d| LayerCache::new(d, brig_catalog::ANALYSIS_VERSION)),
        progress: progress.as_ref().map(|p| p as &dyn brig_catalog::Progress),
        limits: limits()?,
        ..brig_catalog::Options::default()
    };
    let catalog = match &source {
        Source::Image(img) => brig_catalog::catalog_image(img, &opts)?,
        Source::Rootfs(dir) => brig_catalog::catalog_rootfs(dir, &opts)?,
    };
    if let Some(p) = &progress {
        p.finish();
    }
    tracing::debug!(
        "layers: {}, from cache: {}, bytes read: {}",
        catalog.stats.layers,
        catalog.stats.from_cache,
        catalog.stats.bytes_read
    );
    for w in &catalog.warnings {
        tracing::warn!("{w}");
    }
    Ok(brig_catalog::sbom(target_arg, &source, catalog))
}

pub fn run(g: &Global, args: &SbomArgs) -> Result<()> {
    let doc = load(g, &args.target, &args.image, true)?;
    let format = match args.format {
        SbomFormat::Json => brig_sbom::Format::Json,
        SbomFormat::Cyclonedx => brig_sbom::Format::CycloneDx,
        SbomFormat::Spdx => brig_sbom::Format::Spdx,
    };
    crate::output::write_to(args.output.as_deref(), |out| brig_sbom::write(&doc, format, out))
}

/// Per-layer limits, overridable for images that legitimately exceed them.
fn limits() -> Result<brig_layer::Limits> {
    let mut l = brig_layer::Limits::default();
    let var = |name: &str| -> Result<Option<u64>> {
        match std::env::var(name) {
            Ok(v) => v.trim().parse().map(Some).with_context(|| format!("{name}={v:?} is not a whole number")),
            Err(_) => Ok(None),
        }
    };
    if let Some(v) = var("BRIG_MAX_LAYER_BYTES")? {
        l.max_uncompressed = v;
    }
    if let Some(v) = var("BRIG_MAX_LAYER_RATIO")? {
        l.max_ratio = v;
    }
    Ok(l)
}
