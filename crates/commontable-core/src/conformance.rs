//! The one conformance suite every storage backend must pass.
//!
//! Each check takes a fresh, empty backend and panics with a message on failure. Backends run
//! the whole list through [`storage_conformance_tests!`](crate::storage_conformance_tests):
//! `native:` (plain `#[test]`s) for the in-memory and SQLite backends, `wasm:` (async
//! `wasm_bindgen_test`s in Chromium) for IndexedDB.

use crate::couch::RevDoc;
use crate::database::{Database, DbError, Edit};
use crate::rev::Rev;
use crate::storage::Storage;
use serde_json::{json, Map, Value};

/// Runs a future to completion on the current thread (native tests only).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

/// Generates one test per conformance check for a backend.
#[macro_export]
macro_rules! storage_conformance_tests {
    (native: $make:expr) => {
        $crate::storage_conformance_tests!(@each native ($make);
            empty_store_is_empty, put_then_get, stale_update_is_a_conflict_and_writes_nothing,
            changes_list_each_doc_once_in_order, changes_page_with_since_and_limit,
            delete_leaves_a_tombstone_in_changes, replicated_conflicts_are_kept_and_resolvable,
            invalid_batch_writes_nothing, local_docs_are_not_changes,
            all_docs_sorted_without_deleted, merging_twice_changes_nothing, trees_round_trip_exactly,
            revs_diff_and_open_revs, bulk_docs_reports_conflicts_per_document,
            read_many_mixes_present_and_absent);
    };
    (wasm: $make:expr) => {
        $crate::storage_conformance_tests!(@each wasm ($make);
            empty_store_is_empty, put_then_get, stale_update_is_a_conflict_and_writes_nothing,
            changes_list_each_doc_once_in_order, changes_page_with_since_and_limit,
            delete_leaves_a_tombstone_in_changes, replicated_conflicts_are_kept_and_resolvable,
            invalid_batch_writes_nothing, local_docs_are_not_changes,
            all_docs_sorted_without_deleted, merging_twice_changes_nothing, trees_round_trip_exactly,
            revs_diff_and_open_revs, bulk_docs_reports_conflicts_per_document,
            read_many_mixes_present_and_absent);
    };
    (@each native ($make:expr); $($name:ident),*) => {
        $(
            #[test]
            fn $name() {
                $crate::conformance::block_on($crate::conformance::$name($make));
            }
        )*
    };
    (@each wasm ($make:expr); $($name:ident),*) => {
        $(
            #[wasm_bindgen_test::wasm_bindgen_test]
            async fn $name() {
                $crate::conformance::$name(($make).await).await;
            }
        )*
    };
}

fn note(text: &str) -> Map<String, Value> {
    obj(json!({ "type": "note", "text": text }))
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

/// A new store has nothing in it.
pub async fn empty_store_is_empty<S: Storage>(s: S) {
    let db = Database::new(s);
    assert_eq!(db.update_seq().await.unwrap(), 0);
    assert!(db.get("missing").await.unwrap().is_none());
    assert!(db.changes(0, 100).await.unwrap().is_empty());
    assert!(db.all_docs().await.unwrap().is_empty());
    assert!(db.get_local("x").await.unwrap().is_none());
}

/// What is written reads back, with its revision.
pub async fn put_then_get<S: Storage>(s: S) {
    let db = Database::new(s);
    let rev = db.put("n1", None, note("héllo <b>\"quoted\"</b> 🌱")).await.unwrap();
    assert_eq!(rev.pos, 1);
    let doc = db.get("n1").await.unwrap().expect("written doc reads back");
    assert_eq!(doc.rev, rev);
    assert_eq!(doc.str_field("text"), "héllo <b>\"quoted\"</b> 🌱");
    assert!(doc.conflicts.is_empty());
    let rev2 = db.put("n1", Some(&rev), note("second")).await.unwrap();
    assert_eq!(rev2.pos, 2);
    assert_eq!(db.get("n1").await.unwrap().unwrap().str_field("text"), "second");
    assert_eq!(db.update_seq().await.unwrap(), 2);
}

/// An edit based on an old revision is refused and nothing changes.
pub async fn stale_update_is_a_conflict_and_writes_nothing<S: Storage>(s: S) {
    let db = Database::new(s);
    let r1 = db.put("n", None, note("one")).await.unwrap();
    db.put("n", Some(&r1), note("two")).await.unwrap();
    let seq = db.update_seq().await.unwrap();
    let err = db.put("n", Some(&r1), note("stale")).await.unwrap_err();
    assert!(matches!(err, DbError::Conflict(_)), "{err:?}");
    let err = db.put("n", None, note("blind")).await.unwrap_err();
    assert!(matches!(err, DbError::Conflict(_)), "creating over a live doc: {err:?}");
    let err = db.put("new", Some(&r1), note("x")).await.unwrap_err();
    assert!(matches!(err, DbError::Conflict(_)), "updating a missing doc: {err:?}");
    assert_eq!(db.update_seq().await.unwrap(), seq);
    assert_eq!(db.get("n").await.unwrap().unwrap().str_field("text"), "two");
    assert!(db.get("new").await.unwrap().is_none());
}

/// The changes feed lists each document once, at its latest change, in order.
pub async fn changes_list_each_doc_once_in_order<S: Storage>(s: S) {
    let db = Database::new(s);
    let a = db.put("a", None, note("a")).await.unwrap();
    db.put("b", None, note("b")).await.unwrap();
    db.put("a", Some(&a), note("a2")).await.unwrap();
    let changes = db.changes(0, 100).await.unwrap();
    let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, vec!["b", "a"]);
    assert!(changes[0].seq < changes[1].seq);
    assert_eq!(changes[1].seq, db.update_seq().await.unwrap());
    assert_eq!(changes[1].leaves[0].pos, 2);
}

