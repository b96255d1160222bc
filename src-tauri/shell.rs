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
    SettingsError, SettingsView, TokenFor, normalize_url,
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
    /// The folder flags of this run, repeated by the launch-at-login entry.
    folder_args: Vec<String>,
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

/// A marketplace address in its one form ([`normalize_url`]); an address that is not one
/// (an old settings file) as it was, trimmed.
fn normalized(url: &str) -> String {
    normalize_url(url).unwrap_or_else(|_| url.trim().to_owned())
}

/// What a settings change saves and asks for, before anything is written.
#[derive(Debug)]
struct Plan {
    /// The settings to save (the marketplace address normalized).
    settings: Settings,
    /// A new token to save, with the normalized address it belongs to. Never in demo mode.
    token: Option<(String, String)>,
    /// The marketplace these settings ask for; `None` when its token is not known.
    target: Option<Marketplace>,
    marketplace_changed: bool,
    /// What is wrong with the change (the launch-at-login outcome is added by the caller).
    errors: Vec<FieldError>,
}

/// Validates `change` against the `saved` settings and the tokens in `vault`, saving
/// nothing. A typed token belongs to the typed address; an address with no typed token uses
/// the token saved for that very address, so coming back to a marketplace needs no token, and
/// no token is ever used for another address. With the demo store chosen, a token in the
/// change is ignored: nothing is written for it.
fn plan(saved: &Settings, change: SettingsChange, vault: &TokenVault) -> Plan {
    let SettingsChange {
        mut settings,
        token,
        marketplace_changed,
    } = change;
    if !marketplace_changed {
        settings.marketplace = saved.marketplace.clone();
    }
    let mut errors = settings.validate();
    let mut new_token = None;
    let target = match &mut settings.marketplace {
        MarketplaceChoice::Demo => Some(Marketplace::EmbeddedDemo),
        MarketplaceChoice::Remote { url } => {
            let valid = normalize_url(url).ok();
            if let Some(normal) = &valid {
                url.clone_from(normal);
            }
            let typed = match token {
                Some(token) if token.trim().is_empty() => {
                    errors.push(FieldError::new(
                        "token",
                        "the token is empty: paste the token the marketplace gave you",
                    ));
                    None
                }
                other => other.map(|token| token.trim().to_owned()),
            };
            let token = match (&typed, &valid) {
                (Some(token), _) => Some(token.clone()),
                (None, Some(url)) => vault.load(url).map(|(token, _)| token),
                (None, None) => None,
            };
            // Only a marketplace the seller is changing needs its token now.
            if token.is_none() && marketplace_changed && !errors.iter().any(|e| e.field == "token")
            {
                errors.push(FieldError::new(
                    "token",
                    "enter the seller token for this marketplace",
                ));
            }
            if let (Some(token), Some(url)) = (typed, &valid) {
                new_token = Some((url.clone(), token));
            }
            match (token, valid) {
                (Some(token), Some(url)) => Some(Marketplace::Remote { url, token }),
                _ => None,
            }
        }
    };
    Plan {
        settings,
        token: new_token,
        target,
        marketplace_changed,
        errors,
    }
}

