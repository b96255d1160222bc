//! Opaque ids, seller tokens and tracking numbers, drawn from a random source (a seeded one
//! for the demo; the thread's cryptographically secure generator for tokens).

use rand::Rng;

use crate::lifecycle::Shipment;

const ALPHABET: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";

fn token(rng: &mut impl Rng, len: usize) -> String {
    (0..len)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// `ord_` and 12 random characters.
pub fn order_id(rng: &mut impl Rng) -> String {
    format!("ord_{}", token(rng, 12))
}

/// `po_` and 12 random characters.
pub fn payout_id(rng: &mut impl Rng) -> String {
    format!("po_{}", token(rng, 12))
}

/// `sel_` and 12 random characters.
pub fn seller_id(rng: &mut impl Rng) -> String {
    format!("sel_{}", token(rng, 12))
}

/// `prd_` and 12 random characters.
pub fn product_id(rng: &mut impl Rng) -> String {
    format!("prd_{}", token(rng, 12))
}

/// A seller's bearer token: `sdt_` and 52 random characters (260 bits). Draw it from a
/// cryptographically secure generator (`rand::rng()`).
pub fn seller_token(rng: &mut impl rand::CryptoRng) -> String {
    format!("sdt_{}", token(rng, 52))
}

/// A parcel with one of `carriers` and a tracking number.
pub fn shipment(rng: &mut impl Rng, carriers: &[&str]) -> Shipment {
    let carrier = carriers
        .get(rng.random_range(0..carriers.len().max(1)))
        .copied()
        .unwrap_or("DHL");
    let digits: String = (0..12)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect();
    let prefix: String = carrier
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(2)
        .collect();
    Shipment {
        carrier: carrier.to_owned(),
        tracking_number: format!("{}{digits}", prefix.to_uppercase()),
    }
}

/// The carriers the reference marketplace hands parcels to.
pub const CARRIERS: &[&str] = &["DHL", "DPD", "GLS", "UPS", "PostNL"];
