//! Common Table's server: one binary that serves the built app and, on the same port, the
//! sync API (the CouchDB replication protocol, growing in its own issue) on SQLite.
//!
//! `app(state)` builds the whole router so tests can drive it without a socket.

pub mod error;
pub mod routes;
pub mod sqlite;

use axum::Router;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use error::{Error, Result};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The built app (trunk's `dist/`).
    pub dist: PathBuf,
    /// The SQLite connection. One writer; SQLite serialises anyway.
    pub db: Arc<Mutex<rusqlite::Connection>>,
    /// This server's stable identity (CouchDB's `uuid`).
    pub server_uuid: String,
}

impl AppState {
    /// State over an opened, migrated database.
    pub fn new(dist: PathBuf, conn: rusqlite::Connection) -> Result<Self> {
        let server_uuid = sqlite::server_uuid(&conn)?;
        Ok(AppState {
            dist,
            db: Arc::new(Mutex::new(conn)),
            server_uuid,
        })
    }
}

/// The whole HTTP surface.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(routes::health::router())
        .merge(routes::couch::router())
        .with_state(state.clone())
        .fallback_service(routes::static_files::service(&state.dist))
}
