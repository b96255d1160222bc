//! `sellerdash-cli watch`, the built binary, against the real reference server: an order
//! created through the admin API is printed as a `new_pending_order` line within two
//! polling intervals of the pending orders (policies scaled by 0.2: a 1 s interval).

#![allow(clippy::unwrap_used)]

use std::process::Stdio;
use std::time::Duration;

use sellerdash_api::{CreateOrder, CreateOrderItem, Order, paths};
use sellerdash_server::ServerConfig;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{ChildStdout, Command};
use tokio::time::Instant;

const SCALE: &str = "0.2";
/// The pending orders' interval at that scale.
const INTERVAL: Duration = Duration::from_secs(1);

async fn next_line_where(
    lines: &mut Lines<BufReader<ChildStdout>>,
    deadline: Instant,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    loop {
        let line = tokio::time::timeout_at(deadline, lines.next_line())
            .await
            .expect("no such line before the deadline")
            .unwrap()
            .expect("watch ended");
        let value: Value = serde_json::from_str(&line).unwrap();
        assert!(value["type"].is_string(), "{line}");
        if wanted(&value) {
            return value;
        }
    }
}

#[tokio::test]
async fn watch_prints_an_admin_created_order_within_two_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server =
        sellerdash_server::start(listener, ServerConfig::demo(dir.path().join("server.db")))
            .await
            .unwrap();
    let seller = server.sellers().into_iter().next().unwrap();
    let product_id = sellerdash_server::demo::product_id(&seller.id, 0);

    let mut child = Command::new(env!("CARGO_BIN_EXE_sellerdash-cli"))
        .arg("watch")
        .args(["--data-dir", &dir.path().join("cli").display().to_string()])
        .args(["--diagnostics-every", "1"])
        .env("SELLERDASH_MARKETPLACE_URL", server.base_url())
        .env("SELLERDASH_TOKEN", &seller.token)
        .env("SELLERDASH_POLICY_SCALE", SCALE)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let start = Instant::now() + Duration::from_secs(30);
    next_line_where(&mut lines, start, |v| v["type"] == "connectivity_changed").await;
    next_line_where(&mut lines, start, |v| v["type"] == "pending_total").await;

    let created: Order = reqwest::Client::new()
        .post(format!("{}{}", server.base_url(), paths::ADMIN_ORDERS))
        .bearer_auth(server.admin_token())
        .json(&CreateOrder {
            seller_id: seller.id.clone(),
            items: vec![CreateOrderItem {
                product_id,
                quantity: 1,
            }],
            customer: None,
            payment_method: None,
        })
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    let created_at = Instant::now();
    let line = next_line_where(&mut lines, created_at + 2 * INTERVAL, |v| {
        v["type"] == "new_pending_order" && v["order"]["id"] == created.id.as_str()
    })
    .await;
    assert_eq!(line["while_away"], false);
    eprintln!("announced {:?} after creation", created_at.elapsed());

    // The diagnostics report names the pinned queries and counts their requests.
    let report = next_line_where(&mut lines, Instant::now() + Duration::from_secs(5), |v| {
        v["type"] == "diagnostics"
    })
    .await;
    let dashboard = report["queries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["key"] == serde_json::json!(["seller", "dashboard"]))
        .cloned()
        .unwrap();
    assert_eq!(dashboard["pinned"], true);
    assert!(
        dashboard["requests_per_minute"].as_u64().unwrap() >= 1,
        "{dashboard}"
    );

    child.start_kill().unwrap();
    child.wait().await.unwrap();
    drop(server);
}
