//! The CSV exports against the real reference server: every page of a filter is exported
//! (the row count is the API's total, the ids and the per-currency sums are the API's), names
//! that need quoting read back intact, a search exports exactly the API's matches, and a
//! year of payouts is the API's year. Also the sales page keys fetch the API's pages.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::shop::Shop;
use sellerdash_api::{
    CreateOrder, CreateOrderItem, Customer, Order, OrderPage, OrderStatus, PayoutHistory, paths,
};
use sellerdash_core::{CoreHandle, QueryKey};

struct Setup {
    _dir: tempfile::TempDir,
    shop: Shop,
    core: CoreHandle,
    http: reqwest::Client,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    let (core, _events) = shop.core(&dir.path().join("app"), 0.05).await;
    Setup {
        _dir: dir,
        shop,
        core,
        http: reqwest::Client::new(),
    }
}

impl Setup {
    async fn get<T: serde::de::DeserializeOwned>(&self, path_and_query: &str) -> T {
        self.http
            .get(format!("{}{path_and_query}", self.shop.url()))
            .bearer_auth(&self.shop.token)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Every order of the filter, walked page by page through the API itself.
    async fn api_orders(&self, status: &str, q: &str) -> Vec<sellerdash_api::OrderSummary> {
        let mut all = Vec::new();
        for page in 1.. {
            let answer: OrderPage = self
                .get(&format!(
                    "{}?status={status}&q={}&page={page}&per_page=200",
                    paths::ORDERS,
                    encode(q)
                ))
                .await;
            let done = answer.orders.len() < 200;
            all.extend(answer.orders);
            if done {
                break;
            }
        }
        all
    }

    async fn create_order_for(&self, name: &str) -> Order {
        let seller_id = self.shop.seller_id.clone();
        let body = CreateOrder {
            items: vec![CreateOrderItem {
                product_id: sellerdash_server::demo::product_id(&seller_id, 1),
                quantity: 1,
            }],
            seller_id,
            customer: Some(Customer {
                name: name.to_owned(),
                email: "buyer@example.com".to_owned(),
                city: "Lyon".to_owned(),
                country: "FR".to_owned(),
            }),
            payment_method: None,
        };
        self.shop.admin_post(paths::ADMIN_ORDERS, &body).await
    }
}

fn encode(text: &str) -> String {
    paths::encode_segment(text)
}

/// A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "a record ends with CRLF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => {
                assert!(c != '\n' && c != '"', "a bare {c:?} outside quotes");
                field.push(c);
            }
        }
    }
    assert!(
        !quoted && field.is_empty() && record.is_empty(),
        "the text ends a record"
    );
    records
}

/// `decimal` text back to minor units, by the number of decimals the currency has.
fn minor_units(text: &str, digits: u32) -> i64 {
    let (sign, text) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text),
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    assert_eq!(fraction.len(), digits as usize, "{text}");
    let whole: i64 = whole.parse().unwrap();
    let fraction: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().unwrap()
    };
    sign * (whole * 10i64.pow(digits) + fraction)
}

#[tokio::test]
async fn the_sales_export_is_every_order_of_the_filter() {
    let t = setup().await;
    let tricky = [
        "Lee, Ann",
        "Ann \"The Buyer\" Lee",
        "=SUM(A1:A9)",
        "Zoë Ångström",
    ];
    let mut created = Vec::new();
    for name in tricky {
        created.push(t.create_order_for(name).await);
    }

    let export = t.core.export_sales_csv(&[], "").await.unwrap();
    let records = parse_csv(&export.csv);
    assert_eq!(records[0][0], "order_id");
    let rows = &records[1..];
    let api = t.api_orders("", "").await;
    assert!(api.len() > 200, "the demo store spans several export pages");
    assert_eq!(export.rows, api.len() as u64);
    assert_eq!(rows.len(), api.len());

    // Same ids, newest first, and the same sums per currency.
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let api_ids: Vec<&str> = api.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, api_ids);
    let mut sums: BTreeMap<String, i64> = BTreeMap::new();
    let mut api_sums: BTreeMap<String, i64> = BTreeMap::new();
    for (row, order) in rows.iter().zip(&api) {
        let digits = order.total.currency.minor_digits();
        *sums.entry(row[7].clone()).or_default() += minor_units(&row[6], digits);
        *api_sums
            .entry(order.total.currency.to_string())
            .or_default() += order.total.amount_minor;
        assert_eq!(
            row[1],
            order.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        );
        assert_eq!(row[3], order.status.as_str());
    }
    assert_eq!(sums, api_sums);

    // Names that need quoting (or defusing) read back as the buyer typed them.
    for order in &created {
        let row = rows.iter().find(|r| r[0] == order.id).unwrap();
        let name = &order.customer.name;
        let expected = if name.starts_with('=') {
            format!("'{name}")
        } else {
            name.clone()
        };
        assert_eq!(row[4], expected);
    }
    assert!(export.csv.contains("\"Lee, Ann\""));
    assert!(export.csv.contains("\"Ann \"\"The Buyer\"\" Lee\""));
}

