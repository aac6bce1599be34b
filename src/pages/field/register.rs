//! `/register`: the workspace's areas (neighbourhoods, precincts, tracts) and the underserved
//! groups the task force has identified, with why and who identified them.

use super::FieldGate;
use crate::field::use_field;
use crate::i18n::use_i18n;
use crate::pages::partners::fields::{focus_errors, Errors, Field as TextField, FormMessage};
use crate::partners::{new_key, today, Change, Env};
use commontable_core::checklist::{Area, AreaKind, Group};
use commontable_core::stored::Stored;
use leptos::prelude::*;
use leptos_router::components::A;

/// The page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let t = use_i18n();
    view! {
        <p class="back"><A href="/checklists">"← "{t.c.heading}</A></p>
        <h1>{t.c.register_heading}</h1>
        <FieldGate>
            <Areas/>
            <Groups/>
        </FieldGate>
    }
}

fn delete(env: Env, id: String, question: &'static str) {
    if !window().confirm_with_message(question).unwrap_or(false) {
        return;
    }
    let f = use_field();
    leptos::task::spawn_local(async move {
        let _ = f.write(env, vec![Change { id, body: None }]).await;
    });
}

const AREA_FIELDS: &[&str] = &["name", "kind", "notes"];

#[component]
fn Areas() -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let env = Env::get();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(AreaKind::Neighbourhood);
    let notes = RwSignal::new(String::new());
    let errors: Errors = RwSignal::new(None);
    focus_errors(errors, AREA_FIELDS);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let a = Area {
            id: format!("{}{}", Area::PREFIX, new_key()),
            name: name.get_untracked().trim().to_string(),
            kind: kind.get_untracked(),
            notes: notes.get_untracked().trim().to_string(),
        };
        leptos::task::spawn_local(async move {
            match f.write(env, vec![Change::put(&a)]).await {
                Ok(()) => {
                    name.set(String::new());
                    notes.set(String::new());
                    errors.set(None);
                }
                Err(e) => errors.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="areas-h">
            <h2 id="areas-h">{t.c.areas}</h2>
            {move || {
                let mut list = f.areas.get();
                list.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()));
                if list.is_empty() {
                    return view! { <p class="empty">{t.c.no_areas}</p> }.into_any();
                }
                view! {
                    <ul class="register">
                        {list.into_iter().map(|a| {
                            let id = a.id.clone();
                            view! {
                                <li>
                                    <strong>{a.name.clone()}</strong>" · "{(t.c.area_kind)(a.kind)}
                                    {(!a.notes.is_empty()).then(|| view! { <p class="help">{a.notes.clone()}</p> })}
                                    <button type="button" class="danger small" on:click=move |_| delete(env, id.clone(), t.c.confirm_delete)>{t.c.delete}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form class="editor" on:submit=add novalidate>
                <h3>{t.c.add_area}</h3>
                <FormMessage errors fields=AREA_FIELDS/>
                <TextField name="name" label=t.c.area_name value=name errors/>
                <label for="f-kind">{t.c.area_kind_label}</label>
                <select id="f-kind" on:change=move |ev| kind.set(AreaKind::parse(&event_target_value(&ev)).unwrap_or(AreaKind::Other))>
                    {AreaKind::ALL.iter().map(|k| { let k = *k; view! {
                        <option value=k.as_str() selected=move || kind.get() == k>{(t.c.area_kind)(k)}</option>
                    }}).collect_view()}
                </select>
                <TextField name="notes" label=t.c.notes value=notes errors/>
                <button type="submit" id="add-area">{t.c.add_area}</button>
            </form>
        </section>
    }
}

const GROUP_FIELDS: &[&str] = &["name", "why", "identified_by", "identified_on"];

#[component]
fn Groups() -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let env = Env::get();
    let name = RwSignal::new(String::new());
    let why = RwSignal::new(String::new());
    let by = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let errors: Errors = RwSignal::new(None);
    focus_errors(errors, GROUP_FIELDS);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let g = Group {
            id: format!("{}{}", Group::PREFIX, new_key()),
            name: name.get_untracked().trim().to_string(),
            why: why.get_untracked().trim().to_string(),
            identified_by: by.get_untracked().trim().to_string(),
            identified_on: on.get_untracked().trim().to_string(),
        };
        leptos::task::spawn_local(async move {
            match f.write(env, vec![Change::put(&g)]).await {
                Ok(()) => {
                    name.set(String::new());
                    why.set(String::new());
                    errors.set(None);
                }
                Err(e) => errors.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="groups-h">
            <h2 id="groups-h">{t.c.groups}</h2>
            {move || {
                let mut list = f.groups.get();
                list.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()));
                if list.is_empty() {
                    return view! { <p class="empty">{t.c.no_groups}</p> }.into_any();
                }
                view! {
                    <ul class="register">
                        {list.into_iter().map(|g| {
                            let id = g.id.clone();
                            view! {
                                <li>
                                    <strong>{g.name.clone()}</strong>
                                    <p>{g.why.clone()}</p>
                                    {(!g.identified_by.is_empty()).then(|| view! { <p class="help">{(t.c.identified)(&g.identified_by, &g.identified_on)}</p> })}
                                    <button type="button" class="danger small" on:click=move |_| delete(env, id.clone(), t.c.confirm_delete)>{t.c.delete}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form class="editor" on:submit=add novalidate>
                <h3>{t.c.add_group}</h3>
                <FormMessage errors fields=GROUP_FIELDS/>
                <TextField name="name" label=t.c.group_name value=name errors/>
                <TextField name="why" label=t.c.group_why value=why errors rows=3/>
                <TextField name="identified_by" label=t.c.identified_by value=by errors/>
                <TextField name="identified_on" label=t.c.identified_on value=on errors input_type="date"/>
                <button type="submit" id="add-group">{t.c.add_group}</button>
            </form>
        </section>
    }
}
