//! This device: language, storage persistence and use, app version.

use crate::i18n::{set_lang, use_i18n, I18n, Lang};
use crate::shell::{request_persistence, storage_info, StorageInfo};
use commontable_core::format::human_bytes;
use leptos::prelude::*;

/// The device page.
#[component]
pub fn DevicePage() -> impl IntoView {
    let t = use_i18n();
    let I18n(lang) = use_context::<I18n>().expect("i18n provided");
    let info = LocalResource::new(storage_info);
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            let _ = request_persistence().await;
            info.refetch();
        });
    };
    view! {
        <h1>{t.device_heading}</h1>
        <section aria-labelledby="lang-h">
            <h2 id="lang-h">{t.language}</h2>
            <label class="visually-hidden" for="lang-select">{t.language}</label>
            <select id="lang-select" on:change=move |ev| {
                if let Some(l) = Lang::from_code(&event_target_value(&ev)) { set_lang(l) }
            }>
                {Lang::ALL.into_iter().map(|l| view! {
                    <option value=l.code() lang=l.code() selected=move || lang.get() == l>{l.native_name()}</option>
                }).collect_view()}
            </select>
        </section>
        <section aria-labelledby="storage-h">
            <h2 id="storage-h">{t.storage_heading}</h2>
            {move || match info.get() {
                None => view! { <p role="status">{t.storage_checking}</p> }.into_any(),
                Some(i) => view! { <StorageReport info=i on_ask=ask/> }.into_any(),
            }}
            <p>{t.offline_ready}</p>
        </section>
        <section aria-labelledby="version-h">
            <h2 id="version-h">{t.app_version}</h2>
            <p>{env!("CARGO_PKG_VERSION")}</p>
        </section>
    }
}

#[component]
fn StorageReport(info: StorageInfo, on_ask: impl Fn(leptos::ev::MouseEvent) + 'static) -> impl IntoView {
    let t = use_i18n();
    let persisted = info.persisted == Some(true);
    let usage = match (info.usage, info.quota) {
        (Some(u), Some(q)) => Some((human_bytes(u), human_bytes(q))),
        _ => None,
    };
    view! {
        <p class="persisted" data-persisted=if persisted { "yes" } else { "no" }>
            {if persisted { t.storage_persistent } else { t.storage_not_persistent }}
        </p>
        {(!persisted).then(|| view! { <button type="button" on:click=on_ask>{t.storage_ask_again}</button> })}
        <p class="usage">
            {match &usage {
                Some((u, q)) => (t.storage_use)(u, q),
                None => t.storage_unknown.to_string(),
            }}
        </p>
    }
}
