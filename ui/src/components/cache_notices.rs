//! The cache notices as banners above the page: "The local cache was unreadable and has been
//! rebuilt…", "Disk full: the cache is kept in memory until restart…". Each shows until the
//! seller dismisses it (then the shell forgets it), or until the core withdraws it (the disk
//! takes writes again).

use std::cell::Cell;
use std::rc::Rc;

use sellerdash_state::{CacheNotice, CacheNoticeKind};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::{shell, tauri};

#[component]
pub fn CacheNotices() -> Html {
    let notices = use_state(Vec::<CacheNotice>::new);
    {
        let notices = notices.clone();
        use_effect_with((), move |_| {
            let heard_event = Rc::new(Cell::new(false));
            let subscription = {
                let notices = notices.clone();
                let heard_event = Rc::clone(&heard_event);
                tauri::listen::<Vec<CacheNotice>>(shell::CACHE_NOTICES, move |update| {
                    heard_event.set(true);
                    notices.set(update);
                })
            };
            spawn_local(async move {
                match shell::cache_notices().await {
                    Ok(current) if !heard_event.get() => notices.set(current),
                    Ok(_) => {}
                    Err(err) => gloo::console::warn!(format!("cache notices: {}", err.message)),
                }
            });
            move || drop(subscription)
        });
    }
    if notices.is_empty() {
        return Html::default();
    }
    html! {
        <div class="cache-notices">
            { for notices.iter().map(|notice| {
                let id = notice.id;
                let dismiss = {
                    let notices = notices.clone();
                    Callback::from(move |_: MouseEvent| {
                        notices.set(notices.iter().filter(|n| n.id != id).cloned().collect());
                        spawn_local(async move {
                            if let Err(err) = shell::dismiss_cache_notice(id).await {
                                gloo::console::warn!(format!("dismiss notice: {}", err.message));
                            }
                        });
                    })
                };
                let kind = match notice.kind {
                    CacheNoticeKind::Rebuilt => "rebuilt",
                    CacheNoticeKind::MemoryOnly => "memory-only",
                };
                html! {
                    <div class={classes!("cache-notice", kind)} role="alert"
                        data-testid="cache-notice" data-kind={kind}>
                        <span class="cache-notice-icon" aria-hidden="true">{"!"}</span>
                        <span class="cache-notice-text" data-testid="cache-notice-text">
                            {notice.message.clone()}
                        </span>
                        <button type="button" class="cache-notice-dismiss"
                            data-testid="cache-notice-dismiss" aria-label="Dismiss"
                            title="Dismiss" onclick={dismiss}>{"×"}</button>
                    </div>
                }
            }) }
        </div>
    }
}
