//! The CouchDB HTTP API, under `/couch`: the subset a replicating peer needs (and a few
//! conveniences). Handlers parse, call the core [`Database`](commontable_core::Database) on a
//! blocking thread, and answer in CouchDB's JSON. Tools written for CouchDB recognise the
//! server by the `couchdb` key of `GET /couch/`, which answers without a login.

use crate::store::{ChangeRow, OpenDb};
use crate::{AppState, Error, Result};
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use commontable_core::conformance::block_on;
use commontable_core::couch::{parse_doc, rev_doc_from_json, rev_doc_json, valid_db_name, write_rev_json, RevDoc};
use commontable_core::database::{select_revs, Edit};
use commontable_core::storage::{DocRecord, Storage};
use commontable_core::Rev;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

/// Where the CouchDB API lives, so it never collides with the app's own routes.
pub const PREFIX: &str = "/couch";

/// The CouchDB API routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/couch", get(welcome))
        .route("/couch/", get(welcome))
        .route("/couch/_all_dbs", get(all_dbs))
        .route(
            "/couch/{db}",
            get(db_info)
                .head(db_head)
                .put(db_create)
                .delete(db_delete)
                .post(doc_post),
        )
        .route(
            "/couch/{db}/",
            get(db_info)
                .head(db_head)
                .put(db_create)
                .delete(db_delete)
                .post(doc_post),
        )
        .route("/couch/{db}/_changes", get(changes).post(changes))
        .route("/couch/{db}/_revs_diff", post(revs_diff))
        .route("/couch/{db}/_bulk_get", post(bulk_get))
        .route("/couch/{db}/_bulk_docs", post(bulk_docs))
        .route("/couch/{db}/_all_docs", get(all_docs).post(all_docs))
        .route("/couch/{db}/_ensure_full_commit", post(ensure_full_commit))
        .route(
            "/couch/{db}/_local/{id}",
            get(local_get).put(local_put).delete(local_delete),
        )
        .route(
            "/couch/{db}/{id}",
            get(doc_get).head(doc_head).put(doc_put).delete(doc_delete),
        )
}

/// A JSON body, whatever the content type, with CouchDB-style errors: 400 for malformed JSON,
/// 413 over the size limit. An empty body (a `GET`) reads as `null`.
pub struct Body(pub Value);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::TooLarge
            } else {
                Error::BadRequest(e.body_text())
            }
        })?;
        if bytes.is_empty() {
            return Ok(Body(Value::Null));
        }
        serde_json::from_slice(&bytes)
            .map(Body)
            .map_err(|e| Error::BadRequest(format!("Request body is not valid JSON: {e}")))
    }
}

/// Runs database work on a blocking thread (SQLite IO must not stall the async workers).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
}

fn check_name(db: &str) -> Result<()> {
    if valid_db_name(db) {
        Ok(())
    } else {
        Err(Error::BadRequest(
            "Name: only lowercase characters (a-z), digits (0-9), and any of the characters _, $, (, ), +, -, and / are allowed. Must begin with a letter.".into(),
        ))
    }
}

fn open(state: &AppState, db: &str) -> Result<Arc<OpenDb>> {
    check_name(db)?;
    state.dbs.get(db)
}

fn flag(q: &HashMap<String, String>, key: &str) -> bool {
    q.get(key).is_some_and(|v| v == "true")
}

fn json_param(q: &HashMap<String, String>, key: &str) -> Result<Option<Value>> {
    q.get(key)
        .map(|v| serde_json::from_str(v).map_err(|_| Error::BadRequest(format!("Query parameter {key} must be JSON"))))
        .transpose()
}

/// Moves a list out of a request body (no copy of what may be megabytes of documents).
fn take_list(body: Value, key: &str) -> Option<Vec<Value>> {
    match body {
        Value::Object(mut m) => match m.remove(key) {
            Some(Value::Array(a)) => Some(a),
            _ => None,
        },
        _ => None,
    }
}

fn parse_rev(s: &str) -> Result<Rev> {
    s.parse()
        .map_err(|e: commontable_core::rev::RevParseError| Error::BadRequest(e.to_string()))
}

fn notify(open: &OpenDb) {
    open.changed.send_modify(|n| *n += 1);
}

