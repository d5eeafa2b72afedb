//! `brig explain ID TARGET`: why a vulnerability was or was not reported. For every
//! package an advisory of the vulnerability names: where the package is, the version
//! compared and how, each advisory's ranges with the comparison against each bound, the
//! outcome, and whether a suppression applies.

use std::fmt::Write as _;

use anyhow::Result;
use brig_advisory::{Event, RangeKind};
use brig_match::{Matcher, Outcome, Verdict, query_for};

use crate::cli::{ExplainArgs, Global};

fn same_vulnerability(v: &Verdict, id: &str) -> bool {
    let eq = |x: &String| x.eq_ignore_ascii_case(id);
    eq(&v.advisory.id) || v.advisory.aliases.iter().any(eq) || v.advisory.upstream.iter().any(eq)
}

fn describe_bound(scheme: brig_version::Scheme, kind: RangeKind, version: &str, bound: &str) -> String {
    if bound == "0" || bound == "*" || kind == RangeKind::Git {
        return String::new();
    }
    match scheme.compare(version, bound) {
        Ok(std::cmp::Ordering::Less) => format!(" (installed {version} < {bound})"),
        Ok(std::cmp::Ordering::Equal) => format!(" (installed {version} = {bound})"),
        Ok(std::cmp::Ordering::Greater) => format!(" (installed {version} > {bound})"),
        Err(e) => format!(" (cannot compare: {e})"),
    }
}

