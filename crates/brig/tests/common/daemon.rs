//! A real Docker daemon (Debian's `docker.io`) for one test: its own data root, exec root
//! and socket in a temporary directory, vfs storage, no networking set-up. Needs root.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Dockerd {
    pub host: String,
    /// `tcp://127.0.0.1:PORT` when started with TLS.
    pub tcp_host: Option<String>,
    dir: tempfile::TempDir,
    child: Child,
}

impl Dockerd {
    /// Starts a daemon on a unix socket; with `tls` (the test PKI's directory), also on a
    /// loopback TCP port that requires client certificates (`--tlsverify`).
    pub fn start(tls: Option<&Path>) -> Dockerd {
        // A short path: unix socket paths are limited to 108 bytes.
        let dir = tempfile::Builder::new().prefix("brig-dockerd-").tempdir_in("/tmp").unwrap();
        let d = dir.path();
        let sock = d.join("docker.sock");
        let log = std::fs::File::create(d.join("dockerd.log")).unwrap();
        let mut cmd = Command::new(std::env::var("BRIG_DOCKERD").unwrap_or_else(|_| "dockerd".into()));
        let mut tcp_host = None;
        if let Some(pki) = tls {
            let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            cmd.arg("--host").arg(format!("tcp://127.0.0.1:{port}")).arg("--tlsverify");
            cmd.arg("--tlscacert").arg(pki.join("ca.pem"));
            cmd.arg("--tlscert").arg(pki.join("server.pem"));
            cmd.arg("--tlskey").arg(pki.join("server.key"));
            tcp_host = Some(format!("tcp://127.0.0.1:{port}"));
        }
        let child = cmd
            .arg("--data-root")
            .arg(d.join("root"))
            .arg("--exec-root")
            .arg(d.join("exec"))
            .arg("--host")
            .arg(format!("unix://{}", sock.display()))
            .arg("--pidfile")
            .arg(d.join("pid"))
            .args([
                "--storage-driver",
                "vfs",
                "--iptables=false",
                "--bridge=none",
                "--ip-forward=false",
                "--ip-masq=false",
            ])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start dockerd: {e} (scripts/test installs docker.io; it must run as root)")
            });
        let daemon = Dockerd { host: format!("unix://{}", sock.display()), tcp_host, dir, child };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if sock.exists() && daemon.docker(&["version"]).status.success() {
                return daemon;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!("dockerd did not start (it needs root): {}", daemon.log());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dockerd.log")).unwrap_or_default()
    }

    pub fn docker(&self, args: &[&str]) -> std::process::Output {
        Command::new("docker").arg("-H").arg(&self.host).args(args).output().expect("the docker client")
    }

    pub fn load(&self, archive: &Path) {
        let o = self.docker(&["load", "-i", archive.to_str().unwrap()]);
        assert!(o.status.success(), "docker load {}: {}", archive.display(), String::from_utf8_lossy(&o.stderr));
    }
}

impl Drop for Dockerd {
    fn drop(&mut self) {
        // SIGTERM lets dockerd stop the containerd it started; SIGKILL only if it hangs.
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
