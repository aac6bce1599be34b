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
        <p class="back"><A href="/toolkit">"← "{t.back_to_toolkit}</A></p>
        <LibraryGate>
            {move || match found.get() {
                None => view! { <p class="empty">{t.entry_missing}</p> }.into_any(),
                Some((entry, related)) => view! { <EntryView entry related/> }.into_any(),
            }}
        </LibraryGate>
    }
}

#[component]
fn EntryView(entry: ToolkitEntry, related: Vec<ToolkitEntry>) -> impl IntoView {
    let t = use_i18n();
    let functions = t.functions_text(&entry.functions);
    let communities = entry.communities.join("; ");
    let in_english_note =
        (!std::ptr::eq(t, &crate::i18n::EN)).then(|| view! { <p class="note">{t.content_in_english}</p> });
    view! {
        <article class="entry">
            <p class="meta"><span class=format!("kind kind-{}", entry.kind.as_str())>{(t.kind_name)(entry.kind)}</span></p>
            <h1>{entry.title.clone()}</h1>
            <p class="summary lead">{entry.summary.clone()}</p>
            <p class="entry-actions">
                <BookmarkButton slug=entry.slug.clone() title=entry.title.clone()/>
                " "<A href=format!("/toolkit/{}/edit", entry.slug) attr:class="button-link">{t.edit}</A>
            </p>
            {in_english_note}
            <Markdown source=entry.body.clone()/>
            <dl class="facts">
                <dt>{t.applies_to}</dt>
                <dd>{functions}</dd>
                {(!communities.is_empty()).then(|| view! { <dt>{t.communities}</dt><dd>{communities}</dd> })}
                {(!entry.source.is_empty()).then(|| view! { <dt>{t.source}</dt><dd>{entry.source.clone()}</dd> })}
            </dl>
            {(!related.is_empty()).then(|| view! {
                <h2>{t.related}</h2>
                <ul class="related">
                    {related.into_iter().map(|r| view! {
                        <li><A href=format!("/toolkit/{}", r.slug)>{r.title}</A></li>
                    }).collect_view()}
                </ul>
            })}
        </article>
    }
}
