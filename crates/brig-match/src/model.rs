//! The result of a scan: findings people can act on, and everything else the scan
//! learned (warnings, versions it could not compare, what was suppressed and why).
//! `brig scan --format json` prints this as it is (schema `brig.scan/v1`).

use serde::{Deserialize, Serialize};

pub const SCHEMA: &str = "brig.scan/v1";

/// Severity levels, lowest first; `Unknown` when nothing rates the vulnerability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Unknown,
    Negligible,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 6] =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Negligible, Severity::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "unknown",
            Severity::Negligible => "negligible",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "unknown" => Severity::Unknown,
            "negligible" => Severity::Negligible,
            "low" => Severity::Low,
            "medium" | "moderate" => Severity::Medium,
            "high" | "important" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
}

/// Whether and how the vulnerability is fixed for this package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FixState {
    /// A fixed version exists (`fixed_version`).
    Fixed,
    /// No fix yet.
    NotFixed,
    /// The distribution declines to fix (Debian `<no-dsa>`/ignored, end of life, …).
    WontFix,
}

/// The package a finding is about: the binary package as installed, with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackageRef {
    /// The package's id in the SBOM.
    pub id: String,
    /// `deb`, `apk`, `rpm`, `pypi`, `npm`, …
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    pub purl: String,
    pub found_in: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<brig_sbom::LayerRef>,
}

/// The CVSS data a severity came from, or that accompanies a vendor rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    /// `2.0`, `3.0`, `3.1`, `4.0`.
    pub version: String,
    pub vector: String,
    pub score: f64,
    /// Who computed it: an advisory's feed, `nvd@nist.gov`, a CNA.
    pub source: String,
}

/// One advisory that contributed to a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisoryRef {
    pub id: String,
    /// The feed it came from (`osv/PyPI/all.zip`, `debian/DSA-list`, …).
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_version: Option<String>,
}

/// One vulnerability in one package. Advisories that alias each other are merged: `id`
/// is the CVE when there is one, `aliases` the other ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub package: PackageRef,
    /// The ecosystem the package was matched in (`Debian:11`, `PyPI`).
    pub ecosystem: String,
    pub state: FixState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_version: Option<String>,
    pub severity: Severity,
    /// Who gave the severity: a distribution (`debian`), an ecosystem database (`ghsa`),
    /// a CVSS source (`nvd@nist.gov`, an advisory's feed); absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<Cvss>,
    pub known_exploited: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwes: Vec<String>,
    pub advisories: Vec<AdvisoryRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// An informational advisory (RustSec `unmaintained`/`unsound`/`notice`): reported as a
/// warning, apart from vulnerabilities, as `cargo audit` does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub id: String,
    /// `unmaintained`, `unsound`, `notice`, …
    pub kind: String,
    pub package: PackageRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A package version (or an advisory's range version) that the ecosystem's scheme could
/// not parse: the package could not be checked, which is said, never hidden.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unchecked {
    pub package: PackageRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory: Option<String>,
    pub reason: String,
}

/// A finding kept out of the report by an ignore entry or a VEX statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suppressed {
    pub finding: Finding,
    /// `ignore-file`, `vex`.
    pub by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbInfo {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub built_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanReport {
    pub schema: String,
    pub tool: brig_sbom::Tool,
    pub source: brig_sbom::SourceInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distro: Option<brig_sbom::Distro>,
    pub database: DbInfo,
    /// Packages scanned.
    pub packages: usize,
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Notice>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unchecked: Vec<Unchecked>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressed: Vec<Suppressed>,
    /// Problems that did not stop the scan (from cataloging, expired ignore entries…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl ScanReport {
    /// Findings per severity, highest first (for summary lines).
    pub fn counts(&self) -> Vec<(Severity, usize)> {
        Severity::ALL.iter().map(|s| (*s, self.findings.iter().filter(|f| f.severity == *s).count())).collect()
    }
}
