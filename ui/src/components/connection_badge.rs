//! The connection badge: "Live", "Offline since HH:MM · Retrying in N s", "Token refused"
//! (the marketplace answers but refuses the seller's token; with a link to the Settings page,
//! where a new one is entered) or "Connecting…".

use chrono::{DateTime, Utc};
use sellerdash_state::Connectivity;
use yew::prelude::*;

use crate::hooks::{ConnectivityState, use_app, use_connectivity, use_now};
use crate::state::{Action, Page};
use crate::time;

#[component]
pub fn ConnectionBadge() -> Html {
    let state = use_connectivity();
    let now = use_now();
    let app = use_app();
    let Badge { class, text, title } = badge(&state, now);
    let refused = matches!(
        state,
        ConnectivityState::Known(Connectivity::Unauthorized { .. })
    );
    let open_settings = Callback::from(move |_: MouseEvent| {
        if let Some(app) = &app {
            app.dispatch(Action::Navigate(Page::Settings));
        }
    });
    html! {
        <div class={classes!("conn", class)} data-testid="connection" title={title}
            role="status" aria-live="polite">
            <span class="dot" aria-hidden="true"></span>
            <span class="conn-text">{text}</span>
            if refused {
                <button type="button" class="conn-link" data-testid="connection-settings"
                    title="Enter a new seller token on the Settings page" onclick={open_settings}>
                    {"Settings"}
                </button>
            }
        </div>
    }
}

/// What the badge shows: its CSS class, its text and its tooltip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub class: &'static str,
    pub text: String,
    pub title: String,
}

/// The badge for a connectivity state at `now`.
pub fn badge(state: &ConnectivityState, now: DateTime<Utc>) -> Badge {
    let (class, text, title) = match state {
        ConnectivityState::Unknown | ConnectivityState::Known(Connectivity::Connecting) => (
            "connecting",
            "Connecting…".to_owned(),
            "Waiting for the marketplace".to_owned(),
        ),
        ConnectivityState::Known(Connectivity::Online { since }) => (
            "live",
            "Live".to_owned(),
            format!("Connected since {}", time::local_hh_mm(*since)),
        ),
        ConnectivityState::Known(Connectivity::Offline {
            since,
            reason,
            retry_at,
        }) => {
            let mut text = format!("Offline since {}", time::local_hh_mm(*since));
            if let Some(retry_at) = retry_at {
                let seconds = time::seconds_until(*retry_at, now);
                if seconds > 0 {
                    text.push_str(&format!(" · Retrying in {seconds} s"));
                } else {
                    text.push_str(" · Retrying now");
                }
            }
            ("offline", text, reason.clone())
        }
        ConnectivityState::Known(Connectivity::Unauthorized { reason, .. }) => {
            ("unauthorized", "Token refused".to_owned(), reason.clone())
        }
        ConnectivityState::ShellError(err) => (
            "offline",
            "Offline · app not reachable".to_owned(),
            err.message.clone(),
        ),
    };
    Badge { class, text, title }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_token_is_not_live() {
        let now = Utc::now();
        let state = ConnectivityState::Known(Connectivity::Unauthorized {
            since: now,
            reason: "the marketplace refused the token: invalid token".into(),
        });
        assert_eq!(
            badge(&state, now),
            Badge {
                class: "unauthorized",
                text: "Token refused".into(),
                title: "the marketplace refused the token: invalid token".into(),
            }
        );
        // (Live and Offline format local times through JS, so they are not tested here.)
        let connecting = badge(&ConnectivityState::Known(Connectivity::Connecting), now);
        assert_eq!(connecting.text, "Connecting…");
    }
}
