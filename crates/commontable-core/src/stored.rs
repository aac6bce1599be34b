//! The typed documents of the partner directory and the checklists share one way to become a
//! stored body (their fields plus `type`) and to be read back from one.

use serde::Serialize;
use serde_json::{Map, Value};

/// A document type: its stored `type`, its id prefix, and conversion to and from a stored body
/// (the id is not part of the body).
pub trait Stored: Serialize + serde::de::DeserializeOwned {
    /// The stored `type`.
    const TYPE: &'static str;
    /// The id prefix.
    const PREFIX: &'static str;
    /// Sets the document id (not part of the body).
    fn set_id(&mut self, id: String);
    /// The document id.
    fn id(&self) -> &str;

    /// The stored body.
    fn to_body(&self) -> Map<String, Value> {
        let mut m = match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        m.insert("type".into(), Value::String(Self::TYPE.into()));
        m
    }

    /// Reads a stored document of this type.
    fn from_doc(id: &str, body: &Map<String, Value>) -> Option<Self> {
        if body.get("type").and_then(Value::as_str) != Some(Self::TYPE) {
            return None;
        }
        let mut v: Self = serde_json::from_value(Value::Object(body.clone())).ok()?;
        v.set_id(id.to_string());
        Some(v)
    }
}

macro_rules! stored {
    ($t:ty, $ty:literal, $prefix:literal) => {
        impl Stored for $t {
            const TYPE: &'static str = $ty;
            const PREFIX: &'static str = $prefix;
            fn set_id(&mut self, id: String) {
                self.id = id;
            }
            fn id(&self) -> &str {
                &self.id
            }
        }
    };
}
pub(crate) use stored;
