//! The real reference server for the core's tests: its demo store on a loopback port, the
//! first demo seller's credentials, admin calls, and a stop and restart on the same port and
//! database (an outage the core cannot tell from a real one).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use sellerdash_api::{AdminAction, CreateOrder, CreateOrderItem, Order, TransitionOrder, paths};
use sellerdash_core::{
    Core, CoreConfig, CoreEvent, CoreHandle, HttpOptions, HttpSource, Policies, channel_sink,
};
use sellerdash_server::{Server, ServerConfig};
use tokio::sync::mpsc::UnboundedReceiver;

/// The reference server with its demo store, stoppable and restartable.
pub struct Shop {
    server: Option<Server>,
    addr: SocketAddr,
    database: PathBuf,
    pub seller_id: String,
    pub token: String,
    admin: String,
    http: reqwest::Client,
}

impl Shop {
    /// Starts the demo store with its database in `dir`.
    pub async fn start(dir: &Path) -> Self {
        let database = dir.join("server.db");
        let server = Self::serve(
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            &database,
        )
        .await;
        let seller = server.sellers().into_iter().next().unwrap();
        Self {
            addr: server.addr(),
            admin: server.admin_token().to_owned(),
            seller_id: seller.id,
            token: seller.token,
            server: Some(server),
            database,
            http: reqwest::Client::new(),
        }
    }

    async fn serve(listener: tokio::net::TcpListener, database: &Path) -> Server {
        sellerdash_server::start(listener, ServerConfig::demo(database))
            .await
            .unwrap()
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The running server (panics while stopped).
    pub fn server(&self) -> &Server {
        self.server.as_ref().unwrap()
    }

    /// Requests the running server received on `path` since it (re)started.
    pub fn requests(&self, path: &str) -> u64 {
        self.server().requests().get(path).copied().unwrap_or(0)
    }

    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    /// Stops (if running) and starts again on the same port and database.
    pub async fn restart(&mut self) {
        self.stop().await;
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.server = Some(Self::serve(listener, &self.database).await);
    }

    /// The seller's side of the contract, as the app reaches it.
    pub fn source(&self) -> HttpSource {
        HttpSource::new(&self.url(), &self.token, HttpOptions::default()).unwrap()
    }

    /// The app's config for this shop with its data in `data_dir` and the design's policies
    /// scaled by `scale`.
    pub fn config(&self, data_dir: &Path, scale: f64) -> CoreConfig {
        let mut config = CoreConfig::new(self.url(), self.token.clone(), data_dir);
        config.policies = Policies::default().scaled(scale);
        config
    }

    /// A core on this shop (see [`Shop::config`]) and its events.
    pub async fn core(
        &self,
        data_dir: &Path,
        scale: f64,
    ) -> (CoreHandle, UnboundedReceiver<CoreEvent>) {
        let (sink, events) = channel_sink();
        let core = Core::start(self.config(data_dir, scale), sink)
            .await
            .unwrap();
        (core, events)
    }

    pub async fn admin_post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &impl serde::Serialize,
    ) -> T {
        self.http
            .post(format!("{}{path}", self.url()))
            .bearer_auth(&self.admin)
            .json(body)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// A new pending order of one demo product, as a buyer would place it.
    pub async fn create_order(&self) -> Order {
        let product_id = sellerdash_server::demo::product_id(&self.seller_id, 0);
        self.admin_post(
            paths::ADMIN_ORDERS,
            &CreateOrder {
                seller_id: self.seller_id.clone(),
                items: vec![CreateOrderItem {
                    product_id,
                    quantity: 1,
                }],
                customer: None,
                payment_method: None,
            },
        )
        .await
    }

    /// Moves order `id` through the lifecycle, as the marketplace would.
    pub async fn transition(&self, id: &str, action: AdminAction, note: Option<&str>) -> Order {
        self.admin_post(
            &paths::admin_transition(id),
            &TransitionOrder {
                action,
                note: note.map(str::to_owned),
            },
        )
        .await
    }

    /// Order `id` as the seller sees it now.
    pub async fn order(&self, id: &str) -> Order {
        use sellerdash_core::Source;
        self.source().get_order(id).await.unwrap()
    }
}
