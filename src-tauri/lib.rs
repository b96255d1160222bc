//! The Tauri shell: the only code in Sellerdash that knows Tauri.
//!
//! It starts the core (and, with no marketplace configured, the embedded demo server),
//! turns core events into Tauri events, native notifications and tray updates, exposes thin
//! commands to the UI, and owns the window's lifecycle: focus refetches, closing hides to
//! the tray, quitting is explicit.

mod autostart;
mod bridge;
mod commands;
mod config;
mod embedded;
mod export;
mod instance;
mod notices;
mod prefs;
mod secret;
mod shell;
mod tray;
mod window;

use clap::Parser;
use tauri::{Builder, Manager, RunEvent, Runtime};

pub use config::{AppConfig, ConfigError, Marketplace};
pub use shell::Shell;

/// Names of the Tauri events the UI listens to.
pub mod events {
    /// Payload: `sellerdash_state::QuerySnapshot`.
    pub const QUERY_UPDATED: &str = "query-updated";
    /// Payload: `sellerdash_state::Connectivity`.
    pub const CONNECTIVITY_CHANGED: &str = "connectivity-changed";
    /// Payload: `{"page": "dashboard" | "pending"}`, sent from the tray menu.
    pub const NAVIGATE: &str = "navigate";
    /// Payload: `[sellerdash_state::outbox::OutboxEntry]`, the unsettled actions and unread
    /// rejections.
    pub const OUTBOX_CHANGED: &str = "outbox-changed";
    /// Payload: `Vec<sellerdash_state::CacheNotice>`, every notice not dismissed.
    pub const CACHE_NOTICES: &str = "cache-notices";
}

/// The binary's entry point: parse the configuration, build and run the app.
pub fn main() {
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SELLERDASH_LOG").unwrap_or_else(|_| {
                // The embedded demo server's per-request lines would drown the app's own.
                "info,tao=warn,wry=warn,sellerdash_server::routes=warn".into()
            }),
        )
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    let config = AppConfig::parse();
    if let Err(message) = check_display() {
        eprintln!("sellerdash: {message}");
        std::process::exit(2);
    }
    let marketplace = match config.flag_marketplace() {
        Ok(marketplace) => marketplace,
        Err(error) => {
            eprintln!("sellerdash: {error}");
            std::process::exit(2);
        }
    };
    let app =
        match run_app(Builder::default(), config, marketplace).build(tauri::generate_context!()) {
            Ok(app) => app,
            Err(error) => start_failed(&error),
        };
    app.run(|app, event| match event {
        // Closing the last window keeps the app in the tray; only Quit (which passes an
        // exit code) ends it.
        RunEvent::ExitRequested {
            api, code: None, ..
        } => api.prevent_exit(),
        RunEvent::Exit => {
            if let Some(shell) = app.try_state::<Shell>() {
                tauri::async_runtime::block_on(shell.shutdown());
            }
        }
        _ => {}
    });
}

/// Start-up stopped: another instance has this data folder (not a failure: its window is
/// shown instead, exit 0), or something is wrong (exit 1). Either way one plain line, never
/// a panic.
fn start_failed(error: &dyn std::fmt::Display) -> ! {
    match instance::already_running() {
        Some(line) => {
            println!("{line}");
            std::process::exit(0);
        }
        None => {
            eprintln!("sellerdash: cannot start: {error}");
            std::process::exit(1);
        }
    }
}

/// A desktop app needs a display; say so plainly instead of failing inside GTK.
fn check_display() -> Result<(), &'static str> {
    let linux_like = cfg!(all(unix, not(target_os = "macos")));
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()));
    if linux_like && !has_display {
        return Err(
            "no display found (DISPLAY and WAYLAND_DISPLAY are unset): start it from a desktop session, or under a virtual display with `xvfb-run -a sellerdash` (scripts/dev run does this for you)",
        );
    }
    Ok(())
}

/// Adds Sellerdash's plugins, commands, window handling and start-up to a Tauri builder
/// (generic over the runtime so tests can build it too). `marketplace` is the one the flags
/// chose, if any; without it the saved settings decide.
pub fn run_app<R: Runtime>(
    builder: Builder<R>,
    config: AppConfig,
    marketplace: Option<Marketplace>,
) -> Builder<R> {
    builder
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(tauri::generate_handler![
            commands::snapshot,
            commands::observe,
            commands::unobserve,
            commands::diagnostics,
            commands::connectivity,
            commands::refetch,
            commands::confirm_order,
            commands::cancel_order,
            commands::outbox,
            commands::dismiss_outbox,
            export::export_sales_csv,
            export::export_payouts_csv,
            commands::get_settings,
            commands::save_settings,
            commands::test_connection,
            commands::token_for,
            notices::cache_notices,
            notices::dismiss_cache_notice,
        ])
        .on_window_event(window::on_window_event)
        .setup(move |app| {
            // Tauri runs this hook inside `App::run`, where an error returned would only
            // panic ("Failed to setup app"): end here with the reason instead, before the
            // window is ever drawn.
            if let Err(error) = shell::start(app.handle(), &config, marketplace) {
                start_failed(&error);
            }
            Ok(())
        })
}
