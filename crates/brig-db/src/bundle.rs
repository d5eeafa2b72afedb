//! Offline bundles: `brig db export` writes a tar compressed with zstd holding
//! `manifest.json`, `SHA256SUMS` and `brig.db`; `brig db import` verifies every checksum,
//! the schema version and SQLite's own integrity check before swapping the database in.
//! Sums detect corruption and casual tampering; they are not a signature.

use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Db, DbError, schema};

const FORMAT: &str = "brig-db-bundle";
const FORMAT_VERSION: u32 = 1;
const DB_NAME: &str = "brig.db";
const MANIFEST: &str = "manifest.json";
const SUMS: &str = "SHA256SUMS";
const MAX_SMALL: u64 = 1 << 20;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BundleManifest {
    pub format: String,
    pub format_version: u32,
    pub schema_version: i64,
    pub created: String,
    pub created_by: String,
    pub database: BundleFile,
    pub sources: Vec<BundleSource>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BundleFile {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BundleSource {
    pub name: String,
    pub records: u64,
    pub skipped: u64,
}

fn bundle_err(path: &Path, reason: impl Into<String>) -> DbError {
    DbError::Bundle { path: path.to_path_buf(), reason: reason.into() }
}

fn sha256_file(path: &Path) -> Result<(String, u64), DbError> {
    let mut f = std::fs::File::open(path).map_err(|e| DbError::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(|e| DbError::io(path, e))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex::encode(h.finalize()), n))
}

fn append(tar: &mut tar::Builder<impl Write>, name: &str, data: &[u8]) -> std::io::Result<()> {
    let mut h = tar::Header::new_ustar();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_cksum();
    tar.append_data(&mut h, name, data)
}

/// Writes the database at `db_path` to `out` as a bundle (atomically: a temporary file
/// beside `out`, renamed when complete).
pub fn export_bundle(db_path: &Path, out: &Path) -> Result<BundleManifest, DbError> {
    let db = Db::open(db_path)?;
    let status = db.status()?;
    drop(db);
    let (sha256, size) = sha256_file(db_path)?;
    let manifest = BundleManifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: status.schema_version,
        created: crate::now(),
        created_by: format!("brig {}", env!("CARGO_PKG_VERSION")),
        database: BundleFile { name: DB_NAME.into(), size, sha256: sha256.clone() },
        sources: status
            .sources
            .iter()
            .map(|s| BundleSource { name: s.name.clone(), records: s.records, skipped: s.skipped })
            .collect(),
    };
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| bundle_err(out, e.to_string()))?;
    let sums = format!("{}  {MANIFEST}\n{sha256}  {DB_NAME}\n", hex::encode(Sha256::digest(&manifest_bytes)));

    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new().prefix(".brig-export-").tempfile_in(dir).map_err(|e| DbError::io(dir, e))?;
    {
        let enc = zstd::stream::write::Encoder::new(tmp.as_file(), 10).map_err(|e| DbError::io(out, e))?.auto_finish();
        let mut tar = tar::Builder::new(enc);
        let io = |e| DbError::io(out, e);
        append(&mut tar, MANIFEST, &manifest_bytes).map_err(io)?;
        append(&mut tar, SUMS, sums.as_bytes()).map_err(io)?;
        let mut h = tar::Header::new_ustar();
        h.set_size(size);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_cksum();
        let f = std::fs::File::open(db_path).map_err(|e| DbError::io(db_path, e))?;
        tar.append_data(&mut h, DB_NAME, f.take(size)).map_err(io)?;
        tar.into_inner().map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(|e| DbError::io(out, e))?;
    tmp.persist(out).map_err(|e| DbError::io(out, e.error))?;
    Ok(manifest)
}

