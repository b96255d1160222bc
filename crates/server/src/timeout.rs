//! The request deadline: a request whose handling, body read included, takes longer than
//! [`REQUEST_TIMEOUT`] is answered 408 with the contract's JSON error (code `bad_request`)
//! and the connection's work on it stops. A client that sends its headers and then trickles
//! (or withholds) the body no longer holds a task open for good.
//!
//! Not covered: the time to send the request *headers*. hyper has a header read timeout but
//! it needs a timer, and `axum::serve` 0.8 does not give hyper one nor expose its builder, so
//! a client that never finishes its headers (or an idle keep-alive connection) is held until
//! it closes the connection or the server shuts down. A reverse proxy in front of the server
//! (nginx `client_header_timeout`, say) is the place for that limit today.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// How long a request may take, from its headers to the response, body read included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs the request under the deadline `limit`.
pub async fn layer(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => AppError::Timeout(limit).into_response(),
    }
}
