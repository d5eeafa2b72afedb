//! The store on its own: build, look up, keep a failed feed's rows, export and import.

use std::path::Path;

use brig_advisory::{
    Advisory, Affected, Event, FeedStats, KevEntry, NvdCve, Range, RangeKind, Record, Severity, SeverityKind,
};
use brig_db::{Builder, Db, SourceMeta, export_bundle, import_bundle, install};

fn advisory(id: &str, eco: &str, name: &str, fixed: &str) -> Record {
    Record::Advisory(Advisory {
        id: id.into(),
        aliases: vec![format!("CVE-{id}")],
        summary: Some(format!("summary of {id}")),
        severities: vec![Severity {
            source: "test".into(),
            kind: SeverityKind::CvssV3,
            vector: Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into()),
            score: Some(9.8),
            rating: Some("CRITICAL".into()),
            role: None,
        }],
        affected: vec![Affected {
            ecosystem: eco.into(),
            name: name.into(),
            ranges: vec![Range {
                kind: RangeKind::Ecosystem,
                events: vec![Event::Introduced("0".into()), Event::Fixed(fixed.into())],
            }],
            ..Affected::default()
        }],
        cwes: vec!["CWE-79".into()],
        ..Advisory::default()
    })
}

fn meta(name: &str, records: u64) -> SourceMeta {
    SourceMeta {
        name: name.into(),
        url: format!("http://mirror/{name}"),
        stats: FeedStats { records, ..FeedStats::default() },
        ..SourceMeta::default()
    }
}

fn build(dir: &Path, name: &str, feeds: &[(&str, Vec<Record>)]) -> std::path::PathBuf {
    let tmp = dir.join(format!("{name}.building"));
    let mut b = Builder::create(&tmp).unwrap();
    for (origin, records) in feeds {
        for r in records {
            b.add(origin, r).unwrap();
        }
        b.set_source(&meta(origin, records.len() as u64)).unwrap();
    }
    let built = b.finish().unwrap();
    let target = dir.join(name);
    install(&built, &target).unwrap();
    target
}

#[test]
fn build_lookup_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = build(
        dir.path(),
        "brig.db",
        &[
            (
                "osv/PyPI/all.zip",
                vec![advisory("PYSEC-1", "PyPI", "PyYAML", "5.4"), advisory("PYSEC-2", "PyPI", "django", "3.2.5")],
            ),
            ("osv/Debian/all.zip", vec![advisory("DSA-1-1", "Debian:11", "glibc", "2.31-13+deb11u4")]),
            (
                "kev/known_exploited_vulnerabilities.json",
                vec![Record::Kev(KevEntry { cve: "CVE-DSA-1-1".into(), vendor: "GNU".into(), ..KevEntry::default() })],
            ),
            (
                "nvd/x.json",
                vec![Record::Nvd(NvdCve {
                    id: "CVE-PYSEC-1".into(),
                    last_modified: Some("2024".into()),
                    ..NvdCve::default()
                })],
            ),
        ],
    );
    let db = Db::open(&db_path).unwrap();
    // PEP 503: the lookup finds PyYAML whatever the spelling.
    let hits = db.affected("PyPI", "pyyaml").unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].advisory_id, "PYSEC-1");
    assert_eq!(hits[0].source, "osv/PyPI/all.zip");
    assert_eq!(db.affected_entry(hits[0].advisory, hits[0].seq).unwrap().unwrap().name, "PyYAML");
    assert_eq!(hits[0].ranges[0].events.len(), 2);
    assert!(db.affected("Debian:12", "glibc").unwrap().is_empty(), "releases are distinct ecosystems");
    let (source, adv) = db.advisory(hits[0].advisory).unwrap().unwrap();
    assert_eq!(source, "osv/PyPI/all.zip");
    assert_eq!(adv.aliases, ["CVE-PYSEC-1"]);
    assert_eq!(adv.severities.len(), 1);
    assert_eq!(adv.cwes, ["CWE-79"]);
    assert_eq!(db.kev("CVE-DSA-1-1").unwrap().unwrap().vendor, "GNU");
    assert!(db.nvd("CVE-PYSEC-1").unwrap().is_some());
    let st = db.status().unwrap();
    assert_eq!((st.advisories, st.affected_packages, st.known_exploited, st.nvd_cves), (3, 3, 1, 1));
    assert_eq!(st.sources.len(), 4);
    assert_eq!(st.schema_version, brig_db::SCHEMA_VERSION);
}

#[test]
fn duplicate_ids_in_one_feed_keep_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("x");
    let mut b = Builder::create(&tmp).unwrap();
    assert_eq!(b.add("f", &advisory("A", "PyPI", "p", "1")).unwrap(), brig_db::Added::Stored);
    assert_ne!(b.add("f", &advisory("A", "PyPI", "p", "2")).unwrap(), brig_db::Added::Stored);
    // The same id from another feed is a separate advisory.
    assert_eq!(b.add("g", &advisory("A", "PyPI", "p", "2")).unwrap(), brig_db::Added::Stored);
    install(&b.finish().unwrap(), &dir.path().join("db")).unwrap();
    assert_eq!(Db::open(&dir.path().join("db")).unwrap().affected("PyPI", "p").unwrap().len(), 2);
}

