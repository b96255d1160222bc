//! The embedded default: with no marketplace configured, the reference server runs
//! in-process on a loopback port with the demo store and the order simulator, so a new user
//! sees a live store at once.

use std::path::Path;

use sellerdash_server::{Server, ServerConfig, SimulatorConfig};

pub struct EmbeddedServer {
    pub url: String,
    pub token: String,
    pub server: Server,
}

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("cannot open a loopback port for the demo store: {0}")]
    Bind(#[from] std::io::Error),
    #[error("the demo store did not start: {0}")]
    Start(String),
    #[error("the demo store has no seller")]
    NoSeller,
}

pub async fn start(profile_dir: &Path) -> Result<EmbeddedServer, EmbeddedError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let config = ServerConfig::demo(profile_dir.join("demo-store.sqlite"))
        .with_simulator(SimulatorConfig::default());
    let server = sellerdash_server::start(listener, config)
        .await
        .map_err(|error| EmbeddedError::Start(error.to_string()))?;
    let token = server
        .sellers()
        .first()
        .map(|seller| seller.token.clone())
        .ok_or(EmbeddedError::NoSeller)?;
    tracing::info!(url = %server.base_url(), "demo store running");
    Ok(EmbeddedServer {
        url: server.base_url(),
        token,
        server,
    })
}
