//! Writing toolkit entries (for editors): create, edit, delete. The core validates the
//! document before anything is stored, and the message appears next to the field at fault.

use crate::components::library_gate::LibraryGate;
use crate::i18n::use_i18n;
use crate::store::StoreHandle;
use crate::Toolkit;
use commontable_core::toolkit::{Function, Kind, ToolkitEntry};
use commontable_core::validate::validate_doc;
use commontable_core::DbError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use std::sync::Arc;

/// Whether a slug is usable in an address.
pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
}

fn blank() -> ToolkitEntry {
    ToolkitEntry {
        slug: String::new(),
        title: String::new(),
        summary: String::new(),
        body: String::new(),
        functions: Vec::new(),
        kind: Kind::Practice,
        communities: Vec::new(),
        source: String::new(),
        related: Vec::new(),
    }
}

/// `/toolkit/:slug/edit` and `/new-entry`.
#[component]
pub fn EditEntryPage() -> impl IntoView {
    view! { <LibraryGate><EditEntryReady/></LibraryGate> }
}

#[component]
fn EditEntryReady() -> impl IntoView {
    let t = use_i18n();
    let toolkit = use_context::<Toolkit>().expect("toolkit provided");
    let params = use_params_map();
    let slug = params.with_untracked(|p| p.get("slug"));
    let existing = slug.as_ref().and_then(|s| {
        toolkit
            .library
            .with_untracked(|l| l.as_ref().and_then(|l| l.get(s).cloned()))
    });
    match (slug, existing) {
        (Some(_), None) => view! { <p class="empty">{t.entry_missing}</p> }.into_any(),
        (_, existing) => view! { <EntryForm existing/> }.into_any(),
    }
}

