//! The RPM header blob: `il` index entries and `dl` bytes of data, both counts big-endian.
//!
//! Layout (rpm's `docs/manual/format.md`): `u32 il`, `u32 dl`, then `il` entries of
//! `{u32 tag, u32 type, i32 offset, u32 count}`, then the data store. Every read here is
//! bounds-checked against the store, so a corrupt blob yields an error, never a panic.

use crate::Error;

/// Limits taken from rpm itself (`HEADER_TAGS_MAX`, `HEADER_DATA_MAX`): anything larger is
/// not a header rpm could have written.
const MAX_ENTRIES: usize = 0xffff;
const MAX_DATA: usize = 0x0fff_ffff;

pub(crate) mod tag {
    pub const NAME: u32 = 1000;
    pub const VERSION: u32 = 1001;
    pub const RELEASE: u32 = 1002;
    pub const EPOCH: u32 = 1003;
    pub const SIZE: u32 = 1009;
    pub const VENDOR: u32 = 1011;
    pub const LICENSE: u32 = 1014;
    pub const ARCH: u32 = 1022;
    pub const SOURCERPM: u32 = 1044;
    pub const MODULARITYLABEL: u32 = 5096;
    pub const OLDFILENAMES: u32 = 1027;
    pub const DIRINDEXES: u32 = 1116;
    pub const BASENAMES: u32 = 1117;
    pub const DIRNAMES: u32 = 1118;
}

mod kind {
    pub const INT32: u32 = 4;
    pub const STRING: u32 = 6;
    pub const STRING_ARRAY: u32 = 8;
    pub const I18NSTRING: u32 = 9;
}

#[derive(Clone, Copy)]
struct Entry {
    tag: u32,
    kind: u32,
    offset: usize,
    count: usize,
}

/// A parsed header: the index plus a borrowed data store.
pub struct Header<'a> {
    entries: Vec<Entry>,
    store: &'a [u8],
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

impl<'a> Header<'a> {
    /// Parses a header blob that starts with `il`/`dl` (no 8-byte magic, as databases store it).
    pub fn parse(blob: &'a [u8]) -> Result<Self, Error> {
        let il = be32(blob, 0).ok_or(Error::Header("blob shorter than 8 bytes"))? as usize;
        let dl = be32(blob, 4).ok_or(Error::Header("blob shorter than 8 bytes"))? as usize;
        if il == 0 || il > MAX_ENTRIES {
            return Err(Error::Header("index entry count out of range"));
        }
        if dl > MAX_DATA {
            return Err(Error::Header("data length out of range"));
        }
        let store_start = 8 + il * 16;
        let store = blob
            .get(store_start..store_start + dl)
            .ok_or(Error::Header("blob shorter than its declared index and data"))?;
        let mut entries = Vec::with_capacity(il);
        for i in 0..il {
            let at = 8 + i * 16;
            let (Some(tag), Some(kind), Some(offset), Some(count)) =
                (be32(blob, at), be32(blob, at + 4), be32(blob, at + 8), be32(blob, at + 12))
            else {
                return Err(Error::Header("truncated index entry"));
            };
            // Negative offsets (as i32) only occur in region trailers, which we never read.
            entries.push(Entry { tag, kind, offset: offset as usize, count: count as usize });
        }
        Ok(Header { entries, store })
    }

    fn entry(&self, tag: u32) -> Option<Entry> {
        self.entries.iter().copied().find(|e| e.tag == tag)
    }

    /// The first string of a STRING, I18NSTRING or STRING_ARRAY tag.
    pub fn string(&self, tag: u32) -> Result<Option<String>, Error> {
        let Some(e) = self.entry(tag) else {
            return Ok(None);
        };
        if !matches!(e.kind, kind::STRING | kind::I18NSTRING | kind::STRING_ARRAY) || e.count == 0 {
            return Err(Error::Header("string tag has a non-string type"));
        }
        let rest = self.store.get(e.offset..).ok_or(Error::Header("string offset past data"))?;
        let end = rest.iter().position(|&b| b == 0).ok_or(Error::Header("unterminated string"))?;
        Ok(Some(String::from_utf8_lossy(&rest[..end]).into_owned()))
    }

