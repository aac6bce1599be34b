//! `/coverage`: where haven't we been? Areas with no door-to-door visit in the last N days, and
//! underserved groups with no listening session yet.

use super::FieldGate;
use crate::field::use_field;
use crate::i18n::use_i18n;
use crate::partners::today;
use commontable_core::checklist::{groups_without_session, unvisited_areas};
use leptos::prelude::*;
use leptos_router::components::A;

/// The listening-session template's short name.
const LISTENING: &str = "listening-session";

/// The page.
#[component]
pub fn CoveragePage() -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let days = RwSignal::new(60u32);
    let day = today();
    view! {
        <p class="back"><A href="/checklists">"← "{t.c.heading}</A></p>
        <h1>{t.c.coverage_heading}</h1>
        <FieldGate>
            <section aria-labelledby="gaps-h">
                <h2 id="gaps-h">{t.c.areas_not_visited}</h2>
                <label for="coverage-days">{t.c.days_label}</label>
                <select id="coverage-days" on:change=move |ev| days.set(event_target_value(&ev).parse().unwrap_or(60))>
                    {[30u32, 60, 90, 180, 365].into_iter().map(|n| view! {
                        <option value=n.to_string() selected=move || days.get() == n>{(t.c.days)(n)}</option>
                    }).collect_view()}
                </select>
                {
                    let day = day.clone();
                    move || {
                        let areas = f.areas.get();
                        let visits = f.visits.get();
                        let gaps: Vec<(String, Option<String>)> = unvisited_areas(&areas, &visits, &day, days.get())
                            .into_iter()
                            .map(|(a, d)| (a.name.clone(), d))
                            .collect();
                        if areas.is_empty() {
                            return view! { <p class="empty">{t.c.no_areas}" "<A href="/register">{t.c.register_link}</A></p> }.into_any();
                        }
                        if gaps.is_empty() {
                            return view! { <p class="ok">{t.c.all_visited}</p> }.into_any();
                        }
                        view! {
                            <ul class="register gaps" id="area-gaps">
                                {gaps.into_iter().map(|(name, last)| view! {
                                    <li><strong>{name}</strong>" · "{last.as_deref().map_or(t.c.never_visited.to_string(), t.c.last_visit)}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            </section>
            <section aria-labelledby="groups-gap-h">
                <h2 id="groups-gap-h">{t.c.groups_not_heard}</h2>
                {move || {
                    let groups = f.groups.get();
                    let runs = f.runs.get();
                    let left: Vec<(String, String)> = groups_without_session(&groups, &runs, LISTENING)
                        .into_iter()
                        .map(|g| (g.id.clone(), g.name.clone()))
                        .collect();
                    if groups.is_empty() {
                        return view! { <p class="empty">{t.c.no_groups}</p> }.into_any();
                    }
                    if left.is_empty() {
                        return view! { <p class="ok">{t.c.all_heard}</p> }.into_any();
                    }
                    view! {
                        <ul class="register gaps" id="group-gaps">
                            {left.into_iter().map(|(id, name)| view! {
                                <li><strong>{name}</strong>" · "
                                    <A href=format!("/checklists/start/{LISTENING}?group={}", js_sys::encode_uri_component(&id))>{t.c.plan_session}</A></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </FieldGate>
    }
}
