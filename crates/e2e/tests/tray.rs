//! The shell's window and tray promises, end to end: closing the window (as a window
//! manager does, over X11) hides it to the tray while polling and alerts go on, and the tray
//! menu, clicked over D-Bus as a tray host does, reaches every action: open, pending orders,
//! pause (and resume) notifications, quit. A second launch on the same data folder shows the
//! running window and exits 0; a start-up that cannot go on says why and exits 1.
//!
//! WebDriver is only used while the window is shown: a hidden window is reshown through the
//! tray first, as a seller would.

use std::time::Duration;

use sellerdash_e2e::app::App;
use sellerdash_e2e::dbus::{NotificationWatch, TrayMenu};
use sellerdash_e2e::marketplace::Marketplace;
use sellerdash_e2e::x11::{close_window, main_window};
use sellerdash_e2e::{eventually, holds_for};
use tokio::time::Instant;

/// The pending orders poll every 5 s; the design promises a new order within two intervals.
const POLL_INTERVAL: Duration = Duration::from_secs(5);
const TWO_POLL_INTERVALS: Duration = Duration::from_secs(10);
/// Time for the window to render what an event carried, or to be mapped or unmapped.
const RENDER: Duration = Duration::from_secs(2);
/// Time for the process to end after Quit (pollers and the session stop first).
const QUIT: Duration = Duration::from_secs(10);

/// Waits until the tray's pending entry reads `Pending orders ({total})`.
async fn tray_counts(menu: &TrayMenu, total: u64, timeout: Duration) -> anyhow::Result<()> {
    let expected = format!("Pending orders ({total})");
    eventually(&format!("the tray to say {expected:?}"), timeout, || {
        let expected = expected.clone();
        async move {
            let label = menu.item("Pending orders")?.label;
            Ok((label == expected).then_some(()))
        }
    })
    .await
}

/// Waits until the X server shows (`true`) or hides (`false`) the app's window.
async fn window_viewable(pid: u32, viewable: bool) -> anyhow::Result<()> {
    let what = if viewable {
        "the window to be shown"
    } else {
        "the window to be hidden"
    };
    eventually(what, RENDER, || async move {
        let window = main_window(pid)?
            .ok_or_else(|| anyhow::anyhow!("the app has no top-level window: destroyed?"))?;
        Ok((window.viewable == viewable).then_some(()))
    })
    .await
}

/// Time left of `budget` since `start` (never below zero).
fn left(start: Instant, budget: Duration) -> Duration {
    budget.saturating_sub(start.elapsed())
}

#[tokio::test]
async fn closing_the_window_hides_it_to_the_tray_and_alerts_go_on() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let notifications = NotificationWatch::start().await?;
    let app = App::launch(
        &marketplace.url(),
        marketplace.seller_token(),
        &dir.path().join("app"),
    )
    .await?;
    app.wait_for("[data-testid=dashboard]", RENDER).await?;
    let pid = app.pid()?;
    let window = main_window(pid)?.expect("the app has a top-level window");
    assert!(window.viewable, "the window starts shown: {window:?}");
    assert_eq!(window.title, "Sellerdash");
    let menu = TrayMenu::of(pid)?;
    let before = marketplace.pending().await?.total;
    tray_counts(&menu, before, TWO_POLL_INTERVALS).await?;

    // The window manager's close button.
    close_window(pid)?;
    window_viewable(pid, false).await?;
    assert!(app.is_running(), "closing the window must not end the app");

    // Polling and alerts go on with the window hidden.
    let order = marketplace.create_order().await?;
    let created = Instant::now();
    notifications
        .wait_naming(&order.id, TWO_POLL_INTERVALS)
        .await?;
    tray_counts(&menu, before + 1, left(created, TWO_POLL_INTERVALS)).await?;
    // Exactly one: the next poll finds the order again and must not announce it twice.
    let (id, notifications) = (&order.id, &notifications);
    holds_for(
        "exactly one notification naming the order",
        POLL_INTERVAL + Duration::from_secs(1),
        || async move {
            let count = notifications.count_naming(id);
            Ok((count != 1)
                .then(|| format!("{count} Notify calls name it: {:#?}", notifications.calls())))
        },
    )
    .await?;
    assert!(app.is_running(), "the app lives on in the tray");
    let window = main_window(pid)?.expect("the hidden window still exists");
    assert!(!window.viewable, "the window stays hidden: {window:?}");

    // Back through the tray's first entry: the dashboard, live.
    menu.click("Open dashboard")?;
    window_viewable(pid, true).await?;
    app.wait_for("[data-testid=dashboard]", RENDER).await?;
    app.quit().await
}

