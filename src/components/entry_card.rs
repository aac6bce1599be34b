//! One toolkit entry in a list: title (a link), kind, functions, summary and Save.

use crate::components::bookmark_button::BookmarkButton;
use crate::i18n::use_i18n;
use commontable_core::toolkit::ToolkitEntry;
use leptos::prelude::*;
use leptos_router::components::A;

/// A list item for an entry.
#[component]
pub fn EntryCard(entry: ToolkitEntry) -> impl IntoView {
    let t = use_i18n();
    let href = format!("/toolkit/{}", entry.slug);
    let kind = entry.kind;
    let functions = t.functions_text(&entry.functions);
    let (slug, title) = (entry.slug.clone(), entry.title.clone());
    view! {
        <li class="card" data-slug=entry.slug.clone()>
            <h3><A href=href>{entry.title.clone()}</A></h3>
            <p class="meta">
                <span class=format!("kind kind-{}", kind.as_str())>{(t.kind_name)(kind)}</span>
                " · "
                {functions}
            </p>
            <p class="summary">{entry.summary.clone()}</p>
            <BookmarkButton slug=slug title=title/>
        </li>
    }
}
