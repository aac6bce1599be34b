//! Checklists and the field log on this device: the templates (region-wide, in the `toolkit`
//! database, seeded from `/checklists.json` like the toolkit), and from the `workspace`
//! database the runs with their status changes, door-to-door shifts and visits, and the areas
//! and groups. Answers are read per run when it is opened.

use crate::partners::{Change, Env, FormError};
use crate::store::AppStore;
use crate::Load;
use commontable_core::checklist::{Answer, Area, Group, Run, Shift, StatusChange, Template, Visit, TEMPLATE_TYPE};
use commontable_core::database::{DbError, Edit};
use commontable_core::stored::Stored;
use commontable_core::Database;
use commontable_idb::IdbStorage;
use leptos::prelude::*;
use serde_json::{Map, Value};

/// Where the templates shipped with this build are served.
const SHIPPED_URL: &str = "/checklists.json";

/// The field data in memory.
#[derive(Clone, Copy)]
pub struct Field {
    /// Every template version.
    pub templates: RwSignal<Vec<Template>>,
    /// Runs.
    pub runs: RwSignal<Vec<Run>>,
    /// Status changes of every run.
    pub statuses: RwSignal<Vec<StatusChange>>,
    /// Areas.
    pub areas: RwSignal<Vec<Area>>,
    /// Groups.
    pub groups: RwSignal<Vec<Group>>,
    /// Shifts.
    pub shifts: RwSignal<Vec<Shift>>,
    /// Visits.
    pub visits: RwSignal<Vec<Visit>>,
    /// Loading state.
    pub load: RwSignal<Load>,
}

/// The state in context.
pub fn use_field() -> Field {
    use_context::<Field>().expect("field provided")
}

fn apply_to<T: Stored + Clone + Send + Sync + 'static>(
    list: RwSignal<Vec<T>>,
    id: &str,
    body: Option<&Map<String, Value>>,
    id_of: fn(&T) -> &str,
) {
    if !id.starts_with(T::PREFIX) {
        return;
    }
    list.update(|v| {
        v.retain(|x| id_of(x) != id);
        if let Some(x) = body.and_then(|b| T::from_doc(id, b)) {
            v.push(x);
        }
    });
}

async fn read<T: Stored>(db: &Database<IdbStorage>) -> Result<Vec<T>, DbError> {
    Ok(db
        .docs_with_prefix(T::PREFIX)
        .await?
        .iter()
        .filter_map(|d| T::from_doc(&d.id, &d.body))
        .collect())
}

impl Field {
    /// Creates the state and puts it in context.
    pub fn provide() -> Field {
        let f = Field {
            templates: RwSignal::new(Vec::new()),
            runs: RwSignal::new(Vec::new()),
            statuses: RwSignal::new(Vec::new()),
            areas: RwSignal::new(Vec::new()),
            groups: RwSignal::new(Vec::new()),
            shifts: RwSignal::new(Vec::new()),
            visits: RwSignal::new(Vec::new()),
            load: RwSignal::new(Load::Loading),
        };
        provide_context(f);
        f
    }

    /// Seeds missing shipped templates, then reads everything.
    pub async fn reload(self, store: &AppStore) {
        let r = async {
            if let Ok(shipped) = shipped().await {
                seed(&store.toolkit, &shipped).await?;
            }
            let templates: Vec<Template> = store
                .toolkit
                .docs_with_prefix("template:")
                .await?
                .iter()
                .filter_map(|d| Template::from_doc(&d.body))
                .collect();
            let ws = &store.workspace;
            Ok::<_, DbError>((
                templates,
                read::<Run>(ws).await?,
                read::<StatusChange>(ws).await?,
                read::<Area>(ws).await?,
                read::<Group>(ws).await?,
                read::<Shift>(ws).await?,
                read::<Visit>(ws).await?,
            ))
        }
        .await;
        match r {
            Ok((t, r, s, a, g, sh, v)) => {
                self.templates.set(t);
                self.runs.set(r);
                self.statuses.set(s);
                self.areas.set(a);
                self.groups.set(g);
                self.shifts.set(sh);
                self.visits.set(v);
                self.load.set(Load::Ready);
            }
            Err(e) => self.load.set(Load::Failed(e.to_string())),
        }
    }

    /// Takes written documents into account.
    pub fn apply(self, changes: &[Change]) {
        for c in changes {
            let b = c.body.as_ref();
            apply_to(self.runs, &c.id, b, |x| &x.id);
            apply_to(self.statuses, &c.id, b, |x| &x.id);
            apply_to(self.areas, &c.id, b, |x| &x.id);
            apply_to(self.groups, &c.id, b, |x| &x.id);
            apply_to(self.shifts, &c.id, b, |x| &x.id);
            apply_to(self.visits, &c.id, b, |x| &x.id);
        }
    }

    /// Writes to the workspace (validated, all-or-nothing) and updates the lists.
    pub async fn write(self, env: Env, changes: Vec<Change>) -> Result<(), FormError> {
        env.write(&changes).await?;
        self.apply(&changes);
        Ok(())
    }

    /// The template version a run uses.
    pub fn template_of(self, run: &Run) -> Option<Template> {
        self.templates
            .with(|ts| ts.iter().find(|t| t.doc_id() == run.template).cloned())
    }

    /// A run's status changes.
    pub fn statuses_of(self, run_id: &str) -> Vec<StatusChange> {
        self.statuses
            .with(|s| s.iter().filter(|x| x.run == run_id).cloned().collect())
    }
}

/// A run's answers, read from the workspace.
pub async fn answers_of(store: &AppStore, run_id: &str) -> Result<Vec<Answer>, DbError> {
    let prefix = format!("{}{}:", Answer::PREFIX, commontable_core::checklist::key_of(run_id));
    Ok(store
        .workspace
        .docs_with_prefix(&prefix)
        .await?
        .iter()
        .filter_map(|d| Answer::from_doc(&d.id, &d.body))
        .collect())
}

async fn shipped() -> Result<Vec<Template>, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let js_err = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let resp = JsFuture::from(window().fetch_with_str(SHIPPED_URL))
        .await
        .map_err(js_err)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(js_err)?;
    if !resp.ok() {
        return Err(format!("{SHIPPED_URL} answered {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(js_err)?).await.map_err(js_err)?;
    serde_json::from_str(&text.as_string().unwrap_or_default()).map_err(|e| e.to_string())
}

/// Writes every shipped template version the database lacks (versions are never rewritten).
async fn seed(db: &Database<IdbStorage>, templates: &[Template]) -> Result<(), DbError> {
    let mut missing = Vec::new();
    for t in templates {
        if db.record(&t.doc_id()).await?.is_none() {
            missing.push(Edit {
                id: t.doc_id(),
                base: None,
                deleted: false,
                body: t.to_body(),
            });
        }
    }
    if !missing.is_empty() {
        db.bulk_put(missing).await?;
    }
    debug_assert!(templates.iter().all(|t| t.to_body()["type"] == TEMPLATE_TYPE));
    Ok(())
}

/// Now as RFC 3339 (UTC), from the device's clock.
pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// The name this device logs under (remembered from the last form that asked).
pub fn my_name() -> String {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item("commontable.logged-by").ok().flatten())
        .unwrap_or_default()
}
