//! Helpers for tests that drive the real `brig` binary.
#![allow(dead_code)] // each test file uses a different subset

pub mod daemon;
pub mod http;
pub mod registry;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use sha2::Digest as _;

pub fn shared() -> PathBuf {
    std::env::var_os("BRIG_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

pub fn image(name: &str) -> PathBuf {
    let p = shared().join("corpus/images").join(name);
    assert!(p.exists(), "corpus image {} not found (set BRIG_SHARED)", p.display());
    p
}

/// A scratch home for one brig run: cache, HOME and working directory all inside it,
/// so a test can check that nothing was written anywhere else.
pub struct Sandbox {
    pub root: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("tempdir");
        for d in ["home", "work", "cache"] {
            std::fs::create_dir(root.path().join(d)).unwrap();
        }
        Sandbox { root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.path().join(rel)
    }

    pub fn cache(&self) -> PathBuf {
        self.path("cache")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_brig"));
        c.args(args)
            .current_dir(self.path("work"))
            .env("HOME", self.path("home"))
            .env("XDG_CACHE_HOME", self.path("home/.cache"))
            .env("XDG_DATA_HOME", self.path("home/.local/share"))
            .env("BRIG_CACHE_DIR", self.cache())
            .env_remove("BRIG_LOG")
            .env_remove("SOURCE_DATE_EPOCH");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run brig")
    }

    /// Every file under the sandbox outside `cache/`, and every file in `cache/tmp`
    /// (scratch space must be cleaned up).
    pub fn stray_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![self.root.path().to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p == self.cache().join("layers") {
                    continue;
                }
                if e.file_type().unwrap().is_dir() {
                    stack.push(p);
                } else {
                    out.push(p);
                }
            }
        }
        out
    }
}

pub fn stdout_json(o: &Output) -> Value {
    assert!(o.status.success(), "brig failed: {}\n{}", o.status, String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("brig printed JSON")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts brig failed with exit status 2 and an error mentioning every one of `words`.
pub fn assert_error(o: &Output, words: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "expected exit 2, got {}: {err}", o.status);
    assert!(!err.contains("panicked"), "panic: {err}");
    for w in words {
        assert!(err.to_lowercase().contains(&w.to_lowercase()), "error lacks {w:?}: {err}");
    }
}

/// (name, version, source name, source version, arch, layer index) of a package.
pub type PackageKey = (String, String, String, String, String, u64);

/// The key of one package object, its layer index read from `layer` (a JSON pointer).
fn package_key(p: &Value, layer: &str) -> PackageKey {
    let s = |k: &str| p[k].as_str().unwrap_or("").to_owned();
    (
        s("name"),
        s("version"),
        s("source_name"),
        s("source_version"),
        s("arch"),
        p.pointer(layer).and_then(Value::as_u64).unwrap_or(u64::MAX),
    )
}

/// Package tuples comparable with a truth file's `os_packages`.
pub fn os_package_keys(sbom: &Value) -> Vec<PackageKey> {
    let mut v: Vec<_> = sbom["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| matches!(p["type"].as_str(), Some("deb" | "apk" | "rpm")))
        .map(|p| package_key(p, "/layer/index"))
        .collect();
    v.sort();
    v
}

pub fn truth(name: &str) -> Value {
    let p = image(name).with_extension("truth.json");
    serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap()
}

pub fn truth_keys(t: &Value) -> Vec<PackageKey> {
    let list = t["os_packages"].as_array().unwrap();
    assert!(list.iter().all(|p| p["layer_index"].is_u64()), "every truth package has a layer_index");
    let mut v: Vec<_> = list.iter().map(|p| package_key(p, "/layer_index")).collect();
    v.sort();
    v
}

pub fn sha256_hex(b: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(b))
}

/// How a test image's layer is stored.
#[derive(Clone, Copy)]
pub enum Packing {
    Plain,
    Gzip,
    Zstd,
}

pub fn pack(tar: &[u8], how: Packing) -> Vec<u8> {
    match how {
        Packing::Plain => tar.to_vec(),
        Packing::Gzip => brig_layer::testing::gzip(tar),
        Packing::Zstd => zstd::encode_all(tar, 3).unwrap(),
    }
}

/// The members of a Docker 25-style archive (OCI blobs plus manifest.json) holding
/// `layers` (stored bytes, uncompressed tar). Tests edit the list to break it.
pub fn archive_members(layers: &[(Vec<u8>, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    let diff_ids: Vec<String> = layers.iter().map(|(_, tar)| format!("sha256:{}", sha256_hex(tar))).collect();
    let history: Vec<Value> =
        (0..layers.len()).map(|i| serde_json::json!({"created_by": format!("test layer {i}")})).collect();
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }))
    .unwrap();
    let mut members = vec![(format!("blobs/sha256/{}", sha256_hex(&config)), config.clone())];
    let mut names = Vec::new();
    for (stored, _) in layers {
        let name = format!("blobs/sha256/{}", sha256_hex(stored));
        names.push(name.clone());
        members.push((name, stored.clone()));
    }
    let manifest = serde_json::json!([{
        "Config": format!("blobs/sha256/{}", sha256_hex(&config)),
        "RepoTags": ["test/image:1"],
        "Layers": names,
    }]);
    members.push(("manifest.json".into(), serde_json::to_vec(&manifest).unwrap()));
    members
}

