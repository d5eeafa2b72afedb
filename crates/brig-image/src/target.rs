//! What the user asked to read: `docker-archive:FILE[:REF|:@N]`, `oci-archive:FILE[:REF]`,
//! `oci:DIR[:REF]`, `dir:ROOTFS`, or a bare path whose kind is detected.

use std::path::{Path, PathBuf};

use crate::ImageError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A `docker save`-style archive; `selector` is a repo tag or `@N` (0-based) for
    /// archives that hold several images, as skopeo spells it.
    DockerArchive { path: PathBuf, selector: Option<String> },
    /// An OCI image layout packed in a tar; `reference` matches a `ref.name` annotation.
    OciArchive { path: PathBuf, reference: Option<String> },
    /// An OCI image layout directory.
    OciDir { path: PathBuf, reference: Option<String> },
    /// An unpacked root filesystem.
    Rootfs { path: PathBuf },
    /// A bare archive path: docker-archive if it has `manifest.json`, else OCI.
    Archive { path: PathBuf },
    /// An image in a registry: `registry:REF`, or a bare reference that is not a path.
    Registry { reference: String },
    /// An image in a Docker Engine: `docker:NAME[:TAG]` (or `docker-daemon:`).
    Daemon { reference: String },
}

impl Target {
    pub fn parse(input: &str) -> Result<Target, ImageError> {
        if let Some(rest) = input.strip_prefix("docker-archive:") {
            let (path, selector) = split_selector(rest)?;
            return Ok(Target::DockerArchive { path, selector });
        }
        if let Some(rest) = input.strip_prefix("oci-archive:") {
            let (path, reference) = split_selector(rest)?;
            return Ok(Target::OciArchive { path, reference });
        }
        if let Some(rest) = input.strip_prefix("oci:").or_else(|| input.strip_prefix("oci-dir:")) {
            let (path, reference) = split_selector(rest)?;
            return Ok(Target::OciDir { path, reference });
        }
        if let Some(rest) = input.strip_prefix("dir:") {
            return Ok(Target::Rootfs { path: existing(rest)? });
        }
        if let Some(rest) = input.strip_prefix("registry:") {
            return Ok(Target::Registry { reference: non_empty(input, rest)? });
        }
        if let Some(rest) = input.strip_prefix("docker:").or_else(|| input.strip_prefix("docker-daemon:")) {
            return Ok(Target::Daemon { reference: non_empty(input, rest)? });
        }
        for prefix in ["podman:", "sbom:"] {
            if input.starts_with(prefix) {
                return Err(ImageError::Target(format!(
                    "{input}: the {} source is not supported yet; save the image to an archive (docker save -o img.tar IMAGE) and pass docker-archive:img.tar",
                    prefix.trim_end_matches(':')
                )));
            }
        }
        let path = Path::new(input);
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                if path.join("oci-layout").is_file() || path.join("index.json").is_file() {
                    Ok(Target::OciDir { path: path.to_path_buf(), reference: None })
                } else {
                    Ok(Target::Rootfs { path: path.to_path_buf() })
                }
            }
            Ok(_) => Ok(Target::Archive { path: path.to_path_buf() }),
            // A missing file named like an archive or SBOM is a typo, not an image name.
            Err(_) if looks_like_file(input) => Err(ImageError::NotFound(path.to_path_buf())),
            // Not a path: an image reference (the caller decides daemon or registry).
            Err(_) if looks_like_reference(input) => Ok(Target::Registry { reference: input.to_owned() }),
            Err(_) => Err(ImageError::Target(format!(
                "{input}: no such file or directory, and not an image reference (use docker-archive:FILE, oci-archive:FILE, oci:DIR, dir:ROOTFS, registry:REF or docker:NAME)"
            ))),
        }
    }

    /// Whether the user named a bare reference (no `registry:` prefix): the caller may
    /// then look in the local daemon first, as syft and grype do.
    pub fn is_bare_reference(&self, input: &str) -> bool {
        matches!(self, Target::Registry { .. }) && !input.starts_with("registry:")
    }

    pub fn path(&self) -> &Path {
        match self {
            Target::DockerArchive { path, .. }
            | Target::OciArchive { path, .. }
            | Target::OciDir { path, .. }
            | Target::Rootfs { path }
            | Target::Archive { path } => path,
            Target::Registry { reference } | Target::Daemon { reference } => Path::new(reference),
        }
    }
}

