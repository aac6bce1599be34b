//! The CouchDB endpoints one by one, driven without a socket.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use commontable_server::{app, sqlite, AppState, Config};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The app, and the folder its static files are served from (removed when dropped).
struct Api(axum::Router, #[allow(dead_code)] tempfile::TempDir);

impl Api {
    fn new(cors: &[&str]) -> Api {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
        let mut config = Config::new(dir.path().to_path_buf());
        config.cors_origins = cors.iter().map(|s| s.to_string()).collect();
        config.max_body = 1 << 20;
        let state = AppState::new(config, sqlite::open_in_memory().unwrap()).unwrap();
        Api(app(state), dir)
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .unwrap();
        let res = self.0.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            if bytes.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&bytes).unwrap()
            },
        )
    }
}

fn note(text: &str) -> Value {
    json!({ "type": "note", "text": text })
}

#[tokio::test]
async fn databases_documents_and_revisions() {
    let api = Api::new(&[]);
    assert_eq!(
        api.call("GET", "/couch/_all_dbs", None).await.1,
        json!(["toolkit", "workspace"])
    );
    assert_eq!(api.call("PUT", "/couch/ws", None).await.0, StatusCode::CREATED);
    let (s, v) = api.call("PUT", "/couch/ws/a", Some(note("one"))).await;
    assert_eq!(s, StatusCode::CREATED);
    let r1 = v["rev"].as_str().unwrap().to_string();
    let (s, v) = api
        .call("PUT", &format!("/couch/ws/a?rev={r1}"), Some(note("two")))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let r2 = v["rev"].as_str().unwrap().to_string();
    let (_, doc) = api.call("GET", "/couch/ws/a?revs=true", None).await;
    assert_eq!(doc["text"], "two");
    assert_eq!(doc["_revisions"]["start"], 2);
    assert_eq!(doc["_revisions"]["ids"].as_array().unwrap().len(), 2);
    let (_, old) = api.call("GET", &format!("/couch/ws/a?rev={r1}"), None).await;
    assert_eq!(old["error"], "not_found", "inner revisions keep no body");
    let (_, open) = api
        .call(
            "GET",
            &format!("/couch/ws/a?open_revs=%5B%22{r2}%22,%229-ff%22%5D"),
            None,
        )
        .await;
    assert_eq!(open[0]["ok"]["_rev"], r2.as_str());
    assert_eq!(open[1]["missing"], "9-ff");
    let (s, _) = api.call("DELETE", "/couch/ws/a", None).await;
    assert_eq!(s, StatusCode::CONFLICT, "a delete must name the revision");
    let (s, _) = api.call("DELETE", &format!("/couch/ws/a?rev={r2}"), None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = api.call("GET", "/couch/ws/a", None).await;
    assert_eq!((s, v["reason"].as_str()), (StatusCode::NOT_FOUND, Some("deleted")));
    let (_, info) = api.call("GET", "/couch/ws", None).await;
    assert_eq!(
        (info["doc_count"].as_u64(), info["doc_del_count"].as_u64()),
        (Some(0), Some(1))
    );
    let (s, v) = api.call("POST", "/couch/ws", Some(note("generated id"))).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(v["id"].as_str().unwrap().len(), 32);
    assert_eq!(api.call("DELETE", "/couch/ws", None).await.0, StatusCode::OK);
    assert_eq!(api.call("GET", "/couch/ws", None).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn changes_feed_options() {
    let api = Api::new(&[]);
    api.call("PUT", "/couch/c", None).await;
    for id in ["x", "y", "z"] {
        api.call("PUT", &format!("/couch/c/{id}"), Some(note(id))).await;
    }
    let (_, all) = api.call("GET", "/couch/c/_changes?include_docs=true", None).await;
    assert_eq!(all["results"].as_array().unwrap().len(), 3);
    assert_eq!(all["results"][0]["doc"]["text"], "x");
    assert_eq!(all["last_seq"], 3);
    let (_, page) = api.call("GET", "/couch/c/_changes?since=1&limit=1", None).await;
    assert_eq!(page["results"][0]["id"], "y");
    assert_eq!(page["last_seq"], 2);
    let (_, now) = api.call("GET", "/couch/c/_changes?since=now", None).await;
    assert_eq!(
        (now["results"].as_array().unwrap().len(), now["last_seq"].as_u64()),
        (0, Some(3))
    );
    let (_, ids) = api
        .call(
            "POST",
            "/couch/c/_changes?filter=_doc_ids",
            Some(json!({"doc_ids": ["z"]})),
        )
        .await;
    assert_eq!(ids["results"].as_array().unwrap().len(), 1);
    assert_eq!(ids["results"][0]["id"], "z");
    let (s, _) = api.call("GET", "/couch/c/_changes?feed=continuous", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // Longpoll with nothing new waits for its timeout, then answers empty.
    let started = std::time::Instant::now();
    let (_, empty) = api
        .call("GET", "/couch/c/_changes?feed=longpoll&since=3&timeout=200", None)
        .await;
    assert!(empty["results"].as_array().unwrap().is_empty());
    assert!(started.elapsed() >= std::time::Duration::from_millis(150));
}

#[tokio::test]
async fn longpoll_wakes_on_a_write() {
    let api = Api::new(&[]);
    api.call("PUT", "/couch/lp", None).await;
    let router = api.0.clone();
    let waiting = tokio::spawn(async move {
        let req = Request::get("/couch/lp/_changes?feed=longpoll&since=0&timeout=10000")
            .body(Body::empty())
            .unwrap();
        let res = router.oneshot(req).await.unwrap();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice::<Value>(&bytes).unwrap()
    });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    api.call("PUT", "/couch/lp/new", Some(note("wake"))).await;
    let got = tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got["results"][0]["id"], "new");
}

#[tokio::test]
async fn all_docs_and_local_documents() {
    let api = Api::new(&[]);
    api.call("PUT", "/couch/d", None).await;
    for id in ["a", "b", "c", "d"] {
        api.call("PUT", &format!("/couch/d/{id}"), Some(note(id))).await;
    }
    let (_, range) = api
        .call("GET", "/couch/d/_all_docs?startkey=%22b%22&endkey=%22c%22", None)
        .await;
    let ids: Vec<&str> = range["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["b", "c"]);
    assert_eq!(range["total_rows"], 4);
    let (_, keys) = api
        .call(
            "POST",
            "/couch/d/_all_docs?include_docs=true",
            Some(json!({"keys": ["d", "nope"]})),
        )
        .await;
    assert_eq!(keys["rows"][0]["doc"]["text"], "d");
    assert_eq!(keys["rows"][1]["error"], "not_found");
    let (_, desc) = api
        .call("GET", "/couch/d/_all_docs?descending=true&limit=1", None)
        .await;
    assert_eq!(desc["rows"][0]["id"], "d");

    let (s, v) = api.call("PUT", "/couch/d/_local/cp", Some(json!({"seq": 1}))).await;
    assert_eq!((s, v["rev"].as_str()), (StatusCode::CREATED, Some("0-1")));
    assert_eq!(
        api.call("PUT", "/couch/d/_local/cp", Some(json!({"seq": 2}))).await.0,
        StatusCode::CONFLICT
    );
    let (_, v) = api
        .call("PUT", "/couch/d/_local/cp", Some(json!({"seq": 2, "_rev": "0-1"})))
        .await;
    assert_eq!(v["rev"], "0-2");
    let (_, cp) = api.call("GET", "/couch/d/_local/cp", None).await;
    assert_eq!((cp["seq"].as_u64(), cp["_id"].as_str()), (Some(2), Some("_local/cp")));
    let (_, ch) = api.call("GET", "/couch/d/_changes", None).await;
    assert!(ch["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| !r["id"].as_str().unwrap().starts_with("_local")));
    assert_eq!(api.call("DELETE", "/couch/d/_local/cp", None).await.0, StatusCode::OK);
    assert_eq!(
        api.call("GET", "/couch/d/_local/cp", None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_couchdb_errors() {
    let api = Api::new(&[]);
    api.call("PUT", "/couch/e", None).await;
    let (s, v) = api
        .call("POST", "/couch/e/_revs_diff", Some(json!({"a": ["not a rev"]})))
        .await;
    assert_eq!((s, v["error"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_request")));
    let (s, _) = api.call("PUT", "/couch/e/_design", Some(note("x"))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = api
        .call("PUT", "/couch/e/x", Some(json!({"type": "toolkit_entry"})))
        .await;
    assert_eq!((s, v["error"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    let big = json!({"docs": [{"_id": "big", "type": "n", "pad": "x".repeat(2 << 20)}]});
    let (s, v) = api.call("POST", "/couch/e/_bulk_docs", Some(big)).await;
    assert_eq!(
        (s, v["error"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
    );
    let (s, v) = api.call("PATCH", "/couch/e/x", None).await;
    assert_eq!(
        (s, v["error"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
    );
    let (_, info) = api.call("GET", "/couch/e", None).await;
    assert_eq!(info["doc_count"], 0, "nothing refused was written");
    let bad_rd =
        json!({"docs": [{"_id": "r", "_rev": "1-aa", "type": "n"}, {"_id": "s", "type": "n"}], "new_edits": false});
    let (s, _) = api.call("POST", "/couch/e/_bulk_docs", Some(bad_rd)).await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "a replicated document without _rev is refused"
    );
    assert_eq!(
        api.call("GET", "/couch/e/r", None).await.0,
        StatusCode::NOT_FOUND,
        "and the batch wrote nothing"
    );
}

#[tokio::test]
async fn cors_only_for_configured_origins() {
    let api = Api::new(&["https://app.example"]);
    let ask = |origin: &'static str| {
        Request::get("/couch/")
            .header("origin", origin)
            .body(Body::empty())
            .unwrap()
    };
    let ok = api.0.clone().oneshot(ask("https://app.example")).await.unwrap();
    assert_eq!(ok.headers()["access-control-allow-origin"], "https://app.example");
    assert_eq!(ok.headers()["access-control-allow-credentials"], "true");
    let other = api.0.clone().oneshot(ask("https://evil.example")).await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}
