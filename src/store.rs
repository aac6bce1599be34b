//! The app's data on this device: the region-wide `toolkit` database, the shared `workspace`
//! (the partner directory) and the private `device` database (bookmarks, preferences), all in
//! IndexedDB through the core [`Database`] rules.
//!
//! On first run the toolkit shipped with the app (`/toolkit.json`, precached by the service
//! worker) is written into the `toolkit` database as ordinary documents, so a later sync can
//! update them like any other. Keeping it out of the WASM keeps the code small and lets content
//! change without a code change.

use commontable_core::database::{DbError, Edit};
use commontable_core::partner::WORKSPACE_DB;
use commontable_core::toolkit::{Library, ToolkitEntry, TOOLKIT_DB};
use commontable_core::Database;
use commontable_idb::IdbStorage;
use leptos::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::rc::Rc;

/// The device-private database: never synced.
pub const DEVICE_DB: &str = "device";

/// Where the toolkit shipped with this build is served (written by `commontable-content`).
const SHIPPED_TOOLKIT_URL: &str = "/toolkit.json";

/// The open databases.
#[derive(Clone)]
pub struct AppStore {
    /// Region-wide toolkit.
    pub toolkit: Rc<Database<IdbStorage>>,
    /// This device only.
    pub device: Rc<Database<IdbStorage>>,
    /// The shared workspace: partners, contacts, stage changes, interactions.
    pub workspace: Rc<Database<IdbStorage>>,
}

impl AppStore {
    /// The databases that sync with the server, by name.
    pub fn synced(&self) -> [(&'static str, &Database<IdbStorage>); 2] {
        [(TOOLKIT_DB, &self.toolkit), (WORKSPACE_DB, &self.workspace)]
    }
}

/// The store handle in context (IndexedDB handles are not `Send`, so it lives in local storage).
pub type StoreHandle = StoredValue<Option<AppStore>, LocalStorage>;

/// The entries shipped with the app (from the service worker's cache when offline).
pub async fn shipped_entries() -> Result<Vec<ToolkitEntry>, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let js_err = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let resp = JsFuture::from(window().fetch_with_str(SHIPPED_TOOLKIT_URL))
        .await
        .map_err(js_err)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(js_err)?;
    if !resp.ok() {
        return Err(format!("{SHIPPED_TOOLKIT_URL} answered {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(js_err)?).await.map_err(js_err)?;
    let text = text.as_string().unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| format!("{SHIPPED_TOOLKIT_URL} is not valid: {e}"))
}

/// Opens both databases.
pub async fn open() -> Result<AppStore, DbError> {
    let toolkit = Database::new(IdbStorage::open(TOOLKIT_DB).await?);
    let device = Database::new(IdbStorage::open(DEVICE_DB).await?);
    let workspace = Database::new(IdbStorage::open(WORKSPACE_DB).await?);
    Ok(AppStore {
        toolkit: Rc::new(toolkit),
        device: Rc::new(device),
        workspace: Rc::new(workspace),
    })
}

/// Writes every shipped entry the database does not have yet; returns how many. Entries the
/// database already has (seeded earlier, edited, or synced) are left as they are.
pub async fn seed_toolkit(db: &Database<IdbStorage>, entries: &[ToolkitEntry]) -> Result<usize, DbError> {
    let mut missing = Vec::new();
    for e in entries {
        if db.record(&e.doc_id()).await?.is_none() {
            missing.push(Edit {
                id: e.doc_id(),
                base: None,
                deleted: false,
                body: e.to_body(),
            });
        }
    }
    let n = missing.len();
    if n > 0 {
        db.bulk_put(missing).await?;
    }
    Ok(n)
}

/// Reads the toolkit database into a searchable library.
pub async fn load_library(db: &Database<IdbStorage>) -> Result<Library, DbError> {
    let entries = db
        .docs_with_prefix("toolkit:")
        .await?
        .iter()
        .filter_map(|d| ToolkitEntry::from_doc(&d.id, &d.body))
        .collect();
    Ok(Library::new(entries))
}

fn bookmark_id(slug: &str) -> String {
    format!("bookmark:toolkit:{slug}")
}

/// The slugs of bookmarked entries.
pub async fn load_bookmarks(device: &Database<IdbStorage>) -> Result<BTreeSet<String>, DbError> {
    Ok(device
        .docs_with_prefix("bookmark:toolkit:")
        .await?
        .into_iter()
        .filter_map(|d| d.id.strip_prefix("bookmark:toolkit:").map(String::from))
        .collect())
}

/// Saves or removes a bookmark (removal is a tombstone, like every deletion).
pub async fn set_bookmark(device: &Database<IdbStorage>, slug: &str, on: bool) -> Result<(), DbError> {
    let id = bookmark_id(slug);
    let current = device.get(&id).await?;
    match (on, current) {
        (true, None) => {
            let body: Map<String, Value> = match json!({ "type": "bookmark", "entry": format!("toolkit:{slug}") }) {
                Value::Object(m) => m,
                _ => unreachable!(),
            };
            device.put(&id, None, body).await?;
        }
        (false, Some(doc)) => {
            device.delete(&id, &doc.rev).await?;
        }
        _ => {}
    }
    Ok(())
}