fn non_empty(input: &str, rest: &str) -> Result<String, ImageError> {
    if rest.trim().is_empty() {
        return Err(ImageError::Target(format!("{input}: no image named after the prefix")));
    }
    Ok(rest.to_owned())
}

/// Characters a Docker reference can hold (name, `:tag`, `@sha256:…`, `host:port/`); the
/// registry client validates it properly.
fn looks_like_reference(input: &str) -> bool {
    !input.is_empty()
        && !input.starts_with(['/', '.', '-', ':'])
        && !input.ends_with('/')
        && input.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-/:@".contains(&b))
}

/// Names that are files: archives and SBOM documents (a repository could be called
/// `app.tar`, but nobody pushes one).
fn looks_like_file(input: &str) -> bool {
    let lower = input.to_ascii_lowercase();
    input.starts_with("./")
        || input.starts_with("../")
        || [".tar", ".tar.gz", ".tgz", ".tar.zst", ".json", ".spdx", ".cdx"].iter().any(|ext| lower.ends_with(ext))
}

fn existing(p: &str) -> Result<PathBuf, ImageError> {
    let path = PathBuf::from(p);
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(ImageError::NotFound(path));
    }
    Ok(path)
}

/// Splits `PATH[:SELECTOR]`. Paths may contain colons, so the selector starts at the first
/// colon whose left side exists on disk; the whole string is tried first.
fn split_selector(rest: &str) -> Result<(PathBuf, Option<String>), ImageError> {
    if Path::new(rest).exists() {
        return Ok((PathBuf::from(rest), None));
    }
    for (i, _) in rest.match_indices(':') {
        let (path, sel) = (&rest[..i], &rest[i + 1..]);
        if !path.is_empty() && Path::new(path).exists() {
            return Ok((PathBuf::from(path), Some(sel.to_owned()).filter(|s| !s.is_empty())));
        }
    }
    Err(ImageError::NotFound(PathBuf::from(rest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prefixes_and_selectors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("img.tar");
        std::fs::write(&file, b"x").unwrap();
        let f = file.to_str().unwrap();
        assert_eq!(
            Target::parse(&format!("docker-archive:{f}:brig/app:1.0")).unwrap(),
            Target::DockerArchive { path: file.clone(), selector: Some("brig/app:1.0".into()) }
        );
        assert_eq!(
            Target::parse(&format!("docker-archive:{f}:@1")).unwrap(),
            Target::DockerArchive { path: file.clone(), selector: Some("@1".into()) }
        );
        assert_eq!(
            Target::parse(&format!("oci-archive:{f}")).unwrap(),
            Target::OciArchive { path: file.clone(), reference: None }
        );
        assert_eq!(Target::parse(f).unwrap(), Target::Archive { path: file.clone() });
        assert_eq!(
            Target::parse(dir.path().to_str().unwrap()).unwrap(),
            Target::Rootfs { path: dir.path().to_path_buf() }
        );
        assert!(matches!(Target::parse("docker-archive:/nonexistent/x.tar"), Err(ImageError::NotFound(_))));
        assert_eq!(Target::parse("alpine:3.20").unwrap(), Target::Registry { reference: "alpine:3.20".into() });
        assert!(Target::parse("alpine:3.20").unwrap().is_bare_reference("alpine:3.20"));
        assert_eq!(Target::parse("registry:alpine").unwrap(), Target::Registry { reference: "alpine".into() });
        assert!(!Target::parse("registry:alpine").unwrap().is_bare_reference("registry:alpine"));
        assert_eq!(Target::parse("docker:brig/app:1.0").unwrap(), Target::Daemon { reference: "brig/app:1.0".into() });
        assert!(matches!(Target::parse("registry:"), Err(ImageError::Target(_))));
        assert!(matches!(Target::parse("./missing.tar"), Err(ImageError::NotFound(_))));
        assert!(matches!(Target::parse("missing-image.tar"), Err(ImageError::NotFound(_))));
        assert!(matches!(Target::parse("sbom.cdx.json"), Err(ImageError::NotFound(_))));
        assert!(matches!(Target::parse("no such file"), Err(ImageError::Target(_))));
    }
}
