//! [`HttpSource`]: the reference seller API over HTTP (reqwest), bearer token auth,
//! `Idempotency-Key` on mutations, every failure classified into a [`SourceError`].

use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode, Url};
use sellerdash_api::{
    ApiError, CancelOrder, DashboardQuery, DashboardStats, IDEMPOTENCY_KEY_HEADER, Order,
    OrderPage, OrderQuery, PayoutHistory, PayoutHistoryQuery, PayoutStats, SellerAccount, paths,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::source::{Source, SourceError, SourceResult};

/// Transport limits of an [`HttpSource`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpOptions {
    /// Whole-request limit (the pollers also apply each query's own, usually shorter, one).
    pub request_timeout: Duration,
    /// Limit for establishing a connection.
    pub connect_timeout: Duration,
    /// How long an idle pooled connection is kept.
    pub pool_idle_timeout: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            pool_idle_timeout: Duration::from_secs(90),
        }
    }
}

/// A marketplace that speaks the reference seller API contract.
#[derive(Clone)]
pub struct HttpSource {
    client: Client,
    base: Url,
    token: String,
    options: HttpOptions,
}

impl std::fmt::Debug for HttpSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpSource")
            .field("base", &self.base.as_str())
            .field("token", &"<redacted>")
            .finish()
    }
}

/// A base URL or token the source cannot use.
#[derive(Debug, thiserror::Error)]
pub enum HttpSourceError {
    #[error("invalid marketplace URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

impl HttpSource {
    /// A source for the marketplace at `base_url` (`http://host:port`, optionally with a
    /// path prefix) acting as the seller whose bearer token is `token`.
    pub fn new(base_url: &str, token: &str, options: HttpOptions) -> Result<Self, HttpSourceError> {
        let invalid = |reason: String| HttpSourceError::InvalidUrl {
            url: base_url.to_owned(),
            reason,
        };
        let mut base = Url::parse(base_url).map_err(|e| invalid(e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https".into()));
        }
        // Paths are joined as `<base path><api path>`, so drop a trailing slash once here.
        let trimmed = base.path().trim_end_matches('/').to_owned();
        base.set_path(&trimmed);
        let client = Client::builder()
            .timeout(options.request_timeout)
            .connect_timeout(options.connect_timeout)
            .pool_idle_timeout(options.pool_idle_timeout)
            .build()?;
        Ok(Self {
            client,
            base,
            token: token.to_owned(),
            options,
        })
    }

    /// The token's own seller account (its shop name), for the connection test.
    pub async fn account(&self) -> SourceResult<SellerAccount> {
        self.get(paths::ACCOUNT, &()).await
    }

    fn url(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        let joined = format!("{}{}", self.base.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        url
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(&self.token)
    }

    async fn get<T: DeserializeOwned, Q: Serialize + ?Sized>(
        &self,
        path: &str,
        query: &Q,
    ) -> SourceResult<T> {
        send(self.request(Method::GET, path).query(query), &self.options).await
    }

    async fn mutate<T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&CancelOrder>,
        idempotency_key: &str,
    ) -> SourceResult<T> {
        let mut request = self
            .request(Method::POST, path)
            .header(IDEMPOTENCY_KEY_HEADER, idempotency_key);
        if let Some(body) = body {
            request = request.json(body);
        }
        send(request, &self.options).await
    }
}

async fn send<T: DeserializeOwned>(
    request: RequestBuilder,
    options: &HttpOptions,
) -> SourceResult<T> {
    let response = request
        .send()
        .await
        .map_err(|e| transport_error(e, options))?;
    let status = response.status();
    // A 409 with `Retry-After` is "the same idempotency key is still being handled": the
    // request itself is fine and is sent again later, unlike a conflict with the order.
    let come_back = response
        .headers()
        .contains_key(reqwest::header::RETRY_AFTER);
    let body = read_body(response, options).await?;
    if status.is_success() {
        return serde_json::from_slice(&body).map_err(|e| {
            tracing::warn!(error = %e, bytes = body.len(), "marketplace answer not readable");
            SourceError::Decode(e.to_string())
        });
    }
    Err(answer_error(status, &body, come_back))
}

async fn read_body(response: Response, options: &HttpOptions) -> SourceResult<Vec<u8>> {
    Ok(response
        .bytes()
        .await
        .map_err(|e| transport_error(e, options))?
        .to_vec())
}

/// What went wrong on the way to the marketplace, in the seller's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transport {
    Refused,
    Dns,
    Other,
}

const REFUSED: &str = "the marketplace is not answering (connection refused)";
const DNS: &str = "cannot find the marketplace's address";
const FAILED: &str = "the connection to the marketplace failed";
const UNSENDABLE: &str =
    "this request cannot be sent (is the search too long?): shorten it and try again";

/// Classifies a transport failure. The seller sees plain words; reqwest's text (with the
/// request URL and the underlying I/O error) goes to the logs only.
fn transport_error(error: reqwest::Error, options: &HttpOptions) -> SourceError {
    let detail = error_chain(&error);
    let classified = if error.is_timeout() {
        let limit = if error.is_connect() {
            options.connect_timeout
        } else {
            options.request_timeout
        };
        SourceError::timeout_after(limit)
    } else if error.is_decode() {
        SourceError::Decode(error.to_string())
    } else if error.is_builder() {
        // Nothing left the machine: the request itself is wrong, the connection is fine.
        SourceError::Unsendable(UNSENDABLE.to_owned())
    } else {
        let words = match transport_cause(&error) {
            Transport::Refused => REFUSED,
            Transport::Dns => DNS,
            Transport::Other => FAILED,
        };
        SourceError::Network(words.to_owned())
    };
    tracing::warn!(error = %detail, shown = %classified, "marketplace request failed");
    classified
}

/// The error and all its sources, `: `-separated (for the logs).
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn transport_cause(error: &(dyn std::error::Error + 'static)) -> Transport {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return Transport::Refused;
        }
        // hyper-util's connector reports resolver failures as "dns error: …".
        if cause.to_string().starts_with("dns error") {
            return Transport::Dns;
        }
        source = cause.source();
    }
    Transport::Other
}

