//! OCI image layouts (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), in a directory or a
//! tar. Indexes may nest (an index whose entry is itself a multi-platform index, as
//! buildkit and skopeo write); the platform is chosen at whichever level lists platforms.

use std::collections::BTreeMap;

use serde::Deserialize;

use std::path::Path;

use crate::store::BlobStore;
use crate::{BlobLocation, Digest, Image, ImageConfig, ImageError, Platform, SourceKind, assemble_layers, parse_json};

/// Media types of a multi-platform index (OCI, Docker manifest list).
pub const INDEX_TYPES: [&str; 2] =
    ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];
/// Media types of an image manifest (OCI, Docker schema 2).
pub const MANIFEST_TYPES: [&str; 2] =
    ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"];
const MAX_NESTING: usize = 8;
/// Docker's deprecated signed schema 1 manifests, which carry no image config.
const SCHEMA1_TYPES: [&str; 2] = [
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
    "application/vnd.docker.distribution.manifest.v1+json",
];

/// A content descriptor of an index or manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub media_type: Option<String>,
    pub digest: String,
    pub size: Option<u64>,
    pub platform: Option<DescPlatform>,
    pub annotations: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DescPlatform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl DescPlatform {
    pub fn to_platform(&self) -> Platform {
        Platform { os: self.os.clone(), architecture: self.architecture.clone(), variant: self.variant.clone() }
    }
}

/// An index or a manifest; which one is decided by `mediaType` or by which list it has.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexOrManifest {
    pub schema_version: Option<u32>,
    pub media_type: Option<String>,
    pub manifests: Option<Vec<Descriptor>>,
    pub config: Option<Descriptor>,
    pub layers: Option<Vec<Descriptor>>,
}

impl IndexOrManifest {
    /// Whether this is an index, given the media type the server or a parent descriptor
    /// declared (documents may omit their own).
    pub fn is_index(&self, declared: Option<&str>) -> bool {
        let media = self.media_type.as_deref().or(declared).unwrap_or_default();
        INDEX_TYPES.contains(&media) || (self.manifests.is_some() && self.layers.is_none())
    }

    pub fn is_image_manifest(&self, declared: Option<&str>) -> bool {
        let media = self.media_type.as_deref().or(declared).unwrap_or_default();
        MANIFEST_TYPES.contains(&media) || self.layers.is_some()
    }
}

pub(crate) fn open(
    store: &dyn BlobStore,
    kind: SourceKind,
    reference: Option<&str>,
    platform: Option<&Platform>,
) -> Result<Image, ImageError> {
    let path = store.describe().to_path_buf();
    if !store.exists("index.json") {
        return Err(ImageError::NotAnImage { path, reason: "no index.json (not an OCI image layout)".into() });
    }
    if store.exists("oci-layout") {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Layout {
            image_layout_version: String,
        }
        let layout: Layout = parse_json("oci-layout", &store.read_small("oci-layout")?)?;
        if !layout.image_layout_version.starts_with("1.") {
            return Err(ImageError::Unsupported(format!(
                "{}: OCI layout version {} is not supported",
                path.display(),
                layout.image_layout_version
            )));
        }
    }
    let top: IndexOrManifest = parse_json("index.json", &store.read_small("index.json")?)?;
    let manifests = top.manifests.unwrap_or_default();
    if manifests.is_empty() {
        return Err(ImageError::NotAnImage { path, reason: "index.json lists no manifests".into() });
    }
    let want = platform.cloned().unwrap_or_else(Platform::linux_amd64);

    let desc =
        match reference {
            Some(r) => manifests.iter().find(|d| ref_matches(d, r)).cloned().ok_or_else(|| {
                ImageError::Selection(format!("{}: no manifest named {r} in index.json", path.display()))
            })?,
            None => choose(&path, &manifests, &want)?,
        };
    let name = desc.annotations.as_ref().and_then(|a| {
        a.get("io.containerd.image.name").or_else(|| a.get("org.opencontainers.image.ref.name")).cloned()
    });
    let mut image = resolve(&LayoutSource(store), desc, &want, kind)?;
    image.repo_tags = name.iter().cloned().collect();
    image.name = name;
    Ok(image)
}

