//! The fault mode: a switchable plan of misbehaviour for the seller routes, so clients can
//! be tested against a marketplace that is slow, failing, stalled, garbled or gone without
//! a proxy. Off ([`Fault::None`]) by default; tests switch it through [`FaultHandle`]
//! (`Server::faults`), a manually run server through `POST /api/v1/admin/faults` when it was
//! started with `--allow-faults`.
//!
//! - `Delay(d)`: the answer comes `d` late.
//! - `Status500`: a 500 with the contract's JSON error.
//! - `StallAfterAccept`: the request is read and never answered until the fault changes (or
//!   the client gives up and closes the connection).
//! - `MalformedJson`: a 200 whose JSON body is cut in half.
//! - `DropConnection`: the connection is closed without a byte of answer (the request is
//!   not handled).
//! - `LoseAnswer`: the request is handled (an action applied), then the connection is
//!   closed before the answer is written: the client cannot know whether it took effect.
//!
//! A plan may be scoped to a path prefix (`/api/v1/seller/orders`, say); by default it
//! covers every seller route (`/api/v1/seller`). Health, OpenAPI and admin routes never
//! misbehave, so a test or an operator can always clear the fault.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::error::AppError;
use crate::state::AppState;

/// The routes a plan covers when it names no prefix.
pub const SELLER_PREFIX: &str = "/api/v1/seller";

/// One way to misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// Serve normally.
    #[default]
    None,
    /// Answer after this long.
    Delay(Duration),
    /// Answer 500.
    Status500,
    /// Read the request, never answer (until the fault changes).
    StallAfterAccept,
    /// Answer 200 with a truncated JSON body.
    MalformedJson,
    /// Close the connection without answering.
    DropConnection,
    /// Handle the request, then close the connection without answering.
    LoseAnswer,
}

/// A fault and the paths it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultPlan {
    pub fault: Fault,
    /// Paths starting with this misbehave; [`SELLER_PREFIX`] by default.
    pub path_prefix: String,
}

impl Default for FaultPlan {
    fn default() -> Self {
        Self {
            fault: Fault::None,
            path_prefix: SELLER_PREFIX.to_owned(),
        }
    }
}

impl FaultPlan {
    fn applies_to(&self, path: &str) -> bool {
        self.fault != Fault::None && path.starts_with(&self.path_prefix)
    }
}

/// Switches a running server's fault plan; cheap to clone, shared with the middleware.
#[derive(Debug, Clone)]
pub struct FaultHandle {
    plan: Arc<watch::Sender<FaultPlan>>,
}

impl Default for FaultHandle {
    fn default() -> Self {
        Self {
            plan: Arc::new(watch::Sender::new(FaultPlan::default())),
        }
    }
}

impl FaultHandle {
    /// `fault` on every seller route, from the next request on (stalled requests of an
    /// earlier plan are released and served).
    pub fn set(&self, fault: Fault) {
        self.set_plan(FaultPlan {
            fault,
            ..FaultPlan::default()
        });
    }

    /// `fault` on the paths starting with `prefix` only.
    pub fn set_on(&self, prefix: &str, fault: Fault) {
        self.set_plan(FaultPlan {
            fault,
            path_prefix: prefix.to_owned(),
        });
    }

    pub fn set_plan(&self, plan: FaultPlan) {
        tracing::info!(fault = ?plan.fault, prefix = %plan.path_prefix, "fault plan");
        self.plan.send_replace(plan);
    }

    /// Back to serving normally.
    pub fn clear(&self) {
        self.set(Fault::None);
    }

    pub fn current(&self) -> FaultPlan {
        self.plan.borrow().clone()
    }
}

/// Middleware: applies the current plan to the request.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let faults = state.faults();
    let plan = faults.current();
    if !plan.applies_to(request.uri().path()) {
        return next.run(request).await;
    }
    match plan.fault {
        Fault::None => next.run(request).await,
        Fault::Delay(delay) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Fault::Status500 => {
            AppError::Internal("fault mode: an injected 500".to_owned()).into_response()
        }
        Fault::StallAfterAccept => {
            let mut changes = faults.plan.subscribe();
            // Ends when the plan changes; the client closing the connection drops this
            // future instead.
            let _ = changes.changed().await;
            next.run(request).await
        }
        Fault::MalformedJson => truncated(next.run(request).await).await,
        Fault::DropConnection => {
            if let Some(connection) = connection(&request) {
                connection.drop_now();
            }
            // Never written: the connection fails its next write and closes.
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
        Fault::LoseAnswer => {
            let connection = connection(&request);
            let response = next.run(request).await;
            if let Some(connection) = connection {
                connection.drop_now();
            }
            response
        }
    }
}

/// The request's connection, when the router is served by `start` (which can drop it).
fn connection(request: &Request) -> Option<Connection> {
    let found = request.extensions().get::<ConnectInfo<Connection>>();
    if found.is_none() {
        tracing::warn!("a router not served by `start`: cannot drop its connection");
    }
    found.map(|ConnectInfo(connection)| connection.clone())
}

/// A 200 JSON response whose body is the first half of `response`'s.
async fn truncated(response: Response) -> Response {
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let half = body.slice(..body.len() / 2);
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(half),
    )
        .into_response()
}

