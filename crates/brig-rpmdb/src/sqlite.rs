//! rpm's SQLite backend (`rpmdb.sqlite`, Fedora 33+, RHEL 9, Amazon Linux 2023, Mariner).
//!
//! The database bytes are handed to SQLite in memory (`sqlite3_deserialize`), so nothing is
//! written beside the image's file: rpm's databases are in WAL mode, and opening one from disk
//! would create `-shm`/`-wal` files. The WAL flag in the file header is cleared first because
//! an in-memory database cannot use WAL.

use std::io::Read;

use rusqlite::{Connection, MAIN_DB, OpenFlags};

use crate::Error;

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

pub(crate) fn is_sqlite(data: &[u8]) -> bool {
    data.starts_with(MAGIC)
}

pub(crate) fn for_each_blob(db: &[u8], mut record: impl FnMut(&[u8])) -> Result<(), Error> {
    if !is_sqlite(db) || db.len() < 100 {
        return Err(Error::Format("not a SQLite database"));
    }
    let mut conn = Connection::open_with_flags(":memory:", OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    // Bytes 18 and 19 are the read/write format versions: 2 means WAL, 1 rollback journal.
    let header_fix = [1u8, 1u8];
    let reader = (&db[..18]).chain(&header_fix[..]).chain(&db[20..]);
    conn.deserialize_read_exact(MAIN_DB, reader, db.len(), true)?;
    conn.execute_batch("PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON;")?;
    let mut stmt = conn.prepare("SELECT blob FROM Packages ORDER BY hnum")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let blob = row.get_ref(0)?;
        if let Ok(bytes) = blob.as_blob() {
            record(bytes);
        }
    }
    Ok(())
}
