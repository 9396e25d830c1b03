//! Word counts by Unicode word boundaries, as AO3 counts them.

use unicode_segmentation::UnicodeSegmentation;

/// Words in plain text.
pub fn word_count_text(text: &str) -> i64 {
    let n = if text.is_ascii() {
        ascii_word_count(text.as_bytes())
    } else {
        text.unicode_words().count()
    };
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What [`UnicodeSegmentation::unicode_words`] counts, for ASCII text, without its general
/// machinery (word counting is most of an import's parsing time). UAX #29 on ASCII: letters,
/// digits and `_` make words; `'`, `.` and `:` join two letters (`don't`, `e.g`), `'`, `.`,
/// `,` and `;` join two digits (`3.14`, `1,000`); a word needs a letter or a digit.
fn ascii_word_count(text: &[u8]) -> usize {
    let is_letter = |b: u8| b.is_ascii_alphabetic();
    let is_digit = |b: u8| b.is_ascii_digit();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut count = 0;
    let mut i = 0;
    while i < text.len() {
        if !is_word(text[i]) {
            i += 1;
            continue;
        }
        let mut has_alnum = false;
        loop {
            while i < text.len() && is_word(text[i]) {
                has_alnum |= text[i] != b'_';
                i += 1;
            }
            // A joiner between two letters or two digits keeps the word going.
            if i + 1 < text.len() && i > 0 {
                let (before, mid, after) = (text[i - 1], text[i], text[i + 1]);
                let letters =
                    is_letter(before) && is_letter(after) && matches!(mid, b'\'' | b'.' | b':');
                let digits = is_digit(before)
                    && is_digit(after)
                    && matches!(mid, b'\'' | b'.' | b',' | b';');
                if letters || digits {
                    i += 1;
                    continue;
                }
            }
            break;
        }
        if has_alnum {
            count += 1;
        }
    }
    count
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

    #[test]
    fn the_ascii_count_is_the_unicode_count() {
        for text in [
            "It's a dog-eared book",
            "e.g. 3.14 and 1,000; 2;3 a:b a.1 1.a __ _a a_ a_'b x'' ''x",
            "Mira/Tomas, 12:30... \"Hello!\" - she said -- 'twas 'quoted' a.b.c 1.2.3",
            "a'b'c don't. U.S.A. foo_bar 9_9 _ , . ' end.",
            "tab\tseparated\nlines\r\nand CR\rhere",
        ] {
            assert_eq!(
                ascii_word_count(text.as_bytes()),
                text.unicode_words().count(),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_count_matches_unicode_words(text in "[a-c0-2_'.,;: \n/!-]{0,40}") {
            proptest::prop_assert_eq!(ascii_word_count(text.as_bytes()), text.unicode_words().count());
        }
    }
}
