//! The matcher: for each package, the advisories naming it in its ecosystem are evaluated
//! with the ecosystem's version scheme; the advisories that affect it are merged per
//! vulnerability (through aliases, and per CVE for advisories such as DSAs that cover
//! several) into one finding each, with fix state, severity and known-exploited flag.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use brig_db::{AdvisoryMeta, AffectedHit, Db, DbError};
use brig_sbom::{Package, Sbom};
use brig_version::Scheme;
use brig_version::osv::evaluate_parsed;

use crate::query::{Query, query_for};
use crate::severity::{best_cvss, cvss_level, vendor_level};
use crate::{AdvisoryRef, Finding, FixState, Notice, PackageRef, Severity, Unchecked};

#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error("reading the vulnerability database")]
    Db(#[from] DbError),
}

/// What matching found.
#[derive(Debug, Default)]
pub struct Matches {
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    pub unchecked: Vec<Unchecked>,
    /// Packages no advisory feed covers, with the reason (reported once per reason).
    pub uncovered: Vec<String>,
}

/// How one advisory entry judged one package: kept for `explain`.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub package: PackageRef,
    pub ecosystem: String,
    pub advisory: AdvisoryMeta,
    pub hit: AffectedHit,
    pub version: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Affected {
        fixed: Option<String>,
    },
    NotAffected,
    Withdrawn,
    /// A record under a draft id that was never assigned (see [`is_placeholder_id`]).
    Placeholder,
    Unparseable(String),
}

/// RustSec numbers advisories from 0001 each year; `RUSTSEC-YYYY-0000` is the id a draft
/// carries before review assigns one. A published record under it is a leftover of an
/// advisory since renumbered (the corpus's OSV export has RUSTSEC-2025-0000 beside its
/// final RUSTSEC-2025-0065), so it is ignored like a withdrawn one, as `cargo audit`
/// (which reads the renumbered repository) never sees it.
pub fn is_placeholder_id(id: &str) -> bool {
    id.strip_prefix("RUSTSEC-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(year, number)| year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) && number == "0000")
}

pub fn package_ref(p: &Package) -> PackageRef {
    PackageRef {
        id: p.id.clone(),
        kind: p.kind.as_str().to_owned(),
        name: p.name.clone(),
        version: p.version.clone(),
        source_name: p.source_name.clone(),
        source_version: p.source_version.clone(),
        purl: p.purl.clone(),
        found_in: p.found_in.clone(),
        layer: p.layer.clone(),
    }
}

/// One affecting advisory, split per upstream CVE when it covers several.
struct Unit {
    ids: Vec<String>,
    /// The ids that make two units the same vulnerability. A unit split off a multi-CVE
    /// advisory is keyed by its CVE alone: the advisory's own id is shared by its siblings.
    keys: Vec<String>,
    advisory: AdvisoryMeta,
    /// The affected entry that matched: (advisory row, seq), for its own severities.
    entry: (i64, i64),
    fixed: Option<String>,
    status: Option<String>,
}

pub struct Matcher<'a> {
    db: &'a Db,
    metas: HashMap<i64, Option<AdvisoryMeta>>,
}

impl<'a> Matcher<'a> {
    pub fn new(db: &'a Db) -> Self {
        Matcher { db, metas: HashMap::new() }
    }

    fn meta(&mut self, rowid: i64) -> Result<Option<AdvisoryMeta>, MatchError> {
        if let Some(m) = self.metas.get(&rowid) {
            return Ok(m.clone());
        }
        let m = self.db.advisory_meta(rowid)?;
        self.metas.insert(rowid, m.clone());
        Ok(m)
    }

