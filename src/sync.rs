//! The sync driver: runs the core replicator between this device's databases and the sync
//! server, and keeps a status the whole app can show.
//!
//! Pull first, then push, so that after a full sync the count of local changes not yet on the
//! server is zero. Runs at start, when the network returns, when the app comes back to the
//! foreground, every few minutes, and on "Sync now". A failure that a retry may fix is retried
//! with growing pauses; 401, 403, 409 and 412 are not retried — they need a person.

use crate::store::{AppStore, StoreHandle};
use crate::Toolkit;
use commontable_core::replicate::{
    backoff_ms, pending, replicate, replication_id, HttpPeer, PeerError, ReplicationOptions,
};
use commontable_core::Database;
use commontable_idb::fetch::FetchClient;
use commontable_idb::IdbStorage;
use leptos::prelude::*;
use std::sync::Arc;

const URL_KEY: &str = "commontable.sync-url";
const STATE_ID: &str = "sync-state";

/// Where sync stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Not syncing now.
    Idle,
    /// Syncing; documents moved so far.
    Syncing(u64),
    /// The browser is offline.
    Offline,
    /// The last attempt failed; `needs_person` when retrying will not help.
    Failed { message: String, needs_person: bool },
}

/// One finished attempt, for the history list.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Attempt {
    /// When it ended (ms since the epoch).
    pub at: f64,
    /// Whether it succeeded.
    pub ok: bool,
    /// Documents received and sent.
    pub pulled: u64,
    pub pushed: u64,
    /// What went wrong, in words.
    pub message: String,
}

/// The sync status, in context.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    pub phase: RwSignal<Phase>,
    /// Local changes not yet on the server.
    pub pending: RwSignal<u64>,
    /// When the last successful sync ended (ms since the epoch).
    pub last_ok: RwSignal<Option<f64>>,
    /// Since when local changes have been waiting for the server (ms since the epoch).
    pub pending_since: RwSignal<Option<f64>>,
    /// Recent attempts, newest first.
    pub history: RwSignal<Vec<Attempt>>,
    /// The server's CouchDB address (without a database name).
    pub url: RwSignal<String>,
    /// Counts changes to synced data that did not come from the screen showing it (a pull, a
    /// backup import, a resolved conflict): views holding data in memory reload when it moves.
    pub data_changed: RwSignal<u64>,
    running: StoredValue<bool>,
    failures: StoredValue<u32>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn default_url() -> String {
    format!("{}/couch", window().location().origin().unwrap_or_default())
}

/// Checks a sync address: http(s), no credentials in it, no query.
pub fn check_url(url: &str) -> Result<String, &'static str> {
    let url = url.trim().trim_end_matches('/');
    let parsed = web_sys::Url::new(url).map_err(|_| "not a web address")?;
    if !matches!(parsed.protocol().as_str(), "http:" | "https:") {
        return Err("must start with http:// or https://");
    }
    if !parsed.username().is_empty() || !parsed.search().is_empty() {
        return Err("must not contain a user name or a query");
    }
    Ok(url.to_string())
}

fn device_id() -> String {
    // Stable per browser profile; names this device in replication ids.
    let ls = window().local_storage().ok().flatten();
    if let Some(id) = ls
        .as_ref()
        .and_then(|s| s.get_item("commontable.device-id").ok().flatten())
    {
        return id;
    }
    let id = format!(
        "device-{:x}{:x}",
        now_ms() as u64,
        (js_sys::Math::random() * 1e12) as u64
    );
    if let Some(s) = ls {
        let _ = s.set_item("commontable.device-id", &id);
    }
    id
}

fn push_id(db: &str, url: &str) -> String {
    replication_id(&format!("{}/{db}", device_id()), &format!("{url}/{db}"))
}

fn pull_id(db: &str, url: &str) -> String {
    replication_id(&format!("{url}/{db}"), &format!("{}/{db}", device_id()))
}

