//! The server counts the requests it serves per path, errors included.

use sellerdash_api::paths;

use crate::common::demo_server;

#[tokio::test]
async fn requests_are_counted_per_path() {
    let server = demo_server().await;
    let token = server.main_seller().token;
    for _ in 0..3 {
        server.get(&token, paths::DASHBOARD).await;
    }
    server.get(&token, paths::PENDING_ORDERS).await;
    server.get("wrong-token", paths::PENDING_ORDERS).await;

    let counts = server.server.requests();
    assert_eq!(counts.get(paths::DASHBOARD), Some(&3));
    assert_eq!(counts.get(paths::PENDING_ORDERS), Some(&2));
    assert_eq!(counts.values().sum::<u64>(), 5);
}
