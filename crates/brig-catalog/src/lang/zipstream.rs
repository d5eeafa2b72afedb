//! A forward-only ZIP reader: walks the local file headers in stream order and hands out
//! each entry's (decompressed) data as a `Read`.
//!
//! Why not the `zip` crate: it needs `Seek` to read the central directory at the end of
//! the archive, and image layers are tar streams read once, so seeking would mean holding
//! a whole jar (possibly hundreds of MB) in memory or on disk. Local headers carry enough
//! to walk an archive front to back (PKWARE APPNOTE 4.3.7), except in one case that this
//! reader reports instead of guessing: a *stored* entry whose size is deferred to a data
//! descriptor has no marker where its data ends.
//!
//! Memory is bounded whatever the archive holds: one 64 KiB input buffer and one inflater
//! per open stream, names and extra fields of at most 64 KiB each. Work is bounded by
//! [`ZipLimits`]: an entry count, a per-entry and a total decompressed size (the total is a
//! [`ZipBudget`] that nested archives can share), and a compression ratio that stops zip
//! bombs after their first MiB.
//!
//! An entry's reader is itself a `Read`, so a nested archive is read by opening another
//! `ZipStream` on it ([`ZipEntry::open_nested`]): nothing is buffered beyond the two input
//! buffers.

use std::io::{self, Read};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::{Crc, Decompress, FlushDecompress, Status};

use super::ParseError;

const LOCAL_HEADER_SIG: u32 = 0x0403_4b50;
const CENTRAL_HEADER_SIG: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIR_SIG: u32 = 0x0605_4b50;
const ZIP64_END_OF_CENTRAL_DIR_SIG: u32 = 0x0606_4b50;
const ZIP64_END_LOCATOR_SIG: u32 = 0x0706_4b50;
const DIGITAL_SIGNATURE_SIG: u32 = 0x0505_4b50;
const ARCHIVE_EXTRA_DATA_SIG: u32 = 0x0806_4b50;
const DATA_DESCRIPTOR_SIG: u32 = 0x0807_4b50;
/// "PK00": a split archive that turned out to need one segment starts with this marker
/// (APPNOTE 8.5.4); it carries nothing.
const SINGLE_SEGMENT_MARKER: u32 = 0x3030_4b50;

const FLAG_ENCRYPTED: u16 = 1;
const FLAG_DATA_DESCRIPTOR: u16 = 1 << 3;
const FLAG_STRONG_ENCRYPTION: u16 = 1 << 6;
/// Central directory encryption: the local header's sizes are masked (APPNOTE 4.4.4).
const FLAG_MASKED_LOCAL_HEADER: u16 = 1 << 13;

pub const METHOD_STORED: u16 = 0;
pub const METHOD_DEFLATED: u16 = 8;

const ZIP64_EXTRA_ID: u16 = 0x0001;
/// Fixed part of a local file header after its signature.
const LOCAL_HEADER_REST: usize = 26;
/// Largest data descriptor (signature, CRC, two 64-bit sizes) plus the next signature,
/// which is peeked to tell the descriptor's layouts apart.
const DESCRIPTOR_PEEK: usize = 24 + 4;

const INPUT_BUFFER: usize = 64 * 1024;
/// Self-executing jars (Spring Boot's "fully executable" jars, self-extracting zips) put
/// a launch script or stub before the first header; anything longer is not a jar.
const MAX_PREFIX: u64 = 1 << 20;
/// The ratio limit applies only past this much output: small, very repetitive files
/// (an empty properties file, a run of spaces) legitimately compress far beyond it.
const RATIO_GRACE_BYTES: u64 = 1 << 20;

/// Bounds on the work one archive can cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// Entries read before the walk stops with a warning. Default 500,000 (large fat
    /// jars hold tens of thousands).
    pub max_entries: u64,
    /// Decompressed bytes a caller may read from one entry; reading past it is an error.
    /// Default 1 GiB.
    pub max_entry_bytes: u64,
    /// Decompressed bytes produced across the archive, whether read by the caller or
    /// inflated to find the end of an entry that is skipped; when it runs out the walk
    /// stops with a warning. Shared with nested archives through [`ZipBudget`].
    /// Default 4 GiB.
    pub max_total_bytes: u64,
    /// Largest decompressed/compressed ratio allowed in one deflated entry once it has
    /// produced 1 MiB. Default 100: text and class files stay far below, while deflate
    /// can reach ~1030 on zeros, which is what bombs are made of.
    pub max_ratio: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits { max_entries: 500_000, max_entry_bytes: 1 << 30, max_total_bytes: 4 << 30, max_ratio: 100 }
    }
}

/// What is left of a total decompression allowance. Clones share it, so an archive and
/// the archives nested in it draw on one budget and a bomb cannot multiply by nesting.
#[derive(Debug, Clone)]
pub struct ZipBudget {
    remaining: Arc<AtomicU64>,
}

impl ZipBudget {
    pub fn new(total_bytes: u64) -> Self {
        ZipBudget { remaining: Arc::new(AtomicU64::new(total_bytes)) }
    }

    pub fn remaining(&self) -> u64 {
        self.remaining.load(Ordering::Relaxed)
    }

    /// Takes `n` bytes; false (and nothing left) when fewer remained.
    fn spend(&self, n: u64) -> bool {
        let previous =
            self.remaining.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| Some(left.saturating_sub(n)));
        matches!(previous, Ok(left) if left >= n)
    }
}

/// What a local file header says about an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInfo {
    /// The entry's path as stored (UTF-8; other encodings are decoded lossily).
    pub name: String,
    /// Compression method: 0 stored, 8 deflated; others can only be skipped.
    pub method: u16,
    /// General purpose bit flags.
    pub flags: u16,
    /// `None` when the header defers it to a data descriptor after the data.
    pub compressed_size: Option<u64>,
    /// `None` when the header defers it to a data descriptor after the data.
    pub uncompressed_size: Option<u64>,
}

impl EntryInfo {
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    pub fn has_data_descriptor(&self) -> bool {
        self.flags & FLAG_DATA_DESCRIPTOR != 0
    }

    pub fn is_encrypted(&self) -> bool {
        self.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0
    }
}

/// Where an entry's data lies and how to turn it into bytes.
#[derive(Debug, Clone, Copy)]
enum Body {
    Stored {
        size: u64,
    },
    /// `compressed` is `None` when only the end of the deflate stream marks the end.
    Deflated {
        compressed: Option<u64>,
    },
    /// Encrypted, or a method this reader does not decode: skipped by size.
    Opaque {
        size: u64,
        why: Unreadable,
    },
}

#[derive(Debug, Clone, Copy)]
enum Unreadable {
    Encrypted,
    Method(u16),
}

#[derive(Debug)]
enum Phase {
    /// Data remains.
    Data,
    /// Data and descriptor consumed; reads give `Ok(0)`, or this error (CRC or size
    /// mismatch) once.
    Finished(Option<String>),
    /// Decoding cannot go on (corrupt stream, truncated input, ratio or budget exceeded).
    /// Reads give the error; the entry can still be skipped if its size is known.
    Broken(String, io::ErrorKind),
}

struct Current {
    info: EntryInfo,
    header_crc: u32,
    zip64: bool,
    body: Body,
    /// Compressed bytes consumed from the archive.
    consumed: u64,
    /// Decompressed bytes produced (delivered or discarded).
    produced: u64,
    /// Bytes handed to the caller.
    delivered: u64,
    crc: Crc,
    /// Every produced byte went through `crc` (false once anything was skipped raw).
    crc_complete: bool,
    deflate_ended: bool,
    over_entry_limit: bool,
    phase: Phase,
}

/// The archive's bytes, buffered so that the inflater can be handed exactly what it
/// consumes and the rest stays for the next header.
struct Source<'a> {
    inner: &'a mut dyn Read,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    /// Bytes consumed since the start, for messages.
    position: u64,
}

impl<'a> Source<'a> {
    fn new(inner: &'a mut dyn Read) -> Self {
        Source { inner, buf: vec![0u8; INPUT_BUFFER].into_boxed_slice(), start: 0, end: 0, eof: false, position: 0 }
    }

