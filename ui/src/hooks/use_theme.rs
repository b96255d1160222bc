//! `use_theme`: the seller's colour theme. `System` follows the OS (`prefers-color-scheme`);
//! `Light` and `Dark` set `data-theme` on `<html>`, which the stylesheet lets win over the
//! OS. The choice is remembered in `localStorage`, so the next start opens in it.

use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

/// Where the choice is kept in `localStorage`.
const STORAGE_KEY: &str = "sellerdash.theme";

/// The theme control's choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the operating system's light or dark setting.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The stored and `data-theme` name.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    /// The theme named `name`; anything unknown follows the system.
    pub fn parse(name: &str) -> Theme {
        Theme::ALL
            .into_iter()
            .find(|theme| theme.as_str() == name)
            .unwrap_or_default()
    }
}

/// The remembered choice (`System` when none, or when storage is unavailable).
pub fn stored_theme() -> Theme {
    LocalStorage::get::<String>(STORAGE_KEY)
        .map(|name| Theme::parse(&name))
        .unwrap_or_default()
}

/// Sets (or, for `System`, removes) `data-theme` on `<html>`.
pub fn apply_theme(theme: Theme) {
    let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    else {
        return;
    };
    let result = match theme {
        Theme::System => root.remove_attribute("data-theme"),
        theme => root.set_attribute("data-theme", theme.as_str()),
    };
    if let Err(err) = result {
        gloo::console::warn!("cannot set the theme", err);
    }
}

/// The current theme and a callback that applies and remembers a new one. The stored theme
/// is applied during the first render, before anything is painted.
#[hook]
pub fn use_theme() -> (Theme, Callback<Theme>) {
    let theme = use_state(|| {
        let theme = stored_theme();
        apply_theme(theme);
        theme
    });
    let choose = {
        let theme = theme.clone();
        Callback::from(move |next: Theme| {
            apply_theme(next);
            if let Err(err) = LocalStorage::set(STORAGE_KEY, next.as_str()) {
                // Not remembered across starts; the choice still applies now.
                gloo::console::warn!(format!("cannot remember the theme: {err}"));
            }
            theme.set(next);
        })
    };
    (*theme, choose)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_names_round_trip_and_unknown_follows_the_system() {
        for theme in Theme::ALL {
            assert_eq!(Theme::parse(theme.as_str()), theme);
        }
        assert_eq!(Theme::parse("sepia"), Theme::System);
        assert_eq!(Theme::parse(""), Theme::System);
    }
}
