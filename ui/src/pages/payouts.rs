//! Payouts: the balance (available, pending), the next payout date and schedule, the
//! lifetime total, and the payout history (all of it, one year, or one month of one year)
//! with the total paid per month and in all, and a CSV export of the listed payouts.

use std::rc::Rc;

use chrono::{DateTime, Datelike, Utc};
use sellerdash_api::{Money, Payout, PayoutHistory, PayoutStats, PayoutStatus};
use sellerdash_state::QueryKey;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::{
    Badge, DataAge, ExportButton, ExportRequest, PageError, QueryPage, StatCard,
};
use crate::format;
use crate::hooks::{use_now, use_query};
use crate::time;

/// How many years back the year selector reaches.
const YEARS_BACK: i32 = 5;

/// The history the page shows: all of it, one year, or one month (1–12) of one year. A
/// month always has its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HistoryPeriod {
    month: Option<u32>,
    year: Option<i32>,
}

impl HistoryPeriod {
    fn key(self) -> QueryKey {
        match (self.month, self.year) {
            (Some(month), Some(year)) => QueryKey::payout_history(Some((month, year))),
            (_, Some(year)) => QueryKey::payout_history_year(year),
            (_, None) => QueryKey::payout_history(None),
        }
    }

    fn label(self) -> String {
        match (self.month, self.year) {
            (Some(month), Some(year)) => format!("{} {year}", format::month_long(month)),
            (_, Some(year)) => year.to_string(),
            (_, None) => "all time".to_owned(),
        }
    }

    /// The empty history's title: "No payouts yet" for all of it, else "No payouts for
    /// March 2026" / "No payouts for 2026".
    fn empty_title(self) -> String {
        match self.year {
            None => "No payouts yet".to_owned(),
            Some(_) => format!("No payouts for {}", self.label()),
        }
    }

    fn export(self) -> ExportRequest {
        ExportRequest::Payouts {
            month: self.month.filter(|_| self.year.is_some()),
            year: self.year,
        }
    }
}

