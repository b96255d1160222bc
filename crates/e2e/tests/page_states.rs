//! The shared page frame and the pages it serves, in a real window against the real server:
//! pending orders (the API's list and total, a new order highlighted, Confirm and Cancel with
//! a reason), order details (every value against the API, live after an admin change,
//! Confirm), Diagnostics, the theme control, keyboard shortcuts, an outage (offline since,
//! the stale warning, the data kept), and a click that a banner pushed onto another order's
//! Confirm (ignored).

use std::collections::BTreeSet;
use std::time::Duration;

use fantoccini::key::Key;
use sellerdash_api::{AdminAction, Order, OrderQuery, OrderStatus};
use sellerdash_e2e::app::App;
use sellerdash_e2e::marketplace::Marketplace;
use sellerdash_e2e::{eventually, holds_for};

/// A page's first data: one request, rendered.
const FIRST_DATA: Duration = Duration::from_secs(10);
/// Pending orders poll every 5 s: a change shows within two intervals.
const TWO_PENDING_INTERVALS: Duration = Duration::from_secs(10);
/// Order details poll every 3 s.
const TWO_ORDER_INTERVALS: Duration = Duration::from_secs(6);
/// A click's result on screen (the command answers, the next snapshot renders).
const ACTION: Duration = Duration::from_secs(10);
/// The core notices an outage after its retries.
const DETECT_OUTAGE: Duration = Duration::from_secs(30);

async fn launch(dir: &std::path::Path, marketplace: &Marketplace) -> anyhow::Result<App> {
    App::launch(
        &marketplace.url(),
        marketplace.seller_token(),
        &dir.join("app"),
    )
    .await
}

fn row(id: &str) -> String {
    format!("[data-testid=pending-order][data-order-id=\"{id}\"]")
}

/// The server's order once `accept` holds for it.
async fn server_order(
    marketplace: &Marketplace,
    id: &str,
    what: &str,
    accept: impl Fn(&Order) -> bool,
) -> anyhow::Result<Order> {
    let accept = &accept;
    eventually(what, ACTION, || async move {
        let order = marketplace.order(id).await?;
        Ok(accept(&order).then_some(order))
    })
    .await
}

