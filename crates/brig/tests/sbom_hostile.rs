//! Bad input, one test per case: a clear error (exit 2) or a warning and a skip, never a
//! panic, never a write outside the cache directory, memory bounded whatever the size.

mod common;

use std::io::Write;

use brig_layer::testing::TarBuilder;
use common::*;

fn base_layer() -> Vec<u8> {
    TarBuilder::new().file("etc/os-release", OS_RELEASE).file("lib/apk/db/installed", APK_DB).finish()
}

fn members_in(sb: &Sandbox, name: &str, members: &[(String, Vec<u8>)]) -> String {
    let p = sb.path(&format!("work/{name}"));
    write_tar(&p, members);
    p.to_str().unwrap().to_owned()
}

fn no_strays(sb: &Sandbox, keep: &[&str]) {
    let strays: Vec<_> = sb.stray_files().into_iter().filter(|p| !keep.iter().any(|k| p.ends_with(k))).collect();
    assert!(strays.is_empty(), "files written outside the cache: {strays:?}");
}

#[test]
fn a_sound_test_image_reads_cleanly() {
    // Baseline for the cases below: the generated image itself is fine.
    let sb = Sandbox::new();
    for how in [Packing::Plain, Packing::Gzip, Packing::Zstd] {
        let img = image_in(&sb, "ok.tar", &[base_layer()], how);
        let doc = stdout_json(&sb.run(&["sbom", &img, "--no-cache"]));
        assert_eq!(doc["packages"].as_array().unwrap().len(), 2);
        assert_eq!(doc["distro"]["id"], "alpine");
    }
}

#[test]
fn truncated_archive() {
    let sb = Sandbox::new();
    let raw = std::fs::read(image("alpine-3.9.6.tar")).unwrap();
    let p = sb.path("work/cut.tar");
    std::fs::write(&p, &raw[..raw.len() / 2]).unwrap();
    assert_error(&sb.run(&["sbom", p.to_str().unwrap()]), &["truncated"]);
}

#[test]
fn truncated_layer_tar() {
    let sb = Sandbox::new();
    let tar = base_layer();
    // The outer archive is sound; the layer blob inside it ends mid-entry.
    let cut = tar[..700].to_vec();
    let members = archive_members(&[(cut.clone(), cut)]);
    let img = members_in(&sb, "cut-layer.tar", &members);
    assert_error(&sb.run(&["sbom", &img]), &["layer 0", "truncated"]);
}

#[test]
fn corrupt_gzip_layer() {
    let sb = Sandbox::new();
    let tar = base_layer();
    let mut gz = pack(&tar, Packing::Gzip);
    let mid = gz.len() / 2;
    for b in &mut gz[mid..mid + 8] {
        *b ^= 0xa5;
    }
    let img = members_in(&sb, "bad-gzip.tar", &archive_members(&[(gz, tar)]));
    assert_error(&sb.run(&["sbom", &img]), &["layer 0", "corrupt"]);
}

#[test]
fn corrupt_zstd_layer() {
    let sb = Sandbox::new();
    let tar = base_layer();
    let mut zst = pack(&tar, Packing::Zstd);
    let mid = zst.len() / 2;
    for b in &mut zst[mid..mid + 8] {
        *b ^= 0xa5;
    }
    let img = members_in(&sb, "bad-zstd.tar", &archive_members(&[(zst, tar)]));
    assert_error(&sb.run(&["sbom", &img]), &["layer 0"]);
}

#[test]
fn missing_manifest() {
    let sb = Sandbox::new();
    let tar = base_layer();
    let mut members = archive_members(&[(tar.clone(), tar)]);
    members.retain(|(n, _)| n != "manifest.json");
    let img = members_in(&sb, "no-manifest.tar", &members);
    assert_error(&sb.run(&["sbom", &img]), &["not a container image", "manifest.json"]);
    let img_arg = format!("docker-archive:{img}");
    assert_error(&sb.run(&["sbom", &img_arg]), &["no manifest.json"]);
}

