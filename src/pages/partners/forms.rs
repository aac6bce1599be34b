//! The partner forms: a partner (create, edit), a contact (create, edit, delete), logging an
//! interaction, and changing the relationship stage. Each validates in core before anything is
//! written and shows the message next to the field at fault.

use super::fields::{focus_errors, split_list, Errors, Field, FormMessage};
use super::{partner_href, partner_id, DirectoryGate, WithList};
use crate::i18n::use_i18n;
use crate::partners::{new_key, today, use_partners, Change, Env};
use commontable_core::partner::{
    child_id, AssetCategory, Contact, Interaction, InteractionKind, Partner, PartnerKind, Stage, StageChange,
};
use commontable_core::stored::Stored;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

fn key_param(name: &str) -> Option<String> {
    use_params_map().with_untracked(|p| p.get(name))
}

/// Shows `form` for the partner in the address, or "not found".
#[component]
fn ForPartner(form: fn(Partner) -> AnyView) -> impl IntoView {
    let t = use_i18n();
    let p = use_partners();
    let id = partner_id(&key_param("key").unwrap_or_default());
    let back = partner_href(&id);
    view! {
        <WithList>
            <p class="back"><A href=back>"← "{t.p.back_to_list}</A></p>
            <DirectoryGate>
                {
                    let id = id.clone();
                    move || match p.dir.with_untracked(|d| d.partner(&id).cloned()) {
                        Some(partner) => form(partner),
                        None => view! { <p class="empty">{t.p.not_found}</p> }.into_any(),
                    }
                }
            </DirectoryGate>
        </WithList>
    }
}

const PARTNER_FIELDS: &[&str] = &[
    "name",
    "kind",
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
];

/// `/new-partner` and `/partners/:key/edit`.
#[component]
pub fn PartnerFormPage() -> impl IntoView {
    let t = use_i18n();
    match key_param("key") {
        Some(_) => view! { <ForPartner form=|p| view! { <PartnerForm existing=Some(p)/> }.into_any()/> }.into_any(),
        None => view! {
            <p class="back"><A href="/partners">"← "{t.p.back_to_list}</A></p>
            <DirectoryGate><PartnerForm existing=None/></DirectoryGate>
        }
        .into_any(),
    }
}