#[tokio::test]
async fn pending_orders_match_the_api_highlight_arrivals_and_confirm_or_cancel()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let app = launch(dir.path(), &marketplace).await?;
    app.press(&[Key::Alt.into(), '3']).await?;
    app.wait_for("[data-testid=pending-list]", FIRST_DATA)
        .await?;

    // The list is the API's pending orders (the largest page), oldest first, with the total.
    let api = marketplace
        .pending_page(1, OrderQuery::MAX_PER_PAGE)
        .await?;
    assert!(!api.orders.is_empty(), "the demo store has pending orders");
    let total = app
        .attr("[data-testid=pending-total]", "data-total")
        .await?;
    assert_eq!(total, Some(api.total.to_string()));
    let shown = app
        .attrs("[data-testid=pending-order]", "data-order-id")
        .await?;
    let mut oldest_first: Vec<String> = api.orders.iter().rev().map(|o| o.id.clone()).collect();
    // Same-second orders keep the server's id order reversed; compare as sets and ends.
    assert_eq!(
        shown.iter().cloned().collect::<BTreeSet<_>>(),
        oldest_first.iter().cloned().collect::<BTreeSet<_>>()
    );
    assert_eq!(
        shown.first(),
        oldest_first.first(),
        "the oldest order comes first"
    );
    for order in &api.orders {
        let text = app.text(&row(&order.id)).await?;
        assert!(
            text.contains(&order.total.to_string()) && text.contains(&order.customer_name),
            "row {} shows {text:?}, the API says {} for {}",
            order.id,
            order.total,
            order.customer_name
        );
    }
    assert!(
        app.texts("[data-testid=new-tag]").await?.is_empty(),
        "orders present on the first load are not new"
    );

    // An order placed now appears highlighted within two intervals; old rows are not.
    let placed = marketplace.create_order().await?;
    app.wait_for(
        &format!("{}[data-new=true] [data-testid=new-tag]", row(&placed.id)),
        TWO_PENDING_INTERVALS,
    )
    .await?;
    assert_eq!(
        app.attr(&row(&oldest_first[0]), "data-new")
            .await?
            .as_deref(),
        Some("false")
    );
    app.wait_text("[data-testid=pending-total]", ACTION, |text| {
        text.contains(&(api.total + 1).to_string())
    })
    .await?;

    // Confirm: the server says confirmed and the row leaves. (A row ignores clicks for
    // a moment after it appears or moves, so a click may need repeating.)
    app.click_until(
        &format!("{} [data-testid=confirm]", row(&placed.id)),
        ACTION,
        || async { Ok(marketplace.order(&placed.id).await?.status == OrderStatus::Confirmed) },
    )
    .await?;
    app.wait_gone(&row(&placed.id), TWO_PENDING_INTERVALS)
        .await?;
    // The row is gone; the page says what was done.
    let done = app.text("[data-testid=pending-done]").await?;
    assert_eq!(
        done,
        format!("Confirmed {}'s order {}", placed.customer.name, placed.id)
    );

    // Cancel asks for a reason; Escape closes the form and keeps the order.
    let victim = oldest_first.remove(0);
    let reason_field = format!("{} [data-testid=cancel-reason]", row(&victim));
    app.click_until(
        &format!("{} [data-testid=cancel]", row(&victim)),
        ACTION,
        || async { Ok(!app.texts(&reason_field).await?.is_empty()) },
    )
    .await?;
    app.press(&[Key::Escape.into()]).await?;
    app.wait_gone(
        &format!("{} [data-testid=cancel-reason]", row(&victim)),
        ACTION,
    )
    .await?;
    assert_eq!(
        marketplace.order(&victim).await?.status,
        OrderStatus::Pending
    );

    // Cancel with a reason: the server says cancelled, with that reason.
    let reason = "Out of stock until next week";
    app.click(&format!("{} [data-testid=cancel]", row(&victim)))
        .await?;
    app.type_into(
        &format!("{} [data-testid=cancel-reason]", row(&victim)),
        reason,
    )
    .await?;
    app.click(&format!("{} [data-testid=cancel-submit]", row(&victim)))
        .await?;
    let cancelled = server_order(&marketplace, &victim, "the order to be cancelled", |o| {
        o.status == OrderStatus::Cancelled
    })
    .await?;
    assert_eq!(cancelled.cancel_reason.as_deref(), Some(reason));
    app.wait_gone(&row(&victim), TWO_PENDING_INTERVALS).await?;

    // Leaving and coming back highlights nothing that was already seen.
    app.press(&[Key::Alt.into(), '1']).await?;
    app.wait_for("[data-testid=dashboard]", FIRST_DATA).await?;
    app.press(&[Key::Alt.into(), '3']).await?;
    app.wait_for("[data-testid=pending-list]", FIRST_DATA)
        .await?;
    holds_for(
        "no old order highlighted",
        Duration::from_secs(2),
        || async {
            let new = app
                .attrs(
                    "[data-testid=pending-order][data-new=true]",
                    "data-order-id",
                )
                .await?;
            Ok((!new.is_empty()).then(|| format!("{new:?} were highlighted again")))
        },
    )
    .await?;
    app.quit().await
}

#[tokio::test]
async fn order_details_match_the_api_follow_admin_changes_and_confirm() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let placed = marketplace.create_order().await?;
    let app = launch(dir.path(), &marketplace).await?;

    // From the pending list to the order's details (and back the same way).
    app.click("[data-testid=nav-pending]").await?;
    // Anywhere on the order's name and details opens it, not only the name.
    app.click(&format!("{} .order-meta", row(&placed.id)))
        .await?;
    app.wait_for("[data-testid=order-page]", FIRST_DATA).await?;
    app.wait_for("[data-testid=order-total]", FIRST_DATA)
        .await?;
    let order = marketplace.order(&placed.id).await?;
    assert_details(&app, &order).await?;
    assert!(
        app.text("[data-testid=order-back]")
            .await?
            .contains("pending")
    );

    // Confirm from the details: the server confirms, the page follows. (The card ignores
    // clicks for a moment after it appears or moves, so a click may need repeating.)
    app.click_until("[data-testid=order-confirm]", ACTION, || async {
        Ok(marketplace.order(&placed.id).await?.status == OrderStatus::Confirmed)
    })
    .await?;
    app.wait_for(
        "[data-testid=order-status][data-status=confirmed]",
        TWO_ORDER_INTERVALS,
    )
    .await?;

    // Admin changes show up live, timeline and tracking included.
    marketplace
        .transition(&placed.id, AdminAction::Process)
        .await?;
    let shipped = marketplace
        .transition(&placed.id, AdminAction::Ship)
        .await?;
    app.wait_for(
        "[data-testid=order-status][data-status=shipped]",
        TWO_ORDER_INTERVALS,
    )
    .await?;
    assert_details(&app, &shipped).await?;
    assert!(
        app.texts("[data-testid=order-confirm]").await?.is_empty(),
        "a shipped order cannot be confirmed"
    );

    // Back returns to the pending list, where the order no longer is.
    app.click("[data-testid=order-back]").await?;
    app.wait_for("[data-testid=pending-page]", FIRST_DATA)
        .await?;
    app.wait_gone(&row(&placed.id), TWO_PENDING_INTERVALS)
        .await?;
    app.quit().await
}

