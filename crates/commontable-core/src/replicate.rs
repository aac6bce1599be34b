//! The CouchDB replication protocol, one direction at a time, over any two [`Peer`]s.
//!
//! A peer is a local [`Database`] or a remote CouchDB-compatible database reached through
//! [`HttpPeer`] (which builds requests and reads answers; the actual sending is the app's or
//! the test's [`HttpClient`]). The algorithm follows CouchDB's: find the common checkpoint in
//! `_local/<replication id>` on both sides, then batch by batch read `_changes`, ask the target
//! what it lacks with `_revs_diff`, fetch exactly those revisions with their history
//! (`_bulk_get`, or `open_revs` when a server has no `_bulk_get`), write them with
//! `new_edits: false`, and record a checkpoint on both sides. Invariants: a cut at any point
//! loses nothing (the next run resumes from the last checkpoint) and duplicates nothing
//! (revisions are content-addressed and writing one twice is a no-op).

use crate::couch::{rev_doc_from_json, rev_doc_json, RevDoc};
use crate::database::Database;
use crate::rev::Rev;
use crate::storage::Storage;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A failure talking to a peer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct PeerError {
    /// The HTTP status, when the peer answered.
    pub status: Option<u16>,
    /// CouchDB's `error` field or a short description.
    pub error: String,
    /// What went wrong, in words.
    pub message: String,
}

impl PeerError {
    /// A failure with an HTTP status.
    pub fn http(status: u16, error: impl Into<String>, message: impl Into<String>) -> Self {
        PeerError {
            status: Some(status),
            error: error.into(),
            message: message.into(),
        }
    }

    /// A failure before any answer (network down, connection cut).
    pub fn network(message: impl Into<String>) -> Self {
        PeerError {
            status: None,
            error: "network".into(),
            message: message.into(),
        }
    }

    /// Whether trying again later may help. Never for 401, 403, 409 and 412: those need a
    /// person (log in, get access, resolve), not a retry.
    pub fn is_retryable(&self) -> bool {
        !matches!(self.status, Some(400 | 401 | 403 | 404 | 409 | 412 | 413))
    }
}

impl From<crate::database::DbError> for PeerError {
    fn from(e: crate::database::DbError) -> Self {
        use crate::database::DbError as E;
        let status = match &e {
            E::Conflict(_) => 409,
            E::Invalid(_) => 403,
            E::BadRequest(_) => 400,
            E::Storage(_) => 500,
        };
        PeerError::http(status, "local", e.to_string())
    }
}

/// What `GET /{db}` says.
#[derive(Clone, Debug, PartialEq)]
pub struct PeerInfo {
    /// The current update sequence (opaque).
    pub update_seq: Value,
}

/// One page of `_changes` (`style=all_docs`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChangesPage {
    /// `(seq, id, leaf revisions)` in order.
    pub results: Vec<(Value, String, Vec<Rev>)>,
    /// Where the next page starts.
    pub last_seq: Value,
}

/// A database that can take part in replication.
#[allow(async_fn_in_trait)]
pub trait Peer {
    /// Database info.
    async fn info(&self) -> Result<PeerInfo, PeerError>;
    /// A `_local` document (checkpoint), with its `_rev` if the peer uses one.
    async fn get_local(&self, id: &str) -> Result<Option<Value>, PeerError>;
    /// Writes a `_local` document (pass back the `_rev` that `get_local` gave); returns the new
    /// `_rev` when the peer keeps one.
    async fn put_local(&self, id: &str, doc: Value) -> Result<Option<String>, PeerError>;
    /// Changes after `since`, at most `limit`.
    async fn changes(&self, since: &Value, limit: usize) -> Result<ChangesPage, PeerError>;
    /// The revisions of `wanted` this peer lacks.
    async fn revs_diff(&self, wanted: BTreeMap<String, Vec<Rev>>) -> Result<BTreeMap<String, Vec<Rev>>, PeerError>;
    /// The given revisions with their history.
    async fn get_revs(&self, wanted: &BTreeMap<String, Vec<Rev>>) -> Result<Vec<RevDoc>, PeerError>;
    /// Stores revisions made elsewhere (`new_edits: false`).
    async fn write_revs(&self, docs: Vec<RevDoc>) -> Result<(), PeerError>;
}