/// Which kind of document a descriptor names: registries serve them from different
/// endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Manifest,
    Config,
}

/// Where the documents and layers a descriptor names come from: an OCI layout's blobs,
/// or a registry.
pub trait ManifestSource {
    /// The image as the user named it, for messages and [`Image::path`].
    fn describe(&self) -> &Path;
    /// A manifest or index (`Document::Manifest`) or an image config, checked against the
    /// descriptor's digest and size.
    fn read_document(&self, desc: &Descriptor, what: Document) -> Result<Vec<u8>, ImageError>;
    /// Where the bytes of a layer blob are (the reader verifies them as it streams).
    fn layer(&self, desc: &Descriptor, digest: &Digest) -> Result<BlobLocation, ImageError>;
}

/// Follows `desc` through nested indexes (choosing `want` at each level that lists
/// platforms) to an image manifest, and returns the image it describes: its config and
/// its layers. `name` and `repo_tags` are left for the caller.
pub fn resolve(
    src: &dyn ManifestSource,
    mut desc: Descriptor,
    want: &Platform,
    kind: SourceKind,
) -> Result<Image, ImageError> {
    let path = src.describe().to_path_buf();
    for _ in 0..MAX_NESTING {
        let bytes = src.read_document(&desc, Document::Manifest)?;
        let doc: IndexOrManifest = parse_json(&format!("manifest {}", desc.digest), &bytes)?;
        let media = doc.media_type.clone().or_else(|| desc.media_type.clone()).unwrap_or_default();
        if SCHEMA1_TYPES.contains(&media.as_str()) || doc.schema_version == Some(1) {
            return Err(ImageError::Unsupported(format!(
                "{}: Docker schema 1 manifests are deprecated and not supported; push the image again with a current client",
                path.display()
            )));
        }
        if doc.is_index(desc.media_type.as_deref()) {
            let list = doc.manifests.unwrap_or_default();
            desc = choose(&path, &list, want)?;
            continue;
        }
        if !doc.is_image_manifest(desc.media_type.as_deref()) {
            return Err(ImageError::Unsupported(format!(
                "{}: manifest {} has media type {media:?}, not an image manifest",
                path.display(),
                desc.digest
            )));
        }
        let config_desc = doc.config.ok_or_else(|| {
            ImageError::Invalid(format!("{}: manifest {} has no config", path.display(), desc.digest))
        })?;
        let config_digest = sha256_digest(&path, &config_desc)?;
        let config_bytes = src.read_document(&config_desc, Document::Config)?;
        let config: ImageConfig = parse_json(&format!("image config {}", config_desc.digest), &config_bytes)?;
        let mut blobs = Vec::new();
        for layer in doc.layers.unwrap_or_default() {
            let digest = sha256_digest(&path, &layer)?;
            blobs.push((src.layer(&layer, &digest)?, Some(digest), layer.media_type));
        }
        let layers = assemble_layers(&path, &config, blobs)?;
        return Ok(Image {
            kind,
            path,
            repo_tags: Vec::new(),
            name: None,
            config_digest,
            manifest_digest: Digest::parse(&desc.digest),
            config,
            layers,
        });
    }
    Err(ImageError::Invalid(format!("{}: indexes nest deeper than {MAX_NESTING} levels", path.display())))
}

fn sha256_digest(path: &Path, desc: &Descriptor) -> Result<Digest, ImageError> {
    Digest::parse(&desc.digest)
        .ok_or_else(|| ImageError::Unsupported(format!("{}: digest {:?} is not sha256", path.display(), desc.digest)))
}

/// The blobs of an OCI image layout (a directory or an archive).
struct LayoutSource<'a>(&'a dyn BlobStore);

