//! A CouchDB-model database over any [`Storage`] backend.
//!
//! Owns the rules: a new edit must name a current leaf (or nothing, for a new or deleted
//! document) or it is a conflict; every document is validated before anything is written; a
//! batch is written whole or not at all; each change takes the next local sequence number.

use crate::couch::RevDoc;
use crate::rev::Rev;
use crate::rev_tree::{PathError, RevTree, DEFAULT_REVS_LIMIT};
use crate::storage::{DocRecord, Storage, StorageError, WriteBatch};
use crate::validate::{validate_doc, ValidationError};
use futures::lock::Mutex;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The winning revision of a document, as read.
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    /// `_id`
    pub id: String,
    /// `_rev` of the winner.
    pub rev: Rev,
    /// The winner's body (no `_` fields).
    pub body: Map<String, Value>,
    /// Other non-deleted leaves, newest first.
    pub conflicts: Vec<Rev>,
}

impl Doc {
    /// The document as CouchDB JSON: body plus `_id`, `_rev` and, if any, `_conflicts`.
    pub fn to_json(&self) -> Value {
        let mut m = self.body.clone();
        m.insert("_id".into(), Value::String(self.id.clone()));
        m.insert("_rev".into(), Value::String(self.rev.to_string()));
        if !self.conflicts.is_empty() {
            m.insert(
                "_conflicts".into(),
                Value::Array(self.conflicts.iter().map(|r| Value::String(r.to_string())).collect()),
            );
        }
        Value::Object(m)
    }

    /// A string field of the body, or "".
    pub fn str_field(&self, key: &str) -> &str {
        self.body.get(key).and_then(Value::as_str).unwrap_or("")
    }
}

/// One new edit for [`Database::bulk_put`].
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// The document id.
    pub id: String,
    /// The leaf this edit replaces (`None` for a new document or one that was deleted).
    pub base: Option<Rev>,
    /// True to delete.
    pub deleted: bool,
    /// The new body (ignored for a deletion).
    pub body: Map<String, Value>,
}

/// One entry of the local changes feed.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The sequence of this change.
    pub seq: u64,
    /// The document id.
    pub id: String,
    /// The leaves after the change (`style=all_docs`), winner first.
    pub leaves: Vec<Rev>,
    /// Whether the winner is a deletion.
    pub deleted: bool,
}

/// Why a database operation was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DbError {
    /// The edit was based on a revision that is not a current leaf.
    #[error("document update conflict on {0}: it was changed elsewhere; reload and try again")]
    Conflict(String),
    /// The document failed validation.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The request itself is malformed.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The backend failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<PathError> for DbError {
    fn from(e: PathError) -> Self {
        DbError::BadRequest(e.to_string())
    }
}

/// A database: the rules over a backend.
pub struct Database<S> {
    storage: S,
    write_lock: Mutex<()>,
    revs_limit: usize,
}

impl<S: Storage> Database<S> {
    /// A database over `storage` with CouchDB's default revision limit.
    pub fn new(storage: S) -> Self {
        Database {
            storage,
            write_lock: Mutex::new(()),
            revs_limit: DEFAULT_REVS_LIMIT,
        }
    }

    /// Gives the backend back (to close it).
    pub fn into_storage(self) -> S {
        self.storage
    }

    /// The backend.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// The whole stored record (revision tree included) of `id`.
    pub async fn record(&self, id: &str) -> Result<Option<DocRecord>, DbError> {
        Ok(self.storage.read(id).await?)
    }

    /// The winning revision of `id`; `None` when absent or deleted.
    pub async fn get(&self, id: &str) -> Result<Option<Doc>, DbError> {
        Ok(self.storage.read(id).await?.and_then(|r| winner_doc(&r)))
    }

    /// Writes one new edit; returns its revision.
    pub async fn put(&self, id: &str, base: Option<&Rev>, body: Map<String, Value>) -> Result<Rev, DbError> {
        let edit = Edit {
            id: id.to_string(),
            base: base.cloned(),
            deleted: false,
            body,
        };
        Ok(self.bulk_put(vec![edit]).await?.remove(0))
    }

