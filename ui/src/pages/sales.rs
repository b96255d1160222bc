//! Sales: every order, newest first, one server page of 50 at a time (so 10,000 orders stay
//! smooth), filtered by status (or the "Active" group) and searched by order id or customer
//! (debounced), with payment and delivery badges, the list's adaptive refresh interval and a
//! CSV export of the whole filter. A row opens the order's details.
//!
//! The table carries its render timing for the benchmark: `data-first-rows-ms` (page mount
//! to the first rows in the DOM), `data-render-ms` (the list's last `query-updated` event to
//! its render being committed) and `data-top-change-ms` with `data-top-id` (the same, for
//! the last render that put a new order on top).

use std::cell::Cell;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use gloo::timers::callback::Timeout;
use sellerdash_api::{OrderPage as OrderList, OrderQuery, OrderSummary};
use sellerdash_state::{QueryKey, QuerySnapshot, SALES_PAGE_SIZE};
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use crate::components::{Badge, ExportButton, ExportRequest, QueryPage};
use crate::format;
use crate::hooks::{use_app, use_now, use_query};
use crate::state::{Action, Page, SalesFilter};
use crate::{shell, tauri, time};

/// How long the search waits after the last key before it asks the server.
const SEARCH_DEBOUNCE_MS: u32 = 300;

/// The search field's `maxlength`: the server's limit. The browser counts UTF-16 units, the
/// server characters, so the field never lets through more than the server takes.
const SEARCH_MAX_LENGTH: usize = OrderQuery::MAX_SEARCH_CHARS;

/// `performance.now()` in milliseconds (0 without a window).
fn perf_now() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// Milliseconds from `since` (a `performance.now()`) until now. Timing only: the one place
/// this UI does float arithmetic, and never with money.
#[allow(clippy::float_arithmetic)]
fn elapsed_ms(since: f64) -> f64 {
    perf_now() - since
}

/// When the last `query-updated` event for `key` arrived (`performance.now()`), for the
/// render timing. Registered before the page's `use_query`, so it hears the event first.
#[hook]
fn use_event_clock(key: QueryKey) -> Rc<Cell<f64>> {
    let clock = use_memo((), |_| Rc::new(Cell::new(0.0f64)));
    {
        let clock = Rc::clone(&clock);
        use_effect_with(key, move |key| {
            let key = key.clone();
            let subscription = tauri::listen::<KeyOnly>(shell::QUERY_UPDATED, move |update| {
                if update.key == key {
                    clock.set(perf_now());
                }
            });
            move || drop(subscription)
        });
    }
    Rc::clone(&clock)
}

/// The key of a `query-updated` payload (the rest is ignored).
#[derive(serde::Deserialize)]
struct KeyOnly {
    key: QueryKey,
}

