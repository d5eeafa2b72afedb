//! The HTTP side of the Distribution API: which scheme a host speaks, authentication
//! (challenge → credentials or token → retry), retries of transient failures, and
//! errors that say what went wrong with which host.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use brig_http::{Failure, RetryPolicy};
use reqwest::StatusCode;
use reqwest::blocking::{Client, Response};
use reqwest::header::{ACCEPT, AUTHORIZATION, WWW_AUTHENTICATE};

use crate::RegistryError;
use crate::auth::{Challenge, Credentials, TokenResponse, parse_challenge};

/// How to reach registries; one per command.
#[derive(Debug, Clone)]
pub struct RegistryOptions {
    /// Hosts (`host[:port]`) that may be reached over plain HTTP or unverified TLS.
    /// Loopback hosts may use plain HTTP without being listed, as with Docker.
    pub insecure: Vec<String>,
    /// Extra PEM CA certificates trusted besides the system's roots.
    pub ca_file: Option<PathBuf>,
    /// Credentials for the registry of the image being read (`--username`), which win
    /// over the Docker configuration.
    pub credentials: Option<Credentials>,
    /// Docker configuration directory for stored credentials; `None` reads none.
    pub docker_config: Option<PathBuf>,
    /// Pull-through mirrors per registry (`docker.io` → [`mirror.corp:5000`]), tried in
    /// order before the registry itself.
    pub mirrors: BTreeMap<String, Vec<String>>,
    /// Longest wait for a connection, a response or the next bytes of one.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// Where manifests and image configs are kept between runs (keyed by digest); `None`
    /// keeps nothing.
    pub cache_dir: Option<PathBuf>,
    /// Where a daemon's exported image is written while it is read.
    pub scratch_dir: Option<PathBuf>,
    /// `DOCKER_HOST` (`unix:///var/run/docker.sock`, `tcp://host:2376`).
    pub docker_host: Option<String>,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        RegistryOptions {
            insecure: Vec::new(),
            ca_file: None,
            credentials: None,
            docker_config: crate::auth::docker_config_dir(),
            mirrors: BTreeMap::new(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            cache_dir: None,
            scratch_dir: None,
            docker_host: std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()),
        }
    }
}

/// What a request is for, to ask for the right token scope.
#[derive(Debug, Clone)]
pub(crate) enum Scope {
    Pull(String),
    Catalog,
}

impl Scope {
    fn token_scope(&self) -> String {
        match self {
            Scope::Pull(repo) => format!("repository:{repo}:pull"),
            Scope::Catalog => "registry:catalog:*".into(),
        }
    }
}

pub(crate) struct Transport {
    verified: Client,
    unverified: Client,
    pub(crate) opts: RegistryOptions,
    /// The registry whose credentials `opts.credentials` are.
    target_registry: Option<String>,
    schemes: Mutex<HashMap<String, &'static str>>,
    /// Authorization header per (host, scope), from the last challenge answered.
    authorizations: Mutex<HashMap<(String, String), String>>,
    credentials: Mutex<HashMap<String, Option<Credentials>>>,
}

/// `host[:port]` without the port (and without an IPv6 address's brackets).
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("");
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

fn is_loopback(host: &str) -> bool {
    let name = host_name(host);
    name == "localhost"
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        || name.ends_with(".localhost")
}

