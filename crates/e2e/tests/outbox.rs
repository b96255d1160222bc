//! The action outbox in a real window against the real server, which really goes away: a
//! confirm clicked while the server is stopped is shown as queued and applied exactly once
//! when it is back; a queued confirm the server refuses on replay (the buyer cancelled
//! meanwhile) is reverted and the seller told why; an app killed right after queuing sends
//! the action once after it is started again.

use std::time::Duration;

use fantoccini::key::Key;
use sellerdash_api::{AdminAction, Order, OrderStatus};
use sellerdash_e2e::app::App;
use sellerdash_e2e::eventually;
use sellerdash_e2e::marketplace::Marketplace;

/// A page's first data.
const FIRST_DATA: Duration = Duration::from_secs(10);
/// The core notices an outage after its retries.
const DETECT_OUTAGE: Duration = Duration::from_secs(30);
/// The server is back: the next pending poll (5 s) reconnects and flushes the outbox, with
/// the connection's own retry on top.
const RECONNECT: Duration = Duration::from_secs(30);
/// A click's result on screen.
const ACTION: Duration = Duration::from_secs(10);

const QUEUED: &str = "Confirmation queued — will be sent when the marketplace is reachable";

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

fn confirmations(order: &Order) -> usize {
    order
        .timeline
        .iter()
        .filter(|entry| entry.status == OrderStatus::Confirmed)
        .count()
}

/// Opens Pending orders and waits until `id` is listed; then stops the server and waits
/// until the app says it is offline.
async fn offline_with(app: &App, marketplace: &mut Marketplace, id: &str) -> anyhow::Result<()> {
    app.press(&[Key::Alt.into(), '3']).await?;
    app.wait_for(&row(id), FIRST_DATA).await?;
    marketplace.stop().await;
    app.wait_text("[data-testid=connection]", DETECT_OUTAGE, |t| {
        t.contains("Offline")
    })
    .await?;
    Ok(())
}

