//! SBOM documents as scan targets (CycloneDX JSON, SPDX JSON, syft JSON, brig's JSON).

use std::io::Read;

use anyhow::{Context, Result};

/// Whether a file's first bytes look like a text document rather than an image archive:
/// JSON, XML (CycloneDX XML) or SPDX tag-value. A tar starts with a member name and has
/// its `ustar` magic at offset 257, so neither is ever mistaken for the other.
fn looks_like_document(head: &[u8]) -> bool {
    if head.len() > 262 && &head[257..262] == b"ustar" {
        return false;
    }
    let text = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace()).map_or(&[][..], |i| &text[i..]);
    start.starts_with(b"{") || start.starts_with(b"<") || start.starts_with(b"SPDXVersion:")
}

/// Reads `target` as an SBOM document when it is one (`sbom:FILE` forces it); `None` for
/// anything else. Documents brig cannot read (XML, tag-value) are errors saying so.
pub fn read_if_sbom(target: &str) -> Result<Option<brig_sbom::Sbom>> {
    let forced = target.strip_prefix("sbom:");
    let path = forced.unwrap_or(target);
    let Ok(mut f) = std::fs::File::open(path) else {
        if forced.is_some() {
            anyhow::bail!("cannot open SBOM {path}");
        }
        return Ok(None);
    };
    // The first bytes decide whether it is a document; the rest is read into the same
    // buffer only if it is. A head that cannot be read (a directory) is no document.
    let mut bytes = Vec::with_capacity(512);
    let head = Read::read_to_end(&mut Read::take(&mut f, 512), &mut bytes);
    if forced.is_none() && !looks_like_document(&bytes) {
        return Ok(None);
    }
    let size = f.metadata().map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX));
    bytes.try_reserve_exact(size.saturating_sub(bytes.len())).ok();
    head.and_then(|_| Read::read_to_end(&mut f, &mut bytes)).with_context(|| format!("reading {path}"))?;
    let mut doc = brig_sbom::import::read_sbom(&bytes).with_context(|| format!("{path}: not a readable SBOM"))?;
    doc.source.target = target.to_owned();
    Ok(Some(doc))
}

#[cfg(test)]
mod tests {
    use super::looks_like_document;

    #[test]
    fn documents_and_archives_are_told_apart() {
        assert!(looks_like_document(b"  {\"bomFormat\": 1}"));
        assert!(looks_like_document("\u{feff}<?xml version=\"1.0\"?>".as_bytes()));
        assert!(looks_like_document(b"SPDXVersion: SPDX-2.3\n"));
        assert!(!looks_like_document(b""));
        let mut tar = vec![0u8; 512];
        tar[..7].copy_from_slice(b"{weird}");
        tar[257..262].copy_from_slice(b"ustar");
        assert!(!looks_like_document(&tar), "a tar whose first member is named `{{weird}}`");
    }
}
