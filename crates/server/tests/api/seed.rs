//! The demo seed is deterministic and goes only into an empty database; a restart on the
//! same database and port keeps every change.

use sellerdash_api::paths;
use sellerdash_server::ServerConfig;
use serde_json::Value;

use crate::common::{TestServer, demo_server, id, start};

/// Every order of the main seller without its timestamps.
async fn orders(t: &TestServer) -> Vec<Value> {
    let token = t.main_seller().token;
    let (_, list) = t
        .get(&token, &format!("{}?per_page=200", paths::ORDERS))
        .await;
    let mut out = Vec::new();
    for page in 1..=(list["total"].as_u64().unwrap().div_ceil(200)) {
        let (_, list) = t
            .get(
                &token,
                &format!("{}?per_page=200&page={page}", paths::ORDERS),
            )
            .await;
        for order in list["orders"].as_array().unwrap() {
            let mut order = order.clone();
            order
                .as_object_mut()
                .unwrap()
                .retain(|k, _| !k.ends_with("_at"));
            out.push(order);
        }
    }
    out
}

#[tokio::test]
async fn two_demo_stores_hold_the_same_orders() {
    let (a, b) = tokio::join!(demo_server(), demo_server());
    let (oa, ob) = (orders(&a).await, orders(&b).await);
    assert!(oa.len() > 300, "about 90 days of orders, got {}", oa.len());
    assert_eq!(oa, ob);
    assert_eq!(a.server.sellers(), b.server.sellers());
    let statuses: std::collections::BTreeSet<_> = oa
        .iter()
        .map(|o| o["status"].as_str().unwrap().to_owned())
        .collect();
    for status in [
        "pending",
        "confirmed",
        "processing",
        "completed",
        "cancelled",
    ] {
        assert!(
            statuses.contains(status),
            "no {status} order in the demo store"
        );
    }
}

#[tokio::test]
async fn restart_on_the_same_database_and_port_keeps_the_data() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = id(&t.create_order(&seller.id).await);
    t.post(&seller.token, &paths::confirm_order(&order), None)
        .await;
    let before = orders(&t).await;
    let addr = t.server.addr();
    let TestServer {
        server,
        client,
        db,
        dir,
    } = t;
    server.shutdown().await;
    assert!(
        client
            .get(format!("http://{addr}{}", paths::HEALTH))
            .send()
            .await
            .is_err(),
        "the server is down"
    );

    // Same port, same file; demo on again must not seed twice.
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let config = ServerConfig {
        database: db.clone(),
        admin_token: None,
        demo: true,
        simulator: None,
        faults: false,
    };
    let server = sellerdash_server::start(listener, config).await.unwrap();
    assert_eq!(server.addr(), addr);
    let t = TestServer {
        server,
        client,
        db,
        dir,
    };
    assert_eq!(orders(&t).await, before);
    let (_, again) = t.get(&seller.token, &paths::order(&order)).await;
    assert_eq!(again["status"], "confirmed");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_non_demo_server_needs_an_admin_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plain.db");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = ServerConfig {
        database: db.clone(),
        admin_token: None,
        demo: false,
        simulator: None,
        faults: false,
    };
    assert!(sellerdash_server::start(listener, config).await.is_err());
    let server = start(db, false, Some("s3cret-admin".into())).await;
    assert_eq!(server.admin_token(), "s3cret-admin");
    assert!(server.sellers().is_empty());
    server.shutdown().await;
}