async fn welcome(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "couchdb": "Welcome",
        "uuid": state.server_uuid,
        "version": "3.3.3",
        "vendor": { "name": "Common Table", "version": env!("CARGO_PKG_VERSION") },
        "features": []
    }))
}

async fn all_dbs(State(state): State<AppState>) -> Result<Json<Value>> {
    let conn = state.db.lock().map_err(|e| Error::Internal(e.to_string()))?;
    let mut stmt = conn.prepare("SELECT name FROM dbs ORDER BY name")?;
    let names: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(Json(json!(names)))
}

// --- databases ---------------------------------------------------------------------------------

async fn db_info(State(state): State<AppState>, Path(db): Path<String>) -> Result<Json<Value>> {
    let open = open(&state, &db)?;
    let (seq, (live, deleted)) = blocking(move || {
        Ok(block_on(async {
            Ok::<_, Error>((open.db.update_seq().await?, open.db.counts().await?))
        })?)
    })
    .await?;
    Ok(Json(json!({
        "db_name": db,
        "update_seq": seq,
        "doc_count": live,
        "doc_del_count": deleted,
        "instance_start_time": "0",
        "purge_seq": 0,
        "compact_running": false,
        "disk_format_version": 8,
        "sizes": { "file": 0, "external": 0, "active": 0 },
        "props": {}
    })))
}

async fn db_head(State(state): State<AppState>, Path(db): Path<String>) -> Result<StatusCode> {
    open(&state, &db)?;
    Ok(StatusCode::OK)
}

async fn db_create(State(state): State<AppState>, Path(db): Path<String>) -> Result<Response> {
    check_name(&db)?;
    if state.dbs.create(&db)? {
        Ok((StatusCode::CREATED, Json(json!({ "ok": true }))).into_response())
    } else {
        Err(Error::FileExists)
    }
}

async fn db_delete(State(state): State<AppState>, Path(db): Path<String>) -> Result<Json<Value>> {
    check_name(&db)?;
    if state.dbs.delete(&db)? {
        Ok(Json(json!({ "ok": true })))
    } else {
        Err(Error::NotFound("Database does not exist.".into()))
    }
}

async fn ensure_full_commit(State(state): State<AppState>, Path(db): Path<String>) -> Result<Response> {
    open(&state, &db)?;
    // Every write is already durable when acknowledged.
    Ok((
        StatusCode::CREATED,
        Json(json!({ "ok": true, "instance_start_time": "0" })),
    )
        .into_response())
}

// --- documents ---------------------------------------------------------------------------------

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

async fn doc_post(State(state): State<AppState>, Path(db): Path<String>, Body(body): Body) -> Result<Response> {
    let open = open(&state, &db)?;
    let mut doc = parse_doc(body)?;
    if doc.id.is_empty() {
        doc.id = new_id();
    }
    check_doc_id(&doc.id)?;
    let edit = Edit {
        id: doc.id,
        base: doc.rev,
        deleted: doc.deleted,
        body: doc.body,
    };
    write_edit(open, edit).await
}

/// Ids starting with `_` are CouchDB's own (`_local`, `_design`).
fn check_doc_id(id: &str) -> Result<()> {
    if id.starts_with('_') {
        return Err(Error::BadRequest(
            "Only reserved document ids may start with underscore.".into(),
        ));
    }
    Ok(())
}

/// Writes one new edit and answers `201 {ok, id, rev}`.
async fn write_edit(open: Arc<OpenDb>, edit: Edit) -> Result<Response> {
    let id = edit.id.clone();
    let rev = blocking(move || {
        let r = block_on(open.db.bulk_put(vec![edit]))?.remove(0);
        notify(&open);
        Ok(r)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "ok": true, "id": id, "rev": rev.to_string() })),
    )
        .into_response())
}

