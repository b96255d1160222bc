//! Where the seller's tokens are kept: one per marketplace, under a name derived from the
//! marketplace's normalized address, in the OS keyring when one answers (Secret Service on
//! Linux), else in `seller-token-<hash of the address>` in the app's config folder, readable
//! by the user only (0600). A token is only ever read back for its own address. The tokens
//! never go to the logs, to `settings.json` or back to the UI; the UI only learns where the
//! saved marketplace's token is kept.
//!
//! Earlier versions kept one token for all marketplaces (keyring account `seller-token`,
//! file `seller-token`). That token is the saved marketplace's: [`TokenVault::adopt_legacy`]
//! moves it to that marketplace's name once, and nothing else ever reads it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sellerdash_state::settings::{TokenPlace, normalize_url};

const SERVICE: &str = "sellerdash";
/// A keyring that has not answered after this long (say, one waiting on an unlock prompt
/// nobody can see) counts as no keyring.
const KEYRING_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);
const ACCOUNT: &str = "seller-token";
/// The file of the single token of earlier versions; each marketplace's file is this name
/// followed by `-` and the hash of its address.
pub const TOKEN_FILE: &str = "seller-token";

/// The token storage of one config folder.
#[derive(Debug, Clone)]
pub struct TokenVault {
    dir: PathBuf,
    keyring: bool,
    /// The keyring account name of the single token of earlier versions; each
    /// marketplace's account is this name followed by `@` and the hash of its address.
    account: String,
    /// The keyring did not answer once: it is not asked again in this run.
    silent: Arc<AtomicBool>,
}

