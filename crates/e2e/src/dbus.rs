//! What the app shows outside its window, read from the session D-Bus: the `Notify` calls
//! it makes to the notification daemon (watched with `dbus-monitor`) and its tray menu (the
//! `com.canonical.dbusmenu` object libayatana-appindicator exports, read with `gdbus`).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;

use crate::eventually;

/// Every `Notify` call on the session bus since the watch started.
pub struct NotificationWatch {
    monitor: Child,
    calls: Arc<Mutex<Vec<String>>>,
}

impl NotificationWatch {
    pub async fn start() -> anyhow::Result<Self> {
        anyhow::ensure!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "no session D-Bus: run the end-to-end tests under dbus-run-session (scripts/dev test does)"
        );
        let mut monitor = Command::new("dbus-monitor")
            .args([
                "--session",
                "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start dbus-monitor (Debian package dbus)")?;
        let stdout = monitor
            .stdout
            .take()
            .context("dbus-monitor has no stdout")?;
        let calls = Arc::new(Mutex::new(Vec::<String>::new()));
        let ready = Arc::new(Mutex::new(false));
        {
            let calls = Arc::clone(&calls);
            let ready = Arc::clone(&ready);
            std::thread::spawn(move || {
                let mut in_notify = false;
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Ok(mut ready) = ready.lock() {
                        *ready = true;
                    }
                    let Ok(mut calls) = calls.lock() else { return };
                    if line.starts_with("method call") || line.starts_with("signal") {
                        in_notify = line.contains("member=Notify");
                        if in_notify {
                            calls.push(String::new());
                        }
                    } else if let Some(call) = calls.last_mut().filter(|_| in_notify) {
                        call.push_str(line.trim());
                        call.push('\n');
                    }
                }
            });
        }
        // dbus-monitor prints its own NameAcquired signal once it listens.
        eventually("dbus-monitor to listen", Duration::from_secs(5), || {
            let ready = Arc::clone(&ready);
            async move { Ok(ready.lock().is_ok_and(|ready| *ready).then_some(())) }
        })
        .await?;
        Ok(Self { monitor, calls })
    }

    /// The text (arguments) of every `Notify` call so far.
    pub fn calls(&self) -> Vec<String> {
        self.calls
            .lock()
            .map(|calls| calls.clone())
            .unwrap_or_default()
    }

    /// Waits until a `Notify` call mentions `text`.
    pub async fn wait_naming(&self, text: &str, timeout: Duration) -> anyhow::Result<()> {
        eventually(
            &format!("a notification naming {text}"),
            timeout,
            || async move { Ok((self.count_naming(text) >= 1).then_some(())) },
        )
        .await
    }

    /// How many `Notify` calls mention `text` (an order id, say).
    pub fn count_naming(&self, text: &str) -> usize {
        self.calls()
            .iter()
            .filter(|call| call.contains(text))
            .count()
    }
}

impl Drop for NotificationWatch {
    fn drop(&mut self) {
        let _ = self.monitor.kill();
        let _ = self.monitor.wait();
    }
}

fn gdbus(args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("gdbus")
        .args(args)
        .output()
        .context("cannot run gdbus (Debian package libglib2.0-bin)")?;
    anyhow::ensure!(
        output.status.success(),
        "gdbus {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The labels of the tray menu that process `pid` exports on the session bus.
pub fn tray_menu_labels(pid: u32) -> anyhow::Result<Vec<String>> {
    Ok(TrayMenu::of(pid)?
        .items()?
        .into_iter()
        .map(|item| item.label)
        .collect())
}

/// One entry of a dbusmenu layout (separators have no label and are left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub id: i32,
    pub label: String,
    /// A check item's state: `Some(true)` when ticked.
    pub checked: Option<bool>,
}

/// The tray menu process `pid` exports, reached the way a tray host (the panel's
/// StatusNotifier host) reaches it: `GetLayout` to read, `Event(id, "clicked", …)` to act.
#[derive(Debug, Clone)]
pub struct TrayMenu {
    connection: String,
    path: String,
}

impl TrayMenu {
    /// Finds the menu among the bus connections of process `pid`.
    pub fn of(pid: u32) -> anyhow::Result<Self> {
        // A GTK app holds several connections; the menu is on one of them.
        connections_of(pid)?
            .into_iter()
            .find_map(|connection| {
                let path = find_menu_path(&connection, "/", 0).ok().flatten()?;
                Some(Self { connection, path })
            })
            .with_context(|| format!("process {pid} exports no com.canonical.dbusmenu object"))
    }

    fn call(&self, method: &str, args: &[&str]) -> anyhow::Result<String> {
        let method = format!("com.canonical.dbusmenu.{method}");
        let mut all = vec![
            "call",
            "--session",
            "--dest",
            &self.connection,
            "--object-path",
            &self.path,
            "--method",
            &method,
            "--",
        ];
        all.extend_from_slice(args);
        gdbus(&all)
    }

    /// The menu's labelled entries, top level.
    pub fn items(&self) -> anyhow::Result<Vec<MenuItem>> {
        Ok(items_in(&self.call("GetLayout", &["0", "-1", "[]"])?))
    }

    /// The entry whose label starts with `prefix`.
    pub fn item(&self, prefix: &str) -> anyhow::Result<MenuItem> {
        let items = self.items()?;
        items
            .iter()
            .find(|item| item.label.starts_with(prefix))
            .cloned()
            .with_context(|| format!("no tray menu entry {prefix:?} in {items:?}"))
    }

    /// Clicks the entry whose label starts with `prefix`, as a tray host does when the
    /// seller picks it, and returns the entry as it was.
    pub fn click(&self, prefix: &str) -> anyhow::Result<MenuItem> {
        let item = self.item(prefix)?;
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|now| now.as_secs() & u64::from(u32::MAX))
            .unwrap_or_default();
        self.call(
            "Event",
            &[
                &item.id.to_string(),
                "clicked",
                "<int32 0>",
                &format!("uint32 {timestamp}"),
            ],
        )?;
        Ok(item)
    }
}

