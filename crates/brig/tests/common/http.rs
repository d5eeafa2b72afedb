//! Loopback HTTP servers for tests: the real nginx serving a directory, and a minimal
//! server of our own for behaviour nginx cannot produce on cue (API paging, a 503 with
//! Retry-After, a peer that never answers).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};

use super::free_port;

/// nginx (Debian's package; `BRIG_NGINX` overrides the binary) serving `root` on
/// loopback, with its own prefix, logs and pid in a temporary directory.
pub struct Nginx {
    pub url: String,
    dir: tempfile::TempDir,
    child: Child,
}

impl Nginx {
    pub fn serve(root: &Path) -> Nginx {
        let bin = std::env::var("BRIG_NGINX").unwrap_or_else(|_| "/usr/sbin/nginx".into());
        assert!(Path::new(&bin).exists(), "nginx not found at {bin}: scripts/test installs it (apt-get install nginx)");
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display();
        let port = free_port();
        let conf = format!(
            "daemon off; master_process off; worker_processes 1; pid {d}/nginx.pid; error_log {d}/error.log;
             events {{ worker_connections 64; }}
             http {{
               access_log {d}/access.log;
               client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
               uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
               default_type application/octet-stream;
               server {{ listen 127.0.0.1:{port}; root {}; }}
             }}",
            root.display()
        );
        std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
        let child = Command::new(&bin)
            .args(["-c", &format!("{d}/nginx.conf"), "-p", &d.to_string(), "-e", &format!("{d}/error.log")])
            .spawn()
            .unwrap();
        // Owned by the guard from here on: its Drop kills and reaps nginx on every path.
        let nginx = Nginx { url: format!("http://127.0.0.1:{port}"), dir, child };
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return nginx;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!(
            "nginx did not start: {}",
            std::fs::read_to_string(nginx.dir.path().join("error.log")).unwrap_or_default()
        );
    }

    /// (path, status) of every request so far.
    pub fn requests(&self) -> Vec<(String, u16)> {
        let log = std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default();
        log.lines()
            .filter_map(|l| {
                let req = l.split('"').nth(1)?;
                let path = req.split_whitespace().nth(1)?.to_owned();
                let status = l.split('"').nth(2)?.split_whitespace().next()?.parse().ok()?;
                Some((path, status))
            })
            .collect()
    }

    pub fn clear_log(&self) {
        std::fs::write(self.dir.path().join("access.log"), b"").unwrap();
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request as our own server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Never answer (a hanging peer).
    pub hang: bool,
}

impl Reply {
    pub fn ok(body: Vec<u8>) -> Reply {
        Reply { status: 200, headers: Vec::new(), body, hang: false }
    }
    pub fn status(status: u16) -> Reply {
        Reply { status, headers: Vec::new(), body: Vec::new(), hang: false }
    }
}

/// A minimal HTTP/1.1 server: one thread per connection, `Connection: close`.
pub struct TinyServer {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl TinyServer {
    pub fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> TinyServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (handler, log) = (handler.clone(), log.clone());
                std::thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        TinyServer { url, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &dyn Fn(&Seen) -> Reply, log: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let seen = Seen { path, headers };
    log.lock().unwrap().push(seen.clone());
    let reply = handler(&seen);
    if reply.hang {
        std::thread::sleep(std::time::Duration::from_secs(3600));
        return;
    }
    let mut out = stream;
    let mut head =
        format!("HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n", reply.status, reply.body.len());
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&reply.body);
}

/// A mirror directory: every corpus feed linked in, so tests can add or replace files.
pub fn mirror_copy(feeds: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    link_tree(feeds, dir.path());
    dir
}

fn link_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target: PathBuf = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            link_tree(&e.path(), &target);
        } else {
            std::os::unix::fs::symlink(e.path(), &target).unwrap();
        }
    }
}
