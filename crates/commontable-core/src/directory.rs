//! The partner directory in memory: every partner with its contacts, stage history and
//! interactions, a search index over what people look for, and the questions the screens ask
//! (filter and sort, who reaches which population, which departments hold which relationship).
//!
//! It is built from stored documents and kept current one document at a time ([`Directory::apply`]),
//! so a change on the device or from sync costs one partner's worth of work, not a rebuild.
//! "Today" is always passed in: the core has no clock.

use crate::partner::{day_number, AssetCategory, Contact, Interaction, Partner, PartnerKind, Stage, StageChange};
use crate::search::{tokenize, SearchIndex};
use crate::stored::Stored;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What the directory knows about one partner beyond its own document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// The current relationship stage (latest stage change), if any.
    pub stage: Option<Stage>,
    /// The date of the latest interaction, `YYYY-MM-DD`.
    pub last_contact: Option<String>,
    /// The earliest follow-up date among interactions, `YYYY-MM-DD`.
    pub next_follow_up: Option<String>,
}

/// How the list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// A to Z.
    #[default]
    Name,
    /// Most recent contact first; never contacted last.
    LastContact,
    /// Strongest relationship first (collaboration, coordination, partnership, none).
    Stage,
}

impl Sort {
    /// Every order, as offered.
    pub const ALL: [Sort; 3] = [Sort::Name, Sort::LastContact, Sort::Stage];

    /// The name used in addresses.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::LastContact => "last_contact",
            Sort::Stage => "stage",
        }
    }

    /// The order with this name.
    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// What the list shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartnerFilter {
    /// Words typed in the search box (every word must match, as a prefix).
    pub query: String,
    /// Only this kind.
    pub kind: Option<PartnerKind>,
    /// Only this stage.
    pub stage: Option<Stage>,
    /// Only partners offering this language (compared without case).
    pub language: Option<String>,
    /// Only partners reaching this population (compared without case).
    pub population: Option<String>,
    /// Only partners this department owns or also works with (compared without case).
    pub department: Option<String>,
    /// Only partners with no interaction in this many days (or none ever).
    pub quiet_days: Option<u32>,
    /// The order.
    pub sort: Sort,
}

/// The partner directory.
#[derive(Default)]
pub struct Directory {
    partners: HashMap<String, Partner>,
    contacts: HashMap<String, Contact>,
    stages: HashMap<String, StageChange>,
    interactions: HashMap<String, Interaction>,
    contacts_of: HashMap<String, BTreeSet<String>>,
    stages_of: HashMap<String, BTreeSet<String>>,
    interactions_of: HashMap<String, BTreeSet<String>>,
    facts: HashMap<String, Facts>,
    keys: HashMap<String, Keys>,
    index: SearchIndex,
    /// Partner ids in name order (rebuilt lazily after a change).
    by_name: Vec<String>,
    by_name_stale: bool,
}

/// What filtering and sorting compare, worked out once per partner change rather than once
/// per keystroke.
#[derive(Default)]
struct Keys {
    languages: Vec<String>,
    populations: Vec<String>,
    departments: Vec<String>,
    last_day: Option<i64>,
    stage_rank: u8,
}

fn fold(s: &str) -> String {
    tokenize(s).collect::<Vec<_>>().join(" ")
}

fn has_folded(list: &[String], wanted: &str) -> bool {
    list.iter().any(|x| fold(x) == wanted)
}

