//! ELF executables and shared objects, read in one forward pass: the build information a
//! Go toolchain embeds (what `go version -m` prints) and the dependency list that
//! cargo-auditable embeds in a Rust binary's `.dep-v0` section.
//!
//! Image layers are tar streams: a binary arrives as its first bytes and a reader for the
//! rest, once, front to back. Nothing here seeks or holds the whole file.
//!
//! # Go
//!
//! The ELF header and program headers come first, so the file offsets of the `PT_LOAD`
//! segments are known before their bytes arrive. (When they are not within the first
//! 64 KiB, as after a post-link optimiser like BOLT, every byte is searched instead, with
//! the same results.) Go ≥ 1.13 writes a 32-byte header that
//! starts with `\xff Go buildinf:` at a 16-byte aligned address in its writable data
//! segment (the `.go.buildinfo` section, which the Go linker puts first there; external
//! linkers may put it further in, so every writable segment is searched).
//!
//! - Go ≥ 1.18 (flag bit 2) follows the header with the toolchain version and the module
//!   information, each a varint length and bytes: read straight from the stream.
//! - Go 1.13 to 1.17 put two pointers there instead, to the Go string headers of
//!   `runtime.buildVersion` and `runtime.modinfo`, whose bytes lie in read-only data that a
//!   forward stream has usually passed. The module information is found anyway: it is
//!   bracketed by fixed 16-byte sentinels, searched for in every loaded segment as the
//!   stream goes by. For the version, every `go1.` seen in a loaded segment is remembered
//!   with the bytes after it (a bounded list); when the pointers are met, the version's
//!   string header (which follows the Go header in the data segment) is read, and its data
//!   address is looked up in that list. A version that cannot be recovered is warned about
//!   and the standard library is then not reported.
//! - Before Go 1.13 there is no header: the sentinels still give the modules.
//!
//! A match is validated (alignment, pointer size, flags, varint bounds, a version that
//! reads `go…` or `devel…`, module information wrapped in its sentinels) so a non-Go file
//! that contains the magic by chance yields nothing.
//!
//! # cargo-auditable
//!
//! `.dep-v0` is a non-loaded section holding zlib-compressed JSON. Section headers are
//! normally at the end of the file, after the data they describe, so the section cannot be
//! located by name until it has gone by. Instead, every byte outside the loaded segments
//! is probed: wherever a valid zlib header appears, a few hundred bytes are inflated, and
//! if they begin a JSON object with a `packages` or `format` key the stream is inflated
//! from there as the bytes arrive (capped: zip-bomb safe). When the section headers arrive
//! the candidate is confirmed: by name, when the section-name table is at hand (it is
//! captured ahead when the headers come first, as Go's linker writes them, or kept in a
//! window of the bytes just before the header table), else by the candidate starting
//! exactly at a section. A `.dep-v0` whose bytes were buffered but did not probe as JSON
//! is inflated from the buffer; one that neither probed nor was buffered is warned about.
//!
//! # Memory
//!
//! Buffers are capped by constants, whatever the binary's size: a 64 KiB chunk and its
//! 1 KiB carry-over; the header prefix (≤ 64 KiB, dropped once parsed); the window before
//! the section header table (≤ 1 MiB); the section header table and section-name table
//! (≤ 256 KiB each); raw `.dep-v0` bytes captured ahead (≤ 512 KiB); decompressed
//! `.dep-v0` JSON (≤ 2 MiB over all candidates) with a 32 KiB inflate buffer and the
//! inflater's state; Go module information (≤ 1 MiB from the inline blob, ≤ 1 MiB from
//! the sentinel search); 1,024 version snippets of 48 bytes. Peak: about 6.4 MiB, plus the
//! packages returned. A plain C binary costs about 1.2 MiB (the window and the tables);
//! buffers grow only as bytes arrive and never past their cap.
//!
//! # Reading stops
//!
//! when nothing more can be found: at the end of the file, or earlier once the section
//! headers and names are known, the Go search has passed every loaded segment and any
//! `.dep-v0` has been read (a Go binary is not read through its debug sections).

use std::io::{ErrorKind, Read};

use flate2::{Decompress, FlushDecompress, Status};
use memchr::memmem;

use super::golang::{self, MODINFO_END, MODINFO_START};
use super::{ParseError, Parsed, rust};

/// Head bytes [`is_candidate`] needs: the 64-bit ELF header. [`scan_binary`] takes a head
/// of any length and reads whatever else it needs from the stream.
pub const SNIFF_LEN: usize = 64;

const ELF_MAGIC: &[u8; 4] = b"\x7fELF";
const ET_EXEC: u16 = 2;
const ET_DYN: u16 = 3;
const PT_LOAD: u32 = 1;
const PF_W: u32 = 2;
const SHT_PROGBITS: u32 = 1;
const SHT_NOBITS: u32 = 8;
const SHF_ALLOC: u64 = 2;
/// `e_phnum` value saying the real count is in section header 0 (not supported).
const PN_XNUM: u16 = 0xffff;
/// `e_shstrndx` value saying the real index is in section header 0's `sh_link`.
const SHN_XINDEX: u16 = 0xffff;

/// Stream bytes processed at a time.
const CHUNK_LEN: usize = 64 * 1024;
/// Bytes of each chunk kept in front of the next, so a pattern straddling two chunks is
/// seen whole and a zlib probe always has `PROBE_INPUT_LEN` bytes ahead of it.
const CARRY_LEN: usize = 1024;
/// The ELF header and program header table must lie within this many leading bytes.
const MAX_PREFIX_LEN: u64 = 64 * 1024;
const MAX_GO_VERSION_LEN: usize = 256;
const MAX_MODINFO_LEN: usize = 1 << 20;
/// `go1.` occurrences remembered for resolving a pre-1.18 version pointer, and the bytes
/// kept after each.
const MAX_VERSION_SNIPPETS: usize = 1024;
const SNIPPET_LEN: usize = 48;
/// Bytes kept from just before the section header table (where linkers other than Go's
/// put the section-name table).
const TAIL_WINDOW_LEN: u64 = 1 << 20;
/// 4,096 64-bit entries; linked binaries have a few dozen sections.
const MAX_SECTION_TABLE_LEN: u64 = 256 * 1024;
const MAX_SECTION_NAMES_LEN: u64 = 256 * 1024;
/// Raw `.dep-v0` bytes captured when the headers came first and the section is ahead.
const MAX_DEP_SECTION_LEN: u64 = 512 * 1024;
/// Decompressed `.dep-v0` bytes kept, over all candidates.
const MAX_DEP_JSON_LEN: usize = 2 << 20;
/// Compressed bytes inflated to decide whether a zlib stream holds a dependency list.
const PROBE_INPUT_LEN: usize = 1024;
/// Zlib candidates followed to their end; past that, probing stops.
const MAX_DEP_CANDIDATES: usize = 16;
/// Zlib headers probed per file: real binaries have a handful, so only crafted input
/// reaches this, and it bounds the time such input can cost.
const MAX_PROBES: usize = 1 << 18;

/// Whether a file starting with `head` is an ELF executable or shared object (32 or 64
/// bit, either byte order): the kinds that can carry Go build information or a
/// cargo-auditable section. Needs the first 18 bytes; [`SNIFF_LEN`] is plenty.
pub fn is_candidate(head: &[u8]) -> bool {
    let Some(ident) = head.get(..18) else { return false };
    if ident.get(..4) != Some(ELF_MAGIC.as_slice()) {
        return false;
    }
    let (class, data, version) = (ident.get(4), ident.get(5), ident.get(6));
    if !matches!(class, Some(1 | 2)) || !matches!(version, Some(1)) {
        return false;
    }
    let endian = match data {
        Some(1) => Endian { big: false },
        Some(2) => Endian { big: true },
        _ => return false,
    };
    matches!(endian.u16(ident, 16), Some(ET_EXEC | ET_DYN))
}

/// Go build information and cargo-auditable dependencies of one ELF binary, read in a
/// single forward pass: `head` is the file's first bytes (any length), `rest` the stream
/// of the bytes after them, `size` the file's total size. Reads `rest` only as far as it
/// needs; the caller drains the remainder. Returns the packages of whichever of the two
/// are present (usually neither: an empty [`Parsed`]). Errors only when the file is not a
/// readable ELF file or the stream fails; anything skipped is a warning.
pub fn scan_binary(head: &[u8], rest: &mut dyn Read, size: u64) -> Result<Parsed, ParseError> {
    let mut input = Input { head, head_used: 0, rest, position: 0, limit: size };

    // The ELF header, then the program header table, which linkers put right after it.
    let mut prefix = vec![0u8; usize::try_from(size.min(SNIFF_LEN as u64)).unwrap_or(SNIFF_LEN)];
    let got = input.read_full(&mut prefix)?;
    prefix.truncate(got);
    let header = ElfHeader::parse(&prefix)?;
    let mut warnings = Vec::new();
    let loads = read_program_headers(&header, &mut prefix, &mut input, size, &mut warnings)?;
    let mut scanner = Scanner::new(header, loads, size, warnings);

    scanner.feed(0, &prefix);
    drop(prefix);
    let mut chunk = vec![0u8; CHUNK_LEN];
    while !scanner.is_done(input.position) {
        let start = input.position;
        let n = input.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        scanner.feed(start, chunk.get(..n).unwrap_or(&[]));
    }
    Ok(scanner.finish(input.position))
}

// ---------------------------------------------------------------------------------------
// Input

/// The head bytes followed by the rest of the stream, never read past `limit`.
struct Input<'a> {
    head: &'a [u8],
    head_used: usize,
    rest: &'a mut dyn Read,
    position: u64,
    limit: u64,
}

impl Input<'_> {
    /// Up to `buf.len()` bytes; 0 at the end.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ParseError> {
        let remaining = self.limit.saturating_sub(self.position);
        let want = buf.len().min(usize::try_from(remaining).unwrap_or(usize::MAX));
        let Some(buf) = buf.get_mut(..want) else { return Ok(0) };
        if want == 0 {
            return Ok(0);
        }
        let n = if let Some(unread) = self.head.get(self.head_used..).filter(|h| !h.is_empty()) {
            let n = unread.len().min(want);
            buf[..n].copy_from_slice(&unread[..n]);
            self.head_used += n;
            n
        } else {
            loop {
                match self.rest.read(buf) {
                    Ok(n) => break n.min(want),
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) => return Err(ParseError::new(format!("Reading the binary failed: {e}."))),
                }
            }
        };
        self.position += n as u64;
        Ok(n)
    }

    /// Fills `buf` unless the stream ends first; returns how much was read.
    fn read_full(&mut self, buf: &mut [u8]) -> Result<usize, ParseError> {
        let mut filled = 0;
        while let Some(space) = buf.get_mut(filled..).filter(|s| !s.is_empty()) {
            let n = self.read(space)?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        Ok(filled)
    }
}

// ---------------------------------------------------------------------------------------
// ELF structures

#[derive(Debug, Clone, Copy)]
struct Endian {
    big: bool,
}