#[component]
pub fn SalesPage() -> Html {
    let app = use_app();
    let filter = app.as_ref().map(|app| app.sales_filter).unwrap_or_default();
    let search = app
        .as_ref()
        .map(|app| app.sales_search.clone())
        .unwrap_or_default();
    let page_no = app.as_ref().map_or(1, |app| app.sales_page());
    let key = QueryKey::sales_page(&filter.statuses(), &search, page_no);
    let mounted_at = use_memo((), |_| perf_now());
    let event_clock = use_event_clock(key.clone());
    let query = use_query::<OrderList>(key);
    let dispatch = {
        let app = app.clone();
        Callback::from(move |action: Action| {
            if let Some(app) = &app {
                app.dispatch(action);
            }
        })
    };

    // While another page or filter loads, the rows shown so far stay (dimmed).
    let previous = use_mut_ref(|| None::<Rc<OrderList>>);
    if let Some(data) = &query.data {
        *previous.borrow_mut() = Some(Rc::clone(data));
    }
    let shown = query.data.clone().or_else(|| previous.borrow().clone());
    let loading_other = query.data.is_none() && shown.is_some();

    // A page past the end (the list shrank) moves back to the last page.
    {
        let dispatch = dispatch.clone();
        let total = query.data.as_ref().map(|page| page.total);
        use_effect_with((total, page_no), move |(total, page_no)| {
            if let Some(total) = *total {
                let last = last_page(total);
                if *page_no > last {
                    dispatch.emit(Action::SetSalesPage(last));
                }
            }
        });
    }

    // Render timing, read by the benchmark through WebDriver.
    let table_ref = use_node_ref();
    // Turning the page (with the pager below the rows) starts the new page at its top.
    {
        let first = use_mut_ref(|| true);
        use_effect_with(page_no, move |_| {
            if !std::mem::replace(&mut *first.borrow_mut(), false)
                && let Some(window) = web_sys::window()
            {
                window.scroll_to_with_x_and_y(0.0, 0.0);
            }
        });
    }
    {
        let table_ref = table_ref.clone();
        let timing = use_mut_ref(RenderTiming::default);
        let mounted_at = *mounted_at;
        let clock = Rc::clone(&event_clock);
        use_effect_with(query.data.clone(), move |data| {
            if let (Some(data), Some(table)) = (data, table_ref.cast::<Element>()) {
                timing
                    .borrow_mut()
                    .committed(&table, data, mounted_at, clock.get());
            }
        });
    }

    let subtitle = subtitle(filter, &search, query.data.as_ref().map(|page| page.total));
    let tools = html! { <RefreshInterval snapshot={query.snapshot.clone()} /> };
    let open = {
        let dispatch = dispatch.clone();
        Callback::from(move |id: String| dispatch.emit(Action::Navigate(Page::Order(id))))
    };
    let on_filter = {
        let dispatch = dispatch.clone();
        Callback::from(move |filter| dispatch.emit(Action::SetSalesFilter(filter)))
    };
    let on_search = {
        let dispatch = dispatch.clone();
        Callback::from(move |text: String| dispatch.emit(Action::SetSalesSearch(text)))
    };
    let on_page = {
        let dispatch = dispatch.clone();
        Callback::from(move |page| dispatch.emit(Action::SetSalesPage(page)))
    };

    html! {
        <QueryPage testid="sales-page" title="Sales" subtitle={subtitle}
            query={query.key.clone()} snapshot={query.snapshot.clone()} tools={tools}
            error={query.error_message()} has_data={query.data.is_some()}>
            <div class="sales-controls">
                <SearchBox value={search.clone()} on_search={on_search.clone()} />
                <ExportButton testid="sales-export"
                    title="Save every order of this filter and search (all pages) as a CSV file"
                    request={ExportRequest::Sales { statuses: filter.statuses(), search: search.clone() }} />
                <FilterBar current={filter} on_change={on_filter} />
            </div>
            if let Some(page) = &shown {
                <SalesTable page={Rc::clone(page)} filter={filter} search={search.clone()}
                    page_no={page_no} loading={loading_other} open={open}
                    on_page={on_page} on_search={on_search} table_ref={table_ref}
                    list_key={query.key.to_string()} />
            } else if query.is_loading() {
                <div class="card list-skeleton" aria-busy="true" data-testid="sales-loading">
                    <p class="muted">{"Loading orders…"}</p>
                </div>
            }
        </QueryPage>
    }
}

/// The last page of a list of `total` orders (1 for an empty list).
fn last_page(total: u64) -> u32 {
    let pages = total.div_ceil(u64::from(SALES_PAGE_SIZE)).max(1);
    u32::try_from(pages).unwrap_or(u32::MAX)
}

fn subtitle(filter: SalesFilter, search: &str, total: Option<u64>) -> String {
    let search = search.trim();
    let Some(total) = total else {
        return "Every order of your shop, newest first".to_owned();
    };
    let mut parts = vec![format::plural(total, "order", "orders")];
    if filter != SalesFilter::All {
        parts.push(filter.label().to_owned());
    }
    if !search.is_empty() {
        parts.push(format!("matching “{search}”"));
    }
    match (total, filter, search.is_empty()) {
        (0, SalesFilter::All, true) => "No orders yet".to_owned(),
        _ => parts.join(" · "),
    }
}

/// What the render timing remembers between commits.
#[derive(Default)]
struct RenderTiming {
    first_rows_done: bool,
    top_id: Option<String>,
    last_event: f64,
}

impl RenderTiming {
    /// The list's rows are in the DOM: writes the timing attributes on the table.
    fn committed(&mut self, table: &Element, data: &OrderList, mounted_at: f64, event_at: f64) {
        let set = |name: &str, ms: f64| {
            let _ = table.set_attribute(name, &format!("{ms:.1}"));
        };
        if !self.first_rows_done && !data.orders.is_empty() {
            self.first_rows_done = true;
            set("data-first-rows-ms", elapsed_ms(mounted_at));
        }
        let fresh_event = event_at > self.last_event;
        if fresh_event {
            self.last_event = event_at;
            set("data-render-ms", elapsed_ms(event_at));
        }
        let top = newest(data).map(|order| order.id.clone());
        if top != self.top_id {
            if fresh_event && self.top_id.is_some() {
                set("data-top-change-ms", elapsed_ms(event_at));
                let _ = table.set_attribute("data-top-id", top.as_deref().unwrap_or(""));
            }
            self.top_id = top;
        }
    }
}