#[component]
fn PartnerForm(existing: Option<Partner>) -> impl IntoView {
    let t = use_i18n();
    let env = Env::get();
    let navigate = use_navigate();
    let is_new = existing.is_none();
    let base = existing.unwrap_or_default();
    let text = |s: &String| RwSignal::new(s.clone());
    let joined = |v: &Vec<String>| RwSignal::new(v.join("; "));
    let name = text(&base.name);
    let kind = RwSignal::new(if is_new { None } else { Some(base.kind) });
    let description = text(&base.description);
    let categories = RwSignal::new(base.strength_categories.clone());
    let strengths = joined(&base.strengths);
    let populations = joined(&base.populations);
    let languages = joined(&base.languages);
    let service_area = text(&base.service_area);
    let address = text(&base.address);
    let map_link = text(&base.map_link);
    let website = text(&base.website);
    let phone = text(&base.phone);
    let email = text(&base.email);
    let owning = text(&base.owning_department);
    let others = joined(&base.other_departments);
    let tags = joined(&base.tags);
    let first_stage = RwSignal::new(None::<Stage>);
    let errors: Errors = RwSignal::new(None);
    let busy = RwSignal::new(false);
    focus_errors(errors, PARTNER_FIELDS);
    let id = if is_new {
        partner_id(&new_key())
    } else {
        base.id.clone()
    };
    let back = if is_new {
        "/partners".to_string()
    } else {
        partner_href(&id)
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(kind) = kind.get_untracked() else {
            errors.set(Some(("kind".into(), t.p.choose_one.into())));
            return;
        };
        let partner = Partner {
            id: id.clone(),
            name: name.get_untracked().trim().to_string(),
            kind,
            description: description.get_untracked().trim().to_string(),
            strength_categories: categories.get_untracked(),
            strengths: split_list(&strengths.get_untracked()),
            populations: split_list(&populations.get_untracked()),
            languages: split_list(&languages.get_untracked()),
            service_area: service_area.get_untracked().trim().to_string(),
            address: address.get_untracked().trim().to_string(),
            map_link: map_link.get_untracked().trim().to_string(),
            website: website.get_untracked().trim().to_string(),
            phone: phone.get_untracked().trim().to_string(),
            email: email.get_untracked().trim().to_string(),
            owning_department: owning.get_untracked().trim().to_string(),
            other_departments: split_list(&others.get_untracked()),
            tags: split_list(&tags.get_untracked()),
        };
        let mut changes = vec![Change::put(&partner)];
        if let (true, Some(stage)) = (is_new, first_stage.get_untracked()) {
            let s = StageChange {
                id: child_id(StageChange::PREFIX, &partner.id, &new_key()),
                partner: partner.id.clone(),
                stage,
                date: today(),
                reason: String::new(),
                recorded_at: crate::field::now_iso(),
            };
            changes.push(Change::put(&s));
        }
        env.submit(changes, busy, errors, navigate.clone(), partner_href(&partner.id));
    };
    view! {
        <h1>{if is_new { t.p.new_partner } else { t.p.edit_partner }}</h1>
        <form class="editor" on:submit=save novalidate>
            <FormMessage errors fields=PARTNER_FIELDS/>
            <Field name="name" label=t.p.f_name value=name errors autocomplete="organization"/>
            <label for="f-kind">{t.p.f_kind}</label>
            <select id="f-kind" aria-describedby="e-kind"
                aria-invalid=move || if super::fields::error_of(errors, "kind")().is_some() { "true" } else { "false" }
                on:change=move |ev| kind.set(PartnerKind::parse(&event_target_value(&ev)))>
                <option value="" selected=move || kind.get().is_none()>"—"</option>
                {PartnerKind::ALL.iter().map(|k| { let k = *k; view! {
                    <option value=k.as_str() selected=move || kind.get() == Some(k)>{(t.p.kind_name)(k)}</option>
                }}).collect_view()}
            </select>
            <p id="e-kind" class="field-error">{super::fields::error_of(errors, "kind")}</p>
            <Field name="description" label=t.p.f_description value=description errors rows=4/>
            <fieldset id="f-strength_categories" tabindex="-1" aria-describedby="e-strength_categories">
                <legend>{t.p.f_categories}</legend>
                {AssetCategory::ALL.iter().map(|c| { let c = *c; view! {
                    <label class="check">
                        <input type="checkbox" value=c.as_str() prop:checked=move || categories.with(|v| v.contains(&c))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                categories.update(|v| { v.retain(|x| *x != c); if on { v.push(c) } });
                            }/>
                        " "{(t.p.category_name)(c)}
                    </label>
                }}).collect_view()}
            </fieldset>
            <p id="e-strength_categories" class="field-error">{super::fields::error_of(errors, "strength_categories")}</p>
            <Field name="strengths" label=t.p.f_strengths value=strengths errors help=t.p.list_hint/>
            <Field name="populations" label=t.p.f_populations value=populations errors help=t.p.list_hint/>
            <Field name="languages" label=t.p.f_languages value=languages errors help=t.p.list_hint/>
            <Field name="service_area" label=t.p.f_service_area value=service_area errors/>
            <Field name="address" label=t.p.f_address value=address errors autocomplete="street-address"/>
            <Field name="map_link" label=t.p.f_map_link value=map_link errors input_type="url"/>
            <Field name="website" label=t.p.f_website value=website errors input_type="url"/>
            <Field name="phone" label=t.p.f_phone value=phone errors input_type="tel"/>
            <Field name="email" label=t.p.f_email value=email errors input_type="email"/>
            <Field name="owning_department" label=t.p.f_owning_department value=owning errors/>
            <Field name="other_departments" label=t.p.f_other_departments value=others errors help=t.p.list_hint/>
            <Field name="tags" label=t.p.f_tags value=tags errors help=t.p.list_hint/>
            {is_new.then(|| view! {
                <label for="f-first-stage">{t.p.f_first_stage}</label>
                <select id="f-first-stage" on:change=move |ev| first_stage.set(Stage::parse(&event_target_value(&ev)))>
                    <option value="">{t.p.no_stage}</option>
                    {Stage::ALL.iter().map(|s| view! { <option value=s.as_str()>{(t.p.stage_name)(*s)}</option> }).collect_view()}
                </select>
            })}
            <div class="actions">
                <button type="submit" id="save-partner" class="primary" disabled=move || busy.get()>{t.p.save}</button>
                <A href=back>{t.cancel}</A>
            </div>
        </form>
    }
}

const CONTACT_FIELDS: &[&str] = &["name", "role", "phone", "email", "preferred_language", "speaks_for"];

/// `/partners/:key/new-contact` and `/partners/:key/contact/:ckey`.
#[component]
pub fn ContactFormPage() -> impl IntoView {
    view! { <ForPartner form=|p| view! { <ContactForm partner=p/> }.into_any()/> }
}

