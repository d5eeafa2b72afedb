//! `brig db` against real HTTP servers on loopback serving `../shared/corpus/feeds/` (its
//! layout mirrors the upstream URLs). Record counts must equal the corpus README's.

mod common;

use std::collections::BTreeMap;
use std::process::Output;

use common::http::{Nginx, Reply, TinyServer, mirror_copy};
use common::*;
use serde_json::Value;

fn ok(o: &Output) {
    assert!(o.status.success(), "brig failed ({}): {}", o.status, stderr(o));
}

fn sources(status: &Value) -> BTreeMap<String, Value> {
    status["sources"].as_array().unwrap().iter().map(|s| (s["name"].as_str().unwrap().to_owned(), s.clone())).collect()
}

/// The corpus README's record counts, per source, as `db status` reports them.
fn assert_readme_counts(status: &Value) {
    let s = sources(status);
    let records = |n: &str| s.get(n).unwrap_or_else(|| panic!("no source {n}"))["records"].as_u64().unwrap();
    let count = |n: &str, k: &str| s[n]["stats"]["counts"][k].as_u64().unwrap_or_else(|| panic!("{n}: no count {k}"));
    type PerEcosystem<'a> = &'a [(&'a str, u64)];
    let osv: &[(&str, u64, PerEcosystem)] = &[
        ("Alpine", 6329, &[("Alpine:v3.18", 7522), ("Alpine:v3.9", 2107)]),
        ("Debian", 1295, &[("Debian:10", 945), ("Debian:11", 488)]),
        ("Go", 4291, &[("Go", 6125)]),
        ("PyPI", 2661, &[("PyPI", 2661)]),
        ("crates.io", 1206, &[("crates.io", 1206)]),
        ("npm", 25, &[("NuGet", 2), ("npm", 58)]),
    ];
    for (eco, n, affected) in osv {
        let name = format!("osv/{eco}/all.zip");
        assert_eq!(records(&name), *n, "{name}");
        for (e, k) in *affected {
            assert_eq!(count(&name, &format!("affected:{e}")), *k, "{name} affected {e}");
        }
    }
    for (file, packages, secfixes, ids) in [
        ("alpine-secdb/v3.18/community.json", 355, 1496, 5042),
        ("alpine-secdb/v3.18/main.json", 246, 1143, 2561),
        ("alpine-secdb/v3.9/community.json", 61, 186, 733),
        ("alpine-secdb/v3.9/main.json", 187, 576, 1390),
    ] {
        assert_eq!(
            (count(file, "packages"), count(file, "secfixes"), count(file, "ids")),
            (packages, secfixes, ids),
            "{file}"
        );
    }
    assert_eq!(records("kev/known_exploited_vulnerabilities.json"), 1404);
    assert_eq!(count("debian/DSA-list", "advisories"), 5406);
    assert_eq!(count("debian/DLA-list", "advisories"), 3534);
    assert_eq!(records("nvd/nvdcve-2.0-subset.json.gz"), 40);
    assert_eq!(status["known_exploited"], 1404);
    assert_eq!(status["nvd_cves"], 40);
}

#[test]
fn update_from_a_mirror_counts_and_unchanged_second_run() {
    let nginx = Nginx::serve(&feeds());
    let env = Env::new(&nginx.url, "");
    ok(&env.update(&nginx.url, &[]));
    let first = env.status();
    assert_readme_counts(&first);
    let downloads: Vec<_> = nginx.requests();
    assert!(downloads.iter().all(|(_, s)| *s == 200), "{downloads:?}");
    assert_eq!(downloads.len(), 14);

    // Nothing changed upstream: conditional requests only, no download, no rebuild.
    nginx.clear_log();
    let inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&env.db).unwrap());
    let o = env.update(&nginx.url, &[]);
    ok(&o);
    assert!(stderr(&o).contains("up to date"), "{}", stderr(&o));
    let second = nginx.requests();
    assert_eq!(second.len(), 14);
    assert!(second.iter().all(|(_, s)| *s == 304), "second run downloaded: {second:?}");
    assert_eq!(
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&env.db).unwrap()),
        inode,
        "database not rebuilt"
    );

    // --force downloads and rebuilds everything, with the same result.
    nginx.clear_log();
    ok(&env.update(&nginx.url, &["--force"]));
    let forced = nginx.requests();
    assert_eq!(forced.len(), 14, "every feed fetched again: {forced:?}");
    assert!(forced.iter().all(|(_, s)| *s == 200), "{forced:?}");
    assert_ne!(std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&env.db).unwrap()), inode);
    assert_readme_counts(&env.status());
    let table = env.brig(&["db", "status"]);
    ok(&table);
    assert!(String::from_utf8_lossy(&table.stdout).contains("osv/PyPI/all.zip"));
}