    /// Deletes `id` (writes a tombstone on top of `base`).
    pub async fn delete(&self, id: &str, base: &Rev) -> Result<Rev, DbError> {
        let edit = Edit {
            id: id.to_string(),
            base: Some(base.clone()),
            deleted: true,
            body: Map::new(),
        };
        Ok(self.bulk_put(vec![edit]).await?.remove(0))
    }

    /// Writes several new edits at once: every edit is checked first, and if any is invalid or
    /// conflicts, nothing is written.
    pub async fn bulk_put(&self, edits: Vec<Edit>) -> Result<Vec<Rev>, DbError> {
        for e in &edits {
            if e.id.is_empty() {
                return Err(DbError::BadRequest("a document needs an _id".into()));
            }
            if !e.deleted {
                validate_doc(&e.id, &e.body)?;
            }
        }
        let _guard = self.write_lock.lock().await;
        let mut pending = self.read_pending(edits.iter().map(|e| e.id.clone())).await?;
        let mut revs = Vec::with_capacity(edits.len());
        let mut seq = self.storage.update_seq().await?;
        for e in edits {
            let (record, _) = pending.get_mut(&e.id).expect("every id was read");
            let parent = edit_parent(&record.tree, e.base.as_ref()).ok_or_else(|| DbError::Conflict(e.id.clone()))?;
            let body = if e.deleted { Map::new() } else { e.body };
            let rev = record.tree.add_edit(parent.as_ref(), e.deleted, body);
            record.tree.stem(self.revs_limit);
            seq += 1;
            record.seq = seq;
            revs.push(rev);
        }
        let batch = WriteBatch {
            docs: pending.into_values().collect(),
            update_seq: seq,
        };
        self.storage.write(batch).await?;
        Ok(revs)
    }

    /// Merges revisions made elsewhere (`new_edits: false`): each with its path, newest first.
    /// Existing revisions are left alone. Returns how many documents changed. All-or-nothing:
    /// one invalid document and nothing is written.
    pub async fn merge_revisions(&self, docs: Vec<RevDoc>) -> Result<usize, DbError> {
        for d in &docs {
            if d.id.is_empty() {
                return Err(DbError::BadRequest("a document needs an _id".into()));
            }
            if !d.deleted {
                validate_doc(&d.id, &d.body)?;
            }
        }
        let _guard = self.write_lock.lock().await;
        let read = self.read_pending(docs.iter().map(|d| d.id.clone())).await?;
        let mut pending: BTreeMap<String, (DocRecord, Option<u64>, bool)> =
            read.into_iter().map(|(id, (r, prev))| (id, (r, prev, false))).collect();
        for d in docs {
            let (record, _, changed) = pending.get_mut(&d.id).expect("every id was read");
            *changed |= record.tree.merge_path(&d.path, d.deleted, d.body)?;
            record.tree.stem(self.revs_limit);
        }
        let mut seq = self.storage.update_seq().await?;
        let mut batch = WriteBatch::default();
        for (mut record, prev, changed) in pending.into_values() {
            if changed {
                seq += 1;
                record.seq = seq;
                batch.docs.push((record, prev));
            }
        }
        let n = batch.docs.len();
        if n > 0 {
            batch.update_seq = seq;
            self.storage.write(batch).await?;
        }
        Ok(n)
    }

    /// Reads the current records of `ids` (once each) in one round trip: each with the
    /// sequence it had (to drop from the changes index), or an empty record if new.
    async fn read_pending(
        &self,
        ids: impl Iterator<Item = String>,
    ) -> Result<BTreeMap<String, (DocRecord, Option<u64>)>, DbError> {
        let mut unique: Vec<String> = ids.collect();
        unique.sort();
        unique.dedup();
        let records = self.storage.read_many(&unique).await?;
        Ok(unique
            .into_iter()
            .zip(records)
            .map(|(id, r)| {
                let entry = match r {
                    Some(r) => {
                        let prev = Some(r.seq);
                        (r, prev)
                    }
                    None => (
                        DocRecord {
                            id: id.clone(),
                            seq: 0,
                            tree: RevTree::new(),
                        },
                        None,
                    ),
                };
                (id, entry)
            })
            .collect())
    }