#[component]
fn EntryForm(existing: Option<ToolkitEntry>) -> impl IntoView {
    let t = use_i18n();
    let toolkit = use_context::<Toolkit>().expect("toolkit provided");
    let handle = use_context::<StoreHandle>().expect("store provided");
    let status = use_context::<crate::sync::SyncStatus>().expect("sync status provided");
    let navigate = use_navigate();
    let is_new = existing.is_none();
    let draft = RwSignal::new(existing.clone().unwrap_or_else(blank));
    let communities = RwSignal::new(existing.as_ref().map(|e| e.communities.join("; ")).unwrap_or_default());
    let error = RwSignal::new(None::<(String, String)>);
    let busy = RwSignal::new(false);
    // Move the person to the field at fault (on a phone it is usually off screen).
    Effect::new(move |_| {
        if let Some((field, _)) = error.get() {
            if let Some(el) = document().get_element_by_id(&format!("f-{field}")) {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        }
    });
    let err_for = move |field: &'static str| move || error.get().filter(|(f, _)| f == field).map(|(_, m)| m);
    let invalid = move |field: &'static str| {
        move || {
            if error.get().is_some_and(|(f, _)| f == field) {
                "true"
            } else {
                "false"
            }
        }
    };
    let save = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut entry = draft.get_untracked();
            entry.communities = communities
                .get_untracked()
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            if is_new && !valid_slug(&entry.slug) {
                error.set(Some(("slug".into(), t.editor_slug_invalid.into())));
                return;
            }
            if let Err(v) = validate_doc(&entry.doc_id(), &entry.to_body()) {
                error.set(Some((v.field, v.message)));
                return;
            }
            let Some(store) = handle.get_value() else {
                return;
            };
            let navigate = navigate.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                let base = if is_new {
                    None
                } else {
                    store.toolkit.get(&entry.doc_id()).await.ok().flatten().map(|d| d.rev)
                };
                let exists = is_new && store.toolkit.get(&entry.doc_id()).await.ok().flatten().is_some();
                let result = if exists {
                    Err(("slug".to_string(), t.editor_slug_taken.to_string()))
                } else {
                    store
                        .toolkit
                        .put(&entry.doc_id(), base.as_ref(), entry.to_body())
                        .await
                        .map(|_| ())
                        .map_err(|e| match e {
                            DbError::Invalid(v) => (v.field, v.message),
                            DbError::Conflict(_) => ("form".into(), t.editor_conflict.into()),
                            other => ("form".into(), other.to_string()),
                        })
                };
                busy.set(false);
                match result {
                    Ok(()) => {
                        if let Ok(lib) = crate::store::load_library(&store.toolkit).await {
                            toolkit.library.set(Some(Arc::new(lib)));
                        }
                        navigate(&format!("/toolkit/{}", entry.slug), Default::default());
                        leptos::task::spawn_local(crate::sync::after_local_change(status, handle, toolkit));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let delete = move |_| {
        if !window().confirm_with_message(t.confirm_delete).unwrap_or(false) {
            return;
        }
        let Some(store) = handle.get_value() else {
            return;
        };
        let id = draft.get_untracked().doc_id();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let r = match store.toolkit.get(&id).await {
                Ok(Some(d)) => store.toolkit.delete(&id, &d.rev).await.map(|_| ()),
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            };
            match r {
                Ok(()) => {
                    if let Ok(lib) = crate::store::load_library(&store.toolkit).await {
                        toolkit.library.set(Some(Arc::new(lib)));
                    }
                    navigate("/toolkit", Default::default());
                    leptos::task::spawn_local(crate::sync::after_local_change(status, handle, toolkit));
                }
                Err(e) => error.set(Some(("form".into(), e.to_string()))),
            }
        });
    };
    let back = existing
        .as_ref()
        .map_or("/toolkit".to_string(), |e| format!("/toolkit/{}", e.slug));
    view! {
        <h1>{if is_new { t.new_entry } else { t.edit }}</h1>
        <form class="editor" on:submit=save novalidate>
            {move || error.get().map(|_| view! { <p class="error" role="alert">{t.editor_fix_fields}</p> })}
            <p id="f-form" tabindex="-1" class="field-error" role="alert">{err_for("form")}</p>
            {is_new.then(|| view! {
                <label for="f-slug">{t.field_slug}</label>
                <input id="f-slug" autocapitalize="none" aria-invalid=invalid("slug") aria-describedby="e-slug"
                    prop:value=move || draft.with(|d| d.slug.clone()) on:input=move |ev| draft.update(|d| d.slug = event_target_value(&ev))/>
                <p id="e-slug" class="field-error">{err_for("slug")}</p>
            })}
            <label for="f-title">{t.field_title}</label>
            <input id="f-title" aria-invalid=invalid("title") aria-describedby="e-title"
                prop:value=move || draft.with(|d| d.title.clone()) on:input=move |ev| draft.update(|d| d.title = event_target_value(&ev))/>
            <p id="e-title" class="field-error">{err_for("title")}</p>
            <label for="f-summary">{t.field_summary}</label>
            <textarea id="f-summary" rows="3" aria-invalid=invalid("summary") aria-describedby="e-summary"
                prop:value=move || draft.with(|d| d.summary.clone()) on:input=move |ev| draft.update(|d| d.summary = event_target_value(&ev))></textarea>
            <p id="e-summary" class="field-error">{err_for("summary")}</p>
            <label for="f-kind">{t.field_kind}</label>
            <select id="f-kind" on:change=move |ev| draft.update(|d| d.kind = Kind::parse(&event_target_value(&ev)).unwrap_or(Kind::Practice))>
                {Kind::ALL.into_iter().map(|k| view! { <option value=k.as_str() selected=move || draft.with(|d| d.kind == k)>{(t.kind_name)(k)}</option> }).collect_view()}
            </select>
            <fieldset id="f-functions" tabindex="-1" aria-describedby="e-functions">
                <legend>{t.field_functions}</legend>
                {Function::ALL.into_iter().map(|f| view! {
                    <label class="check">
                        <input type="checkbox" value=f.as_str() prop:checked=move || draft.with(|d| d.functions.contains(&f))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| { d.functions.retain(|x| *x != f); if on { d.functions.push(f) } });
                            }/>
                        " "{(t.function_name)(f)}
                    </label>
                }).collect_view()}
            </fieldset>
            <p id="e-functions" class="field-error">{err_for("functions")}</p>
            <label for="f-communities">{t.field_communities}</label>
            <input id="f-communities" prop:value=move || communities.get() on:input=move |ev| communities.set(event_target_value(&ev))/>
            <label for="f-source">{t.field_source}</label>
            <input id="f-source" prop:value=move || draft.with(|d| d.source.clone()) on:input=move |ev| draft.update(|d| d.source = event_target_value(&ev))/>
            <label for="f-body">{t.field_body}</label>
            <textarea id="f-body" rows="14" aria-invalid=invalid("body") aria-describedby="e-body"
                prop:value=move || draft.with(|d| d.body.clone()) on:input=move |ev| draft.update(|d| d.body = event_target_value(&ev))></textarea>
            <p id="e-body" class="field-error">{err_for("body")}</p>
            <div class="actions">
                <button type="submit" id="save-entry" disabled=move || busy.get()>{t.save_changes}</button>
                <A href=back>{t.cancel}</A>
                {(!is_new).then(|| view! { <button type="button" class="danger" id="delete-entry" on:click=delete.clone()>{t.delete_entry}</button> })}
            </div>
        </form>
    }
}
