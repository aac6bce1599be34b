//! Revision identifiers in the CouchDB form `N-<32 hex>`.
//!
//! Ordering is CouchDB's: by generation compared as a number, then by hash as a string. New
//! revisions are content-addressed: the same edit made on two devices gets the same id.

use md5::{Digest, Md5};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// One revision: its generation (`pos`) and its hash.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rev {
    /// The generation, starting at 1.
    pub pos: u64,
    /// The hash part; 32 lowercase hex characters for revisions made here, any non-empty
    /// string for revisions received from other CouchDB implementations.
    pub hash: String,
}

/// Why a revision string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid revision {0:?}: expected N-hash, e.g. 1-967a00dff5e02add41819138abb3284d")]
pub struct RevParseError(pub String);

impl Rev {
    /// A revision from its parts.
    pub fn new(pos: u64, hash: impl Into<String>) -> Self {
        Rev { pos, hash: hash.into() }
    }

    /// The child revision an edit of `parent` produces: generation + 1 and a hash of the
    /// parent, the deleted flag and the canonical JSON of the body.
    pub fn next(parent: Option<&Rev>, deleted: bool, body: &Map<String, Value>) -> Rev {
        let mut hasher = Md5::new();
        if let Some(p) = parent {
            hasher.update(p.to_string().as_bytes());
        }
        hasher.update([0u8, u8::from(deleted)]);
        let mut canonical = String::new();
        write_canonical(&Value::Object(body.clone()), &mut canonical);
        hasher.update(canonical.as_bytes());
        let digest = hasher.finalize();
        let hash = digest.iter().map(|b| format!("{b:02x}")).collect::<String>();
        Rev {
            pos: parent.map_or(1, |p| p.pos + 1),
            hash,
        }
    }
}

/// JSON with object keys sorted, whatever map type serde_json was built with, so hashes do
/// not depend on key order.
pub fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

impl Ord for Rev {
    fn cmp(&self, other: &Self) -> Ordering {
        self.pos.cmp(&other.pos).then_with(|| self.hash.cmp(&other.hash))
    }
}

impl PartialOrd for Rev {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Rev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.pos, self.hash)
    }
}

impl FromStr for Rev {
    type Err = RevParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || RevParseError(s.to_string());
        let (pos, hash) = s.split_once('-').ok_or_else(err)?;
        let pos: u64 = pos.parse().map_err(|_| err())?;
        if pos == 0 || hash.is_empty() || !hash.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(err());
        }
        Ok(Rev::new(pos, hash))
    }
}

impl Serialize for Rev {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rev {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn generation_compares_as_a_number() {
        let a: Rev = "9-aaa".parse().unwrap();
        let b: Rev = "10-aaa".parse().unwrap();
        assert!(b > a, "10 must beat 9, not sort as text");
    }

    #[test]
    fn rejects_malformed_revisions() {
        for bad in ["", "1", "x-abc", "0-abc", "1-", "-abc", "1-ab c"] {
            assert!(bad.parse::<Rev>().is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn next_rev_is_deterministic_and_key_order_free() {
        let a = json!({"b": 1, "a": [1, {"y": 2, "x": 1}]});
        let b: Map<String, Value> = serde_json::from_str(r#"{"a":[1,{"x":1,"y":2}],"b":1}"#).unwrap();
        let ra = Rev::next(None, false, a.as_object().unwrap());
        let rb = Rev::next(None, false, &b);
        assert_eq!(ra, rb);
        assert_eq!(ra.pos, 1);
        assert_eq!(ra.hash.len(), 32);
        let child = Rev::next(Some(&ra), false, &b);
        assert_eq!(child.pos, 2);
        assert_ne!(child.hash, ra.hash);
        assert_ne!(Rev::next(None, true, &b), ra, "deleted flag is part of the hash");
    }
}
