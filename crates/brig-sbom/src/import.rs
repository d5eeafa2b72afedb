//! Reading SBOMs for `brig scan`: brig's own JSON, CycloneDX JSON (1.4–1.6), SPDX JSON
//! (2.2, 2.3) and syft's native JSON.
//!
//! Every package is rebuilt from its purl, whoever wrote the document: the purl is the one
//! field all four formats carry with the same meaning, while names and versions in the
//! documents' own fields differ between tools (`PyYAML` against `pyyaml`, an RPM version
//! with or without its epoch). The document adds what a purl cannot say: where the package
//! was found, its layer, licences and maintainer. Anything that cannot become a package
//! (no purl, a type brig does not match, no version) is skipped with a warning in
//! `Sbom.warnings`, never silently.
//!
//! Input is untrusted: nothing here indexes or unwraps on document content.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::{Distro, LayerInfo, LayerRef, Metadata, Package, PackageKind, Purl, SCHEMA, Sbom, SourceInfo, Tool};

/// Why a document could not be read at all. Problems with single packages are warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Not JSON: the reason names the likely format (CycloneDX XML, SPDX tag-value).
    NotJson(String),
    /// JSON, but none of the formats brig reads.
    UnknownFormat(String),
    /// A format brig reads, in a version it does not.
    UnsupportedVersion { format: &'static str, version: String },
    /// A format brig reads whose content breaks that format's schema.
    Invalid { format: &'static str, reason: String },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::NotJson(r) => write!(f, "not a JSON SBOM: {r}"),
            ImportError::UnknownFormat(r) => write!(f, "unrecognised SBOM: {r}"),
            ImportError::UnsupportedVersion { format, version } => {
                write!(f, "{format} version {version} is not supported")
            }
            ImportError::Invalid { format, reason } => write!(f, "invalid {format} document: {reason}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// The formats `read_sbom` recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SbomFormat {
    BrigJson,
    CycloneDx,
    Spdx,
    SyftJson,
}

impl SbomFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SbomFormat::BrigJson => "brig JSON",
            SbomFormat::CycloneDx => "CycloneDX",
            SbomFormat::Spdx => "SPDX",
            SbomFormat::SyftJson => "syft JSON",
        }
    }
}

/// Which format a parsed JSON document is in, from its identifying top-level fields.
pub fn detect(doc: &Value) -> Option<SbomFormat> {
    if doc.get("schema").and_then(Value::as_str).is_some_and(|s| s.starts_with("brig.sbom/")) {
        Some(SbomFormat::BrigJson)
    } else if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        Some(SbomFormat::CycloneDx)
    } else if doc.get("spdxVersion").is_some() {
        Some(SbomFormat::Spdx)
    } else if doc.get("artifacts").is_some_and(Value::is_array)
        && (doc.get("descriptor").is_some() || is_syft_schema(doc))
    {
        Some(SbomFormat::SyftJson)
    } else {
        None
    }
}

fn is_syft_schema(doc: &Value) -> bool {
    str_at(doc, &["schema", "url"]).is_some_and(|u| u.contains("syft"))
}

/// Reads an SBOM in any of the supported formats into brig's model.
pub fn read_sbom(bytes: &[u8]) -> Result<Sbom, ImportError> {
    // Tools on Windows may start UTF-8 files with a byte order mark, which JSON forbids.
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let doc: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return Err(ImportError::NotJson(not_json_reason(bytes, &e))),
    };
    if !doc.is_object() {
        return Err(ImportError::UnknownFormat("the document is not a JSON object".into()));
    }
    match detect(&doc) {
        Some(SbomFormat::BrigJson) => read_brig(doc),
        Some(SbomFormat::CycloneDx) => read_cyclonedx(&doc),
        Some(SbomFormat::Spdx) => read_spdx(&doc),
        Some(SbomFormat::SyftJson) => read_syft(&doc),
        None => Err(ImportError::UnknownFormat(
            "expected brig JSON (`schema`), CycloneDX (`bomFormat`), SPDX (`spdxVersion`) or syft JSON (`artifacts`)"
                .into(),
        )),
    }
}

/// Names the format when it is one brig only reads as JSON, so the message says what to do.
fn not_json_reason(bytes: &[u8], e: &serde_json::Error) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        if head.contains("cyclonedx") {
            return "CycloneDX XML is not supported; use the JSON form (e.g. `syft -o cyclonedx-json`)".into();
        }
        return "XML documents are not supported".into();
    }
    if head.starts_with("SPDXVersion:") || head.contains("\nSPDXVersion:") {
        return "SPDX tag-value is not supported; use the JSON form (e.g. `syft -o spdx-json`)".into();
    }
    e.to_string()
}

// ---------------------------------------------------------------------------------------
// brig JSON

fn read_brig(doc: Value) -> Result<Sbom, ImportError> {
    const FORMAT: &str = "brig JSON";
    let schema = doc.get("schema").and_then(Value::as_str).unwrap_or_default().to_owned();
    if schema != SCHEMA {
        return Err(ImportError::UnsupportedVersion { format: FORMAT, version: schema });
    }
    serde_json::from_value(doc).map_err(|e| ImportError::Invalid { format: FORMAT, reason: e.to_string() })
}

// ---------------------------------------------------------------------------------------
// What every format contributes per package, before the purl is interpreted.

/// One package as a document lists it.
#[derive(Default)]
struct Listed {
    /// For warnings: the document's own name and version.
    label: String,
    purl: Option<String>,
    licenses: Vec<String>,
    maintainer: Option<String>,
    /// Explicit location (brig's `brig:location`), preferred over guessing.
    found_in: Option<String>,
    /// Candidate locations with the layer each was seen in (diff_id).
    locations: Vec<Location>,
    /// Explicit layer (brig's properties), preferred over guessing.
    layer: Option<LayerRef>,
    vendor: Option<String>,
    modularity_label: Option<String>,
    /// Language details brig writes as properties (direct, dev, sub_path, replaced_by).
    lang: Metadata,
    /// The document's own reference for the package (bom-ref, SPDXID, syft id), and the
    /// reference of the OS package that owns its files, if the document says.
    doc_ref: Option<String>,
    owner_ref: Option<String>,
}

struct Location {
    path: String,
    layer: Option<String>,
    primary: bool,
}

/// Collects packages and warnings, then assembles the Sbom.
struct Builder {
    packages: Vec<Package>,
    warnings: Vec<String>,
    /// Distros named by the packages' `distro` qualifiers, first seen first.
    purl_distros: Vec<String>,
    /// diff_id -> index, when the document lists the image's layers in order.
    layer_index: BTreeMap<String, usize>,
    /// Per package (parallel to `packages`): its document reference and its owner's.
    refs: Vec<(Option<String>, Option<String>)>,
    no_purl: usize,
    skipped_types: BTreeMap<String, Vec<String>>,
}

/// Per-component warnings are listed up to this many, then counted, so that a document
/// with thousands of file components does not drown the report.
const MAX_LISTED_WARNINGS: usize = 20;

impl Builder {
    fn new() -> Self {
        Builder {
            packages: Vec::new(),
            warnings: Vec::new(),
            purl_distros: Vec::new(),
            layer_index: BTreeMap::new(),
            refs: Vec::new(),
            no_purl: 0,
            skipped_types: BTreeMap::new(),
        }
    }

    fn add(&mut self, listed: Listed) {
        let Some(raw) = listed.purl.as_deref().map(str::trim).filter(|p| !p.is_empty()) else {
            self.no_purl += 1;
            if self.no_purl <= MAX_LISTED_WARNINGS {
                self.warnings.push(format!("skipped {}: no purl", listed.label));
            }
            return;
        };
        let purl = match Purl::parse(raw) {
            Ok(p) => p,
            Err(e) => {
                self.warnings.push(format!("skipped {}: invalid purl '{raw}': {e}", listed.label));
                return;
            }
        };
        let Some(kind) = PackageKind::from_purl_type(&purl.kind) else {
            self.skipped_types.entry(purl.kind.clone()).or_default().push(raw.to_owned());
            return;
        };
        // `gpg-pubkey` entries are signing keys rpm files as packages; brig's own rpm
        // cataloger leaves them out, and so does this.
        if kind == PackageKind::Rpm && purl.name == "gpg-pubkey" && !purl.qualifiers.contains_key("arch") {
            return;
        }
        if purl.version.is_none() {
            self.warnings.push(format!("skipped {}: purl '{raw}' has no version", listed.label));
            return;
        }
        if let Some(d) = purl.qualifiers.get("distro")
            && !self.purl_distros.contains(d)
        {
            self.purl_distros.push(d.clone());
        }
        let refs = (listed.doc_ref.clone(), listed.owner_ref.clone());
        let pkg = self.package(kind, &purl, listed);
        self.packages.push(pkg);
        self.refs.push(refs);
    }

    fn package(&self, kind: PackageKind, purl: &Purl, listed: Listed) -> Package {
        let from_purl = PurlPackage::new(kind, purl);
        let found_in = listed
            .found_in
            .filter(|f| !f.is_empty())
            .or_else(|| primary_location(kind, &listed.locations))
            .unwrap_or_default();
        let layer = listed.layer.or_else(|| self.introducing_layer(&listed.locations));
        // RPM headers have a vendor and no maintainer; CycloneDX's publisher and SPDX's
        // supplier carry the vendor for them.
        let (maintainer, vendor) = match (kind, listed.vendor) {
            (PackageKind::Rpm, None) => (None, listed.maintainer),
            (_, vendor) => (listed.maintainer, vendor),
        };
        Package {
            id: String::new(),
            kind,
            name: from_purl.name,
            version: from_purl.version,
            source_name: from_purl.source_name,
            source_version: from_purl.source_version,
            arch: purl.qualifiers.get("arch").cloned(),
            licenses: dedup(listed.licenses),
            purl: purl.to_string(),
            found_in,
            layer,
            metadata: Metadata {
                epoch: from_purl.epoch,
                release: from_purl.release,
                source_rpm: from_purl.source_rpm,
                maintainer: maintainer.filter(|m| !m.is_empty()),
                vendor: vendor.filter(|v| !v.is_empty()),
                modularity_label: listed.modularity_label.filter(|v| !v.is_empty()),
                direct: listed.lang.direct,
                dev: listed.lang.dev,
                sub_path: listed.lang.sub_path,
                replaced_by: listed.lang.replaced_by,
                owned_by: None,
            },
        }
        .with_id()
    }

