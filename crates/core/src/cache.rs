//! [`SqliteStore`]: the [`Store`] in one SQLite file (`<data_dir>/cache.sqlite`), opened with
//! WAL, `synchronous=Normal` and a busy timeout, migrated by `sqlx::migrate!`.
//!
//! - **One writer.** Every write goes through one connection, taken in turn
//!   ([`SqliteStore::begin_write`]: writers queue in order, none ever meets "database is
//!   locked"); reads use their own connections ([`SqliteStore::read`]), which WAL never
//!   blocks. Every connection is opened with the store and lives as long as it: nothing
//!   connects, pings or times out mid-poll.
//! - **Version stamp.** `cache_meta.contract` names the [`CACHE_CONTRACT`] the cached JSON
//!   was written in; at open, answers stamped with another one are dropped, not shown.
//! - **Unreadable file.** A file that cannot be opened, migrated or passes no quick check
//!   (garbage, truncated, a directory in its place) is moved aside to
//!   `cache.sqlite.corrupt-<unix seconds>` and a new one built; the store then reports a
//!   [`StoreNotice::Rebuilt`] naming where the old file was kept.
//! - **Full disk.** A write refused for lack of space (or an I/O error) switches the store
//!   to memory: answers and notified ids are kept in memory for the rest of the run
//!   ([`StoreNotice::MemoryOnly`]), the disk is tried again every [`DISK_RETRY`], and what
//!   memory holds is written to it as soon as it takes writes ([`StoreNotice::DiskBack`]).
//! - **Bounded.** Answers not refreshed for [`KEEP_UNUSED`] are dropped at open.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sellerdash_state::QueryKey;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Executor, Row};
use tokio::sync::{Mutex as AsyncMutex, OwnedMappedMutexGuard, OwnedMutexGuard};
use tokio::time::Instant;

use crate::store::{CachedQuery, NoticeSink, Store, StoreError, StoreNotice};

/// The cache file's name inside the data directory.
pub const CACHE_FILE: &str = "cache.sqlite";

/// The version of the contract JSON the cached answers are written in. Bump it when a
/// contract type changes incompatibly: answers cached by an app with another version are
/// dropped at open.
pub const CACHE_CONTRACT: u32 = 1;

/// Cached answers not refreshed for this long are dropped at open.
pub const KEEP_UNUSED: chrono::TimeDelta = chrono::TimeDelta::days(60);

/// How long a store kept in memory waits before trying the disk again.
pub const DISK_RETRY: Duration = Duration::from_secs(60);

/// How long a connection waits for a lock held by another one before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Read connections (the UI's snapshots never read SQLite; start-up and exports do).
const READERS: usize = 4;

/// The query cache and notified-order set in SQLite. Clones share the same connections.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    /// The only connection that writes; `None` once closed.
    writer: Arc<AsyncMutex<Option<SqliteConnection>>>,
    /// Set while a write transaction is open on the writer (one dropped without commit is
    /// rolled back by the next writer).
    in_transaction: Arc<AtomicBool>,
    /// Connections that only read; `None` once closed.
    readers: Vec<Arc<AsyncMutex<Option<SqliteConnection>>>>,
    next_reader: AtomicUsize,
    /// Where the unreadable file found at open was kept, and why it was unreadable.
    rebuilt: Option<(PathBuf, String)>,
    /// Set while the disk refuses writes.
    memory: Mutex<Option<Fallback>>,
    sink: Mutex<Option<NoticeSink>>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("rebuilt", &self.rebuilt)
            .field("memory_only", &lock(&self.memory).is_some())
            .finish_non_exhaustive()
    }
}

/// A transaction (`BEGIN IMMEDIATE`) on the cache's one write connection
/// ([`SqliteStore::begin_write`]). It derefs to the connection, so `&mut *tx` is an executor;
/// [`commit`](Self::commit) it, or drop it to roll it back. Other writers wait until it ends.
pub struct WriteTx {
    conn: OwnedMappedMutexGuard<Option<SqliteConnection>, SqliteConnection>,
    in_transaction: Arc<AtomicBool>,
}

impl WriteTx {
    pub async fn commit(mut self) -> Result<(), StoreError> {
        self.conn.execute("COMMIT").await?;
        self.in_transaction.store(false, Ordering::SeqCst);
        Ok(())
    }
}

