//! [`HttpSource`] and the core against a tiny loopback fault server (real sockets, real
//! time): answers are classified, the last good data survives a 500 and a malformed body,
//! mutations carry the bearer token and an `Idempotency-Key`.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{dashboard, summary};
use sellerdash_api::{DashboardQuery, OrderPage};
use sellerdash_core::{
    Core, CoreEvent, ErrorKind, HttpOptions, HttpSource, MemoryStore, Policies, QueryKey,
    QueryStatus, Source, SourceError, channel_sink,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the fault server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: HashMap<String, String>,
}

/// Answers each path with its scripted `(status, body)` list in turn, repeating the last.
struct FaultServer {
    base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

type Script = HashMap<&'static str, Vec<(u16, String)>>;

impl FaultServer {
    async fn start(script: Script) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, script.clone(), log.clone()));
            }
        });
        Self { base_url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, script: Arc<Mutex<Script>>, log: Arc<Mutex<Vec<Seen>>>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + 4 + length {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    log.lock().unwrap().push(Seen {
        method,
        path: path.clone(),
        headers,
    });
    let answer = {
        let mut script = script.lock().unwrap();
        match script.get_mut(path.as_str()) {
            Some(list) if list.len() > 1 => Some(list.remove(0)),
            Some(list) => list.first().cloned(),
            None => Some((
                404,
                r#"{"code":"not_found","message":"no such path"}"#.to_owned(),
            )),
        }
    };
    let Some((status, body)) = answer else { return };
    if status == 0 {
        // Never answer: the client must time out.
        tokio::time::sleep(Duration::from_secs(30)).await;
        return;
    }
    let response = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn good_dashboard() -> String {
    serde_json::to_string(&dashboard(1, 1)).unwrap()
}

fn good_pending() -> String {
    let page = OrderPage {
        orders: vec![summary("o1", 1)],
        total: 1,
        page: 1,
        per_page: 200,
    };
    serde_json::to_string(&page).unwrap()
}

const INTERNAL: &str = r#"{"code":"internal","message":"database is locked"}"#;
const MALFORMED: &str = r#"{"period": "30d", "sales_count": "#;

fn options() -> HttpOptions {
    HttpOptions {
        request_timeout: Duration::from_millis(500),
        ..HttpOptions::default()
    }
}

#[tokio::test]
async fn http_source_classifies_answers() {
    let mut script = Script::new();
    script.insert(
        "/api/v1/seller/dashboard",
        vec![
            (200, good_dashboard()),
            (500, INTERNAL.into()),
            (200, MALFORMED.into()),
            (
                401,
                r#"{"code":"unauthorized","message":"unknown token"}"#.into(),
            ),
        ],
    );
    script.insert(
        "/api/v1/seller/orders/o1/confirm",
        vec![(
            409,
            r#"{"code":"conflict","message":"order o1 is confirmed, not pending"}"#.into(),
        )],
    );
    script.insert("/api/v1/seller/orders/pending", vec![(0, String::new())]);
    let server = FaultServer::start(script).await;
    let source = HttpSource::new(&server.base_url, "seller-token", options()).unwrap();

    assert_eq!(
        source
            .dashboard_stats(DashboardQuery::default())
            .await
            .unwrap(),
        dashboard(1, 1)
    );
    assert_eq!(
        source
            .dashboard_stats(DashboardQuery::default())
            .await
            .unwrap_err(),
        SourceError::Server {
            status: 500,
            message: "database is locked".into()
        }
    );
    assert!(matches!(
        source.dashboard_stats(DashboardQuery::default()).await,
        Err(SourceError::Decode(_))
    ));
    assert!(matches!(
        source.dashboard_stats(DashboardQuery::default()).await,
        Err(SourceError::Unauthorized(_))
    ));
    assert_eq!(
        source.confirm("o1", "key-1").await.unwrap_err(),
        SourceError::Conflict("order o1 is confirmed, not pending".into())
    );
    let timeout = source.pending_orders(1, 200).await.unwrap_err();
    assert_eq!(
        timeout,
        SourceError::Timeout {
            after: Some(Duration::from_millis(500))
        }
    );
    assert_eq!(
        timeout.to_string(),
        "the marketplace did not answer within 0.5 s"
    );

    let seen = server.seen();
    let confirm = seen.iter().find(|s| s.path.ends_with("/confirm")).unwrap();
    assert_eq!(confirm.method, "POST");
    assert_eq!(
        confirm.headers.get("idempotency-key").map(String::as_str),
        Some("key-1")
    );
    assert!(
        seen.iter()
            .all(|s| s.headers.get("authorization").map(String::as_str)
                == Some("Bearer seller-token"))
    );

    // Nothing listens: a network error.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let unreachable = HttpSource::new(&url, "t", options()).unwrap();
    let error = unreachable.payout_stats().await.unwrap_err();
    assert!(matches!(error, SourceError::Network(_)), "{error:?}");
    assert!(error.is_retryable());
    assert!(error.is_connectivity());
    assert_eq!(
        error.to_string(),
        "the marketplace is not answering (connection refused)"
    );
    assert!(!error.to_string().contains("127.0.0.1"));
    let app = sellerdash_core::AppError::from(&error);
    assert_eq!(app.code, ErrorKind::Network);
    assert_eq!(
        app.message,
        "the marketplace is not answering (connection refused)"
    );

    // A name that cannot resolve (`.invalid` is reserved): the address is not found.
    let nowhere = HttpSource::new("http://sellerdash.invalid", "t", options()).unwrap();
    let error = nowhere.payout_stats().await.unwrap_err();
    assert!(error.is_connectivity(), "{error:?}");
    assert!(
        [
            "cannot find the marketplace's address",
            "the marketplace did not answer within 0.5 s"
        ]
        .contains(&error.to_string().as_str()),
        "{error}"
    );
}

#[tokio::test]
async fn the_core_keeps_good_data_through_a_500_and_a_malformed_answer() {
    let mut script = Script::new();
    script.insert(
        "/api/v1/seller/dashboard",
        vec![
            (200, good_dashboard()),
            (500, INTERNAL.into()),
            (200, MALFORMED.into()),
        ],
    );
    script.insert("/api/v1/seller/orders/pending", vec![(200, good_pending())]);
    let server = FaultServer::start(script).await;
    let source = Arc::new(HttpSource::new(&server.base_url, "seller-token", options()).unwrap());
    let mut policies = Policies::default().scaled(0.02);
    policies.dashboard.retries = 0;
    let (sink, mut events) = channel_sink();
    let core = Core::start_with(source, Arc::new(MemoryStore::new()), policies, sink)
        .await
        .unwrap();

    let mut kinds = Vec::new();
    let mut good = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while kinds.len() < 2 {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap()
            .unwrap();
        let CoreEvent::QueryUpdated(snap) = event else {
            continue;
        };
        if snap.key != QueryKey::dashboard() || snap.fetching {
            continue;
        }
        match snap.status {
            QueryStatus::Success if good.is_none() => good = snap.data.clone(),
            QueryStatus::Error => {
                assert!(good.is_some(), "an error before the first good answer");
                assert_eq!(snap.data, good, "the last good data is kept");
                let error = snap.last_error.unwrap();
                kinds.push(error.error.code);
            }
            _ => {}
        }
    }
    assert_eq!(kinds, [ErrorKind::Server, ErrorKind::Decode]);
    let pending = core.snapshot(&QueryKey::pending_orders()).unwrap();
    assert_eq!(pending.status, QueryStatus::Success);
    assert_eq!(core.pending_total(), Some(1));
    core.shutdown().await;
}
