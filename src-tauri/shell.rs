//! Start-up and the state every command reaches: the running core and, in demo mode, the
//! embedded reference server.

use std::sync::Mutex;

use sellerdash_core::{CoreConfig, CoreHandle, Policies};
use tauri::{AppHandle, Manager, Runtime};

use crate::config::{AppConfig, Marketplace};
use crate::{bridge, embedded, export, tray, window};

/// The app's managed state.
pub struct Shell {
    core: CoreHandle,
    server: Mutex<Option<sellerdash_server::Server>>,
}

impl Shell {
    pub fn core(&self) -> &CoreHandle {
        &self.core
    }

    /// Stops the pollers, then the embedded server.
    pub async fn shutdown(&self) {
        self.core.shutdown().await;
        let server = self.server.lock().ok().and_then(|mut server| server.take());
        if let Some(server) = server {
            server.shutdown().await;
        }
    }
}

/// Creates the tray, starts the embedded server when needed and the core, and manages the
/// resulting [`Shell`].
pub fn start<R: Runtime>(
    app: &AppHandle<R>,
    config: &AppConfig,
    marketplace: Marketplace,
) -> Result<(), Box<dyn std::error::Error>> {
    let data_dir = match &config.data_dir {
        Some(dir) => dir.clone(),
        None => app.path().app_data_dir()?,
    };
    let profile_dir = data_dir.join(marketplace.profile_name());
    std::fs::create_dir_all(&profile_dir)?;
    tracing::info!(data_dir = %profile_dir.display(), "starting");

    tray::create(app)?;
    app.manage(export::ExportDir::resolve(app, &profile_dir));

    let (url, token, server) = match marketplace {
        Marketplace::Remote { url, token } => (url, token, None),
        Marketplace::EmbeddedDemo => {
            let embedded::EmbeddedServer { url, token, server } =
                tauri::async_runtime::block_on(embedded::start(&profile_dir))?;
            (url, token, Some(server))
        }
    };

    let core_config = CoreConfig {
        marketplace_url: url,
        token,
        data_dir: profile_dir.clone(),
        policies: Policies::default(),
    };
    let core = tauri::async_runtime::block_on(sellerdash_core::Core::start(
        core_config,
        std::sync::Arc::new(bridge::sink(app.clone())),
    ))?;
    app.manage(Shell {
        core,
        server: Mutex::new(server),
    });

    if config.hidden {
        if let Some(window) = app.get_webview_window(window::MAIN) {
            window.hide()?;
        }
        if let Some(shell) = app.try_state::<Shell>() {
            shell.core().set_window_visible(false);
        }
    }
    Ok(())
}