impl Endian {
    fn bytes<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
        bytes.get(at..at.checked_add(N)?)?.try_into().ok()
    }
    fn u16(self, bytes: &[u8], at: usize) -> Option<u16> {
        let b = Self::bytes(bytes, at)?;
        Some(if self.big { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    }
    fn u32(self, bytes: &[u8], at: usize) -> Option<u32> {
        let b = Self::bytes(bytes, at)?;
        Some(if self.big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    }
    fn u64(self, bytes: &[u8], at: usize) -> Option<u64> {
        let b = Self::bytes(bytes, at)?;
        Some(if self.big { u64::from_be_bytes(b) } else { u64::from_le_bytes(b) })
    }
    /// An address-sized field: 8 bytes in a 64-bit file, 4 in a 32-bit one.
    fn word(self, bytes: &[u8], at: usize, wide: bool) -> Option<u64> {
        if wide { self.u64(bytes, at) } else { self.u32(bytes, at).map(u64::from) }
    }
}

#[derive(Debug, Clone)]
struct ElfHeader {
    wide: bool,
    endian: Endian,
    phoff: u64,
    phentsize: u16,
    phnum: u16,
    shoff: u64,
    shentsize: u16,
    shnum: u16,
    shstrndx: u16,
}

impl ElfHeader {
    fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        if bytes.get(..4) != Some(ELF_MAGIC.as_slice()) {
            return Err(ParseError::new("Not an ELF file."));
        }
        let wide = match bytes.get(4) {
            Some(1) => false,
            Some(2) => true,
            _ => return Err(ParseError::new("The ELF class is neither 32- nor 64-bit.")),
        };
        let endian = match bytes.get(5) {
            Some(1) => Endian { big: false },
            Some(2) => Endian { big: true },
            _ => return Err(ParseError::new("The ELF byte order is neither little- nor big-endian.")),
        };
        let truncated = || ParseError::new("The ELF header is truncated.");
        // Field offsets differ only where the address-sized fields push them.
        let (phoff_at, shoff_at, sizes_at) = if wide { (32, 40, 54) } else { (28, 32, 42) };
        Ok(ElfHeader {
            wide,
            endian,
            phoff: endian.word(bytes, phoff_at, wide).ok_or_else(truncated)?,
            shoff: endian.word(bytes, shoff_at, wide).ok_or_else(truncated)?,
            phentsize: endian.u16(bytes, sizes_at).ok_or_else(truncated)?,
            phnum: endian.u16(bytes, sizes_at + 2).ok_or_else(truncated)?,
            shentsize: endian.u16(bytes, sizes_at + 4).ok_or_else(truncated)?,
            shnum: endian.u16(bytes, sizes_at + 6).ok_or_else(truncated)?,
            shstrndx: endian.u16(bytes, sizes_at + 8).ok_or_else(truncated)?,
        })
    }
}

/// A `PT_LOAD` segment's bytes in the file.
#[derive(Debug, Clone, Copy)]
struct Segment {
    offset: u64,
    file_size: u64,
    vaddr: u64,
    writable: bool,
}

impl Segment {
    fn end(&self) -> u64 {
        self.offset.saturating_add(self.file_size)
    }
    fn contains(&self, at: u64) -> bool {
        at >= self.offset && at < self.end()
    }
}

/// Reads the program header table into `prefix` (it must lie within the first
/// [`MAX_PREFIX_LEN`] bytes) and returns the loaded segments, or `None` when they cannot
/// be known (a warning says why).
fn read_program_headers(
    header: &ElfHeader,
    prefix: &mut Vec<u8>,
    input: &mut Input<'_>,
    size: u64,
    warnings: &mut Vec<String>,
) -> Result<Option<Vec<Segment>>, ParseError> {
    // Without usable program headers every byte is searched, which finds the same things
    // (a little more slowly), so only a damaged table is worth a warning.
    if header.phnum == 0 || header.phnum == PN_XNUM {
        return Ok(None);
    }
    let entry_len = if header.wide { 56 } else { 32 };
    if usize::from(header.phentsize) < entry_len {
        warnings.push(format!(
            "Program header entries of {} bytes are too small to read; every byte was searched.",
            header.phentsize
        ));
        return Ok(None);
    }
    let table_end =
        u64::from(header.phnum).checked_mul(u64::from(header.phentsize)).and_then(|len| header.phoff.checked_add(len));
    // Post-link optimisers (BOLT) move the table to the end of the file.
    let Some(table_end) = table_end.filter(|&end| end <= MAX_PREFIX_LEN) else { return Ok(None) };
    if table_end > size {
        warnings.push("The program header table runs past the end of the file; every byte was searched.".to_string());
        return Ok(None);
    }
    let table_end = usize::try_from(table_end).unwrap_or(usize::MAX);
    if prefix.len() < table_end {
        let have = prefix.len();
        prefix.resize(table_end, 0);
        let got = input.read_full(prefix.get_mut(have..).unwrap_or(&mut []))?;
        prefix.truncate(have + got);
        if prefix.len() < table_end {
            warnings.push("The file ends inside its program header table.".to_string());
            return Ok(None);
        }
    }
    let e = header.endian;
    // Both fit: the table ends within MAX_PREFIX_LEN.
    let (base, stride) = (usize::try_from(header.phoff).unwrap_or(0), usize::from(header.phentsize));
    let mut loads = Vec::new();
    for index in 0..usize::from(header.phnum) {
        let at = base + index * stride;
        let fields = if header.wide {
            (
                e.u32(prefix, at),
                e.u32(prefix, at + 4),
                e.u64(prefix, at + 8),
                e.u64(prefix, at + 16),
                e.u64(prefix, at + 32),
            )
        } else {
            let word = |off| e.u32(prefix, at + off).map(u64::from);
            (e.u32(prefix, at), e.u32(prefix, at + 24), word(4), word(8), word(16))
        };
        let (Some(kind), Some(flags), Some(offset), Some(vaddr), Some(file_size)) = fields else { continue };
        if kind != PT_LOAD || file_size == 0 || offset >= size {
            continue;
        }
        // A segment claiming bytes past the end of the file holds only those it has.
        let file_size = file_size.min(size - offset);
        loads.push(Segment { offset, file_size, vaddr, writable: flags & PF_W != 0 });
    }
    loads.sort_by_key(|s| s.offset);
    Ok(Some(loads))
}

/// One section header, as far as this module needs it.
#[derive(Debug, Clone, Copy)]
struct SectionHeader {
    name: u32,
    kind: u32,
    flags: u64,
    offset: u64,
    size: u64,
    link: u32,
}

impl SectionHeader {
    fn parse(bytes: &[u8], at: usize, wide: bool, e: Endian) -> Option<Self> {
        Some(if wide {
            SectionHeader {
                name: e.u32(bytes, at)?,
                kind: e.u32(bytes, at + 4)?,
                flags: e.u64(bytes, at + 8)?,
                offset: e.u64(bytes, at + 24)?,
                size: e.u64(bytes, at + 32)?,
                link: e.u32(bytes, at + 40)?,
            }
        } else {
            SectionHeader {
                name: e.u32(bytes, at)?,
                kind: e.u32(bytes, at + 4)?,
                flags: u64::from(e.u32(bytes, at + 8)?),
                offset: u64::from(e.u32(bytes, at + 16)?),
                size: u64::from(e.u32(bytes, at + 20)?),
                link: e.u32(bytes, at + 24)?,
            }
        })
    }

    fn end(&self) -> Option<u64> {
        self.offset.checked_add(self.size)
    }
}

/// The NUL-terminated name at `offset` in a section-name table.
fn section_name(names: &[u8], offset: u32) -> Option<&[u8]> {
    let tail = names.get(usize::try_from(offset).ok()?..)?;
    let end = memchr::memchr(0, tail)?;
    tail.get(..end)
}

// ---------------------------------------------------------------------------------------
// Captures: bytes at a known file offset, collected as the stream passes them.

#[derive(Debug)]
struct Capture {
    start: u64,
    /// How many bytes are wanted; may grow as what has arrived says how long a thing is.
    limit: usize,
    bytes: Vec<u8>,
    /// Bytes between `start` and the data were never seen (the stream had passed them).
    broken: bool,
}

impl Capture {
    fn new(start: u64, limit: usize) -> Self {
        Capture { start, limit, bytes: Vec::new(), broken: false }
    }

    fn is_complete(&self) -> bool {
        self.bytes.len() >= self.limit
    }

    fn covers(&self, offset: u64, len: u64) -> bool {
        offset >= self.start
            && offset.checked_add(len).is_some_and(|end| end <= self.start.saturating_add(self.bytes.len() as u64))
    }

    /// The captured bytes `[offset, offset + len)`, if all there.
    fn slice(&self, offset: u64, len: u64) -> Option<&[u8]> {
        if !self.covers(offset, len) {
            return None;
        }
        let from = usize::try_from(offset - self.start).ok()?;
        self.bytes.get(from..from.checked_add(usize::try_from(len).ok()?)?)
    }

    /// Takes what `data` (file bytes from `data_start`) holds of the wanted range; returns
    /// whether anything was added.
    fn take(&mut self, data_start: u64, data: &[u8]) -> bool {
        if self.broken || self.is_complete() {
            return false;
        }
        let wanted_from = self.start.saturating_add(self.bytes.len() as u64);
        let wanted_to = self.start.saturating_add(self.limit as u64);
        let data_end = data_start.saturating_add(data.len() as u64);
        if data_end <= wanted_from {
            return false;
        }
        if data_start > wanted_from {
            self.broken = true;
            return false;
        }
        let from = usize::try_from(wanted_from - data_start).unwrap_or(usize::MAX);
        let to = usize::try_from(wanted_to.min(data_end) - data_start).unwrap_or(0);
        match data.get(from..to) {
            Some(piece) if !piece.is_empty() => {
                extend_within(&mut self.bytes, piece, self.limit);
                true
            }
            _ => false,
        }
    }
}

/// Appends `piece`, growing the buffer geometrically but never past `cap` bytes of
/// capacity (plain `extend` could double a nearly full buffer).
fn extend_within(buffer: &mut Vec<u8>, piece: &[u8], cap: usize) {
    let needed = buffer.len() + piece.len();
    if needed > buffer.capacity() {
        let target = needed.max(buffer.capacity().saturating_mul(2).min(cap)).max(4096.min(cap));
        buffer.reserve_exact(target - buffer.len());
    }
    buffer.extend_from_slice(piece);
}

/// Offsets (into `data`, whose first byte is at file offset `data_start`) of occurrences of
/// `finder`'s needle at or after `*cursor`. An occurrence with fewer than `lookahead` bytes
/// after its start in `data` is left for the next window (which repeats the last
/// [`CARRY_LEN`] bytes) unless `at_end`; then the second value is true and `*cursor` points
/// at it. Otherwise `*cursor` moves to where an occurrence could still be cut off.
fn fresh_hits(
    finder: &memmem::Finder<'_>,
    data: &[u8],
    data_start: u64,
    cursor: &mut u64,
    lookahead: usize,
    at_end: bool,
) -> (Vec<usize>, bool) {
    let needle_len = finder.needle().len();
    let lookahead = lookahead.max(needle_len);
    let skip = usize::try_from(cursor.saturating_sub(data_start)).unwrap_or(usize::MAX).min(data.len());
    let mut hits = Vec::new();
    for hit in finder.find_iter(data.get(skip..).unwrap_or(&[])) {
        let at = skip + hit;
        if !at_end && at + lookahead > data.len() {
            *cursor = data_start + at as u64;
            return (hits, true);
        }
        hits.push(at);
    }
    let resume = data_start + (data.len() + 1).saturating_sub(needle_len) as u64;
    *cursor = (*cursor).max(resume);
    (hits, false)
}

// ---------------------------------------------------------------------------------------
// Go build information

const GO_MAGIC: &[u8; 14] = b"\xff Go buildinf:";
const GO_HEADER_LEN: usize = 32;
const GO_FLAG_BIG_ENDIAN: u8 = 1;
const GO_FLAG_INLINE: u8 = 2;

/// Where parsing a build-information blob (starting at its magic) has got to.
#[derive(Debug, PartialEq, Eq)]
enum BlobParse {
    /// The blob is at least this many bytes long; more are needed.
    Need(usize),
    /// Go ≥ 1.18: everything inline.
    Inline { version: String, modinfo: String },
    /// Go 1.13–1.17: addresses of the version's and module information's string headers.
    Pointers { ptr_size: usize, big_endian: bool, version_addr: u64 },
    /// Not build information. `plausible` when the header itself looked right, so the
    /// reason is worth a warning (a truncated or corrupt Go binary, not a chance match).
    Invalid { reason: &'static str, plausible: bool },
}

fn parse_buildinfo_blob(blob: &[u8]) -> BlobParse {
    let Some(header) = blob.get(..GO_HEADER_LEN) else { return BlobParse::Need(GO_HEADER_LEN) };
    if header.get(..GO_MAGIC.len()) != Some(GO_MAGIC.as_slice()) {
        return BlobParse::Invalid { reason: "no magic", plausible: false };
    }
    let ptr_size = usize::from(header.get(14).copied().unwrap_or(0));
    let flags = header.get(15).copied().unwrap_or(0xff);
    if !matches!(ptr_size, 4 | 8) || flags & !(GO_FLAG_BIG_ENDIAN | GO_FLAG_INLINE) != 0 {
        return BlobParse::Invalid { reason: "bad header", plausible: false };
    }
    if flags & GO_FLAG_INLINE == 0 {
        let endian = Endian { big: flags & GO_FLAG_BIG_ENDIAN != 0 };
        let Some(version_addr) = endian.word(header, 16, ptr_size == 8) else {
            return BlobParse::Invalid { reason: "bad header", plausible: false };
        };
        return BlobParse::Pointers { ptr_size, big_endian: endian.big, version_addr };
    }
    let (version, after_version) = match read_length_prefixed(blob, GO_HEADER_LEN, MAX_GO_VERSION_LEN) {
        Field::Done(bytes, next) => (bytes, next),
        Field::Need(n) => return BlobParse::Need(n),
        Field::Invalid(reason) => return BlobParse::Invalid { reason, plausible: false },
    };
    let Some(version) = std::str::from_utf8(version).ok().filter(|v| is_go_version_text(v)) else {
        return BlobParse::Invalid { reason: "the version is not a Go version", plausible: false };
    };
    let (modinfo, _) = match read_length_prefixed(blob, after_version, MAX_MODINFO_LEN + 32) {
        Field::Done(bytes, next) => (bytes, next),
        Field::Need(n) => return BlobParse::Need(n),
        Field::Invalid(reason) => return BlobParse::Invalid { reason, plausible: true },
    };
    let modinfo = if modinfo.is_empty() {
        // Built outside module mode: no modules, but the toolchain version stands.
        String::new()
    } else {
        match strip_modinfo_sentinels(modinfo) {
            Some(text) => text.to_string(),
            None => {
                return BlobParse::Invalid {
                    reason: "its module information is not wrapped in Go's sentinels",
                    plausible: true,
                };
            }
        }
    };
    BlobParse::Inline { version: version.to_string(), modinfo }
}

enum Field<'a> {
    Done(&'a [u8], usize),
    Need(usize),
    Invalid(&'static str),
}

/// A uvarint length at `at` and that many bytes, refused past `max_len`.
fn read_length_prefixed(blob: &[u8], at: usize, max_len: usize) -> Field<'_> {
    let mut value: u64 = 0;
    let mut shift = 0u32;
    let mut next = at;
    loop {
        let Some(&byte) = blob.get(next) else { return Field::Need(next + 1) };
        next += 1;
        // The tenth byte may only supply the 64th bit.
        if shift == 63 && byte > 1 {
            return Field::Invalid("a length varint overflows 64 bits");
        }
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            break;
        }
        shift += 7;
        if shift > 63 {
            return Field::Invalid("a length varint is longer than 10 bytes");
        }
    }
    let Some(len) = usize::try_from(value).ok().filter(|&len| len <= max_len) else {
        return Field::Invalid("a length exceeds its cap");
    };
    let end = next + len;
    match blob.get(next..end) {
        Some(bytes) => Field::Done(bytes, end),
        None => Field::Need(end),
    }
}

/// `go1.21.0`, `go1.21.0 X:loopvar`, `devel go1.22-abc…`: printable ASCII, as Go writes it.
fn is_go_version_text(version: &str) -> bool {
    (version.starts_with("go1") || version.starts_with("devel"))
        && version.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
}

/// The text between Go's start and end sentinels, which must end with a newline.
fn strip_modinfo_sentinels(wrapped: &[u8]) -> Option<&str> {
    let inner = wrapped.strip_prefix(MODINFO_START.as_slice())?.strip_suffix(MODINFO_END.as_slice())?;
    if !inner.is_empty() && inner.last() != Some(&b'\n') {
        return None;
    }
    std::str::from_utf8(inner).ok()
}

/// Resolving a pre-1.18 binary's version pointer: first its Go string header, then the
/// string's bytes.
#[derive(Debug)]
enum VersionChase {
    StringHeader { capture: Capture, ptr_size: usize, big_endian: bool },
    StringData(Capture),
    Resolved(String),
    Unresolved(&'static str),
}

/// What one look at a [`VersionChase`] decided.
enum ChaseStep {
    Wait,
    Set(VersionChase),
    Data { address: u64, len: usize },
}

/// Everything the Go search has found so far.
#[derive(Debug, Default)]
struct GoSearch {
    magic_cursor: u64,
    sentinel_cursor: u64,
    snippet_cursor: u64,
    /// The blob after a magic being read.
    blob: Option<Capture>,
    inline: Option<(String, String)>,
    /// Why a plausible blob was unusable.
    blob_failure: Option<&'static str>,
    version: Option<VersionChase>,
    /// Module information read between the sentinels.
    sentinel_capture: Option<(Capture, usize)>,
    sentinel_modinfo: Option<String>,
    sentinel_overflow: bool,
    /// `go1.` occurrences in loaded segments: file offset and the bytes from there.
    snippets: Vec<(u64, Vec<u8>)>,
}

impl GoSearch {
    fn is_pending(&self) -> bool {
        self.blob.is_some()
            || self.sentinel_capture.is_some()
            || matches!(self.version, Some(VersionChase::StringHeader { .. } | VersionChase::StringData(_)))
    }
}

// ---------------------------------------------------------------------------------------
// cargo-auditable

/// A zlib stream being inflated because its start looked like a dependency list.
#[derive(Debug)]
struct Inflation {
    start: u64,
    /// Compressed bytes consumed so far.
    consumed: u64,
    json: Vec<u8>,
    /// Most decompressed bytes it may keep (the budget left).
    cap: usize,
}

#[derive(Debug)]
struct DepCandidate {
    start: u64,
    result: Result<Vec<u8>, String>,
}

/// Whether the first bytes a zlib stream inflates to open a cargo-auditable document.
fn opens_dependency_list(text: &[u8]) -> bool {
    let trimmed = text.trim_ascii_start();
    let Some(inner) = trimmed.strip_prefix(b"{") else { return false };
    let inner = inner.trim_ascii_start();
    inner.starts_with(b"\"packages\"") || inner.starts_with(b"\"format\"")
}

/// A zlib header (CMF 0x78 = deflate with a 32 KiB window, no preset dictionary).
fn is_zlib_header(cmf: u8, flg: u8) -> bool {
    cmf == 0x78 && (u16::from(cmf) << 8 | u16::from(flg)) % 31 == 0 && flg & 0x20 == 0
}

/// Inflates a whole zlib stream held in memory, keeping at most `cap` bytes.
fn inflate_all(decompressor: &mut Decompress, compressed: &[u8], cap: usize) -> Result<Vec<u8>, String> {
    decompressor.reset(true);
    let mut json = Vec::new();
    let mut buffer = vec![0u8; 32 * 1024];
    let mut input = compressed;
    loop {
        let (status, used, produced) = inflate_step(decompressor, input, &mut buffer)?;
        if json.len() + produced > cap {
            return Err(format!("it inflates past the {} MiB cap", cap >> 20));
        }
        json.extend_from_slice(buffer.get(..produced).unwrap_or(&[]));
        input = input.get(used..).unwrap_or(&[]);
        match status {
            Status::StreamEnd => return Ok(json),
            _ if used == 0 && produced == 0 => return Err("its zlib stream is truncated".to_string()),
            _ => {}
        }
    }
}

/// One call of the inflater: status, compressed bytes used, bytes produced.
fn inflate_step(
    decompressor: &mut Decompress,
    input: &[u8],
    output: &mut [u8],
) -> Result<(Status, usize, usize), String> {
    let (in_before, out_before) = (decompressor.total_in(), decompressor.total_out());
    let status = decompressor
        .decompress(input, output, FlushDecompress::None)
        .map_err(|e| format!("its zlib stream is corrupt ({e})"))?;
    let used = usize::try_from(decompressor.total_in() - in_before).unwrap_or(0);
    let produced = usize::try_from(decompressor.total_out() - out_before).unwrap_or(0);
    Ok((status, used, produced))
}

// ---------------------------------------------------------------------------------------
// The scanner

struct Scanner {
    header: ElfHeader,
    size: u64,
    /// `None` when the program headers could not be read: every byte is then treated as
    /// both loaded (for Go) and not loaded (for `.dep-v0`).
    loads: Option<Vec<Segment>>,
    loads_end: u64,
    warnings: Vec<String>,
    carry: Vec<u8>,
    window: Vec<u8>,

    go: GoSearch,
    magic_finder: memmem::Finder<'static>,
    start_finder: memmem::Finder<'static>,
    end_finder: memmem::Finder<'static>,
    snippet_finder: memmem::Finder<'static>,

    probe_cursor: u64,
    probes: usize,
    decompressor: Option<Decompress>,
    inflate_buffer: Vec<u8>,
    inflation: Option<Inflation>,
    candidates: Vec<DepCandidate>,
    dep_budget: usize,

    /// The section header table and the bytes before it, while they arrive.
    table_capture: Option<Capture>,
    tail_capture: Option<Capture>,
    sections: Option<Vec<SectionHeader>>,
    /// The section-name table's range, once the headers are known.
    names_range: Option<(u64, u64)>,
    names_capture: Option<Capture>,
    /// `.dep-v0`'s range, once names are known, and its raw bytes when they were ahead.
    dep_section: Option<(u64, u64)>,
    dep_section_known: bool,
    dep_capture: Option<Capture>,
}

impl Scanner {
    fn new(header: ElfHeader, loads: Option<Vec<Segment>>, size: u64, mut warnings: Vec<String>) -> Self {
        let loads_end = match &loads {
            Some(loads) => loads.iter().map(Segment::end).max().unwrap_or(0),
            None => size,
        };
        let (table_capture, tail_capture) = Self::plan_section_table(&header, size, &mut warnings);
        Scanner {
            header,
            size,
            loads,
            loads_end,
            warnings,
            carry: Vec::with_capacity(CARRY_LEN),
            window: Vec::with_capacity(CHUNK_LEN + CARRY_LEN),
            go: GoSearch::default(),
            magic_finder: memmem::Finder::new(GO_MAGIC),
            start_finder: memmem::Finder::new(MODINFO_START),
            end_finder: memmem::Finder::new(MODINFO_END),
            snippet_finder: memmem::Finder::new(b"go1."),
            probe_cursor: 0,
            probes: 0,
            decompressor: None,
            inflate_buffer: Vec::new(),
            inflation: None,
            candidates: Vec::new(),
            dep_budget: MAX_DEP_JSON_LEN,
            table_capture,
            tail_capture,
            sections: None,
            names_range: None,
            names_capture: None,
            dep_section: None,
            dep_section_known: false,
            dep_capture: None,
        }
    }

    /// Captures for the section header table and the window of bytes before it.
    fn plan_section_table(
        header: &ElfHeader,
        size: u64,
        warnings: &mut Vec<String>,
    ) -> (Option<Capture>, Option<Capture>) {
        if header.shoff == 0 {
            return (None, None);
        }
        let entry_len: u64 = if header.wide { 64 } else { 40 };
        if u64::from(header.shentsize) < entry_len {
            warnings.push(format!("Section header entries of {} bytes are too small to read.", header.shentsize));
            return (None, None);
        }
        // A count of 0 means the real count is in section header 0: read what the file
        // holds from the table on, up to the cap, and find out.
        let table_len = if header.shnum == 0 {
            Some(size.saturating_sub(header.shoff).min(MAX_SECTION_TABLE_LEN))
        } else {
            u64::from(header.shnum).checked_mul(u64::from(header.shentsize))
        };
        let Some(table_len) = table_len.filter(|&len| len <= MAX_SECTION_TABLE_LEN) else {
            warnings.push(format!(
                "The section header table ({} entries of {} bytes) exceeds the {} KiB cap and was not read.",
                header.shnum,
                header.shentsize,
                MAX_SECTION_TABLE_LEN >> 10
            ));
            return (None, None);
        };
        if header.shoff.checked_add(table_len).is_none_or(|end| end > size) || table_len == 0 {
            warnings.push("The section header table lies beyond the end of the file.".to_string());
            return (None, None);
        }
        let tail_start = header.shoff.saturating_sub(TAIL_WINDOW_LEN);
        let tail_len = usize::try_from(header.shoff - tail_start).unwrap_or(0);
        let table = Capture::new(header.shoff, usize::try_from(table_len).unwrap_or(0));
        (Some(table), (tail_len > 0).then(|| Capture::new(tail_start, tail_len)))
    }

    /// The parts of `[from, to)` inside loaded segments (`loaded`) or outside them.
    fn ranges(&self, from: u64, to: u64, loaded: bool, writable_only: bool) -> Vec<(u64, u64)> {
        let Some(loads) = &self.loads else {
            return if from < to { vec![(from, to)] } else { Vec::new() };
        };
        let mut out = Vec::new();
        if loaded {
            for segment in loads.iter().filter(|s| !writable_only || s.writable) {
                let (a, b) = (from.max(segment.offset), to.min(segment.end()));
                if a < b {
                    out.push((a, b));
                }
            }
        } else {
            let mut at = from;
            for segment in loads {
                if segment.offset > at {
                    let b = segment.offset.min(to);
                    if at < b {
                        out.push((at, b));
                    }
                }
                at = at.max(segment.end());
                if at >= to {
                    break;
                }
            }
            if at < to {
                out.push((at, to));
            }
        }
        out
    }

    /// The virtual address of file offset `at`, when it lies in a writable segment (or the
    /// file offset itself when segments are unknown).
    fn writable_address(&self, at: u64) -> Option<u64> {
        match &self.loads {
            None => Some(at),
            Some(loads) => {
                loads.iter().find(|s| s.writable && s.contains(at)).map(|s| s.vaddr.wrapping_add(at - s.offset))
            }
        }
    }

    fn file_offset_of(&self, vaddr: u64) -> Option<u64> {
        self.loads.as_ref()?.iter().find_map(|s| {
            let delta = vaddr.checked_sub(s.vaddr)?;
            (delta < s.file_size).then(|| s.offset + delta)
        })
    }

    fn go_done(&self, position: u64) -> bool {
        self.go.inline.is_some() || (position >= self.loads_end && !self.go.is_pending())
    }

    fn dep_done(&self) -> bool {
        if self.inflation.is_some() || self.sections.is_none() || !self.dep_section_known {
            return false;
        }
        match self.dep_section {
            None => true,
            Some((offset, _)) => {
                self.candidates.iter().any(|c| c.start == offset)
                    || self.dep_capture.as_ref().is_some_and(Capture::is_complete)
            }
        }
    }

    fn is_done(&self, position: u64) -> bool {
        position >= self.size || (self.go_done(position) && self.dep_done())
    }

    fn feed(&mut self, data_start: u64, data: &[u8]) {
        let mut window = std::mem::take(&mut self.window);
        window.clear();
        window.extend_from_slice(&self.carry);
        window.extend_from_slice(data);
        let window_start = data_start - self.carry.len() as u64;
        let window_end = data_start + data.len() as u64;
        let at_end = window_end >= self.size;

        if !self.go_done(window_start) {
            self.search_go(&window, window_start, at_end);
        }
        self.advance_go(&window, window_start);
        self.advance_sections(&window, window_start);
        self.search_dep(&window, window_start, at_end);

        let keep = window.len().min(CARRY_LEN);
        self.carry.clear();
        self.carry.extend_from_slice(window.get(window.len() - keep..).unwrap_or(&[]));
        self.window = window;
    }

    fn search_go(&mut self, window: &[u8], window_start: u64, at_end: bool) {
        let window_end = window_start + window.len() as u64;
        let slice_of =
            |a: u64, b: u64| window.get((a - window_start) as usize..(b - window_start) as usize).unwrap_or(&[]);

        if self.go.inline.is_none() {
            for (a, b) in self.ranges(window_start, window_end, true, true) {
                let (hits, deferred) = fresh_hits(
                    &self.magic_finder,
                    slice_of(a, b),
                    a,
                    &mut self.go.magic_cursor,
                    0,
                    at_end || b < window_end,
                );
                for hit in hits {
                    let at = a + hit as u64;
                    let aligned = self.writable_address(at).is_some_and(|address| address % 16 == 0);
                    if aligned && self.go.blob.is_none() && self.go.inline.is_none() {
                        self.go.blob = Some(Capture::new(at, GO_HEADER_LEN));
                        self.advance_blob(window, window_start);
                    }
                }
                if deferred {
                    break;
                }
            }
        }

        if self.go.inline.is_none() && self.go.sentinel_modinfo.is_none() {
            for (a, b) in self.ranges(window_start, window_end, true, false) {
                let (hits, deferred) = fresh_hits(
                    &self.start_finder,
                    slice_of(a, b),
                    a,
                    &mut self.go.sentinel_cursor,
                    0,
                    at_end || b < window_end,
                );
                if let Some(&hit) = hits.first()
                    && self.go.sentinel_capture.is_none()
                {
                    let at = a + hit as u64;
                    self.go.sentinel_capture = Some((Capture::new(at, MAX_MODINFO_LEN + 32), MODINFO_START.len()));
                }
                if deferred {
                    break;
                }
            }
        }

        if self.go.inline.is_none() && self.go.snippets.len() < MAX_VERSION_SNIPPETS {
            for (a, b) in self.ranges(window_start, window_end, true, false) {
                let piece = slice_of(a, b);
                // A piece cut by a segment's end is complete: the next window adds nothing to it.
                let last = at_end || b < window_end;
                let (hits, deferred) =
                    fresh_hits(&self.snippet_finder, piece, a, &mut self.go.snippet_cursor, SNIPPET_LEN, last);
                for hit in hits {
                    if self.go.snippets.len() >= MAX_VERSION_SNIPPETS {
                        break;
                    }
                    let bytes = piece.get(hit..(hit + SNIPPET_LEN).min(piece.len())).unwrap_or(&[]);
                    self.go.snippets.push((a + hit as u64, bytes.to_vec()));
                }
                if deferred {
                    break;
                }
            }
        }
    }

    /// Feeds the window to the inline blob being read, parsing as it grows.
    fn advance_blob(&mut self, window: &[u8], window_start: u64) {
        loop {
            let Some(blob) = self.go.blob.as_mut() else { return };
            blob.take(window_start, window);
            match parse_buildinfo_blob(&blob.bytes) {
                BlobParse::Need(n) => {
                    if blob.broken {
                        self.go.blob = None;
                        return;
                    }
                    if n > blob.limit {
                        blob.limit = n;
                        continue;
                    }
                    return;
                }
                BlobParse::Inline { version, modinfo } => {
                    self.go.inline = Some((version, modinfo));
                    self.go.blob = None;
                    return;
                }
                BlobParse::Pointers { ptr_size, big_endian, version_addr } => {
                    self.go.blob = None;
                    if self.go.version.is_none() {
                        self.go.version = Some(match self.file_offset_of(version_addr) {
                            Some(at) if at >= window_start => VersionChase::StringHeader {
                                capture: Capture::new(at, 2 * ptr_size),
                                ptr_size,
                                big_endian,
                            },
                            Some(_) => VersionChase::Unresolved(
                                "its version's string header lies before the build information",
                            ),
                            None => VersionChase::Unresolved("its version pointer is outside the file"),
                        });
                    }
                    return;
                }
                BlobParse::Invalid { reason, plausible } => {
                    if plausible {
                        self.go.blob_failure = Some(reason);
                    }
                    self.go.blob = None;
                    return;
                }
            }
        }
    }

    fn advance_go(&mut self, window: &[u8], window_start: u64) {
        self.advance_blob(window, window_start);

        // The module information between the sentinels.
        if let Some((capture, searched)) = self.go.sentinel_capture.as_mut() {
            capture.take(window_start, window);
            let from = (*searched).max(MODINFO_START.len());
            let found = capture.bytes.get(from..).and_then(|rest| self.end_finder.find(rest)).map(|i| from + i);
            if let Some(end) = found {
                let text = capture.bytes.get(..end + MODINFO_END.len()).and_then(strip_modinfo_sentinels);
                self.go.sentinel_modinfo = text.map(str::to_string);
                self.go.sentinel_capture = None;
            } else if capture.is_complete() || capture.broken {
                self.go.sentinel_overflow |= capture.is_complete();
                self.go.sentinel_capture = None;
            } else {
                *searched = capture.bytes.len().saturating_sub(MODINFO_END.len() - 1);
            }
        }

        // A pre-1.18 version pointer: its string header, then the string.
        loop {
            let step = match self.go.version.as_mut() {
                Some(VersionChase::StringHeader { capture, ptr_size, big_endian }) => {
                    capture.take(window_start, window);
                    if capture.broken {
                        ChaseStep::Set(VersionChase::Unresolved("its version's string header was not read"))
                    } else if capture.is_complete() {
                        let endian = Endian { big: *big_endian };
                        let wide = *ptr_size == 8;
                        match (endian.word(&capture.bytes, 0, wide), endian.word(&capture.bytes, *ptr_size, wide)) {
                            (Some(address), Some(len)) if (1..=MAX_GO_VERSION_LEN as u64).contains(&len) => {
                                ChaseStep::Data { address, len: len as usize }
                            }
                            _ => ChaseStep::Set(VersionChase::Unresolved("its version's string header is malformed")),
                        }
                    } else {
                        ChaseStep::Wait
                    }
                }
                Some(VersionChase::StringData(capture)) => {
                    capture.take(window_start, window);
                    if capture.broken {
                        ChaseStep::Set(VersionChase::Unresolved("its version string was not read"))
                    } else if capture.is_complete() {
                        ChaseStep::Set(version_from_bytes(&capture.bytes))
                    } else {
                        ChaseStep::Wait
                    }
                }
                _ => ChaseStep::Wait,
            };
            self.go.version = Some(match step {
                ChaseStep::Wait => break,
                ChaseStep::Set(state) => state,
                ChaseStep::Data { address, len } => self.resolve_version_data(address, len, window_start),
            });
        }
    }

    fn resolve_version_data(&self, address: u64, len: usize, window_start: u64) -> VersionChase {
        let Some(at) = self.file_offset_of(address) else {
            return VersionChase::Unresolved("its version string lies outside the file");
        };
        if at >= window_start {
            return VersionChase::StringData(Capture::new(at, len));
        }
        // Already passed: look among the remembered `go1.` snippets.
        match self.go.snippets.binary_search_by_key(&at, |(offset, _)| *offset) {
            Ok(i) => match self.go.snippets.get(i).and_then(|(_, bytes)| bytes.get(..len)) {
                Some(bytes) => version_from_bytes(bytes),
                None => VersionChase::Unresolved("its version string is longer than the bytes remembered"),
            },
            Err(_) if self.go.snippets.len() >= MAX_VERSION_SNIPPETS => VersionChase::Unresolved(
                "its version string lies before the build information, past the remembered candidates",
            ),
            Err(_) => {
                VersionChase::Unresolved("its version string lies before the build information and does not read go1.…")
            }
        }
    }

    fn advance_sections(&mut self, window: &[u8], window_start: u64) {
        if let Some(tail) = self.tail_capture.as_mut() {
            tail.take(window_start, window);
        }
        if let Some(table) = self.table_capture.as_mut() {
            table.take(window_start, window);
            if table.is_complete() || table.broken {
                let table = self.table_capture.take();
                if let Some(table) = table.filter(|t| !t.broken) {
                    self.parse_section_table(&table.bytes, window_start);
                } else {
                    self.warnings.push("The section header table could not be read.".to_string());
                }
            }
        }
        if let Some(names) = self.names_capture.as_mut() {
            names.take(window_start, window);
        }
        if !self.dep_section_known {
            self.resolve_dep_section(window_start);
        }
        if let Some(dep) = self.dep_capture.as_mut() {
            dep.take(window_start, window);
        }
    }

    fn parse_section_table(&mut self, table: &[u8], window_start: u64) {
        let (wide, endian) = (self.header.wide, self.header.endian);
        let entry_len = usize::from(self.header.shentsize);
        let first = SectionHeader::parse(table, 0, wide, endian);
        let count = match (self.header.shnum, first) {
            (0, Some(first)) => usize::try_from(first.size).unwrap_or(usize::MAX),
            (n, _) => usize::from(n),
        };
        let count = count.min(table.len() / entry_len.max(1));
        let sections: Vec<SectionHeader> =
            (0..count).filter_map(|i| SectionHeader::parse(table, i * entry_len, wide, endian)).collect();
        let names_index = match (self.header.shstrndx, first) {
            (SHN_XINDEX, Some(first)) => usize::try_from(first.link).unwrap_or(usize::MAX),
            (index, _) => usize::from(index),
        };
        if let Some(names) = sections.get(names_index).filter(|s| s.kind != SHT_NOBITS && names_index != 0)
            && names.size <= MAX_SECTION_NAMES_LEN
            && names.end().is_some_and(|end| end <= self.size)
        {
            self.names_range = Some((names.offset, names.size));
            let in_tail = self
                .tail_capture
                .as_ref()
                .is_some_and(|t| names.offset >= t.start && names.offset + names.size <= t.start + t.limit as u64);
            if !in_tail && names.offset >= window_start {
                self.names_capture = Some(Capture::new(names.offset, names.size as usize));
            }
        }
        self.sections = Some(sections);
    }

    /// The section-name table's bytes, when they were captured.
    fn section_names(&self) -> Option<&[u8]> {
        let (offset, size) = self.names_range?;
        [self.names_capture.as_ref(), self.tail_capture.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|capture| capture.slice(offset, size))
    }

    /// Once the headers and their names are known: where `.dep-v0` is, and if its bytes
    /// are still ahead, a capture for them.
    fn resolve_dep_section(&mut self, window_start: u64) {
        let Some(sections) = &self.sections else { return };
        // Without names (not arrived yet, or passed unbuffered) the section stays unknown.
        let Some(names) = self.section_names() else { return };
        let dep = sections
            .iter()
            .find(|s| section_name(names, s.name) == Some(b".dep-v0".as_slice()) && s.kind != SHT_NOBITS)
            .map(|s| (s.offset, s.size));
        self.dep_section_known = true;
        self.dep_section = dep;
        if let Some((offset, size)) = dep {
            let in_tail = self.tail_capture.as_ref().is_some_and(|t| {
                offset >= t.start && offset.checked_add(size).is_some_and(|end| end <= t.start + t.limit as u64)
            });
            let in_file = offset.checked_add(size).is_some_and(|end| end <= self.size);
            if !in_tail && in_file && offset >= window_start && size <= MAX_DEP_SECTION_LEN && size > 0 {
                self.dep_capture = Some(Capture::new(offset, size as usize));
            }
        }
    }

    fn search_dep(&mut self, window: &[u8], window_start: u64, at_end: bool) {
        let window_end = window_start + window.len() as u64;
        if let Some(inflation) = self.inflation.take() {
            self.continue_inflation(inflation, window, window_start);
        }
        if self.inflation.is_some()
            || self.candidates.len() >= MAX_DEP_CANDIDATES
            || self.dep_budget == 0
            || self.probes >= MAX_PROBES
        {
            return;
        }
        // Once the section names are known, only a real `.dep-v0` is worth probing for.
        if self.dep_section_known && self.dep_section.is_none() {
            return;
        }
        'ranges: for (a, b) in self.ranges(window_start.max(self.probe_cursor), window_end, false, false) {
            let from = (a - window_start) as usize;
            let to = (b - window_start) as usize;
            let mut at = from;
            while let Some(found) = window.get(at..to).and_then(|piece| memchr::memchr(0x78, piece)) {
                let p = at + found;
                at = p + 1;
                if !at_end && p + PROBE_INPUT_LEN > window.len() {
                    self.probe_cursor = window_start + p as u64;
                    return;
                }
                let Some(&flg) = window.get(p + 1) else { continue };
                if !is_zlib_header(0x78, flg) {
                    continue;
                }
                self.probes += 1;
                if self.probes == MAX_PROBES {
                    self.warnings.push(format!(
                        "The binary holds more than {MAX_PROBES} zlib-like headers; the search for cargo-auditable data stopped there."
                    ));
                    break 'ranges;
                }
                let input = window.get(p..(p + PROBE_INPUT_LEN).min(window.len())).unwrap_or(&[]);
                if self.probe(input) {
                    let inflation = Inflation {
                        start: window_start + p as u64,
                        consumed: 0,
                        json: Vec::new(),
                        cap: self.dep_budget,
                    };
                    self.decompressor.get_or_insert_with(|| Decompress::new(true)).reset(true);
                    self.continue_inflation(inflation, window, window_start);
                    if self.inflation.is_some() {
                        break 'ranges;
                    }
                    if self.candidates.len() >= MAX_DEP_CANDIDATES || self.dep_budget == 0 {
                        break 'ranges;
                    }
                    at = at.max((self.probe_cursor.saturating_sub(window_start)) as usize);
                }
            }
        }
        if self.inflation.is_none() {
            self.probe_cursor = self.probe_cursor.max(window_end);
        }
    }

    /// Inflates the first bytes of a zlib stream and checks them.
    fn probe(&mut self, input: &[u8]) -> bool {
        let decompressor = self.decompressor.get_or_insert_with(|| Decompress::new(true));
        decompressor.reset(true);
        let mut opening = [0u8; 32];
        match inflate_step(decompressor, input, &mut opening) {
            Ok((_, _, produced)) => opening.get(..produced).is_some_and(opens_dependency_list),
            Err(_) => false,
        }
    }

    fn continue_inflation(&mut self, mut inflation: Inflation, window: &[u8], window_start: u64) {
        match self.inflate_window(&mut inflation, window, window_start) {
            None => self.inflation = Some(inflation),
            Some(result) => self.end_inflation(inflation, result),
        }
    }

    /// Feeds the window's part of the stream to the inflater: `None` while the stream
    /// goes on past the window, else how it ended.
    fn inflate_window(
        &mut self,
        inflation: &mut Inflation,
        window: &[u8],
        window_start: u64,
    ) -> Option<Result<Vec<u8>, String>> {
        let from = inflation.start + inflation.consumed;
        let Some(mut input) = from
            .checked_sub(window_start)
            .and_then(|skip| usize::try_from(skip).ok())
            .and_then(|skip| window.get(skip..))
        else {
            return Some(Err("its bytes were not all seen".to_string()));
        };
        if self.inflate_buffer.is_empty() {
            self.inflate_buffer = vec![0u8; 32 * 1024];
        }
        let decompressor = self.decompressor.get_or_insert_with(|| Decompress::new(true));
        loop {
            if input.is_empty() {
                return None;
            }
            let (status, used, produced) = match inflate_step(decompressor, input, &mut self.inflate_buffer) {
                Ok(step) => step,
                Err(reason) => return Some(Err(reason)),
            };
            inflation.consumed += used as u64;
            input = input.get(used..).unwrap_or(&[]);
            if inflation.json.len() + produced > inflation.cap {
                return Some(Err(if inflation.cap == MAX_DEP_JSON_LEN {
                    format!("it inflates past the {} MiB cap", MAX_DEP_JSON_LEN >> 20)
                } else {
                    format!(
                        "it inflates past the {} bytes left of the {} MiB cap",
                        inflation.cap,
                        MAX_DEP_JSON_LEN >> 20
                    )
                }));
            }
            extend_within(&mut inflation.json, self.inflate_buffer.get(..produced).unwrap_or(&[]), inflation.cap);
            match status {
                Status::StreamEnd => return Some(Ok(std::mem::take(&mut inflation.json))),
                _ if used == 0 && produced == 0 => return Some(Err("its zlib stream stalls".to_string())),
                _ => {}
            }
        }
    }

    fn end_inflation(&mut self, inflation: Inflation, result: Result<Vec<u8>, String>) {
        if let Ok(json) = &result {
            self.dep_budget = self.dep_budget.saturating_sub(json.len());
        }
        self.probe_cursor = self.probe_cursor.max(inflation.start + inflation.consumed.max(1));
        self.candidates.push(DepCandidate { start: inflation.start, result });
    }

    fn finish(mut self, position: u64) -> Parsed {
        let mut parsed = Parsed::default();
        if position < self.size {
            let stopped_early = self.go_done(position) && self.dep_done();
            if !stopped_early {
                self.warnings.push(format!("The binary ended after {position} of its {} bytes.", self.size));
            }
        }
        if let Some(inflation) = self.inflation.take() {
            self.end_inflation(inflation, Err("the file ends inside its zlib stream".to_string()));
        }
        // The window may have arrived whole before the headers were parsed.
        if !self.dep_section_known {
            self.resolve_dep_section(u64::MAX);
        }
        self.finish_go(&mut parsed);
        self.finish_dep(&mut parsed);
        let mut warnings = std::mem::take(&mut self.warnings);
        warnings.append(&mut parsed.warnings);
        parsed.warnings = warnings;
        parsed
    }

    fn finish_go(&mut self, parsed: &mut Parsed) {
        let mut go = std::mem::take(&mut self.go);
        // A blob still being read when the file ended: a truncated Go binary, if its header
        // (which parsing has already accepted) was all there.
        if let Some(blob) = go.blob.take()
            && blob.bytes.len() >= GO_HEADER_LEN
            && matches!(parse_buildinfo_blob(&blob.bytes), BlobParse::Need(_))
        {
            go.blob_failure = Some("the file ends inside it");
        }
        if let Some((version, modinfo)) = &go.inline {
            merge(parsed, golang::parse_modinfo(Some(version), modinfo));
            return;
        }
        let version = match &go.version {
            Some(VersionChase::Resolved(version)) => Some(version.as_str()),
            _ => None,
        };
        let why_unresolved = match &go.version {
            Some(VersionChase::Unresolved(reason)) => *reason,
            _ => "its version string was not read",
        };
        match (&go.version, &go.sentinel_modinfo) {
            (Some(_), Some(modinfo)) => {
                merge(parsed, golang::parse_modinfo(version, modinfo));
                if version.is_none() {
                    self.warnings.push(format!(
                        "This Go binary uses the pre-1.18 build-information layout and {why_unresolved}; the Go version is unknown, so the standard library is not reported."
                    ));
                }
            }
            (Some(_), None) => {
                if version.is_some() {
                    merge(parsed, golang::parse_modinfo(version, ""));
                    self.warnings.push("No Go module information was found in this pre-1.18 binary (built outside module mode?); only the standard library is reported.".to_string());
                } else {
                    self.warnings.push(format!(
                        "This Go binary's pre-1.18 build information could not be read: {why_unresolved}, and no module information was found."
                    ));
                }
            }
            (None, Some(modinfo)) => {
                merge(parsed, golang::parse_modinfo(None, modinfo));
                self.warnings.push("Go module information was found without a build-information header (Go before 1.13?); the Go version is unknown, so the standard library is not reported.".to_string());
            }
            (None, None) => {
                if let Some(reason) = go.blob_failure {
                    self.warnings.push(format!("This Go binary's build information could not be read: {reason}."));
                } else if go.sentinel_overflow {
                    self.warnings.push(format!(
                        "Go module information was found but is longer than the {} MiB cap; it was skipped.",
                        MAX_MODINFO_LEN >> 20
                    ));
                }
            }
        }
    }

    fn finish_dep(&mut self, parsed: &mut Parsed) {
        let section_starts: Option<Vec<u64>> = self.sections.as_ref().map(|sections| {
            sections
                .iter()
                .filter(|s| s.kind == SHT_PROGBITS && s.flags & SHF_ALLOC == 0 && s.size > 0)
                .map(|s| s.offset)
                .collect()
        });
        let chosen = match (section_starts, self.dep_section_known, self.dep_section) {
            (Some(_), true, None) => None,
            (Some(_), true, Some((offset, size))) => Some(self.dep_section_bytes(offset, size)),
            // No names: a candidate that starts exactly where a non-loaded section does.
            (Some(starts), false, _) => self.take_candidate(|c| starts.contains(&c.start) && c.result.is_ok()),
            (None, _, _) => {
                let found = self.take_candidate(|c| c.result.is_ok());
                if found.is_some() {
                    self.warnings.push("The section headers could not be read; the cargo-auditable data was recognised by its content alone.".to_string());
                }
                found
            }
        };
        match chosen {
            None => {}
            Some(Ok(json)) => match rust::parse_auditable_json(&json) {
                Ok(dependencies) => merge(parsed, dependencies),
                Err(e) => self.warnings.push(format!("The cargo-auditable section (.dep-v0) is unusable: {e}")),
            },
            Some(Err(reason)) => {
                self.warnings.push(format!("The cargo-auditable section (.dep-v0) could not be read: {reason}."))
            }
        }
    }

    fn take_candidate(&mut self, wanted: impl Fn(&DepCandidate) -> bool) -> Option<Result<Vec<u8>, String>> {
        let index = self.candidates.iter().position(wanted)?;
        Some(self.candidates.swap_remove(index).result)
    }

    /// `.dep-v0`'s decompressed content: from the candidate that started there, else
    /// from its buffered bytes.
    fn dep_section_bytes(&mut self, offset: u64, size: u64) -> Result<Vec<u8>, String> {
        if let Some(result) = self.take_candidate(|c| c.start == offset) {
            return result;
        }
        let raw = [self.dep_capture.as_ref(), self.tail_capture.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|capture| capture.slice(offset, size));
        match raw {
            Some(raw) => {
                let mut decompressor = Decompress::new(true);
                inflate_all(&mut decompressor, raw, MAX_DEP_JSON_LEN)
            }
            None if size > MAX_DEP_JSON_LEN as u64 => {
                Err(format!("its {size} bytes exceed the {} MiB cap", MAX_DEP_JSON_LEN >> 20))
            }
            None => Err(format!(
                "it lies at offset {offset}, outside the {} MiB kept before the section header table, and its start is not a zlib-compressed dependency list",
                TAIL_WINDOW_LEN >> 20
            )),
        }
    }
}

/// A version string read from a pre-1.18 binary, if it is one.
fn version_from_bytes(bytes: &[u8]) -> VersionChase {
    match std::str::from_utf8(bytes).ok().filter(|v| is_go_version_text(v)) {
        Some(version) => VersionChase::Resolved(version.to_string()),
        None => VersionChase::Unresolved("its version pointer leads to something that is not a Go version"),
    }
}

fn merge(into: &mut Parsed, from: Parsed) {
    into.packages.extend(from.packages);
    into.warnings.extend(from.warnings);
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use brig_sbom::PackageKind;
    use flate2::{Compress, Compression, FlushCompress};

    use super::*;
    use crate::lang::{LangPackage, fixture};

    // ---- a reader that hands out the file in pieces and records how far it was read ----

    struct Pieces<'a> {
        data: &'a [u8],
        at: usize,
        piece: usize,
    }

    impl Read for Pieces<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.piece).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    /// Scans `file` as the layer reader would, `piece` bytes per read; also returns how many
    /// bytes of the file were consumed.
    fn scan_in_pieces(file: &[u8], piece: usize) -> (Result<Parsed, ParseError>, usize) {
        let head = &file[..file.len().min(SNIFF_LEN)];
        let mut rest = Pieces { data: &file[head.len()..], at: 0, piece };
        let result = scan_binary(head, &mut rest, file.len() as u64);
        (result, head.len() + rest.at)
    }

    /// Scans with several read sizes and checks they all agree.
    fn scan(file: &[u8]) -> Parsed {
        let (first, _) = scan_in_pieces(file, 1 << 20);
        let first = first.unwrap();
        for piece in [1, 7, 1000, 4096, 65_537] {
            if piece < 64 && file.len() > 200_000 {
                continue;
            }
            let (again, _) = scan_in_pieces(file, piece);
            assert_eq!(again.unwrap(), first, "read size {piece}");
        }
        first
    }

    fn names(parsed: &Parsed) -> Vec<(String, String)> {
        let mut out: Vec<_> = parsed.packages.iter().map(|p| (p.name.clone(), p.version.clone())).collect();
        out.sort();
        out
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut out: Vec<_> = list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        out.sort();
        out
    }

    // ---- a synthetic ELF writer ----

    struct TestSegment {
        writable: bool,
        vaddr: u64,
        data: Vec<u8>,
    }

    struct TestSection {
        name: &'static str,
        kind: u32,
        data: Vec<u8>,
    }

    struct TestElf {
        wide: bool,
        big: bool,
        segments: Vec<TestSegment>,
        /// Non-loaded sections, written after the segments in this order.
        sections: Vec<TestSection>,
        /// Section headers right after the program headers (as Go's linker writes them)
        /// instead of at the end.
        headers_first: bool,
        /// The section-name table before the other sections' data instead of after.
        names_first: bool,
        /// No section headers at all.
        no_sections: bool,
    }

    impl TestElf {
        fn new(wide: bool, big: bool) -> Self {
            TestElf {
                wide,
                big,
                segments: Vec::new(),
                sections: Vec::new(),
                headers_first: false,
                names_first: false,
                no_sections: false,
            }
        }

        fn segment(mut self, writable: bool, vaddr: u64, data: Vec<u8>) -> Self {
            self.segments.push(TestSegment { writable, vaddr, data });
            self
        }

        fn section(mut self, name: &'static str, data: Vec<u8>) -> Self {
            self.sections.push(TestSection { name, kind: SHT_PROGBITS, data });
            self
        }

        fn put(&self, out: &mut Vec<u8>, at: usize, value: u64, len: usize) {
            if out.len() < at + len {
                out.resize(at + len, 0);
            }
            let bytes = value.to_le_bytes();
            for i in 0..len {
                out[at + i] = if self.big { bytes[len - 1 - i] } else { bytes[i] };
            }
        }

        fn word(&self) -> usize {
            if self.wide { 8 } else { 4 }
        }

        fn build(&self) -> Vec<u8> {
            let (ehsize, phentsize, shentsize) = if self.wide { (64, 56, 64) } else { (52, 32, 40) };
            let phoff = ehsize;
            let phnum = self.segments.len();
            // Names: "", each section, ".shstrtab".
            let mut names = vec![0u8];
            let mut name_offsets = Vec::new();
            for s in &self.sections {
                name_offsets.push(names.len());
                names.extend_from_slice(s.name.as_bytes());
                names.push(0);
            }
            let names_name = names.len();
            names.extend_from_slice(b".shstrtab\0");
            let shnum = self.sections.len() + 2;
            let table_len = shnum * shentsize;

            let mut out = vec![0u8; phoff + phnum * phentsize];
            let mut shoff = 0;
            if self.headers_first && !self.no_sections {
                shoff = out.len();
                out.resize(shoff + table_len, 0);
            }
            // Segments at page-aligned offsets (their test addresses are page aligned too).
            let mut placed_segments = Vec::new();
            for s in &self.segments {
                let at = out.len().next_multiple_of(0x1000);
                out.resize(at, 0);
                out.extend_from_slice(&s.data);
                placed_segments.push(at);
            }
            let mut placed_sections = vec![0usize; self.sections.len()];
            let mut names_at = 0;
            let mut write_names = |out: &mut Vec<u8>| {
                names_at = out.len();
                out.extend_from_slice(&names);
            };
            if self.names_first {
                write_names(&mut out);
            }
            for (i, s) in self.sections.iter().enumerate() {
                placed_sections[i] = out.len();
                out.extend_from_slice(&s.data);
            }
            if !self.names_first {
                write_names(&mut out);
            }
            if !self.headers_first && !self.no_sections {
                shoff = out.len().next_multiple_of(8);
                out.resize(shoff + table_len, 0);
            }

            // ELF header.
            out[..4].copy_from_slice(ELF_MAGIC);
            out[4] = if self.wide { 2 } else { 1 };
            out[5] = if self.big { 2 } else { 1 };
            out[6] = 1;
            self.put(&mut out, 16, u64::from(ET_DYN), 2);
            self.put(&mut out, 20, 1, 4);
            let w = self.word();
            let (phoff_at, shoff_at, sizes_at) = if self.wide { (32, 40, 52) } else { (28, 32, 40) };
            self.put(&mut out, phoff_at, phoff as u64, w);
            if !self.no_sections {
                self.put(&mut out, shoff_at, shoff as u64, w);
            }
            self.put(&mut out, sizes_at, ehsize as u64, 2);
            self.put(&mut out, sizes_at + 2, phentsize as u64, 2);
            self.put(&mut out, sizes_at + 4, phnum as u64, 2);
            self.put(&mut out, sizes_at + 6, shentsize as u64, 2);
            if !self.no_sections {
                self.put(&mut out, sizes_at + 8, shnum as u64, 2);
                self.put(&mut out, sizes_at + 10, (shnum - 1) as u64, 2);
            }
            // Program headers.
            for (i, (s, &at)) in self.segments.iter().zip(&placed_segments).enumerate() {
                let base = phoff + i * phentsize;
                let flags = if s.writable { 6 } else { 5 };
                let len = s.data.len() as u64;
                if self.wide {
                    self.put(&mut out, base, u64::from(PT_LOAD), 4);
                    self.put(&mut out, base + 4, flags, 4);
                    self.put(&mut out, base + 8, at as u64, 8);
                    self.put(&mut out, base + 16, s.vaddr, 8);
                    self.put(&mut out, base + 24, s.vaddr, 8);
                    self.put(&mut out, base + 32, len, 8);
                    self.put(&mut out, base + 40, len, 8);
                    self.put(&mut out, base + 48, 0x1000, 8);
                } else {
                    self.put(&mut out, base, u64::from(PT_LOAD), 4);
                    self.put(&mut out, base + 4, at as u64, 4);
                    self.put(&mut out, base + 8, s.vaddr, 4);
                    self.put(&mut out, base + 12, s.vaddr, 4);
                    self.put(&mut out, base + 16, len, 4);
                    self.put(&mut out, base + 20, len, 4);
                    self.put(&mut out, base + 24, flags, 4);
                    self.put(&mut out, base + 28, 0x1000, 4);
                }
            }
            // Section headers: null, the sections, the name table.
            if !self.no_sections {
                let write_header =
                    |out: &mut Vec<u8>, index: usize, name: usize, kind: u32, offset: usize, size: usize| {
                        let base = shoff + index * shentsize;
                        self.put(out, base, name as u64, 4);
                        self.put(out, base + 4, u64::from(kind), 4);
                        if self.wide {
                            self.put(out, base + 24, offset as u64, 8);
                            self.put(out, base + 32, size as u64, 8);
                        } else {
                            self.put(out, base + 16, offset as u64, 4);
                            self.put(out, base + 20, size as u64, 4);
                        }
                    };
                for (i, s) in self.sections.iter().enumerate() {
                    write_header(&mut out, i + 1, name_offsets[i], s.kind, placed_sections[i], s.data.len());
                }
                write_header(&mut out, shnum - 1, names_name, 3, names_at, names.len());
            }
            out
        }
    }

    // ---- Go build information blobs ----

    fn uvarint(mut value: u64, out: &mut Vec<u8>) {
        while value >= 0x80 {
            out.push((value as u8) | 0x80);
            value >>= 7;
        }
        out.push(value as u8);
    }

    const MODINFO: &str = "path\tex.com/cmd/tool\nmod\tex.com/cmd\t(devel)\t\ndep\tex.com/dep\tv1.2.3\th1:abc=\n\
dep\tex.com/old\tv0.1.0\n=>\tex.com/new\tv0.2.0\th1:def=\n\nbuild\t-compiler=gc\n";

    fn wrapped_modinfo(text: &str) -> Vec<u8> {
        let mut out = MODINFO_START.to_vec();
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(MODINFO_END);
        out
    }

    fn inline_blob(version: &str, modinfo: &[u8]) -> Vec<u8> {
        let mut blob = GO_MAGIC.to_vec();
        blob.push(8);
        blob.push(GO_FLAG_INLINE);
        blob.resize(GO_HEADER_LEN, 0);
        uvarint(version.len() as u64, &mut blob);
        blob.extend_from_slice(version.as_bytes());
        uvarint(modinfo.len() as u64, &mut blob);
        blob.extend_from_slice(modinfo);
        blob
    }

    fn expected_go_packages(version: &str) -> Vec<(String, String)> {
        pairs(&[("ex.com/dep", "v1.2.3"), ("ex.com/new", "v0.2.0"), ("stdlib", version)])
    }

    fn filler(len: usize, seed: u8) -> Vec<u8> {
        (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
    }

    /// A Go ≥ 1.18 binary: code, read-only data, then writable data starting with `data`.
    fn go_elf(wide: bool, big: bool, data: Vec<u8>) -> Vec<u8> {
        TestElf::new(wide, big)
            .segment(false, 0x40_0000, filler(20_000, 1))
            .segment(false, 0x50_0000, filler(9_000, 2))
            .segment(true, 0x60_0000, data)
            .section(".debug_info", filler(3_000, 3))
            .build()
    }

    #[test]
    fn candidates_are_executables_and_shared_objects() {
        let exec = go_elf(true, false, Vec::new());
        assert!(is_candidate(&exec[..SNIFF_LEN]));
        assert!(is_candidate(&go_elf(false, true, Vec::new())[..18]));
        let mut relocatable = exec.clone();
        relocatable[16] = 1;
        assert!(!is_candidate(&relocatable));
        let mut core = exec.clone();
        core[16] = 4;
        assert!(!is_candidate(&core));
        let mut bad_class = exec.clone();
        bad_class[4] = 3;
        assert!(!is_candidate(&bad_class));
        assert!(!is_candidate(&exec[..17]));
        assert!(!is_candidate(b"#!/bin/sh\necho not an elf file at all\n"));
    }

    #[test]
    fn go_inline_build_info_in_every_class_and_byte_order() {
        for (wide, big) in [(true, false), (true, true), (false, false), (false, true)] {
            let mut data = inline_blob("go1.21.5", &wrapped_modinfo(MODINFO));
            data.extend(filler(5_000, 9));
            let parsed = scan(&go_elf(wide, big, data));
            assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
            assert_eq!(names(&parsed), expected_go_packages("1.21.5"), "wide {wide} big {big}");
            let new = parsed.packages.iter().find(|p| p.name == "ex.com/new").unwrap();
            assert_eq!(new.replaced_by.as_deref(), Some("ex.com/new v0.2.0"));
            assert_eq!(new.kind, PackageKind::Golang);
        }
    }

    #[test]
    fn go_blob_further_into_the_writable_segment_and_straddling_chunks() {
        // External linkers put .go.buildinfo after other writable sections; and a blob that
        // crosses the 64 KiB chunk boundary must be read whole.
        let mut data = filler(CHUNK_LEN - 0x1000 - 16, 4);
        data.resize(data.len().next_multiple_of(16), 0);
        data.extend(inline_blob("go1.20", &wrapped_modinfo(MODINFO)));
        data.extend(filler(100, 5));
        let parsed = scan(&go_elf(true, false, data));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(names(&parsed), expected_go_packages("1.20.0"));
    }

    #[test]
    fn go_magic_must_be_aligned_and_writable() {
        let blob = inline_blob("go1.21.5", &wrapped_modinfo(MODINFO));
        let mut unaligned = vec![0u8; 8];
        unaligned.extend(&blob);
        let parsed = scan(&go_elf(true, false, unaligned));
        // Not read as a header: no version. (The sentinel-wrapped module text is still
        // recognised, as in a pre-1.13 binary, and said to lack a version.)
        assert!(parsed.packages.iter().all(|p| p.name != "stdlib"), "{parsed:?}");
        assert!(parsed.warnings[0].contains("without a build-information header"), "{parsed:?}");

        // In read-only data (say, a Go binary embedded as data): not this binary's.
        let read_only = TestElf::new(true, false)
            .segment(false, 0x40_0000, blob.clone())
            .segment(true, 0x60_0000, filler(100, 1))
            .build();
        let parsed = scan(&read_only);
        // Its sentinel-wrapped module text still says modules are there, without a version.
        assert!(parsed.packages.iter().all(|p| p.name != "stdlib"));
    }

    #[test]
    fn go_magic_in_a_non_go_file_yields_nothing() {
        for tail in [
            vec![8u8, 2, 0, 0], // inline flag, then garbage lengths
            vec![8, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, b'h', b'e', b'l', b'l', b'o', 0],
            vec![3, 0, 0, 0],    // pointer size 3
            vec![8, 0x80, 0, 0], // unknown flags
        ] {
            let mut data = GO_MAGIC.to_vec();
            data.extend(tail);
            data.resize(400, 0xee);
            let parsed = scan(&go_elf(true, false, data));
            assert_eq!(parsed, Parsed::default());
        }
    }

    #[test]
    fn go_varint_overflow_and_oversized_lengths() {
        let mut overflow = GO_MAGIC.to_vec();
        overflow.extend([8, GO_FLAG_INLINE]);
        overflow.resize(GO_HEADER_LEN, 0);
        overflow.extend([0xff; 11]);
        overflow.resize(200, 0);
        assert_eq!(scan(&go_elf(true, false, overflow)), Parsed::default());

        // A good version then a module-information length past the cap: a damaged Go
        // binary, worth a warning.
        let mut huge = inline_blob("go1.21.5", b"");
        huge.pop();
        uvarint((MAX_MODINFO_LEN as u64) * 4, &mut huge);
        huge.resize(300, 0);
        let parsed = scan(&go_elf(true, false, huge));
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    }

    #[test]
    fn go_blob_truncated_by_the_end_of_the_file() {
        let blob = inline_blob("go1.21.5", &wrapped_modinfo(MODINFO));
        let file = TestElf::new(true, false)
            .segment(false, 0x40_0000, filler(5_000, 1))
            .segment(true, 0x60_0000, blob)
            .build();
        // Cut inside the module information (the section headers, at the end, go too).
        let cut = file.len() - 200;
        let mut truncated = file[..cut].to_vec();
        truncated.truncate(cut - 100);
        let (parsed, _) = scan_in_pieces(&truncated, 4096);
        let parsed = parsed.unwrap();
        assert!(parsed.packages.is_empty());
        assert!(parsed.warnings.iter().any(|w| w.contains("ends inside it")), "{:?}", parsed.warnings);
    }

    #[test]
    fn go_without_modules_reports_the_standard_library() {
        let parsed = scan(&go_elf(true, false, inline_blob("go1.19.8", b"")));
        assert_eq!(parsed.packages, [LangPackage::new(PackageKind::Golang, "stdlib", "1.19.8")]);
    }

    /// A Go 1.13–1.17 layout: the version string and module text in read-only data, the
    /// pointer header in writable data, followed there by the version's string header.
    fn pointer_format_elf(version_header_in_rodata: bool) -> Vec<u8> {
        let rodata_vaddr = 0x50_0000u64;
        let mut rodata = filler(3_000, 2);
        let version_at = rodata.len() as u64;
        rodata.extend_from_slice(b"go1.16.15runtime: bad pointer");
        rodata.extend(filler(500, 7));
        rodata.extend(wrapped_modinfo(MODINFO));
        let header_in_rodata_at = rodata.len() as u64;
        rodata.extend((rodata_vaddr + version_at).to_le_bytes());
        rodata.extend(9u64.to_le_bytes());
        // More than a chunk, so that what came before has left the window.
        rodata.extend(filler(CHUNK_LEN + 5_000, 8));

        let data_vaddr = 0x60_0000u64;
        let mut data = GO_MAGIC.to_vec();
        data.extend([8, 0]);
        let string_header = if version_header_in_rodata { rodata_vaddr + header_in_rodata_at } else { data_vaddr + 64 };
        data.extend(string_header.to_le_bytes());
        data.extend((data_vaddr + 0x2000).to_le_bytes()); // runtime.modinfo: not followed
        data.resize(64, 0);
        data.extend((rodata_vaddr + version_at).to_le_bytes());
        data.extend(9u64.to_le_bytes());
        data.extend(filler(1_000, 3));
        TestElf::new(true, false)
            .segment(false, 0x40_0000, filler(8_000, 1))
            .segment(false, rodata_vaddr, rodata)
            .segment(true, data_vaddr, data)
            .build()
    }

    #[test]
    fn go_pointer_format_recovers_the_version_from_passed_bytes() {
        let parsed = scan(&pointer_format_elf(false));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(names(&parsed), expected_go_packages("1.16.15"));
    }

    #[test]
    fn go_pointer_format_with_an_unreachable_version_warns() {
        let parsed = scan(&pointer_format_elf(true));
        assert_eq!(names(&parsed), pairs(&[("ex.com/dep", "v1.2.3"), ("ex.com/new", "v0.2.0")]));
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].contains("pre-1.18"), "{:?}", parsed.warnings);
    }

    #[test]
    fn go_module_text_without_any_header() {
        let mut rodata = filler(2_000, 1);
        rodata.extend(wrapped_modinfo(MODINFO));
        let file = TestElf::new(true, false).segment(false, 0x40_0000, rodata).build();
        let parsed = scan(&file);
        assert_eq!(names(&parsed), pairs(&[("ex.com/dep", "v1.2.3"), ("ex.com/new", "v0.2.0")]));
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    }

    // ---- cargo-auditable ----

    fn real_dep_section() -> Vec<u8> {
        fixture("rust/auditable/dep-v0.zlib")
    }

    fn auditable_expected() -> Vec<(String, String)> {
        pairs(&[("autocfg", "1.5.1"), ("itoa", "1.0.19"), ("num-traits", "0.2.19")])
    }

    fn rust_elf() -> TestElf {
        TestElf::new(true, false).segment(false, 0x1000, filler(30_000, 1)).segment(true, 0x20_0000, filler(4_000, 2))
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn auditable_section_with_headers_at_the_end() {
        let file = rust_elf()
            .section(".comment", b"rustc version 1.95.0\0".to_vec())
            .section(".dep-v0", real_dep_section())
            .build();
        let parsed = scan(&file);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(names(&parsed), auditable_expected());
        assert!(parsed.packages.iter().all(|p| p.kind == PackageKind::Cargo));
    }

    #[test]
    fn auditable_section_far_before_the_headers_is_found_by_probing() {
        // 3 MiB of debug sections between .dep-v0 and the header table: outside the window.
        let file = rust_elf().section(".dep-v0", real_dep_section()).section(".debug_info", filler(3 << 20, 5)).build();
        let parsed = scan(&file);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(names(&parsed), auditable_expected());
    }

    #[test]
    fn auditable_section_without_reachable_names_is_matched_by_offset() {
        // The name table comes first and 2 MiB of other data separate it from the headers.
        let mut elf = rust_elf().section(".debug_str", filler(2 << 20, 6)).section(".dep-v0", real_dep_section());
        elf.names_first = true;
        let parsed = scan(&elf.build());
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(names(&parsed), auditable_expected());
    }

    #[test]
    fn headers_first_layout_stops_reading_early() {
        let mut elf = rust_elf().section(".dep-v0", real_dep_section()).section(".debug_info", filler(4 << 20, 7));
        elf.headers_first = true;
        elf.names_first = true;
        let file = elf.build();
        let (parsed, consumed) = scan_in_pieces(&file, 1 << 16);
        let parsed = parsed.unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(names(&parsed), auditable_expected());
        assert!(consumed < 1 << 20, "read {consumed} of {} bytes", file.len());
    }

    #[test]
    fn auditable_data_without_section_headers_is_recognised_by_content() {
        let mut elf = rust_elf().section(".dep-v0", real_dep_section());
        elf.no_sections = true;
        let parsed = scan(&elf.build());
        assert_eq!(names(&parsed), auditable_expected());
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    }

    #[test]
    fn a_decoy_dependency_list_in_another_section_is_ignored() {
        let decoy = zlib(br#"{"packages":[{"name":"decoy","version":"6.6.6","source":"registry"}]}"#);
        let file = rust_elf().section(".note.decoy", decoy).section(".dep-v0", real_dep_section()).build();
        let parsed = scan(&file);
        assert_eq!(names(&parsed), auditable_expected());
    }

    #[test]
    fn a_section_that_does_not_probe_as_json_is_read_from_the_window() {
        // Keys in another order: the probe does not recognise it, the name does.
        let json = br#"{"zz":1,"packages":[{"name":"late","version":"1.0.0","source":"registry"}]}"#;
        let file = rust_elf().section(".dep-v0", zlib(json)).build();
        let parsed = scan(&file);
        assert_eq!(names(&parsed), pairs(&[("late", "1.0.0")]));
        // And one that is not JSON at all is warned about.
        let file = rust_elf().section(".dep-v0", zlib(b"not json")).build();
        let parsed = scan(&file);
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    }

    /// A zlib stream of `{"packages":[` and then `repeats` MiB of spaces, built by
    /// repeating one byte-aligned compressed block: about 1 KiB per inflated MiB.
    fn zlib_bomb(repeats: usize) -> Vec<u8> {
        let mut compress = Compress::new(Compression::best(), true);
        let mut out = Vec::with_capacity(1 << 20);
        let mut sync = |input: &[u8], out: &mut Vec<u8>| {
            let before = compress.total_in();
            loop {
                out.reserve(64 * 1024);
                let consumed = (compress.total_in() - before) as usize;
                compress.compress_vec(&input[consumed..], out, FlushCompress::Sync).unwrap();
                if (compress.total_in() - before) as usize == input.len() && out.capacity() > out.len() {
                    break;
                }
            }
        };
        let spaces = vec![b' '; 1 << 20];
        sync(b"{\"packages\":[ ", &mut out);
        sync(&spaces, &mut out);
        let block_start = out.len();
        sync(&spaces, &mut out);
        let block = out[block_start..].to_vec();
        for _ in 0..repeats {
            out.extend_from_slice(&block);
        }
        out
    }

    #[test]
    fn an_auditable_zip_bomb_stops_at_the_cap() {
        let bomb = zlib_bomb(1024); // inflates to 1 GiB
        assert!(bomb.len() < 8 << 20);
        let file = rust_elf().section(".dep-v0", bomb).build();
        let started = std::time::Instant::now();
        let (parsed, _) = scan_in_pieces(&file, 1 << 16);
        let parsed = parsed.unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].contains("cap"), "{:?}", parsed.warnings);
        assert!(started.elapsed().as_secs() < 20);
    }

    #[test]
    fn a_file_full_of_zlib_headers_costs_bounded_time() {
        let headers: Vec<u8> = b"x\x9c".iter().copied().cycle().take(8 << 20).collect();
        let file = rust_elf().section(".debug_info", headers).build();
        let started = std::time::Instant::now();
        let (parsed, _) = scan_in_pieces(&file, 1 << 16);
        let parsed = parsed.unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn a_corrupt_auditable_stream_is_warned_about() {
        let mut broken = real_dep_section();
        let middle = broken.len() / 2;
        for byte in &mut broken[middle..] {
            *byte = 0xff;
        }
        let file = rust_elf().section(".dep-v0", broken).build();
        let parsed = scan(&file);
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    }

    #[test]
    fn plain_binary_yields_nothing() {
        let file = rust_elf().section(".comment", b"GCC: (Debian 12.2.0-14) 12.2.0\0".to_vec()).build();
        assert_eq!(scan(&file), Parsed::default());
    }

    // ---- hostile layouts ----

    #[test]
    fn truncated_or_foreign_headers_are_errors() {
        let file = go_elf(true, false, Vec::new());
        for len in [0, 3, 10, 40, 63] {
            let (result, _) = scan_in_pieces(&file[..len], 7);
            assert!(result.is_err(), "{len} bytes");
        }
        let (result, _) = scan_in_pieces(b"MZ\x90\x00 not an ELF file, long enough to be read as one.......", 7);
        assert!(result.is_err());
        let mut bad_order = file.clone();
        bad_order[5] = 9;
        assert!(scan_in_pieces(&bad_order, 4096).0.is_err());
    }

    fn set(file: &mut [u8], at: usize, bytes: &[u8]) {
        file[at..at + bytes.len()].copy_from_slice(bytes);
    }

    #[test]
    fn broken_section_and_program_tables_are_survived() {
        let good = rust_elf().section(".dep-v0", real_dep_section()).build();
        type Damage = Box<dyn Fn(&mut Vec<u8>)>;
        let cases: Vec<(&str, Damage)> = vec![
            ("e_shoff beyond the end", Box::new(|f| set(f, 40, &u64::MAX.to_le_bytes()))),
            (
                "e_shoff just past the end",
                Box::new(|f| {
                    let len = f.len() as u64;
                    set(f, 40, &len.to_le_bytes())
                }),
            ),
            ("huge section count", Box::new(|f| set(f, 60, &0xfff0u16.to_le_bytes()))),
            (
                "huge entries",
                Box::new(|f| {
                    set(f, 58, &0xffffu16.to_le_bytes());
                    set(f, 60, &0xffffu16.to_le_bytes())
                }),
            ),
            ("tiny entries", Box::new(|f| set(f, 58, &3u16.to_le_bytes()))),
            ("name table index out of range", Box::new(|f| set(f, 62, &0x7777u16.to_le_bytes()))),
            (
                "extended numbering",
                Box::new(|f| {
                    set(f, 60, &0u16.to_le_bytes());
                    set(f, 62, &SHN_XINDEX.to_le_bytes())
                }),
            ),
            ("e_phoff beyond the prefix", Box::new(|f| set(f, 32, &(1u64 << 40).to_le_bytes()))),
            ("PN_XNUM", Box::new(|f| set(f, 56, &PN_XNUM.to_le_bytes()))),
            ("no program headers", Box::new(|f| set(f, 56, &0u16.to_le_bytes()))),
            ("tiny program header entries", Box::new(|f| set(f, 54, &8u16.to_le_bytes()))),
            (
                "segment offset overflow",
                Box::new(|f| {
                    set(f, 64 + 8, &(u64::MAX - 10).to_le_bytes());
                    set(f, 64 + 32, &u64::MAX.to_le_bytes())
                }),
            ),
            ("segment past the end", Box::new(|f| set(f, 64 + 56 + 32, &(1u64 << 50).to_le_bytes()))),
        ];
        for (what, damage) in cases {
            let mut file = good.clone();
            damage(&mut file);
            for piece in [13, 4096] {
                let (result, _) = scan_in_pieces(&file, piece);
                assert!(result.is_ok(), "{what}: {result:?}");
            }
        }
        // Section names pointing anywhere.
        let mut file = good.clone();
        let shoff = u64::from_le_bytes(file[40..48].try_into().unwrap()) as usize;
        for index in 0..3 {
            set(&mut file, shoff + index * 64, &u32::MAX.to_le_bytes());
        }
        assert!(scan_in_pieces(&file, 999).0.is_ok());

        // Headers first, with `.dep-v0` claiming to lie at the end of the address space.
        let mut elf = rust_elf().section(".dep-v0", real_dep_section());
        elf.headers_first = true;
        let mut file = elf.build();
        let shoff = u64::from_le_bytes(file[40..48].try_into().unwrap()) as usize;
        set(&mut file, shoff + 64 + 24, &(u64::MAX - 3).to_le_bytes());
        set(&mut file, shoff + 64 + 32, &10u64.to_le_bytes());
        assert!(scan_in_pieces(&file, 4096).0.is_ok());
    }

    #[test]
    fn a_size_larger_than_the_stream() {
        let file = go_elf(true, false, inline_blob("go1.21.5", &wrapped_modinfo(MODINFO)));
        for size in [u64::MAX, file.len() as u64 + 1_000_000] {
            let mut rest = Pieces { data: &file[64..], at: 0, piece: 4096 };
            let parsed = scan_binary(&file[..64], &mut rest, size).unwrap();
            assert_eq!(names(&parsed), expected_go_packages("1.21.5"));
        }
        // And a head longer than the sniff length.
        let mut rest = Pieces { data: &file[4000..], at: 0, piece: 4096 };
        let parsed = scan_binary(&file[..4000], &mut rest, file.len() as u64).unwrap();
        assert_eq!(names(&parsed), expected_go_packages("1.21.5"));
    }

    #[test]
    fn mutated_binaries_never_panic() {
        let mut go_data = inline_blob("go1.21.5", &wrapped_modinfo(MODINFO));
        go_data.extend(filler(2_000, 1));
        let mut headers_first = rust_elf().section(".dep-v0", real_dep_section());
        headers_first.headers_first = true;
        let originals = [
            go_elf(true, false, go_data.clone()),
            go_elf(false, true, go_data),
            pointer_format_elf(false),
            rust_elf().section(".dep-v0", real_dep_section()).build(),
            headers_first.build(),
        ];
        // xorshift: deterministic, no dependency.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // BRIG_FUZZ_ROUNDS runs more, for a longer local shake-out.
        let rounds = std::env::var("BRIG_FUZZ_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1500);
        for round in 0..rounds {
            let original = &originals[round % originals.len()];
            let mut file = original.clone();
            // Most damage where the structure is: the headers and tables.
            for _ in 0..1 + next() % 8 {
                let span = if next() % 2 == 0 { 256.min(file.len()) } else { file.len() };
                let at = (next() as usize) % span;
                file[at] = next() as u8;
            }
            if next() % 4 == 0 {
                // Near the end, where the section headers usually are.
                let at = file.len().saturating_sub(8 + next() as usize % 512);
                let value = next().to_le_bytes();
                set(&mut file, at, &value);
            }
            if next() % 5 == 0 {
                file.truncate(next() as usize % file.len());
            }
            let piece = [1, 61, 4096, 1 << 20][(next() % 4) as usize];
            let piece = if file.len() > 50_000 && piece == 1 { 61 } else { piece };
            let _ = scan_in_pieces(&file, piece);
        }
    }

    // ---- real binaries ----

    fn fixture_path(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
    }

    #[test]
    fn real_auditable_binary() {
        let file = fixture("rust/auditable/tinyaud-stripped");
        assert!(is_candidate(&file));
        let parsed = scan(&file);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(names(&parsed), auditable_expected());
        let direct: Vec<_> =
            parsed.packages.iter().filter(|p| p.direct == Some(true)).map(|p| p.name.as_str()).collect();
        assert_eq!(direct.len(), 2, "{direct:?}");
    }

    fn run_go(args: &[&str], dir: &Path, envs: &[(&str, String)]) -> std::process::Output {
        let output = Command::new("go")
            .args(args)
            .current_dir(dir)
            .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap_or_else(|e| panic!("cannot run `go` ({e}): install the Go toolchain (Debian package golang-go); the CI script installs it"));
        assert!(output.status.success(), "go {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
        output
    }

    #[test]
    fn real_go_binaries() {
        let temp = tempfile::tempdir().unwrap();
        let app = fixture_path("golang/app");
        let proxy = fixture_path("golang/proxy");
        let mut envs = vec![
            ("GOPROXY", format!("file://{}", proxy.display())),
            ("GOSUMDB", "off".to_string()),
            ("GOFLAGS", "-modcacherw -mod=readonly".to_string()),
            ("GOMODCACHE", temp.path().join("mod").display().to_string()),
            ("GOPATH", temp.path().join("gopath").display().to_string()),
            ("GOTOOLCHAIN", "local".to_string()),
            ("GOWORK", "off".to_string()),
            ("GO111MODULE", "on".to_string()),
            ("GOENV", "off".to_string()),
        ];
        // Go needs a build cache; keep one across runs (the std library is rebuilt with
        // -trimpath, which takes a while the first time).
        if std::env::var_os("GOCACHE").is_none() {
            envs.push(("GOCACHE", std::env::temp_dir().join("brig-test-go-build-cache").display().to_string()));
        }
        let go_version = String::from_utf8(run_go(&["env", "GOVERSION"], &app, &envs).stdout).unwrap();
        let stdlib = golang::go_toolchain_semver(go_version.trim()).expect("a release Go toolchain");
        let expected = pairs(&[
            ("example.com/colourfork", "v1.0.1"),
            ("example.com/greet", "v1.4.2"),
            ("example.com/lib", "v1.2.3"),
            ("example.com/words", "v0.3.0"),
            ("stdlib", &stdlib),
        ]);
        // The system linker (external) places .go.buildinfo after other writable sections.
        type Variant<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)]);
        let variants: [Variant<'_>; 5] = [
            ("default", &[], &[]),
            ("stripped", &["-ldflags=-s -w"], &[]),
            ("static", &[], &[("CGO_ENABLED", "0")]),
            ("pie", &["-buildmode=pie"], &[]),
            ("external", &["-ldflags=-linkmode=external"], &[]),
        ];
        for (name, flags, extra_env) in variants {
            let out = temp.path().join(name);
            let mut args = vec!["build", "-trimpath", "-buildvcs=false"];
            args.extend_from_slice(flags);
            let out_arg = out.display().to_string();
            args.extend(["-o", &out_arg, "."]);
            let mut variant_env = envs.clone();
            variant_env.extend(extra_env.iter().map(|(k, v)| (*k, v.to_string())));
            run_go(&args, &app, &variant_env);
            let file = std::fs::read(&out).unwrap();
            assert!(is_candidate(&file), "{name}");
            let (parsed, consumed) = scan_in_pieces(&file, 1 << 16);
            let parsed = parsed.unwrap();
            assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
            assert_eq!(names(&parsed), expected, "{name}");
            let lib = parsed.packages.iter().find(|p| p.name == "example.com/lib").unwrap();
            assert_eq!(lib.replaced_by.as_deref(), Some("../lib"), "{name}");
            // Small reads must agree with big ones.
            let (again, _) = scan_in_pieces(&file, 4093);
            assert_eq!(again.unwrap(), parsed, "{name}");
            assert!(consumed <= file.len(), "{name}");
        }
    }
}
