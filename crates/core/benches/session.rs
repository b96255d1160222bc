//! The standard session's cost: dashboard + pending orders + one order detail + the payouts
//! page (stats and history) open for 10 simulated minutes on tokio's paused clock with an
//! in-process source. Prints the requests per minute next to the design's ≈62/min, then the
//! core's CPU time per 1,000 poll cycles (one cycle: request, answer, snapshot, event) over a
//! longer run. `cargo bench -p sellerdash-core --bench session`.

#![allow(clippy::unwrap_used, clippy::float_arithmetic)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::{Call, FakeSource, summary};
use sellerdash_core::{Core, CoreEvent, EventSink, MemoryStore, Policies, QueryKey};

const DESIGN_PER_MINUTE: f64 = 62.0;

/// CPU time of this thread (the current-thread runtime runs every task on it), when the OS
/// tells it; else wall time, which on the paused clock is nearly all CPU work.
fn cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map(Duration::from_nanos)
        .unwrap_or_else(|| {
            static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
            START.get_or_init(std::time::Instant::now).elapsed()
        })
}

struct Session {
    requests: Vec<(&'static str, usize)>,
    events: u64,
    cpu: Duration,
}

async fn session(minutes: u64) -> Session {
    let source = FakeSource::new();
    source.set_pending(vec![summary("o1", 1), summary("o2", 2)]);
    let events = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&events);
    let sink: EventSink = Arc::new(move |_: CoreEvent| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let cpu_start = cpu_time();
    let core = Core::start_with(
        source.clone(),
        Arc::new(MemoryStore::new()),
        Policies::default(),
        sink,
    )
    .await
    .unwrap();
    for key in [
        QueryKey::order("o1"),
        QueryKey::payout_stats(),
        QueryKey::payout_history(None),
    ] {
        core.observe(&key).unwrap();
    }
    tokio::time::sleep(Duration::from_secs(minutes * 60) - Duration::from_millis(1)).await;
    core.shutdown().await;
    let cpu = cpu_time() - cpu_start;
    let requests = [
        ("dashboard", Call::Dashboard),
        ("pending orders", Call::Pending),
        ("order detail", Call::Order),
        ("payout stats", Call::PayoutStats),
        ("payout history", Call::PayoutHistory),
    ]
    .map(|(name, call)| (name, source.calls(call).len()))
    .to_vec();
    Session {
        requests,
        events: events.load(Ordering::Relaxed),
        cpu,
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();

    let standard = runtime.block_on(session(10));
    let total: usize = standard.requests.iter().map(|(_, n)| n).sum();
    println!("standard session, 10 simulated minutes:");
    for (name, count) in &standard.requests {
        println!("  {name:<15} {:>6.1} requests/min", *count as f64 / 10.0);
    }
    println!(
        "  {:<15} {:>6.1} requests/min (design: ≈{DESIGN_PER_MINUTE}/min)",
        "total",
        total as f64 / 10.0
    );

    let long = runtime.block_on(session(600));
    let cycles: usize = long.requests.iter().map(|(_, n)| n).sum();
    let per_thousand = long.cpu.as_secs_f64() * 1000.0 / cycles as f64;
    println!(
        "core CPU time: {:.1} ms per 1,000 poll cycles ({cycles} cycles, {} events, {:.0} ms in all)",
        per_thousand * 1000.0,
        long.events,
        long.cpu.as_secs_f64() * 1000.0
    );
}
