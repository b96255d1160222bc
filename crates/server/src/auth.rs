//! Bearer tokens: who is calling. A seller token scopes every seller endpoint to that
//! seller; the admin token (never stored in the database) opens the admin endpoints. Each
//! kind of token is refused (403) on the other kind's endpoints; a missing or unknown token
//! is a 401.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::AppError;
use crate::state::AppState;
use crate::store::Seller;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub enum Caller {
    Seller(Seller),
    Admin,
}

impl Caller {
    /// The namespace of the caller's idempotency keys.
    pub fn scope(&self) -> String {
        match self {
            Caller::Seller(seller) => format!("seller:{}", seller.id),
            Caller::Admin => "admin".to_owned(),
        }
    }
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer(headers: &HeaderMap) -> Result<&str, AppError> {
    let value = headers.get(AUTHORIZATION).ok_or_else(|| {
        AppError::Unauthorized("missing `Authorization: Bearer <token>` header".to_owned())
    })?;
    let value = value
        .to_str()
        .map_err(|_| AppError::Unauthorized("the Authorization header is not text".to_owned()))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err(AppError::Unauthorized(
            "expected `Authorization: Bearer <token>`".to_owned(),
        )),
    }
}

/// Compares without stopping at the first difference.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Who sent these headers.
pub async fn identify(state: &AppState, headers: &HeaderMap) -> Result<Caller, AppError> {
    let token = bearer(headers)?;
    if same_token(token, state.admin_token()) {
        return Ok(Caller::Admin);
    }
    match state.store().seller_by_token(token).await? {
        Some(seller) => Ok(Caller::Seller(seller)),
        None => Err(AppError::Unauthorized("unknown token".to_owned())),
    }
}

/// The seller of a seller endpoint.
#[derive(Debug, Clone)]
pub struct SellerAuth(pub Seller);

impl FromRequestParts<AppState> for SellerAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match identify(state, &parts.headers).await? {
            Caller::Seller(seller) => Ok(SellerAuth(seller)),
            Caller::Admin => Err(AppError::Forbidden(
                "seller endpoints need a seller token, not the admin token".to_owned(),
            )),
        }
    }
}

/// Proof that the admin token was sent.
#[derive(Debug, Clone, Copy)]
pub struct AdminAuth;

impl FromRequestParts<AppState> for AdminAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match identify(state, &parts.headers).await? {
            Caller::Admin => Ok(AdminAuth),
            Caller::Seller(_) => Err(AppError::Forbidden(
                "admin endpoints need the admin token".to_owned(),
            )),
        }
    }
}