pub fn run(g: &Global, args: &ExplainArgs) -> Result<()> {
    let id = args.id.trim();
    let policy = crate::scan_cmd::load_policy(args.ignore_file.as_deref(), &args.vex)?;
    let sbom = crate::sbom_cmd::load(g, &args.target, &args.image, true)?;
    let db = crate::scan_cmd::open_db(g, &sbom)?;
    let mut out = String::new();
    let known: Vec<i64> =
        db.advisories_by_id(id)?.into_iter().map(|(r, _)| r).chain(db.advisories_with_alias(id)?).collect();
    let _ = writeln!(out, "{id}");
    if known.is_empty() {
        let _ =
            writeln!(out, "  not in the vulnerability database ({}): no feed brig reads names it", db.path().display());
        print!("{out}");
        return Ok(());
    }
    let mut names = Vec::new();
    for r in &known {
        if let Some(m) = db.advisory_meta(*r)? {
            let n = format!("{} ({})", m.id, m.source);
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    let _ = writeln!(out, "  advisories: {}", names.join(", "));

    let mut matcher = Matcher::new(&db);
    let mut any = false;
    for pkg in &sbom.packages {
        let Ok(query) = query_for(pkg, sbom.distro.as_ref()) else { continue };
        let verdicts: Vec<Verdict> =
            matcher.verdicts(pkg, &query)?.into_iter().filter(|v| same_vulnerability(v, id)).collect();
        if verdicts.is_empty() {
            continue;
        }
        any = true;
        let layer = pkg
            .layer
            .as_ref()
            .map(|l| {
                format!(
                    ", layer {} {}{}",
                    l.index,
                    l.diff_id.as_deref().unwrap_or(""),
                    l.created_by
                        .as_deref()
                        .map(|c| format!(" ({})", c.chars().take(80).collect::<String>()))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n  package {} {} ({}) from {}{layer}",
            pkg.name,
            pkg.version,
            pkg.kind.as_str(),
            pkg.found_in
        );
        let _ = writeln!(
            out,
            "    looked up as {} in {}; version {} compared by {} rules",
            query.names.join(" / "),
            query.ecosystems.join(" / "),
            query.version,
            query.scheme.name()
        );
        let mut affected = false;
        for v in &verdicts {
            let _ = writeln!(out, "    {} ({}):", v.advisory.id, v.advisory.source);
            for r in &v.hit.ranges {
                let kind = match r.kind {
                    RangeKind::Ecosystem => "ECOSYSTEM",
                    RangeKind::Semver => "SEMVER",
                    RangeKind::Git => "GIT (commits; not comparable with versions)",
                };
                let events: Vec<String> = r
                    .events
                    .iter()
                    .map(|e| {
                        let (what, b) = match e {
                            Event::Introduced(b) => ("introduced", b),
                            Event::Fixed(b) => ("fixed", b),
                            Event::LastAffected(b) => ("last affected", b),
                            Event::Limit(b) => ("limit", b),
                        };
                        format!("{what} {b}{}", describe_bound(query.scheme, r.kind, &v.version, b))
                    })
                    .collect();
                let _ = writeln!(out, "      range {kind}: {}", events.join(", "));
            }
            if !v.hit.versions.is_empty() {
                let listed = v.hit.versions.iter().any(|x| x == &v.version);
                let _ = writeln!(
                    out,
                    "      lists {} affected versions; {} is {}listed",
                    v.hit.versions.len(),
                    v.version,
                    if listed { "" } else { "not " }
                );
            }
            if let Some(s) = &v.hit.status {
                let _ = writeln!(out, "      fix state: {s}");
            }
            let verdict = match &v.outcome {
                Outcome::Affected { fixed: Some(f) } => {
                    affected = true;
                    format!("AFFECTED (fixed in {f})")
                }
                Outcome::Affected { fixed: None } => {
                    affected = true;
                    "AFFECTED (no fixed version)".to_owned()
                }
                Outcome::NotAffected => "not affected".to_owned(),
                Outcome::Withdrawn => format!("withdrawn {}: ignored", v.advisory.withdrawn.as_deref().unwrap_or("")),
                Outcome::Placeholder => "a draft's unassigned id (the advisory was renumbered): ignored".to_owned(),
                Outcome::Unparseable(e) => format!("cannot be checked: {e}"),
            };
            let _ = writeln!(out, "      => {verdict}");
            if let Some(kind) = &v.advisory.informational {
                let _ = writeln!(out, "      informational ({kind}): reported as a notice, not a vulnerability");
            }
        }
        let owner = pkg.metadata.owned_by.as_ref().map(|o| {
            sbom.packages
                .iter()
                .find(|p| p.id == *o)
                .map(|p| format!("{} {}", p.name, p.version))
                .unwrap_or_else(|| o.clone())
        });
        let reported = if let Some(owner) = owner {
            format!(
                "not reported for this package: its files belong to the OS package {owner}, whose own advisories cover them"
            )
        } else if affected {
            let f = brig_match::Finding {
                id: id.to_owned(),
                aliases: verdicts
                    .iter()
                    .flat_map(|v| v.advisory.aliases.iter().chain([&v.advisory.id]).cloned())
                    .collect(),
                package: verdicts[0].package.clone(),
                ecosystem: query.ecosystems[0].clone(),
                state: brig_match::FixState::NotFixed,
                fixed_version: None,
                severity: brig_match::Severity::Unknown,
                severity_source: None,
                cvss: None,
                known_exploited: false,
                title: None,
                cwes: Vec::new(),
                advisories: Vec::new(),
                references: Vec::new(),
            };
            match policy.suppression(&f, &crate::scan_cmd::today()) {
                Some((by, reason)) => format!("affected, but suppressed by {by}: {reason}"),
                None => "REPORTED".to_owned(),
            }
        } else {
            "not reported: no advisory finds this version affected".to_owned()
        };
        let _ = writeln!(out, "    result: {reported}");
    }
    if !any {
        let mut targets = Vec::new();
        for r in &known {
            if let Some((_, adv)) = db.advisory(*r)? {
                for a in adv.affected {
                    let t = format!("{} {}", a.ecosystem, a.name);
                    if !targets.contains(&t) {
                        targets.push(t);
                    }
                }
            }
        }
        let _ = writeln!(
            out,
            "\n  no package of {} is named by these advisories (they name: {})",
            args.target,
            if targets.is_empty() { "no package".to_owned() } else { targets.join(", ") }
        );
    }
    print!("{out}");
    Ok(())
}