    fn read_more(&mut self) -> io::Result<usize> {
        if self.eof || self.end == self.buf.len() {
            return Ok(0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(0);
                }
                Ok(n) => {
                    let n = n.min(self.buf.len() - self.end);
                    self.end += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The buffered bytes, reading more when none are left; empty only at end of input.
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            self.read_more()?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    /// At least `n` buffered bytes (`n` <= buffer size) unless the input ends first.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        let n = n.min(self.buf.len());
        if self.end - self.start < n && self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        while self.end - self.start < n {
            if self.read_more()? == 0 {
                break;
            }
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.start);
        self.start += n;
        self.position = self.position.saturating_add(n as u64);
    }

    /// Fills `out` completely; the count is short only at end of input.
    fn read_full(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut done = 0;
        while done < out.len() {
            let avail = self.fill()?;
            if avail.is_empty() {
                break;
            }
            let n = avail.len().min(out.len() - done);
            out[done..done + n].copy_from_slice(&avail[..n]);
            self.consume(n);
            done += n;
        }
        Ok(done)
    }

    /// Skips `n` bytes; the count is short only at end of input.
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let mut left = n;
        while left > 0 {
            let avail = self.fill()?.len();
            if avail == 0 {
                break;
            }
            let step = usize::try_from(left).map_or(avail, |l| l.min(avail));
            self.consume(step);
            left -= step as u64;
        }
        Ok(n - left)
    }
}

fn le_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le_u64(b: &[u8], at: usize) -> u64 {
    let mut v = [0u8; 8];
    v.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(v)
}

/// Signatures after which no more local headers follow.
fn ends_local_headers(sig: u32) -> bool {
    matches!(
        sig,
        CENTRAL_HEADER_SIG
            | END_OF_CENTRAL_DIR_SIG
            | ZIP64_END_OF_CENTRAL_DIR_SIG
            | ZIP64_END_LOCATOR_SIG
            | DIGITAL_SIGNATURE_SIG
            | ARCHIVE_EXTRA_DATA_SIG
    )
}

fn is_record_signature(sig: u32) -> bool {
    sig == LOCAL_HEADER_SIG || ends_local_headers(sig)
}

/// A forward-only walk over a ZIP archive's entries.
///
/// `next_entry` returns an error only when the input is not a ZIP archive at all (its
/// first record is unreadable); anything that goes wrong later ends the walk with
/// `Ok(None)` and a warning in [`ZipStream::warnings`], so a truncated archive still
/// yields the entries before the cut.
pub struct ZipStream<'a> {
    src: Source<'a>,
    limits: ZipLimits,
    budget: ZipBudget,
    inflater: Decompress,
    current: Option<Current>,
    entries: u64,
    /// No more entries: central directory reached, or stopped with a warning.
    done: bool,
    warnings: Vec<String>,
}

impl<'a> ZipStream<'a> {
    /// A walk with its own budget of `limits.max_total_bytes`.
    pub fn new(reader: &'a mut dyn Read, limits: ZipLimits) -> Self {
        let budget = ZipBudget::new(limits.max_total_bytes);
        Self::with_budget(reader, limits, budget)
    }

    /// A walk drawing on a shared budget (a nested archive and its parent).
    pub fn with_budget(reader: &'a mut dyn Read, limits: ZipLimits, budget: ZipBudget) -> Self {
        ZipStream {
            src: Source::new(reader),
            limits,
            budget,
            inflater: Decompress::new(false),
            current: None,
            entries: 0,
            done: false,
            warnings: Vec::new(),
        }
    }

    pub fn limits(&self) -> ZipLimits {
        self.limits
    }

    pub fn budget(&self) -> ZipBudget {
        self.budget.clone()
    }

    /// Local headers read so far.
    pub fn entries_read(&self) -> u64 {
        self.entries
    }