impl SyncStatus {
    /// Creates the status, provides it, and loads the saved address.
    pub fn provide() -> SyncStatus {
        let saved = window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(URL_KEY).ok().flatten());
        let s = SyncStatus {
            phase: RwSignal::new(Phase::Idle),
            pending: RwSignal::new(0),
            last_ok: RwSignal::new(None),
            pending_since: RwSignal::new(None),
            history: RwSignal::new(Vec::new()),
            url: RwSignal::new(saved.unwrap_or_else(default_url)),
            data_changed: RwSignal::new(0),
            running: StoredValue::new(false),
            failures: StoredValue::new(0),
        };
        provide_context(s);
        s
    }

    /// Changes the sync address (already checked) and remembers it.
    pub fn set_url(&self, url: String) {
        if let Some(s) = window().local_storage().ok().flatten() {
            let _ = s.set_item(URL_KEY, &url);
        }
        self.url.set(url);
    }

    /// Reads the saved history and counts pending changes.
    pub async fn load(&self, store: &AppStore) {
        if let Ok(Some(v)) = store.device.get_local(STATE_ID).await {
            if let Ok(h) = serde_json::from_value::<Vec<Attempt>>(v["history"].clone()) {
                self.history.set(h);
            }
            self.last_ok.set(v["last_ok"].as_f64());
            self.pending_since.set(v["pending_since"].as_f64());
        }
        self.recount(store).await;
    }

    /// Counts the local changes not yet pushed, and notes since when there have been some.
    async fn recount(&self, store: &AppStore) {
        let url = self.url.get_untracked();
        let mut n = 0;
        for (name, db) in store.synced() {
            n += pending(db, &push_id(name, &url)).await.unwrap_or(0);
        }
        self.pending.set(n);
        let since = self.pending_since.get_untracked();
        let next = if n == 0 { None } else { since.or(Some(now_ms())) };
        if next != since {
            self.pending_since.set(next);
            self.save(&store.device).await;
        }
    }

    /// Whether changes have waited for the server for more than a day.
    pub fn waited_over_a_day(&self, now: f64) -> bool {
        self.pending.get() > 0 && self.pending_since.get().is_some_and(|t| now - t >= 24.0 * 3_600_000.0)
    }

    async fn save(&self, device: &Database<IdbStorage>) {
        let v = serde_json::json!({
            "history": self.history.get_untracked(),
            "last_ok": self.last_ok.get_untracked(),
            "pending_since": self.pending_since.get_untracked(),
        });
        // Losing the history is harmless; a full device will say so elsewhere.
        let _ = device.put_local(STATE_ID, Some(v)).await;
    }
}

