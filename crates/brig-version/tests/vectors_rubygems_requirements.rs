//! `rubygems-requirements.tsv`: `Gem::Requirement.new(*reqs).satisfied_by?(Gem::Version.new(v))`.

mod common;

use brig_version::rubygems::{GemRequirement, GemVersion};
use common::{Report, cases};
use proptest::prelude::*;

#[test]
fn rubygems_requirement_vectors() {
    let all = cases("rubygems-requirements.tsv");
    // The README: the last 7 lines are `assert_approximate_satisfies_itself` cases, whose
    // requirement is the version's own `approximate_recommendation`.
    let approximate_from = all.len().saturating_sub(7);
    let mut report = Report::new("rubygems-requirements.tsv");
    for (i, case) in all.iter().enumerate() {
        let requirement = case.get(1);
        // A requirement list was written joined by ", ": split it back into its strings.
        let parts: Vec<&str> = requirement.split(", ").collect();
        let expected = case.bool(2);
        let version = GemVersion::parse(case.get(0));
        let parsed = GemRequirement::new(&parts);
        let got = match (&version, &parsed) {
            (Ok(v), Ok(r)) => Some(r.satisfied_by(v)),
            _ => None,
        };
        let recommendation = version.as_ref().ok().map(GemVersion::approximate_recommendation);
        let recommended_ok = i < approximate_from || recommendation.as_deref() == Some(requirement);
        report.check(case, got == Some(expected) && recommended_ok, || {
            format!("got {got:?}, recommendation {recommendation:?} ({version:?}, {parsed:?})")
        });
    }
    report.finish(126);
}

proptest! {
    #[test]
    fn requirement_parse_never_panics(s in ".*", v in ".*") {
        if let (Ok(r), Ok(v)) = (GemRequirement::parse(&s), GemVersion::parse(&v)) {
            let _ = r.satisfied_by(&v);
        }
    }

    #[test]
    fn requirement_parse_never_panics_on_realistic_input(
        op in prop::sample::select(vec!["", "=", "!=", ">", "<", ">=", "<=", "~>", "~", "=>"]),
        sp in prop::sample::select(vec!["", " ", "  ", "\t", "\n"]),
        ver in "[0-9]{1,3}(\\.[0-9a-z]{1,3}){0,3}(-[a-z0-9.]{1,4})?",
        v in "[0-9]{1,2}(\\.[0-9a-z]{1,2}){0,3}",
    ) {
        let text = format!("{sp}{op}{sp}{ver}{sp}");
        if let (Ok(r), Ok(v)) = (GemRequirement::parse(&text), GemVersion::parse(&v)) {
            let _ = r.satisfied_by(&v);
        }
    }
}
