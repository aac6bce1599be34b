//! `/checklists/edit/:slug`: editors change a template by editing its text (the same TOML as
//! the files in `content/checklists`). Saving writes the next version beside the old one, so
//! runs already started keep the version they began with.

use super::FieldGate;
use crate::field::use_field;
use crate::i18n::use_i18n;
use crate::partners::Env;
use commontable_core::checklist::latest;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

/// The page.
#[component]
pub fn TemplateEditPage() -> impl IntoView {
    let t = use_i18n();
    view! {
        <p class="back"><A href="/checklists">"← "{t.c.heading}</A></p>
        <FieldGate><Editor/></FieldGate>
    }
}

#[component]
fn Editor() -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let env = Env::get();
    let navigate = use_navigate();
    let slug = use_params_map().with_untracked(|m| m.get("slug").unwrap_or_default());
    let Some(current) = f
        .templates
        .with_untracked(|ts| latest(ts).get(slug.as_str()).map(|t| (*t).clone()))
    else {
        return view! { <p class="empty">{t.c.no_template}</p> }.into_any();
    };
    let text = RwSignal::new(current.to_toml());
    let error = RwSignal::new(None::<String>);
    let version = current.version;
    let title = current.title.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = match current.next_version(&text.get_untracked()) {
            Ok(n) => n,
            Err(e) => {
                error.set(Some(e));
                if let Some(el) = document().get_element_by_id("f-template") {
                    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                        let _ = el.focus();
                    }
                }
                return;
            }
        };
        let Some(store) = env.store() else { return };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match store.toolkit.put(&next.doc_id(), None, next.to_body()).await {
                Ok(_) => {
                    f.templates.update(|ts| ts.push(next));
                    navigate("/checklists", Default::default());
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <h1>{t.c.edit_template}": "{title}</h1>
        <p class="intro">{(t.c.edit_template_intro)(version)}</p>
        <form class="editor" on:submit=save novalidate>
            <label for="f-template">{t.c.template_text}</label>
            <textarea id="f-template" rows="24" spellcheck="false" aria-describedby="e-template"
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <p id="e-template" class="field-error" role="alert">{move || error.get()}</p>
            <div class="actions">
                <button type="submit" class="primary" id="save-template">{(t.c.save_version)(version + 1)}</button>
                <A href="/checklists">{t.cancel}</A>
            </div>
        </form>
    }
    .into_any()
}
