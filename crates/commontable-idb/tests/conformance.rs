//! The core conformance suite, run against IndexedDB in Chromium.

use commontable_core::storage::Storage;
use commontable_idb::IdbStorage;
use std::sync::atomic::{AtomicU32, Ordering};

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty database for each check.
async fn fresh() -> IdbStorage {
    let name = format!(
        "conformance-{}-{}",
        js_sys::Date::now(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    IdbStorage::open(&name).await.expect("open IndexedDB")
}

commontable_core::storage_conformance_tests!(wasm: fresh());

#[wasm_bindgen_test::wasm_bindgen_test]
async fn data_survives_closing_and_reopening() {
    use commontable_core::Database;
    let name = format!("reopen-{}", js_sys::Date::now());
    let body = serde_json::json!({"type": "note", "text": "kept"})
        .as_object()
        .unwrap()
        .clone();
    {
        let db = Database::new(IdbStorage::open(&name).await.unwrap());
        db.put("n", None, body).await.unwrap();
        db.put_local("cp", Some(serde_json::json!(7))).await.unwrap();
        db.into_storage().close();
    }
    let storage = IdbStorage::open(&name).await.unwrap();
    assert_eq!(storage.schema_version() as usize, commontable_idb::MIGRATIONS.len());
    assert_eq!(storage.update_seq().await.unwrap(), 1);
    let db = Database::new(storage);
    assert_eq!(db.get("n").await.unwrap().unwrap().str_field("text"), "kept");
    assert_eq!(db.get_local("cp").await.unwrap(), Some(serde_json::json!(7)));
    db.into_storage().close();
    IdbStorage::destroy(&name).await.unwrap();
}
