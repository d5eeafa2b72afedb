//! npm, Yarn and pnpm: an installed package's `package.json`, and the lock files of the
//! three package managers — `package-lock.json` / `npm-shrinkwrap.json` /
//! `node_modules/.package-lock.json` (lockfile v1, v2, v3), `yarn.lock` (classic v1 and
//! berry), `pnpm-lock.yaml` (5.x, 6.x, 9.x). Each format is recognised from its content.
//!
//! Choices the formats leave open, made once here:
//! - Project directories are first-party code, not packages. The lock's root, workspace
//!   members and local sources (`link:`, `file:`, `portal:`, npm `link: true`) are never
//!   reported; the dependency lists of the root and of workspace members are what makes
//!   a package `direct`.
//! - npm `devOptional` is not `dev`: such a package is also reached through an optional
//!   production dependency, so `npm ci --omit=dev` still installs it.
//! - npm lockfile v1 has no list of the root's dependencies. A nested entry cannot be one
//!   (not direct); a top-level entry that no other entry's `requires` resolves to is only
//!   there because the root asked for it (direct); a top-level entry that something else
//!   also requires may or may not be, so it stays unknown. Files without the top-level
//!   `"requires": true` (npm 5.0) have no `requires` maps: top-level entries stay unknown.
//! - Yarn lock files do not say what is dev-only; classic does not say what is direct
//!   either. Berry's workspace entries list their dependencies (dev ones included).
//! - pnpm 9 has no dev flag on packages: a package is dev when the importers'
//!   `devDependencies` reach it through `snapshots` and their other dependencies do not.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

use brig_sbom::PackageKind;
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value as Json;
use serde_norway::Value as Yaml;

use super::json::{Lenient, Members, OrJunk, non_map_reads_as};
use super::{JsonOpening, LangPackage, ParseError, Parsed, Warnings, json_text, strip_bom};

const MAX_LICENSES: usize = 16;
const MAX_LICENSE_LEN: usize = 1024;
/// npm's own limit is 214; older registry names and scopes get some slack.
const MAX_NAME_LEN: usize = 512;
/// Room for v1 git / tarball URL "versions".
const MAX_VERSION_LEN: usize = 2048;
/// npm lockfile v1 nesting. serde_json's recursion limit already stops a file far
/// shallower than this; the bound keeps the walk safe whatever the parser allows.
const MAX_V1_DEPTH: usize = 256;

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

fn npm_package(name: &str, version: &str) -> LangPackage {
    LangPackage::new(PackageKind::Npm, name, version)
}

/// An npm package name: `name` or `@scope/name`, printable, no whitespace. Deliberately
/// looser than npm's current rules, which old registry packages predate.
fn is_valid_name(name: &str) -> bool {
    if name.is_empty() || name.len() > MAX_NAME_LEN || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match name.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, base)) => !scope.is_empty() && !base.is_empty() && !base.contains('/') && !base.contains('@'),
            None => false,
        },
        None => !name.contains('/') && !name.contains('@'),
    }
}

fn is_valid_version(version: &str) -> bool {
    !version.is_empty()
        && version.len() <= MAX_VERSION_LEN
        && !version.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Splits `name@rest`, where the name may start with `@` (a scope): the separator is the
/// first `@` after the first character.
fn split_at_name(spec: &str) -> Option<(&str, &str)> {
    let first_len = spec.chars().next()?.len_utf8();
    let at = spec.get(first_len..)?.find('@')? + first_len;
    let name = spec.get(..at)?;
    let rest = spec.get(at + 1..)?;
    Some((name, rest))
}

/// `npm:real-name@range` (an npm alias) → (`real-name`, `range`).
fn npm_alias_target(spec: &str) -> Option<(&str, &str)> {
    split_at_name(spec.strip_prefix("npm:")?)
}

/// Sources that are the project's own files rather than a published package.
fn is_local_source(spec: &str) -> bool {
    ["file:", "link:", "portal:", "workspace:"].iter().any(|p| spec.starts_with(p))
}

/// A URL-shaped version (npm v1 git / tarball sources) may carry a password; keep it out
/// of the SBOM.
fn without_url_password(version: &str) -> String {
    let Some(scheme_end) = version.find("://") else { return version.to_string() };
    let after = scheme_end + 3;
    let Some(authority) = version.get(after..) else { return version.to_string() };
    let authority_end = authority.find('/').unwrap_or(authority.len());
    let Some(userinfo_end) = authority.get(..authority_end).and_then(|a| a.rfind('@')) else {
        return version.to_string();
    };
    match authority.get(..userinfo_end) {
        Some(userinfo) if userinfo.contains(':') => {
            let head = version.get(..after).unwrap_or_default();
            let tail = authority.get(userinfo_end + 1..).unwrap_or_default();
            format!("{head}{tail}")
        }
        _ => version.to_string(),
    }
}

/// `license` (a string, the legacy `{type, url}` object, or an array of either), else the
/// legacy `licenses` array; in file order, without repeats.
fn declared_licenses(license: Option<&Json>, licenses: Option<&Json>) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(value) = license {
        collect_licenses(value, &mut found);
    }
    if found.is_empty()
        && let Some(value) = licenses
    {
        collect_licenses(value, &mut found);
    }
    found
}

fn collect_licenses(value: &Json, found: &mut Vec<String>) {
    match value {
        Json::Array(items) => items.iter().for_each(|item| push_license(item, found)),
        other => push_license(other, found),
    }
}

fn push_license(value: &Json, found: &mut Vec<String>) {
    let text = match value {
        Json::String(text) => text.as_str(),
        Json::Object(fields) => fields.get("type").and_then(Json::as_str).unwrap_or_default(),
        _ => "",
    }
    .trim();
    if !text.is_empty()
        && text.len() <= MAX_LICENSE_LEN
        && found.len() < MAX_LICENSES
        && !found.iter().any(|known| known == text)
    {
        found.push(text.to_string());
    }
}

// ---------------------------------------------------------------------------------------
// Tolerant JSON field types (the generic ones are in `json.rs`)
// ---------------------------------------------------------------------------------------

/// The names of a dependency list (the keys of a JSON object); anything else reads as none.
type KeyNames = Members<IgnoredAny>;

// ---------------------------------------------------------------------------------------
// package.json
// ---------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
struct PackageJsonFields {
    name: Lenient<String>,
    version: Lenient<String>,
    license: Option<Json>,
    licenses: Option<Json>,
}

/// An installed package's `package.json`. `None` when it has no usable name or version
/// (a project root, a private stub). Old npm's `_`-prefixed install fields are ignored.
pub fn parse_package_json(content: &[u8]) -> Result<Option<LangPackage>, ParseError> {
    let content = json_text(content, JsonOpening::Object, "package.json")?;
    let fields: PackageJsonFields = serde_json::from_slice(content)
        .map_err(|e| ParseError::new(format!("package.json is not a JSON object: {e}")))?;
    let (Some(name), Some(version)) = (fields.name.0, fields.version.0) else { return Ok(None) };
    if !is_valid_name(&name) || !is_valid_version(&version) {
        return Ok(None);
    }
    let mut package = npm_package(&name, &version);
    package.licenses = declared_licenses(fields.license.as_ref(), fields.licenses.as_ref());
    Ok(Some(package))
}

// ---------------------------------------------------------------------------------------
// package-lock.json
// ---------------------------------------------------------------------------------------

/// A `packages` entry under `node_modules/` (lockfile v2/v3).
#[derive(Deserialize, Default)]
#[serde(default)]
struct InstalledEntry {
    /// Present when it differs from the install folder's name (npm aliases).
    name: Lenient<String>,
    version: Lenient<String>,
    resolved: Lenient<String>,
    link: Lenient<bool>,
    dev: Lenient<bool>,
    license: Option<Json>,
}

/// A `packages` entry for a project directory: the root `""` or a workspace member.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ProjectEntry {
    dependencies: KeyNames,
    dev_dependencies: KeyNames,
    optional_dependencies: KeyNames,
}

enum PackagesEntry {
    Installed(Option<InstalledEntry>),
    Project(Option<ProjectEntry>),
}

/// The `packages` object, each value read as the kind of entry its key says it is.
struct PackagesSection(Option<Vec<(String, PackagesEntry)>>);

