//! The HTTP surface: [`app`] builds the one router that `main`, the embedded server and the
//! tests use. Seller routes live in [`seller`], admin routes in [`admin`] and, for seller
//! management, [`sellers`]; every failure is an [`AppError`](crate::error::AppError) JSON
//! body, including unknown routes and methods.

mod admin;
mod seller;
mod sellers;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{Request, Response};
use axum::middleware;
use axum::routing::{get, post};
use sellerdash_api::paths;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::error::{method_not_allowed, unknown_route};
use crate::faults;
use crate::idempotency;
use crate::metrics;
use crate::openapi;
use crate::state::AppState;
use crate::timeout;
pub use crate::timeout::REQUEST_TIMEOUT;

/// Sets the fault plan (admin token; only when the server allows faults).
pub const ADMIN_FAULTS: &str = "/api/v1/admin/faults";

/// The largest request body accepted (413 above).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The seller API router over `state`, with the [`REQUEST_TIMEOUT`] deadline.
pub fn app(state: AppState) -> Router {
    app_with_timeout(state, REQUEST_TIMEOUT)
}

/// The seller API router over `state` whose requests (body read included) must finish
/// within `deadline`, else 408.
pub fn app_with_timeout(state: AppState, deadline: Duration) -> Router {
    let order = format!("{}/{{id}}", paths::ORDERS);
    let admin_order = format!("{}/{{id}}", paths::ADMIN_ORDERS);
    let mutations = Router::new()
        .route(&format!("{order}/confirm"), post(seller::confirm))
        .route(&format!("{order}/cancel"), post(seller::cancel))
        .route(paths::ADMIN_ORDERS, post(admin::create_order))
        .route(
            &format!("{admin_order}/transition"),
            post(admin::transition),
        )
        .route(
            &format!("{}/{{id}}/products", paths::ADMIN_SELLERS),
            post(sellers::create_product),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ));

    let mut router = Router::new();
    if state.fault_endpoint() {
        router = router.route(ADMIN_FAULTS, post(admin::set_fault));
    }
    router
        .route(paths::HEALTH, get(health))
        .route(openapi::OPENAPI_PATH, get(openapi_document))
        .route(paths::DASHBOARD, get(seller::dashboard))
        .route(paths::ACCOUNT, get(seller::account))
        .route(paths::ORDERS, get(seller::orders))
        .route(paths::PENDING_ORDERS, get(seller::pending_orders))
        .route(&order, get(seller::order))
        .route(paths::PAYOUT_STATS, get(seller::payout_stats))
        .route(paths::PAYOUT_HISTORY, get(seller::payout_history))
        .route(paths::ADMIN_VISITS, post(admin::record_visits))
        .route(paths::ADMIN_RUN_PAYOUTS, post(admin::run_payouts))
        .route(
            paths::ADMIN_SELLERS,
            post(sellers::create_seller).get(sellers::list_sellers),
        )
        .merge(mutations)
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(deadline, timeout::layer))
        // Outside the deadline: a stall lasts until the fault is cleared.
        .layer(middleware::from_fn_with_state(state.clone(), faults::layer))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::count))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<Body>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(|res: &Response<Body>, latency: Duration, _span: &Span| {
                    tracing::info!(
                        status = res.status().as_u16(),
                        latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
                        "response"
                    );
                }),
        )
        .with_state(state)
}

async fn health() -> &'static str {
    "ok"
}

async fn openapi_document() -> axum::Json<serde_json::Value> {
    axum::Json(openapi::document())
}
