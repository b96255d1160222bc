//! Why a database file cannot be opened, in words that name the file: checks of the path
//! before SQLite sees it (a directory, a missing parent directory, no file when one must
//! exist), and SQLite's own refusal with the path put in front of it.

use std::path::Path;

use super::Error;

/// A failure to open the database at `path` for `reason`.
pub(super) fn failed(path: &Path, reason: impl Into<String>) -> Error {
    Error::Open {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Checks what can be checked of `path` before SQLite tries it; `must_exist` for the
/// read-only commands, which never create a database.
pub(super) fn check_path(path: &Path, must_exist: bool) -> Result<(), Error> {
    if path.as_os_str().is_empty() {
        return Err(failed(path, "no path given"));
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(failed(
            path,
            "it is a directory; give the path of a database file in it",
        )),
        Ok(_) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if must_exist {
                return Err(failed(path, "no such file"));
            }
            let parent = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            match std::fs::metadata(parent) {
                Ok(meta) if meta.is_dir() => Ok(()),
                Ok(_) => Err(failed(
                    path,
                    format!("{} is not a directory", parent.display()),
                )),
                Err(_) => Err(failed(
                    path,
                    format!("the directory {} does not exist", parent.display()),
                )),
            }
        }
        Err(err) => Err(failed(path, err.to_string())),
    }
}

/// SQLite's (or the file system's) refusal to open `path`, with the path.
pub(super) fn sqlite_error(path: &Path, err: sqlx::Error) -> Error {
    let reason = match &err {
        sqlx::Error::Database(db) => db.message().to_owned(),
        sqlx::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    };
    failed(path, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked_before_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let err = check_path(dir.path(), false).unwrap_err().to_string();
        assert!(err.contains("is a directory"), "{err}");
        assert!(err.contains(&dir.path().display().to_string()), "{err}");
        let missing = dir.path().join("no/such/dir/x.sqlite");
        let err = check_path(&missing, false).unwrap_err().to_string();
        assert!(err.contains("does not exist"), "{err}");
        assert!(err.contains("x.sqlite"), "{err}");
        let fresh = dir.path().join("fresh.db");
        assert!(check_path(&fresh, false).is_ok());
        assert!(check_path(&fresh, true).is_err());
    }
}
