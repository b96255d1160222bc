//! Payouts: the balance (available, pending), the next payout date and schedule, the
//! lifetime total, and the payout history, all of it or one month of one year, with the
//! total paid in the listed payouts.

use std::rc::Rc;

use chrono::{DateTime, Datelike, Utc};
use sellerdash_api::{Payout, PayoutHistory, PayoutStats};
use sellerdash_state::QueryKey;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::{Badge, DataAge, PageError, QueryPage, StatCard};
use crate::format;
use crate::hooks::{use_now, use_query};
use crate::time;

/// How many years back the year selector reaches.
const YEARS_BACK: i32 = 5;

/// The history the page shows: all of it, or one month (1–12) of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HistoryPeriod {
    month: Option<u32>,
    year: i32,
}

impl HistoryPeriod {
    fn key(self) -> QueryKey {
        QueryKey::payout_history(self.month.map(|month| (month, self.year)))
    }

    fn label(self) -> String {
        match self.month {
            Some(month) => format!("{} {}", format::month_long(month), self.year),
            None => "all time".to_owned(),
        }
    }
}

#[component]
pub fn PayoutsPage() -> Html {
    let today = use_memo((), |_| time::local_today());
    let period = use_state(|| HistoryPeriod {
        month: None,
        year: today.year(),
    });
    let stats = use_query::<PayoutStats>(QueryKey::payout_stats());
    let history = use_query::<PayoutHistory>(period.key());
    let subtitle = match &stats.data {
        Some(stats) => format!(
            "{} payouts · next on {}",
            format::payout_schedule(stats.schedule),
            format::date(stats.next_payout_date)
        ),
        None => "Your balance and the money sent to you".to_owned(),
    };
    let on_period = {
        let period = period.clone();
        Callback::from(move |next: HistoryPeriod| period.set(next))
    };

    html! {
        <QueryPage testid="payouts-page" title="Payouts" subtitle={subtitle}
            query={stats.key.clone()} snapshot={stats.snapshot.clone()}
            also_refresh={vec![history.key.clone()]}
            error={stats.error_message()} has_data={stats.data.is_some()}>
            if let Some(data) = &stats.data {
                <Balance stats={Rc::clone(data)} today={*today} />
            } else if stats.is_loading() {
                <div class="stats" aria-busy="true" aria-label="Loading the balance">
                    {for (0..4).map(|_| html! { <div class="stat skeleton"></div> })}
                </div>
            }
            <section class="card" aria-labelledby="history-title" data-testid="payout-history">
                <div class="card-head history-head">
                    <h2 id="history-title">{"History"}</h2>
                    <PeriodPicker period={*period} this_year={today.year()} on_change={on_period} />
                    <span class="spacer"></span>
                    <DataAge snapshot={history.snapshot.clone()} testid="history-age" />
                </div>
                if let Some(message) = history.error_message() {
                    <PageError message={message} snapshot={history.snapshot.clone()}
                        has_data={history.data.is_some()} testid="history-error" />
                }
                if let Some(data) = &history.data {
                    <HistoryTable history={Rc::clone(data)} period={period.label()} />
                } else if history.is_loading() {
                    <p class="muted list-skeleton" aria-busy="true">{"Loading payouts…"}</p>
                }
            </section>
        </QueryPage>
    }
}

#[derive(Properties, PartialEq)]
struct BalanceProps {
    stats: Rc<PayoutStats>,
    today: chrono::NaiveDate,
}

