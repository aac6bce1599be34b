//! The one error type of the server and its CouchDB-style JSON body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// Nothing at that address.
    #[error("{0}")]
    NotFound(String),
    /// SQLite failed.
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    /// Anything else internal.
    #[error("internal error")]
    Internal(String),
}

/// Handler result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, error, reason) = match &self {
            Error::BadRequest(r) => (StatusCode::BAD_REQUEST, "bad_request", r.clone()),
            Error::NotFound(r) => (StatusCode::NOT_FOUND, "not_found", r.clone()),
            Error::Sqlite(e) => {
                tracing::error!(error = %e, "sqlite");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_server_error",
                    "the database failed".into(),
                )
            }
            Error::Internal(e) => {
                tracing::error!(error = %e, "internal");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_server_error",
                    "something went wrong".into(),
                )
            }
        };
        (status, Json(json!({ "error": error, "reason": reason }))).into_response()
    }
}
