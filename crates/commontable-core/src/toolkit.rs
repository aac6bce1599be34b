//! The toolkit's content model: entries, government functions, kinds, and the parser for the
//! content files (`content/toolkit/*.md`: TOML front matter between `+++` lines, then Markdown).
//!
//! Invariant: an entry that parses here also passes [`crate::validate::validate_doc`] once
//! turned into a document, so the shipped content is checked at build time.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The region-wide database that holds the toolkit.
pub const TOOLKIT_DB: &str = "toolkit";

/// A function of day-to-day government that an entry applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Function {
    /// Delivering services to residents.
    ServiceDelivery,
    /// Engaging residents and communities outside government.
    ExternalEngagement,
    /// Working with other agencies and organizations.
    Partnerships,
    /// Internal administration: data, metrics, accountability, audits.
    PerformanceManagement,
    /// Internal administration: working groups, staff surveys, facilitation.
    InternalCommunications,
    /// Internal administration: hiring, retention, promotion.
    HumanResources,
    /// Internal administration: budgeting and procurement.
    FinancialManagement,
}

impl Function {
    /// Every function, in display order.
    pub const ALL: [Function; 7] = [
        Function::ServiceDelivery,
        Function::ExternalEngagement,
        Function::Partnerships,
        Function::PerformanceManagement,
        Function::InternalCommunications,
        Function::HumanResources,
        Function::FinancialManagement,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Function::ServiceDelivery => "service_delivery",
            Function::ExternalEngagement => "external_engagement",
            Function::Partnerships => "partnerships",
            Function::PerformanceManagement => "performance_management",
            Function::InternalCommunications => "internal_communications",
            Function::HumanResources => "human_resources",
            Function::FinancialManagement => "financial_management",
        }
    }

    /// The function with this stored name.
    pub fn parse(s: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Whether this is one of the internal-administration areas.
    pub fn is_internal_administration(self) -> bool {
        matches!(
            self,
            Function::PerformanceManagement
                | Function::InternalCommunications
                | Function::HumanResources
                | Function::FinancialManagement
        )
    }
}

/// What sort of entry it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A practice to adopt.
    Practice,
    /// What one community did and learned.
    CaseStudy,
    /// A longer how-to.
    Guide,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 3] = [Kind::Practice, Kind::CaseStudy, Kind::Guide];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Practice => "practice",
            Kind::CaseStudy => "case_study",
            Kind::Guide => "guide",
        }
    }

    /// The kind with this stored name.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One toolkit entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolkitEntry {
    /// The file name without `.md`; the document id is `toolkit:<slug>`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// One or two sentences.
    pub summary: String,
    /// Markdown.
    pub body: String,
    /// Government functions it applies to.
    pub functions: Vec<Function>,
    /// Practice, case study or guide.
    pub kind: Kind,
    /// Communities where it applies or comes from.
    #[serde(default)]
    pub communities: Vec<String>,
    /// Where the facts come from.
    #[serde(default)]
    pub source: String,
    /// Slugs of related entries.
    #[serde(default)]
    pub related: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    summary: String,
    kind: Kind,
    functions: Vec<Function>,
    #[serde(default)]
    communities: Vec<String>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    related: Vec<String>,
}

/// Why a content file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ContentError {
    /// The file's slug.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

impl ToolkitEntry {
    /// The document id.
    pub fn doc_id(&self) -> String {
        format!("toolkit:{}", self.slug)
    }

