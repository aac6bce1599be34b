//! The IndexedDB backend of Common Table's [`Storage`] contract.
//!
//! One IndexedDB database per Common Table database (`commontable/<name>`), with object stores
//! `docs` (id → record JSON), `by_seq` (sequence → id: the changes feed), `local` (`_local`
//! docs) and `meta` (the update sequence). A [`WriteBatch`] is one readwrite transaction over
//! `docs`, `by_seq` and `meta`, so it lands whole or not at all. Schema changes are numbered
//! migrations in [`MIGRATIONS`]; a database is upgraded one step at a time.

pub mod fetch;

use commontable_core::storage::{DocRecord, Storage, StorageError, WriteBatch};
use indexed_db_futures::database::Database as IdbDatabase;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;
use serde_json::Value;

const DOCS: &str = "docs";
const BY_SEQ: &str = "by_seq";
const LOCAL: &str = "local";
const META: &str = "meta";
const UPDATE_SEQ: &str = "update_seq";

/// One schema step: migration `i` upgrades version `i` to `i + 1`.
pub type Migration = fn(&IdbDatabase) -> indexed_db_futures::Result<()>;

/// The schema, as a chain of steps. Append; never edit a step that has shipped.
pub const MIGRATIONS: &[Migration] = &[
    // 1: the four stores.
    |db| {
        for store in [DOCS, BY_SEQ, LOCAL, META] {
            db.create_object_store(store).build()?;
        }
        Ok(())
    },
];

/// The IndexedDB name for a Common Table database.
pub fn idb_name(db: &str) -> String {
    format!("commontable/{db}")
}

/// A Common Table database held in IndexedDB.
pub struct IdbStorage {
    db: IdbDatabase,
}

fn err(e: impl std::fmt::Display) -> StorageError {
    let text = e.to_string();
    if text.contains("Quota") {
        StorageError::QuotaExceeded(text)
    } else {
        StorageError::Backend(text)
    }
}

fn parse_record(json: &str) -> Result<DocRecord, StorageError> {
    serde_json::from_str(json).map_err(|e| StorageError::Corrupt(e.to_string()))
}

impl IdbStorage {
    /// Opens (creating or upgrading) the IndexedDB database for `name`.
    pub async fn open(name: &str) -> Result<IdbStorage, StorageError> {
        let version = MIGRATIONS.len() as u32;
        let db = IdbDatabase::open(idb_name(name))
            .with_version(version)
            .with_on_upgrade_needed(|event, db| {
                let from = event.old_version() as usize;
                for step in MIGRATIONS.iter().skip(from) {
                    step(&db)?;
                }
                Ok(())
            })
            .await
            .map_err(err)?;
        Ok(IdbStorage { db })
    }

    /// Deletes the IndexedDB database for `name` (tests and "forget this device").
    pub async fn destroy(name: &str) -> Result<(), StorageError> {
        IdbDatabase::delete_by_name(&idb_name(name))
            .map_err(err)?
            .await
            .map_err(err)
    }

    /// The schema version the open database is at.
    pub fn schema_version(&self) -> u32 {
        self.db.version() as u32
    }

    /// Closes the connection.
    pub fn close(self) {
        self.db.close();
    }
}

impl Storage for IdbStorage {
    async fn read(&self, id: &str) -> Result<Option<DocRecord>, StorageError> {
        let tx = self.db.transaction(DOCS).build().map_err(err)?;
        let store = tx.object_store(DOCS).map_err(err)?;
        let json: Option<String> = store.get(id).primitive().map_err(err)?.await.map_err(err)?;
        json.as_deref().map(parse_record).transpose()
    }

    async fn read_many(&self, ids: &[String]) -> Result<Vec<Option<DocRecord>>, StorageError> {
        let tx = self.db.transaction(DOCS).build().map_err(err)?;
        let store = tx.object_store(DOCS).map_err(err)?;
        // Each `get` costs a round trip inside the browser, even for a key that is not there.
        // For a batch, first list which of the keys exist (keys only, one request), then fetch
        // only those: a replication batch of new documents then costs one request, not 500.
        let existing: Option<std::collections::HashSet<String>> = match (ids.iter().min(), ids.iter().max()) {
            (Some(lo), Some(hi)) if ids.len() > 8 => {
                let range = KeyRange::Bound(lo.as_str(), false, hi.as_str(), false);
                let keys: Vec<String> = store
                    .get_all_keys()
                    .with_query::<&str, _>(range)
                    .primitive()
                    .map_err(err)?
                    .await
                    .map_err(err)?
                    .collect::<Result<_, _>>()
                    .map_err(err)?;
                Some(keys.into_iter().collect())
            }
            _ => None,
        };
        let mut pending = Vec::with_capacity(ids.len());
        for id in ids {
            let exists = existing.as_ref().is_none_or(|set| set.contains(id));
            pending.push(if exists {
                Some(store.get::<String, _, _>(id.as_str()).primitive().map_err(err)?)
            } else {
                None
            });
        }
        let mut out = Vec::with_capacity(ids.len());
        for req in pending {
            match req {
                Some(req) => out.push(req.await.map_err(err)?.as_deref().map(parse_record).transpose()?),
                None => out.push(None),
            }
        }
        Ok(out)
    }

