//! Moving the partner directory in and out: Open Referral HSDS 3 JSON (export and import), CSV
//! (export) and vCard (one contact).
//!
//! HSDS has organizations, contacts, phones, locations with addresses and languages, and
//! attributes that link an entity to a taxonomy term. What HSDS has no field for (kind, asset
//! categories, strengths, populations, departments, tags, service area, the stage history, a
//! contact's preferred language and whom they speak for) travels as attributes under
//! `commontable:*` taxonomies, so an export read back gives the same partners. Interactions stay
//! in the directory: they are working notes, not directory data.
//!
//! HSDS ids are UUIDs. A document whose id ends in a UUID (everything the app creates or
//! imports) uses it; older ids get a stable name-based UUID. Import maps each UUID back to the
//! document that already has it, so nothing is imported twice.

use crate::directory::Directory;
use crate::partner::{child_id, AssetCategory, Contact, Partner, PartnerKind, Stage, StageChange};
use crate::stored::Stored;
use crate::validate::validate_doc;
use md5::{Digest, Md5};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

/// Whether `s` is written as a UUID (8-4-4-4-12 hex digits).
pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A stable name-based UUID (MD5, version 3 layout) for `name`.
pub fn name_uuid(name: &str) -> String {
    let mut h: [u8; 16] = Md5::digest(format!("commontable:{name}").as_bytes()).into();
    h[6] = (h[6] & 0x0f) | 0x30;
    h[8] = (h[8] & 0x3f) | 0x80;
    let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The HSDS id of a document: the UUID its id ends with, or a stable one made from the id.
pub fn hsds_id(doc_id: &str) -> String {
    match doc_id.rsplit(':').next() {
        Some(last) if is_uuid(last) => last.to_ascii_lowercase(),
        _ => name_uuid(doc_id),
    }
}

const TAX: &str = "commontable:";

fn attribute(owner: &str, entity: &str, taxonomy: &str, code: &str, value: &str) -> Value {
    let term_id = name_uuid(&format!("{taxonomy}/{code}"));
    json!({
        "id": name_uuid(&format!("{owner}/{taxonomy}/{code}/{value}")),
        "link_id": owner,
        "link_type": taxonomy,
        "link_entity": entity,
        "taxonomy_term_id": term_id,
        "taxonomy_term": {"id": term_id, "code": code, "name": code, "taxonomy": format!("{TAX}{taxonomy}")},
        "value": value,
    })
}

fn contact_to_hsds(c: &Contact, org: &str) -> Value {
    let id = hsds_id(&c.id);
    let mut attrs = Vec::new();
    if !c.preferred_language.is_empty() {
        attrs.push(attribute(
            &id,
            "contact",
            "preferred_language",
            "preferred_language",
            &c.preferred_language,
        ));
    }
    if !c.speaks_for.is_empty() {
        attrs.push(attribute(&id, "contact", "speaks_for", "speaks_for", &c.speaks_for));
    }
    let phones: Vec<Value> = (!c.phone.is_empty())
        .then(|| json!({"id": name_uuid(&format!("{id}#phone")), "contact_id": id, "number": c.phone}))
        .into_iter()
        .collect();
    json!({
        "id": id, "organization_id": org, "name": c.name, "title": c.role, "email": c.email,
        "phones": phones, "attributes": attrs,
    })
}

/// One partner as an HSDS 3 organization (with contacts, phone, location and attributes).
pub fn organization(dir: &Directory, p: &Partner) -> Value {
    let id = hsds_id(&p.id);
    let mut attrs = vec![attribute(&id, "organization", "partner_kind", p.kind.as_str(), "")];
    attrs.extend(
        p.strength_categories
            .iter()
            .map(|c| attribute(&id, "organization", "asset_category", c.as_str(), "")),
    );
    let lists: [(&str, &[String]); 4] = [
        ("strength", &p.strengths),
        ("population", &p.populations),
        ("other_department", &p.other_departments),
        ("tag", &p.tags),
    ];
    for (taxonomy, values) in lists {
        attrs.extend(
            values
                .iter()
                .map(|v| attribute(&id, "organization", taxonomy, taxonomy, v)),
        );
    }
    for (taxonomy, v) in [
        ("owning_department", &p.owning_department),
        ("service_area", &p.service_area),
    ] {
        if !v.is_empty() {
            attrs.push(attribute(&id, "organization", taxonomy, taxonomy, v));
        }
    }
    let mut history = dir.stage_history(&p.id);
    history.reverse();
    for s in history {
        let mut a = attribute(
            &id,
            "organization",
            "stage_change",
            s.stage.as_str(),
            &json!({"date": s.date, "reason": s.reason, "recorded_at": s.recorded_at}).to_string(),
        );
        a["id"] = Value::String(hsds_id(&s.id));
        attrs.push(a);
    }
    let phones: Vec<Value> = (!p.phone.is_empty())
        .then(|| json!({"id": name_uuid(&format!("{id}#phone")), "organization_id": id, "number": p.phone}))
        .into_iter()
        .collect();
    let locations: Vec<Value> = if p.address.is_empty() && p.map_link.is_empty() && p.languages.is_empty() {
        Vec::new()
    } else {
        let loc = name_uuid(&format!("{id}#location"));
        let addresses: Vec<Value> = (!p.address.is_empty())
            .then(|| {
                json!({"id": name_uuid(&format!("{loc}#address")), "location_id": loc, "address_1": p.address,
                    "city": "", "state_province": "", "postal_code": "", "country": "", "address_type": "physical"})
            })
            .into_iter()
            .collect();
        let languages: Vec<Value> = p
            .languages
            .iter()
            .map(|l| json!({"id": name_uuid(&format!("{loc}#language/{l}")), "location_id": loc, "name": l}))
            .collect();
        vec![json!({
            "id": loc, "location_type": "physical", "organization_id": id, "name": p.name,
            "url": p.map_link, "addresses": addresses, "languages": languages,
        })]
    };
    json!({
        "id": id,
        "name": p.name,
        "description": p.description,
        "email": p.email,
        "website": p.website,
        "phones": phones,
        "contacts": dir.contacts(&p.id).into_iter().map(|c| contact_to_hsds(c, &id)).collect::<Vec<_>>(),
        "locations": locations,
        "attributes": attrs,
    })
}

/// The whole directory as an HSDS 3 list of organizations, by name.
pub fn export_hsds(dir: &Directory) -> Value {
    Value::Array(dir.all().into_iter().map(|p| organization(dir, p)).collect())
}

/// A row an import could not take, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Which row, in words a person can find in the file ("organization 3 (Name)").
    pub row: String,
    /// Why.
    pub why: String,
}

