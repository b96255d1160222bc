//! The reference server for a test: a demo store in a temporary SQLite file on
//! `127.0.0.1:0`, which a test can stop and start again on the same port to play an outage.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use sellerdash_api::{
    AdminAction, CreateOrder, CreateOrderItem, CreateProduct, CreateSeller, CreatedSeller,
    Currency, DashboardStats, Order, OrderPage, PayoutStats, ProductInfo, SellerAccount,
    TransitionOrder, paths,
};
use sellerdash_server::{Server, ServerConfig};

pub struct Marketplace {
    server: Option<Server>,
    database: PathBuf,
    addr: SocketAddr,
    seller_id: String,
    seller_token: String,
    admin_token: String,
    http: reqwest::Client,
}

impl Marketplace {
    /// A fresh demo store (no simulator: the test makes every change itself).
    pub async fn start(dir: &std::path::Path) -> anyhow::Result<Self> {
        let database = dir.join("marketplace.sqlite");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let server = sellerdash_server::start(listener, ServerConfig::demo(&database)).await?;
        let seller = server
            .sellers()
            .first()
            .cloned()
            .context("the demo store has no seller")?;
        Ok(Self {
            addr: server.addr(),
            admin_token: server.admin_token().to_owned(),
            seller_id: seller.id,
            seller_token: seller.token,
            server: Some(server),
            database,
            http: reqwest::Client::new(),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests the running server has served since it (re)started.
    pub fn requests_served(&self) -> u64 {
        self.server
            .as_ref()
            .map_or(0, |server| server.requests().values().sum())
    }

    pub fn seller_token(&self) -> &str {
        &self.seller_token
    }

    /// Stops the server: the port refuses connections until [`Self::restart`].
    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    /// Starts the server again on the same port with the same data.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.stop().await;
        let listener = tokio::net::TcpListener::bind(self.addr)
            .await
            .context("rebinding the port")?;
        self.server =
            Some(sellerdash_server::start(listener, ServerConfig::demo(&self.database)).await?);
        Ok(())
    }

    /// A new pending order of one product through the admin API.
    pub async fn create_order(&self) -> anyhow::Result<Order> {
        let product_id = sellerdash_server::demo::product_id(&self.seller_id, 0);
        let body = CreateOrder {
            seller_id: self.seller_id.clone(),
            items: vec![CreateOrderItem {
                product_id,
                quantity: 2,
            }],
            customer: None,
            payment_method: None,
        };
        self.admin_post(paths::ADMIN_ORDERS, &body).await
    }

    pub async fn transition(&self, id: &str, action: AdminAction) -> anyhow::Result<Order> {
        self.admin_post(
            &paths::admin_transition(id),
            &TransitionOrder { action, note: None },
        )
        .await
    }

    pub async fn order(&self, id: &str) -> anyhow::Result<Order> {
        self.seller_get(&paths::order(id)).await
    }

    pub async fn pending(&self) -> anyhow::Result<OrderPage> {
        self.seller_get(paths::PENDING_ORDERS).await
    }

    /// The seller's orders, newest first, filtered by `?status=` when given.
    pub async fn orders(&self, status: Option<&str>) -> anyhow::Result<OrderPage> {
        let query = status
            .map(|status| format!("?status={status}"))
            .unwrap_or_default();
        self.seller_get(&format!("{}{query}", paths::ORDERS)).await
    }

    /// The demo seller's account (its shop name).
    pub async fn account(&self) -> anyhow::Result<SellerAccount> {
        self.seller_get(paths::ACCOUNT).await
    }

    /// A new seller with one product priced `price_minor`, through the admin API: another
    /// shop on this marketplace, with its own token.
    pub async fn create_shop(
        &self,
        name: &str,
        currency: Currency,
        price_minor: i64,
    ) -> anyhow::Result<(CreatedSeller, ProductInfo)> {
        let seller: CreatedSeller = self
            .admin_post(
                paths::ADMIN_SELLERS,
                &CreateSeller {
                    name: name.to_owned(),
                    currency,
                    payout_schedule: None,
                },
            )
            .await?;
        let product: ProductInfo = self
            .admin_post(
                &paths::admin_seller_products(&seller.id),
                &CreateProduct {
                    sku: "SKU-1".to_owned(),
                    name: "Tea set".to_owned(),
                    price_minor,
                },
            )
            .await?;
        Ok((seller, product))
    }

    /// A new pending order of `quantity` × `product_id` for any seller of this marketplace.
    pub async fn create_order_for(
        &self,
        seller_id: &str,
        product_id: &str,
        quantity: u32,
    ) -> anyhow::Result<Order> {
        let body = CreateOrder {
            seller_id: seller_id.to_owned(),
            items: vec![CreateOrderItem {
                product_id: product_id.to_owned(),
                quantity,
            }],
            customer: None,
            payment_method: None,
        };
        self.admin_post(paths::ADMIN_ORDERS, &body).await
    }

    /// The dashboard and pending orders as the seller with `token` sees them.
    pub async fn seen_by(&self, token: &str) -> anyhow::Result<(DashboardStats, OrderPage)> {
        let get = |path: &'static str| {
            self.http
                .get(format!("{}{path}", self.url()))
                .bearer_auth(token)
                .send()
        };
        let dashboard = get(paths::DASHBOARD)
            .await?
            .error_for_status()?
            .json()
            .await?;
        let pending = get(paths::PENDING_ORDERS)
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok((dashboard, pending))
    }

    pub async fn payout_stats(&self) -> anyhow::Result<PayoutStats> {
        self.seller_get(paths::PAYOUT_STATS).await
    }

    async fn seller_get<T: serde::de::DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        let response = self
            .http
            .get(format!("{}{path}", self.url()))
            .bearer_auth(&self.seller_token)
            .send()
            .await?;
        Ok(response.error_for_status()?.json().await?)
    }

    async fn admin_post<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> anyhow::Result<T> {
        let response = self
            .http
            .post(format!("{}{path}", self.url()))
            .bearer_auth(&self.admin_token)
            .json(body)
            .send()
            .await?;
        let status = response.status();
        let text = response.text().await?;
        anyhow::ensure!(
            status.is_success(),
            "admin {path} answered {status}: {text}"
        );
        Ok(serde_json::from_str(&text)?)
    }
}
