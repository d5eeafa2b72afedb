//! Reading an image: layers not in the cache are read in parallel (each exactly once),
//! every analysis is cached under its verified diff_id, then the layers are squashed and
//! the catalogers run on the result.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use brig_image::{Image, Layer};
use brig_layer::{Expected, LayerCache, LayerError, Limits, RootfsError, read_layer, read_rootfs};
use brig_sbom::{Distro, Package};

use crate::assemble::{Assembly, LayerAnalysis, LayerMeta};
use crate::files::Collector;

/// Reports progress to a user interface; all methods may be called from any thread.
pub trait Progress: Sync {
    fn layer_started(&self, _index: usize, _compressed_size: u64) {}
    fn layer_bytes(&self, _index: usize, _bytes: u64) {}
    fn layer_finished(&self, _index: usize, _from_cache: bool) {}
}

pub struct Options<'a> {
    /// `None` disables the layer cache (`--no-cache`).
    pub cache: Option<LayerCache>,
    pub limits: Limits,
    /// Layers read at once.
    pub threads: usize,
    pub progress: Option<&'a dyn Progress>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            cache: None,
            limits: Limits::default(),
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            progress: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("layer {index} ({what}): {error}")]
    Layer { index: usize, what: String, error: LayerError },
    #[error(transparent)]
    Rootfs(#[from] RootfsError),
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub layers: usize,
    pub from_cache: usize,
    /// Compressed bytes read from layer blobs.
    pub bytes_read: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub distro: Option<Distro>,
    pub packages: Vec<Package>,
    pub warnings: Vec<String>,
    pub stats: Stats,
}

fn describe(layer: &Layer) -> String {
    layer.diff_id.as_ref().or(layer.digest.as_ref()).map(|d| d.to_string()).unwrap_or_else(|| layer.blob.describe())
}

/// A layer's analysis and the compressed bytes read for it.
type LayerOutcome = Result<(LayerAnalysis, u64), CatalogError>;

fn analyze(layer: &Layer, opts: &Options<'_>) -> LayerOutcome {
    let mut collector = Collector::default();
    let blob = layer.blob.clone();
    let open = move || blob.open();
    let expected = Expected { digest: layer.digest.clone(), diff_id: layer.diff_id.clone() };
    let index = layer.index;
    let report = |n: u64| {
        if let Some(p) = opts.progress {
            p.layer_bytes(index, n)
        }
    };
    let read = read_layer(&open, &expected, opts.limits, &mut collector, Some(&report))
        .map_err(|error| CatalogError::Layer { index, what: describe(layer), error })?;
    let analysis = LayerAnalysis { tree: read.tree, artifacts: collector.artifacts, warnings: read.warnings };
    if let Some(cache) = &opts.cache
        && let Err(e) = cache.put(&read.diff_id, &analysis)
    {
        tracing::warn!("cannot write layer cache in {}: {e}", cache.dir().display());
    }
    Ok((analysis, read.compressed_size))
}

pub fn catalog_image(image: &Image, opts: &Options<'_>) -> Result<Catalog, CatalogError> {
    let n = image.layers.len();
    let mut stats = Stats { layers: n, ..Stats::default() };
    let mut slots: Vec<Option<LayerAnalysis>> = vec![None; n];
    if let Some(cache) = &opts.cache {
        for layer in &image.layers {
            if let Some(d) = &layer.diff_id
                && let Some(a) = cache.get::<LayerAnalysis>(d)
            {
                slots[layer.index] = Some(a);
                stats.from_cache += 1;
                if let Some(p) = opts.progress {
                    p.layer_finished(layer.index, true);
                }
            }
        }
    }
    let todo: Vec<&Layer> = image.layers.iter().filter(|l| slots[l.index].is_none()).collect();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, LayerOutcome)>> = Mutex::new(Vec::new());
    let workers = opts.threads.max(1).min(todo.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(layer) = todo.get(k) else { break };
                    if let Some(p) = opts.progress {
                        p.layer_started(layer.index, layer.blob.len());
                    }
                    let r = analyze(layer, opts);
                    if let Some(p) = opts.progress {
                        p.layer_finished(layer.index, false);
                    }
                    let failed = r.is_err();
                    results.lock().unwrap_or_else(|e| e.into_inner()).push((layer.index, r));
                    if failed {
                        // No point reading further layers of an image that cannot be read.
                        next.store(todo.len(), Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    for (i, r) in results {
        let (analysis, bytes) = r?;
        stats.bytes_read += bytes;
        slots[i] = Some(analysis);
    }
    let layers: Vec<LayerAnalysis> = slots.into_iter().map(|s| s.expect("every layer analysed")).collect();
    let meta: Vec<LayerMeta> = image
        .layers
        .iter()
        .map(|l| LayerMeta { diff_id: l.diff_id.as_ref().map(|d| d.to_string()), created_by: l.created_by.clone() })
        .collect();
    Ok(assemble(&layers, &meta, stats))
}

/// Catalogs an unpacked root filesystem; packages carry no layer.
pub fn catalog_rootfs(root: &std::path::Path, opts: &Options<'_>) -> Result<Catalog, CatalogError> {
    let mut collector = Collector::default();
    let (tree, warnings) = read_rootfs(root, opts.limits, &mut collector)?;
    let layers = vec![LayerAnalysis { tree, artifacts: collector.artifacts, warnings }];
    Ok(assemble(&layers, &[], Stats { layers: 0, ..Stats::default() }))
}

fn assemble(layers: &[LayerAnalysis], meta: &[LayerMeta], stats: Stats) -> Catalog {
    let mut asm = Assembly::new(layers, meta);
    let distro = asm.distro();
    let packages = asm.packages(distro.as_ref());
    Catalog { distro, packages, warnings: asm.warnings, stats }
}
