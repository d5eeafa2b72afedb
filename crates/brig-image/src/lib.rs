//! Image sources: find an image's configuration and its ordered layers without unpacking.
//!
//! Supported inputs are every layout `docker load` accepts (classic `docker save`, Docker 25+
//! OCI-in-docker-save, the go-containerregistry tarball), OCI image layouts as directories or
//! tar archives (with nested multi-platform indexes), and plain root filesystems. Metadata
//! blobs are verified against their digests here; layer blobs are verified while they are
//! streamed (by `brig-layer`), so no layer is read twice.

mod config;
mod digest;
mod docker_archive;
mod error;
pub mod oci;
mod platform;
mod store;
mod target;

use std::path::PathBuf;

pub use config::{History, ImageConfig, RootFs, RunConfig};
pub use digest::Digest;
pub use error::ImageError;
pub use platform::Platform;
pub use store::{BlobLocation, RemoteBlob};
pub use target::Target;

use store::{ArchiveIndex, DirStore};

/// The layout an image was read from, named as syft and skopeo name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    DockerArchive,
    OciArchive,
    OciDir,
    Rootfs,
    /// Pulled from an OCI Distribution registry.
    Registry,
    /// Exported by a Docker Engine (`GET /images/{name}/get`).
    Daemon,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::DockerArchive => "docker-archive",
            SourceKind::OciArchive => "oci-archive",
            SourceKind::OciDir => "oci-dir",
            SourceKind::Rootfs => "dir",
            SourceKind::Registry => "registry",
            SourceKind::Daemon => "docker",
        }
    }
}

/// One layer as the image describes it.
#[derive(Debug, Clone)]
pub struct Layer {
    pub index: usize,
    /// Digest of the blob as stored (usually compressed), when the layout records it.
    pub digest: Option<Digest>,
    /// Digest of the uncompressed tar, from the image config.
    pub diff_id: Option<Digest>,
    pub media_type: Option<String>,
    /// The history entry that created the layer (`RUN apt-get install …`).
    pub created_by: Option<String>,
    pub blob: BlobLocation,
}

/// A container image: its configuration and layers, lowest first.
#[derive(Debug, Clone)]
pub struct Image {
    pub kind: SourceKind,
    pub path: PathBuf,
    /// The first repo tag or reference name, if the layout records one.
    pub name: Option<String>,
    pub repo_tags: Vec<String>,
    /// Digest of the config blob: the image ID.
    pub config_digest: Digest,
    pub manifest_digest: Option<Digest>,
    pub config: ImageConfig,
    pub layers: Vec<Layer>,
}

impl Image {
    pub fn platform(&self) -> Option<Platform> {
        Some(Platform {
            os: self.config.os.clone()?,
            architecture: self.config.architecture.clone()?,
            variant: self.config.variant.clone(),
        })
    }
}

/// What a target resolved to.
#[derive(Debug)]
pub enum Source {
    Image(Box<Image>),
    /// An unpacked root filesystem: one layer, read from disk.
    Rootfs(PathBuf),
}

#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Platform to pick from a multi-platform index; `None` means linux/amd64.
    pub platform: Option<Platform>,
    /// Where a compressed archive may be unpacked (the cache directory); nothing else is
    /// ever written.
    pub scratch_dir: Option<PathBuf>,
}

/// Reads a local target. Registry and daemon targets are opened by `brig-registry`, which
/// builds the same [`Image`].
pub fn open(target: &Target, opts: &OpenOptions) -> Result<Source, ImageError> {
    let image = match target {
        Target::Registry { reference } | Target::Daemon { reference } => {
            return Err(ImageError::Target(format!("{reference}: not a local image; open it with brig-registry")));
        }
        Target::Rootfs { path } => {
            if !path.is_dir() {
                return Err(ImageError::Target(format!("{}: not a directory", path.display())));
            }
            return Ok(Source::Rootfs(path.clone()));
        }
        Target::DockerArchive { path, selector } => {
            let idx = ArchiveIndex::open(path, opts.scratch_dir.as_deref())?;
            docker_archive::open(&idx, selector.as_deref())?
        }
        Target::OciArchive { path, reference } => {
            let idx = ArchiveIndex::open(path, opts.scratch_dir.as_deref())?;
            oci::open(&idx, SourceKind::OciArchive, reference.as_deref(), opts.platform.as_ref())?
        }
        Target::OciDir { path, reference } => {
            oci::open(&DirStore::new(path), SourceKind::OciDir, reference.as_deref(), opts.platform.as_ref())?
        }
        Target::Archive { path } => {
            let idx = ArchiveIndex::open(path, opts.scratch_dir.as_deref())?;
            use store::BlobStore;
            if idx.exists("manifest.json") {
                docker_archive::open(&idx, None)?
            } else if idx.exists("index.json") {
                oci::open(&idx, SourceKind::OciArchive, None, opts.platform.as_ref())?
            } else {
                return Err(ImageError::NotAnImage {
                    path: path.clone(),
                    reason: "the archive has neither manifest.json (docker save) nor index.json (OCI layout)".into(),
                });
            }
        }
    };
    if let (Some(want), Some(have)) = (&opts.platform, image.platform())
        && !have.satisfies(want)
    {
        tracing::warn!("{} is built for {have}, not the requested {want}", image.path.display());
    }
    Ok(Source::Image(Box::new(image)))
}

/// Reads a `docker save` archive held in a temporary file (a daemon's export), which is
/// deleted when the image and its layers are dropped. `name` is what the user asked for.
pub fn open_saved_archive(temp: tempfile::TempPath, name: &str) -> Result<Image, ImageError> {
    let idx = ArchiveIndex::open_owned(temp, std::path::Path::new(name))?;
    let mut image = docker_archive::open(&idx, None)?;
    image.kind = SourceKind::Daemon;
    Ok(image)
}

/// Builds the layer list shared by both layouts, checking it against the config.
pub fn assemble_layers(
    what: &std::path::Path,
    config: &ImageConfig,
    blobs: Vec<(BlobLocation, Option<Digest>, Option<String>)>,
) -> Result<Vec<Layer>, ImageError> {
    let diff_ids = config.diff_ids();
    if diff_ids.len() != blobs.len() {
        return Err(ImageError::Invalid(format!(
            "{}: the config lists {} layer diff_ids but the manifest has {} layers",
            what.display(),
            diff_ids.len(),
            blobs.len()
        )));
    }
    let history = config.layer_history(blobs.len());
    blobs
        .into_iter()
        .enumerate()
        .map(|(index, (blob, digest, media_type))| {
            let diff_id = Digest::parse(&diff_ids[index]).ok_or_else(|| {
                ImageError::Invalid(format!(
                    "{}: layer {index} diff_id {:?} is not a sha256 digest",
                    what.display(),
                    diff_ids[index]
                ))
            })?;
            Ok(Layer { index, digest, diff_id: Some(diff_id), media_type, created_by: history[index].clone(), blob })
        })
        .collect()
}

pub fn parse_json<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, ImageError> {
    serde_json::from_slice(bytes).map_err(|error| ImageError::Json { what: what.to_owned(), error })
}