#[test]
fn missing_layer_blob() {
    let sb = Sandbox::new();
    let tar = base_layer();
    let mut members = archive_members(&[(tar.clone(), tar.clone())]);
    let layer_name = format!("blobs/sha256/{}", sha256_hex(&tar));
    members.retain(|(n, _)| *n != layer_name);
    let img = members_in(&sb, "no-blob.tar", &members);
    assert_error(&sb.run(&["sbom", &img]), &["missing", &layer_name]);
}

#[test]
fn missing_config_blob() {
    let sb = Sandbox::new();
    let tar = base_layer();
    let mut members = archive_members(&[(tar.clone(), tar)]);
    members.remove(0);
    let img = members_in(&sb, "no-config.tar", &members);
    assert_error(&sb.run(&["sbom", &img]), &["missing"]);
}

#[test]
fn tampered_layer_content() {
    let sb = Sandbox::new();
    let tar = base_layer();
    let evil = TarBuilder::new().file("etc/os-release", b"ID=evil\n").finish();
    // The config promises `tar`'s diff_id; the archive carries other bytes under that name.
    let mut members = archive_members(&[(tar.clone(), tar.clone())]);
    let name = format!("blobs/sha256/{}", sha256_hex(&tar));
    members.iter_mut().find(|(n, _)| *n == name).unwrap().1 = evil;
    let img = members_in(&sb, "tampered.tar", &members);
    assert_error(&sb.run(&["sbom", &img]), &["mismatch", "tampered"]);
    assert!(
        !sb.cache().join("layers").exists()
            || std::fs::read_dir(sb.cache().join("layers/catalog-v1")).map(|d| d.count()).unwrap_or(0) == 0,
        "nothing cached for a tampered layer"
    );
}

#[test]
fn tampered_config() {
    let sb = Sandbox::new();
    let tar = base_layer();
    let mut members = archive_members(&[(tar.clone(), tar)]);
    members[0].1.extend_from_slice(b" ");
    let img = members_in(&sb, "bad-config.tar", &members);
    assert_error(&sb.run(&["sbom", &img]), &["config", "digest mismatch"]);
}