/// The unique bus names owned by process `pid`.
fn connections_of(pid: u32) -> anyhow::Result<Vec<String>> {
    let names = gdbus(&[
        "call",
        "--session",
        "--dest",
        "org.freedesktop.DBus",
        "--object-path",
        "/org/freedesktop/DBus",
        "--method",
        "org.freedesktop.DBus.ListNames",
    ])?;
    let owned: Vec<String> = quoted(&names)
        .into_iter()
        .filter(|name| name.starts_with(':'))
        .filter(|name| {
            gdbus(&[
                "call",
                "--session",
                "--dest",
                "org.freedesktop.DBus",
                "--object-path",
                "/org/freedesktop/DBus",
                "--method",
                "org.freedesktop.DBus.GetConnectionUnixProcessID",
                name,
            ])
            .is_ok_and(|owner| owner.trim() == format!("(uint32 {pid},)"))
        })
        .collect();
    anyhow::ensure!(
        !owned.is_empty(),
        "process {pid} has no connection to the session bus"
    );
    Ok(owned)
}

/// Walks the object tree of `connection` for the object implementing dbusmenu.
fn find_menu_path(connection: &str, path: &str, depth: u32) -> anyhow::Result<Option<String>> {
    if depth > 8 {
        return Ok(None);
    }
    let xml = gdbus(&[
        "introspect",
        "--session",
        "--dest",
        connection,
        "--object-path",
        path,
        "--xml",
    ])?;
    if xml.contains("interface name=\"com.canonical.dbusmenu\"") {
        return Ok(Some(path.to_owned()));
    }
    for node in xml
        .split("<node name=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
    {
        let child = if path == "/" {
            format!("/{node}")
        } else {
            format!("{path}/{node}")
        };
        if let Some(found) = find_menu_path(connection, &child, depth + 1)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// Every single-quoted string in gdbus's GVariant text.
fn quoted(text: &str) -> Vec<String> {
    text.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The values of the `'label': <'…'>` entries of a dbusmenu layout.
fn labels_in(layout: &str) -> Vec<String> {
    layout
        .split("'label': <'")
        .skip(1)
        .filter_map(|rest| rest.split("'>").next())
        .map(str::to_owned)
        .collect()
}

/// The labelled entries of a dbusmenu layout as gdbus prints it: each child is
/// `<(id, {properties}, [children])>`.
fn items_in(layout: &str) -> Vec<MenuItem> {
    layout
        .split("<(")
        .skip(1)
        .filter_map(|entry| {
            let id = entry.split(',').next()?.trim().parse().ok()?;
            let properties = entry.split("}, ").next()?;
            let label = labels_in(properties).into_iter().next()?;
            let checked = properties
                .split("'toggle-state': <")
                .nth(1)
                .and_then(|rest| rest.split('>').next())
                .map(|state| state.trim() == "1");
            Some(MenuItem { id, label, checked })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_labels_from_a_dbusmenu_layout() {
        let layout = "(uint32 3, (0, {'children-display': <'submenu'>}, [<(1, {'label': <'Open dashboard'>}, @av [])>, <(2, {'label': <'Pending orders (4)'>, 'enabled': <true>}, @av [])>]))";
        assert_eq!(
            labels_in(layout),
            vec!["Open dashboard", "Pending orders (4)"]
        );
    }

    #[test]
    fn reads_ids_labels_and_check_states_from_a_dbusmenu_layout() {
        let layout = "(uint32 3, (0, {'children-display': <'submenu'>}, [<(1, {'label': <'Open dashboard'>}, @av [])>, <(3, {'type': <'separator'>}, @av [])>, <(4, {'label': <'Pause notifications'>, 'toggle-type': <'checkmark'>, 'toggle-state': <1>}, @av [])>]))";
        assert_eq!(
            items_in(layout),
            vec![
                MenuItem {
                    id: 1,
                    label: "Open dashboard".to_owned(),
                    checked: None
                },
                MenuItem {
                    id: 4,
                    label: "Pause notifications".to_owned(),
                    checked: Some(true)
                },
            ]
        );
    }
}
