//! Checklists and the field log: the checklist home (runs in progress, templates to start),
//! a run, door-to-door mode, the areas and groups register, and "where haven't we been?".

pub mod coverage;
pub mod door;
pub mod home;
pub mod register;
pub mod run;
pub mod template;

use crate::field::use_field;
use crate::i18n::use_i18n;
use crate::Load;
use leptos::prelude::*;

/// Shows its children once the field data is loaded.
#[component]
pub fn FieldGate(children: ChildrenFn) -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    move || match f.load.get() {
        Load::Loading => view! { <p class="loading" role="status" aria-busy="true">{t.loading}</p> }.into_any(),
        Load::Failed(why) => view! { <p class="error" role="alert">{t.storage_failed}": "{why}</p> }.into_any(),
        Load::Ready => children().into_any(),
    }
}
