//! Images in a Docker Engine, read through its API (`GET /images/get?names=…`, the
//! `docker save` stream) over `DOCKER_HOST`: a unix socket, or TCP with the Docker
//! CLI's TLS settings (`DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH` with ca.pem, cert.pem,
//! key.pem). The stream is written to the cache directory (the archive reader needs
//! random access) and deleted when the image is dropped.

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use reqwest::blocking::Client;

use crate::{RegistryError, RegistryOptions};

const DEFAULT_DOCKER_HOST: &str = "unix:///var/run/docker.sock";

pub(crate) struct Daemon {
    client: Client,
    base: String,
    host: String,
}

impl Daemon {
    /// A client for `DOCKER_HOST` (or the default socket). `None` when that is a unix
    /// socket that does not exist: no daemon runs here.
    pub(crate) fn connect(opts: &RegistryOptions) -> Result<Option<Daemon>, RegistryError> {
        let host = opts.docker_host.clone().unwrap_or_else(|| DEFAULT_DOCKER_HOST.to_owned());
        let config = |m: String| RegistryError::Daemon(format!("DOCKER_HOST={host}: {m}"));
        // Exports are large and slow to start (the daemon packs layers first); the
        // timeout bounds each wait, not the whole transfer.
        let builder = Client::builder()
            .connect_timeout(opts.timeout)
            .timeout(opts.timeout.max(std::time::Duration::from_secs(60)));
        let (builder, base) = if let Some(path) = host.strip_prefix("unix://") {
            if !Path::new(path).exists() {
                return Ok(None);
            }
            (builder.unix_socket(PathBuf::from(path)), "http://docker".to_owned())
        } else if let Some(addr) = host.strip_prefix("tcp://") {
            let tls = std::env::var("DOCKER_TLS_VERIFY").is_ok_and(|v| !v.is_empty());
            if tls {
                let dir = std::env::var_os("DOCKER_CERT_PATH")
                    .map(PathBuf::from)
                    .or_else(crate::auth::docker_config_dir)
                    .ok_or_else(|| config("DOCKER_TLS_VERIFY is set but there is no DOCKER_CERT_PATH".into()))?;
                let read =
                    |f: &str| std::fs::read(dir.join(f)).map_err(|e| config(format!("{}: {e}", dir.join(f).display())));
                let ca = reqwest::Certificate::from_pem_bundle(&read("ca.pem")?)
                    .map_err(|e| config(format!("ca.pem: {e}")))?;
                let mut identity = read("cert.pem")?;
                identity.extend_from_slice(&read("key.pem")?);
                let identity =
                    reqwest::Identity::from_pem(&identity).map_err(|e| config(format!("cert.pem/key.pem: {e}")))?;
                (builder.tls_certs_only(ca).identity(identity), format!("https://{addr}"))
            } else {
                (builder, format!("http://{addr}"))
            }
        } else {
            return Err(config("only unix:// and tcp:// daemon addresses are supported".into()));
        };
        let client = builder.build().map_err(|e| config(brig_http::describe(&e)))?;
        Ok(Some(Daemon { client, base, host }))
    }

    fn error(&self, e: &reqwest::Error) -> RegistryError {
        RegistryError::Daemon(format!("cannot reach the Docker daemon at {}: {}", self.host, brig_http::describe(e)))
    }

    /// Whether the daemon has an image of that name (`GET /images/{name}/json`).
    pub(crate) fn has_image(&self, name: &str) -> Result<bool, RegistryError> {
        let resp = self.client.get(format!("{}/images/{name}/json", self.base)).send().map_err(|e| self.error(&e))?;
        match resp.status() {
            s if s.is_success() => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            s => Err(RegistryError::Daemon(format!("{}: inspecting {name}: HTTP {}", self.host, s.as_u16()))),
        }
    }

    /// Exports `name` into a temporary file under `scratch`.
    pub(crate) fn save(&self, name: &str, scratch: &Path) -> Result<tempfile::TempPath, RegistryError> {
        let mut resp = self
            .client
            .get(format!("{}/images/get?names={}", self.base, brig_http::percent_encode(name)))
            .send()
            .map_err(|e| self.error(&e))?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Err(RegistryError::NotFound(format!(
                "{name}: no such image in the Docker daemon at {}",
                self.host
            )));
        }
        if !resp.status().is_success() {
            let status = resp.status().as_u16();
            let body = crate::client::read_limited(resp, 64 << 10, name).unwrap_or_default();
            return Err(RegistryError::Daemon(format!(
                "{}: exporting {name}: HTTP {status} {}",
                self.host,
                String::from_utf8_lossy(&body).trim()
            )));
        }
        std::fs::create_dir_all(scratch).map_err(|e| RegistryError::Io { path: scratch.to_path_buf(), error: e })?;
        let tmp = tempfile::Builder::new()
            .prefix("daemon-image-")
            .tempfile_in(scratch)
            .map_err(|e| RegistryError::Io { path: scratch.to_path_buf(), error: e })?;
        let (mut file, path) = tmp.into_parts();
        std::io::copy(&mut resp, &mut file)
            .map_err(|e| RegistryError::Daemon(format!("{}: exporting {name} failed: {e}", self.host)))?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_socket_means_no_daemon() {
        let opts = RegistryOptions {
            docker_host: Some("unix:///nonexistent/brig/docker.sock".into()),
            ..RegistryOptions::default()
        };
        assert!(Daemon::connect(&opts).unwrap().is_none());
        let opts =
            RegistryOptions { docker_host: Some("npipe:////./pipe/docker".into()), ..RegistryOptions::default() };
        assert!(matches!(Daemon::connect(&opts), Err(RegistryError::Daemon(_))));
    }
}
