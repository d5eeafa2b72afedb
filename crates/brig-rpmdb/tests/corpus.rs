//! Compares every database of `../shared/corpus/rpmdb/` with the package list beside it:
//! `rpm-qa.tsv` from the real `rpm -qa`, `expected.tsv` from the peer's tests (NDB, which
//! Debian's rpm cannot read).

use std::path::PathBuf;

fn corpus() -> PathBuf {
    let shared = std::env::var_os("BRIG_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    shared.join("corpus/rpmdb")
}

/// `name epoch version release arch sourcerpm license`, as the truth files print them.
fn tsv_line(p: &brig_rpmdb::RpmPackage) -> String {
    let none = |s: &Option<String>| s.clone().unwrap_or_else(|| "(none)".into());
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
        p.name,
        p.epoch.unwrap_or(0),
        p.version,
        p.release,
        none(&p.arch),
        none(&p.source_rpm),
        none(&p.license)
    )
}

fn check(dir: &str, db_file: &str, truth: &str, format: brig_rpmdb::DbFormat, whole: bool) {
    let root = corpus().join(dir);
    let db = std::fs::read(root.join(db_file)).unwrap_or_else(|e| panic!("{dir}/{db_file}: {e}"));
    let got = brig_rpmdb::read_packages(&db).unwrap();
    assert_eq!(got.format, Some(format), "{dir}");
    assert!(got.skipped.is_empty(), "{dir}: skipped records {:?}", got.skipped);
    let mut lines: Vec<String> = got.packages.iter().map(tsv_line).collect();
    lines.sort();
    let text = std::fs::read_to_string(root.join(truth)).unwrap();
    let mut want: Vec<String> = text.lines().map(str::to_owned).collect();
    want.sort();
    assert!(!want.is_empty(), "{dir}/{truth} is empty");
    if whole {
        assert_eq!(lines, want, "{dir}: package list differs from {truth}");
    } else {
        for w in &want {
            assert!(lines.contains(w), "{dir}: {w:?} from {truth} not read");
        }
    }
}

#[test]
fn sqlite_amazonlinux2023_matches_rpm_qa() {
    check("amazonlinux2023-sqlite", "rpmdb.sqlite", "rpm-qa.tsv", brig_rpmdb::DbFormat::Sqlite, true);
    check("amazonlinux2023-sqlite", "rpmdb.sqlite", "expected.tsv", brig_rpmdb::DbFormat::Sqlite, true);
}

#[test]
fn sqlite_mariner_matches_rpm_qa() {
    check("cbl-mariner2-sqlite", "rpmdb.sqlite", "rpm-qa.tsv", brig_rpmdb::DbFormat::Sqlite, true);
    check("cbl-mariner2-sqlite", "rpmdb.sqlite", "expected.tsv", brig_rpmdb::DbFormat::Sqlite, false);
}

#[test]
fn bdb_rhel8_matches_rpm_qa() {
    check("rhel8-libuuid-bdb", "Packages", "rpm-qa.tsv", brig_rpmdb::DbFormat::BerkeleyDb, true);
    check("rhel8-libuuid-bdb", "Packages", "expected.tsv", brig_rpmdb::DbFormat::BerkeleyDb, true);
}

#[test]
fn bdb_with_overflow_pages_matches_rpm_qa() {
    check("amazonlinux2023-bdb", "Packages", "rpm-qa.tsv", brig_rpmdb::DbFormat::BerkeleyDb, true);
}

#[test]
fn ndb_sle15_2021_matches_peer_expectation() {
    check("sle15-bci-ndb", "Packages.db", "expected.tsv", brig_rpmdb::DbFormat::Ndb, true);
}

#[test]
fn ndb_sle15_2023_matches_peer_expectation() {
    check("sle15-bci-2023-ndb", "Packages.db", "expected.tsv", brig_rpmdb::DbFormat::Ndb, true);
}

#[test]
fn truncated_and_garbage_databases_are_errors_not_panics() {
    for (dir, file) in [
        ("amazonlinux2023-sqlite", "rpmdb.sqlite"),
        ("amazonlinux2023-bdb", "Packages"),
        ("sle15-bci-ndb", "Packages.db"),
    ] {
        let db = std::fs::read(corpus().join(dir).join(file)).unwrap();
        for cut in [20, 100, 4096, 5000, db.len() / 3, db.len() / 2, db.len() - 7] {
            // Must return (Ok with fewer packages or skipped records, or Err), never panic.
            if let Ok(p) = brig_rpmdb::read_packages(&db[..cut]) {
                assert!(p.packages.len() < 200, "{dir} cut at {cut}");
            }
        }
        // Flip bytes throughout the file.
        let mut bad = db.clone();
        for i in (0..bad.len()).step_by(997) {
            bad[i] ^= 0x5a;
        }
        let _ = brig_rpmdb::read_packages(&bad);
    }
    assert!(matches!(brig_rpmdb::read_packages(b"hello"), Err(brig_rpmdb::Error::Unknown)));
}

/// File lists against the real `rpm -qa --qf '[%{NAME}\t%{FILENAMES}\n]'` (Debian's rpm
/// reads SQLite and BDB databases; it needs a writable copy of the directory).
#[test]
fn file_lists_match_rpm() {
    for (dir, db_file) in [("amazonlinux2023-sqlite", "rpmdb.sqlite"), ("amazonlinux2023-bdb", "Packages")] {
        let src = corpus().join(dir).join(db_file);
        let tmp = tempfile::tempdir().unwrap();
        std::fs::copy(&src, tmp.path().join(db_file)).unwrap();
        let out = std::process::Command::new("rpm")
            .arg("--dbpath")
            .arg(tmp.path())
            .args(["-qa", "--qf", "[%{=NAME}\\t%{FILENAMES}\\n]"])
            .output()
            .expect("rpm not found: scripts/test installs it (apt-get install rpm)");
        assert!(out.status.success(), "rpm failed: {}", String::from_utf8_lossy(&out.stderr));
        let mut want: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect();
        want.retain(|l| !l.ends_with("\t(none)"));
        want.sort();
        let got = brig_rpmdb::read_packages(&std::fs::read(&src).unwrap()).unwrap();
        let mut lines: Vec<String> =
            got.packages.iter().flat_map(|p| p.files.iter().map(move |f| format!("{}\t{f}", p.name))).collect();
        lines.sort();
        assert!(want.len() > 5000, "{dir}: rpm listed only {} files", want.len());
        assert_eq!(lines, want, "{dir}");
    }
}
