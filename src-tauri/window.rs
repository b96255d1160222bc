//! The main window's lifecycle: closing hides it to the tray (polling and alerts go on),
//! regaining focus refetches, and the core learns whether the window is shown.

use tauri::{Manager, Runtime, Window, WindowEvent};

use crate::Shell;

pub const MAIN: &str = "main";

pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let shell = window.try_state::<Shell>();
    match event {
        // Hidden even before the core runs: the main window never closes, only Quit ends
        // the app.
        WindowEvent::CloseRequested { api, .. } if window.label() == MAIN => {
            api.prevent_close();
            if let Err(error) = window.hide() {
                tracing::warn!(%error, "cannot hide the window");
            }
            if let Some(shell) = shell {
                shell.core().set_window_visible(false);
            }
        }
        WindowEvent::Focused(true) => {
            if let Some(shell) = shell {
                shell.core().set_window_visible(true);
                shell.core().focus();
            }
        }
        _ => {}
    }
}

/// Shows, unminimises and focuses the main window.
pub fn show_main<R: Runtime, M: Manager<R>>(manager: &M) {
    let Some(window) = manager.get_webview_window(MAIN) else {
        return;
    };
    let shown = window
        .show()
        .and_then(|()| window.unminimize())
        .and_then(|()| window.set_focus());
    if let Err(error) = shown {
        tracing::warn!(%error, "cannot show the window");
    }
    if let Some(shell) = manager.try_state::<Shell>() {
        shell.core().set_window_visible(true);
    }
}
