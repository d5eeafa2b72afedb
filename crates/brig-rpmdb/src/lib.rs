//! Native readers for the three on-disk formats of the RPM package database.
//!
//! rpm has stored its database as Berkeley DB (`Packages`, RHEL ≤ 8, CentOS, Amazon Linux 2),
//! as its own "ndb" format (`Packages.db`, SUSE) and as SQLite (`rpmdb.sqlite`, Fedora 33+,
//! RHEL 9). Each holds one header blob per installed package; this crate finds the blobs and
//! decodes the tags a scanner needs. It never links librpm and never writes to disk.

mod bdb;
mod header;
mod ndb;
mod sqlite;

pub use header::Header;
use header::tag;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("malformed rpm header: {0}")]
    Header(&'static str),
    #[error("malformed rpm database: {0}")]
    Format(&'static str),
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("not an rpm database (no SQLite, ndb or Berkeley DB hash signature)")]
    Unknown,
}

/// The storage format of a package database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFormat {
    Sqlite,
    Ndb,
    BerkeleyDb,
}

impl DbFormat {
    /// Recognises a database by its content, not its file name.
    pub fn detect(data: &[u8]) -> Option<Self> {
        if sqlite::is_sqlite(data) {
            Some(DbFormat::Sqlite)
        } else if ndb::is_ndb(data) {
            Some(DbFormat::Ndb)
        } else if bdb::is_bdb_hash(data) {
            Some(DbFormat::BerkeleyDb)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DbFormat::Sqlite => "sqlite",
            DbFormat::Ndb => "ndb",
            DbFormat::BerkeleyDb => "bdb",
        }
    }
}

/// One installed package, with the fields `rpm -qa` shows and matching needs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RpmPackage {
    pub name: String,
    /// `None` when the package has no EPOCH tag (rpm's `%{EPOCHNUM}` prints 0).
    pub epoch: Option<u32>,
    pub version: String,
    pub release: String,
    /// `None` for pseudo-packages such as `gpg-pubkey`.
    pub arch: Option<String>,
    /// File name of the source rpm, e.g. `util-linux-2.32.1-42.el8_8.src.rpm`.
    pub source_rpm: Option<String>,
    pub license: Option<String>,
    pub vendor: Option<String>,
    pub size: Option<u32>,
    pub modularity_label: Option<String>,
    /// The package's files (absolute paths), from the compressed file list
    /// (`DIRNAMES`/`BASENAMES`/`DIRINDEXES`) or the old flat `OLDFILENAMES`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub files: Vec<String>,
}

/// Joins rpm's compressed file list; an index past the directory list is skipped.
fn file_list(h: &Header<'_>) -> Result<Vec<String>, Error> {
    let old = h.strings(tag::OLDFILENAMES)?;
    if !old.is_empty() {
        return Ok(old);
    }
    let (dirs, bases, idx) = (h.strings(tag::DIRNAMES)?, h.strings(tag::BASENAMES)?, h.u32s(tag::DIRINDEXES)?);
    Ok(bases.iter().zip(idx.iter()).filter_map(|(b, &i)| dirs.get(i as usize).map(|d| format!("{d}{b}"))).collect())
}

impl RpmPackage {
    fn from_header(h: &Header<'_>) -> Result<Self, Error> {
        let name = h.string(tag::NAME)?.ok_or(Error::Header("package has no NAME"))?;
        Ok(RpmPackage {
            name,
            epoch: h.u32(tag::EPOCH)?,
            version: h.string(tag::VERSION)?.unwrap_or_default(),
            release: h.string(tag::RELEASE)?.unwrap_or_default(),
            arch: h.string(tag::ARCH)?,
            source_rpm: h.string(tag::SOURCERPM)?,
            license: h.string(tag::LICENSE)?,
            vendor: h.string(tag::VENDOR)?,
            size: h.u32(tag::SIZE).ok().flatten(),
            modularity_label: h.string(tag::MODULARITYLABEL).ok().flatten().filter(|s| !s.is_empty()),
            // A damaged file list costs ownership information only, not the package.
            files: file_list(h).unwrap_or_default(),
        })
    }

    /// `[epoch:]version-release`, the form rpm compares and advisories quote.
    pub fn evr(&self) -> String {
        match self.epoch {
            Some(e) if e > 0 => format!("{e}:{}-{}", self.version, self.release),
            _ => format!("{}-{}", self.version, self.release),
        }
    }

    /// The source package name from `SOURCERPM` (`name-version-release.src.rpm`).
    pub fn source_name(&self) -> Option<&str> {
        let srpm = self.source_rpm.as_deref()?;
        let stem = srpm.strip_suffix(".src.rpm").or_else(|| srpm.strip_suffix(".nosrc.rpm"))?;
        let (rest, _release) = stem.rsplit_once('-')?;
        let (name, _version) = rest.rsplit_once('-')?;
        Some(name).filter(|n| !n.is_empty())
    }

    /// The source package's `version-release` from `SOURCERPM`.
    pub fn source_version_release(&self) -> Option<&str> {
        let srpm = self.source_rpm.as_deref()?;
        let stem = srpm.strip_suffix(".src.rpm").or_else(|| srpm.strip_suffix(".nosrc.rpm"))?;
        let name = self.source_name()?;
        stem.strip_prefix(name)?.strip_prefix('-')
    }

    /// The source's `[epoch:]version-release`: source rpm file names carry no epoch, and
    /// a source shares its binaries' epoch.
    pub fn source_evr(&self) -> Option<String> {
        let vr = self.source_version_release()?;
        Some(match self.epoch {
            Some(e) if e > 0 => format!("{e}:{vr}"),
            _ => vr.to_owned(),
        })
    }

    /// `gpg-pubkey` entries are imported signing keys, not software.
    pub fn is_pseudo(&self) -> bool {
        self.name == "gpg-pubkey" && self.arch.is_none()
    }
}

/// The outcome of reading a database: packages, and records that could not be decoded.
#[derive(Debug, Default)]
pub struct Packages {
    pub format: Option<DbFormat>,
    pub packages: Vec<RpmPackage>,
    /// One message per record skipped because its header was corrupt.
    pub skipped: Vec<String>,
}

/// Reads every package of a database held in memory, detecting its format by content.
pub fn read_packages(db: &[u8]) -> Result<Packages, Error> {
    let format = DbFormat::detect(db).ok_or(Error::Unknown)?;
    let mut out = Packages { format: Some(format), ..Packages::default() };
    let mut take = |blob: &[u8]| match Header::parse(blob).and_then(|h| RpmPackage::from_header(&h)) {
        Ok(p) => out.packages.push(p),
        Err(e) => out.skipped.push(e.to_string()),
    };
    match format {
        DbFormat::Sqlite => sqlite::for_each_blob(db, &mut take)?,
        DbFormat::Ndb => ndb::for_each_blob(db, &mut take)?,
        DbFormat::BerkeleyDb => bdb::for_each_record(db, |key, value| {
            // Key 0 holds rpm's instance counter, not a header.
            if key.iter().all(|&b| b == 0) {
                return;
            }
            take(&value)
        })?,
    }
    Ok(out)
}