/// Runs one full sync of every synced database, unless one is running. Returns whether it ran
/// and succeeded.
pub async fn sync_now(status: SyncStatus, handle: StoreHandle, toolkit: Toolkit) -> bool {
    if status.running.get_value() {
        return false;
    }
    let Some(store) = handle.get_value() else {
        return false;
    };
    if !window().navigator().on_line() {
        status.phase.set(Phase::Offline);
        return false;
    }
    status.running.set_value(true);
    status.phase.set(Phase::Syncing(0));
    let url = status.url.get_untracked();
    let mut moved = (0u64, 0u64);
    let mut result: Result<(), PeerError> = Ok(());
    for (name, local) in store.synced() {
        let remote = HttpPeer::new(FetchClient::new(format!("{url}/{name}")));
        let base = ReplicationOptions {
            replication_id: String::new(),
            session_id: format!("{:x}", (js_sys::Math::random() * 1e15) as u64),
            now: js_sys::Date::new_0().to_iso_string().into(),
            batch_size: 200,
        };
        let pull = ReplicationOptions {
            replication_id: pull_id(name, &url),
            ..base.clone()
        };
        let push = ReplicationOptions {
            replication_id: push_id(name, &url),
            ..base
        };
        let done = moved;
        let r = async {
            let p = replicate(&remote, local, &pull, |r| {
                status.phase.set(Phase::Syncing(done.0 + done.1 + r.docs_written))
            })
            .await?;
            moved.0 += p.docs_written;
            let q = replicate(local, &remote, &push, |r| {
                status.phase.set(Phase::Syncing(moved.0 + done.1 + r.docs_written))
            })
            .await?;
            moved.1 += q.docs_written;
            Ok::<_, PeerError>(())
        }
        .await;
        if let Err(e) = r {
            result = Err(e);
            break;
        }
    }
    let ok = result.is_ok();
    let attempt = Attempt {
        at: now_ms(),
        ok,
        pulled: moved.0,
        pushed: moved.1,
        message: result.as_ref().err().map(|e| e.message.clone()).unwrap_or_default(),
    };
    match result {
        Ok(()) => {
            status.failures.set_value(0);
            status.last_ok.set(Some(attempt.at));
            status.phase.set(Phase::Idle);
        }
        // No answer at all: the server cannot be reached, which for a person is being offline.
        Err(e) if e.status.is_none() => {
            status.failures.update_value(|n| *n += 1);
            status.phase.set(Phase::Offline);
        }
        Err(e) => {
            status.failures.update_value(|n| *n += 1);
            status.phase.set(Phase::Failed {
                message: e.message.clone(),
                needs_person: !e.is_retryable(),
            });
        }
    }
    status.history.update(|h| {
        h.insert(0, attempt);
        h.truncate(20);
    });
    status.save(&store.device).await;
    status.recount(&store).await;
    if moved.0 > 0 {
        status.data_changed.update(|n| *n += 1);
        if let Ok(lib) = crate::store::load_library(&store.toolkit).await {
            toolkit.library.set(Some(Arc::new(lib)));
        }
    }
    status.running.set_value(false);
    ok
}

/// After this device changed a synced database: recount what is pending and try to send it.
pub async fn after_local_change(status: SyncStatus, handle: StoreHandle, toolkit: Toolkit) {
    if let Some(store) = handle.get_value() {
        status.recount(&store).await;
    }
    sync_now(status, handle, toolkit).await;
}

/// Starts the triggers: now, on `online`, on return to the foreground, and on a timer that backs
/// off after failures and stops for failures a retry cannot fix.
pub fn start(status: SyncStatus, handle: StoreHandle, toolkit: Toolkit) {
    let kick = move || {
        leptos::task::spawn_local(async move {
            sync_now(status, handle, toolkit).await;
        })
    };
    kick();
    let on = window_event_listener_untyped("online", move |_| kick());
    let off = window_event_listener_untyped("offline", move |_| status.phase.set(Phase::Offline));
    let vis = window_event_listener_untyped("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            kick();
        }
    });
    // The timer: every minute, look whether a sync is due.
    let tick = set_interval_with_handle(
        move || {
            let due = match status.phase.get_untracked() {
                Phase::Failed { needs_person: true, .. } | Phase::Syncing(_) => false,
                Phase::Failed { .. } => {
                    let wait = backoff_ms(status.failures.get_value()) as f64;
                    status
                        .history
                        .with_untracked(|h| h.first().is_none_or(|a| now_ms() - a.at >= wait))
                }
                Phase::Offline if status.failures.get_value() > 0 => {
                    let wait = backoff_ms(status.failures.get_value()) as f64;
                    status
                        .history
                        .with_untracked(|h| h.first().is_none_or(|a| now_ms() - a.at >= wait))
                }
                Phase::Idle | Phase::Offline => status
                    .last_ok
                    .get_untracked()
                    .is_none_or(|t| now_ms() - t >= 5.0 * 60_000.0),
            };
            if due {
                kick();
            }
        },
        std::time::Duration::from_secs(60),
    )
    .ok();
    // The app lives as long as the page: these listeners are never removed.
    let _ = (on, off, vis, tick);
}
