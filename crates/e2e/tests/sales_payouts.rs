//! The Sales and Payouts pages in the real window against the real server: the newest
//! orders and their totals are the API's, paging and a debounced search show exactly the
//! API's pages and matches, a new order appears on top live, and the CSV exports hold every
//! order of the filter; the balances and a month's history total are the API's, follow a
//! payout run live, and export to CSV.

use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use chrono::Datelike;
use sellerdash_api::{AdminAction, OrderPage, paths};
use sellerdash_e2e::app::App;
use sellerdash_e2e::marketplace::Marketplace;

/// A page's first data: one request, rendered.
const FIRST_DATA: Duration = Duration::from_secs(10);
/// A live change: the list's next poll (5 s while orders move; payouts every 10 s), rendered.
const LIVE: Duration = Duration::from_secs(30);

/// Waits until the sales table shows the list `key` (not a previous list's rows).
async fn wait_list(app: &App, key: &str) -> anyhow::Result<()> {
    app.wait_for(
        &format!("[data-testid=sales-table][data-key=\"{key}\"][data-loading=false]"),
        FIRST_DATA,
    )
    .await?;
    Ok(())
}

/// The ids and displayed totals of the rows, in order.
async fn rows(app: &App) -> anyhow::Result<Vec<(String, String)>> {
    let ids = app
        .attrs("[data-testid=sales-row]", "data-order-id")
        .await?;
    let mut out = Vec::new();
    for id in ids {
        let total = app
            .text(&format!(
                "[data-testid=sales-row][data-order-id=\"{id}\"] [data-testid=sales-total]"
            ))
            .await?;
        out.push((id, total));
    }
    Ok(out)
}

fn api_rows(page: &OrderPage) -> Vec<(String, String)> {
    page.orders
        .iter()
        .map(|order| (order.id.clone(), order.total.to_string()))
        .collect()
}

/// Clicks an export button and returns the saved file's path and row count, once the page
/// reports a file other than `previous`.
async fn export(app: &App, button: &str, previous: Option<&str>) -> anyhow::Result<(String, u64)> {
    app.click_centered(button).await?;
    let path = app
        .wait_attr(
            "[data-testid=export-result]",
            "data-path",
            Duration::from_secs(30),
            |path| Some(path) != previous,
        )
        .await?;
    let rows = app
        .attr("[data-testid=export-result]", "data-rows")
        .await?
        .unwrap_or_default()
        .parse()?;
    Ok((path, rows))
}

/// The records of a saved CSV (CRLF-separated; these exports hold no line breaks in fields).
fn csv_records(path: &str, dir: &Path) -> anyhow::Result<Vec<String>> {
    anyhow::ensure!(
        Path::new(path).starts_with(dir),
        "{path} is not in {}",
        dir.display()
    );
    let text = std::fs::read_to_string(path)?;
    let mut records: Vec<String> = text.split("\r\n").map(str::to_owned).collect();
    anyhow::ensure!(
        records.pop().as_deref() == Some(""),
        "the file ends a record"
    );
    Ok(records)
}

