//! Connectivity bookkeeping: network and 5xx failures put the core offline, a refused
//! token (401/403) puts it in `Unauthorized`; the first success after either brings it
//! back online and asks every query to refetch (reconnect).

use chrono::{DateTime, Utc};
use sellerdash_state::Connectivity;

/// What a request outcome did to connectivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Change {
    /// The state changed and must be reported.
    pub changed: bool,
    /// The core was offline (or its token refused) and is online again: every query
    /// should refetch now.
    pub reconnected: bool,
}

/// The connectivity state machine.
#[derive(Debug, Clone)]
pub(crate) struct Tracker {
    state: Connectivity,
}

impl Tracker {
    pub fn new() -> Self {
        Self {
            state: Connectivity::Connecting,
        }
    }

    pub fn state(&self) -> &Connectivity {
        &self.state
    }

    /// The marketplace answered (any answer that is not a 5xx counts).
    pub fn reachable(&mut self, now: DateTime<Utc>) -> Change {
        match self.state {
            Connectivity::Online { .. } => Change::default(),
            Connectivity::Connecting => {
                self.state = Connectivity::Online { since: now };
                Change {
                    changed: true,
                    reconnected: false,
                }
            }
            Connectivity::Offline { .. } | Connectivity::Unauthorized { .. } => {
                self.state = Connectivity::Online { since: now };
                Change {
                    changed: true,
                    reconnected: true,
                }
            }
        }
    }

    /// A request could not reach the marketplace, or it answered 5xx.
    pub fn unreachable(
        &mut self,
        now: DateTime<Utc>,
        reason: String,
        retry_at: Option<DateTime<Utc>>,
    ) -> Change {
        let since = match &self.state {
            Connectivity::Offline { since, .. } => *since,
            Connectivity::Connecting
            | Connectivity::Online { .. }
            | Connectivity::Unauthorized { .. } => now,
        };
        let next = Connectivity::Offline {
            since,
            reason,
            retry_at,
        };
        if next == self.state {
            return Change::default();
        }
        self.state = next;
        Change {
            changed: true,
            reconnected: false,
        }
    }

    /// The marketplace answered but refused the credentials (401/403).
    pub fn unauthorized(&mut self, now: DateTime<Utc>, reason: String) -> Change {
        let since = match &self.state {
            Connectivity::Unauthorized { since, .. } => *since,
            Connectivity::Connecting
            | Connectivity::Online { .. }
            | Connectivity::Offline { .. } => now,
        };
        let next = Connectivity::Unauthorized { since, reason };
        if next == self.state {
            return Change::default();
        }
        self.state = next;
        Change {
            changed: true,
            reconnected: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconnect_only_after_being_offline() {
        let t0 = Utc::now();
        let mut tracker = Tracker::new();
        assert_eq!(
            tracker.reachable(t0),
            Change {
                changed: true,
                reconnected: false
            }
        );
        assert_eq!(tracker.reachable(t0), Change::default());
        assert!(tracker.unreachable(t0, "down".into(), None).changed);
        let later = t0 + chrono::Duration::seconds(3);
        assert!(
            tracker
                .unreachable(later, "still down".into(), Some(later))
                .changed
        );
        assert!(matches!(tracker.state(), Connectivity::Offline { since, .. } if *since == t0));
        assert_eq!(
            tracker.reachable(later),
            Change {
                changed: true,
                reconnected: true
            }
        );
    }

    #[test]
    fn a_refused_token_is_unauthorized_until_an_answer_or_an_outage() {
        let t0 = Utc::now();
        let later = t0 + chrono::Duration::seconds(3);
        let mut tracker = Tracker::new();
        assert!(tracker.unauthorized(t0, "invalid token".into()).changed);
        assert_eq!(
            tracker.unauthorized(later, "invalid token".into()),
            Change::default()
        );
        assert!(
            matches!(tracker.state(), Connectivity::Unauthorized { since, .. } if *since == t0)
        );
        assert_eq!(
            tracker.reachable(later),
            Change {
                changed: true,
                reconnected: true
            }
        );
        assert!(tracker.unauthorized(later, "revoked".into()).changed);
        assert!(tracker.unreachable(later, "down".into(), None).changed);
        assert!(matches!(tracker.state(), Connectivity::Offline { .. }));
    }
}
