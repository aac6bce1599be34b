//! The partner list: instant search, filters, order, and "Log" on every row so an interaction
//! is at most three taps away (Log, pick the kind, Save).

use super::{partner_href, DirectoryGate};
use crate::i18n::use_i18n;
use crate::partners::{today, use_partners, PAGE};
use commontable_core::directory::{PartnerFilter, Sort};
use commontable_core::partner::{PartnerKind, Stage};
use leptos::prelude::*;
use leptos_router::components::A;

/// One row as shown.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Row {
    href: String,
    name: String,
    kind: PartnerKind,
    stage: Option<Stage>,
    last_contact: Option<String>,
}

/// `/partners`: the list, with an empty detail pane beside it on wide screens.
#[component]
pub fn PartnersPage() -> impl IntoView {
    let t = use_i18n();
    view! {
        <div class="two-pane with-list list-only">
            <section class="pane-list">
                <h1>{t.p.heading}</h1>
                <p class="intro">{t.p.intro}</p>
                <p class="actions">
                    <A href="/new-partner" attr:class="button primary" attr:id="new-partner">{t.p.new_partner}</A>
                </p>
                <PartnerList/>
                <nav class="more-views" aria-label=t.p.heading>
                    <A href="/partner-assets">{t.p.assets_link}</A>
                    <A href="/partner-departments">{t.p.departments_link}</A>
                    <A href="/partner-exchange">{t.p.exchange_link}</A>
                </nav>
            </section>
            <section class="pane-detail pane-empty">
                <p class="empty">{t.p.choose_partner}</p>
            </section>
        </div>
    }
}

