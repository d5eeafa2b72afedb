//! Package URLs (`pkg:type/namespace/name@version?qualifiers#subpath`), built per the purl
//! specification: components percent-encoded except the unreserved set and `:`, qualifier
//! keys lower-case and sorted, empty qualifier values dropped.

use std::collections::BTreeMap;
use std::fmt::{self, Write};

use crate::PackageKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub qualifiers: BTreeMap<String, String>,
    pub subpath: Option<String>,
}

impl Purl {
    pub fn new(kind: &str, namespace: Option<&str>, name: &str, version: Option<&str>) -> Self {
        Purl {
            kind: kind.to_ascii_lowercase(),
            namespace: namespace.filter(|n| !n.is_empty()).map(str::to_owned),
            name: name.to_owned(),
            version: version.filter(|v| !v.is_empty()).map(str::to_owned),
            qualifiers: BTreeMap::new(),
            subpath: None,
        }
    }

    /// Parses a purl string as the purl specification's "how to parse" section describes,
    /// then applies the type-specific normalisation the type definitions mandate where it
    /// cannot lose identity (see [`normalise`]). Every failure is an `Err` with the reason,
    /// never a panic: purls come from documents brig did not write.
    pub fn parse(input: &str) -> Result<Purl, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("empty package URL".into());
        }
        // Right to left, as the specification says, because `#` and `?` may only appear
        // percent-encoded inside the components before them.
        let (rest, subpath) = match s.rsplit_once('#') {
            Some((r, sp)) => (r, parse_subpath(sp)?),
            None => (s, None),
        };
        let (rest, qualifiers) = match rest.rsplit_once('?') {
            Some((r, q)) => (r, parse_qualifiers(q)?),
            None => (rest, BTreeMap::new()),
        };
        let Some((scheme, rest)) = rest.split_once(':') else {
            return Err(format!("'{s}' has no scheme (expected 'pkg:')"));
        };
        if !scheme.eq_ignore_ascii_case("pkg") {
            return Err(format!("scheme is '{scheme}', not 'pkg'"));
        }
        // `pkg://type/...` is tolerated: the specification strips leading slashes.
        let rest = rest.trim_start_matches('/');
        let Some((kind, rest)) = rest.split_once('/') else {
            return Err(format!("'{s}' has no name"));
        };
        let kind = kind.to_ascii_lowercase();
        validate_type(&kind)?;
        // The version separator is the last `@` after the last `/`: an npm scope written
        // unencoded (`pkg:npm/@babel/core`) is then not mistaken for a version.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (rest, version) = match rest[last_slash..].rfind('@') {
            Some(at) => {
                let at = last_slash + at;
                let v = decode(&rest[at + 1..])?;
                (&rest[..at], Some(v).filter(|v| !v.is_empty()))
            }
            None => (rest, None),
        };
        let rest = rest.trim_end_matches('/');
        let (ns_raw, name_raw) = match rest.rsplit_once('/') {
            Some((ns, n)) => (ns, n),
            None => ("", rest),
        };
        let name = decode(name_raw)?;
        if name.is_empty() {
            return Err(format!("'{s}' has an empty name"));
        }
        let mut segments = Vec::new();
        for seg in ns_raw.split('/').filter(|x| !x.is_empty()) {
            let seg = decode(seg)?;
            if seg.contains('/') {
                return Err(format!("namespace segment '{seg}' contains '/'"));
            }
            segments.push(seg);
        }
        let namespace = if segments.is_empty() { None } else { Some(segments.join("/")) };
        let mut purl = Purl { kind, namespace, name, version, qualifiers, subpath };
        normalise(&mut purl);
        Ok(purl)
    }

    /// Adds a qualifier; `None` or empty values are not written.
    pub fn qualifier(mut self, key: &str, value: Option<&str>) -> Self {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.qualifiers.insert(key.to_ascii_lowercase(), v.to_owned());
        }
        self
    }

    /// The purl of a language package, from its name as the ecosystem (and its
    /// advisories) spell it, per each type's definition in the purl specification: the npm
    /// scope (with its `@`) is the namespace, as is a Maven `group`; for Go and Composer
    /// everything before the last `/` is. [`Purl::package_name`] is the reverse.
    pub fn for_package(kind: PackageKind, name: &str, version: &str) -> Purl {
        let v = Some(version);
        let (namespace, name) = match kind {
            PackageKind::Npm => match name.split_once('/') {
                Some((scope, rest)) if scope.starts_with('@') => (Some(scope), rest),
                _ => (None, name),
            },
            PackageKind::Maven => match name.split_once(':') {
                Some((group, artifact)) => (Some(group), artifact),
                None => (None, name),
            },
            PackageKind::Golang | PackageKind::Composer => match name.rsplit_once('/') {
                Some((ns, last)) => (Some(ns), last),
                None => (None, name),
            },
            _ => (None, name),
        };
        Purl::new(kind.as_str(), namespace, name, v)
    }

    /// The package's name as its ecosystem's advisories spell it: npm `@scope/name`, Go
    /// and Composer `namespace/name`, Maven `group:artifact`, else the purl's name. The
    /// reverse of [`Purl::for_package`].
    pub fn package_name(&self, kind: PackageKind) -> String {
        match (kind, self.namespace.as_deref()) {
            (PackageKind::Npm | PackageKind::Golang | PackageKind::Composer, Some(ns)) => format!("{ns}/{}", self.name),
            (PackageKind::Maven, Some(ns)) => format!("{ns}:{}", self.name),
            _ => self.name.clone(),
        }
    }
}

