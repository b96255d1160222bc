//! New-pending-order detection: an order is new when its id is not in the persisted set of
//! already-notified ids. The first successful poll of a run reports everything new as one
//! "while away" batch; later polls report what each one brings.

use std::collections::HashSet;

use sellerdash_api::{OrderStatus, OrderSummary};
use sellerdash_state::NewPendingOrders;

/// The notified-id set and whether this run has polled the pending orders yet.
#[derive(Debug, Default)]
pub(crate) struct Notifier {
    notified: HashSet<String>,
    polled: bool,
}

impl Notifier {
    /// Starts from the ids persisted by earlier runs.
    pub fn new(notified: HashSet<String>) -> Self {
        Self {
            notified,
            polled: false,
        }
    }

    /// The pending orders of `rows` never notified before, newest first, as the event to
    /// send once their ids are persisted; `None` when there are none. Marks nothing.
    pub fn detect(&self, rows: &[OrderSummary]) -> Option<NewPendingOrders> {
        let mut seen = HashSet::new();
        let mut orders: Vec<OrderSummary> = rows
            .iter()
            .filter(|o| o.status == OrderStatus::Pending && !self.notified.contains(&o.id))
            .filter(|o| seen.insert(o.id.clone()))
            .cloned()
            .collect();
        if orders.is_empty() {
            return None;
        }
        orders.sort_by_key(|o| std::cmp::Reverse(o.created_at));
        Some(NewPendingOrders {
            orders,
            while_away: !self.polled,
        })
    }

    /// Records a successful poll and the ids it notified (already persisted).
    pub fn mark(&mut self, ids: impl IntoIterator<Item = String>) {
        self.notified.extend(ids);
        self.polled = true;
    }
}
