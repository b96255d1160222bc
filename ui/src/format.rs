//! Number formatting for the pages. Money is never formatted here: it always goes through
//! the contract's `Money` (`Display`, `format_amount`), in integer minor units.

/// A count with thousands separators: `12345` → `"12,345"`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Basis points as a percentage: `250` → `"2.50 %"`.
pub fn basis_points(bp: u32) -> String {
    format!("{}.{:02} %", bp / 100, bp % 100)
}

/// Signed basis points as a change: `1250` → `"+12.50 %"`, `-310` → `"−3.10 %"`.
pub fn growth(bp: i64) -> String {
    let sign = match bp {
        bp if bp > 0 => "+",
        bp if bp < 0 => "−",
        _ => "",
    };
    let abs = bp.unsigned_abs();
    format!("{sign}{}.{:02} %", abs / 100, abs % 100)
}

/// `1` → `"Jan"` … `12` → `"Dec"`.
pub fn month_short(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    month
        .checked_sub(1)
        .and_then(|i| NAMES.get(i as usize))
        .copied()
        .unwrap_or("?")
}

/// `"1 item"`, `"3 items"`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", count(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn basis_points_are_exact() {
        assert_eq!(basis_points(250), "2.50 %");
        assert_eq!(basis_points(5), "0.05 %");
        assert_eq!(basis_points(10_000), "100.00 %");
        assert_eq!(growth(1250), "+12.50 %");
        assert_eq!(growth(-310), "−3.10 %");
        assert_eq!(growth(0), "0.00 %");
    }

    #[test]
    fn months_and_plurals() {
        assert_eq!(month_short(1), "Jan");
        assert_eq!(month_short(12), "Dec");
        assert_eq!(month_short(13), "?");
        assert_eq!(plural(1, "item", "items"), "1 item");
        assert_eq!(plural(3, "item", "items"), "3 items");
    }
}
