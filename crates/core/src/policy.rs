//! The seller queries' policies as data, all in one place: how long a key's data stays
//! fresh, how often it is polled (the sales lists adaptively), how failures are retried,
//! when a focus or a reconnect refetches it and when it is dropped. The defaults are the
//! design's table; [`Policies::scaled`] shrinks every duration for tests against a real
//! server; [`Policies::policy`] turns a key's entry into the engine's [`Policy`].

use std::sync::Arc;
use std::time::Duration;

use sellerdash_query::{FocusRefetch, Policy, RefetchInterval, RetryDelay};
use sellerdash_state::QueryKey;
use sellerdash_state::settings::Intervals;

use crate::queries::{SalesActivity, SellerQuery};

/// Whether a window focus refetches a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusPolicy {
    /// Every focus refetches.
    Always,
    /// A focus refetches only when the data is older than the stale time.
    WhenStale,
    /// Focus never refetches.
    Never,
}

/// How one query key is fetched and kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryPolicy {
    /// After this long without a refresh the data is stale.
    pub stale_time: Duration,
    /// Poll period while the query is pinned or observed.
    pub refetch_interval: Duration,
    /// Retries after a retryable failure before the query is in error (attempts = 1 + retries).
    pub retries: u32,
    /// First retry delay; each further retry doubles it.
    pub retry_base: Duration,
    /// Upper bound of a retry delay.
    pub retry_cap: Duration,
    /// A request that has not answered after this long fails as a timeout.
    pub request_timeout: Duration,
    /// An unobserved, unpinned query is dropped after this long.
    pub gc_time: Duration,
    pub focus: FocusPolicy,
    /// A focus refetches only when the last request started at least this long ago.
    pub focus_throttle: Duration,
    /// Keep polling while the window is hidden (the design: always).
    pub background: bool,
    /// Refetch at once when the marketplace answers again after failing.
    pub reconnect: bool,
}

impl QueryPolicy {
    const fn design(
        stale_secs: u64,
        interval_secs: u64,
        gc_secs: u64,
        retries: u32,
        focus: FocusPolicy,
    ) -> Self {
        Self {
            stale_time: Duration::from_secs(stale_secs),
            refetch_interval: Duration::from_secs(interval_secs),
            retries,
            retry_base: Duration::from_secs(1),
            retry_cap: Duration::from_secs(15),
            request_timeout: Duration::from_secs(10),
            gc_time: Duration::from_secs(gc_secs),
            focus,
            focus_throttle: Duration::from_secs(1),
            background: true,
            reconnect: true,
        }
    }

    /// The wait before retry number `attempt + 1` (attempt 0 is the first failure):
    /// `min(retry_base · 2^attempt, retry_cap)`.
    pub fn retry_delay(&self, attempt: u32) -> Duration {
        let factor = 2u32.checked_pow(attempt).unwrap_or(u32::MAX);
        self.retry_base
            .checked_mul(factor)
            .map_or(self.retry_cap, |delay| delay.min(self.retry_cap))
    }

    /// Every duration multiplied by `factor` (retry counts and focus unchanged). A factor
    /// that is not a positive finite number of at most one million leaves the policy as is.
    pub fn scaled(&self, factor: f64) -> Self {
        if !(factor.is_finite() && factor > 0.0 && factor <= 1e6) {
            return *self;
        }
        let scale = |d: Duration| d.mul_f64(factor);
        Self {
            stale_time: scale(self.stale_time),
            refetch_interval: scale(self.refetch_interval),
            retries: self.retries,
            retry_base: scale(self.retry_base),
            retry_cap: scale(self.retry_cap),
            request_timeout: scale(self.request_timeout),
            gc_time: scale(self.gc_time),
            focus_throttle: scale(self.focus_throttle),
            ..*self
        }
    }

    /// This policy polling every `interval`; the stale time keeps its ratio to the interval,
    /// so data polled less often than the design's is not flagged stale between polls.
    pub fn every(&self, interval: Duration) -> Self {
        let stale_time = if interval == self.refetch_interval || self.refetch_interval.is_zero() {
            self.stale_time
        } else {
            let nanos =
                self.stale_time.as_nanos() * interval.as_nanos() / self.refetch_interval.as_nanos();
            Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
        };
        Self {
            refetch_interval: interval,
            stale_time,
            ..*self
        }
    }

    /// The engine's policy polling at `interval`.
    fn engine(&self, refetch_interval: RefetchInterval) -> Policy {
        Policy {
            stale_time: self.stale_time,
            gc_time: self.gc_time,
            refetch_interval,
            background_refetch: self.background,
            focus: match self.focus {
                FocusPolicy::Always => FocusRefetch::Always,
                FocusPolicy::WhenStale => FocusRefetch::WhenStale,
                FocusPolicy::Never => FocusRefetch::Never,
            },
            focus_throttle: self.focus_throttle,
            reconnect_refetch: self.reconnect,
            retries: self.retries,
            retry_delay: RetryDelay::Exponential {
                base: self.retry_base,
                cap: self.retry_cap,
            },
            request_timeout: self.request_timeout,
        }
    }
}

