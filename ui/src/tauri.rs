//! The only place that knows the Tauri shell: one `invoke` and one `listen` binding on
//! `window.__TAURI__` (the shell sets `withGlobalTauri`), both declared with `catch` so a
//! rejected command or a missing shell is a `Result`, never a JS exception.
//!
//! The bindings are synchronous calls that return the promise, awaited here: a call that
//! throws at once (no shell) and a promise that rejects both end up as `Err`.
//!
//! Values cross the boundary as JSON text (`JSON.stringify` / `JSON.parse`), so the UI decodes
//! exactly what `serde_json` would: integer money stays integer, maps stay objects.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, JSON, Promise, Reflect};
use sellerdash_state::{AppError, ErrorKind};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.core.invoke(cmd, args)`: resolves with the command's result or
    /// rejects with its error (`AppError` JSON for Sellerdash's commands).
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    fn tauri_invoke(cmd: &str, args: JsValue) -> Result<Promise, JsValue>;

    /// `window.__TAURI__.event.listen(event, handler)`: resolves with the unlisten function.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    fn tauri_listen(event: &str, handler: &JsValue) -> Result<Promise, JsValue>;
}

/// Runs a shell command with `args` (any serde value, sent as a JSON object) and decodes its
/// result as `T`.
pub async fn invoke<T: DeserializeOwned>(cmd: &str, args: &impl Serialize) -> Result<T, AppError> {
    let args = to_js(args)?;
    match settle(tauri_invoke(cmd, args)).await {
        Ok(value) => from_js(&value),
        Err(rejection) => Err(rejection_to_error(cmd, &rejection)),
    }
}

/// A live subscription to a shell event; dropping it unlistens.
///
/// `listen` itself is asynchronous: if the subscription is dropped before the shell has
/// answered, the handler is unlistened (and freed) as soon as the answer arrives.
pub struct Subscription {
    inner: Rc<RefCell<SubscriptionInner>>,
}

#[derive(Default)]
struct SubscriptionInner {
    handler: Option<Closure<dyn FnMut(JsValue)>>,
    unlisten: Option<Function>,
    dropped: bool,
}

impl SubscriptionInner {
    fn release(&mut self) {
        if let Some(unlisten) = self.unlisten.take() {
            if let Err(err) = unlisten.call0(&JsValue::NULL) {
                gloo::console::warn!("unlisten failed", err);
            }
            self.handler = None;
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut inner = self.inner.borrow_mut();
        inner.dropped = true;
        inner.release();
    }
}

/// Follows the shell event `event`, decoding each payload as `T` and passing it to `on_event`.
/// Payloads that do not decode are logged to the console and skipped.
pub fn listen<T: DeserializeOwned + 'static>(
    event: &'static str,
    on_event: impl Fn(T) + 'static,
) -> Subscription {
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
        let payload =
            Reflect::get(&message, &JsValue::from_str("payload")).unwrap_or(JsValue::UNDEFINED);
        match from_js::<T>(&payload) {
            Ok(value) => on_event(value),
            Err(err) => gloo::console::error!(format!("event {event}: {}", err.message)),
        }
    });
    let inner = Rc::new(RefCell::new(SubscriptionInner {
        handler: Some(handler),
        ..SubscriptionInner::default()
    }));
    let pending = Rc::clone(&inner);
    spawn_local(async move {
        // The JS function shares the closure; the closure itself stays owned by `inner`.
        let handler: Option<JsValue> = pending
            .borrow()
            .handler
            .as_ref()
            .map(|handler| handler.as_ref().clone());
        let Some(handler) = handler else { return };
        let result = settle(tauri_listen(event, &handler)).await;
        let mut state = pending.borrow_mut();
        match result {
            Ok(unlisten) => {
                state.unlisten = unlisten.dyn_into::<Function>().ok();
                if state.dropped {
                    state.release();
                }
            }
            Err(err) => {
                gloo::console::error!(format!("cannot listen to {event}"), err);
                state.handler = None;
            }
        }
    });
    Subscription { inner }
}

/// Like [`listen`], but resolves only once the shell has registered the handler: every event
/// emitted after this returns reaches `on_event`. A caller that then asks the shell for the
/// current state (as `use_query` does) cannot miss an update between the answer and the
/// subscription. Fails when the shell refuses the subscription.
pub async fn listen_registered<T: DeserializeOwned + 'static>(
    event: &'static str,
    on_event: impl Fn(T) + 'static,
) -> Result<Subscription, AppError> {
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
        let payload =
            Reflect::get(&message, &JsValue::from_str("payload")).unwrap_or(JsValue::UNDEFINED);
        match from_js::<T>(&payload) {
            Ok(value) => on_event(value),
            Err(err) => gloo::console::error!(format!("event {event}: {}", err.message)),
        }
    });
    let function: JsValue = handler.as_ref().clone();
    let unlisten = settle(tauri_listen(event, &function))
        .await
        .map_err(|err| {
            AppError::new(
                ErrorKind::Internal,
                format!(
                    "cannot follow {event}: {}",
                    err.as_string()
                        .unwrap_or_else(|| "the app refused".to_owned())
                ),
            )
        })?;
    let inner = Rc::new(RefCell::new(SubscriptionInner {
        handler: Some(handler),
        unlisten: unlisten.dyn_into::<Function>().ok(),
        dropped: false,
    }));
    Ok(Subscription { inner })
}

/// The outcome of a binding call: its promise's value, or what it threw or rejected with.
async fn settle(call: Result<Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(call?).await
}

fn to_js(value: &impl Serialize) -> Result<JsValue, AppError> {
    let text = serde_json::to_string(value)
        .map_err(|err| AppError::new(ErrorKind::Internal, format!("cannot encode: {err}")))?;
    JSON::parse(&text).map_err(|_| AppError::new(ErrorKind::Internal, "cannot encode arguments"))
}

fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, AppError> {
    let text = if value.is_undefined() {
        "null".to_owned()
    } else {
        JSON::stringify(value)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| "null".to_owned())
    };
    serde_json::from_str(&text).map_err(|err| {
        AppError::new(
            ErrorKind::Decode,
            format!("unexpected answer from the app: {err}"),
        )
    })
}

/// Sellerdash's commands reject with `{code, message}`; anything else (a missing shell, a
/// plain string) still becomes an `AppError` with a readable message.
fn rejection_to_error(cmd: &str, rejection: &JsValue) -> AppError {
    if let Ok(error) = from_js::<AppError>(rejection) {
        return error;
    }
    if !shell_present() {
        return AppError::new(
            ErrorKind::Internal,
            "This window is not connected to the Sellerdash app.",
        );
    }
    let message = rejection
        .as_string()
        .or_else(|| {
            Reflect::get(rejection, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("the app did not answer {cmd}"));
    AppError::new(ErrorKind::Internal, message)
}

/// True when the page runs inside the Tauri shell (`window.__TAURI__` exists).
fn shell_present() -> bool {
    web_sys::window()
        .and_then(|window| Reflect::get(&window, &JsValue::from_str("__TAURI__")).ok())
        .is_some_and(|tauri| !tauri.is_undefined())
}
