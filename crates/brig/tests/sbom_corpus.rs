//! `brig sbom` on the real images of `../shared/corpus/images/`, checked against each
//! image's `.truth.json` (computed by the real package tools) and against the official
//! SBOM schemas and validators.

mod common;

use common::*;
use serde_json::Value;

fn sbom(sb: &Sandbox, target: &str, extra: &[&str]) -> Value {
    let mut args = vec!["sbom", target];
    args.extend_from_slice(extra);
    stdout_json(&sb.run(&args))
}

fn check_truth(file: &str) {
    let sb = Sandbox::new();
    let t = truth(file);
    let doc = sbom(&sb, image(file).to_str().unwrap(), &["--no-cache"]);
    assert_eq!(os_package_keys(&doc), truth_keys(&t), "{file}: OS packages differ from the truth file");
    assert_eq!(doc["distro"]["id"], t["distro"]["id"], "{file}");
    assert_eq!(doc["distro"]["version_id"], t["distro"]["version_id"], "{file}");
    assert_eq!(doc["distro"]["pretty_name"], t["distro"]["pretty_name"], "{file}");
    // Every package names the file it was read from and its layer's diff_id.
    let layers = doc["source"]["layers"].as_array().unwrap();
    for p in doc["packages"].as_array().unwrap() {
        let idx = p["layer"]["index"].as_u64().unwrap() as usize;
        assert_eq!(p["layer"]["diff_id"], layers[idx]["diff_id"], "{file}: {}", p["name"]);
        assert!(p["found_in"].as_str().unwrap().starts_with('/'), "{file}: {}", p["name"]);
        assert!(p["purl"].as_str().unwrap().starts_with("pkg:"), "{file}: {}", p["name"]);
    }
}

#[test]
fn truth_alpine_3_9_classic_docker_save() {
    check_truth("alpine-3.9.6.tar");
}

#[test]
fn truth_alpine_3_18_oci_archive_zstd_nested_index() {
    check_truth("alpine-3.18.9.oci.tar");
}

#[test]
fn truth_debian_11_crane_tarball() {
    check_truth("debian-11-minbase.tar");
}

#[test]
fn truth_node_app_two_image_docker_save() {
    check_truth("node-app.tar");
}

#[test]
fn truth_python_app_docker25_oci_in_docker_save() {
    check_truth("python-app.tar");
}

#[test]
fn explicit_prefixes_read_the_same_image() {
    let sb = Sandbox::new();
    let p = image("alpine-3.18.9.oci.tar");
    let auto = sbom(&sb, p.to_str().unwrap(), &["--no-cache"]);
    let explicit = sbom(&sb, &format!("oci-archive:{}", p.display()), &["--no-cache"]);
    assert_eq!(os_package_keys(&auto), os_package_keys(&explicit));
    // python-app is both a docker-archive and an OCI layout (Docker 25+ writes both).
    let py = image("python-app.tar");
    let as_docker = sbom(&sb, &format!("docker-archive:{}", py.display()), &["--no-cache"]);
    let as_oci = sbom(&sb, &format!("oci-archive:{}", py.display()), &["--no-cache"]);
    assert_eq!(os_package_keys(&as_docker), os_package_keys(&as_oci));
    assert_eq!(as_docker["source"]["image_id"], as_oci["source"]["image_id"]);
    assert_eq!(as_oci["source"]["kind"], "oci-archive");
}

#[test]
fn platform_selection_in_a_multi_platform_index() {
    let sb = Sandbox::new();
    let p = image("alpine-3.18.9.oci.tar");
    let o = sb.run(&["sbom", p.to_str().unwrap(), "--no-cache"]);
    assert!(stderr(&o).contains("picked platform linux/amd64"), "says which platform it picked: {}", stderr(&o));
    let arm = stdout_json(&sb.run(&["sbom", p.to_str().unwrap(), "--no-cache", "--platform", "linux/arm64"]));
    assert_eq!(arm["source"]["platform"], "linux/arm64/v8");
    let amd_names: Vec<_> = truth_keys(&truth("alpine-3.18.9.oci.tar")).into_iter().map(|k| (k.0, k.1)).collect();
    let arm_keys = os_package_keys(&arm);
    let arm_names: Vec<_> = arm_keys.iter().map(|k| (k.0.clone(), k.1.clone())).collect();
    assert_eq!(arm_names, amd_names, "the arm64 image holds the same 15 packages");
    assert!(arm_keys.iter().all(|k| k.4 == "aarch64"), "{arm_keys:?}");
    let o = sb.run(&["sbom", p.to_str().unwrap(), "--platform", "linux/s390x"]);
    assert_error(&o, &["linux/s390x", "linux/amd64", "linux/arm64"]);
}

