//! The dashboard: a period choice (today, 7 days, 30 days, 12 months, remembered while the
//! app runs), the period's headline figures (the sales count opens the Sales page, the
//! pending count the pending page), revenue over time against the previous period with the
//! month-to-date growth under it, and the top products. Each period is its own query key.

use std::rc::Rc;

use sellerdash_api::{DashboardStats, Period};
use sellerdash_state::QueryKey;
use yew::prelude::*;

use crate::components::{QueryPage, RevenueChart, StatCard, TopProducts};
use crate::format;
use crate::hooks::{use_app, use_query};
use crate::state::{Action, Page};

fn period_label(period: Period) -> &'static str {
    match period {
        Period::Today => "Today",
        Period::Days7 => "Last 7 days",
        Period::Days30 => "Last 30 days",
        Period::Months12 => "Last 12 months",
    }
}

/// The period choice's button text.
fn period_choice(period: Period) -> &'static str {
    match period {
        Period::Today => "Today",
        Period::Days7 => "7 days",
        Period::Days30 => "30 days",
        Period::Months12 => "12 months",
    }
}

/// The subtitle: the period, its store days and the store's time zone:
/// `"Last 7 days · 26 Mar – 1 Apr 2026 · Europe/Berlin"`.
fn subtitle(stats: &DashboardStats) -> String {
    let days = match (stats.period, stats.series.first()) {
        (_, None) => String::new(),
        (Period::Today, Some(first)) => format!(" · {}", format::date(first.local_start.date())),
        (_, Some(first)) => format!(
            " · {}",
            format::date_range(first.local_start.date(), today(stats))
        ),
    };
    format!("{}{days} · {}", period_label(stats.period), stats.time_zone)
}

/// The store's date when the figures were made: the last bucket that has begun (its wall
/// clock), else the period's last bucket.
fn today(stats: &DashboardStats) -> chrono::NaiveDate {
    let offset = stats
        .series
        .iter()
        .rev()
        .find(|p| p.start <= stats.generated_at)
        .map(|p| p.local_start - p.start.naive_utc());
    match offset {
        Some(offset) => (stats.generated_at.naive_utc() + offset).date(),
        None => stats.generated_at.date_naive(),
    }
}

#[component]
pub fn DashboardPage() -> Html {
    let app = use_app();
    let period = app
        .as_ref()
        .map_or(Period::default(), |app| app.dashboard_period);
    let query = use_query::<DashboardStats>(QueryKey::dashboard_period(period));
    let open = |page: Page| {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(app) = &app {
                app.dispatch(Action::Navigate(page.clone()));
            }
        })
    };
    let choose = {
        let app = app.clone();
        Callback::from(move |period: Period| {
            if let Some(app) = &app {
                app.dispatch(Action::SetDashboardPeriod(period));
            }
        })
    };
    let zone = query.data.as_ref().map(|stats| stats.time_zone.clone());
    let subtitle = query
        .data
        .as_ref()
        .map(|stats| subtitle(stats))
        .unwrap_or_else(|| period_label(period).to_owned());
    let tools = html! { <PeriodChoice current={period} zone={zone} onchoose={choose} /> };

    html! {
        <QueryPage testid="dashboard" title="Dashboard" subtitle={subtitle}
            query={query.key.clone()} snapshot={query.snapshot.clone()}
            error={query.error_message()} has_data={query.data.is_some()} tools={tools}>
            if let Some(stats) = &query.data {
                <DashboardBody stats={Rc::clone(stats)} open_pending={open(Page::Pending)}
                    open_sales={open(Page::Sales)} />
            } else if query.is_loading() {
                <Loading />
            }
        </QueryPage>
    }
}

#[derive(Properties, PartialEq)]
struct PeriodChoiceProps {
    current: Period,
    /// The store's time zone once known (named in the buttons' tooltips).
    zone: Option<String>,
    onchoose: Callback<Period>,
}

/// Today, 7 days, 30 days, 12 months as a row of toggle buttons.
#[component]
fn PeriodChoice(props: &PeriodChoiceProps) -> Html {
    let buttons = Period::ALL.into_iter().map(|period| {
        let pressed = period == props.current;
        let onclick = {
            let onchoose = props.onchoose.clone();
            Callback::from(move |_: MouseEvent| onchoose.emit(period))
        };
        let title = match &props.zone {
            Some(zone) => format!("{} (days in {zone} time)", period_label(period)),
            None => period_label(period).to_owned(),
        };
        html! {
            <button type="button" class={classes!("period", pressed.then_some("active"))}
                aria-pressed={pressed.to_string()} title={title}
                data-testid={format!("period-{}", period.as_str())} onclick={onclick}>
                {period_choice(period)}
            </button>
        }
    });
    html! {
        <div class="period-choice" role="group" aria-label="Period" data-testid="period-choice">
            {for buttons}
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DashboardBodyProps {
    stats: Rc<DashboardStats>,
    open_pending: Callback<MouseEvent>,
    open_sales: Callback<MouseEvent>,
}

/// Marks, once per page load, when figures were first on screen (`performance.now()` on
/// `<html data-dashboard-shown-ms>`), for the start-up benchmark (`offline_start`).
fn mark_first_shown() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let at = window.performance().map_or(0.0, |p| p.now());
    if let Some(root) = window.document().and_then(|d| d.document_element())
        && !root.has_attribute("data-dashboard-shown-ms")
    {
        let _ = root.set_attribute("data-dashboard-shown-ms", &format!("{at:.0}"));
    }
}

#[component]
fn DashboardBody(props: &DashboardBodyProps) -> Html {
    // After the first commit of figures: they are in the DOM.
    use_effect_with((), |()| mark_first_shown());
    let stats = &props.stats;
    let pending_hint = match stats.pending_orders {
        0 => "Nothing waiting",
        _ => "Review and confirm →",
    };
    html! {
        <div class="dashboard-body" data-period={stats.period.as_str()}>
            <div class="stats">
                <StatCard label="Revenue" value={stats.revenue.to_string()} testid="stat-revenue" />
                <StatCard label="Sales" value={format::count(stats.sales_count)} testid="stat-sales"
                    hint="orders placed" onclick={props.open_sales.clone()} />
                <StatCard label="Average order" value={stats.average_order_value.to_string()}
                    testid="stat-aov" />
                <StatCard label="Visitors" value={format::count(stats.visitors)}
                    testid="stat-visitors" />
                <StatCard label="Conversion"
                    value={format::conversion(stats.conversion_rate_bp, stats.visitors)}
                    hint={if stats.visitors == 0 { "no visitors yet" } else { "orders per visitor" }}
                    testid="stat-conversion" />
                <StatCard label="Pending orders" value={format::count(stats.pending_orders)}
                    testid="stat-pending" hint={pending_hint} accent={stats.pending_orders > 0}
                    onclick={props.open_pending.clone()} />
            </div>
            <div class="panels">
                <RevenueChart stats={Rc::clone(stats)} />
                <TopProducts products={Rc::new(stats.top_products.clone())} />
            </div>
        </div>
    }
}

#[component]
fn Loading() -> Html {
    html! {
        <div class="stats" aria-busy="true" aria-label="Loading the dashboard">
            {for (0..6).map(|_| html! { <div class="stat skeleton"></div> })}
        </div>
    }
}
