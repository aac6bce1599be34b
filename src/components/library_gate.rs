//! Shows its children once the device's library is open; until then a loading line, and if
//! storage cannot be opened, the reason.

use crate::i18n::use_i18n;
use crate::{Load, Toolkit};
use leptos::prelude::*;

/// Waits for the library.
#[component]
pub fn LibraryGate(children: ChildrenFn) -> impl IntoView {
    let t = use_i18n();
    let toolkit = use_context::<Toolkit>().expect("toolkit provided");
    move || match toolkit.load.get() {
        Load::Loading => view! { <p class="loading" role="status" aria-busy="true">{t.loading}</p> }.into_any(),
        Load::Failed(why) => view! {
            <p class="error" role="alert">{t.storage_failed}": "{why}</p>
        }
        .into_any(),
        Load::Ready => children().into_any(),
    }
}
