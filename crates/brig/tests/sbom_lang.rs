//! Language packages: the corpus images against their truth files, images holding files
//! made by the real tools (npm, cargo, go, jar), ownership by OS packages, and hostile
//! language files.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use brig_layer::testing::TarBuilder;
use common::*;
use serde_json::Value;

fn sbom(sb: &Sandbox, target: &str) -> Value {
    stdout_json(&sb.run(&["sbom", target, "--no-cache"]))
}

fn packages<'a>(doc: &'a Value, kind: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    doc["packages"].as_array().unwrap().iter().filter(move |p| p["type"] == kind)
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or("").to_owned()
}

/// The directory a truth file names for a package: brig reports the metadata file inside it.
fn package_dir(found_in: &str) -> String {
    for file in ["/METADATA", "/PKG-INFO", "/package.json"] {
        if let Some(d) = found_in.strip_suffix(file) {
            return d.to_owned();
        }
    }
    found_in.to_owned()
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../brig-catalog/tests/fixtures").join(rel)
}

#[test]
fn python_app_language_packages_equal_the_truth() {
    let sb = Sandbox::new();
    let doc = sbom(&sb, image("python-app.tar").to_str().unwrap());
    let t = truth("python-app.tar");
    let owner_name = |p: &Value| -> String {
        let Some(id) = p["metadata"]["owned_by"].as_str() else { return "pip".into() };
        let owner = doc["packages"].as_array().unwrap().iter().find(|q| q["id"] == id).expect("owner is a package");
        assert_eq!(owner["type"], "deb");
        format!("dpkg:{}", s(&owner["name"]))
    };
    let mut got: Vec<(String, String, String, u64, String)> = packages(&doc, "pypi")
        .map(|p| {
            (
                s(&p["name"]),
                s(&p["version"]),
                package_dir(&s(&p["found_in"])),
                p["layer"]["index"].as_u64().unwrap(),
                owner_name(p),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String, String, u64, String)> = t["language_packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let owner = match p["owner"].as_str() {
                Some("dpkg") => "dpkg:python3-yaml".to_owned(), // the truth's note names the package
                _ => "pip".to_owned(),
            };
            (s(&p["name"]), s(&p["version"]), s(&p["path"]), p["layer_index"].as_u64().unwrap(), owner)
        })
        .collect();
    want.sort();
    assert_eq!(got, want);
    // requirements.txt pins what pip installed: those packages are direct dependencies.
    for p in packages(&doc, "pypi").filter(|p| p["metadata"]["owned_by"].is_null()) {
        assert_eq!(p["metadata"]["direct"], true, "{}", p["name"]);
        assert_eq!(p["purl"], format!("pkg:pypi/{}@{}", s(&p["name"]), s(&p["version"])));
    }
}