#[test]
fn a_failed_feed_keeps_its_previous_rows() {
    let dir = tempfile::tempdir().unwrap();
    let old = build(
        dir.path(),
        "old.db",
        &[
            ("a", vec![advisory("A-1", "PyPI", "one", "1.0")]),
            ("b", vec![advisory("B-1", "npm", "two", "2.0"), advisory("B-2", "npm", "two", "3.0")]),
            ("kev", vec![Record::Kev(KevEntry { cve: "CVE-1".into(), ..KevEntry::default() })]),
        ],
    );
    // Rebuild: feed `a` is fresh, `b` and `kev` failed and are copied from the old database.
    let tmp = dir.path().join("new.building");
    let mut b = Builder::create(&tmp).unwrap();
    b.add("a", &advisory("A-2", "PyPI", "one", "1.1")).unwrap();
    b.set_source(&meta("a", 1)).unwrap();
    assert_eq!(b.copy_source_from(&old, "b").unwrap(), 2);
    assert_eq!(b.copy_source_from(&old, "kev").unwrap(), 1);
    install(&b.finish().unwrap(), &old).unwrap();
    let db = Db::open(&old).unwrap();
    assert_eq!(db.affected("PyPI", "one").unwrap()[0].advisory_id, "A-2");
    let two: Vec<String> = db.affected("npm", "two").unwrap().into_iter().map(|h| h.advisory_id).collect();
    assert_eq!(two, ["B-1", "B-2"]);
    let (_, b1) = db.advisory(db.advisories_by_id("B-1").unwrap()[0].0).unwrap().unwrap();
    assert_eq!(b1.aliases, ["CVE-B-1"], "aliases follow the copied advisory");
    assert_eq!(b1.severities.len(), 1);
    assert!(db.kev("CVE-1").unwrap().is_some());
    let names: Vec<String> = db.sources().unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["a", "b", "kev"]);
}

#[test]
fn bundles_round_trip_and_refuse_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = build(dir.path(), "brig.db", &[("a", vec![advisory("A-1", "PyPI", "one", "1.0")])]);
    let bundle = dir.path().join("db.tar.zst");
    let m = export_bundle(&db_path, &bundle).unwrap();
    assert_eq!(m.sources[0].name, "a");
    let imported = dir.path().join("imported/brig.db");
    import_bundle(&bundle, &imported).unwrap();
    assert_eq!(Db::open(&imported).unwrap().affected("PyPI", "one").unwrap().len(), 1);
    let leftovers: Vec<_> =
        std::fs::read_dir(dir.path().join("imported")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers, ["brig.db"], "no temporary files left behind");

    // Flip one byte inside the database member: the checksum catches it.
    let raw = zstd::decode_all(std::fs::File::open(&bundle).unwrap()).unwrap();
    let at = raw.windows(16).position(|w| w == b"SQLite format 3\0").unwrap() + 4096 + 100;
    let mut evil = raw.clone();
    evil[at] ^= 0x55;
    let tampered = dir.path().join("tampered.tar.zst");
    std::fs::write(&tampered, zstd::encode_all(&evil[..], 3).unwrap()).unwrap();
    let target = dir.path().join("t/brig.db");
    let err = import_bundle(&tampered, &target).unwrap_err().to_string();
    assert!(err.contains("checksum"), "{err}");
    assert!(!target.exists(), "nothing installed");

    // Truncated and garbage bundles.
    let cut = dir.path().join("cut.tar.zst");
    let full = std::fs::read(&bundle).unwrap();
    std::fs::write(&cut, &full[..full.len() / 2]).unwrap();
    assert!(import_bundle(&cut, &target).is_err());
    std::fs::write(&cut, b"not a bundle").unwrap();
    assert!(import_bundle(&cut, &target).is_err());
    assert!(!target.exists());
}

#[test]
fn a_database_from_a_newer_brig_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = build(dir.path(), "brig.db", &[("a", vec![])]);
    let conn = rusqlite::Connection::open(&db_path).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    let err = Db::open(&db_path).err().unwrap().to_string();
    assert!(err.contains("schema version 99"), "{err}");
    assert!(matches!(Db::open(&dir.path().join("none.db")), Err(brig_db::DbError::Missing(_))));
}

#[test]
fn an_empty_file_is_migrated_to_the_current_schema() {
    // A database at version 0 (nothing created yet) goes through every migration.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v0.db");
    rusqlite::Connection::open(&p).unwrap().execute_batch("PRAGMA user_version = 0").unwrap();
    let db = Db::open(&p).unwrap();
    assert_eq!(db.status().unwrap().schema_version, brig_db::SCHEMA_VERSION);
}
