//! The seller's settings as the shell keeps them (`settings.json`) and the Settings page
//! edits them: which marketplace, how often each page polls, background polling,
//! notifications with quiet hours and launch at login. Also the page's answers: where the
//! token is kept (never the token itself), a connection test's outcome in plain words and
//! the per-field errors of a rejected change. Validation lives here so the shell and the
//! page agree on it.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// The version of `settings.json` this build writes.
pub const SETTINGS_VERSION: u32 = 1;
/// The shortest polling interval a seller may choose.
pub const MIN_INTERVAL_SECS: u64 = 2;
/// The longest polling interval a seller may choose (one hour).
pub const MAX_INTERVAL_SECS: u64 = 3_600;
/// The sales lists' adaptive intervals may be multiplied by 0.5 to 10.
pub const SALES_FACTOR_PERCENT: std::ops::RangeInclusive<u32> = 50..=1_000;

/// Where the seller's data comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MarketplaceChoice {
    /// The built-in demo store.
    #[default]
    Demo,
    /// A marketplace's seller API; the token is kept apart (keyring or a private file).
    Remote { url: String },
}

/// Seconds between two polls of each page's data while it is shown (dashboard and pending
/// orders always). The sales lists choose their interval from the orders they hold; the
/// seller may stretch or shrink those intervals by a factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Intervals {
    pub dashboard_secs: u64,
    pub pending_secs: u64,
    pub order_secs: u64,
    pub payouts_secs: u64,
    pub history_secs: u64,
    /// The adaptive sales intervals times this percentage (100: as designed).
    pub sales_factor_percent: u32,
}

impl Default for Intervals {
    /// The design's table (DESIGN.md §3).
    fn default() -> Self {
        Self {
            dashboard_secs: 5,
            pending_secs: 5,
            order_secs: 3,
            payouts_secs: 10,
            history_secs: 10,
            sales_factor_percent: 100,
        }
    }
}

impl Intervals {
    /// `(field, label, seconds)` of every fixed interval, in the page's order.
    pub fn fields(&self) -> [(&'static str, &'static str, u64); 5] {
        [
            ("dashboard", "Dashboard", self.dashboard_secs),
            ("pending", "Pending orders", self.pending_secs),
            ("order", "Order details", self.order_secs),
            ("payouts", "Payouts", self.payouts_secs),
            ("history", "Payout history", self.history_secs),
        ]
    }

    /// Sets the interval named `field` (see [`Intervals::fields`]); false for an unknown name.
    pub fn set(&mut self, field: &str, secs: u64) -> bool {
        let slot = match field {
            "dashboard" => &mut self.dashboard_secs,
            "pending" => &mut self.pending_secs,
            "order" => &mut self.order_secs,
            "payouts" => &mut self.payouts_secs,
            "history" => &mut self.history_secs,
            _ => return false,
        };
        *slot = secs;
        true
    }
}

/// A daily span during which new orders raise no popup (the tray count still updates).
/// `from` and `to` are local times `HH:MM`; the span may cross midnight (22:00 to 07:00).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuietHours {
    pub enabled: bool,
    pub from: String,
    pub to: String,
}

impl Default for QuietHours {
    fn default() -> Self {
        Self {
            enabled: false,
            from: "22:00".to_owned(),
            to: "07:00".to_owned(),
        }
    }
}

/// `HH:MM` (24-hour) as a time of day.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    let (hours, minutes) = text.split_once(':')?;
    if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(hours.parse().ok()?, minutes.parse().ok()?, 0)
}

impl QuietHours {
    /// Whether `at` (local time) is inside the quiet span: from `from` (included) to `to`
    /// (excluded), across midnight when `to` is earlier than `from`. Disabled or malformed
    /// quiet hours are never quiet.
    pub fn is_quiet(&self, at: NaiveTime) -> bool {
        let (Some(from), Some(to)) = (parse_time(&self.from), parse_time(&self.to)) else {
            return false;
        };
        if !self.enabled || from == to {
            return false;
        }
        if from < to {
            from <= at && at < to
        } else {
            at >= from || at < to
        }
    }
}

/// Everything the seller sets on the Settings page, as stored in `settings.json` (never
/// with the token). Unknown fields are ignored, missing ones take their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub version: u32,
    pub marketplace: MarketplaceChoice,
    pub intervals: Intervals,
    /// Off: while the window is hidden the pages stop polling (the pending-orders check that
    /// drives alerts and the tray goes on).
    pub background_polling: bool,
    pub notifications: bool,
    pub quiet_hours: QuietHours,
    pub launch_at_login: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: SETTINGS_VERSION,
            marketplace: MarketplaceChoice::Demo,
            intervals: Intervals::default(),
            background_polling: true,
            notifications: true,
            quiet_hours: QuietHours::default(),
            launch_at_login: false,
        }
    }
}