/// Characters that stay as they are: the URL "unreserved" set plus `:`, which the purl
/// specification says is never encoded.
fn keep(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':')
}

pub fn encode(s: &str, out: &mut String) {
    for &b in s.as_bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// Type names: ASCII letters, digits, `.`, `+`, `-`, not starting with a digit.
fn validate_type(kind: &str) -> Result<(), String> {
    let ok = !kind.is_empty()
        && !kind.starts_with(|c: char| c.is_ascii_digit())
        && kind.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'));
    if ok { Ok(()) } else { Err(format!("invalid package type '{kind}'")) }
}

fn parse_qualifiers(q: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for pair in q.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = key.to_ascii_lowercase();
        let key_ok = !key.is_empty()
            && !key.starts_with(|c: char| c.is_ascii_digit())
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if !key_ok {
            return Err(format!("invalid qualifier key '{key}'"));
        }
        let value = decode(value)?;
        // Empty values are as good as absent (the specification discards them).
        if value.is_empty() {
            continue;
        }
        if out.insert(key.clone(), value).is_some() {
            return Err(format!("qualifier '{key}' appears twice"));
        }
    }
    Ok(out)
}

fn parse_subpath(sp: &str) -> Result<Option<String>, String> {
    let mut segs = Vec::new();
    for seg in sp.split('/') {
        let seg = decode(seg)?;
        if seg.is_empty() || seg == "." || seg == ".." {
            continue;
        }
        if seg.contains('/') {
            return Err(format!("subpath segment '{seg}' contains '/'"));
        }
        segs.push(seg);
    }
    Ok(if segs.is_empty() { None } else { Some(segs.join("/")) })
}

/// Percent-decoding. `+` stays a plus: purls are not form-encoded.
pub fn decode(s: &str) -> Result<String, String> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(v) => out.push(v),
                None => return Err(format!("bad percent-encoding in '{s}'")),
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("'{s}' does not decode to UTF-8"))
}

