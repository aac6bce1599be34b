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
        let err = |m: String| ContentError {
            file: slug.to_string(),
            message: m,
        };
        let rest = text
            .strip_prefix("+++\n")
            .ok_or_else(|| err("must start with a +++ front matter line".into()))?;
        let (front, body) = rest
            .split_once("\n+++\n")
            .ok_or_else(|| err("front matter is not closed by +++".into()))?;
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
        return Err(ContentError {
            file: "content/toolkit".into(),
            message: "duplicate slugs".into(),
        });
    }
    for e in entries {
        if let Some(bad) = e.related.iter().find(|r| !slugs.contains(r.as_str()) || *r == &e.slug) {
            return Err(ContentError {
                file: e.slug.clone(),
                message: format!("related entry {bad:?} does not exist"),
            });
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
        assert!(ToolkitEntry::parse("t", &bad_kind)
            .unwrap_err()
            .message
            .contains("poem"));
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

/// The toolkit as the app reads it: entries in title order and a search index over them.
#[derive(Debug, Default)]
pub struct Library {
    entries: Vec<ToolkitEntry>,
    index: crate::search::SearchIndex,
}

/// What the browse screen asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Free text; empty for all.
    pub query: String,
    /// Only entries for this function.
    pub function: Option<Function>,
    /// Only entries of this kind.
    pub kind: Option<Kind>,
}

impl Library {
    /// Builds the library (and its index) from entries.
    pub fn new(mut entries: Vec<ToolkitEntry>) -> Library {
        entries.sort_by(|a, b| a.title.to_lowercase().cmp(&b.title.to_lowercase()));
        let mut index = crate::search::SearchIndex::new();
        for e in &entries {
            index.add(
                &e.slug,
                &[
                    (&e.title, 4.0),
                    (&e.summary, 2.0),
                    (&e.body, 1.0),
                    (&e.communities.join(" "), 1.0),
                ],
            );
        }
        Library { entries, index }
    }

    /// Every entry, in title order.
    pub fn entries(&self) -> &[ToolkitEntry] {
        &self.entries
    }

    /// The entry with this slug.
    pub fn get(&self, slug: &str) -> Option<&ToolkitEntry> {
        self.entries.iter().find(|e| e.slug == slug)
    }

    /// The entries `slug` links to, in its own order, skipping any not on the device.
    pub fn related(&self, slug: &str) -> Vec<&ToolkitEntry> {
        self.get(slug)
            .map(|e| e.related.iter().filter_map(|r| self.get(r)).collect())
            .unwrap_or_default()
    }

    /// Entries matching the filter: ranked by relevance when there is a query, else by title.
    pub fn find(&self, filter: &Filter) -> Vec<&ToolkitEntry> {
        let keep = |e: &&ToolkitEntry| {
            filter.function.is_none_or(|f| e.functions.contains(&f)) && filter.kind.is_none_or(|k| e.kind == k)
        };
        if filter.query.trim().is_empty() {
            return self.entries.iter().filter(keep).collect();
        }
        self.index
            .search(&filter.query, usize::MAX)
            .into_iter()
            .filter_map(|hit| self.get(&hit.id))
            .filter(keep)
            .collect()
    }
}

#[cfg(test)]
mod library_tests {
    use super::*;

    fn entry(slug: &str, title: &str, f: Function, k: Kind, body: &str) -> ToolkitEntry {
        ToolkitEntry {
            slug: slug.into(),
            title: title.into(),
            summary: format!("About {title}"),
            body: body.into(),
            functions: vec![f],
            kind: k,
            communities: vec![],
            source: String::new(),
            related: vec![],
        }
    }

    fn lib() -> Library {
        let mut a = entry(
            "a",
            "Asset mapping",
            Function::Partnerships,
            Kind::Practice,
            "Map what partners bring.",
        );
        a.related = vec!["c".into(), "gone".into()];
        Library::new(vec![
            a,
            entry(
                "b",
                "Budgeting with residents",
                Function::FinancialManagement,
                Kind::Practice,
                "Participatory budgeting.",
            ),
            entry(
                "c",
                "Arlington Heights task force",
                Function::Partnerships,
                Kind::CaseStudy,
                "Library, schools, parks.",
            ),
        ])
    }

    #[test]
    fn browse_is_in_title_order_and_filters_combine() {
        let l = lib();
        let titles = |f: &Filter| l.find(f).iter().map(|e| e.slug.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&Filter::default()), vec!["c", "a", "b"]);
        let f = Filter {
            function: Some(Function::Partnerships),
            ..Default::default()
        };
        assert_eq!(titles(&f), vec!["c", "a"]);
        let f = Filter {
            function: Some(Function::Partnerships),
            kind: Some(Kind::CaseStudy),
            ..Default::default()
        };
        assert_eq!(titles(&f), vec!["c"]);
        let f = Filter {
            query: "budget".into(),
            ..Default::default()
        };
        assert_eq!(titles(&f), vec!["b"]);
        let f = Filter {
            query: "lib".into(),
            kind: Some(Kind::Practice),
            ..Default::default()
        };
        assert!(titles(&f).is_empty());
    }

    #[test]
    fn related_skips_missing_entries() {
        let l = lib();
        let rel: Vec<&str> = l.related("a").iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(rel, vec!["c"]);
        assert!(l.related("nope").is_empty());
    }
}
