//! The cache notices (an unreadable cache rebuilt, the cache kept in memory for lack of
//! disk): the UI asks for them when it starts, follows the `cache-notices` event, and the
//! seller dismisses each once.

use sellerdash_state::CacheNotice;
use tauri::State;

use crate::Shell;

/// The notices the seller has not dismissed, oldest first.
#[tauri::command]
pub fn cache_notices(shell: State<'_, Shell>) -> Vec<CacheNotice> {
    shell.core().cache_notices()
}

/// The seller closed a notice's banner; it is not shown again. Whether it was shown.
#[tauri::command]
pub fn dismiss_cache_notice(id: u64, shell: State<'_, Shell>) -> bool {
    shell.core().dismiss_cache_notice(id)
}
