//! From a reference to an [`Image`]: resolve the tag to a digest (HEAD), read the
//! manifest (choosing a platform from an index), read and verify the config, and describe
//! each layer as a remote blob that the layer reader streams and verifies. Manifests and
//! configs are kept in the cache by digest, so a second read of the same image asks the
//! registry for nothing but the tag's current digest; layers already analysed are never
//! fetched (the catalog skips them by diff_id before opening them).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use brig_image::oci::{Descriptor, Document, INDEX_TYPES, MANIFEST_TYPES, ManifestSource};
use brig_image::{BlobLocation, Digest, Image, ImageError, Platform, RemoteBlob, SourceKind};
use reqwest::Method;
use reqwest::StatusCode;

use crate::client::{Scope, Transport, error_message, read_limited};
use crate::{Reference, RegistryError};

/// Larger manifests and configs are refused (real ones are kilobytes).
const MAX_MANIFEST_LEN: u64 = 4 << 20;
const MAX_CONFIG_LEN: u64 = 32 << 20;

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
    let source = RegistrySource {
        transport: transport.clone(),
        host: host.to_owned(),
        reference: reference.clone(),
        shown: PathBuf::from(reference.to_string()),
        fetched: Mutex::new(HashMap::new()),
        failure: Mutex::new(None),
    };
    let (digest, len, media) = source.resolve_target()?;
    let top = Descriptor { media_type: media, digest, size: Some(len), platform: None, annotations: None };
    let want = platform.cloned().unwrap_or_else(Platform::linux_amd64);
    let mut image = brig_image::oci::resolve(&source, top, &want, SourceKind::Registry).map_err(|e| {
        // A registry failure inside a ManifestSource call travels as an ImageError; give
        // the caller the registry's own error back.
        source.failure.lock().unwrap_or_else(|p| p.into_inner()).take().unwrap_or(RegistryError::Image(e))
    })?;
    let name = reference.familiar_name();
    image.repo_tags = reference.tag.iter().map(|_| name.clone()).collect();
    image.name = Some(name);
    Ok(image)
}

/// One registry endpoint's view of one repository: manifests and configs by digest
/// (from the cache, from this run, or fetched and verified), layers as remote blobs.
struct RegistrySource {
    transport: Arc<Transport>,
    host: String,
    reference: Reference,
    shown: PathBuf,
    /// Documents already fetched in this run, by digest (the tag's manifest, fetched to
    /// learn its digest, is not fetched again).
    fetched: Mutex<HashMap<String, Vec<u8>>>,
    /// The registry error behind the last failed call, which `resolve` sees as an
    /// ImageError.
    failure: Mutex<Option<RegistryError>>,
}

impl RegistrySource {
    fn scope(&self) -> Scope {
        Scope::Pull(self.reference.repository.clone())
    }

    fn fail(&self, e: RegistryError) -> ImageError {
        let message = ImageError::Invalid(e.to_string());
        *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
        message
    }

