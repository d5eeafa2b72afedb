//! brig's own SBOM model. Its JSON form (`brig sbom --format json`) is the stable,
//! documented interchange format between brig's commands; CycloneDX and SPDX are
//! written from it.

use serde::{Deserialize, Serialize};

/// Version of the JSON schema below; bump on any incompatible change.
pub const SCHEMA: &str = "brig.sbom/v1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sbom {
    pub schema: String,
    pub tool: Tool,
    pub source: SourceInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distro: Option<Distro>,
    pub packages: Vec<Package>,
    /// Problems that did not stop cataloging (a skipped file, an unreadable database).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct SourceInfo {
    /// `docker-archive`, `oci-archive`, `oci-dir` or `dir`.
    pub kind: String,
    /// The target as given on the command line.
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repo_tags: Vec<String>,
    /// The config digest (image ID).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<LayerInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LayerInfo {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    pub size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// The operating system, from `os-release` or the distribution's own release file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Distro {
    /// `ID` (`debian`, `alpine`, `rhel`, …).
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_codename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub id_like: Vec<String>,
    /// The file the identification came from.
    pub found_in: String,
}

impl Distro {
    /// `debian-11`, `alpine-3.18.9`: the purl `distro` qualifier, as syft writes it.
    pub fn purl_qualifier(&self) -> String {
        match self.version_id.as_deref().or(self.version_codename.as_deref()) {
            Some(v) => format!("{}-{v}", self.id),
            None => self.id.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum PackageKind {
    Deb,
    Apk,
    Rpm,
    Pypi,
    Npm,
    Cargo,
    Golang,
    Maven,
    Gem,
    Composer,
    Nuget,
}

impl PackageKind {
    /// Every kind, in declaration order.
    pub const ALL: [PackageKind; 11] = [
        PackageKind::Deb,
        PackageKind::Apk,
        PackageKind::Rpm,
        PackageKind::Pypi,
        PackageKind::Npm,
        PackageKind::Cargo,
        PackageKind::Golang,
        PackageKind::Maven,
        PackageKind::Gem,
        PackageKind::Composer,
        PackageKind::Nuget,
    ];

    /// The serde name, which is also the purl type.
    pub fn as_str(self) -> &'static str {
        match self {
            PackageKind::Deb => "deb",
            PackageKind::Apk => "apk",
            PackageKind::Rpm => "rpm",
            PackageKind::Pypi => "pypi",
            PackageKind::Npm => "npm",
            PackageKind::Cargo => "cargo",
            PackageKind::Golang => "golang",
            PackageKind::Maven => "maven",
            PackageKind::Gem => "gem",
            PackageKind::Composer => "composer",
            PackageKind::Nuget => "nuget",
        }
    }

    /// The kind for a purl type (already lower-case, as `Purl::parse` leaves it).
    pub fn from_purl_type(kind: &str) -> Option<PackageKind> {
        PackageKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    pub fn is_os(self) -> bool {
        matches!(self, PackageKind::Deb | PackageKind::Apk | PackageKind::Rpm)
    }
}

/// The layer a package came from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LayerRef {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Package {
    /// Stable within a document: derived from kind, name, version, arch and location.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: PackageKind,
    pub name: String,
    pub version: String,
    /// The source package (Debian `Source:`, Alpine origin, RPM source rpm name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    pub purl: String,
    /// The file the package was read from, absolute inside the image.
    pub found_in: String,
    /// The layer that introduced this version of the package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<LayerRef>,
    #[serde(default, skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
}

/// Ecosystem details that matching and reports use.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epoch: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_rpm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintainer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modularity_label: Option<String>,
    /// Language packages: a direct dependency of the project (`true`) or a transitive
    /// one (`false`), when a lock file or manifest says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    /// Language packages: needed for development only, when the lock file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev: Option<bool>,
    /// Where inside `found_in` the package was found: a nested archive
    /// (`BOOT-INF/lib/spring-core-5.3.1.jar`), a lock-file key (`node_modules/a`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_path: Option<String>,
    /// Go: the module that replaced this one at build time (`path version`, or a directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// The `id` of the OS package that installed this language package's files (a Python
    /// module from a `python3-*` deb). Its vulnerabilities are that OS package's, matched
    /// through the distribution's feed, so it is not matched a second time on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
}

impl Metadata {
    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }
}

impl Package {
    /// Fills `id` from the identifying fields (kind, name, version, arch, and where it was
    /// found: `found_in` and `metadata.sub_path`, so that two jars nested in one archive
    /// are two packages); call after they are set. Whoever builds a package (the catalog
    /// or an SBOM import) gets the same id for it.
    pub fn with_id(mut self) -> Self {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        for part in [self.kind.as_str(), &self.name, &self.version, self.arch.as_deref().unwrap_or("")] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        // Hashed as `found_in!sub_path`, the form ids have always had.
        h.update(self.found_in.as_bytes());
        if let Some(sub_path) = &self.metadata.sub_path {
            h.update(b"!");
            h.update(sub_path.as_bytes());
        }
        h.update([0]);
        self.id = hex::encode(&h.finalize()[..8]);
        self
    }

    /// What tells packages apart: the fields [`Package::with_id`] hashes.
    pub fn sort_key(&self) -> (PackageKind, &str, &str, &str, &str, Option<&str>) {
        (
            self.kind,
            &self.name,
            &self.version,
            self.arch.as_deref().unwrap_or(""),
            &self.found_in,
            self.metadata.sub_path.as_deref(),
        )
    }
}

impl Sbom {
    /// Puts packages in their canonical order so that output is byte-for-byte stable.
    pub fn sort(&mut self) {
        self.packages.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.packages.dedup_by(|a, b| a.sort_key() == b.sort_key());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_purl_types_and_serde_names() {
        for k in PackageKind::ALL {
            assert_eq!(PackageKind::from_purl_type(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::Value::String(k.as_str().into())));
        }
        assert_eq!(PackageKind::from_purl_type("oci"), None);
        assert!(!PackageKind::Pypi.is_os() && PackageKind::Rpm.is_os());
    }

    fn package(found_in: &str, sub_path: Option<&str>) -> Package {
        Package {
            id: String::new(),
            kind: PackageKind::Maven,
            name: "org.example:lib".into(),
            version: "1.0".into(),
            source_name: None,
            source_version: None,
            arch: None,
            licenses: vec![],
            purl: "pkg:maven/org.example/lib@1.0".into(),
            found_in: found_in.into(),
            layer: None,
            metadata: Metadata { sub_path: sub_path.map(str::to_owned), ..Metadata::default() },
        }
        .with_id()
    }

    #[test]
    fn packages_nested_in_one_file_are_told_apart() {
        let outer = package("/app.jar", None);
        let a = package("/app.jar", Some("lib/a.jar"));
        let b = package("/app.jar", Some("lib/b.jar"));
        assert_eq!(outer.id, package("/app.jar", None).id);
        assert_eq!(a.id, package("/app.jar", Some("lib/a.jar")).id);
        assert!(outer.id != a.id && a.id != b.id && outer.id != b.id);

        let mut sbom = Sbom {
            schema: SCHEMA.into(),
            tool: Tool { name: "brig".into(), version: "0".into() },
            source: SourceInfo::default(),
            distro: None,
            packages: vec![b.clone(), a.clone(), outer.clone(), a.clone()],
            warnings: vec![],
        };
        sbom.sort();
        assert_eq!(sbom.packages, [outer, a, b]);
    }
}
