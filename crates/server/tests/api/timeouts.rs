//! A client that sends its headers and part of a body is answered 408 (JSON error) once the
//! request deadline passes instead of holding the request open.

use std::time::{Duration, Instant};

use sellerdash_api::paths;
use sellerdash_server::{AppState, Store, app_with_timeout, demo};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[tokio::test]
async fn a_stalled_body_gets_a_408() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("timeouts.db")).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app_with_timeout(
        AppState::new(store, demo::DEMO_ADMIN_TOKEN),
        Duration::from_secs(1),
    );
    let serve = tokio::spawn(async move { axum::serve(listener, router).await });

    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"seller_id\":",
        paths::ADMIN_VISITS,
        demo::DEMO_ADMIN_TOKEN
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "still open after 10 s");
    assert!(started.elapsed() < Duration::from_secs(5));
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["code"], "bad_request", "{body}");
    serve.abort();
}
