//! Connectivity bookkeeping: network failures put the core offline, and so do 5xx answers
//! once nothing else answers either (one endpoint failing while the others answer is that
//! query's error, not an outage: the state would flip at every poll); a refused token
//! (401/403) puts it in `Unauthorized`; any answer brings it back online. The
//! reconnect (every query refetches) is the first success, after such a failure, of a
//! query that had itself failed: a request that started before the outage and lands after
//! it shows the remote online but does not use the reconnect up.

use chrono::{DateTime, Utc};
use sellerdash_state::Connectivity;
use tokio::time::Instant;

/// What a request outcome did to connectivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Change {
    /// The state changed and must be reported.
    pub changed: bool,
    /// A query that had failed got an answer, the first since the core went offline (or
    /// its token was refused): every query should refetch now.
    pub reconnected: bool,
}

/// The connectivity state machine.
#[derive(Debug, Clone)]
pub(crate) struct Tracker {
    state: Connectivity,
    /// Went offline (or unauthorized) since the last reconnect.
    awaiting_reconnect: bool,
    /// When the remote last answered any query.
    last_answer: Option<Instant>,
}

impl Tracker {
    pub fn new() -> Self {
        Self {
            state: Connectivity::Connecting,
            awaiting_reconnect: false,
            last_answer: None,
        }
    }

    pub fn state(&self) -> &Connectivity {
        &self.state
    }

    /// The marketplace answered a query at `at` (any answer that is not a 5xx counts).
    pub fn answered(&mut self, at: Instant) {
        self.last_answer = Some(self.last_answer.map_or(at, |last| last.max(at)));
    }

    /// The marketplace answered (any answer that is not a 5xx counts); `recovered` when
    /// the query that got the answer had failed to reach it before.
    pub fn reachable(&mut self, now: DateTime<Utc>, recovered: bool) -> Change {
        let changed = !matches!(self.state, Connectivity::Online { .. });
        if changed {
            self.state = Connectivity::Online { since: now };
        }
        let reconnected = recovered && self.awaiting_reconnect;
        if reconnected {
            self.awaiting_reconnect = false;
        }
        Change {
            changed,
            reconnected,
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
        self.awaiting_reconnect = true;
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

    /// A query got a 5xx; it last had an answer at `its_last_answer`. The marketplace is
    /// failing only when nothing has answered since: while other queries get answers, the
    /// state stays as it is.
    pub fn server_failed(
        &mut self,
        now: DateTime<Utc>,
        reason: String,
        retry_at: Option<DateTime<Utc>>,
        its_last_answer: Option<Instant>,
    ) -> Change {
        let others_answer = self
            .last_answer
            .is_some_and(|last| its_last_answer.is_none_or(|its| last > its));
        if others_answer {
            return Change::default();
        }
        self.unreachable(now, reason, retry_at)
    }

    /// The marketplace answered but refused the credentials (401/403).
    pub fn unauthorized(&mut self, now: DateTime<Utc>, reason: String) -> Change {
        let since = match &self.state {
            Connectivity::Unauthorized { since, .. } => *since,
            Connectivity::Connecting
            | Connectivity::Online { .. }
            | Connectivity::Offline { .. } => now,
        };
        self.awaiting_reconnect = true;
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
    fn a_failing_endpoint_beside_answering_ones_is_no_outage() {
        let t0 = Utc::now();
        let start = Instant::now();
        let later = |secs| start + std::time::Duration::from_secs(secs);
        let mut tracker = Tracker::new();
        // Pending answered at 0 and 5 s; the dashboard last answered at 0 s, then 500s.
        tracker.answered(later(0));
        tracker.reachable(t0, false);
        tracker.answered(later(5));
        tracker.reachable(t0, false);
        let failed = tracker.server_failed(t0, "500".into(), None, Some(later(0)));
        assert_eq!(failed, Change::default());
        assert!(matches!(tracker.state(), Connectivity::Online { .. }));
        // A query that never had an answer, beside one that has: no outage either.
        assert_eq!(
            tracker.server_failed(t0, "500".into(), None, None),
            Change::default()
        );
        // Pending (last answer 5 s) fails too, nothing answered since: the remote is failing.
        assert!(
            tracker
                .server_failed(t0, "500".into(), None, Some(later(5)))
                .changed
        );
        assert!(matches!(tracker.state(), Connectivity::Offline { .. }));
        // Before any answer at all, a 500 is an outage.
        let mut fresh = Tracker::new();
        assert!(fresh.server_failed(t0, "500".into(), None, None).changed);
    }

    #[test]
    fn reconnect_only_after_being_offline() {
        let t0 = Utc::now();
        let mut tracker = Tracker::new();
        assert_eq!(
            tracker.reachable(t0, false),
            Change {
                changed: true,
                reconnected: false
            }
        );
        assert_eq!(tracker.reachable(t0, false), Change::default());
        assert!(tracker.unreachable(t0, "down".into(), None).changed);
        let later = t0 + chrono::Duration::seconds(3);
        assert!(
            tracker
                .unreachable(later, "still down".into(), Some(later))
                .changed
        );
        assert!(matches!(tracker.state(), Connectivity::Offline { since, .. } if *since == t0));
        assert_eq!(
            tracker.reachable(later, true),
            Change {
                changed: true,
                reconnected: true
            }
        );
        assert_eq!(tracker.reachable(later, true), Change::default(), "once");
    }

    #[test]
    fn an_answer_that_predates_the_outage_does_not_use_the_reconnect_up() {
        let t0 = Utc::now();
        let mut tracker = Tracker::new();
        tracker.reachable(t0, false);
        assert!(tracker.unreachable(t0, "down".into(), None).changed);
        // A request that started before the outage lands: online, but no reconnect.
        assert_eq!(
            tracker.reachable(t0, false),
            Change {
                changed: true,
                reconnected: false
            }
        );
        // The query that failed succeeds: that is the reconnect.
        assert_eq!(
            tracker.reachable(t0, true),
            Change {
                changed: false,
                reconnected: true
            }
        );
        assert_eq!(tracker.reachable(t0, true), Change::default());
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
            tracker.reachable(later, true),
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