#[test]
fn docker_archive_image_selection() {
    let sb = Sandbox::new();
    let p = image("node-app.tar");
    let o = sb.run(&["sbom", p.to_str().unwrap(), "--no-cache"]);
    assert!(stderr(&o).contains("holds 2 images"), "{}", stderr(&o));
    let by_tag =
        stdout_json(&sb.run(&["sbom", &format!("docker-archive:{}:alpine:3.18.9", p.display()), "--no-cache"]));
    let by_index = stdout_json(&sb.run(&["sbom", &format!("docker-archive:{}:@1", p.display()), "--no-cache"]));
    assert_eq!(by_tag["source"]["name"], "alpine:3.18.9");
    assert_eq!(by_tag["packages"], by_index["packages"]);
    assert_eq!(by_tag["source"]["image_id"], by_index["source"]["image_id"]);
    // The second image is the plain alpine base: the same packages as the app, all in layer 0.
    assert_eq!(os_package_keys(&by_tag), truth_keys(&truth("node-app.tar")));
    assert_eq!(by_tag["source"]["layers"].as_array().unwrap().len(), 1);
    assert_error(&sb.run(&["sbom", &format!("docker-archive:{}:nope:1", p.display())]), &["no image tagged nope:1"]);
    assert_error(&sb.run(&["sbom", &format!("docker-archive:{}:@7", p.display())]), &["@7"]);
}

fn unpack(archive: &std::path::Path, into: &std::path::Path) {
    let mut a = tar::Archive::new(std::fs::File::open(archive).unwrap());
    a.unpack(into).unwrap();
}

#[test]
fn oci_layout_directory() {
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    unpack(&image("alpine-3.18.9.oci.tar"), dir.path());
    let from_dir = sbom(&sb, &format!("oci:{}", dir.path().display()), &["--no-cache"]);
    assert_eq!(from_dir["source"]["kind"], "oci-dir");
    assert_eq!(os_package_keys(&from_dir), truth_keys(&truth("alpine-3.18.9.oci.tar")));
    // Detected without a prefix too.
    let auto = sbom(&sb, dir.path().to_str().unwrap(), &["--no-cache"]);
    assert_eq!(auto["source"]["kind"], "oci-dir");
}

#[test]
fn root_filesystem_directory() {
    let sb = Sandbox::new();
    let outer = tempfile::tempdir().unwrap();
    unpack(&image("alpine-3.9.6.tar"), outer.path());
    let manifest: Value = serde_json::from_slice(&std::fs::read(outer.path().join("manifest.json")).unwrap()).unwrap();
    let layer = outer.path().join(manifest[0]["Layers"][0].as_str().unwrap());
    let rootfs = tempfile::tempdir().unwrap();
    unpack(&layer, rootfs.path());
    let doc = sbom(&sb, &format!("dir:{}", rootfs.path().display()), &[]);
    assert_eq!(doc["source"]["kind"], "dir");
    let want: Vec<_> = truth_keys(&truth("alpine-3.9.6.tar")).into_iter().map(|k| (k.0, k.1, k.2, k.3, k.4)).collect();
    let got: Vec<_> = os_package_keys(&doc).into_iter().map(|k| (k.0, k.1, k.2, k.3, k.4)).collect();
    assert_eq!(got, want);
    assert!(doc["packages"][0].get("layer").is_none(), "a directory has no layers");
}

#[test]
fn gzip_compressed_archive_is_read_and_scratch_is_cleaned() {
    let sb = Sandbox::new();
    let gz = sb.path("work/alpine.tar.gz");
    let raw = std::fs::read(image("alpine-3.9.6.tar")).unwrap();
    std::fs::write(&gz, brig_layer::testing::gzip(&raw)).unwrap();
    let doc = sbom(&sb, gz.to_str().unwrap(), &["--no-cache"]);
    assert_eq!(os_package_keys(&doc), truth_keys(&truth("alpine-3.9.6.tar")));
    std::fs::remove_file(&gz).unwrap();
    assert_eq!(sb.stray_files(), Vec::<std::path::PathBuf>::new(), "scratch copy left behind");
}

/// Counts from `-v`: (layers, from cache).
fn layer_stats(o: &std::process::Output) -> (u64, u64) {
    let err = stderr(o);
    let line = err.lines().find(|l| l.contains("from cache:")).unwrap_or_else(|| panic!("no stats line in {err}"));
    let num = |key: &str| -> u64 {
        let rest = &line[line.find(key).unwrap() + key.len()..];
        rest.trim_start().split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
    };
    (num("layers:"), num("from cache:"))
}

#[test]
fn layer_cache_skips_a_shared_base_layer() {
    let sb = Sandbox::new();
    let base = image("debian-11-minbase.tar");
    let app = image("python-app.tar");
    let o = sb.run(&["-v", "sbom", base.to_str().unwrap()]);
    assert_eq!(layer_stats(&o), (1, 0));
    let cached_run = sb.run(&["-v", "sbom", app.to_str().unwrap()]);
    assert_eq!(layer_stats(&cached_run), (3, 1), "python-app's base layer is debian-11-minbase's");
    let fresh = sb.run(&["-v", "sbom", app.to_str().unwrap(), "--no-cache"]);
    assert_eq!(layer_stats(&fresh), (3, 0));
    assert_eq!(stdout_json(&cached_run), stdout_json(&fresh), "cached and fresh analyses agree");
    let again = sb.run(&["-v", "sbom", app.to_str().unwrap()]);
    assert_eq!(layer_stats(&again), (3, 3));
    assert_eq!(sb.stray_files(), Vec::<std::path::PathBuf>::new(), "only the cache was written");
}

