//! A partner's page: everything known, one-tap call / text / email / map, contacts (with a
//! vCard to save each), the stage and its history, and the interaction timeline.

use super::{partner_id, DirectoryGate, WithList};
use crate::i18n::use_i18n;
use crate::partners::{use_partners, Change, Env};
use commontable_core::exchange::{file_stem, vcard};
use commontable_core::partner::{Contact, Partner};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

/// Only web addresses become links (anything else could run script when tapped).
pub fn safe_url(u: &str) -> Option<String> {
    let l = u.trim().to_ascii_lowercase();
    (l.starts_with("https://") || l.starts_with("http://")).then(|| u.trim().to_string())
}

/// A `tel:`/`sms:` target: digits and a leading +, nothing else.
fn dial(phone: &str) -> String {
    phone
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect()
}

/// The map for a partner: its own map link, else a search for the address.
fn map_href(p: &Partner) -> Option<String> {
    safe_url(&p.map_link).or_else(|| {
        (!p.address.trim().is_empty()).then(|| {
            format!(
                "https://www.openstreetmap.org/search?query={}",
                js_sys::encode_uri_component(&p.address)
            )
        })
    })
}

/// Call, text, email (and map) buttons for whatever is known.
#[component]
fn Reach(phone: String, email: String, map: Option<String>, name: String) -> impl IntoView {
    let t = use_i18n();
    let number = dial(&phone);
    let email = email.trim().to_string();
    view! {
        <p class="reach">
            {(!number.is_empty()).then(|| view! {
                <a class="button" href=format!("tel:{number}") aria-label=format!("{} {name}", t.p.call)>{t.p.call}</a>
                <a class="button" href=format!("sms:{number}") aria-label=format!("{} {name}", t.p.text)>{t.p.text}</a>
            })}
            {(!email.is_empty()).then(|| view! {
                <a class="button" href=format!("mailto:{email}") aria-label=format!("{} {name}", t.p.email)>{t.p.email}</a>
            })}
            {map.map(|m| view! { <a class="button" href=m target="_blank" rel="noopener noreferrer">{t.p.map}</a> })}
        </p>
    }
}

/// `/partners/:key`.
#[component]
pub fn PartnerPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = move || partner_id(&params.with(|p| p.get("key").unwrap_or_default()));
    view! {
        <WithList>
            <p class="back"><A href="/partners">"← "{t.p.back_to_list}</A></p>
            <DirectoryGate>
                {move || view! { <PartnerView id=id()/> }}
            </DirectoryGate>
        </WithList>
    }
}

