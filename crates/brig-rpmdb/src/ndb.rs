//! rpm's own "ndb" backend (`Packages.db`, SUSE since 2020), read natively.
//!
//! The file starts with a 32-byte header (`"RpmP"`, version, generation, number of slot
//! pages), followed in the same slot pages by 16-byte slots (`"Slot"`, package index, block
//! offset, block count). A used slot points, in 16-byte blocks, at a blob: a 16-byte blob
//! header (`"BlbS"`, package index, generation, length) then the header blob. All integers
//! are little-endian (rpm writes them in host order and only x86/arm hosts produce these).

use crate::Error;

const HEADER_MAGIC: &[u8; 4] = b"RpmP";
const SLOT_MAGIC: &[u8; 4] = b"Slot";
const BLOB_MAGIC: &[u8; 4] = b"BlbS";
const SLOT_PAGE: usize = 4096;
const SLOT_LEN: usize = 16;
const BLOCK: usize = 16;
const HEADER_LEN: usize = 32;

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

pub(crate) fn is_ndb(data: &[u8]) -> bool {
    data.starts_with(HEADER_MAGIC)
}

/// Calls `record` with each package's header blob.
pub(crate) fn for_each_blob(db: &[u8], mut record: impl FnMut(&[u8])) -> Result<(), Error> {
    if !is_ndb(db) {
        return Err(Error::Format("not an rpm ndb database"));
    }
    if le32(db, 4) != Some(0) {
        return Err(Error::Format("unsupported ndb version"));
    }
    let slot_pages = le32(db, 12).ok_or(Error::Format("truncated ndb header"))? as usize;
    let slots_end = slot_pages
        .checked_mul(SLOT_PAGE)
        .filter(|&end| end <= db.len())
        .ok_or(Error::Format("ndb slot pages extend past the end of the file"))?;
    for at in (HEADER_LEN..slots_end).step_by(SLOT_LEN) {
        let slot = &db[at..at + SLOT_LEN];
        if &slot[..4] != SLOT_MAGIC {
            return Err(Error::Format("ndb slot has a bad magic"));
        }
        let pkg = le32(slot, 4).unwrap_or(0);
        if pkg == 0 {
            continue; // free slot
        }
        let block_off = le32(slot, 8).unwrap_or(0) as usize;
        let blob_at = block_off.checked_mul(BLOCK).ok_or(Error::Format("ndb block offset overflows"))?;
        let head = db.get(blob_at..blob_at + 16).ok_or(Error::Format("ndb blob past end of file"))?;
        if &head[..4] != BLOB_MAGIC || le32(head, 4) != Some(pkg) {
            return Err(Error::Format("ndb blob header does not match its slot"));
        }
        let len = le32(head, 12).unwrap_or(0) as usize;
        let blob = db.get(blob_at + 16..blob_at + 16 + len).ok_or(Error::Format("ndb blob longer than the file"))?;
        record(blob);
    }
    Ok(())
}
