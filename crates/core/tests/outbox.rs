//! The action outbox on tokio's paused clock with an in-process marketplace that can be
//! made unreachable, that remembers idempotency keys like the reference server, and that
//! records every action it received: queued offline, replayed once and in order on
//! reconnect, rejections not retried, 5xx retried with backoff, an action left "sending" by a
//! killed app re-sent with its own key.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use common::{dashboard, order_from, summary};
use futures::future::BoxFuture;
use sellerdash_api::{
    DashboardQuery, DashboardStats, Money, Order, OrderPage, OrderQuery, OrderStatus, OrderSummary,
    PayoutHistory, PayoutHistoryQuery, PayoutSchedule, PayoutStats,
};
use sellerdash_core::{
    ActionOutcome, Core, CoreEvent, CoreHandle, ErrorKind, MemoryOutbox, MemoryStore, OutboxAction,
    OutboxState, OutboxStore, Policies, QueryKey, Source, SourceError, SourceResult, channel_sink,
};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

/// One action the marketplace received.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Received {
    verb: &'static str,
    order_id: String,
    key: String,
    /// Answered from the stored first response (the key was seen before).
    replayed: bool,
    at: Duration,
}

#[derive(Default)]
struct State {
    reachable: bool,
    orders: Vec<OrderSummary>,
    /// Answers to the next action requests, before the order is looked at.
    scripted: Vec<SourceError>,
    first_answers: HashMap<String, SourceResult<Order>>,
    received: Vec<Received>,
    /// When the first query succeeded after being unreachable.
    first_query_ok: Option<Duration>,
    /// Queries (not actions) answer a 500.
    queries_fail: bool,
    /// Queries answer this long after the marketplace read its state.
    query_delay: Duration,
}

/// A marketplace in memory that honours idempotency keys.
struct Market {
    start: Instant,
    state: Mutex<State>,
}

const REFUSED: &str = "the marketplace is not answering (connection refused)";

