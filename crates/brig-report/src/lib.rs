//! The output writers of `brig scan`: a terminal table, brig's JSON (the scan model as it
//! is), SARIF 2.1.0 for GitHub code scanning, CycloneDX 1.6 with vulnerabilities, and
//! Markdown for pull-request comments; plus the writers of a comparison of two scans.
//!
//! Every writer is a pure function of the model: the same report gives the same bytes,
//! whatever order its findings came in, so that outputs can be diffed and cached.

mod cyclonedx;
mod diff;
mod markdown;
mod sarif;
mod table;
mod text;

use std::io::{self, Write};

use brig_match::ScanReport;

pub use diff::{DiffFormat, ScanDiff, write_diff};

/// The formats `brig scan --format` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanFormat {
    Table,
    Json,
    Sarif,
    CycloneDx,
    Markdown,
}

impl ScanFormat {
    pub fn parse(s: &str) -> Option<ScanFormat> {
        match s {
            "table" => Some(ScanFormat::Table),
            "json" | "brig-json" => Some(ScanFormat::Json),
            "sarif" => Some(ScanFormat::Sarif),
            "cyclonedx" | "cyclonedx-json" | "cdx" => Some(ScanFormat::CycloneDx),
            "markdown" | "md" => Some(ScanFormat::Markdown),
            _ => None,
        }
    }
}

/// What the human-readable writers show; the machine formats ignore what does not apply
/// to them (only CycloneDX uses `show_suppressed`, to add analysed vulnerabilities).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// ANSI colours in the table; never in the other formats.
    pub color: bool,
    /// A column with the layer that introduced each package.
    pub show_layer: bool,
    /// List suppressed findings with the reason they were suppressed.
    pub show_suppressed: bool,
}

/// Writes `report` in `format`, ending with a newline.
pub fn write_scan(
    report: &ScanReport,
    format: ScanFormat,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ScanFormat::Table => table::write(report, opts, out),
        ScanFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            out.write_all(b"\n")
        }
        ScanFormat::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif::to_value(report))?;
            out.write_all(b"\n")
        }
        ScanFormat::CycloneDx => {
            serde_json::to_writer_pretty(&mut *out, &cyclonedx::to_value(report, opts))?;
            out.write_all(b"\n")
        }
        ScanFormat::Markdown => markdown::write(report, opts, out),
    }
}
