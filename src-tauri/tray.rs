//! The tray icon and its menu. Linux tray icons get no click events, so the menu reaches
//! every action: open the dashboard, the pending orders (with the server's count, marked
//! when offline or when the marketplace refuses the token), pause notifications, quit. The icon turns to its alert form while orders
//! wait for confirmation.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use sellerdash_state::Connectivity;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::{events, window};

const TRAY_ID: &str = "main";
const OPEN: &str = "open-dashboard";
const PENDING: &str = "pending-orders";
const PAUSE: &str = "pause-notifications";
const QUIT: &str = "quit";

const ICON: &[u8] = include_bytes!("../icons/tray.png");
const ALERT_ICON: &[u8] = include_bytes!("../icons/tray-alert.png");

struct TrayState<R: Runtime> {
    pending_item: MenuItem<R>,
    paused: AtomicBool,
    view: Mutex<PendingView>,
}

/// What the tray's pending entry says, and which core (its bridge generation) said it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct PendingView {
    generation: u64,
    total: Option<u64>,
    link: Link,
}

/// The connection problem the pending entry mentions, if any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Link {
    #[default]
    Fine,
    Offline,
    TokenRefused,
}

impl Link {
    fn of(connectivity: &Connectivity) -> Self {
        match connectivity {
            Connectivity::Offline { .. } => Self::Offline,
            Connectivity::Unauthorized { .. } => Self::TokenRefused,
            Connectivity::Connecting | Connectivity::Online { .. } => Self::Fine,
        }
    }

    fn note(self) -> Option<&'static str> {
        match self {
            Self::Fine => None,
            Self::Offline => Some("offline"),
            Self::TokenRefused => Some("token refused"),
        }
    }
}

impl PendingView {
    /// Applies `change` from the core numbered `generation`: a newer core's first word
    /// replaces everything an older core said; an older core's late word is ignored. So a
    /// marketplace switch never mixes two shops' counts, and the new core's first count
    /// stays whether it comes before or after the switch's reset.
    fn apply(&mut self, generation: u64, change: impl FnOnce(&mut Self)) {
        if generation < self.generation {
            return;
        }
        if generation > self.generation {
            *self = Self {
                generation,
                ..Self::default()
            };
        }
        change(self);
    }

    fn label(self) -> String {
        match (self.total, self.link.note()) {
            (None, None) => "Pending orders".to_owned(),
            (None, Some(note)) => format!("Pending orders ({note})"),
            (Some(total), None) => format!("Pending orders ({total})"),
            (Some(total), Some(note)) => format!("Pending orders ({total}, {note})"),
        }
    }
}

pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, OPEN, "Open dashboard", true, None::<&str>)?;
    let pending_item = MenuItem::with_id(
        app,
        PENDING,
        PendingView::default().label(),
        true,
        None::<&str>,
    )?;
    let pause =
        CheckMenuItem::with_id(app, PAUSE, "Pause notifications", true, false, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit Sellerdash", true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &open,
            &pending_item,
            &PredefinedMenuItem::separator(app)?,
            &pause,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    app.manage(TrayState {
        pending_item,
        paused: AtomicBool::new(false),
        view: Mutex::new(PendingView::default()),
    });
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(ICON)?)
        .tooltip("Sellerdash")
        .menu(&menu)
        .on_menu_event(on_menu_event)
        .build(app)?;
    Ok(())
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        OPEN => navigate(app, "dashboard"),
        PENDING => navigate(app, "pending"),
        PAUSE => {
            if let Some(state) = app.try_state::<TrayState<R>>() {
                let paused = !state.paused.load(Ordering::Relaxed);
                state.paused.store(paused, Ordering::Relaxed);
                tracing::info!(paused, "notifications");
            }
        }
        QUIT => app.exit(0),
        _ => {}
    }
}

fn navigate<R: Runtime>(app: &AppHandle<R>, page: &str) {
    window::show_main(app);
    if let Err(error) = app.emit(events::NAVIGATE, serde_json::json!({ "page": page })) {
        tracing::warn!(%error, "cannot navigate");
    }
}

pub fn notifications_paused<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.try_state::<TrayState<R>>()
        .is_some_and(|state| state.paused.load(Ordering::Relaxed))
}

/// The core numbered `generation` took over: forgets what older cores said (their pending
/// count and connection note), keeping anything the new core already said.
pub fn reset<R: Runtime>(app: &AppHandle<R>, generation: u64) {
    update(app, |view| view.apply(generation, |_| {}));
}