/// The normalized address and the token "Test connection" uses: the typed token, else the
/// token of that very address (the running marketplace's, or the one saved for it). Never
/// the token of another address: then the seller is asked to type it.
fn connection_to_test(
    url: &str,
    typed: Option<&str>,
    running: &Marketplace,
    vault: &TokenVault,
) -> Result<(String, String), String> {
    let url = normalize_url(url)?;
    if let Some(token) = typed.map(str::trim).filter(|token| !token.is_empty()) {
        return Ok((url, token.to_owned()));
    }
    let running_token = match running {
        Marketplace::Remote {
            url: running_url,
            token,
        } if normalized(running_url) == url => Some(token.clone()),
        _ => None,
    };
    match running_token.or_else(|| vault.load(&url).map(|(token, _)| token)) {
        Some(token) => Ok((url, token)),
        None => Err("enter the token for this marketplace to test it".to_owned()),
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
        let settings = lock(&self.settings).clone();
        let token_url = match &settings.marketplace {
            MarketplaceChoice::Demo => None,
            MarketplaceChoice::Remote { url } => Some(normalized(url)),
        };
        SettingsView {
            token: token_url
                .as_deref()
                .and_then(|url| self.vault.load(url))
                .map(|(_, place)| place),
            token_url,
            settings,
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

    /// Which token the app has for `url` (typed on the Settings page, not yet saved): the
    /// running marketplace's when it was given for this run, else the one saved for it.
    pub fn token_for(&self, url: &str) -> TokenFor {
        let Ok(url) = normalize_url(url) else {
            return TokenFor::Missing;
        };
        let this_run = {
            let running = lock(&self.running);
            running.from_flags
                && matches!(&running.marketplace, Marketplace::Remote { url: r, .. } if normalized(r) == url)
        };
        if this_run {
            return TokenFor::ThisRun;
        }
        match self.vault.load(&url) {
            Some((_, place)) => TokenFor::Saved { place },
            None => TokenFor::Missing,
        }
    }

    /// "Test connection": the marketplace at `url` with `token` (or the token saved for that
    /// very address), without saving anything.
    pub async fn test_connection(&self, url: &str, token: Option<&str>) -> ConnectionCheck {
        let running = lock(&self.running).marketplace.clone();
        match connection_to_test(url, token, &running, &self.vault) {
            Ok((url, token)) => sellerdash_core::check_connection(&url, &token).await,
            Err(message) => ConnectionCheck::NotTested { message },
        }
    }

    /// Validates, saves and applies a change; on any error nothing is saved or applied.
    pub async fn change<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        change: SettingsChange,
    ) -> Result<SettingsView, SettingsError> {
        let _one_at_a_time = self.changing.lock().await;
        let saved = lock(&self.settings).clone();
        let Plan {
            settings,
            token,
            target,
            marketplace_changed,
            mut errors,
        } = plan(&saved, change, &self.vault);
        if settings.launch_at_login != saved.launch_at_login
            && let Err(message) = autostart::set(settings.launch_at_login, &self.folder_args)
        {
            errors.push(FieldError::new("launch_at_login", message));
        }
        if !errors.is_empty() {
            return Err(SettingsError {
                message: "Nothing was saved: fix the fields marked below.".to_owned(),
                fields: errors,
            });
        }
        if let Some((url, token)) = &token
            && let Err(error) = self.vault.save(url, token)
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
                tray::give_back(app, generation, previous);
                if let Some(server) = new_server {
                    server.shutdown().await;
                }
                return Err(error.into());
            }
        };
        // Only what older cores said is forgotten: a count the new core already reported
        // (a quick switch) stays.
        tray::reset(app, generation);
        if let Some(state) = &bridge {
            state.drop_held();
        }
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

    // The one token of an earlier version is the saved marketplace's, and only its.
    if let MarketplaceChoice::Remote { url } = &settings.marketplace {
        vault.adopt_legacy(&normalized(url));
    }
    let from_flags = flags.is_some();
    let marketplace = match flags {
        Some(marketplace) => marketplace,
        None => match &settings.marketplace {
            MarketplaceChoice::Demo => Marketplace::EmbeddedDemo,
            MarketplaceChoice::Remote { url } => match vault.load(url) {
                Some((token, _)) => Marketplace::Remote {
                    url: normalized(url),
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
    app.manage(export::ExportDir::resolve(app, &data_dir));
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
        folder_args: autostart::folder_args(
            config.data_dir.as_deref(),
            config.config_dir.as_deref(),
        ),
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const A: &str = "https://a.example";
    const B: &str = "https://b.example";

    fn remote(url: &str) -> Settings {
        Settings {
            marketplace: MarketplaceChoice::Remote { url: url.into() },
            ..Settings::default()
        }
    }

    fn change(settings: Settings, token: Option<&str>) -> SettingsChange {
        SettingsChange {
            settings,
            token: token.map(Into::into),
            marketplace_changed: true,
        }
    }

    fn error_fields(plan: &Plan) -> Vec<&str> {
        plan.errors.iter().map(|e| e.field.as_str()).collect()
    }

    /// Defect: "Test connection" sent the saved token to whatever address was typed.
    #[test]
    fn the_saved_token_is_only_tested_against_its_own_address() {
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::file_only(dir.path());
        vault.save(A, "token-of-a").unwrap();
        let demo = Marketplace::EmbeddedDemo;
        assert_eq!(
            connection_to_test("HTTPS://a.example/", None, &demo, &vault),
            Ok((A.to_owned(), "token-of-a".to_owned()))
        );
        for other in [
            "https://evil.example",
            "http://a.example",
            "https://a.example.evil",
        ] {
            let refused = connection_to_test(other, None, &demo, &vault).unwrap_err();
            assert!(
                refused.contains("enter the token for this marketplace"),
                "{other}: {refused}"
            );
        }
        // A typed token goes to the typed address.
        assert_eq!(
            connection_to_test(B, Some(" typed "), &demo, &vault),
            Ok((B.to_owned(), "typed".to_owned()))
        );
        // The running marketplace's token (from the command line) counts for its address only.
        let running = Marketplace::Remote {
            url: B.into(),
            token: "flag-token".into(),
        };
        assert_eq!(
            connection_to_test("https://b.example/", Some("  "), &running, &vault),
            Ok((B.to_owned(), "flag-token".to_owned()))
        );
        assert!(connection_to_test("https://c.example", None, &running, &vault).is_err());
        // An address with a password in it is refused before anything is sent.
        let refused =
            connection_to_test("https://u:pw@a.example", Some("t"), &demo, &vault).unwrap_err();
        assert!(refused.contains("user name or password"), "{refused}");
    }

    /// Defect: coming back to a marketplace asked for its token again.
    #[test]
    fn each_marketplace_keeps_its_token_and_coming_back_needs_none() {
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::file_only(dir.path());
        // On A with its token, the seller moves to B with B's token...
        vault.save(A, "token-of-a").unwrap();
        let to_b = plan(
            &remote(A),
            change(remote("HTTPS://B.example/"), Some("token-of-b")),
            &vault,
        );
        assert!(to_b.errors.is_empty(), "{:?}", to_b.errors);
        assert_eq!(to_b.token, Some((B.to_owned(), "token-of-b".to_owned())));
        assert_eq!(to_b.settings, remote(B), "the address is saved normalized");
        vault.save(B, "token-of-b").unwrap();
        // ... and back to A without typing a token: A's own token.
        let back = plan(
            &to_b.settings,
            change(remote("https://A.example/"), None),
            &vault,
        );
        assert!(back.errors.is_empty(), "{:?}", back.errors);
        assert_eq!(back.token, None, "nothing new to save");
        assert_eq!(
            back.target,
            Some(Marketplace::Remote {
                url: A.into(),
                token: "token-of-a".into()
            })
        );
        // A marketplace never used before still needs its token; B's is not lent to it.
        let new = plan(
            &remote(A),
            change(remote("https://c.example"), None),
            &vault,
        );
        assert_eq!(error_fields(&new), ["token"]);
        assert_eq!(new.target, None);
    }

    /// Defect: with the demo store chosen, Save still wrote the token field.
    #[test]
    fn the_demo_store_saves_no_token() {
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::file_only(dir.path());
        for typed in [Some("leftover-token"), Some("   "), None] {
            let demo = plan(&remote(A), change(Settings::default(), typed), &vault);
            assert!(demo.errors.is_empty(), "{typed:?}: {:?}", demo.errors);
            assert_eq!(demo.token, None, "{typed:?}");
            assert_eq!(demo.target, Some(Marketplace::EmbeddedDemo));
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_change_that_keeps_the_marketplace_needs_no_token() {
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::file_only(dir.path());
        let mut faster = remote(B);
        faster.intervals.dashboard_secs = 9;
        let kept = plan(
            &remote(A),
            SettingsChange {
                settings: faster,
                token: None,
                marketplace_changed: false,
            },
            &vault,
        );
        assert!(kept.errors.is_empty(), "{:?}", kept.errors);
        assert_eq!(kept.settings.marketplace, remote(A).marketplace);
        assert_eq!(kept.settings.intervals.dashboard_secs, 9);
        assert_eq!(kept.target, None, "no token for A: nothing to switch to");
    }
}
