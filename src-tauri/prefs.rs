//! `settings.json` in the app's config folder: the seller's settings (never the token),
//! versioned. A missing file means the defaults; an unreadable, corrupt or newer-versioned
//! file means the defaults plus a notice the Settings page shows, and the file is moved
//! aside (`settings.json.unreadable`) so nothing is lost. Writes go to a temporary file in
//! the same folder, then replace the old one by rename, so a crash never leaves half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use sellerdash_state::settings::{SETTINGS_VERSION, Settings};

pub const SETTINGS_FILE: &str = "settings.json";

/// The settings file of one config folder.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    path: PathBuf,
}

/// What loading found: the settings to use and, when the file could not be used, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub settings: Settings,
    pub notice: Option<String>,
}

impl SettingsFile {
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            path: dir.join(SETTINGS_FILE),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved settings, or the defaults (with a notice when a file was there but unusable).
    pub fn load(&self) -> Loaded {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Loaded {
                    settings: Settings::default(),
                    notice: None,
                };
            }
            Err(error) => return self.unusable(&format!("it cannot be read ({error})")),
        };
        let settings = match serde_json::from_str::<Settings>(&text) {
            Ok(settings) => settings,
            Err(error) => return self.unusable(&format!("it is not valid settings ({error})")),
        };
        if settings.version > SETTINGS_VERSION {
            return self.unusable(&format!(
                "it was written by a newer Sellerdash (version {}; this one reads {SETTINGS_VERSION})",
                settings.version
            ));
        }
        let errors = settings.validate();
        if let Some(first) = errors.first() {
            return self.unusable(&format!("it holds a bad value ({})", first.message));
        }
        Loaded {
            settings: Settings {
                version: SETTINGS_VERSION,
                ..settings
            },
            notice: None,
        }
    }

    fn unusable(&self, why: &str) -> Loaded {
        let aside = self.path.with_extension("json.unreadable");
        let kept = match std::fs::rename(&self.path, &aside) {
            Ok(()) => format!("; it was kept as {}", aside.display()),
            Err(_) => String::new(),
        };
        let notice = format!(
            "Your settings file could not be used: {why}. Sellerdash is using the default settings{kept}."
        );
        tracing::warn!(%notice, "settings");
        Loaded {
            settings: Settings::default(),
            notice: Some(notice),
        }
    }

    /// Writes `settings` atomically (temporary file, then rename).
    pub fn save(&self, settings: &Settings) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or_else(|| Path::new("."));
        std::fs::create_dir_all(dir)?;
        let text = serde_json::to_string_pretty(settings).map_err(std::io::Error::other)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        temp.write_all(text.as_bytes())?;
        temp.write_all(b"\n")?;
        temp.as_file().sync_all()?;
        temp.persist(&self.path).map_err(|error| error.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use sellerdash_state::settings::MarketplaceChoice;

    use super::*;

    #[test]
    fn settings_survive_a_save_and_load() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(&dir.path().join("config"));
        assert_eq!(file.load().settings, Settings::default());
        let mut settings = Settings {
            marketplace: MarketplaceChoice::Remote {
                url: "https://m.example".into(),
            },
            notifications: false,
            ..Settings::default()
        };
        settings.intervals.dashboard_secs = 42;
        settings.quiet_hours.enabled = true;
        file.save(&settings).unwrap();
        let loaded = file.load();
        assert_eq!(loaded.settings, settings);
        assert_eq!(loaded.notice, None);
        // Only settings.json: no temporary file left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("config"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [SETTINGS_FILE]);
    }

    #[test]
    fn a_corrupt_file_means_defaults_a_notice_and_the_file_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        std::fs::write(file.path(), "{ not json").unwrap();
        let loaded = file.load();
        assert_eq!(loaded.settings, Settings::default());
        let notice = loaded.notice.unwrap();
        assert!(
            notice.starts_with("Your settings file could not be used: it is not valid settings"),
            "{notice}"
        );
        assert!(notice.contains("using the default settings"), "{notice}");
        let aside = dir.path().join("settings.json.unreadable");
        assert_eq!(std::fs::read_to_string(aside).unwrap(), "{ not json");
        // The next start finds no file and says nothing.
        assert_eq!(file.load().notice, None);
    }

    #[test]
    fn a_newer_version_or_a_bad_value_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        std::fs::write(file.path(), r#"{"version": 99}"#).unwrap();
        let loaded = file.load();
        assert!(loaded.notice.unwrap().contains("newer Sellerdash"));
        std::fs::write(file.path(), r#"{"intervals": {"dashboard_secs": 0}}"#).unwrap();
        let loaded = file.load();
        assert_eq!(loaded.settings, Settings::default());
        assert!(
            loaded
                .notice
                .unwrap()
                .contains("Dashboard: out of range (2 s to 1 hour)")
        );
    }

    #[test]
    fn the_token_is_never_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        file.save(&Settings::default()).unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        assert!(!text.to_lowercase().contains("token"), "{text}");
    }
}
