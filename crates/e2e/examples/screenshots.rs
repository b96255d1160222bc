//! Takes the README's screenshots: the built app on a fresh demo store, each page as a
//! seller sees it. Run under a display and a session bus, from the repository root:
//!
//! ```sh
//! xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
//!     cargo run -p sellerdash-e2e --example screenshots -- docs/screenshots
//! ```

use std::path::PathBuf;
use std::time::Duration;

use sellerdash_e2e::app::App;
use sellerdash_e2e::marketplace::Marketplace;

const WAIT: Duration = Duration::from_secs(15);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screenshots".into()),
    );
    std::fs::create_dir_all(&out)?;
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let app = App::launch(
        &marketplace.url(),
        marketplace.seller_token(),
        &dir.path().join("app"),
    )
    .await?;

    app.wait_text("[data-testid=stat-revenue]", WAIT, |text| {
        !text.trim().is_empty()
    })
    .await?;
    app.wait_text("[data-testid=connection]", WAIT, |text| {
        text.contains("Live")
    })
    .await?;
    std::fs::write(out.join("dashboard.png"), app.screenshot().await?)?;

    app.click("[data-testid=nav-pending]").await?;
    app.wait_for("[data-testid=pending-order]", WAIT).await?;
    app.wait_text("[data-testid=data-age]", WAIT, |text| text.contains("ago"))
        .await?;
    std::fs::write(out.join("pending.png"), app.screenshot().await?)?;

    app.click("[data-testid=nav-sales]").await?;
    app.wait_for("[data-testid=sales-row]", WAIT).await?;
    app.wait_text("[data-testid=data-age]", WAIT, |text| text.contains("ago"))
        .await?;
    std::fs::write(out.join("sales.png"), app.screenshot().await?)?;

    app.click("[data-testid=sales-row] button").await?;
    app.wait_for("[data-testid=order-total]", WAIT).await?;
    app.wait_text("[data-testid=data-age]", WAIT, |text| text.contains("ago"))
        .await?;
    std::fs::write(out.join("order.png"), app.screenshot().await?)?;

    app.click("[data-testid=nav-payouts]").await?;
    app.wait_for("[data-testid=payout-available]", WAIT).await?;
    app.wait_for("[data-testid=payout-row]", WAIT).await?;
    app.wait_text("[data-testid=data-age]", WAIT, |text| text.contains("ago"))
        .await?;
    std::fs::write(out.join("payouts.png"), app.screenshot().await?)?;

    app.click("[data-testid=nav-diagnostics]").await?;
    app.wait_for("[data-testid=diagnostics-row]", WAIT).await?;
    std::fs::write(out.join("diagnostics.png"), app.screenshot().await?)?;

    app.quit().await?;
    println!("screenshots written to {}", out.display());
    Ok(())
}
