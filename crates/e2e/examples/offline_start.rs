//! Measures how fast cached data is on screen when the app starts with the marketplace
//! unreachable: one online session fills the cache, the server stops, then the app is
//! launched several times and the time from its process start to the cached dashboard
//! figures in the real window ("from cache · updated … ago") is printed, with the same
//! time as the WebDriver client saw it (which adds the driver's own start-up).
//! Run under a display and a session bus, from the repository root:
//!
//! The UI's own start counts: `scripts/dev build` embeds the UI as shipped (`trunk build
//! --release`), in the debug app too. `INFO … started from the cache elapsed_ms=…` in the
//! app's log is the core's share (open the cache, restore every answer).
//!
//! ```sh
//! xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
//!     cargo run -p sellerdash-e2e --example offline_start -- 5
//! ```

#![allow(clippy::float_arithmetic)] // seconds from /proc, for printing only

use std::process::Command;
use std::time::{Duration, Instant};

use sellerdash_e2e::app::App;
use sellerdash_e2e::marketplace::Marketplace;

/// The dashboard shows cached figures marked as such.
const CACHED_VISIBLE: &str = "const age = document.querySelector('[data-testid=data-age]'); \
     const revenue = document.querySelector('[data-testid=stat-revenue]'); \
     return !!(age && revenue && age.textContent.includes('from cache') \
         && /[0-9]/.test(revenue.textContent));";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .map(|arg| arg.parse())
        .transpose()?
        .unwrap_or(3);
    let dir = tempfile::tempdir()?;
    let mut marketplace = Marketplace::start(dir.path()).await?;
    let data_dir = dir.path().join("app");

    let app = App::launch(&marketplace.url(), marketplace.seller_token(), &data_dir).await?;
    app.wait_text("[data-testid=data-age]", Duration::from_secs(20), |text| {
        text.starts_with("Updated")
    })
    .await?;
    app.quit().await?;
    marketplace.stop().await;

    let ticks_per_second: f64 =
        String::from_utf8(Command::new("getconf").arg("CLK_TCK").output()?.stdout)?
            .trim()
            .parse()?;
    let mut from_process = Vec::new();
    let mut from_client = Vec::new();
    let mut from_shown = Vec::new();
    for run in 1..=runs {
        let started = Instant::now();
        let app = App::launch(&marketplace.url(), marketplace.seller_token(), &data_dir).await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if app.execute(CACHED_VISIBLE).await? == serde_json::Value::Bool(true) {
                break;
            }
            anyhow::ensure!(Instant::now() < deadline, "no cached data on screen");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let client_ms = started.elapsed().as_millis();
        // The process's age now, from the kernel's record of its start (clock ticks since boot).
        let uptime: f64 = std::fs::read_to_string("/proc/uptime")?
            .split_whitespace()
            .next()
            .unwrap_or("0")
            .parse()?;
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", app.pid()?))?;
        let start_ticks: f64 = stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().nth(19))
            .unwrap_or("0")
            .parse()?;
        let process_ms = ((uptime - start_ticks / ticks_per_second) * 1000.0).round();
        // Where the time goes: the page's navigation start (the webview is up) as the
        // process's age, from the page's own clock.
        let page_age_ms = app
            .execute("return Date.now() - performance.timeOrigin;")
            .await?
            .as_f64()
            .unwrap_or(0.0);
        let webview_ms = process_ms - page_age_ms.round();
        // When the page itself first had the figures in the DOM (its own clock), which the
        // WebDriver polling above can only see later.
        let shown_ms = app
            .execute("return Number(document.documentElement.dataset.dashboardShownMs);")
            .await?
            .as_f64()
            .map(|page_ms| webview_ms + page_ms.round());
        let shown = shown_ms.map_or_else(String::new, |ms| format!("in the DOM at {ms:.0} ms, "));
        println!(
            "run {run}: launch -> cached dashboard {shown}seen at {process_ms:.0} ms from the app's process start \
             (webview page started at {webview_ms:.0} ms; {client_ms} ms including WebDriver start-up)"
        );
        from_shown.extend(shown_ms);
        from_process.push(process_ms);
        from_client.push(client_ms);
        app.quit().await?;
    }
    from_process.sort_by(f64::total_cmp);
    from_shown.sort_by(f64::total_cmp);
    if let Some(median) = from_shown.get(from_shown.len() / 2) {
        println!(
            "median over {} launches: cached figures in the DOM {median:.0} ms after process start",
            from_shown.len()
        );
    }
    from_client.sort();
    println!(
        "median over {runs} launches with the server down: {:.0} ms from process start to cached data on screen ({} ms including WebDriver start-up); design: within 1 s",
        from_process[runs / 2],
        from_client[runs / 2]
    );
    Ok(())
}
