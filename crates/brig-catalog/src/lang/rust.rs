//! Rust crates: `Cargo.lock` (format versions 1 to 4) and the dependency list that
//! cargo-auditable embeds in a binary (the `.dep-v0` section, found by [`super::elf`]).

use std::collections::HashSet;

use brig_sbom::PackageKind;
use serde::Deserialize;

use super::{LangPackage, ParseError, Parsed, parse_toml};

/// How a `source` in a `Cargo.lock` says where a crate came from, by its scheme prefix.
/// Hostnames are never consulted: an alternative registry is a registry like any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LockSource {
    /// `registry+…` (git index) or `sparse+…` (HTTP index).
    Registry,
    /// `git+…#commit`.
    Git,
}

fn classify_lock_source(source: &str) -> Option<LockSource> {
    if source.starts_with("registry+") || source.starts_with("sparse+") {
        Some(LockSource::Registry)
    } else if source.starts_with("git+") {
        Some(LockSource::Git)
    } else {
        None
    }
}

/// One `[[package]]` of a lock file.
struct LockEntry {
    name: String,
    version: String,
    source: Option<String>,
    dependencies: Vec<String>,
}

/// The crates a `Cargo.lock` pins: every package with a `source` (a registry or a git
/// repository). Packages without one are the workspace's own crates and path
/// dependencies: they are not reported, but what they depend on is marked
/// `direct: Some(true)` and every other crate `Some(false)`. Handles format versions 1
/// (`[metadata]` checksums, dependencies always `"name version (source)"`), 2 (inline
/// `checksum`, dependencies shortened to `"name"` or `"name version"` when unambiguous),
/// 3 and 4 (a top-level `version = N`), and the `[root]` table of pre-1.0 Cargo. A lock with no packages at all is empty, not an
/// error; a document that is not TOML, or has neither `[[package]]` nor `version`, is.
pub fn parse_cargo_lock(content: &[u8]) -> Result<Parsed, ParseError> {
    let document = parse_toml(content)?;
    let mut warnings = Vec::new();
    let mut raw_packages: Vec<&toml::Value> = match document.get("package") {
        Some(toml::Value::Array(items)) => items.iter().collect(),
        Some(_) => return Err(ParseError::new("Cargo.lock's package key is not an array of tables.")),
        None if ["version", "metadata", "root"].iter().any(|k| document.contains_key(*k)) => Vec::new(),
        None => return Err(ParseError::new("Not a Cargo.lock: it has no [[package]] entries and no version.")),
    };
    // Cargo before 1.0 wrote the root crate as a `[root]` table; it has no source, like
    // any workspace crate.
    if let Some(root) = document.get("root") {
        raw_packages.push(root);
    }
    if let Some(version) = document.get("version") {
        match version.as_integer() {
            Some(1..=4) => {}
            _ => warnings.push(format!("Cargo.lock declares an unknown format version {version}; read as version 4.")),
        }
    }

    let mut entries = Vec::with_capacity(raw_packages.len());
    let mut incomplete = 0usize;
    for raw in raw_packages {
        let Some(table) = raw.as_table() else {
            incomplete += 1;
            continue;
        };
        let text_field = |key: &str| table.get(key).and_then(toml::Value::as_str).map(str::to_string);
        let (Some(name), Some(version)) = (text_field("name"), text_field("version")) else {
            incomplete += 1;
            continue;
        };
        let dependencies = table
            .get("dependencies")
            .and_then(toml::Value::as_array)
            .map(|deps| deps.iter().filter_map(|d| d.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        entries.push(LockEntry { name, version, source: text_field("source"), dependencies });
    }
    if incomplete > 0 {
        warnings.push(format!("{incomplete} Cargo.lock package entries lacked a name or version and were skipped."));
    }

    // What the workspace's own crates (no source) depend on directly.
    let has_local = entries.iter().any(|e| e.source.is_none());
    let mut direct = HashSet::new();
    let mut dangling = 0usize;
    for entry in entries.iter().filter(|e| e.source.is_none()) {
        for dependency in &entry.dependencies {
            match resolve_lock_dependency(&entries, dependency) {
                Some(index) => {
                    direct.insert(index);
                }
                None => dangling += 1,
            }
        }
    }
    if dangling > 0 {
        warnings.push(format!("{dangling} dependency reference(s) of workspace crates name no package in Cargo.lock."));
    }

    let mut packages = Vec::new();
    let mut unknown_sources = 0usize;
    for (index, entry) in entries.iter().enumerate() {
        let Some(source) = &entry.source else { continue };
        if classify_lock_source(source).is_none() {
            unknown_sources += 1;
            continue;
        }
        let mut package = LangPackage::new(PackageKind::Cargo, &entry.name, &entry.version);
        package.direct = has_local.then(|| direct.contains(&index));
        packages.push(package);
    }
    if unknown_sources > 0 {
        warnings.push(format!(
            "{unknown_sources} Cargo.lock package(s) with a source that is neither a registry nor git were skipped."
        ));
    }
    Ok(Parsed { packages, warnings })
}

/// The entry a dependency string names: `"name"` (the only package of that name),
/// `"name version"`, or `"name version (source)"`.
fn resolve_lock_dependency(entries: &[LockEntry], reference: &str) -> Option<usize> {
    let mut parts = reference.splitn(3, ' ');
    let name = parts.next()?;
    let version = parts.next();
    let source = parts.next().and_then(|s| s.strip_prefix('(')).and_then(|s| s.strip_suffix(')'));
    // Cargo writes the short forms only when they are unambiguous; if a file breaks that,
    // the first match still names a crate that was depended on.
    entries.iter().position(|e| {
        e.name == name
            && version.is_none_or(|v| e.version == v)
            && source.is_none_or(|s| e.source.as_deref() == Some(s))
    })
}

// ---------------------------------------------------------------------------------------
// cargo-auditable

/// The document cargo-auditable compresses into `.dep-v0`.
#[derive(Deserialize)]
struct AuditableInfo {
    packages: Vec<AuditablePackage>,
}

#[derive(Deserialize)]
struct AuditablePackage {
    name: String,
    version: String,
    /// `local` for workspace and path crates; otherwise where the crate came from: the
    /// default registry's name, `registry` (another registry), `git`, ...
    #[serde(default)]
    source: Option<String>,
    /// Indices into `packages`.
    #[serde(default)]
    dependencies: Vec<u64>,
    #[serde(default)]
    root: bool,
}

/// The crates in a cargo-auditable dependency document (the decompressed `.dep-v0`
/// section): every package except the root (the binary's own crate) and those whose
/// source is `local` (workspace members, path dependencies). `direct` is `Some(true)` for
/// what the root or a local crate depends on, `Some(false)` otherwise.
///
/// Packages of `kind: "build"` (build-script dependencies and proc-macros) are reported
/// like runtime ones: they ran while the binary was built and can shape its code (a code
/// generator, a derive macro), and `cargo audit bin` audits the whole embedded list the
/// same way.
pub fn parse_auditable_json(json: &[u8]) -> Result<Parsed, ParseError> {
    let info: AuditableInfo = serde_json::from_slice(json)
        .map_err(|e| ParseError::new(format!("The cargo-auditable dependency list is not valid: {e}.")))?;
    let is_first_party = |p: &AuditablePackage| p.root || p.source.as_deref() == Some("local");
    let has_root = info.packages.iter().any(|p| p.root);
    let mut direct = HashSet::new();
    let mut bad_indices = 0usize;
    for package in info.packages.iter().filter(|p| is_first_party(p)) {
        for &index in &package.dependencies {
            match usize::try_from(index).ok().filter(|&i| i < info.packages.len()) {
                Some(i) => {
                    direct.insert(i);
                }
                None => bad_indices += 1,
            }
        }
    }
    let mut parsed = Parsed::default();
    for (index, package) in info.packages.iter().enumerate() {
        if is_first_party(package) {
            continue;
        }
        if package.name.is_empty() || package.version.is_empty() {
            bad_indices += 1;
            continue;
        }
        let mut lang = LangPackage::new(PackageKind::Cargo, &package.name, &package.version);
        lang.direct = has_root.then(|| direct.contains(&index));
        parsed.packages.push(lang);
    }
    if bad_indices > 0 {
        parsed
            .warnings
            .push(format!("{bad_indices} entries of the cargo-auditable dependency list were malformed and skipped."));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::fixture;

    fn summary(parsed: &Parsed) -> Vec<(String, String, Option<bool>)> {
        let mut out: Vec<_> = parsed.packages.iter().map(|p| (p.name.clone(), p.version.clone(), p.direct)).collect();
        out.sort();
        out
    }

    fn row(name: &str, version: &str, direct: bool) -> (String, String, Option<bool>) {
        (name.to_string(), version.to_string(), Some(direct))
    }

    #[test]
    fn locks_of_every_format_version_from_cargo() {
        // The same workspace locked by cargo in each format (see the fixtures' README).
        for version in 1..=4 {
            let file = format!("rust/workspace-v{version}/Cargo.lock");
            let parsed = parse_cargo_lock(&fixture(&file)).unwrap();
            assert!(parsed.warnings.is_empty(), "{file}: {:?}", parsed.warnings);
            assert_eq!(
                summary(&parsed),
                [
                    row("autocfg", "1.5.1", false),
                    row("itoa", "0.4.8", true),
                    row("itoa", "1.0.19", true),
                    row("num-traits", "0.2.19", true),
                    row("smallvec", "1.16.6", true),
                ],
                "{file}"
            );
        }
    }

    #[test]
    fn lock_with_a_root_table() {
        // Cargo before 1.0 wrote the root crate as `[root]` instead of a `[[package]]`.
        let text = br#"
[root]
name = "tool"
version = "0.2.2"
dependencies = [
 "libc 0.2.16 (registry+https://registry.invalid/index)",
]

[[package]]
name = "libc"
version = "0.2.16"
source = "registry+https://registry.invalid/index"

[[package]]
name = "winapi"
version = "0.2.8"
source = "registry+https://registry.invalid/index"

[metadata]
"checksum libc 0.2.16 (registry+https://registry.invalid/index)" = "408014cace30ee0f767b1c4517980646a573ec61a57957aeeabcac8ac0a02e8d"
"#;
        let parsed = parse_cargo_lock(text).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(summary(&parsed), [row("libc", "0.2.16", true), row("winapi", "0.2.8", false)]);
    }

    #[test]
    fn lock_sources_by_scheme() {
        let text = br#"
version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["fromgit", "fromsparse", "rand 0.8.5 (registry+https://registry.invalid/index)", "ghost"]

[[package]]
name = "fromgit"
version = "0.3.0"
source = "git+https://git.invalid/fromgit?branch=main#0123456789abcdef0123456789abcdef01234567"

[[package]]
name = "fromsparse"
version = "1.0.0"
source = "sparse+https://registry.invalid/index/"

[[package]]
name = "rand"
version = "0.8.5"
source = "registry+https://registry.invalid/index"

[[package]]
name = "rand"
version = "0.7.3"
source = "registry+https://registry.invalid/index"

[[package]]
name = "weird"
version = "1.0.0"
source = "directory+/vendor/weird"

[[package]]
name = "noversion"
"#;
        let parsed = parse_cargo_lock(text).unwrap();
        assert_eq!(
            summary(&parsed),
            [
                row("fromgit", "0.3.0", true),
                row("fromsparse", "1.0.0", true),
                row("rand", "0.7.3", false),
                row("rand", "0.8.5", true)
            ]
        );
        // The dangling "ghost", the unknown "directory+" source and the entry without a version.
        assert_eq!(parsed.warnings.len(), 3, "{:?}", parsed.warnings);
    }

    #[test]
    fn lock_without_workspace_crates_leaves_direct_unknown() {
        let parsed =
            parse_cargo_lock(b"[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\n").unwrap();
        assert_eq!(parsed.packages[0].direct, None);
    }

    #[test]
    fn lock_garbage() {
        assert!(parse_cargo_lock(b"\xff\xff").is_err());
        assert!(parse_cargo_lock(b"[[package]\nname =").is_err());
        assert!(parse_cargo_lock(b"name = \"x\"\n").is_err());
        assert!(parse_cargo_lock(b"package = 3\n").is_err());
        assert!(parse_cargo_lock(b"version = 4\n").unwrap().packages.is_empty());
        let deep = format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_cargo_lock(deep.as_bytes()).is_err());
        let deep_tables = format!("x = {}\n", "{a = ".repeat(100_000));
        assert!(parse_cargo_lock(deep_tables.as_bytes()).is_err());
        // Brackets inside strings and comments do not count.
        let quoted = format!(
            "version = 3 # {}\n[[package]]\nname = \"{}\"\nversion = \"1\"\n",
            "[".repeat(500),
            "[".repeat(500)
        );
        assert!(parse_cargo_lock(quoted.as_bytes()).is_ok());
    }

    #[test]
    fn auditable_json_from_a_real_binary() {
        // Decompressed `.dep-v0` of the fixture crate built by cargo-auditable (see README).
        let parsed = parse_auditable_json(&fixture("rust/auditable/dep-v0.json")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(
            summary(&parsed),
            [row("autocfg", "1.5.1", false), row("itoa", "1.0.19", true), row("num-traits", "0.2.19", true)]
        );
    }

    #[test]
    fn auditable_json_local_and_bad_indices() {
        let json = br#"{"packages":[
            {"name":"app","version":"0.1.0","source":"local","dependencies":[1,2,9],"root":true},
            {"name":"member","version":"0.1.0","source":"local","dependencies":[3]},
            {"name":"fromgit","version":"0.2.0","source":"git"},
            {"name":"dep","version":"1.0.0","source":"registry","dependencies":[4]},
            {"name":"leaf","version":"2.0.0","source":"registry","kind":"build"}
        ],"format":1}"#;
        let parsed = parse_auditable_json(json).unwrap();
        assert_eq!(
            summary(&parsed),
            [row("dep", "1.0.0", true), row("fromgit", "0.2.0", true), row("leaf", "2.0.0", false)]
        );
        assert_eq!(parsed.warnings.len(), 1);
    }

    #[test]
    fn auditable_json_garbage() {
        assert!(parse_auditable_json(b"").is_err());
        assert!(parse_auditable_json(b"{\"packages\":[{\"name\":1}]}").is_err());
        assert!(parse_auditable_json(b"[]").is_err());
        let deep = format!("{{\"packages\":{}", "[".repeat(100_000));
        assert!(parse_auditable_json(deep.as_bytes()).is_err());
    }
}
