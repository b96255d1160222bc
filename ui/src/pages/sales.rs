//! Sales: every order, newest first, filtered by status (or the "Active" group), with
//! payment and delivery badges and the list's adaptive refresh interval. A row opens the
//! order's details.

use std::rc::Rc;

use chrono::{DateTime, Utc};
use sellerdash_api::{OrderPage as OrderList, OrderSummary};
use sellerdash_state::{QueryKey, QuerySnapshot};
use yew::prelude::*;

use crate::components::{Badge, QueryPage};
use crate::format;
use crate::hooks::{use_app, use_now, use_query};
use crate::state::{Action, Page, SalesFilter};
use crate::time;

#[component]
pub fn SalesPage() -> Html {
    let app = use_app();
    let filter = app.as_ref().map(|app| app.sales_filter).unwrap_or_default();
    let query = use_query::<OrderList>(QueryKey::sales(&filter.statuses()));
    let set_filter = {
        let app = app.clone();
        Callback::from(move |filter: SalesFilter| {
            if let Some(app) = &app {
                app.dispatch(Action::SetSalesFilter(filter));
            }
        })
    };
    let open = Callback::from(move |id: String| {
        if let Some(app) = &app {
            app.dispatch(Action::Navigate(Page::Order(id)));
        }
    });
    let subtitle = match (filter, query.data.as_ref().map(|page| page.total)) {
        (SalesFilter::All, Some(0)) => "No orders yet".to_owned(),
        (_, Some(0)) => "No orders match this filter".to_owned(),
        (SalesFilter::All, Some(total)) => format::plural(total, "order", "orders"),
        (filter, Some(total)) => format!(
            "{} · {}",
            format::plural(total, "order", "orders"),
            filter.label()
        ),
        (_, None) => "Every order of your shop, newest first".to_owned(),
    };
    let tools = html! { <RefreshInterval snapshot={query.snapshot.clone()} /> };

    html! {
        <QueryPage testid="sales-page" title="Sales" subtitle={subtitle}
            query={query.key.clone()} snapshot={query.snapshot.clone()} tools={tools}
            error={query.error_message()} has_data={query.data.is_some()}>
            <FilterBar current={filter} on_change={set_filter} />
            if let Some(page) = &query.data {
                <SalesTable page={Rc::clone(page)} filter={filter} open={open} />
            } else if query.is_loading() {
                <div class="card list-skeleton" aria-busy="true">
                    <p class="muted">{"Loading orders…"}</p>
                </div>
            }
        </QueryPage>
    }
}

#[derive(Properties, PartialEq)]
struct RefreshIntervalProps {
    snapshot: Option<Rc<QuerySnapshot>>,
}

/// "Refreshing every 5 s": the interval the core chose for the list's current data.
#[component]
fn RefreshInterval(props: &RefreshIntervalProps) -> Html {
    let Some(snapshot) = &props.snapshot else {
        return html! {};
    };
    let (text, title) = match snapshot.refetch_interval_ms {
        Some(ms) => (
            format!("Refreshing every {}", format::interval(ms)),
            "Faster while orders are on their way, slower when nothing moves",
        ),
        None => (
            "Not refreshing automatically".to_owned(),
            "Use Refresh to update the list",
        ),
    };
    html! {
        <span class="interval" data-testid="refresh-interval" title={title}>{text}</span>
    }
}

#[derive(Properties, PartialEq)]
struct FilterBarProps {
    current: SalesFilter,
    on_change: Callback<SalesFilter>,
}