    async fn write(&self, batch: WriteBatch) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction([DOCS, BY_SEQ, META])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        {
            let docs = tx.object_store(DOCS).map_err(err)?;
            let by_seq = tx.object_store(BY_SEQ).map_err(err)?;
            let meta = tx.object_store(META).map_err(err)?;
            for (record, prev) in &batch.docs {
                let json = serde_json::to_string(record).map_err(|e| StorageError::Backend(e.to_string()))?;
                if let Some(prev) = prev {
                    by_seq.delete(*prev as f64).primitive().map_err(err)?;
                }
                by_seq
                    .put(record.id.as_str())
                    .with_key(record.seq as f64)
                    .without_key_type()
                    .primitive()
                    .map_err(err)?;
                docs.put(json)
                    .with_key(record.id.as_str())
                    .without_key_type()
                    .primitive()
                    .map_err(err)?;
            }
            meta.put(batch.update_seq as f64)
                .with_key(UPDATE_SEQ)
                .without_key_type()
                .primitive()
                .map_err(err)?;
        }
        tx.commit().await.map_err(err)
    }

    async fn update_seq(&self) -> Result<u64, StorageError> {
        let tx = self.db.transaction(META).build().map_err(err)?;
        let store = tx.object_store(META).map_err(err)?;
        let seq: Option<f64> = store.get(UPDATE_SEQ).primitive().map_err(err)?.await.map_err(err)?;
        Ok(seq.unwrap_or(0.0) as u64)
    }

    async fn changes_since(&self, since: u64, limit: usize) -> Result<Vec<DocRecord>, StorageError> {
        let tx = self.db.transaction([BY_SEQ, DOCS]).build().map_err(err)?;
        let by_seq = tx.object_store(BY_SEQ).map_err(err)?;
        let docs = tx.object_store(DOCS).map_err(err)?;
        let range = KeyRange::LowerBound(since as f64, true);
        let limit = u32::try_from(limit).unwrap_or(u32::MAX);
        let ids: Vec<String> = by_seq
            .get_all()
            .with_query::<f64, _>(range)
            .with_limit(limit)
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        let mut pending = Vec::with_capacity(ids.len());
        for id in &ids {
            pending.push(docs.get::<String, _, _>(id.as_str()).primitive().map_err(err)?);
        }
        let mut out = Vec::with_capacity(ids.len());
        for req in pending {
            if let Some(json) = req.await.map_err(err)? {
                out.push(parse_record(&json)?);
            }
        }
        Ok(out)
    }

    async fn all_with_prefix(&self, prefix: &str) -> Result<Vec<DocRecord>, StorageError> {
        if prefix.is_empty() {
            return self.all().await;
        }
        let tx = self.db.transaction(DOCS).build().map_err(err)?;
        let store = tx.object_store(DOCS).map_err(err)?;
        // Every string starting with `prefix` sorts between it and `prefix` + U+FFFF.
        let hi = format!("{prefix}\u{ffff}");
        let range = KeyRange::Bound(prefix, false, hi.as_str(), false);
        let values: Vec<String> = store
            .get_all()
            .with_query::<&str, _>(range)
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        values.iter().map(|j| parse_record(j)).collect()
    }

    async fn count_changes_since(&self, since: u64) -> Result<u64, StorageError> {
        let tx = self.db.transaction(BY_SEQ).build().map_err(err)?;
        let by_seq = tx.object_store(BY_SEQ).map_err(err)?;
        let range = KeyRange::LowerBound(since as f64, true);
        let n = by_seq
            .count()
            .with_query::<f64, _>(range)
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?;
        Ok(u64::from(n))
    }

    async fn all(&self) -> Result<Vec<DocRecord>, StorageError> {
        let tx = self.db.transaction(DOCS).build().map_err(err)?;
        let store = tx.object_store(DOCS).map_err(err)?;
        let values: Vec<String> = store
            .get_all()
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        values.iter().map(|j| parse_record(j)).collect()
    }

    async fn get_local(&self, id: &str) -> Result<Option<Value>, StorageError> {
        let tx = self.db.transaction(LOCAL).build().map_err(err)?;
        let store = tx.object_store(LOCAL).map_err(err)?;
        let json: Option<String> = store.get(id).primitive().map_err(err)?.await.map_err(err)?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| StorageError::Corrupt(e.to_string())))
            .transpose()
    }

    async fn put_local(&self, id: &str, value: Option<Value>) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(LOCAL)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        {
            let store = tx.object_store(LOCAL).map_err(err)?;
            match value {
                Some(v) => {
                    store
                        .put(v.to_string())
                        .with_key(id)
                        .without_key_type()
                        .primitive()
                        .map_err(err)?;
                }
                None => {
                    store.delete(id).primitive().map_err(err)?;
                }
            }
        }
        tx.commit().await.map_err(err)
    }
}