impl<'de> Deserialize<'de> for PackagesSection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SectionVisitor;
        impl<'de> Visitor<'de> for SectionVisitor {
            type Value = PackagesSection;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let entry = if is_install_path(&key) {
                        PackagesEntry::Installed(map.next_value::<OrJunk<InstalledEntry>>()?.0)
                    } else {
                        PackagesEntry::Project(map.next_value::<OrJunk<ProjectEntry>>()?.0)
                    };
                    entries.push((key, entry));
                }
                Ok(PackagesSection(Some(entries)))
            }
            non_map_reads_as!(PackagesSection(None));
        }
        deserializer.deserialize_any(SectionVisitor)
    }
}

/// A lockfile v1 `dependencies` entry, nested like the `node_modules` tree.
#[derive(Deserialize, Default)]
#[serde(default)]
struct V1Entry {
    version: Lenient<String>,
    dev: Lenient<bool>,
    requires: KeyNames,
    dependencies: V1Children,
}

/// A lockfile v1 `dependencies` object: the entries of one `node_modules` folder.
type V1Children = Members<OrJunk<V1Entry>>;

struct NpmLockFile {
    lockfile_version: Option<Json>,
    /// Top-level `"requires": true`: v1 entries carry `requires` maps.
    requires: bool,
    packages: Option<Vec<(String, PackagesEntry)>>,
    dependencies: Option<V1Children>,
}

impl<'de> Deserialize<'de> for NpmLockFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LockVisitor;
        impl<'de> Visitor<'de> for LockVisitor {
            type Value = NpmLockFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a package-lock JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NpmLockFile, A::Error> {
                let mut lock =
                    NpmLockFile { lockfile_version: None, requires: false, packages: None, dependencies: None };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "lockfileVersion" => lock.lockfile_version = Some(map.next_value()?),
                        "requires" => lock.requires = map.next_value::<Lenient<bool>>()?.0.unwrap_or(false),
                        "packages" => lock.packages = map.next_value::<PackagesSection>()?.0,
                        // v2 repeats the whole tree in v1 form for old npm; once `packages`
                        // has been read, skipping it halves the work on big files.
                        "dependencies"
                            if lock.packages.is_none()
                                || lock.lockfile_version.as_ref().and_then(Json::as_u64) == Some(1) =>
                        {
                            lock.dependencies = Some(map.next_value()?)
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(lock)
            }
        }
        deserializer.deserialize_map(LockVisitor)
    }
}

/// A `packages` key inside some `node_modules` folder: the package's name is what follows
/// the last `node_modules/`.
fn install_name(key: &str) -> Option<&str> {
    let at = key.rfind("node_modules/")?;
    let at_segment_start = at == 0 || key.get(..at).is_some_and(|before| before.ends_with('/'));
    if !at_segment_start {
        return None;
    }
    let name = key.get(at + "node_modules/".len()..)?;
    is_valid_name(name).then_some(name)
}

/// Whether a key names something inside a `node_modules` folder, even one whose name
/// cannot be read (so it is reported as a bad entry, not taken for a project directory).
fn is_install_path(key: &str) -> bool {
    key.starts_with("node_modules/") || key.contains("/node_modules/")
}

/// An npm lock file: `package-lock.json`, `npm-shrinkwrap.json` or the hidden
/// `node_modules/.package-lock.json`, lockfile version 1, 2 or 3.
pub fn parse_package_lock(content: &[u8]) -> Result<Parsed, ParseError> {
    let lock: NpmLockFile = serde_json::from_slice(strip_bom(content))
        .map_err(|e| ParseError::new(format!("not a usable package-lock JSON document: {e}")))?;
    let version = match &lock.lockfile_version {
        None => None,
        Some(value) => match value.as_u64() {
            Some(v @ 1..=3) => Some(v),
            _ => {
                return Err(ParseError::new(format!("unsupported lockfileVersion {value}")));
            }
        },
    };
    match (version, lock.packages, lock.dependencies) {
        (Some(2 | 3) | None, Some(entries), _) => Ok(npm_installed_entries(entries)),
        (_, _, Some(tree)) => Ok(npm_v1_tree(&tree, lock.requires)),
        (Some(_), _, None) => Ok(Parsed::default()),
        (None, None, None) => {
            Err(ParseError::new("no lockfileVersion, packages or dependencies: not a package-lock file"))
        }
    }
}

/// Lockfile v2/v3 `packages`, keyed by install path.
fn npm_installed_entries(entries: Vec<(String, PackagesEntry)>) -> Parsed {
    let mut warnings = Warnings::default();
    let mut packages: Vec<LangPackage> = Vec::new();
    let mut index_by_path: HashMap<String, usize> = HashMap::new();
    let mut link_targets: HashMap<String, String> = HashMap::new();
    let mut projects: Vec<(String, Vec<String>)> = Vec::new();
    let mut has_root = false;

    for (key, entry) in entries {
        let installed = match entry {
            PackagesEntry::Project(project) => {
                has_root |= key.is_empty();
                match project {
                    Some(p) => {
                        let names = [p.dependencies, p.dev_dependencies, p.optional_dependencies]
                            .into_iter()
                            .flat_map(KeyNames::into_keys)
                            .collect();
                        projects.push((key, names));
                    }
                    None => warnings.push(format!("project entry \"{key}\" is not an object")),
                }
                continue;
            }
            PackagesEntry::Installed(None) => {
                warnings.push(format!("package-lock entry \"{key}\" is not an object; skipped"));
                continue;
            }
            PackagesEntry::Installed(Some(installed)) => installed,
        };
        if installed.link.0 == Some(true) {
            // A workspace or `file:` symlink: its target has its own key.
            if let Some(target) = installed.resolved.0 {
                link_targets.insert(key, target);
            }
            continue;
        }
        let name = match (&installed.name.0, install_name(&key)) {
            (Some(declared), _) if is_valid_name(declared) => declared.as_str(),
            (Some(_), _) | (None, None) => {
                warnings.push(format!("package-lock entry \"{key}\" has no usable name; skipped"));
                continue;
            }
            (None, Some(folder)) => folder,
        };
        let Some(version) = installed.version.0.as_deref().filter(|v| is_valid_version(v)) else {
            warnings.push(format!("package-lock entry \"{key}\" has no usable version; skipped"));
            continue;
        };
        if index_by_path.contains_key(&key) {
            continue;
        }
        let mut package = npm_package(name, version);
        package.dev = Some(installed.dev.0 == Some(true));
        package.licenses = declared_licenses(installed.license.as_ref(), None);
        package.sub_path = Some(key.clone());
        index_by_path.insert(key, packages.len());
        packages.push(package);
    }

    // Without the root entry (the hidden lock file) nothing says what the project asked for.
    if has_root {
        let mut direct = vec![false; packages.len()];
        for (project_dir, names) in &projects {
            for name in names {
                if let Some(flag) =
                    resolve_from(project_dir, name, &index_by_path, &link_targets).and_then(|i| direct.get_mut(i))
                {
                    *flag = true;
                }
            }
        }
        for (package, is_direct) in packages.iter_mut().zip(direct) {
            package.direct = Some(is_direct);
        }
    }
    Parsed { packages, warnings: warnings.finish() }
}

