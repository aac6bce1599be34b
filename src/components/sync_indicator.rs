//! Always visible in the top bar: offline / syncing / synced N minutes ago / needs attention,
//! and how many local changes are not on the server yet. Opens the Sync page.

use crate::i18n::{use_i18n, Messages};
use crate::sync::{Phase, SyncStatus};
use leptos::prelude::*;
use leptos_router::components::A;

/// The status line for `phase`, given the minutes since the last success.
pub fn status_text(t: &'static Messages, phase: &Phase, minutes_since_ok: Option<u64>) -> String {
    match phase {
        Phase::Offline => t.offline.to_string(),
        Phase::Syncing(n) => (t.sync_syncing)(*n),
        Phase::Failed { .. } => t.sync_attention.to_string(),
        Phase::Idle => minutes_since_ok.map_or_else(|| t.sync_never.to_string(), t.sync_ago),
    }
}

/// The time now (ms since the epoch), refreshed every half minute.
pub fn use_now() -> RwSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    let h = set_interval_with_handle(move || now.set(js_sys::Date::now()), std::time::Duration::from_secs(30)).ok();
    on_cleanup(move || {
        if let Some(h) = h {
            h.clear();
        }
    });
    now
}

/// Minutes since the last successful sync, refreshed every half minute.
pub fn use_minutes_since_ok(status: SyncStatus) -> Memo<Option<u64>> {
    let now = use_now();
    Memo::new(move |_| {
        status
            .last_ok
            .get()
            .map(|t| ((now.get() - t).max(0.0) / 60_000.0) as u64)
    })
}

/// The indicator.
#[component]
pub fn SyncIndicator() -> impl IntoView {
    let t = use_i18n();
    let status = use_context::<SyncStatus>().expect("sync status provided");
    let minutes = use_minutes_since_ok(status);
    let class = move || match status.phase.get() {
        Phase::Failed { .. } => "sync-indicator attention",
        Phase::Syncing(_) => "sync-indicator syncing",
        Phase::Offline => "sync-indicator offline",
        Phase::Idle => "sync-indicator",
    };
    view! {
        <A href="/sync" attr:class=class attr:aria-live="polite">
            <span class="sync-text">{move || status_text(t, &status.phase.get(), minutes.get())}</span>
            <Show when=move || { status.pending.get() > 0 }>
                <span class="pending" title=move || (t.sync_pending)(status.pending.get())>
                    {move || status.pending.get()}
                    <span class="visually-hidden">{move || format!(": {}", (t.sync_pending)(status.pending.get()))}</span>
                </span>
            </Show>
        </A>
    }
}
