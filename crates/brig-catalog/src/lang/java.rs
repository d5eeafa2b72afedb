//! Java archives (`.jar`, `.war`, `.ear`, `.par`, `.sar`, `.jpi`, `.hpi`, `.kar`, `.nar`):
//! the Maven artifacts they are and hold, read in one forward pass with [`ZipStream`].
//!
//! What counts as a package:
//! - every `META-INF/maven/<group>/<artifact>/pom.properties` (also under
//!   `BOOT-INF/classes/` and `WEB-INF/classes/`): Maven writes one per artifact it builds,
//!   and shading plugins copy those of the artifacts they merge, so an uber jar holds many.
//!   The archive's own identity is the one whose artifactId matches the file name, else
//!   the one the manifest names, else the only one; the others are reported with
//!   `sub_path` set to their pom.properties path (they are inside the file, not the file);
//! - when no pom.properties is the archive's own, an identity from the main section of
//!   `META-INF/MANIFEST.MF` and the file name (see `derive_identity`). Its name has no
//!   group, since neither says which Maven group an artifact belongs to
//!   (`Implementation-Vendor-Id` is an organisation, often but not always the groupId), so
//!   `name` is the bare artifact name and the caller decides how to make a purl of it;
//! - every nested archive (`WEB-INF/lib/*.jar`, `BOOT-INF/lib/*.jar`, an ear's wars and
//!   `lib/*.jar`, any entry with one of the extensions above), read by recursion on the
//!   entry's own stream, down to [`MAX_NESTING`] levels; `sub_path` is the chain of entry
//!   paths joined by `!/` (`app.war!/WEB-INF/lib/x.jar`).
//!
//! Licences come from the manifest's `Bundle-License` and go to the archive's own
//! identity. `pom.xml` is not read: pom.properties is what Maven writes for identity,
//! and a pom.xml's version may be inherited from a parent that is not in the archive.

use std::collections::HashSet;
use std::io::Read;

use brig_sbom::PackageKind;

use super::zipstream::{ZipLimits, ZipStream};
use super::{LangPackage, ParseError, Parsed, Warnings, strip_bom};

/// File extensions of the zip-based Java archives this module reads: Java EE web and
/// enterprise archives, JBoss service archives, Jenkins plugins, Karaf features, NiFi
/// archives (`.nar`, which bundle their dependencies as jars).
pub const ARCHIVE_EXTENSIONS: &[&str] = &["jar", "war", "ear", "par", "sar", "jpi", "hpi", "kar", "nar"];

/// Archives inside archives are read this many levels down; deeper ones get a warning.
pub const MAX_NESTING: usize = 4;

/// The manifest's main section comes first; signed jars append a digest section per
/// entry, which can run to megabytes and is not needed.
const MAX_MANIFEST_BYTES: usize = 1 << 20;
const MAX_POM_PROPERTIES_BYTES: usize = 64 << 10;
/// Packages kept from one file, nested archives included: a real uber jar shades a few
/// hundred artifacts; past this an archive is built to exhaust memory, not to run.
const MAX_PACKAGES: usize = 20_000;

/// Whether a path names a Java archive this module reads (by extension, any case).
pub fn is_java_archive(path: &str) -> bool {
    extension_of(base_name(path)).is_some()
}

/// Reads a Java archive and the archives nested in it. `file_name` (a path or a base
/// name) helps tell the archive's own identity from what it bundles.
pub fn parse_archive(file_name: &str, reader: &mut dyn Read) -> Result<Parsed, ParseError> {
    parse_archive_with_limits(file_name, reader, ZipLimits::default())
}

/// [`parse_archive`] with other limits; nested archives share the total budget.
pub fn parse_archive_with_limits(
    file_name: &str,
    reader: &mut dyn Read,
    limits: ZipLimits,
) -> Result<Parsed, ParseError> {
    let mut stream = ZipStream::new(reader, limits);
    let mut sink = Sink::default();
    parse_level(&mut stream, base_name(file_name), "", 0, &mut sink)?;
    Ok(sink.into_parsed())
}

/// Packages and warnings across all levels; warnings are capped so that an archive of
/// a million broken entries does not make a million sentences.
#[derive(Default)]
struct Sink {
    packages: Vec<LangPackage>,
    warnings: Warnings,
}

impl Sink {
    fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    fn into_parsed(self) -> Parsed {
        Parsed { packages: self.packages, warnings: self.warnings.finish() }
    }
}

/// What an entry is to this module.
#[derive(Debug, PartialEq, Eq)]
enum Role {
    Manifest,
    PomProperties,
    NestedArchive,
    Class,
    Other,
}

/// Where an application server or Spring Boot puts the archive's own classes, whose
/// `META-INF/maven` is as much the archive's as the top-level one.
const CLASS_ROOTS: &[&str] = &["BOOT-INF/classes/", "WEB-INF/classes/"];

fn classify(name: &str) -> Role {
    if name.ends_with('/') {
        return Role::Other;
    }
    if name.eq_ignore_ascii_case("META-INF/MANIFEST.MF") {
        return Role::Manifest;
    }
    if pom_coordinates_from_path(name).is_some() {
        return Role::PomProperties;
    }
    if is_java_archive(name) {
        return Role::NestedArchive;
    }
    if name.ends_with(".class") {
        return Role::Class;
    }
    Role::Other
}

/// `(group, artifact)` from `[classes root]META-INF/maven/<group>/<artifact>/pom.properties`.
fn pom_coordinates_from_path(name: &str) -> Option<(&str, &str)> {
    let rest = CLASS_ROOTS.iter().find_map(|root| name.strip_prefix(root)).unwrap_or(name);
    let rest = rest.strip_prefix("META-INF/maven/")?;
    let rest = rest.strip_suffix("/pom.properties")?;
    let (group, artifact) = rest.split_once('/')?;
    if group.is_empty() || artifact.is_empty() || artifact.contains('/') {
        return None;
    }
    Some((group, artifact))
}

fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The archive extension of a base name, if it has one of ours.
fn extension_of(base: &str) -> Option<&str> {
    let (stem, ext) = base.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    ARCHIVE_EXTENSIONS.iter().any(|known| ext.eq_ignore_ascii_case(known)).then_some(ext)
}

/// A base name without its archive extension.
fn archive_stem(base: &str) -> &str {
    match extension_of(base) {
        Some(ext) => &base[..base.len() - ext.len() - 1],
        None => base,
    }
}

fn join_chain(chain: &str, path: &str) -> String {
    if chain.is_empty() { path.to_string() } else { format!("{chain}!/{path}") }
}

fn in_chain(chain: &str, warning: String) -> String {
    if chain.is_empty() { warning } else { format!("in {chain}: {warning}") }
}

