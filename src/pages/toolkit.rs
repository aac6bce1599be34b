//! Browse and search the toolkit: instant full-text search, filters by government function and
//! kind. The query and filters live in the address, so back/forward and reload keep them.

use crate::components::entry_card::EntryCard;
use crate::components::library_gate::LibraryGate;
use crate::i18n::use_i18n;
use crate::Toolkit;
use commontable_core::toolkit::{Filter, Function, Kind};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// Rewrites the address to match the filter without adding history entries.
fn replace_address(f: &Filter) {
    let mut parts = Vec::new();
    if !f.query.is_empty() {
        parts.push(format!("q={}", js_sys::encode_uri_component(&f.query)));
    }
    if let Some(func) = f.function {
        parts.push(format!("f={}", func.as_str()));
    }
    if let Some(k) = f.kind {
        parts.push(format!("k={}", k.as_str()));
    }
    let url = if parts.is_empty() {
        "/toolkit".to_string()
    } else {
        format!("/toolkit?{}", parts.join("&"))
    };
    if let Ok(h) = window().history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The browse and search page.
#[component]
pub fn ToolkitPage() -> impl IntoView {
    let t = use_i18n();
    let toolkit = use_context::<Toolkit>().expect("toolkit provided");
    let q = use_query_map().get_untracked();
    let filter = RwSignal::new(Filter {
        query: q.get("q").unwrap_or_default(),
        function: q.get("f").as_deref().and_then(Function::parse),
        kind: q.get("k").as_deref().and_then(Kind::parse),
    });
    Effect::new(move |_| filter.with(replace_address));
    let results = Memo::new(move |_| {
        let f = filter.get();
        toolkit.library.with(|l| {
            l.as_ref()
                .map(|l| l.find(&f).into_iter().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let on_function = move |ev| filter.update(|f| f.function = Function::parse(&event_target_value(&ev)));
    let on_kind = move |ev| filter.update(|f| f.kind = Kind::parse(&event_target_value(&ev)));

    view! {
        <h1>{t.toolkit_heading}</h1>
        <p class="intro">{t.toolkit_intro}</p>
        <p class="more-views"><A href="/saved" attr:id="saved-link">{t.nav_saved}</A><A href="/new-entry">{t.new_entry}</A></p>
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="toolkit-search">{t.search_label}</label>
            <input id="toolkit-search" type="search" autocomplete="off" enterkeyhint="search"
                placeholder=t.search_placeholder
                prop:value=move || filter.with(|f| f.query.clone())
                on:input=move |ev| filter.update(|f| f.query = event_target_value(&ev))/>
            <div class="filter-row">
                <label>
                    <span>{t.filter_function}</span>
                    <select id="filter-function" on:change=on_function>
                        <option value="" selected=move || filter.with(|f| f.function.is_none())>{t.all_functions}</option>
                        {Function::ALL.into_iter().map(|func| view! {
                            <option value=func.as_str() selected=move || filter.with(|f| f.function == Some(func))>
                                {(t.function_name)(func)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{t.filter_kind}</span>
                    <select id="filter-kind" on:change=on_kind>
                        <option value="" selected=move || filter.with(|f| f.kind.is_none())>{t.all_kinds}</option>
                        {Kind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || filter.with(|f| f.kind == Some(k))>{(t.kind_name)(k)}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
        </form>
        <LibraryGate>
            <p class="count" role="status" aria-live="polite">{(t.result_count)(results.with(Vec::len))}</p>
            <Show when=move || results.with(Vec::is_empty)>
                <div class="empty">
                    <p>{t.no_results}</p>
                    <button type="button" on:click=move |_| filter.set(Filter::default())>{t.clear_filters}</button>
                </div>
            </Show>
            <ul class="cards">
                <For each=move || results.get() key=|e| e.slug.clone() let:entry>
                    <EntryCard entry=entry/>
                </For>
            </ul>
        </LibraryGate>
    }
}
