//! Images assembled around real package databases, for what the image corpus lacks:
//! rpm-based images (all three database formats), distroless dpkg `status.d`, OS release
//! fallbacks, and attribution when a later layer upgrades a package.

mod common;

use brig_layer::testing::TarBuilder;
use common::*;
use serde_json::Value;

fn rpmdb(dir: &str, file: &str) -> Vec<u8> {
    std::fs::read(shared().join("corpus/rpmdb").join(dir).join(file)).unwrap()
}

/// `rpm -qa` lines without gpg-pubkey, as `name\tepoch\tversion\trelease\tarch`.
fn rpm_truth(dir: &str, file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(shared().join("corpus/rpmdb").join(dir).join(file)).unwrap();
    let mut v: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with("gpg-pubkey\t"))
        .map(|l| l.split('\t').take(5).collect::<Vec<_>>().join("\t"))
        .collect();
    v.sort();
    v
}

fn rpm_lines(doc: &Value) -> Vec<String> {
    let mut v: Vec<String> = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let m = &p["metadata"];
            let version = p["version"].as_str().unwrap();
            let bare = version.split_once(':').map(|(_, r)| r).unwrap_or(version);
            let (ver, rel) = bare.rsplit_once('-').unwrap();
            assert_eq!(m["release"].as_str(), Some(rel));
            format!(
                "{}\t{}\t{}\t{}\t{}",
                p["name"].as_str().unwrap(),
                m["epoch"].as_u64().unwrap_or(0),
                ver,
                rel,
                p["arch"].as_str().unwrap()
            )
        })
        .collect();
    v.sort();
    v
}

const AMZN: &[u8] = b"NAME=\"Amazon Linux\"\nVERSION=\"2023\"\nID=\"amzn\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"2023\"\nPRETTY_NAME=\"Amazon Linux 2023\"\n";

#[test]
fn rpm_sqlite_image() {
    let sb = Sandbox::new();
    let layer = TarBuilder::new()
        .file("etc/os-release", AMZN)
        .file("var/lib/rpm/rpmdb.sqlite", &rpmdb("amazonlinux2023-sqlite", "rpmdb.sqlite"))
        .finish();
    let img = image_in(&sb, "amzn.tar", &[layer], Packing::Gzip);
    let doc = stdout_json(&sb.run(&["sbom", &img]));
    assert_eq!(rpm_lines(&doc), rpm_truth("amazonlinux2023-sqlite", "rpm-qa.tsv"));
    let gdbm = doc["packages"].as_array().unwrap().iter().find(|p| p["name"] == "gdbm-libs").unwrap();
    assert_eq!(gdbm["version"], "1:1.19-2.amzn2023.0.2");
    assert_eq!(gdbm["source_name"], "gdbm");
    assert_eq!(gdbm["source_version"], "1:1.19-2.amzn2023.0.2");
    assert_eq!(
        gdbm["purl"],
        "pkg:rpm/amzn/gdbm-libs@1.19-2.amzn2023.0.2?arch=x86_64&distro=amzn-2023&epoch=1&upstream=gdbm-1.19-2.amzn2023.0.2.src.rpm"
    );
    assert_eq!(gdbm["licenses"], serde_json::json!(["GPLv3+"]));
    assert_eq!(gdbm["found_in"], "/var/lib/rpm/rpmdb.sqlite");
    // The standard formats stay valid with rpm's licence strings.
    let cdx = stdout_json(&sb.run(&["sbom", &img, "-f", "cyclonedx"]));
    let comp = cdx["components"].as_array().unwrap().iter().find(|c| c["name"] == "gdbm-libs").unwrap();
    assert_eq!(comp["licenses"], serde_json::json!([{"expression": "GPL-3.0-or-later"}]));
    for kind in ["cyclonedx", "spdx"] {
        let out = sb.path(&format!("work/amzn.{kind}.json"));
        assert!(sb.run(&["sbom", &img, "-f", kind, "-o", out.to_str().unwrap()]).status.success());
        validate(kind, &out);
    }
}

#[test]
fn rpm_ndb_behind_a_symlinked_directory() {
    // SUSE keeps the database in /usr/lib/sysimage/rpm; /var/lib/rpm links there.
    let sb = Sandbox::new();
    let layer = TarBuilder::new()
        .file("usr/lib/os-release", b"ID=\"sles\"\nVERSION_ID=\"15.3\"\n")
        .symlink("etc/os-release", "../usr/lib/os-release")
        .file("usr/lib/sysimage/rpm/Packages.db", &rpmdb("sle15-bci-ndb", "Packages.db"))
        .symlink("var/lib/rpm", "../../usr/lib/sysimage/rpm")
        .finish();
    let img = image_in(&sb, "sle.tar", &[layer], Packing::Gzip);
    let doc = stdout_json(&sb.run(&["sbom", &img]));
    assert_eq!(doc["distro"]["id"], "sles");
    assert_eq!(rpm_lines(&doc), rpm_truth("sle15-bci-ndb", "expected.tsv"));
    let found: Vec<&str> =
        doc["packages"].as_array().unwrap().iter().map(|p| p["found_in"].as_str().unwrap()).collect();
    assert!(found.iter().all(|f| *f == "/usr/lib/sysimage/rpm/Packages.db"), "read once, at its real path");
}

