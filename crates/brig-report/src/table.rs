//! The terminal table: findings grouped by package, then the summary, then what the scan
//! could not settle (notices, unchecked packages) and what it was told to hide.

use std::collections::BTreeMap;
use std::io::{self, Write};

use brig_match::{Finding, PackageRef, ScanReport, Severity};

use crate::ReportOptions;
use crate::text::{clean, fix_text, layer_text, one_line, package_cmp, side_counts, sorted, summary, target, truncate};

const TITLE_MAX: usize = 60;
const CREATED_BY_MAX: usize = 40;

pub fn write(report: &ScanReport, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", header(report))?;
    writeln!(out)?;
    if report.findings.is_empty() {
        writeln!(out, "No vulnerabilities found")?;
    } else {
        findings(report, opts, out)?;
        writeln!(out)?;
        writeln!(out, "{}", summary(&report.findings))?;
    }
    if let Some(s) = side_counts(report) {
        writeln!(out, "{s}")?;
    }
    notices(report, out)?;
    unchecked(report, out)?;
    suppressed(report, opts, out)?;
    if !report.warnings.is_empty() {
        writeln!(out)?;
        for w in &report.warnings {
            writeln!(out, "{}", paint(opts.color, YELLOW, &format!("warning: {}", one_line(w))))?;
        }
    }
    Ok(())
}

/// `brig scan: alpine:3.18 (Alpine Linux v3.18), 15 packages`.
pub fn header(report: &ScanReport) -> String {
    let os = report.distro.as_ref().map(|d| {
        d.pretty_name.clone().unwrap_or_else(|| format!("{} {}", d.id, d.version_id.as_deref().unwrap_or("")))
    });
    let os = os.map(|o| format!(" ({})", clean(o.trim()))).unwrap_or_default();
    let packages = if report.packages == 1 { "package" } else { "packages" };
    format!("brig scan: {}{os}, {} {packages}", clean(target(report)), report.packages)
}

fn findings(report: &ScanReport, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    // The package id identifies a package within a scan; the index keeps grouping linear.
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_package: Vec<(&PackageRef, Vec<&Finding>)> = Vec::new();
    for f in sorted(&report.findings) {
        match index.get(f.package.id.as_str()) {
            Some(&i) => by_package.get_mut(i).into_iter().for_each(|g| g.1.push(f)),
            None => {
                index.insert(&f.package.id, by_package.len());
                by_package.push((&f.package, vec![f]));
            }
        }
    }
    by_package.sort_by(|a, b| package_cmp(a.0, b.0));

    // Packages head their groups, so the rows leave them out.
    let columns = Columns { package: false, layer: opts.show_layer };
    let head = columns.head();
    let rows: Vec<Vec<Vec<String>>> =
        by_package.iter().map(|(_, fs)| fs.iter().map(|f| columns.row(f)).collect()).collect();
    let widths = widths(&head, rows.iter().flatten());

    writeln!(out, "  {}", line(&head, &widths, None, columns.kev(), opts.color))?;
    for ((p, fs), rows) in by_package.iter().zip(&rows) {
        writeln!(out, "{}", package(p))?;
        for (f, r) in fs.iter().zip(rows) {
            writeln!(out, "  {}", line(r, &widths, Some(f.severity), columns.kev(), opts.color))?;
        }
    }
    Ok(())
}

/// The columns of a table of findings: ID, SEVERITY, [PACKAGE, VERSION,] FIX, KEV,
/// [LAYER,] TITLE. The scan table groups rows under their package; the diff table has
/// no groups and names the package in each row.
pub struct Columns {
    pub package: bool,
    pub layer: bool,
}

impl Columns {
    pub fn head(&self) -> Vec<String> {
        let package: &[&str] = if self.package { &["PACKAGE", "VERSION"] } else { &[] };
        ["ID", "SEVERITY"]
            .into_iter()
            .chain(package.iter().copied())
            .chain(["FIX", "KEV"])
            .chain(self.layer.then_some("LAYER"))
            .chain(["TITLE"])
            .map(str::to_owned)
            .collect()
    }

    /// The cells of `f`'s row, cleaned and truncated.
    pub fn row(&self, f: &Finding) -> Vec<String> {
        let mut r = vec![clean(&f.id), f.severity.as_str().to_owned()];
        if self.package {
            r.push(clean(&f.package.name));
            r.push(clean(&f.package.version));
        }
        r.push(clean(&fix_text(f)));
        r.push(if f.known_exploited { "KEV".to_owned() } else { String::new() });
        if self.layer {
            r.push(layer_text(&f.package, CREATED_BY_MAX));
        }
        r.push(truncate(&one_line(f.title.as_deref().unwrap_or("")), TITLE_MAX));
        r
    }