#[test]
fn entries_climbing_out_of_the_root_are_skipped_and_nothing_is_written() {
    let sb = Sandbox::new();
    let layer = TarBuilder::new()
        .file("etc/os-release", OS_RELEASE)
        .file("../../../../../escape-from-brig", b"x")
        .file("../etc/os-release", b"ID=evil\n")
        .file("lib/apk/db/installed", APK_DB)
        .finish();
    let img = image_in(&sb, "dotdot.tar", &[layer], Packing::Gzip);
    let o = sb.run(&["sbom", &img]);
    let doc = stdout_json(&o);
    assert_eq!(doc["distro"]["id"], "alpine", "a climbing entry must not shadow the real file");
    assert!(stderr(&o).contains("climbs out of the image root"), "{}", stderr(&o));
    assert!(doc["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("escape-from-brig")));
    no_strays(&sb, &["work/dotdot.tar"]);
    assert!(!std::path::Path::new("/escape-from-brig").exists());
}

#[test]
fn absolute_paths_are_rooted_at_the_image_root() {
    let sb = Sandbox::new();
    let layer = TarBuilder::new().file("/etc/os-release", OS_RELEASE).file("/lib/apk/db/installed", APK_DB).finish();
    let img = image_in(&sb, "abs.tar", &[layer], Packing::Plain);
    let doc = stdout_json(&sb.run(&["sbom", &img]));
    assert_eq!(doc["packages"].as_array().unwrap().len(), 2);
    assert_eq!(doc["distro"]["id"], "alpine");
    no_strays(&sb, &["work/abs.tar"]);
}

#[test]
fn symlink_loops_and_escaping_links() {
    let sb = Sandbox::new();
    let layer = TarBuilder::new()
        .symlink("etc/os-release", "../etc/loop-a")
        .symlink("etc/loop-a", "loop-b")
        .symlink("etc/loop-b", "/etc/loop-a")
        .symlink("usr/lib/os-release", "../../../../../../etc/passwd-outside")
        .symlink("lib", "lib")
        .file("etc/alpine-release", b"3.18.9\n")
        .finish();
    let img = image_in(&sb, "loops.tar", &[layer], Packing::Plain);
    let o = sb.run(&["sbom", &img]);
    let doc = stdout_json(&o);
    assert!(stderr(&o).contains("too many levels of symbolic links"), "{}", stderr(&o));
    // Identification falls through the broken links to alpine-release.
    assert_eq!(doc["distro"]["found_in"], "/etc/alpine-release");
}

#[test]
fn absurd_declared_size() {
    let sb = Sandbox::new();
    // A wanted file that claims a terabyte, then nothing.
    let layer = TarBuilder::new().file("etc/os-release", OS_RELEASE).lying("lib/apk/db/installed", 1 << 40).finish();
    let img = members_in(&sb, "lying.tar", &archive_members(&[(layer.clone(), layer)]));
    assert_error(&sb.run(&["sbom", &img]), &["layer 0", "truncated"]);
}

#[test]
fn not_an_archive_and_not_json() {
    let sb = Sandbox::new();
    let p = sb.path("work/random.bin");
    std::fs::write(&p, (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect::<Vec<_>>()).unwrap();
    assert_error(&sb.run(&["sbom", p.to_str().unwrap()]), &["not a container image"]);
    let empty = sb.path("work/empty.tar");
    std::fs::write(&empty, b"").unwrap();
    assert_error(&sb.run(&["sbom", empty.to_str().unwrap()]), &["not a container image"]);
    let tar = base_layer();
    let mut members = archive_members(&[(tar.clone(), tar)]);
    members.last_mut().unwrap().1 = b"[{\"Config\": ".to_vec();
    let img = members_in(&sb, "bad-json.tar", &members);
    assert_error(&sb.run(&["sbom", &img]), &["manifest.json", "not valid JSON"]);
    assert_error(&sb.run(&["sbom", "/nonexistent/image.tar"]), &["no such file"]);
}

#[test]
fn corrupt_package_database_is_a_warning() {
    let sb = Sandbox::new();
    let layer = TarBuilder::new()
        .file("etc/os-release", OS_RELEASE)
        .file("lib/apk/db/installed", b"X:garbage\nY:no name or version\n\nP:ok\nV:1-r0\n")
        .file("var/lib/rpm/rpmdb.sqlite", b"SQLite format 3\0but truncated")
        .finish();
    let img = image_in(&sb, "bad-db.tar", &[layer], Packing::Gzip);
    let o = sb.run(&["sbom", &img]);
    let doc = stdout_json(&o);
    assert_eq!(doc["packages"].as_array().unwrap().len(), 1, "the sound record is kept");
    let warnings = doc["warnings"].to_string();
    assert!(warnings.contains("skipped 1 record"), "{warnings}");
    assert!(warnings.contains("rpmdb.sqlite"), "{warnings}");
}

/// A gzip layer of `zeros` bytes of zeros at `name`, written to `out` without holding
/// the layer in memory.
fn write_zero_layer(out: &mut dyn Write, files: &[(&str, u64)]) -> Vec<u8> {
    use sha2::Digest as _;
    struct Tee<'a>(&'a mut dyn Write, sha2::Sha256);
    impl Write for Tee<'_> {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.1.update(b);
            self.0.write_all(b)?;
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.0.flush()
        }
    }
    let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
    let mut tee = Tee(&mut gz, sha2::Sha256::new());
    let head = TarBuilder::new().file("etc/os-release", OS_RELEASE).file("lib/apk/db/installed", APK_DB).finish();
    tee.write_all(&head[..head.len() - 1024]).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for (name, size) in files {
        let (header, pad) = TarBuilder::new().file_header(name, *size);
        tee.write_all(&header).unwrap();
        let mut left = *size;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            tee.write_all(&chunk[..n]).unwrap();
            left -= n as u64;
        }
        tee.write_all(&pad).unwrap();
    }
    tee.write_all(&[0u8; 1024]).unwrap();
    let diff_id = tee.1.finalize().to_vec();
    gz.finish().unwrap();
    diff_id
}

