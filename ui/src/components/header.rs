//! The app header: brand, navigation between the pages (with the server's pending total;
//! Diagnostics is a small link at the end), the theme control, the keyboard shortcuts
//! (Alt+digit opens a page, `?` lists every shortcut) and the connection badge.

use sellerdash_api::OrderPage;
use sellerdash_state::QueryKey;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use crate::components::ConnectionBadge;
use crate::format;
use crate::hooks::{
    Theme, current_tab, typing_in_a_field, use_app, use_keydown, use_query, use_theme,
};
use crate::state::{Action, Page};

/// Alt+digit → page.
pub const PAGE_SHORTCUTS: [(char, Page); 6] = [
    ('1', Page::Dashboard),
    ('2', Page::Sales),
    ('3', Page::Pending),
    ('4', Page::Payouts),
    ('5', Page::Settings),
    ('6', Page::Diagnostics),
];

/// The page an Alt+`digit` shortcut opens.
pub fn page_for_digit(digit: char) -> Option<Page> {
    PAGE_SHORTCUTS
        .iter()
        .find(|(key, _)| *key == digit)
        .map(|(_, page)| page.clone())
}

/// The digit of `code` ("Digit3", "Numpad3"), read from the physical key so that
/// layouts where Alt+digit types a symbol still work.
fn digit_of(code: &str) -> Option<char> {
    let rest = code
        .strip_prefix("Digit")
        .or_else(|| code.strip_prefix("Numpad"))?;
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some(digit), None) if digit.is_ascii_digit() => Some(digit),
        _ => None,
    }
}

/// "Alt+3" for a page, for tooltips.
fn shortcut_of(page: &Page) -> Option<String> {
    PAGE_SHORTCUTS
        .iter()
        .find(|(_, p)| p == page)
        .map(|(key, _)| format!("Alt+{key}"))
}

/// Every shortcut, as the help lists them.
const HELP: [(&str, &str); 10] = [
    ("Alt+1", "Dashboard"),
    ("Alt+2", "Sales"),
    ("Alt+3", "Pending orders"),
    ("Alt+4", "Payouts"),
    ("Alt+5", "Settings"),
    ("Alt+6", "Diagnostics"),
    ("R, F5 or Ctrl+R", "Refresh the page's data"),
    ("Tab / Shift+Tab", "Move between buttons and rows"),
    (
        "Enter or Space",
        "Open the focused row or press the focused button",
    ),
    ("Escape", "Close the cancel form or this list"),
];