impl std::ops::Deref for WriteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.conn
    }
}

/// One of the cache's read connections ([`SqliteStore::read`]), held until dropped.
pub type ReadConn = OwnedMappedMutexGuard<Option<SqliteConnection>, SqliteConnection>;

/// What the store holds in memory while the disk refuses writes.
#[derive(Debug, Default, Clone)]
struct Fallback {
    queries: BTreeMap<String, CachedQuery>,
    notified: BTreeMap<String, DateTime<Utc>>,
    retry_at: Option<Instant>,
}

impl Fallback {
    fn keep(&mut self, queries: &[(String, CachedQuery)], notified: &[(String, DateTime<Utc>)]) {
        for (key, entry) in queries {
            self.queries.insert(key.clone(), entry.clone());
        }
        for (id, at) in notified {
            self.notified.entry(id.clone()).or_insert(*at);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SqliteStore {
    /// Opens (creating it and its directory if needed) `<data_dir>/cache.sqlite`. An
    /// unreadable file is renamed to `cache.sqlite.corrupt-<unix seconds>` and a fresh one
    /// created; [`Self::rebuilt`] then says where it was kept.
    pub fn open_in(data_dir: &Path) -> BoxFuture<'_, Result<Self, StoreError>> {
        Box::pin(async move {
            std::fs::create_dir_all(data_dir)?;
            let path = data_dir.join(CACHE_FILE);
            match Self::open(&path).await {
                Ok(store) => Ok(store),
                Err(error) => {
                    let aside = move_aside(&path)?;
                    tracing::warn!(%error, moved_to = %aside.display(), "the cache could not be opened; starting with an empty one");
                    let mut store = Self::open(&path).await?;
                    if let Some(inner) = Arc::get_mut(&mut store.inner) {
                        inner.rebuilt = Some((aside, error.to_string()));
                    }
                    Ok(store)
                }
            }
        })
    }

    /// Opens the SQLite file at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> BoxFuture<'_, Result<Self, StoreError>> {
        Box::pin(async move {
            if path.is_dir() {
                return Err(StoreError::Corrupt(format!(
                    "{} is a directory, not a database",
                    path.display()
                )));
            }
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(BUSY_TIMEOUT)
                .foreign_keys(true);
            // One connection that lives as long as the store: per-connection settings stick.
            let mut writer = connect(options.clone()).await?;
            if let Err(error) = init(&mut writer).await {
                // Closing a connection to a damaged file may itself fail; it is moved aside next.
                let _ = writer.close().await;
                return Err(error);
            }
            let mut readers = Vec::new();
            for _ in 0..READERS {
                match connect(options.clone().read_only(true)).await {
                    Ok(reader) => readers.push(Arc::new(AsyncMutex::new(Some(reader)))),
                    Err(error) => {
                        let _ = writer.close().await;
                        return Err(error.into());
                    }
                }
            }
            Ok(Self {
                inner: Arc::new(Inner {
                    writer: Arc::new(AsyncMutex::new(Some(writer))),
                    in_transaction: Arc::new(AtomicBool::new(false)),
                    readers,
                    next_reader: AtomicUsize::new(0),
                    rebuilt: None,
                    memory: Mutex::new(None),
                    sink: Mutex::new(None),
                }),
            })
        })
    }

    /// Starts a transaction on the one write connection, after every write queued before it
    /// (in order, without a timeout). This is how other parts of the app write their own
    /// tables in the cache file; keep transactions short, the pollers' writes wait for them.
    pub fn begin_write(&self) -> BoxFuture<'_, Result<WriteTx, StoreError>> {
        Box::pin(async move {
            let turn = self.writer_turn().await?;
            self.begin_on(turn).await
        })
    }

    /// Waits for the writer's turn (without starting a transaction).
    async fn writer_turn(&self) -> Result<ReadConn, StoreError> {
        let turn = Arc::clone(&self.inner.writer).lock_owned().await;
        OwnedMutexGuard::try_map(turn, Option::as_mut).map_err(|_| StoreError::Closed)
    }

