//! The JSON error body every endpoint returns on failure.

use serde::{Deserialize, Serialize};

/// Machine-readable error class. Clients branch on this, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body, path or query string is malformed or fails validation.
    BadRequest,
    /// No or an unknown bearer token.
    Unauthorized,
    /// The token is valid but may not use this endpoint.
    Forbidden,
    /// No such resource for this seller.
    NotFound,
    /// The requested transition is not allowed from the resource's current state.
    Conflict,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// The server failed; details are in its log, not here.
    Internal,
    /// The server is temporarily unable to answer.
    Unavailable,
}

impl ErrorCode {
    /// The HTTP status the reference server answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::PayloadTooLarge => 413,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }
}

/// Every error body: `{"code": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} ({code:?})")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}
