//! How fast the SQLite cache writes on a real file: polls of 500 orders upserted in one
//! batch, and single answers saved while a poller and readers run, with their latencies.
//! Prints figures; asserts nothing.
//!
//! ```sh
//! cargo bench -p sellerdash-core --bench cache_writes
//! ```

#![allow(clippy::unwrap_used, clippy::float_arithmetic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use sellerdash_core::{CachedQuery, QueryKey, SqliteStore, Store};
use serde_json::json;

const POLLS: usize = 100;
const ORDERS: usize = 500;
const SINGLE_WRITES: usize = 1_000;

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn order(i: usize, poll: usize) -> CachedQuery {
    CachedQuery {
        key: QueryKey::order(&format!("o{i}")),
        data: json!({
            "id": format!("o{i}"),
            "status": "pending",
            "customer_name": "A buyer",
            "total": { "amount_minor": 1234 + i, "currency": "EUR" },
            "poll": poll,
        }),
        fetched_at: Utc::now(),
    }
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_in(dir.path()).await.unwrap();

    // 1. Polls alone: 500 orders upserted in one transaction each.
    let mut batches = Vec::with_capacity(POLLS);
    let started = Instant::now();
    for poll in 0..POLLS {
        let batch: Vec<CachedQuery> = (0..ORDERS).map(|i| order(i, poll)).collect();
        let t = Instant::now();
        store.save_queries(&batch).await.unwrap();
        batches.push(t.elapsed());
    }
    let total = started.elapsed();
    batches.sort();
    println!("cache writes on a real SQLite file (WAL, synchronous=NORMAL, one writer):");
    println!(
        "  {POLLS} polls x {ORDERS} orders in one batch each: {:.0} upserts/s; batch latency p50 {}, p99 {}",
        (POLLS * ORDERS) as f64 / total.as_secs_f64(),
        millis(percentile(&batches, 50)),
        millis(percentile(&batches, 99)),
    );

    // 2. Single answers (what the pollers and the actions write) while a poller upserts a
    //    batch every 50 ms and three readers load the cache.
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let poller = {
        let (store, stop) = (store.clone(), Arc::clone(&stop));
        tokio::spawn(async move {
            let mut poll = POLLS;
            while !stop.load(Ordering::Relaxed) {
                let batch: Vec<CachedQuery> = (0..ORDERS).map(|i| order(i, poll)).collect();
                store.save_queries(&batch).await.unwrap();
                poll += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (store, stop, reads) = (store.clone(), Arc::clone(&stop), Arc::clone(&reads));
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    store.load_queries().await.unwrap();
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let mut singles = Vec::with_capacity(SINGLE_WRITES);
    let started = Instant::now();
    for n in 0..SINGLE_WRITES {
        let entry = CachedQuery {
            key: QueryKey::new(["bench", "action", &n.to_string()]),
            data: json!({ "action": n }),
            fetched_at: Utc::now(),
        };
        let t = Instant::now();
        store.save_query(&entry).await.unwrap();
        singles.push(t.elapsed());
    }
    let total = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    poller.await.unwrap();
    for reader in readers {
        reader.await.unwrap();
    }
    singles.sort();
    println!(
        "  {SINGLE_WRITES} single writes beside a poller (500 upserts / 50 ms) and 3 readers: {:.0} writes/s; latency p50 {}, p99 {}, max {}; {} full reads meanwhile",
        SINGLE_WRITES as f64 / total.as_secs_f64(),
        millis(percentile(&singles, 50)),
        millis(percentile(&singles, 99)),
        millis(singles[singles.len() - 1]),
        reads.load(Ordering::Relaxed),
    );
    store.close().await;
}
