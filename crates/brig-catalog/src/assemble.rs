//! Turns the squashed filesystem and each layer's parsed files into the image's distro
//! and packages, each attributed to the layer that introduced it.

use std::collections::{BTreeMap, HashMap};

use brig_layer::{FileRef, FsIndex, LayerTree, Node};
use brig_sbom::{Distro, LayerRef, Metadata, Package, PackageKind, Purl};

use crate::apk::ApkEntry;
use crate::dpkg::DpkgEntry;
use crate::files::Artifact;
use crate::os_release;
use crate::rpm::{self, RpmPackage};

/// One layer's analysis: its tree and what its wanted files held.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct LayerAnalysis {
    pub tree: LayerTree,
    pub artifacts: Vec<Artifact>,
    pub warnings: Vec<String>,
}

/// What the image says about a layer, for attribution.
#[derive(Debug, Clone, Default)]
pub struct LayerMeta {
    pub diff_id: Option<String>,
    pub created_by: Option<String>,
}

pub(crate) struct Assembly<'a> {
    layers: &'a [LayerAnalysis],
    meta: &'a [LayerMeta],
    fs: FsIndex,
    /// Per layer: path -> artifact slot, for the files that layer wrote.
    written: Vec<HashMap<&'a str, u32>>,
    /// Real path of a file an OS package installed -> that package's id.
    owned: HashMap<String, String>,
    pub warnings: Vec<String>,
}

