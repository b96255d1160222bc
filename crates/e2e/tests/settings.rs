//! The Settings page, end to end against two real marketplaces: the connection test names
//! the seller or says the token is refused; saving another marketplace and token switches
//! the running app to it without a restart (its dashboard shows that shop's figures, the
//! tray its count); a new dashboard interval shows in Diagnostics and the reset brings back
//! the design's 5 s; bad input is refused next to its field; with notifications off a new
//! order raises no popup but still reaches the tray; the demo store comes back on request.

use std::time::Duration;

use sellerdash_api::Currency;
use sellerdash_e2e::app::App;
use sellerdash_e2e::dbus::{NotificationWatch, TrayMenu};
use sellerdash_e2e::marketplace::Marketplace;
use sellerdash_e2e::{eventually, holds_for};

/// The pending orders poll every 5 s; a change shows within two intervals.
const TWO_POLL_INTERVALS: Duration = Duration::from_secs(10);
/// Time for the window to render what an answer or event carried.
const RENDER: Duration = Duration::from_secs(3);
/// A connection test, a save or a marketplace switch (the old core stops, the new one
/// answers its first polls).
const SETTLE: Duration = Duration::from_secs(15);

const DASHBOARD_INTERVAL: &str =
    "[data-testid=diagnostics-row][data-key='seller/dashboard'] td:nth-child(4)";

async fn open_settings(app: &App) -> anyhow::Result<()> {
    app.click("[data-testid=nav-settings]").await?;
    app.wait_for(
        "[data-testid=settings-page] [data-testid=settings-save]",
        RENDER,
    )
    .await?;
    Ok(())
}

async fn save(app: &App) -> anyhow::Result<String> {
    app.click("[data-testid=settings-save]").await?;
    app.wait_text("[data-testid=settings-status]", SETTLE, |text| {
        !text.trim().is_empty()
    })
    .await
}

async fn test_connection(app: &App) -> anyhow::Result<String> {
    app.click("[data-testid=settings-test]").await?;
    app.wait_text("[data-testid=settings-test-result]", SETTLE, |text| {
        !text.trim().is_empty()
    })
    .await
}

async fn dashboard_interval_reads(app: &App, expected: &str) -> anyhow::Result<()> {
    app.click("[data-testid=nav-diagnostics]").await?;
    app.wait_text(DASHBOARD_INTERVAL, SETTLE, |text| text.trim() == expected)
        .await?;
    Ok(())
}

