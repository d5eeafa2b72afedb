//! Images read where they live: the real registry server (distribution v2) on loopback,
//! anonymous, with htpasswd basic auth over TLS from a test CA, and with token auth;
//! images pushed with skopeo; `brig sbom REF` must equal `brig sbom` of the archive.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::http::{Reply, TinyServer};
use common::registry::{Auth, Pki, Registry};
use common::*;
use serde_json::Value;

/// No daemon: bare references go straight to the registry.
const NO_DAEMON: &str = "unix:///nonexistent/brig-test/docker.sock";

fn brig(sb: &Sandbox, args: &[&str]) -> Output {
    sb.command(args).env("DOCKER_HOST", NO_DAEMON).env_remove("DOCKER_CONFIG").output().unwrap()
}

fn brig_with_password(sb: &Sandbox, args: &[&str], password: &str) -> Output {
    let mut child = sb
        .command(args)
        .env("DOCKER_HOST", NO_DAEMON)
        .env_remove("DOCKER_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// What must be equal between two reads of the same image: distro and packages.
fn content(doc: &Value) -> (Value, Value) {
    (doc["distro"].clone(), doc["packages"].clone())
}

fn archive_sbom(sb: &Sandbox, target: &str, extra: &[&str]) -> Value {
    let mut args = vec!["sbom", target, "--no-cache"];
    args.extend_from_slice(extra);
    stdout_json(&brig(sb, &args))
}

/// The corpus images as skopeo sources, with the repository each is pushed to.
fn corpus() -> Vec<(String, &'static str, bool, String)> {
    let img = |n: &str| image(n).display().to_string();
    vec![
        (
            format!("docker-archive:{}", img("alpine-3.9.6.tar")),
            "brig/alpine:3.9.6",
            false,
            format!("docker-archive:{}", img("alpine-3.9.6.tar")),
        ),
        (
            format!("oci-archive:{}", img("alpine-3.18.9.oci.tar")),
            "brig/alpine:3.18.9",
            true,
            format!("oci-archive:{}", img("alpine-3.18.9.oci.tar")),
        ),
        (
            format!("docker-archive:{}", img("debian-11-minbase.tar")),
            "brig/debian:11-minbase",
            false,
            img("debian-11-minbase.tar"),
        ),
        (
            format!("docker-archive:{}:brig/node-app:1.0", img("node-app.tar")),
            "brig/node-app:1.0",
            false,
            format!("docker-archive:{}:brig/node-app:1.0", img("node-app.tar")),
        ),
        (format!("docker-archive:{}", img("python-app.tar")), "brig/python-app:1.0", false, img("python-app.tar")),
    ]
}

#[test]
fn registry_images_equal_their_archives() {
    let sb = Sandbox::new();
    let reg = Registry::start(&sb.path("registry"), Auth::Anonymous, None, Some(2));
    for (source, repo_tag, all, archive) in corpus() {
        reg.push(&source, repo_tag, all);
        let from_registry =
            stdout_json(&brig(&sb, &["sbom", &format!("registry:{}/{repo_tag}", reg.host), "--no-cache"]));
        let from_archive = archive_sbom(&sb, &archive, &[]);
        assert!(!from_archive["packages"].as_array().unwrap().is_empty());
        assert_eq!(content(&from_registry), content(&from_archive), "{repo_tag}");
        assert_eq!(from_registry["source"]["kind"], "registry");
        assert_eq!(from_registry["source"]["name"], format!("{}/{repo_tag}", reg.host));
        // Layer diff_ids are the image's identity wherever it is stored.
        let diff_ids = |d: &Value| {
            d["source"]["layers"].as_array().unwrap().iter().map(|l| l["diff_id"].clone()).collect::<Vec<_>>()
        };
        assert_eq!(diff_ids(&from_registry), diff_ids(&from_archive), "{repo_tag}");
    }

    // An index with several platforms: each platform's image, as the archive gives it.
    let oci = format!("oci-archive:{}", image("alpine-3.18.9.oci.tar").display());
    for platform in ["linux/amd64", "linux/arm64"] {
        let r = stdout_json(&brig(
            &sb,
            &["sbom", &format!("{}/brig/alpine:3.18.9", reg.host), "--platform", platform, "--no-cache"],
        ));
        let a = archive_sbom(&sb, &oci, &["--platform", platform]);
        assert_eq!(content(&r), content(&a), "{platform}");
        assert!(r["source"]["platform"].as_str().unwrap().starts_with(platform), "{}", r["source"]["platform"]);
    }
    let o = brig(&sb, &["sbom", &format!("{}/brig/alpine:3.18.9", reg.host), "--platform", "linux/s390x"]);
    assert_error(&o, &["linux/s390x", "linux/amd64", "linux/arm64"]);

    // By digest: the platform manifest's digest names the same image.
    let amd64 = stdout_json(&brig(&sb, &["sbom", &format!("{}/brig/alpine:3.18.9", reg.host), "--no-cache"]));
    let digest = amd64["source"]["manifest_digest"].as_str().unwrap();
    let by_digest = stdout_json(&brig(&sb, &["sbom", &format!("{}/brig/alpine@{digest}", reg.host), "--no-cache"]));
    assert_eq!(content(&by_digest), content(&amd64));

    // Listing, across pages (the registry serves two repositories per catalog page).
    let catalog = brig(&sb, &["registry", "catalog", &reg.host]);
    assert!(catalog.status.success(), "{}", stderr(&catalog));
    let repos: Vec<String> = String::from_utf8(catalog.stdout).unwrap().lines().map(str::to_owned).collect();
    assert_eq!(repos, ["brig/alpine", "brig/debian", "brig/node-app", "brig/python-app"]);
    let tags = brig(&sb, &["registry", "tags", &format!("{}/brig/alpine", reg.host)]);
    assert!(tags.status.success(), "{}", stderr(&tags));
    let mut tags: Vec<String> = String::from_utf8(tags.stdout).unwrap().lines().map(str::to_owned).collect();
    tags.sort();
    assert_eq!(tags, ["3.18.9", "3.9.6"]);
    assert!(reg.requests().iter().any(|r| r.contains("_catalog") && r.contains("last=")), "the catalog was paged");
}

#[test]
fn a_second_read_fetches_only_the_manifest() {
    let sb = Sandbox::new();
    let reg = Registry::start(&sb.path("registry"), Auth::Anonymous, None, None);
    let src = format!("docker-archive:{}", image("python-app.tar").display());
    reg.push(&src, "brig/python-app:1.0", false);
    let target = format!("registry:{}/brig/python-app:1.0", reg.host);
    let first = stdout_json(&brig(&sb, &["sbom", &target]));
    let before = reg.requests().len();
    let second = stdout_json(&brig(&sb, &["sbom", &target]));
    assert_eq!(content(&first), content(&second));
    let later: Vec<String> = reg.requests()[before..].to_vec();
    assert!(later.iter().all(|r| !r.contains("/blobs/")), "blobs fetched again: {later:?}");
    assert!(later.iter().any(|r| r.contains("/manifests/1.0")), "{later:?}");
    // Only the cache directory was written.
    assert!(
        sb.stray_files().iter().all(|p| p.starts_with(sb.cache()) || p.starts_with(sb.path("registry"))),
        "{:?}",
        sb.stray_files()
    );
}

#[test]
fn a_tampered_blob_is_an_error() {
    let sb = Sandbox::new();
    let reg = Registry::start(&sb.path("registry"), Auth::Anonymous, None, None);
    reg.push(&format!("docker-archive:{}", image("alpine-3.9.6.tar").display()), "brig/alpine:3.9.6", false);
    let target = format!("registry:{}/brig/alpine:3.9.6", reg.host);
    let doc = stdout_json(&brig(&sb, &["sbom", &target, "--no-cache"]));
    let layer = doc["source"]["layers"][0]["digest"].as_str().unwrap().to_owned();
    // Same size, different bytes: only the digest can tell.
    let file = reg.blob_file(&layer);
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&file, bytes).unwrap();
    let o = brig(&sb, &["sbom", &target, "--no-cache"]);
    assert_error(&o, &["digest mismatch", &layer]);

    // A manifest altered in storage no longer matches the digest the registry declares.
    let manifest = doc["source"]["manifest_digest"].as_str().unwrap().to_owned();
    let file = reg.blob_file(&manifest);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.push(b' ');
    std::fs::write(&file, bytes).unwrap();
    assert_error(&brig(&sb, &["sbom", &target, "--no-cache"]), &["digest mismatch", &manifest]);
    // By digest, the same check needs no declaration from the registry.
    let by_digest = format!("registry:{}/brig/alpine@{manifest}", reg.host);
    assert_error(&brig(&sb, &["sbom", &by_digest, "--no-cache"]), &["digest mismatch", &manifest]);
}

#[test]
fn basic_auth_over_tls_with_a_test_ca() {
    let sb = Sandbox::new();
    let pki = Pki::new(&sb.path("pki"));
    let reg =
        Registry::start(&sb.path("registry"), Auth::Htpasswd { user: "alice", password: "s3cr:et" }, Some(&pki), None);
    let src = format!("docker-archive:{}", image("alpine-3.9.6.tar").display());
    reg.push(&src, "team/alpine:3.9.6", false);
    let target = format!("registry:{}/team/alpine:3.9.6", reg.host);
    let ca = pki.ca().display().to_string();
    let want = content(&archive_sbom(&sb, &src, &[]));

    let o = brig_with_password(
        &sb,
        &["sbom", &target, "--ca-file", &ca, "--username", "alice", "--password-stdin"],
        "s3cr:et",
    );
    assert_eq!(content(&stdout_json(&o)), want);

    let start = Instant::now();
    let o = brig_with_password(
        &sb,
        &["sbom", &target, "--ca-file", &ca, "--username", "alice", "--password-stdin"],
        "wrong",
    );
    assert_error(&o, &["authentication failed", &reg.host]);
    assert!(start.elapsed() < Duration::from_secs(10), "wrong credentials took {:?}", start.elapsed());
    assert_error(&brig(&sb, &["sbom", &target, "--ca-file", &ca]), &["authentication failed", "--username"]);
    // Without the CA the certificate cannot be verified; the error says what to do.
    assert_error(&brig(&sb, &["sbom", &target]), &["certificate", "--ca-file"]);

    // Credentials stored by `docker login` (base64 `auth`), from DOCKER_CONFIG.
    let docker_config = sb.path("home/docker-config");
    std::fs::create_dir_all(&docker_config).unwrap();
    let auth = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, b"alice:s3cr:et");
    std::fs::write(
        docker_config.join("config.json"),
        format!(r#"{{"auths": {{"{}": {{"auth": "{auth}"}}}}}}"#, reg.host),
    )
    .unwrap();
    let o = sb
        .command(&["sbom", &target, "--ca-file", &ca])
        .env("DOCKER_HOST", NO_DAEMON)
        .env("DOCKER_CONFIG", &docker_config)
        .output()
        .unwrap();
    assert_eq!(content(&stdout_json(&o)), want);

    // A credential helper (a real docker-credential-* program) named by credsStore.
    let bin = sb.path("home/bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helper = bin.join("docker-credential-brigtest");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\nread server\n[ \"$1\" = get ] && [ \"$server\" = \"{}\" ] && echo '{{\"ServerURL\":\"'$server'\",\"Username\":\"alice\",\"Secret\":\"s3cr:et\"}}' && exit 0\necho 'credentials not found in native keychain'; exit 1\n",
            reg.host
        ),
    )
    .unwrap();
    std::fs::set_permissions(&helper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::write(docker_config.join("config.json"), r#"{"credsStore": "brigtest"}"#).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let with_helpers = || {
        sb.command(&["sbom", &target, "--ca-file", &ca])
            .env("DOCKER_HOST", NO_DAEMON)
            .env("DOCKER_CONFIG", &docker_config)
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    assert_eq!(content(&stdout_json(&with_helpers())), want);
    // A per-registry helper (credHelpers) wins over the default store.
    std::fs::write(
        docker_config.join("config.json"),
        format!(r#"{{"credsStore": "brig-missing", "credHelpers": {{"{}": "brigtest"}}}}"#, reg.host),
    )
    .unwrap();
    assert_eq!(content(&stdout_json(&with_helpers())), want);
}

#[test]
fn token_auth_as_docker_hub_and_harbor_do_it() {
    let sb = Sandbox::new();
    let pki = Pki::new(&sb.path("pki"));
    let reg =
        Registry::start(&sb.path("registry"), Auth::Token { pki: &pki, user: "bob", password: "hunter2" }, None, None);
    let src = format!("docker-archive:{}", image("alpine-3.9.6.tar").display());
    reg.push(&src, "brig/alpine:3.9.6", false);
    let target = format!("{}/brig/alpine:3.9.6", reg.host);
    let o =
        brig_with_password(&sb, &["sbom", &target, "--username", "bob", "--password-stdin", "--no-cache"], "hunter2");
    assert_eq!(content(&stdout_json(&o)), content(&archive_sbom(&sb, &src, &[])));
    let o = brig_with_password(&sb, &["sbom", &target, "--username", "bob", "--password-stdin"], "nope");
    assert_error(&o, &["authentication failed", "refused the credentials"]);
    assert_error(&brig(&sb, &["sbom", &target]), &["authentication failed", "requires credentials"]);
}

#[test]
fn a_mirror_serves_what_its_registry_would() {
    let sb = Sandbox::new();
    let mirror = Registry::start(&sb.path("registry"), Auth::Anonymous, None, None);
    let src = format!("docker-archive:{}", image("alpine-3.9.6.tar").display());
    mirror.push(&src, "brig/alpine:3.9.6", false);
    // The registry itself does not exist: everything must come from the mirror.
    let o = brig(
        &sb,
        &[
            "sbom",
            "registry:upstream.invalid/brig/alpine:3.9.6",
            "--registry-mirror",
            &format!("upstream.invalid={}", mirror.host),
            "--no-cache",
        ],
    );
    assert_eq!(content(&stdout_json(&o)), content(&archive_sbom(&sb, &src, &[])));
}

#[test]
fn unreachable_hanging_and_throttling_registries_are_clear_errors() {
    let sb = Sandbox::new();
    std::fs::write(sb.path("home/brig.toml"), "[registry]\ntimeout_secs = 2\nretries = 1\n").unwrap();
    let config = sb.path("home/brig.toml").display().to_string();

    let start = Instant::now();
    let o = brig(&sb, &["--config", &config, "sbom", "registry:brig-test-host.invalid/app:1"]);
    assert_error(&o, &["brig-test-host.invalid"]);
    assert!(start.elapsed() < Duration::from_secs(15), "{:?}", start.elapsed());

    // Accepts connections, never answers.
    let hang = TinyServer::start(|_| Reply { hang: true, ..Reply::status(200) });
    let host = hang.url.trim_start_matches("http://").to_owned();
    let start = Instant::now();
    let o = brig(&sb, &["--config", &config, "sbom", &format!("registry:{host}/app:1")]);
    assert_error(&o, &["timed out", &host]);
    assert!(start.elapsed() < Duration::from_secs(15), "a hanging registry took {:?}", start.elapsed());

    // 429 with Retry-After: waited for, retried, then the registry's answer reported.
    let throttle = TinyServer::start(|seen| {
        if seen.path == "/v2/" {
            return Reply::status(200);
        }
        Reply { headers: vec![("Retry-After".into(), "3".into())], ..Reply::status(429) }
    });
    let host = throttle.url.trim_start_matches("http://").to_owned();
    let start = Instant::now();
    let o = brig(&sb, &["--config", &config, "sbom", &format!("registry:{host}/app:1")]);
    assert_error(&o, &["429"]);
    // The default backoff is a second: only Retry-After makes it wait three.
    assert!(start.elapsed() >= Duration::from_secs(3), "Retry-After ignored: {:?}", start.elapsed());
    let manifest_requests = throttle.seen().iter().filter(|s| s.path.contains("/manifests/")).count();
    assert_eq!(manifest_requests, 2, "one retry, as configured");

    assert_error(&brig(&sb, &["--offline", "sbom", "registry:127.0.0.1:9/app:1"]), &["--offline"]);
    // A missing archive is a missing file, not a registry lookup.
    assert_error(&brig(&sb, &["sbom", "no-such-image.tar"]), &["no-such-image.tar", "no such file"]);
    for bad in ["registry:app/UPPER", "registry:app@sha256:short", "registry:a:b:c"] {
        assert_error(&brig(&sb, &["sbom", bad]), &["invalid image reference"]);
    }
    assert!(!Path::new(&sb.path("work")).read_dir().unwrap().any(|_| true), "nothing written to the working directory");
}

#[test]
fn daemon_images_equal_their_archives() {
    let sb = Sandbox::new();
    let pki = Pki::new(&sb.path("pki"));
    let daemon = common::daemon::Dockerd::start(Some(&pki.dir));
    daemon.load(&image("alpine-3.9.6.tar"));
    daemon.load(&image("node-app.tar"));
    let run =
        |args: &[&str]| sb.command(args).env("DOCKER_HOST", &daemon.host).env_remove("DOCKER_CONFIG").output().unwrap();

    let archive = archive_sbom(&sb, &format!("docker-archive:{}", image("alpine-3.9.6.tar").display()), &[]);
    let from_daemon = stdout_json(&run(&["sbom", "docker:alpine:3.9.6", "--no-cache"]));
    assert_eq!(content(&from_daemon), content(&archive));
    assert_eq!(from_daemon["source"]["kind"], "docker");
    // A bare reference is looked for in the daemon first, as syft and grype do.
    let bare = stdout_json(&run(&["sbom", "alpine:3.9.6", "--no-cache"]));
    assert_eq!(bare["source"]["kind"], "docker");
    assert_eq!(content(&bare), content(&archive));

    let node = format!("docker-archive:{}:brig/node-app:1.0", image("node-app.tar").display());
    let from_daemon = stdout_json(&run(&["sbom", "docker:brig/node-app:1.0", "--no-cache"]));
    assert_eq!(content(&from_daemon), content(&archive_sbom(&sb, &node, &[])));

    assert_error(&run(&["sbom", "docker:brig/absent:1"]), &["no such image", "brig/absent:1"]);

    // The same daemon over TCP with TLS client certificates, as the Docker CLI reaches it.
    let tcp = daemon.tcp_host.clone().unwrap();
    let over_tcp = sb
        .command(&["sbom", "docker:alpine:3.9.6", "--no-cache"])
        .env("DOCKER_HOST", &tcp)
        .env("DOCKER_TLS_VERIFY", "1")
        .env("DOCKER_CERT_PATH", pki.dir.join("docker-client"))
        .output()
        .unwrap();
    assert_eq!(content(&stdout_json(&over_tcp)), content(&archive));
    // Without the client certificate the daemon refuses the connection.
    let no_tls = sb
        .command(&["sbom", "docker:alpine:3.9.6"])
        .env("DOCKER_HOST", &tcp)
        .env_remove("DOCKER_TLS_VERIFY")
        .output()
        .unwrap();
    assert_error(&no_tls, &["alpine:3.9.6"]);
    // The exported archive is scratch space, removed after use.
    assert!(sb.stray_files().iter().all(|p| !p.starts_with(sb.cache().join("tmp"))), "{:?}", sb.stray_files());
}