/// The body of `POST /api/v1/admin/faults`: `{"fault": "delay", "delay_ms": 1500,
/// "path_prefix": "/api/v1/seller/orders"}`. `fault` is one of `none`, `delay`,
/// `status_500`, `stall`, `malformed_json`, `drop_connection`, `lose_answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetFault {
    pub fault: FaultName,
    /// For `delay`.
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub path_prefix: Option<String>,
}

/// A fault's wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultName {
    None,
    Delay,
    #[serde(rename = "status_500")]
    Status500,
    Stall,
    MalformedJson,
    DropConnection,
    LoseAnswer,
}

impl SetFault {
    /// The plan this body asks for, or why it is not one.
    pub fn plan(&self) -> Result<FaultPlan, String> {
        let fault = match (self.fault, self.delay_ms) {
            (FaultName::Delay, Some(ms)) => Fault::Delay(Duration::from_millis(ms)),
            (FaultName::Delay, None) => return Err("a delay needs delay_ms".to_owned()),
            (_, Some(_)) => return Err("delay_ms is only for the delay fault".to_owned()),
            (FaultName::None, None) => Fault::None,
            (FaultName::Status500, None) => Fault::Status500,
            (FaultName::Stall, None) => Fault::StallAfterAccept,
            (FaultName::MalformedJson, None) => Fault::MalformedJson,
            (FaultName::DropConnection, None) => Fault::DropConnection,
            (FaultName::LoseAnswer, None) => Fault::LoseAnswer,
        };
        let path_prefix = match &self.path_prefix {
            None => SELLER_PREFIX.to_owned(),
            Some(prefix) if prefix.starts_with(SELLER_PREFIX) => prefix.clone(),
            Some(_) => return Err(format!("path_prefix must start with {SELLER_PREFIX}")),
        };
        Ok(FaultPlan { fault, path_prefix })
    }
}

/// A connection's kill switch, handed to each request as `ConnectInfo`.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    dropped: Arc<AtomicBool>,
}

impl Connection {
    fn drop_now(self) {
        self.dropped.store(true, Ordering::SeqCst);
    }

    fn is_dropped(&self) -> bool {
        self.dropped.load(Ordering::SeqCst)
    }
}

impl axum::extract::connect_info::Connected<IncomingStream<'_, FaultyListener>> for Connection {
    fn connect_info(stream: IncomingStream<'_, FaultyListener>) -> Self {
        stream.io().connection.clone()
    }
}

/// The server's listener: plain TCP, whose connections can be dropped by the fault mode.
pub struct FaultyListener {
    inner: TcpListener,
}

impl FaultyListener {
    pub fn new(inner: TcpListener) -> Self {
        Self { inner }
    }
}

impl Listener for FaultyListener {
    type Io = FaultyStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = Listener::accept(&mut self.inner).await;
        (
            FaultyStream {
                stream,
                connection: Connection::default(),
            },
            addr,
        )
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Listener::local_addr(&self.inner)
    }
}

/// A TCP stream that fails every write, and reads as closed, once dropped.
pub struct FaultyStream {
    stream: TcpStream,
    connection: Connection,
}

fn reset() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionReset,
        "fault mode: connection dropped",
    )
}

impl AsyncRead for FaultyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.connection.is_dropped() {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for FaultyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.connection.is_dropped() {
            return Poll::Ready(Err(reset()));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.connection.is_dropped() {
            return Poll::Ready(Err(reset()));
        }
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.connection.is_dropped() {
            return Poll::Ready(Err(reset()));
        }
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_bodies_become_plans_or_clear_errors() {
        let body: SetFault = serde_json::from_str(r#"{"fault":"delay","delay_ms":1500}"#).unwrap();
        assert_eq!(
            body.plan(),
            Ok(FaultPlan {
                fault: Fault::Delay(Duration::from_millis(1500)),
                path_prefix: SELLER_PREFIX.to_owned()
            })
        );
        let stall = SetFault {
            fault: FaultName::Stall,
            delay_ms: None,
            path_prefix: Some("/api/v1/seller/orders".into()),
        };
        assert_eq!(stall.plan().map(|p| p.fault), Ok(Fault::StallAfterAccept));
        let delay_without_ms = SetFault {
            fault: FaultName::Delay,
            delay_ms: None,
            path_prefix: None,
        };
        assert!(delay_without_ms.plan().is_err());
        let admin = SetFault {
            fault: FaultName::Status500,
            delay_ms: None,
            path_prefix: Some("/api/v1/admin".into()),
        };
        assert!(admin.plan().is_err(), "admin routes never misbehave");
        assert!(serde_json::from_str::<SetFault>(r#"{"fault":"explode"}"#).is_err());
    }

    #[test]
    fn plans_apply_to_their_prefix_only() {
        let plan = FaultPlan {
            fault: Fault::Status500,
            path_prefix: "/api/v1/seller/orders".into(),
        };
        assert!(plan.applies_to("/api/v1/seller/orders/pending"));
        assert!(!plan.applies_to("/api/v1/seller/dashboard"));
        assert!(!FaultPlan::default().applies_to("/api/v1/seller/dashboard"));
    }
}
