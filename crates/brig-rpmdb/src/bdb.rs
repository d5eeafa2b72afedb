//! Berkeley DB hash databases (`/var/lib/rpm/Packages`), read natively.
//!
//! rpm stores one record per installed package: key = header instance (native `u32`),
//! value = header blob. We do not walk buckets; every hash page is scanned in file order and
//! each key/data pair is read, following overflow chains for values that did not fit a page.
//! Page formats are those of Berkeley DB's on-disk layout (`db_page.h` in its documentation).

use crate::Error;

const HASH_MAGIC: u32 = 0x0006_1561;
const META_HEADER_LEN: usize = 72;
const PAGE_HEADER_LEN: usize = 26;

const PAGE_HASH_UNSORTED: u8 = 2;
const PAGE_OVERFLOW: u8 = 7;
const PAGE_HASH_META: u8 = 8;
const PAGE_HASH: u8 = 13;

const ITEM_KEYDATA: u8 = 1;
const ITEM_OFFPAGE: u8 = 3;

#[derive(Clone, Copy)]
struct Endian(bool); // true = big-endian

impl Endian {
    fn u32(self, b: &[u8], at: usize) -> Option<u32> {
        let s: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(if self.0 { u32::from_be_bytes(s) } else { u32::from_le_bytes(s) })
    }
    fn u16(self, b: &[u8], at: usize) -> Option<u16> {
        let s: [u8; 2] = b.get(at..at + 2)?.try_into().ok()?;
        Some(if self.0 { u16::from_be_bytes(s) } else { u16::from_le_bytes(s) })
    }
}

pub(crate) fn is_bdb_hash(data: &[u8]) -> bool {
    data.len() >= META_HEADER_LEN
        && (Endian(false).u32(data, 12) == Some(HASH_MAGIC) || Endian(true).u32(data, 12) == Some(HASH_MAGIC))
}

/// Calls `record` with each (key, value) pair of a hash database.
pub(crate) fn for_each_record(db: &[u8], mut record: impl FnMut(&[u8], Vec<u8>)) -> Result<(), Error> {
    let endian = if Endian(false).u32(db, 12) == Some(HASH_MAGIC) {
        Endian(false)
    } else if Endian(true).u32(db, 12) == Some(HASH_MAGIC) {
        Endian(true)
    } else {
        return Err(Error::Format("not a Berkeley DB hash database"));
    };
    if db.get(25) != Some(&PAGE_HASH_META) {
        return Err(Error::Format("Berkeley DB metadata page is not a hash metadata page"));
    }
    let page_size = endian.u32(db, 20).ok_or(Error::Format("truncated metadata page"))? as usize;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(Error::Format("Berkeley DB page size is not a power of two in 512..=65536"));
    }
    if db.get(24).copied().unwrap_or(0) != 0 {
        return Err(Error::Format("encrypted Berkeley DB databases are not supported"));
    }
    let pages = db.len() / page_size;
    for pgno in 1..pages {
        let page = &db[pgno * page_size..(pgno + 1) * page_size];
        let kind = page[25];
        if kind != PAGE_HASH && kind != PAGE_HASH_UNSORTED {
            continue;
        }
        let entries = endian.u16(page, 20).unwrap_or(0) as usize;
        if PAGE_HEADER_LEN + entries * 2 > page_size {
            return Err(Error::Format("hash page index overruns the page"));
        }
        let offset = |i: usize| endian.u16(page, PAGE_HEADER_LEN + i * 2).unwrap_or(0) as usize;
        // Items grow down from the end of the page: item i ends where item i-1 starts.
        let item = |i: usize| -> Result<&[u8], Error> {
            let start = offset(i);
            let end = if i == 0 { page_size } else { offset(i - 1) };
            page.get(start..end).filter(|s| !s.is_empty()).ok_or(Error::Format("hash item out of page bounds"))
        };
        for pair in 0..entries / 2 {
            let key = item(pair * 2)?;
            let value = item(pair * 2 + 1)?;
            let key = match key[0] {
                ITEM_KEYDATA => key[1..].to_vec(),
                ITEM_OFFPAGE => read_overflow(db, page_size, endian, key)?,
                _ => continue, // duplicate sets are never used by rpm
            };
            let value = match value[0] {
                ITEM_KEYDATA => value[1..].to_vec(),
                ITEM_OFFPAGE => read_overflow(db, page_size, endian, value)?,
                _ => continue,
            };
            record(&key, value);
        }
    }
    Ok(())
}

/// Follows an off-page item (`{u8 type, 3 unused, u32 pgno, u32 total_len}`) through its
/// overflow pages. Each overflow page holds `hf_offset` bytes of the value after its header.
fn read_overflow(db: &[u8], page_size: usize, endian: Endian, item: &[u8]) -> Result<Vec<u8>, Error> {
    let mut pgno = endian.u32(item, 4).ok_or(Error::Format("truncated off-page item"))? as usize;
    let total = endian.u32(item, 8).ok_or(Error::Format("truncated off-page item"))? as usize;
    if total > db.len() {
        return Err(Error::Format("off-page item longer than the database"));
    }
    let mut out = Vec::with_capacity(total);
    let mut hops = 0;
    while out.len() < total {
        hops += 1;
        if pgno == 0 || hops > db.len() / page_size {
            return Err(Error::Format("overflow chain ends early or loops"));
        }
        let page = db
            .get(pgno * page_size..(pgno + 1) * page_size)
            .ok_or(Error::Format("overflow page past end of database"))?;
        if page[25] != PAGE_OVERFLOW {
            return Err(Error::Format("overflow chain points at a non-overflow page"));
        }
        let used = endian.u16(page, 22).unwrap_or(0) as usize;
        let chunk = page
            .get(PAGE_HEADER_LEN..PAGE_HEADER_LEN + used)
            .ok_or(Error::Format("overflow page length overruns the page"))?;
        out.extend_from_slice(&chunk[..chunk.len().min(total - out.len())]);
        pgno = endian.u32(page, 16).unwrap_or(0) as usize;
    }
    Ok(out)
}
