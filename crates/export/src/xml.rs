//! Escaping for XML and XHTML output, dropping the characters XML 1.0 cannot hold.

/// True for a character an XML 1.0 document may contain.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `text` escaped for element content; characters XML cannot hold (control
/// characters, U+FFFE, U+FFFF) are dropped, since a stray one would make the file unreadable.
pub fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Appends `text` escaped for a double-quoted attribute value.
pub fn push_attr(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Kept as characters, attribute-value normalization would turn them into spaces.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// `text`, escaped for element content.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_text(&mut out, text);
    out
}

/// `text`, escaped for an attribute value.
pub fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_attr(&mut out, text);
    out
}

/// A language tag fit for `xml:lang` and `dc:language`: the work's language when it looks like
/// a BCP 47 tag (`en`, `pt-BR`), else `und` (imports may keep a language name as written).
pub fn language_tag(language: &str) -> &str {
    let mut parts = language.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        language
    } else {
        "und"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_control_characters_dropped() {
        assert_eq!(text("a <3 & b\u{1}\u{c}"), "a &lt;3 &amp; b");
        assert_eq!(attr("say \"hi\"\n"), "say &quot;hi&quot;&#10;");
    }

    #[test]
    fn language_tags() {
        assert_eq!(language_tag("en"), "en");
        assert_eq!(language_tag("pt-BR"), "pt-BR");
        assert_eq!(language_tag("Old English"), "und");
        assert_eq!(language_tag(""), "und");
    }
}
