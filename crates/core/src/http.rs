//! [`HttpSource`]: the reference seller API over HTTP (reqwest), bearer token auth,
//! `Idempotency-Key` on mutations, every failure classified into a [`SourceError`].

use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode, Url};
use sellerdash_api::{
    ApiError, CancelOrder, DashboardQuery, DashboardStats, IDEMPOTENCY_KEY_HEADER, Order,
    OrderPage, OrderQuery, PayoutHistory, PayoutHistoryQuery, PayoutStats, paths,
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
        })
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
        send(self.request(Method::GET, path).query(query)).await
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
        send(request).await
    }
}

async fn send<T: DeserializeOwned>(request: RequestBuilder) -> SourceResult<T> {
    let response = request.send().await.map_err(transport_error)?;
    let status = response.status();
    let body = read_body(response).await?;
    if status.is_success() {
        return serde_json::from_slice(&body).map_err(|e| SourceError::Decode(e.to_string()));
    }
    Err(status_error(status, &body))
}

async fn read_body(response: Response) -> SourceResult<Vec<u8>> {
    Ok(response.bytes().await.map_err(transport_error)?.to_vec())
}

fn transport_error(error: reqwest::Error) -> SourceError {
    if error.is_timeout() {
        SourceError::Timeout
    } else if error.is_decode() {
        SourceError::Decode(error.to_string())
    } else {
        SourceError::Network(error.to_string())
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
    }
}
