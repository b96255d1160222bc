//! One Sellerdash per data folder. Two apps on the same folder would poll the marketplace
//! and announce every new order twice, so start-up takes an advisory lock on
//! `<data folder>/sellerdash.lock` (held until the process ends, however it ends) before
//! the core starts. A second launch finds it taken, asks the first to show its window and
//! exits cleanly.
//!
//! The request travels over loopback: the first instance listens on `127.0.0.1` on a port
//! it writes to `<data folder>/sellerdash.instance`; the second sends one line to it. A
//! missing or stale port file only means the window is not raised.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// The lock file's name in the data folder.
pub const LOCK_FILE: &str = "sellerdash.lock";
/// The file holding the running instance's loopback port.
pub const PORT_FILE: &str = "sellerdash.instance";
/// The line a later launch sends.
const SHOW: &str = "sellerdash show";
/// How long a later launch waits for the first one to take its request.
const ASK_TIMEOUT: Duration = Duration::from_secs(2);

/// Set when start-up stopped because another instance holds the data folder (with whether
/// it took the request to show its window), so start-up can tell that from a failure (the
/// error it returns is boxed).
static ALREADY_RUNNING: OnceLock<(PathBuf, bool)> = OnceLock::new();

/// What to tell the seller when start-up stopped because the data folder is taken.
pub fn already_running() -> Option<String> {
    ALREADY_RUNNING.get().map(|(dir, shown)| {
        let mut line = format!(
            "Sellerdash is already running for this data folder ({})",
            dir.display()
        );
        if *shown {
            line.push_str(": its window is shown instead");
        }
        line
    })
}

/// Why the data folder could not be claimed.
#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    /// Another Sellerdash holds the lock.
    #[error("Sellerdash is already running for this data folder ({})", dir.display())]
    AlreadyRunning { dir: PathBuf },
    /// The lock file could not be opened or locked.
    #[error("cannot lock {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The data folder's lock, held while this value lives (and released by the OS when the
/// process ends).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    dir: PathBuf,
}

impl InstanceLock {
    /// Claims `dir` (created if missing) for this process, without waiting.
    pub fn acquire(dir: &Path) -> Result<Self, InstanceError> {
        let path = dir.join(LOCK_FILE);
        let io = |source| InstanceError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(Self {
                _file: file,
                dir: dir.to_owned(),
            }),
            Err(TryLockError::WouldBlock) => Err(InstanceError::AlreadyRunning {
                dir: dir.to_owned(),
            }),
            Err(TryLockError::Error(source)) => Err(io(source)),
        }
    }

    /// Calls `on_show` (on a thread of its own) each time a later launch asks for the
    /// window. Failing to listen only costs that convenience.
    pub fn listen(&self, on_show: impl Fn() + Send + 'static) -> std::io::Result<()> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let port = listener.local_addr()?.port();
        std::fs::write(self.dir.join(PORT_FILE), port.to_string())?;
        std::thread::Builder::new()
            .name("sellerdash-instance".to_owned())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    let _ = stream.set_read_timeout(Some(ASK_TIMEOUT));
                    let mut line = String::new();
                    if BufReader::new(stream).read_line(&mut line).is_ok() && line.trim() == SHOW {
                        on_show();
                    }
                }
            })?;
        Ok(())
    }
}

/// Marks start-up as stopped because `dir` is taken (see [`already_running`]) and asks the
/// running instance to show its window; true when it took the request.
pub fn defer_to_running(dir: &Path) -> bool {
    let shown = ask_to_show(dir);
    let _ = ALREADY_RUNNING.set((dir.to_owned(), shown));
    shown
}

/// Asks the instance running on `dir` to show its window; true when it took the request.
pub fn ask_to_show(dir: &Path) -> bool {
    let Some(port) = std::fs::read_to_string(dir.join(PORT_FILE))
        .ok()
        .and_then(|text| text.trim().parse::<u16>().ok())
    else {
        return false;
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpStream::connect_timeout(&address, ASK_TIMEOUT)
        .and_then(|mut stream| writeln!(stream, "{SHOW}"))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_on_the_same_folder_is_refused_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let first = InstanceLock::acquire(dir.path()).unwrap();
        let second = InstanceLock::acquire(dir.path()).unwrap_err();
        assert!(
            matches!(&second, InstanceError::AlreadyRunning { dir: taken } if taken == dir.path()),
            "{second:?}"
        );
        assert_eq!(
            second.to_string(),
            format!(
                "Sellerdash is already running for this data folder ({})",
                dir.path().display()
            )
        );
        // Another folder is another instance.
        let other = tempfile::tempdir().unwrap();
        InstanceLock::acquire(other.path()).unwrap();
        drop(first);
        InstanceLock::acquire(dir.path()).unwrap();
    }

    #[test]
    fn a_missing_folder_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        let _lock = InstanceLock::acquire(&nested).unwrap();
        assert!(nested.join(LOCK_FILE).exists());
    }

    #[test]
    fn a_later_launch_asks_the_running_one_to_show_its_window() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!ask_to_show(dir.path()), "nobody is running");
        let lock = InstanceLock::acquire(dir.path()).unwrap();
        let (shown, asked) = std::sync::mpsc::channel();
        lock.listen(move || {
            let _ = shown.send(());
        })
        .unwrap();
        assert!(ask_to_show(dir.path()));
        asked.recv_timeout(Duration::from_secs(5)).unwrap();
        // Anything else on the port is ignored.
        let port: u16 = std::fs::read_to_string(dir.path().join(PORT_FILE))
            .unwrap()
            .parse()
            .unwrap();
        let mut stranger = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        writeln!(stranger, "GET / HTTP/1.1").unwrap();
        drop(stranger);
        assert!(asked.recv_timeout(Duration::from_millis(300)).is_err());
    }
}