    /// The lowest layer any of the package's files was seen in. A squashed view shows each
    /// file from the last layer that wrote it, so a package database (dpkg's `status`)
    /// points at the last layer that installed anything; the package's own files (its
    /// md5sums, its copyright) were written when it was installed, and the lowest of them
    /// is the best available answer to "which layer introduced it".
    fn introducing_layer(&self, locations: &[Location]) -> Option<LayerRef> {
        locations
            .iter()
            .filter_map(|l| l.layer.as_ref())
            .filter_map(|d| self.layer_index.get(d).map(|&i| (i, d)))
            .min()
            .map(|(index, diff_id)| LayerRef { index, diff_id: Some(diff_id.clone()), created_by: None })
    }

    /// Links owned packages to their owners by the document's references, now that every
    /// package has its id.
    fn resolve_owners(&mut self) {
        let ids: BTreeMap<&str, &str> = self
            .refs
            .iter()
            .zip(&self.packages)
            .filter_map(|((r, _), p)| Some((r.as_deref()?, p.id.as_str())))
            .collect();
        let owners: Vec<Option<String>> =
            self.refs.iter().map(|(_, o)| o.as_deref().and_then(|o| ids.get(o)).map(|id| id.to_string())).collect();
        for (p, owner) in self.packages.iter_mut().zip(owners) {
            if owner.as_deref() != Some(p.id.as_str()) {
                p.metadata.owned_by = owner;
            }
        }
    }

    fn finish(mut self, tool: Tool, source: SourceInfo, distro: Option<Distro>) -> Sbom {
        self.resolve_owners();
        if self.no_purl > MAX_LISTED_WARNINGS {
            self.warnings.push(format!("… and {} more components without a purl", self.no_purl - MAX_LISTED_WARNINGS));
        }
        for (kind, purls) in &self.skipped_types {
            let examples: Vec<&str> = purls.iter().take(3).map(String::as_str).collect();
            let more = if purls.len() > 3 { ", …" } else { "" };
            self.warnings.push(format!(
                "skipped {} package(s) of type '{kind}', which brig does not match: {}{more}",
                purls.len(),
                examples.join(", ")
            ));
        }
        // Without a distro in the document, the packages' `distro` qualifiers say it; when
        // they disagree, the first is a guess, and the report says so.
        let distro = distro.or_else(|| {
            let q = self.purl_distros.first()?;
            if self.purl_distros.len() > 1 {
                self.warnings.push(format!(
                    "the document names no distro and its packages name several ({}); using {q}",
                    self.purl_distros.join(", ")
                ));
            }
            Some(distro_from_qualifier(q))
        });
        let mut sbom = Sbom { schema: SCHEMA.into(), tool, source, distro, packages: self.packages, warnings: vec![] };
        sbom.sort();
        sbom.warnings = self.warnings;
        sbom
    }
}

fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in v.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// A package's identity as its purl states it.
struct PurlPackage {
    name: String,
    version: String,
    source_name: Option<String>,
    source_version: Option<String>,
    epoch: Option<u32>,
    release: Option<String>,
    source_rpm: Option<String>,
}

impl PurlPackage {
    fn new(kind: PackageKind, purl: &Purl) -> Self {
        let name = purl.package_name(kind);
        let purl_version = purl.version.clone().unwrap_or_default();
        let upstream = purl.qualifiers.get("upstream").map(String::as_str).filter(|u| !u.is_empty());
        let mut p = PurlPackage {
            name,
            version: purl_version.clone(),
            source_name: None,
            source_version: None,
            epoch: None,
            release: None,
            source_rpm: None,
        };
        match kind {
            PackageKind::Rpm => {
                // The purl version is `version-release`; the epoch is a qualifier.
                p.epoch = purl.qualifiers.get("epoch").and_then(|e| e.trim().parse::<u32>().ok());
                let epoch_prefix = p.epoch.filter(|&e| e > 0).map(|e| format!("{e}:")).unwrap_or_default();
                p.version = format!("{epoch_prefix}{purl_version}");
                p.release = purl_version.rsplit_once('-').map(|(_, r)| r.to_owned());
                if let Some(u) = upstream {
                    if let Some((sname, svr)) = split_srpm(u) {
                        p.source_rpm = Some(u.to_owned());
                        p.source_name = Some(sname);
                        // Source rpm file names carry no epoch; a source shares its binaries'.
                        p.source_version = Some(format!("{epoch_prefix}{svr}"));
                    } else {
                        let (sname, sver) = split_upstream(u, &p.version);
                        p.source_name = Some(sname);
                        p.source_version = Some(sver);
                    }
                }
            }
            PackageKind::Deb | PackageKind::Apk => {
                // brig and syft leave `upstream` out when the source is the binary itself.
                let (sname, sver) = match upstream {
                    Some(u) => split_upstream(u, &purl_version),
                    None => (purl.name.clone(), purl_version.clone()),
                };
                p.source_name = Some(sname);
                p.source_version = Some(sver);
            }
            _ => {
                if let Some(u) = upstream {
                    let (sname, sver) = split_upstream(u, &purl_version);
                    p.source_name = Some(sname);
                    p.source_version = Some(sver);
                }
            }
        }
        p
    }
}

/// `glibc` or `util-linux@2.36.1-8`: the source name, and its version when it differs from
/// the binary's.
fn split_upstream(u: &str, binary_version: &str) -> (String, String) {
    match u.rsplit_once('@') {
        Some((name, version)) if !name.is_empty() && !version.is_empty() => (name.to_owned(), version.to_owned()),
        _ => (u.trim_end_matches('@').to_owned(), binary_version.to_owned()),
    }
}

/// `util-linux-2.37.4-1.amzn2023.0.3.src.rpm` -> (`util-linux`, `2.37.4-1.amzn2023.0.3`):
/// release and version are the last two dash-separated fields, as in every RPM file name.
fn split_srpm(file: &str) -> Option<(String, String)> {
    let stem = file.strip_suffix(".src.rpm").or_else(|| file.strip_suffix(".nosrc.rpm"))?;
    let (rest, release) = stem.rsplit_once('-')?;
    let (name, version) = rest.rsplit_once('-')?;
    if name.is_empty() || version.is_empty() || release.is_empty() {
        return None;
    }
    Some((name.to_owned(), format!("{version}-{release}")))
}

/// The location that names where the package was recorded: the document's own choice
/// when it marks one (syft's `primary` evidence), else the ecosystem's database or
/// manifest file among the locations, else the first.
fn primary_location(kind: PackageKind, locations: &[Location]) -> Option<String> {
    if let Some(l) = locations.iter().find(|l| l.primary) {
        return Some(l.path.clone());
    }
    let looks_primary = |p: &str| {
        let file = p.rsplit('/').next().unwrap_or(p);
        match kind {
            PackageKind::Deb => p.ends_with("var/lib/dpkg/status") || p.contains("var/lib/dpkg/status.d/"),
            PackageKind::Apk => p.ends_with("lib/apk/db/installed"),
            PackageKind::Rpm => matches!(file, "Packages" | "Packages.db" | "rpmdb.sqlite"),
            PackageKind::Pypi => matches!(file, "METADATA" | "PKG-INFO") || p.ends_with(".egg-info"),
            PackageKind::Npm => {
                matches!(file, "package.json" | "package-lock.json" | "yarn.lock" | "pnpm-lock.yaml")
            }
            PackageKind::Cargo => file == "Cargo.lock",
            PackageKind::Golang => file == "go.mod",
            PackageKind::Maven => file == "pom.xml" || file == "pom.properties" || file.ends_with(".jar"),
            PackageKind::Gem => file == "Gemfile.lock" || file.ends_with(".gemspec"),
            PackageKind::Composer => matches!(file, "composer.lock" | "installed.json"),
            PackageKind::Nuget => file.ends_with(".deps.json") || file == "packages.lock.json",
        }
    };
    locations.iter().find(|l| looks_primary(&l.path)).or(locations.first()).map(|l| l.path.clone())
}

/// `debian-11`, `alpine-3.18.9`, `rhel-8.8`, `opensuse-leap-15.5`, `debian-bullseye`:
/// the id, then the version after the last dash when it starts with a digit. Debian and
/// Ubuntu purls may carry a codename instead.
pub fn distro_from_qualifier(q: &str) -> Distro {
    let mut d = Distro { id: q.to_owned(), found_in: "purl distro qualifier".into(), ..Distro::default() };
    if let Some((id, rest)) = q.rsplit_once('-')
        && !id.is_empty()
        && !rest.is_empty()
    {
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            d.id = id.to_owned();
            d.version_id = Some(rest.to_owned());
        } else if matches!(id, "debian" | "ubuntu") {
            d.id = id.to_owned();
            d.version_codename = Some(rest.to_owned());
        }
    }
    d
}

// ---------------------------------------------------------------------------------------
// Small JSON helpers: absent, null and wrongly typed fields all read as "not there".

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for k in path {
        cur = cur.get(k)?;
    }
    cur.as_str()
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn owned(v: &Value, key: &str) -> Option<String> {
    str_of(v, key).map(str::to_owned)
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// SPDX's "no information" values.
fn assertion(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !matches!(*s, "NOASSERTION" | "NONE"))
}

// ---------------------------------------------------------------------------------------
// CycloneDX

const CDX: &str = "CycloneDX";

