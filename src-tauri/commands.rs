//! Thin Tauri commands: each one delegates to the core and returns its answer or an
//! `AppError {code, message}`, so the UI never matches on strings.

use sellerdash_state::outbox::{ActionOutcome, OutboxEntry};
use sellerdash_state::settings::{
    ConnectionCheck, SaveOutcome, SettingsChange, SettingsView, TokenFor,
};
use sellerdash_state::{
    AppError, Connectivity, ErrorKind, QueryDiagnostics, QueryKey, QuerySnapshot,
};
use tauri::{AppHandle, Runtime, State};

use crate::Shell;

/// The current state of one query, so a page that mounts late never misses data.
#[tauri::command]
pub fn snapshot(key: QueryKey, shell: State<'_, Shell>) -> Result<QuerySnapshot, AppError> {
    shell
        .core()
        .snapshot(&key)
        .ok_or_else(|| AppError::new(ErrorKind::NotFound, format!("no query {key}")))
}

/// A page starts showing a query: it polls from now on (until unobserved) and this is its
/// current state.
#[tauri::command]
pub fn observe(key: QueryKey, shell: State<'_, Shell>) -> Result<QuerySnapshot, AppError> {
    shell.observe(&key)
}

/// A page stops showing a query; unobserved and unpinned, it is dropped after its gc time.
#[tauri::command]
pub fn unobserve(key: QueryKey, shell: State<'_, Shell>) {
    shell.unobserve(&key);
}

/// Every query's state, timings and request rates (the Diagnostics page).
#[tauri::command]
pub fn diagnostics(shell: State<'_, Shell>) -> Vec<QueryDiagnostics> {
    shell.core().diagnostics()
}

/// Whether the marketplace answers.
#[tauri::command]
pub fn connectivity(shell: State<'_, Shell>) -> Connectivity {
    shell.core().connectivity()
}

/// Fetches a query now (the page's refresh button).
#[tauri::command]
pub fn refetch(key: QueryKey, shell: State<'_, Shell>) -> Result<(), AppError> {
    match shell.core().refetch(&key) {
        0 => Err(AppError::new(
            ErrorKind::NotFound,
            format!("no query under {key}"),
        )),
        _ => Ok(()),
    }
}

/// Confirms a pending order: applied, or queued while the marketplace is unreachable.
#[tauri::command]
pub async fn confirm_order(id: String, shell: State<'_, Shell>) -> Result<ActionOutcome, AppError> {
    shell.core().confirm(&id).await
}

/// Cancels an order that has not shipped, with a reason the buyer sees: applied, or queued
/// while the marketplace is unreachable.
#[tauri::command]
pub async fn cancel_order(
    id: String,
    reason: String,
    shell: State<'_, Shell>,
) -> Result<ActionOutcome, AppError> {
    shell.core().cancel(&id, &reason).await
}

/// The seller's unsettled actions and unread rejections (the `outbox-changed` event's list),
/// for a page that mounts after the last event.
#[tauri::command]
pub fn outbox(shell: State<'_, Shell>) -> Vec<OutboxEntry> {
    shell.core().outbox()
}

/// The seller dismissed the rejection of action `seq`.
#[tauri::command]
pub async fn dismiss_outbox(seq: i64, shell: State<'_, Shell>) -> Result<(), AppError> {
    shell.core().dismiss_outbox(seq).await
}

/// The Settings page: the saved settings, where the token is kept (never the token itself),
/// the running marketplace and any notice about the settings file.
#[tauri::command]
pub async fn get_settings(shell: State<'_, Shell>) -> Result<SettingsView, AppError> {
    Ok(shell.view())
}

/// Validates, saves and applies the settings without a restart; on bad input nothing is
/// saved and each field at fault says why.
#[tauri::command]
pub async fn save_settings<R: Runtime>(
    change: SettingsChange,
    app: AppHandle<R>,
    shell: State<'_, Shell>,
) -> Result<SaveOutcome, AppError> {
    Ok(match shell.change(&app, change).await {
        Ok(view) => SaveOutcome::Saved { view },
        Err(error) => SaveOutcome::Rejected { error },
    })
}

/// Which token the app has for a marketplace address typed on the Settings page (never the
/// token itself).
#[tauri::command]
pub async fn token_for(url: String, shell: State<'_, Shell>) -> Result<TokenFor, AppError> {
    Ok(shell.token_for(&url))
}

/// "Test connection": calls the marketplace with this URL and token (or the saved token)
/// and says what happened, saving nothing.
#[tauri::command]
pub async fn test_connection(
    url: String,
    token: Option<String>,
    shell: State<'_, Shell>,
) -> Result<ConnectionCheck, AppError> {
    Ok(shell.test_connection(&url, token.as_deref()).await)
}
