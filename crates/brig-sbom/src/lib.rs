//! The SBOM model shared by brig's commands, package URLs, and the writers for brig's own
//! JSON, CycloneDX 1.6 JSON and SPDX 2.3 JSON. Writers are pure functions of the model.

pub mod cyclonedx;
pub mod import;
pub mod license;
mod model;
pub mod purl;
pub mod spdx_json;

pub use model::*;
pub use purl::Purl;

use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    CycloneDx,
    Spdx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "json" | "brig-json" => Some(Format::Json),
            "cyclonedx" | "cyclonedx-json" | "cdx" => Some(Format::CycloneDx),
            "spdx" | "spdx-json" => Some(Format::Spdx),
            _ => None,
        }
    }
}

/// Writes `sbom` in `format`, pretty-printed, with a trailing newline.
pub fn write(sbom: &Sbom, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => serde_json::to_writer_pretty(&mut *out, sbom)?,
        Format::CycloneDx => serde_json::to_writer_pretty(&mut *out, &cyclonedx::to_value(sbom))?,
        Format::Spdx => serde_json::to_writer_pretty(&mut *out, &spdx_json::to_value(sbom))?,
    }
    out.write_all(b"\n")
}

/// The document timestamp: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
/// Second precision in UTC with `Z`, the only form SPDX accepts.
pub fn document_time() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    now.to_offset(time::UtcOffset::UTC).format(&fmt).unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// A UUID (version 5 layout) derived from `parts`, so that the same input gives the same
/// document identifiers and output stays reproducible.
pub fn name_based_uuid(parts: &[&str]) -> String {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    let mut b: [u8; 16] = h.finalize()[..16].try_into().expect("16 bytes");
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &x[0..8], &x[8..12], &x[12..16], &x[16..20], &x[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape() {
        let u = name_based_uuid(&["a", "b"]);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "5");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(u, name_based_uuid(&["a", "b"]));
        assert_ne!(u, name_based_uuid(&["ab"]));
    }
}
