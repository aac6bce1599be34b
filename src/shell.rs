//! The app's ties to the browser around it: online status, the service worker's "new version
//! waiting" signal, and persistent storage.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Whether the browser believes it has a network, kept current by `online`/`offline` events.
pub fn use_online() -> ReadSignal<bool> {
    let initial = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
    let (online, set_online) = signal(initial);
    let on = window_event_listener_untyped("online", move |_| set_online.set(true));
    let off = window_event_listener_untyped("offline", move |_| set_online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    online
}

/// True once the service worker reports a new version waiting (see `public/sw-register.js`).
pub fn use_update_ready() -> ReadSignal<bool> {
    let already = js_sys::Reflect::get(&window(), &"__ctUpdateReady".into())
        .map(|v| v.is_truthy())
        .unwrap_or(false);
    let (ready, set_ready) = signal(already);
    let h = window_event_listener_untyped("ct-update-ready", move |_| set_ready.set(true));
    on_cleanup(move || h.remove());
    ready
}

/// Asks the waiting service worker to take over; the page reloads when it has.
pub fn apply_update() {
    if let Ok(f) = js_sys::Reflect::get(&window(), &"ctApplyUpdate".into()) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(&wasm_bindgen::JsValue::NULL);
        }
    }
}

/// Storage persistence and use, as the browser reports them.
#[derive(Clone, Debug, PartialEq)]
pub struct StorageInfo {
    /// Whether the browser promised not to evict this site's data.
    pub persisted: Option<bool>,
    /// Bytes used.
    pub usage: Option<f64>,
    /// Bytes available to this site.
    pub quota: Option<f64>,
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let nav = web_sys::window()?.navigator();
    // Older browsers have no `navigator.storage`.
    js_sys::Reflect::get(&nav, &"storage".into())
        .ok()
        .filter(|v| !v.is_undefined())?;
    Some(nav.storage())
}

/// Reads persistence and usage.
pub async fn storage_info() -> StorageInfo {
    let Some(sm) = storage_manager() else {
        return StorageInfo {
            persisted: None,
            usage: None,
            quota: None,
        };
    };
    let persisted = match sm.persisted() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    let (usage, quota) = match sm.estimate() {
        Ok(p) => match JsFuture::from(p).await {
            Ok(est) => (
                js_sys::Reflect::get(&est, &"usage".into())
                    .ok()
                    .and_then(|v| v.as_f64()),
                js_sys::Reflect::get(&est, &"quota".into())
                    .ok()
                    .and_then(|v| v.as_f64()),
            ),
            Err(_) => (None, None),
        },
        Err(_) => (None, None),
    };
    StorageInfo {
        persisted,
        usage,
        quota,
    }
}

/// Asks the browser to keep this site's data (it may say no, silently).
pub async fn request_persistence() -> Option<bool> {
    let sm = storage_manager()?;
    JsFuture::from(sm.persist().ok()?).await.ok().and_then(|v| v.as_bool())
}

const ASKED_KEY: &str = "commontable.persist-asked";

/// On first run, asks for persistent storage once.
pub fn request_persistence_once() {
    let Some(ls) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return;
    };
    if ls.get_item(ASKED_KEY).ok().flatten().is_some() {
        return;
    }
    let _ = ls.set_item(ASKED_KEY, "1");
    leptos::task::spawn_local(async {
        let _ = request_persistence().await;
    });
}

/// Offers `text` as a file download named `name` (works offline: the file is made on the device).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|_| "blob")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "url")?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a").map_err(|_| "a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoking at once can cancel the download; give the browser time to start it.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}
