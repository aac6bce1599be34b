//! The server's HTTP surface, driven without a socket.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use commontable_server::{app, sqlite, AppState};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn fixture() -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(dist.join("sw.js"), "self.addEventListener('fetch',()=>{})").unwrap();
    std::fs::write(dist.join("commontable-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    std::fs::write(dist.join("style-fedcba9876543210.css"), "body{}").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "outside dist").unwrap();
    let state = AppState::new(commontable_server::Config::new(dist), sqlite::open_in_memory().unwrap()).unwrap();
    (dir, app(state))
}

async fn get(app: &axum::Router, path: &str) -> (StatusCode, String, String) {
    let res = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let cache = res
        .headers()
        .get(header::CACHE_CONTROL)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).to_string();
    (status, cache, body)
}

#[tokio::test]
async fn health_answers() {
    let (_d, app) = fixture();
    let (status, _, body) = get(&app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["status"], "ok");
}

#[tokio::test]
async fn couch_root_identifies_as_couchdb() {
    let (_d, app) = fixture();
    let (status, _, body) = get(&app, "/couch/").await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["couchdb"], "Welcome");
    assert_eq!(v["uuid"].as_str().unwrap().len(), 32);
}

#[tokio::test]
async fn hashed_files_are_immutable_and_the_shell_is_revalidated() {
    let (_d, app) = fixture();
    let (s, cache, _) = get(&app, "/commontable-0123456789abcdef_bg.wasm").await;
    assert_eq!(s, StatusCode::OK);
    assert!(cache.contains("immutable"), "{cache}");
    let (_, cache, _) = get(&app, "/style-fedcba9876543210.css").await;
    assert!(cache.contains("immutable"), "{cache}");
    for path in ["/", "/index.html", "/sw.js"] {
        let (s, cache, _) = get(&app, path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert_eq!(cache, "no-cache", "{path}");
    }
}

#[tokio::test]
async fn client_routes_get_the_app_and_missing_files_404() {
    let (_d, app) = fixture();
    let (s, cache, body) = get(&app, "/toolkit/asset-mapping").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(cache, "no-cache");
    assert!(body.contains("<title>app</title>"));
    let (s, cache, _) = get(&app, "/missing-0123456789abcdef.js").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(cache, "no-store", "a 404 must not be cached as immutable");
}

#[tokio::test]
async fn paths_cannot_escape_the_app_folder() {
    let (_d, app) = fixture();
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"] {
        let (s, _, body) = get(&app, path).await;
        assert!(!body.contains("outside dist"), "{path} leaked: {s}");
    }
}
