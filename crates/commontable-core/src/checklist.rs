//! Outreach checklists and the field log: templates (versioned, shipped in `content/checklists`
//! and editable), runs of a template with their answers, door-to-door shifts and visits, and
//! the register of areas and underserved groups.
//!
//! Conflict-free by construction: a template version is written once and never changed (an
//! edit is a new version, so a run keeps the version it started with); every answer, status
//! change and visit is a new document, so two staff on the same run never edit the same
//! document, and the history of an answer is kept. The latest answer to an item wins, by the
//! time it was given and then by id, the same on every device.

use crate::partner::check_date;
use crate::partner::named_enum;
use crate::stored::stored;
use crate::stored::Stored;
use crate::validate::{one_of, optional_text, reference, required_text, text_list, ValidationError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

named_enum!(
    /// How an item is answered.
    ItemKind {
        /// A box to tick.
        Check = "check",
        /// Yes or no.
        YesNo = "yes_no",
        /// One of the options.
        SingleChoice = "single_choice",
        /// Any of the options.
        MultipleChoice = "multiple_choice",
        /// A line of text.
        ShortText = "short_text",
        /// Paragraphs.
        LongText = "long_text",
        /// A number.
        Number = "number",
        /// A date.
        Date = "date",
    }
);

named_enum!(
    /// What happened at a door.
    Outcome {
        /// Someone answered and talked.
        Talked = "talked",
        /// Nobody home.
        NotHome = "not_home",
        /// Declined to talk.
        Declined = "declined",
        /// Asked us to come back later.
        ComeBack = "come_back",
    }
);

named_enum!(
    /// What kind of place an area is.
    AreaKind {
        /// A neighbourhood.
        Neighbourhood = "neighbourhood",
        /// An election precinct.
        Precinct = "precinct",
        /// A census tract.
        Tract = "tract",
        /// Anything else the workspace uses.
        Other = "other",
    }
);

/// One question or step of a checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable key within the template (answers refer to it).
    pub key: String,
    /// How it is answered.
    pub kind: ItemKind,
    /// The question or step.
    pub label: String,
    /// A line of help under it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub help: String,
    /// The toolkit entry that explains why (its slug).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub toolkit: String,
    /// Whether the run can be completed without it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The choices (choice kinds only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A titled group of items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Its items, in order.
    #[serde(default)]
    pub items: Vec<Item>,
}

/// One version of a checklist template (`template:<slug>:v<version>`, written once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Short name, shared by every version.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub slug: String,
    /// 1, 2, … (each edit is a new version).
    pub version: u32,
    /// Title.
    pub title: String,
    /// What it is for, one or two sentences.
    pub summary: String,
    /// Sections in order.
    pub sections: Vec<Section>,
}

/// The stored `type` of a template.
pub const TEMPLATE_TYPE: &str = "checklist_template";