/// Node's lookup of `name` from a project directory: its own `node_modules`, then each
/// parent's, up to the root's.
fn resolve_from(
    project_dir: &str,
    name: &str,
    index_by_path: &HashMap<String, usize>,
    link_targets: &HashMap<String, String>,
) -> Option<usize> {
    let mut dir = project_dir;
    loop {
        let candidate =
            if dir.is_empty() { format!("node_modules/{name}") } else { format!("{dir}/node_modules/{name}") };
        if let Some(&i) = index_by_path.get(&candidate) {
            return Some(i);
        }
        if let Some(target) = link_targets.get(&candidate) {
            return index_by_path.get(target).copied();
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// One `dependencies` object of the v1 tree being walked, and how far through it we are.
struct V1Frame<'a> {
    path: String,
    children: &'a [(String, OrJunk<V1Entry>)],
    next: usize,
    /// For big lists only; small ones are scanned.
    names: Option<HashSet<&'a str>>,
}

impl<'a> V1Frame<'a> {
    fn new(path: String, children: &'a [(String, OrJunk<V1Entry>)]) -> Self {
        let names = (children.len() > 32).then(|| children.iter().map(|(k, _)| k.as_str()).collect());
        V1Frame { path, children, next: 0, names }
    }

    fn contains(&self, name: &str) -> bool {
        match &self.names {
            Some(names) => names.contains(name),
            None => self.children.iter().any(|(k, _)| k == name),
        }
    }
}

/// Lockfile v1 (and npm 5/6 shrinkwraps): the nested `dependencies` tree, walked with an
/// explicit stack.
fn npm_v1_tree(root: &V1Children, has_requires: bool) -> Parsed {
    let mut warnings = Warnings::default();
    let mut packages: Vec<LangPackage> = Vec::new();
    let mut seen_paths: HashSet<String> = HashSet::new();
    // Top-level packages by folder name, and the folder names something else requires.
    let mut top_level: Vec<(usize, &str)> = Vec::new();
    let mut required_top_level: HashSet<&str> = HashSet::new();
    let mut depth_warned = false;

    let top_level_names: HashSet<&str> = root.as_slice().iter().map(|(k, _)| k.as_str()).collect();
    let mut stack = vec![V1Frame::new(String::new(), root.as_slice())];
    while let Some(frame) = stack.last_mut() {
        let children: &[(String, OrJunk<V1Entry>)] = frame.children;
        let Some((key, entry)) = children.get(frame.next) else {
            stack.pop();
            continue;
        };
        frame.next += 1;
        let path = if frame.path.is_empty() {
            format!("node_modules/{key}")
        } else {
            format!("{}/node_modules/{key}", frame.path)
        };
        let depth = stack.len();
        let Some(entry) = &entry.0 else {
            warnings.push(format!("package-lock entry \"{path}\" is not an object; skipped"));
            continue;
        };
        let own_frame = V1Frame::new(path.clone(), entry.dependencies.as_slice());

        if has_requires {
            for (required, _) in entry.requires.as_slice() {
                // Its own node_modules, then each enclosing one below the top level: a hit
                // there means the top-level copy is not the one this entry uses.
                let nested =
                    own_frame.contains(required) || stack.iter().skip(1).any(|enclosing| enclosing.contains(required));
                if !nested && let Some(&top) = top_level_names.get(required.as_str()) {
                    required_top_level.insert(top);
                }
            }
        }

        if let Some(mut package) = v1_package(key, entry, &path, &mut warnings)
            && seen_paths.insert(path)
        {
            if depth == 1 {
                top_level.push((packages.len(), key.as_str()));
            } else {
                // The root's own dependencies always sit at the top level.
                package.direct = Some(false);
            }
            packages.push(package);
        }
        push_children(&mut stack, own_frame, &mut warnings, &mut depth_warned);
    }

    if has_requires {
        for (i, key) in top_level {
            if let Some(package) = packages.get_mut(i) {
                package.direct = (!required_top_level.contains(key)).then_some(true);
            }
        }
    }
    Parsed { packages, warnings: warnings.finish() }
}

fn push_children<'a>(
    stack: &mut Vec<V1Frame<'a>>,
    frame: V1Frame<'a>,
    warnings: &mut Warnings,
    depth_warned: &mut bool,
) {
    if frame.children.is_empty() {
        return;
    }
    if stack.len() >= MAX_V1_DEPTH {
        if !*depth_warned {
            warnings.push(format!("dependencies nested deeper than {MAX_V1_DEPTH} levels were not read"));
            *depth_warned = true;
        }
        return;
    }
    stack.push(frame);
}

fn v1_package(key: &str, entry: &V1Entry, path: &str, warnings: &mut Warnings) -> Option<LangPackage> {
    let Some(raw_version) = entry.version.0.as_deref() else {
        warnings.push(format!("package-lock entry \"{path}\" has no usable version; skipped"));
        return None;
    };
    if is_local_source(raw_version) {
        return None;
    }
    let (name, version) = npm_alias_target(raw_version).unwrap_or((key, raw_version));
    if !is_valid_name(name) || !is_valid_version(version) {
        warnings.push(format!("package-lock entry \"{path}\" has no usable name or version; skipped"));
        return None;
    }
    let mut package = npm_package(name, &without_url_password(version));
    package.dev = Some(entry.dev.0 == Some(true));
    package.sub_path = Some(path.to_string());
    Some(package)
}

// ---------------------------------------------------------------------------------------
// yarn.lock
// ---------------------------------------------------------------------------------------

/// A `yarn.lock`: classic (v1, Yarn's own indented format) or berry (YAML with a
/// `__metadata` entry). One package per resolved (name, version).
pub fn parse_yarn_lock(content: &[u8]) -> Result<Parsed, ParseError> {
    let text = std::str::from_utf8(strip_bom(content)).map_err(|_| ParseError::new("yarn.lock is not UTF-8 text"))?;
    if text.trim().is_empty() {
        return Err(ParseError::new("yarn.lock is empty"));
    }
    if text.lines().any(|line| line.trim_end() == "__metadata:") {
        parse_yarn_berry(text)
    } else {
        parse_yarn_classic(text)
    }
}

/// Packages keyed by (name, version), in first-seen order.
#[derive(Default)]
struct UniquePackages {
    packages: Vec<LangPackage>,
    index: HashMap<(String, String), usize>,
}

impl UniquePackages {
    fn insert(&mut self, name: &str, version: &str) -> usize {
        let key = (name.to_string(), version.to_string());
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.packages.len();
        self.packages.push(npm_package(name, version));
        self.index.insert(key, i);
        i
    }
}

struct ClassicEntry {
    specifiers: Vec<String>,
    version: Option<String>,
}

fn parse_yarn_classic(text: &str) -> Result<Parsed, ParseError> {
    let mut warnings = Warnings::default();
    let mut found = UniquePackages::default();
    let mut has_header = false;
    let mut entries_seen = 0usize;
    let mut bad_lines = 0usize;
    let mut current: Option<ClassicEntry> = None;

    for (line_number, line) in text.lines().enumerate() {
        let line = line.trim_end();
        let content = line.trim_start();
        if content.is_empty() {
            continue;
        }
        if content.starts_with('#') {
            has_header |= content.contains("yarn lockfile v1");
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 0 {
            if let Some(entry) = current.take() {
                finish_classic_entry(entry, &mut found, &mut warnings);
            }
            match line.strip_suffix(':').and_then(split_specifiers) {
                Some(specifiers) => {
                    entries_seen += 1;
                    current = Some(ClassicEntry { specifiers, version: None });
                }
                None => {
                    bad_lines += 1;
                    warnings.push(format!("line {} is not a yarn.lock entry; skipped", line_number + 1));
                }
            }
        } else if indent == 2
            && let Some(entry) = current.as_mut()
            && let Some((key, value)) = classic_property(content)
            && key == "version"
        {
            entry.version = value;
        }
    }
    if let Some(entry) = current.take() {
        finish_classic_entry(entry, &mut found, &mut warnings);
    }
    if entries_seen == 0 && (!has_header || bad_lines > 0) {
        return Err(ParseError::new("not a yarn.lock file: no entries"));
    }
    Ok(Parsed { packages: found.packages, warnings: warnings.finish() })
}

fn finish_classic_entry(entry: ClassicEntry, found: &mut UniquePackages, warnings: &mut Warnings) {
    let first = entry.specifiers.first().map(String::as_str).unwrap_or_default();
    let Some((spec_name, range)) = entry.specifiers.iter().find_map(|s| split_at_name(s)) else {
        warnings.push(format!("yarn.lock entry \"{first}\" has no package name; skipped"));
        return;
    };
    if is_local_source(range) {
        return;
    }
    let name = npm_alias_target(range).map_or(spec_name, |(real, _)| real);
    let Some(version) = entry.version else {
        warnings.push(format!("yarn.lock entry \"{first}\" has no version; skipped"));
        return;
    };
    if !is_valid_name(name) || !is_valid_version(&version) {
        warnings.push(format!("yarn.lock entry \"{first}\" has no usable name or version; skipped"));
        return;
    }
    found.insert(name, &version);
}

/// `a@^1.0.0, "@s/b@^2.0.0"` → the specifiers, unquoted.
fn split_specifiers(line: &str) -> Option<Vec<String>> {
    let mut specifiers = Vec::new();
    let mut rest = line.trim();
    loop {
        let (specifier, after) = if rest.starts_with('"') {
            take_quoted(rest)?
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            (rest.get(..end)?.trim().to_string(), rest.get(end..)?)
        };
        if specifier.is_empty() {
            return None;
        }
        specifiers.push(specifier);
        let after = after.trim_start();
        if after.is_empty() {
            return Some(specifiers);
        }
        rest = after.strip_prefix(',')?.trim_start();
    }
}

/// A double-quoted string at the start of `s` (Yarn writes them with JSON escapes), and
/// what follows it.
fn take_quoted(s: &str) -> Option<(String, &str)> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => {
                let text = serde_json::from_str::<String>(s.get(..=i)?).ok()?;
                return Some((text, s.get(i + 1..)?));
            }
            _ => i += 1,
        }
    }
    None
}

