//! Conflicts: documents changed in two places at once. The list, and a side-by-side view of
//! the versions, field by field, where a person picks what to keep. Saving writes the merged
//! revision and tombstones on the other versions; nothing is discarded before that.

use crate::i18n::use_i18n;
use crate::store::StoreHandle;
use crate::Toolkit;
use commontable_core::resolve::{compare, merge_choice, resolution, versions};
use commontable_core::storage::DocRecord;
use commontable_core::{Database, Storage};
use commontable_idb::IdbStorage;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::Value;
use std::sync::Arc;

/// Every conflicted document of every synced database, with the database's name.
pub async fn all_conflicted(store: &crate::store::AppStore) -> Vec<(&'static str, DocRecord)> {
    let mut out = Vec::new();
    for (name, db) in store.synced() {
        out.extend(conflicted(db).await.into_iter().map(|r| (name, r)));
    }
    out
}

/// Every document of `db` with more than one live leaf.
pub async fn conflicted(db: &Database<IdbStorage>) -> Vec<DocRecord> {
    db.storage()
        .all()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| !r.tree.conflicts().is_empty())
        .collect()
}

fn title_of(r: &DocRecord) -> String {
    versions(r)
        .first()
        .and_then(|(_, b)| {
            b.get("title")
                .or(b.get("name"))
                .and_then(Value::as_str)
                .map(String::from)
        })
        .unwrap_or_else(|| r.id.clone())
}

/// The list.
#[component]
pub fn ConflictsPage() -> impl IntoView {
    let t = use_i18n();
    let handle = use_context::<StoreHandle>().expect("store provided");
    let list = LocalResource::new(move || async move {
        match handle.get_value() {
            Some(s) => all_conflicted(&s).await,
            None => Vec::new(),
        }
    });
    view! {
        <h1>{t.conflicts_heading}</h1>
        {move || match list.get() {
            None => view! { <p role="status">{t.loading}</p> }.into_any(),
            Some(l) if l.is_empty() => view! { <p class="empty">{t.conflicts_none}</p> }.into_any(),
            Some(l) => view! {
                <p>{(t.conflicts_count)(l.len())}</p>
                <ul class="conflicts">
                    {l.into_iter().map(|(db, r)| {
                        let href = format!("/conflicts/{db}/{}", js_sys::encode_uri_component(&r.id));
                        let title = title_of(&r);
                        view! { <li><A href=href>{title}</A></li> }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

fn show(v: &Option<Value>) -> String {
    match v {
        None => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map(String::from).unwrap_or_else(|| x.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// One conflicted document, side by side.
#[component]
pub fn ResolvePage() -> impl IntoView {
    let t = use_i18n();
    let handle = use_context::<StoreHandle>().expect("store provided");
    let toolkit = use_context::<Toolkit>().expect("toolkit provided");
    let params = use_params_map();
    let id = move || params.with(|p| (p.get("db").unwrap_or_default(), p.get("id").unwrap_or_default()));
    let record = LocalResource::new(move || {
        let (db, id) = id();
        async move {
            let store = handle.get_value()?;
            let (name, db) = store.synced().into_iter().find(|(n, _)| *n == db)?;
            db.record(&id)
                .await
                .ok()
                .flatten()
                .filter(|r| !r.tree.conflicts().is_empty())
                .map(|r| (name, r))
        }
    });
    let done = RwSignal::new(None::<Result<(), String>>);
    view! {
        <p class="back"><A href="/conflicts">"← "{t.conflicts_heading}</A></p>
        <h1>{t.conflicts_heading}</h1>
        {move || match (record.get(), done.get()) {
            (_, Some(Ok(()))) => view! { <p class="ok" role="status">{t.conflict_saved}</p> }.into_any(),
            (None, _) => view! { <p role="status">{t.loading}</p> }.into_any(),
            (Some(None), _) => view! { <p class="empty">{t.conflict_gone}</p> }.into_any(),
            (Some(Some((db, r))), _) => view! { <ResolveForm db record=r done handle toolkit/> }.into_any(),
        }}
        {move || match done.get() {
            Some(Err(e)) => Some(view! { <p class="field-error" role="alert">{e}</p> }),
            _ => None,
        }}
    }
}

#[component]
fn ResolveForm(
    db: &'static str,
    record: DocRecord,
    done: RwSignal<Option<Result<(), String>>>,
    handle: StoreHandle,
    toolkit: Toolkit,
) -> impl IntoView {
    let t = use_i18n();
    let status = use_context::<crate::sync::SyncStatus>().expect("sync status provided");
    let vs = versions(&record);
    let bodies: Vec<_> = vs.iter().map(|(_, b)| b.clone()).collect();
    let rows = compare(&bodies.iter().collect::<Vec<_>>());
    let picks = RwSignal::new(Vec::<(String, usize)>::new());
    let n = vs.len();
    let record = StoredValue::new(record);
    let bodies = StoredValue::new(bodies);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(store) = handle.get_value() else {
            return;
        };
        let record = record.get_value();
        let merged = bodies.with_value(|b| merge_choice(&b.iter().collect::<Vec<_>>(), &picks.get_untracked()));
        leptos::task::spawn_local(async move {
            let Some((_, target)) = store.synced().into_iter().find(|(n, _)| *n == db) else {
                return;
            };
            let r = target
                .bulk_put(resolution(&record.id, &record, merged))
                .await
                .map(|_| ())
                .map_err(|e| e.to_string());
            if r.is_ok() {
                if let Ok(lib) = crate::store::load_library(&store.toolkit).await {
                    toolkit.library.set(Some(Arc::new(lib)));
                }
                status.data_changed.update(|n| *n += 1);
            }
            done.set(Some(r));
            leptos::task::spawn_local(crate::sync::after_local_change(status, handle, toolkit));
        });
    };
    view! {
        <p>{t.conflict_intro}</p>
        <form class="resolve" on:submit=save>
            <div class="table-scroll">
            <table>
                <thead><tr>
                    <th scope="col">{t.conflict_field}</th>
                    {(0..n).map(|i| view! { <th scope="col">{(t.conflict_version)(i)}{(i == 0).then(|| format!(" ({})", t.conflict_current))}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                {rows.into_iter().filter(|r| r.differs).map(|row| {
                    let field = row.field.clone();
                    view! {
                        <tr>
                            <th scope="row">{row.field.clone()}</th>
                            {row.values.iter().enumerate().map(|(i, v)| {
                                let field = field.clone();
                                let text = show(v);
                                view! {
                                    <td><label>
                                        <input type="radio" name=format!("pick-{field}") value=i.to_string() checked=i == 0
                                            on:change=move |_| picks.update(|p| { p.retain(|(f, _)| f != &field); p.push((field.clone(), i)); })/>
                                        " "<span class="value">{text}</span>
                                    </label></td>
                                }
                            }).collect_view()}
                        </tr>
                    }
                }).collect_view()}
                </tbody>
            </table>
            </div>
            <button type="submit" id="keep-merge">{t.conflict_save}</button>
        </form>
    }
}
