//! The real registry server (Debian's `docker-registry`, distribution v2) on loopback,
//! with the test PKI, htpasswd files and token issuer of `tests/support/`, and skopeo to
//! push images into it.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::{free_port, python};

fn support(args: &[&str]) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/registry_support.py");
    let o = Command::new(python())
        .arg(script)
        .args(args)
        .output()
        .expect("run registry_support.py (scripts/test sets up its venv)");
    assert!(o.status.success(), "registry_support.py {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o
}

/// A CA, a server certificate for 127.0.0.1 and a token-signing certificate.
pub struct Pki {
    pub dir: PathBuf,
}

impl Pki {
    pub fn new(dir: &Path) -> Pki {
        support(&["pki", dir.to_str().unwrap()]);
        Pki { dir: dir.to_path_buf() }
    }
    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }
    /// A directory in the layout skopeo's --dest-cert-dir reads.
    pub fn skopeo_cert_dir(&self) -> PathBuf {
        let d = self.dir.join("skopeo-certs");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::copy(self.ca(), d.join("ca.crt")).unwrap();
        d
    }
}

pub enum Auth<'a> {
    Anonymous,
    Htpasswd { user: &'a str, password: &'a str },
    Token { pki: &'a Pki, user: &'a str, password: &'a str },
}

/// A running registry; killed (with its token issuer) when dropped.
pub struct Registry {
    pub host: String,
    pub dir: PathBuf,
    child: Child,
    issuer: Option<Child>,
    creds: Option<String>,
    cert_dir: Option<PathBuf>,
}

impl Registry {
    /// Starts a registry storing under `dir`; with `tls`, it serves HTTPS with the PKI's
    /// server certificate. `catalog_page` caps `_catalog` pages (to exercise paging).
    pub fn start(dir: &Path, auth: Auth<'_>, tls: Option<&Pki>, catalog_page: Option<usize>) -> Registry {
        std::fs::create_dir_all(dir).unwrap();
        let port = free_port();
        let mut config = format!(
            "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n",
            dir.join("data").display()
        );
        if let Some(pki) = tls {
            config += &format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                pki.dir.join("server.pem").display(),
                pki.dir.join("server.key").display()
            );
        }
        if let Some(n) = catalog_page {
            config += &format!("catalog:\n  maxentries: {n}\n");
        }
        let mut issuer = None;
        let mut creds = None;
        match auth {
            Auth::Anonymous => {}
            Auth::Htpasswd { user, password } => {
                let line = support(&["htpasswd", user, password]).stdout;
                std::fs::write(dir.join("htpasswd"), line).unwrap();
                config += &format!(
                    "auth:\n  htpasswd:\n    realm: brig-test\n    path: {}\n",
                    dir.join("htpasswd").display()
                );
                creds = Some(format!("{user}:{password}"));
            }
            Auth::Token { pki, user, password } => {
                let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/registry_support.py");
                let port_file = pki.dir.join("issuer.port");
                let _ = std::fs::remove_file(&port_file);
                let child = Command::new(python())
                    .arg(script)
                    .args(["token-issuer", pki.dir.to_str().unwrap(), user, password, "brig-test-issuer", "brig-test"])
                    .stdout(Stdio::null())
                    .stderr(std::fs::File::create(dir.join("issuer.log")).unwrap())
                    .spawn()
                    .unwrap();
                issuer = Some(child);
                let mut issuer_port = String::new();
                for _ in 0..200 {
                    if let Ok(p) = std::fs::read_to_string(&port_file) {
                        issuer_port = p;
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                assert!(!issuer_port.is_empty(), "the token issuer did not start");
                config += &format!(
                    "auth:\n  token:\n    realm: http://127.0.0.1:{issuer_port}/token\n    service: brig-test\n    issuer: brig-test-issuer\n    rootcertbundle: {}\n",
                    pki.ca().display()
                );
                creds = Some(format!("{user}:{password}"));
            }
        }
        std::fs::write(dir.join("config.yml"), config).unwrap();
        let bin = std::env::var("BRIG_REGISTRY").unwrap_or_else(|_| "docker-registry".into());
        // Access-log lines go to standard output, everything else to standard error.
        let log = std::fs::File::create(dir.join("registry.log")).unwrap();
        let child = Command::new(&bin)
            .arg("serve")
            .arg(dir.join("config.yml"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e} (scripts/test installs docker-registry)"));
        let registry = Registry {
            host: format!("127.0.0.1:{port}"),
            dir: dir.to_path_buf(),
            child,
            issuer,
            creds,
            cert_dir: tls.map(Pki::skopeo_cert_dir),
        };
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return registry;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the registry did not start: {}", registry.log());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("registry.log")).unwrap_or_default()
    }

    /// The access-log request lines (`GET /v2/… HTTP/1.1`) so far. The registry logs a
    /// request after answering it, so this waits until the log stops growing.
    pub fn requests(&self) -> Vec<String> {
        let mut last = self.log().len();
        for _ in 0..20 {
            std::thread::sleep(std::time::Duration::from_millis(100));
            let now = self.log().len();
            if now == last {
                break;
            }
            last = now;
        }
        self.log()
            .lines()
            .filter_map(|l| l.split_once("] \"").and_then(|(_, r)| r.split('"').next()).map(str::to_owned))
            .collect()
    }

    /// `skopeo copy` of `source` (a skopeo transport:path) to `repo:tag` here; `all`
    /// copies every platform of an index.
    pub fn push(&self, source: &str, repo_tag: &str, all: bool) {
        let mut cmd = Command::new("skopeo");
        cmd.args(["copy", "-q"]);
        if all {
            cmd.arg("--all");
        }
        match &self.cert_dir {
            Some(d) => cmd.arg("--dest-cert-dir").arg(d),
            None => cmd.arg("--dest-tls-verify=false"),
        };
        if let Some(c) = &self.creds {
            cmd.args(["--dest-creds", c]);
        }
        let o = cmd
            .arg(source)
            .arg(format!("docker://{}/{repo_tag}", self.host))
            .env("HOME", self.dir.join("skopeo-home"))
            .output()
            .expect("skopeo (scripts/test installs it)");
        assert!(o.status.success(), "skopeo copy {source}: {}", String::from_utf8_lossy(&o.stderr));
    }

    /// The file holding blob `digest` in the registry's storage.
    pub fn blob_file(&self, digest: &str) -> PathBuf {
        let hex = digest.strip_prefix("sha256:").unwrap();
        self.dir.join("data/docker/registry/v2/blobs/sha256").join(&hex[..2]).join(hex).join("data")
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(i) = &mut self.issuer {
            let _ = i.kill();
            let _ = i.wait();
        }
    }
}
