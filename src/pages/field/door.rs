//! `/door`: door-to-door mode. Start a shift in an area; then each door is one tap on what
//! happened (two with the language spoken), stored at once, with a running tally. Details
//! (needs, a referral, follow-up, consent and contact) can be added to the last door. No names,
//! phones or addresses are kept unless the resident agrees to be contacted.

use super::FieldGate;
use crate::field::{my_name, now_iso, use_field};
use crate::i18n::use_i18n;
use crate::pages::partners::fields::split_list;
use crate::partners::{new_key, use_partners, Change, Env};
use commontable_core::checklist::{key_of, tally, Outcome, Shift, Visit};
use commontable_core::stored::Stored;
use leptos::prelude::*;
use leptos_router::components::A;

const SHIFT_KEY: &str = "commontable.current-shift";

fn local(key: &str) -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(key).ok().flatten())
}

fn set_local(key: &str, value: Option<&str>) {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}

/// The page.
#[component]
pub fn DoorPage() -> impl IntoView {
    let t = use_i18n();
    view! {
        <p class="back"><A href="/checklists">"← "{t.c.heading}</A></p>
        <h1>{t.c.door_mode}</h1>
        <FieldGate><Door/></FieldGate>
    }
}

#[component]
fn Door() -> impl IntoView {
    let f = use_field();
    let current =
        RwSignal::new(local(SHIFT_KEY).filter(|id| f.shifts.with_untracked(|s| s.iter().any(|x| &x.id == id))));
    move || match current.get() {
        None => view! { <StartShift current/> }.into_any(),
        Some(id) => view! { <ShiftView shift_id=id current/> }.into_any(),
    }
}

#[component]
fn StartShift(current: RwSignal<Option<String>>) -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let env = Env::get();
    let area = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = Shift {
            id: format!("{}{}", Shift::PREFIX, new_key()),
            area: area.get_untracked(),
            started_at: now_iso(),
            by: my_name(),
        };
        leptos::task::spawn_local(async move {
            match f.write(env, vec![Change::put(&s)]).await {
                Ok(()) => {
                    set_local(SHIFT_KEY, Some(&s.id));
                    current.set(Some(s.id));
                }
                Err((_, m)) => error.set(Some(m)),
            }
        });
    };
    view! {
        <p class="intro">{t.c.door_intro}</p>
        <form class="editor" on:submit=start>
            <label for="shift-area">{t.c.run_area}</label>
            <select id="shift-area" on:change=move |ev| area.set(event_target_value(&ev))>
                <option value="">"—"</option>
                {move || f.areas.get().into_iter().map(|a| view! { <option value=a.id.clone()>{a.name.clone()}</option> }).collect_view()}
            </select>
            <p class="help"><A href="/register">{t.c.register_link}</A></p>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <button type="submit" class="primary" id="start-shift">{t.c.start_shift}</button>
        </form>
    }
}