#[component]
fn Balance(props: &BalanceProps) -> Html {
    let stats = &props.stats;
    let next = stats.next_payout_date;
    // The year only when it is not this one (a payout early in January, seen in December).
    let next_value = if next.year() == props.today.year() {
        format::short_date(next)
    } else {
        format::date(next)
    };
    html! {
        <div class="stats">
            <StatCard label="Available" value={stats.available.to_string()}
                testid="payout-available" hint="earned on completed orders" accent=true />
            <StatCard label="Pending balance" value={stats.pending.to_string()}
                testid="payout-pending" hint="paid orders not completed yet" />
            <StatCard label="Next payout" value={next_value} testid="payout-next"
                hint={format!("{} · {}", format::days_from_today(next, props.today),
                    format::payout_schedule(stats.schedule))} />
            <StatCard label="Paid to date" value={stats.lifetime_paid.to_string()}
                testid="payout-lifetime" hint="every payout so far" />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PeriodPickerProps {
    period: HistoryPeriod,
    this_year: i32,
    on_change: Callback<HistoryPeriod>,
}

/// A month selector ("All months" or one month) and a year selector; the year only
/// applies to one month, so it is disabled while all months are shown.
#[component]
fn PeriodPicker(props: &PeriodPickerProps) -> Html {
    let period = props.period;
    let on_month = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let month = value.parse::<u32>().ok().filter(|m| (1..=12).contains(m));
            on_change.emit(HistoryPeriod { month, ..period });
        })
    };
    let on_year = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(year) = value.parse::<i32>() {
                on_change.emit(HistoryPeriod { year, ..period });
            }
        })
    };
    let month_value = period.month.map(|m| m.to_string()).unwrap_or_default();
    let years = (0..=YEARS_BACK).map(|back| props.this_year - back);
    html! {
        <div class="period">
            <label class="sr-only" for="payout-month">{"Month"}</label>
            <select id="payout-month" class="select" data-testid="payout-month"
                onchange={on_month}>
                <option value="" selected={period.month.is_none()}>{"All months"}</option>
                {for (1..=12u32).map(|m| html! {
                    <option value={m.to_string()} selected={month_value == m.to_string()}>
                        {format::month_long(m)}
                    </option>
                })}
            </select>
            <label class="sr-only" for="payout-year">{"Year"}</label>
            <select id="payout-year" class="select" data-testid="payout-year"
                disabled={period.month.is_none()} onchange={on_year}
                title={period.month.is_none().then_some("Pick a month to choose its year")}>
                {for years.map(|y| html! {
                    <option value={y.to_string()} selected={y == period.year}>{y}</option>
                })}
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct HistoryTableProps {
    history: Rc<PayoutHistory>,
    period: String,
}

#[component]
fn HistoryTable(props: &HistoryTableProps) -> Html {
    let now = use_now();
    let history = &props.history;
    if history.payouts.is_empty() {
        return html! {
            <div class="empty" data-testid="payouts-empty">
                <p class="empty-title">{format!("No payouts for {}", props.period)}</p>
                <p class="muted">{"Payouts appear here once the marketplace sends them."}</p>
            </div>
        };
    }
    html! {
        <>
            <table class="table">
                <thead>
                    <tr>
                        <th>{"Period"}</th>
                        <th>{"Status"}</th>
                        <th class="num">{"Orders"}</th>
                        <th>{"Paid"}</th>
                        <th class="num">{"Amount"}</th>
                    </tr>
                </thead>
                <tbody>
                    {for history.payouts.iter().map(|payout| html! {
                        <PayoutRow key={payout.id.clone()} payout={payout.clone()} now={now} />
                    })}
                </tbody>
            </table>
            <dl class="totals">
                <dt class="grand">{format!("Total paid, {}", props.period)}</dt>
                <dd class="grand" data-testid="payout-total">{history.total_paid.to_string()}</dd>
            </dl>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct PayoutRowProps {
    payout: Payout,
    now: DateTime<Utc>,
}

#[component]
fn PayoutRow(props: &PayoutRowProps) -> Html {
    let payout = &props.payout;
    html! {
        <tr data-testid="payout-row" data-payout-id={payout.id.clone()}>
            <td>
                {format::date_range(payout.period_start, payout.period_end)}
                <span class="sku">{payout.id.clone()}</span>
            </td>
            <td>
                <Badge label={format::payout_status(payout.status)}
                    tone={format::payout_status_tone(payout.status)} />
            </td>
            <td class="num">{format::count(payout.order_count)}</td>
            <td class="nowrap">
                {payout.paid_at.map(|at| time::local_moment(at, props.now))
                    .unwrap_or_else(|| "—".to_owned())}
            </td>
            <td class="num strong">{payout.amount.to_string()}</td>
        </tr>
    }
}
