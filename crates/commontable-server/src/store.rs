//! SQLite behind the core storage contract, and the registry of open databases.
//!
//! All databases live in one SQLite file: table `dbs` (name, update sequence), `docs` (one row
//! per document: its revision tree as JSON, its last sequence, indexed by sequence for
//! `_changes`), `local_docs`. A write batch is one SQLite transaction; with WAL and
//! `synchronous=FULL` it is on disk before the request is answered. One [`Database`] per name
//! is kept open so its write lock serialises every writer of that database.

use crate::{Error, Result};
use commontable_core::storage::{DocRecord, Storage, StorageError, WriteBatch};
use commontable_core::Database;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// One database's view of the shared SQLite connection.
pub struct SqliteStorage {
    conn: Arc<Mutex<Connection>>,
    db: String,
}

fn backend(e: impl std::fmt::Display) -> StorageError {
    StorageError::Backend(e.to_string())
}

fn parse(json: &str) -> std::result::Result<DocRecord, StorageError> {
    serde_json::from_str(json).map_err(|e| StorageError::Corrupt(e.to_string()))
}

impl SqliteStorage {
    /// The storage of database `db` (which must exist in `dbs`).
    pub fn new(conn: Arc<Mutex<Connection>>, db: &str) -> Self {
        SqliteStorage {
            conn,
            db: db.to_string(),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> std::result::Result<T, StorageError> {
        let mut conn = self.conn.lock().map_err(backend)?;
        f(&mut conn).map_err(backend)
    }
}

/// One row of the changes index: no tree to parse.
pub struct ChangeRow {
    /// Local sequence.
    pub seq: u64,
    /// Document id.
    pub id: String,
    /// Whether the winner is deleted.
    pub deleted: bool,
    /// JSON list of leaf revisions, winner first.
    pub leaves: String,
}

fn leaves_json(tree: &commontable_core::RevTree) -> String {
    let winner = tree.winner();
    let mut leaves: Vec<&commontable_core::Rev> = tree.leaves();
    leaves.sort_by(|a, b| (Some(*b) == winner).cmp(&(Some(*a) == winner)).then(b.cmp(a)));
    serde_json::to_string(&leaves.iter().map(|l| l.to_string()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

impl SqliteStorage {
    /// Changes after `since` from the index alone (sequence, id, deleted, leaves).
    pub fn change_rows(&self, since: u64, limit: usize) -> crate::Result<Vec<ChangeRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, id, deleted, leaves FROM docs WHERE db = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let rows = stmt.query_map(
                params![self.db, since as i64, limit.min(i64::MAX as usize) as i64],
                |r| {
                    Ok(ChangeRow {
                        seq: r.get::<_, i64>(0)? as u64,
                        id: r.get(1)?,
                        deleted: r.get(2)?,
                        leaves: r.get(3)?,
                    })
                },
            )?;
            rows.collect()
        })
        .map_err(|e| crate::Error::Internal(e.to_string()))
    }
}

impl Storage for SqliteStorage {
    async fn read(&self, id: &str) -> std::result::Result<Option<DocRecord>, StorageError> {
        let json: Option<String> = self.with(|c| {
            c.prepare_cached("SELECT record FROM docs WHERE db = ?1 AND id = ?2")?
                .query_row(params![self.db, id], |r| r.get(0))
                .optional()
        })?;
        json.as_deref().map(parse).transpose()
    }

    async fn read_many(&self, ids: &[String]) -> std::result::Result<Vec<Option<DocRecord>>, StorageError> {
        let jsons: Vec<Option<String>> = self.with(|c| {
            let mut stmt = c.prepare_cached("SELECT record FROM docs WHERE db = ?1 AND id = ?2")?;
            ids.iter()
                .map(|id| stmt.query_row(params![self.db, id], |r| r.get(0)).optional())
                .collect()
        })?;
        jsons.into_iter().map(|j| j.as_deref().map(parse).transpose()).collect()
    }

    async fn write(&self, batch: WriteBatch) -> std::result::Result<(), StorageError> {
        let rows: Vec<(String, u64, bool, String, String)> = batch
            .docs
            .iter()
            .map(|(r, _)| {
                let json = serde_json::to_string(r).map_err(backend)?;
                Ok((r.id.clone(), r.seq, r.tree.is_deleted(), json, leaves_json(&r.tree)))
            })
            .collect::<std::result::Result<_, StorageError>>()?;
        self.with(|c| {
            let tx = c.transaction()?;
            {
                let mut put = tx.prepare_cached(
                    "INSERT INTO docs (db, id, seq, deleted, record, leaves) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (db, id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted,
                     record = excluded.record, leaves = excluded.leaves",
                )?;
                for (id, seq, deleted, json, leaves) in &rows {
                    put.execute(params![self.db, id, *seq as i64, *deleted, json, leaves])?;
                }
                tx.execute(
                    "UPDATE dbs SET update_seq = ?2 WHERE name = ?1",
                    params![self.db, batch.update_seq as i64],
                )?;
            }
            tx.commit()
        })
    }

    async fn update_seq(&self) -> std::result::Result<u64, StorageError> {
        let seq: Option<i64> = self.with(|c| {
            c.prepare_cached("SELECT update_seq FROM dbs WHERE name = ?1")?
                .query_row([&self.db], |r| r.get(0))
                .optional()
        })?;
        Ok(seq.unwrap_or(0) as u64)
    }

    async fn changes_since(&self, since: u64, limit: usize) -> std::result::Result<Vec<DocRecord>, StorageError> {
        let jsons: Vec<String> = self.with(|c| {
            let mut stmt =
                c.prepare_cached("SELECT record FROM docs WHERE db = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3")?;
            let rows = stmt.query_map(
                params![self.db, since as i64, limit.min(i64::MAX as usize) as i64],
                |r| r.get(0),
            )?;
            rows.collect()
        })?;
        jsons.iter().map(|j| parse(j)).collect()
    }

    async fn all(&self) -> std::result::Result<Vec<DocRecord>, StorageError> {
        let jsons: Vec<String> = self.with(|c| {
            let mut stmt = c.prepare_cached("SELECT record FROM docs WHERE db = ?1 ORDER BY id")?;
            let rows = stmt.query_map([&self.db], |r| r.get(0))?;
            rows.collect()
        })?;
        jsons.iter().map(|j| parse(j)).collect()
    }

    async fn counts(&self) -> std::result::Result<(u64, u64), StorageError> {
        self.with(|c| {
            c.prepare_cached(
                "SELECT COALESCE(SUM(deleted = 0), 0), COALESCE(SUM(deleted = 1), 0) FROM docs WHERE db = ?1",
            )?
            .query_row([&self.db], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
            })
        })
    }

    async fn get_local(&self, id: &str) -> std::result::Result<Option<Value>, StorageError> {
        let json: Option<String> = self.with(|c| {
            c.prepare_cached("SELECT value FROM local_docs WHERE db = ?1 AND id = ?2")?
                .query_row(params![self.db, id], |r| r.get(0))
                .optional()
        })?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| StorageError::Corrupt(e.to_string())))
            .transpose()
    }

    async fn put_local(&self, id: &str, value: Option<Value>) -> std::result::Result<(), StorageError> {
        self.with(|c| match &value {
            Some(v) => c.execute(
                "INSERT INTO local_docs (db, id, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (db, id) DO UPDATE SET value = excluded.value",
                params![self.db, id, v.to_string()],
            ),
            None => c.execute("DELETE FROM local_docs WHERE db = ?1 AND id = ?2", params![self.db, id]),
        })
        .map(|_| ())
    }
}