async fn doc_put(
    State(state): State<AppState>,
    Path((db, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    Body(body): Body,
) -> Result<Response> {
    let open = open(&state, &db)?;
    check_doc_id(&id)?;
    if q.get("new_edits").is_some_and(|v| v == "false") {
        let mut value = body;
        if let Value::Object(m) = &mut value {
            m.insert("_id".into(), Value::String(id.clone()));
        }
        let doc = rev_doc_from_json(value)?;
        let rev = doc.path[0].to_string();
        blocking(move || {
            block_on(open.db.merge_revisions(vec![doc]))?;
            notify(&open);
            Ok(())
        })
        .await?;
        return Ok((StatusCode::CREATED, Json(json!({ "ok": true, "id": id, "rev": rev }))).into_response());
    }
    let doc = parse_doc(body)?;
    if !doc.id.is_empty() && doc.id != id {
        return Err(Error::BadRequest(
            "Document id in the body does not match the URL.".into(),
        ));
    }
    let base = match (doc.rev, q.get("rev")) {
        (Some(r), _) => Some(r),
        (None, Some(r)) => Some(parse_rev(r)?),
        (None, None) => None,
    };
    write_edit(
        open,
        Edit {
            id,
            base,
            deleted: doc.deleted,
            body: doc.body,
        },
    )
    .await
}

async fn doc_delete(
    State(state): State<AppState>,
    Path((db, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    let open = open(&state, &db)?;
    let base = parse_rev(q.get("rev").ok_or(Error::Conflict)?)?;
    let id2 = id.clone();
    let rev = blocking(move || {
        let r = block_on(open.db.delete(&id2, &base))?;
        notify(&open);
        Ok(r)
    })
    .await?;
    Ok(Json(json!({ "ok": true, "id": id, "rev": rev.to_string() })))
}

fn winner_json(record: &DocRecord, revs: bool, conflicts: bool) -> Option<Value> {
    let rev = record.tree.winner()?;
    let node = record.tree.node(rev)?;
    let doc = RevDoc {
        id: record.id.clone(),
        path: record.tree.ancestry(rev),
        deleted: node.deleted,
        body: node.body.clone().unwrap_or_default(),
    };
    let mut v = rev_doc_json(&doc, revs);
    if conflicts {
        let c: Vec<String> = record.tree.conflicts().iter().map(|r| r.to_string()).collect();
        if !c.is_empty() {
            v["_conflicts"] = json!(c);
        }
    }
    Some(v)
}

async fn doc_head(
    state: State<AppState>,
    path: Path<(String, String)>,
    q: Query<HashMap<String, String>>,
) -> Result<StatusCode> {
    doc_get(state, path, q).await.map(|_| StatusCode::OK)
}

async fn doc_get(
    State(state): State<AppState>,
    Path((db, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response> {
    let open = open(&state, &db)?;
    let revs = flag(&q, "revs");
    let latest = flag(&q, "latest");
    if let Some(which) = q.get("open_revs") {
        let list = if which == "all" {
            None
        } else {
            let v: Value = serde_json::from_str(which)
                .map_err(|_| Error::BadRequest("open_revs must be \"all\" or a JSON list".into()))?;
            let arr = v
                .as_array()
                .ok_or_else(|| Error::BadRequest("open_revs must be a list".into()))?;
            Some(
                arr.iter()
                    .map(|r| parse_rev(r.as_str().unwrap_or_default()))
                    .collect::<Result<Vec<_>>>()?,
            )
        };
        let found = blocking(move || Ok(block_on(open.db.open_revs(&id, list, latest))?)).await?;
        let out: Vec<Value> = found
            .into_iter()
            .map(|r| match r {
                Ok(doc) => json!({ "ok": rev_doc_json(&doc, revs) }),
                Err(rev) => json!({ "missing": rev.to_string() }),
            })
            .collect();
        return Ok(Json(Value::Array(out)).into_response());
    }
    if let Some(rev) = q.get("rev") {
        let rev = parse_rev(rev)?;
        let found = blocking(move || Ok(block_on(open.db.open_revs(&id, Some(vec![rev]), false))?)).await?;
        return match found.into_iter().next() {
            Some(Ok(doc)) => Ok(Json(rev_doc_json(&doc, revs)).into_response()),
            _ => Err(Error::NotFound("missing".into())),
        };
    }
    let conflicts = flag(&q, "conflicts");
    let record = blocking(move || Ok(block_on(open.db.record(&id))?)).await?;
    let record = record.ok_or_else(|| Error::NotFound("missing".into()))?;
    if record.tree.is_deleted() {
        return Err(Error::NotFound("deleted".into()));
    }
    winner_json(&record, revs, conflicts)
        .map(|v| Json(v).into_response())
        .ok_or_else(|| Error::NotFound("missing".into()))
}

// --- _local ------------------------------------------------------------------------------------

async fn local_get(State(state): State<AppState>, Path((db, id)): Path<(String, String)>) -> Result<Json<Value>> {
    let open = open(&state, &db)?;
    let found = blocking(move || Ok(block_on(open.db.get_local(&id))?)).await?;
    found.map(Json).ok_or_else(|| Error::NotFound("missing".into()))
}

fn local_rev_number(v: &Value) -> u64 {
    v.get("_rev")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("0-"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

async fn local_put(
    State(state): State<AppState>,
    Path((db, id)): Path<(String, String)>,
    Body(body): Body,
) -> Result<Response> {
    let open = open(&state, &db)?;
    let Value::Object(mut doc) = body else {
        return Err(Error::BadRequest("Document must be a JSON object".into()));
    };
    let full_id = format!("_local/{id}");
    let answer_id = full_id.clone();
    let given = doc.remove("_rev");
    let rev = blocking(move || {
        block_on(async {
            let current = open.db.get_local(&id).await?;
            let current_rev = current.as_ref().and_then(|c| c.get("_rev").cloned());
            if current_rev.is_some() && given != current_rev {
                return Err(Error::Conflict);
            }
            let next = format!("0-{}", current.as_ref().map_or(0, local_rev_number) + 1);
            doc.insert("_id".into(), Value::String(full_id));
            doc.insert("_rev".into(), Value::String(next.clone()));
            open.db.put_local(&id, Some(Value::Object(doc))).await?;
            Ok(next)
        })
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "ok": true, "id": answer_id, "rev": rev })),
    )
        .into_response())
}

async fn local_delete(State(state): State<AppState>, Path((db, id)): Path<(String, String)>) -> Result<Json<Value>> {
    let open = open(&state, &db)?;
    let existed = blocking(move || {
        block_on(async {
            let found = open.db.get_local(&id).await?.is_some();
            open.db.put_local(&id, None).await?;
            Ok::<_, Error>(found)
        })
    })
    .await?;
    if existed {
        Ok(Json(json!({ "ok": true, "rev": "0-0" })))
    } else {
        Err(Error::NotFound("missing".into()))
    }
}

// --- replication endpoints ---------------------------------------------------------------------

async fn revs_diff(State(state): State<AppState>, Path(db): Path<String>, Body(body): Body) -> Result<Json<Value>> {
    let open = open(&state, &db)?;
    let Value::Object(req) = body else {
        return Err(Error::BadRequest("_revs_diff takes an object of id: [revs]".into()));
    };
    let mut wanted = BTreeMap::new();
    for (id, revs) in req {
        let list = revs
            .as_array()
            .ok_or_else(|| Error::BadRequest(format!("revisions of {id} must be a list")))?;
        let revs = list
            .iter()
            .map(|r| parse_rev(r.as_str().unwrap_or_default()))
            .collect::<Result<Vec<_>>>()?;
        wanted.insert(id, revs);
    }
    let missing = blocking(move || Ok(block_on(open.db.revs_diff(wanted))?)).await?;
    let out: Map<String, Value> = missing
        .into_iter()
        .map(|(id, revs)| {
            (
                id,
                json!({ "missing": revs.iter().map(|r| r.to_string()).collect::<Vec<_>>() }),
            )
        })
        .collect();
    Ok(Json(Value::Object(out)))
}

async fn bulk_get(
    State(state): State<AppState>,
    Path(db): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    Body(body): Body,
) -> Result<Response> {
    let open = open(&state, &db)?;
    let revs = flag(&q, "revs");
    let latest = flag(&q, "latest");
    let items = take_list(body, "docs").ok_or_else(|| Error::BadRequest("_bulk_get takes {\"docs\": [...]}".into()))?;
    let mut asks = Vec::with_capacity(items.len());
    for item in &items {
        let id = item
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::BadRequest("each entry needs an id".into()))?
            .to_string();
        let rev = item.get("rev").and_then(Value::as_str).map(parse_rev).transpose()?;
        asks.push((id, rev));
    }
    let out = blocking(move || {
        block_on(async {
            // One read for every document asked about.
            let mut ids: Vec<String> = asks.iter().map(|(id, _)| id.clone()).collect();
            ids.sort();
            ids.dedup();
            let records = open
                .db
                .storage()
                .read_many(&ids)
                .await
                .map_err(|e| Error::Internal(e.to_string()))?;
            let by_id: HashMap<&str, &DocRecord> = records.iter().flatten().map(|r| (r.id.as_str(), r)).collect();
            // The answer is written straight into one string: no JSON tree per document.
            let mut out = String::with_capacity(asks.len() * 512);
            let missing = |out: &mut String, id: &str, rev: &str| {
                let e = json!({ "error": { "id": id, "rev": rev, "error": "not_found", "reason": "missing" } });
                out.push_str(&e.to_string());
            };
            out.push_str("{\"results\":[");
            for (i, (id, rev)) in asks.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"id\":");
                out.push_str(&Value::String(id.clone()).to_string());
                out.push_str(",\"docs\":[");
                let record = by_id.get(id.as_str());
                let wanted = match (rev, record) {
                    (_, None) => Vec::new(),
                    (Some(rev), Some(r)) => select_revs(r, Some(vec![rev.clone()]), latest),
                    (None, Some(r)) => r
                        .tree
                        .winner()
                        .filter(|_| !r.tree.is_deleted())
                        .map(|w| vec![Ok(w.clone())])
                        .unwrap_or_default(),
                };
                if wanted.is_empty() {
                    missing(
                        &mut out,
                        id,
                        &rev.as_ref().map_or("undefined".to_string(), |r| r.to_string()),
                    );
                }
                for (j, w) in wanted.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    match (w, record) {
                        (Ok(r), Some(record)) => {
                            let node = record.tree.node(r);
                            out.push_str("{\"ok\":");
                            write_rev_json(
                                &mut out,
                                id,
                                &record.tree.ancestry(r),
                                node.is_some_and(|n| n.deleted),
                                node.and_then(|n| n.body.as_ref()),
                                revs,
                            );
                            out.push('}');
                        }
                        (Err(r), _) | (Ok(r), None) => missing(&mut out, id, &r.to_string()),
                    }
                }
                out.push_str("]}");
            }
            out.push_str("]}");
            Ok::<_, Error>(out)
        })
    })
    .await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], out).into_response())
}

