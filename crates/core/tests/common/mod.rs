//! Test doubles shared by the core's integration tests: an in-process [`FakeSource`] whose
//! answers, failures and latency the test scripts on tokio's clock, and contract builders;
//! [`shop`] is the real reference server for the tests that talk HTTP.

#![allow(dead_code, clippy::unwrap_used)]

pub mod shop;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use futures::future::BoxFuture;
use sellerdash_api::{
    Currency, Customer, DashboardQuery, DashboardStats, Delivery, DeliveryStatus, Money, Order,
    OrderPage, OrderQuery, OrderStatus, OrderSummary, Payment, PaymentMethod, PaymentStatus,
    PayoutHistory, PayoutHistoryQuery, PayoutSchedule, PayoutStats, Period,
};
use sellerdash_core::{CoreEvent, Source, SourceError, SourceResult};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Dashboard,
    Pending,
    Sales,
    Order,
    PayoutStats,
    PayoutHistory,
    Confirm,
    Cancel,
}

#[derive(Default)]
struct State {
    pending: Vec<OrderSummary>,
    /// Windows `[from, to)` of seconds since start in which every query fails.
    failing: Vec<(Duration, Duration)>,
    error: Option<SourceError>,
    /// When set, only calls of this kind fail in the windows.
    failing_call: Option<Call>,
    delay: Duration,
    calls: Vec<(Call, Duration)>,
    /// Sales calls by status filter ("" for every status), order calls by id.
    detailed: Vec<(Call, String, Duration)>,
    dashboard_serial: u64,
}

/// A marketplace in memory. Answers are computed when a call starts, then delayed.
pub struct FakeSource {
    start: Instant,
    state: Mutex<State>,
}

pub fn at(secs: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap() + chrono::Duration::seconds(secs as i64)
}

pub fn summary(id: &str, created_secs: u64) -> OrderSummary {
    OrderSummary {
        id: id.to_owned(),
        status: OrderStatus::Pending,
        customer_name: format!("buyer of {id}"),
        item_count: 1,
        total: Money::new(1250, Currency::EUR),
        payment_status: PaymentStatus::Paid,
        delivery_status: DeliveryStatus::NotShipped,
        created_at: at(created_secs),
        updated_at: at(created_secs),
    }
}

pub fn order_from(summary: &OrderSummary) -> Order {
    Order {
        id: summary.id.clone(),
        status: summary.status,
        customer: Customer {
            name: summary.customer_name.clone(),
            email: "buyer@example.com".into(),
            city: "Lyon".into(),
            country: "FR".into(),
        },
        items: Vec::new(),
        subtotal: summary.total,
        shipping: Money::zero(Currency::EUR),
        total: summary.total,
        payment: Payment {
            status: summary.payment_status,
            method: PaymentMethod::Card,
            paid_at: None,
        },
        delivery: Delivery {
            status: summary.delivery_status,
            carrier: None,
            tracking_number: None,
            events: Vec::new(),
        },
        feedback: None,
        timeline: Vec::new(),
        cancel_reason: None,
        created_at: summary.created_at,
        updated_at: summary.updated_at,
    }
}

pub fn dashboard(serial: u64, pending: u64) -> DashboardStats {
    DashboardStats {
        period: Period::Days30,
        time_zone: "UTC".to_owned(),
        period_start: at(0),
        sales_count: serial,
        revenue: Money::new(100 * serial as i64, Currency::EUR),
        visitors: 10,
        conversion_rate_bp: 250,
        average_order_value: Money::new(100, Currency::EUR),
        pending_orders: pending,
        top_products: Vec::new(),
        monthly: Vec::new(),
        monthly_growth_bp: None,
        series: Vec::new(),
        previous_revenue: Money::new(0, Currency::EUR),
        change_bp: None,
        generated_at: at(serial),
    }
}

impl FakeSource {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            start: Instant::now(),
            state: Mutex::new(State::default()),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    pub fn set_pending(&self, orders: Vec<OrderSummary>) {
        self.with(|s| s.pending = orders);
    }

