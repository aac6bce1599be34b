//! The one error type of the server and its CouchDB-style JSON body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use commontable_core::DbError;
use serde_json::json;

/// Everything a handler can fail with; each maps to CouchDB's status and `error` name.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed (400 bad_request).
    #[error("{0}")]
    BadRequest(String),
    /// Nothing at that address (404 not_found).
    #[error("{0}")]
    NotFound(String),
    /// The edit was based on a stale revision (409 conflict).
    #[error("Document update conflict.")]
    Conflict,
    /// The document was refused by validation (403 forbidden).
    #[error("{0}")]
    Forbidden(String),
    /// The database already exists (412 file_exists).
    #[error("The database could not be created, the file already exists.")]
    FileExists,
    /// The body is over the limit (413).
    #[error("The request body is larger than the server accepts.")]
    TooLarge,
    /// SQLite failed.
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    /// Anything else internal.
    #[error("internal error")]
    Internal(String),
}

/// Handler result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<DbError> for Error {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Conflict(_) => Error::Conflict,
            DbError::Invalid(v) => Error::Forbidden(v.to_string()),
            DbError::BadRequest(r) => Error::BadRequest(r),
            DbError::Storage(s) => Error::Internal(s.to_string()),
        }
    }
}

impl Error {
    /// Status and CouchDB `error` name.
    pub fn status_and_name(&self) -> (StatusCode, &'static str) {
        match self {
            Error::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Error::Conflict => (StatusCode::CONFLICT, "conflict"),
            Error::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Error::FileExists => (StatusCode::PRECONDITION_FAILED, "file_exists"),
            Error::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Error::Sqlite(_) | Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_server_error"),
        }
    }

    /// The `reason` sent to the client (internal detail is logged, never sent).
    pub fn reason(&self) -> String {
        match self {
            Error::Sqlite(e) => {
                tracing::error!(error = %e, "sqlite");
                "The database failed.".into()
            }
            Error::Internal(e) => {
                tracing::error!(error = %e, "internal");
                "Something went wrong on the server.".into()
            }
            other => other.to_string(),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, error) = self.status_and_name();
        (status, Json(json!({ "error": error, "reason": self.reason() }))).into_response()
    }
}
