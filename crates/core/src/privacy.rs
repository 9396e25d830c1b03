//! What public pages must not show whole: e-mail addresses found in imported headers.

/// Masks every e-mail address inside `text` as `l…@example.net`: the first character of the
/// local part, an ellipsis, the domain. Creators and admins see the stored text whole.
pub fn mask_emails(text: &str) -> String {
    let is_local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let is_domain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let local_len = chars[..i]
            .iter()
            .rev()
            .take_while(|c| is_local(**c))
            .count();
        let domain: String = chars[i + 1..]
            .iter()
            .take_while(|c| is_domain(**c))
            .collect();
        let domain = domain.trim_end_matches('.');
        if local_len == 0 || !domain.contains('.') || domain.starts_with('.') {
            out.push('@');
            i += 1;
            continue;
        }
        // Drop the local part already copied, keeping its first character.
        for _ in 0..local_len - 1 {
            out.pop();
        }
        out.push('…');
        out.push('@');
        out.push_str(domain);
        i += 1 + domain.chars().count();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mask_emails;

    #[test]
    fn addresses_are_masked_wherever_they_stand() {
        assert_eq!(mask_emails("lamp@example.net"), "l…@example.net");
        assert_eq!(
            mask_emails("K. Marlowe <kmarlowe@hollowmere.example>."),
            "K. Marlowe <k…@hollowmere.example>."
        );
        assert_eq!(mask_emails("a@b.c and d.e@f.org"), "a…@b.c and d…@f.org");
    }

    #[test]
    fn text_without_addresses_is_unchanged() {
        for text in ["@home", "me@", "a @ b", "user@localhost", "Café — «ok»"] {
            assert_eq!(mask_emails(text), text);
        }
    }
}