    pub fn push_pending(&self, order: OrderSummary) {
        self.with(|s| s.pending.insert(0, order));
    }

    pub fn set_status(&self, id: &str, status: OrderStatus) {
        self.with(|s| {
            s.pending
                .iter_mut()
                .filter(|o| o.id == id)
                .for_each(|o| o.status = status)
        });
    }

    /// Every query fails with `error` for calls starting in `[from, to)` seconds.
    pub fn fail_between(&self, from: f64, to: f64, error: SourceError) {
        self.with(|s| {
            s.failing
                .push((Duration::from_secs_f64(from), Duration::from_secs_f64(to)));
            s.error = Some(error);
        });
    }

    /// Only calls of `call` fail in the failure windows.
    pub fn only_fail(&self, call: Call) {
        self.with(|s| s.failing_call = Some(call));
    }

    /// Every call fails in the failure windows again.
    pub fn fail_every_call(&self) {
        self.with(|s| s.failing_call = None);
    }

    pub fn set_delay(&self, delay: Duration) {
        self.with(|s| s.delay = delay);
    }

    /// Start times (seconds since the source was made) of the calls of one kind.
    pub fn calls(&self, call: Call) -> Vec<f64> {
        self.with(|s| {
            s.calls
                .iter()
                .filter(|(c, _)| *c == call)
                .map(|(_, t)| t.as_secs_f64())
                .collect()
        })
    }

    /// Start times of the calls of one kind with one detail (a status filter, an id).
    pub fn calls_for(&self, call: Call, detail: &str) -> Vec<f64> {
        self.with(|s| {
            s.detailed
                .iter()
                .filter(|(c, d, _)| *c == call && d == detail)
                .map(|(_, _, t)| t.as_secs_f64())
                .collect()
        })
    }

    fn begin_detailed(&self, call: Call, detail: &str) -> (Option<SourceError>, Duration) {
        let now = self.start.elapsed();
        self.with(|s| s.detailed.push((call, detail.to_owned(), now)));
        self.begin(call)
    }

    fn begin(&self, call: Call) -> (Option<SourceError>, Duration) {
        let now = self.start.elapsed();
        self.with(|s| {
            s.calls.push((call, now));
            let failing = s.failing.iter().any(|(from, to)| *from <= now && now < *to)
                && s.failing_call.is_none_or(|only| only == call);
            (if failing { s.error.clone() } else { None }, s.delay)
        })
    }

    fn pending_page(&self) -> OrderPage {
        self.with(|s| {
            let orders: Vec<_> = s
                .pending
                .iter()
                .filter(|o| o.status == OrderStatus::Pending)
                .cloned()
                .collect();
            OrderPage {
                total: orders.len() as u64,
                orders,
                page: 1,
                per_page: OrderQuery::MAX_PER_PAGE,
            }
        })
    }

    async fn answer<T>(&self, call: Call, make: impl FnOnce() -> T) -> SourceResult<T> {
        self.answer_with(self.begin(call), || Ok(make())).await
    }

    async fn answer_with<T>(
        &self,
        (error, delay): (Option<SourceError>, Duration),
        make: impl FnOnce() -> SourceResult<T>,
    ) -> SourceResult<T> {
        let answer = match error {
            Some(error) => Err(error),
            None => make(),
        };
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        answer
    }

    fn set_order_status(&self, id: &str, status: OrderStatus) -> SourceResult<Order> {
        self.with(|s| {
            let order = s
                .pending
                .iter_mut()
                .find(|o| o.id == id)
                .ok_or(SourceError::NotFound(id.to_owned()))?;
            if order.status != OrderStatus::Pending {
                return Err(SourceError::Conflict("order is not pending".into()));
            }
            order.status = status;
            Ok(order_from(order))
        })
    }
}

