//! The partner directory on this device: the in-memory [`Directory`] over the `workspace`
//! database, what the list shows, and the one write path every partner screen uses (validate in
//! core, write all-or-nothing, update the directory, then let sync send it).

use crate::store::{AppStore, StoreHandle};
use crate::Load;
use commontable_core::database::{DbError, Edit};
use commontable_core::directory::{Directory, PartnerFilter};
use commontable_core::partner::{Contact, Interaction, Partner, StageChange};
use commontable_core::stored::Stored;
use commontable_core::validate::validate_doc;
use commontable_core::Database;
use commontable_idb::IdbStorage;
use leptos::prelude::*;
use serde_json::{Map, Value};

/// How many rows the list shows before "Show more".
pub const PAGE: usize = 30;

/// The directory as loaded on this device, and the list's state (kept while moving between
/// the list and a partner, so coming back finds the same search).
#[derive(Clone, Copy)]
pub struct Partners {
    /// The directory.
    pub dir: RwSignal<Directory>,
    /// Loading state.
    pub load: RwSignal<Load>,
    /// What the list shows.
    pub filter: RwSignal<PartnerFilter>,
    /// How many rows the list shows.
    pub shown: RwSignal<usize>,
    /// Whether the interactions are read (until then last contact is unknown).
    pub interactions_ready: RwSignal<bool>,
}

impl Partners {
    /// Creates the state and puts it in context.
    pub fn provide() -> Partners {
        let p = Partners {
            dir: RwSignal::new(Directory::new()),
            load: RwSignal::new(Load::Loading),
            filter: RwSignal::new(PartnerFilter::default()),
            shown: RwSignal::new(PAGE),
            interactions_ready: RwSignal::new(false),
        };
        provide_context(p);
        p
    }

    /// Reads the workspace into the directory: partners, contacts and stage changes first (the
    /// list can show), then the interactions, which are most of the documents (last contact,
    /// timelines and the "no contact" filter fill in when they arrive).
    pub async fn reload(self, workspace: &Database<IdbStorage>) {
        self.interactions_ready.set(false);
        match load(workspace).await {
            Ok(d) => {
                self.dir.set(d);
                self.load.set(Load::Ready);
            }
            Err(e) => {
                self.load.set(Load::Failed(e.to_string()));
                return;
            }
        }
        match workspace.docs_with_prefix(Interaction::PREFIX).await {
            Ok(docs) => {
                self.dir.update(|d| {
                    d.add_all(docs.iter().map(|x| (x.id.as_str(), &x.body)));
                    d.prepare();
                });
                self.interactions_ready.set(true);
            }
            Err(e) => self.load.set(Load::Failed(e.to_string())),
        }
    }
}

/// The state in context.
pub fn use_partners() -> Partners {
    use_context::<Partners>().expect("partners provided")
}

/// Builds the directory from the workspace's partners, contacts and stage changes.
pub async fn load(workspace: &Database<IdbStorage>) -> Result<Directory, DbError> {
    let mut d = Directory::new();
    for prefix in [Partner::PREFIX, Contact::PREFIX, StageChange::PREFIX] {
        let docs = workspace.docs_with_prefix(prefix).await?;
        d.add_all(docs.iter().map(|x| (x.id.as_str(), &x.body)));
    }
    d.prepare();
    Ok(d)
}

/// Today on this device, `YYYY-MM-DD` (local time: the day the person is living).
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// A new random key (a version 4 UUID). `crypto.getRandomValues` works on plain-HTTP LAN
/// addresses too, where `randomUUID` does not.
pub fn new_key() -> String {
    let mut b = [0u8; 16];
    let filled = window()
        .crypto()
        .ok()
        .and_then(|c| c.get_random_values_with_u8_array(&mut b).ok())
        .is_some();
    if !filled {
        for x in b.iter_mut() {
            *x = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// A failed write, as (field, message) for the form: the field at fault for a validation error.
pub type FormError = (String, String);

/// One change to write: a new or changed body, or a deletion (`None`).
pub struct Change {
    /// Document id.
    pub id: String,
    /// New body, or `None` to delete.
    pub body: Option<Map<String, Value>>,
}

impl Change {
    /// Writes this document (new or changed).
    pub fn put(doc: &impl Stored) -> Change {
        Change {
            id: doc.id().to_string(),
            body: Some(doc.to_body()),
        }
    }
}

/// What a partner screen needs to write: taken from context when the screen is built (context
/// is not available inside later async work).
#[derive(Clone, Copy)]
pub struct Env {
    /// The directory state.
    pub partners: Partners,
    handle: StoreHandle,
    status: crate::sync::SyncStatus,
    toolkit: crate::Toolkit,
}

impl Env {
    /// From context.
    pub fn get() -> Env {
        Env {
            partners: use_partners(),
            handle: use_context().expect("store provided"),
            status: use_context().expect("sync status provided"),
            toolkit: use_context().expect("toolkit provided"),
        }
    }

    /// The open store (None until storage is open).
    pub fn store(&self) -> Option<AppStore> {
        self.handle.get_value()
    }

    /// A form's Save: `busy` while writing, then `go` to `to`, or the message on the form.
    pub fn submit(
        self,
        changes: Vec<Change>,
        busy: RwSignal<bool>,
        errors: RwSignal<Option<FormError>>,
        go: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
        to: String,
    ) {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = self.write(&changes).await;
            busy.set(false);
            match r {
                Ok(()) => go(&to, Default::default()),
                Err(e) => errors.set(Some(e)),
            }
        });
    }

    /// Writes changes to the workspace all-or-nothing (each replaces the current revision, so
    /// an edit made from a stale screen still lands on top), then updates the directory and
    /// starts a sync. Validation failures name the field.
    pub async fn write(self, changes: &[Change]) -> Result<(), FormError> {
        let store = self
            .store()
            .ok_or(("form".to_string(), "storage is not open yet".to_string()))?;
        let mut edits = Vec::with_capacity(changes.len());
        for c in changes {
            if let Some(body) = &c.body {
                validate_doc(&c.id, body).map_err(|v| (v.field, v.message))?;
            }
            let base = store
                .workspace
                .get(&c.id)
                .await
                .map_err(|e| ("form".to_string(), e.to_string()))?
                .map(|d| d.rev);
            if c.body.is_none() && base.is_none() {
                continue;
            }
            edits.push(Edit {
                id: c.id.clone(),
                base,
                deleted: c.body.is_none(),
                body: c.body.clone().unwrap_or_default(),
            });
        }
        store.workspace.bulk_put(edits).await.map_err(|e| match e {
            DbError::Invalid(v) => (v.field, v.message),
            other => ("form".to_string(), other.to_string()),
        })?;
        // One batch: deleting a partner with its history refreshes it once, not once per document.
        self.partners.dir.update(|d| {
            d.apply_all(changes.iter().map(|c| (c.id.as_str(), c.body.as_ref())));
            d.prepare();
        });
        leptos::task::spawn_local(crate::sync::after_local_change(self.status, self.handle, self.toolkit));
        Ok(())
    }
}
