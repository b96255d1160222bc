//! The `sellerdash-server` binary: `serve` runs the seller API (optionally with the demo
//! store and the simulator) until Ctrl-C or SIGTERM; `sellers add` / `sellers list` manage the seller
//! accounts of a database; `tokens` prints the demo tokens of a
//! database (read only).

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use sellerdash_api::{CreateSeller, Currency, PayoutSchedule};
use sellerdash_server::{ServerConfig, SimulatorConfig, Store, accounts, demo};
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
        /// Answer `POST /api/v1/admin/faults` (admin token) to make the seller routes slow,
        /// failing, stalled, garbled or dropped, for testing clients by hand. Never in
        /// production.
        #[arg(long)]
        allow_faults: bool,
    },
    /// Create or list seller accounts (works while a server runs on the same file).
    Sellers {
        #[command(subcommand)]
        command: SellersCommand,
    },
    /// Print the seller tokens a database holds in clear (the demo sellers') and, for the
    /// demo store, the demo admin token. Only reads the database.
    Tokens {
        #[arg(long)]
        db: PathBuf,
    },
}

#[derive(Subcommand)]
enum SellersCommand {
    /// Create a seller and print its id and its token (shown only this once).
    Add {
        /// The SQLite database file (created and migrated when missing).
        #[arg(long)]
        db: PathBuf,
        /// The shop's name.
        #[arg(long)]
        name: String,
        /// ISO 4217 code of the seller's currency, like EUR.
        #[arg(long)]
        currency: Currency,
        /// weekly, biweekly or monthly.
        #[arg(long, default_value = "weekly", value_parser = schedule)]
        payout_schedule: PayoutSchedule,
        /// The store's IANA time zone, like Europe/Berlin: its "today" and its day buckets.
        #[arg(long, default_value = "UTC", value_parser = time_zone)]
        time_zone: String,
    },
    /// List the sellers (without tokens), oldest first.
    List {
        #[arg(long)]
        db: PathBuf,
    },
}

/// A payout schedule by its wire name.
fn schedule(text: &str) -> Result<PayoutSchedule, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| format!("expected weekly, biweekly or monthly, got {text:?}"))
}

/// An IANA time zone name, checked.
fn time_zone(text: &str) -> Result<String, String> {
    sellerdash_server::store::time_zone(Some(text))
        .map(|zone| zone.name().to_owned())
        .map_err(|err| err.to_string())
}

async fn sellers(command: SellersCommand) -> anyhow::Result<()> {
    match command {
        SellersCommand::Add {
            db,
            name,
            currency,
            payout_schedule,
            time_zone,
        } => {
            let existed = db.exists();
            let store = Store::open(&db).await.context("opening the database")?;
            let body = CreateSeller {
                name,
                currency,
                payout_schedule: Some(payout_schedule),
                time_zone: Some(time_zone),
            };
            let created = accounts::create_seller(&store, &body, sellerdash_server::store::now())
                .await
                .context("creating the seller");
            store.close().await;
            if created.is_err() && !existed {
                // Refused input leaves no database behind that the command itself created.
                for suffix in ["", "-wal", "-shm"] {
                    let mut path = db.clone().into_os_string();
                    path.push(suffix);
                    let _ = std::fs::remove_file(path);
                }
            }
            let created = created?;
            println!("id: {}", created.id);
            println!("token: {}", created.token);
            eprintln!(
                "seller {:?} ({}, {} payouts, {}) created; the token is shown only now",
                created.name,
                created.currency,
                schedule_name(created.payout_schedule),
                created.time_zone
            );
        }
        SellersCommand::List { db } => {
            let store = Store::open_read_only(&db).await?;
            let sellers = store.sellers().await;
            store.close().await;
            for seller in sellers? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    seller.id,
                    seller.currency,
                    schedule_name(seller.payout_schedule),
                    seller.time_zone.name(),
                    seller.created_at.to_rfc3339(),
                    seller.name
                );
            }
        }
    }
    Ok(())
}

/// Prints the seller tokens a database holds in clear (the demo sellers') and, for the demo
/// store only, the demo admin token. Only reads: a missing file or one that is not a seller
/// API database is an error, and nothing is created or migrated.
async fn tokens(db: &std::path::Path) -> anyhow::Result<()> {
    let store = Store::open_read_only(db).await?;
    let sellers = store.sellers().await;
    store.close().await;
    let sellers = sellers?;
    let is_demo = sellers.iter().any(|s| {
        s.id == demo::DEMO_SELLER_ID && s.token.as_deref() == Some(demo::DEMO_SELLER_TOKEN)
    });
    for seller in &sellers {
        match &seller.token {
            Some(token) => println!(
                "seller {} ({}, {}): token {token}",
                seller.id, seller.name, seller.currency
            ),
            None => println!(
                "seller {} ({}, {}): token kept only as a digest",
                seller.id, seller.name, seller.currency
            ),
        }
    }
    if sellers.is_empty() {
        println!("no sellers yet");
    }
    if is_demo {
        println!(
            "admin token (demo store; valid unless the server runs with --admin-token): {}",
            demo::DEMO_ADMIN_TOKEN
        );
    } else {
        println!(
            "admin token: not in the database; it is the --admin-token or \
             SELLERDASH_ADMIN_TOKEN the server runs with"
        );
    }
    Ok(())
}

fn schedule_name(schedule: PayoutSchedule) -> &'static str {
    match schedule {
        PayoutSchedule::Weekly => "weekly",
        PayoutSchedule::Biweekly => "biweekly",
        PayoutSchedule::Monthly => "monthly",
    }
}

/// Ctrl-C and, on Unix, SIGTERM (systemd, `docker stop`). Made before the server starts, so
/// that a SIGTERM sent as soon as it prints its address is already caught.
struct ShutdownSignals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    fn new() -> anyhow::Result<Self> {
        Ok(Self {
            #[cfg(unix)]
            term: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .context("listening for SIGTERM")?,
        })
    }

    /// Waits for one of them and names it.
    async fn wait(&mut self) -> anyhow::Result<&'static str> {
        #[cfg(unix)]
        {
            tokio::select! {
                ctrl_c = tokio::signal::ctrl_c() => {
                    ctrl_c.context("waiting for Ctrl-C")?;
                    Ok("Ctrl-C")
                }
                _ = self.term.recv() => Ok("SIGTERM"),
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c()
                .await
                .context("waiting for Ctrl-C")?;
            Ok("Ctrl-C")
        }
    }
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
            allow_faults,
        } => {
            let mut signals = ShutdownSignals::new()?;
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
                    faults: allow_faults,
                },
            )
            .await
            .context("starting the server")?;
            println!("listening on {}", server.base_url());
            if allow_faults {
                println!("fault mode: POST /api/v1/admin/faults (admin token)");
            }
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
            let signal = signals.wait().await?;
            eprintln!("{signal}: shutting down");
            server.shutdown().await;
        }
        Command::Sellers { command } => sellers(command).await?,
        Command::Tokens { db } => tokens(&db).await?,
    }
    Ok(())
}
