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
        for prefix in ["docker:", "docker-daemon:", "registry:", "podman:", "sbom:"] {
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
            Err(_) => Err(ImageError::Target(format!(
                "{input}: no such file or directory (image references such as alpine:3.20 need registry support, which is not available yet; use docker-archive:FILE, oci-archive:FILE, oci:DIR or dir:ROOTFS)"
            ))),
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            Target::DockerArchive { path, .. }
            | Target::OciArchive { path, .. }
            | Target::OciDir { path, .. }
            | Target::Rootfs { path }
            | Target::Archive { path } => path,
        }
    }
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
        assert!(matches!(Target::parse("alpine:3.20"), Err(ImageError::Target(_))));
        assert!(matches!(Target::parse("registry:alpine"), Err(ImageError::Target(_))));
    }
}
