//! `/runs/:key`: one checklist run. Every answer is stored the moment it is given (choices at
//! once, text after a short pause or when the field is left), each as its own document, so
//! closing the app loses nothing and two people on the same run never collide. Progress shows
//! as you go; the run completes when every required item is answered, and can be reopened.

use super::FieldGate;
use crate::field::{answers_of, my_name, now_iso, use_field};
use crate::i18n::use_i18n;
use crate::partners::{new_key, Change, Env};
use commontable_core::checklist::{
    check_answer, is_answered, key_of, Answer, Item, ItemKind, Run, RunState, RunStatus, StatusChange, Template,
};
use commontable_core::stored::Stored;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::{json, Value};

/// The run page.
#[component]
pub fn RunPage() -> impl IntoView {
    let t = use_i18n();
    view! {
        <p class="back"><A href="/checklists">"← "{t.c.heading}</A></p>
        <FieldGate><RunLoader/></FieldGate>
    }
}

#[component]
fn RunLoader() -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let key = use_params_map().with_untracked(|m| m.get("key").unwrap_or_default());
    let id = format!("{}{key}", Run::PREFIX);
    let Some(run) = f.runs.with_untracked(|rs| rs.iter().find(|r| r.id == id).cloned()) else {
        return view! { <p class="empty">{t.c.no_run}</p> }.into_any();
    };
    let Some(tpl) = f.template_of(&run) else {
        return view! { <p class="empty">{t.c.no_template}</p> }.into_any();
    };
    let env = Env::get();
    let answers = RwSignal::new(None::<Vec<Answer>>);
    let run_id = run.id.clone();
    leptos::task::spawn_local(async move {
        if let Some(store) = env.store() {
            answers.set(Some(answers_of(&store, &run_id).await.unwrap_or_default()));
        }
    });
    // Only loading → loaded re-renders; each answer then updates the items in place.
    let loaded = Memo::new(move |_| answers.with(Option::is_some));
    view! {
        {move || match loaded.get() {
            false => view! { <p class="loading" role="status">{t.loading}</p> }.into_any(),
            true => view! { <RunView run=run.clone() tpl=tpl.clone() answers/> }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn RunView(run: Run, tpl: Template, answers: RwSignal<Option<Vec<Answer>>>) -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let env = Env::get();
    let run_id = run.id.clone();
    let rid = run_id.clone();
    let state = Memo::new(move |_| RunState::new(answers.get().unwrap_or_default(), f.statuses_of(&rid)));
    let tpl = StoredValue::new(tpl);
    let message = RwSignal::new(None::<String>);
    let set_status = {
        let run_id = run_id.clone();
        move |status: RunStatus| {
            let s = StatusChange {
                id: format!("{}{}:{}", StatusChange::PREFIX, key_of(&run_id), new_key()),
                run: run_id.clone(),
                status,
                at: now_iso(),
                by: my_name(),
            };
            leptos::task::spawn_local(async move {
                if let Err((_, m)) = f.write(env, vec![Change::put(&s)]).await {
                    message.set(Some(m));
                }
            });
        }
    };
    let complete = {
        let set_status = set_status.clone();
        move |_| {
            let missing: Vec<String> =
                tpl.with_value(|tp| state.with(|s| s.missing_required(tp).iter().map(|i| i.label.clone()).collect()));
            if missing.is_empty() {
                message.set(None);
                set_status(RunStatus::Complete);
            } else {
                message.set(Some(format!("{} {}", t.c.missing_required, missing.join("; "))));
            }
        }
    };
    let reopen = move |_| set_status(RunStatus::Reopened);
    let progress = move || tpl.with_value(|tp| state.with(|s| s.progress(tp)));
    view! {
        <h1>{run.title.clone()}</h1>
        <p class="meta">{tpl.with_value(|tp| tp.title.clone())}" · "{run.started.clone()}
            {(!run.event.is_empty()).then(|| format!(" · {}", run.event))}</p>
        <div class="progress-line" role="status" aria-live="polite">
            <progress max=move || progress().1 value=move || progress().0></progress>
            <span id="run-progress">{move || { let (a, n) = progress(); (t.c.progress)(a, n) }}</span>
            <span class="run-status">{move || if state.with(RunState::is_complete) { t.c.status_complete } else { t.c.status_open }}</span>
        </div>
        {tpl.with_value(|tp| tp.sections.clone()).into_iter().map(|section| view! {
            <section class="run-section">
                <h2>{section.title.clone()}</h2>
                {section.items.into_iter().map(|item| view! { <ItemField item run_id=run_id.clone() answers state/> }).collect_view()}
            </section>
        }).collect_view()}
        <p class="field-error" role="alert" id="run-message">{move || message.get()}</p>
        <div class="actions">
            {move || if state.with(RunState::is_complete) {
                view! { <button type="button" id="reopen-run" on:click=reopen.clone()>{t.c.reopen}</button> }.into_any()
            } else {
                view! { <button type="button" class="primary" id="complete-run" on:click=complete.clone()>{t.c.complete}</button> }.into_any()
            }}
        </div>
    }
}

/// One item with its control, its "saved" note and its error.
#[component]
fn ItemField(
    item: Item,
    run_id: String,
    answers: RwSignal<Option<Vec<Answer>>>,
    state: Memo<RunState>,
) -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let env = Env::get();
    let key = item.key.clone();
    let dom_id = format!("item-{}", item.key);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    // This item's answer only: other items' saves do not touch this control.
    let current = {
        let key = key.clone();
        let memo = Memo::new(move |_| state.with(|s| s.answers.get(&key).cloned().unwrap_or(Value::Null)));
        move || memo.get()
    };
    let item_sv = StoredValue::new(item.clone());
    // Stores a value now (if it differs from the current answer).
    let save = {
        let (run_id, key) = (run_id.clone(), key.clone());
        let current = current.clone();
        move |value: Value| {
            let now = current();
            if value == now || (!is_answered(&value) && !is_answered(&now)) {
                return;
            }
            if let Err(e) = item_sv.with_value(|i| check_answer(i, &value)) {
                error.set(Some(e));
                return;
            }
            error.set(None);
            let a = Answer {
                id: format!("{}{}:{}:{}", Answer::PREFIX, key_of(&run_id), key, new_key()),
                run: run_id.clone(),
                item: key.clone(),
                value,
                at: now_iso(),
                by: my_name(),
            };
            saved.set(false);
            leptos::task::spawn_local(async move {
                match f.write(env, vec![Change::put(&a)]).await {
                    Ok(()) => {
                        answers.update(|v| v.get_or_insert_with(Vec::new).push(a));
                        saved.set(true);
                    }
                    Err((_, m)) => error.set(Some(m)),
                }
            });
        }
    };
    // Text waits for a short pause (or leaving the field) so a sentence is one answer.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let text_input = {
        let save = save.clone();
        move |text: String| {
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            let save = save.clone();
            pending.set_value(
                set_timeout_with_handle(move || save(Value::String(text)), std::time::Duration::from_millis(400)).ok(),
            );
        }
    };
    let text_done = {
        let save = save.clone();
        move |text: String| {
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            save(Value::String(text));
        }
    };
    let name = format!("i-{}", item.key);
    let control = match item.kind {
        ItemKind::Check => {
            let save = save.clone();
            let current = current.clone();
            view! {
                <label class="check choice">
                    <input type="checkbox" id=dom_id.clone() prop:checked=move || current() == json!(true)
                        on:change=move |ev| save(Value::Bool(event_target_checked(&ev)))/>
                    <span>{item.label.clone()}</span>
                </label>
            }.into_any()
        }
        ItemKind::YesNo | ItemKind::SingleChoice => {
            let options: Vec<(String, String)> = if item.kind == ItemKind::YesNo {
                vec![("yes".into(), t.c.yes.into()), ("no".into(), t.c.no.into())]
            } else {
                item.options.iter().map(|o| (o.clone(), o.clone())).collect()
            };
            view! {
                <fieldset class="choices" id=dom_id.clone()>
                    <legend>{item.label.clone()}{item.required.then_some(" *")}</legend>
                    {options.into_iter().map(|(v, label)| {
                        let save = save.clone();
                        let current = current.clone();
                        let (v1, v2) = (v.clone(), v.clone());
                        view! {
                            <label class="choice">
                                <input type="radio" name=name.clone() value=v prop:checked=move || current() == json!(v1)
                                    on:change=move |_| save(Value::String(v2.clone()))/>
                                <span>{label}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }.into_any()
        }
        ItemKind::MultipleChoice => view! {
            <fieldset class="choices" id=dom_id.clone()>
                <legend>{item.label.clone()}{item.required.then_some(" *")}</legend>
                {item.options.iter().cloned().map(|o| {
                    let save = save.clone();
                    let current = current.clone();
                    let current2 = current.clone();
                    let (o1, o2) = (o.clone(), o.clone());
                    view! {
                        <label class="choice">
                            <input type="checkbox" value=o.clone()
                                prop:checked=move || current().as_array().is_some_and(|a| a.iter().any(|x| x == &json!(o1)))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let mut list: Vec<Value> = current2().as_array().cloned().unwrap_or_default();
                                    list.retain(|x| x != &json!(o2));
                                    if on { list.push(json!(o2)); }
                                    save(Value::Array(list));
                                }/>
                            <span>{o}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        }.into_any(),
        ItemKind::ShortText | ItemKind::LongText | ItemKind::Date | ItemKind::Number => {
            let label = view! { <label for=dom_id.clone()>{item.label.clone()}{item.required.then_some(" *")}</label> };
            // The field is the person's while they type: it starts from the stored answer and is
            // not rewritten under their fingers when a save (theirs or another item's) lands.
            let value = match current.clone()() {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            let kind = item.kind;
            let to_value = move |s: String| -> Value {
                if kind == ItemKind::Number {
                    let s = s.trim().to_string();
                    if s.is_empty() {
                        return Value::Null;
                    }
                    // Whole numbers stay whole ("23", not "23.0"); a decimal comma is accepted.
                    let s = s.replace(',', ".");
                    if let Ok(n) = s.parse::<i64>() {
                        return Value::from(n);
                    }
                    return s.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::String(s));
                }
                Value::String(s)
            };
            let (ti, td) = (text_input.clone(), text_done.clone());
            let on_input = move |ev: leptos::ev::Event| {
                let v = to_value(event_target_value(&ev));
                match v {
                    Value::String(s) => ti(s),
                    other => {
                        if let Some(h) = pending.get_value() { h.clear(); }
                        let _ = &other;
                    }
                }
            };
            let save2 = save.clone();
            let on_change = move |ev: leptos::ev::Event| {
                match to_value(event_target_value(&ev)) {
                    Value::String(s) if kind != ItemKind::Number => td(s),
                    other => {
                        if let Some(h) = pending.get_value() { h.clear(); }
                        save2(other)
                    }
                }
            };
            let control = match item.kind {
                ItemKind::LongText => view! {
                    <textarea id=dom_id.clone() rows="4" prop:value=value.clone() on:input=on_input on:change=on_change></textarea>
                }.into_any(),
                ItemKind::Date => view! {
                    <input id=dom_id.clone() type="date" prop:value=value.clone() on:change=on_change/>
                }.into_any(),
                ItemKind::Number => view! {
                    <input id=dom_id.clone() type="text" inputmode="decimal" prop:value=value.clone() on:change=on_change/>
                }.into_any(),
                _ => view! {
                    <input id=dom_id.clone() type="text" prop:value=value.clone() on:input=on_input on:change=on_change/>
                }.into_any(),
            };
            view! { {label}{control} }.into_any()
        }
    };
    let history = {
        let key = key.clone();
        move || state.with(|s| s.history.get(&key).map(|h| h.len()).unwrap_or(0))
    };
    view! {
        <div class="run-item" data-item=item.key.clone() class:answered={let key = key.clone(); move || state.with(|s| s.answers.contains_key(&key))}>
            {control}
            {(!item.help.is_empty()).then(|| view! { <p class="help">{item.help.clone()}</p> })}
            {(!item.toolkit.is_empty()).then(|| view! { <p class="help"><A href=format!("/toolkit/{}", item.toolkit)>{t.c.why}</A></p> })}
            <p class="item-status" aria-live="polite">
                {move || saved.get().then_some(t.c.saved)}
                {move || (history() > 1).then(|| (t.c.changed_times)(history()))}
            </p>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}