/// The sales lists' adaptive interval: the statuses a list holds choose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SalesIntervals {
    /// Any processing, shipped or in-transit order.
    pub moving: Duration,
    /// Else any pending or confirmed order.
    pub waiting: Duration,
    /// Else (only settled orders, or none).
    pub settled: Duration,
}

impl SalesIntervals {
    /// Every interval times `percent` / 100 (100: unchanged; 0 leaves them as they are).
    pub fn times_percent(&self, percent: u32) -> Self {
        if percent == 0 {
            return *self;
        }
        let scale = |d: Duration| d.saturating_mul(percent) / 100;
        Self {
            moving: scale(self.moving),
            waiting: scale(self.waiting),
            settled: scale(self.settled),
        }
    }

    pub fn for_activity(&self, activity: SalesActivity) -> Duration {
        match activity {
            SalesActivity::Moving => self.moving,
            SalesActivity::Waiting => self.waiting,
            SalesActivity::Settled => self.settled,
        }
    }
}

/// The policy of every seller query key, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policies {
    /// `seller/dashboard`.
    pub dashboard: QueryPolicy,
    /// `seller/orders/pending`.
    pub pending_orders: QueryPolicy,
    /// `seller/sales/{status?}`; its `refetch_interval` applies before the first answer,
    /// then [`Policies::sales_intervals`] by the list's statuses.
    pub sales: QueryPolicy,
    pub sales_intervals: SalesIntervals,
    /// `seller/sales/byId/{id}`.
    pub order_detail: QueryPolicy,
    /// `seller/payouts/stats`.
    pub payout_stats: QueryPolicy,
    /// `seller/payouts/history/...`.
    pub payout_history: QueryPolicy,
    /// Limit for a seller action (confirm, cancel).
    pub action_timeout: Duration,
}

impl Default for Policies {
    /// The design's table (DESIGN.md §3).
    fn default() -> Self {
        use FocusPolicy::{Always, WhenStale};
        Self {
            dashboard: QueryPolicy::design(5, 5, 600, 3, Always),
            pending_orders: QueryPolicy::design(3, 5, 600, 3, Always),
            sales: QueryPolicy::design(5, 15, 600, 3, WhenStale),
            sales_intervals: SalesIntervals {
                moving: Duration::from_secs(5),
                waiting: Duration::from_secs(15),
                settled: Duration::from_secs(60),
            },
            order_detail: QueryPolicy::design(2, 3, 300, 2, WhenStale),
            payout_stats: QueryPolicy::design(5, 10, 600, 3, Always),
            payout_history: QueryPolicy::design(5, 10, 600, 3, Always),
            action_timeout: Duration::from_secs(15),
        }
    }
}

impl Policies {
    /// The policy for `key`: the most specific entry whose key prefixes it, the dashboard's
    /// for keys outside the table.
    pub fn for_key(&self, key: &QueryKey) -> &QueryPolicy {
        let segments: Vec<&str> = key.segments().iter().map(String::as_str).collect();
        match segments.as_slice() {
            ["seller", "dashboard", ..] => &self.dashboard,
            ["seller", "orders", "pending", ..] => &self.pending_orders,
            ["seller", "sales", "byId", ..] => &self.order_detail,
            ["seller", "sales", ..] | ["seller", "orders", ..] => &self.sales,
            ["seller", "payouts", "stats", ..] => &self.payout_stats,
            ["seller", "payouts", "history", ..] => &self.payout_history,
            _ => &self.dashboard,
        }
    }

    /// The engine's policy for a seller key; `None` for a key that names no seller query.
    pub fn policy(&self, key: &QueryKey) -> Option<Policy> {
        let query = SellerQuery::parse(key)?;
        let entry = self.for_key(key);
        let interval = if matches!(query, SellerQuery::Sales(_)) {
            let (first, intervals) = (entry.refetch_interval, self.sales_intervals);
            RefetchInterval::Dynamic(Arc::new(move |data| {
                Some(data.map_or(first, |page| {
                    intervals.for_activity(SalesActivity::of_page(page))
                }))
            }))
        } else {
            RefetchInterval::Fixed(entry.refetch_interval)
        };
        Some(entry.engine(interval))
    }

    /// These policies polling at the seller's chosen intervals (the Settings page); the
    /// sales lists' adaptive intervals times the chosen factor.
    pub fn with_intervals(&self, intervals: &Intervals) -> Self {
        let secs = Duration::from_secs;
        Self {
            dashboard: self.dashboard.every(secs(intervals.dashboard_secs)),
            pending_orders: self.pending_orders.every(secs(intervals.pending_secs)),
            order_detail: self.order_detail.every(secs(intervals.order_secs)),
            payout_stats: self.payout_stats.every(secs(intervals.payouts_secs)),
            payout_history: self.payout_history.every(secs(intervals.history_secs)),
            sales_intervals: self
                .sales_intervals
                .times_percent(intervals.sales_factor_percent),
            ..*self
        }
    }

