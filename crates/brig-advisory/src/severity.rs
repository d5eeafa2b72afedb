//! Severities: CVSS vectors scored with the `cvss` crate, and vendor ratings.
//!
//! Every parser builds its severities here so that a vector is always scored the same way
//! and a vendor's word is always kept as the vendor wrote it.

use std::str::FromStr;

use crate::{Severity, SeverityKind};

/// Base metrics every CVSS 3.x vector must carry; the `cvss` crate parses vectors that
/// lack some and scores the missing ones as zero, which would give a wrong score.
const V3_BASE: [&str; 8] = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];

/// Base metrics of CVSS 4.0: the score of a vector reduced to these is the base score
/// (CVSS-B), whatever threat or environmental metrics the vector also carries.
const V4_BASE: [&str; 11] = ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"];

/// Scores a CVSS vector: v2 (no prefix, e.g. `AV:N/AC:L/Au:N/C:P/I:P/A:P`), v3.0/v3.1
/// (`CVSS:3.x/…`) or v4.0 (`CVSS:4.0/…`). The result has the vector as given (trimmed),
/// the base score and its rating (`NONE`/`LOW`/`MEDIUM`/`HIGH`/`CRITICAL`; v2 knows only
/// `LOW`/`MEDIUM`/`HIGH`). `None` when the vector cannot be parsed.
pub fn from_cvss_vector(source: &str, vector: &str) -> Option<Severity> {
    let vector = vector.trim();
    let (kind, score) = score_vector(vector)?;
    if !score.is_finite() || !(0.0..=10.0).contains(&score) {
        return None;
    }
    let rating = match kind {
        SeverityKind::CvssV2 => v2_rating(score),
        _ => v3_rating(score),
    };
    Some(Severity {
        source: source.to_owned(),
        kind,
        vector: Some(vector.to_owned()),
        score: Some(score),
        rating: Some(rating.to_owned()),
        role: None,
    })
}

/// A severity for a CVSS vector that a feed labels as `kind`: scored when the vector
/// parses (its own version then decides the kind), else kept unscored so that the vector
/// is not lost.
pub fn cvss_or_unscored(source: &str, kind: SeverityKind, vector: &str) -> Severity {
    from_cvss_vector(source, vector).unwrap_or_else(|| Severity {
        source: source.to_owned(),
        kind,
        vector: Some(vector.trim().to_owned()).filter(|v| !v.is_empty()),
        score: None,
        rating: None,
        role: None,
    })
}

/// A vendor's own rating (Debian urgency, Ubuntu priority, GitHub severity, …), kept as
/// the vendor wrote it. `None` for an empty rating.
pub fn vendor(source: &str, rating: &str) -> Option<Severity> {
    let rating = rating.trim();
    if rating.is_empty() {
        return None;
    }
    Some(Severity {
        source: source.to_owned(),
        kind: SeverityKind::Vendor,
        vector: None,
        score: None,
        rating: Some(rating.to_owned()),
        role: None,
    })
}

fn score_vector(vector: &str) -> Option<(SeverityKind, f64)> {
    if vector.starts_with("CVSS:3.0/") || vector.starts_with("CVSS:3.1/") {
        let present: Vec<&str> = metric_names(vector).collect();
        if !V3_BASE.iter().all(|m| present.contains(m)) {
            return None;
        }
        let v = cvss::v3::Vector::from_str(vector).ok()?;
        Some((SeverityKind::CvssV3, v.base_score().value()))
    } else if let Some(rest) = vector.strip_prefix("CVSS:4.0/") {
        // Validate the whole vector first (a bad threat metric makes it invalid), then
        // score its base metrics alone.
        cvss::v4::Vector::from_str(vector).ok()?;
        let base: Vec<&str> =
            rest.split('/').filter(|c| c.split(':').next().is_some_and(|name| V4_BASE.contains(&name))).collect();
        let v = cvss::v4::Vector::from_str(&format!("CVSS:4.0/{}", base.join("/"))).ok()?;
        Some((SeverityKind::CvssV4, v.score().value()))
    } else if vector.starts_with("CVSS:") && !vector.starts_with("CVSS:2.0/") {
        None
    } else {
        // v2 has no prefix; some writers add `CVSS:2.0/` or wrap it in parentheses.
        let bare = vector.strip_prefix("CVSS:2.0/").unwrap_or(vector);
        let bare = bare.strip_prefix('(').and_then(|b| b.strip_suffix(')')).unwrap_or(bare);
        let v = cvss::v2::Vector::from_str(bare).ok()?;
        Some((SeverityKind::CvssV2, v.score().value()))
    }
}

fn metric_names(vector: &str) -> impl Iterator<Item = &str> {
    vector.split('/').skip(1).filter_map(|c| c.split(':').next())
}

/// CVSS v3/v4 qualitative rating scale.
fn v3_rating(score: f64) -> &'static str {
    if score < 0.1 {
        "NONE"
    } else if score < 4.0 {
        "LOW"
    } else if score < 7.0 {
        "MEDIUM"
    } else if score < 9.0 {
        "HIGH"
    } else {
        "CRITICAL"
    }
}

/// NVD's scale for CVSS v2 (the v2 specification defines none).
fn v2_rating(score: f64) -> &'static str {
    if score < 4.0 {
        "LOW"
    } else if score < 7.0 {
        "MEDIUM"
    } else {
        "HIGH"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(v: &str) -> (SeverityKind, f64, String) {
        let s = from_cvss_vector("t", v).unwrap_or_else(|| panic!("{v} did not score"));
        (s.kind, s.score.unwrap_or(-1.0), s.rating.unwrap_or_default())
    }

    #[test]
    fn scores_each_version() {
        assert_eq!(scored("AV:N/AC:L/Au:N/C:P/I:P/A:P"), (SeverityKind::CvssV2, 7.5, "HIGH".into()));
        assert_eq!(scored("AV:N/AC:L/Au:N/C:N/I:N/A:N"), (SeverityKind::CvssV2, 0.0, "LOW".into()));
        assert_eq!(
            scored("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            (SeverityKind::CvssV3, 9.8, "CRITICAL".into())
        );
        assert_eq!(scored("CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"), (SeverityKind::CvssV3, 7.2, "HIGH".into()));
        assert_eq!(scored("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), (SeverityKind::CvssV3, 0.0, "NONE".into()));
        assert_eq!(
            scored("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            (SeverityKind::CvssV4, 9.3, "CRITICAL".into())
        );
        // A threat metric does not change the base score.
        assert_eq!(
            scored("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U"),
            (SeverityKind::CvssV4, 9.3, "CRITICAL".into())
        );
    }

    #[test]
    fn rejects_bad_vectors() {
        for v in [
            "",
            "CVSS:3.1/AV:N",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q",
            "CVSS:5.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:4.0/AV:N",
            "AV:N/AC:L",
            "garbage",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:N",
        ] {
            assert!(from_cvss_vector("t", v).is_none(), "{v}");
        }
    }
}