/// One rejected field and why, in the seller's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// `url`, `token`, `interval.dashboard` (… `.pending`, `.order`, `.payouts`,
    /// `.history`), `sales_factor`, `quiet_from`, `quiet_to`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A marketplace URL's problem, if any.
pub fn check_url(url: &str) -> Option<String> {
    normalize_url(url).err()
}

/// The one form of a marketplace address that is saved, compared and sent: trimmed, the
/// scheme and host in lower case (`HTTP://` is accepted), no trailing slash. Addresses with a user
/// name or password in them (`https://user:pw@host`) are refused: credentials belong in the
/// token field, never in `settings.json`.
pub fn normalize_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    if url.is_empty() {
        return Err("enter the marketplace's address, e.g. https://seller-api.example.com".into());
    }
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => ("https", rest),
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => ("http", rest),
        _ => return Err("the address must start with http:// or https://".into()),
    };
    let rest = rest.trim_end_matches('/');
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if rest.contains(char::is_whitespace) {
        return Err("the address must not contain spaces".into());
    }
    if authority.is_empty() {
        return Err("the address has no host name after http(s)://".into());
    }
    if authority.contains('@') {
        return Err(
            "the address must not contain a user name or password (user:password@): put the seller token in the token field"
                .into(),
        );
    }
    let path = &rest[authority.len()..];
    Ok(format!(
        "{scheme}://{}{path}",
        authority.to_ascii_lowercase()
    ))
}

/// A polling interval as typed on the Settings page: whole seconds from
/// [`MIN_INTERVAL_SECS`] to [`MAX_INTERVAL_SECS`]. `label` names the field in the message.
pub fn parse_interval(label: &str, text: &str) -> Result<u64, String> {
    let text = text.trim();
    let out_of_range = || format!("{label}: out of range (2 s to 1 hour)");
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u64>() {
            Ok(secs) if (MIN_INTERVAL_SECS..=MAX_INTERVAL_SECS).contains(&secs) => Ok(secs),
            _ => Err(out_of_range()),
        };
    }
    Err(format!("{label}: enter a whole number of seconds"))
}

impl Settings {
    /// Every problem with these settings (empty when they can be saved). The token is
    /// checked by the shell, which knows whether one is saved.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let MarketplaceChoice::Remote { url } = &self.marketplace
            && let Some(message) = check_url(url)
        {
            errors.push(FieldError::new("url", message));
        }
        for (field, label, secs) in self.intervals.fields() {
            if !(MIN_INTERVAL_SECS..=MAX_INTERVAL_SECS).contains(&secs) {
                errors.push(FieldError::new(
                    format!("interval.{field}"),
                    format!("{label}: out of range (2 s to 1 hour), not {secs} s"),
                ));
            }
        }
        if !SALES_FACTOR_PERCENT.contains(&self.intervals.sales_factor_percent) {
            errors.push(FieldError::new(
                "sales_factor",
                "the sales factor must be between 0.5× and 10×",
            ));
        }
        let quiet = &self.quiet_hours;
        let from = parse_time(&quiet.from);
        let to = parse_time(&quiet.to);
        for (field, value, parsed) in [
            ("quiet_from", &quiet.from, from),
            ("quiet_to", &quiet.to, to),
        ] {
            if parsed.is_none() {
                errors.push(FieldError::new(
                    field,
                    format!("{value:?} is not a time: use HH:MM, 24-hour (e.g. 22:00)"),
                ));
            }
        }
        if quiet.enabled && from.is_some() && from == to {
            errors.push(FieldError::new(
                "quiet_to",
                "quiet hours must end at another time than they start",
            ));
        }
        errors
    }
}

/// Where the saved seller token is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPlace {
    /// The OS keyring (Secret Service on Linux).
    Keyring,
    /// A file only the user can read, in the app's config folder.
    File,
}

impl TokenPlace {
    pub fn label(self) -> &'static str {
        match self {
            Self::Keyring => "keyring",
            Self::File => "file",
        }
    }
}

/// The token the app has for one marketplace address (never the token itself): what the
/// Settings page's token hint says for the address typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum TokenFor {
    /// Saved for this address, kept there.
    Saved { place: TokenPlace },
    /// Given on the command line (or its environment variable) for this run; not saved.
    ThisRun,
    /// None: the seller has to type it.
    Missing,
}