    /// The digest, length and declared media type of the manifest the reference names.
    /// A digest reference costs nothing here; a tag costs one HEAD when manifests are
    /// cached (a cached digest then needs no GET), else one GET, whose body is kept.
    fn resolve_target(&self) -> Result<(String, u64, Option<String>), RegistryError> {
        let target = self.reference.target();
        if target.starts_with("sha256:") {
            let bytes = self.manifest(target)?;
            return Ok((target.to_owned(), bytes.len() as u64, None));
        }
        let path = format!("/v2/{}/manifests/{target}", self.reference.repository);
        let accept = accept_manifests();
        if self.transport.opts.cache_dir.is_some() {
            let resp = self.transport.request(Method::HEAD, &self.host, &path, &accept, &self.scope())?;
            if resp.status() == StatusCode::NOT_FOUND {
                return Err(self.not_found(None));
            }
            if let Some(d) = content_digest(&resp).filter(|_| resp.status().is_success())
                && let Some(bytes) = cache_get(&self.transport, "manifests", &d)
            {
                tracing::debug!("manifest {d} from the cache");
                let len = bytes.len() as u64;
                self.fetched.lock().unwrap_or_else(|p| p.into_inner()).insert(d.clone(), bytes);
                return Ok((d, len, None));
            }
        }
        let resp = self.get(&path, &accept)?;
        let declared = content_digest(&resp);
        let media = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim().to_owned());
        let bytes = read_limited(resp, MAX_MANIFEST_LEN, &format!("manifest of {}", self.reference))?;
        let actual = Digest::of(&bytes).to_string();
        // Fetched by tag, a manifest has no digest to check but the one the registry
        // declares for it.
        if let Some(expected) = declared
            && expected != actual
        {
            return Err(RegistryError::DigestMismatch {
                what: format!("manifest of {}", self.reference),
                expected,
                actual,
            });
        }
        cache_put(&self.transport, "manifests", &actual, &bytes);
        let len = bytes.len() as u64;
        self.fetched.lock().unwrap_or_else(|p| p.into_inner()).insert(actual.clone(), bytes);
        Ok((actual, len, media))
    }

    fn not_found(&self, message: Option<String>) -> RegistryError {
        let why = message.filter(|m| !m.is_empty()).unwrap_or_else(|| "manifest unknown".into());
        RegistryError::NotFound(format!("{}: no such image ({why})", self.reference))
    }

    fn get(&self, path: &str, accept: &[&str]) -> Result<reqwest::blocking::Response, RegistryError> {
        let resp = self.transport.request(Method::GET, &self.host, path, accept, &self.scope())?;
        match resp.status() {
            s if s.is_success() => Ok(resp),
            StatusCode::NOT_FOUND => Err(self.not_found(Some(error_message(resp)))),
            s => Err(RegistryError::Status {
                url: format!("{}{path}", self.host),
                status: s.as_u16(),
                message: error_message(resp),
            }),
        }
    }

    /// A manifest or config by digest: from this run, the cache, or the registry,
    /// verified against the digest before it is kept anywhere.
    fn document(&self, kind: &str, digest: &str, limit: u64) -> Result<Vec<u8>, RegistryError> {
        if let Some(bytes) = self.fetched.lock().unwrap_or_else(|p| p.into_inner()).get(digest) {
            return Ok(bytes.clone());
        }
        if let Some(bytes) = cache_get(&self.transport, kind, digest) {
            return Ok(bytes);
        }
        let repo = &self.reference.repository;
        let (path, accept) = if kind == "manifests" {
            (format!("/v2/{repo}/manifests/{digest}"), accept_manifests())
        } else {
            (format!("/v2/{repo}/blobs/{digest}"), Vec::new())
        };
        let bytes = read_limited(self.get(&path, &accept)?, limit, &format!("{kind} {digest}"))?;
        let actual = Digest::of(&bytes).to_string();
        if actual != digest {
            return Err(RegistryError::DigestMismatch {
                what: format!("{} {digest} of {}", kind.trim_end_matches('s'), self.reference),
                expected: digest.to_owned(),
                actual,
            });
        }
        cache_put(&self.transport, kind, digest, &bytes);
        Ok(bytes)
    }

    fn manifest(&self, digest: &str) -> Result<Vec<u8>, RegistryError> {
        self.document("manifests", digest, MAX_MANIFEST_LEN)
    }
}

impl ManifestSource for RegistrySource {
    fn describe(&self) -> &Path {
        &self.shown
    }

    fn read_document(&self, desc: &Descriptor, what: Document) -> Result<Vec<u8>, ImageError> {
        let bytes = if what == Document::Config {
            self.document("blobs", &desc.digest, MAX_CONFIG_LEN)
        } else {
            self.manifest(&desc.digest)
        }
        .map_err(|e| self.fail(e))?;
        if let Some(size) = desc.size
            && size != bytes.len() as u64
        {
            return Err(self.fail(RegistryError::Invalid(format!(
                "{}: {} is {} bytes but its descriptor says {size}",
                self.reference,
                desc.digest,
                bytes.len()
            ))));
        }
        Ok(bytes)
    }

    fn layer(&self, desc: &Descriptor, _digest: &Digest) -> Result<BlobLocation, ImageError> {
        let size = desc.size.ok_or_else(|| {
            self.fail(RegistryError::Invalid(format!("{}: layer {} has no size", self.reference, desc.digest)))
        })?;
        let blob = RegistryBlob {
            transport: self.transport.clone(),
            host: self.host.clone(),
            repository: self.reference.repository.clone(),
            digest: desc.digest.clone(),
        };
        Ok(BlobLocation::remote(Arc::new(blob), size))
    }
}

fn content_digest(resp: &reqwest::blocking::Response) -> Option<String> {
    resp.headers()
        .get("docker-content-digest")
        .and_then(|v| v.to_str().ok())
        .filter(|d| Digest::parse(d).is_some())
        .map(str::to_owned)
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
