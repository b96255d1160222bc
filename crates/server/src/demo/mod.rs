//! The deterministic demo store: two sellers (the main one in EUR on Berlin time, a second
//! one in GBP on London time that proves tenant scoping), their products, about 90 days of orders whose statuses follow
//! from their age, daily visits and the past payouts.
//!
//! [`generate`] is a pure function of a fixed seed and the current time: every order is
//! placed a fixed age before `now` and moves on at fixed delays, so two stores generated at
//! different times hold the same orders (ids, customers, items, totals, statuses), shifted in
//! time. Only calendar-bound data (visits per store day, payouts on payout days) depends on
//! the date. The seed goes only into an empty database.

mod catalog;

use chrono::{DateTime, Datelike, Duration, NaiveTime, SubsecRound, Utc, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sellerdash_api::{AdminAction, Currency, Customer, PaymentMethod, PayoutSchedule};

use catalog::*;
pub use catalog::{EU_CITIES, UK_CITIES};

use crate::ids;
use crate::lifecycle::{Shipment, Step};
use crate::store::{NewOrder, NewOrderItem, NewProduct, SeedOp, Seller};

/// The fixed seed of the demo store.
pub const SEED: u64 = 0x5E11_E2DA_5B0A_2D01;
/// The admin token of a demo server started without one.
pub const DEMO_ADMIN_TOKEN: &str = "demo-admin-token";
/// The main demo seller (EUR).
pub const DEMO_SELLER_ID: &str = "sel_lumen";
pub const DEMO_SELLER_TOKEN: &str = "demo-seller-token";
/// The second demo seller (GBP).
pub const SECOND_SELLER_ID: &str = "sel_harbour";
pub const SECOND_SELLER_TOKEN: &str = "demo-seller-token-2";

struct Shop {
    id: &'static str,
    name: &'static str,
    token: &'static str,
    currency: Currency,
    time_zone: Tz,
    schedule: PayoutSchedule,
    sku_prefix: &'static str,
    products: &'static [(&'static str, i64)],
    /// How long ago the account was opened (the main seller's is the oldest).
    opened_days_ago: i64,
    days: i64,
    /// Ages of the orders placed just now, still waiting for the seller's confirmation.
    fresh_minutes: &'static [i64],
    orders_per_day: (u32, u32),
    visits_per_day: (i64, i64),
    cities: &'static [(&'static str, &'static str)],
    carriers: &'static [&'static str],
}

const SHOPS: [Shop; 2] = [
    Shop {
        id: DEMO_SELLER_ID,
        name: "Atelier Lumen",
        token: DEMO_SELLER_TOKEN,
        currency: Currency::EUR,
        time_zone: Tz::Europe__Berlin,
        schedule: PayoutSchedule::Weekly,
        sku_prefix: "LUM",
        products: LUMEN_PRODUCTS,
        opened_days_ago: 120,
        days: 90,
        fresh_minutes: &[4, 19, 47, 133],
        orders_per_day: (3, 7),
        visits_per_day: (140, 420),
        cities: EU_CITIES,
        carriers: ids::CARRIERS,
    },
    Shop {
        id: SECOND_SELLER_ID,
        name: "Harbour & Pine",
        token: SECOND_SELLER_TOKEN,
        currency: Currency::GBP,
        time_zone: Tz::Europe__London,
        schedule: PayoutSchedule::Monthly,
        sku_prefix: "HAR",
        products: HARBOUR_PRODUCTS,
        opened_days_ago: 100,
        days: 60,
        fresh_minutes: &[36],
        orders_per_day: (1, 3),
        visits_per_day: (40, 120),
        cities: UK_CITIES,
        carriers: UK_CARRIERS,
    },
];

/// The demo store as of `now`, as writes for [`Store::seed`](crate::store::Store::seed).
pub fn generate(now: DateTime<Utc>) -> Vec<SeedOp> {
    let now = now.trunc_subsecs(0);
    let mut ops = Vec::new();
    for (index, shop) in (0_u64..).zip(SHOPS.iter()) {
        let mut rng = StdRng::seed_from_u64(SEED ^ index);
        generate_shop(&mut rng, shop, now, &mut ops);
    }
    ops
}

/// The id of the demo seller's `index`-th product.
pub fn product_id(seller_id: &str, index: usize) -> String {
    format!("prd_{}_{index:03}", seller_id.trim_start_matches("sel_"))
}

