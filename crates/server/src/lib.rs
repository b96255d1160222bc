//! The reference marketplace seller API server: axum over a SQLite store, with seller
//! endpoints (bearer seller token, every query scoped to that seller), admin endpoints
//! (admin token), a deterministic demo store and an order simulator.
//!
//! Embedded use (the desktop app's default, and the tests):
//!
//! ```no_run
//! # async fn demo() -> Result<(), sellerdash_server::StartError> {
//! use sellerdash_server::{ServerConfig, SimulatorConfig};
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let server = sellerdash_server::start(listener, ServerConfig {
//!     database: "sellerdash-demo.db".into(),
//!     admin_token: None,
//!     demo: true,
//!     simulator: Some(SimulatorConfig::default()),
//!     faults: false,
//! }).await?;
//! println!("{} {}", server.base_url(), server.sellers()[0].token);
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Map: [`routes`] (the router, [`app`]), [`accounts`] (new sellers), `auth` (tokens), `error` (the one error type),
//! `idempotency` (the `Idempotency-Key` middleware), [`faults`] (the fault mode), `lifecycle` (order rules, no SQL), `validate` (admin input),
//! [`store`] (all SQL), [`demo`] (the seed), [`simulator`].

pub mod accounts;
mod auth;
pub mod demo;
mod echo;
mod error;
mod extract;
pub mod faults;
mod idempotency;
mod ids;
mod lifecycle;
pub mod metrics;
pub mod openapi;
mod routes;
pub mod simulator;
mod state;
pub mod store;
mod timeout;
mod validate;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use metrics::RequestCounter;
use sellerdash_api::Currency;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use error::AppError;
pub use lifecycle::{Shipment, Step};
pub use routes::{MAX_BODY_BYTES, REQUEST_TIMEOUT, app, app_with_timeout};
pub use simulator::SimulatorConfig;
pub use state::AppState;
pub use store::Store;

/// How to run a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The SQLite file; created and migrated when missing.
    pub database: PathBuf,
    /// The admin token. `None` is allowed only with `demo`, which then uses
    /// [`demo::DEMO_ADMIN_TOKEN`].
    pub admin_token: Option<String>,
    /// Seed the demo store into an empty database.
    pub demo: bool,
    /// Run the order simulator for the main demo seller.
    pub simulator: Option<SimulatorConfig>,
    /// Answer `POST /api/v1/admin/faults` (admin token), which switches the fault mode for
    /// manual testing. Off in production. (In-process, [`Server::faults`] works either way.)
    pub faults: bool,
}

impl ServerConfig {
    /// The demo store in `database` with the demo admin token and no simulator (tests
    /// make every change themselves).
    pub fn demo(database: impl Into<PathBuf>) -> Self {
        Self {
            database: database.into(),
            admin_token: None,
            demo: true,
            simulator: None,
            faults: false,
        }
    }

    /// The same, with the admin fault endpoint on.
    pub fn with_faults(self) -> Self {
        Self {
            faults: true,
            ..self
        }
    }

    /// The same, with the order simulator running.
    pub fn with_simulator(self, simulator: SimulatorConfig) -> Self {
        Self {
            simulator: Some(simulator),
            ..self
        }
    }
}

/// A demo seller account's token, for clients and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerCredentials {
    pub id: String,
    pub name: String,
    pub token: String,
    pub currency: Currency,
}

/// Why a server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("an admin token is required unless the demo store is on")]
    MissingAdminToken,
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
}

/// How long [`Server::shutdown`] waits for open requests before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// A running server. Dropping it stops it too (without waiting).
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    admin_token: String,
    sellers: Vec<SellerCredentials>,
    store: Store,
    cancel: CancellationToken,
    serve: Option<JoinHandle<std::io::Result<()>>>,
    simulator: Option<JoinHandle<()>>,
    requests: Arc<RequestCounter>,
    faults: faults::FaultHandle,
}

/// Opens the database (seeding the demo store when asked and the database is empty),
/// starts serving on `listener` and, when configured, the simulator.
pub async fn start(listener: TcpListener, config: ServerConfig) -> Result<Server, StartError> {
    let admin_token = match (config.admin_token, config.demo) {
        (Some(token), _) if !token.trim().is_empty() => token,
        (_, true) => demo::DEMO_ADMIN_TOKEN.to_owned(),
        (_, false) => return Err(StartError::MissingAdminToken),
    };
    let store = Store::open(&config.database).await?;
    if config.demo && store.seed(&demo::generate(store::now())).await? {
        tracing::info!(database = %config.database.display(), "seeded the demo store");
    }
    let sellers = store
        .sellers()
        .await?
        .into_iter()
        .filter_map(|s| {
            Some(SellerCredentials {
                token: s.token?,
                id: s.id,
                name: s.name,
                currency: s.currency,
            })
        })
        .collect();

    let addr = listener.local_addr()?;
    let cancel = CancellationToken::new();
    let mut state = AppState::new(store.clone(), admin_token.as_str());
    if config.faults {
        state = state.with_fault_endpoint();
    }
    let requests = Arc::clone(state.requests());
    let fault_handle = state.faults().clone();
    let router = app(state).into_make_service_with_connect_info::<faults::Connection>();
    let shutdown = cancel.clone().cancelled_owned();
    let listener = faults::FaultyListener::new(listener);
    let serve = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await
    });
    let simulator = config
        .simulator
        .map(|sim| simulator::spawn(store.clone(), sim, cancel.child_token()));
    tracing::info!(%addr, "seller API listening");
    Ok(Server {
        addr,
        admin_token,
        sellers,
        store,
        cancel,
        serve: Some(serve),
        simulator,
        requests,
        faults: fault_handle,
    })
}

impl Server {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn admin_token(&self) -> &str {
        &self.admin_token
    }

    /// The sellers in the database when the server started whose token it holds in clear
    /// (the demo sellers), oldest account first. Sellers made with the admin API or the
    /// CLI are not here: only a digest of their token is kept.
    pub fn sellers(&self) -> Vec<SellerCredentials> {
        self.sellers.clone()
    }

    /// The server's store (for tests and tools in the same process).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Requests served per path since this server started.
    pub fn requests(&self) -> BTreeMap<String, u64> {
        self.requests.by_path()
    }

    /// The fault plan of the seller routes (off until set).
    pub fn faults(&self) -> &faults::FaultHandle {
        &self.faults
    }

    /// Stops accepting connections, lets open requests finish (up to a grace period), stops
    /// the simulator and closes the database.
    pub async fn shutdown(mut self) {
        // Stalled requests are released (and answered) rather than held for the grace period.
        self.faults.clear();
        self.cancel.cancel();
        if let Some(Err(err)) = match self.simulator.take() {
            Some(simulator) => Some(simulator.await),
            None => None,
        } {
            tracing::warn!(error = %err, "simulator task failed");
        }
        if let Some(mut serve) = self.serve.take() {
            match tokio::time::timeout(SHUTDOWN_GRACE, &mut serve).await {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(err))) => tracing::warn!(error = %err, "server stopped with an error"),
                Ok(Err(err)) => tracing::warn!(error = %err, "server task failed"),
                Err(_) => {
                    tracing::warn!("open requests did not finish in time; dropping them");
                    serve.abort();
                }
            }
        }
        self.store.close().await;
        tracing::info!(addr = %self.addr, "seller API stopped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}