    /// Every advisory entry naming `pkg`, each with its verdict.
    pub fn verdicts(&mut self, pkg: &Package, query: &Query) -> Result<Vec<Verdict>, MatchError> {
        let package = package_ref(pkg);
        let installed = query.scheme.parse(&query.version);
        let mut out = Vec::new();
        for ecosystem in &query.ecosystems {
            for name in &query.names {
                for hit in self.db.affected(ecosystem, name)? {
                    let Some(advisory) = self.meta(hit.advisory)? else { continue };
                    let outcome = if advisory.withdrawn.is_some() {
                        Outcome::Withdrawn
                    } else if is_placeholder_id(&hit.advisory_id) {
                        Outcome::Placeholder
                    } else {
                        match &installed {
                            Err(e) => Outcome::Unparseable(e.to_string()),
                            Ok(v) => match evaluate_parsed(query.scheme, v, &query.version, &hit.ranges, &hit.versions)
                            {
                                Ok(e) if e.affected => Outcome::Affected { fixed: e.fixed },
                                Ok(_) => Outcome::NotAffected,
                                Err(e) => Outcome::Unparseable(e.to_string()),
                            },
                        }
                    };
                    out.push(Verdict {
                        package: package.clone(),
                        ecosystem: ecosystem.clone(),
                        advisory,
                        hit,
                        version: query.version.clone(),
                        outcome,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Matches every package of `sbom`.
    pub fn run(&mut self, sbom: &Sbom) -> Result<Matches, MatchError> {
        let mut m = Matches::default();
        let mut uncovered = BTreeSet::new();
        for pkg in &sbom.packages {
            // Files an OS package installed: that package's advisories cover them.
            if pkg.metadata.owned_by.is_some() {
                continue;
            }
            let query = match query_for(pkg, sbom.distro.as_ref()) {
                Ok(q) => q,
                Err(reason) => {
                    uncovered.insert(reason);
                    continue;
                }
            };
            let verdicts = self.verdicts(pkg, &query)?;
            self.collect(pkg, &query, verdicts, &mut m)?;
        }
        m.uncovered = uncovered.into_iter().collect();
        m.findings.sort_by(|a, b| {
            (a.package.kind.as_str(), a.package.name.as_str(), a.package.version.as_str(), a.package.found_in.as_str())
                .cmp(&(
                    b.package.kind.as_str(),
                    b.package.name.as_str(),
                    b.package.version.as_str(),
                    b.package.found_in.as_str(),
                ))
                .then(b.severity.cmp(&a.severity))
                .then(a.id.cmp(&b.id))
        });
        Ok(m)
    }

    fn collect(
        &mut self,
        pkg: &Package,
        query: &Query,
        verdicts: Vec<Verdict>,
        m: &mut Matches,
    ) -> Result<(), MatchError> {
        let package = package_ref(pkg);
        let mut units: Vec<Unit> = Vec::new();
        let mut unparseable_reported = false;
        // Whether the installed version itself is unparseable: asked only of an
        // unparseable verdict, and then the same for all of them.
        let installed_bad = std::cell::LazyCell::new(|| query.scheme.parse(&query.version).is_err());
        for v in verdicts {
            match v.outcome {
                Outcome::Affected { fixed } => {
                    if let Some(kind) = &v.advisory.informational {
                        if !m.notices.iter().any(|n| n.id == v.advisory.id && n.package.id == package.id) {
                            m.notices.push(Notice {
                                id: v.advisory.id.clone(),
                                kind: kind.clone(),
                                package: package.clone(),
                                title: v.advisory.summary.clone(),
                            });
                        }
                        continue;
                    }
                    let cves: Vec<&String> = v.advisory.upstream.iter().filter(|u| u.starts_with("CVE-")).collect();
                    if cves.len() > 1 {
                        // A DSA/DLA fixing several CVEs: one unit per CVE, each carrying the DSA.
                        for cve in cves {
                            units.push(Unit {
                                ids: vec![cve.clone(), v.advisory.id.clone()],
                                keys: vec![cve.clone()],
                                advisory: v.advisory.clone(),
                                entry: (v.hit.advisory, v.hit.seq),
                                fixed: fixed.clone(),
                                status: v.hit.status.clone(),
                            });
                        }
                    } else {
                        let mut ids = vec![v.advisory.id.clone()];
                        ids.extend(v.advisory.aliases.iter().cloned());
                        ids.extend(v.advisory.upstream.iter().cloned());
                        units.push(Unit {
                            keys: ids.clone(),
                            ids,
                            advisory: v.advisory.clone(),
                            entry: (v.hit.advisory, v.hit.seq),
                            fixed,
                            status: v.hit.status.clone(),
                        });
                    }
                }
                Outcome::NotAffected | Outcome::Withdrawn | Outcome::Placeholder => {}
                Outcome::Unparseable(reason) => {
                    // An unparseable installed version affects every advisory: say it once.
                    let installed_bad = *installed_bad;
                    if installed_bad && unparseable_reported {
                        continue;
                    }
                    unparseable_reported |= installed_bad;
                    m.unchecked.push(Unchecked {
                        package: package.clone(),
                        advisory: (!installed_bad).then(|| v.advisory.id.clone()),
                        reason,
                    });
                }
            }
        }
        for group in merge(units) {
            m.findings.push(self.finding(&package, &query.ecosystems[0], query.scheme, group)?);
        }
        Ok(())
    }

    fn finding(
        &mut self,
        package: &PackageRef,
        ecosystem: &str,
        scheme: Scheme,
        group: Vec<Unit>,
    ) -> Result<Finding, MatchError> {
        let ids: BTreeSet<String> = group.iter().flat_map(|u| u.ids.iter().cloned()).collect();
        let primary = primary_id(&ids);
        let aliases: Vec<String> = ids.iter().filter(|i| **i != primary).cloned().collect();
        // To be rid of the vulnerability the package needs the highest fix any advisory
        // names; without a fix, a distribution's refusal outranks "not yet".
        let fixes: Vec<&String> = group.iter().filter_map(|u| u.fixed.as_ref()).collect();
        let fixed_version = fixes.iter().copied().cloned().reduce(|a, b| match scheme.compare(&a, &b) {
            Ok(std::cmp::Ordering::Less) => b,
            _ => a,
        });
        let state = if fixed_version.is_some() {
            FixState::Fixed
        } else if group.iter().any(|u| matches!(u.status.as_deref(), Some("will_not_fix") | Some("end_of_life"))) {
            FixState::WontFix
        } else {
            FixState::NotFixed
        };
        let mut advisories: Vec<AdvisoryRef> = Vec::new();
        for u in &group {
            if !advisories.iter().any(|a| a.id == u.advisory.id && a.source == u.advisory.source) {
                advisories.push(AdvisoryRef {
                    id: u.advisory.id.clone(),
                    source: u.advisory.source.clone(),
                    fixed_version: u.fixed.clone(),
                });
            }
        }
        advisories.sort_by(|a, b| (&a.id, &a.source).cmp(&(&b.id, &b.source)));

        // Severity: vendor ratings, the advisories' CVSS, then NVD's CVSS for the CVEs.
        // An advisory rates the vulnerability as a whole, or per affected package (the
        // Debian tracker's urgency, Ubuntu's priority): both count as its own rating.
        let mut rated = Vec::new();
        for a in &advisories {
            rated.extend(
                self.db.severities(&a.id)?.into_iter().filter(|(origin, _)| *origin == a.source).map(|(_, s)| s),
            );
        }
        for u in &group {
            rated.extend(self.db.affected_severities(u.entry.0, u.entry.1)?);
        }
        let mut vendor: Option<(Severity, String)> = None;
        let mut own = Vec::new();
        for s in rated {
            if s.kind == brig_advisory::SeverityKind::Vendor {
                if let Some(level) = s.rating.as_deref().and_then(vendor_level)
                    && vendor.as_ref().is_none_or(|(v, _)| level > *v)
                {
                    vendor = Some((level, s.source.clone()));
                }
            } else {
                own.push(s);
            }
        }
        let mut nvd = Vec::new();
        let mut cwes: BTreeSet<String> = BTreeSet::new();
        let mut known_exploited = false;
        let mut nvd_description = None;
        for id in ids.iter().filter(|i| i.starts_with("CVE-")) {
            nvd.extend(self.db.severities(id)?.into_iter().filter(|(o, _)| o.starts_with("nvd")).map(|(_, s)| s));
            cwes.extend(self.db.cwes_of(id)?);
            known_exploited |= self.db.kev(id)?.is_some();
            if nvd_description.is_none() {
                nvd_description = self.db.nvd_description(id)?;
            }
        }
        for a in &advisories {
            cwes.extend(self.db.cwes_of(&a.id)?);
        }
        let cvss = best_cvss(own.iter()).or_else(|| best_cvss(nvd.iter()));
        let (severity, severity_source) = match (&vendor, &cvss) {
            (Some((level, source)), _) => (*level, Some(source.clone())),
            (None, Some(c)) => (cvss_level(&c.version, c.score), Some(c.source.clone())),
            (None, None) => (Severity::Unknown, None),
        };
        let title = group
            .iter()
            .find_map(|u| u.advisory.summary.clone())
            .or_else(|| nvd_description.map(|d| first_sentence(&d)));
        let mut references: Vec<String> = Vec::new();
        for u in &group {
            for r in &u.advisory.references {
                if !references.contains(&r.url) && references.len() < 12 {
                    references.push(r.url.clone());
                }
            }
        }
        Ok(Finding {
            id: primary,
            aliases,
            package: package.clone(),
            ecosystem: ecosystem.to_owned(),
            state,
            fixed_version,
            severity,
            severity_source,
            cvss,
            known_exploited,
            title,
            cwes: cwes.into_iter().collect(),
            advisories,
            references,
        })
    }
}

/// The id a finding is known by: its CVE, else GitHub's id, else the first id.
fn primary_id(ids: &BTreeSet<String>) -> String {
    ids.iter()
        .find(|i| i.starts_with("CVE-"))
        .or_else(|| ids.iter().find(|i| i.starts_with("GHSA-")))
        .or_else(|| ids.iter().next())
        .cloned()
        .unwrap_or_default()
}

fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map(|i| i + 1).unwrap_or(text.len());
    let s = &text[..end];
    if s.chars().count() > 160 { format!("{}…", s.chars().take(159).collect::<String>()) } else { s.to_owned() }
}

/// Groups units that share any id (union-find over ids).
fn merge(units: Vec<Unit>) -> Vec<Vec<Unit>> {
    let mut parent: Vec<usize> = (0..units.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        for id in &u.keys {
            match owner.get(id.as_str()) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a] = b;
                    }
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let roots: Vec<usize> = (0..units.len()).map(|i| find(&mut parent, i)).collect();
    let mut groups: BTreeMap<usize, Vec<Unit>> = BTreeMap::new();
    for (u, root) in units.into_iter().zip(roots) {
        groups.entry(root).or_default().push(u);
    }
    groups.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::is_placeholder_id;

    #[test]
    fn placeholder_ids_are_only_rustsec_number_zero() {
        for id in ["RUSTSEC-2025-0000", "RUSTSEC-0000-0000"] {
            assert!(is_placeholder_id(id), "{id}");
        }
        for id in [
            "RUSTSEC-2025-0065",
            "RUSTSEC-2025-00000",
            "RUSTSEC-25-0000",
            "GHSA-0000-0000-0000",
            "CVE-2025-0000",
            "RUSTSEC-2025",
        ] {
            assert!(!is_placeholder_id(id), "{id}");
        }
    }
}