fn generate_shop(rng: &mut StdRng, shop: &Shop, now: DateTime<Utc>, ops: &mut Vec<SeedOp>) {
    let opened = now - Duration::days(shop.opened_days_ago);
    ops.push(SeedOp::Seller(Seller {
        id: shop.id.to_owned(),
        name: shop.name.to_owned(),
        currency: shop.currency,
        token: Some(shop.token.to_owned()),
        payout_schedule: shop.schedule,
        time_zone: shop.time_zone,
        created_at: opened,
    }));
    for (index, (name, price_minor)) in shop.products.iter().enumerate() {
        let product = NewProduct {
            id: product_id(shop.id, index),
            sku: format!("{}-{:04}", shop.sku_prefix, index + 1),
            name: (*name).to_owned(),
            price_minor: *price_minor,
        };
        ops.push(SeedOp::Product {
            seller_id: shop.id.to_owned(),
            product,
            at: opened,
        });
    }

    // Visits are counted per day of the store's calendar, today's in proportion to the part
    // of it gone by.
    let local_now = now.with_timezone(&shop.time_zone).naive_local();
    let today_secs = (local_now - local_now.date().and_time(NaiveTime::MIN)).num_seconds();
    for back in 0..=shop.days {
        let mut count = rng.random_range(shop.visits_per_day.0..=shop.visits_per_day.1);
        if back == 0 {
            count = count * today_secs / 86_400;
        }
        let day = local_now.date() - Duration::days(back);
        ops.push(SeedOp::Visits {
            seller_id: shop.id.to_owned(),
            day,
            count,
        });
    }

    for back in (0..shop.days).rev() {
        let growth = u32::try_from((shop.days - back) / 30).unwrap_or(0);
        let (lo, hi) = shop.orders_per_day;
        for _ in 0..rng.random_range(lo..=hi) + growth {
            let age = back * 86_400 + rng.random_range(0..86_400);
            generate_order(rng, shop, now - Duration::seconds(age), now, false, ops);
        }
    }
    for minutes in shop.fresh_minutes {
        generate_order(rng, shop, now - Duration::minutes(*minutes), now, true, ops);
    }

    let mut day = opened.date_naive();
    while day <= now.date_naive() {
        let payday = match shop.schedule {
            PayoutSchedule::Weekly => day.weekday() == Weekday::Mon,
            PayoutSchedule::Biweekly => {
                day.weekday() == Weekday::Mon && day.iso_week().week().is_multiple_of(2)
            }
            PayoutSchedule::Monthly => day.day() == 1,
        };
        let at = day
            .and_time(NaiveTime::from_hms_opt(6, 0, 0).unwrap_or(NaiveTime::MIN))
            .and_utc();
        if payday && at <= now {
            ops.push(SeedOp::Payout {
                seller_id: shop.id.to_owned(),
                id: ids::payout_id(rng),
                at,
            });
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
}

fn pick<'a, T>(rng: &mut StdRng, list: &'a [T]) -> &'a T {
    &list[rng.random_range(0..list.len())]
}

fn hours(rng: &mut StdRng, from: i64, to: i64) -> Duration {
    Duration::seconds(rng.random_range(from * 3600..to * 3600))
}