/// Clicks the row's Confirm and waits for the queued note.
async fn confirm_offline(app: &App, id: &str) -> anyhow::Result<()> {
    let row = row(id);
    let note_css = format!("{row} [data-testid=queued-note]");
    // The outage banners move the list, and a row ignores clicks for a moment after it
    // moves, so a click may need repeating.
    app.click_until(&format!("{row} [data-testid=confirm]"), ACTION, || async {
        Ok(!app.texts(&note_css).await?.is_empty())
    })
    .await?;
    let note = app
        .wait_text(&format!("{row} [data-testid=queued-note]"), ACTION, |t| {
            t.contains("queued")
        })
        .await?;
    assert_eq!(note, QUEUED);
    assert_eq!(
        app.attr(&row, "data-queued").await?.as_deref(),
        Some("confirm")
    );
    for button in ["confirm", "cancel"] {
        assert!(
            app.attr(&format!("{row} [data-testid={button}]"), "disabled")
                .await?
                .is_some(),
            "a queued order's {button} button is disabled"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_confirm_taken_offline_is_queued_then_applied_once_when_the_server_is_back()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut marketplace = Marketplace::start(dir.path()).await?;
    let order = marketplace.create_order().await?;
    let app = launch(dir.path(), &marketplace).await?;
    // The seller looked at the order while online: its details are cached.
    app.press(&[Key::Alt.into(), '3']).await?;
    app.click(&format!("{} [data-testid=pending-open]", row(&order.id)))
        .await?;
    app.wait_for("[data-testid=order-confirm]", FIRST_DATA)
        .await?;
    offline_with(&app, &mut marketplace, &order.id).await?;

    confirm_offline(&app, &order.id).await?;
    // Still listed and still counted: the pending total is the server's, not faked.
    let total_before = app
        .attr("[data-testid=pending-total]", "data-total")
        .await?;

    // The order details say it too.
    app.click(&format!("{} [data-testid=pending-open]", row(&order.id)))
        .await?;
    let note = app
        .wait_text("[data-testid=order-queued-note]", ACTION, |t| {
            t.contains("queued")
        })
        .await?;
    assert_eq!(note, QUEUED);
    assert!(
        app.attr("[data-testid=order-confirm]", "disabled")
            .await?
            .is_some(),
        "the details' Confirm is disabled while queued"
    );
    app.press(&[Key::Alt.into(), '3']).await?;
    app.wait_for(&row(&order.id), ACTION).await?;
    assert_eq!(
        app.attr("[data-testid=pending-total]", "data-total")
            .await?,
        total_before
    );

    marketplace.restart().await?;
    app.wait_gone(&row(&order.id), RECONNECT).await?;
    let now = marketplace.order(&order.id).await?;
    assert_eq!(now.status, OrderStatus::Confirmed);
    assert_eq!(confirmations(&now), 1, "confirmed exactly once: {now:?}");
    assert!(
        app.texts("[data-testid=outbox-rejected]").await?.is_empty(),
        "nothing was rejected"
    );
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn a_replay_the_server_refuses_is_reverted_and_the_seller_told_why() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut marketplace = Marketplace::start(dir.path()).await?;
    let order = marketplace.create_order().await?;
    let app = launch(dir.path(), &marketplace).await?;
    offline_with(&app, &mut marketplace, &order.id).await?;
    confirm_offline(&app, &order.id).await?;

    // The buyer cancels while the app cannot reach the server.
    let cancelled = marketplace
        .transition_while_stopped(&order.id, AdminAction::BuyerCancel)
        .await?;
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    marketplace.restart().await?;

    let notice = format!(
        "[data-testid=outbox-rejected][data-order-id=\"{}\"]",
        order.id
    );
    let text = app
        .wait_text(&notice, RECONNECT, |t| t.contains("Could not confirm"))
        .await?;
    assert!(
        text.starts_with(&format!("Could not confirm order {}: ", order.id))
            && text.contains("cancelled"),
        "{text:?}"
    );
    // The optimistic state is gone: the order left the pending list (it is cancelled), and
    // the server kept the buyer's cancel, never a confirm.
    app.wait_gone(&row(&order.id), RECONNECT).await?;
    let now = marketplace.order(&order.id).await?;
    assert_eq!(now.status, OrderStatus::Cancelled);
    assert_eq!(confirmations(&now), 0);

    // The notice stays on other pages until dismissed.
    app.press(&[Key::Alt.into(), '1']).await?;
    app.wait_for(&notice, ACTION).await?;
    app.click(&format!("{notice} [data-testid=outbox-dismiss]"))
        .await?;
    app.wait_gone(&notice, ACTION).await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn an_app_killed_after_queuing_sends_the_action_once_after_a_restart() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut marketplace = Marketplace::start(dir.path()).await?;
    let order = marketplace.create_order().await?;
    let app = launch(dir.path(), &marketplace).await?;
    offline_with(&app, &mut marketplace, &order.id).await?;
    confirm_offline(&app, &order.id).await?;

    let pid = app.pid()?;
    std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()?;
    eventually("the app to die", ACTION, || async move {
        Ok((!std::path::Path::new(&format!("/proc/{pid}")).exists()).then_some(()))
    })
    .await?;
    drop(app);

    // Started again while the server is still down: the action is still queued.
    let app = launch(dir.path(), &marketplace).await?;
    app.press(&[Key::Alt.into(), '3']).await?;
    let note = app
        .wait_text(
            &format!("{} [data-testid=queued-note]", row(&order.id)),
            FIRST_DATA,
            |t| t.contains("queued"),
        )
        .await?;
    assert_eq!(note, QUEUED);

    marketplace.restart().await?;
    app.wait_gone(&row(&order.id), RECONNECT).await?;
    let now = marketplace.order(&order.id).await?;
    assert_eq!(now.status, OrderStatus::Confirmed);
    assert_eq!(confirmations(&now), 1, "confirmed exactly once: {now:?}");
    app.quit().await?;
    Ok(())
}
