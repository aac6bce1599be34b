//! Form fields for the partner screens: a label, the control, a help line and the error next
//! to it (announced, and focused when a save fails because of it).

use crate::partners::FormError;
use leptos::prelude::*;

/// The errors of one form: which field, and what is wrong.
pub type Errors = RwSignal<Option<FormError>>;

/// Moves focus to the field at fault whenever a save fails (on a phone it is often off screen).
/// Errors for fields the form does not show land on the form's own message (`form`).
pub fn focus_errors(errors: Errors, fields: &'static [&'static str]) {
    Effect::new(move |_| {
        if let Some((field, _)) = errors.get() {
            let target = if fields.contains(&field.as_str()) {
                field
            } else {
                "form".into()
            };
            if let Some(el) = document().get_element_by_id(&format!("f-{target}")) {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        }
    });
}

/// The message for `field`, if the last save failed because of it.
pub fn error_of(errors: Errors, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || errors.get().filter(|(f, _)| f == field).map(|(_, m)| m)
}

/// The form-level message: any error about a field this form does not show.
#[component]
pub fn FormMessage(errors: Errors, fields: &'static [&'static str]) -> impl IntoView {
    let t = crate::i18n::use_i18n();
    view! {
        {move || errors.get().map(|_| view! { <p class="error" role="alert">{t.editor_fix_fields}</p> })}
        <p id="f-form" tabindex="-1" class="field-error" role="alert">
            {move || errors.get().filter(|(f, _)| !fields.contains(&f.as_str())).map(|(f, m)| format!("{f}: {m}"))}
        </p>
    }
}

/// A labelled text input (or textarea) bound to `value`.
#[component]
pub fn Field(
    /// The document field it edits (ids `f-<name>`, `e-<name>`).
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: Errors,
    #[prop(optional)] help: Option<&'static str>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] rows: Option<u32>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let described = format!("h-{name} e-{name}");
    let invalid = move || {
        if error_of(errors, name)().is_some() {
            "true"
        } else {
            "false"
        }
    };
    let control = match rows {
        Some(rows) => view! {
            <textarea id=id.clone() rows=rows aria-invalid=invalid aria-describedby=described.clone()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        }
        .into_any(),
        None => view! {
            <input id=id.clone() type=input_type.unwrap_or("text") aria-invalid=invalid aria-describedby=described.clone()
                autocomplete=autocomplete.unwrap_or("off") inputmode=inputmode
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        }
        .into_any(),
    };
    view! {
        <label for=id>{label}</label>
        {control}
        <p id=format!("h-{name}") class="help">{help}</p>
        <p id=format!("e-{name}") class="field-error">{error_of(errors, name)}</p>
    }
}

/// "a; b; c" → ["a", "b", "c"] (blank items dropped).
pub fn split_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}
