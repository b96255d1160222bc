//! The seller's path end to end: the real server, the built app in a real window under Xvfb,
//! WebDriver clicks, notifications and the tray observed on the session D-Bus.

use std::time::Duration;

use sellerdash_api::OrderStatus;
use sellerdash_e2e::app::App;
use sellerdash_e2e::dbus::{NotificationWatch, tray_menu_labels};
use sellerdash_e2e::eventually;
use sellerdash_e2e::marketplace::Marketplace;

/// The pending orders poll every 5 s; the design promises a new order within two intervals.
const TWO_POLL_INTERVALS: Duration = Duration::from_secs(10);
/// Time for the window to render what an event carried.
const RENDER: Duration = Duration::from_secs(2);
/// How long the app may take to notice the server is gone: a failed poll and its three
/// retries (1 + 2 + 4 s) after at most one interval.
const DETECT_OUTAGE: Duration = Duration::from_secs(20);

fn pending_label(labels: &[String]) -> Option<String> {
    labels
        .iter()
        .find(|label| label.starts_with("Pending orders"))
        .cloned()
}

#[tokio::test]
async fn a_new_order_reaches_the_window_a_notification_and_the_tray_and_confirm_works()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let notifications = NotificationWatch::start().await?;
    let app = App::launch(
        &marketplace.url(),
        marketplace.seller_token(),
        &dir.path().join("app"),
    )
    .await?;

    app.click("[data-testid=nav-pending]").await?;
    app.wait_for("[data-testid=pending-page]", RENDER).await?;
    app.wait_text("[data-testid=data-age]", TWO_POLL_INTERVALS, |text| {
        text.contains("ago")
    })
    .await?;
    let before = marketplace.pending().await?.total;
    let pid = app.pid()?;
    eventually(
        "the tray to show the pending total",
        TWO_POLL_INTERVALS,
        || async move {
            let labels = tray_menu_labels(pid)?;
            Ok(
                (pending_label(&labels) == Some(format!("Pending orders ({before})")))
                    .then_some(()),
            )
        },
    )
    .await?;

    let order = marketplace.create_order().await?;
    let row = format!(
        "[data-testid=pending-order][data-order-id=\"{}\"]",
        order.id
    );
    app.wait_for(&row, TWO_POLL_INTERVALS + RENDER).await?;

    notifications
        .wait_naming(&order.id, TWO_POLL_INTERVALS)
        .await?;
    let expected = format!("Pending orders ({})", before + 1);
    eventually("the tray to count the new order", TWO_POLL_INTERVALS, || {
        let expected = expected.clone();
        async move { Ok((pending_label(&tray_menu_labels(pid)?) == Some(expected)).then_some(())) }
    })
    .await?;

    // A row ignores clicks for a moment after it appears, so the click may need repeating.
    app.click_until(
        &format!("{row} [data-testid=confirm]"),
        TWO_POLL_INTERVALS,
        || async { Ok(marketplace.order(&order.id).await?.status == OrderStatus::Confirmed) },
    )
    .await?;
    app.wait_gone(&row, TWO_POLL_INTERVALS).await?;
    let expected = format!("Pending orders ({before})");
    eventually("the tray to drop the confirmed order", TWO_POLL_INTERVALS, || {
        let expected = expected.clone();
        async move { Ok((pending_label(&tray_menu_labels(pid)?) == Some(expected)).then_some(())) }
    })
    .await?;

    // By now the app has polled several more times: still exactly one notification.
    assert_eq!(
        notifications.count_naming(&order.id),
        1,
        "Notify calls: {:#?}",
        notifications.calls()
    );
    app.quit().await
}

#[tokio::test]
async fn an_outage_keeps_the_data_a_restart_shows_the_cache_and_the_return_refreshes()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data_dir = dir.path().join("app");
    let mut marketplace = Marketplace::start(dir.path()).await?;
    let app = App::launch(&marketplace.url(), marketplace.seller_token(), &data_dir).await?;

    app.wait_for("[data-testid=dashboard]", RENDER).await?;
    let revenue = app
        .wait_text("[data-testid=stat-revenue]", TWO_POLL_INTERVALS, |text| {
            !text.trim().is_empty()
        })
        .await?;
    app.wait_text("[data-testid=connection]", TWO_POLL_INTERVALS, |text| {
        text.contains("Live")
    })
    .await?;

    marketplace.stop().await;
    app.wait_text("[data-testid=connection]", DETECT_OUTAGE, |text| {
        text.contains("Offline")
    })
    .await?;
    assert_eq!(
        app.text("[data-testid=stat-revenue]").await?,
        revenue,
        "the last data stays on screen"
    );
    let age = app.text("[data-testid=data-age]").await?;
    assert!(
        age.contains("ago"),
        "the page says how old its data is: {age:?}"
    );
    app.quit().await?;

    // Relaunch with the server still down: the cached data, marked as such.
    let app = App::launch(&marketplace.url(), marketplace.seller_token(), &data_dir).await?;
    app.wait_for("[data-testid=dashboard]", RENDER).await?;
    assert_eq!(
        app.wait_text("[data-testid=stat-revenue]", RENDER, |text| !text
            .trim()
            .is_empty())
            .await?,
        revenue,
        "the cache shows the last data before any network answer"
    );
    app.wait_text("[data-testid=data-age]", RENDER, |text| {
        text.contains("cache")
    })
    .await?;
    app.wait_text("[data-testid=connection]", DETECT_OUTAGE, |text| {
        text.contains("Offline")
    })
    .await?;

    // The server returns: the app refreshes with no user action.
    marketplace.restart().await?;
    app.wait_text("[data-testid=connection]", DETECT_OUTAGE, |text| {
        text.contains("Live")
    })
    .await?;
    app.wait_text("[data-testid=data-age]", TWO_POLL_INTERVALS, |text| {
        !text.contains("cache")
    })
    .await?;
    app.quit().await
}