#[component]
fn ShiftView(shift_id: String, current: RwSignal<Option<String>>) -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let p = use_partners();
    let env = Env::get();
    let shift = f
        .shifts
        .with_untracked(|s| s.iter().find(|x| x.id == shift_id).cloned())
        .unwrap_or_default();
    let area_name = f
        .areas
        .with_untracked(|a| a.iter().find(|x| x.id == shift.area).map(|x| x.name.clone()));
    let segment = RwSignal::new(local("commontable.door-segment").unwrap_or_default());
    let language = RwSignal::new(String::new());
    let last = RwSignal::new(None::<Visit>);
    let error = RwSignal::new(None::<String>);
    let sid = shift_id.clone();
    let mine = Memo::new(move |_| {
        f.visits
            .with(|v| v.iter().filter(|x| x.shift == sid).cloned().collect::<Vec<_>>())
    });
    let log = {
        let shift = shift.clone();
        move |outcome: Outcome| {
            let v = Visit {
                id: format!("{}{}:{}", Visit::PREFIX, key_of(&shift.id), new_key()),
                shift: shift.id.clone(),
                area: shift.area.clone(),
                segment: segment.get_untracked().trim().to_string(),
                outcome,
                language: language.get_untracked(),
                needs: Vec::new(),
                referral: String::new(),
                follow_up: false,
                consent: false,
                contact: String::new(),
                at: now_iso(),
                by: my_name(),
            };
            set_local("commontable.door-segment", Some(&v.segment));
            language.set(String::new());
            leptos::task::spawn_local(async move {
                match f.write(env, vec![Change::put(&v)]).await {
                    Ok(()) => {
                        error.set(None);
                        last.set(Some(v));
                    }
                    Err((_, m)) => error.set(Some(m)),
                }
            });
        }
    };
    let end = move |_| {
        set_local(SHIFT_KEY, None);
        current.set(None);
    };
    let languages = ["English", "Spanish", "Polish", "Korean", "Hindi", "Arabic", "Tagalog"];
    view! {
        <p class="meta">{area_name.unwrap_or_default()}</p>
        <p class="tally" role="status" aria-live="polite" id="tally">
            {move || {
                let counts = tally(mine.get().iter());
                let total: usize = counts.iter().map(|(_, n)| n).sum();
                let parts: Vec<String> = counts.into_iter().map(|(o, n)| format!("{} {n}", (t.c.outcome_name)(o))).collect();
                format!("{} · {}", (t.c.doors)(total), parts.join(" · "))
            }}
        </p>
        <label for="door-segment">{t.c.segment}</label>
        <input id="door-segment" type="text" autocomplete="off" prop:value=move || segment.get()
            on:input=move |ev| segment.set(event_target_value(&ev))/>
        <p class="help">{t.c.segment_help}</p>
        <fieldset class="chips">
            <legend>{t.c.language_at_door}</legend>
            {languages.into_iter().map(|l| view! {
                <button type="button" class="chip" aria-pressed=move || if language.get() == l { "true" } else { "false" }
                    on:click=move |_| language.update(|x| if x == l { x.clear() } else { *x = l.to_string() })>{l}</button>
            }).collect_view()}
        </fieldset>
        <div class="outcomes">
            {Outcome::ALL.iter().map(|o| {
                let o = *o;
                let log = log.clone();
                view! { <button type="button" class=format!("outcome outcome-{}", o.as_str()) on:click=move |_| log(o)>{(t.c.outcome_name)(o)}</button> }
            }).collect_view()}
        </div>
        <p class="field-error" role="alert">{move || error.get()}</p>
        {move || last.get().map(|v| view! { <Details visit=v partners=p.dir.with_untracked(|d| d.all().into_iter().map(|x| (x.id.clone(), x.name.clone())).collect())/> })}
        <p class="actions"><button type="button" id="end-shift" on:click=end>{t.c.end_shift}</button></p>
    }
}

/// Details for the last door: needs, referral, follow-up, consent and contact.
#[component]
fn Details(visit: Visit, partners: Vec<(String, String)>) -> impl IntoView {
    let t = use_i18n();
    let f = use_field();
    let env = Env::get();
    let needs = RwSignal::new(visit.needs.join("; "));
    let referral = RwSignal::new(visit.referral.clone());
    let follow_up = RwSignal::new(visit.follow_up);
    let consent = RwSignal::new(visit.consent);
    let contact = RwSignal::new(visit.contact.clone());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let v0 = StoredValue::new(visit.clone());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut v = v0.get_value();
        v.needs = split_list(&needs.get_untracked());
        v.referral = referral.get_untracked();
        v.follow_up = follow_up.get_untracked();
        v.consent = consent.get_untracked();
        v.contact = if v.consent {
            contact.get_untracked().trim().to_string()
        } else {
            String::new()
        };
        leptos::task::spawn_local(async move {
            match f.write(env, vec![Change::put(&v)]).await {
                Ok(()) => {
                    // The list of visits is updated by the write; this form stays open.
                    v0.set_value(v);
                    done.set(true);
                }
                Err((_, m)) => error.set(Some(m)),
            }
        });
    };
    view! {
        <details class="visit-details">
            <summary>{(t.c.last_door)((t.c.outcome_name)(visit.outcome))}</summary>
            <form class="editor" on:submit=save>
                <label for="v-needs">{t.c.needs}</label>
                <input id="v-needs" type="text" prop:value=move || needs.get() on:input=move |ev| needs.set(event_target_value(&ev))/>
                <p class="help">{t.p.list_hint}</p>
                <label for="v-referral">{t.c.referral}</label>
                <select id="v-referral" on:change=move |ev| referral.set(event_target_value(&ev))>
                    <option value="">"—"</option>
                    {partners.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </select>
                <label class="check"><input type="checkbox" id="v-follow-up" prop:checked=move || follow_up.get()
                    on:change=move |ev| follow_up.set(event_target_checked(&ev))/>" "{t.c.follow_up}</label>
                <label class="check"><input type="checkbox" id="v-consent" prop:checked=move || consent.get()
                    on:change=move |ev| consent.set(event_target_checked(&ev))/>" "{t.c.consent}</label>
                <Show when=move || consent.get()>
                    <label for="v-contact">{t.c.contact}</label>
                    <input id="v-contact" type="text" prop:value=move || contact.get() on:input=move |ev| contact.set(event_target_value(&ev))/>
                </Show>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <p class="ok" role="status">{move || done.get().then_some(t.c.saved)}</p>
                <button type="submit" id="save-details">{t.p.save}</button>
            </form>
        </details>
    }
}