fn read_cyclonedx(doc: &Value) -> Result<Sbom, ImportError> {
    let mut b = Builder::new();
    let version = doc.get("specVersion").and_then(Value::as_str).unwrap_or_default();
    match version.strip_prefix("1.").and_then(|m| m.parse::<u32>().ok()) {
        Some(4..=6) => {}
        Some(_) => b.warnings.push(format!("CycloneDX {version}: brig reads 1.4 to 1.6; read as 1.6")),
        None => return Err(ImportError::UnsupportedVersion { format: CDX, version: version.to_owned() }),
    }
    if let Some(c) = doc.get("components")
        && !c.is_array()
    {
        return Err(ImportError::Invalid { format: CDX, reason: "`components` is not an array".into() });
    }
    let meta = doc.get("metadata").unwrap_or(&Value::Null);
    let subject = meta.get("component").unwrap_or(&Value::Null);
    let source = cdx_source(subject);
    for l in &source.layers {
        if let Some(d) = &l.diff_id {
            b.layer_index.insert(d.clone(), l.index);
        }
    }
    let mut distro = None;
    if subject.get("type").and_then(Value::as_str) == Some("operating-system") {
        distro = Some(cdx_distro(subject));
    }
    let mut stack: Vec<&Value> = array(doc, "components").iter().rev().collect();
    // Depth-first in document order without recursion, so nesting depth costs no stack.
    while let Some(c) = stack.pop() {
        stack.extend(array(c, "components").iter().rev());
        if c.get("type").and_then(Value::as_str) == Some("operating-system") {
            if distro.is_none() {
                distro = Some(cdx_distro(c));
            }
            continue;
        }
        b.add(cdx_listed(c));
    }
    Ok(b.finish(cdx_tool(meta), source, distro))
}

fn props(c: &Value) -> Vec<(&str, &str)> {
    array(c, "properties").iter().filter_map(|p| Some((str_of(p, "name")?, p.get("value")?.as_str()?))).collect()
}

fn prop<'a>(props: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    props.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

fn cdx_listed(c: &Value) -> Listed {
    let ps = props(c);
    let name = str_of(c, "name").unwrap_or("(unnamed)");
    let label = match str_of(c, "version") {
        Some(v) => format!("component '{name}' {v}"),
        None => format!("component '{name}'"),
    };
    let mut licenses = Vec::new();
    for l in array(c, "licenses") {
        if let Some(e) = str_of(l, "expression") {
            licenses.push(e.to_owned());
        } else if let Some(s) = l.get("license").and_then(|lic| str_of(lic, "id").or_else(|| str_of(lic, "name"))) {
            licenses.push(s.to_owned());
        }
    }
    // syft writes `syft:location:N:path` / `syft:location:N:layerID`, numbered.
    let mut numbered: BTreeMap<u32, (Option<&str>, Option<&str>)> = BTreeMap::new();
    for (n, v) in &ps {
        let Some(rest) = n.strip_prefix("syft:location:") else { continue };
        let Some((i, field)) = rest.split_once(':') else { continue };
        let Ok(i) = i.parse::<u32>() else { continue };
        let e = numbered.entry(i).or_default();
        match field {
            "path" => e.0 = Some(v),
            "layerID" => e.1 = Some(v),
            _ => {}
        }
    }
    let mut locations: Vec<Location> = numbered
        .into_values()
        .filter_map(|(p, l)| Some(Location { path: p?.to_owned(), layer: l.map(str::to_owned), primary: false }))
        .collect();
    // CycloneDX 1.5+'s own field for where a component was found.
    if let Some(evidence) = c.get("evidence") {
        for o in array(evidence, "occurrences") {
            if let Some(path) = str_of(o, "location")
                && !locations.iter().any(|l| l.path == path)
            {
                locations.push(Location { path: path.to_owned(), layer: None, primary: false });
            }
        }
    }
    let layer = prop(&ps, "brig:layer:index").and_then(|i| i.parse::<usize>().ok()).map(|index| LayerRef {
        index,
        diff_id: prop(&ps, "brig:layer").map(str::to_owned),
        created_by: prop(&ps, "brig:layer:created_by").map(str::to_owned),
    });
    let maintainer = owned(c, "publisher")
        .or_else(|| c.get("supplier").and_then(|s| owned(s, "name")))
        .or_else(|| owned(c, "author"));
    Listed {
        label,
        purl: owned(c, "purl"),
        licenses,
        maintainer,
        found_in: prop(&ps, "brig:location").map(str::to_owned),
        locations,
        layer,
        vendor: None,
        modularity_label: None,
        lang: Metadata {
            direct: prop(&ps, "brig:direct").map(|v| v == "true"),
            dev: prop(&ps, "brig:dev").map(|v| v == "true"),
            sub_path: prop(&ps, "brig:sub-path").map(str::to_owned),
            replaced_by: prop(&ps, "brig:replaced-by").map(str::to_owned),
            ..Metadata::default()
        },
        doc_ref: owned(c, "bom-ref"),
        owner_ref: prop(&ps, "brig:owned-by").map(str::to_owned),
    }
}

fn cdx_distro(c: &Value) -> Distro {
    let ps = props(c);
    let mut id_like: Vec<String> = ps
        .iter()
        .filter(|(n, _)| *n == "syft:distro:idLike" || n.starts_with("syft:distro:idLike:"))
        .flat_map(|(_, v)| v.split_whitespace().map(str::to_owned))
        .collect();
    id_like.dedup();
    Distro {
        id: prop(&ps, "syft:distro:id").map(str::to_owned).or_else(|| owned(c, "name")).unwrap_or_default(),
        version_id: prop(&ps, "syft:distro:versionID").map(str::to_owned).or_else(|| owned(c, "version")),
        version_codename: prop(&ps, "brig:distro:codename")
            .or_else(|| prop(&ps, "syft:distro:versionCodename"))
            .map(str::to_owned),
        pretty_name: owned(c, "description").or_else(|| prop(&ps, "syft:distro:prettyName").map(str::to_owned)),
        id_like,
        found_in: prop(&ps, "brig:distro:found_in").unwrap_or("CycloneDX operating-system component").to_owned(),
    }
}

fn cdx_source(subject: &Value) -> SourceInfo {
    let ps = props(subject);
    let name = owned(subject, "name");
    let brig = prop(&ps, "brig:source:kind").is_some();
    let mut layers: Vec<LayerInfo> = ps
        .iter()
        .filter_map(|(n, v)| {
            let index = n.strip_prefix("brig:layer:")?.strip_suffix(":diff_id")?.parse().ok()?;
            Some(LayerInfo {
                index,
                digest: None,
                diff_id: Some((*v).to_owned()),
                media_type: None,
                size: 0,
                created_by: None,
            })
        })
        .collect();
    layers.sort_by_key(|l| l.index);
    SourceInfo {
        kind: prop(&ps, "brig:source:kind")
            .map(str::to_owned)
            .or_else(|| str_of(subject, "type").map(|t| if t == "container" { "image".into() } else { t.to_owned() }))
            .unwrap_or_else(|| "unknown".into()),
        target: prop(&ps, "brig:source:target").map(str::to_owned).or_else(|| name.clone()).unwrap_or_default(),
        name,
        repo_tags: vec![],
        // Only brig says that the subject's version is the image id; other tools put
        // other digests there.
        image_id: if brig { owned(subject, "version") } else { None },
        manifest_digest: prop(&ps, "brig:manifest_digest").map(str::to_owned),
        platform: prop(&ps, "brig:platform").map(str::to_owned),
        layers,
    }
}

/// `metadata.tools`: 1.5+ writes `{components: [...], services: [...]}`, 1.4 a list.
fn cdx_tool(meta: &Value) -> Tool {
    let tools = meta.get("tools");
    let first = match tools {
        Some(Value::Array(a)) => a.first(),
        Some(t) => t.get("components").and_then(Value::as_array).and_then(|a| a.first()),
        None => None,
    };
    match first {
        Some(t) => Tool {
            name: owned(t, "name").unwrap_or_else(|| "unknown".into()),
            version: owned(t, "version").unwrap_or_default(),
        },
        None => Tool { name: "unknown".into(), version: String::new() },
    }
}

// ---------------------------------------------------------------------------------------
// SPDX

const SPDX: &str = "SPDX";

fn read_spdx(doc: &Value) -> Result<Sbom, ImportError> {
    let mut b = Builder::new();
    let version = doc.get("spdxVersion").and_then(Value::as_str).unwrap_or_default();
    match version {
        "SPDX-2.2" | "SPDX-2.3" => {}
        v if v.starts_with("SPDX-2.") => b.warnings.push(format!("{v}: brig reads SPDX 2.2 and 2.3; read as 2.3")),
        v => return Err(ImportError::UnsupportedVersion { format: SPDX, version: v.to_owned() }),
    }
    if let Some(p) = doc.get("packages")
        && !p.is_array()
    {
        return Err(ImportError::Invalid { format: SPDX, reason: "`packages` is not an array".into() });
    }
    // What the document describes is the scanned subject (an image, a directory), not a
    // package in it.
    let mut described: Vec<&str> = array(doc, "documentDescribes").iter().filter_map(Value::as_str).collect();
    for r in array(doc, "relationships") {
        let (Some(from), Some(kind), Some(to)) =
            (str_of(r, "spdxElementId"), str_of(r, "relationshipType"), str_of(r, "relatedSpdxElement"))
        else {
            continue;
        };
        match kind {
            "DESCRIBES" if from == "SPDXRef-DOCUMENT" => described.push(to),
            "DESCRIBED_BY" if to == "SPDXRef-DOCUMENT" => described.push(from),
            _ => {}
        }
    }
    let license_refs: BTreeMap<&str, &str> = array(doc, "hasExtractedLicensingInfos")
        .iter()
        .filter_map(|l| Some((str_of(l, "licenseId")?, str_of(l, "name").or_else(|| str_of(l, "extractedText"))?)))
        .collect();

    let mut subject: Option<&Value> = None;
    let mut distro = None;
    let mut brig_layers: BTreeMap<usize, String> = BTreeMap::new();
    let mut listed: Vec<Listed> = Vec::new();
    for p in array(doc, "packages") {
        let id = str_of(p, "SPDXID").unwrap_or_default();
        let purpose = str_of(p, "primaryPackagePurpose");
        if described.contains(&id) || purpose == Some("CONTAINER") {
            subject.get_or_insert(p);
            continue;
        }
        if purpose == Some("OPERATING_SYSTEM") || purpose == Some("OPERATING-SYSTEM") {
            if distro.is_none() {
                distro = Some(spdx_distro(p));
            }
            continue;
        }
        let l = spdx_listed(p, &license_refs);
        if let Some(layer) = &l.layer
            && let Some(d) = &layer.diff_id
        {
            brig_layers.insert(layer.index, d.clone());
        }
        listed.push(l);
    }
    // A package that CONTAINS another package (not the subject containing everything)
    // owns its files: brig writes this for language packages an OS package installed.
    let subject_id = subject.and_then(|s| str_of(s, "SPDXID")).unwrap_or("SPDXRef-DOCUMENT");
    let mut owner_of: BTreeMap<&str, &str> = BTreeMap::new();
    for r in array(doc, "relationships") {
        if let (Some(from), Some("CONTAINS"), Some(to)) =
            (str_of(r, "spdxElementId"), str_of(r, "relationshipType"), str_of(r, "relatedSpdxElement"))
            && from != subject_id
            && from != "SPDXRef-DOCUMENT"
            && !described.contains(&from)
        {
            owner_of.insert(to, from);
        }
    }
    for mut l in listed {
        l.owner_ref = l.doc_ref.as_deref().and_then(|r| owner_of.get(r)).map(|o| o.to_string());
        b.add(l);
    }
    let source = spdx_source(doc, subject, brig_layers);
    Ok(b.finish(spdx_tool(doc), source, distro))
}