fn valid_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl Template {
    /// The document id of this version.
    pub fn doc_id(&self) -> String {
        template_id(&self.slug, self.version)
    }

    /// The stored body.
    pub fn to_body(&self) -> Map<String, Value> {
        let mut m = match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        m.insert("type".into(), Value::String(TEMPLATE_TYPE.into()));
        m
    }

    /// A stored template (None if the body is not one).
    pub fn from_doc(body: &Map<String, Value>) -> Option<Template> {
        let mut b = body.clone();
        if b.remove("type").and_then(|t| t.as_str().map(String::from)).as_deref() != Some(TEMPLATE_TYPE) {
            return None;
        }
        serde_json::from_value(Value::Object(b)).ok()
    }

    /// Reads a template file (`content/checklists/<slug>.toml`).
    pub fn parse(slug: &str, toml_text: &str) -> Result<Template, String> {
        let mut t: Template = toml::from_str(toml_text).map_err(|e| format!("{slug}: {e}"))?;
        t.slug = slug.to_string();
        t.check().map_err(|e| format!("{slug}: {e}"))?;
        Ok(t)
    }

    /// The template as a TOML file (what editors edit; `parse` reads it back).
    pub fn to_toml(&self) -> String {
        let mut t = self.clone();
        t.slug = String::new();
        toml::to_string(&t).unwrap_or_default()
    }

    /// An editor's text as the next version of this template: read and checked like a content
    /// file; the version is always `self.version + 1` whatever the text says, so a version is
    /// never rewritten and runs keep the one they started with.
    pub fn next_version(&self, toml_text: &str) -> Result<Template, String> {
        let mut t: Template = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        t.slug = self.slug.clone();
        t.version = self.version + 1;
        t.check().map_err(|e| e.to_string())?;
        Ok(t)
    }

    /// Every item, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    /// The item with this key.
    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items().find(|i| i.key == key)
    }

    /// The rules a template must follow, naming the field at fault.
    pub fn check(&self) -> Result<(), ValidationError> {
        if !valid_key(&self.slug) {
            return Err(ValidationError::new("slug", "use lowercase letters, digits, - and _"));
        }
        if self.version == 0 {
            return Err(ValidationError::new("version", "versions start at 1"));
        }
        if self.title.trim().is_empty() {
            return Err(ValidationError::new("title", "is required"));
        }
        if self.summary.trim().is_empty() {
            return Err(ValidationError::new("summary", "is required"));
        }
        if self.items().next().is_none() {
            return Err(ValidationError::new("sections", "a checklist needs at least one item"));
        }
        let mut seen = std::collections::HashSet::new();
        for (n, s) in self.sections.iter().enumerate() {
            if s.title.trim().is_empty() {
                return Err(ValidationError::new(format!("sections.{n}.title"), "is required"));
            }
        }
        for item in self.items() {
            let at = |what: &str| format!("items.{}.{what}", item.key);
            if !valid_key(&item.key) {
                return Err(ValidationError::new(
                    "items",
                    format!(
                        "{:?} is not a usable item key (lowercase letters, digits, - and _)",
                        item.key
                    ),
                ));
            }
            if !seen.insert(item.key.as_str()) {
                return Err(ValidationError::new(at("key"), "is used twice"));
            }
            if item.label.trim().is_empty() {
                return Err(ValidationError::new(at("label"), "is required"));
            }
            let choice = matches!(item.kind, ItemKind::SingleChoice | ItemKind::MultipleChoice);
            if choice && item.options.len() < 2 {
                return Err(ValidationError::new(
                    at("options"),
                    "a choice needs at least two options",
                ));
            }
            if !choice && !item.options.is_empty() {
                return Err(ValidationError::new(at("options"), "only choices have options"));
            }
            if !item.toolkit.is_empty() && !valid_key(&item.toolkit) {
                return Err(ValidationError::new(
                    at("toolkit"),
                    "must be a toolkit entry's short name",
                ));
            }
        }
        Ok(())
    }
}

/// The id of a template version.
pub fn template_id(slug: &str, version: u32) -> String {
    format!("template:{slug}:v{version}")
}

/// The newest version of each template, by slug.
pub fn latest<'a>(templates: impl IntoIterator<Item = &'a Template>) -> BTreeMap<&'a str, &'a Template> {
    let mut out: BTreeMap<&str, &Template> = BTreeMap::new();
    for t in templates {
        let e = out.entry(t.slug.as_str()).or_insert(t);
        if t.version > e.version {
            *e = t;
        }
    }
    out
}