/// The newest order of a page.
fn newest(page: &OrderList) -> Option<&OrderSummary> {
    page.orders.iter().max_by_key(|order| order.created_at)
}

#[derive(Properties, PartialEq)]
struct SearchBoxProps {
    /// The search in force.
    value: String,
    on_search: Callback<String>,
}

/// The search field: the list follows it 300 ms after the last key (Enter at once, Escape
/// clears).
#[component]
fn SearchBox(props: &SearchBoxProps) -> Html {
    let text = use_state(|| props.value.clone());
    let timer = use_mut_ref(|| None::<Timeout>);
    // The search changed elsewhere (the empty state's "Clear the search"): show it.
    {
        let (text, timer) = (text.clone(), Rc::clone(&timer));
        use_effect_with(props.value.clone(), move |value| {
            if text.trim() != value.trim() {
                timer.borrow_mut().take();
                text.set(value.clone());
            }
        });
    }
    let commit = {
        let (timer, on_search) = (Rc::clone(&timer), props.on_search.clone());
        Rc::new(move |value: String| {
            timer.borrow_mut().take();
            on_search.emit(value);
        })
    };
    let oninput = {
        let (text, timer, on_search) = (text.clone(), Rc::clone(&timer), props.on_search.clone());
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            text.set(value.clone());
            let on_search = on_search.clone();
            // Replacing the timer drops (cancels) the previous one.
            *timer.borrow_mut() = Some(Timeout::new(SEARCH_DEBOUNCE_MS, move || {
                on_search.emit(value);
            }));
        })
    };
    let onkeydown = {
        let (text, commit) = (text.clone(), Rc::clone(&commit));
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => commit((*text).clone()),
            "Escape" if !text.is_empty() => {
                text.set(String::new());
                commit(String::new());
            }
            _ => {}
        })
    };
    let clear = {
        let (text, commit) = (text.clone(), Rc::clone(&commit));
        Callback::from(move |_: MouseEvent| {
            text.set(String::new());
            commit(String::new());
        })
    };
    html! {
        <div class="search" role="search">
            <label class="sr-only" for="sales-search">{"Search orders"}</label>
            <input id="sales-search" type="search" class="search-input" data-testid="sales-search"
                placeholder="Search order id or customer" autocomplete="off" spellcheck="false"
                maxlength={SEARCH_MAX_LENGTH.to_string()}
                value={(*text).clone()} oninput={oninput} onkeydown={onkeydown} />
            if !text.is_empty() {
                <button type="button" class="search-clear" data-testid="sales-search-clear"
                    aria-label="Clear the search" title="Clear the search" onclick={clear}>
                    {"×"}
                </button>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RefreshIntervalProps {
    snapshot: Option<Rc<QuerySnapshot>>,
}

/// "Refreshing every 5 s": the interval the core chose for the list's current data.
#[component]
fn RefreshInterval(props: &RefreshIntervalProps) -> Html {
    // Before the first answer the interval is not chosen yet (it follows the list's data).
    let Some(snapshot) = props.snapshot.as_ref().filter(|s| s.data.is_some()) else {
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
    search: String,
    /// The page asked for (the rows may still be another page's while it loads).
    page_no: u32,
    /// The rows are the previous list's; the asked-for one is loading.
    loading: bool,
    open: Callback<String>,
    on_page: Callback<u32>,
    on_search: Callback<String>,
    table_ref: NodeRef,
    /// The key of the list the rows belong to (`data-key`), once loaded.
    list_key: String,
}

#[component]
fn SalesTable(props: &SalesTableProps) -> Html {
    let now = use_now();
    let page = &props.page;
    if page.orders.is_empty() && !props.loading && page.total == 0 {
        return empty_state(props.filter, &props.search, &props.on_search);
    }
    // The contract sends newest first; a stable sort keeps it so whatever the server did.
    let mut orders: Vec<&OrderSummary> = page.orders.iter().collect();
    orders.sort_by_key(|order| std::cmp::Reverse(order.created_at));
    html! {
        <>
            <div class={classes!("card", "table-card", props.loading.then_some("loading-rows"))}
                aria-busy={props.loading.to_string()}>
                <table class="table sales-table" ref={props.table_ref.clone()}
                    data-testid="sales-table" data-key={props.list_key.clone()}
                    data-loading={props.loading.to_string()}>
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
            <Pager page={Rc::clone(page)} page_no={props.page_no} on_page={props.on_page.clone()} />
        </>
    }
}

/// "No orders match “xyz”", with a way out.
fn empty_state(filter: SalesFilter, search: &str, on_search: &Callback<String>) -> Html {
    let search = search.trim();
    let (title, hint) = match (filter, search.is_empty()) {
        (SalesFilter::All, true) => (
            "No orders yet".to_owned(),
            "Orders show up here as soon as buyers place them.",
        ),
        (filter, true) => (
            format!("No orders with the status “{}”", filter.label()),
            "Pick another status to see more orders.",
        ),
        (SalesFilter::All, false) => (
            format!("No orders match “{search}”"),
            "Search looks at order ids and customer names.",
        ),
        (filter, false) => (
            format!(
                "No {} orders match “{search}”",
                filter.label().to_lowercase()
            ),
            "Search looks at order ids and customer names.",
        ),
    };
    let clear = {
        let on_search = on_search.clone();
        Callback::from(move |_: MouseEvent| on_search.emit(String::new()))
    };
    html! {
        <div class="card empty" data-testid="sales-empty">
            <p class="empty-title">{title}</p>
            <p class="muted">{hint}</p>
            if !search.is_empty() {
                <button type="button" class="btn" data-testid="sales-empty-clear" onclick={clear}>
                    {"Clear the search"}
                </button>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PagerProps {
    page: Rc<OrderList>,
    page_no: u32,
    on_page: Callback<u32>,
}

/// "1–50 of 10,000" with Previous and Next (real buttons: Tab reaches them, Enter or Space
/// turns the page).
#[component]
fn Pager(props: &PagerProps) -> Html {
    let page = &props.page;
    let per_page = u64::from(page.per_page.max(1));
    let first = u64::from(page.page.saturating_sub(1)) * per_page;
    let shown = u64::try_from(page.orders.len()).unwrap_or(u64::MAX);
    let range = if shown == 0 {
        format!("0 of {}", format::count(page.total))
    } else {
        format!(
            "{}–{} of {}",
            format::count(first + 1),
            format::count(first + shown),
            format::count(page.total)
        )
    };
    let last = last_page(page.total);
    let go = |to: u32| {
        let on_page = props.on_page.clone();
        Callback::from(move |_: MouseEvent| on_page.emit(to))
    };
    let at = props.page_no;
    html! {
        <nav class="pager" aria-label="Pages of orders">
            <button type="button" class="btn" data-testid="sales-prev" disabled={at <= 1}
                onclick={go(at.saturating_sub(1).max(1))} aria-label="Previous page">
                {"‹ Previous"}
            </button>
            <span class="pager-range" data-testid="sales-range" aria-live="polite"
                title={format!("Page {} of {}", format::count(u64::from(page.page)),
                    format::count(u64::from(last)))}>
                {range}
            </span>
            <button type="button" class="btn" data-testid="sales-next" disabled={at >= last}
                onclick={go(at.saturating_add(1).min(last))} aria-label="Next page">
                {"Next ›"}
            </button>
        </nav>
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
            data-total-minor={order.total.amount_minor.to_string()} onclick={onclick}>
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
            <td class="num">{format::count(u64::from(order.item_count))}</td>
            <td class="num strong" data-testid="sales-total">{order.total.to_string()}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_total() {
        assert_eq!(last_page(0), 1);
        assert_eq!(last_page(50), 1);
        assert_eq!(last_page(51), 2);
        assert_eq!(last_page(10_000), 200);
    }

    #[test]
    fn the_subtitle_says_what_is_listed() {
        use sellerdash_api::OrderStatus;
        assert_eq!(subtitle(SalesFilter::All, "", Some(0)), "No orders yet");
        assert_eq!(
            subtitle(
                SalesFilter::Status(OrderStatus::Pending),
                " ann ",
                Some(1_234)
            ),
            "1,234 orders · Pending · matching “ann”"
        );
    }
}
