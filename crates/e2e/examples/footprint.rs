//! Measures what the app costs a seller who keeps it open all day: the built app runs
//! against a demo marketplace for a while (window shown, then hidden is the same to the
//! pollers), and this prints its resident memory, CPU time and the requests it made.
//! Run under a display and a session bus, from the repository root:
//!
//! ```sh
//! xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
//!     cargo run -p sellerdash-e2e --example footprint -- 120
//! ```

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sellerdash_e2e::marketplace::Marketplace;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::args()
        .nth(1)
        .map(|arg| arg.parse())
        .transpose()?
        .unwrap_or(60);
    let dir = tempfile::tempdir()?;
    let marketplace = Marketplace::start(dir.path()).await?;
    let binary = sellerdash_e2e::app::binary()?;
    let started = Instant::now();
    let mut app = Command::new(binary)
        .args([
            "--marketplace-url",
            &marketplace.url(),
            "--token",
            marketplace.seller_token(),
        ])
        .arg("--data-dir")
        .arg(dir.path().join("app"))
        .env("SELLERDASH_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = app.id();
    let requests_before = marketplace.requests_served();
    tokio::time::sleep(Duration::from_secs(10)).await;
    let warm = sample(pid)?;
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let end = sample(pid)?;
    let requests = marketplace.requests_served() - requests_before;
    let _ = app.kill();
    let _ = app.wait();

    let elapsed = started.elapsed().as_secs();
    println!("footprint over {seconds} s of steady polling (after a 10 s warm-up), app pid {pid}:");
    println!(
        "  resident memory (app process): {} MiB after warm-up, {} MiB at the end",
        warm.rss_kib / 1024,
        end.rss_kib / 1024
    );
    println!(
        "  CPU time during the window: {} ms ({} ms per minute)",
        end.cpu_ms - warm.cpu_ms,
        (end.cpu_ms - warm.cpu_ms) * 60 / seconds.max(1)
    );
    println!(
        "  requests to the marketplace in {elapsed} s: {requests} ({} per minute; design: dashboard 12 + pending 12 = 24)",
        requests * 60 / elapsed.max(1)
    );
    println!("  (the WebKit web process is separate and not counted above)");
    Ok(())
}

struct Sample {
    rss_kib: u64,
    cpu_ms: u64,
}

fn sample(pid: u32) -> anyhow::Result<Sample> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let rss_kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name: utime and stime are the 12th and 13th.
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields
        .get(11..13)
        .map(|t| t.iter().filter_map(|v| v.parse::<u64>().ok()).sum())
        .unwrap_or(0);
    let ticks_per_second = 100; // USER_HZ on Linux
    Ok(Sample {
        rss_kib,
        cpu_ms: ticks * 1000 / ticks_per_second,
    })
}
