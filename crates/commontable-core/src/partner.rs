//! The partner directory's documents (groundwork for the partner-directory issue): community
//! organizations, their contacts, the relationship stage with its dated history, and
//! interactions. Contacts, stage changes and interactions are documents of their own, so two
//! staff members working on the same partner rarely touch the same document; stage changes and
//! interactions are append-only.

use crate::stored::{stored, Stored};
use crate::validate::{one_of, optional_text, reference, required_text, text_list, ValidationError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value with this stored name.
            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not one of the allowed values")))
            }
        }
    };
}
pub(crate) use named_enum;

/// The shared workspace database: partners, their contacts, stage changes and interactions
/// (and, later, checklist runs). Every device syncs it.
pub const WORKSPACE_DB: &str = "workspace";

named_enum!(
    /// What sort of organization a partner is.
    PartnerKind {
        /// A public school district.
        SchoolDistrict = "school_district",
        /// A public library.
        Library = "library",
        /// A park district.
        ParkDistrict = "park_district",
        /// A township.
        Township = "township",
        /// A non-profit organization.
        NonProfit = "non_profit",
        /// A congregation or faith-based group.
        FaithCommunity = "faith_community",
        /// A business.
        Business = "business",
        /// A civic or cultural association.
        Association = "civic_or_cultural_association",
        /// A health or social service provider.
        HealthOrSocialService = "health_or_social_service",
        /// Anything else.
        Other = "other",
    }
);

named_enum!(
    /// Asset-mapping categories for a partner's strengths.
    AssetCategory {
        /// People and their skills.
        PeopleAndSkills = "people_and_skills",
        /// Associations and networks.
        Associations = "associations",
        /// Institutions.
        Institutions = "institutions",
        /// Physical spaces.
        PhysicalSpaces = "physical_spaces",
        /// Economic resources.
        Economic = "economic",
        /// Cultural resources.
        Cultural = "cultural",
    }
);

named_enum!(
    /// How far a relationship has come.
    Stage {
        /// Individual links between organizations.
        Partnership = "partnership",
        /// Compatible goals, joint planning, regular communication.
        Coordination = "coordination",
        /// Roles, outcomes and structure firmly in place.
        Collaboration = "collaboration",
    }
);

named_enum!(
    /// What kind of contact an interaction was.
    InteractionKind {
        /// A meeting.
        Meeting = "meeting",
        /// A phone call.
        Call = "call",
        /// An event run together.
        JointEvent = "joint_event",
        /// A referral of a resident.
        Referral = "referral",
        /// An email.
        Email = "email",
    }
);

/// A partner organization (`partner:<key>`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Partner {
    /// The document id (not stored in the body).
    #[serde(skip)]
    pub id: String,
    /// Official or public name.
    pub name: String,
    /// What sort of organization it is.
    pub kind: PartnerKind,
    /// What it does, in a few sentences.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Asset-mapping categories of its strengths.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub strength_categories: Vec<AssetCategory>,
    /// Its strengths and assets in its own words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub strengths: Vec<String>,
    /// Populations and communities it reaches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub populations: Vec<String>,
    /// Languages it offers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Where it works.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_area: String,
    /// Street address.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// A link to a map (otherwise one is made from the address).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub map_link: String,
    /// Website.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub website: String,
    /// Main phone.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// Main email.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// The department that owns the relationship.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub owning_department: String,
    /// Other departments that also work with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_departments: Vec<String>,
    /// Free tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

#[allow(clippy::derivable_impls)] // the enum is made by a macro
impl Default for PartnerKind {
    fn default() -> Self {
        PartnerKind::Other
    }
}

/// A contact person at a partner (`contact:<partner key>:<key>`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    /// The document id.
    #[serde(skip)]
    pub id: String,
    /// The partner's document id.
    pub partner: String,
    /// Name.
    pub name: String,
    /// Role or title.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// Phone.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// Email.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// The language they prefer.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub preferred_language: String,
    /// Whom this person really speaks for (one advocate is not a whole community).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub speaks_for: String,
}

/// A dated change of relationship stage, with why (`stage:<partner key>:<key>`, append-only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageChange {
    /// The document id.
    #[serde(skip)]
    pub id: String,
    /// The partner's document id.
    pub partner: String,
    /// The new stage.
    pub stage: Stage,
    /// When, `YYYY-MM-DD`.
    pub date: String,
    /// Why.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// When it was recorded (RFC 3339): orders changes made on the same day.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub recorded_at: String,
}

