#![no_main]
//! The streaming ELF scanner (Go build information, cargo-auditable sections) on arbitrary
//! bytes, streamed in small reads as a layer would hand them over.

use std::io::Read;

use brig_catalog::lang::elf;
use libfuzzer_sys::fuzz_target;

/// Returns at most `.1` bytes per read, to move every buffer boundary.
struct Trickle<'a>(&'a [u8], usize);
impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.1).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

fuzz_target!(|data: &[u8]| {
    let split = data.len().min(elf::SNIFF_LEN);
    let (head, rest) = data.split_at(split);
    if elf::is_candidate(head) {
        // The last byte picks the read size: byte-sized reads of every large input would
        // spend the whole time budget on a few inputs.
        let chunk = [7, 61, 4093, 65536][usize::from(data.last().copied().unwrap_or(0) & 3)];
        let _ = elf::scan_binary(head, &mut Trickle(rest, chunk), data.len() as u64);
    }
});
