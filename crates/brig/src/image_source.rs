//! Registry and daemon options from the command line, the config file and the
//! environment (`DOCKER_CONFIG`, `DOCKER_HOST`).

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use brig_image::Target;
use brig_registry::{Credentials, RegistryOptions};

use crate::cli::{Global, ImageArgs};

/// The password read from standard input, once: `brig diff` reads two images with it.
static STDIN_PASSWORD: OnceLock<String> = OnceLock::new();

fn stdin_password() -> Result<String> {
    if let Some(p) = STDIN_PASSWORD.get() {
        return Ok(p.clone());
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .context("cannot read the password from standard input")?;
    // `echo secret | brig …` adds a newline that is not part of the password.
    let password = text.strip_suffix("\r\n").or_else(|| text.strip_suffix('\n')).unwrap_or(&text).to_owned();
    if password.is_empty() {
        bail!("--password-stdin: standard input held no password");
    }
    Ok(STDIN_PASSWORD.get_or_init(|| password).clone())
}

pub fn registry_options(
    g: &Global,
    args: &ImageArgs,
    cache_dir: Option<&Path>,
    target: &Target,
) -> Result<RegistryOptions> {
    if g.offline && matches!(target, Target::Registry { .. }) {
        bail!(
            "--offline: {} is read from a registry; save it to an archive first, or drop --offline",
            target.path().display()
        );
    }
    let config = crate::config::load(g.config.as_ref())?.registry;
    let mut opts = RegistryOptions {
        insecure: config.insecure.iter().chain(&args.insecure_registry).cloned().collect(),
        ca_file: args.ca_file.clone().or(config.ca_file),
        mirrors: config.mirrors,
        cache_dir: cache_dir.filter(|_| !args.no_cache).map(Path::to_path_buf),
        scratch_dir: cache_dir.map(|d| d.join("tmp")),
        ..RegistryOptions::default()
    };
    if let Some(secs) = config.timeout_secs {
        opts.timeout = Duration::from_secs(secs.max(1));
    }
    if let Some(r) = config.retries {
        opts.retry.retries = r;
    }
    for m in &args.registry_mirror {
        let (registry, mirror) = m
            .split_once('=')
            .filter(|(r, h)| !r.is_empty() && !h.is_empty())
            .with_context(|| format!("--registry-mirror {m:?}: expected REGISTRY=MIRROR_HOST"))?;
        opts.mirrors.entry(registry.to_owned()).or_default().push(mirror.to_owned());
    }
    if let Some(username) = &args.username {
        opts.credentials = Some(Credentials { username: username.clone(), password: stdin_password()? });
    }
    Ok(opts)
}
