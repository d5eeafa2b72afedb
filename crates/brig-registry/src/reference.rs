//! Image references, parsed and normalised the way the Docker CLI does it: `alpine` is
//! `docker.io/library/alpine:latest`; the first path component is a registry host only if
//! it has a `.` or a `:` or is `localhost`; names are lowercase; a tag follows the last
//! `:` after the last `/`; a digest follows `@`.

use std::fmt;

/// The registry a reference without a host names, and the host that serves its API.
pub const DEFAULT_REGISTRY: &str = "docker.io";
const DEFAULT_REGISTRY_API_HOST: &str = "registry-1.docker.io";
const LEGACY_DEFAULT_REGISTRY: &str = "index.docker.io";
const MAX_NAME_LEN: usize = 255;
const MAX_TAG_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// Host (and port) as written, `docker.io` when none was.
    pub registry: String,
    /// Repository path in the registry, `library/` added for official images.
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:<64 hex>`.
    pub digest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid image reference {input:?}: {reason}")]
pub struct ReferenceError {
    pub input: String,
    pub reason: String,
}

impl Reference {
    pub fn parse(input: &str) -> Result<Reference, ReferenceError> {
        let err = |reason: &str| ReferenceError { input: input.to_owned(), reason: reason.to_owned() };
        if input.is_empty() {
            return Err(err("empty"));
        }
        if input.len() == 64 && input.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(err("a 64-character hexadecimal string is an image ID, not a name"));
        }
        let (name_and_tag, digest) = match input.split_once('@') {
            Some((n, d)) => (n, Some(parse_digest(d).map_err(|r| err(&r))?)),
            None => (input, None),
        };
        let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_and_tag[last_slash..].rfind(':') {
            Some(i) => {
                let at = last_slash + i;
                (&name_and_tag[..at], Some(name_and_tag[at + 1..].to_owned()))
            }
            None => (name_and_tag, None),
        };
        if let Some(t) = &tag
            && !valid_tag(t)
        {
            return Err(err("a tag is 1 to 128 of [A-Za-z0-9_.-], not starting with . or -"));
        }
        if name.len() > MAX_NAME_LEN {
            return Err(err("the name is longer than 255 characters"));
        }
        let (registry, path) = split_registry(name);
        if !valid_host(&registry) {
            return Err(err("the registry host is not a valid host[:port]"));
        }
        if path.is_empty() {
            return Err(err("no repository name"));
        }
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(err("repository names must be lowercase"));
        }
        if !path.split('/').all(valid_path_component) {
            return Err(err(
                "each repository path component is lowercase letters and digits, separated by '.', '_', '__' or dashes",
            ));
        }
        let repository = if registry == DEFAULT_REGISTRY && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_owned()
        };
        Ok(Reference { registry, repository, tag, digest })
    }

    /// The tag or digest to ask the registry for: the digest when there is one.
    pub fn target(&self) -> &str {
        self.digest.as_deref().or(self.tag.as_deref()).unwrap_or("latest")
    }

    /// The host serving the registry API (Docker Hub's differs from its name).
    pub fn api_host(&self) -> &str {
        api_host(&self.registry)
    }

    /// The same image name with a different digest (a platform's manifest).
    pub fn with_digest(&self, digest: &str) -> Reference {
        Reference { digest: Some(digest.to_owned()), ..self.clone() }
    }

    /// The repository and tag as `docker images` shows them (`alpine:3.20`,
    /// `localhost:5000/team/app:1`).
    pub fn familiar_name(&self) -> String {
        let repo = if self.registry == DEFAULT_REGISTRY {
            self.repository.strip_prefix("library/").unwrap_or(&self.repository).to_owned()
        } else {
            format!("{}/{}", self.registry, self.repository)
        };
        match &self.tag {
            Some(t) => format!("{repo}:{t}"),
            None if self.digest.is_none() => format!("{repo}:latest"),
            None => repo,
        }
    }
}

impl fmt::Display for Reference {
    /// The fully qualified form: `docker.io/library/alpine:3.20@sha256:…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        match (&self.tag, &self.digest) {
            (Some(t), _) => write!(f, ":{t}")?,
            (None, None) => f.write_str(":latest")?,
            _ => {}
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// The host serving the API of `registry`.
pub fn api_host(registry: &str) -> &str {
    if registry == DEFAULT_REGISTRY { DEFAULT_REGISTRY_API_HOST } else { registry }
}

/// Docker's rule: the first component is a host only if it could not be a repository
/// name (has `.` or `:`, is `localhost`, or has uppercase letters).
fn split_registry(name: &str) -> (String, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':']) || first == "localhost" || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            let host = if first == LEGACY_DEFAULT_REGISTRY { DEFAULT_REGISTRY } else { first };
            (host.to_owned(), rest)
        }
        _ => (DEFAULT_REGISTRY.to_owned(), name),
    }
}