/// The type-specific rules of the purl type definitions, applied where the ecosystem
/// itself treats the variants as one package:
/// - `pypi`: name lower-cased, runs of `-`, `_`, `.` become one `-` (PEP 503, as the
///   current pypi definition says; this includes the older "`_` to `-`" rule);
/// - `github`, `bitbucket`: namespace and name lower-cased (host names ignore case);
/// - `composer`: namespace and name lower-cased (Packagist names ignore case).
///
/// Deliberately not applied: lower-casing of `npm` (old packages such as `JSONStream`
/// keep their capitals in the registry and in advisories), `golang` (module paths are
/// case-sensitive; the definition's own note says its rule predates modules) and
/// `deb`/`apk`/`rpm` (written lower-case by every tool; kept as written).
fn normalise(p: &mut Purl) {
    match p.kind.as_str() {
        "pypi" => p.name = pep503(&p.name),
        "github" | "bitbucket" | "composer" => {
            p.name = p.name.to_ascii_lowercase();
            p.namespace = p.namespace.as_ref().map(|n| n.to_ascii_lowercase());
        }
        _ => {}
    }
}

/// PEP 503 normal form of a Python project name: runs of `-`, `_` and `.` become one `-`,
/// and letters are lower-cased (`Zope.Interface` → `zope-interface`).
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::from("pkg:");
        s.push_str(&self.kind);
        s.push('/');
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/').filter(|s| !s.is_empty()) {
                encode(seg, &mut s);
                s.push('/');
            }
        }
        encode(&self.name, &mut s);
        if let Some(v) = &self.version {
            s.push('@');
            encode(v, &mut s);
        }
        for (i, (k, v)) in self.qualifiers.iter().enumerate() {
            s.push(if i == 0 { '?' } else { '&' });
            s.push_str(k);
            s.push('=');
            encode(v, &mut s);
        }
        if let Some(sp) = &self.subpath {
            s.push('#');
            let segs: Vec<&str> = sp.split('/').filter(|x| !x.is_empty() && *x != "." && *x != "..").collect();
            for (i, seg) in segs.iter().enumerate() {
                if i > 0 {
                    s.push('/');
                }
                encode(seg, &mut s);
            }
        }
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_package_names_and_purls_are_each_others_reverse() {
        for (kind, name, purl) in [
            (PackageKind::Npm, "@xmldom/xmldom", "pkg:npm/%40xmldom/xmldom@1.0"),
            (PackageKind::Npm, "express", "pkg:npm/express@1.0"),
            (
                PackageKind::Maven,
                "org.apache.logging.log4j:log4j-core",
                "pkg:maven/org.apache.logging.log4j/log4j-core@1.0",
            ),
            (PackageKind::Golang, "github.com/gorilla/websocket", "pkg:golang/github.com/gorilla/websocket@1.0"),
            (PackageKind::Golang, "stdlib", "pkg:golang/stdlib@1.0"),
            (PackageKind::Composer, "laravel/framework", "pkg:composer/laravel/framework@1.0"),
            (PackageKind::Pypi, "pyyaml", "pkg:pypi/pyyaml@1.0"),
            (PackageKind::Cargo, "rand", "pkg:cargo/rand@1.0"),
            (PackageKind::Gem, "rails", "pkg:gem/rails@1.0"),
            (PackageKind::Nuget, "Newtonsoft.Json", "pkg:nuget/Newtonsoft.Json@1.0"),
        ] {
            let built = Purl::for_package(kind, name, "1.0");
            assert_eq!(built.to_string(), purl, "{name}");
            assert_eq!(Purl::parse(purl).unwrap().package_name(kind), name, "{purl}");
            assert_eq!(built.package_name(kind), name, "{purl}");
        }
        assert_eq!(Purl::for_package(PackageKind::Npm, "x", "").to_string(), "pkg:npm/x");
    }

    #[test]
    fn deb_purl_as_the_issue_spells_it() {
        let p = Purl::new("deb", Some("debian"), "libc6", Some("2.31-13+deb11u5"))
            .qualifier("upstream", Some("glibc"))
            .qualifier("distro", Some("debian-11"))
            .qualifier("arch", Some("amd64"));
        assert_eq!(p.to_string(), "pkg:deb/debian/libc6@2.31-13%2Bdeb11u5?arch=amd64&distro=debian-11&upstream=glibc");
    }

    #[test]
    fn colons_stay_and_reserved_characters_are_encoded() {
        let p = Purl::new("deb", Some("debian"), "bsdutils", Some("1:2.36.1-8+deb11u2"))
            .qualifier("upstream", Some("util-linux@2.36.1-8+deb11u2"))
            .qualifier("empty", Some(""));
        assert_eq!(
            p.to_string(),
            "pkg:deb/debian/bsdutils@1:2.36.1-8%2Bdeb11u2?upstream=util-linux%402.36.1-8%2Bdeb11u2"
        );
        let npm = Purl::new("npm", Some("@xmldom"), "xmldom", Some("0.7.5"));
        assert_eq!(npm.to_string(), "pkg:npm/%40xmldom/xmldom@0.7.5");
        let odd = Purl::new("generic", None, "a b/c?#", Some("1 0"));
        assert_eq!(odd.to_string(), "pkg:generic/a%20b%2Fc%3F%23@1%200");
    }

    fn p(s: &str) -> Purl {
        Purl::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_every_component() {
        let x = p("pkg:deb/debian/libc6@2.31-13%2Bdeb11u5?arch=amd64&distro=debian-11&upstream=glibc#usr/lib");
        assert_eq!(x.kind, "deb");
        assert_eq!(x.namespace.as_deref(), Some("debian"));
        assert_eq!(x.name, "libc6");
        assert_eq!(x.version.as_deref(), Some("2.31-13+deb11u5"));
        assert_eq!(x.qualifiers.get("arch").map(String::as_str), Some("amd64"));
        assert_eq!(x.qualifiers.get("distro").map(String::as_str), Some("debian-11"));
        assert_eq!(x.qualifiers.get("upstream").map(String::as_str), Some("glibc"));
        assert_eq!(x.subpath.as_deref(), Some("usr/lib"));
    }

    #[test]
    fn round_trips_what_display_writes() {
        let built = [
            Purl::new("deb", Some("debian"), "libc6", Some("2.31-13+deb11u5"))
                .qualifier("upstream", Some("glibc"))
                .qualifier("distro", Some("debian-11"))
                .qualifier("arch", Some("amd64")),
            Purl::new("deb", Some("debian"), "bsdutils", Some("1:2.36.1-8+deb11u2"))
                .qualifier("upstream", Some("util-linux@2.36.1-8+deb11u2")),
            Purl::new("rpm", Some("amzn"), "gmp", Some("6.2.1-2.amzn2023.0.2"))
                .qualifier("epoch", Some("1"))
                .qualifier("upstream", Some("gmp-6.2.1-2.amzn2023.0.2.src.rpm")),
            Purl::new("apk", Some("alpine"), "libssl1.1", Some("1.1.1g-r0")).qualifier("distro", Some("alpine-3.9.6")),
            Purl::new("npm", Some("@xmldom"), "xmldom", Some("0.7.5")),
            Purl::new("npm", None, "JSONStream", Some("1.3.5")),
            Purl::new("golang", Some("github.com/Azure/go-autorest"), "autorest", Some("v0.11.1")),
            Purl::new("maven", Some("org.apache.logging.log4j"), "log4j-core", Some("2.14.1")),
            Purl::new("generic", None, "a b/c?#", Some("1 0")).qualifier("k", Some("v&w=x%")),
            Purl::new("cargo", None, "rand", None),
            Purl { subpath: Some("googleapis/api/annotations".into()), ..Purl::new("golang", None, "genproto", None) },
        ];
        for b in built {
            let text = b.to_string();
            let back = p(&text);
            assert_eq!(back, b, "{text}");
            assert_eq!(back.to_string(), text);
        }
    }

    #[test]
    fn follows_the_specification_parsing_rules() {
        // Scheme and type are case-insensitive; `pkg://` slashes are tolerated.
        assert_eq!(p("PKG:NPM/foo@1").kind, "npm");
        assert_eq!(p("pkg://npm/foo@1").name, "foo");
        // Empty namespace segments and trailing slashes are dropped.
        let oci = p("pkg:oci//srv/images/app.tar@sha256:abc?arch=");
        assert_eq!(oci.namespace.as_deref(), Some("srv/images"));
        assert_eq!(oci.version.as_deref(), Some("sha256:abc"));
        assert!(oci.qualifiers.is_empty(), "empty qualifier values are discarded");
        // Qualifier keys lower-case, values percent-decoded, `+` is not a space.
        let q = p("pkg:deb/debian/x@1+b1?Distro=debian%2D11&upstream=y%402%2B3");
        assert_eq!(q.version.as_deref(), Some("1+b1"));
        assert_eq!(q.qualifiers.get("distro").map(String::as_str), Some("debian-11"));
        assert_eq!(q.qualifiers.get("upstream").map(String::as_str), Some("y@2+3"));
        // An npm scope written with a bare `@` is the namespace, not a version.
        let scoped = p("pkg:npm/@babel/core");
        assert_eq!((scoped.namespace.as_deref(), scoped.name.as_str(), scoped.version), (Some("@babel"), "core", None));
        let scoped = p("pkg:npm/@babel/core@7.0.0");
        assert_eq!(scoped.version.as_deref(), Some("7.0.0"));
        // Subpath: `.`, `..` and empty segments are discarded.
        assert_eq!(p("pkg:golang/x/y#/./a/../b/").subpath.as_deref(), Some("a/b"));
        assert_eq!(p("pkg:generic/x#/").subpath, None);
    }

    #[test]
    fn type_specific_normalisation() {
        assert_eq!(p("pkg:pypi/PyYAML@5.3.1").name, "pyyaml");
        assert_eq!(p("pkg:pypi/Django_Allauth@1").name, "django-allauth");
        assert_eq!(p("pkg:pypi/zope.interface@5").name, "zope-interface");
        assert_eq!(p("pkg:pypi/a__-.b@1").name, "a-b");
        let gh = p("pkg:github/Package-URL/Purl-Spec@244fd47e07d1004");
        assert_eq!((gh.namespace.as_deref(), gh.name.as_str()), (Some("package-url"), "purl-spec"));
        assert_eq!(p("pkg:composer/Laravel/Laravel@5.5.0").namespace.as_deref(), Some("laravel"));
        // As written: npm, deb, apk, rpm, golang.
        assert_eq!(p("pkg:npm/JSONStream@1.3.5").name, "JSONStream");
        assert_eq!(p("pkg:rpm/fedora/NetworkManager@1.0-1").name, "NetworkManager");
        assert_eq!(p("pkg:golang/github.com/Azure/go-autorest@v1").namespace.as_deref(), Some("github.com/Azure"));
        // Versions are never normalised.
        assert_eq!(p("pkg:pypi/x@1.0RC1").version.as_deref(), Some("1.0RC1"));
    }

    #[test]
    fn rejects_malformed_input_without_panicking() {
        for bad in [
            "",
            "   ",
            "deb/debian/x@1",
            "http://x/y",
            "pkg:",
            "pkg:deb",
            "pkg:/x",
            "pkg:1deb/x",
            "pkg:de b/x",
            "pkg:deb/x%zz",
            "pkg:deb/x%4",
            "pkg:deb/x%",
            "pkg:deb/x%ff%fe",
            "pkg:deb/a%2Fb/x",
            "pkg:deb/x?1a=b",
            "pkg:deb/x?=b",
            "pkg:deb/x?a=1&A=2",
            "pkg:generic/x#a%2Fb",
        ] {
            assert!(Purl::parse(bad).is_err(), "{bad:?} should not parse");
        }
        // Multi-byte text anywhere must not cut a character in half.
        for odd in ["pkg:généric/é@é", "pkg:x/é/é@é?é=é#é", "pkg:x/€@", "pkg:€", "pkg:x/y@€/z"] {
            let _ = Purl::parse(odd);
        }
        assert_eq!(p("pkg:generic/%C3%A9t%C3%A9@1").name, "été");
    }
}
