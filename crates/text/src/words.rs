//! Word counts by Unicode word boundaries, as AO3 counts them.

use unicode_segmentation::UnicodeSegmentation;

/// Words in plain text.
pub fn word_count_text(text: &str) -> i64 {
    i64::try_from(text.unicode_words().count()).unwrap_or(i64::MAX)
}

/// Words in the text content of an HTML fragment (tags are not words).
pub fn word_count_html(html: &str) -> i64 {
    word_count_text(&crate::sanitize::html_to_text(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_not_tags() {
        assert_eq!(
            word_count_html("<p>Hello, <em>brave</em> new world.</p><p>Again</p>"),
            5
        );
        assert_eq!(word_count_text("It's a dog-eared book"), 5);
    }
}