impl Transport {
    pub(crate) fn new(opts: RegistryOptions, target_registry: Option<String>) -> Result<Transport, RegistryError> {
        let mut roots = Vec::new();
        if let Some(path) = &opts.ca_file {
            let pem =
                std::fs::read(path).map_err(|e| RegistryError::Config(format!("--ca-file {}: {e}", path.display())))?;
            roots = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                RegistryError::Config(format!("--ca-file {}: not PEM certificates: {e}", path.display()))
            })?;
            if roots.is_empty() {
                return Err(RegistryError::Config(format!("--ca-file {}: no certificate in it", path.display())));
            }
        }
        let build = |accept_invalid: bool| {
            Client::builder()
                .user_agent(concat!("brig/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(opts.timeout)
                .timeout(opts.timeout)
                .tls_certs_merge(roots.clone())
                .danger_accept_invalid_certs(accept_invalid)
                .build()
                .map_err(|e| {
                    RegistryError::Config(format!("cannot set up the HTTP client: {}", brig_http::describe(&e)))
                })
        };
        Ok(Transport {
            verified: build(false)?,
            unverified: build(true)?,
            opts,
            target_registry,
            schemes: Mutex::new(HashMap::new()),
            authorizations: Mutex::new(HashMap::new()),
            credentials: Mutex::new(HashMap::new()),
        })
    }

    fn insecure(&self, host: &str) -> bool {
        self.opts.insecure.iter().any(|h| h == host)
    }

    fn client_for(&self, host: &str) -> &Client {
        if self.insecure(host) { &self.unverified } else { &self.verified }
    }

    /// The scheme `host` answers the API on: HTTPS, or plain HTTP for insecure and
    /// loopback hosts whose HTTPS attempt fails to connect (not for a certificate error:
    /// that is a TLS registry whose CA is missing, and saying so is more useful).
    fn scheme(&self, host: &str) -> Result<&'static str, RegistryError> {
        if let Some(s) = self.schemes.lock().unwrap_or_else(|e| e.into_inner()).get(host) {
            return Ok(s);
        }
        let may_use_http = self.insecure(host) || is_loopback(host);
        if !may_use_http {
            return Ok("https");
        }
        let https = self.client_for(host).get(format!("https://{host}/v2/")).send();
        let scheme = match https {
            Ok(_) => "https",
            Err(e) if e.is_timeout() => return Err(network(host, &e, true)),
            Err(e) if is_certificate_error(&e) && !self.insecure(host) => return Err(network(host, &e, false)),
            Err(https_error) => match self.verified.get(format!("http://{host}/v2/")).send() {
                Ok(_) => "http",
                Err(e) => {
                    return Err(RegistryError::Network {
                        host: host.to_owned(),
                        reason: format!(
                            "over HTTPS: {}; over HTTP: {}",
                            brig_http::describe(&https_error),
                            brig_http::describe(&e)
                        ),
                    });
                }
            },
        };
        tracing::debug!("{host} speaks {scheme}");
        self.schemes.lock().unwrap_or_else(|e| e.into_inner()).insert(host.to_owned(), scheme);
        Ok(scheme)
    }

    fn credentials(&self, host: &str) -> Result<Option<Credentials>, RegistryError> {
        if let Some(c) = self.credentials.lock().unwrap_or_else(|e| e.into_inner()).get(host) {
            return Ok(c.clone());
        }
        let explicit = self.opts.credentials.clone().filter(|_| {
            self.target_registry.as_deref().is_some_and(|r| r == host || crate::reference::api_host(r) == host)
        });
        let found = match explicit {
            Some(c) => Some(c),
            None => match &self.opts.docker_config {
                Some(dir) => {
                    // Docker files Docker Hub's credentials under its name, not its API host.
                    let registry = if host == crate::reference::api_host(crate::reference::DEFAULT_REGISTRY) {
                        crate::reference::DEFAULT_REGISTRY
                    } else {
                        host
                    };
                    crate::auth::from_docker_config(dir, registry)?
                }
                None => None,
            },
        };
        self.credentials.lock().unwrap_or_else(|e| e.into_inner()).insert(host.to_owned(), found.clone());
        Ok(found)
    }

    /// GET (or HEAD) `path` on `host`, authenticating as challenged and retrying
    /// transient failures. Any status is returned except 401 (an error) and those retried.
    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        host: &str,
        path_and_query: &str,
        accept: &[&str],
        scope: &Scope,
    ) -> Result<Response, RegistryError> {
        let url = format!("{}://{host}{path_and_query}", self.scheme(host)?);
        let key = (host.to_owned(), scope.token_scope());
        let mut answered_challenge = false;
        brig_http::with_retries(&self.opts.retry, || {
            loop {
                let mut req = self.client_for(host).request(method.clone(), &url);
                if !accept.is_empty() {
                    req = req.header(ACCEPT, accept.join(", "));
                }
                if let Some(a) = self.authorizations.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
                    req = req.header(AUTHORIZATION, a);
                }
                return match req.send() {
                    // Answered once per request: a second 401 means the answer was refused.
                    Ok(resp) if resp.status() == StatusCode::UNAUTHORIZED => {
                        if answered_challenge {
                            let reason = match self.credentials(host).map_err(Failure::fatal)? {
                                Some(_) => format!("{} was refused with the credentials given", scope.token_scope()),
                                None => format!(
                                    "{} was refused without credentials (the repository may not exist, or needs --username and --password-stdin)",
                                    scope.token_scope()
                                ),
                            };
                            return Err(Failure::fatal(RegistryError::Unauthorized { host: host.to_owned(), reason }));
                        }
                        let challenge =
                            resp.headers().get(WWW_AUTHENTICATE).and_then(|v| v.to_str().ok()).map(str::to_owned);
                        let authorization = self.answer(host, challenge.as_deref(), scope).map_err(Failure::fatal)?;
                        self.authorizations
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .insert(key.clone(), authorization);
                        answered_challenge = true;
                        continue;
                    }
                    Ok(resp) if brig_http::is_transient_status(resp.status().as_u16()) => {
                        let retry_after = brig_http::retry_after(resp.headers());
                        let status = resp.status().as_u16();
                        let error = RegistryError::Status { url: url.clone(), status, message: error_message(resp) };
                        Err(Failure::transient(error, retry_after))
                    }
                    Ok(resp) => Ok(resp),
                    Err(e) if e.is_timeout() || e.is_connect() || e.is_request() => {
                        Err(Failure::transient(network(host, &e, false), None))
                    }
                    Err(e) => Err(Failure::fatal(network(host, &e, false))),
                };
            }
        })
    }

    /// The Authorization header answering `challenge`.
    fn answer(&self, host: &str, challenge: Option<&str>, scope: &Scope) -> Result<String, RegistryError> {
        let unauthorized = |reason: String| RegistryError::Unauthorized { host: host.to_owned(), reason };
        let Some(challenge) = challenge.and_then(parse_challenge) else {
            return Err(unauthorized(format!(
                "the registry asks for authentication it does not describe ({})",
                challenge.unwrap_or("no WWW-Authenticate header")
            )));
        };
        let credentials = self.credentials(host)?;
        match challenge {
            Challenge::Basic => match credentials {
                Some(c) => Ok(c.basic_header()),
                None => Err(unauthorized(
                    "it requires a username and password: pass --username and --password-stdin, or docker login".into(),
                )),
            },
            Challenge::Bearer { realm, service, scope: challenged_scope } => {
                let realm_url = reqwest::Url::parse(&realm)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "https" | "http"))
                    .ok_or_else(|| unauthorized(format!("its token realm {realm:?} is not an HTTP(S) URL")))?;
                let realm_host = realm_url.host_str().unwrap_or_default().to_owned();
                let realm_authority = match realm_url.port() {
                    Some(p) => format!("{realm_host}:{p}"),
                    None => realm_host.clone(),
                };
                if realm_url.scheme() == "http" && !(self.insecure(&realm_authority) || is_loopback(&realm_authority)) {
                    return Err(unauthorized(format!(
                        "its token realm {realm} is plain HTTP; mark {realm_authority} with --insecure-registry to allow it"
                    )));
                }
                let mut url = realm_url.clone();
                {
                    let mut q = url.query_pairs_mut();
                    if let Some(s) = &service {
                        q.append_pair("service", s);
                    }
                    q.append_pair("scope", challenged_scope.as_deref().unwrap_or(&scope.token_scope()));
                }
                let mut req = self.client_for(&realm_authority).get(url);
                if let Some(c) = &credentials {
                    req = req.header(AUTHORIZATION, c.basic_header());
                }
                let resp = req.send().map_err(|e| network(&realm_authority, &e, false))?;
                let status = resp.status();
                if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
                    return Err(unauthorized(if credentials.is_some() {
                        format!("the token service at {realm} refused the credentials (HTTP {})", status.as_u16())
                    } else {
                        format!(
                            "the token service at {realm} requires credentials (HTTP {}): pass --username and --password-stdin, or docker login",
                            status.as_u16()
                        )
                    }));
                }
                if !status.is_success() {
                    return Err(unauthorized(format!(
                        "the token service at {realm} answered HTTP {}",
                        status.as_u16()
                    )));
                }
                let body = read_limited(resp, 1 << 20, &realm)?;
                let token = serde_json::from_slice::<TokenResponse>(&body)
                    .ok()
                    .and_then(TokenResponse::into_token)
                    .ok_or_else(|| unauthorized(format!("the token service at {realm} gave no token")))?;
                Ok(format!("Bearer {token}"))
            }
        }
    }
}

