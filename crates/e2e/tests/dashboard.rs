//! The dashboard in a real window against the real server: each period shows the figures
//! and the revenue-over-time buckets the API answers for the seller's token, an order the
//! marketplace's admin creates shows up live, the period is remembered across pages, and the
//! pending count opens the Pending page.

use std::time::Duration;

use sellerdash_api::{DashboardStats, Period};
use sellerdash_e2e::app::App;
use sellerdash_e2e::marketplace::Marketplace;

/// A page's first data: one request, rendered.
const FIRST_DATA: Duration = Duration::from_secs(10);
/// Two of the dashboard's 5 s poll intervals, and the render after them.
const TWO_POLLS: Duration = Duration::from_secs(12);

/// `12345` → `"12,345"`, as the page groups counts.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Signed basis points as the page shows a change: `"+12.50 %"`, `"−3.10 %"`.
fn change(bp: i64) -> String {
    let sign = match bp {
        bp if bp > 0 => "+",
        bp if bp < 0 => "−",
        _ => "",
    };
    let abs = bp.unsigned_abs();
    format!("{sign}{}.{:02} %", abs / 100, abs % 100)
}

fn value(testid: &str) -> String {
    format!("[data-testid={testid}] .stat-value")
}

/// Waits until the page shows `period`'s figures, then checks every figure, the chart and
/// its tooltips against `api`.
async fn shows(app: &App, api: &DashboardStats) -> anyhow::Result<()> {
    let period = api.period.as_str();
    app.wait_for(&format!("[data-period=\"{period}\"]"), FIRST_DATA)
        .await?;
    app.wait_for(
        &format!("[data-testid=period-{period}][aria-pressed=true]"),
        FIRST_DATA,
    )
    .await?;
    let expected = [
        ("stat-revenue", api.revenue.to_string()),
        ("stat-sales", grouped(api.sales_count)),
        ("stat-aov", api.average_order_value.to_string()),
        ("stat-visitors", grouped(api.visitors)),
        (
            "stat-conversion",
            // No visitors: no rate, a dash.
            if api.visitors == 0 {
                "—".to_owned()
            } else {
                format!(
                    "{}.{:02} %",
                    api.conversion_rate_bp / 100,
                    api.conversion_rate_bp % 100
                )
            },
        ),
        ("stat-pending", grouped(api.pending_orders)),
    ];
    for (testid, text) in expected {
        let shown = app
            .wait_text(&value(testid), FIRST_DATA, |shown| shown == text)
            .await;
        anyhow::ensure!(shown.is_ok(), "{period}: {testid} is not {text:?}");
    }
    app.wait_text("[data-testid=chart-total]", FIRST_DATA, |t| {
        t == api.revenue.to_string()
    })
    .await?;
    let growth = api.monthly_growth_bp.map_or("—".to_owned(), change);
    app.wait_text("[data-testid=stat-growth]", FIRST_DATA, |t| t == growth)
        .await?;
    let change_text = app.text("[data-testid=revenue-change]").await?;
    match api.change_bp {
        Some(bp) => anyhow::ensure!(
            change_text.starts_with(&change(bp)),
            "{period}: change {change_text:?}, the API says {bp} bp"
        ),
        None => anyhow::ensure!(change_text.starts_with('—'), "{change_text:?}"),
    }
    let zone = app.text("[data-testid=chart-zone]").await?;
    anyhow::ensure!(zone.contains(&api.time_zone), "{zone:?}");
    let subtitle = app.text(".page-head .subtitle").await?;
    anyhow::ensure!(subtitle.contains(&api.time_zone), "{subtitle:?}");

    let tips = app.text_contents("[data-testid=chart-bar] > title").await?;
    if api.series.iter().all(|p| p.orders == 0) {
        app.wait_for("[data-testid=chart-empty]", FIRST_DATA)
            .await?;
        anyhow::ensure!(tips.is_empty(), "bars without sales: {tips:?}");
        return Ok(());
    }
    anyhow::ensure!(
        tips.len() == api.series.len(),
        "{period}: {} bars for {} buckets",
        tips.len(),
        api.series.len()
    );
    for (tip, point) in tips.iter().zip(&api.series) {
        let amount = format!(": {} · ", point.revenue);
        anyhow::ensure!(
            tip.contains(&amount),
            "{period}: tooltip {tip:?} for {point:?}"
        );
    }
    let top = app.text_contents(".card table tbody tr").await?;
    anyhow::ensure!(top.len() == api.top_products.len(), "{top:?}");
    if let (Some(row), Some(product)) = (top.first(), api.top_products.first()) {
        anyhow::ensure!(
            row.contains(&product.name) && row.contains(&product.revenue.to_string()),
            "{row:?} for {product:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn the_dashboard_shows_each_period_and_follows_new_orders() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let app = App::launch(
        &marketplace.url(),
        marketplace.seller_token(),
        &dir.path().join("app"),
    )
    .await?;
    app.wait_for("[data-testid=dashboard]", FIRST_DATA).await?;

    // The default period (30 days) is the server's.
    let month = marketplace.dashboard(Period::Days30).await?;
    assert_eq!(month.time_zone, "Europe/Berlin");
    shows(&app, &month).await?;

    // Each other period, switched to, shows that period's figures and buckets.
    for period in [Period::Months12, Period::Today, Period::Days7] {
        app.click(&format!("[data-testid=period-{}]", period.as_str()))
            .await?;
        let api = marketplace.dashboard(period).await?;
        shows(&app, &api).await?;
    }

    // An order the marketplace's admin creates shows up within a couple of polls: one more
    // sale and pending order, its total in the revenue and in the current day's bar.
    let before = marketplace.dashboard(Period::Days7).await?;
    let order = marketplace.create_order().await?;
    let after = marketplace.dashboard(Period::Days7).await?;
    assert_eq!(after.sales_count, before.sales_count + 1);
    assert_eq!(
        after.revenue.amount_minor,
        before.revenue.amount_minor + order.total.amount_minor
    );
    app.wait_text(&value("stat-revenue"), TWO_POLLS, |t| {
        t == after.revenue.to_string()
    })
    .await?;
    app.wait_text(&value("stat-sales"), TWO_POLLS, |t| {
        t == grouped(after.sales_count)
    })
    .await?;
    app.wait_text(&value("stat-pending"), TWO_POLLS, |t| {
        t == grouped(after.pending_orders)
    })
    .await?;
    let today = after.series.last().expect("seven buckets");
    let tips = app.text_contents("[data-testid=chart-bar] > title").await?;
    assert!(
        tips.last()
            .is_some_and(|tip| tip.contains(&format!(": {} · ", today.revenue))),
        "{tips:?}"
    );

    // The pending count opens the Pending page; back on the dashboard the period is still
    // the one the seller chose.
    app.click("[data-testid=stat-pending]").await?;
    app.wait_for("[data-testid=pending-page]", FIRST_DATA)
        .await?;
    app.wait_for(
        &format!(
            "[data-testid=pending-order][data-order-id=\"{}\"]",
            order.id
        ),
        FIRST_DATA,
    )
    .await?;
    app.click("[data-testid=nav-dashboard]").await?;
    app.wait_for("[data-testid=period-7d][aria-pressed=true]", FIRST_DATA)
        .await?;
    app.wait_for("[data-period=\"7d\"]", FIRST_DATA).await?;
    app.quit().await
}