impl Source for FakeSource {
    fn list_orders<'a>(&'a self, query: &'a OrderQuery) -> BoxFuture<'a, SourceResult<OrderPage>> {
        let filter = query.status.clone().unwrap_or_default();
        let begun = self.begin_detailed(Call::Sales, &filter);
        let statuses = query.statuses().unwrap();
        Box::pin(self.answer_with(begun, move || {
            let orders: Vec<_> = self.with(|s| {
                s.pending
                    .iter()
                    .filter(|o| statuses.is_empty() || statuses.contains(&o.status))
                    .cloned()
                    .collect()
            });
            Ok(OrderPage {
                total: orders.len() as u64,
                orders,
                page: 1,
                per_page: OrderQuery::MAX_PER_PAGE,
            })
        }))
    }

    fn pending_orders(&self, _page: u32, _per_page: u32) -> BoxFuture<'_, SourceResult<OrderPage>> {
        Box::pin(self.answer(Call::Pending, || self.pending_page()))
    }

    fn get_order<'a>(&'a self, id: &'a str) -> BoxFuture<'a, SourceResult<Order>> {
        let begun = self.begin_detailed(Call::Order, id);
        Box::pin(self.answer_with(begun, move || {
            self.with(|s| s.pending.iter().find(|o| o.id == id).map(order_from))
                .ok_or(SourceError::NotFound(id.to_owned()))
        }))
    }

    fn dashboard_stats(
        &self,
        _query: DashboardQuery,
    ) -> BoxFuture<'_, SourceResult<DashboardStats>> {
        Box::pin(self.answer(Call::Dashboard, || {
            let pending = self.pending_page().total;
            let serial = self.with(|s| {
                s.dashboard_serial += 1;
                s.dashboard_serial
            });
            dashboard(serial, pending)
        }))
    }

    fn payout_stats(&self) -> BoxFuture<'_, SourceResult<PayoutStats>> {
        Box::pin(self.answer(Call::PayoutStats, || PayoutStats {
            available: Money::new(1000, Currency::EUR),
            pending: Money::new(500, Currency::EUR),
            next_payout_date: at(0).date_naive(),
            schedule: PayoutSchedule::Weekly,
            lifetime_paid: Money::new(9000, Currency::EUR),
        }))
    }

    fn payout_history(
        &self,
        _query: PayoutHistoryQuery,
    ) -> BoxFuture<'_, SourceResult<PayoutHistory>> {
        Box::pin(self.answer(Call::PayoutHistory, || PayoutHistory {
            payouts: Vec::new(),
            total_paid: Money::zero(Currency::EUR),
        }))
    }

    fn confirm<'a>(&'a self, id: &'a str, _key: &'a str) -> BoxFuture<'a, SourceResult<Order>> {
        self.with(|s| s.calls.push((Call::Confirm, self.start.elapsed())));
        Box::pin(async move { self.set_order_status(id, OrderStatus::Confirmed) })
    }

    fn cancel<'a>(
        &'a self,
        id: &'a str,
        _reason: &'a str,
        _key: &'a str,
    ) -> BoxFuture<'a, SourceResult<Order>> {
        self.with(|s| s.calls.push((Call::Cancel, self.start.elapsed())));
        Box::pin(async move { self.set_order_status(id, OrderStatus::Cancelled) })
    }
}

/// Every event received so far.
pub fn drain(events: &mut UnboundedReceiver<CoreEvent>) -> Vec<CoreEvent> {
    let mut out = Vec::new();
    while let Ok(event) = events.try_recv() {
        out.push(event);
    }
    out
}

/// The ids of each `NewPendingOrders` event, with its `while_away` flag.
pub fn alerts(events: &[CoreEvent]) -> Vec<(Vec<String>, bool)> {
    events
        .iter()
        .filter_map(|e| match e {
            CoreEvent::NewPendingOrders(n) => Some((
                n.orders.iter().map(|o| o.id.clone()).collect(),
                n.while_away,
            )),
            _ => None,
        })
        .collect()
}

/// Sleeps on tokio's (paused) clock until `secs` after `start`.
pub async fn until(start: Instant, secs: f64) {
    tokio::time::sleep_until(start + Duration::from_secs_f64(secs)).await;
}
