//! Launch at login. On Linux (and other freedesktop systems) an XDG autostart entry,
//! `$XDG_CONFIG_HOME/autostart/sellerdash.desktop` (`~/.config/autostart/` by default),
//! starting the current executable hidden in the tray, on the same data and config folders
//! as the run that turned it on (`--data-dir`, `--config-dir`). Other systems are not
//! supported yet, and the Settings page says so.

use std::path::{Path, PathBuf};

pub const DESKTOP_FILE: &str = "sellerdash.desktop";

/// Whether launch at login works on this system, and a sentence for the Settings page.
pub fn support() -> (bool, String) {
    match autostart_dir() {
        Some(dir) if cfg!(all(unix, not(target_os = "macos"))) => (
            true,
            format!(
                "Starts Sellerdash in the tray when you log in ({}).",
                dir.join(DESKTOP_FILE).display()
            ),
        ),
        _ => (
            false,
            "Launch at login is not available on this system yet.".to_owned(),
        ),
    }
}

/// `$XDG_CONFIG_HOME/autostart`, or `~/.config/autostart`.
pub fn autostart_dir() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(config.join("autostart"))
}

/// Turns launch at login on or off (for the current executable, with `args` after
/// `--hidden`: the folder flags of this run).
pub fn set(enabled: bool, args: &[String]) -> Result<(), String> {
    let (supported, note) = support();
    if !supported {
        return if enabled { Err(note) } else { Ok(()) };
    }
    let dir = autostart_dir()
        .ok_or_else(|| "no home folder to write the autostart entry in".to_owned())?;
    let exe = std::env::current_exe()
        .map_err(|error| format!("cannot tell where Sellerdash is installed: {error}"))?;
    set_in(&dir, &exe, args, enabled)
}

/// Writes or removes `dir/sellerdash.desktop` starting `exe --hidden args…`.
pub fn set_in(dir: &Path, exe: &Path, args: &[String], enabled: bool) -> Result<(), String> {
    let path = dir.join(DESKTOP_FILE);
    if !enabled {
        return match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(format!("cannot remove {}: {error}", path.display())),
        };
    }
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&path, desktop_entry(exe, args)))
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// The autostart entry's text.
pub fn desktop_entry(exe: &Path, args: &[String]) -> String {
    let mut exec = format!("{} --hidden", exec_quote(&exe.to_string_lossy()));
    for arg in args {
        exec.push(' ');
        exec.push_str(&exec_quote(arg));
    }
    format!(
        "[Desktop Entry]\nType=Application\nName=Sellerdash\nComment=Marketplace seller dashboard\nExec={exec}\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
    )
}

/// The flags that make a later launch use the same folders as this one: `--data-dir` and
/// `--config-dir` when they were given, as absolute paths (a login session starts elsewhere).
pub fn folder_args(data_dir: Option<&Path>, config_dir: Option<&Path>) -> Vec<String> {
    let absolute = |dir: &Path| {
        std::path::absolute(dir)
            .unwrap_or_else(|_| dir.to_owned())
            .display()
            .to_string()
    };
    let mut args = Vec::new();
    for (flag, dir) in [("--data-dir", data_dir), ("--config-dir", config_dir)] {
        if let Some(dir) = dir {
            args.push(flag.to_owned());
            args.push(absolute(dir));
        }
    }
    args
}

/// Quotes an argument for a desktop entry's `Exec` key: inside double quotes, with `"`,
/// `` ` ``, `$` and `\` escaped (and `%` doubled, as field codes would read it).
fn exec_quote(path: &str) -> String {
    let mut quoted = String::from("\"");
    for c in path.chars() {
        match c {
            '"' | '`' | '$' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            '%' => quoted.push_str("%%"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    // The desktop file format escapes backslashes once more in string values.
    quoted.replace('\\', "\\\\")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_autostart_entry_starts_the_app_hidden_and_goes_away() {
        let dir = tempfile::tempdir().unwrap();
        let autostart = dir.path().join("autostart");
        let exe = Path::new("/opt/Seller Dash/sellerdash");
        set_in(&autostart, exe, &[], true).unwrap();
        let text = std::fs::read_to_string(autostart.join(DESKTOP_FILE)).unwrap();
        assert!(text.starts_with("[Desktop Entry]\n"), "{text}");
        assert!(text.contains("\nType=Application\n"), "{text}");
        assert!(
            text.contains("\nExec=\"/opt/Seller Dash/sellerdash\" --hidden\n"),
            "{text}"
        );
        set_in(&autostart, exe, &[], true).unwrap();
        set_in(&autostart, exe, &[], false).unwrap();
        assert!(!autostart.join(DESKTOP_FILE).exists());
        // Turning it off twice is fine.
        set_in(&autostart, exe, &[], false).unwrap();
    }

    #[test]
    fn a_run_on_its_own_folders_starts_on_them_at_login() {
        let args = folder_args(Some(Path::new("/srv/shop data")), None);
        assert_eq!(args, ["--data-dir", "/srv/shop data"]);
        let entry = desktop_entry(Path::new("/usr/bin/sellerdash"), &args);
        assert!(
            entry.contains(
                "\nExec=\"/usr/bin/sellerdash\" --hidden \"--data-dir\" \"/srv/shop data\"\n"
            ),
            "{entry}"
        );
        // Relative folders are made absolute: the login session starts elsewhere.
        let relative = folder_args(None, Some(Path::new("conf")));
        assert_eq!(relative[0], "--config-dir");
        assert!(Path::new(&relative[1]).is_absolute(), "{relative:?}");
        assert!(relative[1].ends_with("conf"), "{relative:?}");
        assert!(folder_args(None, None).is_empty());
    }

    #[test]
    fn odd_characters_in_the_path_are_escaped() {
        let entry = desktop_entry(Path::new("/home/a$b/100%/x\"y"), &[]);
        assert!(
            entry.contains("Exec=\"/home/a\\\\$b/100%%/x\\\\\"y\" --hidden"),
            "{entry}"
        );
    }
}
