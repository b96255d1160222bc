//! `sellerdash-cli`: Sellerdash's core without a window. `watch` prints every core event as
//! a JSON line on stdout (logs go to stderr) until Ctrl-C or SIGTERM.

use clap::{Parser, Subcommand};
use sellerdash_cli::{WatchArgs, watch};

#[derive(Debug, Parser)]
#[command(name = "sellerdash-cli", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Polls the marketplace like the app does and prints one JSON line per event.
    Watch(WatchArgs),
}

async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Watch(args) => {
            let mut stdout = std::io::stdout();
            watch(args, &mut stdout, stopped()).await
        }
    }
}
