use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::cli::{DbCommand, DbUpdateArgs, Global, StatusFormat};

fn db_path(g: &Global) -> Result<PathBuf> {
    crate::dirs::db_path(g.db.as_ref()).context("no database path: set --db or BRIG_DB (HOME is not set)")
}

pub fn run(g: &Global, cmd: &DbCommand) -> Result<()> {
    match cmd {
        DbCommand::Update(args) => update(g, args),
        DbCommand::Status(args) => status(g, args.format),
        DbCommand::Export { file } => {
            let m = brig_db::export_bundle(&db_path(g)?, file)?;
            tracing::info!(
                "wrote {} ({} feeds, database {} bytes, sha256 {})",
                file.display(),
                m.sources.len(),
                m.database.size,
                m.database.sha256
            );
            Ok(())
        }
        DbCommand::Import { file } => {
            let db = db_path(g)?;
            let m = brig_db::import_bundle(file, &db)?;
            tracing::info!(
                "installed {} from {} (built {}, {} feeds)",
                db.display(),
                file.display(),
                m.created,
                m.sources.len()
            );
            Ok(())
        }
    }
}

fn update(g: &Global, args: &DbUpdateArgs) -> Result<()> {
    if g.offline {
        bail!(
            "`brig db update` fetches feeds from the network, which --offline forbids (use `brig db import` for an offline bundle)"
        );
    }
    let mut config = crate::config::load(g.config.as_ref())?.db;
    config.apply_env();
    if let Some(m) = &args.mirror {
        config.mirror = Some(m.clone());
    }
    if !args.ecosystems.is_empty() {
        config.ecosystems = args.ecosystems.clone();
    }
    for kv in &args.feed_urls {
        let (k, v) = kv.split_once('=').with_context(|| format!("--feed-url {kv:?} is not KEY=URL"))?;
        if !brig_feeds::config::UPSTREAM.iter().any(|(key, _)| *key == k) {
            bail!("--feed-url: unknown feed {k:?}");
        }
        config.urls.insert(k.to_owned(), v.to_owned());
    }
    let cache = crate::dirs::cache_dir(g.cache_dir.as_ref()).context("no cache directory: set --cache-dir")?;
    let progress = crate::progress::DownloadProgress::new(g.quiet);
    let report = brig_feeds::update(&brig_feeds::UpdateOptions {
        db: db_path(g)?,
        cache_dir: cache,
        config,
        force: args.force,
        progress: progress.as_ref().map(|p| p as &dyn brig_feeds::FetchProgress),
    })?;
    if let Some(p) = &progress {
        p.finish();
    }
    for s in &report.sources {
        match &s.outcome {
            brig_feeds::Outcome::Failed(_) => {}
            o => tracing::debug!("{}: {o:?}, {} records, {} skipped", s.name, s.records, s.skipped),
        }
    }
    let failed: Vec<_> = report.failures().collect();
    if !failed.is_empty() {
        let lines: Vec<String> = failed
            .iter()
            .map(|s| match &s.outcome {
                brig_feeds::Outcome::Failed(why) => format!("  {}: {why}", s.name),
                _ => unreachable!(),
            })
            .collect();
        bail!(
            "{} of {} feeds could not be updated (their previous data, if any, was kept):\n{}",
            failed.len(),
            report.sources.len(),
            lines.join("\n")
        );
    }
    if report.rebuilt {
        tracing::info!("database {} updated from {} feeds", report.db.display(), report.sources.len());
    } else {
        tracing::info!("database {} is up to date", report.db.display());
    }
    Ok(())
}

fn status(g: &Global, format: StatusFormat) -> Result<()> {
    let db = brig_db::Db::open(&db_path(g)?)?;
    let st = db.status()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        StatusFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &st)?;
            writeln!(out)?;
        }
        StatusFormat::Table => {
            writeln!(
                out,
                "database   {} ({:.1} MiB, schema {}, built {})",
                st.path.display(),
                st.size_bytes as f64 / (1 << 20) as f64,
                st.schema_version,
                st.built_at.as_deref().unwrap_or("?")
            )?;
            writeln!(
                out,
                "contents   {} advisories, {} affected packages, {} known exploited, {} NVD CVEs\n",
                st.advisories, st.affected_packages, st.known_exploited, st.nvd_cves
            )?;
            let w = st.sources.iter().map(|s| s.name.len()).max().unwrap_or(6).max(6);
            writeln!(out, "{:<w$}  {:>8}  {:>7}  FETCHED", "SOURCE", "RECORDS", "SKIPPED")?;
            for s in &st.sources {
                writeln!(
                    out,
                    "{:<w$}  {:>8}  {:>7}  {}",
                    s.name,
                    s.records,
                    s.skipped,
                    s.fetched_at.as_deref().unwrap_or("-")
                )?;
            }
        }
    }
    Ok(())
}
