//! The partner directory's screens: the list (with a detail pane beside it on tablets), a
//! partner's page, the forms, the asset and department views, and export/import.

pub mod detail;
pub mod exchange;
pub mod fields;
pub mod forms;
pub mod list;
pub mod views;

use crate::i18n::use_i18n;
use crate::partners::use_partners;
use crate::Load;
use commontable_core::partner::Partner;
use commontable_core::stored::Stored;
use leptos::prelude::*;

/// The document id of the partner named by an address key.
pub fn partner_id(key: &str) -> String {
    format!("{}{key}", Partner::PREFIX)
}

/// The address of a partner's page.
pub fn partner_href(id: &str) -> String {
    format!(
        "/partners/{}",
        js_sys::encode_uri_component(commontable_core::partner::partner_key(id))
    )
}

/// Shows its children once the directory is loaded; a loading line until then, and the reason
/// if storage could not be read.
#[component]
pub fn DirectoryGate(children: ChildrenFn) -> impl IntoView {
    let t = use_i18n();
    let p = use_partners();
    move || match p.load.get() {
        Load::Loading => view! { <p class="loading" role="status" aria-busy="true">{t.p.loading}</p> }.into_any(),
        Load::Failed(why) => view! { <p class="error" role="alert">{t.storage_failed}": "{why}</p> }.into_any(),
        Load::Ready => children().into_any(),
    }
}

/// Whether the screen is wide enough for the list beside the detail (tablets, desktops).
fn wide() -> bool {
    window()
        .match_media("(min-width: 56rem)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// A partner screen: on a wide screen the list stays beside it.
#[component]
pub fn WithList(children: Children) -> impl IntoView {
    let t = use_i18n();
    let side = wide().then(|| {
        view! {
            <section class="pane-list" aria-label=t.p.heading>
                <list::PartnerList/>
            </section>
        }
    });
    let with_list = side.is_some();
    view! {
        <div class="two-pane" class:with-list=with_list>
            {side}
            <section class="pane-detail">{children()}</section>
        </div>
    }
}