/// `since` and `limit` page through the feed without gaps or repeats.
pub async fn changes_page_with_since_and_limit<S: Storage>(s: S) {
    let db = Database::new(s);
    for i in 0..25 {
        db.put(&format!("d{i:02}"), None, note("x")).await.unwrap();
    }
    let mut since = 0;
    let mut seen = Vec::new();
    loop {
        let page = db.changes(since, 10).await.unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 10);
        since = page.last().unwrap().seq;
        seen.extend(page.into_iter().map(|c| c.id));
    }
    let expected: Vec<String> = (0..25).map(|i| format!("d{i:02}")).collect();
    assert_eq!(seen, expected);
    // Counting agrees with reading, also after an update moves a document to the end.
    assert_eq!(db.count_changes(0).await.unwrap(), 25);
    let tenth = db.changes(0, 10).await.unwrap()[9].seq;
    assert_eq!(db.count_changes(tenth).await.unwrap(), 15);
    let d03 = db.get("d03").await.unwrap().unwrap();
    db.put("d03", Some(&d03.rev), note("y")).await.unwrap();
    assert_eq!(db.count_changes(0).await.unwrap(), 25);
    assert_eq!(db.count_changes(tenth).await.unwrap(), 16);
    assert_eq!(db.count_changes(db.update_seq().await.unwrap()).await.unwrap(), 0);
}

/// A deletion is a tombstone: the doc reads as absent and shows in the feed as deleted.
pub async fn delete_leaves_a_tombstone_in_changes<S: Storage>(s: S) {
    let db = Database::new(s);
    let r1 = db.put("d", None, note("x")).await.unwrap();
    let r2 = db.delete("d", &r1).await.unwrap();
    assert_eq!(r2.pos, 2);
    assert!(db.get("d").await.unwrap().is_none());
    let ch = db.changes(0, 10).await.unwrap();
    assert_eq!(ch.len(), 1);
    assert!(ch[0].deleted);
    let record = db.record("d").await.unwrap().expect("the tombstone is kept");
    assert_eq!(record.tree.winner(), Some(&r2));
    // Recreating a deleted document continues its tree.
    let r3 = db.put("d", None, note("back")).await.unwrap();
    assert_eq!(r3.pos, 3);
}

/// Revisions from elsewhere that conflict are all kept; the winner is CouchDB's; a person's
/// resolution (delete the loser) clears the conflict.
pub async fn replicated_conflicts_are_kept_and_resolvable<S: Storage>(s: S) {
    let db = Database::new(s);
    let r1 = db.put("p", None, note("base")).await.unwrap();
    let a = Rev::next(Some(&r1), false, &note("device A"));
    let b = Rev::next(Some(&r1), false, &note("device B"));
    let n = db
        .merge_revisions(vec![
            RevDoc {
                id: "p".into(),
                path: vec![a.clone(), r1.clone()],
                deleted: false,
                body: note("device A"),
            },
            RevDoc {
                id: "p".into(),
                path: vec![b.clone(), r1.clone()],
                deleted: false,
                body: note("device B"),
            },
        ])
        .await
        .unwrap();
    assert_eq!(n, 1);
    let doc = db.get("p").await.unwrap().unwrap();
    let (win, lose) = if a > b { (&a, &b) } else { (&b, &a) };
    assert_eq!(&doc.rev, win);
    assert_eq!(doc.conflicts, vec![lose.clone()]);
    let rec = db.record("p").await.unwrap().unwrap();
    let lose_body = rec
        .tree
        .node(lose)
        .unwrap()
        .body
        .clone()
        .expect("losing leaf keeps its body");
    assert!(lose_body["text"].as_str().unwrap().starts_with("device"));
    db.delete("p", lose).await.unwrap();
    let doc = db.get("p").await.unwrap().unwrap();
    assert!(doc.conflicts.is_empty());
    assert_eq!(&doc.rev, win);
}

