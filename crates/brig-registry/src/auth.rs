//! Credentials and authentication challenges.
//!
//! Credentials come from the command line (`--username`, `--password-stdin`) or from the
//! Docker CLI's configuration (`$DOCKER_CONFIG/config.json`, default `~/.docker`):
//! `credHelpers` for the host, then `auths` (base64 `auth` or `username`/`password`),
//! then the default `credsStore`, helpers being the `docker-credential-NAME` programs.
//! A registry answers 401 with `WWW-Authenticate`: `Basic` (send the credentials) or
//! `Bearer realm=…,service=…,scope=…` (ask the realm for a token, with the credentials if
//! any, and send the token), the flow Docker Hub, GHCR, Harbor, Quay and ECR use.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use serde::Deserialize;

use crate::RegistryError;

#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    // Never print a password, even in debug logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials {{ username: {:?}, password: <redacted> }}", self.username)
    }
}

impl Credentials {
    pub fn basic_header(&self) -> String {
        let raw = format!("{}:{}", self.username, self.password);
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw))
    }
}

/// An authentication challenge from a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    Basic,
    Bearer { realm: String, service: Option<String>, scope: Option<String> },
}

/// Parses `Basic realm="x"` or `Bearer realm="…",service="…",scope="…"` (auth-params
/// with quoted or bare values; scheme case-insensitive). `None` for other schemes.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, rest) = header.split_once(char::is_whitespace).unwrap_or((header, ""));
    let params = parse_params(rest);
    if scheme.eq_ignore_ascii_case("basic") {
        Some(Challenge::Basic)
    } else if scheme.eq_ignore_ascii_case("bearer") {
        Some(Challenge::Bearer {
            realm: params.get("realm")?.clone(),
            service: params.get("service").cloned(),
            scope: params.get("scope").cloned(),
        })
    } else {
        None
    }
}

fn parse_params(s: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] == b',' || b[i].is_ascii_whitespace()) {
            i += 1;
        }
        let key_start = i;
        while i < b.len() && b[i] != b'=' && b[i] != b',' {
            i += 1;
        }
        let key = s[key_start..i].trim().to_ascii_lowercase();
        if i >= b.len() || b[i] != b'=' {
            continue;
        }
        i += 1;
        let mut value = String::new();
        if i < b.len() && b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                // Multi-byte characters are copied whole.
                let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
                value.push(ch);
                i += ch.len_utf8();
            }
            i += 1;
        } else {
            let start = i;
            while i < b.len() && b[i] != b',' {
                i += 1;
            }
            value = s[start..i].trim().to_owned();
        }
        if !key.is_empty() {
            out.insert(key, value);
        }
    }
    out
}

/// A token endpoint's answer (`token`, or OAuth2's `access_token`).
#[derive(Debug, Deserialize)]
pub(crate) struct TokenResponse {
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
}

impl TokenResponse {
    pub(crate) fn into_token(self) -> Option<String> {
        self.token.filter(|t| !t.is_empty()).or(self.access_token.filter(|t| !t.is_empty()))
    }
}

#[derive(Debug, Default, Deserialize)]
struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// The Docker CLI's configuration directory: `$DOCKER_CONFIG`, else `~/.docker`.
pub fn docker_config_dir() -> Option<PathBuf> {
    std::env::var_os("DOCKER_CONFIG")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".docker")))
}

/// The names the Docker CLI files a registry's credentials under.
fn config_keys(registry: &str) -> Vec<String> {
    if registry == crate::reference::DEFAULT_REGISTRY {
        vec!["https://index.docker.io/v1/".into(), "index.docker.io".into(), "docker.io".into()]
    } else {
        vec![registry.to_owned(), format!("https://{registry}"), format!("http://{registry}")]
    }
}

/// Credentials for `registry` from the Docker configuration in `dir`, if it has any.
/// A malformed file or a failing helper is an error: silently pulling anonymously would
/// hide why a private image is "not found".
pub fn from_docker_config(dir: &Path, registry: &str) -> Result<Option<Credentials>, RegistryError> {
    let path = dir.join("config.json");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(RegistryError::Config(format!("{}: {e}", path.display()))),
    };
    let config: DockerConfig = serde_json::from_slice(&bytes)
        .map_err(|e| RegistryError::Config(format!("{}: not a Docker configuration: {e}", path.display())))?;
    let keys = config_keys(registry);
    if let Some(helper) = keys.iter().find_map(|k| config.cred_helpers.get(k)) {
        return helper_get(helper, &keys[0]);
    }
    // `auths` may also hold URLs with paths (`https://host/v1/`): compare hosts.
    let entry = config.auths.iter().find(|(k, _)| {
        keys.contains(k)
            || k.trim_start_matches("https://").trim_start_matches("http://").split('/').next() == Some(registry)
    });
    if let Some((key, entry)) = entry {
        if let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(auth.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| {
                    RegistryError::Config(format!(
                        "{}: auths[{key:?}].auth is not base64 of user:password",
                        path.display()
                    ))
                })?;
            let (username, password) = decoded.split_once(':').ok_or_else(|| {
                RegistryError::Config(format!("{}: auths[{key:?}].auth is not user:password", path.display()))
            })?;
            return Ok(Some(Credentials { username: username.into(), password: password.into() }));
        }
        if let (Some(u), Some(p)) = (&entry.username, &entry.password) {
            return Ok(Some(Credentials { username: u.clone(), password: p.clone() }));
        }
    }
    match &config.creds_store {
        Some(store) if !store.is_empty() => helper_get(store, &keys[0]),
        _ => Ok(None),
    }
}

