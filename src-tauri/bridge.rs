//! Turns the core's events into what the seller sees outside the page: Tauri events for the
//! UI, native notifications for new pending orders, and the tray's count.

use sellerdash_state::{CoreEvent, NewPendingOrders};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::{events, tray};

/// More new orders than this in one poll are announced in one summary notification.
const MAX_SINGLE_NOTIFICATIONS: usize = 3;

/// The core's event sink for this app.
pub fn sink<R: Runtime>(app: AppHandle<R>) -> impl Fn(CoreEvent) + Send + Sync + 'static {
    move |event| match event {
        CoreEvent::QueryUpdated(snapshot) => emit(&app, events::QUERY_UPDATED, &snapshot),
        CoreEvent::ConnectivityChanged(connectivity) => {
            tray::set_connectivity(&app, &connectivity);
            emit(&app, events::CONNECTIVITY_CHANGED, &connectivity);
        }
        CoreEvent::PendingTotal { total } => tray::set_pending_total(&app, total),
        CoreEvent::NewPendingOrders(new) => notify(&app, &new),
    }
}

fn emit<R: Runtime, T: serde::Serialize + Clone>(app: &AppHandle<R>, name: &str, payload: &T) {
    if let Err(error) = app.emit(name, payload.clone()) {
        tracing::warn!(%error, event = name, "cannot emit");
    }
}

/// One notification per new order, or one summary for orders that arrived while the app
/// was closed or for a burst of many.
fn notify<R: Runtime>(app: &AppHandle<R>, new: &NewPendingOrders) {
    if new.orders.is_empty() || tray::notifications_paused(app) {
        return;
    }
    let messages = notification_texts(new);
    for (title, body) in messages {
        tracing::info!(%title, %body, "notifying");
        if let Err(error) = app
            .notification()
            .builder()
            .title(&title)
            .body(&body)
            .show()
        {
            tracing::warn!(%error, "cannot show a notification");
        }
    }
}

/// The (title, body) of each notification for a batch of new orders.
fn notification_texts(new: &NewPendingOrders) -> Vec<(String, String)> {
    let summary =
        (new.while_away && new.orders.len() > 1) || new.orders.len() > MAX_SINGLE_NOTIFICATIONS;
    if summary {
        let ids: Vec<&str> = new
            .orders
            .iter()
            .take(5)
            .map(|order| order.id.as_str())
            .collect();
        let more = new.orders.len().saturating_sub(ids.len());
        let mut body = ids.join(", ");
        if more > 0 {
            body.push_str(&format!(" and {more} more"));
        }
        let title = if new.while_away {
            format!(
                "{} orders arrived while Sellerdash was closed",
                new.orders.len()
            )
        } else {
            format!(
                "{} new orders are waiting for confirmation",
                new.orders.len()
            )
        };
        return vec![(title, body)];
    }
    new.orders
        .iter()
        .map(|order| {
            let items = if order.item_count == 1 {
                "1 item".to_owned()
            } else {
                format!("{} items", order.item_count)
            };
            (
                "New order waiting for confirmation".to_owned(),
                format!(
                    "Order {} from {}: {}, {}",
                    order.id, order.customer_name, order.total, items
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use sellerdash_api::{
        Currency, DeliveryStatus, Money, OrderStatus, OrderSummary, PaymentStatus,
    };

    use super::*;

    fn order(id: &str) -> OrderSummary {
        OrderSummary {
            id: id.to_owned(),
            status: OrderStatus::Pending,
            customer_name: "Ana Díaz".to_owned(),
            item_count: 2,
            total: Money::new(4_250, Currency::EUR),
            payment_status: PaymentStatus::Paid,
            delivery_status: DeliveryStatus::NotShipped,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn one_notification_per_new_order_naming_it() {
        let texts = notification_texts(&NewPendingOrders {
            orders: vec![order("A1"), order("B2")],
            while_away: false,
        });
        assert_eq!(texts.len(), 2);
        assert_eq!(texts[0].1, "Order A1 from Ana Díaz: €42.50, 2 items");
        assert!(texts[1].1.contains("B2"));
    }

    #[test]
    fn orders_from_while_away_or_a_burst_make_one_summary() {
        let away = notification_texts(&NewPendingOrders {
            orders: vec![order("A1"), order("B2")],
            while_away: true,
        });
        assert_eq!(away.len(), 1);
        assert_eq!(away[0].0, "2 orders arrived while Sellerdash was closed");
        let burst: Vec<_> = (0..7).map(|n| order(&format!("N{n}"))).collect();
        let texts = notification_texts(&NewPendingOrders {
            orders: burst,
            while_away: false,
        });
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0].1, "N0, N1, N2, N3, N4 and 2 more");
    }

    #[test]
    fn a_single_order_while_away_is_named() {
        let texts = notification_texts(&NewPendingOrders {
            orders: vec![order("A1")],
            while_away: true,
        });
        assert_eq!(texts.len(), 1);
        assert!(texts[0].1.contains("A1"));
    }
}
