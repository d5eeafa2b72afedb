//! From a reference to an [`Image`]: resolve the tag to a digest (HEAD), read the
//! manifest (choosing a platform from an index), read and verify the config, and describe
//! each layer as a remote blob that the layer reader streams and verifies. Manifests and
//! configs are kept in the cache by digest, so a second read of the same image asks the
//! registry for nothing but the tag's current digest; layers already analysed are never
//! fetched (the catalog skips them by diff_id before opening them).

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use brig_image::oci::{Descriptor, INDEX_TYPES, IndexOrManifest, MANIFEST_TYPES};
use brig_image::{BlobLocation, Digest, Image, ImageConfig, ImageError, Platform, RemoteBlob, SourceKind};
use reqwest::Method;
use reqwest::StatusCode;

use crate::client::{Scope, Transport, error_message, read_limited};
use crate::{Reference, RegistryError};

/// Larger manifests and configs are refused (real ones are kilobytes).
const MAX_MANIFEST_LEN: u64 = 4 << 20;
const MAX_CONFIG_LEN: u64 = 32 << 20;
const MAX_NESTING: usize = 4;
const SCHEMA1_TYPES: [&str; 2] = [
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
    "application/vnd.docker.distribution.manifest.v1+json",
];

fn accept_manifests() -> Vec<&'static str> {
    INDEX_TYPES.iter().chain(MANIFEST_TYPES.iter()).copied().collect()
}

/// Reads `reference`, from the first of its registry's mirrors that has it, else from
/// the registry itself.
pub(crate) fn pull(
    transport: &Arc<Transport>,
    reference: &Reference,
    platform: Option<&Platform>,
) -> Result<Image, RegistryError> {
    let mut endpoints: Vec<String> = transport.opts.mirrors.get(&reference.registry).cloned().unwrap_or_default();
    endpoints.push(reference.api_host().to_owned());
    let last = endpoints.len() - 1;
    for (i, endpoint) in endpoints.iter().enumerate() {
        match pull_from(transport, endpoint, reference, platform) {
            Ok(image) => return Ok(image),
            Err(e) if i < last => tracing::warn!("mirror {endpoint} cannot serve {reference}: {e}; trying the next"),
            Err(e) => return Err(e),
        }
    }
    unreachable!("the registry itself is always the last endpoint")
}

fn pull_from(
    transport: &Arc<Transport>,
    host: &str,
    reference: &Reference,
    platform: Option<&Platform>,
) -> Result<Image, RegistryError> {
    let repo = &reference.repository;
    let want = platform.cloned().unwrap_or_else(Platform::linux_amd64);
    let shown = PathBuf::from(reference.to_string());
    let mut target = reference.target().to_owned();
    let mut declared: Option<String> = None;
    for _ in 0..MAX_NESTING {
        let (digest, bytes, media) = manifest(transport, host, repo, &target, reference)?;
        let doc: IndexOrManifest = brig_image::parse_json(&format!("manifest {digest}"), &bytes)?;
        let media = media.or(declared.take());
        if media.as_deref().is_some_and(|m| SCHEMA1_TYPES.contains(&m)) || doc.schema_version == Some(1) {
            return Err(RegistryError::Image(ImageError::Unsupported(format!(
                "{reference}: Docker schema 1 manifests are deprecated and not supported; push the image again with a current client"
            ))));
        }
        if doc.is_index(media.as_deref()) {
            let chosen = brig_image::oci::choose(&shown, doc.manifests.as_deref().unwrap_or_default(), &want)?;
            target = chosen.digest.clone();
            declared = chosen.media_type.clone();
            continue;
        }
        if !doc.is_image_manifest(media.as_deref()) {
            return Err(RegistryError::Image(ImageError::Unsupported(format!(
                "{reference}: manifest {digest} has media type {media:?}, not an image manifest"
            ))));
        }
        let config_desc = doc
            .config
            .ok_or_else(|| RegistryError::Invalid(format!("{reference}: manifest {digest} has no config")))?;
        let config_bytes = config(transport, host, repo, &config_desc)?;
        let config: ImageConfig =
            brig_image::parse_json(&format!("image config {}", config_desc.digest), &config_bytes)?;
        let mut blobs = Vec::new();
        for layer in doc.layers.unwrap_or_default() {
            let layer_digest = Digest::parse(&layer.digest).ok_or_else(|| {
                RegistryError::Invalid(format!("{reference}: layer digest {:?} is not sha256", layer.digest))
            })?;
            let size = layer
                .size
                .ok_or_else(|| RegistryError::Invalid(format!("{reference}: layer {} has no size", layer.digest)))?;
            let blob = RegistryBlob {
                transport: transport.clone(),
                host: host.to_owned(),
                repository: repo.clone(),
                digest: layer.digest.clone(),
            };
            blobs.push((BlobLocation::remote(Arc::new(blob), size), Some(layer_digest), layer.media_type));
        }
        let layers = brig_image::assemble_layers(&shown, &config, blobs)?;
        let name = reference.familiar_name();
        return Ok(Image {
            kind: SourceKind::Registry,
            path: shown,
            repo_tags: reference.tag.iter().map(|_| name.clone()).collect(),
            name: Some(name),
            config_digest: Digest::parse(&config_desc.digest).expect("verified when read"),
            manifest_digest: Digest::parse(&digest),
            config,
            layers,
        });
    }
    Err(RegistryError::Invalid(format!("{reference}: indexes nest deeper than {MAX_NESTING} levels")))
}