impl Directory {
    /// An empty directory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a directory from stored documents (deleted ones already left out).
    pub fn from_docs<'a>(docs: impl IntoIterator<Item = (&'a str, &'a Map<String, Value>)>) -> Self {
        let mut d = Directory::new();
        d.add_all(docs);
        d
    }

    /// Takes many new documents into account at once (each partner is refreshed once): how a
    /// device adds the interactions after showing the list.
    pub fn add_all<'a>(&mut self, docs: impl IntoIterator<Item = (&'a str, &'a Map<String, Value>)>) {
        self.apply_all(docs.into_iter().map(|(id, b)| (id, Some(b))));
    }

    /// Number of partners.
    pub fn len(&self) -> usize {
        self.partners.len()
    }

    /// True when there are no partners.
    pub fn is_empty(&self) -> bool {
        self.partners.is_empty()
    }

    /// Number of interactions.
    pub fn interaction_count(&self) -> usize {
        self.interactions.len()
    }

    /// Takes one stored document into account: a new or changed body, or `None` when it was
    /// deleted. Documents of other types are ignored.
    pub fn apply(&mut self, id: &str, body: Option<&Map<String, Value>>) {
        self.apply_all(std::iter::once((id, body)));
    }

    /// Takes many documents into account at once (each affected partner is refreshed once, and
    /// searched text is re-indexed only when a partner or contact changed).
    pub fn apply_all<'a>(&mut self, docs: impl IntoIterator<Item = (&'a str, Option<&'a Map<String, Value>>)>) {
        let mut touched: BTreeMap<String, bool> = BTreeMap::new();
        for (id, body) in docs {
            let searched = id.starts_with(Partner::PREFIX) || id.starts_with(Contact::PREFIX);
            let before = self.owner_of(id);
            self.forget(id);
            let after = body.and_then(|b| self.insert(id, b));
            for p in [before, after].into_iter().flatten() {
                *touched.entry(p).or_default() |= searched;
            }
        }
        for (p, reindex) in touched {
            self.refresh(&p, reindex);
        }
        self.by_name_stale = true;
    }

    /// The partner a document belongs to (itself for a partner).
    fn owner_of(&self, id: &str) -> Option<String> {
        if self.partners.contains_key(id) {
            return Some(id.to_string());
        }
        self.contacts
            .get(id)
            .map(|c| c.partner.clone())
            .or_else(|| self.stages.get(id).map(|s| s.partner.clone()))
            .or_else(|| self.interactions.get(id).map(|i| i.partner.clone()))
    }

    fn forget(&mut self, id: &str) {
        self.partners.remove(id);
        if let Some(c) = self.contacts.remove(id) {
            if let Some(set) = self.contacts_of.get_mut(&c.partner) {
                set.remove(id);
            }
        }
        if let Some(s) = self.stages.remove(id) {
            if let Some(set) = self.stages_of.get_mut(&s.partner) {
                set.remove(id);
            }
        }
        if let Some(i) = self.interactions.remove(id) {
            if let Some(set) = self.interactions_of.get_mut(&i.partner) {
                set.remove(id);
            }
        }
    }

    /// Stores a document; returns the partner it belongs to.
    fn insert(&mut self, id: &str, body: &Map<String, Value>) -> Option<String> {
        match body.get("type").and_then(Value::as_str)? {
            Partner::TYPE => {
                let p = Partner::from_doc(id, body)?;
                self.partners.insert(id.to_string(), p);
                Some(id.to_string())
            }
            Contact::TYPE => {
                let c = Contact::from_doc(id, body)?;
                let owner = c.partner.clone();
                self.contacts_of
                    .entry(owner.clone())
                    .or_default()
                    .insert(id.to_string());
                self.contacts.insert(id.to_string(), c);
                Some(owner)
            }
            StageChange::TYPE => {
                let s = StageChange::from_doc(id, body)?;
                let owner = s.partner.clone();
                self.stages_of.entry(owner.clone()).or_default().insert(id.to_string());
                self.stages.insert(id.to_string(), s);
                Some(owner)
            }
            Interaction::TYPE => {
                let i = Interaction::from_doc(id, body)?;
                let owner = i.partner.clone();
                self.interactions_of
                    .entry(owner.clone())
                    .or_default()
                    .insert(id.to_string());
                self.interactions.insert(id.to_string(), i);
                Some(owner)
            }
            _ => None,
        }
    }

    /// Recomputes one partner's facts (and its search entry when `reindex`).
    fn refresh(&mut self, partner_id: &str, reindex: bool) {
        let Some(p) = self.partners.get(partner_id) else {
            self.facts.remove(partner_id);
            self.keys.remove(partner_id);
            self.index.remove(partner_id);
            return;
        };
        let stage = self
            .stages_of
            .get(partner_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.stages.get(id))
            .map(|s| (s.date.as_str(), s.recorded_at.as_str(), s.id.as_str(), s.stage))
            .max()
            .map(|(_, _, _, s)| s);
        let interactions = || {
            self.interactions_of
                .get(partner_id)
                .into_iter()
                .flatten()
                .filter_map(|id| self.interactions.get(id))
        };
        let last_contact = interactions().map(|i| i.date.as_str()).max().map(String::from);
        let next_follow_up = interactions()
            .map(|i| i.follow_up.as_str())
            .filter(|f| !f.is_empty())
            .min()
            .map(String::from);
        if reindex || !self.index.contains(partner_id) {
            let contacts: Vec<String> = self
                .contacts_of
                .get(partner_id)
                .into_iter()
                .flatten()
                .filter_map(|id| self.contacts.get(id))
                .map(|c| format!("{} {} {}", c.name, c.role, c.preferred_language))
                .collect();
            let join = |v: &[String]| v.join(" ");
            let categories: Vec<String> = p
                .strength_categories
                .iter()
                .map(|c| c.as_str().replace('_', " "))
                .collect();
            let fields = [
                (p.name.as_str(), 4.0),
                (&join(&p.populations), 2.0),
                (&join(&p.languages), 2.0),
                (&join(&p.strengths), 1.5),
                (&join(&categories), 1.0),
                (&join(&contacts), 1.5),
                (&join(&p.tags), 1.5),
                (p.description.as_str(), 1.0),
            ];
            let fields: Vec<(&str, f32)> = fields.iter().map(|(t, w)| (*t, *w as f32)).collect();
            self.index.add(partner_id, &fields);
        }
        let folded = |v: &[String]| v.iter().map(|x| fold(x)).filter(|x| !x.is_empty()).collect::<Vec<_>>();
        let keys = Keys {
            languages: folded(&p.languages),
            populations: folded(&p.populations),
            departments: folded(&[&[p.owning_department.clone()][..], &p.other_departments[..]].concat()),
            last_day: last_contact.as_deref().and_then(day_number),
            stage_rank: stage.map_or(0, |s| s as u8 + 1),
        };
        self.keys.insert(partner_id.to_string(), keys);
        self.facts.insert(
            partner_id.to_string(),
            Facts {
                stage,
                last_contact,
                next_follow_up,
            },
        );
    }

    /// The ids of every partner, contact and stage change (what an exchange file can carry).
    pub fn doc_ids(&self) -> impl Iterator<Item = &str> {
        self.partners
            .keys()
            .chain(self.contacts.keys())
            .chain(self.stages.keys())
            .map(String::as_str)
    }

    /// One partner.
    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners.get(id)
    }

    /// A partner's facts.
    pub fn facts(&self, id: &str) -> Facts {
        self.facts.get(id).cloned().unwrap_or_default()
    }

    /// One contact.
    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.get(id)
    }

    /// A partner's contacts, by name.
    pub fn contacts(&self, partner_id: &str) -> Vec<&Contact> {
        let mut v: Vec<&Contact> = self
            .contacts_of
            .get(partner_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.contacts.get(id))
            .collect();
        v.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
        v
    }

    /// A partner's stage history, newest first.
    pub fn stage_history(&self, partner_id: &str) -> Vec<&StageChange> {
        let mut v: Vec<&StageChange> = self
            .stages_of
            .get(partner_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.stages.get(id))
            .collect();
        v.sort_by(|a, b| (&b.date, &b.recorded_at, &b.id).cmp(&(&a.date, &a.recorded_at, &a.id)));
        v
    }

    /// A partner's interactions, newest first.
    pub fn timeline(&self, partner_id: &str) -> Vec<&Interaction> {
        let mut v: Vec<&Interaction> = self
            .interactions_of
            .get(partner_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.interactions.get(id))
            .collect();
        v.sort_by(|a, b| (&b.date, &b.recorded_at, &b.id).cmp(&(&a.date, &a.recorded_at, &a.id)));
        v
    }

    fn name_order(&mut self) {
        if self.by_name_stale {
            let mut v: Vec<(String, &String)> = self
                .partners
                .iter()
                .map(|(id, p)| (p.name.to_lowercase(), id))
                .collect();
            v.sort();
            self.by_name = v.into_iter().map(|(_, id)| id.clone()).collect();
            self.by_name_stale = false;
        }
    }

    /// Brings the name order up to date; call after changes and before [`Directory::find`] so
    /// `find` can stay `&self` (the screens read the directory through a shared reference).
    pub fn prepare(&mut self) {
        self.name_order();
    }

    /// The partners the filter lets through, in its order. `today` is `YYYY-MM-DD` and only
    /// matters for `quiet_days`.
    pub fn find(&self, f: &PartnerFilter, today: &str) -> Vec<&Partner> {
        let hits: Option<HashSet<&str>> = tokenize(&f.query).next().map(|_| self.index.matching(&f.query));
        let language = f.language.as_deref().map(fold);
        let population = f.population.as_deref().map(fold);
        let department = f.department.as_deref().map(fold);
        let cutoff = f.quiet_days.and_then(|n| day_number(today).map(|t| t - i64::from(n)));
        let order: Vec<&String> = if self.by_name_stale {
            // Not prepared: fall back to sorting here (correct, just slower).
            let mut v: Vec<&String> = self.partners.keys().collect();
            v.sort_by_key(|id| (self.partners[*id].name.to_lowercase(), *id));
            v
        } else {
            self.by_name.iter().collect()
        };
        let none = Keys::default();
        let mut out: Vec<(&Partner, &Keys)> = order
            .into_iter()
            .filter_map(|id| Some((self.partners.get(id)?, self.keys.get(id).unwrap_or(&none))))
            .filter(|(p, k)| {
                hits.as_ref().is_none_or(|h| h.contains(p.id.as_str()))
                    && f.kind.is_none_or(|kind| p.kind == kind)
                    && f.stage.is_none_or(|s| k.stage_rank == s as u8 + 1)
                    && cutoff.is_none_or(|c| k.last_day.is_none_or(|d| d <= c))
                    && language.as_ref().is_none_or(|l| k.languages.contains(l))
                    && population.as_ref().is_none_or(|x| k.populations.contains(x))
                    && department.as_ref().is_none_or(|d| k.departments.contains(d))
            })
            .collect();
        match f.sort {
            Sort::Name => {}
            // Stable sorts: ties stay in name order.
            Sort::LastContact => out.sort_by_key(|(_, k)| std::cmp::Reverse(k.last_day)),
            Sort::Stage => out.sort_by_key(|(_, k)| std::cmp::Reverse(k.stage_rank)),
        }
        out.into_iter().map(|(p, _)| p).collect()
    }

    /// Distinct values of a list field over all partners (compared without case), A to Z.
    fn distinct(&self, pick: impl Fn(&Partner) -> Vec<&String>) -> Vec<String> {
        let mut m: BTreeMap<String, String> = BTreeMap::new();
        for p in self.partners.values() {
            for v in pick(p) {
                let k = fold(v);
                if !k.is_empty() {
                    // Of several spellings, the same one everywhere (capitals sort first).
                    let v = v.trim();
                    let e = m.entry(k).or_insert_with(|| v.to_string());
                    if v < e.as_str() {
                        *e = v.to_string();
                    }
                }
            }
        }
        m.into_values().collect()
    }

    /// Every language offered (for the filter).
    pub fn languages(&self) -> Vec<String> {
        self.distinct(|p| p.languages.iter().collect())
    }

    /// Every population reached (for the filter).
    pub fn populations(&self) -> Vec<String> {
        self.distinct(|p| p.populations.iter().collect())
    }

    /// Every department that owns or works with a relationship.
    pub fn departments(&self) -> Vec<String> {
        self.distinct(|p| {
            std::iter::once(&p.owning_department)
                .chain(&p.other_departments)
                .collect()
        })
    }

    /// "Who can help us reach X?": partners by strength category, each group by name.
    pub fn by_category(&self) -> Vec<(AssetCategory, Vec<&Partner>)> {
        AssetCategory::ALL
            .iter()
            .map(|c| {
                let mut v: Vec<&Partner> = self
                    .partners
                    .values()
                    .filter(|p| p.strength_categories.contains(c))
                    .collect();
                v.sort_by_key(|p| (p.name.to_lowercase(), p.id.clone()));
                (*c, v)
            })
            .collect()
    }

    /// Partners by population reached (populations A to Z, partners by name).
    pub fn by_population(&self) -> Vec<(String, Vec<&Partner>)> {
        self.populations()
            .into_iter()
            .map(|pop| {
                let k = fold(&pop);
                let mut v: Vec<&Partner> = self
                    .partners
                    .values()
                    .filter(|p| has_folded(&p.populations, &k))
                    .collect();
                v.sort_by_key(|p| (p.name.to_lowercase(), p.id.clone()));
                (pop, v)
            })
            .collect()
    }

    /// The departments that hold a relationship with a partner, owner first.
    pub fn departments_of(&self, p: &Partner) -> Vec<String> {
        let mut seen = BTreeSet::new();
        std::iter::once(&p.owning_department)
            .chain(&p.other_departments)
            .filter(|d| !d.trim().is_empty() && seen.insert(fold(d)))
            .map(|d| d.trim().to_string())
            .collect()
    }

    /// Relationships held by department: each department with the partners it owns or works
    /// with (and whether it owns each). A partner under several departments shows under each.
    pub fn by_department(&self) -> Vec<(String, Vec<(&Partner, bool)>)> {
        self.departments()
            .into_iter()
            .map(|dept| {
                let k = fold(&dept);
                let mut v: Vec<(&Partner, bool)> = self
                    .partners
                    .values()
                    .filter_map(|p| {
                        let owns = fold(&p.owning_department) == k;
                        (owns || has_folded(&p.other_departments, &k)).then_some((p, owns))
                    })
                    .collect();
                v.sort_by_key(|(p, _)| (p.name.to_lowercase(), p.id.clone()));
                (dept, v)
            })
            .collect()
    }

    /// Every partner, by name.
    pub fn all(&self) -> Vec<&Partner> {
        self.find(&PartnerFilter::default(), "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn sample() -> Directory {
        let docs = [
            (
                "partner:lib",
                json!({"type": "partner", "name": "Northwest Library", "kind": "library",
                "languages": ["English", "Polish"], "populations": ["Seniors", "Polish-speaking families"],
                "strength_categories": ["physical_spaces"], "owning_department": "Library",
                "other_departments": ["Parks", "library"]}),
            ),
            (
                "partner:mosque",
                json!({"type": "partner", "name": "Al-Noor Center", "kind": "faith_community",
                "languages": ["Arabic", "english"], "populations": ["Muslim families", "seniors"],
                "strength_categories": ["associations", "cultural"], "owning_department": "Parks"}),
            ),
            (
                "partner:food",
                json!({"type": "partner", "name": "Community Food Pantry", "kind": "non_profit",
                "languages": ["Spanish"], "populations": ["Low-income households"],
                "description": "Weekly pantry and a mobile van", "owning_department": "Human Services"}),
            ),
            (
                "contact:lib:1",
                json!({"type": "contact", "partner": "partner:lib", "name": "Ana Kowalska", "role": "Outreach librarian"}),
            ),
            (
                "stage:lib:1",
                json!({"type": "stage_change", "partner": "partner:lib", "stage": "partnership", "date": "2025-01-01"}),
            ),
            (
                "stage:lib:2",
                json!({"type": "stage_change", "partner": "partner:lib", "stage": "collaboration", "date": "2026-06-01"}),
            ),
            (
                "stage:food:1",
                json!({"type": "stage_change", "partner": "partner:food", "stage": "coordination", "date": "2026-02-01"}),
            ),
            (
                "interaction:lib:1",
                json!({"type": "interaction", "partner": "partner:lib", "kind": "meeting", "date": "2026-11-01", "follow_up": "2026-12-01"}),
            ),
            (
                "interaction:food:1",
                json!({"type": "interaction", "partner": "partner:food", "kind": "call", "date": "2026-03-01"}),
            ),
            ("toolkit:x", json!({"type": "toolkit_entry", "title": "not a partner"})),
        ];
        let docs: Vec<(String, Map<String, Value>)> = docs.into_iter().map(|(i, v)| (i.to_string(), obj(v))).collect();
        let mut d = Directory::from_docs(docs.iter().map(|(i, b)| (i.as_str(), b)));
        d.prepare();
        d
    }

    fn names(v: Vec<&Partner>) -> Vec<&str> {
        v.into_iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn facts_come_from_stage_changes_and_interactions() {
        let d = sample();
        assert_eq!(d.len(), 3);
        let f = d.facts("partner:lib");
        assert_eq!(f.stage, Some(Stage::Collaboration));
        assert_eq!(f.last_contact.as_deref(), Some("2026-11-01"));
        assert_eq!(f.next_follow_up.as_deref(), Some("2026-12-01"));
        assert_eq!(d.facts("partner:mosque"), Facts::default());
        assert_eq!(d.stage_history("partner:lib")[0].stage, Stage::Collaboration);
        assert_eq!(d.contacts("partner:lib")[0].name, "Ana Kowalska");
    }

    #[test]
    fn search_reaches_contacts_populations_and_descriptions() {
        let d = sample();
        let q = |s: &str| {
            names(d.find(
                &PartnerFilter {
                    query: s.into(),
                    ..Default::default()
                },
                "2026-11-22",
            ))
        };
        assert_eq!(q("kowal"), ["Northwest Library"]);
        assert_eq!(q("muslim"), ["Al-Noor Center"]);
        assert_eq!(q("van"), ["Community Food Pantry"]);
        assert_eq!(q("polish"), ["Northwest Library"]);
        assert!(q("zzz").is_empty());
    }

    #[test]
    fn filters_combine_and_compare_without_case() {
        let d = sample();
        let find = |f: PartnerFilter| names(d.find(&f, "2026-11-22"));
        assert_eq!(
            find(PartnerFilter {
                language: Some("ENGLISH".into()),
                ..Default::default()
            }),
            ["Al-Noor Center", "Northwest Library"]
        );
        assert_eq!(
            find(PartnerFilter {
                population: Some("seniors".into()),
                kind: Some(PartnerKind::Library),
                ..Default::default()
            }),
            ["Northwest Library"]
        );
        assert_eq!(
            find(PartnerFilter {
                department: Some("parks".into()),
                ..Default::default()
            }),
            ["Al-Noor Center", "Northwest Library"]
        );
        assert_eq!(
            find(PartnerFilter {
                stage: Some(Stage::Coordination),
                ..Default::default()
            }),
            ["Community Food Pantry"]
        );
        // 90 quiet days before 2026-11-22: the pantry (March) and the center (never).
        assert_eq!(
            find(PartnerFilter {
                quiet_days: Some(90),
                ..Default::default()
            }),
            ["Al-Noor Center", "Community Food Pantry"]
        );
    }

    #[test]
    fn the_stage_recorded_last_wins_on_the_same_day_and_ties_agree_everywhere() {
        let change = |id: &str, stage: &str, at: &str| {
            (
                id.to_string(),
                obj(
                    json!({"type": "stage_change", "partner": "partner:p", "stage": stage, "date": "2026-11-22", "recorded_at": at}),
                ),
            )
        };
        let partner = (
            "partner:p".to_string(),
            obj(json!({"type": "partner", "name": "P", "kind": "other"})),
        );
        // The later recording has the smaller id: time decides, not the id.
        let docs = vec![
            partner.clone(),
            change("stage:p:ffff", "partnership", "2026-11-22T09:00:00Z"),
            change("stage:p:0000", "collaboration", "2026-11-22T15:00:00Z"),
        ];
        let d = Directory::from_docs(docs.iter().map(|(i, b)| (i.as_str(), b)));
        assert_eq!(d.facts("partner:p").stage, Some(Stage::Collaboration));
        assert_eq!(d.stage_history("partner:p")[0].id, "stage:p:0000");
        // Same date and time on two devices: the greater id, whatever the order of arrival.
        let a = change("stage:p:a", "partnership", "2026-11-22T09:00:00Z");
        let b = change("stage:p:b", "coordination", "2026-11-22T09:00:00Z");
        for docs in [vec![partner.clone(), a.clone(), b.clone()], vec![partner.clone(), b, a]] {
            let d = Directory::from_docs(docs.iter().map(|(i, b)| (i.as_str(), b)));
            assert_eq!(d.facts("partner:p").stage, Some(Stage::Coordination));
        }
    }

    #[test]
    fn sorts_by_name_last_contact_and_stage() {
        let d = sample();
        let sorted = |sort| {
            names(d.find(
                &PartnerFilter {
                    sort,
                    ..Default::default()
                },
                "",
            ))
        };
        assert_eq!(
            sorted(Sort::Name),
            ["Al-Noor Center", "Community Food Pantry", "Northwest Library"]
        );
        assert_eq!(
            sorted(Sort::LastContact),
            ["Northwest Library", "Community Food Pantry", "Al-Noor Center"]
        );
        assert_eq!(
            sorted(Sort::Stage),
            ["Northwest Library", "Community Food Pantry", "Al-Noor Center"]
        );
    }

    #[test]
    fn applying_changes_keeps_facts_and_search_current() {
        let mut d = sample();
        d.apply(
            "interaction:mosque:1",
            Some(&obj(
                json!({"type": "interaction", "partner": "partner:mosque", "kind": "joint_event", "date": "2026-11-20"}),
            )),
        );
        d.apply(
            "partner:food",
            Some(&obj(
                json!({"type": "partner", "name": "Eastside Pantry", "kind": "non_profit"}),
            )),
        );
        d.apply("stage:lib:2", None);
        d.apply("contact:lib:1", None);
        d.prepare();
        assert_eq!(d.facts("partner:mosque").last_contact.as_deref(), Some("2026-11-20"));
        assert_eq!(d.facts("partner:lib").stage, Some(Stage::Partnership));
        assert_eq!(
            d.facts("partner:food").stage,
            Some(Stage::Coordination),
            "stage history outlives an edit"
        );
        fn q<'a>(d: &'a Directory, s: &str) -> Vec<&'a str> {
            let f = PartnerFilter {
                query: s.into(),
                ..Default::default()
            };
            names(d.find(&f, ""))
        }
        assert!(q(&d, "kowal").is_empty(), "a deleted contact is no longer found");
        assert_eq!(q(&d, "eastside"), ["Eastside Pantry"]);
        assert!(q(&d, "community").is_empty());
        d.apply("partner:food", None);
        d.prepare();
        assert_eq!(d.len(), 2);
        assert!(q(&d, "eastside").is_empty());
    }

    #[test]
    fn asset_and_department_views_group_partners() {
        let d = sample();
        let cats = d.by_category();
        let spaces = cats.iter().find(|(c, _)| *c == AssetCategory::PhysicalSpaces).unwrap();
        assert_eq!(names(spaces.1.clone()), ["Northwest Library"]);
        let pops = d.by_population();
        let seniors = pops.iter().find(|(p, _)| p == "Seniors").unwrap();
        assert_eq!(names(seniors.1.clone()), ["Al-Noor Center", "Northwest Library"]);
        assert!(!pops.iter().any(|(p, _)| p == "seniors"), "the same population once");
        let depts = d.by_department();
        let parks = depts.iter().find(|(n, _)| n == "Parks").unwrap();
        let held: Vec<(&str, bool)> = parks.1.iter().map(|(p, o)| (p.name.as_str(), *o)).collect();
        assert_eq!(held, [("Al-Noor Center", true), ("Northwest Library", false)]);
        assert_eq!(
            d.departments_of(d.partner("partner:lib").unwrap()),
            ["Library", "Parks"]
        );
    }
}
