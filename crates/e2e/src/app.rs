//! The built app in a real window, driven through WebDriver: tauri-driver starts
//! WebKitWebDriver, which starts the app with the test's arguments.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::Context;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

use crate::eventually;

/// How long the window may take to show its first page.
const START_TIMEOUT: Duration = Duration::from_secs(30);

pub struct App {
    client: Option<Client>,
    driver: Child,
    data_dir: PathBuf,
}

/// The app binary: `SELLERDASH_APP_BIN`, else the debug build in the target dir.
pub fn binary() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("SELLERDASH_APP_BIN") {
        return Ok(PathBuf::from(path));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let path = target.join("debug/sellerdash");
    anyhow::ensure!(
        path.exists(),
        "no app binary at {}: build it with `scripts/dev build` (tauri build --debug --no-bundle) or set SELLERDASH_APP_BIN",
        path.display()
    );
    Ok(path)
}

impl App {
    /// Starts the app against `marketplace_url` with its data in `data_dir`.
    pub async fn launch(
        marketplace_url: &str,
        token: &str,
        data_dir: &Path,
    ) -> anyhow::Result<Self> {
        Self::launch_with_env(marketplace_url, token, data_dir, &[]).await
    }

    /// [`Self::launch`], with `env` set for the app (through tauri-driver, whose children
    /// inherit it): `SELLERDASH_EXPORT_DIR`, say.
    pub async fn launch_with_env(
        marketplace_url: &str,
        token: &str,
        data_dir: &Path,
        env: &[(&str, &std::ffi::OsStr)],
    ) -> anyhow::Result<Self> {
        anyhow::ensure!(
            std::env::var_os("DISPLAY").is_some(),
            "no DISPLAY: run the end-to-end tests under xvfb-run (scripts/dev test does)"
        );
        let application = binary()?;
        let port = free_port()?;
        let native_port = free_port()?;
        // The webview's own storage (localStorage: the theme choice) goes with the test's
        // data folder, not the user's: no test starts from what another left behind, and a
        // restart on the same folder finds what the run before it stored.
        let webview_data = data_dir.with_extension("webview");
        let driver = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("XDG_DATA_HOME", &webview_data)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start tauri-driver: install it with `scripts/dev setup`")?;
        let mut app = App {
            client: None,
            driver,
            data_dir: data_dir.to_owned(),
        };
        let args = vec![
            "--marketplace-url".to_owned(),
            marketplace_url.to_owned(),
            "--token".to_owned(),
            token.to_owned(),
            "--data-dir".to_owned(),
            data_dir.display().to_string(),
        ];
        let capabilities = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": application, "args": args },
        });
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("a JSON object literal"),
        };
        let url = format!("http://127.0.0.1:{port}");
        let client = eventually("tauri-driver to accept a session", START_TIMEOUT, || {
            let capabilities = capabilities.clone();
            let url = url.clone();
            async move {
                match ClientBuilder::native()
                    .capabilities(capabilities)
                    .connect(&url)
                    .await
                {
                    Ok(client) => Ok(Some(client)),
                    Err(error) => Err(error.into()),
                }
            }
        })
        .await?;
        app.client = Some(client);
        app.wait_for("[data-testid=connection]", START_TIMEOUT)
            .await?;
        Ok(app)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn client(&self) -> &Client {
        self.client
            .as_ref()
            .expect("the session is open until quit")
    }

    /// The element matching `css` once it appears.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> anyhow::Result<Element> {
        let client = self.client();
        eventually(&format!("`{css}` in the window"), timeout, || async move {
            match client.find(Locator::Css(css)).await {
                Ok(element) => Ok(Some(element)),
                Err(error) if error.is_no_such_element() => Ok(None),
                Err(error) => Err(error.into()),
            }
        })
        .await
    }

    /// Waits until no element matches `css`.
    pub async fn wait_gone(&self, css: &str, timeout: Duration) -> anyhow::Result<()> {
        let client = self.client();
        eventually(
            &format!("`{css}` to leave the window"),
            timeout,
            || async move {
                Ok(client
                    .find_all(Locator::Css(css))
                    .await?
                    .is_empty()
                    .then_some(()))
            },
        )
        .await
    }

    /// Waits until the text of `css` satisfies `accept`, and returns it.
    pub async fn wait_text(
        &self,
        css: &str,
        timeout: Duration,
        accept: impl Fn(&str) -> bool,
    ) -> anyhow::Result<String> {
        let client = self.client();
        let accept = &accept;
        let last_seen = &std::sync::Mutex::new(None::<String>);
        eventually(&format!("the text of `{css}`"), timeout, || async move {
            match client.find(Locator::Css(css)).await {
                Ok(element) => {
                    let text = element.text().await?;
                    if accept(&text) {
                        return Ok(Some(text));
                    }
                    *last_seen.lock().expect("not poisoned") = Some(text);
                    Ok(None)
                }
                Err(error) if error.is_no_such_element() => Ok(None),
                Err(error) => Err(error.into()),
            }
        })
        .await
        .map_err(
            |error| match last_seen.lock().expect("not poisoned").take() {
                Some(text) => error.context(format!("`{css}` read {text:?}")),
                None => error.context(format!("`{css}` was never in the window")),
            },
        )
    }

    /// Clicks the element matching `css` once it is there. A page re-renders live, so an
    /// element found an instant ago may be replaced before the click lands: that is retried.
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        let client = self.client();
        eventually(
            &format!("a click on `{css}`"),
            Duration::from_secs(10),
            || async move {
                match client.find(Locator::Css(css)).await {
                    Ok(element) => match element.click().await {
                        Ok(_) => Ok(Some(())),
                        Err(error) => Err(error.into()),
                    },
                    Err(error) if error.is_no_such_element() => Ok(None),
                    Err(error) => Err(error.into()),
                }
            },
        )
        .await
    }

    /// Clicks `css` until `done` holds, each click given a second to take effect, for at
    /// most `timeout`. For buttons on rows that ignore clicks for a moment after they
    /// appear or move (a pending order that just arrived).
    pub async fn click_until<F, Fut>(
        &self,
        css: &str,
        timeout: Duration,
        mut done: F,
    ) -> anyhow::Result<()>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<bool>>,
    {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            self.click(css).await?;
            let settle = tokio::time::Instant::now() + Duration::from_secs(1);
            while tokio::time::Instant::now() < settle {
                if done().await? {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            anyhow::ensure!(
                tokio::time::Instant::now() < deadline,
                "clicking `{css}` had no effect within {timeout:?}"
            );
        }
    }

    pub async fn text(&self, css: &str) -> anyhow::Result<String> {
        Ok(self
            .wait_for(css, Duration::from_secs(10))
            .await?
            .text()
            .await?)
    }

    /// The text content of every element matching `css`, in document order (SVG `<title>`
    /// tooltips included, which WebDriver's visible text leaves out).
    pub async fn text_contents(&self, css: &str) -> anyhow::Result<Vec<String>> {
        let value = self
            .client()
            .execute(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent);",
                vec![serde_json::Value::String(css.to_owned())],
            )
            .await?;
        Ok(serde_json::from_value(value)?)
    }

    /// Scrolls the element matching `css` to the middle of the window (clear of the sticky
    /// header), then clicks it; retried like [`Self::click`].
    pub async fn click_centered(&self, css: &str) -> anyhow::Result<()> {
        let client = self.client();
        eventually(
            &format!("a click on `{css}`"),
            Duration::from_secs(10),
            || async move {
                match client.find(Locator::Css(css)).await {
                    Ok(element) => {
                        client
                            .execute(
                                "arguments[0].scrollIntoView({block: 'center'});",
                                vec![serde_json::to_value(&element)?],
                            )
                            .await?;
                        element.click().await?;
                        Ok(Some(()))
                    }
                    Err(error) if error.is_no_such_element() => Ok(None),
                    Err(error) => Err(error.into()),
                }
            },
        )
        .await
    }

    /// The attribute `name` of the element matching `css`, once that element is there.
    pub async fn attr(&self, css: &str, name: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .wait_for(css, Duration::from_secs(10))
            .await?
            .attr(name)
            .await?)
    }

    /// Waits until the attribute `name` of `css` satisfies `accept`, and returns it.
    pub async fn wait_attr(
        &self,
        css: &str,
        name: &str,
        timeout: Duration,
        accept: impl Fn(&str) -> bool,
    ) -> anyhow::Result<String> {
        let client = self.client();
        let accept = &accept;
        eventually(&format!("the {name} of `{css}`"), timeout, || async move {
            match client.find(Locator::Css(css)).await {
                Ok(element) => Ok(element.attr(name).await?.filter(|value| accept(value))),
                Err(error) if error.is_no_such_element() => Ok(None),
                Err(error) => Err(error.into()),
            }
        })
        .await
    }

    /// The `name` attribute of every element matching `css`, in document order.
    pub async fn attrs(&self, css: &str, name: &str) -> anyhow::Result<Vec<String>> {
        let mut values = Vec::new();
        for element in self.client().find_all(Locator::Css(css)).await? {
            values.push(element.attr(name).await?.unwrap_or_default());
        }
        Ok(values)
    }

    /// Types `text` into the field matching `css` (key by key, as a seller types).
    pub async fn type_into(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let field = self.wait_for(css, Duration::from_secs(10)).await?;
        field.send_keys(text).await?;
        Ok(())
    }

    /// Picks the option with `value` in the `<select>` matching `css`.
    pub async fn select(&self, css: &str, value: &str) -> anyhow::Result<()> {
        self.wait_for(css, Duration::from_secs(10))
            .await?
            .select_by_value(value)
            .await?;
        Ok(())
    }

    /// The screen as PNG bytes (for a failing test's evidence).
    pub async fn screenshot(&self) -> anyhow::Result<Vec<u8>> {
        Ok(self.client().screenshot().await?)
    }

    /// The app's process id (found by its unique data folder on the command line).
    pub fn pid(&self) -> anyhow::Result<u32> {
        app_pids(&self.data_dir)
            .into_iter()
            .next()
            .with_context(|| format!("no app process for {}", self.data_dir.display()))
    }

    /// Whether the app's process is still alive.
    pub fn is_running(&self) -> bool {
        !app_pids(&self.data_dir).is_empty()
    }

    /// Waits for the app to end by itself (the seller quit it), then drops the WebDriver
    /// session it took with it. Fails if the process is still there after `timeout`.
    pub async fn wait_exit(mut self, timeout: Duration) -> anyhow::Result<()> {
        let data_dir = self.data_dir.clone();
        eventually("the app process to end", timeout, || {
            let data_dir = data_dir.clone();
            async move { Ok(app_pids(&data_dir).is_empty().then_some(())) }
        })
        .await?;
        // The session's browser is gone; closing it may fail, which is expected.
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), client.close()).await;
        }
        Ok(())
    }

    /// Ends the session, then makes sure the app (which stays in the tray when its window
    /// closes) is gone, as a seller quitting it or a crash would leave it.
    pub async fn quit(mut self) -> anyhow::Result<()> {
        if let Some(client) = self.client.take() {
            client.close().await?;
        }
        let data_dir = self.data_dir.clone();
        let ended = eventually("the app to exit", Duration::from_secs(5), || {
            let data_dir = data_dir.clone();
            async move { Ok(app_pids(&data_dir).is_empty().then_some(())) }
        })
        .await;
        if ended.is_err() {
            for pid in app_pids(&self.data_dir) {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            }
        }
        Ok(())
    }
}

