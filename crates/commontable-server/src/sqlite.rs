//! Opening the SQLite file: WAL mode, full durability, numbered migrations.

use rusqlite::{Connection, OptionalExtension};
use std::path::Path;

/// Schema steps; step `i` takes `user_version` from `i` to `i + 1`. Append only.
const MIGRATIONS: &[&str] = &[
    // 1: server identity and settings.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // 2: CouchDB-model databases: documents with their revision trees, _local documents.
    "CREATE TABLE dbs (name TEXT PRIMARY KEY, update_seq INTEGER NOT NULL DEFAULT 0, created_seq INTEGER NOT NULL DEFAULT 0);
     CREATE TABLE docs (db TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, deleted INTEGER NOT NULL,
                        record TEXT NOT NULL, PRIMARY KEY (db, id)) WITHOUT ROWID;
     CREATE UNIQUE INDEX docs_by_seq ON docs (db, seq);
     CREATE TABLE local_docs (db TEXT NOT NULL, id TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (db, id)) WITHOUT ROWID;",
    // 3: each document's leaves (winner first), so `_changes` need not read whole trees.
    "ALTER TABLE docs ADD COLUMN leaves TEXT NOT NULL DEFAULT '[]';",
];

/// Opens (creating) the database file and brings its schema up to date.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let mut conn = Connection::open(path)?;
    configure(&mut conn)?;
    Ok(conn)
}

/// An in-memory database with the same schema (tests).
pub fn open_in_memory() -> rusqlite::Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&mut conn)?;
    Ok(conn)
}

fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // A write is acknowledged only once it is on disk.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// The server's stable uuid, made on first start.
pub fn server_uuid(conn: &Connection) -> rusqlite::Result<String> {
    let existing: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'uuid'", [], |r| r.get(0))
        .optional()?;
    if let Some(u) = existing {
        return Ok(u);
    }
    let fresh = uuid::Uuid::new_v4().simple().to_string();
    conn.execute("INSERT INTO meta (key, value) VALUES ('uuid', ?1)", [&fresh])?;
    Ok(fresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_is_stable_across_reopen_and_schema_is_current() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        let first = server_uuid(&open(&path).unwrap()).unwrap();
        let conn = open(&path).unwrap();
        assert_eq!(server_uuid(&conn).unwrap(), first);
        assert_eq!(first.len(), 32);
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v as usize, MIGRATIONS.len());
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
    }
}
