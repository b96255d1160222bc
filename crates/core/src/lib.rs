//! Sellerdash's core: it polls a marketplace's seller API, keeps every answer as an
//! observable [`QuerySnapshot`], caches answers in SQLite, detects new pending orders,
//! tracks connectivity and runs the seller's actions. It knows nothing of Tauri or a UI and
//! reports every change as a [`CoreEvent`] through the [`EventSink`] it is started with.
//!
//! Layout: [`Source`] is the marketplace boundary ([`HttpSource`] speaks the reference
//! contract); the generic engine (`sellerdash-query`) runs the queries; `queries.rs` names
//! the seller keys and the source call of each; [`Policies`] hold every query's timing;
//! [`Store`] persists ([`SqliteStore`] on disk, [`MemoryStore`] in memory) and is the
//! engine's persistence hook; the notifier detects new pending orders; the outbox stores and replays the seller's actions; [`export`] writes the CSV exports.

mod cache;
mod check;
pub mod export;
mod handle;
mod http;
mod notifier;
mod outbox;
mod policy;
mod queries;
mod shared;
mod source;
mod store;

pub use cache::{
    CACHE_CONTRACT, CACHE_FILE, DISK_RETRY, KEEP_UNUSED, ReadConn, SqliteStore, WriteTx,
    account_scope,
};
pub use check::{CHECK_TIMEOUT, check_connection};
pub use export::CsvExport;
pub use handle::{Core, CoreConfig, CoreError, CoreHandle, SHUTDOWN_TIMEOUT, channel_sink};
pub use http::{HttpOptions, HttpSource, HttpSourceError};
pub use outbox::{
    FIRST_BACKOFF, MAX_BACKOFF, MemoryOutbox, OutboxStore, SqliteOutbox, StoredAction, backoff,
};
pub use policy::{FocusPolicy, Policies, QueryPolicy, SalesIntervals};
pub use queries::SalesActivity;
pub use shared::EventSink;
pub use source::{Source, SourceError, SourceResult};
pub use store::{CachedQuery, MemoryStore, NoticeSink, Store, StoreError, StoreNotice};

pub use sellerdash_state::outbox::{ActionOutcome, OutboxAction, OutboxEntry, OutboxState};
pub use sellerdash_state::{
    AppError, CacheNotice, CacheNoticeKind, Connectivity, CoreEvent, ErrorKind, NewPendingOrders,
    QueryDiagnostics, QueryKey, QuerySnapshot, QueryStatus,
};