/// Every value the details page shows, against the API's order.
async fn assert_details(app: &App, order: &Order) -> anyhow::Result<()> {
    use erased::Wire;
    let status = order.status.as_str();
    app.wait_for(
        &format!("[data-testid=order-status][data-status={status}]"),
        TWO_ORDER_INTERVALS,
    )
    .await?;
    assert_eq!(
        app.text("[data-testid=order-total]").await?,
        order.total.to_string()
    );
    assert_eq!(
        app.text("[data-testid=order-subtotal]").await?,
        order.subtotal.to_string()
    );
    assert_eq!(
        app.text("[data-testid=order-shipping]").await?,
        order.shipping.to_string()
    );
    let items = app
        .attrs("[data-testid=order-item]", "data-product-id")
        .await?;
    assert_eq!(
        items,
        order
            .items
            .iter()
            .map(|item| item.product_id.clone())
            .collect::<Vec<_>>()
    );
    let item_texts = app.texts("[data-testid=order-item]").await?;
    for (item, text) in order.items.iter().zip(&item_texts) {
        assert!(
            text.contains(&item.name)
                && text.contains(&item.line_total.to_string())
                && text.contains(&item.unit_price.to_string()),
            "item row {text:?} vs {item:?}"
        );
    }
    assert_eq!(
        app.attr("[data-testid=order-payment]", "data-value")
            .await?,
        Some(order.payment.status.wire())
    );
    assert_eq!(
        app.attr("[data-testid=order-payment-method]", "data-method")
            .await?,
        Some(order.payment.method.wire())
    );
    assert_eq!(
        app.attr("[data-testid=order-delivery]", "data-value")
            .await?,
        Some(order.delivery.status.wire())
    );
    assert_eq!(
        app.text("[data-testid=order-tracking]").await?,
        order
            .delivery
            .tracking_number
            .clone()
            .unwrap_or_else(|| "—".to_owned())
    );
    let tracking = app
        .attrs("[data-testid=order-tracking-event]", "data-at")
        .await?;
    assert_eq!(tracking.len(), order.delivery.events.len());
    let timeline = app
        .attrs("[data-testid=order-timeline-entry]", "data-status")
        .await?;
    let expected: Vec<String> = order
        .timeline
        .iter()
        .rev()
        .map(|entry| entry.status.as_str().to_owned())
        .collect();
    assert_eq!(timeline, expected, "the order's history, newest first");
    let customer = app.text("[data-testid=order-customer]").await?;
    assert!(customer.contains(&order.customer.name) && customer.contains(&order.customer.email));
    match &order.feedback {
        Some(feedback) => assert_eq!(
            app.attr("[data-testid=order-feedback]", "data-rating")
                .await?,
            Some(feedback.rating.to_string())
        ),
        None => assert!(app.texts("[data-testid=order-feedback]").await?.is_empty()),
    }
    Ok(())
}

/// Contract enums by their wire name, as the page's `data-*` attributes carry them.
mod erased {
    pub trait Wire {
        fn wire(&self) -> String;
    }
    impl<T: serde::Serialize> Wire for T {
        fn wire(&self) -> String {
            serde_json::to_value(self)
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default()
        }
    }
}

