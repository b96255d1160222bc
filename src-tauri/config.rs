//! The app's start-up configuration: which marketplace to watch, as whom, and where to keep
//! its data. Each setting comes from a command-line flag or an environment variable, so tests
//! (and sellers with several shops) can run isolated instances.

use std::path::PathBuf;

use clap::Parser;

/// Sellerdash: a marketplace seller's live dashboard.
///
/// With no marketplace configured, the app runs against its built-in demo store.
#[derive(Debug, Clone, Parser)]
#[command(version, about)]
pub struct AppConfig {
    /// The marketplace seller API's base URL (e.g. https://seller-api.example.com).
    #[arg(long, env = "SELLERDASH_MARKETPLACE_URL")]
    pub marketplace_url: Option<String>,

    /// The seller's bearer token for that marketplace.
    #[arg(long, env = "SELLERDASH_TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// Where the cache and the demo store live (default: the OS's app data folder).
    #[arg(long, env = "SELLERDASH_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Where settings.json (and the token file when no keyring answers) live (default: the
    /// data folder when --data-dir is given, else the OS's app config folder).
    #[arg(long, env = "SELLERDASH_CONFIG_DIR")]
    pub config_dir: Option<PathBuf>,

    /// Start with the window hidden in the tray.
    #[arg(long)]
    pub hidden: bool,
}

/// Where the seller's data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marketplace {
    /// The built-in reference server with the demo store, started in-process.
    EmbeddedDemo,
    Remote {
        url: String,
        token: String,
    },
}

/// A configuration that cannot start the app.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("a marketplace URL needs a seller token: pass --token or set SELLERDASH_TOKEN")]
    MissingToken,
    #[error(
        "a seller token needs a marketplace URL: pass --marketplace-url or set SELLERDASH_MARKETPLACE_URL"
    )]
    MissingUrl,
    /// Why the address is not usable (never the address itself: it may hold a password).
    #[error("the marketplace URL is not usable: {0}")]
    BadUrl(String),
    #[error("the seller token is empty: pass the token the marketplace gave you")]
    EmptyToken,
}

impl AppConfig {
    /// The marketplace the flags (or their environment variables) choose for this run;
    /// `None` when they name none (the saved settings decide).
    pub fn flag_marketplace(&self) -> Result<Option<Marketplace>, ConfigError> {
        if self.marketplace_url.is_none() && self.token.is_none() {
            return Ok(None);
        }
        self.marketplace().map(Some)
    }

    pub fn marketplace(&self) -> Result<Marketplace, ConfigError> {
        match (&self.marketplace_url, &self.token) {
            (None, None) => Ok(Marketplace::EmbeddedDemo),
            (Some(_), None) => Err(ConfigError::MissingToken),
            (None, Some(_)) => Err(ConfigError::MissingUrl),
            (Some(url), Some(token)) => {
                let token = token.trim();
                if token.is_empty() {
                    return Err(ConfigError::EmptyToken);
                }
                let url =
                    sellerdash_state::settings::normalize_url(url).map_err(ConfigError::BadUrl)?;
                Ok(Marketplace::Remote {
                    url,
                    token: token.to_owned(),
                })
            }
        }
    }
}

impl Marketplace {
    /// The cache folder name for this marketplace and seller, so switching marketplaces never
    /// shows one shop's data as another's. Stable across runs; reveals nothing of the token.
    pub fn profile_name(&self) -> String {
        match self {
            Self::EmbeddedDemo => "demo".to_owned(),
            Self::Remote { url, token } => {
                format!(
                    "marketplace-{:016x}",
                    fnv1a(format!("{url}\n{token}").as_bytes())
                )
            }
        }
    }
}

pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: Option<&str>, token: Option<&str>) -> AppConfig {
        AppConfig {
            marketplace_url: url.map(Into::into),
            token: token.map(Into::into),
            data_dir: None,
            config_dir: None,
            hidden: false,
        }
    }

    #[test]
    fn no_marketplace_means_the_demo_store() {
        assert_eq!(
            config(None, None).marketplace(),
            Ok(Marketplace::EmbeddedDemo)
        );
    }

    #[test]
    fn without_flags_the_saved_settings_decide() {
        assert_eq!(config(None, None).flag_marketplace(), Ok(None));
        assert!(matches!(
            config(Some("http://a"), Some("t")).flag_marketplace(),
            Ok(Some(Marketplace::Remote { .. }))
        ));
        assert!(config(Some("http://a"), None).flag_marketplace().is_err());
    }

    #[test]
    fn half_a_marketplace_is_a_clear_error() {
        assert_eq!(
            config(Some("http://x"), None).marketplace(),
            Err(ConfigError::MissingToken)
        );
        assert_eq!(
            config(None, Some("t")).marketplace(),
            Err(ConfigError::MissingUrl)
        );
        assert!(matches!(
            config(Some("x.example"), Some("t")).marketplace(),
            Err(ConfigError::BadUrl(_))
        ));
        let with_password = config(Some("https://me:hunter2@m.example"), Some("t")).marketplace();
        assert!(matches!(with_password, Err(ConfigError::BadUrl(_))));
        assert!(!format!("{with_password:?}").contains("hunter2"));
        assert_eq!(
            config(Some("HTTP://M.example/"), Some("t")).marketplace(),
            Ok(Marketplace::Remote {
                url: "http://m.example".into(),
                token: "t".into()
            })
        );
    }

    #[test]
    fn profiles_separate_marketplaces_and_sellers() {
        let a = config(Some("http://a/"), Some("t1")).marketplace().unwrap();
        let a_again = config(Some("http://a"), Some("t1")).marketplace().unwrap();
        let b = config(Some("http://a"), Some("t2")).marketplace().unwrap();
        assert_eq!(a.profile_name(), a_again.profile_name());
        assert_ne!(a.profile_name(), b.profile_name());
        assert!(!a.profile_name().contains("t1"));
    }
}
