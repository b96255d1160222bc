//! `use_query`: one query of the core, as a component sees it.
//!
//! On mount it first subscribes to `query-updated` and waits until the shell has registered
//! the subscription, then runs `observe` for its key: the core starts (or joins) polling the
//! query and answers its current snapshot, so a page that mounts late never misses state and
//! no update can fall between the answer and the subscription. An event that arrives before
//! the answer wins: events are never older than the answer. The data and the data age a page
//! shows both come from the one snapshot held here. On unmount, and
//! when the key changes, it runs `unobserve` for the old key, once `observe` has answered
//! (commands may run concurrently in the shell, so an early `unobserve` could overtake it).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use sellerdash_state::{AppError, ErrorKind, QueryKey, QuerySnapshot};
use serde::de::DeserializeOwned;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::{shell, tauri};

/// What a component renders from a query.
#[derive(Debug, PartialEq)]
pub struct QueryState<T> {
    pub key: QueryKey,
    /// The latest snapshot; `None` until the shell answered.
    pub snapshot: Option<Rc<QuerySnapshot>>,
    /// The snapshot's data decoded as the key's contract type.
    pub data: Option<Rc<T>>,
    /// The data is there but is not the contract type (a version mismatch).
    pub decode_error: Option<String>,
    /// The shell did not answer the `observe` command (or answered something unreadable).
    pub shell_error: Option<AppError>,
}

impl<T> QueryState<T> {
    /// The message to show in the page's error banner, if any.
    pub fn error_message(&self) -> Option<String> {
        if let Some(err) = &self.shell_error {
            return Some(err.message.clone());
        }
        if let Some(err) = &self.decode_error {
            return Some(err.clone());
        }
        let snapshot = self.snapshot.as_ref()?;
        match snapshot.status {
            sellerdash_state::QueryStatus::Error => Some(
                snapshot
                    .last_error
                    .as_ref()
                    .map(|e| e.error.message.clone())
                    .unwrap_or_else(|| "The last refresh failed.".to_owned()),
            ),
            _ => None,
        }
    }

    /// Nothing to show yet and nothing has failed: a loading state.
    pub fn is_loading(&self) -> bool {
        self.data.is_none() && self.error_message().is_none()
    }
}

/// Where the `observe` of one mounted key stands, shared by its effect and its cleanup.
#[derive(Debug, Default)]
struct Observation {
    /// The shell answered `observe`: an `unobserve` is owed.
    observed: bool,
    /// The effect was cleaned up (unmount or new key): answers are ignored.
    released: bool,
}

fn unobserve(key: QueryKey) {
    spawn_local(async move {
        if let Err(err) = shell::unobserve(&key).await {
            gloo::console::warn!(format!("unobserve {key}: {}", err.message));
        }
    });
}

/// Follows the query `key`, decoding its data as `T`.
#[hook]
pub fn use_query<T>(key: QueryKey) -> QueryState<T>
where
    T: DeserializeOwned + 'static,
{
    let snapshot = use_state(|| None::<Rc<QuerySnapshot>>);
    let shell_error = use_state(|| None::<(QueryKey, AppError)>);
    {
        let snapshot = snapshot.clone();
        let shell_error = shell_error.clone();
        use_effect_with(key.clone(), move |key| {
            let heard_event = Rc::new(Cell::new(false));
            let observation = Rc::new(RefCell::new(Observation::default()));
            let subscription = Rc::new(RefCell::new(None::<tauri::Subscription>));
            {
                let key = key.clone();
                let observation = Rc::clone(&observation);
                let subscription = Rc::clone(&subscription);
                spawn_local(async move {
                    // 1. Follow the key's events, and wait until the shell has registered the
                    //    handler: from here on no update can slip past.
                    let listening = {
                        let key = key.clone();
                        let snapshot = snapshot.clone();
                        let shell_error = shell_error.clone();
                        let heard_event = Rc::clone(&heard_event);
                        tauri::listen_registered::<QuerySnapshot>(
                            shell::QUERY_UPDATED,
                            move |update| {
                                if update.key == key {
                                    heard_event.set(true);
                                    shell_error.set(None);
                                    snapshot.set(Some(Rc::new(update)));
                                }
                            },
                        )
                        .await
                    };
                    if observation.borrow().released {
                        return; // dropping `listening` unlistens
                    }
                    match listening {
                        Ok(listening) => *subscription.borrow_mut() = Some(listening),
                        Err(err) => {
                            shell_error.set(Some((key, err)));
                            return;
                        }
                    }
                    // 2. Observe: the answer is the state at that moment; any event heard
                    //    meanwhile is newer and wins.
                    let answer = shell::observe(&key).await;
                    if answer.is_ok() {
                        observation.borrow_mut().observed = true;
                    }
                    if observation.borrow().released {
                        if answer.is_ok() {
                            unobserve(key);
                        }
                        return;
                    }
                    let current = answer.and_then(|value| {
                        serde_json::from_value::<QuerySnapshot>(value).map_err(|err| {
                            AppError::new(
                                ErrorKind::Decode,
                                format!("unexpected answer from the app: {err}"),
                            )
                        })
                    });
                    match current {
                        Ok(current) if !heard_event.get() && current.key == key => {
                            shell_error.set(None);
                            snapshot.set(Some(Rc::new(current)));
                        }
                        Ok(_) => {}
                        Err(err) => shell_error.set(Some((key, err))),
                    }
                });
            }
            let key = key.clone();
            move || {
                subscription.borrow_mut().take();
                let mut observation = observation.borrow_mut();
                observation.released = true;
                if observation.observed {
                    unobserve(key);
                }
            }
        });
    }
    // State set for a previous key never shows under the new one.
    let snapshot = (*snapshot).clone().filter(|s| s.key == key);
    let shell_error = (*shell_error)
        .clone()
        .filter(|(for_key, _)| *for_key == key)
        .map(|(_, err)| err);
    let decoded = use_memo(snapshot.clone(), |snapshot| {
        match snapshot.as_ref().and_then(|s| s.decode::<T>()) {
            None => (None, None),
            Some(Ok(data)) => (Some(Rc::new(data)), None),
            Some(Err(err)) => (
                None,
                Some(format!("The app sent data this page cannot read: {err}")),
            ),
        }
    });
    QueryState {
        key,
        snapshot,
        data: decoded.0.clone(),
        decode_error: decoded.1.clone(),
        shell_error,
    }
}
