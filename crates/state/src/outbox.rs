//! The seller's action outbox as the UI sees it: every confirm and cancel is written to the
//! core's outbox before it is sent, and [`OutboxEntry`] is one such action with where it
//! stands. A confirm or cancel answers an [`ActionOutcome`]: applied, or queued until the
//! marketplace is reachable.

use chrono::{DateTime, Utc};
use sellerdash_api::Order;
use serde::{Deserialize, Serialize};

/// What the seller asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboxAction {
    Confirm,
    Cancel { reason: String },
}

impl OutboxAction {
    /// "confirm" / "cancel", as in "Could not confirm order X".
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Cancel { .. } => "cancel",
        }
    }
}

/// Where an action stands. `Queued` → `Sending` → `Done` or `Rejected`; a send that cannot
/// reach the marketplace goes back to `Queued`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Queued,
    Sending,
    Done,
    Rejected,
}

impl OutboxState {
    /// Still to be applied (queued or on its way).
    pub fn is_unsettled(self) -> bool {
        matches!(self, Self::Queued | Self::Sending)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Done => "done",
            Self::Rejected => "rejected",
        }
    }
}

/// One seller action in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The order in which actions were taken (and are sent).
    pub seq: i64,
    pub order_id: String,
    pub action: OutboxAction,
    pub state: OutboxState,
    pub created_at: DateTime<Utc>,
    /// How many times it was sent without a final answer.
    pub attempts: u32,
    /// Why the last send did not settle it (offline, a 5xx), or the marketplace's reason for
    /// a rejection.
    pub error: Option<String>,
}

impl OutboxEntry {
    /// What a queued action's row says: being sent now (waiting for the answer), or waiting
    /// for the marketplace to be reachable.
    pub fn queued_text(&self) -> &'static str {
        // A retry after failed tries is still "queued" to the seller: the line does not flip
        // between two texts on every attempt of an outage.
        let first_try = self.attempts == 0;
        match (self.state, &self.action) {
            (OutboxState::Sending, OutboxAction::Confirm) if first_try => {
                "Sending the confirmation — waiting for the marketplace's answer"
            }
            (OutboxState::Sending, OutboxAction::Cancel { .. }) if first_try => {
                "Sending the cancellation — waiting for the marketplace's answer"
            }
            (_, OutboxAction::Confirm) => {
                "Confirmation queued — will be sent when the marketplace is reachable"
            }
            (_, OutboxAction::Cancel { .. }) => {
                "Cancellation queued — will be sent when the marketplace is reachable"
            }
        }
    }

    /// What the seller is told when the marketplace refused the action.
    pub fn rejected_text(&self) -> String {
        let reason = self
            .error
            .as_deref()
            .unwrap_or("the marketplace refused it");
        format!(
            "Could not {} order {}: {}",
            self.action.verb(),
            self.order_id,
            reason
        )
    }
}

/// The answer to a confirm or cancel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ActionOutcome {
    /// The marketplace applied it; the order as it is now.
    Applied { order: Box<Order> },
    /// The marketplace is unreachable: the action is stored and will be sent, once, when it
    /// is back.
    Queued { entry: OutboxEntry },
}

impl ActionOutcome {
    /// The order as the marketplace answered it, when the action was applied.
    pub fn applied(&self) -> Option<&Order> {
        match self {
            Self::Applied { order } => Some(order.as_ref()),
            Self::Queued { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(state: OutboxState, action: OutboxAction) -> OutboxEntry {
        OutboxEntry {
            seq: 1,
            order_id: "ord_1".into(),
            action,
            state,
            created_at: DateTime::UNIX_EPOCH,
            attempts: 0,
            error: None,
        }
    }

    #[test]
    fn a_row_says_whether_its_action_is_out_or_waiting_for_the_marketplace() {
        let mut sending = entry(OutboxState::Sending, OutboxAction::Confirm);
        assert!(
            sending
                .queued_text()
                .starts_with("Sending the confirmation")
        );
        // Tried before and failing: it stays "queued" through each retry of an outage.
        sending.attempts = 3;
        assert!(sending.queued_text().starts_with("Confirmation queued"));
        let queued = entry(
            OutboxState::Queued,
            OutboxAction::Cancel {
                reason: "Out of stock".into(),
            },
        );
        assert!(queued.queued_text().starts_with("Cancellation queued"));
    }
}