#[component]
pub fn PayoutsPage() -> Html {
    let today = use_memo((), |_| time::local_today());
    let period = use_state(|| HistoryPeriod {
        month: None,
        year: None,
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
                    <ExportButton testid="payouts-export" request={period.export()}
                        title="Save the listed payouts as a CSV file" />
                </div>
                if let Some(message) = history.error_message() {
                    <PageError message={message} snapshot={history.snapshot.clone()}
                        has_data={history.data.is_some()} testid="history-error" />
                }
                if let Some(data) = &history.data {
                    <HistoryTable history={Rc::clone(data)} period={period.label()}
                        empty_title={period.empty_title()} />
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

/// A month selector ("All months" or one month) and a year selector ("All years" or one
/// year). Picking a month with all years picks this year; picking all years shows all
/// months.
#[component]
fn PeriodPicker(props: &PeriodPickerProps) -> Html {
    let period = props.period;
    let this_year = props.this_year;
    let on_month = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let month = value.parse::<u32>().ok().filter(|m| (1..=12).contains(m));
            let year = match month {
                Some(_) => Some(period.year.unwrap_or(this_year)),
                None => period.year,
            };
            on_change.emit(HistoryPeriod { month, year });
        })
    };
    let on_year = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            match value.parse::<i32>() {
                Ok(year) => on_change.emit(HistoryPeriod {
                    year: Some(year),
                    ..period
                }),
                Err(_) => on_change.emit(HistoryPeriod {
                    month: None,
                    year: None,
                }),
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
            <select id="payout-year" class="select" data-testid="payout-year" onchange={on_year}>
                <option value="" selected={period.year.is_none()}>{"All years"}</option>
                {for years.map(|y| html! {
                    <option value={y.to_string()} selected={Some(y) == period.year}>{y}</option>
                })}
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct HistoryTableProps {
    history: Rc<PayoutHistory>,
    period: String,
    empty_title: String,
}

#[component]
fn HistoryTable(props: &HistoryTableProps) -> Html {
    let now = use_now();
    let history = &props.history;
    if history.payouts.is_empty() {
        return html! {
            <div class="empty" data-testid="payouts-empty">
                <p class="empty-title">{props.empty_title.clone()}</p>
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
                {for by_month(&history.payouts).into_iter().map(|month| html! {
                    <tbody key={month.key()}>
                        <tr class="month-row" data-testid="payout-month-total"
                            data-month={month.key()}>
                            <th scope="rowgroup" colspan="4">
                                {format!("{} {}", format::month_long(month.month), month.year)}
                                <span class="muted month-count">
                                    {format!(" · {} · paid", format::plural(
                                        month.payouts.len() as u64, "payout", "payouts"))}
                                </span>
                            </th>
                            <td class="num strong" data-testid="payout-month-paid"
                                title={format!("Paid in {} {}", format::month_long(month.month),
                                    month.year)}>
                                {month.paid_text()}
                            </td>
                        </tr>
                        {for month.payouts.iter().map(|payout| html! {
                            <PayoutRow key={payout.id.clone()} payout={(*payout).clone()} now={now} />
                        })}
                    </tbody>
                })}
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

/// The payouts made in one month (by their UTC creation time, as the server files them)
/// and what was paid in it.
struct MonthPayouts<'a> {
    year: i32,
    month: u32,
    payouts: Vec<&'a Payout>,
    /// The sum of the paid ones; `None` if they mix currencies (never summed across).
    paid: Option<Money>,
}

impl MonthPayouts<'_> {
    /// `2026-03`.
    fn key(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    fn paid_text(&self) -> String {
        match self.paid {
            Some(paid) => paid.to_string(),
            None => "several currencies".to_owned(),
        }
    }
}

/// Payouts (newest first) grouped by month, newest month first, each with its paid total.
fn by_month(payouts: &[Payout]) -> Vec<MonthPayouts<'_>> {
    let mut months: Vec<MonthPayouts<'_>> = Vec::new();
    for payout in payouts {
        let (year, month) = (payout.created_at.year(), payout.created_at.month());
        let index = match months
            .iter()
            .position(|m| m.year == year && m.month == month)
        {
            Some(index) => index,
            None => {
                months.push(MonthPayouts {
                    year,
                    month,
                    payouts: Vec::new(),
                    paid: Some(Money::zero(payout.amount.currency)),
                });
                months.len() - 1
            }
        };
        let entry = &mut months[index];
        entry.payouts.push(payout);
        if payout.status == PayoutStatus::Paid {
            entry.paid = entry
                .paid
                .and_then(|sum| sum.checked_add(payout.amount).ok());
        }
    }
    months.sort_by_key(|m| std::cmp::Reverse((m.year, m.month)));
    months
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerdash_api::Currency;

    fn payout(id: &str, at: &str, minor: i64, status: PayoutStatus) -> Payout {
        let at = DateTime::parse_from_rfc3339(at)
            .unwrap()
            .with_timezone(&Utc);
        Payout {
            id: id.into(),
            amount: Money::new(minor, Currency::EUR),
            status,
            period_start: at.date_naive(),
            period_end: at.date_naive(),
            paid_at: Some(at),
            order_count: 1,
            created_at: at,
        }
    }

    #[test]
    fn an_empty_history_says_yet_for_all_of_it() {
        let all = HistoryPeriod {
            month: None,
            year: None,
        };
        assert_eq!(all.empty_title(), "No payouts yet");
        let year = HistoryPeriod {
            month: None,
            year: Some(2026),
        };
        assert_eq!(year.empty_title(), "No payouts for 2026");
        let month = HistoryPeriod {
            month: Some(3),
            year: Some(2026),
        };
        assert_eq!(month.empty_title(), "No payouts for March 2026");
    }

    #[test]
    fn months_total_their_paid_payouts_exactly() {
        let mut payouts = vec![payout(
            "p-f",
            "2026-03-02T00:00:00Z",
            999,
            PayoutStatus::Failed,
        )];
        payouts.extend((0..1000).map(|i| {
            payout(
                &format!("p{i}"),
                "2026-03-01T00:00:00Z",
                10,
                PayoutStatus::Paid,
            )
        }));
        payouts.push(payout(
            "p-old",
            "2026-02-28T23:59:59Z",
            5,
            PayoutStatus::Paid,
        ));
        let months = by_month(&payouts);
        assert_eq!(months.len(), 2);
        assert_eq!(months[0].key(), "2026-03");
        assert_eq!(months[0].paid_text(), "€100.00");
        assert_eq!(months[1].key(), "2026-02");
        assert_eq!(months[1].paid_text(), "€0.05");
    }

    #[test]
    fn a_period_names_its_key() {
        let all = HistoryPeriod {
            month: None,
            year: None,
        };
        assert_eq!(all.key().to_string(), "seller/payouts/history");
        let year = HistoryPeriod {
            month: None,
            year: Some(2026),
        };
        assert_eq!(year.key().to_string(), "seller/payouts/history/2026");
        assert_eq!(year.label(), "2026");
        let month = HistoryPeriod {
            month: Some(3),
            year: Some(2026),
        };
        assert_eq!(month.key().to_string(), "seller/payouts/history/3/2026");
    }
}