/// Reads one archive level: its manifest and pom.properties, and (recursively) its
/// nested archives, whose packages go to `sink` as they are found. This level's own
/// identity is decided at the end, when every pom.properties has been seen, and put
/// before the nested packages. Errs only when the stream is not a ZIP archive at all.
fn parse_level(
    stream: &mut ZipStream<'_>,
    archive_name: &str,
    chain: &str,
    depth: usize,
    sink: &mut Sink,
) -> Result<(), ParseError> {
    let first_package = sink.packages.len();
    let mut manifest: Option<Manifest> = None;
    let mut poms: Vec<PomProperties> = Vec::new();
    // The same coordinates twice (at the root and under BOOT-INF/classes/, or a
    // duplicated entry) are one artifact.
    let mut pom_coordinates: HashSet<(String, String, String)> = HashSet::new();
    let mut has_classes = false;
    let mut pom_cap_warned = false;

    while let Some(mut entry) = stream.next_entry()? {
        match classify(entry.name()) {
            Role::Other => {}
            Role::Class => has_classes = true,
            Role::Manifest => {
                // Java reads the first of duplicate entries; so do we.
                if manifest.is_some() {
                    continue;
                }
                match entry.read_prefix(MAX_MANIFEST_BYTES) {
                    Ok((bytes, _)) => {
                        let (parsed, complete) = Manifest::parse(&bytes);
                        if !complete && bytes.len() >= MAX_MANIFEST_BYTES {
                            let msg = format!(
                                "META-INF/MANIFEST.MF has a main section over {MAX_MANIFEST_BYTES} bytes; only its beginning was read"
                            );
                            sink.warn(in_chain(chain, msg));
                        }
                        manifest = Some(parsed);
                    }
                    Err(e) => sink.warn(in_chain(chain, format!("META-INF/MANIFEST.MF could not be read: {e}"))),
                }
            }
            Role::PomProperties => {
                let path = entry.name().to_owned();
                match entry.read_prefix(MAX_POM_PROPERTIES_BYTES) {
                    Ok((_, true)) => sink.warn(in_chain(
                        chain,
                        format!("{path} is larger than {MAX_POM_PROPERTIES_BYTES} bytes and was skipped"),
                    )),
                    Ok((bytes, false)) => match PomProperties::parse(&bytes, &path) {
                        Some(_) if poms.len() >= MAX_PACKAGES => {
                            if !pom_cap_warned {
                                pom_cap_warned = true;
                                sink.warn(in_chain(
                                    chain,
                                    format!("more than {MAX_PACKAGES} pom.properties; the rest were skipped"),
                                ));
                            }
                        }
                        Some(pom) => {
                            let key = (pom.group_id.clone(), pom.artifact_id.clone(), pom.version.clone());
                            if pom_coordinates.insert(key) {
                                poms.push(pom);
                            }
                        }
                        None => sink.warn(in_chain(chain, format!("{path} names no artifact and was skipped"))),
                    },
                    Err(e) => sink.warn(in_chain(chain, format!("{path} could not be read: {e}"))),
                }
            }
            Role::NestedArchive => {
                let path = entry.name().to_owned();
                let nested_chain = join_chain(chain, &path);
                if depth >= MAX_NESTING {
                    sink.warn(format!(
                        "{nested_chain} is nested more than {MAX_NESTING} archives deep and was not inspected"
                    ));
                    continue;
                }
                let mut nested = entry.open_nested();
                if let Err(e) = parse_level(&mut nested, base_name(&path), &nested_chain, depth + 1, sink) {
                    sink.warn(format!("{nested_chain} is not a readable archive: {e}"));
                }
            }
        }
    }
    for warning in stream.take_warnings() {
        sink.warn(in_chain(chain, warning));
    }

    let own_sub_path = (!chain.is_empty()).then(|| chain.to_string());
    let licenses = manifest.as_ref().map(|m| m.licenses()).unwrap_or_default();
    let own = choose_own(archive_stem(archive_name), &poms, manifest.as_ref(), has_classes);
    let mut level_packages = Vec::with_capacity(poms.len() + 1);
    match &own {
        Own::Pom(i) => {
            let mut pkg = poms[*i].to_package();
            pkg.sub_path = own_sub_path;
            pkg.licenses = licenses;
            level_packages.push(pkg);
        }
        Own::Derived { name, version } => {
            let mut pkg = LangPackage::new(PackageKind::Maven, name.clone(), version.clone());
            pkg.sub_path = own_sub_path;
            pkg.licenses = licenses;
            level_packages.push(pkg);
        }
        Own::Unknown => {}
    }
    let own_index = match own {
        Own::Pom(i) => Some(i),
        _ => None,
    };
    for (i, pom) in poms.iter().enumerate() {
        if Some(i) == own_index {
            continue;
        }
        let mut pkg = pom.to_package();
        pkg.sub_path = Some(join_chain(chain, &pom.path));
        level_packages.push(pkg);
    }
    // This level's packages before those of the archives nested in it.
    let room = MAX_PACKAGES.saturating_sub(sink.packages.len());
    if level_packages.len() > room {
        sink.warn(in_chain(chain, format!("more than {MAX_PACKAGES} packages were found; the rest were left out")));
        level_packages.truncate(room);
    }
    sink.packages.splice(first_package..first_package, level_packages);
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
enum Own {
    /// The pom.properties at this index is the archive's.
    Pom(usize),
    /// No pom.properties is: an identity from the manifest and file name.
    Derived { name: String, version: String },
    /// Nothing says what the archive is.
    Unknown,
}

fn choose_own(stem: &str, poms: &[PomProperties], manifest: Option<&Manifest>, has_classes: bool) -> Own {
    // The file name is what Maven and Gradle name an artifact after.
    let by_file: Vec<usize> = (0..poms.len()).filter(|&i| file_name_matches(stem, &poms[i])).collect();
    if by_file.len() == 1 {
        return Own::Pom(by_file[0]);
    }
    let exact: Vec<usize> = by_file.iter().copied().filter(|&i| file_name_has_version(stem, &poms[i])).collect();
    if exact.len() == 1 {
        return Own::Pom(exact[0]);
    }
    let candidates: Vec<usize> = if by_file.is_empty() { (0..poms.len()).collect() } else { by_file };
    if let Some(m) = manifest {
        let named: Vec<usize> = candidates.iter().copied().filter(|&i| m.names(&poms[i])).collect();
        if named.len() == 1 {
            return Own::Pom(named[0]);
        }
    }
    let derived = derive_identity(stem, manifest, has_classes);
    if poms.len() == 1 {
        // A lone pom.properties is the archive's, unless the manifest and the file name
        // agree on another name: then it was shaded in (a Gradle-built fat jar has no
        // pom.properties of its own).
        let pom = &poms[0];
        if let Some((name, _)) = &derived
            && manifest.is_some_and(|m| m.declares_name(name))
            && stem_starts_with_name(stem, name)
            && !name.eq_ignore_ascii_case(&pom.artifact_id)
        {
            return Own::Derived { name: name.clone(), version: derived.map(|d| d.1).unwrap_or_default() };
        }
        return Own::Pom(0);
    }
    match derived {
        Some((name, version)) => Own::Derived { name, version },
        None => Own::Unknown,
    }
}

/// `stem` is `artifact`, `artifact-<version>…`, or `artifact-<digit>…`.
fn file_name_matches(stem: &str, pom: &PomProperties) -> bool {
    stem == pom.artifact_id || file_name_has_version(stem, pom) || stem_starts_with_name(stem, &pom.artifact_id)
}

fn file_name_has_version(stem: &str, pom: &PomProperties) -> bool {
    if pom.version.is_empty() {
        return false;
    }
    let Some(rest) = stem.strip_prefix(pom.artifact_id.as_str()).and_then(|r| r.strip_prefix('-')) else {
        return false;
    };
    rest == pom.version || rest.strip_prefix(pom.version.as_str()).is_some_and(|r| r.starts_with('-'))
}

/// `stem` is `name` followed by `-` and something starting with a digit (a version).
fn stem_starts_with_name(stem: &str, name: &str) -> bool {
    stem.strip_prefix(name)
        .and_then(|r| r.strip_prefix('-'))
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// One `pom.properties`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PomProperties {
    path: String,
    group_id: String,
    artifact_id: String,
    version: String,
}

impl PomProperties {
    /// The properties' coordinates, falling back to the path's for a missing group or
    /// artifact. `None` when no artifact can be told.
    fn parse(bytes: &[u8], path: &str) -> Option<PomProperties> {
        let (mut group_id, mut artifact_id, mut version) = (None, None, None);
        for (key, value) in parse_properties(bytes) {
            let slot = match key.as_str() {
                "groupId" => &mut group_id,
                "artifactId" => &mut artifact_id,
                "version" => &mut version,
                _ => continue,
            };
            // The last assignment wins in java.util.Properties.
            *slot = usable(&value);
        }
        let from_path = pom_coordinates_from_path(path);
        let group_id = group_id.or_else(|| from_path.map(|(g, _)| g.to_string()))?;
        let artifact_id = artifact_id.or_else(|| from_path.map(|(_, a)| a.to_string()))?;
        Some(PomProperties { path: path.to_string(), group_id, artifact_id, version: version.unwrap_or_default() })
    }

    fn to_package(&self) -> LangPackage {
        LangPackage::new(PackageKind::Maven, format!("{}:{}", self.group_id, self.artifact_id), self.version.clone())
    }
}

/// A value worth keeping: trimmed, non-empty, and not a build placeholder left
/// unexpanded (`${project.version}`).
fn usable(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty() && !v.contains("${") && v.len() <= 256).then(|| v.to_string())
}

