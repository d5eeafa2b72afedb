//! Builders for test archives, shared by this crate's tests and brig's integration tests
//! (feature `testing`). Names are written raw so that hostile names (`../x`, `/abs`)
//! survive: the tar crate's own builder refuses them.

use std::io::Write;

pub struct TarBuilder(Vec<u8>);

impl Default for TarBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl TarBuilder {
    pub fn new() -> Self {
        TarBuilder(Vec::new())
    }

    fn header(&mut self, name: &str, kind: tar::EntryType, size: u64, link: &str) {
        self.header_mode(name, kind, size, link, 0o644);
    }

    fn header_mode(&mut self, name: &str, kind: tar::EntryType, size: u64, link: &str, mode: u32) {
        let mut h = tar::Header::new_gnu();
        {
            let raw = h.as_old_mut();
            raw.name[..name.len()].copy_from_slice(name.as_bytes());
            raw.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(mode);
        h.set_cksum();
        self.0.extend_from_slice(h.as_bytes());
    }

    fn pad(&mut self, len: u64) {
        let pad = (512 - (len % 512) as usize) % 512;
        self.0.extend(std::iter::repeat_n(0, pad));
    }

    pub fn file(mut self, name: &str, data: &[u8]) -> Self {
        self.header(name, tar::EntryType::Regular, data.len() as u64, "");
        self.0.extend_from_slice(data);
        self.pad(data.len() as u64);
        self
    }

    /// A regular file with execute permission (a binary to sniff).
    pub fn executable(mut self, name: &str, data: &[u8]) -> Self {
        self.header_mode(name, tar::EntryType::Regular, data.len() as u64, "", 0o755);
        self.0.extend_from_slice(data);
        self.pad(data.len() as u64);
        self
    }

    pub fn dir(mut self, name: &str) -> Self {
        self.header(name, tar::EntryType::Directory, 0, "");
        self
    }

    pub fn symlink(mut self, name: &str, target: &str) -> Self {
        self.header(name, tar::EntryType::Symlink, 0, target);
        self
    }

    pub fn hardlink(mut self, name: &str, target: &str) -> Self {
        self.header(name, tar::EntryType::Link, 0, target);
        self
    }

    /// A header that claims `size` bytes but carries none.
    pub fn lying(mut self, name: &str, size: u64) -> Self {
        self.header(name, tar::EntryType::Regular, size, "");
        self
    }

    /// A header for `size` bytes, then the tar so far and the remaining padding; the
    /// caller streams the `size` content bytes itself (for huge test files).
    pub fn file_header(mut self, name: &str, size: u64) -> (Vec<u8>, Vec<u8>) {
        self.header(name, tar::EntryType::Regular, size, "");
        let pad = vec![0u8; (512 - (size % 512) as usize) % 512];
        (self.0, pad)
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.0.extend(std::iter::repeat_n(0, 1024));
        self.0
    }
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("in-memory write");
    e.finish().expect("in-memory write")
}
