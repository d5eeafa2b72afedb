//! Helpers shared by the writers: canonical orders, summary counts, text clean-up, and
//! the checks that keep URLs and paths valid where a schema constrains them.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use brig_match::{Cvss, Finding, FixState, PackageRef, ScanReport, Severity};

/// Packages by name first: that is how a reader looks one up in a long list.
pub fn package_cmp(a: &PackageRef, b: &PackageRef) -> Ordering {
    (&a.name, &a.version, &a.kind, &a.found_in, &a.id).cmp(&(&b.name, &b.version, &b.kind, &b.found_in, &b.id))
}

/// Worst first, then by id and package, so that equal reports print identically whatever
/// order matching produced them in.
pub fn finding_cmp(a: &Finding, b: &Finding) -> Ordering {
    b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id)).then_with(|| package_cmp(&a.package, &b.package))
}

pub fn sorted(findings: &[Finding]) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = findings.iter().collect();
    v.sort_by(|a, b| finding_cmp(a, b));
    v
}

/// The name a person knows the scanned thing by.
pub fn target(report: &ScanReport) -> &str {
    report.source.name.as_deref().unwrap_or(&report.source.target)
}

/// `1 vulnerability` / `2 vulnerabilities`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `N vulnerabilities (C critical, H high, M medium, L low, U unknown) in P packages`.
/// Negligible is listed only when present: few distributions use it, and a constant
/// `0 negligible` would be noise, but the counts must add up to N.
pub fn summary(findings: &[Finding]) -> String {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let mut parts = Vec::new();
    for s in Severity::ALL {
        let n = count(s);
        if s != Severity::Negligible || n > 0 {
            parts.push(format!("{n} {}", s.as_str()));
        }
    }
    let packages: BTreeSet<&str> = findings.iter().map(|f| f.package.id.as_str()).collect();
    format!(
        "{} ({}) in {}",
        plural(findings.len(), "vulnerability", "vulnerabilities"),
        parts.join(", "),
        plural(packages.len(), "package", "packages")
    )
}

/// `1 notice, 2 unchecked, 1 suppressed`, or `None` when all are zero.
pub fn side_counts(report: &ScanReport) -> Option<String> {
    let (n, u, s) = (report.notices.len(), report.unchecked.len(), report.suppressed.len());
    if n + u + s == 0 {
        return None;
    }
    Some(format!("{}, {u} unchecked, {s} suppressed", plural(n, "notice", "notices")))
}

/// What to do about a finding, in a few words.
pub fn fix_text(f: &Finding) -> String {
    match (f.state, &f.fixed_version) {
        (FixState::Fixed, Some(v)) => format!("fixed in {v}"),
        (FixState::Fixed, None) => "fixed".to_owned(),
        (FixState::NotFixed, _) => "not fixed".to_owned(),
        (FixState::WontFix, _) => "won't fix".to_owned(),
    }
}

/// Control characters (newlines, tabs, terminal escapes) from advisory text become
/// spaces: a feed must not be able to break a table row or drive the terminal.
pub fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// `clean`, with runs of whitespace folded into one space and none at the ends: for
/// prose (titles, reasons, commands) shown on one line.
pub fn one_line(s: &str) -> String {
    clean(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, the last one an ellipsis when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// `#3 0123456789ab RUN apt-get …`: the layer that introduced a package.
pub fn layer_text(p: &PackageRef, created_by_max: usize) -> String {
    let Some(l) = &p.layer else { return String::new() };
    let mut s = format!("#{}", l.index);
    if let Some(d) = &l.diff_id {
        let hex = d.split_once(':').map_or(d.as_str(), |(_, h)| h);
        s.push(' ');
        s.extend(hex.chars().take(12));
    }
    if let Some(c) = &l.created_by {
        s.push(' ');
        s.push_str(&truncate(&one_line(c), created_by_max));
    }
    s
}

/// The severity band CVSS itself gives a score (CVSS v2 has no critical band), as the
/// matcher rates it; `None` for a score of 0.0 (CVSS's "none") or outside 0–10.
pub fn cvss_severity(c: &Cvss) -> Option<Severity> {
    (c.score > 0.0 && c.score <= 10.0).then(|| brig_match::cvss_level(&c.version, c.score))
}

/// The URL when it is an absolute http(s) URL made only of characters RFC 3986 allows
/// outside a host, else `None`: SARIF's `helpUri` and CycloneDX's advisory `url` are
/// schema-checked, and a reference from a feed is sometimes prose or a bare domain.
pub fn web_url(s: &str) -> Option<&str> {
    let s = s.trim();
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"))?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if host_end == 0 {
        return None;
    }
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return None;
            }
        } else if !(b.is_ascii_alphanumeric() || b"-._~:/?#@!$&'()*+,;=".contains(&b)) {
            return None;
        }
    }
    Some(s)
}

/// A path inside the image as a relative URI reference: no leading `/` (GitHub resolves
/// locations against the repository root and rejects absolute paths), and every byte
/// outside the unreserved set, sub-delimiters, `@` and `/` percent-encoded. `:` is encoded
/// too, so that a first segment can never read as a URI scheme.
pub fn relative_uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.trim_start_matches('/').bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(web_url("https://example.org/a?b=c#d"), Some("https://example.org/a?b=c#d"));
        assert_eq!(web_url(" http://x.org/%41 "), Some("http://x.org/%41"));
        assert_eq!(web_url("https://x.org/a b"), None);
        assert_eq!(web_url("https://x.org/%4"), None);
        assert_eq!(web_url("https:///path"), None);
        assert_eq!(web_url("example.org"), None);
        assert_eq!(web_url("ftp://example.org"), None);
        assert_eq!(web_url("https://x.org/<script>"), None);
    }

    #[test]
    fn relative_uris() {
        assert_eq!(relative_uri("/var/lib/dpkg/status"), "var/lib/dpkg/status");
        assert_eq!(relative_uri("/a b/c:d/ü%"), "a%20b/c%3Ad/%C3%BC%25");
    }

    #[test]
    fn truncation_and_cleaning() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(clean("a\nb\x1b[31m"), "a b [31m");
        assert_eq!(one_line(" a\n\tb  c "), "a b c");
    }

    #[test]
    fn cvss_bands() {
        let c = |version: &str, score: f64| Cvss {
            version: version.into(),
            vector: String::new(),
            score,
            source: "x".into(),
        };
        assert_eq!(cvss_severity(&c("3.1", 9.8)), Some(Severity::Critical));
        assert_eq!(cvss_severity(&c("2.0", 9.8)), Some(Severity::High));
        assert_eq!(cvss_severity(&c("3.1", 6.9)), Some(Severity::Medium));
        assert_eq!(cvss_severity(&c("3.1", 0.0)), None);
        assert_eq!(cvss_severity(&c("3.1", f64::NAN)), None);
        assert_eq!(cvss_severity(&c("3.1", 10.5)), None);
        assert_eq!(cvss_severity(&c("3.1", 0.1)), Some(Severity::Low));
        assert_eq!(cvss_severity(&c("2.0", 0.1)), Some(Severity::Low));
    }
}
