//! Turns the core's events into what the seller sees outside the page: Tauri events for the
//! UI, native notifications for new pending orders, and the tray's count.
//!
//! Notifications follow the seller's settings: off, no popup at all; during quiet hours no
//! popup either, but the orders are held and one summary is shown when the quiet hours end
//! (the tray count updates throughout). After a marketplace switch, late events of the
//! previous core are dropped, so one shop's data never shows as another's.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use chrono::NaiveTime;
use sellerdash_state::settings::QuietHours;
use sellerdash_state::{CoreEvent, NewPendingOrders, OrderSummary};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::{events, tray};

/// More new orders than this in one poll are announced in one summary notification.
const MAX_SINGLE_NOTIFICATIONS: usize = 3;
/// How often the end of quiet hours is checked for.
const QUIET_CHECK: Duration = Duration::from_secs(20);

/// The seller's notification settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertPrefs {
    pub notifications: bool,
    pub quiet_hours: QuietHours,
}

/// The bridge's managed state: which core's events count, the alert settings and the
/// orders held during quiet hours.
pub struct BridgeState {
    generation: AtomicU64,
    prefs: Mutex<AlertPrefs>,
    held: Mutex<Vec<OrderSummary>>,
}

impl BridgeState {
    pub fn new(prefs: AlertPrefs) -> Self {
        Self {
            generation: AtomicU64::new(0),
            prefs: Mutex::new(prefs),
            held: Mutex::new(Vec::new()),
        }
    }

    /// A new core takes over: events of earlier cores are dropped from now on. Its number.
    pub fn next_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// The number of the core whose events count now.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// A new core could not start: the previous one's events count again.
    pub fn restore_generation(&self, generation: u64) {
        self.generation.store(generation, Ordering::SeqCst);
    }

    pub fn set_prefs(&self, prefs: AlertPrefs) {
        if !prefs.notifications {
            self.held
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clear();
        }
        *self.prefs.lock().unwrap_or_else(PoisonError::into_inner) = prefs;
    }

    /// Another marketplace takes over: the orders held for the quiet-hours summary are the
    /// old shop's, so they are dropped, never mixed into the new shop's summary.
    pub fn drop_held(&self) {
        let dropped =
            std::mem::take(&mut *self.held.lock().unwrap_or_else(PoisonError::into_inner));
        if !dropped.is_empty() {
            tracing::info!(
                orders = dropped.len(),
                "another marketplace; the held orders are dropped"
            );
        }
    }

    fn prefs(&self) -> AlertPrefs {
        self.prefs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// What to do with new orders now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alert {
    Show,
    /// Quiet hours: no popup now, one summary when they end.
    Hold,
    /// Notifications are off or paused from the tray.
    Drop,
}

fn decide(prefs: &AlertPrefs, paused: bool, now: NaiveTime) -> Alert {
    if paused || !prefs.notifications {
        Alert::Drop
    } else if prefs.quiet_hours.is_quiet(now) {
        Alert::Hold
    } else {
        Alert::Show
    }
}

/// The event sink of the core numbered `generation` (see [`BridgeState::next_generation`]).
pub fn sink<R: Runtime>(
    app: AppHandle<R>,
    generation: u64,
) -> impl Fn(CoreEvent) + Send + Sync + 'static {
    move |event| {
        let current = app
            .try_state::<BridgeState>()
            .is_none_or(|state| state.generation.load(Ordering::SeqCst) == generation);
        if !current {
            return;
        }
        match event {
            CoreEvent::QueryUpdated(snapshot) => emit(&app, events::QUERY_UPDATED, &snapshot),
            CoreEvent::ConnectivityChanged(connectivity) => {
                tray::set_connectivity(&app, generation, &connectivity);
                emit(&app, events::CONNECTIVITY_CHANGED, &connectivity);
            }
            CoreEvent::PendingTotal { total } => {
                tray::set_pending_total(&app, generation, total);
            }
            CoreEvent::NewPendingOrders(new) => notify(&app, &new),
            CoreEvent::OutboxChanged(entries) => emit(&app, events::OUTBOX_CHANGED, &entries),
            CoreEvent::CacheNotices { notices } => emit(&app, events::CACHE_NOTICES, &notices),
        }
    }
}

/// Shows one summary of the orders held during quiet hours once they are over.
pub fn watch_quiet_hours<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(QUIET_CHECK).await;
            let Some(state) = app.try_state::<BridgeState>() else {
                continue;
            };
            let prefs = state.prefs();
            let now = chrono::Local::now().time();
            let alert = decide(&prefs, tray::notifications_paused(&app), now);
            if alert == Alert::Hold {
                continue;
            }
            let held =
                std::mem::take(&mut *state.held.lock().unwrap_or_else(PoisonError::into_inner));
            // Paused from the tray or turned off meanwhile: the held orders stay silent.
            if held.is_empty() || alert == Alert::Drop {
                continue;
            }
            let (title, body) = quiet_summary(&held);
            show(&app, &title, &body);
        }
    });
}

