//! Export (HSDS 3 JSON, CSV) and import (HSDS 3 JSON) of the partner directory. Import shows
//! every row it could not take and why, and never writes the same record twice.

use super::DirectoryGate;
use crate::i18n::use_i18n;
use crate::partners::{today, Change, Env};
use commontable_core::exchange::{export_csv, export_hsds, import_hsds, Problem};
use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen_futures::JsFuture;

/// What the last import did.
#[derive(Clone)]
enum Outcome {
    Done {
        written: usize,
        present: usize,
        problems: Vec<Problem>,
    },
    Failed(String),
}

/// `/partner-exchange`.
#[component]
pub fn ExchangePage() -> impl IntoView {
    let t = use_i18n();
    let env = Env::get();
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let download_hsds = move |_| {
        let json = env
            .partners
            .dir
            .with_untracked(|d| serde_json::to_string_pretty(&export_hsds(d)));
        if let Ok(json) = json {
            let _ = crate::shell::download(&format!("partners-hsds-{}.json", today()), "application/json", &json);
        }
    };
    let download_csv = move |_| {
        let csv = env.partners.dir.with_untracked(export_csv);
        let _ = crate::shell::download(&format!("partners-{}.csv", today()), "text/csv", &csv);
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = async {
                let text = JsFuture::from(file.text())
                    .await
                    .map_err(|_| "the file could not be read".to_string())?;
                let value: serde_json::Value = serde_json::from_str(&text.as_string().unwrap_or_default())
                    .map_err(|e| format!("not JSON: {e}"))?;
                let plan = env.partners.dir.with_untracked(|d| import_hsds(&value, d))?;
                let written = plan.writes.len();
                let changes: Vec<Change> = plan
                    .writes
                    .into_iter()
                    .map(|(id, body)| Change { id, body: Some(body) })
                    .collect();
                env.write(&changes).await.map_err(|(f, m)| format!("{f}: {m}"))?;
                Ok::<_, String>(Outcome::Done {
                    written,
                    present: plan.already_present,
                    problems: plan.problems,
                })
            }
            .await;
            busy.set(false);
            outcome.set(Some(r.unwrap_or_else(Outcome::Failed)));
        });
    };
    view! {
        <p class="back"><A href="/partners">"← "{t.p.back_to_list}</A></p>
        <h1>{t.p.exchange_heading}</h1>
        <p class="intro">{t.p.exchange_intro}</p>
        <DirectoryGate>
            <p class="actions">
                <button type="button" id="export-hsds" on:click=download_hsds>{t.p.export_hsds}</button>
                <button type="button" id="export-csv" on:click=download_csv>{t.p.export_csv}</button>
            </p>
            <label for="import-hsds">{t.p.import_label}</label>
            <p class="help" id="import-help">{t.p.import_help}</p>
            <input id="import-hsds" type="file" accept="application/json,.json" aria-describedby="import-help"
                on:change=on_file disabled=move || busy.get()/>
            <div role="status" aria-live="polite" id="import-outcome">
                {move || outcome.get().map(|o| match o {
                    Outcome::Done { written, present, problems } => view! {
                        <p class="ok">{(t.p.import_result)(written, present)}</p>
                        {(!problems.is_empty()).then(|| view! {
                            <p class="error">{(t.p.import_problems)(problems.len())}</p>
                            <ul class="problems">
                                {problems.into_iter().map(|p| view! { <li><strong>{p.row}</strong>": "{p.why}</li> }).collect_view()}
                            </ul>
                        })}
                    }.into_any(),
                    Outcome::Failed(why) => view! { <p class="error">{t.p.import_failed}": "{why}</p> }.into_any(),
                })}
            </div>
        </DirectoryGate>
    }
}
