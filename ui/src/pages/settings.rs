//! The Settings page: marketplace and seller token (with a connection test), polling
//! intervals with the design's defaults and a reset, background polling, notifications with
//! quiet hours, and launch at login. Saving applies at once, without a restart; bad input
//! gets an error next to its field and nothing is saved. The token is write-only: the page
//! only learns where it is kept.

use std::collections::BTreeMap;

use sellerdash_state::settings::{
    ConnectionCheck, FieldError, Intervals, MarketplaceChoice, SaveOutcome, Settings,
    SettingsChange, SettingsView, TokenFor, normalize_url, parse_interval, parse_time,
};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::{format, shell};

/// The sales factor choices, in percent.
const SALES_FACTORS: [(u32, &str); 5] = [
    (50, "0.5× (faster)"),
    (100, "1× (as designed)"),
    (200, "2×"),
    (400, "4×"),
    (1_000, "10× (slowest)"),
];

thread_local! {
    /// Unsaved edits (never a typed token) and the saved settings they were made on, kept
    /// while the seller visits another page: coming back shows them again, with Discard.
    static DRAFT: std::cell::RefCell<Option<(Form, Settings)>> =
        const { std::cell::RefCell::new(None) };
}

/// What the form holds: text as typed, so bad input can be shown back with its error.
#[derive(Debug, Clone, PartialEq)]
struct Form {
    demo: bool,
    url: String,
    token: String,
    /// The seller touched the marketplace fields.
    marketplace_changed: bool,
    intervals: BTreeMap<&'static str, String>,
    sales_factor_percent: u32,
    background_polling: bool,
    notifications: bool,
    quiet_enabled: bool,
    quiet_from: String,
    quiet_to: String,
    launch_at_login: bool,
}

fn interval_texts(intervals: &Intervals) -> BTreeMap<&'static str, String> {
    intervals
        .fields()
        .into_iter()
        .map(|(field, _, secs)| (field, secs.to_string()))
        .collect()
}

impl Form {
    fn of(view: &SettingsView) -> Self {
        let s = &view.settings;
        let (demo, url) = match &s.marketplace {
            // A run started on a marketplace from the command line shows that one.
            _ if view.running.from_flags && !view.running.demo => (false, view.running.url.clone()),
            MarketplaceChoice::Demo => (true, String::new()),
            MarketplaceChoice::Remote { url } => (false, url.clone()),
        };
        Self {
            demo,
            url,
            token: String::new(),
            marketplace_changed: false,
            intervals: interval_texts(&s.intervals),
            sales_factor_percent: s.intervals.sales_factor_percent,
            background_polling: s.background_polling,
            notifications: s.notifications,
            quiet_enabled: s.quiet_hours.enabled,
            quiet_from: s.quiet_hours.from.clone(),
            quiet_to: s.quiet_hours.to.clone(),
            launch_at_login: s.launch_at_login,
        }
    }

    /// The settings this form asks for, or the fields that are not even numbers.
    fn settings(&self, saved: &Settings) -> Result<Settings, Vec<FieldError>> {
        let mut intervals = saved.intervals;
        let mut errors = Vec::new();
        for (field, label, _) in Intervals::default().fields() {
            let text = self.intervals.get(field).map_or("", String::as_str);
            match parse_interval(label, text) {
                Ok(secs) => {
                    intervals.set(field, secs);
                }
                Err(message) => errors.push(FieldError::new(format!("interval.{field}"), message)),
            }
        }
        intervals.sales_factor_percent = self.sales_factor_percent;
        let settings = Settings {
            version: saved.version,
            marketplace: if self.demo {
                MarketplaceChoice::Demo
            } else {
                MarketplaceChoice::Remote {
                    url: self.url.trim().to_owned(),
                }
            },
            intervals,
            background_polling: self.background_polling,
            notifications: self.notifications,
            quiet_hours: sellerdash_state::settings::QuietHours {
                enabled: self.quiet_enabled,
                from: self.quiet_from.trim().to_owned(),
                to: self.quiet_to.trim().to_owned(),
            },
            launch_at_login: self.launch_at_login,
        };
        errors.extend(settings.validate());
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }
}

/// What a connection test was made with: the address and token fields as they were. Its
/// result is shown only while the fields still say the same.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tested {
    url: String,
    token: String,
}