/// The marketplace this run is using now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningMarketplace {
    /// The base URL (the embedded demo store's loopback address in demo mode).
    pub url: String,
    pub demo: bool,
    /// Chosen by `--marketplace-url`/`--token` (or their environment variables) for this
    /// run, not by the saved settings.
    pub from_flags: bool,
}

/// What the Settings page shows: the saved settings, where the token is (never the token),
/// what runs now and any notice about the settings file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub settings: Settings,
    /// Where the saved token of [`SettingsView::token_url`] is kept; `None` when no token
    /// is saved for it.
    pub token: Option<TokenPlace>,
    /// The (normalized) marketplace address `token` belongs to: the saved marketplace's
    /// (`None` in demo mode). A token is only ever used for its own address; another address
    /// needs its own token.
    #[serde(default)]
    pub token_url: Option<String>,
    pub running: RunningMarketplace,
    /// E.g. "settings.json was unreadable (…); using the defaults".
    pub notice: Option<String>,
    /// Whether this OS supports launch at login here, and how (or why not).
    pub autostart_supported: bool,
    pub autostart_note: String,
}

/// A change the Settings page asks the shell to save and apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsChange {
    pub settings: Settings,
    /// A new seller token; `None` keeps the saved one.
    #[serde(default)]
    pub token: Option<String>,
    /// The seller edited the marketplace (URL, token or demo choice). When false the saved
    /// marketplace is kept as it is, and a run started with `--marketplace-url` keeps it.
    #[serde(default)]
    pub marketplace_changed: bool,
}

/// A change that was not saved: the fields at fault, or a message for the whole page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsError {
    pub message: String,
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

/// The answer to a settings change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum SaveOutcome {
    /// Saved and in effect.
    Saved { view: SettingsView },
    /// Nothing saved.
    Rejected { error: SettingsError },
}

/// The outcome of "Test connection".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ConnectionCheck {
    /// The marketplace answered and accepted the token.
    Connected { seller: String, pending_orders: u64 },
    /// The marketplace answered but refused the token.
    Refused { message: String },
    /// The marketplace did not answer.
    NotAnswering { message: String },
    /// It answered, but not as a seller API should.
    Failed { message: String },
    /// Nothing was sent: the address is not valid, or no token is typed or saved for it.
    NotTested { message: String },
}

impl ConnectionCheck {
    /// The outcome in plain words.
    pub fn text(&self) -> String {
        match self {
            Self::Connected {
                seller,
                pending_orders,
            } => {
                let orders = match pending_orders {
                    1 => "1 pending order".to_owned(),
                    n => format!("{n} pending orders"),
                };
                format!("Connected as {seller} — {orders}")
            }
            Self::Refused { message } => format!("Token refused: {message}"),
            Self::NotAnswering { message } => format!("Not answering: {message}"),
            Self::Failed { message } => format!("Connection failed: {message}"),
            Self::NotTested { message } => {
                let mut chars = message.chars();
                let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
                let sentence = format!("{}{}", first.unwrap_or_default(), chars.as_str());
                if sentence.ends_with('.') {
                    sentence
                } else {
                    format!("{sentence}.")
                }
            }
        }
    }

