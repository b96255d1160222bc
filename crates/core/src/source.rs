//! The narrow boundary between the core and a marketplace: [`Source`] answers the seller
//! queries and actions with contract types, and every failure is a classified
//! [`SourceError`].
//!
//! The reference server is reached through [`crate::HttpSource`]; other marketplaces get
//! their own implementation. Nothing above this boundary sees a marketplace's JSON.

use futures::future::BoxFuture;
use sellerdash_api::{
    DashboardQuery, DashboardStats, Order, OrderPage, OrderQuery, PayoutHistory,
    PayoutHistoryQuery, PayoutStats,
};
use sellerdash_state::{AppError, ErrorKind};
use std::time::Duration;

/// What a source answers: the contract type or a classified error.
pub type SourceResult<T> = Result<T, SourceError>;

/// A marketplace as the core sees it: the seller's queries and actions.
///
/// Methods return boxed futures so that the core can hold any source as
/// `Arc<dyn Source>` (the HTTP one, a test double, a connector to another engine).
pub trait Source: Send + Sync + 'static {
    /// One page of the seller's orders, filtered as `query` says.
    fn list_orders<'a>(&'a self, query: &'a OrderQuery) -> BoxFuture<'a, SourceResult<OrderPage>>;

    /// One page of the orders waiting for the seller's confirmation; `total` counts them all.
    fn pending_orders(&self, page: u32, per_page: u32) -> BoxFuture<'_, SourceResult<OrderPage>>;

    /// One order with everything its details page shows.
    fn get_order<'a>(&'a self, id: &'a str) -> BoxFuture<'a, SourceResult<Order>>;

    /// The dashboard figures for a period.
    fn dashboard_stats(&self, query: DashboardQuery)
    -> BoxFuture<'_, SourceResult<DashboardStats>>;

    /// Balance, next payout date and schedule.
    fn payout_stats(&self) -> BoxFuture<'_, SourceResult<PayoutStats>>;

    /// Payouts, optionally of one month and year.
    fn payout_history(
        &self,
        query: PayoutHistoryQuery,
    ) -> BoxFuture<'_, SourceResult<PayoutHistory>>;

    /// Confirms a pending order. The same `idempotency_key` never confirms twice.
    fn confirm<'a>(
        &'a self,
        id: &'a str,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, SourceResult<Order>>;

    /// Cancels an order that has not shipped, telling the buyer `reason`.
    fn cancel<'a>(
        &'a self,
        id: &'a str,
        reason: &'a str,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, SourceResult<Order>>;
}

/// Why a source call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The marketplace could not be reached (DNS, refused connection, reset, TLS). The
    /// text is the seller-facing explanation in plain words (see [`crate::HttpSource`]);
    /// the transport's own error goes to the logs only.
    #[error("{0}")]
    Network(String),
    /// No answer within the request timeout (`after`, when the source knows it).
    #[error("{}", timeout_words(*after))]
    Timeout { after: Option<Duration> },
    /// The marketplace answered with a 5xx (or asked us to come back later).
    #[error("the marketplace failed ({status}): {message}")]
    Server { status: u16, message: String },
    /// The answer was not the JSON the contract promises (the parser's detail, for the logs;
    /// the seller reads plain words). Treated like a 5xx: retried, and an outage when no
    /// other query gets a readable answer either.
    #[error("the marketplace sent an answer Sellerdash could not read")]
    Decode(String),
    /// The token was refused.
    #[error("the marketplace refused the token: {0}")]
    Unauthorized(String),
    /// No such resource for this seller.
    #[error("not found: {0}")]
    NotFound(String),
    /// The action is not allowed in the resource's current state; the server's message.
    #[error("{0}")]
    Conflict(String),
    /// The request was refused as malformed.
    #[error("the marketplace refused the request: {0}")]
    BadRequest(String),
    /// The request could not even be built (say, a search too long for a URL): nothing was
    /// sent, so this says nothing about the connection.
    #[error("{0}")]
    Unsendable(String),
}

/// "the marketplace did not answer within 5 s" (or "in time" when the limit is unknown).
fn timeout_words(after: Option<Duration>) -> String {
    match after {
        Some(after) => format!("the marketplace did not answer within {} s", seconds(after)),
        None => "the marketplace did not answer in time".to_owned(),
    }
}

/// Whole seconds as `5`, fractions with up to three decimals (`0.5`, `0.25`).
fn seconds(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        return duration.as_secs().to_string();
    }
    let text = format!("{:.3}", duration.as_secs_f64());
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl SourceError {
    /// A timeout after `after` (the limit that was hit).
    pub fn timeout_after(after: Duration) -> Self {
        Self::Timeout { after: Some(after) }
    }

    /// True when the same request may succeed if simply tried again later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Network(_) | Self::Timeout { .. } | Self::Server { .. } | Self::Decode(_)
        )
    }

    /// True when the failure means the marketplace is unreachable or down (the app is
    /// offline), as opposed to an answer that refuses this particular request.
    pub fn is_connectivity(&self) -> bool {
        self.is_retryable()
    }

    /// The class the UI branches on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Network(_) | Self::Timeout { .. } => ErrorKind::Network,
            Self::Server { .. } => ErrorKind::Server,
            Self::Decode(_) => ErrorKind::Decode,
            Self::Unauthorized(_) => ErrorKind::Unauthorized,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Conflict(_) => ErrorKind::Conflict,
            Self::BadRequest(_) | Self::Unsendable(_) => ErrorKind::BadRequest,
        }
    }
}

impl From<SourceError> for AppError {
    fn from(error: SourceError) -> Self {
        AppError::new(error.kind(), error.to_string())
    }
}

impl From<&SourceError> for AppError {
    fn from(error: &SourceError) -> Self {
        AppError::new(error.kind(), error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_for_retry_and_ui() {
        assert!(SourceError::Timeout { after: None }.is_retryable());
        assert!(
            SourceError::Server {
                status: 503,
                message: "x".into()
            }
            .is_retryable()
        );
        let garbled = SourceError::Decode("EOF while parsing at line 1 column 3710".into());
        assert!(garbled.is_retryable() && garbled.is_connectivity());
        assert_eq!(
            garbled.to_string(),
            "the marketplace sent an answer Sellerdash could not read"
        );
        assert!(!SourceError::Conflict("x".into()).is_retryable());
        let unsendable = SourceError::Unsendable("too long".into());
        assert!(!unsendable.is_retryable());
        assert!(!unsendable.is_connectivity());
        assert_eq!(unsendable.kind(), ErrorKind::BadRequest);
        let app: AppError = SourceError::Conflict("order is not pending".into()).into();
        assert_eq!(app.code, ErrorKind::Conflict);
        assert_eq!(app.message, "order is not pending");
        assert_eq!(
            AppError::from(SourceError::Timeout { after: None }).code,
            ErrorKind::Network
        );
        assert_eq!(
            SourceError::timeout_after(Duration::from_secs(5)).to_string(),
            "the marketplace did not answer within 5 s"
        );
        assert_eq!(
            SourceError::timeout_after(Duration::from_millis(250)).to_string(),
            "the marketplace did not answer within 0.25 s"
        );
    }
}
