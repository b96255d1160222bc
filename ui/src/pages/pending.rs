//! The orders waiting for the seller's confirmation: a live work queue with Confirm and
//! Cancel (with a reason), plus loading, empty and error states.
//!
//! Order: oldest first by default (the longest-waiting order is the most urgent), with a
//! switch to newest first. The core fetches the newest page the contract allows (200); when
//! the server counts more, the page says how many older orders are not listed and opens them
//! in Sales.
//!
//! Arrivals: an order that shows up after the page first saw the list is marked "New" with a
//! soft accent background that fades over [`HIGHLIGHT`]. What counts as seen lives for the
//! whole session ([`Arrivals`]), so leaving the page and coming back re-highlights nothing;
//! orders present on the first load are never highlighted.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::{DateTime, TimeDelta, Utc};
use sellerdash_api::{OrderPage, OrderStatus, OrderSummary};
use sellerdash_state::QueryKey;
use yew::prelude::*;

use crate::components::{PendingRow, QueryPage};
use crate::format;
use crate::hooks::{open_order_from, queued_for, use_app, use_now, use_outbox, use_query};
use crate::state::{Action, Page, SalesFilter};
use crate::time;

/// How long a newly arrived order stays highlighted.
pub const HIGHLIGHT: TimeDelta = TimeDelta::seconds(10);

/// Which pending orders the seller has already been shown, for the whole session.
#[derive(Debug, Default)]
pub struct Arrivals {
    /// The newest `created_at` of the first list seen; `None` before it.
    baseline: Option<DateTime<Utc>>,
    /// Orders that arrived after the baseline: when the page first showed them.
    arrived: HashMap<String, DateTime<Utc>>,
}

impl Arrivals {
    /// Takes note of a list shown at `now`. The first list is the baseline (nothing in it
    /// is new). Later, an order created after the baseline and not seen before has arrived
    /// now. Orders older than the baseline that come into view (the list is capped and older
    /// orders move up as others are confirmed) were already waiting: not new.
    pub fn observe<'a>(
        &mut self,
        orders: impl Iterator<Item = &'a OrderSummary>,
        now: DateTime<Utc>,
    ) {
        let orders: Vec<&OrderSummary> = orders.collect();
        let Some(baseline) = self.baseline else {
            self.baseline = Some(
                orders
                    .iter()
                    .map(|order| order.created_at)
                    .max()
                    .unwrap_or(DateTime::<Utc>::MIN_UTC),
            );
            return;
        };
        for order in orders {
            if order.created_at > baseline {
                self.arrived.entry(order.id.clone()).or_insert(now);
            }
        }
    }

    /// Whether `id` arrived less than [`HIGHLIGHT`] before `now`.
    pub fn is_new(&self, id: &str, now: DateTime<Utc>) -> bool {
        self.arrived.get(id).is_some_and(|at| now - *at < HIGHLIGHT)
    }
}

thread_local! {
    static ARRIVALS: RefCell<Arrivals> = RefCell::new(Arrivals::default());
}

/// The list order the seller chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Sort {
    #[default]
    OldestFirst,
    NewestFirst,
}

thread_local! {
    static SORT: std::cell::Cell<Sort> = const { std::cell::Cell::new(Sort::OldestFirst) };
}

/// How long the "Confirmed Ann's order …" toast stays.
const DONE_SHOWN: TimeDelta = TimeDelta::seconds(8);

