//! [`SqliteStore`]: the [`Store`] in one SQLite file (`<data_dir>/cache.sqlite`), opened with
//! WAL, `synchronous=Normal` and a busy timeout, migrated by `sqlx::migrate!`. A file that
//! cannot be opened or migrated is moved aside and the cache starts empty: it is only a cache.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sellerdash_state::QueryKey;
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::store::{CachedQuery, Store, StoreError};

/// The cache file's name inside the data directory.
pub const CACHE_FILE: &str = "cache.sqlite";

/// The query cache and notified-order set in SQLite.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating it and its directory if needed) `<data_dir>/cache.sqlite`. A corrupt
    /// file is renamed to `cache.sqlite.corrupt-<unix seconds>` and a fresh one created.
    pub async fn open_in(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)?;
        let path = data_dir.join(CACHE_FILE);
        match Self::open(&path).await {
            Ok(store) => Ok(store),
            Err(error) => {
                let aside = move_aside(&path)?;
                tracing::warn!(%error, moved_to = %aside.display(), "the cache could not be opened; starting with an empty one");
                Self::open(&path).await
            }
        }
    }

    /// Opens the SQLite file at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await?;
        let store = Self { pool };
        if let Err(error) = store.init().await {
            store.pool.close().await;
            return Err(error);
        }
        Ok(store)
    }

    /// The connection pool, for the core's other tables in this file (the outbox).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    async fn init(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations").run(&self.pool).await?;
        // Touch both tables so a damaged file fails here, at start-up, not mid-poll.
        sqlx::query("SELECT count(*) FROM query_cache")
            .fetch_one(&self.pool)
            .await?;
        sqlx::query("SELECT count(*) FROM notified_orders")
            .fetch_one(&self.pool)
            .await?;
        Ok(())
    }

    /// Ties the cached answers to one marketplace account: when `scope` differs from the
    /// one stored, the cached answers (another account's data) are dropped. Returns whether
    /// they were. The notified-order set is kept: order ids are opaque and unique.
    pub async fn set_scope(&self, scope: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let stored: Option<String> =
            sqlx::query_scalar("SELECT value FROM cache_meta WHERE name = 'scope'")
                .fetch_optional(&mut *tx)
                .await?;
        let changed = stored.as_deref() != Some(scope);
        if changed {
            if stored.is_some() {
                sqlx::query("DELETE FROM query_cache")
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO cache_meta (name, value) VALUES ('scope', ?)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )
            .bind(scope)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(changed && stored.is_some())
    }

    async fn load(&self) -> Result<Vec<CachedQuery>, StoreError> {
        let rows =
            sqlx::query("SELECT query_key, data, fetched_at FROM query_cache ORDER BY query_key")
                .fetch_all(&self.pool)
                .await?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let key: String = row.try_get("query_key")?;
            match decode_row(&key, row.try_get("data")?, row.try_get("fetched_at")?) {
                Ok(entry) => entries.push(entry),
                Err(error) => tracing::warn!(%error, key, "skipping an unreadable cache entry"),
            }
        }
        Ok(entries)
    }

    async fn save(&self, entry: &CachedQuery) -> Result<(), StoreError> {
        let key =
            serde_json::to_string(&entry.key).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO query_cache (query_key, data, fetched_at) VALUES (?, ?, ?)
             ON CONFLICT (query_key) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at",
        )
        .bind(key)
        .bind(entry.data.to_string())
        .bind(entry.fetched_at.to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn notified(&self) -> Result<HashSet<String>, StoreError> {
        let rows = sqlx::query("SELECT order_id FROM notified_orders")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                row.try_get::<String, _>("order_id")
                    .map_err(StoreError::from)
            })
            .collect()
    }

    async fn add(&self, ids: &[String], at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for id in ids {
            sqlx::query(
                "INSERT OR IGNORE INTO notified_orders (order_id, notified_at) VALUES (?, ?)",
            )
            .bind(id)
            .bind(at.to_rfc3339())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

fn decode_row(key: &str, data: String, fetched_at: String) -> Result<CachedQuery, StoreError> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::Corrupt(e.to_string());
    Ok(CachedQuery {
        key: serde_json::from_str::<QueryKey>(key).map_err(|e| corrupt(&e))?,
        data: serde_json::from_str(&data).map_err(|e| corrupt(&e))?,
        fetched_at: DateTime::<Utc>::from_str(&fetched_at).map_err(|e| corrupt(&e))?,
    })
}

/// Renames the file (and its WAL and shared-memory companions) out of the way.
fn move_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp = Utc::now().timestamp();
    let aside = path.with_extension(format!("sqlite.corrupt-{stamp}"));
    if path.exists() {
        std::fs::rename(path, &aside)?;
    }
    for suffix in ["-wal", "-shm"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        let companion = PathBuf::from(companion);
        if companion.exists() {
            std::fs::remove_file(&companion)?;
        }
    }
    Ok(aside)
}

impl Store for SqliteStore {
    fn load_queries(&self) -> BoxFuture<'_, Result<Vec<CachedQuery>, StoreError>> {
        Box::pin(self.load())
    }

    fn save_query<'a>(&'a self, entry: &'a CachedQuery) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.save(entry))
    }

    fn notified_ids(&self) -> BoxFuture<'_, Result<HashSet<String>, StoreError>> {
        Box::pin(self.notified())
    }

    fn add_notified<'a>(
        &'a self,
        ids: &'a [String],
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.add(ids, at))
    }

    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.pool.close())
    }
}

/// A stable fingerprint of a marketplace account (URL and token) for [`SqliteStore::set_scope`]:
/// FNV-1a over both, so the token itself is never written to disk.
pub fn account_scope(marketplace_url: &str, token: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in marketplace_url
        .trim_end_matches('/')
        .bytes()
        .chain([0])
        .chain(token.bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}
