//! Connectivity bookkeeping: network and 5xx failures put the core offline; the first
//! success after that brings it back online and asks every query to refetch (reconnect).

use chrono::{DateTime, Utc};
use sellerdash_state::Connectivity;

/// What a request outcome did to connectivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Change {
    /// The state changed and must be reported.
    pub changed: bool,
    /// The core was offline and is online again: every query should refetch now.
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
            Connectivity::Offline { .. } => {
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
            Connectivity::Connecting | Connectivity::Online { .. } => now,
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
}