/// One invalid or conflicting edit in a batch means nothing of the batch is written.
pub async fn invalid_batch_writes_nothing<S: Storage>(s: S) {
    let db = Database::new(s);
    let good = Edit {
        id: "g".into(),
        base: None,
        deleted: false,
        body: note("fine"),
    };
    let bad = Edit {
        id: "b".into(),
        base: None,
        deleted: false,
        body: obj(json!({ "text": "no type" })),
    };
    let err = db.bulk_put(vec![good.clone(), bad]).await.unwrap_err();
    match err {
        DbError::Invalid(v) => assert_eq!(v.field, "type"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    let stale = Edit {
        id: "g2".into(),
        base: Some(Rev::new(1, "abc")),
        deleted: false,
        body: note("x"),
    };
    assert!(matches!(
        db.bulk_put(vec![good, stale]).await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(db.update_seq().await.unwrap(), 0);
    assert!(db.get("g").await.unwrap().is_none());
}

/// `_local` documents are stored apart: not in changes, not in all_docs, no sequence.
pub async fn local_docs_are_not_changes<S: Storage>(s: S) {
    let db = Database::new(s);
    db.put_local("checkpoint", Some(json!({ "seq": 5 }))).await.unwrap();
    assert_eq!(db.get_local("checkpoint").await.unwrap(), Some(json!({ "seq": 5 })));
    assert_eq!(db.update_seq().await.unwrap(), 0);
    assert!(db.changes(0, 10).await.unwrap().is_empty());
    assert!(db.all_docs().await.unwrap().is_empty());
    db.put_local("checkpoint", None).await.unwrap();
    assert!(db.get_local("checkpoint").await.unwrap().is_none());
}

/// all_docs lists live winners ordered by id.
pub async fn all_docs_sorted_without_deleted<S: Storage>(s: S) {
    let db = Database::new(s);
    for id in ["c", "a", "b"] {
        db.put(id, None, note(id)).await.unwrap();
    }
    let rb = db.get("b").await.unwrap().unwrap().rev;
    db.delete("b", &rb).await.unwrap();
    let ids: Vec<String> = db.all_docs().await.unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(ids, vec!["a", "c"]);
    let pre: Vec<String> = db
        .docs_with_prefix("c")
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(pre, vec!["c"]);
    // A prefix read takes exactly the ids that start with it, in order, whatever else exists.
    for id in ["p:b", "p:a", "p", "p;", "q:a", "p:\u{e9}", "o:z"] {
        db.put(id, None, note(id)).await.unwrap();
    }
    let pre: Vec<String> = db
        .docs_with_prefix("p:")
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(pre, vec!["p:a", "p:b", "p:\u{e9}"]);
    assert!(db.docs_with_prefix("zz").await.unwrap().is_empty());
}

/// Receiving the same revisions again writes nothing and takes no sequence.
pub async fn merging_twice_changes_nothing<S: Storage>(s: S) {
    let db = Database::new(s);
    let r1 = Rev::next(None, false, &note("x"));
    let item = RevDoc {
        id: "m".into(),
        path: vec![r1],
        deleted: false,
        body: note("x"),
    };
    assert_eq!(db.merge_revisions(vec![item.clone()]).await.unwrap(), 1);
    let seq = db.update_seq().await.unwrap();
    assert_eq!(db.merge_revisions(vec![item]).await.unwrap(), 0);
    assert_eq!(db.update_seq().await.unwrap(), seq);
}

/// A whole revision tree, deleted branches and all, reads back exactly as written.
pub async fn trees_round_trip_exactly<S: Storage>(s: S) {
    let db = Database::new(s);
    let r1 = db.put("t", None, note("1")).await.unwrap();
    let r2 = db.put("t", Some(&r1), note("2")).await.unwrap();
    let side = Rev::next(Some(&r1), true, &Map::new());
    db.merge_revisions(vec![RevDoc {
        id: "t".into(),
        path: vec![side, r1],
        deleted: true,
        body: Map::new(),
    }])
    .await
    .unwrap();
    let before = db.record("t").await.unwrap().unwrap();
    assert_eq!(before.tree.leaves().len(), 2);
    assert_eq!(before.tree.winner(), Some(&r2));
    let json = serde_json::to_string(&before).unwrap();
    let back: crate::storage::DocRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back, before);
    let again = db.record("t").await.unwrap().unwrap();
    assert_eq!(again, before);
}

/// `_revs_diff` names what is missing; `open_revs` gives leaves with their ancestry.
pub async fn revs_diff_and_open_revs<S: Storage>(s: S) {
    let db = Database::new(s);
    let r1 = db.put("d", None, note("1")).await.unwrap();
    let r2 = db.put("d", Some(&r1), note("2")).await.unwrap();
    let unknown = Rev::new(3, "ffff");
    let mut ask = std::collections::BTreeMap::new();
    ask.insert("d".to_string(), vec![r1.clone(), r2.clone(), unknown.clone()]);
    ask.insert("new".to_string(), vec![Rev::new(1, "aa")]);
    let missing = db.revs_diff(ask).await.unwrap();
    assert_eq!(missing["d"], vec![unknown.clone()]);
    assert_eq!(missing["new"], vec![Rev::new(1, "aa")]);
    let all = db.open_revs("d", None, false).await.unwrap();
    assert_eq!(all.len(), 1);
    let leaf = all[0].as_ref().unwrap();
    assert_eq!(leaf.path, vec![r2.clone(), r1.clone()]);
    assert_eq!(leaf.body["text"], "2");
    // latest: an ancestor stands for its newest descendants.
    let latest = db.open_revs("d", Some(vec![r1.clone()]), true).await.unwrap();
    assert_eq!(latest[0].as_ref().unwrap().path[0], r2);
    let miss = db.open_revs("d", Some(vec![unknown.clone()]), false).await.unwrap();
    assert_eq!(miss, vec![Err(unknown)]);
    assert_eq!(db.counts().await.unwrap(), (1, 0));
}

/// `_bulk_docs`: a conflict is reported for its document and the others are written.
pub async fn bulk_docs_reports_conflicts_per_document<S: Storage>(s: S) {
    let db = Database::new(s);
    db.put("taken", None, note("first")).await.unwrap();
    let results = db
        .bulk_docs(vec![
            Edit {
                id: "a".into(),
                base: None,
                deleted: false,
                body: note("a"),
            },
            Edit {
                id: "taken".into(),
                base: None,
                deleted: false,
                body: note("again"),
            },
        ])
        .await
        .unwrap();
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(DbError::Conflict(_))));
    assert_eq!(db.get("a").await.unwrap().unwrap().str_field("text"), "a");
    assert_eq!(db.get("taken").await.unwrap().unwrap().str_field("text"), "first");
    let invalid = Edit {
        id: "b".into(),
        base: None,
        deleted: false,
        body: obj(json!({})),
    };
    let ok = Edit {
        id: "c".into(),
        base: None,
        deleted: false,
        body: note("c"),
    };
    assert!(db.bulk_docs(vec![ok, invalid]).await.is_err());
    assert!(db.get("c").await.unwrap().is_none(), "validation is all-or-nothing");
}

/// Reading many ids at once returns each present record in place and `None` for the others.
pub async fn read_many_mixes_present_and_absent<S: Storage>(s: S) {
    let db = Database::new(s);
    let edits: Vec<Edit> = (0..40)
        .filter(|i| i % 3 == 0)
        .map(|i| Edit {
            id: format!("k{i:02}"),
            base: None,
            deleted: false,
            body: note(&i.to_string()),
        })
        .collect();
    db.bulk_put(edits).await.unwrap();
    let ids: Vec<String> = (0..40)
        .rev()
        .map(|i| format!("k{i:02}"))
        .chain(["a", "zz"].map(String::from))
        .collect();
    let got = db.storage().read_many(&ids).await.unwrap();
    assert_eq!(got.len(), ids.len());
    for (id, rec) in ids.iter().zip(&got) {
        let n: Option<u32> = id.strip_prefix('k').and_then(|n| n.parse().ok());
        let present = n.is_some_and(|n| n % 3 == 0);
        assert_eq!(rec.is_some(), present, "{id}");
        if let Some(r) = rec {
            assert_eq!(&r.id, id);
        }
    }
}