#[test]
fn memory_stays_bounded_on_a_gigabyte_layer() {
    // 1 GiB of layer: an oversized "dpkg status" (skipped with a warning) and a large
    // file nobody wants. Peak memory must not follow the layer's size.
    let sb = Sandbox::new();
    let mut blob = Vec::new();
    let diff = write_zero_layer(&mut blob, &[("var/lib/dpkg/status", 300 << 20), ("usr/share/big.img", 724 << 20)]);
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [format!("sha256:{}", hex::encode(diff))]},
    }))
    .unwrap();
    let members = vec![
        (format!("blobs/sha256/{}", sha256_hex(&config)), config.clone()),
        (format!("blobs/sha256/{}", sha256_hex(&blob)), blob.clone()),
        (
            "manifest.json".to_owned(),
            serde_json::to_vec(&serde_json::json!([{
                "Config": format!("blobs/sha256/{}", sha256_hex(&config)),
                "Layers": [format!("blobs/sha256/{}", sha256_hex(&blob))],
            }]))
            .unwrap(),
        ),
    ];
    drop(blob);
    let img = members_in(&sb, "big.tar", &members);
    drop(members);
    let o = sb.run(&["sbom", &img, "--no-cache"]);
    let doc = stdout_json(&o);
    assert_eq!(doc["packages"].as_array().unwrap().len(), 2);
    assert!(doc["warnings"].to_string().contains("var/lib/dpkg/status: 314572800 bytes"), "{}", doc["warnings"]);
    let rss_mib = children_max_rss_kib() / 1024;
    assert!(rss_mib < 64, "brig peaked at {rss_mib} MiB on a 1 GiB layer");
}

#[test]
fn decompression_bomb() {
    // A zstd layer expanding ~30000:1 is refused once it passes 1 GiB uncompressed,
    // long before it could cost real time; a tighter limit trips sooner.
    let sb = Sandbox::new();
    let size: u64 = 1100 << 20;
    let (header, pad) = TarBuilder::new().file_header("usr/zeros", size);
    let mut enc = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
    enc.write_all(&header).unwrap();
    let chunk = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        enc.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    enc.write_all(&pad).unwrap();
    enc.write_all(&[0u8; 1024]).unwrap();
    let bomb = enc.finish().unwrap();
    assert!(bomb.len() < 1 << 20, "the bomb is small: {}", bomb.len());
    // The config's diff_id is never reached: the bomb is stopped first.
    let members = archive_members(&[(bomb, b"never computed".to_vec())]);
    let img = members_in(&sb, "bomb.tar", &members);
    assert_error(&sb.run(&["sbom", &img, "--no-cache"]), &["layer 0", "decompression bomb"]);
    let o = sb.command(&["sbom", &img, "--no-cache"]).env("BRIG_MAX_LAYER_BYTES", "16777216").output().unwrap();
    assert_error(&o, &["layer 0", "16777216 bytes uncompressed"]);
    no_strays(&sb, &["work/bomb.tar"]);
}

#[test]
fn whiteouts_delete_lower_layer_packages() {
    let sb = Sandbox::new();
    let rpm_layer = TarBuilder::new().file("etc/os-release", OS_RELEASE).file("lib/apk/db/installed", APK_DB).finish();
    // Layer 1 removes the apk database with a whiteout; layer 2 hides /etc with an opaque marker.
    let wipe = TarBuilder::new().file("lib/apk/db/.wh.installed", b"").finish();
    let opaque = TarBuilder::new().file("etc/.wh..wh..opq", b"").file("etc/alpine-release", b"3.18.9\n").finish();
    let img = image_in(&sb, "wh.tar", &[rpm_layer, wipe, opaque], Packing::Gzip);
    let doc = stdout_json(&sb.run(&["sbom", &img]));
    assert_eq!(doc["packages"].as_array().unwrap().len(), 0);
    assert_eq!(doc["distro"]["found_in"], "/etc/alpine-release", "os-release hidden by the opaque directory");
}