fn spdx_listed(p: &Value, license_refs: &BTreeMap<&str, &str>) -> Listed {
    let name = str_of(p, "name").unwrap_or("(unnamed)");
    let label = match str_of(p, "versionInfo") {
        Some(v) => format!("package '{name}' {v}"),
        None => format!("package '{name}'"),
    };
    let purl = array(p, "externalRefs")
        .iter()
        .find(|r| str_of(r, "referenceType") == Some("purl"))
        .and_then(|r| owned(r, "referenceLocator"));
    let mut licenses = Vec::new();
    let declared = assertion(str_of(p, "licenseDeclared")).or_else(|| assertion(str_of(p, "licenseConcluded")));
    if let Some(l) = declared {
        // A lone `LicenseRef-` stands for text the document carries; that text is what
        // the package declared.
        licenses.push(license_refs.get(l).copied().unwrap_or(l).to_owned());
    }
    let maintainer = assertion(str_of(p, "supplier"))
        .map(|s| s.strip_prefix("Person:").or_else(|| s.strip_prefix("Organization:")).unwrap_or(s).trim().to_owned());
    let (locations, found_in, layer) = parse_source_info(str_of(p, "sourceInfo").unwrap_or_default());
    Listed {
        label,
        purl,
        licenses,
        maintainer,
        found_in,
        locations,
        layer,
        vendor: None,
        modularity_label: None,
        lang: Metadata::default(),
        doc_ref: owned(p, "SPDXID"),
        owner_ref: None,
    }
}

/// `sourceInfo` is free text; two tools' forms carry locations:
/// brig: `acquired package info from /var/lib/dpkg/status (layer 0 sha256:…)`;
/// syft: `acquired package info from DPKG DB: /usr/share/doc/x/copyright, /var/lib/dpkg/status`.
fn parse_source_info(info: &str) -> (Vec<Location>, Option<String>, Option<LayerRef>) {
    let Some(rest) = info.strip_prefix("acquired package info from ") else {
        return (vec![], None, None);
    };
    if rest.starts_with('/') {
        let (path, layer) = match rest.split_once(" (layer ") {
            Some((path, l)) => {
                let l = l.trim_end_matches(')');
                let (index, diff) = match l.split_once(' ') {
                    Some((i, d)) => (i, Some(d.to_owned())),
                    None => (l, None),
                };
                let layer =
                    index.parse::<usize>().ok().map(|index| LayerRef { index, diff_id: diff, created_by: None });
                (path, layer)
            }
            None => (rest, None),
        };
        return (vec![], Some(path.to_owned()), layer);
    }
    let paths = rest.split_once(": ").map(|(_, p)| p).unwrap_or_default();
    let locations = paths
        .split(", ")
        .map(str::trim)
        .filter(|p| p.starts_with('/'))
        .map(|p| Location { path: p.to_owned(), layer: None, primary: false })
        .collect();
    (locations, None, None)
}

fn spdx_distro(p: &Value) -> Distro {
    Distro {
        id: owned(p, "name").unwrap_or_default(),
        version_id: owned(p, "versionInfo"),
        version_codename: None,
        pretty_name: owned(p, "description"),
        id_like: vec![],
        found_in: str_of(p, "sourceInfo")
            .and_then(|s| s.strip_prefix("identified from "))
            .unwrap_or("SPDX OPERATING-SYSTEM package")
            .to_owned(),
    }
}

fn spdx_source(doc: &Value, subject: Option<&Value>, layers: BTreeMap<usize, String>) -> SourceInfo {
    let name = subject.and_then(|s| owned(s, "name")).or_else(|| owned(doc, "name"));
    let kind = match subject.and_then(|s| str_of(s, "primaryPackagePurpose")) {
        Some("CONTAINER") => "image".to_owned(),
        Some("FILE") => "file".to_owned(),
        Some(other) => other.to_ascii_lowercase(),
        None => "unknown".to_owned(),
    };
    // brig writes the image id as the image package's version; it is a config digest
    // only when it looks like one.
    let image_id = subject.and_then(|s| owned(s, "versionInfo")).filter(|v| v.starts_with("sha256:") && is_brig(doc));
    SourceInfo {
        kind,
        target: name.clone().unwrap_or_default(),
        name,
        image_id,
        layers: layers
            .into_iter()
            .map(|(index, d)| LayerInfo {
                index,
                digest: None,
                diff_id: Some(d),
                media_type: None,
                size: 0,
                created_by: None,
            })
            .collect(),
        ..SourceInfo::default()
    }
}

fn spdx_creators(doc: &Value) -> impl Iterator<Item = &str> {
    doc.get("creationInfo").map(|c| array(c, "creators")).unwrap_or(&[]).iter().filter_map(Value::as_str)
}

fn is_brig(doc: &Value) -> bool {
    spdx_creators(doc).any(|c| c.starts_with("Tool: brig-"))
}

/// `Tool: syft-1.18.1`: name and version split at the last dash.
fn spdx_tool(doc: &Value) -> Tool {
    for c in spdx_creators(doc) {
        if let Some(t) = c.strip_prefix("Tool:") {
            let t = t.trim();
            return match t.rsplit_once('-') {
                Some((n, v)) if v.starts_with(|c: char| c.is_ascii_digit()) => {
                    Tool { name: n.to_owned(), version: v.to_owned() }
                }
                _ => Tool { name: t.to_owned(), version: String::new() },
            };
        }
    }
    Tool { name: "unknown".into(), version: String::new() }
}

// ---------------------------------------------------------------------------------------
// syft JSON

const SYFT: &str = "syft JSON";

fn read_syft(doc: &Value) -> Result<Sbom, ImportError> {
    let mut b = Builder::new();
    if let Some(v) = str_at(doc, &["schema", "version"]) {
        // Schema 16 is what current syft writes; the fields read here are older than it.
        if v.split('.').next().and_then(|m| m.parse::<u32>().ok()).is_some_and(|m| m < 3) {
            return Err(ImportError::UnsupportedVersion { format: SYFT, version: v.to_owned() });
        }
    }
    let source_v = doc.get("source").unwrap_or(&Value::Null);
    let source = syft_source(source_v);
    for l in &source.layers {
        if let Some(d) = &l.diff_id {
            b.layer_index.insert(d.clone(), l.index);
        }
    }
    let distro = doc.get("distro").filter(|d| d.is_object()).and_then(syft_distro);
    // syft records that an OS package's files include a language package's as an
    // `ownership-by-file-overlap` relationship from the owner to the owned.
    let mut owner_of: BTreeMap<&str, &str> = BTreeMap::new();
    for r in array(doc, "artifactRelationships") {
        if let (Some(parent), Some("ownership-by-file-overlap"), Some(child)) =
            (str_of(r, "parent"), str_of(r, "type"), str_of(r, "child"))
        {
            owner_of.insert(child, parent);
        }
    }
    for a in array(doc, "artifacts") {
        let mut l = syft_listed(a);
        l.owner_ref = l.doc_ref.as_deref().and_then(|r| owner_of.get(r)).map(|o| o.to_string());
        b.add(l);
    }
    let tool = Tool {
        name: str_at(doc, &["descriptor", "name"]).unwrap_or("syft").to_owned(),
        version: str_at(doc, &["descriptor", "version"]).unwrap_or_default().to_owned(),
    };
    Ok(b.finish(tool, source, distro))
}

fn syft_listed(a: &Value) -> Listed {
    let name = str_of(a, "name").unwrap_or("(unnamed)");
    let label = match str_of(a, "version") {
        Some(v) => format!("artifact '{name}' {v}"),
        None => format!("artifact '{name}'"),
    };
    let mut licenses = Vec::new();
    for l in array(a, "licenses") {
        // Older schemas list plain strings; newer ones objects with the raw value and
        // the SPDX expression syft derived from it.
        let s = l.as_str().or_else(|| str_of(l, "spdxExpression")).or_else(|| str_of(l, "value"));
        if let Some(s) = s {
            licenses.push(s.to_owned());
        }
    }
    let locations = array(a, "locations")
        .iter()
        .filter_map(|l| {
            Some(Location {
                path: owned(l, "path")?,
                layer: owned(l, "layerID"),
                primary: str_at(l, &["annotations", "evidence"]) == Some("primary"),
            })
        })
        .collect();
    let meta = a.get("metadata").unwrap_or(&Value::Null);
    Listed {
        label,
        purl: owned(a, "purl"),
        licenses,
        maintainer: owned(meta, "maintainer"),
        found_in: None,
        locations,
        layer: None,
        vendor: owned(meta, "vendor"),
        modularity_label: owned(meta, "modularityLabel"),
        lang: Metadata::default(),
        doc_ref: owned(a, "id"),
        owner_ref: None,
    }
}

