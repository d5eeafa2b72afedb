//! `docker save` archives in all three layouts `docker load` reads: classic (`<id>/layer.tar`,
//! `<id>.json`), Docker 25+ (OCI blobs plus `manifest.json`), and go-containerregistry's
//! tarball (`<digest>.tar.gz` layers, `manifest.json` last). `manifest.json` drives all three.

use serde::Deserialize;

use crate::store::{ArchiveIndex, BlobStore};
use crate::{Digest, Image, ImageConfig, ImageError, SourceKind, assemble_layers, parse_json};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ManifestEntry {
    config: String,
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

pub(crate) fn open(idx: &ArchiveIndex, selector: Option<&str>) -> Result<Image, ImageError> {
    let path = idx.describe().to_path_buf();
    if !idx.exists("manifest.json") {
        return Err(ImageError::NotAnImage { path, reason: "no manifest.json in the archive".into() });
    }
    let entries: Vec<ManifestEntry> = parse_json("manifest.json", &idx.read_small("manifest.json")?)?;
    if entries.is_empty() {
        return Err(ImageError::NotAnImage { path, reason: "manifest.json lists no images".into() });
    }
    let chosen = select(&entries, selector).map_err(|m| ImageError::Selection(format!("{}: {m}", path.display())))?;
    let entry = &entries[chosen];
    let tags = entry.repo_tags.clone().unwrap_or_default();
    if entries.len() > 1 && selector.is_none() {
        tracing::info!(
            "{} holds {} images; using the first ({}); choose another with docker-archive:FILE:REF or :@N",
            path.display(),
            entries.len(),
            tags.first().map(String::as_str).unwrap_or("untagged")
        );
    }

    let config_bytes = idx.read_small(&entry.config)?;
    let config_digest = Digest::of(&config_bytes);
    if let Some(expected) = digest_in_name(&entry.config)
        && expected != config_digest
    {
        return Err(ImageError::DigestMismatch {
            what: format!("{}: config {}", path.display(), entry.config),
            expected: expected.to_string(),
            actual: config_digest.to_string(),
        });
    }
    let config: ImageConfig = parse_json(&format!("image config {}", entry.config), &config_bytes)?;

    let mut blobs = Vec::with_capacity(entry.layers.len());
    for layer in &entry.layers {
        let loc = idx.location(layer).map_err(|e| match e {
            ImageError::Missing(_) => ImageError::Missing(format!(
                "{}: layer {layer} listed in manifest.json is missing from the archive",
                path.display()
            )),
            other => other,
        })?;
        // Docker 25+ names layers `blobs/sha256/<hex>`: the blob digest. Classic and crane
        // names carry no verifiable digest; the config's diff_id still is checked.
        let digest = layer.strip_prefix("blobs/sha256/").and_then(Digest::from_hex);
        blobs.push((loc, digest, None));
    }
    let layers = assemble_layers(&path, &config, blobs)?;
    Ok(Image {
        kind: SourceKind::DockerArchive,
        path,
        name: tags.first().cloned(),
        repo_tags: tags,
        config_digest,
        manifest_digest: None,
        config,
        layers,
    })
}

/// The digest a config's file name promises: `<hex>.json` (classic), `blobs/sha256/<hex>`
/// (Docker 25+), `sha256:<hex>` (crane).
fn digest_in_name(name: &str) -> Option<Digest> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let hex = base.strip_suffix(".json").or_else(|| base.strip_prefix("sha256:")).unwrap_or(base);
    Digest::from_hex(hex)
}

fn select(entries: &[ManifestEntry], selector: Option<&str>) -> Result<usize, String> {
    let Some(sel) = selector else { return Ok(0) };
    if let Some(n) = sel.strip_prefix('@') {
        let i: usize = n.parse().map_err(|_| format!("{sel:?} is not @INDEX"))?;
        return if i < entries.len() {
            Ok(i)
        } else {
            Err(format!("image @{i} requested but the archive holds {}", entries.len()))
        };
    }
    let want = normalize_ref(sel);
    entries.iter().position(|e| e.repo_tags.iter().flatten().any(|t| normalize_ref(t) == want)).ok_or_else(|| {
        let all: Vec<&str> = entries.iter().flat_map(|e| e.repo_tags.iter().flatten()).map(String::as_str).collect();
        format!("no image tagged {sel} (tags: {})", all.join(", "))
    })
}

/// `docker.io/library/alpine` and `alpine:latest` name the same image.
pub(crate) fn normalize_ref(r: &str) -> String {
    let r = r.strip_prefix("docker.io/").or_else(|| r.strip_prefix("index.docker.io/")).unwrap_or(r);
    let r = r.strip_prefix("library/").unwrap_or(r);
    let last = r.rsplit('/').next().unwrap_or(r);
    if last.contains(':') || last.contains('@') { r.to_owned() } else { format!("{r}:latest") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_normalize() {
        assert_eq!(normalize_ref("docker.io/library/alpine"), "alpine:latest");
        assert_eq!(normalize_ref("brig/node-app:1.0"), "brig/node-app:1.0");
        assert_eq!(normalize_ref("localhost:5000/x"), "localhost:5000/x:latest");
    }

    #[test]
    fn config_names_carry_digests() {
        let hex = "a478a61a5b9fb057f7a40e33a1f992cf48ab69a8484c879c5285e517913592ac";
        assert!(digest_in_name(&format!("sha256:{hex}")).is_some());
        assert!(digest_in_name(&format!("{hex}.json")).is_some());
        assert!(digest_in_name(&format!("blobs/sha256/{hex}")).is_some());
        assert!(digest_in_name("config.json").is_none());
    }
}
