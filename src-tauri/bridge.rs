//! Turns the core's events into what the seller sees outside the page: Tauri events for the
//! UI, native notifications for new pending orders, and the tray's count.

use sellerdash_state::{CoreEvent, NewPendingOrders, OrderSummary};
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

/// The (title, body) of each notification for a batch of new orders. Bodies are escaped:
/// notification daemons read `<b>`-style markup in them, and a buyer's name is not markup.
fn notification_texts(new: &NewPendingOrders) -> Vec<(String, String)> {
    let summary =
        (new.while_away && new.orders.len() > 1) || new.orders.len() > MAX_SINGLE_NOTIFICATIONS;
    if summary {
        let shown: Vec<String> = new.orders.iter().take(3).map(order_line).collect();
        let more = new.orders.len().saturating_sub(shown.len());
        let mut body = shown.join("\n");
        if more > 0 {
            body.push_str(&format!("\nand {more} more"));
        }
        // "while Sellerdash was closed" would be wrong on a first launch; this is true
        // either way.
        let title = format!("{} orders are waiting for confirmation", new.orders.len());
        return vec![(title, escape_markup(&body))];
    }
    new.orders
        .iter()
        .map(|order| {
            let body = format!("Order {}: {}", order.id, order_line(order));
            (
                "New order waiting for confirmation".to_owned(),
                escape_markup(&body),
            )
        })
        .collect()
}

/// `Ana Díaz, €42.50, 2 items` (a blank name reads "a buyer").
fn order_line(order: &OrderSummary) -> String {
    let items = match order.item_count {
        1 => "1 item".to_owned(),
        count => format!("{count} items"),
    };
    let name = order.customer_name.trim();
    let name: String = if name.is_empty() {
        "a buyer".to_owned()
    } else {
        name.chars().take(60).collect()
    };
    format!("{name}, {}, {items}", order.total)
}

/// Escapes the characters notification markup gives meaning to.
fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use sellerdash_api::{Currency, DeliveryStatus, Money, OrderStatus, PaymentStatus};

    use super::*;

    fn order(id: &str, name: &str) -> OrderSummary {
        OrderSummary {
            id: id.to_owned(),
            status: OrderStatus::Pending,
            customer_name: name.to_owned(),
            item_count: 2,
            total: Money::new(4_250, Currency::EUR),
            payment_status: PaymentStatus::Paid,
            delivery_status: DeliveryStatus::NotShipped,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn batch(orders: Vec<OrderSummary>, while_away: bool) -> NewPendingOrders {
        NewPendingOrders { orders, while_away }
    }

    #[test]
    fn one_notification_per_new_order_naming_it() {
        let texts = notification_texts(&batch(
            vec![order("A1", "Ana Díaz"), order("B2", "Bo")],
            false,
        ));
        assert_eq!(texts.len(), 2);
        assert_eq!(texts[0].0, "New order waiting for confirmation");
        assert_eq!(texts[0].1, "Order A1: Ana Díaz, €42.50, 2 items");
        assert!(texts[1].1.contains("B2"));
    }

    #[test]
    fn orders_from_while_away_or_a_burst_make_one_summary() {
        let away = notification_texts(&batch(vec![order("A1", "Ana"), order("B2", "Bo")], true));
        assert_eq!(
            away,
            vec![(
                "2 orders are waiting for confirmation".to_owned(),
                "Ana, €42.50, 2 items\nBo, €42.50, 2 items".to_owned()
            )]
        );
        let burst: Vec<_> = (0..7)
            .map(|n| order(&format!("N{n}"), &format!("Buyer {n}")))
            .collect();
        let texts = notification_texts(&batch(burst, false));
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0].0, "7 orders are waiting for confirmation");
        assert!(texts[0].1.ends_with("\nand 4 more"), "{}", texts[0].1);
    }

    #[test]
    fn a_single_order_while_away_is_named() {
        let texts = notification_texts(&batch(vec![order("A1", "Ana")], true));
        assert_eq!(texts.len(), 1);
        assert!(texts[0].1.contains("A1"));
    }

    #[test]
    fn buyer_names_are_text_not_markup() {
        let texts = notification_texts(&batch(vec![order("A1", "<b>Ann</b> & Co")], false));
        assert_eq!(
            texts[0].1,
            "Order A1: &lt;b&gt;Ann&lt;/b&gt; &amp; Co, €42.50, 2 items"
        );
        let blank = notification_texts(&batch(vec![order("A2", "  ")], false));
        assert_eq!(blank[0].1, "Order A2: a buyer, €42.50, 2 items");
    }
}