fn syft_distro(d: &Value) -> Option<Distro> {
    let id = owned(d, "id")?;
    let id_like = match d.get("idLike") {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::String(s)) => s.split_whitespace().map(str::to_owned).collect(),
        _ => vec![],
    };
    Some(Distro {
        id,
        version_id: owned(d, "versionID"),
        version_codename: owned(d, "versionCodename"),
        pretty_name: owned(d, "prettyName"),
        id_like,
        found_in: "syft distro".into(),
    })
}

fn syft_source(s: &Value) -> SourceInfo {
    let meta = s.get("metadata").unwrap_or(&Value::Null);
    let kind = match str_of(s, "type") {
        Some("directory") => "dir".to_owned(),
        Some(t) => t.to_owned(),
        None => "unknown".to_owned(),
    };
    let platform = match (str_of(meta, "os"), str_of(meta, "architecture")) {
        (Some(os), Some(arch)) => Some(format!("{os}/{arch}")),
        _ => None,
    };
    SourceInfo {
        kind,
        target: owned(meta, "userInput")
            .or_else(|| owned(meta, "path"))
            .or_else(|| owned(s, "name"))
            .unwrap_or_default(),
        name: owned(s, "name"),
        repo_tags: array(meta, "tags").iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        image_id: owned(meta, "imageID"),
        manifest_digest: owned(meta, "manifestDigest"),
        platform,
        // syft's `layers[].digest` is the diff_id (the uncompressed layer's digest), the
        // same value its locations call `layerID`.
        layers: array(meta, "layers")
            .iter()
            .enumerate()
            .map(|(index, l)| LayerInfo {
                index,
                digest: None,
                diff_id: owned(l, "digest"),
                media_type: owned(l, "mediaType"),
                size: l.get("size").and_then(Value::as_u64).unwrap_or(0),
                created_by: None,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_and_srpm_splitting() {
        assert_eq!(split_upstream("glibc", "2.31-13"), ("glibc".into(), "2.31-13".into()));
        assert_eq!(split_upstream("util-linux@2.36.1-8", "1:2.36.1-8"), ("util-linux".into(), "2.36.1-8".into()));
        assert_eq!(split_upstream("x@", "1"), ("x".into(), "1".into()));
        assert_eq!(
            split_srpm("util-linux-2.37.4-1.amzn2023.0.3.src.rpm"),
            Some(("util-linux".into(), "2.37.4-1.amzn2023.0.3".into()))
        );
        assert_eq!(split_srpm("a-1-2.nosrc.rpm"), Some(("a".into(), "1-2".into())));
        assert_eq!(split_srpm("nodashes.src.rpm"), None);
        assert_eq!(split_srpm("-1-2.src.rpm"), None);
        assert_eq!(split_srpm("glibc"), None);
    }

    #[test]
    fn cyclonedx_evidence_occurrences_are_locations() {
        let doc = br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
            {"type": "library", "name": "PyYAML", "version": "5.3.1", "purl": "pkg:pypi/pyyaml@5.3.1",
             "evidence": {"occurrences": [{"location": "/usr/local/lib/python3.9/dist-packages/PyYAML-5.3.1.dist-info"}]}},
            {"type": "library", "name": "PyYAML", "version": "5.3.1", "purl": "pkg:pypi/pyyaml@5.3.1",
             "evidence": {"occurrences": [{"location": "/usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info"}, {"line": 3}]}}
        ]}"#;
        let sbom = read_sbom(doc).unwrap();
        let mut found: Vec<&str> = sbom.packages.iter().map(|p| p.found_in.as_str()).collect();
        found.sort();
        assert_eq!(
            found,
            [
                "/usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info",
                "/usr/local/lib/python3.9/dist-packages/PyYAML-5.3.1.dist-info"
            ],
            "two copies in two places stay two packages"
        );
    }

    #[test]
    fn distro_qualifiers() {
        let d = distro_from_qualifier("debian-11");
        assert_eq!((d.id.as_str(), d.version_id.as_deref()), ("debian", Some("11")));
        let d = distro_from_qualifier("alpine-3.18.9");
        assert_eq!((d.id.as_str(), d.version_id.as_deref()), ("alpine", Some("3.18.9")));
        let d = distro_from_qualifier("rhel-8.8");
        assert_eq!((d.id.as_str(), d.version_id.as_deref()), ("rhel", Some("8.8")));
        let d = distro_from_qualifier("opensuse-leap-15.5");
        assert_eq!((d.id.as_str(), d.version_id.as_deref()), ("opensuse-leap", Some("15.5")));
        let d = distro_from_qualifier("debian-bullseye");
        assert_eq!((d.id.as_str(), d.version_codename.as_deref()), ("debian", Some("bullseye")));
        let d = distro_from_qualifier("wolfi");
        assert_eq!((d.id.as_str(), d.version_id.as_deref()), ("wolfi", None));
        assert_eq!(distro_from_qualifier("-").id, "-");
    }

    #[test]
    fn package_names_per_ecosystem() {
        let name = |s: &str| {
            let p = Purl::parse(s).unwrap_or_else(|e| panic!("{e}"));
            let k = PackageKind::from_purl_type(&p.kind).unwrap_or_else(|| panic!("{s}"));
            PurlPackage::new(k, &p).name
        };
        assert_eq!(name("pkg:npm/%40xmldom/xmldom@0.7.5"), "@xmldom/xmldom");
        assert_eq!(name("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"), "org.apache.logging.log4j:log4j-core");
        assert_eq!(name("pkg:golang/github.com/gorilla/websocket@v1.4.0"), "github.com/gorilla/websocket");
        assert_eq!(name("pkg:composer/laravel/framework@8.0.0"), "laravel/framework");
        assert_eq!(name("pkg:pypi/PyYAML@5.3.1"), "pyyaml");
        assert_eq!(name("pkg:deb/debian/libc6@2.31"), "libc6");
        assert_eq!(name("pkg:gem/rails@6.0.0"), "rails");
        assert_eq!(name("pkg:nuget/Newtonsoft.Json@12.0.1"), "Newtonsoft.Json");
        assert_eq!(name("pkg:cargo/rand@0.8.5"), "rand");
    }

    #[test]
    fn rpm_identity_from_the_purl() {
        let p = Purl::parse(
            "pkg:rpm/amzn/gmp@6.2.1-2.amzn2023.0.2?arch=x86_64&distro=amzn-2023&epoch=1&upstream=gmp-6.2.1-2.amzn2023.0.2.src.rpm",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let r = PurlPackage::new(PackageKind::Rpm, &p);
        assert_eq!(r.version, "1:6.2.1-2.amzn2023.0.2");
        assert_eq!(r.epoch, Some(1));
        assert_eq!(r.release.as_deref(), Some("2.amzn2023.0.2"));
        assert_eq!(r.source_name.as_deref(), Some("gmp"));
        assert_eq!(r.source_version.as_deref(), Some("1:6.2.1-2.amzn2023.0.2"));
        assert_eq!(r.source_rpm.as_deref(), Some("gmp-6.2.1-2.amzn2023.0.2.src.rpm"));
    }

    #[test]
    fn rejects_what_it_cannot_read_with_a_reason() {
        let e = read_sbom(b"<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">");
        assert!(matches!(&e, Err(ImportError::NotJson(r)) if r.contains("CycloneDX XML")), "{e:?}");
        let e = read_sbom(b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n");
        assert!(matches!(&e, Err(ImportError::NotJson(r)) if r.contains("tag-value")), "{e:?}");
        assert!(matches!(read_sbom(b"[1,2]"), Err(ImportError::UnknownFormat(_))));
        assert!(matches!(read_sbom(b"{\"hello\": 1}"), Err(ImportError::UnknownFormat(_))));
        assert!(matches!(read_sbom(b""), Err(ImportError::NotJson(_))));
        let bom = b"\xef\xbb\xbf{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}";
        assert!(read_sbom(bom).is_ok(), "a UTF-8 byte order mark is tolerated");
        let e = read_sbom(br#"{"schema":"brig.sbom/v2"}"#);
        assert!(matches!(e, Err(ImportError::UnsupportedVersion { .. })), "{e:?}");
        let e = read_sbom(br#"{"schema":"brig.sbom/v1","tool":{}}"#);
        assert!(matches!(e, Err(ImportError::Invalid { .. })), "{e:?}");
        let e = read_sbom(br#"{"bomFormat":"CycloneDX","specVersion":"2.0"}"#);
        assert!(matches!(e, Err(ImportError::UnsupportedVersion { .. })), "{e:?}");
        let e = read_sbom(br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":{}}"#);
        assert!(matches!(e, Err(ImportError::Invalid { .. })), "{e:?}");
        let e = read_sbom(br#"{"spdxVersion":"SPDX-3.0","@graph":[]}"#);
        assert!(matches!(e, Err(ImportError::UnsupportedVersion { .. })), "{e:?}");
        assert!(e.err().map(|e| e.to_string()).unwrap_or_default().contains("SPDX-3.0"));
    }

    #[test]
    fn odd_shapes_never_panic() {
        let docs: &[&str] = &[
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6"}"#,
            r#"{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":[],"components":[1,"x",null,{"components":5},{"purl":7},{"purl":"pkg:"},{"type":"operating-system","properties":"x"},{"properties":[1,{"name":"syft:location:x:path"},{"name":"syft:location:1:path","value":3},{"name":"brig:layer:index","value":"-1"}],"purl":"pkg:deb/debian/x@1"}]}"#,
            r#"{"bomFormat":"CycloneDX","specVersion":"1.4","metadata":{"tools":[{"vendor":"a","name":"old","version":"1"}],"component":{"type":"operating-system","name":"debian","version":"12"}},"components":[{"type":"library","name":"a","purl":"pkg:npm/a"}]}"#,
            r#"{"spdxVersion":"SPDX-2.2","packages":[{},{"externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:deb/x@1"}],"sourceInfo":"acquired package info from /x (layer z"},{"externalRefs":"x","sourceInfo":"acquired package info from X: , ,"}],"relationships":[{},1]}"#,
            r#"{"spdxVersion":"SPDX-2.1","creationInfo":{"creators":["Tool: x"]},"packages":[]}"#,
            r#"{"artifacts":[{},{"purl":"pkg:apk/alpine/x@1","locations":[{"path":"/lib/apk/db/installed","layerID":"sha256:nope"}]},null],"descriptor":{},"source":{"metadata":{"layers":[{}]}},"distro":{}}"#,
            r#"{"artifacts":[],"schema":{"url":"https://x/syft/schema-2.0.0.json","version":"2.0.0"}}"#,
        ];
        for d in docs {
            let _ = read_sbom(d.as_bytes());
        }
        let deep = format!("{}{}", "{\"components\":[".repeat(60), "]}".repeat(60));
        let _ = read_sbom(
            format!("{{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{deep}]}}").as_bytes(),
        );
    }

    #[test]
    fn distro_from_purls_when_the_document_has_none() {
        let doc = r#"{"spdxVersion":"SPDX-2.3","packages":[
            {"SPDXID":"a","name":"x","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:deb/debian/x@1?distro=debian-12"}]},
            {"SPDXID":"b","name":"y","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:deb/ubuntu/y@1?distro=ubuntu-22.04"}]}
        ]}"#;
        let s = read_sbom(doc.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let d = s.distro.unwrap_or_default();
        assert_eq!((d.id.as_str(), d.version_id.as_deref()), ("debian", Some("12")));
        assert_eq!(
            s.warnings,
            ["the document names no distro and its packages name several (debian-12, ubuntu-22.04); using debian-12"]
        );
    }

    #[test]
    fn components_without_purl_and_unsupported_types_are_warned_about() {
        let doc = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
            {"type":"library","name":"nopurl","version":"1"},
            {"type":"library","name":"bin","version":"3.9","purl":"pkg:generic/python@3.9"},
            {"type":"library","name":"bad","purl":"pkg:deb/x%zz@1"},
            {"type":"library","name":"nover","purl":"pkg:npm/left-pad"},
            {"type":"library","name":"ok","purl":"pkg:npm/left-pad@1.3.0",
             "components":[{"type":"library","name":"inner","purl":"pkg:npm/inner@2.0.0"}]}
        ]}"#;
        let s = read_sbom(doc.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = s.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["inner", "left-pad"]);
        assert_eq!(s.warnings.len(), 4, "{:#?}", s.warnings);
        assert!(s.warnings.iter().any(|w| w.contains("'nopurl' 1: no purl")));
        assert!(s.warnings.iter().any(|w| w.contains("type 'generic'") && w.contains("pkg:generic/python@3.9")));
        assert!(s.warnings.iter().any(|w| w.contains("invalid purl")));
        assert!(s.warnings.iter().any(|w| w.contains("has no version")));
    }
}

/// `read_sbom` on real documents: brig's own writers' output read back (round trip), and
/// golden excerpts written by syft (tests/fixtures, see its README), checked field by field.
#[cfg(test)]
mod real_documents {
    use super::{SbomFormat, detect, read_sbom};
    use crate::{
        Distro, Format, LayerInfo, LayerRef, Metadata, Package, PackageKind, Purl, SCHEMA, Sbom, SourceInfo, Tool,
    };

    fn fixture(name: &str) -> Sbom {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        read_sbom(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn find<'a>(s: &'a Sbom, name: &str, found_in: &str) -> &'a Package {
        s.packages
            .iter()
            .find(|p| p.name == name && p.found_in.contains(found_in))
            .unwrap_or_else(|| panic!("no {name} in {found_in}: {:#?}", s.packages))
    }

    /// kind, name, version, source name, source version, arch, purl, found_in.
    type Identity<'a> =
        (PackageKind, &'a str, &'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>, &'a str, &'a str);

    /// The fields that identify a package for matching, in one comparable tuple.
    fn identity(p: &Package) -> Identity<'_> {
        (
            p.kind,
            &p.name,
            &p.version,
            p.source_name.as_deref(),
            p.source_version.as_deref(),
            p.arch.as_deref(),
            &p.purl,
            &p.found_in,
        )
    }

    const L0: &str = "sha256:853b992fc9c74984c7a60d70d16c6953f4cf5a083a57542899ddd366b9f91635";
    const L1: &str = "sha256:a6b9a267b2b4122aedaeae4c2be0b9bc8986efd109ba8386c61963e8fa8c9a5e";
    const L2: &str = "sha256:a27019cf15ad23c5eae9e8078f0be5b7901625627ced6a5f9edfe44ebc92e2de";

    fn layer(index: usize, diff_id: &str) -> Option<LayerRef> {
        Some(LayerRef { index, diff_id: Some(diff_id.into()), created_by: None })
    }

    // ---------------------------------------------------------------------------------------
    // syft

    #[test]
    fn syft_cyclonedx_debian() {
        let s = fixture("syft-debian-11.cdx.json");
        assert_eq!(s.schema, SCHEMA);
        assert_eq!(s.tool, Tool { name: "syft".into(), version: "1.18.1".into() });
        assert_eq!(s.source.kind, "image");
        assert_eq!(s.source.target, "/corpus/images/debian-11-minbase.tar");
        assert_eq!(s.source.image_id, None, "syft's subject version is not the image id");
        assert_eq!(
            s.distro,
            Some(Distro {
                id: "debian".into(),
                version_id: Some("11".into()),
                version_codename: Some("bullseye".into()),
                pretty_name: Some("Debian GNU/Linux 11 (bullseye)".into()),
                id_like: vec![],
                found_in: "CycloneDX operating-system component".into(),
            })
        );
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert_eq!(s.packages.len(), 4);

        let libc = find(&s, "libc6", "");
        assert_eq!(
            identity(libc),
            (
                PackageKind::Deb,
                "libc6",
                "2.31-13+deb11u11",
                Some("glibc"),
                Some("2.31-13+deb11u11"),
                Some("amd64"),
                "pkg:deb/debian/libc6@2.31-13%2Bdeb11u11?arch=amd64&distro=debian-11&upstream=glibc",
                "/var/lib/dpkg/status",
            )
        );
        assert_eq!(libc.licenses, ["GPL-2.0-only", "LGPL-2.1-only"]);
        assert_eq!(libc.metadata.maintainer.as_deref(), Some("GNU Libc Maintainers <debian-glibc@lists.debian.org>"));
        assert_eq!(libc.layer, None, "a CycloneDX document from syft does not give the layers' order");
        assert_eq!(libc.id, libc.clone().with_id().id);

        // `upstream=name@version`: the source version differs from the binary's (epoch).
        let bsd = find(&s, "bsdutils", "");
        assert_eq!(bsd.version, "1:2.36.1-8+deb11u2");
        assert_eq!(
            (bsd.source_name.as_deref(), bsd.source_version.as_deref()),
            (Some("util-linux"), Some("2.36.1-8+deb11u2"))
        );
        // `upstream=name`: the source version is the binary's, epoch included.
        let passwd = find(&s, "passwd", "");
        assert_eq!(
            (passwd.source_name.as_deref(), passwd.source_version.as_deref()),
            (Some("shadow"), Some("1:4.8.1-1"))
        );
        // No `upstream`: the package is its own source.
        let base = find(&s, "base-files", "");
        assert_eq!(
            (base.source_name.as_deref(), base.source_version.as_deref()),
            (Some("base-files"), Some(base.version.as_str()))
        );
    }

    #[test]
    fn syft_spdx_debian_matches_syft_cyclonedx() {
        let spdx = fixture("syft-debian-11.spdx.json");
        let cdx = fixture("syft-debian-11.cdx.json");
        assert_eq!(spdx.tool, Tool { name: "syft".into(), version: "1.18.1".into() });
        assert_eq!(spdx.source.kind, "image");
        assert_eq!(spdx.source.target, "/corpus/images/debian-11-minbase.tar");
        // syft's SPDX has no OPERATING-SYSTEM package: the distro comes from the purls.
        let d = spdx.distro.as_ref().unwrap_or_else(|| panic!("no distro"));
        assert_eq!((d.id.as_str(), d.version_id.as_deref()), ("debian", Some("11")));
        assert!(
            spdx.warnings.is_empty(),
            "the image package is the subject, not a skipped package: {:?}",
            spdx.warnings
        );
        // Same packages, same ids, same locations (from syft's sourceInfo text).
        let a: Vec<_> = spdx.packages.iter().map(|p| (&p.id, identity(p))).collect();
        let b: Vec<_> = cdx.packages.iter().map(|p| (&p.id, identity(p))).collect();
        assert_eq!(a, b);
        let libc = find(&spdx, "libc6", "");
        assert_eq!(libc.licenses, ["GPL-2.0-only AND LGPL-2.1-only"]);
        assert_eq!(libc.metadata.maintainer, None, "syft's SPDX says NOASSERTION for dpkg suppliers");
    }

    #[test]
    fn syft_json_python_app_with_layers() {
        let s = fixture("syft-python-app.syft.json");
        assert_eq!(s.tool, Tool { name: "syft".into(), version: "1.18.1".into() });
        assert_eq!(s.source.kind, "image");
        assert_eq!(s.source.repo_tags, ["brig/python-app:1.0"]);
        assert_eq!(
            s.source.image_id.as_deref(),
            Some("sha256:b795a331ebc080b67d4beae3ff3b467e58391f8951b302762775d38ecf13d622")
        );
        assert_eq!(
            s.source.manifest_digest.as_deref(),
            Some("sha256:665511270c7a49fefff913579caeede3e92c680d725345def4bfd0ecb4c70e36")
        );
        let diff_ids: Vec<_> = s.source.layers.iter().map(|l| (l.index, l.diff_id.as_deref())).collect();
        assert_eq!(diff_ids, [(0, Some(L0)), (1, Some(L1)), (2, Some(L2))]);
        assert_eq!(s.source.layers[0].size, 80614542);
        let d = s.distro.as_ref().unwrap_or_else(|| panic!("no distro"));
        assert_eq!(
            (d.id.as_str(), d.version_id.as_deref(), d.version_codename.as_deref()),
            ("debian", Some("11"), Some("bullseye"))
        );
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert_eq!(s.packages.len(), 6);

        // dpkg's status file is in layer 1 (the last apt run), but libc6's own files are in
        // layer 0, where the truth file says it was installed.
        let libc = find(&s, "libc6", "");
        assert_eq!(libc.found_in, "/var/lib/dpkg/status");
        assert_eq!(libc.layer, layer(0, L0));
        let pyyaml_deb = find(&s, "python3-yaml", "");
        assert_eq!(pyyaml_deb.layer, layer(1, L1));
        assert_eq!(
            (pyyaml_deb.source_name.as_deref(), pyyaml_deb.source_version.as_deref()),
            (Some("pyyaml"), Some("5.3.1-5"))
        );
        assert_eq!(
            pyyaml_deb.metadata.maintainer.as_deref(),
            Some("Debian Python Team <team+python@tracker.debian.org>")
        );

        // The same PyYAML twice: Debian's and pip's, told apart by location and layer.
        let dpkg_owned = find(&s, "pyyaml", "/usr/lib/python3/");
        assert_eq!(
            identity(dpkg_owned),
            (
                PackageKind::Pypi,
                "pyyaml",
                "5.3.1",
                None,
                None,
                None,
                "pkg:pypi/pyyaml@5.3.1",
                "/usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info"
            )
        );
        assert_eq!(dpkg_owned.layer, layer(1, L1));
        let pip = find(&s, "pyyaml", "/usr/local/");
        assert_eq!(pip.found_in, "/usr/local/lib/python3.9/dist-packages/PyYAML-5.3.1.dist-info/METADATA");
        assert_eq!(pip.layer, layer(2, L2));
        assert_eq!(pip.licenses, ["MIT"]);
        assert_ne!(pip.id, dpkg_owned.id);
        let django = find(&s, "django", "");
        assert_eq!((django.version.as_str(), django.layer.as_ref().map(|l| l.index)), ("3.2.4", Some(2)));
        assert_eq!(django.licenses, ["BSD-3-Clause"]);
    }

    #[test]
    fn syft_cyclonedx_node_app() {
        let s = fixture("syft-node-app.cdx.json");
        let d = s.distro.as_ref().unwrap_or_else(|| panic!("no distro"));
        assert_eq!((d.id.as_str(), d.version_id.as_deref()), ("alpine", Some("3.18.9")));
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        let xmldom = find(&s, "@xmldom/xmldom", "");
        assert_eq!(
            identity(xmldom),
            (
                PackageKind::Npm,
                "@xmldom/xmldom",
                "0.7.5",
                None,
                None,
                None,
                "pkg:npm/%40xmldom/xmldom@0.7.5",
                "/app/node_modules/@xmldom/xmldom/package.json"
            )
        );
        assert_eq!(xmldom.licenses, ["MIT"]);
        let express = find(&s, "express", "");
        assert_eq!((express.kind, express.version.as_str()), (PackageKind::Npm, "4.16.0"));
        let certs = find(&s, "ca-certificates-bundle", "");
        assert_eq!(
            identity(certs),
            (
                PackageKind::Apk,
                "ca-certificates-bundle",
                "20240226-r0",
                Some("ca-certificates"),
                Some("20240226-r0"),
                Some("x86_64"),
                "pkg:apk/alpine/ca-certificates-bundle@20240226-r0?arch=x86_64&distro=alpine-3.18.9&upstream=ca-certificates",
                "/lib/apk/db/installed"
            )
        );
        let musl = find(&s, "musl", "");
        assert_eq!((musl.source_name.as_deref(), musl.licenses.as_slice()), (Some("musl"), &["MIT".to_owned()][..]));
        assert_eq!(musl.metadata.maintainer.as_deref(), Some("Timo Teräs <timo.teras@iki.fi>"));
    }

    #[test]
    fn syft_cyclonedx_rpm() {
        let s = fixture("syft-amzn-2023.cdx.json");
        assert_eq!((s.source.kind.as_str(), s.source.target.as_str()), ("file", "/tmp/rpmroot"));
        let d = s.distro.as_ref().unwrap_or_else(|| panic!("no distro"));
        assert_eq!(
            (d.id.as_str(), d.version_id.as_deref(), d.id_like.as_slice()),
            ("amzn", Some("2023"), &["fedora".to_owned()][..])
        );
        assert_eq!(s.packages.len(), 2, "gpg-pubkey is a signing key, not a package");
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        let gmp = find(&s, "gmp", "");
        assert_eq!(
            identity(gmp),
            (
                PackageKind::Rpm,
                "gmp",
                "1:6.2.1-2.amzn2023.0.2",
                Some("gmp"),
                Some("1:6.2.1-2.amzn2023.0.2"),
                Some("x86_64"),
                "pkg:rpm/amzn/gmp@6.2.1-2.amzn2023.0.2?arch=x86_64&distro=amzn-2023&epoch=1&upstream=gmp-6.2.1-2.amzn2023.0.2.src.rpm",
                "/var/lib/rpm/rpmdb.sqlite"
            )
        );
        assert_eq!(
            gmp.metadata,
            Metadata {
                epoch: Some(1),
                release: Some("2.amzn2023.0.2".into()),
                source_rpm: Some("gmp-6.2.1-2.amzn2023.0.2.src.rpm".into()),
                maintainer: None,
                vendor: Some("Amazon Linux".into()),
                modularity_label: None,
                ..Metadata::default()
            }
        );
        assert_eq!(gmp.licenses, ["LGPLv3+ or GPLv2+"]);
        let blkid = find(&s, "libblkid", "");
        assert_eq!(blkid.version, "2.37.4-1.amzn2023.0.3");
        assert_eq!(
            (blkid.source_name.as_deref(), blkid.source_version.as_deref()),
            (Some("util-linux"), Some("2.37.4-1.amzn2023.0.3"))
        );
        assert_eq!(blkid.metadata.epoch, None);
    }

    #[test]
    fn syft_spdx_alpine() {
        let s = fixture("syft-alpine-3.9.6.spdx.json");
        assert!(s.warnings.is_empty(), "the pkg:oci image package is the subject: {:?}", s.warnings);
        let d = s.distro.as_ref().unwrap_or_else(|| panic!("no distro"));
        assert_eq!(
            (d.id.as_str(), d.version_id.as_deref(), d.found_in.as_str()),
            ("alpine", Some("3.9.6"), "purl distro qualifier")
        );
        let names: Vec<&str> = s.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["busybox", "libssl1.1", "musl"]);
        let ssl = find(&s, "libssl1.1", "");
        assert_eq!(
            identity(ssl),
            (
                PackageKind::Apk,
                "libssl1.1",
                "1.1.1g-r0",
                Some("openssl"),
                Some("1.1.1g-r0"),
                Some("x86_64"),
                "pkg:apk/alpine/libssl1.1@1.1.1g-r0?arch=x86_64&distro=alpine-3.9.6&upstream=openssl",
                "/lib/apk/db/installed"
            )
        );
        assert_eq!(ssl.licenses, ["OpenSSL"]);
        assert_eq!(ssl.metadata.maintainer.as_deref(), Some("Timo Teras (timo.teras@iki.fi)"));
    }

    #[test]
    fn formats_are_detected() {
        let cases = [
            ("syft-debian-11.cdx.json", SbomFormat::CycloneDx),
            ("syft-debian-11.spdx.json", SbomFormat::Spdx),
            ("syft-python-app.syft.json", SbomFormat::SyftJson),
        ];
        for (name, want) in cases {
            let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(detect(&v), Some(want), "{name}");
        }
    }

    // ---------------------------------------------------------------------------------------
    // brig's own writers, read back

    fn pkg(kind: PackageKind, name: &str, version: &str, purl: Purl, found_in: &str) -> Package {
        Package {
            id: String::new(),
            kind,
            name: name.into(),
            version: version.into(),
            source_name: None,
            source_version: None,
            arch: purl.qualifiers.get("arch").cloned(),
            licenses: vec![],
            purl: purl.to_string(),
            found_in: found_in.into(),
            layer: None,
            metadata: Metadata::default(),
        }
    }

    /// An SBOM as brig's catalogers would build it: OS packages of three kinds (source
    /// names and versions as brig derives them), and language packages.
    fn sample() -> Sbom {
        let distro = Distro {
            id: "debian".into(),
            version_id: Some("11".into()),
            version_codename: Some("bullseye".into()),
            pretty_name: Some("Debian GNU/Linux 11 (bullseye)".into()),
            id_like: vec![],
            found_in: "/etc/os-release".into(),
        };
        let q = distro.purl_qualifier();
        let l0 = LayerRef { index: 0, diff_id: Some(L0.into()), created_by: Some("debootstrap".into()) };
        let l2 = LayerRef { index: 2, diff_id: Some(L2.into()), created_by: Some("RUN pip install -r req.txt".into()) };
        let status = "/var/lib/dpkg/status";

        let mut libc = pkg(
            PackageKind::Deb,
            "libc6",
            "2.31-13+deb11u5",
            Purl::new("deb", Some("debian"), "libc6", Some("2.31-13+deb11u5"))
                .qualifier("arch", Some("amd64"))
                .qualifier("distro", Some(&q))
                .qualifier("upstream", Some("glibc")),
            status,
        );
        libc.source_name = Some("glibc".into());
        libc.source_version = Some("2.31-13+deb11u5".into());
        libc.licenses = vec!["LGPL-2.1-only".into()];
        libc.layer = Some(l0.clone());
        libc.metadata.maintainer = Some("GNU Libc Maintainers <debian-glibc@lists.debian.org>".into());

        let mut bsd = pkg(
            PackageKind::Deb,
            "bsdutils",
            "1:2.36.1-8+deb11u1",
            Purl::new("deb", Some("debian"), "bsdutils", Some("1:2.36.1-8+deb11u1"))
                .qualifier("arch", Some("amd64"))
                .qualifier("distro", Some(&q))
                .qualifier("upstream", Some("util-linux@2.36.1-8+deb11u1")),
            status,
        );
        bsd.source_name = Some("util-linux".into());
        bsd.source_version = Some("2.36.1-8+deb11u1".into());
        bsd.layer = Some(l0.clone());

        let mut base = pkg(
            PackageKind::Deb,
            "base-files",
            "11.1+deb11u5",
            Purl::new("deb", Some("debian"), "base-files", Some("11.1+deb11u5"))
                .qualifier("arch", Some("amd64"))
                .qualifier("distro", Some(&q)),
            status,
        );
        base.source_name = Some("base-files".into());
        base.source_version = Some("11.1+deb11u5".into());
        base.layer = Some(LayerRef { index: 1, diff_id: Some(L1.into()), created_by: None });

        let mut ssl = pkg(
            PackageKind::Apk,
            "libssl3",
            "3.1.7-r0",
            Purl::new("apk", Some("alpine"), "libssl3", Some("3.1.7-r0"))
                .qualifier("arch", Some("x86_64"))
                .qualifier("distro", Some("alpine-3.18.9"))
                .qualifier("upstream", Some("openssl")),
            "/lib/apk/db/installed",
        );
        ssl.source_name = Some("openssl".into());
        ssl.source_version = Some("3.1.7-r0".into());
        ssl.licenses = vec!["Apache-2.0".into()];

        let mut gmp = pkg(
            PackageKind::Rpm,
            "gmp",
            "1:6.2.1-2.amzn2023.0.2",
            Purl::new("rpm", Some("amzn"), "gmp", Some("6.2.1-2.amzn2023.0.2"))
                .qualifier("arch", Some("x86_64"))
                .qualifier("distro", Some("amzn-2023"))
                .qualifier("epoch", Some("1"))
                .qualifier("upstream", Some("gmp-6.2.1-2.amzn2023.0.2.src.rpm")),
            "/var/lib/rpm/rpmdb.sqlite",
        );
        gmp.source_name = Some("gmp".into());
        gmp.source_version = Some("1:6.2.1-2.amzn2023.0.2".into());
        gmp.metadata = Metadata {
            epoch: Some(1),
            release: Some("2.amzn2023.0.2".into()),
            source_rpm: Some("gmp-6.2.1-2.amzn2023.0.2.src.rpm".into()),
            ..Metadata::default()
        };

        let mut pyyaml = pkg(
            PackageKind::Pypi,
            "pyyaml",
            "5.3.1",
            Purl::new("pypi", None, "pyyaml", Some("5.3.1")),
            "/usr/local/lib/python3.9/dist-packages/PyYAML-5.3.1.dist-info/METADATA",
        );
        pyyaml.licenses = vec!["MIT".into()];
        pyyaml.layer = Some(l2.clone());

        let mut xmldom = pkg(
            PackageKind::Npm,
            "@xmldom/xmldom",
            "0.7.5",
            Purl::new("npm", Some("@xmldom"), "xmldom", Some("0.7.5")),
            "/app/node_modules/@xmldom/xmldom/package.json",
        );
        xmldom.layer = Some(l2);

        let mut sbom = Sbom {
            schema: SCHEMA.into(),
            tool: Tool { name: "brig".into(), version: "0.1.0".into() },
            source: SourceInfo {
                kind: "docker-archive".into(),
                target: "python-app.tar".into(),
                name: Some("brig/python-app:1.0".into()),
                repo_tags: vec!["brig/python-app:1.0".into()],
                image_id: Some("sha256:b795a331ebc080b67d4beae3ff3b467e58391f8951b302762775d38ecf13d622".into()),
                manifest_digest: Some("sha256:665511270c7a49fefff913579caeede3e92c680d725345def4bfd0ecb4c70e36".into()),
                platform: Some("linux/amd64".into()),
                layers: [L0, L1, L2]
                    .iter()
                    .enumerate()
                    .map(|(index, d)| LayerInfo {
                        index,
                        digest: Some(format!("sha256:{index:064}")),
                        diff_id: Some((*d).into()),
                        media_type: Some("application/vnd.oci.image.layer.v1.tar+gzip".into()),
                        size: 1000 + index as u64,
                        created_by: None,
                    })
                    .collect(),
            },
            distro: Some(distro),
            packages: [libc, bsd, base, ssl, gmp, pyyaml, xmldom].into_iter().map(Package::with_id).collect(),
            warnings: vec!["/var/lib/rpm/Packages: skipped a record".into()],
        };
        sbom.sort();
        sbom
    }

    fn written(sbom: &Sbom, format: Format) -> Vec<u8> {
        let mut out = Vec::new();
        crate::write(sbom, format, &mut out).unwrap_or_else(|e| panic!("{e}"));
        out
    }

    #[test]
    fn brig_json_round_trips_exactly() {
        let s = sample();
        assert_eq!(read_sbom(&written(&s, Format::Json)).ok(), Some(s));
    }

    #[test]
    fn brig_cyclonedx_round_trip() {
        let s = sample();
        let back = read_sbom(&written(&s, Format::CycloneDx)).unwrap_or_else(|e| panic!("{e}"));
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        assert_eq!(back.tool, s.tool);
        assert_eq!(back.distro, s.distro, "CycloneDX keeps the codename and found_in as brig properties");
        assert_eq!(back.source.kind, "docker-archive");
        assert_eq!(back.source.target, s.source.target);
        assert_eq!(back.source.name, s.source.name);
        assert_eq!(back.source.image_id, s.source.image_id);
        assert_eq!(back.source.platform, s.source.platform);
        assert_eq!(back.source.manifest_digest, s.source.manifest_digest);
        let diff_ids = |s: &Sbom| s.source.layers.iter().map(|l| (l.index, l.diff_id.clone())).collect::<Vec<_>>();
        assert_eq!(diff_ids(&back), diff_ids(&s));
        // Every package field that CycloneDX carries comes back as it was; the writer does
        // not write an rpm's vendor or modularity label.
        assert_eq!(back.packages, s.packages);
    }

    #[test]
    fn nested_packages_keep_their_ids_through_cyclonedx() {
        // Two jars nested in one archive, as the Java cataloger reports them: same file,
        // told apart by sub_path, which the id covers.
        let mut s = sample();
        for sub_path in [None, Some("BOOT-INF/lib/a-1.0.jar"), Some("BOOT-INF/lib/b-1.0.jar")] {
            let name = sub_path.map_or("app", |p| if p.contains("/a-") { "a" } else { "b" });
            let mut p = pkg(
                PackageKind::Maven,
                &format!("org.example:{name}"),
                "1.0",
                Purl::new("maven", Some("org.example"), name, Some("1.0")),
                "/opt/app.jar",
            );
            p.metadata.sub_path = sub_path.map(str::to_owned);
            s.packages.push(p.with_id());
        }
        s.sort();
        let back = read_sbom(&written(&s, Format::CycloneDx)).unwrap_or_else(|e| panic!("{e}"));
        let nested = |s: &Sbom| {
            s.packages
                .iter()
                .filter(|p| p.kind == PackageKind::Maven)
                .map(|p| (p.id.clone(), p.metadata.sub_path.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(nested(&back).len(), 3);
        assert_eq!(nested(&back), nested(&s));
        assert_eq!(back.packages, s.packages);
    }

    #[test]
    fn brig_spdx_round_trip() {
        let s = sample();
        let back = read_sbom(&written(&s, Format::Spdx)).unwrap_or_else(|e| panic!("{e}"));
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        assert_eq!(back.tool, s.tool);
        assert_eq!(back.source.kind, "image");
        assert_eq!(back.source.target, "brig/python-app:1.0");
        assert_eq!(back.source.image_id, s.source.image_id);
        let d = back.distro.clone().unwrap_or_default();
        let want = s.distro.clone().unwrap_or_default();
        assert_eq!(
            (d.id, d.version_id, d.pretty_name, d.found_in),
            (want.id, want.version_id, want.pretty_name, want.found_in)
        );
        // SPDX's sourceInfo keeps the layer's index and diff_id, not the command.
        let expected: Vec<Package> = s
            .packages
            .iter()
            .cloned()
            .map(|mut p| {
                if let Some(l) = &mut p.layer {
                    l.created_by = None;
                }
                p
            })
            .collect();
        assert_eq!(back.packages, expected);
        let layers: Vec<_> = back.source.layers.iter().map(|l| (l.index, l.diff_id.as_deref())).collect();
        assert_eq!(layers, [(0, Some(L0)), (1, Some(L1)), (2, Some(L2))], "the layers the packages name");
    }

    #[test]
    fn a_cyclonedx_component_without_purl_is_skipped_with_a_warning() {
        let mut s = sample();
        s.packages.truncate(1);
        let mut doc: serde_json::Value =
            serde_json::from_slice(&written(&s, Format::CycloneDx)).unwrap_or_else(|e| panic!("{e}"));
        if let Some(cs) = doc["components"].as_array_mut() {
            cs.push(serde_json::json!({"type": "library", "name": "vendored-zlib", "version": "1.2.11"}));
            cs.push(serde_json::json!({"type": "application", "name": "app", "components": [
                {"type": "library", "name": "nested", "version": "2.0.0", "purl": "pkg:cargo/nested@2.0.0"}
            ]}));
        }
        let back = read_sbom(doc.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<_> = back.packages.iter().map(|p| (p.kind, p.name.as_str())).collect();
        assert_eq!(names, [(PackageKind::Deb, "base-files"), (PackageKind::Cargo, "nested")]);
        assert_eq!(
            back.warnings,
            ["skipped component 'vendored-zlib' 1.2.11: no purl", "skipped component 'app': no purl"]
        );
    }
}