#[tokio::test]
async fn sales_pages_search_live_updates_and_export() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let exports = dir.path().join("Downloads");
    let marketplace = Marketplace::start(dir.path()).await?;
    let first_match = marketplace
        .create_order_named("Wilhelmina Zebrowski")
        .await?;
    let second_match = marketplace.create_order_named("wilhelmina Quist").await?;
    let app = App::launch_with_env(
        &marketplace.url(),
        marketplace.seller_token(),
        &dir.path().join("app"),
        &[("SELLERDASH_EXPORT_DIR", OsStr::new(&exports))],
    )
    .await?;

    // Page 1: the server's 50 newest orders with their totals, and the range.
    app.click("[data-testid=nav-sales]").await?;
    wait_list(&app, "seller/sales").await?;
    let page1 = marketplace.orders_page("", "", 1, 50).await?;
    assert_eq!(rows(&app).await?, api_rows(&page1));
    assert_eq!(page1.orders[0].id, second_match.id);
    let total = page1.total;
    assert!(total > 100, "the demo store has {total} orders");
    app.wait_text("[data-testid=sales-range]", FIRST_DATA, |text| {
        text == format!("1–50 of {}", group(total))
    })
    .await?;

    // Page 2, then back: the API's page 2.
    app.click_centered("[data-testid=sales-next]").await?;
    wait_list(&app, "seller/sales/p/2").await?;
    let page2 = marketplace.orders_page("", "", 2, 50).await?;
    assert_eq!(rows(&app).await?, api_rows(&page2));
    app.wait_text("[data-testid=sales-range]", FIRST_DATA, |text| {
        text == format!("51–100 of {}", group(total))
    })
    .await?;
    app.click_centered("[data-testid=sales-prev]").await?;
    wait_list(&app, "seller/sales").await?;

    // Search by customer name: exactly the API's matches, and typing is debounced (one
    // search request for the whole word, not one per key).
    let list_path = paths::ORDERS;
    let before = marketplace.requests_on(list_path);
    app.type_into("[data-testid=sales-search]", "wilhelmina")
        .await?;
    wait_list(&app, "seller/sales/q/wilhelmina").await?;
    let searched = marketplace.requests_on(list_path) - before;
    let matches = marketplace.orders_page("", "wilhelmina", 1, 50).await?;
    assert_eq!(matches.total, 2);
    assert_eq!(rows(&app).await?, api_rows(&matches));
    assert!(
        searched < 5,
        "typing 10 keys sent {searched} list requests; the search should wait for a pause"
    );
    assert_eq!(matches.orders[1].id, first_match.id);

    // A search with no match says what was searched.
    app.click_centered("[data-testid=sales-search-clear]")
        .await?;
    wait_list(&app, "seller/sales").await?;
    app.type_into("[data-testid=sales-search]", "zz-nobody")
        .await?;
    app.wait_text("[data-testid=sales-empty]", FIRST_DATA, |text| {
        text.contains("No orders match “zz-nobody”")
    })
    .await?;
    app.click_centered("[data-testid=sales-empty-clear]")
        .await?;
    wait_list(&app, "seller/sales").await?;

    // An order the marketplace creates appears on top, live.
    let created = marketplace.create_order().await?;
    sellerdash_e2e::eventually("the new order on top of Sales", LIVE, || {
        let app = &app;
        let id = created.id.clone();
        async move {
            let ids = app
                .attrs("[data-testid=sales-row]", "data-order-id")
                .await?;
            Ok((ids.first() == Some(&id)).then_some(()))
        }
    })
    .await?;
    let newest = marketplace.orders_page("", "", 1, 50).await?;
    assert_eq!(newest.orders[0].id, created.id);

    // Export of the whole list: every order (all pages), not only the 50 shown.
    let (path, exported) = export(&app, "[data-testid=sales-export]", None).await?;
    let all_total = marketplace.orders_page("", "", 1, 1).await?.total;
    assert_eq!(exported, all_total);
    let records = csv_records(&path, &exports)?;
    assert_eq!(records.len() as u64, all_total + 1);
    assert!(records[0].starts_with("order_id,placed_at,"));
    assert!(records[1].starts_with(&format!("{},", created.id)));
    let name = Path::new(&path)
        .file_name()
        .and_then(OsStr::to_str)
        .unwrap_or_default()
        .to_owned();
    assert!(
        name.starts_with("sellerdash-sales-") && name.ends_with(".csv"),
        "{name}"
    );
    let message = app.text("[data-testid=export-result]").await?;
    assert_eq!(
        message,
        format!("Saved {} orders to {path}", group(all_total))
    );

    // Export of a filter and a search: exactly its orders, in a new file.
    app.click_centered("[data-testid=sales-filter][data-status=pending]")
        .await?;
    app.type_into("[data-testid=sales-search]", "Wilhelmina")
        .await?;
    wait_list(&app, "seller/sales/pending/q/Wilhelmina").await?;
    let (second_path, filtered) = export(&app, "[data-testid=sales-export]", Some(&path)).await?;
    let api_filtered = marketplace
        .orders_page("pending", "Wilhelmina", 1, 200)
        .await?;
    assert_eq!(filtered, api_filtered.total);
    assert_eq!(filtered, 2);
    let records = csv_records(&second_path, &exports)?;
    assert_eq!(records.len(), 3);
    assert!(second_path.ends_with("-2.csv"), "{second_path}");
    assert!(Path::new(&path).exists(), "the first export is kept");

    app.quit().await
}