/// Whether an answer value counts as answered (an unticked box, blank text or no choice does not).
pub fn is_answered(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

/// Checks an answer against its item: the right shape, a known option, a real date. An empty
/// value (clearing an answer) is always allowed.
pub fn check_answer(item: &Item, value: &Value) -> Result<(), String> {
    if !is_answered(value) {
        return Ok(());
    }
    let text = |max: usize| match value {
        Value::String(s) if s.chars().count() <= max => Ok(()),
        Value::String(_) => Err(format!("must be at most {max} characters")),
        _ => Err("must be text".to_string()),
    };
    match item.kind {
        ItemKind::Check => value
            .as_bool()
            .map(|_| ())
            .ok_or_else(|| "must be ticked or not".into()),
        ItemKind::YesNo => match value.as_str() {
            Some("yes" | "no") => Ok(()),
            _ => Err("must be yes or no".into()),
        },
        ItemKind::SingleChoice => match value.as_str() {
            Some(s) if item.options.iter().any(|o| o == s) => Ok(()),
            _ => Err("is not one of the options".into()),
        },
        ItemKind::MultipleChoice => match value.as_array() {
            Some(a)
                if a.iter()
                    .all(|v| v.as_str().is_some_and(|s| item.options.iter().any(|o| o == s))) =>
            {
                Ok(())
            }
            _ => Err("must be some of the options".into()),
        },
        ItemKind::ShortText => text(500),
        ItemKind::LongText => text(10_000),
        ItemKind::Number => match value {
            Value::Number(_) => Ok(()),
            _ => Err("must be a number".into()),
        },
        ItemKind::Date => {
            let mut m = Map::new();
            m.insert("date".into(), value.clone());
            check_date(&m, "date", true).map_err(|e| e.message)
        }
    }
}

/// One answer document (`answer:<run key>:<item>:<unique>`, append-only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// Document id.
    #[serde(skip)]
    pub id: String,
    /// The run's document id.
    pub run: String,
    /// The item's key.
    pub item: String,
    /// The answer (null clears it).
    pub value: Value,
    /// When it was given (RFC 3339, from the device's clock).
    pub at: String,
    /// Who gave it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

/// A run's status change (`runstatus:<run key>:<unique>`, append-only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    /// Document id.
    #[serde(skip)]
    pub id: String,
    /// The run's document id.
    pub run: String,
    /// `complete` or `reopened`.
    pub status: RunStatus,
    /// When.
    pub at: String,
    /// Who.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

named_enum!(
    /// Where a run stands.
    RunStatus {
        /// Being filled in.
        InProgress = "in_progress",
        /// Completed (all required items answered).
        Complete = "complete",
        /// Reopened to amend.
        Reopened = "reopened",
    }
);

/// A run of a template (`run:<key>`): which version, and what it is for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Run {
    /// Document id.
    #[serde(skip)]
    pub id: String,
    /// The template version's document id (kept for the life of the run).
    pub template: String,
    /// A title the person gives (or the template's).
    pub title: String,
    /// The day it started, `YYYY-MM-DD`.
    pub started: String,
    /// Who started it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub started_by: String,
    /// The partner it is for (`partner:…`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub partner: String,
    /// The area it is for (`area:…`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub area: String,
    /// The group it is for (`group:…`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// The event it is for, in words.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub event: String,
}

/// A run as it stands: the current answer to each item and its history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunState {
    /// The current value of each answered item (cleared items are absent).
    pub answers: BTreeMap<String, Value>,
    /// Every answer given to each item, oldest first.
    pub history: BTreeMap<String, Vec<Answer>>,
    /// Current status.
    pub status: Option<RunStatus>,
}