#[component]
pub fn Header() -> Html {
    let app = use_app();
    let pending = use_query::<OrderPage>(QueryKey::pending_orders());
    let (theme, choose_theme) = use_theme();
    let help_open = use_state(|| false);
    let current = app
        .as_ref()
        .map(|app| current_tab(&app.page))
        .unwrap_or_default();
    {
        let app = app.clone();
        let help_open = help_open.clone();
        use_keydown(Callback::from(move |event: KeyboardEvent| {
            if event.alt_key() && !event.ctrl_key() && !event.meta_key() {
                if let Some(page) = digit_of(&event.code()).and_then(page_for_digit) {
                    event.prevent_default();
                    if let Some(app) = &app {
                        app.dispatch(Action::Navigate(page));
                    }
                }
                return;
            }
            if event.ctrl_key() || event.meta_key() {
                return;
            }
            match event.key().as_str() {
                "?" if !typing_in_a_field() => {
                    event.prevent_default();
                    help_open.set(!*help_open);
                }
                "Escape" if *help_open => help_open.set(false),
                _ => {}
            }
        }));
    }
    let go = |page: Page| {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(app) = &app {
                app.dispatch(Action::Navigate(page.clone()));
            }
        })
    };
    let aria_current = |page: &Page| (current == *page).then_some("page");
    let tab_class = |page: &Page| classes!("tab", (current == *page).then_some("active"));
    let tab_title = |page: &Page, label: &str| match shortcut_of(page) {
        Some(keys) => format!("{label} ({keys})"),
        None => label.to_owned(),
    };
    let pending_total = pending.data.as_ref().map(|page| page.total);
    let tab = |page: Page, testid: &'static str, label: &'static str| {
        html! {
            <button type="button" data-testid={testid} class={tab_class(&page)}
                title={tab_title(&page, label)} aria-keyshortcuts={shortcut_of(&page)}
                aria-current={aria_current(&page)} onclick={go(page)}>
                {label}
            </button>
        }
    };
    let toggle_help = {
        let help_open = help_open.clone();
        Callback::from(move |_: MouseEvent| help_open.set(!*help_open))
    };

    html! {
        <header class="topbar">
            <div class="brand">
                <svg class="logo" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="2" y="12" width="5" height="10" rx="1.5" />
                    <rect x="9.5" y="7" width="5" height="15" rx="1.5" />
                    <rect x="17" y="2" width="5" height="20" rx="1.5" />
                </svg>
                <span>{"Sellerdash"}</span>
            </div>
            <nav class="tabs" aria-label="Pages">
                {tab(Page::Dashboard, "nav-dashboard", "Dashboard")}
                {tab(Page::Sales, "nav-sales", "Sales")}
                <button type="button" data-testid="nav-pending"
                    class={tab_class(&Page::Pending)}
                    title={tab_title(&Page::Pending, "Pending orders")}
                    aria-keyshortcuts={shortcut_of(&Page::Pending)}
                    aria-current={aria_current(&Page::Pending)}
                    onclick={go(Page::Pending)}>
                    {"Pending orders"}
                    if let Some(total) = pending_total {
                        {" "}
                        <span class={classes!("tab-count", (total > 0).then_some("hot"))}>
                            {format!("({})", format::count(total))}
                        </span>
                    }
                </button>
                {tab(Page::Payouts, "nav-payouts", "Payouts")}
                <span class="tabs-spacer"></span>
                <button type="button" data-testid="nav-diagnostics"
                    class={classes!(tab_class(&Page::Diagnostics), "tab-small")}
                    title={tab_title(&Page::Diagnostics, "Diagnostics")}
                    aria-keyshortcuts={shortcut_of(&Page::Diagnostics)}
                    aria-current={aria_current(&Page::Diagnostics)}
                    onclick={go(Page::Diagnostics)}>
                    {"Diagnostics"}
                </button>
                <button type="button" data-testid="nav-settings"
                    class={classes!(tab_class(&Page::Settings), "tab-small")}
                    title={tab_title(&Page::Settings, "Settings")}
                    aria-keyshortcuts={shortcut_of(&Page::Settings)}
                    aria-current={aria_current(&Page::Settings)}
                    onclick={go(Page::Settings)}>
                    {"Settings"}
                </button>
            </nav>
            <ThemeControl theme={theme} on_choose={choose_theme} />
            <div class="help-anchor">
                <button type="button" class="icon-btn" data-testid="shortcuts-help"
                    title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts"
                    aria-expanded={(*help_open).to_string()} aria-keyshortcuts="?"
                    onclick={toggle_help}>
                    {"?"}
                </button>
                if *help_open {
                    <div class="shortcuts" data-testid="shortcuts" role="dialog"
                        aria-label="Keyboard shortcuts">
                        <h2>{"Keyboard shortcuts"}</h2>
                        <dl>
                            {for HELP.iter().map(|(keys, what)| html! {
                                <>
                                    <dt><kbd>{*keys}</kbd></dt>
                                    <dd>{*what}</dd>
                                </>
                            })}
                        </dl>
                    </div>
                }
            </div>
            <ConnectionBadge />
        </header>
    }
}

#[derive(Properties, PartialEq)]
struct ThemeControlProps {
    theme: Theme,
    on_choose: Callback<Theme>,
}

/// System / Light / Dark as a three-button group.
#[component]
fn ThemeControl(props: &ThemeControlProps) -> Html {
    let button = |choice: Theme| {
        let on_choose = props.on_choose.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_choose.emit(choice));
        let selected = props.theme == choice;
        let title = match choice {
            Theme::System => "Theme: follow the system".to_owned(),
            theme => format!("Theme: {}", theme.label().to_lowercase()),
        };
        let icon = match choice {
            Theme::System => html! {
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="3" y="4" width="18" height="12" rx="2" />
                    <path d="M8 20h8M12 16v4" />
                </svg>
            },
            Theme::Light => html! {
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                    <circle cx="12" cy="12" r="4" />
                    <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
                </svg>
            },
            Theme::Dark => html! {
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M20 14.5A8 8 0 0 1 9.5 4 8 8 0 1 0 20 14.5z" />
                </svg>
            },
        };
        html! {
            <button type="button" class={classes!("seg", selected.then_some("selected"))}
                data-theme-choice={choice.as_str()} aria-pressed={selected.to_string()}
                title={title.clone()} aria-label={title} onclick={onclick}>
                {icon}
            </button>
        }
    };
    html! {
        <div class="segmented" role="group" aria-label="Theme" data-testid="theme"
            data-theme-current={props.theme.as_str()}>
            {for Theme::ALL.into_iter().map(button)}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alt_digits_open_pages_by_physical_key() {
        assert_eq!(
            digit_of("Digit3").and_then(page_for_digit),
            Some(Page::Pending)
        );
        assert_eq!(
            digit_of("Numpad1").and_then(page_for_digit),
            Some(Page::Dashboard)
        );
        assert_eq!(
            digit_of("Digit6").and_then(page_for_digit),
            Some(Page::Diagnostics)
        );
        assert_eq!(digit_of("Digit9").and_then(page_for_digit), None);
        assert_eq!(digit_of("KeyR"), None);
        assert_eq!(digit_of("Digit12"), None);
        assert_eq!(shortcut_of(&Page::Sales).as_deref(), Some("Alt+2"));
    }
}
