//! `brig diff OLD NEW`: what a rebuild fixed, what it introduced, what stayed.

use std::collections::BTreeMap;

use anyhow::Result;
use brig_match::Finding;
use brig_report::ScanDiff;

use crate::cli::{DiffArgs, DiffFormat, Global};

/// A finding's identity across images: the vulnerability and the package by name (the
/// version is what a rebuild changes).
fn key(f: &Finding) -> (String, String, String) {
    (f.id.clone(), f.package.kind.clone(), f.package.name.clone())
}

pub fn diff(old: Vec<Finding>, new: Vec<Finding>) -> ScanDiff {
    let old: BTreeMap<_, Finding> = old.into_iter().map(|f| (key(&f), f)).collect();
    let new: BTreeMap<_, Finding> = new.into_iter().map(|f| (key(&f), f)).collect();
    let mut d = ScanDiff { fixed: Vec::new(), introduced: Vec::new(), unchanged: Vec::new() };
    for (k, f) in &old {
        if !new.contains_key(k) {
            d.fixed.push(f.clone());
        }
    }
    for (k, f) in new {
        if old.contains_key(&k) {
            d.unchanged.push(f);
        } else {
            d.introduced.push(f);
        }
    }
    d
}

pub fn run(g: &Global, args: &DiffArgs) -> Result<()> {
    let policy = crate::scan_cmd::load_policy(None, &[])?;
    let old = crate::sbom_cmd::load(g, &args.old, &args.image, true)?;
    let new = crate::sbom_cmd::load(g, &args.new, &args.image, true)?;
    let old = crate::scan_cmd::scan(g, &old, &policy)?;
    let new = crate::scan_cmd::scan(g, &new, &policy)?;
    let d = diff(old.findings, new.findings);
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
