//! Sellerdash's UI: a Yew app rendered in the Tauri webview. It holds no data of its own:
//! every figure comes from the shell (`observe`/`unobserve`, `connectivity`, `diagnostics`
//! commands and the `query-updated`, `connectivity-changed`, `navigate` events).
//!
//! Layout: `tauri` (the two JS bindings), `shell` (the typed protocol), `state` (the app's
//! reducer), `hooks/`, `components/`, `pages/`, and `format`/`time` helpers.

mod app;
mod components;
mod format;
mod hooks;
mod pages;
mod shell;
mod state;
mod tauri;
mod time;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