fn is_certificate_error(e: &reqwest::Error) -> bool {
    let text = brig_http::describe(e).to_ascii_lowercase();
    text.contains("certificate") || text.contains("unknownissuer")
}

fn network(host: &str, e: &reqwest::Error, tried_http: bool) -> RegistryError {
    let mut reason = brig_http::describe(e);
    if is_certificate_error(e) {
        reason.push_str(" (pass the registry's CA with --ca-file, or mark it with --insecure-registry)");
    } else if !tried_http && e.is_connect() && reason.to_ascii_lowercase().contains("tls") {
        reason.push_str(" (a registry serving plain HTTP must be marked with --insecure-registry)");
    }
    RegistryError::Network { host: host.to_owned(), reason }
}

/// The registry's own explanation from an error body (`{"errors":[{"code","message"}]}`).
pub(crate) fn error_message(resp: Response) -> String {
    let Ok(body) = read_limited(resp, 64 << 10, "") else { return String::new() };
    #[derive(serde::Deserialize)]
    struct Errors {
        errors: Vec<ErrorEntry>,
    }
    #[derive(serde::Deserialize)]
    struct ErrorEntry {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    match serde_json::from_slice::<Errors>(&body) {
        Ok(e) => e.errors.iter().map(|e| format!("{}: {}", e.code, e.message)).collect::<Vec<_>>().join("; "),
        Err(_) => String::from_utf8_lossy(&body).chars().take(200).collect::<String>().trim().to_owned(),
    }
}

/// Reads a response body of at most `limit` bytes; more is an error (a manifest or
/// token is small; a hostile server must not make us buffer gigabytes).
pub(crate) fn read_limited(resp: Response, limit: u64, what: &str) -> Result<Vec<u8>, RegistryError> {
    use std::io::Read;
    if let Some(len) = resp.content_length()
        && len > limit
    {
        return Err(RegistryError::Invalid(format!("{what}: {len} bytes, more than the {limit} allowed")));
    }
    let mut buf = Vec::new();
    resp.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| RegistryError::Invalid(format!("{what}: reading the response failed: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(RegistryError::Invalid(format!("{what}: more than the {limit} bytes allowed")));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn loopback_hosts() {
        for h in ["localhost", "localhost:5000", "127.0.0.1:5000", "127.1.2.3", "[::1]:5000", "[::1]", "x.localhost:1"]
        {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["example.com", "10.0.0.1:5000", "localhost.example.com", "[2001:db8::1]:5000"] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}