#[tokio::test]
async fn settings_test_switch_intervals_and_quiet_notifications() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    for name in ["first", "second"] {
        std::fs::create_dir_all(dir.path().join(name))?;
    }
    let first = Marketplace::start(&dir.path().join("first")).await?;
    let second = Marketplace::start(&dir.path().join("second")).await?;
    // Another shop on the second marketplace, in another currency, with one order.
    let (shop, product) = second
        .create_shop("Harbour Tea Rooms", Currency::JPY, 1_500)
        .await?;
    second.create_order_for(&shop.id, &product.id, 2).await?;
    let first_seller = first.account().await?.name;
    let notifications = NotificationWatch::start().await?;
    let app = App::launch(&first.url(), first.seller_token(), &dir.path().join("app")).await?;
    app.wait_for("[data-testid=dashboard]", RENDER).await?;
    let menu = TrayMenu::of(app.pid()?)?;

    // The page says this run's marketplace came from the command line and shows it.
    open_settings(&app).await?;
    let running = app.text("[data-testid=settings-running]").await?;
    assert!(running.contains(&first.url()), "{running}");
    assert!(running.contains("command line"), "{running}");
    assert_eq!(app.value("[data-testid=settings-url]").await?, first.url());
    const THIS_RUN: &str = "Using the token given on the command line for this run (not saved)";
    app.wait_text("[data-testid=settings-token-status]", RENDER, |t| {
        t == THIS_RUN
    })
    .await?;
    assert_eq!(app.value("[data-testid=interval-dashboard]").await?, "5");

    // Test connection: the right token names the seller and its pending count.
    let pending = first.pending().await?.total;
    app.fill("[data-testid=settings-token]", first.seller_token())
        .await?;
    let ok = test_connection(&app).await?;
    let orders = if pending == 1 { "order" } else { "orders" };
    assert_eq!(
        ok,
        format!("Connected as {first_seller} — {pending} pending {orders}")
    );
    // A wrong one is refused, in plain words; nothing was saved by testing.
    app.fill("[data-testid=settings-token]", "not-a-seller-token")
        .await?;
    let refused = test_connection(&app).await?;
    assert!(refused.starts_with("Token refused"), "{refused}");
    assert_eq!(
        app.text("[data-testid=settings-token-status]").await?,
        THIS_RUN,
        "testing saved nothing"
    );

    // Bad input: an address without http(s):// and an interval out of range. Nothing saved.
    app.fill("[data-testid=settings-url]", "seller-api.example.com")
        .await?;
    app.fill("[data-testid=interval-dashboard]", "1").await?;
    app.fill("[data-testid=quiet-from]", "25:00").await?;
    let refused = save(&app).await?;
    assert!(refused.starts_with("Nothing was saved"), "{refused}");
    let url_error = app.text("[data-testid='error-url']").await?;
    assert!(url_error.contains("http:// or https://"), "{url_error}");
    let interval_error = app.text("[data-testid='error-interval.dashboard']").await?;
    assert!(
        interval_error.contains("out of range (2 s to 1 hour)"),
        "{interval_error}"
    );
    let quiet_error = app.text("[data-testid='error-quiet_from']").await?;
    assert!(quiet_error.contains("HH:MM"), "{quiet_error}");
    assert!(
        !dir.path().join("app").join("settings.json").exists(),
        "a refused change writes no settings file"
    );

    // Switch to the other marketplace and shop: applied at once, no restart.
    let pid = app.pid()?;
    app.fill("[data-testid=interval-dashboard]", "5").await?;
    app.fill("[data-testid=quiet-from]", "22:00").await?;
    app.fill("[data-testid=settings-url]", &second.url())
        .await?;
    app.fill("[data-testid=settings-token]", &shop.token)
        .await?;
    let saved = save(&app).await?;
    assert!(saved.starts_with("Saved"), "{saved}");
    let token_status = app.text("[data-testid=settings-token-status]").await?;
    assert!(
        token_status == "Token saved (keyring)" || token_status == "Token saved (file)",
        "{token_status}"
    );
    assert_eq!(app.value("[data-testid=settings-token]").await?, "");
    let settings_file = std::fs::read_to_string(dir.path().join("app").join("settings.json"))?;
    assert!(settings_file.contains(&second.url()), "{settings_file}");
    assert!(
        !settings_file.contains(&shop.token),
        "the token is never in settings.json"
    );
    let running = app.text("[data-testid=settings-running]").await?;
    assert!(running.contains(&second.url()), "{running}");

    // An edit left unsaved survives a visit to another page, and can be discarded.
    app.fill("[data-testid=interval-payouts]", "30").await?;
    app.click("[data-testid=nav-dashboard]").await?;
    open_settings(&app).await?;
    assert_eq!(app.value("[data-testid=interval-payouts]").await?, "30");
    assert_eq!(
        app.text("[data-testid=settings-unsaved]").await?,
        "Unsaved changes"
    );
    app.click_centered("[data-testid=settings-discard]").await?;
    app.wait_gone("[data-testid=settings-unsaved]", RENDER)
        .await?;
    assert_eq!(app.value("[data-testid=interval-payouts]").await?, "10");

    // The saved token belongs to its own address: testing another address without typing
    // a token sends nothing and asks for that marketplace's token.
    app.fill("[data-testid=settings-url]", &first.url()).await?;
    let other = app.text("[data-testid=settings-token-status]").await?;
    assert!(
        other.contains(&format!("for {} only", second.url())),
        "{other}"
    );
    let refused = test_connection(&app).await?;
    assert!(
        refused.starts_with("Enter the token for this marketplace"),
        "{refused}"
    );
    app.fill("[data-testid=settings-url]", &second.url())
        .await?;

    let (dashboard, shop_pending) = second.seen_by(&shop.token).await?;
    assert_eq!(shop_pending.total, 1);
    app.click("[data-testid=nav-dashboard]").await?;
    let revenue = dashboard.revenue.to_string();
    app.wait_text("[data-testid=stat-revenue]", SETTLE, |text| {
        text.contains(&revenue)
    })
    .await?;
    app.wait_text("[data-testid=stat-pending]", SETTLE, |text| {
        text.contains('1')
    })
    .await?;
    eventually("the tray to count the new shop's order", SETTLE, || async {
        Ok((menu.item("Pending orders")?.label == "Pending orders (1)").then_some(()))
    })
    .await?;
    assert_eq!(app.pid()?, pid, "the same process: no restart");

    // A new dashboard interval is in effect at once; the reset brings back the design's 5 s.
    open_settings(&app).await?;
    app.fill("[data-testid=interval-dashboard]", "7").await?;
    assert!(save(&app).await?.starts_with("Saved"));
    dashboard_interval_reads(&app, "7 s").await?;
    open_settings(&app).await?;
    assert_eq!(app.value("[data-testid=interval-dashboard]").await?, "7");
    // A token typed but not saved yet survives the reset (which saves only the intervals).
    app.fill("[data-testid=settings-token]", "typed-not-saved")
        .await?;
    app.click("[data-testid=settings-reset]").await?;
    app.wait_text("[data-testid=settings-status]", SETTLE, |text| {
        text.starts_with("Saved")
    })
    .await?;
    assert_eq!(app.value("[data-testid=interval-dashboard]").await?, "5");
    assert_eq!(
        app.value("[data-testid=settings-token]").await?,
        "typed-not-saved"
    );
    dashboard_interval_reads(&app, "5 s").await?;

    // Notifications off: a new order raises no popup, but the tray still counts it.
    open_settings(&app).await?;
    assert!(app.checked("[data-testid=settings-notifications]").await?);
    app.click("[data-testid=settings-notifications]").await?;
    assert!(save(&app).await?.starts_with("Saved"));
    let order = second.create_order_for(&shop.id, &product.id, 1).await?;
    eventually(
        "the tray to count the order",
        TWO_POLL_INTERVALS,
        || async { Ok((menu.item("Pending orders")?.label == "Pending orders (2)").then_some(())) },
    )
    .await?;
    let (id, notifications) = (&order.id, &notifications);
    holds_for(
        "no notification naming the order",
        Duration::from_secs(6),
        || async move {
            let count = notifications.count_naming(id);
            Ok((count > 0)
                .then(|| format!("{count} Notify calls name it: {:#?}", notifications.calls())))
        },
    )
    .await?;

    // Back to the demo store: the embedded server starts in the app, with its own data.
    app.click("[data-testid=nav-dashboard]").await?;
    open_settings(&app).await?;
    app.click("[data-testid=settings-demo]").await?;
    assert!(save(&app).await?.starts_with("Saved"));
    app.wait_text("[data-testid=settings-running]", SETTLE, |text| {
        text.contains("built-in demo store")
    })
    .await?;
    // The shop's token is still kept for its address: choosing it again needs no retyping.
    app.click_centered("[data-testid=settings-remote]").await?;
    app.fill("[data-testid=settings-url]", &second.url())
        .await?;
    let kept = app
        .wait_text("[data-testid=settings-token-status]", RENDER, |t| {
            t.starts_with("Token saved")
        })
        .await?;
    assert!(
        kept == "Token saved (keyring)" || kept == "Token saved (file)",
        "{kept}"
    );
    app.click_centered("[data-testid=settings-demo]").await?;
    app.click("[data-testid=nav-dashboard]").await?;
    app.wait_text("[data-testid=stat-revenue]", SETTLE, |text| {
        text.contains('€')
    })
    .await?;
    assert_eq!(app.pid()?, pid, "still no restart");
    app.quit().await
}
