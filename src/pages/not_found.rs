//! Any address the app does not know.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

/// The not-found page.
#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_i18n();
    view! {
        <h1>{t.not_found}</h1>
        <p><A href="/toolkit">{t.back_to_toolkit}</A></p>
    }
}