/// One dated interaction with a partner (`interaction:<partner key>:<key>`, append-only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// The document id.
    #[serde(skip)]
    pub id: String,
    /// The partner's document id.
    pub partner: String,
    /// Meeting, call, …
    pub kind: InteractionKind,
    /// When, `YYYY-MM-DD`.
    pub date: String,
    /// Who logged it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub logged_by: String,
    /// What happened.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// When to follow up, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub follow_up: String,
    /// When it was recorded (RFC 3339): orders interactions of the same day.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub recorded_at: String,
}

stored!(Partner, "partner", "partner:");
stored!(Contact, "contact", "contact:");
stored!(StageChange, "stage_change", "stage:");
stored!(Interaction, "interaction", "interaction:");

/// The key of a partner id (`partner:<key>` → `<key>`), used in the ids of its contacts, stage
/// changes and interactions so that one prefix read finds them.
pub fn partner_key(partner_id: &str) -> &str {
    partner_id.strip_prefix(Partner::PREFIX).unwrap_or(partner_id)
}

/// The id of a new document belonging to a partner: `<prefix><partner key>:<unique>`.
pub fn child_id(prefix: &str, partner_id: &str, unique: &str) -> String {
    format!("{prefix}{}:{unique}", partner_key(partner_id))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (None when not a date).
pub fn day_number(date: &str) -> Option<i64> {
    let mut it = date.splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn all_of<T>(body: &Map<String, Value>, field: &str, parse: fn(&str) -> Option<T>) -> Result<Vec<T>, ValidationError> {
    text_list(body, field)?
        .into_iter()
        .map(|t| parse(t).ok_or_else(|| ValidationError::new(field, format!("{t:?} is not one of the allowed values"))))
        .collect()
}

/// A date as `YYYY-MM-DD` (checked for shape and calendar sense, not against a clock).
pub fn check_date(body: &Map<String, Value>, field: &str, required: bool) -> Result<(), ValidationError> {
    let text = if required {
        required_text(body, field, 10)?
    } else {
        optional_text(body, field, 10)?
    };
    if text.is_empty() {
        return Ok(());
    }
    let bad = || ValidationError::new(field, "must be a date written YYYY-MM-DD");
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return Err(bad()) };
    let (y, m, d): (u32, u32, u32) = match (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
        (Ok(yy), Ok(mm), Ok(dd)) if y.len() == 4 && m.len() == 2 && d.len() == 2 => (yy, mm, dd),
        _ => return Err(bad()),
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d == 0 || d > days[(m - 1) as usize] {
        return Err(bad());
    }
    Ok(())
}

fn check_email(body: &Map<String, Value>, field: &str) -> Result<(), ValidationError> {
    let e = optional_text(body, field, 254)?;
    if !e.is_empty()
        && !(e.contains('@') && !e.starts_with('@') && !e.ends_with('@') && !e.contains(char::is_whitespace))
    {
        return Err(ValidationError::new(field, "is not an email address"));
    }
    Ok(())
}

/// A web address: empty, or starting with `http://` or `https://` (so a stored link can never
/// run script when tapped).
fn check_url(body: &Map<String, Value>, field: &str) -> Result<(), ValidationError> {
    let u = optional_text(body, field, 2000)?;
    let lower = u.trim_start().to_ascii_lowercase();
    if !u.is_empty() && !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(ValidationError::new(
            field,
            "must be a web address starting with https://",
        ));
    }
    Ok(())
}

fn check_phone(body: &Map<String, Value>, field: &str) -> Result<(), ValidationError> {
    let p = optional_text(body, field, 40)?;
    let digits = p.chars().filter(char::is_ascii_digit).count();
    if !p.is_empty() && (digits < 3 || !p.chars().all(|c| c.is_ascii_digit() || " +-().xext".contains(c))) {
        return Err(ValidationError::new(field, "is not a phone number"));
    }
    Ok(())
}

/// A partner organization.
pub fn validate_partner(body: &Map<String, Value>) -> Result<(), ValidationError> {
    required_text(body, "name", 200)?;
    one_of(body, "kind", PartnerKind::parse, true)?;
    optional_text(body, "description", 5000)?;
    all_of(body, "strength_categories", AssetCategory::parse)?;
    for f in ["strengths", "populations", "languages", "other_departments", "tags"] {
        text_list(body, f)?;
    }
    for f in ["service_area", "address", "owning_department"] {
        optional_text(body, f, 500)?;
    }
    check_url(body, "map_link")?;
    check_url(body, "website")?;
    check_phone(body, "phone")?;
    check_email(body, "email")?;
    Ok(())
}

/// A contact person at a partner.
pub fn validate_contact(body: &Map<String, Value>) -> Result<(), ValidationError> {
    reference(body, "partner", Partner::PREFIX, true)?;
    required_text(body, "name", 200)?;
    for f in ["role", "preferred_language", "speaks_for"] {
        optional_text(body, f, 1000)?;
    }
    check_phone(body, "phone")?;
    check_email(body, "email")?;
    Ok(())
}

/// A change of relationship stage, dated, with why.
pub fn validate_stage_change(body: &Map<String, Value>) -> Result<(), ValidationError> {
    reference(body, "partner", Partner::PREFIX, true)?;
    one_of(body, "stage", Stage::parse, true)?;
    check_date(body, "date", true)?;
    optional_text(body, "reason", 2000)?;
    optional_text(body, "recorded_at", 40)?;
    Ok(())
}

/// One interaction with a partner.
pub fn validate_interaction(body: &Map<String, Value>) -> Result<(), ValidationError> {
    reference(body, "partner", Partner::PREFIX, true)?;
    one_of(body, "kind", InteractionKind::parse, true)?;
    check_date(body, "date", true)?;
    check_date(body, "follow_up", false)?;
    optional_text(body, "notes", 5000)?;
    optional_text(body, "logged_by", 200)?;
    optional_text(body, "recorded_at", 40)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::validate_doc;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_partner_with_contacts_stage_and_interaction_validates() {
        let p = obj(json!({
            "type": "partner", "name": "Northwest Library", "kind": "library",
            "strength_categories": ["physical_spaces", "institutions"], "languages": ["English", "Polish"],
            "phone": "(847) 555-0100", "email": "hello@library.example"
        }));
        assert_eq!(validate_doc("partner:nw-library", &p), Ok(()));
        let c = obj(
            json!({"type": "contact", "partner": "partner:nw-library", "name": "Ana", "speaks_for": "the branch's adult programs"}),
        );
        assert_eq!(validate_doc("contact:1", &c), Ok(()));
        let s = obj(
            json!({"type": "stage_change", "partner": "partner:nw-library", "stage": "coordination", "date": "2024-02-29"}),
        );
        assert_eq!(validate_doc("stage:1", &s), Ok(()));
        let i = obj(
            json!({"type": "interaction", "partner": "partner:nw-library", "kind": "meeting", "date": "2026-11-20", "follow_up": "2026-12-01"}),
        );
        assert_eq!(validate_doc("interaction:1", &i), Ok(()));
    }

    #[test]
    fn errors_name_the_field() {
        let field = |id: &str, v: Value| validate_doc(id, &obj(v)).unwrap_err().field;
        assert_eq!(
            field("partner:x", json!({"type": "partner", "kind": "library"})),
            "name"
        );
        assert_eq!(
            field("partner:x", json!({"type": "partner", "name": "X", "kind": "castle"})),
            "kind"
        );
        assert_eq!(
            field(
                "partner:x",
                json!({"type": "partner", "name": "X", "kind": "other", "strength_categories": ["magic"]})
            ),
            "strength_categories"
        );
        assert_eq!(
            field(
                "partner:x",
                json!({"type": "partner", "name": "X", "kind": "other", "email": "nope"})
            ),
            "email"
        );
        assert_eq!(
            field(
                "partner:x",
                json!({"type": "partner", "name": "X", "kind": "other", "phone": "call me"})
            ),
            "phone"
        );
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "www.example.org",
        ] {
            let v = json!({"type": "partner", "name": "X", "kind": "other", "website": bad});
            assert_eq!(field("partner:x", v), "website", "{bad}");
            let v = json!({"type": "partner", "name": "X", "kind": "other", "map_link": bad});
            assert_eq!(field("partner:x", v), "map_link", "{bad}");
        }
        assert_eq!(
            field(
                "contact:x",
                json!({"type": "contact", "partner": "somewhere", "name": "A"})
            ),
            "partner"
        );
        assert_eq!(
            field(
                "stage:x",
                json!({"type": "stage_change", "partner": "partner:x", "stage": "marriage", "date": "2026-01-01"})
            ),
            "stage"
        );
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "26-01-01",
            "2026-13-01",
            "2026/01/01",
            "yesterday",
        ] {
            let v = json!({"type": "interaction", "partner": "partner:x", "kind": "call", "date": bad});
            assert_eq!(field("interaction:x", v), "date", "{bad}");
        }
    }

    #[test]
    fn every_named_value_round_trips() {
        for k in PartnerKind::ALL {
            assert_eq!(PartnerKind::parse(k.as_str()), Some(*k));
        }
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(*s));
        }
        assert_eq!(AssetCategory::ALL.len(), 6);
        assert_eq!(InteractionKind::parse("email"), Some(InteractionKind::Email));
    }
}
