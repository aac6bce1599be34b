//! The storage contract every backend fulfils, and the in-memory backend.
//!
//! A backend stores [`DocRecord`]s by id, a by-sequence index of them (the local `_changes`
//! feed) and `_local` documents, and applies a [`WriteBatch`] atomically: all of it or none.
//! The rules (revisions, conflicts, validation) live in [`crate::database`], not here, so a
//! backend is small and the same conformance suite ([`crate::conformance`]) checks them all.

use crate::rev_tree::RevTree;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// A document as stored: its id, its whole revision tree and the local sequence of its last
/// change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    /// The document id.
    pub id: String,
    /// The local update sequence at which this document last changed.
    pub seq: u64,
    /// Every known revision.
    pub tree: RevTree,
}

/// Records to write together, and the database's new update sequence.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriteBatch {
    /// Each record with its new `seq`, and the sequence it had before (to drop from the
    /// by-sequence index).
    pub docs: Vec<(DocRecord, Option<u64>)>,
    /// The update sequence after this batch.
    pub update_seq: u64,
}

/// A backend failure, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The device refused to store more (quota).
    #[error("the device is out of storage space: {0}")]
    QuotaExceeded(String),
    /// Stored data could not be read back.
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// Any other failure of the backend.
    #[error("storage failed: {0}")]
    Backend(String),
}

/// A document store backend. No `Send` bound: IndexedDB futures are not `Send`.
#[allow(async_fn_in_trait)]
pub trait Storage {
    /// The record of `id`, if any.
    async fn read(&self, id: &str) -> Result<Option<DocRecord>, StorageError>;
    /// The records of several ids at once, in the same order (backends override this to read
    /// in one round trip).
    async fn read_many(&self, ids: &[String]) -> Result<Vec<Option<DocRecord>>, StorageError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.read(id).await?);
        }
        Ok(out)
    }
    /// Applies the batch atomically.
    async fn write(&self, batch: WriteBatch) -> Result<(), StorageError>;
    /// The last update sequence written (0 when empty).
    async fn update_seq(&self) -> Result<u64, StorageError>;
    /// Records changed after `since`, in sequence order, at most `limit`.
    async fn changes_since(&self, since: u64, limit: usize) -> Result<Vec<DocRecord>, StorageError>;
    /// Every record whose id starts with `prefix` (backends with an ordered id index
    /// override it to read only those).
    async fn all_with_prefix(&self, prefix: &str) -> Result<Vec<DocRecord>, StorageError> {
        let mut v: Vec<DocRecord> = self
            .all()
            .await?
            .into_iter()
            .filter(|r| r.id.starts_with(prefix))
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(v)
    }
    /// How many records changed after `since` (backends with a sequence index override it to
    /// count without reading the records).
    async fn count_changes_since(&self, since: u64) -> Result<u64, StorageError> {
        Ok(self.changes_since(since, usize::MAX).await?.len() as u64)
    }
    /// Every record, ordered by id.
    async fn all(&self) -> Result<Vec<DocRecord>, StorageError>;
    /// How many documents are live and how many deleted (backends with an index override it).
    async fn counts(&self) -> Result<(u64, u64), StorageError> {
        let all = self.all().await?;
        let deleted = all.iter().filter(|r| r.tree.is_deleted()).count() as u64;
        Ok((all.len() as u64 - deleted, deleted))
    }
    /// A `_local` document (never replicated, never in the changes feed).
    async fn get_local(&self, id: &str) -> Result<Option<Value>, StorageError>;
    /// Writes (`Some`) or removes (`None`) a `_local` document.
    async fn put_local(&self, id: &str, value: Option<Value>) -> Result<(), StorageError>;
}

#[derive(Default)]
struct MemoryInner {
    docs: BTreeMap<String, DocRecord>,
    by_seq: BTreeMap<u64, String>,
    local: BTreeMap<String, Value>,
    update_seq: u64,
}

/// The in-memory backend: for tests and for the native side.
#[derive(Default)]
pub struct MemoryStorage {
    inner: RefCell<MemoryInner>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Storage for MemoryStorage {
    async fn read(&self, id: &str) -> Result<Option<DocRecord>, StorageError> {
        Ok(self.inner.borrow().docs.get(id).cloned())
    }

    async fn write(&self, batch: WriteBatch) -> Result<(), StorageError> {
        let mut inner = self.inner.borrow_mut();
        for (record, prev_seq) in batch.docs {
            if let Some(prev) = prev_seq {
                inner.by_seq.remove(&prev);
            }
            inner.by_seq.insert(record.seq, record.id.clone());
            inner.docs.insert(record.id.clone(), record);
        }
        inner.update_seq = batch.update_seq;
        Ok(())
    }

    async fn update_seq(&self) -> Result<u64, StorageError> {
        Ok(self.inner.borrow().update_seq)
    }

    async fn changes_since(&self, since: u64, limit: usize) -> Result<Vec<DocRecord>, StorageError> {
        let inner = self.inner.borrow();
        Ok(inner
            .by_seq
            .range(since + 1..)
            .take(limit)
            .filter_map(|(_, id)| inner.docs.get(id).cloned())
            .collect())
    }

    async fn all(&self) -> Result<Vec<DocRecord>, StorageError> {
        Ok(self.inner.borrow().docs.values().cloned().collect())
    }

    async fn get_local(&self, id: &str) -> Result<Option<Value>, StorageError> {
        Ok(self.inner.borrow().local.get(id).cloned())
    }

    async fn put_local(&self, id: &str, value: Option<Value>) -> Result<(), StorageError> {
        let mut inner = self.inner.borrow_mut();
        match value {
            Some(v) => inner.local.insert(id.to_string(), v),
            None => inner.local.remove(id),
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::MemoryStorage;
    crate::storage_conformance_tests!(native: MemoryStorage::new());
}
