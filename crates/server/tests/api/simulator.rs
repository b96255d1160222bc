//! The simulator places pending orders at its rate, moves confirmed orders on to completed,
//! leaves pending ones alone, and stops with the server.

use std::time::Duration;

use sellerdash_api::paths;
use sellerdash_server::{ServerConfig, SimulatorConfig, demo};

use crate::common::{TestServer, id};

#[tokio::test]
async fn the_simulator_places_and_advances_orders() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sim.db");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let simulator = SimulatorConfig {
        order_every: Duration::from_millis(150),
        advance_after: Duration::from_millis(200),
    };
    let config = ServerConfig {
        database: db.clone(),
        admin_token: None,
        demo: true,
        simulator: Some(simulator),
        faults: false,
    };
    let server = sellerdash_server::start(listener, config).await.unwrap();
    assert_eq!(
        server.sellers()[0].id,
        demo::DEMO_SELLER_ID,
        "the main demo seller comes first"
    );
    let t = TestServer {
        server,
        client: reqwest::Client::new(),
        db,
        dir,
    };
    let token = t.main_seller().token;

    let (_, before) = t.get(&token, paths::PENDING_ORDERS).await;
    let oldest_pending = before["orders"].as_array().unwrap().last().map(id).unwrap();
    let order = id(&t.create_order(&t.main_seller().id).await);
    t.post(&token, &paths::confirm_order(&order), None).await;

    let mut status = String::new();
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (_, now) = t.get(&token, &paths::order(&order)).await;
        status = now["status"].as_str().unwrap().to_owned();
        if status == "completed" {
            break;
        }
    }
    assert_eq!(status, "completed");
    let (_, after) = t.get(&token, paths::PENDING_ORDERS).await;
    assert!(
        after["total"].as_u64().unwrap() > before["total"].as_u64().unwrap(),
        "new pending orders arrived"
    );
    let (_, left) = t.get(&token, &paths::order(&oldest_pending)).await;
    assert_eq!(
        left["status"], "pending",
        "pending orders wait for the seller"
    );

    tokio::time::timeout(Duration::from_secs(5), t.server.shutdown())
        .await
        .unwrap();
}
