//! The Save toggle for an entry. The change is written to this device's database before the
//! button shows it; if writing fails, the reason appears beside the button.

use crate::i18n::use_i18n;
use crate::store::{set_bookmark, StoreHandle};
use crate::Bookmarks;
use leptos::prelude::*;

/// Save / Saved for one entry.
#[component]
pub fn BookmarkButton(slug: String, #[prop(into)] title: String) -> impl IntoView {
    let t = use_i18n();
    let Bookmarks(saved) = use_context::<Bookmarks>().expect("bookmarks provided");
    let handle = use_context::<StoreHandle>().expect("store provided");
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let slug_for_state = slug.clone();
    let is_saved = Memo::new(move |_| saved.with(|s| s.contains(&slug_for_state)));
    let toggle = move |_| {
        let Some(store) = handle.get_value() else {
            return;
        };
        let slug = slug.clone();
        let on = !is_saved.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match set_bookmark(&store.device, &slug, on).await {
                Ok(()) => {
                    saved.update(|s| {
                        if on {
                            s.insert(slug);
                        } else {
                            s.remove(&slug);
                        }
                    });
                    error.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <span class="bookmark">
            <button
                type="button"
                class="bookmark-toggle"
                aria-pressed=move || if is_saved.get() { "true" } else { "false" }
                aria-label=move || format!("{}: {}", if is_saved.get() { t.saved } else { t.save }, title)
                disabled=move || busy.get()
                on:click=toggle
            >
                <span aria-hidden="true">{move || if is_saved.get() { "★ " } else { "☆ " }}</span>
                {move || if is_saved.get() { t.saved } else { t.save }}
            </button>
            {move || error.get().map(|e| view! { <span class="field-error" role="alert">{t.save_failed}": "{e}</span> })}
        </span>
    }
}