/// The manifest `target` (tag or digest) names: (digest, bytes, media type the server
/// declared). Served from the cache when its digest is known and cached; a tag costs one
/// HEAD request then.
fn manifest(
    transport: &Transport,
    host: &str,
    repo: &str,
    target: &str,
    reference: &Reference,
) -> Result<(String, Vec<u8>, Option<String>), RegistryError> {
    let accept = accept_manifests();
    let path = format!("/v2/{repo}/manifests/{target}");
    let scope = Scope::Pull(repo.to_owned());
    let mut digest = target.starts_with("sha256:").then(|| target.to_owned());
    if digest.is_none() {
        let resp = transport.request(Method::HEAD, host, &path, &accept, &scope)?;
        if resp.status().is_success() {
            digest = resp
                .headers()
                .get("docker-content-digest")
                .and_then(|v| v.to_str().ok())
                .filter(|d| Digest::parse(d).is_some())
                .map(str::to_owned);
        } else if resp.status() == StatusCode::NOT_FOUND {
            return Err(RegistryError::NotFound(format!("{reference}: no such image (manifest unknown)")));
        }
    }
    if let Some(d) = &digest
        && let Some(bytes) = cache_get(transport, "manifests", d)
    {
        tracing::debug!("manifest {d} from the cache");
        return Ok((d.clone(), bytes, None));
    }
    let resp = transport.request(Method::GET, host, &path, &accept, &scope)?;
    let status = resp.status();
    if status == StatusCode::NOT_FOUND {
        return Err(RegistryError::NotFound(format!("{reference}: no such image ({})", error_message(resp))));
    }
    if !status.is_success() {
        return Err(RegistryError::Status {
            url: format!("{host}{path}"),
            status: status.as_u16(),
            message: error_message(resp),
        });
    }
    let media = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_owned());
    let bytes = read_limited(resp, MAX_MANIFEST_LEN, &format!("manifest of {reference}"))?;
    let actual = Digest::of(&bytes).to_string();
    if let Some(expected) = &digest
        && *expected != actual
    {
        return Err(RegistryError::DigestMismatch {
            what: format!("manifest of {reference}"),
            expected: expected.clone(),
            actual,
        });
    }
    cache_put(transport, "manifests", &actual, &bytes);
    Ok((actual, bytes, media))
}

/// The image config blob, verified against its descriptor.
fn config(transport: &Transport, host: &str, repo: &str, desc: &Descriptor) -> Result<Vec<u8>, RegistryError> {
    if Digest::parse(&desc.digest).is_none() {
        return Err(RegistryError::Invalid(format!("config digest {:?} is not sha256", desc.digest)));
    }
    if let Some(bytes) = cache_get(transport, "blobs", &desc.digest) {
        return Ok(bytes);
    }
    let path = format!("/v2/{repo}/blobs/{}", desc.digest);
    let resp = transport.request(Method::GET, host, &path, &[], &Scope::Pull(repo.to_owned()))?;
    if !resp.status().is_success() {
        let status = resp.status().as_u16();
        return Err(RegistryError::Status { url: format!("{host}{path}"), status, message: error_message(resp) });
    }
    let bytes = read_limited(resp, MAX_CONFIG_LEN, &format!("config {}", desc.digest))?;
    let actual = Digest::of(&bytes).to_string();
    if actual != desc.digest {
        return Err(RegistryError::DigestMismatch {
            what: format!("config blob of {repo}"),
            expected: desc.digest.clone(),
            actual,
        });
    }
    cache_put(transport, "blobs", &actual, &bytes);
    Ok(bytes)
}

fn cache_path(transport: &Transport, kind: &str, digest: &str) -> Option<PathBuf> {
    let hex = Digest::parse(digest)?.hex();
    Some(transport.opts.cache_dir.as_ref()?.join("registry").join(kind).join("sha256").join(hex))
}

/// A cached document, re-verified: a damaged cache entry is ignored, not trusted.
fn cache_get(transport: &Transport, kind: &str, digest: &str) -> Option<Vec<u8>> {
    let bytes = std::fs::read(cache_path(transport, kind, digest)?).ok()?;
    (Digest::of(&bytes).to_string() == digest).then_some(bytes)
}

fn cache_put(transport: &Transport, kind: &str, digest: &str, bytes: &[u8]) {
    let Some(path) = cache_path(transport, kind, digest) else { return };
    let write = || -> std::io::Result<()> {
        let dir = path.parent().expect("cache paths have parents");
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut tmp, bytes)?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    };
    if let Err(e) = write() {
        tracing::warn!("cannot cache {kind} {digest} in {}: {e}", path.display());
    }
}

/// A layer blob in a registry, fetched when the layer reader opens it.
#[derive(Clone)]
struct RegistryBlob {
    transport: Arc<Transport>,
    host: String,
    repository: String,
    digest: String,
}

impl std::fmt::Debug for RegistryBlob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl RemoteBlob for RegistryBlob {
    fn open(&self) -> std::io::Result<Box<dyn Read + Send>> {
        let path = format!("/v2/{}/blobs/{}", self.repository, self.digest);
        let resp = self
            .transport
            .request(Method::GET, &self.host, &path, &[], &Scope::Pull(self.repository.clone()))
            .map_err(std::io::Error::other)?;
        if !resp.status().is_success() {
            let status = resp.status().as_u16();
            return Err(std::io::Error::other(format!("{}: HTTP {status} {}", self.describe(), error_message(resp))));
        }
        tracing::debug!("downloading {}", self.describe());
        Ok(Box::new(resp))
    }

    fn describe(&self) -> String {
        format!("{}/{}@{}", self.host, self.repository, self.digest)
    }
}
