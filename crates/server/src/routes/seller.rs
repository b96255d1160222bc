//! The seller endpoints. Each takes the seller from the bearer token and reads or changes
//! only that seller's data: another seller's order is simply not found.

use axum::extract::State;
use chrono::{Datelike, NaiveDate};
use sellerdash_api::{
    CancelOrder, DashboardQuery, DashboardStats, Order, OrderPage, OrderQuery, OrderStatus,
    PayoutHistory, PayoutHistoryQuery, PayoutStats, SellerAccount,
};

use crate::auth::SellerAuth;
use crate::echo::clip;
use crate::error::AppError;
use crate::extract::{Json, Path, Query};
use crate::ids;
use crate::lifecycle::Step;
use crate::state::AppState;
use crate::store::{self, OrderFilter};

type Reply<T> = Result<Json<T>, AppError>;

pub async fn dashboard(
    SellerAuth(seller): SellerAuth,
    State(state): State<AppState>,
    Query(query): Query<DashboardQuery>,
) -> Reply<DashboardStats> {
    Ok(Json(
        state
            .store()
            .dashboard(&seller, query.period, store::now())
            .await?,
    ))
}

/// The token's own seller account (never its token).
pub async fn account(SellerAuth(seller): SellerAuth) -> Reply<SellerAccount> {
    Ok(Json(crate::accounts::account(seller)))
}

/// Checks paging and turns the query string into a filter.
fn filter(query: &OrderQuery, statuses: Vec<OrderStatus>) -> Result<OrderFilter, AppError> {
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(AppError::BadRequest("page starts at 1".to_owned()));
    }
    let per_page = query.per_page.unwrap_or(OrderQuery::DEFAULT_PER_PAGE);
    if !(1..=OrderQuery::MAX_PER_PAGE).contains(&per_page) {
        return Err(AppError::BadRequest(format!(
            "per_page must be 1 to {}, got {per_page}",
            OrderQuery::MAX_PER_PAGE
        )));
    }
    if let Some(q) = &query.q {
        let chars = q.chars().count();
        if chars > OrderQuery::MAX_SEARCH_CHARS {
            return Err(AppError::BadRequest(format!(
                "q (the search) must be at most {} characters, got {chars}",
                OrderQuery::MAX_SEARCH_CHARS
            )));
        }
    }
    Ok(OrderFilter {
        statuses,
        q: query.q.clone(),
        page,
        per_page,
    })
}

pub async fn orders(
    SellerAuth(seller): SellerAuth,
    State(state): State<AppState>,
    Query(query): Query<OrderQuery>,
) -> Reply<OrderPage> {
    let statuses = query
        .statuses()
        .map_err(|err| AppError::BadRequest(err.to_string()))?;
    let filter = filter(&query, statuses)?;
    Ok(Json(state.store().list_orders(&seller.id, &filter).await?))
}

pub async fn pending_orders(
    SellerAuth(seller): SellerAuth,
    State(state): State<AppState>,
    Query(query): Query<OrderQuery>,
) -> Reply<OrderPage> {
    let filter = filter(&query, vec![OrderStatus::Pending])?;
    Ok(Json(state.store().list_orders(&seller.id, &filter).await?))
}

pub async fn order(
    SellerAuth(seller): SellerAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Reply<Order> {
    match state.store().order(&seller.id, &id).await? {
        Some(order) => Ok(Json(order)),
        None => Err(AppError::NotFound(format!("no order {:?}", clip(&id)))),
    }
}

pub async fn confirm(
    SellerAuth(seller): SellerAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Reply<Order> {
    let shipment = ids::shipment(&mut rand::rng(), ids::CARRIERS);
    let order = state
        .store()
        .apply_step(
            Some(&seller.id),
            &id,
            &Step::Confirm,
            store::now(),
            shipment,
        )
        .await?;
    Ok(Json(order))
}

pub async fn cancel(
    SellerAuth(seller): SellerAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<CancelOrder>,
) -> Reply<Order> {
    let reason = body.reason.trim();
    let chars = reason.chars().count();
    if chars == 0 {
        return Err(AppError::BadRequest(
            "reason must not be blank; say why the order is cancelled".to_owned(),
        ));
    }
    if chars > CancelOrder::MAX_REASON_CHARS {
        return Err(AppError::BadRequest(format!(
            "reason must be at most {} characters, got {chars}",
            CancelOrder::MAX_REASON_CHARS
        )));
    }
    let step = Step::SellerCancel {
        reason: reason.to_owned(),
    };
    let shipment = ids::shipment(&mut rand::rng(), ids::CARRIERS);
    let order = state
        .store()
        .apply_step(Some(&seller.id), &id, &step, store::now(), shipment)
        .await?;
    Ok(Json(order))
}

pub async fn payout_stats(
    SellerAuth(seller): SellerAuth,
    State(state): State<AppState>,
) -> Reply<PayoutStats> {
    Ok(Json(
        state.store().payout_stats(&seller, store::now()).await?,
    ))
}

/// `[first day, first day after)` of the requested month or year.
fn history_range(
    query: PayoutHistoryQuery,
    today: NaiveDate,
) -> Result<Option<(NaiveDate, NaiveDate)>, AppError> {
    let years = PayoutHistoryQuery::YEARS;
    let bad = || {
        AppError::BadRequest(format!(
            "month must be 1 to 12 and year {} to {}",
            years.start(),
            years.end()
        ))
    };
    if query.year.is_some_and(|year| !years.contains(&year)) {
        return Err(bad());
    }
    let range = match (query.month, query.year) {
        (None, None) => return Ok(None),
        (None, Some(year)) => (
            NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad)?,
            NaiveDate::from_ymd_opt(year.checked_add(1).ok_or_else(bad)?, 1, 1).ok_or_else(bad)?,
        ),
        (Some(month), year) => {
            let year = year.unwrap_or(today.year());
            let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .ok_or_else(bad)?;
            (first, next)
        }
    };
    Ok(Some(range))
}

pub async fn payout_history(
    SellerAuth(seller): SellerAuth,
    State(state): State<AppState>,
    Query(query): Query<PayoutHistoryQuery>,
) -> Reply<PayoutHistory> {
    let range = history_range(query, store::now().date_naive())?;
    Ok(Json(state.store().payout_history(&seller, range).await?))
}
