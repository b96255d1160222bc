//! The `sellerdash-server` binary: `serve` runs the seller API (optionally with the demo
//! store and the simulator) until Ctrl-C; `tokens` prints the tokens of a database.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use sellerdash_server::{ServerConfig, SimulatorConfig, Store, demo};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(version, about = "The reference marketplace seller API server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the seller and admin API.
    Serve {
        /// The SQLite database file (created when missing).
        #[arg(long)]
        db: PathBuf,
        /// The address to listen on; port 0 picks a free one.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Seed the deterministic demo store into an empty database; the admin token
        /// defaults to the demo one.
        #[arg(long)]
        demo: bool,
        /// Run the order simulator for the main demo seller.
        #[arg(long)]
        simulate: bool,
        /// Seconds between two simulated orders.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        order_every: u64,
        /// Seconds a confirmed order waits before the simulator moves it on.
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
        advance_after: u64,
        /// The admin token (required unless --demo).
        #[arg(long, env = "SELLERDASH_ADMIN_TOKEN", hide_env_values = true)]
        admin_token: Option<String>,
    },
    /// Print the seller tokens of a database and the demo admin token.
    Tokens {
        #[arg(long)]
        db: PathBuf,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match Cli::parse().command {
        Command::Serve {
            db,
            bind,
            demo,
            simulate,
            order_every,
            advance_after,
            admin_token,
        } => {
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("binding {bind}"))?;
            let simulator = simulate.then(|| SimulatorConfig {
                order_every: Duration::from_secs(order_every),
                advance_after: Duration::from_secs(advance_after),
            });
            let server = sellerdash_server::start(
                listener,
                ServerConfig {
                    database: db,
                    admin_token,
                    demo,
                    simulator,
                },
            )
            .await
            .context("starting the server")?;
            println!("listening on {}", server.base_url());
            if demo {
                for seller in server.sellers() {
                    println!(
                        "seller {} ({}, {}): token {}",
                        seller.id, seller.name, seller.currency, seller.token
                    );
                }
                if server.admin_token() == demo::DEMO_ADMIN_TOKEN {
                    println!("admin token: {}", demo::DEMO_ADMIN_TOKEN);
                }
            }
            tokio::signal::ctrl_c()
                .await
                .context("waiting for Ctrl-C")?;
            eprintln!("shutting down");
            server.shutdown().await;
        }
        Command::Tokens { db } => {
            anyhow::ensure!(db.exists(), "no database at {}", db.display());
            let store = Store::open(&db).await.context("opening the database")?;
            for seller in store.sellers().await? {
                println!(
                    "seller {} ({}, {}): token {}",
                    seller.id, seller.name, seller.currency, seller.token
                );
            }
            println!(
                "admin token (demo default; --admin-token overrides): {}",
                demo::DEMO_ADMIN_TOKEN
            );
            store.close().await;
        }
    }
    Ok(())
}
