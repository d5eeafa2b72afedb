//! rpm: the package database in any of its three formats (`brig-rpmdb` reads them), found
//! at `/var/lib/rpm`, `/usr/lib/sysimage/rpm` (Fedora, SUSE) or `/usr/share/rpm`.

use serde::{Deserialize, Serialize};

pub const DB_DIRS: [&str; 3] = ["var/lib/rpm", "usr/lib/sysimage/rpm", "usr/share/rpm"];
/// In order of preference when a directory holds more than one (a converted database
/// leaves the old file behind; rpm reads the newest backend).
pub const DB_FILES: [&str; 3] = ["rpmdb.sqlite", "Packages.db", "Packages"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RpmEntry {
    pub name: String,
    pub epoch: Option<u32>,
    pub version: String,
    pub release: String,
    pub arch: Option<String>,
    pub source_rpm: Option<String>,
    pub license: Option<String>,
    pub vendor: Option<String>,
    pub modularity_label: Option<String>,
}

impl RpmEntry {
    /// `gpg-pubkey` entries are imported signing keys, not software.
    pub fn is_pseudo(&self) -> bool {
        self.name == "gpg-pubkey" && self.arch.is_none()
    }

    fn as_rpmdb(&self) -> brig_rpmdb::RpmPackage {
        brig_rpmdb::RpmPackage {
            name: self.name.clone(),
            epoch: self.epoch,
            version: self.version.clone(),
            release: self.release.clone(),
            arch: self.arch.clone(),
            source_rpm: self.source_rpm.clone(),
            license: None,
            vendor: None,
            size: None,
            modularity_label: None,
        }
    }

    pub fn evr(&self) -> String {
        self.as_rpmdb().evr()
    }

    pub fn source_name(&self) -> Option<String> {
        self.as_rpmdb().source_name().map(str::to_owned)
    }

    /// The source's `[epoch:]version-release`; source rpms carry no epoch in their file
    /// name, and share the binary's.
    pub fn source_version(&self) -> Option<String> {
        let p = self.as_rpmdb();
        let vr = p.source_version_release()?;
        Some(match self.epoch {
            Some(e) if e > 0 => format!("{e}:{vr}"),
            _ => vr.to_owned(),
        })
    }
}

/// Reads a database file; `Err` carries a message for the warning.
pub fn parse_db(data: &[u8]) -> Result<(String, Vec<RpmEntry>, Vec<String>), String> {
    let got = brig_rpmdb::read_packages(data).map_err(|e| e.to_string())?;
    let format = got.format.map(|f| f.as_str()).unwrap_or("unknown").to_owned();
    let entries = got
        .packages
        .into_iter()
        .map(|p| RpmEntry {
            name: p.name,
            epoch: p.epoch,
            version: p.version,
            release: p.release,
            arch: p.arch,
            source_rpm: p.source_rpm,
            license: p.license,
            vendor: p.vendor,
            modularity_label: p.modularity_label,
        })
        .collect();
    Ok((format, entries, got.skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_fields_from_source_rpm() {
        let e = RpmEntry {
            name: "gdbm-libs".into(),
            epoch: Some(1),
            version: "1.19".into(),
            release: "2.amzn2023.0.2".into(),
            arch: Some("x86_64".into()),
            source_rpm: Some("gdbm-1.19-2.amzn2023.0.2.src.rpm".into()),
            license: None,
            vendor: None,
            modularity_label: None,
        };
        assert_eq!(e.evr(), "1:1.19-2.amzn2023.0.2");
        assert_eq!(e.source_name().as_deref(), Some("gdbm"));
        assert_eq!(e.source_version().as_deref(), Some("1:1.19-2.amzn2023.0.2"));
        let mut k = e.clone();
        k.source_rpm = Some("python-3.9-libs-3.9.16-1.el9.src.rpm".into());
        assert_eq!(k.source_name().as_deref(), Some("python-3.9-libs"));
        k.source_rpm = Some("garbage".into());
        assert_eq!(k.source_name(), None);
    }
}
