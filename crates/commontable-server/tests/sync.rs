//! Replicas that edit concurrently and sync through the real server on loopback — in random
//! order, with connections cut mid-batch and the server killed and restarted — end with
//! identical revision trees and winners, and no revision is ever lost.

mod common;

use common::{peer, Lcg, ServerProcess};
use commontable_core::replicate::{replicate, replication_id, ReplicationOptions};
use commontable_core::{Database, MemoryStorage, Rev};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

fn body(text: String) -> Map<String, Value> {
    json!({ "type": "note", "text": text }).as_object().unwrap().clone()
}

struct Replica {
    name: String,
    db: Database<MemoryStorage>,
}

/// One random edit: create, update or delete.
async fn random_edit(r: &mut Lcg, rep: &Replica, made: &mut BTreeSet<Rev>, step: usize) {
    let id = format!("doc{}", r.below(6));
    let current = rep.db.get(&id).await.unwrap();
    let text = format!("{} step {step}", rep.name);
    let rev = match (current, r.below(4)) {
        (Some(doc), 0) => rep.db.delete(&id, &doc.rev).await.unwrap(),
        (Some(doc), _) => rep.db.put(&id, Some(&doc.rev), body(text)).await.unwrap(),
        (None, _) => rep.db.put(&id, None, body(text)).await.unwrap(),
    };
    made.insert(rev);
}

/// Push then pull, retrying after each cut until it completes. Returns how many cuts happened.
async fn sync(rep: &Replica, url: &str, cut_after: Option<u32>, session: &str) -> u32 {
    let mut cuts = 0;
    loop {
        let remote = peer(url.to_string());
        remote.client().cut_after.set(if cuts == 0 { cut_after } else { None });
        let push = ReplicationOptions {
            replication_id: replication_id(&rep.name, url),
            session_id: format!("{session}-push-{cuts}"),
            now: "test".into(),
            batch_size: 2,
        };
        let pull = ReplicationOptions {
            replication_id: replication_id(url, &rep.name),
            session_id: format!("{session}-pull-{cuts}"),
            ..push.clone()
        };
        let result = async {
            replicate(&rep.db, &remote, &push, |_| {}).await?;
            replicate(&remote, &rep.db, &pull, |_| {}).await
        }
        .await;
        match result {
            Ok(_) => return cuts,
            Err(e) => {
                assert!(e.is_retryable(), "unexpected failure: {e:?}");
                cuts += 1;
            }
        }
    }
}

#[tokio::test]
async fn replicas_converge_through_cuts_and_crashes() {
    let mut server = ServerProcess::start().await;
    let url = format!("{}/ws", server.base());
    reqwest::Client::new().put(&url).send().await.unwrap();

    for seed in [1u64, 7, 42] {
        let mut r = Lcg(seed);
        let db_name = format!("{url}{seed}");
        reqwest::Client::new().put(&db_name).send().await.unwrap();
        let replicas: Vec<Replica> = (0..3)
            .map(|i| Replica {
                name: format!("device-{seed}-{i}"),
                db: Database::new(MemoryStorage::new()),
            })
            .collect();
        let mut made = BTreeSet::new();
        let mut cuts = 0;
        for step in 0..25 {
            for rep in &replicas {
                for _ in 0..r.below(3) {
                    random_edit(&mut r, rep, &mut made, step).await;
                }
            }
            // A random replica syncs, sometimes with its connection cut after a few requests.
            let who = &replicas[r.below(3) as usize];
            let cut = if r.below(3) == 0 {
                Some(1 + r.below(12) as u32)
            } else {
                None
            };
            cuts += sync(who, &db_name, cut, &format!("{seed}-{step}")).await;
            if r.below(8) == 0 {
                server.kill();
                server.up().await;
            }
        }
        // Everyone syncs until quiet (twice round, no faults).
        for round in 0..2 {
            for rep in &replicas {
                sync(rep, &db_name, None, &format!("{seed}-final-{round}")).await;
            }
        }
        let server_db = peer(db_name.clone());
        let mirror = Database::new(MemoryStorage::new());
        let opts = ReplicationOptions {
            replication_id: "mirror".into(),
            session_id: "m".into(),
            now: "t".into(),
            batch_size: 50,
        };
        replicate(&server_db, &mirror, &opts, |_| {}).await.unwrap();

        let ids: Vec<String> = (0..6).map(|i| format!("doc{i}")).collect();
        for id in &ids {
            let expected = mirror.record(id).await.unwrap().map(|r| r.tree);
            for rep in &replicas {
                let got = rep.db.record(id).await.unwrap().map(|r| r.tree);
                assert_eq!(got, expected, "{id} differs on {}", rep.name);
            }
        }
        // No revision any replica ever made is missing from the server.
        let mut on_server = BTreeSet::new();
        for id in &ids {
            if let Some(rec) = mirror.record(id).await.unwrap() {
                on_server.extend(rec.tree.revs().cloned());
            }
        }
        let lost: Vec<&Rev> = made.iter().filter(|r| !on_server.contains(r)).collect();
        assert!(lost.is_empty(), "lost revisions: {lost:?}");
        assert!(!made.is_empty());
        eprintln!("seed {seed}: {} revisions, {cuts} cut syncs, all converged", made.len());
    }
}

#[tokio::test]
async fn falls_back_to_open_revs_when_a_server_has_no_bulk_get() {
    let server = ServerProcess::start().await;
    let url = format!("{}/nobulkget", server.base());
    reqwest::Client::new().put(&url).send().await.unwrap();
    let source = Database::new(MemoryStorage::new());
    for i in 0..5 {
        source.put(&format!("d{i}"), None, body(format!("v{i}"))).await.unwrap();
    }
    let r1 = source.get("d0").await.unwrap().unwrap().rev;
    source.put("d0", Some(&r1), body("edited".into())).await.unwrap();
    let push = ReplicationOptions {
        replication_id: "push".into(),
        session_id: "s".into(),
        now: "t".into(),
        batch_size: 10,
    };
    replicate(&source, &peer(url.clone()), &push, |_| {}).await.unwrap();

    let remote = peer(url.clone());
    remote.client().refuse_bulk_get.set(true);
    let target = Database::new(MemoryStorage::new());
    let pull = ReplicationOptions {
        replication_id: "pull".into(),
        ..push
    };
    let report = replicate(&remote, &target, &pull, |_| {}).await.unwrap();
    assert_eq!(report.docs_written, 5);
    assert_eq!(
        remote.client().refused.get(),
        1,
        "_bulk_get is tried once, then open_revs is used"
    );
    let d0 = target.record("d0").await.unwrap().unwrap();
    assert_eq!(
        d0.tree.ancestry(d0.tree.winner().unwrap()).len(),
        2,
        "history came along"
    );
    assert_eq!(target.get("d0").await.unwrap().unwrap().body["text"], "edited");
}
