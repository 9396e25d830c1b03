//! Links in a download: only targets a reader can follow from a file on their device.

/// A link target a reader can follow: an absolute http(s) URL with a host, or a mailto,
/// percent-encoded where a strict URI parser would refuse it. Relative links point into the
/// old archive and lead nowhere in a download; they are dropped (their text stays).
pub fn link_target(raw: &str) -> Option<String> {
    let url = raw.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") || lower.starts_with("mailto:") {
        &url[7..]
    } else {
        return None;
    };
    let host_ok = lower.starts_with("mailto:")
        || rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '[');
    if !host_ok || rest.is_empty() {
        return None;
    }
    let scheme_len = url.len() - rest.len();
    let mut out = url[..scheme_len].to_ascii_lowercase();
    let bytes = rest.as_bytes();
    let mut seen_hash = false;
    for (i, &b) in bytes.iter().enumerate() {
        let keep = match b {
            b'%' => {
                bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
            }
            b'#' => !std::mem::replace(&mut seen_hash, true),
            b'[' | b']' => false,
            _ => b.is_ascii_alphanumeric() || b"-._~:/?@!$&'()*+,;=".contains(&b),
        };
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::link_target;

    #[test]
    fn only_absolute_web_and_mail_links_are_kept() {
        assert_eq!(
            link_target(" HTTPS://example.org/x").as_deref(),
            Some("https://example.org/x")
        );
        assert_eq!(
            link_target("mailto:wren@example.org").as_deref(),
            Some("mailto:wren@example.org")
        );
        for dropped in [
            "chapter2.html",
            "#top",
            "/works/1",
            "javascript:alert(1)",
            "http://",
            "https:///x",
        ] {
            assert_eq!(link_target(dropped), None, "{dropped}");
        }
    }

    #[test]
    fn characters_a_strict_parser_refuses_are_percent_encoded() {
        assert_eq!(
            link_target("https://example.org/a b?q=ü#x#y").as_deref(),
            Some("https://example.org/a%20b?q=%C3%BC#x%23y")
        );
        assert_eq!(
            link_target("https://example.org/100%").as_deref(),
            Some("https://example.org/100%25")
        );
    }
}
