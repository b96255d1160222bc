//! "Test connection" on the Settings page: one look at a marketplace with a URL and a
//! token, without starting a core or saving anything. It asks for the token's seller
//! account and the pending orders, and says what happened in plain words.

use std::time::Duration;

use sellerdash_state::settings::ConnectionCheck;

use crate::http::{HttpOptions, HttpSource};
use crate::source::{Source, SourceError};

/// How long a connection test waits for the marketplace.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// Calls the marketplace at `url` as the seller whose token is `token`.
pub async fn check_connection(url: &str, token: &str) -> ConnectionCheck {
    let options = HttpOptions {
        request_timeout: CHECK_TIMEOUT,
        connect_timeout: Duration::from_secs(5),
        ..HttpOptions::default()
    };
    let source = match HttpSource::new(url.trim(), token.trim(), options) {
        Ok(source) => source,
        Err(error) => {
            return ConnectionCheck::Failed {
                message: error.to_string(),
            };
        }
    };
    let account = match source.account().await {
        Ok(account) => account,
        Err(error) => return outcome(&error),
    };
    match source.pending_orders(1, 1).await {
        Ok(page) => ConnectionCheck::Connected {
            seller: account.name,
            pending_orders: page.total,
        },
        Err(error) => outcome(&error),
    }
}

fn outcome(error: &SourceError) -> ConnectionCheck {
    let message = match error {
        SourceError::Unauthorized(reason) => reason.clone(),
        other => other.to_string(),
    };
    match error {
        SourceError::Unauthorized(_) => ConnectionCheck::Refused {
            message: if message.trim().is_empty() {
                "the marketplace does not accept this token".to_owned()
            } else {
                message
            },
        },
        SourceError::Network(_) | SourceError::Timeout { .. } => {
            ConnectionCheck::NotAnswering { message }
        }
        SourceError::NotFound(_) => ConnectionCheck::Failed {
            message: "this address answers, but not as a seller API (check the URL)".to_owned(),
        },
        _ => ConnectionCheck::Failed { message },
    }
}
