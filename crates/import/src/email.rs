//! E-mail addresses: found in any value, masked for public pages (`l…@example.net`).

use regex::Regex;
use std::sync::LazyLock;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+").expect("valid regex")
});

/// Masks one address: the first character of the local part, an ellipsis, the domain.
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}\u{2026}@{domain}")
        }
        None => address.to_owned(),
    }
}

/// Masks every address found inside a text.
pub fn mask_emails_in(text: &str) -> String {
    EMAIL
        .replace_all(text, |c: &regex::Captures<'_>| mask_email(&c[0]))
        .into_owned()
}

/// The addresses found inside a text.
pub fn find_emails(text: &str) -> Vec<String> {
    EMAIL
        .find_iter(text)
        .map(|m| m.as_str().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_addresses() {
        assert_eq!(mask_email("lamp@example.net"), "l\u{2026}@example.net");
        assert_eq!(
            mask_emails_in("wren@hollowmere.example (Wren A.)"),
            "w\u{2026}@hollowmere.example (Wren A.)"
        );
        assert_eq!(find_emails("write to k@example.org!"), ["k@example.org"]);
    }
}