impl<S: Storage> Peer for Database<S> {
    async fn info(&self) -> Result<PeerInfo, PeerError> {
        Ok(PeerInfo {
            update_seq: json!(self.update_seq().await?),
        })
    }

    async fn get_local(&self, id: &str) -> Result<Option<Value>, PeerError> {
        Ok(Database::get_local(self, id).await?)
    }

    async fn put_local(&self, id: &str, doc: Value) -> Result<Option<String>, PeerError> {
        Database::put_local(self, id, Some(doc)).await?;
        Ok(None)
    }

    async fn changes(&self, since: &Value, limit: usize) -> Result<ChangesPage, PeerError> {
        let since = seq_number(since);
        let page = Database::changes(self, since, limit).await?;
        let last_seq = page.last().map_or(since, |c| c.seq);
        Ok(ChangesPage {
            results: page.into_iter().map(|c| (json!(c.seq), c.id, c.leaves)).collect(),
            last_seq: json!(last_seq),
        })
    }

    async fn revs_diff(&self, wanted: BTreeMap<String, Vec<Rev>>) -> Result<BTreeMap<String, Vec<Rev>>, PeerError> {
        Ok(Database::revs_diff(self, wanted).await?)
    }

    async fn get_revs(&self, wanted: &BTreeMap<String, Vec<Rev>>) -> Result<Vec<RevDoc>, PeerError> {
        let mut out = Vec::new();
        for (id, revs) in wanted {
            for r in self.open_revs(id, Some(revs.clone()), false).await? {
                // A revision the source no longer has (compacted away) cannot be sent.
                if let Ok(doc) = r {
                    out.push(doc);
                }
            }
        }
        Ok(out)
    }

    async fn write_revs(&self, docs: Vec<RevDoc>) -> Result<(), PeerError> {
        self.merge_revisions(docs).await?;
        Ok(())
    }
}

fn take_array(v: Option<Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    }
}

/// A local sequence from an opaque `since` (numbers, numeric strings, or CouchDB's `N-…`).
pub fn seq_number(since: &Value) -> u64 {
    match since {
        Value::Number(n) => n.as_u64().unwrap_or(0),
        Value::String(s) => s.split('-').next().and_then(|n| n.parse().ok()).unwrap_or(0),
        _ => 0,
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP

/// An HTTP request to a database, relative to its URL.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    /// `GET`, `PUT`, `POST`.
    pub method: &'static str,
    /// Path and query after the database URL, e.g. `_changes?since=0`; empty for the database.
    pub path: String,
    /// JSON body.
    pub body: Option<Value>,
}

/// What came back.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Parsed JSON body (`Value::Null` when there was none).
    pub body: Value,
}

/// Sends requests; the app uses `fetch`, native tests a plain HTTP client.
#[allow(async_fn_in_trait)]
pub trait HttpClient {
    /// Sends one request to the database and returns its answer, or a network error.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, PeerError>;
}

/// A remote CouchDB-compatible database.
pub struct HttpPeer<C> {
    client: C,
    bulk_get: std::cell::Cell<Option<bool>>,
}