async fn bulk_docs(State(state): State<AppState>, Path(db): Path<String>, Body(body): Body) -> Result<Response> {
    let open = open(&state, &db)?;
    let new_edits = body.get("new_edits").and_then(Value::as_bool).unwrap_or(true);
    let docs = take_list(body, "docs").ok_or_else(|| Error::BadRequest("_bulk_docs takes {\"docs\": [...]}".into()))?;
    if !new_edits {
        let revs = docs.into_iter().map(rev_doc_from_json).collect::<Result<Vec<_>, _>>()?;
        blocking(move || {
            block_on(open.db.merge_revisions(revs))?;
            notify(&open);
            Ok(())
        })
        .await?;
        return Ok((StatusCode::CREATED, Json(json!([]))).into_response());
    }
    let mut edits = Vec::with_capacity(docs.len());
    for d in docs {
        let d = parse_doc(d)?;
        let id = if d.id.is_empty() { new_id() } else { d.id };
        edits.push(Edit {
            id,
            base: d.rev,
            deleted: d.deleted,
            body: d.body,
        });
    }
    let ids: Vec<String> = edits.iter().map(|e| e.id.clone()).collect();
    let results = blocking(move || {
        let r = block_on(open.db.bulk_docs(edits))?;
        notify(&open);
        Ok(r)
    })
    .await?;
    let out: Vec<Value> = ids
        .into_iter()
        .zip(results)
        .map(|(id, r)| match r {
            Ok(rev) => json!({ "ok": true, "id": id, "rev": rev.to_string() }),
            Err(e) => {
                let e = Error::from(e);
                let (_, name) = e.status_and_name();
                json!({ "id": id, "error": name, "reason": e.reason() })
            }
        })
        .collect();
    Ok((StatusCode::CREATED, Json(Value::Array(out))).into_response())
}

