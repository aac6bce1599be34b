//! Backup files: save every document on this device with its whole revision tree; import one
//! back (adds what is missing, removes nothing).

use crate::i18n::use_i18n;
use crate::store::StoreHandle;
use crate::Toolkit;
use commontable_core::resolve::{leaves_of, Backup};
use commontable_core::Storage;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use wasm_bindgen_futures::JsFuture;

async fn export(handle: StoreHandle) -> Result<(), String> {
    let store = handle.get_value().ok_or("storage is not open")?;
    let mut dbs = BTreeMap::new();
    for (name, db) in store.synced() {
        dbs.insert(name.to_string(), db.storage().all().await.map_err(|e| e.to_string())?);
    }
    let now: String = js_sys::Date::new_0().to_iso_string().into();
    let json = serde_json::to_string(&Backup::new(now.clone(), dbs)).map_err(|e| e.to_string())?;
    crate::shell::download(
        &format!("commontable-backup-{}.json", &now[..10]),
        "application/json",
        &json,
    )
}

async fn import(
    handle: StoreHandle,
    toolkit: Toolkit,
    status: crate::sync::SyncStatus,
    file: web_sys::File,
) -> Result<usize, String> {
    let store = handle.get_value().ok_or("storage is not open")?;
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| "the file could not be read")?;
    let backup = Backup::parse(&text.as_string().unwrap_or_default()).map_err(|e| e.to_string())?;
    let mut changed = 0;
    for (name, records) in &backup.databases {
        let Some((_, db)) = store.synced().into_iter().find(|(n, _)| n == name) else {
            continue;
        };
        let revs = records.iter().flat_map(leaves_of).collect();
        changed += db.merge_revisions(revs).await.map_err(|e| e.to_string())?;
    }
    if let Ok(lib) = crate::store::load_library(&store.toolkit).await {
        toolkit.library.set(Some(Arc::new(lib)));
    }
    if changed > 0 {
        status.data_changed.update(|n| *n += 1);
    }
    Ok(changed)
}

/// The backup section of the Sync page.
#[component]
pub fn BackupSection() -> impl IntoView {
    let t = use_i18n();
    let handle = use_context::<StoreHandle>().expect("store provided");
    let toolkit = use_context::<Toolkit>().expect("toolkit provided");
    let status = use_context::<crate::sync::SyncStatus>().expect("sync status provided");
    let message = RwSignal::new(None::<(bool, String)>);
    // Until this device's storage is open there is nothing to save or import into.
    let ready = move || toolkit.load.get() == crate::Load::Ready;
    let save = move |_| {
        leptos::task::spawn_local(async move {
            if let Err(e) = export(handle).await {
                message.set(Some((false, format!("{}: {e}", t.backup_failed))));
            }
        })
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // Clear the choice so that picking the same file again imports again.
        input.set_value("");
        leptos::task::spawn_local(async move {
            let result = import(handle, toolkit, status, file).await;
            let imported = result.is_ok();
            message.set(Some(match result {
                Ok(n) => (true, (t.backup_imported)(n)),
                Err(e) => (false, format!("{}: {e}", t.backup_failed)),
            }));
            if imported {
                crate::sync::after_local_change(status, handle, toolkit).await;
            }
        });
    };
    view! {
        <section aria-labelledby="backup-h">
            <h2 id="backup-h">{t.backup_heading}</h2>
            <p>{t.backup_help}</p>
            <button type="button" id="backup-save" on:click=save disabled=move || !ready()>{t.backup_export}</button>
            <p>
                <label for="backup-file">{t.backup_import_label}</label>
                <input id="backup-file" type="file" accept="application/json,.json" on:change=on_file disabled=move || !ready()/>
            </p>
            {move || message.get().map(|(ok, m)| view! {
                <p class=if ok { "ok" } else { "field-error" } role="status">{m}</p>
            })}
        </section>
    }
}