#[test]
fn rpm_berkeley_db_in_a_later_layer() {
    let sb = Sandbox::new();
    let base = TarBuilder::new().file("etc/os-release", b"ID=\"rhel\"\nVERSION_ID=\"8.8\"\n").finish();
    let db = TarBuilder::new().file("var/lib/rpm/Packages", &rpmdb("rhel8-libuuid-bdb", "Packages")).finish();
    let img = image_in(&sb, "rhel.tar", &[base, db], Packing::Gzip);
    let doc = stdout_json(&sb.run(&["sbom", &img]));
    assert_eq!(rpm_lines(&doc), rpm_truth("rhel8-libuuid-bdb", "rpm-qa.tsv"));
    let p = &doc["packages"][0];
    assert_eq!(p["layer"]["index"], 1);
    assert_eq!(p["layer"]["created_by"], "test layer 1");
    assert_eq!(
        p["purl"],
        "pkg:rpm/rhel/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=rhel-8.8&upstream=util-linux-2.32.1-42.el8_8.src.rpm"
    );
}

#[test]
fn distroless_status_d() {
    // Google's distroless images: no shell, no status file, one status.d file per package.
    let sb = Sandbox::new();
    let layer = TarBuilder::new()
        .file("etc/os-release", b"PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"12\"\nVERSION=\"Debian GNU/Linux 12 (bookworm)\"\n")
        .file(
            "var/lib/dpkg/status.d/base-files",
            b"Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\nMaintainer: Santiago Vila <sanvila@debian.org>\nInstalled-Size: 403\n",
        )
        .file("var/lib/dpkg/status.d/base-files.md5sums", b"d41d8cd98f00b204e9800998ecf8427e  etc/debian_version\n")
        .file(
            "var/lib/dpkg/status.d/libssl3",
            b"Package: libssl3\nSource: openssl\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\n",
        )
        .finish();
    let tz = TarBuilder::new()
        .file("var/lib/dpkg/status.d/tzdata", b"Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n")
        .finish();
    let img = image_in(&sb, "distroless.tar", &[layer, tz], Packing::Gzip);
    let doc = stdout_json(&sb.run(&["sbom", &img]));
    let got: Vec<(String, String, u64, String)> = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["source_name"].as_str().unwrap().into(),
                p["layer"]["index"].as_u64().unwrap(),
                p["found_in"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("base-files".into(), "base-files".into(), 0, "/var/lib/dpkg/status.d/base-files".into()),
            ("libssl3".into(), "openssl".into(), 0, "/var/lib/dpkg/status.d/libssl3".into()),
            ("tzdata".into(), "tzdata".into(), 1, "/var/lib/dpkg/status.d/tzdata".into()),
        ]
    );
    assert_eq!(
        doc["packages"][1]["purl"],
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl"
    );
}

#[test]
fn os_release_fallbacks() {
    let sb = Sandbox::new();
    let only_usr_lib = TarBuilder::new().file("usr/lib/os-release", b"ID=debian\nVERSION_ID=\"12\"\n").finish();
    let doc = stdout_json(&sb.run(&["sbom", &image_in(&sb, "a.tar", &[only_usr_lib], Packing::Gzip)]));
    assert_eq!(
        (doc["distro"]["id"].as_str(), doc["distro"]["found_in"].as_str()),
        (Some("debian"), Some("/usr/lib/os-release"))
    );
    let debian_version = TarBuilder::new().file("etc/debian_version", b"10.13\n").finish();
    let doc = stdout_json(&sb.run(&["sbom", &image_in(&sb, "b.tar", &[debian_version], Packing::Gzip)]));
    assert_eq!((doc["distro"]["id"].as_str(), doc["distro"]["version_id"].as_str()), (Some("debian"), Some("10")));
    let alpine =
        TarBuilder::new().file("etc/alpine-release", b"3.20.3\n").file("lib/apk/db/installed", APK_DB).finish();
    let doc = stdout_json(&sb.run(&["sbom", &image_in(&sb, "c.tar", &[alpine], Packing::Gzip)]));
    assert_eq!(doc["distro"]["version_id"], "3.20.3");
    assert_eq!(doc["packages"][0]["purl"], "pkg:apk/alpine/busybox@1.36.1-r7?arch=x86_64&distro=alpine-3.20.3");
    let nothing = TarBuilder::new().file("hello", b"world").finish();
    let doc = stdout_json(&sb.run(&["sbom", &image_in(&sb, "d.tar", &[nothing], Packing::Gzip)]));
    assert!(doc.get("distro").is_none());
    assert_eq!(doc["packages"], serde_json::json!([]));
}

#[test]
fn an_upgrade_in_a_later_layer_is_attributed_to_that_layer() {
    let sb = Sandbox::new();
    let v1 = b"P:musl\nV:1.2.4-r1\nA:x86_64\no:musl\n\nP:busybox\nV:1.36.1-r7\nA:x86_64\no:busybox\n\n";
    let v2 = b"P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\nP:busybox\nV:1.36.1-r7\nA:x86_64\no:busybox\n\nP:zlib\nV:1.3-r0\nA:x86_64\n\n";
    let l0 = TarBuilder::new().file("etc/os-release", OS_RELEASE).file("lib/apk/db/installed", v1).finish();
    let l1 = TarBuilder::new().file("tmp/unrelated", b"x").finish();
    let l2 = TarBuilder::new().file("lib/apk/db/installed", v2).finish();
    let doc = stdout_json(&sb.run(&["sbom", &image_in(&sb, "upgrade.tar", &[l0, l1, l2], Packing::Gzip)]));
    let layers: Vec<(&str, &str, u64)> = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["version"].as_str().unwrap(), p["layer"]["index"].as_u64().unwrap()))
        .collect();
    assert_eq!(layers, [("busybox", "1.36.1-r7", 0), ("musl", "1.2.4-r2", 2), ("zlib", "1.3-r0", 2)]);
}
