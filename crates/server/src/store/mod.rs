//! All SQL of the server lives under this module: the [`Store`] opens the SQLite database
//! (WAL, `synchronous=NORMAL`, foreign keys, busy timeout), runs the migrations and offers
//! one method per thing the routes, the demo seed and the simulator need.
//!
//! The SQL is kept portable (no SQLite-only functions, `ON CONFLICT` upserts, text
//! timestamps that sort in time order) so that a PostgreSQL store can be added later behind
//! the same methods when a marketplace runs several server instances. Only
//! [`Store::open`] and [`Store::write_tx`] are SQLite-specific today.

mod codec;
mod idempotency;
mod open;
mod order_read;
mod order_write;
mod payouts;
mod seed;
mod seller_write;
mod sellers;
mod stats;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

pub use codec::now;
pub use idempotency::Claim;
pub use order_read::OrderFilter;
pub use order_write::{MAX_ORDER_TOTAL_MINOR, MAX_QUANTITY, NewOrder, NewOrderItem};
pub use payouts::next_payout_date;
pub use seed::SeedOp;
pub use seller_write::{NewSeller, time_zone, token_digest};
pub use sellers::{NewProduct, Product, Seller};
pub use stats::{
    PeriodWindows, growth_bp, local_instant, local_midnight, month_to_date, period_start,
    period_windows,
};

/// A failure of the store. `NotFound`, `Invalid` and `Conflict` are answers about the
/// request; the rest are the server's own failures.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such row for this seller.
    #[error("{0}")]
    NotFound(String),
    /// The request names something that cannot be used (a product of another seller, say).
    #[error("{0}")]
    Invalid(String),
    /// The change is not allowed in the row's current state.
    #[error("{0}")]
    Conflict(String),
    /// The database file cannot be opened (or created) at `path`.
    #[error("cannot open the database {}: {reason}", path.display())]
    Open { path: PathBuf, reason: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value the code cannot read back (a bad status string, say).
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The seller API's database. Cheap to clone (a pool handle).
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if missing) the SQLite file at `path` and migrates it.
    pub async fn open(path: &Path) -> Result<Store> {
        open::check_path(path, false)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|err| open::sqlite_error(path, err))?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool })
    }

    /// Opens an existing database at `path` for reading only: no file is created, no
    /// migration runs, and a file without the seller API's tables is an [`Error::Open`].
    /// For the commands that only look (`tokens`, `sellers list`).
    pub async fn open_read_only(path: &Path) -> Result<Store> {
        open::check_path(path, true)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .create_if_missing(false)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|err| open::sqlite_error(path, err))?;
        let tables: std::result::Result<i64, sqlx::Error> = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sellers'",
        )
        .fetch_one(&pool)
        .await;
        match tables {
            Ok(1) => Ok(Store { pool }),
            Ok(_) => {
                pool.close().await;
                Err(open::failed(
                    path,
                    "not a seller API database (no sellers table); `serve` or `sellers add` creates one",
                ))
            }
            Err(err) => {
                pool.close().await;
                Err(open::sqlite_error(path, err))
            }
        }
    }

    /// Closes every connection; the handle is unusable afterwards.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`), so a
    /// read-then-write never fails on a lock upgrade; `busy_timeout` queues writers.
    /// PostgreSQL would use a plain `BEGIN` and row locks (`SELECT … FOR UPDATE`).
    async fn write_tx(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}
