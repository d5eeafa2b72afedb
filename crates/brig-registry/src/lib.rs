//! Images where they live: OCI Distribution registries and Docker Engines.
//!
//! A registry image becomes the same [`brig_image::Image`] an archive does, with layers
//! that are streamed from the registry as the catalog reads them (and verified against
//! their digests on the way); a daemon image is exported (`docker save`) into the cache
//! directory and read as an archive. References are parsed as Docker parses them.

mod auth;
mod client;
mod daemon;
mod listing;
mod pull;
mod reference;

use std::path::PathBuf;
use std::sync::Arc;

use brig_image::{Image, ImageError, Platform, Target};

pub use auth::Credentials;
pub use client::RegistryOptions;
pub use reference::{Reference, ReferenceError};

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error("{host}: {reason}")]
    Network { host: String, reason: String },
    #[error("{host}: authentication failed: {reason}")]
    Unauthorized { host: String, reason: String },
    #[error("{url}: HTTP {status}{}", if message.is_empty() { String::new() } else { format!(" ({message})") })]
    Status { url: String, status: u16, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error(
        "{what}: digest mismatch (expected {expected}, content is {actual}); the registry's content is corrupt or was tampered with"
    )]
    DigestMismatch { what: String, expected: String, actual: String },
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Daemon(String),
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    #[error(transparent)]
    Image(#[from] ImageError),
}

/// Reads a registry or daemon target (`registry:REF`, `docker:NAME`, or a bare reference,
/// which is looked for in the local daemon first and then in its registry, as syft and
/// grype do). `input` is what the user typed.
pub fn open(
    target: &Target,
    input: &str,
    platform: Option<&Platform>,
    opts: &RegistryOptions,
) -> Result<Image, RegistryError> {
    match target {
        Target::Daemon { reference } => {
            let daemon = daemon::Daemon::connect(opts)?.ok_or_else(|| {
                RegistryError::Daemon(format!(
                    "{reference}: no Docker daemon at {} (set DOCKER_HOST)",
                    opts.docker_host.as_deref().unwrap_or("unix:///var/run/docker.sock")
                ))
            })?;
            from_daemon(&daemon, reference, opts)
        }
        Target::Registry { reference } => {
            if target.is_bare_reference(input) {
                match daemon::Daemon::connect(opts) {
                    Ok(Some(daemon)) => match daemon.has_image(reference) {
                        Ok(true) => return from_daemon(&daemon, reference, opts),
                        Ok(false) => tracing::debug!("{reference} is not in the local daemon; trying its registry"),
                        Err(e) => tracing::debug!("{e}; trying the registry"),
                    },
                    Ok(None) => {}
                    Err(e) => tracing::debug!("{e}; trying the registry"),
                }
            }
            let reference = Reference::parse(reference)?;
            let transport = Arc::new(client::Transport::new(opts.clone(), Some(reference.registry.clone()))?);
            pull::pull(&transport, &reference, platform)
        }
        other => Err(RegistryError::Invalid(format!("{}: not a registry or daemon image", other.path().display()))),
    }
}

fn from_daemon(daemon: &daemon::Daemon, name: &str, opts: &RegistryOptions) -> Result<Image, RegistryError> {
    let scratch = opts.scratch_dir.clone().unwrap_or_else(std::env::temp_dir);
    let saved = daemon.save(name, &scratch)?;
    let mut image = brig_image::open_saved_archive(saved, name)?;
    image.name.get_or_insert_with(|| name.to_owned());
    Ok(image)
}

/// Every tag of `reference`'s repository, in the registry's order, across pages.
pub fn tags(reference: &str, opts: &RegistryOptions) -> Result<Vec<String>, RegistryError> {
    let reference = Reference::parse(reference)?;
    let transport = client::Transport::new(opts.clone(), Some(reference.registry.clone()))?;
    listing::tags(&transport, reference.api_host(), &reference.repository)
}

/// Every repository a registry lists in its catalog, across pages.
pub fn catalog(registry: &str, opts: &RegistryOptions) -> Result<Vec<String>, RegistryError> {
    if !reference::valid_host(registry) {
        return Err(RegistryError::Reference(ReferenceError {
            input: registry.to_owned(),
            reason: "a registry is HOST[:PORT]".into(),
        }));
    }
    let transport = client::Transport::new(opts.clone(), Some(registry.to_owned()))?;
    listing::catalog(&transport, reference::api_host(registry))
}
