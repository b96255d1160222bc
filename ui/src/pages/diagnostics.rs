//! Diagnostics: every query the core keeps, polled from the shell's `diagnostics` command once
//! a second while the page is shown: status, observers and pinning, interval, last success,
//! last error, next fetch, and requests and failures in the last minute.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use chrono::{DateTime, Utc};
use gloo::timers::callback::Interval;
use sellerdash_state::{AppError, QueryDiagnostics, QueryStatus};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::Badge;
use crate::format::{self, Tone};
use crate::hooks::use_now;
use crate::{shell, time};

/// How often the page asks for fresh figures.
const POLL_MS: u32 = 1_000;

/// The latest answer of the `diagnostics` command.
#[derive(Debug, Clone, PartialEq)]
struct Polled {
    queries: Option<Rc<Vec<QueryDiagnostics>>>,
    /// When `queries` arrived.
    at: Option<DateTime<Utc>>,
    /// The last poll failed (older figures, if any, stay on screen).
    error: Option<AppError>,
}

/// Polls `diagnostics` every second while mounted; a poll still in flight skips the tick.
#[hook]
fn use_diagnostics() -> Polled {
    let polled = use_state(|| Polled {
        queries: None,
        at: None,
        error: None,
    });
    {
        let polled = polled.clone();
        use_effect_with((), move |_| {
            let in_flight = Rc::new(Cell::new(false));
            let alive = Rc::new(Cell::new(true));
            // The state handle's value is the one of the first render; the latest answer
            // lives here so a failed poll keeps the figures before it.
            let latest = Rc::new(RefCell::new((*polled).clone()));
            let poll = {
                let alive = Rc::clone(&alive);
                move || {
                    if in_flight.replace(true) {
                        return;
                    }
                    let (polled, latest) = (polled.clone(), Rc::clone(&latest));
                    let (in_flight, alive) = (Rc::clone(&in_flight), Rc::clone(&alive));
                    spawn_local(async move {
                        let answer = shell::diagnostics().await;
                        in_flight.set(false);
                        if !alive.get() {
                            return;
                        }
                        let next = match answer {
                            Ok(mut queries) => {
                                queries.sort_by(|a, b| a.key.cmp(&b.key));
                                Polled {
                                    queries: Some(Rc::new(queries)),
                                    at: Some(time::now()),
                                    error: None,
                                }
                            }
                            Err(error) => Polled {
                                error: Some(error),
                                ..latest.borrow().clone()
                            },
                        };
                        *latest.borrow_mut() = next.clone();
                        polled.set(next);
                    });
                }
            };
            poll();
            let ticker = Interval::new(POLL_MS, poll);
            move || {
                alive.set(false);
                drop(ticker);
            }
        });
    }
    (*polled).clone()
}

