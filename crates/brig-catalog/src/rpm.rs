//! rpm: the package database in any of its three formats (`brig-rpmdb` reads them), found
//! at `/var/lib/rpm`, `/usr/lib/sysimage/rpm` (Fedora, SUSE) or `/usr/share/rpm`.

pub use brig_rpmdb::RpmPackage;

pub const DB_DIRS: [&str; 3] = ["var/lib/rpm", "usr/lib/sysimage/rpm", "usr/share/rpm"];
/// In order of preference when a directory holds more than one (a converted database
/// leaves the old file behind; rpm reads the newest backend).
pub const DB_FILES: [&str; 3] = ["rpmdb.sqlite", "Packages.db", "Packages"];

/// Whether a normalised image path (no leading `/`) is an rpm database file.
pub fn is_db_path(path: &str) -> bool {
    let (dir, name) = brig_layer::path::split_parent(path);
    DB_DIRS.contains(&dir) && DB_FILES.contains(&name)
}

/// Reads a database file: (format, packages, messages about skipped records), or a
/// message for the warning.
pub fn parse_db(data: &[u8]) -> Result<(String, Vec<RpmPackage>, Vec<String>), String> {
    let mut got = brig_rpmdb::read_packages(data).map_err(|e| e.to_string())?;
    let format = got.format.map(|f| f.as_str()).unwrap_or("unknown").to_owned();
    // Only the files that can own a language package are worth keeping in the analysis.
    for p in &mut got.packages {
        let files = std::mem::take(&mut p.files);
        p.files = files
            .iter()
            .filter_map(|f| crate::files::listed_path(f))
            .filter(|f| crate::files::ownership_relevant(f))
            .collect();
    }
    Ok((format, got.packages, got.skipped))
}
