//! Helping a person resolve a conflict, and backups that keep every revision.
//!
//! Nothing here discards a revision on its own: [`resolution`] builds the edits for a choice a
//! person made (the merged body on top of the winner, tombstones on the losing leaves), and a
//! backup carries whole revision trees so importing it loses nothing.

use crate::couch::RevDoc;
use crate::database::Edit;
use crate::rev::Rev;
use crate::storage::DocRecord;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// One field across the conflicting versions: its value in each (None when absent).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldRow {
    /// Field name.
    pub field: String,
    /// The value in each version, in the order the versions were given.
    pub values: Vec<Option<Value>>,
    /// True when the versions disagree on it.
    pub differs: bool,
}

/// The live leaves of a conflicted document, winner first, with their bodies.
pub fn versions(record: &DocRecord) -> Vec<(Rev, Map<String, Value>)> {
    let mut out = Vec::new();
    if let Some(w) = record.tree.winner() {
        out.push((
            w.clone(),
            record.tree.node(w).and_then(|n| n.body.clone()).unwrap_or_default(),
        ));
    }
    for c in record.tree.conflicts() {
        out.push((
            c.clone(),
            record.tree.node(c).and_then(|n| n.body.clone()).unwrap_or_default(),
        ));
    }
    out
}

/// Field-by-field comparison of the versions, every field once, sorted by name.
pub fn compare(bodies: &[&Map<String, Value>]) -> Vec<FieldRow> {
    let fields: BTreeSet<&String> = bodies.iter().flat_map(|b| b.keys()).collect();
    fields
        .into_iter()
        .map(|f| {
            let values: Vec<Option<Value>> = bodies.iter().map(|b| b.get(f).cloned()).collect();
            let differs = values.windows(2).any(|w| w[0] != w[1]);
            FieldRow {
                field: f.clone(),
                values,
                differs,
            }
        })
        .collect()
}

/// Builds the body a person chose: for each field, the value from the version they picked
/// (`picks[field] = index into versions`; fields not picked come from the winner, index 0).
pub fn merge_choice(bodies: &[&Map<String, Value>], picks: &[(String, usize)]) -> Map<String, Value> {
    let mut merged = bodies.first().map(|b| (*b).clone()).unwrap_or_default();
    for (field, i) in picks {
        match bodies.get(*i).and_then(|b| b.get(field)) {
            Some(v) => {
                merged.insert(field.clone(), v.clone());
            }
            None => {
                merged.remove(field);
            }
        }
    }
    merged
}

/// The edits that record a resolution: the merged body on top of the winner and a tombstone on
/// every other live leaf. Written together, they leave one live leaf.
pub fn resolution(id: &str, record: &DocRecord, merged: Map<String, Value>) -> Vec<Edit> {
    let mut edits = Vec::new();
    if let Some(w) = record.tree.winner() {
        edits.push(Edit {
            id: id.to_string(),
            base: Some(w.clone()),
            deleted: false,
            body: merged,
        });
    }
    for loser in record.tree.conflicts() {
        edits.push(Edit {
            id: id.to_string(),
            base: Some(loser.clone()),
            deleted: true,
            body: Map::new(),
        });
    }
    edits
}

/// A backup file: every document of every database, with whole revision trees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    /// Always "commontable-backup".
    pub format: String,
    /// Format version.
    pub version: u32,
    /// When it was made (given by the caller).
    pub created: String,
    /// Database name → its records.
    pub databases: std::collections::BTreeMap<String, Vec<DocRecord>>,
}

/// Why a backup file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("this is not a Common Table backup: {0}")]
pub struct BackupError(pub String);

impl Backup {
    /// A backup of the given databases.
    pub fn new(created: String, databases: std::collections::BTreeMap<String, Vec<DocRecord>>) -> Self {
        Backup {
            format: "commontable-backup".into(),
            version: 1,
            created,
            databases,
        }
    }

    /// Reads a backup file, checking what it is.
    pub fn parse(text: &str) -> Result<Backup, BackupError> {
        let b: Backup = serde_json::from_str(text).map_err(|e| BackupError(e.to_string()))?;
        if b.format != "commontable-backup" || b.version != 1 {
            return Err(BackupError(format!("format {:?} version {}", b.format, b.version)));
        }
        Ok(b)
    }
}