#[component]
pub fn DiagnosticsPage() -> Html {
    let polled = use_diagnostics();
    let now = use_now();
    let subtitle = match &polled.queries {
        Some(queries) => format!(
            "{} · updated every second",
            format::plural(
                u64::try_from(queries.len()).unwrap_or(0),
                "query",
                "queries"
            )
        ),
        None => "How every query of the app is doing".to_owned(),
    };
    let age = match polled.at {
        Some(at) => format!("Updated {} ago", time::age(at, now)),
        None if polled.error.is_some() => "Not loaded".to_owned(),
        None => "Loading…".to_owned(),
    };
    html! {
        <section class="page" data-testid="diagnostics-page" aria-labelledby="page-title">
            <div class="page-head">
                <div>
                    <h1 id="page-title">{"Diagnostics"}</h1>
                    <p class="subtitle">{subtitle}</p>
                </div>
                <div class="page-tools">
                    <span class="age" data-testid="data-age">{age}</span>
                </div>
            </div>
            if let Some(error) = &polled.error {
                <div class="banner banner-error" data-testid="page-error" role="alert">
                    <div>
                        <strong>{format::sentence(&error.message)}</strong>
                        <span class="banner-detail">
                            {if polled.queries.is_some() {
                                " Showing the last figures; retrying every second."
                            } else {
                                " Retrying every second."
                            }}
                        </span>
                    </div>
                </div>
            }
            if let Some(queries) = &polled.queries {
                <DiagnosticsTable queries={Rc::clone(queries)} now={now} />
            } else if polled.error.is_none() {
                <div class="card list-skeleton" aria-busy="true">
                    <p class="muted">{"Loading diagnostics…"}</p>
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DiagnosticsTableProps {
    queries: Rc<Vec<QueryDiagnostics>>,
    now: DateTime<Utc>,
}

#[component]
fn DiagnosticsTable(props: &DiagnosticsTableProps) -> Html {
    if props.queries.is_empty() {
        return html! {
            <div class="card empty" data-testid="diagnostics-empty">
                <p class="empty-title">{"No queries yet"}</p>
                <p class="muted">{"Queries appear as soon as a page or the tray needs data."}</p>
            </div>
        };
    }
    html! {
        <div class="card table-card">
            <table class="table diagnostics-table">
                <thead>
                    <tr>
                        <th>{"Query"}</th>
                        <th>{"Status"}</th>
                        <th class="num">{"Observers"}</th>
                        <th class="num">{"Interval"}</th>
                        <th>{"Last success"}</th>
                        <th>{"Last error"}</th>
                        <th>{"Next fetch"}</th>
                        <th class="num" title="Requests in the last minute">{"Req/min"}</th>
                        <th class="num" title="Failed requests in the last minute">{"Fail/min"}</th>
                        <th>{"Fetching"}</th>
                    </tr>
                </thead>
                <tbody>
                    {for props.queries.iter().map(|query| diagnostics_row(query, props.now))}
                </tbody>
            </table>
        </div>
    }
}

fn status_badge(status: QueryStatus) -> (&'static str, Tone) {
    match status {
        QueryStatus::Loading => ("Loading", Tone::Neutral),
        QueryStatus::Success => ("OK", Tone::Ok),
        QueryStatus::Error => ("Error", Tone::Danger),
    }
}

fn diagnostics_row(query: &QueryDiagnostics, now: DateTime<Utc>) -> Html {
    let key = query.key.to_string();
    let (status, tone) = status_badge(query.status);
    let last_success = match query.last_success_at {
        Some(at) => format!("{} ago", time::age(at, now)),
        None => "never".to_owned(),
    };
    let next_fetch = match query.next_fetch_at {
        Some(at) => match time::seconds_until(at, now) {
            0 => "due".to_owned(),
            seconds => format!("in {seconds} s"),
        },
        None => "—".to_owned(),
    };
    let last_error = match &query.last_error {
        Some(error) => html! {
            <span class="error-cell" title={error.error.message.clone()}>
                <span class="inline-error">{format::sentence(&error.error.message)}</span>
                <span class="muted small">{format!(" {} ago", time::age(error.at, now))}</span>
            </span>
        },
        None => html! { <span class="muted">{"—"}</span> },
    };
    html! {
        <tr key={key.clone()} data-testid="diagnostics-row" data-key={key.clone()}
            data-status={format!("{:?}", query.status).to_lowercase()}>
            <td class="order-id">{key}</td>
            <td><Badge label={status} tone={tone} /></td>
            <td class="num">
                {query.observers}
                if query.pinned {
                    {" "}<span class="cache-tag" title="Polled while the app runs">{"pinned"}</span>
                }
            </td>
            <td class="num">
                {query.interval_ms.map(format::interval).unwrap_or_else(|| "—".to_owned())}
            </td>
            <td class="nowrap">{last_success}</td>
            <td class="error-col">{last_error}</td>
            <td class="nowrap">{next_fetch}</td>
            <td class="num">{query.requests_per_minute}</td>
            <td class={classes!("num", (query.failures_per_minute > 0).then_some("inline-error"))}>
                {query.failures_per_minute}
            </td>
            <td>
                if query.fetching {
                    <span class="spinner" role="img" aria-label="Fetching"></span>
                } else {
                    <span class="muted">{"—"}</span>
                }
            </td>
        </tr>
    }
}
