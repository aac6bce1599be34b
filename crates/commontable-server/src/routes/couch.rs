//! The CouchDB-protocol API root, under `/couch`. Tools written for CouchDB recognise a server
//! by the `couchdb` key here, so it answers without a login. The database endpoints come with
//! the sync issue.

/// Where the CouchDB API lives, so it never collides with the app's own routes.
pub const PREFIX: &str = "/couch";

use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

/// The CouchDB API routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/couch", get(welcome))
        .route("/couch/", get(welcome))
}

async fn welcome(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "couchdb": "Welcome",
        "uuid": state.server_uuid,
        "version": "3.3.3",
        "vendor": { "name": "Common Table", "version": env!("CARGO_PKG_VERSION") },
        "features": []
    }))
}
