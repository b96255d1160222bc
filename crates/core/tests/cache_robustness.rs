//! The SQLite cache when things go wrong, on real files: answers cached by another app
//! version are not shown, an unreadable file (garbage, truncated, a directory) is moved aside
//! and the core says so, a full disk keeps the cache in memory with a warning and goes back
//! to the disk when it has room, and polling, actions and reads together never meet
//! "database is locked".

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use common::{FakeSource, summary};
use sellerdash_core::{
    CACHE_CONTRACT, CACHE_FILE, CacheNotice, CacheNoticeKind, CachedQuery, Core, CoreConfig,
    CoreEvent, DISK_RETRY, OutboxAction, OutboxState, OutboxStore, Policies, QueryKey,
    SqliteOutbox, SqliteStore, Store, StoreNotice, channel_sink,
};
use serde_json::json;

fn config(dir: &std::path::Path) -> CoreConfig {
    CoreConfig {
        marketplace_url: "http://127.0.0.1:9".into(),
        token: "unused".into(),
        data_dir: dir.to_path_buf(),
        policies: Policies::default().scaled(0.05),
    }
}

fn entry(key: QueryKey, data: serde_json::Value) -> CachedQuery {
    CachedQuery {
        key,
        data,
        fetched_at: Utc::now() - TimeDelta::minutes(12),
    }
}

fn dashboard_json() -> serde_json::Value {
    serde_json::to_value(common::dashboard(7, 1)).unwrap()
}

fn notices_of(events: &[CoreEvent]) -> Option<Vec<CacheNotice>> {
    events.iter().rev().find_map(|event| match event {
        CoreEvent::CacheNotices { notices } => Some(notices.clone()),
        _ => None,
    })
}

fn drain(events: &mut tokio::sync::mpsc::UnboundedReceiver<CoreEvent>) -> Vec<CoreEvent> {
    std::iter::from_fn(|| events.try_recv().ok()).collect()
}

fn aside_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("cache.sqlite.corrupt-")
        })
        .collect()
}

#[tokio::test]
async fn answers_cached_by_another_contract_version_are_dropped_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    store
        .save_query(&entry(QueryKey::dashboard(), dashboard_json()))
        .await
        .unwrap();
    store
        .add_notified(&["o1".into()], Utc::now())
        .await
        .unwrap();
    store.close().await;

    // The same version: kept.
    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    assert_eq!(store.load_queries().await.unwrap().len(), 1);
    // An older app stamped the file with its version.
    let mut tx = store.begin_write().await.unwrap();
    sqlx::query("UPDATE cache_meta SET value = ? WHERE name = 'contract'")
        .bind((CACHE_CONTRACT - 1).to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    store.close().await;

    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    assert!(store.load_queries().await.unwrap().is_empty());
    // The notified set is not contract JSON: kept, so no order is announced twice.
    assert!(store.notified_ids().await.unwrap().contains("o1"));
    let stamp: String = sqlx::query_scalar("SELECT value FROM cache_meta WHERE name = 'contract'")
        .fetch_one(&mut *store.read().await.unwrap())
        .await
        .unwrap();
    assert_eq!(stamp, CACHE_CONTRACT.to_string());
    store.close().await;
}

#[tokio::test]
async fn a_cached_answer_that_no_longer_decodes_is_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    let old_shape = json!({ "revenue_cents": 1200, "orders": "12" });
    store
        .save_queries(&[
            entry(QueryKey::dashboard(), old_shape),
            entry(QueryKey::payout_stats(), json!([1, 2, 3])),
            entry(
                QueryKey::dashboard_period(sellerdash_api::Period::Today),
                dashboard_json(),
            ),
        ])
        .await
        .unwrap();
    store.close().await;

    let source = FakeSource::new();
    source.set_delay(Duration::from_secs(30));
    let (sink, _events) = channel_sink();
    let core = Core::start_with_source(config(dir.path()), source, sink)
        .await
        .unwrap();
    // The readable answer is shown from the cache; the others as not loaded yet.
    let today = core
        .snapshot(&QueryKey::dashboard_period(sellerdash_api::Period::Today))
        .unwrap();
    assert!(today.from_cache);
    assert_eq!(today.data, Some(dashboard_json()));
    let dashboard = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert_eq!(dashboard.data, None);
    assert!(!dashboard.from_cache);
    assert!(core.snapshot(&QueryKey::payout_stats()).is_none());
    core.shutdown().await;
}