    /// Why the walk ended early or skipped something; sentences without a file name.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn stop(&mut self, warning: String) {
        self.done = true;
        self.current = None;
        self.warnings.push(warning);
    }

    /// The next entry, after skipping whatever the caller left unread of the previous
    /// one. `Ok(None)` at the central directory or when the walk had to stop.
    pub fn next_entry(&mut self) -> Result<Option<ZipEntry<'_, 'a>>, ParseError> {
        if self.current.is_some() {
            if let Err(warning) = self.finish_current() {
                self.stop(warning);
            }
            self.current = None;
        }
        if self.done {
            return Ok(None);
        }
        match self.read_header() {
            Ok(Some(current)) => {
                self.current = Some(current);
                Ok(Some(ZipEntry { stream: self }))
            }
            Ok(None) => {
                self.done = true;
                Ok(None)
            }
            Err(HeaderError::NotZip(msg)) => {
                self.done = true;
                Err(ParseError::new(msg))
            }
            Err(HeaderError::Stop(warning)) => {
                self.stop(warning);
                Ok(None)
            }
        }
    }

    fn read_header(&mut self) -> Result<Option<Current>, HeaderError> {
        let first = self.entries == 0;
        let io_stop = |e: io::Error| HeaderError::Stop(format!("reading the archive failed: {e}"));
        let io_first = |e: io::Error| {
            if first {
                HeaderError::NotZip(format!("reading the archive failed: {e}"))
            } else {
                HeaderError::Stop(format!("reading the archive failed: {e}"))
            }
        };
        let mut skipped_marker = false;
        let mut scanned_prefix = false;
        let sig = loop {
            let head = self.src.peek(4).map_err(io_first)?;
            if head.len() < 4 {
                return Err(if first && self.src.position == 0 {
                    HeaderError::NotZip("the file is empty or too short to be a ZIP archive".into())
                } else if first {
                    HeaderError::NotZip("not a ZIP archive (no local file header found)".into())
                } else {
                    HeaderError::Stop(
                        "the archive ends before its central directory (truncated?); entries up to there were read"
                            .into(),
                    )
                });
            }
            let sig = le_u32(head, 0);
            if is_record_signature(sig) {
                break sig;
            }
            if first && !skipped_marker && (sig == SINGLE_SEGMENT_MARKER || sig == DATA_DESCRIPTOR_SIG) {
                self.src.consume(4);
                skipped_marker = true;
                continue;
            }
            if first && !scanned_prefix {
                scanned_prefix = true;
                if self.skip_prefix().map_err(io_first)? {
                    continue;
                }
            }
            if first {
                return Err(HeaderError::NotZip("not a ZIP archive (no local file header found)".into()));
            }
            return Err(HeaderError::Stop(format!(
                "unexpected bytes instead of a ZIP record after entry {}; the rest of the archive was not read",
                self.entries
            )));
        };
        if ends_local_headers(sig) {
            return Ok(None);
        }
        if self.entries >= self.limits.max_entries {
            return Err(HeaderError::Stop(format!(
                "the archive has more than {} entries; the rest was not read",
                self.limits.max_entries
            )));
        }
        self.src.consume(4);
        let mut fixed = [0u8; LOCAL_HEADER_REST];
        let got = self.src.read_full(&mut fixed).map_err(io_first)?;
        if got < fixed.len() {
            return Err(truncated_header(first));
        }
        let flags = le_u16(&fixed, 2);
        let method = le_u16(&fixed, 4);
        let header_crc = le_u32(&fixed, 10);
        let csize32 = le_u32(&fixed, 14);
        let usize32 = le_u32(&fixed, 18);
        let name_len = usize::from(le_u16(&fixed, 22));
        let extra_len = usize::from(le_u16(&fixed, 24));
        let mut name_bytes = vec![0u8; name_len];
        let mut extra = vec![0u8; extra_len];
        let got_name = self.src.read_full(&mut name_bytes).map_err(io_first)?;
        let got_extra = self.src.read_full(&mut extra).map_err(io_first)?;
        if got_name < name_len || got_extra < extra_len {
            return Err(truncated_header(first));
        }
        let name = match String::from_utf8(name_bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };

        let mut compressed = u64::from(csize32);
        let mut uncompressed = u64::from(usize32);
        let zip64 = apply_zip64_extra(&extra, csize32, usize32, &mut compressed, &mut uncompressed);
        let deferred = flags & FLAG_DATA_DESCRIPTOR != 0;
        let encrypted = flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0;

        if flags & FLAG_MASKED_LOCAL_HEADER != 0 {
            return Err(HeaderError::Stop(format!(
                "entry {name} has its local header masked by central directory encryption; the rest of the archive was not read"
            )));
        }
        // Sizes in a header with the descriptor flag are zero by the spec; some writers
        // fill them in anyway, which is the only way to delimit a stored entry.
        let known_size = if deferred { if compressed > 0 { Some(compressed) } else { None } } else { Some(compressed) };
        let body = if encrypted || (method != METHOD_STORED && method != METHOD_DEFLATED) {
            let why = if encrypted { Unreadable::Encrypted } else { Unreadable::Method(method) };
            match known_size {
                Some(size) => Body::Opaque { size, why },
                None => {
                    let what = match why {
                        Unreadable::Encrypted => "is encrypted".to_string(),
                        Unreadable::Method(m) => format!("uses compression method {m}"),
                    };
                    return Err(HeaderError::Stop(format!(
                        "entry {name} {what} and defers its size to a data descriptor, so its end cannot be found without the central directory; the rest of the archive was not read"
                    )));
                }
            }
        } else if method == METHOD_DEFLATED && !deferred && compressed == 0 {
            // Some writers mark empty files deflated without writing even an empty
            // deflate block.
            Body::Stored { size: 0 }
        } else if method == METHOD_DEFLATED {
            // Deflate marks its own end, so a deferred size is no obstacle; a size from
            // the header bounds the input when there is one.
            Body::Deflated { compressed: if deferred { None } else { Some(compressed) } }
        } else {
            match known_size {
                Some(size) => Body::Stored { size },
                None if uncompressed > 0 => Body::Stored { size: uncompressed },
                None if self.empty_descriptor_follows().map_err(io_stop)? => Body::Stored { size: 0 },
                None => {
                    return Err(HeaderError::Stop(format!(
                        "entry {name} is stored with its size deferred to a data descriptor, which a forward-only reader cannot delimit; the rest of the archive was not read"
                    )));
                }
            }
        };
        self.entries += 1;
        self.inflater.reset(false);
        let stored_size = match body {
            Body::Stored { size } => Some(size),
            _ => None,
        };
        Ok(Some(Current {
            info: EntryInfo {
                name,
                method,
                flags,
                compressed_size: if deferred { stored_size.or(known_size) } else { Some(compressed) },
                uncompressed_size: if !deferred || uncompressed > 0 { Some(uncompressed) } else { stored_size },
            },
            header_crc,
            zip64,
            body,
            consumed: 0,
            produced: 0,
            delivered: 0,
            crc: Crc::new(),
            crc_complete: true,
            deflate_ended: false,
            over_entry_limit: false,
            phase: Phase::Data,
        }))
    }

    /// Looks past a launch script or stub for the first ZIP record; true when found
    /// (the source then starts at it).
    fn skip_prefix(&mut self) -> io::Result<bool> {
        let mut scanned: u64 = 0;
        loop {
            let window = self.src.peek(INPUT_BUFFER)?;
            if window.len() < 4 {
                return Ok(false);
            }
            let found = [LOCAL_HEADER_SIG, CENTRAL_HEADER_SIG, END_OF_CENTRAL_DIR_SIG]
                .iter()
                .filter_map(|sig| memchr::memmem::find(window, &sig.to_le_bytes()))
                .min();
            if let Some(at) = found {
                if scanned + at as u64 > MAX_PREFIX {
                    return Ok(false);
                }
                self.src.consume(at);
                return Ok(true);
            }
            // Keep the last three bytes: a signature may straddle the window's end.
            let step = window.len() - 3;
            scanned += step as u64;
            if scanned > MAX_PREFIX {
                return Ok(false);
            }
            self.src.consume(step);
        }
    }

    /// For a stored entry with a deferred size of zero in its header: is what follows an
    /// all-zero data descriptor (an empty file or directory), or real data?
    fn empty_descriptor_follows(&mut self) -> io::Result<bool> {
        let ahead = self.src.peek(DESCRIPTOR_PEEK)?;
        Ok(match_descriptor(ahead, 0, Some(0), false).is_some_and(|m| m.crc == 0))
    }

    /// Leaves the source just after the current entry (data and descriptor). `Err` is
    /// the warning when the walk cannot go on.
    fn finish_current(&mut self) -> Result<(), String> {
        let Some(cur) = self.current.as_ref() else { return Ok(()) };
        match cur.phase {
            Phase::Finished(_) => return Ok(()),
            Phase::Data | Phase::Broken(..) => {}
        }
        let name = cur.info.name.clone();
        let known_end = match cur.body {
            Body::Stored { size } | Body::Opaque { size, .. } => Some(size),
            Body::Deflated { compressed } => compressed,
        };
        if let Some(end) = known_end {
            let left = end.saturating_sub(cur.consumed);
            let skipped = self.src.skip(left).map_err(|e| format!("reading entry {name} failed: {e}"))?;
            let cur = self.current.as_mut().expect("current entry checked above");
            cur.consumed = cur.consumed.saturating_add(skipped);
            if skipped > 0 {
                cur.crc_complete = false;
            }
            if skipped < left {
                return Err(format!(
                    "the archive ends inside entry {name} (truncated?); entries up to there were read"
                ));
            }
            match self.end_of_data() {
                Ok(()) => Ok(()),
                Err(StreamFault::Source(msg)) => Err(msg),
                // A mismatch only spoils this entry, whose data nobody is reading.
                Err(StreamFault::Entry(..)) => Ok(()),
            }
        } else {
            if let Phase::Broken(msg, _) = &cur.phase {
                return Err(format!("{msg}; the rest of the archive was not read"));
            }
            // A deflated entry with a deferred size: only inflating it finds its end.
            let mut scratch = [0u8; 8192];
            loop {
                match self.produce(&mut scratch) {
                    Ok(0) => return Ok(()),
                    Ok(_) => {}
                    Err(StreamFault::Source(msg)) => return Err(msg),
                    Err(StreamFault::Entry(msg, _)) => {
                        let cur = self.current.as_ref().expect("current entry checked above");
                        return match cur.phase {
                            Phase::Finished(_) => Ok(()),
                            _ => Err(format!("{msg}; the rest of the archive was not read")),
                        };
                    }
                }
            }
        }
    }

    /// Produces the current entry's next decompressed bytes into `out` (0 at its end).
    fn produce(&mut self, out: &mut [u8]) -> Result<usize, StreamFault> {
        let cur = self.current.as_mut().expect("produce without an entry");
        match &cur.phase {
            Phase::Finished(None) => return Ok(0),
            Phase::Finished(Some(msg)) => return Err(StreamFault::Entry(msg.clone(), io::ErrorKind::InvalidData)),
            Phase::Broken(msg, kind) => return Err(StreamFault::Entry(msg.clone(), *kind)),
            Phase::Data => {}
        }
        if out.is_empty() {
            return Ok(0);
        }
        match cur.body {
            Body::Opaque { why, .. } => Err(broken(cur, Fault::Unreadable(why))),
            Body::Stored { size } => {
                let left = size.saturating_sub(cur.consumed);
                if left == 0 {
                    self.end_of_data()?;
                    return Ok(0);
                }
                let avail = match self.src.fill() {
                    Ok(a) => a,
                    Err(e) => return Err(broken(cur, Fault::Read(e))),
                };
                if avail.is_empty() {
                    return Err(broken(cur, Fault::Truncated));
                }
                let n = avail.len().min(out.len()).min(usize::try_from(left).unwrap_or(usize::MAX));
                out[..n].copy_from_slice(&avail[..n]);
                self.src.consume(n);
                cur.consumed += n as u64;
                cur.produced += n as u64;
                cur.crc.update(&out[..n]);
                if !self.budget.spend(n as u64) {
                    return Err(broken(cur, Fault::Budget(self.limits.max_total_bytes)));
                }
                Ok(n)
            }
            Body::Deflated { compressed } => self.inflate(out, compressed),
        }
    }

    fn inflate(&mut self, out: &mut [u8], compressed: Option<u64>) -> Result<usize, StreamFault> {
        let mut idle_rounds = 0;
        loop {
            let cur = self.current.as_mut().expect("inflate without an entry");
            if cur.deflate_ended {
                self.end_of_data()?;
                return Ok(0);
            }
            let avail = match self.src.fill() {
                Ok(a) => a,
                Err(e) => return Err(broken(cur, Fault::Read(e))),
            };
            let input_len = match compressed {
                Some(size) => {
                    let left = size.saturating_sub(cur.consumed);
                    usize::try_from(left).map_or(avail.len(), |l| l.min(avail.len()))
                }
                None => avail.len(),
            };
            if input_len == 0 {
                let fault = if avail.is_empty() { Fault::Truncated } else { Fault::CutShort };
                return Err(broken(cur, fault));
            }
            let before_in = self.inflater.total_in();
            let before_out = self.inflater.total_out();
            let status = self.inflater.decompress(&avail[..input_len], out, FlushDecompress::None);
            let used = self.inflater.total_in().saturating_sub(before_in);
            let made = self.inflater.total_out().saturating_sub(before_out);
            let used = usize::try_from(used).unwrap_or(input_len).min(input_len);
            let made = usize::try_from(made).unwrap_or(out.len()).min(out.len());
            self.src.consume(used);
            cur.consumed = cur.consumed.saturating_add(used as u64);
            cur.produced = cur.produced.saturating_add(made as u64);
            cur.crc.update(&out[..made]);
            let status = match status {
                Ok(s) => s,
                Err(e) => return Err(broken(cur, Fault::Corrupt(e.to_string()))),
            };
            if !self.budget.spend(made as u64) {
                return Err(broken(cur, Fault::Budget(self.limits.max_total_bytes)));
            }
            if cur.produced > RATIO_GRACE_BYTES && cur.produced > self.limits.max_ratio.saturating_mul(cur.consumed) {
                return Err(broken(cur, Fault::Ratio(self.limits.max_ratio)));
            }
            if status == Status::StreamEnd {
                cur.deflate_ended = true;
            }
            if made > 0 {
                return Ok(made);
            }
            if used == 0 && status != Status::StreamEnd {
                idle_rounds += 1;
                if idle_rounds > 2 {
                    return Err(broken(cur, Fault::Corrupt("no progress".into())));
                }
            }
        }
    }

    /// After the last byte of data: for a known-size deflate entry, skip what the
    /// stream did not use; read the data descriptor if there is one; check CRC and sizes.
    fn end_of_data(&mut self) -> Result<(), StreamFault> {
        let cur = self.current.as_mut().expect("end_of_data without an entry");
        let name = cur.info.name.clone();
        if let Body::Deflated { compressed: Some(size) } = cur.body {
            // Trailing bytes after the deflate stream's end belong to the entry.
            let left = size.saturating_sub(cur.consumed);
            let skipped =
                self.src.skip(left).map_err(|e| StreamFault::Source(format!("reading entry {name} failed: {e}")))?;
            cur.consumed += skipped;
            if skipped < left {
                let msg = format!("the archive ends inside entry {name} (truncated?); entries up to there were read");
                cur.phase = Phase::Broken(msg.clone(), io::ErrorKind::UnexpectedEof);
                return Err(StreamFault::Source(msg));
            }
        }
        let mut problem: Option<String> = None;
        let mut expected_crc = Some(cur.header_crc);
        let mut expected_size = cur.info.uncompressed_size;
        if cur.info.has_data_descriptor() {
            let actual_uncompressed = match cur.body {
                Body::Stored { size } => Some(size),
                Body::Deflated { .. } if cur.crc_complete => Some(cur.produced),
                _ => None,
            };
            let consumed = cur.consumed;
            let zip64 = cur.zip64;
            let ahead = self
                .src
                .peek(DESCRIPTOR_PEEK)
                .map_err(|e| StreamFault::Source(format!("reading entry {name}'s data descriptor failed: {e}")))?;
            let cur = self.current.as_mut().expect("end_of_data without an entry");
            match match_descriptor(ahead, consumed, actual_uncompressed, zip64) {
                Some(found) => {
                    self.src.consume(found.len);
                    expected_crc = Some(found.crc);
                    expected_size = Some(found.uncompressed);
                }
                None => {
                    let guess = fallback_descriptor_len(ahead, zip64);
                    if ahead.len() < guess {
                        let msg = format!("the archive ends inside entry {name}'s data descriptor (truncated?)");
                        cur.phase = Phase::Broken(msg.clone(), io::ErrorKind::UnexpectedEof);
                        return Err(StreamFault::Source(msg));
                    }
                    self.src.consume(guess);
                    expected_crc = None;
                    problem = Some(format!("entry {name}'s data descriptor does not match its data"));
                }
            }
        }
        let cur = self.current.as_mut().expect("end_of_data without an entry");
        if problem.is_none() && cur.crc_complete {
            if let Some(size) = expected_size
                && size != cur.produced
            {
                problem = Some(format!("entry {name} holds {} bytes where its header says {size}", cur.produced));
            } else if let Some(crc) = expected_crc
                && crc != cur.crc.sum()
            {
                problem = Some(format!("entry {name} fails its CRC check (corrupt data)"));
            }
        }
        cur.phase = Phase::Finished(problem.clone());
        match problem {
            Some(msg) => Err(StreamFault::Entry(msg, io::ErrorKind::InvalidData)),
            None => Ok(()),
        }
    }

    fn read_entry(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let limit = self.limits.max_entry_bytes;
        let cur = self.current.as_mut().expect("entry without a current entry");
        if cur.over_entry_limit {
            return Err(entry_limit_error(&cur.info.name, limit));
        }
        let room = limit.saturating_sub(cur.delivered);
        if room == 0 {
            // At the limit: the entry may end exactly here, or be larger.
            let mut probe = [0u8; 1];
            let n = self.produce(&mut probe).map_err(StreamFault::into_io)?;
            if n == 0 {
                return Ok(0);
            }
            let cur = self.current.as_mut().expect("entry without a current entry");
            cur.over_entry_limit = true;
            return Err(entry_limit_error(&cur.info.name, limit));
        }
        let len = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.produce(&mut buf[..len]).map_err(StreamFault::into_io)?;
        let cur = self.current.as_mut().expect("entry without a current entry");
        cur.delivered += n as u64;
        Ok(n)
    }
}