impl Tested {
    fn of(form: &Form) -> Self {
        Self {
            url: form.url.trim().to_owned(),
            token: form.token.trim().to_owned(),
        }
    }
}

/// The connection test's result for what the form says now; `None` once the seller
/// changed the address or the token (or chose the demo store) since the test.
fn current_check<'a, T>(check: &'a Option<(Tested, T)>, form: &Form) -> Option<&'a T> {
    match check {
        Some((tested, result)) if !form.demo && *tested == Tested::of(form) => Some(result),
        _ => None,
    }
}

/// The token the app has for the address typed now, as the shell said (`known`, once it
/// answered for that address) or else as the saved settings say. A saved token is only ever
/// used for its own address.
fn token_for(view: &SettingsView, form: &Form, known: Option<&(String, TokenFor)>) -> TokenFor {
    let typed_url = normalize_url(&form.url).ok();
    let known = known
        .filter(|(url, _)| typed_url.as_ref() == Some(url))
        .map(|(_, token)| *token);
    // What the view says right after a save beats an answer asked before it.
    let saved = match (view.token, &view.token_url) {
        (Some(place), Some(url)) if typed_url.as_ref() == Some(url) => {
            Some(TokenFor::Saved { place })
        }
        _ => None,
    };
    match (known, saved) {
        (Some(TokenFor::ThisRun), _) => TokenFor::ThisRun,
        (_, Some(saved)) => saved,
        (Some(known), None) => known,
        (None, None) => TokenFor::Missing,
    }
}

/// What the token field's hint says.
fn token_status(view: &SettingsView, form: &Form, token: TokenFor) -> String {
    if form.demo {
        return "The demo store needs no token".to_owned();
    }
    let typed_url = normalize_url(&form.url).ok();
    match (token, &view.token_url) {
        (TokenFor::Saved { place }, _) => format!("Token saved ({})", place.label()),
        (TokenFor::ThisRun, _) => {
            "Using the token given on the command line for this run (not saved)".to_owned()
        }
        (TokenFor::Missing, Some(url))
            if view.token.is_some() && typed_url.as_ref() != Some(url) =>
        {
            format!("The saved token is for {url} only. Enter the token for this marketplace.")
        }
        (TokenFor::Missing, _) => "No token saved for this address".to_owned(),
    }
}

/// Where the page stands with the shell.
#[derive(Debug, Clone, PartialEq)]
enum Status {
    Idle,
    Saving,
    Saved,
    Rejected(String),
}

