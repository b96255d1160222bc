//! Starting offline and from a damaged cache, in the real window against the real server:
//! with the marketplace down, every page the seller visited before shows its cached data
//! marked "from cache · updated … ago"; with garbage in place of the cache file, the app
//! starts, says once that it rebuilt the cache and where it kept the unreadable file, and
//! the dashboard fills again from the server.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sellerdash_e2e::app::App;
use sellerdash_e2e::marketplace::Marketplace;

/// First data from the server (the app's first poll, and a page mounting).
const FIRST_DATA: Duration = Duration::from_secs(15);
/// Cached data on screen after the window is up. Generous: this asserts that the data
/// appears without the server, not how fast (examples/offline_start.rs measures that).
const FROM_CACHE: Duration = Duration::from_secs(10);
const RENDER: Duration = Duration::from_secs(3);

/// Every `cache.sqlite` under the app's data directory (one per marketplace profile).
fn cache_files(data_dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![data_dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.file_name().is_some_and(|name| name == "cache.sqlite") {
                found.push(path);
            }
        }
    }
    found
}

/// The page's age line says its data comes from the cache, with its age.
async fn shows_cached(app: &App, page: &str) -> anyhow::Result<()> {
    let age = app
        .wait_text("[data-testid=data-age]", FROM_CACHE, |text| {
            text.contains("from cache") && text.contains("updated") && text.contains("ago")
        })
        .await
        .map_err(|e| e.context(format!("the {page} page is not marked from cache")))?;
    anyhow::ensure!(!age.is_empty());
    app.wait_for("[data-testid=data-age] [data-testid=from-cache]", RENDER)
        .await?;
    Ok(())
}

#[tokio::test]
async fn with_the_server_down_every_visited_page_shows_its_cached_data_and_age()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut marketplace = Marketplace::start(dir.path()).await?;
    let data_dir = dir.path().join("app");

    // A session online: the dashboard (two periods), sales, one order, pending, payouts.
    let app = App::launch(&marketplace.url(), marketplace.seller_token(), &data_dir).await?;
    let revenue = app
        .wait_text("[data-testid=stat-revenue]", FIRST_DATA, |text| {
            text.chars().any(|c| c.is_ascii_digit())
        })
        .await?;
    app.click("[data-testid=period-today]").await?;
    app.wait_for("[data-period=\"today\"]", FIRST_DATA).await?;
    let today_revenue = app.text("[data-testid=stat-revenue]").await?;
    app.click("[data-testid=period-30d]").await?;
    app.wait_for("[data-period=\"30d\"]", FIRST_DATA).await?;

    app.click("[data-testid=nav-sales]").await?;
    let first_row = app.wait_for("[data-testid=sales-row]", FIRST_DATA).await?;
    let order_id = first_row
        .attr("data-order-id")
        .await?
        .ok_or_else(|| anyhow::anyhow!("a sales row names its order"))?;
    let rows_online = app
        .attrs("[data-testid=sales-row]", "data-order-id")
        .await?;
    app.click(&format!(
        "[data-testid=sales-row][data-order-id=\"{order_id}\"] button"
    ))
    .await?;
    let order = marketplace.order(&order_id).await?;
    app.wait_text("[data-testid=order-total]", FIRST_DATA, |text| {
        text.contains(&order.total.to_string())
    })
    .await?;

    app.click("[data-testid=nav-pending]").await?;
    app.wait_for("[data-testid=pending-total]", FIRST_DATA)
        .await?;
    let pending_total = marketplace.pending().await?.total;

    app.click("[data-testid=nav-payouts]").await?;
    let stats = marketplace.payout_stats().await?;
    app.wait_text("[data-testid=payout-available]", FIRST_DATA, |text| {
        text.contains(&stats.available.to_string())
    })
    .await?;
    app.wait_for("[data-testid=payout-row]", FIRST_DATA).await?;
    app.quit().await?;

    // The marketplace goes away; the app starts again.
    marketplace.stop().await;
    let app = App::launch(&marketplace.url(), marketplace.seller_token(), &data_dir).await?;

    // Dashboard: the figures of the last session, marked as cached with their age.
    app.wait_text("[data-testid=stat-revenue]", FROM_CACHE, |text| {
        text == revenue
    })
    .await?;
    shows_cached(&app, "dashboard").await?;
    app.click("[data-testid=period-today]").await?;
    app.wait_for("[data-period=\"today\"]", FROM_CACHE).await?;
    app.wait_text("[data-testid=stat-revenue]", FROM_CACHE, |text| {
        text == today_revenue
    })
    .await?;
    shows_cached(&app, "dashboard (today)").await?;

    // Sales: the same rows.
    app.click("[data-testid=nav-sales]").await?;
    app.wait_for(
        &format!("[data-testid=sales-row][data-order-id=\"{order_id}\"]"),
        FROM_CACHE,
    )
    .await?;
    assert_eq!(
        app.attrs("[data-testid=sales-row]", "data-order-id")
            .await?,
        rows_online
    );
    shows_cached(&app, "sales").await?;

    // The order opened last time.
    app.click(&format!(
        "[data-testid=sales-row][data-order-id=\"{order_id}\"] button"
    ))
    .await?;
    app.wait_text("[data-testid=order-total]", FROM_CACHE, |text| {
        text.contains(&order.total.to_string())
    })
    .await?;
    shows_cached(&app, "order").await?;

    // Pending: the server's total as last seen.
    app.click("[data-testid=nav-pending]").await?;
    app.wait_attr(
        "[data-testid=pending-total]",
        "data-total",
        FROM_CACHE,
        |total| total == pending_total.to_string(),
    )
    .await?;
    shows_cached(&app, "pending").await?;

    // Payouts.
    app.click("[data-testid=nav-payouts]").await?;
    app.wait_text("[data-testid=payout-available]", FROM_CACHE, |text| {
        text.contains(&stats.available.to_string())
    })
    .await?;
    app.wait_for("[data-testid=payout-row]", FROM_CACHE).await?;
    shows_cached(&app, "payouts").await?;
    app.quit().await
}