#[tokio::test]
async fn theme_shortcuts_and_diagnostics() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let app = launch(dir.path(), &marketplace).await?;
    app.wait_for("[data-testid=dashboard]", FIRST_DATA).await?;

    // Dark: the attribute is set, the page background turns dark, the choice is remembered.
    let background = "return getComputedStyle(document.body).backgroundColor;";
    let light = app.execute(background).await?;
    app.click("[data-testid=theme] [data-theme-choice=dark]")
        .await?;
    let theme = app
        .execute("return document.documentElement.getAttribute('data-theme');")
        .await?;
    assert_eq!(theme, serde_json::json!("dark"));
    let dark = eventually("a dark background", ACTION, || async {
        let value = app.execute(background).await?;
        Ok(brightness(value.as_str().unwrap_or_default())
            .filter(|level| *level < 60)
            .map(|_| value))
    })
    .await?;
    assert_ne!(light, dark);
    assert_eq!(
        app.execute("return localStorage.getItem('sellerdash.theme');")
            .await?,
        serde_json::json!("\"dark\"")
    );
    // Light overrides the OS too; System removes the override.
    app.click("[data-theme-choice=light]").await?;
    let value = app.execute(background).await?;
    assert!(
        brightness(value.as_str().unwrap_or_default()).is_some_and(|level| level > 200),
        "light background: {value}"
    );
    app.click("[data-theme-choice=system]").await?;
    assert_eq!(
        app.execute("return document.documentElement.getAttribute('data-theme');")
            .await?,
        serde_json::Value::Null
    );

    // Shortcuts: Alt+digit opens pages; `?` lists the shortcuts, Escape closes the list.
    app.press(&[Key::Alt.into(), '2']).await?;
    app.wait_for("[data-testid=sales-page]", FIRST_DATA).await?;
    app.press(&[Key::Alt.into(), '3']).await?;
    app.wait_for("[data-testid=pending-page]", FIRST_DATA)
        .await?;
    app.press(&['?']).await?;
    let help = app.text("[data-testid=shortcuts]").await?;
    assert!(help.contains("Alt+3") && help.contains("F5"), "{help:?}");
    app.press(&[Key::Escape.into()]).await?;
    app.wait_gone("[data-testid=shortcuts]", ACTION).await?;

    // F5 refreshes the data without reloading the window.
    app.execute("window.__sellerdashMarker = 1;").await?;
    app.wait_text("[data-testid=data-age]", FIRST_DATA, |t| t.contains("ago"))
        .await?;
    let before = marketplace.requests_served();
    app.press(&[Key::F5.into()]).await?;
    eventually("a refetch after F5", ACTION, || async {
        Ok((marketplace.requests_served() > before).then_some(()))
    })
    .await?;
    assert_eq!(
        app.execute("return window.__sellerdashMarker === 1;")
            .await?,
        serde_json::json!(true),
        "F5 did not reload the page"
    );
    app.wait_for("[data-testid=pending-list]", FIRST_DATA)
        .await?;

    // Diagnostics lists the queries this session observed.
    app.press(&[Key::Alt.into(), '6']).await?;
    for key in [
        "=\"seller/dashboard\"",
        "=\"seller/orders/pending\"",
        "^=\"seller/sales\"",
    ] {
        app.wait_for(
            &format!("[data-testid=diagnostics-row][data-key{key}]"),
            FIRST_DATA,
        )
        .await?;
    }
    app.quit().await
}

/// The perceived brightness (BT.601 luma, 0 black … 255 white) of a CSS `rgb(r, g, b)` or
/// `rgba(…)` colour, in integers.
fn brightness(css: &str) -> Option<u32> {
    let inner = css.split_once('(')?.1.trim_end_matches(')');
    let channels: Vec<u32> = inner
        .split(',')
        .take(3)
        .map(|c| c.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .ok()?;
    let [r, g, b] = channels[..] else { return None };
    Some((299 * r + 587 * g + 114 * b) / 1000)
}

#[tokio::test]
async fn an_outage_says_offline_since_and_stale_while_the_data_stays() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut marketplace = Marketplace::start(dir.path()).await?;
    let app = launch(dir.path(), &marketplace).await?;
    app.click("[data-testid=nav-pending]").await?;
    app.wait_for("[data-testid=pending-list]", FIRST_DATA)
        .await?;
    app.wait_text("[data-testid=connection]", FIRST_DATA, |t| {
        t.contains("Live")
    })
    .await?;
    let rows = app
        .attrs("[data-testid=pending-order]", "data-order-id")
        .await?;
    assert_eq!(
        app.attr("[data-testid=data-age]", "data-warn")
            .await?
            .as_deref(),
        Some("false")
    );

    marketplace.stop().await;
    let badge = app
        .wait_text("[data-testid=connection]", DETECT_OUTAGE, |t| {
            t.contains("Offline since")
        })
        .await?;
    assert!(
        badge.contains(':'),
        "offline since a time of day: {badge:?}"
    );
    app.wait_for("[data-testid=data-age][data-warn=true]", DETECT_OUTAGE)
        .await?;
    let age = app.text("[data-testid=data-age]").await?;
    assert!(
        age.contains("Stale") && age.contains("ago") && age.contains("failed"),
        "the warning says how old and why: {age:?}"
    );
    assert_eq!(
        app.attrs("[data-testid=pending-order]", "data-order-id")
            .await?,
        rows,
        "the last data stays on screen"
    );

    // A page never visited has nothing to show: it says at once why it waits.
    app.press(&[Key::Alt.into(), '4']).await?;
    let waiting = app
        .wait_text("[data-testid=page-waiting]", ACTION, |t| {
            t.contains("Not loaded yet")
        })
        .await?;
    assert!(
        waiting.contains("not answering"),
        "the outage's reason: {waiting:?}"
    );

    marketplace.restart().await?;
    // The payouts come as soon as the marketplace answers, and the note goes.
    app.wait_for("[data-testid=payout-available]", DETECT_OUTAGE)
        .await?;
    app.wait_gone("[data-testid=page-waiting]", ACTION).await?;
    app.press(&[Key::Alt.into(), '3']).await?;
    app.wait_text("[data-testid=connection]", DETECT_OUTAGE, |t| {
        t.contains("Live")
    })
    .await?;
    app.wait_for("[data-testid=data-age][data-warn=false]", DETECT_OUTAGE)
        .await?;
    app.quit().await
}