/// Key/value pairs of a `.properties` file as `java.util.Properties.load(InputStream)`
/// reads it: ISO-8859-1 text, `#`/`!` comments, `=`, `:` or whitespace between key and
/// value, backslash line continuations and escapes (`\t`, `\n`, `\uXXXX`, ...).
fn parse_properties(bytes: &[u8]) -> Vec<(String, String)> {
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    let mut pairs = Vec::new();
    let mut logical = String::new();
    let mut continuing = false;
    for raw in text.split(['\n', '\r']) {
        let line = raw.trim_start_matches([' ', '\t', '\x0c']);
        if !continuing {
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                continue;
            }
            logical.clear();
        }
        let trailing_backslashes = line.chars().rev().take_while(|&c| c == '\\').count();
        if trailing_backslashes % 2 == 1 {
            logical.push_str(&line[..line.len() - 1]);
            continuing = true;
            continue;
        }
        logical.push_str(line);
        continuing = false;
        pairs.push(split_property(&logical));
    }
    if continuing && !logical.is_empty() {
        pairs.push(split_property(&logical));
    }
    pairs
}

/// Splits a logical properties line into its unescaped key and value.
fn split_property(line: &str) -> (String, String) {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let mut key_end = chars.len();
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '=' | ':' | ' ' | '\t' | '\x0c' => {
                key_end = i;
                break;
            }
            _ => i += 1,
        }
    }
    let key_end = key_end.min(chars.len());
    let mut j = key_end;
    while j < chars.len() && matches!(chars[j], ' ' | '\t' | '\x0c') {
        j += 1;
    }
    if j < chars.len() && matches!(chars[j], '=' | ':') {
        j += 1;
        while j < chars.len() && matches!(chars[j], ' ' | '\t' | '\x0c') {
            j += 1;
        }
    }
    (unescape(&chars[..key_end]), unescape(&chars[j..]))
}

