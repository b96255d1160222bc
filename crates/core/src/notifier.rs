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

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use sellerdash_api::{Currency, DeliveryStatus, Money, PaymentStatus};

    use super::*;

    fn row(id: &str, status: OrderStatus, minute: u32) -> OrderSummary {
        let at = Utc
            .with_ymd_and_hms(2026, 1, 1, 10, minute, 0)
            .single()
            .unwrap_or_default();
        OrderSummary {
            id: id.into(),
            status,
            customer_name: "Ann".into(),
            item_count: 1,
            total: Money::new(500, Currency::EUR),
            payment_status: PaymentStatus::Paid,
            delivery_status: DeliveryStatus::NotShipped,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn only_unseen_pending_rows_newest_first() {
        let mut notifier = Notifier::new(["old".to_owned()].into());
        let rows = [
            row("a", OrderStatus::Pending, 1),
            row("old", OrderStatus::Pending, 2),
            row("b", OrderStatus::Pending, 3),
            row("a", OrderStatus::Pending, 1),
            row("c", OrderStatus::Confirmed, 4),
        ];
        let first = notifier.detect(&rows).map(|n| {
            (
                n.orders.iter().map(|o| o.id.clone()).collect::<Vec<_>>(),
                n.while_away,
            )
        });
        assert_eq!(first, Some((vec!["b".to_owned(), "a".to_owned()], true)));
        notifier.mark(["a".to_owned(), "b".to_owned()]);
        assert_eq!(notifier.detect(&rows), None);
        let later = notifier.detect(&[row("d", OrderStatus::Pending, 5)]);
        assert_eq!(later.map(|n| n.while_away), Some(false));
    }
}