    pub fn ok(&self) -> bool {
        matches!(self, Self::Connected { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> NaiveTime {
        parse_time(text).unwrap_or_default()
    }

    fn quiet(from: &str, to: &str) -> QuietHours {
        QuietHours {
            enabled: true,
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn quiet_hours_may_cross_midnight() {
        let night = quiet("22:00", "07:00");
        assert!(night.is_quiet(t("22:00")));
        assert!(night.is_quiet(t("23:59")));
        assert!(night.is_quiet(t("00:00")));
        assert!(night.is_quiet(t("06:59")));
        assert!(!night.is_quiet(t("07:00")));
        assert!(!night.is_quiet(t("12:00")));
        assert!(!night.is_quiet(t("21:59")));
        let lunch = quiet("12:00", "13:30");
        assert!(lunch.is_quiet(t("12:45")));
        assert!(!lunch.is_quiet(t("13:30")));
        assert!(!lunch.is_quiet(t("23:00")));
        let off = QuietHours {
            enabled: false,
            ..night
        };
        assert!(!off.is_quiet(t("23:00")));
    }

    #[test]
    fn times_are_hh_mm() {
        assert_eq!(parse_time("7:05"), NaiveTime::from_hms_opt(7, 5, 0));
        assert_eq!(parse_time(" 23:59 "), NaiveTime::from_hms_opt(23, 59, 0));
        for bad in [
            "24:00", "7", "07:5", "aa:bb", "", "12:60", "-1:00", "123:00",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    fn fields(settings: &Settings) -> Vec<String> {
        settings.validate().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn bad_input_names_its_field() {
        assert!(Settings::default().validate().is_empty());
        let mut s = Settings {
            marketplace: MarketplaceChoice::Remote {
                url: "seller-api.example.com".into(),
            },
            ..Settings::default()
        };
        s.intervals.dashboard_secs = 1;
        s.intervals.history_secs = 3_601;
        s.intervals.sales_factor_percent = 20;
        s.quiet_hours = quiet("25:00", "07:00");
        assert_eq!(
            fields(&s),
            [
                "url",
                "interval.dashboard",
                "interval.history",
                "sales_factor",
                "quiet_from"
            ]
        );
        let errors = s.validate();
        assert!(
            errors[1].message == "Dashboard: out of range (2 s to 1 hour), not 1 s",
            "{}",
            errors[1].message
        );
        s = Settings::default();
        s.quiet_hours = quiet("08:00", "08:00");
        assert_eq!(fields(&s), ["quiet_to"]);
        for (url, ok) in [
            ("https://m.example", true),
            ("http://127.0.0.1:8080/", true),
            ("https://", false),
            ("ftp://m.example", false),
            ("", false),
            ("https://user:pw@m.example", false),
        ] {
            assert_eq!(check_url(url).is_none(), ok, "{url}");
        }
    }

    #[test]
    fn addresses_have_one_form_and_never_carry_credentials() {
        for typed in [
            "https://m.example",
            " https://m.example/ ",
            "HTTPS://M.Example//",
            "Https://m.example/\n",
        ] {
            assert_eq!(
                normalize_url(typed).as_deref(),
                Ok("https://m.example"),
                "{typed:?}"
            );
        }
        assert_eq!(
            normalize_url("HTTP://127.0.0.1:8080/api/").as_deref(),
            Ok("http://127.0.0.1:8080/api")
        );
        let refused = normalize_url("https://seller:secret@m.example").unwrap_err();
        assert!(refused.contains("user name or password"), "{refused}");
        assert!(!refused.contains("secret"), "{refused}");
        // An @ later in the path is not a credential.
        assert!(normalize_url("https://m.example/shops/@north").is_ok());
        assert_eq!(
            normalize_url("http://exa mple.com"),
            Err("the address must not contain spaces".to_owned())
        );
        assert_eq!(
            normalize_url("https:///api"),
            Err("the address has no host name after http(s)://".to_owned())
        );
    }

    #[test]
    fn intervals_say_out_of_range_or_not_a_number() {
        assert_eq!(parse_interval("Dashboard", " 30 "), Ok(30));
        assert_eq!(parse_interval("Dashboard", "3600"), Ok(3_600));
        for big in ["99999999999999999999", "3601", "1", "0"] {
            assert_eq!(
                parse_interval("Dashboard", big),
                Err("Dashboard: out of range (2 s to 1 hour)".to_owned()),
                "{big}"
            );
        }
        for bad in ["ten", "", "-5", "2.5"] {
            assert_eq!(
                parse_interval("Dashboard", bad),
                Err("Dashboard: enter a whole number of seconds".to_owned()),
                "{bad}"
            );
        }
    }

    #[test]
    fn settings_read_older_and_partial_files() {
        let s: Settings = serde_json::from_str(
            r#"{"version":1,"marketplace":{"kind":"remote","url":"https://m"},"intervals":{"dashboard_secs":9},"extra":1}"#,
        )
        .unwrap_or_default();
        assert_eq!(s.intervals.dashboard_secs, 9);
        assert_eq!(s.intervals.pending_secs, 5);
        assert!(s.notifications);
        assert_eq!(
            s.marketplace,
            MarketplaceChoice::Remote {
                url: "https://m".into()
            }
        );
    }

    #[test]
    fn connection_outcomes_read_plainly() {
        let ok = ConnectionCheck::Connected {
            seller: "Northwind".into(),
            pending_orders: 3,
        };
        assert_eq!(ok.text(), "Connected as Northwind — 3 pending orders");
        let refused = ConnectionCheck::Refused {
            message: "invalid token".into(),
        };
        assert_eq!(refused.text(), "Token refused: invalid token");
        let not_tested = ConnectionCheck::NotTested {
            message: "enter the token for this marketplace to test it".into(),
        };
        assert_eq!(
            not_tested.text(),
            "Enter the token for this marketplace to test it."
        );
        assert!(!not_tested.ok());
    }
}
