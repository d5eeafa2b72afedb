use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};
use brig_match::ScanReport;

use crate::cli::{Global, ScanArgs, ScanFormat};

pub fn report_options(show_layer: bool, show_suppressed: bool) -> brig_report::ReportOptions {
    brig_report::ReportOptions { color: std::io::stdout().is_terminal(), show_layer, show_suppressed }
}

pub fn write_scan(_g: &Global, report: &ScanReport, args: &ScanArgs) -> Result<()> {
    let format = match args.format {
        ScanFormat::Table => brig_report::ScanFormat::Table,
        ScanFormat::Json => brig_report::ScanFormat::Json,
        ScanFormat::Sarif => brig_report::ScanFormat::Sarif,
        ScanFormat::Cyclonedx => brig_report::ScanFormat::CycloneDx,
        ScanFormat::Markdown => brig_report::ScanFormat::Markdown,
    };
    let mut opts = report_options(args.layers, args.show_suppressed);
    match &args.output {
        Some(path) => {
            opts.color = false;
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
            );
            brig_report::write_scan(report, format, &opts, &mut f)
                .and_then(|_| f.flush())
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            if let Err(e) = brig_report::write_scan(report, format, &opts, &mut out).and_then(|_| out.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e).context("writing to standard output");
            }
        }
    }
    Ok(())
}
