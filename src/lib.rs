//! Common Table, the app: a Leptos client-side app over the core, with IndexedDB storage and
//! an offline shell. `main.rs` only mounts [`App`]; everything else lives here so tests can
//! mount pieces.

pub mod components;
pub mod field;
pub mod i18n;
pub mod pages;
pub mod partners;
pub mod shell;
pub mod store;
pub mod sync;

use commontable_core::toolkit::Library;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Where opening the device's data stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    /// Opening IndexedDB and reading the toolkit.
    Loading,
    /// Ready to use.
    Ready,
    /// Storage could not be opened; the message says why.
    Failed(String),
}

/// The toolkit as loaded on this device.
#[derive(Clone, Copy)]
pub struct Toolkit {
    /// The library, once loaded.
    pub library: RwSignal<Option<Arc<Library>>>,
    /// Loading state.
    pub load: RwSignal<Load>,
}

/// Slugs of the entries saved on this device.
#[derive(Clone, Copy)]
pub struct Bookmarks(pub RwSignal<BTreeSet<String>>);

/// Opens storage, writes the shipped toolkit on first run, and loads library and bookmarks.
fn boot(
    toolkit: Toolkit,
    bookmarks: Bookmarks,
    handle: store::StoreHandle,
    status: sync::SyncStatus,
    directory: partners::Partners,
    field: field::Field,
) {
    leptos::task::spawn_local(async move {
        let result = async {
            let s = store::open().await.map_err(|e| e.to_string())?;
            // The shipped toolkit only matters if the device lacks entries; when it cannot be
            // fetched (offline before the service worker cached it) the device's copy is used.
            let shipped = store::shipped_entries().await;
            if let Ok(entries) = &shipped {
                store::seed_toolkit(&s.toolkit, entries)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            let library = store::load_library(&s.toolkit).await.map_err(|e| e.to_string())?;
            if let (Err(why), true) = (&shipped, library.entries().is_empty()) {
                return Err(why.clone());
            }
            let saved = store::load_bookmarks(&s.device).await.map_err(|e| e.to_string())?;
            Ok::<_, String>((s, library, saved))
        }
        .await;
        match result {
            Ok((s, library, saved)) => {
                status.load(&s).await;
                let workspace = s.workspace.clone();
                handle.set_value(Some(s));
                toolkit.library.set(Some(Arc::new(library)));
                bookmarks.0.set(saved);
                toolkit.load.set(Load::Ready);
                // The directory loads after the toolkit is on screen, then sync starts.
                directory.reload(&workspace).await;
                if let Some(store) = handle.get_value() {
                    field.reload(&store).await;
                }
                sync::start(status, handle, toolkit);
            }
            Err(e) => {
                directory.load.set(Load::Failed(e.clone()));
                field.load.set(Load::Failed(e.clone()));
                toolkit.load.set(Load::Failed(e));
            }
        }
    });
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let i18n::I18n(lang) = i18n::provide_i18n();
    let toolkit = Toolkit {
        library: RwSignal::new(None),
        load: RwSignal::new(Load::Loading),
    };
    let bookmarks = Bookmarks(RwSignal::new(BTreeSet::new()));
    let handle: store::StoreHandle = StoredValue::new_local(None);
    provide_context(toolkit);
    provide_context(bookmarks);
    provide_context(handle);
    let status = sync::SyncStatus::provide();
    let directory = partners::Partners::provide();
    let field = field::Field::provide();
    boot(toolkit, bookmarks, handle, status, directory, field);
    // Data that arrived other than through the partner screens (sync, a backup, a resolved
    // conflict): read the directory again.
    Effect::new(move |seen: Option<u64>| {
        let n = status.data_changed.get();
        if seen.is_some_and(|s| s != n) {
            if let Some(s) = handle.get_value() {
                leptos::task::spawn_local(async move {
                    directory.reload(&s.workspace).await;
                    field.reload(&s).await;
                });
            }
        }
        n
    });
    shell::request_persistence_once();

    // Everything below re-renders when the language changes (see `i18n::use_i18n`).
    move || {
        lang.track();
        let t = i18n::use_i18n();
        view! {
        <Router>
            <a class="skip-link" href="#main">{t.skip_to_content}</a>
            <components::header::Header/>
            <components::update_banner::UpdateBanner/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                    <Route path=path!("/") view=pages::toolkit::ToolkitPage/>
                    <Route path=path!("/toolkit") view=pages::toolkit::ToolkitPage/>
                    <Route path=path!("/toolkit/:slug") view=pages::entry::EntryPage/>
                    <Route path=path!("/toolkit/:slug/edit") view=pages::edit_entry::EditEntryPage/>
                    <Route path=path!("/new-entry") view=pages::edit_entry::EditEntryPage/>
                    <Route path=path!("/sync") view=pages::sync::SyncPage/>
                    <Route path=path!("/conflicts") view=pages::conflicts::ConflictsPage/>
                    <Route path=path!("/conflicts/:db/:id") view=pages::conflicts::ResolvePage/>
                    <Route path=path!("/saved") view=pages::saved::SavedPage/>
                    <Route path=path!("/device") view=pages::device::DevicePage/>
                    <Route path=path!("/partners") view=pages::partners::list::PartnersPage/>
                    <Route path=path!("/new-partner") view=pages::partners::forms::PartnerFormPage/>
                    <Route path=path!("/partners/:key") view=pages::partners::detail::PartnerPage/>
                    <Route path=path!("/partners/:key/edit") view=pages::partners::forms::PartnerFormPage/>
                    <Route path=path!("/partners/:key/log") view=pages::partners::forms::LogPage/>
                    <Route path=path!("/partners/:key/stage") view=pages::partners::forms::StagePage/>
                    <Route path=path!("/partners/:key/new-contact") view=pages::partners::forms::ContactFormPage/>
                    <Route path=path!("/partners/:key/contact/:ckey") view=pages::partners::forms::ContactFormPage/>
                    <Route path=path!("/partner-assets") view=pages::partners::views::AssetsPage/>
                    <Route path=path!("/partner-departments") view=pages::partners::views::DepartmentsPage/>
                    <Route path=path!("/partner-exchange") view=pages::partners::exchange::ExchangePage/>
                    <Route path=path!("/checklists") view=pages::field::home::ChecklistsPage/>
                    <Route path=path!("/checklists/start/:slug") view=pages::field::home::StartRunPage/>
                    <Route path=path!("/runs/:key") view=pages::field::run::RunPage/>
                    <Route path=path!("/checklists/edit/:slug") view=pages::field::template::TemplateEditPage/>
                    <Route path=path!("/door") view=pages::field::door::DoorPage/>
                    <Route path=path!("/register") view=pages::field::register::RegisterPage/>
                    <Route path=path!("/coverage") view=pages::field::coverage::CoveragePage/>
                </Routes>
            </main>
        </Router>
        }
    }
}
