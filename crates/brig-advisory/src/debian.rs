//! The Debian security tracker: its advisory lists (`data/DSA/list`, `data/DLA/list`) and
//! its JSON export (`https://security-tracker.debian.org/tracker/data/json`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::json_stream;
use crate::json_stream::get::{self, Obj};
use crate::{Advisory, Affected, Event, FeedError, FeedStats, Range, RangeKind, Record, Reference, severity};

const TRACKER: &str = "https://security-tracker.debian.org/tracker/";

/// Release codename to the version number used in OSV ecosystems (`Debian:11`); releases
/// before wheezy were numbered with a minor part.
const RELEASES: [(&str, &str); 20] = [
    ("buzz", "1.1"),
    ("rex", "1.2"),
    ("bo", "1.3"),
    ("hamm", "2.0"),
    ("slink", "2.1"),
    ("potato", "2.2"),
    ("woody", "3.0"),
    ("sarge", "3.1"),
    ("etch", "4.0"),
    ("lenny", "5.0"),
    ("squeeze", "6.0"),
    ("wheezy", "7"),
    ("jessie", "8"),
    ("stretch", "9"),
    ("buster", "10"),
    ("bullseye", "11"),
    ("bookworm", "12"),
    ("trixie", "13"),
    ("forky", "14"),
    ("duke", "15"),
];

/// The release version of a codename (`bullseye` → `11`).
pub fn release_number(codename: &str) -> Option<&'static str> {
    RELEASES.iter().find(|(name, _)| *name == codename).map(|(_, number)| *number)
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Parses a tracker advisory list. `prefix` is `DSA` or `DLA`. One `Advisory` per header
/// line `[dd Mon yyyy] DSA-NNNN-N pkg - text` (id, `upstream` = the CVEs of its `{…}`
/// lines, `published` = the date), one `Affected` per `[release] - srcpkg version` line.
/// `stats.counts["advisories"]` is the number of header lines read.
pub fn parse_dsa_list(
    text: &str,
    prefix: &str,
    source: &str,
    sink: &mut dyn FnMut(Record),
) -> Result<FeedStats, FeedError> {
    if prefix != "DSA" && prefix != "DLA" {
        return Err(FeedError::malformed(source, format!("unknown advisory list prefix `{prefix}`")));
    }
    let mut stats = FeedStats::default();
    let mut current: Option<Advisory> = None;
    // After a header that cannot be read, its lines belong to nothing and are dropped.
    let mut in_bad_advisory = false;
    let mut headers = 0u64;
    let mut emit = |adv: Option<Advisory>, stats: &mut FeedStats| {
        if let Some(adv) = adv {
            stats.records += 1;
            sink(Record::Advisory(adv));
        }
    };
    for (n, line) in text.lines().enumerate() {
        let lineno = n + 1;
        if line.starts_with('[') {
            emit(current.take(), &mut stats);
            match parse_header(line, prefix) {
                Some(adv) => {
                    headers += 1;
                    current = Some(adv);
                    in_bad_advisory = false;
                }
                None => {
                    stats.skip(format!("line {lineno}: malformed header `{}`", clip(line)));
                    in_bad_advisory = true;
                }
            }
            continue;
        }
        let body = line.trim();
        if body.is_empty() || body.starts_with("NOTE:") || body.starts_with("TODO:") || in_bad_advisory {
            continue;
        }
        let Some(adv) = current.as_mut() else {
            stats.skip(format!("line {lineno}: outside any advisory"));
            continue;
        };
        if let Some(list) = body.strip_prefix('{') {
            for cve in list.trim_end_matches('}').split_whitespace() {
                if !adv.upstream.iter().any(|c| c == cve) {
                    adv.upstream.push(cve.to_owned());
                }
            }
        } else if body.starts_with('[') {
            match release_line(body) {
                Ok(Some(affected)) => adv.affected.push(affected),
                Ok(None) => {}
                Err(reason) => stats.skip(format!("line {lineno} ({}): {reason}", adv.id)),
            }
        } else {
            stats.skip(format!("line {lineno} ({}): unrecognised line `{}`", adv.id, clip(body)));
        }
    }
    emit(current.take(), &mut stats);
    if headers == 0 && stats.skipped > 0 {
        return Err(FeedError::malformed(source, format!("no {prefix} header line")));
    }
    stats.count("advisories", headers);
    Ok(stats)
}

