//! The entries saved on this device.

use crate::components::entry_card::EntryCard;
use crate::components::library_gate::LibraryGate;
use crate::i18n::use_i18n;
use crate::{Bookmarks, Toolkit};
use leptos::prelude::*;

/// The saved-entries page.
#[component]
pub fn SavedPage() -> impl IntoView {
    let t = use_i18n();
    let toolkit = use_context::<Toolkit>().expect("toolkit provided");
    let Bookmarks(saved) = use_context::<Bookmarks>().expect("bookmarks provided");
    let entries = Memo::new(move |_| {
        saved.with(|s| {
            toolkit.library.with(|l| {
                l.as_ref()
                    .map(|l| {
                        l.entries()
                            .iter()
                            .filter(|e| s.contains(&e.slug))
                            .cloned()
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
        })
    });
    view! {
        <h1>{t.saved_heading}</h1>
        <LibraryGate>
            <Show when=move || entries.with(Vec::is_empty)>
                <p class="empty">{t.saved_empty}</p>
            </Show>
            <ul class="cards">
                <For each=move || entries.get() key=|e| e.slug.clone() let:entry>
                    <EntryCard entry=entry/>
                </For>
            </ul>
        </LibraryGate>
    }
}