/// Every leaf of a record as a revision with its ancestry, ready for `merge_revisions`: the
/// import side of a backup (nothing already present is changed, nothing is lost).
pub fn leaves_of(record: &DocRecord) -> Vec<RevDoc> {
    record
        .tree
        .leaves()
        .into_iter()
        .filter_map(|leaf| {
            let node = record.tree.node(leaf)?;
            Some(RevDoc {
                id: record.id.clone(),
                path: record.tree.ancestry(leaf),
                deleted: node.deleted,
                body: node.body.clone().unwrap_or_default(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::block_on;
    use crate::{Database, MemoryStorage, Storage};
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    async fn conflicted(db: &Database<MemoryStorage>) {
        let r1 = db
            .put(
                "p",
                None,
                obj(json!({"type": "partner", "kind": "library", "name": "Library", "phone": "555-0101"})),
            )
            .await
            .unwrap();
        let a = obj(json!({"type": "partner", "kind": "library", "name": "Public Library", "phone": "555-0101"}));
        let b =
            obj(json!({"type": "partner", "kind": "library", "name": "Library", "phone": "555-0102", "email": "x@y"}));
        db.merge_revisions(vec![
            RevDoc {
                id: "p".into(),
                path: vec![Rev::next(Some(&r1), false, &a), r1.clone()],
                deleted: false,
                body: a,
            },
            RevDoc {
                id: "p".into(),
                path: vec![Rev::next(Some(&r1), false, &b), r1.clone()],
                deleted: false,
                body: b,
            },
        ])
        .await
        .unwrap();
    }

    #[test]
    fn a_person_merges_field_by_field_and_the_conflict_is_gone() {
        block_on(async {
            let db = Database::new(MemoryStorage::new());
            conflicted(&db).await;
            let record = db.record("p").await.unwrap().unwrap();
            let vs = versions(&record);
            assert_eq!(vs.len(), 2);
            let bodies: Vec<&Map<String, Value>> = vs.iter().map(|(_, b)| b).collect();
            let rows = compare(&bodies);
            let differing: Vec<&str> = rows.iter().filter(|r| r.differs).map(|r| r.field.as_str()).collect();
            assert_eq!(differing, vec!["email", "name", "phone"]);
            // Take the name from one version and phone and email from the other.
            let name_from = vs.iter().position(|(_, b)| b["name"] == "Public Library").unwrap();
            let other = 1 - name_from;
            let merged = merge_choice(
                &bodies,
                &[
                    ("name".into(), name_from),
                    ("phone".into(), other),
                    ("email".into(), other),
                ],
            );
            assert_eq!(merged["name"], "Public Library");
            assert_eq!(merged["phone"], "555-0102");
            assert_eq!(merged["email"], "x@y");
            db.bulk_put(resolution("p", &record, merged)).await.unwrap();
            let doc = db.get("p").await.unwrap().unwrap();
            assert!(doc.conflicts.is_empty());
            assert_eq!(doc.body["name"], "Public Library");
            assert_eq!(doc.rev.pos, 3);
            // Every earlier revision is still in the tree (deleted leaves, not dropped ones).
            let after = db.record("p").await.unwrap().unwrap();
            for (rev, _) in &vs {
                assert!(after.tree.contains(rev));
            }
        });
    }

    #[test]
    fn a_backup_restores_every_revision_into_an_empty_device() {
        block_on(async {
            let db = Database::new(MemoryStorage::new());
            conflicted(&db).await;
            db.put("q", None, obj(json!({"type": "note"}))).await.unwrap();
            let rq = db.get("q").await.unwrap().unwrap().rev;
            db.delete("q", &rq).await.unwrap();
            let mut dbs = std::collections::BTreeMap::new();
            dbs.insert("workspace".to_string(), db.storage().all().await.unwrap());
            let text = serde_json::to_string(&Backup::new("now".into(), dbs)).unwrap();

            let restored = Database::new(MemoryStorage::new());
            let backup = Backup::parse(&text).unwrap();
            for record in &backup.databases["workspace"] {
                restored.merge_revisions(leaves_of(record)).await.unwrap();
            }
            for id in ["p", "q"] {
                let a = db.record(id).await.unwrap().unwrap().tree;
                let b = restored.record(id).await.unwrap().unwrap().tree;
                assert_eq!(a, b, "{id}");
            }
            // Importing twice changes nothing.
            for record in &backup.databases["workspace"] {
                assert_eq!(restored.merge_revisions(leaves_of(record)).await.unwrap(), 0);
            }
            assert!(Backup::parse("{\"format\":\"other\",\"version\":1,\"created\":\"\",\"databases\":{}}").is_err());
            assert!(Backup::parse("not json").is_err());
        });
    }
}
