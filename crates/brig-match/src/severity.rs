//! Which severity a finding gets, and who gave it: the distribution's or ecosystem's own
//! rating when a feed has one; else the best CVSS vector (the advisories' own, then
//! NVD's; v4 > v3.1 > v3.0 > v2); else unknown.

use brig_advisory::{Severity as Rated, SeverityKind};

use crate::{Cvss, Severity};

/// A vendor's word as a level. Debian urgencies, Ubuntu priorities and GitHub's ratings
/// are all covered; an unassigned rating is no rating.
pub fn vendor_level(rating: &str) -> Option<Severity> {
    match rating.trim().to_ascii_lowercase().as_str() {
        "unimportant" | "negligible" => Some(Severity::Negligible),
        "not yet assigned" | "" | "unknown" => None,
        other => Severity::parse(other),
    }
}

/// CVSS version from the vector (`CVSS:3.1/…`); v2 vectors have no prefix.
pub fn cvss_version(vector: &str) -> &'static str {
    if vector.starts_with("CVSS:4.0/") {
        "4.0"
    } else if vector.starts_with("CVSS:3.1/") {
        "3.1"
    } else if vector.starts_with("CVSS:3.0/") {
        "3.0"
    } else {
        "2.0"
    }
}

fn version_rank(v: &str) -> u8 {
    match v {
        "4.0" => 4,
        "3.1" => 3,
        "3.0" => 2,
        _ => 1,
    }
}

/// The level of a CVSS score, by the rating scale of its version (`2.0`: low, medium,
/// high; later versions add critical, and none for 0.0, here negligible).
pub fn cvss_level(version: &str, score: f64) -> Severity {
    if version.starts_with('2') {
        return match score {
            s if s >= 7.0 => Severity::High,
            s if s >= 4.0 => Severity::Medium,
            _ => Severity::Low,
        };
    }
    match score {
        s if s >= 9.0 => Severity::Critical,
        s if s >= 7.0 => Severity::High,
        s if s >= 4.0 => Severity::Medium,
        s if s > 0.0 => Severity::Low,
        _ => Severity::Negligible,
    }
}

/// The best CVSS among `rated`: newest version, then the primary source (NVD's own over
/// a CNA's), then the highest score.
pub fn best_cvss<'a>(rated: impl Iterator<Item = &'a Rated>) -> Option<Cvss> {
    rated
        .filter(|r| matches!(r.kind, SeverityKind::CvssV2 | SeverityKind::CvssV3 | SeverityKind::CvssV4))
        .filter_map(|r| {
            let vector = r.vector.clone()?;
            let score = r.score?;
            Some((version_rank(cvss_version(&vector)), r.role.as_deref() != Some("Secondary"), score, r, vector))
        })
        .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)))
        .map(|(_, _, score, r, vector)| Cvss {
            version: cvss_version(&vector).to_owned(),
            vector,
            score,
            source: r.source.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cvss(vector: &str, score: f64, role: Option<&str>, source: &str) -> Rated {
        Rated {
            source: source.into(),
            kind: if vector.starts_with("CVSS:4") {
                SeverityKind::CvssV4
            } else if vector.starts_with("CVSS:3") {
                SeverityKind::CvssV3
            } else {
                SeverityKind::CvssV2
            },
            vector: Some(vector.into()),
            score: Some(score),
            rating: None,
            role: role.map(Into::into),
        }
    }

    #[test]
    fn newest_version_then_primary_source_wins() {
        let all = [
            cvss("AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, Some("Primary"), "nvd@nist.gov"),
            cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, Some("Secondary"), "cna@x"),
            cvss("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9, Some("Primary"), "nvd@nist.gov"),
            cvss("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, Some("Primary"), "nvd@nist.gov"),
        ];
        let best = best_cvss(all.iter()).unwrap();
        assert_eq!((best.version.as_str(), best.score, best.source.as_str()), ("3.1", 5.9, "nvd@nist.gov"));
        assert_eq!(best_cvss(all[..1].iter()).unwrap().version, "2.0");
    }

    #[test]
    fn levels() {
        assert_eq!(cvss_level("3.1", 9.8), Severity::Critical);
        assert_eq!(cvss_level("2.0", 9.8), Severity::High, "v2 has no critical");
        assert_eq!(cvss_level("4.0", 0.0), Severity::Negligible);
        assert_eq!(vendor_level("MODERATE"), Some(Severity::Medium));
        assert_eq!(vendor_level("unimportant"), Some(Severity::Negligible));
        assert_eq!(vendor_level("not yet assigned"), None);
    }
}