#[test]
fn output_is_byte_for_byte_deterministic() {
    let sb = Sandbox::new();
    let p = image("python-app.tar");
    for format in ["json", "cyclonedx", "spdx"] {
        let run = || {
            let o = sb
                .command(&["sbom", p.to_str().unwrap(), "-f", format])
                .env("SOURCE_DATE_EPOCH", "1700000000")
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            o.stdout
        };
        assert_eq!(run(), run(), "{format}");
    }
}

#[test]
fn output_file_option_writes_the_same_document() {
    let sb = Sandbox::new();
    let p = image("alpine-3.9.6.tar");
    let out = sb.path("work/sbom.json");
    let o = sb.run(&["sbom", p.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success() && o.stdout.is_empty(), "{}", stderr(&o));
    let from_file: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(from_file, sbom(&sb, p.to_str().unwrap(), &[]));
}

fn check_formats(file: &str) {
    let sb = Sandbox::new();
    let p = image(file);
    for kind in ["cyclonedx", "spdx"] {
        let out = sb.path(&format!("work/{kind}.json"));
        let o = sb.run(&["sbom", p.to_str().unwrap(), "-f", kind, "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        validate(kind, &out);
    }
}

#[test]
fn schemas_alpine_3_9() {
    check_formats("alpine-3.9.6.tar");
}

#[test]
fn schemas_alpine_3_18() {
    check_formats("alpine-3.18.9.oci.tar");
}

#[test]
fn schemas_debian_11() {
    check_formats("debian-11-minbase.tar");
}

#[test]
fn schemas_node_app() {
    check_formats("node-app.tar");
}

#[test]
fn schemas_python_app() {
    check_formats("python-app.tar");
}

#[test]
fn a_broken_document_fails_the_validators() {
    // The validators must be able to fail: feed them a document brig would never write.
    let sb = Sandbox::new();
    let out = sb.path("work/c.json");
    let o =
        sb.run(&["sbom", image("alpine-3.9.6.tar").to_str().unwrap(), "-f", "cyclonedx", "-o", out.to_str().unwrap()]);
    assert!(o.status.success());
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    doc["components"][1]["purl"] = Value::from(42);
    std::fs::write(&out, serde_json::to_vec(&doc).unwrap()).unwrap();
    let o = run_validator("cyclonedx", &out);
    let (said, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "the validators must reject it, exiting 1:\n{said}{err}");
    assert!(said.contains("INVALID"), "{said}{err}");
    // Both the schema and the purl parser object to the purl.
    assert!(err.contains("/components/1/purl: 42 is not of type 'string'"), "{err}");
    assert!(err.contains("purl 42:"), "{err}");
}

#[test]
fn cyclonedx_components_carry_purl_upstream_and_layer() {
    let sb = Sandbox::new();
    let doc = sbom(&sb, image("python-app.tar").to_str().unwrap(), &["-f", "cyclonedx"]);
    let comps = doc["components"].as_array().unwrap();
    let find = |name: &str| comps.iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("{name} missing"));
    let prop = |c: &Value, k: &str| {
        c["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == k)
            .map(|p| p["value"].as_str().unwrap().to_owned())
    };
    let libc = find("libc6");
    assert_eq!(libc["purl"], "pkg:deb/debian/libc6@2.31-13%2Bdeb11u11?arch=amd64&distro=debian-11&upstream=glibc");
    assert_eq!(
        find("coreutils")["purl"],
        "pkg:deb/debian/coreutils@8.32-4%2Bb1?arch=amd64&distro=debian-11&upstream=coreutils%408.32-4"
    );
    assert_eq!(
        find("bsdutils")["purl"],
        "pkg:deb/debian/bsdutils@1:2.36.1-8%2Bdeb11u2?arch=amd64&distro=debian-11&upstream=util-linux%402.36.1-8%2Bdeb11u2"
    );
    let truth = truth("python-app.tar");
    let json = sbom(&sb, image("python-app.tar").to_str().unwrap(), &[]);
    let layers = json["source"]["layers"].as_array().unwrap();
    let layer_of = |name: &str| {
        truth["os_packages"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["layer_index"]
            .as_u64()
            .unwrap() as usize
    };
    for name in ["libc6", "python3.9", "python3-yaml"] {
        assert_eq!(prop(find(name), "brig:layer").as_deref(), layers[layer_of(name)]["diff_id"].as_str(), "{name}");
    }
    assert_eq!(doc["metadata"]["component"]["type"], "container");
    assert!(comps.iter().any(|c| c["type"] == "operating-system" && c["name"] == "debian"));
}