/// Where one token is kept: its keyring account and its private file.
#[derive(Debug, Clone)]
struct Slot {
    account: String,
    file: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("cannot write the token file {path}: {error}")]
    File {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// The name a marketplace's token is kept under: a hash of its normalized address (stable
/// across runs and across `HTTP://`/`https://m/` spellings of the same address).
fn url_key(url: &str) -> String {
    let url = normalize_url(url).unwrap_or_else(|_| url.trim().to_owned());
    format!("{:016x}", crate::config::fnv1a(url.as_bytes()))
}

impl TokenVault {
    /// The vault of the app's own config folder, trying the OS keyring first.
    pub fn in_dir(config_dir: &Path) -> Self {
        Self {
            dir: config_dir.to_owned(),
            keyring: true,
            account: ACCOUNT.to_owned(),
            silent: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The vault of an isolated instance's folder (`--config-dir`, `--data-dir`): its keyring
    /// entries name the folder, so they never replace the main instance's tokens.
    pub fn isolated(config_dir: &Path) -> Self {
        Self {
            account: format!("{ACCOUNT}:{}", config_dir.display()),
            ..Self::in_dir(config_dir)
        }
    }

    /// The vault of `config_dir` that only uses the private files.
    #[cfg(test)]
    pub fn file_only(config_dir: &Path) -> Self {
        Self {
            keyring: false,
            ..Self::in_dir(config_dir)
        }
    }

    /// The single token of earlier versions.
    fn legacy(&self) -> Slot {
        Slot {
            account: self.account.clone(),
            file: self.dir.join(TOKEN_FILE),
        }
    }

    /// The token of the marketplace at `url`.
    fn slot(&self, url: &str) -> Slot {
        let key = url_key(url);
        Slot {
            account: format!("{}@{key}", self.account),
            file: self.dir.join(format!("{TOKEN_FILE}-{key}")),
        }
    }

    /// Runs `act` on the keyring entry `account` on its own thread, waiting at most
    /// [`KEYRING_TIMEOUT`]; `None` without a keyring or when it does not answer in time.
    fn keyring<T: Send + 'static>(
        &self,
        account: &str,
        act: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Option<keyring::Result<T>> {
        if !self.keyring || self.silent.load(Ordering::Relaxed) {
            return None;
        }
        let (answer, answered) = std::sync::mpsc::channel();
        let account = account.to_owned();
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

    /// Saves `token` (trimmed) as the token of the marketplace at `url`: in the keyring when
    /// it answers (and then removes that marketplace's token file), else in its private
    /// file. Where it went.
    pub fn save(&self, url: &str, token: &str) -> Result<TokenPlace, VaultError> {
        self.save_in(&self.slot(url), token)
    }

    fn save_in(&self, slot: &Slot, token: &str) -> Result<TokenPlace, VaultError> {
        let token = token.trim();
        let owned = token.to_owned();
        if let Some(result) = self.keyring(&slot.account, move |entry| entry.set_password(&owned)) {
            match result {
                Ok(()) => {
                    remove_file(&slot.file);
                    tracing::info!("seller token saved in the OS keyring");
                    return Ok(TokenPlace::Keyring);
                }
                Err(error) => {
                    tracing::info!(%error, "the OS keyring refused the token; using a private file");
                }
            }
        }
        write_file(&slot.file, token)?;
        tracing::info!(path = %slot.file.display(), "seller token saved in a private file");
        Ok(TokenPlace::File)
    }

    /// The token saved for the marketplace at `url` and where it is kept, if any.
    pub fn load(&self, url: &str) -> Option<(String, TokenPlace)> {
        self.load_from(&self.slot(url))
    }

    fn load_from(&self, slot: &Slot) -> Option<(String, TokenPlace)> {
        if let Some(Ok(token)) = self.keyring(&slot.account, keyring::Entry::get_password)
            && !token.trim().is_empty()
        {
            return Some((token, TokenPlace::Keyring));
        }
        let token = std::fs::read_to_string(&slot.file).ok()?;
        let token = token.trim();
        (!token.is_empty()).then(|| (token.to_owned(), TokenPlace::File))
    }

    /// The single token of an earlier version becomes the token of `saved_url`, the
    /// marketplace saved with it (unless that one has its own token already), and is then
    /// forgotten, so it can never be sent to another marketplace. Kept as it is when it
    /// cannot be moved (tried again on the next start).
    pub fn adopt_legacy(&self, saved_url: &str) {
        let legacy = self.legacy();
        let Some((token, _)) = self.load_from(&legacy) else {
            return;
        };
        if self.load(saved_url).is_none()
            && let Err(error) = self.save(saved_url, &token)
        {
            tracing::warn!(%error, "cannot move the saved token to its marketplace's name");
            return;
        }
        self.forget(&legacy);
        tracing::info!("the saved token now belongs to the saved marketplace only");
    }

    fn forget(&self, slot: &Slot) {
        let _ = self.keyring(&slot.account, keyring::Entry::delete_credential);
        remove_file(&slot.file);
    }

    /// Forgets the token of `url` everywhere.
    #[cfg(test)]
    pub fn clear(&self, url: &str) {
        self.forget(&self.slot(url));
    }
}

fn remove_file(file: &Path) {
    if let Err(error) = std::fs::remove_file(file)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(%error, "cannot remove an old token file");
    }
}

/// Writes a token file readable by the user only: a 0600 temporary file in the same folder,
/// renamed over the old one.
fn write_file(file: &Path, token: &str) -> Result<(), VaultError> {
    let fail = |error| VaultError::File {
        path: file.to_owned(),
        error,
    };
    let dir = file.parent().unwrap_or_else(|| Path::new("."));
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
    temp.persist(file).map_err(|error| fail(error.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const A: &str = "https://a.example";

    #[test]
    fn the_file_fallback_is_private_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::file_only(&dir.path().join("config"));
        assert_eq!(vault.load(A), None);
        assert_eq!(vault.save(A, "  first-token \n").unwrap(), TokenPlace::File);
        assert_eq!(
            vault.load(A),
            Some(("first-token".into(), TokenPlace::File))
        );
        vault.save(A, "second").unwrap();
        assert_eq!(vault.load(A), Some(("second".into(), TokenPlace::File)));
        let names: Vec<_> = std::fs::read_dir(dir.path().join("config"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].starts_with("seller-token-"), "{names:?}");
        assert!(!names[0].contains("a.example"), "{names:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("config").join(&names[0]))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        vault.clear(A);
        assert_eq!(vault.load(A), None);
    }

    #[test]
    fn each_marketplace_has_its_own_token() {
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::file_only(dir.path());
        vault.save(A, "token-of-a").unwrap();
        vault.save("http://127.0.0.1:9", "token-of-b").unwrap();
        assert_eq!(vault.load(A).unwrap().0, "token-of-a");
        // The same address spelled another way is the same marketplace.
        assert_eq!(vault.load("HTTPS://A.example/").unwrap().0, "token-of-a");
        assert_eq!(vault.load("http://127.0.0.1:9/").unwrap().0, "token-of-b");
        // Another address gets no token: not A's, not B's.
        assert_eq!(vault.load("https://evil.example"), None);
        assert_eq!(vault.load("http://a.example"), None);
    }

    #[test]
    fn the_old_single_token_becomes_the_saved_marketplaces_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(TOKEN_FILE), "old-token\n").unwrap();
        let vault = TokenVault::file_only(dir.path());
        assert_eq!(
            vault.load(A),
            None,
            "not read for any address before adoption"
        );
        vault.adopt_legacy("https://a.example/");
        assert_eq!(vault.load(A), Some(("old-token".into(), TokenPlace::File)));
        assert!(
            !dir.path().join(TOKEN_FILE).exists(),
            "the old file is gone"
        );
        assert_eq!(vault.load("https://b.example"), None);
        // A marketplace that has its own token keeps it; the old one is dropped.
        std::fs::write(dir.path().join(TOKEN_FILE), "older").unwrap();
        vault.adopt_legacy(A);
        assert_eq!(vault.load(A).unwrap().0, "old-token");
        assert!(!dir.path().join(TOKEN_FILE).exists());
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
        // The daemon just started: on a loaded machine its first answer can take longer than
        // the vault's limit (which then, rightly, falls back to the file). Wait for it first.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let probe = keyring::Entry::new(SERVICE, "readiness-probe").unwrap();
        while let Err(error) = probe.set_password("ready") {
            assert!(
                std::time::Instant::now() < deadline,
                "the Secret Service never answered: {error}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        let _ = probe.delete_credential();
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::isolated(dir.path());
        let file = vault.slot(A).file;
        std::fs::write(&file, "old").unwrap();
        assert_eq!(
            vault.save(A, "kept-in-the-keyring").unwrap(),
            TokenPlace::Keyring
        );
        assert!(!file.exists());
        assert_eq!(
            vault.load(A),
            Some(("kept-in-the-keyring".into(), TokenPlace::Keyring))
        );
        assert_eq!(vault.load("https://b.example"), None);
        // The old single keyring entry moves to the saved marketplace's name.
        vault
            .save_in(&vault.legacy(), "from-an-old-version")
            .unwrap();
        vault.adopt_legacy("https://b.example");
        assert_eq!(
            vault.load("https://b.example"),
            Some(("from-an-old-version".into(), TokenPlace::Keyring))
        );
        assert_eq!(vault.load_from(&vault.legacy()), None);
        vault.clear("https://b.example");
        // Another vault of the same folder (the next start of the app) finds it; another
        // instance's folder does not.
        assert_eq!(
            TokenVault::isolated(dir.path()).load(A),
            Some(("kept-in-the-keyring".into(), TokenPlace::Keyring))
        );
        assert_eq!(
            TokenVault::isolated(&dir.path().join("other")).load(A),
            None
        );
        vault.clear(A);
        assert_eq!(vault.load(A), None);
        println!("keyring round trip ok");
    }
}