pub fn write_tar(path: &Path, members: &[(String, Vec<u8>)]) {
    let mut b = tar::Builder::new(std::fs::File::create(path).unwrap());
    for (name, data) in members {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, &data[..]).unwrap();
    }
    b.finish().unwrap();
}

/// Writes a one-image archive of `layers` (uncompressed tars) stored as `how`.
pub fn write_image(path: &Path, layers: &[Vec<u8>], how: Packing) {
    let layers: Vec<(Vec<u8>, Vec<u8>)> = layers.iter().map(|t| (pack(t, how), t.clone())).collect();
    write_tar(path, &archive_members(&layers));
}

/// Writes a one-image archive of `layers` (uncompressed tars, stored as `how`) named
/// `name` into the sandbox's work directory, and returns its path.
pub fn image_in(sb: &Sandbox, name: &str, layers: &[Vec<u8>], how: Packing) -> String {
    let p = sb.path(&format!("work/{name}"));
    write_image(&p, layers, how);
    p.to_str().unwrap().to_owned()
}

pub const OS_RELEASE: &[u8] = b"ID=alpine\nVERSION_ID=3.18.9\nPRETTY_NAME=\"Alpine Linux v3.18\"\n";
pub const APK_DB: &[u8] =
    b"P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\n\nP:busybox\nV:1.36.1-r7\nA:x86_64\nL:GPL-2.0-only\no:busybox\n\n";

/// Peak resident memory of the largest child this process has waited for, in KiB.
pub fn children_max_rss_kib() -> i64 {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes into the struct we pass.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    ru.ru_maxrss
}

/// The Python interpreter of the tests' tools (validators, oracles, registry support):
/// `BRIG_TEST_PYTHON`, or the virtualenv scripts/test sets up.
pub fn python() -> String {
    std::env::var("BRIG_TEST_PYTHON")
        .unwrap_or_else(|_| format!("{}/../../target/validators-venv/bin/python", env!("CARGO_MANIFEST_DIR")))
}

/// A loopback TCP port free at the time of asking.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Runs a tool the tests drive, failing the test (with the tool's output) if it cannot
/// be run or exits unsuccessfully.
pub fn run_ok(cmd: &mut Command) -> Output {
    let o = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}; run scripts/test, which installs it"));
    assert!(
        o.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Runs the independent validators (official schemas, pyspdxtools, purl parser) on a
/// document, whatever their verdict; panics only if they cannot be run at all.
pub fn run_validator(kind: &str, path: &Path) -> Output {
    let python = python();
    let script = format!("{}/../../scripts/validate-sbom.py", env!("CARGO_MANIFEST_DIR"));
    Command::new(&python).args([&script, kind, path.to_str().unwrap()]).output().unwrap_or_else(|e| {
        panic!("cannot run the SBOM validators with {python}: {e}; run scripts/test, which installs them")
    })
}

/// Asserts the independent validators accept a document.
pub fn validate(kind: &str, path: &Path) {
    let o = run_validator(kind, path);
    assert!(
        o.status.success(),
        "{kind} document failed validation:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

pub fn feeds() -> PathBuf {
    shared().join("corpus/feeds")
}

/// Every OSV ecosystem the corpus mirror holds, and the releases its Alpine secdb has.
pub const MIRRORED: &[&str] = &["Debian", "Alpine:v3.9", "Alpine:v3.18", "PyPI", "Go", "crates.io", "npm"];

pub struct Env {
    pub sb: Sandbox,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl Env {
    /// A sandbox whose config points NVD at the mirror's subset file (the mirror has no
    /// yearly feeds) and selects the mirrored ecosystems.
    pub fn new(mirror: &str, extra: &str) -> Env {
        let sb = Sandbox::new();
        let config = sb.path("home/brig.toml");
        let ecosystems: Vec<String> = MIRRORED.iter().map(|e| format!("{e:?}")).collect();
        std::fs::write(
            &config,
            format!(
                "[db]\necosystems = [{}]\ntimeout_secs = 20\nretries = 1\n{extra}\n[db.nvd]\nfeeds = [\"{mirror}/nvd/nvdcve-2.0-subset.json.gz\"]\n",
                ecosystems.join(", ")
            ),
        )
        .unwrap();
        let db = sb.path("home/brig.db");
        Env { sb, db, config }
    }

    pub fn brig(&self, args: &[&str]) -> Output {
        let mut full = vec!["--db", self.db.to_str().unwrap(), "--config", self.config.to_str().unwrap()];
        full.extend_from_slice(args);
        self.sb.run(&full)
    }

    pub fn update(&self, mirror: &str, extra: &[&str]) -> Output {
        let mut args = vec!["db", "update", "--mirror", mirror];
        args.extend_from_slice(extra);
        self.brig(&args)
    }

    pub fn status(&self) -> Value {
        stdout_json(&self.brig(&["db", "status", "--format", "json"]))
    }
}
