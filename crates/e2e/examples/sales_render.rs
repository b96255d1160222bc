//! Benchmark: the Sales page with 10,000 orders in the real window. Seeds the reference
//! server's store through the admin API up to 10,000 orders for the seller, then prints
//! (medians of several runs):
//!
//! - open: from the Sales page mounting to its rows being in the DOM (the first page of 50
//!   fetched from the server, decoded and rendered), on a fresh app and on a revisit;
//! - live update: from the list's `query-updated` event with a new order (created through
//!   the admin API) to that order's row committed on top; the poll wait before the event is
//!   excluded (and printed separately).
//!
//! The page measures itself with `performance.now()` and writes the figures on the table
//! (`data-first-rows-ms`, `data-top-change-ms`); they are read through WebDriver. Run under
//! a display and a session bus, with the app built (`scripts/dev build`):
//!
//! ```sh
//! xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
//!     cargo run -p sellerdash-e2e --example sales_render
//! ```

use std::time::{Duration, Instant};

use sellerdash_e2e::app::App;
use sellerdash_e2e::marketplace::Marketplace;

const ORDERS: u64 = 10_000;
const LAUNCHES: usize = 3;
const REVISITS: usize = 5;
const LIVE_UPDATES: usize = 5;
const WAIT: Duration = Duration::from_secs(30);
const TABLE: &str = "[data-testid=sales-table]";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let have = marketplace.orders_page("", "", 1, 1).await?.total;
    let started = Instant::now();
    let missing = usize::try_from(ORDERS.saturating_sub(have))?;
    marketplace.seed_orders(missing, 8).await?;
    let total = marketplace.orders_page("", "", 1, 1).await?.total;
    println!(
        "seeded {missing} orders through the admin API in {:.1} s; the seller has {total}",
        started.elapsed().as_secs_f64()
    );

    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut live = Vec::new();
    let mut poll_waits = Vec::new();
    for launch in 0..LAUNCHES {
        let app = App::launch(
            &marketplace.url(),
            marketplace.seller_token(),
            &dir.path().join(format!("app-{launch}")),
        )
        .await?;
        app.wait_text("[data-testid=connection]", WAIT, |text| {
            text.contains("Live")
        })
        .await?;

        app.click("[data-testid=nav-sales]").await?;
        cold.push(first_rows_ms(&app).await?);
        for _ in 0..REVISITS {
            app.click("[data-testid=nav-dashboard]").await?;
            app.wait_gone(TABLE, WAIT).await?;
            app.click("[data-testid=nav-sales]").await?;
            warm.push(first_rows_ms(&app).await?);
        }

        if launch + 1 == LAUNCHES {
            for _ in 0..LIVE_UPDATES {
                let asked = Instant::now();
                let order = marketplace.create_order().await?;
                app.wait_attr(TABLE, "data-top-id", WAIT, |id| id == order.id)
                    .await?;
                poll_waits.push(f64::from(u32::try_from(asked.elapsed().as_millis())?));
                let ms = app
                    .attr(TABLE, "data-top-change-ms")
                    .await?
                    .unwrap_or_default();
                live.push(ms.parse::<f64>()?);
            }
        }
        app.quit().await?;
    }

    println!(
        "Sales page with {} orders (50 a page), median of the runs:",
        group(total)
    );
    report("open, fresh app (fetch + render)", &mut cold);
    report("open again (data already in the core)", &mut warm);
    report("live update: event to new row committed", &mut live);
    report(
        "live update: admin create to row seen (incl. poll wait)",
        &mut poll_waits,
    );
    Ok(())
}

/// The page's own figure from mount to rows in the DOM.
async fn first_rows_ms(app: &App) -> anyhow::Result<f64> {
    let ms = app
        .wait_attr(TABLE, "data-first-rows-ms", WAIT, |ms| !ms.is_empty())
        .await?;
    Ok(ms.parse()?)
}

fn report(what: &str, runs: &mut [f64]) {
    runs.sort_by(f64::total_cmp);
    let median = runs.get(runs.len() / 2).copied().unwrap_or(f64::NAN);
    let (min, max) = (
        runs.first().copied().unwrap_or(f64::NAN),
        runs.last().copied().unwrap_or(f64::NAN),
    );
    println!(
        "  {what:<58} median {median:>8.1} ms  (min {min:.1}, max {max:.1}, {} runs)",
        runs.len()
    );
}

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