/// One toggle button per filter. The group and each button carry `data-testid="sales-filter"`;
/// buttons name their filter in `data-status` (`all`, `active`, or a status).
#[component]
fn FilterBar(props: &FilterBarProps) -> Html {
    let buttons = SalesFilter::choices().map(|filter| {
        let on_change = props.on_change.clone();
        let selected = filter == props.current;
        let title = (filter == SalesFilter::Active).then_some("Processing, shipped or in transit");
        html! {
            <button type="button" data-testid="sales-filter" data-status={filter.as_str()}
                class={classes!("chip", selected.then_some("selected"))}
                aria-pressed={selected.to_string()} title={title}
                onclick={Callback::from(move |_: MouseEvent| on_change.emit(filter))}>
                {filter.label()}
            </button>
        }
    });
    html! {
        <div class="chips" role="group" aria-label="Filter by status" data-testid="sales-filter">
            {for buttons}
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SalesTableProps {
    page: Rc<OrderList>,
    filter: SalesFilter,
    open: Callback<String>,
}

#[component]
fn SalesTable(props: &SalesTableProps) -> Html {
    let now = use_now();
    let page = &props.page;
    if page.orders.is_empty() {
        let text = match props.filter {
            SalesFilter::All => "No orders yet".to_owned(),
            filter => format!("No orders with the status “{}”", filter.label()),
        };
        return html! {
            <div class="card empty" data-testid="sales-empty">
                <p class="empty-title">{text}</p>
                <p class="muted">{"Orders show up here as soon as buyers place them."}</p>
            </div>
        };
    }
    // The contract sends newest first; a stable sort keeps it so whatever the server did.
    let mut orders: Vec<&OrderSummary> = page.orders.iter().collect();
    orders.sort_by_key(|order| std::cmp::Reverse(order.created_at));
    let shown = u64::try_from(orders.len()).unwrap_or(u64::MAX);
    html! {
        <>
            <div class="card table-card">
                <table class="table sales-table">
                    <thead>
                        <tr>
                            <th>{"Order"}</th>
                            <th>{"Customer"}</th>
                            <th>{"Placed"}</th>
                            <th>{"Status"}</th>
                            <th>{"Payment"}</th>
                            <th>{"Delivery"}</th>
                            <th class="num">{"Items"}</th>
                            <th class="num">{"Total"}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {for orders.into_iter().map(|order| html! {
                            <SalesRow key={order.id.clone()} order={order.clone()} now={now}
                                open={props.open.clone()} />
                        })}
                    </tbody>
                </table>
            </div>
            <p class="muted list-note" data-testid="sales-count">
                {format!("Showing {} of {}", format::count(shown),
                    format::plural(page.total, "order", "orders"))}
            </p>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SalesRowProps {
    order: OrderSummary,
    now: DateTime<Utc>,
    open: Callback<String>,
}

/// A clickable row; its order id is a real button, so the keyboard reaches every order
/// (the button's click bubbles to the row's handler).
#[component]
fn SalesRow(props: &SalesRowProps) -> Html {
    let order = &props.order;
    let onclick = {
        let (open, id) = (props.open.clone(), order.id.clone());
        Callback::from(move |_: MouseEvent| open.emit(id.clone()))
    };
    html! {
        <tr class="row-link" data-testid="sales-row" data-order-id={order.id.clone()}
            onclick={onclick}>
            <td>
                <button type="button" class="link order-id"
                    aria-label={format!("Open order {}", order.id)}>
                    {order.id.clone()}
                </button>
            </td>
            <td class="name" title={order.customer_name.clone()}>{order.customer_name.clone()}</td>
            <td class="nowrap" title={format!("{} ago", time::age(order.created_at, props.now))}>
                {time::local_moment(order.created_at, props.now)}
            </td>
            <td>
                <Badge label={format::order_status(order.status)}
                    tone={format::order_status_tone(order.status)} />
            </td>
            <td>
                <Badge label={format::payment_status(order.payment_status)}
                    tone={format::payment_status_tone(order.payment_status)} />
            </td>
            <td>
                <Badge label={format::delivery_status(order.delivery_status)}
                    tone={format::delivery_status_tone(order.delivery_status)} />
            </td>
            <td class="num">{order.item_count}</td>
            <td class="num strong">{order.total.to_string()}</td>
        </tr>
    }
}