#[tokio::test]
async fn every_cached_query_of_the_account_is_restored_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    store
        .set_scope(&sellerdash_core::account_scope(
            "http://127.0.0.1:9",
            "unused",
        ))
        .await
        .unwrap();
    let order = common::order_from(&summary("o-7", 5));
    let page = json!({ "orders": [], "total": 0, "page": 2, "per_page": 50 });
    let payouts = serde_json::to_value(sellerdash_api::PayoutHistory {
        payouts: Vec::new(),
        total_paid: sellerdash_api::Money::new(0, sellerdash_api::Currency::EUR),
    })
    .unwrap();
    let keys = [
        (
            QueryKey::order("o-7"),
            serde_json::to_value(&order).unwrap(),
        ),
        (
            QueryKey::sales_page(&[sellerdash_api::OrderStatus::Shipped], "", 2),
            page,
        ),
        (QueryKey::payout_history_year(2026), payouts),
        (
            QueryKey::dashboard_period(sellerdash_api::Period::Months12),
            dashboard_json(),
        ),
    ];
    let entries: Vec<CachedQuery> = keys
        .iter()
        .map(|(key, data)| entry(key.clone(), data.clone()))
        .collect();
    store.save_queries(&entries).await.unwrap();
    store.close().await;

    // The marketplace never answers: every page still has its data, with its age.
    let source = FakeSource::new();
    source.set_delay(Duration::from_secs(3600));
    let (sink, _events) = channel_sink();
    let core = Core::start_with_source(config(dir.path()), source, sink)
        .await
        .unwrap();
    for stored in &entries {
        let snapshot = core.observe(&stored.key).unwrap();
        assert!(snapshot.from_cache, "{}", stored.key);
        assert_eq!(snapshot.data.as_ref(), Some(&stored.data), "{}", stored.key);
        assert_eq!(
            snapshot.updated_at,
            Some(stored.fetched_at),
            "{}",
            stored.key
        );
    }
    core.shutdown().await;
}

#[tokio::test]
async fn garbage_truncated_or_a_directory_in_place_of_the_cache_is_moved_aside_and_said() {
    // Garbage bytes.
    let garbage = tempfile::tempdir().unwrap();
    std::fs::write(garbage.path().join(CACHE_FILE), b"not a database at all").unwrap();
    // A real cache, truncated mid-file.
    let truncated = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open_in(truncated.path()).await.unwrap();
        let entries: Vec<CachedQuery> = (0..400)
            .map(|i| {
                entry(
                    QueryKey::order(&format!("o{i}")),
                    json!({ "pad": "x".repeat(400) }),
                )
            })
            .collect();
        store.save_queries(&entries).await.unwrap();
        // Closing the last connection checkpoints the WAL into the file.
        store.close().await;
        let path = truncated.path().join(CACHE_FILE);
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 64 * 1024);
        std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    }
    // A directory where the file should be.
    let directory = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(directory.path().join(CACHE_FILE).join("inside")).unwrap();

    for dir in [&garbage, &truncated, &directory] {
        let source = FakeSource::new();
        source.set_pending(vec![summary("a", 1)]);
        let (sink, mut events) = channel_sink();
        let core = Core::start_with_source(config(dir.path()), source, sink)
            .await
            .unwrap();
        let aside = aside_files(dir.path());
        assert_eq!(aside.len(), 1, "{:?}", dir.path());
        let notices = core.cache_notices();
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].kind, CacheNoticeKind::Rebuilt);
        assert!(
            notices[0].message.starts_with(
                "The local cache was unreadable and has been rebuilt; the unreadable file was kept as "
            ),
            "{}",
            notices[0].message
        );
        assert!(notices[0].message.contains(&aside[0].display().to_string()));
        // Reported as an event too, before any answer.
        let early = drain(&mut events);
        assert_eq!(notices_of(&early), Some(notices.clone()));

        // The new cache fills again from the marketplace.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let snap = core.snapshot(&QueryKey::pending_orders()).unwrap();
            if snap.data.is_some() && !snap.from_cache {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "no answer");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Dismissed once, gone for good.
        assert!(core.dismiss_cache_notice(notices[0].id));
        assert!(core.cache_notices().is_empty());
        assert!(!core.dismiss_cache_notice(notices[0].id));
        core.shutdown().await;
        let store = SqliteStore::open_in(dir.path()).await.unwrap();
        assert!(store.rebuilt().is_none(), "the rebuilt file opens cleanly");
        let keys: Vec<QueryKey> = store
            .load_queries()
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.key)
            .collect();
        assert!(keys.contains(&QueryKey::pending_orders()), "{keys:?}");
        store.close().await;
    }
}

