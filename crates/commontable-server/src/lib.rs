//! Common Table's server: one binary that serves the built app and, on the same port under
//! `/couch`, the CouchDB replication API over SQLite.
//!
//! `app(state)` builds the whole router so tests can drive it without a socket.

pub mod error;
pub mod routes;
pub mod sqlite;
pub mod store;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method};
use axum::Router;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use error::{Error, Result};

/// Settings that shape the HTTP surface.
#[derive(Clone, Debug)]
pub struct Config {
    /// The built app (trunk's `dist/`).
    pub dist: PathBuf,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Origins allowed to call the sync API from a browser (CORS); empty for same-origin only.
    pub cors_origins: Vec<String>,
}

impl Config {
    /// Defaults: 64 MiB bodies, no cross-origin access.
    pub fn new(dist: PathBuf) -> Self {
        Config {
            dist,
            max_body: 64 << 20,
            cors_origins: Vec::new(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// Settings.
    pub config: Config,
    /// The SQLite connection. One writer; SQLite serialises anyway.
    pub db: Arc<Mutex<rusqlite::Connection>>,
    /// The CouchDB databases.
    pub dbs: store::Databases,
    /// This server's stable identity (CouchDB's `uuid`).
    pub server_uuid: String,
}

impl AppState {
    /// State over an opened, migrated database.
    pub fn new(config: Config, conn: rusqlite::Connection) -> Result<Self> {
        let server_uuid = sqlite::server_uuid(&conn)?;
        let db = Arc::new(Mutex::new(conn));
        let dbs = store::Databases::new(db.clone());
        // The region-wide toolkit and the shared workspace (partners, checklists) always
        // exist: every device syncs them.
        dbs.create(commontable_core::toolkit::TOOLKIT_DB)?;
        dbs.create(commontable_core::partner::WORKSPACE_DB)?;
        Ok(AppState {
            config,
            dbs,
            db,
            server_uuid,
        })
    }
}

fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    // "*" reflects any origin (credentials forbid a literal wildcard); for development only.
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::mirror_request()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_credentials(true)
            .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::DELETE])
            .allow_headers([header::CONTENT_TYPE, header::ACCEPT, header::AUTHORIZATION]),
    )
}

/// The whole HTTP surface.
pub fn app(state: AppState) -> Router {
    let mut couch = routes::couch::router().layer(DefaultBodyLimit::max(state.config.max_body));
    if let Some(layer) = cors(&state.config.cors_origins) {
        couch = couch.layer(layer);
    }
    Router::new()
        .merge(routes::health::router())
        .merge(couch)
        .method_not_allowed_fallback(routes::couch::method_not_allowed)
        .with_state(state.clone())
        .fallback_service(routes::static_files::service(&state.config.dist))
}
