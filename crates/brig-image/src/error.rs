use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    #[error("{path}: not a container image: {reason}")]
    NotAnImage { path: PathBuf, reason: String },
    #[error("{0}")]
    Missing(String),
    #[error(
        "{what}: digest mismatch (expected {expected}, content is {actual}); the file is corrupt or was tampered with"
    )]
    DigestMismatch { what: String, expected: String, actual: String },
    #[error("{what} is not valid JSON: {error}")]
    Json { what: String, error: serde_json::Error },
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("no image for platform {wanted} (available: {available}); choose one with --platform")]
    NoPlatform { wanted: String, available: String },
    #[error("{0}")]
    Selection(String),
    #[error("{0}")]
    Target(String),
}

impl ImageError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ImageError::Io { path: path.into(), error: source }
    }
}
