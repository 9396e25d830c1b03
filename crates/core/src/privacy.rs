//! What public pages must not show whole: e-mail addresses inside any value of an imported
//! work (header fields, summary, notes, chapter text). The one definition of an address and
//! of its masked form (`l…@example.net`); the importer finds addresses with it too.

use std::ops::Range;

/// A character of an address's local part (`first.last+tag`).
const fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// A character of an address's domain (`mail.example.net`).
const fn is_domain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.')
}

/// The byte ranges of the addresses inside `text`, in order and not overlapping. An address
/// is a non-empty local part, `@`, and a domain with at least one dot inside it (a dot that
/// ends a sentence is not part of it). Every character of an address is ASCII, so the ranges
/// fall on character boundaries.
fn spans(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    // The local part of an address starts after the end of the one before.
    let mut floor = 0;
    let mut from = 0;
    while let Some(at) = text[from..].find('@').map(|i| i + from) {
        let start = bytes[floor..at]
            .iter()
            .rposition(|b| !is_local(*b))
            .map_or(floor, |i| floor + i + 1);
        let domain_len = bytes[at + 1..]
            .iter()
            .take_while(|b| is_domain(**b))
            .count();
        let mut end = at + 1 + domain_len;
        while end > at + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let domain = &bytes[at + 1..end];
        if start < at && domain.first().is_some_and(|b| *b != b'.') && domain.contains(&b'.') {
            found.push(start..end);
            floor = end;
            from = end;
        } else {
            from = at + 1;
        }
    }
    found
}

/// The addresses found inside `text`, in order.
pub fn find_emails(text: &str) -> Vec<&str> {
    spans(text).into_iter().map(|r| &text[r]).collect()
}

/// Masks every address inside `text`: the first character of the local part, an ellipsis,
/// the domain (`lamp@example.net` → `l…@example.net`). Works on plain text and on HTML alike
/// (an address in a `mailto:` link is masked too). Creators and admins see the stored text
/// whole; this is for what the public sees.
pub fn mask_emails(text: &str) -> String {
    let found = spans(text);
    if found.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for span in found {
        out.push_str(&text[copied..span.start]);
        let address = &text[span.clone()];
        if let Some((local, domain)) = address.split_once('@') {
            out.push_str(&local[..1]);
            out.push('…');
            out.push('@');
            out.push_str(domain);
        }
        copied = span.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// [`mask_emails`] on an optional text.
pub fn mask_emails_opt(text: Option<&str>) -> Option<String> {
    text.map(mask_emails)
}

#[cfg(test)]
mod tests {
    use super::{find_emails, mask_emails};

    #[test]
    fn addresses_are_masked_wherever_they_stand() {
        assert_eq!(mask_emails("lamp@example.net"), "l…@example.net");
        assert_eq!(
            mask_emails("K. Marlowe <kmarlowe@hollowmere.example>."),
            "K. Marlowe <k…@hollowmere.example>."
        );
        assert_eq!(mask_emails("a@b.c and d.e@f.org"), "a…@b.c and d…@f.org");
        assert_eq!(
            mask_emails("wren@hollowmere.example (Wren A.)"),
            "w…@hollowmere.example (Wren A.)"
        );
        assert_eq!(
            mask_emails("Write to me, first.last+fic@mail.example.co.uk."),
            "Write to me, f…@mail.example.co.uk."
        );
    }

    #[test]
    fn addresses_in_html_are_masked_in_text_and_links() {
        assert_eq!(
            mask_emails(r#"<p>Mail <a href="mailto:jo@example.org">jo@example.org</a>!</p>"#),
            r#"<p>Mail <a href="mailto:j…@example.org">j…@example.org</a>!</p>"#
        );
    }

    #[test]
    fn message_ids_keep_what_precedes_the_local_part() {
        assert_eq!(
            mask_emails("<53q1b7$2k@news.hollowmere.example>"),
            "<53q1b7$2…@news.hollowmere.example>"
        );
    }

    #[test]
    fn text_without_addresses_is_unchanged() {
        for text in [
            "@home",
            "me@",
            "a @ b",
            "user@localhost",
            "x@.example",
            "Café — «ok» @ l'école.",
            "",
        ] {
            assert_eq!(mask_emails(text), text);
            assert!(find_emails(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn addresses_are_found_in_order() {
        assert_eq!(find_emails("write to k@example.org!"), ["k@example.org"]);
        assert_eq!(
            find_emails("a@b.c, d@e.f; (g@h.i)"),
            ["a@b.c", "d@e.f", "g@h.i"]
        );
        assert_eq!(find_emails("a@b.c@d.e"), ["a@b.c"]);
    }

    #[test]
    fn masking_keeps_non_ascii_text_around_an_address_whole() {
        assert_eq!(
            mask_emails("Über «zoe@example.de» — ça va"),
            "Über «z…@example.de» — ça va"
        );
    }
}
