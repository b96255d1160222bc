//! The headless `watch` command: the same core the desktop app runs, without a window,
//! against a marketplace URL and seller token, printing one JSON line per event.
//!
//! Line types: `query_updated` (a query snapshot), `new_pending_order` (one line per new
//! order), `connectivity_changed`, `pending_total`, `outbox_changed`, `cache_notice` (the
//! cache was rebuilt or is kept in memory), and with `--diagnostics-every`, `diagnostics`
//! (every query's state, timings and request rates).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use sellerdash_core::{Core, CoreConfig, Policies, account_scope, channel_sink};
use sellerdash_state::{CoreEvent, QueryDiagnostics};
use serde_json::{Value, json};

/// `sellerdash-cli watch` options; flags or the app's environment variables.
#[derive(Debug, Clone, clap::Args)]
pub struct WatchArgs {
    /// The marketplace's base URL, `https://market.example`.
    #[arg(long, env = "SELLERDASH_MARKETPLACE_URL")]
    pub marketplace_url: String,
    /// The seller's bearer token.
    #[arg(long, env = "SELLERDASH_TOKEN", hide_env_values = true, value_parser = token)]
    pub token: String,
    /// Where the query cache lives (default: a per-account folder in the user's cache).
    #[arg(long, env = "SELLERDASH_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Multiplies every policy duration (tests and demos: 0.1 polls ten times as often).
    #[arg(
        long,
        env = "SELLERDASH_POLICY_SCALE",
        default_value_t = 1.0,
        hide = true
    )]
    pub policy_scale: f64,

    /// Print a `diagnostics` line (every query's state, last success and error, next fetch,
    /// requests and failures per minute) every this many seconds; 0 never.
    #[arg(long, default_value_t = 0)]
    pub diagnostics_every: u64,
}

/// A token as given, surrounding whitespace removed; a blank one is refused at once.
fn token(value: &str) -> Result<String, String> {
    let token = value.trim();
    if token.is_empty() {
        return Err("the seller token is empty: pass the token the marketplace gave you".into());
    }
    Ok(token.to_owned())
}

impl WatchArgs {
    fn data_dir(&self) -> PathBuf {
        if let Some(dir) = &self.data_dir {
            return dir.clone();
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
            .unwrap_or_else(std::env::temp_dir);
        let scope = account_scope(&self.marketplace_url, &self.token);
        let short: String = scope.chars().take(16).collect();
        base.join("sellerdash-cli").join(short)
    }
}

/// The JSON lines one event prints as.
pub fn event_lines(event: &CoreEvent) -> Vec<Value> {
    match event {
        CoreEvent::QueryUpdated(snapshot) => vec![json!({
            "type": "query_updated",
            "key": snapshot.key.to_string(),
            "snapshot": snapshot,
        })],
        CoreEvent::NewPendingOrders(fresh) => fresh
            .orders
            .iter()
            .map(|order| {
                json!({
                    "type": "new_pending_order",
                    "order": order,
                    "while_away": fresh.while_away,
                })
            })
            .collect(),
        CoreEvent::ConnectivityChanged(state) => vec![json!({
            "type": "connectivity_changed",
            "connectivity": state,
        })],
        CoreEvent::PendingTotal { total } => vec![json!({
            "type": "pending_total",
            "total": total,
        })],
        CoreEvent::OutboxChanged(entries) => vec![json!({
            "type": "outbox_changed",
            "actions": entries,
        })],
        CoreEvent::CacheNotices { notices } => notices
            .iter()
            .map(|notice| json!({ "type": "cache_notice", "notice": notice }))
            .collect(),
    }
}

/// The JSON line of a diagnostics report.
pub fn diagnostics_line(queries: &[QueryDiagnostics]) -> Value {
    json!({ "type": "diagnostics", "queries": queries })
}

/// Runs the core until `stop` completes, writing each event's lines to `out` as they come.
pub async fn watch(
    args: WatchArgs,
    out: &mut (dyn Write + Send),
    stop: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let data_dir = args.data_dir();
    let mut config = CoreConfig::new(&args.marketplace_url, &args.token, data_dir);
    config.policies = Policies::default().scaled(args.policy_scale);
    let (sink, mut events) = channel_sink();
    let core = Core::start(config, sink)
        .await
        .context("cannot start the core")?;
    tokio::pin!(stop);
    let every = std::time::Duration::from_secs(args.diagnostics_every.max(1));
    let mut report = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    report.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let outcome = loop {
        tokio::select! {
            () = &mut stop => break Ok(()),
            _ = report.tick(), if args.diagnostics_every > 0 => {
                let line = diagnostics_line(&core.diagnostics());
                if let Err(error) = writeln!(out, "{line}").and_then(|()| out.flush()) {
                    break Err(error).context("cannot write to stdout");
                }
            }
            event = events.recv() => {
                let Some(event) = event else { break Ok(()) };
                if let Err(error) = write_lines(out, &event) {
                    break Err(error).context("cannot write to stdout");
                }
            }
        }
    };
    core.shutdown().await;
    outcome
}

fn write_lines(out: &mut (dyn Write + Send), event: &CoreEvent) -> std::io::Result<()> {
    for line in event_lines(event) {
        writeln!(out, "{line}")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use sellerdash_state::{Connectivity, NewPendingOrders};

    use super::*;

    #[test]
    fn a_blank_token_is_refused_and_a_padded_one_trimmed() {
        use clap::Parser;
        #[derive(Debug, Parser)]
        struct Cli {
            #[command(flatten)]
            watch: WatchArgs,
        }
        let parse = |token: &str| {
            Cli::try_parse_from(["watch", "--marketplace-url", "http://m", "--token", token])
        };
        let refused = parse("  ").unwrap_err().to_string();
        assert!(refused.contains("the seller token is empty"), "{refused}");
        assert_eq!(parse(" t0k3n\n").unwrap().watch.token, "t0k3n");
    }

    #[test]
    fn each_event_has_a_type_and_new_orders_print_one_line_each() {
        let lines = event_lines(&CoreEvent::NewPendingOrders(NewPendingOrders {
            orders: Vec::new(),
            while_away: false,
        }));
        assert!(lines.is_empty());
        let lines = event_lines(&CoreEvent::ConnectivityChanged(Connectivity::Connecting));
        assert_eq!(lines[0]["type"], "connectivity_changed");
        assert_eq!(lines[0]["connectivity"]["state"], "connecting");
        let lines = event_lines(&CoreEvent::PendingTotal { total: 3 });
        assert_eq!(lines[0]["total"], 3);
    }

    #[test]
    fn diagnostics_print_every_query() {
        let line = diagnostics_line(&[QueryDiagnostics {
            key: sellerdash_state::QueryKey::dashboard(),
            status: sellerdash_state::QueryStatus::Success,
            fetching: false,
            observers: 0,
            pinned: true,
            interval_ms: Some(5_000),
            last_success_at: None,
            last_error: None,
            next_fetch_at: None,
            requests_per_minute: 12,
            failures_per_minute: 0,
        }]);
        assert_eq!(line["type"], "diagnostics");
        assert_eq!(
            line["queries"][0]["key"],
            serde_json::json!(["seller", "dashboard"])
        );
        assert_eq!(line["queries"][0]["requests_per_minute"], 12);
    }
}
