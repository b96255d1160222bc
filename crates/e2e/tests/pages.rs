//! Every page of the app against the real server: what the window shows is what the API
//! says, the sales filter and its adaptive refresh, order details from a sales row, payouts
//! and the diagnostics of the queries the pages observe.

use std::time::Duration;

use sellerdash_e2e::app::App;
use sellerdash_e2e::marketplace::Marketplace;

/// A page's first data: one request, rendered.
const FIRST_DATA: Duration = Duration::from_secs(10);

#[tokio::test]
async fn every_page_shows_the_servers_data() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let app = App::launch(
        &marketplace.url(),
        marketplace.seller_token(),
        &dir.path().join("app"),
    )
    .await?;

    // Sales: newest first, as the server lists them.
    app.click("[data-testid=nav-sales]").await?;
    app.wait_for("[data-testid=sales-page]", FIRST_DATA).await?;
    let newest = marketplace
        .orders(None)
        .await?
        .orders
        .into_iter()
        .next()
        .expect("the demo store has orders");
    let first_row = app.wait_for("[data-testid=sales-row]", FIRST_DATA).await?;
    assert_eq!(
        first_row.attr("data-order-id").await?.as_deref(),
        Some(newest.id.as_str())
    );

    // Pending only: the list adapts its refresh to 15 s (pending/confirmed orders).
    app.click("[data-testid=sales-filter][data-status=pending]")
        .await?;
    let pending = marketplace.orders(Some("pending")).await?;
    let first_pending = pending
        .orders
        .first()
        .expect("the demo store has pending orders");
    app.wait_for(
        &format!(
            "[data-testid=sales-row][data-order-id=\"{}\"]",
            first_pending.id
        ),
        FIRST_DATA,
    )
    .await?;
    app.wait_text("[data-testid=refresh-interval]", FIRST_DATA, |text| {
        text.contains("15 s")
    })
    .await?;

    // Order details from a sales row: the server's total.
    app.click(&format!(
        "[data-testid=sales-row][data-order-id=\"{}\"] button",
        first_pending.id
    ))
    .await?;
    app.wait_for("[data-testid=order-page]", FIRST_DATA).await?;
    let order = marketplace.order(&first_pending.id).await?;
    app.wait_text("[data-testid=order-total]", FIRST_DATA, |text| {
        text.contains(&order.total.to_string())
    })
    .await?;
    app.wait_for("[data-testid=order-confirm]", FIRST_DATA)
        .await?;

    // Payouts: the available balance the server reports.
    app.click("[data-testid=nav-payouts]").await?;
    app.wait_for("[data-testid=payouts-page]", FIRST_DATA)
        .await?;
    let stats = marketplace.payout_stats().await?;
    app.wait_text("[data-testid=payout-available]", FIRST_DATA, |text| {
        text.contains(&stats.available.to_string())
    })
    .await?;

    // Diagnostics: the pinned queries and the one this session observed.
    app.click("[data-testid=nav-diagnostics]").await?;
    app.wait_for(
        "[data-testid=diagnostics-row][data-key=\"seller/dashboard\"]",
        FIRST_DATA,
    )
    .await?;
    app.wait_for(
        "[data-testid=diagnostics-row][data-key=\"seller/payouts/stats\"]",
        FIRST_DATA,
    )
    .await?;
    app.quit().await
}
