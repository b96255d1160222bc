//! Values a caller sent, echoed back in error messages, cut to a bounded length: an unknown
//! 5,000-character id is named by its first [`MAX_ECHO_CHARS`] characters, not in full.

/// The most characters of a caller's value echoed back in an error message.
pub const MAX_ECHO_CHARS: usize = 64;

/// `text` cut to [`MAX_ECHO_CHARS`] characters (with `…` when cut).
pub fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_on_a_char_boundary() {
        assert_eq!(clip("ord_1"), "ord_1");
        let long = "é".repeat(5000);
        let cut = clip(&long);
        assert_eq!(cut.chars().count(), MAX_ECHO_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}