impl<'a> Assembly<'a> {
    pub fn new(layers: &'a [LayerAnalysis], meta: &'a [LayerMeta]) -> Self {
        let (fs, warnings) = FsIndex::squash(layers.iter().map(|l| &l.tree));
        let written = layers
            .iter()
            .map(|l| {
                l.tree
                    .nodes
                    .iter()
                    .filter_map(|(p, n)| match n {
                        Node::File { slot: Some(s) } => Some((p.as_str(), *s)),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let mut warnings = warnings;
        for (i, l) in layers.iter().enumerate() {
            warnings.extend(
                l.warnings.iter().map(|w| if layers.len() > 1 { format!("layer {i}: {w}") } else { w.clone() }),
            );
        }
        Assembly { layers, meta, fs, written, owned: HashMap::new(), warnings }
    }

    fn artifact(&self, f: &FileRef<'_>) -> Option<&'a Artifact> {
        let slot = f.slot?;
        self.layers.get(f.layer)?.artifacts.get(slot as usize)
    }

    /// The file at `path` and what it held, following symlinks; a symlink loop is a warning.
    fn lookup(&mut self, path: &str) -> Option<(String, usize, &'a Artifact)> {
        match self.fs.file(path) {
            Ok(Some(f)) => {
                let a = self.artifact(&f)?;
                Some((f.path.to_owned(), f.layer, a))
            }
            Ok(None) => None,
            Err(e) => {
                self.warnings.push(e.to_string());
                None
            }
        }
    }

    fn layer_ref(&self, index: usize) -> Option<LayerRef> {
        let m = self.meta.get(index)?;
        Some(LayerRef { index, diff_id: m.diff_id.clone(), created_by: m.created_by.clone() })
    }

    /// The earliest layer from which `path` continuously held a database listing the
    /// package: walking down from the layer that wrote the final copy, every lower layer
    /// that rewrote the same file must still list it.
    fn introduced_in(&self, path: &str, last: usize, listed: impl Fn(&Artifact) -> bool) -> usize {
        let mut earliest = last;
        for l in (0..last).rev() {
            let Some(slot) = self.written[l].get(path) else {
                continue;
            };
            match self.layers[l].artifacts.get(*slot as usize) {
                Some(a) if listed(a) => earliest = l,
                _ => break,
            }
        }
        earliest
    }

    pub fn distro(&mut self) -> Option<Distro> {
        for path in ["etc/os-release", "usr/lib/os-release"] {
            if let Some((_, _, Artifact::OsRelease(fields))) = self.lookup(path)
                && let Some(d) = os_release::distro_from_os_release(fields, &format!("/{path}"))
            {
                return Some(d);
            }
        }
        if let Some((_, _, Artifact::AlpineRelease(t))) = self.lookup("etc/alpine-release") {
            return os_release::distro_from_alpine_release(t, "/etc/alpine-release");
        }
        if let Some((_, _, Artifact::DebianVersion(t))) = self.lookup("etc/debian_version") {
            return os_release::distro_from_debian_version(t, "/etc/debian_version");
        }
        None
    }

    pub fn packages(&mut self, distro: Option<&Distro>) -> Vec<Package> {
        let mut out = Vec::new();
        self.dpkg(distro, &mut out);
        self.apk(distro, &mut out);
        self.rpm(distro, &mut out);
        self.lang(&mut out);
        out
    }

    /// Records that the OS package `id` installed `paths` (as its database lists them).
    fn own(&mut self, id: &str, paths: &[String]) {
        for p in paths {
            // The database names the path the package shipped; the index knows files by
            // their real path (`lib` may be a link to `usr/lib`).
            let real = self.fs.resolve(p).unwrap_or_else(|_| p.clone());
            self.owned.entry(real).or_insert_with(|| id.to_owned());
            self.owned.entry(p.clone()).or_insert_with(|| id.to_owned());
        }
    }

    /// The OS package owning a language package found in `path` (the file itself, or for
    /// Python metadata its `.dist-info`/`.egg-info` directory).
    fn owner_of(&self, path: &str) -> Option<String> {
        if let Some(o) = self.owned.get(path) {
            return Some(o.clone());
        }
        let (dir, _) = brig_layer::path::split_parent(path);
        (dir.ends_with(".dist-info") || dir.ends_with(".egg-info")).then(|| self.owned.get(dir).cloned()).flatten()
    }

    /// Language packages: every surviving language file and executable that recorded
    /// packages. Installed copies are the packages; a manifest or lock file naming the same
    /// (ecosystem, name, version) only adds what it knows (direct, dev), and reports on its
    /// own what is not installed.
    fn lang(&mut self, out: &mut Vec<Package>) {
        let files: Vec<(String, usize, &'a Artifact)> = self
            .fs
            .files()
            .filter_map(|f| {
                let a = self.artifact(&f)?;
                matches!(a, Artifact::Lang { .. } | Artifact::Binary(_) | Artifact::Unreadable(_))
                    .then(|| (f.path.to_owned(), f.layer, a))
            })
            .collect();
        let mut installed: Vec<Package> = Vec::new();
        let mut declared: Vec<Package> = Vec::new();
        for (path, layer, artifact) in files {
            let (parsed, is_installed) = match artifact {
                Artifact::Lang { file, parsed } => (parsed, file.is_installed()),
                Artifact::Binary(parsed) => (parsed, true),
                // Unreadable language files and executables are warned about here. The
                // only unreadable OS database is an rpm one, which `rpm` warns about (the
                // dpkg and apk parsers always give entries).
                Artifact::Unreadable(e) => {
                    if !rpm::is_db_path(&path) {
                        self.warnings.push(format!("/{path}: {e}"));
                    }
                    continue;
                }
                _ => continue,
            };
            for w in &parsed.warnings {
                self.warnings.push(format!("/{path}: {w}"));
            }
            let owner = self.owner_of(&path);
            for lp in &parsed.packages {
                let introduced = self.introduced_in(
                    &path,
                    layer,
                    |a| matches!(a, Artifact::Lang { parsed, .. } | Artifact::Binary(parsed) if parsed.packages.contains(lp)),
                );
                let pkg = lang_package(lp, &path, self.layer_ref(introduced), owner.clone());
                if is_installed { installed.push(pkg) } else { declared.push(pkg) }
            }
        }
        // (kind, name, version) -> the installed copies.
        let mut by_key: BTreeMap<(brig_sbom::PackageKind, String, String), Vec<usize>> = BTreeMap::new();
        for (i, p) in installed.iter().enumerate() {
            by_key.entry((p.kind, p.name.clone(), p.version.clone())).or_default().push(i);
        }
        let mut kept: BTreeMap<(brig_sbom::PackageKind, String, String, String), usize> = BTreeMap::new();
        let mut extra: Vec<Package> = Vec::new();
        for d in declared {
            let key = (d.kind, d.name.clone(), d.version.clone());
            if let Some(copies) = by_key.get(&key) {
                // A copy an OS package installed is the distribution's, not the project's.
                for &i in copies {
                    let m = &mut installed[i].metadata;
                    if m.owned_by.is_some() {
                        continue;
                    }
                    m.direct = m.direct.or(d.metadata.direct);
                    m.dev = m.dev.or(d.metadata.dev);
                }
                continue;
            }
            // go.mod and go.sum (or two lock files) in one directory name the same module once.
            let dir = brig_layer::path::split_parent(&d.found_in).0.to_owned();
            match kept.get(&(key.0, key.1.clone(), key.2.clone(), dir.clone())) {
                Some(&j) => {
                    let m = &mut extra[j].metadata;
                    m.direct = m.direct.or(d.metadata.direct);
                    m.dev = m.dev.or(d.metadata.dev);
                }
                None => {
                    kept.insert((key.0, key.1, key.2, dir), extra.len());
                    extra.push(d);
                }
            }
        }
        out.extend(installed);
        out.extend(extra);
    }

    fn dpkg(&mut self, distro: Option<&Distro>, out: &mut Vec<Package>) {
        let mut dbs: Vec<(String, usize, &'a Artifact)> = Vec::new();
        if let Some(found) = self.lookup("var/lib/dpkg/status") {
            dbs.push(found);
        }
        match self.fs.files_in("var/lib/dpkg/status.d") {
            Ok(files) => {
                let files: Vec<(String, usize, Option<u32>)> =
                    files.iter().map(|f| (f.path.to_owned(), f.layer, f.slot)).collect();
                for (path, layer, slot) in files {
                    if let Some(a) = slot.and_then(|s| self.layers[layer].artifacts.get(s as usize)) {
                        dbs.push((path, layer, a));
                    }
                }
            }
            Err(e) => self.warnings.push(e.to_string()),
        }
        for (path, layer, artifact) in dbs {
            let entries = match artifact {
                Artifact::Dpkg { entries, skipped } => {
                    if *skipped > 0 {
                        self.warnings
                            .push(format!("/{path}: skipped {skipped} paragraph(s) without Package or Version"));
                    }
                    entries
                }
                _ => continue,
            };
            let is_status = path == "var/lib/dpkg/status";
            for e in entries.iter().filter(|e| e.is_installed()) {
                let (list_layer, files) = self.dpkg_list(e);
                let introduced = if is_status {
                    list_layer.unwrap_or_else(|| {
                        self.introduced_in(
                            &path,
                            layer,
                            |a| matches!(a, Artifact::Dpkg { entries, .. } if entries.contains(e)),
                        )
                    })
                } else {
                    layer
                };
                let licenses = match self.lookup(&format!("usr/share/doc/{}/copyright", e.package)) {
                    Some((_, _, Artifact::Copyright(l))) => l.clone(),
                    _ => Vec::new(),
                };
                let pkg = deb_package(e, distro, &path, self.layer_ref(introduced), licenses);
                if let Some(files) = files {
                    self.own(&pkg.id, files);
                }
                out.push(pkg);
            }
        }
    }

    /// dpkg's `info/<pkg>[:<arch>].list` of an installed package (the arch-qualified name
    /// first): the layer that last wrote it, and the ownership-relevant paths it lists.
    /// dpkg rewrites the file whenever it installs or upgrades the package, so that layer
    /// introduced the installed version.
    fn dpkg_list(&self, e: &DpkgEntry) -> (Option<usize>, Option<&'a [String]>) {
        let plain = format!("var/lib/dpkg/info/{}.list", e.package);
        let qualified = e.arch.as_ref().map(|a| format!("var/lib/dpkg/info/{}:{a}.list", e.package));
        let found: Vec<FileRef<'_>> =
            qualified.iter().chain([&plain]).filter_map(|n| self.fs.file(n).ok().flatten()).collect();
        let files = found.iter().find_map(|f| match self.artifact(f)? {
            Artifact::DpkgFiles(files) => Some(files.as_slice()),
            _ => None,
        });
        (found.first().map(|f| f.layer), files)
    }

    fn apk(&mut self, distro: Option<&Distro>, out: &mut Vec<Package>) {
        let mut seen = Vec::new();
        for db in ["lib/apk/db/installed", "usr/lib/apk/db/installed"] {
            let Some((path, layer, artifact)) = self.lookup(db) else {
                continue;
            };
            if seen.contains(&path) {
                continue; // one file reached by two names (a /lib symlink)
            }
            seen.push(path.clone());
            let entries = match artifact {
                Artifact::Apk { entries, skipped } => {
                    if *skipped > 0 {
                        self.warnings.push(format!("/{path}: skipped {skipped} record(s) without P or V"));
                    }
                    entries
                }
                _ => continue,
            };
            for e in entries {
                let introduced = self.introduced_in(
                    &path,
                    layer,
                    |a| matches!(a, Artifact::Apk { entries, .. } if entries.contains(e)),
                );
                let pkg = apk_package(e, distro, &path, self.layer_ref(introduced));
                self.own(&pkg.id, &e.files);
                out.push(pkg);
            }
        }
    }

    fn rpm(&mut self, distro: Option<&Distro>, out: &mut Vec<Package>) {
        let mut seen = Vec::new();
        for dir in rpm::DB_DIRS {
            // One database per directory: the newest backend present.
            let Some((path, layer, artifact)) = rpm::DB_FILES.iter().find_map(|f| self.lookup(&format!("{dir}/{f}")))
            else {
                continue;
            };
            if seen.contains(&path) {
                continue;
            }
            seen.push(path.clone());
            let entries = match artifact {
                Artifact::Rpm { entries, skipped, format } => {
                    for s in skipped {
                        self.warnings.push(format!("/{path} ({format}): skipped a record: {s}"));
                    }
                    entries
                }
                Artifact::Unreadable(e) => {
                    self.warnings.push(format!("/{path}: {e}"));
                    continue;
                }
                _ => continue,
            };
            for e in entries.iter().filter(|e| !e.is_pseudo()) {
                let introduced = self.introduced_in(
                    &path,
                    layer,
                    |a| matches!(a, Artifact::Rpm { entries, .. } if entries.contains(e)),
                );
                let pkg = rpm_package(e, distro, &path, self.layer_ref(introduced));
                self.own(&pkg.id, &e.files);
                out.push(pkg);
            }
        }
    }
}

/// `upstream` as syft writes it: the source name, with `@version` when the source
/// version differs from the binary's; omitted when both are the binary's own.
fn upstream(name: &str, version: &str, src: &str, src_version: &str) -> Option<String> {
    match (src == name, src_version == version) {
        (true, true) => None,
        (_, true) => Some(src.to_owned()),
        (_, false) => Some(format!("{src}@{src_version}")),
    }
}

fn deb_package(
    e: &DpkgEntry,
    distro: Option<&Distro>,
    path: &str,
    layer: Option<LayerRef>,
    licenses: Vec<String>,
) -> Package {
    let (src, src_version) = e.source();
    let namespace = distro.map(|d| d.id.as_str()).unwrap_or("debian");
    let purl = Purl::new("deb", Some(namespace), &e.package, Some(&e.version))
        .qualifier("arch", e.arch.as_deref())
        .qualifier("distro", distro.map(|d| d.purl_qualifier()).as_deref())
        .qualifier("upstream", upstream(&e.package, &e.version, src, src_version).as_deref());
    Package {
        id: String::new(),
        kind: PackageKind::Deb,
        name: e.package.clone(),
        version: e.version.clone(),
        source_name: Some(src.to_owned()),
        source_version: Some(src_version.to_owned()),
        arch: e.arch.clone(),
        licenses,
        purl: purl.to_string(),
        found_in: format!("/{path}"),
        layer,
        metadata: Metadata { maintainer: e.maintainer.clone(), ..Metadata::default() },
    }
    .with_id()
}

fn apk_licenses(raw: Option<&str>) -> Vec<String> {
    let Some(raw) = raw else { return Vec::new() };
    // Old Alpine packages list licences separated by spaces ("MIT BSD GPL2+").
    if brig_sbom::license::spdx_expression(raw).is_none() {
        let tokens: Vec<&str> = raw.split_whitespace().collect();
        if tokens.len() > 1 && tokens.iter().all(|t| brig_sbom::license::spdx_expression(t).is_some()) {
            return tokens.into_iter().map(str::to_owned).collect();
        }
    }
    vec![raw.to_owned()]
}

fn apk_package(e: &ApkEntry, distro: Option<&Distro>, path: &str, layer: Option<LayerRef>) -> Package {
    let origin = e.origin.clone().unwrap_or_else(|| e.name.clone());
    let namespace = distro.map(|d| d.id.as_str()).unwrap_or("alpine");
    let purl = Purl::new("apk", Some(namespace), &e.name, Some(&e.version))
        .qualifier("arch", e.arch.as_deref())
        .qualifier("distro", distro.map(|d| d.purl_qualifier()).as_deref())
        .qualifier("upstream", upstream(&e.name, &e.version, &origin, &e.version).as_deref());
    Package {
        id: String::new(),
        kind: PackageKind::Apk,
        name: e.name.clone(),
        version: e.version.clone(),
        source_name: Some(origin),
        source_version: Some(e.version.clone()),
        arch: e.arch.clone(),
        licenses: apk_licenses(e.license.as_deref()),
        purl: purl.to_string(),
        found_in: format!("/{path}"),
        layer,
        metadata: Metadata { maintainer: e.maintainer.clone(), ..Metadata::default() },
    }
    .with_id()
}

fn rpm_package(e: &RpmPackage, distro: Option<&Distro>, path: &str, layer: Option<LayerRef>) -> Package {
    let epoch = e.epoch.filter(|&x| x > 0).map(|x| x.to_string());
    let purl = Purl::new("rpm", distro.map(|d| d.id.as_str()), &e.name, Some(&format!("{}-{}", e.version, e.release)))
        .qualifier("arch", e.arch.as_deref())
        .qualifier("distro", distro.map(|d| d.purl_qualifier()).as_deref())
        .qualifier("epoch", epoch.as_deref())
        .qualifier("upstream", e.source_rpm.as_deref());
    Package {
        id: String::new(),
        kind: PackageKind::Rpm,
        name: e.name.clone(),
        version: e.evr(),
        source_name: e.source_name().map(str::to_owned),
        source_version: e.source_evr(),
        arch: e.arch.clone(),
        licenses: e.license.iter().cloned().collect(),
        purl: purl.to_string(),
        found_in: format!("/{path}"),
        layer,
        metadata: Metadata {
            epoch: e.epoch,
            release: Some(e.release.clone()),
            source_rpm: e.source_rpm.clone(),
            vendor: e.vendor.clone(),
            modularity_label: e.modularity_label.clone(),
            ..Metadata::default()
        },
    }
    .with_id()
}

fn lang_package(lp: &crate::lang::LangPackage, path: &str, layer: Option<LayerRef>, owner: Option<String>) -> Package {
    // PyPI names compare after PEP 503 normalisation; reports and purls use that form.
    let name = match lp.kind {
        PackageKind::Pypi => brig_sbom::purl::pep503(&lp.name),
        _ => lp.name.clone(),
    };
    let purl = Purl::for_package(lp.kind, &name, &lp.version);
    Package {
        id: String::new(),
        kind: lp.kind,
        name,
        version: lp.version.clone(),
        source_name: None,
        source_version: None,
        arch: None,
        licenses: lp.licenses.clone(),
        purl: purl.to_string(),
        found_in: format!("/{path}"),
        layer,
        metadata: Metadata {
            direct: lp.direct,
            dev: lp.dev,
            sub_path: lp.sub_path.clone(),
            replaced_by: lp.replaced_by.clone(),
            owned_by: owner,
            ..Metadata::default()
        },
    }
    .with_id()
}