/// `[29 Mar 2023] DSA-5380-1 xorg-server - security update`
fn parse_header(line: &str, prefix: &str) -> Option<Advisory> {
    let (date, rest) = line.strip_prefix('[')?.split_once(']')?;
    let published = parse_date(date)?;
    let rest = rest.strip_prefix(' ')?;
    let (id, summary) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let number = id.strip_prefix(prefix)?.strip_prefix('-')?;
    let mut parts = number.split('-');
    let well_formed = parts.next().is_some_and(is_digits) && parts.all(is_digits) && number.split('-').count() <= 2;
    if !well_formed {
        return None;
    }
    let summary = summary.trim();
    Some(Advisory {
        id: id.to_owned(),
        summary: (!summary.is_empty()).then(|| summary.to_owned()),
        published: Some(published),
        references: vec![Reference { kind: "ADVISORY".to_owned(), url: format!("{TRACKER}{id}") }],
        ..Advisory::default()
    })
}

/// `29 Mar 2023` → `2023-03-29T00:00:00Z`
fn parse_date(s: &str) -> Option<String> {
    let mut parts = s.split_whitespace();
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_digits(day) || day.len() > 2 || year.len() != 4 || !is_digits(year) {
        return None;
    }
    let day: u32 = day.parse().ok()?;
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    if !(1..=31).contains(&day) {
        return None;
    }
    Some(format!("{year}-{month:02}-{day:02}T00:00:00Z"))
}

/// `[bullseye] - xorg-server 2:1.20.11-1+deb11u6 (note)`: an entry, or `None` for
/// `<not-affected>`.
fn release_line(body: &str) -> Result<Option<Affected>, String> {
    let (codename, rest) = body.strip_prefix('[').and_then(|b| b.split_once(']')).ok_or("malformed release line")?;
    let mut tokens = rest.split_whitespace();
    let (Some("-"), Some(package), Some(version)) = (tokens.next(), tokens.next(), tokens.next()) else {
        return Err(format!("malformed release line `{}`", clip(body)));
    };
    let number = release_number(codename).ok_or_else(|| format!("unknown release `{codename}`"))?;
    let note = tokens.collect::<Vec<_>>().join(" ");
    let note = note.trim_start_matches('(').trim_end_matches(')');
    let (fixed, status) = match version {
        "<not-affected>" => return Ok(None),
        "<unfixed>" => (None, Some("not_fixed")),
        "<end-of-life>" => (None, Some("end_of_life")),
        "<no-dsa>" | "<ignored>" | "<postponed>" => (None, Some("will_not_fix")),
        v if v.starts_with('<') => return Err(format!("unknown pseudo-version `{v}`")),
        v => (Some(v), None),
    };
    let mut extra = Map::new();
    if !note.is_empty() {
        extra.insert("note".to_owned(), Value::String(note.to_owned()));
    }
    Ok(Some(entry(number, package, fixed, status, extra)))
}

fn entry(
    number: &str,
    package: &str,
    fixed: Option<&str>,
    status: Option<&str>,
    extra: Map<String, Value>,
) -> Affected {
    let mut events = vec![Event::Introduced("0".to_owned())];
    events.extend(fixed.map(|f| Event::Fixed(f.to_owned())));
    Affected {
        ecosystem: format!("Debian:{number}"),
        name: package.to_owned(),
        ranges: vec![Range { kind: RangeKind::Ecosystem, events }],
        status: status.map(str::to_owned),
        extra: (!extra.is_empty()).then_some(Value::Object(extra)),
        ..Affected::default()
    }
}

/// Parses the tracker's JSON export, `{srcpkg: {"CVE-…": {description, debianbug, scope,
/// releases: {codename: {status, repositories, fixed_version, urgency, nodsa,
/// nodsa_reason}}}}}`: one `Advisory` per issue id (packages merged), one `Affected` per
/// (source package, release) that is or was affected:
/// `resolved` with a version → fixed range; `resolved` with `0` → never affected, no entry;
/// `open` → `not_fixed` (`will_not_fix` when `nodsa_reason` is `ignored`, `end_of_life`
/// when the urgency is `end-of-life`); `undetermined` → skipped and counted.
/// The urgency becomes a `debian` vendor severity of the entry. `sid` has no release
/// number and is left out (counted in `counts["unstable"]`). Issues with no entry are not
/// emitted. `counts`: `packages`, `issues` ((package, issue) pairs).
pub fn parse_tracker_json(json: &[u8], source: &str, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
    let mut stats = FeedStats::default();
    let mut advisories: BTreeMap<String, Advisory> = BTreeMap::new();
    let mut on_package = |package: String, issues: Value| {
        stats.count("packages", 1);
        let Value::Object(issues) = issues else {
            stats.skip(format!("{package}: is {}, not an object", get::kind(&issues)));
            return;
        };
        for (id, issue) in issues {
            stats.count("issues", 1);
            if let Err(reason) = tracker_issue(&package, &id, &issue, &mut advisories, &mut stats) {
                stats.skip(format!("{package} {id}: {reason}"));
            }
        }
    };
    json_stream::walk_entries(serde_json::de::SliceRead::new(json), &mut on_package)
        .map_err(|e| FeedError::malformed(source, e))?;
    for adv in advisories.into_values() {
        if adv.affected.is_empty() {
            continue;
        }
        stats.records += 1;
        sink(Record::Advisory(adv));
    }
    Ok(stats)
}