#[component]
pub fn PendingPage() -> Html {
    let query = use_query::<OrderPage>(QueryKey::pending_orders());
    // The last action applied here (its row has left the list) and when.
    let done = use_state(|| None::<(String, DateTime<Utc>)>);
    let on_done = {
        let done = done.clone();
        Callback::from(move |text: String| done.set(Some((text, time::now()))))
    };
    let subtitle = match query.data.as_ref().map(|page| page.total) {
        Some(0) => "Nothing to confirm".to_owned(),
        Some(1) => "1 order waiting for confirmation".to_owned(),
        Some(total) => format!("{} orders waiting for confirmation", format::count(total)),
        None => "Orders waiting for your confirmation".to_owned(),
    };
    html! {
        <QueryPage testid="pending-page" title="Pending orders" subtitle={subtitle}
            query={query.key.clone()} snapshot={query.snapshot.clone()}
            error={query.error_message()} has_data={query.data.is_some()}>
            if let Some((text, at)) = &*done {
                <DoneToast text={text.clone()} at={*at} />
            }
            if let Some(page) = &query.data {
                <PendingList page={Rc::clone(page)} on_done={on_done} />
            } else if query.is_loading() {
                <ul class="card orders" aria-busy="true" aria-label="Loading pending orders"
                    data-testid="pending-loading">
                    {for (0..4).map(|_| html! {
                        <li class="order skeleton-row">
                            <span class="skeleton bar-wide"></span>
                            <span class="skeleton bar-narrow"></span>
                        </li>
                    })}
                </ul>
            }
        </QueryPage>
    }
}

#[derive(Properties, PartialEq)]
struct DoneToastProps {
    text: String,
    at: DateTime<Utc>,
}