#[test]
fn selective_update_refreshes_one_ecosystem_and_keeps_the_rest() {
    let nginx = Nginx::serve(&feeds());
    let env = Env::new(&nginx.url, "");
    ok(&env.update(&nginx.url, &[]));
    nginx.clear_log();
    ok(&env.update(&nginx.url, &["--ecosystem", "PyPI", "--force"]));
    let fetched: Vec<String> = nginx.requests().into_iter().map(|(p, _)| p).collect();
    assert!(fetched.contains(&"/osv/PyPI/all.zip".to_owned()), "{fetched:?}");
    assert!(
        !fetched.iter().any(|p| p.contains("Debian") || p.contains("alpine")),
        "only PyPI (plus KEV/NVD): {fetched:?}"
    );
    assert_readme_counts(&env.status());
}

#[test]
fn a_feed_that_cannot_be_fetched_keeps_its_old_data_and_fails_the_run() {
    let nginx = Nginx::serve(&feeds());
    let env = Env::new(&nginx.url, "");
    ok(&env.update(&nginx.url, &[]));
    let o = env.update(&nginx.url, &["--force", "--feed-url", &format!("kev={}/kev/missing.json", nginx.url)]);
    assert_error(&o, &["kev/known_exploited_vulnerabilities.json", "404"]);
    let st = env.status();
    assert_eq!(st["known_exploited"], 1404, "the previous KEV data is still there");
    assert_readme_counts(&st);

    // An unreachable mirror: every mirrored feed fails (NVD's URL is absolute in this
    // config), the database stays as it was.
    let o = env.update("http://127.0.0.1:1", &["--force"]);
    assert_error(&o, &["13 of 14 feeds", "osv/PyPI/all.zip"]);
    assert_readme_counts(&env.status());
}

#[test]
fn the_first_update_with_nothing_reachable_installs_no_empty_database() {
    let env = Env::new("http://127.0.0.1:1", "");
    assert_error(&env.update("http://127.0.0.1:1", &[]), &["could not be updated"]);
    assert!(!env.db.exists(), "an empty database would read as 'nothing is vulnerable'");
}

fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in members {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut w, data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn malformed_records_are_skipped_and_counted() {
    let mirror = mirror_copy(&feeds());
    let zip_path = mirror.path().join("osv/npm/all.zip");
    std::fs::remove_file(&zip_path).unwrap();
    let good = br#"{"id": "GHSA-good-0000-0000", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}"#;
    std::fs::write(&zip_path, zip_of(&[("a.json", good), ("b.json", b"{not json"), ("c.json", br#"{"id": 5}"#)]))
        .unwrap();
    // A Debian list with a garbage line among real advisories.
    let nginx = Nginx::serve(mirror.path());
    let env = Env::new(&nginx.url, "");
    ok(&env.update(&nginx.url, &[]));
    let st = env.status();
    let npm = &sources(&st)["osv/npm/all.zip"];
    assert_eq!((npm["records"].as_u64(), npm["skipped"].as_u64()), (Some(1), Some(2)), "{npm}");
    assert_eq!(npm["stats"]["skip_reasons"].as_array().unwrap().len(), 2);
    let table = String::from_utf8_lossy(&env.brig(&["db", "status"]).stdout).into_owned();
    let line = table.lines().find(|l| l.starts_with("osv/npm/all.zip")).unwrap().to_owned();
    assert!(line.split_whitespace().nth(2) == Some("2"), "status shows the skipped count: {line}");

    // A feed file that is not a zip at all is a failed feed, not a crash.
    std::fs::write(&zip_path, b"garbage").unwrap();
    let o = env.update(&nginx.url, &["--force"]);
    assert_error(&o, &["osv/npm/all.zip", "unreadable"]);
    assert_eq!(sources(&env.status())["osv/npm/all.zip"]["records"], 1, "previous npm data kept");
}

#[test]
fn transient_failures_are_retried_honouring_retry_after() {
    let kev = std::fs::read(feeds().join("kev/known_exploited_vulnerabilities.json")).unwrap();
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = calls.clone();
    let server = TinyServer::start(move |_| {
        if c.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            let mut r = Reply::status(503);
            r.headers.push(("Retry-After".into(), "1".into()));
            r
        } else {
            Reply::ok(kev.clone())
        }
    });
    let nginx = Nginx::serve(&feeds());
    let env = Env::new(&nginx.url, "");
    let started = std::time::Instant::now();
    let o = env.update(&nginx.url, &["--feed-url", &format!("kev={}/kev.json", server.url)]);
    ok(&o);
    assert!(stderr(&o).contains("HTTP 503"), "{}", stderr(&o));
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert!(started.elapsed() >= std::time::Duration::from_secs(1), "waited for Retry-After");
    assert_eq!(env.status()["known_exploited"], 1404);
}

#[test]
fn a_hanging_server_times_out_with_a_clear_error() {
    let server = TinyServer::start(|_| Reply { status: 200, headers: vec![], body: vec![], hang: true });
    let nginx = Nginx::serve(&feeds());
    let env = Env::new(&nginx.url, "");
    ok(&env.update(&nginx.url, &[]));
    let cfg = std::fs::read_to_string(&env.config)
        .unwrap()
        .replace("timeout_secs = 20\nretries = 1", "timeout_secs = 2\nretries = 0");
    std::fs::write(&env.config, cfg).unwrap();
    let started = std::time::Instant::now();
    let o = env.update(&nginx.url, &["--feed-url", &format!("kev={}/kev.json", server.url), "--force"]);
    assert_error(&o, &["kev/known_exploited_vulnerabilities.json", "timed out"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "bounded by the timeout");
    assert_eq!(env.status()["known_exploited"], 1404);
}

/// Serves the NVD subset as the CVE API 2.0 does: pages of `resultsPerPage` from `startIndex`.
fn nvd_api_server() -> TinyServer {
    let subset: Value =
        serde_json::from_slice(&std::fs::read(feeds().join("nvd/nvdcve-2.0-subset.json")).unwrap()).unwrap();
    TinyServer::start(move |req| {
        let query: BTreeMap<String, String> = req
            .path
            .split_once('?')
            .map(|(_, q)| q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.into(), v.into())).collect())
            .unwrap_or_default();
        let all = subset["vulnerabilities"].as_array().unwrap();
        // An incremental request (lastModStartDate) finds nothing new.
        let items: Vec<Value> = if query.contains_key("lastModStartDate") { vec![] } else { all.clone() };
        let start: usize = query.get("startIndex").and_then(|s| s.parse().ok()).unwrap_or(0);
        let per: usize = query.get("resultsPerPage").and_then(|s| s.parse().ok()).unwrap_or(2000);
        let page: Vec<Value> = items.iter().skip(start).take(per).cloned().collect();
        let body = serde_json::json!({
            "resultsPerPage": page.len(), "startIndex": start, "totalResults": items.len(),
            "format": "NVD_CVE", "version": "2.0", "timestamp": "2026-01-01T00:00:00.000", "vulnerabilities": page,
        });
        Reply::ok(serde_json::to_vec(&body).unwrap())
    })
}

#[test]
fn nvd_api_pages_and_updates_incrementally() {
    let api = nvd_api_server();
    let nginx = Nginx::serve(&feeds());
    let env = Env::new(&nginx.url, "");
    let cfg = std::fs::read_to_string(&env.config).unwrap();
    let cfg = cfg.replace(
        &format!("[db.nvd]\nfeeds = [\"{}/nvd/nvdcve-2.0-subset.json.gz\"]\n", nginx.url),
        "[db.nvd]\nmode = \"api\"\napi_key = \"test-key\"\napi_delay_ms = 0\nresults_per_page = 15\n",
    );
    std::fs::write(&env.config, cfg).unwrap();
    ok(&env.update(&nginx.url, &["--feed-url", &format!("nvd_api={}/rest/json/cves/2.0", api.url)]));
    let seen = api.seen();
    let starts: Vec<&str> = seen.iter().filter_map(|s| s.path.split("startIndex=").nth(1)).collect();
    assert_eq!(starts.iter().map(|s| s.split('&').next().unwrap()).collect::<Vec<_>>(), ["0", "15", "30"]);
    assert!(seen.iter().all(|s| s.headers.contains(&("apikey".into(), "test-key".into()))), "API key sent");
    assert_eq!(env.status()["nvd_cves"], 40);

    // Second run asks only for what changed since the first, and keeps what it had.
    ok(&env.update(&nginx.url, &["--feed-url", &format!("nvd_api={}/rest/json/cves/2.0", api.url)]));
    let again = api.seen();
    assert!(again.len() > seen.len(), "the second update asked the API nothing");
    assert!(again[seen.len()..].iter().all(|s| s.path.contains("lastModStartDate=")), "{:?}", &again[seen.len()..]);
    assert_eq!(env.status()["nvd_cves"], 40);
}

#[test]
fn export_and_import_bundles() {
    let nginx = Nginx::serve(&feeds());
    let env = Env::new(&nginx.url, "");
    ok(&env.update(&nginx.url, &[]));
    let bundle = env.sb.path("work/brig-db.tar.zst");
    ok(&env.brig(&["db", "export", bundle.to_str().unwrap()]));
    let other = env.sb.path("home/other.db");
    let o = env.sb.run(&["--db", other.to_str().unwrap(), "db", "import", bundle.to_str().unwrap()]);
    ok(&o);
    let imported = stdout_json(&env.sb.run(&["--db", other.to_str().unwrap(), "db", "status", "--format", "json"]));
    assert_readme_counts(&imported);
    assert_eq!(imported["sources"], env.status()["sources"]);

    // A bundle with a byte changed in the database is refused, and nothing is installed.
    let raw = zstd::decode_all(std::fs::File::open(&bundle).unwrap()).unwrap();
    let at = raw.windows(16).position(|w| w == b"SQLite format 3\0").unwrap() + 50_000;
    let mut evil = raw;
    evil[at] ^= 1;
    let tampered = env.sb.path("work/tampered.tar.zst");
    std::fs::write(&tampered, zstd::encode_all(&evil[..], 3).unwrap()).unwrap();
    let third = env.sb.path("home/third.db");
    assert_error(
        &env.sb.run(&["--db", third.to_str().unwrap(), "db", "import", tampered.to_str().unwrap()]),
        &["checksum"],
    );
    assert!(!third.exists());
    assert_error(
        &env.sb.run(&["--db", third.to_str().unwrap(), "db", "import", "/nonexistent.tar.zst"]),
        &["nonexistent"],
    );
}

/// A synthetic OSV export big enough that building takes a while.
fn synthetic_zip(records: usize) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..records {
        w.start_file(format!("SYN-{i}.json"), opts).unwrap();
        let rec = format!(
            r#"{{"id":"SYN-{i}","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2099-{i}"],"summary":"synthetic record {i}","affected":[{{"package":{{"ecosystem":"PyPI","name":"pkg-{}"}},"ranges":[{{"type":"ECOSYSTEM","events":[{{"introduced":"0"}},{{"fixed":"1.{i}"}}]}}]}}]}}"#,
            i % 5000
        );
        std::io::Write::write_all(&mut w, rec.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn an_update_killed_while_building_leaves_the_previous_database_working() {
    let mirror = mirror_copy(&feeds());
    let nginx = Nginx::serve(mirror.path());
    let env = Env::new(&nginx.url, "");
    ok(&env.update(&nginx.url, &[]));
    let before = env.status();
    // Replace the PyPI export by a large one so the rebuild takes long enough to be killed.
    let pypi = mirror.path().join("osv/PyPI/all.zip");
    std::fs::remove_file(&pypi).unwrap();
    std::fs::write(&pypi, synthetic_zip(150_000)).unwrap();
    let mut args = vec!["--db", env.db.to_str().unwrap(), "--config", env.config.to_str().unwrap()];
    args.extend(["db", "update", "--mirror", &nginx.url]);
    let mut child = env.sb.command(&args).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let building = env.db.with_file_name(".brig.db.building");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !building.exists() {
        assert!(std::time::Instant::now() < deadline, "the update never started building");
        assert!(child.try_wait().unwrap().is_none(), "the update finished before it could be killed");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap(); // SIGKILL
    let _ = child.wait();
    assert_eq!(env.status(), before, "the previous database answers as before");
    // The next update cleans up and completes.
    ok(&env.update(&nginx.url, &[]));
    assert!(!building.exists());
    assert_eq!(sources(&env.status())["osv/PyPI/all.zip"]["records"], 150_000);
}

#[test]
fn an_update_that_runs_out_of_disk_leaves_the_previous_database_working() {
    let nginx = Nginx::serve(&feeds());
    let env = Env::new(&nginx.url, "");
    ok(&env.update(&nginx.url, &[]));
    let before = env.status();
    // Cap the size of any file brig writes below the size of the new database (about
    // 30 MB) but above every download: the build hits "disk full" (EFBIG) mid-way.
    let mut args = vec!["--db", env.db.to_str().unwrap(), "--config", env.config.to_str().unwrap()];
    args.extend(["db", "update", "--mirror", &nginx.url, "--force"]);
    let mut cmd = env.sb.command(&args);
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
            let lim = libc::rlimit { rlim_cur: 8 << 20, rlim_max: 8 << 20 };
            libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
            // Without this the kernel kills the process (SIGXFSZ) instead of failing the write.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let o = cmd.output().unwrap();
    assert_error(&o, &["building the new database failed", "previous one is untouched"]);
    assert_eq!(env.status(), before);
    assert!(!env.db.with_file_name(".brig.db.building").exists(), "the partial build is removed");
}

#[test]
fn offline_refuses_to_update() {
    let env = Env::new("http://127.0.0.1:1", "");
    assert_error(&env.brig(&["--offline", "db", "update"]), &["--offline"]);
    assert_error(&env.brig(&["db", "status"]), &["no vulnerability database", "brig db update"]);
}

#[test]
fn unknown_config_keys_and_bad_flags_are_errors() {
    let env = Env::new("http://127.0.0.1:1", "bogus_key = 1");
    assert_error(&env.update("http://127.0.0.1:1", &[]), &["bogus_key"]);
    let env = Env::new("http://127.0.0.1:1", "");
    assert_error(&env.update("http://127.0.0.1:1", &["--feed-url", "nope=http://x"]), &["unknown feed"]);
}