/// Caps the file at its current size on the writer, so the next growth fails with
/// `SQLITE_FULL` as on a full disk.
async fn fill_the_disk(store: &SqliteStore) {
    set_max_pages(store, None).await;
}

/// `PRAGMA max_page_count` on the writer: the file's current size (`None`) or `pages`.
async fn set_max_pages(store: &SqliteStore, pages: Option<i64>) {
    let mut tx = store.begin_write().await.unwrap();
    let pages = match pages {
        Some(pages) => pages,
        None => sqlx::query_scalar("PRAGMA page_count")
            .fetch_one(&mut *tx)
            .await
            .unwrap(),
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "PRAGMA max_page_count = {pages}"
    )))
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_full_disk_keeps_the_cache_in_memory_says_so_and_goes_back_to_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    // Every connection is open: from here on the clock is simulated.
    tokio::time::pause();
    let told = Arc::new(std::sync::Mutex::new(Vec::new()));
    {
        let told = Arc::clone(&told);
        store.on_notice(Arc::new(move |notice| told.lock().unwrap().push(notice)));
    }
    store
        .save_query(&entry(QueryKey::dashboard(), dashboard_json()))
        .await
        .unwrap();
    fill_the_disk(&store).await;

    let big: Vec<CachedQuery> = (0..50)
        .map(|i| {
            entry(
                QueryKey::order(&format!("o{i}")),
                json!({ "pad": "y".repeat(2000) }),
            )
        })
        .collect();
    // The write does not fail: the store keeps it in memory and says so once.
    store.save_queries(&big).await.unwrap();
    store
        .add_notified(&["n1".into()], Utc::now())
        .await
        .unwrap();
    store
        .save_query(&entry(QueryKey::payout_stats(), json!({ "updated": 2 })))
        .await
        .unwrap();
    assert!(store.is_memory_only());
    {
        let told = told.lock().unwrap();
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(matches!(told[0], StoreNotice::MemoryOnly { .. }));
    }
    // Everything reads back: the disk's rows and memory's.
    let loaded = store.load_queries().await.unwrap();
    assert_eq!(loaded.len(), 52);
    assert!(store.notified_ids().await.unwrap().contains("n1"));
    // Not on disk.
    let on_disk: i64 = sqlx::query_scalar("SELECT count(*) FROM query_cache")
        .fetch_one(&mut *store.read().await.unwrap())
        .await
        .unwrap();
    assert_eq!(on_disk, 1);

    // Room again, but before the retry time the store stays in memory.
    set_max_pages(&store, Some(1_073_741_823)).await;
    tokio::time::advance(DISK_RETRY / 2).await;
    store
        .save_query(&entry(QueryKey::pending_orders(), json!({ "p": 1 })))
        .await
        .unwrap();
    assert!(store.is_memory_only());
    // After it, the next write takes everything memory held to the disk.
    tokio::time::advance(DISK_RETRY).await;
    store
        .save_query(&entry(QueryKey::pending_orders(), json!({ "p": 2 })))
        .await
        .unwrap();
    assert!(!store.is_memory_only());
    assert!(matches!(
        told.lock().unwrap().last(),
        Some(StoreNotice::DiskBack)
    ));
    store.close().await;

    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    let loaded = store.load_queries().await.unwrap();
    assert_eq!(loaded.len(), 53);
    let pending = loaded
        .iter()
        .find(|e| e.key == QueryKey::pending_orders())
        .unwrap();
    assert_eq!(pending.data, json!({ "p": 2 }));
    assert!(store.notified_ids().await.unwrap().contains("n1"));
    store.close().await;
}

