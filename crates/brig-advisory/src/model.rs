//! What every feed is turned into. Feed parsers produce these; the store keeps them.
//!
//! Fields mirror the OSV schema, which most feeds are (or are converted to); the
//! distribution feeds fill the same shape. Every severity keeps who rated it, so a vendor
//! rating is never overwritten by NVD's.

use std::collections::BTreeMap;

pub use brig_version::osv::{Event, Range, RangeKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One advisory: an OSV record, a DSA/DLA, a secdb entry, a tracker CVE.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Advisory {
    /// `GHSA-…`, `PYSEC-…`, `DSA-5380-1`, `CVE-2023-1234`, …
    pub id: String,
    /// Other ids of the same vulnerability (OSV `aliases`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Ids this advisory derives from (OSV `upstream`: a DSA's CVEs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// RFC 3339 timestamps as the feed gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Withdrawn advisories are kept (with this set) so that `explain` can say why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severities: Vec<Severity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<Affected>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// `CWE-79`, …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwes: Vec<String>,
    /// Set for advisories that are not vulnerabilities: RustSec `unmaintained`, `unsound`,
    /// `notice`; OSV `database_specific.informational`. Reported as warnings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub informational: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SeverityKind {
    CvssV2,
    CvssV3,
    CvssV4,
    /// A distribution's or ecosystem's own rating (Debian urgency, Ubuntu priority,
    /// GitHub's severity, …) in `rating`.
    Vendor,
}

impl SeverityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SeverityKind::CvssV2 => "CVSS_V2",
            SeverityKind::CvssV3 => "CVSS_V3",
            SeverityKind::CvssV4 => "CVSS_V4",
            SeverityKind::Vendor => "VENDOR",
        }
    }
}

/// A severity and who gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Severity {
    /// Who rated: `nvd@nist.gov`, a CNA's address, `ghsa`, `debian`, `ubuntu`, `osv:PyPI`…
    pub source: String,
    pub kind: SeverityKind,
    /// The CVSS vector (`CVSS:3.1/AV:N/…`), when a CVSS severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
    /// The base score: from the feed, else computed from the vector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// `LOW`/`MEDIUM`/`HIGH`/`CRITICAL` for CVSS; the vendor's word for vendor ratings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
    /// NVD's `Primary`/`Secondary`, when the feed says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// One affected package of an advisory.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Affected {
    /// OSV ecosystem, with release: `Debian:11`, `Alpine:v3.18`, `PyPI`.
    pub ecosystem: String,
    /// The package name as published (Debian/Alpine: the source package).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severities: Vec<Severity>,
    /// What the feed says about the fix state when it is not a plain range:
    /// `not_fixed` (open, no fix yet), `will_not_fix` (the distribution declines),
    /// `end_of_life`. `None` for ordinary ranges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// OSV `ecosystem_specific` and `database_specific`, kept for `explain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// OSV reference type (`ADVISORY`, `FIX`, `WEB`, …).
    pub kind: String,
    pub url: String,
}

/// A CISA Known Exploited Vulnerabilities catalog entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KevEntry {
    pub cve: String,
    pub vendor: String,
    pub product: String,
    pub name: String,
    pub date_added: String,
    /// CISA's one-line description.
    pub description: Option<String>,
    pub due_date: Option<String>,
    pub required_action: Option<String>,
    /// `Known` or `Unknown`: known use in ransomware campaigns.
    pub ransomware: Option<String>,
    pub notes: Option<String>,
    pub cwes: Vec<String>,
}

/// An NVD CVE record: used to enrich CVEs with CVSS vectors and CWE ids.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NvdCve {
    pub id: String,
    pub published: Option<String>,
    pub last_modified: Option<String>,
    /// `Analyzed`, `Awaiting Analysis`, `Rejected`, …
    pub status: Option<String>,
    /// CVE tags (`disputed`, `unsupported-when-assigned`, …).
    #[serde(default)]
    pub tags: Vec<String>,
    /// The English description.
    pub description: Option<String>,
    pub severities: Vec<Severity>,
    pub cwes: Vec<String>,
    pub references: Vec<Reference>,
}

/// What a feed parser yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Advisory(Advisory),
    Kev(KevEntry),
    Nvd(NvdCve),
}

/// What parsing one feed file gave: how many records, how many were skipped (and why,
/// for the first few), and the feed's own counts (`packages`, `secfixes`, …) that the
/// corpus README lists.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FeedStats {
    pub records: u64,
    pub skipped: u64,
    /// Up to `MAX_SKIP_REASONS` messages naming the skipped record and the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skip_reasons: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<String, u64>,
}

pub const MAX_SKIP_REASONS: usize = 20;

impl FeedStats {
    pub fn skip(&mut self, reason: impl Into<String>) {
        self.skipped += 1;
        if self.skip_reasons.len() < MAX_SKIP_REASONS {
            self.skip_reasons.push(reason.into());
        }
    }

    pub fn count(&mut self, key: &str, n: u64) {
        *self.counts.entry(key.to_owned()).or_default() += n;
    }
}

/// A whole feed file that cannot be read (not a zip, not JSON, wrong shape). A single bad
/// record is never this: it is skipped and counted in `FeedStats`.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{what}: {reason}")]
    Malformed { what: String, reason: String },
}

impl FeedError {
    pub fn malformed(what: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        FeedError::Malformed { what: what.into(), reason: reason.to_string() }
    }
}