fn unescape(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\\' || i + 1 >= chars.len() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let c = chars[i + 1];
        i += 2;
        match c {
            't' => out.push('\t'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'f' => out.push('\x0c'),
            'u' => {
                let hex: String = chars[i..chars.len().min(i + 4)].iter().collect();
                match u32::from_str_radix(&hex, 16).ok().filter(|_| hex.len() == 4).and_then(char::from_u32) {
                    Some(decoded) => {
                        out.push(decoded);
                        i += 4;
                    }
                    // Java rejects a malformed \u; keeping the text loses nothing.
                    None => out.push('u'),
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The main-section attributes of `META-INF/MANIFEST.MF` that say what the archive is.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Manifest {
    implementation_title: Option<String>,
    implementation_version: Option<String>,
    specification_title: Option<String>,
    specification_version: Option<String>,
    bundle_symbolic_name: Option<String>,
    bundle_version: Option<String>,
    bundle_license: Option<String>,
    automatic_module_name: Option<String>,
}

impl Manifest {
    /// Parses the main section (up to the first blank line) per the JAR File
    /// Specification: `Name: value` headers, continuation lines starting with one space,
    /// CR LF, LF or CR line ends, names compared without case, UTF-8 values. The flag
    /// says whether the section ended within `bytes`.
    fn parse(bytes: &[u8]) -> (Manifest, bool) {
        let bytes = strip_bom(bytes);
        let mut manifest = Manifest::default();
        let mut header: Option<(&[u8], Vec<u8>)> = None;
        let mut complete = false;
        let mut rest = bytes;
        while !rest.is_empty() {
            let (line, next) = match memchr::memchr2(b'\r', b'\n', rest) {
                Some(at) => {
                    let skip = if rest[at] == b'\r' && rest.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
                    (&rest[..at], &rest[at + skip..])
                }
                None => (rest, &rest[rest.len()..]),
            };
            rest = next;
            if line.is_empty() {
                complete = true;
                break;
            }
            if let Some(continued) = line.strip_prefix(b" ") {
                if let Some((_, value)) = header.as_mut() {
                    // A value can be split inside a UTF-8 sequence: join bytes first.
                    if value.len() < MAX_MANIFEST_BYTES {
                        value.extend_from_slice(continued);
                    }
                }
                continue;
            }
            if let Some((name, value)) = header.take() {
                manifest.set(name, &value);
            }
            header = memchr::memchr(b':', line).map(|colon| {
                let value = &line[colon + 1..];
                let value = value.strip_prefix(b" ").unwrap_or(value);
                (&line[..colon], value.to_vec())
            });
        }
        if let Some((name, value)) = header.take() {
            manifest.set(name, &value);
        }
        (manifest, complete)
    }

    fn set(&mut self, name: &[u8], value: &[u8]) {
        let slot = match () {
            _ if name.eq_ignore_ascii_case(b"Implementation-Title") => &mut self.implementation_title,
            _ if name.eq_ignore_ascii_case(b"Implementation-Version") => &mut self.implementation_version,
            _ if name.eq_ignore_ascii_case(b"Specification-Title") => &mut self.specification_title,
            _ if name.eq_ignore_ascii_case(b"Specification-Version") => &mut self.specification_version,
            _ if name.eq_ignore_ascii_case(b"Bundle-SymbolicName") => &mut self.bundle_symbolic_name,
            _ if name.eq_ignore_ascii_case(b"Bundle-Version") => &mut self.bundle_version,
            _ if name.eq_ignore_ascii_case(b"Bundle-License") => &mut self.bundle_license,
            _ if name.eq_ignore_ascii_case(b"Automatic-Module-Name") => &mut self.automatic_module_name,
            _ => return,
        };
        // The first of duplicate attributes wins.
        if slot.is_none() {
            let text = String::from_utf8_lossy(value);
            *slot = usable(&text);
        }
    }

    /// The version the manifest claims, in order of how closely each attribute tracks
    /// the build's version.
    fn version(&self) -> Option<&str> {
        [&self.implementation_version, &self.bundle_version, &self.specification_version]
            .into_iter()
            .find_map(|v| v.as_deref())
    }

    /// `Bundle-SymbolicName` without its directives (`;singleton:=true`).
    fn symbolic_name(&self) -> Option<&str> {
        let bsn = self.bundle_symbolic_name.as_deref()?;
        let bsn = bsn.split(';').next().unwrap_or(bsn).trim();
        (!bsn.is_empty()).then_some(bsn)
    }

    /// Names the manifest gives that can stand for an artifact name.
    fn artifact_names(&self) -> impl Iterator<Item = &str> {
        [
            self.implementation_title.as_deref(),
            self.symbolic_name(),
            self.automatic_module_name.as_deref(),
            self.specification_title.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|n| is_identifier_like(n))
    }

    fn declares_name(&self, name: &str) -> bool {
        self.artifact_names().any(|n| n.eq_ignore_ascii_case(name))
    }

    /// Whether the manifest describes this pom.properties' artifact: a name it gives is
    /// the artifactId (or `groupId.artifactId`, the OSGi convention), and its version, if
    /// it has one, is the pom's.
    fn names(&self, pom: &PomProperties) -> bool {
        let qualified = format!("{}.{}", pom.group_id, pom.artifact_id);
        let name_matches = self
            .artifact_names()
            .any(|n| n.eq_ignore_ascii_case(&pom.artifact_id) || n.eq_ignore_ascii_case(&qualified));
        name_matches && self.version().is_none_or(|v| v == pom.version)
    }

    /// `Bundle-License` (OSGi core spec, 3.2.1.10): licences separated by commas, each a
    /// name or URL with optional `;attr=value` parameters, or `<<EXTERNAL>>`. Many
    /// manifests put free text there instead ("The Apache License, Version 2.0"), so a
    /// comma starts a new licence only if what follows is a single word or URL.
    fn licenses(&self) -> Vec<String> {
        let Some(value) = self.bundle_license.as_deref() else { return Vec::new() };
        let mut parts: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut quoted = false;
        for c in value.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    current.push(c);
                }
                ',' if !quoted => parts.push(std::mem::take(&mut current)),
                _ => current.push(c),
            }
        }
        parts.push(current);
        let mut licenses: Vec<String> = Vec::new();
        for part in parts {
            let name = part.split(';').next().unwrap_or("").trim();
            let starts_new = !name.contains(char::is_whitespace) || licenses.is_empty();
            if starts_new {
                licenses.push(part);
            } else if let Some(last) = licenses.last_mut() {
                last.push(',');
                last.push_str(&part);
            }
        }
        licenses
            .iter()
            .filter_map(|l| {
                let name = l.split(';').next().unwrap_or("").trim().trim_matches('"').trim();
                (!name.is_empty() && name != "<<EXTERNAL>>").then(|| name.to_string())
            })
            .collect()
    }
}

/// A single token that can be an artifact name: no spaces (that would be a display
/// title like "Apache Commons Lang"), no `:` (that would look like `group:artifact`).
fn is_identifier_like(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
}

/// An identity for an archive without a pom.properties of its own. Version: the
/// manifest's (`Implementation-Version`, `Bundle-Version`, `Specification-Version`),
/// else the file name's. Name: `Implementation-Title` when it is a single word, else the
/// file name's name part when the file name carries a version (how Maven and Gradle name
/// artifacts), else `Bundle-SymbolicName`, `Automatic-Module-Name`,
/// `Specification-Title`, else the bare file name. Without a manifest, only a versioned
/// file name of an archive holding classes counts: an empty zip named `x-1.0.jar` is
/// not evidence of an artifact.
fn derive_identity(stem: &str, manifest: Option<&Manifest>, has_classes: bool) -> Option<(String, String)> {
    let manifest_version = manifest.and_then(|m| m.version());
    let (file_name, file_version) = split_file_name(stem, manifest_version);
    if manifest.is_none() && !(has_classes && file_version.is_some()) {
        return None;
    }
    let version = manifest_version.or(file_version).unwrap_or("").to_string();
    let title = manifest.and_then(|m| m.implementation_title.as_deref()).filter(|t| is_identifier_like(t));
    let name = match title {
        // Same name, possibly another case ("Jackson-core"): the file name spells
        // artifacts as repositories do.
        Some(t) if file_version.is_some() && t.eq_ignore_ascii_case(file_name) => file_name,
        Some(t) => t,
        None if file_version.is_some() && !file_name.is_empty() => file_name,
        None => manifest.and_then(|m| m.artifact_names().next()).unwrap_or(if file_name.is_empty() {
            stem
        } else {
            file_name
        }),
    };
    (!name.is_empty()).then(|| (name.to_string(), version))
}

/// Qualifiers that belong to a Maven version rather than start an artifact name
/// (`1.0-beta-2`, `2.0-rc-1`, `31.0.1-jre`).
const VERSION_WORDS: &[&str] = &[
    "a",
    "alpha",
    "android",
    "b",
    "beta",
    "build",
    "cr",
    "dev",
    "ea",
    "final",
    "ga",
    "incubating",
    "jre",
    "m",
    "milestone",
    "patch",
    "pre",
    "preview",
    "r",
    "rc",
    "release",
    "snapshot",
    "sp",
    "stable",
];

/// Classifiers that are never part of a version (`-sources`, `-jdk8`, `-linux-x86_64`).
const CLASSIFIER_WORDS: &[&str] =
    &["all", "bin", "exec", "javadoc", "nodeps", "shaded", "sources", "standalone", "tests", "uber"];
const OS_CLASSIFIERS: &[&str] = &["linux", "osx", "macos", "windows", "freebsd", "alpine", "linux-musl"];
const ARCH_CLASSIFIERS: &[&str] =
    &["x86_64", "x86-64", "aarch_64", "aarch64", "x86_32", "x86", "arm64", "amd64", "ppcle_64", "s390_64", "riscv64"];

/// Splits a file stem into name and version. With a version known from the manifest,
/// the stem is cut where `-<version>` appears. Otherwise the version starts at the
/// first `-`-separated part that begins with a digit, unless a later part is a plain word
/// (not a version qualifier) followed by another digit part, as in `log4j-1.2-api-2.17.1`
/// where `1.2` belongs to the name; known classifiers at the end are dropped
/// (`guava-31.0.1-jre` keeps `-jre`, which is part of Guava's version).
fn split_file_name<'s>(stem: &'s str, known_version: Option<&str>) -> (&'s str, Option<&'s str>) {
    if let Some(v) = known_version.filter(|v| !v.is_empty()) {
        // The last occurrence: a version can also appear inside a name (`log4j-1.2-api`).
        let needle = format!("-{v}");
        let cut = stem
            .match_indices(&needle)
            .map(|(at, _)| at)
            .filter(|&at| {
                let end = at + needle.len();
                end == stem.len() || stem[end..].starts_with('-')
            })
            .last();
        if let Some(at) = cut {
            return (&stem[..at], Some(&stem[at + 1..at + needle.len()]));
        }
    }
    let parts: Vec<&str> = stem.split('-').collect();
    let starts_with_digit = |p: &str| p.starts_with(|c: char| c.is_ascii_digit());
    let is_name_word = |p: &str| {
        !p.is_empty()
            && p.chars().all(|c| c.is_ascii_alphabetic())
            && !VERSION_WORDS.iter().any(|w| w.eq_ignore_ascii_case(p))
    };
    for start in 1..parts.len() {
        if !starts_with_digit(parts[start]) {
            continue;
        }
        let rest = &parts[start + 1..];
        let name_word_then_digits =
            rest.iter().enumerate().any(|(k, p)| is_name_word(p) && rest[k + 1..].iter().any(|q| starts_with_digit(q)));
        if name_word_then_digits {
            continue;
        }
        let mut end = parts.len();
        loop {
            let tail = &parts[start + 1..end];
            let drop = match tail {
                [.., os, arch]
                    if OS_CLASSIFIERS.iter().any(|o| o.eq_ignore_ascii_case(os))
                        && ARCH_CLASSIFIERS.iter().any(|a| a.eq_ignore_ascii_case(arch)) =>
                {
                    2
                }
                [.., "jar", "with", "dependencies"] => 3,
                [.., "with", "dependencies"] => 2,
                [.., last] if is_classifier(last) => 1,
                _ => 0,
            };
            if drop == 0 {
                break;
            }
            end -= drop;
        }
        let name_len: usize = parts[..start].iter().map(|p| p.len() + 1).sum::<usize>() - 1;
        let version_end: usize = parts[..end].iter().map(|p| p.len() + 1).sum::<usize>() - 1;
        return (&stem[..name_len], Some(&stem[name_len + 1..version_end]));
    }
    (stem, None)
}

fn is_classifier(part: &str) -> bool {
    let lower = part.to_ascii_lowercase();
    if CLASSIFIER_WORDS.contains(&lower.as_str()) {
        return true;
    }
    // jdk8, jdk11, jre11, java8: a target runtime, not a version qualifier. A bare
    // `jre` is kept: Guava's versions end in it.
    ["jdk", "jre", "java"].iter().any(|prefix| {
        lower
            .strip_prefix(prefix)
            .is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::MAX_WARNINGS;
    use crate::lang::fixture;
    use crate::lang::zipstream::test_zip::{Layout, ZipWriter, zero_bomb};
    use std::time::{Duration, Instant};

    fn parse(file_name: &str, bytes: &[u8]) -> Parsed {
        let mut reader: &[u8] = bytes;
        parse_archive(file_name, &mut reader).unwrap_or_else(|e| panic!("{file_name}: {e}"))
    }

    /// (name, version, sub_path) of each package, in order.
    fn triples(parsed: &Parsed) -> Vec<(String, String, Option<String>)> {
        parsed.packages.iter().map(|p| (p.name.clone(), p.version.clone(), p.sub_path.clone())).collect()
    }

    fn t(name: &str, version: &str, sub_path: Option<&str>) -> (String, String, Option<String>) {
        (name.to_string(), version.to_string(), sub_path.map(String::from))
    }

    fn pom(group: &str, artifact: &str, version: &str) -> Vec<u8> {
        format!("#Generated by Maven\ngroupId={group}\nartifactId={artifact}\nversion={version}\n").into_bytes()
    }

    // Expected values below were read with `unzip -p <jar> META-INF/maven/*/*/pom.properties`
    // and `unzip -p <jar> META-INF/MANIFEST.MF`, not with this parser.

    #[test]
    fn maven_jar_from_debian() {
        let parsed = parse("/usr/share/java/commons-cli-1.5.0.jar", &fixture("java/commons-cli-1.5.0.jar"));
        assert_eq!(triples(&parsed), vec![t("commons-cli:commons-cli", "1.5.0", None)]);
        assert!(parsed.warnings.is_empty());
        assert!(parsed.packages.iter().all(|p| p.kind == PackageKind::Maven && p.licenses.is_empty()));
        // Debian's unversioned name (the symlink target) still matches the artifactId.
        let parsed = parse("jcl-over-slf4j.jar", &fixture("java/jcl-over-slf4j-1.7.32.jar"));
        assert_eq!(triples(&parsed), vec![t("org.slf4j:jcl-over-slf4j", "1.7.32", None)]);
    }

    #[test]
    fn osgi_bundle_with_manifest_only() {
        // Implementation-Title: opentest4j, Implementation-Version: 1.2.0,
        // Bundle-License: The Apache License, Version 2.0.
        let parsed = parse("opentest4j-1.2.0.jar", &fixture("java/opentest4j-1.2.0.jar"));
        assert_eq!(triples(&parsed), vec![t("opentest4j", "1.2.0", None)]);
        assert_eq!(parsed.packages[0].licenses, vec!["The Apache License, Version 2.0".to_string()]);
        // Bundle-SymbolicName: javax.inject, Bundle-Version: 1.0.0, no Implementation-*:
        // the versioned file name names it, the manifest versions it.
        let parsed = parse("atinject-jsr330-api-1.0.jar", &fixture("java/atinject-jsr330-api-1.0.jar"));
        assert_eq!(triples(&parsed), vec![t("atinject-jsr330-api", "1.0.0", None)]);
        // Renamed without a version: the bundle's symbolic name is all there is.
        let parsed = parse("inject.jar", &fixture("java/atinject-jsr330-api-1.0.jar"));
        assert_eq!(triples(&parsed), vec![t("javax.inject", "1.0.0", None)]);
    }

    #[test]
    fn spring_boot_fat_jar() {
        let parsed = parse("demo-boot-1.0.0.jar", &fixture("java/demo-boot-1.0.0.jar"));
        assert_eq!(
            triples(&parsed),
            vec![
                t("com.example:demo-boot", "1.0.0", None),
                t("atinject-jsr330-api", "1.0.0", Some("BOOT-INF/lib/atinject-jsr330-api-1.0.jar")),
                t("org.slf4j:jcl-over-slf4j", "1.7.32", Some("BOOT-INF/lib/jcl-over-slf4j-1.7.32.jar")),
                t("opentest4j", "1.2.0", Some("BOOT-INF/lib/opentest4j-1.2.0.jar")),
            ]
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.packages[3].licenses, vec!["The Apache License, Version 2.0".to_string()]);
    }

    #[test]
    fn war_with_deflated_nested_jars() {
        let parsed = parse("demo-web-2.1.war", &fixture("java/demo-web-2.1.war"));
        assert_eq!(
            triples(&parsed),
            vec![
                t("com.example:demo-web", "2.1", None),
                t("org.slf4j:jcl-over-slf4j", "1.7.32", Some("WEB-INF/lib/jcl-over-slf4j-1.7.32.jar")),
                t("opentest4j", "1.2.0", Some("WEB-INF/lib/opentest4j-1.2.0.jar")),
            ]
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn ear_with_war_with_jars() {
        let parsed = parse("demo-app-3.0.ear", &fixture("java/demo-app-3.0.ear"));
        assert_eq!(
            triples(&parsed),
            vec![
                t("com.example:demo-app", "3.0", None),
                t("com.example:demo-web", "2.1", Some("demo-web-2.1.war")),
                t(
                    "org.slf4j:jcl-over-slf4j",
                    "1.7.32",
                    Some("demo-web-2.1.war!/WEB-INF/lib/jcl-over-slf4j-1.7.32.jar")
                ),
                t("opentest4j", "1.2.0", Some("demo-web-2.1.war!/WEB-INF/lib/opentest4j-1.2.0.jar")),
                t("atinject-jsr330-api", "1.0.0", Some("lib/atinject-jsr330-api-1.0.jar")),
            ]
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn shaded_jar_reports_every_pom_properties() {
        let shaded = vec![
            t("commons-cli:commons-cli", "1.5.0", Some("META-INF/maven/commons-cli/commons-cli/pom.properties")),
            t("org.slf4j:slf4j-api", "1.7.32", Some("META-INF/maven/org.slf4j/slf4j-api/pom.properties")),
        ];
        let bytes = fixture("java/uber-2.0.jar");
        let mut expected = vec![t("com.example:uber", "2.0", None)];
        expected.extend(shaded.clone());
        assert_eq!(triples(&parse("uber-2.0.jar", &bytes)), expected);
        // Renamed: the manifest (Implementation-Title: uber, Implementation-Version: 2.0)
        // still picks the archive's own pom.properties.
        assert_eq!(triples(&parse("app.jar", &bytes)), expected);
    }

    #[test]
    fn data_descriptors_and_zip64() {
        assert_eq!(
            triples(&parse("descriptors-0.1.jar", &fixture("java/descriptors-0.1.jar"))),
            vec![t("org.example:descriptors", "0.1", None)]
        );
        assert_eq!(
            triples(&parse("zip64-1.0.jar", &fixture("java/zip64-1.0.jar"))),
            vec![t("org.example:zip64", "1.0", None)]
        );
        let parsed = parse("zip64-streamed-1.0.jar", &fixture("java/zip64-streamed-1.0.jar"));
        assert_eq!(triples(&parsed), vec![t("org.example:zip64-streamed", "1.0", None)]);
        assert_eq!(parsed.warnings.len(), 1);
        assert!(parsed.warnings[0].contains("stored with its size deferred"), "{:?}", parsed.warnings);
    }

    #[test]
    fn executable_jar_with_launch_script() {
        let mut bytes = b"#!/bin/bash\n# launch script\nexec java -jar \"$0\" \"$@\"\n".to_vec();
        bytes.extend_from_slice(&fixture("java/demo-boot-1.0.0.jar"));
        let parsed = parse("demo-boot-1.0.0.jar", &bytes);
        assert_eq!(parsed.packages.len(), 4);
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn truncated_jar_keeps_what_was_read() {
        let bytes = fixture("java/demo-boot-1.0.0.jar");
        let at = memchr::memmem::find(&bytes, b"BOOT-INF/lib/jcl-over-slf4j-1.7.32.jar").unwrap();
        let parsed = parse("demo-boot-1.0.0.jar", &bytes[..at + 8000]);
        // The manifest came first; the pom.properties at the end was never reached, so
        // the identity comes from Implementation-Title/-Version. jcl-over-slf4j's own
        // pom.properties lies early in it, before the cut.
        assert_eq!(
            triples(&parsed),
            vec![
                t("demo-boot", "1.0.0", None),
                t("atinject-jsr330-api", "1.0.0", Some("BOOT-INF/lib/atinject-jsr330-api-1.0.jar")),
                t("org.slf4j:jcl-over-slf4j", "1.7.32", Some("BOOT-INF/lib/jcl-over-slf4j-1.7.32.jar")),
            ]
        );
        assert!(!parsed.warnings.is_empty());
        assert!(parsed.warnings.iter().any(|w| w.contains("truncated")), "{:?}", parsed.warnings);
        // Cut inside the very first header: not an archive at all.
        let mut reader: &[u8] = &bytes[..20];
        assert!(parse_archive("x.jar", &mut reader).is_err());
    }

    #[test]
    fn garbage_is_an_error() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let random: Vec<u8> = (0..100_000)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (state >> 33) as u8
            })
            .collect();
        for input in [&random[..], b"", b"<html>not found</html>"] {
            let mut reader: &[u8] = input;
            assert!(parse_archive("x.jar", &mut reader).is_err());
        }
    }

    #[test]
    fn central_directory_only_has_no_packages() {
        let empty = ZipWriter::new().finish();
        let parsed = parse("empty-1.0.jar", &empty);
        assert_eq!(parsed, Parsed::default());
    }

    #[test]
    fn nested_fifty_deep_stops_at_the_limit() {
        let mut inner = ZipWriter::new()
            .add("META-INF/maven/g/level50/pom.properties", &pom("g", "level50", "50"), Layout::DEFLATED)
            .finish();
        for level in (0..50).rev() {
            let artifact = format!("level{level}");
            inner = ZipWriter::new()
                .add(
                    &format!("META-INF/maven/g/{artifact}/pom.properties"),
                    &pom("g", &artifact, &level.to_string()),
                    Layout::DEFLATED,
                )
                .add(
                    &format!("lib/level{}.jar", level + 1),
                    &inner,
                    if level % 2 == 0 { Layout::STORED } else { Layout::STREAMED },
                )
                .finish();
        }
        let started = Instant::now();
        let parsed = parse("level0.jar", &inner);
        assert!(started.elapsed() < Duration::from_secs(5));
        let mut chain = String::new();
        let mut expected = vec![t("g:level0", "0", None)];
        for level in 1..=MAX_NESTING {
            chain = join_chain(&chain, &format!("lib/level{level}.jar"));
            expected.push(t(&format!("g:level{level}"), &level.to_string(), Some(&chain)));
        }
        assert_eq!(triples(&parsed), expected);
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].starts_with(
            "lib/level1.jar!/lib/level2.jar!/lib/level3.jar!/lib/level4.jar!/lib/level5.jar is nested more than 4"
        ));
    }

    #[test]
    fn zip_bombs_stop_fast() {
        let (bomb, size) = zero_bomb(1024);
        let started = Instant::now();
        // A bomb as the manifest, as a nested jar of known size, and as an entry whose
        // end only inflation finds; the pom.properties between them still count.
        let mut w = ZipWriter::new();
        w.add_raw("META-INF/MANIFEST.MF", &bomb, size, 0, Layout::DEFLATED);
        w.add_raw("lib/bomb.jar", &bomb, size, 0, Layout::DEFLATED);
        w.add("META-INF/maven/g/a/pom.properties", &pom("g", "a", "1"), Layout::STREAMED);
        w.add_raw("data/zeros.bin", &bomb, size, 0, Layout::STREAMED);
        w.add("META-INF/maven/g/never/pom.properties", &pom("g", "never", "1"), Layout::DEFLATED);
        let parsed = parse("a-1.jar", &w.finish());
        assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
        assert_eq!(triples(&parsed), vec![t("g:a", "1", None)]);
        assert_eq!(parsed.warnings.len(), 3, "{:?}", parsed.warnings);
        assert!(parsed.warnings.iter().all(|w| w.contains("zip bomb")), "{:?}", parsed.warnings);
    }

    #[test]
    fn many_tiny_entries() {
        let mut w = ZipWriter::new();
        for i in 0..100_000 {
            w.add(&format!("r/{i}.txt"), b"x", Layout::STORED);
        }
        w.add("META-INF/maven/g/many/pom.properties", &pom("g", "many", "1"), Layout::DEFLATED);
        let zip = w.finish();
        let started = Instant::now();
        let parsed = parse("many-1.jar", &zip);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(triples(&parsed), vec![t("g:many", "1", None)]);
        assert!(parsed.warnings.is_empty());
        let limits = ZipLimits { max_entries: 1000, ..ZipLimits::default() };
        let mut reader: &[u8] = &zip;
        let parsed = parse_archive_with_limits("many-1.jar", &mut reader, limits).unwrap();
        assert!(parsed.packages.is_empty());
        assert!(parsed.warnings[0].contains("more than 1000 entries"));
    }

    #[test]
    fn packages_kept_are_capped() {
        let mut w = ZipWriter::new();
        for i in 0..MAX_PACKAGES + 10 {
            let artifact = format!("a{i}");
            w.add(&format!("META-INF/maven/g/{artifact}/pom.properties"), &pom("g", &artifact, "1"), Layout::STORED);
        }
        let parsed = parse("x.jar", &w.finish());
        assert_eq!(parsed.packages.len(), MAX_PACKAGES);
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    }

    #[test]
    fn broken_pieces_become_warnings() {
        let mut w = ZipWriter::new();
        // pom.properties whose CRC does not match; a nested "jar" that is text.
        let body = pom("g", "bad", "1");
        w.add_raw("META-INF/maven/g/bad/pom.properties", &body, body.len() as u64, 0xDEAD_BEEF, Layout::STORED);
        w.add("WEB-INF/lib/notes.jar", b"this is not a zip file", Layout::DEFLATED);
        w.add("META-INF/maven/g/good/pom.properties", &pom("g", "good", "2"), Layout::DEFLATED);
        let parsed = parse("good-2.war", &w.finish());
        assert_eq!(triples(&parsed), vec![t("g:good", "2", None)]);
        assert_eq!(parsed.warnings.len(), 2, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].contains("CRC"));
        assert!(parsed.warnings[1].starts_with("WEB-INF/lib/notes.jar is not a readable archive"));

        // Warnings are capped.
        let mut w = ZipWriter::new();
        for i in 0..200 {
            w.add(&format!("lib/bad{i}.jar"), b"nope", Layout::STORED);
        }
        let parsed = parse("x.jar", &w.finish());
        assert_eq!(parsed.warnings.len(), MAX_WARNINGS + 1);
        assert_eq!(parsed.warnings[MAX_WARNINGS], "150 more warnings like these were left out.");
    }

    #[test]
    fn identity_without_pom_properties() {
        let manifest = |text: &str| {
            ZipWriter::new()
                .add("META-INF/MANIFEST.MF", text.as_bytes(), Layout::STREAMED)
                .add("a/B.class", b"\xca\xfe\xba\xbe", Layout::DEFLATED)
                .finish()
        };
        let gradle = manifest(
            "Manifest-Version: 1.0\r\nImplementation-Title: spring-core\r\nImplementation-Version: 5.3.1\r\nAutomatic-Module-Name: spring.core\r\n\r\n",
        );
        assert_eq!(triples(&parse("spring-core-5.3.1.jar", &gradle)), vec![t("spring-core", "5.3.1", None)]);
        assert_eq!(triples(&parse("app.jar", &gradle)), vec![t("spring-core", "5.3.1", None)]);

        let display_title = manifest(
            "Manifest-Version: 1.0\nImplementation-Title: Apache Log4j 1.x Compatibility API\nImplementation-Version: 2.17.1\n",
        );
        assert_eq!(
            triples(&parse("log4j-1.2-api-2.17.1.jar", &display_title)),
            vec![t("log4j-1.2-api", "2.17.1", None)]
        );

        let bare = manifest("Manifest-Version: 1.0\nCreated-By: 17\n");
        assert_eq!(
            triples(&parse("netty-transport-native-epoll-4.1.86.Final-linux-x86_64.jar", &bare)),
            vec![t("netty-transport-native-epoll", "4.1.86.Final", None)]
        );
        assert_eq!(triples(&parse("tool.jar", &bare)), vec![t("tool", "", None)]);

        let bundle = manifest(
            "Manifest-Version: 1.0\nBundle-SymbolicName: org.example.widget;singleton:=true\nBundle-Version: 3.1.0.v20240101\nBundle-License: Apache-2.0;link=\"https://example.invalid/l\", MIT\n",
        );
        let parsed = parse("widget.jar", &bundle);
        assert_eq!(triples(&parsed), vec![t("org.example.widget", "3.1.0.v20240101", None)]);
        assert_eq!(parsed.packages[0].licenses, vec!["Apache-2.0".to_string(), "MIT".to_string()]);

        // No manifest: a versioned file name of an archive with classes; nothing else.
        let classes_only = ZipWriter::new().add("a/B.class", b"x", Layout::STORED).finish();
        assert_eq!(triples(&parse("lib-2.0-SNAPSHOT.jar", &classes_only)), vec![t("lib", "2.0-SNAPSHOT", None)]);
        assert!(parse("lib.jar", &classes_only).packages.is_empty());
        let resources = ZipWriter::new().add("a.txt", b"x", Layout::STORED).finish();
        assert!(parse("res-1.0.jar", &resources).packages.is_empty());
    }

    #[test]
    fn lone_shaded_pom_in_a_gradle_fat_jar() {
        let zip = ZipWriter::new()
            .add(
                "META-INF/MANIFEST.MF",
                b"Manifest-Version: 1.0\nImplementation-Title: service\nImplementation-Version: 4.2\n",
                Layout::DEFLATED,
            )
            .add(
                "META-INF/maven/com.google.code.gson/gson/pom.properties",
                &pom("com.google.code.gson", "gson", "2.10"),
                Layout::DEFLATED,
            )
            .finish();
        assert_eq!(
            triples(&parse("service-4.2.jar", &zip)),
            vec![
                t("service", "4.2", None),
                t("com.google.code.gson:gson", "2.10", Some("META-INF/maven/com.google.code.gson/gson/pom.properties")),
            ]
        );
        // Renamed without its version: nothing ties the manifest to the file; the lone
        // pom.properties is taken as the archive's, as Maven would have written it.
        assert_eq!(triples(&parse("app.jar", &zip)), vec![t("com.google.code.gson:gson", "2.10", None)]);
    }

    #[test]
    fn pom_properties_under_class_roots_and_odd_values() {
        let zip = ZipWriter::new()
            .add(
                "BOOT-INF/classes/META-INF/maven/com.example/svc/pom.properties",
                b"# comment\n! also a comment\ngroupId : com.example\nartifactId\tsvc\nversion=1.\\\n    0\\u002D\\u0053NAPSHOT\n",
                Layout::DEFLATED,
            )
            .add("META-INF/maven/org.x/placeholder/pom.properties", b"groupId=org.x\nartifactId=placeholder\nversion=${project.version}\n", Layout::DEFLATED)
            .add("META-INF/maven/org.y/from-path/pom.properties", b"version=3\n", Layout::DEFLATED)
            .finish();
        assert_eq!(
            triples(&parse("svc.jar", &zip)),
            vec![
                t("com.example:svc", "1.0-SNAPSHOT", None),
                t("org.x:placeholder", "", Some("META-INF/maven/org.x/placeholder/pom.properties")),
                t("org.y:from-path", "3", Some("META-INF/maven/org.y/from-path/pom.properties")),
            ]
        );
    }

    #[test]
    fn same_pom_properties_twice_is_one_artifact() {
        let zip = ZipWriter::new()
            .add("META-INF/maven/com.example/svc/pom.properties", &pom("com.example", "svc", "1.0"), Layout::DEFLATED)
            .add(
                "BOOT-INF/classes/META-INF/maven/com.example/svc/pom.properties",
                &pom("com.example", "svc", "1.0"),
                Layout::DEFLATED,
            )
            .add("META-INF/maven/com.example/svc/pom.properties", &pom("com.example", "svc", "1.0"), Layout::DEFLATED)
            .finish();
        assert_eq!(triples(&parse("app.jar", &zip)), vec![t("com.example:svc", "1.0", None)]);
    }

    #[test]
    fn manifest_parsing() {
        let text = b"\xEF\xBB\xBFManifest-Version: 1.0\r\nimplementation-title: a-very-long-artifact-name-that-wraps-past-seventy-t\r\n wo-bytes\r\nBundle-License: Licence \xC3\r\n \xA9 Someone\r\nImplementation-Version: 1.0\r\nImplementation-Version: 2.0\r\n\r\nName: org/x/\r\nImplementation-Title: per-entry\r\n";
        let (m, complete) = Manifest::parse(text);
        assert!(complete);
        assert_eq!(
            m.implementation_title.as_deref(),
            Some("a-very-long-artifact-name-that-wraps-past-seventy-two-bytes")
        );
        assert_eq!(m.implementation_version.as_deref(), Some("1.0"));
        assert_eq!(m.licenses(), vec!["Licence \u{e9} Someone".to_string()]);
        let (m, complete) = Manifest::parse(b"Bundle-Version: 1\rBundle-SymbolicName:x.y ; singleton:=true\r");
        assert!(!complete);
        assert_eq!((m.bundle_version.as_deref(), m.symbolic_name()), (Some("1"), Some("x.y")));
        let (m, _) = Manifest::parse(b"Bundle-License: <<EXTERNAL>>\n");
        assert!(m.licenses().is_empty());
        let (m, _) = Manifest::parse(
            b"Bundle-License: \"Apache-2.0, with a comma\";description=x, https://example.invalid/lic\n",
        );
        assert_eq!(
            m.licenses(),
            vec!["Apache-2.0, with a comma".to_string(), "https://example.invalid/lic".to_string()]
        );
    }

    #[test]
    fn file_name_splitting() {
        let cases: &[(&str, Option<&str>, &str, Option<&str>)] = &[
            ("commons-lang3-3.12.0", None, "commons-lang3", Some("3.12.0")),
            ("log4j-1.2-api-2.17.1", None, "log4j-1.2-api", Some("2.17.1")),
            ("guava-31.0.1-jre", None, "guava", Some("31.0.1-jre")),
            ("foo-1.2.3-jdk8", None, "foo", Some("1.2.3")),
            ("foo-1.2.3-sources", None, "foo", Some("1.2.3")),
            ("foo-1.0-SNAPSHOT", None, "foo", Some("1.0-SNAPSHOT")),
            ("foo-1.0-20240101.120000-3", None, "foo", Some("1.0-20240101.120000-3")),
            ("maven-core-3.0-beta-2", None, "maven-core", Some("3.0-beta-2")),
            ("bcprov-jdk15on-1.70", None, "bcprov-jdk15on", Some("1.70")),
            ("jackson-module-scala_2.13-2.13.0", None, "jackson-module-scala_2.13", Some("2.13.0")),
            ("hibernate-core-5.6.5.Final", None, "hibernate-core", Some("5.6.5.Final")),
            ("app-1.0-jar-with-dependencies", None, "app", Some("1.0")),
            ("tool", None, "tool", None),
            ("9lives", None, "9lives", None),
            ("x-1-api-1", Some("1"), "x-1-api", Some("1")),
            ("widget-2.0-jdk11", Some("2.0"), "widget", Some("2.0")),
        ];
        for &(stem, known, name, version) in cases {
            assert_eq!(split_file_name(stem, known), (name, version), "{stem}");
        }
    }

    #[test]
    fn archive_names() {
        assert!(is_java_archive("/opt/app/WEB-INF/lib/x.JAR"));
        assert!(is_java_archive("plugin.hpi") && is_java_archive("a.nar") && is_java_archive("b.kar"));
        assert!(!is_java_archive("x.zip") && !is_java_archive(".jar") && !is_java_archive("jar"));
        assert_eq!(archive_stem("spring-core-5.3.1.jar"), "spring-core-5.3.1");
        assert_eq!(classify("META-INF/maven/g/a/pom.properties"), Role::PomProperties);
        assert_eq!(classify("x/META-INF/maven/g/a/pom.properties"), Role::Other);
        assert_eq!(classify("META-INF/maven/g/a/b/pom.properties"), Role::Other);
        assert_eq!(classify("meta-inf/manifest.mf"), Role::Manifest);
        assert_eq!(classify("lib/"), Role::Other);
    }
}