    async fn begin_on(&self, mut conn: ReadConn) -> Result<WriteTx, StoreError> {
        if self.inner.in_transaction.swap(false, Ordering::SeqCst) {
            // Dropped without a commit (or its commit failed and SQLite already rolled back).
            if let Err(error) = conn.execute("ROLLBACK").await {
                tracing::debug!(%error, "nothing to roll back");
            }
        }
        conn.execute("BEGIN IMMEDIATE").await?;
        self.inner.in_transaction.store(true, Ordering::SeqCst);
        Ok(WriteTx {
            conn,
            in_transaction: Arc::clone(&self.inner.in_transaction),
        })
    }

    /// A read connection: a free one if there is one, else the next in turn once free.
    pub fn read(&self) -> BoxFuture<'_, Result<ReadConn, StoreError>> {
        Box::pin(async move {
            let readers = &self.inner.readers;
            let free = readers
                .iter()
                .find_map(|reader| Arc::clone(reader).try_lock_owned().ok());
            let guard = match free {
                Some(guard) => guard,
                None => {
                    let next =
                        self.inner.next_reader.fetch_add(1, Ordering::Relaxed) % readers.len();
                    Arc::clone(&readers[next]).lock_owned().await
                }
            };
            OwnedMutexGuard::try_map(guard, Option::as_mut).map_err(|_| StoreError::Closed)
        })
    }

    /// Where the unreadable cache file found at open was kept, and SQLite's complaint.
    pub fn rebuilt(&self) -> Option<(&Path, &str)> {
        self.inner
            .rebuilt
            .as_ref()
            .map(|(path, reason)| (path.as_path(), reason.as_str()))
    }

    /// True while the disk refuses writes and the store keeps them in memory.
    pub fn is_memory_only(&self) -> bool {
        lock(&self.inner.memory).is_some()
    }

    /// Ties the cached answers to one marketplace account: when `scope` differs from the
    /// one stored, the cached answers (another account's data) are dropped. Returns whether
    /// they were. The notified-order set is kept: order ids are opaque and unique.
    pub fn set_scope<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let mut tx = self.begin_write().await?;
            let stored = meta(&mut tx, "scope").await?;
            let changed = stored.as_deref() != Some(scope);
            if changed {
                if stored.is_some() {
                    sqlx::query("DELETE FROM query_cache")
                        .execute(&mut *tx)
                        .await?;
                }
                set_meta(&mut tx, "scope", scope).await?;
            }
            tx.commit().await?;
            Ok(changed && stored.is_some())
        })
    }

    async fn load(&self) -> Result<Vec<CachedQuery>, StoreError> {
        let rows =
            sqlx::query("SELECT query_key, data, fetched_at FROM query_cache ORDER BY query_key")
                .fetch_all(&mut *self.read().await?)
                .await?;
        let mut entries = BTreeMap::new();
        for row in rows {
            let key: String = row.try_get("query_key")?;
            match decode_row(&key, row.try_get("data")?, row.try_get("fetched_at")?) {
                Ok(entry) => {
                    entries.insert(key, entry);
                }
                Err(error) => tracing::warn!(%error, key, "skipping an unreadable cache entry"),
            }
        }
        if let Some(memory) = lock(&self.inner.memory).as_ref() {
            for (key, entry) in &memory.queries {
                entries.insert(key.clone(), entry.clone());
            }
        }
        Ok(entries.into_values().collect())
    }

    async fn notified(&self) -> Result<HashSet<String>, StoreError> {
        let rows = sqlx::query("SELECT order_id FROM notified_orders")
            .fetch_all(&mut *self.read().await?)
            .await?;
        let mut ids = rows
            .iter()
            .map(|row| {
                row.try_get::<String, _>("order_id")
                    .map_err(StoreError::from)
            })
            .collect::<Result<HashSet<String>, _>>()?;
        if let Some(memory) = lock(&self.inner.memory).as_ref() {
            ids.extend(memory.notified.keys().cloned());
        }
        Ok(ids)
    }

    /// Writes answers and notified ids in one transaction of the writer; while the disk
    /// refuses writes, into memory (see the module's doc).
    async fn write(
        &self,
        queries: &[CachedQuery],
        notified: &[String],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let queries = queries
            .iter()
            .map(|entry| {
                serde_json::to_string(&entry.key)
                    .map(|key| (key, entry.clone()))
                    .map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let notified: Vec<(String, DateTime<Utc>)> =
            notified.iter().map(|id| (id.clone(), at)).collect();
        // The writer's turn is taken first, so the memory fallback sees writes in order.
        let turn = self.writer_turn().await?;
        let held = {
            let mut memory = lock(&self.inner.memory);
            match memory.as_mut() {
                Some(fallback) if fallback.retry_at.is_some_and(|at| Instant::now() < at) => {
                    fallback.keep(&queries, &notified);
                    return Ok(());
                }
                Some(fallback) => Some(fallback.clone()),
                None => None,
            }
        };
        // The disk first gets what memory held (older), then this write.
        let mut all_queries: Vec<(String, CachedQuery)> = held
            .as_ref()
            .map(|h| h.queries.clone().into_iter().collect())
            .unwrap_or_default();
        all_queries.extend(queries.iter().cloned());
        let mut all_notified: Vec<(String, DateTime<Utc>)> = held
            .as_ref()
            .map(|h| h.notified.clone().into_iter().collect())
            .unwrap_or_default();
        all_notified.extend(notified.iter().cloned());
        let written = async {
            let mut tx = self.begin_on(turn).await?;
            write_rows(&mut tx, &all_queries, &all_notified).await?;
            tx.commit().await
        }
        .await;
        match written {
            Ok(()) => {
                if held.is_some() {
                    *lock(&self.inner.memory) = None;
                    tracing::info!("the cache is written to disk again");
                    self.notify(StoreNotice::DiskBack);
                }
                Ok(())
            }
            Err(error) if is_out_of_disk(&error) => {
                let newly = {
                    let mut memory = lock(&self.inner.memory);
                    let newly = memory.is_none();
                    let fallback = memory.get_or_insert_with(Fallback::default);
                    fallback.keep(&queries, &notified);
                    fallback.retry_at = Some(Instant::now() + DISK_RETRY);
                    newly
                };
                if newly {
                    tracing::warn!(%error, "the cache cannot be written; keeping it in memory");
                    self.notify(StoreNotice::MemoryOnly {
                        reason: error.to_string(),
                    });
                }
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    fn notify(&self, notice: StoreNotice) {
        let sink = lock(&self.inner.sink).clone();
        if let Some(sink) = sink {
            sink(notice);
        }
    }
}

async fn write_rows(
    tx: &mut WriteTx,
    queries: &[(String, CachedQuery)],
    notified: &[(String, DateTime<Utc>)],
) -> Result<(), StoreError> {
    for (key, entry) in queries {
        sqlx::query(
            "INSERT INTO query_cache (query_key, data, fetched_at) VALUES (?, ?, ?)
             ON CONFLICT (query_key) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at",
        )
        .bind(key)
        .bind(entry.data.to_string())
        .bind(entry.fetched_at.to_rfc3339())
        .execute(&mut **tx)
        .await?;
    }
    for (id, at) in notified {
        sqlx::query("INSERT OR IGNORE INTO notified_orders (order_id, notified_at) VALUES (?, ?)")
            .bind(id)
            .bind(at.to_rfc3339())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Opens one connection (boxed, so callers' futures stay `Send`).
fn connect(
    options: SqliteConnectOptions,
) -> BoxFuture<'static, Result<SqliteConnection, sqlx::Error>> {
    Box::pin(async move { options.connect().await })
}

/// Migrates, checks and version-stamps a freshly opened file (boxed, so callers' futures
/// stay `Send`).
fn init(writer: &mut SqliteConnection) -> BoxFuture<'_, Result<(), StoreError>> {
    Box::pin(init_inner(writer))
}

async fn init_inner(writer: &mut SqliteConnection) -> Result<(), StoreError> {
    // `run_direct` on the connection itself: `run` takes an `Acquire`, whose future is not
    // `Send` for every lifetime (sqlx's documented way around it).
    sqlx::migrate!("./migrations")
        .run_direct(None, &mut *writer, false)
        .await?;
    // Read every page's structure now, so a damaged file fails here, at start-up, not
    // mid-poll.
    let check: String = sqlx::query_scalar("PRAGMA quick_check(1)")
        .fetch_one(&mut *writer)
        .await?;
    if check != "ok" {
        return Err(StoreError::Corrupt(format!("integrity check: {check}")));
    }
    sqlx::query("SELECT count(*) FROM query_cache")
        .fetch_one(&mut *writer)
        .await?;
    sqlx::query("SELECT count(*) FROM notified_orders")
        .fetch_one(&mut *writer)
        .await?;
    let mut tx = writer.begin().await?;
    let contract = CACHE_CONTRACT.to_string();
    let stamped = meta(&mut tx, "contract").await?;
    if stamped.as_deref() != Some(contract.as_str()) {
        let dropped = sqlx::query("DELETE FROM query_cache")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if dropped > 0 {
            tracing::info!(
                dropped,
                stamped = stamped.as_deref().unwrap_or("none"),
                "dropped answers cached in another contract version"
            );
        }
        set_meta(&mut tx, "contract", &contract).await?;
    }
    // Answers nobody fetched for a long time (an order looked at once, a search) go, so the
    // file does not grow without end. RFC 3339 UTC: the first 19 characters sort as time.
    let cutoff = (Utc::now() - KEEP_UNUSED)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    sqlx::query("DELETE FROM query_cache WHERE substr(fetched_at, 1, 19) < ?")
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn meta(conn: &mut SqliteConnection, name: &str) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT value FROM cache_meta WHERE name = ?")
            .bind(name)
            .fetch_optional(conn)
            .await?,
    )
}

async fn set_meta(conn: &mut SqliteConnection, name: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO cache_meta (name, value) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )
    .bind(name)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

/// True when SQLite refused a write for lack of space or an I/O failure (`SQLITE_FULL`,
/// `SQLITE_IOERR_*`), the errors that memory-only caching answers.
fn is_out_of_disk(error: &StoreError) -> bool {
    const SQLITE_IOERR: i64 = 10;
    const SQLITE_FULL: i64 = 13;
    match error {
        StoreError::Io(_) | StoreError::Database(sqlx::Error::Io(_)) => true,
        StoreError::Database(sqlx::Error::Database(db)) => db
            .code()
            .and_then(|code| code.parse::<i64>().ok())
            .is_some_and(|code| matches!(code & 0xff, SQLITE_IOERR | SQLITE_FULL)),
        _ => false,
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

/// Renames the file (or whatever is in its place) out of the way and removes its WAL and
/// shared-memory companions, which belong to it.
fn move_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp = Utc::now().timestamp();
    let mut aside = path.with_extension(format!("sqlite.corrupt-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = path.with_extension(format!("sqlite.corrupt-{stamp}-{n}"));
    }
    if path.exists() {
        std::fs::rename(path, &aside)?;
    }
    for suffix in ["-wal", "-shm"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        let companion = PathBuf::from(companion);
        if companion.is_dir() {
            std::fs::remove_dir_all(&companion)?;
        } else if companion.exists() {
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
        Box::pin(self.write(std::slice::from_ref(entry), &[], Utc::now()))
    }

    fn save_queries<'a>(
        &'a self,
        entries: &'a [CachedQuery],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.write(entries, &[], Utc::now()))
    }

    fn notified_ids(&self) -> BoxFuture<'_, Result<HashSet<String>, StoreError>> {
        Box::pin(self.notified())
    }

    fn add_notified<'a>(
        &'a self,
        ids: &'a [String],
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.write(&[], ids, at))
    }

    fn on_notice(&self, sink: NoticeSink) {
        if let Some((kept_as, reason)) = &self.inner.rebuilt {
            sink(StoreNotice::Rebuilt {
                kept_as: kept_as.clone(),
                reason: reason.clone(),
            });
        }
        if let Some(reason) = lock(&self.inner.memory).as_ref().map(|_| String::new()) {
            sink(StoreNotice::MemoryOnly { reason });
        }
        *lock(&self.inner.sink) = Some(sink);
    }

    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            for reader in &self.inner.readers {
                if let Some(conn) = reader.lock().await.take() {
                    let _ = conn.close().await;
                }
            }
            // After the queued writes: the last connection checkpoints the WAL into the file.
            if let Some(conn) = self.inner.writer.lock().await.take()
                && let Err(error) = conn.close().await
            {
                tracing::warn!(%error, "closing the cache");
            }
        })
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