impl RunState {
    /// Folds a run's answers and status changes (any order) into its state.
    pub fn new(
        answers: impl IntoIterator<Item = Answer>,
        statuses: impl IntoIterator<Item = StatusChange>,
    ) -> RunState {
        let mut history: BTreeMap<String, Vec<Answer>> = BTreeMap::new();
        for a in answers {
            history.entry(a.item.clone()).or_default().push(a);
        }
        let mut current = BTreeMap::new();
        for (item, list) in history.iter_mut() {
            list.sort_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)));
            if let Some(last) = list.last().filter(|a| is_answered(&a.value)) {
                current.insert(item.clone(), last.value.clone());
            }
        }
        let status = statuses
            .into_iter()
            .max_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)))
            .map(|s| s.status);
        RunState {
            answers: current,
            history,
            status,
        }
    }

    /// (answered items, all items) of the template.
    pub fn progress(&self, t: &Template) -> (usize, usize) {
        let total = t.items().count();
        let answered = t.items().filter(|i| self.answers.contains_key(&i.key)).count();
        (answered, total)
    }

    /// Required items not answered yet, in order.
    pub fn missing_required<'a>(&self, t: &'a Template) -> Vec<&'a Item> {
        t.items()
            .filter(|i| i.required && !self.answers.contains_key(&i.key))
            .collect()
    }

    /// Whether the run can be marked complete now.
    pub fn can_complete(&self, t: &Template) -> bool {
        self.missing_required(t).is_empty()
    }

    /// Whether the run is complete (and not reopened since).
    pub fn is_complete(&self) -> bool {
        self.status == Some(RunStatus::Complete)
    }
}

/// A door-to-door visit (`visit:<shift key>:<unique>`): where (an area and a street segment, no
/// address unless the resident agreed), what happened, and what was asked for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    /// Document id.
    #[serde(skip)]
    pub id: String,
    /// The shift's document id.
    pub shift: String,
    /// The area (`area:…`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub area: String,
    /// Block or street segment ("300 block of Elm").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub segment: String,
    /// What happened.
    pub outcome: Outcome,
    /// Language spoken at the door.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// Needs raised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// Referred to this partner (`partner:…`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub referral: String,
    /// The resident wants a follow-up.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follow_up: bool,
    /// The resident agreed to be contacted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub consent: bool,
    /// Name, phone or address: only with consent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact: String,
    /// When (RFC 3339).
    pub at: String,
    /// Who knocked.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

/// Visits per outcome, in outcome order.
pub fn tally<'a>(visits: impl IntoIterator<Item = &'a Visit>) -> Vec<(Outcome, usize)> {
    let mut counts: HashMap<Outcome, usize> = HashMap::new();
    for v in visits {
        *counts.entry(v.outcome).or_default() += 1;
    }
    Outcome::ALL
        .iter()
        .map(|o| (*o, counts.get(o).copied().unwrap_or(0)))
        .collect()
}

/// An area of the workspace (`area:<key>`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// Document id.
    #[serde(skip)]
    pub id: String,
    /// Name as the workspace uses it.
    pub name: String,
    /// Neighbourhood, precinct, tract, …
    pub kind: AreaKind,
    /// Notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// An underserved group the task force identified (`group:<key>`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Document id.
    #[serde(skip)]
    pub id: String,
    /// Name.
    pub name: String,
    /// Why it is considered underserved.
    pub why: String,
    /// Who identified it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub identified_by: String,
    /// When, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub identified_on: String,
}

/// Areas with no visit in the last `days` days before `today` (or none ever), with the day of
/// their last visit; the longest unvisited first.
pub fn unvisited_areas<'a>(
    areas: &'a [Area],
    visits: &[Visit],
    today: &str,
    days: u32,
) -> Vec<(&'a Area, Option<String>)> {
    let mut last: HashMap<&str, &str> = HashMap::new();
    for v in visits {
        let day = v.at.get(..10).unwrap_or("");
        let e = last.entry(v.area.as_str()).or_insert(day);
        if day > *e {
            *e = day;
        }
    }
    let cutoff = crate::partner::day_number(today).map(|t| t - i64::from(days));
    let mut out: Vec<(&Area, Option<String>)> = areas
        .iter()
        .map(|a| (a, last.get(a.id.as_str()).map(|d| d.to_string())))
        .filter(
            |(_, d)| match (d.as_deref().and_then(crate::partner::day_number), cutoff) {
                (Some(d), Some(c)) => d <= c,
                _ => true,
            },
        )
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.name.cmp(&b.0.name)));
    out
}