fn parse_digest(d: &str) -> Result<String, String> {
    let (algorithm, hex) = d.split_once(':').ok_or("a digest is algorithm:hex")?;
    match algorithm {
        "sha256" if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) => {
            Ok(d.to_owned())
        }
        "sha256" => Err("a sha256 digest has 64 lowercase hexadecimal digits".into()),
        _ => Err(format!("unsupported digest algorithm {algorithm:?} (only sha256)")),
    }
}

fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_TAG_LEN
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || b"_.-".contains(c))
}

/// `[a-z0-9]+` runs joined by `.`, `_`, `__` or any number of `-`.
fn valid_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_lowercase() || b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let sep = &c[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

/// `host[:port]`: dot-separated labels of letters, digits and inner dashes, or a
/// bracketed IPv6 address; a port is digits.
pub(crate) fn valid_host(h: &str) -> bool {
    let (host, port) = if let Some(rest) = h.strip_prefix('[') {
        let Some((addr, after)) = rest.split_once(']') else { return false };
        if addr.parse::<std::net::Ipv6Addr>().is_err() {
            return false;
        }
        (None, after.strip_prefix(':').map(Some).unwrap_or(if after.is_empty() { None } else { Some("") }))
    } else {
        match h.rsplit_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(h), None),
        }
    };
    if let Some(p) = port
        && (p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u16>().is_err())
    {
        return false;
    }
    host.is_none_or(|host| {
        !host.is_empty()
            && host.split('.').all(|label| {
                let l = label.as_bytes();
                !l.is_empty()
                    && l[0].is_ascii_alphanumeric()
                    && l[l.len() - 1].is_ascii_alphanumeric()
                    && l.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> (String, String, Option<String>, Option<String>) {
        let r = Reference::parse(s).unwrap_or_else(|e| panic!("{e}"));
        (r.registry, r.repository, r.tag, r.digest)
    }

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn normalises_like_docker() {
        let s = |x: &str| x.to_owned();
        assert_eq!(parts("alpine"), (s("docker.io"), s("library/alpine"), None, None));
        assert_eq!(parts("alpine:3.20"), (s("docker.io"), s("library/alpine"), Some(s("3.20")), None));
        assert_eq!(parts("library/alpine"), (s("docker.io"), s("library/alpine"), None, None));
        assert_eq!(parts("team/app:1"), (s("docker.io"), s("team/app"), Some(s("1")), None));
        assert_eq!(parts("docker.io/alpine"), (s("docker.io"), s("library/alpine"), None, None));
        assert_eq!(parts("index.docker.io/alpine"), (s("docker.io"), s("library/alpine"), None, None));
        assert_eq!(parts("localhost/app"), (s("localhost"), s("app"), None, None));
        assert_eq!(parts("localhost:5000/app:v2"), (s("localhost:5000"), s("app"), Some(s("v2")), None));
        assert_eq!(parts("127.0.0.1:5000/a/b/c"), (s("127.0.0.1:5000"), s("a/b/c"), None, None));
        assert_eq!(parts("harbor.corp/team/api:1.2.3"), (s("harbor.corp"), s("team/api"), Some(s("1.2.3")), None));
        assert_eq!(parts(&format!("harbor.corp/team/api@{D}")), (s("harbor.corp"), s("team/api"), None, Some(s(D))));
        assert_eq!(parts(&format!("ghcr.io/o/r:tag@{D}")), (s("ghcr.io"), s("o/r"), Some(s("tag")), Some(s(D))));
        assert_eq!(parts("[::1]:5000/app"), (s("[::1]:5000"), s("app"), None, None));
        // A first component without '.', ':' or "localhost" is part of the repository.
        assert_eq!(parts("myhost/app"), (s("docker.io"), s("myhost/app"), None, None));
        assert_eq!(parts("a__b/c-d--e/f.g_h"), (s("docker.io"), s("a__b/c-d--e/f.g_h"), None, None));
    }

    #[test]
    fn display_and_names() {
        let r = Reference::parse("alpine").unwrap();
        assert_eq!(r.to_string(), "docker.io/library/alpine:latest");
        assert_eq!(r.familiar_name(), "alpine:latest");
        assert_eq!(r.target(), "latest");
        assert_eq!(r.api_host(), "registry-1.docker.io");
        let r = Reference::parse(&format!("localhost:5000/app@{D}")).unwrap();
        assert_eq!(r.to_string(), format!("localhost:5000/app@{D}"));
        assert_eq!(r.target(), D);
        assert_eq!(r.api_host(), "localhost:5000");
    }

    #[test]
    fn rejects_what_docker_rejects() {
        for bad in [
            "",
            "Alpine",
            "docker.io/Library/alpine",
            "alpine:",
            "alpine:.x",
            "alpine:-x",
            &format!("alpine:{}", "x".repeat(129)),
            "alpine@sha256:abc",
            "alpine@md5:0123456789abcdef0123456789abcdef",
            &format!("alpine@sha256:{}", "A".repeat(64)),
            "a//b",
            "a/",
            "-a",
            "a-",
            "a..b",
            "a___b",
            "host:99999/app",
            "host:/app",
            "-host.io/app",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            &format!("x/{}", "a".repeat(260)),
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