fn tracker_issue(
    package: &str,
    id: &str,
    issue: &Value,
    advisories: &mut BTreeMap<String, Advisory>,
    stats: &mut FeedStats,
) -> Result<(), String> {
    let Value::Object(issue) = issue else {
        return Err(format!("is {}, not an object", get::kind(issue)));
    };
    if id.trim().is_empty() {
        return Err("empty issue id".to_owned());
    }
    let description = get::opt_str(issue, "description")?;
    let bug = issue.get("debianbug").and_then(Value::as_u64);
    let scope = get::opt_str(issue, "scope")?;
    let releases = get::opt_obj(issue, "releases")?.ok_or("no `releases`")?;
    // Read every release before touching the advisory, so a bad issue leaves no trace.
    let mut entries = Vec::new();
    for (codename, release) in releases {
        let Value::Object(release) = release else {
            stats.skip(format!("{package} {id} {codename}: is {}, not an object", get::kind(release)));
            continue;
        };
        match tracker_release(package, codename, release, scope.as_deref()) {
            Ok(Some(entry)) => entries.push(entry),
            Ok(None) => {}
            Err(Skip::Unstable) => stats.count("unstable", 1),
            Err(Skip::Counted(reason)) => stats.skip(format!("{package} {id} {codename}: {reason}")),
        }
    }
    let adv = advisories.entry(id.to_owned()).or_insert_with(|| Advisory {
        id: id.to_owned(),
        references: vec![Reference { kind: "ADVISORY".to_owned(), url: format!("{TRACKER}{id}") }],
        ..Advisory::default()
    });
    if adv.details.is_none() {
        adv.details = description.filter(|d| !d.is_empty());
    }
    if let Some(bug) = bug {
        let url = format!("https://bugs.debian.org/{bug}");
        if !adv.references.iter().any(|r| r.url == url) {
            adv.references.push(Reference { kind: "REPORT".to_owned(), url });
        }
    }
    adv.affected.extend(entries);
    Ok(())
}

enum Skip {
    /// `sid`: tracked, but without a release number to put in an ecosystem.
    Unstable,
    Counted(String),
}

fn tracker_release(
    package: &str,
    codename: &str,
    release: &Obj,
    scope: Option<&str>,
) -> Result<Option<Affected>, Skip> {
    let counted = Skip::Counted;
    let Some(number) = release_number(codename) else {
        return Err(if codename == "sid" { Skip::Unstable } else { counted(format!("unknown release `{codename}`")) });
    };
    let text = |key: &str| get::opt_str(release, key).map_err(Skip::Counted);
    let status = text("status")?.unwrap_or_default();
    let urgency = text("urgency")?.unwrap_or_default();
    let nodsa_reason = text("nodsa_reason")?;
    let (fixed, state) = match status.as_str() {
        "resolved" => match text("fixed_version")?.as_deref().map(str::trim) {
            // Fixed before the release was made: never affected there.
            Some("0") => return Ok(None),
            Some(v) if !v.is_empty() => (Some(v.to_owned()), None),
            _ => return Err(counted("resolved without a fixed version".to_owned())),
        },
        "open" if nodsa_reason.as_deref() == Some("ignored") => (None, Some("will_not_fix")),
        "open" if urgency == "end-of-life" => (None, Some("end_of_life")),
        "open" => (None, Some("not_fixed")),
        "undetermined" => return Err(counted("undetermined".to_owned())),
        other => return Err(counted(format!("unknown status `{other}`"))),
    };
    // What `explain` may want to show: where the versions come from and why no DSA.
    let mut extra = Map::new();
    extra.insert("release".to_owned(), Value::String(codename.to_owned()));
    for key in ["repositories", "nodsa", "nodsa_reason"] {
        if let Some(v) = release.get(key).filter(|v| !v.is_null()) {
            extra.insert(key.to_owned(), v.clone());
        }
    }
    if let Some(scope) = scope {
        extra.insert("scope".to_owned(), Value::String(scope.to_owned()));
    }
    let mut affected = entry(number, package, fixed.as_deref(), state, extra);
    // "not yet assigned" is the absence of a rating; "end-of-life" is a state, given above.
    if urgency != "not yet assigned" && urgency != "end-of-life" {
        affected.severities.extend(severity::vendor("debian", &urgency));
    }
    Ok(Some(affected))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A line shortened for a skip message.
fn clip(s: &str) -> String {
    const MAX: usize = 80;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or(s)),
        None => s.to_owned(),
    }
}