/// What an import would write.
#[derive(Debug, Default)]
pub struct ImportPlan {
    /// Documents to write, each new.
    pub writes: Vec<(String, Map<String, Value>)>,
    /// Organizations, contacts and stage changes the directory already has (skipped).
    pub already_present: usize,
    /// Rows not taken.
    pub problems: Vec<Problem>,
}

impl ImportPlan {
    /// Partners among the writes.
    pub fn new_partners(&self) -> usize {
        self.writes
            .iter()
            .filter(|(id, _)| id.starts_with(Partner::PREFIX))
            .count()
    }
}

fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get(field).and_then(Value::as_str).unwrap_or("").trim()
}

fn list<'a>(v: &'a Value, field: &str) -> &'a [Value] {
    v.get(field).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// (taxonomy without our prefix, code, value) of each attribute.
fn attributes(v: &Value) -> Vec<(String, String, String, String)> {
    list(v, "attributes")
        .iter()
        .filter_map(|a| {
            let term = a.get("taxonomy_term")?;
            let taxonomy = text(term, "taxonomy").strip_prefix(TAX)?.to_string();
            Some((
                taxonomy,
                text(term, "code").to_string(),
                text(a, "value").to_string(),
                text(a, "id").to_string(),
            ))
        })
        .collect()
}