/// "Confirmed Ann's order …" for [`DONE_SHOWN`] after `at`; its own clock, so only the
/// toast re-renders while it counts down.
#[component]
fn DoneToast(props: &DoneToastProps) -> Html {
    let now = use_now();
    if now - props.at >= DONE_SHOWN {
        return html! {};
    }
    html! {
        <p class="done-notice" role="status" data-testid="pending-done">
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M4 12.5l5 5L20 6.5" />
            </svg>
            {props.text.clone()}
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct PendingListProps {
    page: Rc<OrderPage>,
    on_done: Callback<String>,
}

#[component]
fn PendingList(props: &PendingListProps) -> Html {
    let now = use_now();
    let outbox = use_outbox();
    let app = use_app();
    let sort = use_state(|| SORT.with(std::cell::Cell::get));
    let page = &props.page;
    // Noted during render so the first frame that shows an arrival already highlights it.
    let seen_at = time::now();
    ARRIVALS.with(|arrivals| arrivals.borrow_mut().observe(page.orders.iter(), seen_at));
    if page.orders.is_empty() {
        return html! {
            <div class="card empty" data-testid="pending-empty">
                <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 12.5l5 5L20 6.5" />
                </svg>
                <p class="empty-title">{"No orders waiting for confirmation"}</p>
                <p class="muted">{"New orders show up here as soon as they are placed."}</p>
            </div>
        };
    }
    let mut orders: Vec<&OrderSummary> = page.orders.iter().collect();
    orders.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| b.id.cmp(&a.id))
    });
    if *sort == Sort::OldestFirst {
        orders.reverse();
    }
    let now_for_new = now.max(seen_at);
    let new_ids: Vec<String> = ARRIVALS.with(|arrivals| {
        let arrivals = arrivals.borrow();
        orders
            .iter()
            .filter(|order| arrivals.is_new(&order.id, now_for_new))
            .map(|order| order.id.clone())
            .collect()
    });
    let shown = u64::try_from(page.orders.len()).unwrap_or(u64::MAX);
    let missing = page.total.saturating_sub(shown);
    let choose = |choice: Sort| {
        let sort = sort.clone();
        Callback::from(move |_: MouseEvent| {
            SORT.with(|cell| cell.set(choice));
            sort.set(choice);
        })
    };
    let open_in_sales = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(app) = &app {
                app.dispatch(Action::SetSalesFilter(SalesFilter::Status(
                    OrderStatus::Pending,
                )));
                app.dispatch(Action::Navigate(Page::Sales));
            }
        })
    };
    let open = {
        let app = app.clone();
        Callback::from(move |id: String| {
            if let Some(app) = &app {
                open_order_from(app, &id, Page::Pending);
            }
        })
    };
    let sort_button = |choice: Sort, label: &'static str, testid: &'static str| {
        let selected = *sort == choice;
        html! {
            <button type="button" class={classes!("chip", selected.then_some("selected"))}
                data-testid={testid} aria-pressed={selected.to_string()} onclick={choose(choice)}>
                {label}
            </button>
        }
    };
    html! {
        <>
            <div class="list-bar">
                <span class="muted" data-testid="pending-total" data-total={page.total.to_string()}>
                    {format!("{} pending", format::count(page.total))}
                    if missing > 0 {
                        {format!(" · newest {} listed", format::count(shown))}
                    }
                    if let Some(oldest) = page.orders.iter().map(|o| o.created_at).min() {
                        {format!(" · the oldest {}placed {} ago",
                            if missing > 0 { "listed " } else { "" }, time::age(oldest, now))}
                    }
                </span>
                if !new_ids.is_empty() {
                    <span class="badge info" role="status" data-testid="pending-new-count">
                        {format::plural(u64::try_from(new_ids.len()).unwrap_or(0), "new order", "new orders")}
                    </span>
                }
                <span class="spacer"></span>
                <div class="chips" role="group" aria-label="Sort">
                    {sort_button(Sort::OldestFirst, "Oldest first", "pending-sort-oldest")}
                    {sort_button(Sort::NewestFirst, "Newest first", "pending-sort-newest")}
                </div>
            </div>
            if missing > 0 {
                <div class="banner banner-warn" data-testid="pending-truncated" role="note">
                    <div>
                        <strong>
                            {format!("{} older pending {} not listed here.",
                                format::count(missing),
                                if missing == 1 { "order is" } else { "orders are" })}
                        </strong>
                        <span class="banner-detail">
                            {format!(" This list holds the newest {}; the oldest have waited longest. ",
                                format::count(shown))}
                        </span>
                        <button type="button" class="link" onclick={open_in_sales}>
                            {"See every pending order in Sales"}
                        </button>
                    </div>
                </div>
            }
            <ul class="card orders" data-testid="pending-list">
                {for orders.iter().map(|order| html! {
                    <PendingRow key={order.id.clone()} order={(*order).clone()}
                        now={now} arrived={new_ids.contains(&order.id)} on_open={open.clone()}
                        queued={queued_for(&outbox, &order.id).cloned()}
                        on_done={props.on_done.clone()} />
                })}
            </ul>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerdash_api::{Currency, DeliveryStatus, Money, PaymentStatus};

    fn order(id: &str, created_secs: i64) -> OrderSummary {
        let at = DateTime::from_timestamp(1_800_000_000 + created_secs, 0).unwrap_or_default();
        OrderSummary {
            id: id.into(),
            status: OrderStatus::Pending,
            customer_name: "Ann".into(),
            item_count: 1,
            total: Money::new(1_000, Currency::EUR),
            payment_status: PaymentStatus::Paid,
            delivery_status: DeliveryStatus::NotShipped,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn only_orders_after_the_first_list_are_new_and_only_for_a_while() {
        let t0 = DateTime::from_timestamp(1_800_000_100, 0).unwrap_or_default();
        let mut arrivals = Arrivals::default();
        let first = [order("o-1", 0), order("o-2", 10)];
        arrivals.observe(first.iter(), t0);
        assert!(!arrivals.is_new("o-1", t0) && !arrivals.is_new("o-2", t0));

        // A new order, and an older one that moved into the capped list: only the first is new.
        let later = [
            order("o-0", -50),
            order("o-1", 0),
            order("o-2", 10),
            order("o-3", 20),
        ];
        let t1 = t0 + TimeDelta::seconds(5);
        arrivals.observe(later.iter(), t1);
        assert!(arrivals.is_new("o-3", t1));
        assert!(!arrivals.is_new("o-0", t1));

        // Seen again later (the page was left and reopened): its arrival time stays.
        let t2 = t1 + TimeDelta::seconds(9);
        arrivals.observe(later.iter(), t2);
        assert!(arrivals.is_new("o-3", t2));
        assert!(!arrivals.is_new("o-3", t1 + HIGHLIGHT));
    }

    #[test]
    fn an_empty_first_list_makes_every_later_order_new() {
        let t0 = DateTime::from_timestamp(1_800_000_100, 0).unwrap_or_default();
        let mut arrivals = Arrivals::default();
        arrivals.observe(std::iter::empty(), t0);
        arrivals.observe([order("o-9", 50)].iter(), t0);
        assert!(arrivals.is_new("o-9", t0));
    }
}
