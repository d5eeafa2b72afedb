//! `brig scan`: catalog (or read an SBOM), match against the database, apply suppressions
//! and filters, report, and decide the exit status.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use brig_db::{Db, DbError};
use brig_match::{Matcher, ScanReport, Severity, Suppressed};

use crate::cli::{Global, ScanArgs};

/// Opens the database; when there is none (and the network is allowed), fetches only the
/// feeds of the ecosystems `sbom` needs, saying so.
pub fn open_db(g: &Global, sbom: &brig_sbom::Sbom) -> Result<Db> {
    let path =
        crate::dirs::db_path(g.db.as_ref()).context("no database path: set --db or BRIG_DB (HOME is not set)")?;
    match Db::open(&path) {
        Ok(db) => Ok(db),
        Err(DbError::Missing(_)) if !g.offline => {
            let needed = brig_match::needed_ecosystems(&sbom.packages, sbom.distro.as_ref());
            if needed.is_empty() {
                bail!(
                    "no vulnerability database at {} and nothing in the target names an ecosystem to fetch",
                    path.display()
                );
            }
            tracing::info!(
                "no vulnerability database at {}; fetching the feeds this target needs: {}",
                path.display(),
                needed.join(", ")
            );
            let mut config = crate::config::load(g.config.as_ref())?.db;
            config.apply_env();
            config.ecosystems = needed;
            let cache = crate::dirs::cache_dir(g.cache_dir.as_ref()).context("no cache directory: set --cache-dir")?;
            let report = brig_feeds::update(&brig_feeds::UpdateOptions {
                db: path.clone(),
                cache_dir: cache,
                config,
                force: false,
                progress: None,
            })?;
            for f in report.failures() {
                if let brig_feeds::Outcome::Failed(why) = &f.outcome {
                    tracing::warn!("feed {} could not be fetched: {why}", f.name);
                }
            }
            Db::open(&path).with_context(|| format!("no usable database at {} after fetching", path.display()))
        }
        Err(DbError::Missing(p)) => {
            bail!(
                "no vulnerability database at {} (--offline: run `brig db update` or `brig db import` first)",
                p.display()
            )
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("opening the vulnerability database {}", path.display()))),
    }
}

pub fn today() -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc().format(&fmt).unwrap_or_default()
}

/// Matches `sbom` and applies `policy`: the report before display filters.
pub fn scan(g: &Global, sbom: &brig_sbom::Sbom, policy: &brig_match::policy::Policy) -> Result<ScanReport> {
    let db = open_db(g, sbom)?;
    let built_at =
        db.built_at().with_context(|| format!("reading the vulnerability database {}", db.path().display()))?;
    let matches = Matcher::new(&db).run(sbom)?;
    let today = today();
    let mut report = ScanReport {
        schema: brig_match::SCHEMA.into(),
        tool: brig_sbom::Tool { name: "brig".into(), version: env!("CARGO_PKG_VERSION").into() },
        source: sbom.source.clone(),
        distro: sbom.distro.clone(),
        database: brig_match::DbInfo { path: db.path().display().to_string(), built_at },
        packages: sbom.packages.len(),
        findings: Vec::new(),
        notices: matches.notices,
        unchecked: matches.unchecked,
        suppressed: Vec::new(),
        warnings: sbom.warnings.clone(),
    };
    report.warnings.extend(matches.uncovered.iter().map(|u| format!("not checked: {u}")));
    report.warnings.extend(policy.warnings(&today));
    for f in matches.findings {
        match policy.suppression(&f, &today) {
            Some((by, reason)) => report.suppressed.push(Suppressed { finding: f, by, reason }),
            None => report.findings.push(f),
        }
    }
    Ok(report)
}

pub fn load_policy(ignore_file: Option<&Path>, vex: &[PathBuf]) -> Result<brig_match::policy::Policy> {
    let mut policy = brig_match::policy::Policy::default();
    let default_ignore = Path::new(".brigignore.yaml");
    let ignore = ignore_file.or_else(|| default_ignore.is_file().then_some(default_ignore));
    if let Some(p) = ignore {
        let text = std::fs::read_to_string(p).with_context(|| format!("reading ignore file {}", p.display()))?;
        policy.add_ignore_file(brig_match::policy::IgnoreFile::parse(&p.display().to_string(), &text)?);
    }
    for v in vex {
        let bytes = std::fs::read(v).with_context(|| format!("reading VEX {}", v.display()))?;
        policy.add_vex(brig_match::policy::VexDocument::parse(&v.display().to_string(), &bytes)?);
    }
    Ok(policy)
}

fn parse_list<T>(list: Option<&str>, parse: impl Fn(&str) -> Option<T>, what: &str) -> Result<Option<Vec<T>>> {
    let Some(list) = list else { return Ok(None) };
    list.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse(s.trim()).with_context(|| format!("{what}: unknown value {s:?}")))
        .collect::<Result<Vec<T>>>()
        .map(Some)
}

/// Runs the command; `Ok(true)` when `--fail-on` is met (exit status 1).
pub fn run(g: &Global, args: &ScanArgs) -> Result<bool> {
    let severities = parse_list(args.severity.as_deref(), Severity::parse, "--severity")?;
    let fail_on = args
        .fail_on
        .as_deref()
        .map(|s| Severity::parse(s).with_context(|| format!("--fail-on: unknown severity {s:?}")))
        .transpose()?;
    let pkg_types = parse_list(
        args.pkg_types.as_deref(),
        |s| match s {
            "os" | "library" => Some(s.to_owned()),
            _ => None,
        },
        "--pkg-types",
    )?;
    let policy = load_policy(args.ignore_file.as_deref(), &args.vex)?;
    let sbom = crate::sbom_cmd::load(g, &args.target, &args.image, true)?;
    let mut report = scan(g, &sbom, &policy)?;
    report.findings.retain(|f| {
        let os = matches!(f.package.kind.as_str(), "deb" | "apk" | "rpm");
        severities.as_ref().is_none_or(|s| s.contains(&f.severity))
            && !(args.ignore_unfixed && f.state != brig_match::FixState::Fixed)
            && pkg_types.as_ref().is_none_or(|t| t.iter().any(|t| (t == "os") == os))
    });
    let failed = fail_on.is_some_and(|min| report.findings.iter().any(|f| f.severity >= min));
    crate::output::write_scan(&report, args)?;
    if failed {
        tracing::info!("failing: findings at or above {}", fail_on.map(|s| s.as_str()).unwrap_or(""));
    }
    Ok(failed)
}