impl ManifestSource for LayoutSource<'_> {
    fn describe(&self) -> &Path {
        self.0.describe()
    }

    fn read_document(&self, desc: &Descriptor, _what: Document) -> Result<Vec<u8>, ImageError> {
        read_verified(self.0, desc)
    }

    fn layer(&self, desc: &Descriptor, digest: &Digest) -> Result<BlobLocation, ImageError> {
        let path = self.0.describe();
        let loc = self.0.location(&blob_path(digest)).map_err(|e| match e {
            ImageError::Missing(_) => {
                ImageError::Missing(format!("{}: layer blob {digest} is missing", path.display()))
            }
            other => other,
        })?;
        if let Some(size) = desc.size
            && size != loc.len()
        {
            return Err(ImageError::Invalid(format!(
                "{}: layer blob {digest} is {} bytes but its descriptor says {size}",
                path.display(),
                loc.len()
            )));
        }
        Ok(loc)
    }
}

fn blob_path(d: &Digest) -> String {
    format!("blobs/sha256/{}", d.hex())
}

/// Reads a metadata blob and checks it against its descriptor's digest and size.
fn read_verified(store: &dyn BlobStore, desc: &Descriptor) -> Result<Vec<u8>, ImageError> {
    let digest = Digest::parse(&desc.digest).ok_or_else(|| {
        ImageError::Unsupported(format!("{}: digest {:?} is not sha256", store.describe().display(), desc.digest))
    })?;
    let bytes = store.read_small(&blob_path(&digest)).map_err(|e| match e {
        ImageError::Missing(_) => {
            ImageError::Missing(format!("{}: blob {digest} is missing", store.describe().display()))
        }
        other => other,
    })?;
    let actual = Digest::of(&bytes);
    if actual != digest {
        return Err(ImageError::DigestMismatch {
            what: format!("{}: blob {}", store.describe().display(), blob_path(&digest)),
            expected: digest.to_string(),
            actual: actual.to_string(),
        });
    }
    if let Some(size) = desc.size
        && size != bytes.len() as u64
    {
        return Err(ImageError::Invalid(format!(
            "{}: blob {digest} is {} bytes but its descriptor says {size}",
            store.describe().display(),
            bytes.len()
        )));
    }
    Ok(bytes)
}

fn ref_matches(d: &Descriptor, r: &str) -> bool {
    let Some(a) = &d.annotations else {
        return false;
    };
    [a.get("org.opencontainers.image.ref.name"), a.get("io.containerd.image.name")]
        .into_iter()
        .flatten()
        .any(|n| n == r || crate::docker_archive::normalize_ref(n) == crate::docker_archive::normalize_ref(r))
}

/// Picks one entry of an index: by platform when entries declare one, else the only (or
/// first) entry. Attestation manifests (`unknown/unknown`) are never images.
pub fn choose(path: &std::path::Path, list: &[Descriptor], want: &Platform) -> Result<Descriptor, ImageError> {
    let images: Vec<&Descriptor> =
        list.iter().filter(|d| d.platform.as_ref().is_none_or(|p| p.os != "unknown")).collect();
    if images.is_empty() {
        return Err(ImageError::NotAnImage {
            path: path.to_path_buf(),
            reason: "the index lists no image manifests".into(),
        });
    }
    let with_platform: Vec<&Descriptor> = images.iter().copied().filter(|d| d.platform.is_some()).collect();
    if with_platform.is_empty() {
        if images.len() > 1 {
            tracing::info!(
                "{}: index lists {} images without platforms; using the first",
                path.display(),
                images.len()
            );
        }
        return Ok(images[0].clone());
    }
    let available: Vec<String> =
        with_platform.iter().map(|d| d.platform.as_ref().unwrap().to_platform().to_string()).collect();
    let picked = with_platform
        .iter()
        .find(|d| d.platform.as_ref().unwrap().to_platform().satisfies(want))
        .ok_or_else(|| ImageError::NoPlatform { wanted: want.to_string(), available: available.join(", ") })?;
    if with_platform.len() > 1 {
        tracing::info!(
            "picked platform {} from a multi-platform index (available: {})",
            picked.platform.as_ref().unwrap().to_platform(),
            available.join(", ")
        );
    }
    Ok((*picked).clone())
}