#[tokio::test]
async fn payouts_show_the_api_balances_month_totals_and_export() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let exports = dir.path().join("Downloads");
    let marketplace = Marketplace::start(dir.path()).await?;
    let app = App::launch_with_env(
        &marketplace.url(),
        marketplace.seller_token(),
        &dir.path().join("app"),
        &[("SELLERDASH_EXPORT_DIR", OsStr::new(&exports))],
    )
    .await?;

    app.click("[data-testid=nav-payouts]").await?;
    let stats = marketplace.payout_stats().await?;
    for (testid, value) in [
        ("payout-available", stats.available.to_string()),
        ("payout-pending", stats.pending.to_string()),
        ("payout-lifetime", stats.lifetime_paid.to_string()),
    ] {
        app.wait_text(&format!("[data-testid={testid}]"), FIRST_DATA, |text| {
            text.contains(&value)
        })
        .await?;
    }

    // A completed order earns a balance, a payout run pays it out: the page follows live.
    let order = marketplace.create_order().await?;
    marketplace.confirm(&order.id).await?;
    for action in [
        AdminAction::Process,
        AdminAction::Ship,
        AdminAction::Deliver,
        AdminAction::Complete,
    ] {
        marketplace.transition(&order.id, action).await?;
    }
    let run = marketplace.run_payouts().await?;
    assert!(!run.payouts.is_empty(), "the completed order is paid out");
    let after = marketplace.payout_stats().await?;
    assert_ne!(after.lifetime_paid, stats.lifetime_paid);
    app.wait_text("[data-testid=payout-lifetime]", LIVE, |text| {
        text.contains(&after.lifetime_paid.to_string())
    })
    .await?;
    app.wait_text("[data-testid=payout-available]", LIVE, |text| {
        text.contains(&after.available.to_string())
    })
    .await?;

    // This month of this year: the API's payouts and total, and the month's own total.
    let created = run.payouts[0].created_at;
    let (month, year) = (created.month(), created.year());
    app.select("[data-testid=payout-year]", &year.to_string())
        .await?;
    app.select("[data-testid=payout-month]", &month.to_string())
        .await?;
    let history = marketplace.payout_history(Some(month), Some(year)).await?;
    let paid = history.total_paid.to_string();
    app.wait_text("[data-testid=payout-total]", FIRST_DATA, |text| {
        text == paid
    })
    .await?;
    let month_key = format!("{year:04}-{month:02}");
    app.wait_text(
        &format!(
            "[data-testid=payout-month-total][data-month=\"{month_key}\"] [data-testid=payout-month-paid]"
        ),
        FIRST_DATA,
        |text| text == paid,
    )
    .await?;
    let ids = app
        .attrs("[data-testid=payout-row]", "data-payout-id")
        .await?;
    let api_ids: Vec<String> = history.payouts.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids, api_ids);

    // All months of the year: one total per month the API has payouts in.
    app.select("[data-testid=payout-month]", "").await?;
    let year_history = marketplace.payout_history(None, Some(year)).await?;
    let year_paid = year_history.total_paid.to_string();
    app.wait_text("[data-testid=payout-total]", FIRST_DATA, |text| {
        text == year_paid
    })
    .await?;
    let mut months: Vec<String> = year_history
        .payouts
        .iter()
        .map(|p| format!("{:04}-{:02}", p.created_at.year(), p.created_at.month()))
        .collect();
    months.dedup();
    assert_eq!(
        app.attrs("[data-testid=payout-month-total]", "data-month")
            .await?,
        months
    );

    // Export of the year: one row per payout.
    let (path, rows) = export(&app, "[data-testid=payouts-export]", None).await?;
    assert_eq!(rows, year_history.payouts.len() as u64);
    let records = csv_records(&path, &exports)?;
    assert_eq!(records.len(), year_history.payouts.len() + 1);
    assert!(records[0].starts_with("payout_id,status,"));
    assert!(path.contains("sellerdash-payouts-"), "{path}");

    app.quit().await
}

/// `12345` → `12,345`, as the page writes counts.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