// --- _changes ----------------------------------------------------------------------------------

struct ChangesQuery {
    since: Option<u64>,
    limit: usize,
    include_docs: bool,
    all_docs_style: bool,
    longpoll: bool,
    timeout: Duration,
    doc_ids: Option<Vec<String>>,
}

fn changes_query(q: &HashMap<String, String>, body: &Value) -> Result<ChangesQuery> {
    let since = match q.get("since").map(String::as_str) {
        None => Some(0),
        Some("now") => None,
        Some(s) => Some(commontable_core::replicate::seq_number(
            &serde_json::from_str(s).unwrap_or(Value::String(s.into())),
        )),
    };
    let limit = match q.get("limit") {
        Some(l) => l
            .parse()
            .map_err(|_| Error::BadRequest("limit must be a number".into()))?,
        None => usize::MAX,
    };
    let feed = q.get("feed").map(String::as_str).unwrap_or("normal");
    if !matches!(feed, "normal" | "longpoll") {
        return Err(Error::BadRequest(format!(
            "feed={feed} is not supported; use normal or longpoll"
        )));
    }
    let timeout = q
        .get("timeout")
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap_or(60_000)
        .min(60_000);
    let doc_ids = match q.get("filter").map(String::as_str) {
        None => None,
        Some("_doc_ids") => {
            let list = match body.get("doc_ids") {
                Some(v) => Some(v.clone()),
                None => json_param(q, "doc_ids")?,
            };
            let list = list
                .and_then(|v| v.as_array().cloned())
                .ok_or_else(|| Error::BadRequest("filter=_doc_ids needs doc_ids".into()))?;
            Some(list.into_iter().filter_map(|v| v.as_str().map(String::from)).collect())
        }
        Some(f) => return Err(Error::BadRequest(format!("filter {f} is not supported"))),
    };
    Ok(ChangesQuery {
        since,
        limit,
        include_docs: flag(q, "include_docs"),
        all_docs_style: q.get("style").is_some_and(|s| s == "all_docs"),
        longpoll: feed == "longpoll",
        timeout: Duration::from_millis(timeout),
        doc_ids,
    })
}

