//! The connection badge: "Live", "Offline since HH:MM · Retrying in N s", or "Connecting…".

use sellerdash_state::Connectivity;
use yew::prelude::*;

use crate::hooks::{ConnectivityState, use_connectivity, use_now};
use crate::time;

#[component]
pub fn ConnectionBadge() -> Html {
    let state = use_connectivity();
    let now = use_now();
    let (class, text, title) = match &state {
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
        ConnectivityState::ShellError(err) => (
            "offline",
            "Offline · app not reachable".to_owned(),
            err.message.clone(),
        ),
    };
    html! {
        <div class={classes!("conn", class)} data-testid="connection" title={title}
            role="status" aria-live="polite">
            <span class="dot" aria-hidden="true"></span>
            <span>{text}</span>
        </div>
    }
}