/// The new core numbered `failed` could not start and the one numbered `previous` stays:
/// anything the failed core said is forgotten and `previous` is heard again.
pub fn give_back<R: Runtime>(app: &AppHandle<R>, failed: u64, previous: u64) {
    update(app, |view| {
        if view.generation == failed {
            *view = PendingView {
                generation: previous,
                ..PendingView::default()
            };
        }
    });
}

/// The server's count of orders waiting for confirmation, from the core numbered
/// `generation`.
pub fn set_pending_total<R: Runtime>(app: &AppHandle<R>, generation: u64, total: u64) {
    update(app, |view| {
        view.apply(generation, |view| view.total = Some(total))
    });
}

pub fn set_connectivity<R: Runtime>(
    app: &AppHandle<R>,
    generation: u64,
    connectivity: &Connectivity,
) {
    let link = Link::of(connectivity);
    update(app, |view| view.apply(generation, |view| view.link = link));
}

fn update<R: Runtime>(app: &AppHandle<R>, change: impl FnOnce(&mut PendingView)) {
    let Some(state) = app.try_state::<TrayState<R>>() else {
        return;
    };
    let view = {
        let Ok(mut view) = state.view.lock() else {
            return;
        };
        let before = *view;
        change(&mut view);
        if view.label() == before.label() {
            return;
        }
        *view
    };
    if let Err(error) = state.pending_item.set_text(view.label()) {
        tracing::warn!(%error, "cannot update the tray menu");
    }
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let waiting = view.total.unwrap_or(0) > 0;
        let icon = Image::from_bytes(if waiting { ALERT_ICON } else { ICON });
        let result = icon
            .and_then(|icon| tray.set_icon(Some(icon)))
            .and_then(|()| tray.set_title(waiting.then(|| view.total.unwrap_or(0).to_string())));
        if let Err(error) = result {
            tracing::warn!(%error, "cannot update the tray icon");
        }
    }
    tracing::info!(label = %view.label(), "tray");
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use sellerdash_state::Connectivity;

    use super::{Link, PendingView};

    fn view(total: Option<u64>, link: Link) -> String {
        PendingView {
            generation: 0,
            total,
            link,
        }
        .label()
    }

    /// A quick switch: the new core (2) counts its shop before the switch resets the tray
    /// for it; the count stays. The old core's (1) late count never shows.
    #[test]
    fn a_switch_keeps_the_new_cores_first_count() {
        let mut tray = PendingView::default();
        tray.apply(1, |v| v.total = Some(7));
        tray.apply(1, |v| v.link = Link::Offline);
        assert_eq!(tray.label(), "Pending orders (7, offline)");
        tray.apply(2, |v| v.total = Some(1));
        assert_eq!(
            tray.label(),
            "Pending orders (1)",
            "the old link is dropped too"
        );
        tray.apply(2, |_| {}); // the switch's reset, after the new core's first count
        assert_eq!(tray.label(), "Pending orders (1)");
        tray.apply(1, |v| v.total = Some(8)); // the old core's late word
        assert_eq!(tray.label(), "Pending orders (1)");
        // The reset before any word of the new core forgets the old count.
        let mut tray = PendingView::default();
        tray.apply(1, |v| v.total = Some(7));
        tray.apply(2, |_| {});
        assert_eq!(tray.label(), "Pending orders");
        tray.apply(2, |v| v.total = Some(3));
        assert_eq!(tray.label(), "Pending orders (3)");
    }

    #[test]
    fn pending_entry_shows_the_server_total_and_offline() {
        assert_eq!(view(None, Link::Fine), "Pending orders");
        assert_eq!(view(Some(3), Link::Fine), "Pending orders (3)");
        assert_eq!(view(Some(3), Link::Offline), "Pending orders (3, offline)");
        assert_eq!(view(None, Link::Offline), "Pending orders (offline)");
    }

    #[test]
    fn pending_entry_says_when_the_token_is_refused() {
        assert_eq!(
            view(Some(3), Link::TokenRefused),
            "Pending orders (3, token refused)"
        );
        assert_eq!(
            view(None, Link::TokenRefused),
            "Pending orders (token refused)"
        );
        let refused = Connectivity::Unauthorized {
            since: Utc::now(),
            reason: "invalid token".into(),
        };
        assert_eq!(Link::of(&refused), Link::TokenRefused);
        assert_eq!(
            Link::of(&Connectivity::Online { since: Utc::now() }),
            Link::Fine
        );
        assert_eq!(Link::of(&Connectivity::Connecting), Link::Fine);
    }
}