    /// The index of the KEV column (for `line`).
    pub fn kev(&self) -> usize {
        if self.package { 5 } else { 3 }
    }
}

/// Column widths fitting `head` and every row, in characters.
pub fn widths<'a>(head: &[String], rows: impl IntoIterator<Item = &'a Vec<String>>) -> Vec<usize> {
    let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    widths
}

/// One aligned row, severity in column 1; padding is added outside the colour codes, so
/// that escape codes never count towards the width.
pub fn line(cells: &[String], widths: &[usize], severity: Option<Severity>, kev_col: usize, color: bool) -> String {
    let mut s = String::new();
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            s.push_str("  ");
        }
        let code = match (i, severity) {
            (1, Some(sev)) => Some(severity_color(sev)),
            (i, Some(_)) if i == kev_col && !cell.is_empty() => Some(BOLD),
            _ => None,
        };
        match code {
            Some(c) => s.push_str(&paint(color, c, cell)),
            None => s.push_str(cell),
        }
        if i + 1 < cells.len() {
            s.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.chars().count())));
        }
    }
    s.trim_end().to_owned()
}

fn notices(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    if report.notices.is_empty() {
        return Ok(());
    }
    let mut v: Vec<_> = report.notices.iter().collect();
    v.sort_by(|a, b| package_cmp(&a.package, &b.package).then_with(|| a.id.cmp(&b.id)));
    writeln!(out)?;
    writeln!(out, "Notices (informational advisories):")?;
    for n in v {
        let title = n.title.as_deref().map(|t| format!(": {}", truncate(&one_line(t), TITLE_MAX))).unwrap_or_default();
        writeln!(out, "  warning: {} ({}) in {}{title}", clean(&n.id), clean(&n.kind), package(&n.package))?;
    }
    Ok(())
}

fn unchecked(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    if report.unchecked.is_empty() {
        return Ok(());
    }
    let mut v: Vec<_> = report.unchecked.iter().collect();
    v.sort_by(|a, b| package_cmp(&a.package, &b.package).then_with(|| a.advisory.cmp(&b.advisory)));
    writeln!(out)?;
    writeln!(out, "Unchecked packages (versions that could not be compared):")?;
    for u in v {
        let adv = u.advisory.as_deref().map(|a| format!(" [{}]", clean(a))).unwrap_or_default();
        writeln!(out, "  {}: {}{adv}", package(&u.package), one_line(&u.reason))?;
    }
    Ok(())
}

fn suppressed(report: &ScanReport, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    if !opts.show_suppressed || report.suppressed.is_empty() {
        return Ok(());
    }
    let mut v: Vec<_> = report.suppressed.iter().collect();
    v.sort_by(|a, b| crate::text::finding_cmp(&a.finding, &b.finding));
    writeln!(out)?;
    writeln!(out, "Suppressed:")?;
    for s in v {
        let f = &s.finding;
        writeln!(
            out,
            "  {} {} in {} {} (by {}): {}",
            clean(&f.id),
            paint(opts.color, severity_color(f.severity), f.severity.as_str()),
            clean(&f.package.name),
            clean(&f.package.version),
            clean(&s.by),
            one_line(&s.reason)
        )?;
    }
    Ok(())
}

/// `name version (type, /found/in)`; an SBOM may not say where a package was found.
pub fn package(p: &PackageRef) -> String {
    if p.found_in.is_empty() {
        format!("{} {} ({})", clean(&p.name), clean(&p.version), clean(&p.kind))
    } else {
        format!("{} {} ({}, {})", clean(&p.name), clean(&p.version), clean(&p.kind), clean(&p.found_in))
    }
}

const RED: &str = "\x1b[31m";
const BOLD_RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[33m";
const BLUE: &str = "\x1b[34m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";

pub fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => BOLD_RED,
        Severity::High => RED,
        Severity::Medium => YELLOW,
        Severity::Low => BLUE,
        Severity::Negligible | Severity::Unknown => DIM,
    }
}

pub fn paint(color: bool, code: &str, s: &str) -> String {
    if color { format!("{code}{s}\x1b[0m") } else { s.to_owned() }
}
