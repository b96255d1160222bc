//! A generic query engine. Queries are named by hierarchical [`QueryKey`]s; each key's
//! [`Policy`] (stale time, gc time, refetch interval fixed or chosen by the data, background,
//! focus and reconnect refetch, retries and their delay, request timeout) comes from one
//! policy function. A query polls while observed or pinned and is dropped after its gc
//! time once neither; at most one request per key is in flight; refetch, invalidation (by
//! exact key or prefix), focus and reconnect trigger requests; answers go to a
//! [`Persist`] hook; every change goes to a [`Listener`].
//!
//! It knows nothing of what the keys mean: a [`Fetcher`] answers them with JSON.

mod connectivity;
mod engine;
mod hooks;
mod policy;
mod registry;
mod task;

pub use engine::{QueryEngine, UnknownKey};
pub use hooks::{CachedQuery, FetchError, Fetcher, Listener, NoPersist, Persist};
pub use policy::{DataFn, FocusRefetch, Policy, RefetchInterval, RetryDelay};
pub use registry::PolicyFn;

pub use sellerdash_state::{
    AppError, Connectivity, ErrorKind, QueryDiagnostics, QueryError, QueryKey, QuerySnapshot,
    QueryStatus,
};