fn entry_limit_error(name: &str, limit: u64) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("entry {name} is larger than the limit of {limit} bytes"))
}

/// Why an entry's data stopped being readable.
enum Fault {
    Read(io::Error),
    Truncated,
    CutShort,
    Corrupt(String),
    Budget(u64),
    Ratio(u64),
    Unreadable(Unreadable),
}

/// Marks the entry broken and says why, as an error its reader returns.
fn broken(cur: &mut Current, fault: Fault) -> StreamFault {
    let name = &cur.info.name;
    let (msg, kind) = match fault {
        Fault::Read(e) => (format!("reading entry {name} failed: {e}"), e.kind()),
        Fault::Truncated => {
            (format!("the archive ends inside entry {name} (truncated?)"), io::ErrorKind::UnexpectedEof)
        }
        Fault::CutShort => (
            format!("entry {name}'s deflate data is cut short by its stated size (corrupt entry)"),
            io::ErrorKind::InvalidData,
        ),
        Fault::Corrupt(why) => (format!("entry {name} has corrupt deflate data ({why})"), io::ErrorKind::InvalidData),
        Fault::Budget(limit) => {
            (format!("the archive's decompressed data exceeds the limit of {limit} bytes"), io::ErrorKind::InvalidData)
        }
        Fault::Ratio(ratio) => (
            format!("entry {name} decompresses to more than {ratio} times its compressed size (a zip bomb?)"),
            io::ErrorKind::InvalidData,
        ),
        Fault::Unreadable(Unreadable::Encrypted) => (format!("entry {name} is encrypted"), io::ErrorKind::Unsupported),
        Fault::Unreadable(Unreadable::Method(m)) => {
            (format!("entry {name} uses compression method {m}, which is not supported"), io::ErrorKind::Unsupported)
        }
    };
    cur.phase = Phase::Broken(msg.clone(), kind);
    StreamFault::Entry(msg, kind)
}

fn truncated_header(first: bool) -> HeaderError {
    if first {
        HeaderError::NotZip("the archive ends inside its first local header".into())
    } else {
        HeaderError::Stop("the archive ends inside a local header (truncated?); entries up to there were read".into())
    }
}

enum HeaderError {
    /// Not a ZIP archive at all.
    NotZip(String),
    /// The walk stops here; the message is the warning.
    Stop(String),
}

enum StreamFault {
    /// This entry's data is unusable; the walk may go on.
    Entry(String, io::ErrorKind),
    /// The archive itself cannot be read further.
    Source(String),
}