#[test]
fn node_app_language_packages_equal_the_truth() {
    let sb = Sandbox::new();
    let doc = sbom(&sb, image("node-app.tar").to_str().unwrap());
    let t = truth("node-app.tar");
    let mut got: Vec<(String, String, String, u64, bool)> = packages(&doc, "npm")
        .map(|p| {
            (
                s(&p["name"]),
                s(&p["version"]),
                package_dir(&s(&p["found_in"])),
                p["layer"]["index"].as_u64().unwrap(),
                p["metadata"]["dev"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String, String, u64, bool)> = t["language_packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (s(&p["name"]), s(&p["version"]), s(&p["path"]), p["layer_index"].as_u64().unwrap(), p["dev"] == true))
        .collect();
    want.sort();
    assert_eq!(got.len(), 71);
    assert_eq!(got, want);
    let xmldom = packages(&doc, "npm").find(|p| p["name"] == "@xmldom/xmldom").unwrap();
    assert_eq!(xmldom["purl"], "pkg:npm/%40xmldom/xmldom@0.7.5");
    assert_eq!(xmldom["metadata"]["direct"], true);
    let express = packages(&doc, "npm").find(|p| p["name"] == "express").unwrap();
    assert_eq!(
        (&express["metadata"]["direct"], &express["metadata"]["dev"]),
        (&Value::Bool(true), &Value::Bool(false))
    );
}

#[test]
fn lock_files_written_by_npm_and_cargo() {
    let sb = Sandbox::new();
    let tmp = tempfile::tempdir().unwrap();
    // npm: a lock file only (nothing installed), with a scoped package and a dev dependency.
    let web = tmp.path().join("web");
    std::fs::create_dir(&web).unwrap();
    std::fs::write(
        web.join("package.json"),
        r#"{"name": "web", "version": "1.0.0", "dependencies": {"ms": "2.1.3", "@xmldom/xmldom": "0.8.10", "debug": "4.3.4"}, "devDependencies": {"is-number": "7.0.0"}}"#,
    )
    .unwrap();
    run_ok(
        Command::new("npm")
            .args(["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&web),
    );
    let listed: Value = serde_json::from_slice(
        &run_ok(Command::new("npm").args(["ls", "--all", "--package-lock-only", "--json"]).current_dir(&web)).stdout,
    )
    .unwrap();
    let mut npm_want = BTreeSet::new();
    let mut stack = vec![&listed["dependencies"]];
    while let Some(deps) = stack.pop() {
        for (name, d) in deps.as_object().into_iter().flatten() {
            npm_want.insert((name.clone(), s(&d["version"])));
            stack.push(&d["dependencies"]);
        }
    }
    // cargo: a lock file for a crate with two dependencies.
    let krate = tmp.path().join("krate");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::write(
        krate.join("Cargo.toml"),
        "[package]\nname = \"krate\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nsmallvec = \"=1.6.0\"\nitoa = \"=1.0.9\"\n",
    )
    .unwrap();
    std::fs::write(krate.join("src/lib.rs"), "").unwrap();
    run_ok(Command::new("cargo").arg("generate-lockfile").current_dir(&krate));
    let meta: Value = serde_json::from_slice(
        &run_ok(Command::new("cargo").args(["metadata", "--format-version", "1", "--locked"]).current_dir(&krate))
            .stdout,
    )
    .unwrap();
    let cargo_want: BTreeSet<(String, String)> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["source"].is_null())
        .map(|p| (s(&p["name"]), s(&p["version"])))
        .collect();

    let layer = TarBuilder::new()
        .file("srv/web/package.json", &std::fs::read(web.join("package.json")).unwrap())
        .file("srv/web/package-lock.json", &std::fs::read(web.join("package-lock.json")).unwrap())
        .file("srv/krate/Cargo.lock", &std::fs::read(krate.join("Cargo.lock")).unwrap())
        .finish();
    let img = image_in(&sb, "locks.tar", &[layer], Packing::Gzip);
    let doc = sbom(&sb, &img);
    let got = |kind: &str| -> BTreeSet<(String, String)> {
        packages(&doc, kind).map(|p| (s(&p["name"]), s(&p["version"]))).collect()
    };
    assert_eq!(got("npm"), npm_want);
    assert_eq!(got("cargo"), cargo_want);
    assert!(npm_want.contains(&("ms".into(), "2.1.3".into())), "{npm_want:?}");
    assert!(npm_want.contains(&("@xmldom/xmldom".into(), "0.8.10".into())), "{npm_want:?}");
    assert!(cargo_want.contains(&("smallvec".into(), "1.6.0".into())));
    for p in packages(&doc, "npm") {
        assert_eq!(p["found_in"], "/srv/web/package-lock.json");
        let dev = p["name"] == "is-number";
        assert_eq!(p["metadata"]["dev"], dev, "{}", p["name"]);
    }
    for p in packages(&doc, "cargo") {
        assert_eq!(p["found_in"], "/srv/krate/Cargo.lock");
        assert_eq!(p["metadata"]["direct"], true, "{}", p["name"]);
    }
}

#[test]
fn java_archives_nested_and_attributed() {
    let sb = Sandbox::new();
    let base = TarBuilder::new().file("etc/os-release", b"ID=debian\nVERSION_ID=12\n").finish();
    let app = TarBuilder::new()
        .file("opt/app/demo-boot-1.0.0.jar", &std::fs::read(fixture("java/demo-boot-1.0.0.jar")).unwrap())
        .file("opt/app/commons-cli-1.5.0.jar", &std::fs::read(fixture("java/commons-cli-1.5.0.jar")).unwrap())
        .finish();
    let img = image_in(&sb, "java.tar", &[base, app], Packing::Gzip);
    let doc = sbom(&sb, &img);
    let maven: Vec<&Value> = packages(&doc, "maven").collect();
    let cli = maven.iter().find(|p| p["name"] == "commons-cli:commons-cli").expect("commons-cli");
    assert_eq!((s(&cli["version"]), s(&cli["found_in"])), ("1.5.0".into(), "/opt/app/commons-cli-1.5.0.jar".into()));
    assert_eq!(cli["purl"], "pkg:maven/commons-cli/commons-cli@1.5.0");
    assert_eq!(cli["layer"]["index"], 1);
    let nested: Vec<&&Value> = maven.iter().filter(|p| p["found_in"] == "/opt/app/demo-boot-1.0.0.jar").collect();
    assert!(nested.len() >= 2, "the fat jar and the jars inside it: {nested:?}");
    assert!(nested.iter().any(|p| s(&p["metadata"]["sub_path"]).starts_with("BOOT-INF/lib/")), "{nested:?}");
    // Two packages nested in one archive have distinct ids.
    let ids: BTreeSet<&str> = maven.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), maven.len());
}

#[test]
fn files_an_os_package_installed_are_marked_as_its_own() {
    let sb = Sandbox::new();
    let jar = std::fs::read(fixture("java/commons-cli-1.5.0.jar")).unwrap();
    let layer = TarBuilder::new()
        .file("etc/os-release", b"ID=debian\nVERSION_ID=12\n")
        .file(
            "var/lib/dpkg/status",
            b"Package: libcommons-cli-java\nStatus: install ok installed\nVersion: 1.5.0-1\nArchitecture: all\n\n",
        )
        .file(
            "var/lib/dpkg/info/libcommons-cli-java.list",
            b"/.\n/usr\n/usr/share\n/usr/share/java\n/usr/share/java/commons-cli-1.5.0.jar\n/usr/share/java/commons-cli.jar\n",
        )
        .file("usr/share/java/commons-cli-1.5.0.jar", &jar)
        .symlink("usr/share/java/commons-cli.jar", "commons-cli-1.5.0.jar")
        .file("opt/app/lib/commons-cli-1.5.0.jar", &jar)
        .finish();
    let img = image_in(&sb, "owned.tar", &[layer], Packing::Gzip);
    let doc = sbom(&sb, &img);
    let deb = doc["packages"].as_array().unwrap().iter().find(|p| p["type"] == "deb").unwrap();
    let owned: Vec<(String, Value)> =
        packages(&doc, "maven").map(|p| (s(&p["found_in"]), p["metadata"]["owned_by"].clone())).collect();
    assert_eq!(
        owned,
        [
            ("/opt/app/lib/commons-cli-1.5.0.jar".to_owned(), Value::Null),
            ("/usr/share/java/commons-cli-1.5.0.jar".to_owned(), deb["id"].clone()),
        ]
    );
    // Both standard formats say so, and stay valid.
    let cdx = sb.path("work/owned.cdx.json");
    let spdx = sb.path("work/owned.spdx.json");
    for (format, out) in [("cyclonedx", &cdx), ("spdx-json", &spdx)] {
        let o = sb.run(&["sbom", &img, "--no-cache", "-f", format, "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    validate("cyclonedx", &cdx);
    validate("spdx", &spdx);
    let c: Value = serde_json::from_slice(&std::fs::read(&cdx).unwrap()).unwrap();
    let owned_prop = c["components"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["properties"].as_array().into_iter().flatten())
        .filter(|p| p["name"] == "brig:owned-by")
        .count();
    assert_eq!(owned_prop, 1);
    let sp: Value = serde_json::from_slice(&std::fs::read(&spdx).unwrap()).unwrap();
    let from_deb = sp["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["relationshipType"] == "CONTAINS" && s(&r["spdxElementId"]).starts_with("SPDXRef-Package-deb-"))
        .count();
    assert_eq!(from_deb, 1);
    // Read back, the ownership survives (so a scan of the SBOM does not match it twice).
    for file in [&cdx, &spdx] {
        let back = stdout_json(&sb.run(&["sbom", &format!("sbom:{}", file.display())]));
        let n = packages(&back, "maven").filter(|p| !p["metadata"]["owned_by"].is_null()).count();
        assert_eq!(n, 1, "{}", file.display());
    }
}

/// A zip archive (stored entries) built here, for nesting and bombs.
fn zip(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file(*name, opts).unwrap();
        std::io::Write::write_all(&mut w, data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn hostile_language_files_are_warnings_and_the_rest_is_cataloged() {
    let sb = Sandbox::new();
    // 40 levels of jars in jars.
    let mut nested = zip(&[(
        "META-INF/MANIFEST.MF",
        b"Manifest-Version: 1.0\nImplementation-Title: core\nImplementation-Version: 1\n".to_vec(),
    )]);
    for i in 0..40 {
        nested = zip(&[(&format!("lib/level{i}.jar"), nested)]);
    }
    // 1 GiB of zeros as a deflated manifest.
    let bomb = {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file("META-INF/MANIFEST.MF", opts).unwrap();
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..1024 {
            std::io::Write::write_all(&mut w, &chunk).unwrap();
        }
        w.finish().unwrap().into_inner()
    };
    let good_jar = std::fs::read(fixture("java/commons-cli-1.5.0.jar")).unwrap();
    let mut fake_go = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0".to_vec();
    fake_go.resize(4096, 0);
    fake_go.extend_from_slice(b"\xff Go buildinf:\x08\x02garbage that is not build info");
    fake_go.resize(8192, 0xee);
    let mut layer = TarBuilder::new()
        .file("etc/os-release", b"ID=alpine\nVERSION_ID=3.18.9\n")
        .file("app/package-lock.json", b"{\"lockfileVersion\": 3, \"packages\": {\"node_modules/x\": ")
        .file("app/poetry.lock", b"[[package]\nname = ")
        .file("app/Cargo.lock", b"\x00\x01\x02 not toml")
        .file("app/go.mod", b"module \"unterminated\nrequire (\n")
        .file("app/lib/truncated.jar", &good_jar[..good_jar.len() / 2])
        .file("app/lib/bomb.jar", &bomb)
        .file("app/lib/deep.jar", &nested)
        .file("app/lib/commons-cli-1.5.0.jar", &good_jar)
        .executable("app/bin/fake-go", &fake_go)
        .file("usr/lib/python3.11/site-packages/bad.dist-info/METADATA", b"Metadata-Version: 2.1\n\n")
        .file(
            "usr/lib/python3.11/site-packages/good-1.0.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: good\nVersion: 1.0\n",
        );
    // A large node_modules tree: 20,000 packages.
    for i in 0..20_000 {
        layer = layer.file(
            &format!("srv/node_modules/pkg-{i}/package.json"),
            format!("{{\"name\": \"pkg-{i}\", \"version\": \"1.0.{i}\"}}").as_bytes(),
        );
    }
    let img = image_in(&sb, "hostile.tar", &[layer.finish()], Packing::Gzip);
    let before = children_max_rss_kib();
    let o = sb.run(&["sbom", &img, "--no-cache"]);
    let doc = stdout_json(&o);
    let warnings = doc["warnings"].to_string();
    for file in [
        "/app/package-lock.json",
        "/app/poetry.lock",
        "/app/Cargo.lock",
        "/app/go.mod",
        "/app/lib/truncated.jar",
        "/app/lib/bomb.jar",
        "/app/lib/deep.jar",
        "/usr/lib/python3.11/site-packages/bad.dist-info/METADATA",
    ] {
        assert!(warnings.contains(file), "no warning names {file}: {warnings}");
    }
    assert!(packages(&doc, "maven").any(|p| p["name"] == "commons-cli:commons-cli"));
    assert!(packages(&doc, "pypi").any(|p| p["name"] == "good"));
    assert_eq!(packages(&doc, "npm").count(), 20_000);
    assert_eq!(packages(&doc, "golang").count(), 0, "garbage is not build info");
    assert!(!stderr(&o).contains("panicked"));
    let rss = children_max_rss_kib().max(before);
    assert!(rss < 256 * 1024, "peak RSS {rss} KiB");
}

#[test]
fn a_root_filesystem_directory_is_cataloged_the_same_way() {
    let sb = Sandbox::new();
    let root = sb.path("work/rootfs");
    std::fs::create_dir_all(root.join("opt/app")).unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/os-release"), "ID=debian\nVERSION_ID=12\n").unwrap();
    std::fs::copy(fixture("java/commons-cli-1.5.0.jar"), root.join("opt/app/commons-cli-1.5.0.jar")).unwrap();
    std::fs::create_dir_all(root.join("opt/app/node_modules/ms")).unwrap();
    std::fs::write(root.join("opt/app/node_modules/ms/package.json"), r#"{"name": "ms", "version": "2.1.3"}"#).unwrap();
    let doc = sbom(&sb, &format!("dir:{}", root.display()));
    let names: BTreeSet<String> = doc["packages"].as_array().unwrap().iter().map(|p| s(&p["name"])).collect();
    assert!(names.contains("commons-cli:commons-cli") && names.contains("ms"), "{names:?}");
}

/// Builds the Go fixture program (`../brig-catalog/tests/fixtures/golang`) with the real
/// `go build`, against a file-based module proxy: no network.
fn go_build(out: &Path, extra: &[&str], env: &[(&str, &str)]) {
    let fixtures = fixture("golang");
    let tmp = tempfile::tempdir().unwrap();
    // The module tree is copied so that the build writes nothing into the repository.
    for d in ["app", "lib"] {
        let dst = tmp.path().join(d);
        std::fs::create_dir_all(&dst).unwrap();
        for f in std::fs::read_dir(fixtures.join(d)).unwrap().flatten() {
            std::fs::copy(f.path(), dst.join(f.file_name())).unwrap();
        }
    }
    let mut cmd = Command::new("go");
    cmd.args(["build", "-trimpath", "-buildvcs=false", "-o"])
        .arg(out)
        .args(extra)
        .arg(".")
        .current_dir(tmp.path().join("app"))
        .env("GOPROXY", format!("file://{}", fixtures.join("proxy").display()))
        .env("GOSUMDB", "off")
        .env("GOFLAGS", "-modcacherw -mod=readonly")
        .env("GOMODCACHE", tmp.path().join("modcache"))
        .env("GOPATH", tmp.path().join("gopath"))
        .env("GOCACHE", std::env::temp_dir().join("brig-test-go-build-cache"))
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off")
        .env("GOENV", "off");
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_ok(&mut cmd);
}

/// What `go version -m` says a binary holds: (module path, version) with replacements
/// applied as the build used them, and the toolchain.
fn go_version_m(bin: &Path) -> (BTreeSet<(String, String)>, String) {
    let text = String::from_utf8(run_ok(Command::new("go").arg("version").arg("-m").arg(bin)).stdout).unwrap();
    let mut mods = BTreeSet::new();
    let mut toolchain = String::new();
    let mut last: Option<(String, String)> = None;
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            [_, v] if line.contains(": go1.") => toolchain = v.trim_start_matches("go").to_owned(),
            ["dep", path, version, ..] => {
                if let Some(l) = last.take() {
                    mods.insert(l);
                }
                last = Some((path.to_string(), version.to_string()));
            }
            // A directory replacement (`=> ../lib (devel)`) keeps the required module's identity.
            ["=>", path, version, ..] if !version.starts_with('(') => {
                last = Some((path.to_string(), version.to_string()))
            }
            _ => {}
        }
    }
    mods.extend(last);
    (mods, toolchain)
}

#[test]
fn go_binaries_built_with_go_build() {
    let sb = Sandbox::new();
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("app");
    let stripped = tmp.path().join("app-stripped");
    let static_pie = tmp.path().join("app-static");
    go_build(&plain, &[], &[]);
    go_build(&stripped, &["-ldflags=-s -w"], &[]);
    go_build(&static_pie, &[], &[("CGO_ENABLED", "0")]);
    let (want, toolchain) = go_version_m(&plain);
    assert!(want.len() >= 3, "{want:?}");
    let layer = TarBuilder::new()
        .file("etc/os-release", b"ID=debian\nVERSION_ID=12\n")
        .executable("usr/local/bin/app", &std::fs::read(&plain).unwrap())
        .executable("usr/local/bin/app-stripped", &std::fs::read(&stripped).unwrap())
        .executable("opt/static/app", &std::fs::read(&static_pie).unwrap())
        .finish();
    let img = image_in(&sb, "go.tar", &[layer], Packing::Gzip);
    let doc = sbom(&sb, &img);
    for bin in ["/usr/local/bin/app", "/usr/local/bin/app-stripped", "/opt/static/app"] {
        let got: BTreeSet<(String, String)> = packages(&doc, "golang")
            .filter(|p| p["found_in"] == bin && p["name"] != "stdlib")
            .map(|p| (s(&p["name"]), s(&p["version"])))
            .collect();
        assert_eq!(got, want, "{bin}");
        let std: Vec<String> = packages(&doc, "golang")
            .filter(|p| p["found_in"] == bin && p["name"] == "stdlib")
            .map(|p| s(&p["version"]))
            .collect();
        assert_eq!(std.as_slice(), std::slice::from_ref(&toolchain), "{bin}: the standard library is a package");
    }
    let fork = packages(&doc, "golang").find(|p| p["name"] == "example.com/colourfork").unwrap();
    assert_eq!(fork["purl"], "pkg:golang/example.com/colourfork@v1.0.1");
    assert!(s(&fork["metadata"]["replaced_by"]).contains("colourfork"));
}

#[test]
fn cargo_auditable_binary() {
    let sb = Sandbox::new();
    let dir = fixture("rust/auditable");
    let doc: Value = serde_json::from_slice(&std::fs::read(dir.join("dep-v0.json")).unwrap()).unwrap();
    let want: BTreeSet<(String, String)> = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["root"] != true && p["source"] != "local")
        .map(|p| (s(&p["name"]), s(&p["version"])))
        .collect();
    let layer = TarBuilder::new()
        .file("etc/os-release", b"ID=debian\nVERSION_ID=12\n")
        .executable("usr/bin/tinyaud", &std::fs::read(dir.join("tinyaud-stripped")).unwrap())
        .finish();
    let img = image_in(&sb, "rust.tar", &[layer], Packing::Gzip);
    let out = sbom(&sb, &img);
    let got: BTreeSet<(String, String)> = packages(&out, "cargo").map(|p| (s(&p["name"]), s(&p["version"]))).collect();
    assert_eq!(got, want);
    assert!(packages(&out, "cargo").all(|p| p["found_in"] == "/usr/bin/tinyaud"));
}