/// Verifies `bundle` and installs its database at `db_path`. Anything off (unexpected
/// members, a checksum or size that does not match, a schema from a newer brig, a
/// database SQLite finds corrupt) refuses the bundle and leaves `db_path` untouched.
pub fn import_bundle(bundle: &Path, db_path: &Path) -> Result<BundleManifest, DbError> {
    let file = std::fs::File::open(bundle).map_err(|e| DbError::io(bundle, e))?;
    let dec = zstd::stream::read::Decoder::new(file).map_err(|e| bundle_err(bundle, format!("not zstd: {e}")))?;
    let mut tar = tar::Archive::new(dec);
    let dir = db_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| DbError::io(dir, e))?;
    let mut manifest: Option<(BundleManifest, String)> = None;
    let mut sums: Option<String> = None;
    let mut db: Option<(tempfile::NamedTempFile, String, u64)> = None;
    let corrupt = |e: std::io::Error| bundle_err(bundle, format!("corrupt or truncated: {e}"));
    for entry in tar.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        let name = entry.path().map_err(corrupt)?.to_string_lossy().into_owned();
        match name.as_str() {
            MANIFEST | SUMS => {
                if entry.size() > MAX_SMALL {
                    return Err(bundle_err(bundle, format!("{name} is implausibly large")));
                }
                let mut buf = Vec::new();
                entry.read_to_end(&mut buf).map_err(corrupt)?;
                if name == MANIFEST {
                    let digest = hex::encode(Sha256::digest(&buf));
                    let m: BundleManifest =
                        serde_json::from_slice(&buf).map_err(|e| bundle_err(bundle, format!("manifest: {e}")))?;
                    manifest = Some((m, digest));
                } else {
                    sums = Some(String::from_utf8(buf).map_err(|_| bundle_err(bundle, "SHA256SUMS is not text"))?);
                }
            }
            DB_NAME => {
                let Some((m, _)) = &manifest else {
                    return Err(bundle_err(bundle, "brig.db comes before manifest.json"));
                };
                if entry.size() != m.database.size {
                    return Err(bundle_err(bundle, "brig.db size differs from the manifest"));
                }
                let mut tmp = tempfile::Builder::new()
                    .prefix(".brig-import-")
                    .tempfile_in(dir)
                    .map_err(|e| DbError::io(dir, e))?;
                let mut h = Sha256::new();
                let mut buf = vec![0u8; 1 << 20];
                let mut n = 0u64;
                loop {
                    let k = entry.read(&mut buf).map_err(corrupt)?;
                    if k == 0 {
                        break;
                    }
                    h.update(&buf[..k]);
                    tmp.write_all(&buf[..k]).map_err(|e| DbError::io(dir, e))?;
                    n += k as u64;
                }
                db = Some((tmp, hex::encode(h.finalize()), n));
            }
            other => return Err(bundle_err(bundle, format!("unexpected member {other:?}"))),
        }
    }
    let (manifest, manifest_sha) = manifest.ok_or_else(|| bundle_err(bundle, "no manifest.json"))?;
    let sums = sums.ok_or_else(|| bundle_err(bundle, "no SHA256SUMS"))?;
    let (tmp, db_sha, db_size) = db.ok_or_else(|| bundle_err(bundle, "no brig.db"))?;
    if manifest.format != FORMAT || manifest.format_version != FORMAT_VERSION {
        return Err(bundle_err(
            bundle,
            format!("not a brig database bundle ({} v{})", manifest.format, manifest.format_version),
        ));
    }
    let listed = |name: &str| {
        sums.lines().find_map(|l| l.split_once("  ").filter(|(_, n)| *n == name).map(|(h, _)| h.to_owned()))
    };
    if listed(MANIFEST).as_deref() != Some(manifest_sha.as_str()) {
        return Err(bundle_err(bundle, "manifest.json does not match SHA256SUMS (tampered?)"));
    }
    if listed(DB_NAME).as_deref() != Some(db_sha.as_str())
        || manifest.database.sha256 != db_sha
        || db_size != manifest.database.size
    {
        return Err(bundle_err(bundle, "brig.db does not match its checksum (corrupt or tampered)"));
    }
    if manifest.schema_version > schema::SCHEMA_VERSION {
        return Err(DbError::TooNew { found: manifest.schema_version, supported: schema::SCHEMA_VERSION });
    }
    tmp.as_file().sync_all().map_err(|e| DbError::io(dir, e))?;
    {
        let conn = rusqlite::Connection::open(tmp.path())?;
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(bundle_err(bundle, format!("the database fails SQLite's integrity check: {check}")));
        }
        schema::migrate(&conn)?;
    }
    let tmp_path = tmp.into_temp_path();
    crate::install(&tmp_path, db_path)?;
    // The temporary was renamed away; keep TempPath from deleting the installed file.
    let _ = tmp_path.keep();
    Ok(manifest)
}