fn first_phone(v: &Value) -> String {
    list(v, "phones")
        .iter()
        .map(|p| text(p, "number"))
        .find(|n| !n.is_empty())
        .unwrap_or("")
        .to_string()
}

/// Plans the import of an HSDS 3 document: a list of organizations, or an object with them
/// under `contents` (an API page) or `organizations`. Each organization and contact is checked
/// by the same rules as the app's forms; those that fail are reported and not written, and
/// ones the directory already has are skipped.
pub fn import_hsds(input: &Value, existing: &Directory) -> Result<ImportPlan, String> {
    let orgs = match input {
        Value::Array(a) => a,
        Value::Object(o) => o
            .get("contents")
            .or_else(|| o.get("organizations"))
            .and_then(Value::as_array)
            .ok_or("this is not an HSDS list of organizations (no contents or organizations list)")?,
        _ => return Err("this is not an HSDS list of organizations".into()),
    };
    let mut known: HashMap<String, String> = existing.doc_ids().map(|id| (hsds_id(id), id.to_string())).collect();
    let mut plan = ImportPlan::default();
    let mut seen: HashSet<String> = HashSet::new();
    for (n, org) in orgs.iter().enumerate() {
        let name = text(org, "name");
        let row = if name.is_empty() {
            format!("organization {}", n + 1)
        } else {
            format!("organization {} ({name})", n + 1)
        };
        let uuid = text(org, "id").to_ascii_lowercase();
        if !is_uuid(&uuid) {
            plan.problems.push(Problem {
                row,
                why: "id: must be a UUID".into(),
            });
            continue;
        }
        if !seen.insert(uuid.clone()) {
            plan.problems.push(Problem {
                row,
                why: "id: the same organization appears twice in the file".into(),
            });
            continue;
        }
        let partner_id = known
            .get(&uuid)
            .cloned()
            .unwrap_or_else(|| format!("{}{uuid}", Partner::PREFIX));
        let mut p = Partner {
            id: partner_id.clone(),
            name: name.to_string(),
            description: text(org, "description").to_string(),
            email: text(org, "email").to_string(),
            website: text(org, "website").to_string(),
            phone: first_phone(org),
            ..Default::default()
        };
        if let Some(loc) = list(org, "locations").first() {
            p.map_link = text(loc, "url").to_string();
            p.address = list(loc, "addresses")
                .first()
                .map(|a| {
                    [
                        "address_1",
                        "address_2",
                        "city",
                        "state_province",
                        "postal_code",
                        "country",
                    ]
                    .iter()
                    .map(|f| text(a, f))
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
                })
                .unwrap_or_default();
        }
        for l in list(org, "locations").iter().flat_map(|l| list(l, "languages")) {
            let name = text(l, "name");
            if !name.is_empty() && !p.languages.iter().any(|x| x == name) {
                p.languages.push(name.to_string());
            }
        }
        let mut stages = Vec::new();
        let mut bad = None;
        for (taxonomy, code, value, attr_id) in attributes(org) {
            match taxonomy.as_str() {
                "partner_kind" => match PartnerKind::parse(&code) {
                    Some(k) => p.kind = k,
                    None => bad = Some(format!("kind: {code:?} is not one of the allowed values")),
                },
                "asset_category" => match AssetCategory::parse(&code) {
                    Some(c) => p.strength_categories.push(c),
                    None => {
                        bad = Some(format!(
                            "strength_categories: {code:?} is not one of the allowed values"
                        ))
                    }
                },
                "strength" => p.strengths.push(value),
                "population" => p.populations.push(value),
                "other_department" => p.other_departments.push(value),
                "tag" => p.tags.push(value),
                "owning_department" => p.owning_department = value,
                "service_area" => p.service_area = value,
                "stage_change" => {
                    let detail: Value = serde_json::from_str(&value).unwrap_or(Value::Null);
                    match Stage::parse(&code) {
                        Some(stage) if is_uuid(&attr_id) => stages.push(StageChange {
                            id: known.get(&attr_id.to_ascii_lowercase()).cloned().unwrap_or_else(|| {
                                child_id(StageChange::PREFIX, &partner_id, &attr_id.to_ascii_lowercase())
                            }),
                            partner: partner_id.clone(),
                            stage,
                            date: text(&detail, "date").to_string(),
                            reason: text(&detail, "reason").to_string(),
                            recorded_at: text(&detail, "recorded_at").to_string(),
                        }),
                        _ => bad = Some(format!("stage: {code:?} is not a stage change this app can read")),
                    }
                }
                _ => {}
            }
        }
        let checked = match bad {
            Some(why) => Err(why),
            None => validate_doc(&partner_id, &p.to_body()).map_err(|e| e.to_string()),
        };
        if let Err(why) = checked {
            plan.problems.push(Problem { row, why });
            continue;
        }
        if existing.partner(&partner_id).is_some() {
            plan.already_present += 1;
        } else {
            known.insert(uuid.clone(), partner_id.clone());
            plan.writes.push((partner_id.clone(), p.to_body()));
        }
        for s in stages {
            let row = format!("{row}, stage change of {}", s.date);
            if let Err(e) = validate_doc(&s.id, &s.to_body()) {
                plan.problems.push(Problem {
                    row,
                    why: e.to_string(),
                });
            } else if existing.stage_history(&partner_id).iter().any(|x| x.id == s.id) {
                plan.already_present += 1;
            } else {
                plan.writes.push((s.id.clone(), s.to_body()));
            }
        }
        for (m, c) in list(org, "contacts").iter().enumerate() {
            let cname = text(c, "name");
            let crow = format!("{row}, contact {} ({cname})", m + 1);
            let cuuid = text(c, "id").to_ascii_lowercase();
            if !is_uuid(&cuuid) {
                plan.problems.push(Problem {
                    row: crow,
                    why: "id: must be a UUID".into(),
                });
                continue;
            }
            let contact_id = known
                .get(&cuuid)
                .cloned()
                .unwrap_or_else(|| child_id(Contact::PREFIX, &partner_id, &cuuid));
            let mut contact = Contact {
                id: contact_id.clone(),
                partner: partner_id.clone(),
                name: cname.to_string(),
                role: text(c, "title").to_string(),
                email: text(c, "email").to_string(),
                phone: first_phone(c),
                ..Default::default()
            };
            for (taxonomy, _, value, _) in attributes(c) {
                match taxonomy.as_str() {
                    "preferred_language" => contact.preferred_language = value,
                    "speaks_for" => contact.speaks_for = value,
                    _ => {}
                }
            }
            if let Err(e) = validate_doc(&contact_id, &contact.to_body()) {
                plan.problems.push(Problem {
                    row: crow,
                    why: e.to_string(),
                });
            } else if existing.contact(&contact_id).is_some() || !seen.insert(cuuid.clone()) {
                plan.already_present += 1;
            } else {
                known.insert(cuuid, contact_id.clone());
                plan.writes.push((contact_id, contact.to_body()));
            }
        }
    }
    Ok(plan)
}

