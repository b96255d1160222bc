//! The `Idempotency-Key` middleware of the mutation routes. The first request with a key
//! runs and its response (status and body) is stored per caller; a repeat with the same key
//! gets the stored response (marked `Idempotent-Replayed: true`) and changes nothing.
//! Server failures (5xx) are not stored, so a retry runs again. The key remembers a digest
//! of the request (method, path, body): reusing it for a different request is a 400. A
//! repeat while the first is still running is a 409 with `Retry-After`. Stored responses
//! are kept for good, so a client may replay an action queued offline hours or days later.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request, State};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sellerdash_api::IDEMPOTENCY_KEY_HEADER;
use sha2::{Digest, Sha256};

use crate::auth::identify;
use crate::echo::clip;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{Claim, now};

/// The longest key accepted.
pub const MAX_KEY_LEN: usize = 255;
/// Responses larger than this are not stored (ours are far smaller).
const MAX_STORED_BODY: usize = 1024 * 1024;
/// Set on a response that repeats a stored one.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(value) = req.headers().get(IDEMPOTENCY_KEY_HEADER) else {
        return next.run(req).await;
    };
    let key = match value.to_str() {
        Ok(key) if !key.trim().is_empty() && key.len() <= MAX_KEY_LEN => key.to_owned(),
        _ => {
            return AppError::BadRequest(format!(
                "{IDEMPOTENCY_KEY_HEADER} must be 1 to {MAX_KEY_LEN} visible characters"
            ))
            .into_response();
        }
    };
    // A request without a valid token goes on to be refused by its handler.
    let Ok(caller) = identify(&state, req.headers()).await else {
        return next.run(req).await;
    };
    let scope = caller.scope();
    let request = format!("{} {}", req.method(), req.uri().path());
    let (req, digest) = match digest(req).await {
        Ok(read) => read,
        Err(err) => return err.into_response(),
    };
    let store = state.store();
    match store
        .claim_idempotency_key(&scope, &key, &request, &digest, now())
        .await
    {
        Err(err) => return AppError::from(err).into_response(),
        Ok(Claim::Done { status, body }) => return replay(status, body),
        Ok(Claim::InProgress) => {
            // `Retry-After` tells a client this conflict is about the key, not the resource:
            // the same request will be answered once the first one is done.
            let mut response = AppError::Conflict(format!(
                "a request with this {IDEMPOTENCY_KEY_HEADER} is still being handled; retry shortly"
            ))
            .into_response();
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("1"));
            return response;
        }
        Ok(Claim::Mismatch { request: first }) => {
            return AppError::BadRequest(format!(
                "this {IDEMPOTENCY_KEY_HEADER} was already used for {}",
                clip(&first)
            ))
            .into_response();
        }
        Ok(Claim::DifferentBody) => {
            return AppError::BadRequest(format!(
                "{IDEMPOTENCY_KEY_HEADER} {:?} was used for a different request \
                 (same path, another body); use a new key for a new request",
                clip(&key)
            ))
            .into_response();
        }
        Ok(Claim::Claimed) => {}
    }

    let (parts, body) = next.run(req).await.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_STORED_BODY).await {
        Ok(bytes) => bytes,
        Err(err) => {
            release(&state, &scope, &key).await;
            return AppError::Internal(format!("buffering a response: {err}")).into_response();
        }
    };
    if parts.status.is_server_error() {
        release(&state, &scope, &key).await;
    } else {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(err) = store
            .complete_idempotency_key(&scope, &key, parts.status.as_u16(), &text)
            .await
        {
            tracing::error!(error = %err, "storing an idempotent response");
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Reads the body (within the router's body limit) and returns the request rebuilt
/// around it, with the hex SHA-256 of its method, path and body (a JSON body in its
/// compact spelling).
async fn digest(req: Request) -> Result<(Request, String), AppError> {
    let (parts, body) = req.into_parts();
    let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), &())
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(format!("unreadable body: {}", rejection.body_text()))
            }
        })?;
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str().as_bytes());
    hasher.update(b"\n");
    hasher.update(parts.uri.path().as_bytes());
    hasher.update(b"\n");
    // A JSON body is hashed in one canonical spelling, so a retry that serializes the same
    // value with other whitespace is still the same request.
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(value) => hasher.update(value.to_string().as_bytes()),
        Err(_) => hasher.update(&bytes),
    }
    let hex = hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    Ok((Request::from_parts(parts, Body::from(bytes)), hex))
}

async fn release(state: &AppState, scope: &str, key: &str) {
    if let Err(err) = state.store().release_idempotency_key(scope, key).await {
        tracing::error!(error = %err, "releasing an idempotency key");
    }
}

fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if !status.is_informational() && status != StatusCode::NO_CONTENT {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}
