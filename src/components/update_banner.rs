//! "A new version is ready — reload": shown when the service worker has a new version
//! waiting. The running version keeps working until the person chooses to reload.

use crate::i18n::use_i18n;
use crate::shell::{apply_update, use_update_ready};
use leptos::prelude::*;

/// The banner.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let t = use_i18n();
    let ready = use_update_ready();
    view! {
        <Show when=move || ready.get()>
            <div class="update-banner" role="status">
                <span>{t.update_ready}</span>
                <button type="button" on:click=|_| apply_update()>{t.update_reload}</button>
            </div>
        </Show>
    }
}
