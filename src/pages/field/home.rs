//! `/checklists`: runs in progress, door-to-door mode, and the templates to start from;
//! `/checklists/start/:slug`: starting a run (optionally for a partner, an area, a group or an
//! event).

use super::FieldGate;
use crate::field::{my_name, use_field};
use crate::i18n::use_i18n;
use crate::pages::partners::fields::{focus_errors, Errors, Field as TextField, FormMessage};
use crate::partners::{new_key, today, use_partners, Change, Env};
use commontable_core::checklist::{key_of, latest, Run, RunState};
use commontable_core::stored::Stored;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The checklist home.
#[component]
pub fn ChecklistsPage() -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    view! {
        <h1>{t.c.heading}</h1>
        <p class="intro">{t.c.intro}</p>
        <p class="actions">
            <A href="/door" attr:class="button primary" attr:id="door-mode">{t.c.door_mode}</A>
            <A href="/coverage" attr:class="button">{t.c.coverage_link}</A>
            <A href="/register" attr:class="button">{t.c.register_link}</A>
        </p>
        <FieldGate>
            <section aria-labelledby="runs-h">
                <h2 id="runs-h">{t.c.in_progress}</h2>
                {move || {
                    let mut runs = f.runs.get();
                    runs.sort_by(|a, b| b.started.cmp(&a.started).then(a.title.cmp(&b.title)));
                    let rows: Vec<_> = runs.into_iter().filter_map(|r| {
                        let tpl = f.template_of(&r)?;
                        let st = RunState::new(Vec::new(), f.statuses_of(&r.id));
                        Some((r, tpl.title.clone(), st.is_complete()))
                    }).collect();
                    if rows.is_empty() {
                        return view! { <p class="empty">{t.c.no_runs}</p> }.into_any();
                    }
                    view! {
                        <ul class="run-list">
                            {rows.into_iter().map(|(r, tpl, done)| view! {
                                <li class="run-row">
                                    <a href=format!("/runs/{}", key_of(&r.id))>{r.title.clone()}</a>
                                    <span class="meta">{tpl}" · "{r.started.clone()}" · "
                                        {if done { t.c.status_complete } else { t.c.status_open }}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section aria-labelledby="templates-h">
                <h2 id="templates-h">{t.c.start_heading}</h2>
                <ul class="cards templates">
                    {move || f.templates.with(|ts| {
                        let mut list: Vec<_> = latest(ts).into_values().cloned().collect();
                        list.sort_by(|a, b| a.title.cmp(&b.title));
                        list.into_iter().map(|tpl| view! {
                            <li class="card template" data-slug=tpl.slug.clone()>
                                <h3>{tpl.title.clone()}</h3>
                                <p class="summary">{tpl.summary.clone()}</p>
                                <p class="meta">{(t.c.version)(tpl.version)}</p>
                                <p class="actions">
                                    <A href=format!("/checklists/start/{}", tpl.slug) attr:class="button primary">{t.c.start}</A>
                                    <A href=format!("/checklists/edit/{}", tpl.slug) attr:class="button">{t.c.edit_template}</A>
                                </p>
                            </li>
                        }).collect_view()
                    })}
                </ul>
            </section>
        </FieldGate>
    }
}

const START_FIELDS: &[&str] = &["title", "event", "partner", "area", "group"];

/// Starting a run.
#[component]
pub fn StartRunPage() -> impl IntoView {
    let t = use_i18n();
    view! {
        <p class="back"><A href="/checklists">"← "{t.c.heading}</A></p>
        <FieldGate><StartForm/></FieldGate>
    }
}

#[component]
fn StartForm() -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let p = use_partners();
    let env = Env::get();
    let navigate = use_navigate();
    let slug = use_params_map().with_untracked(|m| m.get("slug").unwrap_or_default());
    let q = use_query_map().get_untracked();
    let Some(tpl) = f
        .templates
        .with_untracked(|ts| latest(ts).get(slug.as_str()).map(|t| (*t).clone()))
    else {
        return view! { <p class="empty">{t.c.no_template}</p> }.into_any();
    };
    let title = RwSignal::new(tpl.title.clone());
    let event = RwSignal::new(String::new());
    let partner = RwSignal::new(q.get("partner").unwrap_or_default());
    let area = RwSignal::new(q.get("area").unwrap_or_default());
    let group = RwSignal::new(q.get("group").unwrap_or_default());
    let errors: Errors = RwSignal::new(None);
    focus_errors(errors, START_FIELDS);
    let template_id = tpl.doc_id();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let run = Run {
            id: format!("{}{}", Run::PREFIX, new_key()),
            template: template_id.clone(),
            title: title.get_untracked().trim().to_string(),
            started: today(),
            started_by: my_name(),
            partner: partner.get_untracked(),
            area: area.get_untracked(),
            group: group.get_untracked(),
            event: event.get_untracked().trim().to_string(),
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let to = format!("/runs/{}", key_of(&run.id));
            match f.write(env, vec![Change::put(&run)]).await {
                Ok(()) => navigate(&to, Default::default()),
                Err(e) => errors.set(Some(e)),
            }
        });
    };
    let select = |id: &'static str, label: &'static str, value: RwSignal<String>, options: Vec<(String, String)>| {
        view! {
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" selected=move || value.get().is_empty()>"—"</option>
                {options.into_iter().map(|(v, name)| {
                    let chosen = v.clone();
                    view! { <option value=v selected=move || value.get() == chosen>{name}</option> }
                }).collect_view()}
            </select>
        }
    };
    let partners: Vec<(String, String)> = p
        .dir
        .with_untracked(|d| d.all().into_iter().map(|x| (x.id.clone(), x.name.clone())).collect());
    let areas: Vec<(String, String)> = f
        .areas
        .with_untracked(|v| v.iter().map(|a| (a.id.clone(), a.name.clone())).collect());
    let groups: Vec<(String, String)> = f
        .groups
        .with_untracked(|v| v.iter().map(|g| (g.id.clone(), g.name.clone())).collect());
    view! {
        <h1>{t.c.start}": "{tpl.title.clone()}</h1>
        <p class="intro">{tpl.summary.clone()}</p>
        <form class="editor" on:submit=save novalidate>
            <FormMessage errors fields=START_FIELDS/>
            <TextField name="title" label=t.c.run_title value=title errors/>
            <TextField name="event" label=t.c.run_event value=event errors/>
            {select("f-partner", t.c.run_partner, partner, partners)}
            {select("f-area", t.c.run_area, area, areas)}
            {select("f-group", t.c.run_group, group, groups)}
            <div class="actions">
                <button type="submit" class="primary" id="start-run">{t.c.start}</button>
                <A href="/checklists">{t.cancel}</A>
            </div>
        </form>
    }
    .into_any()
}