    /// Parses one content file.
    pub fn parse(slug: &str, text: &str) -> Result<ToolkitEntry, ContentError> {
        let err = |m: String| ContentError { file: slug.to_string(), message: m };
        let rest = text.strip_prefix("+++\n").ok_or_else(|| err("must start with a +++ front matter line".into()))?;
        let (front, body) = rest.split_once("\n+++\n").ok_or_else(|| err("front matter is not closed by +++".into()))?;
        let fm: FrontMatter = toml::from_str(front).map_err(|e| err(e.to_string()))?;
        let entry = ToolkitEntry {
            slug: slug.to_string(),
            title: fm.title,
            summary: fm.summary,
            body: body.trim().to_string(),
            functions: fm.functions,
            kind: fm.kind,
            communities: fm.communities,
            source: fm.source,
            related: fm.related,
        };
        crate::validate::validate_doc(&entry.doc_id(), &entry.to_body()).map_err(|e| err(e.to_string()))?;
        Ok(entry)
    }

    /// The document body.
    pub fn to_body(&self) -> Map<String, Value> {
        let v = json!({
            "type": "toolkit_entry",
            "title": self.title,
            "summary": self.summary,
            "body": self.body,
            "kind": self.kind.as_str(),
            "functions": self.functions.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
            "communities": self.communities,
            "source": self.source,
            "related": self.related,
        });
        match v {
            Value::Object(m) => m,
            _ => unreachable!("json! object literal"),
        }
    }

    /// Reads an entry back from a stored document body.
    pub fn from_doc(id: &str, body: &Map<String, Value>) -> Option<ToolkitEntry> {
        let slug = id.strip_prefix("toolkit:")?.to_string();
        let s = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let list = |k: &str| -> Vec<String> {
            body.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        Some(ToolkitEntry {
            slug,
            title: s("title"),
            summary: s("summary"),
            body: s("body"),
            functions: list("functions").iter().filter_map(|f| Function::parse(f)).collect(),
            kind: Kind::parse(&s("kind"))?,
            communities: list("communities"),
            source: s("source"),
            related: list("related"),
        })
    }
}

/// Checks a whole set of entries: unique slugs and related links that resolve.
pub fn check_collection(entries: &[ToolkitEntry]) -> Result<(), ContentError> {
    let slugs: std::collections::BTreeSet<&str> = entries.iter().map(|e| e.slug.as_str()).collect();
    if slugs.len() != entries.len() {
        return Err(ContentError { file: "content/toolkit".into(), message: "duplicate slugs".into() });
    }
    for e in entries {
        if let Some(bad) = e.related.iter().find(|r| !slugs.contains(r.as_str()) || *r == &e.slug) {
            return Err(ContentError { file: e.slug.clone(), message: format!("related entry {bad:?} does not exist") });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\ntitle = \"T\"\nsummary = \"S\"\nkind = \"practice\"\nfunctions = [\"partnerships\"]\n+++\n\nBody *here*.\n";

    #[test]
    fn parses_and_round_trips_through_a_document() {
        let e = ToolkitEntry::parse("t", GOOD).unwrap();
        assert_eq!(e.body, "Body *here*.");
        assert_eq!(e.functions, vec![Function::Partnerships]);
        let back = ToolkitEntry::from_doc(&e.doc_id(), &e.to_body()).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn refuses_bad_files_naming_the_problem() {
        assert!(ToolkitEntry::parse("t", "no front matter").is_err());
        let bad_kind = GOOD.replace("practice", "poem");
        assert!(ToolkitEntry::parse("t", &bad_kind).unwrap_err().message.contains("poem"));
        let unknown = GOOD.replace("kind =", "colour = \"red\"\nkind =");
        assert!(ToolkitEntry::parse("t", &unknown).is_err());
        let blank = GOOD.replace("title = \"T\"", "title = \"  \"");
        assert!(ToolkitEntry::parse("t", &blank).unwrap_err().message.contains("title"));
    }

    #[test]
    fn related_links_must_resolve() {
        let mut a = ToolkitEntry::parse("a", GOOD).unwrap();
        let b = ToolkitEntry::parse("b", GOOD).unwrap();
        a.related = vec!["b".into()];
        assert!(check_collection(&[a.clone(), b.clone()]).is_ok());
        a.related = vec!["c".into()];
        assert!(check_collection(&[a, b]).is_err());
    }
}