impl StreamFault {
    fn into_io(self) -> io::Error {
        match self {
            StreamFault::Entry(msg, kind) => io::Error::new(kind, msg),
            StreamFault::Source(msg) => io::Error::new(io::ErrorKind::UnexpectedEof, msg),
        }
    }
}

/// Reads the ZIP64 extended information extra field (APPNOTE 4.5.3) into the sizes;
/// true when one was present. Its fields appear only for the header fields set to
/// 0xFFFFFFFF, in the order uncompressed, compressed; a local header must carry both,
/// but a lone one is accepted for whichever field needs it.
fn apply_zip64_extra(extra: &[u8], csize32: u32, usize32: u32, compressed: &mut u64, uncompressed: &mut u64) -> bool {
    let mut at = 0usize;
    while at + 4 <= extra.len() {
        let id = le_u16(extra, at);
        let len = usize::from(le_u16(extra, at + 2));
        let data_start = at + 4;
        let Some(data_end) = data_start.checked_add(len).filter(|&e| e <= extra.len()) else {
            break;
        };
        if id == ZIP64_EXTRA_ID {
            let data = &extra[data_start..data_end];
            if data.len() >= 16 {
                *uncompressed = le_u64(data, 0);
                *compressed = le_u64(data, 8);
            } else if data.len() >= 8 {
                let value = le_u64(data, 0);
                if usize32 == u32::MAX {
                    *uncompressed = value;
                } else if csize32 == u32::MAX {
                    *compressed = value;
                }
            }
            return true;
        }
        at = data_end;
    }
    false
}

struct DescriptorMatch {
    len: usize,
    crc: u32,
    uncompressed: u64,
}

/// Finds which data descriptor layout (signature or not, 32- or 64-bit sizes) the bytes
/// at `ahead` are, by its sizes agreeing with what the data actually took; among those
/// that agree, one followed by a ZIP record wins. The signature is optional and writers
/// use 64-bit sizes without always saying so in the local header, so layout cannot be
/// known in advance.
fn match_descriptor(ahead: &[u8], compressed: u64, uncompressed: Option<u64>, zip64: bool) -> Option<DescriptorMatch> {
    // (has signature, 64-bit sizes)
    let layouts: [(bool, bool); 4] = if zip64 {
        [(true, true), (false, true), (true, false), (false, false)]
    } else {
        [(true, false), (false, false), (true, true), (false, true)]
    };
    let mut fallback: Option<DescriptorMatch> = None;
    for (signed, wide) in layouts {
        let base = if signed { 4 } else { 0 };
        let len = base + 4 + if wide { 16 } else { 8 };
        if ahead.len() < len {
            continue;
        }
        if signed && le_u32(ahead, 0) != DATA_DESCRIPTOR_SIG {
            continue;
        }
        let crc = le_u32(ahead, base);
        let (c, u) = if wide {
            (le_u64(ahead, base + 4), le_u64(ahead, base + 12))
        } else {
            (u64::from(le_u32(ahead, base + 4)), u64::from(le_u32(ahead, base + 8)))
        };
        if c != compressed || uncompressed.is_some_and(|want| want != u) {
            continue;
        }
        let followed_by_record = ahead.len() >= len + 4 && is_record_signature(le_u32(ahead, len));
        let at_end = ahead.len() == len;
        let found = DescriptorMatch { len, crc, uncompressed: u };
        if followed_by_record || at_end {
            return Some(found);
        }
        fallback.get_or_insert(found);
    }
    fallback
}

fn fallback_descriptor_len(ahead: &[u8], zip64: bool) -> usize {
    let signed = ahead.len() >= 4 && le_u32(ahead, 0) == DATA_DESCRIPTOR_SIG;
    (if signed { 4 } else { 0 }) + 4 + if zip64 { 16 } else { 8 }
}

/// One entry of a [`ZipStream`]; reading it gives the decompressed data, checked against
/// the CRC and sizes when read to the end (a mismatch is an `InvalidData` error then).
pub struct ZipEntry<'s, 'a> {
    stream: &'s mut ZipStream<'a>,
}

impl<'s, 'a> ZipEntry<'s, 'a> {
    pub fn info(&self) -> &EntryInfo {
        &self.current().info
    }

    pub fn name(&self) -> &str {
        &self.current().info.name
    }

    fn current(&self) -> &Current {
        self.stream.current.as_ref().expect("entry without a current entry")
    }

    /// A walk over this entry as a ZIP archive of its own, sharing the parent's limits
    /// and budget.
    pub fn open_nested(&mut self) -> ZipStream<'_> {
        let limits = self.stream.limits;
        let budget = self.stream.budget.clone();
        ZipStream::with_budget(self, limits, budget)
    }

    /// Reads the entry up to `max_bytes`: the bytes and whether more followed.
    pub fn read_prefix(&mut self, max_bytes: usize) -> io::Result<(Vec<u8>, bool)> {
        let mut data = Vec::new();
        let wanted = u64::try_from(max_bytes).unwrap_or(u64::MAX).saturating_add(1);
        self.by_ref().take(wanted).read_to_end(&mut data)?;
        let cut = data.len() > max_bytes;
        data.truncate(max_bytes);
        Ok((data, cut))
    }
}

impl Read for ZipEntry<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read_entry(buf)
    }
}

/// For each entry whose name `wanted` accepts, reads at most `max_bytes` of it and hands
/// name and bytes to `visit`, which may stop the walk. Returns the warnings (entries cut
/// at `max_bytes` or unreadable, the walk stopping early). For callers that need a few
/// small files from an archive, such as `EGG-INFO/PKG-INFO` in a Python egg.
pub fn for_each_matching(
    reader: &mut dyn Read,
    limits: ZipLimits,
    max_bytes: usize,
    mut wanted: impl FnMut(&str) -> bool,
    mut visit: impl FnMut(&str, &[u8]) -> ControlFlow<()>,
) -> Result<Vec<String>, ParseError> {
    let mut stream = ZipStream::new(reader, limits);
    let mut warnings = Vec::new();
    while let Some(mut entry) = stream.next_entry()? {
        if entry.info().is_dir() || !wanted(entry.name()) {
            continue;
        }
        let name = entry.name().to_owned();
        match entry.read_prefix(max_bytes) {
            Ok((data, cut)) => {
                if cut {
                    warnings.push(format!("{name} is larger than {max_bytes} bytes; only its beginning was read"));
                }
                if visit(&name, &data).is_break() {
                    break;
                }
            }
            Err(e) => warnings.push(format!("{name} could not be read: {e}")),
        }
    }
    warnings.extend(stream.take_warnings());
    Ok(warnings)
}

/// A small ZIP writer for tests, with the layouts real writers produce (data descriptors
/// with or without signature, ZIP64 extras); only tests need to make archives.
#[cfg(test)]
pub(crate) mod test_zip {
    use std::io::Write;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Method {
        Stored,
        Deflated,
    }

    #[derive(Clone, Copy, Debug)]
    pub struct Layout {
        pub method: Method,
        /// Sizes and CRC after the data (flag bit 3).
        pub descriptor: bool,
        pub descriptor_signature: bool,
        /// ZIP64 extra field in the local header and 64-bit descriptor sizes.
        pub zip64: bool,
    }

    impl Layout {
        pub const STORED: Layout =
            Layout { method: Method::Stored, descriptor: false, descriptor_signature: true, zip64: false };
        pub const DEFLATED: Layout =
            Layout { method: Method::Deflated, descriptor: false, descriptor_signature: true, zip64: false };
        pub const STREAMED: Layout =
            Layout { method: Method::Deflated, descriptor: true, descriptor_signature: true, zip64: false };
    }

