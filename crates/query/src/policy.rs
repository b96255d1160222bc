//! A query's policy as data: stale time, gc time, refetch interval (fixed or a function of
//! the current data), background refetch, focus and reconnect refetch, retries with their
//! delay function and the request timeout.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

/// A function of a query's current data (`None` before the first answer).
pub type DataFn<T> = Arc<dyn Fn(Option<&Value>) -> T + Send + Sync>;

/// How often a query is polled while it is active.
#[derive(Clone)]
pub enum RefetchInterval {
    /// Never polled: fetched when it becomes active, on triggers and on demand.
    Never,
    /// Every period.
    Fixed(Duration),
    /// A period chosen by the current data (`None`: do not poll now).
    Dynamic(DataFn<Option<Duration>>),
}

impl RefetchInterval {
    /// The interval in force for `data`.
    pub fn for_data(&self, data: Option<&Value>) -> Option<Duration> {
        match self {
            Self::Never => None,
            Self::Fixed(period) => Some(*period),
            Self::Dynamic(choose) => choose(data),
        }
    }
}

impl fmt::Debug for RefetchInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Never => f.write_str("Never"),
            Self::Fixed(period) => f.debug_tuple("Fixed").field(period).finish(),
            Self::Dynamic(_) => f.write_str("Dynamic(..)"),
        }
    }
}

/// The wait before a retry.
#[derive(Clone)]
pub enum RetryDelay {
    /// `min(base · 2^attempt, cap)`; attempt 0 is the first failure.
    Exponential { base: Duration, cap: Duration },
    /// Any function of the attempt number.
    Custom(Arc<dyn Fn(u32) -> Duration + Send + Sync>),
}

impl RetryDelay {
    /// The wait before retry number `attempt + 1`.
    pub fn delay(&self, attempt: u32) -> Duration {
        match self {
            Self::Exponential { base, cap } => {
                let factor = 2u32.checked_pow(attempt).unwrap_or(u32::MAX);
                base.checked_mul(factor)
                    .map_or(*cap, |delay| delay.min(*cap))
            }
            Self::Custom(delay) => delay(attempt),
        }
    }
}

impl fmt::Debug for RetryDelay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exponential { base, cap } => f
                .debug_struct("Exponential")
                .field("base", base)
                .field("cap", cap)
                .finish(),
            Self::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

/// Whether a window focus refetches a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusRefetch {
    /// Every focus refetches.
    Always,
    /// A focus refetches only when the data is older than the stale time.
    WhenStale,
    /// Focus never refetches.
    Never,
}

/// How one query is fetched and kept.
#[derive(Debug, Clone)]
pub struct Policy {
    /// After this long without a refresh the data is stale.
    pub stale_time: Duration,
    /// An inactive (unobserved, unpinned) query is dropped after this long.
    pub gc_time: Duration,
    pub refetch_interval: RefetchInterval,
    /// Keep polling while the window is hidden.
    pub background_refetch: bool,
    pub focus: FocusRefetch,
    /// A focus refetches only when the last request started at least this long ago, so a
    /// burst of focus events costs one request.
    pub focus_throttle: Duration,
    /// Refetch at once when the remote answers again after failing.
    pub reconnect_refetch: bool,
    /// Retries after a retryable failure before the query is in error.
    pub retries: u32,
    pub retry_delay: RetryDelay,
    /// A request that has not answered after this long fails as a timeout.
    pub request_timeout: Duration,
}

impl Policy {
    /// A policy polling every `interval`, with the given stale time, gc time and retries;
    /// exponential retry 1 s doubling to 15 s, a 10 s timeout, background and reconnect
    /// refetch on, focus refetch when stale.
    pub fn polling(
        interval: Duration,
        stale_time: Duration,
        gc_time: Duration,
        retries: u32,
    ) -> Self {
        Self {
            stale_time,
            gc_time,
            refetch_interval: RefetchInterval::Fixed(interval),
            background_refetch: true,
            focus: FocusRefetch::WhenStale,
            focus_throttle: Duration::from_secs(1),
            reconnect_refetch: true,
            retries,
            retry_delay: RetryDelay::Exponential {
                base: Duration::from_secs(1),
                cap: Duration::from_secs(15),
            },
            request_timeout: Duration::from_secs(10),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_delay_doubles_up_to_the_cap() {
        let delay = RetryDelay::Exponential {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(15),
        };
        let secs: Vec<u64> = (0..7).map(|a| delay.delay(a).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 15, 15, 15]);
        assert_eq!(delay.delay(200), Duration::from_secs(15));
    }
}