/// Processes whose command line names `data_dir` (the app under test).
fn app_pids(data_dir: &Path) -> Vec<u32> {
    let needle = data_dir.display().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmdline| {
                let args: Vec<&[u8]> = cmdline.split(|byte| *byte == 0).collect();
                args.first()
                    .is_some_and(|program| program.ends_with(b"sellerdash"))
                    && args.contains(&needle.as_bytes())
            })
        })
        .collect()
}

impl Drop for App {
    /// A test that failed before [`App::quit`] leaves no app behind: it would go on polling,
    /// notifying and holding the tray while the next tests run.
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        for pid in app_pids(&self.data_dir) {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Reading the page's computed state and typing on the keyboard.
impl App {
    /// Runs `script` in the window (WebDriver "Execute Script": a function body; `return`
    /// gives the value) and returns its value as JSON.
    pub async fn execute(&self, script: &str) -> anyhow::Result<serde_json::Value> {
        self.execute_with(script, Vec::new()).await
    }

    /// [`Self::execute`] with `args` (the script's `arguments`).
    pub async fn execute_with(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> anyhow::Result<serde_json::Value> {
        Ok(self.client().execute(script, args).await?)
    }

    /// Presses `keys` together the way a keyboard does (down in order, up in reverse), e.g.
    /// `['\u{e00a}', '3']` for Alt+3 (`fantoccini::key::Key` has the special keys' chars).
    pub async fn press(&self, keys: &[char]) -> anyhow::Result<()> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".to_owned());
        for key in keys {
            actions = actions.then(KeyAction::Down { value: *key });
        }
        for key in keys.iter().rev() {
            actions = actions.then(KeyAction::Up { value: *key });
        }
        self.client().perform_actions(actions).await?;
        Ok(())
    }

    /// The text of every element matching `css`, in document order.
    pub async fn texts(&self, css: &str) -> anyhow::Result<Vec<String>> {
        let mut texts = Vec::new();
        for element in self.client().find_all(Locator::Css(css)).await? {
            texts.push(element.text().await?);
        }
        Ok(texts)
    }
}

/// Form input, as a seller types.
impl App {
    /// Empties the input at `css` and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let element = self.wait_for(css, Duration::from_secs(10)).await?;
        element.clear().await?;
        if !text.is_empty() {
            element.send_keys(text).await?;
        }
        Ok(())
    }

    /// The current value of the input at `css`.
    pub async fn value(&self, css: &str) -> anyhow::Result<String> {
        let element = self.wait_for(css, Duration::from_secs(10)).await?;
        Ok(element.prop("value").await?.unwrap_or_default())
    }

    /// Whether the checkbox or radio button at `css` is checked.
    pub async fn checked(&self, css: &str) -> anyhow::Result<bool> {
        let element = self.wait_for(css, Duration::from_secs(10)).await?;
        Ok(element.prop("checked").await?.as_deref() == Some("true"))
    }
}