impl Market {
    fn new(pending: &[&str]) -> Arc<Self> {
        let orders = pending
            .iter()
            .enumerate()
            .map(|(i, id)| summary(id, i as u64))
            .collect();
        Arc::new(Self {
            start: Instant::now(),
            state: Mutex::new(State {
                reachable: true,
                orders,
                ..State::default()
            }),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    fn set_reachable(&self, reachable: bool) {
        self.with(|s| {
            s.reachable = reachable;
            s.first_query_ok = None;
        });
    }

    fn set_status(&self, id: &str, status: OrderStatus) {
        self.with(|s| {
            s.orders
                .iter_mut()
                .filter(|o| o.id == id)
                .for_each(|o| o.status = status)
        });
    }

    fn status(&self, id: &str) -> OrderStatus {
        self.with(|s| s.orders.iter().find(|o| o.id == id).unwrap().status)
    }

    fn script(&self, errors: Vec<SourceError>) {
        self.with(|s| s.scripted = errors);
    }

    fn received(&self) -> Vec<Received> {
        self.with(|s| s.received.clone())
    }

    async fn query<T>(&self, make: impl FnOnce(&State) -> T) -> SourceResult<T> {
        let now = self.start.elapsed();
        let (answer, delay) = self.with(|s| {
            let answer = if !s.reachable {
                Err(SourceError::Network(REFUSED.into()))
            } else if s.queries_fail {
                Err(SourceError::Server {
                    status: 500,
                    message: "internal error".into(),
                })
            } else {
                s.first_query_ok.get_or_insert(now);
                Ok(make(s))
            };
            (answer, s.query_delay)
        });
        tokio::time::sleep(delay).await;
        answer
    }

    fn act(&self, verb: &'static str, id: &str, key: &str, to: OrderStatus) -> SourceResult<Order> {
        let at = self.start.elapsed();
        self.with(|s| {
            if !s.reachable {
                return Err(SourceError::Network(REFUSED.into()));
            }
            if let Some(first) = s.first_answers.get(key) {
                let first = first.clone();
                s.received.push(Received {
                    verb,
                    order_id: id.to_owned(),
                    key: key.to_owned(),
                    replayed: true,
                    at,
                });
                return first;
            }
            s.received.push(Received {
                verb,
                order_id: id.to_owned(),
                key: key.to_owned(),
                replayed: false,
                at,
            });
            if !s.scripted.is_empty() {
                // A 5xx is not stored: the same key runs again next time.
                return Err(s.scripted.remove(0));
            }
            let answer = match s.orders.iter_mut().find(|o| o.id == id) {
                None => Err(SourceError::NotFound(format!("no order {id}"))),
                Some(order) if order.status != OrderStatus::Pending => Err(SourceError::Conflict(
                    format!("order {id} is {}, not pending", order.status.as_str()),
                )),
                Some(order) => {
                    order.status = to;
                    Ok(order_from(order))
                }
            };
            s.first_answers.insert(key.to_owned(), answer.clone());
            answer
        })
    }
}

impl Source for Market {
    fn list_orders<'a>(&'a self, _query: &'a OrderQuery) -> BoxFuture<'a, SourceResult<OrderPage>> {
        Box::pin(async move {
            self.query(|s| OrderPage {
                total: s.orders.len() as u64,
                orders: s.orders.clone(),
                page: 1,
                per_page: OrderQuery::MAX_PER_PAGE,
            })
            .await
        })
    }

    fn pending_orders(&self, _page: u32, _per_page: u32) -> BoxFuture<'_, SourceResult<OrderPage>> {
        Box::pin(async move {
            self.query(|s| {
                let orders: Vec<_> = s
                    .orders
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
            .await
        })
    }

    fn get_order<'a>(&'a self, id: &'a str) -> BoxFuture<'a, SourceResult<Order>> {
        Box::pin(async move {
            self.query(|s| s.orders.iter().find(|o| o.id == id).map(order_from))
                .await?
                .ok_or(SourceError::NotFound(id.to_owned()))
        })
    }

    fn dashboard_stats(
        &self,
        _query: DashboardQuery,
    ) -> BoxFuture<'_, SourceResult<DashboardStats>> {
        Box::pin(async move { self.query(|_| dashboard(1, 0)).await })
    }

    fn payout_stats(&self) -> BoxFuture<'_, SourceResult<PayoutStats>> {
        Box::pin(async move {
            self.query(|_| PayoutStats {
                available: Money::new(0, sellerdash_api::Currency::EUR),
                pending: Money::new(0, sellerdash_api::Currency::EUR),
                next_payout_date: Utc::now().date_naive(),
                schedule: PayoutSchedule::Weekly,
                lifetime_paid: Money::new(0, sellerdash_api::Currency::EUR),
            })
            .await
        })
    }

    fn payout_history(
        &self,
        _query: PayoutHistoryQuery,
    ) -> BoxFuture<'_, SourceResult<PayoutHistory>> {
        Box::pin(async move {
            self.query(|_| PayoutHistory {
                payouts: Vec::new(),
                total_paid: Money::zero(sellerdash_api::Currency::EUR),
            })
            .await
        })
    }

    fn confirm<'a>(&'a self, id: &'a str, key: &'a str) -> BoxFuture<'a, SourceResult<Order>> {
        Box::pin(async move { self.act("confirm", id, key, OrderStatus::Confirmed) })
    }

    fn cancel<'a>(
        &'a self,
        id: &'a str,
        _reason: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, SourceResult<Order>> {
        Box::pin(async move { self.act("cancel", id, key, OrderStatus::Cancelled) })
    }
}

async fn start(
    market: &Arc<Market>,
    outbox: &MemoryOutbox,
) -> (CoreHandle, UnboundedReceiver<CoreEvent>) {
    let (sink, events) = channel_sink();
    let core = Core::start_with_outbox(
        market.clone(),
        Arc::new(MemoryStore::new()),
        Arc::new(outbox.clone()),
        Policies::default(),
        sink,
    )
    .await
    .unwrap();
    (core, events)
}