#[tokio::test]
async fn a_filtered_search_exports_exactly_the_apis_matches() {
    let t = setup().await;
    let mine = t.create_order_for("Quillon Vasquez-Ortega").await;
    let again = t.create_order_for("quillon Second").await;

    let export = t
        .core
        .export_sales_csv(&[OrderStatus::Pending], "  QUILLON ")
        .await
        .unwrap();
    let ids: BTreeSet<String> = parse_csv(&export.csv)[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    let api: BTreeSet<String> = t
        .api_orders("pending", "quillon")
        .await
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(ids, api);
    assert_eq!(ids, BTreeSet::from([mine.id.clone(), again.id.clone()]));

    // A search by order id finds that order.
    let by_id = t.core.export_sales_csv(&[], &mine.id).await.unwrap();
    assert_eq!(by_id.rows, 1);

    // Nothing matches: only the header.
    let none = t
        .core
        .export_sales_csv(&[], "no-such-buyer-zzz")
        .await
        .unwrap();
    assert_eq!(none.rows, 0);
    assert_eq!(parse_csv(&none.csv).len(), 1);
}

#[tokio::test]
async fn a_sales_page_key_fetches_that_page_of_the_search() {
    let t = setup().await;
    let key = QueryKey::sales_page(&[], "", 2);
    t.core.observe(&key).unwrap();
    let page: OrderPage = loop {
        if let Some(Some(Ok(page))) = t.core.snapshot(&key).map(|s| s.decode::<OrderPage>()) {
            break page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let api: OrderPage = t
        .get(&format!("{}?page=2&per_page=50", paths::ORDERS))
        .await;
    assert_eq!(page.page, 2);
    assert_eq!(page.per_page, 50);
    assert_eq!(page.total, api.total);
    let ids: Vec<_> = page.orders.iter().map(|o| &o.id).collect();
    let api_ids: Vec<_> = api.orders.iter().map(|o| &o.id).collect();
    assert_eq!(ids, api_ids);
}

#[tokio::test]
async fn a_year_of_payouts_exports_the_apis_year() {
    let t = setup().await;
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let api: PayoutHistory = t
        .get(&format!("{}?year={year}", paths::PAYOUT_HISTORY))
        .await;
    let export = t.core.export_payouts_csv(None, Some(year)).await.unwrap();
    let records = parse_csv(&export.csv);
    assert_eq!(records[0][0], "payout_id");
    let ids: Vec<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
    let api_ids: Vec<&str> = api.payouts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, api_ids);
    let paid: i64 = records[1..]
        .iter()
        .filter(|r| r[1] == "paid")
        .map(|r| minor_units(&r[7], 2))
        .sum();
    assert_eq!(paid, api.total_paid.amount_minor);

    // The year-only key answers the same history.
    let key = QueryKey::payout_history_year(year);
    t.core.observe(&key).unwrap();
    let history: PayoutHistory = loop {
        if let Some(Some(Ok(h))) = t.core.snapshot(&key).map(|s| s.decode::<PayoutHistory>()) {
            break h;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(history, api);

    // A month needs its year.
    let error = t.core.export_payouts_csv(Some(3), None).await.unwrap_err();
    assert_eq!(error.code, sellerdash_core::ErrorKind::BadRequest);
}
