//! "Who can help us reach…?" (partners by strength and by population reached) and the
//! relationships each department holds, where a partner known to several departments shows.

use super::{partner_href, DirectoryGate};
use crate::i18n::use_i18n;
use crate::partners::use_partners;
use commontable_core::search::tokenize;
use leptos::prelude::*;
use leptos_router::components::A;

fn links(partners: Vec<(String, String)>, none: &'static str) -> AnyView {
    if partners.is_empty() {
        return view! { <p class="help">{none}</p> }.into_any();
    }
    view! {
        <ul class="partner-links">
            {partners.into_iter().map(|(id, name)| view! { <li><A href=partner_href(&id)>{name}</A></li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// `/partner-assets`.
#[component]
pub fn AssetsPage() -> impl IntoView {
    let t = use_i18n();
    let p = use_partners();
    let reach = RwSignal::new(String::new());
    view! {
        <p class="back"><A href="/partners">"← "{t.p.back_to_list}</A></p>
        <h1>{t.p.assets_heading}</h1>
        <p class="intro">{t.p.assets_intro}</p>
        <DirectoryGate>
            <section aria-labelledby="by-population-h">
                <h2 id="by-population-h">{t.p.by_population}</h2>
                <label for="reach-filter">{t.p.filter_population}</label>
                <input id="reach-filter" type="search" autocomplete="off" prop:value=move || reach.get()
                    on:input=move |ev| reach.set(event_target_value(&ev))/>
                {move || {
                    let words: Vec<String> = tokenize(&reach.get()).collect();
                    let groups = p.dir.with(|d| {
                        d.by_population()
                            .into_iter()
                            .filter(|(pop, _)| {
                                let have: Vec<String> = tokenize(pop).collect();
                                words.iter().all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
                            })
                            .map(|(pop, ps)| (pop, ps.into_iter().map(|x| (x.id.clone(), x.name.clone())).collect::<Vec<_>>()))
                            .collect::<Vec<_>>()
                    });
                    if groups.is_empty() {
                        return view! { <p class="empty">{t.p.nobody}</p> }.into_any();
                    }
                    view! {
                        <div class="groups">
                            {groups.into_iter().map(|(pop, ps)| view! {
                                <section class="group"><h3>{pop}</h3>{links(ps, t.p.nobody)}</section>
                            }).collect_view()}
                        </div>
                    }.into_any()
                }}
            </section>
            <section aria-labelledby="by-category-h">
                <h2 id="by-category-h">{t.p.by_category}</h2>
                <div class="groups">
                    {move || p.dir.with(|d| d.by_category().into_iter().map(|(c, ps)| {
                        let ps = ps.into_iter().map(|x| (x.id.clone(), x.name.clone())).collect();
                        view! { <section class="group"><h3>{(t.p.category_name)(c)}</h3>{links(ps, t.p.nobody)}</section> }
                    }).collect_view())}
                </div>
            </section>
        </DirectoryGate>
    }
}

/// `/partner-departments`.
#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let t = use_i18n();
    let p = use_partners();
    view! {
        <p class="back"><A href="/partners">"← "{t.p.back_to_list}</A></p>
        <h1>{t.p.departments_heading}</h1>
        <p class="intro">{t.p.departments_intro}</p>
        <DirectoryGate>
            {move || p.dir.with(|d| {
                let groups = d.by_department();
                if groups.is_empty() {
                    return view! { <p class="empty">{t.p.no_departments}</p> }.into_any();
                }
                view! {
                    <div class="groups">
                        {groups.into_iter().map(|(dept, ps)| view! {
                            <section class="group department">
                                <h2>{dept.clone()}</h2>
                                <ul class="partner-links">
                                    {ps.into_iter().map(|(x, owns)| {
                                        let all = d.departments_of(x);
                                        let others: Vec<String> = all.into_iter().filter(|o| o.to_lowercase() != dept.to_lowercase()).collect();
                                        let shared = !others.is_empty();
                                        let (href, name) = (partner_href(&x.id), x.name.clone());
                                        view! {
                                            <li class:shared=shared>
                                                <A href=href>{name}</A>
                                                " — "{if owns { t.p.owns } else { t.p.works_with }}
                                                {shared.then(|| view! { <br/><small class="shared">{(t.p.also_known_to)(&others.join(", "))}</small> })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                        }).collect_view()}
                    </div>
                }.into_any()
            })}
        </DirectoryGate>
    }
}
