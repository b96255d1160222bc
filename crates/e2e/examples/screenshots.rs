//! Takes the README's screenshots: the built app on a fresh demo store, each page as a
//! seller sees it, in the light and the dark theme (`<page>-light.png`, `<page>-dark.png`,
//! 1280×800), and last the pending orders during an outage (`offline-*.png`). The app runs on
//! the demo store's own clock (`TZ=Europe/Berlin`), as a seller's computer beside the shop
//! would. Run under a display and a session bus, from the repository root:
//!
//! ```sh
//! xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
//!     cargo run -p sellerdash-e2e --example screenshots -- docs/screenshots
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use sellerdash_e2e::app::App;
use sellerdash_e2e::marketplace::Marketplace;

const WAIT: Duration = Duration::from_secs(15);
/// The core notices an outage after its retries.
const OUTAGE: Duration = Duration::from_secs(40);

/// One page to photograph: its file name, how to open it and what must be on screen first.
struct Shot {
    name: &'static str,
    /// Clicked to open the page.
    open: &'static str,
    /// Every one of these must be there before the picture is taken.
    ready: &'static [&'static str],
    /// A page another branch may not have yet: skipped with a note when its tab is missing.
    optional: bool,
}

const SHOTS: &[Shot] = &[
    Shot {
        name: "dashboard",
        open: "[data-testid=nav-dashboard]",
        ready: &["[data-testid=stat-revenue]"],
        optional: false,
    },
    Shot {
        name: "sales",
        open: "[data-testid=nav-sales]",
        ready: &["[data-testid=sales-row]"],
        optional: false,
    },
    Shot {
        name: "pending",
        open: "[data-testid=nav-pending]",
        ready: &["[data-testid=pending-order][data-new=true]"],
        optional: false,
    },
    Shot {
        name: "order",
        open: "[data-testid=pending-order] [data-testid=pending-open]",
        ready: &["[data-testid=order-total]", "[data-testid=order-timeline]"],
        optional: false,
    },
    Shot {
        name: "payouts",
        open: "[data-testid=nav-payouts]",
        ready: &["[data-testid=payout-available]", "[data-testid=payout-row]"],
        optional: false,
    },
    Shot {
        name: "settings",
        open: "[data-testid=nav-settings]",
        ready: &["[data-testid=settings-page]"],
        optional: true,
    },
    Shot {
        name: "diagnostics",
        open: "[data-testid=nav-diagnostics]",
        ready: &["[data-testid=diagnostics-row]"],
        optional: false,
    },
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screenshots".into()),
    );
    std::fs::create_dir_all(&out)?;
    let dir = tempfile::tempdir()?;
    let mut marketplace = Marketplace::start(dir.path()).await?;
    let app = App::launch_with_env(
        &marketplace.url(),
        marketplace.seller_token(),
        &dir.path().join("app"),
        &[("TZ", std::ffi::OsStr::new("Europe/Berlin"))],
    )
    .await?;
    app.wait_text("[data-testid=connection]", WAIT, |text| {
        text.contains("Live")
    })
    .await?;

    for shot in SHOTS {
        if shot.name == "pending" {
            // Seen once without the new order, so the order placed now arrives highlighted.
            app.click(shot.open).await?;
            app.wait_for("[data-testid=pending-order]", WAIT).await?;
            marketplace.create_order().await?;
        }
        if shot.optional && app.attrs(shot.open, "data-testid").await?.is_empty() {
            println!("{}: no such page in this build, skipped", shot.name);
            continue;
        }
        app.click(shot.open).await?;
        for css in shot.ready {
            app.wait_for(css, WAIT).await?;
        }
        take(&app, &out, shot.name).await?;
    }

    // An outage: the pending list stays, the badge says since when, the age turns stale.
    app.click("[data-testid=nav-pending]").await?;
    app.wait_for("[data-testid=pending-order]", WAIT).await?;
    marketplace.stop().await;
    app.wait_text("[data-testid=connection]", OUTAGE, |text| {
        text.contains("Offline since")
    })
    .await?;
    app.wait_for("[data-testid=data-age][data-warn=true]", OUTAGE)
        .await?;
    take(&app, &out, "offline").await?;

    app.click("[data-testid=theme] [data-theme-choice=system]")
        .await?;
    app.quit().await?;
    println!("screenshots written to {}", out.display());
    Ok(())
}

/// The current page in the light theme, then in the dark one.
async fn take(app: &App, out: &Path, name: &str) -> anyhow::Result<()> {
    for theme in ["light", "dark"] {
        app.click(&format!("[data-testid=theme] [data-theme-choice={theme}]"))
            .await?;
        // The data age reads "Updated … ago" once the page has its data.
        if !app
            .attrs("[data-testid=data-age]", "class")
            .await?
            .is_empty()
        {
            app.wait_text("[data-testid=data-age]", WAIT, |text| text.contains("ago"))
                .await?;
        }
        // Let the theme's colours and any spinner settle before the picture.
        tokio::time::sleep(Duration::from_millis(400)).await;
        std::fs::write(
            out.join(format!("{name}-{theme}.png")),
            app.screenshot().await?,
        )?;
    }
    Ok(())
}