/// Lets the paused clock run (one second at a time) until `done` or `limit` seconds passed.
async fn run_until(limit: u64, mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..limit {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    done()
}

fn queued(outcome: &ActionOutcome) -> &sellerdash_core::OutboxEntry {
    match outcome {
        ActionOutcome::Queued { entry } => entry,
        ActionOutcome::Applied { order } => panic!("applied while offline: {order:?}"),
    }
}

fn keys(outbox: &MemoryOutbox) -> Vec<String> {
    outbox
        .all()
        .into_iter()
        .map(|a| a.idempotency_key)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn offline_actions_are_queued_then_sent_once_in_order_on_reconnect() {
    let market = Market::new(&["A", "B"]);
    market.set_reachable(false);
    let outbox = MemoryOutbox::new();
    let (core, mut events) = start(&market, &outbox).await;

    let confirm = core.confirm("A").await.unwrap();
    let entry = queued(&confirm);
    assert_eq!(
        (entry.order_id.as_str(), &entry.action, entry.state),
        ("A", &OutboxAction::Confirm, OutboxState::Queued)
    );
    assert_eq!(entry.error.as_deref(), Some(REFUSED));
    let cancel = core.cancel("B", "out of stock").await.unwrap();
    assert_eq!(queued(&cancel).order_id, "B");
    // The same confirm again is the queued one, not a second action; the other action on a
    // queued order is refused.
    assert_eq!(queued(&core.confirm("A").await.unwrap()).seq, entry.seq);
    let busy = core.cancel("A", "late").await.unwrap_err();
    assert_eq!(busy.code, ErrorKind::Conflict);

    // A minute offline: nothing reached the marketplace, both stay queued, in order.
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert!(market.received().is_empty());
    let listed = core.outbox();
    assert_eq!(
        listed
            .iter()
            .map(|e| (e.order_id.as_str(), e.state))
            .collect::<Vec<_>>(),
        [("A", OutboxState::Queued), ("B", OutboxState::Queued)]
    );
    // A was tried (and could not be sent); B waits its turn behind it.
    assert!(listed[0].attempts >= 1);
    assert_eq!(market.status("A"), OrderStatus::Pending);

    market.set_reachable(true);
    assert!(run_until(120, || core.outbox().is_empty()).await);
    let received = market.received();
    assert_eq!(
        received
            .iter()
            .map(|r| (r.verb, r.order_id.as_str(), r.key.clone(), r.replayed))
            .collect::<Vec<_>>(),
        [
            ("confirm", "A", keys(&outbox)[0].clone(), false),
            ("cancel", "B", keys(&outbox)[1].clone(), false),
        ]
    );
    // Flushed by the reconnect: as soon as the first query answered, not a backoff later.
    let back = market.with(|s| s.first_query_ok).unwrap();
    assert!(
        received[0].at - back < Duration::from_secs(1),
        "{received:?} back at {back:?}"
    );
    assert_eq!(market.status("A"), OrderStatus::Confirmed);
    assert_eq!(market.status("B"), OrderStatus::Cancelled);
    assert!(
        outbox
            .all()
            .iter()
            .all(|a| a.entry.state == OutboxState::Done)
    );

    // The pages are told: the queued list, then the empty one.
    let lists: Vec<usize> = std::iter::from_fn(|| events.try_recv().ok())
        .filter_map(|e| match e {
            CoreEvent::OutboxChanged(list) => Some(list.len()),
            _ => None,
        })
        .collect();
    assert!(lists.contains(&2), "{lists:?}");
    assert_eq!(lists.last(), Some(&0));

    // Later reconnects send nothing again.
    market.set_reachable(false);
    tokio::time::sleep(Duration::from_secs(60)).await;
    market.set_reachable(true);
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(market.received().len(), 2);
    core.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_replay_the_marketplace_refuses_is_rejected_with_its_reason_and_not_retried() {
    let market = Market::new(&["A"]);
    market.set_reachable(false);
    let outbox = MemoryOutbox::new();
    let (core, _events) = start(&market, &outbox).await;
    queued(&core.confirm("A").await.unwrap());

    // The buyer cancels while the seller is offline.
    market.set_status("A", OrderStatus::Cancelled);
    market.set_reachable(true);
    assert!(
        run_until(120, || core
            .outbox()
            .iter()
            .any(|e| e.state == OutboxState::Rejected))
        .await
    );
    let rejected = core.outbox();
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        rejected[0].rejected_text(),
        "Could not confirm order A: order A is cancelled, not pending"
    );

    // Never sent again, and it stays listed until the seller dismisses it.
    tokio::time::sleep(Duration::from_secs(300)).await;
    assert_eq!(market.received().len(), 1);
    assert_eq!(core.outbox().len(), 1);
    core.dismiss_outbox(rejected[0].seq).await.unwrap();
    assert!(core.outbox().is_empty());
    assert_eq!(
        core.dismiss_outbox(rejected[0].seq).await.unwrap_err().code,
        ErrorKind::NotFound
    );
    core.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_rejection_while_online_is_the_callers_error_and_not_listed() {
    let market = Market::new(&["A"]);
    market.set_status("A", OrderStatus::Shipped);
    let outbox = MemoryOutbox::new();
    let (core, _events) = start(&market, &outbox).await;
    let error = core.confirm("A").await.unwrap_err();
    assert_eq!(error.code, ErrorKind::Conflict);
    assert_eq!(error.message, "order A is shipped, not pending");
    assert!(core.outbox().is_empty());
    core.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_server_error_keeps_it_queued_and_retries_with_backoff() {
    let market = Market::new(&["A"]);
    let outbox = MemoryOutbox::new();
    let (core, _events) = start(&market, &outbox).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let failing = || SourceError::Server {
        status: 500,
        message: "internal error".into(),
    };
    market.script(vec![failing(), failing()]);

    let outcome = core.confirm("A").await.unwrap();
    let entry = queued(&outcome);
    assert_eq!(entry.attempts, 1);
    assert_eq!(
        entry.error.as_deref(),
        Some("the marketplace failed (500): internal error")
    );
    assert!(run_until(60, || core.outbox().is_empty()).await);
    let received = market.received();
    let times: Vec<u64> = received
        .iter()
        .map(|r| (r.at - received[0].at).as_secs())
        .collect();
    // Sent, then 2 s and 4 s more later, with one key.
    assert_eq!(times, [0, 2, 6]);
    assert!(received.iter().all(|r| r.key == received[0].key));
    assert_eq!(market.status("A"), OrderStatus::Confirmed);
    core.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn an_action_left_sending_by_a_killed_app_is_resent_with_its_key_and_applied_once() {
    let market = Market::new(&["A", "B"]);
    let outbox = MemoryOutbox::new();
    // The app wrote both actions and marked A sending; A's request reached the marketplace,
    // B's never left. Then the app was killed.
    let a = outbox
        .append("A", &OutboxAction::Confirm, "key-of-a", Utc::now())
        .await
        .unwrap();
    outbox
        .set_state(a.entry.seq, OutboxState::Sending, 0, None, Utc::now())
        .await
        .unwrap();
    let cancel_b = OutboxAction::Cancel {
        reason: "damaged".into(),
    };
    outbox
        .append("B", &cancel_b, "key-of-b", Utc::now())
        .await
        .unwrap();
    market.confirm("A", "key-of-a").await.unwrap();

    let (core, _events) = start(&market, &outbox).await;
    assert!(run_until(30, || core.outbox().is_empty()).await);
    assert_eq!(
        market
            .received()
            .iter()
            .map(|r| (r.verb, r.key.as_str(), r.replayed))
            .collect::<Vec<_>>(),
        [
            ("confirm", "key-of-a", false),
            ("confirm", "key-of-a", true),
            ("cancel", "key-of-b", false),
        ]
    );
    assert_eq!(market.status("A"), OrderStatus::Confirmed);
    assert_eq!(market.status("B"), OrderStatus::Cancelled);
    assert!(
        outbox
            .all()
            .iter()
            .all(|a| a.entry.state == OutboxState::Done)
    );
    core.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn actions_queued_before_a_restart_are_sent_by_the_next_core() {
    let market = Market::new(&["A"]);
    market.set_reachable(false);
    let outbox = MemoryOutbox::new();
    let (core, _events) = start(&market, &outbox).await;
    queued(&core.confirm("A").await.unwrap());
    core.shutdown().await;
    drop(core);

    market.set_reachable(true);
    let (core, _events) = start(&market, &outbox).await;
    assert!(run_until(30, || core.outbox().is_empty()).await);
    let received = market.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].key, keys(&outbox)[0]);
    assert_eq!(market.status("A"), OrderStatus::Confirmed);
    core.shutdown().await;
}

fn pending_ids(core: &CoreHandle) -> (Vec<String>, u64) {
    let snapshot = core.snapshot(&QueryKey::pending_orders()).unwrap();
    let page: OrderPage = serde_json::from_value(snapshot.data.unwrap()).unwrap();
    (page.orders.into_iter().map(|o| o.id).collect(), page.total)
}

/// A pending list the marketplace read before it applied a confirm, landing after it, and
/// then a marketplace that fails every query: the confirmed order is not offered again.
#[tokio::test(start_paused = true)]
async fn an_applied_action_shows_at_once_and_no_list_from_before_it_brings_the_order_back() {
    let market = Market::new(&["A", "B"]);
    let outbox = MemoryOutbox::new();
    let (core, _events) = start(&market, &outbox).await;
    core.observe(&QueryKey::order("A")).unwrap();
    assert!(
        run_until(10, || core
            .snapshot(&QueryKey::order("A"))
            .is_some_and(|s| s.data.is_some()))
        .await
    );
    assert_eq!(
        pending_ids(&core),
        (vec!["A".to_owned(), "B".to_owned()], 2)
    );

    // Queries now take 2 s; wait until a pending poll has read the list (A still pending).
    market.with(|s| s.query_delay = Duration::from_secs(2));
    assert!(
        run_until(10, || core
            .snapshot(&QueryKey::pending_orders())
            .unwrap()
            .fetching)
        .await
    );
    let outcome = core.confirm("A").await.unwrap();
    assert!(
        matches!(outcome, ActionOutcome::Applied { .. }),
        "{outcome:?}"
    );
    market.with(|s| s.queries_fail = true);

    // At once: A has left the list and the tray's count, and its details say confirmed.
    assert_eq!(pending_ids(&core), (vec!["B".to_owned()], 1));
    assert_eq!(core.pending_total(), Some(1));
    let detail = core.snapshot(&QueryKey::order("A")).unwrap();
    let order: Order = serde_json::from_value(detail.data.unwrap()).unwrap();
    assert_eq!(order.status, OrderStatus::Confirmed);
    // The list read before the confirm lands, every refetch fails: A stays gone.
    tokio::time::sleep(Duration::from_secs(30)).await;
    let snapshot = core.snapshot(&QueryKey::pending_orders()).unwrap();
    assert!(snapshot.failure_count > 0, "the refetches failed");
    assert_eq!(pending_ids(&core), (vec!["B".to_owned()], 1));

    // The marketplace answers again: its list is shown as it is.
    market.with(|s| {
        s.queries_fail = false;
        s.query_delay = Duration::ZERO;
    });
    market.set_status("B", OrderStatus::Cancelled);
    assert!(run_until(20, || pending_ids(&core).1 == 0).await);
    core.shutdown().await;
}