    pub fn deflate(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    pub fn crc32(data: &[u8]) -> u32 {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        crc.sum()
    }

    /// 1 GiB of zeros as one deflate stream of ~1 MB, made without compressing 1 GiB:
    /// a full flush resets the compressor, so every 1 MiB block of zeros compresses to
    /// the same bytes, which can be repeated.
    pub fn zero_bomb(mib: usize) -> (Vec<u8>, u64) {
        use flate2::{Compress, Compression, FlushCompress};
        let zeros = vec![0u8; 1 << 20];
        let mut c = Compress::new(Compression::best(), false);
        let mut block = Vec::with_capacity(1 << 20);
        c.compress_vec(&zeros, &mut block, FlushCompress::Full).unwrap();
        let mut again = Vec::with_capacity(1 << 20);
        c.compress_vec(&zeros, &mut again, FlushCompress::Full).unwrap();
        assert_eq!(block, again, "full flush should make blocks repeatable");
        let mut stream = Vec::with_capacity(block.len() * mib + 16);
        for _ in 0..mib {
            stream.extend_from_slice(&block);
        }
        let mut tail = Vec::with_capacity(64);
        let mut c2 = Compress::new(Compression::best(), false);
        c2.compress_vec(&[], &mut tail, FlushCompress::Finish).unwrap();
        stream.extend_from_slice(&tail);
        (stream, (mib as u64) << 20)
    }

    struct Central {
        name: String,
        method: u16,
        flags: u16,
        crc: u32,
        csize: u64,
        usize: u64,
        offset: u64,
    }

    #[derive(Default)]
    pub struct ZipWriter {
        pub out: Vec<u8>,
        central: Vec<Central>,
    }

    impl ZipWriter {
        pub fn new() -> Self {
            Self::default()
        }

        pub fn add(&mut self, name: &str, data: &[u8], layout: Layout) -> &mut Self {
            let payload = match layout.method {
                Method::Stored => data.to_vec(),
                Method::Deflated => deflate(data),
            };
            self.add_raw(name, &payload, data.len() as u64, crc32(data), layout)
        }

        /// An entry whose compressed bytes are given as they are.
        pub fn add_raw(&mut self, name: &str, payload: &[u8], usize: u64, crc: u32, layout: Layout) -> &mut Self {
            let method: u16 = if layout.method == Method::Stored { 0 } else { 8 };
            let flags: u16 = 0x0800 | if layout.descriptor { 8 } else { 0 };
            let offset = self.out.len() as u64;
            let csize = payload.len() as u64;
            let o = &mut self.out;
            o.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
            o.extend_from_slice(&(if layout.zip64 { 45u16 } else { 20 }).to_le_bytes());
            o.extend_from_slice(&flags.to_le_bytes());
            o.extend_from_slice(&method.to_le_bytes());
            o.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
            let (h_crc, h_c, h_u) = if layout.descriptor {
                (0, 0, 0)
            } else if layout.zip64 {
                (crc, u32::MAX, u32::MAX)
            } else {
                (crc, csize as u32, usize as u32)
            };
            let (h_c, h_u) = if layout.descriptor && layout.zip64 { (u32::MAX, u32::MAX) } else { (h_c, h_u) };
            o.extend_from_slice(&h_crc.to_le_bytes());
            o.extend_from_slice(&h_c.to_le_bytes());
            o.extend_from_slice(&h_u.to_le_bytes());
            o.extend_from_slice(&(name.len() as u16).to_le_bytes());
            o.extend_from_slice(&(if layout.zip64 { 20u16 } else { 0 }).to_le_bytes());
            o.extend_from_slice(name.as_bytes());
            if layout.zip64 {
                o.extend_from_slice(&1u16.to_le_bytes());
                o.extend_from_slice(&16u16.to_le_bytes());
                let (u, c) = if layout.descriptor { (0, 0) } else { (usize, csize) };
                o.extend_from_slice(&u.to_le_bytes());
                o.extend_from_slice(&c.to_le_bytes());
            }
            o.extend_from_slice(payload);
            if layout.descriptor {
                if layout.descriptor_signature {
                    o.extend_from_slice(&0x0807_4b50u32.to_le_bytes());
                }
                o.extend_from_slice(&crc.to_le_bytes());
                if layout.zip64 {
                    o.extend_from_slice(&csize.to_le_bytes());
                    o.extend_from_slice(&usize.to_le_bytes());
                } else {
                    o.extend_from_slice(&(csize as u32).to_le_bytes());
                    o.extend_from_slice(&(usize as u32).to_le_bytes());
                }
            }
            self.central.push(Central { name: name.to_string(), method, flags, crc, csize, usize, offset });
            self
        }

        /// Appends the central directory and end record; returns the archive.
        pub fn finish(&mut self) -> Vec<u8> {
            let cd_start = self.out.len() as u64;
            for c in &self.central {
                let o = &mut self.out;
                o.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
                o.extend_from_slice(&20u16.to_le_bytes());
                o.extend_from_slice(&20u16.to_le_bytes());
                o.extend_from_slice(&c.flags.to_le_bytes());
                o.extend_from_slice(&c.method.to_le_bytes());
                o.extend_from_slice(&[0, 0, 0x21, 0]);
                o.extend_from_slice(&c.crc.to_le_bytes());
                o.extend_from_slice(&(c.csize.min(u64::from(u32::MAX)) as u32).to_le_bytes());
                o.extend_from_slice(&(c.usize.min(u64::from(u32::MAX)) as u32).to_le_bytes());
                o.extend_from_slice(&(c.name.len() as u16).to_le_bytes());
                o.extend_from_slice(&[0u8; 8]); // extra, comment, disk, internal attrs
                o.extend_from_slice(&[0u8; 4]); // external attrs
                o.extend_from_slice(&(c.offset.min(u64::from(u32::MAX)) as u32).to_le_bytes());
                o.extend_from_slice(c.name.as_bytes());
            }
            let cd_len = self.out.len() as u64 - cd_start;
            let n = self.central.len().min(0xFFFF) as u16;
            let o = &mut self.out;
            o.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
            o.extend_from_slice(&[0u8; 4]);
            o.extend_from_slice(&n.to_le_bytes());
            o.extend_from_slice(&n.to_le_bytes());
            o.extend_from_slice(&(cd_len as u32).to_le_bytes());
            o.extend_from_slice(&(cd_start.min(u64::from(u32::MAX)) as u32).to_le_bytes());
            o.extend_from_slice(&0u16.to_le_bytes());
            std::mem::take(&mut self.out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_zip::{Layout, Method, ZipWriter, crc32, zero_bomb};
    use super::*;
    use std::time::{Duration, Instant};

    /// Each entry's name and data (or read error), and the walk's warnings.
    type Walked = (Vec<(String, Result<Vec<u8>, String>)>, Vec<String>);

    fn walk(bytes: &[u8], limits: ZipLimits) -> Result<Walked, ParseError> {
        let mut reader: &[u8] = bytes;
        let mut stream = ZipStream::new(&mut reader, limits);
        let mut out = Vec::new();
        while let Some(mut entry) = stream.next_entry()? {
            let name = entry.name().to_owned();
            let mut data = Vec::new();
            let res = entry.read_to_end(&mut data).map(|_| data).map_err(|e| e.to_string());
            out.push((name, res));
        }
        Ok((out, stream.take_warnings()))
    }

    fn names(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
        let mut reader: &[u8] = bytes;
        let mut stream = ZipStream::new(&mut reader, ZipLimits::default());
        let mut out = Vec::new();
        while let Some(entry) = stream.next_entry().unwrap() {
            out.push(entry.name().to_owned());
        }
        (out, stream.take_warnings())
    }

    fn all_layouts() -> Vec<Layout> {
        let mut v = Vec::new();
        for method in [Method::Stored, Method::Deflated] {
            for descriptor in [false, true] {
                for descriptor_signature in [false, true] {
                    for zip64 in [false, true] {
                        if method == Method::Stored && descriptor {
                            continue; // cannot be streamed; tested separately
                        }
                        v.push(Layout { method, descriptor, descriptor_signature, zip64 });
                    }
                }
            }
        }
        v
    }

    #[test]
    fn reads_every_layout_and_reaches_the_central_directory() {
        let big: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        for layout in all_layouts() {
            let zip = ZipWriter::new()
                .add("dir/", b"", layout)
                .add("a.txt", b"hello", layout)
                .add("empty", b"", layout)
                .add("big.bin", &big, layout)
                .add("z.txt", b"last", layout)
                .finish();
            let (entries, warnings) = walk(&zip, ZipLimits::default()).unwrap();
            assert!(warnings.is_empty(), "{layout:?}: {warnings:?}");
            let got: Vec<(&str, Vec<u8>)> =
                entries.iter().map(|(n, d)| (n.as_str(), d.clone().expect("readable"))).collect();
            assert_eq!(
                got,
                vec![
                    ("dir/", vec![]),
                    ("a.txt", b"hello".to_vec()),
                    ("empty", vec![]),
                    ("big.bin", big.clone()),
                    ("z.txt", b"last".to_vec())
                ],
                "{layout:?}"
            );
            // Skipping without reading lands on the same headers.
            assert_eq!(
                names(&zip),
                (vec!["dir/", "a.txt", "empty", "big.bin", "z.txt"].into_iter().map(String::from).collect(), vec![])
            );
        }
    }

    #[test]
    fn partially_read_entries_are_skipped_correctly() {
        let text: Vec<u8> = b"line of text\n".repeat(20_000);
        for layout in all_layouts() {
            let zip = ZipWriter::new().add("one", &text, layout).add("two", b"2", layout).finish();
            let mut reader: &[u8] = &zip;
            let mut stream = ZipStream::new(&mut reader, ZipLimits::default());
            let mut first = stream.next_entry().unwrap().unwrap();
            let mut head = [0u8; 100];
            first.read_exact(&mut head).unwrap();
            assert_eq!(&head[..13], b"line of text\n");
            let mut second = stream.next_entry().unwrap().unwrap();
            assert_eq!(second.name(), "two");
            let mut s = String::new();
            second.read_to_string(&mut s).unwrap();
            assert_eq!(s, "2");
            assert!(stream.next_entry().unwrap().is_none());
            assert!(stream.warnings().is_empty(), "{layout:?}");
        }
    }

    #[test]
    fn sizes_and_flags_are_reported() {
        let zip = ZipWriter::new()
            .add("s", b"abc", Layout::STORED)
            .add("d", b"abcabcabc", Layout::STREAMED)
            .add("z", b"xyz", Layout { zip64: true, ..Layout::DEFLATED })
            .finish();
        let mut reader: &[u8] = &zip;
        let mut stream = ZipStream::new(&mut reader, ZipLimits::default());
        let e = stream.next_entry().unwrap().unwrap();
        assert_eq!((e.info().method, e.info().compressed_size, e.info().uncompressed_size), (0, Some(3), Some(3)));
        let e = stream.next_entry().unwrap().unwrap();
        assert!(e.info().has_data_descriptor());
        assert_eq!((e.info().method, e.info().compressed_size, e.info().uncompressed_size), (8, None, None));
        let e = stream.next_entry().unwrap().unwrap();
        assert_eq!(e.info().uncompressed_size, Some(3));
        assert!(!e.info().is_encrypted());
    }

    #[test]
    fn crc_mismatch_is_an_error_at_the_end_of_the_entry() {
        let mut w = ZipWriter::new();
        w.add_raw("bad", b"hello", 5, crc32(b"hellO"), Layout::STORED);
        w.add("ok", b"fine", Layout::STORED);
        let (entries, warnings) = walk(&w.finish(), ZipLimits::default()).unwrap();
        assert!(entries[0].1.as_ref().unwrap_err().contains("CRC"), "{entries:?}");
        assert_eq!(entries[1].1.as_deref(), Ok(&b"fine"[..]));
        assert!(warnings.is_empty());
    }

    #[test]
    fn deflated_entry_without_any_deflate_data_is_empty() {
        let mut w = ZipWriter::new();
        w.add_raw("empty", b"", 0, 0, Layout::DEFLATED);
        w.add("next", b"n", Layout::DEFLATED);
        let (entries, warnings) = walk(&w.finish(), ZipLimits::default()).unwrap();
        assert_eq!(entries, vec![("empty".to_string(), Ok(vec![])), ("next".to_string(), Ok(b"n".to_vec()))]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn stored_entry_with_deferred_size_stops_with_a_warning() {
        let layout = Layout { method: Method::Stored, descriptor: true, descriptor_signature: true, zip64: false };
        let zip = ZipWriter::new()
            .add("first", b"1", Layout::STORED)
            .add("empty-dir/", b"", layout)
            .add("streamed", b"data", layout)
            .add("after", b"2", Layout::STORED)
            .finish();
        let (names, warnings) = names(&zip);
        // An empty stored entry is recognisable by its all-zero descriptor.
        assert_eq!(names, vec!["first", "empty-dir/"]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("stored with its size deferred"), "{warnings:?}");
    }

    #[test]
    fn python_streamed_zip64_fixture() {
        // Python's zipfile writing to a pipe: deflated entries with signed 64-bit
        // descriptors, then a stored entry it can only describe afterwards.
        let bytes = crate::lang::fixture("java/zip64-streamed-1.0.jar");
        let (entries, warnings) = walk(&bytes, ZipLimits::default()).unwrap();
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["META-INF/MANIFEST.MF", "META-INF/maven/org.example/zip64-streamed/pom.properties"]);
        assert!(entries.iter().all(|(_, d)| d.is_ok()));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("stored with its size deferred"));
    }

    #[test]
    fn prefix_before_first_header_is_skipped() {
        let zip = ZipWriter::new().add("a", b"x", Layout::DEFLATED).finish();
        let mut with_script = b"#!/bin/bash\necho launch script\nexit 0\n".to_vec();
        with_script.extend_from_slice(&zip);
        let (names, warnings) = names(&with_script);
        assert_eq!(names, vec!["a"]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn central_directory_only_is_an_empty_archive() {
        let empty = ZipWriter::new().finish();
        assert_eq!(empty.len(), 22);
        assert_eq!(names(&empty), (vec![], vec![]));
        // A central directory record first (local headers stripped): nothing to walk.
        let mut w = ZipWriter::new();
        w.add("a", b"x", Layout::STORED);
        let full = w.finish();
        let cd_at = memchr::memmem::find(&full, &CENTRAL_HEADER_SIG.to_le_bytes()).unwrap();
        assert_eq!(names(&full[cd_at..]), (vec![], vec![]));
    }

    #[test]
    fn not_a_zip_is_an_error() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let random: Vec<u8> = (0..256 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        for input in [&random[..], b"", b"PK", b"PK\x03\x04short", &[0u8; 5000][..], b"plain text, not an archive"] {
            let mut reader: &[u8] = input;
            let mut stream = ZipStream::new(&mut reader, ZipLimits::default());
            assert!(stream.next_entry().is_err(), "{:?}", &input[..input.len().min(16)]);
            assert!(stream.next_entry().unwrap().is_none());
        }
    }

    #[test]
    fn truncation_keeps_entries_before_the_cut() {
        let text = b"some data ".repeat(5000);
        for layout in all_layouts() {
            let zip =
                ZipWriter::new().add("a", b"first", layout).add("b", &text, layout).add("c", b"x", layout).finish();
            let second = memchr::memmem::find(&zip, b"b").unwrap();
            // In the second entry's header, in its data, just before the central directory.
            let central = memchr::memmem::find(&zip, &CENTRAL_HEADER_SIG.to_le_bytes()).unwrap();
            for cut in [second + 10, second + 300, central - 1] {
                let (entries, warnings) = walk(&zip[..cut], ZipLimits::default()).unwrap();
                assert_eq!(entries[0], ("a".to_string(), Ok(b"first".to_vec())), "{layout:?} {cut}");
                assert_eq!(warnings.len(), 1, "{layout:?} {cut} {warnings:?}");
                assert!(warnings[0].contains("truncated") || warnings[0].contains("ends"), "{warnings:?}");
            }
        }
    }

    #[test]
    fn bogus_sizes_do_not_panic_or_hang() {
        // Stored entry claiming 4 GiB; deflated entry claiming less than its stream;
        // ZIP64 sizes near u64::MAX; a header size that disagrees with the data.
        let payload = super::test_zip::deflate(&b"abc".repeat(1000));
        let mut w = ZipWriter::new();
        w.add_raw("short", &payload[..payload.len() / 2], 3000, 0, Layout::DEFLATED);
        w.add("next", b"n", Layout::STORED);
        let (entries, warnings) = walk(&w.finish(), ZipLimits::default()).unwrap();
        assert!(entries[0].1.is_err());
        // The header's compressed size is the truth for walking: the next entry follows
        // right after the claimed size, which here is inside the deflate stream.
        assert!(entries.len() <= 2);
        assert!(warnings.len() <= 1);

        let mut w = ZipWriter::new();
        w.add_raw("lies", b"0123456789", 99, crc32(b"0123456789"), Layout::STORED);
        let (entries, _) = walk(&w.finish(), ZipLimits::default()).unwrap();
        assert!(entries[0].1.as_ref().unwrap_err().contains("header says 99"), "{entries:?}");

        let mut zip = ZipWriter::new().add("huge", b"tiny", Layout { zip64: true, ..Layout::STORED }).finish();
        let at = memchr::memmem::find(&zip, &[1, 0, 16, 0]).unwrap() + 4;
        zip[at..at + 16].copy_from_slice(&[0xFE; 16]);
        let (entries, warnings) = walk(&zip, ZipLimits::default()).unwrap();
        assert_eq!(entries.len(), 1);
        assert!(entries[0].1.is_err());
        assert!(warnings[0].contains("truncated"), "{warnings:?}");

        // Name and extra lengths running past the end.
        let mut zip = ZipWriter::new().add("n", b"x", Layout::STORED).add("m", b"y", Layout::STORED).finish();
        let second = memchr::memmem::find(&zip[4..], &LOCAL_HEADER_SIG.to_le_bytes()).unwrap() + 4;
        zip[second + 26..second + 30].copy_from_slice(&[0xFF; 4]);
        let (entries, warnings) = walk(&zip, ZipLimits::default()).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn zip_bomb_stops_at_the_ratio_limit_fast() {
        let (bomb, size) = zero_bomb(1024);
        assert!(bomb.len() < 2 << 20);
        for layout in [Layout::DEFLATED, Layout::STREAMED] {
            let mut w = ZipWriter::new();
            w.add_raw("zeros.bin", &bomb, size, 0, layout);
            w.add("after", b"a", Layout::STORED);
            let zip = w.finish();
            let started = Instant::now();
            let (entries, warnings) = walk(&zip, ZipLimits::default()).unwrap();
            assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
            assert!(entries[0].1.as_ref().unwrap_err().contains("zip bomb"), "{entries:?}");
            if layout.descriptor {
                // Its end can only be found by inflating it: the walk stops.
                assert_eq!(entries.len(), 1);
                assert!(warnings[0].contains("zip bomb"), "{warnings:?}");
            } else {
                // A known size lets the walk skip it unread.
                assert_eq!(entries[1].0, "after");
                assert!(warnings.is_empty());
            }
        }
        // Skipping a deferred-size bomb without reading it stops as fast.
        let mut w = ZipWriter::new();
        w.add_raw("zeros.bin", &bomb, size, 0, Layout::STREAMED);
        let started = Instant::now();
        let (names, warnings) = names(&w.finish());
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(names, vec!["zeros.bin"]);
        assert!(warnings[0].contains("zip bomb"));
    }

    #[test]
    fn total_and_entry_limits() {
        let data = b"0123456789".repeat(100_000); // 1 MB, compresses ~ >100x? keep ratio off
        let limits = ZipLimits { max_entry_bytes: 1000, max_ratio: u64::MAX, ..ZipLimits::default() };
        let zip = ZipWriter::new()
            .add("big", &data, Layout::STREAMED)
            .add("exact", &data[..1000], Layout::DEFLATED)
            .add("small", b"ok", Layout::STORED)
            .finish();
        let (entries, warnings) = walk(&zip, limits).unwrap();
        assert!(entries[0].1.as_ref().unwrap_err().contains("larger than the limit of 1000"));
        assert_eq!(entries[1].1.as_ref().unwrap().len(), 1000);
        assert_eq!(entries[2].1.as_deref(), Ok(&b"ok"[..]));
        assert!(warnings.is_empty(), "{warnings:?}");

        let limits = ZipLimits { max_total_bytes: 1_500_000, max_ratio: u64::MAX, ..ZipLimits::default() };
        let zip = ZipWriter::new()
            .add("one", &data, Layout::STREAMED)
            .add("two", &data, Layout::STREAMED)
            .add("three", b"x", Layout::STORED)
            .finish();
        let (entries, warnings) = walk(&zip, limits).unwrap();
        assert!(entries[0].1.is_ok());
        assert!(entries[1].1.as_ref().unwrap_err().contains("exceeds the limit"));
        assert_eq!(entries.len(), 2);
        assert!(warnings[0].contains("exceeds the limit"), "{warnings:?}");

        let mut w = ZipWriter::new();
        for i in 0..20 {
            w.add(&format!("f{i}"), b"", Layout::STORED);
        }
        let limits = ZipLimits { max_entries: 10, ..ZipLimits::default() };
        let (entries, warnings) = walk(&w.finish(), limits).unwrap();
        assert_eq!(entries.len(), 10);
        assert!(warnings[0].contains("more than 10 entries"));
    }

    #[test]
    fn many_tiny_entries_are_fast() {
        let mut w = ZipWriter::new();
        for i in 0..100_000 {
            w.add(&format!("d/{i}"), b"x", Layout::STORED);
        }
        let zip = w.finish();
        let started = Instant::now();
        let (names, warnings) = names(&zip);
        assert_eq!(names.len(), 100_000);
        assert!(warnings.is_empty());
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn nested_archives_share_the_budget() {
        let inner = ZipWriter::new().add("inner.txt", &b"x".repeat(600_000), Layout::DEFLATED).finish();
        let outer =
            ZipWriter::new().add("a.jar", &inner, Layout::STORED).add("b.jar", &inner, Layout::STREAMED).finish();
        let limits = ZipLimits { max_total_bytes: 1_000_000, max_ratio: u64::MAX, ..ZipLimits::default() };
        let mut reader: &[u8] = &outer;
        let mut stream = ZipStream::new(&mut reader, limits);
        let mut inner_results = Vec::new();
        while let Some(mut entry) = stream.next_entry().unwrap() {
            let mut nested = entry.open_nested();
            while let Some(mut e) = nested.next_entry().unwrap() {
                let mut v = Vec::new();
                inner_results.push(e.read_to_end(&mut v).map_err(|e| e.to_string()));
            }
        }
        // a.jar (stored, ~1 KB) then its 600 KB entry; b.jar's inflation plus its entry
        // overrun the shared 1 MB.
        assert_eq!(inner_results[0].as_ref().ok(), Some(&600_000));
        assert!(inner_results.iter().skip(1).all(|r| r.is_err()) || inner_results.len() == 1);
        assert!(stream.budget().remaining() < 1_000_000 - 600_000);
    }

    #[test]
    fn for_each_matching_reads_only_wanted_entries() {
        let zip = ZipWriter::new()
            .add("EGG-INFO/PKG-INFO", b"Metadata-Version: 1.1\nName: demo\n", Layout::STREAMED)
            .add("demo/__init__.py", b"", Layout::DEFLATED)
            .add("EGG-INFO/requires.txt", &b"x".repeat(5000), Layout::DEFLATED)
            .finish();
        let mut seen = Vec::new();
        let mut reader: &[u8] = &zip;
        let warnings = for_each_matching(
            &mut reader,
            ZipLimits::default(),
            100,
            |n| n.starts_with("EGG-INFO/"),
            |n, d| {
                seen.push((n.to_string(), d.len()));
                ControlFlow::Continue(())
            },
        )
        .unwrap();
        assert_eq!(seen, vec![("EGG-INFO/PKG-INFO".to_string(), 33), ("EGG-INFO/requires.txt".to_string(), 100)]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("larger than 100 bytes"));
    }

    #[test]
    fn real_jar_fixtures_walk_cleanly() {
        for (fixture, descriptors) in [
            ("java/commons-cli-1.5.0.jar", false),
            ("java/descriptors-0.1.jar", true),
            ("java/zip64-1.0.jar", false),
            ("java/demo-web-2.1.war", true),
        ] {
            let bytes = crate::lang::fixture(fixture);
            let mut reader: &[u8] = &bytes;
            let mut stream = ZipStream::new(&mut reader, ZipLimits::default());
            let mut saw_descriptor = false;
            let mut count = 0;
            while let Some(mut e) = stream.next_entry().unwrap() {
                saw_descriptor |= e.info().has_data_descriptor();
                std::io::copy(&mut e, &mut std::io::sink()).unwrap();
                count += 1;
            }
            assert!(stream.warnings().is_empty(), "{fixture}: {:?}", stream.warnings());
            assert_eq!(saw_descriptor, descriptors, "{fixture}");
            assert!(count > 1);
        }
    }
}
