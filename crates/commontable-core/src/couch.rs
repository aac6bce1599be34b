//! Documents as CouchDB's JSON: reading `_id`, `_rev`, `_deleted`, `_revisions` out of a
//! request body, and writing them back. Shared by the server's endpoints and the replicator, so
//! both speak exactly the same dialect.

use crate::database::DbError;
use crate::rev::Rev;
use serde_json::{json, Map, Value};

/// A document as received: its special fields parsed, its body without them.
#[derive(Clone, Debug, PartialEq)]
pub struct IncomingDoc {
    /// `_id` (may be empty when the server is to choose one).
    pub id: String,
    /// `_rev`, if given.
    pub rev: Option<Rev>,
    /// `_deleted`.
    pub deleted: bool,
    /// `_revisions` as a path, newest first, if given.
    pub revisions: Option<Vec<Rev>>,
    /// Everything else.
    pub body: Map<String, Value>,
}

/// A specific revision with its ancestry, as replication moves it.
#[derive(Clone, Debug, PartialEq)]
pub struct RevDoc {
    /// The document id.
    pub id: String,
    /// The path: this revision first, then its known ancestors.
    pub path: Vec<Rev>,
    /// Whether this revision is a deletion.
    pub deleted: bool,
    /// The body.
    pub body: Map<String, Value>,
}

fn bad(reason: impl Into<String>) -> DbError {
    DbError::BadRequest(reason.into())
}

/// Reads a document body as sent to `PUT /{db}/{id}` or inside `_bulk_docs`.
pub fn parse_doc(value: Value) -> Result<IncomingDoc, DbError> {
    let Value::Object(mut map) = value else {
        return Err(bad("Document must be a JSON object"));
    };
    let id = match map.remove("_id") {
        None => String::new(),
        Some(Value::String(s)) => s,
        Some(_) => return Err(bad("Document id must be a string")),
    };
    let rev = match map.remove("_rev") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.parse::<Rev>().map_err(|e| bad(e.to_string()))?),
        Some(_) => return Err(bad("_rev must be a string")),
    };
    let deleted = match map.remove("_deleted") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => b,
        Some(_) => return Err(bad("_deleted must be true or false")),
    };
    let revisions = match map.remove("_revisions") {
        None | Some(Value::Null) => None,
        Some(v) => Some(parse_revisions(&v)?),
    };
    // Fields CouchDB adds on read; harmless to receive back.
    for k in ["_conflicts", "_deleted_conflicts", "_local_seq", "_revs_info"] {
        map.remove(k);
    }
    if let Some(k) = map.keys().find(|k| k.starts_with('_')) {
        return Err(bad(format!("Bad special document member: {k}")));
    }
    Ok(IncomingDoc {
        id,
        rev,
        deleted,
        revisions,
        body: map,
    })
}

/// `{"start": N, "ids": [...]}` to a path, newest first.
pub fn parse_revisions(v: &Value) -> Result<Vec<Rev>, DbError> {
    let start = v
        .get("start")
        .and_then(Value::as_u64)
        .ok_or_else(|| bad("_revisions.start must be a number"))?;
    let ids = v
        .get("ids")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("_revisions.ids must be a list"))?;
    if ids.is_empty() || (ids.len() as u64) > start {
        return Err(bad("_revisions does not fit its start"));
    }
    ids.iter()
        .enumerate()
        .map(|(i, h)| match h.as_str() {
            Some(h) if !h.is_empty() => Ok(Rev::new(start - i as u64, h)),
            _ => Err(bad("_revisions.ids must be non-empty strings")),
        })
        .collect()
}

/// A path as `{"start": N, "ids": [...]}`.
pub fn revisions_json(path: &[Rev]) -> Value {
    json!({
        "start": path.first().map_or(0, |r| r.pos),
        "ids": path.iter().map(|r| r.hash.clone()).collect::<Vec<_>>(),
    })
}

/// A revision as CouchDB JSON, with `_revisions` when `with_revisions`.
pub fn rev_doc_json(doc: &RevDoc, with_revisions: bool) -> Value {
    let mut m = doc.body.clone();
    m.insert("_id".into(), Value::String(doc.id.clone()));
    if let Some(rev) = doc.path.first() {
        m.insert("_rev".into(), Value::String(rev.to_string()));
    }
    if doc.deleted {
        m.insert("_deleted".into(), Value::Bool(true));
    }
    if with_revisions {
        m.insert("_revisions".into(), revisions_json(&doc.path));
    }
    Value::Object(m)
}