/// Watches, frame by frame, the Confirm button of the list's `index`-th row; the moment it
/// moves (a banner came above the list), clicks where it was, as a seller's click aimed a
/// moment earlier lands. `window.__shifted` then names the aimed order and the one hit.
const CLICK_WHERE_IT_WAS: &str = r#"
    const button = document.querySelectorAll('[data-testid=pending-order] [data-testid=confirm]')[arguments[0]];
    const aimed = button.closest('[data-order-id]').dataset.orderId;
    const box = button.getBoundingClientRect();
    const [x, y, top] = [box.left + box.width / 2, box.top + box.height / 2, box.top];
    window.__shifted = null;
    const watch = () => {
        const now = document.querySelector(`[data-order-id="${aimed}"] [data-testid=confirm]`);
        if (now && Math.abs(now.getBoundingClientRect().top - top) > 1) {
            const hit = document.elementFromPoint(x, y);
            const row = hit && hit.closest('[data-order-id]');
            window.__shifted = { aimed, hit: row ? row.dataset.orderId : null,
                                 confirm: !!(hit && hit.closest('[data-testid=confirm]')) };
            if (hit) { hit.click(); }
            return;
        }
        requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
    return aimed;
"#;

#[tokio::test]
async fn a_click_on_a_row_a_banner_just_pushed_under_the_pointer_is_ignored() -> anyhow::Result<()>
{
    let dir = tempfile::tempdir()?;
    let mut marketplace = Marketplace::start(dir.path()).await?;
    marketplace.create_order().await?;
    let app = launch(dir.path(), &marketplace).await?;
    app.click("[data-testid=nav-pending]").await?;
    app.wait_for("[data-testid=pending-list]", FIRST_DATA)
        .await?;
    let rows = app
        .attrs("[data-testid=pending-order]", "data-order-id")
        .await?;
    assert!(rows.len() >= 3, "{rows:?}");
    // Long after the list settled, the seller aims at the second row's Confirm; then the
    // marketplace goes away and the error banner pushes the list down under the pointer.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let aimed = app
        .execute_with(CLICK_WHERE_IT_WAS, vec![serde_json::json!(1)])
        .await?;
    marketplace.stop().await;
    let shifted = eventually("the list to move under the pointer", DETECT_OUTAGE, || {
        let app = &app;
        async move {
            let value = app.execute("return window.__shifted;").await?;
            Ok((!value.is_null()).then_some(value))
        }
    })
    .await?;
    assert_eq!(shifted["aimed"], aimed);
    assert_eq!(
        shifted["confirm"], true,
        "the click landed on a Confirm: {shifted}"
    );
    let hit = shifted["hit"].as_str().unwrap_or_default().to_owned();
    assert!(
        !hit.is_empty() && hit != aimed.as_str().unwrap_or_default(),
        "another order's Confirm slid under the pointer: {shifted}"
    );
    // Nothing was confirmed, nor queued to be.
    holds_for("no action taken", Duration::from_secs(2), || async {
        let queued = app
            .attrs("[data-testid=pending-order]", "data-queued")
            .await?;
        Ok(queued
            .iter()
            .any(|q| !q.is_empty())
            .then(|| format!("an action was queued: {queued:?}")))
    })
    .await?;
    // The same button, clicked once it has stayed put, works (queued: the server is down).
    app.click_until(
        &format!("{} [data-testid=confirm]", row(&hit)),
        ACTION,
        || async { Ok(app.attr(&row(&hit), "data-queued").await?.as_deref() == Some("confirm")) },
    )
    .await?;
    app.quit().await
}
