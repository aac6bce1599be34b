//! The Sync page: status, "Sync now", the server address, conflicts, recent attempts in plain
//! words, the warning for changes unsynced for over a day, and backup files.

use crate::components::sync_indicator::{status_text, use_minutes_since_ok, use_now};
use crate::i18n::use_i18n;
use crate::store::StoreHandle;
use crate::sync::{check_url, sync_now, Phase, SyncStatus};
use crate::Toolkit;
use leptos::prelude::*;
use leptos_router::components::A;

mod backup;
pub use backup::BackupSection;

/// The page.
#[component]
pub fn SyncPage() -> impl IntoView {
    let t = use_i18n();
    let status = use_context::<SyncStatus>().expect("sync status provided");
    let handle = use_context::<StoreHandle>().expect("store provided");
    let toolkit = use_context::<Toolkit>().expect("toolkit provided");
    let minutes = use_minutes_since_ok(status);
    let syncing = move || matches!(status.phase.get(), Phase::Syncing(_));
    // Until this device's storage is open there is nothing to sync.
    let ready = move || toolkit.load.get() == crate::Load::Ready;
    let run = move |_| {
        leptos::task::spawn_local(async move {
            sync_now(status, handle, toolkit).await;
        })
    };
    let now = use_now();
    let stale = move || status.waited_over_a_day(now.get());
    let conflicts = LocalResource::new(move || {
        status.last_ok.track();
        async move {
            match handle.get_value() {
                Some(s) => crate::pages::conflicts::all_conflicted(&s).await.len(),
                None => 0,
            }
        }
    });
    view! {
        <h1>{t.sync_heading}</h1>
        <Show when=stale>
            <p class="warning" role="alert">{t.unsynced_warning}</p>
        </Show>
        <section aria-labelledby="status-h">
            <h2 id="status-h" class="visually-hidden">{t.sync_heading}</h2>
            <p class="sync-status" role="status">{move || status_text(t, &status.phase.get(), minutes.get())}</p>
            {move || match status.phase.get() {
                Phase::Failed { message, .. } => Some(view! { <p class="error">{message}</p> }),
                _ => None,
            }}
            <p class="pending-line">{move || (t.sync_pending)(status.pending.get())}</p>
            <button type="button" id="sync-now" on:click=run disabled=move || syncing() || !ready()>{t.sync_now}</button>
        </section>
        <section aria-labelledby="conflicts-h">
            <h2 id="conflicts-h">{t.conflicts_heading}</h2>
            {move || match conflicts.get() {
                Some(0) | None => view! { <p>{t.conflicts_none}</p> }.into_any(),
                Some(n) => view! {
                    <p class="conflict-count">{(t.conflicts_count)(n)}" "<A href="/conflicts">{t.resolve}</A></p>
                }.into_any(),
            }}
        </section>
        <ServerAddress/>
        <section aria-labelledby="history-h">
            <h2 id="history-h">{t.sync_history}</h2>
            <Show when=move || status.history.with(Vec::is_empty)>
                <p>{t.sync_history_empty}</p>
            </Show>
            <ul class="history">
                {move || status.history.get().into_iter().map(|a| {
                    let when = js_sys::Date::new(&a.at.into()).to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED);
                    let what = if a.ok { (t.sync_ok_line)(a.pulled, a.pushed) } else { format!("{}: {}", t.sync_failed_line, a.message) };
                    view! { <li class=if a.ok { "ok" } else { "failed" }><span class="when">{String::from(when)}</span>" — "{what}</li> }
                }).collect_view()}
            </ul>
        </section>
        <BackupSection/>
    }
}

#[component]
fn ServerAddress() -> impl IntoView {
    let t = use_i18n();
    let status = use_context::<SyncStatus>().expect("sync status provided");
    let draft = RwSignal::new(status.url.get_untracked());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_url(&draft.get_untracked()) {
            Ok(url) => {
                status.set_url(url);
                error.set(None);
                saved.set(true);
            }
            Err(why) => {
                error.set(Some(format!("{}: {why}", t.sync_server_invalid)));
                saved.set(false);
            }
        }
    };
    view! {
        <section aria-labelledby="server-h">
            <h2 id="server-h">{t.sync_server_label}</h2>
            <form on:submit=save novalidate>
                <label for="sync-url">{t.sync_server_label}</label>
                <input id="sync-url" type="url" inputmode="url" autocomplete="url"
                    aria-describedby="sync-url-help sync-url-error"
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    prop:value=move || draft.get()
                    on:input=move |ev| { draft.set(event_target_value(&ev)); saved.set(false); }/>
                <p id="sync-url-help" class="help">{t.sync_server_help}</p>
                <p id="sync-url-error" class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit">{t.sync_server_save}</button>
                <Show when=move || saved.get()><p role="status">{t.sync_server_saved}</p></Show>
            </form>
        </section>
    }
}