/// Groups with no run of the listening-session template (`template_slug`) linked to them.
pub fn groups_without_session<'a>(groups: &'a [Group], runs: &[Run], template_slug: &str) -> Vec<&'a Group> {
    let prefix = format!("template:{template_slug}:");
    groups
        .iter()
        .filter(|g| !runs.iter().any(|r| r.group == g.id && r.template.starts_with(&prefix)))
        .collect()
}

/// A door-to-door shift (`shift:<key>`): who, where, since when.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Shift {
    /// Document id.
    #[serde(skip)]
    pub id: String,
    /// The area (`area:…`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub area: String,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// Who.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
}

stored!(Run, "run", "run:");
stored!(Answer, "answer", "answer:");
stored!(StatusChange, "run_status", "runstatus:");
stored!(Shift, "shift", "shift:");
stored!(Visit, "visit", "visit:");
stored!(Area, "area", "area:");
stored!(Group, "group", "group:");

/// The key of a document id (`run:abc` → `abc`, `visit:s:v` → `v`): the last part.
pub fn key_of(id: &str) -> &str {
    id.rsplit(':').next().unwrap_or(id)
}

/// Validation of the checklist document types (dispatched from `validate_doc`).
pub fn validate(ty: &str, id: &str, body: &Map<String, Value>) -> Result<(), ValidationError> {
    match ty {
        TEMPLATE_TYPE => {
            let t = Template::from_doc(body)
                .ok_or_else(|| ValidationError::new("sections", "is not a checklist template"))?;
            t.check()?;
            if id != t.doc_id() {
                return Err(ValidationError::new(
                    "_id",
                    "a template version is stored as template:<slug>:v<version>",
                ));
            }
            Ok(())
        }
        "run" => {
            reference(body, "template", "template:", true)?;
            required_text(body, "title", 200)?;
            check_date(body, "started", true)?;
            reference(body, "partner", "partner:", false)?;
            reference(body, "area", "area:", false)?;
            reference(body, "group", "group:", false)?;
            optional_text(body, "event", 300)?;
            optional_text(body, "started_by", 200)?;
            Ok(())
        }
        "answer" => {
            reference(body, "run", "run:", true)?;
            required_text(body, "item", 80)?;
            required_text(body, "at", 40)?;
            optional_text(body, "by", 200)?;
            if !body.contains_key("value") {
                return Err(ValidationError::new("value", "is required (null clears an answer)"));
            }
            Ok(())
        }
        "run_status" => {
            reference(body, "run", "run:", true)?;
            one_of(body, "status", RunStatus::parse, true)?;
            required_text(body, "at", 40)?;
            Ok(())
        }
        "shift" => {
            reference(body, "area", "area:", false)?;
            required_text(body, "started_at", 40)?;
            optional_text(body, "by", 200)?;
            Ok(())
        }
        "visit" => {
            reference(body, "shift", "shift:", true)?;
            reference(body, "area", "area:", false)?;
            reference(body, "referral", "partner:", false)?;
            one_of(body, "outcome", Outcome::parse, true)?;
            optional_text(body, "segment", 200)?;
            optional_text(body, "language", 100)?;
            text_list(body, "needs")?;
            required_text(body, "at", 40)?;
            let consent = body.get("consent").and_then(Value::as_bool).unwrap_or(false);
            let contact = optional_text(body, "contact", 500)?;
            if !contact.is_empty() && !consent {
                return Err(ValidationError::new(
                    "contact",
                    "names, phones and addresses are kept only when the resident agrees to be contacted",
                ));
            }
            Ok(())
        }
        "area" => {
            required_text(body, "name", 200)?;
            one_of(body, "kind", AreaKind::parse, true)?;
            optional_text(body, "notes", 2000)?;
            Ok(())
        }
        "group" => {
            required_text(body, "name", 200)?;
            required_text(body, "why", 2000)?;
            optional_text(body, "identified_by", 200)?;
            check_date(body, "identified_on", false)?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The document types this module validates.
pub const TYPES: &[&str] = &[
    TEMPLATE_TYPE,
    "run",
    "answer",
    "run_status",
    "shift",
    "visit",
    "area",
    "group",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::validate_doc;
    use serde_json::json;

    const TOML: &str = r#"
version = 1
title = "Door-to-door visit"
summary = "What to bring and ask at each door."

[[sections]]
title = "Before"
[[sections.items]]
key = "materials"
kind = "check"
label = "Flyers in the languages of the area"
required = true
toolkit = "who-speaks-for-a-community"

[[sections]]
title = "At the door"
[[sections.items]]
key = "language"
kind = "single_choice"
label = "Language spoken"
options = ["English", "Spanish", "Polish"]
[[sections.items]]
key = "needs"
kind = "multiple_choice"
label = "Needs raised"
options = ["Housing", "Food", "Jobs"]
[[sections.items]]
key = "count"
kind = "number"
label = "People at the door"
[[sections.items]]
key = "when"
kind = "date"
label = "Follow up on"
required = true
"#;

    fn t() -> Template {
        Template::parse("door-to-door", TOML).unwrap()
    }

    fn answer(item: &str, value: Value, at: &str, id: &str) -> Answer {
        Answer {
            id: id.into(),
            run: "run:r".into(),
            item: item.into(),
            value,
            at: at.into(),
            by: String::new(),
        }
    }

    #[test]
    fn a_template_file_parses_and_round_trips_as_a_document() {
        let t = t();
        assert_eq!(t.doc_id(), "template:door-to-door:v1");
        assert_eq!(t.items().count(), 5);
        assert_eq!(Template::from_doc(&t.to_body()), Some(t.clone()));
        assert_eq!(validate_doc(&t.doc_id(), &t.to_body()), Ok(()));
        assert_eq!(
            validate_doc("template:door-to-door:v2", &t.to_body())
                .unwrap_err()
                .field,
            "_id"
        );
    }

    #[test]
    fn template_rules_name_the_problem() {
        let bad = |edit: &dyn Fn(&mut Template)| {
            let mut x = t();
            edit(&mut x);
            x.check().unwrap_err().field
        };
        assert_eq!(bad(&|x| x.title.clear()), "title");
        assert_eq!(bad(&|x| x.version = 0), "version");
        assert_eq!(bad(&|x| x.sections.clear()), "sections");
        assert_eq!(
            bad(&|x| x.sections[1].items[0].options = vec!["only".into()]),
            "items.language.options"
        );
        assert_eq!(
            bad(&|x| x.sections[1].items[2].options = vec!["a".into(), "b".into()]),
            "items.count.options"
        );
        assert_eq!(
            bad(&|x| x.sections[1].items[1].key = "language".into()),
            "items.language.key"
        );
        assert_eq!(bad(&|x| x.sections[0].items[0].key = "Bad Key".into()), "items");
        assert!(Template::parse(
            "x",
            "version = 1\ntitle = 'T'\nsummary = 'S'\nsections = []\nsurprise = 1"
        )
        .is_err());
    }

    #[test]
    fn answers_are_checked_against_their_item() {
        let t = t();
        let ok = |k: &str, v: Value| check_answer(t.item(k).unwrap(), &v);
        assert!(ok("materials", json!(true)).is_ok());
        assert!(ok("materials", json!("yes")).is_err());
        assert!(ok("language", json!("Polish")).is_ok());
        assert!(ok("language", json!("Klingon")).is_err());
        assert!(ok("needs", json!(["Food", "Jobs"])).is_ok());
        assert!(ok("needs", json!(["Food", "Magic"])).is_err());
        assert!(ok("count", json!(3)).is_ok());
        assert!(ok("count", json!("three")).is_err());
        assert!(ok("when", json!("2026-02-30")).is_err());
        assert!(ok("when", json!("2026-03-01")).is_ok());
        assert!(ok("when", json!("")).is_ok(), "clearing is allowed");
    }

    #[test]
    fn latest_answer_wins_history_is_kept_and_completion_needs_required_items() {
        let t = t();
        let s = RunState::new(
            [
                answer(
                    "language",
                    json!("Spanish"),
                    "2026-11-22T10:00:00Z",
                    "answer:r:language:b",
                ),
                answer(
                    "language",
                    json!("Polish"),
                    "2026-11-22T10:05:00Z",
                    "answer:r:language:a",
                ),
                answer("materials", json!(true), "2026-11-22T09:00:00Z", "answer:r:materials:a"),
                answer(
                    "materials",
                    json!(false),
                    "2026-11-22T09:30:00Z",
                    "answer:r:materials:b",
                ),
            ],
            [],
        );
        assert_eq!(s.answers.get("language"), Some(&json!("Polish")));
        assert_eq!(s.history["language"].len(), 2);
        assert!(!s.answers.contains_key("materials"), "unticked later");
        assert_eq!(s.progress(&t), (1, 5));
        let missing: Vec<&str> = s.missing_required(&t).iter().map(|i| i.key.as_str()).collect();
        assert_eq!(missing, ["materials", "when"]);
        assert!(!s.can_complete(&t));

        // Same time on two devices: the greater id wins everywhere.
        let a = answer("when", json!("2026-12-01"), "2026-11-22T11:00:00Z", "answer:r:when:a");
        let b = answer("when", json!("2026-12-02"), "2026-11-22T11:00:00Z", "answer:r:when:b");
        let one = RunState::new([a.clone(), b.clone()], []);
        let two = RunState::new([b, a], []);
        assert_eq!(one.answers, two.answers);
        assert_eq!(one.answers["when"], json!("2026-12-02"));

        let done = RunState::new(
            [
                answer("materials", json!(true), "2026-11-22T09:00:00Z", "x1"),
                answer("when", json!("2026-12-01"), "2026-11-22T09:00:00Z", "x2"),
            ],
            [
                StatusChange {
                    id: "s1".into(),
                    run: "run:r".into(),
                    status: RunStatus::Complete,
                    at: "2026-11-22T12:00:00Z".into(),
                    by: String::new(),
                },
                StatusChange {
                    id: "s2".into(),
                    run: "run:r".into(),
                    status: RunStatus::Reopened,
                    at: "2026-11-23T08:00:00Z".into(),
                    by: String::new(),
                },
            ],
        );
        assert!(done.can_complete(&t));
        assert_eq!(done.status, Some(RunStatus::Reopened));
        assert!(!done.is_complete());
    }

    #[test]
    fn an_edit_is_the_next_version_and_round_trips_through_toml() {
        let v1 = t();
        let text = v1.to_toml();
        assert!(!text.contains("slug"), "{text}");
        let same = v1.next_version(&text).unwrap();
        assert_eq!(same.version, 2);
        assert_eq!(same.sections, v1.sections);
        let edited = text
            .replace("Door-to-door visit", "Door-to-door visit, revised")
            .replace("version = 1", "version = 7");
        let v2 = v1.next_version(&edited).unwrap();
        assert_eq!((v2.version, v2.title.as_str()), (2, "Door-to-door visit, revised"));
        assert_eq!(v2.doc_id(), "template:door-to-door:v2");
        assert!(v1.next_version("title = ").is_err());
        assert!(v1
            .next_version(&text.replace("kind = \"number\"", "kind = \"essay\""))
            .is_err());
    }

    #[test]
    fn newest_version_of_each_template() {
        let v1 = t();
        let mut v2 = t();
        v2.version = 2;
        v2.title = "Door-to-door visit (revised)".into();
        let latest = latest([&v2, &v1]);
        assert_eq!(latest["door-to-door"].version, 2);
        assert_eq!(latest.len(), 1);
    }

    #[test]
    fn visits_tally_and_keep_contact_details_only_with_consent() {
        let visit = |outcome: Outcome, area: &str, at: &str| Visit {
            id: String::new(),
            shift: "shift:s".into(),
            area: area.into(),
            segment: String::new(),
            outcome,
            language: String::new(),
            needs: vec![],
            referral: String::new(),
            follow_up: false,
            consent: false,
            contact: String::new(),
            at: at.into(),
            by: String::new(),
        };
        let vs = [
            visit(Outcome::Talked, "area:a", "2026-11-20T10:00:00Z"),
            visit(Outcome::NotHome, "area:a", "2026-09-01T10:00:00Z"),
            visit(Outcome::NotHome, "area:b", "2026-06-01T10:00:00Z"),
        ];
        assert_eq!(
            tally(&vs),
            vec![
                (Outcome::Talked, 1),
                (Outcome::NotHome, 2),
                (Outcome::Declined, 0),
                (Outcome::ComeBack, 0)
            ]
        );
        let body = |v: Value| v.as_object().unwrap().clone();
        let base = json!({"type": "visit", "shift": "shift:s", "outcome": "talked", "at": "2026-11-22T10:00:00Z"});
        assert_eq!(validate_doc("visit:s:1", &body(base.clone())), Ok(()));
        let mut no_consent = base.clone();
        no_consent["contact"] = json!("12 Elm St");
        assert_eq!(
            validate_doc("visit:s:1", &body(no_consent.clone())).unwrap_err().field,
            "contact"
        );
        no_consent["consent"] = json!(true);
        assert_eq!(validate_doc("visit:s:1", &body(no_consent)), Ok(()));
        let mut bad = base;
        bad["outcome"] = json!("chased by dog");
        assert_eq!(validate_doc("visit:s:1", &body(bad)).unwrap_err().field, "outcome");

        // Where haven't we been: b (June) and c (never) in the last 60 days; a was visited.
        let area = |id: &str, name: &str| Area {
            id: id.into(),
            name: name.into(),
            kind: AreaKind::Neighbourhood,
            notes: String::new(),
        };
        let areas = [area("area:a", "Alpha"), area("area:b", "Beta"), area("area:c", "Gamma")];
        let gaps: Vec<(&str, Option<String>)> = unvisited_areas(&areas, &vs, "2026-11-22", 60)
            .into_iter()
            .map(|(a, d)| (a.name.as_str(), d))
            .collect();
        assert_eq!(gaps, vec![("Gamma", None), ("Beta", Some("2026-06-01".into()))]);
        assert_eq!(unvisited_areas(&areas, &vs, "2026-11-22", 1).len(), 3);
    }

    #[test]
    fn groups_without_a_listening_session() {
        let g = |id: &str| Group {
            id: id.into(),
            name: id.into(),
            why: "not reached".into(),
            identified_by: String::new(),
            identified_on: String::new(),
        };
        let groups = [g("group:renters"), g("group:seniors")];
        let runs = [
            Run {
                template: "template:listening-session:v2".into(),
                group: "group:renters".into(),
                ..Default::default()
            },
            Run {
                template: "template:door-to-door:v1".into(),
                group: "group:seniors".into(),
                ..Default::default()
            },
        ];
        let left: Vec<&str> = groups_without_session(&groups, &runs, "listening-session")
            .iter()
            .map(|g| g.id.as_str())
            .collect();
        assert_eq!(left, ["group:seniors"]);
        let body = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(
            validate_doc("group:x", &body(json!({"type": "group", "name": "Renters"})))
                .unwrap_err()
                .field,
            "why"
        );
        assert_eq!(
            validate_doc(
                "run:x",
                &body(json!({"type": "run", "template": "door", "title": "T", "started": "2026-11-22"}))
            )
            .unwrap_err()
            .field,
            "template"
        );
    }
}
