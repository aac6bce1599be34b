//! One toolkit entry: its Markdown rendered safely, where it applies, its source and related
//! entries.

use crate::components::bookmark_button::BookmarkButton;
use crate::components::library_gate::LibraryGate;
use crate::components::markdown::Markdown;
use crate::i18n::use_i18n;
use crate::Toolkit;
use commontable_core::toolkit::ToolkitEntry;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The entry page.
#[component]
pub fn EntryPage() -> impl IntoView {
    let t = use_i18n();
    let toolkit = use_context::<Toolkit>().expect("toolkit provided");
    let params = use_params_map();
    let found = Memo::new(move |_| {
        let slug = params.with(|p| p.get("slug").unwrap_or_default());
        toolkit.library.with(|l| {
            let l = l.as_ref()?;
            let entry = l.get(&slug)?.clone();
            let related: Vec<ToolkitEntry> = l.related(&slug).into_iter().cloned().collect();
            Some((entry, related))
        })
    });
    Effect::new(move |_| {
        let title = found.with(|f| f.as_ref().map(|(e, _)| e.title.clone()));
        document().set_title(&match title {
            Some(t) => format!("{t} · Common Table"),
            None => "Common Table".into(),
        });
    });
    view! {
        <p class="back"><A href="/toolkit">"← "{move || t().back_to_toolkit}</A></p>
        <LibraryGate>
            {move || match found.get() {
                None => view! { <p class="empty">{t().entry_missing}</p> }.into_any(),
                Some((entry, related)) => view! { <EntryView entry related/> }.into_any(),
            }}
        </LibraryGate>
    }
}

#[component]
fn EntryView(entry: ToolkitEntry, related: Vec<ToolkitEntry>) -> impl IntoView {
    let t = use_i18n();
    let kind = entry.kind;
    let functions = entry.functions.clone();
    let communities = entry.communities.join("; ");
    let has_communities = !communities.is_empty();
    let source = entry.source.clone();
    let has_source = !source.is_empty();
    let has_related = !related.is_empty();
    view! {
        <article class="entry">
            <p class="meta"><span class=format!("kind kind-{}", kind.as_str())>{move || (t().kind_name)(kind)}</span></p>
            <h1>{entry.title.clone()}</h1>
            <p class="summary lead">{entry.summary.clone()}</p>
            <BookmarkButton slug=entry.slug.clone() title=entry.title.clone()/>
            <Show when=move || t().content_in_english != crate::i18n::EN.content_in_english>
                <p class="note" lang="es">{move || t().content_in_english}</p>
            </Show>
            <Markdown source=entry.body.clone()/>
            <dl class="facts">
                <dt>{move || t().applies_to}</dt>
                <dd>{move || functions.iter().map(|f| (t().function_name)(*f)).collect::<Vec<_>>().join(", ")}</dd>
                <Show when=move || has_communities>
                    <dt>{move || t().communities}</dt>
                    <dd>{communities.clone()}</dd>
                </Show>
                <Show when=move || has_source>
                    <dt>{move || t().source}</dt>
                    <dd>{source.clone()}</dd>
                </Show>
            </dl>
            <Show when=move || has_related>
                <h2>{move || t().related}</h2>
                <ul class="related">
                    {related.clone().into_iter().map(|r| view! {
                        <li><A href=format!("/toolkit/{}", r.slug)>{r.title}</A></li>
                    }).collect_view()}
                </ul>
            </Show>
        </article>
    }
}