    /// Writes new edits one by one in a single batch, CouchDB's `_bulk_docs` way: validation is
    /// all-or-nothing (one invalid document and nothing is written), conflicts are reported per
    /// document and the others are written.
    pub async fn bulk_docs(&self, edits: Vec<Edit>) -> Result<Vec<Result<Rev, DbError>>, DbError> {
        for e in &edits {
            if !e.deleted {
                validate_doc(&e.id, &e.body)?;
            }
        }
        let _guard = self.write_lock.lock().await;
        let mut pending = self.read_pending(edits.iter().map(|e| e.id.clone())).await?;
        let mut seq = self.storage.update_seq().await?;
        let mut touched = std::collections::BTreeSet::new();
        let mut results = Vec::with_capacity(edits.len());
        for e in edits {
            if e.id.is_empty() {
                results.push(Err(DbError::BadRequest("a document needs an _id".into())));
                continue;
            }
            let (record, _) = pending.get_mut(&e.id).expect("every id was read");
            let Some(parent) = edit_parent(&record.tree, e.base.as_ref()) else {
                results.push(Err(DbError::Conflict(e.id.clone())));
                continue;
            };
            let body = if e.deleted { Map::new() } else { e.body };
            let rev = record.tree.add_edit(parent.as_ref(), e.deleted, body);
            record.tree.stem(self.revs_limit);
            seq += 1;
            record.seq = seq;
            touched.insert(e.id);
            results.push(Ok(rev));
        }
        if !touched.is_empty() {
            let docs = pending
                .into_iter()
                .filter(|(id, _)| touched.contains(id))
                .map(|(_, v)| v)
                .collect();
            self.storage.write(WriteBatch { docs, update_seq: seq }).await?;
        }
        Ok(results)
    }

    /// For each id, the revisions in `wanted` this database does not have (`_revs_diff`).
    /// Ids with nothing missing are left out.
    pub async fn revs_diff(&self, wanted: BTreeMap<String, Vec<Rev>>) -> Result<BTreeMap<String, Vec<Rev>>, DbError> {
        let ids: Vec<String> = wanted.keys().cloned().collect();
        let records = self.storage.read_many(&ids).await?;
        let mut out = BTreeMap::new();
        for ((id, revs), record) in wanted.into_iter().zip(records) {
            let missing: Vec<Rev> = revs
                .into_iter()
                .filter(|r| !record.as_ref().is_some_and(|rec| rec.tree.contains(r)))
                .collect();
            if !missing.is_empty() {
                out.insert(id, missing);
            }
        }
        Ok(out)
    }

    /// Specific revisions of a document with their ancestry (`open_revs`): `None` for all
    /// leaves. With `latest`, a requested revision that has descendants gives its leaves
    /// instead. A revision that cannot be given comes back as `Err(rev)` (missing).
    pub async fn open_revs(
        &self,
        id: &str,
        revs: Option<Vec<Rev>>,
        latest: bool,
    ) -> Result<Vec<Result<RevDoc, Rev>>, DbError> {
        let record = self.storage.read(id).await?;
        Ok(match record {
            Some(record) => revs_of_record(&record, revs, latest),
            None => revs.unwrap_or_default().into_iter().map(Err).collect(),
        })
    }

    /// Live and deleted document counts.
    pub async fn counts(&self) -> Result<(u64, u64), DbError> {
        Ok(self.storage.counts().await?)
    }

    /// Winners of every live document, ordered by id.
    pub async fn all_docs(&self) -> Result<Vec<Doc>, DbError> {
        Ok(self.storage.all().await?.iter().filter_map(winner_doc).collect())
    }

    /// Live documents whose id starts with `prefix`, ordered by id.
    pub async fn docs_with_prefix(&self, prefix: &str) -> Result<Vec<Doc>, DbError> {
        Ok(self
            .storage
            .all_with_prefix(prefix)
            .await?
            .iter()
            .filter_map(winner_doc)
            .collect())
    }

    /// How many documents changed after `since`.
    pub async fn count_changes(&self, since: u64) -> Result<u64, DbError> {
        Ok(self.storage.count_changes_since(since).await?)
    }

