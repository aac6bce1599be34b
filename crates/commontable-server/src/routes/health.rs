//! `GET /healthz`: the server is up and its database answers.

use crate::{AppState, Error, Result};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

/// The health route.
pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(health))
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>> {
    let db = state.db.lock().map_err(|e| Error::Internal(e.to_string()))?;
    let one: i64 = db.query_row("SELECT 1", [], |r| r.get(0))?;
    Ok(Json(
        json!({ "status": "ok", "database": one == 1, "version": env!("CARGO_PKG_VERSION") }),
    ))
}
