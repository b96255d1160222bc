//! The shell protocol, typed: the commands the UI may run and the events it follows.
//! Names and argument shapes are fixed by the shell; see `tauri.rs` for the transport.

use sellerdash_api::OrderStatus;
use sellerdash_state::outbox::{ActionOutcome, OutboxEntry};
use sellerdash_state::{AppError, Connectivity, QueryDiagnostics, QueryKey, SavedExport};
use serde::Serialize;

use crate::tauri;

/// Event: a query's snapshot changed (payload `QuerySnapshot`, for any key).
pub const QUERY_UPDATED: &str = "query-updated";
/// Event: the connection to the marketplace changed (payload `Connectivity`).
pub const CONNECTIVITY_CHANGED: &str = "connectivity-changed";
/// Event: the tray menu asks for a page (payload `{"page": "dashboard" | "pending" | "sales" | …}`).
pub const NAVIGATE: &str = "navigate";
/// Event: the seller's actions changed (payload `[OutboxEntry]`: unsettled and rejected).
pub const OUTBOX_CHANGED: &str = "outbox-changed";

#[derive(Serialize)]
struct KeyArgs<'a> {
    key: &'a QueryKey,
}

#[derive(Serialize)]
struct IdArgs<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct CancelArgs<'a> {
    id: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct NoArgs {}

/// Starts (or joins) polling `key` and answers its current snapshot, as raw JSON: once this
/// answered, the shell counts the page as an observer even if the UI cannot decode the
/// snapshot, so every answered `observe` must be paired with an [`unobserve`].
pub async fn observe(key: &QueryKey) -> Result<serde_json::Value, AppError> {
    tauri::invoke("observe", &KeyArgs { key }).await
}

/// The page no longer shows `key`; the core stops polling it unless someone else observes
/// it or it is pinned.
pub async fn unobserve(key: &QueryKey) -> Result<(), AppError> {
    tauri::invoke::<serde_json::Value>("unobserve", &KeyArgs { key })
        .await
        .map(drop)
}

/// How every query of the core is doing (the Diagnostics page polls it).
pub async fn diagnostics() -> Result<Vec<QueryDiagnostics>, AppError> {
    tauri::invoke("diagnostics", &NoArgs {}).await
}

/// The current connection state.
pub async fn connectivity() -> Result<Connectivity, AppError> {
    tauri::invoke("connectivity", &NoArgs {}).await
}

/// Asks the core to fetch `key` now; the result arrives as a `query-updated` event.
pub async fn refetch(key: &QueryKey) -> Result<(), AppError> {
    tauri::invoke::<serde_json::Value>("refetch", &KeyArgs { key })
        .await
        .map(drop)
}

/// Confirms a pending order: applied, or queued while the marketplace is unreachable. The
/// updated lists arrive as `query-updated` events, the queue as `outbox-changed`.
pub async fn confirm_order(id: &str) -> Result<ActionOutcome, AppError> {
    tauri::invoke("confirm_order", &IdArgs { id }).await
}

/// Cancels an order with the seller's reason: applied, or queued.
pub async fn cancel_order(id: &str, reason: &str) -> Result<ActionOutcome, AppError> {
    tauri::invoke("cancel_order", &CancelArgs { id, reason }).await
}

/// The unsettled actions and unread rejections.
pub async fn outbox() -> Result<Vec<OutboxEntry>, AppError> {
    tauri::invoke("outbox", &NoArgs {}).await
}

#[derive(Serialize)]
struct SeqArgs {
    seq: i64,
}

/// The seller read the rejection of action `seq`.
pub async fn dismiss_outbox(seq: i64) -> Result<(), AppError> {
    tauri::invoke::<serde_json::Value>("dismiss_outbox", &SeqArgs { seq })
        .await
        .map(drop)
}

#[derive(Serialize)]
struct SalesExportArgs<'a> {
    statuses: &'a [OrderStatus],
    search: &'a str,
}

#[derive(Serialize)]
struct PayoutsExportArgs {
    month: Option<u32>,
    year: Option<i32>,
}

/// Saves every order of a Sales filter (all pages) as CSV in the seller's Downloads folder.
pub async fn export_sales_csv(
    statuses: &[OrderStatus],
    search: &str,
) -> Result<SavedExport, AppError> {
    tauri::invoke("export_sales_csv", &SalesExportArgs { statuses, search }).await
}

/// Saves the payouts of one month of one year, one year, or all of them as CSV.
pub async fn export_payouts_csv(
    month: Option<u32>,
    year: Option<i32>,
) -> Result<SavedExport, AppError> {
    tauri::invoke("export_payouts_csv", &PayoutsExportArgs { month, year }).await
}

#[derive(Serialize)]
struct ChangeArgs<'a> {
    change: &'a sellerdash_state::settings::SettingsChange,
}

#[derive(Serialize)]
struct TestArgs<'a> {
    url: &'a str,
    token: Option<&'a str>,
}

/// The Settings page's view (never the token itself).
pub async fn settings() -> Result<sellerdash_state::settings::SettingsView, AppError> {
    tauri::invoke("get_settings", &NoArgs {}).await
}

/// Saves and applies a settings change, or says which fields are wrong.
pub async fn save_settings(
    change: &sellerdash_state::settings::SettingsChange,
) -> Result<sellerdash_state::settings::SaveOutcome, AppError> {
    tauri::invoke("save_settings", &ChangeArgs { change }).await
}

#[derive(Serialize)]
struct UrlArgs<'a> {
    url: &'a str,
}

/// Which token the app has for this marketplace address (never the token itself).
pub async fn token_for(url: &str) -> Result<sellerdash_state::settings::TokenFor, AppError> {
    tauri::invoke("token_for", &UrlArgs { url }).await
}

/// Calls the marketplace with this URL and token (`None`: the saved token), saving nothing.
pub async fn test_connection(
    url: &str,
    token: Option<&str>,
) -> Result<sellerdash_state::settings::ConnectionCheck, AppError> {
    tauri::invoke("test_connection", &TestArgs { url, token }).await
}

/// Event: the cache notices not dismissed yet changed (payload `Vec<CacheNotice>`).
pub const CACHE_NOTICES: &str = "cache-notices";

#[derive(Serialize)]
struct NoticeArgs {
    id: u64,
}

/// The cache notices the seller has not dismissed (an unreadable cache rebuilt, the cache
/// kept in memory for lack of disk).
pub async fn cache_notices() -> Result<Vec<sellerdash_state::CacheNotice>, AppError> {
    tauri::invoke("cache_notices", &NoArgs {}).await
}

/// The seller closed the banner of notice `id`; the shell does not report it again.
pub async fn dismiss_cache_notice(id: u64) -> Result<bool, AppError> {
    tauri::invoke("dismiss_cache_notice", &NoticeArgs { id }).await
}