#[tokio::test]
async fn a_garbage_cache_file_is_moved_aside_said_once_and_the_dashboard_fills_again()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let data_dir = dir.path().join("app");

    let app = App::launch(&marketplace.url(), marketplace.seller_token(), &data_dir).await?;
    app.wait_text("[data-testid=stat-revenue]", FIRST_DATA, |text| {
        text.chars().any(|c| c.is_ascii_digit())
    })
    .await?;
    // A healthy cache says nothing.
    anyhow::ensure!(
        app.texts("[data-testid=cache-notice]").await?.is_empty(),
        "a notice with a healthy cache"
    );
    app.quit().await?;

    let caches = cache_files(&data_dir);
    anyhow::ensure!(caches.len() == 1, "one cache file: {caches:?}");
    let garbage: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&caches[0], &garbage)?;
    // Only the garbage: a write-ahead log left by the last run would still hold the pages.
    for suffix in ["-wal", "-shm"] {
        let mut companion = caches[0].clone().into_os_string();
        companion.push(suffix);
        if Path::new(&companion).exists() {
            std::fs::remove_file(&companion)?;
        }
    }

    let app = App::launch(&marketplace.url(), marketplace.seller_token(), &data_dir).await?;
    let message = app
        .wait_text("[data-testid=cache-notice-text]", FROM_CACHE, |text| {
            text.starts_with(
                "The local cache was unreadable and has been rebuilt; the unreadable file was kept as ",
            )
        })
        .await?;
    let profile = caches[0]
        .parent()
        .ok_or_else(|| anyhow::anyhow!("the cache lies in a profile folder"))?;
    let kept: Vec<PathBuf> = std::fs::read_dir(profile)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("cache.sqlite.corrupt-"))
        })
        .collect();
    anyhow::ensure!(kept.len() == 1, "one file kept aside: {kept:?}");
    assert!(
        message.contains(&kept[0].display().to_string()),
        "the notice names {}: {message}",
        kept[0].display()
    );
    assert_eq!(
        std::fs::read(&kept[0])?,
        garbage,
        "the kept file is the original"
    );

    // The dashboard fills from the server, and the new cache with it.
    let api = marketplace
        .dashboard(sellerdash_api::Period::default())
        .await?;
    app.wait_text("[data-testid=stat-revenue]", FIRST_DATA, |text| {
        text.contains(&api.revenue.to_string())
    })
    .await?;
    app.wait_text("[data-testid=data-age]", FIRST_DATA, |text| {
        text.starts_with("Updated") && !text.contains("from cache")
    })
    .await?;

    // Shown once: dismissed, it stays gone across pages.
    app.click("[data-testid=cache-notice-dismiss]").await?;
    app.wait_gone("[data-testid=cache-notice]", RENDER).await?;
    app.click("[data-testid=nav-sales]").await?;
    app.wait_for("[data-testid=sales-row]", FIRST_DATA).await?;
    app.click("[data-testid=nav-dashboard]").await?;
    app.wait_for("[data-testid=stat-revenue]", RENDER).await?;
    sellerdash_e2e::holds_for("no cache notice", Duration::from_secs(2), || async {
        let shown = app.texts("[data-testid=cache-notice]").await?;
        Ok((!shown.is_empty()).then(|| format!("it showed again: {shown:?}")))
    })
    .await?;
    app.quit().await?;

    // The rebuilt cache holds the new answers: the next start shows them and says nothing.
    let app = App::launch(&marketplace.url(), marketplace.seller_token(), &data_dir).await?;
    app.wait_text("[data-testid=stat-revenue]", FROM_CACHE, |text| {
        text.chars().any(|c| c.is_ascii_digit())
    })
    .await?;
    sellerdash_e2e::holds_for("no cache notice", Duration::from_secs(2), || async {
        let shown = app.texts("[data-testid=cache-notice]").await?;
        Ok((!shown.is_empty()).then(|| format!("a notice after a clean start: {shown:?}")))
    })
    .await?;
    app.quit().await
}