#[component]
fn PartnerView(id: String) -> impl IntoView {
    let t = use_i18n();
    let p = use_partners();
    let env = Env::get();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let pid = id.clone();
    let delete = move |_| {
        if !window()
            .confirm_with_message(t.p.confirm_delete_partner)
            .unwrap_or(false)
        {
            return;
        }
        let id = pid.clone();
        let navigate = navigate.clone();
        // The partner and everything that belongs to it go in one all-or-nothing write.
        let changes: Vec<Change> = p.dir.with_untracked(|d| {
            std::iter::once(id.clone())
                .chain(d.contacts(&id).iter().map(|c| c.id.clone()))
                .chain(d.stage_history(&id).iter().map(|s| s.id.clone()))
                .chain(d.timeline(&id).iter().map(|i| i.id.clone()))
                .map(|id| Change { id, body: None })
                .collect()
        });
        leptos::task::spawn_local(async move {
            match env.write(&changes).await {
                Ok(()) => navigate("/partners", Default::default()),
                Err((_, m)) => error.set(Some(m)),
            }
        });
    };
    move || {
        let Some((partner, facts, contacts, history, timeline, departments)) = p.dir.with(|d| {
            let partner = d.partner(&id)?.clone();
            let departments = d.departments_of(&partner);
            Some((
                partner,
                d.facts(&id),
                d.contacts(&id).into_iter().cloned().collect::<Vec<_>>(),
                d.stage_history(&id).into_iter().cloned().collect::<Vec<_>>(),
                d.timeline(&id).into_iter().cloned().collect::<Vec<_>>(),
                departments,
            ))
        }) else {
            return view! { <p class="empty">{t.p.not_found}</p> }.into_any();
        };
        let ready = p.interactions_ready.get();
        let href = super::partner_href(&partner.id);
        let map = map_href(&partner);
        let website = safe_url(&partner.website);
        let list = |v: &[String]| v.join(", ");
        let categories: Vec<&str> = partner
            .strength_categories
            .iter()
            .map(|c| (t.p.category_name)(*c))
            .collect();
        let facts_rows: Vec<(&'static str, String)> = [
            (t.p.f_categories, categories.join(", ")),
            (t.p.f_strengths, list(&partner.strengths)),
            (t.p.f_populations, list(&partner.populations)),
            (t.p.f_languages, list(&partner.languages)),
            (t.p.f_service_area, partner.service_area.clone()),
            (t.p.f_address, partner.address.clone()),
            (t.p.f_phone, partner.phone.clone()),
            (t.p.f_email, partner.email.clone()),
            (t.p.f_owning_department, partner.owning_department.clone()),
            (t.p.f_other_departments, list(&partner.other_departments)),
            (t.p.f_tags, list(&partner.tags)),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
        let shared = (departments.len() > 1).then(|| (t.p.also_known_to)(&departments.join(", ")));
        let name = partner.name.clone();
        view! {
            <article class="partner" aria-labelledby="partner-name">
                <h1 id="partner-name">{partner.name.clone()}</h1>
                <p class="meta">
                    <span class="kind">{(t.p.kind_name)(partner.kind)}</span>" · "
                    <span class="stage" id="current-stage">{facts.stage.map_or(t.p.no_stage, t.p.stage_name)}</span>
                    " · "{facts.last_contact.as_deref().map_or(t.p.never_contacted.to_string(), t.p.last_contact)}
                </p>
                {shared.map(|s| view! { <p class="shared">{s}</p> })}
                <Reach phone=partner.phone.clone() email=partner.email.clone() map=map name=name.clone()/>
                <p class="actions">
                    <A href=format!("{href}/log") attr:class="button primary" attr:id="log-interaction">{t.p.log_interaction}</A>
                    <A href=format!("{href}/stage") attr:class="button" attr:id="change-stage">{t.p.change_stage}</A>
                    <A href=format!("{href}/edit") attr:class="button" attr:id="edit-partner">{t.p.edit_partner}</A>
                </p>
                <section aria-labelledby="about-h">
                    <h2 id="about-h">{t.p.about}</h2>
                    {(!partner.description.is_empty()).then(|| view! { <p class="description">{partner.description.clone()}</p> })}
                    {website.map(|w| { let shown = w.clone(); view! { <p><a href=w target="_blank" rel="noopener noreferrer">{t.p.website}": "{shown}</a></p> } })}
                    <dl class="facts">
                        {facts_rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                </section>
                <section aria-labelledby="contacts-h">
                    <h2 id="contacts-h">{t.p.contacts}</h2>
                    {contacts.is_empty().then(|| view! { <p class="empty">{t.p.no_contacts}</p> })}
                    <ul class="contacts">
                        {contacts.into_iter().map(|c| view! { <ContactItem contact=c partner_name=name.clone() href=href.clone()/> }).collect_view()}
                    </ul>
                    <p><A href=format!("{href}/new-contact") attr:class="button" attr:id="add-contact">{t.p.add_contact}</A></p>
                </section>
                <section aria-labelledby="stage-h">
                    <h2 id="stage-h">{t.p.stage_history}</h2>
                    {facts.stage.map(|s| view! { <p class="help">{(t.p.stage_help)(s)}</p> })}
                    {history.is_empty().then(|| view! { <p class="empty">{t.p.no_stage_history}</p> })}
                    <ol class="history stage-history">
                        {history.into_iter().map(|s| view! {
                            <li>
                                <strong>{(t.p.stage_name)(s.stage)}</strong>" · "<time datetime=s.date.clone()>{s.date.clone()}</time>
                                {(!s.reason.is_empty()).then(|| view! { <p class="reason">{s.reason.clone()}</p> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
                <PartnerChecklists partner_id=partner.id.clone()/>
                <section aria-labelledby="timeline-h">
                    <h2 id="timeline-h">{t.p.timeline}</h2>
                    {(timeline.is_empty() && ready).then(|| view! { <p class="empty">{t.p.no_interactions}</p> })}
                    {(!ready).then(|| view! { <p class="loading" role="status">{t.p.reading_interactions}</p> })}
                    <ol class="history timeline">
                        {timeline.into_iter().map(|i| view! {
                            <li>
                                <strong>{(t.p.interaction_name)(i.kind)}</strong>" · "<time datetime=i.date.clone()>{i.date.clone()}</time>
                                {(!i.logged_by.is_empty()).then(|| format!(" · {}", (t.p.by)(&i.logged_by)))}
                                {(!i.notes.is_empty()).then(|| view! { <p class="notes">{i.notes.clone()}</p> })}
                                {(!i.follow_up.is_empty()).then(|| view! { <p class="follow-up">{(t.p.follow_up_on)(&i.follow_up)}</p> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <button type="button" class="danger" id="delete-partner" on:click=delete.clone()>{t.p.delete_partner}</button>
            </article>
        }
        .into_any()
    }
}

#[component]
fn ContactItem(contact: Contact, partner_name: String, href: String) -> impl IntoView {
    let t = use_i18n();
    let key = contact.id.rsplit(':').next().unwrap_or_default().to_string();
    let card = vcard(&contact, &partner_name);
    let file = format!("{}.vcf", file_stem(&contact.name));
    let save_card = move |_| {
        let _ = crate::shell::download(&file, "text/vcard", &card);
    };
    view! {
        <li class="contact">
            <p class="contact-name"><strong>{contact.name.clone()}</strong>
                {(!contact.role.is_empty()).then(|| format!(" · {}", contact.role))}</p>
            {(!contact.preferred_language.is_empty()).then(|| view! { <p class="meta">{(t.p.prefers)(&contact.preferred_language)}</p> })}
            {(!contact.speaks_for.is_empty()).then(|| view! { <p class="speaks-for">{(t.p.speaks_for)(&contact.speaks_for)}</p> })}
            <Reach phone=contact.phone.clone() email=contact.email.clone() map=None name=contact.name.clone()/>
            <p class="actions">
                <button type="button" on:click=save_card>{t.p.vcard}</button>
                <A href=format!("{href}/contact/{key}") attr:class="button">{t.p.edit_contact}</A>
            </p>
        </li>
    }
}

/// The checklists run for this partner, door-to-door referrals to it, and links to start the
/// two checklists made for partners.
#[component]
fn PartnerChecklists(partner_id: String) -> impl IntoView {
    let t = use_i18n();
    let f = crate::field::use_field();
    let pid = partner_id.clone();
    let runs = move || {
        f.runs.with(|rs| {
            let mut v: Vec<(String, String, String)> = rs
                .iter()
                .filter(|r| r.partner == pid)
                .map(|r| {
                    (
                        commontable_core::checklist::key_of(&r.id).to_string(),
                        r.title.clone(),
                        r.started.clone(),
                    )
                })
                .collect();
            v.sort_by(|a, b| b.2.cmp(&a.2));
            v
        })
    };
    let pid2 = partner_id.clone();
    let referrals = move || f.visits.with(|vs| vs.iter().filter(|v| v.referral == pid2).count());
    let enc = js_sys::encode_uri_component(&partner_id)
        .as_string()
        .unwrap_or_default();
    view! {
        <section aria-labelledby="partner-runs-h">
            <h2 id="partner-runs-h">{t.c.heading}</h2>
            <ul class="partner-links">
                {move || runs().into_iter().map(|(key, title, started)| view! {
                    <li><a href=format!("/runs/{key}")>{title}</a>" · "{started}</li>
                }).collect_view()}
            </ul>
            {move || { let n = referrals(); (n > 0).then(|| view! { <p class="meta">{(t.c.referrals)(n)}</p> }) }}
            <p class="actions">
                <a class="button" href=format!("/checklists/start/first-meeting?partner={enc}")>{t.c.start_first_meeting}</a>
                <a class="button" href=format!("/checklists/start/partnership-assessment?partner={enc}")>{t.c.start_assessment}</a>
            </p>
        </section>
    }
}
