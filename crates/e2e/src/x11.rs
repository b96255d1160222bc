//! The app's window as the X server sees it, and closed the way a window manager closes
//! it: a `WM_PROTOCOLS` / `WM_DELETE_WINDOW` client message. Speaks X11 through Debian's
//! `python3-xlib` (Debian's own `/usr/bin/python3`, which that package installs into).

use std::process::Command;

use anyhow::Context;

/// Debian's interpreter: `python3-xlib` is installed for it, not for any other python3.
const PYTHON: &str = "/usr/bin/python3";

/// Finds the app's top-level window (the one with `_NET_WM_PID` = pid that speaks
/// `WM_DELETE_WINDOW`, titled "Sellerdash" when several qualify), then either prints its id
/// and map state (`state`) or sends it `WM_DELETE_WINDOW` (`close`).
const SCRIPT: &str = r#"
import sys
from Xlib import X, Xatom, display
from Xlib.protocol import event

action, pid = sys.argv[1], int(sys.argv[2])
d = display.Display()
root = d.screen().root
NET_WM_PID = d.intern_atom("_NET_WM_PID")
WM_PROTOCOLS = d.intern_atom("WM_PROTOCOLS")
WM_DELETE = d.intern_atom("WM_DELETE_WINDOW")
NET_WM_NAME = d.intern_atom("_NET_WM_NAME")
UTF8 = d.intern_atom("UTF8_STRING")

def title(w):
    p = w.get_full_property(NET_WM_NAME, UTF8)
    if p is not None:
        v = p.value
        return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
    return w.get_wm_name() or ""

# Under a reparenting window manager the client window is a grandchild of the root.
candidates = []
stack = [(c, 0) for c in root.query_tree().children]
while stack:
    w, depth = stack.pop()
    try:
        if depth < 2:
            stack.extend((c, depth + 1) for c in w.query_tree().children)
        p = w.get_full_property(NET_WM_PID, Xatom.CARDINAL)
        if p is None or len(p.value) == 0 or int(p.value[0]) != pid:
            continue
        protocols = w.get_wm_protocols() or []
        if WM_DELETE not in protocols:
            continue
        candidates.append((title(w) == "Sellerdash", w))
    except Exception:
        continue
if not candidates:
    print("none")
    sys.exit(0)
candidates.sort(key=lambda c: not c[0])
w = candidates[0][1]
if action == "state":
    a = w.get_attributes()
    state = {X.IsUnmapped: "unmapped", X.IsUnviewable: "unviewable", X.IsViewable: "viewable"}[a.map_state]
    print("0x%x %s %s" % (w.id, state, title(w)))
elif action == "close":
    msg = event.ClientMessage(window=w, client_type=WM_PROTOCOLS,
                              data=(32, [WM_DELETE, X.CurrentTime, 0, 0, 0]))
    w.send_event(msg, event_mask=X.NoEventMask)
    d.sync()
    print("0x%x closed" % w.id)
else:
    sys.exit("unknown action " + action)
"#;

/// What the X server says of the app's top-level window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowState {
    pub id: String,
    /// Mapped and all its ancestors mapped: on screen.
    pub viewable: bool,
    pub title: String,
}

fn run(action: &str, pid: u32) -> anyhow::Result<Option<String>> {
    let output = Command::new(PYTHON)
        .args(["-c", SCRIPT, action, &pid.to_string()])
        .output()
        .context("cannot run /usr/bin/python3 (Debian packages python3 and python3-xlib)")?;
    anyhow::ensure!(
        output.status.success(),
        "X11 {action} for process {pid} failed (is python3-xlib installed? `scripts/dev setup`): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    Ok((text != "none").then_some(text))
}

/// The app's top-level window, if process `pid` has one.
pub fn main_window(pid: u32) -> anyhow::Result<Option<WindowState>> {
    let Some(line) = run("state", pid)? else {
        return Ok(None);
    };
    let mut parts = line.splitn(3, ' ');
    let id = parts.next().unwrap_or_default().to_owned();
    let state = parts.next().unwrap_or_default();
    let title = parts.next().unwrap_or_default().to_owned();
    Ok(Some(WindowState {
        id,
        viewable: state == "viewable",
        title,
    }))
}

/// Asks the app's top-level window to close, as a window manager's close button does.
pub fn close_window(pid: u32) -> anyhow::Result<()> {
    run("close", pid)?.with_context(|| format!("process {pid} has no top-level X window"))?;
    Ok(())
}