#[component]
fn ContactForm(partner: Partner) -> impl IntoView {
    let t = use_i18n();
    let env = Env::get();
    let p = use_partners();
    let navigate = use_navigate();
    let ckey = key_param("ckey");
    let existing = ckey.as_ref().and_then(|k| {
        let id = child_id(Contact::PREFIX, &partner.id, k);
        p.dir.with_untracked(|d| d.contact(&id).cloned())
    });
    let is_new = existing.is_none();
    let base = existing.unwrap_or_else(|| Contact {
        id: child_id(Contact::PREFIX, &partner.id, &new_key()),
        partner: partner.id.clone(),
        ..Default::default()
    });
    let name = RwSignal::new(base.name.clone());
    let role = RwSignal::new(base.role.clone());
    let phone = RwSignal::new(base.phone.clone());
    let email = RwSignal::new(base.email.clone());
    let language = RwSignal::new(base.preferred_language.clone());
    let speaks_for = RwSignal::new(base.speaks_for.clone());
    let errors: Errors = RwSignal::new(None);
    let busy = RwSignal::new(false);
    focus_errors(errors, CONTACT_FIELDS);
    let back = partner_href(&partner.id);
    let id = base.id.clone();
    let save = {
        let (navigate, back, id, partner_id) = (navigate.clone(), back.clone(), id.clone(), partner.id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let c = Contact {
                id: id.clone(),
                partner: partner_id.clone(),
                name: name.get_untracked().trim().to_string(),
                role: role.get_untracked().trim().to_string(),
                phone: phone.get_untracked().trim().to_string(),
                email: email.get_untracked().trim().to_string(),
                preferred_language: language.get_untracked().trim().to_string(),
                speaks_for: speaks_for.get_untracked().trim().to_string(),
            };
            env.submit(vec![Change::put(&c)], busy, errors, navigate.clone(), back.clone());
        }
    };
    let delete = {
        let (navigate, back, id) = (navigate.clone(), back.clone(), id.clone());
        move |_| {
            if !window()
                .confirm_with_message(t.p.confirm_delete_contact)
                .unwrap_or(false)
            {
                return;
            }
            let (navigate, back, id) = (navigate.clone(), back.clone(), id.clone());
            leptos::task::spawn_local(async move {
                match env.write(&[Change { id, body: None }]).await {
                    Ok(()) => navigate(&back, Default::default()),
                    Err(e) => errors.set(Some(e)),
                }
            });
        }
    };
    view! {
        <h1>{if is_new { t.p.new_contact } else { t.p.edit_contact }}</h1>
        <p class="meta">{partner.name.clone()}</p>
        <form class="editor" on:submit=save novalidate>
            <FormMessage errors fields=CONTACT_FIELDS/>
            <Field name="name" label=t.p.c_name value=name errors autocomplete="name"/>
            <Field name="role" label=t.p.c_role value=role errors autocomplete="organization-title"/>
            <Field name="phone" label=t.p.f_phone value=phone errors input_type="tel"/>
            <Field name="email" label=t.p.f_email value=email errors input_type="email"/>
            <Field name="preferred_language" label=t.p.c_language value=language errors/>
            <Field name="speaks_for" label=t.p.c_speaks_for value=speaks_for errors rows=3 help=t.p.c_speaks_for_help/>
            <div class="actions">
                <button type="submit" id="save-contact" class="primary" disabled=move || busy.get()>{t.p.save}</button>
                <A href=back.clone()>{t.cancel}</A>
                {(!is_new).then(|| view! { <button type="button" class="danger" id="delete-contact" on:click=delete.clone()>{t.p.delete_contact}</button> })}
            </div>
        </form>
    }
}

const LOG_FIELDS: &[&str] = &["kind", "date", "notes", "follow_up", "logged_by"];
const LOGGED_BY_KEY: &str = "commontable.logged-by";

fn remembered_name() -> String {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LOGGED_BY_KEY).ok().flatten())
        .unwrap_or_default()
}

/// `/partners/:key/log`: meeting and today are chosen already, so the common case is one tap
/// on the kind (or none) and one on Save.
#[component]
pub fn LogPage() -> impl IntoView {
    view! { <ForPartner form=|p| view! { <LogForm partner=p/> }.into_any()/> }
}