/// Appends a revision as CouchDB JSON to `out` without building a `Value` (for responses that
/// carry many documents). Same output as [`rev_doc_json`].
pub fn write_rev_json(
    out: &mut String,
    id: &str,
    path: &[Rev],
    deleted: bool,
    body: Option<&Map<String, Value>>,
    with_revisions: bool,
) {
    let quote = |s: &str| Value::String(s.to_string()).to_string();
    out.push_str("{\"_id\":");
    out.push_str(&quote(id));
    if let Some(rev) = path.first() {
        out.push_str(",\"_rev\":\"");
        out.push_str(&rev.to_string());
        out.push('"');
    }
    if deleted {
        out.push_str(",\"_deleted\":true");
    }
    if with_revisions {
        out.push_str(",\"_revisions\":");
        out.push_str(&revisions_json(path).to_string());
    }
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        let json = serde_json::to_string(body).unwrap_or_else(|_| "{}".into());
        out.push(',');
        out.push_str(&json[1..]);
    } else {
        out.push('}');
    }
}

/// Reads a revision (with `_revisions`, or only `_rev`) out of CouchDB JSON.
pub fn rev_doc_from_json(value: Value) -> Result<RevDoc, DbError> {
    let d = parse_doc(value)?;
    let path = match (d.revisions, d.rev) {
        (Some(p), Some(r)) if p.first() != Some(&r) => return Err(bad("_rev does not match _revisions")),
        (Some(p), _) => p,
        (None, Some(r)) => vec![r],
        (None, None) => return Err(bad("a replicated document needs _rev")),
    };
    if d.id.is_empty() {
        return Err(bad("a replicated document needs _id"));
    }
    Ok(RevDoc {
        id: d.id,
        path,
        deleted: d.deleted,
        body: d.body,
    })
}

/// CouchDB's rule for database names.
pub fn valid_db_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && name.len() <= 238
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '$' | '(' | ')' | '+' | '-' | '/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_special_fields_and_rejects_unknown_ones() {
        let d = parse_doc(json!({"_id": "a", "_rev": "2-bb", "_revisions": {"start": 2, "ids": ["bb", "aa"]}, "x": 1}))
            .unwrap();
        assert_eq!(d.id, "a");
        assert_eq!(d.rev, Some(Rev::new(2, "bb")));
        assert_eq!(d.revisions, Some(vec![Rev::new(2, "bb"), Rev::new(1, "aa")]));
        assert_eq!(d.body, json!({"x": 1}).as_object().unwrap().clone());
        assert!(parse_doc(json!({"_id": "a", "_attachments": {}})).is_err());
        assert!(parse_doc(json!([1])).is_err());
        assert!(parse_doc(json!({"_rev": "nope"})).is_err());
        assert!(parse_revisions(&json!({"start": 1, "ids": ["a", "b"]})).is_err());
    }

    #[test]
    fn rev_docs_round_trip_through_json() {
        let doc = RevDoc {
            id: "x".into(),
            path: vec![Rev::new(3, "c"), Rev::new(2, "b")],
            deleted: true,
            body: Map::new(),
        };
        let back = rev_doc_from_json(rev_doc_json(&doc, true)).unwrap();
        assert_eq!(back, doc);
        let only_rev = rev_doc_from_json(json!({"_id": "x", "_rev": "1-a", "k": "v"})).unwrap();
        assert_eq!(only_rev.path, vec![Rev::new(1, "a")]);
    }

    #[test]
    fn written_json_matches_built_json() {
        let body = json!({"b": [1, "x\"y"], "a": {"k": null}}).as_object().unwrap().clone();
        for (deleted, with_revs, body) in [
            (false, true, body.clone()),
            (true, false, Map::new()),
            (false, false, body),
        ] {
            let doc = RevDoc {
                id: "id \"q\"".into(),
                path: vec![Rev::new(2, "bb"), Rev::new(1, "aa")],
                deleted,
                body,
            };
            let mut out = String::new();
            write_rev_json(&mut out, &doc.id, &doc.path, doc.deleted, Some(&doc.body), with_revs);
            let parsed: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(parsed, rev_doc_json(&doc, with_revs));
        }
    }

    #[test]
    fn database_names_follow_couchdb() {
        for ok in ["toolkit", "ws-arlington_heights", "a1$()+-/"] {
            assert!(valid_db_name(ok), "{ok}");
        }
        for bad in ["", "Toolkit", "1db", "_users", "a b", "ä"] {
            assert!(!valid_db_name(bad), "{bad}");
        }
    }
}
