//! Markdown for pull-request comments (GitHub-flavoured): a heading, the summary, one
//! table sorted by severity, and collapsed sections for what needs no action.

use std::io::{self, Write};

use brig_match::{FixState, ScanReport};

use crate::ReportOptions;
use crate::table::header;
use crate::text::{clean, layer_text, one_line, package_cmp, side_counts, sorted, summary, truncate, web_url};

const TITLE_MAX: usize = 100;

pub fn write(report: &ScanReport, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}", cell(&header(report)))?;
    writeln!(out)?;
    if report.findings.is_empty() {
        writeln!(out, "No vulnerabilities found.")?;
    } else {
        writeln!(out, "**{}**", cell(&summary(&report.findings)))?;
    }
    if let Some(s) = side_counts(report) {
        writeln!(out)?;
        writeln!(out, "{s}")?;
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
        findings(report, opts, out)?;
    }
    details(report, opts, out)
}

fn findings(report: &ScanReport, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    let layer_head = if opts.show_layer { " Layer |" } else { "" };
    let layer_rule = if opts.show_layer { " --- |" } else { "" };
    writeln!(out, "| Severity | ID | Package | Installed | Fixed |{layer_head}")?;
    writeln!(out, "| --- | --- | --- | --- | --- |{layer_rule}")?;
    for f in sorted(&report.findings) {
        let mut id = match f.references.iter().find_map(|r| web_url(r)) {
            Some(u) => format!("[{}]({})", cell(&f.id), link(u)),
            None => cell(&f.id),
        };
        if f.known_exploited {
            id.push_str(" (known exploited)");
        }
        let fixed = match (f.state, &f.fixed_version) {
            (FixState::Fixed, Some(v)) => code(v),
            (FixState::Fixed, None) => "fixed".to_owned(),
            (FixState::NotFixed, _) => "not fixed".to_owned(),
            (FixState::WontFix, _) => "won't fix".to_owned(),
        };
        let layer = if opts.show_layer { format!(" {} |", code(&layer_text(&f.package, 40))) } else { String::new() };
        writeln!(
            out,
            "| {} | {id} | {} | {} | {fixed} |{layer}",
            f.severity.as_str(),
            code(&f.package.name),
            code(&f.package.version)
        )?;
    }
    Ok(())
}

fn details(report: &ScanReport, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    if !report.notices.is_empty() {
        let mut v: Vec<_> = report.notices.iter().collect();
        v.sort_by(|a, b| package_cmp(&a.package, &b.package).then_with(|| a.id.cmp(&b.id)));
        open(
            out,
            &crate::text::plural(v.len(), "notice (informational advisory)", "notices (informational advisories)"),
        )?;
        writeln!(out, "| ID | Kind | Package | Version | Title |")?;
        writeln!(out, "| --- | --- | --- | --- | --- |")?;
        for n in v {
            let title = n.title.as_deref().map(|t| cell(&truncate(&one_line(t), TITLE_MAX))).unwrap_or_default();
            writeln!(
                out,
                "| {} | {} | {} | {} | {title} |",
                cell(&n.id),
                cell(&n.kind),
                code(&n.package.name),
                code(&n.package.version)
            )?;
        }
        close(out)?;
    }
    if !report.unchecked.is_empty() {
        let mut v: Vec<_> = report.unchecked.iter().collect();
        v.sort_by(|a, b| package_cmp(&a.package, &b.package).then_with(|| a.advisory.cmp(&b.advisory)));
        open(out, &format!("{} not checked", crate::text::plural(v.len(), "package", "packages")))?;
        writeln!(out, "| Package | Version | Advisory | Reason |")?;
        writeln!(out, "| --- | --- | --- | --- |")?;
        for u in v {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(&u.package.name),
                code(&u.package.version),
                u.advisory.as_deref().map(cell).unwrap_or_default(),
                cell(&u.reason)
            )?;
        }
        close(out)?;
    }
    if opts.show_suppressed && !report.suppressed.is_empty() {
        let mut v: Vec<_> = report.suppressed.iter().collect();
        v.sort_by(|a, b| crate::text::finding_cmp(&a.finding, &b.finding));
        open(out, &format!("{} suppressed", crate::text::plural(v.len(), "finding", "findings")))?;
        writeln!(out, "| Severity | ID | Package | Installed | By | Reason |")?;
        writeln!(out, "| --- | --- | --- | --- | --- | --- |")?;
        for s in v {
            let f = &s.finding;
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                f.severity.as_str(),
                cell(&f.id),
                code(&f.package.name),
                code(&f.package.version),
                cell(&s.by),
                cell(&s.reason)
            )?;
        }
        close(out)?;
    }
    if !report.warnings.is_empty() {
        open(out, &crate::text::plural(report.warnings.len(), "warning", "warnings"))?;
        for w in &report.warnings {
            writeln!(out, "- {}", cell(w))?;
        }
        close(out)?;
    }
    Ok(())
}

fn open(out: &mut dyn Write, summary: &str) -> io::Result<()> {
    // The blank line after <summary> makes GitHub render the Markdown inside.
    writeln!(out)?;
    writeln!(out, "<details><summary>{}</summary>", cell(summary))?;
    writeln!(out)
}

fn close(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "</details>")
}

/// Text from feeds made inert in a table cell: no Markdown or HTML, no pipes that split
/// the row, and no `@name`/`#123` that GitHub would turn into a mention or an issue link
/// (a zero-width space after the sign breaks them, as other bots do).
pub fn cell(s: &str) -> String {
    let mut out = String::new();
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' | '#' => {
                out.push(c);
                out.push_str("&#8203;");
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// An inline code span, which shows names and versions as they are and stops mentions;
/// a fence longer than any backtick run inside, and pipes escaped since GitHub splits
/// table rows before it parses code spans.
pub fn code(s: &str) -> String {
    let s = clean(s).replace('|', "\\|");
    if s.trim().is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A link destination: `web_url` has already limited it to URI characters; parentheses
/// are encoded because an unbalanced one ends the destination early.
fn link(u: &str) -> String {
    u.replace('(', "%28").replace(')', "%29")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(cell("a|b <i>@x #1"), "a\\|b &lt;i&gt;@&#8203;x #&#8203;1");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code("x|y"), "`x\\|y`");
        assert_eq!(code(""), "");
    }
}
