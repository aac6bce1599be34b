//! The top bar: the app's name, the main navigation and the offline badge.

use crate::i18n::use_i18n;
use crate::shell::use_online;
use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar.
#[component]
pub fn Header() -> impl IntoView {
    let t = use_i18n();
    let online = use_online();
    view! {
        <header class="topbar">
            <A href="/toolkit" attr:class="brand">{t.app_name}</A>
            <Show when=move || !online.get()>
                <span class="badge offline" role="status" title=t.offline_hint>
                    {t.offline}
                </span>
            </Show>
            <crate::components::sync_indicator::SyncIndicator/>
            <nav aria-label=t.nav_label>
                <A href="/toolkit">{t.nav_toolkit}</A>
                <A href="/partners">{t.p.nav}</A>
                <A href="/checklists">{t.c.nav}</A>
                <A href="/device">{t.nav_device}</A>
            </nav>
        </header>
    }
}
