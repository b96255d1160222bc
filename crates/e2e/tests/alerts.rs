//! Alerts exactly once, end to end: the built app against the real server, its `Notify`
//! calls read from the session D-Bus and its tray menu over D-Bus. A new pending order is
//! announced once, and never again when it is confirmed and reopened (pending again), when
//! the app restarts, or when the server goes away and comes back (the tray meanwhile says
//! "offline" beside the count it last had). Orders that arrived while the app was closed
//! make one summary naming how many, not one popup each.

use std::time::Duration;

use sellerdash_api::AdminAction;
use sellerdash_e2e::app::App;
use sellerdash_e2e::dbus::{NotificationWatch, TrayMenu};
use sellerdash_e2e::marketplace::Marketplace;
use sellerdash_e2e::{eventually, holds_for};

/// The pending orders poll every 5 s; the design promises a new order within two intervals.
const POLL_INTERVAL: Duration = Duration::from_secs(5);
const TWO_POLL_INTERVALS: Duration = Duration::from_secs(10);
/// Time for the window's first page.
const RENDER: Duration = Duration::from_secs(5);
/// An outage noticed, or the end of one: a poll interval plus the retry back-off (1 s
/// doubling, capped at 15 s) and its next interval.
const RECONNECT: Duration = Duration::from_secs(40);

/// Waits until the tray's pending entry reads exactly `label`.
async fn tray_says(menu: &TrayMenu, label: &str, timeout: Duration) -> anyhow::Result<()> {
    eventually(
        &format!("the tray to say {label:?}"),
        timeout,
        || async move {
            let now = menu.item("Pending orders")?.label;
            Ok((now == label).then_some(()))
        },
    )
    .await
}

/// Proves that for two poll intervals no `Notify` call is made beyond the `calls` already
/// seen, and that exactly one names `id`.
async fn nothing_more(
    notifications: &NotificationWatch,
    calls: usize,
    id: &str,
    after: &str,
) -> anyhow::Result<()> {
    holds_for(
        &format!("no new notification after {after}"),
        TWO_POLL_INTERVALS,
        || async move {
            let all = notifications.calls();
            let naming = notifications.count_naming(id);
            Ok((all.len() != calls || naming != 1)
                .then(|| format!("{naming} name the order, {} in all: {all:#?}", all.len())))
        },
    )
    .await
}

async fn launch(marketplace: &Marketplace, data_dir: &std::path::Path) -> anyhow::Result<App> {
    let app = App::launch(&marketplace.url(), marketplace.seller_token(), data_dir).await?;
    app.wait_for("[data-testid=dashboard]", RENDER).await?;
    Ok(app)
}

#[tokio::test]
async fn a_new_order_is_notified_once_across_reopen_restart_and_outage() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data_dir = dir.path().join("app");
    let mut marketplace = Marketplace::start(dir.path()).await?;
    let notifications = NotificationWatch::start().await?;
    let app = launch(&marketplace, &data_dir).await?;
    let demo_pending = marketplace.pending().await?.total;
    // A first launch sums up the store's waiting orders in one notification.
    let summary = format!("{demo_pending} orders are waiting for confirmation");
    notifications
        .wait_naming(&summary, TWO_POLL_INTERVALS)
        .await?;
    let menu = TrayMenu::of(app.pid()?)?;
    tray_says(
        &menu,
        &format!("Pending orders ({demo_pending})"),
        TWO_POLL_INTERVALS,
    )
    .await?;

    // Order #1: one notification naming it.
    let order = marketplace.create_order().await?;
    notifications
        .wait_naming(&format!("Order {}", order.id), TWO_POLL_INTERVALS)
        .await?;
    let with_order = demo_pending + 1;
    tray_says(
        &menu,
        &format!("Pending orders ({with_order})"),
        TWO_POLL_INTERVALS,
    )
    .await?;
    let calls = notifications.calls().len();
    assert_eq!(calls, 2, "{:#?}", notifications.calls());

    // pending → confirmed → pending (the buyer changed it): counted again, not announced.
    marketplace.confirm(&order.id).await?;
    tray_says(
        &menu,
        &format!("Pending orders ({demo_pending})"),
        TWO_POLL_INTERVALS,
    )
    .await?;
    let reopened = marketplace
        .transition(&order.id, AdminAction::Reopen)
        .await?;
    assert_eq!(reopened.status, sellerdash_api::OrderStatus::Pending);
    tray_says(
        &menu,
        &format!("Pending orders ({with_order})"),
        TWO_POLL_INTERVALS,
    )
    .await?;
    nothing_more(&notifications, calls, &order.id, "the reopen").await?;

    // A restart of the app on the same data: nothing new, nothing announced.
    app.quit().await?;
    let app = launch(&marketplace, &data_dir).await?;
    let menu = TrayMenu::of(app.pid()?)?;
    tray_says(
        &menu,
        &format!("Pending orders ({with_order})"),
        TWO_POLL_INTERVALS,
    )
    .await?;
    nothing_more(&notifications, calls, &order.id, "the restart").await?;

    // The server goes away: the tray keeps the count it last had, marked offline; it comes
    // back: the reconnect refetch announces nothing.
    marketplace.stop().await;
    tray_says(
        &menu,
        &format!("Pending orders ({with_order}, offline)"),
        RECONNECT,
    )
    .await?;
    marketplace.restart().await?;
    tray_says(&menu, &format!("Pending orders ({with_order})"), RECONNECT).await?;
    nothing_more(&notifications, calls, &order.id, "the outage").await?;
    app.quit().await
}

#[tokio::test]
async fn orders_that_came_while_the_app_was_closed_make_one_summary() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data_dir = dir.path().join("app");
    let marketplace = Marketplace::start(dir.path()).await?;
    let notifications = NotificationWatch::start().await?;

    // A first run takes in the demo store's waiting orders.
    let app = launch(&marketplace, &data_dir).await?;
    let demo_pending = marketplace.pending().await?.total;
    notifications
        .wait_naming(
            &format!("{demo_pending} orders are waiting for confirmation"),
            TWO_POLL_INTERVALS,
        )
        .await?;
    app.quit().await?;
    let before = notifications.calls().len();

    // 30 orders while the app is closed.
    let mut created = Vec::new();
    for _ in 0..30 {
        created.push(marketplace.create_order().await?.id);
    }
    let app = launch(&marketplace, &data_dir).await?;
    notifications
        .wait_naming("30 orders are waiting for confirmation", TWO_POLL_INTERVALS)
        .await?;
    let menu = TrayMenu::of(app.pid()?)?;
    tray_says(
        &menu,
        &format!("Pending orders ({})", demo_pending + 30),
        TWO_POLL_INTERVALS,
    )
    .await?;
    let (notifications, created) = (&notifications, &created);
    holds_for(
        "one summary and no popup per order",
        POLL_INTERVAL + Duration::from_secs(1),
        || async move {
            let calls = notifications.calls();
            let new = &calls[before..];
            let per_order: Vec<&String> = created
                .iter()
                .filter(|id| notifications.count_naming(&format!("Order {id}")) > 0)
                .collect();
            Ok((new.len() != 1 || !per_order.is_empty()).then(|| {
                format!(
                    "{} notifications since the start, {} naming an order: {new:#?}",
                    new.len(),
                    per_order.len()
                )
            }))
        },
    )
    .await?;
    let summary = &notifications.calls()[before];
    assert!(summary.contains("and 27 more"), "{summary}");
    app.quit().await
}
