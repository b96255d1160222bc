//! The reference server for a test: a demo store in a temporary SQLite file on
//! `127.0.0.1:0`, which a test can stop and start again on the same port to play an outage.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use sellerdash_api::{
    AdminAction, CreateOrder, CreateOrderItem, CreateProduct, CreateSeller, CreatedSeller,
    Currency, DashboardStats, Order, OrderPage, PayoutStats, Period, ProductInfo, SellerAccount,
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

    /// While the server is stopped (the app cannot reach it), changes an order in its store
    /// through a second server on another port that is gone again when this returns: the
    /// app's port keeps refusing connections throughout.
    pub async fn transition_while_stopped(
        &self,
        id: &str,
        action: AdminAction,
    ) -> anyhow::Result<Order> {
        anyhow::ensure!(self.server.is_none(), "stop the server first");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let aside = sellerdash_server::start(listener, ServerConfig::demo(&self.database)).await?;
        let changed = self
            .http
            .post(format!(
                "{}{}",
                aside.base_url(),
                paths::admin_transition(id)
            ))
            .bearer_auth(&self.admin_token)
            .json(&TransitionOrder { action, note: None })
            .send()
            .await
            .and_then(reqwest::Response::error_for_status);
        let order = match changed {
            Ok(response) => response.json::<Order>().await.map_err(anyhow::Error::from),
            Err(error) => Err(error.into()),
        };
        aside.shutdown().await;
        order
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

    /// The seller's dashboard figures for `period`, as the seller's token reads them.
    pub async fn dashboard(&self, period: Period) -> anyhow::Result<DashboardStats> {
        self.seller_get(&format!("{}?period={}", paths::DASHBOARD, period.as_str()))
            .await
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
                    time_zone: None,
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

/// What the Sales and Payouts pages ask of the API: one page of a filtered search, orders
/// for a named buyer, payout history by month and year, and the admin steps that change
/// balances.
impl Marketplace {
    /// One page of the seller's orders: `status` (comma-separated, `""` for all), search
    /// `q` (`""` for none), 1-based `page` of `per_page`.
    pub async fn orders_page(
        &self,
        status: &str,
        q: &str,
        page: u32,
        per_page: u32,
    ) -> anyhow::Result<OrderPage> {
        self.seller_get(&format!(
            "{}?status={}&q={}&page={page}&per_page={per_page}",
            paths::ORDERS,
            paths::encode_segment(status),
            paths::encode_segment(q)
        ))
        .await
    }

    /// How many requests the server answered on `path` (no query string) since it started.
    pub fn requests_on(&self, path: &str) -> u64 {
        self.server
            .as_ref()
            .and_then(|server| server.requests().get(path).copied())
            .unwrap_or(0)
    }

    /// A new pending order of one product for a buyer called `name`.
    pub async fn create_order_named(&self, name: &str) -> anyhow::Result<Order> {
        let product_id = sellerdash_server::demo::product_id(&self.seller_id, 0);
        let body = CreateOrder {
            seller_id: self.seller_id.clone(),
            items: vec![CreateOrderItem {
                product_id,
                quantity: 1,
            }],
            customer: Some(sellerdash_api::Customer {
                name: name.to_owned(),
                email: "buyer@example.com".to_owned(),
                city: "Porto".to_owned(),
                country: "PT".to_owned(),
            }),
            payment_method: None,
        };
        self.admin_post(paths::ADMIN_ORDERS, &body).await
    }

    /// The seller confirms a pending order (through the seller API, not the app).
    pub async fn confirm(&self, id: &str) -> anyhow::Result<Order> {
        let response = self
            .http
            .post(format!("{}{}", self.url(), paths::confirm_order(id)))
            .bearer_auth(&self.seller_token)
            .send()
            .await?;
        Ok(response.error_for_status()?.json().await?)
    }

    /// The payout history: all of it, one year, or one month of one year.
    pub async fn payout_history(
        &self,
        month: Option<u32>,
        year: Option<i32>,
    ) -> anyhow::Result<sellerdash_api::PayoutHistory> {
        let mut query = Vec::new();
        if let Some(month) = month {
            query.push(format!("month={month}"));
        }
        if let Some(year) = year {
            query.push(format!("year={year}"));
        }
        self.seller_get(&format!("{}?{}", paths::PAYOUT_HISTORY, query.join("&")))
            .await
    }

    /// Pays out the seller's available balance (the marketplace's payout run).
    pub async fn run_payouts(&self) -> anyhow::Result<sellerdash_api::RunPayoutsResult> {
        self.admin_post(
            paths::ADMIN_RUN_PAYOUTS,
            &sellerdash_api::RunPayouts {
                seller_id: Some(self.seller_id.clone()),
            },
        )
        .await
    }
}

/// What a benchmark needs to seed the store through the admin API from several tasks.
impl Marketplace {
    /// Creates `count` pending orders for the seller through the admin API, `parallel`
    /// requests at a time; returns how many were created.
    pub async fn seed_orders(&self, count: usize, parallel: usize) -> anyhow::Result<usize> {
        let parallel = parallel.max(1);
        let mut tasks = tokio::task::JoinSet::new();
        for task in 0..parallel {
            let share = count / parallel + usize::from(task < count % parallel);
            let (http, url) = (self.http.clone(), self.url());
            let (token, seller_id) = (self.admin_token.clone(), self.seller_id.clone());
            tasks.spawn(async move {
                let body = CreateOrder {
                    items: vec![CreateOrderItem {
                        product_id: sellerdash_server::demo::product_id(&seller_id, 0),
                        quantity: 1,
                    }],
                    seller_id,
                    customer: None,
                    payment_method: None,
                };
                for _ in 0..share {
                    http.post(format!("{url}{}", paths::ADMIN_ORDERS))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await?
                        .error_for_status()?;
                }
                anyhow::Ok(share)
            });
        }
        let mut created = 0;
        while let Some(done) = tasks.join_next().await {
            created += done??;
        }
        Ok(created)
    }
}

/// Reads for the page-state tests.
impl Marketplace {
    /// One page of the pending orders, newest first, `per_page` of them (the app asks for
    /// the contract's largest page).
    pub async fn pending_page(&self, page: u32, per_page: u32) -> anyhow::Result<OrderPage> {
        self.seller_get(&format!(
            "{}?page={page}&per_page={per_page}",
            paths::PENDING_ORDERS
        ))
        .await
    }
}