fn active_filters(f: &PartnerFilter) -> usize {
    [
        f.kind.is_some(),
        f.stage.is_some(),
        f.language.is_some(),
        f.population.is_some(),
        f.department.is_some(),
        f.quiet_days.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count()
}

/// A select over text values ("" = any).
#[component]
fn TextSelect(
    id: &'static str,
    label: &'static str,
    options: Vec<String>,
    get: fn(&PartnerFilter) -> Option<String>,
    set: fn(&mut PartnerFilter, Option<String>),
) -> impl IntoView {
    let t = use_i18n();
    let p = use_partners();
    view! {
        <label>
            <span>{label}</span>
            <select id=id on:change=move |ev| {
                let v = event_target_value(&ev);
                p.filter.update(|f| set(f, (!v.is_empty()).then_some(v)));
                p.shown.set(PAGE);
            }>
                <option value="" selected=move || p.filter.with(|f| get(f).is_none())>{t.p.any}</option>
                {options.into_iter().map(|o| {
                    let chosen = o.clone();
                    let value = o.clone();
                    view! { <option value=value selected=move || p.filter.with(|f| get(f).as_deref() == Some(chosen.as_str()))>{o}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// The search box, filters and rows.
#[component]
pub fn PartnerList() -> impl IntoView {
    let t = use_i18n();
    let p = use_partners();
    let day = today();
    let results = Memo::new(move |_| {
        let f = p.filter.get();
        let shown = p.shown.get();
        p.dir.with(|d| {
            let found = d.find(&f, &day);
            let rows: Vec<Row> = found
                .iter()
                .take(shown)
                .map(|x| {
                    let facts = d.facts(&x.id);
                    Row {
                        href: partner_href(&x.id),
                        name: x.name.clone(),
                        kind: x.kind,
                        stage: facts.stage,
                        last_contact: facts.last_contact,
                    }
                })
                .collect();
            (found.len(), rows)
        })
    });
    let total = move || results.with(|r| r.0);
    let options = move || p.dir.with(|d| (d.languages(), d.populations(), d.departments()));
    let empty_directory = move || p.dir.with(|d| d.is_empty());
    view! {
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="partner-search">{t.p.search_label}</label>
            <input id="partner-search" type="search" autocomplete="off" enterkeyhint="search"
                placeholder=t.p.search_placeholder
                prop:value=move || p.filter.with(|f| f.query.clone())
                on:input=move |ev| {
                    p.filter.update(|f| f.query = event_target_value(&ev));
                    p.shown.set(PAGE);
                }/>
            <details class="filter-details">
                <summary>
                    {t.p.filters}
                    {move || p.filter.with(|f| { let n = active_filters(f); (n > 0).then(|| format!(" ({n})")) })}
                </summary>
                <div class="filter-row">
                    <label>
                        <span>{t.p.filter_kind}</span>
                        <select id="filter-partner-kind" on:change=move |ev| p.filter.update(|f| f.kind = PartnerKind::parse(&event_target_value(&ev)))>
                            <option value="" selected=move || p.filter.with(|f| f.kind.is_none())>{t.p.any}</option>
                            {PartnerKind::ALL.iter().map(|k| { let k = *k; view! {
                                <option value=k.as_str() selected=move || p.filter.with(|f| f.kind == Some(k))>{(t.p.kind_name)(k)}</option>
                            }}).collect_view()}
                        </select>
                    </label>
                    <label>
                        <span>{t.p.filter_stage}</span>
                        <select id="filter-stage" on:change=move |ev| p.filter.update(|f| f.stage = Stage::parse(&event_target_value(&ev)))>
                            <option value="" selected=move || p.filter.with(|f| f.stage.is_none())>{t.p.any}</option>
                            {Stage::ALL.iter().map(|s| { let s = *s; view! {
                                <option value=s.as_str() selected=move || p.filter.with(|f| f.stage == Some(s))>{(t.p.stage_name)(s)}</option>
                            }}).collect_view()}
                        </select>
                    </label>
                    {move || {
                        let (languages, populations, departments) = options();
                        view! {
                            <TextSelect id="filter-language" label=t.p.filter_language options=languages
                                get=|f| f.language.clone() set=|f, v| f.language = v/>
                            <TextSelect id="filter-population" label=t.p.filter_population options=populations
                                get=|f| f.population.clone() set=|f, v| f.population = v/>
                            <TextSelect id="filter-department" label=t.p.filter_department options=departments
                                get=|f| f.department.clone() set=|f, v| f.department = v/>
                        }
                    }}
                    <label class="check">
                        <input id="filter-quiet" type="checkbox" prop:checked=move || p.filter.with(|f| f.quiet_days.is_some())
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                p.filter.update(|f| f.quiet_days = on.then_some(90));
                            }/>
                        " "{t.p.filter_quiet}
                    </label>
                    <label>
                        <span>{t.p.sort_label}</span>
                        <select id="partner-sort" on:change=move |ev| p.filter.update(|f| f.sort = Sort::parse(&event_target_value(&ev)).unwrap_or_default())>
                            {Sort::ALL.into_iter().map(|s| view! {
                                <option value=s.as_str() selected=move || p.filter.with(|f| f.sort == s)>{(t.p.sort_name)(s)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
            </details>
        </form>
        <DirectoryGate>
            <p class="count" role="status" aria-live="polite">{move || (t.p.count)(total())}</p>
            <Show when=move || total() == 0>
                {move || if empty_directory() {
                    view! { <p class="empty">{t.p.none_yet}</p> }.into_any()
                } else {
                    view! {
                        <div class="empty">
                            <p>{t.p.no_match}</p>
                            <button type="button" on:click=move |_| p.filter.set(PartnerFilter::default())>{t.clear_filters}</button>
                        </div>
                    }.into_any()
                }}
            </Show>
            <ul class="partner-rows">
                <For each=move || results.with(|r| r.1.clone()) key=|r| r.clone() let:row>
                    {
                    let log_label = (t.p.log_for)(&row.name);
                    let log_href = format!("{}/log", row.href);
                    view! {
                    <li class="partner-row">
                        // Plain links (the router still handles them): a router <A> per row costs
                        // more than the whole search.
                        <a href=row.href.clone() class="partner-link">
                            <span class="name">{row.name.clone()}</span>
                            <span class="meta">
                                {(t.p.kind_name)(row.kind)}" · "
                                {row.stage.map_or(t.p.no_stage, t.p.stage_name)}
                            </span>
                            <span class="meta">{move || if p.interactions_ready.get() {
                                row.last_contact.as_deref().map_or(t.p.never_contacted.to_string(), t.p.last_contact)
                            } else {
                                t.p.reading_interactions.to_string()
                            }}</span>
                        </a>
                        <a href=log_href class="button log" aria-label=log_label>{t.p.log}</a>
                    </li>
                    }
                    }
                </For>
            </ul>
            <Show when=move || results.with(|r| r.1.len() < r.0)>
                <button type="button" class="show-more" on:click=move |_| p.shown.update(|n| *n += PAGE)>{t.p.show_more}</button>
            </Show>
        </DirectoryGate>
    }
}