/// One order placed at `created` and the steps it has gone through by `now`. A `fresh`
/// order is still pending: the seller has not got to it yet.
fn generate_order(
    rng: &mut StdRng,
    shop: &Shop,
    created: DateTime<Utc>,
    now: DateTime<Utc>,
    fresh: bool,
    ops: &mut Vec<SeedOp>,
) {
    let id = ids::order_id(rng);
    let customer = customer(rng, shop.cities);
    let lines = match rng.random_range(0..100) {
        0..70 => 1,
        70..92 => 2,
        _ => 3,
    };
    let mut items: Vec<NewOrderItem> = Vec::new();
    for _ in 0..lines {
        // Two draws, the smaller wins: low-numbered products sell more.
        let a = rng.random_range(0..shop.products.len());
        let b = rng.random_range(0..shop.products.len());
        let quantity = match rng.random_range(0..100) {
            0..80 => 1,
            80..95 => 2,
            _ => 3,
        };
        let product_id = product_id(shop.id, a.min(b));
        if items.iter().all(|item| item.product_id != product_id) {
            items.push(NewOrderItem {
                product_id,
                quantity,
            });
        }
    }
    let method = match rng.random_range(0..100) {
        0..55 => PaymentMethod::Card,
        55..80 => PaymentMethod::Paypal,
        80..92 => PaymentMethod::BankTransfer,
        _ => PaymentMethod::CashOnDelivery,
    };

    let wait = if fresh {
        18 * 60
    } else {
        rng.random_range(20..720)
    };
    let confirm = created + Duration::minutes(wait);
    let process = confirm + hours(rng, 1, 10);
    let ship = process + hours(rng, 4, 30);
    let transit = ship + hours(rng, 2, 12);
    let deliver = transit + hours(rng, 24, 72);
    let complete = deliver + hours(rng, 48, 120);
    let pay = created + hours(rng, 2, 30);
    let fate = if fresh { 100 } else { rng.random_range(0..100) };
    let cancel_stage = rng.random_range(0..3_usize);
    let seller_reason = (*pick(rng, SELLER_CANCEL_REASONS)).to_owned();
    let buyer_note = (*pick(rng, BUYER_CANCEL_NOTES)).to_owned();
    let shipment: Shipment = ids::shipment(rng, shop.carriers);
    let feedback = rng.random_range(0..100) < 45;
    let rating: u8 = match rng.random_range(0..100) {
        0..2 => 1,
        2..5 => 2,
        5..15 => 3,
        15..40 => 4,
        _ => 5,
    };
    let comment = (*pick(rng, COMMENTS[usize::from(rating - 1)])).to_owned();
    let feedback_at = complete + hours(rng, 2, 72);

    let admin = |action| Step::Admin { action, note: None };
    let mut steps = vec![
        (confirm, Step::Confirm),
        (process, admin(AdminAction::Process)),
        (ship, admin(AdminAction::Ship)),
        (transit, admin(AdminAction::InTransit)),
        (deliver, admin(AdminAction::Deliver)),
        (complete, admin(AdminAction::Complete)),
    ];
    let cancelled_at = match fate {
        0..4 => Some(Step::SellerCancel {
            reason: seller_reason,
        }),
        4..7 => Some(Step::Admin {
            action: AdminAction::BuyerCancel,
            note: Some(buyer_note),
        }),
        _ => None,
    }
    .map(|cancel| {
        let at = steps[cancel_stage].0;
        steps.truncate(cancel_stage);
        steps.push((at, cancel));
        at
    });
    if method == PaymentMethod::BankTransfer && cancelled_at.is_none_or(|at| pay < at) {
        steps.push((pay, admin(AdminAction::Pay)));
        steps.sort_by_key(|(at, _)| *at);
    }

    ops.push(SeedOp::Order(NewOrder {
        id: id.clone(),
        seller_id: shop.id.to_owned(),
        customer,
        items,
        payment_method: method,
        paid: matches!(method, PaymentMethod::Card | PaymentMethod::Paypal),
        created_at: created,
    }));
    let mut completed = false;
    for (at, step) in steps.into_iter().filter(|(at, _)| *at <= now) {
        completed = matches!(
            step,
            Step::Admin {
                action: AdminAction::Complete,
                ..
            }
        );
        ops.push(SeedOp::Step {
            order_id: id.clone(),
            step,
            at,
            shipment: shipment.clone(),
        });
    }
    if completed && feedback && feedback_at <= now {
        ops.push(SeedOp::Feedback {
            order_id: id,
            rating,
            comment,
            at: feedback_at,
        });
    }
}

/// A buyer from one of `cities`.
pub fn customer(rng: &mut impl Rng, cities: &[(&str, &str)]) -> Customer {
    let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
    let (city, country) = cities
        .get(rng.random_range(0..cities.len().max(1)))
        .copied()
        .unwrap_or(("Berlin", "DE"));
    Customer {
        name: format!("{first} {last}"),
        email: format!("{}.{}@example.com", ascii(first), ascii(last)),
        city: city.to_owned(),
        country: country.to_owned(),
    }
}

/// A lowercase ASCII form of a name for an e-mail address.
fn ascii(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c.to_ascii_lowercase() {
            'à' | 'á' | 'ä' | 'â' => Some('a'),
            'é' | 'è' | 'ë' | 'ê' => Some('e'),
            'í' | 'ì' | 'ï' => Some('i'),
            'ó' | 'ò' | 'ö' | 'ô' => Some('o'),
            'ú' | 'ù' | 'ü' => Some('u'),
            'ç' => Some('c'),
            'ñ' => Some('n'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        let now = Utc::now();
        assert_eq!(generate(now), generate(now));
    }

    #[test]
    fn orders_are_the_same_at_any_time() {
        let orders = |now| {
            generate(now)
                .into_iter()
                .filter_map(|op| match op {
                    SeedOp::Order(order) => Some((order.id, order.customer, order.items)),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        let now = Utc::now();
        assert_eq!(orders(now), orders(now + Duration::days(3)));
    }

    #[test]
    fn emails_are_ascii() {
        assert_eq!(ascii("Müller"), "muller");
        assert_eq!(ascii("de Vries"), "devries");
    }
}