/// Percent-encodes a path segment or query value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl<C: HttpClient> HttpPeer<C> {
    /// A peer sending through `client`.
    pub fn new(client: C) -> Self {
        HttpPeer {
            client,
            bulk_get: std::cell::Cell::new(None),
        }
    }

    /// The client.
    pub fn client(&self) -> &C {
        &self.client
    }

    async fn call(&self, method: &'static str, path: String, body: Option<Value>) -> Result<Value, PeerError> {
        let res = self.client.send(HttpRequest { method, path, body }).await?;
        if (200..300).contains(&res.status) {
            return Ok(res.body);
        }
        let error = res
            .body
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("error")
            .to_string();
        let reason = res.body.get("reason").and_then(Value::as_str).unwrap_or("").to_string();
        let message = match res.status {
            401 => "The server needs you to log in again.".to_string(),
            403 => format!("The server refused: {reason}"),
            _ => format!("The server answered {} {error}: {reason}", res.status),
        };
        Err(PeerError::http(res.status, error, message))
    }

    async fn get_revs_bulk(&self, wanted: &BTreeMap<String, Vec<Rev>>) -> Result<Vec<RevDoc>, PeerError> {
        let docs: Vec<Value> = wanted
            .iter()
            .flat_map(|(id, revs)| revs.iter().map(move |r| json!({ "id": id, "rev": r.to_string() })))
            .collect();
        let body = self
            .call(
                "POST",
                "_bulk_get?revs=true&latest=true".into(),
                Some(json!({ "docs": docs })),
            )
            .await?;
        let mut out = Vec::new();
        let results = match body {
            Value::Object(mut m) => m.remove("results"),
            _ => None,
        };
        for result in take_array(results) {
            let docs = match result {
                Value::Object(mut m) => m.remove("docs"),
                _ => None,
            };
            for d in take_array(docs) {
                if let Value::Object(mut m) = d {
                    if let Some(ok) = m.remove("ok") {
                        out.push(rev_doc_from_json(ok).map_err(|e| PeerError::http(502, "bad_doc", e.to_string()))?);
                    }
                }
            }
        }
        Ok(out)
    }

    async fn get_revs_one_by_one(&self, wanted: &BTreeMap<String, Vec<Rev>>) -> Result<Vec<RevDoc>, PeerError> {
        let mut out = Vec::new();
        for (id, revs) in wanted {
            let list = Value::Array(revs.iter().map(|r| Value::String(r.to_string())).collect()).to_string();
            let path = format!("{}?revs=true&latest=true&open_revs={}", encode(id), encode(&list));
            let body = self.call("GET", path, None).await?;
            for d in body.as_array().into_iter().flatten() {
                if let Some(ok) = d.get("ok") {
                    out.push(
                        rev_doc_from_json(ok.clone()).map_err(|e| PeerError::http(502, "bad_doc", e.to_string()))?,
                    );
                }
            }
        }
        Ok(out)
    }
}

impl<C: HttpClient> Peer for HttpPeer<C> {
    async fn info(&self) -> Result<PeerInfo, PeerError> {
        let body = self.call("GET", String::new(), None).await?;
        Ok(PeerInfo {
            update_seq: body.get("update_seq").cloned().unwrap_or(json!(0)),
        })
    }