#[tokio::test]
async fn the_core_on_a_full_disk_keeps_updating_pages_and_warns() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    fill_the_disk(&store).await;
    let source = FakeSource::new();
    // Answers larger than the room left in the file's pages.
    source.set_pending((0..200).map(|i| summary(&format!("a{i}"), i)).collect());
    let (sink, mut events) = channel_sink();
    let core = Core::start_with(
        source.clone(),
        Arc::new(store.clone()),
        Policies::default().scaled(0.05),
        sink,
    )
    .await
    .unwrap();
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let warning = loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap()
            .unwrap();
        seen.push(event);
        if let Some(notices) = notices_of(&seen)
            && !notices.is_empty()
        {
            break notices;
        }
    };
    assert_eq!(warning[0].kind, CacheNoticeKind::MemoryOnly);
    assert!(
        warning[0]
            .message
            .starts_with("Disk full: the cache is kept in memory until restart"),
        "{}",
        warning[0].message
    );
    // Data keeps flowing: a new order reaches the pending page.
    source.push_pending(summary("b", 500));
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap()
            .unwrap();
        if let CoreEvent::QueryUpdated(snap) = &event
            && snap.key == QueryKey::pending_orders()
            && snap
                .data
                .as_ref()
                .is_some_and(|d| d.to_string().contains("\"b\""))
        {
            break;
        }
    }
    assert!(store.is_memory_only());
    assert_eq!(
        core.cache_notices().len(),
        1,
        "one warning, not one per write"
    );
    core.shutdown().await;
}

