//! The one error type of the HTTP layer. Every failure (a rejected body, query or path, an
//! unknown route, a wrong method, a bad token, a refused transition, a database failure)
//! becomes an [`AppError`], answered as the contract's `{code, message}` JSON body.
//! Internal failures are logged with their details and answered with a generic message.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use sellerdash_api::{ApiError, ErrorCode};

use crate::echo::clip;
use crate::store;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the request body is larger than the server accepts")]
    PayloadTooLarge,
    /// The body is not `application/json` (answered 415 with code `bad_request`).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request took longer than the server's deadline (answered 408 with code
    /// `bad_request`).
    #[error("the request took longer than {} s; send the whole request promptly", .0.as_secs())]
    Timeout(std::time::Duration),
    /// The path exists but not with this method (answered 405 with code `bad_request`).
    #[error("method {0} is not allowed here")]
    MethodNotAllowed(Method),
    #[error(transparent)]
    Store(store::Error),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    fn status_and_body(&self) -> (StatusCode, ApiError) {
        let (code, message) = match self {
            Self::BadRequest(m) => (ErrorCode::BadRequest, m.clone()),
            Self::Unauthorized(m) => (ErrorCode::Unauthorized, m.clone()),
            Self::Forbidden(m) => (ErrorCode::Forbidden, m.clone()),
            Self::NotFound(m) => (ErrorCode::NotFound, m.clone()),
            Self::Conflict(m) => (ErrorCode::Conflict, m.clone()),
            Self::PayloadTooLarge => (ErrorCode::PayloadTooLarge, self.to_string()),
            Self::UnsupportedMediaType(m) => {
                return (
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    ApiError::new(ErrorCode::BadRequest, m.clone()),
                );
            }
            Self::Timeout(_) => {
                return (
                    StatusCode::REQUEST_TIMEOUT,
                    ApiError::new(ErrorCode::BadRequest, self.to_string()),
                );
            }
            Self::MethodNotAllowed(_) => {
                return (
                    StatusCode::METHOD_NOT_ALLOWED,
                    ApiError::new(ErrorCode::BadRequest, self.to_string()),
                );
            }
            Self::Store(store::Error::NotFound(m)) => (ErrorCode::NotFound, m.clone()),
            Self::Store(store::Error::Invalid(m)) => (ErrorCode::BadRequest, m.clone()),
            Self::Store(store::Error::Conflict(m)) => (ErrorCode::Conflict, m.clone()),
            Self::Store(_) | Self::Internal(_) => {
                (ErrorCode::Internal, "internal server error".to_owned())
            }
        };
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, ApiError::new(code, message))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = self.status_and_body();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (status, Json(body)).into_response()
    }
}

impl From<store::Error> for AppError {
    fn from(err: store::Error) -> Self {
        AppError::Store(err)
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType(
                "expected a JSON body with `Content-Type: application/json`".to_owned(),
            ),
            JsonRejection::JsonSyntaxError(err) => {
                AppError::BadRequest(format!("malformed JSON body: {}", err.body_text()))
            }
            JsonRejection::JsonDataError(err) => {
                AppError::BadRequest(format!("invalid JSON body: {}", err.body_text()))
            }
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            other => AppError::BadRequest(format!("unreadable body: {}", other.body_text())),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::BadRequest(format!("invalid query string: {}", rejection.body_text()))
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::BadRequest(format!("invalid path: {}", rejection.body_text()))
    }
}

/// The router's fallback: a JSON 404 for every unknown path.
pub async fn unknown_route(method: Method, uri: Uri) -> AppError {
    AppError::NotFound(format!("no route for {method} {}", clip(uri.path())))
}

/// The router's answer to a known path with a method it does not serve.
pub async fn method_not_allowed(method: Method) -> AppError {
    AppError::MethodNotAllowed(method)
}
