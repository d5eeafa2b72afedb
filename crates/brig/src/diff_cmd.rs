//! `brig diff OLD NEW`: what a rebuild fixed, what it introduced, what stayed.

use anyhow::Result;
use brig_report::ScanDiff;

use crate::cli::{DiffArgs, DiffFormat, Global};

pub fn run(g: &Global, args: &DiffArgs) -> Result<()> {
    let policy = crate::scan_cmd::load_policy(None, &[])?;
    let old = crate::sbom_cmd::load(g, &args.old, &args.image, true)?;
    let new = crate::sbom_cmd::load(g, &args.new, &args.image, true)?;
    let old = crate::scan_cmd::scan(g, &old, &policy)?;
    let new = crate::scan_cmd::scan(g, &new, &policy)?;
    let d = ScanDiff::between(&old, &new);
    let format = match args.format {
        DiffFormat::Table => brig_report::DiffFormat::Table,
        DiffFormat::Json => brig_report::DiffFormat::Json,
    };
    let opts = crate::output::report_options(false, false);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    brig_report::write_diff(&d, format, &opts, &mut out)?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}
