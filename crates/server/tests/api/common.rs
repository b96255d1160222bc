//! Helpers of the API tests: a real server on 127.0.0.1:0 over a temporary SQLite file, and a
//! reqwest client that returns (status, JSON body) pairs.

use std::path::PathBuf;

use reqwest::{Client, Method};
use sellerdash_api::paths;
use sellerdash_server::{SellerCredentials, Server, ServerConfig, demo};
use serde_json::{Value, json};
use tempfile::TempDir;

pub struct TestServer {
    pub server: Server,
    pub client: Client,
    pub db: PathBuf,
    pub dir: TempDir,
}

/// A demo server (two sellers, seeded) on a fresh database.
pub async fn demo_server() -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seller-api.db");
    let server = start(db.clone(), true, None).await;
    TestServer {
        server,
        client: Client::new(),
        db,
        dir,
    }
}

/// The admin token of [`plain_server`].
pub const ADMIN: &str = "s3cret-admin";

/// A server on a fresh database without the demo store: no sellers, admin token [`ADMIN`].
pub async fn plain_server() -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plain.db");
    let server = start(db.clone(), false, Some(ADMIN.to_owned())).await;
    TestServer {
        server,
        client: Client::new(),
        db,
        dir,
    }
}

pub async fn start(db: PathBuf, demo: bool, admin_token: Option<String>) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    sellerdash_server::start(
        listener,
        ServerConfig {
            database: db,
            admin_token,
            demo,
            simulator: None,
            faults: false,
        },
    )
    .await
    .unwrap()
}

impl TestServer {
    /// The main demo seller (EUR).
    pub fn main_seller(&self) -> SellerCredentials {
        self.server
            .sellers()
            .into_iter()
            .find(|s| s.id == demo::DEMO_SELLER_ID)
            .unwrap()
    }

    /// The second demo seller (GBP).
    pub fn other_seller(&self) -> SellerCredentials {
        self.server
            .sellers()
            .into_iter()
            .find(|s| s.id == demo::SECOND_SELLER_ID)
            .unwrap()
    }

    pub fn admin(&self) -> String {
        self.server.admin_token().to_owned()
    }

    pub async fn send(
        &self,
        method: Method,
        token: Option<&str>,
        path: &str,
        body: Option<Value>,
        key: Option<&str>,
    ) -> (u16, Value) {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.server.base_url()));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        if let Some(key) = key {
            req = req.header("Idempotency-Key", key);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        self.send(Method::GET, Some(token), path, None, None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.send(Method::POST, Some(token), path, body, None).await
    }

    /// A new pending order of `seller_id` for its first product; returns the order.
    pub async fn create_order(&self, seller_id: &str) -> Value {
        let body = json!({
            "seller_id": seller_id,
            "items": [{"product_id": demo::product_id(seller_id, 0), "quantity": 2}],
        });
        let (status, order) = self
            .post(&self.admin(), paths::ADMIN_ORDERS, Some(body))
            .await;
        assert_eq!(status, 201, "{order}");
        order
    }

    pub async fn transition(&self, id: &str, action: &str) -> (u16, Value) {
        self.post(
            &self.admin(),
            &paths::admin_transition(id),
            Some(json!({"action": action})),
        )
        .await
    }
}

/// Asserts an error answer: the status and the contract's `{code, message}` body.
pub fn assert_error(answer: &(u16, Value), status: u16, code: &str) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

pub fn id(order: &Value) -> String {
    order["id"].as_str().unwrap().to_owned()
}