/// [`status_error`], except that a 409 that says when to come back (`Retry-After`) is about
/// the request's idempotency key still being handled, not the order: retryable.
fn answer_error(status: StatusCode, body: &[u8], come_back: bool) -> SourceError {
    match status_error(status, body) {
        SourceError::Conflict(message) if come_back => SourceError::Server {
            status: status.as_u16(),
            message,
        },
        error => error,
    }
}

/// Classifies a non-2xx answer, taking the message from its `{code, message}` body.
fn status_error(status: StatusCode, body: &[u8]) -> SourceError {
    let message = serde_json::from_slice::<ApiError>(body)
        .map(|e| e.message)
        .unwrap_or_else(|_| status.canonical_reason().unwrap_or("error").to_owned());
    match status.as_u16() {
        401 | 403 => SourceError::Unauthorized(message),
        404 => SourceError::NotFound(message),
        409 => SourceError::Conflict(message),
        408 | 429 => SourceError::Server {
            status: status.as_u16(),
            message,
        },
        code if code >= 500 => SourceError::Server {
            status: code,
            message,
        },
        _ => SourceError::BadRequest(message),
    }
}

#[derive(Serialize)]
struct PageQuery {
    page: u32,
    per_page: u32,
}

impl Source for HttpSource {
    fn list_orders<'a>(&'a self, query: &'a OrderQuery) -> BoxFuture<'a, SourceResult<OrderPage>> {
        Box::pin(self.get(paths::ORDERS, query))
    }

    fn pending_orders(&self, page: u32, per_page: u32) -> BoxFuture<'_, SourceResult<OrderPage>> {
        Box::pin(async move {
            self.get(paths::PENDING_ORDERS, &PageQuery { page, per_page })
                .await
        })
    }

    fn get_order<'a>(&'a self, id: &'a str) -> BoxFuture<'a, SourceResult<Order>> {
        Box::pin(async move { self.get(&paths::order(id), &()).await })
    }

    fn dashboard_stats(
        &self,
        query: DashboardQuery,
    ) -> BoxFuture<'_, SourceResult<DashboardStats>> {
        Box::pin(async move { self.get(paths::DASHBOARD, &query).await })
    }

    fn payout_stats(&self) -> BoxFuture<'_, SourceResult<PayoutStats>> {
        Box::pin(self.get(paths::PAYOUT_STATS, &()))
    }

    fn payout_history(
        &self,
        query: PayoutHistoryQuery,
    ) -> BoxFuture<'_, SourceResult<PayoutHistory>> {
        Box::pin(async move { self.get(paths::PAYOUT_HISTORY, &query).await })
    }

    fn confirm<'a>(
        &'a self,
        id: &'a str,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, SourceResult<Order>> {
        Box::pin(async move {
            self.mutate(&paths::confirm_order(id), None, idempotency_key)
                .await
        })
    }

    fn cancel<'a>(
        &'a self,
        id: &'a str,
        reason: &'a str,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, SourceResult<Order>> {
        Box::pin(async move {
            let body = CancelOrder {
                reason: reason.to_owned(),
            };
            self.mutate(&paths::cancel_order(id), Some(&body), idempotency_key)
                .await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths_under_the_base() -> Result<(), HttpSourceError> {
        let source = HttpSource::new("http://127.0.0.1:9/market/", "t", HttpOptions::default())?;
        assert_eq!(
            source.url(paths::DASHBOARD).as_str(),
            "http://127.0.0.1:9/market/api/v1/seller/dashboard"
        );
        let plain = HttpSource::new("http://127.0.0.1:9", "t", HttpOptions::default())?;
        assert_eq!(
            plain.url(paths::PENDING_ORDERS).as_str(),
            "http://127.0.0.1:9/api/v1/seller/orders/pending"
        );
        assert!(HttpSource::new("ftp://x", "t", HttpOptions::default()).is_err());
        assert!(HttpSource::new("not a url", "t", HttpOptions::default()).is_err());
        let secret = HttpSource::new("http://127.0.0.1:9", "s3cret", HttpOptions::default())?;
        assert!(!format!("{secret:?}").contains("s3cret"));
        Ok(())
    }

    #[test]
    fn classifies_statuses() {
        let body = br#"{"code":"conflict","message":"order is not pending"}"#;
        assert_eq!(
            status_error(StatusCode::CONFLICT, body),
            SourceError::Conflict("order is not pending".into())
        );
        assert!(matches!(
            status_error(StatusCode::BAD_GATEWAY, b"<html>"),
            SourceError::Server { status: 502, .. }
        ));
        assert!(matches!(
            status_error(StatusCode::UNAUTHORIZED, b""),
            SourceError::Unauthorized(_)
        ));
        assert!(matches!(
            status_error(StatusCode::NOT_FOUND, b""),
            SourceError::NotFound(_)
        ));
        assert!(matches!(
            status_error(StatusCode::UNPROCESSABLE_ENTITY, b""),
            SourceError::BadRequest(_)
        ));
        let in_progress = br#"{"code":"conflict","message":"still being handled"}"#;
        assert!(answer_error(StatusCode::CONFLICT, in_progress, true).is_retryable());
        assert_eq!(
            answer_error(StatusCode::CONFLICT, body, false),
            SourceError::Conflict("order is not pending".into())
        );
    }
}
