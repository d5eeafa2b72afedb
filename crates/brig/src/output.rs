use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};
use brig_match::ScanReport;

use crate::cli::{ScanArgs, ScanFormat};

pub fn report_options(show_layer: bool, show_suppressed: bool) -> brig_report::ReportOptions {
    brig_report::ReportOptions { color: std::io::stdout().is_terminal(), show_layer, show_suppressed }
}

pub fn write_scan(report: &ScanReport, args: &ScanArgs) -> Result<()> {
    let format = match args.format {
        ScanFormat::Table => brig_report::ScanFormat::Table,
        ScanFormat::Json => brig_report::ScanFormat::Json,
        ScanFormat::Sarif => brig_report::ScanFormat::Sarif,
        ScanFormat::Cyclonedx => brig_report::ScanFormat::CycloneDx,
        ScanFormat::Markdown => brig_report::ScanFormat::Markdown,
    };
    let mut opts = report_options(args.layers, args.show_suppressed);
    if args.output.is_some() {
        opts.color = false;
    }
    write_to(args.output.as_deref(), |out| brig_report::write_scan(report, format, &opts, out))
}

/// Writes to FILE (`-o`) or standard output, buffered. A closed pipe on standard output
/// (`brig … | head`) is not an error worth a message.
pub fn write_to(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    match path {
        Some(path) => {
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
            );
            write(&mut f).and_then(|_| f.flush()).with_context(|| format!("writing {}", path.display()))
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut out).and_then(|_| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("writing to standard output"),
                _ => Ok(()),
            }
        }
    }
}