/// `GET` and `POST /{db}/_changes` (a `POST` may carry `doc_ids`).
async fn changes(
    State(state): State<AppState>,
    Path(db): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    Body(body): Body,
) -> Result<Json<Value>> {
    let open = open(&state, &db)?;
    let cq = changes_query(&q, &body)?;
    let mut waiter = open.changed.subscribe();
    let since = match cq.since {
        Some(s) => s,
        None => {
            let o = open.clone();
            blocking(move || Ok(block_on(o.db.update_seq())?)).await?
        }
    };
    let deadline = tokio::time::Instant::now() + cq.timeout;
    loop {
        waiter.mark_unchanged();
        let o = open.clone();
        let ids = cq.doc_ids.clone();
        let limit = cq.limit;
        let include_docs = cq.include_docs;
        let (rows, docs, update_seq) = blocking(move || {
            block_on(async {
                let storage = o.db.storage();
                let mut out = Vec::new();
                let mut from = since;
                let page_size = limit.clamp(1, 1000);
                // Page through the index so a filter still fills `limit`.
                loop {
                    let page = storage.change_rows(from, page_size)?;
                    let done = page.len() < page_size;
                    if let Some(last) = page.last() {
                        from = last.seq;
                    }
                    out.extend(
                        page.into_iter()
                            .filter(|r| ids.as_ref().is_none_or(|ids| ids.contains(&r.id))),
                    );
                    if done || out.len() >= limit {
                        break;
                    }
                }
                out.truncate(limit);
                let docs = if include_docs {
                    let ids: Vec<String> = out.iter().map(|r| r.id.clone()).collect();
                    storage
                        .read_many(&ids)
                        .await
                        .map_err(|e| Error::Internal(e.to_string()))?
                } else {
                    Vec::new()
                };
                Ok::<_, Error>((out, docs, o.db.update_seq().await?))
            })
        })
        .await?;
        if !rows.is_empty() || !cq.longpoll || tokio::time::Instant::now() >= deadline {
            let last_seq = rows
                .last()
                .map_or(if cq.longpoll { since } else { update_seq.max(since) }, |r| r.seq);
            let results: Vec<Value> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| change_row(r, docs.get(i).and_then(Option::as_ref), &cq))
                .collect();
            return Ok(Json(json!({ "results": results, "last_seq": last_seq, "pending": 0 })));
        }
        if tokio::time::timeout_at(deadline, waiter.changed()).await.is_err() {
            return Ok(Json(json!({ "results": [], "last_seq": since, "pending": 0 })));
        }
    }
}

