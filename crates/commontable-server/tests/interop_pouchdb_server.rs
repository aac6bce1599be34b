//! Our replicator against a second, independent implementation of the protocol:
//! pouchdb-server (npm, in memory). Both directions, with a conflict and a deletion.

mod common;

use common::{free_port, peer, wait_until_up};
use commontable_core::replicate::{replicate, replication_id, ReplicationOptions};
use commontable_core::{Database, MemoryStorage};
use serde_json::{json, Map, Value};
use std::path::Path;
use std::process::{Command, Stdio};

fn body(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

/// The pouchdb-server process and the folder it runs in (removed when dropped).
struct PouchServer(std::process::Child, #[allow(dead_code)] tempfile::TempDir);
impl Drop for PouchServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn pouchdb_server() -> (PouchServer, String) {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e/node_modules/.bin/pouchdb-server");
    assert!(
        bin.exists(),
        "pouchdb-server is not installed: run scripts/install-tools.sh"
    );
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let child = Command::new(bin)
        .args(["--in-memory", "--port", &port.to_string(), "--host", "127.0.0.1"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let guard = PouchServer(child, dir);
    wait_until_up(&format!("{base}/")).await;
    (guard, base)
}

fn opts(src: &str, dst: &str, session: &str) -> ReplicationOptions {
    ReplicationOptions {
        replication_id: replication_id(src, dst),
        session_id: session.into(),
        now: "t".into(),
        batch_size: 3,
    }
}

#[tokio::test]
async fn our_replicator_syncs_with_pouchdb_server_both_ways() {
    let (_guard, base) = pouchdb_server().await;
    let url = format!("{base}/interop");
    let http = reqwest::Client::new();
    assert!(http.put(&url).send().await.unwrap().status().is_success());

    // Push: our documents, a deletion among them, reach pouchdb-server.
    let local = Database::new(MemoryStorage::new());
    for i in 0..7 {
        local
            .put(&format!("n{i}"), None, body(json!({"type": "note", "i": i})))
            .await
            .unwrap();
    }
    let gone = local.get("n6").await.unwrap().unwrap().rev;
    local.delete("n6", &gone).await.unwrap();
    let remote = peer(url.clone());
    let r = replicate(&local, &remote, &opts("local", &url, "p1"), |_| {})
        .await
        .unwrap();
    assert_eq!(r.docs_written, 7);
    let n3: Value = http
        .get(format!("{url}/n3"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(n3["i"], 3);
    assert_eq!(http.get(format!("{url}/n6")).send().await.unwrap().status(), 404);

    // Pull: an edit made on pouchdb-server arrives here.
    let rev3 = n3["_rev"].as_str().unwrap().to_string();
    let put = http
        .put(format!("{url}/n3"))
        .json(&json!({"_rev": rev3, "type": "note", "i": 33}))
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success());
    replicate(&remote, &local, &opts(&url, "local", "q1"), |_| {})
        .await
        .unwrap();
    assert_eq!(local.get("n3").await.unwrap().unwrap().body["i"], 33);

    // Conflict: both sides edit n1; after syncing both ways both hold both leaves and agree.
    let ours = local.get("n1").await.unwrap().unwrap().rev;
    local
        .put("n1", Some(&ours), body(json!({"type": "note", "i": "ours"})))
        .await
        .unwrap();
    let theirs: Value = http
        .get(format!("{url}/n1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    http.put(format!("{url}/n1"))
        .json(&json!({"_rev": theirs["_rev"], "type": "note", "i": "theirs"}))
        .send()
        .await
        .unwrap();
    replicate(&local, &remote, &opts("local", &url, "p2"), |_| {})
        .await
        .unwrap();
    replicate(&remote, &local, &opts(&url, "local", "q2"), |_| {})
        .await
        .unwrap();
    let here = local.get("n1").await.unwrap().unwrap();
    let there: Value = http
        .get(format!("{url}/n1?conflicts=true"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(there["_rev"], here.rev.to_string(), "both pick the same winner");
    assert_eq!(here.conflicts.len(), 1);
    assert_eq!(there["_conflicts"][0], here.conflicts[0].to_string());

    // A second run finds nothing to do: the checkpoints on both sides line up.
    let again = replicate(&local, &remote, &opts("local", &url, "p3"), |_| {})
        .await
        .unwrap();
    assert_eq!(again.docs_written, 0);
}