    /// Every string of a STRING_ARRAY tag (a missing tag is an empty list).
    pub fn strings(&self, tag: u32) -> Result<Vec<String>, Error> {
        let Some(e) = self.entry(tag) else {
            return Ok(Vec::new());
        };
        if e.kind != kind::STRING_ARRAY {
            return Err(Error::Header("string array tag has another type"));
        }
        let mut rest = self.store.get(e.offset..).ok_or(Error::Header("string array offset past data"))?;
        // Each string takes at least one byte, so the count is bounded by the data.
        let mut out = Vec::with_capacity(e.count.min(rest.len()));
        for _ in 0..e.count {
            let end = rest.iter().position(|&b| b == 0).ok_or(Error::Header("unterminated string in array"))?;
            out.push(String::from_utf8_lossy(&rest[..end]).into_owned());
            rest = &rest[end + 1..];
        }
        Ok(out)
    }

    /// Every value of an INT32 tag (a missing tag is an empty list).
    pub fn u32s(&self, tag: u32) -> Result<Vec<u32>, Error> {
        let Some(e) = self.entry(tag) else {
            return Ok(Vec::new());
        };
        if e.kind != kind::INT32 {
            return Err(Error::Header("integer array tag has another type"));
        }
        let bytes = e.count.checked_mul(4).ok_or(Error::Header("integer array too long"))?;
        let data =
            self.store.get(e.offset..).and_then(|d| d.get(..bytes)).ok_or(Error::Header("integer array past data"))?;
        Ok(data.chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]])).collect())
    }

    /// The first value of an INT32 tag.
    pub fn u32(&self, tag: u32) -> Result<Option<u32>, Error> {
        let Some(e) = self.entry(tag) else {
            return Ok(None);
        };
        if e.kind != kind::INT32 || e.count == 0 {
            return Err(Error::Header("integer tag has a non-INT32 type"));
        }
        be32(self.store, e.offset).map(Some).ok_or(Error::Header("integer offset past data"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a header blob the way rpm lays one out, for edge cases the corpus lacks.
    pub(crate) fn blob(entries: &[(u32, u32, &[u8])]) -> Vec<u8> {
        let mut index = Vec::new();
        let mut store = Vec::new();
        for (tag, kind, data) in entries {
            if *kind == kind::INT32 {
                while store.len() % 4 != 0 {
                    store.push(0);
                }
            }
            index.extend_from_slice(&tag.to_be_bytes());
            index.extend_from_slice(&kind.to_be_bytes());
            index.extend_from_slice(&(store.len() as u32).to_be_bytes());
            index.extend_from_slice(&1u32.to_be_bytes());
            store.extend_from_slice(data);
        }
        let mut out = Vec::new();
        out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
        out.extend_from_slice(&(store.len() as u32).to_be_bytes());
        out.extend(index);
        out.extend(store);
        out
    }

    #[test]
    fn reads_strings_and_integers() {
        let b = blob(&[(tag::NAME, kind::STRING, b"bash\0"), (tag::EPOCH, kind::INT32, &7u32.to_be_bytes())]);
        let h = Header::parse(&b).unwrap();
        assert_eq!(h.string(tag::NAME).unwrap().as_deref(), Some("bash"));
        assert_eq!(h.u32(tag::EPOCH).unwrap(), Some(7));
        assert_eq!(h.string(tag::VERSION).unwrap(), None);
    }

    #[test]
    fn rejects_corrupt_blobs_without_panicking() {
        assert!(Header::parse(&[]).is_err());
        assert!(Header::parse(&[0, 0, 0, 1, 0, 0, 0, 0]).is_err(), "index longer than blob");
        assert!(Header::parse(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]).is_err(), "absurd entry count");
        let mut b = blob(&[(tag::NAME, kind::STRING, b"bash")]); // no NUL
        assert!(Header::parse(&b).unwrap().string(tag::NAME).is_err());
        // Offset pointing past the store.
        b = blob(&[(tag::NAME, kind::STRING, b"x\0")]);
        b[8 + 8..8 + 12].copy_from_slice(&1000u32.to_be_bytes());
        assert!(Header::parse(&b).unwrap().string(tag::NAME).is_err());
        // Integer tag stored as string.
        b = blob(&[(tag::EPOCH, kind::STRING, b"1\0")]);
        assert!(Header::parse(&b).unwrap().u32(tag::EPOCH).is_err());
    }
}