/// The one notification for the orders that arrived during quiet hours.
fn quiet_summary(held: &[OrderSummary]) -> (String, String) {
    let title = match held.len() {
        1 => "1 new order during quiet hours".to_owned(),
        n => format!("{n} new orders during quiet hours"),
    };
    let shown: Vec<String> = held.iter().take(3).map(order_line).collect();
    let mut body = shown.join("\n");
    let more = held.len().saturating_sub(shown.len());
    if more > 0 {
        body.push_str(&format!("\nand {more} more"));
    }
    (title, escape_markup(&body))
}

fn emit<R: Runtime, T: serde::Serialize + Clone>(app: &AppHandle<R>, name: &str, payload: &T) {
    if let Err(error) = app.emit(name, payload.clone()) {
        tracing::warn!(%error, event = name, "cannot emit");
    }
}

/// One notification per new order, or one summary for orders that arrived while the app
/// was closed or for a burst of many.
fn notify<R: Runtime>(app: &AppHandle<R>, new: &NewPendingOrders) {
    if new.orders.is_empty() {
        return;
    }
    let state = app.try_state::<BridgeState>();
    let prefs = state.as_ref().map_or(
        AlertPrefs {
            notifications: true,
            quiet_hours: QuietHours::default(),
        },
        |state| state.prefs(),
    );
    match decide(
        &prefs,
        tray::notifications_paused(app),
        chrono::Local::now().time(),
    ) {
        Alert::Drop => {
            tracing::info!(orders = new.orders.len(), "notifications are off; no popup");
        }
        Alert::Hold => {
            tracing::info!(
                orders = new.orders.len(),
                "quiet hours; held for the summary"
            );
            if let Some(state) = state {
                state
                    .held
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .extend(new.orders.iter().cloned());
            }
        }
        Alert::Show => {
            for (title, body) in notification_texts(new) {
                show(app, &title, &body);
            }
        }
    }
}

fn show<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) {
    tracing::info!(%title, %body, "notifying");
    if let Err(error) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(%error, "cannot show a notification");
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
        // What came while the app was closed: "while Sellerdash was closed" would be wrong
        // on a first launch, this is true either way. A burst while it runs: only those
        // are new (others may be waiting too).
        let title = if new.while_away {
            format!("{} orders are waiting for confirmation", new.orders.len())
        } else {
            format!("{} new orders waiting for confirmation", new.orders.len())
        };
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
        assert_eq!(texts[0].0, "7 new orders waiting for confirmation");
        assert!(texts[0].1.ends_with("\nand 4 more"), "{}", texts[0].1);
    }

    #[test]
    fn a_single_order_while_away_is_named() {
        let texts = notification_texts(&batch(vec![order("A1", "Ana")], true));
        assert_eq!(texts.len(), 1);
        assert!(texts[0].1.contains("A1"));
    }

    fn prefs(notifications: bool, from: &str, to: &str) -> AlertPrefs {
        AlertPrefs {
            notifications,
            quiet_hours: QuietHours {
                enabled: true,
                from: from.into(),
                to: to.into(),
            },
        }
    }

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    #[test]
    fn quiet_hours_across_midnight_hold_popups_and_off_drops_them() {
        let night = prefs(true, "22:00", "07:00");
        assert_eq!(decide(&night, false, at(23, 30)), Alert::Hold);
        assert_eq!(decide(&night, false, at(3, 0)), Alert::Hold);
        assert_eq!(decide(&night, false, at(7, 0)), Alert::Show);
        assert_eq!(decide(&night, true, at(12, 0)), Alert::Drop);
        assert_eq!(
            decide(&prefs(false, "22:00", "07:00"), false, at(12, 0)),
            Alert::Drop
        );
    }

    #[test]
    fn the_end_of_quiet_hours_brings_one_summary() {
        let held: Vec<_> = (0..5)
            .map(|n| order(&format!("Q{n}"), &format!("Buyer {n}")))
            .collect();
        let (title, body) = quiet_summary(&held);
        assert_eq!(title, "5 new orders during quiet hours");
        assert!(body.starts_with("Buyer 0, €42.50, 2 items\n"), "{body}");
        assert!(body.ends_with("\nand 2 more"), "{body}");
        assert_eq!(
            quiet_summary(&held[..1]).0,
            "1 new order during quiet hours"
        );
    }

    #[test]
    fn a_marketplace_switch_drops_the_held_orders() {
        let state = BridgeState::new(prefs(true, "22:00", "07:00"));
        state
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(order("OLD1", "Old shop buyer"));
        state.drop_held();
        assert!(
            state
                .held
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .is_empty()
        );
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