/// `version "1.2.3"` (or `version: "1.2.3"`, or unquoted) → (`version`, `Some("1.2.3")`);
/// a nested map's opening line (`dependencies:`) has no value.
fn classic_property(line: &str) -> Option<(String, Option<String>)> {
    let (key, rest) = if line.starts_with('"') {
        take_quoted(line)?
    } else {
        let end = line.find(|c: char| c.is_whitespace() || c == ':').unwrap_or(line.len());
        (line.get(..end)?.to_string(), line.get(end..)?)
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
    let value = if rest.starts_with('"') {
        take_quoted(rest).map(|(text, _)| text)
    } else {
        (!rest.is_empty()).then(|| rest.to_string())
    };
    Some((key, value))
}

fn parse_yarn_berry(text: &str) -> Result<Parsed, ParseError> {
    let document: Yaml =
        serde_norway::from_str(text).map_err(|e| ParseError::new(format!("yarn.lock is not valid YAML: {e}")))?;
    let Some(entries) = document.as_mapping() else {
        return Err(ParseError::new("yarn.lock is not a YAML mapping"));
    };
    if !entries.get("__metadata").is_some_and(Yaml::is_mapping) {
        return Err(ParseError::new("yarn.lock has no __metadata mapping"));
    }
    let mut warnings = Warnings::default();
    let mut found = UniquePackages::default();
    let mut by_descriptor: HashMap<&str, usize> = HashMap::new();
    let mut workspace_dependencies: Vec<(&str, &str)> = Vec::new();
    let mut has_workspace = false;

    for (key, fields) in entries {
        let Some(key) = key.as_str() else {
            warnings.push("yarn.lock has an entry whose key is not a string; skipped".to_string());
            continue;
        };
        if key == "__metadata" {
            continue;
        }
        let Some(resolution) = fields.get("resolution").and_then(Yaml::as_str) else {
            warnings.push(format!("yarn.lock entry \"{key}\" has no resolution; skipped"));
            continue;
        };
        let Some((name, reference)) = split_at_name(resolution) else {
            warnings.push(format!("yarn.lock entry \"{key}\" has no package name; skipped"));
            continue;
        };
        if reference.starts_with("workspace:") {
            has_workspace = true;
            if let Some(dependencies) = fields.get("dependencies").and_then(Yaml::as_mapping) {
                workspace_dependencies
                    .extend(dependencies.iter().filter_map(|(n, r)| Some((n.as_str()?, r.as_str()?))));
            }
            continue;
        }
        if is_local_source(reference) {
            continue;
        }
        let Some(version) = fields.get("version").and_then(Yaml::as_str) else {
            warnings.push(format!("yarn.lock entry \"{key}\" has no version string; skipped"));
            continue;
        };
        if !is_valid_name(name) || !is_valid_version(version) {
            warnings.push(format!("yarn.lock entry \"{key}\" has no usable name or version; skipped"));
            continue;
        }
        // A `patch:` resolution is the same package as its npm original: same index.
        let i = found.insert(name, version);
        for descriptor in key.split(',') {
            by_descriptor.insert(descriptor.trim(), i);
        }
    }

    if has_workspace {
        let mut direct = vec![false; found.packages.len()];
        for (name, range) in workspace_dependencies {
            // Yarn 2/3 wrote `ms: 2.1.3` for the `ms@npm:2.1.3` key; Yarn 4 writes the protocol.
            let hit = by_descriptor
                .get(format!("{name}@{range}").as_str())
                .or_else(|| by_descriptor.get(format!("{name}@npm:{range}").as_str()));
            if let Some(flag) = hit.and_then(|&i| direct.get_mut(i)) {
                *flag = true;
            }
        }
        for (package, is_direct) in found.packages.iter_mut().zip(direct) {
            package.direct = Some(is_direct);
        }
    }
    Ok(Parsed { packages: found.packages, warnings: warnings.finish() })
}

// ---------------------------------------------------------------------------------------
// pnpm-lock.yaml
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum PnpmKeys {
    /// 5.x: `/name/1.0.0`, `/@scope/name/1.0.0_peer@2.0.0`.
    Slash,
    /// 6.x: `/name@1.0.0`, `/name@1.0.0(peer@2.0.0)`.
    SlashAt,
    /// 9.x: `name@1.0.0` in `packages`, peer suffixes only in `snapshots`.
    At,
}

impl PnpmKeys {
    fn key_for(self, name: &str, reference: &str) -> String {
        match self {
            PnpmKeys::Slash => format!("/{name}/{reference}"),
            PnpmKeys::SlashAt => format!("/{name}@{reference}"),
            PnpmKeys::At => format!("{name}@{reference}"),
        }
    }

    /// The (name, version) a registry package's key encodes, peer suffix removed.
    fn identity(self, key: &str) -> Option<(&str, &str)> {
        match self {
            PnpmKeys::Slash => {
                let path = key.strip_prefix('/')?;
                let name_end = if path.starts_with('@') {
                    let scope_end = path.find('/')?;
                    scope_end + 1 + path.get(scope_end + 1..)?.find('/')?
                } else {
                    path.find('/')?
                };
                let name = path.get(..name_end)?;
                let version = path.get(name_end + 1..)?;
                let version = version.split('_').next().unwrap_or_default();
                (!version.contains('/')).then_some((name, version))
            }
            PnpmKeys::SlashAt => split_at_name(without_peers(key.strip_prefix('/')?)),
            PnpmKeys::At => split_at_name(without_peers(key)),
        }
    }
}

fn without_peers(key: &str) -> &str {
    key.find('(').and_then(|i| key.get(..i)).unwrap_or(key)
}

fn pnpm_lockfile_major(value: Option<&Yaml>) -> Result<u64, ParseError> {
    let major = match value {
        Some(Yaml::Number(n)) => n.as_f64().filter(|f| f.is_finite() && *f >= 0.0).map(|f| f.trunc() as u64),
        Some(Yaml::String(s)) => {
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        }
        _ => None,
    };
    major.ok_or_else(|| ParseError::new("pnpm-lock.yaml has no usable lockfileVersion"))
}

/// A dependency list's entries as (name, reference): 5.x writes the reference directly,
/// 6.x and 9.x as `{specifier, version}`.
fn dependency_references(list: Option<&Yaml>) -> Vec<(&str, &str)> {
    let Some(list) = list.and_then(Yaml::as_mapping) else { return Vec::new() };
    list.iter()
        .filter_map(|(name, value)| {
            let reference = match value {
                Yaml::String(s) => s.as_str(),
                other => other.get("version").and_then(Yaml::as_str)?,
            };
            Some((name.as_str()?, reference))
        })
        .collect()
}

/// A pnpm lock file, lockfileVersion 5.x, 6.x or 9.x.
pub fn parse_pnpm_lock(content: &[u8]) -> Result<Parsed, ParseError> {
    let document: Yaml = serde_norway::from_slice(strip_bom(content))
        .map_err(|e| ParseError::new(format!("pnpm-lock.yaml is not valid YAML: {e}")))?;
    let Some(root) = document.as_mapping() else {
        return Err(ParseError::new("pnpm-lock.yaml is not a YAML mapping"));
    };
    let keys = match pnpm_lockfile_major(root.get("lockfileVersion"))? {
        5 => PnpmKeys::Slash,
        6 => PnpmKeys::SlashAt,
        9 => PnpmKeys::At,
        other => {
            return Err(ParseError::new(format!("unsupported pnpm lockfileVersion {other}")));
        }
    };
    let packages_section = match root.get("packages") {
        None | Some(Yaml::Null) => None,
        Some(Yaml::Mapping(m)) => Some(m),
        Some(_) => return Err(ParseError::new("pnpm-lock.yaml packages is not a mapping")),
    };

    let mut warnings = Warnings::default();
    let mut found = UniquePackages::default();
    let mut index_by_key: HashMap<&str, usize> = HashMap::new();
    // Per package: every key variant marked `dev: true` (5.x/6.x).
    let mut dev_only: Vec<bool> = Vec::new();

    for (key, fields) in packages_section.into_iter().flatten() {
        let Some(key) = key.as_str() else {
            warnings.push("pnpm-lock.yaml has a package whose key is not a string; skipped".to_string());
            continue;
        };
        let declared = |field: &str| fields.get(field).and_then(Yaml::as_str);
        let from_key = keys.identity(key);
        if from_key.is_some_and(|(_, v)| is_local_source(v)) || is_local_source(key.trim_start_matches('/')) {
            continue;
        }
        let name = declared("name").or(from_key.map(|(n, _)| n));
        let version = declared("version").or(from_key.map(|(_, v)| v));
        let (Some(name), Some(version)) = (name, version) else {
            warnings.push(format!("pnpm-lock.yaml package \"{key}\" has no name or version; skipped"));
            continue;
        };
        if !is_valid_name(name) || !is_valid_version(version) {
            warnings.push(format!("pnpm-lock.yaml package \"{key}\" has no usable name or version; skipped"));
            continue;
        }
        let i = found.insert(name, version);
        let is_dev = fields.get("dev").and_then(Yaml::as_bool) == Some(true);
        match dev_only.get_mut(i) {
            Some(flag) => *flag &= is_dev,
            None => dev_only.push(is_dev),
        }
        index_by_key.insert(key, i);
    }

    // Direct dependencies: of each importer (workspace), or of the single project at the
    // top level (5.x/6.x without workspaces).
    let mut project_lists: Vec<&Yaml> = Vec::new();
    if let Some(importers) = root.get("importers").and_then(Yaml::as_mapping) {
        project_lists.extend(importers.values());
    }
    let top_level_lists = ["dependencies", "devDependencies", "optionalDependencies", "specifiers"];
    if top_level_lists.iter().any(|list| root.get(*list).is_some()) {
        project_lists.push(&document);
    }
    let locate = |name: &str, reference: &str| -> Option<usize> {
        if is_local_source(reference) {
            return None;
        }
        [keys.key_for(name, reference), reference.to_string()].iter().find_map(|candidate| {
            let lookup = if keys == PnpmKeys::At { without_peers(candidate) } else { candidate };
            index_by_key.get(lookup).copied()
        })
    };
    let mut direct = vec![false; found.packages.len()];
    let mut prod_roots: Vec<(&str, &str)> = Vec::new();
    let mut dev_roots: Vec<(&str, &str)> = Vec::new();
    for project in &project_lists {
        let prod = dependency_references(project.get("dependencies"))
            .into_iter()
            .chain(dependency_references(project.get("optionalDependencies")));
        let dev = dependency_references(project.get("devDependencies"));
        for (name, reference) in prod.clone().chain(dev.iter().copied()) {
            if let Some(flag) = locate(name, reference).and_then(|i| direct.get_mut(i)) {
                *flag = true;
            }
        }
        prod_roots.extend(prod);
        dev_roots.extend(dev);
    }
    let has_projects = !project_lists.is_empty();

    let dev_flags: Vec<Option<bool>> = if keys == PnpmKeys::At {
        match root.get("snapshots").and_then(Yaml::as_mapping) {
            Some(snapshots) => {
                snapshot_dev_flags(snapshots, &prod_roots, &dev_roots, &index_by_key, found.packages.len())
            }
            None => vec![None; found.packages.len()],
        }
    } else {
        dev_only.iter().map(|&d| Some(d)).collect()
    };

    for (i, package) in found.packages.iter_mut().enumerate() {
        package.dev = dev_flags.get(i).copied().flatten();
        if has_projects {
            package.direct = direct.get(i).copied();
        }
    }
    Ok(Parsed { packages: found.packages, warnings: warnings.finish() })
}

/// pnpm 9: walk `snapshots` from the importers' production dependencies, then from their
/// dev dependencies; a package only the second walk reaches is dev.
fn snapshot_dev_flags(
    snapshots: &serde_norway::Mapping,
    prod_roots: &[(&str, &str)],
    dev_roots: &[(&str, &str)],
    index_by_key: &HashMap<&str, usize>,
    package_count: usize,
) -> Vec<Option<bool>> {
    let children: HashMap<&str, Vec<(&str, &str)>> = snapshots
        .iter()
        .filter_map(|(key, fields)| {
            let deps = dependency_references(fields.get("dependencies"))
                .into_iter()
                .chain(dependency_references(fields.get("optionalDependencies")))
                .collect();
            Some((key.as_str()?, deps))
        })
        .collect();
    let snapshot_key = |name: &str, reference: &str| -> Option<&str> {
        if is_local_source(reference) {
            return None;
        }
        let composed = format!("{name}@{reference}");
        children.get_key_value(composed.as_str()).or_else(|| children.get_key_value(reference)).map(|(k, _)| *k)
    };
    let reach = |roots: &[(&str, &str)]| -> HashSet<&str> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut queue: VecDeque<&str> = roots.iter().filter_map(|(n, r)| snapshot_key(n, r)).collect();
        while let Some(key) = queue.pop_front() {
            if !seen.insert(key) {
                continue;
            }
            for (name, reference) in children.get(key).into_iter().flatten() {
                if let Some(next) = snapshot_key(name, reference)
                    && !seen.contains(next)
                {
                    queue.push_back(next);
                }
            }
        }
        seen
    };
    let mark = |reached: HashSet<&str>| -> Vec<bool> {
        let mut flags = vec![false; package_count];
        for key in reached {
            if let Some(flag) = index_by_key.get(without_peers(key)).and_then(|&i| flags.get_mut(i)) {
                *flag = true;
            }
        }
        flags
    };
    let prod = mark(reach(prod_roots));
    let dev = mark(reach(dev_roots));
    prod.into_iter()
        .zip(dev)
        .map(|(in_prod, in_dev)| match (in_prod, in_dev) {
            (true, _) => Some(false),
            (false, true) => Some(true),
            (false, false) => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::fixture;

    /// (name, version, dev, direct) sorted, for exact comparison.
    type Row = (String, String, Option<bool>, Option<bool>);

    fn rows(parsed: &Parsed) -> Vec<Row> {
        let mut rows: Vec<Row> =
            parsed.packages.iter().map(|p| (p.name.clone(), p.version.clone(), p.dev, p.direct)).collect();
        rows.sort();
        rows
    }

    fn expect(list: &[(&str, &str, Option<bool>, Option<bool>)]) -> Vec<Row> {
        let mut rows: Vec<Row> =
            list.iter().map(|(n, v, dev, direct)| (n.to_string(), v.to_string(), *dev, *direct)).collect();
        rows.sort();
        rows
    }

    fn sub_paths(parsed: &Parsed) -> Vec<(String, String)> {
        let mut paths: Vec<(String, String)> = parsed
            .packages
            .iter()
            .map(|p| (p.sub_path.clone().unwrap_or_default(), format!("{}@{}", p.name, p.version)))
            .collect();
        paths.sort();
        paths
    }

    const T: Option<bool> = Some(true);
    const F: Option<bool> = Some(false);
    const N: Option<bool> = None;

    /// The fixture project as `npm ls --all` shows it: (name, version, dev, direct).
    /// `my-ms` is the alias `npm:ms@2.1.2`; `is-number` 7 is the only dev dependency.
    const FIXTURE_PROJECT: &[(&str, &str, Option<bool>, Option<bool>)] = &[
        ("@xmldom/xmldom", "0.8.10", F, T),
        ("debug", "2.6.9", F, T),
        ("ms", "2.0.0", F, F),
        ("is-number", "7.0.0", T, T),
        ("is-odd", "3.0.1", F, T),
        ("is-number", "6.0.0", F, F),
        ("js-tokens", "4.0.0", F, F),
        ("loose-envify", "1.4.0", F, F),
        ("ms", "2.1.3", F, T),
        ("ms", "2.1.2", F, T),
        ("path-parse", "1.0.7", F, F),
        ("react", "18.2.0", F, T),
        ("resolve", "1.10.0", F, T),
        ("use-sync-external-store", "1.2.0", F, T),
    ];

    fn fixture_project_with(dev: Option<Option<bool>>, direct: impl Fn(Option<bool>) -> Option<bool>) -> Vec<Row> {
        expect(&FIXTURE_PROJECT.iter().map(|&(n, v, d, t)| (n, v, dev.unwrap_or(d), direct(t))).collect::<Vec<_>>())
    }

    fn install_paths() -> Vec<(String, String)> {
        let mut paths: Vec<(String, String)> = [
            ("node_modules/@xmldom/xmldom", "@xmldom/xmldom@0.8.10"),
            ("node_modules/debug", "debug@2.6.9"),
            ("node_modules/debug/node_modules/ms", "ms@2.0.0"),
            ("node_modules/is-number", "is-number@7.0.0"),
            ("node_modules/is-odd", "is-odd@3.0.1"),
            ("node_modules/is-odd/node_modules/is-number", "is-number@6.0.0"),
            ("node_modules/js-tokens", "js-tokens@4.0.0"),
            ("node_modules/loose-envify", "loose-envify@1.4.0"),
            ("node_modules/ms", "ms@2.1.3"),
            ("node_modules/my-ms", "ms@2.1.2"),
            ("node_modules/path-parse", "path-parse@1.0.7"),
            ("node_modules/react", "react@18.2.0"),
            ("node_modules/resolve", "resolve@1.10.0"),
            ("node_modules/use-sync-external-store", "use-sync-external-store@1.2.0"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        paths.sort();
        paths
    }

    // ---- package.json -------------------------------------------------------------------

    #[test]
    fn package_json_modern_scoped() {
        let p = parse_package_json(&fixture("javascript/package-json/xmldom-0.8.10.json")).unwrap().unwrap();
        assert_eq!((p.name.as_str(), p.version.as_str()), ("@xmldom/xmldom", "0.8.10"));
        assert_eq!(p.licenses, ["MIT"]);
        assert_eq!((p.direct, p.dev, p.sub_path), (None, None, None));
    }

    #[test]
    fn package_json_alias_folder_has_real_name() {
        let p = parse_package_json(&fixture("javascript/package-json/my-ms-alias-of-ms-2.1.2.json")).unwrap().unwrap();
        assert_eq!((p.name.as_str(), p.version.as_str()), ("ms", "2.1.2"));
        let p = parse_package_json(&fixture("javascript/package-json/ms-2.0.0.json")).unwrap().unwrap();
        assert_eq!((p.name.as_str(), p.version.as_str()), ("ms", "2.0.0"));
    }

    #[test]
    fn package_json_old_npm_legacy_license_object() {
        let p = parse_package_json(&fixture("javascript/package-json/minimatch-0.2.14-npm6.json")).unwrap().unwrap();
        assert_eq!((p.name.as_str(), p.version.as_str()), ("minimatch", "0.2.14"));
        assert_eq!(p.licenses, ["MIT"]);
    }

    #[test]
    fn package_json_legacy_licenses_array() {
        let p = parse_package_json(&fixture("javascript/package-json/json-schema-0.2.3-npm6.json")).unwrap().unwrap();
        assert_eq!((p.name.as_str(), p.version.as_str()), ("json-schema", "0.2.3"));
        assert_eq!(p.licenses, ["AFLv2.1", "BSD"]);
    }

    #[test]
    fn package_json_project_root_is_none() {
        assert_eq!(parse_package_json(&fixture("javascript/package-json/workspace-root.json")).unwrap(), None);
        assert_eq!(parse_package_json(br#"{"version":"1.0.0"}"#).unwrap(), None);
        assert_eq!(parse_package_json(br#"{"name":"x","version":1}"#).unwrap(), None);
        assert_eq!(parse_package_json(br#"{"name":"has space","version":"1.0.0"}"#).unwrap(), None);
    }

    #[test]
    fn package_json_license_shapes() {
        let licenses = |json: &str| parse_package_json(json.as_bytes()).unwrap().unwrap().licenses;
        assert_eq!(licenses(r#"{"name":"a","version":"1","license":"(MIT OR Apache-2.0)"}"#), ["(MIT OR Apache-2.0)"]);
        assert_eq!(licenses(r#"{"name":"a","version":"1","license":["MIT","Apache2"]}"#), ["MIT", "Apache2"]);
        assert_eq!(
            licenses(r#"{"name":"a","version":"1","license":[{"type":"Public Domain"},{"type":"MIT"}]}"#),
            ["Public Domain", "MIT"]
        );
        assert_eq!(licenses(r#"{"name":"a","version":"1","licenses":["MIT"]}"#), ["MIT"]);
        assert_eq!(licenses(r#"{"name":"a","version":"1","license":"ISC","licenses":["MIT"]}"#), ["ISC"]);
        assert!(licenses(r#"{"name":"a","version":"1","license":{"url":"x"},"licenses":5}"#).is_empty());
    }

    #[test]
    fn package_json_hostile() {
        assert!(parse_package_json(b"").is_err());
        assert!(parse_package_json(b"\x00\xff garbage").is_err());
        assert!(parse_package_json(b"[1,2]").is_err());
        assert!(parse_package_json(br#"{"name":"a","version":"1.0"#).is_err());
        let p = parse_package_json(b"\xEF\xBB\xBF{\"name\":\"a\",\"version\":\"1.0.0\"}").unwrap().unwrap();
        assert_eq!(p.name, "a");
    }

    // ---- package-lock.json --------------------------------------------------------------

    #[test]
    fn package_lock_v1_npm6() {
        let parsed = parse_package_lock(&fixture("javascript/package-lock-v1.json")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        // v1 cannot tell whether a top-level package that something else requires is also
        // one the root asked for: those stay unknown.
        let ambiguous = ["js-tokens", "loose-envify", "path-parse"];
        let expected: Vec<_> =
            FIXTURE_PROJECT.iter().map(|&(n, v, d, t)| (n, v, d, if ambiguous.contains(&n) { N } else { t })).collect();
        assert_eq!(rows(&parsed), expect(&expected));
        assert_eq!(sub_paths(&parsed), install_paths());
    }

    #[test]
    fn package_lock_v1_written_by_npm11() {
        let parsed = parse_package_lock(&fixture("javascript/package-lock-v1-npm11.json")).unwrap();
        let ambiguous = ["js-tokens", "loose-envify", "path-parse"];
        let expected: Vec<_> =
            FIXTURE_PROJECT.iter().map(|&(n, v, d, t)| (n, v, d, if ambiguous.contains(&n) { N } else { t })).collect();
        assert_eq!(rows(&parsed), expect(&expected));
        assert_eq!(sub_paths(&parsed), install_paths());
    }

    #[test]
    fn package_lock_v2() {
        let parsed = parse_package_lock(&fixture("javascript/package-lock-v2.json")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(rows(&parsed), expect(FIXTURE_PROJECT));
        assert_eq!(sub_paths(&parsed), install_paths());
    }

    #[test]
    fn package_lock_v3() {
        let parsed = parse_package_lock(&fixture("javascript/package-lock-v3.json")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(rows(&parsed), expect(FIXTURE_PROJECT));
        assert_eq!(sub_paths(&parsed), install_paths());
        assert!(parsed.packages.iter().all(|p| p.licenses == ["MIT"]));
    }

    #[test]
    fn hidden_package_lock_has_no_root_so_direct_is_unknown() {
        let parsed = parse_package_lock(&fixture("javascript/hidden-package-lock.json")).unwrap();
        assert_eq!(rows(&parsed), fixture_project_with(None, |_| N));
        assert_eq!(sub_paths(&parsed), install_paths());
    }

    #[test]
    fn package_lock_v3_workspace() {
        let parsed = parse_package_lock(&fixture("javascript/package-lock-v3-workspace.json")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        // lib-a is the workspace member (first-party); its own dependencies are direct.
        assert_eq!(
            rows(&parsed),
            expect(&[("is-number", "7.0.0", T, T), ("ms", "2.1.3", F, T), ("ms", "2.0.0", F, T)])
        );
        let paths: Vec<_> = sub_paths(&parsed).into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["node_modules/is-number", "node_modules/ms", "packages/lib-a/node_modules/ms"]);
    }

    #[test]
    fn package_lock_dev_optional_is_not_dev_and_links_are_skipped() {
        let lock = br#"{"lockfileVersion":3,"packages":{
            "":{"dependencies":{"a":"1"},"devDependencies":{"w":"*"}},
            "node_modules/a":{"version":"1.0.0","devOptional":true},
            "node_modules/b":{"version":"2.0.0","dev":true,"optional":true},
            "node_modules/w":{"resolved":"packages/w","link":true},
            "packages/w":{"version":"0.1.0","dependencies":{"b":"2"}}}}"#;
        let parsed = parse_package_lock(lock).unwrap();
        assert_eq!(rows(&parsed), expect(&[("a", "1.0.0", F, T), ("b", "2.0.0", T, T)]));
    }

    #[test]
    fn package_lock_keeps_copies_at_different_paths_but_not_duplicates() {
        let lock = br#"{"lockfileVersion":2,"packages":{"":{},
            "node_modules/a":{"version":"1.0.0"},
            "node_modules/b/node_modules/a":{"version":"1.0.0"},
            "node_modules/a":{"version":"1.0.0"}}}"#;
        let parsed = parse_package_lock(lock).unwrap();
        assert_eq!(parsed.packages.len(), 2);
    }

    #[test]
    fn package_lock_bad_entries_are_warnings() {
        let lock = br#"{"lockfileVersion":3,"packages":{"":{"dependencies":5},
            "node_modules/a":{"version":7},
            "node_modules/b":"junk",
            "node_modules/":{"version":"1.0.0"},
            "node_modules/@scope":{"version":"1.0.0"},
            "node_modules/c":{"version":"1.0.0","name":{"x":1},"dev":"yes"},
            "node_modules/d":{"version":"1.0.0","dev":true}}}"#;
        let parsed = parse_package_lock(lock).unwrap();
        assert_eq!(rows(&parsed), expect(&[("c", "1.0.0", F, F), ("d", "1.0.0", T, F)]));
        assert_eq!(parsed.warnings.len(), 4, "{:?}", parsed.warnings);
        assert!(parsed.warnings.iter().all(|w| !w.contains("package-lock.json")));
    }

    #[test]
    fn package_lock_v1_aliases_git_and_local_sources() {
        let lock = br#"{"lockfileVersion":1,"requires":true,"dependencies":{
            "al":{"version":"npm:@s/real@2.0.0"},
            "g":{"version":"git+https://user:secret@example.invalid/g.git#abc"},
            "loc":{"version":"file:../loc"},
            "bad":{"version":["1"]}}}"#;
        let parsed = parse_package_lock(lock).unwrap();
        assert_eq!(
            rows(&parsed),
            expect(&[("@s/real", "2.0.0", F, T), ("g", "git+https://example.invalid/g.git#abc", F, T)])
        );
        assert_eq!(parsed.warnings.len(), 1);
    }

    #[test]
    fn package_lock_hostile() {
        for bad in [
            &b""[..],
            b"garbage",
            b"\x00\x01\x02",
            br#"{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1"#,
            br#"{"lockfileVersion":99,"packages":{}}"#,
            br#"{"lockfileVersion":"3","packages":{}}"#,
            br#"{}"#,
            br#"[]"#,
        ] {
            assert!(parse_package_lock(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(parse_package_lock(br#"{"lockfileVersion":3}"#).unwrap(), Parsed::default());
        assert_eq!(parse_package_lock(br#"{"lockfileVersion":3,"packages":7}"#).unwrap(), Parsed::default());
    }

    #[test]
    fn package_lock_v1_deep_nesting_does_not_overflow() {
        let depth = 20_000;
        let mut lock = String::from(r#"{"lockfileVersion":1,"requires":true,"dependencies":"#);
        for _ in 0..depth {
            lock.push_str(r#"{"a":{"version":"1.0.0","dependencies":"#);
        }
        lock.push_str("{}");
        for _ in 0..depth {
            lock.push_str("}}");
        }
        lock.push('}');
        // serde_json's recursion limit turns this into an error long before the stack runs out.
        assert!(parse_package_lock(lock.as_bytes()).is_err());

        // A shallow-enough chain is walked completely, without recursion.
        let depth = 40;
        let mut lock = String::from(r#"{"lockfileVersion":1,"requires":true,"dependencies":"#);
        for _ in 0..depth {
            lock.push_str(r#"{"a":{"version":"1.0.0","dependencies":"#);
        }
        lock.push_str("{}");
        for _ in 0..depth {
            lock.push_str("}}");
        }
        lock.push('}');
        let parsed = parse_package_lock(lock.as_bytes()).unwrap();
        assert_eq!(parsed.packages.len(), depth);
        let deepest = parsed.packages.last().and_then(|p| p.sub_path.as_deref()).unwrap();
        assert_eq!(deepest.matches("node_modules/a").count(), depth);
    }

    #[test]
    fn package_lock_large_v3() {
        let count = 100_000;
        let mut lock = String::from(
            r#"{"name":"big","lockfileVersion":3,"requires":true,"packages":{"":{"name":"big","dependencies":{"pkg-0":"1.0.0"}}"#,
        );
        for i in 0..count {
            lock.push_str(&format!(
                r#","node_modules/pkg-{i}":{{"version":"1.0.{i}","resolved":"https://registry.invalid/pkg-{i}/-/pkg-{i}-1.0.{i}.tgz","integrity":"sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==","license":"MIT","dependencies":{{"x":"^1.0.0","y":"^2.0.0"}},"engines":{{"node":">=8"}}}}"#
            ));
        }
        lock.push_str("}}");
        let started = std::time::Instant::now();
        let parsed = parse_package_lock(lock.as_bytes()).unwrap();
        eprintln!("{} MB v3 lock parsed in {:?}", lock.len() / 1_000_000, started.elapsed());
        assert_eq!(parsed.packages.len(), count);
        assert_eq!(parsed.packages.iter().filter(|p| p.direct == T).count(), 1);
    }

    // ---- yarn.lock ----------------------------------------------------------------------

    #[test]
    fn yarn_classic() {
        let parsed = parse_yarn_lock(&fixture("javascript/yarn-v1.lock")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(rows(&parsed), fixture_project_with(Some(N), |_| N));
    }

    #[test]
    fn yarn_berry() {
        let parsed = parse_yarn_lock(&fixture("javascript/yarn-berry.lock")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        // resolve@1.10.0 appears twice (npm and its builtin patch): reported once.
        assert_eq!(rows(&parsed), fixture_project_with(Some(N), |t| t));
    }

    #[test]
    fn yarn_classic_multiple_specifiers_and_quoting() {
        let lock = "# yarn lockfile v1\n\n\n\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n  version \"7.12.13\"\n  dependencies:\n    \"@babel/highlight\" \"^7.12.13\"\n\nms@2.1.2, \"alias@npm:ms@2.1.2\":\n  version \"2.1.2\"\n\n\"alias2@npm:ms@2.1.2\":\n  version \"2.1.2\"\n\nlocal@file:./local:\n  version \"1.0.0\"\n\nnoversion@1:\n  resolved \"x\"\n\n\"@\", \"^1.0.0\":\n  version \"1.0.0\"\n";
        let parsed = parse_yarn_lock(lock.as_bytes()).unwrap();
        assert_eq!(rows(&parsed), expect(&[("@babel/code-frame", "7.12.13", N, N), ("ms", "2.1.2", N, N)]));
        assert_eq!(parsed.warnings.len(), 2, "{:?}", parsed.warnings);
    }

    #[test]
    fn yarn_berry_older_dependency_form_and_skipped_protocols() {
        let lock = "__metadata:\n  version: 6\n  cacheKey: 8\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n  dependencies:\n    a: ^1.0.0\n    l: \"link:./l\"\n\n\"a@npm:^1.0.0, a@npm:^1.1.0\":\n  version: 1.2.0\n  resolution: \"a@npm:1.2.0\"\n  dependencies:\n    b: ^2.0.0\n\n\"b@npm:^2.0.0\":\n  version: 2.0.1\n  resolution: \"b@npm:2.0.1\"\n\n\"l@link:./l::locator=app%40workspace%3A.\":\n  version: 0.0.0-use.local\n  resolution: \"l@link:./l::locator=app%40workspace%3A.\"\n\n\"c@npm:1\":\n  version: 1\n  resolution: \"c@npm:1.0.0\"\n\n\"d@npm:1\":\n  version: 1.0.0\n\n\"nameless\":\n  version: 1.0.0\n  resolution: \"nameless\"\n";
        let parsed = parse_yarn_lock(lock.as_bytes()).unwrap();
        assert_eq!(rows(&parsed), expect(&[("a", "1.2.0", N, T), ("b", "2.0.1", N, F)]));
        assert_eq!(parsed.warnings.len(), 3, "{:?}", parsed.warnings);
    }

    #[test]
    fn yarn_hostile() {
        for bad in [
            &b""[..],
            b"   \n\n",
            b"\xff\xfe\x00",
            b"garbage without structure",
            b"__metadata:\n  version: [1,\n",
            b"__metadata: 5\n",
            b"__metadata:\n  version: 8\n\"a@npm:1\": [\n",
        ] {
            assert!(parse_yarn_lock(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        // A header alone is a lock file with no dependencies.
        assert_eq!(parse_yarn_lock(b"# yarn lockfile v1\n\n").unwrap(), Parsed::default());
        // Truncated classic: the last entry has no version.
        let parsed = parse_yarn_lock(b"# yarn lockfile v1\n\na@^1:\n  version \"1.0.0\"\n\nb@^2:\n  vers").unwrap();
        assert_eq!(parsed.packages.len(), 1);
        assert_eq!(parsed.warnings.len(), 1);
        // Deep YAML nesting hits serde_norway's recursion limit, not the stack.
        let deep = format!("__metadata:\n  version: 8\nx: {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
        assert!(parse_yarn_lock(deep.as_bytes()).is_err());
    }

    // ---- pnpm-lock.yaml -----------------------------------------------------------------

    #[test]
    fn pnpm_v5() {
        let parsed = parse_pnpm_lock(&fixture("javascript/pnpm-lock-v5.yaml")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(rows(&parsed), expect(FIXTURE_PROJECT));
    }

    #[test]
    fn pnpm_v6() {
        let parsed = parse_pnpm_lock(&fixture("javascript/pnpm-lock-v6.yaml")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(rows(&parsed), expect(FIXTURE_PROJECT));
    }

    #[test]
    fn pnpm_v9() {
        let parsed = parse_pnpm_lock(&fixture("javascript/pnpm-lock-v9.yaml")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(rows(&parsed), expect(FIXTURE_PROJECT));
    }

    #[test]
    fn pnpm_v9_workspace() {
        let parsed = parse_pnpm_lock(&fixture("javascript/pnpm-lock-v9-workspace.yaml")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(
            rows(&parsed),
            expect(&[("is-number", "7.0.0", T, T), ("ms", "2.1.3", F, T), ("ms", "2.0.0", F, T)])
        );
    }

    #[test]
    fn pnpm_peer_variants_merge_and_transitive_dev() {
        // Two peer variants of one package: production if either variant is.
        let v6 = "lockfileVersion: '6.0'\ndependencies:\n  a:\n    specifier: ^1\n    version: 1.0.0(p@1.0.0)\ndevDependencies:\n  t:\n    specifier: ^1\n    version: 1.0.0\npackages:\n  /a@1.0.0(p@1.0.0):\n    dev: false\n  /a@1.0.0(p@2.0.0):\n    dev: true\n  /t@1.0.0:\n    dev: true\n  /@s/u@2.0.0:\n    dev: true\n";
        let parsed = parse_pnpm_lock(v6.as_bytes()).unwrap();
        assert_eq!(rows(&parsed), expect(&[("a", "1.0.0", F, T), ("t", "1.0.0", T, T), ("@s/u", "2.0.0", T, F)]));

        let v5 = "lockfileVersion: 5.3\nspecifiers:\n  a: ^1\ndependencies:\n  a: 1.0.0_p@1.0.0\npackages:\n  /a/1.0.0_p@1.0.0:\n    dev: false\n  /@s/u/2.0.0:\n    dev: true\n  github.com/o/r/abc:\n    name: r\n    version: 3.0.0\n  /bad/path/1.0.0:\n    dev: false\n";
        let parsed = parse_pnpm_lock(v5.as_bytes()).unwrap();
        assert_eq!(rows(&parsed), expect(&[("a", "1.0.0", F, T), ("@s/u", "2.0.0", T, F), ("r", "3.0.0", F, F)]));
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);

        // pnpm 9: dev-ness comes from walking snapshots; `shared` is reached by both.
        let v9 = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0(p@1.0.0)\n    devDependencies:\n      t:\n        specifier: ^1\n        version: 1.0.0\n      loc:\n        specifier: link:../loc\n        version: link:../loc\npackages:\n  a@1.0.0:\n    resolution: {integrity: x}\n  p@1.0.0: {}\n  t@1.0.0: {}\n  shared@1.0.0: {}\n  only-dev@1.0.0: {}\n  orphan@1.0.0: {}\nsnapshots:\n  a@1.0.0(p@1.0.0):\n    dependencies:\n      p: 1.0.0\n      shared: 1.0.0\n  p@1.0.0: {}\n  t@1.0.0:\n    dependencies:\n      shared: 1.0.0\n      od: only-dev@1.0.0\n  shared@1.0.0: {}\n  only-dev@1.0.0: {}\n  orphan@1.0.0: {}\n";
        let parsed = parse_pnpm_lock(v9.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            expect(&[
                ("a", "1.0.0", F, T),
                ("p", "1.0.0", F, F),
                ("t", "1.0.0", T, T),
                ("shared", "1.0.0", F, F),
                ("only-dev", "1.0.0", T, F),
                ("orphan", "1.0.0", N, F),
            ])
        );
    }

    #[test]
    fn pnpm_hostile() {
        for bad in [
            &b""[..],
            b"garbage: [",
            b"\xff\xfe",
            b"- a\n- b\n",
            b"lockfileVersion: 99\npackages: {}\n",
            b"lockfileVersion: '99.0'\n",
            b"lockfileVersion: [5]\n",
            b"packages:\n  /a/1.0.0: {}\n",
            b"lockfileVersion: '9.0'\npackages: [1, 2]\n",
            b"lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: x\n",
        ] {
            assert!(parse_pnpm_lock(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let odd = "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: 5\n  '@x': {}\n  7: {}\n  b@: {}\n  c@1.0.0:\n    version: [1]\n  d@2.0.0: {}\nsnapshots: 5\n";
        let parsed = parse_pnpm_lock(odd.as_bytes()).unwrap();
        // `a@1.0.0: 5` still names a package; the rest have no usable name or version.
        assert_eq!(rows(&parsed), expect(&[("a", "1.0.0", N, N), ("c", "1.0.0", N, N), ("d", "2.0.0", N, N)]));
        assert_eq!(parsed.warnings.len(), 3, "{:?}", parsed.warnings);
    }

    #[test]
    fn helpers() {
        assert_eq!(split_at_name("@s/n@^1.0.0"), Some(("@s/n", "^1.0.0")));
        assert_eq!(split_at_name("n@npm:m@1"), Some(("n", "npm:m@1")));
        assert_eq!(split_at_name("n"), None);
        assert_eq!(split_at_name("é@1"), Some(("é", "1")));
        assert_eq!(without_url_password("https://u:p@h/x.tgz"), "https://h/x.tgz");
        assert_eq!(without_url_password("git+ssh://git@h/x.git#a"), "git+ssh://git@h/x.git#a");
        assert_eq!(without_url_password("1.0.0"), "1.0.0");
        assert_eq!(install_name("node_modules/a/node_modules/@s/b"), Some("@s/b"));
        assert_eq!(install_name("xnode_modules/a"), None);
        assert_eq!(install_name("node_modules/@s"), None);
        assert_eq!(PnpmKeys::Slash.identity("/@s/n/1.0.0_p@2"), Some(("@s/n", "1.0.0")));
        assert_eq!(PnpmKeys::SlashAt.identity("/@s/n@1.0.0(p@2)(q@3)"), Some(("@s/n", "1.0.0")));
        assert_eq!(PnpmKeys::At.identity("n@1.0.0(p@2)"), Some(("n", "1.0.0")));
    }
}