#[derive(Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "Secret")]
    secret: String,
}

/// Runs `docker-credential-NAME get` with the server on standard input, as the Docker CLI
/// does. "credentials not found" (exit 1 with that message) means none.
fn helper_get(name: &str, server: &str) -> Result<Option<Credentials>, RegistryError> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) {
        return Err(RegistryError::Config(format!("credential helper name {name:?} is not a plain program name")));
    }
    let program = format!("docker-credential-{name}");
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RegistryError::Config(format!("cannot run credential helper {program}: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading its input is not an error here.
        let _ = stdin.write_all(server.as_bytes());
    }
    let out =
        child.wait_with_output().map_err(|e| RegistryError::Config(format!("credential helper {program}: {e}")))?;
    if !out.status.success() {
        let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        if text.to_ascii_lowercase().contains("credentials not found") {
            return Ok(None);
        }
        return Err(RegistryError::Config(format!("credential helper {program} failed: {}", text.trim())));
    }
    let answer: HelperAnswer = serde_json::from_slice(&out.stdout)
        .map_err(|e| RegistryError::Config(format!("credential helper {program} gave no credentials JSON: {e}")))?;
    Ok(Some(Credentials { username: answer.username, password: answer.secret }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges() {
        assert_eq!(
            parse_challenge(
                r#"Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull""#
            ),
            Some(Challenge::Bearer {
                realm: "https://auth.example/token".into(),
                service: Some("registry.example".into()),
                scope: Some("repository:a/b:pull".into()),
            })
        );
        assert_eq!(
            parse_challenge(r#"bearer  realm="r", scope="repository:x:pull,push""#),
            Some(Challenge::Bearer { realm: "r".into(), service: None, scope: Some("repository:x:pull,push".into()) })
        );
        assert_eq!(parse_challenge(r#"Basic realm="Registry Realm""#), Some(Challenge::Basic));
        assert_eq!(parse_challenge("Basic"), Some(Challenge::Basic));
        assert_eq!(parse_challenge(r#"Bearer service="s""#), None, "a bearer challenge needs a realm");
        assert_eq!(parse_challenge("Negotiate abc"), None);
        assert_eq!(
            parse_challenge(r#"Bearer realm="a\"b",error="invalid_token""#).map(|c| match c {
                Challenge::Bearer { realm, .. } => realm,
                _ => String::new(),
            }),
            Some("a\"b".into())
        );
    }

    fn write_config(dir: &Path, json: &str) {
        std::fs::write(dir.join("config.json"), json).unwrap();
    }

    #[test]
    fn docker_config_auths() {
        let dir = tempfile::tempdir().unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode("alice:s3cr:et");
        write_config(
            dir.path(),
            &format!(
                r#"{{"auths": {{"localhost:5000": {{"auth": "{auth}"}}, "https://index.docker.io/v1/": {{"username": "bob", "password": "pw"}}, "https://harbor.corp/v2/": {{"auth": "{auth}"}}}}}}"#
            ),
        );
        let c = from_docker_config(dir.path(), "localhost:5000").unwrap().unwrap();
        assert_eq!((c.username.as_str(), c.password.as_str()), ("alice", "s3cr:et"));
        let c = from_docker_config(dir.path(), "docker.io").unwrap().unwrap();
        assert_eq!(c.username, "bob");
        assert!(from_docker_config(dir.path(), "harbor.corp").unwrap().is_some());
        assert_eq!(from_docker_config(dir.path(), "other.io").unwrap(), None);
        assert!(!format!("{c:?}").contains("pw"), "debug output hides the password");
    }

    #[test]
    fn docker_config_errors_and_absence() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(from_docker_config(dir.path(), "x.io").unwrap(), None, "no file: no credentials");
        write_config(dir.path(), "{not json");
        assert!(matches!(from_docker_config(dir.path(), "x.io"), Err(RegistryError::Config(_))));
        write_config(dir.path(), r#"{"auths": {"x.io": {"auth": "!!!"}}}"#);
        assert!(matches!(from_docker_config(dir.path(), "x.io"), Err(RegistryError::Config(_))));
        write_config(dir.path(), r#"{"credHelpers": {"x.io": "../evil"}}"#);
        assert!(matches!(from_docker_config(dir.path(), "x.io"), Err(RegistryError::Config(_))));
        write_config(dir.path(), r#"{"credsStore": "brig-test-no-such-helper"}"#);
        let e = from_docker_config(dir.path(), "x.io").unwrap_err().to_string();
        assert!(e.contains("docker-credential-brig-test-no-such-helper"), "{e}");
    }
}