    /// Changes after `since`, at most `limit`, in sequence order.
    pub async fn changes(&self, since: u64, limit: usize) -> Result<Vec<Change>, DbError> {
        Ok(self
            .storage
            .changes_since(since, limit)
            .await?
            .into_iter()
            .map(|r| {
                let winner = r.tree.winner().cloned();
                let mut leaves: Vec<Rev> = r.tree.leaves().into_iter().cloned().collect();
                leaves.sort_by(|a, b| {
                    (Some(b) == winner.as_ref())
                        .cmp(&(Some(a) == winner.as_ref()))
                        .then(b.cmp(a))
                });
                Change {
                    seq: r.seq,
                    deleted: r.tree.is_deleted(),
                    id: r.id,
                    leaves,
                }
            })
            .collect())
    }

    /// The last local update sequence.
    pub async fn update_seq(&self) -> Result<u64, DbError> {
        Ok(self.storage.update_seq().await?)
    }

    /// A `_local` document.
    pub async fn get_local(&self, id: &str) -> Result<Option<Value>, DbError> {
        Ok(self.storage.get_local(id).await?)
    }

    /// Writes or removes a `_local` document.
    pub async fn put_local(&self, id: &str, value: Option<Value>) -> Result<(), DbError> {
        Ok(self.storage.put_local(id, value).await?)
    }
}

/// The parent a new edit attaches to, or `None` (outer) when the edit conflicts.
fn edit_parent(tree: &RevTree, base: Option<&Rev>) -> Option<Option<Rev>> {
    match (tree.winner(), base) {
        (None, None) => Some(None),
        (None, Some(_)) => None,
        (Some(w), None) if tree.is_deleted() => Some(Some(w.clone())),
        (Some(_), None) => None,
        (Some(_), Some(b)) => tree.leaves().into_iter().any(|l| l == b).then(|| Some(b.clone())),
    }
}

/// Which revisions `open_revs` gives from a record: `None` asks for all leaves; with `latest`,
/// a requested revision that has descendants stands for its leaves. `Err(rev)` when the
/// revision cannot be given (unknown, or an inner revision whose body is gone).
pub fn select_revs(record: &DocRecord, revs: Option<Vec<Rev>>, latest: bool) -> Vec<Result<Rev, Rev>> {
    let tree = &record.tree;
    let leaves: Vec<Rev> = tree.leaves().into_iter().cloned().collect();
    let wanted: Vec<Rev> = match revs {
        None => leaves.clone(),
        Some(list) => {
            let mut out = Vec::new();
            for r in list {
                if latest && tree.contains(&r) && !leaves.contains(&r) {
                    out.extend(leaves.iter().filter(|l| tree.ancestry(l).contains(&r)).cloned());
                } else {
                    out.push(r);
                }
            }
            out
        }
    };
    wanted
        .into_iter()
        .map(|r| match tree.node(&r) {
            Some(node) if node.body.is_some() || node.deleted => Ok(r),
            _ => Err(r),
        })
        .collect()
}

/// `open_revs` on a record already read (see [`select_revs`]), with bodies and ancestry.
pub fn revs_of_record(record: &DocRecord, revs: Option<Vec<Rev>>, latest: bool) -> Vec<Result<RevDoc, Rev>> {
    select_revs(record, revs, latest)
        .into_iter()
        .map(|r| {
            let rev = r?;
            let node = record.tree.node(&rev).ok_or_else(|| rev.clone())?;
            Ok(RevDoc {
                id: record.id.clone(),
                path: record.tree.ancestry(&rev),
                deleted: node.deleted,
                body: node.body.clone().unwrap_or_default(),
            })
        })
        .collect()
}

fn winner_doc(r: &DocRecord) -> Option<Doc> {
    let rev = r.tree.winner()?;
    let node = r.tree.node(rev)?;
    if node.deleted {
        return None;
    }
    Some(Doc {
        id: r.id.clone(),
        rev: rev.clone(),
        body: node.body.clone().unwrap_or_default(),
        conflicts: r.tree.conflicts().into_iter().cloned().collect(),
    })
}