fn change_row(r: &ChangeRow, doc: Option<&DocRecord>, cq: &ChangesQuery) -> Value {
    // `leaves` is stored winner first.
    let leaves: Vec<String> = serde_json::from_str(&r.leaves).unwrap_or_default();
    let take = if cq.all_docs_style { leaves.len() } else { 1 };
    let revs: Vec<Value> = leaves.iter().take(take).map(|l| json!({ "rev": l })).collect();
    let mut row = json!({ "seq": r.seq, "id": r.id, "changes": revs });
    if r.deleted {
        row["deleted"] = json!(true);
    }
    if cq.include_docs {
        row["doc"] = doc.and_then(|d| winner_json(d, false, false)).unwrap_or(Value::Null);
    }
    row
}

// --- _all_docs ---------------------------------------------------------------------------------

/// `GET` and `POST /{db}/_all_docs` (a `POST` may carry `keys`).
async fn all_docs(
    State(state): State<AppState>,
    Path(db): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    Body(body): Body,
) -> Result<Json<Value>> {
    let open = open(&state, &db)?;
    let include_docs = flag(&q, "include_docs");
    let keys = match body.get("keys") {
        Some(k) => Some(k.clone()),
        None => json_param(&q, "keys")?,
    };
    let keys: Option<Vec<String>> = keys
        .map(|k| {
            k.as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .ok_or_else(|| Error::BadRequest("keys must be a list".into()))
        })
        .transpose()?;
    let key_str = |names: [&str; 2]| -> Result<Option<String>> {
        for n in names {
            if let Some(v) = json_param(&q, n)? {
                return Ok(Some(
                    v.as_str()
                        .ok_or_else(|| Error::BadRequest(format!("{n} must be a JSON string")))?
                        .to_string(),
                ));
            }
        }
        Ok(None)
    };
    let start = key_str(["startkey", "start_key"])?;
    let end = key_str(["endkey", "end_key"])?;
    let inclusive_end = q.get("inclusive_end").is_none_or(|v| v != "false");
    let descending = flag(&q, "descending");
    let skip: usize = q.get("skip").and_then(|s| s.parse().ok()).unwrap_or(0);
    let limit: usize = match q.get("limit") {
        Some(l) => l
            .parse()
            .map_err(|_| Error::BadRequest("limit must be a number".into()))?,
        None => usize::MAX,
    };
    let records = {
        let o = open.clone();
        blocking(move || block_on(o.db.storage().all()).map_err(|e| Error::Internal(e.to_string()))).await?
    };
    let total = records.iter().filter(|r| !r.tree.is_deleted()).count();
    let row = |r: &DocRecord| {
        let rev = r.tree.winner().map(|w| w.to_string()).unwrap_or_default();
        let mut v = json!({ "id": r.id, "key": r.id, "value": { "rev": rev } });
        if r.tree.is_deleted() {
            v["value"]["deleted"] = json!(true);
            if include_docs {
                v["doc"] = Value::Null;
            }
        } else if include_docs {
            v["doc"] = winner_json(r, false, false).unwrap_or(Value::Null);
        }
        v
    };
    let rows: Vec<Value> = match keys {
        Some(keys) => {
            let by_id: HashMap<&str, &DocRecord> = records.iter().map(|r| (r.id.as_str(), r)).collect();
            keys.iter()
                .map(|k| match by_id.get(k.as_str()) {
                    Some(r) => row(r),
                    None => json!({ "key": k, "error": "not_found" }),
                })
                .skip(skip)
                .take(limit)
                .collect()
        }
        None => {
            let mut live: Vec<&DocRecord> = records.iter().filter(|r| !r.tree.is_deleted()).collect();
            if descending {
                live.reverse();
            }
            live.into_iter()
                .filter(|r| {
                    let id = r.id.as_str();
                    let (lo, hi) = if descending {
                        (end.as_deref(), start.as_deref())
                    } else {
                        (start.as_deref(), end.as_deref())
                    };
                    let after_lo = lo.is_none_or(|s| id >= s);
                    let before_hi = hi.is_none_or(|e| if inclusive_end { id <= e } else { id < e });
                    after_lo && before_hi
                })
                .skip(skip)
                .take(limit)
                .map(row)
                .collect()
        }
    };
    Ok(Json(json!({ "total_rows": total, "offset": skip, "rows": rows })))
}

/// CouchDB's answer to a method a route does not take (set on the whole app in `app()`:
/// a merged router's fallbacks do not survive the merge).
pub async fn method_not_allowed() -> Response {
    let body = json!({ "error": "method_not_allowed", "reason": "This method is not allowed here." });
    (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response()
}
