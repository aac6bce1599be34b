//! Shared helpers for the sync tests: the real server binary on loopback, an HTTP client for
//! the core replicator, and fault injection.

#![allow(dead_code)]

use commontable_core::replicate::{HttpClient, HttpPeer, HttpRequest, HttpResponse, PeerError};
use std::cell::Cell;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The server binary, run as a child process so it can be killed like a crash.
pub struct ServerProcess {
    pub port: u16,
    pub data: PathBuf,
    dist: PathBuf,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    pub async fn start() -> ServerProcess {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
        let mut s = ServerProcess {
            port: free_port(),
            data: dir.path().join("data"),
            dist,
            child: None,
            _dir: dir,
        };
        s.up().await;
        s
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}/couch", self.port)
    }

    pub async fn up(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_commontable-server"))
            .args(["--addr", &format!("127.0.0.1:{}", self.port), "--data"])
            .arg(&self.data)
            .arg("--dist")
            .arg(&self.dist)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        wait_until_up(&format!("http://127.0.0.1:{}/healthz", self.port)).await;
    }

    /// SIGKILL: no shutdown, no flush; only what SQLite made durable survives.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().unwrap();
            c.wait().unwrap();
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

pub async fn wait_until_up(url: &str) {
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(url).await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url} did not come up");
}

/// The core replicator's HTTP client, over reqwest, with an optional cut: after `cut_after`
/// requests every further request fails as if the network dropped.
pub struct TestClient {
    pub http: reqwest::Client,
    pub db_url: String,
    pub sent: Cell<u32>,
    pub cut_after: Cell<Option<u32>>,
    /// Answer `_bulk_get` with 404, like a server that lacks it; counts the refusals.
    pub refuse_bulk_get: Cell<bool>,
    pub refused: Cell<u32>,
}

impl TestClient {
    pub fn new(db_url: String) -> Self {
        TestClient {
            http: reqwest::Client::new(),
            db_url,
            sent: Cell::new(0),
            cut_after: Cell::new(None),
            refuse_bulk_get: Cell::new(false),
            refused: Cell::new(0),
        }
    }
}

impl HttpClient for TestClient {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, PeerError> {
        let n = self.sent.get() + 1;
        self.sent.set(n);
        if self.cut_after.get().is_some_and(|k| n > k) {
            return Err(PeerError::network("connection cut by the test"));
        }
        if self.refuse_bulk_get.get() && req.path.starts_with("_bulk_get") {
            self.refused.set(self.refused.get() + 1);
            let body = serde_json::json!({"error": "not_found", "reason": "missing"});
            return Ok(HttpResponse { status: 404, body });
        }
        let url = if req.path.is_empty() {
            self.db_url.clone()
        } else {
            format!("{}/{}", self.db_url, req.path)
        };
        let method = reqwest::Method::from_bytes(req.method.as_bytes()).unwrap();
        let mut rb = self.http.request(method, url).header("accept", "application/json");
        if let Some(body) = &req.body {
            rb = rb.json(body);
        }
        let res = rb.send().await.map_err(|e| PeerError::network(e.to_string()))?;
        let status = res.status().as_u16();
        let text = res.text().await.map_err(|e| PeerError::network(e.to_string()))?;
        let body = if text.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text).map_err(|e| PeerError::network(e.to_string()))?
        };
        Ok(HttpResponse { status, body })
    }
}

pub fn peer(db_url: String) -> HttpPeer<TestClient> {
    HttpPeer::new(TestClient::new(db_url))
}

/// Deterministic pseudo-random numbers.
pub struct Lcg(pub u64);
impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
