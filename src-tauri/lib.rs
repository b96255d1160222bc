//! The Tauri shell: the only code in Sellerdash that knows Tauri.
//!
//! It starts the core (and, with no marketplace configured, the embedded demo server),
//! turns core events into Tauri events, native notifications and tray updates, exposes thin
//! commands to the UI, and owns the window's lifecycle: focus refetches, closing hides to
//! the tray, quitting is explicit.

mod bridge;
mod commands;
mod config;
mod embedded;
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
}

/// The binary's entry point: parse the configuration, build and run the app.
pub fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SELLERDASH_LOG")
                .unwrap_or_else(|_| "info,tao=warn,wry=warn".into()),
        )
        .init();
    let config = AppConfig::parse();
    let marketplace = match config.marketplace() {
        Ok(marketplace) => marketplace,
        Err(error) => {
            eprintln!("sellerdash: {error}");
            std::process::exit(2);
        }
    };
    let app =
        match run_app(Builder::default(), config, marketplace).build(tauri::generate_context!()) {
            Ok(app) => app,
            Err(error) => {
                eprintln!("sellerdash: cannot start: {error}");
                std::process::exit(1);
            }
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

/// Adds Sellerdash's plugins, commands, window handling and start-up to a Tauri builder
/// (generic over the runtime so tests can build it too).
pub fn run_app<R: Runtime>(
    builder: Builder<R>,
    config: AppConfig,
    marketplace: Marketplace,
) -> Builder<R> {
    builder
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(tauri::generate_handler![
            commands::snapshot,
            commands::connectivity,
            commands::refetch,
            commands::confirm_order,
            commands::cancel_order,
        ])
        .on_window_event(window::on_window_event)
        .setup(move |app| {
            shell::start(app.handle(), &config, marketplace)?;
            Ok(())
        })
}