#[tokio::test]
async fn the_tray_menu_reaches_pending_orders_pause_and_quit() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let notifications = NotificationWatch::start().await?;
    let app = App::launch(
        &marketplace.url(),
        marketplace.seller_token(),
        &dir.path().join("app"),
    )
    .await?;
    app.wait_for("[data-testid=dashboard]", RENDER).await?;
    let pid = app.pid()?;
    let menu = TrayMenu::of(pid)?;
    let before = marketplace.pending().await?.total;
    tray_counts(&menu, before, TWO_POLL_INTERVALS).await?;

    // From the hidden window on the dashboard to the pending page, shown.
    close_window(pid)?;
    window_viewable(pid, false).await?;
    menu.click(&format!("Pending orders ({before})"))?;
    window_viewable(pid, true).await?;
    app.wait_for("[data-testid=pending-page]", RENDER).await?;
    app.wait_gone("[data-testid=dashboard]", RENDER).await?;

    // Paused: a new order arrives (the page and the tray show it) but no notification.
    let pause = menu.click("Pause notifications")?;
    assert_eq!(pause.checked, Some(false), "notifications start unpaused");
    eventually("the pause entry to be ticked", RENDER, || async {
        Ok((menu.item("Pause notifications")?.checked == Some(true)).then_some(()))
    })
    .await?;
    let order = marketplace.create_order().await?;
    let created = Instant::now();
    let row = format!(
        "[data-testid=pending-order][data-order-id=\"{}\"]",
        order.id
    );
    app.wait_for(&row, TWO_POLL_INTERVALS + RENDER).await?;
    tray_counts(
        &menu,
        before + 1,
        left(created, TWO_POLL_INTERVALS + RENDER),
    )
    .await?;
    let id = order.id.clone();
    let notifications = &notifications;
    holds_for(
        "no notification while paused",
        left(created, TWO_POLL_INTERVALS),
        || {
            let id = id.clone();
            async move {
                let count = notifications.count_naming(&id);
                Ok((count > 0)
                    .then(|| format!("{count} Notify calls name it: {:#?}", notifications.calls())))
            }
        },
    )
    .await?;

    // The same entry resumes them: the next order is announced again.
    menu.click("Pause notifications")?;
    eventually("the pause entry to be unticked", RENDER, || async {
        Ok((menu.item("Pause notifications")?.checked == Some(false)).then_some(()))
    })
    .await?;
    let next = marketplace.create_order().await?;
    let id = next.id.clone();
    eventually(
        "a notification naming the order after resuming",
        TWO_POLL_INTERVALS,
        || {
            let id = id.clone();
            async move { Ok((notifications.count_naming(&id) == 1).then_some(())) }
        },
    )
    .await?;
    assert_eq!(
        notifications.count_naming(&order.id),
        0,
        "the order that came while paused is not announced late"
    );

    // Quit ends the process, even with the window closed to the tray.
    close_window(pid)?;
    window_viewable(pid, false).await?;
    menu.click("Quit Sellerdash")?;
    app.wait_exit(QUIT).await
}

/// Runs the app binary with `args` (and the seller token in the environment) to its end.
async fn run_to_end(args: &[&str], token: &str) -> anyhow::Result<std::process::Output> {
    let run = tokio::process::Command::new(sellerdash_e2e::app::binary()?)
        .args(args)
        .env("SELLERDASH_TOKEN", token)
        .kill_on_drop(true)
        .output();
    Ok(tokio::time::timeout(QUIT, run).await??)
}

#[tokio::test]
async fn a_second_launch_shows_the_running_window_and_exits_cleanly() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let data_dir = dir.path().join("app");
    let app = App::launch(&marketplace.url(), marketplace.seller_token(), &data_dir).await?;
    app.wait_for("[data-testid=dashboard]", RENDER).await?;
    let pid = app.pid()?;
    close_window(pid)?;
    window_viewable(pid, false).await?;

    // Launched again on the same data folder (a launcher clicked twice, login autostart).
    let url = marketplace.url();
    let data = data_dir.display().to_string();
    let second = run_to_end(
        &["--marketplace-url", &url, "--data-dir", &data],
        marketplace.seller_token(),
    )
    .await?;
    let (stdout, stderr) = (
        String::from_utf8_lossy(&second.stdout),
        String::from_utf8_lossy(&second.stderr),
    );
    assert_eq!(second.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!(
            "Sellerdash is already running for this data folder ({data}): its window is shown instead"
        )),
        "{stdout}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    window_viewable(pid, true).await?;
    assert_eq!(app.pid()?, pid, "the first app goes on");

    // A data folder that cannot be one: one plain line and exit 1, not a crash.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder")?;
    let failed = run_to_end(
        &[
            "--marketplace-url",
            &url,
            "--data-dir",
            &file.display().to_string(),
        ],
        marketplace.seller_token(),
    )
    .await?;
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("sellerdash: cannot start: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    app.quit().await?;
    Ok(())
}
