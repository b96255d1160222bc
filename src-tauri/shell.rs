//! Start-up and the state every command reaches: the running core, in demo mode the
//! embedded reference server, and the seller's settings.
//!
//! The settings apply without a restart. New polling settings go to the running core. A new
//! marketplace or token replaces the core: the old one stops, a new one starts on the other
//! marketplace's own cache folder (so one shop's data never shows as another's), the keys
//! the UI observes are observed again on it, and the bridge drops the old core's late
//! events. `--marketplace-url`/`--token` (or their environment variables) choose the
//! marketplace at start-up over the saved one; saving another marketplace on the Settings
//! page replaces it for the rest of the run.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use sellerdash_core::{CoreConfig, CoreHandle, Policies};
use sellerdash_state::settings::{
    ConnectionCheck, FieldError, MarketplaceChoice, RunningMarketplace, Settings, SettingsChange,
    SettingsError, SettingsView,
};
use sellerdash_state::{AppError, QueryKey, QuerySnapshot};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::bridge::{AlertPrefs, BridgeState};
use crate::config::{AppConfig, Marketplace};
use crate::instance::{self, InstanceError, InstanceLock};
use crate::prefs::SettingsFile;
use crate::secret::TokenVault;
use crate::{autostart, bridge, embedded, export, tray, window};

/// The app's managed state.
pub struct Shell {
    core: RwLock<Arc<CoreHandle>>,
    server: Mutex<Option<sellerdash_server::Server>>,
    /// How many observers the UI holds per key, to observe them again on a new core.
    observed: Mutex<BTreeMap<QueryKey, u32>>,
    settings: Mutex<Settings>,
    notice: Mutex<Option<String>>,
    running: Mutex<Running>,
    file: SettingsFile,
    vault: TokenVault,
    data_dir: PathBuf,
    /// One settings change at a time.
    changing: tokio::sync::Mutex<()>,
}