/// An open database and the signal its writers raise for long-polling readers.
pub struct OpenDb {
    /// The rules over SQLite.
    pub db: Database<SqliteStorage>,
    /// Bumped after every write.
    pub changed: watch::Sender<u64>,
}

/// Every database of this server.
#[derive(Clone)]
pub struct Databases {
    conn: Arc<Mutex<Connection>>,
    open: Arc<Mutex<HashMap<String, Arc<OpenDb>>>>,
}

impl Databases {
    /// The registry over the server's connection.
    pub fn new(conn: Arc<Mutex<Connection>>) -> Self {
        Databases {
            conn,
            open: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    fn lock_conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>> {
        self.conn.lock().map_err(|e| Error::Internal(e.to_string()))
    }

    /// Whether `name` exists.
    pub fn exists(&self, name: &str) -> Result<bool> {
        let conn = self.lock_conn()?;
        Ok(conn
            .query_row("SELECT 1 FROM dbs WHERE name = ?1", [name], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Creates `name`; false if it already existed.
    pub fn create(&self, name: &str) -> Result<bool> {
        let conn = self.lock_conn()?;
        Ok(conn.execute("INSERT OR IGNORE INTO dbs (name) VALUES (?1)", [name])? == 1)
    }

    /// Deletes `name` and everything in it; false if it did not exist.
    pub fn delete(&self, name: &str) -> Result<bool> {
        self.open
            .lock()
            .map_err(|e| Error::Internal(e.to_string()))?
            .remove(name);
        let mut conn = self.lock_conn()?;
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM docs WHERE db = ?1", [name])?;
        tx.execute("DELETE FROM local_docs WHERE db = ?1", [name])?;
        let n = tx.execute("DELETE FROM dbs WHERE name = ?1", [name])?;
        tx.commit()?;
        Ok(n == 1)
    }

    /// The open database `name`, or 404.
    pub fn get(&self, name: &str) -> Result<Arc<OpenDb>> {
        if let Some(db) = self.open.lock().map_err(|e| Error::Internal(e.to_string()))?.get(name) {
            return Ok(db.clone());
        }
        if !self.exists(name)? {
            return Err(Error::NotFound("Database does not exist.".into()));
        }
        let mut open = self.open.lock().map_err(|e| Error::Internal(e.to_string()))?;
        let entry = open.entry(name.to_string()).or_insert_with(|| {
            Arc::new(OpenDb {
                db: Database::new(SqliteStorage::new(self.conn.clone(), name)),
                changed: watch::channel(0).0,
            })
        });
        Ok(entry.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> SqliteStorage {
        let conn = crate::sqlite::open_in_memory().unwrap();
        conn.execute("INSERT INTO dbs (name) VALUES ('t')", []).unwrap();
        SqliteStorage::new(Arc::new(Mutex::new(conn)), "t")
    }

    commontable_core::storage_conformance_tests!(native: fresh());
}
