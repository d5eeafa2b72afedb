//! Database benchmark (not a test): ingest an OSV export on one thread through the real
//! parser and store, then time (ecosystem, package) lookups. Run through
//! `bench/db-bench.py`, which generates the synthetic export and records the figures.
//!
//! usage: cargo bench -p brig-feeds --bench ingest -- ZIP WORKDIR

use std::time::Instant;

/// The allocator the brig binary uses, so the figures are brig's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use brig_advisory::FeedStats;
use brig_db::{Builder, Db, SourceMeta};

fn main() {
    if std::env::var_os("BRIG_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_env("BRIG_LOG"))
            .with_writer(std::io::stderr)
            .init();
    }
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let (zip, work) = match args.as_slice() {
        [z, w, ..] => (std::path::PathBuf::from(z), std::path::PathBuf::from(w)),
        _ => {
            eprintln!("usage: ingest ZIP WORKDIR");
            std::process::exit(2);
        }
    };
    std::fs::create_dir_all(&work).unwrap();
    let building = work.join("bench.db.building");
    let db_path = work.join("bench.db");

    let t0 = Instant::now();
    let mut b = Builder::create(&building).unwrap();
    let name = "osv/Synthetic/all.zip";
    let mut err = None;
    let file = std::io::BufReader::new(std::fs::File::open(&zip).unwrap());
    let stats: FeedStats = brig_advisory::osv::parse_zip(file, name, &mut |r| {
        if err.is_none()
            && let Err(e) = b.add(name, &r)
        {
            err = Some(e);
        }
    })
    .unwrap();
    assert!(err.is_none(), "{err:?}");
    let loaded = t0.elapsed();
    b.set_source(&SourceMeta {
        name: name.into(),
        url: zip.display().to_string(),
        stats: stats.clone(),
        ..SourceMeta::default()
    })
    .unwrap();
    let built = b.finish().unwrap();
    brig_db::install(&built, &db_path).unwrap();
    let total = t0.elapsed();
    let size = std::fs::metadata(&db_path).unwrap().len();

    // Lookups: every 7th distinct package that exists, plus names that do not.
    let db = Db::open(&db_path).unwrap();
    let conn = rusqlite::Connection::open(&db_path).unwrap();
    let mut st = conn.prepare("SELECT DISTINCT ecosystem, name FROM affected").unwrap();
    let keys: Vec<(String, String)> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).step_by(7).take(20_000).collect();
    let misses: Vec<(String, String)> = (0..2000).map(|i| ("PyPI".into(), format!("absent-{i}"))).collect();
    let mut hits_total = 0usize;
    for (e, n) in keys.iter().take(2000) {
        hits_total += db.affected(e, n).unwrap().len(); // warm the cache
    }
    let mut lat = Vec::with_capacity(keys.len() + misses.len());
    for (e, n) in keys.iter().chain(misses.iter()) {
        let t = Instant::now();
        let hits = db.affected(e, n).unwrap();
        lat.push(t.elapsed().as_nanos() as f64 / 1000.0);
        std::hint::black_box(hits);
    }
    let mut sorted = lat.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pct = |p: f64| sorted[((sorted.len() as f64 - 1.0) * p) as usize];
    println!(
        "{}",
        serde_json::json!({
            "records": stats.records,
            "skipped": stats.skipped,
            "load_seconds": loaded.as_secs_f64(),
            "build_seconds": total.as_secs_f64(),
            "records_per_second": stats.records as f64 / total.as_secs_f64(),
            "db_bytes": size,
            "lookups": lat.len(),
            "avg_hits_per_lookup": hits_total as f64 / 2000.0,
            "lookup_us_p50": pct(0.50),
            "lookup_us_p90": pct(0.90),
            "lookup_us_p99": pct(0.99),
        })
    );
}
