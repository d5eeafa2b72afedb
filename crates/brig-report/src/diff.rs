//! Comparing two scans: which findings a change fixed, introduced, or left as they were.

use std::collections::BTreeSet;
use std::io::{self, Write};

use brig_match::{Finding, ScanReport};
use serde::{Deserialize, Serialize};

use crate::ReportOptions;
use crate::table::{Columns, line, widths};
use crate::text::{finding_cmp, plural};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanDiff {
    /// In the old scan, not in the new one.
    pub fixed: Vec<Finding>,
    /// In the new scan, not in the old one.
    pub introduced: Vec<Finding>,
    /// In both (as found by the new scan).
    pub unchanged: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Table,
    Json,
}

impl DiffFormat {
    pub fn parse(s: &str) -> Option<DiffFormat> {
        match s {
            "table" => Some(DiffFormat::Table),
            "json" => Some(DiffFormat::Json),
            _ => None,
        }
    }
}

/// What identifies a finding across scans: the vulnerability and the package's type, name
/// and file, not its version, so that an upgrade that leaves the package vulnerable keeps
/// the finding `unchanged` rather than listing it as both fixed and introduced.
fn key(f: &Finding) -> (&str, &str, &str, &str) {
    (&f.id, &f.package.kind, &f.package.name, &f.package.found_in)
}

impl ScanDiff {
    pub fn between(old: &ScanReport, new: &ScanReport) -> ScanDiff {
        let old_keys: BTreeSet<_> = old.findings.iter().map(key).collect();
        let new_keys: BTreeSet<_> = new.findings.iter().map(key).collect();
        let mut d = ScanDiff {
            fixed: old.findings.iter().filter(|f| !new_keys.contains(&key(f))).cloned().collect(),
            introduced: new.findings.iter().filter(|f| !old_keys.contains(&key(f))).cloned().collect(),
            unchanged: new.findings.iter().filter(|f| old_keys.contains(&key(f))).cloned().collect(),
        };
        d.sort();
        d
    }

    /// Each list worst first, in the order the scan writers use.
    pub fn sort(&mut self) {
        for v in [&mut self.fixed, &mut self.introduced, &mut self.unchanged] {
            v.sort_by(finding_cmp);
        }
    }
}

/// Writes `diff` in `format`, ending with a newline. Lists are written in canonical order
/// whatever order they are in.
pub fn write_diff(diff: &ScanDiff, format: DiffFormat, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut d = diff.clone();
    d.sort();
    match format {
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &d)?;
            out.write_all(b"\n")
        }
        DiffFormat::Table => table(&d, opts, out),
    }
}

fn table(d: &ScanDiff, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    let columns = Columns { package: true, layer: opts.show_layer };
    let head = columns.head();
    let sections = [("Introduced", &d.introduced), ("Fixed", &d.fixed), ("Unchanged", &d.unchanged)];
    let rows: Vec<Vec<Vec<String>>> =
        sections.iter().map(|(_, fs)| fs.iter().map(|f| columns.row(f)).collect()).collect();
    // One set of widths for all three sections, so that they read as one table.
    let widths = widths(&head, rows.iter().flatten());
    for (i, ((name, fs), rows)) in sections.iter().zip(&rows).enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{name} ({}):", fs.len())?;
        if fs.is_empty() {
            writeln!(out, "  none")?;
            continue;
        }
        writeln!(out, "  {}", line(&head, &widths, None, columns.kev(), opts.color))?;
        for (f, r) in fs.iter().zip(rows) {
            writeln!(out, "  {}", line(r, &widths, Some(f.severity), columns.kev(), opts.color))?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} introduced, {} fixed, {} unchanged",
        plural(d.introduced.len(), "vulnerability", "vulnerabilities"),
        d.fixed.len(),
        d.unchanged.len()
    )
}