/// One CSV field: quoted when needed, and a leading `=`, `+`, `-`, `@` or tab made inert with an
/// apostrophe so a spreadsheet never runs it as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The directory as CSV: one row per partner, lists joined with "; ".
pub fn export_csv(dir: &Directory) -> String {
    let header = [
        "id",
        "name",
        "kind",
        "stage",
        "last_contact",
        "description",
        "strength_categories",
        "strengths",
        "populations",
        "languages",
        "service_area",
        "address",
        "map_link",
        "website",
        "phone",
        "email",
        "owning_department",
        "other_departments",
        "tags",
        "contacts",
    ];
    let mut out = header.join(",");
    out.push_str("\r\n");
    for p in dir.all() {
        let facts = dir.facts(&p.id);
        let cats: Vec<&str> = p.strength_categories.iter().map(|c| c.as_str()).collect();
        let contacts: Vec<String> = dir
            .contacts(&p.id)
            .into_iter()
            .map(|c| {
                if c.role.is_empty() {
                    c.name.clone()
                } else {
                    format!("{} ({})", c.name, c.role)
                }
            })
            .collect();
        let row = [
            p.id.clone(),
            p.name.clone(),
            p.kind.as_str().to_string(),
            facts.stage.map(|s| s.as_str().to_string()).unwrap_or_default(),
            facts.last_contact.unwrap_or_default(),
            p.description.clone(),
            cats.join("; "),
            p.strengths.join("; "),
            p.populations.join("; "),
            p.languages.join("; "),
            p.service_area.clone(),
            p.address.clone(),
            p.map_link.clone(),
            p.website.clone(),
            p.phone.clone(),
            p.email.clone(),
            p.owning_department.clone(),
            p.other_departments.join("; "),
            p.tags.join("; "),
            contacts.join("; "),
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

fn vcard_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// Folds a content line at 75 octets without splitting a character (RFC 6350 §3.2).
fn fold_line(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// A contact as a vCard 3.0 (the version phones' address books all read).
pub fn vcard(c: &Contact, partner_name: &str) -> String {
    let mut lines = vec!["BEGIN:VCARD".to_string(), "VERSION:3.0".to_string()];
    lines.push(format!("FN:{}", vcard_text(&c.name)));
    lines.push(format!("N:{};;;;", vcard_text(&c.name)));
    if !partner_name.is_empty() {
        lines.push(format!("ORG:{}", vcard_text(partner_name)));
    }
    if !c.role.is_empty() {
        lines.push(format!("TITLE:{}", vcard_text(&c.role)));
    }
    if !c.phone.is_empty() {
        lines.push(format!("TEL;TYPE=WORK,VOICE:{}", vcard_text(&c.phone)));
    }
    if !c.email.is_empty() {
        lines.push(format!("EMAIL;TYPE=INTERNET:{}", vcard_text(&c.email)));
    }
    let mut note = Vec::new();
    if !c.preferred_language.is_empty() {
        note.push(format!("Preferred language: {}", c.preferred_language));
    }
    if !c.speaks_for.is_empty() {
        note.push(format!("Speaks for: {}", c.speaks_for));
    }
    if !note.is_empty() {
        lines.push(format!("NOTE:{}", vcard_text(&note.join("\n"))));
    }
    lines.push("END:VCARD".to_string());
    lines.iter().map(|l| fold_line(l)).collect()
}

/// A file name made from a name: letters, digits and dashes.
pub fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if s.is_empty() {
        "contact".into()
    } else {
        s.chars().take(60).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn dir_of(docs: &[(String, Map<String, Value>)]) -> Directory {
        let mut d = Directory::from_docs(docs.iter().map(|(i, b)| (i.as_str(), b)));
        d.prepare();
        d
    }

    fn sample() -> Vec<(String, Map<String, Value>)> {
        let docs = [
            (
                "partner:nw-library",
                json!({"type": "partner", "name": "Northwest Library", "kind": "library",
                "description": "Branch library; ESL circles, \"maker\" space", "strength_categories": ["physical_spaces", "institutions"],
                "strengths": ["meeting rooms", "ESL volunteers"], "populations": ["Seniors", "Polish-speaking families"],
                "languages": ["English", "Polish"], "service_area": "North side", "address": "1 Main St, Springfield",
                "map_link": "https://maps.example/?q=1+Main", "website": "https://library.example", "phone": "(847) 555-0100",
                "email": "hello@library.example", "owning_department": "Library", "other_departments": ["Parks"], "tags": ["anchor"]}),
            ),
            (
                "partner:5e0b6b1e-2f6c-4a57-9d7e-1c2d3e4f5a6b",
                json!({"type": "partner", "name": "=Food Pantry", "kind": "non_profit"}),
            ),
            (
                "contact:nw-library:1",
                json!({"type": "contact", "partner": "partner:nw-library", "name": "Ana Kowalska", "role": "Outreach; adults",
                "phone": "+1 847 555 0101", "email": "ana@library.example", "preferred_language": "Polish",
                "speaks_for": "adult programs at this branch, not the whole Polish community"}),
            ),
            (
                "stage:nw-library:1",
                json!({"type": "stage_change", "partner": "partner:nw-library", "stage": "partnership", "date": "2025-01-10", "reason": "first meeting"}),
            ),
            (
                "stage:nw-library:2",
                json!({"type": "stage_change", "partner": "partner:nw-library", "stage": "coordination", "date": "2026-03-01", "reason": "joint planning, monthly calls"}),
            ),
            (
                "interaction:nw-library:1",
                json!({"type": "interaction", "partner": "partner:nw-library", "kind": "meeting", "date": "2026-11-01"}),
            ),
        ];
        docs.into_iter().map(|(i, v)| (i.to_string(), obj(v))).collect()
    }

    /// The partners, contacts and stage changes of a directory as bodies, keyed by name, so two
    /// directories with different ids can be compared.
    fn content(d: &Directory) -> Vec<(Map<String, Value>, Vec<Map<String, Value>>, Vec<Map<String, Value>>)> {
        let strip = |mut m: Map<String, Value>| {
            m.remove("partner");
            m
        };
        d.all()
            .into_iter()
            .map(|p| {
                (
                    p.to_body(),
                    d.contacts(&p.id).into_iter().map(|c| strip(c.to_body())).collect(),
                    d.stage_history(&p.id).into_iter().map(|s| strip(s.to_body())).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn hsds_round_trip_gives_the_same_partners() {
        let a = dir_of(&sample());
        let exported = export_hsds(&a);
        let text = serde_json::to_string_pretty(&exported).unwrap();
        let plan = import_hsds(&serde_json::from_str(&text).unwrap(), &Directory::new()).unwrap();
        assert!(plan.problems.is_empty(), "{:?}", plan.problems);
        assert_eq!(plan.new_partners(), 2);
        assert_eq!(
            plan.writes.len(),
            2 + 1 + 2,
            "two partners, one contact, two stage changes"
        );
        let b = dir_of(&plan.writes);
        assert_eq!(content(&a), content(&b));
        assert_eq!(export_hsds(&b), exported, "a second export is identical, ids included");
        // The UUID id is kept as it is.
        assert!(b.partner("partner:5e0b6b1e-2f6c-4a57-9d7e-1c2d3e4f5a6b").is_some());
    }

    #[test]
    fn importing_what_is_already_there_writes_nothing() {
        let a = dir_of(&sample());
        let exported = export_hsds(&a);
        let plan = import_hsds(&exported, &a).unwrap();
        assert!(plan.writes.is_empty(), "{:?}", plan.writes);
        assert_eq!(plan.already_present, 5);
        // Also when the file arrives as an API page.
        let plan = import_hsds(&json!({"contents": exported}), &a).unwrap();
        assert!(plan.writes.is_empty());
    }

    #[test]
    fn import_reports_every_row_it_cannot_take() {
        let input = json!([
            {"id": "11111111-1111-4111-8111-111111111111", "name": "Good Org",
             "contacts": [
                {"id": "22222222-2222-4222-8222-222222222222", "name": "Ok Person"},
                {"id": "33333333-3333-4333-8333-333333333333", "name": "Bad Email", "email": "not-an-email"},
                {"id": "nope", "name": "No Id"}
             ]},
            {"id": "44444444-4444-4444-8444-444444444444", "name": ""},
            {"id": "not-a-uuid", "name": "Bad Id"},
            {"id": "11111111-1111-4111-8111-111111111111", "name": "Good Org again"},
            {"id": "55555555-5555-4555-8555-555555555555", "name": "Odd kind",
             "attributes": [{"id": "x", "taxonomy_term": {"taxonomy": "commontable:partner_kind", "code": "castle"}}]},
            {"id": "66666666-6666-4666-8666-666666666666", "name": "Phone", "phones": [{"number": "call me maybe"}]}
        ]);
        let plan = import_hsds(&input, &Directory::new()).unwrap();
        let rows: Vec<(&str, &str)> = plan.problems.iter().map(|p| (p.row.as_str(), p.why.as_str())).collect();
        assert_eq!(plan.new_partners(), 1);
        assert_eq!(plan.writes.len(), 2, "the good organization and its good contact");
        assert_eq!(rows.len(), 7, "{rows:#?}");
        assert!(rows[0].0.contains("contact 2 (Bad Email)") && rows[0].1.starts_with("email"));
        assert!(rows[1].0.contains("contact 3 (No Id)") && rows[1].1.starts_with("id"));
        assert!(rows[2].0 == "organization 2" && rows[2].1.starts_with("name"));
        assert!(rows[3].0.contains("Bad Id") && rows[3].1.contains("UUID"));
        assert!(rows[4].1.contains("twice"));
        assert!(rows[5].0.contains("Odd kind") && rows[5].1.starts_with("kind"));
        assert!(rows[6].0.contains("Phone") && rows[6].1.starts_with("phone"));
        assert!(import_hsds(&json!("hello"), &Directory::new()).is_err());
        assert!(import_hsds(&json!({"a": 1}), &Directory::new()).is_err());
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let d = dir_of(&sample());
        let csv = export_csv(&d);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(lines[0].starts_with("id,name,kind,stage,last_contact,"));
        assert!(lines[1].starts_with("partner:5e0b6b1e-2f6c-4a57-9d7e-1c2d3e4f5a6b,'=Food Pantry,non_profit,,,"));
        let lib = lines[2];
        assert!(lib.starts_with("partner:nw-library,Northwest Library,library,coordination,2026-11-01,"));
        assert!(lib.contains("\"Branch library; ESL circles, \"\"maker\"\" space\""));
        assert!(
            lib.contains(",'+1 847 555 0101") == false,
            "contact phones are not columns"
        );
        assert!(lib.contains("Ana Kowalska (Outreach; adults)"));
        assert_eq!(lines.len(), 4, "header, two rows, and the final line break");
    }

    #[test]
    fn vcard_escapes_and_folds() {
        let d = dir_of(&sample());
        let c = d.contact("contact:nw-library:1").unwrap();
        let card = vcard(c, "Northwest Library, North");
        assert!(card.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Kowalska\r\n"));
        assert!(card.contains("ORG:Northwest Library\\, North\r\n"));
        assert!(card.contains("TITLE:Outreach\\; adults\r\n"));
        assert!(card.contains("TEL;TYPE=WORK,VOICE:+1 847 555 0101\r\n"));
        assert!(card.ends_with("END:VCARD\r\n"));
        for line in card.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let unfolded = card.replace("\r\n ", "");
        assert!(unfolded.contains("NOTE:Preferred language: Polish\\nSpeaks for: adult programs at this branch\\, not the whole Polish community"));
        let evil = Contact {
            name: "Eve\r\nEND:VCARD\r\nBEGIN:VCARD".into(),
            ..Default::default()
        };
        let card = vcard(&evil, "");
        let starts = card
            .split("\r\n")
            .filter(|l| l.starts_with("BEGIN:") || l.starts_with("END:"))
            .count();
        assert_eq!(starts, 2, "a name cannot start a second card: {card}");
        assert_eq!(file_stem("Ana Kowalska / <script>"), "ana-kowalska-script");
        assert_eq!(file_stem("///"), "contact");
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("5e0b6b1e-2f6c-4a57-9d7e-1c2d3e4f5a6b"));
        assert!(!is_uuid("5e0b6b1e-2f6c-4a57-9d7e-1c2d3e4f5a6"));
        assert!(is_uuid(&name_uuid("partner:x")));
        assert_eq!(name_uuid("partner:x"), name_uuid("partner:x"));
        assert_ne!(name_uuid("partner:x"), name_uuid("partner:y"));
        assert_eq!(
            hsds_id("contact:abc:5E0B6B1E-2F6C-4A57-9D7E-1C2D3E4F5A6B"),
            "5e0b6b1e-2f6c-4a57-9d7e-1c2d3e4f5a6b"
        );
    }
}
