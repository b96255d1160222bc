//! The dashboard: the period's headline figures (the sales count opens the Sales page, the
//! pending count the pending page), revenue by month with the monthly growth, and the top
//! products.

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

#[component]
pub fn DashboardPage() -> Html {
    let query = use_query::<DashboardStats>(QueryKey::dashboard());
    let app = use_app();
    let open = |page: Page| {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(app) = &app {
                app.dispatch(Action::Navigate(page.clone()));
            }
        })
    };
    let subtitle = query
        .data
        .as_ref()
        .map(|stats| period_label(stats.period))
        .unwrap_or("Your shop at a glance");

    html! {
        <QueryPage testid="dashboard" title="Dashboard" subtitle={subtitle}
            query={query.key.clone()} snapshot={query.snapshot.clone()}
            error={query.error_message()} has_data={query.data.is_some()}>
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
struct DashboardBodyProps {
    stats: Rc<DashboardStats>,
    open_pending: Callback<MouseEvent>,
    open_sales: Callback<MouseEvent>,
}

#[component]
fn DashboardBody(props: &DashboardBodyProps) -> Html {
    let stats = &props.stats;
    let pending_hint = match stats.pending_orders {
        0 => "Nothing waiting",
        _ => "Review and confirm →",
    };
    html! {
        <>
            <div class="stats">
                <StatCard label="Revenue" value={stats.revenue.to_string()} testid="stat-revenue" />
                <StatCard label="Sales" value={format::count(stats.sales_count)} testid="stat-sales"
                    hint="orders placed" onclick={props.open_sales.clone()} />
                <StatCard label="Average order" value={stats.average_order_value.to_string()} />
                <StatCard label="Visitors" value={format::count(stats.visitors)} />
                <StatCard label="Conversion" value={format::basis_points(stats.conversion_rate_bp)}
                    hint="orders per visitor" />
                <StatCard label="Pending orders" value={format::count(stats.pending_orders)}
                    testid="stat-pending" hint={pending_hint} accent={stats.pending_orders > 0}
                    onclick={props.open_pending.clone()} />
            </div>
            <div class="panels">
                <RevenueChart months={Rc::new(stats.monthly.clone())}
                    growth_bp={stats.monthly_growth_bp} />
                <TopProducts products={Rc::new(stats.top_products.clone())} />
            </div>
        </>
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