/// The marketplace the running core watches.
#[derive(Debug, Clone)]
struct Running {
    marketplace: Marketplace,
    url: String,
    from_flags: bool,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The core's policies for these settings.
fn policies(settings: &Settings) -> Policies {
    Policies::default()
        .with_intervals(&settings.intervals)
        .with_background(settings.background_polling)
}

fn alert_prefs(settings: &Settings) -> AlertPrefs {
    AlertPrefs {
        notifications: settings.notifications,
        quiet_hours: settings.quiet_hours.clone(),
    }
}

impl Shell {
    pub fn core(&self) -> Arc<CoreHandle> {
        Arc::clone(&self.core.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// The UI shows `key`: counted, so a new core observes it too.
    pub fn observe(&self, key: &QueryKey) -> Result<QuerySnapshot, AppError> {
        let mut observed = lock(&self.observed);
        let snapshot = self.core().observe(key)?;
        *observed.entry(key.clone()).or_default() += 1;
        Ok(snapshot)
    }

    pub fn unobserve(&self, key: &QueryKey) {
        let mut observed = lock(&self.observed);
        if let Some(count) = observed.get_mut(key) {
            *count -= 1;
            if *count == 0 {
                observed.remove(key);
            }
        }
        self.core().unobserve(key);
    }

    /// Stops the pollers, then the embedded server.
    pub async fn shutdown(&self) {
        self.core().shutdown().await;
        let server = lock(&self.server).take();
        if let Some(server) = server {
            server.shutdown().await;
        }
    }

    /// The Settings page's view: the saved settings, where the token is (never the token),
    /// the running marketplace and any notice about the settings file.
    pub fn view(&self) -> SettingsView {
        let running = lock(&self.running).clone();
        let (autostart_supported, autostart_note) = autostart::support();
        SettingsView {
            settings: lock(&self.settings).clone(),
            token: self.vault.load().map(|(_, place)| place),
            running: RunningMarketplace {
                url: running.url,
                demo: running.marketplace == Marketplace::EmbeddedDemo,
                from_flags: running.from_flags,
            },
            notice: lock(&self.notice).clone(),
            autostart_supported,
            autostart_note,
        }
    }

    /// "Test connection": the marketplace at `url` with `token` (or the saved token), without
    /// saving anything.
    pub async fn test_connection(&self, url: &str, token: Option<&str>) -> ConnectionCheck {
        if let Some(message) = sellerdash_state::settings::check_url(url) {
            return ConnectionCheck::Failed { message };
        }
        let token = match token.map(str::trim).filter(|t| !t.is_empty()) {
            Some(token) => token.to_owned(),
            None => match self.vault.load() {
                Some((token, _)) => token,
                None => {
                    return ConnectionCheck::Failed {
                        message: "enter the seller token to test it".to_owned(),
                    };
                }
            },
        };
        sellerdash_core::check_connection(url, &token).await
    }

    /// Validates, saves and applies a change; on any error nothing is saved or applied.
    pub async fn change<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        change: SettingsChange,
    ) -> Result<SettingsView, SettingsError> {
        let _one_at_a_time = self.changing.lock().await;
        let SettingsChange {
            mut settings,
            token,
            marketplace_changed,
        } = change;
        let saved = lock(&self.settings).clone();
        if !marketplace_changed {
            settings.marketplace = saved.marketplace.clone();
        }
        let mut errors = settings.validate();
        let new_token = match token {
            Some(token) if token.trim().is_empty() => {
                errors.push(FieldError::new(
                    "token",
                    "the token is empty: paste the token the marketplace gave you",
                ));
                None
            }
            other => other.map(|t| t.trim().to_owned()),
        };
        let saved_token = self.vault.load().map(|(token, _)| token);
        let target = match &settings.marketplace {
            MarketplaceChoice::Demo => Some(Marketplace::EmbeddedDemo),
            MarketplaceChoice::Remote { url } => {
                let same_url = matches!(&saved.marketplace, MarketplaceChoice::Remote { url: old } if old == url);
                let token = new_token
                    .clone()
                    .or_else(|| saved_token.clone().filter(|_| same_url));
                // Only a marketplace the seller is changing needs its token now.
                if token.is_none()
                    && marketplace_changed
                    && !errors.iter().any(|e| e.field == "token")
                {
                    errors.push(FieldError::new(
                        "token",
                        "enter the seller token for this marketplace",
                    ));
                }
                token.map(|token| Marketplace::Remote {
                    url: url.trim().trim_end_matches('/').to_owned(),
                    token,
                })
            }
        };
        if settings.launch_at_login != saved.launch_at_login
            && let Err(message) = autostart::set(settings.launch_at_login)
        {
            errors.push(FieldError::new("launch_at_login", message));
        }
        if !errors.is_empty() {
            return Err(SettingsError {
                message: "Nothing was saved: fix the fields marked below.".to_owned(),
                fields: errors,
            });
        }
        if let MarketplaceChoice::Remote { url } = &mut settings.marketplace {
            *url = url.trim().trim_end_matches('/').to_owned();
        }
        if let Some(token) = &new_token
            && let Err(error) = self.vault.save(token)
        {
            return Err(SettingsError {
                message: format!("Nothing was saved: {error}"),
                fields: Vec::new(),
            });
        }
        if let Err(error) = self.file.save(&settings) {
            return Err(SettingsError {
                message: format!(
                    "Nothing was saved: cannot write {}: {error}",
                    self.file.path().display()
                ),
                fields: Vec::new(),
            });
        }
        tracing::info!(path = %self.file.path().display(), "settings saved");
        *lock(&self.settings) = settings.clone();
        *lock(&self.notice) = None;
        if let Some(state) = app.try_state::<BridgeState>() {
            state.set_prefs(alert_prefs(&settings));
        }
        let running = lock(&self.running).clone();
        let switch = target.filter(|target| {
            *target != running.marketplace && (marketplace_changed || !running.from_flags)
        });
        match switch {
            Some(target) => {
                self.switch(app, target, policies(&settings))
                    .await
                    .map_err(|error| SettingsError {
                        message: format!(
                            "The settings were saved, but the new marketplace could not start: {error}"
                        ),
                        fields: Vec::new(),
                    })?;
            }
            None => self.core().set_policies(policies(&settings)),
        }
        Ok(self.view())
    }

    /// Replaces the core with one watching `target`. The new core starts first; only then
    /// does the old one stop (so a marketplace that cannot start leaves the app as it was),
    /// and from the moment the new one takes over the old one's late events are dropped.
    async fn switch<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        target: Marketplace,
        policies: Policies,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let profile_dir = self.data_dir.join(target.profile_name());
        std::fs::create_dir_all(&profile_dir)?;
        tracing::info!(data_dir = %profile_dir.display(), "switching marketplace");
        let running_server = lock(&self.server)
            .as_ref()
            .and_then(|server| Some((server.base_url(), server.sellers().first()?.token.clone())));
        let (url, token, new_server) = match (&target, running_server) {
            (Marketplace::Remote { url, token }, _) => (url.clone(), token.clone(), None),
            (Marketplace::EmbeddedDemo, Some((url, token))) => (url, token, None),
            (Marketplace::EmbeddedDemo, None) => {
                let embedded::EmbeddedServer { url, token, server } =
                    embedded::start(&profile_dir).await?;
                (url, token, Some(server))
            }
        };
        let bridge = app.try_state::<BridgeState>();
        let previous = bridge.as_ref().map_or(0, |state| state.generation());
        let generation = bridge.as_ref().map_or(0, |state| state.next_generation());
        let config = CoreConfig {
            marketplace_url: url.clone(),
            token,
            data_dir: profile_dir,
            policies,
        };
        let started =
            sellerdash_core::Core::start(config, Arc::new(bridge::sink(app.clone(), generation)))
                .await;
        let core = match started {
            Ok(core) => core,
            Err(error) => {
                if let Some(state) = &bridge {
                    state.restore_generation(previous);
                }
                if let Some(server) = new_server {
                    server.shutdown().await;
                }
                return Err(error.into());
            }
        };
        tray::reset(app);
        // The banners show the new core's cache notices (none, usually), not the old one's.
        if let Err(error) = app.emit(crate::events::CACHE_NOTICES, core.cache_notices()) {
            tracing::warn!(%error, "cannot report the cache notices");
        }
        let old = self.core();
        core.set_window_visible(old.window_visible());
        {
            let observed = lock(&self.observed);
            for (key, count) in observed.iter() {
                for _ in 0..*count {
                    if let Err(error) = core.observe(key) {
                        tracing::warn!(%key, message = %error.message, "cannot observe again");
                    }
                }
            }
            *self.core.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(core);
        }
        *lock(&self.running) = Running {
            marketplace: target.clone(),
            url,
            from_flags: false,
        };
        old.shutdown().await;
        let stopped = match target {
            Marketplace::Remote { .. } => lock(&self.server).take(),
            Marketplace::EmbeddedDemo => {
                if let Some(server) = new_server {
                    *lock(&self.server) = Some(server);
                }
                None
            }
        };
        if let Some(server) = stopped {
            server.shutdown().await;
        }
        Ok(())
    }
}

/// Where settings live: `--config-dir`, else the `--data-dir` (an isolated instance keeps
/// everything together), else the OS's app config folder.
fn config_dir<R: Runtime>(
    app: &AppHandle<R>,
    config: &AppConfig,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    Ok(match (&config.config_dir, &config.data_dir) {
        (Some(dir), _) | (None, Some(dir)) => dir.clone(),
        (None, None) => app.path().app_config_dir()?,
    })
}

/// Creates the tray, loads the settings, starts the embedded server when needed and the
/// core, and manages the resulting [`Shell`].
pub fn start<R: Runtime>(
    app: &AppHandle<R>,
    config: &AppConfig,
    flags: Option<Marketplace>,
) -> Result<(), Box<dyn std::error::Error>> {
    let data_dir = match &config.data_dir {
        Some(dir) => dir.clone(),
        None => app.path().app_data_dir()?,
    };
    // One app per data folder, claimed before anything polls or notifies.
    let instance = match InstanceLock::acquire(&data_dir) {
        Ok(instance) => instance,
        Err(error @ InstanceError::AlreadyRunning { .. }) => {
            // Tauri built this launch's window already: keep it from flashing up.
            if let Some(window) = app.get_webview_window(window::MAIN) {
                let _ = window.hide();
            }
            instance::defer_to_running(&data_dir);
            return Err(error.into());
        }
        Err(error) => return Err(error.into()),
    };
    {
        let app = app.clone();
        if let Err(error) = instance.listen(move || window::show_main(&app)) {
            tracing::warn!(%error, "later launches cannot raise this window");
        }
    }
    app.manage(instance);
    let config_dir = config_dir(app, config)?;
    let file = SettingsFile::in_dir(&config_dir);
    let vault = if config.config_dir.is_some() || config.data_dir.is_some() {
        TokenVault::isolated(&config_dir)
    } else {
        TokenVault::in_dir(&config_dir)
    };
    let loaded = file.load();
    let settings = loaded.settings;
    let mut notice = loaded.notice;

    let from_flags = flags.is_some();
    let marketplace = match flags {
        Some(marketplace) => marketplace,
        None => match &settings.marketplace {
            MarketplaceChoice::Demo => Marketplace::EmbeddedDemo,
            MarketplaceChoice::Remote { url } => match vault.load() {
                Some((token, _)) => Marketplace::Remote {
                    url: url.clone(),
                    token,
                },
                None => {
                    notice = Some(format!(
                        "No seller token is saved for {url}, so Sellerdash opened the demo store. Enter the token below."
                    ));
                    Marketplace::EmbeddedDemo
                }
            },
        },
    };

    let profile_dir = data_dir.join(marketplace.profile_name());
    std::fs::create_dir_all(&profile_dir)?;
    tracing::info!(data_dir = %profile_dir.display(), "starting");

    tray::create(app)?;
    app.manage(export::ExportDir::resolve(app, &profile_dir));
    app.manage(BridgeState::new(alert_prefs(&settings)));
    bridge::watch_quiet_hours(app.clone());

    let (url, token, server) = match &marketplace {
        Marketplace::Remote { url, token } => (url.clone(), token.clone(), None),
        Marketplace::EmbeddedDemo => {
            let embedded::EmbeddedServer { url, token, server } =
                tauri::async_runtime::block_on(embedded::start(&profile_dir))?;
            (url, token, Some(server))
        }
    };

    let core_config = CoreConfig {
        marketplace_url: url.clone(),
        token,
        data_dir: profile_dir.clone(),
        policies: policies(&settings),
    };
    let generation = app
        .try_state::<BridgeState>()
        .map_or(0, |state| state.next_generation());
    let core = tauri::async_runtime::block_on(sellerdash_core::Core::start(
        core_config,
        Arc::new(bridge::sink(app.clone(), generation)),
    ))?;
    app.manage(Shell {
        core: RwLock::new(Arc::new(core)),
        server: Mutex::new(server),
        observed: Mutex::new(BTreeMap::new()),
        settings: Mutex::new(settings),
        notice: Mutex::new(notice),
        running: Mutex::new(Running {
            marketplace,
            url,
            from_flags,
        }),
        file,
        vault,
        data_dir,
        changing: tokio::sync::Mutex::new(()),
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