    /// These policies with background polling on or off. Off, every page's queries pause
    /// while the window is hidden, except pending orders: that check drives the new-order
    /// alerts and the tray count, which a hidden window is for.
    pub fn with_background(&self, background: bool) -> Self {
        let set = |p: QueryPolicy| QueryPolicy { background, ..p };
        Self {
            dashboard: set(self.dashboard),
            sales: set(self.sales),
            order_detail: set(self.order_detail),
            payout_stats: set(self.payout_stats),
            payout_history: set(self.payout_history),
            ..*self
        }
    }

    /// Every duration multiplied by `factor`: `Policies::default().scaled(0.01)` polls the
    /// dashboard every 50 ms.
    pub fn scaled(&self, factor: f64) -> Self {
        let ok = factor.is_finite() && factor > 0.0 && factor <= 1e6;
        let scale = |d: Duration| if ok { d.mul_f64(factor) } else { d };
        Self {
            sales_intervals: SalesIntervals {
                moving: scale(self.sales_intervals.moving),
                waiting: scale(self.sales_intervals.waiting),
                settled: scale(self.sales_intervals.settled),
            },
            dashboard: self.dashboard.scaled(factor),
            pending_orders: self.pending_orders.scaled(factor),
            sales: self.sales.scaled(factor),
            order_detail: self.order_detail.scaled(factor),
            payout_stats: self.payout_stats.scaled(factor),
            payout_history: self.payout_history.scaled(factor),
            action_timeout: scale(self.action_timeout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delay_doubles_up_to_the_cap() {
        let policy = Policies::default().dashboard;
        let delays: Vec<u64> = (0..7).map(|a| policy.retry_delay(a).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 15, 15, 15]);
        assert_eq!(policy.retry_delay(200), Duration::from_secs(15));
    }

    #[test]
    fn keys_find_their_policy() {
        let p = Policies::default();
        assert_eq!(
            p.for_key(&QueryKey::pending_orders()).stale_time,
            Duration::from_secs(3)
        );
        for period in sellerdash_api::Period::ALL {
            let key = QueryKey::dashboard_period(period);
            assert_eq!(p.for_key(&key), &p.dashboard, "{key}");
            assert!(p.policy(&key).is_some(), "{key}");
        }
        assert_eq!(
            p.for_key(&QueryKey::dashboard()).refetch_interval,
            Duration::from_secs(5)
        );
        assert_eq!(
            p.for_key(&QueryKey::new(["seller", "sales", "byId", "o1"]))
                .retries,
            2
        );
    }

    #[test]
    fn a_longer_interval_keeps_data_fresh_until_the_next_poll() {
        let p = Policies::default();
        let slow = p.dashboard.every(Duration::from_secs(60));
        assert_eq!(slow.refetch_interval, Duration::from_secs(60));
        assert_eq!(slow.stale_time, Duration::from_secs(60));
        let fast = p.dashboard.every(Duration::from_secs(2));
        assert_eq!(fast.stale_time, Duration::from_secs(2));
        let pending = p.pending_orders.every(Duration::from_secs(50));
        assert_eq!(pending.stale_time, Duration::from_secs(30));
        let doubled = p.sales_intervals.times_percent(200);
        assert_eq!(doubled.settled, Duration::from_secs(120));
        assert_eq!(
            p.sales_intervals.times_percent(50).moving,
            Duration::from_millis(2_500)
        );
        assert_eq!(p.sales_intervals.times_percent(0), p.sales_intervals);
    }

    #[test]
    fn the_default_settings_are_the_design() {
        let p = Policies::default();
        assert_eq!(p.with_intervals(&Intervals::default()), p);
        let chosen = Intervals {
            dashboard_secs: 30,
            sales_factor_percent: 200,
            ..Intervals::default()
        };
        let q = p.with_intervals(&chosen);
        assert_eq!(q.dashboard.refetch_interval, Duration::from_secs(30));
        assert_eq!(q.sales_intervals.moving, Duration::from_secs(10));
        assert_eq!(q.pending_orders, p.pending_orders);
    }

    #[test]
    fn background_off_spares_the_pending_orders_check() {
        let p = Policies::default().with_background(false);
        assert!(!p.dashboard.background && !p.sales.background && !p.payout_history.background);
        assert!(p.pending_orders.background);
        assert_eq!(p.with_background(true), Policies::default());
    }

    #[test]
    fn scaling_shrinks_durations_only() {
        let p = Policies::default().scaled(0.01);
        assert_eq!(p.dashboard.refetch_interval, Duration::from_millis(50));
        assert_eq!(p.pending_orders.retry_delay(5), Duration::from_millis(150));
        assert_eq!(p.pending_orders.retries, 3);
        assert_eq!(Policies::default().scaled(f64::NAN), Policies::default());
    }
}