    async fn get_local(&self, id: &str) -> Result<Option<Value>, PeerError> {
        match self.call("GET", format!("_local/{}", encode(id)), None).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.status == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn put_local(&self, id: &str, doc: Value) -> Result<Option<String>, PeerError> {
        let body = self.call("PUT", format!("_local/{}", encode(id)), Some(doc)).await?;
        Ok(body.get("rev").and_then(Value::as_str).map(String::from))
    }

    async fn changes(&self, since: &Value, limit: usize) -> Result<ChangesPage, PeerError> {
        let since = match since {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let path = format!(
            "_changes?style=all_docs&feed=normal&limit={limit}&since={}",
            encode(&since)
        );
        let body = self.call("GET", path, None).await?;
        let mut page = ChangesPage {
            results: Vec::new(),
            last_seq: body.get("last_seq").cloned().unwrap_or(json!(since)),
        };
        for r in body.get("results").and_then(Value::as_array).into_iter().flatten() {
            let id = r.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let revs = r
                .get("changes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|c| c.get("rev").and_then(Value::as_str).and_then(|s| s.parse().ok()))
                .collect();
            page.results
                .push((r.get("seq").cloned().unwrap_or(Value::Null), id, revs));
        }
        Ok(page)
    }

    async fn revs_diff(&self, wanted: BTreeMap<String, Vec<Rev>>) -> Result<BTreeMap<String, Vec<Rev>>, PeerError> {
        let req: Map<String, Value> = wanted
            .into_iter()
            .map(|(id, revs)| {
                (
                    id,
                    Value::Array(revs.iter().map(|r| Value::String(r.to_string())).collect()),
                )
            })
            .collect();
        let body = self.call("POST", "_revs_diff".into(), Some(Value::Object(req))).await?;
        let mut out = BTreeMap::new();
        for (id, v) in body.as_object().into_iter().flatten() {
            let missing: Vec<Rev> = v
                .get("missing")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str().and_then(|s| s.parse().ok()))
                .collect();
            if !missing.is_empty() {
                out.insert(id.clone(), missing);
            }
        }
        Ok(out)
    }

    async fn get_revs(&self, wanted: &BTreeMap<String, Vec<Rev>>) -> Result<Vec<RevDoc>, PeerError> {
        if self.bulk_get.get() != Some(false) {
            match self.get_revs_bulk(wanted).await {
                Ok(docs) => {
                    self.bulk_get.set(Some(true));
                    return Ok(docs);
                }
                // No `_bulk_get` on this server: fall back to `open_revs`, and remember.
                Err(e) if matches!(e.status, Some(400 | 404 | 405 | 501)) && self.bulk_get.get().is_none() => {
                    self.bulk_get.set(Some(false));
                }
                Err(e) => return Err(e),
            }
        }
        self.get_revs_one_by_one(wanted).await
    }

    async fn write_revs(&self, docs: Vec<RevDoc>) -> Result<(), PeerError> {
        let docs: Vec<Value> = docs.iter().map(|d| rev_doc_json(d, true)).collect();
        let body = self
            .call(
                "POST",
                "_bulk_docs".into(),
                Some(json!({ "docs": docs, "new_edits": false })),
            )
            .await?;
        // With new_edits:false, CouchDB lists only failures.
        if let Some(err) = body
            .as_array()
            .and_then(|a| a.iter().find(|r| r.get("error").is_some()))
        {
            let status = if err["error"] == "forbidden" { 403 } else { 500 };
            return Err(PeerError::http(
                status,
                err["error"].as_str().unwrap_or("error"),
                format!("The server refused {}: {}", err["id"], err["reason"]),
            ));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The algorithm

/// What a replication needs from its caller (no clock, no randomness in here).
#[derive(Clone, Debug)]
pub struct ReplicationOptions {
    /// Stable id of this replication (see [`replication_id`]).
    pub replication_id: String,
    /// A fresh random id for this run.
    pub session_id: String,
    /// The time now, as text, recorded in the checkpoint history.
    pub now: String,
    /// Changes per batch.
    pub batch_size: usize,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplicationReport {
    /// Changes read from the source.
    pub docs_read: u64,
    /// Revisions written to the target.
    pub docs_written: u64,
    /// The source sequence reached.
    pub last_seq: Value,
    /// Batches done.
    pub batches: u64,
}

/// The stable id of the replication from `source` to `target` (each named by a URL or a local
/// database identity): the checkpoint document's name on both sides.
pub fn replication_id(source: &str, target: &str) -> String {
    let r = Rev::next(
        None,
        false,
        json!({ "source": source, "target": target, "v": 3 })
            .as_object()
            .expect("object"),
    );
    r.hash
}

/// Where to start, from the two checkpoint documents (CouchDB's "compare replication logs").
pub fn start_seq(source_log: Option<&Value>, target_log: Option<&Value>) -> Value {
    let (Some(s), Some(t)) = (source_log, target_log) else {
        return json!(0);
    };
    if s.get("session_id").is_some() && s.get("session_id") == t.get("session_id") {
        return s.get("source_last_seq").cloned().unwrap_or(json!(0));
    }
    let history = |v: &Value| v.get("history").and_then(Value::as_array).cloned().unwrap_or_default();
    let target_sessions: Vec<Value> = history(t).iter().filter_map(|h| h.get("session_id").cloned()).collect();
    for entry in history(s) {
        if entry.get("session_id").is_some_and(|id| target_sessions.contains(id)) {
            return entry.get("recorded_seq").cloned().unwrap_or(json!(0));
        }
    }
    json!(0)
}

fn checkpoint_doc(
    previous: Option<&Value>,
    opts: &ReplicationOptions,
    start: &Value,
    report: &ReplicationReport,
) -> Value {
    let mut history: Vec<Value> = previous
        .and_then(|p| p.get("history"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    history.retain(|h| h.get("session_id").and_then(Value::as_str) != Some(opts.session_id.as_str()));
    history.insert(
        0,
        json!({
            "session_id": opts.session_id,
            "start_last_seq": start,
            "end_last_seq": report.last_seq,
            "recorded_seq": report.last_seq,
            "docs_read": report.docs_read,
            "docs_written": report.docs_written,
            "end_time": opts.now,
        }),
    );
    history.truncate(50);
    let mut doc = json!({
        "session_id": opts.session_id,
        "source_last_seq": report.last_seq,
        "replication_id_version": 3,
        "history": history,
    });
    if let Some(rev) = previous.and_then(|p| p.get("_rev")) {
        doc["_rev"] = rev.clone();
    }
    doc
}

/// One batch: the changes after `since`, and the revisions among them the target lacks.
async fn fetch_batch<A: Peer, B: Peer>(
    source: &A,
    target: &B,
    since: &Value,
    batch: usize,
) -> Result<Option<(ChangesPage, Vec<RevDoc>)>, PeerError> {
    let page = source.changes(since, batch).await?;
    if page.results.is_empty() {
        return Ok(None);
    }
    let mut wanted: BTreeMap<String, Vec<Rev>> = BTreeMap::new();
    for (_, id, revs) in &page.results {
        wanted.entry(id.clone()).or_default().extend(revs.iter().cloned());
    }
    let missing = target.revs_diff(wanted).await?;
    let docs = if missing.is_empty() {
        Vec::new()
    } else {
        source.get_revs(&missing).await?
    };
    Ok(Some((page, docs)))
}

/// Replicates everything new in `source` to `target`. Calls `progress` after each batch.
pub async fn replicate<A: Peer, B: Peer>(
    source: &A,
    target: &B,
    opts: &ReplicationOptions,
    mut progress: impl FnMut(&ReplicationReport),
) -> Result<ReplicationReport, PeerError> {
    source.info().await?;
    target.info().await?;
    let id = opts.replication_id.as_str();
    let mut source_log = source.get_local(id).await?;
    let mut target_log = target.get_local(id).await?;
    let start = start_seq(source_log.as_ref(), target_log.as_ref());
    let mut report = ReplicationReport {
        last_seq: start.clone(),
        ..Default::default()
    };
    let batch = opts.batch_size.max(1);
    // While one batch is written to the target, the next is read from the source.
    let mut next = fetch_batch(source, target, &report.last_seq, batch).await?;
    while let Some((page, docs)) = next.take() {
        report.docs_read += page.results.len() as u64;
        report.docs_written += docs.len() as u64;
        let more = page.results.len() >= batch;
        let write = async {
            if docs.is_empty() {
                Ok(())
            } else {
                target.write_revs(docs).await
            }
        };
        let prefetch = async {
            if more {
                fetch_batch(source, target, &page.last_seq, batch).await
            } else {
                Ok(None)
            }
        };
        let (written, fetched) = futures::join!(write, prefetch);
        written?;
        report.last_seq = page.last_seq.clone();
        report.batches += 1;
        // Checkpoint both sides; the next run (after any cut) starts from here.
        let mut t_doc = checkpoint_doc(target_log.as_ref(), opts, &start, &report);
        if let Some(rev) = target.put_local(id, t_doc.clone()).await? {
            t_doc["_rev"] = Value::String(rev);
        }
        target_log = Some(t_doc);
        let mut s_doc = checkpoint_doc(source_log.as_ref(), opts, &start, &report);
        if let Some(rev) = source.put_local(id, s_doc.clone()).await? {
            s_doc["_rev"] = Value::String(rev);
        }
        source_log = Some(s_doc);
        progress(&report);
        next = fetched?;
    }
    Ok(report)
}

/// How many local changes the push replication `replication_id` has not yet sent (changes
/// after its checkpoint).
pub async fn pending<S: Storage>(local: &Database<S>, replication_id: &str) -> Result<u64, PeerError> {
    let since = local
        .get_local(replication_id)
        .await?
        .map(|c| seq_number(c.get("source_last_seq").unwrap_or(&Value::Null)))
        .unwrap_or(0);
    Ok(local.count_changes(since).await?)
}

/// Milliseconds to wait before retry number `attempt` (1-based): doubling from 5 s to at most
/// 10 minutes.
pub fn backoff_ms(attempt: u32) -> u64 {
    let exp = attempt.saturating_sub(1).min(7);
    (5_000u64 << exp).min(600_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::block_on;
    use crate::storage::MemoryStorage;

    fn note(t: &str) -> Map<String, Value> {
        json!({ "type": "note", "text": t }).as_object().unwrap().clone()
    }

    fn opts(session: &str) -> ReplicationOptions {
        ReplicationOptions {
            replication_id: replication_id("a", "b"),
            session_id: session.into(),
            now: "t".into(),
            batch_size: 3,
        }
    }

    #[test]
    fn replicates_everything_then_resumes_from_the_checkpoint() {
        block_on(async {
            let a = Database::new(MemoryStorage::new());
            let b = Database::new(MemoryStorage::new());
            for i in 0..10 {
                a.put(&format!("n{i}"), None, note("x")).await.unwrap();
            }
            let r = replicate(&a, &b, &opts("s1"), |_| {}).await.unwrap();
            assert_eq!(r.docs_written, 10);
            assert_eq!(r.batches, 4);
            assert_eq!(b.all_docs().await.unwrap().len(), 10);
            // Nothing new: a second session reads nothing, thanks to the shared checkpoint.
            let again = replicate(&a, &b, &opts("s2"), |_| {}).await.unwrap();
            assert_eq!(again.docs_read, 0);
            let rev = a.get("n3").await.unwrap().unwrap().rev;
            a.delete("n3", &rev).await.unwrap();
            assert_eq!(pending(&a, &opts("x").replication_id).await.unwrap(), 1);
            let third = replicate(&a, &b, &opts("s3"), |_| {}).await.unwrap();
            assert_eq!((third.docs_read, third.docs_written), (1, 1));
            assert_eq!(pending(&a, &opts("x").replication_id).await.unwrap(), 0);
            assert!(b.get("n3").await.unwrap().is_none());
        });
    }

    #[test]
    fn conflicts_travel_and_converge() {
        block_on(async {
            let a = Database::new(MemoryStorage::new());
            let b = Database::new(MemoryStorage::new());
            let r1 = a.put("p", None, note("base")).await.unwrap();
            replicate(&a, &b, &opts("s1"), |_| {}).await.unwrap();
            a.put("p", Some(&r1), note("from a")).await.unwrap();
            b.put("p", Some(&r1), note("from b")).await.unwrap();
            let back = ReplicationOptions {
                replication_id: replication_id("b", "a"),
                ..opts("s2")
            };
            replicate(&a, &b, &opts("s3"), |_| {}).await.unwrap();
            replicate(&b, &a, &back, |_| {}).await.unwrap();
            let (da, db) = (a.get("p").await.unwrap().unwrap(), b.get("p").await.unwrap().unwrap());
            assert_eq!(da.rev, db.rev);
            assert_eq!(da.conflicts.len(), 1);
            assert_eq!(da.conflicts, db.conflicts);
        });
    }

    #[test]
    fn checkpoint_comparison_follows_couchdb() {
        let s = json!({"session_id": "x", "source_last_seq": 9, "history": [{"session_id": "x", "recorded_seq": 9}, {"session_id": "old", "recorded_seq": 4}]});
        let same = json!({"session_id": "x", "source_last_seq": 9, "history": []});
        assert_eq!(start_seq(Some(&s), Some(&same)), json!(9));
        let older = json!({"session_id": "y", "history": [{"session_id": "old", "recorded_seq": 4}]});
        assert_eq!(start_seq(Some(&s), Some(&older)), json!(4));
        let unrelated = json!({"session_id": "z", "history": [{"session_id": "q"}]});
        assert_eq!(start_seq(Some(&s), Some(&unrelated)), json!(0));
        assert_eq!(start_seq(None, Some(&s)), json!(0));
    }

    #[test]
    fn retry_policy_and_backoff() {
        for s in [401, 403, 409, 412] {
            assert!(!PeerError::http(s, "e", "m").is_retryable(), "{s}");
        }
        assert!(PeerError::http(500, "e", "m").is_retryable());
        assert!(PeerError::network("down").is_retryable());
        assert_eq!(backoff_ms(1), 5_000);
        assert_eq!(backoff_ms(2), 10_000);
        assert_eq!(backoff_ms(50), 600_000);
    }

    #[test]
    fn encodes_ids_for_urls() {
        assert_eq!(encode("toolkit:a b/é"), "toolkit%3Aa%20b%2F%C3%A9");
    }
}