#[component]
fn LogForm(partner: Partner) -> impl IntoView {
    let t = use_i18n();
    let env = Env::get();
    let navigate = use_navigate();
    let kind = RwSignal::new(InteractionKind::Meeting);
    let date = RwSignal::new(today());
    let notes = RwSignal::new(String::new());
    let follow_up = RwSignal::new(String::new());
    let logged_by = RwSignal::new(remembered_name());
    let errors: Errors = RwSignal::new(None);
    let busy = RwSignal::new(false);
    focus_errors(errors, LOG_FIELDS);
    let back = partner_href(&partner.id);
    let save = {
        let (navigate, back, pid) = (navigate.clone(), back.clone(), partner.id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let i = Interaction {
                id: child_id(Interaction::PREFIX, &pid, &new_key()),
                partner: pid.clone(),
                kind: kind.get_untracked(),
                date: date.get_untracked().trim().to_string(),
                logged_by: logged_by.get_untracked().trim().to_string(),
                notes: notes.get_untracked().trim().to_string(),
                follow_up: follow_up.get_untracked().trim().to_string(),
                recorded_at: crate::field::now_iso(),
            };
            if let Some(s) = window().local_storage().ok().flatten() {
                let _ = s.set_item(LOGGED_BY_KEY, &i.logged_by);
            }
            env.submit(vec![Change::put(&i)], busy, errors, navigate.clone(), back.clone());
        }
    };
    view! {
        <h1>{t.p.log_interaction}</h1>
        <p class="meta">{partner.name.clone()}</p>
        <form class="editor" on:submit=save novalidate>
            <FormMessage errors fields=LOG_FIELDS/>
            <fieldset id="f-kind" tabindex="-1" class="choices">
                <legend>{t.p.i_kind}</legend>
                {InteractionKind::ALL.iter().map(|k| { let k = *k; view! {
                    <label class="choice">
                        <input type="radio" name="interaction-kind" value=k.as_str()
                            prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                        <span>{(t.p.interaction_name)(k)}</span>
                    </label>
                }}).collect_view()}
            </fieldset>
            <button type="submit" id="save-interaction" class="primary" disabled=move || busy.get()>{t.p.save}</button>
            <Field name="date" label=t.p.i_date value=date errors input_type="date"/>
            <Field name="notes" label=t.p.i_notes value=notes errors rows=4/>
            <Field name="follow_up" label=t.p.i_follow_up value=follow_up errors input_type="date"/>
            <Field name="logged_by" label=t.p.i_logged_by value=logged_by errors autocomplete="name"/>
            <div class="actions">
                <A href=back.clone()>{t.cancel}</A>
            </div>
        </form>
    }
}

const STAGE_FIELDS: &[&str] = &["stage", "date", "reason"];

/// `/partners/:key/stage`: a new dated stage with why (the history keeps every change).
#[component]
pub fn StagePage() -> impl IntoView {
    view! { <ForPartner form=|p| view! { <StageForm partner=p/> }.into_any()/> }
}

#[component]
fn StageForm(partner: Partner) -> impl IntoView {
    let t = use_i18n();
    let env = Env::get();
    let p = use_partners();
    let navigate = use_navigate();
    let current = p.dir.with_untracked(|d| d.facts(&partner.id).stage);
    let stage = RwSignal::new(current);
    let date = RwSignal::new(today());
    let reason = RwSignal::new(String::new());
    let errors: Errors = RwSignal::new(None);
    let busy = RwSignal::new(false);
    focus_errors(errors, STAGE_FIELDS);
    let back = partner_href(&partner.id);
    let save = {
        let (navigate, back, pid) = (navigate.clone(), back.clone(), partner.id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(stage) = stage.get_untracked() else {
                errors.set(Some(("stage".into(), t.p.choose_one.into())));
                return;
            };
            let s = StageChange {
                id: child_id(StageChange::PREFIX, &pid, &new_key()),
                partner: pid.clone(),
                stage,
                date: date.get_untracked().trim().to_string(),
                reason: reason.get_untracked().trim().to_string(),
                recorded_at: crate::field::now_iso(),
            };
            env.submit(vec![Change::put(&s)], busy, errors, navigate.clone(), back.clone());
        }
    };
    view! {
        <h1>{t.p.change_stage}</h1>
        <p class="meta">{partner.name.clone()}</p>
        <form class="editor" on:submit=save novalidate>
            <FormMessage errors fields=STAGE_FIELDS/>
            <fieldset id="f-stage" tabindex="-1" class="choices" aria-describedby="e-stage">
                <legend>{t.p.s_stage}</legend>
                {Stage::ALL.iter().map(|s| { let s = *s; view! {
                    <label class="choice">
                        <input type="radio" name="stage" value=s.as_str()
                            prop:checked=move || stage.get() == Some(s) on:change=move |_| stage.set(Some(s))/>
                        <span><strong>{(t.p.stage_name)(s)}</strong><br/><small>{(t.p.stage_help)(s)}</small></span>
                    </label>
                }}).collect_view()}
            </fieldset>
            <p id="e-stage" class="field-error">{super::fields::error_of(errors, "stage")}</p>
            <Field name="date" label=t.p.s_date value=date errors input_type="date"/>
            <Field name="reason" label=t.p.s_reason value=reason errors rows=3/>
            <div class="actions">
                <button type="submit" id="save-stage" class="primary" disabled=move || busy.get()>{t.p.save}</button>
                <A href=back.clone()>{t.cancel}</A>
            </div>
        </form>
    }
}
