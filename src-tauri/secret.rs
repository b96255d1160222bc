//! Where the seller's token is kept: the OS keyring when one answers (Secret Service on
//! Linux), else `seller-token` in the app's config folder, readable by the user only (0600).
//! The token never goes to the logs, to `settings.json` or back to the UI; the UI only
//! learns where it is kept.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sellerdash_state::settings::TokenPlace;

const SERVICE: &str = "sellerdash";
/// A keyring that has not answered after this long (say, one waiting on an unlock prompt
/// nobody can see) counts as no keyring.
const KEYRING_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);
const ACCOUNT: &str = "seller-token";
pub const TOKEN_FILE: &str = "seller-token";

/// The token storage of one config folder.
#[derive(Debug, Clone)]
pub struct TokenVault {
    file: PathBuf,
    keyring: bool,
    /// The keyring entry's account name.
    account: String,
    /// The keyring did not answer once: it is not asked again in this run.
    silent: Arc<AtomicBool>,
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("cannot write the token file {path}: {error}")]
    File {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl TokenVault {
    /// The vault of the app's own config folder, trying the OS keyring first.
    pub fn in_dir(config_dir: &Path) -> Self {
        Self {
            file: config_dir.join(TOKEN_FILE),
            keyring: true,
            account: ACCOUNT.to_owned(),
            silent: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The vault of an isolated instance's folder (`--config-dir`, `--data-dir`): its keyring
    /// entry names the folder, so it never replaces the main instance's token.
    pub fn isolated(config_dir: &Path) -> Self {
        Self {
            account: format!("{ACCOUNT}:{}", config_dir.display()),
            ..Self::in_dir(config_dir)
        }
    }

    /// The vault of `config_dir` that only uses the private file.
    #[cfg(test)]
    pub fn file_only(config_dir: &Path) -> Self {
        Self {
            keyring: false,
            ..Self::in_dir(config_dir)
        }
    }

    /// Runs `act` on the keyring entry on its own thread, waiting at most
    /// [`KEYRING_TIMEOUT`]; `None` without a keyring or when it does not answer in time.
    fn keyring<T: Send + 'static>(
        &self,
        act: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Option<keyring::Result<T>> {
        if !self.keyring || self.silent.load(Ordering::Relaxed) {
            return None;
        }
        let (answer, answered) = std::sync::mpsc::channel();
        let account = self.account.clone();
        let spawned = std::thread::Builder::new()
            .name("keyring".into())
            .spawn(move || {
                let result = keyring::Entry::new(SERVICE, &account).and_then(|entry| act(&entry));
                let _ = answer.send(result);
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "cannot reach the OS keyring");
            return None;
        }
        match answered.recv_timeout(KEYRING_TIMEOUT) {
            Ok(result) => Some(result),
            Err(_) => {
                tracing::warn!(
                    "the OS keyring did not answer in time; using the private file for this run"
                );
                self.silent.store(true, Ordering::Relaxed);
                None
            }
        }
    }

    /// Saves `token` (trimmed): in the keyring when it answers (and then removes any token
    /// file), else in the private file. Where it went.
    pub fn save(&self, token: &str) -> Result<TokenPlace, VaultError> {
        let token = token.trim();
        let owned = token.to_owned();
        if let Some(result) = self.keyring(move |entry| entry.set_password(&owned)) {
            match result {
                Ok(()) => {
                    self.remove_file();
                    tracing::info!("seller token saved in the OS keyring");
                    return Ok(TokenPlace::Keyring);
                }
                Err(error) => {
                    tracing::info!(%error, "the OS keyring refused the token; using a private file");
                }
            }
        }
        self.write_file(token)?;
        tracing::info!(path = %self.file.display(), "seller token saved in a private file");
        Ok(TokenPlace::File)
    }

    /// The saved token and where it is kept, if any.
    pub fn load(&self) -> Option<(String, TokenPlace)> {
        if let Some(Ok(token)) = self.keyring(keyring::Entry::get_password)
            && !token.trim().is_empty()
        {
            return Some((token, TokenPlace::Keyring));
        }
        let token = std::fs::read_to_string(&self.file).ok()?;
        let token = token.trim();
        (!token.is_empty()).then(|| (token.to_owned(), TokenPlace::File))
    }

    /// Forgets the token everywhere.
    #[cfg(test)]
    pub fn clear(&self) {
        let _ = self.keyring(keyring::Entry::delete_credential);
        self.remove_file();
    }

    fn remove_file(&self) {
        if let Err(error) = std::fs::remove_file(&self.file)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(%error, "cannot remove the old token file");
        }
    }

    /// Writes the token file readable by the user only: a 0600 temporary file in the same
    /// folder, renamed over the old one.
    fn write_file(&self, token: &str) -> Result<(), VaultError> {
        let fail = |error| VaultError::File {
            path: self.file.clone(),
            error,
        };
        let dir = self.file.parent().unwrap_or_else(|| Path::new("."));
        std::fs::create_dir_all(dir).map_err(fail)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            temp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(fail)?;
        }
        temp.write_all(token.as_bytes()).map_err(fail)?;
        temp.as_file().sync_all().map_err(fail)?;
        temp.persist(&self.file)
            .map_err(|error| fail(error.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_file_fallback_is_private_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::file_only(&dir.path().join("config"));
        assert_eq!(vault.load(), None);
        assert_eq!(vault.save("  first-token \n").unwrap(), TokenPlace::File);
        assert_eq!(vault.load(), Some(("first-token".into(), TokenPlace::File)));
        vault.save("second").unwrap();
        assert_eq!(vault.load(), Some(("second".into(), TokenPlace::File)));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("config").join(TOKEN_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        let names: Vec<_> = std::fs::read_dir(dir.path().join("config"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [TOKEN_FILE]);
        vault.clear();
        assert_eq!(vault.load(), None);
    }

    /// The keyring path, in a private D-Bus session with a Secret Service
    /// (gnome-keyring-daemon, unlocked with a test password): the token goes to the
    /// keyring, no token file is written, and a token file left from before is removed.
    #[test]
    fn the_keyring_keeps_the_token_when_a_secret_service_runs() {
        if std::env::var_os("SELLERDASH_KEYRING_CHILD").is_some() {
            return keyring_child();
        }
        let exe = std::env::current_exe().unwrap();
        let script = "printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
                      && exec \"$0\" --exact secret::tests::the_keyring_keeps_the_token_when_a_secret_service_runs --nocapture --test-threads=1";
        let output = std::process::Command::new("dbus-run-session")
            .args(["--", "sh", "-c", script])
            .arg(&exe)
            .env("SELLERDASH_KEYRING_CHILD", "1")
            .output()
            .expect("dbus-run-session (Debian: dbus) runs; install the test tools with scripts/dev setup");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stdout.contains("keyring round trip ok"),
            "the keyring test failed in its D-Bus session (gnome-keyring is in scripts/dev's list):\n{stdout}\n{stderr}"
        );
    }

    fn keyring_child() {
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::isolated(dir.path());
        std::fs::write(dir.path().join(TOKEN_FILE), "old").unwrap();
        assert_eq!(
            vault.save("kept-in-the-keyring").unwrap(),
            TokenPlace::Keyring
        );
        assert!(!dir.path().join(TOKEN_FILE).exists());
        assert_eq!(
            vault.load(),
            Some(("kept-in-the-keyring".into(), TokenPlace::Keyring))
        );
        // Another vault of the same folder (the next start of the app) finds it; another
        // instance's folder does not.
        assert_eq!(
            TokenVault::isolated(dir.path()).load(),
            Some(("kept-in-the-keyring".into(), TokenPlace::Keyring))
        );
        assert_eq!(TokenVault::isolated(&dir.path().join("other")).load(), None);
        vault.clear();
        assert_eq!(vault.load(), None);
        println!("keyring round trip ok");
    }
}