/// 5 minutes of polling every 3 s on the paused clock (100 polls), each upserting 500 orders
/// in one batch, with 50 seller actions recorded meanwhile through the real outbox (appended,
/// sending, done, as its worker writes them; in bursts of five) and readers reading the cache
/// and the outbox all along: no write or read fails ("database is locked" or otherwise), and
/// every poll and every action is there at the end.
#[tokio::test]
async fn polling_actions_and_reads_together_never_meet_a_lock() {
    const POLLS: usize = 100;
    const ORDERS: usize = 500;
    const ACTIONS: usize = 50;
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    // Every connection is open: from here on the clock is simulated.
    tokio::time::pause();
    let outbox = SqliteOutbox::new(store.clone(), "stress");
    let errors = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let reads = Arc::new(AtomicUsize::new(0));
    let done = tokio_util::sync::CancellationToken::new();

    let poller = {
        let (store, errors) = (store.clone(), Arc::clone(&errors));
        tokio::spawn(async move {
            for poll in 0..POLLS {
                let batch: Vec<CachedQuery> = (0..ORDERS)
                    .map(|i| CachedQuery {
                        key: QueryKey::order(&format!("o{i}")),
                        data: json!({ "id": format!("o{i}"), "poll": poll }),
                        fetched_at: Utc::now(),
                    })
                    .collect();
                if let Err(e) = store.save_queries(&batch).await {
                    errors.lock().unwrap().push(e.to_string());
                }
                tokio::time::sleep(Duration::from_secs(3)).await;
            }
        })
    };
    let actions: Vec<_> = (0..ACTIONS)
        .map(|n| {
            let (outbox, errors) = (outbox.clone(), Arc::clone(&errors));
            tokio::spawn(async move {
                // Ten bursts of five at once, spread over the 5 minutes, not aligned with
                // the polls.
                tokio::time::sleep(Duration::from_millis(29_300 * (n / 5) as u64 + 700)).await;
                // What the outbox worker writes for one action: appended, marked
                // sending before the request, settled on the answer.
                let action = if n % 2 == 0 {
                    OutboxAction::Confirm
                } else {
                    OutboxAction::Cancel {
                        reason: "Out of stock".into(),
                    }
                };
                let result = async {
                    let stored = outbox
                        .append(&format!("o{n}"), &action, &format!("key-{n}"), Utc::now())
                        .await?;
                    let seq = stored.entry.seq;
                    outbox
                        .set_state(seq, OutboxState::Sending, 1, None, Utc::now())
                        .await?;
                    outbox
                        .set_state(seq, OutboxState::Done, 1, None, Utc::now())
                        .await
                }
                .await;
                if let Err(e) = result {
                    errors.lock().unwrap().push(e.to_string());
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..3)
        .map(|r| {
            let (store, outbox, errors, reads, done) = (
                store.clone(),
                outbox.clone(),
                Arc::clone(&errors),
                Arc::clone(&reads),
                done.clone(),
            );
            tokio::spawn(async move {
                while !done.is_cancelled() {
                    let result = if r == 0 {
                        store.load_queries().await.map(drop)
                    } else if r == 1 {
                        outbox.open().await.map(drop)
                    } else {
                        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM query_cache")
                            .fetch_one(&mut *store.read().await.unwrap())
                            .await
                            .map(drop)
                            .map_err(Into::into)
                    };
                    match result {
                        Ok(()) => reads.fetch_add(1, Ordering::Relaxed),
                        Err(e) => {
                            errors.lock().unwrap().push(e.to_string());
                            0
                        }
                    };
                    tokio::time::sleep(Duration::from_millis(1_000 + 300 * r)).await;
                }
            })
        })
        .collect();

    let started = tokio::time::Instant::now();
    poller.await.unwrap();
    for action in actions {
        action.await.unwrap();
    }
    done.cancel();
    for reader in readers {
        reader.await.unwrap();
    }
    assert!(started.elapsed() >= Duration::from_secs(297));

    let errors = errors.lock().unwrap().clone();
    assert!(
        errors.is_empty(),
        "{} errors: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    assert!(
        reads.load(Ordering::Relaxed) >= 500,
        "readers ran throughout"
    );
    let loaded = store.load_queries().await.unwrap();
    let orders: Vec<&CachedQuery> = loaded
        .iter()
        .filter(|e| e.key.starts_with(&QueryKey::sales_prefix()))
        .collect();
    assert_eq!(orders.len(), ORDERS);
    assert!(orders.iter().all(|e| e.data["poll"] == json!(POLLS - 1)));
    // Every action is recorded, each exactly once, and settled.
    let actions: Vec<(String, String)> =
        sqlx::query_as("SELECT order_id, state FROM outbox WHERE scope = 'stress' ORDER BY seq")
            .fetch_all(&mut *store.read().await.unwrap())
            .await
            .unwrap();
    assert_eq!(actions.len(), ACTIONS);
    let mut ids: Vec<&str> = actions.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), ACTIONS);
    assert!(
        actions.iter().all(|(_, state)| state == "done"),
        "{actions:?}"
    );
    store.close().await;
}

#[tokio::test]
async fn a_cache_that_cannot_be_created_at_all_runs_in_memory_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // The data folder's place is taken by a file: nothing can be created there.
    let blocked = dir.path().join("data");
    std::fs::write(&blocked, b"a file, not a folder").unwrap();
    let source = FakeSource::new();
    source.set_pending(vec![summary("a", 1)]);
    let (sink, mut events) = channel_sink();
    let core = Core::start_with_source(config(&blocked.join("profile")), source, sink)
        .await
        .unwrap();
    let notices = core.cache_notices();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].kind, CacheNoticeKind::MemoryOnly);
    assert!(
        notices[0]
            .message
            .starts_with("The local cache cannot be written ("),
        "{}",
        notices[0].message
    );
    // The pages fill all the same.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap()
            .unwrap();
        if matches!(event, CoreEvent::NewPendingOrders(_)) {
            break;
        }
    }
    core.shutdown().await;
}

#[tokio::test]
async fn answers_not_refreshed_for_months_are_dropped_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    let mut old = entry(QueryKey::order("old"), json!({ "id": "old" }));
    old.fetched_at = Utc::now() - sellerdash_core::KEEP_UNUSED - TimeDelta::days(1);
    let recent = entry(QueryKey::order("recent"), json!({ "id": "recent" }));
    store.save_queries(&[old, recent]).await.unwrap();
    store.close().await;
    let store = SqliteStore::open_in(dir.path()).await.unwrap();
    let keys: Vec<QueryKey> = store
        .load_queries()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.key)
        .collect();
    assert_eq!(keys, [QueryKey::order("recent")]);
    store.close().await;
}