#[component]
pub fn SettingsPage() -> Html {
    let view = use_state(|| None::<SettingsView>);
    let load_error = use_state(|| None::<String>);
    let form = use_state(|| None::<Form>);
    let errors = use_state(Vec::<FieldError>::new);
    let status = use_state(|| Status::Idle);
    let check = use_state(|| None::<(Tested, Result<ConnectionCheck, String>)>);
    let testing = use_state(|| false);
    // The token the shell has for the address typed (normalized), asked on each change.
    let known_token = use_state(|| None::<(String, TokenFor)>);
    // The address typed last: an answer for an earlier one (typing is faster than the
    // shell) is dropped rather than shown over the current one's.
    let latest_typed = use_mut_ref(|| None::<String>);
    {
        let typed = (*form)
            .as_ref()
            .filter(|f| !f.demo)
            .and_then(|f| normalize_url(&f.url).ok());
        // Asked again after a save too: the token saved for an address may have changed.
        let saved = (*view).as_ref().map(|v| (v.token, v.token_url.clone()));
        let (known_token, latest_typed) = (known_token.clone(), latest_typed.clone());
        use_effect_with((typed, saved), move |(typed, _)| {
            latest_typed.replace(typed.clone());
            if let Some(url) = typed.clone() {
                spawn_local(async move {
                    if let Ok(token) = shell::token_for(&url).await
                        && latest_typed.borrow().as_deref() == Some(url.as_str())
                    {
                        known_token.set(Some((url, token)));
                    }
                });
            }
        });
    }

    {
        let (view, form, load_error) = (view.clone(), form.clone(), load_error.clone());
        use_effect_with((), move |_| {
            spawn_local(async move {
                match shell::settings().await {
                    Ok(loaded) => {
                        // Edits left unsaved on the last visit come back, unless the settings
                        // were saved meanwhile (from here or the shell).
                        let kept = DRAFT
                            .with(|draft| draft.borrow_mut().take())
                            .filter(|(_, base)| *base == loaded.settings)
                            .map(|(form, _)| form);
                        form.set(Some(kept.unwrap_or_else(|| Form::of(&loaded))));
                        view.set(Some(loaded));
                    }
                    Err(error) => load_error.set(Some(error.message)),
                }
            });
        });
    }

    // The draft outlives the page while it differs from what is saved; a typed token never
    // leaves the page.
    {
        let state = (*view).clone().zip((*form).clone());
        use_effect_with(state, |state| {
            // Nothing loaded yet: the last visit's draft is still to be read.
            let Some((view, form)) = state else {
                return;
            };
            let kept = (*form != Form::of(view)).then(|| {
                let form = Form {
                    token: String::new(),
                    ..form.clone()
                };
                (form, view.settings.clone())
            });
            DRAFT.with(|draft| *draft.borrow_mut() = kept);
        });
    }

    let (Some(current), Some(draft)) = ((*view).clone(), (*form).clone()) else {
        return html! {
            <section class="page" data-testid="settings-page" aria-labelledby="page-title">
                <div class="page-head"><div><h1 id="page-title">{"Settings"}</h1></div></div>
                if let Some(message) = &*load_error {
                    <div class="banner banner-error" data-testid="page-error" role="alert">
                        <strong>{format!("The settings could not be loaded: {message}")}</strong>
                    </div>
                } else {
                    <div class="card list-skeleton" aria-busy="true">
                        <p class="muted">{"Loading settings…"}</p>
                    </div>
                }
            </section>
        };
    };

    // Edits the draft; any edit clears the "Saved" line.
    let edit = {
        let (form, status) = (form.clone(), status.clone());
        move |change: fn(&mut Form, String)| {
            let (form, status) = (form.clone(), status.clone());
            Callback::from(move |value: String| {
                if let Some(mut next) = (*form).clone() {
                    change(&mut next, value);
                    form.set(Some(next));
                    if *status == Status::Saved {
                        status.set(Status::Idle);
                    }
                }
            })
        }
    };
    let text_input = |cb: Callback<String>| {
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let checkbox = |cb: Callback<String>| {
        Callback::from(move |e: Event| {
            let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
            cb.emit(if checked { "1".into() } else { String::new() })
        })
    };

    let save_with = {
        let (view, form, errors, status) =
            (view.clone(), form.clone(), errors.clone(), status.clone());
        move |change: SettingsChange| {
            let (view, form, errors, status) =
                (view.clone(), form.clone(), errors.clone(), status.clone());
            // A change that carried the marketplace fields used them up; one that did not
            // (the intervals' reset) leaves what the seller typed there, token included.
            let sent_marketplace = change.token.is_some() || change.marketplace_changed;
            status.set(Status::Saving);
            spawn_local(async move {
                match shell::save_settings(&change).await {
                    Ok(SaveOutcome::Saved { view: saved }) => {
                        errors.set(Vec::new());
                        let mut next = Form::of(&saved);
                        if let Some(old) = (*form).clone() {
                            // Keep what the seller typed elsewhere; a sent token empties.
                            next = Form {
                                token: if sent_marketplace {
                                    String::new()
                                } else {
                                    old.token.clone()
                                },
                                marketplace_changed: !sent_marketplace && old.marketplace_changed,
                                intervals: next.intervals,
                                sales_factor_percent: next.sales_factor_percent,
                                ..old
                            };
                        }
                        form.set(Some(next));
                        view.set(Some(saved));
                        status.set(Status::Saved);
                    }
                    Ok(SaveOutcome::Rejected { error }) => {
                        errors.set(error.fields);
                        status.set(Status::Rejected(error.message));
                    }
                    Err(error) => status.set(Status::Rejected(format!(
                        "Nothing was saved: {}",
                        error.message
                    ))),
                }
            });
        }
    };

    let onsubmit = {
        let (draft, saved, errors, status, save_with) = (
            draft.clone(),
            current.settings.clone(),
            errors.clone(),
            status.clone(),
            save_with.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut problems = match draft.settings(&saved) {
                Ok(_) => Vec::new(),
                Err(problems) => problems,
            };
            let token = draft.token.trim().to_owned();
            // With the demo store chosen, a token left in the field is not sent (or saved).
            let token_typed = !draft.demo && !draft.token.is_empty();
            if token_typed && token.is_empty() {
                problems.push(FieldError::new(
                    "token",
                    "the token is empty: paste the token the marketplace gave you",
                ));
            }
            if !problems.is_empty() {
                errors.set(problems);
                status.set(Status::Rejected(
                    "Nothing was saved: fix the fields marked below.".to_owned(),
                ));
                return;
            }
            let Ok(settings) = draft.settings(&saved) else {
                return;
            };
            save_with(SettingsChange {
                settings,
                token: token_typed.then_some(token),
                marketplace_changed: draft.marketplace_changed || token_typed,
            });
        })
    };

    let on_reset = {
        let (saved, save_with) = (current.settings.clone(), save_with.clone());
        Callback::from(move |_: MouseEvent| {
            let mut settings = saved.clone();
            settings.intervals = Intervals::default();
            save_with(SettingsChange {
                settings,
                token: None,
                marketplace_changed: false,
            });
        })
    };

    let on_test = {
        let (draft, check, testing, running) = (
            draft.clone(),
            check.clone(),
            testing.clone(),
            current.running.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (check, testing) = (check.clone(), testing.clone());
            let tested = Tested::of(&draft);
            let url = if draft.demo {
                running.url.clone()
            } else {
                tested.url.clone()
            };
            testing.set(true);
            check.set(None);
            spawn_local(async move {
                let token = (!tested.token.is_empty()).then(|| tested.token.clone());
                let answer = shell::test_connection(&url, token.as_deref()).await;
                check.set(Some((tested, answer.map_err(|error| error.message))));
                testing.set(false);
            });
        })
    };

    let error_for = |field: &str| -> Html {
        match errors.iter().find(|e| e.field == field) {
            Some(error) => html! {
                <p class="field-error" role="alert" data-testid={format!("error-{field}")}>
                    {error.message.clone()}
                </p>
            },
            None => html! {},
        }
    };
    let invalid = |field: &str| errors.iter().any(|e| e.field == field).then_some("true");

    let unsaved = draft != Form::of(&current);
    let on_discard = {
        let (form, errors, status, current) = (
            form.clone(),
            errors.clone(),
            status.clone(),
            current.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            form.set(Some(Form::of(&current)));
            errors.set(Vec::new());
            status.set(Status::Idle);
        })
    };
    let token = token_for(&current, &draft, (*known_token).as_ref());
    let token_status = token_status(&current, &draft, token);
    let token_placeholder = match token {
        TokenFor::Saved { .. } => "Leave empty to keep the saved token",
        TokenFor::ThisRun => "Leave empty to keep this run's token",
        TokenFor::Missing => "Paste the token your marketplace gave you",
    };
    let defaults = Intervals::default();
    let default_of = |field: &str| {
        defaults
            .fields()
            .into_iter()
            .find(|(f, _, _)| *f == field)
            .map_or(0, |(_, _, secs)| secs)
    };
    let quiet_preview = match (parse_time(&draft.quiet_from), parse_time(&draft.quiet_to)) {
        (Some(from), Some(to)) if from > to => " (crosses midnight)",
        _ => "",
    };

    html! {
        <section class="page settings-page" data-testid="settings-page" aria-labelledby="page-title">
            <div class="page-head">
                <div>
                    <h1 id="page-title">{"Settings"}</h1>
                    <p class="subtitle">{"Changes apply as soon as you save them; no restart needed."}</p>
                </div>
            </div>
            if let Some(notice) = &current.notice {
                <div class="banner banner-warn" data-testid="settings-notice" role="status">
                    <div>{notice.clone()}</div>
                </div>
            }
            <form class="settings-form" onsubmit={onsubmit} novalidate=true>
                <div class="card settings-card">
                    <div class="card-head"><h2>{"Marketplace"}</h2></div>
                    <p class="muted" data-testid="settings-running">
                        {if current.running.demo {
                            "Now showing the built-in demo store.".to_owned()
                        } else {
                            format!("Now showing {}.", current.running.url)
                        }}
                        if current.running.from_flags {
                            <span class="hint flags-note" data-testid="settings-flags-note">
                                {"Chosen on the command line for this run (--marketplace-url and --token, or SELLERDASH_MARKETPLACE_URL and SELLERDASH_TOKEN). It wins over the saved marketplace until you save another one here."}
                            </span>
                        }
                    </p>
                    <fieldset class="settings-choice">
                        <legend class="sr-only">{"Where your data comes from"}</legend>
                        <label>
                            <input type="radio" name="marketplace" data-testid="settings-demo"
                                checked={draft.demo}
                                onchange={checkbox(edit(|f, v| if !v.is_empty() { f.demo = true; f.marketplace_changed = true; }))} />
                            {" Use the demo store"}
                        </label>
                        <label>
                            <input type="radio" name="marketplace" data-testid="settings-remote"
                                checked={!draft.demo}
                                onchange={checkbox(edit(|f, v| if !v.is_empty() { f.demo = false; f.marketplace_changed = true; }))} />
                            {" Use my marketplace"}
                        </label>
                    </fieldset>
                    <div class="field">
                        <label for="settings-url">{"Seller API address"}</label>
                        <input id="settings-url" class="input" type="url" data-testid="settings-url"
                            placeholder="https://seller-api.example.com" value={draft.url.clone()}
                            disabled={draft.demo} aria-invalid={invalid("url")}
                            oninput={text_input(edit(|f, v| { f.url = v; f.marketplace_changed = true; }))} />
                        {error_for("url")}
                    </div>
                    <div class="field">
                        <label for="settings-token">{"Seller token"}</label>
                        <input id="settings-token" class="input" type="password" autocomplete="off"
                            data-testid="settings-token" value={draft.token.clone()}
                            disabled={draft.demo} aria-invalid={invalid("token")}
                            placeholder={token_placeholder}
                            oninput={text_input(edit(|f, v| { f.token = v; f.marketplace_changed = true; }))} />
                        <p class="hint" data-testid="settings-token-status">{token_status}</p>
                        {error_for("token")}
                    </div>
                    <div class="settings-actions">
                        <button type="button" class="btn" data-testid="settings-test"
                            disabled={*testing || draft.demo} onclick={on_test}>
                            {if *testing { "Testing…" } else { "Test connection" }}
                        </button>
                        {match current_check(&check, &draft) {
                            Some(Ok(result)) => html! {
                                <span class={classes!("check", if result.ok() { "check-ok" } else { "check-bad" })}
                                    data-testid="settings-test-result" data-ok={result.ok().to_string()}>
                                    {result.text()}
                                </span>
                            },
                            Some(Err(message)) => html! {
                                <span class="check check-bad" data-testid="settings-test-result" data-ok="false">
                                    {format::sentence(message)}
                                </span>
                            },
                            None => html! {},
                        }}
                    </div>
                </div>

                <div class="card settings-card">
                    <div class="card-head">
                        <h2>{"Refresh"}</h2>
                        <button type="button" class="btn" data-testid="settings-reset" onclick={on_reset}>
                            {"Reset to defaults"}
                        </button>
                    </div>
                    <p class="muted">{"How often each page asks the marketplace while it is shown (2 s to 1 hour)."}</p>
                    <div class="interval-grid">
                        {for Intervals::default().fields().into_iter().map(|(field, label, _)| {
                            let value = draft.intervals.get(field).cloned().unwrap_or_default();
                            let form = form.clone();
                            let status = status.clone();
                            let oninput = Callback::from(move |e: InputEvent| {
                                let value = e.target_unchecked_into::<HtmlInputElement>().value();
                                if let Some(mut next) = (*form).clone() {
                                    next.intervals.insert(field, value);
                                    form.set(Some(next));
                                    if *status == Status::Saved {
                                        status.set(Status::Idle);
                                    }
                                }
                            });
                            let id = format!("interval-{field}");
                            let error_field = format!("interval.{field}");
                            html! {
                                <div class="field interval-field">
                                    <label for={id.clone()}>{label}</label>
                                    <div class="with-unit">
                                        <input id={id.clone()} class="input" inputmode="numeric"
                                            data-testid={id} value={value} oninput={oninput}
                                            aria-invalid={invalid(&error_field)} />
                                        <span class="unit">{"s"}</span>
                                    </div>
                                    <p class="hint">{format!("default {} s", default_of(field))}</p>
                                    {error_for(&error_field)}
                                </div>
                            }
                        })}
                        <div class="field interval-field">
                            <label for="sales-factor">{"Sales lists"}</label>
                            <select id="sales-factor" class="select" data-testid="sales-factor"
                                onchange={{
                                    let cb = edit(|f, v| f.sales_factor_percent = v.parse().unwrap_or(100));
                                    Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value()))
                                }}>
                                {for SALES_FACTORS.iter().map(|(percent, label)| html! {
                                    <option value={percent.to_string()} selected={*percent == draft.sales_factor_percent}>
                                        {*label}
                                    </option>
                                })}
                            </select>
                            <p class="hint">{"Adaptive: 5 s while orders are on the move, 15 s while some wait, 60 s when all are settled — times this factor."}</p>
                            {error_for("sales_factor")}
                        </div>
                    </div>
                    <label class="toggle">
                        <input type="checkbox" data-testid="settings-background" checked={draft.background_polling}
                            onchange={checkbox(edit(|f, v| f.background_polling = !v.is_empty()))} />
                        {" Keep refreshing while the window is hidden"}
                    </label>
                    <p class="hint">{"Off: pages stop refreshing while the window is hidden. The pending-orders check goes on, so new-order alerts and the tray count stay up to date."}</p>
                </div>

                <div class="card settings-card">
                    <div class="card-head"><h2>{"Notifications"}</h2></div>
                    <label class="toggle">
                        <input type="checkbox" data-testid="settings-notifications" checked={draft.notifications}
                            onchange={checkbox(edit(|f, v| f.notifications = !v.is_empty()))} />
                        {" Notify me of new orders"}
                    </label>
                    <p class="hint">{"Off: no popups. The tray still shows how many orders wait."}</p>
                    <label class="toggle">
                        <input type="checkbox" data-testid="settings-quiet" checked={draft.quiet_enabled}
                            disabled={!draft.notifications}
                            onchange={checkbox(edit(|f, v| f.quiet_enabled = !v.is_empty()))} />
                        {" Quiet hours"}
                    </label>
                    <div class="quiet-row">
                        <div class="field">
                            <label for="quiet-from">{"From"}</label>
                            <input id="quiet-from" class="input time-input" data-testid="quiet-from"
                                placeholder="22:00" value={draft.quiet_from.clone()}
                                aria-invalid={invalid("quiet_from")}
                                oninput={text_input(edit(|f, v| f.quiet_from = v))} />
                            {error_for("quiet_from")}
                        </div>
                        <div class="field">
                            <label for="quiet-to">{"To"}</label>
                            <input id="quiet-to" class="input time-input" data-testid="quiet-to"
                                placeholder="07:00" value={draft.quiet_to.clone()}
                                aria-invalid={invalid("quiet_to")}
                                oninput={text_input(edit(|f, v| f.quiet_to = v))} />
                            {error_for("quiet_to")}
                        </div>
                    </div>
                    <p class="hint">{format!("Local time, 24-hour{quiet_preview}. During quiet hours no popups; the tray count still updates, and when they end one summary lists what arrived.")}</p>
                </div>

                <div class="card settings-card">
                    <div class="card-head"><h2>{"Start-up"}</h2></div>
                    <label class="toggle">
                        <input type="checkbox" data-testid="settings-autostart" checked={draft.launch_at_login}
                            disabled={!current.autostart_supported && !draft.launch_at_login}
                            onchange={checkbox(edit(|f, v| f.launch_at_login = !v.is_empty()))} />
                        {" Launch at login"}
                    </label>
                    <p class="hint">{current.autostart_note.clone()}</p>
                    {error_for("launch_at_login")}
                </div>

                <div class="settings-save">
                    <button type="submit" class="btn btn-primary" data-testid="settings-save"
                        disabled={*status == Status::Saving}>
                        {if *status == Status::Saving { "Saving…" } else { "Save" }}
                    </button>
                    {match &*status {
                        Status::Saved => html! {
                            <span class="check check-ok" data-testid="settings-status" role="status">
                                {"Saved. The new settings are in effect."}
                            </span>
                        },
                        Status::Rejected(message) => html! {
                            <span class="check check-bad" data-testid="settings-status" role="alert">
                                {format::sentence(message)}
                            </span>
                        },
                        Status::Idle | Status::Saving => html! {},
                    }}
                    if unsaved && *status != Status::Saving {
                        <span class="muted" data-testid="settings-unsaved">{"Unsaved changes"}</span>
                        <button type="button" class="btn btn-ghost" data-testid="settings-discard"
                            onclick={on_discard}>
                            {"Discard"}
                        </button>
                    }
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use sellerdash_state::settings::{RunningMarketplace, TokenPlace};

    use super::*;

    fn view(from_flags: bool) -> SettingsView {
        SettingsView {
            settings: Settings::default(),
            token: None,
            token_url: None,
            running: RunningMarketplace {
                url: "http://127.0.0.1:9".into(),
                demo: false,
                from_flags,
            },
            notice: None,
            autostart_supported: true,
            autostart_note: String::new(),
        }
    }

    #[test]
    fn the_form_reads_back_what_was_typed_or_says_what_is_wrong() {
        let saved = Settings::default();
        let mut form = Form::of(&view(false));
        assert!(form.demo, "the saved choice: the demo store");
        assert_eq!(form.settings(&saved), Ok(saved.clone()));
        form.intervals.insert("dashboard", " 30 ".into());
        form.intervals.insert("payouts", "ten".into());
        form.quiet_from = "7pm".into();
        let fields: Vec<String> = match form.settings(&saved) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.field).collect(),
        };
        assert_eq!(fields, ["interval.payouts", "quiet_from"]);
        // A number too big for any integer is out of range, not "not a number".
        form.intervals
            .insert("order", "99999999999999999999999".into());
        let errors = form.settings(&saved).err().unwrap_or_default();
        assert_eq!(
            errors[0].message,
            "Order details: out of range (2 s to 1 hour)"
        );
        form.intervals.insert("order", "3".into());
        form.intervals.insert("payouts", "10".into());
        form.quiet_from = "19:00".into();
        let settings = form.settings(&saved).unwrap_or_default();
        assert_eq!(settings.intervals.dashboard_secs, 30);
        assert_eq!(settings.quiet_hours.from, "19:00");
    }

    #[test]
    fn a_command_line_marketplace_is_shown_as_the_current_one() {
        let form = Form::of(&view(true));
        assert!(!form.demo);
        assert_eq!(form.url, "http://127.0.0.1:9");
        assert!(!form.marketplace_changed);
        assert!(form.token.is_empty());
    }

    #[test]
    fn a_test_result_goes_stale_when_the_address_or_token_changes() {
        let mut form = Form::of(&view(true));
        let check = Some((Tested::of(&form), "Connected"));
        assert_eq!(current_check(&check, &form), Some(&"Connected"));
        form.url.push_str(" ");
        assert_eq!(
            current_check(&check, &form),
            Some(&"Connected"),
            "same address"
        );
        form.url = "http://127.0.0.1:10".into();
        assert_eq!(current_check(&check, &form), None);
        let mut form = Form::of(&view(true));
        form.token = "another".into();
        assert_eq!(current_check(&check, &form), None);
        let mut form = Form::of(&view(true));
        form.demo = true;
        assert_eq!(current_check(&check, &form), None);
    }

    #[test]
    fn the_saved_token_is_shown_for_its_own_address_only() {
        let mut saved = view(false);
        saved.settings.marketplace = MarketplaceChoice::Remote {
            url: "https://a.example".into(),
        };
        saved.token = Some(TokenPlace::File);
        saved.token_url = Some("https://a.example".into());
        let mut form = Form::of(&saved);
        let status = |view: &SettingsView, form: &Form, known: Option<&(String, TokenFor)>| {
            token_status(view, form, token_for(view, form, known))
        };
        form.url = "HTTPS://a.example/".into();
        assert_eq!(status(&saved, &form, None), "Token saved (file)");
        form.url = "https://b.example".into();
        let other = status(&saved, &form, None);
        assert!(
            other.contains("Enter the token for this marketplace"),
            "{other}"
        );
        assert_eq!(
            status(&view(true), &form, None),
            "No token saved for this address"
        );
        // Saved while the demo store runs (the view knows no address): the shell says.
        let b = (
            "https://b.example".to_owned(),
            TokenFor::Saved {
                place: TokenPlace::Keyring,
            },
        );
        assert_eq!(
            status(&view(true), &form, Some(&b)),
            "Token saved (keyring)"
        );
        // The shell's answer for another address says nothing of this one.
        form.url = "https://c.example".into();
        assert_eq!(
            status(&view(true), &form, Some(&b)),
            "No token saved for this address"
        );
        let run = ("https://c.example".to_owned(), TokenFor::ThisRun);
        assert!(status(&view(true), &form, Some(&run)).contains("command line"));
    }
}
