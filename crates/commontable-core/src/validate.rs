//! Validation of documents before they are stored.
//!
//! Every document names its `type`; the known types have their fields checked here, so the
//! app, the server and sync refuse the same bad input with the same message naming the field.
//! Types this version does not know are accepted as they are (a newer app may have written
//! them), as long as they carry a `type`.

use crate::toolkit::{Function, Kind};
use serde_json::{Map, Value};

/// What is wrong with a document, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// The field at fault (`_id` for the id itself).
    pub field: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl ValidationError {
    /// An error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            message: message.into(),
        }
    }
}

type Result<T = ()> = std::result::Result<T, ValidationError>;

/// Checks a document body (without `_` fields) stored under `id`.
pub fn validate_doc(id: &str, body: &Map<String, Value>) -> Result {
    if id.trim() != id || id.len() > 512 {
        return Err(ValidationError::new(
            "_id",
            "must have no surrounding spaces and at most 512 characters",
        ));
    }
    if let Some(key) = body.keys().find(|k| k.starts_with('_')) {
        return Err(ValidationError::new(key.clone(), "fields starting with _ are reserved"));
    }
    let ty = body
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ValidationError::new("type", "every document needs a type"))?;
    match ty {
        "toolkit_entry" => validate_toolkit_entry(id, body),
        "bookmark" => validate_bookmark(id, body),
        "partner" => crate::partner::validate_partner(body),
        "contact" => crate::partner::validate_contact(body),
        "stage_change" => crate::partner::validate_stage_change(body),
        "interaction" => crate::partner::validate_interaction(body),
        t if crate::checklist::TYPES.contains(&t) => crate::checklist::validate(t, id, body),
        _ => Ok(()),
    }
}

/// A required string of at most `max` characters, not blank.
pub fn required_text<'a>(body: &'a Map<String, Value>, field: &str, max: usize) -> Result<&'a str> {
    let s = optional_text(body, field, max)?;
    if s.trim().is_empty() {
        return Err(ValidationError::new(field, "is required"));
    }
    Ok(s)
}

/// An optional string of at most `max` characters ("" when absent).
pub fn optional_text<'a>(body: &'a Map<String, Value>, field: &str, max: usize) -> Result<&'a str> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(s),
        Some(Value::String(_)) => Err(ValidationError::new(field, format!("must be at most {max} characters"))),
        Some(_) => Err(ValidationError::new(field, "must be text")),
    }
}

/// An optional list of strings.
pub fn text_list<'a>(body: &'a Map<String, Value>, field: &str) -> Result<Vec<&'a str>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| ValidationError::new(field, "must be a list of text"))
            })
            .collect(),
        Some(_) => Err(ValidationError::new(field, "must be a list of text")),
    }
}

/// One of the named values (`parse` gives it from its stored name); `None` when optional and
/// absent.
pub fn one_of<T>(
    body: &Map<String, Value>,
    field: &str,
    parse: fn(&str) -> Option<T>,
    required: bool,
) -> Result<Option<T>> {
    let text = if required {
        required_text(body, field, 60)?
    } else {
        optional_text(body, field, 60)?
    };
    if text.is_empty() {
        return Ok(None);
    }
    parse(text)
        .map(Some)
        .ok_or_else(|| ValidationError::new(field, format!("{text:?} is not one of the allowed values")))
}

/// A reference to another document: an id starting with `prefix` (`partner:`, `run:`, …).
pub fn reference(body: &Map<String, Value>, field: &str, prefix: &str, required: bool) -> Result<()> {
    let v = if required {
        required_text(body, field, 300)?
    } else {
        optional_text(body, field, 300)?
    };
    if !v.is_empty() && !v.starts_with(prefix) {
        return Err(ValidationError::new(field, format!("must name a {prefix}… document")));
    }
    Ok(())
}

fn validate_toolkit_entry(id: &str, body: &Map<String, Value>) -> Result {
    if !id.starts_with("toolkit:") || id.len() <= "toolkit:".len() {
        return Err(ValidationError::new(
            "_id",
            "toolkit entries are stored as toolkit:<slug>",
        ));
    }
    required_text(body, "title", 200)?;
    required_text(body, "summary", 1000)?;
    required_text(body, "body", 100_000)?;
    optional_text(body, "source", 2000)?;
    let kind = required_text(body, "kind", 40)?;
    if Kind::parse(kind).is_none() {
        return Err(ValidationError::new(
            "kind",
            format!("{kind:?} is not one of practice, case_study, guide"),
        ));
    }
    let functions = text_list(body, "functions")?;
    if functions.is_empty() {
        return Err(ValidationError::new(
            "functions",
            "name at least one government function",
        ));
    }
    if let Some(bad) = functions.iter().find(|f| Function::parse(f).is_none()) {
        return Err(ValidationError::new(
            "functions",
            format!("{bad:?} is not a known government function"),
        ));
    }
    text_list(body, "communities")?;
    text_list(body, "related")?;
    Ok(())
}

fn validate_bookmark(id: &str, body: &Map<String, Value>) -> Result {
    let entry = required_text(body, "entry", 600)?;
    if id != format!("bookmark:{entry}") {
        return Err(ValidationError::new(
            "_id",
            "a bookmark is stored as bookmark:<entry id>",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn entry() -> Map<String, Value> {
        obj(json!({
            "type": "toolkit_entry", "title": "T", "summary": "S", "body": "B",
            "kind": "practice", "functions": ["partnerships"], "communities": [], "related": []
        }))
    }

    #[test]
    fn a_complete_entry_passes() {
        assert_eq!(validate_doc("toolkit:t", &entry()), Ok(()));
    }

    #[test]
    fn errors_name_the_field() {
        let cases: Vec<(&str, Value, &str)> = vec![
            ("title", json!(""), "title"),
            ("title", json!(5), "title"),
            ("kind", json!("essay"), "kind"),
            ("functions", json!([]), "functions"),
            ("functions", json!(["astrology"]), "functions"),
            ("related", json!("x"), "related"),
        ];
        for (field, value, expect) in cases {
            let mut e = entry();
            e.insert(field.into(), value.clone());
            let err = validate_doc("toolkit:t", &e).unwrap_err();
            assert_eq!(err.field, expect, "{field} = {value}");
        }
    }

    #[test]
    fn type_and_reserved_fields_and_ids() {
        assert_eq!(validate_doc("x", &obj(json!({}))).unwrap_err().field, "type");
        assert_eq!(
            validate_doc("x", &obj(json!({"type": "t", "_x": 1})))
                .unwrap_err()
                .field,
            "_x"
        );
        assert_eq!(validate_doc(" x", &obj(json!({"type": "t"}))).unwrap_err().field, "_id");
        assert_eq!(validate_doc("other:t", &entry()).unwrap_err().field, "_id");
        assert!(validate_doc("x", &obj(json!({"type": "from_the_future"}))).is_ok());
        let b = obj(json!({"type": "bookmark", "entry": "toolkit:a"}));
        assert!(validate_doc("bookmark:toolkit:a", &b).is_ok());
        assert_eq!(validate_doc("bookmark:toolkit:b", &b).unwrap_err().field, "_id");
    }
}
